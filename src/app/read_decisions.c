/*
 * read_decisions.c - the decisions register's reads (read_decisions.h).
 */
#include "read_decisions.h"
#include "store/store.h"

enum kv_status app_decisions_of(struct app *x, int64_t tenant_id,
				int64_t procedure_id, struct decision **out,
				int *n, struct kv_error *e)
{
	*out = NULL;
	*n = 0;
	return STORE(x->st, decision_list, tenant_id, procedure_id, x->a, out,
		     n, e);
}

enum kv_status app_condition_on_procedure(struct app *x, int64_t tenant_id,
					  int64_t procedure_id,
					  int64_t condition_id,
					  struct kv_error *e)
{
	int64_t decision_id = 0, tenant = 0;
	bool linked = false;
	if (STORE(x->st, condition_decision, condition_id, &decision_id,
		  &tenant, e) == KV_OK && tenant == tenant_id) {
		struct decision *ds;
		int n;
		if (app_decisions_of(x, tenant_id, procedure_id, &ds, &n, e) == KV_OK)
			for (int i = 0; i < n; i++)
				linked = linked || ds[i].id == decision_id;
	}
	if (!linked)
		return kv_fail(e, KV_NOT_FOUND, "",
			       _("This procedure has no such condition."));
	return KV_OK;
}
