/*
 * read_tender.c - the public tender pages: the list searched, filtered
 * and paged, one tender with its notas and procurement documents, and
 * the two actions of those pages: the buyer publishes a document's
 * version, a candidate's visit is recorded (read_tender.h).
 */
#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/validate.h"
#include "internal.h"
#include "read_tender.h"

const char *const tender_doc_kind_codes[TENDER_DOC_KINDS] = {
	"leidraad", "pve", "concept", "annex"};

int tender_doc_kind_from_code(const char *code)
{
	for (int i = 0; code && i < TENDER_DOC_KINDS; i++)
		if (strcmp(code, tender_doc_kind_codes[i]) == 0)
			return i;
	return -1;
}

/* Whether needle occurs in hay, ASCII letters of either case alike. */
static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return true;
	for (const char *h = hay; h && *h; h++)
		if (strncasecmp(h, needle, n) == 0)
			return true;
	return false;
}

static bool tender_matches(const struct app_tender *t, const struct tender_query *q)
{
	if (q->q && *q->q && !contains_ci(t->p.title, q->q) &&
	    !contains_ci(t->p.reference, q->q))
		return false;
	if (q->tenant_id && t->p.tenant_id != q->tenant_id)
		return false;
	if (q->cpv && *q->cpv && strncmp(t->p.cpv, q->cpv, strlen(q->cpv)) != 0)
		return false;
	if (q->type >= 0 && (int)t->p.type != q->type)
		return false;
	if (q->deadline_after && (!t->application_deadline ||
				  t->application_deadline < q->deadline_after))
		return false;
	if (q->deadline_before && (!t->application_deadline ||
				   t->application_deadline >= q->deadline_before))
		return false;
	if (q->open_only && !t->registration_open)
		return false;
	return true;
}

enum kv_status app_tender_search(struct app *x, const struct tender_query *q,
				 struct tender_list *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct app_tender *all = NULL;
	int n = 0;
	enum kv_status rc = app_tenders(x, &all, &n, e);
	if (rc != KV_OK)
		return rc;
	out->munis = arena_alloc(x->a, (size_t)(n + 1) * sizeof *out->munis);
	struct app_tender *hit = arena_alloc(x->a, (size_t)(n + 1) * sizeof *hit);
	for (int i = 0; i < n; i++) {
		bool known = false;
		for (int k = 0; k < out->n_munis && !known; k++)
			known = out->munis[k].id == all[i].p.tenant_id;
		if (!known)
			out->munis[out->n_munis++] = (struct tender_municipality){
				all[i].p.tenant_id, all[i].municipality};
		if (tender_matches(&all[i], q))
			hit[out->total++] = all[i];
	}
	int per = q->per_page > 0 ? q->per_page : (out->total ? out->total : 1);
	out->pages = out->total ? (out->total + per - 1) / per : 1;
	out->page = q->page < 1 ? 1 : q->page > out->pages ? out->pages : q->page;
	int from = (out->page - 1) * per;
	out->rows = hit + from;
	out->n = out->total - from < per ? out->total - from : per;
	return KV_OK;
}

enum kv_status app_tender_page(struct app *x, int64_t procedure_id,
			       struct app_tender_page *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	enum kv_status rc = app_tender_get(x, procedure_id, &out->t, e);
	if (rc == KV_OK)
		rc = STORE(x->st, nota_list, procedure_id, x->a, &out->notas,
			   &out->n_notas, e);
	if (rc == KV_OK)
		rc = STORE(x->st, tender_document_list, procedure_id, x->a,
			   &out->docs, &out->n_docs, e);
	return rc;
}

enum kv_status app_tender_documents(struct app *x, int64_t procedure_id,
				    struct tender_document **out, int *n,
				    struct kv_error *e)
{
	return STORE(x->st, tender_document_list, procedure_id, x->a, out, n, e);
}

enum kv_status app_tender_document_read(struct app *x, int64_t procedure_id,
					int64_t version_id, bool any_state,
					struct tender_document *d,
					struct kv_error *e)
{
	memset(d, 0, sizeof *d);
	if (!any_state) {
		struct app_tender t;
		enum kv_status rc = app_tender_get(x, procedure_id, &t, e);
		if (rc != KV_OK)
			return rc;
	}
	return STORE(x->st, tender_document_get, procedure_id, version_id, x->a, d, e);
}

/* The checks of a new version, each refusal at its field. */
static enum kv_status document_check(const struct procedure *p,
				     struct tender_document *d,
				     struct kv_error *e)
{
	int k = tender_doc_kind_from_code(d->kind);
	if (k < 0)
		return kv_fail(e, KV_INVALID, "kind",
			       _("Choose the kind of document: leidraad, "
				 "programma van eisen, conceptovereenkomst or annex."));
	d->kind = tender_doc_kind_codes[k];
	bool lot = d->lot_id == 0;
	for (int i = 0; i < p->n_lots && !lot; i++)
		lot = p->lots[i].id == d->lot_id;
	if (!lot)
		return kv_fail(e, KV_INVALID, "lot",
			       _("This procedure has no such lot."));
	if (!d->title || !*d->title)
		return kv_fail(e, KV_INVALID, "title",
			       _("Give the document a title, such as \"Aanbestedingsleidraad\"."));
	if (text_check(d->title, APP_TENDER_DOCUMENT_TITLE_MAX, "title", e) != KV_OK)
		return KV_INVALID;
	if (!d->file_name || !*d->file_name)
		return kv_fail(e, KV_INVALID, "content", _("Choose a file to upload."));
	if (text_check(d->file_name, 255, "content", e) != KV_OK)
		return KV_INVALID;
	if (strchr(d->file_name, '/') || strchr(d->file_name, '\\'))
		return kv_fail(e, KV_INVALID, "content",
			       _("A file name has no directory part."));
	if (d->size < 1 || !d->content)
		return kv_fail(e, KV_INVALID, "content", _("The document is empty."));
	if (d->size > APP_TENDER_DOCUMENT_MAX)
		return kv_fail(e, KV_INVALID, "content",
			       _("A procurement document is at most %lld MiB; this one is %lld KiB."),
			       (long long)(APP_TENDER_DOCUMENT_MAX / (1024 * 1024)),
			       (long long)((d->size + 1023) / 1024));
	const char *t = file_sniff(d->content, (size_t)d->size);
	if (strcmp(t, "application/pdf") != 0 && strcmp(t, "application/zip") != 0)
		return kv_fail(e, KV_INVALID, "content",
			       _("A document is a PDF or an office document "
				 "(DOCX, XLSX, ODT and the like); judged by its "
				 "content, \"%s\" is neither."), d->file_name);
	d->content_type = t;
	return KV_OK;
}

enum kv_status app_tender_document_publish(struct app *x, int64_t procedure_id,
					   struct tender_document *d,
					   struct kv_error *e)
{
	struct procedure p;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = document_check(&p, d, e);
	if (rc == KV_OK)
		rc = app_space_room(d->size, e);
	if (rc == KV_OK) {
		d->procedure_id = procedure_id;
		d->uploaded_at = x->now;
		d->uploaded_by = x->actor;
		crypto_hash_sha256(d->sha256, d->content, (unsigned long long)d->size);
		rc = STORE(x->st, tender_document_put, d, e);
	}
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:i, s:s, s:I, s:s}",
				      "document", (json_int_t)d->document_id,
				      "lot", (json_int_t)d->lot_id, "kind", d->kind,
				      "title", d->title, "version", d->version,
				      "file_name", d->file_name, "size", (json_int_t)d->size,
				      "sha256", app_hex(x->a, d->sha256, sizeof d->sha256));
		rc = app_audit(x, p.tenant_id, "tender_document.publish",
			       arena_printf(x->a, "procedure/%lld/document/%lld",
					    (long long)procedure_id, (long long)d->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_tender_visit(struct app *x, int64_t account_id,
				int64_t procedure_id, kv_instant *previous,
				struct kv_error *e)
{
	*previous = 0;
	/* The tender page's route is GET_WRITES (web.h): it reads outside a
	 * read snapshot, so the visit's write transaction can begin here. */
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, tender_visit, account_id, procedure_id, x->now,
			   previous, e);
	return app_finish(x, rc, e);
}
