/*
 * read_vault.h - what the vault pages read (read_vault.c): a procedure's
 * vault with the buyers who hold keys and the bids received (sizes and
 * hashes, never contents), one bid's receipt, a buyer's own vault key,
 * and the record of an opening.
 */
#ifndef KAVEL_APP_READ_VAULT_H
#define KAVEL_APP_READ_VAULT_H

#include "app.h"

struct app_vault_view {
	bool exists;                  /* the procedure has a vault */
	struct vault_rec v;           /* when it exists */
	struct vault_key_rec *keys;   /* the procedure's buyers with a vault
					 passphrase */
	int n_keys;
	struct submission *subs;      /* every bid received, withdrawn too */
	int n_subs;
	int64_t total_bytes;          /* of subs */
	kv_instant deadline;          /* the tender deadline; 0: not planned */
	struct bid_limits limits;     /* the largest file a bid may be, the
					 quota per candidate and lot */
	bool limit_open;              /* the buyer may still change it: the
					 vault is sealed, the deadline ahead */
};

/* The vault of procedure p as of x->now.  In x->a. */
enum kv_status app_vault_view(struct app *x, const struct procedure *p,
			      struct app_vault_view *out, struct kv_error *e);
/* The name of the key holder account_id of v, "?" when it is none. */
const char *app_vault_holder(const struct app_vault_view *v,
			     int64_t account_id);
/* The buyer's own vault key (when it was set; never its secret);
 * KV_NOT_FOUND when the buyer has none. */
enum kv_status app_vault_key_get(struct app *x, int64_t account_id,
				 struct vault_key_rec *out, struct kv_error *e);
/* Of an opening: the bids opened (not withdrawn) and those of them whose
 * decrypted file matched its receipt. */
void app_vault_opening_tally(const struct vault_opening *o, int *opened,
			     int *matched);

/* The bid sub_id of the procedure; KV_NOT_FOUND when it has none. */
enum kv_status app_submission_get(struct app *x, int64_t procedure_id,
				  int64_t sub_id, struct submission *out,
				  struct kv_error *e);
/* The bids of candidate_id in the procedure, withdrawn too, in the
 * order received.  In x->a. */
enum kv_status app_submissions_of(struct app *x, int64_t procedure_id,
				  int64_t candidate_id,
				  struct submission **out, int *n,
				  struct kv_error *e);

/* What the opening found of one bid. */
enum app_bid_check {
	APP_BID_MISMATCH = 0,         /* opened, and it did not match */
	APP_BID_MATCH = 1,            /* opened, and it matched its receipt */
	APP_BID_NOT_OPENED = -1,      /* withdrawn: not opened */
	APP_BID_PRICE_SEALED = -2,    /* a price envelope still sealed */
};

/* The record of the opening: the vault as it is, the price vault, and
 * per bid what its envelope's opening found, from the audit events
 * "vault.open" and "price.open". */
struct app_opening_record {
	struct app_vault_view vs;
	struct vault_rec pv;          /* the price vault; pv.opened_at 0: sealed
					 or none */
	enum app_bid_check *check;    /* per vs.subs */
};
/* KV_DENIED while the vault is not opened; KV_IO when the audit trail
 * lacks the opening's event. */
enum kv_status app_opening_record(struct app *x, const struct procedure *p,
				  struct app_opening_record *out,
				  struct kv_error *e);

#endif
