/*
 * audit.c - sealing and checking audit events; see audit.h.
 */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void put_u64(crypto_hash_sha256_state *st, uint64_t v)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	crypto_hash_sha256_update(st, b, sizeof b);
}

static void put_str(crypto_hash_sha256_state *st, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(st, n);
	if (n)
		crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

static void compute(const struct audit_event *ev, unsigned char out[32])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"kavel-audit-v1",
				  14);
	crypto_hash_sha256_update(&st, ev->prev, AUDIT_HASH_LEN);
	put_u64(&st, (uint64_t)ev->seq);
	put_u64(&st, (uint64_t)ev->at);
	put_u64(&st, (uint64_t)ev->actor);
	put_u64(&st, (uint64_t)ev->tenant_id);
	put_str(&st, ev->action);
	put_str(&st, ev->object);
	put_str(&st, ev->before);
	put_str(&st, ev->after);
	crypto_hash_sha256_final(&st, out);
}

void audit_seal(struct audit_event *ev)
{
	compute(ev, ev->hash);
}

int audit_check(const struct audit_event *ev)
{
	unsigned char h[AUDIT_HASH_LEN];
	compute(ev, h);
	return sodium_memcmp(h, ev->hash, AUDIT_HASH_LEN) == 0;
}

void audit_hex(const unsigned char h[AUDIT_HASH_LEN], char *out)
{
	sodium_bin2hex(out, 2 * AUDIT_HASH_LEN + 1, h, AUDIT_HASH_LEN);
}

/* ---- checkpoints (audit.h) ----------------------------------------------- */


/* The signed part of a checkpoint's line, into out; its length or -1. */
static int checkpoint_body(const struct audit_checkpoint *c, char *out, size_t n)
{
	char hash[2 * AUDIT_HASH_LEN + 1], pk[2 * AUDIT_ANCHOR_PK_LEN + 1];
	struct tm tm;
	time_t t = (time_t)c->at;
	if (c->seq < 0 || !gmtime_r(&t, &tm))
		return -1;
	sodium_bin2hex(hash, sizeof hash, c->hash, AUDIT_HASH_LEN);
	sodium_bin2hex(pk, sizeof pk, c->pk, AUDIT_ANCHOR_PK_LEN);
	int len = snprintf(out, n, "kavel-anchor v1 seq=%lld hash=%s at=%04d-%02d-%02dT%02d:%02d:%02dZ key=%s",
			   (long long)c->seq, hash, tm.tm_year + 1900, tm.tm_mon + 1,
			   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, pk);
	return len < 0 || (size_t)len >= n ? -1 : len;
}

int audit_checkpoint_sign(struct audit_checkpoint *c,
			  const unsigned char sk[AUDIT_ANCHOR_SK_LEN],
			  char *out, size_t outlen)
{
	crypto_sign_ed25519_sk_to_pk(c->pk, sk);
	int len = checkpoint_body(c, out, outlen);
	if (len < 0)
		return -1;
	crypto_sign_detached(c->sig, NULL, (const unsigned char *)out, (size_t)len, sk);
	char sig[2 * AUDIT_ANCHOR_SIG_LEN + 1];
	sodium_bin2hex(sig, sizeof sig, c->sig, AUDIT_ANCHOR_SIG_LEN);
	int more = snprintf(out + len, outlen - (size_t)len, " sig=%s\n", sig);
	return more < 0 || (size_t)more >= outlen - (size_t)len ? -1 : 0;
}

/* HEX of exactly n bytes after "NAME=" at *p, ending in ' ' or the end. */
static int field_hex(const char **p, const char *name, unsigned char *bin, size_t n)
{
	size_t k = strlen(name);
	if (strncmp(*p, name, k) != 0 || (*p)[k] != '=')
		return -1;
	const char *v = *p + k + 1;
	size_t vl = strcspn(v, " \n");
	size_t got = 0;
	if (vl != 2 * n || sodium_hex2bin(bin, n, v, vl, NULL, &got, NULL) != 0 || got != n)
		return -1;
	*p = v + vl;
	return 0;
}

int audit_checkpoint_parse(const char *line, struct audit_checkpoint *c,
			   char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	size_t len = strcspn(line, "\n");
	if (line[len] == '\n' && line[len + 1] != 0) {
		snprintf(err, errlen, "more than one line");
		return -1;
	}
	const char *p = line;
	static const char magic[] = "kavel-anchor v1 seq=";
	if (strncmp(p, magic, sizeof magic - 1) != 0) {
		snprintf(err, errlen, "not a Kavel audit checkpoint (kavel-anchor v1)");
		return -1;
	}
	p += sizeof magic - 1;
	long long seq = 0;
	int used = 0, y, mo, d, h, mi, s;
	if (sscanf(p, "%18lld%n", &seq, &used) != 1 || seq < 0 || p[used] != ' ') {
		snprintf(err, errlen, "its seq is no number");
		return -1;
	}
	c->seq = seq;
	p += used + 1;
	if (field_hex(&p, "hash", c->hash, AUDIT_HASH_LEN) != 0 || *p++ != ' ') {
		snprintf(err, errlen, "its hash is not 64 hex digits");
		return -1;
	}
	used = 0;
	if (sscanf(p, "at=%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 ||
	    used == 0 || p[used] != ' ' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 60) {
		snprintf(err, errlen, "its time is not YYYY-MM-DDTHH:MM:SSZ");
		return -1;
	}
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			.tm_hour = h, .tm_min = mi, .tm_sec = s};
	c->at = (kv_instant)timegm(&tm);
	p += used + 1;
	if (field_hex(&p, "key", c->pk, AUDIT_ANCHOR_PK_LEN) != 0 || *p != ' ') {
		snprintf(err, errlen, "its key is not 64 hex digits");
		return -1;
	}
	size_t body_len = (size_t)(p - line);
	p++;
	if (field_hex(&p, "sig", c->sig, AUDIT_ANCHOR_SIG_LEN) != 0 || (*p && *p != '\n')) {
		snprintf(err, errlen, "its signature is not 128 hex digits");
		return -1;
	}
	/* The text signed is the canonical form: a line that says the same
	 * in other digits (a leading zero, another time) does not verify. */
	char canon[AUDIT_ANCHOR_LINE_MAX];
	int cl = checkpoint_body(c, canon, sizeof canon);
	if (cl < 0 || (size_t)cl != body_len || memcmp(canon, line, body_len) != 0 ||
	    crypto_sign_verify_detached(c->sig, (const unsigned char *)canon, (size_t)cl, c->pk) != 0) {
		snprintf(err, errlen, "its signature does not match what it says");
		return -1;
	}
	return 0;
}
