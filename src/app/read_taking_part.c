/*
 * read_taking_part.c - the taking-part pages' read model
 * (read_taking_part.h).
 */
#include <jansson.h>
#include <string.h>

#include "read_taking_part.h"
#include "store/store.h"

static void tender_fill(struct app *x, struct app_tender *t)
{
	struct org o;
	struct kv_error e;
	t->municipality = STORE(x->st, org_get, t->p.tenant_id, x->a, &o, &e) == KV_OK
			  ? o.name : "";
	if (app_application_deadline(&t->p, &t->application_deadline, &e) != KV_OK)
		t->application_deadline = 0;
	t->registration_open = app_registration_open(x, &t->p, &e) == KV_OK;
}

enum kv_status app_tenders(struct app *x, struct app_tender **out, int *n,
			   struct kv_error *e)
{
	int64_t *ids = NULL;
	int all = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, published_list, x->a, &ids, &all, e);
	if (rc != KV_OK)
		return rc;
	struct app_tender *ts = arena_alloc(x->a, (size_t)(all + 1) * sizeof *ts);
	for (int i = 0; i < all; i++) {
		struct kv_error pe;
		memset(&ts[*n], 0, sizeof ts[*n]);
		if (STORE(x->st, procedure_get, ids[i], x->a, &ts[*n].p, &pe) != KV_OK)
			continue;     /* listed but not readable: left out */
		tender_fill(x, &ts[(*n)++]);
	}
	*out = ts;
	return KV_OK;
}

enum kv_status app_tender_get(struct app *x, int64_t procedure_id,
			      struct app_tender *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	kv_instant at;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, &out->p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, publication_get, procedure_id, &at, e);
	if (rc == KV_NOT_FOUND)
		return kv_fail(e, KV_NOT_FOUND, "",
			       _("There is no such published procedure."));
	if (rc != KV_OK)
		return rc;
	tender_fill(x, out);
	return KV_OK;
}

/* The answers of JSON text `answers` (criterion key -> text) per
 * criterion; NULL where there is none.  In a. */
static const char **answers_of(arena *a, const char *answers,
			       const struct selection_criterion *crs, int n)
{
	const char **out = arena_alloc(a, (size_t)(n + 1) * sizeof *out);
	json_t *j = answers ? json_loads(answers, 0, NULL) : NULL;
	for (int k = 0; k < n; k++) {
		const char *s = json_string_value(json_object_get(j, crs[k].key));
		out[k] = s ? arena_strdup(a, s) : NULL;
	}
	json_decref(j);
	return out;
}

enum kv_status app_application_view(struct app *x, const struct procedure *p,
				    int64_t own_candidate,
				    struct app_application_view *out,
				    struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	out->mine = -1;
	struct kv_error de;
	if (app_application_deadline(p, &out->deadline, &de) != KV_OK)
		out->deadline = 0;
	out->closed = out->deadline && x->now > out->deadline;
	struct kv_error pe;
	out->published = STORE(x->st, publication_get, p->id, &out->published_at, &pe) == KV_OK;
	enum kv_status rc = STORE(x->st, criterion_list, p->id, x->a, &out->crs,
				  &out->n_crs, e);
	struct application *aps = NULL;
	if (rc == KV_OK)
		rc = STORE(x->st, application_list, p->id, x->a, &aps, &out->n_aps, e);
	if (rc != KV_OK)
		return rc;
	out->aps = arena_alloc(x->a, (size_t)(out->n_aps + 1) * sizeof *out->aps);
	for (int i = 0; i < out->n_aps; i++) {
		out->aps[i].ap = aps[i];
		out->aps[i].answers = answers_of(x->a, aps[i].answers, out->crs, out->n_crs);
		if (own_candidate && aps[i].candidate_id == own_candidate)
			out->mine = i;
	}
	if (own_candidate &&
	    STORE(x->st, document_list, own_candidate, x->a, &out->docs, &out->n_docs, &pe) != KV_OK) {
		out->docs = NULL;
		out->n_docs = 0;
	}
	return KV_OK;
}

enum kv_status app_application_get(struct app *x, int64_t procedure_id,
				   int64_t candidate_id,
				   struct application *out,
				   struct kv_error *e)
{
	return STORE(x->st, application_get, procedure_id, candidate_id, x->a, out, e);
}

enum kv_status app_application_documents(struct app *x, int64_t candidate_id,
					 struct application_document **out,
					 int *n, struct kv_error *e)
{
	return STORE(x->st, document_list, candidate_id, x->a, out, n, e);
}
