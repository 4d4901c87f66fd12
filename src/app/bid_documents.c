/*
 * bid_documents.c - the documents a lot's bids consist of, and a bid's
 * checklist (bid_documents.h).  The documents' rules are fixed before
 * the race ends: adding and removing is refused from the second after
 * the tender deadline and once the vault is opened.
 */
#include <string.h>
#include <strings.h>

#include "bid_documents.h"
#include "core/calendar.h"
#include "core/validate.h"
#include "internal.h"
#include "read_vault.h"
#include "vault/vault.h"

enum kv_status app_bid_documents(struct app *x, int64_t procedure_id,
				 int64_t lot_id, struct bid_document **out,
				 int *n, struct kv_error *e)
{
	struct bid_document *all = NULL;
	int na = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, bid_document_list, procedure_id,
				  false, x->a, &all, &na, e);
	if (rc != KV_OK || !lot_id) {
		*out = all;
		*n = na;
		return rc;
	}
	*out = arena_alloc(x->a, (size_t)(na + 1) * sizeof **out);
	for (int i = 0; i < na; i++)
		if (all[i].lot_id == lot_id)
			(*out)[(*n)++] = all[i];
	return KV_OK;
}

/* Inside the write transaction: the procedure into *p, and a refusal
 * once the deadline has passed or the vault is opened. */
static enum kv_status rules_open(struct app *x, int64_t procedure_id,
				 struct procedure *p, const char *field,
				 struct kv_error *e)
{
	kv_instant deadline = 0;
	struct kv_error de;
	struct vault_rec v;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, p, e);
	if (rc == KV_OK && app_tender_deadline(p, &deadline, &de) == KV_OK &&
	    x->now > deadline)
		rc = kv_fail(e, KV_DENIED, field,
			     _("The tender deadline has passed (%s): the "
			       "documents of a bid can no longer change."),
			     cal_format_local(x->a, deadline));
	if (rc == KV_OK) {
		rc = STORE(x->st, vault_get, procedure_id, &v, e);
		if (rc == KV_OK && v.opened_at)
			rc = kv_fail(e, KV_DENIED, field,
				     _("The vault has been opened: the "
				       "documents of a bid can no longer change."));
		else if (rc == KV_NOT_FOUND)
			rc = KV_OK;
	}
	return rc;
}

static json_t *doc_json(const struct procedure *p,
			const struct bid_document *d)
{
	int lot = 0;
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].id == d->lot_id)
			lot = p->lots[i].number;
	return json_pack("{s:I, s:i, s:s, s:b, s:I}", "document",
			 (json_int_t)d->id, "lot", lot, "name", d->name,
			 "required", d->required, "max_bytes",
			 (json_int_t)d->max_bytes);
}

enum kv_status app_bid_document_add(struct app *x, int64_t procedure_id,
				    int64_t lot_id, const char *name,
				    bool required, int64_t max_mib,
				    struct bid_document *out,
				    struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (!name || !*name)
		return kv_fail(e, KV_INVALID, "name",
			       _("Name the document, e.g. \"Plan van aanpak\"."));
	if (text_check(name, 200, "name", e) != KV_OK)
		return e->status;
	if (max_mib < APP_SUBMISSION_MAX_MIN >> 20 ||
	    max_mib > APP_SUBMISSION_MAX_MAX >> 20)
		return kv_fail(e, KV_INVALID, "max_mib",
			       _("The largest file must be between %lld MiB and "
				 "%lld MiB (2 GiB); %lld MiB is outside that range."),
			       (long long)(APP_SUBMISSION_MAX_MIN >> 20),
			       (long long)(APP_SUBMISSION_MAX_MAX >> 20),
			       (long long)max_mib);
	struct procedure p;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = rules_open(x, procedure_id, &p, "name", e);
	bool found = false;
	for (int i = 0; rc == KV_OK && i < p.n_lots; i++)
		found |= p.lots[i].id == lot_id;
	if (rc == KV_OK && !found)
		rc = kv_fail(e, KV_NOT_FOUND, "lot",
			     _("This procedure has no such lot."));
	struct bid_document *docs = NULL;
	int n = 0;
	if (rc == KV_OK)
		rc = app_bid_documents(x, procedure_id, lot_id, &docs, &n, e);
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (strcasecmp(docs[i].name, name) == 0)
			rc = kv_fail(e, KV_CONFLICT, "name",
				     _("This lot asks for a document named "
				       "\"%s\" already."), name);
	if (rc == KV_OK) {
		*out = (struct bid_document){
			.procedure_id = procedure_id, .lot_id = lot_id,
			.name = arena_strdup(x->a, name), .required = required,
			.max_bytes = max_mib << 20, .created_at = x->now};
		rc = STORE(x->st, bid_document_create, out, x->actor, e);
	}
	if (rc == KV_OK)
		rc = app_audit(x, p.tenant_id, "bid-document.add",
			       arena_printf(x->a, "procedure/%lld/bid-document/%lld",
					    (long long)procedure_id,
					    (long long)out->id),
			       NULL, app_json_text(x->a, doc_json(&p, out)), e);
	return app_finish(x, rc, e);
}

enum kv_status app_bid_document_remove(struct app *x, int64_t procedure_id,
				       int64_t document_id,
				       struct kv_error *e)
{
	struct procedure p;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = rules_open(x, procedure_id, &p, "document", e);
	struct bid_document *docs = NULL, *d = NULL;
	int n = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, bid_document_list, procedure_id, true, x->a,
			   &docs, &n, e);
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (docs[i].id == document_id)
			d = &docs[i];
	if (rc == KV_OK && !d)
		rc = kv_fail(e, KV_NOT_FOUND, "document",
			     _("This lot asks for no such document."));
	else if (rc == KV_OK && d->removed_at)
		rc = kv_fail(e, KV_CONFLICT, "document",
			     _("This document has been removed already."));
	struct submission *subs = NULL;
	int ns = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, submission_list, procedure_id, x->a, &subs,
			   &ns, e);
	for (int i = 0; rc == KV_OK && i < ns; i++)
		if (subs[i].document_id == document_id && !subs[i].withdrawn_at)
			rc = kv_fail(e, KV_DENIED, "document",
				     _("A bid contains \"%s\" already: the "
				       "document cannot be removed."), d->name);
	if (rc == KV_OK)
		rc = STORE(x->st, bid_document_remove, procedure_id, document_id,
			   x->now, e);
	if (rc == KV_OK)
		rc = app_audit(x, p.tenant_id, "bid-document.remove",
			       arena_printf(x->a, "procedure/%lld/bid-document/%lld",
					    (long long)procedure_id,
					    (long long)document_id),
			       app_json_text(x->a, doc_json(&p, d)), NULL, e);
	return app_finish(x, rc, e);
}

enum kv_status app_bid_checklist(struct app *x, int64_t procedure_id,
				 int64_t lot_id, int64_t candidate_id,
				 struct app_bid_checklist *out,
				 struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct bid_document *docs = NULL;
	int n = 0;
	struct submission *subs = NULL;
	int ns = 0;
	struct procedure p;
	enum kv_status rc = app_bid_documents(x, procedure_id, lot_id, &docs,
					      &n, e);
	if (rc == KV_OK)
		rc = app_submissions_of(x, procedure_id, candidate_id, &subs,
					&ns, e);
	if (rc == KV_OK)
		rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc != KV_OK)
		return rc;
	out->items = arena_alloc(x->a, (size_t)(n + 1) * sizeof *out->items);
	out->n = n;
	unsigned char(*files)[32] = arena_alloc(x->a, (size_t)(n + 1) * 32);
	int64_t *ids = arena_alloc(x->a, (size_t)(n + 1) * sizeof *ids);
	size_t nfiles = 0;
	for (int i = 0; i < n; i++) {
		out->items[i].doc = &docs[i];
		/* The latest one not withdrawn counts (an upload replaces). */
		for (int k = 0; k < ns; k++)
			if (subs[k].document_id == docs[i].id &&
			    subs[k].lot_id == lot_id && !subs[k].withdrawn_at &&
			    subs[k].envelope == ENVELOPE_QUALITY)
				out->items[i].sub = &subs[k];
		const struct submission *s = out->items[i].sub;
		if (!s && docs[i].required)
			out->missing++;
		if (s) {
			ids[nfiles] = s->id;
			memcpy(files[nfiles++], s->sha256, 32);
			if (s->received_at > out->last_at)
				out->last_at = s->received_at;
		}
	}
	if (!n)
		for (int k = 0; k < ns; k++)
			if (subs[k].lot_id == lot_id && !subs[k].withdrawn_at &&
			    !subs[k].document_id &&
			    subs[k].envelope == ENVELOPE_QUALITY)
				out->single = &subs[k];
	if (nfiles) {
		int lot_number = 0;
		for (int i = 0; i < p.n_lots; i++)
			if (p.lots[i].id == lot_id)
				lot_number = p.lots[i].number;
		vault_receipt_digest(procedure_id, lot_number, candidate_id,
				     out->last_at, ids,
				     (const unsigned char(*)[32])files, nfiles,
				     out->digest);
		out->has_digest = true;
	}
	return KV_OK;
}
