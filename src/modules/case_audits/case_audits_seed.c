/*
 * case_audits_seed.c — demo case audits, so `make run` shows the audit
 * measures: a share of each of the last months' closed incidents sampled
 * for the demo auditor and most of them graded, through the same domain
 * functions as the API (case_audit_sample_with(), case_audit_grade()), each
 * at its own point in simulated time. The grades are invented and improve
 * month by month, as a force's might after an inspection. Deterministic:
 * the same seed, clock and incidents give the same audits.
 */
#include "auth/auth.h"
#include "auth/users.h"
#include "core/date.h"
#include "modules/case_audits/case_audits.h"
#include "modules/case_audits/case_audits_internal.h"
#include "modules/case_audits/case_audits_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define SEED_MONTHS  4  /* this month (left pending) and the three before */
#define SEED_PERCENT 20 /* of each area's closed child incidents */

/* splitmix64, as the other seeds. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint32_t seeded_uniform(void *state, uint32_t upper)
{
    return (uint32_t)(next(state) % upper);
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next(s) % n);
}

static const char *const shortfalls[] = {
    "THRIVE recorded but the earlier incidents at the address were not considered",
    "Risk to the child not re-assessed when the suspect returned",
    "Child not spoken to and no reason recorded",
    "Demeanour noted but not the child's own words",
    "No referral to children's services despite a child present at domestic abuse",
    "Referral made two days after the incident",
    "No supervisory review of the decision to schedule",
    "Grade below the risk without a recorded rationale",
};
static const char *const overall_reasons[] = {
    "The child's needs were recognised and acted on promptly",
    "Sound response, but the child's voice is missing from the record",
    "Risk was under-estimated and not reviewed when new information came in",
    "Good attendance; the record does not show why decisions were taken",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Grades one audit: each criterion good with a chance rising by month,
 * else requires improvement or inadequate with a reason; the overall grade
 * follows the shortfalls. */
static int grade_one(struct store *s, uint64_t *rng, int64_t audit_id, int good_percent,
                     const struct user *u, int64_t at)
{
    json_t *a = case_audit_get(s, audit_id, u);
    if (!a)
        return -1;
    json_t *grades = json_object();
    int ri = 0, inadequate = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(a, "criteria"), i, c)
    {
        unsigned r = pick(rng, 100);
        const char *g;
        if (json_integer_value(json_object_get(c, "recommendation")) == 4 && r < 12)
            g = "not_applicable";
        else if (r < (unsigned)good_percent)
            g = "good";
        else if (r < (unsigned)good_percent + (100u - (unsigned)good_percent) * 2 / 3)
            g = "requires_improvement";
        else
            g = "inadequate";
        ri += strcmp(g, "requires_improvement") == 0;
        inadequate += strcmp(g, "inadequate") == 0;
        json_t *entry = json_pack("{s:s}", "grade", g);
        if (strcmp(g, "good") != 0 && strcmp(g, "not_applicable") != 0)
            json_object_set_new(entry, "reason",
                                json_string(shortfalls[pick(rng, N_OF(shortfalls))]));
        json_object_set_new(grades, jstr(c, "key"), entry);
    }
    const char *overall = inadequate >= 2 || (inadequate == 1 && pick(rng, 2)) ? "inadequate"
                          : ri + inadequate >= 2 || (ri == 1 && pick(rng, 2))
                              ? "requires_improvement"
                              : "good";
    json_t *body = json_pack("{s:O, s:o, s:s, s:s}", "version", json_object_get(a, "version"),
                             "grades", grades, "overall_grade", overall, "overall_reason",
                             strcmp(overall, "good") == 0
                                 ? overall_reasons[0]
                                 : overall_reasons[1 + pick(rng, N_OF(overall_reasons) - 1)]);
    json_decref(a);
    struct domain_error err = {0};
    int rc = case_audit_grade(s, audit_id, body, u, at, &err);
    json_decref(body);
    if (rc < 0) {
        fprintf(stderr, "safeguard: seed: case audit %lld: %s\n", (long long)audit_id, err.message);
        domain_error_release(&err);
    }
    return rc;
}

/* The demo auditor (or else the demo supervisor), or NULL. */
static const struct user *demo_auditor(struct store *s, struct user *u)
{
    static const char *const names[] = {"auditor", "supervisor"};
    for (size_t i = 0; i < N_OF(names); i++) {
        int64_t id = users_find(s, names[i]);
        int disabled = 0;
        if (id > 0 && user_load(s, id, u, &disabled) == 0 && !disabled)
            return u;
    }
    return NULL;
}

static int seed_month(struct store *s, uint64_t *rng, const struct user *u, int back, int64_t now,
                      int *graded)
{
    struct civil_date today = date_of_ts(now);
    int m0 = today.year * 12 + today.month - 1 - back;
    char month[16];
    snprintf(month, sizeof(month), "%04d-%02d", (m0 / 12) % 10000, (m0 % 12 + 1) % 100);
    /* Sampled early in the next month (this month's: now). */
    struct civil_date next_first = {(m0 + 1) / 12, (m0 + 1) % 12 + 1, 1};
    int64_t at = date_to_days(&next_first) * 86400 + 9 * 3600 + pick(rng, 3) * 86400;
    if (back == 0 || at > now)
        at = now;
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:i, s:I}", "record_type", "incident", "month", month, "method",
                  "share", "percent", SEED_PERCENT, "auditor", (json_int_t)u->id);
    struct case_audit_picker picker = {.uniform = seeded_uniform, .state = rng};
    struct domain_error err = {0};
    int64_t sample = case_audit_sample_with(s, body, u, at, &picker, &err);
    json_decref(body);
    if (sample < 0) {
        int nothing = strcmp(err.code, "no_candidates") == 0;
        if (!nothing)
            fprintf(stderr, "safeguard: seed: case audits for %s: %s\n", month, err.message);
        domain_error_release(&err);
        return nothing ? 0 : -1;
    }
    if (back == 0)
        return 0; /* this month's are still to do */
    int64_t ids[CASE_AUDIT_SAMPLE_MAX];
    int n = 0;
    struct stmt *st = store_prepare(s, SQL_CA_PENDING_OF_SAMPLE);
    if (!st)
        return -1;
    stmt_bind_int(st, 1, sample);
    while (stmt_step(st) == STORE_ROW && n < CASE_AUDIT_SAMPLE_MAX)
        ids[n++] = stmt_int(st, 0);
    stmt_reset(st);
    /* Better each month: from 45% of criteria good three months ago. */
    int good = 75 - 10 * back;
    for (int i = 0; i < n; i++) {
        int64_t when = at + (int64_t)(1 + pick(rng, 20)) * 86400 + pick(rng, 8 * 60) * 60;
        if (when > now || pick(rng, 10) == 0)
            continue; /* not done yet */
        if (grade_one(s, rng, ids[i], good, u, when) < 0)
            return -1;
        (*graded)++;
    }
    return 0;
}

int case_audits_seed(struct store *s, uint64_t seed, int64_t now)
{
    struct user a;
    const struct user *u = demo_auditor(s, &a);
    if (!u)
        return 0; /* no demo users: nobody to audit */
    if (store_begin_write(s) != STORE_OK)
        return -1;
    struct stmt *st = store_prepare(s, SQL_CA_ANY_AUDIT);
    int any = st && stmt_step(st) == STORE_ROW;
    if (st)
        stmt_reset(st);
    if (any) {
        store_rollback(s);
        return 0;
    }
    uint64_t rng = seed ^ 0xa0d17ca5e5ull;
    int graded = 0;
    for (int back = SEED_MONTHS - 1; back >= 0; back--) {
        if (seed_month(s, &rng, u, back, now, &graded) < 0) {
            store_rollback(s);
            return -1;
        }
    }
    return store_commit(s) == STORE_OK ? graded : -1;
}
