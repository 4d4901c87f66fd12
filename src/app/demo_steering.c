/*
 * demo_steering.c - the steering part of the demo, from the seed papers:
 * Haarlem's contract "Gewoon in de Wijk" (1 July 2022 to 1 January 2030,
 * evaluations after years 3 and 6) and its Wmo budget table 2021-2025
 * (collegebesluit 2021/34505); Dordrecht's subsidies and the history of the
 * wijkteam's organisation form (memo of 20 April 2020, raadsinformatiebrief
 * 2022, committee slides 2020); the three risks of the 2022 letter.
 *
 * Not in the papers, and marked "(demo)" where shown: the consortium
 * behind Haarlem's contract, its KPIs and their measurements, KvK numbers.
 * Amounts the papers do not give are left at zero rather than invented.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Seed 003, "Beschikbare budgetten Wmo" (k€). */
static const char wmo_csv[] =
	"categorie;2021;2022;2023;2024;2025\n"
	"Vervoersvoorzieningen;5.678;5.693;5.684;5.676;5.676\n"
	"Woonvoorzieningen;2.567;2.658;2.658;2.658;2.658\n"
	"Huishoudelijke ondersteuning;14.703;14.511;14.408;14.305;14.305\n"
	"Ambulante Begeleiding;8.709;8.650;8.651;8.651;8.651\n"
	"Begeleiding Dagopvang;2.985;2.940;2.940;2.940;2.940\n"
	"Gezinsbegeleiding en jongvolwassenen;1.818;1.827;1.827;1.827;1.827\n"
	"Overige voorzieningen volwassenen;108;108;108;108;108\n"
	"Totaal taakstellingen Wmo;-119;-5.164;-5.164;-5.501;-5.501\n"
	"Totaal;36.449;31.223;31.112;30.664;30.664\n";

static const char kpi_csv[] =
	"kpi;periode;gebied;waarde\n"
	"Bereik inwoners in een kwetsbare positie (demo);2022-Q3;Schalkwijk;410\n"
	"Bereik inwoners in een kwetsbare positie (demo);2022-Q4;Schalkwijk;455\n"
	"Bereik inwoners in een kwetsbare positie (demo);2023-Q1;Schalkwijk;470\n"
	"Bereik inwoners in een kwetsbare positie (demo);2023-Q2;Schalkwijk;520\n"
	"Doorlooptijd eerste gesprek (demo);2022-Q3;;16\n"
	"Doorlooptijd eerste gesprek (demo);2022-Q4;;15\n"
	"Doorlooptijd eerste gesprek (demo);2023-Q1;;13,5\n"
	"Doorlooptijd eerste gesprek (demo);2023-Q2;;12\n";

static enum kv_status haarlem_steering(struct app *x, int64_t haarlem,
				       struct kv_error *e)
{
	struct budget_frame f;
	enum kv_status rc = app_frame_import(x, haarlem, "Beschikbare budgetten Wmo 2021-2025",
		"Collegebesluit 2021/34505, Verwervingsstrategie Gewoon in de Wijk (bedragen x € 1.000)",
		wmo_csv, sizeof wmo_csv - 1, true, &f, e);
	if (rc != KV_OK)
		return rc;

	struct party parties[2] = {
		{.kvk = "90000021", .org_name = "Samenwerkingsverband Gewoon in de Wijk (demo)",
		 .role = PARTY_PENVOERDER},
		{.kvk = "90000022", .org_name = "Wijkpartner Haarlem (demo)", .role = PARTY_MEMBER},
	};
	struct contract c = {
		.tenant_id = haarlem, .reference = "HLM-GIDW-2022",
		.title = "Gewoon in de Wijk: Sociale Basis, Sociaal Wijkteam en Aanvullende Ondersteuning",
		.parties = parties, .n_parties = 2,
		.start = {2022, 7, 1}, .end = {2030, 1, 1},
		.evaluation_years = {3, 6}, .n_evaluations = 2,
		.base_year = 2022, .wage_weight_bp = 7500, .price_weight_bp = 2500,
	};
	if ((rc = app_contract_create(x, &c, e)) != KV_OK)
		return rc;

	struct kpi k1 = {.contract_id = c.id,
			 .name = "Bereik inwoners in een kwetsbare positie (demo)",
			 .definition = "Aantal inwoners in een kwetsbare positie met wie in het kwartaal een ondersteuningsgesprek is gevoerd.",
			 .unit = "inwoners", .direction = KPI_HIGHER_IS_BETTER,
			 .has_target = true, .target_milli = 500000,
			 .source = "Registratie samenwerkingsverband (demo)",
			 .frequency = KPI_QUARTERLY};
	struct kpi k2 = {.contract_id = c.id, .name = "Doorlooptijd eerste gesprek (demo)",
			 .definition = "Gemiddeld aantal kalenderdagen tussen aanmelding en eerste gesprek.",
			 .unit = "dagen", .direction = KPI_LOWER_IS_BETTER,
			 .has_target = true, .target_milli = 14000,
			 .source = "Registratie samenwerkingsverband (demo)",
			 .frequency = KPI_QUARTERLY};
	if ((rc = app_kpi_create(x, &k1, e)) != KV_OK ||
	    (rc = app_kpi_create(x, &k2, e)) != KV_OK)
		return rc;
	int n = 0;
	if ((rc = app_measurements_import(x, c.id, kpi_csv, sizeof kpi_csv - 1, &n, e)) != KV_OK)
		return rc;

	/* The consortium's reporter. */
	struct account acc = {.org_id = parties[0].org_id, .email = "reporter@gidw.example",
			      .name = "Rapporteur samenwerkingsverband (demo)"};
	if ((rc = app_account_create(x, &acc, "kavel-demo-2022", e)) != KV_OK)
		return rc;
	struct grant g = {.account_id = acc.id, .tenant_id = haarlem,
			  .role = ROLE_REPORTER, .contract_id = c.id};
	if ((rc = app_grant(x, &g, e)) != KV_OK)
		return rc;
	printf("  %-34s %-10s %s\n", acc.email, "reporter", acc.name);
	return KV_OK;
}

static enum kv_status dordrecht_steering(struct app *x, int64_t dordrecht,
					 struct kv_error *e)
{
	struct org orgs[] = {
		{.name = "Stichting De Sociale Basis", .kvk = "90000031"},
		{.name = "Stichting Jeugdteams Zuid-Holland Zuid", .kvk = "90000032"},
		{.name = "ContourdeTwern", .kvk = "90000033"},
	};
	for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) {
		orgs[i].kind = ORG_SUPPLIER;
		enum kv_status rc = app_org_create(x, &orgs[i], e);
		if (rc != KV_OK)
			return rc;
	}
	struct subsidy subs[] = {
		{.recipient_org_id = orgs[0].id,
		 .purpose = "Sociaal Wijkteam (penvoerder, samen met Stichting Jeugdteams); ca. € 9 mln per jaar voor de wijkteams, deels via SOJ",
		 .kind = SUBSIDY_MULTI_YEAR, .from_year = 2021, .to_year = 2023,
		 .cents_per_year = 900000000,
		 .decision = "Memo 20 april 2020"},
		{.recipient_org_id = orgs[1].id,
		 .purpose = "Overgangs- en voorbereidingsjaar jeugd (bedrag niet in de raadsstukken)",
		 .kind = SUBSIDY_BUDGET, .from_year = 2022, .to_year = 2022,
		 .decision = "Zaaknummer 2021-0095434"},
		{.recipient_org_id = orgs[2].id,
		 .purpose = "Buurtwerk (penvoerder, samen met MEE/Vivenz; bedrag niet in de raadsstukken)",
		 .kind = SUBSIDY_MULTI_YEAR, .from_year = 2020, .to_year = 2021,
		 .decision = "Raadsinformatiebrief 2022"},
	};
	for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
		subs[i].tenant_id = dordrecht;
		enum kv_status rc = app_subsidy_create(x, &subs[i], e);
		if (rc != KV_OK)
			return rc;
	}
	static const char memo[] = "Memo Dordrecht 20 april 2020";
	struct form_period hist[] = {
		{.assignment = "Sociaal Wijkteam", .from_year = 2015, .to_year = 2016,
		 .form = FORM_SEPARATE_SUBSIDIES,
		 .parties = "Losse subsidieopdrachten aan de moederorganisaties (o.a. MEE, Vivenz, Careyn, Enver, Stichting Jeugdteams)",
		 .source = "Memo Dordrecht 20 april 2020; raadsinformatiebrief 2022"},
		{.assignment = "Sociaal Wijkteam", .from_year = 2017, .to_year = 2017,
		 .form = FORM_ONE_PENVOERDER, .parties = "Flexus Jeugdplein (penvoerder)",
		 .source = (char *)memo},
		{.assignment = "Sociaal Wijkteam", .from_year = 2018, .to_year = 2020,
		 .form = FORM_MAIN_CONTRACTOR,
		 .parties = "MEE Plus (hoofdaannemer sociaal domein) met onderaannemers; Stichting Jeugdteams (hoofdaannemer jeugd)",
		 .source = (char *)memo},
		{.assignment = "Sociaal Wijkteam", .from_year = 2021, .to_year = 2022,
		 .form = FORM_EQUAL_PARTIES,
		 .parties = "Stichting De Sociale Basis (penvoerder) en Stichting Jeugdteams",
		 .source = (char *)memo},
		{.assignment = "Buurtwerk", .from_year = 2020, .to_year = 2021,
		 .form = FORM_ONE_PENVOERDER,
		 .parties = "ContourdeTwern (penvoerder) en MEE/Vivenz",
		 .source = "Raadsinformatiebrief Dordrecht 2022"},
	};
	for (size_t i = 0; i < sizeof hist / sizeof *hist; i++) {
		hist[i].tenant_id = dordrecht;
		enum kv_status rc = app_form_period_create(x, &hist[i], e);
		if (rc != KV_OK)
			return rc;
	}
	struct risk risks[] = {
		{.title = "Behoud van expertise en 'bloedgroepen'",
		 .description = "Professionals van jongerenwerk en buurtwerk hebben andere competenties dan die van het Sociaal Wijkteam (outreachend en coachend tegenover procesregie bij complexe problematiek en veiligheid).",
		 .mitigation = "Verschillende kavels afbakenen binnen de aanbesteding, elk met eigen doelen, zodat de expertises geborgd blijven.",
		 .level = RISK_MEDIUM, .status = "Geborgd in de kavelindeling"},
		{.title = "Onrust onder cliënten, personeel en in de stad",
		 .description = "Cliënten vragen zich af of zij dezelfde zorg en professional houden; professionals of zij hun baan houden; partners of investeren in samenwerking zinvol is.",
		 .mitigation = "Randvoorwaarden borgen in de aanbesteding, zoals continuïteit van zorg en overname van personeel; transparante communicatie door de huidige partners; beelden in overleg toetsen.",
		 .level = RISK_MEDIUM, .status = "Doorlopend"},
		{.title = "Financiën",
		 .description = "De financiële afspraken kunnen ontoereikend blijken voor de continuïteit van de taken bij partners.",
		 .mitigation = "POK-middelen (raadsbesluit 13 september 2022), middelen uit het Politiek Akkoord, herschikking van vrij besteedbare middelen van Sociaal & Zorgzaam en een reguliere indexatie 2023.",
		 .level = RISK_HIGH, .status = "Gedekt, mits de raad akkoord gaat met de meerjarenbegroting 2023"},
	};
	for (size_t i = 0; i < sizeof risks / sizeof *risks; i++) {
		risks[i].tenant_id = dordrecht;
		enum kv_status rc = app_risk_create(x, &risks[i], e);
		if (rc != KV_OK)
			return rc;
	}
	return KV_OK;
}

enum kv_status app_load_steering_demo(struct app *x, int64_t dordrecht,
				      int64_t haarlem, struct kv_error *e)
{
	enum kv_status rc = dordrecht_steering(x, dordrecht, e);
	if (rc == KV_OK)
		rc = haarlem_steering(x, haarlem, e);
	return rc;
}
