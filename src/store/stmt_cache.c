/*
 * stmt_cache.c — the statement cache both backends keep per connection.
 *
 * Statements are cached by the address of their SQL text (every statement
 * is a string literal in a module's *_sql.h, so the address names it). The
 * table starts with room for STMT_CACHE_START and doubles when half full,
 * holding every statement a connection has used (several hundred across the
 * modules). It never evicts: a caller may hold a statement while preparing
 * another. Open addressing over pointers, so growing never moves a
 * statement a caller holds.
 */
#include "store/store_impl.h"

#include <stdint.h>
#include <stdlib.h>

#define STMT_CACHE_START 512 /* power of two */

static size_t slot_of(const char *sql, size_t cap)
{
    return (((size_t)(uintptr_t)sql >> 3) * 2654435761u) & (cap - 1);
}

struct stmt *stmt_cache_find(const struct stmt_cache *c, const char *sql)
{
    if (!c->cap)
        return NULL;
    for (size_t i = slot_of(sql, c->cap); c->slot[i]; i = (i + 1) & (c->cap - 1))
        if (c->slot[i]->sql == sql)
            return c->slot[i];
    return NULL;
}

/* Doubles the table (or makes the first one); 0, or -1 out of memory. */
static int grow(struct stmt_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : STMT_CACHE_START;
    struct stmt **t = calloc(cap, sizeof(*t));
    if (!t)
        return -1;
    for (size_t i = 0; i < c->cap; i++) {
        struct stmt *e = c->slot[i];
        if (!e)
            continue;
        size_t j = slot_of(e->sql, cap);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = e;
    }
    free(c->slot);
    c->slot = t;
    c->cap = cap;
    return 0;
}

int stmt_cache_add(struct stmt_cache *c, struct stmt *st)
{
    /* Kept at most half full, so a probe always ends at a free slot. */
    if ((c->count + 1) * 2 > c->cap && grow(c) < 0)
        return -1;
    size_t i = slot_of(st->sql, c->cap);
    while (c->slot[i])
        i = (i + 1) & (c->cap - 1);
    c->slot[i] = st;
    c->count++;
    return 0;
}

void stmt_cache_free(struct stmt_cache *c, void (*finalize)(struct stmt *st))
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->slot[i])
            finalize(c->slot[i]);
    free(c->slot);
    c->slot = NULL;
    c->cap = c->count = 0;
}
