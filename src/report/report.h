/*
 * report.h - documents Kavel produces: the council's progress report
 * (raadsinformatiebrief) as PDF (cairo + pango) and the budget frame as
 * XLSX (libxlsxwriter).  The web layer builds a struct council_report from
 * the store and renders it as a page itself; this module only writes the
 * files.  Both write into memory in the caller's arena.
 */
#ifndef KAVEL_REPORT_H
#define KAVEL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/steering.h"

/* One point of a procedure's attention column: what the attention list
 * says of it to a council member, in a few words ("Contractering: 12
 * dagen te laat"). */
struct report_attention {
	const char *kind;            /* att_kind_code: "late", "deadline", "condition" */
	const char *text;            /* translated */
	int64_t days;                /* "deadline": days left, "late": days late; else 0 */
};

struct report_procedure {
	const char *reference, *title;
	const char *type_label;
	/* Now and next by the clock, as the timeline reads them: the stages
	 * running now ("" when none runs; "completed" when every stage is),
	 * the first stage starting after now and when. */
	const char *current_stage;
	const char *next_stage;      /* or "" */
	const char *next_when;       /* local time text or "" */
	int64_t days_left;           /* until the running stage ends, -1 none */
	const char *blocked;         /* a pending condition, or NULL */
	const struct report_attention *attention;  /* in the attention list's order */
	int n_attention;
	int64_t id;                  /* the procedure's page: /procedures/{id} */
};

struct report_contract {
	const char *reference, *title;
	const char *penvoerder;
	const char *status_label;
	const char *term;            /* "1 juli 2022 – 1 januari 2030" */
	int year;                    /* the report's year */
	int64_t budget_cents;        /* that year's indexed budget, -1 unknown */
	const char *next_evaluation; /* "1 juli 2025 (na jaar 3)" or "" */
	int64_t id;                  /* the contract's page: /contracts/{id} */
};

struct report_kpi {
	const char *contract_reference;
	const char *name, *unit;
	const char *period;          /* latest period with a value */
	const char *value;           /* formatted */
	const char *target;          /* formatted, or "" */
	int on_target;               /* 1, 0, -1 no target */
};

struct report_frame {
	const char *title;
	int first_year, n_years;
	int64_t totals[FRAME_MAX_YEARS];
	const char *const *warnings; /* sentences */
	int n_warnings;
};

struct council_report {
	const char *municipality;    /* "Gemeente Haarlem" */
	const char *title;           /* "Voortgang inkoop en sturing sociaal domein" */
	const char *date_text;       /* "23 november 2026" */
	const char *intro;           /* a sentence or two, may be "" */
	struct report_procedure *procedures;
	int n_procedures;
	struct report_contract *contracts;
	int n_contracts;
	struct report_kpi *kpis;
	int n_kpis;
	struct report_frame *frames;
	int n_frames;
	const struct risk *risks;
	int n_risks;
};

/* A4 PDF of the report, headings and labels in the calling thread's
 * language (gettext).  *pdf is in the arena. */
enum kv_status report_council_pdf(arena *a, const struct council_report *r,
				  unsigned char **pdf, size_t *len,
				  struct kv_error *e);

/* The budget frame as an XLSX workbook: one sheet, categories by years,
 * taakstelling rows marked, a totals row with SUM formulas, amounts as
 * numbers in euros with a euro number format.  *xlsx is in the arena. */
enum kv_status report_frame_xlsx(arena *a, const struct budget_frame *f,
				 unsigned char **xlsx, size_t *len,
				 struct kv_error *e);

/* A published nota van inlichtingen: numbered questions with their lot
 * (or "general") and answer.  It carries nothing about who asked. */
struct nota_item {
	const char *lot;             /* "Perceel 2: Jongerenwerk", or the
					word for a general question */
	const char *question, *answer;   /* several lines allowed */
};

struct nota_doc {
	const char *municipality;    /* "Gemeente Dordrecht" */
	const char *reference, *title;   /* of the procedure */
	int number;                  /* 1.. */
	const char *published_text;  /* local time of publication */
	const struct nota_item *items;
	int n_items;
};

/* A4 PDF of the nota (src/report/nota.c), labels in the calling thread's
 * language.  *pdf is in the arena. */
enum kv_status report_nota_pdf(arena *a, const struct nota_doc *n,
			       unsigned char **pdf, size_t *len,
			       struct kv_error *e);

/* A bid's receipt, or the record of a vault's opening: a title block,
 * then sections of label/value rows (values may be long hashes; they
 * wrap).  The web layer fills it; nothing secret goes in. */
struct receipt_row {
	const char *label, *value;
};

struct receipt_section {
	const char *heading;         /* or "" */
	const struct receipt_row *rows;
	int n_rows;
};

struct receipt_doc {
	const char *municipality;    /* "Gemeente Dordrecht" */
	const char *title;           /* "Receipt of a sealed bid" */
	const char *subtitle;        /* the procedure: "reference · title" */
	const char *intro;           /* a sentence, or "" */
	const struct receipt_section *sections;
	int n_sections;
};

/* A4 PDF of a receipt or opening record (src/report/receipt.c), labels
 * as given (the caller translates).  *pdf is in the arena. */
enum kv_status report_receipt_pdf(arena *a, const struct receipt_doc *r,
				  unsigned char **pdf, size_t *len,
				  struct kv_error *e);

/* --- the award of one lot (src/report/award_docs.c) ----------------------
 *
 * Everything the award letters, the award file and the scoring matrix
 * show, filled by the web layer from the stored decision; the report code
 * only lays it out.  Texts are already in the reader's language (the web
 * layer translates); amounts are EUR cents, weights and scale values
 * basis points, scores ppm of full marks (see core/award.h). */

/* One criterion of the lot's tree, in tree order (parents first). */
struct award_doc_criterion {
	const char *key, *name;
	int depth;                   /* 0 top level */
	int weight_bp;               /* share of its parent */
	int64_t weight_total_bp;     /* share of the whole award, rounded */
	bool leaf, knock_out;
	const char *rubric;          /* the scale with each step's meaning,
					one line per step; "" for nodes */
};

/* A bid's consensus result on one criterion (same order as criteria). */
struct award_doc_score {
	const char *step;            /* "60 % - voldoende"; "" for nodes */
	int64_t score_ppm;           /* the criterion's score */
	const char *motivation;      /* the consensus motivation; "" nodes */
};

struct award_doc_bid {
	const char *name;            /* the candidate (penvoerder's name for
					a consortium) */
	bool valid;
	const char *invalid_reason;  /* "" when valid */
	int rank;                    /* 1 = best; 0 invalid */
	bool has_price;
	int64_t price_cents;
	int64_t quality_ppm, price_ppm, total_ppm;
	int64_t fictive_cents, ratio_cents;
	const char *result;          /* the method's figure as text, e.g.
					"total 81.25 points" */
	struct award_doc_score *scores;   /* n_criteria entries */
};

/* One assessor's individual score (the matrix and the award file). */
struct award_doc_individual {
	const char *assessor;
	int bid;                     /* index into bids */
	int criterion;               /* index into criteria */
	const char *step;
	const char *motivation;
};

struct award_doc_sensitivity {
	const char *name;            /* criterion, or "Price" */
	int weight_bp;
	const char *up, *down;       /* sentences: how far and who wins */
};

struct award_doc {
	const char *municipality;    /* "Gemeente Dordrecht" */
	const char *reference, *procedure_title;
	int lot_number;
	const char *lot_title;
	int decision_number;         /* 1.., a corrected decision > 1 */
	const char *method;          /* the method's label */
	const char *formula;         /* award_method_formula */
	const char *tie_rule;
	const struct award_doc_criterion *criteria;
	int n_criteria;
	const struct award_doc_bid *bids;   /* in ranking order: valid bids
					       best first, then invalid */
	int n_bids;
	int winner;                  /* index into bids, -1 none */
	const char *winner_summary;  /* the buyer's description of the
					winning bid's characteristics */
	const struct award_doc_individual *individual;
	int n_individual;
	const char *sent_at;         /* local time of sending, text */
	const char *standstill_end;  /* local end of the standstill, text */
	const char *standstill_rule; /* the rule and source of that date */
	const char *objection;       /* how to object: where, until when */
	const char *corrected_reason;/* "" unless a corrected decision */
	/* robustness (the award file only) */
	const struct award_doc_sensitivity *sensitivity;
	int n_sensitivity;
	const char *const *reversal; /* sentences, one per removed bid */
	int n_reversal;
	const char *monte_carlo;     /* a sentence with the chance and its
					interval, or "" */
};

/* The award letter to bids[bid] (A4 PDF, cairo and pango), art. 2.130
 * Aanbestedingswet 2012: the decision for that bidder, the reasons, its
 * own and the winner's score per criterion with their motivations (no
 * other bidder's), the winning bid's characteristics and relative
 * advantages (the criteria on which it scored higher, with the winner's
 * motivation, and winner_summary), the winner's name, the end of the
 * standstill period with its rule, and how to object.  The winner's own
 * letter says it is the intended winner.  *pdf is in the arena. */
enum kv_status report_award_letter_pdf(arena *a, const struct award_doc *d,
				       int bid, unsigned char **pdf,
				       size_t *len, struct kv_error *e);

/* The complete award file (A4 PDF): the lot, method and formula, tie
 * rule, criteria with weights and rubrics, the ranking, every bid's
 * consensus scores with motivations, the individual scores, the
 * robustness, and every letter's content.  *pdf is in the arena. */
enum kv_status report_award_file_pdf(arena *a, const struct award_doc *d,
				     unsigned char **pdf, size_t *len,
				     struct kv_error *e);

/* The scoring matrix as XLSX: a sheet "Consensus" (bids by criteria,
 * step and score, motivations as comments or a column), a sheet
 * "Individual" (assessor, bid, criterion, step, motivation) and a sheet
 * "Ranking" (rank, bid, price, quality, total / figure, valid or the
 * reason).  Numbers as numbers.  *xlsx is in the arena. */
enum kv_status report_award_xlsx(arena *a, const struct award_doc *d,
				 unsigned char **xlsx, size_t *len,
				 struct kv_error *e);

/* Releases the font caches cairo, pango and fontconfig keep for the life
 * of the process, so a clean shutdown leaks nothing.  Once, at exit, after
 * every thread that renders has stopped. */
void report_shutdown(void);

#endif
