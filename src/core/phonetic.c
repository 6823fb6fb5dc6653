/* phonetic.c — Double Metaphone (after Lawrence Philips, 2000) for person names.
 *
 * The word is reduced to upper-case ASCII letters, then scanned left to right;
 * each letter (or letter group) appends sounds to a primary and an alternate
 * key. The alternate key records a second plausible pronunciation (e.g. a
 * Germanic or Slavic reading), so two names match when any of their keys are
 * equal. Keys are capped at PHONETIC_KEY_MAX - 2 characters. */
#include "core/phonetic.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Longest word examined; more letters than this never change a 6-char key. */
#define DM_WORD_MAX 64
#define DM_KEY_LEN  (PHONETIC_KEY_MAX - 2)

struct dm_state {
    char w[DM_WORD_MAX + 1]; /* upper-case letters only */
    int len;
    bool slavo_germanic; /* spelling suggests a Slavic/Germanic origin */
    char pri[PHONETIC_KEY_MAX];
    char alt[PHONETIC_KEY_MAX];
    size_t plen;
    size_t alen;
};

/* Letter at i. Positions past the end read as ' ' so that rules written for
 * "followed by a word break" work on a single word; before the start reads as
 * NUL, which matches nothing. */
static char at(const struct dm_state *s, int i)
{
    if (i < 0) {
        return '\0';
    }
    if (i >= s->len) {
        return ' ';
    }
    return s->w[i];
}

static bool is_vowel(const struct dm_state *s, int i)
{
    if (i < 0 || i >= s->len) {
        return false;
    }
    return strchr("AEIOUY", s->w[i]) != NULL;
}

/* True when the text starting at position start equals one of the
 * '|'-separated alternatives in alts (e.g. "ACH|ECH"). */
static bool str_at(const struct dm_state *s, int start, const char *alts)
{
    if (start < 0) {
        return false;
    }
    const char *p = alts;
    for (;;) {
        int i = 0;
        bool ok = true;
        while (p[i] != '\0' && p[i] != '|') {
            if (ok && at(s, start + i) != p[i]) {
                ok = false;
            }
            i++;
        }
        if (ok && i > 0) {
            return true;
        }
        if (p[i] == '\0') {
            return false;
        }
        p += i + 1;
    }
}

static void append(char *key, size_t *klen, const char *sound)
{
    for (; *sound != '\0' && *klen < DM_KEY_LEN; sound++) {
        key[(*klen)++] = *sound;
    }
    key[*klen] = '\0';
}

/* Appends sound to the primary key and alt_sound to the alternate key. */
static void add2(struct dm_state *s, const char *sound, const char *alt_sound)
{
    append(s->pri, &s->plen, sound);
    append(s->alt, &s->alen, alt_sound);
}

static void add(struct dm_state *s, const char *sound)
{
    add2(s, sound, sound);
}

/* Germanic spellings (von/van prefixes can't occur in one letters-only word,
 * so only the "SCH" start remains as evidence). */
static bool germanic_start(const struct dm_state *s)
{
    return str_at(s, 0, "SCH");
}

/* Each handler below processes the letter at position i and returns the
 * position of the next letter to look at (always > i). */

static int do_c(struct dm_state *s, int i)
{
    /* Germanic "-ach-" as in Bacher, Macher: hard. */
    if (i > 1 && !is_vowel(s, i - 2) && str_at(s, i - 1, "ACH") && at(s, i + 2) != 'I' &&
        (at(s, i + 2) != 'E' || str_at(s, i - 2, "BACHER|MACHER"))) {
        add(s, "K");
        return i + 2;
    }
    if (i == 0 && str_at(s, i, "CAESAR")) {
        add(s, "S");
        return i + 2;
    }
    if (str_at(s, i, "CHIA")) { /* Italian, as in Chianti */
        add(s, "K");
        return i + 2;
    }
    if (str_at(s, i, "CH")) {
        if (i > 0 && str_at(s, i, "CHAE")) { /* Michael */
            add2(s, "K", "X");
            return i + 2;
        }
        /* Greek roots at the start: Charis, Chorus, Chemistry — but not Chore. */
        if (i == 0 && (str_at(s, i + 1, "HARAC|HARIS") || str_at(s, i + 1, "HOR|HYM|HIA|HEM")) &&
            !str_at(s, 0, "CHORE")) {
            add(s, "K");
            return i + 2;
        }
        if (germanic_start(s) || str_at(s, i - 2, "ORCHES|ARCHIT|ORCHID") ||
            str_at(s, i + 2, "T|S") ||
            ((str_at(s, i - 1, "A|O|U|E") || i == 0) && str_at(s, i + 2, "L|R|N|M|B|H|F|V|W| "))) {
            add(s, "K");
        } else if (i > 0) {
            if (str_at(s, 0, "MC")) {
                add(s, "K"); /* McHugh */
            } else {
                add2(s, "X", "K");
            }
        } else {
            add(s, "X");
        }
        return i + 2;
    }
    if (str_at(s, i, "CZ") && !str_at(s, i - 2, "WICZ")) { /* Czerny */
        add2(s, "S", "X");
        return i + 2;
    }
    if (str_at(s, i + 1, "CIA")) { /* Focaccia */
        add(s, "X");
        return i + 3;
    }
    /* Double C, but not the Mc of McClellan. */
    if (str_at(s, i, "CC") && !(i == 1 && at(s, 0) == 'M')) {
        if (str_at(s, i + 2, "I|E|H") && !str_at(s, i + 2, "HU")) {
            if ((i == 1 && at(s, 0) == 'A') || str_at(s, i - 1, "UCCEE|UCCES")) {
                add(s, "KS"); /* Accident, succeed */
            } else {
                add(s, "X"); /* Bacci, Bertucci */
            }
            return i + 3;
        }
        add(s, "K");
        return i + 2;
    }
    if (str_at(s, i, "CK|CG|CQ")) {
        add(s, "K");
        return i + 2;
    }
    if (str_at(s, i, "CI|CE|CY")) {
        if (str_at(s, i, "CIO|CIE|CIA")) {
            add2(s, "S", "X"); /* Italian vs English reading */
        } else {
            add(s, "S");
        }
        return i + 2;
    }
    add(s, "K");
    if (str_at(s, i + 1, "C|K|Q") && !str_at(s, i + 1, "CE|CI")) {
        return i + 2;
    }
    return i + 1;
}

static int do_d(struct dm_state *s, int i)
{
    if (str_at(s, i, "DG")) {
        if (str_at(s, i + 2, "I|E|Y")) { /* Edge */
            add(s, "J");
            return i + 3;
        }
        add(s, "TK"); /* Edgar */
        return i + 2;
    }
    add(s, "T");
    return str_at(s, i, "DT|DD") ? i + 2 : i + 1;
}

static int do_gh(struct dm_state *s, int i)
{
    if (i > 0 && !is_vowel(s, i - 1)) {
        add(s, "K");
        return i + 2;
    }
    if (i == 0) {
        /* Ghislaine vs Ghent */
        add(s, at(s, i + 2) == 'I' ? "J" : "K");
        return i + 2;
    }
    /* Silent after B, H or D a little earlier: Hugh, Bough, Broughton. */
    if ((i > 1 && str_at(s, i - 2, "B|H|D")) || (i > 2 && str_at(s, i - 3, "B|H|D")) ||
        (i > 3 && str_at(s, i - 4, "B|H"))) {
        return i + 2;
    }
    if (i > 2 && at(s, i - 1) == 'U' && str_at(s, i - 3, "C|G|L|R|T")) {
        add(s, "F"); /* Laugh, cough, Gough, rough, tough */
    } else if (at(s, i - 1) != 'I') {
        add(s, "K");
    }
    return i + 2;
}

static int do_g(struct dm_state *s, int i)
{
    if (at(s, i + 1) == 'H') {
        return do_gh(s, i);
    }
    if (at(s, i + 1) == 'N') {
        if (i == 1 && is_vowel(s, 0) && !s->slavo_germanic) {
            add2(s, "KN", "N");
        } else if (!str_at(s, i + 2, "EY") && !s->slavo_germanic) {
            add2(s, "N", "KN"); /* silent G, except e.g. Cagney */
        } else {
            add(s, "KN");
        }
        return i + 2;
    }
    if (str_at(s, i + 1, "LI") && !s->slavo_germanic) { /* Tagliaro */
        add2(s, "KL", "L");
        return i + 2;
    }
    /* Initial soft-or-hard G: Gyles, Gerald, Gilbert. */
    if (i == 0 && (at(s, i + 1) == 'Y' || str_at(s, i + 1, "ES|EP|EB|EL|EY|IB|IL|IN|IE|EI|ER"))) {
        add2(s, "K", "J");
        return i + 2;
    }
    /* -ger-, -gy- other than danger, ranger, manger, and not after E or I. */
    if ((str_at(s, i + 1, "ER") || at(s, i + 1) == 'Y') && !str_at(s, 0, "DANGER|RANGER|MANGER") &&
        !str_at(s, i - 1, "E|I") && !str_at(s, i - 1, "RGY|OGY")) {
        add2(s, "K", "J");
        return i + 2;
    }
    /* Italian soft G (Biaggi) and G before a front vowel. */
    if (str_at(s, i + 1, "E|I|Y") || str_at(s, i - 1, "AGGI|OGGI")) {
        if (germanic_start(s) || str_at(s, i + 1, "ET")) {
            add(s, "K");
        } else if (str_at(s, i + 1, "IER ")) {
            add(s, "J");
        } else {
            add2(s, "J", "K");
        }
        return i + 2;
    }
    add(s, "K");
    return at(s, i + 1) == 'G' ? i + 2 : i + 1;
}

static int do_j(struct dm_state *s, int i)
{
    if (str_at(s, i, "JOSE")) {
        if (i == 0 && at(s, i + 4) == ' ') {
            add(s, "H"); /* Spanish Jose */
        } else {
            add2(s, "J", "H");
        }
        return i + 1;
    }
    if (i == 0) {
        add2(s, "J", "A"); /* Jankelowicz read as Yankelovich */
    } else if (is_vowel(s, i - 1) && !s->slavo_germanic &&
               (at(s, i + 1) == 'A' || at(s, i + 1) == 'O')) {
        add2(s, "J", "H"); /* Spanish: Bajador */
    } else if (i == s->len - 1) {
        add2(s, "J", "");
    } else if (!str_at(s, i + 1, "L|T|K|S|N|M|B|Z") && !str_at(s, i - 1, "S|K|L")) {
        add(s, "J");
    }
    return at(s, i + 1) == 'J' ? i + 2 : i + 1;
}

static int do_l(struct dm_state *s, int i)
{
    if (at(s, i + 1) == 'L') {
        int last = s->len - 1;
        /* Spanish -llo/-lla/-alle, where LL sounds like Y: Cabrillo, Gallegos. */
        if ((i == s->len - 3 && str_at(s, i - 1, "ILLO|ILLA|ALLE")) ||
            ((str_at(s, last - 1, "AS|OS") || str_at(s, last, "A|O")) &&
             str_at(s, i - 1, "ALLE"))) {
            add2(s, "L", "");
            return i + 2;
        }
        add(s, "L");
        return i + 2;
    }
    add(s, "L");
    return i + 1;
}

static int do_s(struct dm_state *s, int i)
{
    if (str_at(s, i - 1, "ISL|YSL")) { /* silent: Carlisle, Carlysle */
        return i + 1;
    }
    if (i == 0 && str_at(s, i, "SUGAR")) {
        add2(s, "X", "S");
        return i + 1;
    }
    if (str_at(s, i, "SH")) {
        /* Across a Germanic compound boundary (-s|heim, -s|holm) the H is silent. */
        add(s, str_at(s, i + 1, "HEIM|HOEK|HOLM|HOLZ") ? "S" : "X");
        return i + 2;
    }
    if (str_at(s, i, "SIO|SIA") || str_at(s, i, "SIAN")) {
        if (s->slavo_germanic) {
            add(s, "S");
        } else {
            add2(s, "S", "X");
        }
        return i + 3;
    }
    /* Anglicised German/Jewish names: Smith/Schmidt, Snider/Schneider; and SZ. */
    if ((i == 0 && str_at(s, i + 1, "M|N|L|W")) || str_at(s, i + 1, "Z")) {
        add2(s, "S", "X");
        return str_at(s, i + 1, "Z") ? i + 2 : i + 1;
    }
    if (str_at(s, i, "SC")) {
        if (at(s, i + 2) == 'H') {
            if (str_at(s, i + 3, "OO|ER|EN|UY|ED|EM")) { /* Dutch: Schoon, Schermer */
                if (str_at(s, i + 3, "ER|EN")) {
                    add2(s, "X", "SK");
                } else {
                    add(s, "SK");
                }
                return i + 3;
            }
            if (i == 0 && !is_vowel(s, 3) && at(s, 3) != 'W') {
                add2(s, "X", "S"); /* Schmidt, Schneider */
            } else {
                add(s, "X");
            }
            return i + 3;
        }
        add(s, str_at(s, i + 2, "I|E|Y") ? "S" : "SK");
        return i + 3;
    }
    if (i == s->len - 1 && str_at(s, i - 2, "AI|OI")) {
        add2(s, "", "S"); /* French: Artois */
    } else {
        add(s, "S");
    }
    return str_at(s, i + 1, "S|Z") ? i + 2 : i + 1;
}

static int do_t(struct dm_state *s, int i)
{
    if (str_at(s, i, "TION")) {
        add(s, "X");
        return i + 3;
    }
    if (str_at(s, i, "TIA|TCH")) {
        add(s, "X");
        return i + 3;
    }
    if (str_at(s, i, "TH") || str_at(s, i, "TTH")) {
        /* Thomas, Thames and German Th are a plain T. */
        if (str_at(s, i + 2, "OM|AM") || germanic_start(s)) {
            add(s, "T");
        } else {
            add2(s, "0", "T");
        }
        return i + 2;
    }
    add(s, "T");
    return str_at(s, i + 1, "T|D") ? i + 2 : i + 1;
}

static int do_w(struct dm_state *s, int i)
{
    if (str_at(s, i, "WR")) {
        add(s, "R");
        return i + 2;
    }
    if (i == 0 && (is_vowel(s, i + 1) || str_at(s, i, "WH"))) {
        /* Wasserman may be said Vasserman; keep going to the rules below. */
        if (is_vowel(s, i + 1)) {
            add2(s, "A", "F");
        } else {
            add(s, "A");
        }
    }
    /* Polish -ewski/-owski and final -ow (Arnow ~ Arnoff). */
    if ((i == s->len - 1 && is_vowel(s, i - 1)) || str_at(s, i - 1, "EWSKI|EWSKY|OWSKI|OWSKY") ||
        germanic_start(s)) {
        add2(s, "", "F");
        return i + 1;
    }
    if (str_at(s, i, "WICZ|WITZ")) {
        add2(s, "TS", "FX");
        return i + 4;
    }
    return i + 1;
}

static int do_x(struct dm_state *s, int i)
{
    /* French final -eaux, -aux, -oux is silent. */
    if (!(i == s->len - 1 && (str_at(s, i - 3, "IAU|EAU") || str_at(s, i - 2, "AU|OU")))) {
        add(s, "KS");
    }
    return str_at(s, i + 1, "C|X") ? i + 2 : i + 1;
}

static int do_z(struct dm_state *s, int i)
{
    if (at(s, i + 1) == 'H') { /* Chinese: Zhao */
        add(s, "J");
        return i + 2;
    }
    if (str_at(s, i + 1, "ZO|ZI|ZA") || (s->slavo_germanic && i > 0 && at(s, i - 1) != 'T')) {
        add2(s, "S", "TS");
    } else {
        add(s, "S");
    }
    return at(s, i + 1) == 'Z' ? i + 2 : i + 1;
}

/* Letters whose only rule is "one sound, a doubled letter is read once". */
static int do_simple(struct dm_state *s, int i, const char *sound)
{
    add(s, sound);
    return at(s, i + 1) == at(s, i) ? i + 2 : i + 1;
}

static int step(struct dm_state *s, int i)
{
    char c = s->w[i];
    switch (c) {
    case 'A':
    case 'E':
    case 'I':
    case 'O':
    case 'U':
    case 'Y':
        if (i == 0) {
            add(s, "A"); /* vowels only count at the start */
        }
        return i + 1;
    case 'B':
        return do_simple(s, i, "P");
    case 'C':
        return do_c(s, i);
    case 'D':
        return do_d(s, i);
    case 'F':
        return do_simple(s, i, "F");
    case 'G':
        return do_g(s, i);
    case 'H':
        /* Sounded only at the start or between vowels. */
        if ((i == 0 || is_vowel(s, i - 1)) && is_vowel(s, i + 1)) {
            add(s, "H");
            return i + 2;
        }
        return i + 1;
    case 'J':
        return do_j(s, i);
    case 'K':
        return do_simple(s, i, "K");
    case 'L':
        return do_l(s, i);
    case 'M':
        add(s, "M");
        /* Silent B of -umb (Dumb, Thumb) unless -umber. */
        if ((str_at(s, i - 1, "UMB") && (i + 1 == s->len - 1 || str_at(s, i + 2, "ER"))) ||
            at(s, i + 1) == 'M') {
            return i + 2;
        }
        return i + 1;
    case 'N':
        return do_simple(s, i, "N");
    case 'P':
        if (at(s, i + 1) == 'H') {
            add(s, "F");
            return i + 2;
        }
        add(s, "P");
        /* Campbell, Raspberry: the following B is absorbed. */
        return str_at(s, i + 1, "P|B") ? i + 2 : i + 1;
    case 'Q':
        return do_simple(s, i, "K");
    case 'R':
        /* French final -ier (Xavier, Rogier) may drop the R, but not -mier/-maier. */
        if (i == s->len - 1 && !s->slavo_germanic && str_at(s, i - 2, "IE") &&
            !str_at(s, i - 4, "ME|MA")) {
            add2(s, "", "R");
        } else {
            add(s, "R");
        }
        return at(s, i + 1) == 'R' ? i + 2 : i + 1;
    case 'S':
        return do_s(s, i);
    case 'T':
        return do_t(s, i);
    case 'V':
        return do_simple(s, i, "F");
    case 'W':
        return do_w(s, i);
    case 'X':
        return do_x(s, i);
    case 'Z':
        return do_z(s, i);
    default:
        return i + 1;
    }
}

void phonetic_double_metaphone(const char *word, char primary[PHONETIC_KEY_MAX],
                               char alternate[PHONETIC_KEY_MAX])
{
    struct dm_state s;
    memset(&s, 0, sizeof s);

    if (word != NULL) {
        for (const char *p = word; *p != '\0' && s.len < DM_WORD_MAX; p++) {
            unsigned char ch = (unsigned char)*p;
            if (ch >= 'a' && ch <= 'z') {
                ch = (unsigned char)(ch - 'a' + 'A');
            }
            if (ch >= 'A' && ch <= 'Z') {
                s.w[s.len++] = (char)ch;
            }
        }
    }
    s.w[s.len] = '\0';
    s.slavo_germanic = strchr(s.w, 'W') != NULL || strchr(s.w, 'K') != NULL ||
                       strstr(s.w, "CZ") != NULL || strstr(s.w, "WITZ") != NULL;

    int i = 0;
    if (s.len > 0) {
        /* Silent first letter: Gnome, Knight, Pneumatic, Wright, Psychology. */
        if (str_at(&s, 0, "GN|KN|PN|WR|PS")) {
            i = 1;
        }
        /* Initial X sounds as S: Xavier, Xerxes. */
        if (s.w[0] == 'X') {
            add(&s, "S");
            i = 1;
        }
    }
    while (i < s.len && (s.plen < DM_KEY_LEN || s.alen < DM_KEY_LEN)) {
        i = step(&s, i);
    }

    memcpy(primary, s.pri, s.plen + 1);
    memcpy(alternate, s.alt, s.alen + 1);
}
