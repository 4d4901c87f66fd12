/*
 * test_dialogue.c - unit tests of the dialogue rules (dialogue.c): rounds
 * from the stage template, the plan deadline to the second, the buyer's
 * own deadline inside the round, meetings inside the round, minutes only
 * after the meeting began, feedback only after the plans are due, the
 * document check by content (not by name) and who sees what.
 *
 * Messages are English: the test runs in the C locale.
 */
#include <string.h>

#include "core/account.h"
#include "core/dialogue.h"
#include "core/validate.h"
#include "tap.h"

static arena *A;

static bool has(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

static struct procedure proc_of(enum proc_type t, int rounds)
{
	struct procedure p;
	memset(&p, 0, sizeof p);
	p.reference = "DOR-2022-SWT";
	p.title = "Sociale wijkteams";
	p.type = t;
	strcpy(p.cpv, "85310000-5");
	p.dialogue_rounds = rounds;
	struct kv_error e;
	if (proc_init(A, &p, &e) != KV_OK)
		printf("# proc_init: %s\n", e.msg);
	return p;
}

/* 1 May 2022 10:00 UTC and friends. */
#define T0 ((kv_instant)1651399200)
#define HOUR 3600

static struct stage *round_stage(struct procedure *p, int n)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == SK_DIALOGUE_ROUND &&
		    p->stages[i].round == n)
			return &p->stages[i];
	return NULL;
}

static void test_rounds(void)
{
	struct kv_error e;
	struct dlg_round rd;
	struct procedure p = proc_of(PT_SAS_DIALOGUE, 3);
	CHECK(dlg_round_count(&p) == 3, "SAS with dialogue, 3 rounds: 3");
	struct procedure o = proc_of(PT_OPEN, 0);
	CHECK(dlg_round_count(&o) == 0, "an open procedure has none");
	CHECK(dlg_round_get(&o, 1, 0, &rd, &e) == KV_NOT_FOUND &&
	      has(e.msg, "no dialogue rounds"), "round 1 of an open procedure");
	CHECK(dlg_round_get(&p, 4, 0, &rd, &e) == KV_NOT_FOUND &&
	      has(e.msg, "no dialogue round 4; it has 3"), "round 4 of 3: %s",
	      e.msg);
	CHECK(dlg_round_get(&p, 0, 0, &rd, &e) == KV_NOT_FOUND, "round 0");
	round_stage(&p, 2)->start = T0;
	round_stage(&p, 2)->end = T0 + 10 * HOUR;
	CHECK(dlg_round_get(&p, 2, 0, &rd, &e) == KV_OK && rd.number == 2 &&
	      rd.start == T0 && rd.end == T0 + 10 * HOUR &&
	      rd.plan_due == rd.end && !rd.own_due && !rd.completed,
	      "round 2's period is its stage's; plans due at its end");
	CHECK(dlg_round_get(&p, 2, T0 + HOUR, &rd, &e) == KV_OK &&
	      rd.plan_due == T0 + HOUR && rd.own_due,
	      "the buyer's own plan deadline wins");
	CHECK(dlg_round_get(&p, 2, T0 + 11 * HOUR, &rd, &e) == KV_OK &&
	      rd.plan_due == T0 + 10 * HOUR && rd.own_due,
	      "but never after the round's end (a round moved earlier)");
	CHECK(dlg_round_get(&p, 2, T0 - HOUR, &rd, &e) == KV_OK &&
	      rd.plan_due == T0 + 10 * HOUR && !rd.own_due,
	      "and void before the round's start (a round moved later)");
	round_stage(&p, 2)->status = STAGE_COMPLETED;
	CHECK(dlg_round_get(&p, 2, 0, &rd, &e) == KV_OK && rd.completed,
	      "a completed stage is a completed round");
}

static struct dlg_round planned(void)
{
	return (struct dlg_round){.number = 1, .start = T0,
				  .end = T0 + 10 * HOUR,
				  .plan_due = T0 + 4 * HOUR, .own_due = true};
}

static void test_plan(void)
{
	struct kv_error e;
	struct dlg_round r = planned();
	CHECK(dlg_plan_check(&r, T0 - HOUR, A, &e) == KV_OK,
	      "a plan before the round starts is taken");
	CHECK(dlg_plan_check(&r, r.plan_due, A, &e) == KV_OK,
	      "a plan at the deadline's second is taken");
	CHECK(dlg_plan_check(&r, r.plan_due + 1, A, &e) == KV_DENIED &&
	      has(e.msg, "were due at"), "a plan one second late is refused");
	struct dlg_round u = {.number = 2};
	CHECK(dlg_plan_check(&u, T0, A, &e) == KV_DENIED &&
	      has(e.msg, "not planned"), "an unplanned round takes no plan");
	struct dlg_round c = planned();
	c.completed = true;
	CHECK(dlg_plan_check(&c, T0, A, &e) == KV_DENIED &&
	      has(e.msg, "completed"), "a completed round takes no plan");
}

static void test_due(void)
{
	struct kv_error e;
	struct dlg_round r = planned();
	r.plan_due = r.end;
	r.own_due = false;
	CHECK(dlg_due_check(&r, T0 + 2 * HOUR, T0, A, &e) == KV_OK,
	      "a deadline inside the round and ahead");
	CHECK(dlg_due_check(&r, T0 + 10 * HOUR, T0, A, &e) == KV_OK,
	      "the round's end itself");
	CHECK(dlg_due_check(&r, T0 + 10 * HOUR + 1, T0, A, &e) == KV_INVALID &&
	      !strcmp(e.field, "plan_due"), "after the round: refused");
	CHECK(dlg_due_check(&r, T0 - 1, T0 - HOUR, A, &e) == KV_INVALID,
	      "before the round: refused");
	CHECK(dlg_due_check(&r, T0 + HOUR, T0 + 2 * HOUR, A, &e) == KV_INVALID &&
	      has(e.msg, "future"), "in the past: refused");
	struct dlg_round d = planned();   /* plans due at T0 + 4h */
	CHECK(dlg_due_check(&d, T0 + 8 * HOUR, T0 + 5 * HOUR, A, &e) ==
		      KV_DENIED && has(e.msg, "cannot move"),
	      "a passed plan deadline cannot move later");
}

static void test_meeting_minutes_feedback(void)
{
	struct kv_error e;
	struct dlg_round r = planned();
	CHECK(dlg_meeting_check(&r, T0 + 5 * HOUR, "Stadskantoor, kamer 3",
				A, &e) == KV_OK, "a meeting inside the round");
	CHECK(dlg_meeting_check(&r, T0 + 11 * HOUR, "Stadskantoor", A, &e) ==
		      KV_INVALID && !strcmp(e.field, "at"),
	      "a meeting after the round: refused");
	CHECK(dlg_meeting_check(&r, T0 + 5 * HOUR, "", A, &e) == KV_INVALID &&
	      !strcmp(e.field, "place"), "a meeting without a place: refused");
	CHECK(dlg_meeting_check(&r, T0 + 5 * HOUR, "a\nb", A, &e) ==
		      KV_INVALID, "a place of two lines: refused");
	CHECK(dlg_minutes_check(0, T0, A, &e) == KV_DENIED &&
	      has(e.msg, "Plan the meeting"), "no minutes without a meeting");
	CHECK(dlg_minutes_check(T0 + 5 * HOUR, T0 + 5 * HOUR - 1, A, &e) ==
		      KV_DENIED, "no minutes a second before it begins");
	CHECK(dlg_minutes_check(T0 + 5 * HOUR, T0 + 5 * HOUR, A, &e) == KV_OK,
	      "minutes once it has begun");
	CHECK(dlg_feedback_publish_check(&r, r.plan_due, A, &e) == KV_DENIED &&
	      has(e.msg, "still change its plan"),
	      "feedback at the plan deadline's second: refused");
	CHECK(dlg_feedback_publish_check(&r, r.plan_due + 1, A, &e) == KV_OK,
	      "feedback a second after it");
}

static void test_documents(void)
{
	struct kv_error e;
	const char *t = NULL;
	const unsigned char pdf[] = "%PDF-1.7 plan";
	const unsigned char docx[] = "PK\x03\x04" "word/document.xml";
	const unsigned char exe[] = "MZ\x90\x00 this is no pdf";
	CHECK(dlg_document_check("plan.pdf", pdf, 13, 1024, &t, &e) == KV_OK &&
	      !strcmp(t, "application/pdf"), "a PDF is taken");
	CHECK(dlg_document_check("plan.docx", docx, 21, 1024, &t, &e) ==
		      KV_OK && !strcmp(t, "application/zip"),
	      "an office document (ZIP container) is taken");
	CHECK(dlg_document_check("plan.pdf", exe, 20, 1024, &t, &e) ==
		      KV_INVALID && has(e.msg, "is a program") && !t,
	      "an executable named .pdf is refused as a program");
	CHECK(dlg_document_check("plan.docx", pdf, 13, 1024, &t, &e) == KV_INVALID &&
	      has(e.msg, "DOCX") && has(e.msg, "a PDF") && !t,
	      "a PDF named .docx is refused naming both");
	CHECK(dlg_document_check("plan", pdf, 13, 1024, &t, &e) == KV_OK &&
	      !strcmp(t, "application/pdf"), "without an extension the type comes from the content");
	CHECK(dlg_document_check("plan.pdf", pdf, 0, 1024, &t, &e) ==
		      KV_INVALID && has(e.msg, "empty"), "an empty document");
	CHECK(dlg_document_check("plan.pdf", pdf, 2048, 1024, &t, &e) ==
		      KV_INVALID && has(e.msg, "at most 1 KiB"),
	      "a document over the limit: %s", e.msg);
	CHECK(dlg_document_check("../plan.pdf", pdf, 13, 1024, &t, &e) ==
		      KV_INVALID && !strcmp(e.field, "name"),
	      "a name with a directory part");
	CHECK(dlg_document_check("", pdf, 13, 1024, &t, &e) == KV_INVALID,
	      "no name");
	CHECK(!strcmp(file_sniff((const unsigned char *)"%PDF", 4),
		      "application/octet-stream"),
	      "four bytes of a PDF header are not a PDF");
}

static void test_views(void)
{
	CHECK(dlg_view_of(ROLE_BUYER) == DLG_VIEW_ALL, "buyer: all");
	CHECK(dlg_view_of(ROLE_ASSESSOR) == DLG_VIEW_ALL, "assessor: all");
	CHECK(dlg_view_of(ROLE_BIDDER) == DLG_VIEW_OWN, "bidder: own");
	CHECK(dlg_view_of(ROLE_COUNCIL) == DLG_VIEW_COURSE, "council: course");
	CHECK(dlg_view_of(ROLE_REPORTER) == DLG_VIEW_NONE, "reporter: none");
	CHECK(dlg_view_of(0) == DLG_VIEW_NONE, "no role: none");
	CHECK(dlg_may_read(DLG_VIEW_ALL, 0, 5), "all reads any candidate's");
	CHECK(dlg_may_read(DLG_VIEW_OWN, 5, 5), "a bidder reads its own");
	CHECK(!dlg_may_read(DLG_VIEW_OWN, 5, 6),
	      "a bidder never reads another candidate's");
	CHECK(!dlg_may_read(DLG_VIEW_OWN, 0, 0), "a bidder without candidate");
	CHECK(!dlg_may_read(DLG_VIEW_COURSE, 0, 5), "council reads no content");
}

int main(void)
{
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("Bail out! cal_init: %s\n", e.msg);
		return 1;
	}
	A = arena_new();
	test_rounds();
	test_plan();
	test_due();
	test_meeting_minutes_feedback();
	test_documents();
	test_views();
	arena_free(A);
	return tap_done();
}
