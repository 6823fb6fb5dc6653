/* test_date.c — unit tests for core/date (strict dates, timestamps, ages) and
 * core/clock (the injectable clock every time-dependent rule reads). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/date.h"

static struct civil_date D(int y, int m, int d) {
    struct civil_date c = {y, m, d};
    return c;
}

static void
assert_date_ok(const char *s, int y, int m, int d)
{
    struct civil_date c = {0, 0, 0};
    if (date_parse(s, &c) != 0) {
        print_error("date_parse(\"%s\") refused a real date\n", s);
        fail();
    }
    assert_int_equal(c.year, y);
    assert_int_equal(c.month, m);
    assert_int_equal(c.day, d);
}

static void assert_date_refused(const char *s)
{
    struct civil_date c = {-7, -7, -7};
    if (date_parse(s, &c) != -1) {
        print_error("date_parse(\"%s\") accepted it as %d-%d-%d\n", s, c.year, c.month, c.day);
        fail();
    }
    /* A refused parse must not half-fill the output. */
    assert_int_equal(c.year, -7);
    assert_int_equal(c.month, -7);
    assert_int_equal(c.day, -7);
}

static void test_date_parse_leap_years(void **state)
{
    (void)state;
    assert_date_ok("2024-02-29", 2024, 2, 29);
    assert_date_ok("2000-02-29", 2000, 2, 29);
    assert_date_ok("1996-02-29", 1996, 2, 29);
    assert_date_refused("2023-02-29");
    assert_date_refused("1900-02-29"); /* divisible by 100, not by 400 */
    assert_date_refused("2100-02-29");
    assert_date_refused("2024-02-30");
    assert_date_ok("2023-02-28", 2023, 2, 28);
}

static void test_date_parse_month_lengths(void **state)
{
    (void)state;
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char s[32];
    for (int m = 1; m <= 12; m++) {
        snprintf(s, sizeof(s), "2023-%02d-%02d", m, len[m - 1]);
        assert_date_ok(s, 2023, m, len[m - 1]);
        snprintf(s, sizeof(s), "2023-%02d-%02d", m, len[m - 1] + 1);
        assert_date_refused(s);
    }
    assert_date_refused("2023-00-10");
    assert_date_refused("2023-13-10");
    assert_date_refused("2023-01-00");
    assert_date_refused("2023-12-32");
    assert_date_refused("2023-99-99");
}

static void test_date_parse_shape(void **state)
{
    (void)state;
    assert_date_ok("2024-01-01", 2024, 1, 1);
    assert_date_refused("2024-1-01");
    assert_date_refused("2024-01-1");
    assert_date_refused("24-01-01");
    assert_date_refused("2024-01-01x");
    assert_date_refused("2024-01-01 ");
    assert_date_refused(" 2024-01-01");
    assert_date_refused("2024-01-01T00:00:00Z");
    assert_date_refused("");
    assert_date_refused("-");
    assert_date_refused("2024/01/01");
    assert_date_refused("2024.01.01");
    assert_date_refused("01-01-2024");
    assert_date_refused("2024-0a-01");
    assert_date_refused("2024-01-0a");
    assert_date_refused("20x4-01-01");
    assert_date_refused("+024-01-01");
    assert_date_refused("-024-01-01");
    assert_date_refused("2024--1-01");
    assert_date_refused("2024-+1-01");
    assert_date_refused("2024-01- 1");
    assert_date_refused("yyyy-mm-dd");
    assert_date_refused("\xff\xfe\xfd\xfc-\x01\x02-\x80\x90");
    assert_date_refused("2024-01-01\n");
    /* An embedded NUL ends the C string: what precedes it is too short. */
    assert_date_refused("2024-01-0\0"
                        "1");
    assert_int_equal(date_parse(NULL, &(struct civil_date){0, 0, 0}), -1);
}

static void test_date_parse_year_range(void **state)
{
    (void)state;
    assert_date_refused("0000-01-01");
    assert_date_refused("0001-01-01");
    assert_date_refused("1799-12-31");
    assert_date_ok("1800-01-01", 1800, 1, 1);
    assert_date_ok("2200-12-31", 2200, 12, 31);
    assert_date_refused("2201-01-01");
    assert_date_refused("9999-12-31");
    assert_false(date_valid(-1, 1, 1));
    assert_false(date_valid(2024, 0, 1));
    assert_false(date_valid(2024, 13, 1));
    assert_false(date_valid(2024, 1, 0));
    assert_false(date_valid(2024, 1, -5));
    assert_false(date_valid(2024, -1, 1));
    assert_false(date_valid(2024, 1000000, 1));
    assert_true(date_valid(2024, 12, 31));
}

static void test_date_format_round_trip(void **state)
{
    (void)state;
    static const char *const samples[] = {"1800-01-01", "1900-03-01", "1999-12-31", "2000-02-29",
                                          "2024-02-29", "2026-07-04", "2200-12-31"};
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        struct civil_date d;
        char out[DATE_TEXT_LEN];
        memset(out, 'X', sizeof(out));
        assert_int_equal(date_parse(samples[i], &d), 0);
        date_format(&d, out);
        assert_string_equal(out, samples[i]);
    }
    char out[DATE_TEXT_LEN];
    struct civil_date d = D(2024, 1, 5);
    date_format(&d, out);
    assert_string_equal(out, "2024-01-05"); /* zero-padded month and day */
}

static void test_days_known_values(void **state)
{
    (void)state;
    struct civil_date d;
    d = D(1970, 1, 1);
    assert_int_equal(date_to_days(&d), 0);
    d = D(1969, 12, 31);
    assert_int_equal(date_to_days(&d), -1);
    d = D(2000, 1, 1);
    assert_int_equal(date_to_days(&d), 10957);
    d = D(2000, 3, 1);
    assert_int_equal(date_to_days(&d), 11017);
    d = D(1900, 1, 1);
    assert_int_equal(date_to_days(&d), -25567);
    d = D(2100, 12, 31);
    assert_int_equal(date_to_days(&d), 4133894400LL / 86400);
}

/* Every day from 1900-01-01 to 2100-12-31: days -> date -> days is the
 * identity, successive days are successive calendar dates (checked against an
 * independent month-length table), and the text form round-trips. */
static void test_days_round_trip_every_day(void **state)
{
    (void)state;
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    struct civil_date first = D(1900, 1, 1), last = D(2100, 12, 31);
    int64_t from = date_to_days(&first), to = date_to_days(&last);
    int y = 1900, m = 1, d = 1;
    long count = 0;
    for (int64_t z = from; z <= to; z++, count++) {
        struct civil_date c = date_from_days(z);
        if (c.year != y || c.month != m || c.day != d) {
            print_error("day %lld: got %d-%d-%d, want %d-%d-%d\n", (long long)z, c.year, c.month,
                        c.day, y, m, d);
            fail();
        }
        assert_true(date_valid(c.year, c.month, c.day));
        assert_int_equal(date_to_days(&c), z);
        char text[DATE_TEXT_LEN];
        struct civil_date back;
        date_format(&c, text);
        assert_int_equal(date_parse(text, &back), 0);
        assert_int_equal(date_compare(&back, &c), 0);
        /* advance the expected date independently */
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int ml = len[m - 1] + (m == 2 && leap);
        if (++d > ml) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 2101);
    assert_int_equal(count, 73414); /* 201 years, 49 of them leap */
}

static void test_date_compare(void **state)
{
    (void)state;
    struct civil_date a = D(2024, 2, 29), b = D(2024, 3, 1), c = D(2023, 12, 31);
    assert_true(date_compare(&a, &b) < 0);
    assert_true(date_compare(&b, &a) > 0);
    assert_true(date_compare(&c, &a) < 0);
    assert_int_equal(date_compare(&a, &a), 0);
}

static void assert_ts_refused(const char *s)
{
    int64_t t = 12345;
    if (ts_parse(s, &t) != -1) {
        print_error("ts_parse(\"%s\") accepted it as %lld\n", s, (long long)t);
        fail();
    }
    assert_int_equal(t, 12345);
}

static void test_ts_parse_known(void **state)
{
    (void)state;
    int64_t t = -1;
    assert_int_equal(ts_parse("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(ts_parse("2024-02-29T12:34:56Z", &t), 0);
    assert_int_equal(t, 1709210096);
    assert_int_equal(ts_parse("1969-12-31T23:59:59Z", &t), 0);
    assert_int_equal(t, -1);
    assert_int_equal(ts_parse("1900-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, -2208988800LL);
    assert_int_equal(ts_parse("2024-01-01T23:59:59Z", &t), 0);
    assert_int_equal(ts_parse("2024-01-01T00:00:00Z", &t), 0);
}

static void test_ts_parse_refusals(void **state)
{
    (void)state;
    assert_ts_refused("2024-01-01T24:00:00Z");
    assert_ts_refused("2024-01-01T23:60:00Z");
    assert_ts_refused("2024-01-01T23:59:60Z"); /* no leap seconds */
    assert_ts_refused("2024-01-01T00:00:00");  /* missing Z */
    assert_ts_refused("2024-01-01t00:00:00Z"); /* lowercase t */
    assert_ts_refused("2024-01-01T00:00:00z"); /* lowercase z */
    assert_ts_refused("2024-01-01 00:00:00Z");
    assert_ts_refused("2024-01-01T00:00:00+00:00");
    assert_ts_refused("2024-01-01T00:00:00.000Z");
    assert_ts_refused("2024-01-01T0:00:00Z");
    assert_ts_refused("2024-01-01T00-00-00Z");
    assert_ts_refused("2024-01-01T-1:00:00Z");
    assert_ts_refused("2024-01-01T00:0a:00Z");
    assert_ts_refused("2024-01-01T00:00:00ZZ");
    assert_ts_refused("2023-02-29T00:00:00Z");
    assert_ts_refused("1799-12-31T23:59:59Z");
    assert_ts_refused("2024-01-01");
    assert_ts_refused("");
    assert_ts_refused("T:::Z");
    assert_ts_refused("xxxxxxxxxxTxx:xx:xxZ");
    assert_int_equal(ts_parse(NULL, &(int64_t){0}), -1);
}

static void test_ts_round_trip(void **state)
{
    (void)state;
    static const char *const samples[] = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
                                          "1900-01-01T00:00:00Z", "2000-02-29T23:59:59Z",
                                          "2024-02-29T12:34:56Z", "2038-01-19T03:14:08Z",
                                          "2200-12-31T23:59:59Z", "1800-01-01T00:00:00Z"};
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        int64_t t;
        char out[TS_TEXT_LEN];
        assert_int_equal(ts_parse(samples[i], &t), 0);
        ts_format(t, out);
        assert_string_equal(out, samples[i]);
    }
    /* Every hour and odd second of a day around the epoch, both sides. */
    for (int64_t t = -2 * 86400; t <= 2 * 86400; t += 3607) {
        char out[TS_TEXT_LEN];
        int64_t back = 0;
        ts_format(t, out);
        assert_int_equal(strlen(out), TS_TEXT_LEN - 1);
        assert_int_equal(ts_parse(out, &back), 0);
        assert_int_equal(back, t);
    }
    struct civil_date d = date_of_ts(-1);
    assert_int_equal(d.year, 1969);
    assert_int_equal(d.month, 12);
    assert_int_equal(d.day, 31);
    d = date_of_ts(-86400);
    assert_int_equal(d.day, 31);
    d = date_of_ts(-86401);
    assert_int_equal(d.day, 30);
    d = date_of_ts(1709210096);
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
}

static void test_age_on(void **state)
{
    (void)state;
    struct civil_date dob = D(2008, 6, 15), on;
    on = D(2026, 6, 15); /* birthday today */
    assert_int_equal(age_on(&dob, &on), 18);
    on = D(2026, 6, 14); /* day before */
    assert_int_equal(age_on(&dob, &on), 17);
    on = D(2026, 5, 31); /* earlier month, later day */
    assert_int_equal(age_on(&dob, &on), 17);
    on = D(2026, 7, 1);
    assert_int_equal(age_on(&dob, &on), 18);
    on = D(2008, 6, 15); /* day of birth */
    assert_int_equal(age_on(&dob, &on), 0);
    on = D(2008, 6, 14); /* before birth */
    assert_int_equal(age_on(&dob, &on), -1);
    on = D(2007, 12, 31);
    assert_int_equal(age_on(&dob, &on), -1);
    on = D(2009, 6, 14);
    assert_int_equal(age_on(&dob, &on), 0);
    on = D(2009, 6, 15);
    assert_int_equal(age_on(&dob, &on), 1);
}

static void test_age_on_leap_day_birthdays(void **state)
{
    (void)state;
    struct civil_date dob = D(2008, 2, 29), on;
    on = D(2026, 2, 28); /* non-leap year: birthday is 1 March */
    assert_int_equal(age_on(&dob, &on), 17);
    assert_true(is_child_on(&dob, &on));
    on = D(2026, 3, 1);
    assert_int_equal(age_on(&dob, &on), 18);
    assert_false(is_child_on(&dob, &on));
    on = D(2028, 2, 28); /* leap year: birthday is 29 February */
    assert_int_equal(age_on(&dob, &on), 19);
    on = D(2028, 2, 29);
    assert_int_equal(age_on(&dob, &on), 20);
    on = D(2009, 2, 28);
    assert_int_equal(age_on(&dob, &on), 0);
    on = D(2009, 3, 1);
    assert_int_equal(age_on(&dob, &on), 1);
    /* Born 28 Feb or 1 March: no shifting. */
    dob = D(2008, 2, 28);
    on = D(2026, 2, 28);
    assert_int_equal(age_on(&dob, &on), 18);
    dob = D(2008, 3, 1);
    on = D(2026, 2, 28);
    assert_int_equal(age_on(&dob, &on), 17);
    on = D(2026, 3, 1);
    assert_int_equal(age_on(&dob, &on), 18);
}

static void test_is_child_on(void **state)
{
    (void)state;
    struct civil_date dob = D(2008, 6, 15);
    struct civil_date eve = D(2026, 6, 14); /* 17 years 364 days */
    struct civil_date birthday = D(2026, 6, 15);
    struct civil_date born = D(2008, 6, 15);
    struct civil_date unborn = D(2008, 6, 14);
    assert_true(is_child_on(&dob, &eve));
    assert_false(is_child_on(&dob, &birthday));
    assert_true(is_child_on(&dob, &born));
    assert_false(is_child_on(&dob, &unborn)); /* not yet born: not a child */
    struct civil_date old = D(2090, 1, 1);
    assert_false(is_child_on(&dob, &old));
}

/* Local midnight of UK days either side of each clock change: the bounds of
 * every period the assurance measures count. */
static void test_uk_midnight(void **state)
{
    (void)state;
    static const struct {
        const char *day, *utc;
    } cases[] = {
        {"2026-01-15", "2026-01-15T00:00:00Z"}, /* GMT */
        {"2026-03-28", "2026-03-28T00:00:00Z"}, /* the Saturday before BST */
        {"2026-03-29", "2026-03-29T00:00:00Z"}, /* BST starts at 01:00 UTC that day */
        {"2026-03-30", "2026-03-29T23:00:00Z"}, /* first whole BST day */
        {"2026-10-01", "2026-09-30T23:00:00Z"}, /* October begins in BST */
        {"2026-10-25", "2026-10-24T23:00:00Z"}, /* BST ends at 01:00 UTC that day */
        {"2026-10-26", "2026-10-26T00:00:00Z"}, /* GMT again */
        {"2026-11-01", "2026-11-01T00:00:00Z"}, {"2024-02-29", "2024-02-29T00:00:00Z"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct civil_date d;
        assert_int_equal(date_parse(cases[i].day, &d), 0);
        char out[TS_TEXT_LEN];
        ts_format(ts_uk_midnight(&d), out);
        assert_string_equal(out, cases[i].utc);
        /* Local time at that instant is the day's 00:00. */
        assert_int_equal(ts_uk_local(ts_uk_midnight(&d)) % 86400, 0);
    }
}

/* Working time: Mon-Fri by default, holidays skipped, UK days. */
static void test_working_time(void **state)
{
    (void)state;
    struct working_calendar c;
    working_calendar_init(&c);
    static const struct {
        const char *from;
        int64_t days;
        const char *due;
    } cases[] = {
        /* Monday 10:00 + 10 working days: Monday a fortnight later. */
        {"2026-06-01T10:00:00Z", 10, "2026-06-15T10:00:00Z"},
        /* Friday 16:00 + 1 working day: Monday 16:00 (BST: UTC+1). */
        {"2026-06-05T15:00:00Z", 1, "2026-06-08T15:00:00Z"},
        /* Saturday: counting starts Monday 00:00 UK (Sunday 23:00 UTC); 5
         * days end at Friday's end (Friday 24:00 UK). */
        {"2026-06-06T12:00:00Z", 5, "2026-06-12T23:00:00Z"},
        /* Across the end of BST (25 October 2026): UK days, not UTC. */
        {"2026-10-23T09:00:00Z", 1, "2026-10-26T10:00:00Z"},
        /* GMT in winter. */
        {"2026-01-05T09:00:00Z", 10, "2026-01-19T09:00:00Z"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t t;
        assert_int_equal(ts_parse(cases[i].from, &t), 0);
        char out[TS_TEXT_LEN];
        ts_format(working_time_add(&c, t, cases[i].days * 86400), out);
        assert_string_equal(out, cases[i].due);
    }
    int64_t t;
    ts_parse("2026-06-01T10:00:00Z", &t);
    assert_true(working_time_add(&c, t, 0) == t);

    /* A bank holiday is not worked: Monday 31 August 2026. */
    assert_int_equal(working_calendar_set_holidays(&c, "2026-08-31, 2026-12-25"), 0);
    assert_int_equal(c.nholidays, 2);
    ts_parse("2026-08-28T10:00:00Z", &t); /* Friday */
    char out[TS_TEXT_LEN];
    ts_format(working_time_add(&c, t, 86400), out);
    assert_string_equal(out, "2026-09-01T10:00:00Z");
    assert_int_equal(working_calendar_set_holidays(&c, ""), 0);
    assert_int_equal(c.nholidays, 0);
    assert_int_equal(working_calendar_set_holidays(&c, "2026-02-30"), -1);
    assert_int_equal(working_calendar_set_holidays(&c, "tomorrow"), -1);

    /* A force that works Saturdays too. */
    assert_int_equal(working_calendar_set_week(&c, "Mon,tue,wed,thu,fri,sat"), 0);
    ts_parse("2026-06-05T15:00:00Z", &t);
    ts_format(working_time_add(&c, t, 86400), out);
    assert_string_equal(out, "2026-06-06T15:00:00Z");
    unsigned before = c.week;
    assert_int_equal(working_calendar_set_week(&c, ""), -1);
    assert_int_equal(working_calendar_set_week(&c, "mon,funday"), -1);
    assert_true(c.week == before);

    struct civil_date d = {2026, 6, 1};
    assert_int_equal(date_weekday(&d), 1);
    d = (struct civil_date){2026, 6, 7};
    assert_int_equal(date_weekday(&d), 0);
}

static void test_clock_fixed(void **state)
{
    (void)state;
    clock_set_fixed(1709210096);
    assert_int_equal(clock_now(), 1709210096);
    assert_int_equal(clock_now(), 1709210096);
    assert_true(clock_is_injected());
    clock_set_fixed(-5);
    assert_int_equal(clock_now(), -5);

    char err[256] = "";
    assert_int_equal(clock_configure("2026-01-01T00:00:00Z", err, sizeof(err)), 0);
    assert_int_equal(clock_now(), 1767225600);
    assert_true(clock_is_injected());
}

static void test_clock_bad_specs(void **state)
{
    (void)state;
    static const char *const bad[] = {"2026-01-01",
                                      "2026-01-01T00:00:00",
                                      "2026-02-30T00:00:00Z",
                                      "sytem",
                                      "SYSTEM",
                                      "now",
                                      "file:",
                                      "file:/nonexistent/safeguard-clock-test",
                                      " 2026-01-01T00:00:00Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        clock_set_fixed(42);
        if (clock_configure(bad[i], err, sizeof(err)) != -1) {
            print_error("clock_configure(\"%s\") accepted\n", bad[i]);
            fail();
        }
        assert_true(strlen(err) > 0);
    }
    /* The message names the spec it could not use. */
    char err[256] = "";
    assert_int_equal(clock_configure("tomorrow", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "tomorrow"));
    /* A path that does not fit is refused rather than truncated. */
    char longspec[1200];
    memcpy(longspec, "file:", 5);
    memset(longspec + 5, 'a', sizeof(longspec) - 6);
    longspec[sizeof(longspec) - 1] = '\0';
    assert_int_equal(clock_configure(longspec, err, sizeof(err)), -1);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void test_clock_file(void **state)
{
    (void)state;
    char path[] = "/tmp/safeguard-clock-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "2026-01-01T00:00:00Z\n");

    char spec[64], err[256] = "";
    snprintf(spec, sizeof(spec), "file:%s", path);
    assert_int_equal(clock_configure(spec, err, sizeof(err)), 0);
    assert_true(clock_is_injected());
    assert_int_equal(clock_now(), 1767225600);

    /* The file is re-read on every call: moving it moves the clock. */
    write_file(path, "2026-01-01T00:31:00Z");
    assert_int_equal(clock_now(), 1767225600 + 31 * 60);
    write_file(path, "2027-03-01T09:00:00Z\r\n");
    int64_t want;
    assert_int_equal(ts_parse("2027-03-01T09:00:00Z", &want), 0);
    assert_int_equal(clock_now(), want);

    /* A file that is not a timestamp when configured is refused, with the path. */
    write_file(path, "next tuesday\n");
    assert_int_equal(clock_configure(spec, err, sizeof(err)), -1);
    assert_non_null(strstr(err, path));
    write_file(path, "");
    assert_int_equal(clock_configure(spec, err, sizeof(err)), -1);

    unlink(path);
    clock_set_fixed(0);
}

static void test_clock_system(void **state)
{
    (void)state;
    char err[256] = "";
    clock_set_fixed(42);
    assert_int_equal(clock_configure("system", err, sizeof(err)), 0);
    assert_false(clock_is_injected());
    int64_t before = (int64_t)time(NULL);
    int64_t now = clock_now();
    int64_t after = (int64_t)time(NULL);
    assert_true(now >= before && now <= after);

    clock_set_fixed(42);
    assert_int_equal(clock_configure(NULL, err, sizeof(err)), 0);
    assert_false(clock_is_injected());
    assert_true(clock_now() > 1700000000);
    clock_set_fixed(42);
    assert_int_equal(clock_configure("", err, sizeof(err)), 0);
    assert_false(clock_is_injected());
    assert_true(llabs(clock_now() - (int64_t)time(NULL)) <= 2);

    uint64_t a = clock_monotonic_ns(), b = clock_monotonic_ns();
    assert_true(b >= a);
}

/* The words every clock on a page uses: minutes, then hours and minutes,
 * then from two days on days and hours; never negative. */
static void test_duration_words(void **state)
{
    (void)state;
    char t[48];
    const struct {
        int64_t secs;
        const char *want;
    } cases[] = {
        {-5, "0 min"},
        {59, "0 min"},
        {25 * 60, "25 min"},
        {3600, "1 h 0 min"},
        {3 * 3600 + 1200, "3 h 20 min"},
        {36 * 3600, "36 h 0 min"},
        {48 * 3600 - 60, "47 h 59 min"},
        {48 * 3600, "2 days 0 h"},
        {39 * 86400 + 2 * 3600 + 59, "39 days 2 h"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        duration_words(cases[i].secs, t, sizeof(t));
        assert_string_equal(t, cases[i].want);
    }
    duration_words(1000000000LL, t, 8); /* truncated, still terminated */
    assert_int_equal(strlen(t), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse_leap_years),
        cmocka_unit_test(test_date_parse_month_lengths),
        cmocka_unit_test(test_date_parse_shape),
        cmocka_unit_test(test_date_parse_year_range),
        cmocka_unit_test(test_date_format_round_trip),
        cmocka_unit_test(test_days_known_values),
        cmocka_unit_test(test_days_round_trip_every_day),
        cmocka_unit_test(test_date_compare),
        cmocka_unit_test(test_ts_parse_known),
        cmocka_unit_test(test_ts_parse_refusals),
        cmocka_unit_test(test_ts_round_trip),
        cmocka_unit_test(test_age_on),
        cmocka_unit_test(test_age_on_leap_day_birthdays),
        cmocka_unit_test(test_is_child_on),
        cmocka_unit_test(test_uk_midnight),
        cmocka_unit_test(test_working_time),
        cmocka_unit_test(test_duration_words),
        cmocka_unit_test(test_clock_fixed),
        cmocka_unit_test(test_clock_bad_specs),
        cmocka_unit_test(test_clock_file),
        cmocka_unit_test(test_clock_system),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
