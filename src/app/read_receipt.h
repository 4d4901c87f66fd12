/*
 * read_receipt.h - what a receipt of the price envelope may say about
 * its amount (read_receipt.c).  The amount is sealed to the price vault
 * the moment it arrives: Kavel can show it to its bidder in the answer
 * to the sealing itself (the page has it from the form) and again only
 * once two buyers have opened the prices.
 *
 * Reads only.  Everything in x->a.
 */
#ifndef KAVEL_APP_READ_RECEIPT_H
#define KAVEL_APP_READ_RECEIPT_H

#include "app.h"

/* The price sealed in submission s, when s is a price envelope whose
 * prices have been opened: true with *cents.  false while it is sealed,
 * or when s holds no price. */
bool app_opened_price(struct app *x, const struct submission *s,
		      int64_t *cents);

#endif
