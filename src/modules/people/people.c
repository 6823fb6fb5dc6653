/*
 * people.c — the person record: validation beyond types, create, update with
 * optimistic concurrency, read as JSON, and the duplicate check.
 */
#include "modules/people/people.h"
#include "auth/roles.h"
#include "core/date.h"
#include "core/names.h"
#include "modules/people/people_internal.h"
#include "modules/people/people_sql.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* registered_sex_offender stands until the offender register (issue 13)
 * holds it; online referrals read it. */
const char *const person_flag_kinds[] = {"child_protection_plan",   "looked_after",
                                         "child_in_need",           "exploitation_risk",
                                         "registered_sex_offender", NULL};
static const char *const genders[] = {"female", "male", "other", "unknown", NULL};
static const char *const dob_accuracies[] = {"exact", "approximate", "unknown", NULL};

static const struct field alias_fields[] = {
    {.name = "given_name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {.name = "family_name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {0}};

static const struct field address_fields[] = {
    {.name = "line1", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "line2", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "town", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 100},
    {.name = "postcode", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 10},
    {.name = "valid_from", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "valid_to", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {0}};

static const struct field flag_fields[] = {
    {.name = "flag", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = person_flag_kinds},
    {.name = "valid_from", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "valid_to", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "local_authority", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 2000},
    {0}};

/* Who may see a restricted record; null lifts the restriction. */
static const struct field restriction_fields[] = {
    {.name = "roles", .type = FIELD_ARRAY, .max_len = ROLE_COUNT, .values = role_names},
    {.name = "teams", .type = FIELD_STRINGS, .max_len = 20, .max = 64},
    {0}};

#define PERSON_COMMON_FIELDS                                                                       \
    {.name = "aliases", .type = FIELD_ARRAY, .max_len = 16, .children = alias_fields},             \
        {.name = "dob", .type = FIELD_DATE, .flags = FIELD_NULLABLE},                              \
        {.name = "dob_accuracy", .type = FIELD_ENUM, .values = dob_accuracies},                    \
        {.name = "gender", .type = FIELD_ENUM, .values = genders},                                 \
        {.name = "ethnicity", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 100},      \
        {.name = "addresses", .type = FIELD_ARRAY, .max_len = 50, .children = address_fields},     \
        {.name = "flags", .type = FIELD_ARRAY, .max_len = 50, .children = flag_fields},            \
    {                                                                                              \
        .name = "restricted_to", .type = FIELD_OBJECT, .flags = FIELD_NULLABLE,                    \
        .children = restriction_fields                                                             \
    }

const struct field person_create_fields[] = {
    {.name = "given_name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {.name = "family_name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    PERSON_COMMON_FIELDS,
    {.name = "confirmed_new", .type = FIELD_BOOL},
    {0}};

const struct field person_update_fields[] = {
    {.name = "version", .type = FIELD_INT, .min = 1, .max = 1000000000},
    {.name = "given_name", .type = FIELD_STRING, .max_len = 100},
    {.name = "family_name", .type = FIELD_STRING, .max_len = 100},
    PERSON_COMMON_FIELDS,
    {0}};

/* ---- rules the field table cannot express -------------------------------- */

/* Dates in order, dates of birth not in the future, and accuracy consistent
 * with whether a date was given. `merged` is the record as it would be. */
static int check_rules(const json_t *merged, int64_t now, struct domain_error *err)
{
    /* A name with no letters in any script could never be found again. */
    static const char *const name_keys[] = {"given_name", "family_name"};
    for (int k = 0; k < 2; k++) {
        char toks[1][NAME_TOKEN_MAX];
        if (name_tokenise(jstr(merged, name_keys[k]), toks, 1) == 0)
            return domain_fail(err, 422, "invalid_field", name_keys[k],
                               "'%s' must contain a letter", name_keys[k]);
    }
    char today[DATE_TEXT_LEN];
    struct civil_date td = date_of_ts(now);
    date_format(&td, today);
    const char *dob = jstr(merged, "dob");
    const char *acc = jstr(merged, "dob_accuracy");
    if (dob && strcmp(dob, today) > 0)
        return domain_fail(err, 422, "invalid_date", "dob", "'dob' must not be in the future");
    if (dob && acc && strcmp(acc, "unknown") == 0)
        return domain_fail(err, 422, "invalid_field", "dob_accuracy",
                           "'dob_accuracy' cannot be 'unknown' when a date of birth is given");
    if (!dob && acc && strcmp(acc, "unknown") != 0)
        return domain_fail(err, 422, "invalid_field", "dob_accuracy",
                           "'dob_accuracy' must be 'unknown' when no date of birth is given");
    const json_t *rt = json_object_get(merged, "restricted_to");
    if (json_is_object(rt) && json_array_size(json_object_get(rt, "roles")) == 0 &&
        json_array_size(json_object_get(rt, "teams")) == 0)
        return domain_fail(
            err, 422, "invalid_field", "restricted_to",
            "'restricted_to' must name at least one role or team (or be null to lift "
            "the restriction)");
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(merged, "addresses"), i, item)
    {
        const char *from = jstr(item, "valid_from"), *to = jstr(item, "valid_to");
        if (from && to && strcmp(from, to) > 0) {
            char f[64];
            snprintf(f, sizeof(f), "addresses[%zu].valid_to", i);
            return domain_fail(err, 422, "invalid_date", f, "'%s' must not be before valid_from",
                               f);
        }
    }
    json_array_foreach(json_object_get(merged, "flags"), i, item)
    {
        const char *from = jstr(item, "valid_from"), *to = jstr(item, "valid_to");
        char f[64];
        if (from && to && strcmp(from, to) > 0) {
            snprintf(f, sizeof(f), "flags[%zu].valid_to", i);
            return domain_fail(err, 422, "invalid_date", f, "'%s' must not be before valid_from",
                               f);
        }
        const char *kind = jstr(item, "flag");
        if (kind && strcmp(kind, "looked_after") == 0 && !jstr(item, "local_authority")) {
            snprintf(f, sizeof(f), "flags[%zu].local_authority", i);
            return domain_fail(
                err, 422, "missing_field", f,
                "'%s' is required for a looked-after child: name the responsible local "
                "authority",
                f);
        }
    }
    return 0;
}

/* ---- writing ------------------------------------------------------------- */

static int write_children(struct store *s, int64_t id, const json_t *rec, int replace,
                          struct domain_error *err)
{
    static const struct {
        const char *key, *del;
    } lists[] = {{"aliases", SQL_ALIAS_DELETE},
                 {"addresses", SQL_ADDRESS_DELETE},
                 {"flags", SQL_FLAG_DELETE}};
    int rc;
    for (size_t l = 0; l < 3; l++) {
        const json_t *arr = json_object_get(rec, lists[l].key);
        if (!arr)
            continue;
        if (replace) {
            struct stmt *st = store_prepare(s, lists[l].del);
            stmt_bind_int(st, 1, id);
            if ((rc = store_exec_stmt(st)) != STORE_OK)
                return domain_store_fail(err, s, rc);
        }
        size_t i;
        json_t *it;
        json_array_foreach(arr, i, it)
        {
            struct stmt *st;
            if (l == 0) {
                st = store_prepare(s, SQL_ALIAS_INSERT);
                stmt_bind_int(st, 1, id);
                stmt_bind_text(st, 2, jstr(it, "given_name"));
                stmt_bind_text(st, 3, jstr(it, "family_name"));
            } else if (l == 1) {
                st = store_prepare(s, SQL_ADDRESS_INSERT);
                stmt_bind_int(st, 1, id);
                stmt_bind_text(st, 2, jstr(it, "line1"));
                stmt_bind_text(st, 3, jstr(it, "line2"));
                stmt_bind_text(st, 4, jstr(it, "town"));
                stmt_bind_text(st, 5, jstr(it, "postcode"));
                stmt_bind_text(st, 6, jstr(it, "valid_from"));
                stmt_bind_text(st, 7, jstr(it, "valid_to"));
            } else {
                st = store_prepare(s, SQL_FLAG_INSERT);
                stmt_bind_int(st, 1, id);
                stmt_bind_text(st, 2, jstr(it, "flag"));
                stmt_bind_text(st, 3, jstr(it, "valid_from"));
                stmt_bind_text(st, 4, jstr(it, "valid_to"));
                stmt_bind_text(st, 5, jstr(it, "local_authority"));
                stmt_bind_text(st, 6, jstr(it, "note"));
            }
            if ((rc = store_exec_stmt(st)) != STORE_OK)
                return domain_store_fail(err, s, rc);
        }
    }
    return 0;
}

/* Replaces the record's restriction when the body names one (or null). */
static int write_restrictions(struct store *s, int64_t id, const json_t *rec,
                              struct domain_error *err)
{
    const json_t *rt = json_object_get(rec, "restricted_to");
    if (!rt)
        return 0;
    struct stmt *st = store_prepare(s, SQL_RESTRICTION_DELETE);
    stmt_bind_int(st, 1, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    static const char *const kinds[][2] = {{"roles", "role"}, {"teams", "team"}};
    for (int k = 0; k < 2 && json_is_object(rt); k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(rt, kinds[k][0]), i, v)
        {
            st = store_prepare(s, SQL_RESTRICTION_INSERT);
            stmt_bind_int(st, 1, id);
            stmt_bind_text(st, 2, kinds[k][1]);
            stmt_bind_text(st, 3, json_string_value(v));
            if ((rc = store_exec_stmt(st)) != STORE_OK)
                return domain_store_fail(err, s, rc);
        }
    }
    st = store_prepare(s, SQL_PERSON_SET_RESTRICTED);
    stmt_bind_int(st, 1, json_is_object(rt));
    stmt_bind_int(st, 2, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    return 0;
}

static const char *accuracy_of(const json_t *rec)
{
    const char *acc = jstr(rec, "dob_accuracy");
    if (acc)
        return acc;
    return jstr(rec, "dob") ? "exact" : "unknown";
}

static json_t *brief_json(struct store *s, int64_t id, int64_t now);

/* Possible duplicates of a new person: same name (tolerantly) and a date of
 * birth that fits or is unknown on either side. */
static json_t *find_duplicates(struct store *s, const json_t *body, int64_t now,
                               const struct user *viewer, size_t *hidden)
{
    char q[256];
    snprintf(q, sizeof(q), "%s %s", jstr(body, "given_name"), jstr(body, "family_name"));
    const char *dob = jstr(body, "dob");
    struct person_match *m;
    size_t n;
    if (people_match(s, q, dob, 0.6, viewer, &m, &n, hidden) < 0)
        return NULL;
    json_t *out = json_array();
    for (size_t i = 0; i < n && json_array_size(out) < 10; i++) {
        int dup = dob ? (m[i].name_score >= 0.9 && m[i].dob_score >= 0.7) ||
                            (m[i].name_score >= 0.95 && m[i].dob_score == 0.5)
                      : m[i].name_score >= 0.95;
        if (!dup)
            continue;
        json_t *b = brief_json(s, m[i].id, now);
        if (b) {
            json_object_set_new(b, "score", json_real((double)(int)(m[i].score * 100) / 100));
            json_array_append_new(out, b);
        }
    }
    free(m);
    return out;
}

static person_addresses_hook addresses_hook;

void people_on_addresses_written(person_addresses_hook fn)
{
    addresses_hook = fn;
}

/* The hook, when the body wrote addresses. */
static int addresses_written(struct store *s, int64_t id, const json_t *body, int64_t now,
                             struct domain_error *err)
{
    if (!addresses_hook || !json_is_array(json_object_get(body, "addresses")))
        return 0;
    return addresses_hook(s, id, now, err);
}

int64_t person_create(struct store *s, const json_t *body, int64_t now, const struct user *viewer,
                      struct domain_error *err)
{
    if (check_rules(body, now, err) < 0)
        return -1;
    if (!jbool(body, "confirmed_new", 0)) {
        size_t hidden = 0;
        json_t *dups = find_duplicates(s, body, now, viewer, &hidden);
        if (!dups)
            return domain_store_fail(err, s, STORE_ERROR);
        if (json_array_size(dups)) {
            err->candidates = dups;
            domain_fail(err, 409, "possible_duplicate", NULL,
                        "%zu existing record(s) may be this person: check them, then resend with "
                        "\"confirmed_new\": true if this is someone else",
                        json_array_size(dups));
            return -1;
        }
        (void)hidden; /* restricted matches stay invisible: revealing them would leak */
        json_decref(dups);
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_PERSON_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "given_name"));
    stmt_bind_text(st, 2, jstr(body, "family_name"));
    stmt_bind_text(st, 3, jstr(body, "dob"));
    stmt_bind_text(st, 4, accuracy_of(body));
    stmt_bind_text(st, 5, jstr(body, "gender") ? jstr(body, "gender") : "unknown");
    stmt_bind_text(st, 6, jstr(body, "ethnicity"));
    stmt_bind_text(st, 7, ts);
    stmt_bind_text(st, 8, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    if (write_children(s, id, body, 0, err) < 0 || write_restrictions(s, id, body, err) < 0)
        return -1;
    int rc_index = person_index_names(s, id);
    if (rc_index != STORE_OK)
        return domain_store_fail(err, s, rc_index);
    if (addresses_written(s, id, body, now, err) < 0)
        return -1;
    return id;
}

int person_update(struct store *s, int64_t id, const json_t *body, int64_t version, int64_t now,
                  struct domain_error *err)
{
    json_t *cur = person_get(s, id, now);
    if (!cur)
        return domain_fail(err, 404, "not_found", NULL, "no person with id %lld", (long long)id);
    int64_t have = json_integer_value(json_object_get(cur, "version"));
    if (have != version) {
        json_decref(cur);
        return domain_fail(err, 409, "version_conflict", "version",
                           "this person was changed by someone else (version %lld, you sent %lld): "
                           "reload and apply your change again",
                           (long long)have, (long long)version);
    }
    /* The record as it would be after the change, for rules across fields. */
    json_t *merged = json_deep_copy(cur);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        if (strcmp(key, "version") != 0)
            json_object_set(merged, key, v);
    }
    if (jhas(body, "dob") && !jhas(body, "dob_accuracy"))
        json_object_set_new(merged, "dob_accuracy",
                            json_string(jstr(body, "dob") ? "exact" : "unknown"));
    int ret = check_rules(merged, now, err);
    if (ret == 0) {
        char ts[TS_TEXT_LEN];
        ts_format(now, ts);
        struct stmt *st = store_prepare(s, SQL_PERSON_UPDATE);
        stmt_bind_text(st, 1, jstr(merged, "given_name"));
        stmt_bind_text(st, 2, jstr(merged, "family_name"));
        stmt_bind_text(st, 3, jstr(merged, "dob"));
        stmt_bind_text(st, 4, jstr(merged, "dob_accuracy"));
        stmt_bind_text(st, 5, jstr(merged, "gender"));
        stmt_bind_text(st, 6, jstr(merged, "ethnicity"));
        stmt_bind_text(st, 7, ts);
        stmt_bind_int(st, 8, id);
        stmt_bind_int(st, 9, version);
        int rc = store_exec_stmt(st);
        if (rc != STORE_OK)
            ret = domain_store_fail(err, s, rc);
        else if (store_changes(s) != 1)
            ret =
                domain_fail(err, 409, "version_conflict", "version",
                            "this person was changed by someone else: reload and apply your change "
                            "again");
        else if (write_children(s, id, body, 1, err) < 0 ||
                 write_restrictions(s, id, body, err) < 0 ||
                 addresses_written(s, id, body, now, err) < 0)
            ret = -1;
        else if (jhas(body, "given_name") || jhas(body, "family_name") || jhas(body, "aliases")) {
            int rc_index = person_index_names(s, id);
            if (rc_index != STORE_OK)
                ret = domain_store_fail(err, s, rc_index);
        }
    }
    json_decref(merged);
    json_decref(cur);
    return ret;
}

/* ---- reading ------------------------------------------------------------- */

/* Adds age and is_child, computed on the date of `now` (null when the date
 * of birth is unknown). */
static void add_age(json_t *o, const char *dob, int64_t now)
{
    struct civil_date d, today = date_of_ts(now);
    if (dob && date_parse(dob, &d) == 0) {
        int age = age_on(&d, &today);
        json_object_set_new(o, "age", age >= 0 ? json_integer(age) : json_null());
        json_object_set_new(o, "is_child", json_boolean(is_child_on(&d, &today)));
    } else {
        json_object_set_new(o, "age", json_null());
        json_object_set_new(o, "is_child", json_null());
    }
}

static json_t *brief_json(struct store *s, int64_t id, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_PERSON_BRIEF);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)id, "given_name",
                  stmt_text(st, 1), "family_name", stmt_text(st, 2), "dob", stmt_json_text(st, 3),
                  "dob_accuracy", stmt_text(st, 4), "gender", stmt_text(st, 5));
    add_age(o, stmt_is_null(st, 3) ? NULL : stmt_text(st, 3), now);
    stmt_reset(st);
    return o;
}

json_t *person_get(struct store *s, int64_t id, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_PERSON_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *p =
        json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)id,
                  "version", (json_int_t)stmt_int(st, 7), "given_name", stmt_text(st, 1),
                  "family_name", stmt_text(st, 2), "dob", stmt_json_text(st, 3), "dob_accuracy",
                  stmt_text(st, 4), "gender", stmt_text(st, 5), "ethnicity", stmt_json_text(st, 6),
                  "created_at", stmt_text(st, 8), "updated_at", stmt_text(st, 9));
    add_age(p, stmt_is_null(st, 3) ? NULL : stmt_text(st, 3), now);
    stmt_reset(st);

    json_t *aliases = json_array();
    st = store_prepare(s, SQL_ALIAS_LIST);
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(aliases, json_pack("{s:s, s:s}", "given_name", stmt_text(st, 0),
                                                 "family_name", stmt_text(st, 1)));
    stmt_reset(st);
    json_object_set_new(p, "aliases", aliases);

    char today[DATE_TEXT_LEN];
    struct civil_date td = date_of_ts(now);
    date_format(&td, today);

    json_t *addrs = json_array();
    st = store_prepare(s, SQL_ADDRESS_LIST);
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        const char *to = stmt_is_null(st, 6) ? NULL : stmt_text(st, 6);
        const char *from = stmt_is_null(st, 5) ? NULL : stmt_text(st, 5);
        int current = (!to || strcmp(to, today) >= 0) && (!from || strcmp(from, today) <= 0);
        json_array_append_new(
            addrs, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:b}", "id",
                             (json_int_t)stmt_int(st, 0), "line1", stmt_text(st, 1), "line2",
                             stmt_json_text(st, 2), "town", stmt_json_text(st, 3), "postcode",
                             stmt_json_text(st, 4), "valid_from", stmt_json_text(st, 5), "valid_to",
                             stmt_json_text(st, 6), "current", current));
    }
    stmt_reset(st);
    json_object_set_new(p, "addresses", addrs);

    json_t *flags = json_array();
    st = store_prepare(s, SQL_FLAG_LIST);
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        const char *to = stmt_is_null(st, 3) ? NULL : stmt_text(st, 3);
        int active = strcmp(stmt_text(st, 2), today) <= 0 && (!to || strcmp(to, today) >= 0);
        json_array_append_new(flags, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b}", "id",
                                               (json_int_t)stmt_int(st, 0), "flag",
                                               stmt_text(st, 1), "valid_from", stmt_text(st, 2),
                                               "valid_to", stmt_json_text(st, 3), "local_authority",
                                               stmt_json_text(st, 4), "note", stmt_json_text(st, 5),
                                               "active", active));
    }
    stmt_reset(st);
    json_object_set_new(p, "flags", flags);

    json_t *roles = json_array(), *teams = json_array();
    st = store_prepare(s, SQL_RESTRICTION_LIST);
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(strcmp(stmt_text(st, 0), "role") == 0 ? roles : teams,
                              json_string(stmt_text(st, 1)));
    stmt_reset(st);
    if (json_array_size(roles) || json_array_size(teams)) {
        json_object_set_new(p, "restricted_to",
                            json_pack("{s:o, s:o}", "roles", roles, "teams", teams));
    } else {
        json_decref(roles);
        json_decref(teams);
        json_object_set_new(p, "restricted_to", json_null());
    }
    return p;
}

/* Marks results that share a name (case-folded) and a date of birth with
 * another result on the page: likely one person recorded twice. */
static void mark_duplicates(json_t *results)
{
    size_t n = json_array_size(results);
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(results, i);
        int dup = 0;
        for (size_t j = 0; j < n && !dup; j++) {
            json_t *b = json_array_get(results, j);
            const char *da = jstr(a, "dob"), *db = jstr(b, "dob");
            dup = i != j && da && db && strcmp(da, db) == 0 &&
                  strcasecmp(jstr(a, "given_name"), jstr(b, "given_name")) == 0 &&
                  strcasecmp(jstr(a, "family_name"), jstr(b, "family_name")) == 0;
        }
        json_object_set_new(a, "possible_duplicate", json_boolean(dup));
    }
}

json_t *person_search(struct store *s, const char *q, const char *dob, int page, int per_page,
                      int64_t now, const struct user *viewer, struct domain_error *err)
{
    struct person_match *m;
    size_t n;
    if (people_match(s, q, dob, q ? 0.75 : 0.7, viewer, &m, &n, NULL) < 0) {
        domain_store_fail(err, s, STORE_ERROR);
        return NULL;
    }
    json_t *results = json_array();
    size_t start = (size_t)(page - 1) * (size_t)per_page;
    for (size_t i = start; i < n && i < start + (size_t)per_page; i++) {
        json_t *b = brief_json(s, m[i].id, now);
        if (!b)
            continue;
        json_object_set_new(b, "score", json_real((double)(int)(m[i].score * 1000) / 1000));
        json_array_append_new(results, b);
    }
    free(m);
    mark_duplicates(results);
    return json_pack("{s:o, s:I, s:i, s:i}", "results", results, "total", (json_int_t)n, "page",
                     page, "per_page", per_page);
}

/* ---- data quality -------------------------------------------------------- */

static int64_t count_of(struct store *s, const char *sql, const char *a, const char *b)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return -1;
    if (a)
        stmt_bind_text(st, 1, a);
    if (b)
        stmt_bind_text(st, 2, b);
    int64_t n = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_reset(st);
    return n;
}

/* Counts only: no named person, so the board may see it. */
json_t *person_data_quality(struct store *s, int64_t now)
{
    static const struct {
        const char *label;
        int from, to; /* ages [from, to) */
    } bands[] = {{"0-4", 0, 5},     {"5-9", 5, 10},    {"10-13", 10, 14}, {"14-17", 14, 18},
                 {"18-24", 18, 25}, {"25-44", 25, 45}, {"45-64", 45, 65}, {"65+", 65, 200}};
    struct civil_date today = date_of_ts(now);
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++) {
        /* Born after (today - to years) and on or before (today - from years). */
        struct civil_date lo = today, hi = today;
        lo.year -= bands[i].to;
        hi.year -= bands[i].from;
        if (lo.month == 2 && lo.day == 29)
            lo.day = 28;
        if (hi.month == 2 && hi.day == 29)
            hi.day = 28;
        char los[DATE_TEXT_LEN], his[DATE_TEXT_LEN];
        date_format(&lo, los);
        date_format(&hi, his);
        json_array_append_new(arr,
                              json_pack("{s:s, s:I}", "band", bands[i].label, "people",
                                        (json_int_t)count_of(s, SQL_DQ_BORN_BETWEEN, los, his)));
    }
    return json_pack("{s:I, s:I, s:I, s:o}", "people",
                     (json_int_t)count_of(s, SQL_DQ_TOTAL, NULL, NULL), "without_dob",
                     (json_int_t)count_of(s, SQL_DQ_NO_DOB, NULL, NULL), "possible_duplicates",
                     (json_int_t)count_of(s, SQL_DQ_DUPLICATES, NULL, NULL), "age_bands", arr);
}
