/*
 * subsidy.c - subsidies (the way many municipalities funded wijkteams and
 * buurtwerk before they tendered them) and the history of organisation
 * forms of an assignment.
 *
 * A subsidy pays cents_per_year in every year from_year..to_year
 * (inclusive).  An incumbent that lost the tender may get a phase-out
 * arrangement (afbouwregeling): for phase_out_years years after to_year it
 * is paid phase_out_pct[i] % of the yearly amount, the percentages
 * non-increasing (the arrangement winds down, it does not grow).  Such an
 * amount is rounded to whole cents, half away from zero, with integer
 * arithmetic only: cents x pct / 100 is computed as q x pct + round(r x
 * pct / 100) with cents = q x 100 + r, so it cannot overflow.
 *
 * Example (Dordrecht, raadsinformatiebrief 2022): buurtwerk was funded by
 * a two-year subsidy from 2020 to ContourdeTwern (penvoerder) and
 * MEE/Vivenz; the subsidies end when the tendered contract starts in 2023,
 * and the organisations that lose get an afbouwregeling mainly for
 * overhead and support staff, taking into account the staff the winner
 * takes over.
 *
 * The organisation-form history records how an assignment was organised
 * over the years (Dordrecht's wijkteam: separate subsidies, one
 * penvoerder in 2017, a main contractor in 2018, two equal parties in
 * 2021); periods of one assignment may not overlap.
 *
 * Plain C, no I/O.  See steering.h.
 */
#include "steering.h"

#include <string.h>

#include "validate.h"

#define MIN_YEAR 1900
#define MAX_YEAR 2200
#define PURPOSE_MAX 200
#define DECISION_MAX 40
#define SCOPE_MAX 2000
#define ASSIGNMENT_MAX 200
#define PARTIES_MAX 1000
#define SOURCE_MAX 300
#define MAX_CENTS 1000000000000000LL

#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

struct name {
	const char *code;
	const char *label;      /* English msgid, translated on return */
};

static const struct name kind_names[] = {
	[SUBSIDY_MULTI_YEAR] = {"multi-year", N_("Multi-year subsidy")},
	[SUBSIDY_BUDGET] = {"budget", N_("Budget subsidy")},
	[SUBSIDY_ANNUAL] = {"annual", N_("Annual subsidy")},
	[SUBSIDY_INCIDENTAL] = {"incidental", N_("One-off subsidy")},
};

static const struct name form_names[] = {
	[FORM_SEPARATE_SUBSIDIES] = {"separate-subsidies",
		N_("Separate subsidies per organisation")},
	[FORM_ONE_PENVOERDER] = {"one-penvoerder",
		N_("One penvoerder (lead party)")},
	[FORM_MAIN_CONTRACTOR] = {"main-contractor",
		N_("Main contractor with subcontractors")},
	[FORM_EQUAL_PARTIES] = {"equal-parties",
		N_("Two equal parties, one of them penvoerder")},
	[FORM_CONSORTIUM_CONTRACT] = {"consortium-contract",
		N_("Consortium under one contract")},
	[FORM_SINGLE_PROVIDER] = {"single-provider", N_("Single provider")},
};

static int name_index(const struct name *names, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i].code, code) == 0)
			return i;
	return -1;
}

const char *subsidy_kind_code(enum subsidy_kind k)
{
	return (unsigned)k < (unsigned)COUNT(kind_names) ? kind_names[k].code :
	    "";
}

const char *subsidy_kind_label(enum subsidy_kind k)
{
	return (unsigned)k < (unsigned)COUNT(kind_names) ?
	    _(kind_names[k].label) : "";
}

int subsidy_kind_from_code(const char *s)
{
	return name_index(kind_names, COUNT(kind_names), s);
}

const char *org_form_code(enum org_form f)
{
	return (unsigned)f < (unsigned)COUNT(form_names) ? form_names[f].code :
	    "";
}

const char *org_form_label(enum org_form f)
{
	return (unsigned)f < (unsigned)COUNT(form_names) ?
	    _(form_names[f].label) : "";
}

int org_form_from_code(const char *s)
{
	return name_index(form_names, COUNT(form_names), s);
}

/* --- subsidies ---------------------------------------------------------------- */

static enum kv_status optional_text(const char *s, size_t max,
				    const char *field, struct kv_error *e)
{
	if (!s || !s[0])
		return KV_OK;
	return text_check(s, max, field, e);
}

enum kv_status subsidy_check(const struct subsidy *s, struct kv_error *e)
{
	enum kv_status st;
	if ((st = text_check(s->purpose, PURPOSE_MAX, "purpose", e)) != KV_OK)
		return st;
	if ((unsigned)s->kind >= (unsigned)COUNT(kind_names))
		return kv_fail(e, KV_INVALID, "kind",
			       _("Unknown kind of subsidy; it is multi-year, "
				 "budget, annual or one-off."));
	if (s->from_year < MIN_YEAR || s->from_year > MAX_YEAR)
		return kv_fail(e, KV_INVALID, "from_year",
			       _("The first year %d is not a year between "
				 "%d and %d."), s->from_year, MIN_YEAR,
			       MAX_YEAR);
	if (s->to_year < MIN_YEAR || s->to_year > MAX_YEAR)
		return kv_fail(e, KV_INVALID, "to_year",
			       _("The last year %d is not a year between %d "
				 "and %d."), s->to_year, MIN_YEAR, MAX_YEAR);
	if (s->to_year < s->from_year)
		return kv_fail(e, KV_INVALID, "to_year",
			       _("The last year (%d) comes before the first "
				 "(%d)."), s->to_year, s->from_year);
	if (s->cents_per_year < 0)
		return kv_fail(e, KV_INVALID, "cents_per_year",
			       _("The yearly amount cannot be negative."));
	if (s->cents_per_year > MAX_CENTS)
		return kv_fail(e, KV_INVALID, "cents_per_year",
			       _("The yearly amount is larger than Kavel "
				 "accepts (at most 10.000.000.000.000,00 "
				 "euro)."));
	if ((st = optional_text(s->decision, DECISION_MAX, "decision", e)) !=
	    KV_OK)
		return st;
	if ((st = optional_text(s->end_decision, DECISION_MAX,
				"end_decision", e)) != KV_OK)
		return st;
	if (!s->phase_out)
		return KV_OK;

	if (s->phase_out_years < 1 ||
	    s->phase_out_years > SUBSIDY_MAX_PHASE_YEARS)
		return kv_fail(e, KV_INVALID, "phase_out_years",
			       _("A phase-out arrangement lasts 1 to %d "
				 "years; %d given."), SUBSIDY_MAX_PHASE_YEARS,
			       s->phase_out_years);
	if (s->to_year + s->phase_out_years > MAX_YEAR)
		return kv_fail(e, KV_INVALID, "phase_out_years",
			       _("The phase-out would run past %d."),
			       MAX_YEAR);
	for (int i = 0; i < s->phase_out_years; i++) {
		int p = s->phase_out_pct[i];
		if (p < 0 || p > 100)
			return kv_fail(e, KV_INVALID, "phase_out_pct",
				       _("The phase-out percentage of %d "
					 "(year %d of the arrangement) is %d; "
					 "it is 0 to 100."),
				       s->to_year + 1 + i, i + 1, p);
		if (i > 0 && p > s->phase_out_pct[i - 1])
			return kv_fail(e, KV_INVALID, "phase_out_pct",
				       _("The phase-out percentage rises from "
					 "%d %% in %d to %d %% in %d; a "
					 "phase-out only stays level or "
					 "decreases."),
				       s->phase_out_pct[i - 1], s->to_year + i,
				       p, s->to_year + 1 + i);
	}
	if ((st = steering_note_check(s->phase_out_scope, SCOPE_MAX, false,
				      "phase_out_scope", e)) != KV_OK)
		return st;
	return steering_note_check(s->staff_taken_over, SCOPE_MAX, false,
				   "staff_taken_over", e);
}

/* cents x pct / 100, rounded half away from zero; cents >= 0, pct 0..100
 * (clamped). */
static int64_t pct_of(int64_t cents, int pct)
{
	if (cents <= 0)
		return 0;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	int64_t q = cents / 100, r = cents % 100;
	return q * pct + (r * pct + 50) / 100;
}

static int phase_index(const struct subsidy *s, int year)
{
	if (!s->phase_out || year <= s->to_year)
		return -1;
	int years = s->phase_out_years;
	if (years > SUBSIDY_MAX_PHASE_YEARS)
		years = SUBSIDY_MAX_PHASE_YEARS;
	int i = year - s->to_year - 1;
	return i < years ? i : -1;
}

int64_t subsidy_amount_in(const struct subsidy *s, int year)
{
	if (year >= s->from_year && year <= s->to_year)
		return s->cents_per_year > 0 ? s->cents_per_year : 0;
	int i = phase_index(s, year);
	return i < 0 ? 0 : pct_of(s->cents_per_year, s->phase_out_pct[i]);
}

/* Outside from_year..to_year and the phase-out, before as well as after,
 * a subsidy pays nothing: SUBSIDY_ENDED (the enum has no "not yet"). */
enum subsidy_state subsidy_state_in(const struct subsidy *s, int year)
{
	if (year >= s->from_year && year <= s->to_year)
		return SUBSIDY_ACTIVE;
	if (phase_index(s, year) >= 0)
		return SUBSIDY_PHASING_OUT;
	return SUBSIDY_ENDED;
}

enum kv_status subsidy_extend(struct subsidy *s, int to_year,
			      const char *decision, struct kv_error *e)
{
	enum kv_status st;
	if (s->kind == SUBSIDY_INCIDENTAL)
		return kv_fail(e, KV_DENIED, "to_year",
			       _("A one-off subsidy is not extended; grant a "
				 "new subsidy instead."));
	if (to_year <= s->to_year)
		return kv_fail(e, KV_INVALID, "to_year",
			       _("An extension runs to a later year than %d; "
				 "%d given."), s->to_year, to_year);
	int tail = s->phase_out ? s->phase_out_years : 0;
	if (to_year > MAX_YEAR || to_year + tail > MAX_YEAR)
		return kv_fail(e, KV_INVALID, "to_year",
			       _("The subsidy cannot run past %d."), MAX_YEAR);
	if (!decision || !decision[0])
		return kv_fail(e, KV_INVALID, "end_decision",
			       _("An extension needs the number of the "
				 "decision that grants it."));
	if ((st = text_check(decision, DECISION_MAX, "end_decision", e)) !=
	    KV_OK)
		return st;
	s->to_year = to_year;
	s->end_decision = (char *)decision;
	return KV_OK;
}

/*
 * Ends a subsidy early: its last year becomes last_year (from_year ..
 * to_year - 1), with the decision that ends it, and optionally with a
 * phase-out arrangement (afbouwregeling) for the years after, as an
 * incumbent that lost a tender gets.  The result is checked as a whole;
 * on refusal s is unchanged.
 */
enum kv_status subsidy_terminate(struct subsidy *s, int last_year,
				 const char *decision,
				 const struct subsidy *phase_out,
				 struct kv_error *e)
{
	if (last_year < s->from_year || last_year >= s->to_year)
		return kv_fail(e, KV_INVALID, "last_year",
			       _("An early end falls in %d..%d; %d given."),
			       s->from_year, s->to_year - 1, last_year);
	if (!decision || !decision[0])
		return kv_fail(e, KV_INVALID, "end_decision",
			       _("Ending a subsidy needs the number of the "
				 "decision that ends it."));
	enum kv_status st = text_check(decision, DECISION_MAX, "end_decision", e);
	if (st != KV_OK)
		return st;
	struct subsidy t = *s;
	t.to_year = last_year;
	t.end_decision = (char *)decision;
	if (phase_out && phase_out->phase_out) {
		t.phase_out = true;
		t.phase_out_years = phase_out->phase_out_years;
		memcpy(t.phase_out_pct, phase_out->phase_out_pct, sizeof t.phase_out_pct);
		t.phase_out_scope = phase_out->phase_out_scope;
		t.staff_taken_over = phase_out->staff_taken_over;
	}
	if ((st = subsidy_check(&t, e)) != KV_OK)
		return st;
	*s = t;
	return KV_OK;
}

/* --- organisation forms --------------------------------------------------------- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Same assignment: equal, ignoring ASCII case and surrounding spaces. */
static bool same_assignment(const char *x, const char *y)
{
	if (!x || !y)
		return false;
	while (*x == ' ')
		x++;
	while (*y == ' ')
		y++;
	size_t nx = strlen(x), ny = strlen(y);
	while (nx && x[nx - 1] == ' ')
		nx--;
	while (ny && y[ny - 1] == ' ')
		ny--;
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++)
		if (lower((unsigned char)x[i]) != lower((unsigned char)y[i]))
			return false;
	return true;
}

enum kv_status form_period_check(const struct form_period *p,
				 const struct form_period *others, int n,
				 struct kv_error *e)
{
	enum kv_status st;
	if ((st = text_check(p->assignment, ASSIGNMENT_MAX, "assignment", e)) !=
	    KV_OK)
		return st;
	if (p->from_year < MIN_YEAR || p->from_year > MAX_YEAR)
		return kv_fail(e, KV_INVALID, "from_year",
			       _("The first year %d is not a year between "
				 "%d and %d."), p->from_year, MIN_YEAR,
			       MAX_YEAR);
	if (p->to_year != 0 && (p->to_year < p->from_year ||
				p->to_year > MAX_YEAR))
		return kv_fail(e, KV_INVALID, "to_year",
			       _("The last year (%d) comes before the first "
				 "(%d) or after %d; leave it empty while the "
				 "form still holds."), p->to_year,
			       p->from_year, MAX_YEAR);
	if ((unsigned)p->form >= (unsigned)COUNT(form_names))
		return kv_fail(e, KV_INVALID, "form",
			       _("Unknown organisation form."));
	if ((st = steering_note_check(p->parties, PARTIES_MAX, false,
				      "parties", e)) != KV_OK)
		return st;
	if ((st = optional_text(p->source, SOURCE_MAX, "source", e)) != KV_OK)
		return st;

	int p_to = p->to_year ? p->to_year : MAX_YEAR + 1;
	for (int i = 0; i < n; i++) {
		const struct form_period *o = &others[i];
		if (o == p || (p->id != 0 && o->id == p->id))
			continue;
		if (!same_assignment(o->assignment, p->assignment))
			continue;
		int o_to = o->to_year ? o->to_year : MAX_YEAR + 1;
		if (p->from_year > o_to || o->from_year > p_to)
			continue;
		if (o->to_year)
			return kv_fail(e, KV_CONFLICT, "from_year",
				       _("This period overlaps the period "
					 "%d-%d (%s) of the same "
					 "assignment; periods follow each "
					 "other without overlap."),
				       o->from_year, o->to_year,
				       org_form_label(o->form));
		return kv_fail(e, KV_CONFLICT, "from_year",
			       _("This period overlaps the period from %d "
				 "on (%s) of the same assignment, which has "
				 "no end yet; give that period its last year "
				 "first."), o->from_year,
			       org_form_label(o->form));
	}
	return KV_OK;
}
