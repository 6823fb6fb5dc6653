/*
 * store.h — the one interface to the database. Only store/ calls sqlite3 or libpq.
 *
 * Two backends sit behind it (store_impl.h): SQLite, the default, when the
 * database is a file path, and PostgreSQL when it is a postgres:// URL
 * (store_pg.c; docs/deployment.md says when to choose which).
 *
 * A `struct store` is one connection, used by one thread at a time (the HTTP
 * server gives each worker thread its own). Statements are prepared once per
 * connection and cached by the address of their SQL text, so every SQL string
 * passed to store_prepare() must be a string literal or other static storage
 * (modules keep them in <area>_sql.h).
 *
 * SQL written against this interface stays portable to PostgreSQL: "?"
 * placeholders (the PostgreSQL backend rewrites them to $n), ISO-8601 text for
 * dates and timestamps, INTEGER 0/1 for booleans, RETURNING for new ids.
 *
 * Durability: SQLite runs WAL with synchronous=FULL and PostgreSQL commits
 * with fsync on, so an acknowledged commit survives both a process crash and
 * power loss (see docs/architecture.md).
 */
#ifndef SG_STORE_H
#define SG_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct stmt;

/* Result codes of store calls. Every failure is negative. */
enum store_rc {
    STORE_OK = 0,
    STORE_ROW = 1,         /* stmt_step: a row is ready */
    STORE_DONE = 2,        /* stmt_step: no more rows */
    STORE_ERROR = -1,      /* anything else; message in store_errmsg() */
    STORE_CONSTRAINT = -2, /* unique / foreign key / check violated */
    STORE_BUSY = -3,       /* lock not obtained within the busy timeout */
    STORE_FULL = -4,       /* disk full */
    STORE_READONLY = -5,   /* database or its directory is read-only */
};

/* Opens (creating if needed) the database at path. Returns 0, or -1 with a
 * message in err. */
int store_open(struct store **out, const char *path, char *err, size_t errlen);
/* Opens an existing database read-only and fails if it does not exist. */
int store_open_readonly(struct store **out, const char *path, char *err, size_t errlen);
void store_close(struct store *s);
/* Caps the database at max_pages pages (0: no cap). Writes past it fail
 * with STORE_FULL, exactly as on a full disk: operators use it to keep a
 * volume from filling, tests to prove a full disk loses nothing. */
int store_set_max_pages(struct store *s, long max_pages);
const char *store_errmsg(struct store *s);
const char *store_path(struct store *s);
/* "sqlite" or "postgres". */
const char *store_backend(struct store *s);

/* Applies every embedded migration not yet recorded in schema_version, each
 * in its own transaction. Returns the number applied, or -1. */
int store_migrate(struct store *s, char *err, size_t errlen);
/* The highest applied migration number (0 for an empty database). */
int store_schema_version(struct store *s);

/* Transactions. store_begin_write() takes the write lock at once, so two
 * writers never deadlock upgrading read locks. Nested calls are counted: only
 * the outermost commit or rollback reaches the database. */
int store_begin_read(struct store *s);
int store_begin_write(struct store *s);
/* A read transaction for work that should only read (an audited read, whose
 * audit entry is then written in a short transaction of its own): it takes
 * no write lock, so such reads run side by side. Only as the outermost
 * transaction. Nothing done in it is kept; store_snapshot_wrote(), asked
 * before it ends, says whether the work wrote or tried to, in which case the
 * caller runs it again as a write. */
int store_begin_snapshot(struct store *s);
int store_snapshot_wrote(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);
int store_in_transaction(struct store *s);

/* Prepared statements (cached; see above). The returned statement is reset
 * and cleared of bindings. Returns NULL on error (the SQL is wrong: a bug). */
struct stmt *store_prepare(struct store *s, const char *sql);
/* Runs an INSERT ... RETURNING id: *id gets the new row's id. Returns
 * STORE_OK or the failure code; the statement is reset either way. */
int stmt_returning_id(struct stmt *st, int64_t *id);
/* Executes a statement with no result rows, then resets it. */
int store_exec_stmt(struct stmt *st);
/* Runs one or more SQL statements given as text (migrations, pragmas). */
int store_exec(struct store *s, const char *sql);

/* Bind by 1-based index. NULL text binds SQL NULL. */
void stmt_bind_text(struct stmt *st, int idx, const char *v);
void stmt_bind_int(struct stmt *st, int idx, int64_t v);
void stmt_bind_double(struct stmt *st, int idx, double v);
void stmt_bind_null(struct stmt *st, int idx);

int stmt_step(struct stmt *st);
/* Column accessors, 0-based. Text stays valid until the next step/reset. */
const char *stmt_text(struct stmt *st, int col);
int64_t stmt_int(struct stmt *st, int col);
double stmt_double(struct stmt *st, int col);
int stmt_is_null(struct stmt *st, int col);
int stmt_column_count(struct stmt *st);
const char *stmt_column_name(struct stmt *st, int col);
void stmt_reset(struct stmt *st);
/* A column as JSON: its text or integer, or null when the column is NULL
 * (new reference). Domain code builds its API answers from these. */
json_t *stmt_json_text(struct stmt *st, int col);
json_t *stmt_json_int(struct stmt *st, int col);

/* The current row as a JSON object, one member per column spec in order:
 * 's' text, 'i' integer, 'b' a 0/1 column as true/false; NULL columns are
 * null (new reference). A record's read becomes one table of names. */
struct column_spec {
    const char *name;
    char type;
};
json_t *stmt_row_object(struct stmt *st, const struct column_spec *cols, int ncols);
/* Every row of sql (one parameter, ?1 = id) as such objects, in order; an
 * empty array when the statement cannot be prepared (new reference). */
json_t *store_rows_by_id(struct store *s, const char *sql, int64_t id,
                         const struct column_spec *cols, int ncols);
/* Number of rows changed by the last write on this connection. */
int64_t store_changes(struct store *s);

/* Online backup of the live database into dest_path (a new file). */
int store_backup(struct store *s, const char *dest_path, char *err, size_t errlen);
/* PRAGMA integrity_check; returns 0 when "ok". */
int store_integrity_check(struct store *s, char *err, size_t errlen);
/* The query plan of sql as text, one step a line (tests check hot queries). */
int store_explain(struct store *s, const char *sql, char *out, size_t outlen);

/* Bulk loading (safeguard seed --scale). store_defer_indexes() drops the
 * secondary indexes of table, keeping their definitions in d, so rows go in
 * without index maintenance; store_rebuild_indexes() creates every index in
 * d again (each built once, sorted, far faster than row by row) and empties
 * d. Unique constraints written in CREATE TABLE stay in force throughout.
 * store_bulk_cache() gives the connection a page cache of mb megabytes for
 * the load and the rebuild. keep names one index of table to leave in
 * place (one the load itself looks rows up by), or NULL. Each returns 0 or -1 (message in
 * store_errmsg). */
struct store_deferred {
    char **sql; /* malloc'd CREATE INDEX statements */
    size_t n, cap;
};
int store_defer_indexes(struct store *s, const char *table, const char *keep,
                        struct store_deferred *d);
int store_rebuild_indexes(struct store *s, struct store_deferred *d,
                          void (*progress)(size_t done, size_t total));
int store_bulk_cache(struct store *s, int mb);

/* Refreshes the query planner's statistics after a bulk load (SQLite's
 * ANALYZE on a sample; PostgreSQL's ANALYZE). STORE_OK or a failure code. */
int store_analyze(struct store *s);

#endif
