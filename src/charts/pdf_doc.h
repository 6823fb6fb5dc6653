/*
 * pdf_doc.h — a document of A4 pages drawn with cairo that flows onto as
 * many pages as its text needs (the referral copy, the child's chronology):
 * the OFFICIAL-SENSITIVE marking top and bottom of every page, a footer and
 * "Page n of N", and text that wraps and breaks pages between lines.
 *
 * "Page n of N" needs N before the first page is drawn, so a document is
 * drawn twice: once to pdf_write_nothing() with pages = 0 to count, then for
 * real with the count. (A single page that must never run over is
 * pdf_page.h's job.)
 */
#ifndef SG_PDF_DOC_H
#define SG_PDF_DOC_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#define PDF_DOC_W       595.0 /* A4 in points */
#define PDF_DOC_H       842.0
#define PDF_DOC_MARGIN  56.0
#define PDF_DOC_TOP     (PDF_DOC_MARGIN + 22)
#define PDF_DOC_BOTTOM  (PDF_DOC_H - PDF_DOC_MARGIN - 12)
#define PDF_DOC_TEXT_W  (PDF_DOC_W - 2 * PDF_DOC_MARGIN)
#define PDF_DOC_MARKING "OFFICIAL-SENSITIVE"

struct pdf_doc {
    cairo_t *cr;
    double y;       /* the next baseline */
    int page;       /* 1-based, the page being drawn */
    int pages;      /* the total, known on the second pass (0 on the first) */
    char foot[200]; /* the footer's left text */
};

/* cairo write functions: nothing (the counting pass). To a struct buf:
 * pdf_write_buf() in pdf_page.h. */
cairo_status_t pdf_write_nothing(void *closure, const unsigned char *data, unsigned int len);

/* Body text in the given size, bold or not, near-black. */
void pdf_doc_font(struct pdf_doc *d, double size, bool bold);
/* The advance width of the first n bytes of s. */
double pdf_doc_width(struct pdf_doc *d, const char *s, size_t n);
/* The first n bytes of s at (x, y). */
void pdf_doc_show(struct pdf_doc *d, double x, double y, const char *s, size_t n);
/* The marking, footer and page number of the page being drawn: call once
 * for the first page; pdf_doc_new_page() does it for the rest. */
void pdf_doc_furniture(struct pdf_doc *d);
void pdf_doc_new_page(struct pdf_doc *d);
/* Room for h more points on this page, else a new one. */
void pdf_doc_need(struct pdf_doc *d, double h);
/* text wrapped to width from x, one line every lh, breaking pages between
 * lines; newlines start new lines; control characters become spaces. */
void pdf_doc_wrap(struct pdf_doc *d, double x, double width, double lh, const char *text);

/* "2026-06-01T12:00:00Z" → "1 June 2026, 13:00" (UK time);
 * "2014-03-09" → "9 March 2014"; anything else as it is; NULL → "-". */
const char *pdf_when(const char *s, char *out, size_t cap);
/* "child_protection_plan" → "Child protection plan"; NULL → "-". */
const char *pdf_humanise(const char *s, char *out, size_t cap);

#endif
