/*
 * offenders_seed.c — demo registered sex offenders (safeguard seed
 * --offenders N). When the database holds no offender yet: N synthetic
 * adults at invented addresses, each registered through the domain with a
 * conviction or caution of a varying disposal, an ARMS assessment of each
 * level in turn, a plan (some with a visit frequency, some on the
 * fallback), visits (some recent, some long ago so they are overdue),
 * notifications, two under reactive management (one with intelligence
 * awaiting review), one living with a synthetic child, and briefing
 * concerns in two areas. Acts as the demo offender manager when there is
 * one (safeguard seed --users). One transaction: all or nothing.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/offenders/offenders.h"
#include "modules/offenders/offenders_internal.h"
#include "modules/people/people.h"
#include "modules/people/seed_data.h"
#include "modules/people/seed_pool.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

static const char SQL_SEED_ANY_OFFENDER[] = "SELECT id FROM offender LIMIT 1";

static const char *const areas[] = {"North", "South"};
static const char *const offences[] = {
    "Sexual assault (SOA 2003 s3)", "Making indecent photographs of a child",
    "Sexual communication with a child", "Voyeurism (SOA 2003 s67)",
    "Possession of indecent images of children"};

static int fail(const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: offenders: %s: %s\n", what,
            err->message[0] ? err->message : "failed");
    domain_error_release(err);
    return -1;
}

/* A date days before now, UK. */
static void days_ago(int64_t now, int days, char out[DATE_TEXT_LEN])
{
    offenders_today(now - (int64_t)days * DAY, out);
}

static int64_t make_person(struct store *s, int i, int child, const char *line1,
                           const char *postcode, int64_t now)
{
    const struct seed_list *given = i % 3 == 0 ? &seed_given_female : &seed_given_male;
    char dob[DATE_TEXT_LEN];
    days_ago(now, child ? 365 * 9 + i : 365 * (30 + i % 35) + i * 7, dob);
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s, s:s, s:s}]}", "given_name",
                          given->items[(i * 7 + child) % given->count], "family_name",
                          seed_family.items[(i * 13 + 5) % seed_family.count], "dob", dob,
                          "dob_accuracy", "exact", "confirmed_new", 1, "addresses", "line1", line1,
                          "town", "Exampleton", "postcode", postcode, "valid_from", "2020-01-01");
    struct domain_error err = {0};
    int64_t id = person_create(s, b, now, NULL, &err);
    json_decref(b);
    return id < 0 ? fail("person", &err) : id;
}

static int seed_one(struct store *s, int i, const struct user *om, int64_t now)
{
    char line1[80], postcode[12], reg[DATE_TEXT_LEN], convicted[DATE_TEXT_LEN];
    snprintf(line1, sizeof(line1), "%d %s", 10 + i, seed_streets.items[i % seed_streets.count]);
    snprintf(postcode, sizeof(postcode), "EX%d %dRS", 1 + i % 9, 1 + i % 8);
    int64_t pid = make_person(s, i, 0, line1, postcode, now);
    if (pid < 0)
        return -1;
    /* One offender lives with a child: the child is on the register too. */
    if (i == 2 && make_person(s, i, 1, line1, postcode, now) < 0)
        return -1;
    days_ago(now, 200 + i * 37, reg);
    days_ago(now, 230 + i * 37, convicted);
    static const char *const disposals[] = {"custody", "custody", "custody", "caution", "other"};
    static const int custody[] = {36, 12, 4, 0, 0};
    const char *disposal = disposals[i % 5];
    json_t *conv = json_pack("{s:s, s:s, s:s}", "offence", offences[i % 5], "convicted_on",
                             convicted, "disposal", disposal);
    if (strcmp(disposal, "custody") == 0)
        json_object_set_new(conv, "custody_months", json_integer(custody[i % 5]));
    json_t *b = json_pack("{s:I, s:s, s:s, s:[o]}", "person_id", (json_int_t)pid, "registered_on",
                          reg, "area", areas[i % 2], "convictions", conv);
    if (om)
        json_object_set_new(b, "offender_manager_id", json_integer(om->id));
    if (i % 4 != 3) {
        char photo[32];
        snprintf(photo, sizeof(photo), "CUST-PHOTO-%05d", 100 + i);
        json_object_set_new(b, "photo_ref", json_string(photo));
        json_object_set_new(b, "mappa_category", json_integer(1));
        json_object_set_new(b, "mappa_level", json_integer(1 + i % 3));
    }
    struct domain_error err = {0};
    int64_t id = offender_create(s, b, om, now, &err);
    json_decref(b);
    if (id < 0)
        return fail("register", &err);

    /* The home address notified the day after registration. */
    char on[DATE_TEXT_LEN];
    days_ago(now, 199 + i * 37, on);
    b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "home_address", "detail",
                  "Home address notified at the station", "notified_on", on, "event_on", reg,
                  "line1", line1, "postcode", postcode);
    int rc = offender_notify(s, id, b, om, now, &err);
    json_decref(b);
    if (rc < 0)
        return fail("notification", &err);

    /* Risk: each level in turn, assessed a while ago. */
    days_ago(now, 150 + (i % 4) * 20, on);
    b = json_pack("{s:s, s:s, s:s}", "level", offender_risk_levels[i % 4], "assessed_on", on,
                  "summary", "ARMS: dynamic risk and protective factors reviewed");
    rc = offender_assess_risk(s, id, b, om, now, &err);
    json_decref(b);
    if (rc < 0)
        return fail("risk", &err);
    /* A plan: every other offender's sets the visit frequency. */
    b = json_pack("{s:s}", "summary", "Risk management plan agreed with MAPPA partners");
    if (i % 2 == 0)
        json_object_set_new(b, "visit_months", json_integer(1 + i % 4));
    rc = offender_review_plan(s, id, b, om, now, &err);
    json_decref(b);
    if (rc < 0)
        return fail("plan", &err);
    /* A visit: recent for most, long ago (overdue now) for every third. */
    days_ago(now, i % 3 == 0 ? 170 : 10 + i, on);
    b = json_pack("{s:s, s:s, s:s}", "kind", i % 2 ? "unannounced" : "announced", "done_on", on,
                  "findings", "Seen at home; no children present; devices checked");
    rc = offender_add_visit(s, id, b, om, now, &err);
    json_decref(b);
    if (rc < 0)
        return fail("visit", &err);

    /* Two low-risk offenders under reactive management, one with
     * intelligence awaiting review. */
    if (i % 4 == 3 && i < 8) {
        b = json_pack("{s:b, s:s, s:s, s:s}", "eligible", 1, "criteria",
                      "Low risk, compliant for two years, no intelligence", "decision", "reactive",
                      "reason", "Meets the force's reactive management criteria");
        rc = offender_decide_management(s, id, b, om, now, &err);
        json_decref(b);
        if (rc < 0)
            return fail("reactive", &err);
        if (i == 3) {
            b = json_pack("{s:s, s:s}", "kind", "contact_with_children", "summary",
                          "Seen near a primary school at home time (synthetic)");
            rc = offender_add_intelligence(s, id, b, om, now, &err);
            json_decref(b);
            if (rc < 0)
                return fail("intelligence", &err);
        }
    }
    /* Concerns for local officers in the first few. */
    if (i < 4) {
        b = json_pack("{s:s, s:s, s:s}", "risk_summary",
                      "Targets lone children in parks; breached SHPO conditions before", "look_for",
                      "Loitering near play areas; a grey hatchback", "if_seen",
                      "Do not approach alone; call the offender manager via the control room");
        rc = offender_raise_concern(s, id, b, om, now, &err);
        json_decref(b);
        if (rc < 0)
            return fail("concern", &err);
    }
    return 0;
}

int offenders_seed(struct store *s, int n, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_SEED_ANY_OFFENDER);
    if (!st)
        return -1;
    int any = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    if (any)
        return 0;
    struct user mu;
    const struct user *om = seed_demo_user(s, "offender_manager", &mu);
    if (store_begin_write(s) != STORE_OK)
        return -1;
    for (int i = 0; i < n; i++)
        if (seed_one(s, i, om, now) < 0) {
            store_rollback(s);
            return -1;
        }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
