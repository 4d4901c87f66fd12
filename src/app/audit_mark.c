/*
 * audit_mark.c - payloads marked with who may read each field; see
 * audit_mark.h.
 */
#include "audit_mark.h"

#include <string.h>

#include "core/audit_text.h"
#include "internal.h"

json_t *app_audit_mark(json_t *j, const char *action, bool with_actor)
{
	if (!json_is_object(j))
		return j;
	json_t *read = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		if (strcmp(key, AUDIT_READ_KEY) == 0)
			continue;
		enum audit_reader r = audit_policy(action, key);
		if (r != AUDIT_READ_ALL)
			json_object_set_new(read, key, json_string(audit_reader_code(r)));
	}
	if (with_actor) {
		enum audit_reader r = audit_policy(action, AUDIT_ACTOR_FIELD);
		if (r != AUDIT_READ_ALL)
			json_object_set_new(read, AUDIT_ACTOR_FIELD,
					    json_string(audit_reader_code(r)));
	}
	json_object_set_new(j, AUDIT_READ_KEY, read);
	return j;
}

enum kv_status app_audit_marked(struct app *x, int64_t tenant,
				const char *action, const char *object,
				json_t *before, json_t *after,
				struct kv_error *e)
{
	if (!after)
		after = json_object();
	app_audit_mark(before, action, false);
	app_audit_mark(after, action, true);
	return app_audit(x, tenant, action, object,
			 before ? app_json_text(x->a, before) : NULL,
			 app_json_text(x->a, after), e);
}
