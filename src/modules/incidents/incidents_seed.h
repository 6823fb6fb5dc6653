/* incidents_seed.h — synthetic control-room incidents for demos (safeguard seed --incidents). */
#ifndef SG_INCIDENTS_SEED_H
#define SG_INCIDENTS_SEED_H

#include <stdint.h>

struct store;

/* Creates n synthetic incidents received over the 90 days before now,
 * deterministically from seed, linking existing people (children under 18
 * on the incident date, sometimes an adult) and taking most of them through
 * THRIVE, grading, attendance, the voice of the child and closure. Every
 * change goes through the incidents domain functions, acting as the demo
 * users when they exist. Commits every 100 incidents. Returns 0, or -1 with
 * a message on stderr (nothing of the failing batch is kept). */
int incidents_seed(struct store *s, int n, uint64_t seed, int64_t now);

#endif
