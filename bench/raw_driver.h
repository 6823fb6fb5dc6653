/*
 * raw_driver.h — what the raw baselines (bench/rawsql.c, bench/rawpg.c)
 * share: the command line, the threads, the latency samples and the JSON
 * line bench/load.c also prints. Each baseline supplies only its worker: a
 * connection, and the query run again and again until raw_end.
 *
 *   rawX TARGET THREADS SECONDS SQL [PARAM...]
 *
 * Header-only: each baseline is one file built on its own (Makefile).
 */
#ifndef SG_BENCH_RAW_DRIVER_H
#define SG_BENCH_RAW_DRIVER_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPS 2000000

static const char *target, *sql; /* TARGET: the database file or URL */
static char **params;
static int n_params, is_write; /* is_write: SQL begins "INSERT" */
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

/* A worker's samples, handed over in batches so threads rarely meet on the lock. */
struct raw_samples {
    double local[4096];
    int n;
};

static void raw_flush(struct raw_samples *r)
{
    pthread_mutex_lock(&lock);
    for (int k = 0; k < r->n && n_samples < MAX_SAMPS; k++)
        samples[n_samples++] = r->local[k];
    pthread_mutex_unlock(&lock);
    r->n = 0;
}

/* One run of the query: its time in ms, or an error. */
static void raw_record(struct raw_samples *r, double ms, int ok)
{
    if (!ok) {
        pthread_mutex_lock(&lock);
        errors++;
        pthread_mutex_unlock(&lock);
        return;
    }
    r->local[r->n++] = ms;
    if (r->n == (int)(sizeof(r->local) / sizeof(r->local[0])))
        raw_flush(r);
}

static int raw_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Parses the command line, runs worker on THREADS threads (its argument is
 * the thread's number) and prints the figures. */
static int raw_main(int argc, char **argv, const char *name, void *(*worker)(void *))
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s TARGET THREADS SECONDS SQL [PARAM...]\n", name);
        return 2;
    }
    target = argv[1];
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
    qsort(samples, (size_t)n_samples, sizeof(*samples), raw_cmp);
    double p50 = n_samples ? samples[n_samples / 2] : 0;
    double p99 = n_samples ? samples[(long)((double)n_samples * 0.99)] : 0;
    printf("{\"requests\":%ld,\"errors\":%ld,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
           n_samples, errors, (double)n_samples / elapsed, p50, p99);
    free(samples);
    return 0;
}

#endif
