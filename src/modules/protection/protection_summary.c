/*
 * protection_summary.c — the one-page summary of a police protection case
 * for the designated officer and for children's social care: A4, drawn with
 * cairo, headed OFFICIAL-SENSITIVE. Always exactly one page: long text is
 * cut to the lines left for it and ends "(continued on the case record)".
 *
 * The content is protection_get()'s, for the same viewer, so the summary
 * never shows what the case page would not.
 */
#include "core/buf.h"
#include "modules/protection/protection.h"
#include "store/store.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W  595.0 /* A4 in points */
#define PAGE_H  842.0
#define MARGIN  50.0
#define BOTTOM  (PAGE_H - MARGIN - 14)
#define TEXT_W  (PAGE_W - 2 * MARGIN)
#define LABEL_W 165.0
#define BODY_PT 9.5
#define LINE_PT 12.5
#define FACE    "sans-serif"
#define MARKING "OFFICIAL-SENSITIVE"

struct page {
    cairo_t *cr;
    double y; /* the next baseline */
};

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void font(struct page *p, double size, bool bold)
{
    cairo_select_font_face(p->cr, FACE, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(p->cr, size);
    cairo_set_source_rgb(p->cr, 0x0b / 255.0, 0x0c / 255.0, 0x0c / 255.0);
}

static double width_of(struct page *p, const char *s, size_t n)
{
    char t[1024];
    if (n >= sizeof(t))
        n = sizeof(t) - 1;
    memcpy(t, s, n);
    t[n] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(p->cr, t, &e);
    return e.x_advance;
}

static void show(struct page *p, double x, double y, const char *s, size_t n)
{
    char t[1024];
    if (n >= sizeof(t))
        n = sizeof(t) - 1;
    memcpy(t, s, n);
    t[n] = '\0';
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, t);
}

/* Draws text wrapped to width from x, at most max_lines lines (and never
 * past BOTTOM); what does not fit is cut with a note. Control characters
 * are spaces; words longer than a line are cut at a UTF-8 boundary. */
static void wrap(struct page *p, double x, double width, int max_lines, const char *text)
{
    if (!text || !*text)
        text = "-";
    size_t len = strlen(text);
    const char *s = text;
    int lines = 0;
    while (len && lines < max_lines && p->y <= BOTTOM) {
        while (len && (*s == ' ' || (unsigned char)*s < 0x20))
            s++, len--;
        if (!len)
            break;
        size_t take = 0, i = 0;
        while (i <= len) {
            size_t end = i;
            while (end < len && s[end] != ' ' && (unsigned char)s[end] >= 0x20)
                end++;
            if (width_of(p, s, end) > width) {
                if (!take) { /* one long word: as much as fits */
                    size_t k = 0;
                    while (k < end) {
                        size_t nx = k + 1;
                        while (nx < end && ((unsigned char)s[nx] & 0xc0) == 0x80)
                            nx++;
                        if (k && width_of(p, s, nx) > width)
                            break;
                        k = nx;
                    }
                    take = k;
                }
                break;
            }
            take = end;
            if (end == len)
                break;
            i = end + 1;
        }
        if (!take)
            take = 1;
        bool last = lines + 1 == max_lines || p->y + LINE_PT > BOTTOM;
        if (last && take < len) {
            char cut[1200];
            snprintf(cut, sizeof(cut), "%.*s... (continued on the case record)",
                     (int)(take > 600 ? 600 : take), s);
            font(p, BODY_PT - 1, false);
            size_t n = strlen(cut);
            while (n > 1 && width_of(p, cut, n) > width)
                n--;
            show(p, x, p->y, cut, n);
            font(p, BODY_PT, false);
            p->y += LINE_PT;
            return;
        }
        show(p, x, p->y, s, take);
        p->y += LINE_PT;
        s += take;
        len -= take;
        lines++;
    }
}

static void heading(struct page *p, const char *s)
{
    p->y += 6;
    font(p, 12, true);
    show(p, MARGIN, p->y, s, strlen(s));
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, MARGIN, p->y + 4);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + 4);
    cairo_stroke(p->cr);
    p->y += LINE_PT + 4;
}

static void row(struct page *p, const char *label, const char *value, int max_lines)
{
    if (p->y > BOTTOM)
        return;
    double y0 = p->y;
    font(p, BODY_PT, true);
    show(p, MARGIN, p->y, label, strlen(label));
    font(p, BODY_PT, false);
    wrap(p, MARGIN + LABEL_W, TEXT_W - LABEL_W, max_lines, value);
    if (p->y < y0 + LINE_PT)
        p->y = y0 + LINE_PT;
    p->y += 2;
}

/* "2026-06-01T12:00:00Z" as "2026-06-01 12:00 UTC"; "-" for none. */
static const char *when(const json_t *o, const char *key, char *out, size_t cap)
{
    const char *v = jstr(o, key);
    if (!v)
        return "not recorded";
    snprintf(out, cap, "%.10s %.5s UTC", v, v + 11);
    return out;
}

static void draw(struct page *p, const json_t *c)
{
    char t[600], w1[40], w2[40];
    font(p, 10, true);
    double w = width_of(p, MARKING, strlen(MARKING));
    show(p, (PAGE_W - w) / 2, MARGIN - 20, MARKING, strlen(MARKING));
    show(p, (PAGE_W - w) / 2, PAGE_H - MARGIN + 24, MARKING, strlen(MARKING));
    p->y = MARGIN + 6;
    font(p, 17, true);
    snprintf(t, sizeof(t), "Police protection %s", jstr(c, "reference"));
    show(p, MARGIN, p->y, t, strlen(t));
    p->y += 18;
    font(p, BODY_PT, false);
    const char *intro = "Children Act 1989 s46. Summary for the designated officer and children's "
                        "social care. No child may be kept in police protection for more than 72 "
                        "hours.";
    wrap(p, MARGIN, TEXT_W, 2, intro);

    const json_t *person = json_object_get(c, "person");
    const json_t *clock = json_object_get(c, "clock");
    heading(p, "The child and the power");
    if (json_is_true(json_object_get(person, "restricted")))
        snprintf(t, sizeof(t), "Restricted record (person %lld)",
                 (long long)json_integer_value(json_object_get(person, "id")));
    else if (json_is_integer(json_object_get(person, "age_at_the_time")))
        snprintf(t, sizeof(t), "%s %s, aged %lld", jstr(person, "given_name"),
                 jstr(person, "family_name"),
                 (long long)json_integer_value(json_object_get(person, "age_at_the_time")));
    else
        snprintf(t, sizeof(t), "%s %s, age not known", jstr(person, "given_name"),
                 jstr(person, "family_name"));
    row(p, "Child", t, 1);
    snprintf(t, sizeof(t), "%s by %s",
             strcmp(jstr(c, "power"), "removed") == 0 ? "Removed to suitable accommodation"
                                                      : "Removal from a safe place prevented",
             jstr(c, "initiating_officer_name"));
    row(p, "Power used", t, 2);
    row(p, "When", when(c, "initiated_at", w1, sizeof(w1)), 1);
    snprintf(t, sizeof(t), "%s%s", when(c, "expires_at", w2, sizeof(w2)),
             json_is_true(json_object_get(clock, "expired")) ? "  - EXPIRED: release now" : "");
    row(p, "72 hours end", t, 1);
    row(p, "Incident", jstr(c, "incident_reference") ? jstr(c, "incident_reference") : "none", 1);
    row(p, "Circumstances", jstr(c, "circumstances"), 5);
    row(p, "Why the power was used", jstr(c, "grounds"), 5);

    heading(p, "Designated officer and place of safety");
    snprintf(t, sizeof(t), "%s (appointed %s)",
             jstr(c, "designated_officer_name") ? jstr(c, "designated_officer_name")
                                                : "NOT YET APPOINTED",
             when(c, "designated_at", w1, sizeof(w1)));
    row(p, "Designated officer", t, 2);
    snprintf(t, sizeof(t), "%s: %s (%s)",
             jstr(c, "place_kind") ? jstr(c, "place_kind") : "not recorded",
             jstr(c, "place_detail") ? jstr(c, "place_detail") : "-",
             when(c, "placed_at", w1, sizeof(w1)));
    row(p, "Place of safety", t, 2);
    if (jstr(c, "place_reason"))
        row(p, "Why a police station", jstr(c, "place_reason"), 3);

    heading(p, "Notifications");
    snprintf(t, sizeof(t), "%s%s%s", when(c, "la_informed_at", w1, sizeof(w1)),
             jstr(c, "la_detail") ? ": " : "", jstr(c, "la_detail") ? jstr(c, "la_detail") : "");
    row(p, "Local authority", t, 2);
    if (jstr(c, "parents_not_informed_reason"))
        snprintf(t, sizeof(t), "Not informed: %s", jstr(c, "parents_not_informed_reason"));
    else
        snprintf(t, sizeof(t), "%s%s%s", when(c, "parents_informed_at", w1, sizeof(w1)),
                 jstr(c, "parents_detail") ? ": " : "",
                 jstr(c, "parents_detail") ? jstr(c, "parents_detail") : "");
    row(p, "Parents / carers", t, 2);
    row(p, "Child told", when(c, "child_informed_at", w1, sizeof(w1)), 1);
    row(p, "The child's views", jstr(c, "child_views") ? jstr(c, "child_views") : "not recorded",
        5);

    heading(p, "Inquiry, order and release");
    snprintf(t, sizeof(t), "%s - decision: %s", when(c, "inquiry_at", w1, sizeof(w1)),
             jstr(c, "decision") ? jstr(c, "decision") : "none yet");
    row(p, "Designated officer's inquiry", t, 1);
    if (jstr(c, "inquiry_text"))
        row(p, "", jstr(c, "inquiry_text"), 4);
    row(p, "EPO applied for",
        json_is_true(json_object_get(c, "epo_sought")) ? when(c, "epo_sought_at", w1, sizeof(w1))
                                                       : "no",
        1);
    snprintf(t, sizeof(t), "%s%s%s", when(c, "released_at", w1, sizeof(w1)),
             jstr(c, "released_to") ? " to " : "",
             jstr(c, "released_to") ? jstr(c, "released_to") : "");
    row(p, "Released", t, 2);
    snprintf(t, sizeof(t), "%s in police protection",
             json_string_value(json_object_get(clock, "in_protection_for")));
    row(p, "Time", t, 1);

    const json_t *tasks = json_object_get(c, "tasks");
    if (json_array_size(tasks)) {
        heading(p, "Still to do");
        size_t i;
        const json_t *k;
        json_array_foreach(tasks, i, k)
        {
            if (p->y > BOTTOM - LINE_PT)
                break;
            snprintf(t, sizeof(t), "%s%s", jstr(k, "title"),
                     json_is_true(json_object_get(k, "overdue")) ? " (OVERDUE)" : "");
            row(p, when(k, "due_at", w1, sizeof(w1)), t, 1);
        }
    }
    font(p, 8, false);
    snprintf(t, sizeof(t), "%s - one page summary; the case record holds the full timeline",
             jstr(c, "reference"));
    show(p, MARGIN, PAGE_H - MARGIN + 8, t, strlen(t));
    cairo_show_page(p->cr);
}

int protection_summary_pdf(struct store *s, int64_t id, const struct user *u, int64_t now,
                           struct buf *out, struct domain_error *err)
{
    assert(s && out && err);
    json_t *c = protection_get(s, id, u, now);
    if (!c)
        return domain_fail(err, 404, "not_found", NULL, "no police protection case with id %lld",
                           (long long)id);
    size_t len0 = out->len;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
    char title[80];
    snprintf(title, sizeof(title), "Police protection %s", jstr(c, "reference"));
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct page p = {.cr = cr};
    draw(&p, c);
    json_decref(c);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS || out->overflowed) {
        out->len = len0;
        return domain_fail(err, 500, "print_failed", NULL, "the summary could not be drawn: %s",
                           st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "too large");
    }
    return 1;
}
