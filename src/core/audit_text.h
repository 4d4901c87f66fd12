/*
 * audit_text.h - the audit trail as people read it: who may read each
 * field of an event, the event as a sentence, its time as Dutch people
 * write it, and the cells of its CSV export.  Plain C, no I/O and no JSON:
 * src/app parses an event's payloads and hands over their fields
 * (app/read_audit.c); docs/audit.md describes the whole.
 *
 * Who may read what.  An event's payloads (before, after: JSON objects)
 * may carry one reserved member, "_read", that names for each field of
 * that object who may read it; in the after payload the name "actor"
 * stands for who did it.  A field _read does not name is for whoever may
 * read the procedure's trail (its buyers and council members).  The codes:
 *
 *   "buyer"         the procedure's buyers only
 *   "buyer-closed"  its buyers, once the application deadline has passed
 *                   (what the applications page shows them from then on)
 *   "none"          nobody through the trail
 *
 * An unknown code reads as "none".  The writer (app/audit_mark.c) fills
 * _read from the policy below for every action the policy names (the
 * guarded actions), also with "_read": {} where every field is open, so
 * the mark tells a new event from one written before events carried it.
 * Such an older event of a guarded action is read with today's policy;
 * the policy hides from everyone the content those older events held
 * (application answers, question texts, draft answers).  An event of an
 * action the policy does not name is open as a whole.
 *
 * Confidential content itself (application answers, question texts,
 * draft answers, the contents of bids, plans and minutes) is not written
 * into new events at all: the trail says that and when it changed and
 * who did it; the content lives, with its own access rules, in its page.
 * Files are named by their SHA-256 (unguessable for a real file), short
 * dialogue texts by theirs, readable by buyers only.
 */
#ifndef KAVEL_AUDIT_TEXT_H
#define KAVEL_AUDIT_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "calendar.h"
#include "procedure.h"

enum audit_reader {
	AUDIT_READ_ALL,           /* buyers and council members */
	AUDIT_READ_BUYER,         /* buyers */
	AUDIT_READ_BUYER_CLOSED,  /* buyers after the application deadline */
	AUDIT_READ_NONE,          /* nobody */
};

#define AUDIT_READ_KEY "_read"      /* the payload member that says so */
#define AUDIT_ACTOR_FIELD "actor"   /* in after's _read: who did it */

/* "all", "buyer", "buyer-closed", "none". */
const char *audit_reader_code(enum audit_reader r);
/* The reader of a code; NULL is AUDIT_READ_ALL (not named), anything
 * unknown AUDIT_READ_NONE. */
enum audit_reader audit_reader_of(const char *code);

/* Who reads the trail. */
struct audit_viewer {
	bool buyer;                  /* a buyer of the procedure; else a
					council member */
	bool applications_closed;    /* its application deadline has passed */
};
bool audit_may_read(enum audit_reader r, const struct audit_viewer *v);

/* The policy: true when events of action carry fields not every reader
 * of the trail may read (the writer marks them). */
bool audit_action_guarded(const char *action);
/* Who may read field (or AUDIT_ACTOR_FIELD) of an event of action under
 * today's policy; AUDIT_READ_ALL for an action that is not guarded. */
enum audit_reader audit_policy(const char *action, const char *field);

/*
 * Sentences.  A field of an event's payload in text form: a JSON string
 * as it is, a number in decimal, true/false, anything else as compact
 * JSON.  Only the fields the viewer may read are handed over.
 */
struct audit_fact {
	const char *key;
	const char *text;
};

struct audit_line {
	const char *action;          /* "question.ask" */
	const char *object;          /* "procedure/3/question/12" */
	const char *who;             /* the actor's name; "" for the system;
					NULL when the viewer may not see it */
	const struct audit_fact *after;
	int n_after;
};

/* What the sentence may name: the procedure (its lots and stages) and
 * its candidates, to name objects by what people call them. */
struct audit_names {
	const struct procedure *p;          /* or NULL */
	const struct candidate *cands;
	int n_cands;
};

/* The event as one sentence in the calling thread's language ("Jan
 * Jansen heeft vraag 12 gesteld over perceel 2 (Jeugd)."), in a. */
char *audit_sentence(arena *a, const struct audit_names *names,
		     const struct audit_line *l);
/* What kind of event an action is, for people ("Vraag gesteld"); an
 * action no table knows comes back as it is. */
const char *audit_action_label(const char *action);

/* "1 april 2022, 14:05" (Europe/Amsterdam; English: "1 April 2022,
 * 14:05"), in a; "" for 0. */
char *audit_when(arena *a, kv_instant t);

/* The object path's parts: "procedure/3/lot/7" is kind "lot", id 7;
 * "procedure/3/dialogue/1/candidate/5" kind "dialogue", id 1, sub
 * "candidate", sub_id 5.  0 when the path is not under a procedure. */
struct audit_object {
	int64_t procedure_id;
	char kind[24];
	int64_t id;
	char sub[24];
	int64_t sub_id;
};
int audit_object_parse(const char *object, struct audit_object *o);

/*
 * CSV (RFC 4180): every cell quoted, quotes doubled, rows ending in
 * CRLF.  A cell that begins with = + - @, a tab or a carriage return gets
 * a ' in front, so that a spreadsheet shows it as text instead of
 * running it as a formula.  0, or -1 when b's cap is reached.
 */
int audit_csv_cell(sbuf *b, const char *s, bool last);

#endif
