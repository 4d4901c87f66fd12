/*
 * receipt.h - the receipt page of a sealed submission (page_vault.c) for
 * the other page that seals one: the price envelope (page_award.c).
 */
#ifndef KAVEL_WEB_RECEIPT_H
#define KAVEL_WEB_RECEIPT_H

#include "web.h"

/* The answer to sealing a price: the receipt of submission_id with the
 * amount just sealed shown to its bidder (Kavel cannot read it again
 * until the prices are opened), status 201. */
void page_receipt_sealed_price(struct req *r, struct resp *w, int64_t submission_id,
			       int64_t cents);

#endif
