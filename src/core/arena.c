/*
 * arena.c — chunked bump allocator with cleanup hooks (see arena.h).
 *
 * Small allocations come from 16 KiB chunks; a request larger than a quarter
 * chunk gets its own block so one big body does not waste a chunk's tail.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384
#define ARENA_ALIGN 16

struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *ptr;
};

struct arena {
    struct chunk *chunks;
    struct cleanup *cleanups;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("safeguard: out of memory\n", stderr);
        abort();
    }
    return p;
}

struct arena *arena_new(void)
{
    struct arena *a = calloc(1, sizeof(*a));
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    for (struct cleanup *c = a->cleanups; c; c = c->next)
        c->fn(c->ptr);
    struct chunk *ch = a->chunks;
    while (ch) {
        struct chunk *next = ch->next;
        free(ch);
        ch = next;
    }
    free(a);
}

static struct chunk *chunk_new(size_t cap)
{
    struct chunk *ch = xmalloc(sizeof(*ch) + cap);
    ch->next = NULL;
    ch->used = 0;
    ch->cap = cap;
    return ch;
}

void *arena_alloc(struct arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size) {
        fputs("safeguard: allocation size overflow\n", stderr);
        abort();
    }
    if (need > ARENA_CHUNK / 4) {
        /* Big blocks go behind the current chunk so its free tail stays usable. */
        struct chunk *big = chunk_new(need);
        big->used = need;
        if (a->chunks) {
            big->next = a->chunks->next;
            a->chunks->next = big;
        } else {
            a->chunks = big;
        }
        memset(big->data, 0, need);
        return big->data;
    }
    if (!a->chunks || a->chunks->cap - a->chunks->used < need) {
        struct chunk *ch = chunk_new(ARENA_CHUNK);
        ch->next = a->chunks;
        a->chunks = ch;
    }
    void *p = a->chunks->data + a->chunks->used;
    a->chunks->used += need;
    memset(p, 0, need);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void arena_cleanup(struct arena *a, void (*fn)(void *), void *ptr)
{
    struct cleanup *c = arena_alloc(a, sizeof(*c));
    c->fn = fn;
    c->ptr = ptr;
    c->next = a->cleanups;
    a->cleanups = c;
}
