/*
 * missing_seed.c — synthetic missing episodes for the demo (safeguard seed
 * --missing N). Children are the synthetic people already in the database;
 * a few of them go missing again and again, so repeat-missing shows. Every
 * change goes through the same domain functions as the API, each at its own
 * point in simulated time and as the demo user who would do it, so the
 * timeline, tasks and R3 measures come out as they would in live use: most
 * reviews on time and some late, most returns followed by an interview and a
 * return home interview, some exploitation indicators and referrals, the
 * most recent episodes still open on the coordinator's board.
 * Deterministic: the same seed, clock and people give the same episodes.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/missing/missing.h"
#include "modules/missing/missing_internal.h"
#include "modules/people/seed_data.h"
#include "modules/people/seed_pool.h"
#include "rules/rules.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPAN_DAYS 120
#define BATCH     50
#define FREQUENT  8 /* children who go missing repeatedly */

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next(s) % n);
}

static int chance(uint64_t *s, unsigned percent)
{
    return pick(s, 100) < percent;
}

static const char *const circumstances[] = {
    "Did not come home from school",
    "Left the placement after an argument with staff",
    "Went out to see friends and did not return by the agreed time",
    "Not in bed in the morning; window open",
    "Left after being told off at home; phone switched off",
};
static const char *const places[] = {"Bus station",     "Retail park", "Town centre",
                                     "Railway station", "Skate park",  "Friend's house"};
static const char *const found_at[] = {"A friend's flat", "Town centre", "Railway station",
                                       "Returned home by themself", "An address in another town"};

struct actors {
    const struct user *coordinator, *supervisor, *officer;
};

/* One episode from report to (perhaps) closure; times in seconds. A failed
 * step is a bug in the seeder: it is reported and the batch rolled back. */
static int make_episode(struct store *s, uint64_t *rng, int n, int64_t reported, int64_t now,
                        const struct actors *a, int64_t pid)
{
    struct domain_error err = {0};
    char ts[TS_TEXT_LEN], seen[TS_TEXT_LEN], from[64];
    static const char *const risks[] = {"high", "medium", "medium", "low", "low", "medium"};
    const char *risk = risks[pick(rng, 6)];
    ts_format(reported, ts);
    ts_format(reported - (int64_t)(1 + pick(rng, 6)) * 3600, seen);
    snprintf(from, sizeof(from), "%u %s", 1 + pick(rng, 80), "Demo Street");
    json_t *b = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "person_id", (json_int_t)pid,
        "reported_at", ts, "reported_by", chance(rng, 40) ? "Residential care staff" : "Parent",
        "last_seen_at", seen, "last_seen_location", places[pick(rng, 6)], "missing_from", from,
        "circumstances", circumstances[pick(rng, 5)], "risk", risk, "risk_rationale",
        strcmp(risk, "high") == 0 ? "Young and vulnerable; believed to be with adults of concern"
        : strcmp(risk, "medium") == 0 ? "Harm likely but not serious; no contact"
                                      : "Has gone missing before and returned safe",
        "description", "Dark jacket, jeans, white trainers");
    int64_t id = missing_create(s, b, a->coordinator, reported, &err);
    json_decref(b);
    if (id < 0 && err.status == 409) {
        domain_error_release(&err);
        return 0; /* still missing from an earlier episode: no new report */
    }
    if (id < 0)
        goto fail;

    int64_t t = reported + (int64_t)(5 + pick(rng, 90)) * 60;
    if (t > now)
        return 0;
    b = json_pack("{s:s, s:s}", "kind", "enquiry", "text",
                  "Called friends and checked known places");
    int rc = missing_add_event(s, id, b, a->coordinator, t, &err);
    json_decref(b);
    if (rc < 0)
        goto fail;

    /* Away for 2 to 40 hours; reviewed while away, mostly on time. */
    int64_t back = reported + (int64_t)(2 + pick(rng, 38)) * 3600;
    int minutes = strcmp(risk, "high") == 0 ? 120 : strcmp(risk, "medium") == 0 ? 360 : 720;
    for (int64_t due = reported + minutes * 60; due < back && due < now;) {
        int64_t at = chance(rng, 85) ? due - (int64_t)pick(rng, 30) * 60
                                     : due + (int64_t)(10 + pick(rng, 120)) * 60;
        if (at > now || at >= back)
            break;
        b = json_pack("{s:s, s:s}", "risk", risk, "rationale",
                      "Enquiries continue; risk unchanged");
        rc = missing_review(s, id, b, a->supervisor, at, &err);
        json_decref(b);
        if (rc < 0)
            goto fail;
        due = at + minutes * 60;
    }
    if (back > now)
        return 0; /* still missing */
    b = json_pack("{s:s, s:s, s:s}", "location", found_at[pick(rng, 5)], "found_by",
                  chance(rng, 50) ? "Response officer" : "Carer", "state",
                  chance(rng, 90) ? "safe_and_well" : "unwell");
    rc = missing_return(s, id, b, a->officer, back, &err);
    json_decref(b);
    if (rc < 0)
        goto fail;

    int64_t interview = back + (int64_t)(1 + pick(rng, 30)) * 3600;
    bool exploited = chance(rng, 15);
    if (interview <= now && chance(rng, 92)) {
        b = json_pack("{s:s, s:s, s:b, s:s}", "where_they_were",
                      exploited ? "An address in another town" : "With friends in town",
                      "with_whom", exploited ? "Older males not known to the family" : "Friends",
                      "exploitation_cce", exploited, "exploitation_notes",
                      exploited ? "Had cash and a second phone" : "None seen");
        rc = missing_prevention_interview(s, id, b, a->officer, interview, &err);
        json_decref(b);
        if (rc < 0)
            goto fail;
        if (exploited && chance(rng, 85) && interview + 6 * 3600 <= now) {
            b = json_pack("{s:s}", "note", "Referred to the MASH for a strategy discussion");
            rc = missing_referral(s, id, b, a->coordinator, interview + 6 * 3600, &err);
            json_decref(b);
            if (rc < 0)
                goto fail;
        }
    }
    int64_t rhi = back + (int64_t)(2 + pick(rng, 20)) * 3600;
    if (rhi <= now && chance(rng, 90)) {
        b = json_pack("{s:s}", "local_authority", "Exampleshire County Council");
        rc = missing_rhi_referral(s, id, b, a->coordinator, rhi, &err);
        json_decref(b);
        if (rc < 0)
            goto fail;
        int64_t done = rhi + (int64_t)(12 + pick(rng, 84)) * 3600; /* some after 72 h */
        if (done <= now && chance(rng, 80)) {
            b = json_pack("{s:s}", "outcome", chance(rng, 90) ? "completed" : "declined");
            rc = missing_rhi_outcome(s, id, b, a->coordinator, done, &err);
            json_decref(b);
            if (rc < 0)
                goto fail;
        }
    }
    int64_t closing = back + 4 * 86400;
    if (closing <= now) {
        json_t *rec = missing_core_get(s, id);
        json_t *needs = rec ? missing_close_blockers(rec) : NULL;
        bool can = needs && json_array_size(needs) == 0;
        json_decref(needs);
        json_decref(rec);
        if (can) {
            b = json_pack("{s:s}", "note", "Returned; interviews done; no further police action");
            rc = missing_close(s, id, b, a->coordinator, closing, &err);
            json_decref(b);
            if (rc < 0)
                goto fail;
        }
    }
    return 0;
fail:
    fprintf(stderr, "safeguard: seed: missing episode %d: %s (%s)\n", n, err.message, err.field);
    domain_error_release(&err);
    return -1;
}

int missing_seed(struct store *s, int n, unsigned seed, int64_t now)
{
    if (n <= 0)
        return 0;
    struct user co, su, of;
    struct actors a = {.coordinator = seed_demo_user(s, "missing_coordinator", &co),
                       .supervisor = seed_demo_user(s, "supervisor", &su),
                       .officer = seed_demo_user(s, "response_officer", &of)};
    struct seed_pool children = {0};
    int ret = -1;
    if (seed_find_people(s, now, SPAN_DAYS, a.coordinator, &children, NULL) < 0) {
        fprintf(stderr, "safeguard: seed: out of memory\n");
        goto out;
    }
    if (!children.n) {
        fprintf(stderr, "safeguard: seed: no children to report missing: seed people first\n");
        goto out;
    }
    uint64_t rng = (uint64_t)seed ^ 0x6d155196c0a57ull;
    int64_t start = now - (int64_t)SPAN_DAYS * 86400, step = (int64_t)SPAN_DAYS * 86400 / n;
    for (int done = 0; done < n;) {
        if (store_begin_write(s) != STORE_OK) {
            fprintf(stderr, "safeguard: seed: cannot begin: %s\n", store_errmsg(s));
            goto out;
        }
        int end = done + BATCH < n ? done + BATCH : n;
        for (; done < end; done++) {
            int64_t at = start + step * done + (step > 1 ? (int64_t)(next(&rng) % step) : 0);
            if (at > now)
                at = now;
            /* A quarter of episodes are the same few children's. */
            size_t k = chance(&rng, 25) ? pick(&rng, FREQUENT < children.n ? FREQUENT : 1)
                                        : pick(&rng, (unsigned)children.n);
            if (make_episode(s, &rng, done, at, now, &a, children.ids[k % children.n]) < 0) {
                store_rollback(s);
                goto out;
            }
        }
        if (store_commit(s) != STORE_OK) {
            fprintf(stderr, "safeguard: seed: cannot commit: %s\n", store_errmsg(s));
            goto out;
        }
    }
    ret = n;
out:
    free(children.ids);
    return ret;
}
