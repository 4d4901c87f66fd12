/*
 * libmem.c - third-party allocators bound to the memory rule; see libmem.h.
 * This file and src/core/arena.c are the only ones in src/app and src/web
 * that call malloc or free (scripts/checksrc.py enforces it).
 */
#include "libmem.h"

#include <stdlib.h>

/*
 * A 16-byte header in front of every block jansson gets tells the two
 * sources apart: 'A' for the thread's arena, 'M' for malloc.  Sixteen keeps
 * the arena's alignment for what jansson stores behind it.
 */
#define JSON_HDR 16

static _Thread_local arena *json_arena;

static void *json_alloc(size_t n)
{
	unsigned char *p;
	if (n > (size_t)-1 - JSON_HDR)
		return NULL;
	if (json_arena) {
		p = arena_alloc_raw(json_arena, n + JSON_HDR);
		p[0] = 'A';
	} else {
		p = malloc(n + JSON_HDR);
		if (!p)
			return NULL;
		p[0] = 'M';
	}
	return p + JSON_HDR;
}

static void json_release(void *ptr)
{
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - JSON_HDR;
	if (p[0] == 'M')
		free(p);
}

void libmem_install(void)
{
	json_set_alloc_funcs(json_alloc, json_release);
}

void libmem_enter(arena *a)
{
	json_arena = a;
}

void libmem_leave(void)
{
	json_arena = NULL;
}

static int dump_to_sbuf(const char *buffer, size_t size, void *data)
{
	return sbuf_add(data, buffer, size);
}

char *libmem_json_text(arena *a, const json_t *j, size_t flags, size_t max)
{
	sbuf b;
	sbuf_init(&b, a, max);
	if (!j || json_dump_callback(j, dump_to_sbuf, &b, flags) != 0)
		return NULL;
	return (char *)sbuf_str(&b);
}
