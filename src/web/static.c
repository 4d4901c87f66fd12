/*
 * static.c - the static assets (see static.h).  Read at start, before the
 * daemon's threads exist; afterwards only read, so no lock.
 */
#include <stdio.h>
#include <string.h>

#include "static.h"

static const char *ctype_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
	if (strcmp(dot, ".png") == 0) return "image/png";
	if (strcmp(dot, ".ico") == 0) return "image/x-icon";
	return "application/octet-stream";
}

void static_load(struct statics *s, arena *a, const char *dir)
{
	static const char *names[] = {"kavel.css", "kavel.js", "favicon.svg"};
	for (size_t i = 0; i < sizeof names / sizeof *names && s->n < STATIC_FILES_MAX; i++) {
		char path[4096 + 80];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "kavel: static asset %s missing\n", path);
			continue;
		}
		struct static_file *sf = &s->files[s->n];
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		sf->data = arena_alloc_raw(a, len > 0 ? (size_t)len : 1);
		sf->len = len > 0 ? fread(sf->data, 1, (size_t)len, f) : 0;
		fclose(f);
		snprintf(sf->name, sizeof sf->name, "%s", names[i]);
		sf->ctype = ctype_of(names[i]);
		s->n++;
	}
}

bool static_serve(const struct statics *s, const char *path, struct resp *w)
{
	if (strncmp(path, "/static/", 8) != 0)
		return false;
	for (int i = 0; i < s->n; i++) {
		if (strcmp(s->files[i].name, path + 8) == 0) {
			sbuf_add(&w->body, s->files[i].data, s->files[i].len);
			w->content_type = s->files[i].ctype;
			w->cacheable = true;
			w->status = 200;
			return true;
		}
	}
	return false;
}
