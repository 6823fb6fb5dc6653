/* test_template.c — unit tests for http/template: escaping, compile errors
 * with "name:line: message", and rendering of the shipped templates with
 * hostile and odd data (never a crash, never a truncated page). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/embedded.h"
#include "http/template.h"

extern const struct embedded_file web_templates[];

#define BIG (16 * 1024 * 1024)

/* ---- helpers ------------------------------------------------------------- */

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
    if (!v) {
        print_error("test JSON does not parse: %s: %s\n", text, je.text);
        fail();
    }
    return v;
}

static void expect_html(const char *in, size_t len, const char *want, size_t wantlen)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, "[");
    html_escape(&b, in, len);
    buf_puts(&b, "]");
    assert_int_equal(b.len, wantlen + 2);
    assert_int_equal(b.data[0], '[');
    assert_memory_equal(b.data + 1, want, wantlen);
    assert_int_equal(b.data[b.len - 1], ']');
    buf_release(&b);
}

#define EXPECT_HTML(in, want) expect_html(in, strlen(in), want, strlen(want))

static void expect_url(const char *in, const char *want)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    url_escape(&b, in);
    if (strcmp(b.data ? b.data : "", want) != 0) {
        print_error("url_escape(\"%s\") = \"%s\", want \"%s\"\n", in, b.data ? b.data : "", want);
        buf_release(&b);
        fail();
    }
    buf_release(&b);
}

static void expect_compiles(const char *text)
{
    char err[256] = "";
    int rc = template_compile_one("t.html", text, strlen(text), err, sizeof(err));
    if (rc != 0) {
        print_error("refused: %s\n  template: %s\n", err, text);
        fail();
    }
}

/* Expects a refusal with exactly want as the message. */
static void expect_refused(const char *text, const char *want)
{
    char err[256] = "";
    int rc = template_compile_one("t.html", text, strlen(text), err, sizeof(err));
    if (rc != -1 || strcmp(err, want) != 0) {
        print_error("template: %s\n  rc %d, err \"%s\"\n  want \"%s\"\n", text, rc, err, want);
        fail();
    }
}

/* Renders a shipped template; the rendered page is returned (free it). */
static char *render(const char *name, const json_t *data)
{
    struct buf b;
    buf_init(&b, BIG);
    int rc = template_render(name, data, &b);
    if (rc != 0) {
        print_error("template_render(%s) = %d\n", name, rc);
        buf_release(&b);
        fail();
    }
    return buf_detach(&b);
}

static void expect_in(const char *page, const char *needle)
{
    if (!strstr(page, needle)) {
        print_error("expected \"%s\" in the page:\n%s\n", needle, page);
        fail();
    }
}

static void expect_not_in(const char *page, const char *needle)
{
    if (strstr(page, needle)) {
        print_error("did not expect \"%s\" in the page:\n%s\n", needle, page);
        fail();
    }
}

static int setup_templates(void **state)
{
    (void)state;
    char err[256] = "";
    if (template_init(err, sizeof(err)) != 0) {
        fprintf(stderr, "template_init: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown_templates(void **state)
{
    (void)state;
    template_release();
    return 0;
}

/* ---- escaping ------------------------------------------------------------ */

static void test_html_escape(void **state)
{
    (void)state;
    EXPECT_HTML("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    EXPECT_HTML("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
    EXPECT_HTML("' onfocus='alert(1)", "&#39; onfocus=&#39;alert(1)");
    EXPECT_HTML("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    EXPECT_HTML("Tom & Jerry", "Tom &amp; Jerry");
    /* Already-escaped text is escaped again: values are data, not markup. */
    EXPECT_HTML("&amp;&lt;", "&amp;amp;&amp;lt;");
    EXPECT_HTML("", "");
    EXPECT_HTML("plain text, nothing to do", "plain text, nothing to do");
    EXPECT_HTML("&&&", "&amp;&amp;&amp;");
    EXPECT_HTML("<", "&lt;");
    /* UTF-8 and other bytes pass through untouched. */
    EXPECT_HTML("Zo\xc3\xab \xe2\x9c\x93 `=/", "Zo\xc3\xab \xe2\x9c\x93 `=/");
    /* Only len bytes are read; an embedded NUL is kept as it is. */
    expect_html("<b>", 1, "&lt;", 4);
    expect_html("a\0<", 3, "a\0&lt;", 6);

    /* Appends to what the buffer holds. */
    struct buf b;
    buf_init(&b, 100);
    buf_puts(&b, "x=");
    html_escape(&b, "<", 1);
    assert_string_equal(b.data, "x=&lt;");
    buf_release(&b);

    /* A buffer too small: the append is refused and marked. */
    buf_init(&b, 8);
    html_escape(&b, "<<<<<<<<", 8);
    assert_true(b.overflowed);
    assert_true(b.len <= 8);
    buf_release(&b);
}

static void test_url_escape(void **state)
{
    (void)state;
    expect_url("", "");
    expect_url("AZaz09-_.~", "AZaz09-_.~");
    expect_url("a b", "a%20b");
    expect_url("/people?q=a&b=c#top", "%2Fpeople%3Fq%3Da%26b%3Dc%23top");
    expect_url("+%=", "%2B%25%3D");
    expect_url("\"<'>", "%22%3C%27%3E");
    expect_url("Zo\xc3\xab", "Zo%C3%AB");
    expect_url("\xff\x01\x7f", "%FF%01%7F");
    expect_url("javascript:alert(1)", "javascript%3Aalert%281%29");
    expect_url("//evil.example", "%2F%2Fevil.example");
}

/* ---- compiling ----------------------------------------------------------- */

static void test_compile_valid(void **state)
{
    (void)state;
    expect_compiles("");
    expect_compiles("plain text { with } single braces }} and a stray close");
    expect_compiles("{{a}}");
    expect_compiles("{{ a }}");
    expect_compiles("{{page.person.given_name}}");
    expect_compiles("{{error_map.addresses.0.line1}}");
    expect_compiles("{{#a}}{{.}} {{@index}}{{/a}}");
    expect_compiles("{{#a}}{{#b}}{{/b}}{{/a}}");
    expect_compiles("{{#a}}{{#a}}{{/a}}{{/a}}");
    expect_compiles("{{^a}}none{{/a}}");
    expect_compiles("{{#a}}\n{{/ a }}");
    expect_compiles("{{#eq status \"404\"}}Page not found{{/eq}}");
    expect_compiles("{{raw a}}");
    expect_compiles("{{! a comment }}");
    expect_compiles("{{! a comment\nover\nlines }}{{a}}");
    expect_compiles("{{a|date}}{{a|datetime}}{{a|url}}{{a|humanise}}{{a|count}}"
                    "{{a|day}}{{a|month}}{{a|year}}");
    expect_compiles("{{ a | date }}");
    expect_compiles("{{#a|count}}x{{/a}}");
    expect_compiles("{{dob-day}}");
    expect_compiles("{{> t}}"); /* itself: resolved in the one-template set */
    /* A path of 127 characters is the longest accepted. */
    char text[256];
    char path[128];
    memset(path, 'p', 127);
    path[127] = '\0';
    snprintf(text, sizeof(text), "{{%s}}", path);
    expect_compiles(text);
}

static void test_compile_sections(void **state)
{
    (void)state;
    /* An unclosed section is named; the line is where the end was reached
     * (see the report: the opening line would help more). */
    char err[256] = "";
    const char *t = "a\n{{#flags}}\nb\n";
    assert_int_equal(template_compile_one("person.html", t, strlen(t), err, sizeof(err)), -1);
    assert_true(strncmp(err, "person.html:", 12) == 0);
    assert_non_null(strstr(err, ": section 'flags' is never closed"));

    expect_refused("{{#a}}", "t.html:1: section 'a' is never closed");
    expect_refused("{{#a}}{{#b}}{{/b}}", "t.html:1: section 'a' is never closed");
    expect_refused("{{^a}}x", "t.html:1: section 'a' is never closed");
    expect_refused("{{#eq a \"x\"}}y", "t.html:1: section 'eq' is never closed");
    /* Mismatched close, on the line of the close. */
    expect_refused("{{#a}}\n{{/b}}", "t.html:2: '{{/b}}' closes nothing open here");
    expect_refused("{{#a}}{{#b}}\n\n{{/a}}{{/b}}", "t.html:3: '{{/a}}' closes nothing open here");
    expect_refused("{{#eq a \"x\"}}{{/a}}", "t.html:1: '{{/a}}' closes nothing open here");
    /* A stray close. */
    expect_refused("x\n\n{{/a}}", "t.html:3: '{{/a}}' closes nothing open here");
    expect_refused("{{/}}", "t.html:1: '{{/}}' closes nothing open here");
    expect_refused("{{#a}}{{/a}}{{/a}}", "t.html:1: '{{/a}}' closes nothing open here");
    /* Lines inside tags and comments are counted. */
    expect_refused("{{! one\ntwo\n}}\n{{/z}}", "t.html:4: '{{/z}}' closes nothing open here");
}

static void test_compile_tags(void **state)
{
    (void)state;
    expect_refused("{{x", "t.html:1: a tag is not closed with '}}'");
    expect_refused("{{", "t.html:1: a tag is not closed with '}}'");
    expect_refused("ab\n{{x}", "t.html:2: a tag is not closed with '}}'");
    expect_refused("{{a}}\n\n{{b", "t.html:3: a tag is not closed with '}}'");
    expect_refused("{{#a}}{{x", "t.html:1: a tag is not closed with '}}'");
    /* Bad paths. */
    expect_refused("{{a b}}", "t.html:1: 'a b' is not a valid path");
    expect_refused("{{}}", "t.html:1: '' is not a valid path");
    expect_refused("{{ }}", "t.html:1: '' is not a valid path");
    expect_refused("{{<script>}}", "t.html:1: '<script>' is not a valid path");
    expect_refused("x\n{{a\"b}}", "t.html:2: 'a\"b' is not a valid path");
    expect_refused("{{a/b}}", "t.html:1: 'a/b' is not a valid path");
    expect_refused("{{#a b}}{{/a b}}", "t.html:1: 'a b' is not a valid path");
    expect_refused("{{raw a b}}", "t.html:1: 'a b' is not a valid path");
    /* "raw" alone is a plain path, not the raw keyword. */
    expect_compiles("{{raw }}");
    expect_compiles("{{raw}}");
    /* Too long a path (128 characters). */
    char text[300], path[129], want[300];
    memset(path, 'p', 128);
    path[128] = '\0';
    snprintf(text, sizeof(text), "{{%s}}", path);
    snprintf(want, sizeof(want), "t.html:1: '%.100s' is not a valid path", path);
    expect_refused(text, want);
    /* Unknown filters. */
    expect_refused("{{x|upper}}", "t.html:1: unknown filter 'upper'");
    expect_refused("{{x|}}", "t.html:1: unknown filter ''");
    expect_refused("{{x|Date}}", "t.html:1: unknown filter 'Date'");
    expect_refused("{{x|date|url}}", "t.html:1: unknown filter 'date|url'");
    expect_refused("\n{{raw x|dates}}", "t.html:2: unknown filter 'dates'");
    expect_refused("{{#x|nope}}{{/x}}", "t.html:1: unknown filter 'nope'");
}

static void test_compile_eq(void **state)
{
    (void)state;
    expect_compiles("{{#eq form.gender \"\"}}{{/eq}}");
    expect_compiles("{{#eq a \"two words\"}}{{/eq}}");
    expect_refused("{{#eq status 404}}{{/eq}}", "t.html:1: write {{#eq path \"text\"}}");
    expect_refused("{{#eq status \"404}}{{/eq}}", "t.html:1: write {{#eq path \"text\"}}");
    expect_refused("{{#eq status 404\"}}{{/eq}}", "t.html:1: write {{#eq path \"text\"}}");
    expect_refused("{{#eq status \"}}{{/eq}}", "t.html:1: write {{#eq path \"text\"}}");
    expect_refused("{{#eq \"x\"}}{{/eq}}", "t.html:1: '' is not a valid path");
    expect_refused("{{#eq a b \"x\"}}{{/eq}}", "t.html:1: 'a b' is not a valid path");
    expect_refused("{{#eq a|nope \"x\"}}{{/eq}}", "t.html:1: unknown filter 'nope'");
    char text[400], arg[200];
    memset(arg, 'x', 199);
    arg[199] = '\0';
    snprintf(text, sizeof(text), "{{#eq a \"%s\"}}{{/eq}}", arg);
    expect_refused(text, "t.html:1: comparison text too long");
}

static void test_compile_partials(void **state)
{
    (void)state;
    char err[256] = "";
    const char *t = "x\n{{> nothere}}";
    assert_int_equal(template_compile_one("t.html", t, strlen(t), err, sizeof(err)), -1);
    /* Named, with the template it is in (no line: see the report). */
    assert_true(strncmp(err, "t.html:", 7) == 0);
    assert_non_null(strstr(err, "partial 'nothere' does not exist"));
    expect_refused("{{> }}", "t.html:1: bad partial name");
    expect_refused("{{>}}", "t.html:1: bad partial name");
    expect_refused("{{> ../../etc/passwd}}", "t.html:1: bad partial name");
    expect_refused("{{> a b}}", "t.html:1: bad partial name");
}

static void test_compile_err_buffer(void **state)
{
    (void)state;
    /* A small error buffer is filled and terminated, never overrun. */
    char err[12];
    memset(err, 'Z', sizeof(err));
    const char *t = "{{#a_long_section_name}}";
    assert_int_equal(template_compile_one("t.html", t, strlen(t), err, 8), -1);
    assert_int_equal(strlen(err), 7);
    assert_int_equal(err[8], 'Z');
    /* Text is taken by length: a template need not be NUL-terminated. */
    char e2[128];
    assert_int_equal(template_compile_one("t.html", "{{a}}{{", 5, e2, sizeof(e2)), 0);
}

/* ---- the shipped templates ----------------------------------------------- */

static void test_init_shipped(void **state)
{
    (void)state;
    char err[256] = "";
    assert_int_equal(template_init(err, sizeof(err)), 0);
    assert_string_equal(err, "");
    /* Compiling again replaces the set. */
    assert_int_equal(template_init(err, sizeof(err)), 0);
    int n = 0;
    for (const struct embedded_file *f = web_templates; f->name; f++, n++) {
        struct buf b;
        buf_init(&b, BIG);
        json_t *d = json_object();
        assert_int_equal(template_render(f->name, d, &b), 0);
        json_decref(d);
        buf_release(&b);
    }
    assert_true(n > 0);
    struct buf b;
    buf_init(&b, BIG);
    assert_int_equal(template_render("no_such_page.html", NULL, &b), -1);
    /* A partial's short name finds the page too. */
    assert_int_equal(template_render("error", NULL, &b), 0);
    buf_release(&b);
}

static void test_error_page_escapes(void **state)
{
    (void)state;
    json_t *d = parse("{\"status\":404,\"error\":{\"message\":\"<img src=x onerror=alert(1)>\"}}");
    char *page = render("error.html", d);
    expect_in(page, "Page not found");
    expect_in(page, "&lt;img src=x onerror=alert(1)&gt;");
    expect_in(page, "<title>&lt;img src=x onerror=alert(1)&gt; - Safeguard</title>");
    expect_not_in(page, "<img");
    expect_not_in(page, "You cannot see this");
    free(page);
    json_decref(d);

    /* Quotes that would break out of an attribute. */
    d = parse("{\"status\":403,\"error\":{\"message\":\"\\\" onmouseover=\\\"x' y\"},"
              "\"user\":{\"display_name\":\"<script>alert(1)</script>\",\"roles\":"
              "[\"<b>x</b>\",\"child_protection_plan\"]},\"csrf\":\"\\\"><script>\","
              "\"nav\":[{\"href\":\"/work\\\" onclick=\\\"x\",\"text\":\"<i>\","
              "\"current\":true}],\"version\":\"\\\"><script>\"}");
    page = render("error.html", d);
    expect_in(page, "You cannot see this");
    expect_not_in(page, "Page not found");
    expect_in(page, "&quot; onmouseover=&quot;x&#39; y");
    expect_not_in(page, "\" onmouseover");
    expect_in(page, "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect_in(page, "value=\"&quot;&gt;&lt;script&gt;\"");
    expect_in(page, "href=\"/work&quot; onclick=&quot;x\"");
    expect_in(page, "&lt;b&gt;x&lt;/b&gt;");
    expect_in(page, "Child protection plan");
    expect_not_in(page, "<script>");
    expect_not_in(page, "<b>");
    expect_not_in(page, "<i>");
    free(page);
    json_decref(d);

    /* The status as text chooses the heading as well. */
    d = parse("{\"status\":\"500\",\"error\":{\"message\":\"x\"}}");
    page = render("error.html", d);
    expect_in(page, "Sorry, there is a problem with the service");
    free(page);
    json_decref(d);
}

/* Every path segment the shipped templates use, to build odd data with. */
static void collect_names(json_t *names)
{
    for (const struct embedded_file *f = web_templates; f->name; f++) {
        const char *p = f->data, *end = f->data + f->len;
        while (p + 1 < end) {
            if (!(p[0] == '{' && p[1] == '{')) {
                p++;
                continue;
            }
            p += 2;
            char seg[128];
            size_t l = 0;
            while (p < end && !(p[0] == '}' && p + 1 < end && p[1] == '}')) {
                char c = *p++;
                int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                           (c >= '0' && c <= '9') || c == '-';
                if (word && l + 1 < sizeof(seg)) {
                    seg[l++] = c;
                } else if (l) {
                    seg[l] = '\0';
                    json_object_set_new(names, seg, json_true());
                    l = 0;
                }
            }
            if (l) {
                seg[l] = '\0';
                json_object_set_new(names, seg, json_true());
            }
        }
    }
}

#define HOSTILE "<img src=x onerror=alert(1)>\" onmouseover=\"x'"

/* A leaf value of kind k (0..9). */
static json_t *leaf(int k)
{
    switch (k) {
    case 0:
        return json_string(HOSTILE);
    case 1:
        return json_integer(0);
    case 2:
        return json_integer(-9223372036854775807LL - 1);
    case 3:
        return json_real(-1.5e300);
    case 4:
        return json_true();
    case 5:
        return json_false();
    case 6:
        return json_null();
    case 7:
        return json_string("");
    case 8:
        return json_string("2026-03-29T01:00:00Z");
    default:
        return json_pack("[s,i,n,b,{s:s}]", HOSTILE, 7, 1, "x", HOSTILE);
    }
}

/* Data where every name used anywhere maps to odd values, with nesting
 * (objects and arrays of objects) shared between levels. */
static json_t *odd_data(const json_t *names, int seed, int levels)
{
    json_t *below = NULL;
    for (int level = 0; level < levels; level++) {
        json_t *obj = json_object();
        const char *name;
        json_t *v;
        int i = 0;
        json_object_foreach((json_t *)names, name, v)
        {
            int k = (seed + i * 7 + level * 3) % 13;
            i++;
            if (below && k == 10)
                json_object_set(obj, name, below);
            else if (below && (k == 11 || k == 12))
                json_object_set_new(obj, name, json_pack("[O,O,s]", below, below, HOSTILE));
            else
                json_object_set_new(obj, name, leaf(k));
        }
        json_decref(below);
        below = obj;
    }
    return below;
}

static void render_all(const json_t *data, const char *what)
{
    for (const struct embedded_file *f = web_templates; f->name; f++) {
        struct buf b;
        buf_init(&b, BIG);
        int rc = template_render(f->name, data, &b);
        if (rc != 0) {
            print_error("%s with %s: rc %d (overflowed %d, %zu bytes)\n", f->name, what, rc,
                        b.overflowed, b.len);
            buf_release(&b);
            fail();
        }
        /* No template uses {{raw}}, so no hostile markup can appear. */
        if (b.data && (strstr(b.data, "<img src=x") || strstr(b.data, "\" onmouseover"))) {
            print_error("%s with %s: unescaped output\n", f->name, what);
            buf_release(&b);
            fail();
        }
        buf_release(&b);
    }
}

static void test_render_odd_data(void **state)
{
    (void)state;
    /* Odd roots. */
    json_t *roots[] = {
        NULL,         json_null(),   json_true(),   json_integer(3), json_string(HOSTILE),
        json_array(), json_object(), json_real(0.5)};
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        render_all(roots[i], "an odd root");
        json_decref(roots[i]);
    }
    json_t *names = json_object();
    collect_names(names);
    assert_true(json_object_size(names) > 20);
    for (int seed = 0; seed < 13; seed++) {
        for (int levels = 1; levels <= 3; levels++) {
            json_t *d = odd_data(names, seed, levels);
            char what[64];
            snprintf(what, sizeof(what), "odd data (seed %d, %d levels)", seed, levels);
            render_all(d, what);
            json_decref(d);
        }
    }
    json_decref(names);
}

static void test_render_overflow(void **state)
{
    (void)state;
    json_t *d = parse("{\"status\":404,\"error\":{\"message\":\"Not here\"}}");
    struct buf b;
    buf_init(&b, 64);
    assert_int_equal(template_render("error.html", d, &b), -1);
    assert_true(b.len <= 64);
    buf_release(&b);

    /* Exactly at the limit is fine; one byte less is refused, never cut. */
    buf_init(&b, BIG);
    assert_int_equal(template_render("error.html", d, &b), 0);
    size_t full = b.len;
    char *whole = buf_detach(&b);
    assert_true(full > 100);

    buf_init(&b, full);
    assert_int_equal(template_render("error.html", d, &b), 0);
    assert_int_equal(b.len, full);
    assert_memory_equal(b.data, whole, full);
    buf_release(&b);

    for (size_t cut = 1; cut <= 40; cut++) {
        buf_init(&b, full - cut);
        assert_int_equal(template_render("error.html", d, &b), -1);
        assert_true(b.overflowed);
        buf_release(&b);
    }
    /* Overflowing in an escaped value, too. */
    json_t *big = json_pack("{s:i, s:{s:s}}", "status", 404, "error", "message", "<<<<<<<<<<");
    buf_init(&b, full + 5);
    assert_int_equal(template_render("error.html", big, &b), -1);
    buf_release(&b);
    json_decref(big);
    free(whole);
    json_decref(d);
}

/* ---- filters, through the shipped templates ------------------------------ */

static void test_filter_date(void **state)
{
    (void)state;
    json_t *d = parse("{\"page\":{\"total\":4,\"results\":["
                      "{\"id\":1,\"given_name\":\"Ann\",\"dob\":\"2014-03-09\"},"
                      "{\"id\":2,\"given_name\":\"Bo\",\"dob\":\"2000-12-31\","
                      "\"dob_accuracy\":\"approximate\"},"
                      "{\"id\":3,\"given_name\":\"Cy\",\"dob\":\"2014-13-45\"},"
                      "{\"id\":4,\"given_name\":\"Di\",\"dob\":\"<b>2014</b>\"},"
                      "{\"id\":5,\"given_name\":\"Ed\",\"dob\":null}]}}");
    char *page = render("people_search.html", d);
    expect_in(page, ">9 March 2014<");
    expect_in(page, ">31 December 2000 (approximate)<");
    expect_in(page, ">2014-13-45<"); /* not a date: shown as it is */
    expect_in(page, ">&lt;b&gt;2014&lt;/b&gt;<");
    expect_in(page, ">Not known<");
    expect_not_in(page, "<b>2014");
    free(page);
    json_decref(d);
}

/* A key missing from one array item must not be taken from another item.
 * people_search.html guards its table with {{#page.results.0}}, which pushes
 * the first result as a context; {{dob}} in a later row without "dob" then
 * resolves to the first person's date of birth (reported as a bug). */
static void test_missing_key_not_taken_from_first_row(void **state)
{
    (void)state;
    json_t *d = parse("{\"page\":{\"total\":2,\"results\":["
                      "{\"id\":1,\"given_name\":\"Ann\",\"dob\":\"2014-03-09\",\"age\":12},"
                      "{\"id\":5,\"given_name\":\"Ed\"}]}}");
    char *page = render("people_search.html", d);
    const char *ed = strstr(page, "href=\"/people/5\"");
    assert_non_null(ed);
    if (strstr(ed, "9 March 2014")) {
        print_error("the row for Ed (no \"dob\" key) shows Ann's date of birth:\n%s\n", ed);
        free(page);
        json_decref(d);
        fail();
    }
    expect_in(ed, ">Not known<");
    free(page);
    json_decref(d);
}

static char *access_log_with(const char *at)
{
    json_t *d = json_pack("{s:{s:i, s:[{s:s, s:s, s:s, s:s, s:s}]}}", "page", "person_id", 7,
                          "entries", "at", at, "username", "u", "roles", "r", "action",
                          "person_update", "remote_addr", "127.0.0.1");
    char *page = render("access_log.html", d);
    json_decref(d);
    return page;
}

static void expect_datetime(const char *at, const char *want)
{
    char *page = access_log_with(at);
    char cell[128];
    snprintf(cell, sizeof(cell), "<td class=\"govuk-table__cell\">%s</td>", want);
    expect_in(page, cell);
    free(page);
}

static void test_filter_datetime(void **state)
{
    (void)state;
    expect_datetime("2026-07-01T12:00:00Z", "1 July 2026, 13:00");     /* BST */
    expect_datetime("2026-01-15T12:00:00Z", "15 January 2026, 12:00"); /* GMT */
    expect_datetime("2026-06-30T23:30:00Z", "1 July 2026, 00:30");     /* the next day in BST */
    expect_datetime("2026-12-31T23:59:59Z", "31 December 2026, 23:59");
    /* BST starts at 01:00 UTC on the last Sunday of March (29 March 2026). */
    expect_datetime("2026-03-29T00:59:59Z", "29 March 2026, 00:59");
    expect_datetime("2026-03-29T01:00:00Z", "29 March 2026, 02:00");
    /* ... and ends at 01:00 UTC on the last Sunday of October (25 October 2026). */
    expect_datetime("2026-10-25T00:59:59Z", "25 October 2026, 01:59");
    expect_datetime("2026-10-25T01:00:00Z", "25 October 2026, 01:00");
    /* Not a timestamp: a date is still shown as a date; anything else as it is. */
    expect_datetime("2026-07-01", "1 July 2026");
    expect_datetime("yesterday", "yesterday");
    expect_datetime("<script>", "&lt;script&gt;");
    char *page = access_log_with("person_update");
    expect_in(page, "Person update");
    free(page);
}

static int64_t ts(const char *s)
{
    int64_t t = 0;
    if (ts_parse(s, &t) != 0) {
        print_error("ts_parse(%s) failed\n", s);
        fail();
    }
    return t;
}

static void test_uk_local_boundaries(void **state)
{
    (void)state;
    static const struct {
        const char *start, *end; /* 01:00 UTC on the last Sundays of March and October */
    } years[] = {
        {"2024-03-31T01:00:00Z", "2024-10-27T01:00:00Z"},
        {"2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z"},
        {"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"},
        {"2027-03-28T01:00:00Z", "2027-10-31T01:00:00Z"},
        {"2032-03-28T01:00:00Z", "2032-10-31T01:00:00Z"},
        {"2000-03-26T01:00:00Z", "2000-10-29T01:00:00Z"},
    };
    for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
        int64_t s = ts(years[i].start), e = ts(years[i].end);
        assert_int_equal(ts_uk_local(s - 1), s - 1);
        assert_int_equal(ts_uk_local(s), s + 3600);
        assert_int_equal(ts_uk_local(s + 86400 * 7), s + 86400 * 7 + 3600);
        assert_int_equal(ts_uk_local(e - 1), e - 1 + 3600);
        assert_int_equal(ts_uk_local(e), e);
        assert_int_equal(ts_uk_local(e + 86400 * 7), e + 86400 * 7);
    }
    int64_t t = ts("2026-07-01T12:00:00Z");
    assert_int_equal(ts_uk_local(t), t + 3600);
    t = ts("2026-01-15T12:00:00Z");
    assert_int_equal(ts_uk_local(t), t);
    char out[TS_TEXT_LEN];
    ts_format(ts_uk_local(ts("2026-03-29T01:00:00Z")), out);
    assert_string_equal(out, "2026-03-29T02:00:00Z");
    ts_format(ts_uk_local(ts("2026-10-25T00:30:00Z")), out);
    assert_string_equal(out, "2026-10-25T01:30:00Z");
    ts_format(ts_uk_local(ts("2026-10-25T01:30:00Z")), out);
    assert_string_equal(out, "2026-10-25T01:30:00Z");
}

static void test_filter_url(void **state)
{
    (void)state;
    json_t *d = parse("{\"query\":{\"next\":\"/people?q=a b&x=<y>\\\"#z\"}}");
    char *page = render("sign_in.html", d);
    expect_in(page, "action=\"/sign-in?next=%2Fpeople%3Fq%3Da%20b%26x%3D%3Cy%3E%22%23z\"");
    free(page);
    json_decref(d);
    d = parse("{\"query\":{}}");
    page = render("sign_in.html", d);
    expect_in(page, "action=\"/sign-in\"");
    free(page);
    json_decref(d);
}

static void expect_date_parts(const char *dob, const char *day, const char *month, const char *year)
{
    json_t *d = json_pack("{s:{s:s}}", "form", "dob", dob);
    char *page = render("person_form.html", d);
    char want[256];
    snprintf(want, sizeof(want),
             "name=\"dob-day\" type=\"text\" inputmode=\"numeric\" value=\"%s\"", day);
    expect_in(page, want);
    snprintf(want, sizeof(want),
             "name=\"dob-month\" type=\"text\" inputmode=\"numeric\" value=\"%s\"", month);
    expect_in(page, want);
    snprintf(want, sizeof(want),
             "name=\"dob-year\" type=\"text\" inputmode=\"numeric\" value=\"%s\"", year);
    expect_in(page, want);
    free(page);
    json_decref(d);
}

static void test_filter_date_parts(void **state)
{
    (void)state;
    expect_date_parts("2014-03-09", "9", "3", "2014");
    expect_date_parts("2014-12-31", "31", "12", "2014");
    expect_date_parts("2015-02-31", "31", "2", "2015");
    /* A malformed date joined by the form comes back as it was typed. */
    expect_date_parts("2014-3-x", "x", "3", "2014");
    expect_date_parts("2014--9", "9", "", "2014");
    expect_date_parts("--9", "9", "", "");
    expect_date_parts("2014-00-00", "0", "0", "2014");
    /* Escaped like any other value. */
    expect_date_parts("\"><b>-<i>-\"x", "&quot;x", "&lt;i&gt;", "&quot;&gt;&lt;b&gt;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_url_escape),
        cmocka_unit_test(test_compile_valid),
        cmocka_unit_test(test_compile_sections),
        cmocka_unit_test(test_compile_tags),
        cmocka_unit_test(test_compile_eq),
        cmocka_unit_test(test_compile_partials),
        cmocka_unit_test(test_compile_err_buffer),
        cmocka_unit_test(test_uk_local_boundaries),
        cmocka_unit_test_teardown(test_init_shipped, teardown_templates),
        cmocka_unit_test_setup_teardown(test_error_page_escapes, setup_templates,
                                        teardown_templates),
        cmocka_unit_test_setup_teardown(test_render_odd_data, setup_templates, teardown_templates),
        cmocka_unit_test_setup_teardown(test_render_overflow, setup_templates, teardown_templates),
        cmocka_unit_test_setup_teardown(test_filter_date, setup_templates, teardown_templates),
        cmocka_unit_test_setup_teardown(test_missing_key_not_taken_from_first_row, setup_templates,
                                        teardown_templates),
        cmocka_unit_test_setup_teardown(test_filter_datetime, setup_templates, teardown_templates),
        cmocka_unit_test_setup_teardown(test_filter_url, setup_templates, teardown_templates),
        cmocka_unit_test_setup_teardown(test_filter_date_parts, setup_templates,
                                        teardown_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
