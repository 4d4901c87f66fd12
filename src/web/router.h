/*
 * router.h - the route table at work (router.c): which row a request is,
 * how its body is read, the access check and the handler.
 *
 * Every URL is matched here and nowhere else.  A row of routes.c serves
 * its pattern (FACE_HTML) and /api/v1 followed by its pattern (FACE_API).
 * The router is asked twice per request: when its headers have arrived
 * (router_lookup, router_body_read: before the first byte of the body),
 * and when the body has been read, or for a streamed body when its first
 * bytes arrive (router_dispatch).
 */
#ifndef KAVEL_ROUTER_H
#define KAVEL_ROUTER_H

#include "web.h"

/* How the body is read (body.c): a route's body kind on its face. */
enum body_read {
	READ_DISCARD,      /* counted, not kept: nothing reads it */
	READ_FORM,         /* urlencoded or multipart fields, at most BODY_MAX */
	READ_JSON,         /* a JSON object, at most BODY_MAX */
	READ_FILES,        /* a multipart form up to DOCUMENT_FORM_MAX, cut past it */
	READ_STREAM_FORM,  /* a multipart form streamed to req->sink */
	READ_STREAM_RAW,   /* raw bytes streamed to req->sink */
};

struct route_match {
	const struct route *rt;    /* NULL: no row has this method and path */
	bool path_known;           /* a row has this path, with another method */
	int64_t ids[4];            /* the path's numeric segments */
	int n_ids;
};

/* The row for method and url (the path, without the query). */
void router_lookup(const char *method, const char *url, struct route_match *m);
/* How that request's body is read.  No row: a form (JSON under /api/),
 * read as before routing so that a refusal of the body comes first. */
enum body_read router_body_read(const struct route_match *m,
				const char *method, const char *url);
/* With the body read, the store at hand and the session loaded: 404 or
 * 405 without a row; else the CSRF check (not for a GET, nor for a
 * streamed form, whose token comes in the body: req->csrf_in_body), the
 * row's access rule, and its handler.  A refusal is drawn before it
 * returns. */
void router_dispatch(struct req *r, struct resp *w, const struct route_match *m);
/* Draws a refusal that resp_error recorded and nothing has drawn yet
 * (a page, or the JSON with the status the response finally carries);
 * called once more just before the response is sent. */
void router_answer(struct req *r, struct resp *w);

#endif
