/*
 * attempts.h - a limit on guesses (issue 13): after ATTEMPTS_MAX failed
 * attempts within ATTEMPTS_WINDOW seconds, further attempts are refused
 * until ATTEMPTS_WINDOW seconds after the last of them.  Used for the
 * vault passphrases, which two buyers type together: each failure costs
 * an argon2id derivation, and five in a quarter of an hour is more than
 * any honest pair of buyers types wrong.  Plain arithmetic on instants;
 * the caller keeps the record and its lock.
 */
#ifndef KAVEL_ATTEMPTS_H
#define KAVEL_ATTEMPTS_H

#include <stdbool.h>

#include "calendar.h"

#define ATTEMPTS_MAX 5
#define ATTEMPTS_WINDOW (15 * 60)

struct attempts {
	int fails;              /* within the window that began at first */
	kv_instant first, last;
};

/* Whether an attempt at now is refused; *until: from when it is not. */
bool attempts_blocked(const struct attempts *a, kv_instant now,
		      kv_instant *until);
/* A failed attempt at now. */
void attempts_failed(struct attempts *a, kv_instant now);
/* A successful one: the record starts afresh. */
void attempts_clear(struct attempts *a);

#endif
