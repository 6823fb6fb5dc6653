/*
 * disclosure_seed.c — demo disclosure scheme applications (safeguard seed
 * --disclosures N). When the database holds no application yet: for each, a
 * synthetic subject and child made through the people domain (every third
 * subject a registered sex offender), an application received over the last
 * two months, and its stages recorded through the domain functions as the
 * demo offender manager (the decision as the demo supervisor), stopping at
 * a stage chosen by its number — so the list shows every stage, clocks
 * done, due and overdue, one immediate risk with its referral, and closed
 * applications with each outcome.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/disclosure/disclosure.h"
#include "modules/people/people.h"
#include "modules/people/seed_pool.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>

#define DAY  86400
#define HOUR 3600

static const char SQL_SEED_ANY_CSOD[] = "SELECT id FROM disclosure_application LIMIT 1";

static const char *const given_adult[] = {"Rowan",  "Desmond", "Keir", "Ambrose",
                                          "Tobias", "Lennox",  "Cyril"};
static const char *const given_child[] = {"Isla", "Theo", "Freya", "Arlo", "Nell", "Otis", "Wren"};
static const char *const family[] = {"Applewhite", "Brackenbury", "Cotterill", "Dunmore",
                                     "Evershed",   "Fairbairn",   "Gravenor"};
static const char *const applicant_given[] = {"Sophie", "Hannah", "Megan", "Priya", "Joanne"};
static const char *const applicant_rel[] = {"parent", "grandparent", "parent", "guardian",
                                            "other_relative"};
static const char *const subject_rel[] = {"partner_of_parent", "neighbour", "family_friend",
                                          "online_contact", "coach_or_tutor"};

static int fail(const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: disclosures: %s: %s\n", what,
            err->message[0] ? err->message : "failed");
    domain_error_release(err);
    return -1;
}

static int64_t make_person(struct store *s, const char *given, const char *surname, const char *dob,
                           int offender, int64_t now)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:b}", "given_name", given, "family_name", surname,
                          "dob", dob, "dob_accuracy", "exact", "confirmed_new", 1);
    if (offender)
        json_object_set_new(b, "flags",
                            json_pack("[{s:s, s:s}]", "flag", "registered_sex_offender",
                                      "valid_from", "2017-09-01"));
    struct domain_error err = {0};
    int64_t id = person_create(s, b, now, NULL, &err);
    json_decref(b);
    return id < 0 ? fail("person", &err) : id;
}

typedef int (*stage_fn)(struct store *, int64_t, const json_t *, const struct user *, int64_t,
                        struct domain_error *);

/* Records one stage at `at`, under key (skipped when at is still to come:
 * the later stages' times are later still). 0 or -1. */
static int stage_at(struct store *s, stage_fn fn, int64_t id, json_t *b, const char *key,
                    int64_t at, const struct user *u, int64_t now, const char *what)
{
    if (at > now) {
        json_decref(b);
        return 0;
    }
    char ts[TS_TEXT_LEN];
    ts_format(at, ts);
    json_object_set_new(b, key, json_string(ts));
    struct domain_error err = {0};
    int rc = fn(s, id, b, u, now, &err);
    json_decref(b);
    return rc < 0 ? fail(what, &err) : 0;
}

static int stage(struct store *s, stage_fn fn, int64_t id, json_t *b, int64_t at,
                 const struct user *u, int64_t now, const char *what)
{
    return stage_at(s, fn, id, b, "at", at, u, now, what);
}

static int risk(struct store *s, int64_t id, const json_t *b, const struct user *u, int64_t now,
                struct domain_error *err)
{
    return disclosure_immediate_risk(s, id, b, u, now, err) < 0 ? -1 : 0;
}

static int seed_one(struct store *s, int i, const struct user *om, const struct user *sup,
                    int64_t now)
{
    char child_dob[24], adult_dob[24], surname[64], name[96];
    snprintf(child_dob, sizeof(child_dob), "%04d-%02d-%02d", 2013 + i % 9, 1 + i % 12, 1 + i % 27);
    snprintf(adult_dob, sizeof(adult_dob), "%04d-%02d-%02d", 1968 + i % 20, 1 + (i * 5) % 12,
             1 + (i * 3) % 27);
    snprintf(surname, sizeof(surname), "%s", family[i % 7]);
    int64_t subject = make_person(s, given_adult[i % 7], surname, adult_dob, i % 3 == 0, now);
    int64_t child =
        make_person(s, given_child[(i + 3) % 7], family[(i + 2) % 7], child_dob, 0, now);
    if (subject < 0 || child < 0)
        return -1;
    /* How far this one goes: 0 received ... 7 closed. Those that go far
     * were received long enough ago for their stages to have happened; the
     * first few arrived this week. */
    int target = i % 8;
    int64_t age = i < 4         ? (int64_t)(i * 20 + 3) * HOUR
                  : target >= 4 ? (int64_t)(38 + i % 20) * DAY + (int64_t)(i % 7) * HOUR
                                : (int64_t)(i * 9 % 30) * DAY + (int64_t)(i % 7) * HOUR;
    int64_t received = now - age;
    char rts[TS_TEXT_LEN];
    ts_format(received, rts);
    snprintf(name, sizeof(name), "%s %s", applicant_given[i % 5], family[(i + 2) % 7]);
    json_t *b = json_pack("{s:s, s:s, s:s, s:[{s:I}], s:I, s:s, s:s, s:s, s:s}", "applicant_name",
                          name, "applicant_contact", "07700 900123", "applicant_relationship",
                          applicant_rel[i % 5], "children", "person_id", (json_int_t)child,
                          "subject_person_id", (json_int_t)subject, "subject_relationship",
                          subject_rel[i % 5], "relationship_detail",
                          "Spends time with the child at weekends (synthetic demo)", "received_via",
                          i % 2 ? "phone" : "in_person", "received_at", rts);
    struct domain_error err = {0};
    int64_t id = disclosure_create(s, b, om, now, &err);
    json_decref(b);
    if (id < 0)
        return fail("application", &err);

    int rc = 0;
    if (target >= 1)
        rc = stage(
            s, disclosure_initial_contact, id,
            json_pack("{s:s, s:b}", "note", "Spoke to the applicant by phone", "immediate_risk", 0),
            received + (i % 2 ? 6 : 30) * HOUR, om, now, "initial contact");
    if (rc == 0 && target >= 2)
        rc = stage(s, disclosure_face_to_face, id,
                   json_pack("{s:s, s:b}", "note", "Met the applicant at the station",
                             "identity_verified", 1),
                   received + (6 + i % 9) * DAY, om, now, "face to face");
    if (rc == 0 && target >= 3)
        rc = stage(s, disclosure_checks, id,
                   json_pack("{s:[{s:s, s:s}, {s:s, s:s}], s:s, s:s}", "checks", "kind", "pnc",
                             "result", i % 3 == 0 ? "Convictions recorded" : "No trace", "kind",
                             "local_intelligence", "result", "Nothing further held", "convictions",
                             i % 3 == 0 ? "yes" : "no", "summary", "Synthetic demo checks"),
                   received + 18 * DAY, om, now, "checks");
    bool disclose = i % 3 == 0;
    if (rc == 0 && target >= 4)
        rc = stage(s, disclosure_decide, id,
                   json_pack("{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "decision",
                             disclose ? "disclose" : "not_disclose", "reason",
                             disclose ? "Convictions for sexual offences against children; the "
                                        "child is at risk"
                                      : "No relevant convictions or intelligence",
                             "attendees", "name", "DS Demo Chair", "role",
                             "Chair (public "
                             "protection)",
                             "name", "Demo social worker", "role", "Children's social care"),
                   received + 28 * DAY, sup ? sup : om, now, "decision");
    if (rc == 0 && target >= 5 && disclose)
        rc = stage(s, disclosure_undertaking, id,
                   json_pack("{s:s, s:s, s:b}", "recipient_name", name, "recipient_relationship",
                             "The applicant, best placed to protect the child", "signed", 1),
                   received + 33 * DAY, om, now, "undertaking");
    if (rc == 0 && target >= 6 && disclose)
        rc = stage(s, disclosure_disclose, id,
                   json_pack("{s:s}", "content",
                             "Told that the subject has convictions for sexual offences against "
                             "children, and how to keep the child safe"),
                   received + 33 * DAY + HOUR, om, now, "disclosure");
    if (rc == 0 && target >= 7)
        rc = stage_at(s, disclosure_close, id,
                      json_pack("{s:s}", "outcome", disclose ? "disclosed" : "not_disclosed"),
                      "closed_at", received + 36 * DAY, om, now, "close");
    /* One immediate risk, found after the initial contact, still awaiting
     * the supervisor's action. */
    if (rc == 0 && i == 2)
        rc = stage_at(s, risk, id,
                      json_pack("{s:s}", "detail",
                                "The applicant says the subject is staying at the child's home "
                                "tonight (synthetic demo)"),
                      "found_at", now - 20 * 60, om, now, "immediate risk");
    return rc < 0 ? -1 : 0;
}

int disclosure_seed(struct store *s, int n, int64_t now)
{
    if (n <= 0)
        return 0;
    if (store_begin_write(s) != STORE_OK)
        return -1;
    struct stmt *st = store_prepare(s, SQL_SEED_ANY_CSOD);
    int any = st && stmt_step(st) == STORE_ROW;
    if (st)
        stmt_reset(st);
    if (!st || any) {
        store_rollback(s);
        return st ? 0 : -1;
    }
    struct user ou, su;
    const struct user *om = seed_demo_user(s, "offender_manager", &ou);
    const struct user *sup = seed_demo_user(s, "supervisor", &su);
    for (int i = 0; i < n; i++)
        if (seed_one(s, i, om, sup, now) < 0) {
            store_rollback(s);
            return -1;
        }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
