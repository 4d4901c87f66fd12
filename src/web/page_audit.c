/*
 * page_audit.c - the audit trail of a procedure (buyers and council).
 */
#include <string.h>

#include "html.h"
#include "view.h"

void page_audit(struct req *r, struct resp *w)
{
	struct audit_row *rows = NULL;
	int n = 0;
	struct kv_error e = {0};
	const char *prefix = arena_printf(r->a, "procedure/%lld", (long long)r->proc.id);
	if (STORE(r->st, audit_list, r->proc.tenant_id, prefix, 500, r->a, &rows, &n, &e) != KV_OK) {
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
	sbuf *b = &w->body;
	layout_begin(r, w, _("Audit trail"));
	procedure_nav(r, w, "audit");
	html_f(b, "<h2>%s</h2><p>%s</p><table class=\"list audit\"><thead><tr><th>#</th><th>%s</th>"
		  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Audit trail"),
	       _("Every change is recorded here, chained by SHA-256 hashes; kavel audit verify checks the chain."),
	       _("When"), _("Who"), _("What"), _("Object"), _("Before"), _("After"));
	for (int i = 0; i < n; i++)
		html_f(b, "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			  "<td><code>%s</code></td><td><code>%s</code></td></tr>",
		       (long long)rows[i].ev.seq, fmt_when(r, rows[i].ev.at),
		       rows[i].actor_name ? rows[i].actor_name : _("system"),
		       rows[i].ev.action, rows[i].ev.object,
		       rows[i].ev.before ? rows[i].ev.before : "",
		       rows[i].ev.after ? rows[i].ev.after : "");
	html_f(b, "</tbody></table>");
	layout_end(r, w);
}
