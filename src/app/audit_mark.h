/*
 * audit_mark.h - audit events that say, per field, who may read it
 * (audit_mark.c).  The actions of a guarded kind (core/audit_text.h:
 * application answers, questions, scores, bids, the dialogue, ...) write
 * their events through app_audit_marked, which adds to each payload the
 * "_read" member filled from the policy; the trail (read_audit.c) shows
 * each reader only what its _read allows.
 */
#ifndef KAVEL_APP_AUDIT_MARK_H
#define KAVEL_APP_AUDIT_MARK_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"

/* Sets j's "_read" to the readers of its fields that are not for every
 * reader of the trail (with_actor: and of who did it), also when that is
 * none ("_read": {}); returns j.  j: a JSON object, or NULL (returned). */
json_t *app_audit_mark(json_t *j, const char *action, bool with_actor);

/* app_audit (internal.h) with both payloads marked: before and after are
 * JSON objects, stolen; before may be NULL (no before), after NULL is
 * an empty object. */
enum kv_status app_audit_marked(struct app *x, int64_t tenant,
				const char *action, const char *object,
				json_t *before, json_t *after,
				struct kv_error *e);

#endif
