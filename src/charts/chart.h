/*
 * chart.h — bar charts, line charts and RAG status tables drawn with cairo,
 * as SVG (served to pages as image/svg+xml) or PDF (for the board's report
 * pack).
 *
 * The look follows GOV.UK: the GDS palette, a sans-serif face, ~16px labels,
 * black text on white, the title drawn at the top. Colour is never the only
 * carrier of meaning: bars carry their value as text, series are told apart
 * by hatching (bars) or marker shape (lines) as well as colour and named in a
 * legend, and RAG statuses are written as words.
 *
 * Invariants and contracts shared by every function here:
 *   - Input is validated before anything is drawn; bad input returns -1 with
 *     a message in err naming the problem ("series[1].values[3] is not a
 *     finite number"). err may be NULL or errlen 0 when the caller does not
 *     want the message; otherwise it is always NUL-terminated.
 *   - Output is appended to out, a struct buf whose maximum bounds the drawing
 *     (a chart larger than out->max - out->len fails with -1). On any failure
 *     out is left exactly as it was; on success the caller still owns out and
 *     releases it with buf_release().
 *   - Strings (title, labels, names, notes) are borrowed for the call only.
 *     They may hold any bytes: invalid UTF-8 and control characters are drawn
 *     as '?' and long text is cut with an ellipsis to fit its space.
 *   - SVG output carries the title as <title> and role="img", and a <desc>
 *     listing the data in words, because cairo draws text as glyph outlines
 *     that a screen reader cannot read. PDF output carries the title as
 *     document metadata.
 *   - Output is deterministic for SVG (same input, same fonts: same bytes),
 *     so it can be cached and compared. PDF embeds a creation date.
 */
#ifndef SG_CHART_H
#define SG_CHART_H

#include <math.h>
#include <stddef.h>

struct buf;

#define CHART_MAX_SERIES     6
#define CHART_MAX_CATEGORIES 200
#define CHART_MAX_ROWS       200  /* RAG table rows */
#define CHART_VALUE_MAX      1e15 /* past this, labels lose whole units */
#define CHART_DEFAULT_WIDTH  640
#define CHART_DEFAULT_HEIGHT 360
#define CHART_MIN_SIDE       200 /* width and height, when not 0 */
#define CHART_MAX_SIDE       4000

enum chart_format { CHART_SVG, CHART_PDF };
enum rag { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_NONE };

/* A line chart's "no value here" (a month with no cases, or one whose counts
 * are suppressed): the line breaks, the point is marked with a dash and the
 * description says "no data". Bar charts refuse it. */
#define CHART_GAP NAN

struct chart_series {
    const char *name;     /* legend text; NULL draws "Series N" */
    const double *values; /* count values, each finite, 0..CHART_VALUE_MAX,
                             or CHART_GAP in a line chart */
    size_t count;         /* must equal the chart's ncategories */
};

struct chart {
    const char *title;             /* required, not empty */
    const char *x_label, *y_label; /* optional (NULL or "") */
    const char *const *categories; /* x-axis labels; entries may be NULL */
    size_t ncategories;            /* 1..CHART_MAX_CATEGORIES */
    const struct chart_series *series;
    size_t nseries;              /* 1..CHART_MAX_SERIES */
    int width, height;           /* points (SVG px); 0 means 640x360,
                                    else CHART_MIN_SIDE..CHART_MAX_SIDE */
    double y_max;                /* 0: the axis fits the data; else it reaches at least
                                    this (100 for percentages), 0..CHART_VALUE_MAX */
    const char *reference_label; /* NULL: none; else a dashed line at
                                    reference, labelled at its right end
                                    (e.g. "Target 95%") */
    double reference;            /* finite, 0..CHART_VALUE_MAX when labelled */
};

/*
 * Draws a vertical bar chart, grouped when nseries > 1, on a y axis from 0 to
 * a round maximum at or above the largest value with ticks in steps of
 * 1, 2 or 5 x 10^n (0..1 when every value is 0). Each bar has its value
 * printed above it when there is room at 10px or more. Refuses (-1): a NULL
 * chart or title, an empty title, no categories or more than
 * CHART_MAX_CATEGORIES, no series or more than CHART_MAX_SERIES, a series
 * whose count differs from ncategories, a NaN, infinite, negative or
 * larger-than-CHART_VALUE_MAX value, a width or height out of range, a chart
 * too small for its labels, output past out's maximum, and cairo failures.
 */
int chart_bar(const struct chart *c, enum chart_format fmt, struct buf *out, char *err,
              size_t errlen);

/*
 * Draws a line chart on the same axes as chart_bar: one line per series
 * through a point per category, each series with its own marker shape
 * (circle, square, triangle, diamond, inverted triangle, cross) and a legend
 * when nseries > 1. With a single series each point has its value printed
 * above it when there is room. Refuses the same input as chart_bar.
 */
int chart_line(const struct chart *c, enum chart_format fmt, struct buf *out, char *err,
               size_t errlen);

struct rag_row {
    const char *label; /* NULL draws as empty */
    enum rag status;
    const char *note; /* optional; wrapped to at most three lines */
};

/*
 * Draws a table of rows (label, status, note) with the status written as a
 * word, Red, Amber, Green or None, in a cell of that colour. The table is
 * CHART_DEFAULT_WIDTH wide and as tall as its rows need; with no rows it says
 * "Nothing to show". Refuses (-1): a NULL or empty title, rows NULL when
 * nrows > 0, more than CHART_MAX_ROWS rows, a status outside enum rag,
 * output past out's maximum, and cairo failures.
 */
int chart_rag_table(const char *title, const struct rag_row *rows, size_t nrows,
                    enum chart_format fmt, struct buf *out, char *err, size_t errlen);

/* Frees the font caches cairo and fontconfig keep for the life of the
 * process, so leak checkers see a clean exit. Call once, at shutdown, after
 * the last chart. */
void chart_shutdown(void);

#endif
