/*
 * referrals_seed.c — demo agencies and referrals (safeguard seed). The
 * agencies: children's social care (the demo partner user's agency),
 * health, education and two schools, one not on the portal. The referrals:
 * one for each demo incident where a referral is mandatory (domestic abuse
 * with a child present), raised by the demo response officer, reviewed by the
 * demo supervisor, and acknowledged and decided by the demo partner — each
 * step through the domain functions at its own simulated time, most on time
 * and some late, so the R4 measures show something to talk about.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/people/seed_pool.h"
#include "modules/referrals/referrals.h"
#include "modules/referrals/referrals_internal.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *kind, *la, *email;
    int on_portal;
} demo_agencies[] = {
    {"Demo Children's Services", "childrens_social_care", "Exampleshire County Council",
     "front.door@example.org", 1},
    {"Exampleshire Health Safeguarding", "health", "Exampleshire County Council",
     "safeguarding.health@example.org", 1},
    {"Exampleshire Education Safeguarding", "education", "Exampleshire County Council",
     "education.safeguarding@example.org", 1},
    {"Oakfield Primary School", "school", "Exampleshire County Council", "dsl@oakfield.example.org",
     1},
    {"Riverside Academy", "school", "Exampleshire County Council", "dsl@riverside.example.org", 0},
};

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static const char SQL_SEED_INCIDENTS[] = "SELECT id, received_at FROM incident ORDER BY id";
static const char SQL_SEED_FIRST_CHILD[] =
    "SELECT person_id FROM incident_person WHERE incident_id = ? AND is_child = 1 ORDER BY id"
    " LIMIT 1";
static const char SQL_SEED_REFERRAL_OF[] =
    "SELECT id, version FROM referral WHERE source_type = 'incident' AND source_id = ?";

/* Each step at its own time; a step after `now` is left for later. */
static int demo_referral(struct store *s, uint64_t *rng, int64_t iid, int64_t received, int64_t now,
                         const struct user *officer, const struct user *sup,
                         const struct user *partner, const int64_t *agency_ids)
{
    struct domain_error err = {0};
    int64_t t = received + (int64_t)(1 + next(rng) % 30) * 3600; /* some after 24 h */
    if (t > now)
        return 0;
    json_t *b = json_pack("{s:[{s:I}, {s:I}]}", "agencies", "id", (json_int_t)agency_ids[0], "id",
                          (json_int_t)agency_ids[3 + next(rng) % 2]);
    /* With several children on the incident, the first of them. */
    struct stmt *st = store_prepare(s, SQL_SEED_FIRST_CHILD);
    if (st) {
        stmt_bind_int(st, 1, iid);
        if (stmt_step(st) == STORE_ROW)
            json_object_set_new(b, "person_id", json_integer(stmt_int(st, 0)));
        stmt_reset(st);
    }
    int64_t id = referral_raise(s, "incident", iid, b, officer, t, &err);
    json_decref(b);
    if (id < 0) {
        domain_error_release(&err);
        return 0; /* no single child to refer, or already referred */
    }
    json_t *rec = referral_core_get(s, id);
    int64_t version = rec ? json_integer_value(json_object_get(rec, "version")) : 1;
    bool voice = rec && json_is_string(json_object_get(rec, "child_voice"));
    json_decref(rec);
    b = json_pack("{s:I, s:s, s:s, s:s, s:s}", "version", (json_int_t)version, "risk_view",
                  "Medium: repeated abuse in the home; the child is frightened", "consent",
                  "not_sought", "consent_reason",
                  "Sharing protects the child from significant harm (DPA 2018)", "urgency",
                  "within_24h");
    if (!voice)
        json_object_set_new(b, "child_voice",
                            json_string("Not spoken to: asleep when officers attended"));
    int rc = referral_update(s, id, b, officer, t, &err);
    json_decref(b);
    if (rc == 0) {
        b = json_pack("{s:I}", "version", (json_int_t)version + 1);
        rc = referral_submit(s, id, b, officer, t, &err);
        json_decref(b);
    }
    if (rc < 0)
        goto fail;
    if (!referrals_review_required())
        goto delivered;
    int64_t r = t + (int64_t)(10 + next(rng) % 200) * 60;
    if (r > now)
        return 0;
    bool send_back = next(rng) % 10 == 0;
    b = json_pack("{s:I, s:s, s:s}", "version", (json_int_t)version + 2, "decision",
                  send_back ? "return" : "approve", "reason",
                  send_back ? "Say which school the child attends" : "Complete and clear");
    rc = referral_review(s, id, b, sup, r, &err);
    json_decref(b);
    if (rc < 0)
        goto fail;
    if (send_back)
        return 0;
    t = r;
delivered:;
    int64_t a = t + (int64_t)(1 + next(rng) % 40) * 3600;
    if (a > now || !partner || next(rng) % 10 == 0)
        return 0;
    b = json_object();
    rc = portal_acknowledge(s, id, b, partner, a, &err);
    json_decref(b);
    if (rc < 0)
        goto fail;
    static const char *const decisions[] = {"no_further_action", "early_help", "assessment",
                                            "strategy_discussion", "s47_enquiry"};
    int64_t d = a + (int64_t)(2 + next(rng) % 20) * 3600;
    if (d > now)
        return 0;
    b = json_pack("{s:s}", "decision", decisions[next(rng) % 5]);
    rc = portal_decide(s, id, b, partner, d, &err);
    json_decref(b);
    if (rc < 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "safeguard: seed: referral for incident %lld: %s (%s)\n", (long long)iid,
            err.message, err.field);
    domain_error_release(&err);
    return -1;
}

int referrals_seed(struct store *s, unsigned seed, int64_t now, bool with_referrals)
{
    if (store_begin_write(s) != STORE_OK)
        return -1;
    int64_t ids[sizeof(demo_agencies) / sizeof(demo_agencies[0])];
    for (size_t i = 0; i < sizeof(demo_agencies) / sizeof(demo_agencies[0]); i++) {
        ids[i] = agency_id_by_name(s, demo_agencies[i].name);
        if (ids[i])
            continue;
        struct domain_error err = {0};
        json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", demo_agencies[i].name, "kind",
                              demo_agencies[i].kind, "local_authority", demo_agencies[i].la,
                              "contact_email", demo_agencies[i].email, "on_portal",
                              demo_agencies[i].on_portal);
        ids[i] = agency_create(s, b, now, &err);
        json_decref(b);
        if (ids[i] < 0) {
            fprintf(stderr, "safeguard: seed: agency: %s\n", err.message);
            store_rollback(s);
            return -1;
        }
    }
    struct user o, su, pa;
    const struct user *officer = seed_demo_user(s, "response_officer", &o);
    const struct user *sup = seed_demo_user(s, "supervisor", &su);
    const struct user *partner = seed_demo_user(s, "partner_agency", &pa);
    int rc = 0;
    if (with_referrals && officer && sup) {
        /* Every mandatory incident without a referral yet. */
        struct stmt *st = store_prepare(s, SQL_SEED_INCIDENTS);
        int64_t inc[4096], recv[4096];
        size_t n = 0;
        while (st && n < 4096 && stmt_step(st) == STORE_ROW) {
            inc[n] = stmt_int(st, 0);
            ts_parse(stmt_text(st, 1), &recv[n]);
            n++;
        }
        if (st)
            stmt_reset(st);
        uint64_t rng = (uint64_t)seed ^ 0x7e7e77a1ull;
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (!referrals_mandatory_reason(s, "incident", inc[i]))
                continue;
            st = store_prepare(s, SQL_SEED_REFERRAL_OF);
            stmt_bind_int(st, 1, inc[i]);
            bool done = stmt_step(st) == STORE_ROW;
            stmt_reset(st);
            if (done || next(&rng) % 10 == 0) /* a few are missed: the measure shows it */
                continue;
            rc = demo_referral(s, &rng, inc[i], recv[i], now, officer, sup, partner, ids);
        }
    }
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
