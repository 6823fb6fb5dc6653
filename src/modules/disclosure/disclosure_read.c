/*
 * disclosure_read.c — reading disclosure scheme applications: one whole,
 * the list, each stage's clock (due, done, on time or overdue) computed
 * from the timescales engine's rules so the page, the tasks and the
 * measures agree, and the choices the new-application form offers.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/disclosure/disclosure.h"
#include "modules/disclosure/disclosure_internal.h"
#include "modules/disclosure/disclosure_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The clocks shown: each stage's rule, the field that stops it, and when it
 * is not needed at all. */
static const struct {
    const char *stage, *title, *rule, *done_field;
} clock_defs[] = {
    {"initial_contact", "Initial contact and immediate-risk check", "disclosure.initial_contact",
     "initial_contact_at"},
    {"face_to_face", "Face-to-face meeting", "disclosure.face_to_face", "face_to_face_at"},
    {"checks", "Checks", "disclosure.checks", "checks_at"},
    {"decision", "Decision-making meeting", "disclosure.decision", "decision_at"},
    {"disclosure", "Undertaking and disclosure", "disclosure.disclose", "disclosed_at"},
    {"complete", "Application completed", "disclosure.complete", "closed_at"},
};

static json_t *clocks(const json_t *rec, int64_t now)
{
    json_t *arr = json_array();
    int64_t received = 0;
    ts_parse(jstr(rec, "received_at"), &received);
    bool closed = strcmp(jstr(rec, "status"), "closed") == 0;
    const char *decision = jstr(rec, "decision"), *und = jstr(rec, "undertaking");
    bool no_disclosure =
        (decision && strcmp(decision, "not_disclose") == 0) || (und && strcmp(und, "refused") == 0);
    for (size_t i = 0; i < sizeof(clock_defs) / sizeof(clock_defs[0]); i++) {
        const struct rule *r = rules_find(clock_defs[i].rule);
        int64_t due = r ? rules_due(r, received) : received;
        char due_ts[TS_TEXT_LEN];
        ts_format(due, due_ts);
        const char *done = jstr(rec, clock_defs[i].done_field);
        const char *state;
        if (done)
            state = strcmp(done, due_ts) <= 0 ? "done" : "done_late";
        else if (closed || (strcmp(clock_defs[i].stage, "disclosure") == 0 && no_disclosure))
            state = "not_needed";
        else
            state = now > due ? "overdue" : "due";
        json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "stage", clock_defs[i].stage,
                              "title", clock_defs[i].title, "rule", clock_defs[i].rule, "due_at",
                              due_ts, "state", state, "overdue", strcmp(state, "overdue") == 0,
                              "working_days", r && rules_working_days(r));
        json_object_set_new(c, "done_at", done ? json_string(done) : json_null());
        json_array_append_new(arr, c);
    }
    return arr;
}

/* A person as the viewer may see them; with rso, whether they hold the
 * registered_sex_offender flag today. */
static json_t *person_card(struct store *s, int64_t pid, const struct user *viewer, bool rso,
                           int64_t now)
{
    if (viewer && !auth_person_visible(s, pid, viewer))
        return json_pack("{s:I, s:b}", "person_id", (json_int_t)pid, "restricted", 1);
    struct stmt *st = store_prepare(s, SQL_DS_PERSON);
    json_t *o = NULL;
    if (st) {
        stmt_bind_int(st, 1, pid);
        if (stmt_step(st) == STORE_ROW) {
            json_t *age = json_null();
            struct civil_date dob, today = date_of_ts(ts_uk_local(now));
            if (!stmt_is_null(st, 2) && date_parse(stmt_text(st, 2), &dob) == 0)
                age = json_integer(age_on(&dob, &today));
            o = json_pack("{s:I, s:s, s:s, s:o, s:o}", "person_id", (json_int_t)pid, "given_name",
                          stmt_text(st, 0), "family_name", stmt_text(st, 1), "dob",
                          stmt_json_text(st, 2), "age", age);
        }
        stmt_reset(st);
    }
    if (!o)
        return json_pack("{s:I, s:b}", "person_id", (json_int_t)pid, "restricted", 1);
    if (rso && (st = store_prepare(s, SQL_DS_RSO))) {
        char day[DATE_TEXT_LEN];
        struct civil_date d = date_of_ts(ts_uk_local(now));
        date_format(&d, day);
        stmt_bind_int(st, 1, pid);
        stmt_bind_text(st, 2, day);
        json_object_set_new(o, "registered_sex_offender", json_boolean(stmt_step(st) == STORE_ROW));
        stmt_reset(st);
    }
    return o;
}

/* The fields both the list and the page show. */
static void add_summary(struct store *s, json_t *o, const struct user *viewer, int64_t now)
{
    int64_t id = json_integer_value(json_object_get(o, "id"));
    json_object_set_new(o, "stage", json_string(ds_current_stage(o)));
    json_object_set_new(o, "clocks", clocks(o, now));
    json_object_set_new(o, "subject",
                        person_card(s, json_integer_value(json_object_get(o, "subject_person_id")),
                                    viewer, true, now));
    json_t *kids = ds_children(s, id), *cards = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(kids, i, k)
        json_array_append_new(cards, person_card(s, json_integer_value(k), viewer, false, now));
    json_decref(kids);
    json_object_set_new(o, "children", cards);
    json_object_set_new(o, "immediate_risk_open",
                        json_boolean(jstr(o, "immediate_risk_open_from") != NULL));
}

json_t *disclosure_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = ds_core_get(s, id);
    if (!o)
        return NULL;
    add_summary(s, o, viewer, now);
    const json_t *ap = json_object_get(o, "applicant_person_id");
    json_object_set_new(o, "applicant",
                        json_is_integer(ap)
                            ? person_card(s, json_integer_value(ap), viewer, false, now)
                            : json_pack("{s:s?, s:s?}", "name", jstr(o, "applicant_name"),
                                        "contact", jstr(o, "applicant_contact")));
    const json_t *rp = json_object_get(o, "recipient_person_id");
    if (json_is_integer(rp))
        json_object_set_new(o, "recipient",
                            person_card(s, json_integer_value(rp), viewer, false, now));
    static const struct column_spec ck[] = {
        {"id", 'i'}, {"kind", 's'}, {"result", 's'}, {"recorded_at", 's'}};
    json_object_set_new(o, "checks", store_rows_by_id(s, SQL_DS_CHECKS_LIST, id, ck, 4));
    static const struct column_spec at[] = {{"id", 'i'}, {"name", 's'}, {"role", 's'}};
    json_object_set_new(o, "attendees", store_rows_by_id(s, SQL_DS_ATTENDEES, id, at, 3));
    static const struct column_spec rk[] = {{"id", 'i'},     {"stage", 's'},    {"found_at", 's'},
                                            {"detail", 's'}, {"found_by", 's'}, {"action_at", 's'},
                                            {"action", 's'}, {"action_by", 's'}};
    json_object_set_new(o, "immediate_risks", store_rows_by_id(s, SQL_DS_RISKS, id, rk, 8));
    static const struct column_spec rf[] = {{"id", 'i'},      {"reference", 's'},
                                            {"status", 's'},  {"person_id", 'i'},
                                            {"risk_id", 'i'}, {"linked_at", 's'}};
    json_object_set_new(o, "referrals", store_rows_by_id(s, SQL_DS_REFERRALS, id, rf, 6));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "disclosure_application", id, now));
    static const struct column_spec ev[] = {{"id", 'i'},   {"at", 's'}, {"kind", 's'},
                                            {"text", 's'}, {"by", 's'}, {"recorded_at", 's'}};
    json_object_set_new(o, "timeline", store_rows_by_id(s, SQL_DS_EVENTS, id, ev, 6));
    return o;
}

json_t *disclosure_list(struct store *s, const char *status, const struct user *viewer, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_DS_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, status ? status : "open");
    json_t *ids = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        json_array_append_new(ids, json_integer(stmt_int(st, 0)));
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(ids);
        return NULL;
    }
    /* Rows are read after the list statement is reset: the summary's own
     * statements may share its connection's cache. */
    json_t *arr = json_array();
    int overdue = 0;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        json_t *o = ds_core_get(s, json_integer_value(v));
        if (!o)
            continue;
        add_summary(s, o, viewer, now);
        /* The page's row: no notes or contact details on the list. */
        static const char *const drop[] = {
            "initial_contact_note", "face_to_face_note", "checks_summary",    "decision_reason",
            "disclosure_content",   "undertaking_note",  "applicant_contact", "outcome_note"};
        for (size_t d = 0; d < sizeof(drop) / sizeof(drop[0]); d++)
            json_object_del(o, drop[d]);
        size_t j;
        json_t *c;
        bool late = false;
        json_array_foreach(json_object_get(o, "clocks"), j, c) late |=
            json_is_true(json_object_get(c, "overdue"));
        json_object_set_new(o, "overdue", json_boolean(late));
        overdue += late;
        json_array_append_new(arr, o);
    }
    json_decref(ids);
    return json_pack("{s:o, s:s, s:i}", "applications", arr, "status", status ? status : "open",
                     "overdue", overdue);
}

json_t *disclosure_form_choices(void)
{
    json_t *o = json_object();
    struct {
        const char *key;
        const char *const *values;
    } lists[] = {{"applicant_relationships", disclosure_applicant_relationships},
                 {"subject_relationships", disclosure_subject_relationships},
                 {"received_via", disclosure_received_via},
                 {"check_kinds", disclosure_check_kinds},
                 {"outcomes", disclosure_outcomes}};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        json_t *arr = json_array();
        for (const char *const *v = lists[i].values; *v; v++)
            json_array_append_new(arr, json_string(*v));
        json_object_set_new(o, lists[i].key, arr);
    }
    return o;
}
