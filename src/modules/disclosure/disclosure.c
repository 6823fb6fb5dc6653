/*
 * disclosure.c — the Child Sex Offender Disclosure Scheme application (CSOD;
 * DOMAIN.md R7): its fields, recording an application, its stages in order
 * (initial contact and the immediate-risk check, face-to-face meeting,
 * checks, decision-making meeting, undertaking of confidentiality,
 * disclosure, outcome), an immediate risk found at any stage with the
 * referrals drafted for it and the supervisor's safeguarding action. Reading
 * an application whole, with each stage's clock, is in disclosure_read.c.
 *
 * Every change ends in finish_change(), which re-evaluates the timescales
 * engine's rules for the application.
 */
#include "modules/disclosure/disclosure.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/disclosure/disclosure_internal.h"
#include "modules/disclosure/disclosure_sql.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const disclosure_applicant_relationships[] = {
    "parent",         "step_parent", "guardian",  "grandparent",
    "other_relative", "carer",       "neighbour", "family_friend",
    "professional",   "other",       NULL};
const char *const disclosure_subject_relationships[] = {
    "partner_of_parent", "parent",        "relative", "household_member",
    "neighbour",         "family_friend", "carer",    "coach_or_tutor",
    "online_contact",    "other",         NULL};
const char *const disclosure_received_via[] = {"in_person", "phone", "online", "email",
                                               "letter",    "other", NULL};
const char *const disclosure_check_kinds[] = {
    "pnc",       "pnd",   "visor", "local_intelligence", "childrens_social_care",
    "probation", "other", NULL};
const char *const disclosure_convictions[] = {"yes", "no", "unknown", NULL};
const char *const disclosure_decisions[] = {"disclose", "not_disclose", NULL};
const char *const disclosure_outcomes[] = {"disclosed", "not_disclosed", "undertaking_refused",
                                           "withdrawn", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
static const struct field child_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {0}};
static const struct field check_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_check_kinds},
    {.name = "result", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
static const struct field attendee_fields[] = {
    {.name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "role", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {0}};
const struct field disclosure_create_fields[] = {
    {.name = "applicant_person_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "applicant_name", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "applicant_contact", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 500},
    {.name = "applicant_relationship", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_applicant_relationships},
    {.name = "children", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .max_len = 10, .children = child_fields},
    {.name = "subject_person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "subject_relationship", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_subject_relationships},
    {.name = "relationship_detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "received_via", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_received_via},
    {.name = "received_at", .type = FIELD_TIMESTAMP},
    {.name = "officer_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {0}};
const struct field disclosure_contact_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "immediate_risk", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "risk_detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field disclosure_meeting_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "identity_verified", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {0}};
const struct field disclosure_checks_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "checks", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .max_len = 20, .children = check_fields},
    {.name = "convictions", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_convictions},
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field disclosure_decision_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_decisions},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "attendees", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .max_len = 20, .children = attendee_fields},
    {0}};
const struct field disclosure_undertaking_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "recipient_name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "recipient_relationship", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "recipient_person_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "signed", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field disclosure_disclose_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "content", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
/* The outcome, a risk and its action have field names of their own: their
 * forms share the application's page with a stage's form. */
const struct field disclosure_close_fields[] = {
    {.name = "closed_at", .type = FIELD_TIMESTAMP},
    {.name = "outcome", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disclosure_outcomes},
    {.name = "outcome_note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field disclosure_risk_fields[] = {
    {.name = "found_at", .type = FIELD_TIMESTAMP},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "child_person_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {0}};
const struct field disclosure_action_fields[] = {
    {.name = "action_at", .type = FIELD_TIMESTAMP},
    {.name = "action", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
/* clang-format on */

/* ---- small helpers ----------------------------------------------------------------- */

int ds_fail_store(struct store *s, int rc, struct domain_error *err)
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

static void bind_opt_int(struct stmt *st, int idx, const json_t *v)
{
    if (json_is_integer(v))
        stmt_bind_int(st, idx, json_integer_value(v));
    else
        stmt_bind_null(st, idx);
}

static int add_event(struct store *s, int64_t id, const char *at, const char *kind,
                     const char *text, const struct user *u, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_DS_EVENT_INSERT);
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

/* SQL_DS_GET's columns, in order. */
static const struct column_spec app_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"status", 's'},
    {"applicant_person_id", 'i'},
    {"applicant_name", 's'},
    {"applicant_contact", 's'},
    {"applicant_relationship", 's'},
    {"subject_person_id", 'i'},
    {"subject_relationship", 's'},
    {"relationship_detail", 's'},
    {"received_via", 's'},
    {"received_at", 's'},
    {"officer_id", 'i'},
    {"initial_contact_at", 's'},
    {"initial_contact_note", 's'},
    {"immediate_risk_checked", 'b'},
    {"face_to_face_at", 's'},
    {"face_to_face_note", 's'},
    {"identity_verified", 'b'},
    {"checks_at", 's'},
    {"checks_summary", 's'},
    {"convictions", 's'},
    {"registered_offender_at_checks", 'b'},
    {"decision_at", 's'},
    {"decision", 's'},
    {"decision_reason", 's'},
    {"recipient_name", 's'},
    {"recipient_person_id", 'i'},
    {"recipient_relationship", 's'},
    {"undertaking", 's'},
    {"undertaking_at", 's'},
    {"undertaking_note", 's'},
    {"disclosed_at", 's'},
    {"disclosure_content", 's'},
    {"outcome", 's'},
    {"outcome_note", 's'},
    {"closed_at", 's'},
    {"team", 's'},
    {"version", 'i'},
    {"created_at", 's'},
    {"updated_at", 's'},
    {"officer_name", 's'},
    {"decided_by_name", 's'},
    {"immediate_risk_open_from", 's'},
};
#define NCOLUMNS ((int)(sizeof(app_columns) / sizeof(app_columns[0])))

json_t *ds_core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_DS_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, app_columns, NCOLUMNS);
    stmt_reset(st);
    return o;
}

json_t *ds_children(struct store *s, int64_t id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_DS_CHILDREN);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, json_integer(stmt_int(st, 0)));
    stmt_reset(st);
    return arr;
}

static int finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_DS_TOUCH);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return ds_fail_store(s, rc, err);
    json_t *rec = ds_core_get(s, id);
    if (!rec)
        return ds_fail_store(s, STORE_ERROR, err);
    /* The task names the first child: the child the application is for. */
    json_t *kids = ds_children(s, id);
    int64_t child = json_integer_value(json_array_get(kids, 0));
    json_decref(kids);
    rc = rules_evaluate(s, "disclosure_application", rec, child, now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : ds_fail_store(s, rc, err);
}

/* The application for a change: 404 when none, 409 when closed (unless
 * allow_closed). */
static json_t *load_for_change(struct store *s, int64_t id, bool allow_closed,
                               struct domain_error *err)
{
    json_t *rec = ds_core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no disclosure application with id %lld",
                    (long long)id);
        return NULL;
    }
    if (!allow_closed && strcmp(jstr(rec, "status"), "closed") == 0) {
        domain_fail(err, 409, "application_closed", NULL,
                    "application %s is closed (%s): nothing more is recorded on it",
                    jstr(rec, "reference"), jstr(rec, "outcome"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* A time given in the body under key (or now): not in the future and not
 * before not_before (what_before says what that is). Writes it to out; -1
 * with err. */
static int when(const json_t *body, const char *key, const char *not_before,
                const char *what_before, int64_t now, char out[TS_TEXT_LEN],
                struct domain_error *err)
{
    int64_t t = now;
    const char *given = jstr(body, key);
    if (given) {
        ts_parse(given, &t);
        if (t > now)
            return domain_fail(err, 422, "invalid_field", key, "'%s' must not be in the future",
                               key);
    }
    ts_format(t, out);
    if (not_before && strcmp(out, not_before) < 0)
        return domain_fail(err, 422, "invalid_field", key, "'%s' must not be before %s (%s)", key,
                           what_before, not_before);
    return 0;
}

/* The stages in their order, with the field that records each. */
static const struct {
    const char *name, *at_field, *title;
} stages[] = {
    {"initial_contact", "initial_contact_at", "the initial contact"},
    {"face_to_face", "face_to_face_at", "the face-to-face meeting"},
    {"checks", "checks_at", "the checks"},
    {"decision", "decision_at", "the decision-making meeting"},
    {"undertaking", "undertaking_at", "the undertaking of confidentiality"},
    {"disclosure", "disclosed_at", "the disclosure"},
};
#define NSTAGES ((int)(sizeof(stages) / sizeof(stages[0])))

const char *ds_current_stage(const json_t *rec)
{
    if (strcmp(jstr(rec, "status"), "closed") == 0)
        return "closed";
    /* A decision not to disclose, or a refused undertaking, leaves only
     * the outcome to record. */
    const char *decision = jstr(rec, "decision"), *und = jstr(rec, "undertaking");
    if ((decision && strcmp(decision, "not_disclose") == 0) || (und && strcmp(und, "refused") == 0))
        return "outcome";
    for (int i = 0; i < NSTAGES; i++)
        if (!jstr(rec, stages[i].at_field))
            return stages[i].name;
    return "outcome";
}

/* Stage i may be recorded now: the one before it is recorded and it is
 * not. Writes the earliest time it may carry (the previous stage's, or the
 * application's) to not_before. 0, or -1 with err (409). */
static int stage_ready(const json_t *rec, int i, const char **not_before, const char **what,
                       struct domain_error *err)
{
    if (jstr(rec, stages[i].at_field))
        return domain_fail(err, 409, "stage_already_recorded", NULL,
                           "%s of application %s is already recorded (%s)", stages[i].title,
                           jstr(rec, "reference"), jstr(rec, stages[i].at_field));
    *not_before = jstr(rec, "received_at");
    *what = "the application was received";
    if (i > 0) {
        const char *prev = jstr(rec, stages[i - 1].at_field);
        if (!prev)
            return domain_fail(err, 409, "stage_out_of_order", NULL,
                               "the stages go in order: record %s before %s", stages[i - 1].title,
                               stages[i].title);
        *not_before = prev;
        *what = stages[i - 1].title;
    }
    return 0;
}

/* The person pid exists and u may see them; else 422 naming key. With
 * child, also under 18 on the day (or of unknown age). */
static int check_person(struct store *s, int64_t pid, const char *key, bool child,
                        const char *on_ts, const struct user *u, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_DS_PERSON);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st), adult = 0;
    if (rc == STORE_ROW && child && !stmt_is_null(st, 2)) {
        struct civil_date dob;
        int64_t on = 0;
        ts_parse(on_ts, &on);
        struct civil_date d = date_of_ts(ts_uk_local(on));
        if (date_parse(stmt_text(st, 2), &dob) == 0)
            adult = !is_child_on(&dob, &d);
    }
    stmt_reset(st);
    if (rc != STORE_ROW || (u && !auth_person_visible(s, pid, u)))
        return domain_fail(err, 422, "invalid_field", key, "'%s': there is no person with id %lld",
                           key, (long long)pid);
    if (adult)
        return domain_fail(err, 422, "invalid_field", key,
                           "'%s': the scheme is about children, and this person was 18 or over "
                           "when the application was made",
                           key);
    return 0;
}

/* ---- the application ------------------------------------------------------------------ */

int64_t disclosure_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                          struct domain_error *err)
{
    assert(s && body && err);
    char ts[TS_TEXT_LEN], received[TS_TEXT_LEN];
    ts_format(now, ts);
    if (when(body, "received_at", NULL, NULL, now, received, err) < 0)
        return -1;

    /* The applicant: a person record, or at least a name. */
    const json_t *ap = json_object_get(body, "applicant_person_id");
    if (!json_is_integer(ap) && !jstr(body, "applicant_name"))
        return domain_fail(err, 422, "missing_field", "applicant_name",
                           "'applicant_name' is needed when the applicant has no person record "
                           "('applicant_person_id')");
    if (json_is_integer(ap) &&
        check_person(s, json_integer_value(ap), "applicant_person_id", false, received, u, err) < 0)
        return -1;
    int64_t subject = json_integer_value(json_object_get(body, "subject_person_id"));
    if (check_person(s, subject, "subject_person_id", false, received, u, err) < 0)
        return -1;
    if (json_is_integer(ap) && json_integer_value(ap) == subject)
        return domain_fail(err, 422, "invalid_field", "subject_person_id",
                           "'subject_person_id': the subject is the person asked about, not the "
                           "applicant");
    const json_t *kids = json_object_get(body, "children");
    if (json_array_size(kids) == 0)
        return domain_fail(err, 422, "missing_field", "children",
                           "'children': name at least one child the application is about");
    size_t i, j;
    const json_t *k;
    json_array_foreach(kids, i, k)
    {
        char key[48];
        snprintf(key, sizeof(key), "children[%zu].person_id", i);
        int64_t pid = json_integer_value(json_object_get(k, "person_id"));
        if (check_person(s, pid, key, true, received, u, err) < 0)
            return -1;
        if (pid == subject)
            return domain_fail(err, 422, "invalid_field", key,
                               "'%s': the child cannot be the subject of the application", key);
        for (j = 0; j < i; j++)
            if (json_integer_value(json_object_get(json_array_get(kids, j), "person_id")) == pid)
                return domain_fail(err, 422, "invalid_field", key,
                                   "'%s': this child is named twice", key);
    }

    /* The handling officer: the one given, else the recorder. */
    const json_t *of = json_object_get(body, "officer_id");
    int64_t officer = json_is_integer(of) ? json_integer_value(of) : (u ? u->id : 0);
    if (officer) {
        struct stmt *st = store_prepare(s, SQL_DS_USER_ACTIVE);
        if (!st)
            return ds_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, officer);
        int rc = stmt_step(st);
        stmt_reset(st);
        if (rc != STORE_ROW)
            return domain_fail(err, 422, "invalid_field", "officer_id",
                               "'officer_id': there is no active user with id %lld",
                               (long long)officer);
    }

    int64_t rt = now;
    ts_parse(received, &rt);
    struct civil_date d = date_of_ts(ts_uk_local(rt));
    char like[32], ref[32];
    snprintf(like, sizeof(like), "CSOD-%04d-%%", d.year % 10000);
    struct stmt *st = store_prepare(s, SQL_DS_NEXT_SEQ);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "CSOD-%04d-%06lld", d.year % 10000, (long long)seq);

    st = store_prepare(s, SQL_DS_INSERT);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ref);
    bind_opt_int(st, 2, ap);
    stmt_bind_text(st, 3, jstr(body, "applicant_name"));
    stmt_bind_text(st, 4, jstr(body, "applicant_contact"));
    stmt_bind_text(st, 5, jstr(body, "applicant_relationship"));
    stmt_bind_int(st, 6, subject);
    stmt_bind_text(st, 7, jstr(body, "subject_relationship"));
    stmt_bind_text(st, 8, jstr(body, "relationship_detail"));
    stmt_bind_text(st, 9, jstr(body, "received_via"));
    stmt_bind_text(st, 10, received);
    if (officer)
        stmt_bind_int(st, 11, officer);
    else
        stmt_bind_null(st, 11);
    stmt_bind_text(st, 12, u && u->team[0] ? u->team : NULL);
    bind_user(st, 13, u);
    stmt_bind_text(st, 14, ts);
    stmt_bind_text(st, 15, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return ds_fail_store(s, rc, err);
    json_array_foreach(kids, i, k)
    {
        st = store_prepare(s, SQL_DS_CHILD_INSERT);
        if (!st)
            return ds_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, json_integer_value(json_object_get(k, "person_id")));
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return ds_fail_store(s, rc, err);
    }
    char text[200];
    snprintf(text, sizeof(text), "Application received (%s) about %zu %s",
             jstr(body, "received_via"), json_array_size(kids),
             json_array_size(kids) == 1 ? "child" : "children");
    if ((rc = add_event(s, id, received, "received", text, u, now)) != STORE_OK)
        return ds_fail_store(s, rc, err);
    return finish_change(s, id, now, err) < 0 ? -1 : id;
}

/* ---- immediate risk --------------------------------------------------------------------- */

/* Records a risk found at `at` and drafts an urgent referral to children's
 * social care for each child (or only child_id). Returns the risk's id or
 * -1 with err. */
static int64_t record_risk(struct store *s, const json_t *rec, const char *at, const char *detail,
                           int64_t child_id, const struct user *u, int64_t now,
                           struct domain_error *err)
{
    int64_t id = json_integer_value(json_object_get(rec, "id"));
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    json_t *kids = ds_children(s, id);
    if (child_id) {
        bool found = false;
        size_t i;
        json_t *k;
        json_array_foreach(kids, i, k) found |= json_integer_value(k) == child_id;
        json_decref(kids);
        if (!found)
            return domain_fail(err, 422, "invalid_field", "child_person_id",
                               "'child_person_id': person %lld is not a child named in "
                               "application %s",
                               (long long)child_id, jstr(rec, "reference"));
        kids = json_pack("[I]", (json_int_t)child_id);
    }
    struct stmt *st = store_prepare(s, SQL_DS_RISK_INSERT);
    if (!st) {
        json_decref(kids);
        return ds_fail_store(s, STORE_ERROR, err);
    }
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ds_current_stage(rec));
    stmt_bind_text(st, 3, at);
    stmt_bind_text(st, 4, detail);
    bind_user(st, 5, u);
    stmt_bind_text(st, 6, ts);
    int64_t risk;
    int rc = stmt_returning_id(st, &risk);
    if (rc != STORE_OK) {
        json_decref(kids);
        return ds_fail_store(s, rc, err);
    }
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Immediate risk to a child found (%s): %s", ds_current_stage(rec),
             detail);
    if ((rc = add_event(s, id, at, "immediate_risk", text, u, now)) != STORE_OK) {
        json_decref(kids);
        return ds_fail_store(s, rc, err);
    }
    /* The referral for each child: urgent, through the referrals module
     * (its own rules then want it sent within the hour). */
    size_t i;
    json_t *k;
    json_array_foreach(kids, i, k)
    {
        char summary[2 * TEXT];
        snprintf(summary, sizeof(summary),
                 "Child Sex Offender Disclosure Scheme application %s: an immediate risk to the "
                 "child was found at the %s stage. %s",
                 jstr(rec, "reference"), ds_current_stage(rec), detail);
        json_t *b =
            json_pack("{s:I, s:[s], s:s, s:s, s:s, s:s}", "person_id",
                      (json_int_t)json_integer_value(k), "categories", "sexual_abuse", "summary",
                      summary, "urgency", "immediate", "risk_view", detail, "concern_at", at);
        int64_t ref = referral_create(s, b, u, now, err);
        json_decref(b);
        if (ref < 0) {
            json_decref(kids);
            return -1;
        }
        st = store_prepare(s, SQL_DS_REFERRAL_LINK);
        if (!st) {
            json_decref(kids);
            return ds_fail_store(s, STORE_ERROR, err);
        }
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, ref);
        stmt_bind_int(st, 3, risk);
        stmt_bind_text(st, 4, ts);
        rc = store_exec_stmt(st);
        char rtext[160];
        snprintf(rtext, sizeof(rtext),
                 "Urgent referral %lld drafted to children's social care for child %lld",
                 (long long)ref, (long long)json_integer_value(k));
        if (rc == STORE_OK)
            rc = add_event(s, id, ts, "referral", rtext, u, now);
        if (rc != STORE_OK) {
            json_decref(kids);
            return ds_fail_store(s, rc, err);
        }
    }
    json_decref(kids);
    return risk;
}

int64_t disclosure_immediate_risk(struct store *s, int64_t id, const json_t *body,
                                  const struct user *u, int64_t now, struct domain_error *err)
{
    /* A child at risk is never turned away, even on a closed application. */
    json_t *rec = load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int64_t risk = -1;
    if (when(body, "found_at", jstr(rec, "received_at"), "the application was received", now, at,
             err) == 0) {
        const json_t *c = json_object_get(body, "child_person_id");
        risk = record_risk(s, rec, at, jstr(body, "detail"),
                           json_is_integer(c) ? json_integer_value(c) : 0, u, now, err);
    }
    json_decref(rec);
    if (risk < 0 || finish_change(s, id, now, err) < 0)
        return -1;
    return risk;
}

int disclosure_risk_action(struct store *s, int64_t id, int64_t risk_id, const json_t *body,
                           const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_DS_RISK_GET);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, risk_id);
    stmt_bind_int(st, 2, id);
    int rc = stmt_step(st);
    char found[TS_TEXT_LEN] = "";
    int done = 0;
    if (rc == STORE_ROW) {
        snprintf(found, sizeof(found), "%s", stmt_text(st, 0));
        done = (int)stmt_int(st, 1);
    }
    stmt_reset(st);
    if (rc != STORE_ROW)
        return domain_fail(err, 404, "not_found", NULL,
                           "application %lld has no immediate risk with id %lld", (long long)id,
                           (long long)risk_id);
    if (done)
        return domain_fail(err, 409, "action_already_recorded", NULL,
                           "the safeguarding action for this risk is already recorded");
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN];
    ts_format(now, ts);
    if (when(body, "action_at", found, "the risk was found", now, at, err) < 0)
        return -1;
    st = store_prepare(s, SQL_DS_RISK_ACTION_INSERT);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, risk_id);
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, jstr(body, "action"));
    bind_user(st, 4, u);
    stmt_bind_text(st, 5, ts);
    rc = store_exec_stmt(st);
    char text[TEXT + 100];
    snprintf(text, sizeof(text), "Urgent safeguarding action taken: %s", jstr(body, "action"));
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "safeguarding_action", text, u, now);
    if (rc != STORE_OK)
        return ds_fail_store(s, rc, err);
    return finish_change(s, id, now, err);
}

/* ---- the stages ------------------------------------------------------------------------- */

/* Loads an open application, checks stage i may be recorded and reads its
 * time into at. The record (new reference) or NULL with err. */
static json_t *begin_stage(struct store *s, int64_t id, int i, const json_t *body, int64_t now,
                           char at[TS_TEXT_LEN], struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return NULL;
    const char *not_before = NULL, *what = NULL;
    if (stage_ready(rec, i, &not_before, &what, err) < 0 ||
        when(body, "at", not_before, what, now, at, err) < 0) {
        json_decref(rec);
        return NULL;
    }
    return rec;
}

int disclosure_initial_contact(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err)
{
    bool risk = jbool(body, "immediate_risk", 0);
    if (risk && !jstr(body, "risk_detail"))
        return domain_fail(err, 422, "missing_field", "risk_detail",
                           "an immediate risk was found: 'risk_detail' must say what it is");
    char at[TS_TEXT_LEN];
    json_t *rec = begin_stage(s, id, 0, body, now, at, err);
    if (!rec)
        return -1;
    struct stmt *st = store_prepare(s, SQL_DS_CONTACT);
    int rc = STORE_ERROR;
    if (st) {
        stmt_bind_text(st, 1, at);
        stmt_bind_text(st, 2, jstr(body, "note"));
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
    }
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Initial contact with the applicant; immediate-risk check: %s. %s",
             risk ? "a child is at immediate risk" : "no immediate risk found", jstr(body, "note"));
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "initial_contact", text, u, now);
    if (rc != STORE_OK) {
        json_decref(rec);
        return ds_fail_store(s, rc, err);
    }
    int64_t r = risk ? record_risk(s, rec, at, jstr(body, "risk_detail"), 0, u, now, err) : 0;
    json_decref(rec);
    return r < 0 ? -1 : finish_change(s, id, now, err);
}

int disclosure_face_to_face(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin_stage(s, id, 1, body, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    bool verified = jbool(body, "identity_verified", 0);
    struct stmt *st = store_prepare(s, SQL_DS_MEETING);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, jstr(body, "note"));
    stmt_bind_int(st, 3, verified);
    stmt_bind_int(st, 4, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Face-to-face meeting with the applicant (identity %s). %s",
             verified ? "verified" : "not verified", jstr(body, "note"));
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "face_to_face", text, u, now);
    return rc == STORE_OK ? finish_change(s, id, now, err) : ds_fail_store(s, rc, err);
}

int disclosure_checks(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    const json_t *checks = json_object_get(body, "checks");
    if (json_array_size(checks) == 0)
        return domain_fail(err, 422, "missing_field", "checks",
                           "'checks': record at least one check made and its result");
    char at[TS_TEXT_LEN];
    json_t *rec = begin_stage(s, id, 2, body, now, at, err);
    if (!rec)
        return -1;
    /* The register as it stood on the day of the checks. */
    int64_t subject = json_integer_value(json_object_get(rec, "subject_person_id"));
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_DS_RSO);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    int64_t t = now;
    ts_parse(at, &t);
    char day[DATE_TEXT_LEN];
    struct civil_date d = date_of_ts(ts_uk_local(t));
    date_format(&d, day);
    stmt_bind_int(st, 1, subject);
    stmt_bind_text(st, 2, day);
    int rso = stmt_step(st) == STORE_ROW;
    stmt_reset(st);

    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    size_t i;
    const json_t *c;
    int rc = STORE_OK;
    json_array_foreach(checks, i, c)
    {
        st = store_prepare(s, SQL_DS_CHECK_INSERT);
        if (!st)
            return ds_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, jstr(c, "kind"));
        stmt_bind_text(st, 3, jstr(c, "result"));
        stmt_bind_text(st, 4, ts);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return ds_fail_store(s, rc, err);
    }
    st = store_prepare(s, SQL_DS_CHECKS);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, jstr(body, "summary"));
    stmt_bind_text(st, 3, jstr(body, "convictions"));
    stmt_bind_int(st, 4, rso);
    stmt_bind_int(st, 5, id);
    rc = store_exec_stmt(st);
    char text[TEXT + 300];
    snprintf(text, sizeof(text),
             "Checks completed (%zu): convictions for sexual offences against children: %s; "
             "registered sex offender: %s%s%s",
             json_array_size(checks), jstr(body, "convictions"), rso ? "yes" : "not recorded",
             jstr(body, "summary") ? ". " : "", jstr(body, "summary") ? jstr(body, "summary") : "");
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "checks", text, u, now);
    return rc == STORE_OK ? finish_change(s, id, now, err) : ds_fail_store(s, rc, err);
}

int disclosure_decide(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    const json_t *att = json_object_get(body, "attendees");
    if (json_array_size(att) == 0)
        return domain_fail(err, 422, "missing_field", "attendees",
                           "'attendees': record who attended the decision-making meeting");
    char at[TS_TEXT_LEN];
    json_t *rec = begin_stage(s, id, 3, body, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    size_t i;
    const json_t *a;
    int rc;
    json_array_foreach(att, i, a)
    {
        struct stmt *st = store_prepare(s, SQL_DS_ATTENDEE_INSERT);
        if (!st)
            return ds_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, jstr(a, "name"));
        stmt_bind_text(st, 3, jstr(a, "role"));
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return ds_fail_store(s, rc, err);
    }
    struct stmt *st = store_prepare(s, SQL_DS_DECISION);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    const char *decision = jstr(body, "decision");
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, decision);
    stmt_bind_text(st, 3, jstr(body, "reason"));
    bind_user(st, 4, u);
    stmt_bind_int(st, 5, id);
    rc = store_exec_stmt(st);
    char text[TEXT + 200];
    snprintf(
        text, sizeof(text), "Decision-making meeting (%zu attending): %s. %s", json_array_size(att),
        strcmp(decision, "disclose") == 0 ? "disclose" : "do not disclose", jstr(body, "reason"));
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "decision", text, u, now);
    return rc == STORE_OK ? finish_change(s, id, now, err) : ds_fail_store(s, rc, err);
}

/* The undertaking and the disclosure follow only a decision to disclose. */
static int decided_to_disclose(const json_t *rec, struct domain_error *err)
{
    const char *decision = jstr(rec, "decision");
    if (decision && strcmp(decision, "not_disclose") == 0)
        return domain_fail(err, 409, "decided_not_to_disclose", NULL,
                           "the decision-making meeting decided not to disclose: record the "
                           "outcome");
    return 0;
}

int disclosure_undertaking(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err)
{
    bool signed_ = jbool(body, "signed", 0);
    if (!signed_ && !jstr(body, "note"))
        return domain_fail(err, 422, "missing_field", "note",
                           "the undertaking was refused: 'note' must say what was said");
    char at[TS_TEXT_LEN];
    json_t *rec = begin_stage(s, id, 4, body, now, at, err);
    if (!rec)
        return -1;
    int bad = decided_to_disclose(rec, err);
    json_decref(rec);
    if (bad < 0)
        return -1;
    const json_t *rp = json_object_get(body, "recipient_person_id");
    if (json_is_integer(rp) &&
        check_person(s, json_integer_value(rp), "recipient_person_id", false, at, u, err) < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_DS_UNDERTAKING);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "recipient_name"));
    bind_opt_int(st, 2, rp);
    stmt_bind_text(st, 3, jstr(body, "recipient_relationship"));
    stmt_bind_text(st, 4, signed_ ? "signed" : "refused");
    stmt_bind_text(st, 5, at);
    stmt_bind_text(st, 6, jstr(body, "note"));
    stmt_bind_int(st, 7, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 600];
    if (signed_)
        snprintf(text, sizeof(text), "Undertaking of confidentiality signed by %s (%s)",
                 jstr(body, "recipient_name"), jstr(body, "recipient_relationship"));
    else
        snprintf(text, sizeof(text),
                 "%s (%s) refused to sign the undertaking of confidentiality: no disclosure "
                 "can be made. %s",
                 jstr(body, "recipient_name"), jstr(body, "recipient_relationship"),
                 jstr(body, "note"));
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "undertaking", text, u, now);
    return rc == STORE_OK ? finish_change(s, id, now, err) : ds_fail_store(s, rc, err);
}

int disclosure_disclose(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    /* Say first what blocks a disclosure, whatever the stage. */
    int bad = decided_to_disclose(rec, err);
    const char *und = jstr(rec, "undertaking");
    if (!bad && jstr(rec, "decision") && !und)
        bad = domain_fail(err, 409, "undertaking_required", NULL,
                          "nothing is disclosed before the person it is made to signs the "
                          "undertaking of confidentiality: record it first");
    if (!bad && und && strcmp(und, "refused") == 0)
        bad = domain_fail(err, 409, "undertaking_refused", NULL,
                          "%s refused to sign the undertaking of confidentiality, so the "
                          "disclosure cannot be made: record the outcome",
                          jstr(rec, "recipient_name"));
    json_decref(rec);
    if (bad < 0)
        return -1;
    char at[TS_TEXT_LEN];
    rec = begin_stage(s, id, 5, body, now, at, err);
    if (!rec)
        return -1;
    char text[TEXT + 400];
    snprintf(text, sizeof(text), "Disclosure made to %s (%s): %s", jstr(rec, "recipient_name"),
             jstr(rec, "recipient_relationship"), jstr(body, "content"));
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_DS_DISCLOSE);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, jstr(body, "content"));
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "disclosure", text, u, now);
    return rc == STORE_OK ? finish_change(s, id, now, err) : ds_fail_store(s, rc, err);
}

int disclosure_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    const char *outcome = jstr(body, "outcome");
    const char *decision = jstr(rec, "decision"), *und = jstr(rec, "undertaking");
    const char *need = NULL;
    if (strcmp(outcome, "disclosed") == 0 && !jstr(rec, "disclosed_at"))
        need = "no disclosure is recorded";
    else if (strcmp(outcome, "not_disclosed") == 0 &&
             !(decision && strcmp(decision, "not_disclose") == 0))
        need = "the decision-making meeting has not decided not to disclose";
    else if (strcmp(outcome, "undertaking_refused") == 0 && !(und && strcmp(und, "refused") == 0))
        need = "no refusal to sign the undertaking is recorded";
    else if (strcmp(outcome, "withdrawn") == 0 && jstr(rec, "disclosed_at"))
        need = "the disclosure has been made";
    /* The latest stage's time: the outcome is never before it. */
    const char *latest = jstr(rec, "received_at"), *what = "the application was received";
    for (int i = 0; i < NSTAGES; i++)
        if (jstr(rec, stages[i].at_field)) {
            latest = jstr(rec, stages[i].at_field);
            what = stages[i].title;
        }
    char at[TS_TEXT_LEN];
    int rc = need ? domain_fail(err, 409, "outcome_not_reached", "outcome",
                                "'outcome' %s cannot be recorded: %s", outcome, need)
                  : when(body, "closed_at", latest, what, now, at, err);
    json_decref(rec);
    if (rc < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_DS_CLOSE);
    if (!st)
        return ds_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, outcome);
    stmt_bind_text(st, 2, jstr(body, "outcome_note"));
    stmt_bind_text(st, 3, at);
    stmt_bind_int(st, 4, id);
    rc = store_exec_stmt(st);
    char text[TEXT + 100];
    const char *note = jstr(body, "outcome_note");
    snprintf(text, sizeof(text), "Closed: %s%s%s", outcome, note ? ". " : "", note ? note : "");
    if (rc == STORE_OK)
        rc = add_event(s, id, at, "closed", text, u, now);
    return rc == STORE_OK ? finish_change(s, id, now, err) : ds_fail_store(s, rc, err);
}
