/*
 * test_procedure.c - unit tests of procedure.c and account.c: codes and
 * labels, the stage template of every procedure type, the checks of a
 * procedure, a lot, a candidate and a decision, every refusal of the stage
 * state machine, a full SAS-with-dialogue lifecycle on a fake clock
 * (provisional award -> computed standstill -> definitive award), a
 * Haarlem-style decision whose pending works-council condition holds a
 * stage back, and the roles grants give.
 */
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "core/procedure.h"
#include "core/validate.h"
#include "tap.h"

static arena *A;
static cal_calendar CAL;
static struct kv_error E;

#define EUR(x) ((int64_t)(x) * 100)

static kv_instant T(int y, int m, int d, int h, int mi)
{
	return cal_local_to_utc((cal_date){y, m, d}, h, mi, 0);
}

static bool has(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

static struct procedure new_proc(enum proc_type t, int rounds)
{
	struct procedure p;
	memset(&p, 0, sizeof p);
	p.id = 7;
	p.tenant_id = 1;
	p.reference = "DOR-2022-SWT";
	p.title = "Sociale wijkteams Dordrecht";
	p.type = t;
	strcpy(p.cpv, "85310000-5");
	p.value_cents = EUR(9000000);
	p.dialogue_rounds = rounds;
	return p;
}

/* --- names ------------------------------------------------------------- */

static void test_names(void)
{
	static const char *const types[PT__COUNT] = {
		"sas-dialogue", "sas-open", "open", "restricted",
		"competitive-dialogue", "negotiated", "private-single",
		"private-multiple"};
	for (int t = 0; t < PT__COUNT; t++) {
		CHECK_STR(proc_type_code(t), types[t], "type code %d", t);
		CHECK(proc_type_from_code(types[t]) == t,
		      "type %s round-trips", types[t]);
		CHECK(proc_type_label(t)[0] != 0, "type %s has a label",
		      types[t]);
	}
	CHECK(has(proc_type_label(PT_SAS_DIALOGUE), "art. 2.38 Aw 2012"),
	      "SAS label cites art. 2.38");

	static const char *const kinds[SK__COUNT] = {
		"pre-announcement", "registration", "document-issued",
		"application-deadline", "selection", "dialogue-round",
		"tender-deadline", "evaluation", "provisional-award",
		"standstill", "definitive-award", "contract-start"};
	for (int k = 0; k < SK__COUNT; k++) {
		CHECK_STR(stage_kind_code(k), kinds[k], "stage code %d", k);
		CHECK(stage_kind_from_code(kinds[k]) == k,
		      "stage %s round-trips", kinds[k]);
		CHECK(stage_kind_label(k)[0] != 0, "stage %s has a label",
		      kinds[k]);
		CHECK(!stage_is_deadline(k) || stage_is_moment(k),
		      "stage %s: a deadline is a moment", kinds[k]);
	}
	CHECK(stage_is_deadline(SK_APPLICATION_DEADLINE) &&
	      stage_is_deadline(SK_TENDER_DEADLINE) &&
	      !stage_is_deadline(SK_PROVISIONAL_AWARD),
	      "the two deadlines are deadlines");
	CHECK(!stage_is_moment(SK_STANDSTILL) &&
	      !stage_is_moment(SK_DIALOGUE_ROUND) &&
	      stage_is_moment(SK_DEFINITIVE_AWARD),
	      "periods and moments");

	static const char *const roles[] = {"penvoerder", "member",
					    "subcontractor"};
	for (int r = 0; r < 3; r++) {
		CHECK_STR(party_role_code(r), roles[r], "party role %d", r);
		CHECK(party_role_from_code(roles[r]) == r, "party %s",
		      roles[r]);
	}
	static const char *const states[] = {"pending", "met", "waived"};
	for (int s = 0; s < 3; s++) {
		CHECK_STR(condition_state_code(s), states[s], "state %d", s);
		CHECK(condition_state_from_code(states[s]) == s, "state %s",
		      states[s]);
	}

	CHECK(proc_type_from_code("openbaar") == -1 &&
	      proc_type_from_code(NULL) == -1 &&
	      stage_kind_from_code("award") == -1 &&
	      stage_kind_from_code(NULL) == -1 &&
	      party_role_from_code("lead") == -1 &&
	      condition_state_from_code("") == -1,
	      "unknown codes give -1");
	CHECK_STR(proc_type_code(PT__COUNT), "", "out-of-range type code");
	CHECK_STR(stage_kind_code(SK__COUNT), "", "out-of-range stage code");

	/* account.c */
	static const struct {
		enum role r;
		const char *code;
	} rc[] = {{ROLE_BUYER, "buyer"}, {ROLE_ASSESSOR, "assessor"},
		  {ROLE_BIDDER, "bidder"}, {ROLE_COUNCIL, "council"}};
	for (int i = 0; i < 4; i++) {
		CHECK_STR(role_code(rc[i].r), rc[i].code, "role code %s",
			  rc[i].code);
		CHECK(role_from_code(rc[i].code) == (int)rc[i].r,
		      "role %s round-trips", rc[i].code);
	}
	CHECK(role_from_code("admin") == -1 && role_from_code(NULL) == -1,
	      "unknown role gives -1");
	CHECK_STR(org_kind_code(ORG_MUNICIPALITY), "municipality", "org kind");
	CHECK_STR(org_kind_code(ORG_SUPPLIER), "supplier", "org kind");
	CHECK(org_kind_from_code("municipality") == ORG_MUNICIPALITY &&
	      org_kind_from_code("supplier") == ORG_SUPPLIER &&
	      org_kind_from_code("province") == -1,
	      "org kinds round-trip");
}

static void test_roles(void)
{
	const struct grant g[] = {
		{.account_id = 1, .tenant_id = 1, .procedure_id = 0,
		 .role = ROLE_BUYER},
		{.account_id = 1, .tenant_id = 1, .procedure_id = 5,
		 .role = ROLE_ASSESSOR},
		{.account_id = 1, .tenant_id = 2, .procedure_id = 0,
		 .role = ROLE_COUNCIL},
		{.account_id = 1, .tenant_id = 1, .procedure_id = 6,
		 .role = ROLE_BIDDER, .candidate_id = 3},
		/* a bidder grant without a procedure gives nothing */
		{.account_id = 1, .tenant_id = 3, .procedure_id = 0,
		 .role = ROLE_BIDDER, .candidate_id = 4},
	};
	int n = (int)(sizeof g / sizeof g[0]);
	CHECK(role_on_procedure(g, n, 1, 5) == (ROLE_BUYER | ROLE_ASSESSOR),
	      "buyer tenant-wide plus assessor on procedure 5");
	CHECK(role_on_procedure(g, n, 1, 6) == (ROLE_BUYER | ROLE_BIDDER),
	      "bidder on procedure 6");
	CHECK(role_on_procedure(g, n, 1, 8) == ROLE_BUYER,
	      "only tenant-wide roles on another procedure");
	CHECK(role_on_procedure(g, n, 2, 5) == ROLE_COUNCIL,
	      "council in tenant 2");
	CHECK(role_on_procedure(g, n, 3, 9) == 0,
	      "bidder grant without procedure gives nothing");
	CHECK(role_in_tenant(g, n, 1) == ROLE_BUYER, "tenant 1: buyer");
	CHECK(role_in_tenant(g, n, 2) == ROLE_COUNCIL, "tenant 2: council");
	CHECK(role_in_tenant(g, n, 3) == 0, "tenant 3: nothing");
	CHECK(role_in_tenant(NULL, 0, 1) == 0, "no grants, no roles");
}

/* --- templates ----------------------------------------------------------- */

static void test_templates(void)
{
	static const struct {
		enum proc_type t;
		int rounds, size;
		enum stage_kind kinds[24];
	} cases[] = {
		{PT_SAS_DIALOGUE, 2, 13,
		 {SK_PRE_ANNOUNCEMENT, SK_REGISTRATION, SK_DOCUMENT_ISSUED,
		  SK_APPLICATION_DEADLINE, SK_SELECTION, SK_DIALOGUE_ROUND,
		  SK_DIALOGUE_ROUND, SK_TENDER_DEADLINE, SK_EVALUATION,
		  SK_PROVISIONAL_AWARD, SK_STANDSTILL, SK_DEFINITIVE_AWARD,
		  SK_CONTRACT_START}},
		{PT_SAS_DIALOGUE, 4, 15, {0}},
		{PT_COMPETITIVE_DIALOGUE, 3, 14,
		 {SK_PRE_ANNOUNCEMENT, SK_REGISTRATION, SK_DOCUMENT_ISSUED,
		  SK_APPLICATION_DEADLINE, SK_SELECTION, SK_DIALOGUE_ROUND,
		  SK_DIALOGUE_ROUND, SK_DIALOGUE_ROUND, SK_TENDER_DEADLINE,
		  SK_EVALUATION, SK_PROVISIONAL_AWARD, SK_STANDSTILL,
		  SK_DEFINITIVE_AWARD, SK_CONTRACT_START}},
		{PT_RESTRICTED, 0, 11,
		 {SK_PRE_ANNOUNCEMENT, SK_REGISTRATION, SK_DOCUMENT_ISSUED,
		  SK_APPLICATION_DEADLINE, SK_SELECTION, SK_TENDER_DEADLINE,
		  SK_EVALUATION, SK_PROVISIONAL_AWARD, SK_STANDSTILL,
		  SK_DEFINITIVE_AWARD, SK_CONTRACT_START}},
		{PT_NEGOTIATED, 1, 12,
		 {SK_PRE_ANNOUNCEMENT, SK_REGISTRATION, SK_DOCUMENT_ISSUED,
		  SK_APPLICATION_DEADLINE, SK_SELECTION, SK_DIALOGUE_ROUND,
		  SK_TENDER_DEADLINE, SK_EVALUATION, SK_PROVISIONAL_AWARD,
		  SK_STANDSTILL, SK_DEFINITIVE_AWARD, SK_CONTRACT_START}},
		{PT_OPEN, 0, 8,
		 {SK_PRE_ANNOUNCEMENT, SK_DOCUMENT_ISSUED, SK_TENDER_DEADLINE,
		  SK_EVALUATION, SK_PROVISIONAL_AWARD, SK_STANDSTILL,
		  SK_DEFINITIVE_AWARD, SK_CONTRACT_START}},
		{PT_SAS_OPEN, 0, 8,
		 {SK_PRE_ANNOUNCEMENT, SK_DOCUMENT_ISSUED, SK_TENDER_DEADLINE,
		  SK_EVALUATION, SK_PROVISIONAL_AWARD, SK_STANDSTILL,
		  SK_DEFINITIVE_AWARD, SK_CONTRACT_START}},
		{PT_PRIVATE_SINGLE, 0, 5,
		 {SK_DOCUMENT_ISSUED, SK_TENDER_DEADLINE, SK_EVALUATION,
		  SK_DEFINITIVE_AWARD, SK_CONTRACT_START}},
		{PT_PRIVATE_MULTIPLE, 0, 7,
		 {SK_DOCUMENT_ISSUED, SK_TENDER_DEADLINE, SK_EVALUATION,
		  SK_PROVISIONAL_AWARD, SK_STANDSTILL, SK_DEFINITIVE_AWARD,
		  SK_CONTRACT_START}},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const char *code = proc_type_code(cases[c].t);
		CHECK(proc_template_size(cases[c].t, cases[c].rounds) ==
		      cases[c].size, "%s with %d rounds has %d stages", code,
		      cases[c].rounds, cases[c].size);
		struct procedure p = new_proc(cases[c].t, cases[c].rounds);
		enum kv_status st = proc_init(A, &p, &E);
		CHECK(st == KV_OK, "proc_init %s (%d rounds)", code,
		      cases[c].rounds);
		if (st != KV_OK) {
			printf("#   %s: %s\n", E.field, E.msg);
			continue;
		}
		CHECK(p.n_stages == cases[c].size, "%s: n_stages %d", code,
		      p.n_stages);
		bool ok = true, kinds_ok = true;
		int round = 0;
		for (int i = 0; i < p.n_stages; i++) {
			const struct stage *s = &p.stages[i];
			if (s->seq != i || s->start || s->end || s->id ||
			    s->status != STAGE_PLANNED || s->rule ||
			    s->completed_at)
				ok = false;
			if (s->kind == SK_DIALOGUE_ROUND) {
				if (s->round != ++round)
					ok = false;
			} else if (s->round != 0) {
				ok = false;
			}
			if (cases[c].kinds[1] != 0 &&
			    s->kind != cases[c].kinds[i])
				kinds_ok = false;
		}
		CHECK(ok, "%s: seq 0.., unplanned, rounds numbered", code);
		CHECK(kinds_ok, "%s: stages in template order", code);
		int want_rounds = cases[c].t == PT_SAS_DIALOGUE ||
		    cases[c].t == PT_COMPETITIVE_DIALOGUE ||
		    cases[c].t == PT_NEGOTIATED ? cases[c].rounds : 0;
		CHECK(round == want_rounds, "%s: %d rounds", code, round);
		CHECK(p.standstill_days == 20, "%s: standstill defaults to 20",
		      code);
	}
	/* Types without rounds ignore the number. */
	CHECK(proc_template_size(PT_OPEN, 5) == 8, "open ignores rounds");
	CHECK(proc_template_size(PT_RESTRICTED, 3) == 11,
	      "restricted ignores rounds");
	CHECK(proc_template_size(PT__COUNT, 2) == -1, "unknown type: -1");
	struct procedure p = new_proc(PT_OPEN, 3);
	CHECK(proc_init(A, &p, &E) == KV_OK && p.dialogue_rounds == 0 &&
	      p.n_stages == 8, "open: rounds set to 0");
	p = new_proc(PT_SAS_OPEN, 0);
	strcpy(p.cpv, "85310000");
	CHECK(proc_init(A, &p, &E) == KV_OK, "CPV of eight digits accepted");
	CHECK_STR(p.cpv, "85310000", "CPV kept as given");
	p = new_proc(PT_PRIVATE_MULTIPLE, 0);
	p.standstill_days = 30;
	p.value_cents = 0;
	CHECK(proc_init(A, &p, &E) == KV_OK && p.standstill_days == 30,
	      "longer standstill and value 0 accepted");
}

static void test_init_refusals(void)
{
	char long_ref[42], long_title[202];
	memset(long_ref, 'A', 41);
	long_ref[41] = 0;
	memset(long_title, 't', 201);
	long_title[201] = 0;
	static char ref40[41];
	memset(ref40, 'x', 40);

	const struct {
		const char *what;
		const char *reference, *title, *cpv;
		int type;
		int64_t value;
		int rounds, standstill;
		enum kv_status want;
		const char *field, *msg;
	} cases[] = {
		{"ok", "DOR-2022-SWT", "Wijkteams", "85310000-5",
		 PT_SAS_DIALOGUE, 1, 2, 0, KV_OK, "", NULL},
		{"reference with . _ / -", "a.b_c/d-e", "Wijkteams",
		 "85310000-5", PT_OPEN, 0, 0, 20, KV_OK, "", NULL},
		{"reference 40", ref40, "x", "85310000-5", PT_OPEN, 0, 0, 0,
		 KV_OK, "", NULL},
		{"no reference", NULL, "Wijkteams", "85310000-5", PT_OPEN, 0,
		 0, 0, KV_INVALID, "reference", NULL},
		{"empty reference", "", "Wijkteams", "85310000-5", PT_OPEN, 0,
		 0, 0, KV_INVALID, "reference", NULL},
		{"41-char reference", long_ref, "Wijkteams", "85310000-5",
		 PT_OPEN, 0, 0, 0, KV_INVALID, "reference", "41"},
		{"space in reference", "DOR 2022", "Wijkteams", "85310000-5",
		 PT_OPEN, 0, 0, 0, KV_INVALID, "reference", "character 4"},
		{"empty title", "DOR-1", "", "85310000-5", PT_OPEN, 0, 0, 0,
		 KV_INVALID, "title", NULL},
		{"no title", "DOR-1", NULL, "85310000-5", PT_OPEN, 0, 0, 0,
		 KV_INVALID, "title", NULL},
		{"201-byte title", "DOR-1", long_title, "85310000-5", PT_OPEN,
		 0, 0, 0, KV_INVALID, "title", NULL},
		{"title with a newline", "DOR-1", "Wijk\nteams", "85310000-5",
		 PT_OPEN, 0, 0, 0, KV_INVALID, "title", NULL},
		{"unknown type", "DOR-1", "Wijkteams", "85310000-5", 99, 0, 0,
		 0, KV_INVALID, "type", NULL},
		{"negative type", "DOR-1", "Wijkteams", "85310000-5", -1, 0, 0,
		 0, KV_INVALID, "type", NULL},
		{"bad cpv", "DOR-1", "Wijkteams", "8531-5", PT_OPEN, 0, 0, 0,
		 KV_INVALID, "cpv", NULL},
		{"empty cpv", "DOR-1", "Wijkteams", "", PT_OPEN, 0, 0, 0,
		 KV_INVALID, "cpv", NULL},
		{"cpv division 99", "DOR-1", "Wijkteams", "99000000-1",
		 PT_OPEN, 0, 0, 0, KV_INVALID, "cpv", NULL},
		{"negative value", "DOR-1", "Wijkteams", "85310000-5", PT_OPEN,
		 -1, 0, 0, KV_INVALID, "value", NULL},
		{"SAS dialogue, 1 round", "DOR-1", "Wijkteams", "85310000-5",
		 PT_SAS_DIALOGUE, 0, 1, 0, KV_INVALID, "dialogue_rounds",
		 "art. 2.38"},
		{"SAS dialogue, 0 rounds", "DOR-1", "Wijkteams", "85310000-5",
		 PT_SAS_DIALOGUE, 0, 0, 0, KV_INVALID, "dialogue_rounds",
		 "at least 2"},
		{"competitive dialogue, 1 round", "DOR-1", "Wijkteams",
		 "85310000-5", PT_COMPETITIVE_DIALOGUE, 0, 1, 0, KV_INVALID,
		 "dialogue_rounds", "Competitive dialogue"},
		{"negotiated, 0 rounds", "DOR-1", "Wijkteams", "85310000-5",
		 PT_NEGOTIATED, 0, 0, 0, KV_INVALID, "dialogue_rounds",
		 "at least 1"},
		{"21 rounds", "DOR-1", "Wijkteams", "85310000-5",
		 PT_SAS_DIALOGUE, 0, 21, 0, KV_INVALID, "dialogue_rounds",
		 NULL},
		{"negative rounds, open", "DOR-1", "Wijkteams", "85310000-5",
		 PT_OPEN, 0, -1, 0, KV_INVALID, "dialogue_rounds", NULL},
		{"standstill 19 days", "DOR-1", "Wijkteams", "85310000-5",
		 PT_OPEN, 0, 0, 19, KV_INVALID, "standstill_days", "20"},
		{"standstill negative", "DOR-1", "Wijkteams", "85310000-5",
		 PT_OPEN, 0, 0, -5, KV_INVALID, "standstill_days", NULL},
		{"standstill 366 days", "DOR-1", "Wijkteams", "85310000-5",
		 PT_OPEN, 0, 0, 366, KV_INVALID, "standstill_days", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct procedure p;
		memset(&p, 0, sizeof p);
		p.reference = (char *)cases[i].reference;
		p.title = (char *)cases[i].title;
		p.type = (enum proc_type)cases[i].type;
		snprintf(p.cpv, sizeof p.cpv, "%s", cases[i].cpv);
		p.value_cents = cases[i].value;
		p.dialogue_rounds = cases[i].rounds;
		p.standstill_days = cases[i].standstill;
		kv_error_clear(&E);
		enum kv_status st = proc_init(A, &p, &E);
		CHECK(st == cases[i].want, "proc_init: %s -> %d",
		      cases[i].what, (int)cases[i].want);
		if (cases[i].want != KV_OK) {
			CHECK_STR(E.field, cases[i].field, "proc_init: %s: field",
				  cases[i].what);
			CHECK(E.msg[0] != 0, "proc_init: %s: says why",
			      cases[i].what);
		}
		if (cases[i].msg)
			CHECK(has(E.msg, cases[i].msg),
			      "proc_init: %s: message names \"%s\" (%s)",
			      cases[i].what, cases[i].msg, E.msg);
	}
}

/* --- lots ------------------------------------------------------------- */

static void test_lots(void)
{
	struct lot lots[2] = {
		{.id = 101, .number = 1, .title = "Zorg in natura",
		 .value_cents = EUR(4000000), .fixed_budget = true},
		{.id = 102, .number = 2, .title = "Ambulante begeleiding",
		 .value_cents = EUR(3000000), .fixed_budget = false},
	};
	struct procedure p = new_proc(PT_SAS_DIALOGUE, 2);
	p.lots = lots;
	p.n_lots = 2;
	char over[32], est[32];
	eur_format(EUR(9000000) + 1, over);
	eur_format(EUR(9000000), est);

	const struct {
		const char *what;
		struct lot l;
		enum kv_status want;
		const char *field;
	} cases[] = {
		{"new lot 3, fixed, fits exactly",
		 {.number = 3, .title = "Jeugd", .value_cents = EUR(2000000),
		  .fixed_budget = true}, KV_OK, ""},
		{"new lot 3, fixed, one cent over",
		 {.number = 3, .title = "Jeugd",
		  .value_cents = EUR(2000000) + 1, .fixed_budget = true},
		 KV_INVALID, "value"},
		{"new lot 3, estimated value above the total",
		 {.number = 3, .title = "Jeugd", .value_cents = EUR(20000000)},
		 KV_INVALID, "value"},
		{"lot 1 edited by id, the rest of the budget",
		 {.id = 101, .number = 1, .title = "Zorg in natura",
		  .value_cents = EUR(6000000), .fixed_budget = true},
		 KV_OK, ""},
		{"number 0", {.number = 0, .title = "Jeugd"}, KV_INVALID,
		 "number"},
		{"number -3", {.number = -3, .title = "Jeugd"}, KV_INVALID,
		 "number"},
		{"number taken", {.number = 2, .title = "Jeugd"}, KV_CONFLICT,
		 "number"},
		{"empty title", {.number = 3, .title = ""}, KV_INVALID,
		 "title"},
		{"no title", {.number = 3}, KV_INVALID, "title"},
		{"negative value",
		 {.number = 3, .title = "Jeugd", .value_cents = -1},
		 KV_INVALID, "value"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kv_error_clear(&E);
		enum kv_status st = lot_check(&p, &cases[i].l, &E);
		CHECK(st == cases[i].want, "lot_check: %s", cases[i].what);
		if (cases[i].want != KV_OK)
			CHECK_STR(E.field, cases[i].field, "lot_check: %s: field",
				  cases[i].what);
		if (i == 1) {
			CHECK(has(E.msg, over) && has(E.msg, est),
			      "lot budget refusal names both amounts: %s",
			      E.msg);
		}
	}
	/* A lot in p->lots is checked against the others, not itself. */
	lots[0].value_cents = EUR(6000000);
	CHECK(lot_check(&p, &lots[0], &E) == KV_OK,
	      "lot in the array is not its own duplicate");
	lots[0].value_cents = EUR(6000000) + 1;
	CHECK(lot_check(&p, &lots[0], &E) == KV_INVALID,
	      "lots together above the estimated value are refused");
	p.value_cents = 0;
	CHECK(lot_check(&p, &lots[0], &E) == KV_OK,
	      "no estimated value: budgets are not summed");
}

/* --- candidates ----------------------------------------------------------- */

static void test_candidates(void)
{
	struct party pv = {.org_id = 1, .org_name = "Stichting Wijkzorg",
			   .kvk = "12345678", .role = PARTY_PENVOERDER};
	struct party pv2 = {.org_id = 4, .org_name = "Zorggroep Zuid",
			    .kvk = "44556677", .role = PARTY_PENVOERDER};
	struct party mb = {.org_id = 2, .org_name = "Welzijn Dordrecht",
			   .kvk = "87654321", .role = PARTY_MEMBER};
	struct party sc = {.org_id = 3, .org_name = "Schuldhulp BV",
			   .kvk = "24123456", .role = PARTY_SUBCONTRACTOR};
	struct party dup_org = mb;
	dup_org.kvk = "99887766";
	dup_org.role = PARTY_SUBCONTRACTOR;
	struct party dup_kvk = sc;
	dup_kvk.org_id = 9;
	dup_kvk.kvk = "87654321";
	struct party bad_kvk = mb;
	bad_kvk.kvk = "1234567";
	struct party zeros = mb;
	zeros.kvk = "00000000";
	struct party no_kvk = mb;
	no_kvk.kvk = NULL;

	const struct {
		const char *what, *name;
		bool consortium;
		struct party parties[4];
		int n;
		enum kv_status want;
		const char *field;
	} cases[] = {
		{"single organisation", "Stichting Wijkzorg", false, {pv}, 1,
		 KV_OK, ""},
		{"single with a subcontractor", "Stichting Wijkzorg", false,
		 {pv, sc}, 2, KV_OK, ""},
		{"consortium", "Wijkteams Drechtsteden", true, {pv, mb, sc}, 3,
		 KV_OK, ""},
		{"consortium, two members", "Wijkteams Drechtsteden", true,
		 {mb, pv, sc, {.org_id = 8, .org_name = "X", .kvk = "11223344",
			       .role = PARTY_MEMBER}}, 4, KV_OK, ""},
		{"single with a member", "Stichting Wijkzorg", false, {pv, mb},
		 2, KV_INVALID, "parties"},
		{"single without penvoerder", "Welzijn", false, {mb}, 1,
		 KV_INVALID, "parties"},
		{"consortium without member", "Wijkteams", true, {pv, sc}, 2,
		 KV_INVALID, "parties"},
		{"consortium, two penvoerders", "Wijkteams", true,
		 {pv, pv2, mb}, 3, KV_INVALID, "parties"},
		{"consortium without penvoerder", "Wijkteams", true, {mb, sc},
		 2, KV_INVALID, "parties"},
		{"same organisation twice", "Wijkteams", true,
		 {pv, mb, dup_org}, 3, KV_INVALID, "parties"},
		{"same KvK twice", "Wijkteams", true, {pv, mb, dup_kvk}, 3,
		 KV_INVALID, "parties"},
		{"KvK of 7 digits", "Wijkteams", true, {pv, bad_kvk}, 2,
		 KV_INVALID, "kvk"},
		{"KvK all zeros", "Wijkteams", true, {pv, zeros}, 2,
		 KV_INVALID, "kvk"},
		{"no KvK", "Wijkteams", true, {pv, no_kvk}, 2, KV_INVALID,
		 "kvk"},
		{"no parties", "Wijkteams", false, {{0}}, 0, KV_INVALID,
		 "parties"},
		{"empty name", "", false, {pv}, 1, KV_INVALID, "name"},
		{"no name", NULL, false, {pv}, 1, KV_INVALID, "name"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct candidate c = {
			.id = 0, .procedure_id = 7,
			.name = (char *)cases[i].name,
			.consortium = cases[i].consortium,
			.parties = (struct party *)cases[i].parties,
			.n_parties = cases[i].n,
		};
		kv_error_clear(&E);
		enum kv_status st = candidate_check(&c, &E);
		CHECK(st == cases[i].want, "candidate_check: %s",
		      cases[i].what);
		if (cases[i].want != KV_OK) {
			CHECK_STR(E.field, cases[i].field,
				  "candidate_check: %s: field (%s)",
				  cases[i].what, E.msg);
		}
	}
	/* the refusal names the party */
	struct party ps[2] = {pv, bad_kvk};
	struct candidate c = {.name = "W", .consortium = true,
			      .parties = ps, .n_parties = 2};
	candidate_check(&c, &E);
	CHECK(has(E.msg, "Party 2") && has(E.msg, "Welzijn Dordrecht"),
	      "KvK refusal names the party: %s", E.msg);
}

/* --- decisions ------------------------------------------------------------ */

static void test_decisions(void)
{
	struct condition ok_cond = {.description =
		"Advies Ondernemingsraad (art. 25 WOR)", .state = COND_PENDING};
	struct condition empty_cond = {.description = "",
				       .state = COND_PENDING};
	struct condition bad_state = {.description = "x", .state = 7};
	enum stage_kind gov[] = {SK_PROVISIONAL_AWARD};
	enum stage_kind bad_gov[] = {(enum stage_kind)99};

	const struct {
		const char *what, *number;
		cal_date date;
		const char *title;
		struct condition *conds;
		int n_conds;
		enum stage_kind *gov;
		int n_gov;
		enum kv_status want;
		const char *field;
	} cases[] = {
		{"Dordrecht 2021/34505", "2021/34505", {2021, 2, 16},
		 "Inkoopstrategie sociale wijkteams", NULL, 0, NULL, 0, KV_OK,
		 ""},
		{"Haarlem 2022/53240", "2022/53240", {2022, 5, 17},
		 "Gunning Wmo-begeleiding", &ok_cond, 1, gov, 1, KV_OK, ""},
		{"letters and dashes", "Z-22-012345", {2022, 1, 3}, "Besluit",
		 NULL, 0, NULL, 0, KV_OK, ""},
		{"no number", NULL, {2021, 2, 16}, "Besluit", NULL, 0, NULL, 0,
		 KV_INVALID, "number"},
		{"empty number", "", {2021, 2, 16}, "Besluit", NULL, 0, NULL,
		 0, KV_INVALID, "number"},
		{"space in number", "2021 34505", {2021, 2, 16}, "Besluit",
		 NULL, 0, NULL, 0, KV_INVALID, "number"},
		{"number without digits", "abc", {2021, 2, 16}, "Besluit",
		 NULL, 0, NULL, 0, KV_INVALID, "number"},
		{"number starting with a slash", "/2021", {2021, 2, 16},
		 "Besluit", NULL, 0, NULL, 0, KV_INVALID, "number"},
		{"30 February", "2021/1", {2021, 2, 30}, "Besluit", NULL, 0,
		 NULL, 0, KV_INVALID, "date"},
		{"month 13", "2021/1", {2021, 13, 1}, "Besluit", NULL, 0, NULL,
		 0, KV_INVALID, "date"},
		{"empty title", "2021/1", {2021, 2, 16}, "", NULL, 0, NULL, 0,
		 KV_INVALID, "title"},
		{"empty condition", "2021/1", {2021, 2, 16}, "Besluit",
		 &empty_cond, 1, NULL, 0, KV_INVALID, "conditions"},
		{"unknown condition state", "2021/1", {2021, 2, 16}, "Besluit",
		 &bad_state, 1, NULL, 0, KV_INVALID, "conditions"},
		{"conditions missing", "2021/1", {2021, 2, 16}, "Besluit",
		 NULL, 2, NULL, 0, KV_INVALID, "conditions"},
		{"unknown governed stage", "2021/1", {2021, 2, 16}, "Besluit",
		 NULL, 0, bad_gov, 1, KV_INVALID, "governs"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct decision d = {
			.tenant_id = 1, .number = (char *)cases[i].number,
			.date = cases[i].date, .title = (char *)cases[i].title,
			.conditions = cases[i].conds,
			.n_conditions = cases[i].n_conds, .procedure_id = 7,
			.governs = cases[i].gov, .n_governs = cases[i].n_gov,
		};
		kv_error_clear(&E);
		enum kv_status st = decision_check(&d, &E);
		CHECK(st == cases[i].want, "decision_check: %s",
		      cases[i].what);
		if (cases[i].want != KV_OK)
			CHECK_STR(E.field, cases[i].field,
				  "decision_check: %s: field (%s)",
				  cases[i].what, E.msg);
	}
}

/* --- the state machine ----------------------------------------------------- */

/*
 * A Dordrecht-like SAS procedure with two dialogue rounds, planned by
 * writing the dates (the lifecycle test plans through proc_move_stage):
 *   0 pre-announcement   17 Jan 2022 09:00 (completed)
 *   1 registration       24 Jan 09:00 - 14 Feb 12:00
 *   2 document issued    24 Jan 09:00
 *   3 application dl     14 Feb 12:00
 *   4 selection          15 Feb 09:00 - 31 Mar 17:00
 *   5 dialogue round 1    1 Mar 09:00 - 15 Mar 17:00
 *   6 dialogue round 2   16 Mar 09:00 - 15 Apr 17:00
 *   7 tender deadline     2 May 12:00
 *   8 evaluation          3 May 09:00 - 24 Jun 17:00
 *   9 provisional award   1 Jul 10:00
 *  10 standstill         (unplanned)
 *  11 definitive award    1 Aug 10:00
 *  12 contract start      1 Jan 2023 00:00
 */
static struct procedure fixture(int done)
{
	struct procedure p = new_proc(PT_SAS_DIALOGUE, 2);
	if (proc_init(A, &p, &E) != KV_OK)
		abort();
	static const int d[13][2][5] = {
		{{2022, 1, 17, 9, 0}, {2022, 1, 17, 9, 0}},
		{{2022, 1, 24, 9, 0}, {2022, 2, 14, 12, 0}},
		{{2022, 1, 24, 9, 0}, {2022, 1, 24, 9, 0}},
		{{2022, 2, 14, 12, 0}, {2022, 2, 14, 12, 0}},
		{{2022, 2, 15, 9, 0}, {2022, 3, 31, 17, 0}},
		{{2022, 3, 1, 9, 0}, {2022, 3, 15, 17, 0}},
		{{2022, 3, 16, 9, 0}, {2022, 4, 15, 17, 0}},
		{{2022, 5, 2, 12, 0}, {2022, 5, 2, 12, 0}},
		{{2022, 5, 3, 9, 0}, {2022, 6, 24, 17, 0}},
		{{2022, 7, 1, 10, 0}, {2022, 7, 1, 10, 0}},
		{{0}, {0}},
		{{2022, 8, 1, 10, 0}, {2022, 8, 1, 10, 0}},
		{{2023, 1, 1, 0, 0}, {2023, 1, 1, 0, 0}},
	};
	for (int i = 0; i < 13; i++) {
		if (d[i][0][0] == 0)
			continue;
		p.stages[i].start = T(d[i][0][0], d[i][0][1], d[i][0][2],
				      d[i][0][3], d[i][0][4]);
		p.stages[i].end = T(d[i][1][0], d[i][1][1], d[i][1][2],
				    d[i][1][3], d[i][1][4]);
	}
	for (int i = 0; i < done; i++) {
		p.stages[i].status = STAGE_COMPLETED;
		p.stages[i].completed_at = p.stages[i].end;
		p.stages[i].completed_by = 42;
	}
	return p;
}

/* The fixture after the award decision went out on Friday 1 July 2022. */
static void with_standstill(struct procedure *p)
{
	p->stages[10].start = T(2022, 7, 2, 0, 0);
	p->stages[10].end = cal_end_of_day((cal_date){2022, 7, 21});
}

enum tweak { NONE, STANDSTILL, UNPLAN_REG };

static void test_move_refusals(void)
{
	const kv_instant now = T(2022, 2, 1, 12, 0);
	const struct {
		const char *what;
		int done;
		enum tweak tweak;
		int idx;
		kv_instant start, end, now;
		enum kv_status want;
		const char *field, *msg;
	} cases[] = {
		{"no stage 13", 1, NONE, 13, T(2022, 3, 1, 9, 0),
		 T(2022, 3, 1, 9, 0), now, KV_NOT_FOUND, "stage", NULL},
		{"no stage -1", 1, NONE, -1, T(2022, 3, 1, 9, 0),
		 T(2022, 3, 1, 9, 0), now, KV_NOT_FOUND, "stage", NULL},
		{"completed stage", 1, NONE, 0, T(2022, 2, 2, 9, 0),
		 T(2022, 2, 2, 9, 0), now, KV_DENIED, "stage",
		 "already completed on 17 januari 2022, 09:00"},
		{"passed deadline", 3, NONE, 3, T(2022, 2, 21, 12, 0),
		 T(2022, 2, 21, 12, 0), T(2022, 2, 14, 12, 0), KV_DENIED,
		 "end", "deadline passed on 14 februari 2022, 12:00"},
		{"passed deadline, later", 3, NONE, 3, T(2022, 2, 21, 12, 0),
		 T(2022, 2, 21, 12, 0), T(2022, 2, 14, 12, 1), KV_DENIED,
		 "end", "cannot be changed"},
		{"no start", 1, NONE, 4, 0, T(2022, 3, 31, 17, 0), now,
		 KV_INVALID, "start", NULL},
		{"no end", 1, NONE, 4, T(2022, 2, 15, 9, 0), 0, now,
		 KV_INVALID, "end", NULL},
		{"start in the past", 1, NONE, 4, T(2022, 1, 31, 9, 0),
		 T(2022, 3, 31, 17, 0), now, KV_DENIED, "start",
		 "lies in the past"},
		{"end in the past", 1, NONE, 4, T(2022, 2, 15, 9, 0),
		 T(2022, 1, 31, 17, 0), now, KV_DENIED, "end",
		 "lies in the past"},
		{"end before start", 1, NONE, 4, T(2022, 2, 20, 9, 0),
		 T(2022, 2, 19, 9, 0), now, KV_INVALID, "end",
		 "before it starts"},
		{"moment with an end", 1, NONE, 2, T(2022, 2, 2, 9, 0),
		 T(2022, 2, 3, 9, 0), now, KV_INVALID, "end", "moment"},
		{"deadline with an end", 1, NONE, 3, T(2022, 2, 14, 12, 0),
		 T(2022, 2, 14, 13, 0), now, KV_INVALID, "end", "moment"},
		{"round 1 before selection starts", 1, NONE, 5,
		 T(2022, 2, 10, 9, 0), T(2022, 3, 15, 17, 0), now, KV_DENIED,
		 "start", "cannot be planned before Assessment and selection"},
		{"round 1 after round 2 starts", 1, NONE, 5,
		 T(2022, 3, 20, 9, 0), T(2022, 3, 25, 17, 0), now, KV_DENIED,
		 "start", "cannot be planned after Dialogue round 2"},
		{"tender deadline after evaluation starts", 1, NONE, 7,
		 T(2022, 5, 9, 12, 0), T(2022, 5, 9, 12, 0), now, KV_DENIED,
		 "start", "Evaluation"},
		{"selection runs past the rounds (overlap is fine)", 1, NONE,
		 4, T(2022, 2, 15, 9, 0), T(2022, 4, 30, 17, 0), now, KV_OK,
		 "", NULL},
		{"running registration extended (its start is past)", 1,
		 NONE, 1, T(2022, 1, 24, 9, 0), T(2022, 2, 14, 11, 0), now,
		 KV_OK, "", NULL},
		{"deadline moved before it passed", 2, NONE, 3,
		 T(2022, 2, 14, 15, 0), T(2022, 2, 14, 15, 0),
		 T(2022, 2, 14, 11, 59), KV_OK, "", NULL},
		{"unplanned neighbour skipped", 1, UNPLAN_REG, 2,
		 T(2022, 2, 2, 9, 0), T(2022, 2, 2, 9, 0), now, KV_OK, "",
		 NULL},
		{"standstill shorter than the law", 9, STANDSTILL, 10,
		 T(2022, 7, 2, 0, 0), T(2022, 7, 20, 23, 59),
		 T(2022, 7, 4, 9, 0), KV_DENIED, "end",
		 "may not end before 21 juli 2022, 23:59:59"},
		{"standstill, a second too short", 9, STANDSTILL, 10,
		 T(2022, 7, 2, 0, 0),
		 cal_end_of_day((cal_date){2022, 7, 21}) - 1,
		 T(2022, 7, 4, 9, 0), KV_DENIED, "end", NULL},
		{"standstill longer than the law", 9, STANDSTILL, 10,
		 T(2022, 7, 2, 0, 0), cal_end_of_day((cal_date){2022, 7, 25}),
		 T(2022, 7, 4, 9, 0), KV_OK, "", NULL},
		{"definitive award inside the standstill", 9, STANDSTILL, 11,
		 T(2022, 7, 21, 12, 0), T(2022, 7, 21, 12, 0),
		 T(2022, 7, 4, 9, 0), KV_DENIED, "start",
		 "opschortende termijn"},
		{"definitive award after the standstill", 9, STANDSTILL, 11,
		 T(2022, 7, 22, 10, 0), T(2022, 7, 22, 10, 0),
		 T(2022, 7, 4, 9, 0), KV_OK, "", NULL},
		{"standstill planned by hand, too short for the planned "
		 "award", 8, NONE, 10, T(2022, 7, 2, 0, 0),
		 T(2022, 7, 5, 0, 0), T(2022, 6, 27, 9, 0), KV_DENIED, "end",
		 "21 juli 2022"},
		{"standstill planned by hand for the planned award", 8, NONE,
		 10, T(2022, 7, 2, 0, 0),
		 cal_end_of_day((cal_date){2022, 7, 21}),
		 T(2022, 6, 27, 9, 0), KV_OK, "", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct procedure p = fixture(cases[i].done);
		if (cases[i].tweak == STANDSTILL)
			with_standstill(&p);
		if (cases[i].tweak == UNPLAN_REG)
			p.stages[1].start = p.stages[1].end = 0;
		kv_error_clear(&E);
		struct stage before = cases[i].idx >= 0 &&
		    cases[i].idx < p.n_stages ? p.stages[cases[i].idx] :
		    (struct stage){0};
		enum kv_status st = proc_move_stage(
		    &p, cases[i].idx, cases[i].start, cases[i].end,
		    cases[i].now, &CAL, A, &E);
		CHECK(st == cases[i].want, "move: %s (%s)", cases[i].what,
		      E.msg);
		if (cases[i].want != KV_OK) {
			CHECK_STR(E.field, cases[i].field, "move: %s: field",
				  cases[i].what);
			if (cases[i].idx >= 0 && cases[i].idx < p.n_stages)
				CHECK(p.stages[cases[i].idx].start ==
				      before.start &&
				      p.stages[cases[i].idx].end == before.end,
				      "move: %s: stage unchanged",
				      cases[i].what);
		} else {
			CHECK(p.stages[cases[i].idx].start == cases[i].start &&
			      p.stages[cases[i].idx].end == cases[i].end,
			      "move: %s: dates changed", cases[i].what);
		}
		if (cases[i].msg)
			CHECK(has(E.msg, cases[i].msg),
			      "move: %s: message has \"%s\"", cases[i].what,
			      cases[i].msg);
		if (cases[i].tweak == STANDSTILL && cases[i].idx == 10 &&
		    st == KV_OK)
			CHECK(p.stages[10].rule != NULL,
			      "move: %s: rule explains the legal minimum",
			      cases[i].what);
	}
}

static void test_complete_refusals(void)
{
	struct condition pending = {.id = 1,
		.description = "Advies Ondernemingsraad (art. 25 WOR)",
		.state = COND_PENDING};
	enum stage_kind gov[] = {SK_SELECTION};
	struct decision dec = {.id = 3, .tenant_id = 1, .number = "2022/1234",
			       .date = {2022, 2, 1}, .title = "Selectie",
			       .conditions = &pending, .n_conditions = 1,
			       .procedure_id = 7, .governs = gov,
			       .n_governs = 1};
	const struct {
		const char *what;
		int done;
		enum tweak tweak;
		int idx;
		kv_instant now;
		bool decision;
		enum kv_status want;
		const char *msg;
	} cases[] = {
		{"no such stage", 0, NONE, 13, T(2022, 2, 1, 9, 0), false,
		 KV_NOT_FOUND, NULL},
		{"already completed", 1, NONE, 0, T(2022, 2, 1, 9, 0), false,
		 KV_CONFLICT, "already completed on 17 januari 2022, 09:00"},
		{"skipping registration", 1, NONE, 2, T(2022, 2, 15, 9, 0),
		 false, KV_DENIED, "Registration of interest"},
		{"skipping two stages", 1, NONE, 3, T(2022, 2, 15, 9, 0),
		 false, KV_DENIED, "Registration of interest"},
		{"unplanned registration", 1, UNPLAN_REG, 1,
		 T(2022, 2, 15, 9, 0), false, KV_INVALID, "not planned"},
		{"moment not yet reached", 0, NONE, 0, T(2022, 1, 17, 8, 59),
		 false, KV_DENIED, "17 januari 2022, 09:00"},
		{"deadline not yet passed", 3, NONE, 3, T(2022, 2, 14, 11, 59),
		 false, KV_DENIED,
		 "deadline is 14 februari 2022, 12:00"},
		{"period not started", 4, NONE, 4, T(2022, 2, 15, 8, 0), false,
		 KV_DENIED, "before it has started"},
		{"pending condition", 4, NONE, 4, T(2022, 3, 31, 17, 0), true,
		 KV_DENIED, "2022/1234"},
		{"pending condition named", 4, NONE, 4, T(2022, 3, 31, 17, 0),
		 true, KV_DENIED, "Advies Ondernemingsraad"},
		{"standstill not ended", 10, STANDSTILL, 10,
		 T(2022, 7, 21, 23, 59), false, KV_DENIED,
		 "ends 21 juli 2022, 23:59:59"},
		{"definitive award inside the standstill", 10, STANDSTILL, 11,
		 T(2022, 7, 21, 12, 0), false, KV_DENIED,
		 "standstill (opschortende termijn) ends 21 juli 2022"},
		{"definitive award, standstill ended but open", 10, STANDSTILL,
		 11, T(2022, 8, 1, 10, 0), false, KV_DENIED, "Standstill"},
		{"definitive award, no award decision sent", 9, NONE, 11,
		 T(2022, 8, 1, 10, 0), false, KV_DENIED, "provisional"},
		{"deadline at its second", 3, NONE, 3, T(2022, 2, 14, 12, 0),
		 false, KV_OK, NULL},
		{"period started", 4, NONE, 4, T(2022, 2, 15, 9, 0), false,
		 KV_OK, NULL},
		{"standstill at its end", 10, STANDSTILL, 10,
		 cal_end_of_day((cal_date){2022, 7, 21}), false, KV_OK, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct procedure p = fixture(cases[i].done);
		if (cases[i].tweak == STANDSTILL)
			with_standstill(&p);
		if (cases[i].tweak == UNPLAN_REG)
			p.stages[1].start = p.stages[1].end = 0;
		kv_error_clear(&E);
		enum kv_status st = proc_complete_stage(
		    &p, cases[i].idx, cases[i].now, 42,
		    cases[i].decision ? &dec : NULL, cases[i].decision,
		    &CAL, A, &E);
		CHECK(st == cases[i].want, "complete: %s (%s)", cases[i].what,
		      E.msg);
		if (cases[i].want != KV_OK && cases[i].idx < p.n_stages)
			CHECK(p.stages[cases[i].idx].status == STAGE_PLANNED ||
			      cases[i].want == KV_CONFLICT,
			      "complete: %s: still planned", cases[i].what);
		if (cases[i].want == KV_OK)
			CHECK(p.stages[cases[i].idx].status ==
			      STAGE_COMPLETED &&
			      p.stages[cases[i].idx].completed_at ==
			      cases[i].now &&
			      p.stages[cases[i].idx].completed_by == 42,
			      "complete: %s: completed now by 42",
			      cases[i].what);
		if (cases[i].msg)
			CHECK(has(E.msg, cases[i].msg),
			      "complete: %s: message has \"%s\"",
			      cases[i].what, cases[i].msg);
	}
}

static struct timeline_view timeline(const struct procedure *p,
				     kv_instant now)
{
	struct timeline_view v;
	proc_timeline(p, now, &v);
	return v;
}

#define MOVE(i, s, e_, now_)                                                 \
	do {                                                                 \
		kv_error_clear(&E);                                          \
		enum kv_status st_ = proc_move_stage(&p, (i), (s), (e_),     \
						     (now_), &CAL, A, &E);   \
		CHECK(st_ == KV_OK, "lifecycle: plan %s (%s)",               \
		      stage_kind_code(p.stages[i].kind), E.msg);             \
	} while (0)

#define DONE(i, now_)                                                        \
	do {                                                                 \
		kv_error_clear(&E);                                          \
		enum kv_status st_ = proc_complete_stage(                    \
		    &p, (i), (now_), 42, decisions, n_decisions, &CAL, A,    \
		    &E);                                                     \
		CHECK(st_ == KV_OK, "lifecycle: complete %s %d (%s)",        \
		      stage_kind_code(p.stages[i].kind), p.stages[i].round,  \
		      E.msg);                                                \
	} while (0)

static void test_lifecycle(void)
{
	/* Dordrecht, college decision 2021/34505 of 16 February 2021: the
	 * strategy.  All its conditions are met, so nothing waits. */
	struct condition met = {.description = "Wensen en bedenkingen raad",
				.state = COND_MET};
	enum stage_kind gov[] = {SK_DOCUMENT_ISSUED, SK_PROVISIONAL_AWARD};
	struct decision decisions[] = {{
		.id = 1, .tenant_id = 1, .number = "2021/34505",
		.date = {2021, 2, 16}, .title = "Inkoopstrategie wijkteams",
		.conditions = &met, .n_conditions = 1, .procedure_id = 7,
		.governs = gov, .n_governs = 2}};
	int n_decisions = 1;
	CHECK(decision_check(&decisions[0], &E) == KV_OK,
	      "lifecycle: decision 2021/34505 is valid");

	struct procedure p = new_proc(PT_SAS_DIALOGUE, 2);
	CHECK(proc_init(A, &p, &E) == KV_OK, "lifecycle: proc_init");
	kv_instant now = T(2022, 1, 10, 9, 0);

	struct timeline_view v = timeline(&p, now);
	CHECK(v.current == 0 && v.open_now == -1 && v.next == -1 &&
	      v.days_left == -1, "lifecycle: unplanned timeline");

	/* Plan everything in template order. */
	MOVE(0, T(2022, 1, 17, 9, 0), T(2022, 1, 17, 9, 0), now);
	MOVE(1, T(2022, 1, 24, 9, 0), T(2022, 2, 14, 12, 0), now);
	MOVE(2, T(2022, 1, 24, 9, 0), T(2022, 1, 24, 9, 0), now);
	MOVE(3, T(2022, 2, 14, 12, 0), T(2022, 2, 14, 12, 0), now);
	MOVE(4, T(2022, 2, 15, 9, 0), T(2022, 3, 31, 17, 0), now);
	/* The dialogue runs inside the selection period. */
	MOVE(5, T(2022, 3, 1, 9, 0), T(2022, 3, 15, 17, 0), now);
	MOVE(6, T(2022, 3, 16, 9, 0), T(2022, 4, 15, 17, 0), now);
	MOVE(7, T(2022, 5, 2, 12, 0), T(2022, 5, 2, 12, 0), now);
	MOVE(8, T(2022, 5, 3, 9, 0), T(2022, 6, 24, 17, 0), now);
	MOVE(9, T(2022, 7, 1, 10, 0), T(2022, 7, 1, 10, 0), now);
	MOVE(11, T(2022, 8, 1, 10, 0), T(2022, 8, 1, 10, 0), now);
	MOVE(12, T(2023, 1, 1, 0, 0), T(2023, 1, 1, 0, 0), now);

	v = timeline(&p, now);
	CHECK(v.current == 0 && v.open_now == -1 && v.next == 0 &&
	      v.days_left == 7, "lifecycle: 10 Jan: next is the "
	      "pre-announcement, 7 days (%d %d %d %lld)", v.current,
	      v.open_now, v.next, (long long)v.days_left);

	now = T(2022, 1, 17, 9, 0);
	DONE(0, now);
	now = T(2022, 2, 1, 12, 0);
	v = timeline(&p, now);
	CHECK(v.current == 1 && v.open_now == 1 && v.next == 3,
	      "lifecycle: 1 Feb: registration open, next the application "
	      "deadline (%d %d %d)", v.current, v.open_now, v.next);
	now = T(2022, 2, 14, 12, 0);
	DONE(1, now);
	DONE(2, now);
	DONE(3, now);
	CHECK(p.stages[3].completed_by == 42 &&
	      p.stages[3].completed_at == now, "lifecycle: who and when");

	now = T(2022, 3, 5, 12, 0);
	v = timeline(&p, now);
	/* 5 Mar 12:00 CET to 31 Mar 17:00 CEST is 26 days and 4 hours:
	 * 27 whole days (summer time began on 27 March). */
	CHECK(v.current == 4 && v.open_now == 4 && v.next == 6 &&
	      v.days_left == 27,
	      "lifecycle: 5 Mar: selection current and open, round 2 next, "
	      "27 days left (%d %d %d %lld)", v.current, v.open_now, v.next,
	      (long long)v.days_left);
	CHECK(proc_complete_stage(&p, 5, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_DENIED &&
	      has(E.msg, "Assessment and selection"),
	      "lifecycle: round 1 waits for the selection (%s)", E.msg);

	now = T(2022, 3, 31, 17, 0);
	DONE(4, now);
	DONE(5, now);
	CHECK(proc_complete_stage(&p, 6, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_OK,
	      "lifecycle: a running round can be closed early");

	/* The tender deadline moves a week; the evaluation first. */
	now = T(2022, 4, 20, 9, 0);
	CHECK(proc_complete_stage(&p, 7, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_DENIED &&
	      has(E.msg, "2 mei 2022, 12:00"),
	      "lifecycle: tender deadline not passed (%s)", E.msg);
	CHECK(proc_move_stage(&p, 7, T(2022, 5, 9, 12, 0),
			      T(2022, 5, 9, 12, 0), now, &CAL, A, &E) ==
	      KV_DENIED, "lifecycle: deadline cannot pass the evaluation");
	MOVE(8, T(2022, 5, 10, 9, 0), T(2022, 6, 24, 17, 0), now);
	MOVE(7, T(2022, 5, 9, 12, 0), T(2022, 5, 9, 12, 0), now);
	now = T(2022, 5, 9, 12, 0);
	CHECK(proc_move_stage(&p, 7, T(2022, 5, 9, 13, 0),
			      T(2022, 5, 9, 13, 0), now, &CAL, A, &E) ==
	      KV_DENIED && has(E.msg, "passed"),
	      "lifecycle: a passed deadline stays (%s)", E.msg);
	DONE(7, now);

	now = T(2022, 6, 24, 17, 0);
	DONE(8, now);

	/* Friday 1 July 2022, 10:00: the award decision is sent. */
	now = T(2022, 7, 1, 10, 0);
	DONE(9, now);
	struct cal_explained legal;
	CHECK(cal_standstill_end(&CAL, (cal_date){2022, 7, 1}, 20, &legal,
				 &E) == 0, "lifecycle: legal standstill end");
	CHECK(p.stages[9].start == now && p.stages[9].end == now,
	      "lifecycle: provisional award at the moment it was sent");
	CHECK(p.stages[10].start == T(2022, 7, 2, 0, 0),
	      "lifecycle: standstill starts the day after sending");
	CHECK(p.stages[10].end == legal.end,
	      "lifecycle: standstill ends at the legal end");
	CHECK(p.stages[10].end == cal_end_of_day((cal_date){2022, 7, 21}),
	      "lifecycle: 20 days from 2 July end Thursday 21 July 23:59:59");
	{
		char want[1024];
		snprintf(want, sizeof want, "%s (%s)", legal.rule, legal.source);
		CHECK_STR(p.stages[10].rule, want,
			  "lifecycle: standstill carries its rule and source");
		CHECK(strstr(p.stages[10].rule, "2.127") != NULL,
		      "lifecycle: the source names art. 2.127 Aw 2012");
	}
	CHECK(p.stages[10].status == STAGE_PLANNED,
	      "lifecycle: standstill planned, not completed");

	now = T(2022, 7, 15, 9, 0);
	v = timeline(&p, now);
	CHECK(v.current == 10 && v.open_now == 10 && v.next == 11 &&
	      v.days_left == 7, "lifecycle: 15 Jul: standstill, 7 days left "
	      "(%d %d %d %lld)", v.current, v.open_now, v.next,
	      (long long)v.days_left);
	CHECK(proc_complete_stage(&p, 11, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_DENIED &&
	      has(E.msg, "opschortende termijn") &&
	      has(E.msg, "21 juli 2022, 23:59:59"),
	      "lifecycle: definitive award refused in the standstill (%s)",
	      E.msg);
	CHECK(proc_move_stage(&p, 10, p.stages[10].start,
			      T(2022, 7, 20, 12, 0), now, &CAL, A, &E) ==
	      KV_DENIED && has(E.msg, "21 juli 2022"),
	      "lifecycle: standstill cannot be shortened (%s)", E.msg);
	CHECK(proc_move_stage(&p, 11, T(2022, 7, 21, 12, 0),
			      T(2022, 7, 21, 12, 0), now, &CAL, A, &E) ==
	      KV_DENIED, "lifecycle: definitive award not inside it");
	MOVE(11, T(2022, 7, 22, 10, 0), T(2022, 7, 22, 10, 0), now);

	now = T(2022, 7, 21, 12, 0);
	CHECK(proc_complete_stage(&p, 10, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_DENIED,
	      "lifecycle: standstill cannot be closed before its end");
	now = T(2022, 7, 22, 10, 0);
	DONE(10, now);
	DONE(11, now);
	v = timeline(&p, now);
	CHECK(v.current == 12 && v.open_now == -1 && v.next == 12 &&
	      v.days_left == 163, "lifecycle: contract starts in 163 days "
	      "(%lld)", (long long)v.days_left);
	now = T(2023, 1, 1, 0, 0);
	DONE(12, now);
	v = timeline(&p, now);
	CHECK(v.current == -1 && v.open_now == -1 && v.next == -1 &&
	      v.days_left == -1, "lifecycle: all done");
	bool all = true;
	for (int i = 0; i < p.n_stages; i++)
		all = all && p.stages[i].status == STAGE_COMPLETED;
	CHECK(all, "lifecycle: every stage completed");
}

static void test_private(void)
{
	/* Below the thresholds, one supplier: no standstill to wait for. */
	struct procedure p = new_proc(PT_PRIVATE_SINGLE, 0);
	p.reference = "DOR-2022-ADV";
	p.value_cents = EUR(40000);
	CHECK(proc_init(A, &p, &E) == KV_OK, "private: proc_init");
	const struct decision *decisions = NULL;
	int n_decisions = 0;
	kv_instant now = T(2022, 3, 1, 9, 0);
	MOVE(0, T(2022, 3, 2, 9, 0), T(2022, 3, 2, 9, 0), now);
	MOVE(1, T(2022, 3, 16, 12, 0), T(2022, 3, 16, 12, 0), now);
	MOVE(2, T(2022, 3, 17, 9, 0), T(2022, 3, 25, 17, 0), now);
	MOVE(3, T(2022, 3, 28, 10, 0), T(2022, 3, 28, 10, 0), now);
	MOVE(4, T(2022, 4, 1, 0, 0), T(2022, 4, 1, 0, 0), now);
	DONE(0, T(2022, 3, 2, 9, 0));
	DONE(1, T(2022, 3, 16, 12, 0));
	DONE(2, T(2022, 3, 18, 15, 0));
	DONE(3, T(2022, 3, 28, 10, 0));
	DONE(4, T(2022, 4, 1, 0, 0));
}

/*
 * Haarlem: college decision 2022/53240 decides the award subject to the
 * advice of the works council (art. 25 WOR).  While that condition is
 * pending the stages it governs cannot be completed.
 */
static void test_haarlem(void)
{
	struct condition cond[] = {{
		.id = 5, .description = "Advies Ondernemingsraad (art. 25 WOR)",
		.state = COND_PENDING}};
	struct condition other_pending = {.id = 6,
		.description = "Instemming gemeenteraad", .state = COND_PENDING};
	struct condition waived = {.id = 7, .description = "Advies RvT",
				   .state = COND_WAIVED};
	enum stage_kind gov[] = {SK_TENDER_DEADLINE, SK_PROVISIONAL_AWARD};
	struct decision decisions[] = {
		/* another procedure's decision does not hold this one */
		{.id = 20, .tenant_id = 2, .number = "2022/50000",
		 .date = {2022, 5, 1}, .title = "Ander besluit",
		 .conditions = &other_pending, .n_conditions = 1,
		 .procedure_id = 12, .governs = gov, .n_governs = 2},
		/* nor one that is not linked to a procedure */
		{.id = 21, .tenant_id = 2, .number = "2022/50001",
		 .date = {2022, 5, 1}, .title = "Los besluit",
		 .conditions = &other_pending, .n_conditions = 1,
		 .procedure_id = 0, .governs = gov, .n_governs = 2},
		/* nor a waived condition */
		{.id = 22, .tenant_id = 2, .number = "2022/50002",
		 .date = {2022, 5, 1}, .title = "Besluit met ontheffing",
		 .conditions = &waived, .n_conditions = 1,
		 .procedure_id = 11, .governs = gov, .n_governs = 2},
		{.id = 23, .tenant_id = 2, .number = "2022/53240",
		 .date = {2022, 5, 17}, .title = "Gunning Wmo-begeleiding",
		 .conditions = cond, .n_conditions = 1, .procedure_id = 11,
		 .governs = gov, .n_governs = 2},
	};
	int n_decisions = 4;
	for (int i = 0; i < n_decisions; i++)
		CHECK(decision_check(&decisions[i], &E) == KV_OK,
		      "haarlem: decision %s valid", decisions[i].number);

	struct procedure p = new_proc(PT_OPEN, 0);
	p.id = 11;
	p.tenant_id = 2;
	p.reference = "HLM-2022-WMO";
	p.title = "Wmo-begeleiding Haarlem";
	CHECK(proc_init(A, &p, &E) == KV_OK, "haarlem: proc_init");
	kv_instant now = T(2022, 4, 1, 9, 0);
	MOVE(0, T(2022, 4, 4, 9, 0), T(2022, 4, 4, 9, 0), now);
	MOVE(1, T(2022, 4, 11, 9, 0), T(2022, 4, 11, 9, 0), now);
	MOVE(2, T(2022, 5, 23, 12, 0), T(2022, 5, 23, 12, 0), now);
	MOVE(3, T(2022, 5, 24, 9, 0), T(2022, 6, 10, 17, 0), now);
	MOVE(4, T(2022, 6, 20, 10, 0), T(2022, 6, 20, 10, 0), now);
	DONE(0, T(2022, 4, 4, 9, 0));
	DONE(1, T(2022, 4, 11, 9, 0));

	now = T(2022, 5, 23, 12, 0);
	const struct decision *which = NULL;
	const struct condition *c =
	    proc_blocking_condition(&p, 2, decisions, n_decisions, &which);
	CHECK(c == &cond[0] && which == &decisions[3],
	      "haarlem: the works council holds the tender deadline");
	CHECK(proc_blocking_condition(&p, 3, decisions, n_decisions,
				      &which) == NULL && which == NULL,
	      "haarlem: the evaluation is not governed");
	CHECK(proc_blocking_condition(&p, 2, NULL, 0, &which) == NULL,
	      "haarlem: no decisions, nothing blocks");
	kv_error_clear(&E);
	CHECK(proc_complete_stage(&p, 2, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_DENIED,
	      "haarlem: tender deadline refused while the advice is pending");
	CHECK(has(E.msg, "2022/53240") &&
	      has(E.msg, "Advies Ondernemingsraad (art. 25 WOR)"),
	      "haarlem: the refusal names decision and condition (%s)",
	      E.msg);
	CHECK(p.stages[2].status == STAGE_PLANNED,
	      "haarlem: tender deadline still open");

	/* Positive advice on 30 May. */
	cond[0].state = COND_MET;
	cond[0].resolved_at = T(2022, 5, 30, 14, 0);
	cond[0].resolution = "positief advies d.d. 30 mei 2022";
	now = T(2022, 5, 30, 15, 0);
	CHECK(proc_blocking_condition(&p, 2, decisions, n_decisions,
				      &which) == NULL,
	      "haarlem: nothing blocks after the advice");
	DONE(2, now);
	DONE(3, T(2022, 6, 10, 17, 0));

	/* The award waits again when the condition is reopened. */
	cond[0].state = COND_PENDING;
	now = T(2022, 6, 20, 10, 0);
	CHECK(proc_complete_stage(&p, 4, now, 42, decisions, n_decisions,
				  &CAL, A, &E) == KV_DENIED &&
	      has(E.msg, "2022/53240"),
	      "haarlem: provisional award waits for the condition");
	CHECK(p.stages[5].start == 0 && p.stages[5].end == 0,
	      "haarlem: a refused award plans no standstill");
	cond[0].state = COND_WAIVED;
	DONE(4, now);
	CHECK(p.stages[5].start == T(2022, 6, 21, 0, 0) &&
	      p.stages[5].rule != NULL,
	      "haarlem: standstill planned from 21 June");
	/* Monday 20 June + 20 days = Sunday 10 July: runs on to Monday. */
	CHECK(p.stages[5].end == cal_end_of_day((cal_date){2022, 7, 11}),
	      "haarlem: standstill over a Sunday ends Monday 11 July");
}

/* Where a stage stands by the clock and its completion together, the
 * timeline's masks of running and overdue stages, and the warnings about
 * days that are no working day (Algemene termijnenwet). */
static void test_states(void)
{
	struct procedure p = new_proc(PT_RESTRICTED, 0);
	CHECK(proc_init(A, &p, &E) == KV_OK, "states: proc_init");
	struct stage *pre = &p.stages[0], *reg = &p.stages[1],
		     *doc = &p.stages[2];
	kv_instant now = T(2022, 12, 1, 12, 0);
	CHECK(proc_stage_state(pre, now) == STATE_UNPLANNED,
	      "states: no dates is unplanned");
	pre->start = pre->end = T(2022, 11, 28, 9, 0);
	reg->start = T(2022, 11, 29, 9, 0);
	reg->end = T(2022, 12, 25, 12, 0);
	doc->start = doc->end = T(2022, 12, 24, 9, 0);
	CHECK(proc_stage_state(pre, now) == STATE_OVERDUE,
	      "states: a moment past, not completed, is overdue");
	CHECK(proc_stage_state(reg, now) == STATE_RUNNING,
	      "states: a period around now runs");
	CHECK(proc_stage_state(doc, now) == STATE_UPCOMING,
	      "states: a moment ahead is upcoming");
	CHECK(proc_stage_state(reg, reg->end) == STATE_RUNNING &&
		  proc_stage_state(reg, reg->end + 1) == STATE_OVERDUE,
	      "states: a period runs to its last second, then is overdue");
	CHECK(proc_stage_state(doc, doc->start) == STATE_RUNNING,
	      "states: a moment runs at its instant");
	struct timeline_view v;
	memset(&v, 0xa5, sizeof v);
	proc_timeline(&p, now, &v);
	CHECK(v.current == 0 && v.n_overdue == 1 && v.overdue == 1 &&
		  v.n_running == 1 && v.running == 2 && v.next == 2,
	      "states: the view counts and masks them (%d %d %llx %d %llx %d)",
	      v.current, v.n_overdue, (unsigned long long)v.overdue,
	      v.n_running, (unsigned long long)v.running, v.next);
	struct timeline_view w;
	memset(&w, 0x5a, sizeof w);
	proc_timeline(&p, now, &w);
	CHECK(memcmp(&v, &w, sizeof v) == 0,
	      "states: the view is the same bytes whatever was there before");
	pre->status = STAGE_COMPLETED;
	pre->completed_at = now;
	CHECK(proc_stage_state(pre, now) == STATE_COMPLETED,
	      "states: completing it ends the overdue");
	proc_timeline(&p, now, &v);
	CHECK(v.current == 1 && v.n_overdue == 0 && v.overdue == 0,
	      "states: the view follows the completion");
	CHECK(strcmp(stage_state_code(STATE_OVERDUE), "overdue") == 0 &&
		  strcmp(stage_state_code(STATE_RUNNING), "running") == 0,
	      "states: codes");

	/* Warnings: Eerste Kerstdag ends the registration, the document is
	 * issued on a Saturday; a completed or past date says nothing. */
	struct stage_day_warning w2[2];
	int n = proc_stage_day_warnings(reg, &CAL, now, w2);
	CHECK(n == 1 && strcmp(w2[0].field, "end") == 0 &&
		  w2[0].date.month == 12 && w2[0].date.day == 25 &&
		  has(w2[0].why.name, "Kerstdag") &&
		  has(w2[0].why.source, "art. 3 lid 1"),
	      "warnings: a period ending on Eerste Kerstdag (%d, %s)", n,
	      n ? w2[0].why.name : "");
	n = proc_stage_day_warnings(doc, &CAL, now, w2);
	CHECK(n == 1 && strcmp(w2[0].field, "start") == 0 &&
		  has(w2[0].why.name, "zaterdag"),
	      "warnings: a moment on a Saturday, once (%d)", n);
	CHECK(proc_stage_day_warnings(doc, &CAL, doc->start + 1, w2) == 0,
	      "warnings: not once the date has passed");
	CHECK(proc_stage_day_warnings(pre, &CAL, T(2022, 11, 1, 9, 0), w2) ==
		  0,
	      "warnings: none for a completed stage");
	reg->start = T(2022, 12, 3, 9, 0); /* a Saturday too */
	n = proc_stage_day_warnings(reg, &CAL, now, w2);
	CHECK(n == 2 && strcmp(w2[0].field, "start") == 0 &&
		  strcmp(w2[1].field, "end") == 0,
	      "warnings: start and end each (%d)", n);
	reg->start = T(2022, 12, 5, 9, 0);
	reg->end = T(2022, 12, 23, 17, 0);
	CHECK(proc_stage_day_warnings(reg, &CAL, now, w2) == 0,
	      "warnings: none on working days");
	/* A day the decree equates: Friday 27 May 2022 is not one Kavel
	 * knows by decree, but the rule's Friday after Hemelvaartsdag. */
	reg->end = T(2022, 5, 27, 12, 0);
	reg->start = T(2022, 5, 2, 9, 0);
	n = proc_stage_day_warnings(reg, &CAL, T(2022, 5, 1, 9, 0), w2);
	CHECK(n == 1 && has(w2[0].why.name, "Hemelvaartsdag"),
	      "warnings: an equated day (%d, %s)", n, n ? w2[0].why.name : "");
}

int main(void)
{
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("Bail out! cal_init: %s\n", e.msg);
		return 1;
	}
	A = arena_new();
	struct cal_equated_day *eq = NULL;
	CAL.n_equated = cal_shipped_equated(A, 2021, 2024, &eq);
	CAL.equated = eq;

	test_names();
	test_roles();
	test_templates();
	test_init_refusals();
	test_lots();
	test_candidates();
	test_decisions();
	test_move_refusals();
	test_complete_refusals();
	test_lifecycle();
	test_private();
	test_haarlem();
	test_states();

	arena_free(A);
	return tap_done();
}
