/*
 * taking_part.c - taking part in a procedure: publication for
 * registration, registering interest (organisations, account, candidate
 * and bidder grant at once), selection criteria and the application
 * (aanmelding) with its answers and documents; see app.h.  Registering
 * again from an organisation account: org_actions.c.
 *
 * Equal treatment: until the application deadline passes only the
 * candidate itself sees the content of its application; the buyer sees
 * who applied.  The deadline holds to the second, like the tender
 * deadline of the vault.
 */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "audit_mark.h"
#include "core/validate.h"
#include "internal.h"
#include "vault/vault_dir.h"

static const struct stage *stage_of(const struct procedure *p,
				    enum stage_kind k)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == k)
			return &p->stages[i];
	return NULL;
}

enum kv_status app_application_deadline(const struct procedure *p,
					kv_instant *deadline,
					struct kv_error *e)
{
	const struct stage *s = stage_of(p, SK_APPLICATION_DEADLINE);
	*deadline = s ? s->end : 0;
	if (!s)
		return kv_fail(e, KV_DENIED, "",
			       _("This type of procedure takes no "
				 "applications."));
	if (!*deadline)
		return kv_fail(e, KV_DENIED, "",
			       _("The application deadline of this procedure "
				 "is not planned."));
	return KV_OK;
}

enum kv_status app_registration_open(struct app *x, const struct procedure *p,
				     struct kv_error *e)
{
	kv_instant deadline, published;
	enum kv_status rc = STORE(x->st, publication_get, p->id, &published, e);
	if (rc == KV_NOT_FOUND)
		return kv_fail(e, KV_NOT_FOUND, "",
			       _("There is no such published procedure."));
	if (rc != KV_OK)
		return rc;
	rc = app_application_deadline(p, &deadline, e);
	if (rc != KV_OK)
		return rc;
	const struct stage *reg = stage_of(p, SK_REGISTRATION);
	if (reg && reg->end && reg->end < deadline)
		deadline = reg->end;
	if ((reg && reg->status == STAGE_COMPLETED) || x->now > deadline)
		return kv_fail(e, KV_DENIED, "",
			       _("Registration for this procedure closed at "
				 "%s."), cal_format_local(x->a, deadline));
	return KV_OK;
}

enum kv_status app_procedure_publish(struct app *x, int64_t procedure_id,
				     struct kv_error *e)
{
	struct procedure p;
	kv_instant deadline = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = app_application_deadline(&p, &deadline, e);
	if (rc == KV_OK && deadline <= x->now)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The application deadline (%s) has passed; "
			       "nobody could register any more."),
			     cal_format_local(x->a, deadline));
	if (rc == KV_OK)
		rc = STORE(x->st, publication_set, procedure_id, x->now,
			   x->actor, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:I, s:I}", "published_at",
				      (json_int_t)x->now, "application_deadline",
				      (json_int_t)deadline);
		rc = app_audit(x, p.tenant_id, "procedure.publish",
			       arena_printf(x->a, "procedure/%lld",
					    (long long)procedure_id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_register(struct app *x, struct registration *rg,
			    struct kv_error *e)
{
	struct candidate *c = &rg->candidate;
	struct account *acc = &rg->account;
	enum kv_status rc = candidate_check(c, e);
	if (rc != KV_OK)
		return rc;
	if (c->parties[0].role != PARTY_PENVOERDER)
		return kv_fail(e, KV_INVALID, "parties",
			       _("The registering organisation is the "
				 "penvoerder and comes first."));
	if (app_account_prepare(x, acc, rg->password, e) != KV_OK)
		return e->status;

	struct procedure p;
	rc = app_begin_procedure(x, c->procedure_id, &p, e);
	if (rc == KV_NOT_FOUND)
		rc = kv_fail(e, KV_NOT_FOUND, "",
			     _("There is no such published procedure."));
	if (rc == KV_OK)
		rc = app_registration_open(x, &p, e);
	/* A KvK number another account registered with already is no
	 * refusal: that would let anyone lock the genuine organisation out
	 * by naming its number first.  Both registrations reach the buyer,
	 * marked as a conflict (org_actions.h, app_claims_view). */
	if (rc == KV_OK) {
		struct account other;
		struct kv_error oe;
		enum kv_status ex = STORE(x->st, account_by_email, acc->email,
					  x->a, &other, &oe);
		if (ex == KV_OK)
			rc = kv_fail(e, KV_CONFLICT, "email",
				     _("This e-mail address cannot be used."));
		else if (ex != KV_NOT_FOUND)
			rc = kv_fail(e, oe.status, oe.field, "%s", oe.msg);
	}
	if (rc == KV_OK)
		rc = app_resolve_parties(x, c->parties, c->n_parties, "org_name", e);
	json_t *parties = app_parties_json(c->parties, c->n_parties);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_create, c, e);
	if (rc == KV_OK) {
		acc->org_id = c->parties[0].org_id;
		rc = STORE(x->st, account_create, acc, e);
		if (rc == KV_CONFLICT)
			rc = kv_fail(e, KV_CONFLICT, "email",
				     _("This e-mail address cannot be used."));
	}
	struct grant g = {.account_id = acc->id, .tenant_id = p.tenant_id,
			  .procedure_id = p.id, .role = ROLE_BIDDER,
			  .candidate_id = c->id};
	if (rc == KV_OK)
		rc = STORE(x->st, grant_add, &g, e);
	/* The organisation account the new account administers: its own,
	 * never another's of the same KvK number. */
	struct org_claim cl = {.org_id = c->parties[0].org_id,
			       .name = c->parties[0].org_name,
			       .address = (char *)(rg->address ? rg->address : ""),
			       .created_at = x->now, .created_by = acc->id};
	if (rc == KV_OK)
		rc = text_check_lines(cl.address, 400, false, "address", e);
	if (rc == KV_OK)
		rc = STORE(x->st, claim_create, &cl, e);
	struct claim_user u = {.account_id = acc->id, .admin = true,
			       .joined_at = x->now};
	u.claim_id = cl.id;
	if (rc == KV_OK)
		rc = STORE(x->st, claim_user_add, &u, e);
	if (rc == KV_OK)
		rc = STORE(x->st, claim_candidate_set, c->id, cl.id, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:b, s:O, s:I, s:s, s:s}", "name",
				      c->name, "consortium", c->consortium,
				      "parties", parties, "account",
				      (json_int_t)acc->id, "email", acc->email,
				      "role", "bidder");
		rc = app_audit_marked(x, p.tenant_id, "candidate.register",
				      arena_printf(x->a,
						   "procedure/%lld/candidate/%lld",
						   (long long)p.id, (long long)c->id),
				      NULL, j, e);
	}
	json_decref(parties);
	return app_finish(x, rc, e);
}

/* A key for cr made from its title, unique among the procedure's
 * criteria: "kwaliteit", else "kwaliteit-2", "kwaliteit-3", ...  Inside
 * the caller's write transaction. */
static enum kv_status criterion_key_from_title(struct app *x,
					       struct selection_criterion *cr,
					       struct kv_error *e)
{
	struct selection_criterion *cs = NULL;
	int nc = 0;
	enum kv_status rc = STORE(x->st, criterion_list, cr->procedure_id, x->a,
				  &cs, &nc, e);
	if (rc != KV_OK)
		return rc;
	char slug[37];                  /* at most 36: room for "-NN" */
	const char *base = text_slug(cr->title, slug, sizeof slug) ? slug : "criterium";
	for (int k = 1; k <= nc + 1; k++) {
		char *key = k == 1 ? arena_strdup(x->a, base)
				   : arena_printf(x->a, "%s-%d", base, k);
		bool taken = false;
		for (int i = 0; i < nc && !taken; i++)
			taken = cs[i].key && strcmp(cs[i].key, key) == 0;
		if (!taken) {
			cr->key = key;
			return KV_OK;
		}
	}
	return kv_fail(e, KV_CONFLICT, "key",
		       _("This procedure has a criterion with this key already."));
}

enum kv_status app_criterion_add(struct app *x,
				 struct selection_criterion *cr,
				 struct kv_error *e)
{
	if (!cr->description)
		cr->description = "";
	if (text_check(cr->title, 200, "title", e) != KV_OK ||
	    text_check_lines(cr->description, 4000, false, "description", e) !=
		    KV_OK)
		return e->status;
	/* No key given: one is made from the title below. */
	bool make_key = !cr->key || !*cr->key;
	if (!make_key && (strlen(cr->key) > 40 ||
	    strspn(cr->key, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(cr->key)))
		return kv_fail(e, KV_INVALID, "key",
			       _("A key has 1 to 40 characters: a-z, 0-9 and "
				 "-."));
	struct sel_criterion sk = {cr->key, cr->title, cr->kind,
				   cr->max_points};
	if (sel_criterion_check(&sk, e) != KV_OK)
		return e->status;
	if (!cr->round)
		cr->round = 1;
	if (cr->round < 1 || cr->round > SEL_MAX_ROUNDS)
		return kv_fail(e, KV_INVALID, "round",
			       _("A selection round is numbered 1 to %d."),
			       SEL_MAX_ROUNDS);
	struct procedure p;
	kv_instant deadline = 0;
	struct kv_error de;
	struct selection_round last;
	struct kv_error le;
	enum kv_status rc = app_begin_procedure(x, cr->procedure_id, &p, e);
	if (rc == KV_OK && cr->round == 1 &&
	    app_application_deadline(&p, &deadline, &de) == KV_OK &&
	    x->now > deadline)
		rc = kv_fail(e, KV_DENIED, "",
			     _("Applications closed at %s; the selection "
			       "criteria of round 1 cannot change any more."),
			     cal_format_local(x->a, deadline));
	if (rc == KV_OK) {
		enum kv_status lr = STORE(x->st, selection_round_last,
					  cr->procedure_id, &last, &le);
		if (lr == KV_NOT_FOUND)
			last.number = 0;
		else if (lr != KV_OK)
			rc = kv_fail(e, lr, le.field, "%s", le.msg);
	}
	if (rc == KV_OK)
		rc = sel_round_criterion_check(cr->round, last.number, e);
	if (rc == KV_OK && make_key)
		rc = criterion_key_from_title(x, cr, e);
	if (rc == KV_OK)
		rc = STORE(x->st, criterion_create, cr, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}",
				      "key", cr->key, "title", cr->title,
				      "description", cr->description, "kind",
				      sel_kind_code(cr->kind), "max_points",
				      cr->max_points, "round", cr->round);
		rc = app_audit(x, p.tenant_id, "criterion.add",
			       arena_printf(x->a,
					    "procedure/%lld/criterion/%lld",
					    (long long)p.id, (long long)cr->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

/* Refused from the second after the application deadline. */
static enum kv_status application_open(struct app *x,
				       const struct procedure *p,
				       struct kv_error *e)
{
	kv_instant deadline;
	enum kv_status rc = app_application_deadline(p, &deadline, e);
	if (rc == KV_OK && x->now > deadline)
		rc = kv_fail(e, KV_DENIED, "",
			     _("Applications closed at %s; this change "
			       "arrived %s."),
			     cal_format_local(x->a, deadline),
			     cal_format_local(x->a, x->now));
	return rc;
}

enum kv_status app_application_save(struct app *x, int64_t procedure_id,
				    int64_t candidate_id, json_t *answers,
				    struct application *out,
				    struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (!json_is_object(answers))
		return kv_fail(e, KV_INVALID, "answers",
			       _("The answers are a JSON object of texts by "
				 "criterion key."));
	struct procedure p;
	struct selection_criterion *crs = NULL;
	int ncr = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = application_open(x, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, criterion_list, procedure_id, x->a, &crs,
			   &ncr, e);
	const char *key;
	json_t *v;
	json_t *clean = json_object();
	json_object_foreach(answers, key, v) {
		if (rc != KV_OK)
			break;
		bool known = false, later = false;
		for (int i = 0; i < ncr; i++)
			if (strcmp(crs[i].key, key) == 0) {
				known = crs[i].round == 1;
				later = crs[i].round > 1;
			}
		if (later)
			rc = kv_fail(e, KV_INVALID, "answers",
				     _("Criterion \"%s\" belongs to a later "
				       "selection round, not to the "
				       "application."), key);
		else if (!known)
			rc = kv_fail(e, KV_INVALID, "answers",
				     _("This procedure has no selection "
				       "criterion \"%s\"."), key);
		else if (!json_is_string(v))
			rc = kv_fail(e, KV_INVALID, key,
				     _("An answer is a text."));
		else if (text_check_lines(json_string_value(v),
					  APP_ANSWER_MAX, false, key, e) !=
			 KV_OK)
			rc = e->status;
		else if (*json_string_value(v))
			json_object_set(clean, key, v);
	}
	if (rc == KV_OK) {
		out->candidate_id = candidate_id;
		out->procedure_id = procedure_id;
		out->answers = app_json_text(x->a, json_incref(clean));
		out->updated_at = x->now;
		out->updated_by = x->actor;
		rc = STORE(x->st, application_put, out, e);
	}
	if (rc == KV_OK) {
		/* Which criteria are answered, never the answers: the
		 * council reads the trail, and the buyers read the answers
		 * on the applications page once the deadline has passed. */
		json_t *answered = json_array();
		json_object_foreach(clean, key, v)
			json_array_append_new(answered, json_string(key));
		rc = app_audit_marked(x, p.tenant_id, "application.save",
				      arena_printf(x->a,
						   "procedure/%lld/application/%lld",
						   (long long)procedure_id,
						   (long long)candidate_id),
				      NULL,
				      json_pack("{s:I, s:o}", "candidate",
						(json_int_t)candidate_id,
						"answered", answered), e);
	}
	json_decref(clean);
	return app_finish(x, rc, e);
}

/* The one way a document joins an application: d (name, size, sha256;
 * content, or read/ctx giving its bytes when content is NULL) with head,
 * its first n_head bytes, judged by file_type_check. */
static enum kv_status document_store(struct app *x, int64_t procedure_id,
				     int64_t candidate_id,
				     struct application_document *d,
				     const unsigned char *head, size_t n_head,
				     long (*read)(void *ctx, void *b, size_t n),
				     void *ctx, struct kv_error *e)
{
	if (text_check(d->name, 200, "name", e) != KV_OK)
		return e->status;
	if (d->size > APP_DOCUMENT_MAX)
		return kv_fail(e, KV_INVALID, "content",
			       _("A document is at most %d MiB."),
			       (int)(APP_DOCUMENT_MAX >> 20));
	if (d->size < 1)
		return kv_fail(e, KV_INVALID, "content",
			       _("The document is empty."));
	d->candidate_id = candidate_id;
	d->uploaded_at = x->now;
	struct procedure p;
	struct application ap;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = application_open(x, &p, e);
	if (rc == KV_OK)
		rc = file_type_check(d->name, head, n_head, "content", e);
	if (rc == KV_OK) {
		/* A document alone starts an application without answers. */
		rc = STORE(x->st, application_get, procedure_id, candidate_id,
			   x->a, &ap, e);
		if (rc == KV_NOT_FOUND)
			ap = (struct application){.answers = "{}"};
		if (rc == KV_OK || rc == KV_NOT_FOUND) {
			ap.candidate_id = candidate_id;
			ap.procedure_id = procedure_id;
			ap.updated_at = x->now;
			ap.updated_by = x->actor;
			rc = STORE(x->st, application_put, &ap, e);
		}
	}
	if (rc == KV_OK)
		rc = d->content ? STORE(x->st, document_put, d, e)
				: STORE(x->st, document_put_stream, d, read, ctx, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:I, s:s}", "name", d->name,
				      "size", (json_int_t)d->size, "sha256",
				      app_hex(x->a, d->sha256, sizeof d->sha256));
		rc = app_audit_marked(x, p.tenant_id, "application.document",
				      arena_printf(x->a,
						   "procedure/%lld/application/%lld",
						   (long long)procedure_id,
						   (long long)candidate_id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_application_document(struct app *x, int64_t procedure_id,
					int64_t candidate_id,
					struct application_document *d,
					struct kv_error *e)
{
	if (app_space_room(d->size, e) != KV_OK)
		return e->status;
	if (d->content && d->size > 0)
		crypto_hash_sha256(d->sha256, d->content, (unsigned long long)d->size);
	return document_store(x, procedure_id, candidate_id, d, d->content,
			      d->size > 0 ? (size_t)d->size : 0, NULL, NULL, e);
}

/* --- an application document streamed in (upload.h) --------------------- */

struct app_doc_upload {
	int64_t procedure_id, candidate_id;
	const char *vault_dir;
	char *name;
	struct vault_file file;       /* the bytes so far, a temporary file */
	crypto_hash_sha256_state sha;
	unsigned char head[FILE_SNIFF_HEAD];
	size_t n_head;
	int64_t size;
	bool begun;
};

enum kv_status app_doc_upload_begin(struct app *x, const struct procedure *p,
				    int64_t candidate_id, const char *vault_dir,
				    struct app_doc_upload **out,
				    struct kv_error *e)
{
	*out = NULL;
	enum kv_status rc = application_open(x, p, e);
	if (rc != KV_OK)
		return rc;
	struct app_doc_upload *u = arena_alloc(x->a, sizeof *u);
	u->procedure_id = p->id;
	u->candidate_id = candidate_id;
	u->vault_dir = vault_dir;
	u->file.fd = -1;
	crypto_hash_sha256_init(&u->sha);
	*out = u;
	return KV_OK;
}

enum kv_status app_doc_upload_name(struct app *x, struct app_doc_upload *u,
				   const char *name, struct kv_error *e)
{
	if (text_check(name, 200, "content", e) != KV_OK)
		return e->status;
	u->name = arena_strdup(x->a, name);
	if (!vault_file_begin(&u->file, u->vault_dir))
		return kv_fail(e, KV_IO, "", _("The document could not be stored."));
	u->begun = true;
	return KV_OK;
}

enum kv_status app_doc_upload_chunk(struct app_doc_upload *u, const void *data,
				    size_t n, struct kv_error *e)
{
	if (u->size + (int64_t)n > APP_DOCUMENT_MAX)
		return kv_fail(e, KV_INVALID, "content",
			       _("A document is at most %d MiB."),
			       (int)(APP_DOCUMENT_MAX >> 20));
	size_t take = n < FILE_SNIFF_HEAD - u->n_head ? n : FILE_SNIFF_HEAD - u->n_head;
	memcpy(u->head + u->n_head, data, take);
	u->n_head += take;
	if (app_space_room((int64_t)n, e) != KV_OK)
		return e->status;
	crypto_hash_sha256_update(&u->sha, data, n);
	u->size += (int64_t)n;
	if (!vault_file_write(&u->file, data, n))
		return kv_fail(e, KV_IO, "", _("The document could not be stored."));
	return KV_OK;
}

static long read_back(void *ctx, void *b, size_t n)
{
	return vault_file_read_back(ctx, b, n);
}

enum kv_status app_doc_upload_finish(struct app *x, struct app_doc_upload *u,
				     struct application_document *out,
				     struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (!u->begun)
		return kv_fail(e, KV_INVALID, "content", _("Choose a file to upload."));
	out->name = u->name;
	out->size = u->size;
	crypto_hash_sha256_final(&u->sha, out->sha256);
	/* Into the database it goes: as many bytes again. */
	enum kv_status rc = app_space_room(u->size, e);
	if (rc != KV_OK) {
		app_doc_upload_abort(u);
		return rc;
	}
	rc = vault_file_rewind(&u->file)
		? document_store(x, u->procedure_id, u->candidate_id, out, u->head,
				 u->n_head, read_back, &u->file, e)
		: kv_fail(e, KV_IO, "", _("The document could not be stored."));
	app_doc_upload_abort(u);
	return rc;
}

void app_doc_upload_abort(struct app_doc_upload *u)
{
	if (u)
		vault_file_abort(&u->file);
}
