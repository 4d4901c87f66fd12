/*
 * routes.c - every action of Kavel, one row each: method, path, access
 * rule, how its body is read, the faces it serves, and its handler.
 *
 * FACE_BOTH serves the page's path and the same path under /api/v1 from
 * the one row and handler (the handler looks at req->api to choose its
 * output); FACE_HTML and FACE_API serve one of them.  An action with a
 * different access rule per face has a row per face (/lang: anyone may
 * choose the language of the login page; the API's is a session's).  The
 * body kinds are web.h's enum body_kind: the router reads the body as
 * the row says before the handler runs (router.c, body.c), so no URL is
 * matched anywhere else.  docs/api.md documents the /api/v1 routes one
 * by one; tests/api/test_routes.py walks this table with every role.
 */
#include "web.h"

void page_login(struct req *, struct resp *);
void page_bid_document(struct req *, struct resp *);
void page_application_doc_read(struct req *, struct resp *);
void page_application_doc_upload(struct req *, struct resp *);
void page_login_post(struct req *, struct resp *);
void page_logout(struct req *, struct resp *);
void page_lang(struct req *, struct resp *);
void page_me(struct req *, struct resp *);
void page_dashboard(struct req *, struct resp *);
void page_attention(struct req *, struct resp *);
void page_procedure_new(struct req *, struct resp *);
void page_procedure_create(struct req *, struct resp *);
void page_procedure(struct req *, struct resp *);
void page_stage_move(struct req *, struct resp *);
void page_stage_complete(struct req *, struct resp *);
void page_lots(struct req *, struct resp *);
void page_lot_create(struct req *, struct resp *);
void page_candidates(struct req *, struct resp *);
void page_candidate_create(struct req *, struct resp *);
void page_decisions(struct req *, struct resp *);
void page_decision_create(struct req *, struct resp *);
void page_condition_resolve(struct req *, struct resp *);
void page_audit(struct req *, struct resp *);
void page_audit_csv(struct req *, struct resp *);
void page_calendar(struct req *, struct resp *);
void page_equated_add(struct req *, struct resp *);
void page_contracts(struct req *, struct resp *);
void page_contract_new(struct req *, struct resp *);
void page_contract_create(struct req *, struct resp *);
void page_contract(struct req *, struct resp *);
void page_contract_terminate(struct req *, struct resp *);
void page_contract_extend(struct req *, struct resp *);
void page_contract_index(struct req *, struct resp *);
void page_cost_model(struct req *, struct resp *);
void page_cost_model_set(struct req *, struct resp *);
void page_contract_kpi(struct req *, struct resp *);
void page_contract_measurements(struct req *, struct resp *);
void page_contract_evaluation(struct req *, struct resp *);
void page_budget(struct req *, struct resp *);
void page_frame_import(struct req *, struct resp *);
void page_frame_xlsx(struct req *, struct resp *);
void page_subsidy_create(struct req *, struct resp *);
void page_subsidy_extend(struct req *, struct resp *);
void page_subsidy_terminate(struct req *, struct resp *);
void page_history(struct req *, struct resp *);
void page_history_add(struct req *, struct resp *);
void page_report(struct req *, struct resp *);
void page_report_pdf(struct req *, struct resp *);
void page_risk_add(struct req *, struct resp *);
void page_vault_key(struct req *, struct resp *);
void page_vault_key_set(struct req *, struct resp *);
void page_vault(struct req *, struct resp *);
void page_vault_create(struct req *, struct resp *);
void page_vault_open(struct req *, struct resp *);
void page_submission_max_set(struct req *, struct resp *);
void page_bidder_account_create(struct req *, struct resp *);
void page_submission_upload(struct req *, struct resp *);
void page_submit(struct req *, struct resp *);
void page_submit_upload(struct req *, struct resp *);
void page_receipt(struct req *, struct resp *);
void page_receipt_pdf(struct req *, struct resp *);
void page_submission_withdraw(struct req *, struct resp *);
void page_bid_document_add(struct req *, struct resp *);
void page_bid_document_remove(struct req *, struct resp *);
void page_bid_receipt(struct req *, struct resp *);
void page_vault_record(struct req *, struct resp *);
void page_vault_record_pdf(struct req *, struct resp *);
void page_questions(struct req *, struct resp *);
void page_question_ask(struct req *, struct resp *);
void page_question_answer(struct req *, struct resp *);
void page_question_deadline(struct req *, struct resp *);
void page_nota_publish(struct req *, struct resp *);
void page_nota(struct req *, struct resp *);
void page_nota_pdf(struct req *, struct resp *);
void page_tenders(struct req *, struct resp *);
void page_tender_register_form(struct req *, struct resp *);
void page_tender_register(struct req *, struct resp *);
void page_org(struct req *, struct resp *);
void page_org_invite(struct req *, struct resp *);
void page_member_confirm(struct req *, struct resp *);
void page_invitation(struct req *, struct resp *);
void page_invitation_accept(struct req *, struct resp *);
void page_claims(struct req *, struct resp *);
void page_claim_decide(struct req *, struct resp *);
void page_procedure_publish(struct req *, struct resp *);
void page_criterion_add(struct req *, struct resp *);
void page_application(struct req *, struct resp *);
void page_application_save(struct req *, struct resp *);
void page_application_document(struct req *, struct resp *);
void page_selection(struct req *, struct resp *);
void page_selection_score(struct req *, struct resp *);
void page_selection_publish(struct req *, struct resp *);
void page_selection_result(struct req *, struct resp *);
void page_dialogue(struct req *, struct resp *);
void page_dialogue_due(struct req *, struct resp *);
void page_dialogue_plan(struct req *, struct resp *);
void page_dialogue_meeting(struct req *, struct resp *);
void page_dialogue_minutes(struct req *, struct resp *);
void page_dialogue_feedback(struct req *, struct resp *);
void page_dialogue_feedback_publish(struct req *, struct resp *);
void page_dialogue_document(struct req *, struct resp *);

void page_award(struct req *, struct resp *);
void page_assessor_add(struct req *, struct resp *);
void page_award_rules(struct req *, struct resp *);
void page_award_rules_put(struct req *, struct resp *);
void page_award_scoring(struct req *, struct resp *);
void page_award_assign(struct req *, struct resp *);
void page_award_score(struct req *, struct resp *);
void page_award_score_matrix(struct req *, struct resp *);
void page_award_hand_in(struct req *, struct resp *);
void page_award_consensus(struct req *, struct resp *);
void page_award_average(struct req *, struct resp *);
void page_award_exclude(struct req *, struct resp *);
void page_award_final(struct req *, struct resp *);
void page_award_ranking(struct req *, struct resp *);
void page_award_decide(struct req *, struct resp *);
void page_award_letter(struct req *, struct resp *);
void page_award_letter_pdf(struct req *, struct resp *);
void page_award_file_pdf(struct req *, struct resp *);
void page_award_xlsx(struct req *, struct resp *);
void page_objections(struct req *, struct resp *);
void page_objection_add(struct req *, struct resp *);
void page_objection_close(struct req *, struct resp *);
void page_award_definitive(struct req *, struct resp *);
void page_price_form(struct req *, struct resp *);
void page_price_submit(struct req *, struct resp *);
void page_price_open(struct req *, struct resp *);
void page_tender(struct req *, struct resp *);
void page_tender_document(struct req *, struct resp *);
void page_tender_documents(struct req *, struct resp *);
void page_tender_document_buyer(struct req *, struct resp *);
void page_tender_document_publish(struct req *, struct resp *);

const struct route kavel_routes[] = {
	/* method, path, access, body, faces, handler */
	{"GET", "/login", ACCESS_ANON, BODY_NONE, FACE_HTML, page_login},
	{"POST", "/login", ACCESS_ANON, BODY_FORM, FACE_BOTH, page_login_post},
	{"POST", "/logout", ACCESS_LOGIN, BODY_FORM, FACE_BOTH, page_logout},
	{"POST", "/lang", ACCESS_ANON, BODY_FORM, FACE_HTML, page_lang},
	{"POST", "/lang", ACCESS_LOGIN, BODY_JSON, FACE_API, page_lang},
	{"GET", "/", ACCESS_LOGIN, BODY_NONE, FACE_HTML, page_dashboard},
	/* what needs the account: page_dashboard.c, app/attention.h */
	{"GET", "/attention", ACCESS_LOGIN, BODY_NONE, FACE_BOTH, page_attention},
	{"GET", "/procedures/new", ACCESS_TENANT_BUYER, BODY_NONE, FACE_HTML, page_procedure_new},
	{"POST", "/procedures", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_procedure_create},
	{"GET", "/procedures/#", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_procedure},
	{"POST", "/procedures/#/stages/#/move", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_stage_move},
	{"POST", "/procedures/#/stages/#/complete", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_stage_complete},
	{"GET", "/procedures/#/lots", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_lots},
	{"POST", "/procedures/#/lots", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_lot_create},
	{"GET", "/procedures/#/candidates", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_candidates},
	{"POST", "/procedures/#/candidates", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_candidate_create},
	{"GET", "/procedures/#/decisions", ACCESS_PROC_INSIDE, BODY_NONE, FACE_BOTH, page_decisions},
	{"POST", "/procedures/#/decisions", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_decision_create},
	{"POST", "/procedures/#/conditions/#/resolve", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_condition_resolve},
	{"GET", "/procedures/#/audit", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_BOTH, page_audit},
	{"GET", "/calendar", ACCESS_LOGIN, BODY_NONE, FACE_BOTH, page_calendar},
	{"POST", "/calendar/equated", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_equated_add},
	{"GET", "/contracts", ACCESS_LOGIN, BODY_NONE, FACE_BOTH, page_contracts},
	{"GET", "/contracts/new", ACCESS_TENANT_BUYER, BODY_NONE, FACE_HTML, page_contract_new},
	{"POST", "/contracts", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_contract_create},
	{"GET", "/contracts/#", ACCESS_CONTRACT_READ, BODY_NONE, FACE_BOTH, page_contract},
	{"POST", "/contracts/#/terminate", ACCESS_CONTRACT_BUYER, BODY_FORM, FACE_BOTH, page_contract_terminate},
	{"POST", "/contracts/#/extend", ACCESS_CONTRACT_BUYER, BODY_FORM, FACE_BOTH, page_contract_extend},
	{"POST", "/contracts/#/index", ACCESS_CONTRACT_BUYER, BODY_FORM, FACE_BOTH, page_contract_index},
	{"GET", "/contracts/#/cost-model", ACCESS_CONTRACT_READ, BODY_NONE, FACE_BOTH, page_cost_model},
	{"POST", "/contracts/#/cost-model", ACCESS_CONTRACT_BUYER, BODY_FORM, FACE_HTML, page_cost_model_set},
	{"POST", "/contracts/#/cost-model", ACCESS_CONTRACT_BUYER, BODY_JSON, FACE_API, page_cost_model_set},
	{"POST", "/contracts/#/kpis", ACCESS_CONTRACT_BUYER, BODY_FORM, FACE_BOTH, page_contract_kpi},
	{"POST", "/contracts/#/measurements", ACCESS_CONTRACT_REPORT, BODY_FORM, FACE_BOTH, page_contract_measurements},
	{"POST", "/contracts/#/evaluations", ACCESS_CONTRACT_BUYER, BODY_FORM, FACE_BOTH, page_contract_evaluation},
	{"GET", "/budget", ACCESS_TENANT_READ, BODY_NONE, FACE_BOTH, page_budget},
	{"POST", "/budget/frames", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_frame_import},
	{"GET", "/budget/frames/#/xlsx", ACCESS_TENANT_READ, BODY_NONE, FACE_BOTH, page_frame_xlsx},
	{"POST", "/subsidies", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_subsidy_create},
	{"POST", "/subsidies/#/extend", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_subsidy_extend},
	{"POST", "/subsidies/#/terminate", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_subsidy_terminate},
	{"GET", "/history", ACCESS_TENANT_READ, BODY_NONE, FACE_BOTH, page_history},
	{"POST", "/history", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_history_add},
	{"GET", "/report", ACCESS_TENANT_READ, BODY_NONE, FACE_BOTH, page_report},
	{"GET", "/report/pdf", ACCESS_TENANT_READ, BODY_NONE, FACE_BOTH, page_report_pdf},
	{"POST", "/risks", ACCESS_TENANT_BUYER, BODY_FORM, FACE_BOTH, page_risk_add},
	{"GET", "/account/vault-key", ACCESS_LOGIN, BODY_NONE, FACE_HTML, page_vault_key},
	{"POST", "/account/vault-key", ACCESS_LOGIN, BODY_FORM, FACE_BOTH, page_vault_key_set},
	{"GET", "/procedures/#/vault", ACCESS_PROC_BUYER, BODY_NONE, FACE_BOTH, page_vault},
	{"POST", "/procedures/#/vault", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_vault_create},
	{"POST", "/procedures/#/vault/open", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_vault_open},
	{"POST", "/procedures/#/vault/limit", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_submission_max_set},
	{"GET", "/procedures/#/vault/record", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_BOTH, page_vault_record},
	{"GET", "/procedures/#/vault/record/pdf", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_BOTH, page_vault_record_pdf},
	/* A bid through the browser: multipart/form-data streamed into the
	 * upload action like the API's raw bytes (below; page_vault.c). */
	{"GET", "/procedures/#/lots/#/submit", ACCESS_PROC_BIDDER, BODY_NONE, FACE_HTML, page_submit},
	{"POST", "/procedures/#/lots/#/submit", ACCESS_PROC_BIDDER, BODY_STREAM, FACE_HTML, page_submit_upload},
	/* Receipts: the bidder of the bid's candidate and the buyers (checked
	 * by the handler). */
	{"GET", "/procedures/#/submissions/#/receipt", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_receipt},
	{"GET", "/procedures/#/submissions/#/receipt/pdf", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_receipt_pdf},
	{"POST", "/procedures/#/submissions/#/withdraw", ACCESS_PROC_BIDDER, BODY_FORM, FACE_BOTH, page_submission_withdraw},
	/* Bids of several documents: the buyer lists a lot's documents; the
	 * bidder's receipt of the whole bid (page_vault.c). */
	{"POST", "/procedures/#/lots/#/bid-documents", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_bid_document_add},
	{"POST", "/procedures/#/bid-documents/#/remove", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_bid_document_remove},
	{"GET", "/procedures/#/lots/#/bid", ACCESS_PROC_BIDDER, BODY_NONE, FACE_BOTH, page_bid_receipt},
	{"GET", "/procedures/#/submissions/#/document", ACCESS_PROC_INSIDE, BODY_NONE, FACE_BOTH | GET_WRITES, page_bid_document},
	{"GET", "/procedures/#/candidates/#/documents/#", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH | GET_WRITES, page_application_doc_read},
	/* Questions and answers: the page shows each role what it may see
	 * (page_qa.c); a nota exists only once published. */
	{"GET", "/procedures/#/questions", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_questions},
	{"POST", "/procedures/#/questions", ACCESS_PROC_BIDDER, BODY_FORM, FACE_BOTH, page_question_ask},
	{"POST", "/procedures/#/questions/deadline", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_question_deadline},
	{"POST", "/procedures/#/questions/#/answer", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_question_answer},
	{"POST", "/procedures/#/notas", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_nota_publish},
	{"GET", "/procedures/#/notas/#", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_nota},
	{"GET", "/procedures/#/notas/#/pdf", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_nota_pdf},
	/* Taking part: published procedures are public, and anyone may
	 * register interest in one (page_taking_part.c checks publication;
	 * an unpublished one answers 404).  The application's content is
	 * shown to each role as it may see it. */
	{"GET", "/tenders", ACCESS_ANON, BODY_NONE, FACE_BOTH, page_tenders},
	{"GET", "/tenders/#/register", ACCESS_ANON, BODY_NONE, FACE_HTML, page_tender_register_form},
	{"POST", "/tenders/#/register", ACCESS_ANON, BODY_FORM, FACE_BOTH, page_tender_register},
	/* Organisation accounts (page_orgs.c): the reader's own organisation
	 * only; a confirmation finds its candidate only among the consortia
	 * naming the reader's KvK number.  The invitation's link is public:
	 * its token is the key. */
	{"GET", "/organisation", ACCESS_LOGIN, BODY_NONE, FACE_BOTH, page_org},
	{"POST", "/organisation/invitations", ACCESS_LOGIN, BODY_FORM, FACE_BOTH, page_org_invite},
	{"POST", "/organisation/memberships/#/confirm", ACCESS_LOGIN, BODY_FORM, FACE_BOTH, page_member_confirm},
	{"GET", "/invitation", ACCESS_ANON, BODY_NONE, FACE_HTML, page_invitation},
	{"POST", "/invitation", ACCESS_ANON, BODY_FORM, FACE_BOTH, page_invitation_accept},
	{"GET", "/procedures/#/registrations", ACCESS_PROC_BUYER, BODY_NONE, FACE_BOTH, page_claims},
	{"POST", "/procedures/#/registrations/decide", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_claim_decide},
	{"POST", "/procedures/#/publish", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_procedure_publish},
	{"POST", "/procedures/#/selection-criteria", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_criterion_add},
	{"GET", "/procedures/#/application", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_application},
	{"POST", "/procedures/#/application", ACCESS_PROC_BIDDER, BODY_FORM, FACE_BOTH, page_application_save},
	/* An application document: the page's form is multipart, streamed
	 * (its CSRF field first) to a temporary file and into the database
	 * in pieces (page_taking_part.c, app_doc_upload_*); the API sends
	 * JSON with the content in base64. */
	{"POST", "/procedures/#/application/documents", ACCESS_PROC_BIDDER, BODY_STREAM, FACE_HTML, page_application_doc_upload},
	{"POST", "/procedures/#/application/documents", ACCESS_PROC_BIDDER, BODY_FILES, FACE_API, page_application_document},
	/* Staged selection: scores by the buyer and the assessors (the
	 * handler refuses council members), the ranking inside, each
	 * bidder's own result only once published. */
	{"GET", "/procedures/#/selection", ACCESS_PROC_INSIDE, BODY_NONE, FACE_BOTH, page_selection},
	{"POST", "/procedures/#/selection/scores", ACCESS_PROC_INSIDE, BODY_FORM, FACE_BOTH, page_selection_score},
	{"POST", "/procedures/#/selection/publish", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_selection_publish},
	{"GET", "/procedures/#/selection/result", ACCESS_PROC_BIDDER, BODY_NONE, FACE_BOTH, page_selection_result},
	/* Dialogue rounds: each role sees what dlg_view_of allows (a bidder
	 * its own candidate's material; council members the course, not the
	 * content; the handler refuses them a document with 403 and a bidder
	 * another candidate's with 404).  Plans and minutes may be sent as
	 * multipart/form-data (page_dialogue.c). */
	{"GET", "/procedures/#/dialogue", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_dialogue},
	{"POST", "/procedures/#/dialogue/rounds/#/deadline", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_dialogue_due},
	{"POST", "/procedures/#/dialogue/rounds/#/plan", ACCESS_PROC_BIDDER, BODY_FORM, FACE_BOTH, page_dialogue_plan},
	{"POST", "/procedures/#/dialogue/rounds/#/candidates/#/meeting", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_dialogue_meeting},
	{"POST", "/procedures/#/dialogue/rounds/#/candidates/#/minutes", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_dialogue_minutes},
	{"POST", "/procedures/#/dialogue/rounds/#/candidates/#/feedback", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_dialogue_feedback},
	{"POST", "/procedures/#/dialogue/rounds/#/candidates/#/feedback/publish", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_dialogue_feedback_publish},
	{"GET", "/procedures/#/dialogue/documents/#", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_dialogue_document},

	/* evaluation and award (page_award.c) */
	{"GET", "/procedures/#/lots/#/price", ACCESS_PROC_BIDDER, BODY_NONE, FACE_HTML, page_price_form},
	{"GET", "/procedures/#/award", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_award},
	{"POST", "/procedures/#/assessors", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_assessor_add},
	{"GET", "/procedures/#/lots/#/award/rules", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_award_rules},
	{"POST", "/procedures/#/lots/#/award/rules", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_rules_put},
	{"GET", "/procedures/#/lots/#/award/scoring", ACCESS_PROC_INSIDE, BODY_NONE, FACE_BOTH, page_award_scoring},
	{"POST", "/procedures/#/lots/#/award/assign", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_assign},
	{"POST", "/procedures/#/lots/#/award/scores", ACCESS_PROC_INSIDE, BODY_FORM, FACE_BOTH, page_award_score},
	{"POST", "/procedures/#/lots/#/award/scores/matrix", ACCESS_PROC_INSIDE, BODY_FORM, FACE_BOTH, page_award_score_matrix},
	{"POST", "/procedures/#/lots/#/award/hand-in", ACCESS_PROC_INSIDE, BODY_FORM, FACE_BOTH, page_award_hand_in},
	{"POST", "/procedures/#/lots/#/award/consensus", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_consensus},
	{"POST", "/procedures/#/lots/#/award/average", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_average},
	{"POST", "/procedures/#/lots/#/award/exclusions", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_exclude},
	{"POST", "/procedures/#/lots/#/award/final", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_final},
	{"GET", "/procedures/#/lots/#/award/ranking", ACCESS_PROC_INSIDE, BODY_NONE, FACE_BOTH, page_award_ranking},
	{"POST", "/procedures/#/lots/#/award/decision", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_decide},
	{"GET", "/procedures/#/lots/#/award/letter", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_award_letter},
	{"GET", "/procedures/#/lots/#/award/letter/pdf", ACCESS_PROC_READ, BODY_NONE, FACE_BOTH, page_award_letter_pdf},
	{"GET", "/procedures/#/lots/#/award/file/pdf", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_BOTH, page_award_file_pdf},
	{"GET", "/procedures/#/lots/#/award/xlsx", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_BOTH, page_award_xlsx},
	{"GET", "/procedures/#/lots/#/award/objections", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_BOTH, page_objections},
	{"POST", "/procedures/#/lots/#/award/objections", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_objection_add},
	{"POST", "/procedures/#/lots/#/award/objections/close", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_objection_close},
	{"POST", "/procedures/#/lots/#/award/definitive", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_award_definitive},
	{"POST", "/procedures/#/lots/#/price", ACCESS_PROC_BIDDER, BODY_FORM, FACE_BOTH, page_price_submit},
	{"POST", "/procedures/#/price-vault/open", ACCESS_PROC_BUYER, BODY_FORM, FACE_BOTH, page_price_open},
	/* The API only.  A bid's body is its raw bytes
	 * (application/octet-stream), streamed into the upload action. */
	{"GET", "/me", ACCESS_LOGIN, BODY_NONE, FACE_API, page_me},
	{"GET", "/procedures", ACCESS_LOGIN, BODY_NONE, FACE_API, page_dashboard},
	{"POST", "/procedures/#/candidates/#/accounts", ACCESS_PROC_BUYER, BODY_JSON, FACE_API, page_bidder_account_create},
	{"POST", "/procedures/#/lots/#/submissions", ACCESS_PROC_BIDDER, BODY_STREAM, FACE_API, page_submission_upload},
	/* The audit trail as CSV: what the filter matches, as the reader
	 * may see it (page_audit.c). */
	{"GET", "/procedures/#/audit/csv", ACCESS_PROC_OVERSIGHT, BODY_NONE, FACE_HTML, page_audit_csv},
	/* A tender's public page and its procurement documents, public once
	 * the procedure is published (page_tender.c answers 404 before); the
	 * buyer publishes the documents, each upload a new version, and reads
	 * them before publication too. */
	{"GET", "/tenders/#", ACCESS_ANON, BODY_NONE, FACE_BOTH | GET_WRITES, page_tender},
	{"GET", "/tenders/#/documents/#", ACCESS_ANON, BODY_NONE, FACE_BOTH, page_tender_document},
	{"GET", "/procedures/#/documents", ACCESS_PROC_BUYER, BODY_NONE, FACE_BOTH, page_tender_documents},
	{"POST", "/procedures/#/documents", ACCESS_PROC_BUYER, BODY_FILES, FACE_BOTH, page_tender_document_publish},
	{"GET", "/procedures/#/documents/#", ACCESS_PROC_BUYER, BODY_NONE, FACE_BOTH, page_tender_document_buyer},
};

const int kavel_n_routes = (int)(sizeof kavel_routes / sizeof *kavel_routes);
