/*
 * vault.c - buyer vault keys, the two-of-n procedure vault, streaming
 * sealing and opening of submissions, receipt digests; see vault.h for
 * the design and the KVLT1 file format.
 *
 * Plain C on libsodium (and OpenSSL for the SHA-256 of streamed files), no I/O.  Every secret on the stack is wiped with
 * sodium_memzero on every path out of the function that made it.  Every
 * refusal names the field and says why in a sentence (English msgid,
 * translated through _()).
 */
#include "vault.h"

#include <string.h>

#include <openssl/evp.h>

#define PASSPHRASE_MAX 1024
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADERBYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_KEYBYTES crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SS_TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define SS_TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define SEALED_KEY_LEN (SS_KEYBYTES + crypto_box_SEALBYTES)

_Static_assert(crypto_box_PUBLICKEYBYTES == VAULT_KEY_LEN, "box pk size");
_Static_assert(crypto_box_SECRETKEYBYTES == VAULT_KEY_LEN, "box sk size");
_Static_assert(crypto_box_SEEDBYTES == VAULT_KEY_LEN, "box seed size");
_Static_assert(crypto_scalarmult_BYTES == VAULT_KEY_LEN, "scalarmult");
_Static_assert(SS_KEYBYTES == 32, "secretstream key size");
_Static_assert(SS_HEADERBYTES == 24 && SS_ABYTES == 17,
	       "secretstream sizes as documented in vault.h");
_Static_assert(VAULT_HEADER_LEN == 109, "KVLT1 header size");
_Static_assert(VAULT_SEALED_PART_LEN == 80, "sealed part size");

enum { ST_NONE = 0, ST_OPEN = 0x5ea1, ST_FINAL, ST_DEAD };

/* ---- 1. buyer vault keys ---------------------------------------------- */

enum kv_status vault_buyer_key_derive_cost(const char *passphrase,
					   const unsigned char salt[crypto_pwhash_SALTBYTES],
					   unsigned long long opslimit,
					   size_t memlimit,
					   unsigned char pk[VAULT_KEY_LEN],
					   unsigned char sk[VAULT_KEY_LEN],
					   struct kv_error *e)
{
	sodium_memzero(pk, VAULT_KEY_LEN);
	sodium_memzero(sk, VAULT_KEY_LEN);
	size_t len = passphrase ? strlen(passphrase) : 0;
	if (len == 0)
		return kv_fail(e, KV_INVALID, "passphrase",
			       _("The vault passphrase is required."));
	if (len > PASSPHRASE_MAX)
		return kv_fail(e, KV_INVALID, "passphrase",
			       _("The vault passphrase is %zu bytes long; at "
				 "most %d are allowed."), len, PASSPHRASE_MAX);
	if (opslimit < crypto_pwhash_OPSLIMIT_MIN ||
	    memlimit < crypto_pwhash_MEMLIMIT_MIN)
		return kv_fail(e, KV_INVALID, "passphrase",
			       _("The cost of the vault key derivation is "
				 "below argon2id's minimum."));

	unsigned char seed[crypto_box_SEEDBYTES];
	if (crypto_pwhash(seed, sizeof seed, passphrase, len, salt, opslimit,
			  memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_memzero(seed, sizeof seed);
		return kv_fail(e, KV_IO, "passphrase",
			       _("The vault key could not be derived: the "
				 "server lacks the memory for argon2id."));
	}
	crypto_box_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
	return KV_OK;
}

enum kv_status vault_buyer_key_derive(const char *passphrase,
				      const unsigned char salt[crypto_pwhash_SALTBYTES],
				      unsigned char pk[VAULT_KEY_LEN],
				      unsigned char sk[VAULT_KEY_LEN],
				      struct kv_error *e)
{
	return vault_buyer_key_derive_cost(passphrase, salt,
					   crypto_pwhash_OPSLIMIT_MODERATE,
					   crypto_pwhash_MEMLIMIT_MODERATE,
					   pk, sk, e);
}

/* ---- 2. the procedure vault ------------------------------------------- */

enum kv_status vault_create(arena *a,
			    const unsigned char buyer_pks[][VAULT_KEY_LEN],
			    int n, unsigned char vault_pk[VAULT_KEY_LEN],
			    struct vault_share **shares, size_t *nshares,
			    struct kv_error *e)
{
	*shares = NULL;
	*nshares = 0;
	if (n < 2)
		return kv_fail(e, KV_INVALID, "buyers",
			       _("A vault needs at least two different "
				 "buyers with a vault key: it opens only when "
				 "two of them act together."));
	if (n > VAULT_BUYERS_MAX)
		return kv_fail(e, KV_INVALID, "buyers",
			       _("A vault can have at most %d buyers; %d "
				 "were given."), VAULT_BUYERS_MAX, n);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (sodium_memcmp(buyer_pks[i], buyer_pks[j],
					  VAULT_KEY_LEN) == 0)
				return kv_fail(e, KV_INVALID, "buyers",
					       _("Buyers %d and %d have the "
						 "same vault key; every buyer "
						 "needs a key of their own."),
					       i + 1, j + 1);

	size_t count = (size_t)n * (size_t)(n - 1);
	struct vault_share *sh = arena_alloc(a, count * sizeof *sh);
	unsigned char sk_v[crypto_box_SECRETKEYBYTES];
	unsigned char r[VAULT_KEY_LEN], masked[VAULT_KEY_LEN];
	enum kv_status rc = KV_OK;
	size_t k = 0;

	crypto_box_keypair(vault_pk, sk_v);
	for (int i = 0; i < n && rc == KV_OK; i++) {
		for (int j = i + 1; j < n; j++) {
			randombytes_buf(r, sizeof r);
			for (size_t b = 0; b < VAULT_KEY_LEN; b++)
				masked[b] = sk_v[b] ^ r[b];
			struct vault_share *s0 = &sh[k], *s1 = &sh[k + 1];
			s0->holder = i;
			s0->partner = j;
			s0->part = 0;
			s1->holder = j;
			s1->partner = i;
			s1->part = 1;
			int bad = -1;
			if (crypto_box_seal(s0->sealed, r, sizeof r,
					    buyer_pks[i]) != 0)
				bad = i;
			else if (crypto_box_seal(s1->sealed, masked,
						 sizeof masked,
						 buyer_pks[j]) != 0)
				bad = j;
			if (bad >= 0) {
				rc = kv_fail(e, KV_INVALID, "buyers",
					     _("The vault key of buyer %d is "
					       "not a valid public key."),
					     bad + 1);
				break;
			}
			k += 2;
		}
	}
	sodium_memzero(sk_v, sizeof sk_v);
	sodium_memzero(r, sizeof r);
	sodium_memzero(masked, sizeof masked);
	if (rc != KV_OK) {
		sodium_memzero(vault_pk, VAULT_KEY_LEN);
		return rc;
	}
	*shares = sh;
	*nshares = count;
	return KV_OK;
}

/* ---- 3. opening the vault --------------------------------------------- */

enum kv_status vault_share_open(const struct vault_share *share,
				const unsigned char buyer_pk[VAULT_KEY_LEN],
				const unsigned char buyer_sk[VAULT_KEY_LEN],
				unsigned char part[VAULT_KEY_LEN],
				struct kv_error *e)
{
	if (crypto_box_seal_open(part, share->sealed, sizeof share->sealed,
				 buyer_pk, buyer_sk) != 0) {
		sodium_memzero(part, VAULT_KEY_LEN);
		return kv_fail(e, KV_DENIED, "passphrase",
			       _("This vault share does not open with this "
				 "vault key: the passphrase is wrong, the "
				 "share belongs to another buyer, or it was "
				 "altered."));
	}
	return KV_OK;
}

enum kv_status vault_pair_check(const struct vault_share *a,
				const struct vault_share *b,
				struct kv_error *e)
{
	if (a->holder == b->holder)
		return kv_fail(e, KV_DENIED, "share",
			       _("Both shares belong to the same buyer; the "
				 "vault opens only with two different "
				 "buyers."));
	if (a->partner != b->holder || b->partner != a->holder ||
	    a->part == b->part || (a->part != 0 && a->part != 1) ||
	    (b->part != 0 && b->part != 1))
		return kv_fail(e, KV_DENIED, "share",
			       _("These two shares are not the two halves "
				 "of one pair of buyers."));
	return KV_OK;
}

enum kv_status vault_combine(const unsigned char part_a[VAULT_KEY_LEN],
			     const unsigned char part_b[VAULT_KEY_LEN],
			     const unsigned char vault_pk[VAULT_KEY_LEN],
			     unsigned char sk[VAULT_KEY_LEN],
			     struct kv_error *e)
{
	unsigned char pk[crypto_scalarmult_BYTES];
	for (size_t i = 0; i < VAULT_KEY_LEN; i++)
		sk[i] = part_a[i] ^ part_b[i];
	int ok = crypto_scalarmult_base(pk, sk) == 0 &&
	    sodium_memcmp(pk, vault_pk, sizeof pk) == 0;
	sodium_memzero(pk, sizeof pk);
	if (!ok) {
		sodium_memzero(sk, VAULT_KEY_LEN);
		return kv_fail(e, KV_DENIED, "share",
			       _("These two parts do not open this vault: "
				 "they must be the two halves of one pair, "
				 "opened by two different buyers, and "
				 "unaltered."));
	}
	return KV_OK;
}

/* ---- 4. sealing a submission ------------------------------------------ */

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The running SHA-256 of a file's plaintext is OpenSSL's (EVP), which
 * uses the CPU's SHA extensions where there are any: several times faster
 * than a portable SHA-256, and the hash is most of a sealed upload's
 * work.  The context is allocated at begin and freed by end or wipe. */
static EVP_MD_CTX *sha_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		c = NULL;
	}
	return c;
}

static void sha_free(EVP_MD_CTX **c)
{
	EVP_MD_CTX_free(*c);   /* clears the state, NULL is fine */
	*c = NULL;
}

static void sha_final(EVP_MD_CTX **c, unsigned char out[32])
{
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(*c, out, &n) != 1 || n != 32)
		sodium_memzero(out, 32);
	sha_free(c);
}

void vault_sealer_wipe(struct vault_sealer *s)
{
	sha_free(&s->sha);
	sodium_memzero(s, sizeof *s);
}

enum kv_status vault_seal_begin(struct vault_sealer *s,
				const unsigned char vault_pk[VAULT_KEY_LEN],
				unsigned char header[VAULT_HEADER_LEN],
				struct kv_error *e)
{
	unsigned char k[SS_KEYBYTES];
	memset(s, 0, sizeof *s);   /* a new sealer: nothing to free */
	memcpy(header, VAULT_MAGIC, VAULT_MAGIC_LEN);
	crypto_secretstream_xchacha20poly1305_keygen(k);
	int bad = crypto_box_seal(header + VAULT_MAGIC_LEN, k, sizeof k,
				  vault_pk) != 0 ||
	    crypto_secretstream_xchacha20poly1305_init_push(
		&s->st, header + VAULT_MAGIC_LEN + SEALED_KEY_LEN, k) != 0;
	sodium_memzero(k, sizeof k);
	if (bad) {
		vault_sealer_wipe(s);
		sodium_memzero(header, VAULT_HEADER_LEN);
		return kv_fail(e, KV_INVALID, "vault",
			       _("The vault's public key is not valid."));
	}
	if (!(s->sha = sha_new())) {
		vault_sealer_wipe(s);
		sodium_memzero(header, VAULT_HEADER_LEN);
		return kv_fail(e, KV_IO, "", _("Out of memory while sealing."));
	}
	s->state = ST_OPEN;
	return KV_OK;
}

enum kv_status vault_seal_chunk(struct vault_sealer *s,
				const unsigned char *plaintext, size_t len,
				unsigned char *out, size_t *outlen, int last,
				struct kv_error *e)
{
	*outlen = 0;
	if (s->state != ST_OPEN)
		return kv_fail(e, KV_INVALID, "file",
			       s->state == ST_FINAL
			       ? _("The file's last part was already sealed; "
				   "nothing may follow it.")
			       : _("Sealing was not started or has failed."));
	if (len > VAULT_CHUNK_MAX)
		return kv_fail(e, KV_INVALID, "file",
			       _("A part of %zu bytes is too large to seal; "
				 "at most %d bytes go in one part."), len,
			       VAULT_CHUNK_MAX);
	unsigned long long clen = 0;
	if (crypto_secretstream_xchacha20poly1305_push(
		    &s->st, out + VAULT_FRAME_PREFIX, &clen, plaintext, len,
		    NULL, 0, last ? SS_TAG_FINAL : SS_TAG_MESSAGE) != 0) {
		vault_sealer_wipe(s);
		s->state = ST_DEAD;
		return kv_fail(e, KV_INVALID, "file",
			       _("The part could not be sealed."));
	}
	put_u32(out, (uint32_t)clen);
	*outlen = VAULT_FRAME_PREFIX + (size_t)clen;
	if (len && EVP_DigestUpdate(s->sha, plaintext, len) != 1) {
		vault_sealer_wipe(s);
		s->state = ST_DEAD;
		return kv_fail(e, KV_IO, "file", _("The part could not be hashed."));
	}
	s->bytes += len;
	if (last)
		s->state = ST_FINAL;
	return KV_OK;
}

enum kv_status vault_seal_end(struct vault_sealer *s,
			      unsigned char sha256[32], struct kv_error *e)
{
	if (s->state != ST_FINAL) {
		vault_sealer_wipe(s);
		s->state = ST_DEAD;
		sodium_memzero(sha256, 32);
		return kv_fail(e, KV_INVALID, "file",
			       _("The file was not finished: its last part "
				 "was never sealed, so it could not be "
				 "opened."));
	}
	sha_final(&s->sha, sha256);
	vault_sealer_wipe(s);
	s->state = ST_DEAD;
	return KV_OK;
}

/* ---- 5. opening a submission ------------------------------------------ */

void vault_unsealer_wipe(struct vault_unsealer *u)
{
	sha_free(&u->sha);
	sodium_memzero(u, sizeof *u);
}

enum kv_status vault_unseal_begin(struct vault_unsealer *u,
				  const unsigned char vault_sk[VAULT_KEY_LEN],
				  const unsigned char header[VAULT_HEADER_LEN],
				  struct kv_error *e)
{
	memset(u, 0, sizeof *u);   /* a new unsealer: nothing to free */
	if (memcmp(header, VAULT_MAGIC, VAULT_MAGIC_LEN) != 0)
		return kv_fail(e, KV_INVALID, "file",
			       _("This is not a sealed Kavel submission: it "
				 "does not start with \"KVLT1\"."));
	unsigned char pk[crypto_box_PUBLICKEYBYTES], k[SS_KEYBYTES];
	enum kv_status rc = KV_OK;
	if (crypto_scalarmult_base(pk, vault_sk) != 0 ||
	    crypto_box_seal_open(k, header + VAULT_MAGIC_LEN, SEALED_KEY_LEN,
				 pk, vault_sk) != 0)
		rc = kv_fail(e, KV_DENIED, "file",
			     _("This submission was not sealed for this "
			       "vault, or its header was altered."));
	else if (crypto_secretstream_xchacha20poly1305_init_pull(
			 &u->st, header + VAULT_MAGIC_LEN + SEALED_KEY_LEN,
			 k) != 0)
		rc = kv_fail(e, KV_INVALID, "file",
			     _("The header of this submission is damaged."));
	sodium_memzero(k, sizeof k);
	sodium_memzero(pk, sizeof pk);
	if (rc != KV_OK) {
		vault_unsealer_wipe(u);
		u->state = ST_DEAD;
		return rc;
	}
	if (!(u->sha = sha_new())) {
		vault_unsealer_wipe(u);
		u->state = ST_DEAD;
		return kv_fail(e, KV_IO, "", _("Out of memory while opening."));
	}
	u->state = ST_OPEN;
	return KV_OK;
}

enum kv_status vault_frame_length(const unsigned char prefix[VAULT_FRAME_PREFIX],
				  size_t *ciphertext_len, struct kv_error *e)
{
	uint32_t n = get_u32(prefix);
	*ciphertext_len = 0;
	if (n < SS_ABYTES || n > VAULT_CHUNK_MAX + SS_ABYTES)
		return kv_fail(e, KV_INVALID, "file",
			       _("The submission is damaged: a part claims "
				 "a length of %lu bytes, outside %d..%d."),
			       (unsigned long)n, (int)SS_ABYTES,
			       (int)(VAULT_CHUNK_MAX + SS_ABYTES));
	*ciphertext_len = n;
	return KV_OK;
}

static enum kv_status unseal_refuse(struct vault_unsealer *u,
				    struct kv_error *e, const char *msg)
{
	vault_unsealer_wipe(u);
	u->state = ST_DEAD;
	return kv_fail(e, KV_INVALID, "file", "%s", msg);
}

enum kv_status vault_unseal_chunk(struct vault_unsealer *u,
				  const unsigned char *frame, size_t frame_len,
				  unsigned char *out, size_t *outlen,
				  struct kv_error *e)
{
	*outlen = 0;
	if (u->state == ST_FINAL)
		return unseal_refuse(u, e, _("The submission is damaged: "
					     "data follows its last part."));
	if (u->state != ST_OPEN)
		return kv_fail(e, KV_INVALID, "file",
			       _("Opening was not started or has failed."));
	size_t clen;
	if (frame_len < VAULT_FRAME_PREFIX ||
	    vault_frame_length(frame, &clen, e) != KV_OK ||
	    clen != frame_len - VAULT_FRAME_PREFIX)
		return unseal_refuse(u, e, _("The submission is damaged: "
					     "a part's length does not match "
					     "its content."));
	unsigned long long mlen = 0;
	unsigned char tag = 0;
	if (crypto_secretstream_xchacha20poly1305_pull(
		    &u->st, out, &mlen, &tag, frame + VAULT_FRAME_PREFIX,
		    clen, NULL, 0) != 0 ||
	    (tag != SS_TAG_MESSAGE && tag != SS_TAG_FINAL)) {
		sodium_memzero(out, clen - SS_ABYTES);
		return unseal_refuse(u, e, _("The submission is damaged or "
					     "was altered: a part does not "
					     "authenticate (changed, moved or "
					     "from another file)."));
	}
	if (mlen && EVP_DigestUpdate(u->sha, out, (size_t)mlen) != 1) {
		sodium_memzero(out, (size_t)mlen);
		return unseal_refuse(u, e, _("A part could not be hashed."));
	}
	u->bytes += mlen;
	*outlen = (size_t)mlen;
	if (tag == SS_TAG_FINAL)
		u->state = ST_FINAL;
	return KV_OK;
}

enum kv_status vault_unseal_end(struct vault_unsealer *u,
				const unsigned char *expected_sha256,
				unsigned char sha256[32], struct kv_error *e)
{
	unsigned char h[32];
	if (u->state != ST_FINAL) {
		int was_open = u->state == ST_OPEN;
		vault_unsealer_wipe(u);
		u->state = ST_DEAD;
		if (sha256)
			sodium_memzero(sha256, 32);
		return kv_fail(e, KV_INVALID, "file",
			       was_open
			       ? _("The submission is incomplete: it ends "
				   "before its last part (truncated).")
			       : _("Opening was not started or has failed."));
	}
	sha_final(&u->sha, h);
	vault_unsealer_wipe(u);
	u->state = ST_DEAD;
	if (sha256)
		memcpy(sha256, h, sizeof h);
	if (expected_sha256 && sodium_memcmp(h, expected_sha256, 32) != 0)
		return kv_fail(e, KV_INVALID, "file",
			       _("The opened submission's SHA-256 differs "
				 "from the one on its receipt."));
	return KV_OK;
}

enum kv_status vault_unseal_stream(const unsigned char vault_sk[VAULT_KEY_LEN],
				   vault_read_fn rd, void *ctx,
				   unsigned char *frame, unsigned char *plain,
				   void (*sink)(void *ctx, const unsigned char *b,
						size_t n),
				   const unsigned char *expected_sha256,
				   unsigned char sha256[32], uint64_t *bytes,
				   struct kv_error *e)
{
	struct vault_unsealer u = {0};
	unsigned char header[VAULT_HEADER_LEN];
	*bytes = 0;
	vault_unsealer_wipe(&u);
	enum kv_status rc;
	if (rd(ctx, header, sizeof header) != 1)
		rc = kv_fail(e, KV_INVALID, "file",
			     _("This is not a sealed Kavel submission: it is "
			       "shorter than its header."));
	else
		rc = vault_unseal_begin(&u, vault_sk, header, e);
	while (rc == KV_OK) {
		int got = rd(ctx, frame, VAULT_FRAME_PREFIX);
		if (got == 0)
			break;
		size_t clen = 0, plen = 0;
		if (got != 1)
			rc = kv_fail(e, KV_INVALID, "file",
				     _("The submission is incomplete: it ends "
				       "inside a part (truncated)."));
		else if ((rc = vault_frame_length(frame, &clen, e)) != KV_OK)
			;
		else if (rd(ctx, frame + VAULT_FRAME_PREFIX, clen) != 1)
			rc = kv_fail(e, KV_INVALID, "file",
				     _("The submission is incomplete: it ends "
				       "inside a part (truncated)."));
		else if ((rc = vault_unseal_chunk(&u, frame,
						  VAULT_FRAME_PREFIX + clen,
						  plain, &plen, e)) == KV_OK &&
			 plen && sink)
			sink(ctx, plain, plen);
	}
	uint64_t n = u.bytes;
	if (rc == KV_OK)
		rc = vault_unseal_end(&u, expected_sha256, sha256, e);
	else
		vault_unsealer_wipe(&u);
	if (rc == KV_OK)
		*bytes = n;
	sodium_memzero(plain, VAULT_CHUNK_MAX);
	sodium_memzero(header, sizeof header);
	return rc;
}

/* ---- 6. receipts ------------------------------------------------------ */

static void put_u64(crypto_hash_sha256_state *st, uint64_t v)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	crypto_hash_sha256_update(st, b, sizeof b);
}

void vault_receipt_digest(int64_t procedure_id, int64_t lot_number,
			  int64_t bidder_id, int64_t server_time,
			  const int64_t *submission_ids,
			  const unsigned char file_sha256[][32], size_t nfiles,
			  unsigned char out[32])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)
				  (submission_ids ? "kavel-receipt-v2"
						  : "kavel-receipt-v1"), 16);
	put_u64(&st, (uint64_t)procedure_id);
	put_u64(&st, (uint64_t)lot_number);
	put_u64(&st, (uint64_t)bidder_id);
	put_u64(&st, (uint64_t)server_time);
	put_u64(&st, (uint64_t)nfiles);
	for (size_t i = 0; i < nfiles; i++) {
		if (submission_ids)
			put_u64(&st, (uint64_t)submission_ids[i]);
		crypto_hash_sha256_update(&st, file_sha256[i], 32);
	}
	crypto_hash_sha256_final(&st, out);
}
