/*
 * scale.h — force-scale synthetic data (safeguard seed --scale): five years
 * of a large force's records, coherent and deterministic from a seed.
 *
 * Invariants: the same seed, scale and clock give the same database, row for
 * row; every foreign key resolves; each area's own rules hold (a designated
 * officer is never the initiating officer, a closed record has no open task,
 * a child is a child on the day of the event). Only synthetic people.
 */
#ifndef SG_SCALE_H
#define SG_SCALE_H

#include <stdint.h>

struct store;

/* What one scale holds; "large" is the figure, the others a share of it. */
struct scale_plan {
    const char *name;
    int64_t people, incidents, missing, referrals, investigations, protection, offenders, custody;
    int teams;
};

/* The plan of a named scale (tiny 0.1%, small 1%, medium 10%, large), or NULL. */
const struct scale_plan *scale_plan_named(const char *name);

/* What was written, for the summary. */
struct scale_counts {
    int64_t people, users, incidents, incident_people, missing, referrals, investigations,
        protection, offenders, custody, tasks, open_tasks, audit;
};

/* Seeds an empty (migrated) database with plan p as of now. progress, when
 * given, is told each stage's name and how far it has got (0..1). Returns 0,
 * or -1 after a message on stderr; the database is then incomplete. */
int scale_seed(struct store *s, const struct scale_plan *p, uint64_t seed, int64_t now,
               void (*progress)(const char *stage, double done), struct scale_counts *out);

#endif
