/*
 * app.h - the actions a person can take, shared by the web pages, the JSON
 * API, the CLI and the demo loader.
 *
 * Each action is one write transaction: load what it needs from the store,
 * let the core decide, save, append the audit event (who, what, when,
 * before and after), commit.  A refusal rolls back and changes nothing.
 * Access (which role may call which action) is checked by the caller,
 * the router, before the action runs; actions check the law.
 */
#ifndef KAVEL_APP_H
#define KAVEL_APP_H

#include "core/account.h"
#include "core/calendar.h"
#include "core/procedure.h"
#include "core/records.h"
#include "core/quota.h"

#include <jansson.h>

/* A store connection (store/store.h): the app's callers hold one but
 * never look inside; only src/app, src/store and main.c include
 * store.h. */
struct store;
struct store_pool;

/*
 * The server's connections (app.c, over store_pool_*): a fixed pool, one
 * connection per request while it runs.  A GET reads one snapshot from
 * the session check to the page's last line: app_read_begin opens that
 * read transaction (false when it could not: the reads then go one by
 * one) and app_read_end ends it.
 */
struct store_pool *app_pool_open(const char *path, int size, struct kv_error *e);
struct store *app_pool_acquire(struct store_pool *p);   /* blocks */
void app_pool_release(struct store_pool *p, struct store *s);
void app_pool_close(struct store_pool *p);
bool app_read_begin(struct store *s);
void app_read_end(struct store *s);

/* Compact JSON text (sorted keys) of j in the arena; j is released. */
char *app_json_text(arena *a, json_t *j);

struct app {
	struct store *st;
	arena *a;             /* the request's arena */
	kv_instant now;       /* the server clock, read once per request */
	int64_t actor;        /* account id, 0 = system (demo, migration) */
	uint64_t gen;         /* app_generation() before this request's first
				 read (0 outside a request): what a memo
				 filled from its reads is stamped with */
	bool begin_failed;    /* app_begin could not open the transaction:
				 app_finish has nothing to end */
};

/*
 * A counter of the changes this process has committed: every action bumps
 * it after its commit.  A memo of data read from the store is valid while
 * the counter it read *before* reading still holds: an entry is stamped
 * with the counter read before the request's first read (struct app's
 * gen, the web's r->gen: a read-only request reads one snapshot, begun
 * then, so data read later in it may be older than the counter is by
 * then), and used only while app_generation() still equals its stamp.  Changes made by
 * another process on the same database are not seen: run one server per
 * database (the CLI's backup and audit verify only read).
 */
uint64_t app_generation(void);
/* For changes made outside an action (a session ended). */
void app_note_change(void);

/*
 * Logging in and out (session_actions.c).  A login is two halves around
 * the password check (argon2id, ~150 ms of CPU), which runs on a thread of
 * its own (web/hashpool.h) while the store is not held:
 *   app_login_prepare  checks the input and finds the account; *hash is
 *                      the argon2id string to check the password against
 *                      (a dummy one for an unknown or disabled account,
 *                      so an unknown address costs as much as a wrong
 *                      password);
 *   then the check (crypto_pwhash_str_verify of *hash, on the hash pool);
 *   app_login_finish   with its outcome: a wrong password is KV_DENIED
 *                      (field "password"); a right one opens a
 *                      server-side session and audits it; only the
 *                      token's SHA-256 is stored.  out->token_hex is the
 *                      cookie's value, for this response only.
 */
#define APP_SESSION_SECONDS (8 * 3600)
struct app_login {
	char token_hex[65];
	struct session session;
	struct account account;       /* strings in x->a */
};
struct app_login_prep {
	const char *hash;             /* in x->a */
	bool known;                   /* an enabled account has the address */
	struct account account;       /* when known; strings in x->a */
};
enum kv_status app_login_prepare(struct app *x, const char *email,
				 const char *password, struct app_login_prep *prep,
				 struct kv_error *e);
enum kv_status app_login_finish(struct app *x, const struct app_login_prep *prep,
				bool password_ok, const char *lang,
				struct app_login *out, struct kv_error *e);
enum kv_status app_logout(struct app *x, const unsigned char token_hash[32],
			  struct kv_error *e);
/* The session whose token has SHA-256 token_hash, its account (without
 * the password hash) and the account's grants, all in x->a; KV_NOT_FOUND
 * when there is no such session or its account is disabled. */
enum kv_status app_session_load(struct app *x, const unsigned char token_hash[32],
				struct session *ss, struct account *me,
				struct grant **grants, int *n_grants,
				struct kv_error *e);
/* A procedure with its lots and stages, in x->a. */
enum kv_status app_procedure_read(struct app *x, int64_t id, struct procedure *out,
				  struct kv_error *e);
/* A session's language: "nl" or "en", anything else refused. */
enum kv_status app_session_lang(struct app *x, const unsigned char token_hash[32],
				const char *lang, struct kv_error *e);
/* An e-mail address as accounts keep it (core's email_normalize: trimmed,
 * NFKC, lower case), in a; one that could be no account's is only
 * lower-cased (NULL -> ""). */
char *app_email_normal(arena *a, const char *email);

/* The legal calendar of a tenant: the shipped equated days plus the ones
 * the tenant added.  In the arena.  app_calendar_years: the shipped days
 * of from_year..to_year only (a page that checks a few dates need not
 * word a century of them). */
enum kv_status app_calendar_years(struct app *x, int64_t tenant_id, int from_year,
				  int to_year, cal_calendar *out, struct kv_error *e);
enum kv_status app_calendar(struct app *x, int64_t tenant_id,
			    cal_calendar *out, struct kv_error *e);

enum kv_status app_org_create(struct app *x, struct org *o,
			      struct kv_error *e);
/* Creates the account with an argon2id hash of password. */
enum kv_status app_account_create(struct app *x, struct account *acc,
				  const char *password, struct kv_error *e);
enum kv_status app_grant(struct app *x, const struct grant *g,
			 struct kv_error *e);

/* p: tenant_id, reference, title, type, cpv, value_cents, dialogue_rounds,
 * standstill_days, and optional lots.  Fills ids. */
enum kv_status app_procedure_create(struct app *x, struct procedure *p,
				    struct kv_error *e);
enum kv_status app_lot_add(struct app *x, int64_t procedure_id,
			   struct lot *l, struct kv_error *e);
enum kv_status app_stage_move(struct app *x, int64_t procedure_id,
			      int64_t stage_id, kv_instant start,
			      kv_instant end, struct kv_error *e);
enum kv_status app_stage_complete(struct app *x, int64_t procedure_id,
				  int64_t stage_id, struct kv_error *e);
/* Parties name organisations by KvK; unknown ones are created (with the
 * party's org_name) as suppliers. */
enum kv_status app_candidate_add(struct app *x, struct candidate *c,
				 struct kv_error *e);
enum kv_status app_decision_add(struct app *x, struct decision *d,
				struct kv_error *e);
/* procedure_id (0 if none) files the audit event under the procedure. */
enum kv_status app_condition_resolve(struct app *x, int64_t procedure_id,
				     int64_t condition_id,
				     enum condition_state state,
				     const char *resolution,
				     struct kv_error *e);
enum kv_status app_equated_add(struct app *x, int64_t tenant_id,
			       const struct cal_equated_day *d,
			       struct kv_error *e);

/* Loads a procedure with the decisions that govern it. */
enum kv_status app_procedure_load(struct app *x, int64_t id,
				  struct procedure *p,
				  struct decision **decisions, int *n,
				  struct kv_error *e);

/* The demo: Dordrecht 2022 and Haarlem "Gewoon in de Wijk" as they were,
 * with their accounts, and Dordrecht's demo procedures in every stage
 * (demo_stages.c) with their sealed bids under vault_dir (<db dir>/vault,
 * which must exist).  Prints the accounts to stdout.  Reads x->now as
 * the real time: the stage procedures' dates lie around it. */
enum kv_status app_load_demo(struct app *x, const char *vault_dir,
			     struct kv_error *e);

#endif

/* --- steering (src/app/steering.c) --------------------------------------- */
#include "core/steering.h"

/* A contract entered directly; parties name organisations by KvK (unknown
 * ones are registered). */
enum kv_status app_contract_create(struct app *x, struct contract *c,
				   struct kv_error *e);
/* A contract from an awarded lot: the procedure's definitive award must be
 * completed; the parties are the winning candidate's. */
enum kv_status app_contract_from_award(struct app *x, int64_t procedure_id,
				       int64_t lot_id, int64_t candidate_id,
				       struct contract *c, struct kv_error *e);
enum kv_status app_contract_terminate(struct app *x, int64_t contract_id,
				      cal_date on, const char *reason,
				      const char *decision, struct kv_error *e);
enum kv_status app_contract_extend(struct app *x, int64_t contract_id,
				   struct kv_error *e);
enum kv_status app_index_figures_set(struct app *x, int64_t contract_id,
				     const struct index_figures *f,
				     struct kv_error *e);
enum kv_status app_frame_import(struct app *x, int64_t tenant_id,
				const char *title, const char *source,
				const char *csv, size_t len, bool thousands,
				struct budget_frame *out, struct kv_error *e);
enum kv_status app_subsidy_create(struct app *x, struct subsidy *s,
				  struct kv_error *e);
/* app_subsidy_create for the recipient known by its KvK number, registered
 * (as a supplier, under recipient_name) when Kavel does not know it yet;
 * in one transaction. */
enum kv_status app_subsidy_record(struct app *x, struct subsidy *s,
				  const char *recipient_kvk,
				  const char *recipient_name,
				  struct kv_error *e);
enum kv_status app_subsidy_extend(struct app *x, int64_t tenant_id,
				  int64_t subsidy_id, int to_year,
				  const char *decision, struct kv_error *e);
/* End a subsidy after last_year by decision, optionally with the
 * afbouwregeling in phase_out (NULL: none). */
enum kv_status app_subsidy_terminate(struct app *x, int64_t tenant_id,
				     int64_t subsidy_id, int last_year,
				     const char *decision,
				     const struct subsidy *phase_out,
				     struct kv_error *e);
enum kv_status app_form_period_create(struct app *x, struct form_period *p,
				      struct kv_error *e);
enum kv_status app_kpi_create(struct app *x, struct kpi *k,
			      struct kv_error *e);
/* CSV of measurements for the contract's KPIs: all lines or none. */
enum kv_status app_measurements_import(struct app *x, int64_t contract_id,
				       const char *csv, size_t len, int *n,
				       struct kv_error *e);
/* One measurement entered by hand (m->kpi_id, period, area, value). */
enum kv_status app_measurement_add(struct app *x, int64_t contract_id,
				   struct measurement *m, struct kv_error *e);
enum kv_status app_evaluation_put(struct app *x, struct evaluation *ev,
				  struct kv_error *e);
enum kv_status app_risk_create(struct app *x, struct risk *r,
			       struct kv_error *e);
/* The demo's steering data (Haarlem's contract and budget table,
 * Dordrecht's subsidies and organisation-form history, seed 000's risks). */
enum kv_status app_load_steering_demo(struct app *x, int64_t dordrecht,
				      int64_t haarlem, struct kv_error *e);
/* The demo's procedures of Dordrecht in every stage, each built through
 * the actions a user takes with x->now moved along its timeline, its
 * dates placed around the real time x->now holds on entry (restored on
 * return): registration, dialogue, evaluation, standstill, awarded
 * (demo_stages.c).  Prints their accounts and vault passphrases. */
enum kv_status app_load_stages_demo(struct app *x, int64_t dordrecht,
				    const char *vault_dir, struct kv_error *e);

/* --- the sealed bid vault (src/app/vault_actions.c) ----------------------- */
#ifndef KAVEL_APP_VAULT_H
#define KAVEL_APP_VAULT_H

/* The largest file one submission may be (checked while it streams in)
 * when the buyer set no limit of the procedure's own, and the range the
 * buyer may choose from, in whole MiB (core/quota.h holds them with the
 * quotas per candidate and lot). */
#define APP_SUBMISSION_MAX QUOTA_MAX_BYTES_DEFAULT
#define APP_SUBMISSION_MAX_MIN QUOTA_MAX_BYTES_MIN
#define APP_SUBMISSION_MAX_MAX QUOTA_MAX_BYTES_MAX

/* The procedure's bid limits: its own, or the defaults. */
enum kv_status app_bid_limits(struct app *x, int64_t procedure_id,
			      struct bid_limits *out, struct kv_error *e);
/* The buyer sets the bid limits: the largest file in MiB (1 .. 2048),
 * the live files (1 .. 1000) and the MiB together (1 .. 16384, not below
 * the largest file) each candidate may keep in each lot; each sentence
 * names its field and range (quota_limits_check).  The rules are fixed
 * before the race ends: refused (KV_DENIED) from the second after the
 * tender deadline and once the vault is opened, and a limit is not
 * lowered below what is received already (a larger bid, a candidate
 * with more files or bytes in a lot: KV_DENIED naming it).  Audited
 * "submission.max" with the old and new limits. */
enum kv_status app_bid_limits_set(struct app *x, int64_t procedure_id,
				  int64_t max_mib, int64_t quota_files,
				  int64_t quota_mib, struct kv_error *e);
/* Whether a file of need more bytes may be written now (vault/space.h:
 * the free-space floor): KV_FULL otherwise, with the sentence a person
 * reads (the disk is nearly full, try later, logins go on). */
enum kv_status app_space_room(int64_t need, struct kv_error *e);
/* Keeps the reserve file (vault/space.h), once a second. */
void app_space_watch(void);
/* What candidate_id keeps in lot_id of procedure_id: its live
 * quality-envelope files and their bytes, leaving out an earlier upload
 * of bid document replacing (0: none), which a new upload of it
 * replaces. */
enum kv_status app_quota_use(struct app *x, int64_t procedure_id,
			     int64_t lot_id, int64_t candidate_id,
			     int64_t replacing, struct quota_use *out,
			     struct kv_error *e);

/* Sets the buyer's vault passphrase (at least 12 characters, not the
 * login password): stores a fresh salt and the public key argon2id
 * gives (vault_buyer_key_derive); refused when the account is no buyer
 * or has one already.  Wipes passphrase; never stores or logs it. */
enum kv_status app_vault_key_set(struct app *x, int64_t account_id,
				 char *passphrase, struct kv_error *e);
/* A buyer's vault key pair as argon2id derived it from the passphrase,
 * kept by a caller that opens several vaults with the same buyers in one
 * process (the demo loader), so argon2id runs once per buyer, not once
 * per opening.  sk is secret: the caller wipes the struct
 * (sodium_memzero) when done. */
struct app_vault_unlocked {
	int64_t account_id;
	unsigned char pk[32], sk[32];
};
/* app_vault_key_set that also hands back the pair it derived (zeroed on
 * a refusal). */
enum kv_status app_vault_key_set_unlocked(struct app *x, int64_t account_id,
					  char *passphrase,
					  struct app_vault_unlocked *out,
					  struct kv_error *e);
/* The end of the procedure's tender deadline stage; KV_DENIED when it is
 * not planned. */
enum kv_status app_tender_deadline(const struct procedure *p,
				   kv_instant *deadline, struct kv_error *e);
/* Makes the procedure's vault for every buyer of it who set a vault
 * passphrase (at least two); refused when it has one. */
enum kv_status app_vault_create(struct app *x, int64_t procedure_id,
				struct kv_error *e);
/* Whether a bid arriving at `arrived` can be received: the vault exists
 * (into *v) and is sealed, the deadline is planned and not passed. */
enum kv_status app_submission_check(struct app *x, const struct procedure *p,
				    kv_instant arrived, struct vault_rec *v,
				    struct kv_error *e);
/* Records a sealed file that has been written, synced and renamed into
 * the vault directory: sub->procedure_id, lot_id, candidate_id,
 * account_id, file_name, content_type, size, sha256, path.  Received at
 * x->now (the end of the upload), checked again by app_submission_check;
 * fills id, received_at and receipt (vault_receipt_digest of the
 * procedure, the lot's number, the candidate and the file). */
enum kv_status app_submission_store(struct app *x, struct submission *sub,
				    struct kv_error *e);

/* The bidder of candidate_id withdraws its submission sub_id of the
 * procedure until the tender deadline (refused from the second after it,
 * or once the vault is open); marks withdrawn_at = x->now and audits
 * "submission.withdraw".  The sealed file stays for the record; opening
 * skips it.  KV_NOT_FOUND for a submission of another candidate. */
enum kv_status app_submission_withdraw(struct app *x, int64_t procedure_id,
				       int64_t sub_id, int64_t candidate_id,
				       struct kv_error *e);

struct vault_opening {
	struct submission *subs;      /* every submission, withdrawn too */
	bool *verified;               /* per submission: decrypted, and the
					 SHA-256, size and receipt match */
	int n;
	int64_t by_1, by_2;
	kv_instant opened_at;
};
/* One of the two buyers at an opening: the e-mail address and either the
 * vault passphrase (wiped once used, or on a refusal) or, with pass NULL,
 * the pair derived before (app_vault_key_set_unlocked; each pair must be
 * its buyer's stored public key). */
struct app_opener {
	const char *email;
	char *pass;
	const struct app_vault_unlocked *unlocked;
};
/* Two different buyers of the procedure open one of its envelopes: their
 * shares of the envelope's pair give its secret key, which decrypts every
 * non-withdrawn sealed file of it under vault_dir in memory, chunk by
 * chunk, only to check it against its receipt; then the opening is
 * recorded and audited with the buyers and every bid's hash.
 * ENVELOPE_QUALITY (the vault, "vault.open"): after the tender deadline;
 * the key is wiped.  ENVELOPE_PRICE ("price.open"): after the vault's
 * opening and once every lot whose rules keep the price sealed has final
 * quality; each price is also read and stored, and the key kept. */
enum kv_status app_envelope_open(struct app *x, int64_t procedure_id, int env,
				 const char *vault_dir, struct app_opener *a,
				 struct app_opener *b, struct vault_opening *out,
				 struct kv_error *e);
/* A bid handed over whole rather than streamed over HTTP (the demo
 * loader): data, len bytes (1 .. the procedure's limit), is sealed chunk
 * by chunk to the vault's public key into a new file under vault_dir as
 * the upload route does (tmp-*, fsync, renamed to
 * <random>.kvlt, the directory synced), its type judged by its
 * content (file_sniff), and recorded by app_submission_store at x->now.
 * sub in: procedure_id, lot_id, candidate_id, account_id, file_name;
 * out as app_submission_store.  Refused as an upload would be (no vault,
 * opened, past the deadline); a refused file is removed. */
enum kv_status app_submission_seal(struct app *x, struct submission *sub,
				   const unsigned char *data, size_t len,
				   const char *vault_dir, struct kv_error *e);
/* A bidder's account for a candidate of the procedure (belonging to its
 * penvoerder) with the bidder's grant, in one transaction. */
enum kv_status app_bidder_account_create(struct app *x, int64_t procedure_id,
					 int64_t candidate_id,
					 struct account *acc,
					 const char *password,
					 struct kv_error *e);
#endif

/* --- questions and answers (src/app/qa_actions.c) -------------------------- */
#ifndef KAVEL_APP_QA_H
#define KAVEL_APP_QA_H

#define APP_QUESTION_MAX 4000   /* bytes of a question */
#define APP_ANSWER_MAX 8000     /* bytes of an answer */

/* Until when the procedure takes questions: its own question deadline
 * when the buyer set one (*own true), else the end of its tender
 * deadline stage; 0 when neither is known (questions are open). */
enum kv_status app_question_deadline(struct app *x, const struct procedure *p,
				     kv_instant *deadline, bool *own,
				     struct kv_error *e);
/* A bidder's question for its candidate: q->procedure_id, lot_id (0:
 * general), candidate_id, account_id and text (1..APP_QUESTION_MAX bytes,
 * several lines allowed).  Refused after the question deadline (to the
 * second) and for a lot of another procedure.  Fills id and asked_at. */
enum kv_status app_question_ask(struct app *x, struct question *q,
				struct kv_error *e);
/* The buyer's answer (1..APP_ANSWER_MAX bytes), replacing an earlier
 * draft; refused once the question is published. */
enum kv_status app_question_answer(struct app *x, int64_t procedure_id,
				   int64_t question_id, const char *answer,
				   struct kv_error *e);
/* Sets the procedure's question deadline, which must lie in the future. */
enum kv_status app_question_deadline_set(struct app *x, int64_t procedure_id,
					 kv_instant deadline,
					 struct kv_error *e);
/* Publishes every answered, unpublished question of the procedure in a
 * new nota with the next number, all at x->now, in one transaction with
 * the audit event "nota.publish" (the number and the question ids).
 * Unanswered questions wait for a later nota.  Fills *out (id, number,
 * published_at, n_questions). */
enum kv_status app_nota_publish(struct app *x, int64_t procedure_id,
				struct nota *out, struct kv_error *e);
#endif

/* --- taking part (src/app/taking_part.c) ---------------------------------- */
#ifndef KAVEL_APP_TAKING_PART_H
#define KAVEL_APP_TAKING_PART_H

/* Bytes of an application document.  The page's form streams it to a
 * temporary file and then into the database piece by piece
 * (app_doc_upload_*), so no request holds it whole; the API's JSON, base64
 * in a body of at most 1 MiB, takes smaller ones. */
#define APP_DOCUMENT_MAX ((int64_t)50 * 1024 * 1024)

/* The end of the procedure's application deadline stage; KV_DENIED when
 * it has none or it is not planned. */
enum kv_status app_application_deadline(const struct procedure *p,
					kv_instant *deadline,
					struct kv_error *e);
/* Whether organisations can register for p at x->now: it is published
 * (else KV_NOT_FOUND), its registration stage is not completed and
 * neither the registration's end nor the application deadline passed. */
enum kv_status app_registration_open(struct app *x, const struct procedure *p,
				     struct kv_error *e);
/* Publishes the procedure for registration; its application deadline
 * must be planned and ahead.  Audited "procedure.publish". */
enum kv_status app_procedure_publish(struct app *x, int64_t procedure_id,
				     struct kv_error *e);

/* Registering interest: candidate (procedure_id, name, consortium,
 * parties with the registering organisation first, as penvoerder) and
 * account (email, name) with password. */
struct registration {
	struct candidate candidate;
	struct account account;
	const char *password;
	const char *address;      /* the organisation's, optional */
};
/* In one transaction: unknown organisations (by KvK), the candidate
 * (candidate_check), the account of the penvoerder's organisation and
 * its bidder grant on the procedure, audited "candidate.register".
 * The new account administers an organisation account of its own
 * (org_actions.h), also when another account claims the same KvK number:
 * both registrations reach the buyer as a conflict, neither is refused.
 * Refused when registration is not open (app_registration_open), and
 * with only "This e-mail address cannot be used." for a taken e-mail
 * address.  Fills the ids. */
enum kv_status app_register(struct app *x, struct registration *rg,
			    struct kv_error *e);
/* A selection criterion (procedure_id, key, title, description, kind,
 * max_points, round: 0 means 1).  Without a key (NULL or "") one is made
 * from the title: lower-case ASCII, accents dropped, other characters
 * "-", unique within the procedure ("kwaliteit", "kwaliteit-2"); a key
 * given is refused, naming "key", unless it has 1 to 40 of a-z, 0-9 and
 * "-" and no other criterion of the procedure has it.  Round 1's criteria are refused after the
 * application deadline; a later round's while its scoring has not opened
 * (sel_round_criterion_check: before round n-1's publication). */
enum kv_status app_criterion_add(struct app *x,
				 struct selection_criterion *cr,
				 struct kv_error *e);
/* Replaces the candidate's answers: a JSON object, criterion key to text
 * (empty texts are dropped); refused after the application deadline, to
 * the second, naming it.  Fills *out. */
enum kv_status app_application_save(struct app *x, int64_t procedure_id,
				    int64_t candidate_id, json_t *answers,
				    struct application *out,
				    struct kv_error *e);
/* Adds (or replaces, by name) a document of the candidate's application,
 * at most APP_DOCUMENT_MAX bytes: d->name, content, size in; sha256, id
 * out.  Refused after the application deadline. */
enum kv_status app_application_document(struct app *x, int64_t procedure_id,
					int64_t candidate_id,
					struct application_document *d,
					struct kv_error *e);
/* The same, streamed: begin (refused after the application deadline),
 * name (the temporary file begins in vault_dir), chunk after chunk
 * (KV_INVALID past APP_DOCUMENT_MAX), finish (the document is stored as
 * app_application_document stores one, the temporary file removed; out
 * as there), or abort.  The upload lives in x->a. */
struct app_doc_upload;
enum kv_status app_doc_upload_begin(struct app *x, const struct procedure *p,
				    int64_t candidate_id, const char *vault_dir,
				    struct app_doc_upload **out,
				    struct kv_error *e);
enum kv_status app_doc_upload_name(struct app *x, struct app_doc_upload *u,
				   const char *name, struct kv_error *e);
enum kv_status app_doc_upload_chunk(struct app_doc_upload *u, const void *data,
				    size_t n, struct kv_error *e);
enum kv_status app_doc_upload_finish(struct app *x, struct app_doc_upload *u,
				     struct application_document *out,
				     struct kv_error *e);
void app_doc_upload_abort(struct app_doc_upload *u);
#endif

/* --- staged selection (src/app/selection_actions.c) ----------------------- */
#ifndef KAVEL_APP_SELECTION_H
#define KAVEL_APP_SELECTION_H

/* A buyer's or assessor's score of a candidate on a criterion (by key):
 * passed for a pass-fail criterion, 0..max points for a scored one, and
 * a required motivation; replaces an earlier score of the pair.  The
 * criterion's round must be open (sel_round_scoring_check; round 1 also
 * only after the application deadline) and the candidate must take part
 * in it (app_selection_members).  Audited "selection.score". */
enum kv_status app_score_put(struct app *x, int64_t procedure_id,
			     struct selection_score *sc, struct kv_error *e);
/* The candidates of selection round `round`, in the arena: round 1 every
 * candidate of the procedure; round n the ones admitted in round n-1
 * (none while n-1 is not published). */
enum kv_status app_selection_members(struct app *x, int64_t procedure_id,
				     int round, struct candidate **out,
				     int *n, struct kv_error *e);
/* The round that is open for scoring and publication next: the last
 * published one's number + 1 (1 when none). */
enum kv_status app_selection_current(struct app *x, int64_t procedure_id,
				     int *round, struct kv_error *e);
/* Publishes selection round `round` (the next one, sel_round_publish_check;
 * round 1 after the application deadline) admitting at most
 * max_admitted of its candidates: the core ranks them on the round's
 * criteria (sel_rank; tie_admit names whom to admit at a tie at the
 * boundary) and every candidate of the round gets its result with one
 * published_at, in one transaction with the audit event
 * "selection.publish".  A round n >= 2 without criteria is refused.
 * Fills *out. */
enum kv_status app_selection_publish(struct app *x, int64_t procedure_id,
				     int round, int max_admitted,
				     const int64_t *tie_admit, int n_tie_admit,
				     struct selection_round *out,
				     struct kv_error *e);
/* The ranking of round `round` the scores so far would give (not
 * stored), in the order of the round's candidates. */
enum kv_status app_selection_preview(struct app *x, int64_t procedure_id,
				     int round, int max_admitted,
				     struct sel_result **out, int *n,
				     struct kv_error *e);
#endif

/* --- evaluation and award (src/app/award_rules.c, award_actions.c) -------- */
#ifndef KAVEL_APP_AWARD_H
#define KAVEL_APP_AWARD_H

#include "core/award.h"

/* A lot's award rules as announced, read from their JSON document:
 *
 *   {"method": "weighted" | "fictive-price" | "quality-only" |
 *              "lowest-price" | "price-quality-ratio",
 *    "price_scoring": "absolute" | "relative" | "log",   (weighted)
 *    "price_weight_bp": 3000,          (weighted: price's share)
 *    "lower_cents", "upper_cents",     (absolute price scoring)
 *    "log_k_bp": 20000,                (log price scoring)
 *    "budget_cents": 250000000,        (quality-only)
 *    "tie_rule": "lowest-price" | "criterion" | "drawing",
 *    "tie_criterion": "key",           (tie rule "criterion")
 *    "averaging": false,   (the individual scores' average, rounded to
 *                           the nearest step, is the consensus; only
 *                           where the tender documents announced it)
 *    "price_after_quality": true,  (the price envelope stays sealed
 *                                   until this lot's quality is final)
 *    "criteria": [{"key": "plan", "parent": null, "name": "...",
 *                  "description": "...", "weight_bp": 6000,
 *                  "scale": [{"value_bp": 0, "meaning": "..."}, ...]
 *                       or "marks": [1, 10],
 *                  "knock_out": false, "value_cents": 0}, ...]}
 *
 * Criterion keys are 1..40 characters of a-z, 0-9 and '-'; parents come
 * before their sub-criteria.  criteria[i].id is i. */
struct award_rules {
	struct award_lot lot;
	struct award_criterion *criteria;   /* = lot.criteria */
	const char **keys;                  /* keys[i] of criteria[i] */
	const char **descriptions;          /* "" when none */
	bool averaging;
	bool price_after_quality;
};

/* Reads and checks (award_lot_check) the document; every refusal names
 * the field ("criteria[2].weight_bp").  Everything in a. */
enum kv_status app_award_rules_parse(arena *a, json_t *j,
				     struct award_rules *r,
				     struct kv_error *e);
/* The same from JSON text. */
enum kv_status app_award_rules_parse_text(arena *a, const char *text,
					  struct award_rules *r,
					  struct kv_error *e);
/* The canonical document of r (a new reference). */
json_t *app_award_rules_json(const struct award_rules *r);
/* The index of the criterion with key, -1 when none. */
int app_award_key_index(const struct award_rules *r, const char *key);
/* Whether criterion i is key's criterion or under it. */
bool app_award_under(const struct award_rules *r, int i, const char *key);
/* "60 % - voldoende" / "62,50 %": step s of criterion i, in the thread's
 * language, with the decimal mark of the reader's (read_award.h). */
const char *app_award_step_label(arena *a, const struct award_rules *r,
				 int i, int s, char mark);

/* Sets the lot's award rules (replacing earlier ones).  Refused once the
 * tender deadline has passed or the vault is open (the rules were
 * announced; they cannot change after bids are in).  Audited
 * "award.rules". */
enum kv_status app_award_rules_put(struct app *x, int64_t procedure_id,
				   int64_t lot_id, json_t *rules,
				   struct kv_error *e);
/* Makes an account of the procedure's municipality an assessor of the
 * procedure (not a bidder; not twice).  Audited "grant.add". */
enum kv_status app_assessor_add(struct app *x, int64_t procedure_id,
				const char *email, struct kv_error *e);
/* Assigns an assessor (an assessor or buyer of the procedure) to the
 * lot: keys "*" (every criterion) or top-level criterion keys; n = 0
 * takes the assignment away.  Refused once the assessor handed in. */
enum kv_status app_award_assign(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t account_id,
				const char *const *keys, int n,
				struct kv_error *e);

/* The lot's bids: candidates with a quality submission not withdrawn. */
struct award_bidder {
	int64_t candidate_id;
	const char *name;
	bool excluded;
	const char *exclusion;        /* the reason, or NULL */
	bool has_price;
	int64_t price_cents;
};

/* What one account may do and see on a lot's evaluation. */
struct award_view {
	struct award_setup_rec setup;
	struct award_rules rules;
	struct award_bidder *bidders;
	int n_bidders;
	struct award_assignment *assignments;   /* the lot's */
	int n_assignments;
	struct award_scorecard *cards;          /* hand-ins */
	int n_cards;
	bool vault_open;              /* the quality envelope */
	bool prices_open;
	bool all_handed_in;           /* every assigned assessor */
	bool *mine;                   /* per criterion: the account scores it */
	bool handed_in;               /* the account has handed in */
	struct award_score_rec *own;  /* the account's individual scores */
	int n_own;
	struct award_score_rec *individual;   /* everyone's: only once all
						 handed in, else NULL */
	int n_individual;
	struct award_score_rec *consensus;
	int n_consensus;
	struct award_decision_rec *decisions; /* the lot's, by number */
	int n_decisions;
};
/* Loads the lot's evaluation as account_id may see it (see the blind
 * rules in award_actions.c).  KV_NOT_FOUND when the lot has no rules. */
enum kv_status app_award_view(struct app *x, int64_t procedure_id,
			      int64_t lot_id, int64_t account_id,
			      struct award_view *v, struct kv_error *e);

/* An assessor's own score of a bid on a leaf criterion assigned to
 * them, with its motivation; replaces an earlier one.  Only after the
 * vault's opening, before the assessor handed in.  Audited
 * "award.score" with a digest of the score, not the score itself (the
 * other assessors stay blind; the scores enter the log when quality is
 * final). */
enum kv_status app_award_score(struct app *x, int64_t procedure_id,
			       int64_t lot_id, int64_t candidate_id,
			       const char *key, int step,
			       const char *motivation, struct kv_error *e);
/* One cell of an assessor's scoring matrix: a score of a bid on a
 * criterion; refused and err say whether and why the check refused it. */
struct award_score_cell {
	int64_t candidate_id;
	const char *key;
	int step;
	const char *motivation;
	bool refused;                /* out */
	struct kv_error err;         /* out: when refused */
};
/* Saves every cell in one transaction, each checked as app_award_score
 * checks one score (which is this with one cell); one refused cell
 * saves none: each refused cell is marked with its error, e holds the
 * first. */
enum kv_status app_award_scores(struct app *x, int64_t procedure_id,
				int64_t lot_id, struct award_score_cell *cells,
				int n, struct kv_error *e);
/* The assessor hands in: every assigned leaf of every bid not excluded
 * is scored.  No change after. */
enum kv_status app_award_hand_in(struct app *x, int64_t procedure_id,
				 int64_t lot_id, struct kv_error *e);
/* The consensus score of a bid on a leaf, with its motivation, recorded
 * by a buyer once every assigned assessor handed in and before quality
 * is final. */
enum kv_status app_award_consensus(struct app *x, int64_t procedure_id,
				   int64_t lot_id, int64_t candidate_id,
				   const char *key, int step,
				   const char *motivation, struct kv_error *e);
/* Where the rules announce averaging: every consensus score from the
 * individual scores' mean value, rounded to the nearest step (half
 * up), with a motivation listing them. */
enum kv_status app_award_consensus_average(struct app *x,
					   int64_t procedure_id,
					   int64_t lot_id, struct kv_error *e);
/* Excludes a bid with its reason (reason NULL: takes an exclusion
 * back), until an award decision is sent. */
enum kv_status app_award_exclude(struct app *x, int64_t procedure_id,
				 int64_t lot_id, int64_t candidate_id,
				 const char *reason, struct kv_error *e);
/* Quality becomes final: every bid not excluded has a consensus score
 * on every leaf.  Audited "award.quality-final" with every individual
 * and consensus score. */
enum kv_status app_award_quality_final(struct app *x, int64_t procedure_id,
				       int64_t lot_id, struct kv_error *e);

/* The bidder of candidate_id puts its price for a lot in the price
 * envelope before the tender deadline: the price is sealed to the
 * procedure's price vault (a small JSON document, never stored in
 * plaintext) under vault_dir, and any earlier price of the candidate for
 * the lot is withdrawn.  Fills *out (its receipt). */
enum kv_status app_price_submit(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t candidate_id,
				int64_t price_cents, const char *vault_dir,
				struct submission *out, struct kv_error *e);
/* The ranking of a lot from the stored consensus, prices and
 * exclusions, with its robustness. */
struct award_evaluation {
	struct award_rules rules;
	struct award_bidder *bidders;    /* as award_view */
	int n;
	struct award_bid *bids;          /* bids[i] is bidders[i] */
	struct award_ranking ranking;
	struct award_sensitivity *sensitivity;
	int n_sensitivity;               /* 0 when not applicable */
	struct award_reversal *reversal;
	int n_reversal;
	bool has_mc;
	struct award_mc mc;
};
#define APP_MC_SCENARIOS 100000
#define APP_MC_P_BP 1000             /* each score moves with 10 % */
#define APP_MC_SEED 20221001u
/* Needs final quality and, when the method weighs price, opened prices. */
enum kv_status app_award_evaluate(struct app *x, int64_t procedure_id,
				  int64_t lot_id, struct award_evaluation *ev,
				  struct kv_error *e);

/* Sends the provisional award decision of a lot: ranks (tie_winner
 * names the winner when the first place is put to the buyer), computes
 * the standstill end from now (the day after sending, art. 2.127),
 * stores the snapshot every letter is made from, and marks any earlier
 * provisional decision superseded (then corrected_reason is required).
 * Refused after a definitive award.  Audited "award.decision". */
enum kv_status app_award_decide(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t tie_winner,
				const char *winner_summary,
				const char *objection,
				const char *corrected_reason,
				struct award_decision_rec *out,
				struct kv_error *e);
/* Registers an objection or summary proceedings of a bidder against
 * the lot's provisional decision (filed_on not in the future). */
enum kv_status app_objection_add(struct app *x, int64_t procedure_id,
				 struct award_objection *o,
				 struct kv_error *e);
enum kv_status app_objection_close(struct app *x, int64_t procedure_id,
				   int64_t objection_id, kv_instant on,
				   const char *outcome, struct kv_error *e);
/* The provisional decision becomes definitive: only after its
 * standstill has ended and with no objection open against it. */
enum kv_status app_award_definitive(struct app *x, int64_t procedure_id,
				    int64_t decision_id, struct kv_error *e);
#endif

/* --- dialogue rounds (src/app/dialogue_actions.c) -------------------------- */
#ifndef KAVEL_APP_DIALOGUE_H
#define KAVEL_APP_DIALOGUE_H

#include "core/dialogue.h"

/* The largest dialogue document (a plan, minutes).  A request body is
 * at most 1 MiB (web/body.c), and the API sends a document in base64. */
#define APP_DIALOGUE_DOC_MAX ((int64_t)512 * 1024)

/* Round `number` of p with the buyer's own plan deadline, if any. */
enum kv_status app_dialogue_round(struct app *x, const struct procedure *p,
				  int number, struct dlg_round *out,
				  struct kv_error *e);
/* The candidates that take part in p's dialogue: once a selection round
 * is published, the ones admitted in the last published round; before,
 * every candidate.  In the arena. */
enum kv_status app_dialogue_participants(struct app *x,
					 const struct procedure *p,
					 struct candidate **out, int *n,
					 struct kv_error *e);
/* The buyer sets round `number`'s plan deadline (dlg_due_check).
 * Audited "dialogue.deadline". */
enum kv_status app_dialogue_due_set(struct app *x, int64_t procedure_id,
				    int number, kv_instant due,
				    struct kv_error *e);
/* The candidate's concept plan for round `number`, replacing an earlier
 * one: d->name, content, size in (dlg_document_check, at most
 * APP_DIALOGUE_DOC_MAX); content_type, sha256 and id out.  Refused after
 * the plan deadline, to the second (dlg_plan_check), and for a candidate
 * that does not take part.  Audited "dialogue.plan" (name, type, size,
 * SHA-256; the replaced one as before). */
enum kv_status app_dialogue_plan(struct app *x, int64_t procedure_id,
				 int number, int64_t candidate_id,
				 struct dialogue_document *d,
				 struct kv_error *e);
/* The buyer plans (or moves) the candidate's meeting of the round
 * (dlg_meeting_check); refused once its minutes are recorded.  Audited
 * "dialogue.meeting". */
enum kv_status app_dialogue_meeting(struct app *x, int64_t procedure_id,
				    int number, int64_t candidate_id,
				    kv_instant at, const char *place,
				    struct kv_error *e);
/* The buyer records the meeting's minutes as text (NULL: keep), as a
 * document d (NULL: keep), or both, once the meeting has begun
 * (dlg_minutes_check).  Audited "dialogue.minutes" with SHA-256s. */
enum kv_status app_dialogue_minutes(struct app *x, int64_t procedure_id,
				    int number, int64_t candidate_id,
				    const char *text,
				    struct dialogue_document *d,
				    struct kv_error *e);
/* The buyer writes (or rewrites) the feedback draft for the candidate on
 * the round; refused once published.  Audited "dialogue.feedback". */
enum kv_status app_dialogue_feedback(struct app *x, int64_t procedure_id,
				     int number, int64_t candidate_id,
				     const char *text, struct kv_error *e);
/* Publishes the draft to the candidate (only to it), after the round's
 * plan deadline (dlg_feedback_publish_check); it cannot change after.
 * Audited "dialogue.feedback.publish". */
enum kv_status app_dialogue_feedback_publish(struct app *x,
					     int64_t procedure_id, int number,
					     int64_t candidate_id,
					     struct kv_error *e);
#endif
