/*
 * assurance_export.c — every measure's monthly series, as CSV for the
 * force's analysts and as an SVG trend chart for the pages.
 *
 * Both are built from assurance_measure_eval(), month by month, so a figure
 * in the CSV, on a chart and on a page is the same figure, suppressed the
 * same way for the same viewer.
 */
#include "modules/assurance/assurance.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "charts/chart.h"
#include "core/buf.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool aggregate_only(const struct user *u)
{
    return !u || !permset_has(&u->perms, PERM_ASSURANCE_WRITE);
}

/* The month `i` months after first (a YYYY-MM-01 period), as a period. */
static void month_after(const struct assurance_period *first, int i, struct assurance_period *out)
{
    struct civil_date d;
    date_parse(first->from, &d);
    char text[16];
    struct civil_date m = assurance_due_on(d, i);
    snprintf(text, sizeof(text), "%04d-%02d", m.year % 10000, m.month % 100);
    assurance_month(text, out);
    out->area = first->area;
}

/* One CSV field: quoted when it holds a comma, quote or line break; a text
 * starting with = + - @ (which a spreadsheet would run as a formula) gets a
 * leading apostrophe. */
static void csv_field(struct buf *b, const char *v, bool last)
{
    if (!v)
        v = "";
    bool quote = strpbrk(v, ",\"\r\n") != NULL;
    bool formula = *v == '=' || *v == '+' || *v == '-' || *v == '@';
    if (quote)
        buf_putc(b, '"');
    if (formula)
        buf_putc(b, '\'');
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote)
        buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}

/* A count or percent from an evaluated measure: a number, the suppression
 * text, or empty for none. */
static void csv_value(struct buf *b, const json_t *v, bool last)
{
    char t[64] = "";
    if (json_is_integer(v))
        snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(t, sizeof(t), "%.1f", json_real_value(v));
    else if (json_is_string(v))
        snprintf(t, sizeof(t), "%s", json_string_value(v));
    csv_field(b, t, last);
}

int assurance_measures_csv(struct store *s, const struct assurance_period *first, int months,
                           const struct user *u, struct buf *out)
{
    assert(s && first && out && months >= 1);
    bool suppress = aggregate_only(u);
    buf_puts(out, "recommendation,measure,title,month,area,numerator,denominator,percent,rag,"
                  "target,green_at,amber_at\r\n");
    for (int k = 0; k < assurance_measure_count; k++) {
        const struct assurance_measure *m = &assurance_measures[k];
        for (int i = 0; i < months; i++) {
            struct assurance_period mp;
            month_after(first, i, &mp);
            json_t *e = assurance_measure_eval(s, m, &mp, suppress);
            if (!e)
                return -1;
            char num[32];
            snprintf(num, sizeof(num), "%d", m->recommendation);
            csv_field(out, num, false);
            csv_field(out, m->key, false);
            csv_field(out, m->title, false);
            snprintf(num, sizeof(num), "%.7s", mp.from);
            csv_field(out, num, false);
            csv_field(out, mp.area ? mp.area : "all", false);
            csv_value(out, json_object_get(e, "numerator"), false);
            csv_value(out, json_object_get(e, "denominator"), false);
            csv_value(out, json_object_get(e, "percent"), false);
            csv_value(out, json_object_get(e, "rag"), false);
            snprintf(num, sizeof(num), "%g", m->target);
            csv_field(out, num, false);
            snprintf(num, sizeof(num), "%g", m->green_at);
            csv_field(out, num, false);
            snprintf(num, sizeof(num), "%g", m->amber_at);
            csv_field(out, num, true);
            json_decref(e);
        }
    }
    return out->overflowed ? -1 : 0;
}

static const char *const MONTH_ABBR[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int assurance_trend_svg(struct store *s, const struct assurance_measure *m,
                        const struct assurance_period *first, int months, const struct user *u,
                        struct buf *out, char *err, size_t errlen)
{
    assert(s && m && first && out && months >= 1 && months <= ASSURANCE_TREND_MAX_MONTHS);
    bool suppress = aggregate_only(u);
    double values[ASSURANCE_TREND_MAX_MONTHS];
    char labels[ASSURANCE_TREND_MAX_MONTHS][16];
    const char *cats[ASSURANCE_TREND_MAX_MONTHS];
    for (int i = 0; i < months; i++) {
        struct assurance_period mp;
        month_after(first, i, &mp);
        json_t *e = assurance_measure_eval(s, m, &mp, suppress);
        if (!e) {
            snprintf(err, errlen, "the measure could not be counted");
            return -1;
        }
        /* No cases, or counts too small to show: a gap, never a zero. */
        const json_t *pct = json_object_get(e, "percent");
        values[i] = json_is_number(pct) ? json_number_value(pct) : CHART_GAP;
        json_decref(e);
        struct civil_date d;
        date_parse(mp.from, &d);
        snprintf(labels[i], sizeof(labels[i]), "%s %d", MONTH_ABBR[(d.month - 1) % 12],
                 d.year % 10000);
        cats[i] = labels[i];
    }
    char target[32];
    snprintf(target, sizeof(target), "Target %g%%", m->target);
    struct chart_series series = {.name = m->title, .values = values, .count = (size_t)months};
    struct chart c = {.title = m->title,
                      .y_label = "Percent",
                      .categories = cats,
                      .ncategories = (size_t)months,
                      .series = &series,
                      .nseries = 1,
                      .y_max = 100,
                      .reference_label = target,
                      .reference = m->target};
    return chart_line(&c, CHART_SVG, out, err, errlen);
}
