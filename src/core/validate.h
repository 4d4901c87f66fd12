/*
 * validate.h - identifiers Kavel checks before it stores them.
 * Plain C, no I/O.  Each returns KV_OK or KV_INVALID with a sentence in e.
 */
#ifndef KAVEL_VALIDATE_H
#define KAVEL_VALIDATE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* KvK number: exactly 8 digits (Handelsregisterwet), not all zeros. */
enum kv_status kvk_check(const char *s, const char *field, struct kv_error *e);

/* CPV code (Regulation (EC) 213/2008): "NNNNNNNN-C", eight digits, a dash
 * and the check digit, or the eight digits alone; the division (first two
 * digits) must exist.  The check digit must be a digit but is not compared
 * with cpv_check_digit(): the official list departs from every known rule
 * for whole subtrees (e.g. 09134100-8, 03300000-2), so comparing would
 * refuse real codes; see validate.c.  Only the list itself can check it. */
enum kv_status cpv_check(const char *s, const char *field, struct kv_error *e);
/* The check digit by the rule most CPV codes follow (weights 3,7,1,3,7,1,
 * 3,7, sum mod 10); -1 if s is not 8 digits (optionally followed by '-').
 * Not the official digit for every code: do not use it to complete a
 * code for publication. */
int cpv_check_digit(const char *eight_digits);

/* Euro amount "1.234.567,89", "1234567.89", "€ 9.000.000" or "9000000"
 * into cents (>= 0, <= 10^15). */
enum kv_status eur_parse(const char *s, int64_t *cents, const char *field,
			 struct kv_error *e);
/* "€ 1.234.567,89" (nl) into buf (>= 32 bytes). */
char *eur_format(int64_t cents, char *buf);
/* A number in hundredths as people read it: "36" when whole, else two
 * decimals behind mark ("36,50" with ',', "36.50" with '.'); buf >= 32. */
char *dec_format(int64_t hundredths, char mark, char *buf);

/* A required, single-line text of 1..max bytes of valid UTF-8 without
 * control characters (no tabs, no line breaks) and without the invisible
 * bidirectional controls (U+202A..E, U+2066..9, U+200E/F, U+061C), which
 * make a name or file name read otherwise than it is stored (text_check_lines
 * refuses those too).  Only spaces is empty.
 * Surrounding spaces are not refused but count: call text_trim() first. */
enum kv_status text_check(const char *s, size_t max, const char *field,
			  struct kv_error *e);
/* Removes leading and trailing spaces (also no-break spaces) in place;
 * returns s (NULL stays NULL). */
char *text_trim(char *s);

/* Text of several lines (notes, motivations): valid UTF-8, newlines and
 * tabs allowed, other control characters not; at most max bytes; when
 * required, not blank. */
enum kv_status text_check_lines(const char *s, size_t max, bool required,
				const char *field, struct kv_error *e);

/* An e-mail address as Kavel keeps and compares it, into out (outlen >=
 * EMAIL_MAX + 1): surrounding spaces trimmed, Unicode NFKC applied (so a
 * full-width "ｊａｎ＠example.nl" is "jan@example.nl"), then lower case.
 * Refused, with the character and its position: a space, an invisible
 * character (zero-width, soft hyphen, direction controls) or any letter
 * that is not plain ASCII after NFKC (a Cyrillic "а" that looks like a
 * Latin "a"; a domain with accents is written in its xn-- form); and an
 * address that is not local@domain.tld.  So two accounts never differ by
 * a character nobody can see. */
#define EMAIL_MAX 254
enum kv_status email_normalize(const char *in, char *out, size_t outlen,
			       const char *field, struct kv_error *e);

/* A key made from a title, into out (outlen > 1): Unicode NFKD applied
 * so that accents come off ("Financiële draagkracht" is
 * "financiele-draagkracht"), ASCII letters lower-cased, letters and
 * digits kept, every other run of characters one "-", none at either
 * end, cut at outlen - 1 bytes.  Returns its length: 0 when nothing is
 * left (or the title is no valid UTF-8). */
size_t text_slug(const char *title, char *out, size_t outlen);

/* The type of a file judged by its first bytes, never by its name or what
 * the client claims: "application/pdf", "application/zip" (also DOCX,
 * XLSX, ODT and the other office documents, which are ZIP containers),
 * else "application/octet-stream".  head holds the first n bytes (at most
 * FILE_SNIFF_HEAD are looked at). */
#define FILE_SNIFF_HEAD 8
const char *file_sniff(const unsigned char *head, size_t n);
/* Whether a file called name (as the sender named it) whose first n bytes
 * are head may be taken: never a program (a Windows or Linux executable,
 * a Mach-O binary, a script with #!), whatever its name; and when the
 * name's extension claims a type Kavel knows (.pdf; .zip, .docx, .xlsx,
 * .odt and the other ZIP containers; .doc, .xls; .png; .jpg), the content
 * must be that type.  KV_INVALID at field naming both the claim and what
 * the content is; KV_OK otherwise (an unknown extension claims nothing). */
enum kv_status file_type_check(const char *name, const unsigned char *head,
			       size_t n, const char *field, struct kv_error *e);

#endif
