/*
 * store.h - the narrow storage interface.
 *
 * Domain code never sees SQL.  The records it reads and writes are in
 * core/records.h, so that app.h need not include this header.  A driver (store_sqlite.c today, PostgreSQL
 * later) fills a struct store_ops; callers go through the macros at the
 * end: STORE(s, op, ...) for an operation, store_begin, store_commit,
 * store_rollback and store_close.  A `struct store` is one connection, used by one thread
 * at a time; the server keeps a pool (store_pool_*).
 *
 * Memory: everything a read returns lives in the arena passed in.  Writes
 * copy what they need.  Every function returns enum kv_status and fills e
 * on failure (KV_NOT_FOUND for a missing row, KV_CONFLICT for a duplicate,
 * KV_IO for a storage failure, with the driver's message).
 *
 * Transactions: store_begin(s, write) ... store_commit / store_rollback.
 * A write transaction takes the write lock at once (BEGIN IMMEDIATE), so a
 * read-check-write sequence in the core sees no interleaving.
 */
#ifndef KAVEL_STORE_H
#define KAVEL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/calendar.h"
#include "core/error.h"
#include "core/procedure.h"
#include "core/quota.h"
#include "core/records.h"
#include "core/selection.h"
#include "core/steering.h"

struct store;

typedef void (*store_progress_fn)(void *ctx, int64_t done, int64_t total);

struct store_ops {
	const char *name;             /* "sqlite" */
	void (*close)(struct store *s);
	int (*schema_version)(struct store *s);

	enum kv_status (*begin)(struct store *s, bool write, struct kv_error *e);
	enum kv_status (*commit)(struct store *s, struct kv_error *e);
	void (*rollback)(struct store *s);

	/* organisations, people, accounts, grants */
	enum kv_status (*org_create)(struct store *s, struct org *o, struct kv_error *e);
	enum kv_status (*org_get)(struct store *s, int64_t id, arena *a, struct org *o, struct kv_error *e);
	enum kv_status (*org_by_kvk)(struct store *s, const char *kvk, arena *a, struct org *o, struct kv_error *e);
	enum kv_status (*org_list)(struct store *s, arena *a, struct org **out, int *n, struct kv_error *e);
	enum kv_status (*person_create)(struct store *s, struct person *p, struct kv_error *e);
	enum kv_status (*account_create)(struct store *s, struct account *acc, struct kv_error *e);
	enum kv_status (*account_get)(struct store *s, int64_t id, arena *a, struct account *acc, struct kv_error *e);
	enum kv_status (*account_by_email)(struct store *s, const char *email, arena *a, struct account *acc, struct kv_error *e);
	enum kv_status (*grant_add)(struct store *s, const struct grant *g, struct kv_error *e);
	enum kv_status (*grants_of)(struct store *s, int64_t account_id, arena *a, struct grant **out, int *n, struct kv_error *e);
	/* The municipality's own accounts (org_id = tenant_id, not disabled)
	 * that hold a grant within it, by name; roles[i] the bit set of every
	 * role account i holds in the tenant, on any procedure or all. */
	enum kv_status (*tenant_accounts)(struct store *s, int64_t tenant_id, arena *a, struct account **out, unsigned **roles, int *n, struct kv_error *e);

	/* sessions */
	enum kv_status (*session_create)(struct store *s, const struct session *ss, struct kv_error *e);
	enum kv_status (*session_get)(struct store *s, const unsigned char token_hash[32], struct session *ss, struct kv_error *e);
	enum kv_status (*session_delete)(struct store *s, const unsigned char token_hash[32], struct kv_error *e);
	enum kv_status (*session_set_lang)(struct store *s, const unsigned char token_hash[32], const char *lang, struct kv_error *e);

	/* procedures with their lots and stages */
	enum kv_status (*procedure_create)(struct store *s, struct procedure *p, struct kv_error *e); /* sets ids of p, lots, stages */
	enum kv_status (*procedure_get)(struct store *s, int64_t id, arena *a, struct procedure *p, struct kv_error *e);
	enum kv_status (*procedure_visible)(struct store *s, int64_t account_id, arena *a, struct procedure_summary **out, int *n, struct kv_error *e);
	enum kv_status (*stage_update)(struct store *s, int64_t procedure_id, const struct stage *st, struct kv_error *e);
	enum kv_status (*lot_create)(struct store *s, int64_t procedure_id, struct lot *l, struct kv_error *e);

	/* candidates */
	enum kv_status (*candidate_create)(struct store *s, struct candidate *c, struct kv_error *e);
	enum kv_status (*candidate_list)(struct store *s, int64_t procedure_id, arena *a, struct candidate **out, int *n, struct kv_error *e);

	/* decisions register */
	enum kv_status (*decision_create)(struct store *s, struct decision *d, struct kv_error *e); /* with conditions and governs */
	enum kv_status (*decision_list)(struct store *s, int64_t tenant_id, int64_t procedure_id /* 0: all of tenant */, arena *a, struct decision **out, int *n, struct kv_error *e);
	enum kv_status (*condition_resolve)(struct store *s, int64_t condition_id, enum condition_state st, const char *resolution, kv_instant at, struct kv_error *e);
	enum kv_status (*condition_decision)(struct store *s, int64_t condition_id, int64_t *decision_id, int64_t *tenant_id, struct kv_error *e);

	/* the legal calendar's equated days (shipped and added by a tenant) */
	enum kv_status (*equated_list)(struct store *s, int64_t tenant_id, arena *a, struct cal_equated_day **out, int *n, struct kv_error *e);
	enum kv_status (*equated_add)(struct store *s, int64_t tenant_id, const struct cal_equated_day *d, struct kv_error *e);

	/* audit: append seals the event (seq, prev, hash) inside the caller's
	 * write transaction. */
	enum kv_status (*audit_append)(struct store *s, struct audit_event *ev, struct kv_error *e);
	enum kv_status (*audit_list)(struct store *s, int64_t tenant_id, const char *object_prefix, int limit, arena *a, struct audit_row **out, int *n, struct kv_error *e);
	/* anchors: signed checkpoints, seq ascending (store/anchor.h), that
	 * the chain must still hold; NULL, 0 for none */
	enum kv_status (*audit_verify)(struct store *s, const struct audit_checkpoint *anchors, int n_anchors, store_progress_fn progress, void *ctx, struct audit_verify_result *r, struct kv_error *e);

	/* --- steering (schema v3) --- */
	/* contracts with their parties (org_id set; the store fills
	 * org_name and kvk on reads) */
	enum kv_status (*contract_create)(struct store *s, struct contract *c, struct kv_error *e);
	enum kv_status (*contract_get)(struct store *s, int64_t id, arena *a, struct contract *c, struct kv_error *e);
	/* tenant_id 0: all; ordered by id */
	enum kv_status (*contract_list)(struct store *s, int64_t tenant_id, arena *a, struct contract **out, int *n, struct kv_error *e);
	/* saves the mutable fields: extensions_used, terminated*, budget_cents,
	 * base_year, weights, evaluation years, end */
	enum kv_status (*contract_update)(struct store *s, const struct contract *c, struct kv_error *e);
	/* one row per (contract, year), replaced when it exists */
	enum kv_status (*index_figures_set)(struct store *s, int64_t contract_id, const struct index_figures *f, struct kv_error *e);
	enum kv_status (*index_figures_list)(struct store *s, int64_t contract_id, arena *a, struct index_figures **out, int *n, struct kv_error *e);

	/* budget frames with their rows; a frame's title is unique per tenant */
	enum kv_status (*frame_create)(struct store *s, struct budget_frame *f, struct kv_error *e);
	enum kv_status (*frame_get)(struct store *s, int64_t id, arena *a, struct budget_frame *f, struct kv_error *e);
	enum kv_status (*frame_list)(struct store *s, int64_t tenant_id, arena *a, struct budget_frame **out, int *n, struct kv_error *e);

	/* subsidies (recipient_name filled on reads from the organisation) */
	enum kv_status (*subsidy_create)(struct store *s, struct subsidy *sub, struct kv_error *e);
	enum kv_status (*subsidy_update)(struct store *s, const struct subsidy *sub, struct kv_error *e);
	enum kv_status (*subsidy_list)(struct store *s, int64_t tenant_id, arena *a, struct subsidy **out, int *n, struct kv_error *e);

	/* organisation-form history, ordered by assignment, from_year */
	enum kv_status (*form_period_create)(struct store *s, struct form_period *p, struct kv_error *e);
	enum kv_status (*form_period_list)(struct store *s, int64_t tenant_id, arena *a, struct form_period **out, int *n, struct kv_error *e);

	/* KPIs (name unique per contract) and measurements; measurements_put
	 * stores all n or none, replacing any with the same kpi, period and
	 * area */
	enum kv_status (*kpi_create)(struct store *s, struct kpi *k, struct kv_error *e);
	enum kv_status (*kpi_list)(struct store *s, int64_t contract_id, arena *a, struct kpi **out, int *n, struct kv_error *e);
	enum kv_status (*measurements_put)(struct store *s, const struct measurement *m, int n, struct kv_error *e);
	/* every measurement of the contract's KPIs, by kpi, area, period */
	enum kv_status (*measurements_list)(struct store *s, int64_t contract_id, arena *a, struct measurement **out, int *n, struct kv_error *e);

	/* evaluations: one per (contract, after_year), replaced when it exists */
	enum kv_status (*evaluation_put)(struct store *s, struct evaluation *ev, struct kv_error *e);
	enum kv_status (*evaluation_list)(struct store *s, int64_t contract_id, arena *a, struct evaluation **out, int *n, struct kv_error *e);

	/* the risk register */
	enum kv_status (*risk_create)(struct store *s, struct risk *r, struct kv_error *e);
	enum kv_status (*risk_list)(struct store *s, int64_t tenant_id, arena *a, struct risk **out, int *n, struct kv_error *e);

	/* --- the sealed bid vault (schema v4) --- */
	/* KV_CONFLICT when the account has a key already */
	enum kv_status (*vault_key_create)(struct store *s, const struct vault_key_rec *k, struct kv_error *e);
	enum kv_status (*vault_key_get)(struct store *s, int64_t account_id, arena *a, struct vault_key_rec *k, struct kv_error *e);
	/* the keys of the enabled accounts that are buyers of the procedure
	 * (tenant-wide or on the procedure), by account id */
	enum kv_status (*vault_keys_of_buyers)(struct store *s, int64_t tenant_id, int64_t procedure_id, arena *a, struct vault_key_rec **out, int *n, struct kv_error *e);
	/* the vault with its n shares; KV_CONFLICT when one exists */
	enum kv_status (*vault_create)(struct store *s, const struct vault_rec *v, const struct vault_share_rec *shares, int n, struct kv_error *e);
	enum kv_status (*vault_get)(struct store *s, int64_t procedure_id, struct vault_rec *v, struct kv_error *e);
	enum kv_status (*vault_share_get)(struct store *s, int64_t procedure_id, int64_t holder, int64_t partner, struct vault_share_rec *sh, struct kv_error *e);
	/* records the opening; KV_CONFLICT when it was opened already */
	enum kv_status (*vault_mark_opened)(struct store *s, int64_t procedure_id, kv_instant at, int64_t by_1, int64_t by_2, struct kv_error *e);
	enum kv_status (*submission_create)(struct store *s, struct submission *sub, struct kv_error *e);
	/* the receipt of a submission just created (it binds the id) */
	enum kv_status (*submission_receipt_set)(struct store *s, int64_t id, const unsigned char receipt[32], struct kv_error *e);
	/* the procedure's submissions, by id (withdrawn ones too) */
	enum kv_status (*submission_list)(struct store *s, int64_t procedure_id, arena *a, struct submission **out, int *n, struct kv_error *e);
	/* the sealed file names every submission refers to, all procedures */
	enum kv_status (*submission_paths)(struct store *s, arena *a, char ***out, int *n, struct kv_error *e);
	/* marks the submission withdrawn at `at`; KV_CONFLICT when it was
	 * withdrawn already, KV_NOT_FOUND when the procedure has no such one */
	enum kv_status (*submission_withdraw)(struct store *s, int64_t procedure_id, int64_t id, kv_instant at, struct kv_error *e);

	/* --- questions and answers (schema v5) --- */
	/* fills id; KV_INVALID for a lot or candidate of another procedure */
	enum kv_status (*question_create)(struct store *s, struct question *q, struct kv_error *e);
	/* one question of the procedure, with who asked it */
	enum kv_status (*question_get)(struct store *s, int64_t procedure_id, int64_t id, arena *a, struct question *q, struct kv_error *e);
	/* the procedure's questions by id; candidate_id 0: every candidate's */
	enum kv_status (*question_list)(struct store *s, int64_t procedure_id, int64_t candidate_id, arena *a, struct question **out, int *n, struct kv_error *e);
	/* sets (or replaces) the answer of an unpublished question;
	 * KV_NOT_FOUND when the procedure has no such question, KV_CONFLICT
	 * when it is published */
	enum kv_status (*question_answer)(struct store *s, int64_t procedure_id, int64_t id, const char *answer, kv_instant at, int64_t by, struct kv_error *e);
	/* a new nota with the procedure's next number holding every answered,
	 * unpublished question: n->procedure_id, published_at, published_by
	 * in; id, number and n_questions out, and the questions' ids in
	 * *ids.  All or nothing; KV_NOT_FOUND (and no nota) when no answered
	 * question waits */
	enum kv_status (*nota_publish)(struct store *s, struct nota *n, arena *a, int64_t **ids, struct kv_error *e);
	/* the procedure's notas by number, with n_questions, no questions */
	enum kv_status (*nota_list)(struct store *s, int64_t procedure_id, arena *a, struct nota **out, int *n, struct kv_error *e);
	/* one nota by its number, with its questions, anonymised */
	enum kv_status (*nota_get)(struct store *s, int64_t procedure_id, int number, arena *a, struct nota *n, struct kv_error *e);
	/* the procedure's own question deadline; KV_NOT_FOUND when none */
	enum kv_status (*question_deadline_get)(struct store *s, int64_t procedure_id, kv_instant *deadline, struct kv_error *e);
	enum kv_status (*question_deadline_set)(struct store *s, int64_t procedure_id, kv_instant deadline, kv_instant at, int64_t by, struct kv_error *e);

	/* --- taking part (schema v6) --- */
	/* when the procedure was published for registration; KV_NOT_FOUND
	 * when it is not */
	enum kv_status (*publication_get)(struct store *s, int64_t procedure_id, kv_instant *published_at, struct kv_error *e);
	/* KV_CONFLICT when it is published already */
	enum kv_status (*publication_set)(struct store *s, int64_t procedure_id, kv_instant at, int64_t by, struct kv_error *e);
	/* the ids of the published procedures, by publication moment */
	enum kv_status (*published_list)(struct store *s, arena *a, int64_t **ids, int *n, struct kv_error *e);
	/* fills id; KV_CONFLICT when the procedure has the key already */
	enum kv_status (*criterion_create)(struct store *s, struct selection_criterion *c, struct kv_error *e);
	enum kv_status (*criterion_list)(struct store *s, int64_t procedure_id, arena *a, struct selection_criterion **out, int *n, struct kv_error *e);
	/* creates or replaces the answers of the candidate's application
	 * (candidate_id, procedure_id, answers, updated_at, updated_by); the
	 * first save sets submitted_at, later ones keep it */
	enum kv_status (*application_put)(struct store *s, struct application *ap, struct kv_error *e);
	/* KV_NOT_FOUND when the candidate of the procedure has none */
	enum kv_status (*application_get)(struct store *s, int64_t procedure_id, int64_t candidate_id, arena *a, struct application *ap, struct kv_error *e);
	/* the procedure's applications by candidate id */
	enum kv_status (*application_list)(struct store *s, int64_t procedure_id, arena *a, struct application **out, int *n, struct kv_error *e);
	/* stores a document of an existing application, replacing one with
	 * the same name; fills id */
	enum kv_status (*document_put)(struct store *s, struct application_document *d, struct kv_error *e);
	/* the candidate's documents by name, without their content */
	enum kv_status (*document_list)(struct store *s, int64_t candidate_id, arena *a, struct application_document **out, int *n, struct kv_error *e);
	/* one of the candidate's documents with its content (in a);
	 * KV_NOT_FOUND when the candidate has no document of that id */
	enum kv_status (*document_get)(struct store *s, int64_t candidate_id, int64_t id, arena *a, struct application_document *d, struct kv_error *e);
	/* document_put with d->size bytes of content read from read(ctx, b,
	 * n) (bytes, 0 at the end, -1 an error) into the row's blob piece by
	 * piece, never whole in memory; d->content is not read */
	enum kv_status (*document_put_stream)(struct store *s, struct application_document *d, long (*read)(void *ctx, void *b, size_t n), void *ctx, struct kv_error *e);

	/* --- staged selection (schema v7) --- */
	/* creates or replaces the score of (candidate, criterion) */
	enum kv_status (*score_put)(struct store *s, const struct selection_score *sc, struct kv_error *e);
	/* the scores of the procedure's candidates, by candidate, criterion */
	enum kv_status (*score_list)(struct store *s, int64_t procedure_id, arena *a, struct selection_score **out, int *n, struct kv_error *e);
	/* the round (published_at set) with its n results, all or nothing,
	 * inside the caller's write transaction; fills r->id; KV_CONFLICT
	 * when the procedure has a round of that number */
	enum kv_status (*selection_publish)(struct store *s, struct selection_round *r, const struct selection_result_rec *res, int n, struct kv_error *e);
	/* the procedure's last published round; KV_NOT_FOUND when none */
	enum kv_status (*selection_round_last)(struct store *s, int64_t procedure_id, struct selection_round *r, struct kv_error *e);
	/* the procedure's published rounds by number (schema v11's use) */
	enum kv_status (*selection_round_list)(struct store *s, int64_t procedure_id, arena *a, struct selection_round **out, int *n, struct kv_error *e);
	/* the round's results by rank (excluded last); candidate_id 0: all,
	 * else that candidate's only */
	enum kv_status (*selection_results)(struct store *s, int64_t round_id, int64_t candidate_id, arena *a, struct selection_result_rec **out, int *n, struct kv_error *e);

	/* --- evaluation and award (schema v8) --- */
	/* the price vault with its n shares; KV_CONFLICT when one exists */
	enum kv_status (*price_vault_create)(struct store *s, const struct vault_rec *v, const struct vault_share_rec *shares, int n, struct kv_error *e);
	enum kv_status (*price_vault_get)(struct store *s, int64_t procedure_id, struct vault_rec *v, struct kv_error *e);
	enum kv_status (*price_vault_share_get)(struct store *s, int64_t procedure_id, int64_t holder, int64_t partner, struct vault_share_rec *sh, struct kv_error *e);
	/* records the price opening; KV_CONFLICT when opened already */
	enum kv_status (*price_vault_mark_opened)(struct store *s, int64_t procedure_id, kv_instant at, int64_t by_1, int64_t by_2, struct kv_error *e);
	/* keeps an opened vault's secret key (envelope: ENVELOPE_*) */
	enum kv_status (*vault_keep_key)(struct store *s, int64_t procedure_id, int envelope, const unsigned char sk[32], struct kv_error *e);
	/* the kept key; KV_NOT_FOUND while sealed */
	enum kv_status (*vault_kept_key)(struct store *s, int64_t procedure_id, int envelope, unsigned char sk[32], struct kv_error *e);
	/* creates or replaces the lot's rules (lot_id, procedure_id, rules,
	 * updated_at, updated_by); KV_INVALID for a lot of another procedure */
	enum kv_status (*award_setup_put)(struct store *s, const struct award_setup_rec *r, struct kv_error *e);
	/* KV_NOT_FOUND when the lot has no rules */
	enum kv_status (*award_setup_get)(struct store *s, int64_t procedure_id, int64_t lot_id, arena *a, struct award_setup_rec *r, struct kv_error *e);
	enum kv_status (*award_setup_list)(struct store *s, int64_t procedure_id, arena *a, struct award_setup_rec **out, int *n, struct kv_error *e);
	/* KV_CONFLICT when final already */
	enum kv_status (*award_quality_final)(struct store *s, int64_t lot_id, kv_instant at, int64_t by, struct kv_error *e);
	/* replaces the account's assignments on the lot with n keys (0: none) */
	enum kv_status (*award_assign)(struct store *s, int64_t lot_id, int64_t account_id, const char *const *keys, int n, struct kv_error *e);
	/* the procedure's assignments by lot, account, key */
	enum kv_status (*award_assignment_list)(struct store *s, int64_t procedure_id, arena *a, struct award_assignment **out, int *n, struct kv_error *e);
	/* creates or replaces an individual score */
	enum kv_status (*award_score_put)(struct store *s, const struct award_score_rec *r, struct kv_error *e);
	/* the lot's individual scores by candidate, key, account; account_id
	 * 0: every assessor's */
	enum kv_status (*award_score_list)(struct store *s, int64_t lot_id, int64_t account_id, arena *a, struct award_score_rec **out, int *n, struct kv_error *e);
	/* KV_CONFLICT when handed in already */
	enum kv_status (*award_scorecard_submit)(struct store *s, int64_t lot_id, int64_t account_id, kv_instant at, struct kv_error *e);
	enum kv_status (*award_scorecard_list)(struct store *s, int64_t lot_id, arena *a, struct award_scorecard **out, int *n, struct kv_error *e);
	/* creates or replaces a consensus score */
	enum kv_status (*award_consensus_put)(struct store *s, const struct award_score_rec *r, struct kv_error *e);
	enum kv_status (*award_consensus_list)(struct store *s, int64_t lot_id, arena *a, struct award_score_rec **out, int *n, struct kv_error *e);
	/* creates or replaces; reason NULL deletes (KV_NOT_FOUND when none) */
	enum kv_status (*award_exclusion_set)(struct store *s, const struct award_exclusion *x, struct kv_error *e);
	enum kv_status (*award_exclusion_list)(struct store *s, int64_t lot_id, arena *a, struct award_exclusion **out, int *n, struct kv_error *e);
	enum kv_status (*bid_price_put)(struct store *s, const struct bid_price *p, struct kv_error *e);
	/* the procedure's opened prices by lot, candidate */
	enum kv_status (*bid_price_list)(struct store *s, int64_t procedure_id, arena *a, struct bid_price **out, int *n, struct kv_error *e);
	/* marks the lot's provisional decision superseded and adds d (its
	 * number the next of the lot); fills id and number */
	enum kv_status (*award_decision_create)(struct store *s, struct award_decision_rec *d, struct kv_error *e);
	/* the procedure's decisions by lot, number; lot_id 0: every lot's */
	enum kv_status (*award_decision_list)(struct store *s, int64_t procedure_id, int64_t lot_id, arena *a, struct award_decision_rec **out, int *n, struct kv_error *e);
	/* provisional -> definitive; KV_CONFLICT otherwise */
	enum kv_status (*award_decision_definitive)(struct store *s, int64_t id, kv_instant at, int64_t by, struct kv_error *e);
	enum kv_status (*objection_create)(struct store *s, struct award_objection *o, struct kv_error *e);
	/* the procedure's objections by id */
	enum kv_status (*objection_list)(struct store *s, int64_t procedure_id, arena *a, struct award_objection **out, int *n, struct kv_error *e);
	/* KV_CONFLICT when closed already, KV_NOT_FOUND when not the
	 * procedure's */
	enum kv_status (*objection_close)(struct store *s, int64_t procedure_id, int64_t id, kv_instant on, const char *outcome, struct kv_error *e);
	/* --- dialogue rounds (schema v9) --- */
	/* creates or replaces the round's own plan deadline */
	enum kv_status (*dialogue_due_set)(struct store *s, const struct dialogue_due *d, struct kv_error *e);
	/* the procedure's own plan deadlines by round */
	enum kv_status (*dialogue_due_list)(struct store *s, int64_t procedure_id, arena *a, struct dialogue_due **out, int *n, struct kv_error *e);
	/* creates or replaces the (candidate, round, kind) document; fills
	 * id (the same id when replaced) */
	enum kv_status (*dialogue_document_put)(struct store *s, struct dialogue_document *d, struct kv_error *e);
	/* the procedure's documents without content, by round, candidate,
	 * kind; candidate_id 0: every candidate's */
	enum kv_status (*dialogue_document_list)(struct store *s, int64_t procedure_id, int64_t candidate_id, arena *a, struct dialogue_document **out, int *n, struct kv_error *e);
	/* one document of the procedure with its content; KV_NOT_FOUND when
	 * the procedure has no such one */
	enum kv_status (*dialogue_document_get)(struct store *s, int64_t procedure_id, int64_t id, arena *a, struct dialogue_document *d, struct kv_error *e);
	/* creates or replaces the meeting of (candidate, round), minutes too */
	enum kv_status (*dialogue_meeting_put)(struct store *s, const struct dialogue_meeting *m, struct kv_error *e);
	/* by round, candidate; candidate_id 0: every candidate's */
	enum kv_status (*dialogue_meeting_list)(struct store *s, int64_t procedure_id, int64_t candidate_id, arena *a, struct dialogue_meeting **out, int *n, struct kv_error *e);
	/* creates or replaces the draft of (candidate, round); KV_CONFLICT
	 * when it has been published */
	enum kv_status (*dialogue_feedback_put)(struct store *s, const struct dialogue_feedback *f, struct kv_error *e);
	/* publishes the draft; KV_NOT_FOUND when there is none, KV_CONFLICT
	 * when it has been published */
	enum kv_status (*dialogue_feedback_publish)(struct store *s, int64_t procedure_id, int64_t candidate_id, int round, kv_instant at, int64_t by, struct kv_error *e);
	/* by round, candidate; candidate_id 0: every candidate's, drafts too */
	enum kv_status (*dialogue_feedback_list)(struct store *s, int64_t procedure_id, int64_t candidate_id, arena *a, struct dialogue_feedback **out, int *n, struct kv_error *e);

	/* online backup into a new file */
	enum kv_status (*backup)(struct store *s, const char *dest, store_progress_fn progress, void *ctx, struct kv_error *e);

	/* --- a contract's cost model (schema v18) --- */
	/* its JSON document into *json (in a); KV_NOT_FOUND when none */
	enum kv_status (*cost_model_get)(struct store *s, int64_t contract_id, arena *a, char **json, struct kv_error *e);
	/* creates or replaces it */
	enum kv_status (*cost_model_put)(struct store *s, int64_t contract_id, const char *json, kv_instant at, int64_t by, struct kv_error *e);

	/* --- the limits of bids (schema v10, quotas v17) --- */
	/* the procedure's largest file and its quota per candidate and lot
	 * (core/quota.h); KV_NOT_FOUND, *out zero, when the buyer never set
	 * them */
	enum kv_status (*bid_limits_get)(struct store *s, int64_t procedure_id, struct bid_limits *out, struct kv_error *e);
	/* creates or replaces them; KV_INVALID outside the table's bounds */
	enum kv_status (*bid_limits_set)(struct store *s, int64_t procedure_id, const struct bid_limits *l, kv_instant at, int64_t by, struct kv_error *e);

	/* --- the documents of a bid (schema v12) --- */
	/* fills d->id */
	enum kv_status (*bid_document_create)(struct store *s, struct bid_document *d, int64_t by, struct kv_error *e);
	/* the procedure's documents in force (removed too when all), by lot, id */
	enum kv_status (*bid_document_list)(struct store *s, int64_t procedure_id, bool all, arena *a, struct bid_document **out, int *n, struct kv_error *e);
	/* marks it removed at `at`; KV_NOT_FOUND when not in force */
	enum kv_status (*bid_document_remove)(struct store *s, int64_t procedure_id, int64_t id, kv_instant at, struct kv_error *e);

	/* --- organisation accounts and claims (schema v13) --- */
	/* fills c->id */
	enum kv_status (*claim_create)(struct store *s, struct org_claim *c, struct kv_error *e);
	enum kv_status (*claim_get)(struct store *s, int64_t id, arena *a, struct org_claim *c, struct kv_error *e);
	/* KV_NOT_FOUND when the account belongs to none */
	enum kv_status (*claim_of_account)(struct store *s, int64_t account_id, arena *a, struct org_claim *c, struct kv_error *e);
	/* KV_CONFLICT when the account belongs to one already */
	enum kv_status (*claim_user_add)(struct store *s, const struct claim_user *u, struct kv_error *e);
	/* administrators first, then by name */
	enum kv_status (*claim_user_list)(struct store *s, int64_t claim_id, arena *a, struct claim_user **out, int *n, struct kv_error *e);
	enum kv_status (*claim_candidate_set)(struct store *s, int64_t candidate_id, int64_t claim_id, struct kv_error *e);
	/* the candidates the claim registered and those naming org_id as a
	 * member, newest first */
	enum kv_status (*claim_candidates)(struct store *s, int64_t claim_id, int64_t org_id, arena *a, struct claim_candidate **out, int *n, struct kv_error *e);
	/* every candidate of the procedure, by candidate id */
	enum kv_status (*candidate_claim_list)(struct store *s, int64_t procedure_id, arena *a, struct candidate_claim_rec **out, int *n, struct kv_error *e);
	/* creates or replaces the verdict on the candidate */
	enum kv_status (*claim_verdict_put)(struct store *s, int64_t candidate_id, bool genuine, const char *reason, kv_instant at, int64_t by, struct kv_error *e);
	/* KV_CONFLICT when the member confirmed already */
	enum kv_status (*party_confirm)(struct store *s, const struct party_confirmation *c, struct kv_error *e);
	/* the procedure's confirmations, by candidate, org */
	enum kv_status (*party_confirmation_list)(struct store *s, int64_t procedure_id, arena *a, struct party_confirmation **out, int *n, struct kv_error *e);
	/* fills inv->id */
	enum kv_status (*invitation_create)(struct store *s, struct org_invitation *inv, struct kv_error *e);
	/* KV_NOT_FOUND when no invitation has that token */
	enum kv_status (*invitation_by_hash)(struct store *s, const unsigned char hash[32], arena *a, struct org_invitation *inv, struct kv_error *e);
	/* KV_CONFLICT when used already */
	enum kv_status (*invitation_use)(struct store *s, int64_t id, kv_instant at, int64_t by, struct kv_error *e);
	/* the claim's invitations, newest first */
	enum kv_status (*invitation_list)(struct store *s, int64_t claim_id, arena *a, struct org_invitation **out, int *n, struct kv_error *e);

	/* --- procurement documents (schema v14) --- */
	/* a new version of the (procedure, lot, kind, title) document, made
	 * when there is none: fills d->id, document_id, version */
	enum kv_status (*tender_document_put)(struct store *s, struct tender_document *d, struct kv_error *e);
	/* every version of the procedure's documents without content, by
	 * lot (the procedure's first), kind (leidraad, pve, concept, annex),
	 * title, newest version first */
	enum kv_status (*tender_document_list)(struct store *s, int64_t procedure_id, arena *a, struct tender_document **out, int *n, struct kv_error *e);
	/* one version with its content; KV_NOT_FOUND when the procedure
	 * has none of that id */
	enum kv_status (*tender_document_get)(struct store *s, int64_t procedure_id, int64_t id, arena *a, struct tender_document *d, struct kv_error *e);
	/* records a visit at `at`; *previous: the visit before (0: none) */
	enum kv_status (*tender_visit)(struct store *s, int64_t account_id, int64_t procedure_id, kv_instant at, kv_instant *previous, struct kv_error *e);
};

struct store {
	const struct store_ops *ops;
};

/* The SQLite driver.  Opens (creating if needed) the database at path,
 * sets WAL, synchronous=FULL, foreign keys, busy timeout, and applies
 * every pending migration in its own transaction.  NULL on error. */
struct store *store_sqlite_open(const char *path, struct kv_error *e);
/* Highest schema version this build knows. */
int store_sqlite_latest_version(void);

/* A fixed pool of connections for the server's threads. */
struct store_pool;
struct store_pool *store_pool_open(const char *path, int size, struct kv_error *e);
struct store *store_pool_acquire(struct store_pool *p);   /* blocks */
void store_pool_release(struct store_pool *p, struct store *s);
void store_pool_close(struct store_pool *p);

#define store_close(s) ((s)->ops->close(s))
#define store_begin(s, w, e) ((s)->ops->begin((s), (w), (e)))
#define store_commit(s, e) ((s)->ops->commit((s), (e)))
#define store_rollback(s) ((s)->ops->rollback(s))
#define STORE(s, fn, ...) ((s)->ops->fn((s), __VA_ARGS__))

#endif
