/*
 * error.h - how the core reports what went wrong to a person.
 *
 * Functions that can refuse return an enum kv_status and fill a struct
 * kv_error: the field the problem is in (a form field or JSON key, "" when it
 * is about the whole request) and a sentence, already translated through
 * gettext for the calling thread's locale, that says what is wrong and why.
 */
#ifndef KAVEL_ERROR_H
#define KAVEL_ERROR_H

#include <libintl.h>

/* _() is gettext with a per-thread memo (see error.c): msgids are string
 * literals, so their addresses are stable keys, and a page asks for the
 * same hundred strings on every request. */
const char *kv_gettext(const char *msgid) __attribute__((format_arg(1)));
#define _(s) kv_gettext(s)
/* A msgid marked for extraction, translated later with _() (static tables). */
#define N_(s) (s)
#define N_(s) (s)

enum kv_status {
	KV_OK = 0,
	KV_INVALID,    /* bad input: 400 / 422 */
	KV_NOT_FOUND,  /* 404 */
	KV_DENIED,     /* the law, the calendar or a role forbids it: 403 / 409 */
	KV_CONFLICT,   /* state changed meanwhile, duplicate: 409 */
	KV_IO,         /* storage failed: 500 */
	KV_FULL,       /* no room on the disk for a file now: 507 */
};

struct kv_error {
	enum kv_status status;
	char field[48];
	char msg[400];
};

/* Fills e (may be NULL) and returns status, so `return kv_fail(...)`. */
enum kv_status kv_fail(struct kv_error *e, enum kv_status status,
		       const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void kv_error_clear(struct kv_error *e);

/* A short rendering of what a person typed, for quoting it in a message:
 * at most 32 characters, then "...".  Valid UTF-8 stays as typed ("€",
 * "é"); a control character, an invisible direction control or a byte
 * that is no UTF-8 becomes "?".  Returns buf (validate.c). */
#define KV_QUOTE_MAX (32 * 4 + 4)
const char *kv_quote(const char *s, char buf[KV_QUOTE_MAX]);

#endif
