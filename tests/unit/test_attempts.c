/*
 * test_attempts.c - unit tests of the limit on guesses (core/attempts.c):
 * five failures in a quarter of an hour block, the block ends a quarter
 * of an hour after the last failure, a success or an old window forgives.
 */
#include "core/attempts.h"
#include "tap.h"

int main(void)
{
	struct attempts a = {0};
	kv_instant until, t = 1800000000;
	CHECK(!attempts_blocked(&a, t, &until) && until == 0, "nothing failed: not blocked");
	for (int i = 0; i < ATTEMPTS_MAX - 1; i++)
		attempts_failed(&a, t + i * 60);
	CHECK(!attempts_blocked(&a, t + 300, &until), "four failures do not block");
	attempts_failed(&a, t + 400);
	CHECK(attempts_blocked(&a, t + 401, &until) && until == t + 400 + ATTEMPTS_WINDOW,
	      "the fifth within the window blocks until a window after it");
	CHECK(attempts_blocked(&a, t + 400 + ATTEMPTS_WINDOW - 1, &until),
	      "one second before then still blocked");
	CHECK(!attempts_blocked(&a, t + 400 + ATTEMPTS_WINDOW, &until),
	      "at that second free again");
	attempts_failed(&a, t + 400 + ATTEMPTS_WINDOW + 5);
	CHECK(a.fails == 1 && !attempts_blocked(&a, t + 400 + ATTEMPTS_WINDOW + 6, &until),
	      "a failure after a block sat out counts afresh");
	struct attempts b = {0};
	for (int i = 0; i < ATTEMPTS_MAX - 1; i++)
		attempts_failed(&b, t + i);
	attempts_failed(&b, t + ATTEMPTS_WINDOW + 10);
	CHECK(b.fails == 1 && !attempts_blocked(&b, t + ATTEMPTS_WINDOW + 11, &until),
	      "failures spread over more than a window never block");
	struct attempts c = {0};
	for (int i = 0; i < ATTEMPTS_MAX; i++)
		attempts_failed(&c, t + i);
	CHECK(attempts_blocked(&c, t + 10, &until), "five quick failures block");
	attempts_clear(&c);
	CHECK(!attempts_blocked(&c, t + 11, &until) && c.fails == 0, "a success clears the record");
	return tap_done();
}
