/*
 * fuzz_names.c — libFuzzer target: person names and dates as typed by anyone:
 * tokenising (UTF-8, other scripts), phonetic keys, similarity, date parsing.
 */
#include "core/date.h"
#include "core/names.h"
#include "core/phonetic.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char toks[NAME_TOKENS_MAX][NAME_TOKEN_MAX];
    size_t n = name_tokenise(s, toks, NAME_TOKENS_MAX);
    for (size_t i = 0; i < n; i++) {
        if (!toks[i][0] || strlen(toks[i]) >= NAME_TOKEN_MAX)
            abort();
        char p[PHONETIC_KEY_MAX], a[PHONETIC_KEY_MAX];
        phonetic_double_metaphone(toks[i], p, a);
        double sim = name_token_similarity(toks[i], toks[n - 1 - i]);
        if (!(sim >= 0.0 && sim <= 1.0))
            abort();
    }
    struct civil_date d;
    if (date_parse(s, &d) == 0) {
        char back[DATE_TEXT_LEN];
        date_format(&d, back);
        if (strcmp(back, s) != 0)
            abort(); /* a date that parses must print back the same */
    }
    int64_t t;
    if (ts_parse(s, &t) == 0) {
        char back[TS_TEXT_LEN];
        ts_format(t, back);
        if (strcmp(back, s) != 0)
            abort();
    }
    free(s);
    return 0;
}
