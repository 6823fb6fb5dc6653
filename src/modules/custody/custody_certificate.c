/*
 * custody_certificate.c — the custody officer's certificate under PACE
 * s38(7), produced to the court when a child charged and refused bail is not
 * moved to local authority accommodation: A4, drawn with cairo
 * (charts/pdf_page.h), headed OFFICIAL-SENSITIVE, one page.
 *
 * The content is custody_get()'s, for the same viewer, so the certificate
 * never shows what the record page would not.
 */
#include "charts/pdf_page.h"
#include "core/buf.h"
#include "modules/custody/custody.h"
#include "store/store.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>

/* "2026-06-01T12:00:00Z" as "2026-06-01 12:00 UTC". */
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
    char t[800], w1[40];
    pdf_font(p, 10, true);
    double w = pdf_width(p, PDF_MARKING, strlen(PDF_MARKING));
    pdf_show(p, (PDF_PAGE_W - w) / 2, PDF_MARGIN - 20, PDF_MARKING, strlen(PDF_MARKING));
    pdf_show(p, (PDF_PAGE_W - w) / 2, PDF_PAGE_H - PDF_MARGIN + 24, PDF_MARKING,
             strlen(PDF_MARKING));
    p->y = PDF_MARGIN + 6;
    pdf_font(p, 17, true);
    const char *title = "Certificate under s38(7) PACE 1984";
    pdf_show(p, PDF_MARGIN, p->y, title, strlen(title));
    p->y += 18;
    pdf_font(p, PDF_BODY_PT, false);
    pdf_wrap(p, PDF_MARGIN, PDF_TEXT_W, 4,
             "A child charged and refused bail must be moved to local authority accommodation "
             "(PACE s38(6)) unless the custody officer certifies that it is impracticable, or, "
             "for a child of 12 or over, that no secure accommodation is available and other "
             "local authority accommodation would not protect the public from serious harm. "
             "This certificate is produced to the court (s38(7)).");

    const json_t *person = json_object_get(c, "person");
    pdf_heading(p, "The child");
    if (json_is_true(json_object_get(person, "restricted")))
        snprintf(t, sizeof(t), "Restricted record (person %lld)",
                 (long long)json_integer_value(json_object_get(person, "id")));
    else
        snprintf(t, sizeof(t), "%s %s%s%s", jstr(person, "given_name"), jstr(person, "family_name"),
                 jstr(person, "dob") ? ", born " : "",
                 jstr(person, "dob") ? jstr(person, "dob") : "");
    pdf_row(p, "Name", t, 1);
    pdf_row(p, "Custody record", jstr(c, "reference"), 1);
    snprintf(t, sizeof(t), "%s, arrived %s", jstr(c, "suite"),
             when(c, "arrived_at", w1, sizeof(w1)));
    pdf_row(p, "Custody suite", t, 2);
    pdf_row(p, "Charged, bail refused", when(c, "charged_at", w1, sizeof(w1)), 1);

    pdf_heading(p, "The request to the local authority");
    if (jstr(c, "transfer_requested_at")) {
        char contact[340] = "";
        if (jstr(c, "transfer_contact"))
            snprintf(contact, sizeof(contact), " (%s)", jstr(c, "transfer_contact"));
        snprintf(t, sizeof(t), "%s accommodation from %s%s, asked %s",
                 strcmp(jstr(c, "transfer_accommodation"), "secure") == 0 ? "Secure" : "Non-secure",
                 jstr(c, "transfer_la"), contact, when(c, "transfer_requested_at", w1, sizeof(w1)));
        pdf_row(p, "Requested", t, 3);
        snprintf(t, sizeof(t), "%s%s%s%s%s", jstr(c, "la_answer") ? jstr(c, "la_answer") : "none",
                 jstr(c, "la_answer_at") ? ", " : "",
                 jstr(c, "la_answer_at") ? when(c, "la_answer_at", w1, sizeof(w1)) : "",
                 jstr(c, "la_answer_detail") ? ". " : "",
                 jstr(c, "la_answer_detail") ? jstr(c, "la_answer_detail") : "");
        pdf_row(p, "The authority's answer", t, 4);
    } else {
        pdf_row(p, "Requested", "no request recorded", 1);
    }

    pdf_heading(p, "Certificate");
    const char *reason = jstr(c, "certificate_reason");
    pdf_row(p, "Ground",
            reason && strcmp(reason, "impracticable") == 0
                ? "It is impracticable for the child to be moved to local authority "
                  "accommodation (s38(6)(a))."
                : "No secure accommodation is available and other local authority "
                  "accommodation would not be adequate to protect the public from serious "
                  "harm from the child (s38(6)(b); a child of 12 or over).",
            4);
    pdf_row(p, "The reasons", jstr(c, "certificate_detail"), 14);
    snprintf(t, sizeof(t), "%s, %s",
             jstr(c, "certified_by_name") ? jstr(c, "certified_by_name") : "not recorded",
             when(c, "certified_at", w1, sizeof(w1)));
    pdf_row(p, "Custody officer", t, 2);
    pdf_row(p, "Signature", "", 1);
    p->y += 18;
    pdf_font(p, 8, false);
    snprintf(t, sizeof(t), "%s - s38(7) certificate; the custody record holds the full timeline",
             jstr(c, "reference"));
    pdf_show(p, PDF_MARGIN, PDF_PAGE_H - PDF_MARGIN + 8, t, strlen(t));
    cairo_show_page(p->cr);
}

int custody_certificate_pdf(struct store *s, int64_t id, const struct user *u, int64_t now,
                            struct buf *out, struct domain_error *err)
{
    assert(s && out && err);
    json_t *c = custody_get(s, id, u, now);
    if (!c)
        return domain_fail(err, 404, "not_found", NULL, "no custody record with id %lld",
                           (long long)id);
    if (!jstr(c, "certified_at")) {
        json_decref(c);
        return domain_fail(err, 409, "no_certificate", NULL,
                           "no s38(7) certificate has been made on this record");
    }
    size_t len0 = out->len;
    cairo_surface_t *surf =
        cairo_pdf_surface_create_for_stream(pdf_write_buf, out, PDF_PAGE_W, PDF_PAGE_H);
    char title[80];
    snprintf(title, sizeof(title), "s38(7) certificate %s", jstr(c, "reference"));
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
        return domain_fail(err, 500, "print_failed", NULL, "the certificate could not be drawn: %s",
                           st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "too large");
    }
    return 1;
}
