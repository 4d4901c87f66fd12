/*
 * procedure.c - a procurement procedure and its state machine: the names
 * of types, stages, party roles and condition states; the stage template
 * of each procedure type; the checks of a procedure, a lot, a candidate
 * and a decision; and moving and completing stages, refused with a reason
 * whenever the law (Aanbestedingswet 2012, Algemene termijnenwet), the
 * calendar or a decision's pending condition does not allow it.
 *
 * Plain C, no I/O.  All instants are UTC seconds (kv_instant); a person
 * sees them through cal_format_local (Europe/Amsterdam).  Memory comes only
 * from the caller's arena.  See procedure.h for the contract.
 */
#include "procedure.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

#define REFERENCE_MAX 40
#define TITLE_MAX 200
#define NAME_MAX_LEN 200
#define CONDITION_MAX 300
#define DECISION_NUMBER_MAX 40
#define GOALS_MAX 20000
#define MAX_ROUNDS 20
#define MIN_STANDSTILL 20
#define MAX_STANDSTILL 365
#define MAX_CENTS 1000000000000000LL /* EUR 10^13, as eur_parse */
#define DAY 86400

/* --- names ------------------------------------------------------------- */

struct name {
	const char *code;
	const char *label;      /* English msgid, translated on return */
};

static const struct name type_names[PT__COUNT] = {
	[PT_SAS_DIALOGUE] = {"sas-dialogue",
		N_("SAS procedure with dialogue (art. 2.38 Aw 2012)")},
	[PT_SAS_OPEN] = {"sas-open",
		N_("SAS procedure, open (art. 2.38 Aw 2012)")},
	[PT_OPEN] = {"open", N_("Open procedure")},
	[PT_RESTRICTED] = {"restricted", N_("Restricted procedure")},
	[PT_COMPETITIVE_DIALOGUE] = {"competitive-dialogue",
		N_("Competitive dialogue")},
	[PT_NEGOTIATED] = {"negotiated",
		N_("Competitive procedure with negotiation")},
	[PT_PRIVATE_SINGLE] = {"private-single",
		N_("Private procedure with a single supplier")},
	[PT_PRIVATE_MULTIPLE] = {"private-multiple",
		N_("Private procedure with multiple suppliers")},
};

static const struct name stage_names[SK__COUNT] = {
	[SK_PRE_ANNOUNCEMENT] = {"pre-announcement", N_("Pre-announcement")},
	[SK_REGISTRATION] = {"registration", N_("Registration of interest")},
	[SK_DOCUMENT_ISSUED] = {"document-issued",
		N_("Procurement document issued")},
	[SK_APPLICATION_DEADLINE] = {"application-deadline",
		N_("Deadline for applications")},
	[SK_SELECTION] = {"selection", N_("Assessment and selection")},
	[SK_DIALOGUE_ROUND] = {"dialogue-round", N_("Dialogue round")},
	[SK_TENDER_DEADLINE] = {"tender-deadline",
		N_("Deadline for tenders")},
	[SK_EVALUATION] = {"evaluation", N_("Evaluation of tenders")},
	[SK_PROVISIONAL_AWARD] = {"provisional-award",
		N_("Provisional award (award decision sent)")},
	[SK_STANDSTILL] = {"standstill",
		N_("Standstill period (art. 2.127 Aw 2012)")},
	[SK_DEFINITIVE_AWARD] = {"definitive-award", N_("Definitive award")},
	[SK_CONTRACT_START] = {"contract-start", N_("Start of the contract")},
};

static const char *const party_codes[] = {
	[PARTY_PENVOERDER] = "penvoerder",
	[PARTY_MEMBER] = "member",
	[PARTY_SUBCONTRACTOR] = "subcontractor",
};

static const char *const condition_codes[] = {
	[COND_PENDING] = "pending",
	[COND_MET] = "met",
	[COND_WAIVED] = "waived",
};

#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

static int code_index(const char *const *codes, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (codes[i] && strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

const char *proc_type_code(enum proc_type t)
{
	return (unsigned)t < PT__COUNT ? type_names[t].code : "";
}

const char *proc_type_label(enum proc_type t)
{
	return (unsigned)t < PT__COUNT ? _(type_names[t].label) : "";
}

int proc_type_from_code(const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < PT__COUNT; i++)
		if (strcmp(type_names[i].code, code) == 0)
			return i;
	return -1;
}

const char *stage_kind_code(enum stage_kind k)
{
	return (unsigned)k < SK__COUNT ? stage_names[k].code : "";
}

const char *stage_kind_label(enum stage_kind k)
{
	return (unsigned)k < SK__COUNT ? _(stage_names[k].label) : "";
}

int stage_kind_from_code(const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < SK__COUNT; i++)
		if (strcmp(stage_names[i].code, code) == 0)
			return i;
	return -1;
}

bool stage_is_deadline(enum stage_kind k)
{
	return k == SK_APPLICATION_DEADLINE || k == SK_TENDER_DEADLINE;
}

/* Moments happen at one instant (a publication, a deadline, a decision);
 * the others are periods (registration, selection, dialogue rounds,
 * evaluation, standstill). */
bool stage_is_moment(enum stage_kind k)
{
	switch (k) {
	case SK_PRE_ANNOUNCEMENT:
	case SK_DOCUMENT_ISSUED:
	case SK_APPLICATION_DEADLINE:
	case SK_TENDER_DEADLINE:
	case SK_PROVISIONAL_AWARD:
	case SK_DEFINITIVE_AWARD:
	case SK_CONTRACT_START:
		return true;
	default:
		return false;
	}
}

const char *party_role_code(enum party_role r)
{
	return (unsigned)r < (unsigned)COUNT(party_codes) ? party_codes[r] : "";
}

int party_role_from_code(const char *code)
{
	return code_index(party_codes, COUNT(party_codes), code);
}

const char *condition_state_code(enum condition_state s)
{
	return (unsigned)s < (unsigned)COUNT(condition_codes) ?
	    condition_codes[s] : "";
}

int condition_state_from_code(const char *code)
{
	return code_index(condition_codes, COUNT(condition_codes), code);
}

/* A stage as a person names it: "Dialogue round 2", "Deadline for
 * tenders".  In a negotiated procedure the rounds are negotiation rounds. */
static const char *stage_name(const struct procedure *p,
			      const struct stage *st, char buf[128])
{
	const char *label = stage_kind_label(st->kind);
	if (st->kind == SK_DIALOGUE_ROUND && p->type == PT_NEGOTIATED)
		label = _("Negotiation round");
	if (st->kind == SK_DIALOGUE_ROUND && st->round > 0)
		snprintf(buf, 128, _("%s %d"), label, st->round);
	else
		snprintf(buf, 128, "%s", label);
	return buf;
}

/* --- templates ----------------------------------------------------------- */

/* The least and most rounds a type takes; 0, 0 for types without rounds.
 * A dialogue (SAS with dialogue, competitive dialogue) needs at least two
 * rounds to narrow solutions down; a negotiated procedure at least one
 * negotiation round. */
static void rounds_range(enum proc_type t, int *min, int *max)
{
	switch (t) {
	case PT_SAS_DIALOGUE:
	case PT_COMPETITIVE_DIALOGUE:
		*min = 2;
		*max = MAX_ROUNDS;
		break;
	case PT_NEGOTIATED:
		*min = 1;
		*max = MAX_ROUNDS;
		break;
	default:
		*min = *max = 0;
		break;
	}
}

/*
 * The stages of a type in order, written to out (when not NULL); returns
 * how many.  The templates:
 *
 *  SAS with dialogue, competitive dialogue, restricted, negotiated:
 *    pre-announcement, registration, document issued, application
 *    deadline, selection, [round x n], tender deadline, evaluation,
 *    provisional award, standstill, definitive award, contract start.
 *    Restricted has no rounds; negotiated has negotiation rounds, kept as
 *    SK_DIALOGUE_ROUND.
 *  Open, SAS open: (optional) pre-announcement, document issued, tender
 *    deadline, evaluation, provisional award, standstill, definitive
 *    award, contract start.  Anyone may tender: no registration or
 *    selection.
 *  Private, single supplier: document issued, tender deadline,
 *    evaluation, definitive award, contract start.  Below the European
 *    thresholds no standstill is required and with one supplier there is
 *    nobody to warn, so no provisional award either.
 *  Private, multiple suppliers: as single, with provisional award and
 *    standstill.  The law does not require them below the thresholds, but
 *    Kavel recommends them: the suppliers who lose learn why and can go
 *    to court before the contract is signed, and the Gids Proportionaliteit
 *    and most municipal procurement policies ask for it.  A buyer who does
 *    not want one can plan the standstill short (>= 20 days still holds).
 */
static int build_template(enum proc_type t, int rounds, struct stage *out)
{
	int n = 0;
#define PUT(k, r)                                                            \
	do {                                                                 \
		if (out) {                                                   \
			out[n].seq = n;                                      \
			out[n].kind = (k);                                   \
			out[n].round = (r);                                  \
			out[n].status = STAGE_PLANNED;                       \
		}                                                            \
		n++;                                                         \
	} while (0)

	if (rounds < 0)
		rounds = 0;
	switch (t) {
	case PT_SAS_DIALOGUE:
	case PT_COMPETITIVE_DIALOGUE:
	case PT_RESTRICTED:
	case PT_NEGOTIATED:
		PUT(SK_PRE_ANNOUNCEMENT, 0);
		PUT(SK_REGISTRATION, 0);
		PUT(SK_DOCUMENT_ISSUED, 0);
		PUT(SK_APPLICATION_DEADLINE, 0);
		PUT(SK_SELECTION, 0);
		if (t != PT_RESTRICTED)
			for (int r = 1; r <= rounds; r++)
				PUT(SK_DIALOGUE_ROUND, r);
		PUT(SK_TENDER_DEADLINE, 0);
		PUT(SK_EVALUATION, 0);
		PUT(SK_PROVISIONAL_AWARD, 0);
		PUT(SK_STANDSTILL, 0);
		PUT(SK_DEFINITIVE_AWARD, 0);
		PUT(SK_CONTRACT_START, 0);
		break;
	case PT_OPEN:
	case PT_SAS_OPEN:
		PUT(SK_PRE_ANNOUNCEMENT, 0);
		PUT(SK_DOCUMENT_ISSUED, 0);
		PUT(SK_TENDER_DEADLINE, 0);
		PUT(SK_EVALUATION, 0);
		PUT(SK_PROVISIONAL_AWARD, 0);
		PUT(SK_STANDSTILL, 0);
		PUT(SK_DEFINITIVE_AWARD, 0);
		PUT(SK_CONTRACT_START, 0);
		break;
	case PT_PRIVATE_SINGLE:
	case PT_PRIVATE_MULTIPLE:
		PUT(SK_DOCUMENT_ISSUED, 0);
		PUT(SK_TENDER_DEADLINE, 0);
		PUT(SK_EVALUATION, 0);
		if (t == PT_PRIVATE_MULTIPLE) {
			PUT(SK_PROVISIONAL_AWARD, 0);
			PUT(SK_STANDSTILL, 0);
		}
		PUT(SK_DEFINITIVE_AWARD, 0);
		PUT(SK_CONTRACT_START, 0);
		break;
	default:
		return -1;
	}
#undef PUT
	return n;
}

int proc_template_size(enum proc_type t, int rounds)
{
	int min, max;
	if ((unsigned)t >= PT__COUNT)
		return -1;
	rounds_range(t, &min, &max);
	return build_template(t, max ? rounds : 0, NULL);
}

/* --- construction ------------------------------------------------------ */

static bool reference_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/' ||
	    c == '-';
}

static int standstill_days(const struct procedure *p)
{
	return p->standstill_days >= MIN_STANDSTILL ? p->standstill_days :
	    MIN_STANDSTILL;
}

enum kv_status proc_init(arena *a, struct procedure *p, struct kv_error *e)
{
	enum kv_status st;

	/* reference: 1..40 of [A-Za-z0-9._/-] */
	if (!p->reference || !p->reference[0])
		return kv_fail(e, KV_INVALID, "reference",
			       _("A reference is required, e.g. "
				 "\"DOR-2022-SWT\"."));
	size_t len = strlen(p->reference);
	if (len > REFERENCE_MAX)
		return kv_fail(e, KV_INVALID, "reference",
			       _("The reference is %zu characters long; at "
				 "most %d are allowed."), len, REFERENCE_MAX);
	for (size_t i = 0; i < len; i++)
		if (!reference_char(p->reference[i]))
			return kv_fail(e, KV_INVALID, "reference",
				       _("The reference may contain only "
					 "letters, digits and . _ / -; "
					 "character %zu is not one of them."),
				       i + 1);

	st = text_check(p->title, TITLE_MAX, "title", e);
	if (st != KV_OK)
		return st;
	if (p->description && *p->description &&
	    (st = text_check_lines(p->description, PROC_DESCRIPTION_MAX, false,
				   "description", e)) != KV_OK)
		return st;

	if ((unsigned)p->type >= PT__COUNT)
		return kv_fail(e, KV_INVALID, "type",
			       _("Unknown procedure type."));

	if (!memchr(p->cpv, 0, sizeof p->cpv))
		return kv_fail(e, KV_INVALID, "cpv",
			       _("The CPV code is too long."));
	st = cpv_check(p->cpv, "cpv", e);
	if (st != KV_OK)
		return st;
	/* The eight digits alone stay as given: cpv_check cannot compute the
	 * real check digit of every code (see validate.c). */

	if (p->value_cents < 0)
		return kv_fail(e, KV_INVALID, "value",
			       _("The estimated value cannot be negative."));
	if (p->value_cents > MAX_CENTS)
		return kv_fail(e, KV_INVALID, "value",
			       _("The estimated value is larger than Kavel "
				 "can handle."));

	int min, max;
	rounds_range(p->type, &min, &max);
	if (max == 0) {
		/* The type has no rounds; whatever a form sent is moot. */
		if (p->dialogue_rounds < 0)
			return kv_fail(e, KV_INVALID, "dialogue_rounds",
				       _("The number of rounds cannot be "
					 "negative."));
		p->dialogue_rounds = 0;
	} else if (p->dialogue_rounds < min) {
		return kv_fail(e, KV_INVALID, "dialogue_rounds",
			       min == 1 ?
			       _("A procedure of type \"%s\" needs at least "
				 "%d negotiation round; %d given.") :
			       _("A procedure of type \"%s\" needs at least "
				 "%d dialogue rounds; %d given."),
			       proc_type_label(p->type), min,
			       p->dialogue_rounds);
	} else if (p->dialogue_rounds > max) {
		return kv_fail(e, KV_INVALID, "dialogue_rounds",
			       _("At most %d rounds are possible; %d given."),
			       max, p->dialogue_rounds);
	}

	if (p->standstill_days == 0)
		p->standstill_days = MIN_STANDSTILL;
	if (p->standstill_days < MIN_STANDSTILL)
		return kv_fail(e, KV_INVALID, "standstill_days",
			       _("The standstill period (art. 2.127 Aw 2012) "
				 "is at least %d calendar days; %d given."),
			       MIN_STANDSTILL, p->standstill_days);
	if (p->standstill_days > MAX_STANDSTILL)
		return kv_fail(e, KV_INVALID, "standstill_days",
			       _("A standstill period of %d days is longer "
				 "than the %d days Kavel accepts."),
			       p->standstill_days, MAX_STANDSTILL);

	int n = build_template(p->type, p->dialogue_rounds, NULL);
	p->stages = arena_alloc(a, (size_t)n * sizeof *p->stages);
	build_template(p->type, p->dialogue_rounds, p->stages);
	p->n_stages = n;
	return KV_OK;
}

enum kv_status lot_check(const struct procedure *p, const struct lot *l,
			 struct kv_error *e)
{
	enum kv_status st;

	if (l->number < 1)
		return kv_fail(e, KV_INVALID, "number",
			       _("A lot's number is 1 or more; %d given."),
			       l->number);
	st = text_check(l->title, TITLE_MAX, "title", e);
	if (st != KV_OK)
		return st;
	if (l->goals && strlen(l->goals) > GOALS_MAX)
		return kv_fail(e, KV_INVALID, "goals",
			       _("The goals are longer than %d characters."),
			       GOALS_MAX);
	if (l->value_cents < 0)
		return kv_fail(e, KV_INVALID, "value",
			       _("A lot's value cannot be negative."));
	if (l->value_cents > MAX_CENTS)
		return kv_fail(e, KV_INVALID, "value",
			       _("The value is larger than Kavel can "
				 "handle."));

	/* Lots split the procedure: their values (estimates and fixed
	 * budgets alike) together may not exceed its estimated value.  l
	 * itself may be among the other lots (an edit), found by address or
	 * by store id. */
	int64_t total = l->value_cents;
	for (int i = 0; i < p->n_lots; i++) {
		const struct lot *o = &p->lots[i];
		if (o == l || (l->id != 0 && o->id == l->id))
			continue;
		if (o->number == l->number)
			return kv_fail(e, KV_CONFLICT, "number",
				       _("Lot %d already exists in this "
					 "procedure (\"%s\")."), l->number,
				       o->title ? o->title : "");
		if (o->value_cents > 0) {
			total += o->value_cents;
			if (total > MAX_CENTS)
				total = MAX_CENTS + 1;
		}
	}
	if (l->value_cents > 0 && p->value_cents > 0 && total > p->value_cents) {
		char sum[32], estimate[32];
		eur_format(total, sum);
		eur_format(p->value_cents, estimate);
		return kv_fail(e, KV_INVALID, "value",
			       _("The lots' values add up to %s, more than "
				 "the estimated value of the procedure (%s)."),
			       sum, estimate);
	}
	return KV_OK;
}

/*
 * A candidate is one organisation (its one party is the penvoerder, the
 * organisation itself; it may name subcontractors it relies on) or a
 * consortium: exactly one penvoerder, at least one other member, and any
 * number of subcontractors.  No organisation takes part twice.
 */
enum kv_status candidate_check(const struct candidate *c, struct kv_error *e)
{
	enum kv_status st = text_check(c->name, NAME_MAX_LEN, "name", e);
	if (st != KV_OK)
		return st;
	if (c->n_parties < 1 || !c->parties)
		return kv_fail(e, KV_INVALID, "parties",
			       _("A candidate needs at least one "
				 "organisation."));

	int penvoerders = 0, members = 0;
	for (int i = 0; i < c->n_parties; i++) {
		const struct party *pa = &c->parties[i];
		const char *who = pa->org_name ? pa->org_name : "";
		switch (pa->role) {
		case PARTY_PENVOERDER:
			penvoerders++;
			break;
		case PARTY_MEMBER:
			members++;
			break;
		case PARTY_SUBCONTRACTOR:
			break;
		default:
			return kv_fail(e, KV_INVALID, "parties",
				       _("Party %d (%s) has an unknown role."),
				       i + 1, who);
		}
		struct kv_error ke;
		if (!pa->kvk)
			return kv_fail(e, KV_INVALID, "kvk",
				       _("Party %d (%s) has no KvK number."),
				       i + 1, who);
		if (kvk_check(pa->kvk, "kvk", &ke) != KV_OK)
			return kv_fail(e, ke.status, "kvk",
				       _("Party %d (%s): %s"), i + 1, who,
				       ke.msg);
		for (int j = 0; j < i; j++) {
			const struct party *q = &c->parties[j];
			if ((pa->org_id != 0 && pa->org_id == q->org_id) ||
			    (q->kvk && strcmp(pa->kvk, q->kvk) == 0))
				return kv_fail(e, KV_INVALID, "parties",
					       _("Party %d (%s) is the same "
						 "organisation as party %d; "
						 "an organisation takes part "
						 "only once."), i + 1, who,
					       j + 1);
		}
	}

	if (penvoerders != 1)
		return kv_fail(e, KV_INVALID, "parties",
			       _("A candidate has exactly one penvoerder "
				 "(lead party); %d given."), penvoerders);
	if (!c->consortium && members > 0)
		return kv_fail(e, KV_INVALID, "parties",
			       _("A single organisation has no members; "
				 "register a consortium "
				 "(samenwerkingsverband) instead."));
	if (c->consortium && members < 1)
		return kv_fail(e, KV_INVALID, "parties",
			       _("A consortium (samenwerkingsverband) needs at "
				 "least one member besides the penvoerder."));
	return KV_OK;
}

/* A decision number as municipalities write them: "2021/34505",
 * "Z-22-012345", "BW.2022.118": letters, digits, / . - _, at least one
 * digit, starting with a letter or digit. */
static bool decision_number_ok(const char *s)
{
	bool digit = false;
	size_t len = strlen(s);
	if (len < 1 || len > DECISION_NUMBER_MAX || !reference_char(s[0]) ||
	    s[0] == '.' || s[0] == '_' || s[0] == '/' || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!reference_char(s[i]))
			return false;
		if (s[i] >= '0' && s[i] <= '9')
			digit = true;
	}
	return digit;
}

enum kv_status decision_check(const struct decision *d, struct kv_error *e)
{
	if (!d->number || !d->number[0])
		return kv_fail(e, KV_INVALID, "number",
			       _("The decision number is required, e.g. "
				 "\"2021/34505\"."));
	if (!decision_number_ok(d->number))
		return kv_fail(e, KV_INVALID, "number",
			       _("\"%.60s\" is not a decision number: use "
				 "digits, letters and / . - _ (at most %d), "
				 "e.g. \"2021/34505\"."), d->number,
			       DECISION_NUMBER_MAX);
	if (!cal_date_valid(d->date))
		return kv_fail(e, KV_INVALID, "date",
			       _("The date of the decision is not a valid "
				 "date."));
	enum kv_status st = text_check(d->title, TITLE_MAX, "title", e);
	if (st != KV_OK)
		return st;
	if (d->n_conditions < 0 || (d->n_conditions > 0 && !d->conditions))
		return kv_fail(e, KV_INVALID, "conditions",
			       _("The conditions are missing."));
	for (int i = 0; i < d->n_conditions; i++) {
		const struct condition *c = &d->conditions[i];
		struct kv_error ce;
		if (text_check(c->description, CONDITION_MAX, "conditions",
			       &ce) != KV_OK)
			return kv_fail(e, ce.status, "conditions",
				       _("Condition %d: %s"), i + 1, ce.msg);
		if ((unsigned)c->state > COND_WAIVED)
			return kv_fail(e, KV_INVALID, "conditions",
				       _("Condition %d has an unknown state."),
				       i + 1);
	}
	if (d->n_governs < 0 || (d->n_governs > 0 && !d->governs))
		return kv_fail(e, KV_INVALID, "governs",
			       _("The governed stages are missing."));
	for (int i = 0; i < d->n_governs; i++)
		if ((unsigned)d->governs[i] >= SK__COUNT)
			return kv_fail(e, KV_INVALID, "governs",
				       _("The decision governs an unknown "
					 "stage."));
	return KV_OK;
}

/* --- the state machine -------------------------------------------------- */

static int find_kind(const struct procedure *p, enum stage_kind k)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == k)
			return i;
	return -1;
}

static bool planned(const struct stage *st)
{
	return st->start != 0 && st->end != 0;
}

/* The local calendar day of instant t. */
static cal_date local_day(kv_instant t)
{
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	return d;
}

/* The legal end of the standstill for an award decision sent on `sent`. */
static enum kv_status legal_standstill(const cal_calendar *cal,
				       cal_date sent, int days,
				       struct cal_explained *out,
				       struct kv_error *e)
{
	struct kv_error ce;
	memset(&ce, 0, sizeof ce);
	memset(out, 0, sizeof *out);
	if (cal_standstill_end(cal, sent, days, out, &ce) != 0)
		return kv_fail(e, ce.status != KV_OK ? ce.status : KV_INVALID,
			       ce.field, "%s", ce.msg);
	return KV_OK;
}

/*
 * Moving a stage.  The order rule is kept simple on purpose: stages may
 * overlap in time (Dordrecht's dialogue rounds ran inside its selection
 * period), but starts are non-decreasing in template order: a stage may
 * not start before the nearest earlier planned stage starts, nor after
 * the nearest later planned stage starts (unplanned stages, start 0, are
 * skipped).  Within a stage, end >= start.  A start or end equal to the
 * stage's current value is not "new" and may lie in the past, so a
 * running period's end can still be extended.
 */
enum kv_status proc_move_stage(struct procedure *p, int idx,
			       kv_instant start, kv_instant end,
			       kv_instant now, const cal_calendar *cal,
			       arena *a, struct kv_error *e)
{
	char name[128], other[128];

	if (idx < 0 || idx >= p->n_stages)
		return kv_fail(e, KV_NOT_FOUND, "stage",
			       _("This procedure has no such stage."));
	struct stage *st = &p->stages[idx];
	stage_name(p, st, name);

	if (st->status == STAGE_COMPLETED)
		return kv_fail(e, KV_DENIED, "stage",
			       _("%s was already completed on %s; a completed "
				 "stage cannot be moved."), name,
			       cal_format_local(a, st->completed_at));
	if (stage_is_deadline(st->kind) && st->end != 0 && st->end <= now)
		return kv_fail(e, KV_DENIED, "end",
			       _("The deadline passed on %s; a passed deadline "
				 "cannot be changed."),
			       cal_format_local(a, st->end));
	if (start <= 0)
		return kv_fail(e, KV_INVALID, "start",
			       _("The start of %s is required."), name);
	if (end <= 0)
		return kv_fail(e, KV_INVALID, "end",
			       _("The end of %s is required."), name);
	if (start != st->start && start < now)
		return kv_fail(e, KV_DENIED, "start",
			       _("The new start, %s, lies in the past."),
			       cal_format_local(a, start));
	if (end != st->end && end < now)
		return kv_fail(e, KV_DENIED, "end",
			       _("The new end, %s, lies in the past."),
			       cal_format_local(a, end));
	if (end < start)
		return kv_fail(e, KV_INVALID, "end",
			       _("%s cannot end (%s) before it starts (%s)."),
			       name, cal_format_local(a, end),
			       cal_format_local(a, start));
	if (stage_is_moment(st->kind) && start != end)
		return kv_fail(e, KV_INVALID, "end",
			       _("%s is a moment, not a period: its start and "
				 "end must be the same."), name);

	for (int j = idx - 1; j >= 0; j--) {
		const struct stage *o = &p->stages[j];
		if (o->start == 0)
			continue;
		if (start < o->start)
			return kv_fail(e, KV_DENIED, "start",
				       _("%s cannot be planned before %s, "
					 "which starts %s."), name,
				       stage_name(p, o, other),
				       cal_format_local(a, o->start));
		break;
	}
	for (int j = idx + 1; j < p->n_stages; j++) {
		const struct stage *o = &p->stages[j];
		if (o->start == 0)
			continue;
		if (start > o->start)
			return kv_fail(e, KV_DENIED, "start",
				       _("%s cannot be planned after %s, "
					 "which starts %s."), name,
				       stage_name(p, o, other),
				       cal_format_local(a, o->start));
		break;
	}

	char *rule = NULL;
	if (st->kind == SK_STANDSTILL) {
		int pa = find_kind(p, SK_PROVISIONAL_AWARD);
		if (pa >= 0 && p->stages[pa].end != 0) {
			struct cal_explained legal;
			enum kv_status s = legal_standstill(
			    cal, local_day(p->stages[pa].end),
			    standstill_days(p), &legal, e);
			if (s != KV_OK)
				return s;
			if (end < legal.end)
				return kv_fail(e, KV_DENIED, "end",
					       _("The standstill period may "
						 "not end before %s: %s"),
					       cal_format_local(a, legal.end),
					       legal.rule);
			if (end == legal.end)
				rule = arena_printf(a, "%s (%s)", legal.rule,
						    legal.source);
			else
				rule = arena_printf(a,
				    _("Set to end %s, later than the legal "
				      "minimum: %s"),
				    cal_format_local(a, end),
				    arena_printf(a, "%s (%s)", legal.rule,
						 legal.source));
		}
	}
	if (st->kind == SK_DEFINITIVE_AWARD) {
		int ss = find_kind(p, SK_STANDSTILL);
		if (ss >= 0 && p->stages[ss].end != 0 &&
		    start < p->stages[ss].end)
			return kv_fail(e, KV_DENIED, "start",
				       _("The definitive award cannot be "
					 "before the standstill period "
					 "(opschortende termijn) ends, %s "
					 "(art. 2.127 Aw 2012)."),
				       cal_format_local(a,
							p->stages[ss].end));
	}

	st->start = start;
	st->end = end;
	st->rule = rule;
	return KV_OK;
}

const struct condition *proc_blocking_condition(
    const struct procedure *p, int idx, const struct decision *decisions,
    int n_decisions, const struct decision **which)
{
	if (which)
		*which = NULL;
	if (idx < 0 || idx >= p->n_stages || !decisions)
		return NULL;
	enum stage_kind k = p->stages[idx].kind;
	for (int i = 0; i < n_decisions; i++) {
		const struct decision *d = &decisions[i];
		if (d->procedure_id == 0 || d->procedure_id != p->id)
			continue;
		bool governs = false;
		for (int g = 0; g < d->n_governs; g++)
			if (d->governs[g] == k)
				governs = true;
		if (!governs)
			continue;
		for (int c = 0; c < d->n_conditions; c++)
			if (d->conditions[c].state == COND_PENDING) {
				if (which)
					*which = d;
				return &d->conditions[c];
			}
	}
	return NULL;
}

enum kv_status proc_stage_ready(const struct procedure *p, int idx,
				kv_instant now, arena *a, struct kv_error *e)
{
	char name[128];

	if (idx < 0 || idx >= p->n_stages)
		return kv_fail(e, KV_NOT_FOUND, "stage",
			       _("This procedure has no such stage."));
	const struct stage *st = &p->stages[idx];
	stage_name(p, st, name);
	/* The award decision is sent now, whatever was planned. */
	bool sent_now = st->kind == SK_PROVISIONAL_AWARD;

	if (!sent_now && !planned(st))
		return kv_fail(e, KV_INVALID, "stage",
			       _("The dates of %s are not planned yet."), name);
	if (!sent_now && stage_is_deadline(st->kind) && now < st->end)
		return kv_fail(e, KV_DENIED, "stage",
			       _("The deadline is %s; it can be closed only "
				 "after it has passed."),
			       cal_format_local(a, st->end));
	if (!sent_now && now < st->start)
		return kv_fail(e, KV_DENIED, "stage",
			       stage_is_moment(st->kind) ?
			       _("%s is planned for %s; it cannot be "
				 "completed before then.") :
			       _("%s starts %s; it cannot be completed before "
				 "it has started."), name,
			       cal_format_local(a, st->start));
	if (st->kind == SK_STANDSTILL && now < st->end)
		return kv_fail(e, KV_DENIED, "stage",
			       _("The standstill (opschortende termijn) ends "
				 "%s; it can be completed only after it has "
				 "ended."), cal_format_local(a, st->end));

	return KV_OK;
}

enum kv_status proc_complete_stage(struct procedure *p, int idx,
				   kv_instant now, int64_t who,
				   const struct decision *decisions,
				   int n_decisions, const cal_calendar *cal,
				   arena *a, struct kv_error *e)
{
	char name[128], other[128];

	if (idx < 0 || idx >= p->n_stages)
		return kv_fail(e, KV_NOT_FOUND, "stage",
			       _("This procedure has no such stage."));
	struct stage *st = &p->stages[idx];
	stage_name(p, st, name);

	if (st->status == STAGE_COMPLETED)
		return kv_fail(e, KV_CONFLICT, "stage",
			       _("%s was already completed on %s."), name,
			       cal_format_local(a, st->completed_at));

	/* The definitive award waits for the end of the standstill
	 * (art. 2.127 Aw 2012); said before the general order rule so the
	 * reason names the law. */
	if (st->kind == SK_DEFINITIVE_AWARD) {
		int ss = find_kind(p, SK_STANDSTILL);
		if (ss >= 0) {
			const struct stage *s = &p->stages[ss];
			if (s->end == 0)
				return kv_fail(e, KV_DENIED, "stage",
					       _("The standstill period "
						 "(opschortende termijn) has "
						 "not started: send the award "
						 "decision (provisional "
						 "award) first."));
			if (now < s->end)
				return kv_fail(e, KV_DENIED, "stage",
					       _("The standstill (opschortende "
						 "termijn) ends %s; the "
						 "contract cannot be awarded "
						 "definitively before then "
						 "(art. 2.127 Aw 2012)."),
					       cal_format_local(a, s->end));
		}
	}

	for (int j = 0; j < idx; j++)
		if (p->stages[j].status != STAGE_COMPLETED)
			return kv_fail(e, KV_DENIED, "stage",
				       _("%s is not completed yet; stages are "
					 "completed in order, so %s cannot be "
					 "completed before it."),
				       stage_name(p, &p->stages[j], other),
				       name);

	/* The award decision is sent now, whatever was planned. */
	bool sent_now = st->kind == SK_PROVISIONAL_AWARD;
	enum kv_status ready = proc_stage_ready(p, idx, now, a, e);
	if (ready != KV_OK)
		return ready;

	const struct decision *d;
	const struct condition *c =
	    proc_blocking_condition(p, idx, decisions, n_decisions, &d);
	if (c)
		return kv_fail(e, KV_DENIED, "stage",
			       _("Decision %s makes %s wait for a condition "
				 "that is still pending: %s."),
			       d->number ? d->number : "", name,
			       c->description ? c->description : "");

	/* Completing the provisional award plans the standstill: from the
	 * start of the day after sending, to the legal end. */
	if (sent_now) {
		int ss = find_kind(p, SK_STANDSTILL);
		if (ss >= 0 && p->stages[ss].status != STAGE_COMPLETED) {
			struct cal_explained legal;
			cal_date day = local_day(now);
			enum kv_status ls = legal_standstill(
			    cal, day, standstill_days(p), &legal, e);
			if (ls != KV_OK)
				return ls;
			struct stage *s = &p->stages[ss];
			s->start = cal_local_to_utc(cal_add_days(day, 1), 0,
						    0, 0);
			s->end = legal.end;
			s->rule = arena_printf(a, "%s (%s)", legal.rule,
					       legal.source);
		}
		st->start = st->end = now;
	}

	st->status = STAGE_COMPLETED;
	st->completed_at = now;
	st->completed_by = who;
	return KV_OK;
}

enum stage_state proc_stage_state(const struct stage *st, kv_instant now)
{
	if (st->status == STAGE_COMPLETED)
		return STATE_COMPLETED;
	if (!planned(st))
		return STATE_UNPLANNED;
	if (st->end < now)
		return STATE_OVERDUE;
	if (st->start <= now)
		return STATE_RUNNING;
	return STATE_UPCOMING;
}

const char *stage_state_code(enum stage_state s)
{
	static const char *const codes[] = {
		[STATE_COMPLETED] = "completed", [STATE_OVERDUE] = "overdue",
		[STATE_RUNNING] = "running",     [STATE_UPCOMING] = "upcoming",
		[STATE_UNPLANNED] = "unplanned",
	};
	return (unsigned)s < (unsigned)COUNT(codes) ? codes[s] : "";
}

void proc_timeline(const struct procedure *p, kv_instant now,
		   struct timeline_view *out)
{
	memset(out, 0, sizeof *out);
	out->current = out->open_now = out->next = -1;
	out->days_left = -1;
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *st = &p->stages[i];
		if (out->current < 0 && st->status != STAGE_COMPLETED)
			out->current = i;
		if (out->open_now < 0 && st->status == STAGE_PLANNED &&
		    planned(st) && st->start <= now && now <= st->end)
			out->open_now = i;
		if (out->next < 0 && st->start > now)
			out->next = i;
		enum stage_state ss = proc_stage_state(st, now);
		uint64_t bit = i < 64 ? (uint64_t)1 << i : 0;
		if (ss == STATE_RUNNING) {
			out->n_running++;
			out->running |= bit;
		} else if (ss == STATE_OVERDUE) {
			out->n_overdue++;
			out->overdue |= bit;
		}
	}
	if (out->current >= 0) {
		kv_instant end = p->stages[out->current].end;
		if (end > now)
			out->days_left = (end - now + DAY - 1) / DAY;
	}
}

int proc_stage_day_warnings(const struct stage *st, const cal_calendar *cal,
			    kv_instant now, struct stage_day_warning out[2])
{
	int n = 0;
	if (st->status == STAGE_COMPLETED || !planned(st))
		return 0;
	struct {
		const char *field;
		kv_instant t;
	} dates[2] = {{"start", st->start}, {"end", st->end}};
	int nd = stage_is_moment(st->kind) || st->start == st->end ? 1 : 2;
	for (int i = 0; i < nd; i++) {
		if (dates[i].t < now)
			continue;
		cal_date d = local_day(dates[i].t);
		struct cal_reason why;
		if (!cal_is_non_working(cal, d, &why))
			continue;
		out[n++] = (struct stage_day_warning){
			.field = dates[i].field, .date = d, .why = why};
	}
	return n;
}
