/*
 * multipart.h - multipart/form-data (RFC 7578) as it streams in: a pure
 * state machine, no HTTP library, no I/O, no allocation.  The server
 * feeds it the body in whatever pieces the network delivers; the fuzzer
 * (fuzz/fuzz_multipart.c) feeds it pieces of sizes it chooses and checks
 * that the parts come out the same however the body is cut.
 *
 * Bounded: the boundary is at most 70 characters (RFC 2046), a part's
 * header block at most MP_HEADERS_MAX bytes, a field name, file name and
 * content type at most their MP_*_MAX; anything longer is refused as
 * malformed.  A part's body is passed on as it arrives (never held,
 * except the at most 74 bytes that might begin the next delimiter), so
 * a file of any size needs no more memory than sizeof(struct multipart).
 *
 * What is accepted: a preamble (ignored), parts each with a header block
 * whose Content-Disposition is form-data with a name (and possibly a
 * filename), the closing delimiter, an epilogue (ignored).  Header names
 * are case-insensitive; parameter values are tokens or quoted strings
 * (no backslash escapes: browsers percent-encode a quote in a file name,
 * and the name is kept as sent).  Not accepted: a part without a name,
 * a header line without a colon, a NUL byte in a header, folded header
 * lines, nested multipart bodies (passed on as bytes).
 *
 * Above it, struct form_upload reads the bidder's upload form (a "csrf"
 * field, then one file part) and hands the file's bytes to a sink; the
 * vault's upload route and the application's document form share it.
 */
#ifndef KAVEL_MULTIPART_H
#define KAVEL_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MP_BOUNDARY_MAX 70
#define MP_HEADERS_MAX 2048
#define MP_NAME_MAX 64
#define MP_FILENAME_MAX 1024
#define MP_CTYPE_MAX 128

struct mp_part {
	char name[MP_NAME_MAX + 1];
	char filename[MP_FILENAME_MAX + 1];
	bool has_filename;            /* filename="" counts: an empty file field */
	char content_type[MP_CTYPE_MAX + 1];   /* as sent; never trusted */
};

enum mp_event {
	MP_PART_BEGIN,                /* the part's headers are read: p is filled */
	MP_PART_DATA,                 /* n more bytes of its body (n >= 1) */
	MP_PART_END,                  /* its body is complete */
};

/* Called for every event; returns false to stop (mp_feed then answers
 * MP_STOPPED and refuses everything after). */
typedef bool (*mp_fn)(void *ctx, enum mp_event ev, const struct mp_part *p,
		      const char *data, size_t n);

enum mp_result {
	MP_OK = 0,
	MP_STOPPED = 1,               /* the callback said stop */
	MP_MALFORMED = -1,            /* m->why says how (an English msgid) */
};

struct multipart {
	char delim[4 + MP_BOUNDARY_MAX + 1];  /* "\r\n--" boundary */
	size_t dlen;
	int state;
	size_t match;                 /* delimiter bytes matched so far */
	int pad;                      /* white space after a delimiter */
	char hdr[MP_HEADERS_MAX];
	size_t hlen;
	struct mp_part part;
	mp_fn fn;
	void *ctx;
	const char *why;              /* the malformation, N_() msgid */
};

/* Reads the boundary from the request's Content-Type ("multipart/form-
 * data; boundary=...", quoted or not).  MP_MALFORMED (with m->why) when
 * it is not multipart/form-data or the boundary is missing or invalid. */
enum mp_result mp_init(struct multipart *m, const char *content_type,
		       mp_fn fn, void *ctx);
/* The next n bytes of the body.  After MP_STOPPED or MP_MALFORMED every
 * further call answers the same. */
enum mp_result mp_feed(struct multipart *m, const void *data, size_t n);
/* At the end of the body: MP_OK only when the closing delimiter came. */
enum mp_result mp_finish(struct multipart *m);

/* ---- file names (shared by every upload; a file's type is core/
 * validate.h's file_sniff, from its first bytes) ------------------------ */

/* The last part of a path a browser may send as a file name (after the
 * last '/' or '\\'); a pointer into name. */
const char *upload_base_name(const char *name);

/* ---- the upload form: "csrf", then one file part ---------------------- */

struct form_sink {
	/* The file part begins: the CSRF field as it came before the file
	 * ("" when missing, too long or repeated) and the file name as sent.
	 * false: refused (the sink has answered); nothing more is read. */
	bool (*begin)(void *ctx, const char *csrf, const char *filename);
	/* n more bytes of the file; false: refused, nothing more is read. */
	bool (*data)(void *ctx, const char *data, size_t n);
};

enum form_result {
	FORM_OK = 0,                  /* the file arrived whole */
	FORM_REFUSED,                 /* the sink refused (and answered) */
	FORM_MALFORMED,               /* not a readable multipart body */
	FORM_NO_FILE,                 /* the body ended without a file part */
	FORM_TWO_FILES,               /* a second file part */
};

struct form_upload {
	struct multipart mp;
	const char *file_field;       /* the file part's name, e.g. "file" */
	char csrf[128];
	size_t csrf_len;
	bool csrf_seen;
	bool csrf_bad;                /* too long, repeated or after the file */
	bool file_seen;
	enum form_result result;      /* FORM_OK while nothing went wrong */
	const struct form_sink *sink;
	void *ctx;
};

/* MP_MALFORMED (f->mp.why) for a Content-Type that is not multipart. */
enum mp_result form_upload_init(struct form_upload *f, const char *content_type,
				const char *file_field,
				const struct form_sink *sink, void *ctx);
/* The next piece of the body; the result so far (FORM_OK: go on). */
enum form_result form_upload_feed(struct form_upload *f, const void *data,
				  size_t n);
/* At the end of the body: FORM_OK when one whole file part came. */
enum form_result form_upload_finish(struct form_upload *f);

#endif
