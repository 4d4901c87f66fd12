/*
 * read_audit.h - a procedure's audit trail as its page and the API read
 * it (read_audit.c).
 */
#ifndef KAVEL_APP_READ_AUDIT_H
#define KAVEL_APP_READ_AUDIT_H

#include "app/app.h"

/* The procedure's events (objects "procedure/<id>..."), at most limit,
 * in x->a. */
enum kv_status app_audit_trail(struct app *x, int64_t tenant_id,
			       int64_t procedure_id, int limit,
			       struct audit_row **out, int *n,
			       struct kv_error *e);

#endif
