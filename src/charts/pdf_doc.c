/*
 * pdf_doc.c — A4 documents that flow over pages, drawn with cairo (see
 * pdf_doc.h).
 */
#include "charts/pdf_doc.h"
#include "core/date.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cairo_status_t pdf_write_nothing(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure;
    (void)data;
    (void)len;
    return CAIRO_STATUS_SUCCESS;
}

void pdf_doc_font(struct pdf_doc *d, double size, bool bold)
{
    cairo_select_font_face(d->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(d->cr, size);
    cairo_set_source_rgb(d->cr, 0x0b / 255.0, 0x0c / 255.0, 0x0c / 255.0);
}

double pdf_doc_width(struct pdf_doc *d, const char *s, size_t n)
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

void pdf_doc_show(struct pdf_doc *d, double x, double y, const char *s, size_t n)
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
void pdf_doc_furniture(struct pdf_doc *d)
{
    pdf_doc_font(d, 10, true);
    double w = pdf_doc_width(d, PDF_DOC_MARKING, strlen(PDF_DOC_MARKING));
    pdf_doc_show(d, (PDF_DOC_W - w) / 2, PDF_DOC_MARGIN - 16, PDF_DOC_MARKING,
                 strlen(PDF_DOC_MARKING));
    pdf_doc_show(d, (PDF_DOC_W - w) / 2, PDF_DOC_H - PDF_DOC_MARGIN + 20, PDF_DOC_MARKING,
                 strlen(PDF_DOC_MARKING));
    pdf_doc_font(d, 8, false);
    pdf_doc_show(d, PDF_DOC_MARGIN, PDF_DOC_H - PDF_DOC_MARGIN + 6, d->foot, strlen(d->foot));
    char n[48];
    if (d->pages)
        snprintf(n, sizeof(n), "Page %d of %d", d->page, d->pages);
    else
        snprintf(n, sizeof(n), "Page %d", d->page);
    pdf_doc_show(d, PDF_DOC_W - PDF_DOC_MARGIN - pdf_doc_width(d, n, strlen(n)),
                 PDF_DOC_H - PDF_DOC_MARGIN + 6, n, strlen(n));
}

void pdf_doc_new_page(struct pdf_doc *d)
{
    cairo_show_page(d->cr);
    d->page++;
    pdf_doc_furniture(d);
    d->y = PDF_DOC_TOP;
}

/* Room for h more points on this page, else a new one. */
void pdf_doc_need(struct pdf_doc *d, double h)
{
    if (d->y + h > PDF_DOC_BOTTOM)
        pdf_doc_new_page(d);
}

/* The length of the longest prefix of s[0..n) (at a UTF-8 boundary) that
 * fits in width; at least one character. */
static size_t fit(struct pdf_doc *d, const char *s, size_t n, double width)
{
    size_t best = 0, i = 0;
    while (i < n) {
        size_t next = i + 1;
        while (next < n && ((unsigned char)s[next] & 0xc0) == 0x80)
            next++;
        if (best && pdf_doc_width(d, s, next) > width)
            break;
        best = next;
        i = next;
    }
    return best;
}

/* Draws text wrapped to width from x, one line every lh, breaking pages
 * between lines; newlines start new lines; control characters are spaces. */
void pdf_doc_wrap(struct pdf_doc *d, double x, double width, double lh, const char *text)
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
                if (take && pdf_doc_width(d, p, end) > width)
                    break;
                if (!take && pdf_doc_width(d, p, end) > width) {
                    take = fit(d, p, end, width);
                    break;
                }
                take = end;
                i = end + 1;
            }
            pdf_doc_need(d, lh);
            pdf_doc_show(d, x, d->y, p, take);
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
const char *pdf_when(const char *s, char *out, size_t cap)
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
const char *pdf_humanise(const char *s, char *out, size_t cap)
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
