/*
 * pdf_page.c — text on an A4 page with cairo (see pdf_page.h).
 */
#include "charts/pdf_page.h"
#include "charts/pdf_doc.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

cairo_status_t pdf_write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Text drawing is the same on a single page as in a flowing document. */
void pdf_font(struct pdf_page *p, double size, bool bold)
{
    pdf_doc_font(&(struct pdf_doc){.cr = p->cr}, size, bold);
}

double pdf_width(struct pdf_page *p, const char *s, size_t n)
{
    return pdf_doc_width(&(struct pdf_doc){.cr = p->cr}, s, n);
}

void pdf_show(struct pdf_page *p, double x, double y, const char *s, size_t n)
{
    pdf_doc_show(&(struct pdf_doc){.cr = p->cr}, x, y, s, n);
}

/* Draws text wrapped to width from x, at most max_lines lines (and never
 * past PDF_BOTTOM); what does not fit is cut with a note. Control characters
 * are spaces; words longer than a line are cut at a UTF-8 boundary. */
void pdf_wrap(struct pdf_page *p, double x, double width, int max_lines, const char *text)
{
    if (!text || !*text)
        text = "-";
    size_t len = strlen(text);
    const char *s = text;
    int lines = 0;
    while (len && lines < max_lines && p->y <= PDF_BOTTOM) {
        while (len && (*s == ' ' || (unsigned char)*s < 0x20))
            s++, len--;
        if (!len)
            break;
        size_t take = 0, i = 0;
        while (i <= len) {
            size_t end = i;
            while (end < len && s[end] != ' ' && (unsigned char)s[end] >= 0x20)
                end++;
            if (pdf_width(p, s, end) > width) {
                if (!take) { /* one long word: as much as fits */
                    size_t k = 0;
                    while (k < end) {
                        size_t nx = k + 1;
                        while (nx < end && ((unsigned char)s[nx] & 0xc0) == 0x80)
                            nx++;
                        if (k && pdf_width(p, s, nx) > width)
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
        bool last = lines + 1 == max_lines || p->y + PDF_LINE_PT > PDF_BOTTOM;
        if (last && take < len) {
            char cut[1200];
            snprintf(cut, sizeof(cut), "%.*s... (continued on the case record)",
                     (int)(take > 600 ? 600 : take), s);
            pdf_font(p, PDF_BODY_PT - 1, false);
            size_t n = strlen(cut);
            while (n > 1 && pdf_width(p, cut, n) > width)
                n--;
            pdf_show(p, x, p->y, cut, n);
            pdf_font(p, PDF_BODY_PT, false);
            p->y += PDF_LINE_PT;
            return;
        }
        pdf_show(p, x, p->y, s, take);
        p->y += PDF_LINE_PT;
        s += take;
        len -= take;
        lines++;
    }
}

void pdf_heading(struct pdf_page *p, const char *s)
{
    p->y += 6;
    pdf_font(p, 12, true);
    pdf_show(p, PDF_MARGIN, p->y, s, strlen(s));
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, PDF_MARGIN, p->y + 4);
    cairo_line_to(p->cr, PDF_PAGE_W - PDF_MARGIN, p->y + 4);
    cairo_stroke(p->cr);
    p->y += PDF_LINE_PT + 4;
}

void pdf_row(struct pdf_page *p, const char *label, const char *value, int max_lines)
{
    if (p->y > PDF_BOTTOM)
        return;
    double y0 = p->y;
    pdf_font(p, PDF_BODY_PT, true);
    pdf_show(p, PDF_MARGIN, p->y, label, strlen(label));
    pdf_font(p, PDF_BODY_PT, false);
    pdf_wrap(p, PDF_MARGIN + PDF_LABEL_W, PDF_TEXT_W - PDF_LABEL_W, max_lines, value);
    if (p->y < y0 + PDF_LINE_PT)
        p->y = y0 + PDF_LINE_PT;
    p->y += 2;
}
