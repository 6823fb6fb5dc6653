/*
 * date.h — calendar dates, UTC timestamps and ages, without the C library's
 * time-zone state (mktime/localtime are neither thread-safe nor UTC).
 *
 * Text forms are strict: dates "YYYY-MM-DD", timestamps "YYYY-MM-DDTHH:MM:SSZ".
 * These are the forms stored in the database (sortable, portable to PostgreSQL
 * casts) and returned by the API. Parsers return 0 on success and -1 when the
 * text is not a well-formed, real date (2023-02-29 is refused).
 */
#ifndef SG_DATE_H
#define SG_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct civil_date {
    int year, month, day;
};

#define DATE_TEXT_LEN 11 /* "YYYY-MM-DD" + NUL */
#define TS_TEXT_LEN   21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

int date_parse(const char *s, struct civil_date *out);
void date_format(const struct civil_date *d, char out[DATE_TEXT_LEN]);
bool date_valid(int year, int month, int day);
/* Days since 1970-01-01 (negative before). */
int64_t date_to_days(const struct civil_date *d);
struct civil_date date_from_days(int64_t days);
int date_compare(const struct civil_date *a, const struct civil_date *b);

int ts_parse(const char *s, int64_t *out);
void ts_format(int64_t t, char out[TS_TEXT_LEN]);
struct civil_date date_of_ts(int64_t t);

/* UK civil time (GMT, or BST from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October) for a UTC instant, as seconds in
 * the same epoch: what officers read on screen. */
int64_t ts_uk_local(int64_t t);
/* The UTC instant at which UK civil date d begins (its local midnight):
 * 23:00 UTC the day before while BST is in force, else 00:00 UTC. Periods
 * people ask about ("October") are UK days, so their bounds come from here. */
int64_t ts_uk_midnight(const struct civil_date *d);

/* ---- working days ----
 * A working calendar: which days of the week are worked (bit 0 Sunday ...
 * bit 6 Saturday; WORKWEEK_MON_FRI by default) and up to
 * WORKING_HOLIDAYS_MAX non-working dates (bank holidays). Days are UK civil
 * days. Deadlines "within N working days" count only time on working days. */
#define WORKWEEK_MON_FRI     0x3Eu
#define WORKING_HOLIDAYS_MAX 64

struct working_calendar {
    unsigned week;                          /* never 0 once parsed */
    int nholidays;                          /* 0..WORKING_HOLIDAYS_MAX */
    int64_t holidays[WORKING_HOLIDAYS_MAX]; /* days since 1970-01-01 */
};

/* Mon-Fri, no holidays. */
void working_calendar_init(struct working_calendar *c);
/* The day of the week of d: 0 Sunday ... 6 Saturday. */
int date_weekday(const struct civil_date *d);
bool working_day(const struct working_calendar *c, const struct civil_date *d);
/* "mon,tue,wed,thu,fri" (any order, any case, at least one day) into
 * c->week. 0, or -1 (c unchanged) when a name is unknown or none is given. */
int working_calendar_set_week(struct working_calendar *c, const char *text);
/* "2026-12-25,2026-12-28" (comma-separated real dates, at most
 * WORKING_HOLIDAYS_MAX; "" for none) replaces c's holidays. 0, or -1 (c
 * unchanged). */
int working_calendar_set_holidays(struct working_calendar *c, const char *text);
/* The instant secs of working time after t: time on non-working UK days
 * does not count. A deadline that ends exactly at a working day's end is
 * that day's end (the next day's 00:00), not the next working day's start.
 * t itself may fall on a non-working day: counting starts at the next
 * working day. secs <= 0 gives t. */
int64_t working_time_add(const struct working_calendar *c, int64_t t, int64_t secs);

/* A duration as pages say it: "25 min", "3 h 20 min", "1 h 0 min", then
 * "2 days 4 h" from two days on (a day and a half reads "36 h 0 min", which
 * a clock on a 72-hour limit wants). Negative durations are 0. */
void duration_words(int64_t secs, char *out, size_t cap);

/* Whole years of age on a date; -1 if `on` is before birth. A person born on
 * 29 February has their birthday on 1 March in non-leap years (as in English
 * law for age calculation by the Family Law Reform Act interpretation). */
int age_on(const struct civil_date *dob, const struct civil_date *on);
/* A child is anyone under 18 on the date (Children Act 1989 s105). */
bool is_child_on(const struct civil_date *dob, const struct civil_date *on);

#endif
