/*
 * date.c — strict date parsing and civil-calendar arithmetic (see date.h).
 * days_from_civil/civil_from_days follow Howard Hinnant's published
 * algorithms: proleptic Gregorian, exact for all years we store.
 */
#include "core/date.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_valid(int year, int month, int day)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1)
        return false;
    int max = mdays[month - 1] + (month == 2 && is_leap(year));
    return day <= max;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *s, struct civil_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d))
        return -1;
    out->year = y;
    out->month = m;
    out->day = d;
    return 0;
}

/* Writes n decimal digits of v (fixed width), returning the end. */
static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

void date_format(const struct civil_date *d, char out[DATE_TEXT_LEN])
{
    char *p = put_digits(out, (unsigned)d->year, 4);
    *p++ = '-';
    p = put_digits(p, (unsigned)d->month, 2);
    *p++ = '-';
    p = put_digits(p, (unsigned)d->day, 2);
    *p = '\0';
}

int64_t date_to_days(const struct civil_date *d)
{
    int64_t y = d->year - (d->month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (d->month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil_date date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    struct civil_date out = {(int)(y + (m <= 2)), (int)m, (int)d};
    return out;
}

int date_compare(const struct civil_date *a, const struct civil_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return 0;
}

int ts_parse(const char *s, int64_t *out)
{
    if (!s || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return -1;
    char datepart[11];
    memcpy(datepart, s, 10);
    datepart[10] = '\0';
    struct civil_date d;
    if (date_parse(datepart, &d) < 0)
        return -1;
    int hh = digits(s + 11, 2), mm = digits(s + 14, 2), ss = digits(s + 17, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return -1;
    *out = date_to_days(&d) * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}

struct civil_date date_of_ts(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return date_from_days(days);
}

void ts_format(int64_t t, char out[TS_TEXT_LEN])
{
    struct civil_date d = date_of_ts(t);
    int64_t secs = t - date_to_days(&d) * 86400;
    date_format(&d, out);
    char *p = out + 10;
    *p++ = 'T';
    p = put_digits(p, (unsigned)(secs / 3600), 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)(secs / 60 % 60), 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)(secs % 60), 2);
    *p++ = 'Z';
    *p = '\0';
}

int age_on(const struct civil_date *dob, const struct civil_date *on)
{
    if (date_compare(on, dob) < 0)
        return -1;
    int age = on->year - dob->year;
    int bm = dob->month, bd = dob->day;
    if (bm == 2 && bd == 29 && !is_leap(on->year)) {
        bm = 3;
        bd = 1;
    }
    if (on->month < bm || (on->month == bm && on->day < bd))
        age--;
    return age;
}

bool is_child_on(const struct civil_date *dob, const struct civil_date *on)
{
    int age = age_on(dob, on);
    return age >= 0 && age < 18;
}

/* The last Sunday of a month, as days since the epoch. */
static int64_t last_sunday(int year, int month)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    struct civil_date d = {year, month, mdays[month - 1]};
    int64_t days = date_to_days(&d);
    /* 1970-01-01 was a Thursday: (days + 4) % 7 is 0 on Sundays. */
    int64_t wd = ((days + 4) % 7 + 7) % 7;
    return days - wd;
}

int64_t ts_uk_local(int64_t t)
{
    int year = date_of_ts(t).year;
    int64_t start = last_sunday(year, 3) * 86400 + 3600;
    int64_t end = last_sunday(year, 10) * 86400 + 3600;
    return t >= start && t < end ? t + 3600 : t;
}

int64_t ts_uk_midnight(const struct civil_date *d)
{
    int64_t midnight = date_to_days(d) * 86400;
    /* An hour before UTC midnight is local midnight exactly when BST is in
     * force then; the clocks change at 01:00 UTC, never at local midnight. */
    return ts_uk_local(midnight - 3600) == midnight ? midnight - 3600 : midnight;
}

/* ---- working days ---------------------------------------------------------- */

void working_calendar_init(struct working_calendar *c)
{
    c->week = WORKWEEK_MON_FRI;
    c->nholidays = 0;
}

int date_weekday(const struct civil_date *d)
{
    int64_t days = date_to_days(d);
    return (int)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
}

bool working_day(const struct working_calendar *c, const struct civil_date *d)
{
    if (!(c->week & (1u << date_weekday(d))))
        return false;
    int64_t days = date_to_days(d);
    for (int i = 0; i < c->nholidays; i++)
        if (c->holidays[i] == days)
            return false;
    return true;
}

int working_calendar_set_week(struct working_calendar *c, const char *text)
{
    static const char *const names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    unsigned week = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ", ");
        int found = -1;
        for (int i = 0; i < 7 && found < 0; i++)
            if (n == 3 && strncasecmp(p, names[i], 3) == 0)
                found = i;
        if (found < 0)
            return -1;
        week |= 1u << found;
        p += n;
    }
    if (!week)
        return -1;
    c->week = week;
    return 0;
}

int working_calendar_set_holidays(struct working_calendar *c, const char *text)
{
    int64_t days[WORKING_HOLIDAYS_MAX];
    int n = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ", ");
        char one[DATE_TEXT_LEN];
        struct civil_date d;
        if (len != DATE_TEXT_LEN - 1 || n == WORKING_HOLIDAYS_MAX)
            return -1;
        memcpy(one, p, len);
        one[len] = '\0';
        if (date_parse(one, &d) < 0)
            return -1;
        days[n++] = date_to_days(&d);
        p += len;
    }
    memcpy(c->holidays, days, (size_t)n * sizeof(days[0]));
    c->nholidays = n;
    return 0;
}

int64_t working_time_add(const struct working_calendar *c, int64_t t, int64_t secs)
{
    assert(c && c->week);
    if (secs <= 0)
        return t;
    struct civil_date d = date_of_ts(ts_uk_local(t));
    /* Bounded: a year's worth of minutes needs at most ~370 working days,
     * and a week has at least one working day. */
    for (int i = 0; i < 20000; i++) {
        struct civil_date next = date_from_days(date_to_days(&d) + 1);
        int64_t end = ts_uk_midnight(&next);
        if (working_day(c, &d)) {
            int64_t avail = end - t;
            if (secs <= avail)
                return t + secs;
            secs -= avail;
        }
        t = end;
        d = next;
    }
    return t + secs;
}

void duration_words(int64_t secs, char *out, size_t cap)
{
    if (secs < 0)
        secs = 0;
    int64_t mins = secs / 60, hours = mins / 60, days = hours / 24;
    if (days >= 2)
        snprintf(out, cap, "%lld days %lld h", (long long)days, (long long)(hours % 24));
    else if (hours >= 1)
        snprintf(out, cap, "%lld h %lld min", (long long)hours, (long long)(mins % 60));
    else
        snprintf(out, cap, "%lld min", (long long)mins);
}
