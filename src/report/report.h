/*
 * report.h - documents Kavel produces: the council's progress report
 * (raadsinformatiebrief) as PDF (cairo + pango) and the budget frame as
 * XLSX (libxlsxwriter).  The web layer builds a struct council_report from
 * the store and renders it as a page itself; this module only writes the
 * files.  Both write into memory in the caller's arena.
 */
#ifndef KAVEL_REPORT_H
#define KAVEL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/steering.h"

struct report_procedure {
	const char *reference, *title;
	const char *type_label;
	const char *current_stage;   /* "Beoordeling en selectie" or "" */
	const char *next_stage;      /* or "" */
	const char *next_when;       /* local time text or "" */
	int64_t days_left;           /* -1 unknown */
	const char *blocked;         /* a pending condition, or NULL */
};

struct report_contract {
	const char *reference, *title;
	const char *penvoerder;
	const char *status_label;
	const char *term;            /* "1 juli 2022 – 1 januari 2030" */
	int year;                    /* the report's year */
	int64_t budget_cents;        /* that year's indexed budget, -1 unknown */
	const char *next_evaluation; /* "1 juli 2025 (na jaar 3)" or "" */
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

/* Releases the font caches cairo, pango and fontconfig keep for the life
 * of the process, so a clean shutdown leaks nothing.  Once, at exit, after
 * every thread that renders has stopped. */
void report_shutdown(void);

#endif
