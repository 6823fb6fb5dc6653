/* names.c — personal-name tokenising, accent folding, edit distance,
 * Jaro-Winkler and the combined token similarity used by person search. */
#include "core/names.h"

#include <stdbool.h>
#include <string.h>

#include "core/phonetic.h"

/* Longest prefix of a string the distance measures look at; bounds their
 * stack use and running time whatever the caller passes. */
#define CMP_MAX 64

/* Base letters for U+00C0..U+017F, 16 per row. '*' marks a letter that
 * expands to two (see ligature()); '-' marks a non-letter (× and ÷). */
static const char fold_table[] = "aaaaaa*ceeeeiiii" /* U+00C0 */
                                 "dnooooo-ouuuuy**" /* U+00D0 */
                                 "aaaaaa*ceeeeiiii" /* U+00E0 */
                                 "dnooooo-ouuuuy*y" /* U+00F0 */
                                 "aaaaaaccccccccdd" /* U+0100 */
                                 "ddeeeeeeeeeegggg" /* U+0110 */
                                 "gggghhhhiiiiiiii" /* U+0120 */
                                 "ii**jjkkklllllll" /* U+0130 */
                                 "lllnnnnnnnnnoooo" /* U+0140 */
                                 "oo**rrrrrrssssss" /* U+0150 */
                                 "ssttttttuuuuuuuu" /* U+0160 */
                                 "uuuuwwyyyzzzzzzs" /* U+0170 */;
#define FOLD_FIRST 0xC0u
#define FOLD_LAST  0x17Fu
_Static_assert(sizeof fold_table - 1 == FOLD_LAST - FOLD_FIRST + 1, "fold_table covers its range");

static const char *ligature(unsigned cp)
{
    switch (cp) {
    case 0xC6: /* Æ */
    case 0xE6:
        return "ae";
    case 0xDE: /* Þ */
    case 0xFE:
        return "th";
    case 0xDF: /* ß */
        return "ss";
    case 0x132: /* Ĳ */
    case 0x133:
        return "ij";
    case 0x152: /* Œ */
    case 0x153:
        return "oe";
    default:
        return "";
    }
}

static bool is_cont(unsigned char b)
{
    return (b & 0xC0u) == 0x80u;
}

/* Decodes one character starting at p (which is not at the NUL) into *cp and
 * returns the bytes it used. Well-formed UTF-8 is decoded; malformed UTF-8
 * becomes U+FFFD; any other byte is taken alone as a Latin-1 code point, so
 * legacy Latin-1 text still folds.
 * Continuation bytes are only examined after the previous one proved not to
 * be the NUL, so this never reads past the terminator. */
static size_t decode(const unsigned char *p, unsigned *cp)
{
    unsigned b = p[0];
    if (b >= 0xC2u && b <= 0xDFu && is_cont(p[1])) {
        *cp = ((b & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        return 2;
    }
    if (b >= 0xE0u && b <= 0xEFu && is_cont(p[1]) && is_cont(p[2])) {
        unsigned v = ((b & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if (v >= 0x800u) {
            *cp = v;
            return 3;
        }
    }
    if (b >= 0xF0u && b <= 0xF4u && is_cont(p[1]) && is_cont(p[2]) && is_cont(p[3])) {
        unsigned v =
            ((b & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        if (v >= 0x10000u && v <= 0x10FFFFu) {
            *cp = v;
            return 4;
        }
    }
    if (b >= 0xC0u && is_cont(p[1])) {
        /* A lead byte followed by continuation bytes but not forming a valid
         * character (cut short, overlong, out of range) is broken UTF-8 rather
         * than Latin-1 text: swallow it whole as one non-letter. */
        size_t n = 1;
        while (n < 4 && is_cont(p[n])) {
            n++;
        }
        *cp = 0xFFFDu;
        return n;
    }
    *cp = b;
    return 1;
}

static bool is_apostrophe(unsigned cp)
{
    switch (cp) {
    case '\'':
    case '`':
    case 0x91u: /* Windows-1252 quotes arriving as stray single bytes */
    case 0x92u:
    case 0x2BCu:  /* ʼ modifier letter apostrophe */
    case 0x2018u: /* ‘ */
    case 0x2019u: /* ’ */
        return true;
    default:
        return false;
    }
}

/* The lower-case ASCII spelling of cp, or "" when cp is not a letter. */
static const char *fold(unsigned cp, char buf[2])
{
    if (cp >= 'A' && cp <= 'Z') {
        cp += 'a' - 'A';
    }
    if (cp >= 'a' && cp <= 'z') {
        buf[0] = (char)cp;
        buf[1] = '\0';
        return buf;
    }
    if (cp >= FOLD_FIRST && cp <= FOLD_LAST) {
        char c = fold_table[cp - FOLD_FIRST];
        if (c == '*') {
            return ligature(cp);
        }
        if (c != '-') {
            buf[0] = c;
            buf[1] = '\0';
            return buf;
        }
    }
    return "";
}

/* True for characters of non-Latin scripts that are kept inside tokens
 * (Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, CJK, Hangul, ...):
 * everything from U+0370 except punctuation, spaces, symbols and U+FFFD.
 * Such names must still be searchable and duplicate-checked, even though no
 * phonetic key applies to them. */
static bool is_other_script_letter(unsigned cp)
{
    if (cp < 0x370u || cp == 0xFFFDu)
        return false;
    if (cp >= 0x2000u && cp <= 0x2BFFu) /* punctuation, symbols, arrows, shapes */
        return false;
    if (cp >= 0x3000u && cp <= 0x303Fu) /* CJK spaces and punctuation */
        return false;
    if (cp >= 0xFE00u && cp <= 0xFE6Fu) /* variation selectors, small forms */
        return false;
    if (cp >= 0xFF00u && cp <= 0xFF0Fu) /* fullwidth punctuation */
        return false;
    if (cp >= 0xE000u && cp <= 0xF8FFu) /* private use */
        return false;
    if (cp >= 0x1F000u) /* emoji, pictographs and beyond */
        return false;
    if (cp == 0x060Cu || cp == 0x061Bu || cp == 0x061Fu || cp == 0x0640u) /* Arabic punctuation */
        return false;
    return true;
}

/* Lower-cases the basic Greek and Cyrillic capitals, so case does not matter
 * in those scripts either. */
static unsigned lower_other(unsigned cp)
{
    if (cp >= 0x0410u && cp <= 0x042Fu)
        return cp + 0x20u;
    if (cp >= 0x0400u && cp <= 0x040Fu)
        return cp + 0x50u;
    if (cp >= 0x0391u && cp <= 0x03A9u && cp != 0x03A2u)
        return cp + 0x20u;
    return cp;
}

static size_t encode_utf8(unsigned cp, char out[4])
{
    if (cp < 0x800u) {
        out[0] = (char)(0xC0u | (cp >> 6));
        out[1] = (char)(0x80u | (cp & 0x3Fu));
        return 2;
    }
    if (cp < 0x10000u) {
        out[0] = (char)(0xE0u | (cp >> 12));
        out[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (char)(0x80u | (cp & 0x3Fu));
        return 3;
    }
    out[0] = (char)(0xF0u | (cp >> 18));
    out[1] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
    out[2] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
    out[3] = (char)(0x80u | (cp & 0x3Fu));
    return 4;
}

size_t name_tokenise(const char *name, char tokens[][NAME_TOKEN_MAX], size_t max)
{
    size_t count = 0;
    size_t len = 0; /* bytes in the token being built, tokens[count] */
    if (name == NULL || max == 0) {
        return 0;
    }
    const unsigned char *p = (const unsigned char *)name;
    while (*p != '\0' && count < max) {
        unsigned cp;
        char buf[2];
        p += decode(p, &cp);
        if (is_apostrophe(cp)) {
            continue; /* O'Brien is one surname, obrien */
        }
        const char *letters = fold(cp, buf);
        if (*letters == '\0' && is_other_script_letter(cp)) {
            char u[4];
            size_t n = encode_utf8(lower_other(cp), u);
            /* A character is kept whole or not at all, so a truncated
             * token is still valid UTF-8. */
            if (len + n <= NAME_TOKEN_MAX - 1) {
                memcpy(&tokens[count][len], u, n);
                len += n;
            }
            continue;
        }
        if (*letters == '\0') {
            if (len > 0) { /* separator ends a non-empty token */
                tokens[count][len] = '\0';
                count++;
                len = 0;
            }
            continue;
        }
        for (; *letters != '\0'; letters++) {
            if (len < NAME_TOKEN_MAX - 1) {
                tokens[count][len++] = *letters;
            }
        }
    }
    if (len > 0 && count < max) {
        tokens[count][len] = '\0';
        count++;
    }
    return count;
}

static size_t bounded_len(const char *s)
{
    if (s == NULL) {
        return 0;
    }
    size_t n = 0;
    while (n < CMP_MAX && s[n] != '\0') {
        n++;
    }
    return n;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int name_edit_distance(const char *a, const char *b)
{
    size_t la = bounded_len(a);
    size_t lb = bounded_len(b);
    /* d[i][j] is the distance between the first i bytes of a and first j of b. */
    int d[CMP_MAX + 1][CMP_MAX + 1];

    for (size_t i = 0; i <= la; i++) {
        d[i][0] = (int)i;
    }
    for (size_t j = 0; j <= lb; j++) {
        d[0][j] = (int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v) {
                v = d[i - 2][j - 2] + 1; /* adjacent transposition */
            }
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

double name_jaro_winkler(const char *a, const char *b)
{
    size_t la = bounded_len(a);
    size_t lb = bounded_len(b);
    if (la == 0 && lb == 0) {
        return 1.0;
    }
    if (la == 0 || lb == 0) {
        return 0.0;
    }

    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    bool a_matched[CMP_MAX] = {false};
    bool b_matched[CMP_MAX] = {false};
    size_t matches = 0;

    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!b_matched[j] && a[i] == b[j]) {
                a_matched[i] = true;
                b_matched[j] = true;
                matches++;
                break;
            }
        }
    }
    if (matches == 0) {
        return 0.0;
    }

    /* Matched characters that appear in a different order, counted in halves. */
    size_t half_transpositions = 0;
    size_t k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!a_matched[i]) {
            continue;
        }
        while (!b_matched[k]) {
            k++;
        }
        if (a[i] != b[k]) {
            half_transpositions++;
        }
        k++;
    }

    double m = (double)matches;
    double t = (double)half_transpositions / 2.0;
    double jaro = (m / (double)la + m / (double)lb + (m - t) / m) / 3.0;

    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) {
        prefix++;
    }
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* True when the two words share a non-empty Double Metaphone key. */
static bool sounds_alike(const char *x, const char *y)
{
    char xp[PHONETIC_KEY_MAX], xa[PHONETIC_KEY_MAX];
    char yp[PHONETIC_KEY_MAX], ya[PHONETIC_KEY_MAX];
    phonetic_double_metaphone(x, xp, xa);
    phonetic_double_metaphone(y, yp, ya);
    const char *xs[2] = {xp, xa};
    const char *ys[2] = {yp, ya};
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            if (xs[i][0] != '\0' && strcmp(xs[i], ys[j]) == 0) {
                return true;
            }
        }
    }
    return false;
}

double name_token_similarity(const char *query, const char *candidate)
{
    if (query == NULL || candidate == NULL || query[0] == '\0' || candidate[0] == '\0') {
        return 0.0;
    }
    if (strcmp(query, candidate) == 0) {
        return 1.0;
    }

    double jw = name_jaro_winkler(query, candidate);
    int d = name_edit_distance(query, candidate);
    /* Jaro-Winkler alone is generous to long words sharing a prefix; damp it
     * by 10% of the base for every edit beyond the first. */
    double best = d >= 2 ? jw / (1.0 + 0.1 * (double)(d - 1)) : jw;

    /* Single letters are initials; every vowel has key "A", so a phonetic
     * match between them would mean nothing. */
    if (query[1] != '\0' && candidate[1] != '\0' && sounds_alike(query, candidate)) {
        double phonetic = 0.85 + 0.1 * jw;
        if (phonetic > best) {
            best = phonetic;
        }
    }

    /* A partially typed name ("moh" for "mohammed") is a good lead. */
    size_t lq = strlen(query);
    if (lq >= 3 && lq < strlen(candidate) && strncmp(query, candidate, lq) == 0 && best < 0.8) {
        best = 0.8;
    }

    if (best < 0.0) {
        best = 0.0;
    }
    if (best > 1.0) {
        best = 1.0;
    }
    return best;
}
