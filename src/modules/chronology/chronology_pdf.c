/*
 * chronology_pdf.c — the chronology export for a strategy discussion or a
 * case conference: A4 pages drawn with cairo, marked OFFICIAL-SENSITIVE top
 * and bottom, "Page n of N" (drawn twice: once to count). The content is
 * exactly the JSON export's (chronology_get() or chronology_portal() for
 * the same viewer and filters), so the two formats never disagree; the
 * child's own words are set apart in bold so they are never buried.
 * Pages, marking and wrapping: src/charts/pdf_doc.c, shared with the
 * referral copy.
 */
#include "auth/auth.h"
#include "charts/pdf_doc.h"
#include "charts/pdf_page.h"
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

/* This document's layout on pdf_doc.h's A4 pages. */
#define LABEL_W 118.0
#define BODY_PT 9.5
#define LINE_PT 13.0

static void heading(struct pdf_doc *d, double size, const char *s)
{
    pdf_doc_need(d, size * 3);
    d->y += size * 0.9;
    pdf_doc_font(d, size, true);
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, size * 1.3, s);
    d->y += size * 0.2;
}

/* A label and its value, the value wrapped beside the label. */
static void row(struct pdf_doc *d, const char *label, const char *value, bool bold)
{
    pdf_doc_need(d, LINE_PT);
    double y0 = d->y;
    pdf_doc_font(d, BODY_PT, true);
    pdf_doc_show(d, PDF_DOC_MARGIN, d->y, label, strlen(label));
    pdf_doc_font(d, BODY_PT, bold);
    pdf_doc_wrap(d, PDF_DOC_MARGIN + LABEL_W, PDF_DOC_TEXT_W - LABEL_W, LINE_PT, value);
    if (d->y < y0 + LINE_PT)
        d->y = y0 + LINE_PT;
    d->y += 3;
}

static void para(struct pdf_doc *d, const char *text)
{
    pdf_doc_font(d, BODY_PT, false);
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, LINE_PT, text);
}

static void draw_summary(struct pdf_doc *d, const json_t *sum)
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
                 pdf_humanise(jstr(v, "flag"), h, sizeof(h)),
                 pdf_when(jstr(v, "since"), w, sizeof(w)), jstr(v, "local_authority") ? " (" : "",
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
                 pdf_humanise(jstr(v, "category"), h, sizeof(h)), jstr(v, "status"));
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
        row(d, pdf_when(jstr(v, "due_at"), w, sizeof(w)), t, false);
    }
}

static void draw_connections(struct pdf_doc *d, const json_t *conns)
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
                     pdf_when(jstr(l, "since"), w, sizeof(w)));
        }
        row(d, jstr(v, "name") ? jstr(v, "name") : "Restricted record", t, false);
    }
}

static int draw(struct pdf_doc *d, const json_t *c, const struct user *u, int64_t now)
{
    char t[1200], w1[64], w2[64];
    const json_t *p = json_object_get(c, "person"), *f = json_object_get(c, "filters");
    d->page = 1;
    pdf_doc_furniture(d);
    d->y = PDF_DOC_TOP;
    pdf_doc_font(d, 20, true);
    snprintf(t, sizeof(t), "Chronology: %s %s", jstr(p, "given_name"), jstr(p, "family_name"));
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, 26, t);
    pdf_doc_font(d, 11, false);
    snprintf(t, sizeof(t), "Born %s. Person %lld.",
             jstr(p, "dob") ? pdf_when(jstr(p, "dob"), w1, sizeof(w1)) : "(not known)",
             (long long)json_integer_value(json_object_get(p, "id")));
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, 15, t);
    pdf_doc_font(d, 9, false);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    snprintf(t, sizeof(t),
             "Exported %s by %s%s%s. Areas: %s; period: %s to %s; %lld entries. Handle as "
             "OFFICIAL-SENSITIVE: it is about a child.",
             pdf_when(ts, w1, sizeof(w1)), u ? u->display_name : "-",
             jstr(c, "agency") ? " for " : "", jstr(c, "agency") ? jstr(c, "agency") : "",
             jstr(f, "area") ? jstr(f, "area") : "all",
             jstr(f, "from") ? jstr(f, "from") : "the start",
             jstr(f, "to") ? pdf_when(jstr(f, "to"), w2, sizeof(w2)) : "now",
             (long long)json_integer_value(json_object_get(c, "total")));
    pdf_doc_wrap(d, PDF_DOC_MARGIN, PDF_DOC_TEXT_W, 13, t);
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
        row(d, pdf_when(jstr(v, "at"), w1, sizeof(w1)), t, false);
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
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(fn, closure, PDF_DOC_W, PDF_DOC_H);
    const json_t *p = json_object_get(c, "person");
    char title[300];
    snprintf(title, sizeof(title), "Chronology: %s %s", jstr(p, "given_name"),
             jstr(p, "family_name"));
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct pdf_doc d = {.cr = cr, .pages = pages};
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
    int pages = render(pdf_write_nothing, NULL, chron, u, now, 0, why, sizeof(why));
    if (pages > 0)
        pages = render(pdf_write_buf, out, chron, u, now, pages, why, sizeof(why));
    if (pages < 0 || out->overflowed) {
        out->len = len0;
        return domain_fail(err, 500, "print_failed", NULL, "the chronology could not be drawn: %s",
                           why[0] ? why : "too large");
    }
    return pages;
}
