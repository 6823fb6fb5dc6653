/* test_migrate_checksum.c — unit tests for store/migrate_checksum: column
 * kinds by SQLite's affinity rules, REAL values normalised so SQLite's and
 * PostgreSQL's texts of one double compare equal, and row encodings that no
 * two different rows share (tests/api/migrate_store.test.mjs runs the whole
 * migration against a live cluster). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "store/migrate_checksum.h"

static void test_kinds(void **state)
{
    (void)state;
    assert_int_equal(mig_kind_of("INTEGER"), MIG_INTEGER);
    assert_int_equal(mig_kind_of("bigint"), MIG_INTEGER);
    assert_int_equal(mig_kind_of("TEXT"), MIG_TEXT);
    assert_int_equal(mig_kind_of("varchar(20)"), MIG_TEXT);
    assert_int_equal(mig_kind_of("REAL"), MIG_REAL);
    assert_int_equal(mig_kind_of("double precision"), MIG_REAL);
    assert_int_equal(mig_kind_of("BLOB"), MIG_BLOB);
    assert_int_equal(mig_kind_of(""), MIG_BLOB);
    assert_int_equal(mig_kind_of(NULL), MIG_BLOB);
    assert_int_equal(mig_kind_of("NUMERIC"), MIG_NUMERIC);
    assert_int_equal(mig_kind_of("BOOLEAN"), MIG_NUMERIC);
    /* SQLite's order of tests decides the odd ones. */
    assert_int_equal(mig_kind_of("CHARINT"), MIG_INTEGER);
    assert_int_equal(mig_kind_of("FLOATING POINT"), MIG_INTEGER);
    assert_int_equal(mig_kind_of("BLOBTEXT"), MIG_TEXT);
}

static void test_numbers(void **state)
{
    (void)state;
    assert_true(mig_is_number("1"));
    assert_true(mig_is_number("-0.5"));
    assert_true(mig_is_number("1e-07"));
    assert_false(mig_is_number(""));
    assert_false(mig_is_number(NULL));
    assert_false(mig_is_number(" 1"));
    assert_false(mig_is_number("1 "));
    assert_false(mig_is_number("abc"));
    assert_false(mig_is_number("inf"));
    assert_false(mig_is_number("nan"));
}

static void test_normalise(void **state)
{
    (void)state;
    char a[32], b[32];
    /* Integers and text are compared as read. */
    assert_string_equal(mig_normalise(MIG_INTEGER, "42", 0, a), "42");
    assert_string_equal(mig_normalise(MIG_TEXT, "1.0", 0, a), "1.0");
    assert_null(mig_normalise(MIG_TEXT, NULL, 0, a));
    assert_null(mig_normalise(MIG_REAL, NULL, 0, a));
    /* 0.1 + 0.2: SQLite writes "0.3" (15 digits), PostgreSQL
     * "0.30000000000000004" (shortest exact); the same double either way. */
    double d = 0.1 + 0.2;
    assert_string_equal(mig_normalise(MIG_REAL, "0.3", d, a),
                        mig_normalise(MIG_REAL, "0.30000000000000004", d, b));
    assert_string_equal(a, "0.30000000000000004");
    /* SQLite writes 1.0, PostgreSQL 1. */
    assert_string_equal(mig_normalise(MIG_REAL, "1.0", 1.0, a),
                        mig_normalise(MIG_REAL, "1", 1.0, b));
    /* -0 and 0 are one value. */
    assert_string_equal(mig_normalise(MIG_REAL, "-0.0", -0.0, a), "0");
    /* Different doubles stay different. */
    assert_string_not_equal(mig_normalise(MIG_REAL, "0.3", 0.3, a),
                            mig_normalise(MIG_REAL, "0.3", d, b));
    /* Text stored in a REAL column is compared as text. */
    assert_string_equal(mig_normalise(MIG_REAL, "unknown", 0, a), "unknown");
}

/* The encoding of a row of up to three values (NULL allowed). */
static void row_of(struct mig_row *r, const char *a, const char *b, const char *c, int n)
{
    mig_row_begin(r);
    const char *v[3] = {a, b, c};
    for (int i = 0; i < n; i++)
        mig_row_add(r, v[i]);
    assert_int_equal(mig_row_end(r), 0);
}

static void test_rows(void **state)
{
    (void)state;
    struct mig_row x = {0}, y = {0};
    row_of(&x, "ab", "c", NULL, 2);
    assert_int_equal(x.len, strlen("S2:abS1:c\n"));
    assert_memory_equal(x.p, "S2:abS1:c\n", x.len);
    /* Moving a boundary, NULL against empty text or the text "N": all differ. */
    row_of(&y, "a", "bc", NULL, 2);
    assert_false(mig_row_equal(&x, &y));
    row_of(&x, NULL, "", NULL, 2);
    row_of(&y, "", NULL, NULL, 2);
    assert_false(mig_row_equal(&x, &y));
    row_of(&x, NULL, NULL, NULL, 1);
    row_of(&y, "N", NULL, NULL, 1);
    assert_false(mig_row_equal(&x, &y));
    row_of(&y, NULL, NULL, NULL, 1);
    assert_true(mig_row_equal(&x, &y));
    /* A value holding the separators cannot forge a second value. */
    row_of(&x, "a", "S1:b", NULL, 2);
    row_of(&y, "aS1:b", NULL, NULL, 1);
    assert_false(mig_row_equal(&x, &y));
    mig_row_release(&x);
    mig_row_release(&y);
}

static void test_sums(void **state)
{
    (void)state;
    struct mig_sum s;
    struct mig_row r = {0};
    char hex[65], again[65], swapped[65];
    /* No rows: SHA-256 of nothing. */
    mig_sum_init(&s);
    mig_sum_final(&s, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(s.rows, 0);
    /* Two rows, the same again, then in the other order. */
    mig_sum_init(&s);
    row_of(&r, "1", "x", NULL, 2);
    mig_sum_row(&s, &r);
    row_of(&r, "2", NULL, NULL, 2);
    mig_sum_row(&s, &r);
    assert_int_equal(s.rows, 2);
    mig_sum_final(&s, hex);
    mig_sum_init(&s);
    row_of(&r, "1", "x", NULL, 2);
    mig_sum_row(&s, &r);
    row_of(&r, "2", NULL, NULL, 2);
    mig_sum_row(&s, &r);
    mig_sum_final(&s, again);
    assert_string_equal(hex, again);
    mig_sum_init(&s);
    row_of(&r, "2", NULL, NULL, 2);
    mig_sum_row(&s, &r);
    row_of(&r, "1", "x", NULL, 2);
    mig_sum_row(&s, &r);
    mig_sum_final(&s, swapped);
    assert_string_not_equal(hex, swapped);
    mig_row_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),     cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_normalise), cmocka_unit_test(test_rows),
        cmocka_unit_test(test_sums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
