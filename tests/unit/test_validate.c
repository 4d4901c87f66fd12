/*
 * test_validate.c - KvK numbers, CPV codes, euro amounts and texts
 * (src/core/validate.c).  Expected values are written out by hand.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "tap.h"

static int ok(enum kv_status st)
{
	return st == KV_OK;
}

static void test_kvk(void)
{
	struct kv_error e;
	CHECK(ok(kvk_check("12345678", "kvk", NULL)), "kvk: 8 digits");
	CHECK(ok(kvk_check("00000001", "kvk", NULL)), "kvk: leading zeros");
	const char *bad[] = {"",	  "1234567", "123456789", "1234 5678",
			     " 12345678", "12345678 ", "1234567a", "KvK12345678",
			     "１２３４５６７８"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kv_error_clear(&e);
		CHECK(kvk_check(bad[i], "kvk", &e) == KV_INVALID &&
			  e.status == KV_INVALID &&
			  strcmp(e.field, "kvk") == 0 && e.msg[0],
		      "kvk: \"%s\" refused: %s", bad[i], e.msg);
	}
	CHECK(kvk_check(NULL, "kvk", &e) == KV_INVALID, "kvk: NULL refused");
	kv_error_clear(&e);
	CHECK(kvk_check("00000000", "kvk", &e) == KV_INVALID,
	      "kvk: all zeros refused");
	CHECK(strstr(e.msg, "00000000") != NULL, "kvk: zeros named: %s",
	      e.msg);
	kvk_check("1234", "kvk", &e);
	CHECK(strstr(e.msg, "8 digits") && strstr(e.msg, "\"1234\""),
	      "kvk: message says 8 digits and quotes input: %s", e.msg);
	kvk_check("12\n45678", "kvk", &e);
	CHECK(strchr(e.msg, '\n') == NULL,
	      "kvk: control character not echoed");
}

static void test_cpv(void)
{
	struct kv_error e;
	/* Real codes with the check digit the official list gives them. */
	static const char *real[] = {
	    "85310000-5", "85000000-9", "85320000-8", "79000000-4",
	    "98000000-3", "45000000-7", "03000000-1", "72000000-5",
	    "85311000-2", "85312000-9", "48000000-8", "48217100-3",
	    "30213000-5", "71355200-3", "18453000-9", "85121292-6",
	    "92500000-6", "98133110-8", "45233140-2", "34110000-1",
	};
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		CHECK(ok(cpv_check(real[i], "cpv", NULL)), "cpv: %s accepted",
		      real[i]);
		CHECK(cpv_check_digit(real[i]) == real[i][9] - '0',
		      "cpv: check digit of %.8s is %c (got %d)", real[i],
		      real[i][9], cpv_check_digit(real[i]));
	}
	/* Real codes whose official digit departs from the rule: accepted
	 * all the same (see validate.c). */
	static const struct {
		const char *code;
		int rule;
	} odd[] = {
	    {"03300000-2", 4}, {"03400000-4", 5}, {"09134100-8", 2},
	    {"85210000-3", 4}, {"72212100-0", 5}, {"31711154-0", 7},
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		CHECK(ok(cpv_check(odd[i].code, "cpv", NULL)),
		      "cpv: official %s accepted", odd[i].code);
		CHECK(cpv_check_digit(odd[i].code) == odd[i].rule,
		      "cpv: rule digit of %.8s is %d", odd[i].code,
		      odd[i].rule);
	}
	CHECK(ok(cpv_check("85310000", "cpv", NULL)),
	      "cpv: eight digits without check digit");
	CHECK(cpv_check_digit("8531000") == -1, "cpv_check_digit: 7 digits");
	CHECK(cpv_check_digit("853100000") == -1,
	      "cpv_check_digit: 9 digits");
	CHECK(cpv_check_digit("8531000x") == -1,
	      "cpv_check_digit: letter");
	CHECK(cpv_check_digit(NULL) == -1, "cpv_check_digit: NULL");
	CHECK(cpv_check_digit("85310000") == 5, "cpv_check_digit: 8 digits");

	static const char *bad[] = {
	    "",		  "8531000-5",	 "85310000-",	"85310000-55",
	    "85310000 5", "853100005",	 "85310000-x",	"8531000A-5",
	    " 85310000-5", "85310000-5 ", "01121440-7",	"99000000-1",
	    "00000000-0", "46000000-1",	 "85.310.000-5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kv_error_clear(&e);
		CHECK(cpv_check(bad[i], "cpv", &e) == KV_INVALID &&
			  strcmp(e.field, "cpv") == 0 && e.msg[0],
		      "cpv: \"%s\" refused: %s", bad[i], e.msg);
	}
	cpv_check("99000000-1", "cpv", &e);
	CHECK(strstr(e.msg, "99") && strstr(e.msg, "division"),
	      "cpv: unknown division named: %s", e.msg);
	CHECK(cpv_check(NULL, "cpv", &e) == KV_INVALID, "cpv: NULL refused");
	/* Every one of the 45 divisions is accepted. */
	static const int divs[] = {3,  9,  14, 15, 16, 18, 19, 22, 24, 30, 31,
				   32, 33, 34, 35, 37, 38, 39, 41, 42, 43, 44,
				   45, 48, 50, 51, 55, 60, 63, 64, 65, 66, 70,
				   71, 72, 73, 75, 76, 77, 79, 80, 85, 90, 92,
				   98};
	int good = 0, refused = 0;
	for (int d = 0; d < 100; d++) {
		char code[16];
		snprintf(code, sizeof code, "%02d000000", d);
		int is_div = 0;
		for (size_t i = 0; i < sizeof divs / sizeof divs[0]; i++)
			is_div |= divs[i] == d;
		if (ok(cpv_check(code, "cpv", NULL)))
			good += is_div;
		else
			refused += !is_div;
	}
	CHECK(good == 45 && refused == 55,
	      "cpv: exactly the 45 divisions exist (%d, %d)", good, refused);
}

static void test_eur_parse(void)
{
	static const struct {
		const char *in;
		int64_t cents;
	} good[] = {
	    {"1.234.567,89", 123456789},
	    {"1234567.89", 123456789},
	    {"1234567", 123456700},
	    {"\xe2\x82\xac 9.000.000", 900000000},
	    {"\xe2\x82\xac" "9.000.000", 900000000},
	    {"9.000.000,-", 900000000},
	    {"9.000.000,--", 900000000},
	    {"\xe2\x82\xac 9.000.000,-", 900000000},
	    {"1234,56", 123456},
	    {"1234,5", 123450},
	    {"12.5", 1250},
	    {"1.234", 123400},
	    {"0", 0},
	    {"0,01", 1},
	    {"0.12", 12},
	    {"007", 700},
	    {"  42  ", 4200},
	    {"\xc2\xa0" "1.000\xc2\xa0", 100000},
	    {"EUR 15", 1500},
	    {"15 \xe2\x82\xac", 1500},
	    {"10.000.000.000.000", 1000000000000000LL},
	    {"10000000000000,00", 1000000000000000LL},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t c = -1;
		struct kv_error e;
		kv_error_clear(&e);
		enum kv_status st = eur_parse(good[i].in, &c, "amount", &e);
		CHECK(st == KV_OK && c == good[i].cents,
		      "eur_parse(\"%s\") = %lld cents (got %lld) %s",
		      good[i].in, (long long)good[i].cents, (long long)c,
		      e.msg);
	}
	static const struct {
		const char *in, *word;
	} bad[] = {
	    {"", "required"},
	    {NULL, "required"},
	    {"   ", "required"},
	    {"\xe2\x82\xac", "required"},
	    {"-5", "negative"},
	    {"\xe2\x82\xac -5", "negative"},
	    {"-\xe2\x82\xac 5", "negative"},
	    {"12abc", "\"a\""},
	    {"1 234", "\" \""},
	    {"1,234", "two digits"},
	    {"1234.567", "two digits"},
	    {"12,345", "two digits"},
	    {"1,234.56", "ambiguous"},
	    {"1,2,3", "ambiguous"},
	    {"12.34.567", "wrong places"},
	    {"0.125", "two digits"},
	    {"01.234,00", "wrong places"},
	    {"1234.567.890", "wrong places"},
	    {".5", "not written"},
	    {",50", "not written"},
	    {"12,", "not written"},
	    {"12.", "not written"},
	    {"10.000.000.000.000,01", "larger"},
	    {"99999999999999999999999", "larger"},
	    {"1e6", "\"e\""},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t c = 77;
		struct kv_error e;
		kv_error_clear(&e);
		enum kv_status st = eur_parse(bad[i].in, &c, "amount", &e);
		CHECK(st == KV_INVALID && c == 77 &&
			  strcmp(e.field, "amount") == 0 &&
			  strstr(e.msg, bad[i].word),
		      "eur_parse(\"%s\") refused, says \"%s\": %s",
		      bad[i].in ? bad[i].in : "(null)", bad[i].word, e.msg);
	}
}

static void test_dec_format(void)
{
	char buf[32];
	CHECK_STR(dec_format(3650, ',', buf), "36,50", "dec_format: a decimal comma");
	CHECK_STR(dec_format(3650, '.', buf), "36.50", "dec_format: a decimal point");
	CHECK_STR(dec_format(3600, ',', buf), "36", "dec_format: whole, without decimals");
	CHECK_STR(dec_format(5, ',', buf), "0,05", "dec_format: hundredths");
	CHECK_STR(dec_format(-250, ',', buf), "-2,50", "dec_format: negative");
	CHECK(strlen(dec_format(INT64_MIN, ',', buf)) < 32,
	      "dec_format INT64_MIN fits in 32 bytes: %s", buf);
}

static void test_eur_format(void)
{
	char buf[32];
	CHECK_STR(eur_format(123456789, buf), "\xe2\x82\xac 1.234.567,89",
		  "eur_format 1.234.567,89");
	CHECK_STR(eur_format(0, buf), "\xe2\x82\xac 0,00", "eur_format 0");
	CHECK_STR(eur_format(5, buf), "\xe2\x82\xac 0,05", "eur_format 5 cents");
	CHECK_STR(eur_format(100000, buf), "\xe2\x82\xac 1.000,00",
		  "eur_format 1000");
	CHECK_STR(eur_format(99999, buf), "\xe2\x82\xac 999,99",
		  "eur_format 999,99");
	CHECK_STR(eur_format(1000000000000000LL, buf),
		  "\xe2\x82\xac 10.000.000.000.000,00", "eur_format maximum");
	CHECK_STR(eur_format(-150, buf), "\xe2\x82\xac -1,50",
		  "eur_format negative");
	CHECK(strlen(eur_format(INT64_MIN, buf)) < 32,
	      "eur_format INT64_MIN fits in 32 bytes: %s", buf);
	/* What eur_format writes, eur_parse reads back. */
	int64_t v[] = {0, 1, 99, 100, 123456, 900000000, 1000000000000000LL};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int64_t c = -1;
		eur_parse(eur_format(v[i], buf), &c, "amount", NULL);
		CHECK(c == v[i], "eur round trip %lld", (long long)v[i]);
	}
}

static void test_text(void)
{
	struct kv_error e;
	CHECK(ok(text_check("Gemeente Utrecht", 200, "name", NULL)),
	      "text: plain");
	CHECK(ok(text_check("Café — ’s-Hertogenbosch 😀", 200, "name",
			    NULL)),
	      "text: UTF-8 of 2, 3 and 4 bytes");
	/* The bidirectional controls (Trojan Source): refused in names, file
	 * names and longer texts alike; Arabic and Hebrew letters are not. */
	static const char *const bidi[] = {
		"offerte\xe2\x80\xae" "fdp.exe",       /* U+202E RLO */
		"a\xe2\x80\xaa" "b",  "a\xe2\x80\xac" "b", /* U+202A LRE, U+202C PDF */
		"a\xe2\x81\xa6" "b",  "a\xe2\x81\xa9" "b", /* U+2066 LRI, U+2069 PDI */
		"a\xe2\x80\x8f" "b",  "a\xd8\x9c" "b",      /* U+200F RLM, U+061C ALM */
	};
	int refused = 0, refused_lines = 0;
	for (size_t k = 0; k < sizeof bidi / sizeof *bidi; k++) {
		refused += text_check(bidi[k], 200, "file_name", &e) == KV_INVALID &&
			   strcmp(e.field, "file_name") == 0 && strstr(e.msg, "U+") != NULL;
		refused_lines += text_check_lines(bidi[k], 200, true, "motivation", &e) == KV_INVALID;
	}
	CHECK(refused == 7 && refused_lines == 7,
	      "text: bidi controls refused in single-line (%d/7) and longer texts (%d/7)",
	      refused, refused_lines);
	CHECK(text_check("offerte\xe2\x80\xae" "fdp.exe", 200, "file_name", &e) == KV_INVALID &&
	      strstr(e.msg, "U+202E at position 8") != NULL,
	      "text: the refusal names the control and where it is (%s)", e.msg);
	CHECK(ok(text_check("\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa", 200, "name", NULL)),
	      "text: Arabic and Hebrew letters are welcome");
	CHECK(ok(text_check("abc", 3, "name", NULL)), "text: exactly max");
	kv_error_clear(&e);
	CHECK(text_check("abcd", 3, "name", &e) == KV_INVALID &&
		  strstr(e.msg, "4 bytes") && strstr(e.msg, "3"),
	      "text: over max: %s", e.msg);
	CHECK(text_check("é", 1, "name", &e) == KV_INVALID,
	      "text: max counts bytes");
	static const struct {
		const char *in, *word;
	} bad[] = {
	    {"", "required"},
	    {NULL, "required"},
	    {"   ", "required"},
	    {"a\nb", "line break"},
	    {"a\r\nb", "line break"},
	    {"a\xe2\x80\xa8" "b", "line break"},
	    {"a\tb", "U+0009"},
	    {"a\x7f", "U+007F"},
	    {"a\xc2\x85", "U+0085"},
	    {"a\x01", "U+0001"},
	    {"\xff", "UTF-8"},
	    {"a\xc3", "UTF-8"},
	    {"\xc0\xaf", "UTF-8"},	      /* overlong '/' */
	    {"\xe0\x80\xaf", "UTF-8"},	      /* overlong */
	    {"\xed\xa0\x80", "UTF-8"},	      /* surrogate */
	    {"\xf4\x90\x80\x80", "UTF-8"},    /* past U+10FFFF */
	    {"\xe2\x82", "UTF-8"},	      /* cut short */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kv_error_clear(&e);
		CHECK(text_check(bad[i].in, 200, "title", &e) == KV_INVALID &&
			  strcmp(e.field, "title") == 0 &&
			  strstr(e.msg, bad[i].word),
		      "text #%zu refused, says \"%s\": %s", i, bad[i].word,
		      e.msg);
	}
	char s[] = " \xc2\xa0 Gemeente Utrecht  ";
	CHECK_STR(text_trim(s), "Gemeente Utrecht", "text_trim");
	char t[] = "   ";
	CHECK_STR(text_trim(t), "", "text_trim of spaces");
	CHECK(text_trim(NULL) == NULL, "text_trim NULL");
}

/* Found by fuzz_parsers: a sign followed only by white space made the
 * parser read past the end of the trimmed input. */
static void test_eur_fuzz_regressions(void)
{
	static const char *const inputs[] = {"-\t", "+ ", "- \t ", "\xe2\x82\xac ", "-EUR\t"};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		int64_t c = 7;
		struct kv_error e = {0};
		CHECK(eur_parse(inputs[i], &c, "value", &e) == KV_INVALID && c == 7,
		      "eur_parse refuses sign/currency without a number (#%zu)", i);
	}
}

static void test_email(void)
{
	struct kv_error e;
	char out[EMAIL_MAX + 1];
	CHECK(email_normalize("  Jan.Jansen@Dordrecht.NL ", out, sizeof out, "email", &e) == KV_OK &&
	      strcmp(out, "jan.jansen@dordrecht.nl") == 0, "email: trimmed and lower case (%s)", out);
	/* full-width letters and @ (U+FF4A...) fold to ASCII under NFKC */
	CHECK(email_normalize("\xef\xbd\x8a\xef\xbd\x81\xef\xbd\x8e\xef\xbc\xa0" "example.nl", out, sizeof out,
			      "email", &e) == KV_OK && strcmp(out, "jan@example.nl") == 0,
	      "email: full-width forms fold to plain letters (%s)", out);
	CHECK(email_normalize("\xc2\xa0jan@example.nl\xc2\xa0", out, sizeof out, "email", &e) == KV_OK &&
	      strcmp(out, "jan@example.nl") == 0, "email: no-break spaces around are trimmed");
	static const struct { const char *in, *want; } bad[] = {
		{"j\xe2\x80\x8b" "an@example.nl", "U+200B at position 2"},   /* zero-width space */
		{"jan\xc2\xad@example.nl", "U+00AD"},                         /* soft hyphen */
		{"j\xd0\xb0n@example.nl", "U+0430"},                          /* Cyrillic a */
		{"jan@ex\xd0\xb0mple.nl", "U+0430"},
		{"jan@b\xc3\xbc" "cher.nl", "xn--"},                          /* u-umlaut */
		{"jan @example.nl", "space at position 4"},
		{"jan@example", "such as name@example.nl"},
		{"jan@@example.nl", "such as name@example.nl"},
		{"@example.nl", "such as name@example.nl"},
		{"jan@.example.nl", "such as name@example.nl"},
		{"jan@exa_mple.nl", "such as name@example.nl"},
		{"jan..de@example.nl", "such as name@example.nl"},
		{"", "such as name@example.nl"},
		{"   ", "such as name@example.nl"},
		{"jan\xe2\x80\xae" "ln.elpmaxe@", "U+202E"},
	};
	int refused = 0;
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		enum kv_status rc = email_normalize(bad[k].in, out, sizeof out, "email", &e);
		bool good = rc == KV_INVALID && strcmp(e.field, "email") == 0 && strstr(e.msg, bad[k].want);
		if (!good)
			printf("# %zu: %s -> %d %s\n", k, bad[k].in, rc, e.msg);
		refused += good;
	}
	CHECK(refused == (int)(sizeof bad / sizeof *bad),
	      "email: invisible, look-alike and malformed addresses refused, each saying why (%d)", refused);
	char longer[400];
	memset(longer, 'a', 300);
	memcpy(longer + 300, "@example.nl", 12);
	CHECK(email_normalize(longer, out, sizeof out, "email", &e) == KV_INVALID,
	      "email: an address past 254 characters is refused");
}

static void test_slug(void)
{
	char out[16];
	CHECK(text_slug("Financi\xc3\xable draagkracht", out, sizeof out) == 15 &&
	      strcmp(out, "financiele-draa") == 0, "slug: accents off, cut at the buffer (%s)", out);
	CHECK(text_slug("  Kwaliteit & prijs!  ", out, sizeof out) > 0 &&
	      strcmp(out, "kwaliteit-prijs") == 0, "slug: runs of others one dash, none at the ends (%s)", out);
	CHECK(text_slug("\xce\xb1\xce\xb2 ?!", out, sizeof out) == 0 && out[0] == 0,
	      "slug: nothing left of Greek letters and signs");
	CHECK(text_slug("Plan 2", out, sizeof out) == 6 && strcmp(out, "plan-2") == 0,
	      "slug: digits kept (%s)", out);
	CHECK(text_slug("abcdefghijklmn xyz", out, sizeof out) == 14 && strcmp(out, "abcdefghijklmn") == 0,
	      "slug: no dash left dangling at the cut (%s)", out);
}

/* What a person typed, quoted in a message: UTF-8 as typed, controls,
 * direction controls and bytes that are no UTF-8 as "?". */
static void test_quote(void)
{
	char q[KV_QUOTE_MAX];
	CHECK(strcmp(kv_quote("\xe2\x82\xac 5 ton", q), "\xe2\x82\xac 5 ton") == 0,
	      "quote: the euro sign stays (was three question marks): %s", q);
	CHECK(strcmp(kv_quote("caf\xc3\xa9", q), "caf\xc3\xa9") == 0, "quote: an accent stays");
	CHECK(strcmp(kv_quote("a\tb\x7f" "c", q), "a?b?c") == 0, "quote: controls are ?: %s", q);
	CHECK(strcmp(kv_quote("x\xe2\x80\xaey", q), "x?y") == 0, "quote: U+202E is ?: %s", q);
	CHECK(strcmp(kv_quote("x\xc3(y\xff", q), "x?(y?") == 0, "quote: bytes no UTF-8 are ?: %s", q);
	CHECK(strcmp(kv_quote(NULL, q), "") == 0, "quote: NULL is empty");
	char long_euro[3 * 40 + 1];
	for (int i = 0; i < 40; i++)
		memcpy(long_euro + 3 * i, "\xe2\x82\xac", 3);
	long_euro[3 * 40] = 0;
	kv_quote(long_euro, q);
	CHECK(strlen(q) == 32 * 3 + 3 && strcmp(q + 96, "...") == 0,
	      "quote: 32 characters (not bytes), then ...: %zu", strlen(q));

	struct kv_error e = {0};
	int64_t cents;
	CHECK(eur_parse("5 \xe2\x82\xac\xe2\x82\xac", &cents, "value", &e) == KV_INVALID &&
	      strstr(e.msg, "\xe2\x82\xac") && !strstr(e.msg, "?""??"),
	      "an amount's refusal quotes the euro sign, not question marks: %s", e.msg);
	CHECK(eur_parse("12x34", &cents, "value", &e) == KV_INVALID && strstr(e.msg, "\"x\""),
	      "the stray character is named: %s", e.msg);
}

static void test_file_type(void)
{
	struct kv_error e = {0};
	const unsigned char pdf[] = "%PDF-1.7\n", zip[] = "PK\x03\x04rest",
			    mz[] = "MZ\x90\x00\x03", elf[] = "\x7f" "ELF\x02\x01",
			    sh[] = "#!/bin/sh\n", txt[] = "Gewoon tekst",
			    ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
			    macho[] = "\xcf\xfa\xed\xfe\x07";
	CHECK(file_type_check("plan.pdf", pdf, 9, "file", &e) == KV_OK,
	      "a PDF named .pdf is taken");
	CHECK(file_type_check("Begroting.XLSX", zip, 8, "file", &e) == KV_OK,
	      "an XLSX (a ZIP container) named in capitals is taken");
	CHECK(file_type_check("oud.doc", ole, 8, "file", &e) == KV_OK,
	      "an old Word document named .doc is taken");
	CHECK(file_type_check("notities.txt", txt, 12, "file", &e) == KV_OK &&
	      file_type_check("zonder-extensie", pdf, 9, "file", &e) == KV_OK,
	      "an extension Kavel does not know claims nothing");
	CHECK(file_type_check("plan.pdf", mz, 5, "file", &e) == KV_INVALID &&
	      strcmp(e.field, "file") == 0 && strstr(e.msg, "plan.pdf") &&
	      strstr(e.msg, "a program"),
	      "a Windows program named .pdf is refused as a program: %s", e.msg);
	CHECK(file_type_check("tool", elf, 6, "content", &e) == KV_INVALID &&
	      strcmp(e.field, "content") == 0,
	      "a Linux program is refused whatever its name");
	CHECK(file_type_check("run.txt", sh, 10, "file", &e) == KV_INVALID &&
	      file_type_check("x.zip", macho, 5, "file", &e) == KV_INVALID,
	      "a script and a Mach-O binary are programs too");
	CHECK(file_type_check("plan.pdf", zip, 8, "file", &e) == KV_INVALID &&
	      strstr(e.msg, "named as a PDF") && strstr(e.msg, "ZIP"),
	      "a ZIP named .pdf is refused naming both: %s", e.msg);
	CHECK(file_type_check("plan.docx", pdf, 9, "file", &e) == KV_INVALID &&
	      strstr(e.msg, "DOCX") && strstr(e.msg, "a PDF"),
	      "a PDF named .docx is refused naming both: %s", e.msg);
	CHECK(file_type_check("plan.pdf", txt, 12, "file", &e) == KV_INVALID &&
	      strstr(e.msg, "no type Kavel recognises"),
	      "text named .pdf is refused: %s", e.msg);
	CHECK(file_type_check("plan.pdf", pdf, 3, "file", &e) == KV_INVALID,
	      "three bytes are no PDF");
	CHECK(file_type_check(NULL, mz, 5, "file", &e) == KV_INVALID &&
	      strstr(e.msg, "the file"), "a file without a name is still judged");
}

int main(void)
{
	test_file_type();
	test_quote();
	test_eur_fuzz_regressions();
	test_kvk();
	test_cpv();
	test_eur_parse();
	test_eur_format();
	test_dec_format();
	test_text();
	test_email();
	test_slug();
	return tap_done();
}
