/*
 * seed_pool.h — what the demo seeders of every area share: the synthetic
 * people to link (children and adults over a span of days) and the demo
 * users they act as.
 */
#ifndef SG_SEED_POOL_H
#define SG_SEED_POOL_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

struct seed_pool {
    int64_t *ids; /* malloc'd; free() it */
    size_t n, cap;
};

/* Appends id; -1 when out of memory. */
int seed_pool_add(struct seed_pool *p, int64_t id);

/* The people to link, read through person_get(): children under 18 (and at
 * least a year old) throughout the span_days before now, and adults 18 or
 * over throughout it; restricted people `viewer` cannot see are left out.
 * Looks at person ids from 1 until a run of missing ids. -1 when out of
 * memory. */
int seed_find_people(struct store *s, int64_t now, int span_days, const struct user *viewer,
                     struct seed_pool *children, struct seed_pool *adults);

/* The demo user named after a role (safeguard seed --users), loaded into u,
 * or NULL when there is none or it is disabled. */
const struct user *seed_demo_user(struct store *s, const char *name, struct user *u);

#endif
