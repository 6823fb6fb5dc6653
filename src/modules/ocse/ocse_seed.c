/*
 * ocse_seed.c — demo online referrals (safeguard seed --online-referrals N).
 * When the database holds no online referral yet: three synthetic
 * households made through the people domain (a registered sex offender
 * living with a child, an adult living with a child, a registered sex
 * offender living alone), then N referrals received over the last month,
 * imported as one JSON batch through ocse_import() with invented
 * identifiers from the ranges kept for documentation (example.org and
 * example.net addresses, 192.0.2.x, 198.51.100.x and 203.0.113.x, 07700
 * 900xxx), two of them sharing an account. Then, as the demo OCSET analyst
 * when there is one: some suspects identified (the households and people
 * already held), some risk factors assessed, one escalated into an
 * investigation and a safeguarding referral, some actioned; so the queue
 * shows every band, reasons, due and overdue times.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/ocse/ocse.h"
#include "modules/people/people.h"
#include "modules/people/seed_pool.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY  86400
#define HOUR 3600

/* Seed-only reads. */
static const char SQL_SEED_ANY_OCSE[] = "SELECT id FROM online_referral LIMIT 1";
static const char SQL_SEED_OCSE_BY_REF[] =
    "SELECT id FROM online_referral WHERE source = ? AND source_reference = ?";

static const char *const platforms[] = {"ChatApp", "PhotoShare", "StreamNow", "GameLobby",
                                        "ForumX"};
static const char *const categories[] = {"indecent_images", "grooming", "sextortion",
                                         "live_streaming", "other"};
static const char *const sources[] = {"NCA CEOP", "NCA CEOP", "IWF"};

/* The households: an adult (the suspect) and, for two, a child at the same
 * address. Synthetic people at invented addresses. */
static const struct {
    const char *given, *family, *dob, *line1, *postcode, *child_given, *child_dob;
    int offender;
} households[] = {
    {"Brandon", "Quillfeather", "1976-02-11", "14 Example Terrace", "EX3 4QQ", "Maisie",
     "2016-07-21", 1},
    {"Lorcan", "Pettigrew-Hale", "1988-10-30", "3 Sample Mews", "EX5 2WW", "Alfie", "2019-01-09",
     0},
    {"Dermot", "Ashgrove", "1969-05-05", "27 Specimen Road", "EX7 8YY", NULL, NULL, 1},
};
#define NHOUSE ((int)(sizeof(households) / sizeof(households[0])))

static int fail(const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: online referrals: %s: %s\n", what,
            err->message[0] ? err->message : "failed");
    domain_error_release(err);
    return -1;
}

static int64_t make_person(struct store *s, const char *given, const char *family, const char *dob,
                           const char *line1, const char *postcode, int offender, int64_t now)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s, s:s, s:s}]}", "given_name",
                          given, "family_name", family, "dob", dob, "dob_accuracy", "exact",
                          "confirmed_new", 1, "addresses", "line1", line1, "town", "Exampleton",
                          "postcode", postcode, "valid_from", "2021-03-01");
    if (offender)
        json_object_set_new(b, "flags",
                            json_pack("[{s:s, s:s}]", "flag", "registered_sex_offender",
                                      "valid_from", "2019-06-01"));
    struct domain_error err = {0};
    int64_t id = person_create(s, b, now, NULL, &err);
    json_decref(b);
    if (id < 0)
        return fail("person", &err);
    return id;
}

/* The batch: n referrals received over the 30 days before now. */
static json_t *demo_batch(int n, int64_t now)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        char ref[32], received[TS_TEXT_LEN], seen[TS_TEXT_LEN], v[64], summary[160];
        snprintf(ref, sizeof(ref), "DEMO-%05d", 1000 + i);
        /* The first few arrive today; the rest spread back over a month. */
        int64_t at = now - (i < 6 ? (int64_t)(i + 1) * HOUR
                                  : (int64_t)(i * 17 % 30) * DAY + (int64_t)(i % 9) * HOUR);
        ts_format(at, received);
        ts_format(at - 2 * DAY, seen);
        const char *cat = categories[i % 5];
        snprintf(summary, sizeof(summary), "Synthetic demo report %d from %s", i + 1,
                 platforms[i % 5]);
        json_t *ids = json_array();
        /* Referrals 0 and 6 report the same account. */
        snprintf(v, sizeof(v), "demo.user%03d@%s", i == 6 ? 0 : i,
                 i % 2 ? "example.net" : "example.org");
        json_array_append_new(ids, json_pack("{s:s, s:s}", "kind", "email", "value", v));
        static const char *const nets[] = {"192.0.2", "198.51.100", "203.0.113"};
        snprintf(v, sizeof(v), "%s.%d", nets[i % 3], 10 + i % 240);
        json_array_append_new(
            ids, json_pack("{s:s, s:s, s:s}", "kind", "ip", "value", v, "seen_at", seen));
        if (i % 3 == 0) {
            snprintf(v, sizeof(v), "07700 900%03d", i % 1000);
            json_array_append_new(ids, json_pack("{s:s, s:s}", "kind", "phone", "value", v));
        }
        if (i % 4 == 1) {
            snprintf(v, sizeof(v), "demo_handle_%d", i);
            json_array_append_new(ids, json_pack("{s:s, s:s}", "kind", "username", "value", v));
        }
        /* The first referrals also give a household's postcode. */
        if (i < NHOUSE)
            json_array_append_new(
                ids, json_pack("{s:s, s:s}", "kind", "postcode", "value", households[i].postcode));
        json_array_append_new(
            arr,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "source", sources[i % 3],
                      "source_reference", ref, "received_at", received, "platform",
                      platforms[i % 5], "content_category", cat, "summary", summary, "enquiries",
                      "Subscriber checks on the account and the IP address", "identifiers", ids));
    }
    return arr;
}

static int64_t referral_id(struct store *s, int i)
{
    char ref[32];
    snprintf(ref, sizeof(ref), "DEMO-%05d", 1000 + i);
    struct stmt *st = store_prepare(s, SQL_SEED_OCSE_BY_REF);
    if (!st)
        return 0;
    stmt_bind_text(st, 1, sources[i % 3]);
    stmt_bind_text(st, 2, ref);
    int64_t id = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    return id;
}

/* One change through the domain: fn(referral i, body). */
typedef int (*change_fn)(struct store *, int64_t, const json_t *, const struct user *, int64_t,
                         struct domain_error *);
static int change(struct store *s, change_fn fn, int i, json_t *b, const struct user *u,
                  int64_t now, const char *what)
{
    int64_t id = referral_id(s, i);
    struct domain_error err = {0};
    int rc = id ? fn(s, id, b, u, now, &err) : -1;
    json_decref(b);
    if (rc < 0)
        return fail(what, &err);
    return 0;
}

static json_t *factors(int contact, int escalation, int convictions, int role)
{
    return json_pack("{s:b, s:b, s:b, s:b}", "contact_offending", contact, "escalation", escalation,
                     "previous_convictions", convictions, "role_with_children", role);
}

static int seed_all(struct store *s, int n, int64_t now)
{
    struct user au;
    const struct user *analyst = seed_demo_user(s, "ocse_analyst", &au);
    int64_t suspect[NHOUSE];
    for (int h = 0; h < NHOUSE; h++) {
        suspect[h] =
            make_person(s, households[h].given, households[h].family, households[h].dob,
                        households[h].line1, households[h].postcode, households[h].offender, now);
        if (suspect[h] < 0)
            return -1;
        if (households[h].child_given &&
            make_person(s, households[h].child_given, households[h].family, households[h].child_dob,
                        households[h].line1, households[h].postcode, 0, now) < 0)
            return -1;
    }
    json_t *batch = demo_batch(n, now);
    char *text = json_dumps(batch, JSON_COMPACT);
    json_decref(batch);
    if (!text)
        return -1;
    struct domain_error err = {0};
    int made = ocse_import(s, "json", text, analyst, now, &err);
    free(text);
    if (made < 0)
        return fail("import", &err);
    /* Adults already held, to identify as the suspects of two more. */
    struct seed_pool children = {0}, adults = {0};
    if (seed_find_people(s, now, 0, NULL, &children, &adults) < 0) {
        free(children.ids);
        free(adults.ids);
        return -1;
    }
    int64_t known[2] = {adults.n > 0 ? adults.ids[0] : 0, adults.n > 1 ? adults.ids[1] : 0};
    free(children.ids);
    free(adults.ids);
    int rc = 0;
    /* Identified: a household each for referrals 0-2 (very high, high,
     * medium), people already held for 3 and 4. */
    for (int i = 0; i < NHOUSE && i < n && rc == 0; i++)
        rc = change(s, ocse_resolve, i, json_pack("{s:I}", "person_id", (json_int_t)suspect[i]),
                    analyst, now, "resolve");
    for (int k = 0; k < 2 && NHOUSE + k < n && known[k] && rc == 0; k++)
        rc = change(s, ocse_resolve, NHOUSE + k,
                    json_pack("{s:I}", "person_id", (json_int_t)known[k]), analyst, now, "resolve");
    /* Assessed: contact offending and escalation (high), previous
     * convictions (still low), contact offending alone (medium). */
    if (rc == 0 && n > 3)
        rc = change(s, ocse_set_factors, 3, factors(1, 1, 0, 0), analyst, now, "assess");
    if (rc == 0 && n > 4)
        rc = change(s, ocse_set_factors, 4, factors(0, 0, 1, 0), analyst, now, "assess");
    if (rc == 0 && n > 5)
        rc = change(s, ocse_set_factors, 5, factors(1, 0, 0, 0), analyst, now, "assess");
    /* Escalated (needs a user to open the investigation): the household
     * with a child, so one safeguarding referral is drafted. The very high
     * one is left for the demo. */
    if (rc == 0 && analyst && n > 1)
        rc = change(s, ocse_escalate, 1, json_object(), analyst, now, "escalate");
    /* Actioned: a few of the older ones leave the queue. */
    for (int i = 10; i < n && i < 40 && rc == 0; i += 9)
        rc = change(s, ocse_action, i,
                    json_pack("{s:s, s:s}", "action", i % 2 ? "visit" : "warrant", "note",
                              "Devices seized for examination"),
                    analyst, now, "action");
    return rc;
}

int ocse_seed(struct store *s, int n, int64_t now)
{
    if (n <= 0)
        return 0;
    if (store_begin_write(s) != STORE_OK)
        return -1;
    struct stmt *st = store_prepare(s, SQL_SEED_ANY_OCSE);
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
