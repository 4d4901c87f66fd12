/*
 * read_tender.h - the public tender pages' read model (read_tender.c):
 * the list of published procedures searched, filtered and paged, one
 * tender with its notas and procurement documents, and the actions on
 * those documents (tender_docs.c): the buyer publishes a version, a
 * candidate's visit is recorded.
 */
#ifndef KAVEL_APP_READ_TENDER_H
#define KAVEL_APP_READ_TENDER_H

#include "app.h"
#include "read_taking_part.h"

/* A procurement document's version is at most this many bytes. */
#define APP_TENDER_DOCUMENT_MAX ((int64_t)25 * 1024 * 1024)
/* The title of a procurement document, in bytes. */
#define APP_TENDER_DOCUMENT_TITLE_MAX 200

/* What /tenders asks for; every part optional. */
struct tender_query {
	const char *q;              /* "" or text in the title or reference */
	int64_t tenant_id;          /* 0: any municipality */
	const char *cpv;            /* "" or the digits a CPV code begins with */
	int type;                   /* enum proc_type, -1: any */
	kv_instant deadline_after;  /* 0: none; the application deadline at
				       or after this moment */
	kv_instant deadline_before; /* 0: none; before this moment */
	bool open_only;             /* registration open now */
	int page;                   /* 1..; past the last: the last */
	int per_page;               /* 0: all on one page */
};

struct tender_municipality {
	int64_t id;
	const char *name;
};

struct tender_list {
	struct app_tender *rows;    /* the page's */
	int n;
	int total;                  /* matching, on every page */
	int page, pages;
	struct tender_municipality *munis;  /* of every published procedure */
	int n_munis;
};

enum kv_status app_tender_search(struct app *x, const struct tender_query *q,
				 struct tender_list *out, struct kv_error *e);

/* The kinds of procurement document, as codes ("leidraad", "pve",
 * "concept", "annex"); tender_doc_kind_from_code -1 for another. */
#define TENDER_DOC_KINDS 4
extern const char *const tender_doc_kind_codes[TENDER_DOC_KINDS];
int tender_doc_kind_from_code(const char *code);

/* One tender's public page.  docs: every version of every document, by
 * document (procedure first, then by lot), newest version first. */
struct app_tender_page {
	struct app_tender t;
	struct nota *notas;
	int n_notas;
	struct tender_document *docs;
	int n_docs;
};

enum kv_status app_tender_page(struct app *x, int64_t procedure_id,
			       struct app_tender_page *out, struct kv_error *e);

/* The buyer publishes a version of a document of procedure_id: d->kind,
 * lot_id (0: the whole procedure), title, file_name, content, size in;
 * the same kind, lot and title make a new version of that document.
 * Refusals name the field: "kind", "lot", "title", "content".  Audited
 * "tender_document.publish".  Fills id, document_id, version, sha256,
 * content_type, uploaded_at. */
enum kv_status app_tender_document_publish(struct app *x, int64_t procedure_id,
					   struct tender_document *d,
					   struct kv_error *e);
/* Every version of procedure_id's documents, without content. */
enum kv_status app_tender_documents(struct app *x, int64_t procedure_id,
				    struct tender_document **out, int *n,
				    struct kv_error *e);
/* A version with its content, when the procedure is published (or
 * published or not, when any_state); KV_NOT_FOUND otherwise. */
enum kv_status app_tender_document_read(struct app *x, int64_t procedure_id,
					int64_t version_id, bool any_state,
					struct tender_document *d,
					struct kv_error *e);
/* Records that account_id looks at procedure_id's tender page now and
 * gives the moment of its visit before this one (0: the first).  The one
 * write of a GET: its route is GET_WRITES (web.h), so no read snapshot is
 * open around it. */
enum kv_status app_tender_visit(struct app *x, int64_t account_id,
				int64_t procedure_id, kv_instant *previous,
				struct kv_error *e);

#endif
