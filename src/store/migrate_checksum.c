/*
 * migrate_checksum.c — column kinds, value normalisation and table checksums
 * for migrate-store (see migrate_checksum.h).
 */
#include "store/migrate_checksum.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when word occurs in decl, ignoring case (SQLite's affinity test). */
static int contains(const char *decl, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = decl; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && toupper((unsigned char)p[i]) == word[i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

enum mig_kind mig_kind_of(const char *decl)
{
    if (!decl || !*decl)
        return MIG_BLOB;
    /* The order is SQLite's (section 3.1 of its datatype documentation):
     * "CHARINT" is an integer, "FLOATING POINT" is a real, "BLOBTEXT" text. */
    if (contains(decl, "INT"))
        return MIG_INTEGER;
    if (contains(decl, "CHAR") || contains(decl, "CLOB") || contains(decl, "TEXT"))
        return MIG_TEXT;
    if (contains(decl, "BLOB"))
        return MIG_BLOB;
    if (contains(decl, "REAL") || contains(decl, "FLOA") || contains(decl, "DOUB"))
        return MIG_REAL;
    return MIG_NUMERIC;
}

int mig_is_number(const char *text)
{
    if (!text || !*text || isspace((unsigned char)*text))
        return 0;
    char *end;
    double d = strtod(text, &end);
    /* "inf" and "nan" parse, but SQLite stores neither as a REAL's text. */
    return *end == '\0' && isfinite(d);
}

const char *mig_normalise(enum mig_kind kind, const char *text, double dbl, char buf[32])
{
    if (!text)
        return NULL;
    if (kind == MIG_REAL && mig_is_number(text)) {
        snprintf(buf, 32, "%.17g", dbl == 0.0 ? 0.0 : dbl); /* -0 and 0 are one value */
        return buf;
    }
    return text;
}

static void put(struct mig_row *r, const char *s, size_t n)
{
    if (r->fail)
        return;
    if (r->len + n > MIG_ROW_MAX) {
        r->fail = 1;
        return;
    }
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 256;
        while (cap < r->len + n)
            cap *= 2;
        char *p = realloc(r->p, cap);
        if (!p) {
            r->fail = 1;
            return;
        }
        r->p = p;
        r->cap = cap;
    }
    memcpy(r->p + r->len, s, n);
    r->len += n;
}

void mig_row_begin(struct mig_row *r)
{
    r->len = 0;
    r->fail = 0;
}

void mig_row_add(struct mig_row *r, const char *v)
{
    if (!v) {
        put(r, "N", 1);
        return;
    }
    size_t n = strlen(v);
    char head[32];
    int w = snprintf(head, sizeof(head), "S%zu:", n);
    put(r, head, (size_t)w);
    put(r, v, n);
}

int mig_row_end(struct mig_row *r)
{
    put(r, "\n", 1);
    return r->fail ? -1 : 0;
}

int mig_row_equal(const struct mig_row *a, const struct mig_row *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

void mig_row_release(struct mig_row *r)
{
    free(r->p);
    r->p = NULL;
    r->len = r->cap = 0;
}

void mig_sum_init(struct mig_sum *s)
{
    crypto_hash_sha256_init(&s->st);
    s->rows = 0;
}

void mig_sum_row(struct mig_sum *s, const struct mig_row *r)
{
    crypto_hash_sha256_update(&s->st, (const unsigned char *)r->p, r->len);
    s->rows++;
}

void mig_sum_final(struct mig_sum *s, char hex[65])
{
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&s->st, out);
    sodium_bin2hex(hex, 65, out, sizeof(out));
}
