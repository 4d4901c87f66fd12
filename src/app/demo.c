/*
 * demo.c - the demo database: the two seed procedures as the council
 * papers in shared/seeds describe them, and accounts to try every role.
 *
 * What is real: procedure titles, types, lots and their goals, every date
 * and decision number that the papers state (Dordrecht's raadsinformatie-
 * brief of 2022; Haarlem's collegebesluiten 2021/34505 and 2022/53240).
 * What is not: KvK numbers, e-mail addresses, the CPV choice and the demo
 * candidate, which carry "(demo)" or a .example address.  Dates the papers
 * do not give stay unplanned rather than invented.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "store/store.h"

#define DEMO_PASSWORD "kavel-demo-2022"

static kv_instant day_start(int y, int m, int d)
{
	return cal_local_to_utc((cal_date){y, m, d}, 0, 0, 0);
}

static kv_instant day_end(int y, int m, int d)
{
	return cal_end_of_day((cal_date){y, m, d});
}

static int find_stage(const struct procedure *p, enum stage_kind k, int round)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == k && p->stages[i].round == round)
			return i;
	return -1;
}

/* Records a stage as the papers report it: a historical import, audited
 * as such, bypassing the "not in the past" rule that protects live
 * procedures. */
static enum kv_status import_stage(struct app *x, struct procedure *p,
				   enum stage_kind k, int round,
				   kv_instant start, kv_instant end,
				   int completed, const char *source,
				   struct kv_error *e)
{
	int i = find_stage(p, k, round);
	if (i < 0)
		return kv_fail(e, KV_INVALID, "stage", "demo: no stage %s",
			       stage_kind_code(k));
	struct stage *s = &p->stages[i];
	s->start = start;
	s->end = end;
	if (completed) {
		s->status = STAGE_COMPLETED;
		s->completed_at = end;
	}
	s->rule = (char *)source;
	enum kv_status rc = store_begin(x->st, true, e);
	if (rc != KV_OK)
		return rc;
	rc = STORE(x->st, stage_update, p->id, s, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:I, s:I, s:b, s:s}", "kind",
				      stage_kind_code(k), "start",
				      (json_int_t)start, "end", (json_int_t)end,
				      "completed", completed, "source", source);
		char *after = app_json_text(x->a, j);
		struct audit_event ev = {
			.at = x->now, .actor = 0, .tenant_id = p->tenant_id,
			.action = "stage.import",
			.object = arena_printf(x->a, "procedure/%lld/stage/%lld",
					       (long long)p->id, (long long)s->id),
			.before = "", .after = after};
		rc = STORE(x->st, audit_append, &ev, e);
	}
	if (rc == KV_OK)
		return store_commit(x->st, e);
	store_rollback(x->st);
	return rc;
}

struct demo_account {
	const char *email, *name;
	enum role role;
	int64_t procedure_id;
};

static enum kv_status add_accounts(struct app *x, int64_t org_id,
				   int64_t tenant_id,
				   const struct demo_account *list, int n,
				   struct kv_error *e)
{
	for (int i = 0; i < n; i++) {
		struct account acc = {.org_id = org_id,
				      .email = (char *)list[i].email,
				      .name = (char *)list[i].name};
		enum kv_status rc = app_account_create(x, &acc, DEMO_PASSWORD, e);
		if (rc != KV_OK)
			return rc;
		struct grant g = {.account_id = acc.id, .tenant_id = tenant_id,
				  .procedure_id = list[i].procedure_id,
				  .role = list[i].role};
		rc = app_grant(x, &g, e);
		if (rc != KV_OK)
			return rc;
		printf("  %-34s %-10s %s\n", list[i].email,
		       role_code(list[i].role), list[i].name);
	}
	return KV_OK;
}

static int64_t dordrecht_id, haarlem_id;

static enum kv_status dordrecht(struct app *x, struct kv_error *e)
{
	struct org gem = {.name = "Gemeente Dordrecht", .kvk = "90000001",
			  .kind = ORG_MUNICIPALITY};
	enum kv_status rc = app_org_create(x, &gem, e);
	if (rc != KV_OK)
		return rc;
	dordrecht_id = gem.id;
	static const char *src = "Raadsinformatiebrief Dordrecht 2022, "
				 "'Stand van zaken/planning'";
	struct lot lots[3] = {
		{.number = 1, .title = "Sociaal Wijkteam (0-100 jaar)",
		 .goals = "Procesregie bij complexe problematiek en veiligheidszaken; "
			  "passend op- en afschalen; brede toegang fysiek en digitaal."},
		{.number = 2, .title = "Buurtwerk",
		 .goals = "Vindplaatsgericht en outreachend werken in de wijken; "
			  "tijdig signaleren van vragen; sociale cohesie."},
		{.number = 3, .title = "Jongerenwerk",
		 .goals = "Outreachende en coachende inzet voor jongeren, onder meer "
			  "de aanpak van kwetsbare jongeren van 16-27 jaar."},
	};
	struct procedure p = {
		.tenant_id = gem.id,
		.reference = "DOR-2022-SWT-BW-JW",
		.title = "Sociaal Wijkteam, buurtwerk en jongerenwerk 2023 (SAS met EMVI)",
		.type = PT_SAS_DIALOGUE,
		.cpv = "85310000-5",
		.dialogue_rounds = 2,
		.standstill_days = 20,
		.lots = lots,
		.n_lots = 3,
	};
	rc = app_procedure_create(x, &p, e);
	if (rc != KV_OK)
		return rc;
	struct { enum stage_kind k; int round; kv_instant s, t; int done; } plan[] = {
		{SK_PRE_ANNOUNCEMENT, 0, day_start(2022, 4, 1), day_start(2022, 4, 1), 1},
		{SK_REGISTRATION, 0, day_start(2022, 4, 1), day_end(2022, 6, 1), 1},
		{SK_DOCUMENT_ISSUED, 0, day_start(2022, 6, 1), day_start(2022, 6, 1), 1},
		{SK_APPLICATION_DEADLINE, 0, day_end(2022, 7, 1), day_end(2022, 7, 1), 1},
		{SK_SELECTION, 0, day_start(2022, 7, 1), day_end(2022, 9, 30), 0},
		{SK_TENDER_DEADLINE, 0, day_end(2022, 9, 30), day_end(2022, 9, 30), 0},
		{SK_EVALUATION, 0, day_start(2022, 10, 1), day_end(2022, 11, 14), 0},
		{SK_CONTRACT_START, 0, day_start(2023, 1, 1), day_start(2023, 1, 1), 0},
	};
	for (size_t i = 0; rc == KV_OK && i < sizeof plan / sizeof *plan; i++)
		rc = import_stage(x, &p, plan[i].k, plan[i].round, plan[i].s,
				  plan[i].t, plan[i].done, src, e);
	if (rc != KV_OK)
		return rc;

	printf("Dordrecht (%s):\n", p.reference);
	const struct demo_account people[] = {
		{"buyer@dordrecht.example", "Inkoper Dordrecht (demo)", ROLE_BUYER, 0},
		{"buyer2@dordrecht.example", "Tweede inkoper Dordrecht (demo)", ROLE_BUYER, 0},
		{"council@dordrecht.example", "Raadslid Dordrecht (demo)", ROLE_COUNCIL, 0},
		{"assessor@dordrecht.example", "Beoordelaar Dordrecht (demo)", ROLE_ASSESSOR, p.id},
	};
	rc = add_accounts(x, gem.id, gem.id, people, 4, e);
	if (rc != KV_OK)
		return rc;

	/* A demo consortium, fictitious, so that the bidder role can be
	 * tried.  The papers do not say who applied. */
	struct party parties[3] = {
		{.kvk = "90000011", .org_name = "Wijkzorg Penvoerder (demo)", .role = PARTY_PENVOERDER},
		{.kvk = "90000012", .org_name = "Buurtwerk Partner (demo)", .role = PARTY_MEMBER},
		{.kvk = "90000013", .org_name = "Jongerenwerk Onderaannemer (demo)", .role = PARTY_SUBCONTRACTOR},
	};
	struct candidate c = {.procedure_id = p.id,
			      .name = "Samenwerkingsverband Wijk (demo)",
			      .consortium = true, .parties = parties,
			      .n_parties = 3};
	rc = app_candidate_add(x, &c, e);
	if (rc != KV_OK)
		return rc;
	const struct demo_account bidder[] = {
		{"bidder@wijkzorg.example", "Gegadigde Wijkzorg (demo)", ROLE_BIDDER, p.id},
	};
	struct account acc = {.org_id = parties[0].org_id,
			      .email = (char *)bidder[0].email,
			      .name = (char *)bidder[0].name};
	rc = app_account_create(x, &acc, DEMO_PASSWORD, e);
	if (rc != KV_OK)
		return rc;
	struct grant g = {.account_id = acc.id, .tenant_id = gem.id,
			  .procedure_id = p.id, .role = ROLE_BIDDER,
			  .candidate_id = c.id};
	rc = app_grant(x, &g, e);
	if (rc == KV_OK)
		printf("  %-34s %-10s %s\n", bidder[0].email, "bidder",
		       bidder[0].name);
	return rc;
}

static enum kv_status haarlem(struct app *x, struct kv_error *e)
{
	struct org gem = {.name = "Gemeente Haarlem", .kvk = "90000002",
			  .kind = ORG_MUNICIPALITY};
	enum kv_status rc = app_org_create(x, &gem, e);
	if (rc != KV_OK)
		return rc;
	haarlem_id = gem.id;
	struct lot lot = {
		.number = 1, .title = "Gewoon in de Wijk (integrale opdracht)",
		.goals = "Eén integrale opdracht met één budget, drie onderdelen: "
			 "Sociale Basis, Sociaal Wijkteam en Aanvullende Ondersteuning. "
			 "Ondersteuning dichtbij, laagdrempelig en herkenbaar; "
			 "taakgerichte bekostiging met een vast bedrag als budgetplafond.",
		.fixed_budget = true,
	};
	struct procedure p = {
		.tenant_id = gem.id,
		.reference = "HLM-2021-GIDW",
		.title = "Gewoon in de Wijk: sociale basis, begeleiding en sociaal wijkteam",
		.type = PT_SAS_DIALOGUE,
		.cpv = "85310000-5",
		.dialogue_rounds = 2,
		.standstill_days = 20,
		.lots = &lot,
		.n_lots = 1,
	};
	rc = app_procedure_create(x, &p, e);
	if (rc != KV_OK)
		return rc;
	rc = import_stage(x, &p, SK_CONTRACT_START, 0, day_start(2022, 7, 1),
			  day_start(2022, 7, 1), 0,
			  "Collegebesluit 2021/34505: contractduur 1-7-2022 tot 1-1-2030", e);
	if (rc != KV_OK)
		return rc;

	struct condition c1 = {.description = "Positief advies Participatieraad bij aanvang van de dialooggerichte aanbesteding",
			       .state = COND_MET};
	enum stage_kind gov1[] = {SK_PRE_ANNOUNCEMENT, SK_DOCUMENT_ISSUED};
	struct decision d1 = {
		.tenant_id = gem.id, .number = "2021/34505",
		.date = {2021, 2, 16},
		.title = "Verwervingsstrategie Voorzieningen Gewoon in de Wijk",
		.body = "1. De verwervingsstrategie Gewoon in de Wijk vast te stellen. "
			"2. De contracten maatwerkvoorzieningen Begeleiding en subsidies "
			"Sociale Basis en Sociaal Wijkteam te verlengen tot 1 juli 2022. "
			"3. De subsidierelaties Sociale Basis en Sociaal Wijkteam te "
			"beëindigen per 1 juli 2022.",
		.conditions = &c1, .n_conditions = 1,
		.procedure_id = p.id, .governs = gov1, .n_governs = 2,
	};
	rc = app_decision_add(x, &d1, e);
	if (rc != KV_OK)
		return rc;
	if (d1.conditions[0].id) {
		rc = app_condition_resolve(x, p.id, d1.conditions[0].id, COND_MET,
					   "De Participatieraad heeft bij aanvang positief geadviseerd (collegebesluit 2022/53240, par. 1).",
					   e);
		if (rc != KV_OK)
			return rc;
	}
	struct condition c2 = {.description = "Advies Ondernemingsraad over overdracht aansturing Sociaal Wijkteam (art. 25 WOR)",
			       .state = COND_PENDING};
	enum stage_kind gov2[] = {SK_TENDER_DEADLINE, SK_PROVISIONAL_AWARD};
	struct decision d2 = {
		.tenant_id = gem.id, .number = "2022/53240",
		.date = {2022, 2, 15},
		.title = "Uitnodiging tot Inschrijving Gewoon in de Wijk",
		.body = "Onder voorbehoud van advies van de Ondernemingsraad: "
			"1. De Uitnodiging tot Inschrijving Gewoon in de Wijk vast te stellen. "
			"2. Kennis te nemen van de concept Uitvoeringsafspraken en de "
			"concept Overeenkomst.",
		.conditions = &c2, .n_conditions = 1,
		.procedure_id = p.id, .governs = gov2, .n_governs = 2,
	};
	rc = app_decision_add(x, &d2, e);
	if (rc != KV_OK)
		return rc;

	printf("Haarlem (%s):\n", p.reference);
	const struct demo_account people[] = {
		{"buyer@haarlem.example", "Inkoper Haarlem (demo)", ROLE_BUYER, 0},
		{"council@haarlem.example", "Raadslid Haarlem (demo)", ROLE_COUNCIL, 0},
	};
	return add_accounts(x, gem.id, gem.id, people, 2, e);
}

enum kv_status app_load_demo(struct app *x, const char *vault_dir,
			     struct kv_error *e)
{
	printf("Demo accounts (password for all: %s):\n", DEMO_PASSWORD);
	enum kv_status rc = dordrecht(x, e);
	if (rc == KV_OK)
		rc = haarlem(x, e);
	if (rc == KV_OK)
		rc = app_load_steering_demo(x, dordrecht_id, haarlem_id, e);
	if (rc == KV_OK)
		rc = app_load_stages_demo(x, dordrecht_id, vault_dir, e);
	return rc;
}
