/* attempts.c - a limit on guesses (attempts.h). */
#include "attempts.h"

bool attempts_blocked(const struct attempts *a, kv_instant now,
		      kv_instant *until)
{
	*until = 0;
	if (a->fails < ATTEMPTS_MAX)
		return false;
	kv_instant free_at = a->last + ATTEMPTS_WINDOW;
	if (now >= free_at)
		return false;
	*until = free_at;
	return true;
}

void attempts_failed(struct attempts *a, kv_instant now)
{
	/* A window over, or a block sat out: count afresh. */
	if (a->fails == 0 || now - a->first > ATTEMPTS_WINDOW ||
	    (a->fails >= ATTEMPTS_MAX && now >= a->last + ATTEMPTS_WINDOW)) {
		a->fails = 0;
		a->first = now;
	}
	a->fails++;
	a->last = now;
}

void attempts_clear(struct attempts *a)
{
	*a = (struct attempts){0};
}
