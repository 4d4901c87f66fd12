/*
 * app.c - actions as transactions with their audit events; see app.h.
 */
#include "app.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <sodium.h>
#include <string.h>

#include "core/validate.h"
#include "internal.h"
#include "libmem.h"

char *app_json_text(arena *a, json_t *j)
{
	char *text = libmem_json_text(a, j, JSON_COMPACT | JSON_SORT_KEYS, 1 << 20);
	json_decref(j);
	return text ? text : arena_strdup(a, "");
}
#define json_text app_json_text

char *app_hex(arena *a, const unsigned char *b, size_t n)
{
	char *h = arena_alloc_raw(a, 2 * n + 1);
	sodium_bin2hex(h, 2 * n + 1, b, n);
	return h;
}

static json_t *stage_json(const struct stage *s)
{
	return json_pack("{s:I, s:s, s:i, s:I, s:I, s:s}", "id", (json_int_t)s->id,
			 "kind", stage_kind_code(s->kind), "round", s->round,
			 "start", (json_int_t)s->start, "end", (json_int_t)s->end,
			 "status", s->status == STAGE_COMPLETED ? "completed"
								 : "planned");
}

enum kv_status app_audit(struct app *x, int64_t tenant, const char *action,
			 const char *object, const char *before,
			 const char *after, struct kv_error *e)
{
	struct audit_event ev = {
		.at = x->now,
		.actor = x->actor,
		.tenant_id = tenant,
		.action = action,
		.object = object,
		.before = before ? before : "",
		.after = after ? after : "",
	};
	return STORE(x->st, audit_append, &ev, e);
}

static _Atomic uint64_t generation;

uint64_t app_generation(void)
{
	return generation;
}

void app_note_change(void)
{
	generation++;
}

enum kv_status app_begin(struct app *x, struct kv_error *e)
{
	enum kv_status rc = store_begin(x->st, true, e);
	x->begin_failed = rc != KV_OK;
	return rc;
}

enum kv_status app_begin_procedure(struct app *x, int64_t procedure_id,
				   struct procedure *p, struct kv_error *e)
{
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, procedure_get, procedure_id, x->a, p, e);
	return rc;
}

enum kv_status app_finish(struct app *x, enum kv_status rc, struct kv_error *e)
{
	if (x->begin_failed) {
		/* nothing was begun: a transaction open before is not ours */
		x->begin_failed = false;
		return rc;
	}
	if (rc == KV_OK)
		rc = store_commit(x->st, e);
	if (rc != KV_OK)
		store_rollback(x->st);
	generation++;   /* after the commit: see app_generation() */
	return rc;
}

enum kv_status app_resolve_parties(struct app *x, struct party *p, int n,
				   const char *field, struct kv_error *e)
{
	for (int i = 0; i < n; i++) {
		struct org o;
		enum kv_status rc = STORE(x->st, org_by_kvk, p[i].kvk, x->a, &o, e);
		if (rc == KV_NOT_FOUND) {
			o = (struct org){.name = p[i].org_name, .kvk = p[i].kvk,
					 .kind = ORG_SUPPLIER, .created_at = x->now};
			rc = text_check(o.name, 200, field, e);
			if (rc == KV_OK)
				rc = STORE(x->st, org_create, &o, e);
		}
		if (rc != KV_OK)
			return rc;
		p[i].org_id = o.id;
		if (!p[i].org_name)
			p[i].org_name = o.name;
	}
	return KV_OK;
}

json_t *app_parties_json(const struct party *p, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "kvk",
			p[i].kvk ? p[i].kvk : "", "role", party_role_code(p[i].role)));
	return a;
}

/* The equated days a tenant (0: every tenant) added, read from the store
 * at most once per change this process commits (app_generation): every
 * timeline asks for them.  A memo per tenant slot, its own arena, under
 * one mutex; what it hands out is copied into x->a. */
#define EQUATED_MEMO 16
static struct {
	arena *a;
	int64_t tenant_id;
	uint64_t generation;
	struct cal_equated_day *days;
	int n;
} equated_memo[EQUATED_MEMO];
static pthread_mutex_t equated_lock = PTHREAD_MUTEX_INITIALIZER;

static struct cal_equated_day *equated_copy(arena *a, const struct cal_equated_day *d, int n)
{
	struct cal_equated_day *c = arena_alloc(a, (size_t)(n + 1) * sizeof *c);
	for (int i = 0; i < n; i++)
		c[i] = (struct cal_equated_day){d[i].date, arena_strdup(a, d[i].name),
						arena_strdup(a, d[i].source)};
	return c;
}

static enum kv_status equated_of(struct app *x, int64_t tenant_id,
				 struct cal_equated_day **out, int *n, struct kv_error *e)
{
	uint64_t gen = app_generation();   /* a hit: nothing committed since */
	unsigned i = (unsigned)((uint64_t)tenant_id % EQUATED_MEMO);
	pthread_mutex_lock(&equated_lock);
	if (equated_memo[i].a && equated_memo[i].tenant_id == tenant_id &&
	    equated_memo[i].generation == gen) {
		*n = equated_memo[i].n;
		*out = equated_copy(x->a, equated_memo[i].days, *n);
		pthread_mutex_unlock(&equated_lock);
		return KV_OK;
	}
	pthread_mutex_unlock(&equated_lock);
	enum kv_status rc = STORE(x->st, equated_list, tenant_id, x->a, out, n, e);
	if (rc != KV_OK)
		return rc;
	arena *a = arena_new();
	struct cal_equated_day *keep = equated_copy(a, *out, *n);
	pthread_mutex_lock(&equated_lock);
	arena *old = equated_memo[i].a;
	equated_memo[i].a = a;
	equated_memo[i].tenant_id = tenant_id;
	equated_memo[i].generation = x->gen;   /* read before the snapshot */
	equated_memo[i].days = keep;
	equated_memo[i].n = *n;
	pthread_mutex_unlock(&equated_lock);
	if (old)
		arena_free(old);
	return KV_OK;
}

enum kv_status app_calendar(struct app *x, int64_t tenant_id,
			    cal_calendar *out, struct kv_error *e)
{
	return app_calendar_years(x, tenant_id, 2000, 2100, out, e);
}

enum kv_status app_calendar_years(struct app *x, int64_t tenant_id, int from_year,
				  int to_year, cal_calendar *out, struct kv_error *e)
{
	struct cal_equated_day *shipped = NULL, *own = NULL;
	size_t n_shipped = cal_shipped_equated(x->a, from_year, to_year, &shipped);
	int n_own = 0;
	enum kv_status rc = equated_of(x, 0, &own, &n_own, e);
	if (rc != KV_OK)
		return rc;
	struct cal_equated_day *tenant_days = NULL;
	int n_tenant = 0;
	if (tenant_id) {
		rc = equated_of(x, tenant_id, &tenant_days, &n_tenant, e);
		if (rc != KV_OK)
			return rc;
	}
	size_t n = n_shipped + (size_t)n_own + (size_t)n_tenant;
	struct cal_equated_day *all = arena_alloc(x->a, (n + 1) * sizeof *all);
	if (n_shipped)
		memcpy(all, shipped, n_shipped * sizeof *all);
	if (n_own)
		memcpy(all + n_shipped, own, (size_t)n_own * sizeof *all);
	if (n_tenant)
		memcpy(all + n_shipped + n_own, tenant_days,
		       (size_t)n_tenant * sizeof *all);
	out->equated = all;
	out->n_equated = n;
	return KV_OK;
}

enum kv_status app_org_create(struct app *x, struct org *o, struct kv_error *e)
{
	if (text_check(o->name, 200, "name", e) != KV_OK ||
	    kvk_check(o->kvk, "kvk", e) != KV_OK)
		return e->status;
	o->created_at = x->now;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, org_create, o, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "name", o->name, "kvk",
				      o->kvk, "kind", org_kind_code(o->kind));
		rc = app_audit(x, o->kind == ORG_MUNICIPALITY ? o->id : 0,
			   "org.create",
			   arena_printf(x->a, "org/%lld", (long long)o->id),
			   NULL, json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_account_prepare(struct app *x, struct account *acc,
				   const char *password, struct kv_error *e)
{
	if (text_check(acc->name, 200, "name", e) != KV_OK)
		return e->status;
	/* Kept normalised (trimmed, NFKC, lower case, nothing invisible or
	 * look-alike), so that no two accounts differ by what nobody sees. */
	char email[EMAIL_MAX + 1];
	if (email_normalize(acc->email, email, sizeof email, "email", e) != KV_OK)
		return e->status;
	acc->email = arena_strdup(x->a, email);
	if (!password || strlen(password) < 12)
		return kv_fail(e, KV_INVALID, "password",
			       _("A password needs at least 12 characters."));
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(hash, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return kv_fail(e, KV_IO, "", _("Out of memory while hashing the password."));
	acc->pwhash = arena_strdup(x->a, hash);
	acc->created_at = x->now;
	return KV_OK;
}

enum kv_status app_account_create(struct app *x, struct account *acc,
				  const char *password, struct kv_error *e)
{
	if (app_account_prepare(x, acc, password, e) != KV_OK)
		return e->status;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, account_create, acc, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s, s:I}", "email", acc->email,
				      "name", acc->name, "org",
				      (json_int_t)acc->org_id);
		rc = app_audit(x, 0, "account.create",
			   arena_printf(x->a, "account/%lld", (long long)acc->id),
			   NULL, json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_grant(struct app *x, const struct grant *g,
			 struct kv_error *e)
{
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, grant_add, g, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:s}", "account",
				      (json_int_t)g->account_id, "tenant",
				      (json_int_t)g->tenant_id, "procedure",
				      (json_int_t)g->procedure_id, "role",
				      role_code(g->role));
		rc = app_audit(x, g->tenant_id, "grant.add",
			   arena_printf(x->a, "account/%lld",
					(long long)g->account_id),
			   NULL, json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

static json_t *procedure_json(const struct procedure *p)
{
	json_t *lots = json_array();
	for (int i = 0; i < p->n_lots; i++)
		json_array_append_new(lots, json_pack("{s:i, s:s, s:I, s:b}",
			"number", p->lots[i].number, "title", p->lots[i].title,
			"value", (json_int_t)p->lots[i].value_cents,
			"fixed_budget", p->lots[i].fixed_budget));
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:o}", "reference",
			 p->reference, "title", p->title, "type",
			 proc_type_code(p->type), "cpv", p->cpv, "value",
			 (json_int_t)p->value_cents, "dialogue_rounds",
			 p->dialogue_rounds, "lots", lots);
}

enum kv_status app_procedure_create(struct app *x, struct procedure *p,
				    struct kv_error *e)
{
	struct lot *lots = p->lots;
	int n_lots = p->n_lots;
	p->lots = NULL;
	p->n_lots = 0;
	enum kv_status rc = proc_init(x->a, p, e);
	if (rc != KV_OK)
		return rc;
	/* Lots are checked one by one against those before them. */
	p->lots = arena_alloc(x->a, (size_t)(n_lots + 1) * sizeof *p->lots);
	for (int i = 0; i < n_lots; i++) {
		rc = lot_check(p, &lots[i], e);
		if (rc != KV_OK)
			return rc;
		p->lots[p->n_lots++] = lots[i];
	}
	p->created_at = x->now;
	rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, procedure_create, p, e);
	if (rc == KV_OK)
		rc = app_audit(x, p->tenant_id, "procedure.create",
			   arena_printf(x->a, "procedure/%lld", (long long)p->id),
			   NULL, json_text(x->a, procedure_json(p)), e);
	return app_finish(x, rc, e);
}

enum kv_status app_procedure_load(struct app *x, int64_t id,
				  struct procedure *p,
				  struct decision **decisions, int *n,
				  struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, procedure_get, id, x->a, p, e);
	if (rc != KV_OK || !decisions)
		return rc;
	return STORE(x->st, decision_list, p->tenant_id, p->id, x->a,
		     decisions, n, e);
}

enum kv_status app_lot_add(struct app *x, int64_t procedure_id, struct lot *l,
			   struct kv_error *e)
{
	struct procedure p;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = lot_check(&p, l, e);
	if (rc == KV_OK)
		rc = STORE(x->st, lot_create, procedure_id, l, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:s, s:s, s:I, s:b}", "number",
				      l->number, "title", l->title, "goals",
				      l->goals ? l->goals : "", "value",
				      (json_int_t)l->value_cents, "fixed_budget",
				      l->fixed_budget);
		rc = app_audit(x, p.tenant_id, "lot.create",
			   arena_printf(x->a, "procedure/%lld/lot/%lld",
					(long long)procedure_id, (long long)l->id),
			   NULL, json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

static int stage_index(const struct procedure *p, int64_t stage_id)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].id == stage_id)
			return i;
	return -1;
}

/* Shared by move and complete: load, act, save changed stages, audit. */
static enum kv_status stage_action(struct app *x, int64_t procedure_id,
				   int64_t stage_id, int complete,
				   kv_instant start, kv_instant end,
				   struct kv_error *e)
{
	struct procedure p;
	struct decision *ds = NULL;
	int nd = 0;
	cal_calendar cal;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = app_procedure_load(x, procedure_id, &p, &ds, &nd, e);
	if (rc == KV_OK)
		rc = app_calendar(x, p.tenant_id, &cal, e);
	int idx = rc == KV_OK ? stage_index(&p, stage_id) : -1;
	if (rc == KV_OK && idx < 0)
		rc = kv_fail(e, KV_NOT_FOUND, "stage",
			     _("This procedure has no such stage."));
	if (rc != KV_OK) {
		store_rollback(x->st);
		return rc;
	}
	struct stage *before = arena_alloc(x->a, (size_t)p.n_stages * sizeof *before);
	memcpy(before, p.stages, (size_t)p.n_stages * sizeof *before);
	if (complete)
		rc = proc_complete_stage(&p, idx, x->now, x->actor, ds, nd, &cal,
					 x->a, e);
	else
		rc = proc_move_stage(&p, idx, start, end, x->now, &cal, x->a, e);
	/* Save and audit every stage the core changed (completing the
	 * provisional award also plans the standstill). */
	for (int i = 0; rc == KV_OK && i < p.n_stages; i++) {
		const struct stage *b = &before[i], *s = &p.stages[i];
		if (b->start == s->start && b->end == s->end &&
		    b->status == s->status)
			continue;
		rc = STORE(x->st, stage_update, p.id, s, e);
		if (rc == KV_OK)
			rc = app_audit(x, p.tenant_id,
				   i == idx ? (complete ? "stage.complete"
							: "stage.move")
					    : "stage.plan",
				   arena_printf(x->a, "procedure/%lld/stage/%lld",
						(long long)p.id, (long long)s->id),
				   json_text(x->a, stage_json(b)),
				   json_text(x->a, stage_json(s)), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_stage_move(struct app *x, int64_t procedure_id,
			      int64_t stage_id, kv_instant start,
			      kv_instant end, struct kv_error *e)
{
	return stage_action(x, procedure_id, stage_id, 0, start, end, e);
}

enum kv_status app_stage_complete(struct app *x, int64_t procedure_id,
				  int64_t stage_id, struct kv_error *e)
{
	return stage_action(x, procedure_id, stage_id, 1, 0, 0, e);
}

enum kv_status app_candidate_add(struct app *x, struct candidate *c,
				 struct kv_error *e)
{
	enum kv_status rc = candidate_check(c, e);
	if (rc != KV_OK)
		return rc;
	struct procedure p;
	rc = app_begin_procedure(x, c->procedure_id, &p, e);
	if (rc == KV_OK)
		rc = app_resolve_parties(x, c->parties, c->n_parties, "org_name", e);
	json_t *parties = app_parties_json(c->parties, c->n_parties);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_create, c, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:b, s:O}", "name", c->name,
				      "consortium", c->consortium, "parties",
				      parties);
		rc = app_audit(x, p.tenant_id, "candidate.create",
			   arena_printf(x->a, "procedure/%lld/candidate/%lld",
					(long long)c->procedure_id,
					(long long)c->id),
			   NULL, json_text(x->a, j), e);
	}
	json_decref(parties);
	return app_finish(x, rc, e);
}

enum kv_status app_decision_add(struct app *x, struct decision *d,
				struct kv_error *e)
{
	enum kv_status rc = decision_check(d, e);
	if (rc != KV_OK)
		return rc;
	rc = app_begin(x, e);
	if (rc != KV_OK)
		return rc;
	if (d->procedure_id) {
		struct procedure p;
		rc = STORE(x->st, procedure_get, d->procedure_id, x->a, &p, e);
		if (rc == KV_OK && p.tenant_id != d->tenant_id)
			rc = kv_fail(e, KV_INVALID, "procedure",
				     _("The decision and the procedure belong to different municipalities."));
	}
	if (rc == KV_OK)
		rc = STORE(x->st, decision_create, d, e);
	if (rc == KV_OK) {
		char day[16];
		json_t *conds = json_array();
		for (int i = 0; i < d->n_conditions; i++)
			json_array_append_new(conds, json_string(d->conditions[i].description));
		json_t *gov = json_array();
		for (int i = 0; i < d->n_governs; i++)
			json_array_append_new(gov, json_string(stage_kind_code(d->governs[i])));
		json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o}", "number",
				      d->number, "date", cal_format_date(d->date, day),
				      "title", d->title, "procedure",
				      (json_int_t)d->procedure_id, "conditions",
				      conds, "governs", gov);
		rc = app_audit(x, d->tenant_id, "decision.create",
			   d->procedure_id
				   ? arena_printf(x->a, "procedure/%lld/decision/%lld",
						  (long long)d->procedure_id, (long long)d->id)
				   : arena_printf(x->a, "decision/%lld", (long long)d->id),
			   NULL, json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_condition_resolve(struct app *x, int64_t procedure_id,
				     int64_t condition_id,
				     enum condition_state state,
				     const char *resolution, struct kv_error *e)
{
	if (state == COND_PENDING)
		return kv_fail(e, KV_INVALID, "state",
			       _("A condition can be marked met or waived, not pending again."));
	if (text_check(resolution, 400, "resolution", e) != KV_OK)
		return e->status;
	int64_t decision_id = 0, tenant = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, condition_decision, condition_id, &decision_id,
			   &tenant, e);
	if (rc == KV_OK)
		rc = STORE(x->st, condition_resolve, condition_id, state,
			   resolution, x->now, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s}", "state",
				      condition_state_code(state), "resolution",
				      resolution);
		const char *object = arena_printf(x->a, "decision/%lld/condition/%lld",
						  (long long)decision_id,
						  (long long)condition_id);
		if (procedure_id)
			object = arena_printf(x->a, "procedure/%lld/%s",
					      (long long)procedure_id, object);
		rc = app_audit(x, tenant, "condition.resolve", object,
			   "{\"state\":\"pending\"}", json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_equated_add(struct app *x, int64_t tenant_id,
			       const struct cal_equated_day *d,
			       struct kv_error *e)
{
	if (!cal_date_valid(d->date))
		return kv_fail(e, KV_INVALID, "date", _("That date does not exist."));
	if (text_check(d->name, 200, "name", e) != KV_OK ||
	    text_check(d->source, 200, "source", e) != KV_OK)
		return e->status;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, equated_add, tenant_id, d, e);
	if (rc == KV_OK) {
		char day[16];
		json_t *j = json_pack("{s:s, s:s, s:s}", "date",
				      cal_format_date(d->date, day), "name",
				      d->name, "source", d->source);
		rc = app_audit(x, tenant_id, "calendar.equated.add",
			   arena_printf(x->a, "calendar/%lld", (long long)tenant_id),
			   NULL, json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

/* ---- the server's connections -------------------------------------------- */

struct store_pool *app_pool_open(const char *path, int size, struct kv_error *e)
{
	return store_pool_open(path, size, e);
}

struct store *app_pool_acquire(struct store_pool *p)
{
	return store_pool_acquire(p);
}

void app_pool_release(struct store_pool *p, struct store *s)
{
	store_pool_release(p, s);
}

void app_pool_close(struct store_pool *p)
{
	store_pool_close(p);
}

bool app_read_begin(struct store *s)
{
	struct kv_error e;
	return store_begin(s, false, &e) == KV_OK;
}

void app_read_end(struct store *s)
{
	store_rollback(s);
}
