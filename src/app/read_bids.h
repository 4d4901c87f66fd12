/*
 * read_bids.h - reading bids and application documents after the
 * opening (issue 11 item 5).  Who may read what is core/bid_access.h's;
 * these look up the facts, record every read in the audit trail (in its
 * own transaction, committed before a byte is handed out: no read
 * without its record) and hand out the document.
 */
#ifndef KAVEL_APP_READ_BIDS_H
#define KAVEL_APP_READ_BIDS_H

#include "app.h"
#include "core/bid_access.h"

struct vault_reader;

/* Opens the submission's sealed file for the reader with roles on the
 * procedure: *s the submission, *out a reader of its plaintext which the
 * caller owns (vault_reader_close, vault/vault_dir.h); *verdict says
 * which rule refused (READ_OK when none did).  Refusals: KV_NOT_FOUND
 * (no such bid), KV_DENIED (role, lot not assigned, withdrawn),
 * KV_CONFLICT (still sealed). */
enum kv_status app_bid_read(struct app *x, int64_t procedure_id,
			    int64_t submission_id, unsigned roles,
			    const char *vault_dir, struct submission *s,
			    struct vault_reader **out,
			    enum read_verdict *verdict, struct kv_error *e);

/* One document of a candidate's application, with its content in x->a,
 * for the reader with roles whose own candidate is own (0: none).
 * Audited as app_bid_read is. */
enum kv_status app_application_doc_read(struct app *x, int64_t procedure_id,
					int64_t candidate_id, int64_t doc_id,
					unsigned roles, int64_t own,
					struct application_document *d,
					enum read_verdict *verdict,
					struct kv_error *e);

#endif
