/*
 * attention.c - the attention list per role (see attention.h): the store
 * read for each procedure and contract the account has a role on, the
 * rules of core/attention.c applied, each item worded.
 */
#include "attention.h"

#include <string.h>

#include "core/dialogue.h"
#include "read_procedure.h"
#include "store/store.h"

/* The list being made, with what several items share. */
struct collect {
	struct app *x;
	int64_t account_id;
	struct att_item *items;
	int n, cap;
	/* the decisions of each municipality met, read once */
	struct tenant_decisions {
		int64_t tenant_id;
		struct decision *ds;
		int n;
	} *tds;
	int n_tds, cap_tds;
};

static struct att_item *add(struct collect *c, enum att_kind kind,
			    const struct procedure *p, const char *muni)
{
	c->items = arena_grow(c->x->a, c->items, c->n, &c->cap, sizeof *c->items, 32);
	struct att_item *it = &c->items[c->n++];
	*it = (struct att_item){.kind = kind, .municipality = muni ? muni : ""};
	if (p) {
		it->tenant_id = p->tenant_id;
		it->procedure_id = p->id;
		it->reference = p->reference;
		it->title = p->title;
	}
	return it;
}

static void dated(struct collect *c, struct att_item *it, kv_instant due)
{
	it->due = due;
	it->dated = true;
	it->days = att_day_diff(c->x->now, due);
}

static const char *stage_label(struct collect *c, const struct stage *s)
{
	if (s->kind == SK_DIALOGUE_ROUND)
		return arena_printf(c->x->a, "%s %d", stage_kind_label(s->kind), s->round);
	return stage_kind_label(s->kind);
}

/* "Tender deadline: in 3 days" */
static const char *in_days(struct collect *c, const char *what, int64_t days)
{
	if (days <= 0)
		return arena_printf(c->x->a, _("%s: today"), what);
	return arena_printf(c->x->a, ngettext("%s: in %lld day", "%s: in %lld days",
					      (unsigned long)days),
			    what, (long long)days);
}

static const struct lot *lot_of(const struct procedure *p, int64_t lot_id)
{
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].id == lot_id)
			return &p->lots[i];
	return NULL;
}

/* ---- stages: overdue and deadlines ------------------------------------- */

static void stages(struct collect *c, const struct procedure *p,
		   const char *muni, unsigned roles)
{
	int first;
	int late = att_late_stages(p, c->x->now, &first);
	if (late && (roles & (ROLE_BUYER | ROLE_COUNCIL))) {
		const struct stage *s = &p->stages[first];
		struct att_item *it = add(c, ATT_LATE, p, muni);
		dated(c, it, s->end);
		it->object_id = s->id;
		it->count = late;
		long long ago = (long long)-it->days;
		const char *text = ago <= 0
			? arena_printf(c->x->a, _("%s ended today and is not marked completed"),
				       stage_label(c, s))
			: arena_printf(c->x->a, ngettext("%s ended %lld day ago and is not marked completed",
							 "%s ended %lld days ago and is not marked completed",
							 (unsigned long)ago),
				       stage_label(c, s), ago);
		if (late > 1)
			text = arena_printf(c->x->a, "%s %s", text,
					    arena_printf(c->x->a, ngettext("(and %d later stage)",
									   "(and %d later stages)",
									   (unsigned long)(late - 1)),
							 late - 1));
		it->text = text;
	}
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		if (s->status == STAGE_COMPLETED || !att_within_horizon(c->x->now, s->end) ||
		    !(roles & att_deadline_roles(s->kind)))
			continue;
		struct att_item *it = add(c, ATT_DEADLINE, p, muni);
		dated(c, it, s->end);
		it->object_id = s->id;
		it->text = in_days(c, stage_label(c, s), it->days);
	}
}

/* The buyer's own question deadline and dialogue plan deadlines (their
 * default, the tender deadline and the round's end, are stages). */
static enum kv_status own_deadlines(struct collect *c, const struct procedure *p,
				    const char *muni, unsigned roles, int64_t own,
				    struct kv_error *e)
{
	if (!(roles & (ROLE_BUYER | ROLE_BIDDER)))
		return KV_OK;
	kv_instant qd = 0;
	bool set = false;   /* the buyer's own, not the tender deadline */
	enum kv_status rc = app_question_deadline(c->x, p, &qd, &set, e);
	if (rc != KV_OK)
		return rc;
	if (set && att_within_horizon(c->x->now, qd)) {
		struct att_item *it = add(c, ATT_DEADLINE, p, muni);
		dated(c, it, qd);
		it->text = in_days(c, _("Question deadline"), it->days);
	}
	if (!dlg_round_count(p))
		return KV_OK;
	struct dialogue_due *dd = NULL;
	int nd = 0;
	if ((rc = STORE(c->x->st, dialogue_due_list, p->id, c->x->a, &dd, &nd, e)) != KV_OK)
		return rc;
	bool takes_part = roles & ROLE_BUYER;   /* a bidder: its candidate's */
	for (int i = 0; i < nd; i++) {
		if (!att_within_horizon(c->x->now, dd[i].plan_due))
			continue;
		if (!takes_part) {
			struct candidate *in = NULL;
			int nin = 0;
			if ((rc = app_dialogue_participants(c->x, p, &in, &nin, e)) != KV_OK)
				return rc;
			for (int k = 0; k < nin && !takes_part; k++)
				takes_part = own && in[k].id == own;
			if (!takes_part)
				return KV_OK;
		}
		struct att_item *it = add(c, ATT_DEADLINE, p, muni);
		dated(c, it, dd[i].plan_due);
		it->number = dd[i].round;
		it->text = in_days(c, arena_printf(c->x->a, _("Plan deadline of dialogue round %d"),
						   dd[i].round), it->days);
	}
	return KV_OK;
}

/* ---- questions ---------------------------------------------------------- */

static enum kv_status questions(struct collect *c, const struct procedure *p,
				const char *muni, unsigned roles, int64_t own,
				struct kv_error *e)
{
	bool buyer = roles & ROLE_BUYER;
	if (!buyer && !((roles & ROLE_BIDDER) && own))
		return KV_OK;
	struct question *qs = NULL;
	int nq = 0;
	/* A bidder reads its own candidate's questions only. */
	enum kv_status rc = STORE(c->x->st, question_list, p->id, buyer ? 0 : own,
				  c->x->a, &qs, &nq, e);
	if (rc != KV_OK)
		return rc;
	int open = 0, waiting = 0;
	int64_t first_open = 0, first_waiting = 0;
	for (int i = 0; i < nq; i++) {
		if (qs[i].nota_id)
			continue;
		if (!buyer || !qs[i].answer) {
			if (!open++)
				first_open = qs[i].id;
		} else if (!waiting++) {
			first_waiting = qs[i].id;
		}
	}
	if (open) {
		struct att_item *it = add(c, ATT_QUESTION, p, muni);
		it->object_id = first_open;
		it->count = open;
		/* A bidder's sentence stays the same once a draft answer
		 * exists: drafts are the buyer's until the nota. */
		it->text = buyer
			? arena_printf(c->x->a, ngettext("%d question without an answer",
							 "%d questions without an answer",
							 (unsigned long)open), open)
			: arena_printf(c->x->a, ngettext("%d of your questions waits for its answer in a nota van inlichtingen",
							 "%d of your questions wait for their answer in a nota van inlichtingen",
							 (unsigned long)open), open);
	}
	if (waiting) {
		struct att_item *it = add(c, ATT_NOTA, p, muni);
		it->object_id = first_waiting;
		it->count = waiting;
		it->text = arena_printf(c->x->a, ngettext("%d answer waits to be published in a nota van inlichtingen",
							  "%d answers wait to be published in a nota van inlichtingen",
							  (unsigned long)waiting), waiting);
	}
	return KV_OK;
}

/* ---- conditions ---------------------------------------------------------- */

static enum kv_status decisions_of(struct collect *c, int64_t tenant_id,
				   struct tenant_decisions **out,
				   struct kv_error *e)
{
	for (int i = 0; i < c->n_tds; i++)
		if (c->tds[i].tenant_id == tenant_id) {
			*out = &c->tds[i];
			return KV_OK;
		}
	c->tds = arena_grow(c->x->a, c->tds, c->n_tds, &c->cap_tds, sizeof *c->tds, 4);
	struct tenant_decisions *td = &c->tds[c->n_tds];
	*td = (struct tenant_decisions){.tenant_id = tenant_id};
	enum kv_status rc = STORE(c->x->st, decision_list, tenant_id, 0, c->x->a,
				  &td->ds, &td->n, e);
	if (rc == KV_OK) {
		c->n_tds++;
		*out = td;
	}
	return rc;
}

static enum kv_status conditions(struct collect *c, const struct procedure *p,
				 const char *muni, unsigned roles,
				 struct kv_error *e)
{
	if (!(roles & (ROLE_BUYER | ROLE_COUNCIL)))
		return KV_OK;
	struct tenant_decisions *td;
	enum kv_status rc = decisions_of(c, p->tenant_id, &td, e);
	if (rc != KV_OK)
		return rc;
	for (int i = 0; i < td->n; i++) {
		const struct decision *d = &td->ds[i];
		if (d->procedure_id != p->id)
			continue;
		for (int k = 0; k < d->n_conditions; k++) {
			if (d->conditions[k].state != COND_PENDING)
				continue;
			struct att_item *it = add(c, ATT_CONDITION, p, muni);
			it->object_id = d->conditions[k].id;
			it->text = arena_printf(c->x->a, _("Decision %s: condition still open: %s"),
						d->number, d->conditions[k].description);
		}
	}
	return KV_OK;
}

/* ---- the vaults ---------------------------------------------------------- */

/* Whether every lot whose rules keep the price sealed until its quality
 * is final has final quality (the price opening's own precondition). */
static enum kv_status prices_ready(struct collect *c, const struct procedure *p,
				   bool *ready, struct kv_error *e)
{
	struct award_setup_rec *ss = NULL;
	int ns = 0;
	*ready = false;
	enum kv_status rc = STORE(c->x->st, award_setup_list, p->id, c->x->a, &ss, &ns, e);
	if (rc != KV_OK)
		return rc;
	for (int i = 0; i < ns; i++) {
		struct award_rules r;
		struct kv_error pe;
		if (app_award_rules_parse_text(c->x->a, ss[i].rules, &r, &pe) != KV_OK)
			return KV_OK;   /* rules that do not read: nothing to say */
		if (r.price_after_quality && !ss[i].quality_final_at)
			return KV_OK;
	}
	*ready = true;
	return KV_OK;
}

static enum kv_status vaults(struct collect *c, const struct procedure *p,
			     const char *muni, unsigned roles, struct kv_error *e)
{
	if (!(roles & ROLE_BUYER))
		return KV_OK;
	kv_instant deadline = 0;
	struct kv_error te;
	/* Bids come until a planned tender deadline (a procedure without
	 * one has nothing to seal yet). */
	if (app_tender_deadline(p, &deadline, &te) != KV_OK || !deadline)
		return KV_OK;
	bool passed = deadline <= c->x->now;
	struct vault_rec v;
	enum kv_status rc = STORE(c->x->st, vault_get, p->id, &v, e);
	if (rc == KV_NOT_FOUND) {
		if (passed)
			return KV_OK;   /* too late for bids: nothing to make */
		struct vault_key_rec *keys = NULL;
		int nk = 0;
		if ((rc = STORE(c->x->st, vault_keys_of_buyers, p->tenant_id, p->id,
				c->x->a, &keys, &nk, e)) != KV_OK)
			return rc;
		bool mine = false;
		for (int i = 0; i < nk; i++)
			mine = mine || keys[i].account_id == c->account_id;
		struct att_item *it = add(c, ATT_VAULT, p, muni);
		it->count = nk;
		it->own_step = !mine && nk < 2;
		it->text = nk >= 2 ? _("The vault has not been made yet: no bid can be received")
			   : nk == 1 ? _("The vault waits for a second buyer with a vault passphrase")
				     : _("The vault needs two buyers with a vault passphrase");
		return KV_OK;
	}
	if (rc != KV_OK)
		return rc;
	if (!v.opened_at) {
		if (passed) {
			struct att_item *it = add(c, ATT_VAULT, p, muni);
			it->text = _("The bids are in: two buyers together can open the vault");
		}
		return KV_OK;
	}
	struct vault_rec pv;
	rc = STORE(c->x->st, price_vault_get, p->id, &pv, e);
	if (rc == KV_NOT_FOUND)
		return KV_OK;
	if (rc != KV_OK)
		return rc;
	bool ready = false;
	if (!pv.opened_at && (rc = prices_ready(c, p, &ready, e)) != KV_OK)
		return rc;
	if (ready) {
		struct att_item *it = add(c, ATT_VAULT, p, muni);
		it->text = _("Quality is final: two buyers together can open the price envelopes");
	}
	return KV_OK;
}

/* ---- scores an assessor owes ---------------------------------------------- */

static enum kv_status scores(struct collect *c, const struct procedure *p,
			     const char *muni, unsigned roles, struct kv_error *e)
{
	if (!(roles & (ROLE_ASSESSOR | ROLE_BUYER)))
		return KV_OK;
	struct award_assignment *as = NULL;
	int na = 0;
	enum kv_status rc = STORE(c->x->st, award_assignment_list, p->id, c->x->a,
				  &as, &na, e);
	if (rc != KV_OK)
		return rc;
	for (int i = 0; i < na; i++) {
		if (as[i].account_id != c->account_id)
			continue;
		bool seen = false;   /* a lot once, whatever its keys */
		for (int k = 0; k < i && !seen; k++)
			seen = as[k].account_id == c->account_id && as[k].lot_id == as[i].lot_id;
		const struct lot *lot = lot_of(p, as[i].lot_id);
		if (seen || !lot)
			continue;
		struct award_view v;
		struct kv_error ve;
		if (app_award_view(c->x, p->id, lot->id, c->account_id, &v, &ve) != KV_OK) {
			if (ve.status == KV_IO) {
				*e = ve;
				return KV_IO;
			}
			continue;   /* no rules (any more): nothing to score */
		}
		if (!v.vault_open || v.handed_in || v.setup.quality_final_at)
			continue;
		int owed = 0;
		for (int b = 0; b < v.n_bidders; b++) {
			if (v.bidders[b].excluded)
				continue;
			for (int k = 0; k < v.rules.lot.n_criteria; k++) {
				if (!v.mine[k] || v.rules.criteria[k].scale.n_steps <= 0)
					continue;
				bool scored = false;
				for (int s = 0; s < v.n_own && !scored; s++)
					scored = v.own[s].candidate_id == v.bidders[b].candidate_id &&
						 strcmp(v.own[s].criterion_key, v.rules.keys[k]) == 0;
				owed += !scored;
			}
		}
		if (!v.n_bidders)
			continue;
		struct att_item *it = add(c, ATT_SCORES, p, muni);
		it->lot_id = lot->id;
		it->object_id = lot->id;
		it->number = lot->number;
		it->count = owed;
		it->text = owed
			? arena_printf(c->x->a, ngettext("Lot %d: %d score still to give",
							 "Lot %d: %d scores still to give",
							 (unsigned long)owed), lot->number, owed)
			: arena_printf(c->x->a, _("Lot %d: every score is given; hand them in"),
				       lot->number);
	}
	return KV_OK;
}

/* The scores of the selection round open for scoring that no one has
 * given yet: every criterion of the round for each of its candidates
 * (in round 1 those that applied).  Buyers and assessors score. */
static enum kv_status selection_scores(struct collect *c, const struct procedure *p,
				       const char *muni, unsigned roles,
				       struct kv_error *e)
{
	bool stage = false;
	for (int i = 0; i < p->n_stages; i++)
		stage = stage || (p->stages[i].kind == SK_SELECTION &&
				  p->stages[i].status != STAGE_COMPLETED);
	if (!stage || !(roles & (ROLE_ASSESSOR | ROLE_BUYER)))
		return KV_OK;
	int round = 0;
	enum kv_status rc = app_selection_current(c->x, p->id, &round, e);
	if (rc != KV_OK)
		return rc;
	kv_instant deadline = 0;
	struct kv_error de;
	if (round == 1 && (app_application_deadline(p, &deadline, &de) != KV_OK ||
			   deadline > c->x->now))
		return KV_OK;   /* round 1 is scored after the applications are in */
	struct selection_criterion *cr = NULL;
	struct selection_score *sc = NULL;
	struct candidate *in = NULL;
	struct application *ap = NULL;
	int ncr = 0, nsc = 0, nin = 0, nap = 0;
	if ((rc = STORE(c->x->st, criterion_list, p->id, c->x->a, &cr, &ncr, e)) != KV_OK ||
	    (rc = STORE(c->x->st, score_list, p->id, c->x->a, &sc, &nsc, e)) != KV_OK ||
	    (rc = app_selection_members(c->x, p->id, round, &in, &nin, e)) != KV_OK ||
	    (rc = STORE(c->x->st, application_list, p->id, c->x->a, &ap, &nap, e)) != KV_OK)
		return rc;
	int owed = 0;
	for (int m = 0; m < nin; m++) {
		bool applied = round > 1;
		for (int k = 0; k < nap && !applied; k++)
			applied = ap[k].candidate_id == in[m].id;
		for (int k = 0; applied && k < ncr; k++) {
			if ((cr[k].round ? cr[k].round : 1) != round)
				continue;
			bool scored = false;
			for (int s = 0; s < nsc && !scored; s++)
				scored = sc[s].candidate_id == in[m].id && sc[s].criterion_id == cr[k].id;
			owed += !scored;
		}
	}
	if (!owed)
		return KV_OK;
	struct att_item *it = add(c, ATT_SCORES, p, muni);
	it->number = round;
	it->count = owed;
	it->text = arena_printf(c->x->a, ngettext("Selection round %d: %d score still to give",
						  "Selection round %d: %d scores still to give",
						  (unsigned long)owed), round, owed);
	return KV_OK;
}

/* ---- contracts ---------------------------------------------------------- */

static cal_date today_of(kv_instant now)
{
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(now, &d, &h, &m, &s, &off);
	return d;
}

static void contract_item(struct att_item *it, const struct contract *k)
{
	it->tenant_id = k->tenant_id;
	it->contract_id = k->id;
	it->reference = k->reference;
	it->title = k->title;
}

static enum kv_status evaluations(struct collect *c, const struct contract *k,
				  const char *muni, struct kv_error *e)
{
	cal_date today = today_of(c->x->now);
	if (k->terminated || contract_status_on(k, today) == CONTRACT_ENDED)
		return KV_OK;
	cal_date when[CONTRACT_MAX_EVALUATIONS];
	int nw = contract_evaluation_dates(k, when);
	struct evaluation *evs = NULL;
	int ne = 0;
	bool listed = false;
	for (int i = 0; i < nw && i < k->n_evaluations; i++) {
		if (!att_evaluation_due(when[i], today))
			continue;
		if (!listed) {
			enum kv_status rc = STORE(c->x->st, evaluation_list, k->id, c->x->a,
						  &evs, &ne, e);
			if (rc != KV_OK)
				return rc;
			listed = true;
		}
		bool done = false;
		for (int v = 0; v < ne && !done; v++)
			done = evs[v].after_year == k->evaluation_years[i] &&
			       evs[v].outcome != EVAL_PENDING;
		if (done)
			continue;
		struct att_item *it = add(c, ATT_EVALUATION, NULL, muni);
		contract_item(it, k);
		it->number = k->evaluation_years[i];
		it->due = cal_local_to_utc(when[i], 0, 0, 0);
		it->dated = true;
		it->days = att_days_to_date(c->x->now, when[i]);
		const char *what = arena_printf(c->x->a, _("Evaluation after year %d"), it->number);
		it->text = it->days >= 0 ? in_days(c, what, it->days)
			: arena_printf(c->x->a, ngettext("%s: %lld day overdue", "%s: %lld days overdue",
							 (unsigned long)-it->days),
				       what, (long long)-it->days);
	}
	return KV_OK;
}

static enum kv_status kpis(struct collect *c, const struct contract *k,
			   const char *muni, struct kv_error *e)
{
	struct kpi *ks = NULL;
	struct measurement *ms = NULL;
	int nk = 0, nm = 0;
	enum kv_status rc;
	if ((rc = STORE(c->x->st, kpi_list, k->id, c->x->a, &ks, &nk, e)) != KV_OK ||
	    (rc = STORE(c->x->st, measurements_list, k->id, c->x->a, &ms, &nm, e)) != KV_OK)
		return rc;
	cal_date today = today_of(c->x->now);
	cal_date end = contract_effective_end(k);
	if (k->terminated && cal_date_cmp(k->terminated_on, end) < 0)
		end = k->terminated_on;
	for (int i = 0; i < nk; i++) {
		char period[8];
		if (!att_kpi_period_owed(ks[i].frequency, k->start, end, today, period))
			continue;
		bool have = false;
		for (int m = 0; m < nm && !have; m++)
			have = ms[m].kpi_id == ks[i].id && strcmp(ms[m].period, period) == 0;
		if (have)
			continue;
		struct att_item *it = add(c, ATT_KPI, NULL, muni);
		contract_item(it, k);
		it->object_id = ks[i].id;
		it->text = arena_printf(c->x->a, _("%s: no measurement for %s yet"), ks[i].name,
					period);
	}
	return KV_OK;
}

/* ---- per account -------------------------------------------------------- */

static int64_t own_candidate(const struct grant *g, int n, int64_t procedure_id)
{
	for (int i = 0; i < n; i++)
		if (g[i].role == ROLE_BIDDER && g[i].procedure_id == procedure_id)
			return g[i].candidate_id;
	return 0;
}

static enum kv_status procedure_items(struct collect *c, const struct procedure *p,
				      const char *muni, unsigned roles, int64_t own,
				      struct kv_error *e)
{
	enum kv_status rc;
	stages(c, p, muni, roles);
	if ((rc = own_deadlines(c, p, muni, roles, own, e)) != KV_OK ||
	    (rc = questions(c, p, muni, roles, own, e)) != KV_OK ||
	    (rc = conditions(c, p, muni, roles, e)) != KV_OK ||
	    (rc = vaults(c, p, muni, roles, e)) != KV_OK ||
	    (rc = scores(c, p, muni, roles, e)) != KV_OK ||
	    (rc = selection_scores(c, p, muni, roles, e)) != KV_OK)
		return rc;
	return KV_OK;
}

/* The contracts of the municipalities the account is a tenant-wide buyer
 * or council member of, and the contracts it reports on. */
static enum kv_status contract_items(struct collect *c, const struct grant *g,
				     int n_grants, struct kv_error *e)
{
	enum kv_status rc;
	for (int i = 0; i < n_grants; i++) {
		bool oversight = !g[i].procedure_id && !g[i].contract_id &&
				 (g[i].role == ROLE_BUYER || g[i].role == ROLE_COUNCIL);
		bool seen = false;
		for (int k = 0; k < i && oversight && !seen; k++)
			seen = !g[k].procedure_id && !g[k].contract_id &&
			       (g[k].role == ROLE_BUYER || g[k].role == ROLE_COUNCIL) &&
			       g[k].tenant_id == g[i].tenant_id;
		if (oversight && !seen) {
			struct contract *cs = NULL;
			int nc = 0;
			if ((rc = STORE(c->x->st, contract_list, g[i].tenant_id, c->x->a,
					&cs, &nc, e)) != KV_OK)
				return rc;
			const char *muni = app_municipality_name(c->x, g[i].tenant_id);
			for (int k = 0; k < nc; k++)
				if ((rc = evaluations(c, &cs[k], muni, e)) != KV_OK)
					return rc;
		}
		if (g[i].role == ROLE_REPORTER && g[i].contract_id) {
			struct contract k;
			if ((rc = STORE(c->x->st, contract_get, g[i].contract_id, c->x->a,
					&k, e)) != KV_OK)
				return rc;
			if ((rc = kpis(c, &k, app_municipality_name(c->x, k.tenant_id), e)) != KV_OK)
				return rc;
		}
	}
	return KV_OK;
}

static void finish(struct collect *c, struct attention_list *out)
{
	att_sort(c->items, c->n);
	out->items = c->items;
	out->n = c->n;
}

enum kv_status app_attention_of(struct app *x, int64_t account_id,
				const struct grant *g, int n_grants,
				const struct procedure *ps,
				const char *const *names, int np,
				struct attention_list *out,
				struct kv_error *e)
{
	struct collect c = {.x = x, .account_id = account_id};
	*out = (struct attention_list){0};
	enum kv_status rc;
	for (int i = 0; i < np; i++) {
		unsigned roles = role_on_procedure(g, n_grants, ps[i].tenant_id, ps[i].id);
		if (!roles)
			continue;
		if ((rc = procedure_items(&c, &ps[i], names[i], roles,
					  own_candidate(g, n_grants, ps[i].id), e)) != KV_OK)
			return rc;
	}
	if ((rc = contract_items(&c, g, n_grants, e)) != KV_OK)
		return rc;
	finish(&c, out);
	return KV_OK;
}

/* The procedures account_id sees (of tenant_id; 0: every one), loaded. */
static enum kv_status load_visible(struct app *x, int64_t account_id,
				   int64_t tenant_id, struct procedure **ps,
				   const char ***names, int *np,
				   struct kv_error *e)
{
	struct procedure_summary *sum = NULL;
	int ns = 0;
	*np = 0;
	enum kv_status rc = STORE(x->st, procedure_visible, account_id, x->a, &sum, &ns, e);
	if (rc != KV_OK)
		return rc;
	*ps = arena_alloc(x->a, sizeof **ps * (size_t)(ns + 1));
	*names = arena_alloc(x->a, sizeof **names * (size_t)(ns + 1));
	for (int i = 0; i < ns; i++) {
		if (tenant_id && sum[i].tenant_id != tenant_id)
			continue;
		if ((rc = STORE(x->st, procedure_get, sum[i].id, x->a, &(*ps)[*np], e)) != KV_OK)
			return rc;
		(*names)[(*np)++] = sum[i].tenant_name ? sum[i].tenant_name : "";
	}
	return KV_OK;
}

enum kv_status app_attention_for_account(struct app *x, int64_t account_id,
					 const struct grant *g, int n_grants,
					 struct attention_list *out,
					 struct kv_error *e)
{
	*out = (struct attention_list){0};
	/* One snapshot for every read (none when the caller holds one). */
	struct kv_error be;
	bool txn = store_begin(x->st, false, &be) == KV_OK;
	struct procedure *ps = NULL;
	const char **names = NULL;
	int np = 0;
	enum kv_status rc = load_visible(x, account_id, 0, &ps, &names, &np, e);
	if (rc == KV_OK)
		rc = app_attention_of(x, account_id, g, n_grants, ps, names, np, out, e);
	if (txn)
		store_rollback(x->st);
	return rc;
}

enum kv_status app_attention_for_tenant(struct app *x, int64_t account_id,
					int64_t tenant_id,
					struct attention_list *out,
					struct kv_error *e)
{
	*out = (struct attention_list){0};
	struct kv_error be;
	bool txn = store_begin(x->st, false, &be) == KV_OK;
	struct collect c = {.x = x, .account_id = account_id};
	struct procedure *ps = NULL;
	const char **names = NULL;
	int np = 0;
	enum kv_status rc = load_visible(x, account_id, tenant_id, &ps, &names, &np, e);
	/* As the municipality's council members see it. */
	for (int i = 0; rc == KV_OK && i < np; i++)
		rc = procedure_items(&c, &ps[i], names[i], ROLE_COUNCIL, 0, e);
	if (rc == KV_OK) {
		struct grant oversight = {.account_id = account_id, .tenant_id = tenant_id,
					  .role = ROLE_COUNCIL};
		rc = contract_items(&c, &oversight, 1, e);
	}
	if (txn)
		store_rollback(x->st);
	if (rc == KV_OK)
		finish(&c, out);
	return rc;
}

void app_attention_filter(struct attention_list *l, int kind, int64_t tenant_id)
{
	int n = 0;
	for (int i = 0; i < l->n; i++)
		if ((kind < 0 || (int)l->items[i].kind == kind) &&
		    (!tenant_id || l->items[i].tenant_id == tenant_id))
			l->items[n++] = l->items[i];
	l->n = n;
}
