/*
 * dialogue.h - the dialogue rounds of a procedure (SAS with dialogue,
 * competitive dialogue; the negotiation rounds of a negotiated procedure
 * alike): what may happen when, and who may see what.
 *
 * A round is the procedure's stage SK_DIALOGUE_ROUND with that number:
 * its period is the stage's start and end.  Per round and per candidate
 * the candidate hands in a concept plan of approach (plan van aanpak)
 * before the round's plan deadline, to the second, and may replace it
 * until then; the plan deadline is the round's end unless the buyer set
 * an earlier one inside the round.  The buyer plans a meeting inside the
 * round, records its minutes once it has begun, and writes feedback that
 * reaches the candidate when the buyer publishes it, which is possible
 * only after the plan deadline (so no candidate can change its plan
 * after hearing the buyer's view in the same round).
 *
 * Dialogue material is confidential between one candidate and the buyer:
 * a bidder sees its own candidate's material only (and its feedback only
 * once published); the buyers and assessors of the procedure see all of
 * it; council members oversee the course of the dialogue (rounds, who
 * handed in a plan when, meetings, that feedback was published) but not
 * its content.
 *
 * Plain C, no I/O.
 */
#ifndef KAVEL_DIALOGUE_H
#define KAVEL_DIALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "procedure.h"

#define DLG_PLACE_MAX 200       /* bytes of a meeting's place */
#define DLG_MINUTES_MAX 20000   /* bytes of written minutes */
#define DLG_FEEDBACK_MAX 8000   /* bytes of feedback */
#define DLG_NAME_MAX 200        /* bytes of a document's file name */

struct dlg_round {
	int number;                   /* 1.. */
	kv_instant start, end;        /* the stage's period; 0: not planned */
	kv_instant plan_due;          /* own deadline, else end */
	bool own_due;                 /* the buyer set plan_due */
	bool completed;               /* the stage is completed */
};

/* How many dialogue rounds p has (its SK_DIALOGUE_ROUND stages). */
int dlg_round_count(const struct procedure *p);
/* Round `number` of p; own_due is the buyer's plan deadline for it, or
 * 0 (never later than the round's end, and void before its start,
 * should the round have been moved since).  KV_NOT_FOUND with a sentence when p has no such round. */
enum kv_status dlg_round_get(const struct procedure *p, int number,
			     kv_instant own_due, struct dlg_round *out,
			     struct kv_error *e);

/* The buyer's plan deadline: the round is planned and not completed;
 * due lies inside the round (start <= due <= end) and after now. */
enum kv_status dlg_due_check(const struct dlg_round *r, kv_instant due,
			     kv_instant now, arena *a, struct kv_error *e);
/* A concept plan arriving at now: the round is planned, not completed,
 * and now <= plan_due (a plan a second late is refused). */
enum kv_status dlg_plan_check(const struct dlg_round *r, kv_instant now,
			      arena *a, struct kv_error *e);
/* A meeting at `at` in `place`: the round is planned and not completed,
 * the meeting lies inside the round, the place is one line of text. */
enum kv_status dlg_meeting_check(const struct dlg_round *r, kv_instant at,
				 const char *place, arena *a,
				 struct kv_error *e);
/* Minutes recorded at now of a meeting at meeting_at (0: none planned):
 * only once it has begun. */
enum kv_status dlg_minutes_check(kv_instant meeting_at, kv_instant now,
				 arena *a, struct kv_error *e);
/* Publishing feedback at now: only after the round's plan deadline. */
enum kv_status dlg_feedback_publish_check(const struct dlg_round *r,
					  kv_instant now, arena *a,
					  struct kv_error *e);

/* A document of the dialogue (a plan or minutes): a file name of one
 * line without a directory part, 1..max bytes of content that is a PDF
 * or an office document (a ZIP container: DOCX, XLSX, ODT, ...), judged
 * by its first bytes, not by its name.  *type gets the sniffed type. */
enum kv_status dlg_document_check(const char *name, const unsigned char *data,
				  int64_t size, int64_t max, const char **type,
				  struct kv_error *e);

/* Who sees what of the dialogue. */
enum dlg_view {
	DLG_VIEW_NONE,                /* nothing */
	DLG_VIEW_OWN,                 /* a bidder: its own candidate's */
	DLG_VIEW_COURSE,              /* council: the course, no content */
	DLG_VIEW_ALL,                 /* buyer, assessor: everything */
};
/* From the roles (core/account.h) an account has on the procedure; the
 * widest wins (a buyer who is also a bidder sees all). */
enum dlg_view dlg_view_of(unsigned roles);
/* Whether the content of material of `candidate` is visible to a viewer
 * with view v whose own candidate is `own` (0: none). */
bool dlg_may_read(enum dlg_view v, int64_t own, int64_t candidate);

#endif
