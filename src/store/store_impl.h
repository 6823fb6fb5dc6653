/*
 * store_impl.h — what a database backend provides to store.c (private to src/store).
 *
 * store.h is the one interface the rest of Safeguard sees; store.c forwards
 * each call through the backend's table of operations. A backend's connection
 * and statement structs begin with `struct store` and `struct stmt` below, so
 * a pointer to either is a pointer to its base. Two backends:
 * store_sqlite.c (a file path; the default) and store_pg.c (a postgres://
 * or postgresql:// URL).
 */
#ifndef SG_STORE_IMPL_H
#define SG_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
    const char *name; /* "sqlite" or "postgres", for messages */
    void (*close)(struct store *s);
    int (*set_max_pages)(struct store *s, long max_pages);
    const char *(*errmsg)(struct store *s);
    int (*migrate)(struct store *s, char *err, size_t errlen);
    int (*schema_version)(struct store *s);
    int (*begin)(struct store *s, int write); /* 0 read, 1 write, 2 snapshot */
    int (*snapshot_wrote)(struct store *s);
    int (*commit)(struct store *s);
    int (*rollback)(struct store *s);
    int (*in_transaction)(struct store *s);
    struct stmt *(*prepare)(struct store *s, const char *sql);
    int (*exec)(struct store *s, const char *sql);
    int64_t (*changes)(struct store *s);
    int (*backup)(struct store *s, const char *dest_path, char *err, size_t errlen);
    int (*integrity_check)(struct store *s, char *err, size_t errlen);
    int (*explain)(struct store *s, const char *sql, char *out, size_t outlen);
    int (*defer_indexes)(struct store *s, const char *table, const char *keep,
                         struct store_deferred *d);
    int (*bulk_cache)(struct store *s, int mb);
    int (*analyze)(struct store *s);

    void (*bind_text)(struct stmt *st, int idx, const char *v);
    void (*bind_int)(struct stmt *st, int idx, int64_t v);
    void (*bind_double)(struct stmt *st, int idx, double v);
    void (*bind_null)(struct stmt *st, int idx);
    int (*step)(struct stmt *st);
    void (*reset)(struct stmt *st);
    const char *(*text)(struct stmt *st, int col);
    int64_t (*int64)(struct stmt *st, int col);
    double (*dbl)(struct stmt *st, int col);
    int (*is_null)(struct stmt *st, int col);
    int (*column_count)(struct stmt *st);
    const char *(*column_name)(struct stmt *st, int col);
};

struct store {
    const struct store_ops *ops;
    char *path; /* as given: a file path or a URL (password removed) */
};

struct stmt {
    struct store *store;
    const char *sql; /* the caller's text: the cache key */
};

/* A connection's statements by the address of their SQL (stmt_cache.c):
 * grows as statements arrive, never evicts. */
struct stmt_cache {
    struct stmt **slot;
    size_t cap, count;
};
struct stmt *stmt_cache_find(const struct stmt_cache *c, const char *sql);
/* Adds st (its sql set, not yet cached); 0, or -1 out of memory. */
int stmt_cache_add(struct stmt_cache *c, struct stmt *st);
/* Passes each statement to finalize (which frees it), then empties c. */
void stmt_cache_free(struct stmt_cache *c, void (*finalize)(struct stmt *st));

/* Keeps a copy of one index definition in d (store.c); 0, or -1 out of
 * memory. */
int store_deferred_add(struct store_deferred *d, const char *sql);

/* Backend entry points (store.c picks one by the form of `path`). */
int store_sqlite_open(struct store **out, const char *path, int readonly, char *err, size_t errlen);
int store_pg_open(struct store **out, const char *url, int readonly, char *err, size_t errlen);

/* 1 when path names a PostgreSQL database (postgres:// or postgresql://). */
int store_is_postgres(const char *path);

#endif
