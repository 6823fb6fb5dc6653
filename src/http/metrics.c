/* metrics.c — Prometheus counters and histograms per route (see metrics.h). */
#include "http/metrics.h"
#include "http/router.h"

#include <stdatomic.h>
#include <stdio.h>

#define MAX_ROUTES 512
#define NBUCKETS   12

static const double bucket_le[NBUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                           0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

struct route_metrics {
    atomic_uint_fast64_t status_class[6]; /* 1xx..5xx by index 1..5 */
    atomic_uint_fast64_t buckets[NBUCKETS + 1];
    atomic_uint_fast64_t sum_us;
    atomic_uint_fast64_t count;
};

/* Index MAX_ROUTES holds unmatched requests. */
static struct route_metrics m[MAX_ROUTES + 1];

void metrics_record(int route_index, int status, uint64_t duration_ns)
{
    struct route_metrics *r =
        &m[route_index >= 0 && route_index < MAX_ROUTES ? route_index : MAX_ROUTES];
    int cls = status / 100;
    if (cls >= 1 && cls <= 5)
        atomic_fetch_add_explicit(&r->status_class[cls], 1, memory_order_relaxed);
    double secs = (double)duration_ns / 1e9;
    int b = 0;
    while (b < NBUCKETS && secs > bucket_le[b])
        b++;
    atomic_fetch_add_explicit(&r->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->sum_us, duration_ns / 1000, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
}

static void render_one(struct buf *out, struct route_metrics *r, const char *method,
                       const char *pattern)
{
    uint64_t count = atomic_load(&r->count);
    if (!count)
        return;
    for (int c = 1; c <= 5; c++) {
        uint64_t n = atomic_load(&r->status_class[c]);
        if (n)
            buf_printf(out,
                       "safeguard_http_requests_total{method=\"%s\",route=\"%s\",status=\"%dxx\"} "
                       "%llu\n",
                       method, pattern, c, (unsigned long long)n);
    }
    uint64_t cum = 0;
    for (int b = 0; b <= NBUCKETS; b++) {
        cum += atomic_load(&r->buckets[b]);
        if (b < NBUCKETS)
            buf_printf(out,
                       "safeguard_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                       "le=\"%g\"} %llu\n",
                       method, pattern, bucket_le[b], (unsigned long long)cum);
        else
            buf_printf(out,
                       "safeguard_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                       "le=\"+Inf\"} %llu\n",
                       method, pattern, (unsigned long long)cum);
    }
    buf_printf(out,
               "safeguard_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
               "safeguard_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
               method, pattern, (double)atomic_load(&r->sum_us) / 1e6, method, pattern,
               (unsigned long long)count);
}

void metrics_render(struct buf *out)
{
    buf_puts(out, "# HELP safeguard_http_requests_total Requests answered, by route and status "
                  "class.\n# TYPE safeguard_http_requests_total counter\n"
                  "# HELP safeguard_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE safeguard_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < app_routes_count && i < MAX_ROUTES; i++)
        render_one(out, &m[i], http_method_name(app_routes[i].method), app_routes[i].pattern);
    render_one(out, &m[MAX_ROUTES], "any", "unmatched");
}
