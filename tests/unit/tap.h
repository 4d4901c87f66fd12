/*
 * tap.h - a tiny TAP producer for the unit tests (meson runs them with
 * protocol: 'tap').  Each CHECK is one test point; a failing one prints
 * the expression, file and line.  Include once per test program.
 */
#ifndef KAVEL_TAP_H
#define KAVEL_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		int c_ = (cond) ? 1 : 0;                                     \
		tap_n++;                                                     \
		if (c_) {                                                    \
			printf("ok %d - ", tap_n);                           \
		} else {                                                     \
			tap_failed++;                                        \
			printf("not ok %d - ", tap_n);                       \
		}                                                            \
		printf(__VA_ARGS__);                                         \
		if (!c_)                                                     \
			printf("  # %s:%d: %s", __FILE__, __LINE__, #cond);  \
		printf("\n");                                                \
	} while (0)

#define CHECK_STR(got, want, ...)                                            \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		int ok_ = g_ && w_ && strcmp(g_, w_) == 0;                   \
		CHECK(ok_, __VA_ARGS__);                                     \
		if (!ok_)                                                    \
			printf("#   got \"%s\", want \"%s\"\n",              \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
