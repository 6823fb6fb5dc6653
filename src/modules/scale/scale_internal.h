/*
 * scale_internal.h — what the force-scale seeder's area files share: the
 * random stream, the pools of people and users to draw from, batched
 * transactions, tasks from the rule table and the audit entries (queued,
 * sorted by time and chained at the end so the trail reads in order).
 */
#ifndef SG_SCALE_INTERNAL_H
#define SG_SCALE_INTERNAL_H

#include "core/date.h"
#include "modules/scale/scale.h"

#include <stddef.h>
#include <stdint.h>

struct store;

enum sc_role {
    SC_CALL_HANDLER,
    SC_RESPONSE,
    SC_SUPERVISOR,
    SC_INSPECTOR,
    SC_INVESTIGATOR,
    SC_MISSING,
    SC_CUSTODY_SERGEANT,
    SC_OFFENDER_MANAGER,
    SC_HUB,
    SC_ROLES
};

struct sc_pool {
    int64_t *ids;
    size_t n, cap;
};

/* A queued audit entry: 32 bytes, so millions fit. */
struct sc_audit {
    int64_t at, record_id;
    int32_t user_id;
    uint8_t type, action;
};

struct scale {
    struct store *s;
    const struct scale_plan *plan;
    uint64_t rng;
    int64_t now, start; /* start: five years before now */
    void (*progress)(const char *stage, double done);
    struct scale_counts *counts;
    int rows; /* in the open transaction */

    /* People: children throughout the five years (aged 1-17 at the start
     * and under 18 now), adults throughout, and small "repeat" heads of each
     * that draw a large share of events, as real caseloads do. */
    struct sc_pool children, adults;
    int32_t *dob_days; /* by person id; INT32_MIN unknown */
    int64_t max_person;

    /* Users by role, with the team of each (index into team_names). */
    struct sc_pool users[SC_ROLES];
    int *user_team[SC_ROLES];
    char (*team_names)[32];
    int64_t *team_ids;
    int teams;
    char (*usernames)[40]; /* by user id */
    int64_t max_user;
    int64_t *agencies; /* one children's social care per local authority */
    size_t n_agencies;

    struct sc_audit *audit;
    size_t n_audit, cap_audit;
};

/* Audit record types and actions (indexes into tables in scale.c). */
enum {
    SC_T_PERSON,
    SC_T_INCIDENT,
    SC_T_MISSING,
    SC_T_REFERRAL,
    SC_T_INVESTIGATION,
    SC_T_PROTECTION,
    SC_T_OFFENDER,
    SC_T_CUSTODY,
    SC_T_USER
};
enum { SC_A_CREATE, SC_A_READ, SC_A_UPDATE, SC_A_SEARCH };

uint64_t sc_next(struct scale *sc);
unsigned sc_pick(struct scale *sc, unsigned n);
/* True with the given percentage. */
int sc_chance(struct scale *sc, double percent);
/* A child or an adult; about a third of draws come from the first 3% of the
 * pool, so some children are in many incidents. */
int64_t sc_child(struct scale *sc);
int64_t sc_adult(struct scale *sc);
/* Age in whole years of person id on day t (-1 unknown). */
int sc_age(const struct scale *sc, int64_t id, int64_t t);
/* A user of role, preferably in team (-1: any team); *team gets theirs. */
int64_t sc_user(struct scale *sc, enum sc_role role, int team, int *team_out);
const char *sc_team_name(const struct scale *sc, int team);
int sc_team_of_name(const struct scale *sc, const char *name);

/* Ends the transaction every few thousand rows and begins the next. */
int sc_row(struct scale *sc);
/* A task of rule on a record: due from the rule table; status "open",
 * "done" (closed at closed_at by closed_by) or "cancelled". */
int sc_task(struct scale *sc, const char *rule, int64_t record_id, int64_t person_id, int64_t from,
            int64_t owner_user, const char *team, const char *status, int64_t closed_at,
            int64_t closed_by);
int sc_audit(struct scale *sc, int64_t at, int64_t user_id, int type, int action,
             int64_t record_id);
void sc_ts(int64_t t, char out[TS_TEXT_LEN]);
void sc_date(int64_t t, char out[DATE_TEXT_LEN]);
/* A synthetic street address from an address number: the same number gives
 * the same address, so repeat addresses repeat exactly. */
void sc_address(int64_t n, char *line1, size_t l1, char *postcode, size_t pl, char *town,
                size_t tl);
void sc_progress(struct scale *sc, const char *stage, int64_t done, int64_t total);
/* Logs the store's message for a failed step and returns -1. */
int sc_fail(struct scale *sc, const char *what);

int scale_incidents(struct scale *sc);
int scale_missing(struct scale *sc);
int scale_referrals(struct scale *sc);
int scale_investigations(struct scale *sc);
int scale_protection(struct scale *sc);
int scale_offenders(struct scale *sc);
int scale_custody(struct scale *sc);

#endif
