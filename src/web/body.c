/*
 * body.c - reading a request's body, one way per body kind (body.h).
 *
 * Kavel's own parsers, not libmicrohttpd's: urlencoded fields here,
 * multipart bodies by multipart.h's state machine (fuzzed), buffered or
 * streamed, JSON by jansson.  Refusals keep the statuses the API
 * documents: 413 for a body over its cap, 415 for an API body that is not
 * JSON, 400 for one that cannot be read.
 */
#include <string.h>
#include <strings.h>

#include "body.h"
#include "multipart.h"

void body_init(struct body *b, arena *a, enum body_read kind)
{
	*b = (struct body){.kind = kind};
	if (kind == READ_FORM || kind == READ_JSON || kind == READ_FILES)
		sbuf_init(&b->buf, a, kind == READ_FILES ? DOCUMENT_FORM_MAX
							 : BODY_MAX);
}

bool body_streamed(const struct body *b)
{
	return b->kind == READ_STREAM_FORM || b->kind == READ_STREAM_RAW;
}

void body_add(struct body *b, const char *data, size_t n)
{
	if (b->kind == READ_DISCARD) {
		b->seen += n;
		if (b->seen > BODY_MAX)
			b->too_big = true;
		return;
	}
	if (!b->too_big && sbuf_add(&b->buf, data, n) < 0)
		b->too_big = true;
}

static bool refuse(struct req *r, struct resp *w, int status, const char *msg)
{
	struct kv_error e;
	kv_fail(&e, KV_INVALID, "", "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
	return false;
}

/* ---- urlencoded fields --------------------------------------------------- */

/* A form with more fields than REQ_PARAMS_MAX: refused whole, as
 * acting on the fields read so far would act on another form. */
static bool refuse_fields(struct req *r, struct resp *w)
{
	return refuse(r, w, 413, arena_printf(r->a,
		_("The form has more than %d fields; nothing was saved."),
		REQ_PARAMS_MAX));
}

/* The fields just read, refused whole when there were too many or when
 * a field that is not a file holds a NUL byte: C strings would end there,
 * so what is saved would not be what was sent (JSON refuses \u0000 the
 * same way, jansson's default). */
static bool fields_read(struct req *r, struct resp *w)
{
	if (r->params_over)
		return refuse_fields(r, w);
	for (int i = 0; i < r->n_params; i++) {
		const struct param *p = &r->params[i];
		if (p->filename || !memchr(p->value, 0, p->len))
			continue;
		struct kv_error e;
		kv_fail(&e, KV_INVALID, p->key,
			_("The field %s holds a NUL byte (%%00), which no text may "
			  "hold; nothing was saved."), p->key);
		resp_error(r, w, &e);
		w->status = 422;
		return false;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) in place ('+' a space, %XX a byte, a malformed escape
 * kept as it came), NUL-terminates it and returns its new length. */
static size_t url_decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n &&
			   (hi = hexval(s[i + 1])) >= 0 &&
			   (lo = hexval(s[i + 2])) >= 0) {
			s[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = 0;
	return o;
}

int req_param_add(struct req *r, const char *key, const char *value,
		  size_t len, const char *filename)
{
	if (r->n_params >= REQ_PARAMS_MAX) {
		r->params_over = true;
		return -1;
	}
	r->params = arena_grow(r->a, r->params, r->n_params, &r->params_cap,
			       sizeof *r->params, 64);
	r->params[r->n_params] = (struct param){
		.key = key, .value = value, .len = len, .filename = filename};
	return r->n_params++;
}

/* application/x-www-form-urlencoded: "k=v&k2=v2", decoded in place in
 * the body's buffer (which has room for the NUL after its last byte); a
 * pair without '=' has an empty value, an empty pair is skipped. */
static void urlencoded(struct req *r, char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		size_t eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		if (end > i) {
			char *key = s + i, *val = s + end;
			url_decode(key, eq - i);
			size_t vlen = 0;
			if (eq < end) {
				val = s + eq + 1;
				vlen = url_decode(val, end - eq - 1);
			} else {
				val = (char *)"";
			}
			req_param_add(r, key, val, vlen, NULL);
		}
		i = end + 1;
	}
}

/* ---- a buffered multipart form -------------------------------------------- */

/* Fields into params; a file part into r->files with its exact bytes and
 * into params too (value, len and filename), as a form field of type
 * file is read by name either way. */
struct collect {
	struct req *r;
	sbuf val;
	size_t cap;
	struct form_file *file;      /* the file part under way, or NULL */
	struct param *param;         /* the part's entry in params, or NULL */
};

static bool collect_part(void *ctx, enum mp_event ev, const struct mp_part *p,
			 const char *data, size_t n)
{
	struct collect *k = ctx;
	struct req *r = k->r;
	switch (ev) {
	case MP_PART_BEGIN:
		k->file = NULL;
		k->param = NULL;
		sbuf_init(&k->val, r->a, k->cap);
		if (p->has_filename && r->n_files < FORM_FILES_MAX) {
			k->file = &r->files[r->n_files++];
			k->file->field = arena_strdup(r->a, p->name);
			k->file->filename = arena_strdup(r->a, p->filename);
			k->file->data = (const unsigned char *)"";
		}
		/* params is not regrown before this part ends: no other
		 * field is added meanwhile, so the pointer holds */
		int i = req_param_add(r, arena_strdup(r->a, p->name), "", 0,
				      p->has_filename ? arena_strdup(r->a, p->filename)
						      : NULL);
		k->param = i < 0 ? NULL : &r->params[i];
		return true;
	case MP_PART_DATA:
		sbuf_add(&k->val, data, n);   /* capped: the body is */
		if (k->file) {
			k->file->data = (const unsigned char *)sbuf_str(&k->val);
			k->file->len = k->val.len;
		}
		if (k->param) {
			k->param->value = sbuf_str(&k->val);
			k->param->len = k->val.len;
		}
		return true;
	case MP_PART_END:
		if (k->file)
			k->file->complete = !k->val.overflow;
		k->file = NULL;
		k->param = NULL;
		return true;
	}
	return true;
}

/* false when the body is not readable multipart; cut: only its beginning
 * was kept, so its end is not looked for. */
static bool multipart_form(struct req *r, const sbuf *body, bool cut)
{
	struct collect k = {.r = r, .cap = body->max + 1};
	struct multipart *m = arena_alloc(r->a, sizeof *m);
	return mp_init(m, r->hdr_content_type, collect_part, &k) == MP_OK &&
	       mp_feed(m, body->p ? body->p : "", body->len) == MP_OK &&
	       (cut || mp_finish(m) == MP_OK);
}

static bool ctype_is(const char *ctype, const char *want)
{
	return ctype && strncasecmp(ctype, want, strlen(want)) == 0;
}

bool body_parse(struct body *b, struct req *r, struct resp *w)
{
	const char *ctype = r->hdr_content_type;
	bool multipart = ctype_is(ctype, "multipart/form-data");
	/* The document form reads the beginning of a body that is too
	 * large, so that its handler can say so next to the field. */
	if (b->kind == READ_FILES && multipart) {
		r->body_cut = b->too_big;
		if (!multipart_form(r, &b->buf, b->too_big))
			r->form_bad = true;
		return fields_read(r, w);
	}
	if (b->too_big)
		return refuse(r, w, 413, arena_printf(r->a,
			_("The request is larger than %d KiB."), BODY_MAX / 1024));
	if (r->params_over)   /* the query's */
		return refuse_fields(r, w);
	switch (b->kind) {
	case READ_DISCARD:
	case READ_STREAM_FORM:
	case READ_STREAM_RAW:
		return true;
	case READ_JSON: {
		if (!ctype || strncmp(ctype, "application/json", 16) != 0)
			return refuse(r, w, 415, _("Send JSON with Content-Type: application/json."));
		json_error_t je;
		r->json = json_loadb(b->buf.p ? b->buf.p : "", b->buf.len,
				     JSON_REJECT_DUPLICATES, &je);
		if (!r->json || !json_is_object(r->json)) {
			struct kv_error e;
			kv_fail(&e, KV_INVALID, "", _("The body is not a JSON object (line %d: %s)."),
				je.line, r->json ? "not an object" : je.text);
			resp_error(r, w, &e);
			w->status = 400;
			return false;
		}
		return true;
	}
	case READ_FORM:
	case READ_FILES:
		if (!b->buf.len)
			return true;
		if (ctype_is(ctype, "application/x-www-form-urlencoded")) {
			urlencoded(r, b->buf.p, b->buf.len);
			return fields_read(r, w);
		}
		if (multipart && multipart_form(r, &b->buf, false))
			return fields_read(r, w);
		return refuse(r, w, 400, _("The form could not be read (expected application/x-www-form-urlencoded)."));
	}
	return true;
}

/* ---- a streamed body -------------------------------------------------------- */

/* The upload form's file part: the CSRF field that came before it is
 * checked before the sink sees a byte, then the sink names the file. */
static bool form_file_begin(void *ctx, const char *csrf, const char *filename)
{
	struct body *b = ctx;
	struct req *r = b->r;
	r->header_csrf = csrf;
	if (!csrf_ok(r)) {
		r->sink->refuse(r, b->w, 403,
			_("This form has expired or did not come from Kavel (CSRF check). Reload the page and try again."));
		return false;
	}
	return r->sink->begin(r, b->w, filename);
}

static bool form_file_data(void *ctx, const char *data, size_t n)
{
	struct body *b = ctx;
	return b->r->sink->data(b->r, b->w, data, n);
}

static const struct form_sink upload_form_sink = {form_file_begin, form_file_data};

/* A refusal of the upload form after form_upload_feed/finish, unless the
 * sink refused (and answered) already. */
static void form_refuse(struct body *b, enum form_result fr)
{
	struct req *r = b->r;
	if (!r->sink || fr == FORM_OK)
		return;
	if (fr == FORM_NO_FILE)
		r->sink->refuse(r, b->w, 422, _("Choose a file to upload."));
	else if (fr == FORM_TWO_FILES)
		r->sink->refuse(r, b->w, 400, _("Send one file per form."));
	else
		r->sink->refuse(r, b->w, 400, _("The form could not be read."));
}

void body_stream_open(struct body *b, struct req *r, struct resp *w)
{
	b->r = r;
	b->w = w;
	if (!r->sink || b->kind != READ_STREAM_FORM)
		return;
	b->form = arena_alloc(r->a, sizeof *b->form);
	if (form_upload_init(b->form, r->hdr_content_type,
			     r->upload_field ? r->upload_field : "file",
			     &upload_form_sink, b) != MP_OK) {
		b->form = NULL;
		r->sink->refuse(r, w, 415,
			_("Send the form with enctype=\"multipart/form-data\"."));
	}
}

void body_stream_feed(struct body *b, const char *data, size_t n)
{
	struct req *r = b->r;
	if (!r || !r->sink)
		return;   /* refused: the rest is dropped */
	if (b->form)
		form_refuse(b, form_upload_feed(b->form, data, n));
	else
		r->sink->data(r, b->w, data, n);
}

void body_stream_end(struct body *b)
{
	if (b->r && b->r->sink && b->form)
		form_refuse(b, form_upload_finish(b->form));
}
