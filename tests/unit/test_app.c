/*
 * test_app.c - actions end to end on a real SQLite file: a contract made
 * from an awarded lot takes the winning consortium as its parties, and is
 * refused before the definitive award; every action leaves an audit event
 * and the chain verifies.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "tap.h"
#include "store/store.h"

int main(void)
{
	struct kv_error e = {0};
	if (cal_init(&e) != 0) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	char path[] = "/tmp/kavel-test-app-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	struct store *st = store_sqlite_open(path, &e);
	CHECK(st != NULL, "open a new database: %s", e.msg);
	if (!st)
		return tap_done();
	arena *a = arena_new();
	struct app x = {.st = st, .a = a, .now = time(NULL), .actor = 0};

	struct org gem = {.name = "Gemeente Test", .kvk = "91000001", .kind = ORG_MUNICIPALITY};
	CHECK(app_org_create(&x, &gem, &e) == KV_OK, "municipality: %s", e.msg);
	struct lot lot = {.number = 1, .title = "Wijkteam", .value_cents = 100000000, .fixed_budget = true};
	struct procedure p = {.tenant_id = gem.id, .reference = "T-1", .title = "Test",
			      .type = PT_PRIVATE_SINGLE, .cpv = "85310000-5",
			      .value_cents = 100000000, .lots = &lot, .n_lots = 1};
	CHECK(app_procedure_create(&x, &p, &e) == KV_OK, "procedure: %s", e.msg);
	struct party parties[2] = {
		{.kvk = "91000011", .org_name = "Penvoerder Test", .role = PARTY_PENVOERDER},
		{.kvk = "91000012", .org_name = "Lid Test", .role = PARTY_MEMBER},
	};
	struct candidate c = {.procedure_id = p.id, .name = "Consortium Test", .consortium = true,
			      .parties = parties, .n_parties = 2};
	CHECK(app_candidate_add(&x, &c, &e) == KV_OK, "candidate: %s", e.msg);

	struct contract k = {.reference = "T-C-1", .start = {2027, 1, 1}, .end = {2031, 1, 1},
			     .evaluation_years = {2}, .n_evaluations = 1,
			     .wage_weight_bp = 10000, .base_year = 2027};
	struct procedure loaded;
	CHECK(STORE(st, procedure_get, p.id, a, &loaded, &e) == KV_OK, "reload the procedure");
	int64_t lot_id = loaded.lots[0].id;
	CHECK(app_contract_from_award(&x, p.id, lot_id, c.id, &k, &e) == KV_DENIED,
	      "no contract before the definitive award: %s", e.msg);

	/* The award, as the state machine would record it. */
	for (int i = 0; i < loaded.n_stages; i++) {
		loaded.stages[i].status = STAGE_COMPLETED;
		loaded.stages[i].start = loaded.stages[i].end = x.now - 86400;
		loaded.stages[i].completed_at = x.now - 86400;
		CHECK(STORE(st, stage_update, p.id, &loaded.stages[i], &e) == KV_OK, "stage %d recorded", i);
	}
	struct contract k2 = {.reference = "T-C-1", .start = {2027, 1, 1}, .end = {2031, 1, 1},
			      .evaluation_years = {2}, .n_evaluations = 1,
			      .wage_weight_bp = 10000, .base_year = 2027};
	CHECK(app_contract_from_award(&x, p.id, lot_id, 999999, &k2, &e) == KV_NOT_FOUND,
	      "an unknown candidate is refused");
	CHECK(app_contract_from_award(&x, p.id, lot_id, c.id, &k2, &e) == KV_OK,
	      "a contract from the awarded lot: %s", e.msg);
	struct contract got;
	CHECK(STORE(st, contract_get, k2.id, a, &got, &e) == KV_OK, "read it back");
	CHECK(got.procedure_id == p.id && got.lot_id == lot_id, "it points at the procedure and lot");
	CHECK(got.n_parties == 2 && got.parties[0].role == PARTY_PENVOERDER &&
	      strcmp(got.parties[0].kvk, "91000011") == 0, "its parties are the winner's");
	CHECK_STR(got.title, "Wijkteam", "its title is the lot's");
	CHECK(got.budget_cents == 100000000, "its budget is the lot's fixed budget");

	struct audit_verify_result res = {0};
	CHECK(STORE(st, audit_verify, NULL, 0, NULL, NULL, &res, &e) == KV_OK && res.first_bad == 0 &&
	      res.checked == 4, "the audit chain verifies (%lld events)", (long long)res.checked);

	/* Questions and answers: the deadline to the second, a lot of the
	 * procedure only, publishing into numbered notas. */
	struct account bidder = {.org_id = c.parties[0].org_id,
				 .email = "bieder@test.example", .name = "Bieder Test"};
	CHECK(app_account_create(&x, &bidder, "bieder-wachtwoord-1", &e) == KV_OK,
	      "a bidder's account: %s", e.msg);
	struct question q = {.procedure_id = p.id, .candidate_id = c.id,
			     .account_id = bidder.id, .text = "Vraag\nover twee regels?"};
	CHECK(app_question_ask(&x, &q, &e) == KV_DENIED,
	      "without a question deadline, questions closed with the passed tender deadline: %s", e.msg);
	kv_instant t0 = x.now;
	CHECK(app_question_deadline_set(&x, p.id, t0, &e) == KV_INVALID,
	      "a question deadline must lie in the future");
	CHECK(app_question_deadline_set(&x, p.id, t0 + 100, &e) == KV_OK,
	      "the buyer sets a question deadline: %s", e.msg);
	x.now = t0 + 100;
	CHECK(app_question_ask(&x, &q, &e) == KV_OK && q.id > 0 && q.asked_at == t0 + 100,
	      "a question at the deadline's very second is taken: %s", e.msg);
	struct question q2 = {.procedure_id = p.id, .candidate_id = c.id, .lot_id = 999999,
			       .account_id = bidder.id, .text = "Over een ander perceel?"};
	CHECK(app_question_ask(&x, &q2, &e) == KV_INVALID && strcmp(e.field, "lot_id") == 0,
	      "a lot of no procedure is refused");
	q2.lot_id = lot_id;
	q2.text = "";
	CHECK(app_question_ask(&x, &q2, &e) == KV_INVALID, "an empty question is refused");
	q2.text = "Over perceel 1?";
	CHECK(app_question_ask(&x, &q2, &e) == KV_OK, "a question about lot 1: %s", e.msg);
	x.now = t0 + 101;
	struct question late = q2;
	CHECK(app_question_ask(&x, &late, &e) == KV_DENIED,
	      "one second after the deadline a question is refused: %s", e.msg);
	struct nota nt;
	CHECK(app_nota_publish(&x, p.id, &nt, &e) == KV_DENIED, "nothing answered: nothing to publish");
	CHECK(app_question_answer(&x, p.id, q.id, "Ja.", &e) == KV_OK, "the buyer answers: %s", e.msg);
	CHECK(app_question_answer(&x, p.id, 999999, "Ja.", &e) == KV_NOT_FOUND,
	      "an unknown question cannot be answered");
	CHECK(app_nota_publish(&x, p.id, &nt, &e) == KV_OK && nt.number == 1 &&
	      nt.n_questions == 1 && nt.published_at == t0 + 101,
	      "nota 1 holds the answered question: %s", e.msg);
	CHECK(app_question_answer(&x, p.id, q.id, "Nee.", &e) == KV_DENIED,
	      "a published answer cannot change");
	struct question *qs;
	int nq = 0;
	CHECK(STORE(st, question_list, p.id, 0, a, &qs, &nq, &e) == KV_OK && nq == 2 &&
	      qs[0].nota_number == 1 && qs[1].nota_number == 0 && !qs[1].answer,
	      "the unanswered question waits for a later nota");
	struct audit_row *rows;
	int nr = 0;
	CHECK(STORE(st, audit_list, gem.id, arena_printf(a, "procedure/%lld", (long long)p.id), 100, a, &rows, &nr, &e) == KV_OK,
	      "the audit trail reads");
	const char *pub = NULL;
	for (int i = 0; i < nr; i++)
		if (strcmp(rows[i].ev.action, "nota.publish") == 0)
			pub = rows[i].ev.after;
	CHECK(pub && strstr(pub, "\"number\":1") &&
	      strstr(pub, arena_printf(a, "\"questions\":[%lld]", (long long)q.id)),
	      "the publishing is audited with the number and question ids: %s", pub ? pub : "");
	CHECK(STORE(st, audit_verify, NULL, 0, NULL, NULL, &res, &e) == KV_OK && res.first_bad == 0 &&
	      res.checked == 10, "the audit chain still verifies (%lld events)", (long long)res.checked);

	/* The equated-days memo is stamped with the counter read before the
	 * request's first read (x.gen), not with the counter when it read:
	 * a request whose snapshot predates a commit may read old days, and
	 * they must not be handed to later requests as current. */
	struct app old_snapshot = x;
	old_snapshot.gen = app_generation();
	app_note_change();                    /* a commit after its snapshot */
	cal_calendar cal1;
	CHECK(app_calendar(&old_snapshot, gem.id, &cal1, &e) == KV_OK, "calendar read: %s", e.msg);
	struct cal_equated_day extra = {.date = {2031, 5, 30}, .name = "Testdag",
					.source = "test_app.c"};
	/* Written behind the memo's back, as the commit the old snapshot did
	 * not see: a later request must read it. */
	CHECK(STORE(st, equated_add, gem.id, &extra, &e) == KV_OK, "add an equated day: %s", e.msg);
	struct app later = x;
	later.gen = app_generation();
	cal_calendar cal2;
	CHECK(app_calendar(&later, gem.id, &cal2, &e) == KV_OK, "calendar read again: %s", e.msg);
	CHECK(cal2.n_equated == cal1.n_equated + 1,
	      "a memo filled by an older snapshot is not used (%zu then %zu days)",
	      cal1.n_equated, cal2.n_equated);
	cal_calendar cal3;
	CHECK(app_calendar(&later, gem.id, &cal3, &e) == KV_OK && cal3.n_equated == cal2.n_equated,
	      "a memo stamped before its read is used while nothing changed");

	arena_free(a);
	store_close(st);
	unlink(path);
	char side[64];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return tap_done();
}
