/*
 * custody_seed.c — demo custody records (safeguard seed --custody N). When
 * the database holds no custody record yet: N synthetic children (invented
 * names at invented addresses, made through the people domain) booked in
 * over the weeks before the clock, each worked through the custody domain as
 * the demo custody sergeant when there is one: appropriate adults prompt and
 * late (with the delay attributed), welfare needs and an exploitation
 * concern with its referral drafted, outcomes of every kind, transfers
 * requested, accepted, refused and unanswered, an s38(7) certificate and a
 * child held overnight. Then two children still in custody: one waiting for
 * an appropriate adult (the clock running) and a 15-year-old charged and
 * refused bail whose transfer was requested in the same step.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/custody/custody.h"
#include "modules/people/people.h"
#include "modules/people/seed_pool.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MIN  60
#define HOUR 3600

static const char SQL_SEED_ANY_CUSTODY[] = "SELECT id FROM custody_record LIMIT 1";

static const char *const given[] = {"Kian", "Tayla", "Brodie", "Esme",  "Jaxon", "Mali",
                                    "Rory", "Skye",  "Deon",   "Lacey", "Ozzy",  "Nell"};
static const char *const family[] = {"Fenwright", "Cobbledick", "Hartsorrel", "Quennell",
                                     "Marlowby",  "Tiddeman",   "Ashcombe",   "Penhallow"};
static const char *const authorities[] = {"Eastshire County Council", "Westbury City Council",
                                          "Northvale Borough Council"};

static int fail(const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: custody: %s: %s\n", what,
            err->message[0] ? err->message : "failed");
    domain_error_release(err);
    return -1;
}

static void ts_at(int64_t t, char out[TS_TEXT_LEN])
{
    ts_format(t, out);
}

/* A synthetic child aged `age` on the clock's date. */
static int64_t make_child(struct store *s, int i, int age, int64_t now)
{
    struct civil_date today = date_of_ts(now), dob = today;
    dob.year -= age;
    dob.month = 1 + (i * 5) % 12;
    dob.day = 1 + (i * 7) % 28;
    /* A birthday still to come this year would make them a year younger. */
    if (dob.month > today.month || (dob.month == today.month && dob.day > today.day))
        dob.year -= 1;
    char dob_text[DATE_TEXT_LEN], line1[80];
    date_format(&dob, dob_text);
    snprintf(line1, sizeof(line1), "%d Demo Close", 3 + i);
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s, s:s, s:s}]}", "given_name",
                          given[i % 12], "family_name", family[(i / 2) % 8], "dob", dob_text,
                          "dob_accuracy", "exact", "confirmed_new", 1, "addresses", "line1", line1,
                          "town", "Exampleton", "postcode", "EX9 4CU", "valid_from", "2020-01-01");
    struct domain_error err = {0};
    int64_t id = person_create(s, b, now, NULL, &err);
    json_decref(b);
    return id < 0 ? fail("person", &err) : id;
}

/* One step through the domain at time t (the body takes "at" unless it
 * names its own time). */
static int step(struct store *s,
                int (*fn)(struct store *, int64_t, const json_t *, const struct user *, int64_t,
                          struct domain_error *),
                int64_t id, json_t *b, int64_t t, const struct user *u, int64_t now,
                const char *what)
{
    char at[TS_TEXT_LEN];
    ts_at(t, at);
    if (!json_object_get(b, "at"))
        json_object_set_new(b, "at", json_string(at));
    struct domain_error err = {0};
    int rc = fn(s, id, b, u, now, &err);
    json_decref(b);
    return rc < 0 ? fail(what, &err) : 0;
}

static int64_t book(struct store *s, int64_t pid, int64_t t, int age, const char *la,
                    const struct user *u, int64_t now)
{
    char at[TS_TEXT_LEN];
    ts_at(t, at);
    json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "person_id", (json_int_t)pid,
                          "arrived_at", at, "suite", "Demo Central custody suite", "grounds",
                          "Arrested on suspicion of an offence; detention authorised to obtain "
                          "evidence by questioning",
                          "local_authority", la, "stated_age", age, "apparent_age", age);
    struct domain_error err = {0};
    int64_t id = custody_create(s, b, u, now, &err);
    json_decref(b);
    return id < 0 ? fail("book in", &err) : id;
}

static json_t *aa(const char *source, const char *name, const char *role)
{
    return json_pack("{s:s, s:s, s:s}", "source", source, "name", name, "declared_role", role);
}

/* One finished record; kind = i % 5. */
static int past_record(struct store *s, int i, const struct user *u, int64_t now)
{
    int age = 12 + i % 6;
    const char *la = authorities[i % 3];
    int64_t pid = make_child(s, i, age, now);
    if (pid < 0)
        return -1;
    /* Arrivals every 31 hours back from two days ago, at varied times. */
    int64_t t0 = now - 2 * 86400 - (int64_t)i * 31 * HOUR;
    int64_t id = book(s, pid, t0, age, la, u, now);
    if (id < 0)
        return -1;
    int kind = i % 5, rc = 0;
    bool late = kind == 1 || kind == 3;
    const char *src = kind == 1 ? "scheme" : kind == 3 ? "local_authority" : "family";
    rc |= step(s, custody_responsible_adult, id, json_pack("{s:s}", "who", "Parent, by phone"),
               t0 + 15 * MIN, u, now, "parent");
    rc |= step(s, custody_aa_request, id,
               aa(src, kind == 0 ? "Parent" : "Duty appropriate adult",
                  kind == 0   ? "parent"
                  : kind == 3 ? "social_worker"
                              : "aa_scheme_volunteer"),
               t0 + 20 * MIN, u, now, "aa request");
    json_t *arr = late ? json_pack("{s:s, s:s}", "delay_cause", src, "delay_reason",
                                   kind == 1 ? "No volunteer on the overnight rota"
                                             : "Emergency duty team covering two suites")
                       : json_object();
    rc |= step(s, custody_aa_arrival, id, arr, t0 + 20 * MIN + (late ? 170 : 55) * MIN, u, now,
               "aa arrival");
    rc |= step(s, custody_welfare, id,
               kind == 2
                   ? json_pack("{s:s, s:b, s:b, s:s}", "health", "Asthma; inhaler brought",
                               "exploitation_concern", 1, "welfare_concern", 0, "concern_detail",
                               "Found with cash and two phones far from home: possible "
                               "criminal exploitation")
                   : json_pack("{s:s, s:b, s:b}", "health", "No needs declared",
                               "exploitation_concern", 0, "welfare_concern", 0),
               t0 + 30 * MIN, u, now, "welfare");
    rc |= step(s, custody_visit, id, json_pack("{s:s}", "condition", "Awake, calm, given a drink"),
               t0 + 45 * MIN, u, now, "visit");
    rc |= step(s, custody_legal_advice, id, json_pack("{s:s}", "status", "requested"),
               t0 + 25 * MIN, u, now, "legal");
    rc |= step(s, custody_interview, id, json_pack("{s:s}", "note", "Interviewed under caution"),
               t0 + 4 * HOUR, u, now, "interview");
    rc |= step(s, custody_review, id,
               json_pack("{s:s, s:s}", "decision", "continue", "note", "Enquiries continuing"),
               t0 + 5 * HOUR + 40 * MIN, u, now, "review");
    if (rc)
        return -1;
    if (kind == 2) {
        struct domain_error err = {0};
        json_t *none = json_object();
        int64_t ref = custody_raise_referral(s, id, none, u, now, &err);
        json_decref(none);
        if (ref < 0)
            return fail("referral", &err);
    }
    int64_t charged = t0 + 7 * HOUR;
    switch (kind) {
    case 1: /* charged, refused bail; accepted and moved the same evening */
        rc |= step(s, custody_outcome, id,
                   json_pack("{s:s, s:s, s:s, s:s}", "outcome", "charged_refused_bail",
                             "transfer_accommodation", "non_secure", "transfer_la", la,
                             "transfer_contact", "Emergency duty team"),
                   charged, u, now, "outcome");
        rc |= step(s, custody_la_answer, id, json_pack("{s:s}", "answer", "accepted"),
                   charged + 40 * MIN, u, now, "answer");
        rc |=
            step(s, custody_transferred, id, json_object(), charged + 2 * HOUR, u, now, "transfer");
        break;
    case 3: /* charged, refused bail; no answer, certified, held until court */
        rc |= step(s, custody_outcome, id,
                   json_pack("{s:s, s:s, s:s}", "outcome", "charged_refused_bail",
                             "transfer_accommodation", "secure", "transfer_la", la),
                   charged, u, now, "outcome");
        rc |= step(s, custody_la_answer, id,
                   json_pack("{s:s, s:s}", "answer", i % 2 ? "no_answer" : "refused", "detail",
                             "No secure bed available in the region"),
                   charged + 90 * MIN, u, now, "answer");
        rc |= step(s, custody_certify, id,
                   json_pack("{s:s, s:s}", "reason", "impracticable", "detail",
                             "The local authority could not provide accommodation before the "
                             "court sits; no carer able to take the child"),
                   charged + 2 * HOUR, u, now, "certificate");
        rc |= step(s, custody_release, id, json_pack("{s:s}", "released_to", "Youth court"),
                   charged + 18 * HOUR, u, now, "release");
        break;
    default:
        rc |= step(s, custody_outcome, id,
                   json_pack("{s:s}", "outcome", kind == 0 ? "bailed" : "released"), charged, u,
                   now, "outcome");
    }
    return rc ? -1 : 0;
}

static int seed_all(struct store *s, int n, int64_t now)
{
    struct user su;
    const struct user *u = seed_demo_user(s, "custody_sergeant", &su);
    for (int i = 0; i < n - 2; i++)
        if (past_record(s, i, u, now) < 0)
            return -1;
    if (n < 1)
        return 0;
    /* Still waiting for an appropriate adult: the clock is running. */
    int64_t pid = make_child(s, 40, 14, now);
    int64_t id = pid < 0 ? -1 : book(s, pid, now - 90 * MIN, 14, authorities[1], u, now);
    if (id < 0 || step(s, custody_aa_request, id,
                       aa("scheme", "Duty appropriate adult", "aa_scheme_volunteer"),
                       now - 70 * MIN, u, now, "aa request") < 0)
        return -1;
    if (n < 2)
        return 0;
    /* The 15-year-old charged and refused bail, transfer requested in the
     * same step, awaiting the local authority. */
    pid = make_child(s, 41, 15, now);
    id = pid < 0 ? -1 : book(s, pid, now - 5 * HOUR, 15, authorities[0], u, now);
    if (id < 0)
        return -1;
    int rc = step(s, custody_aa_request, id,
                  aa("local_authority", "Duty social worker", "social_worker"), now - 280 * MIN, u,
                  now, "aa request");
    rc |= step(s, custody_aa_arrival, id,
               json_pack("{s:s, s:s}", "delay_cause", "local_authority", "delay_reason",
                         "Out-of-hours team attending another station first"),
               now - 3 * HOUR, u, now, "aa arrival");
    rc |= step(s, custody_interview, id, json_pack("{s:s}", "note", "Interviewed with the AA"),
               now - 2 * HOUR, u, now, "interview");
    rc |= step(s, custody_outcome, id,
               json_pack("{s:s, s:s, s:s, s:s}", "outcome", "charged_refused_bail",
                         "transfer_accommodation", "non_secure", "transfer_la", authorities[0],
                         "transfer_contact", "Emergency duty team, by phone"),
               now - 50 * MIN, u, now, "outcome");
    return rc ? -1 : 0;
}

int custody_seed(struct store *s, int n, int64_t now)
{
    if (n <= 0)
        return 0;
    if (store_begin_write(s) != STORE_OK)
        return -1;
    struct stmt *st = store_prepare(s, SQL_SEED_ANY_CUSTODY);
    int any = st && stmt_step(st) == STORE_ROW;
    if (st)
        stmt_reset(st);
    if (!st || any) {
        store_rollback(s);
        return st ? 0 : -1;
    }
    if (seed_all(s, n, now) < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
