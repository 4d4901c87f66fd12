/*
 * bid_documents.h - bids of several documents (bid_documents.c).
 *
 * Per lot the buyer lists the documents a bid must (or may) contain,
 * e.g. a plan van aanpak, a price form and annexes, each with its own
 * size limit.  The bidder uploads each as its own sealed submission
 * (upload.h, app_upload_document) naming the document; a new upload of
 * the same document replaces the earlier one (withdrawn in the same
 * transaction).  The checklist says per document what has been received
 * and what is still missing; the bid's receipt lists every document
 * received with its SHA-256 and server time.  A lot without documents
 * takes a bid of one file, as before.
 */
#ifndef KAVEL_APP_BID_DOCUMENTS_H
#define KAVEL_APP_BID_DOCUMENTS_H

#include "app.h"

/* The documents in force of the procedure (lot_id 0) or of one lot, by
 * lot and the order the buyer added them; *out in x->a. */
enum kv_status app_bid_documents(struct app *x, int64_t procedure_id,
				 int64_t lot_id, struct bid_document **out,
				 int *n, struct kv_error *e);
/* A buyer of the procedure adds a document to a lot's bids: name 1..200
 * characters (field "name", unique among the lot's documents in force),
 * max_mib 1..2048 (field "max_mib").  Refused (KV_DENIED) once the
 * tender deadline has passed or the vault is opened, since the rules are
 * fixed before the race ends.  Audited "bid-document.add".  Fills *out. */
enum kv_status app_bid_document_add(struct app *x, int64_t procedure_id,
				    int64_t lot_id, const char *name,
				    bool required, int64_t max_mib,
				    struct bid_document *out,
				    struct kv_error *e);
/* Removes it (refused as add is; also once a bid names it, received and
 * not withdrawn).  Audited "bid-document.remove". */
enum kv_status app_bid_document_remove(struct app *x, int64_t procedure_id,
				       int64_t document_id,
				       struct kv_error *e);

/* One line of a bid's checklist: a document and the candidate's
 * submission of it that counts (NULL: still missing). */
struct app_bid_check_item {
	const struct bid_document *doc;
	const struct submission *sub;
};
struct app_bid_checklist {
	struct app_bid_check_item *items;
	int n;
	int missing;                  /* required documents not received */
	const struct submission *single;   /* no documents: the latest
					      one-file bid, or NULL */
	kv_instant last_at;           /* the latest receipt of the bid */
	unsigned char digest[32];     /* over every document received */
	bool has_digest;
};
/* The checklist of candidate_id's bid for lot_id; in x->a. */
enum kv_status app_bid_checklist(struct app *x, int64_t procedure_id,
				 int64_t lot_id, int64_t candidate_id,
				 struct app_bid_checklist *out,
				 struct kv_error *e);

#endif
