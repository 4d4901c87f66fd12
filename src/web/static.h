/*
 * static.h - the static assets (CSS, JS, icon): read once at start from
 * the static directory into the server's arena, served from memory with
 * a cache lifetime (static.c).
 */
#ifndef KAVEL_STATIC_H
#define KAVEL_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "web.h"

#define STATIC_FILES_MAX 16

struct static_file {
	char name[64];
	const char *ctype;
	char *data;
	size_t len;
};

struct statics {
	struct static_file files[STATIC_FILES_MAX];
	int n;
};

/* Reads the assets Kavel serves from dir into a (the server's arena); a
 * missing one is named on stderr and answers 404. */
void static_load(struct statics *s, arena *a, const char *dir);
/* GET /static/NAME: the asset into w (true), or false when path is not
 * one of them. */
bool static_serve(const struct statics *s, const char *path, struct resp *w);

#endif
