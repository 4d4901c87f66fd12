/*
 * body.h - the one reader of request bodies (body.c), in the way the
 * router chose from the route's row (router.h, enum body_read):
 *
 *   READ_DISCARD      counted and dropped (413 past BODY_MAX)
 *   READ_FORM         buffered up to BODY_MAX, then urlencoded fields or a
 *                     multipart form (multipart.h) into req->params, file
 *                     parts also into req->files; 400 when unreadable
 *   READ_JSON         buffered up to BODY_MAX, then a JSON object into
 *                     req->json; 415 without application/json, 400 when it
 *                     is not an object
 *   READ_FILES        as READ_FORM, but buffered up to DOCUMENT_FORM_MAX,
 *                     and a longer multipart body is read as far as it was
 *                     kept (req->body_cut) for the handler to refuse
 *   READ_STREAM_FORM  never buffered: a multipart form (multipart.h's
 *                     form_upload), its "csrf" field checked before the
 *                     file part, whose bytes go to req->sink as they come
 *   READ_STREAM_RAW   never buffered: every piece to req->sink
 *
 * Memory: the buffered kinds hold the body in the request's arena (and
 * the fields and files copied out of it); the streamed kinds hold only
 * the form parser (about 3 KiB).
 */
#ifndef KAVEL_BODY_H
#define KAVEL_BODY_H

#include "router.h"
#include "web.h"

#define BODY_MAX (1024 * 1024)     /* forms and JSON */
#define REQ_PARAMS_MAX 1024        /* query and form fields of a request */

struct body {
	enum body_read kind;
	sbuf buf;                  /* the buffered kinds */
	size_t seen;               /* READ_DISCARD: bytes that came */
	bool too_big;              /* more came than the kind keeps */
	/* the streamed kinds, once open */
	struct req *r;
	struct resp *w;
	struct form_upload *form;  /* READ_STREAM_FORM */
};

void body_init(struct body *b, arena *a, enum body_read kind);
bool body_streamed(const struct body *b);

/* A buffered kind: n more bytes as they arrive. */
void body_add(struct body *b, const char *data, size_t n);
/* After the last byte: the body into r (fields, files, JSON).  false:
 * refused, answered in w. */
bool body_parse(struct body *b, struct req *r, struct resp *w);

/* A streamed kind, once the route's handler has set r->sink (nothing
 * happens without one: a refused request's body is dropped). */
void body_stream_open(struct body *b, struct req *r, struct resp *w);
void body_stream_feed(struct body *b, const char *data, size_t n);
/* After the last byte, before r->sink->finish: a form that did not
 * bring its file whole is refused here. */
void body_stream_end(struct body *b);

/* Adds a query or form field to r->params, growing the array in the
 * request's arena; past REQ_PARAMS_MAX it keeps nothing and sets
 * r->params_over, so that the request is refused, never half read.
 * Returns the field's index, or -1. */
int req_param_add(struct req *r, const char *key, const char *value,
		  size_t len, const char *filename);

#endif
