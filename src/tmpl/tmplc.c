/*
 * tmplc.c - the template compiler's command, run by the build:
 *
 *   tmplc OUT.h OUT.c TEMPLATE.tmpl...     C for the templates
 *   tmplc --strings OUT.c TEMPLATE.tmpl... their strings, for xgettext
 *
 * A refused template fails the build with "path:line: message".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tmpl.h"

/* The whole file in a, NUL-terminated; NULL with a message on stderr. */
static char *slurp(arena *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "tmplc: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	sbuf b;
	sbuf_init(&b, a, (size_t)16 << 20);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (sbuf_add(&b, buf, n) < 0)
			break;
	int bad = ferror(f) || b.overflow;
	fclose(f);
	if (bad) {
		fprintf(stderr, "tmplc: %s: cannot read it whole (at most 16 MiB)\n", path);
		return NULL;
	}
	if (strlen(sbuf_str(&b)) != b.len) {
		fprintf(stderr, "tmplc: %s: a NUL byte in a template\n", path);
		return NULL;
	}
	return (char *)sbuf_str(&b);
}

static int write_file(const char *path, const sbuf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->p ? b->p : "", 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "tmplc: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool strings = argc > 1 && strcmp(argv[1], "--strings") == 0;
	int first = 3;
	if (strings ? argc < 3 : argc < 4) {
		fputs("usage: tmplc OUT.h OUT.c TEMPLATE.tmpl...\n"
		      "       tmplc --strings OUT.c TEMPLATE.tmpl...\n", stderr);
		return 2;
	}
	arena *a = arena_new();
	int n = argc - first;
	struct tmpl_file *files = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *files);
	for (int i = 0; i < n; i++) {
		files[i].path = argv[first + i];
		files[i].text = slurp(a, argv[first + i]);
		if (!files[i].text) {
			arena_free(a);
			return 1;
		}
	}
	char err[700];
	int rc;
	if (strings) {
		sbuf out;
		sbuf_init(&out, a, (size_t)64 << 20);
		rc = tmpl_strings(a, files, n, &out, err, sizeof err);
		if (rc == 0)
			rc = write_file(argv[2], &out);
		else
			fprintf(stderr, "%s\n", err);
	} else {
		sbuf h, c;
		sbuf_init(&h, a, (size_t)64 << 20);
		sbuf_init(&c, a, (size_t)64 << 20);
		const char *hname = strrchr(argv[1], '/');
		hname = hname ? hname + 1 : argv[1];
		rc = tmpl_compile(a, files, n, hname, &h, &c, err, sizeof err);
		if (rc == 0)
			rc = write_file(argv[1], &h) || write_file(argv[2], &c) ? -1 : 0;
		else
			fprintf(stderr, "%s\n", err);
	}
	arena_free(a);
	return rc == 0 ? 0 : 1;
}
