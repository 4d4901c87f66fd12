/*
 * validate.c - checks of the identifiers and values Kavel stores: KvK
 * numbers, CPV codes, euro amounts and single-line texts.  See validate.h.
 *
 * Plain C without I/O.  Every refusal says in a sentence (gettext msgid in
 * English) what is wrong and how to write it instead.  Input is quoted back
 * only in a short, printable-ASCII form, so a message never carries control
 * characters or invalid UTF-8 from a request.
 */
#include "validate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uninorm.h>

/* Euro amounts: at most 10^15 cents (ten trillion euros). */
#define EUR_MAX_CENTS 1000000000000000LL

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}


static size_t utf8_decode(const unsigned char *p, unsigned *cp);
static bool is_bidi_control(unsigned cp);

/* --- KvK ------------------------------------------------------------ */

enum kv_status kvk_check(const char *s, const char *field, struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	if (!s || !*s)
		return kv_fail(e, KV_INVALID, field,
			       _("A KvK number is required: the 8 digits of "
				 "the registration in the Handelsregister."));
	size_t n = strlen(s);
	bool digits = true;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			digits = false;
	if (n != 8 || !digits)
		return kv_fail(e, KV_INVALID, field,
			       _("A KvK number has exactly 8 digits, without "
				 "spaces or other characters; got \"%s\"."),
			       kv_quote(s, q));
	if (strcmp(s, "00000000") == 0)
		return kv_fail(e, KV_INVALID, field,
			       _("00000000 is not a KvK number; give the 8 "
				 "digits of the registration in the "
				 "Handelsregister."));
	return KV_OK;
}

/* --- CPV ------------------------------------------------------------ */

/*
 * The CPV check digit.
 *
 * The CPV 2008 guide describes a check digit computed level by level with
 * the weights 7-1-3; the Publications Office confirmed in 2024 (OP-TED/ePO
 * GitHub discussion #589, "CPV control digit") that the documented
 * method does not reproduce the published codes and that the error dates
 * from the 2008 revision and will not be fixed.
 *
 * What the published codes do follow, we found by fitting them: the digits
 * weighted 3,7,1,3,7,1,3,7 from left to right, summed, modulo 10.  This
 * reproduces 85000000-9, 85310000-5, 85311000-2, 85312000-9, 85320000-8,
 * 79000000-4, 98000000-3, 45000000-7, 03000000-1, 72000000-5, every
 * division code we saw, and about three quarters of a 690-code sample of
 * the official list.  But whole subtrees of the official list carry a
 * constant offset against it (03300000-2 and all of 033 except 0333/0334,
 * all of 034 (03400000-4), 091-093 (09100000-0), 72212xxx below 72212000
 * (72212100-0), 85210000-3, single codes such as 31711154-0), probably
 * digits kept from codes that were renumbered in 2008.  No formula gives
 * the official digit for all codes; only the list does.
 *
 * So cpv_check() compares the given check digit with the rule's and
 * refuses a mismatch, except inside the subtrees known to deviate (listed
 * in cpv_deviating below), where any digit is accepted: refusing there
 * would refuse real codes such as 09134100-8 (diesel oil).  A complete
 * check needs the official list (Regulation (EC) 213/2008, annex I) as
 * data, which no Debian or npm package ships; see the issue notes.
 */
static bool cpv_deviating(const char *s)
{
	static const char *const prefixes[] = {
		"033", "034", "091", "092", "093", "722121", "722122", "722123",
		"722124", "722125", "722126", "722127", "722128", "722129",
		"85210000", "31711154",
	};
	if (strncmp(s, "0333", 4) == 0 || strncmp(s, "0334", 4) == 0)
		return false;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

int cpv_check_digit(const char *eight_digits)
{
	static const int w[8] = {3, 7, 1, 3, 7, 1, 3, 7};
	if (!eight_digits)
		return -1;
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		if (!is_digit(eight_digits[i]))
			return -1;
		sum += (eight_digits[i] - '0') * w[i];
	}
	if (eight_digits[8] != 0 && eight_digits[8] != '-')
		return -1;
	return sum % 10;
}

/* The 45 divisions of the CPV 2008 main vocabulary. */
static bool cpv_division_exists(int div)
{
	static const unsigned char divisions[] = {
		3,  9,  14, 15, 16, 18, 19, 22, 24, 30, 31, 32, 33, 34, 35,
		37, 38, 39, 41, 42, 43, 44, 45, 48, 50, 51, 55, 60, 63, 64,
		65, 66, 70, 71, 72, 73, 75, 76, 77, 79, 80, 85, 90, 92, 98,
	};
	for (size_t i = 0; i < sizeof divisions; i++)
		if (divisions[i] == div)
			return true;
	return false;
}

enum kv_status cpv_check(const char *s, const char *field, struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	if (!s || !*s)
		return kv_fail(e, KV_INVALID, field,
			       _("A CPV code is required, for example "
				 "85310000-5 (social work services)."));
	size_t n = strlen(s);
	bool shape = n == 8 || (n == 10 && s[8] == '-' && is_digit(s[9]));
	for (size_t i = 0; shape && i < 8; i++)
		if (!is_digit(s[i]))
			shape = false;
	if (!shape)
		return kv_fail(e, KV_INVALID, field,
			       _("A CPV code is eight digits, a dash and a "
				 "check digit, such as 85310000-5 (or the "
				 "eight digits alone); got \"%s\"."),
			       kv_quote(s, q));
	int div = (s[0] - '0') * 10 + (s[1] - '0');
	if (!cpv_division_exists(div))
		return kv_fail(e, KV_INVALID, field,
			       _("The CPV code \"%s\" starts with %02d, which "
				 "is not a division of the CPV; the first two "
				 "digits are one of 03, 09, 14 ... 98, for "
				 "example 45 for works or 85 for health and "
				 "social services."),
			       kv_quote(s, q), div);
	if (n == 10 && !cpv_deviating(s)) {
		int want = cpv_check_digit(s);
		if (want != s[9] - '0')
			return kv_fail(e, KV_INVALID, field,
				       _("The check digit of CPV code \"%s\" "
					 "does not match: for %.8s it is %d "
					 "(%.8s-%d). Check the code against the "
					 "CPV list."),
				       kv_quote(s, q), s, want, s, want);
	}
	return KV_OK;
}

/* --- euro amounts ---------------------------------------------------- */

/* Skips spaces, tabs, no-break spaces (U+00A0) and narrow no-break
 * spaces (U+202F), as text pasted from a spreadsheet has them. */
static const char *skip_space(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if ((unsigned char)p[0] == 0xc2 &&
			 (unsigned char)p[1] == 0xa0)
			p += 2;
		else if ((unsigned char)p[0] == 0xe2 &&
			 (unsigned char)p[1] == 0x80 &&
			 (unsigned char)p[2] == 0xaf)
			p += 3;
		else
			return p;
	}
}

/* The end of p without trailing spaces of the kinds skip_space skips. */
static const char *trim_end(const char *p, const char *end)
{
	for (;;) {
		if (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - p >= 2 && (unsigned char)end[-2] == 0xc2 &&
			 (unsigned char)end[-1] == 0xa0)
			end -= 2;
		else if (end - p >= 3 && (unsigned char)end[-3] == 0xe2 &&
			 (unsigned char)end[-2] == 0x80 &&
			 (unsigned char)end[-1] == 0xaf)
			end -= 3;
		else
			return end;
	}
}

static bool has_prefix(const char *p, const char *end, const char *pre)
{
	size_t n = strlen(pre);
	return p <= end && (size_t)(end - p) >= n && memcmp(p, pre, n) == 0;
}

/* Adds the digits [p, end) to *v (in units), false on overflow past lim. */
static bool add_digits(const char *p, const char *end, long long *v,
		       long long lim)
{
	for (; p < end; p++) {
		if (*v > (lim - (*p - '0')) / 10)
			return false;
		*v = *v * 10 + (*p - '0');
	}
	return true;
}

enum kv_status eur_parse(const char *s, int64_t *cents, const char *field,
			 struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	if (!s)
		s = "";
	const char *p = skip_space(s);
	const char *end = trim_end(p, p + strlen(p));
	bool minus = false;

	/* An optional sign and currency, in either order: "€ -5", "-€ 5". */
	for (int round = 0; round < 2; round++) {
		if (p < end && *p == '-') {
			minus = true;
			p = skip_space(p + 1);
		} else if (p < end && *p == '+') {
			p = skip_space(p + 1);
		}
		if (has_prefix(p, end, "\xe2\x82\xac"))
			p = skip_space(p + 3);
		else if (has_prefix(p, end, "EUR") || has_prefix(p, end, "eur"))
			p = skip_space(p + 3);
		/* skip_space may run past a trimmed end ("-\t"). */
		if (p > end)
			p = end;
	}
	if (p > end)
		p = end;
	/* A currency after the number: "9000 €", "9000 EUR". */
	if (end - p >= 3 && (memcmp(end - 3, "\xe2\x82\xac", 3) == 0 ||
			     memcmp(end - 3, "EUR", 3) == 0 ||
			     memcmp(end - 3, "eur", 3) == 0))
		end = trim_end(p, end - 3);
	/* The Dutch "9.000.000,-" and "9.000.000,--": whole euros. */
	if (end - p >= 3 && end[-1] == '-' && end[-2] == '-' && end[-3] == ',')
		end -= 3;
	else if (end - p >= 2 && end[-1] == '-' && end[-2] == ',')
		end -= 2;

	if (p == end)
		return kv_fail(e, KV_INVALID, field,
			       _("An amount in euros is required, for example "
				 "1.234.567,89 or 9000000."));
	if (minus)
		return kv_fail(e, KV_INVALID, field,
			       _("The amount \"%s\" is negative; an amount is "
				 "zero or more."),
			       kv_quote(s, q));

	int n_comma = 0, n_dot = 0;
	for (const char *c = p; c < end; c++) {
		if (*c == ',')
			n_comma++;
		else if (*c == '.')
			n_dot++;
		else if (!is_digit(*c)) {
			/* The character as typed, "€" or "é" whole. */
			char one[8], cq[KV_QUOTE_MAX];
			unsigned cp;
			size_t n = utf8_decode((const unsigned char *)c, &cp);
			snprintf(one, sizeof one, "%.*s", (int)(n ? n : 1), c);
			return kv_fail(
			    e, KV_INVALID, field,
			    _("The amount \"%s\" contains \"%s\", which is "
			      "not part of an amount; write digits, a dot "
			      "between thousands and a comma before the "
			      "cents, for example 1.234.567,89."),
			    kv_quote(s, q), kv_quote(one, cq));
		}
	}

	/* Split into the whole part [p, ip_end) and the cents [fp, end). */
	const char *ip_end = end, *fp = end;
	bool grouped = false;
	if (n_comma > 1 ||
	    (n_comma == 1 && n_dot > 0 &&
	     (const char *)memchr(p, ',', (size_t)(end - p)) <
		 (const char *)memchr(p, '.', (size_t)(end - p))))
		goto ambiguous; /* "1,234.56", "1,2,3" */
	if (n_comma == 1) {
		ip_end = memchr(p, ',', (size_t)(end - p));
		fp = ip_end + 1;
		grouped = n_dot > 0;
	} else if (n_dot == 1) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t after = (size_t)(end - dot - 1);
		if (after == 3 && dot - p <= 3 && *p != '0') {
			grouped = true; /* "1.234": Dutch thousands */
		} else if (after == 3) {
			goto decimals;
		} else {
			ip_end = dot;
			fp = dot + 1;
		}
	} else if (n_dot > 1) {
		grouped = true;
	}

	if (ip_end == p || (ip_end != end && fp == end))
		goto malformed; /* ",50", "12," */
	if (end - fp > 2)
		goto decimals;
	for (const char *c = fp; c < end; c++)
		if (!is_digit(*c))
			goto ambiguous;
	if (grouped) {
		/* First group 1-3 digits, every later one exactly 3. */
		const char *g = p;
		const char *dot = memchr(g, '.', (size_t)(ip_end - g));
		if (!dot || dot == g || dot - g > 3 || *g == '0')
			goto grouping; /* also "01.234" */
		while (dot) {
			g = dot + 1;
			dot = memchr(g, '.', (size_t)(ip_end - g));
			if ((dot ? dot : ip_end) - g != 3)
				goto grouping;
		}
	}

	long long euros = 0, frac = 0;
	for (const char *c = p; c < ip_end; c++) {
		if (*c == '.')
			continue;
		if (!add_digits(c, c + 1, &euros, EUR_MAX_CENTS / 100))
			goto too_large;
	}
	add_digits(fp, end, &frac, 99);
	if (end - fp == 1)
		frac *= 10;
	if (euros * 100 + frac > EUR_MAX_CENTS)
		goto too_large;
	if (cents)
		*cents = euros * 100 + frac;
	return KV_OK;

malformed:
	return kv_fail(e, KV_INVALID, field,
		       _("The amount \"%s\" is not written as an amount; "
			 "write for example 1.234.567,89, 1234567.89 or "
			 "9.000.000,-."),
		       kv_quote(s, q));
decimals:
	return kv_fail(e, KV_INVALID, field,
		       _("The amount \"%s\" has more than two digits after "
			 "the decimal separator; cents are two digits (1,25) "
			 "and thousands are separated by dots (1.250)."),
		       kv_quote(s, q));
grouping:
	return kv_fail(e, KV_INVALID, field,
		       _("The amount \"%s\" has dots in the wrong places: a "
			 "dot separates groups of three digits, as in "
			 "1.234.567,89."),
		       kv_quote(s, q));
ambiguous:
	return kv_fail(e, KV_INVALID, field,
		       _("The amount \"%s\" is ambiguous: use a comma only "
			 "before the cents (1.234,56), or a point before the "
			 "cents and no thousands separators (1234.56)."),
		       kv_quote(s, q));
too_large:
	return kv_fail(e, KV_INVALID, field,
		       _("The amount \"%s\" is larger than Kavel accepts "
			 "(at most 10.000.000.000.000,00 euro)."),
		       kv_quote(s, q));
}

char *eur_format(int64_t cents, char *buf)
{
	/* Unsigned, so that INT64_MIN has a magnitude too. */
	unsigned long long v = cents < 0 ? 0ULL - (unsigned long long)cents
					 : (unsigned long long)cents;
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", v / 100);
	char *o = buf;
	memcpy(o, "\xe2\x82\xac ", 4); /* "€ " */
	o += 4;
	if (cents < 0)
		*o++ = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*o++ = '.';
		*o++ = digits[i];
	}
	*o++ = ',';
	*o++ = (char)('0' + (int)(v % 100 / 10));
	*o++ = (char)('0' + (int)(v % 10));
	*o = 0;
	return buf;
}

char *dec_format(int64_t hundredths, char mark, char *buf)
{
	unsigned long long v = hundredths < 0 ? 0ULL - (unsigned long long)hundredths
					      : (unsigned long long)hundredths;
	const char *sign = hundredths < 0 ? "-" : "";
	if (v % 100 == 0)
		snprintf(buf, 32, "%s%llu", sign, v / 100);
	else
		snprintf(buf, 32, "%s%llu%c%02llu", sign, v / 100, mark, v % 100);
	return buf;
}

/* --- text ------------------------------------------------------------ */

/*
 * Decodes one UTF-8 sequence at p (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF).  Returns its length, 0 if invalid.
 */
static size_t utf8_decode(const unsigned char *p, unsigned *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		if ((p[1] & 0xc0) != 0x80)
			return 0;
		*cp = (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		*cp = (unsigned)(p[0] & 0x0f) << 12 |
		      (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		*cp = (unsigned)(p[0] & 0x07) << 18 |
		      (unsigned)(p[1] & 0x3f) << 12 |
		      (unsigned)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		if (*cp < 0x10000 || *cp > 0x10ffff)
			return 0;
		return 4;
	}
	return 0;
}

/*
 * The invisible controls of the Unicode bidirectional algorithm (UAX #9):
 * embeddings, overrides and isolates, and the marks.  In a name, a file
 * name or a motivation they make text read otherwise than it is stored
 * ("Trojan Source", CVE-2021-42574): "offerte<U+202E>fdp.exe" shows as
 * "offerteexe.pdf".  Kavel refuses them everywhere.
 */
static bool is_bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

const char *kv_quote(const char *s, char buf[KV_QUOTE_MAX])
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t o = 0;
	int chars = 0;
	while (*p && chars < 32) {
		unsigned cp;
		size_t n = utf8_decode(p, &cp);
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    is_bidi_control(cp)) {
			buf[o++] = '?';
			p += n ? n : 1;
		} else {
			memcpy(buf + o, p, n);
			o += n;
			p += n;
		}
		chars++;
	}
	if (*p) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = 0;
	return buf;
}

static enum kv_status bidi_refused(unsigned cp, size_t pos, const char *field,
				   struct kv_error *e)
{
	return kv_fail(e, KV_INVALID, field,
		       _("The text contains the invisible direction control "
			 "U+%04X at position %zu, which makes text read "
			 "otherwise than it is stored; remove it."),
		       cp, pos);
}

char *text_trim(char *s)
{
	if (!s)
		return s;
	const char *p = skip_space(s);
	const char *end = trim_end(p, p + strlen(p));
	size_t n = (size_t)(end - p);
	memmove(s, p, n);
	s[n] = 0;
	return s;
}

enum kv_status text_check(const char *s, size_t max, const char *field,
			  struct kv_error *e)
{
	if (!s)
		s = "";
	const char *p = skip_space(s);
	if (!*p)
		return kv_fail(e, KV_INVALID, field,
			       _("This field is required; it is empty or "
				 "holds only spaces."));
	size_t chars = 0, i = 0;
	while (s[i]) {
		unsigned cp;
		size_t n = utf8_decode((const unsigned char *)s + i, &cp);
		if (!n)
			return kv_fail(e, KV_INVALID, field,
				       _("The text is not valid UTF-8 (at "
					 "byte %zu); paste it again from a "
					 "program that saves UTF-8."),
				       i + 1);
		chars++;
		if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
			return kv_fail(e, KV_INVALID, field,
				       _("The text contains a line break "
					 "after %zu characters; it must be a "
					 "single line."),
				       chars - 1);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return kv_fail(e, KV_INVALID, field,
				       _("The text contains the control "
					 "character U+%04X at position %zu; "
					 "remove it (tabs are not allowed "
					 "either)."),
				       cp, chars);
		if (is_bidi_control(cp))
			return bidi_refused(cp, chars, field, e);
		i += n;
	}
	if (i > max)
		return kv_fail(e, KV_INVALID, field,
			       _("The text is too long: %zu bytes, and at "
				 "most %zu are allowed (letters with accents "
				 "and other symbols take two to four bytes)."),
			       i, max);
	return KV_OK;
}

enum kv_status text_check_lines(const char *s, size_t max, bool required,
				const char *field, struct kv_error *e)
{
	if (!s)
		s = "";
	bool blank = true;
	size_t i = 0, chars = 0;
	while (s[i]) {
		unsigned cp;
		size_t n = utf8_decode((const unsigned char *)s + i, &cp);
		if (!n)
			return kv_fail(e, KV_INVALID, field,
				       _("The text is not valid UTF-8 (at "
					 "byte %zu); paste it again from a "
					 "program that saves UTF-8."),
				       i + 1);
		chars++;
		if ((cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') ||
		    (cp >= 0x7f && cp <= 0x9f))
			return kv_fail(e, KV_INVALID, field,
				       _("The text contains the control "
					 "character U+%04X at position %zu; "
					 "remove it."),
				       cp, chars);
		if (is_bidi_control(cp))
			return bidi_refused(cp, chars, field, e);
		if (cp != ' ' && cp != '\n' && cp != '\r' && cp != '\t' &&
		    cp != 0xa0 && cp != 0x202f)
			blank = false;
		i += n;
	}
	if (required && blank)
		return kv_fail(e, KV_INVALID, field,
			       _("This field is required; it is empty or "
				 "holds only spaces."));
	if (i > max)
		return kv_fail(e, KV_INVALID, field,
			       _("The text is too long: %zu bytes, and at "
				 "most %zu are allowed (letters with accents "
				 "and other symbols take two to four bytes)."),
			       i, max);
	return KV_OK;
}

const char *file_sniff(const unsigned char *head, size_t n)
{
	if (n >= 5 && memcmp(head, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
		return "application/zip";
	return "application/octet-stream";
}

enum file_kind {
	FILE_UNKNOWN, FILE_PDF, FILE_ZIP, FILE_OLE, FILE_PNG, FILE_JPEG,
	FILE_PROGRAM,
};

static enum file_kind content_kind(const unsigned char *h, size_t n)
{
	static const unsigned char ole[8] = {0xd0, 0xcf, 0x11, 0xe0,
					     0xa1, 0xb1, 0x1a, 0xe1};
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G',
					     '\r', '\n', 0x1a, '\n'};
	static const unsigned char macho[][4] = {
		{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf},
		{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe},
		{0xca, 0xfe, 0xba, 0xbe}};
	if (n >= 5 && memcmp(h, "%PDF-", 5) == 0)
		return FILE_PDF;
	if (n >= 4 && memcmp(h, "PK\x03\x04", 4) == 0)
		return FILE_ZIP;
	if (n >= 8 && memcmp(h, ole, 8) == 0)
		return FILE_OLE;
	if (n >= 8 && memcmp(h, png, 8) == 0)
		return FILE_PNG;
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return FILE_JPEG;
	if ((n >= 2 && memcmp(h, "MZ", 2) == 0) ||
	    (n >= 4 && memcmp(h, "\x7f" "ELF", 4) == 0) ||
	    (n >= 2 && memcmp(h, "#!", 2) == 0))
		return FILE_PROGRAM;
	for (size_t i = 0; n >= 4 && i < sizeof macho / sizeof *macho; i++)
		if (memcmp(h, macho[i], 4) == 0)
			return FILE_PROGRAM;
	return FILE_UNKNOWN;
}

static enum file_kind name_kind(const char *name)
{
	static const struct {
		const char *ext;
		enum file_kind kind;
	} ext[] = {
		{"pdf", FILE_PDF}, {"zip", FILE_ZIP}, {"docx", FILE_ZIP},
		{"xlsx", FILE_ZIP}, {"pptx", FILE_ZIP}, {"odt", FILE_ZIP},
		{"ods", FILE_ZIP}, {"odp", FILE_ZIP}, {"doc", FILE_OLE},
		{"xls", FILE_OLE}, {"ppt", FILE_OLE}, {"png", FILE_PNG},
		{"jpg", FILE_JPEG}, {"jpeg", FILE_JPEG},
	};
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot)
		return FILE_UNKNOWN;
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
		if (strcasecmp(dot + 1, ext[i].ext) == 0)
			return ext[i].kind;
	return FILE_UNKNOWN;
}

/* What a file of kind k is, in words ("a PDF"). */
static const char *kind_words(enum file_kind k)
{
	switch (k) {
	case FILE_PDF: return _("a PDF");
	case FILE_ZIP: return _("an office document or ZIP file (DOCX, XLSX, ODT)");
	case FILE_OLE: return _("an older Office document (DOC, XLS)");
	case FILE_PNG: return _("a PNG image");
	case FILE_JPEG: return _("a JPEG image");
	case FILE_PROGRAM: return _("a program");
	case FILE_UNKNOWN: break;
	}
	return _("of no type Kavel recognises");
}

enum kv_status file_type_check(const char *name, const unsigned char *head,
			       size_t n, const char *field, struct kv_error *e)
{
	enum file_kind got = content_kind(head, n);
	enum file_kind claim = name_kind(name);
	const char *shown = name && *name ? name : _("the file");
	if (got == FILE_PROGRAM)
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" is a program, judged by its first "
				 "bytes: Kavel takes documents, never programs."),
			       shown);
	if (claim != FILE_UNKNOWN && got != claim)
		return kv_fail(e, KV_INVALID, field,
			       _("\"%s\" is named as %s, but its content is %s: "
				 "send the document itself, or name it for what "
				 "it is."),
			       shown, kind_words(claim), kind_words(got));
	return KV_OK;
}

/* --- e-mail addresses ------------------------------------------------ */


static bool is_invisible(unsigned cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2060 && cp <= 0x2064) ||
	       cp == 0xfeff || cp == 0x00ad || cp == 0x034f || cp == 0x180e ||
	       is_bidi_control(cp);
}

enum kv_status email_normalize(const char *in, char *out, size_t outlen,
			       const char *field, struct kv_error *e)
{
	if (outlen)
		out[0] = 0;
	const char *p = skip_space(in ? in : "");
	const char *end = trim_end(p, p + strlen(p));
	size_t n = (size_t)(end - p);
	if (n == 0)
		return kv_fail(e, KV_INVALID, field,
			       _("Give an e-mail address, such as name@example.nl."));
	if (n > 4 * EMAIL_MAX)
		return kv_fail(e, KV_INVALID, field,
			       _("An e-mail address has at most %d characters."), EMAIL_MAX);
	/* Valid UTF-8 first, and nothing invisible: NFKC would keep those. */
	size_t chars = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_decode((const unsigned char *)p + i, &cp);
		if (!k || i + k > n)
			return kv_fail(e, KV_INVALID, field,
				       _("The e-mail address is not valid UTF-8 (at byte %zu)."), i + 1);
		chars++;
		if (is_invisible(cp) || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return kv_fail(e, KV_INVALID, field,
				       _("The e-mail address holds the invisible character U+%04X "
					 "at position %zu; type it again without it."), cp, chars);
		i += k;
	}
	size_t nl = 0;
	uint8_t *nf = u8_normalize(UNINORM_NFKC, (const uint8_t *)p, n, NULL, &nl);
	if (!nf)
		return kv_fail(e, KV_IO, field, _("Out of memory."));
	enum kv_status rc = KV_OK;
	size_t at = 0, ats = 0;
	chars = 0;
	for (size_t i = 0; i < nl && rc == KV_OK;) {
		unsigned cp;
		size_t k = utf8_decode(nf + i, &cp);
		chars++;
		if (!k)
			rc = kv_fail(e, KV_INVALID, field, _("The e-mail address is not valid UTF-8."));
		else if (cp == ' ' || cp == 0xa0 || cp == '\t')
			rc = kv_fail(e, KV_INVALID, field,
				     _("The e-mail address holds a space at position %zu."), chars);
		else if (cp >= 0x80)
			rc = kv_fail(e, KV_INVALID, field,
				     _("The e-mail address holds U+%04X at position %zu, which is no "
				       "plain letter (it may look like one); type the address in plain "
				       "letters, a domain with accents in its xn-- form."), cp, chars);
		else if (cp == '@') {
			at = i;
			ats++;
		}
		i += k ? k : 1;
	}
	if (rc == KV_OK && nl > EMAIL_MAX)
		rc = kv_fail(e, KV_INVALID, field,
			     _("An e-mail address has at most %d characters."), EMAIL_MAX);
	if (rc == KV_OK) {
		/* local@domain.tld: one @, a local part, a domain of labels of
		 * letters, digits and hyphens with a dot among them. */
		const char *s = (const char *)nf;
		const char *dom = s + at + 1;
		size_t dl = nl - at - 1;
		bool ok = ats == 1 && at > 0 && at <= 64 && dl >= 3 && memchr(dom, '.', dl) &&
			  dom[0] != '.' && dom[dl - 1] != '.' && s[0] != '.' && s[at - 1] != '.';
		for (size_t i = 0; ok && i < dl; i++) {
			char c = dom[i];
			ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || (c == '.' && dom[i + 1] != '.');
		}
		for (size_t i = 0; ok && i < at; i++)
			ok = s[i] > 0x20 && s[i] < 0x7f && !strchr("()<>[]:;,\\\"", s[i]) &&
			     !(s[i] == '.' && s[i + 1] == '.');
		if (!ok)
			rc = kv_fail(e, KV_INVALID, field,
				     _("Give an e-mail address, such as name@example.nl."));
	}
	if (rc == KV_OK && nl + 1 > outlen)
		rc = kv_fail(e, KV_INVALID, field,
			     _("An e-mail address has at most %d characters."), EMAIL_MAX);
	if (rc == KV_OK) {
		for (size_t i = 0; i < nl; i++) {
			char c = (char)nf[i];
			out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		out[nl] = 0;
	}
	free(nf);
	return rc;
}

size_t text_slug(const char *title, char *out, size_t outlen)
{
	size_t n = 0, nl = 0;
	if (outlen < 2)
		return 0;
	uint8_t *nf = u8_normalize(UNINORM_NFKD, (const uint8_t *)title, strlen(title),
				   NULL, &nl);
	if (!nf)
		return out[0] = 0, 0;
	bool dash = false;
	for (size_t i = 0; i < nl && n < outlen - 1;) {
		unsigned cp = 0;                /* an undecodable byte: a separator */
		size_t k = utf8_decode(nf + i, &cp);
		i += k ? k : 1;
		if (!k)
			cp = ' ';
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		bool keep = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
		bool mark = cp >= 0x300 && cp <= 0x36f;   /* an accent, come off */
		if (mark)
			continue;
		if (!keep) {
			dash = n > 0;
			continue;
		}
		if (dash) {
			if (n + 2 > outlen - 1)
				break;
			out[n++] = '-';
		}
		dash = false;
		out[n++] = (char)cp;
	}
	free(nf);
	out[n] = 0;
	return n;
}
