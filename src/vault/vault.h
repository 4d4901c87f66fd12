/*
 * vault.h - the sealed bid vault: submissions stay sealed until two
 * different authorised buyers open the procedure's vault together.
 *
 * Plain C on libsodium, no I/O: the files of the vault directory are
 * vault_dir.h's, the rows the store's.  Every refusal returns an enum kv_status and a sentence in a
 * struct kv_error (English msgid, translated through _()).  Nothing here
 * allocates except vault_create, which puts the shares in the caller's
 * arena.  Every secret this file holds on the stack (seeds, the vault
 * secret key, the random halves, file keys, stream states) is wiped with
 * sodium_memzero before the function returns; secrets handed back to
 * the caller (a buyer's secret key, an opened part, the vault secret
 * key) are the caller's to wipe.  Call sodium_init() first.
 *
 * 1. Buyer vault keys.  Each authorised buyer has a vault passphrase,
 *    separate from the login password.  vault_buyer_key_derive:
 *      seed = argon2id(passphrase, salt, OPSLIMIT_MODERATE,
 *                      MEMLIMIT_MODERATE)           (crypto_pwhash, 32 B)
 *      (pk, sk) = crypto_box_seed_keypair(seed)      (X25519)
 *    The server stores only the salt (crypto_pwhash_SALTBYTES, random,
 *    one per buyer) and pk.  A wrong passphrase gives another key pair,
 *    which opens none of the buyer's shares.
 *
 * 2. The procedure vault.  vault_create, for n >= 2 buyers with public
 *    keys pk_0 .. pk_{n-1}: a fresh X25519 pair (pk_v, sk_v) =
 *    crypto_box_keypair(); for every unordered pair i < j a random
 *    32-byte r_ij and two shares:
 *      share (holder i, partner j, part 0) = crypto_box_seal(r_ij, pk_i)
 *      share (holder j, partner i, part 1) = crypto_box_seal(sk_v ^ r_ij,
 *                                                            pk_j)
 *    then sk_v and every r_ij are wiped.  That is n(n-1) shares.  One
 *    buyer holds only halves of different pairs, each by itself a
 *    uniformly random string, so no single buyer (and not the server,
 *    which has no buyer secret key) learns anything of sk_v; the two
 *    buyers of any pair together have r_ij and sk_v ^ r_ij.
 *
 * 3. Opening the vault.  vault_share_open unseals one share with its
 *    holder's key pair; vault_combine XORs the two halves and accepts
 *    the result only when crypto_scalarmult_base(result) equals pk_v
 *    (compared in constant time), so two parts that do not belong
 *    together (different pairs, one buyer's two shares, an altered
 *    part) are refused rather than giving a wrong key.  (X25519 ignores
 *    five bits of a secret key, so a part altered only in those bits
 *    gives a key that differs in them and opens exactly the same files.)
 *    vault_pair_check tells early, from the unauthenticated share fields,
 *    whether two shares can be a pair at all.
 *
 * 4./5. A sealed submission file (format "KVLT1"); all integers big-endian:
 *
 *      offset  size  field
 *      0       5     magic "KVLT1" (ASCII, no terminator)
 *      5       80    sealed file key: crypto_box_seal(k, pk_v), where k is
 *                    a random 32-byte crypto_secretstream_xchacha20poly1305
 *                    key, one per file (32 + crypto_box_SEALBYTES bytes)
 *      85      24    crypto_secretstream_xchacha20poly1305 header
 *      109     ...   one or more chunks, each:
 *                      4 bytes  L = ciphertext length, 17 <= L <= 65553
 *                      L bytes  crypto_secretstream_xchacha20poly1305_push
 *                               of 0..65536 plaintext bytes (L = plaintext
 *                               length + 17), no additional data, tag
 *                               TAG_MESSAGE, or TAG_FINAL on the last
 *                    and nothing after the chunk tagged TAG_FINAL.
 *
 *    The secretstream binds every chunk to its position, so dropped,
 *    reordered, repeated or altered chunks fail to authenticate, and a
 *    stream that ends without TAG_FINAL is refused as truncated.  Sealing
 *    and opening hold one chunk at a time, never the file.  Both sides
 *    compute the SHA-256 of the plaintext; the sealing side's goes into
 *    the bidder's receipt, and opening compares against it.
 *
 *    Opening is streaming: vault_unseal_chunk hands out the plaintext of
 *    each chunk once it has authenticated, before the end of the file is
 *    known.  Until vault_unseal_end returns KV_OK the caller must treat
 *    what it received as unconfirmed (write it to a temporary file and
 *    delete that on any refusal).
 *
 * 6. vault_receipt_digest: SHA-256 over a length-prefixed encoding (as
 *    the audit chain's): "kavel-receipt-v2" || u64 procedure id || u64
 *    lot number || u64 bidder id || u64 server time (seconds since 1970
 *    UTC) || u64 number of files || per file, in order, u64 submission
 *    id || its 32-byte SHA-256.  The submission id makes every receipt
 *    its own: two identical bids in one second get two receipts.
 *    Receipts given before v2 ("kavel-receipt-v1": no submission ids)
 *    are still checked at opening (submission_ids NULL).
 */
#ifndef KAVEL_VAULT_H
#define KAVEL_VAULT_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"

#define VAULT_KEY_LEN 32          /* public keys, secret keys, parts */
#define VAULT_SEALED_PART_LEN (32 + crypto_box_SEALBYTES)   /* 80 */
#define VAULT_BUYERS_MAX 32       /* at most 32 * 31 = 992 shares */

#define VAULT_MAGIC "KVLT1"
#define VAULT_MAGIC_LEN 5
#define VAULT_HEADER_LEN (VAULT_MAGIC_LEN + 32 + crypto_box_SEALBYTES + \
	crypto_secretstream_xchacha20poly1305_HEADERBYTES)      /* 109 */
#define VAULT_CHUNK_MAX 65536     /* plaintext bytes in one chunk */
#define VAULT_FRAME_PREFIX 4      /* the chunk's big-endian length */
/* Bytes a chunk of n plaintext bytes takes on disk, prefix included. */
#define VAULT_FRAME_LEN(n) ((size_t)(n) + VAULT_FRAME_PREFIX + \
	crypto_secretstream_xchacha20poly1305_ABYTES)
#define VAULT_FRAME_MAX VAULT_FRAME_LEN(VAULT_CHUNK_MAX)    /* 65557 */

/* ---- 1. buyer vault keys ---------------------------------------------- */

/* The buyer's key pair from the passphrase (non-empty, NUL-terminated)
 * and the buyer's salt, with argon2id at OPSLIMIT_MODERATE and
 * MEMLIMIT_MODERATE (about 256 MiB and a second).  KV_INVALID for an
 * empty or over-long passphrase, KV_IO when argon2id cannot get its
 * memory.  On refusal pk and sk are zeroed. */
enum kv_status vault_buyer_key_derive(const char *passphrase,
				      const unsigned char salt[crypto_pwhash_SALTBYTES],
				      unsigned char pk[VAULT_KEY_LEN],
				      unsigned char sk[VAULT_KEY_LEN],
				      struct kv_error *e);
/* The same with explicit argon2id costs (>= libsodium's minimums).  For
 * tests; a key derived with other costs is simply another key. */
enum kv_status vault_buyer_key_derive_cost(const char *passphrase,
					   const unsigned char salt[crypto_pwhash_SALTBYTES],
					   unsigned long long opslimit,
					   size_t memlimit,
					   unsigned char pk[VAULT_KEY_LEN],
					   unsigned char sk[VAULT_KEY_LEN],
					   struct kv_error *e);

/* ---- 2. the procedure vault ------------------------------------------- */

struct vault_share {
	int holder;   /* index into the buyer keys given to vault_create */
	int partner;  /* the other buyer of the pair */
	int part;     /* 0 = the random half, 1 = the masked key */
	unsigned char sealed[VAULT_SEALED_PART_LEN];
};

/* Creates a vault for n buyers (2 <= n <= VAULT_BUYERS_MAX, all public
 * keys different and valid): its public key into vault_pk and n(n-1)
 * shares, in the arena, into *shares and *nshares, ordered by pair
 * (0,1), (0,2) .. (n-2,n-1), part 0 then part 1.  The vault's secret key
 * exists only inside this call. */
enum kv_status vault_create(arena *a,
			    const unsigned char buyer_pks[][VAULT_KEY_LEN],
			    int n, unsigned char vault_pk[VAULT_KEY_LEN],
			    struct vault_share **shares, size_t *nshares,
			    struct kv_error *e);

/* ---- 3. opening the vault --------------------------------------------- */

/* Unseals share's part with its holder's key pair into part (the
 * caller wipes it).  KV_DENIED when it does not open: another buyer's
 * share, a key from a wrong passphrase, or an altered share. */
enum kv_status vault_share_open(const struct vault_share *share,
				const unsigned char buyer_pk[VAULT_KEY_LEN],
				const unsigned char buyer_sk[VAULT_KEY_LEN],
				unsigned char part[VAULT_KEY_LEN],
				struct kv_error *e);

/* KV_OK when a and b are the two shares of one pair (same two buyers,
 * different holders, parts 0 and 1).  Only a helpful early refusal: the
 * fields are not authenticated; vault_combine is the real check. */
enum kv_status vault_pair_check(const struct vault_share *a,
				const struct vault_share *b,
				struct kv_error *e);

/* sk = part_a ^ part_b (in either order), accepted only when its public
 * key is vault_pk; else KV_DENIED and sk zeroed.  The caller wipes sk. */
enum kv_status vault_combine(const unsigned char part_a[VAULT_KEY_LEN],
			     const unsigned char part_b[VAULT_KEY_LEN],
			     const unsigned char vault_pk[VAULT_KEY_LEN],
			     unsigned char sk[VAULT_KEY_LEN],
			     struct kv_error *e);

/* ---- 4. sealing a submission ------------------------------------------ */

/* Caller-allocated (on the stack is fine); holds no buffer, only the
 * stream state (which contains the file's key) and the running SHA-256
 * (an OpenSSL context: begin allocates it, end or wipe frees it). */
struct vault_sealer {
	crypto_secretstream_xchacha20poly1305_state st;
	struct evp_md_ctx_st *sha;   /* SHA-256 (OpenSSL), NULL when ended */
	uint64_t bytes;  /* plaintext bytes so far */
	int state;       /* private */
};

/* Starts a file for the vault with public key vault_pk: writes the
 * VAULT_HEADER_LEN bytes of the file's header into header. */
enum kv_status vault_seal_begin(struct vault_sealer *s,
				const unsigned char vault_pk[VAULT_KEY_LEN],
				unsigned char header[VAULT_HEADER_LEN],
				struct kv_error *e);
/* Seals len (0..VAULT_CHUNK_MAX) plaintext bytes as one chunk into out,
 * length prefix included: *outlen = VAULT_FRAME_LEN(len) bytes, out must
 * have room for them.  last != 0 for the file's last chunk (TAG_FINAL);
 * no chunk may follow it.  An empty file is one empty last chunk. */
enum kv_status vault_seal_chunk(struct vault_sealer *s,
				const unsigned char *plaintext, size_t len,
				unsigned char *out, size_t *outlen, int last,
				struct kv_error *e);
/* After the last chunk: the plaintext's SHA-256 into sha256 (for the
 * receipt); wipes the sealer.  KV_INVALID (and the sealer wiped) when
 * the last chunk was not sealed: such a file would be refused. */
enum kv_status vault_seal_end(struct vault_sealer *s,
			      unsigned char sha256[32], struct kv_error *e);
/* Wipes a sealer abandoned on an error path; idempotent. */
void vault_sealer_wipe(struct vault_sealer *s);

/* ---- 5. opening a submission ------------------------------------------ */

struct vault_unsealer {
	crypto_secretstream_xchacha20poly1305_state st;
	struct evp_md_ctx_st *sha;   /* SHA-256 (OpenSSL), NULL when ended */
	uint64_t bytes;  /* plaintext bytes so far */
	int state;       /* private */
};

/* Reads the header (VAULT_HEADER_LEN bytes) with the vault's secret key
 * (from vault_combine).  KV_INVALID when it is not a KVLT1 header,
 * KV_DENIED when the file was not sealed for this vault (or the sealed
 * key was altered). */
enum kv_status vault_unseal_begin(struct vault_unsealer *u,
				  const unsigned char vault_sk[VAULT_KEY_LEN],
				  const unsigned char header[VAULT_HEADER_LEN],
				  struct kv_error *e);
/* The number of bytes that follow a chunk's 4-byte prefix, refused
 * (KV_INVALID) when out of range: read the prefix, then this many bytes,
 * and pass the whole frame to vault_unseal_chunk. */
enum kv_status vault_frame_length(const unsigned char prefix[VAULT_FRAME_PREFIX],
				  size_t *ciphertext_len, struct kv_error *e);
/* Opens one frame (prefix and ciphertext, frame_len bytes) into out
 * (room for VAULT_CHUNK_MAX bytes, or frame_len - 21), *outlen bytes.
 * KV_INVALID when it does not authenticate (altered, reordered, from
 * another file), follows the final chunk, or is malformed; after a
 * refusal the unsealer is wiped and refuses everything. */
enum kv_status vault_unseal_chunk(struct vault_unsealer *u,
				  const unsigned char *frame, size_t frame_len,
				  unsigned char *out, size_t *outlen,
				  struct kv_error *e);
/* After the last frame: KV_INVALID when no chunk carried TAG_FINAL (a
 * truncated file) or when expected_sha256 (NULL: not checked) differs
 * from the plaintext's SHA-256, which goes into sha256 (may be NULL).
 * Wipes the unsealer. */
enum kv_status vault_unseal_end(struct vault_unsealer *u,
				const unsigned char *expected_sha256,
				unsigned char sha256[32], struct kv_error *e);
/* Wipes an unsealer abandoned on an error path; idempotent. */
void vault_unsealer_wipe(struct vault_unsealer *u);

/* Reads n bytes for vault_unseal_stream into b: 1 when all n came, 0 at
 * a clean end before the first of them, -1 on a short read or an error. */
typedef int (*vault_read_fn)(void *ctx, unsigned char *b, size_t n);
/* Opens a whole sealed file, read through rd in order: the header, then
 * frame after frame (vault_frame_length, vault_unseal_chunk) until a
 * clean end, then vault_unseal_end with expected_sha256 (NULL: not
 * checked).  frame has room for VAULT_FRAME_MAX bytes, plain for
 * VAULT_CHUNK_MAX (wiped before returning); each chunk's plaintext goes
 * to sink (may be NULL) once it has authenticated, unconfirmed until
 * KV_OK.  On KV_OK *bytes is the plaintext's length and sha256 (may be
 * NULL) its SHA-256.  Refuses, never crashes, whatever the bytes: this
 * is the path the fuzzer (fuzz/fuzz_vault.c) drives with arbitrary
 * files. */
enum kv_status vault_unseal_stream(const unsigned char vault_sk[VAULT_KEY_LEN],
				   vault_read_fn rd, void *ctx,
				   unsigned char *frame, unsigned char *plain,
				   void (*sink)(void *ctx, const unsigned char *b,
						size_t n),
				   const unsigned char *expected_sha256,
				   unsigned char sha256[32], uint64_t *bytes,
				   struct kv_error *e);

/* ---- 6. receipts ------------------------------------------------------ */

/* The receipt's digest (encoding above) into out: v2 with the nfiles
 * submission ids, v1 when submission_ids is NULL (older receipts only). */
void vault_receipt_digest(int64_t procedure_id, int64_t lot_number,
			  int64_t bidder_id, int64_t server_time,
			  const int64_t *submission_ids,
			  const unsigned char file_sha256[][32], size_t nfiles,
			  unsigned char out[32]);

#endif
