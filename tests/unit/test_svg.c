/*
 * test_svg.c - the charts of the contract page (web/svg.c): the ticks of a
 * value axis; the KPI trend (escaped text, one point per measurement,
 * periods in order, ticks with grid lines, the target as a labelled dashed
 * line, a legend, a title that fits); the bar chart of the yearly budgets
 * (an axis from zero, values on the bars, the indexation on top, a
 * legend).  Coordinates computed by hand.
 */
#include <string.h>

#include "core/calendar.h"
#include "core/steering.h"
#include "tap.h"
#include "web/svg.h"
#include "web/view.h"

static arena *A;

static bool has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

static int count(const char *s, const char *sub)
{
	int n = 0;
	for (const char *p = s; p && (p = strstr(p, sub)); p += strlen(sub))
		n++;
	return n;
}

/* The cy of the point whose title is tip, and the y of the value written
 * beside it (the <text> right after the point). */
static bool point_label(const char *svg, const char *tip, int *cy, int *ty)
{
	*cy = *ty = -1;
	const char *t = strstr(svg, arena_printf(A, "<title>%s</title>", tip));
	if (!t)
		return false;
	const char *c = t;
	while (c > svg && strncmp(c, "<circle", 7) != 0)
		c--;
	const char *x = strstr(t, "<text x=\"");
	return sscanf(strstr(c, "cy=\""), "cy=\"%d\"", cy) == 1 && x &&
	       sscanf(strstr(x, " y=\""), " y=\"%d\"", ty) == 1;
}

static bool axis_is(int64_t vmin, int64_t vmax, int max_ticks, int64_t min_step,
		    int64_t lo, int64_t hi, int64_t step, int n)
{
	struct svg_axis ax;
	svg_axis_ticks(vmin, vmax, max_ticks, min_step, &ax);
	if (ax.lo == lo && ax.hi == hi && ax.step == step && ax.n == n)
		return true;
	printf("#   axis(%lld, %lld, %d, %lld) = %lld..%lld step %lld, %d ticks\n",
	       (long long)vmin, (long long)vmax, max_ticks, (long long)min_step,
	       (long long)ax.lo, (long long)ax.hi, (long long)ax.step, ax.n);
	return false;
}

static void test_ticks(void)
{
	/* 60..90 in thousandths, 6 ticks: span 30000 / 5 = 6000 -> 10000:
	 * 60..90 in steps of 10 is 4 ticks. */
	CHECK(axis_is(60000, 90000, 6, 1, 60000, 90000, 10000, 4), "60..90: steps of 10");
	/* 0..97, 6 ticks: 97 / 5 = 19,4 -> 20; 0..100, 6 ticks. */
	CHECK(axis_is(0, 97, 6, 1, 0, 100, 20, 6), "0..97: steps of 20 up to 100");
	/* 3..47, 5 ticks: 44 / 4 = 11 -> 20; 0..60 (4 ticks). */
	CHECK(axis_is(3, 47, 5, 1, 0, 60, 20, 4), "3..47: 0..60 in steps of 20");
	/* 0..23, 11 ticks: 23 / 10 -> 3; 2.5 is not whole at 10^0, so 5;
	 * 0..25. */
	CHECK(axis_is(0, 23, 11, 1, 0, 25, 5, 6), "no 2.5 at the ones");
	/* 0..230, 11 ticks: 23 -> 25 (2.5 x 10); 0..250. */
	CHECK(axis_is(0, 230, 11, 1, 0, 250, 25, 11), "25 at the tens");
	/* Rounding out adds an interval: 1..99 with 3 ticks: 49 -> 50,
	 * 0..100 is 3 ticks. 1..101 with 3 ticks: 50 -> 50, 0..150 would be
	 * 4 ticks, so 100: 0..200. */
	CHECK(axis_is(1, 99, 3, 1, 0, 100, 50, 3), "1..99 in 3 ticks");
	CHECK(axis_is(1, 101, 3, 1, 0, 200, 100, 3), "1..101: the step grows until 3 ticks fit");
	/* Negative values round away from zero at both ends. */
	CHECK(axis_is(-7, 12, 5, 1, -10, 20, 10, 4), "-7..12: -10..20");
	/* -1250..-380, 6 ticks: 870 / 5 -> 174 -> 200, but -1400..-200 is 7
	 * ticks; 250: -1250..-250, 5 ticks. */
	CHECK(axis_is(-1250, -380, 6, 1, -1250, -250, 250, 5), "only negatives");
	/* Either order. */
	CHECK(axis_is(90000, 60000, 6, 1, 60000, 90000, 10000, 4), "the ends in either order");
	/* A single value: one min_step around it, 6,5..8,5; 2000 / 5 -> 400
	 * -> 500, but the step is at least min_step: 6..9 in steps of 1. */
	CHECK(axis_is(7500, 7500, 6, 1000, 6000, 9000, 1000, 4), "one value: 6..9 around 7,5");
	CHECK(axis_is(0, 0, 6, 1, -1, 1, 1, 3), "zero alone: -1..1");
	/* A minimal step: budgets are drawn in whole euros. */
	CHECK(axis_is(0, 340, 6, 100, 0, 400, 100, 5), "at least the minimal step");
	/* Millions of euros in cents: 0..12.345.678,90 with 6 ticks:
	 * 1234567890 / 5 = 246913578 -> 250000000 (€ 2,5 mln); 0..€ 12,5 mln. */
	CHECK(axis_is(0, 1234567890, 6, 100, 0, 1250000000, 250000000, 6), "euros in millions");
	/* The limits: clamped to +-10^15, no overflow. */
	CHECK(axis_is(-INT64_MAX, INT64_MAX, 11, 1, -1000000000000000LL, 1000000000000000LL,
		      200000000000000LL, 11), "extreme values clamped");
	/* max_ticks below 3 is 3 (an axis across zero needs three), above
	 * SVG_MAX_TICKS is SVG_MAX_TICKS. */
	CHECK(axis_is(0, 10, 0, 1, 0, 10, 5, 3), "at least three ticks");
	CHECK(axis_is(-12, 38, 2, 1, -50, 50, 50, 3), "across zero in three ticks");
	CHECK(axis_is(0, 100, 50, 1, 0, 100, 10, 11), "at most SVG_MAX_TICKS ticks");
	/* Every tick count within the limit, over many ranges. */
	bool ok = true;
	for (int64_t hi = 1; hi < 20000 && ok; hi += 37)
		for (int t = 3; t <= SVG_MAX_TICKS && ok; t++) {
			struct svg_axis ax;
			svg_axis_ticks(-hi / 3, hi, t, 1, &ax);
			ok = ax.n >= 2 && ax.n <= t && ax.lo <= -hi / 3 && ax.hi >= hi &&
			     ax.lo % ax.step == 0 && ax.hi % ax.step == 0 &&
			     (ax.hi - ax.lo) / ax.step + 1 == ax.n;
			if (!ok)
				printf("#   %lld..%lld, %d ticks: %lld..%lld step %lld n %d\n",
				       (long long)(-hi / 3), (long long)hi, t, (long long)ax.lo,
				       (long long)ax.hi, (long long)ax.step, ax.n);
		}
	CHECK(ok, "every axis covers its values with at most max_ticks ticks on the step");

	CHECK(svg_text_width("abcde", 10, 0) == 30 && svg_text_width("€ é", 10, 0) == 18 &&
	      svg_text_width("abcde", 10, 1) == 32 && svg_text_width(NULL, 12, 0) == 0,
	      "text widths by characters, not bytes");
	CHECK(strcmp(svg_eur_short(A, 123456789000), "€ 1.234,6 mln") == 0 &&
	      strcmp(svg_eur_short(A, 200000000), "€ 2 mln") == 0 &&
	      strcmp(svg_eur_short(A, 84531249), "€ 845.312") == 0 &&
	      strcmp(svg_eur_short(A, -150000000), "€ -1,5 mln") == 0 &&
	      strcmp(svg_eur_short(A, 0), "€ 0") == 0,
	      "compact amounts: %s", svg_eur_short(A, 123456789000));
}

static void test_kpi(void)
{
	struct kpi k = {
		.id = 21, .name = "<script>alert('x')</script> & co",
		.unit = "%", .direction = KPI_HIGHER_IS_BETTER,
		.has_target = true, .target_milli = 80000,
		.frequency = KPI_QUARTERLY,
	};
	/* Out of order on purpose; one of another area, one of another
	 * KPI. */
	struct measurement m[] = {
		{0, 21, "2023-Q3", "Noord", 80000},
		{0, 21, "2023-Q1", "Noord", 60000},
		{0, 21, "2023-Q4", "Noord", 90000},
		{0, 21, "2023-Q2", "Noord", 70000},
		{0, 21, "2023-Q2", "Zuid", 10000},
		{0, 22, "2023-Q2", "Noord", 10000},
	};
	const char *svg = kpi_trend_svg(A, &k, m, 6, "Noord", 600, 300).raw;
	const char *start = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"";
	CHECK(svg && strncmp(svg, start, strlen(start)) == 0, "starts as SVG");
	CHECK(has(svg, "viewBox=\"0 0 600 300\""), "viewBox");
	CHECK(has(svg, "role=\"img\"") && has(svg, "<title>&lt;script&gt;"),
	      "an image named by its title");
	CHECK(has(svg, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
		       "&amp; co"), "name escaped");
	CHECK(!has(svg, "<script"), "no script element");
	CHECK(!has(svg, "href") && !has(svg, "url(") && !has(svg, "style"),
	      "no external reference, no style");
	CHECK(count(svg, "<circle") == 4, "one point per measurement (%d)",
	      count(svg, "<circle"));
	const char *q1 = strstr(svg, ">2023-Q1<"), *q2 = strstr(svg, ">2023-Q2<");
	const char *q4 = strstr(svg, ">2023-Q4<");
	CHECK(q1 && q2 && q4 && q1 < q2 && q2 < q4,
	      "period labels in period order");
	/*
	 * By hand: one title line (the name is short), baseline 18; the
	 * legend at 38; the plot from y 52 (top) to 260 (bottom), 208 px:
	 * 208 / 28 + 1 = 8 ticks at most.  The values 60..90 (target 80
	 * inside) and an eighth of the span above for the values' labels:
	 * 60..93,75; 33,75 / 7 -> 4,822 -> 5: 60..95 in steps of 5, 8 ticks.
	 * The tick labels are two digits: 15 px; the unit 20 px: left = 8 +
	 * 20 + 15 + 10 = 53.  The target's label "80 %" (4 x 7,2 = 29 px) and
	 * "Target" (6 x 7,2 = 44 px, in the C locale): right = 600 - 58 = 542.
	 * x = 53 + i x 489 / 3: 53, 216, 379, 542.
	 * y = 260 - round((v - 60) x 208 / 35): 60 -> 260; 70 -> 260 - 59
	 * (59,43) = 201; 80 -> 260 - 119 (118,86) = 141; 90 -> 260 - 178
	 * (178,29) = 82.
	 */
	CHECK(has(svg, "points=\"53,260 216,201 379,141 542,82\""),
	      "polyline by hand");
	CHECK(count(svg, "stroke=\"#e3e7ee\"") == 8, "eight grid lines (%d)",
	      count(svg, "stroke=\"#e3e7ee\""));
	CHECK(has(svg, ">60</text>") && has(svg, ">65</text>") && has(svg, ">95</text>"),
	      "tick labels every 5");
	CHECK(has(svg, "y1=\"141\" x2=\"542\" y2=\"141\" stroke=\"#b03a2e\" stroke-width=\"2\" "
		       "stroke-dasharray"),
	      "target line at y 141");
	CHECK(has(svg, "x=\"548\" y=\"139\" fill=\"#b03a2e\">Target</text>") &&
	      has(svg, "dy=\"14\" fill=\"#b03a2e\">80 %</text>"),
	      "the target labelled at the end of its line");
	CHECK(count(svg, "stroke-dasharray") == 2, "a dashed target line and its legend");
	CHECK(has(svg, ">Measured</text>") && count(svg, ">Target</text>") == 2,
	      "a legend (and the target's label)");
	CHECK(has(svg, "rotate(-90 14 156)\">%</text>"), "the unit along the value axis");
	CHECK(has(svg, "2023-Q1: 60 %"), "point titles");
	/* The values 8 px above their points; the first and the last moved
	 * in to clear the value axis and the target's label: "60" is 14 px
	 * wide, so at least 53 + 7 + 4 = 64 and at most 542 - 7 = 535. */
	CHECK(has(svg, "x=\"64\" y=\"252\" text-anchor=\"middle\" font-size=\"11\">60</text>") &&
	      has(svg, "x=\"216\" y=\"193\" text-anchor=\"middle\" font-size=\"11\">70</text>") &&
	      has(svg, "x=\"535\" y=\"74\" text-anchor=\"middle\" font-size=\"11\">90</text>"),
	      "values above the points");

	struct kpi q = {.id = 5, .name = "Bereik", .unit = "\"quoted\""};
	const char *empty = kpi_trend_svg(A, &q, m, 6, "Noord", 10, 10).raw;
	CHECK(has(empty, "No measurements yet.") &&
	      has(empty, "&quot;quoted&quot;") &&
	      has(empty, "viewBox=\"0 0 200 120\""),
	      "empty chart, escaped unit, clamped size");
	CHECK(count(empty, "<circle") == 0, "no points");

	struct measurement one[] = {{0, 5, "2023", NULL, 7500}};
	const char *single = kpi_trend_svg(A, &q, one, 1, NULL, 600, 300).raw;
	CHECK(count(single, "<circle") == 1 && !has(single, "stroke-dasharray"),
	      "one point, no target line");
	/* A single value v gets an axis one unit around it, with room above:
	 * 6,5..8,75; 2,25 / 7 -> 0,322 -> 0,5: 6,5..9 in steps of 0,5; at 7,5
	 * y = 260 - round(1 x 208 / 2,5 = 83,2) = 177.  In the middle: the
	 * tick labels ("6,5") are 22 px, so left = 8 + 20 + 22 + 10 = 60; no
	 * target, so right = 600 - 16 = 584; x = 60 + 524 / 2 = 322. */
	CHECK(has(single, "cx=\"322\" cy=\"177\""), "single point in the middle");
	CHECK(has(single, ">6,5</text>") && has(single, ">7,0</text>") &&
	      has(single, ">9,0</text>"), "ticks with the step's decimals");
	CHECK(!has(single, ">Target</text>"), "no target in the legend");

	/* Many measurements: the periods thinned out so that they do not
	 * overlap, the newest labelled, no values written on the points. */
	struct measurement many[40];
	for (int i = 0; i < 40; i++) {
		many[i] = (struct measurement){.kpi_id = 5, .value_milli = 1000 * (i * 7 % 13)};
		snprintf(many[i].period, sizeof many[i].period, "%d-Q%d", 2020 + i / 4, i % 4 + 1);
	}
	const char *crowd = kpi_trend_svg(A, &q, many, 40, NULL, 480, 240).raw;
	int labels = count(crowd, "text-anchor=\"middle\">20");
	CHECK(labels >= 4 && labels <= 9, "periods thinned out (%d labels)", labels);
	CHECK(has(crowd, ">2029-Q4</text>"), "the newest period labelled");
	CHECK(count(crowd, "font-size=\"11\"") == 0, "no values on crowded points");

	/* A value whose label the target's line would cross is written below
	 * its point: 13,5 just under a target of 14. */
	struct kpi days = {.id = 9, .name = "Doorlooptijd", .unit = "dagen",
			   .direction = KPI_LOWER_IS_BETTER, .has_target = true, .target_milli = 14000};
	struct measurement dm[] = {{0, 9, "2022-Q3", NULL, 16000}, {0, 9, "2022-Q4", NULL, 15000},
				   {0, 9, "2023-Q1", NULL, 13500}, {0, 9, "2023-Q2", NULL, 12000}};
	const char *ds = kpi_trend_svg(A, &days, dm, 4, NULL, 480, 240).raw;
	int cy, ty;
	CHECK(point_label(ds, "2023-Q1: 13,5 dagen", &cy, &ty) && ty > cy,
	      "a value the target's line would cross is written below its point (%d, %d)", cy, ty);
	CHECK(point_label(ds, "2022-Q4: 15 dagen", &cy, &ty) && ty < cy,
	      "the others above theirs (%d, %d)", cy, ty);

	/* A long name is wrapped into two lines and cut with an ellipsis. */
	struct kpi longk = {.id = 5, .unit = "cliënten",
			    .name = "Percentage inwoners in een kwetsbare positie dat binnen "
				    "vier weken na de eerste melding een vast aanspreekpunt "
				    "heeft gekregen in de eigen wijk"};
	const char *lng = kpi_trend_svg(A, &longk, one, 1, "Schalkwijk", 480, 240).raw;
	CHECK(count(lng, "font-weight=\"bold\"") == 2, "a long title in two lines");
	CHECK(has(lng, "…</text>"), "cut with an ellipsis");
	CHECK(has(lng, "<title>Percentage inwoners") && has(lng, "area Schalkwijk</title>"),
	      "the whole title stays the accessible name");
	/* Each line fits: 480 - 16 px at 13 px bold is 55 characters. */
	bool fits = true;
	for (const char *p = lng; (p = strstr(p, "font-weight=\"bold\">")); ) {
		p += strlen("font-weight=\"bold\">");
		const char *e = strstr(p, "</text>");
		fits = fits && svg_text_width(arena_strndup(A, p, (size_t)(e - p)), 13, 1) <= 464;
	}
	CHECK(fits, "every title line fits the chart");
}

static void test_budget(void)
{
	struct indexed_year y[] = {
		{.year = 2022, .budget_cents = 1000000000},                      /* € 10 mln */
		{.year = 2023, .budget_cents = 1030000000, .indexation_cents = 30000000},
		{.year = 2024, .budget_cents = 1070000000, .indexation_cents = 40000000},
	};
	const char *svg = budget_bars_svg(A, y, 3).raw;
	CHECK(svg && strncmp(svg, "<svg class=\"chart\"", 18) == 0 && has(svg, "role=\"img\"") &&
	      has(svg, "<title>Budget per year</title>"), "an SVG image with its title");
	/* 0..€ 10,7 mln, 6 ticks: 1070000000 / 5 = 214000000 -> 250000000;
	 * 0..€ 12,5 mln in steps of € 2,5 mln. */
	CHECK(has(svg, ">€ 0</text>") && has(svg, ">€ 2,5 mln</text>") &&
	      has(svg, ">€ 5,0 mln</text>") && has(svg, ">€ 12,5 mln</text>"),
	      "the value axis in millions from zero, with the step's decimals");
	CHECK(count(svg, "stroke=\"#e3e7ee\"") == 6, "six grid lines");
	CHECK(has(svg, ">€ 10 mln</text>") && has(svg, ">€ 10,3 mln</text>") &&
	      has(svg, ">€ 10,7 mln</text>"), "each bar's amount on it");
	CHECK(has(svg, ">2022</text>") && has(svg, ">2024</text>"), "the years below");
	CHECK(has(svg, "€ 10.700.000,00") && has(svg, "of which indexation € 400.000"),
	      "the whole amount in the bar's title");
	/* The base year has no indexation: one segment; the others two. */
	CHECK(count(svg, "fill=\"#6fa8d6\"") == 3, "two indexation segments and their legend");
	CHECK(has(svg, ">Budget before indexation</text>") && has(svg, ">Indexation</text>"),
	      "a legend");
	/*
	 * By hand: plot from y 56 (€ 12,5 mln) to 216 (0), 160 px;
	 * € 10,7 mln: 216 - 10,7 x 160 / 12,5 = 216 - 136,96 = 79;
	 * € 10,3 mln (before indexation): 216 - 131,84 = 84 (84,16).
	 * The 2024 bar's indexation runs from y 79 to 84.
	 */
	CHECK(has(svg, "y=\"79\" width=\"") && has(svg, "height=\"5\" fill=\"#6fa8d6\""),
	      "the indexation on top of the bar, by hand");
	CHECK(has(svg, "y=\"73\" text-anchor=\"middle\" font-size=\"11\">€ 10,7 mln"),
	      "the amount above its bar");

	/* Small amounts: whole euros; a negative budget draws no bar. */
	struct indexed_year s[] = {{.year = 2030, .budget_cents = 4550000},
				   {.year = 2031, .budget_cents = -100}};
	const char *small = budget_bars_svg(A, s, 2).raw;
	CHECK(has(small, ">€ 50.000</text>") && has(small, ">€ 45.500</text>") &&
	      has(small, ">€ -1</text>"), "whole euros below a million");
	CHECK(has(small, "height=\"0\" fill=\"#0b5c8e\""), "no bar below zero");
	CHECK(!has(small, ">Indexation</text>") && has(small, ">Budget</text>"),
	      "no indexation in the legend without one");
	const char *xss = budget_bars_svg(A, (struct indexed_year[]){{.year = 2022}}, 1).raw;
	CHECK(xss && has(xss, ">€ 0</text>"), "a zero budget still draws an axis");
}

int main(void)
{
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	A = arena_new();
	test_ticks();
	test_kpi();
	test_budget();
	arena_free(A);
	return tap_done();
}
