/*
 * fuzz_tmpl.c - libFuzzer target for the template compiler (src/tmpl).
 *
 * The input is up to four template sources separated by a NUL byte; they
 * are compiled together as t0.tmpl, t1.tmpl, ... (so they may include
 * each other).  Checked, besides no crash and no sanitizer report:
 *   - the compiler answers 0 with a header and a source, or -1 with one
 *     message "tN.tmpl:LINE: what" naming one of the files and a line
 *     that file has (a build error a person can act on);
 *   - it is deterministic: a second compile, in a fresh arena, gives the
 *     same bytes or the same message;
 *   - a set it compiles also gives its translatable strings (the
 *     extraction reads the same language).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILES_MAX 4
#define OUT_MAX ((size_t)8 << 20)

struct result {
	int rc;
	char err[700];
	char *h, *c;
	size_t hlen, clen;
};

static int lines_of(const char *s)
{
	int n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Compiles into r; h and c are copied out with malloc (the arena goes). */
static void compile(const struct tmpl_file *files, int n, struct result *r)
{
	arena *a = arena_new();
	sbuf h, c;
	sbuf_init(&h, a, OUT_MAX);
	sbuf_init(&c, a, OUT_MAX);
	memset(r, 0, sizeof *r);
	r->rc = tmpl_compile(a, files, n, "fuzz_templates.h", &h, &c, r->err, sizeof r->err);
	if (r->rc == 0) {
		r->hlen = h.len;
		r->clen = c.len;
		r->h = malloc(h.len + 1);
		r->c = malloc(c.len + 1);
		memcpy(r->h, sbuf_str(&h), h.len + 1);
		memcpy(r->c, sbuf_str(&c), c.len + 1);
	}
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Split at NUL bytes into NUL-terminated sources. */
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = 0;
	struct tmpl_file files[FILES_MAX];
	char paths[FILES_MAX][16];
	int n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= size && n < FILES_MAX; i++) {
		if (i == size || buf[i] == 0) {
			buf[i] = 0;
			snprintf(paths[n], sizeof paths[n], "t%d.tmpl", n);
			files[n].path = paths[n];
			files[n].text = buf + start;
			n++;
			start = i + 1;
		}
	}

	struct result one, two;
	compile(files, n, &one);
	compile(files, n, &two);
	if (one.rc != 0 && one.rc != -1)
		abort();
	if (one.rc != two.rc || strcmp(one.err, two.err) != 0)
		abort();                       /* not deterministic */
	if (one.rc == 0) {
		if (one.hlen == 0 || one.clen == 0)
			abort();
		if (one.hlen != two.hlen || one.clen != two.clen ||
		    memcmp(one.h, two.h, one.hlen) != 0 || memcmp(one.c, two.c, one.clen) != 0)
			abort();
		arena *a = arena_new();
		sbuf s;
		sbuf_init(&s, a, OUT_MAX);
		char err[700];
		if (tmpl_strings(a, files, n, &s, err, sizeof err) != 0)
			abort();               /* compiled, yet no strings */
		arena_free(a);
	} else {
		/* "tN.tmpl:LINE: message" */
		int file = -1, line = -1, used = 0;
		if (sscanf(one.err, "t%d.tmpl:%d: %n", &file, &line, &used) != 2 || used == 0)
			abort();
		if (file < 0 || file >= n || line < 1 || line > lines_of(files[file].text) + 1)
			abort();
		if (one.err[used] == 0)
			abort();               /* no message */
	}
	free(one.h);
	free(one.c);
	free(two.h);
	free(two.c);
	free(buf);
	return 0;
}
