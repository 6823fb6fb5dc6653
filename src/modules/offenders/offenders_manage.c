/*
 * offenders_manage.c — managing the offender beyond the record itself:
 * reactive management decisions and the intelligence that triggers their
 * review, children found living in the offender's household (a notification
 * naming them, or an address matching theirs) with the safeguarding task for
 * the child's area, the concerns that make up each policing area's briefing
 * for local officers, and recording quality.
 */
#include "auth/auth.h"
#include "modules/incidents/incidents.h"
#include "modules/offenders/offenders.h"
#include "modules/offenders/offenders_internal.h"
#include "modules/offenders/offenders_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const decisions[] = {"active", "reactive", NULL};
static const char *const intel_kinds[] = {
    "contact_with_children", "breach_of_order", "failure_to_notify", "new_offence", "other", NULL};
static const char *const urgencies[] = {"urgent", "routine", NULL};
static const char *const intel_outcomes[] = {"stay_reactive", "return_to_active", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
const struct field offender_reactive_fields[] = {
    {.name = "eligible", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "criteria", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = decisions},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field offender_intelligence_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = intel_kinds},
    {.name = "urgency", .type = FIELD_ENUM, .values = urgencies},
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "incident_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "occurred_on", .type = FIELD_DATE},
    {0}};
const struct field offender_intel_review_fields[] = {
    {.name = "outcome", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = intel_outcomes},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field offender_concern_fields[] = {
    {.name = "area", .type = FIELD_STRING, .max_len = 64},
    {.name = "photo_ref", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "risk_summary", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 1000},
    {.name = "look_for", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 1000},
    {.name = "if_seen", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 1000},
    {0}};
const struct field offender_concern_review_fields[] = {
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field offender_concern_end_fields[] = {
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field offender_child_action_fields[] = {
    {.name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
/* clang-format on */

/* ---- reactive management ------------------------------------------------------------ */

static int insert_decision(struct store *s, int64_t id, int eligible, const char *criteria,
                           const char *decision, const char *reason, int64_t intel,
                           const struct user *u, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_DECISION_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, eligible);
    stmt_bind_text(st, 3, criteria);
    stmt_bind_text(st, 4, decision);
    stmt_bind_text(st, 5, reason);
    if (intel)
        stmt_bind_int(st, 6, intel);
    offenders_bind_user(st, 7, u);
    stmt_bind_text(st, 8, ts);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && (st = store_prepare(s, SQL_OF_MANAGEMENT_SET))) {
        stmt_bind_text(st, 1, decision);
        stmt_bind_int(st, 2, eligible);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
    }
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

int offender_decide_management(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    int eligible = jbool(body, "eligible", 0);
    const char *decision = jstr(body, "decision");
    if (strcmp(decision, "reactive") == 0 && !eligible)
        return domain_fail(err, 422, "invalid_field", "decision",
                           "'decision': reactive management is only for offenders who meet the "
                           "criteria ('eligible' is false)");
    if (strcmp(decision, "reactive") == 0 && !jstr(body, "criteria"))
        return domain_fail(err, 422, "missing_field", "criteria",
                           "'criteria' must say how the offender meets the criteria for "
                           "reactive management");
    if (insert_decision(s, id, eligible, jstr(body, "criteria"), decision, jstr(body, "reason"), 0,
                        u, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

int offender_add_intelligence(struct store *s, int64_t id, const json_t *body, const struct user *u,
                              int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    char management[16];
    snprintf(management, sizeof(management), "%s", jstr(rec, "management"));
    json_decref(rec);
    const char *kind = jstr(body, "kind");
    /* Contact with children and new offending are urgent unless said. */
    const char *urgency = jstr(body, "urgency");
    if (!urgency)
        urgency = strcmp(kind, "contact_with_children") == 0 || strcmp(kind, "new_offence") == 0
                      ? "urgent"
                      : "routine";
    char occurred[DATE_TEXT_LEN];
    if (offenders_date(body, "occurred_on", NULL, false, now, occurred, err) < 0)
        return -1;
    json_t *inc = json_object_get(body, "incident_id");
    if (json_is_integer(inc)) {
        struct stmt *st = store_prepare(s, SQL_OF_INCIDENT_EXISTS);
        if (!st)
            return offenders_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, json_integer_value(inc));
        int rc = stmt_step(st);
        stmt_reset(st);
        if (rc != STORE_ROW)
            return domain_fail(err, 422, "invalid_field", "incident_id",
                               "'incident_id': there is no incident with id %lld",
                               (long long)json_integer_value(inc));
    }
    bool reactive = strcmp(management, "reactive") == 0;
    char ts[TS_TEXT_LEN], due[TS_TEXT_LEN] = "";
    ts_format(now, ts);
    if (reactive) {
        /* The review's time is its urgency's rule, so a force's setting is
         * the one kept and measured. */
        const struct rule *r =
            rules_find(strcmp(urgency, "urgent") == 0 ? "offender.reactive_review_urgent"
                                                      : "offender.reactive_review_routine");
        ts_format(now + (int64_t)(r ? rules_minutes(r) : 24 * 60) * 60, due);
    }
    struct stmt *st = store_prepare(s, SQL_OF_INTEL_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, kind);
    stmt_bind_text(st, 3, urgency);
    stmt_bind_text(st, 4, jstr(body, "summary"));
    if (json_is_integer(inc))
        stmt_bind_int(st, 5, json_integer_value(inc));
    stmt_bind_text(st, 6, occurred);
    stmt_bind_text(st, 7, management);
    stmt_bind_text(st, 8, due[0] ? due : NULL);
    offenders_bind_user(st, 9, u);
    stmt_bind_text(st, 10, ts);
    int64_t iid = 0;
    int rc = stmt_returning_id(st, &iid);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    /* A breach of an order or a failure to notify is a breach on the
     * record. */
    const char *breach = strcmp(kind, "breach_of_order") == 0     ? "order_breach"
                         : strcmp(kind, "failure_to_notify") == 0 ? "failure_to_notify"
                                                                  : NULL;
    if (breach && (st = store_prepare(s, SQL_OF_BREACH_INSERT))) {
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, breach);
        stmt_bind_int(st, 4, iid);
        stmt_bind_text(st, 5, jstr(body, "summary"));
        stmt_bind_text(st, 6, occurred);
        offenders_bind_user(st, 7, u);
        stmt_bind_text(st, 8, ts);
        rc = store_exec_stmt(st);
    }
    /* For an actively managed offender it is a significant change: the plan
     * is reviewed. */
    if (rc == STORE_OK && !reactive && strcmp(kind, "other") != 0 &&
        (st = store_prepare(s, SQL_OF_PROMPT_REVIEW))) {
        char reason[120];
        snprintf(reason, sizeof(reason), "new intelligence: %s", kind);
        stmt_bind_text(st, 1, ts);
        stmt_bind_text(st, 2, reason);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
    }
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return offenders_finish_change(s, id, now, err);
}

int offender_review_intelligence(struct store *s, int64_t id, int64_t intel_id, const json_t *body,
                                 const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    int eligible = jbool(rec, "reactive_eligible", 0);
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_OF_INTEL_GET);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, intel_id);
    stmt_bind_int(st, 2, id);
    int rc = stmt_step(st);
    bool asks = rc == STORE_ROW && !stmt_is_null(st, 0);
    bool done = rc == STORE_ROW && !stmt_is_null(st, 1);
    stmt_reset(st);
    if (rc != STORE_ROW)
        return domain_fail(err, 404, "not_found", NULL, "offender %lld has no intelligence %lld",
                           (long long)id, (long long)intel_id);
    if (!asks)
        return domain_fail(err, 409, "no_review_due", NULL,
                           "intelligence %lld was recorded under active management: it asked "
                           "for a plan review, not a reactive management review",
                           (long long)intel_id);
    if (done)
        return domain_fail(err, 409, "already_reviewed", NULL,
                           "intelligence %lld has already been reviewed", (long long)intel_id);
    const char *outcome = jstr(body, "outcome");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_OF_INTEL_REVIEW);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_text(st, 2, outcome);
    stmt_bind_text(st, 3, jstr(body, "reason"));
    offenders_bind_user(st, 4, u);
    stmt_bind_int(st, 5, intel_id);
    rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    /* The outcome is a management decision, traceable to its trigger. */
    bool back = strcmp(outcome, "return_to_active") == 0;
    if (insert_decision(s, id, back ? eligible : 1, NULL, back ? "active" : "reactive",
                        jstr(body, "reason"), intel_id, u, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

/* ---- children in the household -------------------------------------------------------- */

static json_t *link_record(struct store *s, int64_t link_id)
{
    static const struct column_spec cols[] = {{"id", 'i'},
                                              {"offender_id", 'i'},
                                              {"child_person_id", 'i'},
                                              {"source", 's'},
                                              {"notification_id", 'i'},
                                              {"team", 's'},
                                              {"linked_at", 's'},
                                              {"status", 's'},
                                              {"action_text", 's'},
                                              {"actioned_at", 's'},
                                              {"offender_reference", 's'}};
    struct stmt *st = store_prepare(s, SQL_OF_LINK_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, link_id);
    json_t *o = stmt_step(st) == STORE_ROW ? stmt_row_object(st, cols, 11) : NULL;
    stmt_reset(st);
    return o;
}

/* The link's safeguarding task, for the child's area (its team). */
static int link_rules(struct store *s, int64_t link_id, int64_t now, struct domain_error *err)
{
    json_t *rec = link_record(s, link_id);
    if (!rec)
        return offenders_fail_store(s, STORE_ERROR, err);
    int rc = rules_evaluate(s, "offender_child_link", rec,
                            json_integer_value(json_object_get(rec, "child_person_id")), now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

int offenders_link_child(struct store *s, int64_t offender_id, int64_t child, const char *source,
                         int64_t notification_id, const char *address_key, const char *area,
                         int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_OF_LINK_EXISTS);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, offender_id);
    stmt_bind_int(st, 2, child);
    int rc = stmt_step(st);
    stmt_reset(st);
    if (rc == STORE_ROW)
        return 0; /* already linked: one link, one task */
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_OF_LINK_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, offender_id);
    stmt_bind_int(st, 2, child);
    stmt_bind_text(st, 3, source);
    if (notification_id)
        stmt_bind_int(st, 4, notification_id);
    stmt_bind_text(st, 5, address_key);
    stmt_bind_text(st, 6, area);
    stmt_bind_text(st, 7, ts);
    int64_t link = 0;
    rc = stmt_returning_id(st, &link);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return link_rules(s, link, now, err);
}

int offenders_link_children_at(struct store *s, int64_t offender_id, int64_t offender_person,
                               const char *line1, const char *postcode, int64_t notification_id,
                               const char *area, int64_t now, struct domain_error *err)
{
    char key[400], pc[16], today[DATE_TEXT_LEN];
    incident_address_key(line1, postcode, key, sizeof(key));
    if (!key[0])
        return 0;
    size_t o = 0;
    for (const char *p = postcode; *p && o + 1 < sizeof(pc); p++)
        if (*p != ' ')
            pc[o++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    pc[o] = '\0';
    offenders_today(now, today);
    struct stmt *st = store_prepare(s, SQL_OF_CHILDREN_AT_POSTCODE);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, pc);
    stmt_bind_text(st, 2, today);
    stmt_bind_int(st, 3, offender_person);
    int64_t found[50];
    int n = 0;
    struct civil_date on = date_of_ts(ts_uk_local(now));
    while (n < 50 && stmt_step(st) == STORE_ROW) {
        char theirs[400];
        struct civil_date dob;
        incident_address_key(stmt_text(st, 1), stmt_text(st, 2), theirs, sizeof(theirs));
        if (strcmp(theirs, key) == 0 && date_parse(stmt_text(st, 3), &dob) == 0 &&
            is_child_on(&dob, &on))
            found[n++] = stmt_int(st, 0);
    }
    stmt_reset(st);
    for (int i = 0; i < n; i++)
        if (offenders_link_child(s, offender_id, found[i], "address_match", notification_id, key,
                                 area, now, err) < 0)
            return -1;
    return 0;
}

int offenders_child_addresses_written(struct store *s, int64_t person_id, int64_t now,
                                      struct domain_error *err)
{
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    struct stmt *st = store_prepare(s, SQL_OF_PERSON_DOB);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, person_id);
    struct civil_date dob, on = date_of_ts(ts_uk_local(now));
    bool child = stmt_step(st) == STORE_ROW && !stmt_is_null(st, 0) &&
                 date_parse(stmt_text(st, 0), &dob) == 0 && is_child_on(&dob, &on);
    stmt_reset(st);
    if (!child)
        return 0;
    /* The child's current addresses: key and postcode (compact, upper). */
    char keys[8][400], pcs[8][16];
    int nkeys = 0;
    st = store_prepare(s, SQL_OF_PERSON_ADDRESSES);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, person_id);
    stmt_bind_text(st, 2, today);
    while (nkeys < 8 && stmt_step(st) == STORE_ROW) {
        incident_address_key(stmt_text(st, 0), stmt_text(st, 1), keys[nkeys], sizeof(keys[0]));
        size_t o = 0;
        for (const char *p = stmt_text(st, 1); *p && o + 1 < sizeof(pcs[0]); p++)
            if (*p != ' ')
                pcs[nkeys][o++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        pcs[nkeys][o] = '\0';
        if (keys[nkeys][0])
            nkeys++;
    }
    stmt_reset(st);
    /* The offenders living at each (the same key): this child is linked to
     * each once, as when the offender notifies the address. */
    for (int k = 0; k < nkeys; k++) {
        struct {
            int64_t id, notification;
            char area[64];
        } found[16];
        int n = 0;
        st = store_prepare(s, SQL_OF_OFFENDERS_AT_POSTCODE);
        if (!st)
            return offenders_fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, pcs[k]);
        stmt_bind_text(st, 2, today);
        while (n < 16 && stmt_step(st) == STORE_ROW) {
            char theirs[400];
            incident_address_key(stmt_text(st, 4), stmt_text(st, 5), theirs, sizeof(theirs));
            if (stmt_int(st, 1) == person_id || strcmp(theirs, keys[k]) != 0)
                continue;
            found[n].id = stmt_int(st, 0);
            found[n].notification = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3);
            snprintf(found[n].area, sizeof(found[n].area), "%s",
                     stmt_is_null(st, 2) ? "" : stmt_text(st, 2));
            n++;
        }
        stmt_reset(st);
        for (int i = 0; i < n; i++) {
            struct offender_dues d;
            if (offenders_dues(s, found[i].id, now, &d) < 0 || !d.in_force)
                continue;
            if (offenders_link_child(s, found[i].id, person_id, "address_match",
                                     found[i].notification, keys[k],
                                     found[i].area[0] ? found[i].area : NULL, now, err) < 0)
                return -1;
        }
    }
    return 0;
}

json_t *offenders_children_json(struct store *s, int64_t id, const struct user *viewer)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_OF_LINKS_FOR_OFFENDER);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        int64_t cid = stmt_int(st, 1);
        json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o}", "link_id",
                              (json_int_t)stmt_int(st, 0), "person_id", (json_int_t)cid, "source",
                              stmt_text(st, 4), "linked_at", stmt_text(st, 5), "status",
                              stmt_text(st, 6), "action", stmt_json_text(st, 7));
        if (!viewer || auth_person_visible(s, cid, viewer))
            json_object_set_new(e, "name",
                                json_pack("s++", stmt_text(st, 2), " ", stmt_text(st, 3)));
        else
            json_object_set_new(e, "restricted", json_true());
        json_array_append_new(arr, e);
    }
    stmt_reset(st);
    return arr;
}

static int person_exists(struct store *s, int64_t pid, const struct user *viewer)
{
    struct stmt *st = store_prepare(s, SQL_OF_PERSON);
    if (!st)
        return 0;
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st);
    stmt_reset(st);
    return rc == STORE_ROW && (!viewer || auth_person_visible(s, pid, viewer));
}

json_t *offender_links_for_child(struct store *s, int64_t person_id, const struct user *viewer,
                                 int64_t now, struct domain_error *err)
{
    if (!person_exists(s, person_id, viewer)) {
        domain_fail(err, 404, "not_found", NULL, "no person with id %lld", (long long)person_id);
        return NULL;
    }
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_OF_LINKS_FOR_CHILD);
    int64_t ids[100];
    int n = 0;
    if (st) {
        stmt_bind_int(st, 1, person_id);
        while (n < 100 && stmt_step(st) == STORE_ROW)
            ids[n++] = stmt_int(st, 0);
        stmt_reset(st);
    }
    for (int i = 0; i < n; i++) {
        json_t *l = link_record(s, ids[i]);
        if (!l)
            continue;
        json_object_set(l, "area", json_object_get(l, "team"));
        json_object_del(l, "team");
        json_object_set_new(l, "tasks", rules_record_tasks(s, "offender_child_link", ids[i], now));
        json_array_append_new(arr, l);
    }
    return json_pack("{s:I, s:o}", "person_id", (json_int_t)person_id, "links", arr);
}

int offender_child_action(struct store *s, int64_t person_id, int64_t link_id, const json_t *body,
                          const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *l = link_record(s, link_id);
    if (!l || json_integer_value(json_object_get(l, "child_person_id")) != person_id ||
        !person_exists(s, person_id, u)) {
        json_decref(l);
        return domain_fail(err, 404, "not_found", NULL, "person %lld has no offender link %lld",
                           (long long)person_id, (long long)link_id);
    }
    bool open = strcmp(jstr(l, "status"), "open") == 0;
    json_decref(l);
    if (!open)
        return domain_fail(err, 409, "already_actioned", NULL,
                           "the safeguarding action for link %lld is already recorded",
                           (long long)link_id);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_LINK_ACTION);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "action"));
    stmt_bind_text(st, 2, ts);
    offenders_bind_user(st, 3, u);
    stmt_bind_int(st, 4, link_id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return link_rules(s, link_id, now, err);
}

/* ---- concerns and the area briefing ----------------------------------------------------- */

/* A concern raised or ended refreshes its area's briefing. */
static int refresh_briefing(struct store *s, const char *area, int64_t now,
                            struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_BRIEFING_FIND);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, area);
    int64_t bid = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    st = store_prepare(s, bid ? SQL_OF_BRIEFING_REFRESH : SQL_OF_BRIEFING_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    if (bid) {
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, bid);
    } else {
        stmt_bind_text(st, 1, area);
        stmt_bind_text(st, 2, ts);
    }
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

int offender_raise_concern(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    char area[64] = "";
    const char *a = jstr(body, "area") ? jstr(body, "area") : jstr(rec, "area");
    if (a)
        snprintf(area, sizeof(area), "%s", a);
    json_decref(rec);
    if (!area[0])
        return domain_fail(err, 422, "missing_field", "area",
                           "'area' is needed: the offender has no policing area recorded");
    char today[DATE_TEXT_LEN], due[DATE_TEXT_LEN], ts[TS_TEXT_LEN];
    offenders_today(now, today);
    offenders_add_days(today, offenders_cfg.concern_review_days, due);
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_CONCERN_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, area);
    stmt_bind_text(st, 3, jstr(body, "photo_ref"));
    stmt_bind_text(st, 4, jstr(body, "risk_summary"));
    stmt_bind_text(st, 5, jstr(body, "look_for"));
    stmt_bind_text(st, 6, jstr(body, "if_seen"));
    stmt_bind_text(st, 7, ts);
    offenders_bind_user(st, 8, u);
    stmt_bind_text(st, 9, due);
    int64_t cid;
    int rc = stmt_returning_id(st, &cid);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    if (refresh_briefing(s, area, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

/* The active concern cid of offender id: its area and review date. */
static int load_concern(struct store *s, int64_t id, int64_t cid, char area[64],
                        char due[DATE_TEXT_LEN], struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_OF_CONCERN_GET);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, cid);
    stmt_bind_int(st, 2, id);
    int rc = stmt_step(st);
    bool active = rc == STORE_ROW && strcmp(stmt_text(st, 1), "active") == 0;
    if (rc == STORE_ROW) {
        snprintf(area, 64, "%s", stmt_text(st, 0));
        snprintf(due, DATE_TEXT_LEN, "%s", stmt_text(st, 2));
    }
    stmt_reset(st);
    if (rc != STORE_ROW)
        return domain_fail(err, 404, "not_found", NULL, "offender %lld has no concern %lld",
                           (long long)id, (long long)cid);
    if (!active)
        return domain_fail(err, 409, "concern_ended", NULL, "concern %lld has ended",
                           (long long)cid);
    return 0;
}

static int concern_review_row(struct store *s, int64_t cid, const char *kind, const char *due,
                              const char *note, const struct user *u, int64_t now,
                              struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_CONCERN_REVIEW_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, cid);
    stmt_bind_text(st, 2, kind);
    stmt_bind_text(st, 3, due);
    stmt_bind_text(st, 4, ts);
    stmt_bind_text(st, 5, note);
    offenders_bind_user(st, 6, u);
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

int offender_review_concern(struct store *s, int64_t id, int64_t cid, const json_t *body,
                            const struct user *u, int64_t now, struct domain_error *err)
{
    char area[64], due[DATE_TEXT_LEN];
    if (load_concern(s, id, cid, area, due, err) < 0 ||
        concern_review_row(s, cid, "reviewed", due, jstr(body, "note"), u, now, err) < 0)
        return -1;
    char today[DATE_TEXT_LEN], next[DATE_TEXT_LEN];
    offenders_today(now, today);
    offenders_add_days(today, offenders_cfg.concern_review_days, next);
    struct stmt *st = store_prepare(s, SQL_OF_CONCERN_REVIEWED);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, next);
    stmt_bind_int(st, 2, cid);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return offenders_finish_change(s, id, now, err);
}

int offender_end_concern(struct store *s, int64_t id, int64_t cid, const json_t *body,
                         const struct user *u, int64_t now, struct domain_error *err)
{
    char area[64], due[DATE_TEXT_LEN];
    if (load_concern(s, id, cid, area, due, err) < 0 ||
        concern_review_row(s, cid, "ended", due, jstr(body, "reason"), u, now, err) < 0)
        return -1;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_CONCERN_ENDED);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_text(st, 2, jstr(body, "reason"));
    offenders_bind_user(st, 3, u);
    stmt_bind_int(st, 4, cid);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    if (refresh_briefing(s, area, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

bool offender_area_known(struct store *s, const char *area)
{
    struct stmt *st = store_prepare(s, SQL_OF_AREA_KNOWN);
    if (!st)
        return false;
    stmt_bind_text(st, 1, area);
    bool known = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    return known;
}

json_t *offender_briefing(struct store *s, const char *area, int64_t now, char **ids_json)
{
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    json_t *ids = json_array();
    json_t *items = json_array();
    bool current = true;
    struct stmt *st = store_prepare(s, SQL_OF_BRIEFING_ITEMS);
    if (st) {
        stmt_bind_text(st, 1, area);
        struct civil_date on = date_of_ts(ts_uk_local(now)), dob;
        while (stmt_step(st) == STORE_ROW) {
            json_t *age = json_null();
            if (!stmt_is_null(st, 5) && date_parse(stmt_text(st, 5), &dob) == 0)
                age = json_integer(age_on(&dob, &on));
            bool stale = strcmp(stmt_text(st, 12), today) < 0;
            current = current && !stale;
            json_array_append_new(ids, json_integer(stmt_int(st, 1)));
            json_array_append_new(
                items,
                json_pack("{s:I, s:I, s:s, s:s++, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:b}",
                          "concern_id", (json_int_t)stmt_int(st, 0), "offender_id",
                          (json_int_t)stmt_int(st, 1), "reference", stmt_text(st, 2), "name",
                          stmt_text(st, 3), " ", stmt_text(st, 4), "age", age, "photo_ref",
                          stmt_json_text(st, 6), "risk_level", stmt_json_text(st, 7),
                          "risk_summary", stmt_text(st, 8), "look_for", stmt_text(st, 9), "if_seen",
                          stmt_text(st, 10), "raised_at", stmt_text(st, 11), "review_due_on",
                          stmt_text(st, 12), "review_overdue", stale));
        }
        stmt_reset(st);
    }
    json_t *refreshed = json_null();
    json_int_t version = 0;
    st = store_prepare(s, SQL_OF_BRIEFING_GET);
    if (st) {
        stmt_bind_text(st, 1, area);
        if (stmt_step(st) == STORE_ROW) {
            refreshed = stmt_json_text(st, 0);
            version = stmt_int(st, 1);
        }
        stmt_reset(st);
    }
    *ids_json = json_dumps(ids, JSON_COMPACT);
    json_decref(ids);
    return json_pack("{s:s, s:o, s:I, s:b, s:i, s:o}", "area", area, "refreshed_at", refreshed,
                     "version", version, "current", current, "count", (int)json_array_size(items),
                     "offenders", items);
}

json_t *offender_briefings(struct store *s, int64_t now)
{
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_OF_BRIEFING_AREAS);
    if (!st)
        return json_pack("{s:o}", "briefings", arr);
    while (stmt_step(st) == STORE_ROW) {
        bool stale = !stmt_is_null(st, 4) && strcmp(stmt_text(st, 4), today) < 0;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:I, s:b}", "area", stmt_text(st, 0),
                                             "refreshed_at", stmt_text(st, 1), "version",
                                             (json_int_t)stmt_int(st, 2), "concerns",
                                             (json_int_t)stmt_int(st, 3), "current", !stale));
    }
    stmt_reset(st);
    return json_pack("{s:o}", "briefings", arr);
}

/* ---- My work by risk ------------------------------------------------------------------------ */

json_t *offenders_work_by_risk(struct store *s, json_t *tasks)
{
    /* Highest first; not yet assessed is visited as very high, so next. */
    static const struct {
        const char *level, *label;
    } groups[] = {{"very_high", "Very high risk"},
                  {NULL, "Not yet assessed (visited as very high until assessed)"},
                  {"high", "High risk"},
                  {"medium", "Medium risk"},
                  {"low", "Low risk"}};
    enum { NGROUPS = sizeof(groups) / sizeof(groups[0]) };
    json_t *by[NGROUPS];
    for (int g = 0; g < NGROUPS; g++)
        by[g] = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        if (strcmp(jstr(t, "record_type"), "offender") != 0)
            continue;
        struct stmt *st = store_prepare(s, SQL_OF_WORK_RISK);
        if (!st)
            break;
        stmt_bind_int(st, 1, json_integer_value(json_object_get(t, "record_id")));
        if (stmt_step(st) == STORE_ROW) {
            const char *level = stmt_is_null(st, 1) ? NULL : stmt_text(st, 1);
            json_object_set_new(t, "offender_reference", json_string(stmt_text(st, 0)));
            json_object_set_new(t, "risk_level", level ? json_string(level) : json_null());
            for (int g = 0; g < NGROUPS; g++)
                if (level ? groups[g].level && strcmp(level, groups[g].level) == 0
                          : !groups[g].level) {
                    json_array_append(by[g], t);
                    break;
                }
        }
        stmt_reset(st);
    }
    json_t *out = json_array();
    for (int g = 0; g < NGROUPS; g++) {
        if (json_array_size(by[g]))
            json_array_append_new(out, json_pack("{s:s?, s:s, s:o}", "risk_level", groups[g].level,
                                                 "label", groups[g].label, "tasks", by[g]));
        else
            json_decref(by[g]);
    }
    return out;
}

/* ---- recording quality --------------------------------------------------------------------- */

static void issue(json_t *arr, const char *code, const char *severity, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void issue(json_t *arr, const char *code, const char *severity, const char *field,
                  const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:s}", "code", code, "severity", severity,
                                         "field", field ? json_string(field) : json_null(),
                                         "message", msg));
}

/* How many rows a one-id query returns (a small count). */
static int count_rows(struct store *s, const char *sql, int64_t id, int want_col, const char *eq)
{
    struct stmt *st = store_prepare(s, sql);
    int n = 0;
    if (!st)
        return 0;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        n += !eq || (!stmt_is_null(st, want_col) && strcmp(stmt_text(st, want_col), eq) == 0);
    stmt_reset(st);
    return n;
}

json_t *offender_quality(struct store *s, int64_t id, int64_t now)
{
    json_t *o = offenders_load(s, id, &(struct domain_error){0});
    struct offender_dues d;
    if (!o || offenders_dues(s, id, now, &d) < 0) {
        json_decref(o);
        return NULL;
    }
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    json_t *issues = json_array();
    const char *level = jstr(o, "risk_level");
    bool high = level && (strcmp(level, "very_high") == 0 || strcmp(level, "high") == 0);

    /* Required for every offender. */
    if (!json_is_integer(json_object_get(o, "offender_manager_id")))
        issue(issues, "no_offender_manager", "required", "offender_manager_id",
              "no named offender manager");
    if (!level)
        issue(issues, "no_risk_level", "required", "risk_level",
              "no ARMS risk assessment recorded");
    int homes = count_rows(s, SQL_OF_NOTIFICATIONS, id, 1, "home_address");
    int person_addresses = 0;
    struct stmt *st = store_prepare(s, SQL_OF_PERSON_ADDRESSES);
    if (st) {
        stmt_bind_int(st, 1, json_integer_value(json_object_get(o, "person_id")));
        stmt_bind_text(st, 2, today);
        while (stmt_step(st) == STORE_ROW)
            person_addresses++;
        stmt_reset(st);
    }
    if (!homes && !person_addresses && !jbool(o, "no_fixed_abode", 0))
        issue(issues, "no_home_address", "required", "home_address",
              "no home address notified (or no fixed abode recorded)");
    /* Required by risk level: high and very high. */
    if (high && !json_is_integer(json_object_get(o, "plan_visit_months")))
        issue(issues, "no_plan_frequency", "required", "plan.visit_months",
              "%s risk: the risk management plan must set the visit frequency", level);
    if (high && !jstr(o, "photo_ref"))
        issue(issues, "no_photo", "required", "photo_ref", "%s risk: no photograph reference",
              level);
    if (high && !json_is_integer(json_object_get(o, "mappa_category")))
        issue(issues, "no_mappa_category", "required", "mappa_category",
              "%s risk: no MAPPA category recorded", level);
    if (level && strcmp(level, "very_high") == 0 &&
        !json_is_integer(json_object_get(o, "mappa_level")))
        issue(issues, "no_mappa_level", "required", "mappa_level",
              "very high risk: no MAPPA management level recorded");

    /* Stale: a clock past its date. */
    if (d.in_force && d.visit_due_on[0] && strcmp(d.visit_due_on, today) < 0)
        issue(issues, "visit_overdue", "stale", "visits",
              "no home visit since %s: one was due by %s (every %d months, from the %s)",
              d.last_visit_on[0] ? d.last_visit_on : "registration", d.visit_due_on, d.visit_months,
              d.visit_from_plan ? "plan" : "fallback for the risk level");
    if (d.in_force && strcmp(d.risk_due_on, today) < 0)
        issue(issues, "risk_review_overdue", "stale", "risk", "risk assessment due by %s",
              d.risk_due_on);
    if (d.in_force && strcmp(d.plan_review_due_on, today) < 0)
        issue(issues, "plan_review_overdue", "stale", "plan", "plan review due by %s",
              d.plan_review_due_on);
    if (jstr(o, "plan_review_prompted_at"))
        issue(issues, "plan_review_prompted", "stale", "plan", "plan review prompted at %s: %s",
              jstr(o, "plan_review_prompted_at"),
              jstr(o, "plan_review_reason") ? jstr(o, "plan_review_reason") : "");

    /* Notification deadlines. */
    if (d.in_force && strcmp(d.notify_due_on, today) < 0)
        issue(issues, "notification_missed", "deadline", "notifications",
              "the %s notification was due by %s and has not been made", d.notify_due_kind,
              d.notify_due_on);
    int late = count_rows(s, SQL_OF_BREACHES, id, 1, "late_notification");
    if (late)
        issue(issues, "notifications_late", "deadline", "notifications",
              "%d notification%s made after the deadline", late, late == 1 ? "" : "s");
    json_t *r = json_pack(
        "{s:I, s:s, s:o, s:o, s:o}", "offender_id", (json_int_t)id, "reference",
        jstr(o, "reference"), "risk_level", level ? json_string(level) : json_null(), "area",
        jstr(o, "area") ? json_string(jstr(o, "area")) : json_null(), "issues", issues);
    json_decref(o);
    return r;
}

json_t *offender_quality_list(struct store *s, const char *area, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_OF_IDS);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, area);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    while (stmt_step(st) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *more = realloc(ids, cap * sizeof(*ids));
            if (!more)
                break;
            ids = more;
        }
        ids[n++] = stmt_int(st, 0);
    }
    stmt_reset(st);
    json_t *list = json_array(), *counts = json_object();
    for (size_t i = 0; i < n; i++) {
        json_t *q = offender_quality(s, ids[i], now);
        if (!q)
            continue;
        json_t *issues = json_object_get(q, "issues");
        size_t j;
        json_t *x;
        json_array_foreach(issues, j, x)
        {
            const char *code = jstr(x, "code");
            json_object_set_new(
                counts, code, json_integer(json_integer_value(json_object_get(counts, code)) + 1));
        }
        if (json_array_size(issues))
            json_array_append_new(list, q);
        else
            json_decref(q);
    }
    free(ids);
    return json_pack("{s:o, s:I, s:o, s:o}", "area", area ? json_string(area) : json_null(),
                     "offenders_checked", (json_int_t)n, "counts", counts, "offenders", list);
}
