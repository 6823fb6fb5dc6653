/*
 * assurance_actions.c — the action plan against each recommendation and the
 * month-by-month commentary for the board: adding and changing actions with
 * a history row per changed field, showing an action with its history, and
 * appending commentary.
 *
 * Every editable column of an action is a row of action_fields[], so adding
 * one (as attachments was) is a column, a row here and a form input.
 */
#include "modules/assurance/assurance.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "modules/assurance/assurance_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX       300
#define OWNER_MAX       200
#define EVIDENCE_MAX    4000
#define ATTACHMENTS_MAX 4000
#define COMMENTARY_MAX  4000

/* clang-format off */
const struct field assurance_action_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1,
     .max = 9007199254740991LL},
    {.name = "title", .type = FIELD_STRING, .max_len = TITLE_MAX},
    {.name = "owner", .type = FIELD_STRING, .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = OWNER_MAX},
    {.name = "due_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "status", .type = FIELD_ENUM, .values = assurance_action_statuses},
    {.name = "evidence", .type = FIELD_STRING, .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = EVIDENCE_MAX},
    {.name = "attachments", .type = FIELD_STRING, .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = ATTACHMENTS_MAX},
    {0}};

const struct field assurance_action_create_fields[] = {
    {.name = "title", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TITLE_MAX},
    {.name = "owner", .type = FIELD_STRING, .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = OWNER_MAX},
    {.name = "due_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "status", .type = FIELD_ENUM, .values = assurance_action_statuses},
    {.name = "evidence", .type = FIELD_STRING, .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = EVIDENCE_MAX},
    {.name = "attachments", .type = FIELD_STRING, .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = ATTACHMENTS_MAX},
    {0}};

const struct field assurance_commentary_fields[] = {
    {.name = "period", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 7},
    {.name = "text", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = COMMENTARY_MAX},
    {0}};
/* clang-format on */

/* The editable columns, in SQL_A_ACTION_GET's and SQL_A_ACTION_UPDATE's
 * order. `private` ones are free text that may name people: they are kept
 * from aggregate-only viewers, values and history alike. */
static const struct {
    const char *name;
    bool private;
} action_fields[] = {
    {"title", false},  {"owner", false},   {"due_on", false},
    {"status", false}, {"evidence", true}, {"attachments", true},
};
#define NFIELDS ((int)(sizeof(action_fields) / sizeof(action_fields[0])))

static bool aggregate_only(const struct user *u)
{
    return !u || !permset_has(&u->perms, PERM_ASSURANCE_WRITE);
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A body's value for an optional text: NULL for null or blank (clearing it). */
static const char *text_or_null(const json_t *body, const char *key)
{
    const char *v = jstr(body, key);
    return v && *v ? v : NULL;
}

/* Attachment references as a list: one per non-blank line, trimmed. */
static json_t *attachment_list(const char *text)
{
    json_t *arr = json_array();
    for (const char *p = text; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *a = p, *z = p + n;
        while (a < z && (*a == ' ' || *a == '\t' || *a == '\r'))
            a++;
        while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
            z--;
        if (z > a)
            json_array_append_new(arr, json_stringn(a, (size_t)(z - a)));
        p = end ? end + 1 : p + n;
    }
    return arr;
}

json_t *assurance_action_json(struct stmt *st, bool suppress)
{
    /* SQL_A_ACTIONS: id, title, owner, due_on, status, evidence, version,
     * updated_at, attachments */
    json_t *a = json_pack("{s:I, s:s, s:o, s:o, s:s, s:I, s:s}", "id", (json_int_t)stmt_int(st, 0),
                          "title", stmt_text(st, 1), "owner", stmt_json_text(st, 2), "due_on",
                          stmt_json_text(st, 3), "status", stmt_text(st, 4), "version",
                          (json_int_t)stmt_int(st, 6), "updated_at", stmt_text(st, 7));
    if (!suppress) {
        json_object_set_new(a, "evidence", stmt_json_text(st, 5));
        json_object_set_new(a, "attachments", stmt_json_text(st, 8));
        json_object_set_new(a, "attachment_list",
                            attachment_list(stmt_is_null(st, 8) ? NULL : stmt_text(st, 8)));
    }
    return a;
}

static int history(struct store *s, int64_t action_id, const char *at, const struct user *u,
                   const char *field, const char *old, const char *new_value)
{
    struct stmt *st = store_prepare(s, SQL_A_HISTORY_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, action_id);
    stmt_bind_text(st, 2, at);
    if (u)
        stmt_bind_int(st, 3, u->id);
    else
        stmt_bind_null(st, 3);
    stmt_bind_text(st, 4, field);
    stmt_bind_text(st, 5, old);
    stmt_bind_text(st, 6, new_value);
    return store_exec_stmt(st);
}

/* The action's current values, copied out of the statement. */
struct action_row {
    char *value[NFIELDS]; /* NULL for SQL NULL; malloc'd */
    int64_t rec_id, version, rec_number;
    char *updated_at, *rec_text; /* malloc'd */
};

static void action_row_free(struct action_row *r)
{
    for (int i = 0; i < NFIELDS; i++)
        free(r->value[i]);
    free(r->updated_at);
    free(r->rec_text);
}

/* 1 found, 0 none, < 0 a store failure. */
static int action_load(struct store *s, int64_t id, struct action_row *r)
{
    memset(r, 0, sizeof(*r));
    struct stmt *st = store_prepare(s, SQL_A_ACTION_GET);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        return rc == STORE_DONE ? 0 : rc;
    }
    for (int i = 0; i < NFIELDS; i++)
        r->value[i] = stmt_is_null(st, i) ? NULL : strdup(stmt_text(st, i));
    r->rec_id = stmt_int(st, NFIELDS);
    r->version = stmt_int(st, NFIELDS + 1);
    r->updated_at = strdup(stmt_text(st, NFIELDS + 2));
    r->rec_number = stmt_int(st, NFIELDS + 3);
    r->rec_text = strdup(stmt_text(st, NFIELDS + 4));
    stmt_reset(st);
    return 1;
}

int assurance_action_update(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, int64_t *rec_id, struct domain_error *err)
{
    assert(s && body && rec_id && err);
    bool any = false;
    for (int i = 0; i < NFIELDS; i++)
        any = any || jhas(body, action_fields[i].name);
    if (!any)
        return domain_fail(err, 422, "missing_field", "status",
                           "give at least one of 'title', 'owner', 'due_on', 'status', "
                           "'evidence' or 'attachments' to change");
    struct action_row r;
    int rc = action_load(s, id, &r);
    if (rc <= 0) {
        action_row_free(&r);
        return rc < 0 ? domain_store_fail(err, s, rc)
                      : domain_fail(err, 404, "not_found", NULL, "no action with id %lld",
                                    (long long)id);
    }
    *rec_id = r.rec_id;
    int64_t given = (int64_t)json_integer_value(json_object_get(body, "version"));
    if (given != r.version) {
        action_row_free(&r);
        return domain_fail(err, 409, "stale_version", "version",
                           "the action was changed by someone else (version %lld, not %lld): "
                           "reload it and try again",
                           (long long)r.version, (long long)given);
    }
    const char *next[NFIELDS];
    for (int i = 0; i < NFIELDS; i++) {
        const char *name = action_fields[i].name;
        next[i] = jhas(body, name) ? text_or_null(body, name) : r.value[i];
    }
    if (!next[0] || !next[3]) { /* title and status cannot be cleared */
        action_row_free(&r);
        return domain_fail(err, 422, "required", next[0] ? "status" : "title",
                           "'%s' cannot be empty", next[0] ? "status" : "title");
    }
    char at[TS_TEXT_LEN];
    ts_format(now, at);
    struct stmt *st = store_prepare(s, SQL_A_ACTION_UPDATE);
    if (!st) {
        action_row_free(&r);
        return domain_store_fail(err, s, STORE_ERROR);
    }
    for (int i = 0; i < NFIELDS; i++)
        stmt_bind_text(st, i + 1, next[i]);
    stmt_bind_text(st, NFIELDS + 1, at);
    stmt_bind_int(st, NFIELDS + 2, id);
    stmt_bind_int(st, NFIELDS + 3, r.version);
    if ((rc = store_exec_stmt(st)) < 0) {
        action_row_free(&r);
        return domain_store_fail(err, s, rc);
    }
    if (store_changes(s) != 1) {
        action_row_free(&r);
        return domain_fail(err, 409, "stale_version", "version",
                           "the action was changed by someone else: reload it and try again");
    }
    for (int i = 0; i < NFIELDS && rc >= 0; i++)
        if (!same(next[i], r.value[i]))
            rc = history(s, id, at, u, action_fields[i].name, r.value[i], next[i]);
    action_row_free(&r);
    return rc < 0 ? domain_store_fail(err, s, rc) : 0;
}

static int recommendation_exists(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_A_RECOMMENDATION_EXISTS);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    stmt_reset(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : rc;
}

int assurance_action_create(struct store *s, int64_t rec_id, const json_t *body,
                            const struct user *u, int64_t now, int64_t *id,
                            struct domain_error *err)
{
    assert(s && body && id && err);
    int rc = recommendation_exists(s, rec_id);
    if (rc <= 0)
        return rc < 0 ? domain_store_fail(err, s, rc)
                      : domain_fail(err, 404, "not_found", NULL, "no recommendation with id %lld",
                                    (long long)rec_id);
    const char *status = jstr(body, "status");
    char at[TS_TEXT_LEN];
    ts_format(now, at);
    struct stmt *st = store_prepare(s, SQL_A_ACTION_CREATE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, rec_id);
    stmt_bind_text(st, 2, jstr(body, "title"));
    stmt_bind_text(st, 3, text_or_null(body, "owner"));
    stmt_bind_text(st, 4, text_or_null(body, "due_on"));
    stmt_bind_text(st, 5, status ? status : "not_started");
    stmt_bind_text(st, 6, text_or_null(body, "evidence"));
    stmt_bind_text(st, 7, text_or_null(body, "attachments"));
    stmt_bind_text(st, 8, at);
    if ((rc = stmt_returning_id(st, id)) < 0)
        return domain_store_fail(err, s, rc);
    /* The history starts with the action's creation, so "who added this and
     * when" is answered by the same list as every later change. */
    rc = history(s, *id, at, u, "created", NULL, jstr(body, "title"));
    return rc < 0 ? domain_store_fail(err, s, rc) : 0;
}

json_t *assurance_action_show(struct store *s, int64_t id, const struct user *u)
{
    assert(s);
    bool suppress = aggregate_only(u);
    struct action_row r;
    if (action_load(s, id, &r) <= 0) {
        action_row_free(&r);
        return NULL;
    }
    json_t *o = json_pack("{s:I, s:I}", "id", (json_int_t)id, "version", (json_int_t)r.version);
    for (int i = 0; i < NFIELDS; i++)
        if (!suppress || !action_fields[i].private)
            json_object_set_new(o, action_fields[i].name,
                                r.value[i] ? json_string(r.value[i]) : json_null());
    if (!suppress)
        json_object_set_new(o, "attachment_list", attachment_list(r.value[5]));
    json_object_set_new(o, "updated_at", json_string(r.updated_at ? r.updated_at : ""));
    json_object_set_new(o, "recommendation",
                        json_pack("{s:I, s:I, s:s}", "id", (json_int_t)r.rec_id, "number",
                                  (json_int_t)r.rec_number, "text", r.rec_text ? r.rec_text : ""));
    action_row_free(&r);

    json_t *hist = json_array();
    struct stmt *st = store_prepare(s, SQL_A_HISTORY);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            const char *field = stmt_text(st, 2);
            bool private = false;
            for (int i = 0; i < NFIELDS; i++)
                if (strcmp(field, action_fields[i].name) == 0)
            private = action_fields[i].private;
            json_t *h = json_pack("{s:s, s:s}", "at", stmt_text(st, 0), "field", field);
            /* Who changed it is a member of staff: named to the force, not
             * to the board; private values are not shown to the board. */
            if (!suppress)
                json_object_set_new(h, "by", stmt_json_text(st, 1));
            if (!suppress || !private) {
                json_object_set_new(h, "old", stmt_json_text(st, 3));
                json_object_set_new(h, "new", stmt_json_text(st, 4));
            }
            json_array_append_new(hist, h);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "history", hist);
    json_object_set_new(o, "aggregate_only", json_boolean(suppress));
    json_object_set_new(
        o, "statuses",
        json_pack("[s, s, s, s]", "not_started", "in_progress", "complete", "blocked"));
    return o;
}

int assurance_commentary_add(struct store *s, int64_t rec_id, const json_t *body,
                             const struct user *u, int64_t now, struct domain_error *err)
{
    assert(s && body && err);
    const char *period = jstr(body, "period");
    struct assurance_period month;
    if (assurance_month(period, &month) < 0)
        return domain_fail(err, 422, "invalid_period", "period",
                           "'period' must be a month written YYYY-MM");
    int rc = recommendation_exists(s, rec_id);
    if (rc <= 0)
        return rc < 0 ? domain_store_fail(err, s, rc)
                      : domain_fail(err, 404, "not_found", NULL, "no recommendation with id %lld",
                                    (long long)rec_id);
    char at[TS_TEXT_LEN];
    ts_format(now, at);
    struct stmt *st = store_prepare(s, SQL_A_COMMENTARY_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, rec_id);
    stmt_bind_text(st, 2, period);
    stmt_bind_text(st, 3, jstr(body, "text"));
    stmt_bind_text(st, 4, at);
    if (u)
        stmt_bind_int(st, 5, u->id);
    else
        stmt_bind_null(st, 5);
    int64_t id;
    if ((rc = stmt_returning_id(st, &id)) < 0)
        return domain_store_fail(err, s, rc);
    return 0;
}

json_t *assurance_commentary(struct store *s, int64_t rec_id, const char *period,
                             const struct user *u)
{
    assert(s);
    bool suppress = aggregate_only(u);
    json_t *months = json_array(), *current = json_null(), *last = NULL;
    struct stmt *st = store_prepare(s, SQL_A_COMMENTARY);
    if (!st)
        return json_pack("{s:o, s:o}", "current", current, "months", months);
    stmt_bind_int(st, 1, rec_id);
    while (stmt_step(st) == STORE_ROW) {
        json_t *c = json_pack("{s:s, s:s, s:s}", "period", stmt_text(st, 1), "text",
                              stmt_text(st, 2), "written_at", stmt_text(st, 3));
        if (!suppress)
            json_object_set_new(c, "by", stmt_json_text(st, 4));
        /* Rows come newest first within a month: the first is current and
         * the rest its earlier drafts. */
        if (last &&
            strcmp(json_string_value(json_object_get(last, "period")), stmt_text(st, 1)) == 0) {
            json_array_append_new(json_object_get(last, "earlier"), c);
            continue;
        }
        json_object_set_new(c, "earlier", json_array());
        json_array_append_new(months, c);
        last = c;
        if (period && strcmp(period, stmt_text(st, 1)) == 0) {
            json_decref(current);
            current = json_incref(c);
        }
    }
    stmt_reset(st);
    return json_pack("{s:o, s:o, s:s?}", "current", current, "months", months, "period", period);
}
