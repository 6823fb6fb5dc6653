/*
 * arena.h — per-request memory: allocate freely, release everything at once.
 *
 * Invariants: every pointer returned by an arena stays valid until
 * arena_free(); nothing it hands out may be free()d individually. Cleanups
 * registered with arena_cleanup() run in reverse order of registration when
 * the arena is freed, so a request's statements, JSON values and files go
 * with its memory in one call (the nginx pool / h2o req->pool habit).
 */
#ifndef SG_ARENA_H
#define SG_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns a new arena, or NULL when out of memory. */
struct arena *arena_new(void);
/* Frees every allocation and runs every cleanup. NULL is a no-op. */
void arena_free(struct arena *a);

/* Returns zeroed memory aligned for any type; aborts on out-of-memory,
 * since a half-built request is harder to reason about than a crash. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Registers fn(ptr) to run when the arena is freed. */
void arena_cleanup(struct arena *a, void (*fn)(void *), void *ptr);

#endif
