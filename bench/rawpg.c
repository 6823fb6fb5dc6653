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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPS 2000000

static const char *url, *sql;
static char **params;
static int n_params, is_write;
static double seconds;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double *samples;
static long n_samples, errors;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

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
    PGconn *c = PQconnectdb(url);
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
    double local[4096];
    int nl = 0;
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
        double t = now_ms() - t0;
        if (!ok) {
            pthread_mutex_lock(&lock);
            errors++;
            pthread_mutex_unlock(&lock);
            continue;
        }
        local[nl++] = t;
        if (nl == 4096) {
            pthread_mutex_lock(&lock);
            for (int k = 0; k < nl && n_samples < MAX_SAMPS; k++)
                samples[n_samples++] = local[k];
            pthread_mutex_unlock(&lock);
            nl = 0;
        }
    }
    pthread_mutex_lock(&lock);
    for (int k = 0; k < nl && n_samples < MAX_SAMPS; k++)
        samples[n_samples++] = local[k];
    pthread_mutex_unlock(&lock);
    PQfinish(c);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: rawpg URL THREADS SECONDS SQL [PARAM...]\n");
        return 2;
    }
    url = argv[1];
    int threads = atoi(argv[2]);
    seconds = atof(argv[3]);
    sql = argv[4];
    params = argv + 5;
    n_params = argc - 5;
    is_write = strncmp(sql, "INSERT", 6) == 0;
    samples = malloc(MAX_SAMPS * sizeof(*samples));
    pthread_t th[256];
    if (threads < 1 || threads > 256 || !samples)
        return 2;
    double t0 = now_ms();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double elapsed = (now_ms() - t0) / 1000;
    qsort(samples, (size_t)n_samples, sizeof(*samples), cmp);
    double p50 = n_samples ? samples[n_samples / 2] : 0;
    double p99 = n_samples ? samples[(long)((double)n_samples * 0.99)] : 0;
    printf("{\"requests\":%ld,\"errors\":%ld,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
           n_samples, errors, (double)n_samples / elapsed, p50, p99);
    return 0;
}
