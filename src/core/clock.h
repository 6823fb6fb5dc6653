/*
 * clock.h — the one clock every time-dependent rule reads.
 *
 * Nothing in Safeguard calls time() for a rule: it calls clock_now(). The
 * clock is the system clock unless configured (SAFEGUARD_CLOCK or --clock):
 *   "2026-03-01T09:00:00Z"   fixed at that instant (unit and API tests)
 *   "file:PATH"              the instant written in PATH, re-read on every
 *                            call, so a black-box test can move time forward
 *                            while the server runs (session expiry, overdue
 *                            reviews) without sleeping.
 * Durations for logs and metrics use clock_monotonic_ns(), which is never
 * injected because it decides no rule.
 */
#ifndef SG_CLOCK_H
#define SG_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Configures the clock from a spec (NULL or "" or "system" = wall clock).
 * Returns 0, or -1 with a message in err. */
int clock_configure(const char *spec, char *err, size_t errlen);
/* Seconds since the Unix epoch, UTC, per the configured clock. */
int64_t clock_now(void);
/* Fixes the clock at t (unit tests). */
void clock_set_fixed(int64_t t);
/* True when the clock is not the wall clock. */
int clock_is_injected(void);
/* Monotonic nanoseconds for measuring durations. */
uint64_t clock_monotonic_ns(void);

#endif
