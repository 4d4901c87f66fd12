/*
 * attention.h - the attention list: what needs someone, per role, as of
 * x->now (attention.c; the rules themselves in core/attention.h).
 *
 * Per procedure the account has a role on:
 *   buyer     stages past their end and not completed (with how late),
 *             ends within ATT_HORIZON_DAYS days, open conditions of the
 *             decisions that govern it, questions without an answer,
 *             answers waiting for a nota, a vault waiting for its buyers
 *             (a second buyer with a vault passphrase, being made, being
 *             opened, the price envelopes), the scores it owes where it
 *             is assigned to assess a lot, and the scores the selection
 *             round open for scoring still lacks;
 *   council   overdue stages, ends within the horizon, open conditions;
 *   assessor  the scores it still owes per lot, those the open selection
 *             round lacks, the selection and evaluation ends within the
 *             horizon;
 *   bidder    its own ends (registration, application, questions, plans,
 *             tender, standstill) and its own questions still waiting for
 *             their answer in a nota: never another candidate's, nor
 *             whether a draft answer exists.
 * Per contract: a buyer or council member of its municipality the
 * evaluations due; its reporter the KPI measurements it owes.
 *
 * Reads only, in one read transaction; everything in x->a.
 */
#ifndef KAVEL_APP_ATTENTION_H
#define KAVEL_APP_ATTENTION_H

#include "app.h"
#include "core/attention.h"

struct attention_list {
	struct att_item *items;    /* in att_sort's order */
	int n;
};

/* The list of the account with these grants (every procedure it sees,
 * every contract it has a role on). */
enum kv_status app_attention_for_account(struct app *x, int64_t account_id,
					 const struct grant *g, int n_grants,
					 struct attention_list *out,
					 struct kv_error *e);

/* The same for procedures the caller loaded already (ps[i] with the
 * summary's municipality name in names[i]); the contracts are read here.
 * Inside the caller's read, if any. */
enum kv_status app_attention_of(struct app *x, int64_t account_id,
				const struct grant *g, int n_grants,
				const struct procedure *ps,
				const char *const *names, int np,
				struct attention_list *out,
				struct kv_error *e);

/* What the municipality's oversight sees of tenant_id, as its council
 * members do (overdue stages, ends within the horizon, open conditions,
 * evaluations due), among the procedures and contracts account_id sees:
 * the council report's attention column reads this, matching items to
 * its rows by procedure_id or contract_id. */
enum kv_status app_attention_for_tenant(struct app *x, int64_t account_id,
					int64_t tenant_id,
					struct attention_list *out,
					struct kv_error *e);

/* Keeps the items of kind (-1: any) and municipality (0: any), in
 * order. */
void app_attention_filter(struct attention_list *l, int kind,
			  int64_t tenant_id);

#endif
