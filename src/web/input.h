/*
 * input.h - reading fields from forms and JSON alike; see input.c.
 * Strings returned live in the request's arena (or the JSON body).
 */
#ifndef KAVEL_INPUT_H
#define KAVEL_INPUT_H

#include "web.h"

const char *in_str(struct req *r, const char *key);           /* NULL: absent */
int in_count(struct req *r, const char *list, int max);
const char *in_sub(struct req *r, const char *list, int i, const char *key);
bool in_blank(const char *s);
bool in_bool(const char *s);
enum kv_status in_int(const char *s, long long lo, long long hi,
		      long long *out, const char *field, struct kv_error *e);

#endif
