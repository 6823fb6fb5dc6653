/*
 * case_audits.c — case audits (see case_audits.h, docs/case-audits.md): the
 * record types that can be audited, criteria, sampling, grading with its
 * append-only history, the audit views and the measures the assurance
 * registry counts with.
 */
#include "modules/case_audits/case_audits.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "core/date.h"
#include "modules/case_audits/case_audits_internal.h"
#include "modules/case_audits/case_audits_sql.h"
#include "store/store.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- record types ------------------------------------------------------------ */

/* clang-format off */
const struct case_audit_record_type case_audit_record_types[] = {
    {.name = "incident", .title = "Incident", .page = "/incidents/", .recommendation = 1,
     .closed_sql = SQL_CA_INCIDENT_CLOSED, .summary_sql = SQL_CA_INCIDENT_SUMMARY},
};
/* clang-format on */
const int case_audit_record_type_count =
    (int)(sizeof(case_audit_record_types) / sizeof(case_audit_record_types[0]));

/* The names above, for the validator's enum (one per row, in order). */
static const char *const record_type_names[] = {"incident", NULL};
_Static_assert(sizeof(record_type_names) / sizeof(record_type_names[0]) ==
                   sizeof(case_audit_record_types) / sizeof(case_audit_record_types[0]) + 1,
               "record_type_names must name every row of case_audit_record_types");

const struct case_audit_record_type *case_audit_record_type_find(const char *name)
{
    for (int i = 0; name && i < case_audit_record_type_count; i++)
        if (strcmp(case_audit_record_types[i].name, name) == 0)
            return &case_audit_record_types[i];
    return NULL;
}

/* ---- the scale and the declared bodies ------------------------------------------ */

const char *const case_audit_overall_grades[] = {"good", "requires_improvement", "inadequate",
                                                 NULL};
const char *const case_audit_criterion_grades[] = {"good", "requires_improvement", "inadequate",
                                                   "not_applicable", NULL};
static const char *const methods[] = {"random", "share", NULL};

/* Required-ness of the form fields is checked by the domain functions below,
 * not the validator: their refusals re-render the form with its choices. */
const struct field case_audit_sample_fields[] = {
    {.name = "record_type", .type = FIELD_ENUM, .values = record_type_names},
    {.name = "month", .type = FIELD_STRING, .max_len = 7},
    {.name = "method", .type = FIELD_ENUM, .values = methods},
    {.name = "count", .type = FIELD_INT, .min = 1, .max = CASE_AUDIT_SAMPLE_MAX},
    {.name = "percent", .type = FIELD_INT, .min = 1, .max = 100},
    {.name = "area", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "auditor",
     .type = FIELD_INT,
     .flags = FIELD_NULLABLE,
     .min = 1,
     .max = 9007199254740991LL},
    {0}};

static const struct field grade_fields[] = {
    {.name = "grade", .type = FIELD_ENUM, .values = case_audit_criterion_grades},
    {.name = "reason", .type = FIELD_STRING, .max_len = 4000},
    {0}};

const struct field case_audit_grading_fields[] = {
    {.name = "version",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 1,
     .max = 9007199254740991LL},
    {.name = "grades",
     .type = FIELD_MAP,
     .max_len = CASE_AUDIT_CRITERIA_MAX,
     .children = grade_fields},
    {.name = "overall_grade", .type = FIELD_ENUM, .values = case_audit_overall_grades},
    {.name = "overall_reason", .type = FIELD_STRING, .max_len = 4000},
    {.name = "learning", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 8000},
    {0}};

const struct field case_audit_criterion_fields[] = {
    {.name = "record_type", .type = FIELD_ENUM, .values = record_type_names},
    {.name = "key", .type = FIELD_STRING, .max_len = FIELD_MAP_KEY_MAX},
    {.name = "question", .type = FIELD_STRING, .max_len = 500},
    {.name = "recommendation", .type = FIELD_INT, .min = 1, .max = 99},
    {.name = "position", .type = FIELD_INT, .min = 1, .max = 1000},
    {0}};

/* ---- small helpers -------------------------------------------------------------- */

static void bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u && u->id)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

/* A string member that is present and not only blanks, or NULL. */
static const char *given(const json_t *o, const char *key)
{
    const char *v = jstr(o, key);
    return v && v[strspn(v, " \t\r\n")] ? v : NULL;
}

/* "2026-05" → [2026-04-30T23:00:00Z, 2026-05-31T23:00:00Z): the month in UK
 * time (local midnight to local midnight, as every assurance period), so a
 * case closed at 00:30 BST on 1 June is June's. Returns 0, or -1 when month
 * is not YYYY-MM with a real month. */
int case_audit_month_bounds(const char *month, char from[TS_TEXT_LEN], char to[TS_TEXT_LEN],
                            struct civil_date *first)
{
    if (!month || strlen(month) != 7 || month[4] != '-' || strspn(month, "0123456789") != 4 ||
        strspn(month + 5, "0123456789") != 2)
        return -1;
    int y = atoi(month), m = atoi(month + 5);
    if (y < 2000 || m < 1 || m > 12)
        return -1;
    struct civil_date a = {y, m, 1}, b = {m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1};
    ts_format(ts_uk_midnight(&a), from);
    ts_format(ts_uk_midnight(&b), to);
    if (first)
        *first = a;
    return 0;
}

/* "May 2026" for messages. */
static void month_words(const char *month, char *out, size_t len)
{
    static const char *const names[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
    int m = atoi(month + 5);
    snprintf(out, len, "%s %.4s", m >= 1 && m <= 12 ? names[m - 1] : "?", month);
}

/* A criterion's question, shortened for an error message. */
static void short_question(const char *q, char *out, size_t len)
{
    snprintf(out, len, "%s", q);
    if (strlen(q) >= len && len > 4)
        memcpy(out + len - 4, "...", 4);
}

static json_t *user_ref(struct stmt *st, int id_col, int name_col)
{
    if (stmt_is_null(st, id_col))
        return json_null();
    return json_pack("{s:I, s:o}", "id", (json_int_t)stmt_int(st, id_col), "name",
                     stmt_json_text(st, name_col));
}

/* ---- criteria -------------------------------------------------------------------- */

json_t *case_audit_criteria(struct store *s, const char *record_type)
{
    assert(s);
    struct stmt *st = store_prepare(s, SQL_CA_CRITERIA);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, record_type);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:b, s:I, s:s, s:o, s:o, s:o}", "id",
                           (json_int_t)stmt_int(st, 0), "record_type", stmt_text(st, 1), "key",
                           stmt_text(st, 2), "question", stmt_text(st, 3), "recommendation",
                           (json_int_t)stmt_int(st, 4), "active", stmt_int(st, 5) != 0, "position",
                           (json_int_t)stmt_int(st, 6), "created_at", stmt_text(st, 7),
                           "retired_at", stmt_json_text(st, 8), "created_by", stmt_json_text(st, 9),
                           "retired_by", stmt_json_text(st, 10)));
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static int64_t count_active(struct store *s, const char *record_type)
{
    struct stmt *st = store_prepare(s, SQL_CA_CRITERIA_ACTIVE_COUNT);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, record_type);
    int64_t n = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_reset(st);
    return n;
}

int64_t case_audit_criterion_add(struct store *s, const json_t *body, const struct user *u,
                                 int64_t now, struct domain_error *err)
{
    assert(s && body && err);
    const char *type = jstr(body, "record_type");
    if (!type)
        return domain_fail(err, 422, "missing_field", "record_type",
                           "Choose the kind of record the criterion is for");
    const char *key = given(body, "key");
    if (!key)
        return domain_fail(err, 422, "missing_field", "key", "Enter a key for the criterion");
    if (!field_map_key_ok(key))
        return domain_fail(err, 422, "invalid_field", "key",
                           "The key must be lower-case letters, digits and underscores, starting "
                           "with a letter, like voice_recorded");
    const char *question = given(body, "question");
    if (!question)
        return domain_fail(err, 422, "missing_field", "question",
                           "Enter the question the auditor answers");
    if (!jhas(body, "recommendation"))
        return domain_fail(err, 422, "missing_field", "recommendation",
                           "Enter the number of the recommendation the criterion evidences");
    struct stmt *st = store_prepare(s, SQL_CA_CRITERION_KEY_TAKEN);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, type);
    stmt_bind_text(st, 2, key);
    int rc = stmt_step(st);
    stmt_reset(st);
    if (rc < 0)
        return domain_store_fail(err, s, rc);
    if (rc == STORE_ROW)
        return domain_fail(err, 409, "key_taken", "key",
                           "There is already a criterion with the key '%s' (keys of retired "
                           "criteria are not reused): choose another",
                           key);
    int64_t active = count_active(s, type);
    if (active < 0)
        return domain_store_fail(err, s, STORE_ERROR);
    if (active >= CASE_AUDIT_CRITERIA_MAX)
        return domain_fail(err, 422, "too_many", "key",
                           "There are already %d active criteria: retire one first",
                           CASE_AUDIT_CRITERIA_MAX);
    int64_t position = json_integer_value(json_object_get(body, "position"));
    if (!position) {
        st = store_prepare(s, SQL_CA_CRITERION_NEXT_POSITION);
        if (!st)
            return domain_store_fail(err, s, STORE_ERROR);
        stmt_bind_text(st, 1, type);
        position = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
        stmt_reset(st);
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_CA_CRITERION_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, type);
    stmt_bind_text(st, 2, key);
    stmt_bind_text(st, 3, question);
    stmt_bind_int(st, 4, json_integer_value(json_object_get(body, "recommendation")));
    stmt_bind_int(st, 5, position);
    bind_user(st, 6, u);
    stmt_bind_text(st, 7, ts);
    int64_t id;
    rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return id;
}

int case_audit_criterion_retire(struct store *s, int64_t id, const struct user *u, int64_t now,
                                struct domain_error *err)
{
    assert(s && err);
    struct stmt *st = store_prepare(s, SQL_CA_CRITERION_GET);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        return rc < 0 ? domain_store_fail(err, s, rc)
                      : domain_fail(err, 404, "not_found", NULL, "no criterion with id %lld",
                                    (long long)id);
    }
    char type[64];
    snprintf(type, sizeof(type), "%s", stmt_text(st, 1));
    int active = stmt_int(st, 2) != 0;
    stmt_reset(st);
    if (!active)
        return domain_fail(err, 409, "already_retired", NULL, "this criterion is already retired");
    if (count_active(s, type) <= 1)
        return domain_fail(err, 422, "last_criterion", NULL,
                           "this is the last active criterion for %s audits: add its "
                           "replacement first",
                           type);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_CA_CRITERION_RETIRE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    bind_user(st, 1, u);
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    if (store_changes(s) != 1)
        return domain_fail(err, 409, "already_retired", NULL, "this criterion is already retired");
    return 0;
}

/* ---- sampling -------------------------------------------------------------------------- */

struct candidate {
    int64_t id;
    char area[65];
    int has_area;
};

static int by_area_then_id(const void *pa, const void *pb)
{
    const struct candidate *a = pa, *b = pb;
    if (a->has_area != b->has_area)
        return a->has_area - b->has_area;
    int c = a->has_area ? strcmp(a->area, b->area) : 0;
    if (c)
        return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

static bool same_area(const struct candidate *a, const struct candidate *b)
{
    return a->has_area == b->has_area && (!a->has_area || strcmp(a->area, b->area) == 0);
}

static int by_id(const void *pa, const void *pb)
{
    const struct candidate *a = pa, *b = pb;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Moves k uniformly chosen candidates of c[0..n) to its front (a partial
 * Fisher-Yates shuffle): every k-subset is equally likely. */
static void choose(struct candidate *c, size_t n, size_t k, const struct case_audit_picker *pick)
{
    for (size_t i = 0; i < k && i < n; i++) {
        size_t j = i + pick->uniform(pick->state, (uint32_t)(n - i));
        struct candidate t = c[i];
        c[i] = c[j];
        c[j] = t;
    }
}

static uint32_t sodium_uniform(void *state, uint32_t upper)
{
    (void)state;
    return randombytes_uniform(upper);
}

/* The record type's closed records in [from, to) and area, less those
 * audited before, into *out (malloc'd). Returns the count or -1. */
static int64_t load_candidates(struct store *s, const struct case_audit_record_type *rt,
                               const char *from, const char *to, const char *area,
                               struct candidate **out, struct domain_error *err)
{
    struct candidate *c = NULL;
    size_t n = 0, cap = 0;
    struct stmt *st = store_prepare(s, rt->closed_sql);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, from);
    stmt_bind_text(st, 2, to);
    stmt_bind_text(st, 3, area);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == CASE_AUDIT_CANDIDATES_MAX) {
            stmt_reset(st);
            free(c);
            return domain_fail(err, 422, "too_many_candidates", "area",
                               "more than %d records closed in the month: sample one area at "
                               "a time",
                               CASE_AUDIT_CANDIDATES_MAX);
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct candidate *grown = realloc(c, cap * sizeof(*c));
            if (!grown) {
                stmt_reset(st);
                free(c);
                return domain_fail(err, 500, "out_of_memory", NULL, "out of memory");
            }
            c = grown;
        }
        c[n].id = stmt_int(st, 0);
        c[n].has_area = !stmt_is_null(st, 1);
        snprintf(c[n].area, sizeof(c[n].area), "%s", c[n].has_area ? stmt_text(st, 1) : "");
        n++;
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        free(c);
        return domain_store_fail(err, s, rc);
    }
    /* Never a record audited before (in any month, by any sample). */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        st = store_prepare(s, SQL_CA_AUDITED);
        if (!st) {
            free(c);
            return domain_store_fail(err, s, STORE_ERROR);
        }
        stmt_bind_text(st, 1, rt->name);
        stmt_bind_int(st, 2, c[i].id);
        rc = stmt_step(st);
        stmt_reset(st);
        if (rc < 0) {
            free(c);
            return domain_store_fail(err, s, rc);
        }
        if (rc == STORE_DONE)
            c[kept++] = c[i];
    }
    *out = c;
    return (int64_t)kept;
}

/* Whether user id may be given audits: an active user holding
 * case_audits.conduct. */
static int may_audit(struct store *s, int64_t id)
{
    struct user a;
    int disabled = 0;
    if (user_load(s, id, &a, &disabled) < 0 || disabled)
        return 0;
    return permset_has(&a.perms, PERM_CASE_AUDITS_CONDUCT);
}

int64_t case_audit_sample_with(struct store *s, const json_t *body, const struct user *u,
                               int64_t now, const struct case_audit_picker *pick,
                               struct domain_error *err)
{
    assert(s && body && pick && err);
    const char *type = jstr(body, "record_type");
    if (!type)
        return domain_fail(err, 422, "missing_field", "record_type",
                           "Choose the kind of record to sample");
    const struct case_audit_record_type *rt = case_audit_record_type_find(type);
    assert(rt); /* the validator's enum names only rows of the table */
    const char *month = given(body, "month");
    char from[TS_TEXT_LEN], to[TS_TEXT_LEN];
    struct civil_date first;
    if (!month)
        return domain_fail(err, 422, "missing_field", "month",
                           "Enter the month the records closed in, like 2026-05");
    if (case_audit_month_bounds(month, from, to, &first) < 0)
        return domain_fail(err, 422, "invalid_field", "month",
                           "The month must be written YYYY-MM, like 2026-05");
    struct civil_date today = date_of_ts(now);
    if (first.year * 12 + first.month > today.year * 12 + today.month)
        return domain_fail(err, 422, "invalid_field", "month",
                           "The month must not be in the future");
    const char *method = jstr(body, "method");
    if (!method)
        return domain_fail(err, 422, "missing_field", "method",
                           "Choose how to sample: a number at random, or a share of each area");
    int random = strcmp(method, "random") == 0;
    const char *need = random ? "count" : "percent";
    if (!jhas(body, need))
        return domain_fail(err, 422, "missing_field", need,
                           random ? "Enter how many records to sample"
                                  : "Enter the percentage of each area's records to sample");
    /* The other method's number, if sent, is not used: a form posts both. */
    int64_t requested = json_integer_value(json_object_get(body, need));
    const char *area = given(body, "area");
    int64_t auditor = u ? u->id : 0;
    const json_t *a = json_object_get(body, "auditor");
    if (json_is_integer(a))
        auditor = json_integer_value(a);
    if (auditor <= 0 || !may_audit(s, auditor))
        return domain_fail(err, 422, "invalid_field", "auditor",
                           "Choose an auditor: an active user who may conduct case audits");

    struct candidate *c = NULL;
    int64_t n = load_candidates(s, rt, from, to, area, &c, err);
    if (n < 0)
        return -1;
    if (n == 0) {
        free(c);
        char words[32];
        month_words(month, words, sizeof(words));
        return domain_fail(err, 422, "no_candidates", "month",
                           "There are no closed %s records from %s%s%s that have not been "
                           "audited already",
                           rt->name, words, area ? " in " : "", area ? area : "");
    }
    /* Choose: the chosen are moved to the front of c (random), or of each
     * area's run of c (share), and flagged by collecting them at the front. */
    size_t chosen = 0;
    if (random) {
        chosen = (size_t)(requested < n ? requested : n);
        choose(c, (size_t)n, chosen, pick);
    } else {
        qsort(c, (size_t)n, sizeof(*c), by_area_then_id);
        for (size_t start = 0; start < (size_t)n;) {
            size_t end = start + 1;
            while (end < (size_t)n && same_area(&c[start], &c[end]))
                end++;
            /* At least one of every area that had any: the share rounds up. */
            size_t g = end - start, k = (size_t)(((int64_t)g * requested + 99) / 100);
            choose(c + start, g, k, pick);
            memmove(c + chosen, c + start, k * sizeof(*c)); /* chosen <= start */
            chosen += k;
            start = end;
        }
    }
    qsort(c, chosen, sizeof(*c), by_id);

    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CA_SAMPLE_INSERT);
    if (!st) {
        free(c);
        return domain_store_fail(err, s, STORE_ERROR);
    }
    stmt_bind_text(st, 1, rt->name);
    stmt_bind_text(st, 2, month);
    stmt_bind_text(st, 3, method);
    stmt_bind_int(st, 4, requested);
    stmt_bind_text(st, 5, area);
    stmt_bind_int(st, 6, n);
    stmt_bind_int(st, 7, (int64_t)chosen);
    bind_user(st, 8, u);
    stmt_bind_text(st, 9, ts);
    int64_t sample_id;
    int rc = stmt_returning_id(st, &sample_id);
    for (size_t i = 0; rc == STORE_OK && i < chosen; i++) {
        st = store_prepare(s, SQL_CA_AUDIT_INSERT);
        if (!st) {
            rc = STORE_ERROR;
            break;
        }
        stmt_bind_int(st, 1, sample_id);
        stmt_bind_text(st, 2, rt->name);
        stmt_bind_int(st, 3, c[i].id);
        stmt_bind_text(st, 4, c[i].has_area ? c[i].area : NULL);
        stmt_bind_text(st, 5, month);
        stmt_bind_int(st, 6, auditor);
        stmt_bind_text(st, 7, ts);
        stmt_bind_text(st, 8, ts);
        rc = store_exec_stmt(st);
    }
    free(c);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return sample_id;
}

int64_t case_audit_sample(struct store *s, const json_t *body, const struct user *u, int64_t now,
                          struct domain_error *err)
{
    static const struct case_audit_picker sodium = {.uniform = sodium_uniform};
    return case_audit_sample_with(s, body, u, now, &sodium, err);
}

/* Active users who may conduct audits: [{id, name, area, selected}]. */
static json_t *auditors(struct store *s, int64_t selected)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_CA_USERS_WITH_ROLES);
    if (!st)
        return arr;
    int64_t last = 0;
    while (stmt_step(st) == STORE_ROW) {
        int64_t id = stmt_int(st, 0);
        const struct role_def *r = role_find(stmt_text(st, 3));
        struct permset p = {{0}};
        if (r)
            role_grant(r, &p);
        if (id == last || !permset_has(&p, PERM_CASE_AUDITS_CONDUCT))
            continue;
        last = id;
        json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:b}", "id", (json_int_t)id, "name",
                                             stmt_text(st, 1), "area", stmt_json_text(st, 2),
                                             "selected", id == selected));
    }
    stmt_reset(st);
    return arr;
}

/* The policing areas in use: [{name, selected}]. */
static json_t *areas(struct store *s, const char *selected)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_CA_AREAS);
    if (!st)
        return arr;
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:b}", "name", stmt_text(st, 0), "selected",
                                             selected && strcmp(selected, stmt_text(st, 0)) == 0));
    stmt_reset(st);
    return arr;
}

/* The record types: [{name, title, recommendation, selected}]. */
static json_t *record_types_json(const char *selected)
{
    json_t *arr = json_array();
    for (int i = 0; i < case_audit_record_type_count; i++) {
        const struct case_audit_record_type *rt = &case_audit_record_types[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:i, s:b, s:b}", "name", rt->name, "title", rt->title,
                           "recommendation", rt->recommendation, "selected",
                           selected && strcmp(selected, rt->name) == 0, "first", i == 0));
    }
    return arr;
}

json_t *case_audit_sample_choices(struct store *s, const struct user *u, int64_t now,
                                  const json_t *posted)
{
    assert(s);
    struct civil_date t = date_of_ts(now);
    char last_month[16];
    int pm = t.year * 12 + t.month - 2;
    snprintf(last_month, sizeof(last_month), "%04d-%02d", (pm / 12) % 10000, (pm % 12 + 1) % 100);
    int64_t auditor = u ? u->id : 0;
    const char *type = case_audit_record_types[0].name, *area = NULL;
    if (posted) {
        const json_t *a = json_object_get(posted, "auditor");
        if (json_is_integer(a))
            auditor = json_integer_value(a);
        type = jstr(posted, "record_type");
        area = jstr(posted, "area");
    }
    /* The defaults a new form starts with (a GET's answer is also the form's
     * values): last month's records, a tenth of each area's. */
    return json_pack("{s:o, s:[s, s], s:o, s:o, s:s, s:s, s:s, s:i, s:i}", "record_types",
                     record_types_json(type), "methods", "random", "share", "areas", areas(s, area),
                     "auditors", auditors(s, auditor), "record_type",
                     case_audit_record_types[0].name, "month", last_month, "method", "share",
                     "percent", 10, "sample_max", CASE_AUDIT_SAMPLE_MAX);
}

/* ---- reading audits --------------------------------------------------------------------- */

/* The record's summary: {reference, href, summary: {column: value},
 * facts: [{key, value, kind}]} (facts for the page: values as text, kind
 * "time" for columns ending "_at"). NULL when the record is gone. */
static json_t *record_summary(struct store *s, const struct case_audit_record_type *rt, int64_t id)
{
    struct stmt *st = store_prepare(s, rt->summary_sql);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *summary = json_object(), *facts = json_array();
    int n = stmt_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = stmt_column_name(st, i);
        json_t *v;
        char text[64];
        if (stmt_is_null(st, i)) {
            v = json_null();
        } else if (!stmt_text(st, i)[0] ||
                   strspn(stmt_text(st, i), "0123456789") != strlen(stmt_text(st, i))) {
            v = json_string(stmt_text(st, i));
        } else {
            v = json_integer((json_int_t)stmt_int(st, i));
        }
        json_object_set_new(summary, i == 0 ? "reference" : name, v);
        if (i == 0)
            continue;
        size_t l = strlen(name);
        json_t *shown = v;
        if (json_is_integer(v)) {
            snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(v));
            shown = json_string(text);
        } else {
            json_incref(v);
        }
        json_array_append_new(
            facts, json_pack("{s:s, s:o, s:s}", "key", name, "value", shown, "kind",
                             l > 3 && strcmp(name + l - 3, "_at") == 0 ? "time" : "text"));
    }
    stmt_reset(st);
    json_t *reference = json_object_get(summary, "reference");
    return json_pack("{s:s, s:I, s:O, s:o, s:o, s:o}", "type", rt->name, "id", (json_int_t)id,
                     "reference", reference ? reference : json_null(), "href",
                     json_sprintf("%s%lld", rt->page, (long long)id), "summary", summary, "facts",
                     facts);
}

static bool may_grade(const struct user *u, int64_t auditor_id)
{
    return u && (u->id == auditor_id || permset_has(&u->perms, PERM_CASE_AUDITS_MANAGE));
}

/* One row of SQL_CA_AUDIT_GET / _LIST as JSON (without the record). */
static json_t *audit_row(struct stmt *st)
{
    const struct case_audit_record_type *rt = case_audit_record_type_find(stmt_text(st, 2));
    return json_pack(
        "{s:I, s:I, s:s, s:s, s:I, s:o, s:s, s:o, s:s, s:o, s:I, s:s, s:s, s:s, s:o, s:s, "
        "s:o, s:o, s:o}",
        "id", (json_int_t)stmt_int(st, 0), "sample_id", (json_int_t)stmt_int(st, 1), "record_type",
        stmt_text(st, 2), "record_type_title", rt ? rt->title : stmt_text(st, 2), "record_id",
        (json_int_t)stmt_int(st, 3), "area", stmt_json_text(st, 4), "month", stmt_text(st, 5),
        "auditor", user_ref(st, 6, 7), "status", stmt_text(st, 8), "completed_at",
        stmt_json_text(st, 9), "version", (json_int_t)stmt_int(st, 10), "created_at",
        stmt_text(st, 11), "updated_at", stmt_text(st, 12), "method", stmt_text(st, 13),
        "sampled_by", user_ref(st, 14, 15), "sampled_at", stmt_text(st, 16), "overall_grade",
        stmt_json_text(st, 17), "graded_at", stmt_json_text(st, 18), "graded_by",
        stmt_json_text(st, 19));
}

static json_t *grades_of(struct store *s, int64_t grading_id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_CA_GRADES);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, grading_id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:s, s:o}", "key", stmt_text(st, 0),
                                             "question", stmt_text(st, 1), "recommendation",
                                             (json_int_t)stmt_int(st, 2), "grade", stmt_text(st, 3),
                                             "reason", stmt_json_text(st, 4)));
    stmt_reset(st);
    return arr;
}

static json_t *scale_json(void)
{
    return json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "value", "good", "label",
                     "Good", "value", "requires_improvement", "label", "Requires improvement",
                     "value", "inadequate", "label", "Inadequate", "value", "not_applicable",
                     "label", "Not applicable");
}

json_t *case_audit_get(struct store *s, int64_t id, const struct user *viewer)
{
    assert(s);
    struct stmt *st = store_prepare(s, SQL_CA_AUDIT_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = audit_row(st);
    stmt_reset(st);
    const struct case_audit_record_type *rt = case_audit_record_type_find(jstr(o, "record_type"));
    int64_t record_id = json_integer_value(json_object_get(o, "record_id"));
    json_t *record = rt ? record_summary(s, rt, record_id) : NULL;
    json_object_set_new(o, "record", record ? record : json_null());

    /* The history, newest first; the first is the grading in force. */
    json_t *gradings = json_array();
    st = store_prepare(s, SQL_CA_GRADINGS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(
                gradings,
                json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o}", "id", (json_int_t)stmt_int(st, 0),
                          "version", (json_int_t)stmt_int(st, 1), "overall_grade", stmt_text(st, 2),
                          "overall_reason", stmt_text(st, 3), "learning", stmt_json_text(st, 4),
                          "graded_at", stmt_text(st, 5), "graded_by", stmt_json_text(st, 6)));
        stmt_reset(st);
    }
    size_t i;
    json_t *g;
    json_array_foreach(gradings, i, g)
    {
        json_object_set_new(g, "grades",
                            grades_of(s, json_integer_value(json_object_get(g, "id"))));
        json_object_del(g, "id");
    }
    json_t *current = json_array_get(gradings, 0);

    /* The form: every active criterion, with the grade in force when the
     * current grading has one for it. */
    json_t *criteria = json_array();
    st = store_prepare(s, SQL_CA_CRITERIA_ACTIVE);
    if (st) {
        stmt_bind_text(st, 1, jstr(o, "record_type"));
        while (stmt_step(st) == STORE_ROW) {
            const char *key = stmt_text(st, 1);
            json_t *grade = json_null(), *reason = json_null();
            json_t *cg;
            size_t k;
            json_array_foreach(current ? json_object_get(current, "grades") : NULL, k, cg)
            {
                if (strcmp(jstr(cg, "key"), key) == 0) {
                    json_decref(grade);
                    json_decref(reason);
                    grade = json_incref(json_object_get(cg, "grade"));
                    reason = json_incref(json_object_get(cg, "reason"));
                }
            }
            json_array_append_new(criteria,
                                  json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:n, s:n}", "id",
                                            (json_int_t)stmt_int(st, 0), "key", key, "question",
                                            stmt_text(st, 2), "recommendation",
                                            (json_int_t)stmt_int(st, 3), "grade", grade, "reason",
                                            reason, "error_grade", "error_reason"));
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "criteria", criteria);
    json_object_set_new(
        o, "overall",
        json_pack("{s:O, s:O, s:O}", "grade",
                  current ? json_object_get(current, "overall_grade") : json_null(), "reason",
                  current ? json_object_get(current, "overall_reason") : json_null(), "learning",
                  current ? json_object_get(current, "learning") : json_null()));
    json_object_set_new(o, "gradings", gradings);
    json_object_set_new(o, "can_grade",
                        json_boolean(may_grade(viewer, json_integer_value(json_object_get(
                                                           json_object_get(o, "auditor"), "id")))));
    json_object_set_new(o, "scale", scale_json());
    return o;
}

json_t *case_audit_list(struct store *s, const struct case_audit_filter *f, const struct user *u)
{
    assert(s && f && f->view);
    struct stmt *st = store_prepare(s, SQL_CA_AUDIT_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, f->view);
    bind_user(st, 2, u);
    stmt_bind_text(st, 3, f->month);
    stmt_bind_text(st, 4, f->area);
    stmt_bind_text(st, 5, f->record_type);
    if (f->sample_id)
        stmt_bind_int(st, 6, f->sample_id);
    else
        stmt_bind_null(st, 6);
    json_t *list = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        json_array_append_new(list, audit_row(st));
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(list);
        return NULL;
    }
    /* Each audit's record reference (and only that: no names in a list). */
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a)
    {
        const struct case_audit_record_type *rt =
            case_audit_record_type_find(jstr(a, "record_type"));
        int64_t rid = json_integer_value(json_object_get(a, "record_id"));
        json_t *rec = rt ? record_summary(s, rt, rid) : NULL;
        json_object_set(a, "reference", rec ? json_object_get(rec, "reference") : json_null());
        json_object_set(a, "href", rec ? json_object_get(rec, "href") : json_null());
        json_decref(rec);
    }

    json_t *counts = json_object();
    st = store_prepare(s, SQL_CA_AUDIT_COUNTS);
    if (st) {
        bind_user(st, 1, u);
        stmt_bind_text(st, 2, f->month);
        stmt_bind_text(st, 3, f->area);
        stmt_bind_text(st, 4, f->record_type);
        if (f->sample_id)
            stmt_bind_int(st, 5, f->sample_id);
        else
            stmt_bind_null(st, 5);
        if (stmt_step(st) == STORE_ROW) {
            static const char *const keys[] = {"mine", "pending", "completed", "all"};
            for (int k = 0; k < 4; k++)
                json_object_set_new(counts, keys[k], json_integer((json_int_t)stmt_int(st, k)));
        }
        stmt_reset(st);
    }

    json_t *sample = json_null();
    if (f->sample_id && (st = store_prepare(s, SQL_CA_SAMPLE_GET))) {
        stmt_bind_int(st, 1, f->sample_id);
        if (stmt_step(st) == STORE_ROW) {
            json_decref(sample);
            sample =
                json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:I, s:I, s:s, s:o}", "id",
                          (json_int_t)stmt_int(st, 0), "record_type", stmt_text(st, 1), "month",
                          stmt_text(st, 2), "method", stmt_text(st, 3), "requested",
                          (json_int_t)stmt_int(st, 4), "area", stmt_json_text(st, 5), "candidates",
                          (json_int_t)stmt_int(st, 6), "sampled", (json_int_t)stmt_int(st, 7),
                          "sampled_at", stmt_text(st, 8), "sampled_by", stmt_json_text(st, 9));
        }
        stmt_reset(st);
    }
    json_t *filter =
        json_pack("{s:o, s:o, s:o, s:o}", "month", f->month ? json_string(f->month) : json_null(),
                  "area", f->area ? json_string(f->area) : json_null(), "record_type",
                  f->record_type ? json_string(f->record_type) : json_null(), "sample",
                  f->sample_id ? json_integer((json_int_t)f->sample_id) : json_null());
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "view", f->view, "filter", filter,
                     "counts", counts, "audits", list, "sample", sample, "areas", areas(s, f->area),
                     "record_types", record_types_json(f->record_type));
}

/* ---- grading ---------------------------------------------------------------------------- */

struct criterion_row {
    int64_t id;
    char key[FIELD_MAP_KEY_MAX + 1];
    char question[160];
    const char *grade, *reason; /* borrowed from the body */
};

int case_audit_grade(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err)
{
    assert(s && body && err);
    struct stmt *st = store_prepare(s, SQL_CA_AUDIT_GET);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        return rc < 0 ? domain_store_fail(err, s, rc)
                      : domain_fail(err, 404, "not_found", NULL, "no case audit with id %lld",
                                    (long long)id);
    }
    char type[64];
    snprintf(type, sizeof(type), "%s", stmt_text(st, 2));
    int64_t auditor_id = stmt_int(st, 6), version = stmt_int(st, 10);
    stmt_reset(st);
    if (!may_grade(u, auditor_id))
        return domain_fail(err, 403, "not_your_audit", NULL,
                           "this audit is given to another auditor: only they or the audit "
                           "team may grade it");
    int64_t given_version = (int64_t)json_integer_value(json_object_get(body, "version"));
    if (given_version != version)
        return domain_fail(err, 409, "stale_version", "version",
                           "the audit was graded by someone else since you opened it (version "
                           "%lld, not %lld): reload it and grade again",
                           (long long)version, (long long)given_version);

    /* The criteria in force, each matched to its grade in the body. */
    struct criterion_row rows[CASE_AUDIT_CRITERIA_MAX];
    int nrows = 0;
    const json_t *grades = json_object_get(body, "grades");
    st = store_prepare(s, SQL_CA_CRITERIA_ACTIVE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, type);
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (nrows == CASE_AUDIT_CRITERIA_MAX) {
            stmt_reset(st);
            return domain_fail(err, 500, "too_many_criteria", NULL,
                               "%s audits have more than %d active criteria: retire some", type,
                               CASE_AUDIT_CRITERIA_MAX);
        }
        struct criterion_row *r = &rows[nrows++];
        r->id = stmt_int(st, 0);
        snprintf(r->key, sizeof(r->key), "%s", stmt_text(st, 1));
        short_question(stmt_text(st, 2), r->question, sizeof(r->question));
        const json_t *g = json_object_get(grades, r->key);
        r->grade = jstr(g, "grade");
        r->reason = given(g, "reason");
    }
    stmt_reset(st);
    if (rc < 0)
        return domain_store_fail(err, s, rc);

    /* A grade for a criterion not in force (retired since the form was
     * opened, or never one): the auditor must see the criteria as they are. */
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)grades, k, v)
    {
        int known = 0;
        for (int i = 0; i < nrows && !known; i++)
            known = strcmp(rows[i].key, k) == 0;
        if (!known)
            return domain_fail(err, 422, "unknown_criterion", NULL,
                               "'grades.%.40s' is not an active criterion for %s audits: reload "
                               "the audit to see the criteria in force",
                               k, type);
    }
    for (int i = 0; i < nrows; i++) {
        struct criterion_row *r = &rows[i];
        char field[64];
        if (!r->grade) {
            snprintf(field, sizeof(field), "grades.%s.grade", r->key);
            return domain_fail(err, 422, "missing_field", field, "Choose a grade for '%s'",
                               r->question);
        }
        int needs_reason =
            strcmp(r->grade, "requires_improvement") == 0 || strcmp(r->grade, "inadequate") == 0;
        if (needs_reason && !r->reason) {
            snprintf(field, sizeof(field), "grades.%s.reason", r->key);
            return domain_fail(err, 422, "missing_field", field,
                               "Give the reason for grading '%s' as %s", r->question,
                               strcmp(r->grade, "inadequate") == 0 ? "inadequate"
                                                                   : "requires improvement");
        }
    }
    const char *overall = jstr(body, "overall_grade");
    if (!overall)
        return domain_fail(err, 422, "missing_field", "overall_grade",
                           "Choose an overall grade for the case");
    const char *overall_reason = given(body, "overall_reason");
    if (!overall_reason)
        return domain_fail(err, 422, "missing_field", "overall_reason",
                           "Give the reason for the overall grade");

    /* Everything is checked: now the writes, the version first. */
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_CA_AUDIT_CLAIM);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    stmt_bind_int(st, 3, version);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    if (store_changes(s) != 1)
        return domain_fail(err, 409, "stale_version", "version",
                           "the audit was graded by someone else: reload it and grade again");
    st = store_prepare(s, SQL_CA_GRADING_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, version + 1);
    stmt_bind_text(st, 3, overall);
    stmt_bind_text(st, 4, overall_reason);
    stmt_bind_text(st, 5, given(body, "learning"));
    bind_user(st, 6, u);
    stmt_bind_text(st, 7, ts);
    int64_t grading_id;
    if ((rc = stmt_returning_id(st, &grading_id)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    for (int i = 0; i < nrows; i++) {
        st = store_prepare(s, SQL_CA_GRADE_INSERT);
        if (!st)
            return domain_store_fail(err, s, STORE_ERROR);
        stmt_bind_int(st, 1, grading_id);
        stmt_bind_int(st, 2, rows[i].id);
        stmt_bind_text(st, 3, rows[i].grade);
        stmt_bind_text(st, 4, rows[i].reason);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return domain_store_fail(err, s, rc);
    }
    st = store_prepare(s, SQL_CA_AUDIT_GRADED);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, grading_id);
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

/* ---- measures ------------------------------------------------------------------------- */

static int count4(struct store *s, const char *sql, const char *from_ts, const char *to_ts,
                  const char *area, int64_t rec, const char *type, int64_t *num, int64_t *den)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, from_ts);
    stmt_bind_text(st, 2, to_ts);
    stmt_bind_text(st, 3, area);
    if (type)
        stmt_bind_text(st, 4, type);
    else
        stmt_bind_int(st, 4, rec);
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

#define CRITERIA_MEASURE(n)                                                                        \
    int case_audit_measure_criteria_r##n(struct store *s, const char *from_ts, const char *to_ts,  \
                                         const char *area, int64_t *num, int64_t *den)             \
    {                                                                                              \
        return count4(s, SQL_CA_M_CRITERIA_GOOD, from_ts, to_ts, area, n, NULL, num, den);         \
    }
CRITERIA_MEASURE(1)
CRITERIA_MEASURE(2)
CRITERIA_MEASURE(4)
CRITERIA_MEASURE(5)

int case_audit_measure_incidents_overall(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den)
{
    return count4(s, SQL_CA_M_OVERALL_GOOD, from_ts, to_ts, area, 0, "incident", num, den);
}
