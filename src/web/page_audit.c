/*
 * page_audit.c - the audit trail of a procedure (buyers and council):
 * read by app/read_audit.c, shown by tmpl/audit_trail.tmpl.
 */
#include <string.h>

#include "app/read_audit.h"
#include "templates.h"
#include "view.h"

void page_audit(struct req *r, struct resp *w)
{
	struct audit_row *rows = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (app_audit_trail(&r->app, r->proc.tenant_id, r->proc.id, 500, &rows, &n,
			    &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++) {
			char hex[65];
			audit_hex(rows[i].ev.hash, hex);
			json_array_append_new(arr, json_pack("{s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
				"seq", (json_int_t)rows[i].ev.seq, "at", json_instant(r->a, rows[i].ev.at),
				"actor", (json_int_t)rows[i].ev.actor,
				"actor_name", rows[i].actor_name ? rows[i].actor_name : "",
				"action", rows[i].ev.action, "object", rows[i].ev.object,
				"before", rows[i].ev.before ? rows[i].ev.before : "",
				"after", rows[i].ev.after ? rows[i].ev.after : "", "hash", hex));
		}
		resp_json(r, w, 200, json_pack("{s:o}", "events", arr));
		return;
	}
	struct tv_audit_trail_events *ev = arena_alloc(r->a, (size_t)(n + 1) * sizeof *ev);
	for (int i = 0; i < n; i++)
		ev[i] = (struct tv_audit_trail_events){
			.seq = (long long)rows[i].ev.seq,
			.when = fmt_when(r, rows[i].ev.at),
			.who = rows[i].actor_name ? rows[i].actor_name : _("system"),
			.action = rows[i].ev.action,
			.object = rows[i].ev.object,
			.before = rows[i].ev.before,
			.after = rows[i].ev.after,
		};
	layout_begin(r, w, _("Audit trail"));
	procedure_nav(r, w, "audit");
	tmpl_audit_trail(&w->body, &(struct tv_audit_trail){.events = ev, .n_events = n});
	layout_end(r, w);
}
