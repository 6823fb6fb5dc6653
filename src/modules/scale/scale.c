/*
 * scale.c — the force-scale seeder's core (see scale.h): the plans, the
 * random stream, people and user pools, batched transactions, tasks from the
 * rule table, the audit trail, and the order the areas are loaded in. The
 * areas live in scale_<area>.c.
 *
 * Speed comes from three things: prepared INSERTs of whole rows, a commit
 * every SC_BATCH rows, and secondary indexes dropped before the load and
 * built once after it (store_defer_indexes), which is several times faster
 * than maintaining them row by row.
 */
#include "modules/scale/scale_internal.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/users.h"
#include "modules/people/people_seed.h"
#include "modules/people/seed_data.h"
#include "modules/scale/scale_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SC_BATCH 20000
#define DAY      86400LL

/* clang-format off */
static const struct scale_plan plans[] = {
    {"tiny",   1000,    1500,    60,    150,    100,    5,    3,    40,    3},
    {"small",  10000,   15000,   600,   1500,   1000,   50,   30,   400,   4},
    {"medium", 100000,  150000,  6000,  15000,  10000,  500,  300,  4000,  12},
    {"large",  1000000, 1500000, 60000, 150000, 100000, 5000, 3000, 40000, 40},
};
/* clang-format on */

const struct scale_plan *scale_plan_named(const char *name)
{
    for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++)
        if (strcmp(plans[i].name, name) == 0)
            return &plans[i];
    return NULL;
}

/* ---- random stream and pools ---------------------------------------------- */

uint64_t sc_next(struct scale *sc)
{
    uint64_t z = (sc->rng += 0x9e3779b97f4a7c15ull); /* splitmix64, as the people seed */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

unsigned sc_pick(struct scale *sc, unsigned n)
{
    return n ? (unsigned)(sc_next(sc) % n) : 0;
}

int sc_chance(struct scale *sc, double percent)
{
    return (double)(sc_next(sc) % 1000000) < percent * 10000.0;
}

static int64_t from_pool(struct scale *sc, const struct sc_pool *p)
{
    if (!p->n)
        return 0;
    size_t head = p->n / 33 + 1; /* the first 3% draw a third of the events */
    return sc_chance(sc, 33) ? p->ids[sc_pick(sc, (unsigned)head)]
                             : p->ids[sc_pick(sc, (unsigned)p->n)];
}

int64_t sc_child(struct scale *sc)
{
    return from_pool(sc, &sc->children);
}

int64_t sc_adult(struct scale *sc)
{
    return from_pool(sc, &sc->adults);
}

int sc_age(const struct scale *sc, int64_t id, int64_t t)
{
    if (id < 1 || id > sc->max_person || sc->dob_days[id] == INT32_MIN)
        return -1;
    struct civil_date dob = date_from_days(sc->dob_days[id]), on = date_of_ts(t);
    return age_on(&dob, &on);
}

static int pool_add(struct sc_pool *p, int64_t id)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        int64_t *v = realloc(p->ids, cap * sizeof(*v));
        if (!v)
            return -1;
        p->ids = v;
        p->cap = cap;
    }
    p->ids[p->n++] = id;
    return 0;
}

int64_t sc_user(struct scale *sc, enum sc_role role, int team, int *team_out)
{
    const struct sc_pool *p = &sc->users[role];
    if (!p->n)
        return 0;
    size_t i = sc_pick(sc, (unsigned)p->n);
    if (team >= 0) /* users are created team by team: look near for one of team's */
        for (size_t k = 0; k < p->n; k++)
            if (sc->user_team[role][(i + k) % p->n] == team) {
                i = (i + k) % p->n;
                break;
            }
    if (team_out)
        *team_out = sc->user_team[role][i];
    return p->ids[i];
}

const char *sc_team_name(const struct scale *sc, int team)
{
    return team >= 0 && team < sc->teams ? sc->team_names[team] : NULL;
}

int sc_team_of_name(const struct scale *sc, const char *name)
{
    for (int i = 0; name && i < sc->teams; i++)
        if (strcmp(sc->team_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- rows, tasks, audit ----------------------------------------------------- */

int sc_fail(struct scale *sc, const char *what)
{
    fprintf(stderr, "safeguard: seed --scale: %s: %s\n", what, store_errmsg(sc->s));
    return -1;
}

int sc_row(struct scale *sc)
{
    if (++sc->rows < SC_BATCH)
        return 0;
    sc->rows = 0;
    if (store_commit(sc->s) != STORE_OK)
        return sc_fail(sc, "commit");
    return store_begin_write(sc->s) == STORE_OK ? 0 : sc_fail(sc, "begin");
}

void sc_ts(int64_t t, char out[TS_TEXT_LEN])
{
    ts_format(t, out);
}

void sc_date(int64_t t, char out[DATE_TEXT_LEN])
{
    struct civil_date d = date_of_ts(t);
    date_format(&d, out);
}

static void bind_opt_ts(struct stmt *st, int i, int64_t t)
{
    char b[TS_TEXT_LEN];
    if (!t) {
        stmt_bind_null(st, i);
        return;
    }
    sc_ts(t, b);
    stmt_bind_text(st, i, b);
}

int sc_task(struct scale *sc, const char *rule, int64_t record_id, int64_t person_id, int64_t from,
            int64_t owner_user, const char *team, const char *status, int64_t closed_at,
            int64_t closed_by)
{
    const struct rule *r = rules_find(rule);
    if (!r) {
        fprintf(stderr, "safeguard: seed --scale: no rule '%s'\n", rule);
        return -1;
    }
    struct stmt *st = store_prepare(sc->s, SQL_SC_TASK);
    if (!st)
        return sc_fail(sc, "task");
    char due[TS_TEXT_LEN], created[TS_TEXT_LEN];
    sc_ts(rules_due(r, from), due);
    sc_ts(from, created);
    stmt_bind_text(st, 1, r->id);
    stmt_bind_text(st, 2, r->record_type);
    stmt_bind_int(st, 3, record_id);
    if (person_id)
        stmt_bind_int(st, 4, person_id);
    stmt_bind_text(st, 5, r->title);
    stmt_bind_text(st, 6, due);
    if (owner_user && r->owner != OWNER_ROLE)
        stmt_bind_int(st, 7, owner_user);
    stmt_bind_text(st, 8, team);
    stmt_bind_text(st, 9, r->owner_role);
    stmt_bind_text(st, 10, r->escalate_role);
    stmt_bind_text(st, 11, status);
    stmt_bind_text(st, 12, created);
    bind_opt_ts(st, 13, strcmp(status, "open") ? closed_at : 0);
    if (closed_by && strcmp(status, "done") == 0)
        stmt_bind_int(st, 14, closed_by);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, r->id);
    sc->counts->tasks++;
    sc->counts->open_tasks += strcmp(status, "open") == 0;
    return sc_row(sc);
}

int sc_audit(struct scale *sc, int64_t at, int64_t user_id, int type, int action, int64_t record_id)
{
    if (sc->n_audit == sc->cap_audit) {
        size_t cap = sc->cap_audit ? sc->cap_audit * 2 : 65536;
        struct sc_audit *v = realloc(sc->audit, cap * sizeof(*v));
        if (!v)
            return -1;
        sc->audit = v;
        sc->cap_audit = cap;
    }
    sc->audit[sc->n_audit++] = (struct sc_audit){.at = at,
                                                 .record_id = record_id,
                                                 .user_id = (int32_t)user_id,
                                                 .type = (uint8_t)type,
                                                 .action = (uint8_t)action};
    return 0;
}

static int audit_order(const void *a, const void *b)
{
    const struct sc_audit *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return x->record_id < y->record_id ? -1 : x->record_id > y->record_id;
}

/* Sorts the queued entries by time and chains them (audit_append), so the
 * trail verifies and reads in the order things happened. */
static int flush_audit(struct scale *sc)
{
    static const char *const types[] = {"person",   "incident",       "missing_episode",
                                        "referral", "investigation",  "police_protection",
                                        "offender", "custody_record", "user"};
    static const char *const actions[] = {"create", "read", "update", "search"};
    static const char *const routes[] = {
        "POST /api/people",    "POST /api/incidents",      "POST /api/missing",
        "POST /api/referrals", "POST /api/investigations", "POST /api/protection",
        "POST /api/offenders", "POST /api/custody",        "cli seed --scale"};
    qsort(sc->audit, sc->n_audit, sizeof(*sc->audit), audit_order);
    for (size_t i = 0; i < sc->n_audit; i++) {
        const struct sc_audit *a = &sc->audit[i];
        int64_t u = a->user_id;
        struct audit_entry e = {.at = a->at,
                                .user_id = u,
                                .username = u > 0 && u <= sc->max_user ? sc->usernames[u] : "cli",
                                .action = actions[a->action],
                                .record_type = types[a->type],
                                .record_id = a->record_id,
                                .route = routes[a->type],
                                .remote_addr = u ? "10.0.0.1" : "local"};
        if (audit_append(sc->s, &e) != STORE_OK)
            return sc_fail(sc, "audit");
        if (sc_row(sc) < 0)
            return -1;
        if ((i & 65535) == 0)
            sc_progress(sc, "audit trail", (int64_t)i, (int64_t)sc->n_audit);
    }
    sc->counts->audit = (int64_t)sc->n_audit;
    sc_progress(sc, "audit trail", 1, 1);
    return 0;
}

void sc_progress(struct scale *sc, const char *stage, int64_t done, int64_t total)
{
    if (sc->progress)
        sc->progress(stage, total > 0 ? (double)done / (double)total : 1.0);
}

/* ---- addresses ------------------------------------------------------------ */

void sc_address(int64_t n, char *line1, size_t l1, char *postcode, size_t pl, char *town, size_t tl)
{
    uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
    unsigned t = (unsigned)(h % seed_towns.count);
    snprintf(line1, l1, "%u %s", (unsigned)(1 + (h >> 8) % 240),
             seed_streets.items[(h >> 20) % seed_streets.count]);
    snprintf(postcode, pl, "%s %u%c%c", seed_postcode_districts.items[t],
             (unsigned)((h >> 32) % 10), 'A' + (int)((h >> 40) % 26), 'A' + (int)((h >> 48) % 26));
    snprintf(town, tl, "%s", seed_towns.items[t]);
}

/* ---- people, teams, users, agencies --------------------------------------- */

static void people_progress(int done, int total);
static struct scale *progress_owner;
static void people_progress(int done, int total)
{
    sc_progress(progress_owner, "people", done, total);
}

/* Reads the dates of birth back and sorts people into the pools. */
static int load_people(struct scale *sc)
{
    struct stmt *st = store_prepare(sc->s, SQL_SC_PEOPLE);
    if (!st)
        return sc_fail(sc, "people");
    sc->max_person = sc->plan->people + 1;
    sc->dob_days = malloc((size_t)(sc->max_person + 1) * sizeof(*sc->dob_days));
    if (!sc->dob_days)
        return -1;
    for (int64_t i = 0; i <= sc->max_person; i++)
        sc->dob_days[i] = INT32_MIN;
    int64_t start_days = sc->start / DAY, now_days = sc->now / DAY;
    while (stmt_step(st) == STORE_ROW) {
        int64_t id = stmt_int(st, 0);
        struct civil_date dob;
        if (id > sc->max_person || stmt_is_null(st, 1) || date_parse(stmt_text(st, 1), &dob) < 0)
            continue;
        int64_t d = date_to_days(&dob);
        sc->dob_days[id] = (int32_t)d;
        /* Children throughout: at least a year old at the start, under 18
         * now; adults: 18 by the start. */
        int rc = 0;
        if (d <= start_days - 365 && now_days - d < 18 * 365 - 2)
            rc = pool_add(&sc->children, id);
        else if (start_days - d >= 18 * 365 + 5)
            rc = pool_add(&sc->adults, id);
        if (rc < 0) {
            stmt_reset(st);
            return -1;
        }
    }
    stmt_reset(st);
    if (!sc->children.n || !sc->adults.n) {
        fprintf(stderr, "safeguard: seed --scale: too few people to draw children and adults\n");
        return -1;
    }
    return 0;
}

static const struct {
    enum sc_role role;
    const char *name, *title;
    int per_team;
} staffing[] = {
    {SC_CALL_HANDLER, "call_handler", "Call handler", 3},
    {SC_RESPONSE, "response_officer", "Response officer", 10},
    {SC_SUPERVISOR, "supervisor", "Sergeant", 2},
    {SC_INSPECTOR, "inspector", "Inspector", 1},
    {SC_INVESTIGATOR, "investigator", "Detective", 4},
    {SC_MISSING, "missing_coordinator", "Missing persons coordinator", 1},
    {SC_CUSTODY_SERGEANT, "custody_sergeant", "Custody sergeant", 1},
    {SC_OFFENDER_MANAGER, "offender_manager", "Offender manager", 1},
    {SC_HUB, "safeguarding_hub", "Safeguarding hub officer", 1},
};

static int add_user(struct scale *sc, enum sc_role role, int team, int64_t id)
{
    struct sc_pool *p = &sc->users[role];
    if (pool_add(p, id) < 0)
        return -1;
    int *t = realloc(sc->user_team[role], p->cap * sizeof(*t));
    if (!t)
        return -1;
    sc->user_team[role] = t;
    t[p->n - 1] = team;
    return 0;
}

/* Teams (the first is the demo users' "Demo team", so a demo supervisor
 * has a busy team), their officers with one shared password hash (the demo
 * password: hashing once per user would take minutes), and profiles. */
static int seed_staff(struct scale *sc)
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(USERS_DEMO_PASSWORD, hash) < 0)
        return -1;
    sc->teams = sc->plan->teams;
    sc->team_names = calloc((size_t)sc->teams, sizeof(*sc->team_names));
    sc->team_ids = calloc((size_t)sc->teams, sizeof(*sc->team_ids));
    size_t max_users = (size_t)sc->teams * 40 + 64;
    sc->usernames = calloc(max_users, sizeof(*sc->usernames));
    if (!sc->team_names || !sc->team_ids || !sc->usernames)
        return -1;
    if (store_begin_write(sc->s) != STORE_OK)
        return sc_fail(sc, "begin");
    char ts[TS_TEXT_LEN];
    sc_ts(sc->start, ts);
    static const char *const areas[] = {"North", "South", "East", "West"};
    for (int t = 0; t < sc->teams; t++) {
        if (t == 0)
            snprintf(sc->team_names[t], sizeof(sc->team_names[t]), "Demo team");
        else
            snprintf(sc->team_names[t], sizeof(sc->team_names[t]), "%s %d", areas[t % 4],
                     1 + t / 4);
        struct stmt *st = store_prepare(sc->s, SQL_SC_TEAM);
        stmt_bind_text(st, 1, sc->team_names[t]);
        stmt_bind_text(st, 2, t % 3 == 0 ? "child_abuse,general" : "general,exploitation");
        stmt_bind_int(st, 3, 60);
        stmt_bind_text(st, 4, t == 0 ? "North" : areas[t % 4]);
        stmt_bind_text(st, 5, ts);
        if (store_exec_stmt(st) != STORE_OK)
            return sc_fail(sc, "team");
        st = store_prepare(sc->s, SQL_SC_TEAM_ID);
        stmt_bind_text(st, 1, sc->team_names[t]);
        if (stmt_step(st) == STORE_ROW)
            sc->team_ids[t] = stmt_int(st, 0);
        stmt_reset(st);
    }
    for (int t = 0; t < sc->teams; t++)
        for (size_t r = 0; r < sizeof(staffing) / sizeof(staffing[0]); r++)
            for (int k = 0; k < staffing[r].per_team; k++) {
                char username[40], display[96];
                snprintf(username, sizeof(username), "%s.%d.%d", staffing[r].name, t + 1, k + 1);
                snprintf(display, sizeof(display), "%s %d-%d", staffing[r].title, t + 1, k + 1);
                json_t *roles = json_pack("[s]", staffing[r].name);
                struct domain_error err = {0};
                int64_t id = users_create(sc->s, username, display, hash, roles, sc->team_names[t],
                                          t == 0 ? "North" : areas[t % 4], NULL, sc->start, &err);
                json_decref(roles);
                if (id < 0) {
                    fprintf(stderr, "safeguard: seed --scale: user %s: %s\n", username,
                            err.message);
                    domain_error_release(&err);
                    store_rollback(sc->s);
                    return -1;
                }
                if (id >= (int64_t)max_users) {
                    store_rollback(sc->s);
                    return -1;
                }
                snprintf(sc->usernames[id], sizeof(sc->usernames[id]), "%s", username);
                if (id > sc->max_user)
                    sc->max_user = id;
                if (add_user(sc, staffing[r].role, t, id) < 0)
                    return -1;
                if (staffing[r].role == SC_INVESTIGATOR) {
                    struct stmt *st = store_prepare(sc->s, SQL_SC_OFFICER);
                    stmt_bind_int(st, 1, id);
                    stmt_bind_int(st, 2, sc->team_ids[t]);
                    stmt_bind_int(st, 3, 2 + k % 2);
                    stmt_bind_int(st, 4, k % 2 == 0);
                    stmt_bind_int(st, 5, k % 2 == 0);
                    stmt_bind_int(st, 6, 12);
                    stmt_bind_text(st, 7, ts);
                    if (store_exec_stmt(st) != STORE_OK)
                        return sc_fail(sc, "officer profile");
                }
                sc_audit(sc, sc->start, 0, SC_T_USER, SC_A_CREATE, id);
                sc->counts->users++;
            }
    /* One children's social care team per local authority: the referrals'
     * recipients. */
    sc->agencies = calloc(seed_local_authorities.count, sizeof(*sc->agencies));
    if (!sc->agencies)
        return -1;
    for (size_t i = 0; i < seed_local_authorities.count; i++) {
        char name[160], email[160];
        snprintf(name, sizeof(name), "%s Children's Services", seed_local_authorities.items[i]);
        snprintf(email, sizeof(email), "mash%zu@example.org", i + 1);
        struct stmt *st = store_prepare(sc->s, SQL_SC_AGENCY);
        stmt_bind_text(st, 1, name);
        stmt_bind_text(st, 2, seed_local_authorities.items[i]);
        stmt_bind_text(st, 3, email);
        stmt_bind_text(st, 4, ts);
        stmt_bind_text(st, 5, ts);
        if (store_exec_stmt(st) != STORE_OK)
            return sc_fail(sc, "agency");
        st = store_prepare(sc->s, SQL_SC_AGENCY_ID);
        stmt_bind_text(st, 1, name);
        if (stmt_step(st) == STORE_ROW)
            sc->agencies[sc->n_agencies++] = stmt_int(st, 0);
        stmt_reset(st);
    }
    return store_commit(sc->s) == STORE_OK ? 0 : sc_fail(sc, "commit");
}

/* ---- the load --------------------------------------------------------------- */

/* Tables whose secondary indexes are built after the load, with the one
 * index (if any) the load itself looks rows up by. */
static const struct {
    const char *table, *keep;
} deferred[] = {
    {"person", NULL},
    {"person_address", NULL},
    {"person_flag", NULL},
    {"person_search", "person_search_person"}, /* person_index_names deletes by person */
    {"task", NULL},
    {"audit_log", NULL},
    {"incident", NULL},
    {"incident_person", NULL},
    {"thrive", NULL},
    {"incident_grade_history", NULL},
    {"missing_episode", NULL},
    {"missing_event", NULL},
    {"missing_review", NULL},
    {"referral", NULL},
    {"referral_recipient", NULL},
    {"referral_event", NULL},
    {"investigation", NULL},
    {"investigation_link", NULL},
    {"investigation_review", NULL},
    {"police_protection", NULL},
    {"protection_event", NULL},
    {"protection_decision", NULL},
    {"offender", NULL},
    {"offender_conviction", NULL},
    {"offender_risk_assessment", NULL},
    {"offender_visit", NULL},
    {"offender_notification", NULL},
    {"custody_record", NULL},
    {"custody_age_event", NULL},
    {"custody_review", NULL},
};

static void index_progress(size_t done, size_t total)
{
    sc_progress(progress_owner, "building indexes", (int64_t)done, (int64_t)total);
}

static void scale_release(struct scale *sc)
{
    free(sc->children.ids);
    free(sc->adults.ids);
    free(sc->dob_days);
    for (int r = 0; r < SC_ROLES; r++) {
        free(sc->users[r].ids);
        free(sc->user_team[r]);
    }
    free(sc->team_names);
    free(sc->team_ids);
    free(sc->usernames);
    free(sc->agencies);
    free(sc->audit);
}

int scale_seed(struct store *s, const struct scale_plan *p, uint64_t seed, int64_t now,
               void (*progress)(const char *stage, double done), struct scale_counts *out)
{
    struct scale sc = {.s = s,
                       .plan = p,
                       .rng = seed ^ 0x5ca1e5eedull,
                       .now = now,
                       .start = now - 5 * 365 * DAY,
                       .progress = progress,
                       .counts = out};
    *out = (struct scale_counts){0};
    progress_owner = &sc;
    struct store_deferred d = {0};
    int rc = store_bulk_cache(s, 512);
    for (size_t i = 0; rc == 0 && i < sizeof(deferred) / sizeof(deferred[0]); i++)
        rc = store_defer_indexes(s, deferred[i].table, deferred[i].keep, &d);
    if (rc < 0) {
        sc_fail(&sc, "deferring indexes");
        goto done;
    }
    /* People through the people module's own path (person_create), so the
     * search index is exactly what the API builds; as of the start of the
     * five years, as if migrated from the force's old system then. */
    if ((rc = people_seed(s, (int)p->people, seed, sc.start, people_progress)) < 0)
        goto done;
    out->people = p->people;
    for (int64_t id = 1; id <= p->people; id++)
        if ((id & 3) == 0) /* a quarter of the migrated records are logged one by one */
            sc_audit(&sc, sc.start, 0, SC_T_PERSON, SC_A_CREATE, id);
    if ((rc = load_people(&sc)) < 0 || (rc = seed_staff(&sc)) < 0)
        goto done;
    if (store_begin_write(s) != STORE_OK) {
        rc = sc_fail(&sc, "begin");
        goto done;
    }
    int (*const areas[])(struct scale *) = {scale_incidents,      scale_missing,    scale_referrals,
                                            scale_investigations, scale_protection, scale_offenders,
                                            scale_custody};
    for (size_t i = 0; rc == 0 && i < sizeof(areas) / sizeof(areas[0]); i++)
        rc = areas[i](&sc);
    if (rc == 0)
        rc = flush_audit(&sc);
    if (rc == 0 && store_commit(s) != STORE_OK)
        rc = sc_fail(&sc, "commit");
    if (rc < 0)
        store_rollback(s);
done:
    if (d.n && store_rebuild_indexes(s, &d, index_progress) < 0 && rc == 0)
        rc = sc_fail(&sc, "building indexes");
    store_bulk_cache(s, 16);
    if (rc == 0 && store_analyze(s) != STORE_OK)
        rc = sc_fail(&sc, "analyze");
    scale_release(&sc);
    progress_owner = NULL;
    return rc;
}
