/* read_bids.c - bids and application documents read after the opening
 * (read_bids.h). */
#include "read_bids.h"
#include "internal.h"
#include "audit_mark.h"
#include "read_vault.h"
#include "read_taking_part.h"
#include "core/bid_access.h"
#include "store/store.h"
#include "vault/vault_dir.h"

#include <jansson.h>
#include <sodium.h>

static bool assigned_to(struct app *x, int64_t procedure_id, int64_t lot_id,
			int64_t account_id, struct kv_error *e, enum kv_status *rc)
{
	struct award_assignment *as = NULL;
	int n = 0;
	*rc = STORE(x->st, award_assignment_list, procedure_id, x->a, &as, &n, e);
	for (int i = 0; *rc == KV_OK && i < n; i++)
		if (as[i].lot_id == lot_id && as[i].account_id == account_id)
			return true;
	return false;
}

static bool vault_open(struct app *x, int64_t procedure_id, bool price)
{
	struct vault_rec v;
	struct kv_error none;
	enum kv_status rc = price
		? STORE(x->st, price_vault_get, procedure_id, &v, &none)
		: STORE(x->st, vault_get, procedure_id, &v, &none);
	return rc == KV_OK && v.opened_at;
}

/* The refusal of a verdict not READ_OK. */
static enum kv_status refuse(enum read_verdict v, bool price,
			     struct kv_error *e)
{
	switch (v) {
	case READ_SEALED:
		return kv_fail(e, KV_CONFLICT, "",
			       price ? _("The prices are still sealed: they are "
					 "read after the price opening.")
				     : _("The bids are still sealed: they are "
					 "read after two buyers open the vault."));
	case READ_NOT_ASSIGNED:
		return kv_fail(e, KV_DENIED, "",
			       _("You are not an assessor of this lot: you read "
				 "the bids of the lots assigned to you."));
	case READ_WITHDRAWN:
		return kv_fail(e, KV_DENIED, "",
			       _("This bid was withdrawn before the deadline: it "
				 "is no part of the competition and is not read."));
	case READ_HIDDEN:
		return kv_fail(e, KV_NOT_FOUND, "", _("There is no such document."));
	case READ_DENIED:
	case READ_OK:
	default:
		return kv_fail(e, KV_DENIED, "",
			       _("Bid contents are read by the procedure's buyers "
				 "and the lot's assessors only."));
	}
}

/* The audit event of one read, in its own transaction. */
static enum kv_status audit_read(struct app *x, int64_t procedure_id,
				 const char *action, const char *object,
				 json_t *what, struct kv_error *e)
{
	struct procedure p;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = app_audit_marked(x, p.tenant_id, action, object, NULL,
				      json_incref(what), e);
	json_decref(what);
	return app_finish(x, rc, e);
}

enum kv_status app_bid_read(struct app *x, int64_t procedure_id,
			    int64_t submission_id, unsigned roles,
			    const char *vault_dir, struct submission *s,
			    struct vault_reader **out,
			    enum read_verdict *verdict, struct kv_error *e)
{
	*out = NULL;
	*verdict = READ_HIDDEN;
	enum kv_status rc = app_submission_get(x, procedure_id, submission_id, s, e);
	if (rc != KV_OK)
		return rc;
	bool price = s->envelope == ENVELOPE_PRICE;
	bool assigned = (roles & ROLE_ASSESSOR) &&
			assigned_to(x, procedure_id, s->lot_id, x->actor, e, &rc);
	if (rc != KV_OK)
		return rc;
	enum read_verdict v = bid_readable(roles, assigned, price,
					   s->withdrawn_at != 0,
					   vault_open(x, procedure_id, false),
					   price && vault_open(x, procedure_id, true));
	*verdict = v;
	if (v != READ_OK)
		return refuse(v, price, e);
	unsigned char sk[32];
	rc = STORE(x->st, vault_kept_key, procedure_id, s->envelope, sk, e);
	if (rc == KV_NOT_FOUND)
		return refuse(READ_SEALED, price, e);
	if (rc != KV_OK)
		return rc;
	*out = vault_reader_open(vault_dir, s->path, sk, s->sha256, e);
	sodium_memzero(sk, sizeof sk);
	if (!*out)
		return kv_fail(e, KV_IO, "",
			       _("The sealed file of this bid cannot be read: "
				 "ask the operator to check the vault directory."));
	json_t *what = json_pack("{s:I, s:I, s:s, s:s, s:s}",
				 "lot", (json_int_t)s->lot_number,
				 "candidate", (json_int_t)s->candidate_id,
				 "file_name", s->file_name ? s->file_name : "",
				 "sha256", app_hex(x->a, s->sha256, 32),
				 "envelope", price ? "price" : "quality");
	rc = audit_read(x, procedure_id, "submission.read",
			arena_printf(x->a, "procedure/%lld/submission/%lld",
				     (long long)procedure_id, (long long)s->id),
			what, e);
	if (rc != KV_OK) {
		vault_reader_close(*out);
		*out = NULL;
	}
	return rc;
}

enum kv_status app_application_doc_read(struct app *x, int64_t procedure_id,
					int64_t candidate_id, int64_t doc_id,
					unsigned roles, int64_t own,
					struct application_document *d,
					enum read_verdict *verdict,
					struct kv_error *e)
{
	struct procedure p;
	kv_instant deadline = 0;
	struct kv_error de;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc != KV_OK)
		return rc;
	if (app_application_deadline(&p, &deadline, &de) != KV_OK)
		deadline = 0;
	enum read_verdict v = application_doc_readable(
		roles, own && own == candidate_id, deadline && x->now > deadline);
	*verdict = v;
	if (v == READ_SEALED)
		return kv_fail(e, KV_CONFLICT, "",
			       _("Applications are read after the application "
				 "deadline."));
	if (v != READ_OK)
		return v == READ_DENIED
			? kv_fail(e, KV_DENIED, "",
				  _("Application documents are read by the "
				    "procedure's buyers and assessors only."))
			: refuse(v, false, e);
	struct application ap;
	rc = STORE(x->st, application_get, procedure_id, candidate_id, x->a,
		   &ap, e);
	if (rc == KV_OK)
		rc = STORE(x->st, document_get, candidate_id, doc_id, x->a, d, e);
	if (rc == KV_NOT_FOUND)
		return kv_fail(e, KV_NOT_FOUND, "", _("There is no such document."));
	if (rc != KV_OK || !(roles & (ROLE_BUYER | ROLE_ASSESSOR)))
		return rc;   /* a candidate reading its own is not audited */
	json_t *what = json_pack("{s:I, s:I, s:s, s:s}",
				 "candidate", (json_int_t)candidate_id,
				 "document", (json_int_t)d->id,
				 "name", d->name ? d->name : "",
				 "sha256", app_hex(x->a, d->sha256, 32));
	return audit_read(x, procedure_id, "application-document.read",
			  arena_printf(x->a, "procedure/%lld/application/%lld",
				       (long long)procedure_id,
				       (long long)candidate_id),
			  what, e);
}
