/* test_import.c — unit tests for core/csv (the CSV reader's edge cases and
 * hostile input) and modules/assurance/assurance_import (every validation
 * rule with its exact location and message, in both formats; and the insert
 * on a real temporary store: due dates, all or nothing, duplicates). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/csv.h"
#include "core/utf8.h"
#include "modules/assurance/assurance_import.h"
#include "store/store.h"

#define T0 1780315200 /* 2026-06-01T12:00:00Z */

/* ---- the CSV reader ---------------------------------------------------------- */

/* Reads every record of text (len bytes) into a "|"-joined line per record,
 * "!" + message for a refused one; e.g. "1@1:a|b" = record 1 on line 1. */
static char *read_all(const char *text, size_t len)
{
    static char out[CSV_MAX_FIELD + 8192];
    out[0] = '\0';
    struct arena *a = arena_new();
    struct csv_reader r;
    struct csv_record rec;
    char err[200];
    csv_init(&r, text, len);
    enum csv_status st;
    while ((st = csv_next(&r, a, &rec, err, sizeof(err))) != CSV_END) {
        size_t n = strlen(out);
        if (st == CSV_BAD) {
            snprintf(out + n, sizeof(out) - n, "%d@%d!%d:%s\n", rec.number, rec.line, rec.bad_field,
                     err);
            continue;
        }
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%d@%d%s:", rec.number, rec.line,
                              rec.blank ? "b" : "");
        for (int i = 0; i < rec.nfields; i++)
            n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", i ? "|" : "", rec.fields[i]);
        snprintf(out + n, sizeof(out) - n, "\n");
    }
    arena_free(a);
    return out;
}

#define READS(text, expected) assert_string_equal(read_all(text, sizeof(text) - 1), expected)

static void test_csv_line_ends(void **state)
{
    (void)state;
    READS("a,b\nc,d\n", "1@1:a|b\n2@2:c|d\n");
    READS("a,b\r\nc,d\r\n", "1@1:a|b\n2@2:c|d\n");
    READS("a,b\rc,d", "1@1:a|b\n2@2:c|d\n"); /* a lone CR; no final line break */
    READS("\xEF\xBB\xBF"
          "a\n",
          "1@1:a\n"); /* the byte order mark is skipped */
    READS("", "");
    READS("\n\na\n", "1@1b:\n2@2b:\n3@3:a\n"); /* empty lines are blank records */
    READS(",,\n", "1@1b:||\n");
    READS("a,\n", "1@1:a|\n");           /* a trailing comma ends with an empty field */
    READS(" a , b \n", "1@1: a | b \n"); /* spaces are data */
}

static void test_csv_quotes(void **state)
{
    (void)state;
    READS("\"a,b\",\"say \"\"hi\"\"\"\n", "1@1:a,b|say \"hi\"\n");
    READS("\"\",x\n", "1@1:|x\n");
    /* A line break inside quotes is data (read as LF) and counts as a line. */
    READS("\"one\r\ntwo\",\"three\rfour\"\nnext\n", "1@1:one\ntwo|three\nfour\n2@4:next\n");
    READS("\"\"\"\"\n", "1@1:\"\n");
}

static void test_csv_refusals_carry_on(void **state)
{
    (void)state;
    READS("a,\"b\n", "1@1!2:a quoted field is not closed before the end of the text\n");
    READS("a,\"b\"c,d\nok\n",
          "1@1!2:text follows the closing quote of a quoted field (a quote inside a quoted field "
          "is written twice: \"\")\n2@2:ok\n");
    READS("a,b\"c\nok\n", "1@1!2:a quote in a field that does not start with one (put the whole "
                          "field in quotes and write the quote twice: \"\")\n2@2:ok\n");
    READS("a,b\0c\nok\n", "1@1!2:a field is not UTF-8 text or holds a NUL byte (save the file as "
                          "UTF-8)\n2@2:ok\n");
    READS("\xFF\nok\n", "1@1!1:a field is not UTF-8 text or holds a NUL byte (save the file as "
                        "UTF-8)\n2@2:ok\n");
    READS("\"\xC0\xAF\"\n", "1@1!1:a field is not UTF-8 text or holds a NUL byte (save the file "
                            "as UTF-8)\n"); /* an overlong '/' */
    READS("\xE2\x82\n", "1@1!1:a field is not UTF-8 text or holds a NUL byte (save the file as "
                        "UTF-8)\n"); /* a sequence cut short */
    READS("caf\xC3\xA9\n", "1@1:caf\xC3\xA9\n");
}

static void test_csv_limits(void **state)
{
    (void)state;
    char many[CSV_MAX_FIELDS * 2 + 8];
    memset(many, ',', CSV_MAX_FIELDS);
    strcpy(many + CSV_MAX_FIELDS, "\nok\n");
    assert_string_equal(read_all(many, strlen(many)), "1@1!0:has more than 64 fields\n2@2:ok\n");
    /* Exactly CSV_MAX_FIELDS fields is fine. */
    memset(many, ',', CSV_MAX_FIELDS - 1);
    strcpy(many + CSV_MAX_FIELDS - 1, "\n");
    char want[CSV_MAX_FIELDS + 16] = "1@1b:";
    memset(want + 5, '|', CSV_MAX_FIELDS - 1);
    strcpy(want + 5 + CSV_MAX_FIELDS - 1, "\n");
    assert_string_equal(read_all(many, strlen(many)), want);
    size_t big = CSV_MAX_FIELD + 1;
    char *t = malloc(big + 16);
    memset(t, 'x', big);
    strcpy(t + big, "\nok\n");
    assert_string_equal(read_all(t, strlen(t)),
                        "1@1!1:a field is longer than 65536 bytes\n2@2:ok\n");
    t[0] = '"';
    memset(t + 1, 'x', big);
    strcpy(t + big + 1, "\"\nok\n");
    assert_string_equal(read_all(t, strlen(t)),
                        "1@1!1:a field is longer than 65536 bytes\n2@2:ok\n");
    memset(t, 'x', big);
    assert_int_equal(strlen(read_all(t, big - 1)), strlen("1@1:") + big - 1 + 1);
    free(t);
    /* Only len bytes are read, whatever follows them. */
    assert_string_equal(read_all("a,b,c", 3), "1@1:a|b\n");
}

/* ---- validation ---------------------------------------------------------------- */

struct parsed {
    struct arena *a;
    struct import_doc doc;
    int rc;
};

static void parse(struct parsed *p, enum import_format fmt, const char *text)
{
    p->a = arena_new();
    p->rc = assurance_import_parse(p->a, fmt, text, strlen(text), T0, &p->doc);
}

/* Asserts the document's error messages are exactly `expected` (NULL-ended). */
static void expect_errors(enum import_format fmt, const char *text, const char *const *expected)
{
    struct parsed p;
    parse(&p, fmt, text);
    int n = 0;
    while (expected[n])
        n++;
    for (int i = 0; i < p.doc.nerrors && i < n; i++) {
        if (strcmp(p.doc.errors[i].message, expected[i]) != 0)
            print_error("error %d: got\n  %s\nwant\n  %s\n", i, p.doc.errors[i].message,
                        expected[i]);
        assert_string_equal(p.doc.errors[i].message, expected[i]);
        /* The message starts with the location. */
        size_t l = strlen(p.doc.errors[i].location);
        assert_int_equal(strncmp(p.doc.errors[i].message, p.doc.errors[i].location, l), 0);
        assert_string_equal(p.doc.errors[i].message + l, strstr(expected[i], ": "));
    }
    if (p.doc.nerrors != n) {
        for (int i = 0; i < p.doc.nerrors; i++)
            print_error("  got: %s\n", p.doc.errors[i].message);
    }
    assert_int_equal(p.doc.nerrors, n);
    assert_int_equal(p.rc, n ? -1 : 0);
    arena_free(p.a);
}

#define ERRORS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_ERRORS   ((const char *const[]){NULL})

#define HEAD "body,title,force,published_on,number,text,timescale,owner,points\n"
#define INSP "HMICFRS,Thematic,Exampleshire Police,2025-02-28,"

static void test_csv_good(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IMPORT_CSV,
          HEAD INSP "1,First,immediately,Head of Crime,\n" INSP
                    "2,\"Second, with a comma\",Within 3 months,,a) One | (b) Two |c)Three\n" INSP
                    "7,Third,12 month,,\n");
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.doc.body, "HMICFRS");
    assert_string_equal(p.doc.title, "Thematic");
    assert_string_equal(p.doc.force, "Exampleshire Police");
    assert_string_equal(p.doc.published_on, "2025-02-28");
    assert_int_equal(p.doc.nrecs, 3);
    assert_int_equal(p.doc.recs[0].number, 1);
    assert_int_equal(p.doc.recs[0].months, 0);
    assert_string_equal(p.doc.recs[0].owner, "Head of Crime");
    assert_null(p.doc.recs[1].owner);
    assert_string_equal(p.doc.recs[1].text, "Second, with a comma");
    assert_int_equal(p.doc.recs[1].months, 3);
    assert_int_equal(p.doc.recs[1].npoints, 3);
    assert_string_equal(p.doc.recs[1].points[1].label, "b");
    assert_string_equal(p.doc.recs[1].points[1].text, "Two");
    assert_string_equal(p.doc.recs[1].points[2].label, "c");
    assert_string_equal(p.doc.recs[1].points[2].text, "Three");
    assert_int_equal(p.doc.recs[2].number, 7);
    assert_int_equal(p.doc.recs[2].months, 12);
    arena_free(p.a);
    /* Columns in any order and any case; owner and points may be left out. */
    parse(&p, IMPORT_CSV,
          " Number ,TEXT,timescale,body,title,force,published_on\n"
          "1,Text,immediately,HMICFRS,T,F,2025-01-01\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.doc.recs[0].number, 1);
    assert_string_equal(p.doc.force, "F");
    arena_free(p.a);
}

static void test_timescales(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int months;
    } ok[] = {{"immediately", 0},
              {"IMMEDIATELY", 0},
              {"within 3 months", 3},
              {"Within  3   Months", 3},
              {"3 months", 3},
              {"within 1 month", 1},
              {"1 month", 1},
              {"within six months", 6},
              {"twelve months", 12},
              {"within 60 months", 60},
              {" within 24 months ", 24}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char doc[256];
        snprintf(doc, sizeof(doc), HEAD INSP "1,T,%s,,\n", ok[i].text);
        struct parsed p;
        parse(&p, IMPORT_CSV, doc);
        if (p.rc)
            print_error("'%s': %s\n", ok[i].text, p.doc.errors[0].message);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.doc.recs[0].months, ok[i].months);
        arena_free(p.a);
    }
    static const char *const bad[] = {"soon",
                                      "within 0 months",
                                      "within 61 months",
                                      "within 3",
                                      "3 weeks",
                                      "within -3 months",
                                      "within 3months",
                                      "thirteen months",
                                      "within 3 months now",
                                      "within 100 months"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char doc[256], want[256];
        snprintf(doc, sizeof(doc), HEAD INSP "1,T,%s,,\n", bad[i]);
        snprintf(want, sizeof(want),
                 "row 2, timescale: '%s' is not a timescale: write 'immediately' or 'within N "
                 "months' with N from 1 to 60",
                 bad[i]);
        expect_errors(IMPORT_CSV, doc, ERRORS(want));
    }
}

static void test_csv_required_and_empty(void **state)
{
    (void)state;
    expect_errors(IMPORT_CSV, HEAD ",, ,,,,,,\n" INSP "2,T,immediately,,\n",
                  ERRORS("row 2, body: must not be empty", "row 2, title: must not be empty",
                         "row 2, force: must not be empty",
                         "row 2, published_on: must not be empty",
                         "row 2, number: must not be empty", "row 2, text: must not be empty",
                         "row 2, timescale: must not be empty",
                         "row 3, body: 'HMICFRS' differs from row 2 (''): every row must describe "
                         "the same inspection",
                         "row 3, title: 'Thematic' differs from row 2 (''): every row must "
                         "describe the same inspection",
                         "row 3, force: 'Exampleshire Police' differs from row 2 (''): every row "
                         "must describe the same inspection",
                         "row 3, published_on: '2025-02-28' differs from row 2 (''): every row "
                         "must describe the same inspection"));
}

static void test_dates(void **state)
{
    (void)state;
    expect_errors(IMPORT_CSV, HEAD "HMICFRS,T,F,2023-02-29,1,T,immediately,,\n",
                  ERRORS("row 2, published_on: '2023-02-29' is not a real date written "
                         "YYYY-MM-DD, such as 2023-03-01"));
    expect_errors(IMPORT_CSV, HEAD "HMICFRS,T,F,1/3/2023,1,T,immediately,,\n",
                  ERRORS("row 2, published_on: '1/3/2023' is not a real date written YYYY-MM-DD, "
                         "such as 2023-03-01"));
    expect_errors(IMPORT_CSV, HEAD "HMICFRS,T,F,2026-06-02,1,T,immediately,,\n",
                  ERRORS("row 2, published_on: 2026-06-02 is after today (2026-06-01)"));
    /* Today itself, and a leap day, are fine. */
    expect_errors(IMPORT_CSV, HEAD "HMICFRS,T,F,2026-06-01,1,T,immediately,,\n", NO_ERRORS);
    expect_errors(IMPORT_CSV, HEAD "HMICFRS,T,F,2024-02-29,1,T,immediately,,\n", NO_ERRORS);
}

static void test_numbers(void **state)
{
    (void)state;
    expect_errors(IMPORT_CSV,
                  HEAD INSP "0,T,immediately,,\n" INSP "-2,T,immediately,,\n" INSP
                            "1000,T,immediately,,\n" INSP "x,T,immediately,,\n" INSP
                            "1.5,T,immediately,,\n" INSP "99999999999,T,immediately,,\n" INSP
                            "3,T,immediately,,\n" INSP " 3 ,T,immediately,,\n" INSP
                            "999,T,immediately,,\n",
                  ERRORS("row 2, number: must be 1 or more, not 0",
                         "row 3, number: must be 1 or more, not -2",
                         "row 4, number: must be at most 999, not 1000",
                         "row 5, number: 'x' is not a whole number",
                         "row 6, number: '1.5' is not a whole number",
                         "row 7, number: must be at most 999, not 99999999999",
                         "row 9, number: recommendation 3 is also given at row 8"));
}

static void test_lengths_and_controls(void **state)
{
    (void)state;
    char *doc = malloc(16384);
    char *x = malloc(4100);
    memset(x, 'x', 4001);
    x[4001] = '\0';
    /* 100 accented letters are 100 characters, though 200 bytes. */
    char body[256] = "";
    for (int i = 0; i < 100; i++)
        strcat(body, "\xC3\xA9");
    snprintf(doc, 16384, HEAD "%s,T,F,2025-01-01,1,%s,immediately,,\n", body, x);
    expect_errors(IMPORT_CSV, doc,
                  ERRORS("row 2, text: is 4001 characters long; at most 4000 are allowed"));
    x[4000] = '\0';
    snprintf(doc, 16384, HEAD "%sx,T,F,2025-01-01,1,%s,immediately,,\n", body, x);
    expect_errors(IMPORT_CSV, doc,
                  ERRORS("row 2, body: is 101 characters long; at most 100 are allowed"));
    x[201] = '\0';
    snprintf(doc, 16384, HEAD "B,%s,F,2025-01-01,1,T,immediately,%s,a) %s\n", x, x, x);
    expect_errors(IMPORT_CSV, doc,
                  ERRORS("row 2, title: is 201 characters long; at most 200 are allowed",
                         "row 2, owner: is 201 characters long; at most 200 are allowed"));
    /* Line breaks only in the recommendation's text; no other control characters. */
    expect_errors(IMPORT_CSV,
                  HEAD "B,\"Two\nlines\",F,2025-01-01,1,\"Two\nlines\tand a tab\",immediately,"
                       "\"Bell\a\",\n",
                  ERRORS("row 2, title: must not contain control characters or line breaks",
                         "row 2, owner: must not contain control characters or line breaks"));
    free(x);
    free(doc);
}

static void test_points(void **state)
{
    (void)state;
    expect_errors(IMPORT_CSV,
                  HEAD INSP "1,T,immediately,,a) one | a) two | three | | (iv) four | "
                            "verylonglabel) x | b)\n",
                  ERRORS("row 2, points: sub-point 'a' is given twice",
                         "row 2, points: sub-point 3 does not start with its label and ')', such "
                         "as 'a) Improve supervision'",
                         "row 2, points: sub-point 4 is empty (sub-points are separated by '|')",
                         "row 2, points: 'verylonglabel' is not a sub-point label: use up to 10 "
                         "letters or digits, such as 'a' or 'iv'",
                         "row 2, points: must not be empty"));
    char doc[512];
    snprintf(doc, sizeof(doc), HEAD INSP "1,T,immediately,,%s\n",
             "a)1|b)2|c)3|d)4|e)5|f)6|g)7|h)8|i)9|j)10|k)11|l)12|m)13|n)14|o)15|p)16|q)17|r)18|"
             "s)19|t)20|u)21|v)22|w)23|x)24|y)25|z)26|aa)27");
    expect_errors(IMPORT_CSV, doc,
                  ERRORS("row 2, points: has 27 sub-points; at most 26 are allowed"));
}

static void test_csv_structure(void **state)
{
    (void)state;
    expect_errors(IMPORT_CSV, "body,title,colour,title,,number\n",
                  ERRORS("row 1: 'colour' is not a column: the columns are body, title, force, "
                         "published_on, number, text, timescale, owner and points",
                         "row 1: the column 'title' is given twice", "row 1: column 5 has no name",
                         "row 1: the column 'force' is missing",
                         "row 1: the column 'published_on' is missing",
                         "row 1: the column 'text' is missing",
                         "row 1: the column 'timescale' is missing",
                         "row 2: there are no recommendation rows: give one row per "
                         "recommendation below the header"));
    expect_errors(IMPORT_CSV, "\n" INSP "1,T,immediately,,\n",
                  ERRORS("row 1: is empty: the first row must name the columns (body, title, "
                         "force, published_on, number, text, timescale, owner, points)"));
    expect_errors(IMPORT_CSV, "body,\"title\n",
                  ERRORS("row 1: a quoted field is not closed before the end of the text"));
    expect_errors(IMPORT_CSV, HEAD INSP "1,\"T,immediately,,\n" INSP "2,T,immediately,,\n",
                  ERRORS("row 2, text: a quoted field is not closed before the end of the text",
                         "row 2: there are no recommendation rows: give one row per "
                         "recommendation below the header"));
    expect_errors(IMPORT_CSV,
                  HEAD INSP "1,T,immediately\n" INSP "2,T,immediately,,,\n\n,,,,,,,,\n" INSP
                            "3,T,immediately,,\n",
                  ERRORS("row 2: has 7 fields but the header has 9",
                         "row 3: has 10 fields but the header has 9"));
    /* A column missing from the header is reported once, not on every row. */
    expect_errors(IMPORT_CSV,
                  "body,title,force,published_on,number,text\n" INSP "1,T\n" INSP "2,T\n",
                  ERRORS("row 1: the column 'timescale' is missing"));
    expect_errors(IMPORT_CSV, "", ERRORS("document: is empty"));
    expect_errors(IMPORT_CSV, "\xEF\xBB\xBF \r\n\t", ERRORS("document: is empty"));
    expect_errors(IMPORT_JSON, "  ", ERRORS("document: is empty"));
}

static void test_too_many(void **state)
{
    (void)state;
    size_t cap = 64 * 1024;
    char *doc = malloc(cap);
    size_t n = (size_t)snprintf(doc, cap, HEAD);
    for (int i = 1; i <= IMPORT_MAX_RECOMMENDATIONS + 5; i++)
        n += (size_t)snprintf(doc + n, cap - n, INSP "%d,T,immediately,,\n", i);
    expect_errors(
        IMPORT_CSV, doc,
        ERRORS("row 202: is recommendation 201: at most 200 are allowed in one document"));
    /* Errors past IMPORT_MAX_ERRORS are counted in one last entry. */
    n = (size_t)snprintf(doc, cap, HEAD);
    for (int i = 1; i <= 150; i++)
        n += (size_t)snprintf(doc + n, cap - n, INSP "0,T,immediately,,\n");
    struct parsed p;
    parse(&p, IMPORT_CSV, doc);
    assert_int_equal(p.doc.nerrors, IMPORT_MAX_ERRORS + 1);
    assert_string_equal(p.doc.errors[99].message, "row 101, number: must be 1 or more, not 0");
    assert_string_equal(p.doc.errors[100].code, "too_many_errors");
    assert_string_equal(p.doc.errors[100].message,
                        "document: 50 more problems are not listed; correct these and import "
                        "again");
    arena_free(p.a);
    /* JSON: more than 200 recommendations. */
    n = (size_t)snprintf(doc, cap,
                         "{\"body\":\"B\",\"title\":\"T\",\"force\":\"F\","
                         "\"published_on\":\"2025-01-01\",\"recommendations\":[");
    for (int i = 1; i <= 201; i++)
        n += (size_t)snprintf(doc + n, cap - n,
                              "%s{\"number\":%d,\"text\":\"T\",\"timescale\":\"immediately\"}",
                              i > 1 ? "," : "", i);
    snprintf(doc + n, cap - n, "]}");
    expect_errors(IMPORT_JSON, doc,
                  ERRORS("recommendations: lists 201 recommendations; at most 200 are allowed in "
                         "one document"));
    free(doc);
    /* The document itself is capped before it is read. */
    struct arena *a = arena_new();
    struct import_doc d;
    assert_int_equal(assurance_import_parse(a, IMPORT_CSV, "x", IMPORT_MAX_BYTES + 1, T0, &d), -1);
    assert_string_equal(d.errors[0].message,
                        "document: is 524289 bytes long; at most 524288 are allowed");
    arena_free(a);
}

#define JDOC(recs)                                                                                 \
    "{\"body\":\"HMICFRS\",\"title\":\"T\",\"force\":\"F\",\"published_on\":\"2025-01-01\","       \
    "\"recommendations\":[" recs "]}"

static void test_json_good(void **state)
{
    (void)state;
    struct parsed p;
    parse(&p, IMPORT_JSON,
          "\xEF\xBB\xBF" JDOC("{\"number\":2,\"text\":\"Two\\nlines\",\"timescale\":\"within 3 "
                              "months\",\"owner\":null,\"points\":[{\"label\":\"a\",\"text\":"
                              "\"x\"}],\"actions\":[{\"title\":\"Do\",\"due_on\":\"2025-02-01\","
                              "\"status\":\"blocked\"},{\"title\":\"More\",\"status\":\"\"}]}"));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.doc.nrecs, 1);
    assert_int_equal(p.doc.recs[0].number, 2);
    assert_string_equal(p.doc.recs[0].text, "Two\nlines");
    assert_int_equal(p.doc.recs[0].months, 3);
    assert_null(p.doc.recs[0].owner);
    assert_int_equal(p.doc.recs[0].nactions, 2);
    assert_string_equal(p.doc.recs[0].actions[0].status, "blocked");
    assert_string_equal(p.doc.recs[0].actions[0].due_on, "2025-02-01");
    assert_null(p.doc.recs[0].actions[0].owner);
    assert_string_equal(p.doc.recs[0].actions[1].status, "not_started");
    arena_free(p.a);
}

static void test_json_errors(void **state)
{
    (void)state;
    expect_errors(IMPORT_JSON, "[1]",
                  ERRORS("document: must be a JSON object: {\"body\": ..., \"recommendations\": "
                         "[...]}"));
    expect_errors(IMPORT_JSON, "{\"body\": \"x\",\n \"body\": \"y\"}",
                  ERRORS("line 2, column 7: is not valid JSON: duplicate object key near "
                         "'\"body\"'"));
    expect_errors(IMPORT_JSON, "{\"body\": \"\\u0000\"}",
                  ERRORS("line 1, column 17: is not valid JSON: text must not contain \\u0000 "
                         "(NUL)"));
    expect_errors(IMPORT_JSON, "{}",
                  ERRORS("body: is required", "title: is required", "force: is required",
                         "published_on: is required", "recommendations: is required"));
    expect_errors(IMPORT_JSON,
                  "{\"body\":1,\"title\":[],\"force\":\"\",\"published_on\":null,\"x\\u0007\":1,"
                  "\"recommendations\":{}}",
                  ERRORS("x?: is not a field of an inspection document (those are body, title, "
                         "force, published_on and recommendations)",
                         "body: must be text", "title: must be text", "force: must not be empty",
                         "published_on: is required", "recommendations: must be a list ([...])"));
    /* jansson quotes the input byte by byte, here half a character (found
     * by fuzz_import): the message shows '?' and stays UTF-8. */
    expect_errors(IMPORT_JSON, "\"\\\xC2\xA4",
                  ERRORS("line 1, column 3: is not valid JSON: invalid escape near '\"\\?'"));
    /* An empty key (found by fuzz_import) still has a location. */
    expect_errors(IMPORT_JSON,
                  JDOC("{\"\":1,\"number\":1,\"text\":\"T\",\"timescale\":\"immediately\"}"),
                  ERRORS("recommendations[0].\"\": is not a field of a recommendation (those are "
                         "number, text, timescale, owner, points, actions and measures)"));
    expect_errors(IMPORT_JSON, JDOC(""),
                  ERRORS("recommendations: is empty: an inspection needs at least one "
                         "recommendation"));
    expect_errors(
        IMPORT_JSON,
        JDOC("1,{\"number\":1.5,\"text\":3,\"timescale\":{\"months\":3},\"owner\":\"\",\"points\":"
             "{},\"actions\":\"x\",\"colour\":1},{\"number\":-1,\"text\":\"t\",\"timescale\":"
             "\"never\",\"points\":[\"a\",{\"label\":\"\",\"text\":\"t\",\"n\":1}],\"actions\":["
             "{\"title\":\"\",\"owner\":2,\"due_on\":\"2025-1-1\",\"status\":\"done\"}]},{"
             "\"number\":1000}"),
        ERRORS("recommendations[0]: must be an object ({\"number\", \"text\", ...})",
               "recommendations[1].colour: is not a field of a recommendation (those are number, "
               "text, timescale, owner, points, actions and measures)",
               "recommendations[1].number: must be a whole number, such as 3",
               "recommendations[1].text: must be text",
               "recommendations[1].timescale: must be text: 'immediately' or 'within N months'",
               "recommendations[1].points: must be a list ([...])",
               "recommendations[1].actions: must be a list ([...])",
               "recommendations[2].number: must be 1 or more, not -1",
               "recommendations[2].timescale: 'never' is not a timescale: write 'immediately' or "
               "'within N months' with N from 1 to 60",
               "recommendations[2].points[0]: must be an object ({\"label\", \"text\"})",
               "recommendations[2].points[1].n: is not a field of a sub-point (those are label "
               "and text)",
               "recommendations[2].points[1].label: must not be empty",
               "recommendations[2].actions[0].title: must not be empty",
               "recommendations[2].actions[0].owner: must be text",
               "recommendations[2].actions[0].due_on: '2025-1-1' is not a real date written "
               "YYYY-MM-DD, such as 2023-03-01",
               "recommendations[2].actions[0].status: 'done' is not an action status: use "
               "not_started, in_progress, complete or blocked",
               "recommendations[3].number: must be at most 999, not 1000",
               "recommendations[3].text: is required",
               "recommendations[3].timescale: is required"));
}

static void test_quoted_values_are_tamed(void **state)
{
    (void)state;
    /* A value quoted back in a message is at most 40 characters long, with
     * control characters (C0, DEL, C1) shown as '?'. */
    expect_errors(IMPORT_CSV,
                  HEAD INSP "1,T,immediately,,\n"
                            "HMI\x1b[31mCFRS\x7f\xC2\x85,Thematic,Exampleshire Police,2025-02-28,"
                            "2,T,immediately,,\n",
                  ERRORS("row 3, body: 'HMI?[31mCFRS?\?' differs from row 2 ('HMICFRS'): every "
                         "row must describe the same inspection"));
    expect_errors(IMPORT_CSV,
                  HEAD INSP "1,T,soon and then a great deal more text than forty characters,,\n",
                  ERRORS("row 2, timescale: 'soon and then a great deal more text tha\xE2\x80\xA6' "
                         "is not a timescale: write 'immediately' or 'within N months' with N from "
                         "1 to 60"));
    /* Within a field that is checked, control characters are refused outright. */
    expect_errors(IMPORT_CSV, HEAD INSP "1,T,\"\x1b[31mred\",,\n",
                  ERRORS("row 2, timescale: must not contain control characters or line breaks"));
}

/* ---- on a store ---------------------------------------------------------------- */

struct fixture {
    char dir[64];
    char path[96];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/sg-import-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/import.db", f->dir);
    char err[256];
    if (store_open(&f->s, f->path, err, sizeof(err)) < 0 ||
        store_migrate(f->s, err, sizeof(err)) < 0) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    char p[128];
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t count(struct store *s, const char *sql)
{
    struct stmt *st = store_prepare(s, sql);
    assert_non_null(st);
    assert_int_equal(stmt_step(st), STORE_ROW);
    int64_t n = stmt_int(st, 0);
    stmt_reset(st);
    return n;
}

static int64_t import(struct store *s, enum import_format fmt, const char *text,
                      struct import_doc *doc, struct domain_error *err, struct arena *a)
{
    assert_int_equal(store_begin_write(s), STORE_OK);
    int64_t id = assurance_import(s, a, fmt, text, strlen(text), T0, doc, err);
    if (id > 0)
        assert_int_equal(store_commit(s), STORE_OK);
    else
        assert_int_equal(store_rollback(s), STORE_OK);
    return id;
}

static const char DOC_CSV[] =
    HEAD "HMICFRS,Thematic,Exampleshire Police,2023-08-31,1,First,immediately,Head,a) x | b) y\n"
         "HMICFRS,Thematic,Exampleshire Police,2023-08-31,2,Second,within 6 months,,\n"
         "HMICFRS,Thematic,Exampleshire Police,2023-08-31,3,Third,within 1 month,,\n";

static void test_insert_and_duplicates(void **state)
{
    struct fixture *f = *state;
    struct arena *a = arena_new();
    struct import_doc doc;
    struct domain_error err = {0};
    int64_t id = import(f->s, IMPORT_CSV, DOC_CSV, &doc, &err, a);
    assert_true(id > 0);
    json_t *o = assurance_inspection_json(f->s, id);
    assert_non_null(o);
    json_t *recs = json_object_get(o, "recommendations");
    assert_int_equal(json_array_size(recs), 3);
    /* 31 August: + 6 months is 29 February 2024, + 1 month is 30 September. */
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0), "due_on")),
                        "2023-08-31");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 1), "due_on")),
                        "2024-02-29");
    assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 2), "due_on")),
                        "2023-09-30");
    assert_int_equal(json_array_size(json_object_get(json_array_get(recs, 0), "points")), 2);
    json_decref(o);
    assert_null(assurance_inspection_json(f->s, id + 100));
    json_t *list = assurance_inspection_list(f->s);
    assert_int_equal(json_array_size(json_object_get(list, "inspections")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(list, "inspections"), 0),
                                           "recommendations")),
        3);
    json_decref(list);

    /* The same inspection again, with faults too: every one is reported, the
     * duplicate among them, and nothing is written. */
    int64_t before = count(f->s, "SELECT COUNT(*) FROM recommendation");
    char bad[1024];
    snprintf(bad, sizeof(bad), "%s%s", DOC_CSV,
             "HMICFRS,Thematic,Exampleshire Police,2023-08-31,3,Fourth,soon,,\n");
    assert_int_equal(import(f->s, IMPORT_CSV, bad, &doc, &err, a), -1);
    assert_int_equal(doc.nerrors, 3);
    assert_string_equal(doc.errors[0].message,
                        "row 5, number: recommendation 3 is also given at row 4");
    assert_string_equal(doc.errors[2].code, "inspection_exists");
    char want[256];
    snprintf(want, sizeof(want),
             "document: this inspection (HMICFRS, 'Thematic', Exampleshire Police, published "
             "2023-08-31) is already recorded as inspection %lld",
             (long long)id);
    assert_string_equal(doc.errors[2].message, want);
    /* err is the first error, as the API sends it. */
    assert_int_equal(err.status, 422);
    assert_string_equal(err.code, "duplicate_number");
    assert_string_equal(err.field, "content");
    assert_string_equal(err.message, doc.errors[0].message);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM recommendation"), before);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM inspection"), 1);

    /* The errors list as the API sends it. */
    json_t *errs = assurance_import_errors_json(&doc);
    assert_int_equal(json_array_size(errs), 3);
    json_t *e0 = json_array_get(errs, 0);
    assert_int_equal(json_integer_value(json_object_get(e0, "status")), 422);
    assert_string_equal(json_string_value(json_object_get(e0, "field")), "content");
    assert_string_equal(json_string_value(json_object_get(e0, "location")), "row 5, number");
    json_decref(errs);

    /* Another inspection from JSON, with actions. */
    id = import(f->s, IMPORT_JSON,
                JDOC("{\"number\":1,\"text\":\"T\",\"timescale\":\"immediately\",\"actions\":[{"
                     "\"title\":\"A\",\"owner\":\"O\",\"status\":\"complete\"}]}"),
                &doc, &err, a);
    assert_true(id > 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM recommendation_action WHERE status = "
                                 "'complete' AND evidence IS NULL AND owner = 'O'"),
                     1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM inspection"), 2);
    arena_free(a);
}

static void test_long_messages_stay_utf8(void **state)
{
    struct fixture *f = *state;
    /* 45 four-byte characters in each of body, title and force: the
     * duplicate's message quotes all three, is cut to fit, and stays UTF-8. */
    char emoji[45 * 4 + 1] = "";
    for (int i = 0; i < 45; i++)
        strcat(emoji, "\xF0\x9F\x98\x80");
    char doc[2048];
    snprintf(doc, sizeof(doc), HEAD "%s,%s,%s,2025-01-01,1,T,immediately,,\n", emoji, emoji, emoji);
    struct arena *a = arena_new();
    struct import_doc d;
    struct domain_error err = {0};
    assert_true(import(f->s, IMPORT_CSV, doc, &d, &err, a) > 0);
    assert_int_equal(import(f->s, IMPORT_CSV, doc, &d, &err, a), -1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.errors[0].code, "inspection_exists");
    size_t n = strlen(d.errors[0].message);
    assert_true(n > 400 && n < sizeof(d.errors[0].message));
    assert_true(utf8_valid(d.errors[0].message, n));
    assert_true(utf8_valid(err.message, strlen(err.message)));
    json_t *errs = assurance_import_errors_json(&d);
    assert_int_equal(json_array_size(errs), 1);
    json_decref(errs);
    arena_free(a);
}

static void test_utf8_clip(void **state)
{
    (void)state;
    char s[16];
    strcpy(s, "ab\xE2\x80");
    utf8_clip(s);
    assert_string_equal(s, "ab");
    strcpy(s, "ab\xE2\x80\xA6");
    utf8_clip(s);
    assert_string_equal(s, "ab\xE2\x80\xA6");
    strcpy(s, "ab\xF0");
    utf8_clip(s);
    assert_string_equal(s, "ab");
    strcpy(s, "abc");
    utf8_clip(s);
    assert_string_equal(s, "abc");
    s[0] = '\0';
    utf8_clip(s);
    assert_string_equal(s, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_line_ends),
        cmocka_unit_test(test_csv_quotes),
        cmocka_unit_test(test_csv_refusals_carry_on),
        cmocka_unit_test(test_csv_limits),
        cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_timescales),
        cmocka_unit_test(test_csv_required_and_empty),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_lengths_and_controls),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_csv_structure),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_json_good),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_quoted_values_are_tamed),
        cmocka_unit_test_setup_teardown(test_insert_and_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_messages_stay_utf8, setup, teardown),
        cmocka_unit_test(test_utf8_clip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
