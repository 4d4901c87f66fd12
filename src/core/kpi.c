/*
 * kpi.c - the KPIs of a contract (kernindicatoren): their codes and
 * checks, the periods they are measured in, their values, the import of
 * measurements from CSV (libcsv, through steering_csv_read) and a trend
 * chart as SVG.
 *
 * Values are thousandths of their unit ("milli", int64_t), so 12,5 % is
 * 12500; no value passes through a float.  A value is written with at
 * most three decimals after a comma or a point ("12,5", "12.5", "-3",
 * "0,125"); thousands separators are not accepted, because "1.234" means
 * 1234 to a Dutch reader and 1,234 to an English one: a point followed by
 * exactly three digits after one to three digits is refused as ambiguous,
 * and a value with both a point and a comma is refused.  At most 10^12
 * units either way.  Formatting is Dutch: a comma, trailing zeros
 * trimmed, no thousands separators ("1234,5"), so it reads back.
 *
 * Periods: "2023-05" for a monthly KPI (month 01..12), "2023-Q2" for a
 * quarterly one (Q1..Q4), "2023" for a yearly one; years 1900..2200.
 *
 * The measurements import: the header names the columns, in any order,
 * in Dutch or English (kpi or indicator; periode or period; gebied or
 * area; waarde or value); kpi, period and value are required, the area
 * column may be left out and an area cell may be empty ("" = all areas).
 * A KPI is found by its exact name, else ignoring ASCII case; "2023-q2"
 * is read as "2023-Q2".  Lines are numbered as in the file (blank lines
 * count, the header is line 1 when nothing precedes it); the first bad
 * line refuses the file.  At most 10.000 measurements per file.
 *
 * The chart is a self-contained SVG: no script, no style sheet, no
 * external reference; every text in it (the KPI's name, unit, area,
 * periods) is XML-escaped.  Pixel positions are computed with integers
 * too.
 *
 * Plain C, no I/O; results in the caller's arena.
 */
#include "steering.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define NAME_MAX_LEN 120
#define UNIT_MAX 40
#define DEFINITION_MAX 4000
#define SOURCE_MAX 300
#define AREA_MAX 120
#define MAX_MILLI 1000000000000000LL     /* 10^12 units */
#define MAX_MEASUREMENT_ROWS 10000

#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

static const char *const direction_codes[] = {
	[KPI_HIGHER_IS_BETTER] = "higher-is-better",
	[KPI_LOWER_IS_BETTER] = "lower-is-better",
};

static const char *const frequency_codes[] = {
	[KPI_MONTHLY] = "monthly",
	[KPI_QUARTERLY] = "quarterly",
	[KPI_YEARLY] = "yearly",
};

static int code_index(const char *const *codes, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

const char *kpi_direction_code(enum kpi_direction d)
{
	return (unsigned)d < (unsigned)COUNT(direction_codes) ?
	    direction_codes[d] : "";
}

int kpi_direction_from_code(const char *s)
{
	return code_index(direction_codes, COUNT(direction_codes), s);
}

const char *kpi_frequency_code(enum kpi_frequency f)
{
	return (unsigned)f < (unsigned)COUNT(frequency_codes) ?
	    frequency_codes[f] : "";
}

int kpi_frequency_from_code(const char *s)
{
	return code_index(frequency_codes, COUNT(frequency_codes), s);
}

/* --- checks --------------------------------------------------------------- */

enum kv_status kpi_check(const struct kpi *k, struct kv_error *e)
{
	enum kv_status st;
	if ((st = text_check(k->name, NAME_MAX_LEN, "name", e)) != KV_OK)
		return st;
	if ((st = steering_note_check(k->definition, DEFINITION_MAX, false,
				      "definition", e)) != KV_OK)
		return st;
	if (!k->unit || !k->unit[0])
		return kv_fail(e, KV_INVALID, "unit",
			       _("Give the unit the KPI is counted in, such "
				 "as %%, inwoners or dagen."));
	if ((st = text_check(k->unit, UNIT_MAX, "unit", e)) != KV_OK)
		return st;
	if ((unsigned)k->direction >= (unsigned)COUNT(direction_codes))
		return kv_fail(e, KV_INVALID, "direction",
			       _("Say whether a higher or a lower value is "
				 "better."));
	if ((unsigned)k->frequency >= (unsigned)COUNT(frequency_codes))
		return kv_fail(e, KV_INVALID, "frequency",
			       _("The KPI is measured monthly, quarterly or "
				 "yearly."));
	if (k->has_target &&
	    (k->target_milli > MAX_MILLI || k->target_milli < -MAX_MILLI))
		return kv_fail(e, KV_INVALID, "target",
			       _("The target is larger than Kavel accepts "
				 "(at most 10^12 units either way)."));
	if (k->source && k->source[0] &&
	    (st = text_check(k->source, SOURCE_MAX, "source", e)) != KV_OK)
		return st;
	return KV_OK;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int year_of(const char *s)
{
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	return y >= 1900 && y <= 2200 ? y : 0;
}

enum kv_status kpi_period_check(enum kpi_frequency f, const char *period,
				const char *field, struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	const char *s = period ? period : "";
	size_t n = strlen(s);
	if (!n)
		return kv_fail(e, KV_INVALID, field,
			       _("The period is required, such as 2023-05 "
				 "(a month), 2023-Q2 (a quarter) or 2023 (a "
				 "year)."));
	bool year_ok = n >= 4 && digits(s, 4) && year_of(s);
	switch (f) {
	case KPI_MONTHLY:
		if (n == 7 && year_ok && s[4] == '-' && digits(s + 5, 2)) {
			int m = (s[5] - '0') * 10 + (s[6] - '0');
			if (m >= 1 && m <= 12)
				return KV_OK;
		}
		return kv_fail(e, KV_INVALID, field,
			       _("This KPI is measured monthly: write the "
				 "period as year, dash and month 01 to 12, "
				 "such as 2023-05; got \"%s\"."),
			       kv_quote(s, q));
	case KPI_QUARTERLY:
		if (n == 7 && year_ok && s[4] == '-' && s[5] == 'Q' &&
		    s[6] >= '1' && s[6] <= '4')
			return KV_OK;
		return kv_fail(e, KV_INVALID, field,
			       _("This KPI is measured quarterly: write the "
				 "period as year, dash and Q1 to Q4, such as "
				 "2023-Q2; got \"%s\"."), kv_quote(s, q));
	case KPI_YEARLY:
		if (n == 4 && year_ok)
			return KV_OK;
		return kv_fail(e, KV_INVALID, field,
			       _("This KPI is measured yearly: write the "
				 "period as the year alone, such as 2023; got "
				 "\"%s\"."), kv_quote(s, q));
	}
	return kv_fail(e, KV_INVALID, field, _("Unknown KPI frequency."));
}

/* --- values ------------------------------------------------------------------ */

enum kv_status kpi_value_parse(const char *s, int64_t *milli,
			       const char *field, struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	const char *p = s ? s : "";
	while (*p == ' ' || *p == '\t')
		p++;
	const char *end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return kv_fail(e, KV_INVALID, field,
			       _("A value is required, such as 12,5 or "
				 "-3."));
	bool neg = false;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	} else if (end - p >= 3 && memcmp(p, "\xe2\x88\x92", 3) == 0) {
		neg = true;
		p += 3;
	}

	const char *sep = NULL;
	int n_sep = 0;
	for (const char *c = p; c < end; c++) {
		if (*c == ',' || *c == '.') {
			n_sep++;
			sep = c;
		} else if (*c < '0' || *c > '9') {
			return kv_fail(e, KV_INVALID, field,
				       _("\"%s\" is not a number; write "
					 "digits with at most one comma or "
					 "point before the decimals, without "
					 "a unit, such as 12,5 or -3."),
				       kv_quote(s, q));
		}
	}
	if (n_sep > 1)
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" has more than one comma or point; "
				 "thousands separators are not allowed: "
				 "write 1234,5 rather than 1.234,5."),
			       kv_quote(s, q));
	const char *int_end = sep ? sep : end;
	const char *frac = sep ? sep + 1 : end;
	if (int_end == p || (sep && frac == end))
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" is not written as a number; put "
				 "digits on both sides of the comma, such "
				 "as 0,5."), kv_quote(s, q));
	if (end - frac > 3)
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" has more than three decimals; "
				 "Kavel keeps values to a thousandth."),
			       kv_quote(s, q));
	if (sep && *sep == '.' && end - frac == 3 && int_end - p <= 3 &&
	    *p != '0')
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" is ambiguous: is the point a "
				 "thousands separator or a decimal point? "
				 "Thousands separators are not allowed; "
				 "write 1234 for a whole number, or use a "
				 "comma before the decimals (1,234)."),
			       kv_quote(s, q));

	int64_t v = 0;
	for (const char *c = p; c < int_end; c++) {
		if (v > (MAX_MILLI / 1000 - (*c - '0')) / 10)
			return kv_fail(e, KV_INVALID, field,
				       _("\"%s\" is larger than Kavel accepts "
					 "(at most 10^12 either way)."),
				       kv_quote(s, q));
		v = v * 10 + (*c - '0');
	}
	v *= 1000;
	int64_t scale = 100;
	for (const char *c = frac; c < end; c++, scale /= 10)
		v += (*c - '0') * scale;
	if (milli)
		*milli = neg ? -v : v;
	return KV_OK;
}

char *kpi_value_format(arena *a, int64_t milli)
{
	uint64_t v = milli < 0 ? 0ULL - (uint64_t)milli : (uint64_t)milli;
	unsigned frac = (unsigned)(v % 1000);
	if (!frac)
		return arena_printf(a, "%s%llu", milli < 0 ? "-" : "",
				    (unsigned long long)(v / 1000));
	char f[4];
	snprintf(f, sizeof f, "%03u", frac);
	for (int i = 2; i > 0 && f[i] == '0'; i--)
		f[i] = 0;
	return arena_printf(a, "%s%llu,%s", milli < 0 ? "-" : "",
			    (unsigned long long)(v / 1000), f);
}

int kpi_on_target(const struct kpi *k, int64_t value_milli)
{
	if (!k->has_target)
		return -1;
	if (k->direction == KPI_LOWER_IS_BETTER)
		return value_milli <= k->target_milli;
	return value_milli >= k->target_milli;
}

/* --- measurements from CSV ------------------------------------------------------ */

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

enum col { COL_KPI, COL_PERIOD, COL_AREA, COL_VALUE, COL__COUNT };

static int column_of(const char *h)
{
	static const struct {
		const char *name;
		enum col col;
	} names[] = {
		{"kpi", COL_KPI},       {"indicator", COL_KPI},
		{"periode", COL_PERIOD}, {"period", COL_PERIOD},
		{"gebied", COL_AREA},   {"area", COL_AREA},
		{"waarde", COL_VALUE},  {"value", COL_VALUE},
	};
	for (int i = 0; i < COUNT(names); i++)
		if (eq_ci(h, names[i].name))
			return names[i].col;
	return -1;
}

#define LINE_FAIL(line, ...)                                                 \
	do {                                                                 \
		char f_[24];                                                 \
		snprintf(f_, sizeof f_, "line %d", (line));                  \
		return kv_fail(e, KV_INVALID, f_, __VA_ARGS__);              \
	} while (0)

static enum kv_status parse_measurements(arena *a, const struct kpi *kpis,
					 int n_kpis, const char *data,
					 size_t len, struct measurement **out,
					 int *n_out, struct kv_error *e)
{
	struct steering_csv t;
	char q[KV_QUOTE_MAX], q2[KV_QUOTE_MAX];
	enum kv_status st;

	st = steering_csv_read(a, data, len, MAX_MEASUREMENT_ROWS + 1, &t, e);
	if (st != KV_OK)
		return st;
	if (t.n_rows == 0)
		LINE_FAIL(1, _("The file is empty. The first line is the "
			       "header kpi;periode;gebied;waarde (or "
			       "kpi,period,area,value), then one measurement "
			       "per line."));

	const struct steering_csv_row *h = &t.rows[0];
	int col[COL__COUNT] = {-1, -1, -1, -1};
	int last = h->n_cells - 1;
	while (last > 0 && !h->cells[last][0])
		last--;
	for (int i = 0; i <= last; i++) {
		int c = column_of(h->cells[i]);
		if (c < 0)
			LINE_FAIL(h->line,
				  _("Column %d of the header (\"%s\") is "
				    "unknown; the columns are kpi, periode, "
				    "gebied and waarde (or kpi, period, area "
				    "and value), in any order."), i + 1,
				  kv_quote(h->cells[i], q));
		if (col[c] >= 0)
			LINE_FAIL(h->line,
				  _("Columns %d and %d of the header both "
				    "name \"%s\"."), col[c] + 1, i + 1,
				  kv_quote(h->cells[i], q));
		col[c] = i;
	}
	static const char *const need[] = {
		[COL_KPI] = "kpi", [COL_PERIOD] = "periode",
		[COL_VALUE] = "waarde",
	};
	for (int c = 0; c < COL__COUNT; c++)
		if (c != COL_AREA && col[c] < 0)
			LINE_FAIL(h->line,
				  _("The header has no column \"%s\"; it "
				    "needs kpi, periode and waarde, and "
				    "optionally gebied."), need[c]);
	if (t.n_rows == 1)
		LINE_FAIL(h->line + 1,
			  _("The file has a header but no measurements."));

	int n = t.n_rows - 1;
	struct measurement *m = arena_alloc(a, (size_t)n * sizeof *m);
	int *which = arena_alloc(a, (size_t)n * sizeof *which);
	int *lines = arena_alloc(a, (size_t)n * sizeof *lines);

	for (int i = 0; i < n; i++) {
		const struct steering_csv_row *r = &t.rows[i + 1];
		char field[24];
		struct kv_error ke;
		snprintf(field, sizeof field, "line %d", r->line);
		for (int c = last + 1; c < r->n_cells; c++)
			if (r->cells[c][0])
				LINE_FAIL(r->line,
					  _("Column %d holds \"%s\", but the "
					    "header has no name for it."),
					  c + 1, kv_quote(r->cells[c], q));
		const char *cell[COL__COUNT];
		for (int c = 0; c < COL__COUNT; c++)
			cell[c] = col[c] >= 0 && col[c] < r->n_cells ?
			    r->cells[col[c]] : "";

		if (!cell[COL_KPI][0])
			LINE_FAIL(r->line, _("Column %d (%s): the KPI is "
					     "empty."), col[COL_KPI] + 1,
				  kv_quote(h->cells[col[COL_KPI]], q2));
		/* The KPI: by its exact name, else ignoring case. */
		int k = -1;
		for (int j = 0; j < n_kpis && k < 0; j++)
			if (kpis[j].name && strcmp(kpis[j].name,
						   cell[COL_KPI]) == 0)
				k = j;
		for (int j = 0; j < n_kpis && k < 0; j++)
			if (kpis[j].name && eq_ci(kpis[j].name,
						  cell[COL_KPI]))
				k = j;
		if (k < 0)
			LINE_FAIL(r->line,
				  _("Column %d (%s): this contract has no "
				    "KPI named \"%s\"; create it first or "
				    "correct the name."), col[COL_KPI] + 1,
				  kv_quote(h->cells[col[COL_KPI]], q2),
				  kv_quote(cell[COL_KPI], q));

		/* The period, "2023-q2" read as "2023-Q2". */
		char period[sizeof m->period];
		const char *ps = cell[COL_PERIOD];
		if (strlen(ps) == 7 && ps[4] == '-' && ps[5] == 'q') {
			memcpy(period, ps, 8);
			period[5] = 'Q';
			ps = period;
		}
		if (kpi_period_check(kpis[k].frequency, ps, field, &ke) !=
		    KV_OK)
			LINE_FAIL(r->line, _("Column %d (%s): %s"),
				  col[COL_PERIOD] + 1,
				  kv_quote(h->cells[col[COL_PERIOD]], q2),
				  ke.msg);
		const char *area = cell[COL_AREA];
		if (area[0] && text_check(area, AREA_MAX, field, &ke) != KV_OK)
			LINE_FAIL(r->line, _("Column %d (%s): %s"),
				  col[COL_AREA] + 1,
				  kv_quote(h->cells[col[COL_AREA]], q2),
				  ke.msg);
		if (kpi_value_parse(cell[COL_VALUE], &m[i].value_milli, field,
				    &ke) != KV_OK)
			LINE_FAIL(r->line, _("Column %d (%s): %s"),
				  col[COL_VALUE] + 1,
				  kv_quote(h->cells[col[COL_VALUE]], q2),
				  ke.msg);
		memcpy(m[i].period, ps, strlen(ps) + 1);
		m[i].area = (char *)area;
		m[i].kpi_id = kpis[k].id;
		which[i] = k;
		lines[i] = r->line;
		for (int j = 0; j < i; j++) {
			if (which[j] != k ||
			    strcmp(m[j].period, m[i].period) != 0 ||
			    strcmp(m[j].area, m[i].area) != 0)
				continue;
			if (area[0])
				LINE_FAIL(r->line,
					  _("\"%s\" for %s in %s is already "
					    "on line %d; each KPI, period "
					    "and area comes once."),
					  kv_quote(kpis[k].name, q),
					  m[i].period, kv_quote(area, q2),
					  lines[j]);
			LINE_FAIL(r->line,
				  _("\"%s\" for %s is already on line %d; "
				    "each KPI, period and area comes once."),
				  kv_quote(kpis[k].name, q), m[i].period,
				  lines[j]);
		}
	}
	*out = m;
	*n_out = n;
	return KV_OK;
}

enum kv_status measurements_parse_csv(arena *a, const struct kpi *kpis,
				      int n_kpis, const char *data,
				      size_t len, struct measurement **out,
				      int *n_out, struct kv_error *e)
{
	*out = NULL;
	*n_out = 0;
	return parse_measurements(a, kpis, n_kpis, data, len, out, n_out, e);
}
