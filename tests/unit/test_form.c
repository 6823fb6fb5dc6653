/* test_form.c — unit tests for http/form: urlencoded parsing, and the form
 * post turned into the same JSON the API takes (dates joined, rows nested,
 * repeated names into arrays, blanks left out, csrf_token/_method taken out). */
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

#include "core/arena.h"
#include "http/form.h"
#include "http/validate.h"

/* ---- a field table shaped like the person form's ------------------------- */

static const char *const genders[] = {"female", "male", "other", "unknown", NULL};
static const char *const role_values[] = {"social_worker", "police_officer", "manager", NULL};

static const struct field address_fields[] = {
    {.name = "line1", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "postcode", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 10},
    {.name = "valid_from", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {0}};

static const struct field restriction_fields[] = {
    {.name = "roles", .type = FIELD_ARRAY, .max_len = 11, .values = role_values},
    {.name = "teams", .type = FIELD_STRINGS, .max_len = 20, .max = 64},
    {0}};

/* A map keyed by names the database defines (case audit criteria). */
static const char *const grade_values[] = {"good", "inadequate", NULL};
static const struct field grade_fields[] = {
    {.name = "grade", .type = FIELD_ENUM, .values = grade_values},
    {.name = "reason", .type = FIELD_STRING, .max_len = 100},
    {0}};

static const struct field person_fields[] = {
    {.name = "version", .type = FIELD_INT, .min = 1, .max = 1000000000},
    {.name = "given_name", .type = FIELD_STRING, .max_len = 100},
    {.name = "family_name", .type = FIELD_STRING, .max_len = 100},
    {.name = "dob", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "gender", .type = FIELD_ENUM, .values = genders},
    {.name = "ethnicity", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 100},
    {.name = "addresses", .type = FIELD_ARRAY, .max_len = 50, .children = address_fields},
    {.name = "roles", .type = FIELD_ARRAY, .max_len = 11, .values = role_values},
    {.name = "teams", .type = FIELD_STRINGS, .max_len = 20, .max = 64},
    {.name = "restricted_to",
     .type = FIELD_OBJECT,
     .flags = FIELD_NULLABLE,
     .children = restriction_fields},
    {.name = "confirmed_new", .type = FIELD_BOOL},
    {.name = "grades", .type = FIELD_MAP, .max_len = 5, .children = grade_fields},
    {0}};

/* ---- helpers ------------------------------------------------------------- */

static struct arena *arena;

static int setup(void **state)
{
    (void)state;
    arena = arena_new();
    return arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(arena);
    arena = NULL;
    return 0;
}

static int parse_n(const char *body, size_t len, struct form_pair **pairs)
{
    *pairs = NULL;
    return form_parse(arena, body, len, pairs);
}

static int parse(const char *body, struct form_pair **pairs)
{
    return parse_n(body, strlen(body), pairs);
}

static void expect_refused(const char *body)
{
    struct form_pair *pairs;
    int n = parse(body, &pairs);
    if (n != -1) {
        print_error("form_parse(\"%s\") = %d, expected -1\n", body, n);
        fail();
    }
}

static void expect_pair(const struct form_pair *p, const char *name, const char *value)
{
    assert_non_null(p->name);
    assert_non_null(p->value);
    assert_string_equal(p->name, name);
    assert_string_equal(p->value, value);
}

/* Parses body, converts it with person_fields and compares the compact,
 * key-sorted JSON with want. csrf/method receive the special fields. */
static void expect_json_ex(const char *body, int is_update, const char *want, const char **csrf,
                           const char **method)
{
    struct form_pair *pairs;
    int n = parse(body, &pairs);
    if (n < 0) {
        print_error("form_parse refused \"%s\"\n", body);
        fail();
    }
    const char *c = "unset", *m = "unset";
    json_t *j = form_to_json(arena, pairs, n, person_fields, is_update, &c, &m);
    assert_non_null(j);
    char *got = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(j);
    assert_non_null(got);
    if (strcmp(got, want) != 0) {
        print_error("form \"%s\" (update %d)\n   got  %s\n   want %s\n", body, is_update, got,
                    want);
        free(got);
        fail();
    }
    free(got);
    if (csrf)
        *csrf = c;
    if (method)
        *method = m;
}

static void expect_json(const char *body, int is_update, const char *want)
{
    expect_json_ex(body, is_update, want, NULL, NULL);
}

/* The form's JSON must be refused by the validator, naming field. */
static void expect_invalid(const char *body, const char *code, const char *field)
{
    struct form_pair *pairs;
    int n = parse(body, &pairs);
    assert_true(n >= 0);
    const char *c, *m;
    json_t *j = form_to_json(arena, pairs, n, person_fields, 0, &c, &m);
    struct verror err;
    memset(&err, 0, sizeof(err));
    int rc = validate_object(j, person_fields, &err);
    json_decref(j);
    if (rc != -1 || strcmp(err.field, field) != 0 || (code && strcmp(err.code, code) != 0)) {
        print_error("form \"%s\": rc %d code '%s' field '%s', expected %s on '%s'\n", body, rc,
                    err.code, err.field, code ? code : "(any)", field);
        fail();
    }
}

/* ---- form_parse ---------------------------------------------------------- */

static void test_parse_basic(void **state)
{
    (void)state;
    struct form_pair *p;
    assert_int_equal(parse("a=1&b=two+words&c=%41%42", &p), 3);
    expect_pair(&p[0], "a", "1");
    expect_pair(&p[1], "b", "two words");
    expect_pair(&p[2], "c", "AB");

    /* Reserved characters survive when escaped; '=' in a value is kept. */
    assert_int_equal(parse("q=%2B%26%3D%25&e=a=b=c&u=%C3%a9", &p), 3);
    expect_pair(&p[0], "q", "+&=%");
    expect_pair(&p[1], "e", "a=b=c");
    expect_pair(&p[2], "u", "\xc3\xa9");

    /* Names are decoded too. */
    assert_int_equal(parse("dob%2Dday=9&a+b=1", &p), 2);
    expect_pair(&p[0], "dob-day", "9");
    expect_pair(&p[1], "a b", "1");
}

static void test_parse_empty_and_missing(void **state)
{
    (void)state;
    struct form_pair *p;
    assert_int_equal(parse("a=&b=", &p), 2);
    expect_pair(&p[0], "a", "");
    expect_pair(&p[1], "b", "");

    assert_int_equal(parse("a&b=1", &p), 2);
    expect_pair(&p[0], "a", "");
    expect_pair(&p[1], "b", "1");

    assert_int_equal(parse("", &p), 0);
    assert_non_null(p);
    assert_int_equal(parse("&", &p), 0);
    assert_int_equal(parse("&&&", &p), 0);
}

static void test_parse_repeated_and_trailing(void **state)
{
    (void)state;
    struct form_pair *p;
    assert_int_equal(parse("roles=a&roles=b&roles=a", &p), 3);
    expect_pair(&p[0], "roles", "a");
    expect_pair(&p[1], "roles", "b");
    expect_pair(&p[2], "roles", "a");

    assert_int_equal(parse("a=1&", &p), 1);
    expect_pair(&p[0], "a", "1");
    assert_int_equal(parse("&a=1&&b=2&", &p), 2);
    expect_pair(&p[0], "a", "1");
    expect_pair(&p[1], "b", "2");
}

static void test_parse_length_bounded(void **state)
{
    (void)state;
    struct form_pair *p;
    /* Only len bytes are read: the body need not be NUL-terminated. */
    assert_int_equal(parse_n("a=1&b=2", 3, &p), 1);
    expect_pair(&p[0], "a", "1");
    /* An escape cut short by len is malformed. */
    assert_int_equal(parse_n("a=%41", 4, &p), -1);
}

static void test_parse_malformed(void **state)
{
    (void)state;
    expect_refused("a=%4");
    expect_refused("%4");
    expect_refused("a=%");
    expect_refused("a=%zz");
    expect_refused("a=%4g");
    expect_refused("a=%g4");
    expect_refused("a=%00");
    expect_refused("a%00=1");
    expect_refused("a%4=1");
    expect_refused("ok=1&bad=%zz&ok2=2");
    /* An empty name. */
    expect_refused("=1");
    expect_refused("a=1&=2");
    expect_refused("=");
    /* A raw NUL inside the body. */
    struct form_pair *p;
    assert_int_equal(parse_n("a=1\0b=2", 7, &p), -1);
    assert_int_equal(parse_n("a\0=1", 4, &p), -1);
}

static void test_parse_max_pairs(void **state)
{
    (void)state;
    size_t cap = (FORM_MAX_PAIRS + 2) * 8 + 1;
    char *body = malloc(cap);
    assert_non_null(body);
    struct form_pair *p;

    body[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < FORM_MAX_PAIRS; i++)
        len += (size_t)snprintf(body + len, cap - len, "a=%d&", i % 10);
    assert_int_equal(parse_n(body, len, &p), FORM_MAX_PAIRS);
    expect_pair(&p[FORM_MAX_PAIRS - 1], "a", "9");

    /* Empty segments do not count as pairs. */
    len += (size_t)snprintf(body + len, cap - len, "&&");
    assert_int_equal(parse_n(body, len, &p), FORM_MAX_PAIRS);

    /* One more pair is refused. */
    len += (size_t)snprintf(body + len, cap - len, "b=1");
    assert_int_equal(parse_n(body, len, &p), -1);
    free(body);
}

/* ---- form_to_json -------------------------------------------------------- */

static void test_json_scalars(void **state)
{
    (void)state;
    expect_json("given_name=Ann&family_name=Smith+Jones", 0,
                "{\"family_name\":\"Smith Jones\",\"given_name\":\"Ann\"}");
    /* Blank inputs are left out of a new record. */
    expect_json("given_name=Ann&family_name=&ethnicity=+&gender=", 0, "{\"given_name\":\"Ann\"}");
    expect_json("", 0, "{}");
    /* A repeated scalar: the last one wins (the validator sees one value). */
    expect_json("given_name=A&given_name=B", 0, "{\"given_name\":\"B\"}");
    /* Hostile text is kept as it was typed: escaping is the template's job. */
    expect_json("given_name=%3Cscript%3E%22", 0, "{\"given_name\":\"<script>\\\"\"}");
}

static void test_json_dates(void **state)
{
    (void)state;
    expect_json("dob-day=9&dob-month=3&dob-year=2014", 0, "{\"dob\":\"2014-03-09\"}");
    expect_json("dob-day=09&dob-month=03&dob-year=2014", 0, "{\"dob\":\"2014-03-09\"}");
    /* Any order of the three inputs. */
    expect_json("dob-year=2014&dob-month=12&dob-day=25", 0, "{\"dob\":\"2014-12-25\"}");
    /* All blank: left out (new record) or cleared (change, dob is nullable). */
    expect_json("dob-day=&dob-month=&dob-year=", 0, "{}");
    expect_json("dob-day=&dob-month=+&dob-year=", 1, "{\"dob\":null}");
    /* Not a real date: joined anyway, for the validator to refuse as "dob". */
    expect_json("dob-day=31&dob-month=2&dob-year=2015", 0, "{\"dob\":\"2015-02-31\"}");
    expect_invalid("dob-day=31&dob-month=2&dob-year=2015", NULL, "dob");
    /* Malformed parts are kept as typed, so the page can show them again. */
    expect_json("dob-day=x&dob-month=3&dob-year=2014", 0, "{\"dob\":\"2014-3-x\"}");
    expect_json("dob-day=9&dob-month=&dob-year=2014", 0, "{\"dob\":\"2014--9\"}");
    expect_json("dob-day=9&dob-month=3&dob-year=14", 0, "{\"dob\":\"14-3-9\"}");
    expect_json("dob-day=123&dob-month=3&dob-year=2014", 0, "{\"dob\":\"2014-3-123\"}");
    expect_invalid("dob-day=x&dob-month=3&dob-year=2014", NULL, "dob");
    expect_invalid("dob-day=9&dob-month=&dob-year=2014", NULL, "dob");
    /* Only a day: still joined, still refused as "dob". */
    expect_json("dob-day=9", 0, "{\"dob\":\"--9\"}");
    /* A valid joined date passes the validator. */
    struct form_pair *p;
    int n = parse("given_name=A&dob-day=29&dob-month=2&dob-year=2016", &p);
    const char *c, *m;
    json_t *j = form_to_json(arena, p, n, person_fields, 0, &c, &m);
    struct verror err;
    assert_int_equal(validate_object(j, person_fields, &err), 0);
    json_decref(j);
}

static void test_json_nested(void **state)
{
    (void)state;
    expect_json("addresses[0].line1=1+High+St&addresses[0].postcode=AB1+2CD"
                "&addresses[1].line1=2+Low+Rd",
                0,
                "{\"addresses\":[{\"line1\":\"1 High St\",\"postcode\":\"AB1 2CD\"},"
                "{\"line1\":\"2 Low Rd\"}]}");
    /* Blank rows are dropped (the empty "add another" row of the form). */
    expect_json("addresses[0].line1=A&addresses[1].line1=&addresses[1].postcode=+"
                "&addresses[2].line1=C",
                0, "{\"addresses\":[{\"line1\":\"A\"},{\"line1\":\"C\"}]}");
    expect_json("addresses[0].line1=&addresses[0].postcode=", 0, "{\"addresses\":[]}");
    /* Rows may arrive out of order. */
    expect_json("addresses[1].line1=B&addresses[0].line1=A", 0,
                "{\"addresses\":[{\"line1\":\"A\"},{\"line1\":\"B\"}]}");
    /* Date parts inside a row. */
    expect_json("addresses[0].line1=A&addresses[0].valid_from-day=1"
                "&addresses[0].valid_from-month=2&addresses[0].valid_from-year=2020",
                0, "{\"addresses\":[{\"line1\":\"A\",\"valid_from\":\"2020-02-01\"}]}");
    /* Objects: "obj.field". */
    expect_json("restricted_to.teams=Team+A&restricted_to.teams=Team+B"
                "&restricted_to.roles=manager",
                0,
                "{\"restricted_to\":{\"roles\":[\"manager\"],\"teams\":[\"Team A\",\"Team B\"]}}");
    /* "list[].field" appends a row each time (checkboxes choosing rows);
     * a blank one leaves the list empty, so a hidden blank input clears it. */
    expect_json("addresses[].line1=A&addresses[].line1=B", 0,
                "{\"addresses\":[{\"line1\":\"A\"},{\"line1\":\"B\"}]}");
    expect_json("addresses[].line1=&addresses[].line1=B", 0, "{\"addresses\":[{\"line1\":\"B\"}]}");
    expect_json("addresses[].line1=", 0, "{\"addresses\":[]}");
    expect_json("addresses[0].line1=A&addresses[].line1=B", 0,
                "{\"addresses\":[{\"line1\":\"A\"},{\"line1\":\"B\"}]}");
    /* Rows beyond the field's limit are the validator's to refuse, by name. */
    {
        char body[2048] = "";
        for (int i = 0; i < 51; i++)
            strcat(body, i ? "&addresses[].line1=x" : "addresses[].line1=x");
        expect_invalid(body, "invalid_field", "addresses");
    }
    expect_json("addresses[]=A", 0, "{\"addresses[]\":\"A\"}");
    expect_json("addresses[].=A", 0, "{\"addresses\":[{\"\":\"A\"}]}");
    /* A nested blank nullable field is left out even on a change. */
    expect_json("addresses[0].line1=A&addresses[0].postcode=", 1,
                "{\"addresses\":[{\"line1\":\"A\"}]}");
}

static void test_json_map(void **state)
{
    (void)state;
    /* "map.member.field" builds one object per member. */
    expect_json("grades.voice_recorded.grade=good&grades.risk.grade=inadequate"
                "&grades.risk.reason=No+THRIVE",
                0,
                "{\"grades\":{\"risk\":{\"grade\":\"inadequate\",\"reason\":\"No THRIVE\"},"
                "\"voice_recorded\":{\"grade\":\"good\"}}}");
    /* A member whose inputs are all blank is left out; an empty map stays. */
    expect_json("grades.a.grade=good&grades.b.reason=+", 0,
                "{\"grades\":{\"a\":{\"grade\":\"good\"}}}");
    expect_json("grades.a.reason=", 0, "{\"grades\":{}}");
    /* Malformed member paths are kept whole, for the validator to refuse. */
    expect_json("grades.a=x", 0, "{\"grades.a\":\"x\"}");
    expect_json("grades..grade=x", 0, "{\"grades..grade\":\"x\"}");
    expect_json("grades.a.=x", 0, "{\"grades.a.\":\"x\"}");
    expect_invalid("grades.a=x", "unknown_field", "grades.a");
    /* The validator names the member's field, or refuses a bad member name. */
    expect_invalid("grades.risk.grade=middling", "invalid_field", "grades.risk.grade");
    expect_invalid("grades.risk.colour=red", "unknown_field", "grades.risk.colour");
    expect_invalid("grades.Risk+It.grade=good", "invalid_field", "grades");
}

static void test_json_repeated_into_arrays(void **state)
{
    (void)state;
    expect_json("roles=manager&roles=social_worker", 0,
                "{\"roles\":[\"manager\",\"social_worker\"]}");
    expect_json("roles=manager", 0, "{\"roles\":[\"manager\"]}");
    /* A blank checkbox value (the hidden "none" input) gives an empty list, so a
     * change can clear every role. */
    expect_json("roles=", 0, "{\"roles\":[]}");
    expect_json("roles=&roles=manager", 0, "{\"roles\":[\"manager\"]}");
    expect_json("teams=North&teams=South", 0, "{\"teams\":[\"North\",\"South\"]}");
    /* An unknown value is kept for the validator to refuse. */
    expect_invalid("roles=manager&roles=wizard", NULL, "roles[1]");
}

static void test_json_booleans(void **state)
{
    (void)state;
    expect_json("confirmed_new=true", 0, "{\"confirmed_new\":true}");
    expect_json("confirmed_new=on", 0, "{\"confirmed_new\":true}");
    expect_json("confirmed_new=false", 0, "{\"confirmed_new\":false}");
    expect_json("confirmed_new=", 0, "{}");
    expect_json("confirmed_new=maybe", 0, "{\"confirmed_new\":\"maybe\"}");
    expect_invalid("confirmed_new=maybe", NULL, "confirmed_new");
}

static void test_json_integers(void **state)
{
    (void)state;
    expect_json("version=3", 0, "{\"version\":3}");
    expect_json("version=-2", 0, "{\"version\":-2}");
    expect_json("version=x", 0, "{\"version\":\"x\"}");
    expect_json("version=3x", 0, "{\"version\":\"3x\"}");
    expect_json("version=3.5", 0, "{\"version\":\"3.5\"}");
    expect_invalid("version=x", NULL, "version");
    expect_invalid("version=0", NULL, "version");
    /* Text fields stay text even when they look like numbers. */
    expect_json("given_name=007", 0, "{\"given_name\":\"007\"}");
}

static void test_json_update_blanks(void **state)
{
    (void)state;
    /* On a change, a blank nullable field clears it; a blank non-nullable
     * field is left out (unchanged). */
    expect_json("ethnicity=&given_name=&version=4", 1, "{\"ethnicity\":null,\"version\":4}");
    expect_json("ethnicity=&given_name=&version=4", 0, "{\"version\":4}");
    expect_json("restricted_to.teams=", 1, "{\"restricted_to\":{\"teams\":[]}}");
}

static void test_json_special_fields(void **state)
{
    (void)state;
    const char *csrf, *method;
    expect_json_ex("csrf_token=abc%2B1&_method=PATCH&given_name=Ann", 1, "{\"given_name\":\"Ann\"}",
                   &csrf, &method);
    assert_non_null(csrf);
    assert_non_null(method);
    assert_string_equal(csrf, "abc+1");
    assert_string_equal(method, "PATCH");

    expect_json_ex("given_name=Ann", 0, "{\"given_name\":\"Ann\"}", &csrf, &method);
    assert_null(csrf);
    assert_null(method);

    expect_json_ex("csrf_token=&_method=DELETE", 0, "{}", &csrf, &method);
    assert_non_null(csrf);
    assert_string_equal(csrf, "");
    assert_string_equal(method, "DELETE");
}

static void test_json_unknown_names(void **state)
{
    (void)state;
    /* Unknown names are kept so the validator names them. */
    expect_json("given_name=Ann&evil=1", 0, "{\"evil\":\"1\",\"given_name\":\"Ann\"}");
    expect_invalid("given_name=Ann&evil=1", "unknown_field", "evil");
    expect_invalid("given_name=Ann&addresses[0].line1=A&addresses[0].nope=1", "unknown_field",
                   "addresses[0].nope");
    expect_invalid("given_name=Ann&restricted_to.nope=1", "unknown_field", "restricted_to.nope");
    /* Nesting only where the fields declare it: anything else is kept whole,
     * as one unknown name. */
    expect_json("other.x=1", 0, "{\"other.x\":\"1\"}");
    expect_invalid("given_name=Ann&other.x=1", "unknown_field", "other.x");
    expect_json("other[0].x=1", 0, "{\"other[0].x\":\"1\"}");
    expect_json("given_name.x=1", 0, "{\"given_name.x\":\"1\"}");
    expect_json("addresses.line1=A", 0, "{\"addresses.line1\":\"A\"}");
    expect_json("restricted_to[0].teams=A", 0, "{\"restricted_to[0].teams\":\"A\"}");
    expect_json("roles[0].x=A", 0, "{\"roles[0].x\":\"A\"}");
    expect_invalid("given_name=Ann&given_name.x=1", "unknown_field", "given_name.x");
    /* A malformed or out-of-range index (addresses allow 50 rows) is kept
     * whole too. */
    expect_json("addresses[x].line1=A", 0, "{\"addresses[x].line1\":\"A\"}");
    expect_json("addresses[-1].line1=A", 0, "{\"addresses[-1].line1\":\"A\"}");
    expect_json("addresses[%2B1].line1=A", 0, "{\"addresses[+1].line1\":\"A\"}");
    expect_json("addresses[%201].line1=A", 0, "{\"addresses[ 1].line1\":\"A\"}");
    expect_json("addresses[50].line1=A", 0, "{\"addresses[50].line1\":\"A\"}");
    expect_json("addresses[99999999999999999999].line1=A", 0,
                "{\"addresses[99999999999999999999].line1\":\"A\"}");
    expect_json("addresses[0]=A", 0, "{\"addresses[0]\":\"A\"}");
    expect_json("addresses[0]line1=A", 0, "{\"addresses[0]line1\":\"A\"}");
    expect_json("addresses[49].line1=A", 0, "{\"addresses\":[{\"line1\":\"A\"}]}");
    expect_invalid("addresses[50].line1=A", "unknown_field", "addresses[50].line1");
    /* The date-part suffixes without a day are plain unknown names. */
    expect_invalid("given_name=Ann&dob-month=3", "unknown_field", "dob-month");
}

/* Names and values are bytes from the network: invalid UTF-8 is refused by
 * form_parse, and form_to_json must stay memory-safe even when handed such
 * pairs directly (the JSON library refuses those keys and strings). */
static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_refused("given_name=%FF");
    expect_refused("%FF=1");
    expect_refused("%FF[0].line1=A");
    expect_refused("%FF.x=1");
    expect_refused("given_name=%C3");          /* cut short */
    expect_refused("given_name=%C0%AF");       /* overlong '/' */
    expect_refused("given_name=%ED%A0%80");    /* a UTF-16 surrogate */
    expect_refused("given_name=%F4%90%80%80"); /* past U+10FFFF */
    struct form_pair *p;
    assert_int_equal(parse("given_name=Zo%C3%AB+%E2%9C%93+%F0%9F%98%80", &p), 1);
    expect_pair(&p[0], "given_name", "Zo\xc3\xab \xe2\x9c\x93 \xf0\x9f\x98\x80");

    static const struct form_pair direct[][2] = {
        {{"given_name", "\xff"}, {"x", "1"}},
        {{"\xff", "1"}, {"x", "1"}},
        {{"\xff[0].line1", "A"}, {"\xff[0].postcode", "B"}},
        {{"\xff.x", "1"}, {"\xff.y", "1"}},
        {{"addresses[0].\xff", "A"}, {"addresses[0].line1", "\xff"}},
        {{"restricted_to.\xff", "1"}, {"restricted_to.teams", "\xc3"}},
        {{"roles", "\xff"}, {"dob-day", "\xff"}},
        {{"\xfe\xff[3].a", "1"}, {"\xfe\xff[1].b", "2"}},
    };
    for (size_t i = 0; i < sizeof(direct) / sizeof(direct[0]); i++) {
        const char *c, *m;
        json_t *j = form_to_json(arena, direct[i], 2, person_fields, 0, &c, &m);
        assert_non_null(j);
        char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
        assert_non_null(s);
        free(s);
        json_decref(j);
    }
}

static void test_json_does_not_change_pairs(void **state)
{
    (void)state;
    struct form_pair *p;
    int n = parse("dob-day=9&dob-month=3&dob-year=2014&x=1", &p);
    assert_int_equal(n, 4);
    const char *c, *m;
    json_t *j = form_to_json(arena, p, n, person_fields, 0, &c, &m);
    json_decref(j);
    expect_pair(&p[0], "dob-day", "9");
    expect_pair(&p[1], "dob-month", "3");
    expect_pair(&p[2], "dob-year", "2014");
    expect_pair(&p[3], "x", "1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_empty_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_repeated_and_trailing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_length_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_max_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_repeated_into_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_booleans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_integers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_update_blanks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_special_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_unknown_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_does_not_change_pairs, setup, teardown),
        /* Last: a memory error here aborts the run under ASan. */
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
