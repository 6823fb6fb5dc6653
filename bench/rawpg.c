/*
 * rawpg.c — the raw PostgreSQL baseline for the benchmarks (bench/run.mjs
 * with BENCH_BACKEND=postgres): the same shape of query as an operation,
 * straight through libpq with a prepared statement, no HTTP, no JSON, no
 * audit. The PostgreSQL twin of bench/rawsql.c.
 *
 *   rawpg URL THREADS SECONDS SQL [PARAM...]
 *
 * Each thread opens its own connection and runs SQL ($1 placeholders) again
 * and again, binding $1 to the PARAMs in turn (sent as text, typed by the
 * server from the query, as the store does for text). SQL beginning
 * "INSERT" runs as one transaction per row, opened as the server opens a
 * write (BEGIN and a transaction-level advisory lock in one round trip, then
 * the INSERT, then COMMIT): the one-row-per-commit figure durable creates
 * are compared with. The lock key is not the server's, so the baseline
 * never waits for a server. Prints the same JSON line as bench/load.c.
 */
#define _GNU_SOURCE
#include <libpq-fe.h>

#include "raw_driver.h"

/* Runs a statement with no parameters; 1 if it succeeded. */
static int exec_ok(PGconn *c, const char *q)
{
    PGresult *r = PQexec(c, q);
    ExecStatusType s = PQresultStatus(r);
    PQclear(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

static void *worker(void *arg)
{
    long seed = (long)(intptr_t)arg;
    PGconn *c = PQconnectdb(target);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "rawpg: %s", PQerrorMessage(c));
        exit(1);
    }
    PGresult *pr = PQprepare(c, "q", sql, n_params ? 1 : 0, NULL);
    if (PQresultStatus(pr) != PGRES_COMMAND_OK) {
        fprintf(stderr, "rawpg: %s", PQerrorMessage(c));
        exit(1);
    }
    PQclear(pr);
    double end = now_ms() + seconds * 1000;
    long i = seed * 7919;
    struct raw_samples rs = {.n = 0};
    while (now_ms() < end) {
        double t0 = now_ms();
        const char *p = n_params ? params[i++ % n_params] : NULL;
        int ok = 1;
        if (is_write && !exec_ok(c, "BEGIN ISOLATION LEVEL READ COMMITTED; "
                                    "SELECT pg_advisory_xact_lock(718299)"))
            ok = 0;
        if (ok) {
            PGresult *r =
                PQexecPrepared(c, "q", n_params ? 1 : 0, n_params ? &p : NULL, NULL, NULL, 0);
            ExecStatusType s = PQresultStatus(r);
            if (s == PGRES_TUPLES_OK && PQntuples(r) > 0)
                (void)PQgetvalue(r, 0, 0); /* read the row, as the server does */
            else if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK)
                ok = 0;
            PQclear(r);
        }
        if (is_write && !exec_ok(c, ok ? "COMMIT" : "ROLLBACK"))
            ok = 0;
        raw_record(&rs, now_ms() - t0, ok);
    }
    raw_flush(&rs);
    PQfinish(c);
    return NULL;
}

int main(int argc, char **argv)
{
    return raw_main(argc, argv, "rawpg", worker);
}
