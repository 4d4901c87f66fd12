/*
 * demo_stages.c - the demo's procedures in every stage, next to the two
 * seed procedures: Dordrecht buys five (fictitious) services, each one
 * standing in another stage when the demo is loaded.
 *
 *   registration  published on /tenders, registration open, two lots,
 *                 selection criteria, one organisation registered
 *   dialogue      selection round 1 published (two of three admitted),
 *                 round 1 done (plans, meetings, minutes, feedback
 *                 published), round 2 running (a plan in, meetings
 *                 planned)
 *   evaluation    tender deadline passed, three sealed bids and prices,
 *                 the vault opened by two buyers, award rules, assessors
 *                 assigned, some scores in
 *   standstill    quality final, prices opened, the provisional award
 *                 decision sent (its letters), the standstill running
 *   awarded       definitive after the standstill (an objection settled
 *                 on the way), and a contract made from the lot
 *
 * Everything goes through the actions a person takes (app.h), with the
 * app's clock (x->now) moved along each procedure's timeline and the
 * actor set to whoever takes the step; nothing is written to the store
 * directly.  The dates lie around the real time the demo is loaded, so
 * each procedure is in its stage whenever that is (the standstill ends
 * about two weeks after loading, the tender deadline of the evaluation
 * was a few days before).  Bids are real sealed files under the vault
 * directory; the two buyers who hold the vaults' keys have real vault
 * passphrases (printed), so a person can open the prices that are still
 * sealed.  argon2id runs once per passphrase: the openings reuse the key
 * pairs (app_vault_key_set_unlocked, app_envelope_open with app_opener).
 *
 * Names, KvK numbers, e-mail addresses, texts and amounts are invented
 * and marked "(demo)" or .example.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "cost_model.h"

#define DEMO_PASSWORD "kavel-demo-2022"
#define HOUR ((kv_instant)3600)
#define DAY ((kv_instant)86400)

/* ---- the cast ------------------------------------------------------------ */

struct keyholder {
	const char *email, *name, *passphrase;
	int64_t id;
};

static struct keyholder keyholders[2] = {
	{"keyholder1@dordrecht.example", "Inkoper en sleutelhouder 1 (demo)",
	 "kluis-demo-2022-een", 0},
	{"keyholder2@dordrecht.example", "Inkoper en sleutelhouder 2 (demo)",
	 "kluis-demo-2022-twee", 0},
};

/* The three organisations that bid in the demo, and one that registers
 * in the procedure still open.  A is the seed demo's consortium. */
struct bidder {
	const char *name;
	bool consortium;
	struct party parties[3];
	int n_parties;
	const char *email, *person;
	int64_t account;
	/* how its texts differ */
	const char *vision, *area, *partners, *team, *experience, *network;
};

enum { A, B, C, D, N_BIDDERS };

static struct bidder bidders[N_BIDDERS] = {
	[A] = {
		"Samenwerkingsverband Wijk (demo)", true,
		{{.kvk = "90000011", .org_name = "Wijkzorg Penvoerder (demo)",
		  .role = PARTY_PENVOERDER},
		 {.kvk = "90000012", .org_name = "Buurtwerk Partner (demo)",
		  .role = PARTY_MEMBER},
		 {.kvk = "90000013",
		  .org_name = "Jongerenwerk Onderaannemer (demo)",
		  .role = PARTY_SUBCONTRACTOR}},
		3, "bidder@wijkzorg.example", NULL, 0,
		"Wij werken vanuit vaste teams per wijk: Noord, West, Centrum "
		"en Zuid. Inwoners zien steeds dezelfde gezichten, in het "
		"buurthuis, op school en bij de huisarts.",
		"Per wijk één aanspreekpunt dat binnen drie werkdagen langskomt; "
		"spreekuren in het buurthuis en bij de huisartsenpraktijk; "
		"outreachend werken met de wijkagent en de woningcorporatie.",
		"De drie partners delen één registratie en één overleg per wijk; "
		"afspraken met huisartsen, scholen en de corporaties liggen er al "
		"en worden per wijk bijgehouden.",
		"Een vast kernteam van twaalf professionals (hbo, SKJ- of "
		"BIG-geregistreerd waar nodig), aangevuld met ervaringsdeskundigen; "
		"vervanging binnen het eigen team, zodat niemand een onbekende "
		"krijgt.",
		"Sinds 2015 voeren de partners samen het wijkteamwerk in "
		"Dordrecht-West uit; referenties van twee gemeenten zijn bijgevoegd.",
		"Spreekuren in vier buurthuizen, vaste contacten met zes "
		"huisartsenpraktijken en met de scholen in Noord en West."},
	[B] = {
		"Buurtkracht Drechtsteden (demo)", false,
		{{.kvk = "90000051", .org_name = "Buurtkracht Drechtsteden (demo)",
		  .role = PARTY_PENVOERDER}},
		1, "bidder@buurtkracht.example", "Gegadigde Buurtkracht (demo)", 0,
		"Buurtkracht gaat uit van wat inwoners zelf en samen kunnen. "
		"Professionals ondersteunen, vrijwilligers en buren dragen.",
		"Inloop in de buurthuizen vijf dagdelen per week; een "
		"vrijwilligerspool per wijk die wij werven, opleiden en begeleiden; "
		"huisbezoeken na een signaal binnen vijf werkdagen.",
		"Wij sluiten aan bij het wijknetwerk dat er is: kerken, "
		"moskeeën, sportverenigingen en de voedselbank; het "
		"wijkteam is onze eerste partner bij zorgen.",
		"Acht professionals en zestig opgeleide vrijwilligers; een "
		"coördinator per wijk houdt het overzicht en is het vaste "
		"aanspreekpunt voor de gemeente.",
		"Twaalf jaar buurtwerk in Zwijndrecht en Papendrecht, met "
		"jaarlijkse effectmeting door een hogeschool.",
		"Zestig actieve vrijwilligers, samenwerking met de voedselbank "
		"en met twaalf verenigingen in de Drechtsteden."},
	[C] = {
		"Coöperatie Zorg om de Hoek (demo)", true,
		{{.kvk = "90000052", .org_name = "Zorg om de Hoek (demo)",
		  .role = PARTY_PENVOERDER},
		 {.kvk = "90000053", .org_name = "Thuisbegeleiding Zuid (demo)",
		  .role = PARTY_MEMBER}},
		2, "bidder@zorgomdehoek.example", "Gegadigde Zorg om de Hoek (demo)", 0,
		"De coöperatie verbindt zorgprofessionals en ervaringsdeskundigen "
		"die zelf in de wijk wonen; de inwoner houdt de regie over zijn "
		"eigen plan.",
		"Eén plan per huishouden, met de inwoner opgesteld; digitale "
		"bereikbaarheid via chat en telefoon, ook 's avonds; "
		"begeleiding thuis waar dat nodig is.",
		"Onze leden werken samen met de thuiszorg en de GGZ; afspraken met "
		"het wijkteam willen wij in de eerste drie maanden maken.",
		"Twintig zelfstandige professionals in de coöperatie, met een "
		"gezamenlijke achterwacht; inzet flexibel naar de vraag per wijk.",
		"Vijf jaar begeleiding thuis in de regio Zuid-Holland Zuid.",
		"Samenwerking met twee thuiszorgorganisaties en een GGZ-aanbieder."},
	[D] = {
		"Welzijn Morgen (demo)", false,
		{{.kvk = "90000054", .org_name = "Welzijn Morgen (demo)",
		  .role = PARTY_PENVOERDER}},
		1, "bidder@welzijnmorgen.example", "Gegadigde Welzijn Morgen (demo)", 0,
		NULL, NULL, NULL, NULL,
		"Welzijn op Recept in Gorinchem sinds 2019, met 40 deelnemende "
		"huisartsen.",
		"Welzijnscoaches in drie gezondheidscentra."},
};

struct demo {
	struct app *x;
	struct kv_error *e;
	const char *vault_dir;
	kv_instant real;              /* the real time on entry */
	cal_date today;               /* its date in Amsterdam */
	int64_t tenant;
	int64_t buyer, buyer2, assessor;    /* the seed demo's */
	bool keys_set;
	struct app_vault_unlocked unlocked[2];
};

/* A refusal, with the demo step that met it in front of the sentence. */
static enum kv_status failed(struct demo *d, const char *step)
{
	char msg[sizeof d->e->msg];
	int n = snprintf(msg, sizeof msg, "%s: %s", step, d->e->msg);
	if (n > 0)
		memcpy(d->e->msg, msg, sizeof msg);
	return d->e->status ? d->e->status : KV_INVALID;
}

#define TRY(step, call)                                                      \
	do {                                                                 \
		if ((call) != KV_OK)                                         \
			return failed(d, step);                              \
	} while (0)

/* ---- the clock ----------------------------------------------------------- */

/* days from the real day at hh:mm in Amsterdam. */
static kv_instant at(const struct demo *d, int days, int hour, int min)
{
	return cal_local_to_utc(cal_add_days(d->today, days), hour, min, 0);
}

/* The same moved on to a Monday when it falls in a weekend. */
static kv_instant workday(const struct demo *d, int days, int hour, int min)
{
	cal_date day = cal_add_days(d->today, days);
	while (cal_weekday(day) > 5)
		day = cal_add_days(day, 1);
	return cal_local_to_utc(day, hour, min, 0);
}

/* Moves the app's clock to t (never past the real time: what lies
 * ahead is planned, not done) and acts as `actor`. */
static enum kv_status clock_to(struct demo *d, kv_instant t, int64_t actor)
{
	if (t > d->real)
		return kv_fail(d->e, KV_INVALID, "",
			       "demo: a step at %s lies after the real time",
			       cal_format_local(d->x->a, t));
	d->x->now = t;
	d->x->actor = actor;
	return KV_OK;
}

#define AT(t, actor) TRY("clock", clock_to(d, (t), (actor)))

/* ---- documents --------------------------------------------------------- */

/* UTF-8 text as a PDF string's WinAnsi bytes, escaped. */
static void pdf_string(sbuf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	sbuf_add(b, "(", 1);
	while (*u) {
		unsigned c = *u++;
		if (c >= 0x80) {
			if ((c & 0xe0) == 0xc0 && (u[0] & 0xc0) == 0x80) {
				c = ((c & 0x1f) << 6) | (u[0] & 0x3f);
				u += 1;
			} else if ((c & 0xf0) == 0xe0 && (u[0] & 0xc0) == 0x80 &&
				   (u[1] & 0xc0) == 0x80) {
				c = ((c & 0x0f) << 12) | ((unsigned)(u[0] & 0x3f) << 6) |
				    (u[1] & 0x3f);
				u += 2;
			} else {
				c = '?';
			}
			if (c == 0x20ac)
				c = 0x80;       /* euro sign */
			else if (c == 0x2013)
				c = 0x96;       /* en dash */
			else if (c == 0x2019)
				c = 0x92;       /* right single quote */
			else if (c < 0xa0 || c > 0xff)
				c = '?';
		}
		if (c == '(' || c == ')' || c == '\\')
			sbuf_add(b, "\\", 1);
		char ch = (char)c;
		sbuf_add(b, &ch, 1);
	}
	sbuf_add(b, ")", 1);
}

struct pdf_line {
	const char *text;
	bool bold;
};

#define PDF_WRAP 92               /* characters of a body line */
#define PDF_LINES_PER_PAGE 50

/* Splits body (paragraphs separated by "\n", a heading starting with
 * "# ") into lines of at most PDF_WRAP characters, a blank line between
 * paragraphs. */
static int pdf_lines(arena *a, const char *body, struct pdf_line **out)
{
	int cap = 16, n = 0;
	struct pdf_line *l = arena_alloc(a, (size_t)cap * sizeof *l);
	const char *p = body;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool bold = len > 2 && p[0] == '#' && p[1] == ' ';
		const char *s = bold ? p + 2 : p;
		size_t left = bold ? len - 2 : len;
		do {
			size_t take = left;
			if (take > PDF_WRAP) {
				take = PDF_WRAP;
				while (take > 0 && s[take] != ' ')
					take--;
				if (take == 0)
					take = PDF_WRAP;
			}
			if (n + 2 >= cap) {
				struct pdf_line *m = arena_alloc(a, (size_t)cap * 2 * sizeof *m);
				memcpy(m, l, (size_t)n * sizeof *m);
				l = m;
				cap *= 2;
			}
			l[n].text = arena_strndup(a, s, take);
			l[n++].bold = bold;
			s += take;
			left -= take;
			while (left && *s == ' ') {
				s++;
				left--;
			}
		} while (left);
		l[n].text = "";
		l[n++].bold = false;
		p = end ? end + 1 : p + len;
	}
	*out = l;
	return n;
}

/* A small real PDF (1.4, Helvetica, A4) with a title, a line under it
 * and the body: what a bidder would upload, a few KB. */
static unsigned char *demo_pdf(arena *a, const char *title,
			       const char *subtitle, const char *body,
			       size_t *len)
{
	struct pdf_line *lines = NULL;
	int nl = pdf_lines(a, body, &lines);
	int pages = (nl + PDF_LINES_PER_PAGE - 1) / PDF_LINES_PER_PAGE;
	if (pages < 1)
		pages = 1;
	int nobj = 4 + 2 * pages;
	size_t *off = arena_alloc(a, (size_t)(nobj + 1) * sizeof *off);
	sbuf b;
	sbuf_init(&b, a, 1 << 20);
	sbuf_puts(&b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	off[1] = b.len;
	sbuf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = b.len;
	sbuf_puts(&b, "2 0 obj\n<< /Type /Pages /Kids [");
	for (int i = 0; i < pages; i++)
		sbuf_printf(&b, "%d 0 R ", 5 + 2 * i);
	sbuf_printf(&b, "] /Count %d >>\nendobj\n", pages);
	off[3] = b.len;
	sbuf_puts(&b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont "
		      "/Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n");
	off[4] = b.len;
	sbuf_puts(&b, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont "
		      "/Helvetica-Bold /Encoding /WinAnsiEncoding >>\nendobj\n");
	for (int pg = 0; pg < pages; pg++) {
		sbuf cs;
		sbuf_init(&cs, a, 1 << 20);
		if (pg == 0) {
			sbuf_puts(&cs, "BT /F2 15 Tf 56 786 Td ");
			pdf_string(&cs, title);
			sbuf_puts(&cs, " Tj ET\nBT /F1 9 Tf 56 770 Td ");
			pdf_string(&cs, subtitle);
			sbuf_puts(&cs, " Tj ET\n0.6 w 56 762 m 539 762 l S\n");
		}
		sbuf_puts(&cs, "BT 13 TL 56 744 Td\n");
		bool bold = false;
		sbuf_puts(&cs, "/F1 10 Tf\n");
		for (int i = pg * PDF_LINES_PER_PAGE;
		     i < nl && i < (pg + 1) * PDF_LINES_PER_PAGE; i++) {
			if (lines[i].bold != bold) {
				bold = lines[i].bold;
				sbuf_puts(&cs, bold ? "/F2 10.5 Tf\n" : "/F1 10 Tf\n");
			}
			pdf_string(&cs, lines[i].text);
			sbuf_puts(&cs, " Tj T*\n");
		}
		sbuf_printf(&cs, "ET\nBT /F1 8 Tf 56 40 Td (%d / %d) Tj ET\n",
			    pg + 1, pages);
		off[5 + 2 * pg] = b.len;
		sbuf_printf(&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R "
			    "/MediaBox [0 0 595 842] /Resources << /Font << "
			    "/F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>\n"
			    "endobj\n", 5 + 2 * pg, 6 + 2 * pg);
		off[6 + 2 * pg] = b.len;
		sbuf_printf(&b, "%d 0 obj\n<< /Length %zu >>\nstream\n",
			    6 + 2 * pg, cs.len);
		sbuf_add(&b, sbuf_str(&cs), cs.len);
		sbuf_puts(&b, "\nendstream\nendobj\n");
	}
	size_t xref = b.len;
	sbuf_printf(&b, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
	for (int i = 1; i <= nobj; i++)
		sbuf_printf(&b, "%010zu 00000 n \n", off[i]);
	sbuf_printf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n"
		    "%%%%EOF\n", nobj + 1, xref);
	*len = b.len;
	return (unsigned char *)b.p;
}

/* A bidder's plan of approach for a lot: the texts its flavour gives. */
static const char *plan_body(arena *a, const struct bidder *bd,
			     const char *lot, const char *round)
{
	return arena_printf(a,
		"# 1. Visie\n"
		"%s Voor %s sluiten wij aan bij de doelen van de gemeente: "
		"ondersteuning dichtbij, vroeg erbij zijn en minder zware zorg "
		"waar lichte hulp volstaat.\n"
		"# 2. Aanpak in de wijk\n"
		"%s We beginnen met een wijkscan samen met bewoners en "
		"professionals, en stellen per kwartaal bij wat de wijk vraagt.\n"
		"# 3. Samenwerking met partners\n"
		"%s Signalen komen op één plek binnen; niemand hoeft zijn "
		"verhaal twee keer te vertellen.\n"
		"# 4. Team en continuïteit\n"
		"%s Nieuwe collega's lopen de eerste maand mee in de wijk. Bij "
		"een wisseling van aanbieder nemen wij personeel over waar dat "
		"kan, zodat de hulp aan inwoners doorloopt.\n"
		"# 5. Planning\n"
		"Maand 1 tot 3: kennismaking, overdracht van lopende trajecten en "
		"de wijkscans. Maand 4 tot 6: het aanbod per wijk staat, eerste "
		"kwartaalrapportage. Daarna jaarlijks een evaluatie met de "
		"gemeente en de wijkraden.\n"
		"# 6. Kwaliteit en verantwoording\n"
		"Wij rapporteren per kwartaal over bereik, doorlooptijd en de "
		"ervaring van inwoners, per wijk. Klachten en signalen bespreken "
		"wij binnen twee weken met de contractmanager.%s%s\n"
		"Dit document is fictief en hoort bij de demo van Kavel (demo).",
		bd->vision, lot, bd->area, bd->partners, bd->team,
		round ? " " : "", round ? round : "");
}

/* ---- steps on a procedure ------------------------------------------------ */

static const struct stage *stage_of(const struct procedure *p,
				    enum stage_kind k, int round)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == k && p->stages[i].round == round)
			return &p->stages[i];
	return NULL;
}

static enum kv_status reload(struct demo *d, struct procedure *p)
{
	return app_procedure_load(d->x, p->id, p, NULL, NULL, d->e);
}

/* Plans a stage (start == end for a moment). */
static enum kv_status plan(struct demo *d, struct procedure *p,
			   enum stage_kind k, int round, kv_instant start,
			   kv_instant end)
{
	const struct stage *s = stage_of(p, k, round);
	if (!s)
		return kv_fail(d->e, KV_INVALID, "", "demo: no stage %s",
			       stage_kind_code(k));
	enum kv_status rc = app_stage_move(d->x, p->id, s->id, start, end,
					   d->e);
	return rc == KV_OK ? reload(d, p) : rc;
}

static enum kv_status complete(struct demo *d, struct procedure *p,
			       enum stage_kind k, int round)
{
	const struct stage *s = stage_of(p, k, round);
	if (!s)
		return kv_fail(d->e, KV_INVALID, "", "demo: no stage %s",
			       stage_kind_code(k));
	enum kv_status rc = app_stage_complete(d->x, p->id, s->id, d->e);
	return rc == KV_OK ? reload(d, p) : rc;
}

static enum kv_status create(struct demo *d, struct procedure *p)
{
	enum kv_status rc = app_procedure_create(d->x, p, d->e);
	return rc == KV_OK ? reload(d, p) : rc;
}

static int64_t account_id(struct demo *d, const char *email)
{
	struct account acc;
	struct kv_error e;
	return STORE(d->x->st, account_by_email, email, d->x->a, &acc, &e) ==
			       KV_OK
		       ? acc.id
		       : 0;
}

static void print_procedure(const struct procedure *p, const char *stage)
{
	printf("  %-22s %-12s %s\n", p->reference, stage, p->title);
}

/* The buyers who hold the keys of the vault procedures: a buyer grant on
 * the procedure only, so that procedures made later (and the tests'
 * ones) are not theirs; their vault passphrases are set with the first
 * grant.  argon2id runs here, once per buyer. */
static enum kv_status keyholders_on(struct demo *d, const struct procedure *p)
{
	for (int i = 0; i < 2; i++) {
		struct grant g = {.account_id = keyholders[i].id,
				  .tenant_id = d->tenant,
				  .procedure_id = p->id, .role = ROLE_BUYER};
		TRY("grant keyholder", app_grant(d->x, &g, d->e));
	}
	if (d->keys_set)
		return KV_OK;
	for (int i = 0; i < 2; i++) {
		char pass[64];
		snprintf(pass, sizeof pass, "%s", keyholders[i].passphrase);
		d->x->actor = keyholders[i].id;
		TRY("vault passphrase",
		    app_vault_key_set_unlocked(d->x, keyholders[i].id, pass,
					       &d->unlocked[i], d->e));
	}
	d->keys_set = true;
	return KV_OK;
}

/* The bidder's candidate in procedure p: its bidder account gets the
 * grant for it (the buyer registers candidates of an open procedure). */
static enum kv_status candidate_of(struct demo *d, const struct procedure *p,
				   int who, int64_t *cand)
{
	struct bidder *bd = &bidders[who];
	struct party parties[3];
	memcpy(parties, bd->parties, sizeof parties);
	struct candidate c = {.procedure_id = p->id, .name = (char *)bd->name,
			      .consortium = bd->consortium,
			      .parties = parties, .n_parties = bd->n_parties};
	TRY("candidate", app_candidate_add(d->x, &c, d->e));
	struct grant g = {.account_id = bd->account, .tenant_id = d->tenant,
			  .procedure_id = p->id, .role = ROLE_BIDDER,
			  .candidate_id = c.id};
	TRY("bidder grant", app_grant(d->x, &g, d->e));
	*cand = c.id;
	return KV_OK;
}

/* ---- award rules ---------------------------------------------------------- */

static const char award_rules_text[] =
	"{\"method\": \"weighted\", \"price_scoring\": \"relative\","
	" \"price_weight_bp\": 4000, \"tie_rule\": \"lowest-price\","
	" \"price_after_quality\": true, \"averaging\": %s,"
	" \"criteria\": ["
	"  {\"key\": \"plan\", \"name\": \"Plan van aanpak\","
	"   \"description\": \"Hoe de inschrijver de doelen van het perceel in de wijken waarmaakt.\","
	"   \"weight_bp\": 6000},"
	"  {\"key\": \"aanpak\", \"parent\": \"plan\", \"name\": \"Aanpak in de wijk\","
	"   \"description\": \"Bereikbaarheid, vroegsignalering en op- en afschalen.\","
	"   \"weight_bp\": 5000, \"scale\": ["
	"    {\"value_bp\": 0, \"meaning\": \"onvoldoende: de doelen worden niet vertaald naar de wijk\"},"
	"    {\"value_bp\": 2500, \"meaning\": \"matig: algemeen, weinig concreet\"},"
	"    {\"value_bp\": 6000, \"meaning\": \"voldoende: concreet en haalbaar\"},"
	"    {\"value_bp\": 10000, \"meaning\": \"goed: concreet, haalbaar en onderscheidend\"}]},"
	"  {\"key\": \"samenwerking\", \"parent\": \"plan\", \"name\": \"Samenwerking met partners\","
	"   \"description\": \"Afspraken met huisartsen, wijkteams, scholen en corporaties.\","
	"   \"weight_bp\": 5000, \"scale\": ["
	"    {\"value_bp\": 0, \"meaning\": \"onvoldoende\"},"
	"    {\"value_bp\": 2500, \"meaning\": \"matig\"},"
	"    {\"value_bp\": 6000, \"meaning\": \"voldoende\"},"
	"    {\"value_bp\": 10000, \"meaning\": \"goed\"}]},"
	"  {\"key\": \"team\", \"name\": \"Team en continuïteit\","
	"   \"description\": \"Deskundigheid, vaste gezichten en vervanging; een rapportcijfer.\","
	"   \"weight_bp\": 4000, \"marks\": [1, 10]}]}";

static enum kv_status rules_put(struct demo *d, const struct procedure *p,
				int64_t lot, bool averaging)
{
	json_error_t je;
	json_t *j = json_loads(arena_printf(d->x->a, award_rules_text,
					    averaging ? "true" : "false"),
			       JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return kv_fail(d->e, KV_INVALID, "rules",
			       "demo: award rules: %s", je.text);
	enum kv_status rc = app_award_rules_put(d->x, p->id, lot, j, d->e);
	json_decref(j);
	return rc;
}

static const char *const LEAVES[3] = {"aanpak", "samenwerking", "team"};
static const char *const LEAF_NAMES[3] = {"Aanpak in de wijk",
					  "Samenwerking met partners",
					  "Team en continuïteit"};
static const char *const SCALE4[4] = {"onvoldoende", "matig", "voldoende",
				      "goed"};

/* A score's motivation, step s of leaf k for bidder who. */
static const char *motivation(struct demo *d, int who, int k, int s,
			      const char *by)
{
	const struct bidder *bd = &bidders[who];
	const char *grade = k == 2 ? arena_printf(d->x->a, "cijfer %d", s + 1)
				   : SCALE4[s];
	const char *why = k == 0 ? bd->area : k == 1 ? bd->partners : bd->team;
	return arena_printf(d->x->a, "%s (%s), %s. %s %s", LEAF_NAMES[k],
			    grade, by, why,
			    s >= (k == 2 ? 7 : 3)
				    ? "Overtuigend uitgewerkt en goed onderbouwd."
			    : s >= (k == 2 ? 5 : 2)
				    ? "Concreet, op onderdelen nog algemeen."
				    : "Te weinig concreet voor de wijken van dit perceel.");
}

/* ---- bids ---------------------------------------------------------------- */

/* The bidder's sealed plan and price for the lot, at time t. */
static enum kv_status bid(struct demo *d, const struct procedure *p,
			  int64_t lot, const char *lot_title, int who,
			  int64_t cand, int64_t price_cents, kv_instant t)
{
	struct bidder *bd = &bidders[who];
	AT(t, bd->account);
	size_t len = 0;
	const unsigned char *pdf = demo_pdf(
		d->x->a, arena_printf(d->x->a, "Plan van aanpak: %s", lot_title),
		arena_printf(d->x->a, "%s, inschrijving voor %s (%s)", bd->name,
			     p->title, p->reference),
		plan_body(d->x->a, bd, lot_title, NULL), &len);
	struct submission sub = {.procedure_id = p->id, .lot_id = lot,
				 .candidate_id = cand, .account_id = bd->account,
				 .file_name = "plan-van-aanpak.pdf"};
	TRY("sealed bid", app_submission_seal(d->x, &sub, pdf, len, d->vault_dir,
					      d->e));
	AT(t + 20 * 60, bd->account);
	struct submission price;
	TRY("sealed price", app_price_submit(d->x, p->id, lot, cand, price_cents,
					     d->vault_dir, &price, d->e));
	return KV_OK;
}

/* An assessor's scores of a bidder on some leaves: steps[k] < 0 skips. */
static enum kv_status score(struct demo *d, const struct procedure *p,
			    int64_t lot, int64_t assessor, const char *by,
			    int who, int64_t cand, const int steps[3],
			    kv_instant t)
{
	for (int k = 0; k < 3; k++) {
		if (steps[k] < 0)
			continue;
		AT(t + k * 10 * 60, assessor);
		TRY("score", app_award_score(d->x, p->id, lot, cand, LEAVES[k],
					     steps[k],
					     motivation(d, who, k, steps[k], by),
					     d->e));
	}
	return KV_OK;
}

/* The vault procedures: everything up to the opening of the bids.
 * Fills lot and cand[] (A, B, C). */
struct tender {
	struct procedure p;
	int64_t lot;
	const char *lot_title;
	int64_t cand[3];
	kv_instant td;                /* the tender deadline */
};

static enum kv_status tender(struct demo *d, struct tender *t,
			     const char *reference, const char *title,
			     const char *lot_title, const char *goals,
			     int64_t value_cents, int start_day, int td_day,
			     int eval_end_day, kv_instant award_at,
			     cal_date contract_start,
			     const int64_t prices[3], bool averaging,
			     const char *const *assign_b2, int n_assign_b2)
{
	struct lot l = {.number = 1, .title = (char *)lot_title,
			.goals = (char *)goals, .value_cents = value_cents};
	t->p = (struct procedure){
		.tenant_id = d->tenant, .reference = (char *)reference,
		.title = (char *)title, .type = PT_SAS_OPEN,
		.cpv = "85310000-5", .value_cents = value_cents,
		.standstill_days = 20, .lots = &l, .n_lots = 1};
	struct procedure *p = &t->p;
	AT(at(d, start_day, 9, 0), d->buyer);
	TRY("procedure", create(d, p));
	t->lot = p->lots[0].id;
	t->lot_title = lot_title;
	t->td = workday(d, td_day, 12, 0);
	TRY("plan", plan(d, p, SK_PRE_ANNOUNCEMENT, 0, at(d, start_day + 1, 10, 0),
			 at(d, start_day + 1, 10, 0)));
	TRY("plan", plan(d, p, SK_DOCUMENT_ISSUED, 0, at(d, start_day + 5, 9, 0),
			 at(d, start_day + 5, 9, 0)));
	TRY("plan", plan(d, p, SK_TENDER_DEADLINE, 0, t->td, t->td));
	TRY("plan", plan(d, p, SK_EVALUATION, 0, t->td,
			 at(d, eval_end_day, 17, 0)));
	if (award_at)
		TRY("plan", plan(d, p, SK_PROVISIONAL_AWARD, 0, award_at,
				 award_at));
	kv_instant cs = cal_local_to_utc(contract_start, 0, 0, 0);
	TRY("plan", plan(d, p, SK_CONTRACT_START, 0, cs, cs));
	TRY("award rules", rules_put(d, p, t->lot, averaging));
	d->x->actor = 0;
	TRY("keyholders", keyholders_on(d, p));

	AT(at(d, start_day + 1, 10, 5), d->buyer);
	TRY("complete", complete(d, p, SK_PRE_ANNOUNCEMENT, 0));
	AT(at(d, start_day + 5, 9, 5), d->buyer);
	TRY("complete", complete(d, p, SK_DOCUMENT_ISSUED, 0));
	AT(at(d, start_day + 5, 9, 30), d->buyer);
	TRY("vault", app_vault_create(d->x, p->id, d->e));

	/* The candidates, as the buyer registers them in an open procedure. */
	for (int i = 0; i < 3; i++) {
		AT(at(d, start_day + 8 + i, 11, 0), d->buyer);
		TRY("candidate", candidate_of(d, p, i, &t->cand[i]));
	}
	/* The bids, in the last two weeks before the deadline. */
	for (int i = 0; i < 3; i++)
		TRY("bid", bid(d, p, t->lot, lot_title, i, t->cand[i], prices[i],
			       t->td - (kv_instant)(12 - 4 * i) * DAY + i * HOUR));
	/* The assessors, before the deadline. */
	AT(t->td - 3 * DAY, d->buyer);
	TRY("assessor", app_assessor_add(d->x, p->id,
					 "assessor@dordrecht.example", d->e));
	const char *all[] = {"*"};
	TRY("assign", app_award_assign(d->x, p->id, t->lot, d->assessor, all, 1,
				       d->e));
	TRY("assign", app_award_assign(d->x, p->id, t->lot, d->buyer2,
				       assign_b2, n_assign_b2, d->e));

	/* The deadline passes; two buyers open the vault together. */
	AT(t->td + 30 * 60, d->buyer);
	TRY("complete", complete(d, p, SK_TENDER_DEADLINE, 0));
	AT(t->td + 2 * HOUR, keyholders[0].id);
	struct vault_opening o;
	TRY("vault opening",
	    app_envelope_open(d->x, p->id, ENVELOPE_QUALITY, d->vault_dir,
			      &(struct app_opener){keyholders[0].email, NULL, &d->unlocked[0]},
			      &(struct app_opener){keyholders[1].email, NULL, &d->unlocked[1]},
			      &o, d->e));
	for (int i = 0; i < o.n; i++)
		if (!o.subs[i].withdrawn_at && o.subs[i].envelope == ENVELOPE_QUALITY &&
		    !o.verified[i])
			return kv_fail(d->e, KV_IO, "",
				       "demo: %s: a sealed bid did not open",
				       p->reference);
	return KV_OK;
}

/* Scoring done, consensus and quality final, prices opened, the
 * provisional award decision sent at `sent`.  steps[who][leaf] are the
 * consensus (and, nearly, the assessors') scores. */
static enum kv_status to_decision(struct demo *d, struct tender *t,
				  const int steps[3][3], bool b2_team,
				  bool averaging, kv_instant scoring,
				  kv_instant sent, const char *summary,
				  struct award_decision_rec *dec)
{
	struct procedure *p = &t->p;
	for (int i = 0; i < 3; i++) {
		/* The assessor's own view: one step off here and there. */
		int own[3] = {steps[i][0], steps[i][1], steps[i][2]};
		if (i == 1 && own[1] < 3)
			own[1]++;
		TRY("score", score(d, p, t->lot, d->assessor, "beoordelaar", i,
				   t->cand[i], own, scoring + i * HOUR));
		/* Buyer 2 scores the plan's leaves, or the team only. */
		int b2[3] = {b2_team ? -1 : steps[i][0],
			     b2_team ? -1 : steps[i][1],
			     b2_team ? steps[i][2] : -1};
		TRY("score", score(d, p, t->lot, d->buyer2, "tweede beoordelaar",
				   i, t->cand[i], b2, scoring + DAY + i * HOUR));
	}
	AT(scoring + 2 * DAY, d->assessor);
	TRY("hand in", app_award_hand_in(d->x, p->id, t->lot, d->e));
	AT(scoring + 2 * DAY + HOUR, d->buyer2);
	TRY("hand in", app_award_hand_in(d->x, p->id, t->lot, d->e));
	/* The consensus session. */
	AT(scoring + 4 * DAY, d->buyer);
	if (averaging) {
		TRY("average", app_award_consensus_average(d->x, p->id, t->lot,
							    d->e));
	} else {
		for (int i = 0; i < 3; i++)
			for (int k = 0; k < 3; k++)
				TRY("consensus",
				    app_award_consensus(
					d->x, p->id, t->lot, t->cand[i], LEAVES[k],
					steps[i][k],
					arena_printf(d->x->a,
						     "Consensus in de sessie van %s: %s",
						     cal_format_local(d->x->a, d->x->now),
						     motivation(d, i, k, steps[i][k],
								"consensus")),
					d->e));
	}
	AT(scoring + 5 * DAY, d->buyer);
	TRY("quality final", app_award_quality_final(d->x, p->id, t->lot, d->e));
	AT(scoring + 6 * DAY, keyholders[1].id);
	struct vault_opening o;
	TRY("price opening",
	    app_envelope_open(d->x, p->id, ENVELOPE_PRICE, d->vault_dir,
			      &(struct app_opener){keyholders[1].email, NULL, &d->unlocked[1]},
			      &(struct app_opener){keyholders[0].email, NULL, &d->unlocked[0]},
			      &o, d->e));
	AT(sent - HOUR, d->buyer);
	TRY("complete", complete(d, p, SK_EVALUATION, 0));
	AT(sent, d->buyer);
	TRY("decision",
	    app_award_decide(d->x, p->id, t->lot, 0, summary,
			     "Een inschrijver die het niet eens is met deze "
			     "beslissing kan tot het einde van de opschortende "
			     "termijn een kort geding aanhangig maken bij de "
			     "rechtbank Rotterdam; na die termijn wordt de "
			     "opdracht definitief gegund (demo).",
			     NULL, dec, d->e));
	TRY("complete", complete(d, p, SK_PROVISIONAL_AWARD, 0));
	const struct stage *ss = stage_of(p, SK_STANDSTILL, 0);
	if (!ss || ss->end != dec->standstill_end)
		return kv_fail(d->e, KV_INVALID, "",
			       "demo: %s: the standstill stage and the decision "
			       "disagree", p->reference);
	return KV_OK;
}

/* ---- 1. registration -------------------------------------------------------- */

static enum kv_status registration(struct demo *d)
{
	struct lot lots[2] = {
		{.number = 1, .title = "Welzijn op Recept",
		 .goals = "Huisartsen en POH-GGZ verwijzen inwoners met "
			  "psychosociale klachten naar een welzijnscoach; "
			  "minder medicalisering, meer meedoen.",
		 .value_cents = 90000000},
		{.number = 2, .title = "Steunpunt informele zorg",
		 .goals = "Mantelzorgers en vrijwilligers vinden één steunpunt "
			  "voor informatie, respijtzorg en waardering.",
		 .value_cents = 150000000},
	};
	struct procedure p = {
		.tenant_id = d->tenant, .reference = "DOR-2027-WOR-DEMO",
		.title = "Welzijn op Recept en informele zorg 2027 (demo)",
		.type = PT_SAS_DIALOGUE, .cpv = "85310000-5",
		.value_cents = 240000000, .dialogue_rounds = 2,
		.standstill_days = 20, .lots = lots, .n_lots = 2};
	AT(at(d, -12, 9, 0), d->buyer);
	TRY("procedure", create(d, &p));
	kv_instant deadline = workday(d, 16, 12, 0);
	TRY("plan", plan(d, &p, SK_PRE_ANNOUNCEMENT, 0, at(d, -11, 10, 0),
			 at(d, -11, 10, 0)));
	TRY("plan", plan(d, &p, SK_REGISTRATION, 0, at(d, -10, 9, 0), deadline));
	TRY("plan", plan(d, &p, SK_DOCUMENT_ISSUED, 0, at(d, -10, 9, 0),
			 at(d, -10, 9, 0)));
	TRY("plan", plan(d, &p, SK_APPLICATION_DEADLINE, 0, deadline, deadline));
	TRY("plan", plan(d, &p, SK_SELECTION, 0, deadline, at(d, 30, 17, 0)));
	TRY("plan", plan(d, &p, SK_DIALOGUE_ROUND, 1, at(d, 31, 9, 0),
			 at(d, 58, 17, 0)));
	TRY("plan", plan(d, &p, SK_DIALOGUE_ROUND, 2, at(d, 59, 9, 0),
			 at(d, 86, 17, 0)));
	kv_instant td = workday(d, 100, 12, 0);
	TRY("plan", plan(d, &p, SK_TENDER_DEADLINE, 0, td, td));
	TRY("plan", plan(d, &p, SK_EVALUATION, 0, td, at(d, 125, 17, 0)));
	struct selection_criterion crs[] = {
		{.procedure_id = p.id, .key = "uitsluiting",
		 .title = "Geen uitsluitingsgronden",
		 .description = "Het Uniform Europees Aanbestedingsdocument, "
				"ingevuld en ondertekend.",
		 .kind = SEL_PASS_FAIL},
		{.procedure_id = p.id, .key = "ervaring",
		 .title = "Ervaring met vergelijkbare opdrachten",
		 .description = "Ten hoogste twee referenties uit de laatste vijf "
				"jaar, met bereik en resultaat.",
		 .kind = SEL_SCORED, .max_points = 10},
		{.procedure_id = p.id, .key = "netwerk",
		 .title = "Verankering in de wijken",
		 .description = "Met wie u in Dordrecht al samenwerkt: huisartsen, "
				"wijkteams, vrijwilligersorganisaties.",
		 .kind = SEL_SCORED, .max_points = 10},
	};
	for (size_t i = 0; i < sizeof crs / sizeof *crs; i++)
		TRY("criterion", app_criterion_add(d->x, &crs[i], d->e));
	AT(at(d, -11, 10, 5), d->buyer);
	TRY("complete", complete(d, &p, SK_PRE_ANNOUNCEMENT, 0));
	AT(at(d, -10, 9, 30), d->buyer);
	TRY("publish", app_procedure_publish(d->x, p.id, d->e));

	/* One organisation has registered and started its application. */
	struct bidder *bd = &bidders[D];
	struct registration rg = {
		.candidate = {.procedure_id = p.id, .name = (char *)bd->name,
			      .parties = bd->parties, .n_parties = bd->n_parties},
		.account = {.email = (char *)bd->email, .name = (char *)bd->person},
		.password = DEMO_PASSWORD};
	AT(at(d, -3, 14, 0), 0);
	TRY("register", app_register(d->x, &rg, d->e));
	bd->account = rg.account.id;
	AT(at(d, -2, 10, 30), bd->account);
	json_t *answers = json_pack("{s:s, s:s}", "uitsluiting",
		"Er zijn geen uitsluitingsgronden; het UEA volgt bij de aanmelding (demo).",
		"ervaring", bd->experience);
	struct application ap;
	enum kv_status rc = app_application_save(d->x, p.id, rg.candidate.id,
						 answers, &ap, d->e);
	json_decref(answers);
	TRY("application", rc);

	/* Its question, answered and published in the first nota van
	 * inlichtingen; a second question still waits for its answer. */
	struct question q = {.procedure_id = p.id, .lot_id = lots[0].id,
			     .candidate_id = rg.candidate.id, .account_id = bd->account,
			     .text = "Mag een welzijnscoach ook verwijzingen van de "
				     "wijkverpleging aannemen, of alleen van huisartsen "
				     "en POH-GGZ? (demo)"};
	AT(at(d, -2, 11, 0), bd->account);
	TRY("question", app_question_ask(d->x, &q, d->e));
	AT(at(d, -1, 9, 30), d->buyer);
	TRY("answer", app_question_answer(d->x, p.id, q.id,
		"Ja. Ook de wijkverpleging en het sociaal wijkteam mogen verwijzen; "
		"het programma van eisen (paragraaf 3.2) wordt daarop aangepast. (demo)",
		d->e));
	struct nota nota;
	AT(at(d, -1, 10, 0), d->buyer);
	TRY("nota", app_nota_publish(d->x, p.id, &nota, d->e));
	struct question q2 = {.procedure_id = p.id, .lot_id = 0,
			      .candidate_id = rg.candidate.id, .account_id = bd->account,
			      .text = "Kunt u het aantal verwijzingen van 2026 per wijk "
				      "delen? (demo)"};
	AT(at(d, -1, 16, 0), bd->account);
	TRY("question", app_question_ask(d->x, &q2, d->e));
	print_procedure(&p, "registration");
	return KV_OK;
}

/* ---- 2. dialogue ------------------------------------------------------------ */

static const char *minutes_text(arena *a, const struct bidder *bd, int round)
{
	return arena_printf(a,
		"Dialoogronde %d, gesprek met %s.\n"
		"Aanwezig: inkoper en beleidsadviseur schuldhulpverlening van de "
		"gemeente; twee vertegenwoordigers van de gegadigde.\n"
		"Besproken: het conceptplan van aanpak, in het bijzonder de "
		"vroegsignalering via de woningcorporaties en de energieleveranciers, "
		"de wachttijd tot een eerste gesprek en de overdracht van lopende "
		"schuldregelingen.\n"
		"Afspraken: de gegadigde werkt de rol van vrijwilligers "
		"(thuisadministratie) verder uit in het plan voor ronde %d; de "
		"gemeente stuurt de cijfers over wachttijden van 2025 en 2026.",
		round, bd->name, round + 1);
}

static enum kv_status dialogue(struct demo *d)
{
	struct lot lot = {
		.number = 1, .title = "Integrale schuldhulpverlening",
		.goals = "Inwoners met geldzorgen vroeg bereiken, binnen drie "
			 "werkdagen een eerste gesprek, schulden stabiliseren en "
			 "regelen, terugval voorkomen.",
		.value_cents = 320000000};
	struct procedure p = {
		.tenant_id = d->tenant, .reference = "DOR-2027-SHV-DEMO",
		.title = "Schuldhulpverlening en vroegsignalering 2027 (demo)",
		.type = PT_SAS_DIALOGUE, .cpv = "85310000-5",
		.value_cents = 320000000, .dialogue_rounds = 2,
		.standstill_days = 20, .lots = &lot, .n_lots = 1};
	AT(at(d, -75, 9, 0), d->buyer);
	TRY("procedure", create(d, &p));
	kv_instant appl = workday(d, -44, 12, 0);
	TRY("plan", plan(d, &p, SK_PRE_ANNOUNCEMENT, 0, at(d, -74, 10, 0),
			 at(d, -74, 10, 0)));
	TRY("plan", plan(d, &p, SK_REGISTRATION, 0, at(d, -70, 9, 0), appl));
	TRY("plan", plan(d, &p, SK_DOCUMENT_ISSUED, 0, at(d, -70, 9, 0),
			 at(d, -70, 9, 0)));
	TRY("plan", plan(d, &p, SK_APPLICATION_DEADLINE, 0, appl, appl));
	TRY("plan", plan(d, &p, SK_SELECTION, 0, appl, at(d, -33, 17, 0)));
	TRY("plan", plan(d, &p, SK_DIALOGUE_ROUND, 1, at(d, -32, 9, 0),
			 at(d, -12, 17, 0)));
	TRY("plan", plan(d, &p, SK_DIALOGUE_ROUND, 2, at(d, -11, 9, 0),
			 at(d, 14, 17, 0)));
	kv_instant td = workday(d, 28, 12, 0);
	TRY("plan", plan(d, &p, SK_TENDER_DEADLINE, 0, td, td));
	TRY("plan", plan(d, &p, SK_EVALUATION, 0, td, at(d, 50, 17, 0)));
	struct selection_criterion crs[] = {
		{.procedure_id = p.id, .key = "uitsluiting",
		 .title = "Geen uitsluitingsgronden",
		 .description = "Het UEA, ingevuld en ondertekend.",
		 .kind = SEL_PASS_FAIL},
		{.procedure_id = p.id, .key = "ervaring",
		 .title = "Ervaring met schuldhulpverlening",
		 .description = "Referenties uit de laatste vijf jaar.",
		 .kind = SEL_SCORED, .max_points = 10},
		{.procedure_id = p.id, .key = "netwerk",
		 .title = "Verankering in de wijken",
		 .description = "Samenwerking met corporaties, wijkteams en "
				"vrijwilligers.",
		 .kind = SEL_SCORED, .max_points = 10},
	};
	for (size_t i = 0; i < sizeof crs / sizeof *crs; i++)
		TRY("criterion", app_criterion_add(d->x, &crs[i], d->e));
	TRY("assessor", app_assessor_add(d->x, p.id, "assessor@dordrecht.example",
					 d->e));
	AT(at(d, -74, 10, 5), d->buyer);
	TRY("complete", complete(d, &p, SK_PRE_ANNOUNCEMENT, 0));
	AT(at(d, -70, 9, 30), d->buyer);
	TRY("publish", app_procedure_publish(d->x, p.id, d->e));

	/* B and C register on /tenders; the buyer adds A, the seed's
	 * consortium, whose account exists. */
	int64_t cand[3];
	for (int who = B; who <= C; who++) {
		struct bidder *bd = &bidders[who];
		struct party parties[3];
		memcpy(parties, bd->parties, sizeof parties);
		struct registration rg = {
			.candidate = {.procedure_id = p.id, .name = (char *)bd->name,
				      .consortium = bd->consortium,
				      .parties = parties,
				      .n_parties = bd->n_parties},
			.account = {.email = (char *)bd->email,
				    .name = (char *)bd->person},
			.password = DEMO_PASSWORD};
		AT(at(d, who == B ? -65 : -60, 11, 0), 0);
		TRY("register", app_register(d->x, &rg, d->e));
		bd->account = rg.account.id;
		cand[who] = rg.candidate.id;
	}
	AT(at(d, -58, 10, 0), d->buyer);
	TRY("candidate", candidate_of(d, &p, A, &cand[A]));

	/* The applications. */
	for (int who = A; who <= C; who++) {
		struct bidder *bd = &bidders[who];
		AT(at(d, -50 + 2 * who, 15, 0), bd->account);
		json_t *answers = json_pack(
			"{s:s, s:s, s:s}", "uitsluiting",
			"Er zijn geen uitsluitingsgronden van toepassing; het UEA "
			"is bijgevoegd (demo).",
			"ervaring", bd->experience, "netwerk", bd->network);
		struct application ap;
		enum kv_status rc = app_application_save(d->x, p.id, cand[who],
							 answers, &ap, d->e);
		json_decref(answers);
		TRY("application", rc);
	}
	{
		struct bidder *bd = &bidders[A];
		AT(at(d, -50, 15, 30), bd->account);
		size_t len = 0;
		const unsigned char *pdf = demo_pdf(
			d->x->a, "Referenties schuldhulpverlening",
			arena_printf(d->x->a, "%s, aanmelding voor %s", bd->name,
				     p.reference),
			"# Referentie 1: gemeente Zwijndrecht (demo)\n"
			"Integrale schuldhulpverlening 2021-2025, 640 huishoudens per "
			"jaar, wachttijd tot een eerste gesprek gemiddeld vier werkdagen.\n"
			"# Referentie 2: gemeente Papendrecht (demo)\n"
			"Vroegsignalering met de woningcorporatie en de drinkwaterleverancier "
			"sinds 2022; 70 procent van de gesignaleerde huishoudens bereikt.",
			&len);
		struct application_document doc = {.name = "referenties.pdf",
						   .content = pdf,
						   .size = (int64_t)len};
		TRY("application document",
		    app_application_document(d->x, p.id, cand[A], &doc, d->e));
	}

	/* The application deadline passes: selection round 1. */
	AT(appl + 30 * 60, d->buyer);
	TRY("complete", complete(d, &p, SK_REGISTRATION, 0));
	TRY("complete", complete(d, &p, SK_DOCUMENT_ISSUED, 0));
	TRY("complete", complete(d, &p, SK_APPLICATION_DEADLINE, 0));
	static const int points[3][2] = {{9, 8}, {8, 7}, {5, 6}};
	static const char *const why[3][2] = {
		{"Twee sterke referenties, met resultaten per jaar.",
		 "Vaste contacten in vier wijken, met corporaties en huisartsen."},
		{"Lange ervaring in de regio, jaarlijks gemeten.",
		 "Breed vrijwilligersnetwerk; minder contact met corporaties."},
		{"Ervaring met begeleiding thuis, minder met schulden.",
		 "Samenwerking met thuiszorg; nog geen afspraken in Dordrecht."},
	};
	for (int who = A; who <= C; who++) {
		AT(appl + 2 * DAY + who * HOUR, d->assessor);
		struct selection_score sc = {.candidate_id = cand[who],
					     .criterion_key = "uitsluiting",
					     .passed = true,
					     .motivation = "UEA volledig en ondertekend; "
							   "geen uitsluitingsgronden."};
		TRY("selection score", app_score_put(d->x, p.id, &sc, d->e));
		static const char *const keys[2] = {"ervaring", "netwerk"};
		for (int k = 0; k < 2; k++) {
			struct selection_score s2 = {
				.candidate_id = cand[who],
				.criterion_key = (char *)keys[k],
				.points = points[who][k],
				.motivation = (char *)why[who][k]};
			TRY("selection score", app_score_put(d->x, p.id, &s2, d->e));
		}
	}
	AT(at(d, -34, 10, 0), d->buyer);
	struct selection_round sr;
	TRY("selection", app_selection_publish(d->x, p.id, 1, 2, NULL, 0, &sr,
					       d->e));
	AT(at(d, -33, 17, 30), d->buyer);
	TRY("complete", complete(d, &p, SK_SELECTION, 0));

	/* Round 1: plans, meetings, minutes, feedback. */
	AT(at(d, -32, 9, 30), d->buyer);
	TRY("plan deadline", app_dialogue_due_set(d->x, p.id, 1,
						  at(d, -22, 12, 0), d->e));
	int admitted[2] = {A, B};
	for (int i = 0; i < 2; i++) {
		struct bidder *bd = &bidders[admitted[i]];
		AT(at(d, -24 + i, 16, 0), bd->account);
		size_t len = 0;
		const unsigned char *pdf = demo_pdf(
			d->x->a, "Conceptplan van aanpak, dialoogronde 1",
			arena_printf(d->x->a, "%s, %s (%s)", bd->name, p.title,
				     p.reference),
			plan_body(d->x->a, bd, lot.title,
				  "Dit is een concept voor de dialoog; wij horen "
				  "graag waar de gemeente meer nodig heeft."),
			&len);
		struct dialogue_document doc = {
			.name = "conceptplan-ronde-1.pdf", .content = pdf,
			.size = (int64_t)len};
		TRY("dialogue plan", app_dialogue_plan(d->x, p.id, 1,
						       cand[admitted[i]], &doc, d->e));
	}
	for (int i = 0; i < 2; i++) {
		AT(at(d, -22, 14, 0), d->buyer);
		TRY("meeting", app_dialogue_meeting(
				       d->x, p.id, 1, cand[admitted[i]],
				       at(d, -19 + i, i ? 14 : 10, 0),
				       "Stadskantoor Dordrecht, Spuiboulevard 300, "
				       "kamer 4.12 (demo)", d->e));
	}
	for (int i = 0; i < 2; i++) {
		AT(at(d, -19 + i, i ? 16 : 12, 30), d->buyer);
		TRY("minutes", app_dialogue_minutes(
				       d->x, p.id, 1, cand[admitted[i]],
				       minutes_text(d->x->a, &bidders[admitted[i]], 1),
				       NULL, d->e));
	}
	static const char *const feedback[2] = {
		"Uw plan is helder en sterk in de wijken. Werk in ronde 2 uit hoe "
		"vroegsignalering via de energieleveranciers loopt en wat u doet "
		"als een huishouden niet reageert (demo).",
		"Uw inzet van vrijwilligers spreekt ons aan. Maak in ronde 2 "
		"concreet hoe u de wachttijd tot een eerste gesprek onder drie "
		"werkdagen houdt en hoe u met de corporaties samenwerkt (demo).",
	};
	for (int i = 0; i < 2; i++) {
		AT(at(d, -16, 10, 0 + 10 * i), d->buyer);
		TRY("feedback", app_dialogue_feedback(d->x, p.id, 1,
						      cand[admitted[i]],
						      feedback[i], d->e));
	}
	AT(at(d, -15, 9, 0), d->buyer);
	for (int i = 0; i < 2; i++)
		TRY("feedback published",
		    app_dialogue_feedback_publish(d->x, p.id, 1, cand[admitted[i]],
						  d->e));
	AT(at(d, -11, 8, 30), d->buyer);
	TRY("complete", complete(d, &p, SK_DIALOGUE_ROUND, 1));

	/* Round 2 runs: a plan in, the meetings planned. */
	AT(at(d, -10, 10, 0), d->buyer);
	TRY("plan deadline", app_dialogue_due_set(d->x, p.id, 2,
						  at(d, 7, 12, 0), d->e));
	AT(at(d, -3, 10, 0), d->buyer);
	for (int i = 0; i < 2; i++)
		TRY("meeting", app_dialogue_meeting(
				       d->x, p.id, 2, cand[admitted[i]],
				       at(d, 9 + i, i ? 14 : 10, 0),
				       "Stadskantoor Dordrecht, Spuiboulevard 300, "
				       "kamer 4.12 (demo)", d->e));
	{
		struct bidder *bd = &bidders[A];
		AT(at(d, -2, 15, 0), bd->account);
		size_t len = 0;
		const unsigned char *pdf = demo_pdf(
			d->x->a, "Conceptplan van aanpak, dialoogronde 2",
			arena_printf(d->x->a, "%s, %s (%s)", bd->name, p.title,
				     p.reference),
			plan_body(d->x->a, bd, lot.title,
				  "Nieuw in ronde 2: vroegsignalering via de "
				  "energieleveranciers, met een huisbezoek binnen "
				  "vijf werkdagen als een huishouden niet reageert."),
			&len);
		struct dialogue_document doc = {
			.name = "conceptplan-ronde-2.pdf", .content = pdf,
			.size = (int64_t)len};
		TRY("dialogue plan", app_dialogue_plan(d->x, p.id, 2, cand[A], &doc,
						       d->e));
	}
	print_procedure(&p, "dialogue");
	return KV_OK;
}

/* ---- 3. evaluation ---------------------------------------------------------- */

static enum kv_status evaluation(struct demo *d)
{
	struct tender t;
	const int64_t prices[3] = {118450000, 109625000, 124990000};
	const char *b2[] = {"plan"};
	cal_date cs = cal_add_days(d->today, 120);
	cs.day = 1;
	TRY("tender",
	    tender(d, &t, "DOR-2027-GGZ-DEMO",
		   "Inloop en dagbesteding GGZ 2027 (demo)",
		   "Inloop en dagbesteding GGZ",
		   "Laagdrempelige inloop in drie wijken en dagbesteding voor "
		   "inwoners met psychische kwetsbaarheid; herstel en meedoen.",
		   125000000, -50, -5, 20, 0, cs, prices, false, b2, 1));
	/* Scoring has begun: the assessor has scored two bids, buyer 2 the
	 * plan of one; nobody has handed in. */
	const int sa[2][3] = {{3, 2, 7}, {2, 2, 6}};
	for (int i = 0; i < 2; i++)
		TRY("scores", score(d, &t.p, t.lot, d->assessor, "beoordelaar", i,
				    t.cand[i], sa[i], t.td + DAY + i * HOUR));
	const int sb[3] = {2, 2, -1};
	TRY("scores", score(d, &t.p, t.lot, d->buyer2, "tweede beoordelaar", 0,
			    t.cand[0], sb, t.td + DAY + 3 * HOUR));
	print_procedure(&t.p, "evaluation");
	return KV_OK;
}

/* ---- 4. standstill ---------------------------------------------------------- */

static enum kv_status standstill(struct demo *d)
{
	struct tender t;
	const int64_t prices[3] = {41230000, 38975000, 43600000};
	const char *b2[] = {"plan"};
	kv_instant sent = workday(d, -8, 10, 0);
	cal_date cs = cal_add_days(d->today, 60);
	cs.day = 1;
	TRY("tender",
	    tender(d, &t, "DOR-2027-BBM-DEMO", "Buurtbemiddeling 2027 (demo)",
		   "Buurtbemiddeling Dordrecht",
		   "Burenconflicten vroeg en zonder rechter oplossen, met "
		   "getrainde vrijwillige bemiddelaars in alle wijken.",
		   45000000, -80, -38, -9, sent, cs, prices, false, b2, 1));
	const int steps[3][3] = {{3, 2, 7}, {2, 2, 6}, {2, 1, 8}};
	struct award_decision_rec dec;
	TRY("award",
	    to_decision(d, &t, steps, false, false, t.td + DAY, sent,
			"Het plan van Samenwerkingsverband Wijk (demo) scoort het "
			"hoogst op de aanpak in de wijk: bemiddelaars in elke wijk "
			"met een vast aanspreekpunt en een intake binnen drie "
			"werkdagen. Met een prijs die 5,8 % boven de laagste ligt "
			"geeft het de beste prijs-kwaliteitverhouding (demo).",
			&dec));
	print_procedure(&t.p, "standstill");
	return KV_OK;
}

/* ---- 5. awarded ------------------------------------------------------------- */

static enum kv_status awarded(struct demo *d)
{
	struct tender t;
	const int64_t prices[3] = {231500000, 219840000, 240275000};
	const char *b2[] = {"team"};
	kv_instant sent = workday(d, -70, 10, 0);
	cal_date start = cal_add_days(d->today, 14);
	start.day = 1;
	start = cal_add_days(start, 31);
	start.day = 1;      /* the first of a month, at least two weeks ahead */
	TRY("tender",
	    tender(d, &t, "DOR-2026-MBS-DEMO",
		   "Maatschappelijke begeleiding statushouders 2026 (demo)",
		   "Maatschappelijke begeleiding statushouders",
		   "Statushouders vinden binnen twee jaar hun weg in wonen, "
		   "werk, taal en zorg; begeleiding van het gezin vanaf de "
		   "sleuteloverdracht.",
		   240000000, -160, -110, -80, sent, start, prices, true, b2, 1));
	const int steps[3][3] = {{2, 2, 7}, {3, 3, 8}, {2, 3, 5}};
	struct award_decision_rec dec;
	TRY("award",
	    to_decision(d, &t, steps, true, true, t.td + DAY, sent,
			"Buurtkracht Drechtsteden (demo) biedt de sterkste aanpak: "
			"een vaste begeleider per gezin vanaf de sleuteloverdracht, "
			"taalmaatjes uit de eigen pool van vrijwilligers en de laagste "
			"prijs (demo).",
			&dec));
	/* An objection, settled before the standstill ends. */
	AT(sent + 3 * DAY, d->buyer);
	struct award_objection ob = {
		.decision_id = dec.id, .candidate_id = t.cand[C],
		.kind = OBJECTION_OBJECTION, .filed_on = sent + 3 * DAY - 2 * HOUR,
		.summary = "De score op samenwerking met partners is te laag: de "
			   "afspraken met de thuiszorg zijn niet meegewogen (demo)."};
	TRY("objection", app_objection_add(d->x, t.p.id, &ob, d->e));
	AT(sent + 12 * DAY, d->buyer);
	TRY("objection settled",
	    app_objection_close(d->x, t.p.id, ob.id, d->x->now,
				"Ingetrokken na een toelichting op de score: de "
				"afspraken met de thuiszorg staan in het plan, maar "
				"niet voor deze doelgroep (demo).", d->e));
	/* The standstill ends: the award becomes definitive. */
	cal_date after;
	int h, m, s;
	cal_utc_to_local(dec.standstill_end, &after, &h, &m, &s, NULL);
	after = cal_add_days(after, 1);
	AT(cal_local_to_utc(after, 9, 0, 0), d->buyer);
	TRY("complete", complete(d, &t.p, SK_STANDSTILL, 0));
	kv_instant def = cal_local_to_utc(after, 10, 0, 0);
	TRY("plan", plan(d, &t.p, SK_DEFINITIVE_AWARD, 0, def, def));
	AT(def, d->buyer);
	TRY("definitive", app_award_definitive(d->x, t.p.id, dec.id, d->e));
	TRY("complete", complete(d, &t.p, SK_DEFINITIVE_AWARD, 0));
	AT(def + DAY, d->buyer);
	struct contract c = {
		.reference = "DOR-2026-MBS-DEMO-C",
		.start = start, .end = {start.year + 4, start.month, start.day},
		.extension_options = 2, .extension_months = 12,
		.evaluation_years = {2}, .n_evaluations = 1,
		.budget_cents = prices[1], .base_year = start.year,
		.wage_weight_bp = 8000, .price_weight_bp = 2000};
	TRY("contract", app_contract_from_award(d->x, t.p.id, t.lot,
						dec.winner_candidate, &c, d->e));
	/* Its cost model (issue 16): the team the budget must carry, every
	 * figure invented for the demo and named so, with a taakstelling
	 * in the third and fourth year that the budget no longer covers. */
	json_t *model = json_pack(
	    "{s:[{s:s, s:s, s:i, s:I, s:i}, {s:s, s:s, s:i, s:I, s:i}, {s:s, s:s, s:i, s:I, s:i}],"
	    " s:i, s:i, s:i, s:I, s:I, s:i, s:s, s:s, s:[{s:i, s:I}, {s:i, s:I}]}",
	    "functions",
	    "name", "Wijkcoach (demo)", "cao", "CAO Sociaal Werk, schaal 8, trede 7 (demo)",
	    "fte_centi", 1800, "salary_cents", (json_int_t)5200000, "charges_bp", 3000,
	    "name", "Gedragswetenschapper (demo)", "cao", "CAO Sociaal Werk, schaal 11, trede 5 (demo)",
	    "fte_centi", 200, "salary_cents", (json_int_t)6800000, "charges_bp", 3000,
	    "name", "Teamleider (demo)", "cao", "CAO Sociaal Werk, schaal 11, trede 8 (demo)",
	    "fte_centi", 200, "salary_cents", (json_int_t)7200000, "charges_bp", 3000,
	    "productive_hours", 1300, "overhead_bp", 1200, "management_bp", 600,
	    "material_cents", (json_int_t)4000000, "housing_cents", (json_int_t)9000000,
	    "efficiency_bp", 300,
	    "efficiency_reason", "Eén team in plaats van drie aanbieders: één intake, één plan (demo).",
	    "sources", "Salaristabel CAO Sociaal Werk; opslagen naar een sectorgemiddelde (demo).",
	    "taakstellingen", "year", start.year + 2, "cents", (json_int_t)30000000,
	    "year", start.year + 3, "cents", (json_int_t)30000000);
	enum kv_status mrc = app_cost_model_set(d->x, c.id, model, d->e);
	json_decref(model);
	TRY("cost model", mrc);
	print_procedure(&t.p, "awarded");
	return KV_OK;
}

/* ---- the whole ------------------------------------------------------------ */

static enum kv_status stages(struct demo *d)
{
	d->buyer = account_id(d, "buyer@dordrecht.example");
	d->buyer2 = account_id(d, "buyer2@dordrecht.example");
	d->assessor = account_id(d, "assessor@dordrecht.example");
	bidders[A].account = account_id(d, bidders[A].email);
	if (!d->buyer || !d->buyer2 || !d->assessor || !bidders[A].account)
		return kv_fail(d->e, KV_INVALID, "",
			       "demo: the seed's Dordrecht accounts are missing");
	for (int i = 0; i < 2; i++) {
		struct account acc = {.org_id = d->tenant,
				      .email = (char *)keyholders[i].email,
				      .name = (char *)keyholders[i].name};
		TRY("account", app_account_create(d->x, &acc, DEMO_PASSWORD, d->e));
		keyholders[i].id = acc.id;
	}
	printf("Dordrecht, the demo procedures in every stage:\n");
	/* The dialogue first: its registrations make B's and C's accounts,
	 * which bid in the others. */
	enum kv_status rc = dialogue(d);
	if (rc == KV_OK)
		rc = awarded(d);
	if (rc == KV_OK)
		rc = standstill(d);
	if (rc == KV_OK)
		rc = evaluation(d);
	if (rc == KV_OK)
		rc = registration(d);
	if (rc != KV_OK)
		return rc;
	printf("  their accounts:\n");
	for (int i = 0; i < 2; i++)
		printf("  %-34s %-10s %s, vault passphrase: %s\n",
		       keyholders[i].email, "buyer", keyholders[i].name,
		       keyholders[i].passphrase);
	for (int i = B; i < N_BIDDERS; i++)
		printf("  %-34s %-10s %s\n", bidders[i].email, "bidder",
		       bidders[i].person);
	return KV_OK;
}

enum kv_status app_load_stages_demo(struct app *x, int64_t dordrecht,
				    const char *vault_dir, struct kv_error *e)
{
	struct demo d = {.x = x, .e = e, .vault_dir = vault_dir,
			 .real = x->now, .tenant = dordrecht};
	int h, m, s;
	cal_utc_to_local(x->now, &d.today, &h, &m, &s, NULL);
	int64_t actor = x->actor;
	enum kv_status rc = stages(&d);
	sodium_memzero(d.unlocked, sizeof d.unlocked);
	x->now = d.real;
	x->actor = actor;
	return rc;
}
