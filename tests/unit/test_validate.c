/* test_validate.c — unit tests for http/validate: declared JSON body fields,
 * with the first fault reported as path + code + message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "http/validate.h"

static const char *const colours[] = {"red", "green", "blue", NULL};
static const char *const kinds[] = {"looked_after", "child_in_need", NULL};

static const struct field address_fields[] = {
    {.name = "line1", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 20},
    {.name = "postcode", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 8},
    {.name = "from", .type = FIELD_DATE},
    {0}};

static const struct field inner_fields[] = {
    {.name = "n", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 0, .max = 9}, {0}};

static const struct field fields[] = {
    {.name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 10},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_EMPTY_OK | FIELD_NULLABLE, .max_len = 50},
    {.name = "count", .type = FIELD_INT, .min = -5, .max = 100},
    {.name = "ok", .type = FIELD_BOOL},
    {.name = "maybe", .type = FIELD_BOOL, .flags = FIELD_NULLABLE},
    {.name = "dob", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "colour", .type = FIELD_ENUM, .values = colours},
    {.name = "inner", .type = FIELD_OBJECT, .children = inner_fields},
    {.name = "addresses", .type = FIELD_ARRAY, .max_len = 3, .children = address_fields},
    {.name = "kinds", .type = FIELD_ARRAY, .max_len = 2, .values = kinds},
    {0}};

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

static void expect_ok_fields(const struct field *f, const char *text)
{
    json_t *v = parse(text);
    char *before = json_dumps(v, JSON_SORT_KEYS | JSON_ENCODE_ANY);
    struct verror err;
    memset(&err, 0, sizeof(err));
    int rc = validate_object(v, f, &err);
    char *after = json_dumps(v, JSON_SORT_KEYS | JSON_ENCODE_ANY);
    assert_string_equal(before, after); /* never modifies the input */
    free(before);
    free(after);
    json_decref(v);
    if (rc != 0) {
        print_error("%s refused: %s %s: %s\n", text, err.code, err.field, err.message);
        fail();
    }
}

static void expect_ok(const char *text)
{
    expect_ok_fields(fields, text);
}

/* Expects a refusal with code and field; when `in_message` is not NULL the
 * message must contain it. Returns nothing: fails the test otherwise. */
static void expect_err_fields(const struct field *f, const char *text, const char *code,
                              const char *field, const char *in_message)
{
    json_t *v = parse(text);
    struct verror err;
    memset(&err, 0x55, sizeof(err));
    err.code[sizeof(err.code) - 1] = err.field[sizeof(err.field) - 1] = '\0';
    err.message[sizeof(err.message) - 1] = '\0';
    int rc = validate_object(v, f, &err);
    json_decref(v);
    if (rc != -1) {
        print_error("%s accepted, want %s on '%s'\n", text, code, field);
        fail();
    }
    if (err.status != 422 || strcmp(err.code, code) != 0 || strcmp(err.field, field) != 0) {
        print_error("%s: got %d %s '%s' (%s), want 422 %s '%s'\n", text, err.status, err.code,
                    err.field, err.message, code, field);
        fail();
    }
    assert_true(strlen(err.message) > 0);
    if (in_message && !strstr(err.message, in_message)) {
        print_error("%s: message '%s' does not contain '%s'\n", text, err.message, in_message);
        fail();
    }
}

static void expect_err(const char *text, const char *code, const char *field,
                       const char *in_message)
{
    expect_err_fields(fields, text, code, field, in_message);
}

static void test_accepts_every_type(void **state)
{
    (void)state;
    expect_ok("{\"name\":\"Ann\"}");
    expect_ok("{\"name\":\"Ann\",\"note\":\"\",\"count\":-5,\"ok\":true,\"maybe\":null,"
              "\"dob\":\"2024-02-29\",\"at\":\"2026-01-01T00:00:00Z\",\"colour\":\"green\","
              "\"inner\":{\"n\":9},\"addresses\":[{\"line1\":\"1 High St\",\"postcode\":null},"
              "{\"line1\":\"2\",\"postcode\":\"AB1 2CD\",\"from\":\"2020-01-31\"}],"
              "\"kinds\":[\"looked_after\",\"child_in_need\"]}");
    expect_ok("{\"name\":\"Ann\",\"count\":100,\"ok\":false,\"dob\":null,\"note\":null}");
    expect_ok("{\"name\":\"Ann\",\"addresses\":[],\"kinds\":[]}");
    expect_ok("{\"name\":\"  Ann\\tB \"}"); /* inner tab is fine */
    expect_ok("{\"name\":\"l\\u00e9a\"}");
}

static void test_unknown_field(void **state)
{
    (void)state;
    expect_err("{\"name\":\"Ann\",\"nmae\":\"x\"}", "unknown_field", "nmae", "nmae");
    expect_err("{\"name\":\"Ann\",\"Name\":\"x\"}", "unknown_field", "Name", NULL);
    expect_err("{\"name\":\"Ann\",\"\":1}", "unknown_field", "", NULL);
    expect_err("{\"name\":\"Ann\",\"inner\":{\"n\":1,\"m\":2}}", "unknown_field", "inner.m", NULL);
    expect_err("{\"name\":\"Ann\",\"addresses\":[{\"line1\":\"a\"},{\"line1\":\"b\",\"x\":null}]}",
               "unknown_field", "addresses[1].x", NULL);
    /* A hostile, very long key is reported without overrunning the buffers. */
    char text[2048];
    char key[1500];
    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    snprintf(text, sizeof(text), "{\"%s\":1}", key);
    json_t *v = parse(text);
    struct verror err;
    assert_int_equal(validate_object(v, fields, &err), -1);
    assert_string_equal(err.code, "unknown_field");
    assert_true(strlen(err.field) < sizeof(err.field));
    assert_true(strncmp(err.field, "kkkk", 4) == 0);
    json_decref(v);
}

static void test_missing_required(void **state)
{
    (void)state;
    expect_err("{}", "missing_field", "name", "name");
    expect_err("{\"note\":\"x\"}", "missing_field", "name", NULL);
    expect_err("{\"name\":\"Ann\",\"inner\":{}}", "missing_field", "inner.n", NULL);
    expect_err("{\"name\":\"Ann\",\"addresses\":[{\"line1\":\"a\"},{\"postcode\":\"b\"}]}",
               "missing_field", "addresses[1].line1", NULL);
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_err("{\"name\":1}", "invalid_type", "name", NULL);
    expect_err("{\"name\":true}", "invalid_type", "name", NULL);
    expect_err("{\"name\":[\"Ann\"]}", "invalid_type", "name", NULL);
    expect_err("{\"name\":{\"a\":1}}", "invalid_type", "name", NULL);
    expect_err("{\"name\":\"A\",\"count\":\"5\"}", "invalid_type", "count", "integer");
    expect_err("{\"name\":\"A\",\"count\":5.0}", "invalid_type", "count", NULL);
    expect_err("{\"name\":\"A\",\"count\":5.5}", "invalid_type", "count", NULL);
    expect_err("{\"name\":\"A\",\"count\":true}", "invalid_type", "count", NULL);
    expect_err("{\"name\":\"A\",\"ok\":1}", "invalid_type", "ok", NULL);
    expect_err("{\"name\":\"A\",\"ok\":\"true\"}", "invalid_type", "ok", NULL);
    expect_err("{\"name\":\"A\",\"dob\":20240101}", "invalid_type", "dob", NULL);
    expect_err("{\"name\":\"A\",\"at\":1700000000}", "invalid_type", "at", NULL);
    expect_err("{\"name\":\"A\",\"colour\":1}", "invalid_type", "colour", NULL);
    expect_err("{\"name\":\"A\",\"inner\":[]}", "invalid_type", "inner", NULL);
    expect_err("{\"name\":\"A\",\"inner\":\"{}\"}", "invalid_type", "inner", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":{}}", "invalid_type", "addresses", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":\"x\"}", "invalid_type", "addresses", NULL);
    expect_err("{\"name\":\"A\",\"inner\":{\"n\":\"1\"}}", "invalid_type", "inner.n", NULL);
    /* array items of objects must be objects */
    json_t *v = parse("{\"name\":\"A\",\"addresses\":[{\"line1\":\"a\"},7]}");
    struct verror err;
    assert_int_equal(validate_object(v, fields, &err), -1);
    assert_string_equal(err.field, "addresses[1]");
    json_decref(v);
}

static void test_nullable(void **state)
{
    (void)state;
    expect_ok("{\"name\":\"A\",\"maybe\":null,\"dob\":null,\"note\":null}");
    expect_err("{\"name\":null}", "invalid_field", "name", NULL);
    expect_err("{\"name\":\"A\",\"ok\":null}", "invalid_field", "ok", NULL);
    expect_err("{\"name\":\"A\",\"count\":null}", "invalid_field", "count", NULL);
    expect_err("{\"name\":\"A\",\"colour\":null}", "invalid_field", "colour", NULL);
    expect_err("{\"name\":\"A\",\"inner\":null}", "invalid_field", "inner", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":null}", "invalid_field", "addresses", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":[null]}", "invalid_field", "addresses[0]", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":[{\"line1\":null}]}", "invalid_field",
               "addresses[0].line1", NULL);
    expect_ok("{\"name\":\"A\",\"addresses\":[{\"line1\":\"x\",\"postcode\":null}]}");
}

static void test_enums(void **state)
{
    (void)state;
    expect_ok("{\"name\":\"A\",\"colour\":\"blue\"}");
    expect_err("{\"name\":\"A\",\"colour\":\"Blue\"}", "invalid_field", "colour",
               "red, green, blue");
    expect_err("{\"name\":\"A\",\"colour\":\"\"}", "invalid_field", "colour", "red, green, blue");
    expect_err("{\"name\":\"A\",\"colour\":\"red \"}", "invalid_field", "colour", NULL);
    expect_err("{\"name\":\"A\",\"colour\":\"re\"}", "invalid_field", "colour", NULL);
    expect_err("{\"name\":\"A\",\"colour\":\"redd\"}", "invalid_field", "colour", NULL);
}

static void test_enum_arrays(void **state)
{
    (void)state;
    expect_ok("{\"name\":\"A\",\"kinds\":[\"child_in_need\"]}");
    expect_err("{\"name\":\"A\",\"kinds\":[\"child_in_need\",\"other\"]}", "invalid_field",
               "kinds[1]", "looked_after, child_in_need");
    expect_err("{\"name\":\"A\",\"kinds\":[1]}", "invalid_type", "kinds[0]", NULL);
    expect_err("{\"name\":\"A\",\"kinds\":[null]}", "invalid_field", "kinds[0]", NULL);
    expect_err("{\"name\":\"A\",\"kinds\":[{\"x\":1}]}", "invalid_type", "kinds[0]", NULL);
    expect_err("{\"name\":\"A\",\"kinds\":[\"looked_after\",\"looked_after\",\"looked_after\"]}",
               "invalid_field", "kinds", "2");
}

static void test_strings(void **state)
{
    (void)state;
    expect_err("{\"name\":\"\"}", "invalid_field", "name", "empty");
    expect_err("{\"name\":\"   \"}", "invalid_field", "name", "empty");
    expect_err("{\"name\":\" \\t\\r\\n \"}", "invalid_field", "name", "empty");
    expect_ok("{\"name\":\"A\",\"note\":\"\"}");
    expect_ok("{\"name\":\"A\",\"note\":\"   \"}");
    /* max_len (10 bytes) */
    expect_ok("{\"name\":\"0123456789\"}");
    expect_err("{\"name\":\"01234567890\"}", "invalid_field", "name", "10");
    /* multi-byte text is limited in characters, not bytes: 10 e-acutes (20 bytes) fit */
    expect_ok(
        "{\"name\":\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}");
    expect_err("{\"name\":"
               "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}",
               "invalid_field", "name", NULL);
    /* control characters */
    expect_err("{\"name\":\"a\\u0001b\"}", "invalid_field", "name", "control");
    expect_err("{\"name\":\"a\\u001bb\"}", "invalid_field", "name", "control");
    expect_err("{\"name\":\"\\u0008\"}", "invalid_field", "name", NULL);
    expect_err("{\"name\":\"A\",\"note\":\"\\u001f\"}", "invalid_field", "note", NULL);
    expect_ok("{\"name\":\"A\",\"note\":\"line\\nline\"}");
}

static void test_embedded_nul(void **state)
{
    (void)state;
    struct verror err;
    json_t *v = json_object();
    json_object_set_new(v, "name", json_stringn("Ann\0<script>", 12));
    assert_int_equal(validate_object(v, fields, &err), -1);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, "name");
    json_decref(v);

    /* NUL only: a string whose C form is empty but length is not. */
    v = json_object();
    json_object_set_new(v, "name", json_string("A"));
    json_object_set_new(v, "note", json_stringn("\0", 1));
    assert_int_equal(validate_object(v, fields, &err), -1);
    assert_string_equal(err.field, "note");
    json_decref(v);

    /* The same arriving as JSON text with \u0000 (jansson needs a flag). */
    json_error_t je;
    v = json_loads("{\"name\":\"a\\u0000b\"}", JSON_ALLOW_NUL, &je);
    assert_non_null(v);
    assert_int_equal(validate_object(v, fields, &err), -1);
    assert_string_equal(err.field, "name");
    json_decref(v);
}

static void test_dates_and_timestamps(void **state)
{
    (void)state;
    expect_ok("{\"name\":\"A\",\"dob\":\"2000-02-29\"}");
    expect_err("{\"name\":\"A\",\"dob\":\"2023-02-29\"}", "invalid_date", "dob", "YYYY-MM-DD");
    expect_err("{\"name\":\"A\",\"dob\":\"2023-2-1\"}", "invalid_date", "dob", NULL);
    expect_err("{\"name\":\"A\",\"dob\":\"\"}", "invalid_date", "dob", NULL);
    expect_err("{\"name\":\"A\",\"dob\":\"2024-01-01T00:00:00Z\"}", "invalid_date", "dob", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":[{\"line1\":\"x\",\"from\":\"2020-13-01\"}]}",
               "invalid_date", "addresses[0].from", NULL);
    expect_ok("{\"name\":\"A\",\"at\":\"2026-03-01T09:00:00Z\"}");
    expect_err("{\"name\":\"A\",\"at\":\"2026-03-01T09:00:00\"}", "invalid_timestamp", "at", NULL);
    expect_err("{\"name\":\"A\",\"at\":\"2026-03-01\"}", "invalid_timestamp", "at", NULL);
    expect_err("{\"name\":\"A\",\"at\":\"2026-03-01T24:00:00Z\"}", "invalid_timestamp", "at", NULL);
    expect_err("{\"name\":\"A\",\"at\":null}", "invalid_field", "at", NULL);
}

static void test_ints(void **state)
{
    (void)state;
    expect_ok("{\"name\":\"A\",\"count\":-5}");
    expect_ok("{\"name\":\"A\",\"count\":0}");
    expect_ok("{\"name\":\"A\",\"count\":100}");
    expect_err("{\"name\":\"A\",\"count\":-6}", "invalid_field", "count", "between -5 and 100");
    expect_err("{\"name\":\"A\",\"count\":101}", "invalid_field", "count", "between -5 and 100");
    expect_err("{\"name\":\"A\",\"count\":9223372036854775807}", "invalid_field", "count", NULL);
    expect_err("{\"name\":\"A\",\"count\":-9223372036854775808}", "invalid_field", "count", NULL);
    expect_err("{\"name\":\"A\",\"inner\":{\"n\":10}}", "invalid_field", "inner.n", NULL);
    expect_err("{\"name\":\"A\",\"inner\":{\"n\":-1}}", "invalid_field", "inner.n", NULL);
}

static void test_nested_arrays(void **state)
{
    (void)state;
    expect_err("{\"name\":\"A\",\"addresses\":[{\"line1\":\"a\"},"
               "{\"line1\":\"b\",\"postcode\":\"TOOLONG123\"}]}",
               "invalid_field", "addresses[1].postcode", "8");
    expect_err(
        "{\"name\":\"A\",\"addresses\":[{\"line1\":\"a\"},{\"line1\":\"b\"},{\"line1\":\"c\"},"
        "{\"line1\":\"d\"}]}",
        "invalid_field", "addresses", "3");
    expect_ok(
        "{\"name\":\"A\",\"addresses\":[{\"line1\":\"a\"},{\"line1\":\"b\"},{\"line1\":\"c\"}]}");
    expect_err("{\"name\":\"A\",\"addresses\":[{\"line1\":\"\"}]}", "invalid_field",
               "addresses[0].line1", NULL);
    expect_err("{\"name\":\"A\",\"addresses\":[[]]}", "invalid_field", "addresses[0]", "object");
}

static void test_non_object_body(void **state)
{
    (void)state;
    static const char *const bodies[] = {"[]",  "[{\"name\":\"A\"}]", "\"name\"", "1", "null",
                                         "true"};
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
        expect_err(bodies[i], "invalid_body", "", NULL);
    struct verror err;
    assert_int_equal(validate_object(NULL, fields, &err), -1);
    assert_string_equal(err.code, "invalid_body");
}

/* Deep declared nesting stops at a fixed depth instead of recursing on. */
static const struct field deep7[] = {{.name = "x", .type = FIELD_INT, .max = 1}, {0}};
static const struct field deep6[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep7}, {0}};
static const struct field deep5[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep6}, {0}};
static const struct field deep4[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep5}, {0}};
static const struct field deep3[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep4}, {0}};
static const struct field deep2[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep3}, {0}};
static const struct field deep1[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep2}, {0}};
static const struct field deep0[] = {{.name = "o", .type = FIELD_OBJECT, .children = deep1}, {0}};

static void test_nesting(void **state)
{
    (void)state;
    expect_ok_fields(deep0, "{\"o\":{\"o\":{\"o\":{}}}}");
    expect_err_fields(deep0, "{\"o\":{\"o\":{\"o\":{\"o\":{\"o\":{\"o\":{\"o\":{\"x\":1}}}}}}}}",
                      "invalid_field", "o.o.o.o.o.o.o", "deeply");
}

static void test_accessors(void **state)
{
    (void)state;
    json_t *v = parse("{\"s\":\"x\",\"b\":true,\"f\":false,\"n\":null,\"i\":1}");
    assert_string_equal(jstr(v, "s"), "x");
    assert_null(jstr(v, "i"));
    assert_null(jstr(v, "n"));
    assert_null(jstr(v, "missing"));
    assert_int_equal(jbool(v, "b", 0), 1);
    assert_int_equal(jbool(v, "f", 1), 0);
    assert_int_equal(jbool(v, "i", 7), 7);
    assert_int_equal(jbool(v, "missing", 7), 7);
    assert_true(jhas(v, "n"));
    assert_false(jhas(v, "missing"));
    json_decref(v);
}

static const char *const scale[] = {"good", "inadequate", NULL};
static const struct field graded_fields[] = {
    {.name = "grade", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = scale},
    {.name = "reason", .type = FIELD_STRING, .max_len = 10},
    {0}};
static const struct field map_fields[] = {
    {.name = "grades", .type = FIELD_MAP, .max_len = 3, .children = graded_fields}, {0}};

static void test_maps(void **state)
{
    (void)state;
    expect_ok_fields(map_fields, "{}");
    expect_ok_fields(map_fields, "{\"grades\":{}}");
    expect_ok_fields(map_fields, "{\"grades\":{\"voice_recorded\":{\"grade\":\"good\"},"
                                 "\"r2\":{\"grade\":\"inadequate\",\"reason\":\"none\"}}}");
    /* Faults inside a member are named by the member. */
    expect_err_fields(map_fields, "{\"grades\":{\"voice_recorded\":{\"reason\":\"x\"}}}",
                      "missing_field", "grades.voice_recorded.grade", NULL);
    expect_err_fields(map_fields,
                      "{\"grades\":{\"voice_recorded\":{\"grade\":\"good\",\"reason\":"
                      "\"far too long\"}}}",
                      "invalid_field", "grades.voice_recorded.reason", "at most 10");
    expect_err_fields(map_fields, "{\"grades\":{\"a\":{\"grade\":\"fine\"}}}", "invalid_field",
                      "grades.a.grade", "good, inadequate");
    expect_err_fields(map_fields, "{\"grades\":{\"a\":{\"grade\":\"good\",\"x\":1}}}",
                      "unknown_field", "grades.a.x", NULL);
    expect_err_fields(map_fields, "{\"grades\":{\"a\":\"good\"}}", "invalid_type", "grades.a",
                      NULL);
    expect_err_fields(map_fields, "{\"grades\":[]}", "invalid_type", "grades", "an object");
    /* Member names are keys, and a bad one is never echoed back. */
    static const char *const bad_keys[] = {
        "",    "A",      "1a",
        "_a",  "a-b",    "a.b",
        "a b", "\u00e9", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        NULL};
    for (const char *const *k = bad_keys; *k; k++) {
        char text[200];
        snprintf(text, sizeof(text), "{\"grades\":{\"%s\":{\"grade\":\"good\"}}}", *k);
        expect_err_fields(map_fields, text, "invalid_field", "grades", "not a key");
    }
    assert_true(field_map_key_ok("a"));
    assert_true(field_map_key_ok("voice_recorded_2"));
    assert_true(field_map_key_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 40 */
    /* At most max_len members. */
    expect_err_fields(map_fields,
                      "{\"grades\":{\"a\":{\"grade\":\"good\"},\"b\":{\"grade\":\"good\"},"
                      "\"c\":{\"grade\":\"good\"},\"d\":{\"grade\":\"good\"}}}",
                      "invalid_field", "grades", "at most 3 members");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_every_type),
        cmocka_unit_test(test_unknown_field),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_nullable),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_enum_arrays),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_dates_and_timestamps),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_nested_arrays),
        cmocka_unit_test(test_non_object_body),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
