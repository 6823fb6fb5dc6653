/*
 * assurance_pack.c — the board pack as PDF (see assurance_pack.h): cairo
 * draws the text pages directly on a PDF surface; each measure's trend is a
 * small line chart drawn here as vectors on the same page.
 */
#include "modules/assurance/assurance_pack.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define PAGE_W           595.0
#define PAGE_H           842.0
#define MARGIN           56.0
#define BOTTOM           (PAGE_H - MARGIN)
#define TEXT_W           (PAGE_W - 2 * MARGIN)
#define BODY_PT          11.0
#define LINE_PT          15.0
#define CHART_H          62.0          /* a measure's trend chart */
#define ROW_H            (CHART_H + 6) /* a measure's row */
#define COMMENTARY_LINES 6
#define FACE             "sans-serif"

struct pack {
    cairo_t *cr;
    double y; /* the next baseline */
};

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void font(struct pack *k, double size, bool bold)
{
    cairo_select_font_face(k->cr, FACE, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(k->cr, size);
}

/* Text as printable ASCII: anything else (control characters, bytes of other
 * scripts that the toy font API might not draw) becomes '?'. */
static void clean(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; in && *in && n + 1 < cap; in++) {
        unsigned char ch = (unsigned char)*in;
        out[n++] = ch == '\n' || ch == '\r' || ch == '\t' ? ' '
                   : ch >= 0x20 && ch < 0x7f              ? (char)ch
                                                          : '?';
    }
    out[n] = '\0';
}

static void text_at(struct pack *k, double x, double y, const char *s)
{
    char t[512];
    clean(s, t, sizeof(t));
    cairo_move_to(k->cr, x, y);
    cairo_show_text(k->cr, t);
}

static double text_width(struct pack *k, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(k->cr, s, &e);
    return e.x_advance;
}

/* Draws s wrapped to width from x at k->y, one line every lh; stops (with
 * an ellipsis) past max_y. */
static void wrap(struct pack *k, double x, double width, double lh, double max_y, const char *s)
{
    char t[4096], line[4096];
    clean(s, t, sizeof(t));
    size_t ln = 0;
    char *p = t;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t wl = strcspn(p, " ");
        char trial[4096];
        snprintf(trial, sizeof(trial), "%.*s%s%.*s", (int)ln, line, ln ? " " : "", (int)wl, p);
        if (ln && text_width(k, trial) > width) {
            if (k->y + lh > max_y) {
                snprintf(line + ln, sizeof(line) - ln, " ...");
                break;
            }
            text_at(k, x, k->y, line);
            k->y += lh;
            ln = 0;
            continue;
        }
        snprintf(line, sizeof(line), "%s", trial);
        ln = strlen(line);
        p += wl;
    }
    if (ln) {
        text_at(k, x, k->y, line);
        k->y += lh;
    }
}

static void rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
                         (hex & 255) / 255.0);
}

/* GDS palette for a RAG word; grey for "none" and "not enough data". */
static unsigned rag_colour(const char *rag)
{
    if (strcmp(rag, "green") == 0)
        return 0x00703c;
    if (strcmp(rag, "amber") == 0)
        return 0xf47738;
    if (strcmp(rag, "red") == 0)
        return 0xd4351c;
    return 0x505a5f;
}

static const char *rag_word(const char *rag)
{
    if (strcmp(rag, "green") == 0)
        return "Green";
    if (strcmp(rag, "amber") == 0)
        return "Amber";
    if (strcmp(rag, "red") == 0)
        return "Red";
    if (strcmp(rag, "none") == 0)
        return "No data";
    return "Not enough data";
}

/* "12 of 40 (30.0%)", with suppressed counts written as the page writes them. */
static void value_text(const json_t *m, char *out, size_t cap)
{
    const json_t *num = json_object_get(m, "numerator"), *den = json_object_get(m, "denominator");
    char a[32], b[32];
    if (json_is_string(num))
        snprintf(a, sizeof(a), "%s", json_string_value(num));
    else
        snprintf(a, sizeof(a), "%lld", (long long)json_integer_value(num));
    if (json_is_string(den))
        snprintf(b, sizeof(b), "%s", json_string_value(den));
    else
        snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(den));
    const json_t *pct = json_object_get(m, "percent");
    if (json_is_number(pct))
        snprintf(out, cap, "%s of %s (%.1f%%)", a, b, json_number_value(pct));
    else
        snprintf(out, cap, "%s of %s", a, b);
}

static void heading(struct pack *k, double size, const char *s)
{
    font(k, size, true);
    rgb(k->cr, 0x0b0c0c);
    wrap(k, MARGIN, TEXT_W, size * 1.3, BOTTOM, s);
    k->y += size * 0.4;
}

/* The six-month trend of percent as a line chart in the box (x, top, w, h):
 * axis 0-100%, a marker per month with data, months without data (none or
 * suppressed) left as gaps and marked "-". */
static void trend_chart(struct pack *k, const json_t *trend, double target, double x, double top,
                        double w, double h)
{
    cairo_t *cr = k->cr;
    size_t n = json_array_size(trend);
    double left = x + 34, right = x + w - 8, bottom = top + h - 18;
    rgb(cr, 0x0b0c0c);
    font(k, 8, false);
    for (int v = 0; v <= 100; v += 50) {
        double yy = bottom - (bottom - top) * v / 100.0;
        char t[16];
        snprintf(t, sizeof(t), "%d%%", v);
        text_at(k, x, yy + 3, t);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(cr, 0.5);
        cairo_new_path(cr);
        cairo_move_to(cr, left, yy);
        cairo_line_to(cr, right, yy);
        cairo_stroke(cr);
        rgb(cr, 0x0b0c0c);
    }
    /* The target, dashed. */
    if (target >= 0 && target <= 100) {
        double yy = bottom - (bottom - top) * target / 100.0;
        double dash[] = {3, 2};
        cairo_new_path(cr);
        cairo_set_dash(cr, dash, 2, 0);
        rgb(cr, 0x505a5f);
        cairo_move_to(cr, left, yy);
        cairo_line_to(cr, right, yy);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        text_at(k, right - 40, yy - 2, "target");
    }
    if (n == 0)
        return;
    double step = n > 1 ? (right - left) / (double)(n - 1) : 0;
    bool pen = false;
    cairo_new_path(cr);
    rgb(cr, 0x1d70b8);
    cairo_set_line_width(cr, 1.5);
    for (size_t i = 0; i < n; i++) {
        const json_t *pt = json_array_get(trend, i);
        const json_t *pct = json_object_get(pt, "percent");
        double xx = n > 1 ? left + step * (double)i : (left + right) / 2;
        if (json_is_number(pct)) {
            double v = fmax(0, fmin(100, json_number_value(pct)));
            double yy = bottom - (bottom - top) * v / 100.0;
            if (pen)
                cairo_line_to(cr, xx, yy);
            else
                cairo_move_to(cr, xx, yy);
            pen = true;
        } else {
            if (pen)
                cairo_stroke(cr);
            pen = false;
        }
    }
    if (pen)
        cairo_stroke(cr);
    for (size_t i = 0; i < n; i++) {
        const json_t *pt = json_array_get(trend, i);
        const json_t *pct = json_object_get(pt, "percent");
        double xx = n > 1 ? left + step * (double)i : (left + right) / 2;
        rgb(cr, 0x0b0c0c);
        font(k, 8, false);
        const char *month = json_string_value(json_object_get(pt, "month"));
        static const char *const abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        int mo = month && strlen(month) >= 7 ? atoi(month + 5) : 0;
        const char *label = mo >= 1 && mo <= 12 ? abbr[mo - 1] : "";
        text_at(k, xx - text_width(k, label) / 2, top + h - 4, label);
        if (json_is_number(pct)) {
            double v = fmax(0, fmin(100, json_number_value(pct)));
            double yy = bottom - (bottom - top) * v / 100.0;
            rgb(cr, 0x1d70b8);
            cairo_new_path(cr);
            cairo_arc(cr, xx, yy, 2.5, 0, 2 * M_PI);
            cairo_fill(cr);
        } else {
            text_at(k, xx - 2, bottom - 4, "-");
        }
    }
}

static void cover(struct pack *k, const json_t *ov, const struct assurance_period *p, int64_t now)
{
    const json_t *recs = json_object_get(ov, "recommendations");
    const json_t *insp = json_object_get(json_array_get(recs, 0), "inspection");
    k->y = 240;
    heading(k, 28, "Force Assurance Board pack");
    k->y += 10;
    font(k, 14, false);
    char t[600];
    if (insp) {
        snprintf(t, sizeof(t), "%s: %s (%s), published %s",
                 json_string_value(json_object_get(insp, "body")),
                 json_string_value(json_object_get(insp, "title")),
                 json_string_value(json_object_get(insp, "force")),
                 json_string_value(json_object_get(insp, "published_on")));
        wrap(k, MARGIN, TEXT_W, 20, BOTTOM, t);
    } else {
        wrap(k, MARGIN, TEXT_W, 20, BOTTOM, "No inspection recorded.");
    }
    k->y += 10;
    snprintf(t, sizeof(t), "Period: %s to %s%s%s", p->from, p->to, p->area ? ", area " : "",
             p->area ? p->area : "");
    wrap(k, MARGIN, TEXT_W, 20, BOTTOM, t);
    char when[TS_TEXT_LEN];
    ts_format(now, when);
    snprintf(t, sizeof(t), "Generated: %.10s", when);
    wrap(k, MARGIN, TEXT_W, 20, BOTTOM, t);
    k->y += 20;
    font(k, BODY_PT, false);
    snprintf(t, sizeof(t), "Counts only: no person or incident is named in this pack.%s",
             json_is_true(json_object_get(ov, "aggregate_only")) ? " Counts below 5 are not shown."
                                                                 : "");
    wrap(k, MARGIN, TEXT_W, LINE_PT, BOTTOM, t);
}

static void contents(struct pack *k, const json_t *recs)
{
    k->y = MARGIN + 20;
    heading(k, 20, "Contents");
    size_t i;
    const json_t *r;
    json_array_foreach(recs, i, r)
    {
        char t[600];
        snprintf(t, sizeof(t), "%lld. %s",
                 (long long)json_integer_value(json_object_get(r, "number")),
                 json_string_value(json_object_get(r, "text")));
        font(k, BODY_PT, false);
        rgb(k->cr, 0x0b0c0c);
        double y0 = k->y;
        wrap(k, MARGIN, TEXT_W - 60, LINE_PT, BOTTOM - 40, t);
        char page[16];
        snprintf(page, sizeof(page), "page %zu", i + 3);
        text_at(k, PAGE_W - MARGIN - text_width(k, page), y0, page);
        k->y += 4;
        if (k->y > BOTTOM - 40)
            break;
    }
}

static const char *const STATUS_NAMES[][2] = {{"not_started", "Not started"},
                                              {"in_progress", "In progress"},
                                              {"complete", "Complete"},
                                              {"blocked", "Blocked"},
                                              {"total", "Total"}};

static void recommendation_page(struct pack *k, const json_t *r, const json_t *trended)
{
    char t[600];
    k->y = MARGIN + 10;
    snprintf(t, sizeof(t), "Recommendation %lld",
             (long long)json_integer_value(json_object_get(r, "number")));
    heading(k, 18, t);
    font(k, BODY_PT, false);
    rgb(k->cr, 0x0b0c0c);
    wrap(k, MARGIN, TEXT_W, LINE_PT, 300, json_string_value(json_object_get(r, "text")));
    k->y += 6;
    font(k, BODY_PT, true);
    snprintf(t, sizeof(t), "Due: %s (%s)", json_string_value(json_object_get(r, "due_on")),
             json_string_value(json_object_get(r, "timescale")));
    text_at(k, MARGIN, k->y, t);
    if (json_is_true(json_object_get(r, "overdue"))) {
        double x = MARGIN + text_width(k, t) + 10;
        rgb(k->cr, 0xd4351c);
        cairo_rectangle(k->cr, x, k->y - 11, text_width(k, "OVERDUE") + 10, 15);
        cairo_fill(k->cr);
        cairo_set_source_rgb(k->cr, 1, 1, 1);
        text_at(k, x + 5, k->y, "OVERDUE");
        rgb(k->cr, 0x0b0c0c);
    }
    k->y += LINE_PT + 10;

    /* The force's commentary for the month, bounded so the page stays one
     * page: the full text is on the recommendation's web page. */
    heading(k, 14, "Commentary");
    font(k, BODY_PT, false);
    rgb(k->cr, 0x0b0c0c);
    const json_t *cur = json_object_get(json_object_get(trended, "commentary"), "current");
    const char *text = json_string_value(json_object_get(cur, "text"));
    wrap(k, MARGIN, TEXT_W, LINE_PT, k->y + COMMENTARY_LINES * LINE_PT,
         text ? text : "No commentary has been written for this month.");
    k->y += 10;

    /* Actions by status. */
    heading(k, 14, "Actions by status");
    const json_t *counts = json_object_get(r, "actions_by_status");
    double x = MARGIN, cw = TEXT_W / 5;
    cairo_set_line_width(k->cr, 0.75);
    for (int i = 0; i < 5; i++) {
        rgb(k->cr, 0xf3f2f1);
        cairo_rectangle(k->cr, x + cw * i, k->y - 12, cw, 18);
        cairo_fill(k->cr);
        rgb(k->cr, 0x0b0c0c);
        cairo_rectangle(k->cr, x + cw * i, k->y - 12, cw, 36);
        cairo_stroke(k->cr);
        font(k, BODY_PT, true);
        text_at(k, x + cw * i + 5, k->y + 1, STATUS_NAMES[i][1]);
        font(k, BODY_PT, false);
        snprintf(t, sizeof(t), "%lld",
                 (long long)json_integer_value(json_object_get(counts, STATUS_NAMES[i][0])));
        text_at(k, x + cw * i + 5, k->y + 19, t);
    }
    k->y += 24 + 26;

    /* Measures with their trend. */
    heading(k, 14, "Measures");
    const json_t *measures = json_object_get(r, "measures");
    if (json_array_size(measures) == 0) {
        font(k, BODY_PT, false);
        wrap(k, MARGIN, TEXT_W, LINE_PT, BOTTOM, "No measures registered for this recommendation.");
        return;
    }
    /* One row per measure: its title, value, target and RAG on the left,
     * its six-month trend as a small chart on the right, so a
     * recommendation with five or six measures still fits its one page. */
    const double chart_w = 190, left_w = TEXT_W - chart_w - 14;
    size_t i;
    const json_t *m;
    json_array_foreach(measures, i, m)
    {
        if (k->y + ROW_H > BOTTOM) {
            font(k, BODY_PT, false);
            snprintf(t, sizeof(t), "%zu more measure(s): see the recommendation's web page.",
                     json_array_size(measures) - i);
            wrap(k, MARGIN, TEXT_W, LINE_PT, PAGE_H - 20, t);
            break;
        }
        double top = k->y - 10;
        font(k, BODY_PT, true);
        rgb(k->cr, 0x0b0c0c);
        wrap(k, MARGIN, left_w, 13, top + 36, json_string_value(json_object_get(m, "title")));
        font(k, 10, false);
        char v[160];
        value_text(m, v, sizeof(v));
        snprintf(t, sizeof(t), "%s; target %.0f%%", v,
                 json_number_value(json_object_get(m, "target")));
        wrap(k, MARGIN, left_w, 13, top + 60, t);
        const char *rag = json_string_value(json_object_get(m, "rag"));
        rag = rag ? rag : "none";
        const char *word = rag_word(rag);
        font(k, 10, true);
        double ww = text_width(k, word) + 10;
        rgb(k->cr, rag_colour(rag));
        cairo_rectangle(k->cr, MARGIN, k->y - 9, ww, 13);
        cairo_fill(k->cr);
        cairo_set_source_rgb(k->cr, 1, 1, 1);
        text_at(k, MARGIN + 5, k->y, word);
        /* The same measure on the trend copy of the recommendation. */
        const json_t *trend = NULL, *tm;
        size_t j;
        json_array_foreach(json_object_get(trended, "measures"), j, tm)
        {
            if (json_equal(json_object_get(tm, "key"), json_object_get(m, "key")))
                trend = json_object_get(tm, "trend");
        }
        trend_chart(k, trend, json_number_value(json_object_get(m, "target")),
                    MARGIN + TEXT_W - chart_w, top, chart_w, CHART_H);
        k->y = top + ROW_H + 10;
        /* A hairline between rows. */
        cairo_set_source_rgb(k->cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(k->cr, 0.5);
        cairo_new_path(k->cr);
        cairo_move_to(k->cr, MARGIN, k->y - 14);
        cairo_line_to(k->cr, MARGIN + TEXT_W, k->y - 14);
        cairo_stroke(k->cr);
    }
}

int assurance_board_pack(struct store *s, const struct assurance_period *p, const struct user *u,
                         int64_t now, struct buf *out, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen) {
        err = scratch;
        errlen = sizeof(scratch);
    }
    err[0] = '\0';
    json_t *ov = assurance_overview(s, p, u, now);
    if (!ov) {
        snprintf(err, errlen, "the recommendations could not be read");
        return -1;
    }
    /* The trend ends with the period's month (or this month, if sooner). */
    struct civil_date to;
    date_parse(p->to, &to);
    int64_t trend_now = (date_to_days(&to) + 1) * 86400 - 1;
    if (trend_now > now)
        trend_now = now;

    size_t len0 = out->len;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, "Force Assurance Board pack");
    cairo_t *cr = cairo_create(surf);
    struct pack k = {.cr = cr, .y = MARGIN};
    const json_t *recs = json_object_get(ov, "recommendations");
    int pages = 0;

    cover(&k, ov, p, now);
    cairo_show_page(cr);
    pages++;
    contents(&k, recs);
    cairo_show_page(cr);
    pages++;
    size_t i;
    const json_t *r;
    json_array_foreach(recs, i, r)
    {
        int64_t id = (int64_t)json_integer_value(json_object_get(r, "id"));
        json_t *trended = assurance_recommendation(s, id, p, u, trend_now);
        recommendation_page(&k, r, trended);
        json_decref(trended);
        cairo_show_page(cr);
        pages++;
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    json_decref(ov);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "the pack could not be drawn: %s", cairo_status_to_string(st));
        out->len = len0;
        return -1;
    }
    return pages;
}
