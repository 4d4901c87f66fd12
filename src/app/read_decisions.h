/*
 * read_decisions.h - the decisions register of a procedure as its page
 * and the API read it (read_decisions.c).
 */
#ifndef KAVEL_APP_READ_DECISIONS_H
#define KAVEL_APP_READ_DECISIONS_H

#include "app/app.h"

/* The decisions of the tenant linked to the procedure, with their
 * conditions and the stages they govern; in x->a. */
enum kv_status app_decisions_of(struct app *x, int64_t tenant_id,
				int64_t procedure_id, struct decision **out,
				int *n, struct kv_error *e);
/* KV_OK when the condition belongs to the tenant and to a decision
 * linked to the procedure; else KV_NOT_FOUND, "This procedure has no
 * such condition." */
enum kv_status app_condition_on_procedure(struct app *x, int64_t tenant_id,
					  int64_t procedure_id,
					  int64_t condition_id,
					  struct kv_error *e);

#endif
