/*
 * investigations.c — the investigation record (DOMAIN.md R5): creating it
 * with its victims, suspects and linked records; its plan and actions;
 * status and key points; structured supervisory reviews; recording a risk to
 * a child and sharing it with children's social care through a referral;
 * closure after a closure review; and the ageing view. Every change ends in
 * inv_finish_change(). Teams, officers and allocation are in
 * investigations_alloc.c.
 */
#include "modules/investigations/investigations.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/investigations/investigations_internal.h"
#include "modules/investigations/investigations_sql.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const investigation_categories[] = {"physical_abuse",
                                                "sexual_abuse",
                                                "neglect",
                                                "child_sexual_exploitation",
                                                "child_criminal_exploitation",
                                                "online_sexual_exploitation",
                                                "domestic_abuse",
                                                "other",
                                                NULL};
const char *const investigation_statuses[] = {"active", "awaiting_forensics",
                                              "awaiting_charging_decision", "suspended", NULL};
static const char *const person_roles[] = {"victim", "suspect", "witness", NULL};
static const char *const link_types[] = {"incident", "referral", "missing_episode", NULL};
static const char *const triggers[] = {"allocation",      "periodic", "arrest",
                                       "charge_decision", "closure",  NULL};
static const char *const plan_qualities[] = {"good", "adequate", "poor", NULL};
static const char *const key_points[] = {"arrest", "charge_decision", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
static const struct field person_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "role", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = person_roles},
    {0}};
static const struct field link_fields[] = {
    {.name = "record_type", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = link_types},
    {.name = "record_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {0}};
const struct field investigation_create_fields[] = {
    {.name = "crime_type", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "category", .type = FIELD_ENUM, .flags = FIELD_REQUIRED,
     .values = investigation_categories},
    {.name = "complexity", .type = FIELD_INT, .min = 1, .max = 3},
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "plan", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "persons", .type = FIELD_ARRAY, .max_len = 30, .children = person_fields},
    {.name = "links", .type = FIELD_ARRAY, .max_len = 30, .children = link_fields},
    {0}};
const struct field investigation_review_fields[] = {
    {.name = "trigger_point", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = triggers},
    {.name = "plan_quality", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = plan_qualities},
    {.name = "actions_assessment", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "risk_assessment", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "victim_contact", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "direction", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field investigation_action_fields[] = {
    {.name = "title", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "owner_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "due_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {0}};
const struct field investigation_action_done_fields[] = {{0}};
const struct field investigation_status_fields[] = {
    {.name = "status", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = investigation_statuses},
    {.name = "key_point", .type = FIELD_ENUM, .flags = FIELD_NULLABLE, .values = key_points},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field investigation_plan_fields[] = {
    {.name = "plan", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field investigation_risk_fields[] = {
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field investigation_close_fields[] = {
    {.name = "outcome", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field investigation_referral_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .min = 1, .max = ID_MAX},
    {0}};
/* clang-format on */

/* ---- helpers ---------------------------------------------------------------------- */

void inv_bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

int inv_event(struct store *s, int64_t id, const char *kind, const char *text, const struct user *u,
              int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_EVENT_ADD);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    inv_bind_user(st, 5, u);
    return store_exec_stmt(st);
}

static int fail_store(struct store *s, int rc, struct domain_error *err)
{
    return domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
}

static const struct column_spec inv_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"crime_type", 's'},
    {"category", 's'},
    {"complexity", 'i'},
    {"summary", 's'},
    {"plan", 's'},
    {"status", 's'},
    {"status_since", 's'},
    {"team_id", 'i'},
    {"officer_id", 'i'},
    {"allocated_at", 's'},
    {"allocation_matched", 'b'},
    {"allocation_recommended", 's'},
    {"allocation_reason", 's'},
    {"load_at_allocation", 'i'},
    {"capacity_at_allocation", 'i'},
    {"last_action_at", 's'},
    {"last_reviewed_at", 's'},
    {"key_point", 's'},
    {"key_point_at", 's'},
    {"risk_to_child", 'b'},
    {"risk_detail", 's'},
    {"risk_known_at", 's'},
    {"info_shared_at", 's'},
    {"outcome", 's'},
    {"closed_at", 's'},
    {"team", 's'},
    {"version", 'i'},
    {"created_at", 's'},
    {"updated_at", 's'},
    {"team_name", 's'},
    {"officer_name", 's'},
    {"next_action_due", 's'},
    {"allocation_reviewed", 'b'},
};
#define NCOLS ((int)(sizeof(inv_columns) / sizeof(inv_columns[0])))

json_t *inv_core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_INV_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, inv_columns, NCOLS);
    stmt_reset(st);
    /* The periodic review runs from the last review, or from allocation. */
    if (json_is_null(json_object_get(o, "last_reviewed_at")))
        json_object_set(o, "review_from", json_object_get(o, "allocated_at"));
    else
        json_object_set(o, "review_from", json_object_get(o, "last_reviewed_at"));
    return o;
}

int inv_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_TOUCH);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    json_t *rec = inv_core_get(s, id);
    if (!rec)
        return fail_store(s, STORE_ERROR, err);
    rc = rules_evaluate(s, "investigation", rec, 0, now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

json_t *inv_load_for_change(struct store *s, int64_t id, struct domain_error *err)
{
    json_t *rec = inv_core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no investigation with id %lld", (long long)id);
        return NULL;
    }
    if (strcmp(jstr(rec, "status"), "closed") == 0) {
        domain_fail(err, 409, "investigation_closed", NULL,
                    "investigation %s is closed: it can no longer change", jstr(rec, "reference"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* A meaningful action: the stale clock restarts. A spell it ends (no action
 * for the stale threshold) is kept for the measure. */
static int acted(struct store *s, int64_t id, const char *ts)
{
    struct stmt *st = store_prepare(s, SQL_INV_LAST_ACTION);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    int64_t last = 0, now = 0;
    bool have = stmt_step(st) == STORE_ROW && ts_parse(stmt_text(st, 0), &last) == 0;
    stmt_reset(st);
    const struct rule *r = rules_find("investigation.stale");
    int64_t threshold = (int64_t)(r ? rules_minutes(r) : 14 * 24 * 60) * 60;
    if (have && ts_parse(ts, &now) == 0 && now - last > threshold) {
        char from[TS_TEXT_LEN];
        ts_format(last + threshold, from);
        st = store_prepare(s, SQL_INV_STALE_SPELL);
        if (!st)
            return STORE_ERROR;
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, from);
        stmt_bind_text(st, 3, ts);
        int rc = store_exec_stmt(st);
        if (rc != STORE_OK)
            return rc;
    }
    st = store_prepare(s, SQL_INV_ACTED);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    return store_exec_stmt(st);
}

/* ---- creating ------------------------------------------------------------------------- */

static int add_person(struct store *s, int64_t id, const json_t *p, size_t i, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    int64_t pid = json_integer_value(json_object_get(p, "person_id"));
    char f[40];
    snprintf(f, sizeof(f), "persons[%zu].person_id", i);
    struct stmt *st = store_prepare(s, SQL_INV_PERSON_DOB);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st);
    char dob[DATE_TEXT_LEN + 1] = "";
    if (rc == STORE_ROW && !stmt_is_null(st, 0))
        snprintf(dob, sizeof(dob), "%s", stmt_text(st, 0));
    stmt_reset(st);
    if (rc != STORE_ROW || (u && !auth_person_visible(s, pid, u)))
        return domain_fail(err, 422, "invalid_field", f, "'%s': there is no person with id %lld", f,
                           (long long)pid);
    struct civil_date d, on = date_of_ts(ts_uk_local(now));
    int is_child = dob[0] && date_parse(dob, &d) == 0 ? is_child_on(&d, &on) : -1;
    st = store_prepare(s, SQL_INV_PERSON_ADD);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, pid);
    stmt_bind_text(st, 3, jstr(p, "role"));
    if (is_child < 0)
        stmt_bind_null(st, 4);
    else
        stmt_bind_int(st, 4, is_child);
    rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

static int add_link(struct store *s, int64_t id, const json_t *l, size_t i,
                    struct domain_error *err)
{
    const char *type = jstr(l, "record_type");
    int64_t rid = json_integer_value(json_object_get(l, "record_id"));
    const char *sql = strcmp(type, "incident") == 0   ? SQL_INV_RECORD_EXISTS_INCIDENT
                      : strcmp(type, "referral") == 0 ? SQL_INV_RECORD_EXISTS_REFERRAL
                                                      : SQL_INV_RECORD_EXISTS_MISSING;
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, rid);
    bool ok = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    char f[40];
    snprintf(f, sizeof(f), "links[%zu].record_id", i);
    if (!ok)
        return domain_fail(err, 422, "invalid_field", f, "'%s': there is no %s with id %lld", f,
                           type, (long long)rid);
    st = store_prepare(s, SQL_INV_LINK_ADD);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, type);
    stmt_bind_int(st, 3, rid);
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

int64_t investigation_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                             struct domain_error *err)
{
    assert(s && body && err);
    char ts[TS_TEXT_LEN], like[32], ref[32];
    ts_format(now, ts);
    struct civil_date d = date_of_ts(now);
    snprintf(like, sizeof(like), "INV-%04d-%%", d.year % 10000);
    struct stmt *st = store_prepare(s, SQL_INV_NEXT_SEQ);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "INV-%04d-%06lld", d.year % 10000, (long long)seq);
    st = store_prepare(s, SQL_INV_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    const json_t *cx = json_object_get(body, "complexity");
    stmt_bind_text(st, 1, ref);
    stmt_bind_text(st, 2, jstr(body, "crime_type"));
    stmt_bind_text(st, 3, jstr(body, "category"));
    stmt_bind_int(st, 4, json_is_integer(cx) ? json_integer_value(cx) : 1);
    stmt_bind_text(st, 5, jstr(body, "summary"));
    stmt_bind_text(st, 6, jstr(body, "plan"));
    stmt_bind_text(st, 7, ts);
    stmt_bind_text(st, 8, ts);
    stmt_bind_text(st, 9, u && u->team[0] ? u->team : NULL);
    inv_bind_user(st, 10, u);
    stmt_bind_text(st, 11, ts);
    stmt_bind_text(st, 12, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(body, "persons"), i, v)
    {
        if (add_person(s, id, v, i, u, now, err) < 0)
            return -1;
    }
    json_array_foreach(json_object_get(body, "links"), i, v)
    {
        if (add_link(s, id, v, i, err) < 0)
            return -1;
    }
    char text[300];
    snprintf(text, sizeof(text), "Investigation %s opened: %s", ref, jstr(body, "crime_type"));
    if ((rc = inv_event(s, id, "opened", text, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err) < 0 ? -1 : id;
}

/* ---- reading -------------------------------------------------------------------------- */

static int64_t days_since(const char *ts, int64_t now)
{
    int64_t t = now;
    if (ts)
        ts_parse(ts, &t);
    return (now - t) / 86400;
}

json_t *investigation_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = inv_core_get(s, id);
    if (!o)
        return NULL;
    json_object_del(o, "review_from");
    json_t *people = json_array();
    struct stmt *st = store_prepare(s, SQL_INV_PEOPLE);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            int64_t pid = stmt_int(st, 0);
            json_t *p =
                json_pack("{s:I, s:s, s:o, s:o}", "person_id", (json_int_t)pid, "role",
                          stmt_text(st, 4), "dob", stmt_json_text(st, 3), "is_child",
                          stmt_is_null(st, 5) ? json_null() : json_boolean(stmt_int(st, 5) != 0));
            if (!viewer || auth_person_visible(s, pid, viewer))
                json_object_set_new(p, "name",
                                    json_pack("s++", stmt_text(st, 1), " ", stmt_text(st, 2)));
            else
                json_object_set_new(p, "restricted", json_true());
            json_array_append_new(people, p);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "persons", people);
    static const struct column_spec ln[] = {
        {"record_type", 's'}, {"record_id", 'i'}, {"reference", 's'}};
    json_object_set_new(o, "links", store_rows_by_id(s, SQL_INV_LINKS, id, ln, 3));
    static const struct column_spec an[] = {{"id", 'i'},        {"title", 's'},  {"owner_id", 'i'},
                                            {"owner", 's'},     {"due_on", 's'}, {"done_at", 's'},
                                            {"created_at", 's'}};
    json_t *actions = store_rows_by_id(s, SQL_INV_ACTIONS, id, an, 7);
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    size_t i;
    json_t *a;
    int overdue = 0;
    json_array_foreach(actions, i, a)
    {
        bool late = json_is_null(json_object_get(a, "done_at")) && jstr(a, "due_on") &&
                    strcmp(jstr(a, "due_on"), today) < 0;
        overdue += late;
        json_object_set_new(a, "overdue", json_boolean(late));
    }
    json_object_set_new(o, "actions", actions);
    static const struct column_spec rn[] = {{"at", 's'},
                                            {"due_at", 's'},
                                            {"trigger_point", 's'},
                                            {"plan_quality", 's'},
                                            {"actions_assessment", 's'},
                                            {"risk_assessment", 's'},
                                            {"victim_contact", 's'},
                                            {"direction", 's'},
                                            {"by", 's'}};
    json_t *reviews = store_rows_by_id(s, SQL_INV_REVIEWS, id, rn, 9);
    json_t *r;
    json_array_foreach(reviews, i, r)
    {
        const char *due = jstr(r, "due_at");
        json_object_set_new(r, "on_time", json_boolean(!due || strcmp(jstr(r, "at"), due) <= 0));
    }
    json_object_set_new(o, "reviews", reviews);
    static const struct column_spec en[] = {{"at", 's'}, {"kind", 's'}, {"text", 's'}, {"by", 's'}};
    json_object_set_new(o, "history", store_rows_by_id(s, SQL_INV_EVENTS, id, en, 4));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "investigation", id, now));
    json_object_set_new(o, "delay",
                        json_pack("{s:I, s:i, s:I}", "days_since_last_action",
                                  (json_int_t)days_since(jstr(o, "last_action_at"), now),
                                  "overdue_actions", overdue, "days_in_status",
                                  (json_int_t)days_since(jstr(o, "status_since"), now)));
    json_object_set_new(o, "choices",
                        json_pack("{s:[s,s,s,s], s:[s,s,s,s,s], s:[s,s,s], s:[s,s]}", "statuses",
                                  "active", "awaiting_forensics", "awaiting_charging_decision",
                                  "suspended", "triggers", "allocation", "periodic", "arrest",
                                  "charge_decision", "closure", "plan_qualities", "good",
                                  "adequate", "poor", "key_points", "arrest", "charge_decision"));
    return o;
}

json_t *investigation_list(struct store *s, const char *status, int64_t now)
{
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    struct stmt *st = store_prepare(s, SQL_INV_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, status);
    stmt_bind_text(st, 2, today);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:I, s:b, s:o, s:I}",
                           "id", (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1),
                           "crime_type", stmt_text(st, 2), "category", stmt_text(st, 3),
                           "complexity", (json_int_t)stmt_int(st, 4), "status", stmt_text(st, 5),
                           "status_since", stmt_text(st, 6), "team", stmt_json_text(st, 7),
                           "officer", stmt_json_text(st, 8), "days_since_last_action",
                           (json_int_t)days_since(stmt_text(st, 9), now), "risk_to_child",
                           stmt_int(st, 10) != 0, "info_shared_at", stmt_json_text(st, 11),
                           "overdue_actions", (json_int_t)stmt_int(st, 12)));
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return json_pack("{s:o}", "investigations", arr);
}

json_t *investigation_ageing(struct store *s, int64_t now)
{
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    struct stmt *st = store_prepare(s, SQL_INV_AGEING);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, today);
    /* Age bands since the last action, and the stages cases wait in. */
    static const struct {
        const char *label;
        int from, to;
    } bands[] = {{"0-6 days", 0, 6},
                 {"7-13 days", 7, 13},
                 {"14-27 days", 14, 27},
                 {"28 days or more", 28, 1 << 30}};
    int band_n[4] = {0};
    json_t *cases = json_array(), *stages = json_object();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t idle = days_since(stmt_text(st, 4), now),
                in_stage = days_since(stmt_text(st, 3), now);
        for (int b = 0; b < 4; b++)
            band_n[b] += idle >= bands[b].from && idle <= bands[b].to;
        const char *stage = stmt_text(st, 2);
        json_t *sg = json_object_get(stages, stage);
        if (!sg) {
            sg = json_pack("{s:i, s:i, s:i}", "open", 0, "total_days", 0, "longest_days", 0);
            json_object_set_new(stages, stage, sg);
        }
        json_object_set_new(sg, "open",
                            json_integer(json_integer_value(json_object_get(sg, "open")) + 1));
        json_object_set_new(
            sg, "total_days",
            json_integer(json_integer_value(json_object_get(sg, "total_days")) + in_stage));
        if (in_stage > json_integer_value(json_object_get(sg, "longest_days")))
            json_object_set_new(sg, "longest_days", json_integer(in_stage));
        json_array_append_new(
            cases, json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o, s:I, s:b}", "id",
                             (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "status",
                             stage, "days_since_last_action", (json_int_t)idle, "days_in_status",
                             (json_int_t)in_stage, "officer", stmt_json_text(st, 5), "team",
                             stmt_json_text(st, 6), "overdue_actions", (json_int_t)stmt_int(st, 7),
                             "stale", idle >= 14));
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(cases);
        json_decref(stages);
        return NULL;
    }
    /* Stages as a list with the average wait, longest first. */
    json_t *stage_list = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(stages, k, v)
    {
        json_int_t n = json_integer_value(json_object_get(v, "open"));
        json_int_t total = json_integer_value(json_object_get(v, "total_days"));
        /* The average to a tenth of a day: what a reader compares. */
        double average = n ? (double)((total * 10 + n / 2) / n) / 10.0 : 0.0;
        json_array_append_new(stage_list, json_pack("{s:s, s:I, s:f, s:O}", "stage", k, "open", n,
                                                    "average_days", average, "longest_days",
                                                    json_object_get(v, "longest_days")));
    }
    json_decref(stages);
    json_t *band_arr = json_array();
    for (int b = 0; b < 4; b++)
        json_array_append_new(band_arr,
                              json_pack("{s:s, s:i}", "band", bands[b].label, "open", band_n[b]));
    return json_pack("{s:o, s:o, s:o}", "by_age", band_arr, "by_stage", stage_list, "cases", cases);
}

/* ---- changing ------------------------------------------------------------------------- */

int investigation_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    const char *trigger = jstr(body, "trigger_point");
    if (!jstr(rec, "allocated_at")) {
        json_decref(rec);
        return domain_fail(err, 409, "not_allocated", NULL,
                           "allocate the investigation before reviewing it");
    }
    if ((strcmp(trigger, "arrest") == 0 || strcmp(trigger, "charge_decision") == 0) &&
        !(jstr(rec, "key_point") && strcmp(jstr(rec, "key_point"), trigger) == 0)) {
        domain_fail(err, 422, "invalid_field", "trigger_point",
                    "no %s is waiting for its review: record it with the status first", trigger);
        json_decref(rec);
        return -1;
    }
    /* The deadline this review answers, for "reviews on time". */
    char due[TS_TEXT_LEN] = "";
    const char *rule = strcmp(trigger, "allocation") == 0 ? "investigation.review_allocation"
                       : strcmp(trigger, "periodic") == 0 ? "investigation.review_periodic"
                       : strcmp(trigger, "closure") == 0  ? NULL
                                                          : "investigation.review_key_point";
    const char *from = strcmp(trigger, "allocation") == 0 ? jstr(rec, "allocated_at")
                       : strcmp(trigger, "periodic") == 0 ? jstr(rec, "review_from")
                                                          : jstr(rec, "key_point_at");
    int64_t f;
    const struct rule *r = rule ? rules_find(rule) : NULL;
    if (r && from && ts_parse(from, &f) == 0)
        ts_format(f + (int64_t)rules_minutes(r) * 60, due);
    bool clears_key_point = jstr(rec, "key_point") && strcmp(jstr(rec, "key_point"), trigger) == 0;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_REVIEW_ADD);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, due[0] ? due : NULL);
    stmt_bind_text(st, 4, trigger);
    stmt_bind_text(st, 5, jstr(body, "plan_quality"));
    stmt_bind_text(st, 6, jstr(body, "actions_assessment"));
    stmt_bind_text(st, 7, jstr(body, "risk_assessment"));
    stmt_bind_text(st, 8, jstr(body, "victim_contact"));
    stmt_bind_text(st, 9, jstr(body, "direction"));
    inv_bind_user(st, 10, u);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && (st = store_prepare(s, SQL_INV_REVIEWED))) {
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, clears_key_point);
        stmt_bind_int(st, 3, clears_key_point);
        stmt_bind_int(st, 4, id);
        rc = store_exec_stmt(st);
    }
    char text[TEXT + 128];
    snprintf(text, sizeof(text), "Supervisory review (%s): plan %s. Direction: %s", trigger,
             jstr(body, "plan_quality"), jstr(body, "direction"));
    if (rc == STORE_OK)
        rc = inv_event(s, id, "review", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

int investigation_add_action(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_ACTION_ADD);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    const json_t *owner = json_object_get(body, "owner_id");
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, jstr(body, "title"));
    if (json_is_integer(owner))
        stmt_bind_int(st, 3, json_integer_value(owner));
    else
        stmt_bind_null(st, 3);
    stmt_bind_text(st, 4, jstr(body, "due_on"));
    stmt_bind_text(st, 5, ts);
    int rc = store_exec_stmt(st);
    if (rc == STORE_CONSTRAINT)
        return domain_fail(err, 422, "invalid_field", "owner_id",
                           "'owner_id': there is no user with that id");
    char text[400];
    snprintf(text, sizeof(text), "Action planned: %s", jstr(body, "title"));
    if (rc == STORE_OK)
        rc = inv_event(s, id, "action_planned", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

int investigation_action_done(struct store *s, int64_t id, int64_t action_id, const struct user *u,
                              int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_ACTION_DONE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    inv_bind_user(st, 2, u);
    stmt_bind_int(st, 3, action_id);
    stmt_bind_int(st, 4, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    if (store_changes(s) != 1)
        return domain_fail(err, 404, "not_found", NULL, "no open action %lld on this investigation",
                           (long long)action_id);
    char text[64];
    snprintf(text, sizeof(text), "Action %lld done", (long long)action_id);
    if ((rc = inv_event(s, id, "action_done", text, u, now)) != STORE_OK ||
        (rc = acted(s, id, ts)) != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

int investigation_set_status(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    bool allocated = jstr(rec, "allocated_at") != NULL;
    json_decref(rec);
    if (!allocated)
        return domain_fail(err, 409, "not_allocated", NULL,
                           "allocate the investigation before it can move on");
    const char *status = jstr(body, "status"), *kp = jstr(body, "key_point");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_STATUS);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, status);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, ts);
    stmt_bind_text(st, 4, kp);
    stmt_bind_text(st, 5, kp);
    stmt_bind_text(st, 6, ts);
    stmt_bind_int(st, 7, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 128];
    snprintf(text, sizeof(text), "Status: %s%s%s%s%s", status, kp ? "; " : "",
             kp ? (strcmp(kp, "arrest") == 0 ? "arrest made" : "charging decision made") : "",
             jstr(body, "note") ? ". " : "", jstr(body, "note") ? jstr(body, "note") : "");
    if (rc == STORE_OK)
        rc = inv_event(s, id, kp ? kp : "status", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

int investigation_set_plan(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_PLAN);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "plan"));
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK)
        rc = inv_event(s, id, "plan", "Investigation plan updated", u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

int investigation_record_risk(struct store *s, int64_t id, const json_t *body, const struct user *u,
                              int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INV_RISK);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "detail"));
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 64];
    snprintf(text, sizeof(text), "Risk to a child recorded: %s", jstr(body, "detail"));
    if (rc == STORE_OK)
        rc = inv_event(s, id, "risk", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

int investigation_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    char since[TS_TEXT_LEN];
    snprintf(since, sizeof(since), "%s", jstr(rec, "last_action_at"));
    json_decref(rec);
    /* Closure is a key point: a supervisor's closure review, after the last
     * action, comes first. */
    struct stmt *st = store_prepare(s, SQL_INV_CLOSURE_REVIEW);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, since);
    bool reviewed = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    if (!reviewed)
        return domain_fail(err, 409, "closure_review_needed", NULL,
                           "a supervisor's closure review (after the last action) is needed "
                           "before closing");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_INV_CLOSE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, jstr(body, "outcome"));
    stmt_bind_int(st, 4, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 32];
    snprintf(text, sizeof(text), "Closed: %s", jstr(body, "outcome"));
    if (rc == STORE_OK)
        rc = inv_event(s, id, "closed", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err);
}

/* ---- information sharing ------------------------------------------------------------ */

int64_t investigation_raise_referral(struct store *s, int64_t id, const json_t *body,
                                     const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = inv_load_for_change(s, id, err);
    if (!rec)
        return -1;
    /* The child: the one asked for, else the only child victim. */
    int64_t child = json_integer_value(json_object_get(body, "person_id"));
    int64_t found = 0;
    int children = 0;
    struct stmt *st = store_prepare(s, SQL_INV_PEOPLE);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            if (!stmt_is_null(st, 5) && stmt_int(st, 5) &&
                strcmp(stmt_text(st, 4), "victim") == 0) {
                children++;
                if (!child || stmt_int(st, 0) == child)
                    found = stmt_int(st, 0);
            }
        }
        stmt_reset(st);
    }
    if (!found || (!child && children > 1)) {
        int n = children;
        json_decref(rec);
        if (n > 1 && !child)
            return domain_fail(err, 422, "missing_field", "person_id",
                               "the investigation has %d child victims: say which one "
                               "('person_id')",
                               n);
        if (child)
            return domain_fail(err, 422, "invalid_field", "person_id",
                               "person %lld is not a child victim on this investigation",
                               (long long)child);
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "the investigation has no child victim to refer");
    }
    static const struct {
        const char *from, *to;
    } cat[] = {{"physical_abuse", "physical_abuse"},
               {"sexual_abuse", "sexual_abuse"},
               {"neglect", "neglect"},
               {"child_sexual_exploitation", "child_sexual_exploitation"},
               {"child_criminal_exploitation", "child_criminal_exploitation"},
               {"online_sexual_exploitation", "online_harm"},
               {"domestic_abuse", "domestic_abuse"}};
    const char *category = "other";
    for (size_t i = 0; i < sizeof(cat) / sizeof(cat[0]); i++)
        if (strcmp(cat[i].from, jstr(rec, "category")) == 0)
            category = cat[i].to;
    char summary[TEXT + 300];
    snprintf(summary, sizeof(summary), "Investigation %s (%s). Strategy discussion requested. %s",
             jstr(rec, "reference"), jstr(rec, "crime_type"),
             jstr(rec, "risk_detail") ? jstr(rec, "risk_detail") : "");
    json_t *b =
        json_pack("{s:I, s:[s], s:s, s:s, s:s}", "person_id", (json_int_t)found, "categories",
                  category, "summary", summary, "urgency", "immediate", "risk_view",
                  jstr(rec, "risk_detail") ? jstr(rec, "risk_detail")
                                           : "Risk to the child under investigation");
    if (jstr(rec, "risk_known_at"))
        json_object_set_new(b, "concern_at", json_string(jstr(rec, "risk_known_at")));
    json_decref(rec);
    int64_t ref = referral_create(s, b, u, now, err);
    json_decref(b);
    if (ref < 0)
        return -1;
    st = store_prepare(s, SQL_INV_LINK_ADD);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, "referral");
    stmt_bind_int(st, 3, ref);
    int rc = store_exec_stmt(st);
    char text[96];
    snprintf(text, sizeof(text), "Referral %lld drafted to share with children's social care",
             (long long)ref);
    if (rc == STORE_OK)
        rc = inv_event(s, id, "referral", text, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return inv_finish_change(s, id, now, err) < 0 ? -1 : ref;
}

int investigation_link_referral(struct store *s, int64_t id, int64_t referral_id,
                                struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_INV_LINK_ADD);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, "referral");
    stmt_bind_int(st, 3, referral_id);
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

int investigations_referral_sent(struct store *s, int64_t referral_id, int64_t now,
                                 struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_INV_BY_REFERRAL);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, referral_id);
    int64_t ids[32];
    int n = 0;
    while (n < 32 && stmt_step(st) == STORE_ROW)
        ids[n++] = stmt_int(st, 0);
    stmt_reset(st);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    for (int i = 0; i < n; i++) {
        st = store_prepare(s, SQL_INV_SHARED);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, ids[i]);
        int rc = store_exec_stmt(st);
        if (rc == STORE_OK && store_changes(s) == 1)
            rc = inv_event(s, ids[i], "shared", "Information shared with children's social care",
                           NULL, now);
        if (rc != STORE_OK)
            return fail_store(s, rc, err);
        if (inv_finish_change(s, ids[i], now, err) < 0)
            return -1;
    }
    return 0;
}
