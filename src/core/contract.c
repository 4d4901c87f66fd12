/*
 * contract.c - the contract after the award: its names and checks, its
 * term with the extensions used, its status on a day, its evaluation
 * moments, early termination and extension; the codes of evaluation
 * outcomes and risk levels and the check of a risk; and the check of a
 * longer text (steering_note_check) the other steering files share.
 *
 * Plain C, no I/O.  Dates are civil dates (cal_date); a contract's `end`
 * is the first day after it, so a contract from 2022-07-01 to 2030-01-01
 * runs 7.5 years and is active on 2029-12-31 but not on 2030-01-01.
 * Every refusal names the field and says why in a sentence (English
 * msgid, translated through _()).  Nothing here allocates.  See
 * steering.h for the contract.
 */
#include "steering.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

#define REFERENCE_MAX 40
#define TITLE_MAX 200
#define DECISION_NUMBER_MAX 40
#define REASON_MAX 4000
#define RISK_TEXT_MAX 4000
#define RISK_STATUS_MAX 300
#define MAX_EXTENSION_OPTIONS 10
#define MAX_EXTENSION_MONTHS 120
#define MAX_CENTS 1000000000000000LL /* EUR 10^13, as eur_parse */
#define BP_WHOLE 10000

#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

/* --- names ------------------------------------------------------------- */

struct name {
	const char *code;
	const char *label;      /* English msgid, translated on return */
};

static const struct name status_names[] = {
	[CONTRACT_PLANNED] = {"planned", N_("Not yet started")},
	[CONTRACT_ACTIVE] = {"active", N_("Active")},
	[CONTRACT_ENDED] = {"ended", N_("Ended")},
	[CONTRACT_TERMINATED] = {"terminated", N_("Terminated early")},
};

static const char *const outcome_codes[] = {
	[EVAL_PENDING] = "pending",
	[EVAL_POSITIVE] = "positive",
	[EVAL_NEGATIVE] = "negative",
};

static const char *const risk_codes[] = {
	[RISK_LOW] = "low",
	[RISK_MEDIUM] = "medium",
	[RISK_HIGH] = "high",
};

static int code_index(const char *const *codes, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (codes[i] && strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

const char *contract_status_code(enum contract_status s)
{
	return (unsigned)s < (unsigned)COUNT(status_names) ?
	    status_names[s].code : "";
}

const char *contract_status_label(enum contract_status s)
{
	return (unsigned)s < (unsigned)COUNT(status_names) ?
	    _(status_names[s].label) : "";
}

const char *evaluation_outcome_code(enum evaluation_outcome o)
{
	return (unsigned)o < (unsigned)COUNT(outcome_codes) ?
	    outcome_codes[o] : "";
}

int evaluation_outcome_from_code(const char *s)
{
	return code_index(outcome_codes, COUNT(outcome_codes), s);
}

const char *risk_level_code(enum risk_level l)
{
	return (unsigned)l < (unsigned)COUNT(risk_codes) ? risk_codes[l] : "";
}

int risk_level_from_code(const char *s)
{
	return code_index(risk_codes, COUNT(risk_codes), s);
}

/* --- longer texts ------------------------------------------------------- */


enum kv_status steering_note_check(const char *s, size_t max, bool required,
				   const char *field, struct kv_error *e)
{
	return text_check_lines(s, max, required, field, e);
}

/* --- dates --------------------------------------------------------------- */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[13] = {0,  31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m];
}

/* d plus n months; a day the target month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February).  Clamped to year 9999. */
static cal_date add_months(cal_date d, int64_t n)
{
	int64_t m = (int64_t)d.year * 12 + (d.month - 1) + n;
	if (m > 9999LL * 12 + 11)
		return (cal_date){9999, 12, 31};
	if (m < 12)
		return (cal_date){1, 1, 1};
	cal_date r = {(int)(m / 12), (int)(m % 12) + 1, d.day};
	if (r.day > days_in_month(r.year, r.month))
		r.day = days_in_month(r.year, r.month);
	return r;
}

cal_date contract_effective_end(const struct contract *c)
{
	int64_t months = 0;
	if (c->extensions_used > 0 && c->extension_months > 0)
		months = (int64_t)c->extensions_used * c->extension_months;
	if (months == 0 || !cal_date_valid(c->end))
		return c->end;
	return add_months(c->end, months);
}

enum contract_status contract_status_on(const struct contract *c,
					cal_date today)
{
	if (c->terminated && cal_date_cmp(today, c->terminated_on) >= 0)
		return CONTRACT_TERMINATED;
	if (cal_date_cmp(today, c->start) < 0)
		return CONTRACT_PLANNED;
	if (cal_date_cmp(today, contract_effective_end(c)) < 0)
		return CONTRACT_ACTIVE;
	return CONTRACT_ENDED;
}

int contract_evaluation_dates(const struct contract *c,
			      cal_date out[CONTRACT_MAX_EVALUATIONS])
{
	int n = c->n_evaluations;
	if (n < 0)
		n = 0;
	if (n > CONTRACT_MAX_EVALUATIONS)
		n = CONTRACT_MAX_EVALUATIONS;
	for (int i = 0; i < n; i++)
		out[i] = add_months(c->start, (int64_t)c->evaluation_years[i] *
						   12);
	return n;
}

/* --- checks ---------------------------------------------------------------- */

static bool reference_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/' ||
	    c == '-';
}

/* A decision number as municipalities write them ("2021/34505",
 * "Z-22-012345"): letters, digits, / . - _, at least one digit, starting
 * with a letter or digit; as procedure.c's decision_check. */
static enum kv_status decision_number_check(const char *s, const char *field,
					    struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	if (!s || !*s)
		return kv_fail(e, KV_INVALID, field,
			       _("The decision number is required, e.g. "
				 "\"2021/34505\"."));
	size_t len = strlen(s);
	bool digit = false, ok = len <= DECISION_NUMBER_MAX &&
	    ((s[0] >= '0' && s[0] <= '9') || (s[0] >= 'A' && s[0] <= 'Z') ||
	     (s[0] >= 'a' && s[0] <= 'z'));
	for (size_t i = 0; ok && i < len; i++) {
		if (!reference_char(s[i]))
			ok = false;
		if (s[i] >= '0' && s[i] <= '9')
			digit = true;
	}
	if (!ok || !digit)
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" is not a decision number: use "
				 "digits, letters and / . - _ (at most %d), "
				 "e.g. \"2021/34505\"."), kv_quote(s, q),
			       DECISION_NUMBER_MAX);
	return KV_OK;
}

static enum kv_status reference_check(const char *s, struct kv_error *e)
{
	if (!s || !s[0])
		return kv_fail(e, KV_INVALID, "reference",
			       _("A reference is required, e.g. "
				 "\"HLM-GIDW-2022\"."));
	size_t len = strlen(s);
	if (len > REFERENCE_MAX)
		return kv_fail(e, KV_INVALID, "reference",
			       _("The reference is %zu characters long; at "
				 "most %d are allowed."), len, REFERENCE_MAX);
	for (size_t i = 0; i < len; i++)
		if (!reference_char(s[i]))
			return kv_fail(e, KV_INVALID, "reference",
				       _("The reference may contain only "
					 "letters, digits and . _ / -; "
					 "character %zu is not one of them."),
				       i + 1);
	return KV_OK;
}

/*
 * A contract's parties follow the rule for candidates (candidate_check):
 * one organisation as penvoerder with perhaps subcontractors, or a
 * consortium (the parties include a member) with exactly one penvoerder.
 */
enum kv_status contract_check(const struct contract *c, struct kv_error *e)
{
	enum kv_status st;
	char d1[11], d2[11];

	if ((st = reference_check(c->reference, e)) != KV_OK)
		return st;
	if ((st = text_check(c->title, TITLE_MAX, "title", e)) != KV_OK)
		return st;

	if (c->n_parties < 1 || !c->parties)
		return kv_fail(e, KV_INVALID, "parties",
			       _("A contract needs at least one party: the "
				 "contractor, or the penvoerder of the "
				 "consortium."));
	bool consortium = false;
	for (int i = 0; i < c->n_parties; i++)
		if (c->parties[i].role == PARTY_MEMBER)
			consortium = true;
	struct candidate view = {
		.name = c->title,
		.consortium = consortium,
		.parties = c->parties,
		.n_parties = c->n_parties,
	};
	if ((st = candidate_check(&view, e)) != KV_OK)
		return st;

	if (!cal_date_valid(c->start))
		return kv_fail(e, KV_INVALID, "start",
			       _("The start of the contract is not a valid "
				 "date."));
	if (!cal_date_valid(c->end))
		return kv_fail(e, KV_INVALID, "end",
			       _("The end of the contract is not a valid "
				 "date."));
	if (cal_date_cmp(c->end, c->start) <= 0)
		return kv_fail(e, KV_INVALID, "end",
			       _("The end (%s, the first day after the "
				 "contract) must come after the start (%s)."),
			       cal_format_date(c->end, d1),
			       cal_format_date(c->start, d2));

	if (c->extension_options < 0 ||
	    c->extension_options > MAX_EXTENSION_OPTIONS)
		return kv_fail(e, KV_INVALID, "extension_options",
			       _("The number of extension options is 0 to "
				 "%d; %d given."), MAX_EXTENSION_OPTIONS,
			       c->extension_options);
	if (c->extension_months < 0 ||
	    c->extension_months > MAX_EXTENSION_MONTHS)
		return kv_fail(e, KV_INVALID, "extension_months",
			       _("An extension lasts 0 to %d months; %d "
				 "given."), MAX_EXTENSION_MONTHS,
			       c->extension_months);
	if (c->extension_options > 0 && c->extension_months == 0)
		return kv_fail(e, KV_INVALID, "extension_months",
			       _("The contract has %d extension options; "
				 "say how many months each one lasts."),
			       c->extension_options);
	if (c->extensions_used < 0 ||
	    c->extensions_used > c->extension_options)
		return kv_fail(e, KV_INVALID, "extensions_used",
			       _("%d extensions used, but the contract has "
				 "%d extension options."), c->extensions_used,
			       c->extension_options);

	cal_date eff = contract_effective_end(c);
	if (c->n_evaluations < 0 ||
	    c->n_evaluations > CONTRACT_MAX_EVALUATIONS)
		return kv_fail(e, KV_INVALID, "evaluation_years",
			       _("A contract has 0 to %d evaluation moments; "
				 "%d given."), CONTRACT_MAX_EVALUATIONS,
			       c->n_evaluations);
	for (int i = 0; i < c->n_evaluations; i++) {
		int y = c->evaluation_years[i];
		if (y < 1)
			return kv_fail(e, KV_INVALID, "evaluation_years",
				       _("Evaluation %d is after %d years; it "
					 "has to be after 1 year or more."),
				       i + 1, y);
		if (i > 0 && y <= c->evaluation_years[i - 1])
			return kv_fail(e, KV_INVALID, "evaluation_years",
				       _("The evaluation years must be in "
					 "ascending order: after %d years "
					 "comes after %d years."),
				       y, c->evaluation_years[i - 1]);
		cal_date due = add_months(c->start, (int64_t)y * 12);
		if (cal_date_cmp(due, eff) >= 0)
			return kv_fail(e, KV_INVALID, "evaluation_years",
				       _("The evaluation after %d years "
					 "(%s) falls outside the contract, "
					 "which ends before %s."), y,
				       cal_format_date(due, d1),
				       cal_format_date(eff, d2));
	}

	if (c->wage_weight_bp < 0 || c->wage_weight_bp > BP_WHOLE)
		return kv_fail(e, KV_INVALID, "wage_weight_bp",
			       _("The wage share of the index is 0 to 10000 "
				 "basis points (0 to 100 %%); %d given."),
			       c->wage_weight_bp);
	if (c->price_weight_bp < 0 || c->price_weight_bp > BP_WHOLE)
		return kv_fail(e, KV_INVALID, "price_weight_bp",
			       _("The price share of the index is 0 to 10000 "
				 "basis points (0 to 100 %%); %d given."),
			       c->price_weight_bp);
	if (c->wage_weight_bp + c->price_weight_bp != BP_WHOLE)
		return kv_fail(e, KV_INVALID, "price_weight_bp",
			       _("The wage share (%d) and the price share "
				 "(%d) of the index add up to %d basis "
				 "points; together they are 10000 (100 %%)."),
			       c->wage_weight_bp, c->price_weight_bp,
			       c->wage_weight_bp + c->price_weight_bp);

	if (c->budget_cents < 0)
		return kv_fail(e, KV_INVALID, "budget",
			       _("The budget cannot be negative."));
	if (c->budget_cents > MAX_CENTS)
		return kv_fail(e, KV_INVALID, "budget",
			       _("The budget is larger than Kavel can "
				 "handle (at most 10.000.000.000.000,00 "
				 "euro)."));
	cal_date last = cal_add_days(eff, -1);
	if (c->base_year < c->start.year || c->base_year > last.year)
		return kv_fail(e, KV_INVALID, "base_year",
			       _("The base year of the budget (%d) lies "
				 "outside the contract's term (%d to %d)."),
			       c->base_year, c->start.year, last.year);

	if (c->terminated) {
		if (!cal_date_valid(c->terminated_on) ||
		    cal_date_cmp(c->terminated_on, c->start) < 0 ||
		    cal_date_cmp(c->terminated_on, eff) >= 0)
			return kv_fail(e, KV_INVALID, "terminated_on",
				       _("The termination date lies outside "
					 "the contract's term."));
		if ((st = steering_note_check(c->termination_reason,
					      REASON_MAX, true,
					      "termination_reason", e)) != KV_OK)
			return st;
		if ((st = decision_number_check(c->termination_decision,
						"termination_decision", e)) !=
		    KV_OK)
			return st;
	}
	return KV_OK;
}

/* --- changes ------------------------------------------------------------------ */

enum kv_status contract_terminate(struct contract *c, cal_date on,
				  const char *reason, const char *decision,
				  struct kv_error *e)
{
	enum kv_status st;
	char d1[11], d2[11];
	if (c->terminated)
		return kv_fail(e, KV_DENIED, "terminated_on",
			       _("The contract was already terminated on "
				 "%s."), cal_format_date(c->terminated_on, d1));
	if (!cal_date_valid(on))
		return kv_fail(e, KV_INVALID, "terminated_on",
			       _("The termination date is not a valid "
				 "date."));
	if (cal_date_cmp(on, c->start) < 0)
		return kv_fail(e, KV_DENIED, "terminated_on",
			       _("The contract starts on %s; it cannot be "
				 "terminated before it has started (%s). "
				 "Withdraw the award instead."),
			       cal_format_date(c->start, d1),
			       cal_format_date(on, d2));
	cal_date eff = contract_effective_end(c);
	if (cal_date_cmp(on, eff) >= 0)
		return kv_fail(e, KV_DENIED, "terminated_on",
			       _("The contract has already ended on %s (the "
				 "first day after it); %s is too late to "
				 "terminate it."),
			       cal_format_date(eff, d1),
			       cal_format_date(on, d2));
	if ((st = steering_note_check(reason, REASON_MAX, true,
				      "termination_reason", e)) != KV_OK)
		return st;
	if ((st = decision_number_check(decision, "termination_decision",
					e)) != KV_OK)
		return st;
	c->terminated = true;
	c->terminated_on = on;
	c->termination_reason = (char *)reason;
	c->termination_decision = (char *)decision;
	return KV_OK;
}

enum kv_status contract_extend(struct contract *c, struct kv_error *e)
{
	char d[11];
	if (c->terminated)
		return kv_fail(e, KV_DENIED, "extensions_used",
			       _("The contract was terminated on %s; it "
				 "cannot be extended."),
			       cal_format_date(c->terminated_on, d));
	if (c->extensions_used < 0 || c->extension_options < 0 ||
	    c->extensions_used >= c->extension_options)
		return kv_fail(e, KV_DENIED, "extensions_used",
			       _("No extension option is left: the contract "
				 "has %d and %d are used."),
			       c->extension_options, c->extensions_used);
	c->extensions_used++;
	return KV_OK;
}

/* --- risks ---------------------------------------------------------------------- */

enum kv_status risk_check(const struct risk *r, struct kv_error *e)
{
	enum kv_status st;
	if ((st = text_check(r->title, TITLE_MAX, "title", e)) != KV_OK)
		return st;
	if ((st = steering_note_check(r->description, RISK_TEXT_MAX, false,
				      "description", e)) != KV_OK)
		return st;
	if ((st = steering_note_check(r->mitigation, RISK_TEXT_MAX, false,
				      "mitigation", e)) != KV_OK)
		return st;
	if (steering_note_check(r->mitigation, RISK_TEXT_MAX, true,
				"mitigation", NULL) != KV_OK)
		return kv_fail(e, KV_INVALID, "mitigation",
			       _("Say how the risk is mitigated: a risk "
				 "without a mitigation is not registered."));
	if ((unsigned)r->level >= (unsigned)COUNT(risk_codes))
		return kv_fail(e, KV_INVALID, "level",
			       _("The risk level is low, medium or high."));
	if (r->status && r->status[0] &&
	    (st = text_check(r->status, RISK_STATUS_MAX, "status", e)) !=
		KV_OK)
		return st;
	return KV_OK;
}
