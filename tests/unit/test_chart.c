/* test_chart.c — unit tests for charts/chart: SVG and PDF output, the
 * accessible text spliced into SVG, refusal of bad input, buffer limits,
 * determinism and hostile strings. Set CHART_EXAMPLES=dir to also write one
 * example of each chart there for a person to look at. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "charts/chart.h"
#include "core/buf.h"

#define OUT_MAX (4u << 20)

static const char *const months[] = {"April", "May", "June", "July", "August", "September"};
static const double referrals[] = {42, 37, 51, 48, 0, 63.5};
static const double assessments[] = {30, 35, 40, 29, 12, 50};
static const double visits[] = {12, 18, 9, 22, 15, 11};

static struct chart example(const struct chart_series *series, size_t nseries)
{
    struct chart c = {
        .title = "Referrals by month",
        .x_label = "Month (2024)",
        .y_label = "Number of referrals",
        .categories = months,
        .ncategories = 6,
        .series = series,
        .nseries = nseries,
    };
    return c;
}

static int starts_with(const struct buf *b, const char *prefix)
{
    return b->len >= strlen(prefix) && memcmp(b->data, prefix, strlen(prefix)) == 0;
}

/* memmem is a GNU extension; PDF bytes hold NULs, so strstr will not do. */
static int contains(const struct buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= b->len && i <= b->len - n; i++)
        if (memcmp(b->data + i, needle, n) == 0)
            return 1;
    return 0;
}

static void save(const char *name, const struct buf *b)
{
    const char *dir = getenv("CHART_EXAMPLES");
    if (!dir || !b->len)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(b->data, 1, b->len, f);
        fclose(f);
    }
}

/* --------------------------------------------------------------- output */

static void test_bar_svg(void **state)
{
    (void)state;
    struct chart_series s[] = {{"Referrals", referrals, 6}};
    struct chart c = example(s, 1);
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, err, sizeof err), 0);
    assert_true(starts_with(&b, "<?xml"));
    assert_non_null(strstr(b.data, "<svg"));
    assert_non_null(strstr(b.data, "</svg>"));
    /* The title and data in words, for screen readers. */
    assert_non_null(strstr(b.data, "role=\"img\" aria-label=\"Referrals by month\""));
    assert_non_null(strstr(b.data, "<title>Referrals by month</title>"));
    assert_non_null(strstr(b.data, "<desc>Bar chart with 6 categories (Month (2024)); values are "
                                   "Number of referrals. April: 42. May: 37."));
    assert_non_null(strstr(b.data, "September: 63.5."));
    /* Drawn at the size asked for, in pixels. */
    assert_non_null(strstr(b.data, "width=\"640px\""));
    assert_non_null(strstr(b.data, "height=\"360px\""));
    /* GDS blue bars. */
    assert_non_null(strstr(b.data, "rgb(11.372549%,43.921569%,72.156863%)"));
    save("bar.svg", &b);
    buf_release(&b);
}

static void test_bar_pdf(void **state)
{
    (void)state;
    struct chart_series s[] = {{"Referrals", referrals, 6}, {"Assessments", assessments, 6}};
    struct chart c = example(s, 2);
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_bar(&c, CHART_PDF, &b, err, sizeof err), 0);
    assert_true(starts_with(&b, "%PDF-"));
    assert_true(b.len > 1000);
    /* The title as document metadata (cairo writes it as a literal). */
    assert_true(contains(&b, "Referrals by month"));
    assert_true(contains(&b, "%%EOF"));
    save("bar.pdf", &b);
    buf_release(&b);
}

static void test_grouped_and_line(void **state)
{
    (void)state;
    struct chart_series s[] = {
        {"Referrals", referrals, 6}, {"Assessments", assessments, 6}, {"Visits", visits, 6}};
    struct chart c = example(s, 3);
    struct buf bar, line;
    buf_init(&bar, OUT_MAX);
    buf_init(&line, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_bar(&c, CHART_SVG, &bar, err, sizeof err), 0);
    assert_int_equal(chart_line(&c, CHART_SVG, &line, err, sizeof err), 0);
    assert_non_null(strstr(line.data, "<desc>Line chart with 6 categories"));
    assert_non_null(strstr(line.data, "April: Referrals 42, Assessments 30, Visits 12."));
    /* Orange second series in both. */
    assert_non_null(strstr(bar.data, "rgb(95.686275%,46.666667%,21.960784%)"));
    assert_non_null(strstr(line.data, "rgb(95.686275%,46.666667%,21.960784%)"));
    assert_true(bar.len != line.len || memcmp(bar.data, line.data, bar.len) != 0);
    save("grouped.svg", &bar);
    save("line.svg", &line);
    buf_release(&bar);
    buf_release(&line);

    struct buf pdf;
    buf_init(&pdf, OUT_MAX);
    assert_int_equal(chart_line(&c, CHART_PDF, &pdf, err, sizeof err), 0);
    assert_true(starts_with(&pdf, "%PDF-"));
    save("line.pdf", &pdf);
    buf_release(&pdf);
}

/* A percentage trend with months of no data and a target: the line breaks
 * at gaps instead of dropping to zero, the axis runs to 100, the target is
 * drawn and labelled, and the description says which months have no data. */
static void test_line_gaps_and_reference(void **state)
{
    (void)state;
    static const double pct[] = {92.5, CHART_GAP, 80, 100, CHART_GAP, 96};
    struct chart_series s[] = {{"Percent", pct, 6}};
    struct chart c = example(s, 1);
    c.title = "Response reflects the risk";
    c.y_label = "Percent";
    c.y_max = 100;
    c.reference_label = "Target 95%";
    c.reference = 95;
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_line(&c, CHART_SVG, &b, err, sizeof err), 0);
    assert_non_null(strstr(b.data, "April: 92.5. May: no data. June: 80. July: 100. "
                                   "August: no data. September: 96."));
    save("line-gaps.svg", &b);
    buf_release(&b);

    /* Gaps are refused by bar charts. */
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "series[0].values[1] is not a finite number"));
    buf_release(&b);

    /* A bad reference or y_max is refused with its name. */
    c.reference = -1;
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_line(&c, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "reference"));
    c.reference = 95;
    c.y_max = NAN;
    assert_int_equal(chart_line(&c, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "y_max"));
    assert_int_equal(b.len, 0);
    buf_release(&b);

    /* y_max stretches the axis: 0..50 data drawn on a 0..100 axis differs
     * from the same data fitted to itself. */
    static const double low[] = {10, 20, 30, 40, 50, 45};
    struct chart_series ls[] = {{"Percent", low, 6}};
    struct chart fit = example(ls, 1), full = example(ls, 1);
    full.y_max = 100;
    struct buf a, z;
    buf_init(&a, OUT_MAX);
    buf_init(&z, OUT_MAX);
    assert_int_equal(chart_line(&fit, CHART_SVG, &a, err, sizeof err), 0);
    assert_int_equal(chart_line(&full, CHART_SVG, &z, err, sizeof err), 0);
    assert_true(a.len != z.len || memcmp(a.data, z.data, a.len) != 0);
    buf_release(&a);
    buf_release(&z);
}

static void test_appends_after_existing(void **state)
{
    (void)state;
    struct chart_series s[] = {{NULL, visits, 6}};
    struct chart c = example(s, 1);
    struct buf b;
    buf_init(&b, OUT_MAX);
    assert_int_equal(buf_puts(&b, "<p>before</p>"), 0);
    assert_int_equal(chart_line(&c, CHART_SVG, &b, NULL, 0), 0);
    assert_true(starts_with(&b, "<p>before</p><?xml"));
    buf_release(&b);
}

/* Same input, same bytes: SVG may be cached and compared. */
static void test_svg_deterministic(void **state)
{
    (void)state;
    struct chart_series s[] = {{"Referrals", referrals, 6}, {"Visits", visits, 6}};
    struct chart c = example(s, 2);
    struct buf a, b;
    buf_init(&a, OUT_MAX);
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_bar(&c, CHART_SVG, &a, NULL, 0), 0);
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, NULL, 0), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    buf_release(&a);
    buf_release(&b);
}

static void test_data_changes_output(void **state)
{
    (void)state;
    double other[6];
    memcpy(other, referrals, sizeof other);
    other[2] = 5;
    struct chart_series s1[] = {{"Referrals", referrals, 6}};
    struct chart_series s2[] = {{"Referrals", other, 6}};
    struct chart c1 = example(s1, 1), c2 = example(s2, 1);
    struct buf a, b;
    buf_init(&a, OUT_MAX);
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_bar(&c1, CHART_SVG, &a, NULL, 0), 0);
    assert_int_equal(chart_bar(&c2, CHART_SVG, &b, NULL, 0), 0);
    assert_true(a.len > 2000);
    assert_true(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
    buf_release(&a);
    buf_release(&b);
}

static void test_all_zero_and_edges(void **state)
{
    (void)state;
    static const double zeros[] = {0, 0, 0};
    static const double huge[] = {CHART_VALUE_MAX, 1, 0.5};
    static const double tiny[] = {1e-9, 0.004, 0.001};
    static const char *const cats[] = {"A", NULL, ""};
    const double *sets[] = {zeros, huge, tiny};
    for (size_t i = 0; i < 3; i++) {
        struct chart_series s[] = {{"", sets[i], 3}};
        struct chart c = {.title = "Edge",
                          .categories = cats,
                          .ncategories = 3,
                          .series = s,
                          .nseries = 1,
                          .width = CHART_MIN_SIDE,
                          .height = CHART_MIN_SIDE};
        if (sets[i] == huge) /* "1,000,000,000,000,000" ticks need the width */
            c.width = c.height = 0;
        for (int fmt = CHART_SVG; fmt <= CHART_PDF; fmt++) {
            struct buf b;
            buf_init(&b, OUT_MAX);
            char err[200] = "";
            if (chart_bar(&c, (enum chart_format)fmt, &b, err, sizeof err) != 0 ||
                chart_line(&c, (enum chart_format)fmt, &b, err, sizeof err) != 0) {
                print_error("set %zu format %d: %s\n", i, fmt, err);
                fail();
            }
            buf_release(&b);
        }
    }
    /* The empty category falls back in the description. */
    struct chart_series s[] = {{NULL, zeros, 3}};
    struct chart c = {
        .title = "Zeros", .categories = cats, .ncategories = 3, .series = s, .nseries = 1};
    struct buf b;
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, NULL, 0), 0);
    assert_non_null(strstr(b.data, "(no label): 0."));
    buf_release(&b);
}

/* 200 categories of long labels and six series: drawn, not crashed. */
static void test_maximum_chart(void **state)
{
    (void)state;
    static double v[CHART_MAX_SERIES][CHART_MAX_CATEGORIES];
    static char names[CHART_MAX_CATEGORIES][80];
    static const char *cats[CHART_MAX_CATEGORIES];
    for (size_t i = 0; i < CHART_MAX_CATEGORIES; i++) {
        snprintf(names[i], sizeof names[i], "A very long category label number %zu indeed", i);
        cats[i] = names[i];
        for (size_t s = 0; s < CHART_MAX_SERIES; s++)
            v[s][i] = (double)((i * 7 + s * 13) % 100) * 1234.5;
    }
    struct chart_series s[CHART_MAX_SERIES];
    for (size_t k = 0; k < CHART_MAX_SERIES; k++)
        s[k] =
            (struct chart_series){"A series with a rather long name", v[k], CHART_MAX_CATEGORIES};
    struct chart c = {.title = "Everything at once",
                      .categories = cats,
                      .ncategories = CHART_MAX_CATEGORIES,
                      .series = s,
                      .nseries = CHART_MAX_SERIES,
                      .width = 1200,
                      .height = 600};
    struct buf b;
    buf_init(&b, OUT_MAX * 4);
    char err[200] = "";
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, err, sizeof err), 0);
    assert_int_equal(chart_line(&c, CHART_PDF, &b, err, sizeof err), 0);
    buf_release(&b);
}

/* Labels and names with invalid UTF-8, controls and markup: drawn, and
 * escaped where they reach the SVG as text. */
static void test_hostile_strings(void **state)
{
    (void)state;
    static const char *const cats[] = {"\xff\xfe bad", "<script>&\"'", "\xe2\x82", "ok\x01\x7f"};
    static const double v[] = {1, 2, 3, 4};
    char longname[5000];
    memset(longname, 'W', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    struct chart_series s[] = {{longname, v, 4}, {"\xc0\xaf", v, 4}};
    struct chart c = {.title = "<b>T</b> & \xed\xa0\x80",
                      .x_label = "\n\t",
                      .y_label = longname,
                      .categories = cats,
                      .ncategories = 4,
                      .series = s,
                      .nseries = 2};
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, err, sizeof err), 0);
    assert_null(strstr(b.data, "<script>"));
    assert_null(strstr(b.data, "<b>"));
    assert_non_null(strstr(b.data, "<title>&lt;b&gt;T&lt;/b&gt; &amp; ?\?\?</title>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;&amp;&quot;&#39;"));
    assert_int_equal(chart_line(&c, CHART_PDF, &b, err, sizeof err), 0);
    buf_release(&b);
}

/* --------------------------------------------------------------- refusal */

static void expect_refused(const struct chart *c, const char *needle)
{
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_bar(c, CHART_SVG, &b, err, sizeof err), -1);
    if (!strstr(err, needle)) {
        print_error("error \"%s\" does not mention \"%s\"\n", err, needle);
        fail();
    }
    assert_int_equal(b.len, 0);
    err[0] = '\0';
    assert_int_equal(chart_line(c, CHART_PDF, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, needle));
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

static void test_bad_input_refused(void **state)
{
    (void)state;
    struct chart_series one[] = {{"R", referrals, 6}};
    struct chart c = example(one, 1);
    c.title = NULL;
    expect_refused(&c, "title is missing");
    c.title = "  ";
    expect_refused(&c, "title is empty");

    c = example(one, 1);
    c.ncategories = 0;
    expect_refused(&c, "no categories");
    c.ncategories = CHART_MAX_CATEGORIES + 1;
    expect_refused(&c, "201 categories");
    c.ncategories = SIZE_MAX;
    expect_refused(&c, "categories");

    double nan6[6] = {1, 2, NAN, 4, 5, 6};
    struct chart_series bad[] = {{"R", nan6, 6}};
    c = example(bad, 1);
    /* NaN is CHART_GAP: a gap in a line chart (test_line_gaps_and_reference),
     * refused by a bar chart. */
    {
        struct buf b;
        buf_init(&b, OUT_MAX);
        char err[200] = "";
        assert_int_equal(chart_bar(&c, CHART_SVG, &b, err, sizeof err), -1);
        assert_non_null(strstr(err, "series[0].values[2] is not a finite number"));
        buf_release(&b);
    }
    nan6[2] = INFINITY;
    expect_refused(&c, "series[0].values[2] is not a finite number");
    nan6[2] = -1;
    expect_refused(&c, "series[0].values[2] is negative");
    nan6[2] = 1e300;
    expect_refused(&c, "series[0].values[2] is larger than");

    struct chart_series seven[7];
    for (size_t i = 0; i < 7; i++)
        seven[i] = (struct chart_series){"S", referrals, 6};
    c = example(seven, 7);
    expect_refused(&c, "7 series");
    c.nseries = 0;
    expect_refused(&c, "no series");

    struct chart_series short_one[] = {{"R", referrals, 5}};
    c = example(short_one, 1);
    expect_refused(&c, "series[0] has 5 values but the chart has 6 categories");
    struct chart_series null_values[] = {{"R", NULL, 6}};
    c = example(null_values, 1);
    expect_refused(&c, "series[0].values is missing");

    c = example(one, 1);
    c.categories = NULL;
    expect_refused(&c, "categories are missing");
    c = example(one, 1);
    c.width = -5;
    expect_refused(&c, "width -5");
    c.width = 100000;
    expect_refused(&c, "width 100000");
    c.width = 0;
    c.height = 199;
    expect_refused(&c, "height 199");
    /* Legal size, but a legend of six long names leaves no plot. */
    struct chart_series six[6];
    for (size_t i = 0; i < 6; i++)
        six[i] = (struct chart_series){"A long long long series name", referrals, 6};
    c = example(six, 6);
    c.width = CHART_MIN_SIDE;
    c.height = CHART_MIN_SIDE;
    expect_refused(&c, "too small");

    char err[100];
    struct buf b;
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_bar(NULL, CHART_SVG, &b, err, sizeof err), -1);
    assert_string_equal(err, "chart is missing");
    c = example(one, 1);
    assert_int_equal(chart_bar(&c, (enum chart_format)7, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "format 7"));
    assert_int_equal(chart_bar(&c, CHART_SVG, NULL, err, sizeof err), -1);
    /* err is optional. */
    c.title = NULL;
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, NULL, 0), -1);
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

/* A maximum too small fails cleanly and leaves the buffer as it was. */
static void test_buffer_too_small(void **state)
{
    (void)state;
    struct chart_series s[] = {{"Referrals", referrals, 6}};
    struct chart c = example(s, 1);
    static const size_t maxes[] = {0, 10, 100, 1000, 4000};
    for (size_t i = 0; i < sizeof maxes / sizeof maxes[0]; i++) {
        for (int fmt = CHART_SVG; fmt <= CHART_PDF; fmt++) {
            struct buf b;
            buf_init(&b, maxes[i]);
            char err[200] = "";
            assert_int_equal(chart_bar(&c, (enum chart_format)fmt, &b, err, sizeof err), -1);
            assert_int_equal(b.len, 0);
            assert_true(strstr(err, "larger than") || strstr(err, "already full"));
            buf_release(&b);
        }
    }
    /* Existing content is kept untouched. */
    struct buf b;
    buf_init(&b, 3000);
    assert_int_equal(buf_puts(&b, "keep"), 0);
    char err[200] = "";
    assert_int_equal(chart_line(&c, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "2996 bytes left"));
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "keep");
    buf_release(&b);

    /* Just enough room works: find the size, then allow exactly that. */
    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, NULL, 0), 0);
    size_t need = b.len;
    buf_release(&b);
    buf_init(&b, need);
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, NULL, 0), 0);
    buf_release(&b);
    buf_init(&b, need - 1);
    assert_int_equal(chart_bar(&c, CHART_SVG, &b, NULL, 0), -1);
    buf_release(&b);
}

/* ------------------------------------------------------------- RAG table */

static void test_rag_table(void **state)
{
    (void)state;
    struct rag_row rows[] = {
        {"Strategy meetings within 15 working days", RAG_RED,
         "Eleven of forty meetings late; staffing gap in the east team since March."},
        {"Initial child protection conferences", RAG_AMBER, "Improving"},
        {"Visits within timescale", RAG_GREEN, NULL},
        {NULL, RAG_NONE, "No data this quarter"},
    };
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_rag_table("Timescales", rows, 4, CHART_SVG, &b, err, sizeof err), 0);
    assert_true(starts_with(&b, "<?xml"));
    assert_non_null(strstr(b.data, "<title>Timescales</title>"));
    assert_non_null(strstr(b.data, "Strategy meetings within 15 working days: Red (Eleven"));
    assert_non_null(strstr(b.data, "Initial child protection conferences: Amber (Improving)."));
    assert_non_null(strstr(b.data, "Visits within timescale: Green."));
    assert_non_null(strstr(b.data, "(no label): None (No data this quarter)."));
    /* The status fills: GDS red, orange, green, light grey. */
    assert_non_null(strstr(b.data, "rgb(83.137255%,20.784314%,10.980392%)"));
    assert_non_null(strstr(b.data, "rgb(0%,43.921569%,23.529412%)"));
    save("rag.svg", &b);
    buf_release(&b);

    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_rag_table("Timescales", rows, 4, CHART_PDF, &b, err, sizeof err), 0);
    assert_true(starts_with(&b, "%PDF-"));
    save("rag.pdf", &b);
    buf_release(&b);

    buf_init(&b, OUT_MAX);
    assert_int_equal(chart_rag_table("Empty", NULL, 0, CHART_SVG, &b, err, sizeof err), 0);
    assert_non_null(strstr(b.data, "Status table with 0 rows."));
    buf_release(&b);
}

static void test_rag_refused(void **state)
{
    (void)state;
    struct rag_row rows[] = {{"a", RAG_RED, NULL}, {"b", (enum rag)9, NULL}};
    struct buf b;
    buf_init(&b, OUT_MAX);
    char err[200] = "";
    assert_int_equal(chart_rag_table(NULL, rows, 1, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "title is missing"));
    assert_int_equal(chart_rag_table("T", rows, 2, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "rows[1].status 9"));
    assert_int_equal(chart_rag_table("T", NULL, 3, CHART_SVG, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "rows are missing"));
    assert_int_equal(chart_rag_table("T", rows, CHART_MAX_ROWS + 1, CHART_SVG, &b, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "201 rows"));
    assert_int_equal(b.len, 0);
    buf_release(&b);
    buf_init(&b, 500);
    assert_int_equal(chart_rag_table("T", rows, 1, CHART_PDF, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "larger than"));
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

/* The most rows, each with a long note: a tall table, drawn. */
static void test_rag_maximum(void **state)
{
    (void)state;
    static struct rag_row rows[CHART_MAX_ROWS];
    static char note[2000];
    for (size_t i = 0; i + 1 < sizeof note; i++)
        note[i] = (i % 9 == 8) ? ' ' : (char)('a' + i % 26);
    for (size_t i = 0; i < CHART_MAX_ROWS; i++)
        rows[i] = (struct rag_row){note, (enum rag)(i % 4), note};
    struct buf b;
    buf_init(&b, OUT_MAX * 4);
    char err[200] = "";
    assert_int_equal(chart_rag_table("Many", rows, CHART_MAX_ROWS, CHART_SVG, &b, err, sizeof err),
                     0);
    buf_release(&b);
}

/*
 * fontconfig (behind cairo's toy fonts) keeps a process-wide configuration
 * that it frees only in FcFini(), which cairo does not call and which would
 * need fontconfig linked here. Its reachable-at-exit remnant is not ours.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

static int teardown_all(void **state)
{
    (void)state;
    /* Frees cairo's font caches so the leak checker sees only our leaks. */
    cairo_debug_reset_static_data();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_svg),
        cmocka_unit_test(test_bar_pdf),
        cmocka_unit_test(test_grouped_and_line),
        cmocka_unit_test(test_line_gaps_and_reference),
        cmocka_unit_test(test_appends_after_existing),
        cmocka_unit_test(test_svg_deterministic),
        cmocka_unit_test(test_data_changes_output),
        cmocka_unit_test(test_all_zero_and_edges),
        cmocka_unit_test(test_maximum_chart),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_bad_input_refused),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_rag_table),
        cmocka_unit_test(test_rag_refused),
        cmocka_unit_test(test_rag_maximum),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
