/*
 * login_limit.h - how many logins Kavel lets through (issue 13), as plain
 * arithmetic on one record per key and instant.  The caller (web/auth.c)
 * keeps the records, one per key, under one lock, so that a check and its
 * reservation are one step: twenty parallel wrong passwords are twenty
 * admissions asked in turn, and once five are in flight the sixth is
 * refused before any of them is answered.
 *
 * Three keys limit failures, each with backoff: a block that follows a
 * block lasts twice as long, up to a ceiling, and the count of blocks
 * is forgotten after a quiet window.
 *   - the pair client + account: a person mistyping; 5 per 15 minutes;
 *   - the account, from any client: a spread-out guess at one account;
 *   - the client, for any account: one client trying many accounts.
 * The account and client limits would let an attacker lock an innocent
 * out (guess wrong at her account, or share her address behind NAT), so a
 * client that proves it logged in to this account before (the device
 * cookie of web/auth.c) is exempt from them and bound by the pair alone.
 *
 * Two keys also limit attempts, right or wrong, as token buckets: the
 * account (a stolen password looping logins) and the client.  Together
 * with the bounded hash pool (web/hashpool.h) they keep a burst of logins
 * from taking the CPU that reads need.
 */
#ifndef KAVEL_LOGIN_LIMIT_H
#define KAVEL_LOGIN_LIMIT_H

#include <stdbool.h>

#include "calendar.h"

enum login_key { LOGIN_PAIR, LOGIN_ACCOUNT, LOGIN_CLIENT, LOGIN_KEYS,
		 /* not a login's: accounts a client registers, each an
		  * argon2id hash on its request's thread */
		 LOGIN_SIGNUP = LOGIN_KEYS, LOGIN_RULES };

struct login_rule {
	int max_fails;           /* failures in a window that start a block; 0: none */
	kv_instant window;       /* seconds */
	kv_instant block;        /* the first block; each next one twice as long */
	kv_instant block_max;
	int burst;               /* attempts at once; 0: no bucket */
	kv_instant refill;       /* seconds per attempt regained */
};

/* The rules Kavel uses (login_limit.c, the README's security section). */
extern const struct login_rule login_rules[LOGIN_RULES];

struct login_record {
	int fails;               /* in the window that began at window_start */
	int pending;             /* admitted, not yet answered */
	int strikes;             /* blocks since the last quiet window */
	kv_instant window_start, last_fail, blocked_until;
	int tokens;              /* the bucket, as of bucket_at */
	kv_instant bucket_at;
};

/* Whether an attempt at now may go on under rule r; when it may, it is
 * reserved (pending, a token).  When not, *until says from when it may.
 * fails_exempt: the failure limit is not applied (the device cookie);
 * the bucket still is. */
bool login_admit(struct login_record *rec, const struct login_rule *r,
		 kv_instant now, bool fails_exempt, kv_instant *until);
/* Gives back a reservation that will not be answered (another key
 * refused the attempt): pending and the token. */
void login_cancel(struct login_record *rec, const struct login_rule *r);
/* The admitted attempt's answer: ok or a failure. */
void login_done(struct login_record *rec, const struct login_rule *r,
		kv_instant now, bool ok, bool clear_on_ok);
/* Whether rec holds nothing a later attempt depends on at now: it may
 * be forgotten. */
bool login_idle(const struct login_record *rec, const struct login_rule *r,
		kv_instant now);

#endif
