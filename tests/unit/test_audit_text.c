/*
 * test_audit_text.c - the audit trail as people read it (core/audit_text.h)
 * and the marks its writer puts on every payload (app/audit_mark.h): who
 * may read which field, the sentences, Dutch times, object paths and the
 * CSV cells, with hostile input.
 */
#include <stdlib.h>
#include <string.h>

#include "app/audit_mark.h"
#include "core/audit_text.h"
#include "tap.h"

static void test_readers(void)
{
	CHECK_STR(audit_reader_code(AUDIT_READ_BUYER_CLOSED), "buyer-closed", "reader code");
	CHECK(audit_reader_of(NULL) == AUDIT_READ_ALL, "no code: everyone");
	CHECK(audit_reader_of("buyer") == AUDIT_READ_BUYER, "buyer");
	CHECK(audit_reader_of("all") == AUDIT_READ_ALL, "all");
	CHECK(audit_reader_of("Buyer") == AUDIT_READ_NONE, "an unknown code reads as none");
	CHECK(audit_reader_of("") == AUDIT_READ_NONE, "an empty code reads as none");
	for (int r = AUDIT_READ_ALL; r <= AUDIT_READ_NONE; r++)
		CHECK((int)audit_reader_of(audit_reader_code((enum audit_reader)r)) == r,
		      "code %d reads back", r);

	struct audit_viewer council = {0}, buyer_open = {.buyer = true},
			    buyer_closed = {.buyer = true, .applications_closed = true},
			    council_closed = {.applications_closed = true};
	CHECK(audit_may_read(AUDIT_READ_ALL, &council), "council reads what is open");
	CHECK(!audit_may_read(AUDIT_READ_BUYER, &council), "council does not read buyers' fields");
	CHECK(audit_may_read(AUDIT_READ_BUYER, &buyer_open), "a buyer reads buyers' fields");
	CHECK(!audit_may_read(AUDIT_READ_BUYER_CLOSED, &buyer_open),
	      "before the application deadline a buyer does not read what it seals");
	CHECK(audit_may_read(AUDIT_READ_BUYER_CLOSED, &buyer_closed), "after it, the buyer does");
	CHECK(!audit_may_read(AUDIT_READ_BUYER_CLOSED, &council_closed), "the council never does");
	CHECK(!audit_may_read(AUDIT_READ_NONE, &buyer_closed), "nobody reads none");
	CHECK(!audit_may_read((enum audit_reader)99, &buyer_closed), "an impossible reader: nobody");
}

static void test_policy(void)
{
	CHECK(audit_action_guarded("application.save"), "application.save is guarded");
	CHECK(audit_action_guarded("question.ask"), "question.ask is guarded");
	CHECK(!audit_action_guarded("stage.move"), "stage.move is open");
	CHECK(!audit_action_guarded(NULL), "no action: not guarded");
	CHECK(audit_policy("application.save", "candidate") == AUDIT_READ_ALL,
	      "who applied is for every reader");
	CHECK(audit_policy("application.save", "answered") == AUDIT_READ_BUYER_CLOSED,
	      "which criteria are answered waits for the deadline");
	CHECK(audit_policy("application.save", "experience") == AUDIT_READ_NONE,
	      "an answer (an older event's field) is nobody's");
	CHECK(audit_policy("question.ask", "text") == AUDIT_READ_NONE, "a question's text: nobody");
	CHECK(audit_policy("question.ask", AUDIT_ACTOR_FIELD) == AUDIT_READ_BUYER,
	      "who asked: the buyers");
	CHECK(audit_policy("question.answer", "answer") == AUDIT_READ_NONE, "a draft: nobody");
	CHECK(audit_policy("question.answer", AUDIT_ACTOR_FIELD) == AUDIT_READ_ALL,
	      "\"*\" does not cover who did it");
	CHECK(audit_policy("dialogue.meeting", "at") == AUDIT_READ_ALL, "when a meeting is: open");
	CHECK(audit_policy("dialogue.meeting", "place_sha256") == AUDIT_READ_BUYER,
	      "where: the buyers");
	CHECK(audit_policy("submission.receive", "file_name") == AUDIT_READ_BUYER,
	      "a bid's file name: the buyers");
	CHECK(audit_policy("submission.receive", "sha256") == AUDIT_READ_ALL, "its digest: open");
	CHECK(audit_policy("stage.move", "start") == AUDIT_READ_ALL, "an open action: open");
	CHECK(audit_policy(NULL, "x") == AUDIT_READ_ALL && audit_policy("x", NULL) == AUDIT_READ_ALL,
	      "NULLs do not crash");
}

static void test_mark(void)
{
	json_t *j = json_pack("{s:s, s:o, s:i}", "lot", "1", "answered", json_array(),
			      "candidate", 5);
	app_audit_mark(j, "application.save", true);
	json_t *read = json_object_get(j, AUDIT_READ_KEY);
	CHECK(json_is_object(read), "the payload carries _read");
	CHECK_STR(json_string_value(json_object_get(read, "answered")), "buyer-closed",
		  "answered: buyer-closed");
	CHECK_STR(json_string_value(json_object_get(read, "lot")), "none",
		  "a field the policy does not name takes the action's \"*\"");
	CHECK(!json_object_get(read, "candidate") && !json_object_get(read, AUDIT_ACTOR_FIELD),
	      "what is open is not listed");
	json_decref(j);

	j = json_pack("{s:i}", "lot", 2);
	app_audit_mark(j, "question.ask", true);
	read = json_object_get(j, AUDIT_READ_KEY);
	CHECK_STR(json_string_value(json_object_get(read, AUDIT_ACTOR_FIELD)), "buyer",
		  "question.ask: who asked is the buyers'");
	CHECK(!json_object_get(read, "lot"), "its lot is open");
	json_decref(j);

	j = json_pack("{s:i, s:{s:s}}", "lot", 2, AUDIT_READ_KEY, "lot", "all");
	app_audit_mark(j, "stage.move", false);
	read = json_object_get(j, AUDIT_READ_KEY);
	CHECK(json_is_object(read) && json_object_size(read) == 0,
	      "an open action gets \"_read\": {}, replacing what the caller put there");
	json_decref(j);
	CHECK(app_audit_mark(NULL, "x", true) == NULL, "NULL stays NULL");
	json_t *arr = json_array();
	CHECK(app_audit_mark(arr, "question.ask", true) == arr && json_array_size(arr) == 0,
	      "a payload that is no object is left alone");
	json_decref(arr);
}

static void test_when(void)
{
	arena *a = arena_new();
	/* 2022-04-01 12:05:30 UTC is 14:05 summer time */
	CHECK_STR(audit_when(a, 1648814730), "1 April 2022, 14:05", "summer time, no seconds");
	/* 2022-01-15 12:00 UTC is 13:00 winter time */
	CHECK_STR(audit_when(a, 1642248000), "15 January 2022, 13:00", "winter time");
	/* the autumn change: 2022-10-30 00:30 UTC is 02:30 CEST, 01:30 UTC 02:30 CET */
	CHECK_STR(audit_when(a, 1667089800), "30 October 2022, 02:30", "the repeated hour, first");
	CHECK_STR(audit_when(a, 1667093400), "30 October 2022, 02:30", "the repeated hour, again");
	CHECK_STR(audit_when(a, 0), "", "no time: empty");
	arena_free(a);
}

static void test_object(void)
{
	struct audit_object o;
	CHECK(audit_object_parse("procedure/3/lot/7", &o) == 1 && o.procedure_id == 3 &&
	      strcmp(o.kind, "lot") == 0 && o.id == 7 && !*o.sub, "procedure/3/lot/7");
	CHECK(audit_object_parse("procedure/3/dialogue/1/candidate/5", &o) == 1 &&
	      strcmp(o.kind, "dialogue") == 0 && o.id == 1 && strcmp(o.sub, "candidate") == 0 &&
	      o.sub_id == 5, "a dialogue round's candidate");
	CHECK(audit_object_parse("procedure/3/question-deadline", &o) == 1 &&
	      strcmp(o.kind, "question-deadline") == 0 && o.id == 0, "a kind without id");
	CHECK(audit_object_parse("procedure/3", &o) == 1 && !*o.kind, "the procedure itself");
	CHECK(audit_object_parse("contract/3", &o) == 0 && o.procedure_id == 0, "not a procedure");
	CHECK(audit_object_parse("procedure/x", &o) == 0, "no number");
	CHECK(audit_object_parse("procedure/-3", &o) == 0, "a negative number");
	CHECK(audit_object_parse("procedure/3/lot/7x", &o) == 1 && o.id == 0,
	      "a bad id under the procedure reads as none");
	CHECK(audit_object_parse("procedure/3/averyveryveryverylongkindname/1", &o) == 1 &&
	      !*o.kind, "a kind too long for its buffer is dropped");
	CHECK(audit_object_parse(NULL, &o) == 0 && audit_object_parse("", &o) == 0, "NULL, empty");
}

static const char *sentence(arena *a, const struct audit_names *n, const char *action,
			    const char *object, const char *who, const struct audit_fact *f,
			    int nf)
{
	struct audit_line l = {.action = action, .object = object, .who = who, .after = f,
			       .n_after = nf};
	return audit_sentence(a, n, &l);
}

static void test_sentences(void)
{
	arena *a = arena_new();
	struct lot lots[] = {{.id = 7, .number = 2, .title = "Jeugd"}, {.id = 8, .number = 3}};
	struct stage stages[] = {{.id = 40, .kind = SK_TENDER_DEADLINE},
				 {.id = 41, .kind = SK_DIALOGUE_ROUND, .round = 2}};
	struct procedure p = {.id = 3, .lots = lots, .n_lots = 2, .stages = stages, .n_stages = 2};
	struct candidate cs[] = {{.id = 5, .name = "Wijkkracht"}};
	struct audit_names n = {.p = &p, .cands = cs, .n_cands = 1};

	struct audit_fact lot2[] = {{"lot", "2"}};
	CHECK_STR(sentence(a, &n, "question.ask", "procedure/3/question/12", "Jan", lot2, 1),
		  "Jan asked question 12 about lot 2 (Jeugd).", "a question about a lot");
	CHECK_STR(sentence(a, &n, "question.ask", "procedure/3/question/12", NULL, lot2, 1),
		  "A candidate asked question 12 about lot 2 (Jeugd).",
		  "who asked, hidden: a candidate");
	struct audit_fact nolot[] = {{"lot", ""}};
	CHECK_STR(sentence(a, &n, "question.ask", "procedure/3/question/12", "Jan", nolot, 1),
		  "Jan asked question 12.", "a question without a lot");
	CHECK_STR(sentence(a, &n, "procedure.create", "procedure/3", "", NULL, 0),
		  "Kavel created the procedure.", "the system is Kavel");
	CHECK_STR(sentence(a, &n, "stage.complete", "procedure/3/stage/40", NULL, NULL, 0),
		  "Someone marked the stage Deadline for tenders as completed.",
		  "a hidden actor elsewhere: someone");
	CHECK_STR(sentence(a, &n, "application.save", "procedure/3/application/5", "Piet", NULL, 0),
		  "Piet saved the application of Wijkkracht.", "the candidate from the object");
	CHECK_STR(sentence(a, &n, "application.save", "procedure/3/application/9", "Piet", NULL, 0),
		  "Piet saved the application of candidate 9.", "an unknown candidate by number");
	struct audit_fact period[] = {{"start", "1648814730"}, {"end", "1648814730"}};
	CHECK_STR(sentence(a, &n, "stage.move", "procedure/3/stage/41", "Jan", period, 2),
		  "Jan moved the stage Dialogue round 2 to 1 April 2022, 14:05.",
		  "a moment: one time");
	struct audit_fact range[] = {{"start", "1642248000"}, {"end", "1648814730"}};
	CHECK_STR(sentence(a, &n, "stage.plan", "procedure/3/stage/41", "Jan", range, 2),
		  "After a change by Jan, the stage Dialogue round 2 is planned for "
		  "15 January 2022, 13:00 to 1 April 2022, 14:05.", "a period");
	struct audit_fact bad[] = {{"start", "soon"}, {"end", "1"}};
	CHECK_STR(sentence(a, &n, "stage.move", "procedure/3/stage/99", "Jan", bad, 2),
		  "Jan moved the stage a stage to no date yet.", "nonsense facts do not crash");
	struct audit_fact mib[] = {{"max_bytes", "268435456"}};
	CHECK_STR(sentence(a, &n, "submission.max", "procedure/3/vault", "Jan", mib, 1),
		  "Jan set the size limit of a bid's files to 256 MB.", "megabytes, not bytes");
	struct audit_fact reg[] = {{"name", "Buurtwerk"}};
	CHECK_STR(sentence(a, &n, "candidate.register", "procedure/3/candidate/6", "", reg, 1),
		  "Buurtwerk registered as a candidate.", "an organisation registers itself");
	struct audit_fact waived[] = {{"state", "waived"}};
	CHECK_STR(sentence(a, &n, "condition.resolve", "procedure/3/decision/1/condition/2", "Jan",
			   waived, 1),
		  "Jan declared a condition of a decision waived.", "a waived condition");
	struct audit_fact price[] = {{"envelope", "price"}, {"lot", "3"}};
	CHECK_STR(sentence(a, &n, "submission.receive", "procedure/3/submission/4", "Bo", price, 2),
		  "Bo handed in a sealed price for lot 3.", "a price for a lot without title");
	CHECK_STR(sentence(a, &n, "award.rules", "procedure/3/lot/7", "Jan", NULL, 0),
		  "Jan set the award rules of lot 2 (Jeugd).", "a lot from the object");
	CHECK_STR(sentence(a, &n, "award.score", "procedure/3/lot/99", "Jan", NULL, 0),
		  "Jan scored the bid of a candidate on a lot.", "unknown lot, hidden candidate");
	CHECK_STR(sentence(a, &n, "dialogue.meeting", "procedure/3/dialogue/2/candidate/5", "Jan",
			   NULL, 0),
		  "Jan planned the meeting with Wijkkracht in dialogue round 2 for a time not shown.",
		  "a meeting whose time the reader may not see");
	CHECK_STR(sentence(a, NULL, "x.unknown", "procedure/3/x/1", "Jan", NULL, 0),
		  "Jan: x.unknown (procedure/3/x/1).", "an unknown action names itself");
	CHECK_STR(sentence(a, NULL, "lot.create", NULL, "Jan", NULL, 0), "Jan added a lot.",
		  "no names, no object: still a sentence");
	struct audit_fact hostile[] = {{"title", "<script>%s%n</script>"}, {"number", "4"}};
	CHECK_STR(sentence(a, &n, "lot.create", "procedure/3/lot/9", "%s%n", hostile, 2),
		  "%s%n added lot 4 (<script>%s%n</script>).",
		  "values are data, never formats (escaping is the template's)");
	arena_free(a);
}

static void test_labels(void)
{
	CHECK_STR(audit_action_label("question.ask"), "Question asked", "a known kind");
	CHECK_STR(audit_action_label("made.up"), "made.up", "an unknown kind as it is");
	CHECK_STR(audit_action_label(NULL), "", "NULL");
}

static const char *csv(arena *a, const char *s, bool last)
{
	sbuf b;
	sbuf_init(&b, a, 1024);
	audit_csv_cell(&b, s, last);
	return sbuf_str(&b);
}

static void test_csv(void)
{
	arena *a = arena_new();
	CHECK_STR(csv(a, "plain", false), "\"plain\",", "a cell is quoted");
	CHECK_STR(csv(a, "last", true), "\"last\"\r\n", "the last ends the row in CRLF");
	CHECK_STR(csv(a, "say \"hi\", \"bye\"", false), "\"say \"\"hi\"\", \"\"bye\"\"\",",
		  "quotes doubled, commas kept");
	CHECK_STR(csv(a, "two\r\nlines", false), "\"two\r\nlines\",", "line breaks inside quotes");
	CHECK_STR(csv(a, NULL, false), "\"\",", "NULL is empty");
	CHECK_STR(csv(a, "=HYPERLINK(\"http://x\")", false), "\"'=HYPERLINK(\"\"http://x\"\")\",",
		  "= is defused");
	CHECK_STR(csv(a, "+1", false), "\"'+1\",", "+ is defused");
	CHECK_STR(csv(a, "-2+3", false), "\"'-2+3\",", "- is defused");
	CHECK_STR(csv(a, "@SUM(A1)", false), "\"'@SUM(A1)\",", "@ is defused");
	CHECK_STR(csv(a, "\tx", false), "\"'\tx\",", "a leading tab is defused");
	CHECK_STR(csv(a, "\rx", false), "\"'\rx\",", "a leading CR is defused");
	CHECK_STR(csv(a, "a=b", false), "\"a=b\",", "= later in the cell is text already");
	sbuf b;
	sbuf_init(&b, a, 8);
	CHECK(audit_csv_cell(&b, "longer than eight", true) == -1, "over the cap: -1");
	arena_free(a);
}

int main(void)
{
	setenv("TZ", "Europe/Amsterdam", 1);
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("1..0 # SKIP %s\n", e.msg);
		return 0;
	}
	test_readers();
	test_policy();
	test_mark();
	test_when();
	test_object();
	test_sentences();
	test_labels();
	test_csv();
	return tap_done();
}
