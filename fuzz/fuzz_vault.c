/*
 * fuzz_vault.c - libFuzzer target for opening sealed submissions (KVLT1,
 * src/vault/vault.h): whatever bytes a file holds, opening must refuse
 * or give back exactly what was sealed; it must never crash, read out of
 * bounds or accept an altered file.
 *
 * The vault's key pair is fixed (from a constant seed) and libsodium's
 * random bytes come from a generator reset for every input, so a finding
 * replays exactly.  The first byte picks the mode:
 *
 * 0, arbitrary files: the rest of the input is a sealed file, opened
 *    with vault_unseal_stream (the opening's own path) and also frame by
 *    frame with vault_unseal_begin/chunk/end given frames of arbitrary
 *    lengths, the chunk call also before any begin.  Checked: no crash
 *    or sanitizer report; a refusal has a message; after a refusal the
 *    unsealer refuses everything.
 * 1, altered files: the input gives a plaintext, the sizes of its chunks
 *    and a list of edits (flip, truncate, insert, delete).  The target
 *    seals the plaintext for the vault, edits the file, and opens it.
 *    Checked: an unchanged file opens to exactly the plaintext with the
 *    receipt's SHA-256; a changed one is refused.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vault/vault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- deterministic random bytes ----------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *rng_name(void)
{
	return "fuzz-splitmix64";
}

static uint32_t rng_random(void)
{
	return (uint32_t)rng_next();
}

static void rng_buf(void *const buf, const size_t n)
{
	unsigned char *b = buf;
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)rng_next();
}

static randombytes_implementation rng = {
	.implementation_name = rng_name, .random = rng_random, .buf = rng_buf,
};

/* ---- reading a file from memory ----------------------------------------- */

struct mem {
	const unsigned char *p;
	size_t len, off;
	unsigned char *out;   /* the plaintext handed out */
	size_t out_len, out_cap;
};

static int mem_read(void *ctx, unsigned char *b, size_t n)
{
	struct mem *m = ctx;
	if (m->off == m->len)
		return 0;
	if (m->len - m->off < n) {
		m->off = m->len;
		return -1;
	}
	memcpy(b, m->p + m->off, n);
	m->off += n;
	return 1;
}

static void mem_sink(void *ctx, const unsigned char *b, size_t n)
{
	struct mem *m = ctx;
	if (n == 0 || n > VAULT_CHUNK_MAX)
		abort();
	if (m->out_len + n > m->out_cap)
		abort();   /* more plaintext than the file can hold */
	memcpy(m->out + m->out_len, b, n);
	m->out_len += n;
}

static unsigned char pk[VAULT_KEY_LEN], sk[VAULT_KEY_LEN];
static unsigned char *frame, *plain;

static enum kv_status open_file(const unsigned char *file, size_t len,
				const unsigned char *expect_sha,
				unsigned char *out, size_t out_cap,
				size_t *out_len, uint64_t *bytes)
{
	struct mem m = {.p = file, .len = len, .out = out, .out_cap = out_cap};
	struct kv_error e = {0};
	unsigned char sha[32];
	enum kv_status rc = vault_unseal_stream(sk, mem_read, &m, frame, plain,
						mem_sink, expect_sha, sha,
						bytes, &e);
	if (rc != KV_OK && (!e.msg[0] || *bytes != 0))
		abort();   /* a refusal says why, and counts nothing */
	if (rc == KV_OK && *bytes != m.out_len)
		abort();
	*out_len = m.out_len;
	return rc;
}

/* ---- mode 0: arbitrary files ---------------------------------------------- */

static void arbitrary(const uint8_t *p, size_t len)
{
	size_t out_len;
	uint64_t bytes;
	unsigned char *out = malloc(len + 1);
	(void)open_file(p, len, NULL, out, len, &out_len, &bytes);
	free(out);

	/* The primitives with frames of any length: the first 2 bytes of
	 * each piece give the length the caller claims. */
	struct vault_unsealer u;
	struct kv_error e;
	size_t olen;
	memset(&u, 0, sizeof u);
	if (vault_unseal_chunk(&u, p, len < 8 ? len : 8, plain, &olen, &e) == KV_OK)
		abort();   /* before any begin */
	unsigned char header[VAULT_HEADER_LEN] = {0};
	memcpy(header, p, len < sizeof header ? len : sizeof header);
	enum kv_status rc = vault_unseal_begin(&u, sk, header, &e);
	size_t off = len < sizeof header ? len : sizeof header;
	bool dead = rc != KV_OK;
	while (off + 2 <= len) {
		size_t claim = ((size_t)p[off] << 8 | p[off + 1]) % 8192;
		off += 2;
		size_t n = claim < len - off ? claim : len - off;
		rc = vault_unseal_chunk(&u, p + off, n, plain, &olen, &e);
		if (dead && rc == KV_OK)
			abort();   /* a dead unsealer refuses everything */
		if (rc == KV_OK && olen + 21 != n)
			abort();
		dead = dead || rc != KV_OK;
		off += n;
	}
	unsigned char sha[32];
	rc = vault_unseal_end(&u, NULL, sha, &e);
	if (dead && rc == KV_OK)
		abort();
	vault_unsealer_wipe(&u);
}

/* ---- mode 1: altered files ------------------------------------------------- */

static void altered(const uint8_t *p, size_t len)
{
	if (len < 4)
		return;
	/* plaintext length, chunk size, then the plaintext, then edits */
	size_t plen = ((size_t)p[0] << 8 | p[1]) % 2048;
	size_t chunk = 1 + p[2] % 255;
	p += 3, len -= 3;
	if (plen > len)
		plen = len;
	const unsigned char *pt = p;
	p += plen, len -= plen;

	struct vault_sealer s;
	struct kv_error e;
	size_t cap = VAULT_HEADER_LEN + (plen / chunk + 2) * VAULT_FRAME_LEN(chunk) + 64;
	unsigned char *file = malloc(cap + len + 16);
	size_t flen = 0;
	if (vault_seal_begin(&s, pk, file, &e) != KV_OK)
		abort();
	flen = VAULT_HEADER_LEN;
	size_t off = 0;
	do {
		size_t n = plen - off < chunk ? plen - off : chunk;
		int last = off + n == plen;
		size_t outlen;
		if (vault_seal_chunk(&s, pt + off, n, file + flen, &outlen, last, &e) != KV_OK)
			abort();
		flen += outlen;
		off += n;
	} while (off < plen);
	unsigned char sha[32];
	if (vault_seal_end(&s, sha, &e) != KV_OK)
		abort();

	unsigned char *orig = malloc(flen);
	memcpy(orig, file, flen);
	size_t olen = flen;
	/* Edits: 3 bytes each (op, position high, position low), a fourth
	 * for flip and insert. */
	while (len >= 3) {
		int op = p[0] % 4;
		size_t at = ((size_t)p[1] << 8 | p[2]);
		p += 3, len -= 3;
		if (op == 0 && flen && len >= 1) {          /* flip */
			file[at % flen] ^= (unsigned char)(p[0] | 1);
			p++, len--;
		} else if (op == 1) {                        /* truncate */
			flen = flen ? at % flen : 0;
		} else if (op == 2 && len >= 1) {            /* insert one byte */
			at %= flen + 1;
			memmove(file + at + 1, file + at, flen - at);
			file[at] = p[0];
			flen++;
			p++, len--;
		} else if (op == 3 && flen) {                /* delete one byte */
			at %= flen;
			memmove(file + at, file + at + 1, flen - at - 1);
			flen--;
		}
	}
	bool changed = flen != olen || memcmp(file, orig, flen) != 0;
	unsigned char *out = malloc(plen + flen + 1);
	size_t out_len;
	uint64_t bytes;
	enum kv_status rc = open_file(file, flen, sha, out, plen + flen, &out_len, &bytes);
	if (changed && rc == KV_OK)
		abort();   /* an altered file was accepted */
	if (!changed && (rc != KV_OK || bytes != plen || out_len != plen ||
			 memcmp(out, pt, plen) != 0))
		abort();   /* the sealed file did not open to its plaintext */
	/* Without the receipt's hash the altered file is refused all the
	 * same: the stream authenticates itself. */
	rc = open_file(file, flen, NULL, out, plen + flen, &out_len, &bytes);
	if (changed && rc == KV_OK)
		abort();
	free(out);
	free(orig);
	free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		randombytes_set_implementation(&rng);
		if (sodium_init() < 0)
			abort();
		unsigned char seed[crypto_box_SEEDBYTES];
		memset(seed, 0x42, sizeof seed);
		crypto_box_seed_keypair(pk, sk, seed);
		frame = malloc(VAULT_FRAME_MAX);
		plain = malloc(VAULT_CHUNK_MAX);
		ready = true;
	}
	if (size < 1 || size > 16384)
		return 0;
	rng_state = 0x6b6176656c;   /* "kavel": the same bytes for every run */
	if (data[0] & 1)
		altered(data + 1, size - 1);
	else
		arbitrary(data + 1, size - 1);
	return 0;
}
