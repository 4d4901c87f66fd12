/*
 * org_actions.h - organisations as accounts across tenders (org_actions.c):
 * an organisation account is the users who act for one KvK number, one of
 * them at least its administrator; it registers for any number of
 * tenders, invites colleagues with a one-time link, and confirms the
 * consortia that name it as a member.
 *
 * Nobody can block or impersonate another organisation: a KvK number is
 * no key to anything.  Two accounts may claim the same number; where both
 * register for one procedure, the buyer sees both marked as a conflict
 * and records which is genuine, with the reason (audited).  A member of a
 * consortium counts only once it confirmed from its own account, before
 * the application deadline.
 *
 * The seam for a business login (eHerkenning): app_claim_ensure is the
 * one place that decides which organisation account, and so which KvK
 * number, an account acts for (README, "eHerkenning").
 */
#ifndef KAVEL_APP_ORG_ACTIONS_H
#define KAVEL_APP_ORG_ACTIONS_H

#include "app/app.h"

/* How long an invitation link holds. */
#define APP_INVITATION_DAYS 7

/* The organisation account the actor acts for.  An account from before
 * organisation accounts (or one a buyer made) gets one of its own for
 * its organisation, as its administrator.  Inside the caller's write
 * transaction. */
enum kv_status app_claim_ensure(struct app *x, struct org_claim *c,
				struct kv_error *e);

/* The actor's organisation account registers for the published procedure
 * c->procedure_id: c->parties[0] (the penvoerder) is filled from it, the
 * other parties (members, subcontractors) are the caller's, and every
 * user of the account gets the bidder grant.  Refused when registration
 * is closed or the organisation registered already; a KvK number another
 * account registered with is no refusal (app_claims_view shows the
 * conflict).  Audited "candidate.register". */
enum kv_status app_register_again(struct app *x, struct candidate *c,
				  struct kv_error *e);

/* The actor's organisation confirms that it is a member of the consortium
 * candidate_id, before the application deadline.  Audited
 * "candidate.member_confirm". */
enum kv_status app_member_confirm(struct app *x, int64_t candidate_id,
				  struct kv_error *e);

/* The buyer's verdict where two candidates of the procedure registered
 * under one KvK number: candidate_id is genuine, every other candidate
 * with its penvoerder's KvK number is not; reason required.  Audited
 * "candidate.claim_decide". */
enum kv_status app_claim_decide(struct app *x, int64_t procedure_id,
				int64_t candidate_id, const char *reason,
				struct kv_error *e);

/* An administrator invites email to the organisation account: token gets
 * the one-time secret of the link (64 hex digits, kept only hashed),
 * expiring after APP_INVITATION_DAYS.  Audited "org.invite" (the address,
 * never the token). */
enum kv_status app_org_invite(struct app *x, const char *email,
			      char token[65], struct org_invitation *inv,
			      struct kv_error *e);

/* The invitation of token with its organisation account; refused when
 * unknown, used or expired. */
enum kv_status app_invitation_get(struct app *x, const char *token,
				  struct org_invitation *inv,
				  struct org_claim *c, struct kv_error *e);

/* Accepting: a new account (acc->name; its e-mail address is the
 * invitation's) joins the organisation account and gets its bidder
 * grants.  Audited "org.join". */
enum kv_status app_invitation_accept(struct app *x, const char *token,
				     struct account *acc,
				     const char *password,
				     struct kv_error *e);

#endif
