/*
 * upload.c - the upload action (upload.h): a bid sealed as it arrives,
 * its file committed to the vault directory, then its submission
 * recorded.  The HTTP upload routes (src/web/page_vault.c) and the
 * whole-file sealing of the demo loader (app_submission_seal) both go
 * through it, so a sealed file reaches the vault directory one way.
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/validate.h"
#include "internal.h"
#include "bid_documents.h"
#include "upload.h"
#include "vault/vault.h"
#include "vault/space.h"
#include "vault/vault_dir.h"

struct app_upload {
	const char *vault_dir;
	struct vault_file file;       /* fd < 0 until named, and when over */
	struct vault_sealer sealer;
	unsigned char *buf;           /* VAULT_CHUNK_MAX plaintext bytes */
	size_t fill;
	unsigned char *out;           /* VAULT_FRAME_MAX sealed bytes */
	unsigned char head[FILE_SNIFF_HEAD];   /* the first bytes: file_sniff */
	size_t n_head;
	int64_t size;
	int64_t limit;                /* the procedure's largest file */
	struct bid_limits limits;     /* with the quota per candidate and lot */
	struct quota_use held;        /* the candidate's live files in the lot */
	int slot;                     /* in inflight[], -1: none */
	int64_t procedure_id, lot_id, candidate_id, account_id;
	int lot_number;
	int64_t document_id;          /* the bid document it is; 0: none */
	int n_documents;              /* the lot's documents in force */
	const char *document_name;
	char *file_name;
	bool named, over;
	unsigned char vault_pk[VAULT_KEY_LEN];   /* sealed to this */
	arena *a;
};

enum kv_status app_upload_begin(struct app *x, const struct procedure *p,
				int64_t lot_id, int64_t candidate_id,
				const char *vault_dir, struct app_upload **out,
				struct kv_error *e)
{
	const struct lot *lot = NULL;
	struct vault_rec v;
	*out = NULL;
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].id == lot_id)
			lot = &p->lots[i];
	if (!lot)
		return kv_fail(e, KV_NOT_FOUND, "lot",
			       _("This procedure has no such lot."));
	enum kv_status rc = app_submission_check(x, p, x->now, &v, e);
	if (rc != KV_OK)
		return rc;
	struct app_upload *u = arena_alloc(x->a, sizeof *u);
	u->file.fd = -1;
	u->vault_dir = vault_dir;
	u->a = x->a;
	u->procedure_id = p->id;
	u->lot_id = lot->id;
	u->lot_number = lot->number;
	u->candidate_id = candidate_id;
	u->account_id = x->actor;
	u->slot = -1;
	rc = app_bid_limits(x, p->id, &u->limits, e);
	if (rc == KV_OK)
		rc = app_quota_use(x, p->id, lot->id, candidate_id, 0, &u->held, e);
	if (rc != KV_OK)
		return rc;
	u->limit = u->limits.max_bytes;
	memcpy(u->vault_pk, v.pk, sizeof u->vault_pk);
	struct bid_document *docs = NULL;
	rc = app_bid_documents(x, p->id, lot->id, &docs, &u->n_documents, e);
	if (rc != KV_OK)
		return rc;
	*out = u;
	return KV_OK;
}

enum kv_status app_upload_document(struct app *x, struct app_upload *u,
				   int64_t document_id, struct kv_error *e)
{
	struct bid_document *docs = NULL;
	int n = 0;
	if (u->named || u->over)
		return kv_fail(e, KV_INVALID, "document",
			       _("Choose the document before the file."));
	enum kv_status rc = app_bid_documents(x, u->procedure_id, u->lot_id,
					      &docs, &n, e);
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (docs[i].id == document_id) {
			u->document_id = document_id;
			u->limit = docs[i].max_bytes;
			u->document_name = docs[i].name;
			/* Its earlier upload is replaced: not counted. */
			return app_quota_use(x, u->procedure_id, u->lot_id,
					     u->candidate_id, document_id,
					     &u->held, e);
		}
	if (rc == KV_OK)
		rc = kv_fail(e, KV_NOT_FOUND, "document",
			     _("This lot asks for no such document."));
	return rc;
}

/* --- uploads streaming in, per candidate and lot --------------------------
 *
 * The store knows only finished bids.  A candidate sending 30 files at
 * once would pass every quota check at their start and fill the disk
 * before the first finished, so the uploads under way are counted too:
 * a slot each, from the file's first byte to its end, holding its bytes
 * so far.  One process's uploads; the quota check in the write
 * transaction of app_submission_store is the final word. */
#define INFLIGHT_MAX 1024

static struct inflight {
	int64_t procedure_id, lot_id, candidate_id;
	int64_t bytes;
	bool used;
} inflight[INFLIGHT_MAX];
static pthread_mutex_t inflight_mu = PTHREAD_MUTEX_INITIALIZER;

/* The other uploads under way of u's candidate in u's lot, into *out
 * (added to what it holds).  Under inflight_mu. */
static void inflight_others(const struct app_upload *u, struct quota_use *out)
{
	for (int i = 0; i < INFLIGHT_MAX; i++) {
		const struct inflight *f = &inflight[i];
		if (!f->used || i == u->slot || f->candidate_id != u->candidate_id ||
		    f->lot_id != u->lot_id || f->procedure_id != u->procedure_id)
			continue;
		out->files++;
		out->bytes += f->bytes;
	}
}

/* Takes a slot for u when one more file fits its quota beside what the
 * candidate holds and sends meanwhile: KV_INVALID (the quota's sentence)
 * or KV_FULL (no slot: more uploads at once than Kavel takes) otherwise. */
static enum kv_status inflight_enter(struct app_upload *u, struct kv_error *e)
{
	struct quota_use used = u->held;
	enum kv_status rc;
	pthread_mutex_lock(&inflight_mu);
	inflight_others(u, &used);
	rc = quota_admit(&u->limits, used, 0, e);
	for (int i = 0; rc == KV_OK && u->slot < 0 && i < INFLIGHT_MAX; i++)
		if (!inflight[i].used) {
			inflight[i] = (struct inflight){
				.procedure_id = u->procedure_id, .lot_id = u->lot_id,
				.candidate_id = u->candidate_id, .used = true};
			u->slot = i;
		}
	pthread_mutex_unlock(&inflight_mu);
	if (rc == KV_OK && u->slot < 0)
		rc = kv_fail(e, KV_FULL, "file",
			     _("Kavel receives too many files at once just now: "
			       "try again in a minute."));
	return rc;
}

/* u's file grows to size bytes: KV_INVALID when that takes the candidate
 * past its quota in the lot. */
static enum kv_status inflight_grow(struct app_upload *u, int64_t size,
				    struct kv_error *e)
{
	struct quota_use used = u->held;
	pthread_mutex_lock(&inflight_mu);
	inflight_others(u, &used);
	enum kv_status rc = quota_admit(&u->limits, used, size, e);
	if (rc == KV_OK && u->slot >= 0)
		inflight[u->slot].bytes = size;
	pthread_mutex_unlock(&inflight_mu);
	return rc;
}

static void inflight_leave(struct app_upload *u)
{
	if (u->slot < 0)
		return;
	pthread_mutex_lock(&inflight_mu);
	inflight[u->slot].used = false;
	pthread_mutex_unlock(&inflight_mu);
	u->slot = -1;
}

enum kv_status app_space_room(int64_t need, struct kv_error *e)
{
	if (space_room(need))
		return KV_OK;
	return kv_fail(e, KV_FULL, "file",
		       _("Kavel's disk is nearly full, so it cannot take files "
			 "just now; the operator has been warned. Try again "
			 "later: logging in and all other work go on."));
}

void app_space_watch(void)
{
	space_reserve_keep();
}

int64_t app_upload_limit(const struct app_upload *u)
{
	return u->limit;
}

static enum kv_status too_big(struct app_upload *u, struct kv_error *e)
{
	if (u->document_name)
		return kv_fail(e, KV_INVALID, "file",
			       _("The document \"%s\" may be at most %lld MiB."),
			       u->document_name, (long long)(u->limit >> 20));
	return kv_fail(e, KV_INVALID, "file", _("A file may be at most %lld MiB."),
		       (long long)(u->limit >> 20));
}

enum kv_status app_upload_name(struct app_upload *u, const char *file_name,
			       struct kv_error *e)
{
	if (u->named || u->over)
		return kv_fail(e, KV_INVALID, "file_name",
			       _("Send one file per form."));
	if (text_check(file_name, 255, "file_name", e) != KV_OK)
		return e->status;
	if (u->n_documents && !u->document_id)
		return kv_fail(e, KV_INVALID, "document",
			       _("This lot's bids consist of %d documents: "
				 "say which one this file is."), u->n_documents);
	if (app_space_room(VAULT_FRAME_MAX, e) != KV_OK ||
	    inflight_enter(u, e) != KV_OK)
		return e->status;
	u->file_name = arena_strdup(u->a, file_name);
	u->buf = arena_alloc_raw(u->a, VAULT_CHUNK_MAX);
	u->out = arena_alloc_raw(u->a, VAULT_FRAME_MAX);
	if (!vault_file_begin(&u->file, u->vault_dir))
		return kv_fail(e, KV_IO, "",
			       _("The vault directory cannot be written."));
	u->named = true;
	unsigned char header[VAULT_HEADER_LEN];
	if (vault_seal_begin(&u->sealer, u->vault_pk, header, e) != KV_OK ||
	    !vault_file_write(&u->file, header, sizeof header)) {
		app_upload_abort(u);
		return kv_fail(e, KV_IO, "", _("The bid could not be sealed."));
	}
	return KV_OK;
}

/* Seals the buffered plaintext as one chunk (the last one when last)
 * and writes it; the buffer is wiped either way. */
static bool seal_buffer(struct app_upload *u, int last)
{
	struct kv_error e;
	size_t outlen = 0;
	bool ok = vault_seal_chunk(&u->sealer, u->buf, u->fill, u->out, &outlen,
				   last, &e) == KV_OK &&
		  vault_file_write(&u->file, u->out, outlen);
	sodium_memzero(u->buf, u->fill);
	u->fill = 0;
	return ok;
}

enum kv_status app_upload_chunk(struct app_upload *u, const void *data,
				size_t n, struct kv_error *e)
{
	const unsigned char *p = data;
	if (!u->named || u->over) {
		app_upload_abort(u);
		return kv_fail(e, KV_IO, "", _("The bid could not be sealed."));
	}
	if (u->size + (int64_t)n > u->limit) {
		app_upload_abort(u);
		return too_big(u, e);
	}
	if (inflight_grow(u, u->size + (int64_t)n, e) != KV_OK) {
		app_upload_abort(u);
		return e->status;
	}
	while (n) {
		/* A full buffer is sealed only when more bytes follow: the
		 * last chunk must carry the final tag.  The floor is checked
		 * before each chunk goes to disk. */
		if (u->fill == VAULT_CHUNK_MAX &&
		    app_space_room(VAULT_FRAME_MAX, e) != KV_OK) {
			app_upload_abort(u);
			return e->status;
		}
		if (u->fill == VAULT_CHUNK_MAX && !seal_buffer(u, 0)) {
			app_upload_abort(u);
			return kv_fail(e, KV_IO, "", _("The bid could not be sealed."));
		}
		size_t k = VAULT_CHUNK_MAX - u->fill;
		if (k > n)
			k = n;
		if (u->n_head < sizeof u->head) {
			size_t h = sizeof u->head - u->n_head;
			if (h > k)
				h = k;
			memcpy(u->head + u->n_head, p, h);
			u->n_head += h;
		}
		memcpy(u->buf + u->fill, p, k);
		u->fill += k;
		u->size += (int64_t)k;
		p += k;
		n -= k;
	}
	return KV_OK;
}

enum kv_status app_upload_finish(struct app *x, struct app_upload *u,
				 struct submission *out, struct kv_error *e)
{
	char name[VAULT_NAME_LEN + 1];
	memset(out, 0, sizeof *out);
	if (!u->named || u->over) {
		app_upload_abort(u);
		return kv_fail(e, KV_IO, "", _("The bid could not be sealed."));
	}
	if (file_type_check(u->file_name, u->head, u->n_head, "file", e) != KV_OK) {
		app_upload_abort(u);
		return e->status;
	}
	*out = (struct submission){
		.procedure_id = u->procedure_id, .lot_id = u->lot_id,
		.candidate_id = u->candidate_id, .account_id = u->account_id,
		.file_name = u->file_name, .size = u->size,
		.content_type = (char *)file_sniff(u->head, u->n_head),
		.envelope = ENVELOPE_QUALITY, .document_id = u->document_id};
	if (app_space_room((int64_t)u->fill + VAULT_FRAME_MAX, e) != KV_OK) {
		app_upload_abort(u);
		return e->status;
	}
	if (!seal_buffer(u, 1) ||
	    vault_seal_end(&u->sealer, out->sha256, e) != KV_OK) {
		app_upload_abort(u);
		return kv_fail(e, KV_IO, "", _("The bid could not be sealed."));
	}
	u->over = true;
	if (!vault_file_commit(&u->file, name)) {
		app_upload_abort(u);
		return kv_fail(e, KV_IO, "", _("The bid could not be stored."));
	}
	out->path = arena_strdup(x->a, name);
	enum kv_status rc = app_submission_store(x, out, e);
	inflight_leave(u);
	if (rc != KV_OK) {
		/* Not acknowledged: the sealed file goes too. */
		vault_file_remove(u->vault_dir, name);
		return rc;
	}
	out->lot_number = u->lot_number;
	return KV_OK;
}

void app_upload_abort(struct app_upload *u)
{
	if (!u)
		return;
	u->over = true;
	inflight_leave(u);
	vault_sealer_wipe(&u->sealer);
	if (u->buf)
		sodium_memzero(u->buf, VAULT_CHUNK_MAX);
	u->fill = 0;
	vault_file_abort(&u->file);
}

enum kv_status app_submission_seal(struct app *x, struct submission *sub,
				   const unsigned char *data, size_t len,
				   const char *vault_dir, struct kv_error *e)
{
	if (!len)
		return kv_fail(e, KV_INVALID, "file",
			       _("The document is empty."));
	struct procedure p;
	struct app_upload *u = NULL;
	int64_t account = sub->account_id, document = sub->document_id;
	enum kv_status rc = STORE(x->st, procedure_get, sub->procedure_id,
				  x->a, &p, e);
	if (rc == KV_OK)
		rc = app_upload_begin(x, &p, sub->lot_id, sub->candidate_id,
				      vault_dir, &u, e);
	if (rc == KV_OK && document)
		rc = app_upload_document(x, u, document, e);
	if (rc == KV_OK && (int64_t)len > u->limit)
		rc = too_big(u, e);
	if (rc == KV_OK) {
		u->account_id = account;
		rc = app_upload_name(u, sub->file_name, e);
	}
	if (rc == KV_OK)
		rc = app_upload_chunk(u, data, len, e);
	if (rc == KV_OK)
		rc = app_upload_finish(x, u, sub, e);
	app_upload_abort(u);
	return rc;
}

enum kv_status app_vault_sweep(struct app *x, const char *vault_dir,
			       int *moved, struct kv_error *e)
{
	char **paths = NULL;
	int np = 0;
	*moved = 0;
	enum kv_status rc = STORE(x->st, submission_paths, x->a, &paths, &np, e);
	if (rc == KV_OK)
		*moved = vault_sweep_unclaimed(vault_dir, paths, np);
	return rc;
}
