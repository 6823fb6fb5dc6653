/*
 * investigations_alloc.c — teams and officers, and the allocation engine
 * (DOMAIN.md R5): for an investigation it ranks every active team and every
 * officer with a profile by whether they have what the case needs — the
 * team's specialism, the officer's investigative level (PIP), specialist
 * child-abuse training and video-interview (ABE) training when a child is
 * to be interviewed — and by the capacity they have left, and says why.
 * Allocating to anyone but the first choice needs a reason.
 *
 * Caseload is weighted: each open investigation counts its complexity (1
 * standard, 2 complex, 3 major) against the officer's and team's capacity.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/investigations/investigations.h"
#include "modules/investigations/investigations_internal.h"
#include "modules/investigations/investigations_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const team_specialisms[] = {"child_abuse", "online_exploitation", "exploitation",
                                        "general", NULL};

#define ID_MAX 9007199254740991LL

/* clang-format off */
const struct field team_fields[] = {
    {.name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 128},
    {.name = "specialisms", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .max_len = 4,
     .values = team_specialisms},
    {.name = "capacity", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 0, .max = 10000},
    {.name = "area", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {0}};
const struct field team_update_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "name", .type = FIELD_STRING, .max_len = 128},
    {.name = "specialisms", .type = FIELD_ARRAY, .max_len = 4, .values = team_specialisms},
    {.name = "capacity", .type = FIELD_INT, .min = 0, .max = 10000},
    {.name = "area", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "active", .type = FIELD_BOOL},
    {0}};
const struct field officer_profile_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 0, .max = ID_MAX},
    {.name = "team_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "pip_level", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = 4},
    {.name = "specialist_child_abuse", .type = FIELD_BOOL},
    {.name = "abe_trained", .type = FIELD_BOOL},
    {.name = "capacity", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 0, .max = 100},
    {0}};
const struct field investigation_allocate_fields[] = {
    {.name = "officer_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "team_id", .type = FIELD_INT, .min = 1, .max = ID_MAX},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 2000},
    {0}};
/* clang-format on */

/* ---- what a case needs ------------------------------------------------------------ */

/* Category → the team specialism it needs (DOMAIN.md R5: child abuse
 * investigation units; online child sexual exploitation teams). */
const char *inv_required_specialism(const char *category)
{
    static const char *const map[][2] = {
        {"physical_abuse", "child_abuse"},
        {"sexual_abuse", "child_abuse"},
        {"neglect", "child_abuse"},
        {"domestic_abuse", "child_abuse"},
        {"child_sexual_exploitation", "exploitation"},
        {"child_criminal_exploitation", "exploitation"},
        {"online_sexual_exploitation", "online_exploitation"},
    };
    for (size_t i = 0; category && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], category) == 0)
            return map[i][1];
    return "general";
}

/* Complex and major cases need PIP2 (serious and complex). */
int inv_required_pip(int complexity)
{
    return complexity >= 2 ? 2 : 1;
}

bool inv_needs_child_specialist(const char *category)
{
    return strcmp(inv_required_specialism(category), "child_abuse") == 0;
}

static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, word, n) == 0)
            return true;
        p = end ? end + 1 : p + len;
    }
    return false;
}

/* ---- teams -------------------------------------------------------------------------- */

json_t *team_list(struct store *s)
{
    struct stmt *st = store_prepare(s, SQL_TEAM_LIST);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    while (stmt_step(st) == STORE_ROW) {
        int64_t cap = stmt_int(st, 3), load = stmt_int(st, 7);
        json_t *specs = json_array();
        const char *sp = stmt_text(st, 2);
        for (int i = 0; team_specialisms[i]; i++)
            if (has_word(sp, team_specialisms[i]))
                json_array_append_new(specs, json_string(team_specialisms[i]));
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:o, s:I, s:o, s:b, s:I, s:I, s:I, s:b}", "id",
                           (json_int_t)stmt_int(st, 0), "name", stmt_text(st, 1), "specialisms",
                           specs, "capacity", (json_int_t)cap, "area", stmt_json_text(st, 4),
                           "active", stmt_int(st, 5) != 0, "version", (json_int_t)stmt_int(st, 6),
                           "load", (json_int_t)load, "open_cases", (json_int_t)stmt_int(st, 8),
                           "overloaded", load > cap));
    }
    stmt_reset(st);
    return json_pack("{s:o}", "teams", arr);
}

/* "a,b" from a validated array of specialisms. */
static void join_specialisms(const json_t *arr, char *out, size_t cap)
{
    size_t i, n = 0;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? "," : "",
                              json_string_value(v));
    }
}

int64_t team_create(struct store *s, const json_t *body, int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_TEAM_BY_NAME);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "name"));
    bool taken = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    if (taken)
        return domain_fail(err, 409, "duplicate_team", "name",
                           "there is already a team called '%s'", jstr(body, "name"));
    char specs[128], ts[TS_TEXT_LEN];
    join_specialisms(json_object_get(body, "specialisms"), specs, sizeof(specs));
    if (!specs[0])
        return domain_fail(err, 422, "missing_field", "specialisms",
                           "give the team at least one specialism");
    ts_format(now, ts);
    st = store_prepare(s, SQL_TEAM_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "name"));
    stmt_bind_text(st, 2, specs);
    stmt_bind_int(st, 3, json_integer_value(json_object_get(body, "capacity")));
    stmt_bind_text(st, 4, jstr(body, "area"));
    stmt_bind_text(st, 5, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    return rc == STORE_OK ? id : domain_store_fail(err, s, rc);
}

int team_update(struct store *s, int64_t id, const json_t *body, int64_t now,
                struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_TEAM_GET);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return domain_fail(err, 404, "not_found", NULL, "no team with id %lld", (long long)id);
    }
    char name[129], specs[128], area[65];
    snprintf(name, sizeof(name), "%s", stmt_text(st, 1));
    snprintf(specs, sizeof(specs), "%s", stmt_text(st, 2));
    int64_t cap = stmt_int(st, 3), active = stmt_int(st, 5), version = stmt_int(st, 6);
    bool has_area = !stmt_is_null(st, 4);
    snprintf(area, sizeof(area), "%s", has_area ? stmt_text(st, 4) : "");
    stmt_reset(st);
    if (json_integer_value(json_object_get(body, "version")) != version)
        return domain_fail(err, 409, "stale_version", "version",
                           "the team was changed by someone else (version %lld): reload it",
                           (long long)version);
    if (jhas(body, "specialisms")) {
        join_specialisms(json_object_get(body, "specialisms"), specs, sizeof(specs));
        if (!specs[0])
            return domain_fail(err, 422, "missing_field", "specialisms",
                               "give the team at least one specialism");
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_TEAM_UPDATE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jhas(body, "name") ? jstr(body, "name") : name);
    stmt_bind_text(st, 2, specs);
    stmt_bind_int(st, 3,
                  jhas(body, "capacity") ? json_integer_value(json_object_get(body, "capacity"))
                                         : cap);
    stmt_bind_text(st, 4, jhas(body, "area") ? jstr(body, "area") : has_area ? area : NULL);
    stmt_bind_int(st, 5, jbool(body, "active", (int)active));
    stmt_bind_text(st, 6, ts);
    stmt_bind_int(st, 7, id);
    stmt_bind_int(st, 8, version);
    int rc = store_exec_stmt(st);
    if (rc == STORE_CONSTRAINT)
        return domain_fail(err, 409, "duplicate_team", "name",
                           "there is already a team called '%s'", jstr(body, "name"));
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return store_changes(s) == 1 ? 0
                                 : domain_fail(err, 409, "stale_version", "version",
                                               "the team was changed by someone else: reload it");
}

/* ---- officers ----------------------------------------------------------------------- */

struct officer {
    int64_t id, team_id;
    char name[128], team[128], specialisms[128];
    int pip, child_specialist, abe, capacity, load, cases;
    bool team_active, disabled;
};

/* Every officer with a profile; n officers in *out (malloc'd). */
static int load_officers(struct store *s, struct officer **out, int *n)
{
    *out = NULL;
    *n = 0;
    struct stmt *st = store_prepare(s, SQL_OFFICERS);
    if (!st)
        return STORE_ERROR;
    int cap = 0, rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            struct officer *more = realloc(*out, (size_t)cap * sizeof(**out));
            if (!more) {
                stmt_reset(st);
                return STORE_ERROR;
            }
            *out = more;
        }
        struct officer *o = &(*out)[(*n)++];
        memset(o, 0, sizeof(*o));
        o->id = stmt_int(st, 0);
        snprintf(o->name, sizeof(o->name), "%s", stmt_text(st, 1));
        o->team_id = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
        snprintf(o->team, sizeof(o->team), "%s", stmt_is_null(st, 3) ? "" : stmt_text(st, 3));
        o->pip = (int)stmt_int(st, 4);
        o->child_specialist = (int)stmt_int(st, 5);
        o->abe = (int)stmt_int(st, 6);
        o->capacity = (int)stmt_int(st, 7);
        o->load = (int)stmt_int(st, 9);
        o->cases = (int)stmt_int(st, 10);
        snprintf(o->specialisms, sizeof(o->specialisms), "%s",
                 stmt_is_null(st, 11) ? "" : stmt_text(st, 11));
        o->team_active = !stmt_is_null(st, 12) && stmt_int(st, 12);
        o->disabled = stmt_int(st, 13) != 0;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

json_t *officer_profiles(struct store *s)
{
    struct officer *os;
    int n;
    if (load_officers(s, &os, &n) != STORE_OK) {
        free(os);
        return NULL;
    }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:I, s:s, s:o, s:s, s:i, s:b, s:b, s:i, s:i, s:i, s:b}", "user_id",
                      (json_int_t)os[i].id, "name", os[i].name, "team_id",
                      os[i].team_id ? json_integer(os[i].team_id) : json_null(), "team", os[i].team,
                      "pip_level", os[i].pip, "specialist_child_abuse", os[i].child_specialist,
                      "abe_trained", os[i].abe, "capacity", os[i].capacity, "load", os[i].load,
                      "open_cases", os[i].cases, "overloaded", os[i].load > os[i].capacity));
    free(os);
    return json_pack("{s:o}", "officers", arr);
}

int officer_profile_put(struct store *s, int64_t user_id, const json_t *body, int64_t now,
                        struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_USER_EXISTS);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, user_id);
    bool exists = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    if (!exists)
        return domain_fail(err, 404, "not_found", NULL, "no active user with id %lld",
                           (long long)user_id);
    const json_t *team = json_object_get(body, "team_id");
    if (json_is_integer(team)) {
        st = store_prepare(s, SQL_TEAM_GET);
        stmt_bind_int(st, 1, json_integer_value(team));
        bool ok = stmt_step(st) == STORE_ROW;
        stmt_reset(st);
        if (!ok)
            return domain_fail(err, 422, "invalid_field", "team_id",
                               "'team_id': there is no team with id %lld",
                               (long long)json_integer_value(team));
    }
    st = store_prepare(s, SQL_PROFILE_GET);
    stmt_bind_int(st, 1, user_id);
    int64_t version = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    if (json_integer_value(json_object_get(body, "version")) != version)
        return domain_fail(err, 409, "stale_version", "version",
                           "the profile was changed by someone else (version %lld): reload it",
                           (long long)version);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, version ? SQL_PROFILE_UPDATE : SQL_PROFILE_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    int i = 1;
    if (!version)
        stmt_bind_int(st, i++, user_id);
    if (json_is_integer(team))
        stmt_bind_int(st, i++, json_integer_value(team));
    else
        stmt_bind_null(st, i++);
    stmt_bind_int(st, i++, json_integer_value(json_object_get(body, "pip_level")));
    stmt_bind_int(st, i++, jbool(body, "specialist_child_abuse", 0));
    stmt_bind_int(st, i++, jbool(body, "abe_trained", 0));
    stmt_bind_int(st, i++, json_integer_value(json_object_get(body, "capacity")));
    stmt_bind_text(st, i++, ts);
    if (version) {
        stmt_bind_int(st, i++, user_id);
        stmt_bind_int(st, i++, version);
    }
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return store_changes(s) == 1 ? 0
                                 : domain_fail(err, 409, "stale_version", "version",
                                               "the profile was changed by someone else");
}

/* ---- the ranking ------------------------------------------------------------------- */

struct needs {
    const char *specialism;
    int pip, complexity;
    bool child_specialist, abe;
};

static int needs_of(struct store *s, int64_t id, struct needs *nd, json_t **rec,
                    struct domain_error *err)
{
    *rec = inv_core_get(s, id);
    if (!*rec)
        return domain_fail(err, 404, "not_found", NULL, "no investigation with id %lld",
                           (long long)id);
    const char *category = jstr(*rec, "category");
    nd->complexity = (int)json_integer_value(json_object_get(*rec, "complexity"));
    nd->specialism = inv_required_specialism(category);
    nd->pip = inv_required_pip(nd->complexity);
    nd->child_specialist = inv_needs_child_specialist(category);
    /* A child victim or witness will be interviewed on video (ABE). */
    struct stmt *st = store_prepare(s, SQL_INV_CHILD_VICTIMS);
    nd->abe = false;
    if (st) {
        stmt_bind_int(st, 1, id);
        nd->abe = stmt_step(st) == STORE_ROW && stmt_int(st, 0) > 0;
        stmt_reset(st);
    }
    return 0;
}

/* An officer's fit: eligible when every requirement is met and their team
 * is active; reasons say what was weighed. Headroom breaks ties. */
static json_t *officer_fit(const struct officer *o, const struct needs *nd, bool *eligible,
                           int *headroom)
{
    json_t *reasons = json_array();
    bool ok = o->team_active && !o->disabled;
    char t[200];
#define REASON(cond, yes, no)                                                                      \
    do {                                                                                           \
        bool c_ = (cond);                                                                          \
        ok = ok && c_;                                                                             \
        json_array_append_new(reasons, json_string(c_ ? (yes) : (no)));                            \
    } while (0)
    snprintf(t, sizeof(t), "team %s %s the %s specialism", o->team[0] ? o->team : "(none)",
             has_word(o->specialisms, nd->specialism) ? "has" : "lacks", nd->specialism);
    REASON(has_word(o->specialisms, nd->specialism), t, t);
    snprintf(t, sizeof(t), "PIP%d, %s PIP%d", o->pip, o->pip >= nd->pip ? "meets" : "below",
             nd->pip);
    REASON(o->pip >= nd->pip, t, t);
    if (nd->child_specialist)
        REASON(o->child_specialist, "specialist child abuse investigator",
               "not a specialist child abuse investigator");
    if (nd->abe)
        REASON(o->abe, "video-interview (ABE) trained", "not video-interview (ABE) trained");
    *headroom = o->capacity - o->load - nd->complexity;
    snprintf(t, sizeof(t), "caseload %d of %d (weighted) before this case of weight %d%s", o->load,
             o->capacity, nd->complexity, *headroom < 0 ? ": over capacity" : "");
    REASON(*headroom >= 0, t, t);
    if (!o->team_active)
        json_array_append_new(reasons, json_string("team inactive"));
    if (o->disabled)
        json_array_append_new(reasons, json_string("account disabled"));
#undef REASON
    *eligible = ok;
    return reasons;
}

struct ranked {
    int index, headroom;
    bool eligible;
    json_t *reasons;
};

static int by_rank(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->eligible != y->eligible)
        return x->eligible ? -1 : 1;
    if (x->headroom != y->headroom)
        return x->headroom > y->headroom ? -1 : 1;
    return x->index - y->index;
}

/* The ranking and the first eligible officer (0 when none). */
static json_t *rank(struct store *s, int64_t id, int64_t *first_officer, int64_t *first_team,
                    struct domain_error *err)
{
    struct needs nd = {0};
    json_t *rec;
    *first_officer = *first_team = 0;
    if (needs_of(s, id, &nd, &rec, err) < 0)
        return NULL;
    struct officer *os;
    int n;
    if (load_officers(s, &os, &n) != STORE_OK) {
        free(os);
        json_decref(rec);
        domain_store_fail(err, s, STORE_ERROR);
        return NULL;
    }
    struct ranked *rk = calloc((size_t)(n ? n : 1), sizeof(*rk));
    for (int i = 0; i < n; i++) {
        rk[i].index = i;
        rk[i].reasons = officer_fit(&os[i], &nd, &rk[i].eligible, &rk[i].headroom);
    }
    qsort(rk, (size_t)n, sizeof(*rk), by_rank);
    json_t *officers = json_array();
    for (int i = 0; i < n; i++) {
        const struct officer *o = &os[rk[i].index];
        if (i == 0 && rk[i].eligible) {
            *first_officer = o->id;
            *first_team = o->team_id;
        }
        json_array_append_new(
            officers, json_pack("{s:I, s:s, s:o, s:s, s:b, s:b, s:i, s:i, s:i, s:o}", "user_id",
                                (json_int_t)o->id, "name", o->name, "team_id",
                                o->team_id ? json_integer(o->team_id) : json_null(), "team",
                                o->team, "eligible", rk[i].eligible, "recommended",
                                i == 0 && rk[i].eligible, "load", o->load, "capacity", o->capacity,
                                "headroom", rk[i].headroom, "reasons", rk[i].reasons));
    }
    free(rk);
    free(os);
    /* Teams: the specialism and the capacity left. */
    json_t *teams = team_list(s), *tarr = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(teams, "teams"), i, t)
    {
        if (!json_is_true(json_object_get(t, "active")))
            continue;
        bool spec = false;
        size_t k;
        json_t *sp;
        json_array_foreach(json_object_get(t, "specialisms"), k, sp)
        {
            spec = spec || strcmp(json_string_value(sp), nd.specialism) == 0;
        }
        json_int_t left = json_integer_value(json_object_get(t, "capacity")) -
                          json_integer_value(json_object_get(t, "load")) - nd.complexity;
        char why[200];
        snprintf(why, sizeof(why),
                 "%s the %s specialism; %lld of its capacity left after this case",
                 spec ? "has" : "lacks", nd.specialism, (long long)left);
        json_t *row = json_deep_copy(t);
        json_object_set_new(row, "eligible", json_boolean(spec && left >= 0));
        json_object_set_new(row, "headroom", json_integer(left));
        json_object_set_new(row, "reason", json_string(why));
        json_array_append_new(tarr, row);
    }
    json_decref(teams);
    /* Eligible teams first, then by capacity left. */
    size_t nt = json_array_size(tarr);
    for (size_t a = 1; a < nt; a++)
        for (size_t b = a; b > 0; b--) {
            json_t *x = json_array_get(tarr, b - 1), *y = json_array_get(tarr, b);
            bool ex = json_is_true(json_object_get(x, "eligible")),
                 ey = json_is_true(json_object_get(y, "eligible"));
            json_int_t hx = json_integer_value(json_object_get(x, "headroom")),
                       hy = json_integer_value(json_object_get(y, "headroom"));
            if ((ey && !ex) || (ex == ey && hy > hx)) {
                json_incref(x);
                json_array_set(tarr, b - 1, y);
                json_array_set_new(tarr, b, x);
            } else {
                break;
            }
        }
    json_t *needs = json_pack("{s:s, s:i, s:b, s:b, s:i}", "specialism", nd.specialism, "pip_level",
                              nd.pip, "specialist_child_abuse", nd.child_specialist, "abe_trained",
                              nd.abe, "weight", nd.complexity);
    json_t *o =
        json_pack("{s:I, s:s, s:o, s:o, s:o}", "investigation_id", (json_int_t)id, "reference",
                  jstr(rec, "reference"), "needs", needs, "teams", tarr, "officers", officers);
    json_object_set_new(
        o, "recommended",
        *first_officer ? json_pack("{s:I, s:o}", "officer_id", (json_int_t)*first_officer,
                                   "team_id", *first_team ? json_integer(*first_team) : json_null())
                       : json_null());
    json_decref(rec);
    return o;
}

json_t *investigation_ranking(struct store *s, int64_t id, struct domain_error *err)
{
    int64_t a, b;
    return rank(s, id, &a, &b, err);
}

int investigation_allocate(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    int64_t first_officer, first_team;
    json_t *r = rank(s, id, &first_officer, &first_team, err);
    if (!r)
        return -1;
    int64_t officer = json_integer_value(json_object_get(body, "officer_id"));
    json_t *chosen = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(r, "officers"), i, o)
    {
        if (json_integer_value(json_object_get(o, "user_id")) == officer)
            chosen = o;
    }
    if (!chosen) {
        json_decref(r);
        return domain_fail(err, 422, "invalid_field", "officer_id",
                           "'officer_id': user %lld has no investigator profile (teams and "
                           "accreditations)",
                           (long long)officer);
    }
    const char *reason = jstr(body, "reason");
    if (officer != first_officer && (!reason || !*reason)) {
        json_decref(r);
        return domain_fail(err, 422, "missing_field", "reason",
                           first_officer ? "this is not the recommended officer: give the reason "
                                           "for the choice"
                                         : "nobody meets every requirement: give the reason for "
                                           "this choice");
    }
    const json_t *team_v = json_object_get(body, "team_id");
    int64_t team = json_is_integer(team_v) ? json_integer_value(team_v)
                                           : json_integer_value(json_object_get(chosen, "team_id"));
    if (!team) {
        json_decref(r);
        return domain_fail(err, 422, "missing_field", "team_id",
                           "the officer has no team: give 'team_id'");
    }
    char recommended[256] = "nobody met every requirement";
    json_array_foreach(json_object_get(r, "officers"), i, o)
    {
        if (json_integer_value(json_object_get(o, "user_id")) == first_officer)
            snprintf(recommended, sizeof(recommended), "%s (%s)", jstr(o, "name"), jstr(o, "team"));
    }
    bool matched = json_is_true(json_object_get(chosen, "eligible"));
    int load = (int)json_integer_value(json_object_get(chosen, "load")) +
               (int)json_integer_value(json_object_get(json_object_get(r, "needs"), "weight"));
    int capacity = (int)json_integer_value(json_object_get(chosen, "capacity"));
    char name[160];
    snprintf(name, sizeof(name), "%s", jstr(chosen, "name"));
    json_decref(r);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_ALLOCATE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, team);
    stmt_bind_int(st, 2, officer);
    stmt_bind_text(st, 3, ts);
    inv_bind_user(st, 4, u);
    stmt_bind_int(st, 5, matched);
    stmt_bind_text(st, 6, recommended);
    stmt_bind_text(st, 7, officer == first_officer ? NULL : reason);
    stmt_bind_int(st, 8, load);
    stmt_bind_int(st, 9, capacity);
    stmt_bind_text(st, 10, ts);
    stmt_bind_text(st, 11, ts);
    stmt_bind_int(st, 12, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    char text[2600];
    snprintf(text, sizeof(text), "Allocated to %s%s%s%s", name,
             officer == first_officer ? " (the recommended officer)" : "; recommended: ",
             officer == first_officer ? "" : recommended, officer == first_officer ? "" : "");
    if (officer != first_officer && reason) {
        size_t l = strlen(text);
        snprintf(text + l, sizeof(text) - l, ". Reason: %s", reason);
    }
    if ((rc = inv_event(s, id, "allocated", text, u, now)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    return inv_finish_change(s, id, now, err);
}
