/*
 * test_arena.c - the arena and sbuf of src/core/arena.c: alignment,
 * zeroing, large allocations, the string helpers and the size cap of sbuf.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "tap.h"

static int aligned(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static char *vp(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

static int sb_vprintf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = sbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

static void test_alloc(void)
{
	arena *a = arena_new();
	CHECK(a != NULL, "arena_new");
	CHECK(arena_used(a) == 0, "a new arena has used nothing");

	int all_aligned = 1, zeroed = 1, distinct = 1;
	unsigned char *prev = NULL;
	size_t sizes[] = {1, 3, 15, 16, 17, 31, 100, 1000, 4095, 7};
	for (int round = 0; round < 50; round++)
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			unsigned char *p = arena_alloc(a, sizes[i]);
			all_aligned &= aligned(p);
			zeroed &= all_zero(p, sizes[i]);
			distinct &= p != prev;
			memset(p, 0xab, sizes[i]); /* must not hurt others */
			prev = p;
		}
	CHECK(all_aligned, "every allocation is 16-byte aligned");
	CHECK(zeroed, "every allocation is zeroed");
	CHECK(distinct, "allocations are distinct");
	CHECK(arena_used(a) >= 50 * (1 + 3 + 15 + 16 + 17 + 31 + 100 + 1000 +
				     4095 + 7),
	      "arena_used counts what was handed out (%zu)", arena_used(a));

	/* Objects placed one after the other do not overlap. */
	int *x = arena_alloc(a, sizeof *x), *y = arena_alloc(a, sizeof *y);
	*x = 1;
	*y = 2;
	CHECK(*x == 1 && *y == 2 && (char *)y - (char *)x >= 16,
	      "neighbours keep their values");

	/* Larger than a block (16 KiB), and a small one after it. */
	size_t big = 1u << 20;
	unsigned char *b = arena_alloc(a, big);
	CHECK(b && aligned(b) && all_zero(b, big),
	      "a 1 MiB allocation is aligned and zeroed");
	memset(b, 0xcd, big);
	unsigned char *s = arena_alloc(a, 32);
	CHECK(aligned(s) && all_zero(s, 32) && (s + 32 <= b || s >= b + big),
	      "a small allocation after a large one lies outside it");
	unsigned char *b2 = arena_alloc(a, 16 * 1024 + 1);
	CHECK(aligned(b2) && all_zero(b2, 16 * 1024 + 1),
	      "an allocation just over a block");
	CHECK(b[big - 1] == 0xcd && b[0] == 0xcd,
	      "the large block kept its content");
	void *z = arena_alloc(a, 0);
	CHECK(z != NULL && aligned(z), "a zero-byte allocation is a pointer");
	arena_free(a);
	arena_free(NULL);
	CHECK(1, "arena_free(NULL) is harmless");
}

static void test_strings(void)
{
	arena *a = arena_new();
	CHECK(arena_strdup(a, NULL) == NULL, "strdup(NULL) is NULL");
	CHECK(arena_strndup(a, NULL, 3) == NULL, "strndup(NULL) is NULL");
	const char *src = "Gemeente Utrecht";
	char *d = arena_strdup(a, src);
	CHECK_STR(d, src, "strdup copies");
	CHECK(d != src, "strdup makes a copy");
	CHECK_STR(arena_strndup(a, src, 8), "Gemeente", "strndup cuts");
	CHECK_STR(arena_strndup(a, "ab", 0), "", "strndup of 0 bytes");
	CHECK_STR(arena_strdup(a, ""), "", "strdup of empty");
	CHECK_STR(arena_printf(a, "%s %d %05.1f", "x", 42, 3.14159),
		  "x 42 003.1", "printf formats");
	CHECK_STR(vp(a, "%c%c%c", 'a', 'b', 'c'), "abc", "vprintf formats");
	CHECK_STR(arena_printf(a, "%s", ""), "", "printf of empty");
	/* Longer than a block. */
	char *big = arena_printf(a, "%40000d|", 7);
	CHECK(big && strlen(big) == 40001 && big[39999] == '7' &&
		  big[40000] == '|',
	      "printf of 40001 characters");
	/* The source string may come from the arena itself. */
	char *again = arena_printf(a, "[%s]", d);
	CHECK_STR(again, "[Gemeente Utrecht]", "printf of an arena string");
	CHECK_STR(arena_cat(a, "/procedures/1", "/move"), "/procedures/1/move", "cat joins");
	CHECK_STR(arena_cat(a, NULL, "x"), "x", "cat: NULL first reads as empty");
	CHECK_STR(arena_cat(a, "x", NULL), "x", "cat: NULL second reads as empty");
	CHECK_STR(arena_cat(a, "", ""), "", "cat of two empty strings");
	arena_free(a);
}

static void test_sbuf(void)
{
	arena *a = arena_new();
	sbuf b;
	sbuf_init(&b, a, 11);
	CHECK_STR(sbuf_str(&b), "", "a new sbuf reads as \"\"");
	CHECK(b.len == 0 && !b.overflow, "a new sbuf is empty");
	/* CHECK evaluates its condition twice: side effects go first. */
	int r = sbuf_puts(&b, "hello");
	CHECK(r == 0, "puts within the cap");
	r = sbuf_add(&b, "world!", 5);
	CHECK(r == 0, "add exactly up to the cap");
	CHECK_STR(sbuf_str(&b), "helloworld",
		  "10 bytes and the NUL fill a cap of 11");
	CHECK(!b.overflow, "no overflow yet");
	r = sbuf_puts(&b, "x");
	CHECK(r == -1, "one byte more is refused");
	CHECK(b.overflow == 1, "overflow is set");
	CHECK_STR(sbuf_str(&b), "helloworld", "content stays as it was");
	CHECK(b.len == 10, "length stays as it was");
	r = sbuf_printf(&b, "%d", 1);
	CHECK(r == -1, "printf past the cap refused");
	r = sbuf_puts(&b, "");
	CHECK(r == 0 && b.len == 10, "an empty append still fits");

	sbuf c;
	sbuf_init(&c, a, 1 << 16);
	int fails = 0;
	for (int i = 0; i < 1000; i++)
		fails += sbuf_printf(&c, "%04d,", i) != 0;
	CHECK(fails == 0 && c.len == 5000, "grows past its first 256 bytes");
	CHECK(strncmp(sbuf_str(&c), "0000,0001,", 10) == 0 &&
		  strcmp(sbuf_str(&c) + 4995, "0999,") == 0,
	      "keeps everything while growing");
	r = sb_vprintf(&c, "%s", "!");
	CHECK(r == 0 && c.len == 5001 && c.p[c.len - 1] == '!',
	      "vprintf appends");

	sbuf d;
	sbuf_init(&d, a, 100);
	r = sbuf_printf(&d, "%200s", "x");
	CHECK(r == -1 && d.overflow && d.len == 0,
	      "a printf larger than the cap is refused whole");
	r = sbuf_add(&d, "abc", 3);
	CHECK(r == 0, "a later small append fits");
	CHECK_STR(sbuf_str(&d), "abc", "and is kept");
	CHECK(d.overflow == 1, "overflow stays set once set");

	sbuf z;
	sbuf_init(&z, a, 0);
	r = sbuf_puts(&z, "");
	CHECK(r == -1 && z.overflow, "a cap of 0 holds not even the NUL");
	CHECK_STR(sbuf_str(&z), "", "and still reads as \"\"");
	arena_free(a);
}

static void test_grow(void)
{
	arena *a = arena_new();
	int *v = NULL, n = 0, cap = 0, copies = 0;
	for (int i = 0; i < 1000; i++) {
		int *before = v;
		v = arena_grow(a, v, n, &cap, sizeof *v, 4);
		copies += v != before;
		v[n++] = i * 7;
	}
	int same = 1;
	for (int i = 0; i < n; i++)
		same &= v[i] == i * 7;
	CHECK(cap == 1024, "arena_grow: 1000 elements in %d slots (4 doubled)", cap);
	CHECK(copies == 9, "arena_grow: %d blocks for 1000 (4, 8, ... 1024: 9)", copies);
	CHECK(same, "arena_grow: every element kept through the copies");
	int c2 = 8;
	int *w = arena_alloc(a, 8 * sizeof *w);
	CHECK(arena_grow(a, w, 3, &c2, sizeof *w, 4) == w && c2 == 8, "arena_grow: room left, the same block");
	arena_free(a);
}

int main(void)
{
	test_alloc();
	test_grow();
	test_strings();
	test_sbuf();
	return tap_done();
}
