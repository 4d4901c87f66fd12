/*
 * dialogue.c - the rules of dialogue rounds: when a plan, a meeting,
 * minutes and feedback are allowed, what a dialogue document may be, and
 * who sees what; see dialogue.h.
 */
#include "dialogue.h"

#include <string.h>

#include "account.h"
#include "validate.h"

int dlg_round_count(const struct procedure *p)
{
	int n = 0;
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == SK_DIALOGUE_ROUND &&
		    p->stages[i].round > n)
			n = p->stages[i].round;
	return n;
}

enum kv_status dlg_round_get(const struct procedure *p, int number,
			     kv_instant own_due, struct dlg_round *out,
			     struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (dlg_round_count(p) == 0)
		return kv_fail(e, KV_NOT_FOUND, "round",
			       _("This type of procedure has no dialogue "
				 "rounds."));
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		if (s->kind != SK_DIALOGUE_ROUND || s->round != number)
			continue;
		out->number = number;
		out->start = s->start;
		out->end = s->end;
		/* The buyer's own deadline holds inside the round's period:
		 * a round moved to end earlier takes no plan after its end,
		 * and one moved to start later makes a deadline before its
		 * start void (the plans are due at its end again). */
		if (own_due && s->start && own_due < s->start)
			own_due = 0;
		out->own_due = own_due != 0;
		out->plan_due = own_due ? own_due : s->end;
		if (s->end && out->plan_due > s->end)
			out->plan_due = s->end;
		out->completed = s->status == STAGE_COMPLETED;
		return KV_OK;
	}
	return kv_fail(e, KV_NOT_FOUND, "round",
		       _("This procedure has no dialogue round %d; it has "
			 "%d."), number, dlg_round_count(p));
}

/* The round has a period and is still running. */
static enum kv_status round_open(const struct dlg_round *r,
				 struct kv_error *e)
{
	if (!r->start || !r->end)
		return kv_fail(e, KV_DENIED, "round",
			       _("Dialogue round %d is not planned yet: the "
				 "buyer plans its stage on the timeline "
				 "first."), r->number);
	if (r->completed)
		return kv_fail(e, KV_DENIED, "round",
			       _("Dialogue round %d has been completed; it "
				 "cannot change any more."), r->number);
	return KV_OK;
}

enum kv_status dlg_due_check(const struct dlg_round *r, kv_instant due,
			     kv_instant now, arena *a, struct kv_error *e)
{
	enum kv_status rc = round_open(r, e);
	if (rc != KV_OK)
		return rc;
	if (due < r->start || due > r->end)
		return kv_fail(e, KV_INVALID, "plan_due",
			       _("The plan deadline lies inside dialogue round "
				 "%d, from %s to %s."), r->number,
			       cal_format_local(a, r->start),
			       cal_format_local(a, r->end));
	if (due <= now)
		return kv_fail(e, KV_INVALID, "plan_due",
			       _("The plan deadline must lie in the future; "
				 "%s has passed."), cal_format_local(a, due));
	if (r->plan_due && r->plan_due < now)
		return kv_fail(e, KV_DENIED, "plan_due",
			       _("The plans of dialogue round %d were due at "
				 "%s; that deadline cannot move any more."),
			       r->number, cal_format_local(a, r->plan_due));
	return KV_OK;
}

enum kv_status dlg_plan_check(const struct dlg_round *r, kv_instant now,
			      arena *a, struct kv_error *e)
{
	enum kv_status rc = round_open(r, e);
	if (rc != KV_OK)
		return rc;
	if (now > r->plan_due)
		return kv_fail(e, KV_DENIED, "",
			       _("Concept plans for dialogue round %d were due "
				 "at %s; this one arrived at %s."), r->number,
			       cal_format_local(a, r->plan_due),
			       cal_format_local(a, now));
	return KV_OK;
}

enum kv_status dlg_meeting_check(const struct dlg_round *r, kv_instant at,
				 const char *place, arena *a,
				 struct kv_error *e)
{
	enum kv_status rc = round_open(r, e);
	if (rc != KV_OK)
		return rc;
	if (at < r->start || at > r->end)
		return kv_fail(e, KV_INVALID, "at",
			       _("The meeting lies inside dialogue round %d, "
				 "from %s to %s."), r->number,
			       cal_format_local(a, r->start),
			       cal_format_local(a, r->end));
	if (text_check(place, DLG_PLACE_MAX, "place", e) != KV_OK)
		return kv_fail(e, KV_INVALID, "place",
			       _("Give the meeting's place (an address or a "
				 "video link) on one line of at most %d "
				 "characters."), DLG_PLACE_MAX);
	return KV_OK;
}

enum kv_status dlg_minutes_check(kv_instant meeting_at, kv_instant now,
				 arena *a, struct kv_error *e)
{
	if (!meeting_at)
		return kv_fail(e, KV_DENIED, "",
			       _("Plan the meeting before recording its "
				 "minutes."));
	if (now < meeting_at)
		return kv_fail(e, KV_DENIED, "",
			       _("Minutes are recorded once the meeting has "
				 "begun (%s)."), cal_format_local(a, meeting_at));
	return KV_OK;
}

enum kv_status dlg_feedback_publish_check(const struct dlg_round *r,
					  kv_instant now, arena *a,
					  struct kv_error *e)
{
	if (!r->start || !r->end)
		return kv_fail(e, KV_DENIED, "round",
			       _("Dialogue round %d is not planned yet: the "
				 "buyer plans its stage on the timeline "
				 "first."), r->number);
	if (now <= r->plan_due)
		return kv_fail(e, KV_DENIED, "",
			       _("Feedback on dialogue round %d is published "
				 "after its plans are due (%s), so that no "
				 "candidate can still change its plan."),
			       r->number, cal_format_local(a, r->plan_due));
	return KV_OK;
}

enum kv_status dlg_document_check(const char *name, const unsigned char *data,
				  int64_t size, int64_t max, const char **type,
				  struct kv_error *e)
{
	*type = NULL;
	if (!name || !*name)
		return kv_fail(e, KV_INVALID, "name",
			       _("Give the document's file name."));
	if (text_check(name, DLG_NAME_MAX, "name", e) != KV_OK)
		return KV_INVALID;
	if (strchr(name, '/') || strchr(name, '\\'))
		return kv_fail(e, KV_INVALID, "name",
			       _("A file name has no directory part."));
	if (size < 1 || !data)
		return kv_fail(e, KV_INVALID, "content",
			       _("The document is empty."));
	if (size > max)
		return kv_fail(e, KV_INVALID, "content",
			       _("A document is at most %lld KiB; this one is "
				 "%lld KiB."), (long long)(max / 1024),
			       (long long)((size + 1023) / 1024));
	if (file_type_check(name, data, (size_t)size, "content", e) != KV_OK)
		return e->status;
	const char *t = file_sniff(data, (size_t)size);
	if (strcmp(t, "application/pdf") != 0 &&
	    strcmp(t, "application/zip") != 0)
		return kv_fail(e, KV_INVALID, "content",
			       _("A document is a PDF or an office document "
				 "(DOCX, XLSX, ODT and the like); judged by its "
				 "content, \"%s\" is neither."), name);
	*type = t;
	return KV_OK;
}

enum dlg_view dlg_view_of(unsigned roles)
{
	if (roles & (ROLE_BUYER | ROLE_ASSESSOR))
		return DLG_VIEW_ALL;
	if (roles & ROLE_BIDDER)
		return DLG_VIEW_OWN;
	if (roles & ROLE_COUNCIL)
		return DLG_VIEW_COURSE;
	return DLG_VIEW_NONE;
}

bool dlg_may_read(enum dlg_view v, int64_t own, int64_t candidate)
{
	switch (v) {
	case DLG_VIEW_ALL:
		return true;
	case DLG_VIEW_OWN:
		return own != 0 && own == candidate;
	default:
		return false;
	}
}
