/*
 * pdf_page.h — one A4 page of text drawn with cairo, for the printable
 * records (the police protection summary, the s38(7) certificate): the
 * page's measures, the OFFICIAL-SENSITIVE marking, and text helpers that
 * never run past the bottom of the page. wrap() cuts what does not fit to
 * the lines allowed and ends it "(continued on the case record)", so a
 * document is exactly the pages its drawing asks for.
 */
#ifndef SG_PDF_PAGE_H
#define SG_PDF_PAGE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#define PDF_PAGE_W  595.0 /* A4 in points */
#define PDF_PAGE_H  842.0
#define PDF_MARGIN  50.0
#define PDF_BOTTOM  (PDF_PAGE_H - PDF_MARGIN - 14)
#define PDF_TEXT_W  (PDF_PAGE_W - 2 * PDF_MARGIN)
#define PDF_LABEL_W 165.0
#define PDF_BODY_PT 9.5
#define PDF_LINE_PT 12.5
#define PDF_FACE    "sans-serif"
#define PDF_MARKING "OFFICIAL-SENSITIVE"

struct pdf_page {
    cairo_t *cr;
    double y; /* the next baseline */
};

/* cairo's write function appending to a struct buf (closure). */
cairo_status_t pdf_write_buf(void *closure, const unsigned char *data, unsigned int len);
/* Body text in the given size, bold or not, near-black. */
void pdf_font(struct pdf_page *p, double size, bool bold);
/* The advance width of the first n bytes of s. */
double pdf_width(struct pdf_page *p, const char *s, size_t n);
/* The first n bytes of s at (x, y). */
void pdf_show(struct pdf_page *p, double x, double y, const char *s, size_t n);
/* text wrapped to width from x, at most max_lines lines and never past
 * PDF_BOTTOM; what does not fit is cut with a note. */
void pdf_wrap(struct pdf_page *p, double x, double width, int max_lines, const char *text);
/* A section heading with a rule under it. */
void pdf_heading(struct pdf_page *p, const char *s);
/* A bold label and its value wrapped beside it. */
void pdf_row(struct pdf_page *p, const char *label, const char *value, int max_lines);

#endif
