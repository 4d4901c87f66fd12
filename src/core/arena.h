/*
 * arena.h - the one memory rule of Kavel.
 *
 * Everything a request (or one CLI command) allocates comes from one arena and
 * is released at once by arena_free() when the request ends.  Code never frees
 * piecemeal.  Functions that take an `arena *` put their results in it; the
 * caller owns the arena.  Long-lived objects (the server, the store, the
 * calendar) are created by an _open or _new function and released by the
 * matching _close or _free; nothing else returns memory the caller must free.
 *
 * Allocation failure aborts the process (as Redis' zmalloc does): a server that
 * cannot allocate 64 KiB cannot do anything useful, and NULL checks after every
 * allocation hide real errors.
 */
#ifndef KAVEL_ARENA_H
#define KAVEL_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct arena arena;

arena *arena_new(void);                 /* caller releases with arena_free */
void arena_free(arena *a);              /* releases every allocation; NULL ok */
void *arena_alloc(arena *a, size_t n);  /* zeroed, 16-byte aligned */
void *arena_alloc_raw(arena *a, size_t n);  /* the same, not zeroed */
char *arena_strdup(arena *a, const char *s);        /* NULL -> NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
/* s followed by t (NULL reads as ""), without a format to parse. */
char *arena_cat(arena *a, const char *s, const char *t);
size_t arena_used(const arena *a);      /* bytes handed out, for tests */
/* A growing array of n elements of size bytes with *cap slots: returns
 * items when a slot is free, else a copy in a block twice as large (first
 * slots when empty; *cap updated; the old block stays until arena_free). */
void *arena_grow(arena *a, void *items, int n, int *cap, size_t size, int first);

/*
 * sbuf - a growable string in an arena, with a size cap fixed at creation
 * (as curl's dynbuf) so no input can grow it without bound.  Appends past
 * the cap fail and set `overflow`; the content stays NUL-terminated.
 */
typedef struct sbuf {
	arena *a;
	char *p;
	size_t len, cap, max;
	int overflow;
} sbuf;

void sbuf_init(sbuf *b, arena *a, size_t max);
int sbuf_reserve(sbuf *b, size_t extra);          /* room for extra more */
int sbuf_puts(sbuf *b, const char *s);
int sbuf_printf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sbuf_vprintf(sbuf *b, const char *fmt, va_list ap);
const char *sbuf_str(const sbuf *b);               /* never NULL */

/* Appends n bytes of s: 0 ok, -1 over the cap (nothing appended).  Inline:
 * a page is thousands of short appends, and the room is nearly always
 * there already (cap never exceeds max, so the one test covers both). */
static inline __attribute__((always_inline)) int sbuf_add(sbuf *b, const char *s, size_t n)
{
	if (n >= b->cap - b->len && sbuf_reserve(b, n) < 0)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

#endif
