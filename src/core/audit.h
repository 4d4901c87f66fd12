/*
 * audit.h - the hash chain of the audit log.
 *
 * Every change of state appends one event; its hash covers the previous
 * event's hash and every field of the event in a length-prefixed encoding,
 * so altering, removing or reordering any event breaks the chain from that
 * point on.  Plain C (libsodium's SHA-256), no I/O.
 */
#ifndef KAVEL_AUDIT_H
#define KAVEL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

#define AUDIT_HASH_LEN 32

struct audit_event {
	int64_t seq;            /* 1, 2, 3, ... without gaps */
	kv_instant at;          /* UTC */
	int64_t actor;          /* account id, 0 = system */
	int64_t tenant_id;      /* 0 = installation-wide */
	const char *action;     /* "stage.complete" */
	const char *object;     /* "procedure/3/stage/7" */
	const char *before;     /* JSON or "" */
	const char *after;      /* JSON or "" */
	unsigned char prev[AUDIT_HASH_LEN];
	unsigned char hash[AUDIT_HASH_LEN];
};

/* Computes ev->hash from ev->prev and the fields. */
void audit_seal(struct audit_event *ev);
/* 1 when ev->hash is what audit_seal would compute, else 0. */
int audit_check(const struct audit_event *ev);
/* Lower-case hex into out (>= 65 bytes). */
void audit_hex(const unsigned char h[AUDIT_HASH_LEN], char *out);

/*
 * Checkpoints (the audit anchor): the chain's head at a moment, signed
 * with an Ed25519 key that lives outside the database, one line of text
 * each in an append-only file.  Whoever can rewrite the database can
 * recompute the chain, but not these signatures; a database whose event
 * seq no longer has the signed hash, or that ends before seq, was cut or
 * rewritten.  The line:
 *
 *   kavel-anchor v1 seq=N hash=HEX at=2026-12-02T14:00:00Z key=HEX sig=HEX
 *
 * sig signs everything before " sig=".
 */
#define AUDIT_ANCHOR_PK_LEN 32      /* crypto_sign_PUBLICKEYBYTES */
#define AUDIT_ANCHOR_SK_LEN 64      /* crypto_sign_SECRETKEYBYTES */
#define AUDIT_ANCHOR_SIG_LEN 64     /* crypto_sign_BYTES */
#define AUDIT_ANCHOR_LINE_MAX 400

struct audit_checkpoint {
	int64_t seq;                                 /* the head's seq, >= 0 */
	unsigned char hash[AUDIT_HASH_LEN];          /* its hash (0s for 0) */
	kv_instant at;                               /* when it was signed */
	unsigned char pk[AUDIT_ANCHOR_PK_LEN];       /* the signer */
	unsigned char sig[AUDIT_ANCHOR_SIG_LEN];
};

/* Signs c (seq, hash, at) with sk, sets c->pk and c->sig, and writes the
 * line (with its "\n") into out.  Returns 0, or -1 when out is too
 * small. */
int audit_checkpoint_sign(struct audit_checkpoint *c,
			  const unsigned char sk[AUDIT_ANCHOR_SK_LEN],
			  char *out, size_t outlen);
/* Reads one line (a trailing "\n" is allowed) into c and checks its
 * signature against the key the line names.  0, or -1 with why in err. */
int audit_checkpoint_parse(const char *line, struct audit_checkpoint *c,
			   char *err, size_t errlen);

#endif
