/*
 * test_login_limit.c - unit tests of the login limits (core/login_limit.c):
 * reservation before the answer (parallel attempts), blocks with backoff
 * that double and are forgotten after a quiet window, the exemption of a
 * known device from the failure limit but not from the bucket, the token
 * bucket's refill, and when a record may be forgotten.
 */
#include "core/login_limit.h"
#include "tap.h"

int main(void)
{
	const struct login_rule *pair = &login_rules[LOGIN_PAIR];
	const struct login_rule *acct = &login_rules[LOGIN_ACCOUNT];
	kv_instant until, t = 1800000000;

	/* Twenty parallel wrong passwords: admitted in turn before any is
	 * answered; five get through, the other fifteen are refused. */
	struct login_record p = {0};
	int admitted = 0;
	for (int i = 0; i < 20; i++)
		admitted += login_admit(&p, pair, t, false, &until);
	CHECK(admitted == pair->max_fails, "20 in flight at once: %d admitted (limit 5)", admitted);
	for (int i = 0; i < admitted; i++)
		login_done(&p, pair, t, false, true);
	CHECK(p.pending == 0 && p.blocked_until == t + pair->block,
	      "the fifth failure blocks for 5 minutes (%lld s)", (long long)(p.blocked_until - t));
	CHECK(!login_admit(&p, pair, t + pair->block - 1, false, &until) &&
	      until == t + pair->block, "refused until the block ends, and says until when");

	/* Backoff: the next five failures right after the block block twice
	 * as long (10 minutes), then 20. */
	kv_instant t2 = t + pair->block;
	for (int i = 0; i < 5; i++) {
		CHECK(login_admit(&p, pair, t2, false, &until), "after the block: attempt %d admitted", i + 1);
		login_done(&p, pair, t2, false, true);
	}
	CHECK(p.blocked_until == t2 + 2 * pair->block, "the second block lasts twice as long: %lld s",
	      (long long)(p.blocked_until - t2));
	kv_instant t3 = p.blocked_until;
	for (int i = 0; i < 5; i++) {
		login_admit(&p, pair, t3, false, &until);
		login_done(&p, pair, t3, false, true);
	}
	CHECK(p.blocked_until == t3 + 4 * pair->block, "the third four times: %lld s",
	      (long long)(p.blocked_until - t3));
	/* A quiet window after the block forgets the strikes. */
	kv_instant t4 = p.blocked_until + pair->window + 1;
	for (int i = 0; i < 5; i++) {
		login_admit(&p, pair, t4, false, &until);
		login_done(&p, pair, t4, false, true);
	}
	CHECK(p.blocked_until == t4 + pair->block, "after a quiet window the block is 5 minutes again");

	/* The ceiling. */
	struct login_record q = {0};
	kv_instant tq = t;
	for (int b = 0; b < 10; b++) {
		for (int i = 0; i < 5; i++) {
			login_admit(&q, pair, tq, false, &until);
			login_done(&q, pair, tq, false, true);
		}
		tq = q.blocked_until;
	}
	CHECK(q.blocked_until - q.last_fail == pair->block_max, "blocks stop growing at an hour");

	/* Four wrong, then right: the pair forgets; failures spread over more
	 * than a window never block. */
	struct login_record r = {0};
	for (int i = 0; i < 4; i++) {
		login_admit(&r, pair, t + i, false, &until);
		login_done(&r, pair, t + i, false, true);
	}
	login_admit(&r, pair, t + 10, false, &until);
	login_done(&r, pair, t + 10, true, true);
	CHECK(r.fails == 0 && r.blocked_until == 0, "a success clears the pair");
	struct login_record s = {0};
	for (int i = 0; i < 4; i++) {
		login_admit(&s, pair, t, false, &until);
		login_done(&s, pair, t, false, true);
	}
	login_admit(&s, pair, t + pair->window + 5, false, &until);
	login_done(&s, pair, t + pair->window + 5, false, true);
	CHECK(s.fails == 1 && s.blocked_until == 0, "four, then one after the window: one counted");

	/* The account: blocked for strangers, not for a known device, whose
	 * attempts still take tokens from the bucket. */
	struct login_record a = {0};
	for (int i = 0; i < acct->max_fails; i++) {
		login_admit(&a, acct, t, false, &until);
		login_done(&a, acct, t, false, false);
	}
	CHECK(!login_admit(&a, acct, t + 1, false, &until), "20 failures block the account for strangers");
	CHECK(login_admit(&a, acct, t + 1, true, &until), "but a known device is let through");
	login_done(&a, acct, t + 1, true, false);
	CHECK(a.blocked_until > t + 1, "its success does not lift the strangers' block");

	/* The bucket: 30 at once, then one per 2 seconds. */
	struct login_record b = {0};
	int got = 0;
	for (int i = 0; i < 40; i++)
		if (login_admit(&b, acct, t, true, &until)) {
			got++;
			login_done(&b, acct, t, true, false);
		}
	CHECK(got == acct->burst, "40 right logins at once: %d let through (burst 30)", got);
	CHECK(!login_admit(&b, acct, t + 1, true, &until) && until == t + 2,
	      "the next is refused until a token is back (%lld)", (long long)(until - t));
	CHECK(login_admit(&b, acct, t + 2, true, &until), "two seconds later one more");
	login_cancel(&b, acct);
	CHECK(b.pending == 0 && login_admit(&b, acct, t + 2, true, &until),
	      "a cancelled reservation gives its token back");
	login_done(&b, acct, t + 2, true, false);

	/* Forgetting. */
	CHECK(!login_idle(&b, acct, t + 3), "a bucket still refilling is not idle");
	CHECK(login_idle(&b, acct, t + 3 + 2 * acct->burst), "a full bucket and no failures: idle");
	CHECK(!login_idle(&p, pair, p.blocked_until - 1), "a record under a block is not idle");
	struct login_record f = {0};
	login_admit(&f, pair, t, false, &until);
	CHECK(!login_idle(&f, pair, t + 9999), "a record with an attempt in flight is not idle");
	return tap_done();
}
