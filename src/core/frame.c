/*
 * frame.c - the multi-year budget frame (the "Beschikbare budgetten" table
 * of a council decision): its totals, its import from CSV and the check of
 * commitments against it; and steering_csv_read, the CSV reader (libcsv)
 * the frame and the KPI measurements share.
 *
 * A frame is categories by consecutive years, plus taakstellingen (cut
 * targets, negative amounts).  The import is all or nothing: any bad line
 * refuses the whole file, naming the line ("line N", 1-based, the header
 * being line 1 of a file without blank lines before it), the column and
 * the reason, and `out` is left as it was.
 *
 * Amounts are whole cents (int64_t).  In a k-euro table (`thousands`)
 * "5.678" is 5.678 thousand euros: the dot separates thousands, as in
 * Dutch, so eur_parse reads 5678 and that is multiplied by 1000.  Only a
 * taakstelling may be negative ("-5.164", also with the minus sign U+2212
 * or an en dash U+2013 as PDFs have them), and it may not be positive.  At
 * most FRAME_MAX_ROWS categories of at most EUR 10^13 each, so sums stay
 * far inside int64_t.
 *
 * On success *out is filled whole (never read, so it may come
 * uninitialised): the header's first cell as title (NULL when empty), id,
 * tenant and source zero; the caller sets those it knows.  A
 * "Totaal" (or "Total") line is only checked, not stored; an empty cell in
 * it is not checked.  Commitments in years outside the frame are not
 * compared by frame_check: the frame says nothing about those years.
 *
 * Plain C, no I/O; results in the caller's arena.  libcsv allocates its
 * own small field buffer with malloc and csv_free releases it before
 * returning.
 */
#include "steering.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

#define FRAME_MAX_ROWS 200
#define CATEGORY_MAX 200
#define MAX_CENTS 1000000000000000LL
#define CSV_MAX_BYTES (4u << 20)
#define CSV_MAX_CELLS 64

/* --- the CSV reader -------------------------------------------------------- */

struct reader {
	arena *a;
	int line;               /* line of the byte being fed, 1-based */
	bool in_row;            /* a row has begun and not yet ended */
	int row_line;           /* the line the current row began on */
	char **cells;
	int n_cells, cap_cells;
	struct steering_csv_row *rows;
	int n_rows, cap_rows, max_rows;
	int too_wide_line;      /* a row with too many cells, 0 none */
	bool too_many_rows;
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->too_wide_line || r->too_many_rows)
		return;
	if (r->n_cells == CSV_MAX_CELLS) {
		r->too_wide_line = r->row_line;
		return;
	}
	if (r->n_cells == r->cap_cells) {
		int cap = r->cap_cells ? r->cap_cells * 2 : 8;
		char **c = arena_alloc(r->a, (size_t)cap * sizeof *c);
		if (r->n_cells)
			memcpy(c, r->cells, (size_t)r->n_cells * sizeof *c);
		r->cells = c;
		r->cap_cells = cap;
	}
	char *cell = s ? arena_strndup(r->a, s, len) : arena_strdup(r->a, "");
	r->cells[r->n_cells++] = text_trim(cell);
}

static void on_row(int c, void *data)
{
	(void)c;
	struct reader *r = data;
	bool blank = true;
	for (int i = 0; i < r->n_cells; i++)
		if (r->cells[i][0])
			blank = false;
	if (!blank && !r->too_wide_line && !r->too_many_rows) {
		if (r->n_rows == r->max_rows) {
			r->too_many_rows = true;
		} else {
			if (r->n_rows == r->cap_rows) {
				int cap = r->cap_rows ? r->cap_rows * 2 : 16;
				struct steering_csv_row *n = arena_alloc(
				    r->a, (size_t)cap * sizeof *n);
				if (r->n_rows)
					memcpy(n, r->rows,
					       (size_t)r->n_rows * sizeof *n);
				r->rows = n;
				r->cap_rows = cap;
			}
			r->rows[r->n_rows++] = (struct steering_csv_row){
			    .line = r->row_line,
			    .n_cells = r->n_cells,
			    .cells = r->cells,
			};
		}
	}
	/* Each row keeps its own array of cells. */
	r->cells = NULL;
	r->n_cells = r->cap_cells = 0;
	r->in_row = false;
}

enum kv_status steering_csv_read(arena *a, const char *data, size_t len,
				 int max_rows, struct steering_csv *out,
				 struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (!data)
		len = 0;
	if (len > CSV_MAX_BYTES)
		return kv_fail(e, KV_INVALID, "",
			       _("The file is %zu bytes; Kavel reads CSV files "
				 "of at most %u bytes (4 MiB)."), len,
			       CSV_MAX_BYTES);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	const char *nul = len ? memchr(data, 0, len) : NULL;
	if (nul) {
		int line = 1;
		for (const char *p = data; p < nul; p++)
			line += *p == '\n';
		char field[24];
		snprintf(field, sizeof field, "line %d", line);
		return kv_fail(e, KV_INVALID, field,
			       _("The file contains a NUL byte; it is not a "
				 "text (CSV) file. Save it from the "
				 "spreadsheet as CSV."));
	}

	/* The separator: ';' when the first line that is not blank (the
	 * header) has one, else ','. */
	char sep = ',';
	size_t h = 0;
	while (h < len && (data[h] == ' ' || data[h] == '\t' ||
			   data[h] == '\r' || data[h] == '\n'))
		h++;
	for (size_t i = h; i < len && data[i] != '\n'; i++)
		if (data[i] == ';') {
			sep = ';';
			break;
		}

	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return kv_fail(e, KV_IO, "", _("The CSV reader could not "
					       "start."));
	csv_set_delim(&p, (unsigned char)sep);

	struct reader r = {.a = a, .line = 1, .max_rows = max_rows};
	int bad_line = 0;
	/* Byte by byte, so that each row knows the line it begins on even
	 * when a quoted cell spans lines. */
	for (size_t i = 0; i < len && !r.too_wide_line && !r.too_many_rows;
	     i++) {
		char c = data[i];
		if (!r.in_row && c != ' ' && c != '\t' && c != '\r' &&
		    c != '\n') {
			r.in_row = true;
			r.row_line = r.line;
		}
		if (csv_parse(&p, data + i, 1, on_field, on_row, &r) != 1) {
			bad_line = r.line;
			break;
		}
		if (c == '\n' || (c == '\r' && (i + 1 == len ||
						data[i + 1] != '\n')))
			r.line++;
	}
	if (!bad_line && !r.too_wide_line && !r.too_many_rows &&
	    csv_fini(&p, on_field, on_row, &r) != 0)
		bad_line = r.in_row ? r.row_line : r.line;
	csv_free(&p);

	char field[24];
	if (bad_line) {
		snprintf(field, sizeof field, "line %d", bad_line);
		return kv_fail(e, KV_INVALID, field,
			       _("The quotes on this line do not match: a "
				 "cell that starts with a quote (\") ends with "
				 "one, and a quote inside it is written "
				 "twice (\"\")."));
	}
	if (r.too_wide_line) {
		snprintf(field, sizeof field, "line %d", r.too_wide_line);
		return kv_fail(e, KV_INVALID, field,
			       _("This line has more than %d cells; is the "
				 "separator right (a comma or a "
				 "semicolon)?"), CSV_MAX_CELLS);
	}
	if (r.too_many_rows) {
		snprintf(field, sizeof field, "line %d", r.line);
		return kv_fail(e, KV_INVALID, field,
			       _("The file has more than %d lines with "
				 "content; split it into smaller files."),
			       max_rows);
	}
	out->sep = sep;
	out->rows = r.rows;
	out->n_rows = r.n_rows;
	return KV_OK;
}

/* --- totals ------------------------------------------------------------- */

static int64_t add_sat(int64_t x, int64_t y)
{
	int64_t s;
	if (__builtin_add_overflow(x, y, &s))
		return y > 0 ? INT64_MAX : INT64_MIN;
	return s;
}

void frame_totals(const struct budget_frame *f, int64_t *totals)
{
	int ny = f->n_years < 0 ? 0 :
	    f->n_years > FRAME_MAX_YEARS ? FRAME_MAX_YEARS : f->n_years;
	for (int y = 0; y < ny; y++) {
		totals[y] = 0;
		for (int i = 0; i < f->n_rows; i++)
			if (f->rows[i].has[y])
				totals[y] = add_sat(totals[y],
						    f->rows[i].cents[y]);
	}
}

/* --- the import ------------------------------------------------------------ */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool eq_ci(const char *x, const char *y)
{
	for (; *x && *y; x++, y++)
		if (lower((unsigned char)*x) != lower((unsigned char)*y))
			return false;
	return *x == *y;
}

static bool prefix_ci(const char *s, const char *pre)
{
	for (; *pre; s++, pre++)
		if (!*s || lower((unsigned char)*s) != lower((unsigned char)*pre))
			return false;
	return true;
}

/* A year cell: four digits, 1900..2200; else 0. */
static int year_cell(const char *s)
{
	if (strlen(s) != 4)
		return 0;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		y = y * 10 + (s[i] - '0');
	}
	return y >= 1900 && y <= 2200 ? y : 0;
}

/* One amount cell into cents; "" leaves *has false.  A leading minus
 * ('-', U+2212 or U+2013) makes it negative. */
static enum kv_status frame_amount(const char *s, bool thousands,
				   int64_t *cents, bool *has,
				   struct kv_error *e)
{
	*has = false;
	*cents = 0;
	if (!*s)
		return KV_OK;
	bool neg = false;
	if (s[0] == '-') {
		neg = true;
		s++;
	} else if (memcmp(s, "\xe2\x88\x92", 3) == 0 ||
		   memcmp(s, "\xe2\x80\x93", 3) == 0) {
		neg = true;
		s += 3;
	}
	int64_t v;
	enum kv_status st = eur_parse(s, &v, "", e);
	if (st != KV_OK)
		return st;
	if (thousands) {
		char q[KV_QUOTE_MAX];
		if (v > MAX_CENTS / 1000)
			return kv_fail(e, KV_INVALID, "",
				       _("The amount \"%s\" thousand is "
					 "larger than Kavel accepts (at most "
					 "10.000.000.000.000,00 euro)."),
				       kv_quote(s, q));
		v *= 1000;
	}
	*cents = neg ? -v : v;
	*has = true;
	return KV_OK;
}

/* "1", "ja", "yes", "true" / "", "0", "nee", "no", "false". */
static int flag_value(const char *s)
{
	static const char *const yes[] = {"1", "ja", "j", "yes", "y", "true",
					  "x"};
	static const char *const no[] = {"", "0", "nee", "n", "no", "false"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (eq_ci(s, yes[i]))
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (eq_ci(s, no[i]))
			return 0;
	return -1;
}

#define LINE_FAIL(line, ...)                                                 \
	do {                                                                 \
		char f_[24];                                                 \
		snprintf(f_, sizeof f_, "line %d", (line));                  \
		return kv_fail(e, KV_INVALID, f_, __VA_ARGS__);              \
	} while (0)

enum kv_status frame_parse_csv(arena *a, const char *data, size_t len,
			       bool thousands, struct budget_frame *out,
			       struct kv_error *e)
{
	struct steering_csv t;
	char q[KV_QUOTE_MAX], m1[32], m2[32];
	enum kv_status st;

	st = steering_csv_read(a, data, len, FRAME_MAX_ROWS + 2, &t, e);
	if (st != KV_OK)
		return st;
	if (t.n_rows == 0)
		LINE_FAIL(1, _("The file is empty. The first line is the "
			       "header: a first cell such as \"categorie\", "
			       "then one year per column (2021;2022;...); "
			       "each further line is a category and its "
			       "amounts."));

	/* The header. */
	const struct steering_csv_row *h = &t.rows[0];
	int last = h->n_cells - 1;
	while (last > 0 && !h->cells[last][0])
		last--; /* trailing empty cells, as spreadsheets add them */
	int first_year = 0, n_years = 0, flag_col = -1;
	for (int col = 1; col <= last; col++) {
		const char *cell = h->cells[col];
		int y = year_cell(cell);
		if (y) {
			if (n_years == 0) {
				first_year = y;
			} else if (y != first_year + n_years) {
				LINE_FAIL(h->line,
					  _("Column %d of the header is %d, "
					    "but after %d comes %d: the years "
					    "must be consecutive, one per "
					    "column."), col + 1, y,
					  first_year + n_years - 1,
					  first_year + n_years);
			}
			if (n_years == FRAME_MAX_YEARS)
				LINE_FAIL(h->line,
					  _("The header has more than %d "
					    "years (column %d is %d); a frame "
					    "covers at most %d years."),
					  FRAME_MAX_YEARS, col + 1, y,
					  FRAME_MAX_YEARS);
			n_years++;
		} else if (col == last && n_years > 0 &&
			   eq_ci(cell, "taakstelling")) {
			flag_col = col;
		} else {
			LINE_FAIL(h->line,
				  _("Column %d of the header (\"%s\") is not "
				    "a year; after the first cell the header "
				    "names one year per column (1900 to "
				    "2200), and optionally a last column "
				    "\"taakstelling\"."), col + 1,
				  kv_quote(cell, q));
		}
	}
	if (n_years == 0)
		LINE_FAIL(h->line,
			  _("The header names no year: after the first cell "
			    "(\"categorie\") comes one year per column, for "
			    "example categorie;2021;2022;2023."));

	/* The lines. */
	struct frame_row *rows = arena_alloc(
	    a, (size_t)(t.n_rows - 1) * sizeof *rows);
	int *row_lines = arena_alloc(a, (size_t)t.n_rows * sizeof *row_lines);
	int n_rows = 0, totaal_line = 0;
	int64_t given[FRAME_MAX_YEARS];
	bool given_has[FRAME_MAX_YEARS];

	for (int ri = 1; ri < t.n_rows; ri++) {
		const struct steering_csv_row *r = &t.rows[ri];
		if (r->n_cells < 1 + n_years) {
			int missing = r->n_cells; /* the first column missing */
			LINE_FAIL(r->line,
				  _("This line has %d cells, the header %d: "
				    "the amount for %d (column %d) is "
				    "missing. Write 0 for a year without "
				    "budget."), r->n_cells, last + 1,
				  first_year + missing - 1, missing + 1);
		}
		for (int col = last + 1; col < r->n_cells; col++)
			if (r->cells[col][0])
				LINE_FAIL(r->line,
					  _("Column %d holds \"%s\", but the "
					    "header has no year for it."),
					  col + 1, kv_quote(r->cells[col], q));

		char *cat = r->cells[0];
		struct kv_error ke;
		if (!cat[0])
			LINE_FAIL(r->line,
				  _("The first cell (the category) is "
				    "empty."));
		if (text_check(cat, CATEGORY_MAX, "", &ke) != KV_OK)
			LINE_FAIL(r->line, _("Column 1 (category): %s"),
				  ke.msg);

		bool totaal = eq_ci(cat, "Totaal") || eq_ci(cat, "Total");
		bool taak = !totaal && (prefix_ci(cat, "Taakstelling") ||
					prefix_ci(cat, "Totaal taakstelling"));
		if (!totaal && flag_col >= 0 && flag_col < r->n_cells) {
			int fv = flag_value(r->cells[flag_col]);
			if (fv < 0)
				LINE_FAIL(r->line,
					  _("Column %d (taakstelling) holds "
					    "\"%s\"; write 1 or ja for a "
					    "taakstelling, else 0 or leave it "
					    "empty."), flag_col + 1,
					  kv_quote(r->cells[flag_col], q));
			if (fv == 1)
				taak = true;
		}
		if (totaal) {
			if (totaal_line)
				LINE_FAIL(r->line,
					  _("A second \"Totaal\" line; the "
					    "first is line %d."), totaal_line);
			totaal_line = r->line;
		} else {
			for (int j = 0; j < n_rows; j++)
				if (eq_ci(rows[j].category, cat))
					LINE_FAIL(r->line,
						  _("The category \"%s\" "
						    "already appears on line "
						    "%d; each category comes "
						    "once."), kv_quote(cat, q),
						  row_lines[j]);
		}

		struct frame_row row = {.category = cat, .taakstelling = taak};
		for (int y = 0; y < n_years; y++) {
			const char *cell = r->cells[1 + y];
			if (frame_amount(cell, thousands, &row.cents[y],
					 &row.has[y], &ke) != KV_OK)
				LINE_FAIL(r->line, _("Column %d (%d): %s"),
					  y + 2, first_year + y, ke.msg);
			if (totaal)
				continue;
			/* A blank would be stored as no amount at all, and
			 * the year's total would silently leave it out. */
			if (!row.has[y])
				LINE_FAIL(r->line,
					  _("Column %d (%d) is empty. Write 0 "
					    "when \"%s\" has no budget in %d."),
					  y + 2, first_year + y, kv_quote(cat, q),
					  first_year + y);
			if (taak && row.cents[y] > 0)
				LINE_FAIL(r->line,
					  _("Column %d (%d): a taakstelling "
					    "is a cut and is written as a "
					    "negative amount (-%s), not "
					    "%s."), y + 2, first_year + y,
					  kv_quote(cell, q), kv_quote(cell, q));
			if (!taak && row.cents[y] < 0)
				LINE_FAIL(r->line,
					  _("Column %d (%d): the amount \"%s\" "
					    "is negative; only a taakstelling "
					    "(a category that starts with "
					    "\"Taakstelling\", or marked in "
					    "the column \"taakstelling\") may "
					    "be negative."), y + 2,
					  first_year + y, kv_quote(cell, q));
		}
		if (totaal) {
			memcpy(given, row.cents, sizeof given);
			memcpy(given_has, row.has, sizeof given_has);
		} else {
			row_lines[n_rows] = r->line;
			rows[n_rows++] = row;
		}
	}
	if (n_rows == 0)
		LINE_FAIL(h->line + 1,
			  _("The file has a header but no category; each "
			    "line after the header is a category and its "
			    "amounts."));

	/* out is only written, never read: callers pass it uninitialised. */
	struct budget_frame f;
	memset(&f, 0, sizeof f);
	f.first_year = first_year;
	f.n_years = n_years;
	f.rows = rows;
	f.n_rows = n_rows;
	if (h->cells[0][0])
		f.title = h->cells[0];

	if (totaal_line) {
		int64_t totals[FRAME_MAX_YEARS];
		frame_totals(&f, totals);
		for (int y = 0; y < n_years; y++)
			if (given_has[y] && given[y] != totals[y])
				LINE_FAIL(totaal_line,
					  _("The Totaal for %d is %s, but the "
					    "categories and taakstellingen add "
					    "up to %s; correct the line that "
					    "is wrong."), first_year + y,
					  eur_format(given[y], m1),
					  eur_format(totals[y], m2));
	}
	/* Taakstellingen larger than the budgets they cut: a year whose
	 * total is below zero is a typing error (a sign, a missing
	 * category), never a budget. */
	int64_t sums[FRAME_MAX_YEARS];
	frame_totals(&f, sums);
	for (int y = 0; y < n_years; y++) {
		if (sums[y] >= 0)
			continue;
		int cut_line = h->line + 1;
		for (int j = 0; j < n_rows; j++)
			if (rows[j].taakstelling && rows[j].cents[y] < 0) {
				cut_line = row_lines[j];
				break;
			}
		LINE_FAIL(cut_line,
			  _("Column %d (%d): the categories and taakstellingen "
			    "add up to %s, below zero: the taakstellingen "
			    "(from line %d) cut more than is budgeted. Check "
			    "the signs and that no category is missing."),
			  y + 2, first_year + y, eur_format(sums[y], m1),
			  cut_line);
	}
	*out = f;
	return KV_OK;
}

/* --- commitments against the frame ------------------------------------------ */

int frame_check(arena *a, const struct budget_frame *f,
		const struct commitment *c, int n, struct frame_warning **out)
{
	char m1[32], m2[32], m3[32];
	int64_t totals[FRAME_MAX_YEARS];
	int ny = f->n_years < 0 ? 0 :
	    f->n_years > FRAME_MAX_YEARS ? FRAME_MAX_YEARS : f->n_years;
	frame_totals(f, totals);

	*out = NULL;
	int count = 0;
	struct frame_warning *w = NULL;
	for (int y = 0; y < ny; y++) {
		int64_t sum = 0;
		bool any = false;
		for (int i = 0; i < n; i++)
			if (c[i].year == f->first_year + y) {
				sum = add_sat(sum, c[i].cents);
				any = true;
			}
		if (!any || sum <= totals[y])
			continue;
		if (!w)
			w = arena_alloc(a, (size_t)ny * sizeof *w);
		w[count].year = f->first_year + y;
		w[count].frame_cents = totals[y];
		w[count].committed_cents = sum;
		w[count].text = arena_printf(
		    a,
		    _("In %d the commitments (%s) exceed the budget frame "
		      "(%s) by %s."),
		    f->first_year + y, eur_format(sum, m1),
		    eur_format(totals[y], m2),
		    eur_format(add_sat(sum, -totals[y]), m3));
		count++;
	}
	*out = w;
	return count;
}
