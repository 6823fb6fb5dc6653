/* test_names.c — unit tests for name tokenising and similarity in core/names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/names.h"

/* Tokenises name and checks the tokens equal the NULL-terminated list want. */
static void expect_tokens(const char *name, const char *const *want)
{
    char toks[NAME_TOKENS_MAX][NAME_TOKEN_MAX];
    size_t n = name_tokenise(name, toks, NAME_TOKENS_MAX);
    size_t w = 0;
    while (want[w] != NULL) {
        w++;
    }
    if (n != w) {
        print_error("\"%s\": got %zu tokens, want %zu\n", name, n, w);
        fail();
    }
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(toks[i], want[i]);
    }
}

#define TOKENS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_TOKENS   ((const char *const[]){NULL})

static void test_tokenise_basic(void **state)
{
    (void)state;
    expect_tokens("John Smith", TOKENS("john", "smith"));
    expect_tokens("SMITH, John", TOKENS("smith", "john"));
    expect_tokens("Smith-Jones", TOKENS("smith", "jones"));
    expect_tokens("O'Brien", TOKENS("obrien"));
    expect_tokens("  de la Cruz ", TOKENS("de", "la", "cruz"));
    expect_tokens("J.R.R. Tolkien", TOKENS("j", "r", "r", "tolkien"));
    expect_tokens("Mary-Jane  O'Neil-Smith", TOKENS("mary", "jane", "oneil", "smith"));
    expect_tokens("'Quoted'", TOKENS("quoted"));
    expect_tokens("john2smith", TOKENS("john", "smith"));
    expect_tokens("\tTab\nNew\rLine", TOKENS("tab", "new", "line"));
}

static void test_tokenise_empty(void **state)
{
    (void)state;
    char toks[NAME_TOKENS_MAX][NAME_TOKEN_MAX];
    expect_tokens("", NO_TOKENS);
    expect_tokens("   ", NO_TOKENS);
    expect_tokens(" - , . ' ", NO_TOKENS);
    expect_tokens("12345", NO_TOKENS);
    assert_int_equal(name_tokenise(NULL, toks, NAME_TOKENS_MAX), 0);
    assert_int_equal(name_tokenise("John Smith", NULL, 0), 0);
}

static void test_tokenise_accents(void **state)
{
    (void)state;
    /* UTF-8 */
    expect_tokens("Jos\xc3\xa9 M\xc3\xbcller", TOKENS("jose", "muller"));
    expect_tokens("Zo\xc3\xab \xc3\x91\xc3\xba\xc3\xb1\x65z", TOKENS("zoe", "nunez"));
    expect_tokens("Fran\xc3\xa7ois H\xc3\xa9l\xc3\xa8ne", TOKENS("francois", "helene"));
    expect_tokens("\xc3\x96zt\xc3\xbcrk", TOKENS("ozturk"));
    expect_tokens("\xc5\x81ukasz W\xc3\xb3jcik", TOKENS("lukasz", "wojcik"));
    expect_tokens("\xc5\xa0\xc5\xa1korpil", TOKENS("sskorpil"));
    expect_tokens("Stra\xc3\x9f\x65 \xc3\x86sa", TOKENS("strasse", "aesa"));
    expect_tokens("Bj\xc3\xb8rn", TOKENS("bjorn"));
    /* Typographic apostrophe and en dash */
    expect_tokens("O\xe2\x80\x99"
                  "Brien\xe2\x80\x93Smith",
                  TOKENS("obrien", "smith"));
    /* Legacy Latin-1 single bytes */
    expect_tokens("Jos\xe9 M\xfcller", TOKENS("jose", "muller"));
    /* Multiplication sign is not a letter */
    expect_tokens("a\xc3\x97"
                  "b",
                  TOKENS("a", "b"));
    /* Other scripts stay inside tokens (so such names are searchable);
     * Cyrillic and Greek capitals fold to lower case. */
    expect_tokens("Ann \xe4\xb8\xad\xe6\x96\x87 Lee",
                  TOKENS("ann", "\xe4\xb8\xad\xe6\x96\x87", "lee"));
    expect_tokens("\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd", TOKENS("\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd"));
    expect_tokens("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf\xd8\x8c\xd8\xb9\xd9\x84\xd9\x8a",
                  TOKENS("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", "\xd8\xb9\xd9\x84\xd9\x8a"));
    expect_tokens("\xf0\x9f\x98\x80"
                  "Emoji",
                  TOKENS("emoji"));
}

static void test_tokenise_hostile(void **state)
{
    (void)state;
    expect_tokens("'; DROP TABLE person;--", TOKENS("drop", "table", "person"));
    expect_tokens("Robert'); DELETE FROM child; --", TOKENS("robert", "delete", "from", "child"));
    expect_tokens("<script>alert(1)</script>", TOKENS("script", "alert", "script"));
    expect_tokens("%s%n%x", TOKENS("s", "n", "x"));
    /* Truncated or stray UTF-8 at the end must not read past the NUL. */
    expect_tokens("Jos\xc3", TOKENS("josa"));        /* lone 0xC3 read as Latin-1 Ã */
    expect_tokens("Ann\xe2\x80", TOKENS("ann"));     /* cut 3-byte sequence */
    expect_tokens("Ann\xf0\x9f\x98", TOKENS("ann")); /* cut 4-byte sequence */
    expect_tokens("\x80\x81\xbfLee", TOKENS("lee")); /* stray continuations */
    expect_tokens("\xc0\xa7x", TOKENS("x"));         /* overlong ' is not an apostrophe */
    expect_tokens("Ann\xe2\x80\xe2Lee", TOKENS("ann", "alee")); /* lone 0xE2 is Latin-1 â */
}

static void test_tokenise_limits(void **state)
{
    (void)state;
    char toks[NAME_TOKENS_MAX][NAME_TOKEN_MAX];

    /* More words than slots: stops at max. */
    size_t n = name_tokenise("a b c d e f g h i j k l", toks, 3);
    assert_int_equal(n, 3);
    assert_string_equal(toks[2], "c");
    n = name_tokenise("a b c d e f g h i j k l", toks, NAME_TOKENS_MAX);
    assert_int_equal(n, NAME_TOKENS_MAX);
    assert_string_equal(toks[NAME_TOKENS_MAX - 1], "h");

    /* An over-long word is truncated, not split. */
    static char big[200];
    memset(big, 'q', 100);
    memcpy(big + 100, " b", 3);
    n = name_tokenise(big, toks, NAME_TOKENS_MAX);
    assert_int_equal(n, 2);
    assert_int_equal(strlen(toks[0]), NAME_TOKEN_MAX - 1);
    assert_string_equal(toks[1], "b");

    /* Ligatures at the truncation edge never overflow. */
    char edge[64];
    memset(edge, 'a', 30);
    memcpy(edge + 30, "\xc3\x9f\xc3\x9f", 5);
    n = name_tokenise(edge, toks, 1);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(toks[0]), NAME_TOKEN_MAX - 1);

    /* A very long hostile string: bounded output, no overruns. */
    static const char pattern[] = "Ab-'\xc3\xa9, \xe2\x80\x99zZ;";
    static char huge[100000];
    for (size_t i = 0; i < sizeof huge - 1; i++) {
        huge[i] = pattern[i % (sizeof pattern - 1)];
    }
    huge[sizeof huge - 1] = '\0';
    n = name_tokenise(huge, toks, NAME_TOKENS_MAX);
    assert_int_equal(n, NAME_TOKENS_MAX);
    for (size_t i = 0; i < n; i++) {
        assert_true(strlen(toks[i]) > 0);
        assert_true(strlen(toks[i]) < NAME_TOKEN_MAX);
    }
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(name_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(name_edit_distance("ab", "ba"), 1);
    assert_int_equal(name_edit_distance("smith", "smiht"), 1);
    assert_int_equal(name_edit_distance("smith", "smith"), 0);
    assert_int_equal(name_edit_distance("", ""), 0);
    assert_int_equal(name_edit_distance("", "abc"), 3);
    assert_int_equal(name_edit_distance("abc", ""), 3);
    assert_int_equal(name_edit_distance(NULL, "ab"), 2);
    assert_int_equal(name_edit_distance("flaw", "lawn"), 2);
    /* Optimal string alignment: a transposed pair can't be edited again. */
    assert_int_equal(name_edit_distance("ca", "abc"), 3);
    assert_int_equal(name_edit_distance("kitten", "sitting"),
                     name_edit_distance("sitting", "kitten"));

    /* Only the first 64 bytes count. */
    char a[200], b[200];
    memset(a, 'x', 199);
    a[199] = '\0';
    memcpy(b, a, sizeof b);
    b[100] = 'y';
    assert_int_equal(name_edit_distance(a, b), 0);
    assert_int_equal(name_edit_distance(a, ""), 64);
}

static void test_jaro_winkler(void **state)
{
    (void)state;
    assert_float_equal(name_jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.001);
    assert_float_equal(name_jaro_winkler("DWAYNE", "DUANE"), 0.840, 0.001);
    assert_float_equal(name_jaro_winkler("DIXON", "DICKSONX"), 0.813, 0.001);
    assert_float_equal(name_jaro_winkler("martha", "martha"), 1.0, 1e-12);
    assert_float_equal(name_jaro_winkler("", ""), 1.0, 1e-12);
    assert_float_equal(name_jaro_winkler("a", ""), 0.0, 1e-12);
    assert_float_equal(name_jaro_winkler("abc", "xyz"), 0.0, 1e-12);
    assert_float_equal(name_jaro_winkler("DWAYNE", "DUANE"), name_jaro_winkler("DUANE", "DWAYNE"),
                       1e-12);
    double s = name_jaro_winkler("a", "b");
    assert_true(s >= 0.0 && s <= 1.0);
}

static void test_token_similarity_equal_and_empty(void **state)
{
    (void)state;
    assert_float_equal(name_token_similarity("smith", "smith"), 1.0, 1e-12);
    assert_float_equal(name_token_similarity("", "smith"), 0.0, 1e-12);
    assert_float_equal(name_token_similarity("smith", ""), 0.0, 1e-12);
    assert_float_equal(name_token_similarity(NULL, "smith"), 0.0, 1e-12);
}

static void test_token_similarity_phonetic(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"mohammed", "muhammad"}, {"mohamed", "muhammad"}, {"smith", "smyth"},
        {"catherine", "kathryn"}, {"jon", "john"},         {"stephen", "steven"},
        {"smith", "schmidt"},     {"sara", "sarah"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double s = name_token_similarity(pairs[i][0], pairs[i][1]);
        if (s < 0.85 || s >= 1.0) {
            print_error("%s/%s scored %f\n", pairs[i][0], pairs[i][1], s);
            fail();
        }
    }
}

static void test_token_similarity_ranking(void **state)
{
    (void)state;
    double typo = name_token_similarity("smiht", "smith");
    double unrelated = name_token_similarity("smiht", "jones");
    assert_true(typo >= 0.9);
    assert_true(typo < 1.0);
    assert_true(typo > unrelated);
    assert_true(name_token_similarity("smith", "smith") > typo);
    assert_true(name_token_similarity("smith", "jones") < 0.7);
    assert_true(name_token_similarity("smith", "patel") < 0.7);
    assert_true(name_token_similarity("mohammed", "muhammad") >
                name_token_similarity("mohammed", "michael"));

    /* Initials don't match phonetically (every vowel's key is "A"). */
    assert_true(name_token_similarity("a", "e") < 0.85);
    assert_true(name_token_similarity("ann", "ian") >= 0.85);

    /* Prefix of 3+ characters is a good lead; shorter is not. */
    assert_true(name_token_similarity("moh", "mohammed") >= 0.8);
    assert_true(name_token_similarity("mo", "mohammed") < 0.8);
    /* The prefix rule is for the query only. */
    assert_true(name_token_similarity("mohammed", "moh") < 0.8);

    /* Every score stays in range. */
    static const char *const words[] = {"a", "ab", "smith", "o", "jones", "zzzzzzzzzzzz", "x"};
    size_t n = sizeof words / sizeof words[0];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double s = name_token_similarity(words[i], words[j]);
            assert_true(s >= 0.0 && s <= 1.0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenise_basic),
        cmocka_unit_test(test_tokenise_empty),
        cmocka_unit_test(test_tokenise_accents),
        cmocka_unit_test(test_tokenise_hostile),
        cmocka_unit_test(test_tokenise_limits),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_jaro_winkler),
        cmocka_unit_test(test_token_similarity_equal_and_empty),
        cmocka_unit_test(test_token_similarity_phonetic),
        cmocka_unit_test(test_token_similarity_ranking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
