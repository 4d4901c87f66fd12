/*
 * records.h - the domain's records as the store keeps them and the app
 * reads them: sessions, accounts, procedures with their lots, candidates,
 * decisions, contracts, the vault's submissions, questions, scores and
 * the rest.  Plain structs, no behaviour; the store (store/store.h) fills
 * them, the app (app/app.h) hands them on, and src/web reads them
 * without knowing there is a store.
 *
 * Memory: a record read from the store lives in the arena passed to the
 * read; its strings and arrays too.
 */
#ifndef KAVEL_RECORDS_H
#define KAVEL_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "calendar.h"
#include "error.h"
#include "procedure.h"
#include "selection.h"
#include "steering.h"

struct session {
	unsigned char token_hash[32]; /* SHA-256 of the cookie token */
	int64_t account_id;
	char csrf[65];                /* 64 hex characters, per session */
	char lang[8];                 /* "nl" / "en" */
	kv_instant created_at, expires_at;
};

/* One row of the dashboard. */
struct procedure_summary {
	int64_t id;
	int64_t tenant_id;
	char *tenant_name;
	char *reference;
	char *title;
	enum proc_type type;
	int n_lots;
};

struct audit_row {
	struct audit_event ev;        /* strings in the arena */
	char *actor_name;             /* NULL for system */
};

struct audit_verify_result {
	int64_t checked;              /* events read */
	int64_t first_bad;            /* seq of the first altered or missing
					 event, 0 when the chain is intact */
	char reason[200];
	/* the head: the last event of an intact chain (0, zeros: none) */
	int64_t head_seq;
	unsigned char head_hash[AUDIT_HASH_LEN];
	/* the index of the first checkpoint passed to audit_verify that the
	 * chain breaks (an event no longer the one signed, or a chain that
	 * ends before it), else -1 */
	int anchor_bad;
};

/* --- the sealed bid vault (schema v4; see vault/vault.h) --- */

/* A buyer's vault key: the salt of the passphrase and the public key. */
struct vault_key_rec {
	int64_t account_id;
	char *email, *name;           /* of the account, on reads */
	unsigned char salt[16];       /* crypto_pwhash_SALTBYTES */
	unsigned char pk[32];
	kv_instant created_at;
};

struct vault_rec {
	int64_t procedure_id;
	unsigned char pk[32];
	kv_instant created_at;
	kv_instant opened_at;         /* 0 while sealed */
	int64_t opened_by_1, opened_by_2;
};

/* One sealed share: of the pair (holder, partner), part 0 or 1. */
struct vault_share_rec {
	int64_t holder_account, partner_account;
	int part;
	unsigned char sealed[80];     /* VAULT_SEALED_PART_LEN */
};

struct submission {
	int64_t id;
	int64_t procedure_id, lot_id, candidate_id, account_id;
	int lot_number;               /* on reads */
	char *candidate_name;         /* on reads */
	kv_instant received_at;
	char *file_name;
	char *content_type;           /* sniffed by the server */
	int64_t size;
	unsigned char sha256[32];
	char *path;                   /* the sealed file's name in <db dir>/vault */
	unsigned char receipt[32];
	kv_instant withdrawn_at;      /* 0: not withdrawn */
	int envelope;                 /* ENVELOPE_QUALITY or ENVELOPE_PRICE */
	int64_t document_id;          /* schema v12: the bid document it is;
					 0: a bid of one file */
};

/* A document a bid for a lot must (required) or may contain, with its
 * own size limit (schema v12). */
struct bid_document {
	int64_t id, procedure_id, lot_id;
	char *name;
	bool required;
	int64_t max_bytes;
	kv_instant created_at;
	kv_instant removed_at;        /* 0: in force */
};

/* A submission's envelope (schema v8): the quality envelope is sealed to
 * the procedure's vault, the price envelope to its price vault. */
enum { ENVELOPE_QUALITY = 0, ENVELOPE_PRICE = 1 };

/* --- questions and answers (schema v5) --- */

/* A question of a candidate, general (lot_id 0) or about one lot. */
struct question {
	int64_t id;
	int64_t procedure_id;
	int64_t lot_id;               /* 0: general */
	int64_t candidate_id, account_id;
	int lot_number;               /* on reads; 0 for a general question */
	char *lot_title;              /* on reads; NULL for a general one */
	char *candidate_name;         /* on question_list reads */
	char *account_name;           /* on question_list reads */
	kv_instant asked_at;
	char *text;
	char *answer;                 /* NULL: not answered */
	kv_instant answered_at;       /* 0: not answered */
	int64_t answered_by;
	int64_t nota_id;              /* 0: not published */
	int nota_number;              /* on reads; 0: not published */
	kv_instant published_at;      /* on reads; 0: not published */
};

/* A published nota van inlichtingen.  Its questions are read without
 * who asked them: candidate_id, account_id, candidate_name and
 * account_name stay 0 / NULL. */
struct nota {
	int64_t id;
	int64_t procedure_id;
	int number;                   /* 1.. per procedure */
	kv_instant published_at;
	int64_t published_by;
	int n_questions;              /* on reads */
	struct question *questions;   /* nota_get only, by question id */
};

/* --- taking part (schema v6) --- */

/* A selection criterion a candidate answers in its application. */
struct selection_criterion {
	int64_t id;
	int64_t procedure_id;
	char *key;                    /* [a-z0-9-], 1..40, unique per procedure */
	char *title;
	char *description;            /* "" when none */
	enum sel_kind kind;           /* schema v7; pass-fail before it */
	int max_points;               /* SEL_SCORED: 1..SEL_MAX_POINTS */
	int round;                    /* schema v11: 1..SEL_MAX_ROUNDS (0 on
					 create means 1); 1 before it */
};

/* --- staged selection (schema v7) --- */

/* One assessment of a candidate on a criterion; one per pair, the last
 * assessor's replacing the earlier. */
struct selection_score {
	int64_t candidate_id;
	int64_t criterion_id;
	char *criterion_key;          /* on reads */
	bool passed;                  /* pass-fail */
	int points;                   /* scored */
	char *motivation;             /* 1..4000 bytes */
	int64_t assessed_by;
	kv_instant assessed_at;
};

/* A selection round: the announced maximum number to admit and, once
 * published, the moment every candidate's result became visible. */
struct selection_round {
	int64_t id;
	int64_t procedure_id;
	int number;                   /* 1.. per procedure */
	int max_admitted;
	kv_instant published_at;      /* 0: not published */
	int64_t published_by;
};

/* A candidate's stored result of a published round. */
struct selection_result_rec {
	int64_t round_id;
	int64_t candidate_id;
	char *candidate_name;         /* on reads */
	enum sel_outcome outcome;
	int rank;                     /* 0 when excluded */
	int points;
	int cutoff;                   /* -1: no cut-off */
	bool tie_broken;
	char *failed_key;             /* NULL unless excluded on a criterion */
	char *reason;
};

/* --- evaluation and award (schema v8) --- */

/* A lot's award rules as announced: a JSON document the app layer reads
 * into core/award.h's structs (see app.h, "award"). */
struct award_setup_rec {
	int64_t lot_id, procedure_id;
	char *rules;                  /* JSON object text */
	kv_instant updated_at;
	int64_t updated_by;
	kv_instant quality_final_at;  /* 0 while scoring goes on */
	int64_t quality_final_by;
};

/* An assessor assigned to a lot: to every criterion (criterion_key "*")
 * or to one top-level criterion and its sub-criteria. */
struct award_assignment {
	int64_t lot_id, account_id;
	char *criterion_key;
	char *email, *name;           /* of the account, on reads */
};

/* An individual score (account_id the assessor) or a consensus score
 * (account_id the one who recorded it). */
struct award_score_rec {
	int64_t lot_id, candidate_id, account_id;
	char *criterion_key;
	int step;                     /* 0-based step of the criterion's scale */
	char *motivation;
	kv_instant at;
	char *account_name;           /* on reads */
};

/* When an assessor handed in the scores of a lot (no change after). */
struct award_scorecard {
	int64_t lot_id, account_id;
	kv_instant submitted_at;
};

struct award_exclusion {
	int64_t lot_id, candidate_id;
	char *reason;
	int64_t excluded_by;
	kv_instant excluded_at;
};

/* A price as the price opening found it in its sealed envelope. */
struct bid_price {
	int64_t lot_id, procedure_id, candidate_id;
	int64_t price_cents;
	int64_t submission_id;
	kv_instant opened_at;
};

enum award_decision_status {
	AWARD_PROVISIONAL, AWARD_SUPERSEDED, AWARD_DEFINITIVE
};

struct award_decision_rec {
	int64_t id, procedure_id, lot_id;
	int number;                   /* 1.. per lot */
	int64_t winner_candidate;     /* 0: none */
	kv_instant sent_at;
	int64_t sent_by;
	kv_instant standstill_end;    /* the opschortende termijn's end */
	char *doc;                    /* JSON snapshot the letters come from */
	char *corrected_reason;       /* "" for a first decision */
	enum award_decision_status status;
	kv_instant definitive_at;
	int64_t definitive_by;
};

enum objection_kind { OBJECTION_OBJECTION, OBJECTION_SUMMARY_PROCEEDINGS };

/* An objection (bezwaar) or summary proceedings (kort geding) of a
 * bidder against an award decision. */
struct award_objection {
	int64_t id, decision_id, candidate_id;
	enum objection_kind kind;
	kv_instant filed_on;
	char *summary;
	int64_t recorded_by;
	kv_instant recorded_at;
	kv_instant closed_on;         /* 0 while open */
	char *outcome;                /* NULL while open */
	char *candidate_name;         /* on reads */
};

/* A candidate's application (aanmelding). */
struct application {
	int64_t candidate_id;
	int64_t procedure_id;
	char *candidate_name;         /* on reads */
	char *answers;                /* JSON object text: criterion key -> text */
	kv_instant submitted_at;      /* the first save */
	kv_instant updated_at;        /* the last change, answers or documents */
	int64_t updated_by;
	int n_documents;              /* on reads */
};

/* A document of an application: at most 5 MiB, stored in the database. */
struct application_document {
	int64_t id;
	int64_t candidate_id;
	char *name;
	int64_t size;
	unsigned char sha256[32];
	const unsigned char *content; /* writes, and document_get (size bytes) */
	kv_instant uploaded_at;
};

/* --- dialogue rounds (schema v9) --- */

/* The buyer's own plan deadline of a round (none: the round's end). */
struct dialogue_due {
	int64_t procedure_id;
	int round;
	kv_instant plan_due;
	kv_instant set_at;
	int64_t set_by;
};

enum dialogue_doc_kind { DLG_DOC_PLAN, DLG_DOC_MINUTES };

/* A candidate's concept plan or a meeting's minutes as a file: one of
 * each kind per (candidate, round), a new upload replacing the old. */
struct dialogue_document {
	int64_t id;
	int64_t procedure_id;
	int64_t candidate_id;
	int round;
	enum dialogue_doc_kind kind;
	char *name;
	const char *content_type;     /* sniffed: application/pdf or /zip */
	int64_t size;
	unsigned char sha256[32];
	const unsigned char *content; /* writes, and dialogue_document_get */
	kv_instant uploaded_at;
	int64_t uploaded_by;
};

/* The meeting of a candidate in a round, with its written minutes. */
struct dialogue_meeting {
	int64_t procedure_id;
	int64_t candidate_id;
	int round;
	kv_instant at;
	char *place;
	kv_instant planned_at;
	int64_t planned_by;
	char *minutes;                /* NULL: none written */
	kv_instant minutes_at;        /* 0: none recorded */
	int64_t minutes_by;
};

/* The buyer's feedback to a candidate on a round: a draft until
 * published_at. */
struct dialogue_feedback {
	int64_t procedure_id;
	int64_t candidate_id;
	int round;
	char *text;
	kv_instant written_at;
	int64_t written_by;
	kv_instant published_at;      /* 0: a draft */
	int64_t published_by;
};

/* --- organisation accounts and their claims of a KvK number (schema v13) --- */

/* An organisation account: the users who act for one KvK number.  Two
 * may claim the same number; neither locks the other out. */
struct org_claim {
	int64_t id, org_id;           /* org_id: the KvK register's row */
	char *name, *address;         /* as the organisation gives them */
	char *kvk;                    /* of org_id, on reads */
	kv_instant created_at;
	int64_t created_by;           /* 0: the migration */
};

struct claim_user {
	int64_t account_id, claim_id;
	char *email, *name;           /* of the account, on reads */
	bool admin;
	kv_instant joined_at;
};

/* A candidate an organisation account registered (role penvoerder), or
 * one that names its KvK number as a member. */
struct claim_candidate {
	int64_t candidate_id, procedure_id, tenant_id;
	char *candidate_name, *reference, *title, *tenant_name;
	enum party_role role;
	int64_t confirmed_by_claim;   /* member: the account that confirmed
					 (0: unconfirmed) */
};

/* Who registered one candidate of a procedure, and the buyer's verdict
 * where its KvK number is claimed twice. */
struct candidate_claim_rec {
	int64_t candidate_id;
	int64_t claim_id;             /* 0: registered before v13 or by the buyer */
	char *claim_name, *admin_email;
	int verdict;                  /* -1: none, 0: not genuine, 1: genuine */
	char *reason;
	kv_instant decided_at;
	char *decided_by_name;
};

/* A consortium member's confirmation from its own organisation account. */
struct party_confirmation {
	int64_t candidate_id, org_id, claim_id;
	char *claim_name;             /* on reads */
	kv_instant confirmed_at;
	int64_t confirmed_by;
};

/* A one-time invitation to join an organisation account. */
struct org_invitation {
	int64_t id, claim_id;
	char *email;
	unsigned char token_hash[32]; /* SHA-256 of the token in the link */
	kv_instant created_at, expires_at, used_at;
	int64_t created_by, used_by;
};

/* --- procurement documents (schema v14) --- */

/* One version of a procurement document of a procedure (or one lot):
 * the buyer's leidraad, programma van eisen, conceptovereenkomst or an
 * annex.  Each upload of the same kind, lot and title is a new version;
 * every version is kept. */
struct tender_document {
	int64_t id;                   /* the version's */
	int64_t document_id;
	int64_t procedure_id;
	int64_t lot_id;               /* 0: the whole procedure */
	const char *kind;             /* "leidraad", "pve", "concept", "annex" */
	char *title;
	int version;                  /* 1.. per document */
	char *file_name;
	const char *content_type;     /* sniffed */
	int64_t size;
	unsigned char sha256[32];
	const unsigned char *content; /* writes, and tender_document_get */
	kv_instant uploaded_at;
	int64_t uploaded_by;
};

#endif
