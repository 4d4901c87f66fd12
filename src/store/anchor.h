/*
 * anchor.h - the audit anchor's two files, outside the database: the
 * Ed25519 signing key and the append-only file of signed checkpoints
 * (core/audit.h has the checkpoint itself).
 *
 * Keep the key file where the database's owner cannot write (another
 * machine's mount, a separate account); the checkpoint file may be
 * public.  An attacker who rewrites the database can recompute the hash
 * chain but cannot sign a new head, so `kavel audit verify --anchor`
 * catches a cut tail or a recomputed chain once a checkpoint covers it.
 *
 * Memory: checkpoints in the arena passed in.  Errors: a sentence naming
 * the file (and line) in err.
 */
#ifndef KAVEL_ANCHOR_H
#define KAVEL_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/audit.h"

/* The key file "kavel-anchor-key v1 HEX\n" (0600).  When it does not
 * exist and create is set, a new key is made and written (O_EXCL, 0600,
 * fsync) and *created set.  A key file that others may read or write is
 * refused. */
int anchor_key_load(const char *path, bool create, unsigned char sk[AUDIT_ANCHOR_SK_LEN],
		    bool *created, char *err, size_t errlen);
/* Every checkpoint of the file, in file order; a missing file has none.
 * Refused: a line that is no valid signed checkpoint, lines signed by
 * different keys, a seq that goes back. */
int anchor_read(const char *path, arena *a, struct audit_checkpoint **out, int *n,
		char *err, size_t errlen);
/* Appends line to the file (created 0600), then fsyncs it. */
int anchor_append(const char *path, const char *line, char *err, size_t errlen);

#endif
