/*
 * fuzz_parsers.c - libFuzzer target for every parser of user input in the
 * core: dates, local times, euro amounts, CPV codes, KvK numbers, single-
 * line text, the HTML escaper, and the CSV imports of budget frames and
 * KPI measurements with the KPI value and period readers.  The first byte picks the parser; the
 * rest is the input.  Properties checked beyond "no crash": a parse that
 * succeeds yields a value that formats back into something that parses to
 * the same value, and escaped HTML contains no raw '<', '>' or '"'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/calendar.h"
#include "core/steering.h"
#include "core/validate.h"
#include "web/html.h"
#include "web/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		struct kv_error e;
		cal_init(&e);
		ready = 1;
	}
	if (size < 1 || size > 4096)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	struct kv_error e;
	arena *a = arena_new();
	if (data[0] >= 0xf0) {
		/* A lot's award rules: a document read must come back the
		 * same from its canonical form, and its formula be writable. */
		struct award_rules r, r2;
		if (app_award_rules_parse_text(a, s, &r, &e) == KV_OK) {
			json_t *j = app_award_rules_json(&r);
			char *text = json_dumps(j, JSON_SORT_KEYS);
			if (!text || app_award_rules_parse_text(a, text, &r2, &e) != KV_OK)
				abort();
			json_t *j2 = app_award_rules_json(&r2);
			if (!json_equal(j, j2))
				abort();
			(void)award_method_formula(a, &r.lot.method, '.');
			free(text);
			json_decref(j);
			json_decref(j2);
		}
		arena_free(a);
		free(s);
		return 0;
	}
	switch (data[0] % 11) {
	case 0: {
		cal_date d;
		if (cal_parse_date(s, &d, "f", &e) == 0) {
			char buf[16];
			cal_date d2;
			if (cal_parse_date(cal_format_date(d, buf), &d2, "f", &e) != 0 ||
			    cal_date_cmp(d, d2) != 0)
				abort();
		}
		break;
	}
	case 1: {
		kv_instant t;
		if (cal_parse_local(s, &t, "f", &e) == 0)
			(void)cal_format_local(a, t);
		break;
	}
	case 2: {
		int64_t cents;
		if (eur_parse(s, &cents, "f", &e) == KV_OK) {
			char buf[48];
			int64_t again;
			if (cents < 0 || eur_parse(eur_format(cents, buf), &again, "f", &e) != KV_OK ||
			    again != cents)
				abort();
		}
		break;
	}
	case 3:
		(void)cpv_check(s, "f", &e);
		break;
	case 4:
		(void)kvk_check(s, "f", &e);
		break;
	case 5:
		(void)text_check(s, 200, "f", &e);
		break;
	case 6: {
		const char *h = html_escape(a, s);
		if (strpbrk(h, "<>\"'"))
			abort();
		break;
	}
	case 7: {
		struct budget_frame f;
		if (frame_parse_csv(a, s, size - 1, data[0] & 0x80, &f, &e) == KV_OK) {
			int64_t totals[FRAME_MAX_YEARS];
			if (f.n_years < 1 || f.n_years > FRAME_MAX_YEARS)
				abort();
			frame_totals(&f, totals);
		}
		break;
	}
	case 8: {
		static struct kpi kpis[2] = {
			{.id = 1, .name = "Bereik", .unit = "inwoners", .frequency = KPI_QUARTERLY},
			{.id = 2, .name = "Doorlooptijd", .unit = "dagen", .frequency = KPI_MONTHLY},
		};
		struct measurement *m;
		int n;
		if (measurements_parse_csv(a, kpis, 2, s, size - 1, &m, &n, &e) == KV_OK)
			(void)kpi_trend_svg(a, &kpis[0], m, n, "", 400, 200);
		break;
	}
	case 9: {
		int64_t milli;
		if (kpi_value_parse(s, &milli, "f", &e) == KV_OK) {
			int64_t again;
			if (kpi_value_parse(kpi_value_format(a, milli), &again, "f", &e) != KV_OK ||
			    again != milli)
				abort();
		}
		break;
	}
	case 10:
		(void)kpi_period_check((enum kpi_frequency)(data[0] % 3), s, "f", &e);
		break;
	}
	arena_free(a);
	free(s);
	return 0;
}
