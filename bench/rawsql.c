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
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPS 2000000

static const char *db_path, *sql;
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

static void *worker(void *arg)
{
    long seed = (long)(intptr_t)arg;
    sqlite3 *db;
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
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
    double local[4096];
    int nl = 0;
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
    sqlite3_finalize(st);
    sqlite3_close(db);
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
        fprintf(stderr, "usage: rawsql DB THREADS SECONDS SQL [PARAM...]\n");
        return 2;
    }
    db_path = argv[1];
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
