/*
 * input.c - one way to read a field, whether it came from an HTML form or
 * a JSON body, so each handler parses its input once for both.
 *
 * Forms name nested fields "lots_2_title"; JSON sends {"lots":[..,
 * {"title":..}]}.  Numbers and booleans in JSON read as text ("12", "1",
 * ""), which the core then checks like any form input.
 */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "input.h"
#include "multipart.h"

static const char *json_as_text(struct req *r, json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(r->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(r->a, "%.2f", json_real_value(v));
	if (json_is_true(v))
		return "1";
	if (json_is_false(v))
		return "";
	return "\x01"; /* an object or array where text was expected */
}

const char *in_str(struct req *r, const char *key)
{
	/* An API request reads its JSON body; a GET has none and reads its
	 * query, as a page does. */
	if (r->api && r->json)
		return json_as_text(r, json_object_get(r->json, key));
	return req_param(r, key);
}

/* How many rows of `list` were sent, uncapped: a JSON array's length, or
 * a form's highest index with any field present (indexes past INT_MAX/2
 * count as that). */
static long rows_sent(struct req *r, const char *list)
{
	if (r->api) {
		json_t *a = r->json ? json_object_get(r->json, list) : NULL;
		return json_is_array(a) ? (long)json_array_size(a) : 0;
	}
	long n = 0;
	size_t ll = strlen(list);
	for (int i = 0; i < r->n_params; i++) {
		const char *k = r->params[i].key;
		if (strncmp(k, list, ll) != 0 || k[ll] != '_' ||
		    k[ll + 1] < '1' || k[ll + 1] > '9')
			continue;
		char *end;
		long idx = strtol(k + ll + 1, &end, 10);
		if (*end != '_' && *end != '\0')
			continue;
		if (idx > INT_MAX / 2)
			idx = INT_MAX / 2;
		if (idx > n)
			n = idx;
	}
	return n;
}

int in_count(struct req *r, const char *list, int max)
{
	long n = rows_sent(r, list);
	return n > max ? max : (int)n;
}

enum kv_status in_count_within(struct req *r, const char *list, int max,
			       int *n, struct kv_error *e)
{
	long sent = rows_sent(r, list);
	*n = sent > max ? max : (int)sent;
	if (sent > max)
		return kv_fail(e, KV_INVALID, list,
			       ngettext("At most %d row can be given here; %ld were sent.",
					"At most %d rows can be given here; %ld were sent.",
					(unsigned long)max),
			       max, sent);
	return KV_OK;
}

const char *in_sub(struct req *r, const char *list, int i, const char *key)
{
	if (r->api) {
		json_t *a = r->json ? json_object_get(r->json, list) : NULL;
		json_t *o = json_is_array(a) ? json_array_get(a, (size_t)i) : NULL;
		return json_is_object(o) ? json_as_text(r, json_object_get(o, key)) : NULL;
	}
	return req_param(r, arena_printf(r->a, "%s_%d_%s", list, i + 1, key));
}

bool in_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

bool in_bool(const char *s)
{
	return s && *s && strcmp(s, "0") != 0 && strcmp(s, "false") != 0 &&
	       strcmp(s, "off") != 0;
}

enum kv_status in_int(const char *s, long long lo, long long hi,
		      long long *out, const char *field, struct kv_error *e)
{
	if (in_blank(s))
		return kv_fail(e, KV_INVALID, field, _("Fill in a whole number."));
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || end == s)
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" is not a whole number."), s);
	if (v < lo || v > hi)
		return kv_fail(e, KV_INVALID, field,
			       _("Give a number from %lld to %lld."), lo, hi);
	*out = v;
	return KV_OK;
}

enum kv_status in_file(struct req *r, const char *field, bool *present,
		       const char **name, const unsigned char **data,
		       int64_t *size, struct kv_error *e)
{
	*present = false;
	*name = NULL;
	*data = NULL;
	*size = 0;
	if (!r->api) {
		for (int i = 0; i < r->n_params; i++) {
			const struct param *p = &r->params[i];
			if (strcmp(p->key, field) != 0)
				continue;
			if ((!p->filename || !*p->filename) && !p->len)
				return KV_OK;
			*present = true;
			*name = upload_base_name(p->filename ? p->filename : "");
			*data = (const unsigned char *)p->value;
			*size = (int64_t)p->len;
			return KV_OK;
		}
		return KV_OK;
	}
	const char *b64 = in_str(r, "content");
	if (!b64)
		return KV_OK;
	*present = true;
	*name = in_str(r, "name");
	size_t n = strlen(b64), cap = n / 4 * 3 + 3, len = 0;
	unsigned char *buf = arena_alloc_raw(r->a, cap);
	if (sodium_base642bin(buf, cap, b64, n, "\n\r ", &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return kv_fail(e, KV_INVALID, "content",
			       _("The content is not valid base64."));
	*data = buf;
	*size = (int64_t)len;
	return KV_OK;
}
