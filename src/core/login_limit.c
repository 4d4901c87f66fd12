/* login_limit.c - how many logins Kavel lets through (login_limit.h). */
#include "login_limit.h"

const struct login_rule login_rules[LOGIN_RULES] = {
	/* 5 wrong in 15 minutes: 5 minutes, then 10, 20, 40, 60. */
	[LOGIN_PAIR] = {.max_fails = 5, .window = 15 * 60, .block = 5 * 60,
			.block_max = 60 * 60},
	/* 20 wrong from anywhere: 15 minutes, doubling up to 4 hours; at most
	 * 30 logins at once and one more every 2 seconds, right or wrong. */
	[LOGIN_ACCOUNT] = {.max_fails = 20, .window = 15 * 60, .block = 15 * 60,
			   .block_max = 4 * 60 * 60, .burst = 30, .refill = 2},
	/* 50 wrong from one client: as the account; 120 at once and one
	 * more every second. */
	[LOGIN_CLIENT] = {.max_fails = 50, .window = 15 * 60, .block = 15 * 60,
			  .block_max = 4 * 60 * 60, .burst = 120, .refill = 1},
	/* New accounts from one client: 30 at once, then one a minute. */
	[LOGIN_SIGNUP] = {.burst = 30, .refill = 60},
};

static void refill(struct login_record *rec, const struct login_rule *r,
		   kv_instant now)
{
	if (rec->bucket_at == 0) {
		rec->tokens = r->burst;
		rec->bucket_at = now;
		return;
	}
	if (now <= rec->bucket_at)
		return;
	kv_instant gained = (now - rec->bucket_at) / r->refill;
	if (gained <= 0)
		return;
	if (gained >= r->burst - rec->tokens) {
		rec->tokens = r->burst;
		rec->bucket_at = now;
	} else {
		rec->tokens += (int)gained;
		rec->bucket_at += gained * r->refill;
	}
}

/* Since when rec has been quiet: its last failure or its block's end,
 * whichever is later (nobody can fail during a block). */
static kv_instant quiet_since(const struct login_record *rec)
{
	return rec->last_fail > rec->blocked_until ? rec->last_fail
						   : rec->blocked_until;
}

/* A window with no failure in it forgets the failures, and a window
 * after the last block and failure forgets the blocks. */
static void age(struct login_record *rec, const struct login_rule *r,
		kv_instant now)
{
	if (rec->fails && now - rec->window_start > r->window) {
		rec->fails = 0;
		rec->window_start = 0;
	}
	if (rec->strikes && now - quiet_since(rec) > r->window)
		rec->strikes = 0;
}

bool login_admit(struct login_record *rec, const struct login_rule *r,
		 kv_instant now, bool fails_exempt, kv_instant *until)
{
	*until = 0;
	age(rec, r, now);
	if (r->max_fails && !fails_exempt) {
		if (now < rec->blocked_until) {
			*until = rec->blocked_until;
			return false;
		}
		/* The ones in flight count as failures until answered. */
		if (rec->fails + rec->pending >= r->max_fails) {
			*until = now + 1;
			return false;
		}
	}
	if (r->burst) {
		refill(rec, r, now);
		if (rec->tokens <= 0) {
			*until = rec->bucket_at + r->refill;
			return false;
		}
		rec->tokens--;
	}
	rec->pending++;
	return true;
}

void login_cancel(struct login_record *rec, const struct login_rule *r)
{
	if (rec->pending > 0)
		rec->pending--;
	if (r->burst && rec->tokens < r->burst)
		rec->tokens++;
}

void login_done(struct login_record *rec, const struct login_rule *r,
		kv_instant now, bool ok, bool clear_on_ok)
{
	if (rec->pending > 0)
		rec->pending--;
	if (ok) {
		if (clear_on_ok) {
			rec->fails = 0;
			rec->window_start = 0;
			rec->strikes = 0;
			rec->blocked_until = 0;
		}
		return;
	}
	if (!r->max_fails)
		return;
	age(rec, r, now);
	if (rec->fails == 0)
		rec->window_start = now;
	rec->fails++;
	rec->last_fail = now;
	if (rec->fails >= r->max_fails) {
		kv_instant len = r->block;
		for (int i = 0; i < rec->strikes && len < r->block_max; i++)
			len *= 2;
		if (len > r->block_max)
			len = r->block_max;
		rec->blocked_until = now + len;
		rec->strikes++;
		rec->fails = 0;
		rec->window_start = 0;
	}
}

bool login_idle(const struct login_record *rec, const struct login_rule *r,
		kv_instant now)
{
	if (rec->pending || now < rec->blocked_until)
		return false;
	if (rec->fails && now - rec->window_start <= r->window)
		return false;
	if (rec->strikes && now - quiet_since(rec) <= r->window)
		return false;
	/* A bucket not full yet still limits. */
	if (r->burst && rec->bucket_at &&
	    rec->tokens + (now - rec->bucket_at) / r->refill < r->burst)
		return false;
	return true;
}
