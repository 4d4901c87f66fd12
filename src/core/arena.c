/*
 * arena.c - bump allocator in linked blocks; see arena.h for the rule.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (16 * 1024)

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		/* checksrc: allow CORE_IO the last word before abort() */
		fputs("kavel: out of memory\n", stderr);
		abort();
	}
	return p;
}

arena *arena_new(void)
{
	arena *a = xmalloc(sizeof *a);
	a->head = NULL;
	a->total = 0;
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);
	memset(p, 0, n);
	return p;
}

void *arena_grow(arena *a, void *items, int n, int *cap, size_t size, int first)
{
	if (n < *cap)
		return items;
	int more = *cap ? 2 * *cap : first;
	void *p = arena_alloc(a, (size_t)more * size);
	if (n)
		memcpy(p, items, (size_t)n * size);
	*cap = more;
	return p;
}

void *arena_alloc_raw(arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n)
		abort();
	struct block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = xmalloc(sizeof *b + size);
		b->size = size;
		b->used = 0;
		/* A large one-off block goes behind the head so the head's
		 * free space is not wasted. */
		if (a->head && need > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	/* Most results are short: one pass into a stack buffer, and a
	 * second pass only for a longer one. */
	va_list cp;
	char buf[256];
	va_copy(cp, ap);
	int n = vsnprintf(buf, sizeof buf, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof buf)
		return arena_strndup(a, buf, (size_t)n);
	char *p = arena_alloc_raw(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_cat(arena *a, const char *s, const char *t)
{
	size_t n = s ? strlen(s) : 0, m = t ? strlen(t) : 0;
	char *p = arena_alloc_raw(a, n + m + 1);
	if (n)
		memcpy(p, s, n);
	if (m)
		memcpy(p + n, t, m);
	p[n + m] = 0;
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const arena *a)
{
	return a->total;
}

void sbuf_init(sbuf *b, arena *a, size_t max)
{
	b->a = a;
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->overflow = 0;
}

int sbuf_reserve(sbuf *b, size_t extra)
{
	if (b->len + extra + 1 > b->max || b->len + extra < b->len) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	char *p = arena_alloc_raw(b->a, cap);
	if (b->len)
		memcpy(p, b->p, b->len);
	b->p = p;
	b->cap = cap;
	return 0;
}

int sbuf_puts(sbuf *b, const char *s)
{
	return sbuf_add(b, s, strlen(s));
}

int sbuf_vprintf(sbuf *b, const char *fmt, va_list ap)
{
	va_list cp;
	char probe[1];
	va_copy(cp, ap);
	int n = vsnprintf(probe, sizeof probe, fmt, cp);
	va_end(cp);
	if (n < 0 || sbuf_reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sbuf_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = sbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

const char *sbuf_str(const sbuf *b)
{
	return b->p ? b->p : "";
}
