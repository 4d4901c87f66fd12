/*
 * read_procedure.c - the read models of the procedure pages (see
 * read_procedure.h): the dashboard, lots, candidates and a
 * municipality's name.
 */
#include "read_procedure.h"
#include "store/store.h"

#include <pthread.h>
#include <string.h>

int app_buyer_tenants(const struct grant *g, int n_grants, int64_t *out,
		      int max)
{
	int n = 0;
	for (int i = 0; i < n_grants && n < max; i++)
		if (g[i].role == ROLE_BUYER && g[i].procedure_id == 0)
			out[n++] = g[i].tenant_id;
	return n;
}

#define BUYER_TENANTS_MAX 8

/* Whether every word of q (split at spaces) is in the reference or the
 * title, ASCII letters compared without case. */
static bool ascii_has(const char *hay, const char *w, size_t n)
{
	for (; hay && *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i]) {
			char a = hay[i], b = w[i];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			i++;
		}
		if (i == n)
			return true;
	}
	return false;
}

static bool matches_words(const struct procedure_summary *s, const char *q)
{
	while (q && *q) {
		while (*q == ' ')
			q++;
		size_t n = strcspn(q, " ");
		if (n && !ascii_has(s->reference, q, n) && !ascii_has(s->title, q, n))
			return false;
		q += n;
	}
	return true;
}

static void facet_add(struct dashboard_view *out,
		      const struct procedure_summary *s, int year, int cap)
{
	bool have = false;
	for (int i = 0; i < out->n_tenants && !have; i++)
		have = out->tenants[i].id == s->tenant_id;
	if (!have && out->n_tenants < cap)
		out->tenants[out->n_tenants++] = (struct dashboard_tenant){
			.id = s->tenant_id,
			.name = s->tenant_name ? s->tenant_name : ""};
	int at = 0;   /* years newest first */
	while (at < out->n_years && out->years[at] > year)
		at++;
	if (at < out->n_years && out->years[at] == year)
		return;
	memmove(&out->years[at + 1], &out->years[at],
		sizeof *out->years * (size_t)(out->n_years - at));
	out->years[at] = year;
	out->n_years++;
}

enum kv_status app_dashboard_view(struct app *x, int64_t account_id,
				  const struct grant *g, int n_grants,
				  const struct dashboard_query *q,
				  struct dashboard_view *out,
				  struct kv_error *e)
{
	*out = (struct dashboard_view){.page = 1, .pages = 1};
	int64_t ids[BUYER_TENANTS_MAX];
	out->can_create = app_buyer_tenants(g, n_grants, ids, BUYER_TENANTS_MAX) > 0;
	struct procedure_summary *sum = NULL;
	int ns = 0;
	enum kv_status rc = STORE(x->st, procedure_visible, account_id, x->a,
				  &sum, &ns, e);
	if (rc != KV_OK)
		return rc;
	/* Each procedure whole: its stages give the phase, the year and the
	 * attention list. */
	struct procedure *ps = arena_alloc(x->a, sizeof *ps * (size_t)(ns + 1));
	const char **names = arena_alloc(x->a, sizeof *names * (size_t)(ns + 1));
	struct dashboard_row *rows = arena_alloc(x->a, sizeof *rows * (size_t)(ns + 1));
	out->tenants = arena_alloc(x->a, sizeof *out->tenants * (size_t)(ns + 1));
	out->years = arena_alloc(x->a, sizeof *out->years * (size_t)(ns + 1));
	for (int i = 0; i < ns; i++) {
		if ((rc = STORE(x->st, procedure_get, sum[i].id, x->a, &ps[i], e)) != KV_OK)
			return rc;
		names[i] = sum[i].tenant_name ? sum[i].tenant_name : "";
		rows[i] = (struct dashboard_row){.s = sum[i], .phase = att_phase(&ps[i]),
						 .year = att_year(&ps[i])};
		facet_add(out, &sum[i], rows[i].year, ns);
	}
	out->all = ns;
	if (q->attention && (rc = app_attention_of(x, account_id, g, n_grants, ps, names,
						   ns, &out->attention, e)) != KV_OK)
		return rc;
	for (int k = 0; k < out->attention.n; k++)
		for (int i = 0; i < ns; i++)
			if (rows[i].s.id == out->attention.items[k].procedure_id)
				rows[i].attention++;
	int n = 0;
	for (int i = 0; i < ns; i++) {
		const struct dashboard_row *r = &rows[i];
		if ((q->phase >= 0 && (int)r->phase != q->phase) ||
		    (q->tenant_id && r->s.tenant_id != q->tenant_id) ||
		    (q->year && r->year != q->year) || !matches_words(&r->s, q->q))
			continue;
		rows[n++] = *r;
	}
	out->total = n;
	if (q->per_page <= 0) {
		out->rows = rows;
		out->n_rows = n;
		return KV_OK;
	}
	/* The newest first, a page of them. */
	for (int i = 0; i < n / 2; i++) {
		struct dashboard_row t = rows[i];
		rows[i] = rows[n - 1 - i];
		rows[n - 1 - i] = t;
	}
	out->pages = n ? (n + q->per_page - 1) / q->per_page : 1;
	out->page = q->page < 1 ? 1 : q->page > out->pages ? out->pages : q->page;
	int from = (out->page - 1) * q->per_page;
	out->rows = rows + from;
	out->n_rows = n - from < q->per_page ? n - from : q->per_page;
	return KV_OK;
}

enum kv_status app_buyer_tenant_orgs(struct app *x, const struct grant *g,
				     int n_grants, struct org **out, int *n,
				     struct kv_error *e)
{
	(void)e;
	int64_t ids[BUYER_TENANTS_MAX];
	int nt = app_buyer_tenants(g, n_grants, ids, BUYER_TENANTS_MAX);
	*out = arena_alloc(x->a, sizeof **out * (size_t)(nt + 1));
	*n = 0;
	for (int i = 0; i < nt; i++) {
		struct kv_error ge;
		if (STORE(x->st, org_get, ids[i], x->a, &(*out)[*n], &ge) == KV_OK)
			(*n)++;
	}
	return KV_OK;
}

bool app_candidate_visible(unsigned roles, int64_t own,
			   const struct candidate *c)
{
	if (roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL))
		return true;
	return own && own == c->id;
}

enum kv_status app_candidates_visible(struct app *x, int64_t procedure_id,
				      unsigned roles, int64_t own,
				      struct candidate **out, int *n,
				      struct kv_error *e)
{
	struct candidate *all = NULL;
	int na = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, candidate_list, procedure_id, x->a,
				  &all, &na, e);
	if (rc != KV_OK)
		return rc;
	*out = arena_alloc(x->a, sizeof **out * (size_t)(na + 1));
	for (int i = 0; i < na; i++)
		if (app_candidate_visible(roles, own, &all[i]))
			(*out)[(*n)++] = all[i];
	return KV_OK;
}

enum kv_status app_lots_view(struct app *x, const struct procedure *p,
			     unsigned roles, int64_t own,
			     struct lots_view *out, struct kv_error *e)
{
	(void)e;
	*out = (struct lots_view){0};
	for (int i = 0; i < p->n_stages; i++) {
		if (p->stages[i].kind == SK_DEFINITIVE_AWARD &&
		    p->stages[i].status == STAGE_COMPLETED)
			out->awarded = true;
		if (own && p->stages[i].kind == SK_TENDER_DEADLINE)
			out->bids = true;
	}
	if (out->awarded && (roles & ROLE_BUYER)) {
		/* Without its candidates no contract form is offered; the
		 * lots themselves still show. */
		struct kv_error ce;
		if (STORE(x->st, candidate_list, p->id, x->a, &out->candidates,
			  &out->n_candidates, &ce) != KV_OK)
			out->n_candidates = 0;
		out->contracts = out->n_candidates > 0;
	}
	return KV_OK;
}

int app_lot_next_number(const struct procedure *p)
{
	int next = 1;
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].number >= next)
			next = p->lots[i].number + 1;
	return next;
}

const char *app_municipality_name(struct app *x, int64_t tenant_id)
{
	struct org muni;
	struct kv_error e;
	return STORE(x->st, org_get, tenant_id, x->a, &muni, &e) == KV_OK
		       ? muni.name : "";
}

static enum kv_status tabs_read(struct app *x, const struct procedure *p,
				unsigned roles, int64_t own,
				struct procedure_tabs_view *out, struct kv_error *e)
{
	*out = (struct procedure_tabs_view){0};
	bool inside = roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL);
	bool buyer = roles & ROLE_BUYER;
	enum kv_status rc = KV_OK;
	if (buyer || own) {
		struct question *qs = NULL;
		int nq = 0;
		/* A bidder counts its own candidate's questions only. */
		if ((rc = STORE(x->st, question_list, p->id, buyer ? 0 : own, x->a,
				&qs, &nq, e)) != KV_OK)
			return rc;
		for (int i = 0; i < nq; i++)
			out->questions += !qs[i].nota_id && (!buyer || !qs[i].answer);
	}
	if (inside) {
		struct application *as = NULL;
		if ((rc = STORE(x->st, application_list, p->id, x->a, &as,
				&out->applications, e)) != KV_OK)
			return rc;
	}
	if (buyer || own) {
		struct submission *subs = NULL;
		int n = 0;
		if ((rc = STORE(x->st, submission_list, p->id, x->a, &subs, &n, e)) != KV_OK)
			return rc;
		for (int i = 0; i < n; i++)
			out->bids += !subs[i].withdrawn_at && subs[i].envelope == ENVELOPE_QUALITY &&
				     (buyer || subs[i].candidate_id == own);
	}
	if (roles & (ROLE_BUYER | ROLE_COUNCIL)) {
		struct vault_rec v;
		rc = STORE(x->st, vault_get, p->id, &v, e);
		if (rc == KV_NOT_FOUND)
			rc = KV_OK;
		else if (rc == KV_OK)
			out->vault_open = v.opened_at != 0;
	}
	return rc;
}

/* The counts every page of a procedure shows in its tabs, read at most
 * once per committed change for each (procedure, roles, own candidate):
 * a memo stamped with x->gen and used while app_generation() equals it
 * (see app_generation).  Plain values, so a hit copies nothing else. */
#define TABS_MEMO 64
static struct tabs_memo {
	bool used;
	uint64_t generation;
	int64_t procedure_id, own;
	unsigned roles;
	struct procedure_tabs_view v;
} tabs_memo[TABS_MEMO];
static pthread_mutex_t tabs_lock = PTHREAD_MUTEX_INITIALIZER;

enum kv_status app_procedure_tabs(struct app *x, const struct procedure *p,
				  unsigned roles, int64_t own,
				  struct procedure_tabs_view *out,
				  struct kv_error *e)
{
	uint64_t h = (uint64_t)p->id * 31 + (uint64_t)own * 7 + roles;
	struct tabs_memo *m = &tabs_memo[h % TABS_MEMO];
	bool hit = false;
	pthread_mutex_lock(&tabs_lock);
	if (m->used && m->generation == app_generation() && m->procedure_id == p->id &&
	    m->own == own && m->roles == roles) {
		*out = m->v;
		hit = true;
	}
	pthread_mutex_unlock(&tabs_lock);
	if (hit)
		return KV_OK;
	enum kv_status rc = tabs_read(x, p, roles, own, out, e);
	if (rc != KV_OK)
		return rc;
	pthread_mutex_lock(&tabs_lock);
	*m = (struct tabs_memo){.used = true, .generation = x->gen, .procedure_id = p->id,
				.own = own, .roles = roles, .v = *out};
	pthread_mutex_unlock(&tabs_lock);
	return KV_OK;
}
