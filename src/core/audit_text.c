/*
 * audit_text.c - who may read which field of an audit event, the event as
 * a sentence, Dutch times and CSV cells; see audit_text.h.
 */
#include "audit_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* ---- who may read what ------------------------------------------------- */

static const char *const reader_code[] = {
	[AUDIT_READ_ALL] = "all",
	[AUDIT_READ_BUYER] = "buyer",
	[AUDIT_READ_BUYER_CLOSED] = "buyer-closed",
	[AUDIT_READ_NONE] = "none",
};

const char *audit_reader_code(enum audit_reader r)
{
	return (unsigned)r < sizeof reader_code / sizeof *reader_code
		       ? reader_code[r] : "none";
}

enum audit_reader audit_reader_of(const char *code)
{
	if (!code)
		return AUDIT_READ_ALL;
	for (unsigned i = 0; i < sizeof reader_code / sizeof *reader_code; i++)
		if (strcmp(code, reader_code[i]) == 0)
			return (enum audit_reader)i;
	return AUDIT_READ_NONE;
}

bool audit_may_read(enum audit_reader r, const struct audit_viewer *v)
{
	switch (r) {
	case AUDIT_READ_ALL:
		return true;
	case AUDIT_READ_BUYER:
		return v->buyer;
	case AUDIT_READ_BUYER_CLOSED:
		return v->buyer && v->applications_closed;
	case AUDIT_READ_NONE:
		break;
	}
	return false;
}

/*
 * The policy.  "*" is the reader of every field of the action the table
 * does not name.  Why each is guarded:
 *  - an application's answers are read by buyers and assessors after the
 *    application deadline, never by council members (older events held
 *    the answers themselves: "none");
 *  - who asked a question is the buyers' to know, never part of a nota;
 *    its text (older events) and a draft answer are nobody's in the trail;
 *  - scores, motivations and the reasons of an exclusion are the
 *    assessment, not its course: the council reads the course (and an
 *    objection's summary and outcome, as on the objections page);
 *  - a bid's file name, type and size (not who handed it in: that is the
 *    event's actor), a dialogue document's digests and the e-mail
 *    addresses of people are the buyers'.
 */
struct rule {
	const char *action, *field;
	enum audit_reader reader;
};

static const struct rule policy[] = {
	{"application.save", "*", AUDIT_READ_NONE},
	{"application.save", "candidate", AUDIT_READ_ALL},
	{"application.save", "answered", AUDIT_READ_BUYER_CLOSED},
	{"application.document", "*", AUDIT_READ_BUYER_CLOSED},
	{"question.ask", "*", AUDIT_READ_NONE},
	{"question.ask", "lot", AUDIT_READ_ALL},
	{"question.ask", "candidate", AUDIT_READ_BUYER},
	{"question.ask", AUDIT_ACTOR_FIELD, AUDIT_READ_BUYER},
	{"question.answer", "*", AUDIT_READ_NONE},
	{"question.answer", "state", AUDIT_READ_ALL},
	{"selection.score", "*", AUDIT_READ_BUYER},
	{"selection.score", "round", AUDIT_READ_ALL},
	{"selection.score", "criterion", AUDIT_READ_ALL},
	{"submission.receive", "file_name", AUDIT_READ_BUYER},
	{"submission.receive", "content_type", AUDIT_READ_BUYER},
	{"submission.receive", "size", AUDIT_READ_BUYER},
	{"submission.withdraw", "file_name", AUDIT_READ_BUYER},
	{"submission.read", "*", AUDIT_READ_BUYER},
	{"submission.read", "lot", AUDIT_READ_ALL},
	{"submission.read", "envelope", AUDIT_READ_ALL},
	{"application-document.read", "*", AUDIT_READ_BUYER},
	{"award.assign", "assessor", AUDIT_READ_BUYER},
	{"award.score", "score_sha256", AUDIT_READ_BUYER},
	{"award.consensus", "step", AUDIT_READ_BUYER},
	{"award.consensus", "motivation", AUDIT_READ_BUYER},
	{"award.quality-final", "*", AUDIT_READ_BUYER},
	{"award.exclude", "reason", AUDIT_READ_BUYER},
	{"dialogue.plan", "*", AUDIT_READ_BUYER},
	{"dialogue.meeting", "*", AUDIT_READ_BUYER},
	{"dialogue.meeting", "at", AUDIT_READ_ALL},
	{"dialogue.minutes", "*", AUDIT_READ_BUYER},
	{"dialogue.feedback", "*", AUDIT_READ_BUYER},
	{"dialogue.feedback", "published", AUDIT_READ_ALL},
	{"dialogue.feedback.publish", "*", AUDIT_READ_BUYER},
	{"dialogue.feedback.publish", "published_at", AUDIT_READ_ALL},
	{"candidate.register", "email", AUDIT_READ_BUYER},
	{"candidate.register", "account", AUDIT_READ_BUYER},
	{"bidder.account", "email", AUDIT_READ_BUYER},
	{"bidder.account", "name", AUDIT_READ_BUYER},
	{"bidder.account", "account", AUDIT_READ_BUYER},
	{"vault.create", "buyers", AUDIT_READ_BUYER},
	{"vault.open", "buyers", AUDIT_READ_BUYER},
	{"vault.open-refused", "buyers", AUDIT_READ_BUYER},
	{"price.open-refused", "buyers", AUDIT_READ_BUYER},
	{"price.open", "buyers", AUDIT_READ_BUYER},
};
#define N_POLICY (int)(sizeof policy / sizeof *policy)

bool audit_action_guarded(const char *action)
{
	for (int i = 0; action && i < N_POLICY; i++)
		if (strcmp(policy[i].action, action) == 0)
			return true;
	return false;
}

enum audit_reader audit_policy(const char *action, const char *field)
{
	enum audit_reader dflt = AUDIT_READ_ALL;
	for (int i = 0; action && field && i < N_POLICY; i++) {
		if (strcmp(policy[i].action, action) != 0)
			continue;
		if (strcmp(policy[i].field, field) == 0)
			return policy[i].reader;
		/* "*" covers fields, not who did it */
		if (strcmp(policy[i].field, "*") == 0 &&
		    strcmp(field, AUDIT_ACTOR_FIELD) != 0)
			dflt = policy[i].reader;
	}
	return dflt;
}

/* ---- times ------------------------------------------------------------- */

/* The same msgids as calendar.c's: translated there already. */
static const char *const month_msgid[13] = {
	"",	       N_("January"), N_("February"), N_("March"),
	N_("April"),   N_("May"),     N_("June"),     N_("July"),
	N_("August"),  N_("September"), N_("October"), N_("November"),
	N_("December"),
};

char *audit_when(arena *a, kv_instant t)
{
	if (!t)
		return arena_strdup(a, "");
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	if (d.month < 1 || d.month > 12)
		return arena_strdup(a, "");
	/* Dutch and English alike write the day first; only the month's
	 * name changes ("1 april 2022, 14:05"). */
	return arena_printf(a, "%d %s %d, %02d:%02d", d.day,
			    _(month_msgid[d.month]), d.year, h, m);
}

/* ---- objects ----------------------------------------------------------- */

/* Reads "name/number" at *p into kind/id; 0, or -1. */
static int segment(const char **p, char *kind, size_t kn, int64_t *id,
		   bool id_needed)
{
	const char *s = *p;
	size_t n = strcspn(s, "/");
	if (n == 0 || n >= kn)
		return -1;
	memcpy(kind, s, n);
	kind[n] = 0;
	s += n;
	if (*s != '/') {
		*p = s;
		return id_needed ? -1 : 0;
	}
	s++;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (end == s || v < 0 || (*end && *end != '/'))
		return -1;
	*id = v;
	*p = *end ? end + 1 : end;
	return 0;
}

int audit_object_parse(const char *object, struct audit_object *o)
{
	memset(o, 0, sizeof *o);
	const char *p = object ? object : "";
	char top[24];
	if (segment(&p, top, sizeof top, &o->procedure_id, true) != 0 ||
	    strcmp(top, "procedure") != 0) {
		memset(o, 0, sizeof *o);
		return 0;
	}
	if (*p && segment(&p, o->kind, sizeof o->kind, &o->id, false) == 0 &&
	    *p)
		segment(&p, o->sub, sizeof o->sub, &o->sub_id, false);
	return 1;
}

/* ---- sentences --------------------------------------------------------- */

static const char *fact(const struct audit_line *l, const char *key)
{
	for (int i = 0; i < l->n_after; i++)
		if (strcmp(l->after[i].key, key) == 0)
			return l->after[i].text;
	return NULL;
}

/* A fact as a number; false when absent or not a number. */
static bool fact_num(const struct audit_line *l, const char *key, long long *v)
{
	const char *t = fact(l, key);
	if (!t || !*t)
		return false;
	char *end = NULL;
	*v = strtoll(t, &end, 10);
	return end && *end == 0;
}

static const char *lot_text(arena *a, const struct lot *lot)
{
	return lot->title && *lot->title
		       ? arena_printf(a, _("lot %d (%s)"), lot->number, lot->title)
		       : arena_printf(a, _("lot %d"), lot->number);
}

static const char *lot_by_id(arena *a, const struct audit_names *n, int64_t id)
{
	for (int i = 0; n->p && i < n->p->n_lots; i++)
		if (n->p->lots[i].id == id)
			return lot_text(a, &n->p->lots[i]);
	return _("a lot");
}

static const char *lot_by_number(arena *a, const struct audit_names *n,
				 long long number)
{
	for (int i = 0; n->p && i < n->p->n_lots; i++)
		if (n->p->lots[i].number == number)
			return lot_text(a, &n->p->lots[i]);
	return arena_printf(a, _("lot %d"), (int)number);
}

static const char *candidate_by_id(arena *a, const struct audit_names *n,
				   int64_t id)
{
	for (int i = 0; i < n->n_cands; i++)
		if (n->cands[i].id == id && n->cands[i].name)
			return n->cands[i].name;
	return id ? arena_printf(a, _("candidate %lld"), (long long)id)
		  : _("a candidate");
}

static const char *stage_by_id(arena *a, const struct audit_names *n,
			       int64_t id, const struct audit_line *l)
{
	for (int i = 0; n->p && i < n->p->n_stages; i++) {
		const struct stage *s = &n->p->stages[i];
		if (s->id != id)
			continue;
		return s->round ? arena_printf(a, "%s %d", stage_kind_label(s->kind),
					       s->round)
				: stage_kind_label(s->kind);
	}
	const char *code = fact(l, "kind");
	int k = code ? stage_kind_from_code(code) : -1;
	return k >= 0 ? stage_kind_label((enum stage_kind)k) : _("a stage");
}

/* A time fact as people read it; "" when absent. */
static const char *when_fact(arena *a, const struct audit_line *l,
			     const char *key)
{
	long long t = 0;
	return fact_num(l, key, &t) && t > 0 ? audit_when(a, (kv_instant)t) : "";
}

/* "1 april 2022, 14:05" or "1 april 2022, 09:00 to 30 juni 2022, 17:00". */
static const char *period(arena *a, const struct audit_line *l)
{
	long long s = 0, e = 0;
	bool hs = fact_num(l, "start", &s), he = fact_num(l, "end", &e);
	if (!hs || !he || s <= 0)
		return _("no date yet");
	if (s == e)
		return audit_when(a, (kv_instant)s);
	return arena_printf(a, _("%s to %s"), audit_when(a, (kv_instant)s),
			    audit_when(a, (kv_instant)e));
}

/* The subject of a sentence: the actor's name, the system, or a word
 * for someone the viewer may not know. */
static const char *subject(const struct audit_line *l)
{
	if (!l->who)
		return strcmp(l->action, "question.ask") == 0 ? _("A candidate")
							      : _("Someone");
	return *l->who ? l->who : _("Kavel");
}

static bool is(const struct audit_line *l, const char *action)
{
	return strcmp(l->action, action) == 0;
}

char *audit_sentence(arena *a, const struct audit_names *names,
		     const struct audit_line *l)
{
	static const struct audit_names none = {0};
	const struct audit_names *n = names ? names : &none;
	struct audit_object o;
	audit_object_parse(l->object, &o);
	const char *who = subject(l);
	long long v = 0;
	const char *t;
	/* the object's candidate, where the path names one */
	int64_t cand_id = strcmp(o.kind, "candidate") == 0 || strcmp(o.kind, "application") == 0
				  ? o.id
				  : strcmp(o.sub, "candidate") == 0 ? o.sub_id : 0;
	const char *lot = strcmp(o.kind, "lot") == 0 ? lot_by_id(a, n, o.id) : NULL;
	if (!lot && fact_num(l, "lot", &v))
		lot = lot_by_number(a, n, v);
	if (!lot)
		lot = _("a lot");

	if (is(l, "procedure.create"))
		return arena_printf(a, _("%s created the procedure."), who);
	if (is(l, "procedure.publish"))
		return arena_printf(a, _("%s published the procedure for registration."), who);
	if (is(l, "lot.create")) {
		if (fact_num(l, "number", &v) && (t = fact(l, "title")) && *t)
			return arena_printf(a, _("%s added lot %d (%s)."), who, (int)v, t);
		return arena_printf(a, _("%s added %s."), who, lot);
	}
	if (is(l, "stage.complete"))
		return arena_printf(a, _("%s marked the stage %s as completed."), who,
				    stage_by_id(a, n, o.id, l));
	if (is(l, "stage.move"))
		return arena_printf(a, _("%s moved the stage %s to %s."), who,
				    stage_by_id(a, n, o.id, l), period(a, l));
	if (is(l, "stage.import"))
		return arena_printf(a, _("%s entered the stage %s as given in %s."), who,
				    stage_by_id(a, n, o.id, l),
				    (t = fact(l, "source")) && *t ? t : _("the source"));
	if (is(l, "stage.plan"))
		return arena_printf(a, _("After a change by %s, the stage %s is planned for %s."), who,
				    stage_by_id(a, n, o.id, l), period(a, l));
	if (is(l, "candidate.create"))
		return arena_printf(a, _("%s added the candidate %s."), who,
				    (t = fact(l, "name")) ? t : candidate_by_id(a, n, cand_id));
	if (is(l, "candidate.register")) {
		const char *c = (t = fact(l, "name")) ? t : candidate_by_id(a, n, cand_id);
		/* an organisation registers itself, before it has an account */
		if (l->who && !*l->who)
			return arena_printf(a, _("%s registered as a candidate."), c);
		return arena_printf(a, _("%s registered %s as a candidate."), who, c);
	}
	if (is(l, "bidder.account"))
		return arena_printf(a, _("%s made a bidder's account for %s."), who,
				    candidate_by_id(a, n, cand_id));
	if (is(l, "decision.create")) {
		const char *num = fact(l, "number"), *title = fact(l, "title");
		if (num && title && *title)
			return arena_printf(a, _("%s registered decision %s (%s)."), who, num, title);
		return arena_printf(a, _("%s registered decision %s."), who, num ? num : "");
	}
	if (is(l, "condition.resolve")) {
		t = fact(l, "state");
		if (t && strcmp(t, "waived") == 0)
			return arena_printf(a, _("%s declared a condition of a decision waived."), who);
		return arena_printf(a, _("%s marked a condition of a decision as met."), who);
	}
	if (is(l, "criterion.add")) {
		t = fact(l, "title");
		return arena_printf(a, _("%s added the selection criterion %s."), who,
				    t && *t ? t : (t = fact(l, "key")) ? t : "");
	}
	if (is(l, "application.save"))
		return arena_printf(a, _("%s saved the application of %s."), who,
				    candidate_by_id(a, n, cand_id));
	if (is(l, "application.document"))
		return arena_printf(a, _("%s added a document to the application of %s."), who,
				    candidate_by_id(a, n, cand_id));
	if (is(l, "question.ask")) {
		if (fact_num(l, "lot", &v))
			return arena_printf(a, _("%s asked question %lld about %s."), who,
					    (long long)o.id, lot);
		return arena_printf(a, _("%s asked question %lld."), who, (long long)o.id);
	}
	if (is(l, "question.answer"))
		return arena_printf(a, _("%s saved an answer to question %lld."), who,
				    (long long)o.id);
	if (is(l, "question.deadline"))
		return arena_printf(a, _("%s set the deadline for questions to %s."), who,
				    when_fact(a, l, "deadline"));
	if (is(l, "tender_document.publish") && fact_num(l, "version", &v) &&
	    (t = fact(l, "title")))
		return arena_printf(a, _("%s published version %lld of the procurement document %s."),
				    who, v, t);
	if (is(l, "nota.publish"))
		return arena_printf(a, _("%s published nota van inlichtingen %lld."), who,
				    (long long)o.id);
	if (is(l, "selection.score"))
		return arena_printf(a, _("%s scored %s on the selection criterion %s."), who,
				    candidate_by_id(a, n, cand_id),
				    (t = fact(l, "criterion")) ? t : "");
	if (is(l, "selection.publish"))
		return arena_printf(a, _("%s published the result of selection round %lld."), who,
				    (long long)o.id);
	if (is(l, "vault.create"))
		return arena_printf(a, _("%s made the vault for the bids."), who);
	if (is(l, "submission.max")) {
		if (fact_num(l, "max_bytes", &v) && v > 0)
			return arena_printf(a, _("%s set the size limit of a bid's files to %lld MB."), who,
					    v >> 20);
		return arena_printf(a, _("%s changed the size limit of a bid's files."), who);
	}
	if (is(l, "submission.receive")) {
		t = fact(l, "envelope");
		if (t && strcmp(t, "price") == 0)
			return arena_printf(a, _("%s handed in a sealed price for %s."), who, lot);
		return arena_printf(a, _("%s handed in a sealed bid for %s."), who, lot);
	}
	if (is(l, "submission.withdraw"))
		return arena_printf(a, _("%s withdrew a bid for %s."), who, lot);
	if (is(l, "submission.read")) {
		t = fact(l, "envelope");
		if (t && strcmp(t, "price") == 0)
			return arena_printf(a, _("%s read a price for %s."), who, lot);
		return arena_printf(a, _("%s read a bid for %s."), who, lot);
	}
	if (is(l, "application-document.read"))
		return arena_printf(a, _("%s read a document of an application."), who);
	if (is(l, "vault.open-refused"))
		return arena_printf(a, _("%s tried to open the vault with a second buyer; the passphrases were wrong."), who);
	if (is(l, "price.open-refused"))
		return arena_printf(a, _("%s tried to open the sealed prices with a second buyer; the passphrases were wrong."), who);
	if (is(l, "vault.open"))
		return arena_printf(a, _("%s opened the vault with a second buyer; each bid was checked against its receipt."), who);
	if (is(l, "price.open"))
		return arena_printf(a, _("%s opened the sealed prices with a second buyer."), who);
	if (is(l, "award.rules"))
		return arena_printf(a, _("%s set the award rules of %s."), who, lot);
	if (is(l, "award.assign")) {
		if ((t = fact(l, "assessor")))
			return arena_printf(a, _("%s assigned %s to assess %s."), who, t, lot);
		return arena_printf(a, _("%s assigned an assessor to %s."), who, lot);
	}
	if (is(l, "award.score"))
		return arena_printf(a, _("%s scored the bid of %s on %s."), who,
				    fact_num(l, "candidate", &v) ? candidate_by_id(a, n, v)
								: _("a candidate"), lot);
	if (is(l, "award.hand-in"))
		return arena_printf(a, _("%s handed in the scores for %s."), who, lot);
	if (is(l, "award.consensus"))
		return arena_printf(a, _("%s recorded a consensus score of %s on %s."), who,
				    fact_num(l, "candidate", &v) ? candidate_by_id(a, n, v)
								: _("a candidate"), lot);
	if (is(l, "award.exclude") || is(l, "award.readmit")) {
		const char *c = fact_num(l, "candidate", &v) ? candidate_by_id(a, n, v)
							     : _("a candidate");
		return is(l, "award.exclude")
			       ? arena_printf(a, _("%s excluded the bid of %s on %s."), who, c, lot)
			       : arena_printf(a, _("%s admitted the bid of %s on %s again."), who, c, lot);
	}
	if (is(l, "award.quality-final"))
		return arena_printf(a, _("%s made the quality scores of %s final."), who, lot);
	if (is(l, "award.decision")) {
		if (fact_num(l, "number", &v))
			return arena_printf(a, _("%s sent award decision %lld for %s."), who, v, lot);
		return arena_printf(a, _("%s sent an award decision for %s."), who, lot);
	}
	if (is(l, "award.objection")) {
		const char *c = fact_num(l, "candidate", &v) ? candidate_by_id(a, n, v)
							     : _("a candidate");
		t = fact(l, "kind");
		return t && strcmp(t, "summary-proceedings") == 0
			       ? arena_printf(a, _("%s registered summary proceedings of %s."), who, c)
			       : arena_printf(a, _("%s registered an objection of %s."), who, c);
	}
	if (is(l, "award.objection-close"))
		return arena_printf(a, _("%s recorded that an objection was settled."), who);
	if (is(l, "award.definitive"))
		return arena_printf(a, _("%s made the award of %s definitive."), who, lot);
	if (is(l, "dialogue.deadline"))
		return arena_printf(a, _("%s set the plan deadline of dialogue round %lld to %s."),
				    who, (long long)o.id, when_fact(a, l, "plan_due"));
	if (is(l, "dialogue.plan"))
		return arena_printf(a, _("%s handed in the plan of %s for dialogue round %lld."),
				    who, candidate_by_id(a, n, cand_id), (long long)o.id);
	if (is(l, "dialogue.meeting")) {
		const char *at = when_fact(a, l, "at");
		return arena_printf(a, _("%s planned the meeting with %s in dialogue round %lld for %s."),
				    who, candidate_by_id(a, n, cand_id), (long long)o.id,
				    *at ? at : _("a time not shown"));
	}
	if (is(l, "dialogue.minutes"))
		return arena_printf(a, _("%s recorded the minutes of the meeting with %s in dialogue round %lld."),
				    who, candidate_by_id(a, n, cand_id), (long long)o.id);
	if (is(l, "dialogue.feedback"))
		return arena_printf(a, _("%s wrote feedback for %s in dialogue round %lld."),
				    who, candidate_by_id(a, n, cand_id), (long long)o.id);
	if (is(l, "dialogue.feedback.publish"))
		return arena_printf(a, _("%s published the feedback for %s in dialogue round %lld."),
				    who, candidate_by_id(a, n, cand_id), (long long)o.id);
	/* An action this table does not know: what it is and on what. */
	return arena_printf(a, _("%s: %s (%s)."), who, audit_action_label(l->action),
			    l->object ? l->object : "");
}

static const struct {
	const char *action, *label;
} labels[] = {
	{"procedure.create", N_("Procedure created")},
	{"procedure.publish", N_("Procedure published")},
	{"lot.create", N_("Lot added")},
	{"stage.complete", N_("Stage completed")},
	{"stage.move", N_("Stage moved")},
	{"stage.plan", N_("Stage planned")},
	{"stage.import", N_("Stage entered")},
	{"candidate.create", N_("Candidate added")},
	{"candidate.register", N_("Candidate registered")},
	{"bidder.account", N_("Bidder's account made")},
	{"decision.create", N_("Decision registered")},
	{"condition.resolve", N_("Condition resolved")},
	{"criterion.add", N_("Selection criterion added")},
	{"application.save", N_("Application saved")},
	{"application.document", N_("Application document added")},
	{"question.ask", N_("Question asked")},
	{"question.answer", N_("Answer saved")},
	{"question.deadline", N_("Question deadline set")},
	{"nota.publish", N_("Nota published")},
	{"selection.score", N_("Selection score")},
	{"selection.publish", N_("Selection round published")},
	{"vault.create", N_("Vault made")},
	{"submission.max", N_("Bid size limit set")},
	{"submission.receive", N_("Bid handed in")},
	{"submission.withdraw", N_("Bid withdrawn")},
	{"submission.read", N_("Bid read")},
	{"application-document.read", N_("Application document read")},
	{"vault.open", N_("Vault opened")},
	{"vault.open-refused", N_("Vault opening refused")},
	{"price.open-refused", N_("Price opening refused")},
	{"price.open", N_("Prices opened")},
	{"award.rules", N_("Award rules set")},
	{"award.assign", N_("Assessor assigned")},
	{"award.score", N_("Award score")},
	{"award.hand-in", N_("Scores handed in")},
	{"award.consensus", N_("Consensus score")},
	{"award.exclude", N_("Bid excluded")},
	{"award.readmit", N_("Bid admitted again")},
	{"award.quality-final", N_("Quality scores final")},
	{"award.decision", N_("Award decision sent")},
	{"award.objection", N_("Objection registered")},
	{"award.objection-close", N_("Objection settled")},
	{"award.definitive", N_("Award definitive")},
	{"dialogue.deadline", N_("Plan deadline set")},
	{"dialogue.plan", N_("Plan handed in")},
	{"dialogue.meeting", N_("Meeting planned")},
	{"dialogue.minutes", N_("Minutes recorded")},
	{"dialogue.feedback", N_("Feedback written")},
	{"dialogue.feedback.publish", N_("Feedback published")},
	{"tender_document.publish", N_("Procurement document published")},
};

const char *audit_action_label(const char *action)
{
	for (unsigned i = 0; action && i < sizeof labels / sizeof *labels; i++)
		if (strcmp(labels[i].action, action) == 0)
			return _(labels[i].label);
	return action ? action : "";
}

/* ---- CSV --------------------------------------------------------------- */

int audit_csv_cell(sbuf *b, const char *s, bool last)
{
	const char *p = s ? s : "";
	int rc = sbuf_add(b, "\"", 1);
	/* Spreadsheets run a cell that starts so as a formula (CSV
	 * injection): a leading ' makes it text. */
	if (*p && strchr("=+-@\t\r", *p))
		rc |= sbuf_add(b, "'", 1);
	while (*p) {
		size_t k = strcspn(p, "\"");
		rc |= sbuf_add(b, p, k);
		p += k;
		if (*p == '"') {
			rc |= sbuf_add(b, "\"\"", 2);
			p++;
		}
	}
	rc |= sbuf_add(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
	return rc ? -1 : 0;
}
