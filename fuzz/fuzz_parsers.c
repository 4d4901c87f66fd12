/*
 * fuzz_parsers.c - libFuzzer target for every parser of user input in the
 * core: dates, local times, euro amounts, CPV codes, KvK numbers, single-
 * line text, and the HTML escaper.  The first byte picks the parser; the
 * rest is the input.  Properties checked beyond "no crash": a parse that
 * succeeds yields a value that formats back into something that parses to
 * the same value, and escaped HTML contains no raw '<', '>' or '"'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/validate.h"
#include "web/html.h"

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
	switch (data[0] % 7) {
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
	}
	arena_free(a);
	free(s);
	return 0;
}
