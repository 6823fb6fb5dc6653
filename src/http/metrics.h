/*
 * metrics.h — request counts and latency histograms by route, for
 * GET /metrics in the Prometheus text format. Lock-free (atomics), so
 * recording costs a few nanoseconds on the request path.
 */
#ifndef SG_METRICS_H
#define SG_METRICS_H

#include <stdint.h>

#include "core/buf.h"

/* Records one finished request; route_index is the row in app_routes, or -1
 * when nothing matched. */
void metrics_record(int route_index, int status, uint64_t duration_ns);
/* Appends the exposition text to out. */
void metrics_render(struct buf *out);

#endif
