/*
 * people_search.c — the tolerant name index and ranked matching.
 *
 * Index: every token of every name (primary and aliases; hyphenated and
 * double-barrelled names split into tokens) is stored under up to three keys:
 *   m:<Double Metaphone primary>, m:<alternate>   sound-alikes (Smith/Smyth,
 *                                                  Mohammed/Muhammad)
 *   s:<sorted consonants>                         transposed or dropped
 *                                                  vowels (Smiht/Smith)
 * A query token looks up its own keys, so candidates come from indexed
 * equality lookups (never a table scan); each candidate token is then scored
 * with name_token_similarity() (phonetic, Jaro-Winkler and edit distance).
 * Given/family order does not matter: every query token is matched against
 * every name token, so swapped names are found.
 *
 * When a date of birth is given, everyone born that day is a candidate too,
 * so even a misspelling that changes every key is found.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "core/names.h"
#include "core/phonetic.h"
#include "modules/people/people.h"
#include "modules/people/people_internal.h"
#include "modules/people/people_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX (NAME_TOKEN_MAX + 8) /* "x:" + a whole token fits */

/* Writes the index keys of one token; returns how many. */
static int token_keys(const char *tok, char keys[3][KEY_MAX])
{
    int n = 0;
    char p[PHONETIC_KEY_MAX], a[PHONETIC_KEY_MAX];
    phonetic_double_metaphone(tok, p, a);
    if (p[0])
        snprintf(keys[n++], KEY_MAX, "m:%s", p);
    if (a[0] && strcmp(a, p) != 0)
        snprintf(keys[n++], KEY_MAX, "m:%s", a);
    /* Tokens in other scripts have no phonetic key: index them exactly, so
     * such names are still found and duplicate-checked. */
    if (!p[0]) {
        snprintf(keys[n++], KEY_MAX, "x:%s", tok);
        return n;
    }
    /* The consonant skeleton: set of consonants, sorted. Too coarse for very
     * short tokens, where it would match half the index. */
    if (strlen(tok) >= 4) {
        int seen[26] = {0};
        for (const char *c = tok; *c; c++)
            if (*c >= 'a' && *c <= 'z' && !strchr("aeiouy", *c))
                seen[*c - 'a'] = 1;
        char sk[KEY_MAX] = "s:";
        size_t k = 2;
        for (int i = 0; i < 26 && k < KEY_MAX - 1; i++)
            if (seen[i])
                sk[k++] = (char)('a' + i);
        sk[k] = '\0';
        if (k >= 4)
            memcpy(keys[n++], sk, KEY_MAX);
    }
    return n;
}

static int index_name(struct store *s, int64_t id, const char *given, const char *family)
{
    char toks[NAME_TOKENS_MAX * 2][NAME_TOKEN_MAX];
    size_t nt = name_tokenise(given, toks, NAME_TOKENS_MAX);
    nt += name_tokenise(family, toks + nt, NAME_TOKENS_MAX);
    for (size_t i = 0; i < nt; i++) {
        char keys[3][KEY_MAX];
        int nk = token_keys(toks[i], keys);
        for (int k = 0; k < nk; k++) {
            struct stmt *st = store_prepare(s, SQL_SEARCH_INSERT);
            if (!st)
                return STORE_ERROR;
            stmt_bind_text(st, 1, keys[k]);
            stmt_bind_int(st, 2, id);
            stmt_bind_text(st, 3, toks[i]);
            stmt_bind_int(st, 4, (int64_t)nt);
            int rc = store_exec_stmt(st);
            if (rc != STORE_OK)
                return rc;
        }
    }
    return STORE_OK;
}

int person_index_names(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_SEARCH_DELETE);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return rc;
    /* Collect names first: the alias statement is still stepping while we
     * insert, and SQLite allows that, but PostgreSQL cursors are cleaner
     * without interleaving. */
    char names[1 + 16][2][256];
    int nn = 0;
    st = store_prepare(s, SQL_PERSON_GET);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    if ((rc = stmt_step(st)) != STORE_ROW) {
        stmt_reset(st);
        return rc < 0 ? rc : STORE_ERROR;
    }
    snprintf(names[nn][0], 256, "%s", stmt_text(st, 1));
    snprintf(names[nn][1], 256, "%s", stmt_text(st, 2));
    nn++;
    stmt_reset(st);
    st = store_prepare(s, SQL_ALIAS_LIST);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    while (nn < 17 && stmt_step(st) == STORE_ROW) {
        snprintf(names[nn][0], 256, "%s", stmt_text(st, 0));
        snprintf(names[nn][1], 256, "%s", stmt_text(st, 1));
        nn++;
    }
    stmt_reset(st);
    for (int i = 0; i < nn; i++)
        if ((rc = index_name(s, id, names[i][0], names[i][1])) != STORE_OK)
            return rc;
    return STORE_OK;
}

/* ---- matching ---------------------------------------------------------- */

struct cand {
    int64_t id; /* 0 = empty slot */
    float best[NAME_TOKENS_MAX];
    int dob_seen;
    int name_tokens; /* fewest tokens among the candidate's matched names */
    int restricted;
    char dob[DATE_TEXT_LEN];
};

struct cand_table {
    struct cand *slots;
    size_t cap, used;
};

static struct cand *cand_get(struct cand_table *t, int64_t id)
{
    if (t->used * 2 >= t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        struct cand *ns = calloc(ncap, sizeof(*ns));
        if (!ns)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].id)
                continue;
            size_t h = (size_t)t->slots[i].id * 11400714819323198485ull & (ncap - 1);
            while (ns[h].id)
                h = (h + 1) & (ncap - 1);
            ns[h] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = ncap;
    }
    size_t h = (size_t)id * 11400714819323198485ull & (t->cap - 1);
    while (t->slots[h].id && t->slots[h].id != id)
        h = (h + 1) & (t->cap - 1);
    if (!t->slots[h].id) {
        t->slots[h].id = id;
        t->used++;
    }
    return &t->slots[h];
}

/* Scores how well a candidate's date of birth fits the one asked for. */
static double dob_fit(const char *want, const char *have)
{
    struct civil_date w, h;
    if (!have || !*have || date_parse(have, &h) < 0)
        return 0.5; /* unknown: neither evidence for nor against */
    if (date_parse(want, &w) < 0)
        return 0.5;
    if (date_compare(&w, &h) == 0)
        return 1.0;
    if (w.year == h.year && w.month == h.day && w.day == h.month)
        return 0.8; /* day and month swapped (US-style entry) */
    if (w.year == h.year && w.month == h.month)
        return 0.7; /* one part mistyped */
    if (w.month == h.month && w.day == h.day && abs(w.year - h.year) <= 10)
        return 0.7; /* year mistyped */
    if (w.year == h.year)
        return 0.4;
    return 0.0;
}

static int cmp_match(const void *a, const void *b)
{
    const struct person_match *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The candidate cannot be in the table yet when absent: no insert. */
static struct cand *cand_find(struct cand_table *t, int64_t id)
{
    if (!t->cap)
        return NULL;
    size_t h = (size_t)id * 11400714819323198485ull & (t->cap - 1);
    while (t->slots[h].id && t->slots[h].id != id)
        h = (h + 1) & (t->cap - 1);
    return t->slots[h].id ? &t->slots[h] : NULL;
}

/* Similarities already worked out for one key's rows. A key's rows carry few
 * distinct tokens (every "Smith" under m:SM0), and name_token_similarity() is
 * the costly part of a row, so each distinct token is scored once. */
#define MEMO_MAX 64
struct sim_memo {
    size_t n;
    struct {
        char tok[NAME_TOKEN_MAX];
        float sim[NAME_TOKENS_MAX];
    } e[MEMO_MAX];
};

static const float *memo_sims(struct sim_memo *m, const char *tok, char toks[][NAME_TOKEN_MAX],
                              size_t nt, int restrict_tok, float scratch[NAME_TOKENS_MAX])
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].tok, tok) == 0)
            return m->e[i].sim;
    float *sim = scratch;
    if (m->n < MEMO_MAX && strlen(tok) < NAME_TOKEN_MAX) {
        snprintf(m->e[m->n].tok, NAME_TOKEN_MAX, "%s", tok);
        sim = m->e[m->n++].sim;
    }
    for (size_t i = 0; i < nt; i++)
        sim[i] = restrict_tok >= 0 && (size_t)restrict_tok != i
                     ? 0.0f
                     : (float)name_token_similarity(toks[i], tok);
    return sim;
}

static void score_rows(struct stmt *st, struct cand_table *t, char toks[][NAME_TOKEN_MAX],
                       size_t nt, int restrict_tok)
{
    struct sim_memo memo; /* 4 KB on the stack; no entry is read before written */
    memo.n = 0;
    while (stmt_step(st) == STORE_ROW) {
        struct cand *c = cand_get(t, stmt_int(st, 0));
        if (!c)
            break;
        const char *tok = stmt_text(st, 1);
        int ntok = (int)stmt_int(st, 3);
        if (!c->name_tokens || ntok < c->name_tokens)
            c->name_tokens = ntok;
        if (!c->dob_seen) {
            c->dob_seen = 1;
            c->restricted = (int)stmt_int(st, 4);
            if (!stmt_is_null(st, 2))
                snprintf(c->dob, sizeof(c->dob), "%s", stmt_text(st, 2));
        }
        float scratch[NAME_TOKENS_MAX];
        const float *sim = memo_sims(&memo, tok, toks, nt, restrict_tok, scratch);
        for (size_t i = 0; i < nt; i++)
            if (sim[i] > c->best[i])
                c->best[i] = sim[i];
    }
    stmt_reset(st);
}

/* Marks the restricted among the candidates (the names-only key query does
 * not read person). */
static int mark_restricted(struct store *s, struct cand_table *t)
{
    struct stmt *st = store_prepare(s, SQL_SEARCH_RESTRICTED);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        struct cand *c = cand_find(t, stmt_int(st, 0));
        if (c)
            c->restricted = 1;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int people_match(struct store *s, const char *q, const char *dob, double min_score,
                 const struct user *viewer, struct person_match **out, size_t *n, size_t *hidden)
{
    size_t nhidden = 0;
    char toks[NAME_TOKENS_MAX][NAME_TOKEN_MAX];
    size_t nt = q ? name_tokenise(q, toks, NAME_TOKENS_MAX) : 0;
    struct cand_table t = {0};
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < nt; i++) {
        char keys[3][KEY_MAX];
        int nk = token_keys(toks[i], keys);
        for (int k = 0; k < nk; k++) {
            struct stmt *st = store_prepare(s, dob ? SQL_SEARCH_BY_KEY : SQL_SEARCH_BY_KEY_NAMES);
            if (!st)
                goto fail;
            stmt_bind_text(st, 1, keys[k]);
            score_rows(st, &t, toks, nt, (int)i);
        }
    }
    if (!dob && mark_restricted(s, &t) < 0)
        goto fail;
    if (dob) {
        struct stmt *st = store_prepare(s, SQL_SEARCH_BY_DOB);
        if (!st)
            goto fail;
        stmt_bind_text(st, 1, dob);
        score_rows(st, &t, toks, nt, -1);
    }
    /* A candidate may have matched one token by key but carry a better match
     * for another token that shares no key; its other tokens are not
     * re-read, which only ever lowers its score, never raises a wrong one. */
    struct person_match *m = calloc(t.used ? t.used : 1, sizeof(*m));
    if (!m)
        goto fail;
    size_t k = 0;
    for (size_t i = 0; i < t.cap; i++) {
        struct cand *c = &t.slots[i];
        if (!c->id)
            continue;
        double name = 0;
        for (size_t j = 0; j < nt; j++)
            name += c->best[j];
        name = nt ? name / (double)nt : 0.0;
        /* Coverage: of two people matching every query token equally, the
         * one whose name holds fewer other tokens ranks first ("John Smith"
         * before "John Smith-Jones" for the query "John Smith"). */
        if (nt && c->name_tokens > (int)nt)
            name *= 0.92 + 0.08 * (double)nt / (double)c->name_tokens;
        double d = -1, score = name;
        if (dob) {
            d = dob_fit(dob, c->dob);
            score = nt ? 0.7 * name + 0.3 * d : d;
        }
        if (score < min_score)
            continue;
        if (c->restricted && !auth_person_visible(s, c->id, viewer)) {
            nhidden++;
            continue;
        }
        m[k].id = c->id;
        m[k].name_score = name;
        m[k].dob_score = d;
        m[k].score = score;
        k++;
    }
    qsort(m, k, sizeof(*m), cmp_match);
    free(t.slots);
    *out = m;
    *n = k;
    if (hidden)
        *hidden = nhidden;
    return 0;
fail:
    free(t.slots);
    return -1;
}
