/*
 * chart.c — bar charts, line charts and RAG tables drawn with cairo to SVG or
 * PDF (see chart.h for the contracts).
 *
 * Shape of a call: validate everything, open a canvas (a cairo surface that
 * streams into a private buffer bounded by the room left in the caller's
 * buffer), draw, close the canvas, and only then append to the caller's
 * buffer — so a failure anywhere leaves the caller's buffer untouched. For
 * SVG the close step also splices in <title>/<desc>, because cairo writes
 * text as glyph outlines that assistive technology cannot read.
 *
 * Layout is in points (1 point = 1 SVG px). Every piece of text goes through
 * text_clean() first: cairo puts the whole context into an error state on
 * invalid UTF-8, and a hostile label must not be able to blank a chart.
 */
#include "charts/chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "core/buf.h"

#define TEXT_MAX 256 /* bytes kept of a label or name, with room for "…" */
#define NOTE_MAX 512 /* bytes kept of a RAG note */
#define DESC_MAX (256 * 1024)
#define PAD      16.0
#define ELLIPSIS "\xe2\x80\xa6"

/* GDS palette, as 0xRRGGBB. */
#define GDS_BLUE       0x1d70b8
#define GDS_DARK_BLUE  0x003078
#define GDS_GREEN      0x00703c
#define GDS_YELLOW     0xffdd00
#define GDS_RED        0xd4351c
#define GDS_ORANGE     0xf47738
#define GDS_BLACK      0x0b0c0c
#define GDS_MID_GREY   0xb1b4b6
#define GDS_DARK_GREY  0x505a5f
#define GDS_LIGHT_GREY 0xf3f2f1
#define WHITE          0xffffff

/*
 * Series styles. Blue and orange first because they stay distinct for the
 * common colour-vision deficiencies; yellow is left out because it has too
 * little contrast against the white background to carry a line or a bar.
 * ink is the colour that reads on top of the fill (hatching).
 */
struct series_style {
    unsigned fill, ink;
};

static const struct series_style series_styles[CHART_MAX_SERIES] = {
    {GDS_BLUE, WHITE},      {GDS_ORANGE, GDS_BLACK}, {GDS_GREEN, WHITE},
    {GDS_DARK_BLUE, WHITE}, {GDS_RED, WHITE},        {GDS_BLACK, WHITE},
};

enum hatch { HATCH_NONE, HATCH_FORWARD, HATCH_BACK, HATCH_HORIZONTAL, HATCH_CROSS, HATCH_VERTICAL };
enum marker { MARK_CIRCLE, MARK_SQUARE, MARK_TRIANGLE, MARK_DIAMOND, MARK_DOWN, MARK_CROSS };

/* ------------------------------------------------------------ errors */

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* -------------------------------------------------------------- text */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not valid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        if (c == 0xe0 && s[1] < 0xa0)
            return 0; /* overlong */
        if (c == 0xed && s[1] >= 0xa0)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
            return 0;
        if (c == 0xf0 && s[1] < 0x90)
            return 0;
        if (c == 0xf4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/*
 * Copies src (NULL means "") into dst[cap] as valid UTF-8 with no control
 * characters: what cairo and XML can both take. Keeps at most cap - 4 bytes so
 * text_fit() always has room to add the 3-byte ellipsis. Stops at a code point
 * boundary so the copy is never cut mid-character.
 */
static void text_clean(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    while (*s) {
        size_t len = utf8_len(s);
        /* C1 controls (U+0080..U+009F) are 0xc2 0x80..0x9f. */
        int control =
            len == 1 ? (*s < 0x20 || *s == 0x7f) : (len == 2 && s[0] == 0xc2 && s[1] < 0xa0);
        size_t out = (len == 0 || control) ? 1 : len;
        if (n + out > cap - 4)
            break;
        if (len == 0 || control) {
            dst[n++] = (len == 1 && (*s == '\t' || *s == '\n' || *s == '\r')) ? ' ' : '?';
            s += len ? len : 1;
        } else {
            memcpy(dst + n, s, len);
            n += len;
            s += len;
        }
    }
    dst[n] = '\0';
}

/* The toy API resolves "sans-serif" through fontconfig; Helvetica is the
 * name PDF viewers and non-fontconfig builds know. */
static const char *font_family(void)
{
    cairo_font_face_t *ff =
        cairo_toy_font_face_create("sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_status_t st = cairo_font_face_status(ff);
    cairo_font_face_destroy(ff);
    return st == CAIRO_STATUS_SUCCESS ? "sans-serif" : "Helvetica";
}

static void font(cairo_t *cr, const char *family, double size, int bold)
{
    cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

/*
 * Cuts s (from text_clean, so with room for 3 more bytes) to fit maxw in the
 * current font, ending in an ellipsis; "" if not even one character and the
 * ellipsis fit. Binary search over code point boundaries because category
 * labels are measured for up to 200 categories per chart.
 */
static void text_fit(cairo_t *cr, char *s, double maxw)
{
    if (text_width(cr, s) <= maxw)
        return;
    size_t bounds[TEXT_MAX > NOTE_MAX ? TEXT_MAX : NOTE_MAX];
    size_t nb = 0, len = strlen(s);
    for (size_t i = 1; i < len && nb < sizeof(bounds) / sizeof(bounds[0]); i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            bounds[nb++] = i;
    char probe[NOTE_MAX + 4];
    size_t lo = 0, hi = nb, best = 0; /* best: count of bounds usable, 0 = none */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t cut = bounds[mid];
        while (cut > 1 && s[cut - 1] == ' ')
            cut--;
        memcpy(probe, s, cut);
        memcpy(probe + cut, ELLIPSIS, sizeof(ELLIPSIS));
        if (text_width(cr, probe) <= maxw) {
            best = mid + 1;
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (best == 0) {
        s[0] = '\0';
        return;
    }
    size_t cut = bounds[best - 1];
    while (cut > 1 && s[cut - 1] == ' ')
        cut--;
    memcpy(s + cut, ELLIPSIS, sizeof(ELLIPSIS));
}

/* align: -1 left, 0 centre, 1 right of x; y is the baseline. */
static void text_at(cairo_t *cr, const char *s, double x, double y, int align)
{
    if (!*s)
        return;
    double w = text_width(cr, s);
    cairo_move_to(cr, align < 0 ? x : align == 0 ? x - w / 2 : x - w, y);
    cairo_show_text(cr, s);
}

/*
 * Greedy word wrap of s into at most maxlines lines of maxw; the last line
 * takes whatever is left, cut with an ellipsis. A word wider than a line is
 * cut too. Returns the number of lines (0 for blank text).
 */
static size_t text_wrap(cairo_t *cr, const char *s, double maxw, char lines[][NOTE_MAX],
                        size_t maxlines)
{
    size_t n = 0;
    const char *p = s;
    while (n < maxlines) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *line = lines[n];
        if (n == maxlines - 1) {
            /* s came from text_clean(), so this fits; the cap is belt and
             * braces, backed off to a code point boundary. */
            size_t len = strlen(p);
            if (len > NOTE_MAX - 4) {
                len = NOTE_MAX - 4;
                while (len > 0 && ((unsigned char)p[len] & 0xc0) == 0x80)
                    len--;
            }
            memcpy(line, p, len);
            line[len] = '\0';
            text_fit(cr, line, maxw);
            n++;
            break;
        }
        size_t best = 0;
        const char *q = p;
        for (;;) {
            const char *e = q;
            while (*e && *e != ' ')
                e++;
            size_t len = (size_t)(e - p);
            memcpy(line, p, len);
            line[len] = '\0';
            if (text_width(cr, line) > maxw)
                break;
            best = len;
            q = e;
            while (*q == ' ')
                q++;
            if (!*q)
                break;
        }
        if (best == 0) { /* one word wider than the line */
            const char *e = p;
            while (*e && *e != ' ')
                e++;
            size_t len = (size_t)(e - p);
            memcpy(line, p, len);
            line[len] = '\0';
            text_fit(cr, line, maxw);
            p = e;
        } else {
            line[best] = '\0';
            p += best;
        }
        n++;
    }
    return n;
}

/* Escapes for XML text and attribute values alike. */
static int xml_escape(struct buf *b, const char *s)
{
    for (; *s; s++) {
        int rc;
        switch (*s) {
        case '&':
            rc = buf_puts(b, "&amp;");
            break;
        case '<':
            rc = buf_puts(b, "&lt;");
            break;
        case '>':
            rc = buf_puts(b, "&gt;");
            break;
        case '"':
            rc = buf_puts(b, "&quot;");
            break;
        case '\'':
            rc = buf_puts(b, "&#39;");
            break;
        default:
            rc = buf_putc(b, *s);
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

/*
 * Formats v (0..CHART_VALUE_MAX) with `decimals` places and thousands
 * separators, as GOV.UK writes numbers ("12,345.5"); trim drops trailing zero
 * decimals, for value labels where "2.50" would be noise.
 */
static void num_format(char *dst, size_t cap, double v, int decimals, int trim)
{
    char raw[64];
    if (v == 0)
        decimals = 0;
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    char *dot = strchr(raw, '.');
    if (dot && trim) {
        char *end = raw + strlen(raw);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t n = 0;
    for (size_t i = 0; raw[i] && n + 1 < cap; i++) {
        if (i > 0 && i < intlen && (intlen - i) % 3 == 0 && n + 2 < cap)
            dst[n++] = ',';
        dst[n++] = raw[i];
    }
    dst[n] = '\0';
}

/* ------------------------------------------------------------ canvas */

struct sink {
    struct buf *b;
    int overflow;
};

/* cairo hands over output in pieces; a piece past the maximum stops it. */
static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    struct sink *k = closure;
    if (buf_append(k->b, data, len) < 0) {
        k->overflow = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

struct canvas {
    cairo_surface_t *surface;
    cairo_t *cr;
    struct buf tmp;
    struct sink sink;
    enum chart_format fmt;
    double w, h;
    const char *family;
    char title[TEXT_MAX];
};

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
}

static int canvas_open(struct canvas *cv, enum chart_format fmt, double w, double h,
                       const char *title, const struct buf *out, char *err, size_t errlen)
{
    memset(cv, 0, sizeof(*cv));
    if (fmt != CHART_SVG && fmt != CHART_PDF)
        return fail(err, errlen, "chart format %d is not CHART_SVG or CHART_PDF", (int)fmt);
    if (out->len >= out->max)
        return fail(err, errlen, "chart output buffer is already full");
    cv->fmt = fmt;
    cv->w = w;
    cv->h = h;
    text_clean(cv->title, sizeof(cv->title), title);
    buf_init(&cv->tmp, out->max - out->len);
    cv->sink.b = &cv->tmp;
    if (fmt == CHART_SVG) {
        cv->surface = cairo_svg_surface_create_for_stream(sink_write, &cv->sink, w, h);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
        /* Pixels, so the SVG drops into a page at the size it was drawn. */
        cairo_svg_surface_set_document_unit(cv->surface, CAIRO_SVG_UNIT_PX);
#endif
    } else {
        cv->surface = cairo_pdf_surface_create_for_stream(sink_write, &cv->sink, w, h);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
        cairo_pdf_surface_set_metadata(cv->surface, CAIRO_PDF_METADATA_TITLE, cv->title);
        cairo_pdf_surface_set_metadata(cv->surface, CAIRO_PDF_METADATA_CREATOR, "Safeguard");
#endif
    }
    if (cairo_surface_status(cv->surface) != CAIRO_STATUS_SUCCESS) {
        int rc = fail(err, errlen, "chart surface: %s",
                      cairo_status_to_string(cairo_surface_status(cv->surface)));
        cairo_surface_destroy(cv->surface);
        buf_release(&cv->tmp);
        return rc;
    }
    cv->cr = cairo_create(cv->surface);
    cv->family = font_family();
    /* A white ground: an SVG is transparent otherwise, and black text on a
     * dark page background would vanish. */
    set_rgb(cv->cr, WHITE);
    cairo_paint(cv->cr);
    return 0;
}

static void canvas_abandon(struct canvas *cv)
{
    if (cv->cr)
        cairo_destroy(cv->cr);
    if (cv->surface)
        cairo_surface_destroy(cv->surface);
    buf_release(&cv->tmp);
    cv->cr = NULL;
    cv->surface = NULL;
}

/*
 * Finishes the drawing and appends it to out. For SVG, role="img" and an
 * aria-label go on the root element and <title> and <desc> become its first
 * children, where the SVG spec and screen readers look for them.
 */
static int canvas_close(struct canvas *cv, struct buf *out, const char *desc, char *err,
                        size_t errlen)
{
    cairo_status_t st = cairo_status(cv->cr);
    cairo_destroy(cv->cr);
    cv->cr = NULL;
    cairo_surface_finish(cv->surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(cv->surface);
    cairo_surface_destroy(cv->surface);
    cv->surface = NULL;
    if (cv->sink.overflow || st == CAIRO_STATUS_WRITE_ERROR || st == CAIRO_STATUS_NO_MEMORY) {
        canvas_abandon(cv);
        return fail(err, errlen, "chart output is larger than the %zu bytes left in the buffer",
                    out->max - out->len);
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        canvas_abandon(cv);
        return fail(err, errlen, "chart drawing failed: %s", cairo_status_to_string(st));
    }

    struct buf head;
    buf_init(&head, out->max - out->len);
    const char *body = cv->tmp.data ? cv->tmp.data : "";
    size_t split = 0;
    if (cv->fmt == CHART_SVG) {
        const char *svg = strstr(body, "<svg");
        const char *gt = svg ? strchr(svg, '>') : NULL;
        if (!gt) {
            canvas_abandon(cv);
            return fail(err, errlen, "chart drawing failed: cairo wrote no <svg> element");
        }
        split = (size_t)(gt - body);
        int rc = buf_append(&head, body, split);
        rc = rc < 0 ? rc : buf_puts(&head, " role=\"img\" aria-label=\"");
        rc = rc < 0 ? rc : xml_escape(&head, cv->title);
        rc = rc < 0 ? rc : buf_puts(&head, "\">\n<title>");
        rc = rc < 0 ? rc : xml_escape(&head, cv->title);
        rc = rc < 0 ? rc : buf_puts(&head, "</title>\n<desc>");
        rc = rc < 0 ? rc : xml_escape(&head, desc ? desc : "");
        rc = rc < 0 ? rc : buf_puts(&head, "</desc>");
        split = (size_t)(gt - body) + 1;
        if (rc < 0) {
            buf_release(&head);
            canvas_abandon(cv);
            return fail(err, errlen, "chart output is larger than the %zu bytes left in the buffer",
                        out->max - out->len);
        }
    }
    /* cairo names the page group after a process-wide surface counter
     * (<g id="surface6">), so the same chart drawn twice would differ. Nothing
     * refers to that id unless nested surfaces are drawn, which we never do:
     * give it a fixed name so output is deterministic. */
    const char *gid = NULL, *gend = NULL;
    if (cv->fmt == CHART_SVG && !strstr(body + split, "#surface")) {
        gid = strstr(body + split, "<g id=\"surface");
        if (gid) {
            gend = gid + strlen("<g id=\"surface");
            while (*gend >= '0' && *gend <= '9')
                gend++;
            if (*gend != '"')
                gid = NULL;
        }
    }
    if (gid) {
        int rc = buf_append(&head, body + split, (size_t)(gid - body) - split);
        rc = rc < 0 ? rc : buf_puts(&head, "<g id=\"surface1");
        split = (size_t)(gend - body);
        if (rc < 0) {
            buf_release(&head);
            canvas_abandon(cv);
            return fail(err, errlen, "chart output is larger than the %zu bytes left in the buffer",
                        out->max - out->len);
        }
    }
    size_t rest = cv->tmp.len - split;
    /* Check the whole fits first so out is never left half-written. */
    if (head.len + rest > out->max - out->len) {
        size_t room = out->max - out->len;
        buf_release(&head);
        canvas_abandon(cv);
        return fail(err, errlen, "chart output is larger than the %zu bytes left in the buffer",
                    room);
    }
    size_t before = out->len;
    if ((head.len && buf_append(out, head.data, head.len) < 0) ||
        buf_append(out, body + split, rest) < 0) {
        out->len = before; /* allocation failure: back to where we were */
        if (out->data)
            out->data[before] = '\0';
        buf_release(&head);
        canvas_abandon(cv);
        return fail(err, errlen, "chart output: out of memory");
    }
    buf_release(&head);
    canvas_abandon(cv);
    return 0;
}

/* ------------------------------------------------------------- checks */

static int check_dims(int w, int h, double *pw, double *ph, char *err, size_t errlen)
{
    if (w == 0)
        w = CHART_DEFAULT_WIDTH;
    if (h == 0)
        h = CHART_DEFAULT_HEIGHT;
    if (w < CHART_MIN_SIDE || w > CHART_MAX_SIDE)
        return fail(err, errlen, "chart width %d is outside %d..%d", w, CHART_MIN_SIDE,
                    CHART_MAX_SIDE);
    if (h < CHART_MIN_SIDE || h > CHART_MAX_SIDE)
        return fail(err, errlen, "chart height %d is outside %d..%d", h, CHART_MIN_SIDE,
                    CHART_MAX_SIDE);
    *pw = w;
    *ph = h;
    return 0;
}

static int check_title(const char *title, char *err, size_t errlen)
{
    if (!title)
        return fail(err, errlen, "chart title is missing");
    for (const char *p = title; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return 0;
    return fail(err, errlen, "chart title is empty");
}

/* Validates a bar or line chart and finds its largest value. */
static int check_chart(const struct chart *c, bool gaps, struct buf *out, double *dmax, char *err,
                       size_t errlen)
{
    if (!c)
        return fail(err, errlen, "chart is missing");
    if (!out)
        return fail(err, errlen, "chart output buffer is missing");
    if (check_title(c->title, err, errlen) < 0)
        return -1;
    if (c->ncategories == 0)
        return fail(err, errlen, "chart has no categories");
    if (c->ncategories > CHART_MAX_CATEGORIES)
        return fail(err, errlen, "chart has %zu categories; at most %d can be drawn",
                    c->ncategories, CHART_MAX_CATEGORIES);
    if (!c->categories)
        return fail(err, errlen, "chart categories are missing");
    if (c->nseries == 0 || !c->series)
        return fail(err, errlen, "chart has no series");
    if (c->nseries > CHART_MAX_SERIES)
        return fail(err, errlen, "chart has %zu series; at most %d can be told apart", c->nseries,
                    CHART_MAX_SERIES);
    double m = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        const struct chart_series *se = &c->series[s];
        if (se->count != c->ncategories)
            return fail(err, errlen, "series[%zu] has %zu values but the chart has %zu categories",
                        s, se->count, c->ncategories);
        if (!se->values)
            return fail(err, errlen, "series[%zu].values is missing", s);
        for (size_t i = 0; i < se->count; i++) {
            double v = se->values[i];
            if (gaps && isnan(v))
                continue;
            if (!isfinite(v))
                return fail(err, errlen, "series[%zu].values[%zu] is not a finite number", s, i);
            if (v < 0)
                return fail(err, errlen, "series[%zu].values[%zu] is negative; axes start at 0", s,
                            i);
            if (v > CHART_VALUE_MAX)
                return fail(err, errlen, "series[%zu].values[%zu] is larger than %g", s, i,
                            CHART_VALUE_MAX);
            if (v > m)
                m = v;
        }
    }
    if (!isfinite(c->y_max) || c->y_max < 0 || c->y_max > CHART_VALUE_MAX)
        return fail(err, errlen, "chart y_max must be between 0 and %g", CHART_VALUE_MAX);
    if (c->y_max > m)
        m = c->y_max;
    if (c->reference_label) {
        if (!isfinite(c->reference) || c->reference < 0 || c->reference > CHART_VALUE_MAX)
            return fail(err, errlen, "chart reference must be between 0 and %g", CHART_VALUE_MAX);
        if (c->reference > m)
            m = c->reference;
    }
    *dmax = m;
    return 0;
}

/* --------------------------------------------------------------- axes */

struct axis {
    double max, step;
    int nticks;   /* steps from 0 to max */
    int decimals; /* places a tick label needs */
};

/*
 * A 0..max axis in about five steps of 1, 2 or 5 x 10^n, max the first step
 * multiple at or above dmax. Values too small to show (below 1e-6, fractions of
 * a case or a percent) get the same 0..1 axis as all-zero data.
 */
static void axis_fit(double dmax, struct axis *a)
{
    if (dmax < 1e-6)
        dmax = 0;
    if (dmax == 0) {
        a->max = 1;
        a->step = 0.2;
        a->nticks = 5;
        a->decimals = 1;
        return;
    }
    double raw = dmax / 5;
    int e = (int)floor(log10(raw));
    double mag = pow(10, e);
    static const double mult[] = {1, 2, 5, 10};
    double step = 10 * mag;
    for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++) {
        if (mult[i] * mag >= raw * (1 - 1e-9)) {
            step = mult[i] * mag;
            break;
        }
    }
    double n = ceil(dmax / step * (1 - 1e-12));
    if (n < 1)
        n = 1;
    a->step = step;
    a->nticks = (int)n;
    a->max = n * step;
    a->decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (a->decimals > 6)
        a->decimals = 6;
}

/* Everything drawn around the data, and where the data goes. */
struct frame {
    double x, y, w, h; /* plot area */
    struct axis axis;
    double band; /* width given to each category */
};

static double frame_y(const struct frame *f, double v)
{
    return f->y + f->h - v / f->axis.max * f->h;
}

static void series_name(char *dst, size_t cap, const struct chart *c, size_t s)
{
    if (c->series[s].name && *c->series[s].name)
        text_clean(dst, cap, c->series[s].name);
    else
        snprintf(dst, cap, "Series %zu", s + 1);
}

static void hatch_draw(cairo_t *cr, enum hatch h, double x, double y, double w, double hh,
                       unsigned ink)
{
    if (h == HATCH_NONE || w <= 0 || hh <= 0)
        return;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, hh);
    cairo_clip(cr);
    set_rgb(cr, ink);
    cairo_set_line_width(cr, 1.5);
    const double gap = 6;
    /* Lines anchored to the canvas, not the bar, so neighbours line up. */
    if (h == HATCH_FORWARD || h == HATCH_BACK || h == HATCH_CROSS) {
        double start = floor((x - hh) / gap) * gap;
        for (double t = start; t <= x + w + hh; t += gap) {
            if (h != HATCH_BACK) {
                cairo_move_to(cr, t, y + hh);
                cairo_line_to(cr, t + hh, y);
            }
            if (h != HATCH_FORWARD) {
                cairo_move_to(cr, t, y);
                cairo_line_to(cr, t + hh, y + hh);
            }
        }
    } else if (h == HATCH_HORIZONTAL) {
        for (double t = ceil(y / gap) * gap; t <= y + hh; t += gap) {
            cairo_move_to(cr, x, t);
            cairo_line_to(cr, x + w, t);
        }
    } else {
        for (double t = ceil(x / gap) * gap; t <= x + w; t += gap) {
            cairo_move_to(cr, t, y);
            cairo_line_to(cr, t, y + hh);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* A bar (or legend swatch): fill, hatching, and a black edge so even the
 * lighter fills stand out from the white ground. */
static void bar_draw(cairo_t *cr, size_t s, double x, double y, double w, double h)
{
    if (w <= 0)
        return;
    const struct series_style *st = &series_styles[s];
    if (h > 0) {
        cairo_rectangle(cr, x, y, w, h);
        set_rgb(cr, st->fill);
        cairo_fill(cr);
        hatch_draw(cr, (enum hatch)s, x, y, w, h, st->ink);
    }
    if (w >= 3) {
        cairo_rectangle(cr, x + 0.5, y + 0.5, w - 1, h > 1 ? h - 1 : 0);
        set_rgb(cr, GDS_BLACK);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
}

static void marker_draw(cairo_t *cr, size_t s, double x, double y)
{
    const double r = 5.5;
    set_rgb(cr, series_styles[s].fill);
    switch ((enum marker)s) {
    case MARK_CIRCLE:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case MARK_SQUARE:
        cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
        break;
    case MARK_TRIANGLE:
        cairo_move_to(cr, x, y - r * 1.25);
        cairo_line_to(cr, x + r * 1.2, y + r);
        cairo_line_to(cr, x - r * 1.2, y + r);
        cairo_close_path(cr);
        break;
    case MARK_DIAMOND:
        cairo_move_to(cr, x, y - r * 1.3);
        cairo_line_to(cr, x + r * 1.3, y);
        cairo_line_to(cr, x, y + r * 1.3);
        cairo_line_to(cr, x - r * 1.3, y);
        cairo_close_path(cr);
        break;
    case MARK_DOWN:
        cairo_move_to(cr, x, y + r * 1.25);
        cairo_line_to(cr, x + r * 1.2, y - r);
        cairo_line_to(cr, x - r * 1.2, y - r);
        cairo_close_path(cr);
        break;
    case MARK_CROSS:
        /* A stroked cross has no fill: draw it thick in the series colour. */
        cairo_move_to(cr, x - r, y - r);
        cairo_line_to(cr, x + r, y + r);
        cairo_move_to(cr, x + r, y - r);
        cairo_line_to(cr, x - r, y + r);
        cairo_set_line_width(cr, 3.5);
        cairo_stroke(cr);
        return;
    }
    cairo_fill_preserve(cr);
    set_rgb(cr, GDS_BLACK);
    cairo_set_line_width(cr, 1.25);
    cairo_stroke(cr);
}

enum kind { KIND_BAR, KIND_LINE };

static void legend_key(cairo_t *cr, enum kind kind, size_t s, double x, double mid)
{
    if (kind == KIND_BAR) {
        bar_draw(cr, s, x, mid - 8, 16, 16);
        return;
    }
    set_rgb(cr, series_styles[s].fill);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, x, mid);
    cairo_line_to(cr, x + 28, mid);
    cairo_stroke(cr);
    marker_draw(cr, s, x + 14, mid);
}

/*
 * Lays out and draws the legend in rows from y; returns the height used.
 * When draw is 0 only measures, so the plot can be sized before drawing.
 */
static double legend(cairo_t *cr, const char *family, const struct chart *c, enum kind kind,
                     double x0, double y, double maxw, int draw)
{
    if (c->nseries < 2)
        return 0;
    const double keyw = kind == KIND_BAR ? 16 : 28, rowh = 26;
    double x = x0, rows = 1;
    font(cr, family, 16, 0);
    for (size_t s = 0; s < c->nseries; s++) {
        char name[TEXT_MAX];
        series_name(name, sizeof name, c, s);
        text_fit(cr, name, maxw - keyw - 8);
        double w = keyw + 8 + text_width(cr, name);
        if (x > x0 && x + w > x0 + maxw) {
            x = x0;
            rows++;
        }
        if (draw) {
            double mid = y + (rows - 1) * rowh + rowh / 2;
            legend_key(cr, kind, s, x, mid);
            set_rgb(cr, GDS_BLACK);
            font(cr, family, 16, 0);
            text_at(cr, name, x + keyw + 8, mid + 5.5, -1);
        }
        x += w + 24;
    }
    return rows * rowh + 6;
}

/* Value labels: the largest of 14, 12 or 10px that fits maxw, or 0. */
static double label_size(cairo_t *cr, const char *family, const char *s, double maxw)
{
    static const double sizes[] = {14, 12, 10};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        font(cr, family, sizes[i], 1);
        if (text_width(cr, s) <= maxw)
            return sizes[i];
    }
    return 0;
}

/*
 * Draws the title, legend, y-axis label, gridlines and ticks, the baseline,
 * category labels and x-axis label, and fills f with the plot area. Category
 * labels that do not fit their band lie at 45 degrees rather than being cut
 * to a stub; they are cut only when even that is too long.
 */
static int frame_draw(struct canvas *cv, const struct chart *c, enum kind kind, double dmax,
                      struct frame *f, char *err, size_t errlen)
{
    cairo_t *cr = cv->cr;
    const char *fam = cv->family;
    double W = cv->w, H = cv->h;
    char text[TEXT_MAX];

    axis_fit(dmax, &f->axis);

    /* Title. */
    double y = PAD + 20;
    font(cr, fam, 22, 1);
    snprintf(text, sizeof text, "%s", cv->title);
    text_fit(cr, text, W - 2 * PAD);
    set_rgb(cr, GDS_BLACK);
    text_at(cr, text, PAD, y, -1);
    y += 14;

    double legend_y = y;
    y += legend(cr, fam, c, kind, PAD, y, W - 2 * PAD, 0);

    char ylab[TEXT_MAX];
    text_clean(ylab, sizeof ylab, c->y_label);
    double ylab_y = 0;
    if (*ylab) {
        ylab_y = y + 16;
        y += 24;
    }
    double top = y + 22; /* room for a value label over the tallest bar */

    /* Tick labels decide the left margin. */
    font(cr, fam, 14, 0);
    double tickw = 0;
    for (int i = 0; i <= f->axis.nticks; i++) {
        num_format(text, sizeof text, i * f->axis.step, f->axis.decimals, 0);
        double w = text_width(cr, text);
        if (w > tickw)
            tickw = w;
    }
    double left = PAD + tickw + 10;
    double right = W - PAD - (kind == KIND_LINE ? 4 : 0);

    char xlab[TEXT_MAX];
    text_clean(xlab, sizeof xlab, c->x_label);
    double bottom = H - PAD - (*xlab ? 26 : 0);

    double band = (right - left) / (double)c->ncategories;
    /* Measure category labels: flat if all fit, else at 45 degrees. */
    font(cr, fam, 14, 0);
    double widest = 0;
    for (size_t i = 0; i < c->ncategories; i++) {
        text_clean(text, sizeof text, c->categories[i]);
        double w = text_width(cr, text);
        if (w > widest)
            widest = w;
    }
    int slanted = widest > band - 4 && band >= 12;
    double catroom = 24;
    if (slanted) {
        catroom = widest * M_SQRT1_2 + 20;
        double cap = (bottom - top) * 0.4;
        if (catroom > cap)
            catroom = cap;
        /* The first label hangs down and to the left of its band's centre:
         * widen the left margin until it clears the edge. Solves
         * left + (right - left) / 2n >= need for left. */
        double longest = fmin(widest, (catroom - 14) / M_SQRT1_2);
        double need = PAD + longest * M_SQRT1_2 - 4;
        double half = 1.0 / (2.0 * (double)c->ncategories);
        double wanted = (need - right * half) / (1 - half);
        if (wanted > left) {
            left = wanted;
            band = (right - left) / (double)c->ncategories;
        }
    }
    bottom -= catroom;

    f->x = left;
    f->y = top;
    f->w = right - left;
    f->h = bottom - top;
    f->band = band;
    if (f->w < 40 || f->h < 40)
        return fail(err, errlen, "chart is too small (%.0fx%.0f) for its title, legend and labels",
                    W, H);

    legend(cr, fam, c, kind, PAD, legend_y, W - 2 * PAD, 1);
    if (*ylab) {
        font(cr, fam, 16, 0);
        text_fit(cr, ylab, W - 2 * PAD);
        set_rgb(cr, GDS_BLACK);
        text_at(cr, ylab, PAD, ylab_y, -1);
    }

    /* Gridlines and ticks; lines on half points so they stay crisp. */
    cairo_set_line_width(cr, 1);
    for (int i = 0; i <= f->axis.nticks; i++) {
        double v = i * f->axis.step;
        double ty = floor(frame_y(f, v)) + 0.5;
        if (i > 0) {
            set_rgb(cr, GDS_MID_GREY);
            cairo_move_to(cr, f->x, ty);
            cairo_line_to(cr, f->x + f->w, ty);
            cairo_stroke(cr);
        }
        font(cr, fam, 14, 0);
        num_format(text, sizeof text, v, f->axis.decimals, 0);
        set_rgb(cr, GDS_BLACK);
        text_at(cr, text, f->x - 8, ty + 5, 1);
    }

    /* Category labels. */
    font(cr, fam, 14, 0);
    set_rgb(cr, GDS_BLACK);
    for (size_t i = 0; i < c->ncategories; i++) {
        double cx = f->x + (i + 0.5) * band;
        text_clean(text, sizeof text, c->categories[i]);
        if (!slanted) {
            text_fit(cr, text, band - 4);
            text_at(cr, text, cx, bottom + 20, 0);
            continue;
        }
        text_fit(cr, text, (catroom - 14) / M_SQRT1_2);
        if (!*text)
            continue;
        cairo_save(cr);
        cairo_translate(cr, cx + 4, bottom + 10);
        cairo_rotate(cr, -M_PI / 4);
        text_at(cr, text, 0, 0, 1);
        cairo_restore(cr);
    }
    if (*xlab) {
        font(cr, fam, 16, 0);
        text_fit(cr, xlab, W - 2 * PAD);
        text_at(cr, xlab, f->x + f->w / 2, H - PAD, 0);
    }
    return 0;
}

static void frame_baseline(cairo_t *cr, const struct frame *f)
{
    set_rgb(cr, GDS_BLACK);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, f->x, f->y + f->h);
    cairo_line_to(cr, f->x + f->w, f->y + f->h);
    cairo_stroke(cr);
}

/* Whole numbers plainly; fractions to the axis's precision, at least 2. */
static int value_decimals(double v, int axis_decimals)
{
    if (v == floor(v))
        return 0;
    return axis_decimals > 2 ? axis_decimals : 2;
}

/*
 * The data as sentences for the SVG <desc>: the chart's words for a screen
 * reader, since the drawing itself is only outlines.
 */
static int chart_desc(const struct chart *c, const char *what, struct buf *d)
{
    char text[TEXT_MAX], num[64];
    int rc = buf_printf(d, "%s with %zu categories", what, c->ncategories);
    text_clean(text, sizeof text, c->x_label);
    if (rc == 0 && *text)
        rc = buf_printf(d, " (%s)", text);
    text_clean(text, sizeof text, c->y_label);
    if (rc == 0 && *text)
        rc = buf_printf(d, "; values are %s", text);
    rc = rc < 0 ? rc : buf_puts(d, ".");
    for (size_t i = 0; rc == 0 && i < c->ncategories; i++) {
        text_clean(text, sizeof text, c->categories[i]);
        rc = buf_printf(d, " %s:", *text ? text : "(no label)");
        for (size_t s = 0; rc == 0 && s < c->nseries; s++) {
            double v = c->series[s].values[i];
            /* Exact to six places: this is the accessible copy of the data. */
            if (isnan(v))
                snprintf(num, sizeof num, "no data");
            else
                num_format(num, sizeof num, v, value_decimals(v, 6), 1);
            if (c->nseries > 1) {
                series_name(text, sizeof text, c, s);
                rc = buf_printf(d, "%s %s %s", s ? "," : "", text, num);
            } else {
                rc = buf_printf(d, " %s", num);
            }
        }
        rc = rc < 0 ? rc : buf_puts(d, ".");
    }
    return rc;
}

/* The reference (a target) as a dashed line across the plot, its label
 * right-aligned just above it. */
static void plot_reference(cairo_t *cr, const char *fam, const struct chart *c,
                           const struct frame *f)
{
    if (!c->reference_label)
        return;
    double y = floor(frame_y(f, c->reference)) + 0.5;
    static const double dash[] = {8, 5};
    set_rgb(cr, GDS_DARK_GREY);
    cairo_set_line_width(cr, 2);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, f->x, y);
    cairo_line_to(cr, f->x + f->w, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    char text[TEXT_MAX];
    text_clean(text, sizeof text, c->reference_label);
    font(cr, fam, 14, 0);
    text_fit(cr, text, f->w / 2);
    set_rgb(cr, GDS_BLACK);
    text_at(cr, text, f->x + f->w - 2, y - 6, 1);
}

static void plot_bars(cairo_t *cr, const char *fam, const struct chart *c, const struct frame *f)
{
    char num[64];
    double inner = f->band * (c->nseries > 1 ? 0.8 : 0.7);
    double barw = inner / (double)c->nseries;
    for (size_t i = 0; i < c->ncategories; i++) {
        double gx = f->x + i * f->band + (f->band - inner) / 2;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->series[s].values[i];
            double x = gx + s * barw;
            double top = frame_y(f, v);
            /* A point's gap between bars of a group keeps their edges apart. */
            double w = c->nseries > 1 && barw > 6 ? barw - 1 : barw;
            bar_draw(cr, s, x, top, w, f->y + f->h - top);
        }
    }
    frame_baseline(cr, f);
    plot_reference(cr, fam, c, f);
    /* Value labels last, so no bar paints over one. */
    set_rgb(cr, GDS_BLACK);
    for (size_t i = 0; i < c->ncategories; i++) {
        double gx = f->x + i * f->band + (f->band - inner) / 2;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->series[s].values[i];
            num_format(num, sizeof num, v, value_decimals(v, f->axis.decimals), 1);
            double room = c->nseries == 1 ? f->band - 2 : barw;
            if (label_size(cr, fam, num, room) == 0)
                continue;
            text_at(cr, num, gx + (s + 0.5) * barw, frame_y(f, v) - 6, 0);
        }
    }
}

static void plot_lines(cairo_t *cr, const char *fam, const struct chart *c, const struct frame *f)
{
    char num[64];
    frame_baseline(cr, f);
    plot_reference(cr, fam, c, f);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t s = 0; s < c->nseries; s++) {
        set_rgb(cr, series_styles[s].fill);
        cairo_set_line_width(cr, 3);
        bool pen = false; /* a gap lifts it */
        for (size_t i = 0; i < c->ncategories; i++) {
            double v = c->series[s].values[i];
            if (isnan(v)) {
                pen = false;
                continue;
            }
            double x = f->x + (i + 0.5) * f->band, y = frame_y(f, v);
            if (pen)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            pen = true;
        }
        cairo_stroke(cr);
    }
    /* Markers over every line, so a later line never hides an earlier
     * series' shapes; skipped when points are closer than a marker. A gap is
     * a short dash on the baseline, so "no data" never reads as zero. */
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncategories; i++) {
            double v = c->series[s].values[i], x = f->x + (i + 0.5) * f->band;
            if (isnan(v)) {
                set_rgb(cr, GDS_DARK_GREY);
                cairo_set_line_width(cr, 2);
                cairo_move_to(cr, x - 5, f->y + f->h - 8);
                cairo_line_to(cr, x + 5, f->y + f->h - 8);
                cairo_stroke(cr);
            } else if (f->band >= 8) {
                marker_draw(cr, s, x, frame_y(f, v));
            }
        }
    if (c->nseries != 1)
        return; /* labels of several lines would land on each other */
    set_rgb(cr, GDS_BLACK);
    for (size_t i = 0; i < c->ncategories; i++) {
        double v = c->series[0].values[i];
        if (isnan(v))
            continue;
        num_format(num, sizeof num, v, value_decimals(v, f->axis.decimals), 1);
        if (label_size(cr, fam, num, f->band - 2) == 0)
            continue;
        text_at(cr, num, f->x + (i + 0.5) * f->band, frame_y(f, v) - 10, 0);
    }
}

static int chart_draw(const struct chart *c, enum kind kind, enum chart_format fmt, struct buf *out,
                      char *err, size_t errlen)
{
    double dmax = 0, W = 0, H = 0; /* set by the checks; gcc -O2 cannot see it */
    if (check_chart(c, kind == KIND_LINE, out, &dmax, err, errlen) < 0 ||
        check_dims(c->width, c->height, &W, &H, err, errlen) < 0)
        return -1;
    struct buf desc;
    buf_init(&desc, DESC_MAX);
    if (fmt == CHART_SVG &&
        chart_desc(c, kind == KIND_BAR ? "Bar chart" : "Line chart", &desc) < 0) {
        buf_release(&desc);
        return fail(err, errlen, "chart description is longer than %d bytes", DESC_MAX);
    }
    struct canvas cv;
    if (canvas_open(&cv, fmt, W, H, c->title, out, err, errlen) < 0) {
        buf_release(&desc);
        return -1;
    }
    struct frame f;
    if (frame_draw(&cv, c, kind, dmax, &f, err, errlen) < 0) {
        canvas_abandon(&cv);
        buf_release(&desc);
        return -1;
    }
    if (kind == KIND_BAR)
        plot_bars(cv.cr, cv.family, c, &f);
    else
        plot_lines(cv.cr, cv.family, c, &f);
    int rc = canvas_close(&cv, out, desc.data, err, errlen);
    buf_release(&desc);
    return rc;
}

int chart_bar(const struct chart *c, enum chart_format fmt, struct buf *out, char *err,
              size_t errlen)
{
    return chart_draw(c, KIND_BAR, fmt, out, err, errlen);
}

int chart_line(const struct chart *c, enum chart_format fmt, struct buf *out, char *err,
               size_t errlen)
{
    return chart_draw(c, KIND_LINE, fmt, out, err, errlen);
}

/* ---------------------------------------------------------- RAG table */

#define RAG_NOTE_LINES  3
#define RAG_LABEL_LINES 2
#define RAG_LINE_H      22.0
#define RAG_HEAD_H      40.0
#define RAG_STATUS_W    112.0

struct rag_style {
    const char *word;
    unsigned fill, ink;
};

/* Text colours chosen for contrast on each fill: white on red and green,
 * black on orange (white on GDS orange is under 3:1). */
static const struct rag_style rag_styles[] = {
    [RAG_RED] = {"Red", GDS_RED, WHITE},
    [RAG_AMBER] = {"Amber", GDS_ORANGE, GDS_BLACK},
    [RAG_GREEN] = {"Green", GDS_GREEN, WHITE},
    [RAG_NONE] = {"None", GDS_LIGHT_GREY, GDS_BLACK},
};

struct rag_layout {
    char label[RAG_LABEL_LINES][NOTE_MAX];
    char note[RAG_NOTE_LINES][NOTE_MAX];
    size_t nlabel, nnote;
};

static double rag_row_height(const struct rag_layout *l)
{
    size_t n = l->nlabel > l->nnote ? l->nlabel : l->nnote;
    if (n == 0)
        n = 1;
    return (double)n * RAG_LINE_H + 18;
}

/* Wraps a row's label and note into their columns. */
static void rag_wrap(cairo_t *cr, const char *family, const struct rag_row *r, double labelw,
                     double notew, struct rag_layout *l)
{
    char text[NOTE_MAX];
    font(cr, family, 16, 0);
    text_clean(text, sizeof text, r->label);
    l->nlabel = text_wrap(cr, text, labelw, l->label, RAG_LABEL_LINES);
    text_clean(text, sizeof text, r->note);
    l->nnote = text_wrap(cr, text, notew, l->note, RAG_NOTE_LINES);
}

static int rag_desc(const struct rag_row *rows, size_t nrows, struct buf *d)
{
    char text[NOTE_MAX];
    int rc = buf_printf(d, "Status table with %zu rows.", nrows);
    for (size_t i = 0; rc == 0 && i < nrows; i++) {
        text_clean(text, sizeof text, rows[i].label);
        rc = buf_printf(d, " %s: %s", *text ? text : "(no label)", rag_styles[rows[i].status].word);
        text_clean(text, sizeof text, rows[i].note);
        if (rc == 0 && *text)
            rc = buf_printf(d, " (%s)", text);
        rc = rc < 0 ? rc : buf_puts(d, ".");
    }
    return rc;
}

int chart_rag_table(const char *title, const struct rag_row *rows, size_t nrows,
                    enum chart_format fmt, struct buf *out, char *err, size_t errlen)
{
    if (!out)
        return fail(err, errlen, "chart output buffer is missing");
    if (check_title(title, err, errlen) < 0)
        return -1;
    if (nrows > CHART_MAX_ROWS)
        return fail(err, errlen, "status table has %zu rows; at most %d can be drawn", nrows,
                    CHART_MAX_ROWS);
    if (nrows && !rows)
        return fail(err, errlen, "status table rows are missing");
    for (size_t i = 0; i < nrows; i++)
        if ((unsigned)rows[i].status > (unsigned)RAG_NONE)
            return fail(err, errlen, "rows[%zu].status %d is not red, amber, green or none", i,
                        (int)rows[i].status);

    const double W = CHART_DEFAULT_WIDTH;
    const double labelx = PAD, labelw = (W - 2 * PAD) * 0.34;
    const double statusx = labelx + labelw, notex = statusx + RAG_STATUS_W;
    const double notew = W - PAD - notex - 8;

    /* Measure on a scratch recording surface: the real surface's height
     * depends on how the notes wrap. */
    const char *fam0 = font_family();
    cairo_surface_t *scratch = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *mcr = cairo_create(scratch);
    struct rag_layout *lay = calloc(nrows ? nrows : 1, sizeof(*lay));
    if (!lay) {
        cairo_destroy(mcr);
        cairo_surface_destroy(scratch);
        return fail(err, errlen, "status table: out of memory");
    }
    double H = PAD + 36 + RAG_HEAD_H + PAD;
    for (size_t i = 0; i < nrows; i++) {
        rag_wrap(mcr, fam0, &rows[i], labelw - 12, notew, &lay[i]);
        H += rag_row_height(&lay[i]);
    }
    if (nrows == 0)
        H += RAG_LINE_H + 18;
    cairo_destroy(mcr);
    cairo_surface_destroy(scratch);

    struct buf desc;
    buf_init(&desc, DESC_MAX);
    if (fmt == CHART_SVG && rag_desc(rows, nrows, &desc) < 0) {
        free(lay);
        buf_release(&desc);
        return fail(err, errlen, "status table description is longer than %d bytes", DESC_MAX);
    }
    struct canvas cv;
    if (canvas_open(&cv, fmt, W, H, title, out, err, errlen) < 0) {
        free(lay);
        buf_release(&desc);
        return -1;
    }
    cairo_t *cr = cv.cr;
    const char *fam = cv.family;
    char text[TEXT_MAX];

    font(cr, fam, 22, 1);
    snprintf(text, sizeof text, "%s", cv.title);
    text_fit(cr, text, W - 2 * PAD);
    set_rgb(cr, GDS_BLACK);
    text_at(cr, text, PAD, PAD + 20, -1);

    /* Header row, GOV.UK table style: bold, ruled off in black. */
    double y = PAD + 36;
    font(cr, fam, 16, 1);
    text_at(cr, "Item", labelx, y + 26, -1);
    text_at(cr, "Status", statusx + 6, y + 26, -1);
    text_at(cr, "Note", notex + 8, y + 26, -1);
    y += RAG_HEAD_H;
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, PAD, y - 1);
    cairo_line_to(cr, W - PAD, y - 1);
    cairo_stroke(cr);

    if (nrows == 0) {
        font(cr, fam, 16, 0);
        text_at(cr, "Nothing to show", labelx, y + 26, -1);
    }
    for (size_t i = 0; i < nrows; i++) {
        const struct rag_layout *l = &lay[i];
        const struct rag_style *st = &rag_styles[rows[i].status];
        double rh = rag_row_height(l);
        font(cr, fam, 16, 0);
        set_rgb(cr, GDS_BLACK);
        for (size_t k = 0; k < l->nlabel; k++)
            text_at(cr, l->label[k], labelx, y + 26 + k * RAG_LINE_H, -1);
        for (size_t k = 0; k < l->nnote; k++)
            text_at(cr, l->note[k], notex + 8, y + 26 + k * RAG_LINE_H, -1);

        cairo_rectangle(cr, statusx + 2, y + 6, RAG_STATUS_W - 8, 28);
        set_rgb(cr, st->fill);
        cairo_fill_preserve(cr);
        if (rows[i].status == RAG_NONE) {
            set_rgb(cr, GDS_MID_GREY);
            cairo_set_line_width(cr, 1);
            cairo_stroke(cr);
        } else {
            cairo_new_path(cr);
        }
        font(cr, fam, 16, 1);
        set_rgb(cr, st->ink);
        text_at(cr, st->word, statusx + 2 + (RAG_STATUS_W - 8) / 2, y + 26, 0);

        y += rh;
        set_rgb(cr, GDS_MID_GREY);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, PAD, floor(y) - 0.5);
        cairo_line_to(cr, W - PAD, floor(y) - 0.5);
        cairo_stroke(cr);
    }
    free(lay);
    int rc = canvas_close(&cv, out, desc.data, err, errlen);
    buf_release(&desc);
    return rc;
}

void chart_shutdown(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
