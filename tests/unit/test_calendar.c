/*
 * test_calendar.c - civil dates, Europe/Amsterdam time, Easter, the
 * holidays of the Algemene termijnenwet, the shipped equated days and the
 * standstill period (src/core/calendar.c).
 *
 * Expected instants are UTC seconds worked out beforehand (with date(1)
 * and by hand), never with the functions under test.
 */
#include <locale.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/validate.h"
#include "tap.h"

static cal_date D(int y, int m, int d)
{
	return (cal_date){y, m, d};
}

static int same(cal_date a, cal_date b)
{
	return a.year == b.year && a.month == b.month && a.day == b.day;
}

static const char *fmt(cal_date d)
{
	static char buf[4][11];
	static int i;
	i = (i + 1) % 4;
	return cal_format_date(d, buf[i]);
}

/* Runs f in the given locale (per thread, as the server does). */
static locale_t use(const char *name)
{
	locale_t l = newlocale(LC_ALL_MASK, name, (locale_t)0);
	if (l)
		uselocale(l);
	return l;
}

static void unuse(locale_t l)
{
	uselocale(LC_GLOBAL_LOCALE);
	if (l)
		freelocale(l);
}

static void test_civil(void)
{
	CHECK(cal_days_from_civil(D(1970, 1, 1)) == 0, "epoch is day 0");
	CHECK(cal_days_from_civil(D(2000, 3, 1)) == 11017, "2000-03-01");
	CHECK(cal_days_from_civil(D(1969, 12, 31)) == -1, "1969-12-31");
	CHECK(cal_days_from_civil(D(2022, 7, 1)) == 19174, "2022-07-01");
	CHECK(cal_days_from_civil(D(1, 1, 1)) == -719162, "0001-01-01");
	/* Round trip over 1600..2400 day by day. */
	int64_t from = cal_days_from_civil(D(1600, 1, 1));
	int64_t to = cal_days_from_civil(D(2400, 12, 31));
	int bad = 0, wd_bad = 0;
	cal_date prev = cal_civil_from_days(from - 1);
	for (int64_t z = from; z <= to; z++) {
		cal_date d = cal_civil_from_days(z);
		if (cal_days_from_civil(d) != z || !cal_date_valid(d) ||
		    cal_date_cmp(prev, d) >= 0)
			bad++;
		if (cal_weekday(d) != cal_weekday(prev) % 7 + 1)
			wd_bad++;
		prev = d;
	}
	CHECK(bad == 0, "days <-> civil round trip 1600-2400 (%d bad)", bad);
	CHECK(wd_bad == 0, "weekdays follow each other (%d bad)", wd_bad);
	CHECK(to - from + 1 == 801 * 365 + 195,
	      "801 years hold 195 leap days");

	CHECK(cal_weekday(D(1970, 1, 1)) == 4, "1970-01-01 was a Thursday");
	CHECK(cal_weekday(D(2022, 7, 1)) == 5, "2022-07-01 was a Friday");
	CHECK(cal_weekday(D(2022, 7, 3)) == 7, "2022-07-03 was a Sunday");
	CHECK(cal_weekday(D(2022, 7, 4)) == 1, "2022-07-04 was a Monday");
	CHECK(cal_weekday(D(1969, 12, 31)) == 3, "1969-12-31 a Wednesday");
	CHECK(cal_weekday(D(2000, 2, 29)) == 2, "2000-02-29 a Tuesday");

	CHECK(same(cal_add_days(D(2022, 12, 31), 1), D(2023, 1, 1)),
	      "add: new year");
	CHECK(same(cal_add_days(D(2024, 2, 28), 1), D(2024, 2, 29)),
	      "add: leap day");
	CHECK(same(cal_add_days(D(2023, 2, 28), 1), D(2023, 3, 1)),
	      "add: no leap day in 2023");
	CHECK(same(cal_add_days(D(2100, 2, 28), 1), D(2100, 3, 1)),
	      "add: no leap day in 2100");
	CHECK(same(cal_add_days(D(2022, 3, 1), -1), D(2022, 2, 28)),
	      "add: backwards");
	CHECK(same(cal_add_days(D(2022, 4, 29), 20), D(2022, 5, 19)),
	      "add: 20 days");

	CHECK(cal_date_cmp(D(2022, 1, 2), D(2022, 1, 10)) < 0, "cmp <");
	CHECK(cal_date_cmp(D(2023, 1, 1), D(2022, 12, 31)) > 0, "cmp >");
	CHECK(cal_date_cmp(D(2022, 5, 5), D(2022, 5, 5)) == 0, "cmp ==");

	CHECK(cal_date_valid(D(2024, 2, 29)), "valid: 2024-02-29");
	CHECK(!cal_date_valid(D(2023, 2, 29)), "invalid: 2023-02-29");
	CHECK(!cal_date_valid(D(2022, 2, 30)), "invalid: 2022-02-30");
	CHECK(!cal_date_valid(D(2022, 4, 31)), "invalid: 2022-04-31");
	CHECK(!cal_date_valid(D(2022, 13, 1)), "invalid: month 13");
	CHECK(!cal_date_valid(D(2022, 0, 1)), "invalid: month 0");
	CHECK(!cal_date_valid(D(2022, 1, 0)), "invalid: day 0");
	CHECK(cal_date_valid(D(2000, 2, 29)) && !cal_date_valid(D(1900, 2, 29)),
	      "leap rule of 400 and 100");
}

static void test_parse_date(void)
{
	cal_date d = {0, 0, 0};
	struct kv_error e;
	CHECK(cal_parse_date("2022-07-01", &d, "date", NULL) == 0 &&
		  same(d, D(2022, 7, 1)),
	      "parse 2022-07-01");
	CHECK(cal_parse_date("2024-02-29", &d, "date", NULL) == 0,
	      "parse leap day");
	static const struct {
		const char *in, *word;
	} bad[] = {
	    {"", "required"},
	    {NULL, "required"},
	    {"2022-02-30", "February 2022 has 28 days"},
	    {"2023-02-29", "February 2023 has 28 days"},
	    {"2022-04-31", "April 2022 has 30 days"},
	    {"2022-13-01", "month 13"},
	    {"2022-00-10", "month 00"},
	    {"2022-07-00", "July 2022 has 31 days"},
	    {"2022-7-1", "YYYY-MM-DD"},
	    {"2022-07-1", "YYYY-MM-DD"},
	    {"2022-07-01x", "YYYY-MM-DD"},
	    {"2022-07-01 ", "YYYY-MM-DD"},
	    {" 2022-07-01", "YYYY-MM-DD"},
	    {"2022/07/01", "YYYY-MM-DD"},
	    {"01-07-2022", "YYYY-MM-DD"},
	    {"22-07-01", "YYYY-MM-DD"},
	    {"2022-07-01T12:00", "YYYY-MM-DD"},
	    {"+022-07-01", "YYYY-MM-DD"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kv_error_clear(&e);
		d = D(1, 1, 1);
		CHECK(cal_parse_date(bad[i].in, &d, "deadline", &e) == -1 &&
			  e.status == KV_INVALID &&
			  strcmp(e.field, "deadline") == 0 &&
			  strstr(e.msg, bad[i].word) && same(d, D(1, 1, 1)),
		      "parse \"%s\" refused, says \"%s\": %s",
		      bad[i].in ? bad[i].in : "(null)", bad[i].word, e.msg);
	}
	char buf[11];
	CHECK_STR(cal_format_date(D(2022, 7, 1), buf), "2022-07-01",
		  "format 2022-07-01");
	CHECK_STR(cal_format_date(D(987, 12, 3), buf), "0987-12-03",
		  "format pads the year");
}

static void test_long(void)
{
	arena *a = arena_new();
	CHECK_STR(cal_format_long(a, D(2022, 7, 1)), "vrijdag 1 juli 2022",
		  "long date, Dutch by default");
	CHECK_STR(cal_format_long(a, D(2022, 5, 23)), "maandag 23 mei 2022",
		  "long date, Dutch: maandag 23 mei");
	locale_t en = use("en_US.UTF-8");
	if (en) {
		CHECK_STR(cal_format_long(a, D(2022, 7, 1)),
			  "Friday 1 July 2022", "long date in English");
		CHECK_STR(cal_format_long(a, D(2026, 12, 27)),
			  "Sunday 27 December 2026", "long date in English 2");
	} else {
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
	}
	unuse(en);
	locale_t nl = use("nl_NL.UTF-8");
	if (nl)
		CHECK_STR(cal_format_long(a, D(2022, 12, 26)),
			  "maandag 26 december 2022", "long date in nl_NL");
	else
		CHECK(1, "# SKIP nl_NL.UTF-8 is not installed");
	unuse(nl);
	arena_free(a);
}

static void test_local(void)
{
	/* Ordinary summer and winter. */
	CHECK(cal_local_to_utc(D(2022, 7, 1), 12, 0, 0) == 1656669600,
	      "2022-07-01 12:00 CEST is 10:00 UTC");
	CHECK(cal_local_to_utc(D(2022, 1, 15), 13, 0, 0) == 1642248000,
	      "2022-01-15 13:00 CET is 12:00 UTC");

	/* Spring gap: 02:00-03:00 does not exist on the last Sunday of
	 * March; 02:30 moves forward by the gap to 03:30 CEST. */
	CHECK(cal_local_to_utc(D(2022, 3, 27), 2, 30, 0) == 1648344600,
	      "2022-03-27 02:30 (gap) becomes 03:30 CEST = 01:30 UTC");
	CHECK(cal_local_to_utc(D(2026, 3, 29), 2, 30, 0) == 1774747800,
	      "2026-03-29 02:30 (gap) becomes 03:30 CEST = 01:30 UTC");
	CHECK(cal_local_to_utc(D(2022, 3, 27), 1, 59, 59) == 1648342799,
	      "2022-03-27 01:59:59 CET, the last second before the gap");
	CHECK(cal_local_to_utc(D(2022, 3, 27), 3, 0, 0) == 1648342800,
	      "2022-03-27 03:00 CEST, the first second after the gap");
	CHECK(cal_local_to_utc(D(2022, 3, 27), 2, 0, 0) == 1648342800,
	      "2022-03-27 02:00 (gap) becomes 03:00 CEST");

	/* Autumn: 02:00-03:00 happens twice on the last Sunday of October;
	 * the first, summer-time occurrence counts. */
	CHECK(cal_local_to_utc(D(2022, 10, 30), 2, 30, 0) == 1667089800,
	      "2022-10-30 02:30 (twice) is the CEST one, 00:30 UTC");
	CHECK(cal_local_to_utc(D(2026, 10, 25), 2, 30, 0) == 1792888200,
	      "2026-10-25 02:30 (twice) is the CEST one, 00:30 UTC");
	CHECK(cal_local_to_utc(D(2022, 10, 30), 1, 59, 59) == 1667087999,
	      "2022-10-30 01:59:59 CEST");
	CHECK(cal_local_to_utc(D(2022, 10, 30), 3, 0, 0) == 1667095200,
	      "2022-10-30 03:00 CET");

	/* Back from UTC, both autumn occurrences. */
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(1667089800, &d, &h, &m, &s, &off);
	CHECK(same(d, D(2022, 10, 30)) && h == 2 && m == 30 && s == 0 &&
		  off == 7200,
	      "00:30 UTC on 2022-10-30 is 02:30 CEST");
	cal_utc_to_local(1667093400, &d, &h, &m, &s, &off);
	CHECK(same(d, D(2022, 10, 30)) && h == 2 && m == 30 && off == 3600,
	      "01:30 UTC on 2022-10-30 is 02:30 CET");
	cal_utc_to_local(1648344600, &d, &h, &m, &s, &off);
	CHECK(same(d, D(2022, 3, 27)) && h == 3 && m == 30 && off == 7200,
	      "01:30 UTC on 2022-03-27 is 03:30 CEST");
	cal_utc_to_local(0, NULL, NULL, NULL, NULL, &off);
	CHECK(off == 3600, "NULL outputs are allowed");

	/* Round trip of every hour of 2022 and 2026. */
	int bad = 0;
	for (int64_t t = 1640991600; t < 1672527600; t += 3600) {
		cal_utc_to_local(t, &d, &h, &m, &s, &off);
		kv_instant back = cal_local_to_utc(d, h, m, s);
		/* Only the second autumn 02:xx maps to the first. */
		if (back != t && !(back == t - 3600 && off == 3600 && h == 2))
			bad++;
	}
	CHECK(bad == 0, "UTC -> local -> UTC for every hour of 2022 (%d)",
	      bad);

	CHECK(cal_end_of_day(D(2022, 7, 1)) == 1656712799,
	      "end of 2022-07-01 is 21:59:59 UTC (CEST)");
	CHECK(cal_end_of_day(D(2022, 12, 27)) == 1672181999,
	      "end of 2022-12-27 is 22:59:59 UTC (CET)");
	CHECK(cal_end_of_day(D(2022, 10, 30)) == 1667170799,
	      "end of the 25-hour day 2022-10-30 is 22:59:59 UTC");
	CHECK(cal_end_of_day(D(2022, 3, 27)) == 1648418399,
	      "end of the 23-hour day 2022-03-27 is 21:59:59 UTC");
}

static void test_parse_local(void)
{
	kv_instant t = 0;
	struct kv_error e;
	CHECK(cal_parse_local("2022-07-01 12:00", &t, "at", NULL) == 0 &&
		  t == 1656669600,
	      "parse 2022-07-01 12:00");
	t = 0;
	CHECK(cal_parse_local("2022-07-01T12:00", &t, "at", NULL) == 0 &&
		  t == 1656669600,
	      "parse 2022-07-01T12:00 (datetime-local)");
	CHECK(cal_parse_local("2022-07-01 12:00:30", &t, "at", NULL) == 0 &&
		  t == 1656669630,
	      "parse with seconds");
	CHECK(cal_parse_local("2022-01-15T13:00:00", &t, "at", NULL) == 0 &&
		  t == 1642248000,
	      "parse winter time");
	CHECK(cal_parse_local("2022-03-27 02:30", &t, "at", NULL) == 0 &&
		  t == 1648344600,
	      "parse a time in the spring gap moves it forward");
	static const struct {
		const char *in, *word;
	} bad[] = {
	    {"", "required"},
	    {NULL, "required"},
	    {"2022-07-01", "HH:MM"},
	    {"2022-07-01 12", "HH:MM"},
	    {"2022-07-01 1:00", "HH:MM"},
	    {"2022-07-01 12:00 ", "HH:MM"},
	    {"2022-07-01  12:00", "HH:MM"},
	    {"2022-07-01 12:00:1", "HH:MM"},
	    {"2022-07-01 12:00:00Z", "HH:MM"},
	    {"2022-07-01_12:00", "HH:MM"},
	    {"2022-7-01 12:00", "HH:MM"},
	    {"2022-07-01 24:00", "time of day"},
	    {"2022-07-01 12:60", "time of day"},
	    {"2022-07-01 12:00:60", "time of day"},
	    {"2022-02-30 12:00", "February 2022 has 28 days"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kv_error_clear(&e);
		t = 42;
		CHECK(cal_parse_local(bad[i].in, &t, "opens", &e) == -1 &&
			  t == 42 && strcmp(e.field, "opens") == 0 &&
			  strstr(e.msg, bad[i].word),
		      "parse \"%s\" refused, says \"%s\": %s",
		      bad[i].in ? bad[i].in : "(null)", bad[i].word, e.msg);
	}

	arena *a = arena_new();
	CHECK_STR(cal_format_local(a, 1656669600), "1 juli 2022, 12:00",
		  "format summer time");
	CHECK_STR(cal_format_local(a, 1642248000), "15 januari 2022, 13:00",
		  "format winter time");
	CHECK_STR(cal_format_local(a, 1667093400),
		  "30 oktober 2022, 02:30 (wintertijd)",
		  "format the second autumn 02:30");
	arena_free(a);
}

/* Times as people read them: day, month name, year, hours and minutes;
 * seconds only when they are not :00; no zone code, except the
 * occurrence inside the repeated autumn hour. */
static void test_format_local(void)
{
	arena *a = arena_new();
	/* 2022-04-01 00:00 CEST = 2022-03-31 22:00 UTC. */
	CHECK_STR(cal_format_local(a, 1648764000), "1 april 2022, 00:00",
		  "the example of the issue, in Dutch");
	CHECK_STR(cal_format_local(a, 1656712799), "1 juli 2022, 23:59:59",
		  "a deadline at the end of the day keeps its second");
	CHECK_STR(cal_format_local(a, 1656669605), "1 juli 2022, 12:00:05",
		  "seconds that are not :00 are shown");
	CHECK_STR(cal_format_local_sec(a, 1656669600), "1 juli 2022, 12:00:00",
		  "a receipt always keeps the second");
	CHECK_STR(cal_format_local(a, 0), "", "no time is the empty text");
	CHECK(strstr(cal_format_local(a, 1642248000), "CET") == NULL &&
		  strstr(cal_format_local(a, 1656669600), "CEST") == NULL,
	      "no zone codes");
	/* The repeated hour: 00:30 UTC and 01:30 UTC are both 02:30. */
	CHECK_STR(cal_format_local(a, 1667089800),
		  "30 oktober 2022, 02:30 (zomertijd)",
		  "the first 02:30 of 30 October says summer time");
	CHECK_STR(cal_format_local(a, 1667087999), "30 oktober 2022, 01:59:59",
		  "01:59:59 before the repeated hour is plain");
	CHECK_STR(cal_format_local(a, 1667095200), "30 oktober 2022, 03:00",
		  "03:00 after it is plain");
	/* The day of the spring change has no 02:xx at all. */
	CHECK_STR(cal_format_local(a, 1648342800), "27 maart 2022, 03:00",
		  "03:00 summer time on 27 March 2022");
	CHECK_STR(cal_format_day(a, D(2022, 12, 25)), "25 december 2022",
		  "a day");

	CHECK_STR(cal_format_period(a, 1656655200, 1656684000),
		  "1 juli 2022, 08:00\xe2\x80\x93" "16:00",
		  "a period within one day names the day once");
	CHECK_STR(cal_format_period(a, 1656655200, 1657900799),
		  "1 juli 2022, 08:00 \xe2\x80\x93" " 15 juli 2022, 17:59:59",
		  "a period over days names both");
	CHECK_STR(cal_format_period(a, 1656655200, 1656655200),
		  "1 juli 2022, 08:00", "a moment");

	locale_t en = use("en_US.UTF-8");
	if (en) {
		CHECK_STR(cal_format_local(a, 1648764000), "1 April 2022, 00:00",
			  "the example of the issue, in English");
		CHECK_STR(cal_format_local(a, 1667093400),
			  "30 October 2022, 02:30 (winter time)",
			  "the second 02:30 in English");
		CHECK_STR(cal_format_day(a, D(2022, 12, 25)), "25 December 2022",
			  "a day in English");
	} else {
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
	}
	unuse(en);

	bool summer = true;
	CHECK(cal_in_repeated_hour(1667093400, &summer) && !summer,
	      "01:30 UTC on 30 October 2022 is the second, winter 02:30");
	CHECK(cal_in_repeated_hour(1667089800, &summer) && summer,
	      "00:30 UTC is the first, summer 02:30");
	CHECK(!cal_in_repeated_hour(1667086800, NULL) &&
		  cal_in_repeated_hour(1667088000, NULL) &&
		  cal_in_repeated_hour(1667095199, NULL) &&
		  !cal_in_repeated_hour(1667095200, NULL),
	      "the repeated hour is 02:00:00 to 02:59:59, both times");
	arena_free(a);
}

/* The rule for times people enter (docs/api.md, "Times"). */
static void test_parse_dst(void)
{
	kv_instant t = 0;
	struct kv_error e;
	bool amb = false;

	/* How often a wall time occurs, and where the change is. */
	kv_instant f = 0, g = 0;
	struct cal_dst_change ch;
	CHECK(cal_local_occurs(D(2022, 10, 30), 2, 30, 0, &f, &g, &ch) ==
		      CAL_TWICE &&
		  f == 1667089800 && g == 1667093400 && ch.from_hour == 2 &&
		  ch.from_min == 0 && ch.to_hour == 3 && ch.to_min == 0,
	      "02:30 on 30 October 2022 occurs twice, the hour 02:00-03:00 "
	      "repeats (%lld %lld %d:%d %d:%d)", (long long)f, (long long)g,
	      ch.from_hour, ch.from_min, ch.to_hour, ch.to_min);
	CHECK(cal_local_occurs(D(2022, 3, 27), 2, 30, 0, &f, &g, &ch) ==
		      CAL_NEVER &&
		  f == 1648344600 && ch.from_hour == 2 && ch.to_hour == 3,
	      "02:30 on 27 March 2022 never occurs; the hour 02:00-03:00 is "
	      "skipped");
	CHECK(cal_local_occurs(D(2022, 7, 1), 12, 0, 0, &f, &g, &ch) ==
		      CAL_ONCE &&
		  f == 1656669600 && g == f && ch.from_hour == 0 &&
		  ch.to_hour == 0,
	      "an ordinary time occurs once, no change near");
	CHECK(cal_local_occurs(D(2022, 10, 30), 1, 59, 59, NULL, NULL, NULL) ==
		      CAL_ONCE &&
		  cal_local_occurs(D(2022, 10, 30), 3, 0, 0, NULL, NULL, NULL) ==
		      CAL_ONCE &&
		  cal_local_occurs(D(2022, 10, 30), 2, 0, 0, NULL, NULL, NULL) ==
		      CAL_TWICE &&
		  cal_local_occurs(D(2022, 10, 30), 2, 59, 59, NULL, NULL,
				   NULL) == CAL_TWICE,
	      "autumn: exactly 02:00:00-02:59:59 occurs twice");
	CHECK(cal_local_occurs(D(2022, 3, 27), 1, 59, 59, NULL, NULL, NULL) ==
		      CAL_ONCE &&
		  cal_local_occurs(D(2022, 3, 27), 3, 0, 0, NULL, NULL, NULL) ==
		      CAL_ONCE &&
		  cal_local_occurs(D(2022, 3, 27), 2, 0, 0, NULL, NULL, NULL) ==
		      CAL_NEVER,
	      "spring: exactly 02:00:00-02:59:59 does not exist");

	/* The repeated hour: either occurrence, by choice or by offset. */
	kv_error_clear(&e);
	t = 42;
	CHECK(cal_parse_local_dst("2022-10-30T02:30", CAL_FOLD_ASK, &t, &amb,
				  "end", &e) == -1 &&
		  t == 42 && amb && strcmp(e.field, "end") == 0 &&
		  strstr(e.msg, "30 oktober 2022, 02:30") &&
		  strstr(e.msg, "twice") && strstr(e.msg, "+02:00") &&
		  strstr(e.msg, "+01:00") && strstr(e.msg, "03:00") &&
		  strstr(e.msg, "02:00"),
	      "an autumn 02:30 without a choice is refused, naming both: %s",
	      e.msg);
	CHECK(cal_parse_local_dst("2022-10-30T02:30", CAL_FOLD_SUMMER, &t,
				  &amb, "end", NULL) == 0 &&
		  t == 1667089800 && !amb,
	      "the first (summer time) when chosen: 00:30 UTC");
	CHECK(cal_parse_local_dst("2022-10-30T02:30", CAL_FOLD_WINTER, &t,
				  &amb, "end", NULL) == 0 &&
		  t == 1667093400,
	      "the second (winter time) when chosen: 01:30 UTC");
	CHECK(cal_parse_local_dst("2022-10-30T02:30+02:00", CAL_FOLD_ASK, &t,
				  &amb, "end", NULL) == 0 &&
		  t == 1667089800 && !amb,
	      "or by the offset +02:00");
	CHECK(cal_parse_local_dst("2022-10-30 02:30:00+01:00", CAL_FOLD_ASK,
				  &t, &amb, "end", NULL) == 0 &&
		  t == 1667093400,
	      "or by the offset +01:00 (seconds and a space allowed)");
	CHECK(cal_parse_local_dst("2022-10-30T02:30+01:00", CAL_FOLD_SUMMER,
				  &t, &amb, "end", NULL) == 0 &&
		  t == 1667093400,
	      "an offset given outweighs the choice");
	kv_error_clear(&e);
	CHECK(cal_parse_local_dst("2022-10-30T02:30+03:00", CAL_FOLD_ASK, &t,
				  &amb, "end", &e) == -1 &&
		  strstr(e.msg, "+02:00") && strstr(e.msg, "+01:00") &&
		  strstr(e.msg, "+03:00"),
	      "an offset Amsterdam never has then is refused: %s", e.msg);
	CHECK(cal_parse_local_dst("2022-10-30T01:30", CAL_FOLD_ASK, &t, &amb,
				  "end", NULL) == 0 &&
		  t == 1667086200 && !amb,
	      "01:30 that night happens once and needs no choice");

	/* The skipped spring hour is refused, saying what the clock does. */
	kv_error_clear(&e);
	t = 42;
	CHECK(cal_parse_local_dst("2022-03-27T02:30", CAL_FOLD_SUMMER, &t,
				  &amb, "start", &e) == -1 &&
		  t == 42 && !amb && strcmp(e.field, "start") == 0 &&
		  strstr(e.msg, "27 maart 2022, 02:30") &&
		  strstr(e.msg, "does not exist") && strstr(e.msg, "02:00") &&
		  strstr(e.msg, "03:00"),
	      "a spring 02:30 is refused, saying why: %s", e.msg);
	kv_error_clear(&e);
	CHECK(cal_parse_local_dst("2022-03-27T02:30+01:00", CAL_FOLD_ASK, &t,
				  &amb, "start", &e) == -1 &&
		  strstr(e.msg, "does not exist"),
	      "with an offset too");
	CHECK(cal_parse_local("2022-03-27T02:30+02:00", &t, "start", NULL) ==
		  -1,
	      "the lenient form refuses a gap time with an offset");
	CHECK(cal_parse_local_dst("2022-03-27T03:30", CAL_FOLD_ASK, &t, &amb,
				  "start", NULL) == 0 &&
		  t == 1648344600,
	      "03:30 after the gap is 01:30 UTC");

	/* Offsets on ordinary days. */
	CHECK(cal_parse_local_dst("2022-07-01T12:00+02:00", CAL_FOLD_ASK, &t,
				  &amb, "at", NULL) == 0 &&
		  t == 1656669600,
	      "summer with its offset");
	kv_error_clear(&e);
	CHECK(cal_parse_local_dst("2022-07-01T12:00+01:00", CAL_FOLD_ASK, &t,
				  &amb, "at", &e) == -1 &&
		  strstr(e.msg, "UTC+02:00") && strstr(e.msg, "UTC+01:00"),
	      "summer with the winter offset is refused: %s", e.msg);
	CHECK(cal_parse_local("2022-01-15T13:00+01:00", &t, "at", NULL) == 0 &&
		  t == 1642248000,
	      "the lenient form takes an offset too");
	static const char *const bad_offsets[] = {
	    "2022-07-01T12:00+2:00", "2022-07-01T12:00+02", "2022-07-01T12:00+0200",
	    "2022-07-01T12:00+02:0x", "2022-07-01T12:00 +02:00",
	    "2022-07-01T12:00+15:00", "2022-07-01T12:00+02:60",
	};
	for (size_t i = 0; i < sizeof bad_offsets / sizeof bad_offsets[0]; i++)
		CHECK(cal_parse_local_dst(bad_offsets[i], CAL_FOLD_ASK, &t, &amb,
					  "at", NULL) == -1,
		      "a malformed offset is refused: %s", bad_offsets[i]);
	/* The lenient form keeps its old rule for the repeated hour. */
	CHECK(cal_parse_local("2022-10-30T02:30", &t, "at", NULL) == 0 &&
		  t == 1667089800,
	      "the lenient form takes the first occurrence");

	/* Every quarter hour of 2022 and 2026 reads back, with its offset, or
	 * with the occurrence chosen where its wall time happens twice. */
	int bad = 0, twice = 0;
	/* 2022-01-01 00:00 to 2023-01-01 00:00, and the same for 2026. */
	static const int64_t years[2][2] = {{1640991600, 1672527600},
					    {1767222000, 1798758000}};
	for (int y = 0; y < 2; y++)
	for (int64_t u = years[y][0]; u < years[y][1]; u += 900) {
		cal_date d;
		int h, m, sec, off;
		cal_utc_to_local(u, &d, &h, &m, &sec, &off);
		char in[40], day[11];
		snprintf(in, sizeof in, "%sT%02d:%02d%+03d:%02d",
			 cal_format_date(d, day), h, m, off / 3600,
			 off % 3600 / 60);
		kv_instant back = 0;
		if (cal_parse_local_dst(in, CAL_FOLD_ASK, &back, NULL, "at",
					NULL) != 0 ||
		    back != u)
			bad++;
		bool summer;
		bool two = cal_in_repeated_hour(u, &summer);
		twice += two;
		in[16] = 0; /* without the offset */
		back = 0;
		if (cal_parse_local_dst(in,
					two ? (summer ? CAL_FOLD_SUMMER
						      : CAL_FOLD_WINTER)
					    : CAL_FOLD_ASK,
					&back, NULL, "at", NULL) != 0 ||
		    back != u)
			bad++;
	}
	CHECK(bad == 0 && twice == 16,
	      "every quarter hour of 2022 and 2026 reads back (%d bad, %d in "
	      "the repeated hours)", bad, twice);

	/* In English the messages name the day in English. */
	locale_t en = use("en_US.UTF-8");
	if (en) {
		kv_error_clear(&e);
		cal_parse_local_dst("2026-10-25T02:15", CAL_FOLD_ASK, &t, &amb,
				    "at", &e);
		CHECK(strstr(e.msg, "25 October 2026, 02:15") != NULL,
		      "English: %s", e.msg);
	} else {
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
	}
	unuse(en);
}

/* Spans as a person counts them. */
static void test_span(void)
{
	struct {
		kv_instant from, to;
		int64_t n;
		enum cal_unit unit;
		const char *what;
	} cases[] = {
	    /* 2022-07-01 12:00 CEST = 1656669600. */
	    {1656669600, 1656669600 + 30, 1, CAL_MINUTES, "30 s is 1 minute"},
	    {1656669600, 1656669600 + 59 * 60, 59, CAL_MINUTES, "59 minutes"},
	    {1656669600, 1656669600 + 3 * 3600, 3, CAL_HOURS, "3 hours"},
	    /* 23:59 to 00:01 the next day: a day by the calendar. */
	    {1656712740, 1656712860, 1, CAL_DAYS, "23:59 to 00:01 is 1 day"},
	    {1656669600, 1656669600 + 3 * 86400, 3, CAL_DAYS, "3 days"},
	    /* 1 July to 31 August 2022: 61 days, 1 month and 30 days. */
	    {1656669600, 1661940000, 61, CAL_DAYS, "61 days stay days"},
	    /* 1 July to 1 September 2022: two months. */
	    {1656669600, 1662026400, 2, CAL_MONTHS, "two months"},
	    /* 1 July 2022 to 30 June 2024: 23 months. */
	    {1656669600, 1719741600, 23, CAL_MONTHS, "23 months"},
	    /* 1 July 2022 to 1 July 2026: four years. */
	    {1656669600, 1782900000, 4, CAL_YEARS, "four years"},
	    {1656669600, 1656669600, 0, CAL_MINUTES, "nothing"},
	    {1656669600, 1656669000, 0, CAL_MINUTES, "backwards is nothing"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cal_span sp = cal_span_between(cases[i].from, cases[i].to);
		CHECK(sp.n == cases[i].n && sp.unit == cases[i].unit,
		      "span: %s (got %lld in unit %d)", cases[i].what,
		      (long long)sp.n, (int)sp.unit);
	}
	CHECK(cal_local_day_diff(1656712740, 1656712860) == 1 &&
		  cal_local_day_diff(1656669600, 1656712799) == 0,
	      "calendar days in Amsterdam");
}

static void test_easter(void)
{
	static const struct {
		int y, m, d;
	} known[] = {
	    {1583, 4, 10}, {1818, 3, 22}, {1943, 4, 25}, {2000, 4, 23},
	    {2008, 3, 23}, {2011, 4, 24}, {2019, 4, 21}, {2022, 4, 17},
	    {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},	 {2038, 4, 25},
	    {2285, 3, 22},
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		cal_date e = cal_easter(known[i].y);
		CHECK(same(e, D(known[i].y, known[i].m, known[i].d)),
		      "Easter %d is %04d-%02d-%02d (got %s)", known[i].y,
		      known[i].y, known[i].m, known[i].d, fmt(e));
	}
	int sundays = 1, range = 1;
	for (int y = 1583; y <= 4099; y++) {
		cal_date e = cal_easter(y);
		sundays &= cal_weekday(e) == 7;
		range &= cal_date_cmp(e, D(y, 3, 22)) >= 0 &&
			 cal_date_cmp(e, D(y, 4, 25)) <= 0;
	}
	CHECK(sundays, "Easter is a Sunday, 1583-4099");
	CHECK(range, "Easter lies between 22 March and 25 April, 1583-4099");
}

static void test_holidays(void)
{
	cal_date d[16];
	struct cal_reason w[16];
	size_t n = cal_holidays(2022, d, w);
	static const struct {
		int m, d;
		const char *name, *src;
	} h2022[] = {
	    {1, 1, "Nieuwjaarsdag", "Algemene termijnenwet art. 3 lid 1"},
	    {4, 15, "Goede Vrijdag", "Algemene termijnenwet art. 3 lid 2"},
	    {4, 18, "Tweede Paasdag", "Algemene termijnenwet art. 3 lid 1"},
	    {4, 27, "Koningsdag", "Algemene termijnenwet art. 3 lid 1"},
	    {5, 5, "Bevrijdingsdag",
	     "Algemene termijnenwet art. 3 lid 1"},
	    {5, 26, "Hemelvaartsdag", "Algemene termijnenwet art. 3 lid 1"},
	    {6, 6, "Tweede Pinksterdag", "Algemene termijnenwet art. 3 lid 1"},
	    {12, 25, "Eerste Kerstdag", "Algemene termijnenwet art. 3 lid 1"},
	    {12, 26, "Tweede Kerstdag", "Algemene termijnenwet art. 3 lid 1"},
	};
	CHECK(n == 9, "2022 has 9 holidays under art. 3 (got %zu)", n);
	for (size_t i = 0; i < 9 && i < n; i++) {
		CHECK(same(d[i], D(2022, h2022[i].m, h2022[i].d)),
		      "2022 holiday %zu is %02d-%02d (got %s)", i, h2022[i].m,
		      h2022[i].d, fmt(d[i]));
		CHECK_STR(w[i].name, h2022[i].name, "2022 holiday %zu name", i);
		CHECK_STR(w[i].source, h2022[i].src, "2022 holiday %zu source",
			  i);
	}
	/* 2016: Hemelvaartsdag fell on 5 May; both stay listed, in order. */
	n = cal_holidays(2016, d, w);
	int sorted = 1;
	for (size_t i = 1; i < n; i++)
		sorted &= cal_date_cmp(d[i - 1], d[i]) <= 0;
	CHECK(n == 9 && sorted, "2016: 9 holidays in date order");
	CHECK(same(d[4], D(2016, 5, 5)) && same(d[5], D(2016, 5, 5)),
	      "2016: 5 May is Bevrijdingsdag and Hemelvaartsdag");

	/* The royal birthday, with its Sunday rules. */
	static const struct {
		int y, m, d;
		const char *name;
	} royal[] = {
	    {2022, 4, 27, "Koningsdag"},    /* Wednesday */
	    {2014, 4, 26, "Koningsdag"},    /* 27th a Sunday */
	    {2025, 4, 26, "Koningsdag"},    /* 27th a Sunday */
	    {2013, 4, 30, "Koninginnedag"}, /* Tuesday */
	    {2006, 4, 29, "Koninginnedag"}, /* 30th a Sunday, from 1980 */
	    {1978, 5, 1, "Koninginnedag"},  /* 30th a Sunday, before 1980 */
	};
	for (size_t i = 0; i < sizeof royal / sizeof royal[0]; i++) {
		cal_date want = D(royal[i].y, royal[i].m, royal[i].d);
		struct cal_reason why = {0, 0};
		CHECK(cal_is_non_working(NULL, want, &why) &&
			  strcmp(why.name, royal[i].name) == 0,
		      "%s is %s (%s)", fmt(want), royal[i].name,
		      why.name ? why.name : "-");
	}
	struct cal_reason why;
	CHECK(!cal_is_non_working(NULL, D(2014, 4, 28), &why) &&
		  !cal_is_non_working(NULL, D(2013, 4, 29), &why),
	      "the day next to Koningsdag is a working day");
	CHECK(cal_is_non_working(NULL, D(2022, 7, 2), &why) &&
		  strcmp(why.name, "zaterdag") == 0 &&
		  strcmp(why.source, "Algemene termijnenwet art. 1 lid 1") == 0,
	      "a Saturday, art. 1 lid 1");
	CHECK(cal_is_non_working(NULL, D(2022, 7, 3), &why) &&
		  strcmp(why.name, "zondag") == 0,
	      "a Sunday");
	CHECK(!cal_is_non_working(NULL, D(2022, 7, 1), NULL),
	      "an ordinary Friday is a working day");
	CHECK(!cal_is_non_working(NULL, D(2022, 5, 27), NULL),
	      "without a calendar, the Friday after Hemelvaart is working");
	CHECK(cal_is_non_working(NULL, D(2022, 12, 25), &why) &&
		  strcmp(why.name, "Eerste Kerstdag") == 0,
	      "Christmas on a Sunday is named as Christmas");

	locale_t en = use("en_US.UTF-8");
	if (en) {
		cal_holidays(2022, d, w);
		CHECK_STR(w[2].name, "Easter Monday", "holiday names in English");
		CHECK(cal_is_non_working(NULL, D(2022, 7, 2), &why) &&
			  strcmp(why.name, "Saturday") == 0,
		      "Saturday in English");
	} else {
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
	}
	unuse(en);
}

static void test_equated(void)
{
	arena *a = arena_new();
	struct cal_equated_day *v = NULL;
	size_t n = cal_shipped_equated(a, 2021, 2029, &v);
	static const struct {
		int y, m, d;
		const char *name, *src;
	} want[] = {
	    {2021, 5, 14, "vrijdag na Hemelvaartsdag", "volgens de regel"},
	    {2022, 5, 27, "vrijdag na Hemelvaartsdag", "volgens de regel"},
	    {2023, 4, 28, "vrijdag na Koningsdag", "28 april 2023, 19 mei"},
	    {2023, 5, 19, "vrijdag na Hemelvaartsdag", "28 april 2023, 19 mei"},
	    {2024, 5, 10, "vrijdag na Hemelvaartsdag", "28 april 2023, 19 mei"},
	    {2024, 12, 27, "vrijdag na Tweede Kerstdag",
	     "28 april 2023, 19 mei"},
	    {2025, 5, 30, "vrijdag na Hemelvaartsdag", "28 april 2023, 19 mei"},
	    {2026, 1, 2, "vrijdag na Nieuwjaarsdag", "2 januari 2026, 15 mei"},
	    {2026, 5, 15, "vrijdag na Hemelvaartsdag", "2 januari 2026, 15 mei"},
	    {2027, 5, 7, "vrijdag na Hemelvaartsdag", "2 januari 2026, 15 mei"},
	    {2028, 4, 28, "vrijdag na Koningsdag", "2 januari 2026, 15 mei"},
	    {2028, 5, 26, "vrijdag na Hemelvaartsdag", "2 januari 2026, 15 mei"},
	    {2029, 5, 11, "vrijdag na Hemelvaartsdag", "volgens de regel"},
	};
	size_t nw = sizeof want / sizeof want[0];
	CHECK(n == nw, "2021-2029: %zu equated days (got %zu)", nw, n);
	for (size_t i = 0; i < n && i < nw; i++) {
		cal_date wd = D(want[i].y, want[i].m, want[i].d);
		CHECK(same(v[i].date, wd) && cal_weekday(v[i].date) == 5,
		      "equated day %zu is Friday %s (got %s)", i, fmt(wd),
		      fmt(v[i].date));
		CHECK_STR(v[i].name, want[i].name, "equated day %zu name", i);
		CHECK(v[i].source && strstr(v[i].source, want[i].src),
		      "equated day %zu source: %s", i, v[i].source);
	}
	CHECK(n && strstr(v[0].source, "2021") &&
		  strstr(v[0].source, "geen besluit"),
	      "a year without a known decree says so: %s", v[0].source);
	CHECK(cal_shipped_equated(a, 2030, 2029, &v) == 0 && v == NULL,
	      "an empty range ships nothing");
	CHECK(cal_shipped_equated(a, 2000, 2100, &v) == 101 + 4,
	      "2000-2100: one a year, two in 2023, 2024, 2026, 2028");

	/* With the table, the Friday after Hemelvaart is not working. */
	n = cal_shipped_equated(a, 2020, 2030, &v);
	cal_calendar c = {v, n};
	struct cal_reason why;
	CHECK(cal_is_non_working(&c, D(2024, 12, 27), &why) &&
		  strcmp(why.name, "vrijdag na Tweede Kerstdag") == 0 &&
		  strstr(why.source, "Besluit gelijkstelling"),
	      "27 December 2024 is equated by decree");
	CHECK(!cal_is_non_working(&c, D(2027, 4, 26), NULL),
	      "26 April 2027 (Monday before Koningsdag) is not equated");
	arena_free(a);
}

/* One standstill case: sent, days -> last day and its end in UTC. */
struct case_ {
	int sy, sm, sd, days;
	int ey, em, ed;
	kv_instant end;
	const char *words; /* in the Dutch rule, '|' separated */
	int extended;
	const char *what;
};

static void check_case(const cal_calendar *c, const struct case_ *k)
{
	struct cal_explained x;
	struct kv_error e;
	kv_error_clear(&e);
	int rc = cal_standstill_end(c, D(k->sy, k->sm, k->sd), k->days, &x, &e);
	CHECK(rc == KV_OK && same(x.date, D(k->ey, k->em, k->ed)) &&
		  x.end == k->end,
	      "%s: sent %04d-%02d-%02d + %d -> %04d-%02d-%02d, end %lld "
	      "(got %s, %lld) %s",
	      k->what, k->sy, k->sm, k->sd, k->days, k->ey, k->em, k->ed,
	      (long long)k->end, fmt(x.date), (long long)x.end, e.msg);
	char words[200];
	snprintf(words, sizeof words, "%s", k->words);
	int all = 1;
	for (char *w = strtok(words, "|"); w; w = strtok(NULL, "|"))
		if (!strstr(x.rule, w)) {
			all = 0;
			printf("# rule lacks \"%s\"\n", w);
		}
	CHECK(all, "%s: rule explains: %s", k->what, x.rule);
	CHECK(strstr(x.source, "art. 2.127 Aanbestedingswet 2012") &&
		  !strstr(x.source, "art. 1 Algemene termijnenwet") ==
		      !k->extended,
	      "%s: source \"%s\"", k->what, x.source);
}

static void test_standstill(void)
{
	arena *a = arena_new();
	struct cal_equated_day *v;
	size_t n = cal_shipped_equated(a, 2020, 2030, &v);
	cal_calendar c = {v, n};

	static const struct case_ cases[] = {
	    {2022, 4, 29, 20, 2022, 5, 19, 1652997599,
	     "20 kalenderdagen|vrijdag 29 april 2022|donderdag 19 mei 2022|"
	     "23:59:59",
	     0, "plain, CEST"},
	    {2022, 5, 1, 20, 2022, 5, 23, 1653343199,
	     "zaterdag 21 mei 2022|zondag 22 mei 2022|maandag 23 mei 2022|"
	     "geen werkdag (zaterdag)|art. 1 Algemene termijnenwet",
	     1, "Saturday -> Monday"},
	    {2022, 5, 6, 20, 2022, 5, 30, 1653947999,
	     "donderdag 26 mei 2022|(Hemelvaartsdag)|vrijdag 27 mei 2022|"
	     "vrijdag na Hemelvaartsdag|maandag 30 mei 2022",
	     1, "Hemelvaartsdag, equated Friday, weekend"},
	    {2022, 12, 4, 20, 2022, 12, 27, 1672181999,
	     "zaterdag 24 december 2022|Eerste Kerstdag|Tweede Kerstdag|"
	     "dinsdag 27 december 2022",
	     1, "Christmas chain, CET"},
	    {2022, 12, 11, 20, 2023, 1, 2, 1672700399,
	     "zaterdag 31 december 2022|Nieuwjaarsdag|maandag 2 januari 2023",
	     1, "New Year chain into 2023"},
	    {2024, 12, 5, 20, 2024, 12, 30, 1735599599,
	     "woensdag 25 december 2024|Tweede Kerstdag|"
	     "vrijdag na Tweede Kerstdag|maandag 30 december 2024",
	     1, "Christmas 2024 with the equated 27 December"},
	    {2022, 10, 14, 20, 2022, 11, 3, 1667516399,
	     "vrijdag 14 oktober 2022|donderdag 3 november 2022", 0,
	     "sent in CEST, ends in CET"},
	    {2022, 3, 26, 20, 2022, 4, 19, 1650405599,
	     "Goede Vrijdag|Tweede Paasdag|dinsdag 19 april 2022", 1,
	     "Easter chain, sent in CET, ends in CEST"},
	    {2022, 4, 7, 20, 2022, 4, 28, 1651183199,
	     "(Koningsdag)|donderdag 28 april 2022", 1, "Koningsdag"},
	    {2022, 4, 15, 20, 2022, 5, 6, 1651874399,
	     "(Bevrijdingsdag)|vrijdag 6 mei 2022", 1,
	     "Bevrijdingsdag; the Friday after it is working in 2022"},
	    {2022, 4, 29, 25, 2022, 5, 24, 1653429599,
	     "25 kalenderdagen|dinsdag 24 mei 2022", 0, "more than 20 days"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&c, &cases[i]);

	/* Without the equated days the Hemelvaart case ends on Friday. */
	struct cal_explained x;
	CHECK(cal_standstill_end(NULL, D(2022, 5, 6), 20, &x, NULL) == KV_OK &&
		  same(x.date, D(2022, 5, 27)),
	      "without a calendar the Friday after Hemelvaart counts");

	struct kv_error e;
	kv_error_clear(&e);
	CHECK(cal_standstill_end(&c, D(2022, 4, 29), 19, &x, &e) ==
			  KV_INVALID &&
		  strcmp(e.field, "days") == 0 && strstr(e.msg, "20") &&
		  strstr(e.msg, "2.127"),
	      "19 days is refused: %s", e.msg);
	CHECK(cal_standstill_end(&c, D(2022, 4, 29), -5, &x, &e) == KV_INVALID,
	      "negative days refused");
	CHECK(cal_standstill_end(&c, D(2022, 2, 30), 20, &x, &e) ==
			  KV_INVALID &&
		  strcmp(e.field, "sent") == 0,
	      "an invalid sent date is refused: %s", e.msg);
	CHECK(cal_standstill_end(&c, D(2022, 4, 29), 100000, &x, &e) ==
		  KV_INVALID,
	      "an absurd number of days is refused");

	locale_t en = use("en_US.UTF-8");
	if (en) {
		cal_standstill_end(&c, D(2022, 5, 1), 20, &x, NULL);
		CHECK(strstr(x.rule, "standstill period of 20 calendar days") &&
			  strstr(x.rule, "Saturday 21 May 2022") &&
			  strstr(x.rule, "Monday 23 May 2022") &&
			  strstr(x.rule, "not a working day (Saturday)"),
		      "rule in English: %s", x.rule);
	} else {
		CHECK(1, "# SKIP en_US.UTF-8 is not installed");
	}
	unuse(en);

	/* A buyer's long run of equated days: the rule is cut, ends in
	 * "...", and stays valid UTF-8. */
	struct cal_equated_day many[40];
	for (int i = 0; i < 40; i++)
		many[i] = (struct cal_equated_day){
		    cal_add_days(D(2022, 7, 1), i),
		    "sluitingsdag \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "eigen besluit"};
	cal_calendar longc = {many, 40};
	int rc = cal_standstill_end(&longc, D(2022, 6, 11), 20, &x, NULL);
	size_t rl = strlen(x.rule);
	CHECK(rc == KV_OK && same(x.date, D(2022, 8, 10)) && rl < 600 &&
		  strcmp(x.rule + rl - 3, "...") == 0 &&
		  text_check(x.rule, 600, "rule", NULL) == KV_OK,
	      "a long rule is cut cleanly (%zu bytes, ends %s)", rl,
	      fmt(x.date));

	/* A general term. */
	CHECK(cal_term_end(&c, D(2022, 12, 23), 1, &x, NULL) == KV_OK &&
		  same(x.date, D(2022, 12, 27)) && x.end == 1672181999 &&
		  strstr(x.rule, "1 dag ") &&
		  strcmp(x.source, "art. 1 Algemene termijnenwet") == 0,
	      "1 day after Friday 23 December 2022 runs to Tuesday 27: %s",
	      x.rule);
	CHECK(cal_term_end(&c, D(2022, 7, 1), 3, &x, NULL) == KV_OK &&
		  same(x.date, D(2022, 7, 4)) && x.source[0] == 0 &&
		  strstr(x.rule, "3 dagen"),
	      "3 days after a Friday end on Monday, no extension: %s", x.rule);
	CHECK(cal_term_end(&c, D(2022, 7, 1), 0, &x, &e) == KV_INVALID &&
		  strcmp(e.field, "days") == 0,
	      "a term of 0 days is refused");
	arena_free(a);
}

/* cal_utc_to_local (memoised offsets, arithmetic) agrees with the tz
 * data's localtime_r on every instant of a walk over 1960..2040 that
 * lands on odd seconds, and on each side of the DST changes of 2026. */
static void test_utc_to_local_vs_tz(void)
{
	int bad = 0, n = 0;
	kv_instant first_bad = 0;
	kv_instant edges[] = {1774746000, 1792890000};   /* 2026-03-29, 2026-10-25 01:00Z */
	for (int pass = 0; pass < 2; pass++) {
		for (int64_t t = -315619200; t < 2208988800; t += 7919 * 13) {
			int64_t k = t < 0 ? -t : t;
			kv_instant u = pass ? edges[(k / 7919) % 2] + (k % 7200) - 3600 : t;
			time_t tt = (time_t)u;
			struct tm tm;
			localtime_r(&tt, &tm);
			cal_date d;
			int h, m, sec, off;
			cal_utc_to_local(u, &d, &h, &m, &sec, &off);
			n++;
			if (d.year != tm.tm_year + 1900 || d.month != tm.tm_mon + 1 ||
			    d.day != tm.tm_mday || h != tm.tm_hour || m != tm.tm_min ||
			    sec != tm.tm_sec || off != (int)tm.tm_gmtoff) {
				if (!bad++)
					first_bad = u;
			}
		}
	}
	CHECK(bad == 0, "utc_to_local agrees with localtime_r on %d instants (first differing: %lld)",
	      n, (long long)first_bad);
}

int main(void)
{
	struct kv_error e;
	kv_error_clear(&e);
	int rc = cal_init(&e);
	CHECK(rc == 0, "cal_init: Europe/Amsterdam is available %s", e.msg);
	if (rc != 0)
		return tap_done();
	test_civil();
	test_utc_to_local_vs_tz();
	test_parse_date();
	test_long();
	test_local();
	test_parse_local();
	test_format_local();
	test_parse_dst();
	test_span();
	test_easter();
	test_holidays();
	test_equated();
	test_standstill();
	return tap_done();
}
