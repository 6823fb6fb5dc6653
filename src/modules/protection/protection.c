/*
 * protection.c — the police protection case (DOMAIN.md R6, Children Act 1989
 * s46): its fields, recording the use of the power, the actions that follow
 * it (designated officer, place of safety, notifications, inquiry, EPO,
 * release), reading a case whole, the board, a child's cases, the cases an
 * incident shows, the decision on an incident where a child may have needed
 * protection, and the referral drafted from a case.
 *
 * Every change ends in finish_change(), which re-evaluates the timescales
 * engine's rules for the case (and for its incident, if it has one).
 */
#include "modules/protection/protection.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/incidents/incidents.h"
#include "modules/protection/protection_pages.h"
#include "modules/protection/protection_sql.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const protection_powers[] = {"removed", "prevented_removal", NULL};
const char *const protection_place_kinds[] = {
    "foster_carer", "la_accommodation", "hospital", "relative", "police_station", "other", NULL};
const char *const protection_notify_whom[] = {"la", "parents", "child", NULL};
const char *const protection_decisions[] = {"release_to_parents", "la_accommodation", "epo_applied",
                                            NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
const struct field protection_create_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "incident_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "initiated_at", .type = FIELD_TIMESTAMP},
    {.name = "initiating_officer_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "power", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = protection_powers},
    {.name = "circumstances", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "grounds", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "designated_officer_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "place_kind", .type = FIELD_ENUM, .flags = FIELD_NULLABLE, .values = protection_place_kinds},
    {.name = "place_detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 300},
    {.name = "place_reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field protection_designate_fields[] = {
    {.name = "designated_officer_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field protection_place_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = protection_place_kinds},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field protection_notify_fields[] = {
    {.name = "whom", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = protection_notify_whom},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "informed", .type = FIELD_BOOL},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "views", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field protection_inquiry_fields[] = {
    {.name = "text", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = protection_decisions},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field protection_epo_fields[] = {
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field protection_release_fields[] = {
    {.name = "released_to", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field protection_note_fields[] = {
    {.name = "text", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field protection_referral_fields[] = {
    {.name = "urgency", .type = FIELD_ENUM, .values = referral_urgencies},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field protection_decision_fields[] = {
    {.name = "used", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
/* clang-format on */

/* ---- small helpers ----------------------------------------------------------------- */

static int fail_store(struct store *s, int rc, struct domain_error *err)
{
    return domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
}

static void bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

static int add_event(struct store *s, int64_t id, const char *at, const char *kind,
                     const char *text, const struct user *u, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_PP_EVENT_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at ? at : ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    bind_user(st, 5, u);
    stmt_bind_text(st, 6, ts);
    return store_exec_stmt(st);
}

/* The display name of an active user into name; 0, or -1 with err naming
 * key when there is none. */
static int active_user(struct store *s, int64_t uid, const char *key, char *name, size_t cap,
                       struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_PP_USER_ACTIVE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, uid);
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        snprintf(name, cap, "%s", stmt_text(st, 0));
    stmt_reset(st);
    if (rc == STORE_ROW)
        return 0;
    return domain_fail(err, 422, "invalid_field", key, "'%s': there is no active user with id %lld",
                       key, (long long)uid);
}

/* SQL_PP_GET's columns, in order. */
static const struct column_spec case_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"person_id", 'i'},
    {"incident_id", 'i'},
    {"power", 's'},
    {"circumstances", 's'},
    {"grounds", 's'},
    {"initiated_at", 's'},
    {"expires_at", 's'},
    {"initiating_officer_id", 'i'},
    {"designated_officer_id", 'i'},
    {"designated_at", 's'},
    {"place_kind", 's'},
    {"place_detail", 's'},
    {"place_reason", 's'},
    {"placed_at", 's'},
    {"la_informed_at", 's'},
    {"la_detail", 's'},
    {"parents_informed_at", 's'},
    {"parents_not_informed_reason", 's'},
    {"parents_detail", 's'},
    {"parents_recorded_at", 's'},
    {"child_informed_at", 's'},
    {"child_views", 's'},
    {"inquiry_at", 's'},
    {"inquiry_text", 's'},
    {"decision", 's'},
    {"epo_sought", 'b'},
    {"epo_sought_at", 's'},
    {"released_at", 's'},
    {"released_to", 's'},
    {"status", 's'},
    {"team", 's'},
    {"version", 'i'},
    {"created_at", 's'},
    {"updated_at", 's'},
    {"initiating_officer_name", 's'},
    {"designated_officer_name", 's'},
    {"incident_reference", 's'},
    {"address_key", 's'},
};
#define NCOLUMNS ((int)(sizeof(case_columns) / sizeof(case_columns[0])))

/* The case row as the rules read it (new reference), or NULL: the row, with
 * officer_id (the initiating officer, who owns the notification tasks) and
 * "designated" for the rules' predicates. */
static json_t *core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_PP_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, case_columns, NCOLUMNS);
    stmt_reset(st);
    json_object_set(o, "officer_id", json_object_get(o, "initiating_officer_id"));
    json_object_set_new(o, "designated",
                        json_boolean(json_is_integer(json_object_get(o, "designated_officer_id"))));
    return o;
}

static int finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_PP_TOUCH);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    json_t *rec = core_get(s, id);
    if (!rec)
        return fail_store(s, STORE_ERROR, err);
    rc = rules_evaluate(s, "police_protection", rec,
                        json_integer_value(json_object_get(rec, "person_id")), now);
    int64_t incident = json_integer_value(json_object_get(rec, "incident_id"));
    json_decref(rec);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    /* A case linked to an incident answers the incident's protection
     * decision. */
    return incident ? incident_rules_refresh(s, incident, now, err) : 0;
}

/* The case for a change: 404 when none, 409 when released. */
static json_t *load_for_change(struct store *s, int64_t id, bool allow_released,
                               struct domain_error *err)
{
    json_t *rec = core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no police protection case with id %lld",
                    (long long)id);
        return NULL;
    }
    if (!allow_released && strcmp(jstr(rec, "status"), "released") == 0) {
        domain_fail(err, 409, "case_released", NULL,
                    "case %s is closed: the child was released at %s", jstr(rec, "reference"),
                    jstr(rec, "released_at"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* A time given in the body under key (or now): not in the future and not
 * before the power was used. Writes it to out; -1 with err. */
static int when(const json_t *body, const char *key, const char *not_before, int64_t now,
                char out[TS_TEXT_LEN], struct domain_error *err)
{
    int64_t t = now;
    const char *given = jstr(body, key);
    if (given) {
        ts_parse(given, &t);
        if (t > now)
            return domain_fail(err, 422, "invalid_field", key, "'%s' must not be in the future",
                               key);
        if (not_before && strcmp(given, not_before) < 0)
            return domain_fail(err, 422, "invalid_field", key,
                               "'%s' must not be before the power was used (%s)", key, not_before);
    }
    ts_format(t, out);
    return 0;
}

/* ---- the steps, shared by the report and the actions ---------------------------------- */

static int set_designated(struct store *s, const json_t *rec, int64_t officer, const char *at,
                          const struct user *u, int64_t now, struct domain_error *err)
{
    int64_t id = json_integer_value(json_object_get(rec, "id"));
    if (officer == json_integer_value(json_object_get(rec, "initiating_officer_id")))
        return domain_fail(err, 422, "invalid_field", "designated_officer_id",
                           "'designated_officer_id': the designated officer must not be the "
                           "officer who used the power (Home Office Circular 17/2008)");
    char name[128];
    if (active_user(s, officer, "designated_officer_id", name, sizeof(name), err) < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_PP_DESIGNATE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, officer);
    stmt_bind_text(st, 2, at);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    char text[200];
    snprintf(text, sizeof(text), "Designated officer appointed: %s", name);
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "designated", text, u, now);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

static int set_place(struct store *s, int64_t id, const char *kind, const char *detail,
                     const char *reason, const char *at, const struct user *u, int64_t now,
                     struct domain_error *err, const char *reason_key)
{
    if (strcmp(kind, "police_station") == 0 && !reason)
        return domain_fail(err, 422, "missing_field", reason_key,
                           "a police station is a place of safety only in exceptional "
                           "circumstances: '%s' must say why",
                           reason_key);
    struct stmt *st = store_prepare(s, SQL_PP_PLACE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, kind);
    stmt_bind_text(st, 2, detail);
    stmt_bind_text(st, 3, reason);
    stmt_bind_text(st, 4, at);
    stmt_bind_int(st, 5, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 400];
    snprintf(text, sizeof(text), "Taken to a place of safety (%s): %s%s%s", kind,
             detail ? detail : "-", reason ? ". Why a police station: " : "", reason ? reason : "");
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "placed", text, u, now);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

/* ---- recording the use of the power -------------------------------------------------- */

int64_t protection_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                          struct domain_error *err)
{
    assert(s && body && err);
    char ts[TS_TEXT_LEN], initiated[TS_TEXT_LEN], expires[TS_TEXT_LEN];
    ts_format(now, ts);
    if (when(body, "initiated_at", NULL, now, initiated, err) < 0)
        return -1;
    int64_t init = now;
    ts_parse(initiated, &init);
    ts_format(init + (int64_t)PROTECTION_MAX_HOURS * 3600, expires);

    /* The child: known, visible to the recorder, and under 18 (or of
     * unknown age: a child until shown otherwise). */
    int64_t pid = json_integer_value(json_object_get(body, "person_id"));
    struct stmt *st = store_prepare(s, SQL_PP_PERSON);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st);
    int adult = 0;
    if (rc == STORE_ROW && !stmt_is_null(st, 2)) {
        struct civil_date dob, on = date_of_ts(ts_uk_local(init));
        if (date_parse(stmt_text(st, 2), &dob) == 0)
            adult = !is_child_on(&dob, &on);
    }
    stmt_reset(st);
    if (rc != STORE_ROW || (u && !auth_person_visible(s, pid, u)))
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': there is no person with id %lld", (long long)pid);
    if (adult)
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': police protection is for children, and this person was "
                           "18 or over when the power was used");

    /* The initiating officer: the one given, else the recorder. */
    const json_t *io = json_object_get(body, "initiating_officer_id");
    int64_t initiator = json_is_integer(io) ? json_integer_value(io) : (u ? u->id : 0);
    char name[128];
    if (!initiator)
        return domain_fail(err, 422, "missing_field", "initiating_officer_id",
                           "'initiating_officer_id' is needed when no user is recording");
    if (active_user(s, initiator, "initiating_officer_id", name, sizeof(name), err) < 0)
        return -1;
    const json_t *dof = json_object_get(body, "designated_officer_id");
    if (json_is_integer(dof) && json_integer_value(dof) == initiator)
        return domain_fail(err, 422, "invalid_field", "designated_officer_id",
                           "'designated_officer_id': the designated officer must not be the "
                           "officer who used the power (Home Office Circular 17/2008)");
    const char *place_kind = jstr(body, "place_kind");
    if (!place_kind && (jstr(body, "place_detail") || jstr(body, "place_reason")))
        return domain_fail(err, 422, "missing_field", "place_kind",
                           "'place_kind' is needed with the place of safety's details");
    if (place_kind && strcmp(place_kind, "police_station") == 0 && !jstr(body, "place_reason"))
        return domain_fail(err, 422, "missing_field", "place_reason",
                           "a police station is a place of safety only in exceptional "
                           "circumstances: 'place_reason' must say why");

    /* The incident where the power was used: its address shows the case. */
    const json_t *inc = json_object_get(body, "incident_id");
    char address[400] = "";
    if (json_is_integer(inc)) {
        st = store_prepare(s, SQL_PP_INCIDENT);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, json_integer_value(inc));
        rc = stmt_step(st);
        if (rc == STORE_ROW)
            snprintf(address, sizeof(address), "%s", stmt_text(st, 0));
        stmt_reset(st);
        if (rc != STORE_ROW)
            return domain_fail(err, 422, "invalid_field", "incident_id",
                               "'incident_id': there is no incident with id %lld",
                               (long long)json_integer_value(inc));
    }

    /* One case at a time for a child. */
    json_t *mine = protection_for_person(s, pid, NULL, now, err);
    if (!mine)
        return -1;
    json_t *first = json_array_get(json_object_get(mine, "cases"), 0);
    if (first && strcmp(jstr(first, "status"), "in_protection") == 0) {
        char open_ref[40];
        snprintf(open_ref, sizeof(open_ref), "%s", jstr(first, "reference"));
        json_decref(mine);
        return domain_fail(err, 409, "already_in_protection", "person_id",
                           "this child is already in police protection (%s): record the release "
                           "first",
                           open_ref);
    }
    json_decref(mine);

    struct civil_date d = date_of_ts(init);
    char like[32], ref[32];
    snprintf(like, sizeof(like), "PP-%04d-%%", d.year % 10000);
    st = store_prepare(s, SQL_PP_NEXT_SEQ);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "PP-%04d-%06lld", d.year % 10000, (long long)seq);

    st = store_prepare(s, SQL_PP_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ref);
    stmt_bind_int(st, 2, pid);
    if (json_is_integer(inc))
        stmt_bind_int(st, 3, json_integer_value(inc));
    else
        stmt_bind_null(st, 3);
    stmt_bind_text(st, 4, json_is_integer(inc) ? address : NULL);
    stmt_bind_text(st, 5, jstr(body, "power"));
    stmt_bind_text(st, 6, jstr(body, "circumstances"));
    stmt_bind_text(st, 7, jstr(body, "grounds"));
    stmt_bind_text(st, 8, initiated);
    stmt_bind_text(st, 9, expires);
    stmt_bind_int(st, 10, initiator);
    stmt_bind_text(st, 11, u && u->team[0] ? u->team : NULL);
    bind_user(st, 12, u);
    stmt_bind_text(st, 13, ts);
    stmt_bind_text(st, 14, ts);
    int64_t id;
    rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);

    char text[TEXT + 300];
    snprintf(text, sizeof(text), "Police protection (s46): child %s by %s. Grounds: %s",
             strcmp(jstr(body, "power"), "removed") == 0 ? "removed to suitable accommodation"
                                                         : "kept where they were safe",
             name, jstr(body, "grounds"));
    if ((rc = add_event(s, id, initiated, "initiated", text, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    json_t *rec = core_get(s, id);
    if (!rec)
        return fail_store(s, STORE_ERROR, err);
    int bad = 0;
    if (json_is_integer(dof))
        bad = set_designated(s, rec, json_integer_value(dof), initiated, u, now, err) < 0;
    json_decref(rec);
    if (!bad && place_kind)
        bad = set_place(s, id, place_kind, jstr(body, "place_detail"), jstr(body, "place_reason"),
                        initiated, u, now, err, "place_reason") < 0;
    if (bad || finish_change(s, id, now, err) < 0)
        return -1;
    return id;
}

/* ---- the actions ----------------------------------------------------------------------- */

int protection_designate(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    if (rc == 0)
        rc = set_designated(s, rec,
                            json_integer_value(json_object_get(body, "designated_officer_id")), at,
                            u, now, err);
    json_decref(rec);
    return rc < 0 ? -1 : finish_change(s, id, now, err);
}

int protection_place(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    json_decref(rec);
    if (rc < 0 || set_place(s, id, jstr(body, "kind"), jstr(body, "detail"), jstr(body, "reason"),
                            at, u, now, err, "reason") < 0)
        return -1;
    return finish_change(s, id, now, err);
}

int protection_notify(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    /* The notifications are owed even after the child is released. */
    json_t *rec = load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN], ref[32];
    ts_format(now, ts);
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    int64_t incident = json_integer_value(json_object_get(rec, "incident_id"));
    int64_t child = json_integer_value(json_object_get(rec, "person_id"));
    snprintf(ref, sizeof(ref), "%s", jstr(rec, "reference"));
    json_decref(rec);
    if (rc < 0)
        return -1;
    const char *whom = jstr(body, "whom"), *detail = jstr(body, "detail");
    const char *reason = jstr(body, "reason"), *views = jstr(body, "views");
    int informed = jbool(body, "informed", 1);
    char text[2 * TEXT + 200];
    const char *kind;
    struct stmt *st;
    if (strcmp(whom, "la") == 0) {
        if (!informed)
            return domain_fail(err, 422, "invalid_field", "informed",
                               "the local authority must be informed: record when it was");
        st = store_prepare(s, SQL_PP_LA);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, at);
        stmt_bind_text(st, 2, detail);
        stmt_bind_int(st, 3, id);
        kind = "la_informed";
        snprintf(text, sizeof(text), "Local authority informed%s%s", detail ? ": " : "",
                 detail ? detail : "");
    } else if (strcmp(whom, "parents") == 0) {
        if (!informed && !reason)
            return domain_fail(err, 422, "missing_field", "reason",
                               "parents not informed: 'reason' must say why");
        st = store_prepare(s, SQL_PP_PARENTS);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, informed ? at : NULL);
        stmt_bind_text(st, 2, informed ? NULL : reason);
        stmt_bind_text(st, 3, detail);
        stmt_bind_text(st, 4, at);
        stmt_bind_int(st, 5, id);
        kind = informed ? "parents_informed" : "parents_not_informed";
        if (informed)
            snprintf(text, sizeof(text),
                     "Parents and those with parental responsibility "
                     "informed%s%s",
                     detail ? ": " : "", detail ? detail : "");
        else
            snprintf(text, sizeof(text), "Parents not informed: %s", reason);
    } else {
        if (!informed)
            return domain_fail(err, 422, "invalid_field", "informed",
                               "the child must be told what is happening: record when");
        if (!views)
            return domain_fail(err, 422, "missing_field", "views",
                               "record the child's wishes and feelings in 'views' (their words, "
                               "or why they could not give them)");
        st = store_prepare(s, SQL_PP_CHILD);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, at);
        stmt_bind_text(st, 2, views);
        stmt_bind_int(st, 3, id);
        kind = "child_informed";
        snprintf(text, sizeof(text), "Child told what is happening. Their views: %s", views);
    }
    rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    /* The child's views are their voice (DOMAIN.md R2): on the incident where
     * the power was used they join the voice of the child record, so they
     * show wherever the child's voice is shown. */
    if (strcmp(whom, "child") == 0 && incident) {
        int voiced = incident_voice_from_protection(s, incident, child, views, ref, u, now, err);
        if (voiced < 0)
            return -1;
        if (voiced)
            snprintf(text + strlen(text), sizeof(text) - strlen(text),
                     " (recorded as the voice of the child on the incident)");
    }
    rc = add_event(s, id, at, kind, text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return finish_change(s, id, now, err);
}

/* Only the designated officer inquires, decides and applies for an EPO. */
static json_t *load_for_designated(struct store *s, int64_t id, const struct user *u,
                                   struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return NULL;
    const json_t *dof = json_object_get(rec, "designated_officer_id");
    if (!json_is_integer(dof)) {
        domain_fail(err, 409, "no_designated_officer", NULL,
                    "case %s has no designated officer yet: appoint one first",
                    jstr(rec, "reference"));
        json_decref(rec);
        return NULL;
    }
    if (!u || json_integer_value(dof) != u->id) {
        domain_fail(err, 409, "not_designated_officer", NULL,
                    "only the designated officer (%s) records the inquiry, the decision and an "
                    "application for an emergency protection order",
                    jstr(rec, "designated_officer_name"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

static int mark_epo(struct store *s, int64_t id, const char *at, const char *note,
                    const struct user *u, int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_PP_EPO);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 100];
    snprintf(text, sizeof(text), "Emergency protection order applied for (s46(7)): %s", note);
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "epo_sought", text, u, now);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

int protection_inquiry(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_designated(s, id, u, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    bool epo_already = json_is_true(json_object_get(rec, "epo_sought"));
    json_decref(rec);
    if (rc < 0)
        return -1;
    const char *decision = jstr(body, "decision");
    struct stmt *st = store_prepare(s, SQL_PP_INQUIRY);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, jstr(body, "text"));
    stmt_bind_text(st, 3, decision);
    bind_user(st, 4, u);
    stmt_bind_int(st, 5, id);
    rc = store_exec_stmt(st);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Designated officer's inquiry; decision: %s. %s", decision,
             jstr(body, "text"));
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "inquiry", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    if (strcmp(decision, "epo_applied") == 0 && !epo_already &&
        mark_epo(s, id, at, "the designated officer's decision", u, now, err) < 0)
        return -1;
    return finish_change(s, id, now, err);
}

int protection_epo(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_designated(s, id, u, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    bool already = json_is_true(json_object_get(rec, "epo_sought"));
    json_decref(rec);
    if (rc < 0)
        return -1;
    if (already)
        return domain_fail(err, 409, "epo_already_sought", NULL,
                           "an emergency protection order has already been applied for");
    if (mark_epo(s, id, at, jstr(body, "note"), u, now, err) < 0)
        return -1;
    return finish_change(s, id, now, err);
}

int protection_release(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    json_decref(rec);
    if (rc < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_PP_RELEASE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, jstr(body, "released_to"));
    stmt_bind_int(st, 3, id);
    rc = store_exec_stmt(st);
    char text[TEXT + 400];
    const char *note = jstr(body, "note");
    snprintf(text, sizeof(text), "Released from police protection to %s%s%s",
             jstr(body, "released_to"), note ? ". " : "", note ? note : "");
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "released", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return finish_change(s, id, now, err);
}

int protection_note(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", jstr(rec, "initiated_at"), now, at, err);
    json_decref(rec);
    if (rc < 0)
        return -1;
    rc = add_event(s, id, at, "note", jstr(body, "text"), u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return finish_change(s, id, now, err);
}

/* ---- the referral to children's social care -------------------------------------------- */

int64_t protection_raise_referral(struct store *s, int64_t id, const json_t *body,
                                  const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    const char *note = jstr(body, "note");
    char summary[3 * TEXT];
    snprintf(summary, sizeof(summary),
             "Police protection %s (Children Act 1989 s46), power used %s. Circumstances: %s. "
             "Place of safety: %s%s%s. Designated officer: %s. Expires %s.%s%s",
             jstr(rec, "reference"), jstr(rec, "initiated_at"), jstr(rec, "circumstances"),
             jstr(rec, "place_kind") ? jstr(rec, "place_kind") : "not yet recorded",
             jstr(rec, "place_detail") ? ", " : "",
             jstr(rec, "place_detail") ? jstr(rec, "place_detail") : "",
             jstr(rec, "designated_officer_name") ? jstr(rec, "designated_officer_name")
                                                  : "not yet appointed",
             jstr(rec, "expires_at"), note ? " " : "", note ? note : "");
    json_t *b = json_pack("{s:I, s:[s], s:s, s:s, s:s, s:s}", "person_id",
                          json_integer_value(json_object_get(rec, "person_id")), "categories",
                          "other", "summary", summary, "urgency",
                          jstr(body, "urgency") ? jstr(body, "urgency") : "immediate", "risk_view",
                          jstr(rec, "grounds"), "concern_at", jstr(rec, "initiated_at"));
    if (jstr(rec, "child_views"))
        json_object_set_new(b, "child_voice", json_string(jstr(rec, "child_views")));
    char ref_text[120];
    json_decref(rec);
    int64_t ref = referral_create(s, b, u, now, err);
    json_decref(b);
    if (ref < 0)
        return -1;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_PP_REFERRAL_LINK);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, ref);
    stmt_bind_text(st, 3, ts);
    int rc = store_exec_stmt(st);
    snprintf(ref_text, sizeof(ref_text),
             "Referral %lld drafted to children's social care from this case", (long long)ref);
    if (rc == STORE_OK)
        rc = add_event(s, id, ts, "referral", ref_text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return finish_change(s, id, now, err) < 0 ? -1 : ref;
}

int protection_referral_sent(struct store *s, int64_t referral_id, const char *reference,
                             const struct user *u, int64_t now, struct domain_error *err)
{
    assert(s && reference && err);
    struct stmt *st = store_prepare(s, SQL_PP_BY_REFERRAL);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, referral_id);
    int64_t ids[32];
    int n = 0;
    while (n < 32 && stmt_step(st) == STORE_ROW)
        ids[n++] = stmt_int(st, 0);
    stmt_reset(st);
    char ts[TS_TEXT_LEN], text[160];
    ts_format(now, ts);
    snprintf(text, sizeof(text), "Referral %s sent to children's social care", reference);
    /* A released case records it too: the referral outlives the 72 hours. */
    for (int i = 0; i < n; i++) {
        int rc = add_event(s, ids[i], ts, "referral", text, u, now);
        if (rc != STORE_OK)
            return fail_store(s, rc, err);
        if (finish_change(s, ids[i], now, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- reading ----------------------------------------------------------------------------- */

/* Seconds as "3 h 20 min" / "2 days 4 h". */
static json_t *duration_text(int64_t secs)
{
    char t[48];
    duration_words(secs, t, sizeof(t));
    return json_string(t);
}

/* The child as the viewer may see them. */
static json_t *person_json(struct store *s, int64_t pid, const struct user *viewer,
                           const char *on_ts)
{
    struct stmt *st = store_prepare(s, SQL_PP_PERSON);
    json_t *o = NULL;
    if (st) {
        stmt_bind_int(st, 1, pid);
        if (stmt_step(st) == STORE_ROW && (!viewer || auth_person_visible(s, pid, viewer))) {
            json_t *age = json_null();
            struct civil_date dob;
            int64_t on = 0;
            ts_parse(on_ts, &on);
            struct civil_date d = date_of_ts(ts_uk_local(on));
            if (!stmt_is_null(st, 2) && date_parse(stmt_text(st, 2), &dob) == 0)
                age = json_integer(age_on(&dob, &d));
            o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)pid, "given_name",
                          stmt_text(st, 0), "family_name", stmt_text(st, 1), "age_at_the_time",
                          age);
        }
        stmt_reset(st);
    }
    return o ? o : json_pack("{s:I, s:b}", "id", (json_int_t)pid, "restricted", 1);
}

json_t *protection_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = core_get(s, id);
    if (!o)
        return NULL;
    json_object_del(o, "address_key");
    json_object_del(o, "officer_id");
    json_object_del(o, "designated");
    int64_t init = 0, exp = 0, rel = 0;
    ts_parse(jstr(o, "initiated_at"), &init);
    ts_parse(jstr(o, "expires_at"), &exp);
    bool released = jstr(o, "released_at") != NULL;
    if (released)
        ts_parse(jstr(o, "released_at"), &rel);
    int64_t end = released ? rel : now;
    json_object_set_new(o, "person",
                        person_json(s, json_integer_value(json_object_get(o, "person_id")), viewer,
                                    jstr(o, "initiated_at")));
    /* The statutory clock. */
    json_object_set_new(
        o, "clock",
        json_pack("{s:i, s:s, s:o, s:I, s:o, s:b, s:b}", "max_hours", PROTECTION_MAX_HOURS,
                  "expires_at", jstr(o, "expires_at"), "in_protection_for",
                  duration_text(end - init), "remaining_minutes",
                  (json_int_t)(released ? 0 : (exp - now) / 60), "remaining",
                  released ? json_null() : duration_text(exp - now), "expired",
                  !released && now >= exp, "released_within_limit", released && rel <= exp));
    json_object_set_new(o, "notifications",
                        json_pack("{s:{s:O, s:O}, s:{s:O, s:O, s:O}, s:{s:O, s:O}}", "la", "at",
                                  json_object_get(o, "la_informed_at"), "detail",
                                  json_object_get(o, "la_detail"), "parents", "at",
                                  json_object_get(o, "parents_informed_at"), "not_informed_reason",
                                  json_object_get(o, "parents_not_informed_reason"), "detail",
                                  json_object_get(o, "parents_detail"), "child", "at",
                                  json_object_get(o, "child_informed_at"), "views",
                                  json_object_get(o, "child_views")));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "police_protection", id, now));
    /* Every clock, done or not, for the case page (protection_pages.c). */
    json_object_set_new(o, "clocks", protection_clocks(o, now));
    static const struct column_spec ev[] = {{"id", 'i'},   {"at", 's'}, {"kind", 's'},
                                            {"text", 's'}, {"by", 's'}, {"recorded_at", 's'}};
    json_object_set_new(o, "timeline", store_rows_by_id(s, SQL_PP_EVENTS, id, ev, 6));
    static const struct column_spec rf[] = {
        {"id", 'i'}, {"reference", 's'}, {"status", 's'}, {"linked_at", 's'}, {"sent_at", 's'}};
    json_object_set_new(o, "referrals", store_rows_by_id(s, SQL_PP_REFERRALS, id, rf, 5));
    return o;
}

json_t *protection_list(struct store *s, const char *status, const struct user *viewer, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_PP_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, status ? status : "active");
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t pid = stmt_int(st, 2), exp = 0;
        ts_parse(stmt_text(st, 7), &exp);
        bool active = strcmp(stmt_text(st, 5), "in_protection") == 0;
        const char *due = stmt_is_null(st, 11) ? NULL : stmt_text(st, 11);
        json_t *e =
            json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:b, s:b}", "id",
                      (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "person_id",
                      (json_int_t)pid, "status", stmt_text(st, 5), "initiated_at", stmt_text(st, 6),
                      "expires_at", stmt_text(st, 7), "place_kind", stmt_json_text(st, 8),
                      "released_at", stmt_json_text(st, 9), "designated", !stmt_is_null(st, 10),
                      "remaining", active ? duration_text(exp - now) : json_null(), "next_task_due",
                      due ? json_string(due) : json_null(), "task_overdue",
                      due && strcmp(due, now_ts) < 0, "expired", active && now >= exp);
        /* For the list page: who is designated, where, for how long, and
         * which clocks have run out. */
        int64_t init = 0, end = now;
        ts_parse(stmt_text(st, 6), &init);
        if (!active && !stmt_is_null(st, 9))
            ts_parse(stmt_text(st, 9), &end);
        json_object_set_new(e, "designated_officer_name", stmt_json_text(st, 12));
        json_object_set_new(e, "place_detail", stmt_json_text(st, 13));
        json_object_set_new(e, "in_protection_for", duration_text(end - init));
        json_t *overdue = json_array(),
               *tasks = rules_record_tasks(s, "police_protection", stmt_int(st, 0), now);
        size_t k;
        json_t *t;
        json_array_foreach(tasks, k, t) if (json_is_true(json_object_get(t, "overdue")))
            json_array_append(overdue, json_object_get(t, "title"));
        json_decref(tasks);
        json_object_set_new(e, "overdue", overdue);
        if (!viewer || auth_person_visible(s, pid, viewer))
            json_object_set_new(e, "name",
                                json_pack("s++", stmt_text(st, 3), " ", stmt_text(st, 4)));
        else
            json_object_set_new(e, "restricted", json_true());
        json_array_append_new(arr, e);
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return json_pack("{s:o, s:s}", "cases", arr, "status", status ? status : "active");
}

json_t *protection_for_person(struct store *s, int64_t person_id, const struct user *viewer,
                              int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_PP_PERSON);
    if (!st) {
        fail_store(s, STORE_ERROR, err);
        return NULL;
    }
    stmt_bind_int(st, 1, person_id);
    int rc = stmt_step(st);
    stmt_reset(st);
    if (rc != STORE_ROW || (viewer && !auth_person_visible(s, person_id, viewer))) {
        domain_fail(err, 404, "not_found", NULL, "no person with id %lld", (long long)person_id);
        return NULL;
    }
    st = store_prepare(s, SQL_PP_FOR_PERSON);
    if (!st) {
        fail_store(s, STORE_ERROR, err);
        return NULL;
    }
    stmt_bind_int(st, 1, person_id);
    json_t *arr = json_array();
    while (stmt_step(st) == STORE_ROW) {
        int64_t exp = 0;
        ts_parse(stmt_text(st, 4), &exp);
        bool active = strcmp(stmt_text(st, 2), "in_protection") == 0;
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o}", "id",
                           (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "status",
                           stmt_text(st, 2), "initiated_at", stmt_text(st, 3), "expires_at",
                           stmt_text(st, 4), "place_kind", stmt_json_text(st, 5), "released_at",
                           stmt_json_text(st, 6), "released_to", stmt_json_text(st, 7), "expired",
                           active && now >= exp, "remaining",
                           active ? duration_text(exp - now) : json_null()));
    }
    stmt_reset(st);
    int active = 0;
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) active += strcmp(jstr(c, "status"), "in_protection") == 0;
    return json_pack("{s:I, s:i, s:o}", "person_id", (json_int_t)person_id, "active", active,
                     "cases", arr);
}

json_t *protection_at_address(struct store *s, const char *address_key, int64_t incident_id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_PP_AT_ADDRESS);
    if (!st)
        return arr;
    stmt_bind_text(st, 1, address_key ? address_key : "");
    stmt_bind_int(st, 2, incident_id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)stmt_int(st, 0),
                           "reference", stmt_text(st, 1), "status", stmt_text(st, 2),
                           "initiated_at", stmt_text(st, 3), "expires_at", stmt_text(st, 4),
                           "same_incident", stmt_int(st, 5) != 0));
    stmt_reset(st);
    return arr;
}

/* ---- incidents: opportunities to protect --------------------------------------------- */

int protection_incident_pending(struct store *s, int64_t incident_id, char at[TS_TEXT_LEN])
{
    struct stmt *st = store_prepare(s, SQL_PP_OPPORTUNITY);
    if (!st)
        return 0;
    stmt_bind_int(st, 1, incident_id);
    int pending = 0;
    if (stmt_step(st) == STORE_ROW && stmt_int(st, 1) && !stmt_int(st, 2)) {
        snprintf(at, TS_TEXT_LEN, "%s", stmt_text(st, 0));
        pending = 1;
    }
    stmt_reset(st);
    return pending;
}

int protection_incident_decide(struct store *s, int64_t incident_id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_PP_INCIDENT_EXISTS);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, incident_id);
    int rc = stmt_step(st);
    stmt_reset(st);
    if (rc != STORE_ROW)
        return domain_fail(err, 404, "not_found", NULL, "no incident with id %lld",
                           (long long)incident_id);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_PP_DECISION_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, incident_id);
    stmt_bind_int(st, 2, jbool(body, "used", 0));
    stmt_bind_text(st, 3, jstr(body, "reason"));
    bind_user(st, 4, u);
    stmt_bind_text(st, 5, ts);
    rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return incident_rules_refresh(s, incident_id, now, err);
}
