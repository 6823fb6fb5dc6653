/*
 * store_sqlite.c — the SQLite backend of store.h (the default: a file path).
 *
 * The only file in Safeguard that includes sqlite3.h. Pragmas chosen here:
 * WAL (readers never block the writer), synchronous=FULL (durable commits,
 * see docs/architecture.md for the measured cost), foreign_keys=ON,
 * busy_timeout so concurrent writers queue instead of failing.
 */
#include "store/migrations.h"
#include "store/store_impl.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writers in this process queue on a mutex before asking SQLite for the
 * write lock. SQLite's own busy handler sleeps in growing steps (up to tens
 * of milliseconds), which put a long tail on audited reads under load; a
 * mutex hands the lock over as soon as it is free. Other processes (the CLI)
 * still meet the busy timeout. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

struct sq_stmt {
    struct stmt base;
    sqlite3_stmt *st;
};

struct sq_store {
    struct store base;
    sqlite3 *db;
    int txn_depth;
    int holds_writer;        /* this connection holds writer_lock */
    int txn_failed;          /* an inner rollback poisons the outer transaction */
    int snapshot;            /* the transaction is a snapshot (store_begin_snapshot) */
    int refused;             /* something in the snapshot failed to write */
    struct stmt_cache cache; /* grows; never evicts (stmt_cache.c) */
    char errmsg[512];
};

#define SQ(b)   ((struct sq_store *)(b))
#define SQST(b) (((struct sq_stmt *)(b))->st)

static const struct store_ops sqlite_ops;

static int map_rc(struct sq_store *s, int rc)
{
    int code = rc & 0xff;
    /* In a snapshot these mean a write was tried (store_snapshot_wrote()). */
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_READONLY ||
        code == SQLITE_FULL || code == SQLITE_IOERR)
        s->refused |= s->snapshot;
    switch (code) {
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

static void sq_finalize(struct stmt *st)
{
    sqlite3_finalize(SQST(st));
    free(st);
}

static void sq_close(struct store *b)
{
    struct sq_store *s = SQ(b);
    stmt_cache_free(&s->cache, sq_finalize);
    sqlite3_close(s->db);
    free(b->path);
    free(s);
}

int store_sqlite_open(struct store **out, const char *path, int readonly, char *err, size_t errlen)
{
    *out = NULL;
    struct sq_store *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->base.ops = &sqlite_ops;
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    s->base.path = strdup(path);
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, 10000);
    const char *pragmas = !readonly ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                      "PRAGMA cache_size=-16000;"
                                    : "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure database '%s': %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sq_close(&s->base);
        return -1;
    }
    *out = &s->base;
    return 0;
}

static int sq_exec(struct store *b, const char *sql)
{
    struct sq_store *s = SQ(b);
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    int out = map_rc(s, rc);
    if (rc != SQLITE_OK && msg)
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", msg);
    sqlite3_free(msg);
    return out;
}

static int sq_set_max_pages(struct store *b, long max_pages)
{
    if (max_pages <= 0)
        return STORE_OK;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %ld", max_pages);
    return sq_exec(b, sql);
}

static const char *sq_errmsg(struct store *b)
{
    struct sq_store *s = SQ(b);
    return s->errmsg[0] ? s->errmsg : sqlite3_errmsg(s->db);
}

static void release_writer(struct sq_store *s)
{
    if (s->holds_writer) {
        s->holds_writer = 0;
        pthread_mutex_unlock(&writer_lock);
    }
}

static int sq_begin(struct store *b, int write)
{
    struct sq_store *s = SQ(b);
    if (s->txn_depth++ > 0)
        return STORE_OK;
    s->txn_failed = 0;
    if (write == 1) {
        pthread_mutex_lock(&writer_lock);
        s->holds_writer = 1;
    }
    int rc = sq_exec(b, write == 1 ? "BEGIN IMMEDIATE" : "BEGIN");
    if (rc != STORE_OK) {
        s->txn_depth = 0;
        release_writer(s);
    }
    s->snapshot = rc == STORE_OK && write == 2;
    s->refused = 0;
    return rc;
}

static int sq_in_transaction(struct store *b)
{
    return SQ(b)->txn_depth > 0;
}

/* A write in a deferred transaction takes the write lock (or fails to: busy,
 * read-only), so the transaction's state tells whether the work wrote.
 * (PRAGMA query_only would refuse writes outright, but changing it expires
 * every prepared statement of the connection.) */
static int sq_snapshot_wrote(struct store *b)
{
    struct sq_store *s = SQ(b);
    return s->snapshot && (s->refused || sqlite3_txn_state(s->db, NULL) == SQLITE_TXN_WRITE);
}

static int sq_commit(struct store *b)
{
    struct sq_store *s = SQ(b);
    if (s->txn_depth == 0)
        return STORE_ERROR;
    if (--s->txn_depth > 0)
        return STORE_OK;
    if (s->txn_failed) {
        sq_exec(b, "ROLLBACK");
        release_writer(s);
        s->snapshot = 0;
        snprintf(s->errmsg, sizeof(s->errmsg), "transaction rolled back by an inner failure");
        return STORE_ERROR;
    }
    int rc = sq_exec(b, "COMMIT");
    if (rc != STORE_OK && sqlite3_get_autocommit(s->db) == 0)
        sq_exec(b, "ROLLBACK");
    release_writer(s);
    s->snapshot = 0;
    return rc;
}

static int sq_rollback(struct store *b)
{
    struct sq_store *s = SQ(b);
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
    s->snapshot = 0;
    return STORE_OK;
}

static struct stmt *sq_prepare(struct store *b, const char *sql)
{
    struct sq_store *s = SQ(b);
    struct stmt *hit = stmt_cache_find(&s->cache, sql);
    if (hit) {
        sqlite3_reset(SQST(hit));
        sqlite3_clear_bindings(SQST(hit));
        return hit;
    }
    struct sq_stmt *e = calloc(1, sizeof(*e));
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
    e->base.sql = sql;
    e->base.store = b;
    if (stmt_cache_add(&s->cache, &e->base) < 0) {
        sqlite3_finalize(e->st);
        free(e);
        snprintf(s->errmsg, sizeof(s->errmsg), "out of memory for the statement cache");
        return NULL;
    }
    return &e->base;
}

static void sq_bind_text(struct stmt *st, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(SQST(st), idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(SQST(st), idx);
}

static void sq_bind_int(struct stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(SQST(st), idx, v);
}

static void sq_bind_double(struct stmt *st, int idx, double v)
{
    sqlite3_bind_double(SQST(st), idx, v);
}

static void sq_bind_null(struct stmt *st, int idx)
{
    sqlite3_bind_null(SQST(st), idx);
}

static int sq_step(struct stmt *st)
{
    struct sq_store *s = SQ(st->store);
    int rc = map_rc(s, sqlite3_step(SQST(st)));
    if (rc < 0 && s->txn_depth > 0)
        s->txn_failed = 1;
    return rc;
}

static void sq_reset(struct stmt *st)
{
    sqlite3_reset(SQST(st));
}

static const char *sq_text(struct stmt *st, int col)
{
    return (const char *)sqlite3_column_text(SQST(st), col);
}

static int64_t sq_int(struct stmt *st, int col)
{
    return sqlite3_column_int64(SQST(st), col);
}

static double sq_double(struct stmt *st, int col)
{
    return sqlite3_column_double(SQST(st), col);
}

static int sq_is_null(struct stmt *st, int col)
{
    return sqlite3_column_type(SQST(st), col) == SQLITE_NULL;
}

static int sq_column_count(struct stmt *st)
{
    return sqlite3_column_count(SQST(st));
}

static const char *sq_column_name(struct stmt *st, int col)
{
    return sqlite3_column_name(SQST(st), col);
}

static int64_t sq_changes(struct store *b)
{
    return sqlite3_changes64(SQ(b)->db);
}

static int sq_schema_version(struct store *b)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(SQ(b)->db, "SELECT MAX(version) FROM schema_version", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int sq_migrate(struct store *b, char *err, size_t errlen)
{
    struct sq_store *s = SQ(b);
    if (sq_exec(b, "CREATE TABLE IF NOT EXISTS schema_version ("
                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)") !=
        STORE_OK) {
        snprintf(err, errlen, "cannot create schema_version: %s", sq_errmsg(b));
        return -1;
    }
    int applied = 0;
    for (size_t i = 0; i < migrations_count; i++) {
        const struct migration *m = &migrations[i];
        if (sq_begin(b, 1) != STORE_OK) {
            snprintf(err, errlen, "cannot begin migration %04d: %s", m->version, sq_errmsg(b));
            return -1;
        }
        /* Re-checked inside the write lock so two processes starting at once
         * do not both apply the same migration. */
        if (sq_schema_version(b) >= m->version) {
            sq_rollback(b);
            continue;
        }
        if (sq_exec(b, m->sql) != STORE_OK) {
            snprintf(err, errlen, "migration %04d_%s failed: %s", m->version, m->name,
                     sq_errmsg(b));
            sq_rollback(b);
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
        if (rc != SQLITE_DONE || sq_commit(b) != STORE_OK) {
            snprintf(err, errlen, "cannot record migration %04d: %s", m->version, sq_errmsg(b));
            sq_rollback(b);
            return -1;
        }
        applied++;
    }
    return applied;
}

static int sq_backup(struct store *b, const char *dest_path, char *err, size_t errlen)
{
    sqlite3 *dest;
    if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot open backup file '%s': %s", dest_path, sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return -1;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dest, "main", SQ(b)->db, "main");
    if (!bk) {
        snprintf(err, errlen, "cannot start backup: %s", sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return -1;
    }
    int rc;
    /* Copy in steps so writers are not locked out for the whole copy. */
    while ((rc = sqlite3_backup_step(bk, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        sqlite3_sleep(rc == SQLITE_OK ? 0 : 5);
    sqlite3_backup_finish(bk);
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

static int sq_integrity_check(struct store *b, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int ok = 0;
    if (sqlite3_prepare_v2(SQ(b)->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(b)->db));
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

static int sq_explain(struct store *b, const char *sql, char *out, size_t outlen)
{
    char q[4096];
    snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(SQ(b)->db, q, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, outlen, "%s", sqlite3_errmsg(SQ(b)->db));
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

static int sq_defer_indexes(struct store *b, const char *table, const char *keep,
                            struct store_deferred *d)
{
    struct sq_store *s = SQ(b);
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
        if (store_deferred_add(d, (const char *)sqlite3_column_text(st, 1)) < 0) {
            rc = -1;
            break;
        }
        snprintf(names[n++], sizeof(names[0]), "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    for (int i = 0; i < n && rc == 0; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP INDEX \"%.128s\"", names[i]);
        if (sq_exec(b, sql) != STORE_OK)
            rc = -1;
    }
    return rc;
}

static int sq_bulk_cache(struct store *b, int mb)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", mb * 1024);
    return sq_exec(b, sql) == STORE_OK ? 0 : -1;
}

/* A sample of each index is enough for the planner, and quick at scale. */
static int sq_analyze(struct store *b)
{
    return sq_exec(b, "PRAGMA analysis_limit = 1000; ANALYZE");
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .set_max_pages = sq_set_max_pages,
    .errmsg = sq_errmsg,
    .migrate = sq_migrate,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .snapshot_wrote = sq_snapshot_wrote,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_transaction = sq_in_transaction,
    .prepare = sq_prepare,
    .exec = sq_exec,
    .changes = sq_changes,
    .backup = sq_backup,
    .integrity_check = sq_integrity_check,
    .explain = sq_explain,
    .defer_indexes = sq_defer_indexes,
    .bulk_cache = sq_bulk_cache,
    .analyze = sq_analyze,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .text = sq_text,
    .int64 = sq_int,
    .dbl = sq_double,
    .is_null = sq_is_null,
    .column_count = sq_column_count,
    .column_name = sq_column_name,
};
