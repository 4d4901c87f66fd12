/*
 * read_audit.c - a procedure's audit trail (read_audit.h).
 */
#include "read_audit.h"

enum kv_status app_audit_trail(struct app *x, int64_t tenant_id,
			       int64_t procedure_id, int limit,
			       struct audit_row **out, int *n,
			       struct kv_error *e)
{
	*out = NULL;
	*n = 0;
	const char *prefix = arena_printf(x->a, "procedure/%lld",
					  (long long)procedure_id);
	return STORE(x->st, audit_list, tenant_id, prefix, limit, x->a, out, n,
		     e);
}
