/*
 * referrals.c — the referral record (DOMAIN.md R4): agencies, drafting a
 * referral by hand or pre-filled from an incident or a missing episode, the
 * mandatory-referral rules, completeness, the quality gate and sending.
 * Every change ends in finish_change(), which re-evaluates the timescales
 * engine's rules for the referral in the same transaction. The partner
 * portal is in referrals_portal.c.
 */
#include "modules/referrals/referrals.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/incidents/incidents.h"
#include "modules/custody/custody.h"
#include "modules/investigations/investigations.h"
#include "modules/missing/missing.h"
#include "modules/protection/protection.h"
#include "modules/referrals/referrals_internal.h"
#include "modules/referrals/referrals_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const referral_categories[] = {"physical_abuse",
                                           "sexual_abuse",
                                           "emotional_abuse",
                                           "neglect",
                                           "domestic_abuse",
                                           "child_sexual_exploitation",
                                           "child_criminal_exploitation",
                                           "missing",
                                           "online_harm",
                                           "mental_health",
                                           "other",
                                           NULL};
const char *const referral_urgencies[] = {"immediate", "within_24h", "routine", NULL};
const char *const referral_consents[] = {"given", "refused", "not_sought", NULL};
const char *const referral_decisions[] = {
    "no_further_action",      "early_help", "assessment", "strategy_discussion", "s47_enquiry",
    "passed_to_other_agency", NULL};
const char *const agency_kinds[] = {
    "childrens_social_care", "health", "education", "school", "other", NULL};
static const char *const review_decisions[] = {"approve", "return", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
static const struct field member_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "relationship", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100},
    {0}};
static const struct field agency_id_fields[] = {
    {.name = "id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {0}};

#define REFERRAL_BODY                                                                              \
    {.name = "categories", .type = FIELD_ARRAY, .max_len = 11, .values = referral_categories},     \
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},           \
    {.name = "child_voice", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},       \
    {.name = "risk_view", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},         \
    {.name = "consent", .type = FIELD_ENUM, .flags = FIELD_NULLABLE, .values = referral_consents}, \
    {.name = "consent_reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},    \
    {.name = "urgency", .type = FIELD_ENUM, .values = referral_urgencies},                         \
    {.name = "members", .type = FIELD_ARRAY, .max_len = 20, .children = member_fields},            \
    {.name = "agencies", .type = FIELD_ARRAY, .max_len = 10, .children = agency_id_fields}

const struct field referral_create_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "concern_at", .type = FIELD_TIMESTAMP},
    REFERRAL_BODY,
    {0}};
const struct field referral_raise_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .min = 1, .max = ID_MAX},
    {.name = "agencies", .type = FIELD_ARRAY, .max_len = 10, .children = agency_id_fields},
    {0}};
const struct field referral_update_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    REFERRAL_BODY,
    {.name = "submit", .type = FIELD_BOOL},
    {0}};
const struct field referral_submit_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {0}};
const struct field referral_review_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = review_decisions},
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field referral_cancel_fields[] = {
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field agency_create_fields[] = {
    {.name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 128},
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = agency_kinds},
    {.name = "local_authority", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "contact_email", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "contact_phone", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 40},
    {.name = "on_portal", .type = FIELD_BOOL},
    {0}};
const struct field agency_update_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "name", .type = FIELD_STRING, .max_len = 128},
    {.name = "kind", .type = FIELD_ENUM, .values = agency_kinds},
    {.name = "local_authority", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "contact_email", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "contact_phone", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 40},
    {.name = "on_portal", .type = FIELD_BOOL},
    {.name = "active", .type = FIELD_BOOL},
    {0}};
/* clang-format on */

/* ---- configuration ------------------------------------------------------------------ */

static bool review_required = true;

bool referrals_review_required(void)
{
    return review_required;
}

int referrals_configure(const char *name, const char *value, char *err, size_t errlen)
{
    if (strcmp(name, "review_required") != 0) {
        snprintf(err, errlen,
                 "no setting 'referrals.%s' (referrals.review_required; see "
                 "docs/configuration.md)",
                 name);
        return -1;
    }
    if (strcmp(value, "1") != 0 && strcmp(value, "0") != 0) {
        snprintf(err, errlen, "'referrals.review_required' must be 1 or 0, not '%s'", value);
        return -1;
    }
    review_required = value[0] == '1';
    return 0;
}

/* ---- small helpers ------------------------------------------------------------------ */

void referral_bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

int referral_event(struct store *s, int64_t id, const char *kind, const char *text,
                   const struct user *u, int64_t agency_id, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_REF_EVENT_ADD);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    referral_bind_user(st, 5, u);
    if (agency_id)
        stmt_bind_int(st, 6, agency_id);
    else
        stmt_bind_null(st, 6);
    return store_exec_stmt(st);
}

static int fail_store(struct store *s, int rc, struct domain_error *err)
{
    return domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
}

/* Minutes from the concern to sending, by urgency (the rules' figures). */
static int send_minutes(const char *urgency)
{
    char id[48];
    snprintf(id, sizeof(id), "referral.send_%s", urgency ? urgency : "within_24h");
    const struct rule *r = rules_find(id);
    return r ? rules_minutes(r) : 24 * 60;
}

/* Operation Encompass: the local midnight (UK) of the next school day whose
 * start — `start_minutes` after midnight, 08:30 by default — is after t.
 * Monday to Friday; holidays are not known to Safeguard, so a school closed
 * that day is told no later than the same time anyway. */
static int64_t next_school_day(int64_t t, int start_minutes)
{
    struct civil_date d = date_of_ts(ts_uk_local(t));
    for (int i = 0; i < 8; i++) {
        struct civil_date day = date_from_days(date_to_days(&d) + i);
        int64_t days = date_to_days(&day);
        int weekday = (int)((days % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday; 0 is Sunday */
        if (weekday == 0 || weekday == 6)
            continue;
        int64_t midnight = ts_uk_midnight(&day);
        if (midnight + (int64_t)start_minutes * 60 > t)
            return midnight;
    }
    return t;
}

/* ---- the record as the rules read it ----------------------------------------------- */

static const struct column_spec ref_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"person_id", 'i'},
    {"source_type", 's'},
    {"source_id", 'i'},
    {"source_reference", 's'},
    {"concern_at", 's'},
    {"summary", 's'},
    {"child_voice", 's'},
    {"risk_view", 's'},
    {"consent", 's'},
    {"consent_reason", 's'},
    {"urgency", 's'},
    {"status", 's'},
    {"mandatory_reason", 's'},
    {"submitted_at", 's'},
    {"returned_count", 'i'},
    {"return_reason", 's'},
    {"reviewed_at", 's'},
    {"sent_at", 's'},
    {"cancelled_reason", 's'},
    {"team", 's'},
    {"version", 'i'},
    {"officer_id", 'i'}, /* the creator owns its tasks */
    {"created_at", 's'},
    {"updated_at", 's'},
    {"awaiting_acknowledgement", 'b'},
    {"has_school", 'b'},
    {"domestic_abuse", 'b'},
};
#define NCOLS ((int)(sizeof(ref_columns) / sizeof(ref_columns[0])))

json_t *referral_core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_REF_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, ref_columns, NCOLS);
    stmt_reset(st);
    /* Deadlines the rules read: sending by urgency, and Operation
     * Encompass's school notification before the next school day. */
    int64_t concern = 0;
    ts_parse(jstr(o, "concern_at"), &concern);
    char due[TS_TEXT_LEN];
    ts_format(concern + (int64_t)send_minutes(jstr(o, "urgency")) * 60, due);
    json_object_set_new(o, "send_due_at", json_string(due));
    if (json_is_true(json_object_get(o, "has_school")) &&
        json_is_true(json_object_get(o, "domestic_abuse"))) {
        const struct rule *r = rules_find("referral.encompass");
        int start = r ? rules_minutes(r) : 510;
        int64_t day = next_school_day(concern, start);
        ts_format(day, due);
        json_object_set_new(o, "encompass_day", json_string(due));
        ts_format(day + (int64_t)start * 60, due);
        json_object_set_new(o, "encompass_due_at", json_string(due));
    }
    return o;
}

int referral_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_REF_TOUCH);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    json_t *rec = referral_core_get(s, id);
    if (!rec)
        return fail_store(s, STORE_ERROR, err);
    rc = rules_evaluate(s, "referral", rec, json_integer_value(json_object_get(rec, "person_id")),
                        now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : fail_store(s, rc, err);
}

/* ---- the mandatory rules ------------------------------------------------------------ */

/* A referral is mandatory for these situations (DOMAIN.md R4; the issue's
 * examples). Each row reads its source record; add a situation with a row. */
static const char *incident_mandatory(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_REF_INCIDENT_MANDATORY);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    bool yes = stmt_step(st) == STORE_ROW && stmt_int(st, 0);
    stmt_reset(st);
    return yes ? "domestic abuse with a child present" : NULL;
}

static const char *missing_mandatory(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_REF_MISSING);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    const char *why = NULL;
    if (stmt_step(st) == STORE_ROW && !stmt_is_null(st, 2) && stmt_int(st, 11) &&
        (stmt_int(st, 7) || stmt_int(st, 8)))
        why = "a child's return from a missing episode with exploitation indicators";
    stmt_reset(st);
    return why;
}

const char *referrals_mandatory_reason(struct store *s, const char *source_type, int64_t id)
{
    if (strcmp(source_type, "incident") == 0)
        return incident_mandatory(s, id);
    if (strcmp(source_type, "missing_episode") == 0)
        return missing_mandatory(s, id);
    return NULL;
}

int64_t referrals_sent_for(struct store *s, const char *source_type, int64_t source_id)
{
    struct stmt *st = store_prepare(s, SQL_REF_SENT_FOR);
    if (!st)
        return 0;
    stmt_bind_text(st, 1, source_type);
    stmt_bind_int(st, 2, source_id);
    int64_t n = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    return n;
}

/* ---- agencies ------------------------------------------------------------------------ */

static json_t *agency_row(struct stmt *st)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:I}", "id",
                     (json_int_t)stmt_int(st, 0), "name", stmt_text(st, 1), "kind",
                     stmt_text(st, 2), "local_authority", stmt_json_text(st, 3), "contact_email",
                     stmt_json_text(st, 4), "contact_phone", stmt_json_text(st, 5), "on_portal",
                     stmt_int(st, 6) != 0, "active", stmt_int(st, 7) != 0, "version",
                     (json_int_t)stmt_int(st, 8));
}

json_t *agency_list(struct store *s, bool active_only)
{
    struct stmt *st = store_prepare(s, SQL_AG_LIST);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, active_only);
    json_t *arr = json_array();
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, agency_row(st));
    stmt_reset(st);
    return json_pack("{s:o}", "agencies", arr);
}

int64_t agency_id_by_name(struct store *s, const char *name)
{
    if (!name || !*name)
        return 0;
    struct stmt *st = store_prepare(s, SQL_AG_BY_NAME);
    if (!st)
        return 0;
    stmt_bind_text(st, 1, name);
    int64_t id = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    return id;
}

int64_t agency_create(struct store *s, const json_t *body, int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_AG_BY_NAME);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "name"));
    bool taken = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    if (taken)
        return domain_fail(err, 409, "duplicate_agency", "name",
                           "there is already an agency called '%s'", jstr(body, "name"));
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_AG_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "name"));
    stmt_bind_text(st, 2, jstr(body, "kind"));
    stmt_bind_text(st, 3, jstr(body, "local_authority"));
    stmt_bind_text(st, 4, jstr(body, "contact_email"));
    stmt_bind_text(st, 5, jstr(body, "contact_phone"));
    stmt_bind_int(st, 6, jbool(body, "on_portal", 1));
    stmt_bind_text(st, 7, ts);
    stmt_bind_text(st, 8, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return rc == STORE_CONSTRAINT
                   ? domain_fail(err, 409, "duplicate_agency", "name",
                                 "there is already an agency called '%s'", jstr(body, "name"))
                   : fail_store(s, rc, err);
    return id;
}

int agency_update(struct store *s, int64_t id, const json_t *body, int64_t now,
                  struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_AG_GET);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return domain_fail(err, 404, "not_found", NULL, "no agency with id %lld", (long long)id);
    }
    json_t *cur = agency_row(st);
    stmt_reset(st);
    int64_t version = json_integer_value(json_object_get(cur, "version"));
    if (json_integer_value(json_object_get(body, "version")) != version) {
        json_decref(cur);
        return domain_fail(err, 409, "stale_version", "version",
                           "the agency was changed by someone else (version %lld): reload it",
                           (long long)version);
    }
    static const char *const keys[] = {"name", "kind", "local_authority", "contact_email",
                                       "contact_phone"};
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_AG_UPDATE);
    if (!st) {
        json_decref(cur);
        return fail_store(s, STORE_ERROR, err);
    }
    for (int i = 0; i < 5; i++)
        stmt_bind_text(st, i + 1, jhas(body, keys[i]) ? jstr(body, keys[i]) : jstr(cur, keys[i]));
    stmt_bind_int(st, 6, jbool(body, "on_portal", json_is_true(json_object_get(cur, "on_portal"))));
    stmt_bind_int(st, 7, jbool(body, "active", json_is_true(json_object_get(cur, "active"))));
    stmt_bind_text(st, 8, ts);
    stmt_bind_int(st, 9, id);
    stmt_bind_int(st, 10, version);
    json_decref(cur);
    int rc = store_exec_stmt(st);
    if (rc == STORE_CONSTRAINT)
        return domain_fail(err, 409, "duplicate_agency", "name",
                           "there is already an agency called '%s'", jstr(body, "name"));
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return store_changes(s) == 1 ? 0
                                 : domain_fail(err, 409, "stale_version", "version",
                                               "the agency was changed by someone else: reload it");
}

/* ---- the parts of a referral -------------------------------------------------------- */

static int person_ok(struct store *s, int64_t pid, const struct user *u)
{
    struct stmt *st = store_prepare(s, SQL_REF_PERSON);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st);
    stmt_reset(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : rc;
    return !u || auth_person_visible(s, pid, u);
}

/* Replaces what the body gives of categories, members and agencies. */
static int set_parts(struct store *s, int64_t id, int64_t child, const json_t *body,
                     const struct user *u, struct domain_error *err)
{
    size_t i;
    json_t *v;
    int rc;
    if (jhas(body, "categories")) {
        struct stmt *st = store_prepare(s, SQL_REF_CATEGORY_CLEAR);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return fail_store(s, rc, err);
        json_array_foreach(json_object_get(body, "categories"), i, v)
        {
            st = store_prepare(s, SQL_REF_CATEGORY_ADD);
            stmt_bind_int(st, 1, id);
            stmt_bind_text(st, 2, json_string_value(v));
            if ((rc = store_exec_stmt(st)) != STORE_OK)
                return fail_store(s, rc, err);
        }
    }
    if (jhas(body, "members")) {
        struct stmt *st = store_prepare(s, SQL_REF_MEMBER_CLEAR);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return fail_store(s, rc, err);
        json_array_foreach(json_object_get(body, "members"), i, v)
        {
            int64_t pid = json_integer_value(json_object_get(v, "person_id"));
            char f[48];
            snprintf(f, sizeof(f), "members[%zu].person_id", i);
            if (pid == child)
                return domain_fail(err, 422, "invalid_field", f,
                                   "'%s': the child referred is not a household member", f);
            if ((rc = person_ok(s, pid, u)) <= 0)
                return rc < 0 ? fail_store(s, rc, err)
                              : domain_fail(err, 422, "invalid_field", f,
                                            "'%s': there is no person with id %lld", f,
                                            (long long)pid);
            st = store_prepare(s, SQL_REF_MEMBER_ADD);
            stmt_bind_int(st, 1, id);
            stmt_bind_int(st, 2, pid);
            stmt_bind_text(st, 3, jstr(v, "relationship"));
            if ((rc = store_exec_stmt(st)) != STORE_OK)
                return fail_store(s, rc, err);
        }
    }
    if (jhas(body, "agencies")) {
        struct stmt *st = store_prepare(s, SQL_REF_RECIPIENT_CLEAR);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return fail_store(s, rc, err);
        json_array_foreach(json_object_get(body, "agencies"), i, v)
        {
            int64_t aid = json_integer_value(json_object_get(v, "id"));
            char f[48];
            snprintf(f, sizeof(f), "agencies[%zu].id", i);
            st = store_prepare(s, SQL_AG_GET);
            stmt_bind_int(st, 1, aid);
            bool ok = stmt_step(st) == STORE_ROW && stmt_int(st, 7) == 1;
            stmt_reset(st);
            if (!ok)
                return domain_fail(err, 422, "invalid_field", f,
                                   "'%s': there is no active agency with id %lld", f,
                                   (long long)aid);
            st = store_prepare(s, SQL_REF_RECIPIENT_ADD);
            stmt_bind_int(st, 1, id);
            stmt_bind_int(st, 2, aid);
            if ((rc = store_exec_stmt(st)) != STORE_OK)
                return fail_store(s, rc, err);
        }
    }
    return 0;
}

/* ---- creating ------------------------------------------------------------------------ */

struct draft {
    int64_t person_id;
    const char *source_type, *source_reference;
    int64_t source_id;
    char concern_at[TS_TEXT_LEN];
    const char *summary, *child_voice, *risk_view, *consent, *consent_reason, *urgency;
    const char *mandatory;
};

static int64_t insert_draft(struct store *s, const struct draft *d, const struct user *u,
                            int64_t now, struct domain_error *err)
{
    if (d->source_type) {
        struct stmt *st = store_prepare(s, SQL_REF_DUPLICATE);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, d->person_id);
        stmt_bind_text(st, 2, d->source_type);
        stmt_bind_int(st, 3, d->source_id);
        if (stmt_step(st) == STORE_ROW) {
            char ref[32];
            snprintf(ref, sizeof(ref), "%s", stmt_text(st, 0));
            stmt_reset(st);
            return domain_fail(err, 409, "duplicate_referral", "person_id",
                               "%s already refers this child for this %s: change that one", ref,
                               strcmp(d->source_type, "incident") == 0 ? "incident"
                                                                       : "missing episode");
        }
        stmt_reset(st);
    }
    char ts[TS_TEXT_LEN], like[32], ref[32];
    ts_format(now, ts);
    int64_t c = 0;
    ts_parse(d->concern_at, &c);
    struct civil_date day = date_of_ts(c);
    snprintf(like, sizeof(like), "REF-%04d-%%", day.year % 10000);
    struct stmt *st = store_prepare(s, SQL_REF_NEXT_SEQ);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "REF-%04d-%06lld", day.year % 10000, (long long)seq);
    st = store_prepare(s, SQL_REF_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ref);
    stmt_bind_int(st, 2, d->person_id);
    stmt_bind_text(st, 3, d->source_type);
    if (d->source_type)
        stmt_bind_int(st, 4, d->source_id);
    else
        stmt_bind_null(st, 4);
    stmt_bind_text(st, 5, d->source_reference);
    stmt_bind_text(st, 6, d->concern_at);
    stmt_bind_text(st, 7, d->summary);
    stmt_bind_text(st, 8, d->child_voice);
    stmt_bind_text(st, 9, d->risk_view);
    stmt_bind_text(st, 10, d->consent);
    stmt_bind_text(st, 11, d->consent_reason);
    stmt_bind_text(st, 12, d->urgency ? d->urgency : "within_24h");
    stmt_bind_text(st, 13, d->mandatory);
    stmt_bind_text(st, 14, u && u->team[0] ? u->team : NULL);
    referral_bind_user(st, 15, u);
    stmt_bind_text(st, 16, ts);
    stmt_bind_text(st, 17, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc == STORE_CONSTRAINT)
        return domain_fail(err, 409, "duplicate_referral", "person_id",
                           "a referral for this child and event already exists");
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    char text[160];
    snprintf(text, sizeof(text), "Drafted%s%s%s", d->source_reference ? " from " : "",
             d->source_reference ? d->source_reference : "", d->mandatory ? " (mandatory)" : "");
    if ((rc = referral_event(s, id, "drafted", text, u, 0, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return id;
}

int64_t referral_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                        struct domain_error *err)
{
    assert(s && body && err);
    struct draft d = {.person_id = json_integer_value(json_object_get(body, "person_id")),
                      .summary = jstr(body, "summary"),
                      .child_voice = jstr(body, "child_voice"),
                      .risk_view = jstr(body, "risk_view"),
                      .consent = jstr(body, "consent"),
                      .consent_reason = jstr(body, "consent_reason"),
                      .urgency = jstr(body, "urgency")};
    int rc = person_ok(s, d.person_id, u);
    if (rc <= 0)
        return rc < 0 ? fail_store(s, rc, err)
                      : domain_fail(err, 422, "invalid_field", "person_id",
                                    "'person_id': there is no person with id %lld",
                                    (long long)d.person_id);
    int64_t c = now;
    if (jstr(body, "concern_at")) {
        ts_parse(jstr(body, "concern_at"), &c);
        if (c > now)
            return domain_fail(err, 422, "invalid_field", "concern_at",
                               "'concern_at' must not be in the future");
    }
    ts_format(c, d.concern_at);
    int64_t id = insert_draft(s, &d, u, now, err);
    if (id < 0 || set_parts(s, id, d.person_id, body, u, err) < 0 ||
        referral_finish_change(s, id, now, err) < 0)
        return -1;
    return id;
}

/* Incident nature → the concern it most often is; the officer adjusts. */
static const char *category_of_nature(const char *nature)
{
    static const char *const map[][2] = {
        {"domestic_abuse", "domestic_abuse"}, {"sexual_offence", "sexual_abuse"},
        {"assault", "physical_abuse"},        {"missing_person", "missing"},
        {"child_concern", "neglect"},
    };
    for (size_t i = 0; nature && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], nature) == 0)
            return map[i][1];
    return "other";
}

static void append(char *out, size_t cap, const char *label, const char *v)
{
    if (!v || !*v)
        return;
    size_t n = strlen(out);
    snprintf(out + n, cap > n ? cap - n : 0, "%s%s%s", n ? "\n" : "", label, v);
}

static int64_t raise_from_incident(struct store *s, int64_t iid, const json_t *body,
                                   const struct user *u, int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_REF_INCIDENT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, iid);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return domain_fail(err, 404, "not_found", NULL, "no incident with id %lld", (long long)iid);
    }
    char ref[32], received[TS_TEXT_LEN], nature[40], summary[TEXT + 256] = "";
    snprintf(ref, sizeof(ref), "%s", stmt_text(st, 0));
    snprintf(received, sizeof(received), "%s", stmt_text(st, 1));
    snprintf(nature, sizeof(nature), "%s", stmt_text(st, 2));
    snprintf(summary, sizeof(summary), "%s incident at %s on %.10s.%s%s",
             strcmp(nature, "domestic_abuse") == 0 ? "Domestic abuse" : nature, stmt_text(st, 4),
             received, stmt_is_null(st, 3) ? "" : " ", stmt_is_null(st, 3) ? "" : stmt_text(st, 3));
    stmt_reset(st);

    /* The child: the one asked for, or the incident's only child. */
    int64_t child = json_integer_value(json_object_get(body, "person_id"));
    int64_t children[32], others[32];
    char roles[32][24];
    int nchildren = 0, nothers = 0;
    bool listed = false;
    st = store_prepare(s, SQL_REF_INCIDENT_PEOPLE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, iid);
    while (stmt_step(st) == STORE_ROW) {
        int64_t pid = stmt_int(st, 0);
        listed = listed || pid == child;
        bool is_child = !stmt_is_null(st, 2) && stmt_int(st, 2);
        if (is_child && nchildren < 32)
            children[nchildren++] = pid;
        if (nothers < 32) {
            others[nothers] = pid;
            snprintf(roles[nothers++], sizeof(roles[0]), "%s", stmt_text(st, 1));
        }
    }
    stmt_reset(st);
    if (child && !listed)
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': person %lld is not on incident %s", (long long)child, ref);
    if (!child && nchildren == 1)
        child = children[0];
    if (!child)
        return domain_fail(err, 422, nchildren ? "missing_field" : "invalid_field", "person_id",
                           nchildren ? "incident %s has %d children: say which one this referral "
                                       "is for ('person_id')"
                                     : "incident %s has no child linked: link the child first",
                           ref, nchildren);
    /* The child's voice, from the voice-of-the-child record. */
    char voice[3 * TEXT + 64] = "";
    st = store_prepare(s, SQL_REF_INCIDENT_VOICE);
    if (st) {
        stmt_bind_int(st, 1, iid);
        stmt_bind_int(st, 2, child);
        if (stmt_step(st) == STORE_ROW) {
            append(voice, sizeof(voice),
                   "In their own words: ", stmt_is_null(st, 0) ? NULL : stmt_text(st, 0));
            append(voice, sizeof(voice),
                   "Views and wishes: ", stmt_is_null(st, 1) ? NULL : stmt_text(st, 1));
            append(voice, sizeof(voice),
                   "Demeanour: ", stmt_is_null(st, 2) ? NULL : stmt_text(st, 2));
            append(voice, sizeof(voice),
                   "Not spoken to: ", stmt_is_null(st, 3) ? NULL : stmt_text(st, 3));
        }
        stmt_reset(st);
    }
    struct draft d = {.person_id = child,
                      .source_type = "incident",
                      .source_id = iid,
                      .source_reference = ref,
                      .summary = summary,
                      .child_voice = voice[0] ? voice : NULL,
                      .urgency = "within_24h",
                      .mandatory = referrals_mandatory_reason(s, "incident", iid)};
    snprintf(d.concern_at, sizeof(d.concern_at), "%s", received);
    int64_t id = insert_draft(s, &d, u, now, err);
    if (id < 0)
        return -1;
    json_t *parts = json_pack("{s:[s]}", "categories", category_of_nature(nature));
    json_t *members = json_array();
    for (int i = 0; i < nothers; i++)
        if (others[i] != child)
            json_array_append_new(members,
                                  json_pack("{s:I, s:s}", "person_id", (json_int_t)others[i],
                                            "relationship", roles[i]));
    json_object_set_new(parts, "members", members);
    if (jhas(body, "agencies"))
        json_object_set(parts, "agencies", json_object_get(body, "agencies"));
    int rc = set_parts(s, id, child, parts, NULL, err);
    json_decref(parts);
    return rc < 0 ? -1 : id;
}

static int64_t raise_from_missing(struct store *s, int64_t mid, const json_t *body,
                                  const struct user *u, int64_t now, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_REF_MISSING);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, mid);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return domain_fail(err, 404, "not_found", NULL, "no missing episode with id %lld",
                           (long long)mid);
    }
    char ref[32], concern[TS_TEXT_LEN], summary[3 * TEXT + 128] = "";
    snprintf(ref, sizeof(ref), "%s", stmt_text(st, 0));
    int64_t child = stmt_int(st, 1);
    /* The concern dates from the exploitation indicators, else the return,
     * else the report. */
    int when_col = !stmt_is_null(st, 10) ? 10 : !stmt_is_null(st, 2) ? 2 : 3;
    snprintf(concern, sizeof(concern), "%s", stmt_text(st, when_col));
    append(summary, sizeof(summary), "Missing: ", stmt_text(st, 4));
    append(summary, sizeof(summary),
           "Where they were: ", stmt_is_null(st, 5) ? NULL : stmt_text(st, 5));
    append(summary, sizeof(summary), "With: ", stmt_is_null(st, 6) ? NULL : stmt_text(st, 6));
    append(summary, sizeof(summary),
           "Exploitation indicators: ", stmt_is_null(st, 9) ? NULL : stmt_text(st, 9));
    bool cse = stmt_int(st, 7), cce = stmt_int(st, 8);
    stmt_reset(st);
    json_t *given = json_object_get(body, "person_id");
    if (json_is_integer(given) && json_integer_value(given) != child)
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': episode %s is another person's", ref);
    struct draft d = {.person_id = child,
                      .source_type = "missing_episode",
                      .source_id = mid,
                      .source_reference = ref,
                      .summary = summary,
                      .urgency = "within_24h",
                      .mandatory = referrals_mandatory_reason(s, "missing_episode", mid)};
    snprintf(d.concern_at, sizeof(d.concern_at), "%s", concern);
    int64_t id = insert_draft(s, &d, u, now, err);
    if (id < 0)
        return -1;
    json_t *parts = json_pack("{s:[s]}", "categories", "missing");
    if (cse)
        json_array_append_new(json_object_get(parts, "categories"),
                              json_string("child_sexual_exploitation"));
    if (cce)
        json_array_append_new(json_object_get(parts, "categories"),
                              json_string("child_criminal_exploitation"));
    if (jhas(body, "agencies"))
        json_object_set(parts, "agencies", json_object_get(body, "agencies"));
    int rc = set_parts(s, id, child, parts, NULL, err);
    json_decref(parts);
    return rc < 0 ? -1 : id;
}

int64_t referral_raise(struct store *s, const char *source_type, int64_t source_id,
                       const json_t *body, const struct user *u, int64_t now,
                       struct domain_error *err)
{
    assert(s && source_type && body && err);
    int64_t id = strcmp(source_type, "incident") == 0
                     ? raise_from_incident(s, source_id, body, u, now, err)
                     : raise_from_missing(s, source_id, body, u, now, err);
    if (id < 0)
        return -1;
    json_t *rec = referral_core_get(s, id);
    int64_t pid = rec ? json_integer_value(json_object_get(rec, "person_id")) : 0;
    json_decref(rec);
    if (u && pid && !auth_person_visible(s, pid, u))
        return domain_fail(err, 404, "not_found", NULL, "no such record");
    return referral_finish_change(s, id, now, err) < 0 ? -1 : id;
}

/* ---- reading --------------------------------------------------------------------------- */

json_t *referral_parts_json(struct store *s, int64_t id, const struct user *viewer)
{
    json_t *o = json_object();
    json_t *cats = json_array();
    struct stmt *st = store_prepare(s, SQL_REF_CATEGORIES);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(cats, json_string(stmt_text(st, 0)));
        stmt_reset(st);
    }
    json_object_set_new(o, "categories", cats);
    json_t *members = json_array();
    st = store_prepare(s, SQL_REF_MEMBERS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            int64_t pid = stmt_int(st, 0);
            json_t *m = json_pack("{s:I, s:s, s:o}", "person_id", (json_int_t)pid, "relationship",
                                  stmt_text(st, 4), "dob", stmt_json_text(st, 3));
            if (!viewer || auth_person_visible(s, pid, viewer))
                json_object_set_new(m, "name",
                                    json_pack("s++", stmt_text(st, 1), " ", stmt_text(st, 2)));
            json_array_append_new(members, m);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "members", members);
    return o;
}

static json_t *recipients_json(struct store *s, int64_t id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_REF_RECIPIENTS);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(
            arr,
            json_pack("{s:I, s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                      (json_int_t)stmt_int(st, 0), "agency_id", (json_int_t)stmt_int(st, 1),
                      "agency", stmt_text(st, 2), "kind", stmt_text(st, 3), "on_portal",
                      stmt_int(st, 4) != 0, "sent_at", stmt_json_text(st, 5), "opened_at",
                      stmt_json_text(st, 6), "acknowledged_at", stmt_json_text(st, 7), "decision",
                      stmt_json_text(st, 8), "decision_note", stmt_json_text(st, 9), "decision_at",
                      stmt_json_text(st, 10), "local_authority", stmt_json_text(st, 11)));
    stmt_reset(st);
    return arr;
}

/* What sending still needs: [{field, code, message}] (empty: complete). */
static json_t *completeness(const json_t *rec)
{
    json_t *e = json_array();
#define NEED(cond, fld, msg)                                                                       \
    if (!(cond))                                                                                   \
        json_array_append_new(                                                                     \
            e, json_pack("{s:s, s:s, s:s}", "field", fld, "code", "incomplete", "message", msg));
    NEED(json_array_size(json_object_get(rec, "categories")) > 0, "categories",
         "Choose at least one concern category");
    NEED(jstr(rec, "summary") && *jstr(rec, "summary"), "summary",
         "Say what happened (the summary)");
    NEED(jstr(rec, "child_voice") && *jstr(rec, "child_voice"), "child_voice",
         "Give the child's voice: their words, views and demeanour, or why they were not heard");
    NEED(jstr(rec, "risk_view") && *jstr(rec, "risk_view"), "risk_view",
         "Give the officer's view of the risk to the child");
    NEED(jstr(rec, "consent"), "consent", "Say whether consent was given, refused or not sought");
    const char *consent = jstr(rec, "consent");
    NEED(!consent || strcmp(consent, "given") == 0 ||
             (jstr(rec, "consent_reason") && *jstr(rec, "consent_reason")),
         "consent_reason",
         "Give the reason for sharing without consent (e.g. it protects the child from "
         "significant harm)");
    NEED(json_array_size(json_object_get(rec, "recipients")) > 0, "agencies",
         "Choose at least one agency to send it to");
#undef NEED
    return e;
}

json_t *referral_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = referral_core_get(s, id);
    if (!o)
        return NULL;
    int64_t pid = json_integer_value(json_object_get(o, "person_id"));
    if (viewer && !auth_person_visible(s, pid, viewer)) {
        json_decref(o);
        return NULL;
    }
    struct stmt *st = store_prepare(s, SQL_REF_PERSON);
    if (st) {
        stmt_bind_int(st, 1, pid);
        if (stmt_step(st) == STORE_ROW)
            json_object_set_new(o, "person",
                                json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)pid,
                                          "given_name", stmt_text(st, 0), "family_name",
                                          stmt_text(st, 1), "dob", stmt_json_text(st, 2)));
        stmt_reset(st);
    }
    {
        json_t *parts = referral_parts_json(s, id, viewer);
        json_object_update(o, parts);
        json_decref(parts);
    }
    json_object_set_new(o, "recipients", recipients_json(s, id));
    json_t *events = json_array();
    st = store_prepare(s, SQL_REF_EVENTS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(
                events, json_pack("{s:s, s:s, s:s, s:o, s:o}", "at", stmt_text(st, 0), "kind",
                                  stmt_text(st, 1), "text", stmt_text(st, 2), "by",
                                  stmt_json_text(st, 3), "agency", stmt_json_text(st, 4)));
        stmt_reset(st);
    }
    json_object_set_new(o, "history", events);
    json_object_set_new(o, "tasks", rules_record_tasks(s, "referral", id, now));
    json_object_set_new(o, "incomplete", completeness(o));
    json_object_set_new(o, "review_required", json_boolean(review_required));
    json_object_set_new(o, "agencies", agency_list(s, true));
    return o;
}

json_t *referral_list(struct store *s, const char *status, const struct user *viewer, int64_t now)
{
    (void)now;
    struct stmt *st = store_prepare(s, SQL_REF_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, status);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t pid = stmt_int(st, 2);
        json_t *r = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I}", "id",
                              (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1),
                              "person_id", (json_int_t)pid, "status", stmt_text(st, 5), "urgency",
                              stmt_text(st, 6), "concern_at", stmt_text(st, 7), "sent_at",
                              stmt_json_text(st, 8), "source_type", stmt_json_text(st, 9),
                              "source_reference", stmt_json_text(st, 10), "mandatory_reason",
                              stmt_json_text(st, 11), "recipients", (json_int_t)stmt_int(st, 12),
                              "acknowledged", (json_int_t)stmt_int(st, 13));
        if (!viewer || auth_person_visible(s, pid, viewer))
            json_object_set_new(r, "name",
                                json_pack("s++", stmt_text(st, 3), " ", stmt_text(st, 4)));
        else
            json_object_set_new(r, "restricted", json_true());
        json_array_append_new(arr, r);
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return json_pack("{s:o}", "referrals", arr);
}

/* ---- changing ------------------------------------------------------------------------ */

/* The referral for a change by police: 404 (also when its child is hidden
 * from u), 409 when it can no longer change, or the version is stale. */
static json_t *load_for_change(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, const char *const *allowed,
                               struct domain_error *err)
{
    json_t *rec = referral_core_get(s, id);
    if (!rec ||
        (u && !auth_person_visible(s, json_integer_value(json_object_get(rec, "person_id")), u))) {
        json_decref(rec);
        domain_fail(err, 404, "not_found", NULL, "no referral with id %lld", (long long)id);
        return NULL;
    }
    const char *status = jstr(rec, "status");
    bool ok = false;
    for (const char *const *a = allowed; *a; a++)
        ok = ok || strcmp(*a, status) == 0;
    if (!ok) {
        domain_fail(err, 409, "wrong_status", NULL, "referral %s is %s: it cannot do that now",
                    jstr(rec, "reference"), status);
        json_decref(rec);
        return NULL;
    }
    json_t *v = json_object_get(body, "version");
    if (json_is_integer(v) &&
        json_integer_value(v) != json_integer_value(json_object_get(rec, "version"))) {
        domain_fail(err, 409, "stale_version", "version",
                    "referral %s was changed by someone else (version %lld): reload it",
                    jstr(rec, "reference"),
                    (long long)json_integer_value(json_object_get(rec, "version")));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

static const char *const editable[] = {"draft", "returned", NULL};

int referral_update(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, body, u, editable, err);
    if (!rec)
        return -1;
    static const char *const keys[] = {"summary", "child_voice",    "risk_view",
                                       "consent", "consent_reason", "urgency"};
    struct stmt *st = store_prepare(s, SQL_REF_UPDATE);
    if (!st) {
        json_decref(rec);
        return fail_store(s, STORE_ERROR, err);
    }
    for (int i = 0; i < 6; i++)
        stmt_bind_text(st, i + 1, jhas(body, keys[i]) ? jstr(body, keys[i]) : jstr(rec, keys[i]));
    stmt_bind_int(st, 7, id);
    int rc = store_exec_stmt(st);
    int64_t child = json_integer_value(json_object_get(rec, "person_id"));
    json_decref(rec);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    if (set_parts(s, id, child, body, u, err) < 0 || referral_finish_change(s, id, now, err) < 0)
        return -1;
    /* "Save and submit" (the page's one form): the version was checked
     * above, and a refusal rolls the saved changes back with it. */
    if (!jbool(body, "submit", 0))
        return 0;
    json_t *none = json_object();
    rc = referral_submit(s, id, none, u, now, err);
    json_decref(none);
    return rc;
}

/* Sends to every chosen agency, records it, and tells the source record
 * (its mandatory-referral task closes in this transaction). */
static int send_now(struct store *s, int64_t id, const json_t *rec, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_REF_RECIPIENTS_SEND);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && (st = store_prepare(s, SQL_REF_SENT))) {
        stmt_bind_text(st, 1, ts);
        referral_bind_user(st, 2, u);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
    }
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    json_t *recips = recipients_json(s, id);
    size_t i;
    json_t *r;
    json_array_foreach(recips, i, r)
    {
        char text[300];
        snprintf(text, sizeof(text), "Sent to %s (%s)", jstr(r, "agency"),
                 json_is_true(json_object_get(r, "on_portal")) ? "portal" : "signed export");
        rc = referral_event(s, id, "sent", text, u,
                            json_integer_value(json_object_get(r, "agency_id")), now);
        if (rc != STORE_OK) {
            json_decref(recips);
            return fail_store(s, rc, err);
        }
    }
    json_decref(recips);
    /* Investigations that drafted it: their information is now shared. */
    if (investigations_referral_sent(s, id, now, err) < 0)
        return -1;
    /* Police protection cases that drafted it: their timeline records it. */
    if (protection_referral_sent(s, id, jstr(rec, "reference"), u, now, err) < 0)
        return -1;
    /* Custody records that raised it: their mandatory referral is sent. */
    if (custody_referral_sent(s, id, now, err) < 0)
        return -1;
    const char *type = jstr(rec, "source_type");
    int64_t source = json_integer_value(json_object_get(rec, "source_id"));
    if (type && strcmp(type, "incident") == 0)
        rc = incident_rules_refresh(s, source, now, err);
    else if (type && strcmp(type, "missing_episode") == 0)
        rc = missing_referral_sent(s, source, jstr(rec, "reference"), u, now, err);
    else
        rc = 0;
    return rc < 0 ? -1 : 0;
}

int referral_submit(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, body, u, editable, err);
    if (!rec)
        return -1;
    {
        json_t *parts = referral_parts_json(s, id, NULL);
        json_object_update(rec, parts);
        json_decref(parts);
    }
    json_object_set_new(rec, "recipients", recipients_json(s, id));
    json_t *missing = completeness(rec);
    if (json_array_size(missing)) {
        json_t *first = json_array_get(missing, 0);
        domain_fail(err, 422, "incomplete", jstr(first, "field"),
                    "referral %s is not complete: %s%s", jstr(rec, "reference"),
                    jstr(first, "message"),
                    json_array_size(missing) > 1 ? " (and more: see 'errors')" : "");
        err->errors = missing;
        json_decref(rec);
        return -1;
    }
    json_decref(missing);
    int rc;
    if (review_required) {
        char ts[TS_TEXT_LEN];
        ts_format(now, ts);
        struct stmt *st = store_prepare(s, SQL_REF_SUBMITTED);
        if (!st) {
            json_decref(rec);
            return fail_store(s, STORE_ERROR, err);
        }
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, id);
        rc = store_exec_stmt(st);
        if (rc == STORE_OK)
            rc = referral_event(s, id, "submitted", "Submitted for review before sending", u, 0,
                                now);
        json_decref(rec);
        if (rc != STORE_OK)
            return fail_store(s, rc, err);
    } else {
        rc = send_now(s, id, rec, u, now, err);
        json_decref(rec);
        if (rc < 0)
            return -1;
    }
    return referral_finish_change(s, id, now, err);
}

int referral_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    static const char *const submitted[] = {"submitted", NULL};
    json_t *rec = load_for_change(s, id, body, u, submitted, err);
    if (!rec)
        return -1;
    /* Four eyes: the quality gate is someone else's. */
    if (u && json_integer_value(json_object_get(rec, "officer_id")) == u->id) {
        json_decref(rec);
        return domain_fail(err, 409, "own_referral", NULL,
                           "a referral is reviewed by someone other than its author");
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    const char *decision = jstr(body, "decision"), *reason = jstr(body, "reason");
    int rc;
    if (strcmp(decision, "return") == 0) {
        if (!reason || !*reason) {
            json_decref(rec);
            return domain_fail(err, 422, "missing_field", "reason",
                               "say what the author must put right ('reason')");
        }
        struct stmt *st = store_prepare(s, SQL_REF_RETURNED);
        if (!st) {
            json_decref(rec);
            return fail_store(s, STORE_ERROR, err);
        }
        stmt_bind_text(st, 1, reason);
        stmt_bind_text(st, 2, ts);
        referral_bind_user(st, 3, u);
        stmt_bind_int(st, 4, id);
        rc = store_exec_stmt(st);
        char text[TEXT + 64];
        snprintf(text, sizeof(text), "Returned to the author: %s", reason);
        if (rc == STORE_OK)
            rc = referral_event(s, id, "returned", text, u, 0, now);
        json_decref(rec);
        if (rc != STORE_OK)
            return fail_store(s, rc, err);
    } else {
        struct stmt *st = store_prepare(s, SQL_REF_APPROVED);
        if (!st) {
            json_decref(rec);
            return fail_store(s, STORE_ERROR, err);
        }
        stmt_bind_text(st, 1, ts);
        referral_bind_user(st, 2, u);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
        if (rc == STORE_OK)
            rc = referral_event(s, id, "approved", reason ? reason : "Approved for sending", u, 0,
                                now);
        if (rc != STORE_OK) {
            json_decref(rec);
            return fail_store(s, rc, err);
        }
        rc = send_now(s, id, rec, u, now, err);
        json_decref(rec);
        if (rc < 0)
            return -1;
    }
    return referral_finish_change(s, id, now, err);
}

int referral_cancel(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    static const char *const live[] = {"draft", "submitted", "returned", NULL};
    json_t *rec = load_for_change(s, id, body, u, live, err);
    if (!rec)
        return -1;
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_REF_CANCEL);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "reason"));
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    char text[TEXT + 32];
    snprintf(text, sizeof(text), "Cancelled: %s", jstr(body, "reason"));
    if (rc == STORE_OK)
        rc = referral_event(s, id, "cancelled", text, u, 0, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return referral_finish_change(s, id, now, err);
}
