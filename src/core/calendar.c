/*
 * calendar.c - the legal calendar of Kavel: civil dates, Europe/Amsterdam
 * time through the system tz database, the holidays of the Algemene
 * termijnenwet (Atw) and the deadlines computed with them, above all the
 * end of the standstill period of art. 2.127 Aanbestedingswet 2012.
 * See calendar.h for the contract.
 *
 * No I/O except cal_init()'s setenv()/tzset().  Local time is never
 * computed from a hand-written DST rule: only localtime_r() knows the
 * offsets, and cal_local_to_utc() asks it about the day before and after.
 *
 * Texts a person reads (weekday and month names, the names of holidays,
 * the explanation of a deadline) are Dutch unless the calling thread's
 * LC_MESSAGES locale is English; messages in struct kv_error go through
 * gettext as everywhere in Kavel.
 *
 * Sources checked for this file (2026):
 *  - Atw art. 1 (a term ending on a Saturday, Sunday or holiday runs on
 *    to the next day that is none of them) and art. 3: lid 1 the holidays,
 *    lid 2 Goede Vrijdag, lid 3 days equated by decree;
 *  - Koningsdag: 27 April, 26 April when the 27th is a Sunday (from 2014);
 *    Koninginnedag 30 April from 1949, moved to 1 May when the 30th was a
 *    Sunday until 1979 and to 29 April from 1980 (the Sunday rule of the
 *    royal decree of 1980); before 1949 31 August;
 *  - the equated days: see shipped_decrees[] below.
 */
#include "calendar.h"

#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- language --------------------------------------------------------- */

enum lang { LANG_NL, LANG_EN };

/* English when the thread's LC_MESSAGES is English, else Dutch. */
static enum lang cur_lang(void)
{
	const char *n = nl_langinfo(NL_LOCALE_NAME(LC_MESSAGES));
	if (n && n[0] == 'e' && n[1] == 'n' &&
	    (n[2] == 0 || n[2] == '_' || n[2] == '.' || n[2] == '@'))
		return LANG_EN;
	return LANG_NL;
}

static const char *const weekday_name[2][8] = {
	{"", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
	 "zaterdag", "zondag"},
	{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	 "Saturday", "Sunday"},
};

static const char *const month_name[2][13] = {
	{"", "januari", "februari", "maart", "april", "mei", "juni", "juli",
	 "augustus", "september", "oktober", "november", "december"},
	{"", "January", "February", "March", "April", "May", "June", "July",
	 "August", "September", "October", "November", "December"},
};

/* Month names for messages, through gettext. */
static const char *const month_msgid[13] = {
	"",	      N_("January"), N_("February"), N_("March"),
	N_("April"),   N_("May"),     N_("June"),     N_("July"),
	N_("August"),  N_("September"), N_("October"), N_("November"),
	N_("December"),
};

/* --- civil dates -------------------------------------------------------- */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[13] = {0,  31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m];
}

bool cal_date_valid(cal_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.month >= 1 &&
	       d.month <= 12 && d.day >= 1 &&
	       d.day <= days_in_month(d.year, d.month);
}

/* Howard Hinnant's days_from_civil (public domain algorithm). */
int64_t cal_days_from_civil(cal_date d)
{
	int64_t y = (int64_t)d.year - (d.month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (d.month + 9) % 12; /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days. */
cal_date cal_civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t day = doy - (153 * mp + 2) / 5 + 1;
	int64_t month = mp < 10 ? mp + 3 : mp - 9;
	int64_t year = yoe + era * 400 + (month <= 2);
	return (cal_date){(int)year, (int)month, (int)day};
}

cal_date cal_add_days(cal_date d, int64_t n)
{
	return cal_civil_from_days(cal_days_from_civil(d) + n);
}

int cal_date_cmp(cal_date a, cal_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

int cal_weekday(cal_date d)
{
	int64_t z = cal_days_from_civil(d); /* 1970-01-01 was a Thursday */
	int64_t r = (z + 3) % 7;
	if (r < 0)
		r += 7;
	return (int)r + 1;
}


static bool digits_at(const char *s, size_t from, size_t n, int *v)
{
	int x = 0;
	for (size_t i = from; i < from + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/* "YYYY-MM-DD" at s (no terminator check). -1 shape, -2 no such day. */
static int scan_date(const char *s, cal_date *d)
{
	for (size_t i = 0; i < 10; i++)
		if (!s[i])
			return -1;
	if (s[4] != '-' || s[7] != '-' || !digits_at(s, 0, 4, &d->year) ||
	    !digits_at(s, 5, 2, &d->month) || !digits_at(s, 8, 2, &d->day))
		return -1;
	return cal_date_valid(*d) ? 0 : -2;
}

static int date_error(const char *s, cal_date d, const char *field,
		      struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	if (d.month < 1 || d.month > 12)
		kv_fail(e, KV_INVALID, field,
			_("The date %s has month %02d; months run from 01 to "
			  "12."),
			kv_quote(s, q), d.month);
	else if (d.year < 1)
		kv_fail(e, KV_INVALID, field,
			_("The date %s has year 0000; years start at 0001."),
			kv_quote(s, q));
	else
		kv_fail(e, KV_INVALID, field,
			_("The date %.10s does not exist: %s %d has %d days."),
			s, _(month_msgid[d.month]), d.year,
			days_in_month(d.year, d.month));
	return -1;
}

int cal_parse_date(const char *s, cal_date *out, const char *field,
		   struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	cal_date d = {0, 0, 0};
	if (!s || !*s) {
		kv_fail(e, KV_INVALID, field,
			_("A date is required, written as YYYY-MM-DD (for "
			  "example 2022-07-01)."));
		return -1;
	}
	int r = scan_date(s, &d);
	if (r == -1 || strlen(s) != 10) {
		kv_fail(e, KV_INVALID, field,
			_("\"%s\" is not a date written as YYYY-MM-DD, with "
			  "two digits for the month and the day (for example "
			  "2022-07-01)."),
			kv_quote(s, q));
		return -1;
	}
	if (r == -2)
		return date_error(s, d, field, e);
	if (out)
		*out = d;
	return 0;
}

char *cal_format_date(cal_date d, char *buf)
{
	if (!cal_date_valid(d)) {
		memcpy(buf, "0000-00-00", 11);
		return buf;
	}
	/* by hand, not snprintf: a timeline writes dozens of dates */
	int y = d.year;
	char digits[10] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10),
			   (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
			   (char)('0' + d.month / 10), (char)('0' + d.month % 10), '-',
			   (char)('0' + d.day / 10), (char)('0' + d.day % 10)};
	memcpy(buf, digits, 10);
	buf[10] = 0;
	return buf;
}

/* "vrijdag 1 juli 2022" / "Friday 1 July 2022" into buf (>= 40). */
static char *format_long(char buf[40], cal_date d, enum lang l)
{
	if (!cal_date_valid(d))
		return cal_format_date(d, buf);
	snprintf(buf, 40, "%s %d %s %d", weekday_name[l][cal_weekday(d)],
		 d.day, month_name[l][d.month], d.year);
	return buf;
}

char *cal_format_long(arena *a, cal_date d)
{
	char buf[40];
	return arena_strdup(a, format_long(buf, d, cur_lang()));
}

/* --- Europe/Amsterdam ------------------------------------------------- */

int cal_init(struct kv_error *e)
{
	if (setenv("TZ", "Europe/Amsterdam", 1) != 0) {
		kv_fail(e, KV_IO, "",
			_("Kavel could not set the time zone to "
			  "Europe/Amsterdam (setenv failed)."));
		return -1;
	}
	tzset();
	/* A zone missing from tzdata silently becomes UTC: check that
	 * winter is CET (+1) and summer CEST (+2). */
	time_t winter = 1642248000; /* 2022-01-15 12:00 UTC */
	time_t summer = 1656676800; /* 2022-07-01 12:00 UTC */
	struct tm w, s;
	if (!localtime_r(&winter, &w) || !localtime_r(&summer, &s) ||
	    w.tm_gmtoff != 3600 || s.tm_gmtoff != 7200) {
		kv_fail(e, KV_IO, "",
			_("The time zone Europe/Amsterdam is missing from "
			  "this system's tz database; install the tzdata "
			  "package. Kavel computes every legal deadline in "
			  "Dutch time and cannot start without it."));
		return -1;
	}
	return 0;
}

/* The UTC offset of Europe/Amsterdam at instant t, from the tz data. */
static int tz_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}

/* localtime_r takes glibc's process-wide lock on the tz data, and a page
 * shows dozens of times: the offsets are memoised per thread by the UTC
 * hour.  That is exact from 1977 on, since when Amsterdam changes its
 * offset only on the hour (01:00 UTC); earlier instants ask the tz data
 * every time. */
#define OFFSET_MEMO 256
#define OFFSET_MEMO_FROM 220924800          /* 1977-01-01T00:00:00Z */
static _Thread_local struct {
	int64_t hour;                        /* t / 3600, + 1: 0 is empty */
	int offset;
} offset_memo[OFFSET_MEMO];

static int offset_at(int64_t t)
{
	if (t < OFFSET_MEMO_FROM)
		return tz_offset(t);
	int64_t h = t / 3600 + 1;
	unsigned i = (unsigned)((uint64_t)h % OFFSET_MEMO);
	if (offset_memo[i].hour != h) {
		offset_memo[i].offset = tz_offset(t);
		offset_memo[i].hour = h;
	}
	return offset_memo[i].offset;
}

/* The offsets a wall-clock time can have: Amsterdam changes its offset
 * at most once within two days, so the offsets a day before and a day
 * after are the only ones.  Each reading of the wall time is valid when
 * the zone has that offset at the instant it gives. */
struct readings {
	int64_t naive;          /* the wall time read as if it were UTC */
	int o1, o2;             /* the offsets a day before and after */
	int64_t t1, t2;         /* naive read with o1, with o2 */
	bool v1, v2;            /* whether each reading is valid */
};

static struct readings read_wall(cal_date d, int hour, int min, int sec)
{
	struct readings r;
	r.naive = cal_days_from_civil(d) * 86400 + (int64_t)hour * 3600 +
		  (int64_t)min * 60 + sec;
	r.o1 = offset_at(r.naive - 86400);
	r.o2 = offset_at(r.naive + 86400);
	r.t1 = r.naive - r.o1;
	r.t2 = r.naive - r.o2;
	r.v1 = offset_at(r.t1) == r.o1;
	r.v2 = offset_at(r.t2) == r.o2;
	return r;
}

/* The instant within (lo, hi] at which the offset differs from the one at
 * lo (the offset changes once in between). */
static int64_t change_instant(int64_t lo, int64_t hi)
{
	int o = offset_at(lo);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (offset_at(mid) == o)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

enum cal_occurs cal_local_occurs(cal_date d, int hour, int min, int sec,
				 kv_instant *first, kv_instant *second,
				 struct cal_dst_change *change)
{
	struct readings r = read_wall(d, hour, min, sec);
	enum cal_occurs k;
	kv_instant f, g;
	if (r.v1 && r.v2 && r.t1 != r.t2) {
		k = CAL_TWICE; /* autumn: the earlier is summer time */
		f = r.t1 < r.t2 ? r.t1 : r.t2;
		g = r.t1 < r.t2 ? r.t2 : r.t1;
	} else if (r.v1 || r.v2) {
		k = CAL_ONCE;
		f = g = r.v1 ? r.t1 : r.t2;
	} else {
		/* Spring gap: the time does not exist; moved forward by the
		 * gap, which is reading it with the offset from before. */
		k = CAL_NEVER;
		f = g = r.naive - r.o1;
	}
	if (first)
		*first = f;
	if (second)
		*second = g;
	if (change) {
		memset(change, 0, sizeof *change);
		if (r.o1 != r.o2) {
			int64_t at = change_instant(r.naive - 86400,
						    r.naive + 86400);
			int lo = r.o1 < r.o2 ? r.o1 : r.o2;
			int hi = r.o1 < r.o2 ? r.o2 : r.o1;
			int64_t from = ((at + lo) % 86400 + 86400) % 86400;
			int64_t to = ((at + hi) % 86400 + 86400) % 86400;
			change->from_hour = (int)(from / 3600);
			change->from_min = (int)(from % 3600 / 60);
			change->to_hour = (int)(to / 3600);
			change->to_min = (int)(to % 3600 / 60);
		}
	}
	return k;
}

kv_instant cal_local_to_utc(cal_date d, int hour, int min, int sec)
{
	kv_instant t;
	cal_local_occurs(d, hour, min, sec, &t, NULL, NULL);
	return t;
}

bool cal_in_repeated_hour(kv_instant t, bool *summer)
{
	cal_date d;
	int h, m, s, off;
	kv_instant first;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	if (cal_local_occurs(d, h, m, s, &first, NULL, NULL) != CAL_TWICE)
		return false;
	if (summer)
		*summer = t == first;
	return true;
}

kv_instant cal_end_of_day(cal_date d)
{
	return cal_local_to_utc(d, 23, 59, 59);
}

void cal_utc_to_local(kv_instant t, cal_date *d, int *hour, int *min,
		      int *sec, int *utc_offset_sec)
{
	int off = offset_at(t);
	int64_t local = t + off;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t s = local - days * 86400;   /* 0 .. 86399 */
	if (d)
		*d = cal_civil_from_days(days);
	if (hour)
		*hour = (int)(s / 3600);
	if (min)
		*min = (int)(s / 60 % 60);
	if (sec)
		*sec = (int)(s % 60);
	if (utc_offset_sec)
		*utc_offset_sec = off;
}

/* --- writing local times --------------------------------------------- */

static const char *const fold_name[2][2] = {
	{"zomertijd", "wintertijd"},
	{"summer time", "winter time"},
};

/* Writers for format_wall: each appends at *p and moves it on. */
static void put_num(char **p, int v)     /* 0 .. 9999, no leading zeros */
{
	if (v >= 1000)
		*(*p)++ = (char)('0' + v / 1000);
	if (v >= 100)
		*(*p)++ = (char)('0' + v / 100 % 10);
	if (v >= 10)
		*(*p)++ = (char)('0' + v / 10 % 10);
	*(*p)++ = (char)('0' + v % 10);
}

static void put_two(char **p, int v)     /* 00 .. 99 */
{
	*(*p)++ = (char)('0' + v / 10 % 10);
	*(*p)++ = (char)('0' + v % 10);
}

static void put_str(char **p, const char *s)
{
	size_t n = strlen(s);
	memcpy(*p, s, n);
	*p += n;
}

/* "1 april 2022, 14:05" (seconds when `secs`) into buf; by hand, not
 * snprintf: a timeline writes dozens of times. */
static char *format_wall(char buf[64], cal_date d, int h, int m, int s,
			 bool secs, enum lang l)
{
	if (!cal_date_valid(d))
		return cal_format_date(d, buf);
	char *p = buf;
	put_num(&p, d.day);
	*p++ = ' ';
	put_str(&p, month_name[l][d.month]);   /* at most 9 bytes */
	*p++ = ' ';
	put_num(&p, d.year);
	put_str(&p, ", ");
	put_two(&p, h);
	*p++ = ':';
	put_two(&p, m);
	if (secs) {
		*p++ = ':';
		put_two(&p, s);
	}
	*p = 0;
	return buf;
}

/* "+02:00" for an offset in seconds. */
static char *format_offset(char buf[8], int off)
{
	int a = off < 0 ? -off : off;
	snprintf(buf, 8, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600 % 100,
		 a % 3600 / 60);
	return buf;
}

/* The local time of t as format_wall writes it, with " (zomertijd)" in
 * the repeated hour.  always_secs: seconds even when :00. */
static char *format_instant(arena *a, kv_instant t, bool always_secs,
			    bool time_only)
{
	enum lang l = cur_lang();
	cal_date d;
	int h, m, sec, off;
	char buf[64];
	cal_utc_to_local(t, &d, &h, &m, &sec, &off);
	bool summer = false;
	bool twice = cal_in_repeated_hour(t, &summer);
	if (time_only) {
		if (always_secs || sec)
			snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, m, sec);
		else
			snprintf(buf, sizeof buf, "%02d:%02d", h, m);
	} else {
		format_wall(buf, d, h, m, sec, always_secs || sec != 0, l);
	}
	if (twice)
		return arena_printf(a, "%s (%s)", buf,
				    fold_name[l][summer ? 0 : 1]);
	return arena_strdup(a, buf);
}

char *cal_format_local(arena *a, kv_instant t)
{
	return t ? format_instant(a, t, false, false) : arena_strdup(a, "");
}

char *cal_format_local_sec(arena *a, kv_instant t)
{
	return t ? format_instant(a, t, true, false) : arena_strdup(a, "");
}

char *cal_format_period(arena *a, kv_instant t1, kv_instant t2)
{
	if (!t1 || !t2 || t1 == t2)
		return cal_format_local(a, t1 ? t1 : t2);
	cal_date d1, d2;
	cal_utc_to_local(t1, &d1, NULL, NULL, NULL, NULL);
	cal_utc_to_local(t2, &d2, NULL, NULL, NULL, NULL);
	if (cal_date_cmp(d1, d2) == 0)
		return arena_printf(a, "%s\xe2\x80\x93%s", cal_format_local(a, t1),
				    format_instant(a, t2, false, true));
	return arena_printf(a, "%s \xe2\x80\x93 %s", cal_format_local(a, t1),
			    cal_format_local(a, t2));
}

char *cal_format_day(arena *a, cal_date d)
{
	if (!cal_date_valid(d)) {
		char b[11];
		return arena_strdup(a, cal_format_date(d, b));
	}
	return arena_printf(a, "%d %s %d", d.day, month_name[cur_lang()][d.month],
			    d.year);
}

int64_t cal_local_day_diff(kv_instant from, kv_instant to)
{
	cal_date a, b;
	cal_utc_to_local(from, &a, NULL, NULL, NULL, NULL);
	cal_utc_to_local(to, &b, NULL, NULL, NULL, NULL);
	return cal_days_from_civil(b) - cal_days_from_civil(a);
}

struct cal_span cal_span_between(kv_instant from, kv_instant to)
{
	struct cal_span r = {0, CAL_MINUTES};
	if (to <= from)
		return r;
	int64_t secs = to - from;
	int64_t days = cal_local_day_diff(from, to);
	if (days < 1) {
		if (secs < 3600) {
			r.n = secs / 60 > 0 ? secs / 60 : 1;
			return r;
		}
		r.n = secs / 3600;
		r.unit = CAL_HOURS;
		return r;
	}
	cal_date a, b;
	cal_utc_to_local(from, &a, NULL, NULL, NULL, NULL);
	cal_utc_to_local(to, &b, NULL, NULL, NULL, NULL);
	int64_t months = ((int64_t)b.year * 12 + b.month) -
			 ((int64_t)a.year * 12 + a.month) - (b.day < a.day);
	if (months < 2) {
		r.n = days;
		r.unit = CAL_DAYS;
	} else if (months < 24) {
		r.n = months;
		r.unit = CAL_MONTHS;
	} else {
		r.n = months / 12;
		r.unit = CAL_YEARS;
	}
	return r;
}

/* --- reading local times ---------------------------------------------- */

/* Reads "YYYY-MM-DD HH:MM[:SS][+HH:MM]" (or T for the space).  Fills the
 * wall time and, when an offset is given, *has_off and *off.  0, or -1
 * with e filled. */
static int scan_local(const char *s, cal_date *d, int *h, int *m, int *sec,
		      bool *has_off, int *off, const char *field,
		      struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	*h = *m = *sec = 0;
	*has_off = false;
	*off = 0;
	if (!s || !*s) {
		kv_fail(e, KV_INVALID, field,
			_("A date and time are required, written as "
			  "YYYY-MM-DD HH:MM (for example 2022-07-01 12:00)."));
		return -1;
	}
	size_t n = strlen(s);
	int r = scan_date(s, d);
	size_t base = n >= 22 && (s[n - 6] == '+' || s[n - 6] == '-') ? n - 6
								       : n;
	int oh = 0, om = 0;
	bool shape = r != -1 && (base == 16 || base == 19) &&
		     (s[10] == ' ' || s[10] == 'T') && s[13] == ':' &&
		     digits_at(s, 11, 2, h) && digits_at(s, 14, 2, m) &&
		     (base == 16 || (s[16] == ':' && digits_at(s, 17, 2, sec))) &&
		     (base == n || (s[base + 3] == ':' &&
				    digits_at(s, base + 1, 2, &oh) &&
				    digits_at(s, base + 4, 2, &om)));
	if (!shape) {
		kv_fail(e, KV_INVALID, field,
			_("\"%s\" is not a date and time written as "
			  "YYYY-MM-DD HH:MM (for example 2022-07-01 12:00; "
			  "seconds are optional)."),
			kv_quote(s, q));
		return -1;
	}
	if (r == -2)
		return date_error(s, *d, field, e);
	if (*h > 23 || *m > 59 || *sec > 59 || oh > 14 || om > 59) {
		kv_fail(e, KV_INVALID, field,
			_("\"%s\" is not a time of day: hours run from 00 to "
			  "23, minutes and seconds from 00 to 59."),
			kv_quote(s, q));
		return -1;
	}
	if (base != n) {
		*has_off = true;
		*off = (oh * 3600 + om * 60) * (s[base] == '-' ? -1 : 1);
	}
	return 0;
}

static int parse_local(const char *s, bool strict, enum cal_fold fold,
		       kv_instant *out, bool *ambiguous, const char *field,
		       struct kv_error *e)
{
	char q[KV_QUOTE_MAX], wall[64], ob[8], ob2[8], given[8];
	cal_date d = {0, 0, 0};
	int h, m, sec, off;
	bool has_off;
	if (ambiguous)
		*ambiguous = false;
	if (scan_local(s, &d, &h, &m, &sec, &has_off, &off, field, e) != 0)
		return -1;
	kv_instant first, second;
	struct cal_dst_change ch;
	enum cal_occurs k = cal_local_occurs(d, h, m, sec, &first, &second,
					     &ch);
	format_wall(wall, d, h, m, sec, sec != 0, cur_lang());
	if (k == CAL_NEVER && (strict || has_off)) {
		kv_fail(e, KV_INVALID, field,
			_("%s does not exist in the Netherlands: at "
			  "%02d:%02d the clocks go forward to %02d:%02d "
			  "(summer time begins). Enter a time before "
			  "%02d:%02d or from %02d:%02d on."),
			wall, ch.from_hour, ch.from_min, ch.to_hour, ch.to_min,
			ch.from_hour, ch.from_min, ch.to_hour, ch.to_min);
		return -1;
	}
	kv_instant t = first;
	if (has_off) {
		int64_t naive = cal_days_from_civil(d) * 86400 +
				(int64_t)h * 3600 + (int64_t)m * 60 + sec;
		kv_instant want = naive - off;
		if (want != first && want != second) {
			if (k == CAL_TWICE)
				kv_fail(e, KV_INVALID, field,
					_("\"%s\": at that time the "
					  "Netherlands is at UTC%s (summer "
					  "time) or UTC%s (winter time), not "
					  "UTC%s."),
					kv_quote(s, q),
					format_offset(ob, offset_at(first)),
					format_offset(ob2, offset_at(second)),
					format_offset(given, off));
			else
				kv_fail(e, KV_INVALID, field,
					_("\"%s\": at that time the "
					  "Netherlands is at UTC%s, not UTC%s."),
					kv_quote(s, q),
					format_offset(ob, offset_at(first)),
					format_offset(given, off));
			return -1;
		}
		t = want;
	} else if (k == CAL_TWICE) {
		if (fold == CAL_FOLD_WINTER)
			t = second;
		else if (fold == CAL_FOLD_ASK && strict) {
			if (ambiguous)
				*ambiguous = true;
			kv_fail(e, KV_INVALID, field,
				_("%s happens twice that night: at %02d:%02d "
				  "summer time the clocks go back to "
				  "%02d:%02d. Say which you mean: the first "
				  "(summer time, UTC%s) or the second (winter "
				  "time, UTC%s)."),
				wall, ch.to_hour, ch.to_min, ch.from_hour,
				ch.from_min, format_offset(ob, offset_at(first)),
				format_offset(ob2, offset_at(second)));
			return -1;
		}
	}
	if (out)
		*out = t;
	return 0;
}

int cal_parse_local_dst(const char *s, enum cal_fold fold, kv_instant *out,
			bool *ambiguous, const char *field,
			struct kv_error *e)
{
	return parse_local(s, true, fold, out, ambiguous, field, e);
}

int cal_parse_local(const char *s, kv_instant *out, const char *field,
		    struct kv_error *e)
{
	return parse_local(s, false, CAL_FOLD_SUMMER, out, NULL, field, e);
}

/* --- Algemene termijnenwet ------------------------------------------- */

/* The anonymous Gregorian algorithm (Meeus, Astronomical Algorithms). */
cal_date cal_easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	return (cal_date){year, month, day};
}

static const char SRC_ART1[] = "Algemene termijnenwet art. 1 lid 1";
static const char SRC_ART3_1[] = "Algemene termijnenwet art. 3 lid 1";
static const char SRC_ART3_2[] = "Algemene termijnenwet art. 3 lid 2";

enum holiday {
	H_NEWYEAR, H_GOODFRIDAY, H_EASTERMONDAY, H_KINGSDAY, H_QUEENSDAY,
	H_LIBERATION, H_ASCENSION, H_WHITMONDAY, H_CHRISTMAS1, H_CHRISTMAS2,
	H_COUNT
};

static const char *const holiday_name[2][H_COUNT] = {
	{"Nieuwjaarsdag", "Goede Vrijdag", "Tweede Paasdag", "Koningsdag",
	 "Koninginnedag", "Bevrijdingsdag", "Hemelvaartsdag",
	 "Tweede Pinksterdag", "Eerste Kerstdag", "Tweede Kerstdag"},
	{"New Year's Day", "Good Friday", "Easter Monday", "King's Day",
	 "Queen's Day", "Liberation Day", "Ascension Day",
	 "Whit Monday", "Christmas Day", "Second Day of Christmas"},
};

/* The day the monarch's birthday is celebrated (art. 3 lid 1). */
static cal_date royal_day(int year, enum holiday *which)
{
	cal_date d;
	if (year >= 2014) {
		*which = H_KINGSDAY;
		d = (cal_date){year, 4, 27};
		if (cal_weekday(d) == 7)
			d.day = 26;
	} else if (year >= 1949) {
		*which = H_QUEENSDAY;
		d = (cal_date){year, 4, 30};
		if (cal_weekday(d) == 7)
			d = year >= 1980 ? (cal_date){year, 4, 29}
					 : (cal_date){year, 5, 1};
	} else {
		*which = H_QUEENSDAY; /* Wilhelmina: 31 August */
		d = (cal_date){year, 8, 31};
	}
	return d;
}

static size_t holidays_of(int year, enum lang l, cal_date out_date[16],
			  struct cal_reason out_why[16]);

/* Every working-day check asks for its year's holidays: a memo per
 * thread, by year and language (the reasons point to static texts). */
#define HOLIDAY_MEMO 8
static _Thread_local struct {
	int year;                 /* 0: empty */
	enum lang lang;
	size_t n;
	cal_date date[16];
	struct cal_reason why[16];
} holiday_memo[HOLIDAY_MEMO];

size_t cal_holidays(int year, cal_date out_date[16],
		    struct cal_reason out_why[16])
{
	enum lang l = cur_lang();
	unsigned i = (unsigned)year % HOLIDAY_MEMO;
	if (holiday_memo[i].year != year || holiday_memo[i].lang != l || !year) {
		holiday_memo[i].n = holidays_of(year, l, holiday_memo[i].date,
						holiday_memo[i].why);
		holiday_memo[i].year = year;
		holiday_memo[i].lang = l;
	}
	size_t n = holiday_memo[i].n;
	memcpy(out_date, holiday_memo[i].date, n * sizeof *out_date);
	memcpy(out_why, holiday_memo[i].why, n * sizeof *out_why);
	return n;
}

static size_t holidays_of(int year, enum lang l, cal_date out_date[16],
			  struct cal_reason out_why[16])
{
	cal_date easter = cal_easter(year);
	enum holiday royal;
	cal_date royal_date = royal_day(year, &royal);
	struct {
		cal_date d;
		enum holiday h;
	} t[] = {
		{{year, 1, 1}, H_NEWYEAR},
		{cal_add_days(easter, -2), H_GOODFRIDAY},
		{cal_add_days(easter, 1), H_EASTERMONDAY},
		{royal_date, royal},
		{{year, 5, 5}, H_LIBERATION},
		{cal_add_days(easter, 39), H_ASCENSION},
		{cal_add_days(easter, 50), H_WHITMONDAY},
		{{year, 12, 25}, H_CHRISTMAS1},
		{{year, 12, 26}, H_CHRISTMAS2},
	};
	size_t n = sizeof t / sizeof t[0];
	/* Insertion sort: stable, so days that coincide (Hemelvaartsdag on
	 * 5 May, as in 2016) keep the order above. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cal_date_cmp(t[j - 1].d, t[j].d) > 0;
		     j--) {
			cal_date td = t[j].d;
			enum holiday th = t[j].h;
			t[j] = t[j - 1];
			t[j - 1].d = td;
			t[j - 1].h = th;
		}
	for (size_t i = 0; i < n; i++) {
		out_date[i] = t[i].d;
		out_why[i].name = holiday_name[l][t[i].h];
		out_why[i].source =
		    t[i].h == H_GOODFRIDAY ? SRC_ART3_2 : SRC_ART3_1;
	}
	return n;
}

/*
 * Equated days (art. 3 lid 3 Atw).  Every three years a decree equates
 * days with the holidays, always the Friday after Hemelvaartsdag and in
 * recent decrees also the Friday after another holiday on a Thursday.
 * What we found (searches of 2026; the decree texts themselves are in the
 * Staatscourant):
 *
 *  - "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024,
 *    27 december 2024 en 30 mei 2025 met een algemeen erkende feestdag"
 *    covers 2023-2025: the Fridays after Hemelvaartsdag, after Koningsdag
 *    2023 (Thursday 27 April) and after Tweede Kerstdag 2024 (Thursday
 *    26 December).
 *  - "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027,
 *    28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag"
 *    covers 2026-2028: the Fridays after Hemelvaartsdag, after
 *    Nieuwjaarsdag 2026 and after Koningsdag 2028 (both Thursdays).
 *    (Titles as cited by sterfgeval.nl, vraag 70745, 4 October 2025, and
 *    in public code that ships the same dates.)
 *  - For 2022, wvhl.nl lists Friday 27 May 2022 (after Hemelvaartsdag) as
 *    equated; we did not find the title of the 2020-2022 decree.
 *
 * So the decrees are not issued for 2021-2023 and 2024-2026, as was
 * assumed, but for 2023-2025 and 2026-2028.  For the years they cover
 * Kavel ships exactly their days; for every other year only the Friday
 * after Hemelvaartsdag, marked as following the rule of the decrees
 * rather than a decree.  A buyer adds what a new decree says.
 */
struct decree_day {
	int year, month, day;
	enum holiday after; /* the Friday after this holiday */
	int decree;         /* index into decree_title */
};

static const char *const decree_title[] = {
	"Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei "
	"2024, 27 december 2024 en 30 mei 2025 met een algemeen erkende "
	"feestdag (art. 3 lid 3 Algemene termijnenwet)",
	"Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, "
	"28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag "
	"(art. 3 lid 3 Algemene termijnenwet)",
};

static const struct {
	int from, to;
} decree_years[] = {{2023, 2025}, {2026, 2028}};

static const struct decree_day shipped_decrees[] = {
	{2023, 4, 28, H_KINGSDAY, 0},   {2023, 5, 19, H_ASCENSION, 0},
	{2024, 5, 10, H_ASCENSION, 0},  {2024, 12, 27, H_CHRISTMAS2, 0},
	{2025, 5, 30, H_ASCENSION, 0},  {2026, 1, 2, H_NEWYEAR, 1},
	{2026, 5, 15, H_ASCENSION, 1},  {2027, 5, 7, H_ASCENSION, 1},
	{2028, 4, 28, H_KINGSDAY, 1},   {2028, 5, 26, H_ASCENSION, 1},
};

static const char *const friday_after[2] = {"vrijdag na ", "Friday after "};

static bool year_has_decree(int y)
{
	for (size_t i = 0; i < sizeof decree_years / sizeof decree_years[0];
	     i++)
		if (y >= decree_years[i].from && y <= decree_years[i].to)
			return true;
	return false;
}

size_t cal_shipped_equated(arena *a, int from_year, int to_year,
			   struct cal_equated_day **out)
{
	enum lang l = cur_lang();
	*out = NULL;
	if (from_year < 1583)
		from_year = 1583;
	if (to_year > 9999)
		to_year = 9999;
	if (from_year > to_year)
		return 0;
	size_t n = 0;
	for (int y = from_year; y <= to_year; y++) {
		if (!year_has_decree(y)) {
			n++;
			continue;
		}
		for (size_t i = 0; i < sizeof shipped_decrees /
					   sizeof shipped_decrees[0];
		     i++)
			n += shipped_decrees[i].year == y;
	}
	struct cal_equated_day *v = arena_alloc(a, n * sizeof *v);
	size_t k = 0;
	char *rule_name = arena_printf(a, "%s%s", friday_after[l],
				       holiday_name[l][H_ASCENSION]);
	for (int y = from_year; y <= to_year; y++) {
		if (!year_has_decree(y)) {
			v[k].date = cal_add_days(cal_easter(y), 40);
			v[k].name = rule_name;
			v[k].source = arena_printf(
			    a,
			    l == LANG_EN
				? "by the rule the Besluiten gelijkstelling "
				  "follow (art. 3 lid 3 Algemene "
				  "termijnenwet); Kavel knows no decree for %d"
				: "volgens de regel van de Besluiten "
				  "gelijkstelling (art. 3 lid 3 Algemene "
				  "termijnenwet); Kavel kent geen besluit "
				  "voor %d",
			    y);
			k++;
			continue;
		}
		for (size_t i = 0; i < sizeof shipped_decrees /
					   sizeof shipped_decrees[0];
		     i++) {
			const struct decree_day *dd = &shipped_decrees[i];
			if (dd->year != y)
				continue;
			v[k].date = (cal_date){dd->year, dd->month, dd->day};
			v[k].name = arena_printf(a, "%s%s", friday_after[l],
						 holiday_name[l][dd->after]);
			v[k].source = decree_title[dd->decree];
			k++;
		}
	}
	*out = v;
	return n;
}

bool cal_is_non_working(const cal_calendar *c, cal_date d,
			struct cal_reason *why)
{
	cal_date hd[16];
	struct cal_reason hw[16];
	size_t n = cal_holidays(d.year, hd, hw);
	for (size_t i = 0; i < n; i++)
		if (cal_date_cmp(hd[i], d) == 0) {
			if (why)
				*why = hw[i];
			return true;
		}
	if (c)
		for (size_t i = 0; i < c->n_equated; i++)
			if (cal_date_cmp(c->equated[i].date, d) == 0) {
				if (why) {
					why->name = c->equated[i].name;
					why->source = c->equated[i].source;
				}
				return true;
			}
	int wd = cal_weekday(d);
	if (wd >= 6) {
		if (why) {
			why->name = weekday_name[cur_lang()][wd];
			why->source = SRC_ART1;
		}
		return true;
	}
	return false;
}

/* --- deadlines ---------------------------------------------------------- */

/* Appends to a fixed buffer; a text that does not fit ends in "...". */
struct text {
	char *p;
	size_t cap, len;
};

static void put(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	if (t->len + 1 >= t->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= t->cap - t->len) {
		/* Cut before a whole UTF-8 character and mark the cut. */
		size_t q = t->cap - 4;
		while (q > 0 && ((unsigned char)t->p[q] & 0xc0) == 0x80)
			q--;
		memcpy(t->p + q, "...", 4);
		t->len = t->cap - 1; /* full: later puts add nothing */
	} else {
		t->len += (size_t)n;
	}
}

enum term_kind { TERM_STANDSTILL, TERM_GENERAL };

#define MAX_TERM_DAYS 3650

static int compute_term(const cal_calendar *c, cal_date base, int days,
			enum term_kind kind, struct cal_explained *out)
{
	enum lang l = cur_lang();
	cal_date nominal = cal_add_days(base, days), end = nominal;
	struct cal_reason why;
	struct text r = {out->rule, sizeof out->rule, 0};
	char b1[40], b2[40];
	out->rule[0] = 0;

	if (kind == TERM_STANDSTILL)
		put(&r,
		    l == LANG_EN
			? "The standstill period of %d calendar days starts "
			  "on the day after the award decision was sent (sent "
			  "on %s)"
			: "De opschortende termijn van %d kalenderdagen "
			  "begint op de dag na verzending van de "
			  "gunningsbeslissing (verzonden op %s)",
		    days, format_long(b1, base, l));
	else
		put(&r,
		    l == LANG_EN ? "A term of %d %s after %s"
				 : "Een termijn van %d %s na %s",
		    days,
		    l == LANG_EN ? (days == 1 ? "day" : "days")
				 : (days == 1 ? "dag" : "dagen"),
		    format_long(b1, base, l));

	if (!cal_is_non_working(c, end, &why)) {
		put(&r,
		    l == LANG_EN ? "%s ends on %s at 23:59:59 Dutch time."
				 : "%s eindigt op %s om 23:59:59 Nederlandse "
				   "tijd.",
		    kind == TERM_STANDSTILL ? (l == LANG_EN ? " and" : " en")
					    : "",
		    format_long(b2, end, l));
	} else {
		put(&r,
		    kind == TERM_STANDSTILL
			? (l == LANG_EN ? "; its last day would be %s. "
					: "; de laatste dag zou %s zijn. ")
			: (l == LANG_EN ? " would end on %s. "
					: " zou eindigen op %s. "),
		    format_long(b2, end, l));
		put(&r,
		    l == LANG_EN ? "That is not a working day (%s)"
				 : "Dat is geen werkdag (%s)",
		    why.name);
		/* Bounded, whatever days a buyer equated. */
		for (int guard = 0; guard < 400; guard++) {
			end = cal_add_days(end, 1);
			if (!cal_is_non_working(c, end, &why))
				break;
			put(&r,
			    l == LANG_EN ? ", nor is %s (%s)"
					 : ", %s evenmin (%s)",
			    format_long(b2, end, l), why.name);
		}
		if (l == LANG_EN)
			put(&r,
			    ", so the %s runs on to the end of %s, 23:59:59 "
			    "Dutch time (art. 1 Algemene termijnenwet).",
			    kind == TERM_STANDSTILL ? "period" : "term",
			    format_long(b2, end, l));
		else
			put(&r,
			    ", dus loopt de termijn door tot het einde van "
			    "%s, 23:59:59 Nederlandse tijd (art. 1 Algemene "
			    "termijnenwet).",
			    format_long(b2, end, l));
	}
	out->date = end;
	out->end = cal_end_of_day(end);
	bool extended = cal_date_cmp(end, nominal) != 0;
	snprintf(out->source, sizeof out->source, "%s%s%s",
		 kind == TERM_STANDSTILL ? "art. 2.127 Aanbestedingswet 2012"
					 : "",
		 kind == TERM_STANDSTILL && extended ? "; " : "",
		 extended ? "art. 1 Algemene termijnenwet" : "");
	return 0;
}

int cal_standstill_end(const cal_calendar *c, cal_date sent, int days,
		       struct cal_explained *out, struct kv_error *e)
{
	char b[11];
	if (!out)
		return kv_fail(e, KV_INVALID, "", "cal_standstill_end: out is NULL");
	memset(out, 0, sizeof *out);
	if (!cal_date_valid(sent))
		return kv_fail(e, KV_INVALID, "sent",
			       _("The date the award decision was sent (%s) "
				 "is not a valid date."),
			       cal_format_date(sent, b));
	if (days < 20)
		return kv_fail(e, KV_INVALID, "days",
			       _("The standstill period is at least 20 "
				 "calendar days (art. 2.127 Aanbestedingswet "
				 "2012); %d days is too short."),
			       days);
	if (days > MAX_TERM_DAYS || sent.year > 9000)
		return kv_fail(e, KV_INVALID, "days",
			       _("A standstill period of %d days is longer "
				 "than Kavel computes (at most %d days)."),
			       days, MAX_TERM_DAYS);
	compute_term(c, sent, days, TERM_STANDSTILL, out);
	return KV_OK;
}

int cal_term_end(const cal_calendar *c, cal_date from, int days,
		 struct cal_explained *out, struct kv_error *e)
{
	char b[11];
	if (!out)
		return kv_fail(e, KV_INVALID, "", "cal_term_end: out is NULL");
	memset(out, 0, sizeof *out);
	if (!cal_date_valid(from))
		return kv_fail(e, KV_INVALID, "from",
			       _("The first date of the term (%s) is not a "
				 "valid date."),
			       cal_format_date(from, b));
	if (days < 1 || days > MAX_TERM_DAYS || from.year > 9000)
		return kv_fail(e, KV_INVALID, "days",
			       _("A term is 1 to %d days; %d days cannot be "
				 "computed."),
			       MAX_TERM_DAYS, days);
	compute_term(c, from, days, TERM_GENERAL, out);
	return KV_OK;
}
