/*
 * read_orgs.h - what the organisation pages read (read_orgs.c): an
 * account's organisation account with its users, tenders, memberships to
 * confirm and invitations; a procedure's candidates with who registered
 * them, their KvK conflicts and their members' confirmations.
 */
#ifndef KAVEL_APP_READ_ORGS_H
#define KAVEL_APP_READ_ORGS_H

#include "app/app.h"

struct app_org_tender {
	struct claim_candidate c;
	kv_instant deadline;          /* the application deadline, 0: none */
	bool open;                    /* a member may still confirm */
};

struct app_org_view {
	struct org_claim claim;       /* id 0: none yet (app_claim_ensure) */
	bool admin;                   /* the reader administers it */
	struct claim_user *users;
	int n_users;
	struct app_org_tender *tenders;
	int n_tenders;
	struct org_invitation *invitations;   /* administrators only */
	int n_invitations;
};

/* The organisation account of the actor. */
enum kv_status app_org_view(struct app *x, struct app_org_view *v,
			    struct kv_error *e);

struct app_claim_member {
	struct party party;
	bool confirmed;
	char *confirmed_by;           /* the organisation account's name */
};

struct app_claim_row {
	struct candidate cand;
	struct candidate_claim_rec claim;
	bool conflict;                /* another candidate has its KvK number */
	struct app_claim_member *members;
	int n_members;
	int n_unconfirmed;
};

struct app_claims_view {
	struct app_claim_row *rows;
	int n_rows;
	int n_conflicts;              /* candidates in conflict, undecided */
};

/* Every candidate of the procedure, for its buyers. */
enum kv_status app_claims_view(struct app *x, int64_t procedure_id,
			       struct app_claims_view *v, struct kv_error *e);

#endif
