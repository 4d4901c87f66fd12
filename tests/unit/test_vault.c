/*
 * test_vault.c - the sealed bid vault of vault/vault.c: buyer keys from
 * passphrases, the two-of-n vault (every pair of different buyers opens
 * it, one buyer alone does not, altered shares are refused), a 1 MiB
 * submission sealed and opened in 64 KiB chunks, and every way a sealed
 * file can be wrong (wrong vault, truncated, altered, reordered, spliced,
 * trailing data), the plaintext never visible in the ciphertext, and the
 * receipt digest against a vector computed independently (Python's
 * hashlib from the encoding documented in vault.h).
 *
 * Key derivation uses argon2id at INTERACTIVE cost to keep the test fast;
 * one check confirms the default is the MODERATE cost.
 */
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "vault/vault.h"
#include "vault/vault_dir.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "tap.h"

#define NB 3
#define FILE_LEN (1024 * 1024)
#define MAXFRAMES 64

static const char *passphrases[NB] = {
	"correct horse battery staple dordrecht",
	"wijkteam-2022 perceel een en twee",
	"Ünïcode passphrase of the third buyer",
};

static unsigned char salts[NB][crypto_pwhash_SALTBYTES];
static unsigned char pks[NB][VAULT_KEY_LEN], sks[NB][VAULT_KEY_LEN];

static enum kv_status derive(const char *pass, const unsigned char *salt,
			     unsigned char *pk, unsigned char *sk,
			     struct kv_error *e)
{
	return vault_buyer_key_derive_cost(pass, salt,
					   crypto_pwhash_OPSLIMIT_INTERACTIVE,
					   crypto_pwhash_MEMLIMIT_INTERACTIVE,
					   pk, sk, e);
}

/* The share of pair {i, j} that buyer `holder` holds. */
static const struct vault_share *find_share(const struct vault_share *sh,
					    size_t n, int holder, int partner)
{
	for (size_t k = 0; k < n; k++)
		if (sh[k].holder == holder && sh[k].partner == partner)
			return &sh[k];
	return NULL;
}

/* A sealed file in memory, with where its frames start. */
struct sealed {
	unsigned char *p;
	size_t len;
	size_t frame_at[MAXFRAMES], frame_len[MAXFRAMES];
	int nframes;
	unsigned char sha[32];
};

static int seal_buf(arena *a, const unsigned char *vpk,
		    const unsigned char *data, size_t len, size_t chunk,
		    struct sealed *out)
{
	struct kv_error e;
	struct vault_sealer s;
	size_t nchunks = len ? (len + chunk - 1) / chunk : 1;
	memset(out, 0, sizeof *out);
	out->p = arena_alloc(a, VAULT_HEADER_LEN +
			     nchunks * VAULT_FRAME_LEN(chunk));
	if (vault_seal_begin(&s, vpk, out->p, &e) != KV_OK)
		return -1;
	out->len = VAULT_HEADER_LEN;
	size_t off = 0;
	do {
		size_t n = len - off < chunk ? len - off : chunk;
		int last = off + n == len;
		size_t flen;
		if (out->nframes == MAXFRAMES ||
		    vault_seal_chunk(&s, data + off, n, out->p + out->len,
				     &flen, last, &e) != KV_OK) {
			vault_sealer_wipe(&s);
			return -1;
		}
		out->frame_at[out->nframes] = out->len;
		out->frame_len[out->nframes++] = flen;
		out->len += flen;
		off += n;
	} while (off < len);
	return vault_seal_end(&s, out->sha, &e) == KV_OK ? 0 : -1;
}

/* Opens a sealed file as a reader would, frame by frame; the plaintext
 * into out (room for len bytes), its length into *outlen. */
static enum kv_status unseal_buf(const unsigned char *vsk,
				 const unsigned char *p, size_t len,
				 const unsigned char *expect_sha,
				 unsigned char *out, size_t *outlen,
				 unsigned char sha[32], struct kv_error *e)
{
	struct vault_unsealer u;
	*outlen = 0;
	if (len < VAULT_HEADER_LEN)
		return kv_fail(e, KV_INVALID, "file", "short header");
	enum kv_status rc = vault_unseal_begin(&u, vsk, p, e);
	if (rc != KV_OK)
		return rc;
	size_t off = VAULT_HEADER_LEN;
	while (off < len) {
		size_t clen, n;
		if (len - off < VAULT_FRAME_PREFIX) {
			vault_unsealer_wipe(&u);
			return kv_fail(e, KV_INVALID, "file", "short prefix");
		}
		rc = vault_frame_length(p + off, &clen, e);
		if (rc != KV_OK) {
			vault_unsealer_wipe(&u);
			return rc;
		}
		if (len - off - VAULT_FRAME_PREFIX < clen) {
			vault_unsealer_wipe(&u);
			return kv_fail(e, KV_INVALID, "file", "short frame");
		}
		rc = vault_unseal_chunk(&u, p + off, VAULT_FRAME_PREFIX + clen,
					out + *outlen, &n, e);
		if (rc != KV_OK)
			return rc;
		*outlen += n;
		off += VAULT_FRAME_PREFIX + clen;
	}
	return vault_unseal_end(&u, expect_sha, sha, e);
}

/* Rebuilds a sealed file from its header and the frames in `order`. */
static size_t reassemble(const struct sealed *s, const int *order, int n,
			 unsigned char *dst)
{
	size_t len = VAULT_HEADER_LEN;
	memcpy(dst, s->p, VAULT_HEADER_LEN);
	for (int i = 0; i < n; i++) {
		memcpy(dst + len, s->p + s->frame_at[order[i]],
		       s->frame_len[order[i]]);
		len += s->frame_len[order[i]];
	}
	return len;
}

/* How many 64-byte windows of hay occur somewhere in needle_src
 * (Rabin-Karp over every window of both, verified with memcmp). */
#define WIN 64
#define TBITS 21
static size_t shared_windows(arena *a, const unsigned char *pt, size_t ptlen,
			     const unsigned char *ct, size_t ctlen)
{
	const uint64_t B = 0x100000001b3ULL;
	uint64_t bw = 1;
	for (int i = 0; i < WIN; i++)
		bw *= B;
	size_t cap = (size_t)1 << TBITS, mask = cap - 1;
	uint64_t *th = arena_alloc(a, cap * sizeof *th);
	size_t *tpos = arena_alloc(a, cap * sizeof *tpos);
	uint64_t h = 0;
	for (size_t i = 0; i < ptlen; i++) {
		h = h * B + pt[i];
		if (i >= WIN)
			h -= bw * pt[i - WIN];
		if (i + 1 < WIN)
			continue;
		size_t k = (size_t)(h ^ (h >> 29)) & mask;
		while (tpos[k] && th[k] != h)
			k = (k + 1) & mask;
		if (!tpos[k]) {
			th[k] = h;
			tpos[k] = i + 2 - WIN;  /* start + 1 */
		}
	}
	size_t hits = 0;
	h = 0;
	for (size_t i = 0; i < ctlen; i++) {
		h = h * B + ct[i];
		if (i >= WIN)
			h -= bw * ct[i - WIN];
		if (i + 1 < WIN)
			continue;
		size_t k = (size_t)(h ^ (h >> 29)) & mask;
		while (tpos[k]) {
			if (th[k] == h && memcmp(pt + tpos[k] - 1,
						 ct + i + 1 - WIN, WIN) == 0) {
				hits++;
				break;
			}
			k = (k + 1) & mask;
		}
	}
	return hits;
}

/* Writes a sealed file into dir under name; 0 when written. */
static int write_sealed(const char *dir, const char *name,
			const unsigned char *p, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(p, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Reads a file back through vault_reader in pieces of `piece` bytes;
 * the bytes into out, the last read's result into *last. */
static size_t read_back(const char *dir, const char *name,
			const unsigned char *vsk, const unsigned char *sha,
			size_t piece, unsigned char *out, size_t cap, long *last)
{
	struct kv_error e;
	struct vault_reader *r = vault_reader_open(dir, name, vsk, sha, &e);
	size_t got = 0;
	*last = -2;
	if (!r)
		return 0;
	long n;
	while ((n = vault_reader_read(r, out + got, cap - got < piece ? cap - got : piece)) > 0)
		got += (size_t)n;
	*last = n;
	vault_reader_close(r);
	return got;
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	arena *a = arena_new();
	struct kv_error e;
	char hex[65];

	/* ---- 1. buyer keys ---- */
	int ok = 1;
	for (int i = 0; i < NB; i++) {
		randombytes_buf(salts[i], sizeof salts[i]);
		ok &= derive(passphrases[i], salts[i], pks[i], sks[i], &e) ==
		    KV_OK;
	}
	CHECK(ok, "three buyers derive their vault keys");
	CHECK(sodium_memcmp(pks[0], pks[1], 32) != 0 &&
	      sodium_memcmp(pks[1], pks[2], 32) != 0 &&
	      sodium_memcmp(pks[0], pks[2], 32) != 0,
	      "the three public keys differ");
	unsigned char pk2[32], sk2[32];
	CHECK(derive(passphrases[1], salts[1], pk2, sk2, &e) == KV_OK &&
	      memcmp(pk2, pks[1], 32) == 0 && memcmp(sk2, sks[1], 32) == 0,
	      "the same passphrase and salt give the same key pair");
	unsigned char other_salt[crypto_pwhash_SALTBYTES];
	randombytes_buf(other_salt, sizeof other_salt);
	CHECK(derive(passphrases[1], other_salt, pk2, sk2, &e) == KV_OK &&
	      memcmp(pk2, pks[1], 32) != 0,
	      "the same passphrase with another salt gives another key");
	unsigned char cpk[32];
	crypto_scalarmult_base(cpk, sks[0]);
	CHECK(memcmp(cpk, pks[0], 32) == 0,
	      "the derived public key belongs to the secret key");
	CHECK(derive("", salts[0], pk2, sk2, &e) == KV_INVALID &&
	      strcmp(e.field, "passphrase") == 0,
	      "an empty passphrase is refused: %s", e.msg);
	CHECK(vault_buyer_key_derive_cost(passphrases[0], salts[0], 0,
					  crypto_pwhash_MEMLIMIT_MIN, pk2,
					  sk2, &e) == KV_INVALID,
	      "a cost below argon2id's minimum is refused: %s", e.msg);
	{
		unsigned char dpk[32], dsk[32], mpk[32], msk[32];
		int r1 = vault_buyer_key_derive(passphrases[2], salts[2], dpk,
						dsk, &e);
		int r2 = vault_buyer_key_derive_cost(
			passphrases[2], salts[2],
			crypto_pwhash_OPSLIMIT_MODERATE,
			crypto_pwhash_MEMLIMIT_MODERATE, mpk, msk, &e);
		CHECK(r1 == KV_OK && r2 == KV_OK && memcmp(dpk, mpk, 32) == 0 &&
		      memcmp(dpk, pks[2], 32) != 0,
		      "the default derivation is argon2id MODERATE");
		sodium_memzero(dsk, 32);
		sodium_memzero(msk, 32);
	}

	/* ---- 2. the vault ---- */
	unsigned char vpk[32];
	struct vault_share *sh;
	size_t nsh;
	CHECK(vault_create(a, (const unsigned char (*)[32])pks, 1, vpk, &sh,
			   &nsh, &e) == KV_INVALID && sh == NULL &&
	      strcmp(e.field, "buyers") == 0,
	      "a vault of one buyer is refused: %s", e.msg);
	CHECK(vault_create(a, (const unsigned char (*)[32])pks, 0, vpk, &sh,
			   &nsh, &e) == KV_INVALID,
	      "a vault of no buyers is refused");
	{
		unsigned char dup[2][32];
		memcpy(dup[0], pks[0], 32);
		memcpy(dup[1], pks[0], 32);
		CHECK(vault_create(a, (const unsigned char (*)[32])dup, 2, vpk,
				   &sh, &nsh, &e) == KV_INVALID,
		      "one buyer's key twice is refused: %s", e.msg);
		unsigned char zero[2][32];
		memset(zero, 0, sizeof zero);
		memcpy(zero[0], pks[0], 32);
		CHECK(vault_create(a, (const unsigned char (*)[32])zero, 2,
				   vpk, &sh, &nsh, &e) == KV_INVALID,
		      "an all-zero public key is refused: %s", e.msg);
	}
	CHECK(vault_create(a, (const unsigned char (*)[32])pks, NB, vpk, &sh,
			   &nsh, &e) == KV_OK && nsh == NB * (NB - 1),
	      "a vault for three buyers has six shares");
	int layout = 1;
	for (int i = 0; i < NB; i++)
		for (int j = 0; j < NB; j++)
			if (i != j) {
				const struct vault_share *s =
				    find_share(sh, nsh, i, j);
				layout &= s && s->part == (i < j ? 0 : 1);
			}
	CHECK(layout, "every buyer holds one share per partner, the lower "
	      "index the random half");

	/* ---- 3. every pair opens it ---- */
	unsigned char vsk[32] = {0};
	int pairs_ok = 0;
	for (int i = 0; i < NB; i++) {
		for (int j = i + 1; j < NB; j++) {
			const struct vault_share *si = find_share(sh, nsh, i, j);
			const struct vault_share *sj = find_share(sh, nsh, j, i);
			unsigned char pi[32], pj[32], sk[32], sk_rev[32], pk[32];
			int r = vault_share_open(si, pks[i], sks[i], pi, &e) ==
			    KV_OK &&
			    vault_share_open(sj, pks[j], sks[j], pj, &e) ==
			    KV_OK &&
			    vault_pair_check(si, sj, &e) == KV_OK &&
			    vault_pair_check(sj, si, &e) == KV_OK &&
			    vault_combine(pi, pj, vpk, sk, &e) == KV_OK &&
			    vault_combine(pj, pi, vpk, sk_rev, &e) == KV_OK &&
			    memcmp(sk, sk_rev, 32) == 0 &&
			    crypto_scalarmult_base(pk, sk) == 0 &&
			    memcmp(pk, vpk, 32) == 0;
			CHECK(r, "buyers %d and %d together open the vault",
			      i + 1, j + 1);
			if (r) {
				if (pairs_ok && memcmp(sk, vsk, 32) != 0)
					r = 0;
				memcpy(vsk, sk, 32);
				pairs_ok += r;
			}
			sodium_memzero(pi, 32);
			sodium_memzero(pj, 32);
			sodium_memzero(sk, 32);
			sodium_memzero(sk_rev, 32);
		}
	}
	CHECK(pairs_ok == 3, "all three pairs recover the same vault key");

	/* ---- one buyer alone, wrong pairs, wrong holders ---- */
	int alone_refused = 1, alone_pair = 1;
	for (int b = 0; b < NB; b++) {
		int p1 = (b + 1) % NB, p2 = (b + 2) % NB;
		const struct vault_share *s1 = find_share(sh, nsh, b, p1);
		const struct vault_share *s2 = find_share(sh, nsh, b, p2);
		unsigned char x[32], y[32], sk[32];
		if (vault_pair_check(s1, s2, &e) != KV_DENIED)
			alone_pair = 0;
		if (vault_share_open(s1, pks[b], sks[b], x, &e) != KV_OK ||
		    vault_share_open(s2, pks[b], sks[b], y, &e) != KV_OK)
			alone_refused = 0;
		else if (vault_combine(x, y, vpk, sk, &e) != KV_DENIED ||
			 !sodium_is_zero(sk, 32) ||
			 vault_combine(x, x, vpk, sk, &e) != KV_DENIED)
			alone_refused = 0;
		sodium_memzero(x, 32);
		sodium_memzero(y, 32);
	}
	CHECK(alone_refused, "no buyer opens the vault with their own two "
	      "shares (or one share twice): %s", e.msg);
	CHECK(alone_pair, "the pair check names a buyer's own two shares");
	{
		/* Halves of different pairs, from different buyers. */
		const struct vault_share *a01 = find_share(sh, nsh, 0, 1);
		const struct vault_share *b20 = find_share(sh, nsh, 2, 0);
		unsigned char x[32], y[32], sk[32];
		int r = vault_share_open(a01, pks[0], sks[0], x, &e) == KV_OK &&
		    vault_share_open(b20, pks[2], sks[2], y, &e) == KV_OK;
		CHECK(r && vault_combine(x, y, vpk, sk, &e) == KV_DENIED,
		      "halves of two different pairs do not combine");
		sodium_memzero(x, 32);
		sodium_memzero(y, 32);

		const struct vault_share *a12 = find_share(sh, nsh, 1, 2);
		CHECK(vault_pair_check(a01, a12, &e) == KV_DENIED,
		      "the pair check refuses shares of different pairs");
		CHECK(vault_share_open(a01, pks[2], sks[2], x, &e) ==
		      KV_DENIED && sodium_is_zero(x, 32),
		      "another buyer's share does not open with my key");
	}

	/* ---- a tampered share, a tampered part ---- */
	{
		struct vault_share t = *find_share(sh, nsh, 1, 0);
		unsigned char x[32], y[32], sk[32];
		t.sealed[40] ^= 0x01;
		CHECK(vault_share_open(&t, pks[1], sks[1], x, &e) == KV_DENIED,
		      "a share with one flipped bit does not open: %s", e.msg);
		t = *find_share(sh, nsh, 1, 0);
		t.sealed[0] ^= 0x80;  /* the ephemeral public key */
		CHECK(vault_share_open(&t, pks[1], sks[1], x, &e) == KV_DENIED,
		      "a share with an altered ephemeral key does not open");
		int r = vault_share_open(find_share(sh, nsh, 0, 1), pks[0],
					 sks[0], x, &e) == KV_OK &&
		    vault_share_open(find_share(sh, nsh, 1, 0), pks[1],
				     sks[1], y, &e) == KV_OK;
		x[10] ^= 0x04;
		CHECK(r && vault_combine(x, y, vpk, sk, &e) == KV_DENIED,
		      "an altered opened part is refused by the public-key "
		      "check");
		sodium_memzero(x, 32);
		sodium_memzero(y, 32);
	}

	/* ---- wrong passphrase ---- */
	{
		unsigned char wpk[32], wsk[32], x[32];
		CHECK(derive("correct horse battery stapler dordrecht",
			     salts[0], wpk, wsk, &e) == KV_OK &&
		      memcmp(wpk, pks[0], 32) != 0,
		      "a wrong passphrase gives another key");
		CHECK(vault_share_open(find_share(sh, nsh, 0, 1), wpk, wsk, x,
				       &e) == KV_DENIED &&
		      vault_share_open(find_share(sh, nsh, 0, 1), pks[0], wsk,
				       x, &e) == KV_DENIED,
		      "a key from a wrong passphrase does not open the "
		      "buyer's share: %s", e.msg);
		sodium_memzero(wsk, 32);
	}

	/* ---- 4./5. a 1 MiB submission in 64 KiB chunks ---- */
	unsigned char *data = arena_alloc(a, FILE_LEN);
	unsigned char *back = arena_alloc(a, FILE_LEN + VAULT_CHUNK_MAX);
	unsigned char *tmp;
	unsigned char seed[randombytes_SEEDBYTES] = "kavel test_vault seed 2022.....";
	randombytes_buf_deterministic(data, FILE_LEN, seed);
	unsigned char want_sha[32], sha[32];
	crypto_hash_sha256(want_sha, data, FILE_LEN);

	struct sealed sf;
	CHECK(seal_buf(a, vpk, data, FILE_LEN, VAULT_CHUNK_MAX, &sf) == 0,
	      "1 MiB sealed in 64 KiB chunks");
	CHECK(sf.nframes == 16 &&
	      sf.len == VAULT_HEADER_LEN + 16 * VAULT_FRAME_MAX,
	      "16 frames of 4 + 65536 + 17 bytes after a 109-byte header "
	      "(%zu bytes)", sf.len);
	CHECK(memcmp(sf.p, "KVLT1", 5) == 0, "the file starts with KVLT1");
	CHECK(sf.p[VAULT_HEADER_LEN] == 0x00 &&
	      sf.p[VAULT_HEADER_LEN + 1] == 0x01 &&
	      sf.p[VAULT_HEADER_LEN + 2] == 0x00 &&
	      sf.p[VAULT_HEADER_LEN + 3] == 0x11,
	      "a frame's length is 4 bytes big-endian (65553)");
	CHECK(memcmp(sf.sha, want_sha, 32) == 0,
	      "sealing reports the plaintext's SHA-256");

	size_t blen = 0;
	enum kv_status rc = unseal_buf(vsk, sf.p, sf.len, want_sha, back,
				       &blen, sha, &e);
	CHECK(rc == KV_OK, "the recovered vault key opens it: %s",
	      rc ? e.msg : "");
	CHECK(blen == FILE_LEN && memcmp(back, data, FILE_LEN) == 0,
	      "the opened file is byte-identical");
	CHECK(memcmp(sha, want_sha, 32) == 0,
	      "opening reports the same SHA-256");
	{
		unsigned char bad_sha[32];
		memcpy(bad_sha, want_sha, 32);
		bad_sha[31] ^= 1;
		CHECK(unseal_buf(vsk, sf.p, sf.len, bad_sha, back, &blen, sha,
				 &e) == KV_INVALID,
		      "a SHA-256 other than the receipt's is refused: %s",
		      e.msg);
	}

	/* the plaintext never shows in the ciphertext */
	CHECK(shared_windows(a, data, FILE_LEN, data + 4096, 8192) > 8000,
	      "(the window search finds windows that are there)");
	CHECK(shared_windows(a, data, FILE_LEN, sf.p, sf.len) == 0,
	      "no 64-byte window of the plaintext occurs in the sealed "
	      "file");
	{
		size_t tl = 256 * 1024;
		unsigned char *text = arena_alloc(a, tl);
		static const char line[] =
		    "Inschrijving perceel 1 sociaal wijkteam Dordrecht; "
		    "prijs EUR 9.000.000 per jaar.\n";
		for (size_t i = 0; i < tl; i++)
			text[i] = (unsigned char)line[i % (sizeof line - 1)];
		struct sealed st;
		CHECK(seal_buf(a, vpk, text, tl, VAULT_CHUNK_MAX, &st) == 0 &&
		      shared_windows(a, text, tl, st.p, st.len) == 0,
		      "nor of a repetitive text file");
	}

	/* wrong vault key */
	{
		unsigned char rsk[32];
		randombytes_buf(rsk, sizeof rsk);
		CHECK(unseal_buf(rsk, sf.p, sf.len, NULL, back, &blen, NULL,
				 &e) == KV_DENIED,
		      "a wrong vault key is refused: %s", e.msg);
		unsigned char v2pk[32];
		struct vault_share *sh2;
		size_t nsh2;
		unsigned char x[32], y[32], v2sk[32];
		int r = vault_create(a, (const unsigned char (*)[32])pks, NB,
				     v2pk, &sh2, &nsh2, &e) == KV_OK &&
		    vault_share_open(find_share(sh2, nsh2, 0, 2), pks[0],
				     sks[0], x, &e) == KV_OK &&
		    vault_share_open(find_share(sh2, nsh2, 2, 0), pks[2],
				     sks[2], y, &e) == KV_OK &&
		    vault_combine(x, y, v2pk, v2sk, &e) == KV_OK;
		CHECK(r && memcmp(v2pk, vpk, 32) != 0 &&
		      unseal_buf(v2sk, sf.p, sf.len, NULL, back, &blen, NULL,
				 &e) == KV_DENIED,
		      "another procedure's vault key is refused");
		unsigned char y1[32], mix[32];
		r = vault_share_open(find_share(sh, nsh, 2, 0), pks[2], sks[2],
				     y1, &e) == KV_OK;
		CHECK(r && vault_combine(x, y1, vpk, mix, &e) == KV_DENIED &&
		      vault_combine(x, y1, v2pk, mix, &e) == KV_DENIED,
		      "halves of two different vaults do not combine");
		sodium_memzero(x, 32);
		sodium_memzero(y, 32);
		sodium_memzero(y1, 32);
		sodium_memzero(v2sk, 32);
	}

	tmp = arena_alloc(a, sf.len + VAULT_FRAME_MAX);
	int order[MAXFRAMES];
	for (int i = 0; i < sf.nframes; i++)
		order[i] = i;

	/* truncated */
	size_t tlen = reassemble(&sf, order, sf.nframes - 1, tmp);
	rc = unseal_buf(vsk, tmp, tlen, NULL, back, &blen, NULL, &e);
	CHECK(rc == KV_INVALID && strstr(e.msg, "truncated"),
	      "without its final chunk the file is refused: %s", e.msg);
	tlen = reassemble(&sf, order, 0, tmp);
	CHECK(unseal_buf(vsk, tmp, tlen, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "the header alone is refused");
	{
		int drop[MAXFRAMES], k = 0;
		for (int i = 0; i < sf.nframes; i++)
			if (i != 7)
				drop[k++] = i;
		tlen = reassemble(&sf, drop, k, tmp);
		CHECK(unseal_buf(vsk, tmp, tlen, NULL, back, &blen, NULL,
				 &e) == KV_INVALID,
		      "a file missing a middle chunk is refused");
	}

	/* altered bytes */
	memcpy(tmp, sf.p, sf.len);
	tmp[sf.frame_at[5] + VAULT_FRAME_PREFIX + 1000] ^= 0x20;
	rc = unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL, &e);
	CHECK(rc == KV_INVALID,
	      "one flipped ciphertext byte is refused: %s", e.msg);
	memcpy(tmp, sf.p, sf.len);
	tmp[sf.frame_at[15] + sf.frame_len[15] - 1] ^= 0x01;
	CHECK(unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "a flipped byte in the last tag is refused");
	memcpy(tmp, sf.p, sf.len);
	tmp[sf.frame_at[3] + 3] ^= 0x01;
	CHECK(unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "an altered length prefix is refused: %s", e.msg);
	memcpy(tmp, sf.p, sf.len);
	tmp[VAULT_MAGIC_LEN + 50] ^= 0x01;
	CHECK(unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL, &e) ==
	      KV_DENIED, "an altered sealed file key is refused");
	memcpy(tmp, sf.p, sf.len);
	tmp[VAULT_HEADER_LEN - 1] ^= 0x01;
	CHECK(unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "an altered stream header is refused");
	memcpy(tmp, sf.p, sf.len);
	tmp[4] = '2';
	CHECK(unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID && strcmp(e.field, "file") == 0,
	      "another magic is refused: %s", e.msg);

	/* reordered, repeated, spliced, trailing */
	order[3] = 4;
	order[4] = 3;
	tlen = reassemble(&sf, order, sf.nframes, tmp);
	CHECK(unseal_buf(vsk, tmp, tlen, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "two swapped chunks are refused");
	order[3] = 3;
	order[4] = 3;
	tlen = reassemble(&sf, order, sf.nframes, tmp);
	CHECK(unseal_buf(vsk, tmp, tlen, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "a repeated chunk is refused");
	order[4] = 4;
	order[sf.nframes] = sf.nframes - 1;
	tlen = reassemble(&sf, order, sf.nframes + 1, tmp);
	CHECK(unseal_buf(vsk, tmp, tlen, NULL, back, &blen, NULL, &e) ==
	      KV_INVALID, "a chunk after the final one is refused: %s",
	      e.msg);
	{
		struct sealed s2;
		int r = seal_buf(a, vpk, data, FILE_LEN, VAULT_CHUNK_MAX, &s2);
		memcpy(tmp, sf.p, sf.len);
		memcpy(tmp + sf.frame_at[2], s2.p + s2.frame_at[2],
		       s2.frame_len[2]);
		CHECK(r == 0 && memcmp(s2.p, sf.p, VAULT_HEADER_LEN) != 0 &&
		      unseal_buf(vsk, tmp, sf.len, NULL, back, &blen, NULL,
				 &e) == KV_INVALID,
		      "a chunk from another sealing of the same file is "
		      "refused");
	}

	/* the streaming interface's own refusals */
	{
		struct vault_unsealer u;
		unsigned char pre[4] = {0, 0, 0, 16};
		size_t cl;
		CHECK(vault_frame_length(pre, &cl, &e) == KV_INVALID,
		      "a frame shorter than its tag is refused");
		pre[1] = 1;
		pre[3] = 0x12;
		CHECK(vault_frame_length(pre, &cl, &e) == KV_INVALID,
		      "a frame longer than 64 KiB + 17 is refused: %s", e.msg);
		pre[3] = 0x11;
		CHECK(vault_frame_length(pre, &cl, &e) == KV_OK && cl == 65553,
		      "a full frame's length is accepted");
		int r = vault_unseal_begin(&u, vsk, sf.p, &e) == KV_OK;
		size_t n;
		CHECK(r && vault_unseal_chunk(&u, sf.p + sf.frame_at[0],
					      sf.frame_len[0] - 1, back, &n,
					      &e) == KV_INVALID,
		      "a frame cut short is refused");
		CHECK(vault_unseal_chunk(&u, sf.p + sf.frame_at[0],
					 sf.frame_len[0], back, &n, &e) ==
		      KV_INVALID && vault_unseal_end(&u, NULL, NULL, &e) ==
		      KV_INVALID, "after a refusal the unsealer refuses all");
	}
	{
		struct vault_sealer s;
		unsigned char hdr[VAULT_HEADER_LEN], shabuf[32];
		unsigned char *out = arena_alloc(a, VAULT_FRAME_MAX + 1);
		size_t n;
		vault_seal_begin(&s, vpk, hdr, &e);
		CHECK(vault_seal_chunk(&s, data, VAULT_CHUNK_MAX + 1, out, &n,
				       0, &e) == KV_INVALID && n == 0,
		      "a chunk over 64 KiB is refused: %s", e.msg);
		CHECK(vault_seal_chunk(&s, data, 10, out, &n, 0, &e) == KV_OK &&
		      vault_seal_end(&s, shabuf, &e) == KV_INVALID,
		      "ending without a final chunk is refused: %s", e.msg);
		vault_seal_begin(&s, vpk, hdr, &e);
		CHECK(vault_seal_chunk(&s, data, 10, out, &n, 1, &e) == KV_OK &&
		      vault_seal_chunk(&s, data, 10, out, &n, 1, &e) ==
		      KV_INVALID, "sealing after the final chunk is refused");
		CHECK(vault_seal_end(&s, shabuf, &e) == KV_OK &&
		      sodium_is_zero((const unsigned char *)&s.st,
				     sizeof s.st),
		      "the end wipes the stream state (the file key)");
		struct vault_sealer z;
		memset(&z, 0, sizeof z);
		CHECK(vault_seal_chunk(&z, data, 10, out, &n, 1, &e) ==
		      KV_INVALID, "a sealer never begun refuses");
		unsigned char bad_pk[32] = {0};
		CHECK(vault_seal_begin(&s, bad_pk, hdr, &e) == KV_INVALID,
		      "sealing for an invalid vault key is refused");
	}

	/* an empty file, and chunks of odd sizes */
	{
		struct sealed se;
		unsigned char e_sha[32];
		crypto_hash_sha256(e_sha, (const unsigned char *)"", 0);
		CHECK(seal_buf(a, vpk, data, 0, VAULT_CHUNK_MAX, &se) == 0 &&
		      se.nframes == 1 &&
		      se.len == VAULT_HEADER_LEN + VAULT_FRAME_LEN(0) &&
		      memcmp(se.sha, e_sha, 32) == 0 &&
		      unseal_buf(vsk, se.p, se.len, e_sha, back, &blen, NULL,
				 &e) == KV_OK && blen == 0,
		      "an empty file seals as one empty final chunk and "
		      "opens");
		struct sealed so;
		size_t ol = 100003;
		CHECK(seal_buf(a, vpk, data, ol, 4999, &so) == 0 &&
		      so.nframes == 21 &&
		      unseal_buf(vsk, so.p, so.len, NULL, back, &blen, sha,
				 &e) == KV_OK && blen == ol &&
		      memcmp(back, data, ol) == 0 &&
		      memcmp(sha, so.sha, 32) == 0,
		      "chunks of 4999 bytes with a short last one round-trip");
	}

	/* ---- 5b. a committed file read back piece by piece (vault_reader) ---- */
	{
		char dir[] = "/tmp/kavel-vault-reader-XXXXXX";
		CHECK(mkdtemp(dir) != NULL, "a directory for the reader's files");
		struct sealed sr;
		size_t rl = 200003;
		long last;
		CHECK(seal_buf(a, vpk, data, rl, VAULT_CHUNK_MAX, &sr) == 0 &&
		      write_sealed(dir, "whole.kvlt", sr.p, sr.len) == 0,
		      "a sealed file of four chunks is written");
		size_t got = read_back(dir, "whole.kvlt", vsk, sr.sha, 1000, back, FILE_LEN, &last);
		CHECK(got == rl && last == 0 && memcmp(back, data, rl) == 0,
		      "the reader hands it out whole, in pieces of 1000 bytes, then ends");
		got = read_back(dir, "whole.kvlt", vsk, sr.sha, FILE_LEN, back, FILE_LEN, &last);
		CHECK(got == rl && last == 0, "and in pieces larger than a chunk");
		CHECK(write_sealed(dir, "cut.kvlt", sr.p, sr.frame_at[3]) == 0 &&
		      (read_back(dir, "cut.kvlt", vsk, sr.sha, 4096, back, FILE_LEN, &last), last == -1),
		      "a file cut before its final chunk ends as broken, not as complete");
		unsigned char *bent = arena_alloc(a, sr.len);
		memcpy(bent, sr.p, sr.len);
		bent[sr.frame_at[1] + 30] ^= 1;
		CHECK(write_sealed(dir, "bent.kvlt", bent, sr.len) == 0 &&
		      (got = read_back(dir, "bent.kvlt", vsk, sr.sha, 4096, back, FILE_LEN, &last),
		       last == -1 && got <= VAULT_CHUNK_MAX),
		      "an altered chunk stops the reader at that chunk");
		unsigned char other_sha[32] = {1};
		CHECK((read_back(dir, "whole.kvlt", vsk, other_sha, 4096, back, FILE_LEN, &last),
		       last == -1), "a file whose SHA-256 is not the recorded one ends as broken");
		struct kv_error re;
		unsigned char wrong[32] = {0};
		struct vault_reader *no = vault_reader_open(dir, "whole.kvlt", wrong, sr.sha, &re);
		CHECK(no == NULL, "another vault's key does not open it");
		CHECK(vault_reader_open(dir, "missing.kvlt", vsk, sr.sha, &re) == NULL &&
		      vault_reader_open(dir, "../whole.kvlt", vsk, sr.sha, &re) == NULL,
		      "a missing file or a name with a directory part is refused");
		vault_reader_close(NULL);
		const char *names[] = {"whole.kvlt", "cut.kvlt", "bent.kvlt"};
		for (int i = 0; i < 3; i++) {
			char path[512];
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			unlink(path);
		}
		rmdir(dir);
	}

	/* ---- 6. receipts ---- */
	{
		unsigned char files[2][32], d[32];
		crypto_hash_sha256(files[0],
				   (const unsigned char *)"inschrijving.pdf", 16);
		crypto_hash_sha256(files[1],
				   (const unsigned char *)"begroting.xlsx", 14);
		/* v1 (no submission ids): receipts given before v2 */
		vault_receipt_digest(3, 2, 42, 1656669600, NULL,
				     (const unsigned char (*)[32])files, 2, d);
		sodium_bin2hex(hex, sizeof hex, d, 32);
		CHECK_STR(hex,
			  "35f9c63446b729068c39f183aef808b714ba12de6bd4357e"
			  "89f4b130eb46df60",
			  "a v1 receipt digest matches its documented encoding");
		vault_receipt_digest(3, 2, 42, 1656669600, NULL, NULL, 0, d);
		sodium_bin2hex(hex, sizeof hex, d, 32);
		CHECK_STR(hex,
			  "1d070688470614d8c0c60623a51d76312ee6965e2fcd7208"
			  "15cc980bee574afa", "a v1 receipt without files");
		/* v2: each file with its submission id (the expected values
		 * computed with Python's hashlib and struct from vault.h's
		 * encoding, not with this code) */
		const int64_t ids[2] = {101, 102}, ids2[2] = {101, 103};
		vault_receipt_digest(3, 2, 42, 1656669600, ids,
				     (const unsigned char (*)[32])files, 2, d);
		sodium_bin2hex(hex, sizeof hex, d, 32);
		CHECK_STR(hex,
			  "e26a07c6756a23ff8299e3eb6f0972a62cc01d7f7b7cdc6b"
			  "e037b496ee540f15",
			  "the v2 receipt digest matches the documented encoding");
		unsigned char d2[32];
		vault_receipt_digest(3, 2, 42, 1656669600, ids2,
				     (const unsigned char (*)[32])files, 2, d2);
		sodium_bin2hex(hex, sizeof hex, d2, 32);
		CHECK_STR(hex,
			  "10ccc00e84be15bbb9a61dacfc7b813905f9091c5ca0de9c"
			  "c0d2211385128248",
			  "the same files in the same second under another "
			  "submission id give another receipt");
		vault_receipt_digest(3, 2, 42, 1656669600, ids, NULL, 0, d2);
		sodium_bin2hex(hex, sizeof hex, d2, 32);
		CHECK_STR(hex,
			  "c58390660420d95f7a635319bf65b4fea2c37d50dbbe14f9"
			  "78680432e300fcf5", "a v2 receipt without files");
		vault_receipt_digest(3, 2, 42, 1656669601, ids,
				     (const unsigned char (*)[32])files, 2, d2);
		int differ = memcmp(d, d2, 32) != 0;
		vault_receipt_digest(3, 2, 42, 1656669600, ids,
				     (const unsigned char (*)[32])files, 1, d2);
		differ &= memcmp(d, d2, 32) != 0;
		CHECK(differ, "the time and the file list are covered");
	}

	sodium_memzero(vsk, sizeof vsk);
	sodium_memzero(sks, sizeof sks);
	sodium_memzero(sk2, sizeof sk2);
	arena_free(a);
	return tap_done();
}
