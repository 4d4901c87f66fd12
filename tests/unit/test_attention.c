/*
 * test_attention.c - unit tests of the attention rules (core/attention.c):
 * days counted as calendar days in Europe/Amsterdam (across midnight and
 * a DST change), overdue stages and the first of them, the horizon to
 * the second, whose deadline a stage's end is, the phase and year of a
 * procedure, the KPI period owed at month, quarter and year boundaries
 * and inside or outside the contract's term, an evaluation due, and the
 * order of a list.
 */
#include <string.h>

#include "core/account.h"
#include "core/attention.h"
#include "tap.h"

static arena *A;

static struct procedure proc_of(enum proc_type t)
{
	struct procedure p;
	memset(&p, 0, sizeof p);
	p.reference = "DOR-2026-ATT";
	p.title = "Aandacht";
	p.type = t;
	snprintf(p.cpv, sizeof p.cpv, "85310000-5");
	p.dialogue_rounds = t == PT_SAS_DIALOGUE ? 2 : 0;
	struct kv_error e;
	if (proc_init(A, &p, &e) != KV_OK)
		printf("# proc_init: %s\n", e.msg);
	return p;
}

static kv_instant at(int y, int mo, int d, int h, int mi)
{
	return cal_local_to_utc((cal_date){y, mo, d}, h, mi, 0);
}

#define DAY ((kv_instant)86400)

static void test_days(void)
{
	kv_instant now = at(2026, 12, 2, 23, 30);
	CHECK(att_day_diff(now, at(2026, 12, 3, 0, 10)) == 1,
	      "40 minutes later, past midnight, is tomorrow: 1 day");
	CHECK(att_day_diff(now, at(2026, 12, 2, 0, 0)) == 0, "earlier the same day: 0");
	CHECK(att_day_diff(now, at(2026, 11, 29, 12, 0)) == -3, "three days back: -3");
	/* The night of 25 October 2026 has 25 hours. */
	CHECK(att_day_diff(at(2026, 10, 24, 12, 0), at(2026, 10, 26, 12, 0)) == 2,
	      "across the autumn DST change: 2 days, not 49 hours' worth");
	CHECK(att_days_to_date(now, (cal_date){2027, 1, 1}) == 30, "to 1 January: 30 days");
}

static void test_late_and_horizon(void)
{
	struct procedure p = proc_of(PT_OPEN);
	kv_instant now = at(2026, 12, 2, 12, 0);
	int first;
	CHECK(att_late_stages(&p, now, &first) == 0 && first == -1,
	      "nothing planned: nothing overdue");
	for (int i = 0; i < p.n_stages; i++)
		p.stages[i].start = p.stages[i].end = now + (i - 2) * 10 * DAY;
	/* stages 0 and 1 lie in the past */
	CHECK(att_late_stages(&p, now, &first) == 2 && first == 0,
	      "two stages past their end: the first is stage 0");
	p.stages[0].status = STAGE_COMPLETED;
	CHECK(att_late_stages(&p, now, &first) == 1 && first == 1,
	      "a completed stage is not overdue");
	p.stages[1].end = now;
	CHECK(att_late_stages(&p, now, &first) == 0, "a stage ending this second is not late yet");
	CHECK(!att_within_horizon(now, now), "now itself is not ahead");
	CHECK(att_within_horizon(now, now + 1), "a second ahead is within the horizon");
	CHECK(att_within_horizon(now, now + ATT_HORIZON_DAYS * DAY), "the horizon's last second");
	CHECK(!att_within_horizon(now, now + ATT_HORIZON_DAYS * DAY + 1), "one past it is not");
	CHECK(!att_within_horizon(now, 0), "no date is not within it");
	CHECK(att_deadline_roles(SK_TENDER_DEADLINE) & ROLE_BIDDER, "a bidder meets the tender deadline");
	CHECK(!(att_deadline_roles(SK_EVALUATION) & ROLE_BIDDER), "but not the evaluation's end");
	CHECK(att_deadline_roles(SK_EVALUATION) & ROLE_ASSESSOR, "an assessor meets the evaluation's end");
	CHECK(!(att_deadline_roles(SK_TENDER_DEADLINE) & ROLE_ASSESSOR), "not the tender deadline");
	CHECK((att_deadline_roles(SK_CONTRACT_START) & (ROLE_BUYER | ROLE_COUNCIL)) ==
		      (ROLE_BUYER | ROLE_COUNCIL) &&
	      !(att_deadline_roles(SK_CONTRACT_START) & (ROLE_BIDDER | ROLE_ASSESSOR)),
	      "buyers and council members every end, the others not the contract's start");
}

static void test_phase_year(void)
{
	struct procedure p = proc_of(PT_SAS_DIALOGUE);
	CHECK(att_phase(&p) == PHASE_PREPARATION, "nothing done: preparation");
	CHECK_STR(att_phase_code(att_phase(&p)), "preparation", "its code");
	CHECK(att_phase_from_code("award") == PHASE_AWARD && att_phase_from_code("nope") == -1 &&
	      att_phase_from_code(NULL) == -1, "codes read back; unknown ones are -1");
	enum stage_kind upto[] = {SK_SELECTION, SK_DIALOGUE_ROUND, SK_TENDER_DEADLINE,
				  SK_EVALUATION, SK_STANDSTILL, SK_CONTRACT_START};
	enum proc_phase want[] = {PHASE_SELECTION, PHASE_DIALOGUE, PHASE_TENDER,
				  PHASE_EVALUATION, PHASE_AWARD, PHASE_AWARDED};
	for (size_t k = 0; k < sizeof upto / sizeof *upto; k++) {
		for (int i = 0; i < p.n_stages; i++)
			p.stages[i].status = p.stages[i].kind < upto[k] ? STAGE_COMPLETED : STAGE_PLANNED;
		CHECK(att_phase(&p) == want[k], "first open stage %s: phase %s",
		      stage_kind_code(upto[k]), att_phase_code(want[k]));
	}
	for (int i = 0; i < p.n_stages; i++)
		p.stages[i].status = STAGE_COMPLETED;
	CHECK(att_phase(&p) == PHASE_DONE, "every stage completed: done");
	p.created_at = at(2026, 3, 1, 12, 0);
	CHECK(att_year(&p) == 2026, "undated: the year it was created");
	p.stages[1].end = at(2022, 12, 31, 23, 30);   /* 22:30 UTC */
	CHECK(att_year(&p) == 2022, "its first dated stage's year");
	p.stages[0].start = at(2023, 1, 1, 0, 30);    /* still 2022 in UTC */
	CHECK(att_year(&p) == 2023, "in local time: 00:30 on 1 January is the new year");
}

static void test_kpi_evaluation(void)
{
	cal_date start = {2022, 7, 1}, end = {2030, 1, 1};
	char per[8];
	CHECK(att_kpi_period_owed(KPI_MONTHLY, start, end, (cal_date){2026, 12, 2}, per) &&
	      strcmp(per, "2026-11") == 0, "monthly on 2 December: November");
	CHECK(att_kpi_period_owed(KPI_MONTHLY, start, end, (cal_date){2027, 1, 1}, per) &&
	      strcmp(per, "2026-12") == 0, "monthly on 1 January: last December");
	CHECK(att_kpi_period_owed(KPI_QUARTERLY, start, end, (cal_date){2026, 12, 2}, per) &&
	      strcmp(per, "2026-Q3") == 0, "quarterly in Q4: Q3");
	CHECK(att_kpi_period_owed(KPI_QUARTERLY, start, end, (cal_date){2027, 2, 10}, per) &&
	      strcmp(per, "2026-Q4") == 0, "quarterly in Q1: last year's Q4");
	CHECK(att_kpi_period_owed(KPI_YEARLY, start, end, (cal_date){2026, 12, 2}, per) &&
	      strcmp(per, "2025") == 0, "yearly: last year");
	CHECK(!att_kpi_period_owed(KPI_MONTHLY, start, end, (cal_date){2022, 7, 20}, per),
	      "in the contract's first month nothing is owed yet");
	CHECK(att_kpi_period_owed(KPI_YEARLY, start, end, (cal_date){2023, 1, 5}, per) &&
	      strcmp(per, "2022") == 0, "the first half year is owed once it is over");
	CHECK(att_kpi_period_owed(KPI_MONTHLY, start, end, (cal_date){2030, 1, 3}, per) &&
	      strcmp(per, "2029-12") == 0, "the last month is owed after the end");
	CHECK(!att_kpi_period_owed(KPI_MONTHLY, start, end, (cal_date){2030, 3, 3}, per),
	      "a month after the end is not");
	CHECK(att_evaluation_due((cal_date){2026, 12, 16}, (cal_date){2026, 12, 2}),
	      "an evaluation 14 days ahead is due");
	CHECK(!att_evaluation_due((cal_date){2026, 12, 17}, (cal_date){2026, 12, 2}),
	      "15 days ahead is not yet");
	CHECK(att_evaluation_due((cal_date){2025, 7, 1}, (cal_date){2026, 12, 2}),
	      "a passed one stays due");
}

static void test_sort_kinds(void)
{
	struct att_item it[5] = {
		{.kind = ATT_QUESTION, .procedure_id = 2},
		{.kind = ATT_DEADLINE, .dated = true, .days = 5, .due = 500},
		{.kind = ATT_LATE, .dated = true, .days = -30, .due = 100},
		{.kind = ATT_CONDITION, .procedure_id = 1},
		{.kind = ATT_DEADLINE, .dated = true, .days = 5, .due = 400},
	};
	att_sort(it, 5);
	CHECK(it[0].kind == ATT_LATE, "the most overdue first");
	CHECK(it[1].due == 400 && it[2].due == 500, "then by how soon, the same day by the moment");
	CHECK(it[3].kind == ATT_QUESTION && it[4].kind == ATT_CONDITION,
	      "the undated last, by kind");
	for (int k = 0; k < ATT__COUNT; k++)
		CHECK(att_kind_from_code(att_kind_code(k)) == k && *att_kind_label(k),
		      "kind %s reads back and has a label", att_kind_code(k));
	CHECK(att_kind_from_code("x") == -1 && att_kind_from_code(NULL) == -1, "unknown kinds: -1");
}

int main(void)
{
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("Bail out! cal_init: %s\n", e.msg);
		return 1;
	}
	A = arena_new();
	test_days();
	test_late_and_horizon();
	test_phase_year();
	test_kpi_evaluation();
	test_sort_kinds();
	arena_free(A);
	return tap_done();
}
