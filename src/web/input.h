/*
 * input.h - reading fields from forms and JSON alike; see input.c.
 * Strings returned live in the request's arena (or the JSON body).
 */
#ifndef KAVEL_INPUT_H
#define KAVEL_INPUT_H

#include "web.h"

const char *in_str(struct req *r, const char *key);           /* NULL: absent */
int in_count(struct req *r, const char *list, int max);  /* capped at max */
/* in_count, but more than `max` rows sent is refused (KV_INVALID at field
 * `list`, saying how many may be given); *n is the capped count anyway. */
enum kv_status in_count_within(struct req *r, const char *list, int max,
			       int *n, struct kv_error *e);
const char *in_sub(struct req *r, const char *list, int i, const char *key);
bool in_blank(const char *s);
bool in_bool(const char *s);
enum kv_status in_int(const char *s, long long lo, long long hi,
		      long long *out, const char *field, struct kv_error *e);

/* A file sent with the request: a form's multipart part `field` (its
 * file name and bytes), or in a JSON body "name" and "content" in
 * base64.  *present is false when none was sent (an empty file input
 * sends none); a bad base64 text is refused.  Bytes live in the
 * request's arena. */
enum kv_status in_file(struct req *r, const char *field, bool *present,
		       const char **name, const unsigned char **data,
		       int64_t *size, struct kv_error *e);

#endif
