/* people_seed.h — synthetic people for demos and benchmarks (safeguard seed). */
#ifndef SG_PEOPLE_SEED_H
#define SG_PEOPLE_SEED_H

#include <stdint.h>

struct store;

/* Creates n synthetic people, deterministically from seed: the same seed and
 * clock give the same people. Commits every 1000. progress(done, total) is
 * called after each batch when not NULL. Returns 0 or -1 (message on stderr). */
int people_seed(struct store *s, int n, uint64_t seed, int64_t now,
                void (*progress)(int done, int total));

#endif
