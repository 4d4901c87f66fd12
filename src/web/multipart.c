/*
 * multipart.c - multipart/form-data as a streaming state machine, and the
 * upload form on top of it; see multipart.h.
 *
 * The delimiter is "\r\n--" boundary; the body is read as if it began
 * with "\r\n", so a first delimiter without the line break matches too.
 * A boundary holds no CR (RFC 2046's bchars), so when a partial match
 * fails, none of the bytes matched so far can begin another match: they
 * are passed on as data (they are the delimiter's own first bytes, so
 * nothing is buffered) and the failing byte is looked at afresh.
 */
#include "multipart.h"

#include <string.h>
#include <strings.h>

#include "core/error.h"

enum {
	S_PREAMBLE,      /* before the first delimiter: ignored */
	S_DELIM_TAIL,    /* after a delimiter: "--", white space, CR */
	S_CLOSE_DASH,    /* "-" seen: the second "-" closes the body */
	S_DELIM_LF,      /* CR seen after a delimiter: LF begins a part */
	S_HEADERS,       /* a part's header block */
	S_DATA,          /* a part's body */
	S_EPILOGUE,      /* after the closing delimiter: ignored */
	S_STOPPED,       /* the callback said stop */
	S_BAD,           /* malformed */
};

#define PAD_MAX 64       /* white space allowed after a delimiter */

static enum mp_result bad(struct multipart *m, const char *why)
{
	m->state = S_BAD;
	m->why = why;
	return MP_MALFORMED;
}

static bool bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

static bool lws(char c)
{
	return c == ' ' || c == '\t';
}

/* A header parameter's value at *s (a token or a quoted string) into out
 * (cap bytes with its NUL); advances *s.  false when malformed or too
 * long. */
static bool param_value(const char **s, const char *end, char *out, size_t cap)
{
	const char *p = *s;
	size_t n = 0;
	if (p < end && *p == '"') {
		p++;
		while (p < end && *p != '"') {
			if (n + 1 >= cap)
				return false;
			out[n++] = *p++;
		}
		if (p >= end)
			return false;
		p++;
	} else {
		while (p < end && *p != ';' && !lws(*p)) {
			if (*p == '"' || n + 1 >= cap)
				return false;
			out[n++] = *p++;
		}
	}
	out[n] = 0;
	*s = p;
	return true;
}

/* The boundary parameter of a Content-Type. */
enum mp_result mp_init(struct multipart *m, const char *ctype, mp_fn fn,
		       void *ctx)
{
	memset(m, 0, sizeof *m);
	m->fn = fn;
	m->ctx = ctx;
	static const char kind[] = "multipart/form-data";
	if (!ctype || strncasecmp(ctype, kind, sizeof kind - 1) != 0)
		return bad(m, N_("The form is not multipart/form-data."));
	const char *s = ctype + sizeof kind - 1, *end = s + strlen(s);
	char b[MP_BOUNDARY_MAX + 2];
	bool found = false;
	while (s < end) {
		while (s < end && lws(*s))
			s++;
		if (s == end)
			break;
		if (*s != ';')
			return bad(m, N_("The form's Content-Type is malformed."));
		s++;
		while (s < end && lws(*s))
			s++;
		const char *name = s;
		while (s < end && *s != '=' && *s != ';' && !lws(*s))
			s++;
		size_t nlen = (size_t)(s - name);
		if (s >= end || *s != '=')
			return bad(m, N_("The form's Content-Type is malformed."));
		s++;
		char v[MP_BOUNDARY_MAX + 2];
		if (!param_value(&s, end, v, sizeof v))
			return bad(m, N_("The form's boundary is too long or malformed."));
		if (nlen == 8 && strncasecmp(name, "boundary", 8) == 0) {
			if (found)
				return bad(m, N_("The form names two boundaries."));
			found = true;
			memcpy(b, v, sizeof b);
		}
	}
	if (!found)
		return bad(m, N_("The form's Content-Type has no boundary."));
	size_t blen = strlen(b);
	if (blen < 1 || blen > MP_BOUNDARY_MAX || b[blen - 1] == ' ')
		return bad(m, N_("The form's boundary is too long or malformed."));
	for (size_t i = 0; i < blen; i++)
		if (!bchar((unsigned char)b[i]))
			return bad(m, N_("The form's boundary is too long or malformed."));
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, b, blen + 1);
	m->dlen = 4 + blen;
	m->state = S_PREAMBLE;
	m->match = 2;   /* the body may begin with "--" boundary */
	return MP_OK;
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static enum mp_result disposition(struct multipart *m, const char *s,
				  const char *end)
{
	struct mp_part *p = &m->part;
	static const char fd[] = "form-data";
	if ((size_t)(end - s) < sizeof fd - 1 ||
	    strncasecmp(s, fd, sizeof fd - 1) != 0)
		return bad(m, N_("A part of the form is not form-data."));
	s += sizeof fd - 1;
	bool has_name = false;
	while (s < end) {
		while (s < end && lws(*s))
			s++;
		if (s == end)
			break;
		if (*s != ';')
			return bad(m, N_("A part's Content-Disposition is malformed."));
		s++;
		while (s < end && lws(*s))
			s++;
		const char *name = s;
		while (s < end && *s != '=' && *s != ';' && !lws(*s))
			s++;
		size_t nlen = (size_t)(s - name);
		while (s < end && lws(*s))
			s++;
		if (s >= end || *s != '=')
			return bad(m, N_("A part's Content-Disposition is malformed."));
		s++;
		while (s < end && lws(*s))
			s++;
		if (nlen == 4 && strncasecmp(name, "name", 4) == 0) {
			if (has_name)
				return bad(m, N_("A part of the form has two names."));
			has_name = true;
			if (!param_value(&s, end, p->name, sizeof p->name))
				return bad(m, N_("A part's name is too long or malformed."));
		} else if (nlen == 8 && strncasecmp(name, "filename", 8) == 0) {
			if (p->has_filename)
				return bad(m, N_("A part of the form has two file names."));
			p->has_filename = true;
			if (!param_value(&s, end, p->filename, sizeof p->filename))
				return bad(m, N_("A file name is too long or malformed."));
		} else {
			char skip[MP_FILENAME_MAX + 1];
			if (!param_value(&s, end, skip, sizeof skip))
				return bad(m, N_("A part's Content-Disposition is malformed."));
		}
	}
	if (!has_name || !p->name[0])
		return bad(m, N_("A part of the form has no name."));
	return MP_OK;
}

/* The header block in m->hdr (hlen bytes, ending in an empty line). */
static enum mp_result headers(struct multipart *m)
{
	memset(&m->part, 0, sizeof m->part);
	if (memchr(m->hdr, 0, m->hlen))
		return bad(m, N_("A part's headers contain a NUL byte."));
	bool has_disp = false;
	const char *s = m->hdr, *end = m->hdr + m->hlen;
	while (s < end) {
		const char *eol = s;
		while (eol + 1 < end && !(eol[0] == '\r' && eol[1] == '\n'))
			eol++;
		if (eol + 1 >= end)
			return bad(m, N_("A part's headers are malformed."));
		if (eol == s)
			break;   /* the empty line */
		if (lws(*s))
			return bad(m, N_("A part's headers are folded; that is not supported."));
		const char *colon = memchr(s, ':', (size_t)(eol - s));
		if (!colon)
			return bad(m, N_("A part's header line has no colon."));
		size_t nlen = (size_t)(colon - s);
		while (nlen && lws(s[nlen - 1]))
			nlen--;
		const char *v = colon + 1, *vend = eol;
		while (v < vend && lws(*v))
			v++;
		while (vend > v && lws(vend[-1]))
			vend--;
		if (nlen == 19 && strncasecmp(s, "Content-Disposition", 19) == 0) {
			if (has_disp)
				return bad(m, N_("A part has two Content-Disposition headers."));
			has_disp = true;
			enum mp_result rc = disposition(m, v, vend);
			if (rc != MP_OK)
				return rc;
		} else if (nlen == 12 && strncasecmp(s, "Content-Type", 12) == 0) {
			size_t n = (size_t)(vend - v);
			if (n > MP_CTYPE_MAX)
				return bad(m, N_("A part's Content-Type is too long."));
			memcpy(m->part.content_type, v, n);
			m->part.content_type[n] = 0;
		}
		s = eol + 2;
	}
	if (!has_disp)
		return bad(m, N_("A part of the form has no Content-Disposition."));
	return MP_OK;
}

static enum mp_result emit(struct multipart *m, enum mp_event ev,
			   const char *data, size_t n)
{
	if (ev == MP_PART_DATA && n == 0)
		return MP_OK;
	if (!m->fn(m->ctx, ev, &m->part, data, n)) {
		m->state = S_STOPPED;
		return MP_STOPPED;
	}
	return MP_OK;
}

enum mp_result mp_feed(struct multipart *m, const void *data, size_t n)
{
	const char *p = data;
	size_t i = 0;
	enum mp_result rc = MP_OK;
	while (i < n) {
		switch (m->state) {
		case S_PREAMBLE:
		case S_DATA: {
			/* Runs of data between possible delimiters. */
			bool keep = m->state == S_DATA;
			size_t run = i;
			while (i < n) {
				char c = p[i];
				if (m->match) {
					if (c == m->delim[m->match]) {
						i++;
						run = i;
						if (++m->match == m->dlen)
							break;
						continue;
					}
					/* The bytes matched so far were data. */
					if (keep && (rc = emit(m, MP_PART_DATA, m->delim,
							       m->match)) != MP_OK)
						return rc;
					m->match = 0;
					run = i;
					continue;   /* c afresh */
				}
				if (c == '\r') {
					if (keep && (rc = emit(m, MP_PART_DATA, p + run,
							       i - run)) != MP_OK)
						return rc;
					m->match = 1;
					i++;
					run = i;
					continue;
				}
				i++;
			}
			if (m->match == m->dlen) {
				m->match = 0;
				if (keep && (rc = emit(m, MP_PART_END, NULL, 0)) != MP_OK)
					return rc;
				m->state = S_DELIM_TAIL;
				m->pad = 0;
			} else if (!m->match && keep &&
				   (rc = emit(m, MP_PART_DATA, p + run, i - run)) != MP_OK) {
				return rc;
			}
			break;
		}
		case S_DELIM_TAIL: {
			char c = p[i++];
			if (c == '-' && m->pad == 0)
				m->state = S_CLOSE_DASH;
			else if (lws(c) && ++m->pad <= PAD_MAX)
				;
			else if (c == '\r')
				m->state = S_DELIM_LF;
			else
				return bad(m, N_("A boundary of the form is followed by something else."));
			break;
		}
		case S_CLOSE_DASH:
			if (p[i++] != '-')
				return bad(m, N_("A boundary of the form is followed by something else."));
			m->state = S_EPILOGUE;
			break;
		case S_DELIM_LF:
			if (p[i++] != '\n')
				return bad(m, N_("A boundary of the form is followed by something else."));
			m->state = S_HEADERS;
			m->hlen = 0;
			break;
		case S_HEADERS: {
			if (m->hlen >= sizeof m->hdr)
				return bad(m, N_("A part's headers are too long."));
			m->hdr[m->hlen++] = p[i++];
			size_t h = m->hlen;
			bool done = (h == 2 && memcmp(m->hdr, "\r\n", 2) == 0) ||
				    (h >= 4 && memcmp(m->hdr + h - 4, "\r\n\r\n", 4) == 0);
			if (!done)
				break;
			if ((rc = headers(m)) != MP_OK)
				return rc;
			if ((rc = emit(m, MP_PART_BEGIN, NULL, 0)) != MP_OK)
				return rc;
			m->state = S_DATA;
			m->match = 0;
			break;
		}
		case S_EPILOGUE:
			return MP_OK;
		case S_STOPPED:
			return MP_STOPPED;
		default:
			return MP_MALFORMED;
		}
	}
	if (m->state == S_STOPPED)
		return MP_STOPPED;
	return m->state == S_BAD ? MP_MALFORMED : MP_OK;
}

enum mp_result mp_finish(struct multipart *m)
{
	if (m->state == S_EPILOGUE)
		return MP_OK;
	if (m->state == S_STOPPED)
		return MP_STOPPED;
	if (m->state == S_BAD)
		return MP_MALFORMED;
	return bad(m, N_("The form ended before its closing boundary."));
}

/* ---- file names ---------------------------------------------------------- */

const char *upload_base_name(const char *name)
{
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	return base;
}

/* ---- the upload form ------------------------------------------------------ */

static bool form_event(void *ctx, enum mp_event ev, const struct mp_part *p,
		       const char *data, size_t n)
{
	struct form_upload *f = ctx;
	bool is_file = strcmp(p->name, f->file_field) == 0;
	if (strcmp(p->name, "csrf") == 0 && !p->has_filename) {
		if (ev == MP_PART_BEGIN && (f->csrf_seen || f->file_seen))
			f->csrf_bad = true;   /* repeated, or after the file */
		f->csrf_seen = true;
		if (ev == MP_PART_DATA) {
			if (f->csrf_len + n >= sizeof f->csrf)
				f->csrf_bad = true;
			else {
				memcpy(f->csrf + f->csrf_len, data, n);
				f->csrf_len += n;
				f->csrf[f->csrf_len] = 0;
			}
		}
		return true;
	}
	if (!is_file)
		return true;   /* other fields are not read */
	switch (ev) {
	case MP_PART_BEGIN:
		if (f->file_seen) {
			f->result = FORM_TWO_FILES;
			return false;
		}
		f->file_seen = true;
		if (!f->sink->begin(f->ctx, f->csrf_bad ? "" : f->csrf,
				    p->has_filename ? p->filename : "")) {
			f->result = FORM_REFUSED;
			return false;
		}
		return true;
	case MP_PART_DATA:
		if (!f->sink->data(f->ctx, data, n)) {
			f->result = FORM_REFUSED;
			return false;
		}
		return true;
	case MP_PART_END:
		return true;
	}
	return true;
}

enum mp_result form_upload_init(struct form_upload *f, const char *ctype,
				const char *file_field,
				const struct form_sink *sink, void *ctx)
{
	memset(f, 0, sizeof *f);
	f->file_field = file_field;
	f->sink = sink;
	f->ctx = ctx;
	enum mp_result rc = mp_init(&f->mp, ctype, form_event, f);
	if (rc != MP_OK)
		f->result = FORM_MALFORMED;
	return rc;
}

enum form_result form_upload_feed(struct form_upload *f, const void *data,
				  size_t n)
{
	if (f->result != FORM_OK)
		return f->result;
	if (mp_feed(&f->mp, data, n) == MP_MALFORMED)
		f->result = FORM_MALFORMED;
	return f->result;
}

enum form_result form_upload_finish(struct form_upload *f)
{
	if (f->result != FORM_OK)
		return f->result;
	if (mp_finish(&f->mp) != MP_OK)
		f->result = FORM_MALFORMED;
	else if (!f->file_seen)
		f->result = FORM_NO_FILE;
	return f->result;
}
