/*
 * read_audit.c - a procedure's audit trail as its reader may see it
 * (read_audit.h).  The whole trail is read (the store returns it newest
 * first), every event's payloads are parsed once, cut down to the fields
 * the reader may read (core/audit_text.h: the event's own "_read", or the
 * policy for an older event of a guarded action), put into a sentence,
 * then filtered and paged.
 */
#include "read_audit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_text.h"
#include "store/store.h"

/* A payload's field as text, for a sentence (audit_fact). */
static const char *field_text(arena *a, json_t *v)
{
	if (json_is_string(v))
		return arena_strdup(a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(a, "%g", json_real_value(v));
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	if (json_is_null(v))
		return "";
	return app_json_text(a, json_incref(v));
}

/* What one payload shows a reader. */
struct shown {
	json_t *visible;              /* the fields it may read (a new ref) */
	struct audit_fact *facts;
	int n_facts;
};

/* Adds a field's name to the list of those not shown. */
static void hide(arena *a, const char ***hidden, int *n, int *cap, const char *name)
{
	*hidden = arena_grow(a, *hidden, *n, cap, sizeof **hidden, 8);
	(*hidden)[(*n)++] = arena_strdup(a, name);
}

/* Sorts payload text into what v may read of it, adding the names of
 * the other fields to hidden.  marked: the event carries _read (then
 * read is this payload's, possibly NULL), else the policy decides. */
static void show(arena *a, const char *text, const char *action, bool marked,
		 json_t *doc, const struct audit_viewer *v, struct shown *out,
		 const char ***hidden, int *n_hidden, int *cap_hidden)
{
	memset(out, 0, sizeof *out);
	out->visible = json_object();
	if (!text || !*text)
		return;
	if (!json_is_object(doc)) {
		/* Not an object: one opaque value, open only where the
		 * action is not guarded. */
		if (audit_action_guarded(action)) {
			hide(a, hidden, n_hidden, cap_hidden, "value");
		} else {
			json_object_set_new(out->visible, "value", json_string(text));
		}
		return;
	}
	json_t *read = json_object_get(doc, AUDIT_READ_KEY);
	size_t n = json_object_size(doc);
	out->facts = arena_alloc(a, (n + 1) * sizeof *out->facts);
	const char *key;
	json_t *val;
	json_object_foreach(doc, key, val) {
		if (strcmp(key, AUDIT_READ_KEY) == 0)
			continue;
		enum audit_reader r = marked
			? audit_reader_of(json_string_value(json_object_get(read, key)))
			: audit_policy(action, key);
		/* a _read entry that is no string reads as "none" */
		if (marked && json_object_get(read, key) &&
		    !json_is_string(json_object_get(read, key)))
			r = AUDIT_READ_NONE;
		if (audit_may_read(r, v)) {
			json_object_set(out->visible, key, val);
			out->facts[out->n_facts++] = (struct audit_fact){
				arena_strdup(a, key), field_text(a, val)};
			continue;
		}
		hide(a, hidden, n_hidden, cap_hidden, key);
	}
}

/* The visible fields as JSON text, "" when there are none. */
static const char *shown_text(arena *a, json_t *visible)
{
	if (!json_object_size(visible)) {
		json_decref(visible);
		return "";
	}
	return app_json_text(a, visible);
}

static void item_of(arena *a, const struct audit_row *row,
		    const struct audit_viewer *v, const struct audit_names *names,
		    struct audit_item *it)
{
	const struct audit_event *ev = &row->ev;
	json_t *before = ev->before && *ev->before ? json_loads(ev->before, 0, NULL) : NULL;
	json_t *after = ev->after && *ev->after ? json_loads(ev->after, 0, NULL) : NULL;
	/* An event written with the marks carries _read in its after (and
	 * its before, when it has one). */
	bool marked = json_is_object(json_object_get(after, AUDIT_READ_KEY)) ||
		      json_is_object(json_object_get(before, AUDIT_READ_KEY));
	int cap = 0;
	struct shown sb, sa;
	show(a, ev->before, ev->action, marked, before, v, &sb, &it->hidden,
	     &it->n_hidden, &cap);
	show(a, ev->after, ev->action, marked, after, v, &sa, &it->hidden,
	     &it->n_hidden, &cap);
	enum audit_reader ar;
	if (marked) {
		json_t *c = json_object_get(json_object_get(after, AUDIT_READ_KEY),
					    AUDIT_ACTOR_FIELD);
		ar = !c ? AUDIT_READ_ALL
			: json_is_string(c) ? audit_reader_of(json_string_value(c))
					    : AUDIT_READ_NONE;
	} else {
		ar = audit_policy(ev->action, AUDIT_ACTOR_FIELD);
	}
	it->seq = ev->seq;
	it->at = ev->at;
	it->when = audit_when(a, ev->at);
	it->actor_hidden = ev->actor && !audit_may_read(ar, v);
	it->actor = it->actor_hidden ? 0 : ev->actor;
	it->who = it->actor_hidden || !ev->actor ? ""
		  : row->actor_name ? row->actor_name : "";
	it->action = ev->action ? ev->action : "";
	it->label = audit_action_label(it->action);
	it->object = ev->object ? ev->object : "";
	struct audit_line line = {
		.action = it->action, .object = it->object,
		.who = it->actor_hidden ? NULL : it->who,
		.after = sa.facts, .n_after = sa.n_facts};
	it->sentence = audit_sentence(a, names, &line);
	it->before = shown_text(a, sb.visible);
	it->after = shown_text(a, sa.visible);
	json_decref(before);
	json_decref(after);
}

static int by_label(const void *x, const void *y)
{
	const struct audit_choice *a = x, *b = y;
	int c = strcmp(a->label, b->label);
	return c ? c : strcmp(a->value, b->value);
}

static bool matches(const struct audit_item *it, const struct audit_filter *f)
{
	if (f->kind && *f->kind && strcmp(it->action, f->kind) != 0)
		return false;
	if (f->by_person && (it->actor_hidden || it->actor != f->person))
		return false;
	if (f->from && it->at < f->from)
		return false;
	if (f->to && it->at > f->to)
		return false;
	return true;
}

/* The kinds and the people of the whole trail, each once, by label. */
static void choices(arena *a, const struct audit_item *items, int n,
		    struct audit_trail *out)
{
	out->kinds = arena_alloc(a, (size_t)(n + 1) * sizeof *out->kinds);
	out->people = arena_alloc(a, (size_t)(n + 1) * sizeof *out->people);
	for (int i = 0; i < n; i++) {
		const struct audit_item *it = &items[i];
		bool seen = false;
		for (int k = 0; !seen && k < out->n_kinds; k++)
			seen = strcmp(out->kinds[k].value, it->action) == 0;
		if (!seen)
			out->kinds[out->n_kinds++] = (struct audit_choice){it->action, it->label};
		if (it->actor_hidden)
			continue;
		const char *id = arena_printf(a, "%lld", (long long)it->actor);
		seen = false;
		for (int k = 0; !seen && k < out->n_people; k++)
			seen = strcmp(out->people[k].value, id) == 0;
		if (!seen)
			out->people[out->n_people++] = (struct audit_choice){
				id, it->actor ? it->who : _("Kavel")};
	}
	qsort(out->kinds, (size_t)out->n_kinds, sizeof *out->kinds, by_label);
	qsort(out->people, (size_t)out->n_people, sizeof *out->people, by_label);
}

enum kv_status app_audit_trail(struct app *x, const struct procedure *p,
			       bool buyer, const struct audit_filter *f,
			       struct audit_trail *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct audit_viewer v = {.buyer = buyer};
	kv_instant deadline = 0;
	struct kv_error de;
	if (app_application_deadline(p, &deadline, &de) == KV_OK && deadline)
		v.applications_closed = x->now > deadline;
	struct candidate *cands = NULL;
	int nc = 0;
	enum kv_status rc = STORE(x->st, candidate_list, p->id, x->a, &cands, &nc, e);
	struct audit_row *rows = NULL;
	int nr = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, audit_list, p->tenant_id,
			   arena_printf(x->a, "procedure/%lld", (long long)p->id), -1,
			   x->a, &rows, &nr, e);
	if (rc != KV_OK)
		return rc;
	struct audit_names names = {.p = p, .cands = cands, .n_cands = nc};
	struct audit_item *all = arena_alloc(x->a, (size_t)(nr + 1) * sizeof *all);
	for (int i = 0; i < nr; i++)
		item_of(x->a, &rows[i], &v, &names, &all[i]);
	out->all = nr;
	choices(x->a, all, nr, out);

	struct audit_item *hit = arena_alloc(x->a, (size_t)(nr + 1) * sizeof *hit);
	for (int i = 0; i < nr; i++)
		if (matches(&all[i], f))
			hit[out->total++] = all[i];
	int per = f->per_page > 0 ? f->per_page : (out->total ? out->total : 1);
	out->pages = out->total ? (out->total + per - 1) / per : 1;
	out->page = f->page < 1 ? 1 : f->page > out->pages ? out->pages : f->page;
	int start = (out->page - 1) * per;
	out->items = hit + start;
	out->n = out->total - start < per ? out->total - start : per;
	out->first = out->total ? start + 1 : 0;
	return KV_OK;
}
