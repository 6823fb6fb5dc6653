/* test_phonetic.c — unit tests for the Double Metaphone keys in core/phonetic.
 *
 * Expected keys are those of Philips' published algorithm, cut to this
 * module's 6-character key length. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/phonetic.h"

struct dm_case {
    const char *word;
    const char *primary;
    const char *alternate;
};

static void check_case(const struct dm_case *c)
{
    char p[PHONETIC_KEY_MAX];
    char a[PHONETIC_KEY_MAX];
    phonetic_double_metaphone(c->word, p, a);
    if (strcmp(p, c->primary) != 0 || strcmp(a, c->alternate) != 0) {
        print_error("%s: got %s/%s, want %s/%s\n", c->word, p, a, c->primary, c->alternate);
        fail();
    }
}

static void check_cases(const struct dm_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_case(&cases[i]);
    }
}

/* True when the two words share a key, the test person search relies on. */
static bool share_key(const char *x, const char *y)
{
    char xp[PHONETIC_KEY_MAX], xa[PHONETIC_KEY_MAX], yp[PHONETIC_KEY_MAX], ya[PHONETIC_KEY_MAX];
    phonetic_double_metaphone(x, xp, xa);
    phonetic_double_metaphone(y, yp, ya);
    return strcmp(xp, yp) == 0 || strcmp(xp, ya) == 0 || strcmp(xa, yp) == 0 || strcmp(xa, ya) == 0;
}

static void test_common_names(void **state)
{
    (void)state;
    static const struct dm_case cases[] = {
        {"Smith", "SM0", "XMT"},       {"Smyth", "SM0", "XMT"},     {"Schmidt", "XMT", "SMT"},
        {"Schneider", "XNTR", "SNTR"}, {"Knight", "NT", "NT"},      {"Wright", "RT", "RT"},
        {"Philips", "FLPS", "FLPS"},   {"Xavier", "SF", "SFR"},     {"Caesar", "SSR", "SSR"},
        {"Gough", "KF", "KF"},         {"Dumb", "TM", "TM"},        {"Campbell", "KMPL", "KMPL"},
        {"Thomas", "TMS", "TMS"},      {"Richard", "RXRT", "RKRT"}, {"Catherine", "K0RN", "KTRN"},
        {"Kathryn", "K0RN", "KTRN"},   {"Michael", "MKL", "MXL"},   {"Steven", "STFN", "STFN"},
        {"Stephen", "STFN", "STFN"},   {"Geoff", "JF", "KF"},       {"Aubrey", "APR", "APR"},
        {"Heidi", "HT", "HT"},         {"Jackson", "JKSN", "AKSN"}, {"Laugh", "LF", "LF"},
        {"Gnome", "NM", "NM"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Thompson: TH before OM is a plain T, and the P is kept (only PH and PB/PP
 * are special), so the key is TMPSN; 4-character implementations give TMPS. */
static void test_thompson(void **state)
{
    (void)state;
    static const struct dm_case c = {"Thompson", "TMPSN", "TMPSN"};
    check_case(&c);
}

static void test_mc_and_prefixes(void **state)
{
    (void)state;
    static const struct dm_case cases[] = {
        {"McDonald", "MKTNLT", "MKTNLT"}, /* 6-char cut of MKTNLT */
        {"McClain", "MKLN", "MKLN"},
        {"Psycho", "SX", "SK"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_romance_and_slavic_origins(void **state)
{
    (void)state;
    static const struct dm_case cases[] = {
        {"Jose", "HS", "HS"},     /* Spanish J on its own */
        {"Joseph", "JSF", "HSF"}, /* J with Spanish alternate */
        {"Bajador", "PJTR", "PHTR"},
        {"Cabrillo", "KPRL", "KPR"},
        {"Gallegos", "KLKS", "KKS"},
        {"Rogier", "RJ", "RJR"},
        {"Breaux", "PR", "PR"},
        {"Bertucci", "PRTX", "PRTX"},
        {"Biaggi", "PJ", "PK"},
        {"Tagliaro", "TKLR", "TLR"},
        {"Zhao", "J", "J"},
        {"Arnow", "ARN", "ARNF"},
        {"Bartosz", "PRTS", "PRTX"},
        {"Danger", "TNJR", "TNKR"},
        {"Jankelowicz", "JNKLTS", "ANKLFX"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_shared_keys(void **state)
{
    (void)state;
    assert_true(share_key("Catherine", "Kathryn"));
    assert_true(share_key("Smith", "Smyth"));
    assert_true(share_key("Smith", "Schmidt")); /* via XMT */
    assert_true(share_key("Jablonski", "Yablonsky"));
    assert_true(share_key("Jon", "John"));
    assert_true(share_key("Stephen", "Steven"));
    assert_false(share_key("Smith", "Jones"));
    assert_false(share_key("Patel", "Mohammed"));

    static const struct dm_case muhammad[] = {
        {"Mohammed", "MHMT", "MHMT"}, {"Muhammad", "MHMT", "MHMT"}, {"Mohamed", "MHMT", "MHMT"},
        {"Jon", "JN", "AN"},          {"John", "JN", "AN"},
    };
    check_cases(muhammad, sizeof muhammad / sizeof muhammad[0]);
}

static void test_case_and_non_letters(void **state)
{
    (void)state;
    static const struct dm_case cases[] = {
        {"SMITH", "SM0", "XMT"},     {"sMiTh", "SM0", "XMT"},
        {"O'Brien", "APRN", "APRN"}, /* apostrophe ignored */
        {"Smith-1", "SM0", "XMT"},   {"", "", ""},
        {"1234 -'", "", ""},         {"\xc3\xa9", "", ""}, /* non-ASCII bytes are ignored */
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);

    char p[PHONETIC_KEY_MAX], a[PHONETIC_KEY_MAX];
    phonetic_double_metaphone(NULL, p, a);
    assert_string_equal(p, "");
    assert_string_equal(a, "");
}

static void test_long_input(void **state)
{
    (void)state;
    /* Far longer than the 64 letters considered; must be safe and bounded. */
    static char big[4096];
    for (size_t i = 0; i < sizeof big - 1; i++) {
        big[i] = "BCDFGHJKLMNPQRSTVWXZ"[i % 20];
    }
    big[sizeof big - 1] = '\0';
    char p[PHONETIC_KEY_MAX], a[PHONETIC_KEY_MAX];
    phonetic_double_metaphone(big, p, a);
    assert_true(strlen(p) <= 6);
    assert_true(strlen(a) <= 6);
    assert_true(strlen(p) > 0);

    /* Every key stays within 6 characters, whatever the word. */
    static const char *longish[] = {"Schermerhornschermerhorn", "Wolfeschlegelsteinhausen",
                                    "Abcdefghijklmnopqrstuvwxyz",
                                    "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
    for (size_t i = 0; i < sizeof longish / sizeof longish[0]; i++) {
        phonetic_double_metaphone(longish[i], p, a);
        assert_true(strlen(p) <= 6);
        assert_true(strlen(a) <= 6);
    }
}

/* Every short letter string must give keys within bounds; exercises all the
 * look-behind and look-ahead rules at word edges under the sanitizers. */
static void test_all_short_words(void **state)
{
    (void)state;
    char w[4];
    char p[PHONETIC_KEY_MAX], a[PHONETIC_KEY_MAX];
    for (int i = 0; i < 26; i++) {
        for (int j = 0; j < 26; j++) {
            for (int k = 0; k < 26; k++) {
                w[0] = (char)('A' + i);
                w[1] = (char)('A' + j);
                w[2] = (char)('A' + k);
                w[3] = '\0';
                phonetic_double_metaphone(w, p, a);
                assert_true(strlen(p) <= 6);
                assert_true(strlen(a) <= 6);
                phonetic_double_metaphone(w + 1, p, a);
                phonetic_double_metaphone(w + 2, p, a);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common_names),    cmocka_unit_test(test_thompson),
        cmocka_unit_test(test_mc_and_prefixes), cmocka_unit_test(test_romance_and_slavic_origins),
        cmocka_unit_test(test_shared_keys),     cmocka_unit_test(test_case_and_non_letters),
        cmocka_unit_test(test_long_input),      cmocka_unit_test(test_all_short_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
