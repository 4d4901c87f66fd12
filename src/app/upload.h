/*
 * upload.h - a bid arriving in pieces: the upload action (upload.c).
 *
 * The HTTP layer only moves bytes: it begins an upload when the route's
 * access check has passed, names it, hands over every piece of the body
 * as it arrives, and finishes it after the last byte (or aborts it when
 * the connection breaks off).  This action does the rest: it checks that
 * the bid may be received, seals the bytes as they come (64 KiB chunks,
 * vault/vault.h) into a temporary file of the vault directory
 * (vault/vault_dir.h), commits the file (fsync, rename, fsync of the
 * directory) and only then records the submission with its receipt, in
 * one write transaction with its audit event (app_submission_store:
 * WAL, synchronous=FULL).  A refused or cut-off upload leaves nothing.
 *
 * Memory: the upload and its two chunk buffers (about 128 KiB, whatever
 * the file's size) live in x->a, the request's arena; the plaintext
 * buffer is wiped after every chunk and at the end.
 */
#ifndef KAVEL_APP_UPLOAD_H
#define KAVEL_APP_UPLOAD_H

#include "app.h"

struct app_upload;

/* An upload of a bid by candidate_id (for x->actor) to lot_id of p,
 * whose sealed file goes to vault_dir (which must outlive the upload):
 * refused as app_submission_check refuses (no vault, opened, past the
 * deadline) and for a lot p does not have.  Nothing is written yet; *out
 * in x->a. */
enum kv_status app_upload_begin(struct app *x, const struct procedure *p,
				int64_t lot_id, int64_t candidate_id,
				const char *vault_dir, struct app_upload **out,
				struct kv_error *e);
/* The upload is the bid document document_id of its lot
 * (bid_documents.h): its size limit becomes the document's.  Before the
 * file is named; a lot with documents refuses a file that names none
 * (app_upload_name, field "document").  KV_NOT_FOUND for a document the
 * lot does not ask for (or no longer). */
enum kv_status app_upload_document(struct app *x, struct app_upload *u,
				   int64_t document_id, struct kv_error *e);
/* The procedure's largest file in bytes, as read at begin (the
 * document's, once app_upload_document chose one). */
int64_t app_upload_limit(const struct app_upload *u);
/* The file's name (text, at most 255 bytes; KV_INVALID, field
 * "file_name"): its temporary file is created with the sealed header
 * (KV_IO when the vault directory cannot be written).  Before the first
 * byte. */
enum kv_status app_upload_name(struct app_upload *u, const char *file_name,
			       struct kv_error *e);
/* n more bytes of the file.  KV_INVALID when they take it past the
 * limit (an HTTP answer of 413), KV_IO when they cannot be sealed. */
enum kv_status app_upload_chunk(struct app_upload *u, const void *data,
				size_t n, struct kv_error *e);
/* After the last byte, the clock x->now being the moment it arrived: the
 * last chunk sealed, the file committed, the submission recorded at
 * x->now with its receipt; *out as app_submission_store fills it, with
 * lot_number.  Refused (deadline, limit lowered meanwhile, KV_IO) the
 * file is removed again.  The upload is over either way. */
enum kv_status app_upload_finish(struct app *x, struct app_upload *u,
				 struct submission *out, struct kv_error *e);
/* Ends an upload that will not finish: wipes, closes and removes its
 * temporary file; idempotent, and harmless after finish. */
void app_upload_abort(struct app_upload *u);

/* Recorded file names the start-up sweep keeps (store's submission
 * paths), then vault_sweep_unclaimed: the number of committed files no
 * submission refers to that were moved to <vault>/unclaimed/, -1 when
 * the directory cannot be read. */
enum kv_status app_vault_sweep(struct app *x, const char *vault_dir,
			       int *moved, struct kv_error *e);

#endif
