/*
 * protection_summary.c — the one-page summary of a police protection case
 * for the designated officer and for children's social care: A4, drawn with
 * cairo, headed OFFICIAL-SENSITIVE. Always exactly one page: long text is
 * cut to the lines left for it and ends "(continued on the case record)".
 *
 * The content is protection_get()'s, for the same viewer, so the summary
 * never shows what the case page would not.
 */
#include "charts/pdf_page.h"
#include "core/buf.h"
#include "modules/protection/protection.h"
#include "store/store.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2026-06-01T12:00:00Z" as "2026-06-01 12:00 UTC"; "-" for none. */
static const char *when(const json_t *o, const char *key, char *out, size_t cap)
{
    const char *v = jstr(o, key);
    if (!v)
        return "not recorded";
    snprintf(out, cap, "%.10s %.5s UTC", v, v + 11);
    return out;
}

static void draw(struct pdf_page *p, const json_t *c)
{
    char t[600], w1[40], w2[40];
    pdf_font(p, 10, true);
    double w = pdf_width(p, PDF_MARKING, strlen(PDF_MARKING));
    pdf_show(p, (PDF_PAGE_W - w) / 2, PDF_MARGIN - 20, PDF_MARKING, strlen(PDF_MARKING));
    pdf_show(p, (PDF_PAGE_W - w) / 2, PDF_PAGE_H - PDF_MARGIN + 24, PDF_MARKING,
             strlen(PDF_MARKING));
    p->y = PDF_MARGIN + 6;
    pdf_font(p, 17, true);
    snprintf(t, sizeof(t), "Police protection %s", jstr(c, "reference"));
    pdf_show(p, PDF_MARGIN, p->y, t, strlen(t));
    p->y += 18;
    pdf_font(p, PDF_BODY_PT, false);
    const char *intro = "Children Act 1989 s46. Summary for the designated officer and children's "
                        "social care. No child may be kept in police protection for more than 72 "
                        "hours.";
    pdf_wrap(p, PDF_MARGIN, PDF_TEXT_W, 2, intro);

    const json_t *person = json_object_get(c, "person");
    const json_t *clock = json_object_get(c, "clock");
    pdf_heading(p, "The child and the power");
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
    pdf_row(p, "Child", t, 1);
    snprintf(t, sizeof(t), "%s by %s",
             strcmp(jstr(c, "power"), "removed") == 0 ? "Removed to suitable accommodation"
                                                      : "Removal from a safe place prevented",
             jstr(c, "initiating_officer_name"));
    pdf_row(p, "Power used", t, 2);
    pdf_row(p, "When", when(c, "initiated_at", w1, sizeof(w1)), 1);
    snprintf(t, sizeof(t), "%s%s", when(c, "expires_at", w2, sizeof(w2)),
             json_is_true(json_object_get(clock, "expired")) ? "  - EXPIRED: release now" : "");
    pdf_row(p, "72 hours end", t, 1);
    pdf_row(p, "Incident", jstr(c, "incident_reference") ? jstr(c, "incident_reference") : "none",
            1);
    pdf_row(p, "Circumstances", jstr(c, "circumstances"), 5);
    pdf_row(p, "Why the power was used", jstr(c, "grounds"), 5);

    pdf_heading(p, "Designated officer and place of safety");
    snprintf(t, sizeof(t), "%s (appointed %s)",
             jstr(c, "designated_officer_name") ? jstr(c, "designated_officer_name")
                                                : "NOT YET APPOINTED",
             when(c, "designated_at", w1, sizeof(w1)));
    pdf_row(p, "Designated officer", t, 2);
    snprintf(t, sizeof(t), "%s: %s (%s)",
             jstr(c, "place_kind") ? jstr(c, "place_kind") : "not recorded",
             jstr(c, "place_detail") ? jstr(c, "place_detail") : "-",
             when(c, "placed_at", w1, sizeof(w1)));
    pdf_row(p, "Place of safety", t, 2);
    if (jstr(c, "place_reason"))
        pdf_row(p, "Why a police station", jstr(c, "place_reason"), 3);

    pdf_heading(p, "Notifications");
    snprintf(t, sizeof(t), "%s%s%s", when(c, "la_informed_at", w1, sizeof(w1)),
             jstr(c, "la_detail") ? ": " : "", jstr(c, "la_detail") ? jstr(c, "la_detail") : "");
    pdf_row(p, "Local authority", t, 2);
    if (jstr(c, "parents_not_informed_reason"))
        snprintf(t, sizeof(t), "Not informed: %s", jstr(c, "parents_not_informed_reason"));
    else
        snprintf(t, sizeof(t), "%s%s%s", when(c, "parents_informed_at", w1, sizeof(w1)),
                 jstr(c, "parents_detail") ? ": " : "",
                 jstr(c, "parents_detail") ? jstr(c, "parents_detail") : "");
    pdf_row(p, "Parents / carers", t, 2);
    pdf_row(p, "Child told", when(c, "child_informed_at", w1, sizeof(w1)), 1);
    pdf_row(p, "The child's views",
            jstr(c, "child_views") ? jstr(c, "child_views") : "not recorded", 5);

    pdf_heading(p, "Inquiry, order and release");
    snprintf(t, sizeof(t), "%s - decision: %s", when(c, "inquiry_at", w1, sizeof(w1)),
             jstr(c, "decision") ? jstr(c, "decision") : "none yet");
    pdf_row(p, "Designated officer's inquiry", t, 1);
    if (jstr(c, "inquiry_text"))
        pdf_row(p, "", jstr(c, "inquiry_text"), 4);
    pdf_row(p, "EPO applied for",
            json_is_true(json_object_get(c, "epo_sought"))
                ? when(c, "epo_sought_at", w1, sizeof(w1))
                : "no",
            1);
    snprintf(t, sizeof(t), "%s%s%s", when(c, "released_at", w1, sizeof(w1)),
             jstr(c, "released_to") ? " to " : "",
             jstr(c, "released_to") ? jstr(c, "released_to") : "");
    pdf_row(p, "Released", t, 2);
    snprintf(t, sizeof(t), "%s in police protection",
             json_string_value(json_object_get(clock, "in_protection_for")));
    pdf_row(p, "Time", t, 1);

    const json_t *tasks = json_object_get(c, "tasks");
    if (json_array_size(tasks)) {
        pdf_heading(p, "Still to do");
        size_t i;
        const json_t *k;
        json_array_foreach(tasks, i, k)
        {
            if (p->y > PDF_BOTTOM - PDF_LINE_PT)
                break;
            snprintf(t, sizeof(t), "%s%s", jstr(k, "title"),
                     json_is_true(json_object_get(k, "overdue")) ? " (OVERDUE)" : "");
            pdf_row(p, when(k, "due_at", w1, sizeof(w1)), t, 1);
        }
    }
    pdf_font(p, 8, false);
    snprintf(t, sizeof(t), "%s - one page summary; the case record holds the full timeline",
             jstr(c, "reference"));
    pdf_show(p, PDF_MARGIN, PDF_PAGE_H - PDF_MARGIN + 8, t, strlen(t));
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
    cairo_surface_t *surf =
        cairo_pdf_surface_create_for_stream(pdf_write_buf, out, PDF_PAGE_W, PDF_PAGE_H);
    char title[80];
    snprintf(title, sizeof(title), "Police protection %s", jstr(c, "reference"));
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct pdf_page p = {.cr = cr};
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
