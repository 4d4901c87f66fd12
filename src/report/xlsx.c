/*
 * xlsx.c - the budget frame as an XLSX workbook (libxlsxwriter), for the
 * municipality's controllers who want the figures in a spreadsheet: one
 * sheet named after the frame, a title row, a header row (category and
 * years), one row per category with amounts in euros as numbers under a
 * euro number format, taakstelling rows in italics and marked in an extra
 * column, empty cells where the frame has no figure, and a totals row of
 * SUM formulas that carry the computed totals as their cached results.
 *
 * The workbook goes through an anonymous memory file into the caller's
 * arena (xlsxdoc.c).
 */
#include "report/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <xlsxwriter.h>

#include "xlsxdoc.h"

/* Sheet layout: the rows and columns the formulas refer to. */
#define ROW_TITLE 0
#define ROW_SOURCE 1
#define ROW_HEADER 2
#define ROW_FIRST 3
#define COL_CATEGORY 0
#define COL_FIRST_YEAR 1

/*
 * The sheet's name: the frame's title without the characters Excel
 * forbids ([]:*?/\), runs of spaces as one, at most 31 characters, not
 * beginning or ending with an apostrophe, not "History" (reserved by
 * Excel); a fixed name when nothing is left.
 */
static const char *sheet_name(arena *a, const char *title)
{
	const char *t = xlsx_clean(a, title, 256);
	char *o = arena_alloc(a, 31 * 4 + 1);
	size_t w = 0;
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)t;
	     *p && chars < 31;) {
		size_t len = 1;
		if (*p >= 0xf0)
			len = 4;
		else if (*p >= 0xe0)
			len = 3;
		else if (*p >= 0xc0)
			len = 2;
		if (len == 1 && (*p == ' ' || strchr("[]:*?/\\", *p))) {
			if (w && o[w - 1] != ' ') {   /* one for a run */
				o[w++] = ' ';
				chars++;
			}
		} else {
			memcpy(o + w, p, len);
			w += len;
			chars++;
		}
		p += len;
	}
	o[w] = 0;
	/* Trim spaces and apostrophes at both ends. */
	char *b = o;
	while (*b == ' ' || *b == '\'')
		b++;
	size_t n = strlen(b);
	while (n && (b[n - 1] == ' ' || b[n - 1] == '\''))
		b[--n] = 0;
	if (!*b || strcasecmp(b, "History") == 0)
		return _("Budget frame");
	return b;
}

/* Writes the frame into wb; returns the first error. */
static lxw_error write_sheet(arena *a, lxw_workbook *wb,
			     const struct budget_frame *f)
{
	lxw_error err = LXW_NO_ERROR;
	const char *title = xlsx_clean(a, f->title, 255);
	const char *name = sheet_name(a, f->title);
	if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR)
		name = _("Budget frame");
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	if (!ws)
		return LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED;

	/* "€ 1.234,56" with the reader's separators; negative with a minus. */
	const char *money = "\"\xe2\x82\xac\" #,##0.00;\"\xe2\x82\xac\" -#,##0.00";

	lxw_format *f_title = workbook_add_format(wb);
	format_set_bold(f_title);
	format_set_font_size(f_title, 14);
	lxw_format *f_source = workbook_add_format(wb);
	format_set_italic(f_source);
	format_set_font_color(f_source, 0x595959);
	lxw_format *f_head = workbook_add_format(wb);
	format_set_bold(f_head);
	format_set_bottom(f_head, LXW_BORDER_THIN);
	format_set_bg_color(f_head, 0xE7E6E6);
	lxw_format *f_head_num = workbook_add_format(wb);
	format_set_bold(f_head_num);
	format_set_bottom(f_head_num, LXW_BORDER_THIN);
	format_set_bg_color(f_head_num, 0xE7E6E6);
	format_set_align(f_head_num, LXW_ALIGN_RIGHT);
	lxw_format *f_text = workbook_add_format(wb);
	lxw_format *f_num = workbook_add_format(wb);
	format_set_num_format(f_num, money);
	lxw_format *f_text_it = workbook_add_format(wb);
	format_set_italic(f_text_it);
	lxw_format *f_num_it = workbook_add_format(wb);
	format_set_num_format(f_num_it, money);
	format_set_italic(f_num_it);
	lxw_format *f_total = workbook_add_format(wb);
	format_set_bold(f_total);
	format_set_top(f_total, LXW_BORDER_THIN);
	lxw_format *f_total_num = workbook_add_format(wb);
	format_set_bold(f_total_num);
	format_set_top(f_total_num, LXW_BORDER_THIN);
	format_set_num_format(f_total_num, money);

	lxw_col_t col_mark = (lxw_col_t)(COL_FIRST_YEAR + f->n_years);

	xlsx_keep(&err, worksheet_write_string(ws, ROW_TITLE, COL_CATEGORY,
					       title, f_title));
	if (f->source && *f->source) {
		const char *src = xlsx_clean(a, f->source, 1000);
		xlsx_keep(&err,
			  worksheet_write_string(
			      ws, ROW_SOURCE, COL_CATEGORY,
			      arena_printf(a, _("Source: %s"), src), f_source));
	}

	/* Header: category, the years, the taakstelling mark. */
	xlsx_keep(&err, worksheet_write_string(ws, ROW_HEADER, COL_CATEGORY,
					       _("Category"), f_head));
	for (int y = 0; y < f->n_years; y++)
		xlsx_keep(&err,
			  worksheet_write_number(
			      ws, ROW_HEADER, (lxw_col_t)(COL_FIRST_YEAR + y),
			      f->first_year + y, f_head_num));
	xlsx_keep(&err, worksheet_write_string(ws, ROW_HEADER, col_mark,
					       _("Savings target"), f_head));

	/* One row per category. */
	size_t widest = 12;
	for (int i = 0; i < f->n_rows; i++) {
		const struct frame_row *fr = &f->rows[i];
		lxw_row_t row = (lxw_row_t)(ROW_FIRST + i);
		const char *cat =
		    xlsx_clean(a, fr->category, XLSX_CELL_MAX_BYTES);
		if (strlen(cat) > widest)
			widest = strlen(cat);
		xlsx_keep(&err, worksheet_write_string(
				    ws, row, COL_CATEGORY, cat,
				    fr->taakstelling ? f_text_it : f_text));
		for (int y = 0; y < f->n_years; y++) {
			if (!fr->has[y])
				continue;   /* an empty cell, not a zero */
			xlsx_keep(&err,
				  worksheet_write_number(
				      ws, row, (lxw_col_t)(COL_FIRST_YEAR + y),
				      (double)fr->cents[y] / 100.0,
				      fr->taakstelling ? f_num_it : f_num));
		}
		if (fr->taakstelling)
			xlsx_keep(&err,
				  worksheet_write_string(ws, row, col_mark,
							 _("yes"), f_text_it));
	}

	/* Totals: a SUM per year column, the computed total as its cached
	 * value so that readers which do not recalculate show it too. */
	int64_t totals[FRAME_MAX_YEARS];
	frame_totals(f, totals);   /* core/frame.c: saturating sums */
	lxw_row_t row_total = (lxw_row_t)(ROW_FIRST + f->n_rows);
	xlsx_keep(&err, worksheet_write_string(ws, row_total, COL_CATEGORY,
					       _("Total"), f_total));
	for (int y = 0; y < f->n_years; y++) {
		lxw_col_t col = (lxw_col_t)(COL_FIRST_YEAR + y);
		double cached = (double)totals[y] / 100.0;
		char formula[64];
		if (f->n_rows > 0) {
			char range[32];
			lxw_rowcol_to_range(range, ROW_FIRST, col,
					    row_total - 1, col);
			snprintf(formula, sizeof formula, "=SUM(%s)", range);
		} else {
			snprintf(formula, sizeof formula, "=0");
		}
		xlsx_keep(&err, worksheet_write_formula_num(
				    ws, row_total, col, formula, f_total_num,
				    cached));
	}
	xlsx_keep(&err,
		  worksheet_write_blank(ws, row_total, col_mark, f_total));

	if (widest > 60)
		widest = 60;
	xlsx_keep(&err, worksheet_set_column(ws, COL_CATEGORY, COL_CATEGORY,
					     (double)widest + 2, NULL));
	xlsx_keep(&err, worksheet_set_column(ws, COL_FIRST_YEAR, col_mark - 1,
					     16, NULL));
	xlsx_keep(&err, worksheet_set_column(ws, col_mark, col_mark, 16, NULL));
	worksheet_freeze_panes(ws, ROW_FIRST, COL_FIRST_YEAR);

	lxw_doc_properties props = {0};
	props.title = (char *)title;
	props.subject = (char *)_("Budget frame");
	props.comments =
	    (char *)(f->source ? xlsx_clean(a, f->source, 1000) : "");
	xlsx_keep(&err, workbook_set_properties(wb, &props));
	return err;
}

static lxw_error fill_frame(arena *a, lxw_workbook *wb, const void *ctx)
{
	return write_sheet(a, wb, ctx);
}

enum kv_status report_frame_xlsx(arena *a, const struct budget_frame *f,
				 unsigned char **xlsx, size_t *len,
				 struct kv_error *e)
{
	if (!a || !f || !xlsx || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no budget frame to write."));
	*xlsx = NULL;
	*len = 0;
	if (f->n_years < 1 || f->n_years > FRAME_MAX_YEARS)
		return kv_fail(e, KV_INVALID, "n_years",
			       _("A budget frame needs 1 to %d years; this one "
				 "has %d."),
			       FRAME_MAX_YEARS, f->n_years);
	if (f->first_year < 1900 || f->first_year > 9999 - FRAME_MAX_YEARS)
		return kv_fail(e, KV_INVALID, "first_year",
			       _("The first year of the budget frame (%d) is "
				 "not a plausible year."),
			       f->first_year);
	if (f->n_rows < 0 || (f->n_rows > 0 && !f->rows) ||
	    f->n_rows > 100000)
		return kv_fail(e, KV_INVALID, "rows",
			       _("The budget frame's rows are missing or too "
				 "many."));

	return xlsx_render(a, "kavel-frame", fill_frame, f, xlsx, len, e);
}
