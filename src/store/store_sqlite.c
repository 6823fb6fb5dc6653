/*
 * store_sqlite.c — the SQLite implementation of store.h.
 *
 * The only file in Safeguard that includes sqlite3.h. Pragmas chosen here:
 * WAL (readers never block the writer), synchronous=FULL (durable commits,
 * see docs/architecture.md for the measured cost), foreign_keys=ON,
 * busy_timeout so concurrent writers queue instead of failing.
 */
#include "store/store.h"
#include "store/migrations.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statement cache starts with room for this many and doubles as the
 * application's distinct statements arrive (it holds every one a connection
 * has used, several hundred across the modules). It never evicts: a caller
 * may hold a statement while preparing another. */
#define STMT_CACHE_START 512

/* Writers in this process queue on a mutex before asking SQLite for the
 * write lock. SQLite's own busy handler sleeps in growing steps (up to tens
 * of milliseconds), which put a long tail on audited reads under load; a
 * mutex hands the lock over as soon as it is free. Other processes (the CLI)
 * still meet the busy timeout. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

struct stmt {
    sqlite3_stmt *st;
    struct store *store;
    const char *sql;
};

struct store {
    sqlite3 *db;
    char *path;
    int txn_depth;
    int holds_writer; /* this connection holds writer_lock */
    int txn_failed;   /* an inner rollback poisons the outer transaction */
    /* Open addressing on the SQL text's address; the table holds pointers,
     * so growing it never moves a statement a caller holds. Power of two. */
    struct stmt **cache;
    size_t cache_cap, cache_count;
    char errmsg[512];
};

static int map_rc(struct store *s, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return STORE_OK;
    case SQLITE_ROW:
        return STORE_ROW;
    case SQLITE_DONE:
        return STORE_DONE;
    case SQLITE_CONSTRAINT:
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
        return STORE_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        snprintf(s->errmsg, sizeof(s->errmsg), "database is busy");
        return STORE_BUSY;
    case SQLITE_FULL:
        snprintf(s->errmsg, sizeof(s->errmsg), "disk is full");
        return STORE_FULL;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        snprintf(s->errmsg, sizeof(s->errmsg), "database is read-only");
        return STORE_READONLY;
    case SQLITE_IOERR:
        /* A write failing for lack of space surfaces as IOERR on some paths. */
        snprintf(s->errmsg, sizeof(s->errmsg), "database I/O error: %s", sqlite3_errmsg(s->db));
        return STORE_FULL;
    default:
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
        return STORE_ERROR;
    }
}

static int open_common(struct store **out, const char *path, int flags, char *err, size_t errlen)
{
    *out = NULL;
    struct store *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    s->path = strdup(path);
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, 10000);
    const char *pragmas = (flags & SQLITE_OPEN_READWRITE)
                              ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                "PRAGMA cache_size=-16000;"
                              : "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure database '%s': %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

int store_open(struct store **out, const char *path, char *err, size_t errlen)
{
    return open_common(out, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err, errlen);
}

int store_open_readonly(struct store **out, const char *path, char *err, size_t errlen)
{
    return open_common(out, path, SQLITE_OPEN_READONLY, err, errlen);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cache_cap; i++)
        if (s->cache[i]) {
            sqlite3_finalize(s->cache[i]->st);
            free(s->cache[i]);
        }
    free(s->cache);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

int store_set_max_pages(struct store *s, long max_pages)
{
    if (max_pages <= 0)
        return STORE_OK;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %ld", max_pages);
    return store_exec(s, sql);
}

const char *store_errmsg(struct store *s)
{
    return s->errmsg[0] ? s->errmsg : sqlite3_errmsg(s->db);
}

const char *store_path(struct store *s)
{
    return s->path;
}

int store_exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    int out = map_rc(s, rc);
    if (rc != SQLITE_OK && msg)
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", msg);
    sqlite3_free(msg);
    return out;
}

static void release_writer(struct store *s)
{
    if (s->holds_writer) {
        s->holds_writer = 0;
        pthread_mutex_unlock(&writer_lock);
    }
}

static int txn_begin(struct store *s, const char *sql, int write)
{
    if (s->txn_depth++ > 0)
        return STORE_OK;
    s->txn_failed = 0;
    if (write) {
        pthread_mutex_lock(&writer_lock);
        s->holds_writer = 1;
    }
    int rc = store_exec(s, sql);
    if (rc != STORE_OK) {
        s->txn_depth = 0;
        release_writer(s);
    }
    return rc;
}

int store_begin_read(struct store *s)
{
    return txn_begin(s, "BEGIN", 0);
}

int store_begin_write(struct store *s)
{
    return txn_begin(s, "BEGIN IMMEDIATE", 1);
}

int store_in_transaction(struct store *s)
{
    return s->txn_depth > 0;
}

int store_commit(struct store *s)
{
    if (s->txn_depth == 0)
        return STORE_ERROR;
    if (--s->txn_depth > 0)
        return STORE_OK;
    if (s->txn_failed) {
        store_exec(s, "ROLLBACK");
        release_writer(s);
        snprintf(s->errmsg, sizeof(s->errmsg), "transaction rolled back by an inner failure");
        return STORE_ERROR;
    }
    int rc = store_exec(s, "COMMIT");
    if (rc != STORE_OK && sqlite3_get_autocommit(s->db) == 0)
        store_exec(s, "ROLLBACK");
    release_writer(s);
    return rc;
}

int store_rollback(struct store *s)
{
    if (s->txn_depth == 0)
        return STORE_OK;
    if (--s->txn_depth > 0) {
        s->txn_failed = 1;
        return STORE_OK;
    }
    if (!sqlite3_get_autocommit(s->db)) {
        char *msg = NULL;
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, &msg);
        sqlite3_free(msg);
    } /* else SQLite already rolled back (e.g. after SQLITE_FULL) */
    release_writer(s);
    return STORE_OK;
}

static size_t slot_of(const char *sql, size_t cap)
{
    return (((size_t)(uintptr_t)sql >> 3) * 2654435761u) & (cap - 1);
}

/* Doubles the table (or makes the first one); 0, or -1 out of memory. */
static int cache_grow(struct store *s)
{
    size_t cap = s->cache_cap ? s->cache_cap * 2 : STMT_CACHE_START;
    struct stmt **t = calloc(cap, sizeof(*t));
    if (!t)
        return -1;
    for (size_t i = 0; i < s->cache_cap; i++) {
        struct stmt *e = s->cache[i];
        if (!e)
            continue;
        size_t j = slot_of(e->sql, cap);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = e;
    }
    free(s->cache);
    s->cache = t;
    s->cache_cap = cap;
    return 0;
}

struct stmt *store_prepare(struct store *s, const char *sql)
{
    /* Kept at most half full, so a probe always ends at a free slot. */
    if ((s->cache_count + 1) * 2 > s->cache_cap && cache_grow(s) < 0) {
        snprintf(s->errmsg, sizeof(s->errmsg), "out of memory for the statement cache");
        return NULL;
    }
    size_t i = slot_of(sql, s->cache_cap);
    for (; s->cache[i]; i = (i + 1) & (s->cache_cap - 1)) {
        struct stmt *e = s->cache[i];
        if (e->sql == sql) {
            sqlite3_reset(e->st);
            sqlite3_clear_bindings(e->st);
            return e;
        }
    }
    struct stmt *e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(s->errmsg, sizeof(s->errmsg), "out of memory for the statement cache");
        return NULL;
    }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &e->st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(s->errmsg, sizeof(s->errmsg), "cannot prepare statement: %s",
                 sqlite3_errmsg(s->db));
        sqlite3_finalize(e->st);
        free(e);
        return NULL;
    }
    e->sql = sql;
    e->store = s;
    s->cache[i] = e;
    s->cache_count++;
    return e;
}

void stmt_bind_text(struct stmt *st, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->st, idx);
}

void stmt_bind_int(struct stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(st->st, idx, v);
}

void stmt_bind_double(struct stmt *st, int idx, double v)
{
    sqlite3_bind_double(st->st, idx, v);
}

void stmt_bind_null(struct stmt *st, int idx)
{
    sqlite3_bind_null(st->st, idx);
}

int stmt_step(struct stmt *st)
{
    int rc = map_rc(st->store, sqlite3_step(st->st));
    if (rc < 0 && st->store->txn_depth > 0)
        st->store->txn_failed = 1;
    return rc;
}

int stmt_returning_id(struct stmt *st, int64_t *id)
{
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        *id = sqlite3_column_int64(st->st, 0);
    sqlite3_reset(st->st);
    return rc == STORE_ROW ? STORE_OK : rc < 0 ? rc : STORE_ERROR;
}

int store_exec_stmt(struct stmt *st)
{
    int rc = stmt_step(st);
    sqlite3_reset(st->st);
    return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}

const char *stmt_text(struct stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->st, col);
}

int64_t stmt_int(struct stmt *st, int col)
{
    return sqlite3_column_int64(st->st, col);
}

double stmt_double(struct stmt *st, int col)
{
    return sqlite3_column_double(st->st, col);
}

int stmt_is_null(struct stmt *st, int col)
{
    return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int stmt_column_count(struct stmt *st)
{
    return sqlite3_column_count(st->st);
}

const char *stmt_column_name(struct stmt *st, int col)
{
    return sqlite3_column_name(st->st, col);
}

json_t *stmt_json_text(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col));
}

json_t *stmt_row_object(struct stmt *st, const struct column_spec *cols, int ncols)
{
    json_t *o = json_object();
    for (int i = 0; i < ncols; i++) {
        json_t *v = stmt_is_null(st, i)   ? json_null()
                    : cols[i].type == 's' ? json_string(stmt_text(st, i))
                    : cols[i].type == 'b' ? json_boolean(stmt_int(st, i) != 0)
                                          : json_integer((json_int_t)stmt_int(st, i));
        json_object_set_new(o, cols[i].name, v);
    }
    return o;
}

json_t *store_rows_by_id(struct store *s, const char *sql, int64_t id,
                         const struct column_spec *cols, int ncols)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, stmt_row_object(st, cols, ncols));
    stmt_reset(st);
    return arr;
}

json_t *stmt_json_int(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_integer(stmt_int(st, col));
}

void stmt_reset(struct stmt *st)
{
    sqlite3_reset(st->st);
}

int64_t store_changes(struct store *s)
{
    return sqlite3_changes64(s->db);
}

int store_schema_version(struct store *s)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT MAX(version) FROM schema_version", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int store_migrate(struct store *s, char *err, size_t errlen)
{
    if (store_exec(s,
                   "CREATE TABLE IF NOT EXISTS schema_version ("
                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)") !=
        STORE_OK) {
        snprintf(err, errlen, "cannot create schema_version: %s", store_errmsg(s));
        return -1;
    }
    int applied = 0;
    for (size_t i = 0; i < migrations_count; i++) {
        const struct migration *m = &migrations[i];
        if (store_begin_write(s) != STORE_OK) {
            snprintf(err, errlen, "cannot begin migration %04d: %s", m->version, store_errmsg(s));
            return -1;
        }
        /* Re-checked inside the write lock so two processes starting at once
         * do not both apply the same migration. */
        if (store_schema_version(s) >= m->version) {
            store_rollback(s);
            continue;
        }
        if (store_exec(s, m->sql) != STORE_OK) {
            snprintf(err, errlen, "migration %04d_%s failed: %s", m->version, m->name,
                     store_errmsg(s));
            store_rollback(s);
            return -1;
        }
        sqlite3_stmt *st;
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO schema_version(version, name, applied_at) "
                           "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                           -1, &st, NULL);
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE || store_commit(s) != STORE_OK) {
            snprintf(err, errlen, "cannot record migration %04d: %s", m->version, store_errmsg(s));
            store_rollback(s);
            return -1;
        }
        applied++;
    }
    return applied;
}

int store_backup(struct store *s, const char *dest_path, char *err, size_t errlen)
{
    sqlite3 *dest;
    if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot open backup file '%s': %s", dest_path, sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", s->db, "main");
    if (!b) {
        snprintf(err, errlen, "cannot start backup: %s", sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return -1;
    }
    int rc;
    /* Copy in steps so writers are not locked out for the whole copy. */
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        sqlite3_sleep(rc == SQLITE_OK ? 0 : 5);
    sqlite3_backup_finish(b);
    int ok = rc == SQLITE_DONE;
    /* A backup is one self-contained file: no -wal or -shm beside it. The
     * server switches it back to WAL when it opens it. */
    if (ok && sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        ok = 0;
    if (!ok)
        snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dest));
    sqlite3_close(dest);
    return ok ? 0 : -1;
}

int store_integrity_check(struct store *s, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int ok = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        ok = r && strcmp(r, "ok") == 0;
        if (!ok)
            snprintf(err, errlen, "%s", r ? r : "?");
    }
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

int store_explain(struct store *s, const char *sql, char *out, size_t outlen)
{
    char q[4096];
    snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, outlen, "%s", sqlite3_errmsg(s->db));
        return -1;
    }
    size_t used = 0;
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW && used < outlen) {
        int n = snprintf(out + used, outlen - used, "%s\n", sqlite3_column_text(st, 3));
        if (n < 0)
            break;
        used += (size_t)n;
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- bulk loading (see store.h) ------------------------------------------ */

int store_defer_indexes(struct store *s, const char *table, const char *keep,
                        struct store_deferred *d)
{
    /* Indexes SQLite made for UNIQUE constraints have no SQL and cannot be
     * dropped; only CREATE INDEX ones are deferred. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                           " AND tbl_name = ? AND sql IS NOT NULL AND name <> ? ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
        return -1;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, keep ? keep : "", -1, SQLITE_STATIC);
    char names[64][128];
    int n = 0, rc = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 64) {
        if (d->n == d->cap) {
            size_t cap = d->cap ? d->cap * 2 : 32;
            char **v = realloc(d->sql, cap * sizeof(*v));
            if (!v) {
                rc = -1;
                break;
            }
            d->sql = v;
            d->cap = cap;
        }
        d->sql[d->n] = strdup((const char *)sqlite3_column_text(st, 1));
        if (!d->sql[d->n]) {
            rc = -1;
            break;
        }
        d->n++;
        snprintf(names[n++], sizeof(names[0]), "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    for (int i = 0; i < n && rc == 0; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP INDEX \"%.128s\"", names[i]);
        if (store_exec(s, sql) != STORE_OK)
            rc = -1;
    }
    return rc;
}

int store_rebuild_indexes(struct store *s, struct store_deferred *d,
                          void (*progress)(size_t done, size_t total))
{
    int rc = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (rc == 0 && store_exec(s, d->sql[i]) != STORE_OK)
            rc = -1;
        free(d->sql[i]);
        if (progress)
            progress(i + 1, d->n);
    }
    free(d->sql);
    *d = (struct store_deferred){0};
    return rc;
}

int store_bulk_cache(struct store *s, int mb)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", mb * 1024);
    return store_exec(s, sql) == STORE_OK ? 0 : -1;
}
