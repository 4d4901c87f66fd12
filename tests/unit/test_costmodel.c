/*
 * test_costmodel.c - unit tests of the cost model (core/costmodel.c)
 * against an example worked by hand.
 *
 * The team, base year 2022:
 *   Wijkcoach   3,00 FTE x EUR 48.000 = 144.000, + 30 % charges = 187.200,00
 *   Teamleider  0,50 FTE x EUR 66.000 =  33.000, + 30 % charges =  42.900,00
 *   staff 2022                                                  = 230.100,00
 *   overhead 15 %   = 34.515,00      management 8 % = 18.408,00
 *   material 6.000 + housing 12.000                 = 18.000,00
 *   gross  230.100 + 34.515 + 18.408 + 18.000       = 301.023,00
 *   efficiency 5 % of 301.023                       = 15.051,15
 *   minimum 2022  301.023,00 - 15.051,15            = 285.971,85
 *   per productive hour: (230.100 + 34.515 + 18.408) = 283.023,00
 *     over 3,50 FTE x 1.300 h = 4.550 h             = 62,2028... -> 62,20
 * 2023, wage index 4,00 %, price index 2,50 % (prognoses; 2023's
 * realisation, when given, replaces them):
 *   staff 230.100 + 4 % = 239.304,00   other 18.000 + 2,5 % = 18.450,00
 *   overhead 15 % = 35.895,60   management 8 % = 19.144,32
 *   gross 239.304 + 35.895,60 + 19.144,32 + 18.450 = 312.793,92
 *   efficiency 5 % = 15.639,696 -> 15.639,70 (half away from zero)
 *   minimum 2023 = 297.154,22
 * Budgets: 2022 EUR 300.000 (margin +14.028,15, covered); 2023 EUR
 * 305.000 less a taakstelling of 10.000 = 295.000 (margin -2.154,22): the
 * budget no longer covers the model from 2023.
 */
#include <string.h>

#include "core/costmodel.h"
#include "tap.h"

int main(void)
{
	arena *a = arena_new();
	struct kv_error e;
	struct cost_function fns[] = {
		{.name = "Wijkcoach", .cao = "CAO Sociaal Werk, schaal 8, trede 6",
		 .fte_centi = 300, .salary_cents = 4800000, .charges_bp = 3000},
		{.name = "Teamleider", .cao = "CAO Sociaal Werk, schaal 10, trede 4",
		 .fte_centi = 50, .salary_cents = 6600000, .charges_bp = 3000},
	};
	struct cost_model m = {
		.base_year = 2022, .functions = fns, .n_functions = 2,
		.productive_hours = 1300, .overhead_bp = 1500, .management_bp = 800,
		.material_cents = 600000, .housing_cents = 1200000, .efficiency_bp = 500,
		.efficiency_reason = "One team instead of three providers: one intake, one plan."};
	struct index_figures fig[] = {
		{.year = 2023, .wage_prognosis_bp = 400, .price_prognosis_bp = 250}};
	int64_t budgets[] = {30000000, 30500000 - 1000000};
	struct cost_verdict v;
	CHECK(costmodel_verdict(a, &m, fig, 1, budgets, 2, &v, &e) == KV_OK, "the model computes: %s", e.msg);
	CHECK(v.function_cents[0] == 18720000 && v.function_cents[1] == 4290000,
	      "each function: 187.200,00 and 42.900,00");
	CHECK(strstr(v.function_sums[0], "3,00 FTE") && strstr(v.function_sums[0], "30,00 %") &&
	      strstr(v.function_sums[0], "187.200,00"), "the function's sum is shown: %s", v.function_sums[0]);
	const struct cost_year *y0 = &v.years[0], *y1 = &v.years[1];
	CHECK(y0->staff_cents == 23010000 && y0->overhead_cents == 3451500 &&
	      y0->management_cents == 1840800 && y0->other_cents == 1800000,
	      "2022: staff, overhead, management, other");
	CHECK(y0->gross_cents == 30102300 && y0->efficiency_cents == 1505115 &&
	      y0->minimum_cents == 28597185, "2022: gross 301.023,00, minimum 285.971,85");
	CHECK(y0->covered && y0->margin_cents == 1402815, "2022: covered, margin 14.028,15");
	CHECK(v.per_hour_cents == 6220, "62,20 per productive hour (got %lld)", (long long)v.per_hour_cents);
	CHECK(y1->staff_cents == 23930400 && y1->other_cents == 1845000 &&
	      y1->overhead_cents == 3589560 && y1->management_cents == 1914432,
	      "2023: indexed by the wage and the price index");
	CHECK(y1->gross_cents == 31279392 && y1->efficiency_cents == 1563970 &&
	      y1->minimum_cents == 29715422, "2023: minimum 297.154,22 (efficiency rounded half up)");
	CHECK(!y1->covered && y1->margin_cents == -215422 && v.first_short_year == 2023,
	      "2023 is not covered, short by 2.154,22: the first short year");
	CHECK(strstr(y1->explanation, "4,00 %") && strstr(y1->explanation, "297.154,22") &&
	      strstr(y1->explanation, "295.000,00"), "the year's sum is shown: %s", y1->explanation);

	/* The realisation, when known, replaces the prognosis. */
	fig[0].has_actual = true;
	fig[0].wage_actual_bp = 500;
	fig[0].price_actual_bp = 250;
	CHECK(costmodel_verdict(a, &m, fig, 1, budgets, 2, &v, &e) == KV_OK &&
	      v.years[1].staff_cents == 23010000 + 1150500, "a 5 percent realised wage index is used");

	/* Refusals name their field. */
	struct index_figures none[] = {{.year = 2030}};
	CHECK(costmodel_verdict(a, &m, none, 1, budgets, 2, &v, &e) == KV_INVALID &&
	      strstr(e.msg, "2023"), "a year without index figures is named: %s", e.msg);
	fns[1].fte_centi = 0;
	CHECK(costmodel_check(&m, &e) == KV_INVALID && !strcmp(e.field, "functions[1].fte"),
	      "0 FTE is refused at functions[1].fte");
	fns[1].fte_centi = 50;
	fns[0].charges_bp = 10001;
	CHECK(costmodel_check(&m, &e) == KV_INVALID && !strcmp(e.field, "functions[0].charges"),
	      "charges over 100 percent are refused");
	fns[0].charges_bp = 3000;
	m.efficiency_reason = "  ";
	CHECK(costmodel_check(&m, &e) == KV_INVALID && !strcmp(e.field, "efficiency_reason"),
	      "an efficiency without its reasoning is refused");
	m.efficiency_bp = 0;
	CHECK(costmodel_check(&m, &e) == KV_OK, "no efficiency needs no reasoning");
	m.efficiency_bp = 5001;
	m.efficiency_reason = "x";
	CHECK(costmodel_check(&m, &e) == KV_INVALID && !strcmp(e.field, "efficiency"),
	      "an efficiency over 50 percent is refused");
	m.efficiency_bp = 500;
	m.productive_hours = 0;
	CHECK(costmodel_check(&m, &e) == KV_INVALID && !strcmp(e.field, "productive_hours"),
	      "no productive hours is refused");
	m.productive_hours = 1300;
	m.n_functions = 0;
	CHECK(costmodel_check(&m, &e) == KV_INVALID && !strcmp(e.field, "functions"),
	      "a model without functions is refused");
	arena_free(a);
	return tap_done();
}
