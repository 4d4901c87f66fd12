/*
 * test_steering.c - unit tests of the steering core: contracts (checks,
 * term, status, evaluations, termination, extension), risks, indexation
 * with a worked Haarlem-like example computed by hand below, the budget
 * frame of Haarlem decision 2021/34505 imported from CSV with every kind
 * of bad input, commitments against the frame, subsidies with a
 * phase-out (Dordrecht's buurtwerk), the organisation-form history of
 * Dordrecht's wijkteam, KPIs, periods, values, the measurements import
 * and the SVG trend chart.
 *
 * Every expectation is computed by hand (in the comments), never by the
 * function under test.  Messages are English: the test runs in the C
 * locale, so _() returns the msgid.
 */
#include <stdlib.h>
#include <string.h>

#include "core/steering.h"
#include "core/validate.h"
#include "tap.h"

static arena *A;
static struct kv_error E;

#define EUR(x) ((int64_t)(x) * 100)
#define D(y, m, d) ((cal_date){(y), (m), (d)})

static bool has(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

/* --- contracts ------------------------------------------------------------- */

static struct party haarlem_parties[] = {
	{1, "Stichting Wijkzorg Haarlem", "41150042", PARTY_PENVOERDER},
	{2, "Stichting Welzijn Zuid", "27327374", PARTY_MEMBER},
	{3, "Buurtcoaches BV", "24424546", PARTY_SUBCONTRACTOR},
};

/* Haarlem "Gewoon in de Wijk" (decision 2021/34505): 1-7-2022 to
 * 1-1-2030, evaluations after year 3 and year 6. */
static struct contract haarlem(void)
{
	struct contract c;
	memset(&c, 0, sizeof c);
	c.id = 1;
	c.tenant_id = 2;
	c.reference = "HLM-GIDW-2022";
	c.title = "Gewoon in de Wijk";
	c.parties = haarlem_parties;
	c.n_parties = 3;
	c.start = D(2022, 7, 1);
	c.end = D(2030, 1, 1);
	c.extension_options = 2;
	c.extension_months = 24;
	c.evaluation_years[0] = 3;
	c.evaluation_years[1] = 6;
	c.n_evaluations = 2;
	c.budget_cents = EUR(20000000);
	c.base_year = 2022;
	c.wage_weight_bp = 7500;
	c.price_weight_bp = 2500;
	return c;
}

static void test_contract_names(void)
{
	static const char *const st[] = {"planned", "active", "ended",
					 "terminated"};
	for (int i = 0; i < 4; i++) {
		CHECK_STR(contract_status_code(i), st[i], "status code %d", i);
		CHECK(contract_status_label(i)[0] != 0, "status label %d", i);
	}
	CHECK_STR(contract_status_code(9), "", "unknown status code");
	static const char *const oc[] = {"pending", "positive", "negative"};
	for (int i = 0; i < 3; i++) {
		CHECK_STR(evaluation_outcome_code(i), oc[i], "outcome %d", i);
		CHECK(evaluation_outcome_from_code(oc[i]) == i,
		      "outcome %s round-trips", oc[i]);
	}
	CHECK(evaluation_outcome_from_code("neutral") == -1,
	      "unknown outcome");
	CHECK(evaluation_outcome_from_code(NULL) == -1, "NULL outcome");
	static const char *const rl[] = {"low", "medium", "high"};
	for (int i = 0; i < 3; i++) {
		CHECK_STR(risk_level_code(i), rl[i], "risk level %d", i);
		CHECK(risk_level_from_code(rl[i]) == i,
		      "risk level %s round-trips", rl[i]);
	}
	CHECK(risk_level_from_code("HIGH") == -1, "codes are lower case");
}

static struct party two_penvoerders[] = {
	{1, "A", "41150042", PARTY_PENVOERDER},
	{2, "B", "27327374", PARTY_PENVOERDER},
};
static struct party bad_kvk[] = {{1, "A", "4115004", PARTY_PENVOERDER}};
static struct party same_org[] = {
	{1, "A", "41150042", PARTY_PENVOERDER},
	{2, "A again", "41150042", PARTY_MEMBER},
};

static void test_contract_check(void)
{
	struct contract c = haarlem();
	CHECK(contract_check(&c, &E) == KV_OK, "Haarlem contract is valid: %s",
	      E.msg);

	struct contract one = haarlem();
	one.parties = haarlem_parties;
	one.n_parties = 1;
	CHECK(contract_check(&one, &E) == KV_OK,
	      "one organisation alone is valid: %s", E.msg);

	/* Table: one change each, the field that must be named. */
	struct bad {
		const char *what;
		struct contract c;
		const char *field;
	} bad[24];
	int n = 0;
#define BAD(what_, field_, stmt)                                             \
	do {                                                                 \
		bad[n].what = what_;                                         \
		bad[n].c = haarlem();                                        \
		{                                                            \
			struct contract *c_ = &bad[n].c;                     \
			stmt;                                                \
		}                                                            \
		bad[n].field = field_;                                       \
		n++;                                                         \
	} while (0)
	BAD("no reference", "reference", c_->reference = "");
	BAD("reference with a space", "reference", c_->reference = "HLM 2022");
	BAD("no title", "title", c_->title = "  ");
	BAD("no parties", "parties", c_->n_parties = 0);
	BAD("two penvoerders", "parties",
	    (c_->parties = two_penvoerders, c_->n_parties = 2));
	BAD("KvK of 7 digits", "kvk", (c_->parties = bad_kvk, c_->n_parties = 1));
	BAD("one organisation twice", "parties",
	    (c_->parties = same_org, c_->n_parties = 2));
	BAD("start 31 June", "start", c_->start = D(2022, 6, 31));
	BAD("end on the start", "end", c_->end = D(2022, 7, 1));
	BAD("end before the start", "end", c_->end = D(2021, 1, 1));
	BAD("evaluations descending", "evaluation_years",
	    (c_->evaluation_years[0] = 6, c_->evaluation_years[1] = 3));
	BAD("evaluation after 0 years", "evaluation_years",
	    c_->evaluation_years[0] = 0);
	BAD("evaluation after 8 years: 2030-07-01 is past the end",
	    "evaluation_years", c_->evaluation_years[1] = 8);
	BAD("7 evaluations", "evaluation_years", c_->n_evaluations = 7);
	BAD("weights 7500 + 2000", "price_weight_bp",
	    c_->price_weight_bp = 2000);
	BAD("wage weight -1", "wage_weight_bp",
	    (c_->wage_weight_bp = -1, c_->price_weight_bp = 10001));
	BAD("negative budget", "budget", c_->budget_cents = -1);
	BAD("base year before the start", "base_year", c_->base_year = 2021);
	BAD("base year 2030: the last day is 2029-12-31", "base_year",
	    c_->base_year = 2030);
	BAD("3 extensions used of 2", "extensions_used",
	    c_->extensions_used = 3);
	BAD("options without months", "extension_months",
	    c_->extension_months = 0);
	BAD("negative options", "extension_options",
	    c_->extension_options = -1);
	BAD("terminated without reason", "termination_reason",
	    (c_->terminated = true, c_->terminated_on = D(2026, 1, 1),
	     c_->termination_decision = "2025/1"));
	BAD("terminated after the end", "terminated_on",
	    (c_->terminated = true, c_->terminated_on = D(2030, 1, 1),
	     c_->termination_reason = "x", c_->termination_decision = "2025/1"));
#undef BAD
	for (int i = 0; i < n; i++) {
		kv_error_clear(&E);
		enum kv_status st = contract_check(&bad[i].c, &E);
		CHECK(st == KV_INVALID, "%s: refused", bad[i].what);
		CHECK_STR(E.field, bad[i].field, "%s: names the field",
			  bad[i].what);
		CHECK(E.msg[0] != 0, "%s: says why (%s)", bad[i].what, E.msg);
	}

	/* With one extension used (24 months) the term runs to 2032-01-01,
	 * so an evaluation after 8 years (2030-07-01) fits. */
	struct contract ext = haarlem();
	ext.extensions_used = 1;
	ext.evaluation_years[1] = 8;
	CHECK(contract_check(&ext, &E) == KV_OK,
	      "evaluation after 8 years fits the extended term: %s", E.msg);
	ext.evaluation_years[1] = 10; /* 2032-07-01 */
	CHECK(contract_check(&ext, &E) == KV_INVALID &&
	      strcmp(E.field, "evaluation_years") == 0,
	      "evaluation after 10 years does not");
}

static void test_contract_term(void)
{
	char buf[11];
	struct contract c = haarlem();
	CHECK_STR(cal_format_date(contract_effective_end(&c), buf),
		  "2030-01-01", "effective end without extensions");
	c.extensions_used = 1;
	CHECK_STR(cal_format_date(contract_effective_end(&c), buf),
		  "2032-01-01", "one extension of 24 months");
	c.extensions_used = 2;
	CHECK_STR(cal_format_date(contract_effective_end(&c), buf),
		  "2034-01-01", "two extensions");
	struct contract m = haarlem();
	m.end = D(2030, 1, 31);
	m.extension_months = 1;
	m.extensions_used = 1;
	CHECK_STR(cal_format_date(contract_effective_end(&m), buf),
		  "2030-02-28", "31 January + 1 month is 28 February");
	m.end = D(2031, 12, 31);
	m.extension_months = 2;
	CHECK_STR(cal_format_date(contract_effective_end(&m), buf),
		  "2032-02-29", "31 December + 2 months in a leap year");

	c = haarlem();
	struct {
		cal_date d;
		enum contract_status want;
	} days[] = {
		{D(2022, 6, 30), CONTRACT_PLANNED},
		{D(2022, 7, 1), CONTRACT_ACTIVE},
		{D(2029, 12, 31), CONTRACT_ACTIVE},
		{D(2030, 1, 1), CONTRACT_ENDED},
		{D(2040, 1, 1), CONTRACT_ENDED},
	};
	for (size_t i = 0; i < sizeof days / sizeof *days; i++)
		CHECK(contract_status_on(&c, days[i].d) == days[i].want,
		      "status on %s is %s", cal_format_date(days[i].d, buf),
		      contract_status_code(days[i].want));
	c.extensions_used = 1;
	CHECK(contract_status_on(&c, D(2030, 1, 1)) == CONTRACT_ACTIVE,
	      "extended: active on 2030-01-01");
	CHECK(contract_status_on(&c, D(2032, 1, 1)) == CONTRACT_ENDED,
	      "extended: ended on 2032-01-01");

	cal_date ev[CONTRACT_MAX_EVALUATIONS];
	c = haarlem();
	CHECK(contract_evaluation_dates(&c, ev) == 2, "two evaluations");
	CHECK_STR(cal_format_date(ev[0], buf), "2025-07-01",
		  "after year 3: 2025-07-01");
	CHECK_STR(cal_format_date(ev[1], buf), "2028-07-01",
		  "after year 6: 2028-07-01");
	c.start = D(2024, 2, 29);
	c.evaluation_years[0] = 1;
	c.n_evaluations = 1;
	contract_evaluation_dates(&c, ev);
	CHECK_STR(cal_format_date(ev[0], buf), "2025-02-28",
		  "29 February + 1 year is 28 February");
}

static void test_contract_changes(void)
{
	struct contract c = haarlem();
	CHECK(contract_terminate(&c, D(2022, 6, 30), "Negatieve evaluatie",
				  "2025/112233", &E) == KV_DENIED,
	      "no termination before the start");
	CHECK_STR(E.field, "terminated_on", "names terminated_on");
	CHECK(contract_terminate(&c, D(2030, 1, 1), "Negatieve evaluatie",
				  "2025/112233", &E) == KV_DENIED,
	      "no termination after the end");
	CHECK(has(E.msg, "2030-01-01"), "says when it ended: %s", E.msg);
	CHECK(contract_terminate(&c, D(2026, 1, 1), " ", "2025/112233", &E) ==
		  KV_INVALID &&
	      strcmp(E.field, "termination_reason") == 0,
	      "a reason is required");
	CHECK(contract_terminate(&c, D(2026, 1, 1), "Negatieve evaluatie",
				  NULL, &E) == KV_INVALID &&
	      strcmp(E.field, "termination_decision") == 0,
	      "a decision number is required");
	CHECK(contract_terminate(&c, D(2026, 1, 1), "Negatieve evaluatie",
				  "<b>", &E) == KV_INVALID &&
	      strcmp(E.field, "termination_decision") == 0,
	      "a decision number has its form");
	CHECK(!c.terminated, "refusals changed nothing");
	CHECK(contract_terminate(&c, D(2026, 1, 1),
				  "Negatieve evaluatie na jaar 3\n(art. 12)",
				  "2025/112233", &E) == KV_OK,
	      "terminated on 2026-01-01: %s", E.msg);
	CHECK(c.terminated && cal_date_cmp(c.terminated_on, D(2026, 1, 1)) == 0,
	      "fields set");
	CHECK(contract_status_on(&c, D(2025, 12, 31)) == CONTRACT_ACTIVE,
	      "active the day before");
	CHECK(contract_status_on(&c, D(2026, 1, 1)) == CONTRACT_TERMINATED,
	      "terminated from that day");
	CHECK(contract_status_on(&c, D(2031, 1, 1)) == CONTRACT_TERMINATED,
	      "and stays so");
	CHECK(contract_check(&c, &E) == KV_OK, "terminated contract valid: %s",
	      E.msg);
	CHECK(contract_terminate(&c, D(2027, 1, 1), "nogmaals", "2026/1",
				  &E) == KV_DENIED,
	      "not terminated twice");
	CHECK(contract_extend(&c, &E) == KV_DENIED,
	      "no extension after termination");

	struct contract x = haarlem();
	CHECK(contract_extend(&x, &E) == KV_OK, "first extension");
	CHECK(contract_extend(&x, &E) == KV_OK, "second extension");
	CHECK(contract_extend(&x, &E) == KV_DENIED, "no third: %s", E.msg);
	CHECK(x.extensions_used == 2, "two used");
	x.extension_options = 0;
	x.extensions_used = 0;
	CHECK(contract_extend(&x, &E) == KV_DENIED, "none without options");
}

static void test_risks(void)
{
	/* Dordrecht, raadsinformatiebrief 2022, risk 1. */
	struct risk r = {
		.title = "Behoud van expertise/bloedgroepen",
		.description = "Jongerenwerkers en buurtwerkers hebben andere "
			       "competenties dan het Sociaal Wijkteam.",
		.mitigation = "Verschillende kavels met eigen doelen.\n"
			      "Overname van personeel als randvoorwaarde.",
		.level = RISK_MEDIUM,
		.status = "gedekt mits de raad instemt",
	};
	CHECK(risk_check(&r, &E) == KV_OK, "Dordrecht risk valid: %s", E.msg);
	struct {
		const char *what;
		struct risk r;
		const char *field;
	} bad[] = {
		{"no title", {.title = "", .mitigation = "m"}, "title"},
		{"no mitigation", {.title = "t"}, "mitigation"},
		{"blank mitigation", {.title = "t", .mitigation = " \n\t"},
		 "mitigation"},
		{"control character", {.title = "t", .mitigation = "a\x01"},
		 "mitigation"},
		{"invalid UTF-8", {.title = "t", .mitigation = "caf\xe9"},
		 "mitigation"},
		{"unknown level", {.title = "t", .mitigation = "m", .level = 3},
		 "level"},
		{"status with a line break",
		 {.title = "t", .mitigation = "m", .status = "a\nb"}, "status"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK(risk_check(&bad[i].r, &E) == KV_INVALID, "%s: refused",
		      bad[i].what);
		CHECK_STR(E.field, bad[i].field, "%s: field", bad[i].what);
	}
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK(steering_note_check(big, 4000, true, "notes", &E) == KV_INVALID,
	      "too long note refused");
	CHECK(steering_note_check(NULL, 10, false, "notes", &E) == KV_OK,
	      "an optional note may be absent");
	CHECK(steering_note_check("één\r\nregel", 100, true, "notes", &E) ==
		  KV_OK,
	      "UTF-8 and CRLF pass");
}

/* --- indexation -------------------------------------------------------------- */

static void test_composite(void)
{
	/* (ww x w + pw x p) / 10000, half away from zero. */
	struct {
		int ww, pw, w, p, want;
	} t[] = {
		{7500, 2500, 500, 300, 450},  /* 3,75 + 0,75 = 4,50 % */
		{7500, 2500, 600, 320, 530},  /* 4,50 + 0,80 = 5,30 % */
		{7500, 2500, 400, 200, 350},  /* 3,00 + 0,50 */
		{7500, 2500, 450, 200, 388},  /* 337,5 + 50 = 387,5 -> 388 */
		{7500, 2500, 2, 0, 2},        /* 1,5 -> 2 */
		{7500, 2500, -2, 0, -2},      /* -1,5 -> -2 */
		{5000, 5000, 1, 0, 1},        /* 0,5 -> 1 */
		{5000, 5000, -1, 0, -1},      /* -0,5 -> -1 */
		{5000, 5000, 1, -1, 0},
		{10000, 0, 123, 999, 123},
		{7500, 2500, 333, 101, 275},  /* 249,75 + 25,25 = 275 */
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		CHECK(index_composite_bp(t[i].ww, t[i].pw, t[i].w, t[i].p) ==
			  t[i].want,
		      "composite %d/%d of %d, %d is %d", t[i].ww, t[i].pw,
		      t[i].w, t[i].p, t[i].want);
}

/*
 * The worked example (by hand; P prognosis, A realisation, composite =
 * 75 % wage + 25 % price):
 *
 *   2022  base year: 20.000.000,00
 *   2023  P = 0,75 x 5,00 + 0,25 x 3,00 = 4,50 %; no correction (2022 is
 *         the base year); indexation 20.000.000 x 4,50 % = 900.000,00;
 *         budget 20.900.000,00
 *   2024  A(2023) = 0,75 x 6,00 + 0,25 x 3,20 = 5,30 %, P(2023) = 4,50 %:
 *         correction = 20.000.000 (the amount 2023's index applied to)
 *         x 0,80 % = 160.000,00; base' = 20.900.000 + 160.000 =
 *         21.060.000,00 (= 20.000.000 x 1,053); P = 0,75 x 4,00 + 0,25 x
 *         2,00 = 3,50 %: indexation 21.060.000 x 3,50 % = 737.100,00;
 *         budget 21.797.100,00
 *   2025  A(2024) = 0,75 x 4,50 + 0,25 x 2,00 = 3,875 -> 3,88 %, P(2024)
 *         3,50 %: correction = 21.060.000 x 0,38 % = 80.028,00; base' =
 *         21.797.100 + 80.028 = 21.877.128,00 (= 21.060.000 x 1,0388);
 *         P = 0,75 x 3,00 + 0,25 x 2,00 = 2,75 %: indexation 21.877.128 x
 *         2,75 % = 601.621,02; budget 22.478.749,02
 *   2026  A(2025) unknown: no correction; P = 2,75 %: indexation
 *         22.478.749,02 x 2,75 % = 618.165,59805 -> 618.165,60; budget
 *         23.096.914,62
 */
static void test_indexation(void)
{
	struct contract c = haarlem();
	struct index_figures f[] = {
		{2023, 500, 300, true, 600, 320},
		{2024, 400, 200, true, 450, 200},
		{2025, 300, 200, false, 0, 0},
		{2026, 300, 200, false, 0, 0},
		{2021, 9999, 9999, false, 0, 0}, /* before the base: unused */
	};
	struct indexed_year *y;
	int n;
	CHECK(index_budget(A, &c, f, 5, 2026, &y, &n, &E) == KV_OK,
	      "Haarlem indexation: %s", E.msg);
	CHECK(n == 5, "2022..2026 is 5 years");
	if (n != 5)
		return;
	struct {
		int year;
		int64_t prev, corr, index, budget;
		int p;
	} want[] = {
		{2022, 0, 0, 0, 2000000000, 0},
		{2023, 2000000000, 0, 90000000, 2090000000, 450},
		{2024, 2090000000, 16000000, 73710000, 2179710000, 350},
		{2025, 2179710000, 8002800, 60162102, 2247874902, 275},
		{2026, 2247874902, 0, 61816560, 2309691462, 275},
	};
	for (int i = 0; i < 5; i++) {
		CHECK(y[i].year == want[i].year, "year %d", want[i].year);
		CHECK(y[i].previous_cents == want[i].prev, "%d previous %lld",
		      want[i].year, (long long)y[i].previous_cents);
		CHECK(y[i].composite_prognosis_bp == want[i].p,
		      "%d composite prognosis %d", want[i].year,
		      y[i].composite_prognosis_bp);
		CHECK(y[i].correction_cents == want[i].corr,
		      "%d correction %lld", want[i].year,
		      (long long)y[i].correction_cents);
		CHECK(y[i].indexation_cents == want[i].index,
		      "%d indexation %lld", want[i].year,
		      (long long)y[i].indexation_cents);
		CHECK(y[i].budget_cents == want[i].budget, "%d budget %lld",
		      want[i].year, (long long)y[i].budget_cents);
		CHECK(y[i].explanation && y[i].explanation[0],
		      "%d explained: %s", want[i].year, y[i].explanation);
	}
	CHECK(has(y[0].explanation, "\xe2\x82\xac 20.000.000,00"),
	      "base year names the budget");
	CHECK(has(y[1].explanation, "4,50 %") &&
	      has(y[1].explanation, "\xe2\x82\xac 900.000,00") &&
	      has(y[1].explanation, "\xe2\x82\xac 20.900.000,00"),
	      "2023 shows its sums");
	CHECK(has(y[2].explanation, "5,30 %") &&
	      has(y[2].explanation, "\xe2\x82\xac 160.000,00") &&
	      has(y[2].explanation, "\xe2\x82\xac 21.060.000,00") &&
	      has(y[2].explanation, "\xe2\x82\xac 737.100,00") &&
	      has(y[2].explanation, "\xe2\x82\xac 21.797.100,00"),
	      "2024 shows correction, base, indexation and budget");
	CHECK(has(y[3].explanation, "3,88 %") &&
	      has(y[3].explanation, "\xe2\x82\xac 80.028,00") &&
	      has(y[3].explanation, "\xe2\x82\xac 22.478.749,02"),
	      "2025 shows its sums");
	CHECK(has(y[4].explanation, "2025") &&
	      has(y[4].explanation, "not known"),
	      "2026 says the realisation of 2025 is not known");

	/* Half a cent, both ways: EUR 1,00 in 2022; 2023 P 0,50 %: 100 x
	 * 0,005 = 0,5 -> 1 cent, budget 101; A(2023) = 0 %: correction
	 * 100 x -0,50 % = -0,5 -> -1 cent; 2024 P 0 %: budget 101 - 1 = 100. */
	struct contract tiny = haarlem();
	tiny.budget_cents = 100;
	tiny.wage_weight_bp = 5000;
	tiny.price_weight_bp = 5000;
	struct index_figures tf[] = {
		{2023, 50, 50, true, 0, 0},
		{2024, 0, 0, false, 0, 0},
	};
	CHECK(index_budget(A, &tiny, tf, 2, 2024, &y, &n, &E) == KV_OK &&
	      n == 3, "tiny indexation: %s", E.msg);
	CHECK(y[1].indexation_cents == 1 && y[1].budget_cents == 101,
	      "0,5 cent rounds up to 1");
	CHECK(y[2].correction_cents == -1 && y[2].budget_cents == 100,
	      "-0,5 cent rounds to -1");

	CHECK(index_budget(A, &c, f, 5, 2022, &y, &n, &E) == KV_OK && n == 1 &&
	      y[0].budget_cents == EUR(20000000),
	      "to the base year: one entry");

	/* Refusals. */
	struct index_figures gap[] = {
		{2023, 500, 300, true, 600, 320},
		{2025, 300, 200, false, 0, 0},
	};
	CHECK(index_budget(A, &c, gap, 2, 2025, &y, &n, &E) == KV_INVALID,
	      "a year without figures is refused");
	CHECK(has(E.msg, "2024"), "naming 2024: %s", E.msg);
	CHECK(y == NULL && n == 0, "nothing returned");
	CHECK(index_budget(A, &c, f, 5, 2021, &y, &n, &E) == KV_INVALID,
	      "to_year before the base year");
	struct index_figures absurd[] = {{2023, 6000, 300, false, 0, 0}};
	CHECK(index_budget(A, &c, absurd, 1, 2023, &y, &n, &E) == KV_INVALID &&
	      has(E.msg, "2023"),
	      "60 %% wage index refused: %s", E.msg);
	struct index_figures twice[] = {
		{2023, 500, 300, false, 0, 0},
		{2023, 400, 300, false, 0, 0},
	};
	CHECK(index_budget(A, &c, twice, 2, 2023, &y, &n, &E) == KV_INVALID,
	      "figures of one year twice refused");
	struct contract w = haarlem();
	w.price_weight_bp = 1500;
	CHECK(index_budget(A, &w, f, 5, 2024, &y, &n, &E) == KV_INVALID,
	      "weights not adding up to 100 %% refused");
	w = haarlem();
	w.budget_cents = EUR(10000000000000LL) + 1;
	CHECK(index_budget(A, &w, f, 5, 2024, &y, &n, &E) == KV_INVALID,
	      "absurd budget refused");
	w = haarlem();
	w.budget_cents = EUR(10000000000000LL);
	struct index_figures grow[] = {{2023, 5000, 5000, false, 0, 0}};
	CHECK(index_budget(A, &w, grow, 1, 2023, &y, &n, &E) == KV_INVALID,
	      "a budget growing past the limit is refused: %s", E.msg);
}

/* --- the budget frame ------------------------------------------------------------ */

/* Haarlem decision 2021/34505, "Beschikbare budgetten Wmo" (k euro). */
static const char *const SEED_CSV =
    "Beschikbare budgetten Wmo,2021,2022,2023,2024,2025\n"
    "Vervoersvoorzieningen,5.678,5.693,5.684,5.676,5.676\n"
    "Woonvoorzieningen,2.567,2.658,2.658,2.658,2.658\n"
    "Huishoudelijke ondersteuning,14.703,14.511,14.408,14.305,14.305\n"
    "Ambulante Begeleiding,8.709,8.650,8.651,8.651,8.651\n"
    "Begeleiding Dagopvang,2.985,2.940,2.940,2.940,2.940\n"
    "Gezinsbegeleiding en jongvolwassenen,1.818,1.827,1.827,1.827,1.827\n"
    "Overige voorzieningen volwassenen,108,108,108,108,108\n"
    "Totaal taakstellingen Wmo,-119,-5.164,-5.164,-5.501,-5.501\n"
    "Totaal,36.449,31.223,31.112,30.664,30.664\n";

/* The seed with `from` replaced by `to` (first occurrence). */
static char *seed_with(const char *from, const char *to)
{
	const char *p = strstr(SEED_CSV, from);
	if (!p)
		return NULL;
	return arena_printf(A, "%.*s%s%s", (int)(p - SEED_CSV), SEED_CSV, to,
			    p + strlen(from));
}

/* The seed with ',' as ';' and "\n" as "\r\n". */
static char *seed_semicolon_crlf(void)
{
	sbuf b;
	sbuf_init(&b, A, 4096);
	for (const char *p = SEED_CSV; *p; p++) {
		if (*p == ',')
			sbuf_puts(&b, ";");
		else if (*p == '\n')
			sbuf_puts(&b, "\r\n");
		else
			sbuf_add(&b, p, 1);
	}
	return (char *)sbuf_str(&b);
}

static void check_seed_frame(const struct budget_frame *f, const char *how)
{
	/* The seed's own Totaal row, in euros (k euro x 1000), as cents. */
	static const int64_t want[5] = {
		EUR(36449000), EUR(31223000), EUR(31112000), EUR(30664000),
		EUR(30664000),
	};
	CHECK(f->first_year == 2021 && f->n_years == 5, "%s: 2021..2025", how);
	CHECK(f->n_rows == 8, "%s: 7 categories and 1 taakstelling (%d)", how,
	      f->n_rows);
	if (f->n_rows != 8)
		return;
	int64_t t[FRAME_MAX_YEARS];
	frame_totals(f, t);
	for (int y = 0; y < 5; y++)
		CHECK(t[y] == want[y], "%s: total %d is %lld", how, 2021 + y,
		      (long long)t[y]);
	CHECK_STR(f->rows[0].category, "Vervoersvoorzieningen", "%s: first",
		  how);
	CHECK(f->rows[0].cents[0] == EUR(5678000) && f->rows[0].has[0],
	      "%s: 5.678 k euro is 5.678.000 euro", how);
	CHECK(f->rows[6].cents[4] == EUR(108000), "%s: 108 k euro", how);
	CHECK(f->rows[7].taakstelling && !f->rows[6].taakstelling,
	      "%s: Totaal taakstellingen is a taakstelling", how);
	CHECK(f->rows[7].cents[1] == -EUR(5164000), "%s: -5.164 k euro", how);
}

static void test_frame_seed(void)
{
	struct budget_frame f;
	memset(&f, 0, sizeof f);
	CHECK(frame_parse_csv(A, SEED_CSV, strlen(SEED_CSV), true, &f, &E) ==
		  KV_OK,
	      "seed frame imports: %s %s", E.field, E.msg);
	check_seed_frame(&f, "comma");
	CHECK_STR(f.title, "Beschikbare budgetten Wmo",
		  "title from the header");

	struct budget_frame g;
	memset(&g, 0x5a, sizeof g); /* out may come uninitialised */
	char *sc = seed_semicolon_crlf();
	CHECK(frame_parse_csv(A, sc, strlen(sc), true, &g, &E) == KV_OK,
	      "';' and CRLF import: %s %s", E.field, E.msg);
	check_seed_frame(&g, "semicolon");
	CHECK_STR(g.title, "Beschikbare budgetten Wmo", "title from the header");
	CHECK(g.id == 0 && g.tenant_id == 0 && g.source == NULL,
	      "id, tenant and source cleared for the caller to set");

	/* Byte-order mark, quotes, a zero, the taakstelling column, amounts
	 * in euros with cents. */
	const char *csv =
	    "\xef\xbb\xbf" "categorie;2023;2024;taakstelling\n"
	    "\"Wijkteam; integraal\";\"1.234.567,89\";\"300,00\";0\n"
	    "Bezuiniging inkoop;-100;\xe2\x88\x92" "200,50;ja\n";
	memset(&g, 0, sizeof g);
	CHECK(frame_parse_csv(A, csv, strlen(csv), false, &g, &E) == KV_OK,
	      "euro frame imports: %s %s", E.field, E.msg);
	if (g.n_rows == 2) {
		CHECK_STR(g.rows[0].category, "Wijkteam; integraal",
			  "quoted separator inside a cell");
		CHECK(g.rows[0].cents[0] == 123456789, "1.234.567,89 euro");
		CHECK(g.rows[0].has[1] && g.rows[0].cents[1] == 30000, "300,00 euro");
		CHECK(g.rows[1].taakstelling, "marked by the column");
		CHECK(g.rows[1].cents[1] == -20050, "U+2212 minus");
		int64_t t[FRAME_MAX_YEARS];
		frame_totals(&g, t);
		CHECK(t[0] == 123456789 - 10000 && t[1] == 30000 - 20050,
		      "totals add the taakstellingen");
	} else {
		CHECK(0, "two rows expected, got %d", g.n_rows);
	}
}

static void test_frame_bad(void)
{
	char header13[200] = "categorie";
	char row13[200] = "X";
	for (int y = 2021; y <= 2033; y++) {
		sprintf(header13 + strlen(header13), ",%d", y);
		strcat(row13, ",1");
	}
	struct {
		const char *what;
		const char *csv;
		const char *field;
		const char *in_msg;   /* must appear in the message */
		const char *in_msg2;
	} bad[] = {
		{"non-number cell", seed_with("14.511", "veertien"), "line 4",
		 "2022", "Column 3"},
		{"wrong Totaal", seed_with("36.449,31.223", "36.449,31.224"),
		 "line 10", "31.224.000,00", "31.223.000,00"},
		{"missing year column on a line",
		 seed_with("108,108,108,108,108", "108,108,108,108"), "line 8",
		 "2025", NULL},
		{"header without years", "categorie,a,b\nX,1,2\n", "line 1",
		 "\"a\"", NULL},
		{"header with only a category", "categorie\nX\n", "line 1",
		 "no year", NULL},
		{"duplicate category",
		 seed_with("Ambulante Begeleiding", "woonvoorzieningen"),
		 "line 5", "line 3", NULL},
		{"too many years",
		 arena_printf(A, "%s\n%s\n", header13, row13), "line 1", "12",
		 NULL},
		{"years not consecutive", "cat,2021,2022,2024\nX,1,2,3\n",
		 "line 1", "2024", "2023"},
		{"empty file", "", "line 1", "empty", NULL},
		{"only blank lines", "\n\r\n  \n", "line 1", "empty", NULL},
		{"header but no category", "cat;2021\n", "line 2", "no category",
		 NULL},
		{"positive taakstelling", "cat;2021\nTaakstelling zorg;100\n",
		 "line 2", "negative", NULL},
		{"negative category", "cat;2021\nZorg;-100\n", "line 2",
		 "negative", NULL},
		{"two Totaal lines", "cat;2021\nA;1\nTotaal;1\ntotaal;1\n",
		 "line 4", "line 3", NULL},
		{"unclosed quote", "cat;2021\n\"A;1\n", "line 2", "quote", NULL},
		{"bad flag", "cat;2021;taakstelling\nA;-1;misschien\n", "line 2",
		 "misschien", NULL},
		{"value without a year", "cat;2021\nA;1;2\n", "line 2",
		 "Column 3", NULL},
		{"NUL byte", "cat;2021\nA\0;1\n", "line 2", "NUL", NULL},
		/* Issue 16 item 5: a blank would be stored as nothing and
		 * left out of the year's total without a word. */
		{"blank cell", seed_with("2.658,2.658,2.658,2.658", "2.658,,2.658,2.658"),
		 "line 3", "Column 4 (2023) is empty", "Write 0"},
		{"blank cell, semicolons", "cat;2021;2022\nA;1;\n", "line 2",
		 "Column 3 (2022) is empty", NULL},
		/* ... and a year below zero is a sign or a missing line. */
		{"negative year", "cat;2021;2022\nA;100;100\nTaakstelling A;-50;-150\n",
		 "line 3", "Column 3 (2022)", "-50.000,00"},
	};
	size_t n = sizeof bad / sizeof *bad;
	for (size_t i = 0; i < n; i++) {
		const char *csv = bad[i].csv;
		size_t len = csv ? strlen(csv) : 0;
		if (strcmp(bad[i].what, "NUL byte") == 0)
			len = 14; /* "cat;2021\n" "A" NUL ";1\n" */
		struct budget_frame f;
		memset(&f, 0, sizeof f);
		f.n_rows = -7; /* a mark: nothing may change */
		f.title = "kept";
		f.rows = NULL;
		kv_error_clear(&E);
		CHECK(csv && frame_parse_csv(A, csv, len, true, &f, &E) ==
				 KV_INVALID,
		      "%s: refused", bad[i].what);
		CHECK_STR(E.field, bad[i].field, "%s: field", bad[i].what);
		CHECK(has(E.msg, bad[i].in_msg) &&
		      (!bad[i].in_msg2 || has(E.msg, bad[i].in_msg2)),
		      "%s: says \"%s\": %s", bad[i].what, bad[i].in_msg, E.msg);
		CHECK(f.n_rows == -7 && f.rows == NULL &&
		      strcmp(f.title, "kept") == 0,
		      "%s: nothing partial", bad[i].what);
	}

	/* Limits: 200 categories read, 203 lines are too many for the
	 * reader (header + 200 + Totaal is the most); 65 cells on a line. */
	sbuf big;
	sbuf_init(&big, A, 1 << 16);
	sbuf_puts(&big, "cat;2021\n");
	for (int i = 1; i <= 200; i++)
		sbuf_printf(&big, "Categorie %d;%d\n", i, i);
	/* 1 + 2 + ... + 200 = 20100 */
	sbuf_puts(&big, "Totaal;20.100\n");
	struct budget_frame lim;
	memset(&lim, 0, sizeof lim);
	CHECK(frame_parse_csv(A, sbuf_str(&big), big.len, false, &lim, &E) ==
		      KV_OK &&
		  lim.n_rows == 200,
	      "200 categories and a Totaal: %s %s", E.field, E.msg);
	sbuf_puts(&big, "Nog een;1\n");
	CHECK(frame_parse_csv(A, sbuf_str(&big), big.len, false, &lim, &E) ==
		  KV_INVALID,
	      "203 lines refused: %s", E.msg);
	sbuf wide;
	sbuf_init(&wide, A, 1024);
	sbuf_puts(&wide, "cat");
	for (int i = 0; i < 64; i++)
		sbuf_puts(&wide, ";x");
	sbuf_puts(&wide, "\n");
	CHECK(frame_parse_csv(A, sbuf_str(&wide), wide.len, false, &lim, &E) ==
		      KV_INVALID &&
		  strcmp(E.field, "line 1") == 0 && has(E.msg, "64"),
	      "65 cells refused: %s", E.msg);

	/* Twelve years is the most. */
	char h12[200] = "categorie", r12[200] = "X";
	for (int y = 2021; y <= 2032; y++) {
		sprintf(h12 + strlen(h12), ";%d", y);
		strcat(r12, ";1");
	}
	char *csv12 = arena_printf(A, "%s\n%s\n", h12, r12);
	struct budget_frame f;
	memset(&f, 0, sizeof f);
	CHECK(frame_parse_csv(A, csv12, strlen(csv12), false, &f, &E) ==
		      KV_OK &&
		  f.n_years == 12,
	      "12 years accepted: %s", E.msg);
}

static void test_frame_check(void)
{
	struct budget_frame f;
	memset(&f, 0, sizeof f);
	frame_parse_csv(A, SEED_CSV, strlen(SEED_CSV), true, &f, &E);
	/* 2023: 20.000.000 + 11.200.000 = 31.200.000 > 31.112.000, by
	 * 88.000.  2022: 31.000.000 <= 31.223.000.  2030: outside. */
	struct commitment c[] = {
		{"Perceel integraal", 2023, EUR(20000000)},
		{"Subsidie buurtwerk", 2023, EUR(11200000)},
		{"Perceel integraal", 2022, EUR(31000000)},
		{"Perceel integraal", 2030, EUR(99000000)},
	};
	struct frame_warning *w;
	int n = frame_check(A, &f, c, 4, &w);
	CHECK(n == 1, "one year over the frame (%d)", n);
	if (n == 1) {
		CHECK(w[0].year == 2023, "2023");
		CHECK(w[0].frame_cents == EUR(31112000) &&
		      w[0].committed_cents == EUR(31200000), "amounts");
		CHECK(has(w[0].text, "\xe2\x82\xac 31.200.000,00") &&
		      has(w[0].text, "\xe2\x82\xac 31.112.000,00") &&
		      has(w[0].text, "2023"),
		      "sentence with both amounts: %s", w[0].text);
	}
	struct commitment ok[] = {{"x", 2024, EUR(30664000)}};
	CHECK(frame_check(A, &f, ok, 1, &w) == 0 && w == NULL,
	      "exactly the frame is no warning");
}

/* --- subsidies and forms --------------------------------------------------------- */

/* Dordrecht buurtwerk: a two-year subsidy from 2020 to ContourdeTwern
 * (penvoerder) and MEE/Vivenz (raadsinformatiebrief 2022); the amount and
 * decision numbers are made up. */
static struct subsidy buurtwerk(void)
{
	struct subsidy s;
	memset(&s, 0, sizeof s);
	s.recipient_name = "ContourdeTwern (penvoerder) en MEE/Vivenz";
	s.purpose = "Buurtwerk";
	s.kind = SUBSIDY_MULTI_YEAR;
	s.from_year = 2020;
	s.to_year = 2021;
	s.cents_per_year = 100000050; /* EUR 1.000.000,50 */
	s.decision = "2019/4711";
	return s;
}

static void test_subsidy(void)
{
	static const char *const kinds[] = {"multi-year", "budget", "annual",
					    "incidental"};
	for (int i = 0; i < 4; i++) {
		CHECK_STR(subsidy_kind_code(i), kinds[i], "kind %d", i);
		CHECK(subsidy_kind_from_code(kinds[i]) == i, "%s round-trips",
		      kinds[i]);
		CHECK(subsidy_kind_label(i)[0], "kind label %d", i);
	}
	CHECK(subsidy_kind_from_code("yearly") == -1, "unknown kind");

	struct subsidy s = buurtwerk();
	CHECK(subsidy_check(&s, &E) == KV_OK, "buurtwerk valid: %s", E.msg);
	CHECK(subsidy_extend(&s, 2021, "2021/118", &E) == KV_INVALID,
	      "extension to the same year refused");
	CHECK(subsidy_extend(&s, 2022, "", &E) == KV_INVALID &&
	      strcmp(E.field, "end_decision") == 0,
	      "extension without decision refused");
	CHECK(s.to_year == 2021, "refusals changed nothing");
	CHECK(subsidy_extend(&s, 2022, "2021/118", &E) == KV_OK,
	      "extended to 2022: %s", E.msg);
	CHECK(s.to_year == 2022 && strcmp(s.end_decision, "2021/118") == 0,
	      "to_year and decision set");

	/* Lost the tender: afbouwregeling 2023 45 %, 2024 20 %.
	 * 100.000.050 x 45 / 100 = 45.000.022,5 -> 45.000.023 cents;
	 * 100.000.050 x 20 / 100 = 20.000.010. */
	s.phase_out = true;
	s.phase_out_years = 2;
	s.phase_out_pct[0] = 45;
	s.phase_out_pct[1] = 20;
	s.phase_out_scope = "Overhead en personeel in ondersteunende functies";
	s.staff_taken_over = "12 buurtwerkers naar de winnaar";
	CHECK(subsidy_check(&s, &E) == KV_OK, "with phase-out valid: %s",
	      E.msg);
	struct {
		int year;
		int64_t cents;
		enum subsidy_state state;
	} t[] = {
		{2019, 0, SUBSIDY_ENDED},
		{2020, 100000050, SUBSIDY_ACTIVE},
		{2022, 100000050, SUBSIDY_ACTIVE},
		{2023, 45000023, SUBSIDY_PHASING_OUT},
		{2024, 20000010, SUBSIDY_PHASING_OUT},
		{2025, 0, SUBSIDY_ENDED},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		CHECK(subsidy_amount_in(&s, t[i].year) == t[i].cents,
		      "amount in %d: %lld", t[i].year,
		      (long long)subsidy_amount_in(&s, t[i].year));
		CHECK(subsidy_state_in(&s, t[i].year) == t[i].state,
		      "state in %d", t[i].year);
	}
	struct subsidy one = buurtwerk();
	one.cents_per_year = 1;
	one.phase_out = true;
	one.phase_out_years = 2;
	one.phase_out_pct[0] = 50; /* 0,5 cent -> 1 */
	one.phase_out_pct[1] = 49; /* 0,49 cent -> 0 */
	CHECK(subsidy_amount_in(&one, 2022) == 1 &&
	      subsidy_amount_in(&one, 2023) == 0,
	      "half a cent rounds up, less rounds down");

	struct {
		const char *what;
		struct subsidy s;
		const char *field;
	} bad[12];
	int n = 0;
#define BAD(what_, field_, stmt)                                             \
	do {                                                                 \
		bad[n].what = what_;                                         \
		bad[n].s = buurtwerk();                                      \
		{                                                            \
			struct subsidy *s_ = &bad[n].s;                      \
			stmt;                                                \
		}                                                            \
		bad[n].field = field_;                                       \
		n++;                                                         \
	} while (0)
	BAD("no purpose", "purpose", s_->purpose = "");
	BAD("unknown kind", "kind", s_->kind = 9);
	BAD("to before from", "to_year", s_->to_year = 2019);
	BAD("year 1899", "from_year", s_->from_year = 1899);
	BAD("year 2201", "to_year", s_->to_year = 2201);
	BAD("negative amount", "cents_per_year", s_->cents_per_year = -1);
	BAD("phase-out of 0 years", "phase_out_years",
	    (s_->phase_out = true, s_->phase_out_years = 0));
	BAD("phase-out of 6 years", "phase_out_years",
	    (s_->phase_out = true, s_->phase_out_years = 6));
	BAD("rising percentage", "phase_out_pct",
	    (s_->phase_out = true, s_->phase_out_years = 2,
	     s_->phase_out_pct[0] = 20, s_->phase_out_pct[1] = 45));
	BAD("percentage 101", "phase_out_pct",
	    (s_->phase_out = true, s_->phase_out_years = 1,
	     s_->phase_out_pct[0] = 101));
	BAD("negative percentage", "phase_out_pct",
	    (s_->phase_out = true, s_->phase_out_years = 1,
	     s_->phase_out_pct[0] = -1));
#undef BAD
	for (int i = 0; i < n; i++) {
		CHECK(subsidy_check(&bad[i].s, &E) == KV_INVALID,
		      "%s: refused", bad[i].what);
		CHECK_STR(E.field, bad[i].field, "%s: field", bad[i].what);
	}
	struct subsidy inc = buurtwerk();
	inc.kind = SUBSIDY_INCIDENTAL;
	CHECK(subsidy_extend(&inc, 2023, "2022/1", &E) == KV_DENIED,
	      "a one-off subsidy is not extended");
}

static void test_forms(void)
{
	static const char *const codes[] = {
		"separate-subsidies", "one-penvoerder", "main-contractor",
		"equal-parties", "consortium-contract", "single-provider"};
	for (int i = 0; i < 6; i++) {
		CHECK_STR(org_form_code(i), codes[i], "form code %d", i);
		CHECK(org_form_from_code(codes[i]) == i, "%s round-trips",
		      codes[i]);
		CHECK(org_form_label(i)[0], "form label %d", i);
	}
	CHECK(org_form_from_code("penvoerder") == -1, "unknown form");

	/* Dordrecht's Sociaal Wijkteam (memo 20 April 2020; raadsinfor-
	 * matiebrief 2022).  The first year of the separate subsidies is
	 * not in the papers: 2015, the decentralisation, is assumed. */
	struct form_period h[] = {
		{1, 1, "Sociaal Wijkteam", 2015, 2016, FORM_SEPARATE_SUBSIDIES,
		 "Stichting MEE, Vivenz, Careyn, Enver, Stichting Jeugdteams",
		 "Memo 20 april 2020"},
		{2, 1, "Sociaal Wijkteam", 2017, 2017, FORM_ONE_PENVOERDER,
		 "Flexus Jeugdplein (penvoerder)", "Memo 20 april 2020"},
		{3, 1, "Sociaal Wijkteam", 2018, 2020, FORM_MAIN_CONTRACTOR,
		 "MEE Plus (hoofdaannemer sociaal domein); Stichting "
		 "Jeugdteams (hoofdaannemer jeugd)", "Memo 20 april 2020"},
		{4, 1, "Sociaal Wijkteam", 2021, 0, FORM_EQUAL_PARTIES,
		 "Stichting De Sociale Basis (penvoerder), Stichting "
		 "Jeugdteams", "Memo 20 april 2020"},
	};
	for (int i = 0; i < 4; i++)
		CHECK(form_period_check(&h[i], h, 4, &E) == KV_OK,
		      "Dordrecht period %d fits the history: %s", i + 1, E.msg);

	/* The tendered contract from 2023: one provider. */
	struct form_period next = {0, 1, "sociaal wijkteam ", 2023, 0,
				   FORM_SINGLE_PROVIDER, "", ""};
	CHECK(form_period_check(&next, h, 4, &E) == KV_CONFLICT,
	      "overlaps the open period from 2021");
	CHECK_STR(E.field, "from_year", "names from_year");
	CHECK(has(E.msg, "2021"), "names the other period: %s", E.msg);
	h[3].to_year = 2022;
	CHECK(form_period_check(&h[3], h, 4, &E) == KV_OK,
	      "closing 2021 at 2022 is fine");
	CHECK(form_period_check(&next, h, 4, &E) == KV_OK,
	      "then 2023 follows: %s", E.msg);

	struct form_period clash = {0, 1, "Sociaal Wijkteam", 2020, 2020,
				    FORM_CONSORTIUM_CONTRACT, NULL, NULL};
	CHECK(form_period_check(&clash, h, 4, &E) == KV_CONFLICT &&
	      has(E.msg, "2018-2020"),
	      "2020 overlaps 2018-2020: %s", E.msg);
	struct form_period other = {0, 1, "Buurtwerk", 2020, 2021,
				    FORM_EQUAL_PARTIES,
				    "ContourdeTwern (penvoerder), MEE/Vivenz",
				    NULL};
	CHECK(form_period_check(&other, h, 4, &E) == KV_OK,
	      "another assignment may overlap");
	struct form_period rev = other;
	rev.to_year = 2019;
	CHECK(form_period_check(&rev, h, 4, &E) == KV_INVALID &&
	      strcmp(E.field, "to_year") == 0, "to before from refused");
	rev = other;
	rev.form = 17;
	CHECK(form_period_check(&rev, h, 4, &E) == KV_INVALID &&
	      strcmp(E.field, "form") == 0, "unknown form refused");
	rev = other;
	rev.assignment = "";
	CHECK(form_period_check(&rev, h, 4, &E) == KV_INVALID &&
	      strcmp(E.field, "assignment") == 0, "assignment required");
}

/* --- KPIs ----------------------------------------------------------------------- */

static struct kpi KPIS[] = {
	{.id = 11, .contract_id = 1, .name = "Bereik kwetsbare inwoners",
	 .unit = "%", .direction = KPI_HIGHER_IS_BETTER, .has_target = true,
	 .target_milli = 80000, .frequency = KPI_QUARTERLY},
	{.id = 12, .contract_id = 1, .name = "Wachttijd", .unit = "dagen",
	 .direction = KPI_LOWER_IS_BETTER, .has_target = true,
	 .target_milli = 10000, .frequency = KPI_MONTHLY},
	{.id = 13, .contract_id = 1, .name = "Tevredenheid", .unit = "cijfer",
	 .direction = KPI_HIGHER_IS_BETTER, .frequency = KPI_YEARLY},
};

static void test_kpi_basics(void)
{
	CHECK_STR(kpi_direction_code(KPI_HIGHER_IS_BETTER), "higher-is-better",
		  "direction code");
	CHECK(kpi_direction_from_code("lower-is-better") == KPI_LOWER_IS_BETTER,
	      "direction round-trips");
	CHECK(kpi_direction_from_code("lower") == -1, "unknown direction");
	static const char *const fq[] = {"monthly", "quarterly", "yearly"};
	for (int i = 0; i < 3; i++) {
		CHECK_STR(kpi_frequency_code(i), fq[i], "frequency %d", i);
		CHECK(kpi_frequency_from_code(fq[i]) == i, "%s round-trips",
		      fq[i]);
	}

	for (int i = 0; i < 3; i++)
		CHECK(kpi_check(&KPIS[i], &E) == KV_OK, "KPI %s valid: %s",
		      KPIS[i].name, E.msg);
	char long_name[130];
	memset(long_name, 'k', 121);
	long_name[121] = 0;
	struct {
		const char *what;
		struct kpi k;
		const char *field;
	} bad[] = {
		{"no name", {.name = "", .unit = "%"}, "name"},
		{"name of 121", {.name = long_name, .unit = "%"}, "name"},
		{"no unit", {.name = "x", .unit = ""}, "unit"},
		{"bad direction", {.name = "x", .unit = "%", .direction = 2},
		 "direction"},
		{"bad frequency", {.name = "x", .unit = "%", .frequency = 3},
		 "frequency"},
		{"absurd target", {.name = "x", .unit = "%", .has_target = true,
				   .target_milli = INT64_MAX}, "target"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK(kpi_check(&bad[i].k, &E) == KV_INVALID, "%s: refused",
		      bad[i].what);
		CHECK_STR(E.field, bad[i].field, "%s: field", bad[i].what);
	}
	long_name[120] = 0;
	struct kpi k120 = {.name = long_name, .unit = "%"};
	CHECK(kpi_check(&k120, &E) == KV_OK, "name of 120 is fine");

	struct {
		enum kpi_frequency f;
		const char *p;
		bool ok;
	} periods[] = {
		{KPI_MONTHLY, "2023-05", true},   {KPI_MONTHLY, "2023-12", true},
		{KPI_MONTHLY, "2023-01", true},   {KPI_MONTHLY, "2023-13", false},
		{KPI_MONTHLY, "2023-00", false},  {KPI_MONTHLY, "2023-5", false},
		{KPI_MONTHLY, "2023-Q1", false},  {KPI_MONTHLY, "2023", false},
		{KPI_MONTHLY, "", false},         {KPI_MONTHLY, NULL, false},
		{KPI_QUARTERLY, "2023-Q1", true}, {KPI_QUARTERLY, "2023-Q4", true},
		{KPI_QUARTERLY, "2023-Q5", false},{KPI_QUARTERLY, "2023-Q0", false},
		{KPI_QUARTERLY, "2023-q1", false},{KPI_QUARTERLY, "2023-05", false},
		{KPI_YEARLY, "2023", true},       {KPI_YEARLY, "1899", false},
		{KPI_YEARLY, "2023-05", false},   {KPI_YEARLY, "23", false},
		{KPI_YEARLY, "2O23", false},
	};
	for (size_t i = 0; i < sizeof periods / sizeof *periods; i++) {
		enum kv_status st = kpi_period_check(periods[i].f, periods[i].p,
						     "period", &E);
		CHECK((st == KV_OK) == periods[i].ok, "%s period \"%s\" %s",
		      kpi_frequency_code(periods[i].f),
		      periods[i].p ? periods[i].p : "(null)",
		      periods[i].ok ? "accepted" : "refused");
		if (!periods[i].ok)
			CHECK_STR(E.field, "period", "field as given");
	}
	kpi_period_check(KPI_QUARTERLY, "2023-05", "period", &E);
	CHECK(has(E.msg, "quarterly") && has(E.msg, "2023-Q2"),
	      "the message shows the form: %s", E.msg);

	struct {
		const char *s;
		bool ok;
		int64_t milli;
		const char *in_msg;
	} values[] = {
		{"12,5", true, 12500, NULL},
		{"12.5", true, 12500, NULL},
		{"-3", true, -3000, NULL},
		{"+7", true, 7000, NULL},
		{" 42 ", true, 42000, NULL},
		{"0,125", true, 125, NULL},
		{"0.125", true, 125, NULL},
		{"1234,567", true, 1234567, NULL},
		{"1234.567", true, 1234567, NULL},
		{"1,234", true, 1234, NULL},
		{"\xe2\x88\x92" "2,5", true, -2500, NULL},
		{"1000000000000", true, 1000000000000000LL, NULL},
		{"1000000000001", false, 0, "larger"},
		{"1.234,5", false, 0, "thousands"},
		{"1.234.567", false, 0, "thousands"},
		{"1.234", false, 0, "ambiguous"},
		{"12,3456", false, 0, "three decimals"},
		{"abc", false, 0, "not a number"},
		{"12 %", false, 0, "not a number"},
		{"", false, 0, "required"},
		{",5", false, 0, "0,5"},
		{"12,", false, 0, "0,5"},
		{"-", false, 0, "0,5"},
	};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		int64_t v = -1;
		enum kv_status st = kpi_value_parse(values[i].s, &v, "value",
						    &E);
		if (values[i].ok) {
			CHECK(st == KV_OK && v == values[i].milli,
			      "value \"%s\" is %lld thousandths", values[i].s,
			      (long long)values[i].milli);
		} else {
			CHECK(st == KV_INVALID && has(E.msg, values[i].in_msg),
			      "value \"%s\" refused: %s", values[i].s, E.msg);
		}
	}

	struct {
		int64_t milli;
		const char *want;
	} fmt[] = {
		{12500, "12,5"},   {-3000, "-3"},       {125, "0,125"},
		{0, "0"},          {1234567, "1234,567"}, {-500, "-0,5"},
		{100, "0,1"},      {10, "0,01"},        {1000000000000000LL,
							 "1000000000000"},
		{INT64_MIN, "-9223372036854775,808"},
	};
	for (size_t i = 0; i < sizeof fmt / sizeof *fmt; i++)
		CHECK_STR(kpi_value_format(A, fmt[i].milli), fmt[i].want,
			  "format %lld", (long long)fmt[i].milli);

	CHECK(kpi_on_target(&KPIS[0], 80000) == 1, "80 %% meets 80 %%");
	CHECK(kpi_on_target(&KPIS[0], 79999) == 0, "79,999 %% does not");
	CHECK(kpi_on_target(&KPIS[1], 4000) == 1, "4 days meets 10 (lower)");
	CHECK(kpi_on_target(&KPIS[1], 10001) == 0, "10,001 days does not");
	CHECK(kpi_on_target(&KPIS[2], 9000) == -1, "no target");
}

static void test_measurements(void)
{
	/* Dutch header in another order, a blank line (5), an empty area,
	 * "2023-q3" read as 2023-Q3. */
	const char *csv = "waarde;kpi;periode;gebied\n"
			  "72,5;Bereik kwetsbare inwoners;2023-Q1;Noord\n"
			  "75;Bereik kwetsbare inwoners;2023-Q2;Noord\n"
			  "81,25;bereik kwetsbare inwoners;2023-q3;Noord\n"
			  "\n"
			  "12;Wachttijd;2023-05;\n"
			  "7,5;Tevredenheid;2023;Zuid\n";
	struct measurement *m;
	int n;
	CHECK(measurements_parse_csv(A, KPIS, 3, csv, strlen(csv), &m, &n,
				     &E) == KV_OK,
	      "Dutch measurements import: %s %s", E.field, E.msg);
	CHECK(n == 5, "five measurements (%d)", n);
	if (n == 5) {
		CHECK(m[0].kpi_id == 11 && strcmp(m[0].period, "2023-Q1") == 0 &&
		      strcmp(m[0].area, "Noord") == 0 && m[0].value_milli == 72500,
		      "first line");
		CHECK(m[2].kpi_id == 11 && strcmp(m[2].period, "2023-Q3") == 0 &&
		      m[2].value_milli == 81250,
		      "case of name and q ignored");
		CHECK(m[3].kpi_id == 12 && m[3].area[0] == 0 &&
		      m[3].value_milli == 12000, "empty area");
		CHECK(m[4].kpi_id == 13 && strcmp(m[4].period, "2023") == 0,
		      "yearly");
	}

	const char *en = "kpi,period,value\r\n"
			 "Wachttijd,2023-06,\"12,5\"\r\n"
			 "Wachttijd,2023-07,12.75\r\n";
	CHECK(measurements_parse_csv(A, KPIS, 3, en, strlen(en), &m, &n, &E) ==
		      KV_OK &&
		  n == 2 && m[0].value_milli == 12500 &&
		  m[1].value_milli == 12750 && m[0].area[0] == 0,
	      "English header without area, CRLF, quoted comma: %s", E.msg);

	struct {
		const char *what;
		const char *csv;
		const char *field;
		const char *in_msg;
	} bad[] = {
		{"unknown KPI",
		 "kpi;periode;waarde\nWachttijd;2023-05;3\nOnbekend;2023-05;1\n",
		 "line 3", "Onbekend"},
		{"period of another frequency",
		 "kpi;periode;waarde\nWachttijd;2023-Q1;3\n", "line 2",
		 "monthly"},
		{"thousands separator",
		 "kpi;periode;waarde\nWachttijd;2023-05;1.234,5\n", "line 2",
		 "thousands"},
		{"duplicate",
		 "kpi;periode;gebied;waarde\nWachttijd;2023-05;Noord;3\n"
		 "Wachttijd;2023-06;Noord;3\nWachttijd;2023-05;Noord;4\n",
		 "line 4", "line 2"},
		{"duplicate without area",
		 "kpi;periode;waarde\nWachttijd;2023-05;3\nWachttijd;2023-05;4\n",
		 "line 3", "line 2"},
		{"missing value column", "kpi;periode;gebied\nWachttijd;2023-05;\n",
		 "line 1", "waarde"},
		{"unknown column", "kpi;periode;waarde;opmerking\n", "line 1",
		 "opmerking"},
		{"a column twice", "kpi;periode;waarde;value\n", "line 1",
		 "both"},
		{"empty file", "", "line 1", "empty"},
		{"header only", "kpi;periode;waarde\n", "line 2",
		 "no measurements"},
		{"line numbers count blank lines",
		 "\n\nkpi;periode;waarde\n\nWachttijd;2023-13;5\n", "line 5",
		 "2023-13"},
		{"a multi-line cell keeps its first line",
		 "kpi;periode;gebied;waarde\n"
		 "Wachttijd;2023-05;\"Noord\nOost\";5\n", "line 2",
		 "line break"},
		{"empty value", "kpi;periode;waarde\nWachttijd;2023-05;\n",
		 "line 2", "required"},
		{"empty kpi", "kpi;periode;waarde\n;2023-05;1\n", "line 2",
		 "empty"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		m = (struct measurement *)1;
		n = -1;
		kv_error_clear(&E);
		CHECK(measurements_parse_csv(A, KPIS, 3, bad[i].csv,
					     strlen(bad[i].csv), &m, &n,
					     &E) == KV_INVALID,
		      "%s: refused", bad[i].what);
		CHECK_STR(E.field, bad[i].field, "%s: field", bad[i].what);
		CHECK(has(E.msg, bad[i].in_msg), "%s: says \"%s\": %s",
		      bad[i].what, bad[i].in_msg, E.msg);
		CHECK(m == NULL && n == 0, "%s: nothing returned", bad[i].what);
	}
}


/* Ending a subsidy early, as Dordrecht ends the incumbents' subsidies
 * when the tender is lost, with a phase-out arrangement. */
static void test_subsidy_terminate(void)
{
	struct subsidy s = {.purpose = "Buurtwerk", .kind = SUBSIDY_MULTI_YEAR,
			    .from_year = 2020, .to_year = 2024,
			    .cents_per_year = 100000000, .decision = "2019/1"};
	struct subsidy po = {.phase_out = true, .phase_out_years = 2,
			     .phase_out_pct = {60, 30}, .phase_out_scope = "overhead"};
	struct subsidy before = s;
	CHECK(subsidy_terminate(&s, 2024, "2022/5", NULL, &E) == KV_INVALID &&
	      strcmp(E.field, "last_year") == 0, "terminate: not at or after the end");
	CHECK(subsidy_terminate(&s, 2019, "2022/5", NULL, &E) == KV_INVALID,
	      "terminate: not before the start");
	CHECK(subsidy_terminate(&s, 2022, "", NULL, &E) == KV_INVALID &&
	      strcmp(E.field, "end_decision") == 0, "terminate: needs its decision");
	struct subsidy rising = po;
	rising.phase_out_pct[0] = 20;
	CHECK(subsidy_terminate(&s, 2022, "2022/5", &rising, &E) == KV_INVALID,
	      "terminate: a rising phase-out is refused");
	CHECK(s.to_year == before.to_year && !s.phase_out, "terminate: refusals change nothing");
	CHECK(subsidy_terminate(&s, 2022, "2022/5", &po, &E) == KV_OK,
	      "terminate after 2022 with a two-year phase-out");
	CHECK(s.to_year == 2022 && strcmp(s.end_decision, "2022/5") == 0,
	      "terminate: ends after 2022 by decision 2022/5");
	/* 2022 full, 2023 60 %, 2024 30 %, 2025 nothing. */
	CHECK(subsidy_amount_in(&s, 2022) == 100000000, "terminate: 2022 paid in full");
	CHECK(subsidy_amount_in(&s, 2023) == 60000000, "terminate: 2023 pays 60 %%");
	CHECK(subsidy_amount_in(&s, 2024) == 30000000, "terminate: 2024 pays 30 %%");
	CHECK(subsidy_amount_in(&s, 2025) == 0, "terminate: 2025 pays nothing");
	CHECK(subsidy_state_in(&s, 2023) == SUBSIDY_PHASING_OUT, "terminate: 2023 is phasing out");
}

int main(void)
{
	if (cal_init(&E) != 0) {
		printf("Bail out! %s\n", E.msg);
		return 1;
	}
	A = arena_new();
	test_contract_names();
	test_contract_check();
	test_contract_term();
	test_contract_changes();
	test_risks();
	test_composite();
	test_indexation();
	test_frame_seed();
	test_frame_bad();
	test_frame_check();
	test_subsidy();
	test_subsidy_terminate();
	test_forms();
	test_kpi_basics();
	test_measurements();
	arena_free(A);
	return tap_done();
}
