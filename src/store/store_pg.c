/*
 * store_pg.c — the PostgreSQL backend of store.h (libpq; a postgres:// URL).
 *
 * The only file in Safeguard that includes libpq-fe.h. Choices, each to keep
 * the behaviour the application was written against on SQLite:
 *
 * - Writers are serialised across every server sharing the database by one
 *   transaction-level advisory lock (PG_WRITER_LOCK), taken first thing in
 *   store_begin_write() and by any write made outside a write transaction.
 *   SQLite has one writer at a time, and code relies on it: the audit chain
 *   reads its head then appends, references are numbered by counting. The
 *   lock gives the same guarantee on PostgreSQL with READ COMMITTED (each
 *   statement sees every commit before it took the lock), with no retry
 *   loops; SERIALIZABLE would need every handler to be re-runnable. Readers
 *   never wait for it. lock_timeout (10 s, SQLite's busy timeout) turns a
 *   long wait into STORE_BUSY, which the dispatcher answers with 503.
 * - Read transactions are REPEATABLE READ: one snapshot for the whole
 *   request, as a SQLite read transaction has.
 * - Statements are prepared once per session and per vector of parameter
 *   types (PQprepare on first use, PQexecPrepared after: parse and plan were
 *   70% of the server's time), parameters sent as text and typed by
 *   how they were bound (integers int8, doubles float8, text and NULL left
 *   for the server to infer), so a column compared with a bound integer or
 *   text behaves as in SQLite. The placeholder rewrite is done once per
 *   statement and cached by the address of its SQL, like SQLite's prepare.
 * - All rows of a result arrive at once (results here are pages of rows).
 */
#include "store/migrations.h"
#include "store/pg_dialect.h"
#include "store/store_impl.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PG_WRITER_LOCK "718201" /* the advisory lock key: any constant, the same everywhere */
#define PG_TAKE_LOCK   "SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")"
/* A writer's BEGIN and its lock, in one round trip. */
#define PG_BEGIN_WRITER   "BEGIN ISOLATION LEVEL READ COMMITTED; " PG_TAKE_LOCK
#define PG_MAX_PARAMS     64 /* more than any statement binds */
#define PG_PREPARED_FORMS 4  /* prepared forms kept per statement */

enum { OID_INT8 = 20, OID_FLOAT8 = 701, OID_BOOL = 16 };

struct pg_stmt {
    struct stmt base;        /* base.sql: the caller's text, the cache key */
    char *pgsql;             /* with $n placeholders */
    int nparams;             /* the caller's: the highest it may bind */
    struct pg_params params; /* and the hidden copies after them */
    int is_write;            /* INSERT, UPDATE, DELETE: must hold the writer lock */
    char *vals[PG_MAX_PARAMS];
    unsigned types[PG_MAX_PARAMS];
    PGresult *res;
    int row, nrows;
    /* Server-side prepared forms, one per vector of parameter types the
     * statement has been run with (a parameter bound as an integer one time
     * and NULL the next is typed differently), each valid for the session it
     * was prepared in: parsed and planned once, not on every run. */
    struct {
        unsigned session; /* pg_store.session when prepared; 0 = free */
        Oid *types;
        char name[24];
    } prepared[PG_PREPARED_FORMS];
};

struct pg_store {
    struct store base;
    PGconn *conn;
    int readonly;
    int txn_depth;
    int txn_write;  /* the open transaction holds PG_WRITER_LOCK */
    int txn_failed; /* a statement failed: PostgreSQL has aborted the transaction */
    int snapshot;   /* the transaction is a snapshot: writes are refused */
    int refused;    /* a write was refused in it */
    int64_t changes;
    unsigned session;        /* counts connections made: prepared statements die with one */
    unsigned prepared;       /* names given out */
    struct stmt_cache cache; /* grows; never evicts (stmt_cache.c) */
    char errmsg[512];
};

#define PG(b)   ((struct pg_store *)(b))
#define PGST(b) ((struct pg_stmt *)(b))

static const struct store_ops pg_ops;

/* Maps a failed result to a store code by SQLSTATE, keeping the message. */
static int map_error(struct pg_store *s, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn);
    snprintf(s->errmsg, sizeof(s->errmsg), "%s", msg && *msg ? msg : "connection lost");
    size_t n = strlen(s->errmsg);
    while (n && (s->errmsg[n - 1] == '\n' || s->errmsg[n - 1] == ' '))
        s->errmsg[--n] = '\0';
    if (!state)
        return STORE_ERROR;
    if (strncmp(state, "23", 2) == 0) /* integrity: unique, foreign key, check, not null */
        return STORE_CONSTRAINT;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
        !strcmp(state, "57014"))
        return STORE_BUSY; /* serialization, deadlock, lock timeout, statement timeout */
    if (!strcmp(state, "53100"))
        return STORE_FULL;
    if (!strcmp(state, "25006") || !strcmp(state, "42501"))
        return STORE_READONLY;
    return STORE_ERROR;
}

/* Runs SQL without parameters; STORE_OK or the failure code. */
static int run(struct pg_store *s, const char *sql)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType t = PQresultStatus(r);
    int rc = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? STORE_OK : map_error(s, r);
    if (rc == STORE_OK)
        s->changes = atoll(PQcmdTuples(r));
    PQclear(r);
    return rc;
}

/* The URL as shown in messages: any password replaced by ***. */
static char *redacted(const char *url)
{
    char *out = malloc(strlen(url) + 4);
    if (!out)
        return NULL;
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    if (colon)
        sprintf(out, "%.*s:***%s", (int)(colon - url), url, at);
    else
        strcpy(out, url);
    return out;
}

static void pg_stmt_clear(struct pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
}

static void pg_unbind(struct pg_stmt *st)
{
    for (int i = 0; i < st->nparams && i < PG_MAX_PARAMS; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
        st->types[i] = 0;
    }
}

static void pg_finalize(struct stmt *b)
{
    struct pg_stmt *st = PGST(b);
    pg_stmt_clear(st);
    pg_unbind(st);
    for (int i = 0; i < PG_PREPARED_FORMS; i++)
        free(st->prepared[i].types);
    free(st->pgsql);
    free(st);
}

static void pg_close(struct store *b)
{
    struct pg_store *s = PG(b);
    stmt_cache_free(&s->cache, pg_finalize);
    PQfinish(s->conn);
    free(b->path);
    free(s);
}

/* UTC and ISO dates as the application writes them; quiet notices;
 * SQLite's busy timeout as the lock timeout. Per session, so again after a
 * reconnection. */
static int configure(struct pg_store *s)
{
    s->session++; /* a new connection: no prepared statement survives */
    return run(s, s->readonly ? "SET TIME ZONE 'UTC'; SET client_min_messages = warning;"
                                "SET lock_timeout = '10s'; SET default_transaction_read_only = on"
                              : "SET TIME ZONE 'UTC'; SET client_min_messages = warning;"
                                "SET lock_timeout = '10s'");
}

/* A connection lost (the server restarted, or failed over to a standby
 * behind the same address) is made again before the next transaction, so
 * a long-lived server worker recovers instead of failing every request
 * after it. Nothing is lost: the connection held no transaction (a lost
 * transaction has already failed its request) and no server-side state
 * (statements are sent whole each time). */
static int reconnect_if_lost(struct pg_store *s)
{
    if (PQstatus(s->conn) == CONNECTION_OK)
        return STORE_OK;
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        snprintf(s->errmsg, sizeof(s->errmsg), "database connection lost: %s",
                 PQerrorMessage(s->conn));
        return STORE_BUSY;
    }
    return configure(s);
}

/* The first command of a transaction: on a connection found lost (by this
 * command or an earlier one), reconnects and sends it again. Nothing has
 * happened yet, so that is safe; a transaction already under way is not
 * retried here (its request fails, as on SQLite). */
static int run_first(struct pg_store *s, const char *sql)
{
    int rc = reconnect_if_lost(s);
    if (rc == STORE_OK)
        rc = run(s, sql);
    if (rc != STORE_OK && PQstatus(s->conn) != CONNECTION_OK && reconnect_if_lost(s) == STORE_OK)
        rc = run(s, sql);
    return rc;
}

/* Whether the database compares text byte by byte, as SQLite does. The
 * modules' SQL relies on it: references are found by range ("INC-2026-" <=
 * r < "INC-2026."), which a language collation that skips punctuation
 * (glibc's en_GB.UTF-8, say) answers wrongly, so every reference after the
 * first would be numbered 1 again; and lists sort as on SQLite. 1 or 0,
 * with the database's LC_COLLATE in errmsg. */
static int byte_ordered(struct pg_store *s)
{
    /* Asked of the collation itself, which works whatever the server's
     * version calls its catalogue columns: byte order puts capitals before
     * small letters and '-' before letters; languages do neither. */
    PGresult *r = PQexec(s->conn, "SELECT 'B' < 'a' AND 'a-c' < 'ab' AND 'INC-2026-000001' < "
                                  "'INC-2026.', datcollate FROM pg_database"
                                  " WHERE datname = current_database()");
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok) {
        ok = PQgetvalue(r, 0, 0)[0] == 't';
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", PQgetvalue(r, 0, 1));
    } else {
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", PQresultErrorMessage(r));
    }
    PQclear(r);
    return ok;
}

int store_pg_open(struct store **out, const char *url, int readonly, char *err, size_t errlen)
{
    *out = NULL;
    struct pg_store *s = calloc(1, sizeof(*s));
    if (!s || !(s->base.path = redacted(url))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->base.ops = &pg_ops;
    s->readonly = readonly;
    s->conn = PQconnectdb(url);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", s->base.path,
                 PQerrorMessage(s->conn));
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n')
            err[--n] = '\0';
        pg_close(&s->base);
        return -1;
    }
    if (configure(s) != STORE_OK) {
        snprintf(err, errlen, "cannot configure database '%s': %s", s->base.path, s->errmsg);
        pg_close(&s->base);
        return -1;
    }
    if (!byte_ordered(s)) {
        snprintf(err, errlen,
                 "database '%s' does not compare text in byte order, as SQLite does and "
                 "Safeguard's SQL expects (LC_COLLATE %s, or an ICU locale): create it with "
                 "CREATE DATABASE ... TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
                 "LC_CTYPE 'C.UTF-8'",
                 s->base.path, s->errmsg);
        pg_close(&s->base);
        return -1;
    }
    *out = &s->base;
    return 0;
}

static int pg_set_max_pages(struct store *b, long max_pages)
{
    if (max_pages <= 0)
        return STORE_OK;
    snprintf(PG(b)->errmsg, sizeof(PG(b)->errmsg),
             "max_db_pages applies to SQLite only: cap a PostgreSQL database with its volume "
             "or a tablespace on a sized filesystem");
    return STORE_ERROR;
}

static const char *pg_errmsg(struct store *b)
{
    return PG(b)->errmsg[0] ? PG(b)->errmsg : PQerrorMessage(PG(b)->conn);
}

static int pg_exec(struct store *b, const char *sql)
{
    return run(PG(b), sql);
}

static int pg_begin(struct store *b, int write)
{
    struct pg_store *s = PG(b);
    if (s->txn_depth > 0) {
        s->txn_depth++;
        return STORE_OK;
    }
    s->txn_failed = 0;
    s->txn_write = 0;
    s->txn_depth = 1;
    s->snapshot = write == 2;
    s->refused = 0;
    if (write == 2)
        write = 0;
    int locks = write && !s->readonly;
    int rc = run_first(s, locks   ? PG_BEGIN_WRITER
                          : write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                  : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    if (rc == STORE_OK && locks)
        s->txn_write = 1;
    if (rc != STORE_OK) {
        if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
            run(s, "ROLLBACK");
        s->txn_depth = 0;
    }
    return rc;
}

static int pg_in_transaction(struct store *b)
{
    return PG(b)->txn_depth > 0;
}

/* Writes in a snapshot are refused before they are sent (execute()). */
static int pg_snapshot_wrote(struct store *b)
{
    return PG(b)->snapshot && PG(b)->refused;
}

static int pg_commit(struct store *b)
{
    struct pg_store *s = PG(b);
    if (s->txn_depth == 0)
        return STORE_ERROR;
    if (--s->txn_depth > 0)
        return STORE_OK;
    s->snapshot = 0;
    if (s->txn_failed) {
        run(s, "ROLLBACK");
        snprintf(s->errmsg, sizeof(s->errmsg), "transaction rolled back by an inner failure");
        return STORE_ERROR;
    }
    int rc = run(s, "COMMIT");
    if (rc != STORE_OK && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        run(s, "ROLLBACK");
    return rc;
}

static int pg_rollback(struct store *b)
{
    struct pg_store *s = PG(b);
    if (s->txn_depth == 0)
        return STORE_OK;
    if (--s->txn_depth > 0) {
        s->txn_failed = 1;
        return STORE_OK;
    }
    s->snapshot = 0;
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        PGresult *r = PQexec(s->conn, "ROLLBACK");
        PQclear(r);
    }
    return STORE_OK;
}

/* INSERT, UPDATE and DELETE change data and so need the writer lock. */
static int sql_is_write(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    return !strncasecmp(sql, "INSERT", 6) || !strncasecmp(sql, "UPDATE", 6) ||
           !strncasecmp(sql, "DELETE", 6) || !strncasecmp(sql, "REPLACE", 7);
}

static int stmt_init(struct pg_store *s, struct pg_stmt *e, const char *sql)
{
    char err[256];
    e->pgsql = pg_dialect_placeholders(sql, &e->params, err, sizeof(err));
    if (!e->pgsql) {
        snprintf(s->errmsg, sizeof(s->errmsg), "cannot prepare statement: %s", err);
        return -1;
    }
    e->nparams = e->params.count;
    while (e->nparams > 0 && e->params.copy_of[e->nparams - 1])
        e->nparams--;
    e->base.sql = sql;
    e->base.store = &s->base;
    e->is_write = sql_is_write(sql);
    return 0;
}

static struct stmt *pg_prepare(struct store *b, const char *sql)
{
    struct pg_store *s = PG(b);
    struct stmt *hit = stmt_cache_find(&s->cache, sql);
    if (hit) {
        pg_stmt_clear(PGST(hit));
        pg_unbind(PGST(hit));
        return hit;
    }
    struct pg_stmt *e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(s->errmsg, sizeof(s->errmsg), "out of memory for the statement cache");
        return NULL;
    }
    if (stmt_init(s, e, sql) < 0) {
        free(e);
        return NULL;
    }
    if (stmt_cache_add(&s->cache, &e->base) < 0) {
        pg_finalize(&e->base);
        snprintf(s->errmsg, sizeof(s->errmsg), "out of memory for the statement cache");
        return NULL;
    }
    return &e->base;
}

static void bind(struct stmt *b, int idx, char *v, unsigned type)
{
    struct pg_stmt *st = PGST(b);
    if (idx < 1 || idx > st->nparams) {
        free(v);
        return; /* as SQLite: binding a parameter the statement lacks does nothing */
    }
    free(st->vals[idx - 1]);
    st->vals[idx - 1] = v;
    st->types[idx - 1] = type;
}

static void pg_bind_text(struct stmt *st, int idx, const char *v)
{
    bind(st, idx, v ? strdup(v) : NULL, 0);
}

static void pg_bind_int(struct stmt *st, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    bind(st, idx, strdup(buf), OID_INT8);
}

static void pg_bind_double(struct stmt *st, int idx, double v)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.17g", v);
    bind(st, idx, strdup(buf), OID_FLOAT8);
}

static void pg_bind_null(struct stmt *st, int idx)
{
    bind(st, idx, NULL, 0);
}

/* The name of the statement prepared for these parameter types in this
 * session, preparing it when there is none; NULL when it cannot be (the
 * caller then sends the text, and meets the same error in its place). */
static const char *prepared_name(struct pg_store *s, struct pg_stmt *st, const Oid *types, int n)
{
    int slot = -1;
    for (int i = 0; i < PG_PREPARED_FORMS; i++) {
        if (st->prepared[i].session == s->session &&
            (n == 0 || memcmp(st->prepared[i].types, types, (size_t)n * sizeof(Oid)) == 0))
            return st->prepared[i].name;
        if (slot < 0 && st->prepared[i].session != s->session)
            slot = i;
    }
    if (slot < 0)
        return NULL; /* every form taken: run this one unprepared */
    Oid *copy = malloc(((size_t)n + 1) * sizeof(Oid));
    if (!copy)
        return NULL;
    memcpy(copy, types, (size_t)n * sizeof(Oid));
    char name[24];
    snprintf(name, sizeof(name), "sg_%u", ++s->prepared);
    PGresult *r = PQprepare(s->conn, name, st->pgsql, n, types);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        free(copy);
        return NULL;
    }
    free(st->prepared[slot].types);
    st->prepared[slot].types = copy;
    st->prepared[slot].session = s->session;
    memcpy(st->prepared[slot].name, name, sizeof(name));
    return st->prepared[slot].name;
}

static PGresult *send(struct pg_store *s, struct pg_stmt *st, const char *const *vals,
                      const Oid *types, int n)
{
    const char *name = prepared_name(s, st, types, n);
    return name ? PQexecPrepared(s->conn, name, n, vals, NULL, NULL, 0)
                : PQexecParams(s->conn, st->pgsql, n, types, vals, NULL, NULL, 0);
}

/* A write outside any write transaction takes the writer lock for itself
 * (in autocommit, a transaction of one statement), as SQLite would. */
static int execute(struct pg_stmt *st)
{
    struct pg_store *s = PG(st->base.store);
    int own_txn = 0;
    if (st->is_write && s->snapshot) {
        s->refused = 1;
        snprintf(s->errmsg, sizeof(s->errmsg), "a write in a read-only snapshot");
        return STORE_READONLY;
    }
    if (st->is_write && !s->readonly && !s->txn_write) {
        own_txn = s->txn_depth == 0;
        int rc = own_txn ? run_first(s, PG_BEGIN_WRITER) : run(s, PG_TAKE_LOCK);
        if (rc != STORE_OK) {
            if (own_txn && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
                run(s, "ROLLBACK");
            return rc;
        }
        s->txn_write = 1;
    }
    /* Hidden copies repeat their parameter's value, as text. */
    const char *vals[PG_MAX_PARAMS];
    Oid types[PG_MAX_PARAMS];
    int n = st->params.count;
    for (int i = 0; i < n; i++) {
        int from = st->params.copy_of[i];
        vals[i] = from ? st->vals[from - 1] : st->vals[i];
        types[i] = from ? 0 : st->types[i];
    }
    st->res = send(s, st, vals, types, n);
    ExecStatusType t = PQresultStatus(st->res);
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && s->txn_depth == 0 && !own_txn &&
        PQstatus(s->conn) != CONNECTION_OK && reconnect_if_lost(s) == STORE_OK) {
        /* A read on its own, on a connection found lost: safe to send again. */
        PQclear(st->res);
        st->res = send(s, st, vals, types, n);
        t = PQresultStatus(st->res);
    }
    int rc = t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK ? STORE_OK : map_error(s, st->res);
    if (rc == STORE_OK) {
        s->changes = atoll(PQcmdTuples(st->res));
        st->nrows = t == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
        st->row = -1;
    }
    if (own_txn) {
        int c = run(s, rc == STORE_OK ? "COMMIT" : "ROLLBACK");
        if (rc == STORE_OK)
            rc = c;
        s->txn_write = 0;
    }
    return rc;
}

static int pg_step(struct stmt *b)
{
    struct pg_stmt *st = PGST(b);
    struct pg_store *s = PG(b->store);
    if (!st->res) {
        int rc = execute(st);
        if (rc != STORE_OK) {
            pg_stmt_clear(st);
            if (s->txn_depth > 0)
                s->txn_failed = 1;
            return rc;
        }
    }
    return ++st->row < st->nrows ? STORE_ROW : STORE_DONE;
}

static void pg_reset(struct stmt *b)
{
    pg_stmt_clear(PGST(b));
}

static int has_row(struct pg_stmt *st, int col)
{
    return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

static const char *pg_text(struct stmt *b, int col)
{
    struct pg_stmt *st = PGST(b);
    if (!has_row(st, col) || PQgetisnull(st->res, st->row, col))
        return NULL;
    return PQgetvalue(st->res, st->row, col);
}

static int64_t pg_int(struct stmt *b, int col)
{
    const char *v = pg_text(b, col);
    if (!v)
        return 0;
    if (PQftype(PGST(b)->res, col) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_double(struct stmt *b, int col)
{
    const char *v = pg_text(b, col);
    return v ? strtod(v, NULL) : 0.0;
}

static int pg_is_null(struct stmt *b, int col)
{
    struct pg_stmt *st = PGST(b);
    return !has_row(st, col) || PQgetisnull(st->res, st->row, col);
}

static int pg_column_count(struct stmt *b)
{
    struct pg_stmt *st = PGST(b);
    return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(struct stmt *b, int col)
{
    struct pg_stmt *st = PGST(b);
    return st->res && col >= 0 && col < PQnfields(st->res) ? PQfname(st->res, col) : NULL;
}

static int64_t pg_changes(struct store *b)
{
    return PG(b)->changes;
}

static int pg_schema_version(struct store *b)
{
    PGresult *r = PQexec(PG(b)->conn, "SELECT MAX(version) FROM schema_version");
    int v = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
        v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

/* Applies one migration inside the caller's write transaction. */
static int apply_migration(struct pg_store *s, const struct migration *m, char *err, size_t errlen)
{
    char terr[256];
    char *ddl = pg_dialect_ddl(m->sql, terr, sizeof(terr));
    if (!ddl) {
        snprintf(err, errlen, "migration %04d_%s cannot be translated: %s", m->version, m->name,
                 terr);
        return -1;
    }
    int rc = run(s, ddl);
    free(ddl);
    if (rc != STORE_OK) {
        snprintf(err, errlen, "migration %04d_%s failed: %s", m->version, m->name, s->errmsg);
        return -1;
    }
    char v[16];
    snprintf(v, sizeof(v), "%d", m->version);
    const char *params[2] = {v, m->name};
    PGresult *r = PQexecParams(s->conn,
                               "INSERT INTO schema_version(version, name, applied_at) VALUES "
                               "($1, $2, to_char(now() AT TIME ZONE 'UTC', "
                               "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                               2, NULL, params, NULL, NULL, 0);
    rc = PQresultStatus(r) == PGRES_COMMAND_OK ? STORE_OK : map_error(s, r);
    PQclear(r);
    if (rc != STORE_OK) {
        snprintf(err, errlen, "cannot record migration %04d: %s", m->version, s->errmsg);
        return -1;
    }
    return 0;
}

static int pg_migrate(struct store *b, char *err, size_t errlen)
{
    struct pg_store *s = PG(b);
    /* Under the writer lock, so servers starting together do not race to
     * create the same table (CREATE ... IF NOT EXISTS is not atomic). */
    if (pg_begin(b, 1) != STORE_OK ||
        run(s, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY,"
               " name TEXT NOT NULL, applied_at TEXT NOT NULL);" PG_DIALECT_PRELUDE) != STORE_OK ||
        pg_commit(b) != STORE_OK) {
        snprintf(err, errlen, "cannot create schema_version: %s", s->errmsg);
        pg_rollback(b);
        return -1;
    }
    int applied = 0;
    for (size_t i = 0; i < migrations_count; i++) {
        const struct migration *m = &migrations[i];
        if (pg_begin(b, 1) != STORE_OK) {
            snprintf(err, errlen, "cannot begin migration %04d: %s", m->version, s->errmsg);
            return -1;
        }
        if (pg_schema_version(b) >= m->version) {
            pg_rollback(b);
            continue;
        }
        if (apply_migration(s, m, err, errlen) < 0) {
            pg_rollback(b);
            return -1;
        }
        if (pg_commit(b) != STORE_OK) {
            snprintf(err, errlen, "cannot commit migration %04d: %s", m->version, s->errmsg);
            return -1;
        }
        applied++;
    }
    return applied;
}

static int pg_backup(struct store *b, const char *dest_path, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "safeguard backup copies SQLite databases only: back up PostgreSQL with "
             "pg_basebackup and WAL archiving, or pg_dump (docs/deployment.md)");
    return -1;
}

/* What can be checked from an ordinary connection: that the server answers,
 * that no data page has failed its checksum (initdb --data-checksums) and
 * that no index was left invalid by a failed build. Deeper checks need the
 * amcheck extension (pg_amcheck), run by the database administrator. */
static int pg_integrity_check(struct store *b, char *err, size_t errlen)
{
    PGresult *r = PQexec(PG(b)->conn,
                         "SELECT (SELECT COALESCE(SUM(checksum_failures), 0) FROM pg_stat_database"
                         "  WHERE datname = current_database()),"
                         " (SELECT COUNT(*) FROM pg_index WHERE NOT indisvalid)");
    int ok = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "%s", PQresultErrorMessage(r));
    } else {
        long sums = atol(PQgetvalue(r, 0, 0)), bad = atol(PQgetvalue(r, 0, 1));
        ok = sums == 0 && bad == 0;
        if (!ok)
            snprintf(err, errlen, "%ld checksum failure(s), %ld invalid index(es)", sums, bad);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

/* The plan of a statement with its parameters unknown: PostgreSQL's generic
 * plan, which is what a cached statement runs with. */
static int pg_explain(struct store *b, const char *sql, char *out, size_t outlen)
{
    struct pg_store *s = PG(b);
    struct pg_params pp;
    char err[256];
    char *q = pg_dialect_placeholders(sql, &pp, err, sizeof(err));
    int n = q ? pp.count : 0;
    if (!q) {
        snprintf(out, outlen, "%s", err);
        return -1;
    }
    char *ex = malloc(strlen(q) + 16);
    if (!ex) {
        free(q);
        return -1;
    }
    sprintf(ex, "EXPLAIN %s", q);
    free(q);
    PQclear(PQexec(s->conn, "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan"));
    PGresult *r = PQprepare(s->conn, "sg_explain", ex, 0, NULL);
    free(ex);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK, prepared = ok;
    PQclear(r);
    r = NULL;
    if (ok) {
        char exec[64 + PG_MAX_PARAMS * 6] = "EXECUTE sg_explain";
        for (int i = 0; i < n && i < PG_MAX_PARAMS; i++)
            strcat(exec, i ? ",NULL" : "(NULL");
        if (n)
            strcat(exec, ")");
        r = PQexec(s->conn, exec);
        ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    }
    out[0] = '\0';
    size_t used = 0;
    for (int i = 0; ok && i < PQntuples(r) && used < outlen; i++) {
        int w = snprintf(out + used, outlen - used, "%s\n", PQgetvalue(r, i, 0));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (!ok)
        snprintf(out, outlen, "%s", PQerrorMessage(s->conn));
    PQclear(r);
    PQclear(PQexec(s->conn, "ROLLBACK"));
    /* A prepared statement outlives the transaction: drop it for the next. */
    if (prepared)
        PQclear(PQexec(s->conn, "DEALLOCATE sg_explain"));
    return ok ? 0 : -1;
}

/* ---- bulk loading (see store.h) ------------------------------------------ */

/* As on SQLite: the table's own CREATE INDEX indexes are dropped and kept;
 * those behind a PRIMARY KEY or UNIQUE constraint stay, as the constraints
 * must hold during the load. */
static int pg_defer_indexes(struct store *b, const char *table, const char *keep,
                            struct store_deferred *d)
{
    struct pg_store *s = PG(b);
    const char *params[2] = {table, keep ? keep : ""};
    PGresult *r =
        PQexecParams(s->conn,
                     "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                     " WHERE i.schemaname = current_schema() AND i.tablename = $1"
                     " AND i.indexname <> $2 AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                     "  WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)"
                     "  ::regclass) ORDER BY i.indexname",
                     2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        map_error(s, r);
        PQclear(r);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP INDEX \"%.128s\"", PQgetvalue(r, i, 0));
        if (store_deferred_add(d, PQgetvalue(r, i, 1)) < 0) {
            snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
            rc = -1;
        } else if (run(s, sql) != STORE_OK) {
            rc = -1;
        }
    }
    PQclear(r);
    return rc;
}

/* PostgreSQL's page cache is the server's (shared_buffers); what a load's
 * index rebuild can use per connection is its sort memory. */
static int pg_bulk_cache(struct store *b, int mb)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "SET maintenance_work_mem = '%dMB'", mb);
    return run(PG(b), sql) == STORE_OK ? 0 : -1;
}

/* PostgreSQL samples by itself (default_statistics_target). */
static int pg_analyze(struct store *b)
{
    return run(PG(b), "ANALYZE");
}

static const struct store_ops pg_ops = {
    .name = "postgres",
    .close = pg_close,
    .set_max_pages = pg_set_max_pages,
    .errmsg = pg_errmsg,
    .migrate = pg_migrate,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .snapshot_wrote = pg_snapshot_wrote,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .prepare = pg_prepare,
    .exec = pg_exec,
    .changes = pg_changes,
    .backup = pg_backup,
    .integrity_check = pg_integrity_check,
    .explain = pg_explain,
    .defer_indexes = pg_defer_indexes,
    .bulk_cache = pg_bulk_cache,
    .analyze = pg_analyze,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .text = pg_text,
    .int64 = pg_int,
    .dbl = pg_double,
    .is_null = pg_is_null,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
};
