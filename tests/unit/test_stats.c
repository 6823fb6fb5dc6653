/* test_stats.c — unit tests for core/stats: the measures' medians hold
 * every sample however many there are (five years of a force's records),
 * and the median is the one the breakdowns have always reported. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/stats.h"

static void test_median_small(void **state)
{
    (void)state;
    struct samples s = {0};
    assert_int_equal(samples_add(&s, 30), 0);
    assert_int_equal(samples_median(&s), 30);
    assert_int_equal(samples_add(&s, 10), 0);
    assert_int_equal(samples_median(&s), 30); /* even: the upper middle */
    assert_int_equal(samples_add(&s, 20), 0);
    assert_int_equal(samples_median(&s), 20);
    samples_clear(&s);
    assert_int_equal(s.n, 0);
    assert_int_equal(samples_add(&s, -5), 0);
    assert_int_equal(samples_median(&s), -5);
    samples_free(&s);
    assert_null(s.v);
}

/* 100,001 samples in descending order: the median is the middle one, not
 * the median of the first few thousand (which a fixed array gave). */
static void test_median_many(void **state)
{
    (void)state;
    struct samples s = {0};
    for (int64_t i = 100000; i >= 0; i--)
        assert_int_equal(samples_add(&s, i * 7), 0);
    assert_int_equal(s.n, 100001);
    assert_int_equal(samples_median(&s), 50000 * 7);
    samples_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median_small),
        cmocka_unit_test(test_median_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
