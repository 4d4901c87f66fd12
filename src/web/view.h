/*
 * view.h - pieces shared by the pages and the API: the layout, forms'
 * error display, and the JSON form of every object.
 */
#ifndef KAVEL_VIEW_H
#define KAVEL_VIEW_H

#include "html.h"
#include "web.h"

/* JSON of core objects (new references). */
json_t *json_instant(arena *a, kv_instant t);   /* {"utc":..,"local":..} or null */
json_t *json_procedure(struct req *r, const struct procedure *p,
		       const struct decision *ds, int nd);
json_t *json_lot(const struct lot *l);
json_t *json_candidate(const struct candidate *c);
/* Parties (of a candidate or a contract) as the API writes them. */
json_t *json_parties(const struct party *ps, int n);
struct form_errors;
#define MAX_PARTIES 12   /* rows of a party form */
/* The party rows of a candidate's or a contract's form or API body
 * (parties_N_org_name, parties_N_kvk, parties_N_role; N from 1) into
 * *out and *n (in r->a); a form's blank rows are skipped.  A row without a
 * known role is refused into fe at its role field (the API's at
 * "parties_N") and kept with role 0. */
void form_parties(struct req *r, struct party **out, int *n, struct form_errors *fe);
json_t *json_decision(const struct decision *d);

/* The two buyers of an opening form (email_a, passphrase_a, email_b,
 * passphrase_b) and its confirmation box: KV_OK, or the refusal at the
 * box with both passphrases wiped (else the opening wipes them). */
enum kv_status opening_form(struct req *r, struct app_opener *a, struct app_opener *b,
			    struct kv_error *e);
/* The translation of labels[v] (msgids marked N_), "" for a value past
 * the table or without one: an enum's names as a table, not a switch. */
const char *label_of(const char *const *labels, size_t n, int v);
#define LABEL_OF(labels, v) label_of((labels), sizeof (labels) / sizeof *(labels), (int)(v))
/* The name of r->proc's municipality, "" when it cannot be read. */
const char *procedure_municipality(struct req *r);
/* A refusal with the given HTTP status and sentence (page or JSON). */
void refusal(struct req *r, struct resp *w, int status, enum kv_status st,
	     const char *msg);

/* HTML helpers. */
const char *fmt_when(struct req *r, kv_instant t);      /* "" when 0 */
/* "1 april 2022, 14:05:09": always the seconds (receipts); "" when 0. */
const char *fmt_when_sec(struct req *r, kv_instant t);
/* "1 april 2022, 09:00 – 15 april 2022, 17:00", "1 april 2022, 09:00–17:00". */
const char *fmt_period(struct req *r, kv_instant t1, kv_instant t2);
/* "3 dagen", "5 uur", "4 jaar" (cal_span_between), translated. */
const char *fmt_span(struct req *r, struct cal_span s);
/* "5,2 MB", "256 MB", "812 bytes": sizes of 1024, Dutch decimals. */
const char *fmt_bytes(struct req *r, int64_t n);
/* s percent-encoded for a URL's query (all but A-Z a-z 0-9 - . _ ~), in
 * the request's arena: the pagers' and filters' links. */
const char *url_pct(struct req *r, const char *s);
/* What kind of file a sniffed content type is, in words: "PDF-document",
 * "ZIP-archief", "Word-document" (a ZIP named .docx), never a MIME type. */
const char *fmt_file_type(struct req *r, const char *content_type, const char *file_name);
/* What a submission holds, as its list or receipt names it: the file's
 * name, or for the price envelope "uw prijsinschrijving" (its bidder) /
 * "prijsinschrijving" (the buyers), never the sealed document's name. */
const char *fmt_submission_file(struct req *r, const struct submission *s);
const char *fmt_eur(struct req *r, int64_t cents);
/* The decimal mark of the page's language: ',' in Dutch ("36,50 %", as
 * fmt_eur's "€ 1.234,56"), '.' in English.  Never for JSON, whose
 * numbers and texts keep the point. */
char view_decimal_mark(const struct req *r);
/* A number in hundredths for a page: "36" when whole, else "36,50"
 * (nl) or "36.50" (en); templates write the " %" after it.  Weights in
 * basis points of the whole are hundredths of a percent. */
const char *fmt_decimal(struct req *r, int64_t hundredths);
/* "2022-07-01T12:00" local, for a datetime-local input; "" when 0. */
const char *fmt_input_time(struct req *r, kv_instant t);
/* "penvoerder (lead party)", "member", "subcontractor", translated. */
const char *party_role_label(enum party_role role);
/* What a form did, said on the page it lands on.  A successful form's
 * handler redirects with resp_redirect_done: the address carries
 * ?done=CODE (before any #fragment), and layout_begin shows the sentence
 * of that code above the page (a notice with role=status).  Only the
 * codes of view.c's table are shown, never text from the address. */
enum done_code {
	DONE_NONE,
	DONE_STAGE_COMPLETED,
	DONE_STAGE_MOVED,
	DONE_PROCEDURE_CREATED,
	DONE_PROCEDURE_PUBLISHED,
	DONE_LOT_ADDED,
	DONE_CANDIDATE_ADDED,
	DONE_DECISION_ADDED,
	DONE_CONDITION_RESOLVED,
	DONE_SELECTION_PUBLISHED,
	DONE_SCORE_SAVED,
	DONE_NOTA_PUBLISHED,
	DONE_ANSWER_SAVED,
	DONE_DEADLINE_SET,
	DONE_SCORES_HANDED_IN,
	DONE_QUALITY_FINAL,
	DONE_AWARD_DECIDED,
	DONE_AWARD_DEFINITIVE,
	DONE_CONTRACT_CREATED,
	DONE_CONTRACT_TERMINATED,
	DONE_CONTRACT_EXTENDED,
	DONE_INDEX_SAVED,
	DONE_KPI_ADDED,
	DONE_MEASUREMENT_SAVED,
	DONE_MEASUREMENTS_IMPORTED,
	DONE_EVALUATION_SAVED,
	DONE_FRAME_IMPORTED,
	DONE_SUBSIDY_RECORDED,
	DONE_SUBSIDY_EXTENDED,
	DONE_SUBSIDY_ENDED,
	DONE_HISTORY_ADDED,
	DONE_FEEDBACK_PUBLISHED,
	DONE_CRITERION_ADDED,
	DONE_APPLICATION_SAVED,
	DONE_PRICES_OPENED,
	DONE_CLAIM_DECIDED,
	DONE_SCORES_SAVED,
	DONE_N
};
/* The API's answer to a create form: fe's first refusal, or 201 with
 * made (stolen; the caller makes it only when fe is empty, else NULL). */
void resp_created(struct req *r, struct resp *w, const struct form_errors *fe, json_t *made);
/* A 303 to `to` with ?done=CODE (or &done=CODE) before its #fragment. */
void resp_redirect_done(struct req *r, struct resp *w, const char *to,
			enum done_code code);
/* Hidden CSRF input. */
const char *csrf_input(struct req *r);
/* The token csrf_input carries: the session's, or the anonymous
 * double-submit cookie's. */
const char *csrf_token(const struct req *r);
/* The value a form field had (to refill it after an error), or dflt. */
const char *refill(struct req *r, const char *key, const char *dflt);
void procedure_nav(struct req *r, struct resp *w, const char *active);
/* The municipality whose tenant-wide pages the account sees: its first
 * tenant-wide buyer (or, unless buyer_only, council) grant; 0 if none. */
int64_t tenant_of(const struct req *r, bool buyer_only);

/*
 * kpi_trend_svg (svg.c) - an SVG line chart (width x height px) of the
 * measurements of one KPI in one area, in period order, with the target
 * as a dashed line.  Every text in it is XML-escaped.  In the arena.
 */
html_t kpi_trend_svg(arena *a, const struct kpi *k,
		     const struct measurement *m, int n, const char *area,
		     int width, int height);

#endif
