/*
 * rawsql.c — the raw SQLite baseline for the benchmarks (bench/run.mjs):
 * the same shape of query as an operation, straight through SQLite with a
 * prepared statement, no HTTP, no JSON, no audit.
 *
 *   rawsql DB THREADS SECONDS SQL [PARAM...]
 *
 * Each thread opens its own connection (WAL, synchronous=FULL, as the
 * server) and runs SQL again and again, binding ?1 to the PARAMs in turn
 * (integers when they look like one). SQL beginning "INSERT" runs as one
 * transaction per row (BEGIN IMMEDIATE ... COMMIT): the one-row-per-commit
 * figure durable creates are compared with. Prints the same JSON line as
 * bench/load.c.
 */
#define _GNU_SOURCE
#include <sqlite3.h>

#include "raw_driver.h"

static void *worker(void *arg)
{
    long seed = (long)(intptr_t)arg;
    sqlite3 *db;
    if (sqlite3_open(target, &db) != SQLITE_OK)
        return NULL;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-16000;",
                 NULL, NULL, NULL);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "rawsql: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    double end = now_ms() + seconds * 1000;
    long i = seed * 7919;
    struct raw_samples rs = {.n = 0};
    while (now_ms() < end) {
        double t0 = now_ms();
        if (n_params) {
            const char *p = params[i++ % n_params];
            char *e;
            long long v = strtoll(p, &e, 10);
            if (*p && !*e)
                sqlite3_bind_int64(st, 1, v);
            else
                sqlite3_bind_text(st, 1, p, -1, SQLITE_STATIC);
        }
        int ok = 1;
        if (is_write && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            ok = 0;
        int rc;
        while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
            (void)sqlite3_column_text(st, 0); /* read the row, as the server does */
        if (ok && rc != SQLITE_DONE)
            ok = 0;
        sqlite3_reset(st);
        if (is_write && sqlite3_exec(db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
            ok = 0;
        raw_record(&rs, now_ms() - t0, ok);
    }
    raw_flush(&rs);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return NULL;
}

int main(int argc, char **argv)
{
    return raw_main(argc, argv, "rawsql", worker);
}
