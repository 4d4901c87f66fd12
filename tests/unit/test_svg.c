/*
 * test_svg.c - the KPI trend chart (web/svg.c): escaped text, one point per
 * measurement, periods in order, the target as a dashed line; coordinates
 * computed by hand.
 */
#include <string.h>

#include "core/calendar.h"
#include "core/steering.h"
#include "tap.h"
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

static void test_svg(void)
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
	CHECK(svg && strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"",
			     39) == 0, "starts as SVG");
	CHECK(has(svg, "viewBox=\"0 0 600 300\""), "viewBox");
	CHECK(has(svg, "<title>"), "has a title for accessibility");
	CHECK(has(svg, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
		       "&amp; co"), "name escaped");
	CHECK(!has(svg, "<script"), "no script element");
	CHECK(!has(svg, "href") && !has(svg, "url("),
	      "no external reference");
	CHECK(count(svg, "<circle") == 4, "one point per measurement (%d)",
	      count(svg, "<circle"));
	CHECK(count(svg, "stroke-dasharray") == 1, "one dashed target line");
	const char *q1 = strstr(svg, ">2023-Q1<"), *q2 = strstr(svg, ">2023-Q2<");
	const char *q4 = strstr(svg, ">2023-Q4<");
	CHECK(q1 && q2 && q4 && q1 < q2 && q2 < q4,
	      "period labels in period order");
	/*
	 * By hand: 600 x 300, plot from x 72 to 584 and y 28 (top) to 260
	 * (bottom); values 60..90 (target 80 inside), span 30.
	 * y(60) = 260; y(70) = 260 - round(10 x 232 / 30) = 260 - 77 = 183;
	 * y(80) = 260 - round(20 x 232 / 30 = 154,67) = 105; y(90) = 28.
	 * x = 72 + i x 512 / 3: 72, 242, 413, 584.
	 */
	CHECK(has(svg, "points=\"72,260 242,183 413,105 584,28\""),
	      "polyline by hand");
	CHECK(has(svg, "y1=\"105\" x2=\"584\" y2=\"105\" stroke=\"#b03a2e\" "
		       "stroke-dasharray"),
	      "target line at y 105");
	CHECK(has(svg, "2023-Q1: 60 %"), "point titles");

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
	/* A single value v is drawn in the middle: range v-1 .. v+1. */
	CHECK(has(single, "points=\"328,144\""), "single point centred");
}

int main(void)
{
	struct kv_error e;
	if (cal_init(&e) != 0) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	A = arena_new();
	test_svg();
	arena_free(A);
	return tap_done();
}
