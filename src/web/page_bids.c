/*
 * page_bids.c - a bid's document and an application's document read in
 * the browser after the opening (issue 11 item 5): a PDF shown inline,
 * anything else as a download.  Who may read is core/bid_access.h's;
 * every read is audited by the app before the first byte goes out.
 *
 *   GET /procedures/#/submissions/#/document           the bid's file
 *   GET /procedures/#/candidates/#/documents/#         an application's
 *
 * A bid is streamed from its sealed file, chunk by chunk, and never held
 * whole in memory (resp_stream; the reader is vault_dir.h's).
 */
#include <string.h>
#include "app/read_bids.h"
#include "core/validate.h"
#include "vault/vault_dir.h"
#include "view.h"

static long bid_next(void *ctx, unsigned char *out, size_t max)
{
	return vault_reader_read(ctx, out, max);
}

static void bid_done(void *ctx)
{
	vault_reader_close(ctx);
}

/* A role refused (not a state) is 403, as the router's refusals are. */
static void read_refused(struct req *r, struct resp *w, enum read_verdict v,
			 const struct kv_error *e)
{
	resp_error(r, w, e);
	if (v == READ_DENIED || v == READ_NOT_ASSIGNED)
		w->status = 403;
}

static const char *download_type(const char *sniffed)
{
	if (sniffed && (strcmp(sniffed, "application/pdf") == 0 ||
			strcmp(sniffed, "application/zip") == 0))
		return sniffed;
	return "application/octet-stream";
}

void page_bid_document(struct req *r, struct resp *w)
{
	struct submission s;
	struct vault_reader *rd = NULL;
	enum read_verdict v = READ_OK;
	struct kv_error e = {0};
	if (app_bid_read(&r->app, r->proc.id, r->ids[1], r->roles,
			 server_vault_dir(r->srv), &s, &rd, &v, &e) != KV_OK) {
		read_refused(r, w, v, &e);
		return;
	}
	bool price = s.envelope == ENVELOPE_PRICE;
	const char *type = price ? "application/json" : download_type(s.content_type);
	const char *name = price ? "prijs.json"
		: s.file_name && *s.file_name ? s.file_name : "bod";
	w->status = 200;
	w->content_type = type;
	resp_header(w, "Content-Disposition",
		    resp_disposition(r->a, name, strcmp(type, "application/pdf") == 0));
	resp_stream(w, bid_next, bid_done, rd, (uint64_t)s.size);
}

void page_application_doc_read(struct req *r, struct resp *w)
{
	struct application_document d;
	enum read_verdict v = READ_OK;
	struct kv_error e = {0};
	if (app_application_doc_read(&r->app, r->proc.id, r->ids[1], r->ids[2],
				     r->roles, own_candidate(r), &d, &v,
				     &e) != KV_OK) {
		read_refused(r, w, v, &e);
		return;
	}
	const char *type = download_type(file_sniff(d.content, (size_t)d.size));
	w->status = 200;
	w->content_type = type;
	resp_header(w, "Content-Disposition",
		    resp_disposition(r->a, d.name, strcmp(type, "application/pdf") == 0));
	sbuf_add(&w->body, (const char *)d.content, (size_t)d.size);
}
