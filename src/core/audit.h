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

#endif
