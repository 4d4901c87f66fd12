/*
 * view.c - the layout, small HTML helpers and the JSON form of objects.
 * All HTML goes through html_f (html.h), which escapes by default.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/read_procedure.h"
#include "core/dialogue.h"
#include "core/validate.h"
#include "form.h"
#include "html.h"
#include "input.h"
#include "router.h"
#include "view.h"
#include "templates.h"

json_t *json_instant(arena *a, kv_instant t)
{
	if (!t)
		return json_null();
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	char day[16];
	return json_pack("{s:I, s:s}", "utc", (json_int_t)t, "local",
			 arena_printf(a, "%sT%02d:%02d:%02d%+03d:%02d",
				      cal_format_date(d, day), h, m, s,
				      off / 3600, (off < 0 ? -off : off) % 3600 / 60));
}

json_t *json_lot(const struct lot *l)
{
	return json_pack("{s:I, s:i, s:s, s:s, s:I, s:b}", "id", (json_int_t)l->id,
			 "number", l->number, "title", l->title, "goals",
			 l->goals ? l->goals : "", "value_cents",
			 (json_int_t)l->value_cents, "fixed_budget", l->fixed_budget);
}

json_t *json_parties(const struct party *ps, int n)
{
	json_t *parties = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(parties, json_pack("{s:I, s:s, s:s, s:s}",
			"org_id", (json_int_t)ps[i].org_id,
			"name", ps[i].org_name ? ps[i].org_name : "",
			"kvk", ps[i].kvk ? ps[i].kvk : "",
			"role", party_role_code(ps[i].role)));
	return parties;
}

void form_parties(struct req *r, struct party **out, int *n, struct form_errors *fe)
{
	int rows;
	struct kv_error le = {0};
	if (in_count_within(r, "parties", MAX_PARTIES, &rows, &le) != KV_OK)
		form_errors_add(fe, &le);
	struct party *ps = arena_alloc(r->a, (size_t)(rows + 1) * sizeof *ps);
	*n = 0;
	for (int i = 0; i < rows; i++) {
		const char *name = in_sub(r, "parties", i, "org_name");
		const char *kvk = in_sub(r, "parties", i, "kvk");
		const char *role = in_sub(r, "parties", i, "role");
		if (!r->api && in_blank(name) && in_blank(kvk))
			continue;
		int ro = role ? party_role_from_code(role) : -1;
		if (ro < 0) {
			struct kv_error e;
			kv_fail(&e, KV_INVALID,
				arena_printf(r->a, r->api ? "parties_%d" : "parties_%d_role", i + 1),
				_("Choose the role of this party."));
			form_errors_add(fe, &e);
		}
		ps[(*n)++] = (struct party){.org_name = (char *)name, .kvk = (char *)kvk,
					    .role = (enum party_role)(ro < 0 ? 0 : ro)};
	}
	*out = ps;
}

static void wipe_str(char *s)
{
	if (s)
		sodium_memzero(s, strlen(s));
}

enum kv_status opening_form(struct req *r, struct app_opener *a, struct app_opener *b,
			    struct kv_error *e)
{
	*a = (struct app_opener){in_str(r, "email_a"), (char *)in_str(r, "passphrase_a"), NULL};
	*b = (struct app_opener){in_str(r, "email_b"), (char *)in_str(r, "passphrase_b"), NULL};
	enum kv_status rc = form_confirm_check(r, e);
	if (rc != KV_OK) {
		wipe_str(a->pass);
		wipe_str(b->pass);
	}
	return rc;
}

void resp_created(struct req *r, struct resp *w, const struct form_errors *fe, json_t *made)
{
	if (fe->n)
		resp_error(r, w, &fe->items[0]);
	else
		resp_json(r, w, 201, made);
}

json_t *json_candidate(const struct candidate *c)
{
	json_t *parties = json_parties(c->parties, c->n_parties);
	return json_pack("{s:I, s:s, s:b, s:o}", "id", (json_int_t)c->id, "name",
			 c->name, "consortium", c->consortium, "parties", parties);
}

json_t *json_decision(const struct decision *d)
{
	char day[16];
	json_t *conds = json_array();
	for (int i = 0; i < d->n_conditions; i++)
		json_array_append_new(conds, json_pack("{s:I, s:s, s:s, s:s}",
			"id", (json_int_t)d->conditions[i].id,
			"description", d->conditions[i].description,
			"state", condition_state_code(d->conditions[i].state),
			"resolution", d->conditions[i].resolution ? d->conditions[i].resolution : ""));
	json_t *gov = json_array();
	for (int i = 0; i < d->n_governs; i++)
		json_array_append_new(gov, json_string(stage_kind_code(d->governs[i])));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)d->id, "number", d->number, "date",
			 cal_format_date(d->date, day), "title", d->title, "body",
			 d->body ? d->body : "", "conditions", conds, "governs", gov);
}

json_t *json_procedure(struct req *r, const struct procedure *p,
		       const struct decision *ds, int nd)
{
	struct timeline_view tv;
	proc_timeline(p, r->app.now, &tv);
	json_t *lots = json_array();
	for (int i = 0; i < p->n_lots; i++)
		json_array_append_new(lots, json_lot(&p->lots[i]));
	json_t *stages = json_array();
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		const struct decision *which = NULL;
		const struct condition *c = proc_blocking_condition(p, i, ds, nd, &which);
		json_t *blocked = c ? json_pack("{s:s, s:s}", "decision", which->number,
						"condition", c->description)
				    : json_null();
		json_array_append_new(stages, json_pack(
			"{s:I, s:i, s:s, s:s, s:i, s:o, s:o, s:s, s:o, s:s, s:b, s:o}",
			"id", (json_int_t)s->id, "seq", s->seq,
			"kind", stage_kind_code(s->kind),
			"label", stage_kind_label(s->kind), "round", s->round,
			"start", json_instant(r->a, s->start),
			"end", json_instant(r->a, s->end),
			"status", s->status == STAGE_COMPLETED ? "completed" : "planned",
			"completed_at", json_instant(r->a, s->completed_at),
			"rule", s->rule ? s->rule : "",
			"deadline", stage_is_deadline(s->kind),
			"blocked_by", blocked));
	}
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:o, s:o, s:{s:i, s:i, s:i, s:I}}",
		"id", (json_int_t)p->id, "tenant_id", (json_int_t)p->tenant_id,
		"reference", p->reference, "title", p->title,
		"description", p->description ? p->description : "",
		"type", proc_type_code(p->type), "type_label", proc_type_label(p->type),
		"cpv", p->cpv, "value_cents", (json_int_t)p->value_cents,
		"dialogue_rounds", p->dialogue_rounds,
		"standstill_days", p->standstill_days,
		"lots", lots, "stages", stages,
		"timeline", "current", tv.current, "open_now", tv.open_now,
		"next", tv.next, "days_left", (json_int_t)tv.days_left);
}

const char *fmt_input_time(struct req *r, kv_instant t)
{
	if (!t)
		return "";
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	/* "2022-04-01T09:30", the value of a datetime-local input */
	char *out = arena_alloc_raw(r->a, 17);
	cal_format_date(d, out);
	char tail[6] = {'T', (char)('0' + h / 10), (char)('0' + h % 10), ':',
			(char)('0' + m / 10), (char)('0' + m % 10)};
	memcpy(out + 10, tail, 6);
	out[16] = 0;
	return out;
}

const char *party_role_label(enum party_role role)
{
	switch (role) {
	case PARTY_PENVOERDER: return _("penvoerder (lead party)");
	case PARTY_MEMBER: return _("member");
	case PARTY_SUBCONTRACTOR: return _("subcontractor");
	}
	return "";
}

const char *fmt_when(struct req *r, kv_instant t)
{
	return t ? cal_format_local(r->a, t) : "";
}

const char *fmt_when_sec(struct req *r, kv_instant t)
{
	return t ? cal_format_local_sec(r->a, t) : "";
}

const char *fmt_period(struct req *r, kv_instant t1, kv_instant t2)
{
	return cal_format_period(r->a, t1, t2);
}

const char *fmt_span(struct req *r, struct cal_span s)
{
	unsigned long n = (unsigned long)s.n;
	switch (s.unit) {
	case CAL_MINUTES:
		return arena_printf(r->a, ngettext("%lld minute", "%lld minutes", n), (long long)s.n);
	case CAL_HOURS:
		return arena_printf(r->a, ngettext("%lld hour", "%lld hours", n), (long long)s.n);
	case CAL_DAYS:
		return arena_printf(r->a, ngettext("%lld day", "%lld days", n), (long long)s.n);
	case CAL_MONTHS:
		return arena_printf(r->a, ngettext("%lld month", "%lld months", n), (long long)s.n);
	case CAL_YEARS:
		return arena_printf(r->a, ngettext("%lld year", "%lld years", n), (long long)s.n);
	}
	return "";
}

/* The file name's extension, lower case, or "". */
static const char *extension(struct req *r, const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot || strlen(dot) > 8)
		return "";
	char *x = arena_strdup(r->a, dot + 1);
	for (char *c = x; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return x;
}

const char *fmt_file_type(struct req *r, const char *content_type, const char *file_name)
{
	const char *t = content_type ? content_type : "";
	if (strcmp(t, "application/pdf") == 0)
		return _("PDF document");
	if (strcmp(t, "application/zip") == 0) {
		/* Office documents are ZIP containers: their name says which. */
		static const struct { const char *ext, *label; } office[] = {
			{"docx", N_("Word document")}, {"xlsx", N_("Excel workbook")},
			{"pptx", N_("PowerPoint presentation")}, {"odt", N_("OpenDocument text")},
			{"ods", N_("OpenDocument spreadsheet")}, {"odp", N_("OpenDocument presentation")},
		};
		const char *ext = extension(r, file_name);
		for (size_t i = 0; i < sizeof office / sizeof *office; i++)
			if (strcmp(ext, office[i].ext) == 0)
				return _(office[i].label);
		return _("ZIP archive");
	}
	if (strcmp(t, "application/json") == 0)
		return _("your price tender");
	return _("another kind of file (not recognised)");
}

const char *fmt_submission_file(struct req *r, const struct submission *s)
{
	if (s->envelope != ENVELOPE_PRICE)
		return s->file_name ? s->file_name : "";
	return s->candidate_id && s->candidate_id == own_candidate(r)
		? _("your price tender") : _("price tender");
}

/* A size as people read it: bytes, kB, MB or GB (of 1024), one decimal
 * where it is not whole, the decimal sign of the page's language. */
const char *fmt_bytes(struct req *r, int64_t n)
{
	static const char *const unit[] = {"kB", "MB", "GB", "TB"};
	if (n < 1024)
		return arena_printf(r->a, ngettext("%lld byte", "%lld bytes", (unsigned long)n),
				    (long long)n);
	int u = 0;
	int64_t base = 1024;
	while (u < 3 && n >= base * 1024) {
		base *= 1024;
		u++;
	}
	/* Tenths, rounded half up; 1023,96 kB rounds up to the next unit. */
	int64_t tenths = (n * 10 + base / 2) / base;
	if (tenths >= 10240 && u < 3) {
		base *= 1024;
		u++;
		tenths = (n * 10 + base / 2) / base;
	}
	char sep = view_decimal_mark(r);
	if (tenths % 10 == 0)
		return arena_printf(r->a, "%lld %s", (long long)(tenths / 10), unit[u]);
	return arena_printf(r->a, "%lld%c%lld %s", (long long)(tenths / 10), sep,
			    (long long)(tenths % 10), unit[u]);
}

const char *fmt_eur(struct req *r, int64_t cents)
{
	char buf[48];
	return arena_strdup(r->a, eur_format(cents, buf));
}

char view_decimal_mark(const struct req *r)
{
	return r->lang && strcmp(r->lang, "en") == 0 ? '.' : ',';
}

const char *fmt_decimal(struct req *r, int64_t hundredths)
{
	char buf[32];
	return arena_strdup(r->a, dec_format(hundredths, view_decimal_mark(r), buf));
}

/* The sentences of enum done_code, by their code in the address. */
static const struct {
	const char *code, *msgid;
} done_notes[DONE_N] = {
	[DONE_STAGE_COMPLETED] = {"stage-completed", N_("The stage is marked completed; the audit trail records it.")},
	[DONE_STAGE_MOVED] = {"stage-moved", N_("The stage's dates are saved.")},
	[DONE_PROCEDURE_CREATED] = {"procedure-created", N_("The procedure is created with its stages.")},
	[DONE_PROCEDURE_PUBLISHED] = {"procedure-published", N_("The procedure is published: every organisation sees it on the tenders page and can register interest.")},
	[DONE_LOT_ADDED] = {"lot-added", N_("The lot is added.")},
	[DONE_CANDIDATE_ADDED] = {"candidate-added", N_("The candidate is added.")},
	[DONE_DECISION_ADDED] = {"decision-added", N_("The decision is registered.")},
	[DONE_CONDITION_RESOLVED] = {"condition-resolved", N_("The condition is marked as met.")},
	[DONE_SELECTION_PUBLISHED] = {"selection-published", N_("The round's results are published to every candidate of the round.")},
	[DONE_SCORE_SAVED] = {"score-saved", N_("The score is saved.")},
	[DONE_NOTA_PUBLISHED] = {"nota-published", N_("The nota van inlichtingen is published to every candidate.")},
	[DONE_ANSWER_SAVED] = {"answer-saved", N_("The answer is saved as a draft; it is published with the next nota.")},
	[DONE_DEADLINE_SET] = {"deadline-set", N_("The question deadline is saved.")},
	[DONE_SCORES_HANDED_IN] = {"scores-handed-in", N_("Your scores are handed in.")},
	[DONE_QUALITY_FINAL] = {"quality-final", N_("The quality scores are final.")},
	[DONE_AWARD_DECIDED] = {"award-decided", N_("The award decision is sent to every bidder; the standstill period runs.")},
	[DONE_AWARD_DEFINITIVE] = {"award-definitive", N_("The award is definitive.")},
	[DONE_CONTRACT_CREATED] = {"contract-created", N_("The contract is created.")},
	[DONE_CONTRACT_TERMINATED] = {"contract-terminated", N_("The contract is terminated.")},
	[DONE_CONTRACT_EXTENDED] = {"contract-extended", N_("The extension option is used; the contract's end is moved.")},
	[DONE_INDEX_SAVED] = {"index-saved", N_("The index figures are saved; the budget below is computed with them.")},
	[DONE_KPI_ADDED] = {"kpi-added", N_("The KPI is added.")},
	[DONE_MEASUREMENT_SAVED] = {"measurement-saved", N_("The measurement is saved.")},
	[DONE_MEASUREMENTS_IMPORTED] = {"measurements-imported", N_("The measurements are imported.")},
	[DONE_EVALUATION_SAVED] = {"evaluation-saved", N_("The evaluation is recorded.")},
	[DONE_FRAME_IMPORTED] = {"frame-imported", N_("The budget frame is imported.")},
	[DONE_SUBSIDY_RECORDED] = {"subsidy-recorded", N_("The subsidy is recorded.")},
	[DONE_SUBSIDY_EXTENDED] = {"subsidy-extended", N_("The subsidy is extended.")},
	[DONE_SUBSIDY_ENDED] = {"subsidy-ended", N_("The subsidy's early end is saved.")},
	[DONE_HISTORY_ADDED] = {"history-added", N_("The period is added to the history.")},
	[DONE_FEEDBACK_PUBLISHED] = {"feedback-published", N_("The feedback is published to the candidate.")},
	[DONE_CRITERION_ADDED] = {"criterion-added", N_("The selection criterion is added.")},
	[DONE_APPLICATION_SAVED] = {"application-saved", N_("Your answers are saved.")},
	[DONE_PRICES_OPENED] = {"prices-opened", N_("The prices are opened.")},
	[DONE_CLAIM_DECIDED] = {"claim-decided", N_("The genuine registration is recorded; the others under its KvK number take no further part.")},
	[DONE_SCORES_SAVED] = {"scores-saved", N_("Your scores are saved.")},
};

void resp_redirect_done(struct req *r, struct resp *w, const char *to,
			enum done_code code)
{
	if (code <= DONE_NONE || code >= DONE_N) {
		resp_redirect(r, w, to);
		return;
	}
	const char *hash = strchr(to, '#');
	size_t n = hash ? (size_t)(hash - to) : strlen(to);
	bool query = memchr(to, '?', n) != NULL;
	resp_redirect(r, w, arena_printf(r->a, "%.*s%cdone=%s%s", (int)n, to, query ? '&' : '?',
					 done_notes[code].code, hash ? hash : ""));
}

/* The sentence of the page's ?done=, or "". */
static const char *done_note(struct req *r)
{
	const char *code = strcmp(r->method, "GET") == 0 ? req_param(r, "done") : NULL;
	for (int i = 1; code && i < DONE_N; i++)
		if (done_notes[i].code && strcmp(done_notes[i].code, code) == 0)
			return _(done_notes[i].msgid);
	return "";
}

const char *csrf_token(const struct req *r)
{
	return r->authed ? r->sess.csrf : (r->cookie_csrf ? r->cookie_csrf : "");
}

static struct tv_csrf csrf_view(const struct req *r)
{
	return (struct tv_csrf){.token = csrf_token(r)};
}

const char *csrf_input(struct req *r)
{
	struct tv_csrf v = csrf_view(r);
	return tmpl_csrf_html(r->a, &v).raw;
}

const char *refill(struct req *r, const char *key, const char *dflt)
{
	const char *v = req_param(r, key);
	return v ? v : (dflt ? dflt : "");
}

int64_t tenant_of(const struct req *r, bool buyer_only)
{
	for (int i = 0; i < r->n_grants; i++) {
		const struct grant *g = &r->grants[i];
		if (g->procedure_id || g->contract_id)
			continue;
		if (g->role == ROLE_BUYER || (!buyer_only && g->role == ROLE_COUNCIL))
			return g->tenant_id;
	}
	return 0;
}

/* The page a GET would show for this request: where the language switch
 * returns to.  A form's POST re-renders a page under the form's action
 * path, which is not always a page. */
static const char *page_path(struct req *r)
{
	if (strcmp(r->method, "GET") == 0)
		return r->path;
	const char *cut;
	if ((cut = strstr(r->path, "/stages/")))
		return arena_strndup(r->a, r->path, (size_t)(cut - r->path));
	if ((cut = strstr(r->path, "/questions/")))
		return arena_printf(r->a, "%.*s/questions", (int)(cut - r->path), r->path);
	if ((cut = strstr(r->path, "/notas")) && !cut[6])
		return arena_printf(r->a, "%.*s/questions", (int)(cut - r->path), r->path);
	if ((cut = strstr(r->path, "/conditions/")))
		return arena_printf(r->a, "%.*s/decisions", (int)(cut - r->path), r->path);
	if (strcmp(r->path, "/procedures") == 0)
		return "/procedures/new";
	if (strcmp(r->path, "/calendar/equated") == 0)
		return "/calendar";
	if ((cut = strstr(r->path, "/contracts/")) == r->path) {
		const char *slash = strchr(r->path + 11, '/');
		if (slash)
			return arena_strndup(r->a, r->path, (size_t)(slash - r->path));
	}
	if (strcmp(r->path, "/contracts") == 0)
		return "/contracts/new";
	if (strcmp(r->path, "/budget/frames") == 0 || strncmp(r->path, "/subsidies", 10) == 0)
		return "/budget";
	if (strcmp(r->path, "/risks") == 0)
		return "/report";
	return r->path;
}

/* ---- where a page is: the menu, the procedure's tabs, the breadcrumbs ---- */

/* The roles that may follow a procedure route of the given access rule:
 * the same sets the router checks (router.c check_access). */
static unsigned access_roles(enum access acc)
{
	switch (acc) {
	case ACCESS_PROC_READ:
		return ROLE_BUYER | ROLE_ASSESSOR | ROLE_BIDDER | ROLE_COUNCIL;
	case ACCESS_PROC_INSIDE:
		return ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL;
	case ACCESS_PROC_OVERSIGHT:
		return ROLE_BUYER | ROLE_COUNCIL;
	case ACCESS_PROC_BUYER:
		return ROLE_BUYER;
	case ACCESS_PROC_BIDDER:
		return ROLE_BIDDER;
	default:
		return 0;
	}
}

/* Whether the viewer's roles pass a route's access rule (NULL: no route):
 * a link the router would answer with 403 is never shown. */
static bool may_follow_route(const struct req *r, const struct route *rt)
{
	return rt && (r->roles & access_roles(rt->access));
}

enum tab_count { COUNT_NONE, COUNT_QUESTIONS, COUNT_APPLICATIONS, COUNT_BIDS };

/* The procedure's tabs in their order.  A tab shows when the route table
 * lets the viewer follow it and the procedure has what it is about (a
 * stage of that kind, dialogue rounds, an opened vault, one lot). */
enum tab_needs { NEEDS_NONE, NEEDS_STAGE, NEEDS_DIALOGUE, NEEDS_RECORD, NEEDS_ONE_LOT };
static const struct tab {
	const char *key, *label;
	const char *path;              /* after /procedures/N; NULL: the one
					  lot's bid page */
	enum tab_needs needs;
	int stage;                     /* NEEDS_STAGE: the kind */
	enum tab_count count;
	unsigned not_for;              /* roles that see another tab instead */
} tabs[] = {
	{"timeline", N_("Timeline"), "", NEEDS_NONE, 0, COUNT_NONE, 0},
	{"lots", N_("Lots"), "/lots", NEEDS_NONE, 0, COUNT_NONE, 0},
	{"candidates", N_("Candidates"), "/candidates", NEEDS_NONE, 0, COUNT_NONE, 0},
	{"decisions", N_("Decisions"), "/decisions", NEEDS_NONE, 0, COUNT_NONE, 0},
	{"audit", N_("Audit trail"), "/audit", NEEDS_NONE, 0, COUNT_NONE, 0},
	{"questions", N_("Questions"), "/questions", NEEDS_NONE, 0, COUNT_QUESTIONS, 0},
	{"application", N_("Applications"), "/application", NEEDS_STAGE,
	 SK_APPLICATION_DEADLINE, COUNT_APPLICATIONS, 0},
	{"selection", N_("Selection"), "/selection", NEEDS_STAGE, SK_SELECTION, COUNT_NONE, 0},
	{"selection", N_("Selection result"), "/selection/result", NEEDS_STAGE, SK_SELECTION,
	 COUNT_NONE, ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL},
	{"dialogue", N_("Dialogue"), "/dialogue", NEEDS_DIALOGUE, 0, COUNT_NONE, 0},
	{"vault", N_("Vault"), "/vault", NEEDS_STAGE, SK_TENDER_DEADLINE, COUNT_BIDS, 0},
	{"vault", N_("Record of the opening"), "/vault/record", NEEDS_RECORD, 0, COUNT_NONE,
	 ROLE_BUYER},
	/* a bidder's bids: the lot's own page when there is one lot, else
	 * each lot's link on the lots tab */
	{"bids", N_("Your bids"), NULL, NEEDS_ONE_LOT, 0, COUNT_BIDS, 0},
	{"award", N_("Award"), "/award", NEEDS_NONE, 0, COUNT_NONE, 0},
	{"documents", N_("Documents"), "/documents", NEEDS_NONE, 0, COUNT_NONE, 0},
};
enum { N_TABS = sizeof tabs / sizeof *tabs };

struct tab_out {
	const struct tab *t;
	const char *href;
};

/* Each tab's row of the route table, looked up once: the row a path
 * matches does not depend on the ids in it. */
static const struct route *tab_route[N_TABS];
static pthread_once_t tab_route_once = PTHREAD_ONCE_INIT;

static void tab_routes_find(void)
{
	for (size_t i = 0; i < N_TABS; i++) {
		char path[128];
		snprintf(path, sizeof path, "/procedures/1%s",
			 tabs[i].path ? tabs[i].path : "/lots/1/submit");
		struct route_match m;
		router_lookup("GET", path, &m);
		tab_route[i] = m.rt;
	}
}

static bool has_stage(const struct procedure *p, int kind)
{
	for (int k = 0; k < p->n_stages; k++)
		if ((int)p->stages[k].kind == kind)
			return true;
	return false;
}

/* The tabs the viewer sees, in out[N_TABS]; vault_open: whether the
 * record of the opening can be read (NULL: not known, assumed not). */
static int visible_tabs(struct req *r, const bool *vault_open, struct tab_out *out)
{
	const struct procedure *p = &r->proc;
	int n = 0;
	for (size_t i = 0; i < N_TABS; i++) {
		const struct tab *t = &tabs[i];
		if (r->roles & t->not_for)
			continue;
		switch (t->needs) {
		case NEEDS_NONE:
			break;
		case NEEDS_STAGE:
			if (!has_stage(p, t->stage))
				continue;
			break;
		case NEEDS_DIALOGUE:
			if (!dlg_round_count(p))
				continue;
			break;
		case NEEDS_RECORD:
			if (!vault_open || !*vault_open)
				continue;
			break;
		case NEEDS_ONE_LOT:
			if (p->n_lots != 1 || !has_stage(p, SK_TENDER_DEADLINE))
				continue;
			break;
		}
		pthread_once(&tab_route_once, tab_routes_find);
		if (!may_follow_route(r, tab_route[i]))
			continue;
		const char *href = t->path
			? arena_printf(r->a, "/procedures/%lld%s", (long long)p->id, t->path)
			: arena_printf(r->a, "/procedures/%lld/lots/%lld/submit",
				       (long long)p->id, (long long)p->lots[0].id);
		out[n++] = (struct tab_out){t, href};
	}
	return n;
}

/* The breadcrumbs of a procedure's page: which tab a path (after
 * /procedures/N; '#' an id) belongs to, and the item it shows below that
 * tab.  The tab is the first of `tabs` (keys, space-separated) the viewer
 * sees.  A path no rule names whole takes the tab of the longest rule it
 * begins with (a form's POST shown again; page_path has mapped those of
 * stages, questions and conditions to their pages). */
enum crumb_item { ITEM_NONE, ITEM_TEXT, ITEM_LOT, ITEM_NOTA };
static const struct crumb_rule {
	const char *pattern, *tabs;
	enum crumb_item item;
	const char *label;
} crumb_rules[] = {
	{"", "timeline", ITEM_NONE, NULL},
	{"/lots", "lots", ITEM_NONE, NULL},
	{"/lots/#/submit", "bids lots", ITEM_LOT, N_("Submit a bid")},
	{"/lots/#/price", "award", ITEM_LOT, N_("Price envelope")},
	{"/lots/#/award/rules", "award", ITEM_LOT, N_("Award rules")},
	{"/lots/#/award/scoring", "award", ITEM_LOT, N_("Evaluation")},
	{"/lots/#/award/ranking", "award", ITEM_LOT, N_("Ranking")},
	{"/lots/#/award/letter", "award", ITEM_LOT, N_("Award decision")},
	{"/lots/#/award/objections", "award", ITEM_LOT, N_("Award decisions and objections")},
	{"/candidates", "candidates", ITEM_NONE, NULL},
	{"/registrations", "candidates", ITEM_TEXT, N_("Registrations")},
	{"/decisions", "decisions", ITEM_NONE, NULL},
	{"/audit", "audit", ITEM_NONE, NULL},
	{"/questions", "questions", ITEM_NONE, NULL},
	{"/notas/#", "questions", ITEM_NOTA, N_("Nota van inlichtingen")},
	{"/application", "application", ITEM_NONE, NULL},
	{"/publish", "application", ITEM_NONE, NULL},
	{"/selection-criteria", "application", ITEM_NONE, NULL},
	{"/selection", "selection", ITEM_NONE, NULL},
	{"/selection/result", "selection", ITEM_NONE, NULL},
	{"/vault", "vault", ITEM_NONE, NULL},
	{"/vault/record", "vault", ITEM_TEXT, N_("Record of the opening")},
	{"/submissions/#/receipt", "vault bids lots", ITEM_TEXT, N_("Receipt")},
	{"/dialogue", "dialogue", ITEM_NONE, NULL},
	{"/award", "award", ITEM_NONE, NULL},
	{"/assessors", "award", ITEM_NONE, NULL},
	{"/price-vault", "award", ITEM_NONE, NULL},
	{"/documents", "documents", ITEM_NONE, NULL},
};

/* Matches s against pattern ('#' takes digits into *id, the first one);
 * whole: all of s, else s may go on after a '/'. */
static bool crumb_match(const char *pattern, const char *s, bool whole, int64_t *id)
{
	bool got = false;
	while (*pattern) {
		if (*pattern == '#') {
			if (*s < '0' || *s > '9')
				return false;
			long long v = 0;
			for (int d = 0; *s >= '0' && *s <= '9' && d < 15; d++)
				v = v * 10 + (*s++ - '0');
			if (!got)
				*id = v;
			got = true;
			pattern++;
			continue;
		}
		if (*pattern++ != *s++)
			return false;
	}
	return *s == 0 || (!whole && *s == '/');
}

/* The crumbs of the procedure page at path: Procedures > reference >
 * tab > item, the last one the page itself (no link). */
static int procedure_crumbs(struct req *r, const char *path,
			    struct tv_layout_head_crumbs *out)
{
	const struct procedure *p = &r->proc;
	const char *home = arena_printf(r->a, "/procedures/%lld", (long long)p->id);
	size_t hl = strlen(home);
	const char *rest = strncmp(path, home, hl) == 0 ? path + hl : "";
	const struct crumb_rule *rule = NULL;
	int64_t id = 0;
	for (size_t i = 0; i < sizeof crumb_rules / sizeof *crumb_rules; i++)
		if (crumb_match(crumb_rules[i].pattern, rest, true, &id)) {
			rule = &crumb_rules[i];
			break;
		}
	if (!rule) {   /* the longest rule the path begins with: its tab only */
		size_t best = 0;
		int64_t ignore;
		for (size_t i = 0; i < sizeof crumb_rules / sizeof *crumb_rules; i++) {
			size_t l = strlen(crumb_rules[i].pattern);
			if (l >= best && !strchr(crumb_rules[i].pattern, '#') &&
			    crumb_match(crumb_rules[i].pattern, rest, false, &ignore)) {
				best = l;
				rule = &crumb_rules[i];
			}
		}
		id = 0;
	}
	int n = 0;
	out[n++] = (struct tv_layout_head_crumbs){.href = "/", .label = _("Procedures")};
	out[n++] = (struct tv_layout_head_crumbs){.href = home, .label = p->reference, .sep = true};
	if (!rule || !*rule->pattern) {
		out[n - 1].href = "";
		return n;
	}
	/* The tab: the first of the rule's keys the viewer sees. */
	struct tab_out vis[N_TABS];
	int nv = visible_tabs(r, NULL, vis);
	const struct tab_out *tab = NULL;
	for (const char *k = rule->tabs; *k && !tab; k += strspn(k, " ")) {
		size_t kl = strcspn(k, " ");
		for (int i = 0; i < nv && !tab; i++)
			if (strlen(vis[i].t->key) == kl && strncmp(vis[i].t->key, k, kl) == 0)
				tab = &vis[i];
		k += kl;
	}
	if (tab && strcmp(tab->t->key, "timeline") != 0) {
		bool here = strcmp(tab->href, path) == 0;
		out[n++] = (struct tv_layout_head_crumbs){
			.href = here ? "" : tab->href, .label = _(tab->t->label), .sep = true};
		if (here)
			return n;   /* the tab is the item's own page (one lot) */
	}
	const char *item = NULL;
	if (rule->item == ITEM_TEXT) {
		item = _(rule->label);
	} else if (rule->item == ITEM_NOTA) {
		item = arena_printf(r->a, "%s %lld", _(rule->label), (long long)id);
	} else if (rule->item == ITEM_LOT) {
		int number = 0;
		for (int i = 0; i < p->n_lots; i++)
			if (p->lots[i].id == id)
				number = p->lots[i].number;
		item = arena_printf(r->a, "%s %d · %s", _("Lot"), number, _(rule->label));
	}
	if (item)
		out[n++] = (struct tv_layout_head_crumbs){.href = "", .label = item, .sep = true};
	return n;
}

/* The crumbs of a page that is no procedure's; 0 for the menu's own
 * pages, which the menu marks. */
static int other_crumbs(struct req *r, const char *path,
			struct tv_layout_head_crumbs *out)
{
	int64_t id;
	const char *parent = NULL, *parent_href = NULL, *here = NULL;
	if (strcmp(path, "/procedures/new") == 0 || strcmp(path, "/procedures") == 0) {
		parent = _("Procedures"), parent_href = "/", here = _("New procedure");
	} else if (strcmp(path, "/attention") == 0) {
		parent = _("Procedures"), parent_href = "/", here = _("Needs your attention");
	} else if (crumb_match("/tenders/#/register", path, true, &id)) {
		parent = _("Published procedures"), parent_href = "/tenders",
		here = _("Register interest");
	}
	if (!parent)
		return 0;
	(void)r;
	out[0] = (struct tv_layout_head_crumbs){.href = parent_href, .label = parent};
	out[1] = (struct tv_layout_head_crumbs){.href = "", .label = here, .sep = true};
	return 2;
}

/* Whether the account takes part in some tender as a bidder: its
 * organisation account is then in the menu. */
static bool has_bidder_grant(const struct req *r)
{
	for (int i = 0; i < r->n_grants; i++)
		if (r->grants[i].role == ROLE_BIDDER)
			return true;
	return false;
}

/* Whether path lies in the menu's section under prefix. */
static bool in_section(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 && (path[n] == 0 || path[n] == '/');
}

void layout_begin(struct req *r, struct resp *w, const char *title)
{
	bool en = strcmp(r->lang, "en") == 0;
	const char *path = page_path(r);
	struct tv_layout_head_crumbs *crumbs = arena_alloc(r->a, 6 * sizeof *crumbs);
	int n_crumbs = r->has_proc && r->roles ? procedure_crumbs(r, path, crumbs)
					       : other_crumbs(r, path, crumbs);
	struct tv_layout_head v = {
		.lang = r->lang,
		.title = title,
		.authed = r->authed,
		.tenant_pages = r->authed && tenant_of(r, false),
		.org_page = r->authed && has_bidder_grant(r),
		.user_name = r->me.name,
		.csrf = csrf_view(r),
		.other_lang = en ? "nl" : "en",
		.other_label = en ? "Nederlands" : "English",
		.back = path,
		.at_procedures = strcmp(path, "/") == 0 || in_section(path, "/procedures") ||
				 in_section(path, "/attention"),
		.at_contracts = in_section(path, "/contracts"),
		.at_budget = in_section(path, "/budget") || in_section(path, "/subsidies"),
		.at_history = in_section(path, "/history"),
		.at_report = in_section(path, "/report") || in_section(path, "/risks"),
		.at_calendar = in_section(path, "/calendar"),
		.at_tenders = in_section(path, "/tenders"),
		.at_org = in_section(path, "/organisation"),
		.crumbs = crumbs,
		.n_crumbs = n_crumbs,
		.done = done_note(r),
	};
	tmpl_layout_head(&w->body, &v);
}

void layout_end(struct req *r, struct resp *w)
{
	(void)r;
	tmpl_layout_foot(&w->body, NULL);
}

void procedure_nav(struct req *r, struct resp *w, const char *active)
{
	const struct procedure *p = &r->proc;
	struct procedure_tabs_view counts;
	struct kv_error e;
	if (app_procedure_tabs(&r->app, p, r->roles, own_candidate(r), &counts, &e) != KV_OK)
		counts = (struct procedure_tabs_view){0};   /* the tabs without counts */
	struct tab_out vis[N_TABS];
	int nv = visible_tabs(r, &counts.vault_open, vis);
	struct tv_procedure_nav_tabs *out = arena_alloc(r->a, N_TABS * sizeof *out);
	struct tv_procedure_nav v = {.reference = p->reference, .title = p->title, .tabs = out};
	bool buyer = r->roles & ROLE_BUYER;
	for (int i = 0; i < nv; i++) {
		const struct tab *t = vis[i].t;
		int count = 0;
		const char *what = "";
		switch (t->count) {
		case COUNT_NONE:
			break;
		case COUNT_QUESTIONS:
			count = counts.questions;
			what = buyer ? _("questions without an answer")
				     : _("your questions waiting for their answer");
			break;
		case COUNT_APPLICATIONS:
			count = counts.applications;
			what = _("applications");
			break;
		case COUNT_BIDS:
			count = counts.bids;
			what = buyer ? _("bids received") : _("your bids");
			break;
		}
		out[v.n_tabs++] = (struct tv_procedure_nav_tabs){
			.href = vis[i].href,
			.label = _(t->label),
			.current = strcmp(active, t->key) == 0,
			.count = count,
			.count_label = what};
	}
	tmpl_procedure_nav(&w->body, &v);
}

const char *label_of(const char *const *labels, size_t n, int v)
{
	return v >= 0 && (size_t)v < n && labels[v] ? _(labels[v]) : "";
}

void refusal(struct req *r, struct resp *w, int status, enum kv_status st,
	     const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, "", "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
}

const char *procedure_municipality(struct req *r)
{
	return app_municipality_name(&r->app, r->proc.tenant_id);
}

const char *url_pct(struct req *r, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	sbuf b;
	sbuf_init(&b, r->a, 3 * strlen(s) + 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			sbuf_add(&b, (const char *)p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			sbuf_add(&b, e, 3);
		}
	}
	return sbuf_str(&b);
}
