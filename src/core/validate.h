/*
 * validate.h - identifiers Kavel checks before it stores them.
 * Plain C, no I/O.  Each returns KV_OK or KV_INVALID with a sentence in e.
 */
#ifndef KAVEL_VALIDATE_H
#define KAVEL_VALIDATE_H

#include <stdint.h>

#include "error.h"

/* KvK number: exactly 8 digits (Handelsregisterwet), not all zeros. */
enum kv_status kvk_check(const char *s, const char *field, struct kv_error *e);

/* CPV code (Regulation (EC) 213/2008): "NNNNNNNN-C", eight digits, a dash
 * and the check digit; the division (first two digits) must exist and
 * the check digit must match.  Also accepts the form without the dash. */
enum kv_status cpv_check(const char *s, const char *field, struct kv_error *e);
/* The check digit of the eight-digit code; -1 if s is not 8 digits. */
int cpv_check_digit(const char *eight_digits);

/* Euro amount "1.234.567,89", "1234567.89", "€ 9.000.000" or "9000000"
 * into cents (>= 0, <= 10^15). */
enum kv_status eur_parse(const char *s, int64_t *cents, const char *field,
			 struct kv_error *e);
/* "€ 1.234.567,89" (nl) into buf (>= 32 bytes). */
char *eur_format(int64_t cents, char *buf);

/* A required, trimmed, single-line text of 1..max bytes of valid UTF-8
 * without control characters. */
enum kv_status text_check(const char *s, size_t max, const char *field,
			  struct kv_error *e);

#endif
