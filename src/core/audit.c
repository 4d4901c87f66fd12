/*
 * audit.c - sealing and checking audit events; see audit.h.
 */
#include "audit.h"

#include <sodium.h>
#include <string.h>

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
