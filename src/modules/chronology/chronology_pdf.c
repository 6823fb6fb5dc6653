/*
 * chronology_pdf.c — the chronology export for a strategy discussion or a
 * case conference: A4 pages drawn with cairo, marked OFFICIAL-SENSITIVE top
 * and bottom, "Page n of N" (drawn twice: once to count). The content is
 * exactly the JSON export's (chronology_get() or chronology_portal() for
 * the same viewer and filters), so the two formats never disagree; the
 * child's own words are set apart in bold so they are never buried.
 *
 * The page-drawing helpers follow referrals_export.c's; a shared document
 * helper (src/charts/) would remove the copy when a third report needs it.
 */
#include "auth/auth.h"
#include "core/buf.h"
#include "core/date.h"
#include "http/validate.h"
#include "modules/chronology/chronology.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W  595.0 /* A4 in points */
#define PAGE_H  842.0
#define MARGIN  56.0
#define TOP     (MARGIN + 22)
#define BOTTOM  (PAGE_H - MARGIN - 12)
#define TEXT_W  (PAGE_W - 2 * MARGIN)
#define LABEL_W 118.0
#define BODY_PT 9.5
#define LINE_PT 13.0
#define FACE    "sans-serif"
#define MARKING "OFFICIAL-SENSITIVE"

struct doc {
    cairo_t *cr;
    double y;       /* the next baseline */
    int page;       /* 1-based, the page being drawn */
    int pages;      /* the total, known on the second pass (0 on the first) */
    char foot[200]; /* the footer's left text */
};

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t write_nothing(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure;
    (void)data;
    (void)len;
    return CAIRO_STATUS_SUCCESS;
}

static void font(struct doc *d, double size, bool bold)
{
    cairo_select_font_face(d->cr, FACE, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(d->cr, size);
    cairo_set_source_rgb(d->cr, 0x0b / 255.0, 0x0c / 255.0, 0x0c / 255.0);
}

static double width_of(struct doc *d, const char *s, size_t n)
{
    char t[1024];
    if (n >= sizeof(t))
        n = sizeof(t) - 1;
    memcpy(t, s, n);
    t[n] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(d->cr, t, &e);
    return e.x_advance;
}

static void show(struct doc *d, double x, double y, const char *s, size_t n)
{
    char t[1024];
    if (n >= sizeof(t))
        n = sizeof(t) - 1;
    memcpy(t, s, n);
    t[n] = '\0';
    cairo_move_to(d->cr, x, y);
    cairo_show_text(d->cr, t);
}

/* The marking at the top and bottom of every page, and the page number. */
static void furniture(struct doc *d)
{
    font(d, 10, true);
    double w = width_of(d, MARKING, strlen(MARKING));
    show(d, (PAGE_W - w) / 2, MARGIN - 16, MARKING, strlen(MARKING));
    show(d, (PAGE_W - w) / 2, PAGE_H - MARGIN + 20, MARKING, strlen(MARKING));
    font(d, 8, false);
    show(d, MARGIN, PAGE_H - MARGIN + 6, d->foot, strlen(d->foot));
    char n[48];
    if (d->pages)
        snprintf(n, sizeof(n), "Page %d of %d", d->page, d->pages);
    else
        snprintf(n, sizeof(n), "Page %d", d->page);
    show(d, PAGE_W - MARGIN - width_of(d, n, strlen(n)), PAGE_H - MARGIN + 6, n, strlen(n));
}

static void new_page(struct doc *d)
{
    cairo_show_page(d->cr);
    d->page++;
    furniture(d);
    d->y = TOP;
}

/* Room for h more points on this page, else a new one. */
static void need(struct doc *d, double h)
{
    if (d->y + h > BOTTOM)
        new_page(d);
}

/* The length of the longest prefix of s[0..n) (at a UTF-8 boundary) that
 * fits in width; at least one character. */
static size_t fit(struct doc *d, const char *s, size_t n, double width)
{
    size_t best = 0, i = 0;
    while (i < n) {
        size_t next = i + 1;
        while (next < n && ((unsigned char)s[next] & 0xc0) == 0x80)
            next++;
        if (best && width_of(d, s, next) > width)
            break;
        best = next;
        i = next;
    }
    return best;
}

/* Draws text wrapped to width from x, one line every lh, breaking pages
 * between lines; newlines start new lines; control characters are spaces. */
static void wrap(struct doc *d, double x, double width, double lh, const char *text)
{
    if (!text || !*text)
        text = "-";
    char *t = strdup(text);
    if (!t)
        return;
    for (char *c = t; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\n')
            *c = ' ';
    for (char *para = t, *next; para; para = next) {
        next = strchr(para, '\n');
        if (next)
            *next++ = '\0';
        const char *p = para;
        size_t len = strlen(p);
        if (!len) {
            d->y += lh / 2; /* a blank line between paragraphs */
            continue;
        }
        while (len) {
            while (len && *p == ' ')
                p++, len--;
            if (!len)
                break;
            /* The most words that fit, else as much of one word as fits. */
            size_t take = 0, i = 0;
            while (i <= len) {
                size_t end = i;
                while (end < len && p[end] != ' ')
                    end++;
                if (take && width_of(d, p, end) > width)
                    break;
                if (!take && width_of(d, p, end) > width) {
                    take = fit(d, p, end, width);
                    break;
                }
                take = end;
                i = end + 1;
            }
            need(d, lh);
            show(d, x, d->y, p, take);
            d->y += lh;
            p += take;
            len -= take;
        }
    }
    free(t);
}

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

/* "2026-06-01T12:00:00Z" → "1 June 2026, 13:00" (UK time), as pages show it;
 * "2014-03-09" → "9 March 2014"; anything else as it is. */
static const char *when(const char *s, char *out, size_t cap)
{
    int64_t t;
    struct civil_date cd;
    if (!s)
        return "-";
    if (strlen(s) > 10 && ts_parse(s, &t) == 0) {
        int64_t local = ts_uk_local(t);
        cd = date_of_ts(local);
        int64_t secs = local - date_to_days(&cd) * 86400;
        snprintf(out, cap, "%d %s %d, %02d:%02d", cd.day, months[cd.month - 1], cd.year,
                 (int)(secs / 3600), (int)(secs / 60 % 60));
        return out;
    }
    if (date_parse(s, &cd) == 0) {
        snprintf(out, cap, "%d %s %d", cd.day, months[cd.month - 1], cd.year);
        return out;
    }
    return s;
}

/* "child_protection_plan" → "Child protection plan". */
static const char *humanise(const char *s, char *out, size_t cap)
{
    if (!s)
        return "-";
    snprintf(out, cap, "%s", s);
    for (char *c = out; *c; c++)
        if (*c == '_')
            *c = ' ';
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return out;
}

static void heading(struct doc *d, double size, const char *s)
{
    need(d, size * 3);
    d->y += size * 0.9;
    font(d, size, true);
    wrap(d, MARGIN, TEXT_W, size * 1.3, s);
    d->y += size * 0.2;
}

/* A label and its value, the value wrapped beside the label. */
static void row(struct doc *d, const char *label, const char *value, bool bold)
{
    need(d, LINE_PT);
    double y0 = d->y;
    font(d, BODY_PT, true);
    show(d, MARGIN, d->y, label, strlen(label));
    font(d, BODY_PT, bold);
    wrap(d, MARGIN + LABEL_W, TEXT_W - LABEL_W, LINE_PT, value);
    if (d->y < y0 + LINE_PT)
        d->y = y0 + LINE_PT;
    d->y += 3;
}

static void para(struct doc *d, const char *text)
{
    font(d, BODY_PT, false);
    wrap(d, MARGIN, TEXT_W, LINE_PT, text);
}

static void draw_summary(struct doc *d, const json_t *sum)
{
    char t[800], w[64], h[160];
    size_t i;
    const json_t *v;
    heading(d, 13, "Risk summary (from the records)");
    t[0] = '\0';
    json_array_foreach(json_object_get(sum, "flags"), i, v)
    {
        size_t n = strlen(t);
        snprintf(t + n, sizeof(t) - n, "%s%s since %s%s%s%s", n ? "; " : "",
                 humanise(jstr(v, "flag"), h, sizeof(h)), when(jstr(v, "since"), w, sizeof(w)),
                 jstr(v, "local_authority") ? " (" : "",
                 jstr(v, "local_authority") ? jstr(v, "local_authority") : "",
                 jstr(v, "local_authority") ? ")" : "");
    }
    row(d, "Flags", t[0] ? t : "None in force", false);
    t[0] = '\0';
    json_array_foreach(json_object_get(sum, "now"), i, v)
    {
        size_t n = strlen(t);
        snprintf(t + n, sizeof(t) - n, "%s%s: %s for %s%s%s", n ? "; " : "", jstr(v, "label"),
                 jstr(v, "reference"), jstr(v, "time_in_state"), jstr(v, "risk") ? ", risk " : "",
                 jstr(v, "risk") ? jstr(v, "risk") : "");
    }
    row(d, "Now", t[0] ? t : "Not missing, not in police protection", false);
    t[0] = '\0';
    json_array_foreach(json_object_get(sum, "open_investigations"), i, v)
    {
        size_t n = strlen(t);
        snprintf(t + n, sizeof(t) - n, "%s%s (%s, %s)", n ? "; " : "", jstr(v, "reference"),
                 humanise(jstr(v, "category"), h, sizeof(h)), jstr(v, "status"));
    }
    row(d, "Open investigations", t[0] ? t : "None", false);
    t[0] = '\0';
    json_array_foreach(json_object_get(sum, "exploitation"), i, v)
    {
        size_t n = strlen(t);
        snprintf(t + n, sizeof(t) - n, "%s%s (%s)", n ? "; " : "", jstr(v, "indicator"),
                 jstr(v, "reference"));
    }
    row(d, "Exploitation indicators", t[0] ? t : "None recorded", false);
    t[0] = '\0';
    json_array_foreach(json_object_get(sum, "counts"), i, v)
    {
        size_t n = strlen(t);
        snprintf(t + n, sizeof(t) - n, "%s%s %lld / %lld", n ? "; " : "", jstr(v, "label"),
                 (long long)json_integer_value(json_object_get(v, "last_28_days")),
                 (long long)json_integer_value(json_object_get(v, "last_90_days")));
    }
    row(d, "Events, 28 / 90 days", t, false);
    json_array_foreach(json_object_get(sum, "open_tasks"), i, v)
    {
        snprintf(t, sizeof(t), "%s%s", jstr(v, "title"),
                 json_is_true(json_object_get(v, "overdue")) ? " (OVERDUE)" : "");
        row(d, when(jstr(v, "due_at"), w, sizeof(w)), t, false);
    }
}

static void draw_connections(struct doc *d, const json_t *conns)
{
    char t[1200], w[64];
    size_t i, k;
    const json_t *v, *l;
    heading(d, 13, "Connections");
    if (!json_array_size(conns))
        para(d, "No one is linked to the child in the records.");
    json_array_foreach(conns, i, v)
    {
        t[0] = '\0';
        json_array_foreach(json_object_get(v, "links"), k, l)
        {
            size_t n = strlen(t);
            snprintf(t + n, sizeof(t) - n, "%s%s (%s, since %s)", n ? "; " : "", jstr(l, "how"),
                     jstr(l, "reference") ? jstr(l, "reference") : "-",
                     when(jstr(l, "since"), w, sizeof(w)));
        }
        row(d, jstr(v, "name") ? jstr(v, "name") : "Restricted record", t, false);
    }
}

static int draw(struct doc *d, const json_t *c, const struct user *u, int64_t now)
{
    char t[1200], w1[64], w2[64];
    const json_t *p = json_object_get(c, "person"), *f = json_object_get(c, "filters");
    d->page = 1;
    furniture(d);
    d->y = TOP;
    font(d, 20, true);
    snprintf(t, sizeof(t), "Chronology: %s %s", jstr(p, "given_name"), jstr(p, "family_name"));
    wrap(d, MARGIN, TEXT_W, 26, t);
    font(d, 11, false);
    snprintf(t, sizeof(t), "Born %s. Person %lld.",
             jstr(p, "dob") ? when(jstr(p, "dob"), w1, sizeof(w1)) : "(not known)",
             (long long)json_integer_value(json_object_get(p, "id")));
    wrap(d, MARGIN, TEXT_W, 15, t);
    font(d, 9, false);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    snprintf(t, sizeof(t),
             "Exported %s by %s%s%s. Areas: %s; period: %s to %s; %lld entries. Handle as "
             "OFFICIAL-SENSITIVE: it is about a child.",
             when(ts, w1, sizeof(w1)), u ? u->display_name : "-", jstr(c, "agency") ? " for " : "",
             jstr(c, "agency") ? jstr(c, "agency") : "", jstr(f, "area") ? jstr(f, "area") : "all",
             jstr(f, "from") ? jstr(f, "from") : "the start",
             jstr(f, "to") ? when(jstr(f, "to"), w2, sizeof(w2)) : "now",
             (long long)json_integer_value(json_object_get(c, "total")));
    wrap(d, MARGIN, TEXT_W, 13, t);
    d->y += 6;
    if (json_object_get(c, "summary"))
        draw_summary(d, json_object_get(c, "summary"));
    heading(d, 13, "Chronology, newest first");
    size_t i;
    const json_t *v;
    if (!json_array_size(json_object_get(c, "entries")))
        para(d, "Nothing in this period.");
    json_array_foreach(json_object_get(c, "entries"), i, v)
    {
        snprintf(t, sizeof(t), "%s. %s%s%s%s%s", jstr(v, "area_label"),
                 jstr(v, "reference") ? jstr(v, "reference") : "", jstr(v, "reference") ? ": " : "",
                 jstr(v, "summary") ? jstr(v, "summary") : "", jstr(v, "risk") ? ". Risk: " : "",
                 jstr(v, "risk") ? jstr(v, "risk") : "");
        row(d, when(jstr(v, "at"), w1, sizeof(w1)), t, false);
        if (jstr(v, "words")) {
            snprintf(t, sizeof(t), "In the child's own words: \"%s\"", jstr(v, "words"));
            row(d, "", t, true);
        }
    }
    if (json_object_get(c, "connections"))
        draw_connections(d, json_object_get(c, "connections"));
    cairo_show_page(d->cr);
    return d->page;
}

static int render(cairo_write_func_t fn, void *closure, const json_t *c, const struct user *u,
                  int64_t now, int pages, char *why, size_t whylen)
{
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(fn, closure, PAGE_W, PAGE_H);
    const json_t *p = json_object_get(c, "person");
    char title[300];
    snprintf(title, sizeof(title), "Chronology: %s %s", jstr(p, "given_name"),
             jstr(p, "family_name"));
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct doc d = {.cr = cr, .pages = pages};
    snprintf(d.foot, sizeof(d.foot), "Chronology of person %lld",
             (long long)json_integer_value(json_object_get(p, "id")));
    int n = draw(&d, c, u, now);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(why, whylen, "%s", cairo_status_to_string(st));
        return -1;
    }
    return n;
}

int chronology_pdf(const json_t *chron, const struct user *u, int64_t now, struct buf *out,
                   struct domain_error *err)
{
    assert(chron && out && err);
    char why[120] = "";
    size_t len0 = out->len;
    /* Once to count the pages ("Page 1 of N"), once to write them. */
    int pages = render(write_nothing, NULL, chron, u, now, 0, why, sizeof(why));
    if (pages > 0)
        pages = render(write_buf, out, chron, u, now, pages, why, sizeof(why));
    if (pages < 0 || out->overflowed) {
        out->len = len0;
        return domain_fail(err, 500, "print_failed", NULL, "the chronology could not be drawn: %s",
                           why[0] ? why : "too large");
    }
    return pages;
}
