/*
 * calendar.h - the legal calendar: Europe/Amsterdam civil time, the
 * Algemene termijnenwet and the standstill period of art. 2.127 Aw 2012.
 *
 * Plain C, no I/O.  All instants are seconds since the Unix epoch in UTC
 * (`kv_instant`); dates a person sees are civil dates in Europe/Amsterdam.
 * Conversion uses the system tz database (tzdata) through the C library,
 * never a hand-written DST rule: cal_init() must run once at start-up,
 * before threads exist.
 */
#ifndef KAVEL_CALENDAR_H
#define KAVEL_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"

typedef int64_t kv_instant;     /* seconds since 1970-01-01T00:00:00Z */

typedef struct cal_date {
	int year, month, day;   /* proleptic Gregorian, month 1..12 */
} cal_date;

/* Once, before threads: makes the C library's local time Europe/Amsterdam.
 * Returns -1 (and says why in e) when tzdata lacks the zone. */
int cal_init(struct kv_error *e);

/* --- civil dates ------------------------------------------------------- */
bool cal_date_valid(cal_date d);
int64_t cal_days_from_civil(cal_date d);     /* days since 1970-01-01 */
cal_date cal_civil_from_days(int64_t days);
cal_date cal_add_days(cal_date d, int64_t n);
int cal_date_cmp(cal_date a, cal_date b);    /* <0, 0, >0 */
int cal_weekday(cal_date d);                 /* ISO: 1 Monday .. 7 Sunday */
/* "YYYY-MM-DD" exactly; 0 ok, -1 bad (e names why, field as given). */
int cal_parse_date(const char *s, cal_date *out, const char *field,
		   struct kv_error *e);
/* "YYYY-MM-DD" into buf (>= 11 bytes). Returns buf. */
char *cal_format_date(cal_date d, char *buf);
/* Dutch long form "vrijdag 1 juli 2022" / English "Friday 1 July 2022",
 * in the arena, in the language of the calling thread's locale. */
char *cal_format_long(arena *a, cal_date d);

/* --- Europe/Amsterdam -------------------------------------------------- */
/* Local wall-clock time to UTC.  A time that does not exist (the spring
 * DST gap) moves forward by the gap; an ambiguous one (autumn) takes the
 * first, summer-time, occurrence.  For computed times (the end of a day);
 * a time a person typed goes through cal_parse_local_dst. */
kv_instant cal_local_to_utc(cal_date d, int hour, int min, int sec);

/* How often a wall-clock time occurs in Europe/Amsterdam: once; twice
 * (the autumn hour that repeats when summer time ends: first with +02:00,
 * then with +01:00); or never (the spring hour skipped when it begins). */
enum cal_occurs { CAL_ONCE, CAL_TWICE, CAL_NEVER };
/* The DST change next to a wall-clock time: the wall times where the
 * repeated or skipped hour begins and ends (for Amsterdam 02:00 and
 * 03:00), as hour and minute.  first/second get the UTC instants of the
 * time's occurrences (second == first unless CAL_TWICE; for CAL_NEVER
 * first is the time moved forward by the gap); any may be NULL. */
struct cal_dst_change {
	int from_hour, from_min;   /* the hour that repeats or is skipped */
	int to_hour, to_min;       /* the wall time the change jumps to or
				      back from */
};
enum cal_occurs cal_local_occurs(cal_date d, int hour, int min, int sec,
				 kv_instant *first, kv_instant *second,
				 struct cal_dst_change *change);
/* Whether instant t falls in the repeated autumn hour (its wall time is
 * shown twice that night); *summer says which: the first, +02:00. */
bool cal_in_repeated_hour(kv_instant t, bool *summer);
/* End of a local day: the last second, 23:59:59 Europe/Amsterdam. */
kv_instant cal_end_of_day(cal_date d);
void cal_utc_to_local(kv_instant t, cal_date *d, int *hour, int *min,
		      int *sec, int *utc_offset_sec);
/*
 * A local time as a person or client writes it: "2022-07-01 12:00" or
 * "2022-07-01T12:00" (the HTML datetime-local form), seconds optional,
 * optionally followed by the UTC offset "+02:00" / "+01:00", which must
 * be one Amsterdam has at that wall time.
 *
 * cal_parse_local_dst is the rule for times people enter (docs/api.md,
 * "Times"): a time in the repeated autumn hour needs its occurrence,
 * from the offset or from `fold` (CAL_FOLD_ASK refuses it, saying both
 * choices, and sets *ambiguous); a time in the skipped spring hour is
 * refused, saying what the clock does.  ambiguous may be NULL.
 * cal_parse_local is the lenient older form: the first occurrence, and
 * a skipped time moved forward by the gap.
 */
enum cal_fold { CAL_FOLD_ASK, CAL_FOLD_SUMMER, CAL_FOLD_WINTER };
int cal_parse_local_dst(const char *s, enum cal_fold fold, kv_instant *out,
			bool *ambiguous, const char *field,
			struct kv_error *e);
int cal_parse_local(const char *s, kv_instant *out, const char *field,
		    struct kv_error *e);

/*
 * Instants as Dutch people write them, in the calling thread's language:
 * "1 april 2022, 00:00" (English "1 April 2022, 00:00"), minutes only
 * unless the seconds are not :00 ("1 april 2022, 23:59:59": a deadline
 * holds to the second).  No zone code: every time is Europe/Amsterdam;
 * only in the repeated autumn hour is the occurrence added, "30 oktober
 * 2022, 02:30 (zomertijd)" / "(wintertijd)".  In the arena; "" for 0.
 */
char *cal_format_local(arena *a, kv_instant t);
/* The same, always with the seconds (receipts): "1 april 2022, 00:00:05". */
char *cal_format_local_sec(arena *a, kv_instant t);
/* From t1 to t2: "1 april 2022, 09:00 – 15 april 2022, 17:00", or on one
 * day "1 april 2022, 09:00–17:00". */
char *cal_format_period(arena *a, kv_instant t1, kv_instant t2);
/* "1 april 2022" / "1 April 2022" into the arena. */
char *cal_format_day(arena *a, cal_date d);

/* A length of time in the largest unit a person would use: minutes under
 * an hour, hours on the same day, days under two months, then months,
 * then years, each whole (rounded down, at least 1).  Days, months and
 * years count calendar dates in Europe/Amsterdam, as a person does: from
 * 23:59 yesterday to 00:01 today is 1 day. */
enum cal_unit { CAL_MINUTES, CAL_HOURS, CAL_DAYS, CAL_MONTHS, CAL_YEARS };
struct cal_span {
	int64_t n;
	enum cal_unit unit;
};
struct cal_span cal_span_between(kv_instant from, kv_instant to);
/* Calendar days from the local date of `from` to that of `to`. */
int64_t cal_local_day_diff(kv_instant from, kv_instant to);

/* --- Algemene termijnenwet -------------------------------------------- */
cal_date cal_easter(int year);   /* Gregorian Easter Sunday, any year >= 1583 */

/* Why a day is not a working day under the Algemene termijnenwet. */
struct cal_reason {
	const char *name;    /* "Tweede Paasdag", "zaterdag", ... (Dutch, or
				English in an English locale) */
	const char *source;  /* "Algemene termijnenwet art. 3 lid 1", ... */
};

/* A day equated to a holiday by the three-yearly Besluit gelijkstelling
 * dagen Algemene termijnenwet, or added by a buyer. */
struct cal_equated_day {
	cal_date date;
	const char *name;     /* "vrijdag na Hemelvaartsdag" */
	const char *source;   /* "Besluit gelijkstelling van 2 januari 2026,
				 ... 26 mei 2028 met een algemeen erkende
				 feestdag (art. 3 lid 3 ...)" */
};

/* The table of equated days in force.  Kavel ships one, pre-filled by the
 * rules those decrees follow; a buyer can add days (the store keeps them). */
typedef struct cal_calendar {
	const struct cal_equated_day *equated;
	size_t n_equated;
} cal_calendar;

/* The days Kavel ships for the years from..to (inclusive), in the arena:
 * the Friday after Hemelvaartsdag and the other days the decrees of those
 * years name.  Each entry's source says which decree or rule.  Known
 * decrees cover 2023-2025 and 2026-2028 (see calendar.c); other years get
 * only the Friday after Hemelvaartsdag, "volgens de regel".  Years are
 * clamped to 1583..9999; *out is NULL when nothing is shipped. */
size_t cal_shipped_equated(arena *a, int from_year, int to_year,
			   struct cal_equated_day **out);

/* True when d is a Saturday, Sunday, an art. 3 holiday (with Good Friday
 * of art. 3(2)) or an equated day; fills why (may be NULL).  A holiday is
 * named before an equated day before the weekday.  c may be NULL: no
 * equated days. */
bool cal_is_non_working(const cal_calendar *c, cal_date d,
			struct cal_reason *why);
/* The art. 3 holidays (plus Good Friday) of one year, in date order (9;
 * two may share a date, as Hemelvaartsdag and 5 May in 2016). */
size_t cal_holidays(int year, cal_date out_date[16],
		    struct cal_reason out_why[16]);

/* A computed legal date and how it was found. */
struct cal_explained {
	cal_date date;        /* the last day of the period */
	kv_instant end;       /* its last second, UTC */
	char rule[600];       /* e.g. "20 kalenderdagen vanaf de dag na
				 verzending (2 mei 2022) eindigen op
				 zaterdag 21 mei; verlengd tot het einde
				 van maandag 23 mei (art. 1 Atw)" */
	char source[200];     /* "art. 2.127 Aanbestedingswet 2012; art. 1
				 Algemene termijnenwet" */
};

/*
 * standstill_end - the end of the opschortende termijn (Alcatel period,
 * art. 2.127 Aw 2012): at least `days` (>= 20) calendar days, counted from
 * the day after `sent` (the day the award decision was sent); when the last
 * day is a Saturday, Sunday, holiday or equated day the period runs on to
 * the end of the next day that is none of them (art. 1 Algemene
 * termijnenwet).
 */
int cal_standstill_end(const cal_calendar *c, cal_date sent, int days,
		       struct cal_explained *out, struct kv_error *e);

/* A general term of n calendar days after day `from` under the Algemene
 * termijnenwet (art. 1 extension), for other deadlines.  n is 1..3650
 * (the standstill period 20..3650).  `rule` is Dutch, or English when the
 * thread's LC_MESSAGES locale is English, and ends in "..." if it did not
 * fit; `source` is "art. 1 Algemene termijnenwet" when the term was
 * extended and "" when not. */
int cal_term_end(const cal_calendar *c, cal_date from, int days,
		 struct cal_explained *out, struct kv_error *e);

#endif
