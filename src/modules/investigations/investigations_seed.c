/*
 * investigations_seed.c — demo teams, investigators and investigations
 * (safeguard seed --investigations N). The teams: a child abuse
 * investigation unit, an online child exploitation team and a local CID.
 * With --users, six synthetic investigators (detective_a ... detective_f,
 * the demo password) with profiles of varied competence and capacity, so the
 * Allocate page has something to weigh. Then, when the database holds no
 * investigation yet, up to N investigations in various states, each step
 * through the domain functions at its own simulated time: two waiting to be
 * allocated, one allocated outside the recommendation with its reason, a
 * risk to a child not yet shared, a key point awaiting its review, a stale
 * one, an overdue periodic review and a closed one.
 */
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/users.h"
#include "core/date.h"
#include "modules/investigations/investigations.h"
#include "modules/people/seed_pool.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define DAY  86400
#define HOUR 3600

/* Seed-only reads: existing investigations, and people to put on the cases. */
static const char SQL_SEED_ANY_INVESTIGATION[] = "SELECT id FROM investigation LIMIT 1";
static const char SQL_SEED_PEOPLE_BORN[] =
    "SELECT id FROM person WHERE dob IS NOT NULL AND dob > ? AND dob <= ? ORDER BY id LIMIT 16";

static const struct {
    const char *name, *specialisms[2], *area;
    int capacity;
} demo_teams[] = {
    {"Child Abuse Investigation Unit", {"child_abuse", NULL}, "North", 20},
    {"Online Child Exploitation Team", {"online_exploitation", "exploitation"}, "North", 8},
    {"Local CID", {"general", NULL}, "North", 30},
};

static const struct {
    const char *username, *display;
    int team, pip, specialist, abe, capacity;
} demo_detectives[] = {
    {"detective_a", "DC Alex Hartwell", 0, 2, 1, 1, 10},
    {"detective_b", "DC Bea Okonjo", 0, 1, 1, 1, 8},
    {"detective_c", "DS Cal Pennick", 0, 3, 1, 1, 4},
    {"detective_d", "DC Dana Ferrow", 1, 2, 0, 1, 8},
    {"detective_e", "DC Eli Marchbank", 2, 2, 0, 0, 12},
    {"detective_f", "DC Fay Lindqvist", 0, 2, 1, 0, 10},
};
#define NDET ((int)(sizeof(demo_detectives) / sizeof(demo_detectives[0])))

static int64_t team_id_by_name(struct store *s, const char *name)
{
    json_t *l = team_list(s);
    int64_t id = 0;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(l, "teams"), i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "name")), name) == 0)
            id = json_integer_value(json_object_get(t, "id"));
    }
    json_decref(l);
    return id;
}

static int fail(const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: %s: %s\n", what, err->message[0] ? err->message : "failed");
    domain_error_release(err);
    return -1;
}

static int seed_teams(struct store *s, int64_t *team_ids, int64_t now)
{
    for (size_t i = 0; i < sizeof(demo_teams) / sizeof(demo_teams[0]); i++) {
        team_ids[i] = team_id_by_name(s, demo_teams[i].name);
        if (team_ids[i])
            continue;
        json_t *specs = json_array();
        for (int k = 0; k < 2 && demo_teams[i].specialisms[k]; k++)
            json_array_append_new(specs, json_string(demo_teams[i].specialisms[k]));
        json_t *b =
            json_pack("{s:s, s:o, s:i, s:s}", "name", demo_teams[i].name, "specialisms", specs,
                      "capacity", demo_teams[i].capacity, "area", demo_teams[i].area);
        struct domain_error err = {0};
        team_ids[i] = team_create(s, b, now, &err);
        json_decref(b);
        if (team_ids[i] < 0)
            return fail("team", &err);
    }
    return 0;
}

/* The investigators' accounts (with --users) and, for those that exist, their
 * profiles when they have none. */
static int seed_detectives(struct store *s, const int64_t *team_ids, int users, int64_t now)
{
    char hash[PASSWORD_HASH_MAX];
    if (users && password_hash(USERS_DEMO_PASSWORD, hash) < 0)
        return -1;
    for (int i = 0; i < NDET; i++) {
        int64_t id = users_find(s, demo_detectives[i].username);
        struct domain_error err = {0};
        if (!id && users) {
            json_t *roles = json_pack("[s]", "investigator");
            id = users_create(s, demo_detectives[i].username, demo_detectives[i].display, hash,
                              roles, demo_teams[demo_detectives[i].team].name, "North", NULL, now,
                              &err);
            json_decref(roles);
            if (id < 0)
                return fail("investigator", &err);
            struct audit_entry e = {.at = now,
                                    .username = "cli",
                                    .action = "create",
                                    .record_type = "user",
                                    .record_id = id,
                                    .route = "cli seed --users",
                                    .remote_addr = "local"};
            if (audit_append(s, &e) != STORE_OK)
                return -1;
        }
        if (!id)
            continue;
        json_t *b = json_pack("{s:i, s:I, s:i, s:b, s:b, s:i}", "version", 0, "team_id",
                              (json_int_t)team_ids[demo_detectives[i].team], "pip_level",
                              demo_detectives[i].pip, "specialist_child_abuse",
                              demo_detectives[i].specialist, "abe_trained", demo_detectives[i].abe,
                              "capacity", demo_detectives[i].capacity);
        int rc = officer_profile_put(s, id, b, now, &err);
        json_decref(b);
        if (rc < 0 && err.status != 409) /* 409: a profile is already there */
            return fail("investigator profile", &err);
        domain_error_release(&err);
    }
    return 0;
}

/* Up to 16 people born between the two dates (YYYY-MM-DD), into ids. */
static int people_born(struct store *s, const char *after, const char *until, int64_t *ids)
{
    struct stmt *st = store_prepare(s, SQL_SEED_PEOPLE_BORN);
    if (!st)
        return 0;
    stmt_bind_text(st, 1, after);
    stmt_bind_text(st, 2, until);
    int n = 0;
    while (n < 16 && stmt_step(st) == STORE_ROW)
        ids[n++] = stmt_int(st, 0);
    stmt_reset(st);
    return n;
}

/* One demo case: opened `age` seconds ago, then what happens to it. */
enum demo_step {
    OPEN_ONLY,     /* waiting to be allocated */
    RECOMMENDED,   /* allocated to the recommended officer, reviewed */
    WITH_REASON,   /* allocated outside the recommendation, with the reason */
    RISK_UNSHARED, /* recommended; a risk to a child recorded, not yet shared */
    KEY_POINT,     /* recommended; charging decision awaiting its review */
    PERIODIC_LATE, /* recommended; allocation review done, the 28-day one not */
    CLOSED,        /* recommended; closure review; closed */
};

static const struct {
    const char *crime, *category, *plan;
    int complexity, age_days;
    enum demo_step step;
    const char *detective; /* WITH_REASON: who was chosen */
} demo_cases[] = {
    {"Sexual assault of a child under 13", "sexual_abuse",
     "ABE interview of the child; arrest and interview the suspect; digital download of his phone",
     2, 0, OPEN_ONLY, NULL},
    {"Neglect of two young children", "neglect",
     "Joint visit with children's social care; health checks; statements from the school", 1, 2,
     OPEN_ONLY, NULL},
    {"Online grooming through a gaming platform", "online_sexual_exploitation",
     "Preserve the platform's data; download the child's devices; identify the account holder", 2,
     9, RECOMMENDED, NULL},
    {"Unexplained bruising to a toddler", "physical_abuse",
     "Child protection medical; statements from both parents; nursery records", 1, 3, RISK_UNSHARED,
     NULL},
    {"County lines exploitation of a 15-year-old", "child_criminal_exploitation",
     "Map the line; phone downloads; safeguarding plan with the local authority", 3, 24,
     WITH_REASON, "detective_e"},
    {"Sexual abuse within the family", "sexual_abuse",
     "ABE interview; arrest; forensic examination; file to the CPS", 2, 40, KEY_POINT, NULL},
    {"Assault on a 14-year-old by a parent", "physical_abuse",
     "Statements; photographs of the injuries; interview the parent under caution", 1, 35,
     PERIODIC_LATE, NULL},
    {"Neglect: home conditions", "neglect",
     "Joint visit; photographs of the home; statements from health visitor", 1, 60, CLOSED, NULL},
};

static json_t *review_body(const char *trigger, const char *direction)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "trigger_point", trigger, "plan_quality",
                     "adequate", "actions_assessment",
                     "Initial actions under way; statements outstanding", "risk_assessment",
                     "The child is safe with the non-abusing parent for now", "victim_contact",
                     "Parent updated by phone", "direction", direction);
}

static int demo_case(struct store *s, int k, const struct user *sup, const int64_t *child,
                     int nchild, const int64_t *adult, int nadult, int64_t now)
{
    struct domain_error err = {0};
    int64_t t = now - (int64_t)demo_cases[k].age_days * DAY - 3 * HOUR;
    json_t *persons = json_array();
    if (nchild)
        json_array_append_new(persons, json_pack("{s:I, s:s}", "person_id",
                                                 (json_int_t)child[k % nchild], "role", "victim"));
    if (nadult)
        json_array_append_new(persons, json_pack("{s:I, s:s}", "person_id",
                                                 (json_int_t)adult[k % nadult], "role", "suspect"));
    json_t *b =
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:o}", "crime_type", demo_cases[k].crime, "category",
                  demo_cases[k].category, "complexity", demo_cases[k].complexity, "summary",
                  "Synthetic demo case: reported by the school's safeguarding lead", "plan",
                  demo_cases[k].plan, "persons", persons);
    int64_t id = investigation_create(s, b, sup, t, &err);
    json_decref(b);
    if (id < 0)
        return fail(demo_cases[k].crime, &err);
    enum demo_step step = demo_cases[k].step;
    if (step == OPEN_ONLY)
        return 0;
    /* Allocated a few hours after it was opened. */
    t += 4 * HOUR;
    json_t *r = investigation_ranking(s, id, &err);
    if (!r)
        return fail("ranking", &err);
    int64_t officer =
        json_integer_value(json_object_get(json_object_get(r, "recommended"), "officer_id"));
    json_decref(r);
    const char *reason = NULL;
    if (step == WITH_REASON) {
        officer = users_find(s, demo_cases[k].detective);
        reason = "Knows the family and the line from an earlier case; the exploitation team is "
                 "full this month";
    }
    if (!officer)
        return 0; /* no investigators to allocate to (seed without --users) */
    b = json_pack("{s:I, s:s?}", "officer_id", (json_int_t)officer, "reason", reason);
    int rc = investigation_allocate(s, id, b, sup, t, &err);
    json_decref(b);
    if (rc < 0)
        return fail("allocate", &err);
    struct user off;
    int disabled = 0;
    if (user_load(s, officer, &off, &disabled) < 0)
        return -1;
    /* The allocation review, within the day. */
    t += 6 * HOUR;
    b = review_body("allocation", "Complete the first statements within 7 days");
    rc = investigation_review(s, id, b, sup, t, &err);
    json_decref(b);
    if (rc < 0)
        return fail("review", &err);
    /* A first action, done; and one planned. */
    t += DAY;
    b = json_pack("{s:s}", "title", "Take the first witness statement");
    rc = investigation_add_action(s, id, b, &off, t, &err);
    json_decref(b);
    if (rc < 0)
        return fail("action", &err);
    char due[DATE_TEXT_LEN];
    struct civil_date d = date_of_ts(t + 5 * DAY);
    date_format(&d, due);
    b = json_pack("{s:s, s:s}", "title", "Obtain the school's records", "due_on", due);
    rc = investigation_add_action(s, id, b, &off, t, &err);
    json_decref(b);
    json_t *rec = rc < 0 ? NULL : investigation_get(s, id, sup, t);
    int64_t first = rec ? json_integer_value(json_object_get(
                              json_array_get(json_object_get(rec, "actions"), 0), "id"))
                        : 0;
    json_decref(rec);
    if (rc < 0 || !first)
        return fail("action", &err);
    if (step != WITH_REASON && investigation_action_done(s, id, first, &off, t + HOUR, &err) < 0)
        return fail("action done", &err);
    b = json_pack("{s:s}", "status", step == WITH_REASON ? "awaiting_forensics" : "active");
    rc = investigation_set_status(s, id, b, &off, t + 2 * HOUR, &err);
    json_decref(b);
    if (rc < 0)
        return fail("status", &err);
    if (step == RISK_UNSHARED) {
        b = json_pack("{s:s}", "detail",
                      "The child's father, the suspect, still visits the home at weekends");
        rc = investigation_record_risk(s, id, b, &off, now - 5 * HOUR, &err);
        json_decref(b);
        if (rc < 0)
            return fail("risk", &err);
    } else if (step == KEY_POINT) {
        b = json_pack("{s:s, s:s, s:s}", "status", "awaiting_charging_decision", "key_point",
                      "charge_decision", "note", "CPS authorised two charges");
        rc = investigation_set_status(s, id, b, &off, now - 30 * HOUR, &err);
        json_decref(b);
        if (rc < 0)
            return fail("key point", &err);
    } else if (step == CLOSED) {
        b = review_body("closure", "Close: no further action, the family is supported by early "
                                   "help");
        rc = investigation_review(s, id, b, sup, t + 10 * DAY, &err);
        json_decref(b);
        if (rc == 0) {
            b = json_pack("{s:s}", "outcome", "No further action: evidential test not met");
            rc = investigation_close(s, id, b, &off, t + 10 * DAY + HOUR, &err);
            json_decref(b);
        }
        if (rc < 0)
            return fail("close", &err);
    }
    return 0;
}

int investigations_seed(struct store *s, int n, int users, int64_t now)
{
    if (store_begin_write(s) != STORE_OK)
        return -1;
    int64_t team_ids[sizeof(demo_teams) / sizeof(demo_teams[0])];
    int rc = seed_teams(s, team_ids, now);
    if (rc == 0)
        rc = seed_detectives(s, team_ids, users, now);
    struct stmt *st = rc == 0 ? store_prepare(s, SQL_SEED_ANY_INVESTIGATION) : NULL;
    bool any = st && stmt_step(st) == STORE_ROW;
    if (st)
        stmt_reset(st);
    struct user su;
    const struct user *sup = seed_demo_user(s, "supervisor", &su);
    if (rc == 0 && !any && sup) {
        /* Children under 16 and adults, as the demo clock sees them. */
        struct civil_date today = date_of_ts(ts_uk_local(now)), from = today, until = today;
        char a[DATE_TEXT_LEN], b[DATE_TEXT_LEN];
        int64_t child[16], adult[16];
        from.year -= 16;
        until.year -= 1;
        date_format(&from, a);
        date_format(&until, b);
        int nchild = people_born(s, a, b, child);
        from.year = today.year - 60;
        until.year = today.year - 21;
        date_format(&from, a);
        date_format(&until, b);
        int nadult = people_born(s, a, b, adult);
        int count = (int)(sizeof(demo_cases) / sizeof(demo_cases[0]));
        for (int k = 0; k < count && k < n && rc == 0; k++)
            rc = demo_case(s, k, sup, child, nchild, adult, nadult, now);
    }
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
