/*
 * custody_actions.c — the steps recorded on a child's custody record after
 * booking in (DOMAIN.md R8): age verification, accommodation, detention
 * reviews, welfare visits, the responsible adult, the appropriate adult's
 * request and arrival (a delay past the first escalation attributed), welfare
 * needs, the voice of the child, legal advice, interviews, the outcome, the
 * s38(6) transfer request, the authority's answer, the transfer, the s38(7)
 * certificate and the release. Each checks its input, writes, appends to the
 * timeline and ends in custody_finish().
 */
#include "core/date.h"
#include "modules/custody/custody.h"
#include "modules/custody/custody_internal.h"
#include "modules/custody/custody_sql.h"
#include "modules/incidents/incidents.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define TEXT CU_TEXT

/* clang-format off */
const struct field custody_age_fields[] = {
    {.name = "verified_age", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 0, .max = 120},
    {.name = "basis", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_age_bases},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_accommodation_fields[] = {
    {.name = "cell_used", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "cell_reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_review_fields[] = {
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_review_decisions},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_visit_fields[] = {
    {.name = "condition", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_responsible_fields[] = {
    {.name = "who", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_aa_request_fields[] = {
    {.name = "source", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_aa_sources},
    {.name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "declared_role", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_aa_roles},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_aa_arrival_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "delay_cause", .type = FIELD_ENUM, .flags = FIELD_NULLABLE, .values = custody_aa_sources},
    {.name = "delay_reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field custody_welfare_fields[] = {
    {.name = "health", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "vulnerability", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "exploitation_concern", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "welfare_concern", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "concern_detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_legal_fields[] = {
    {.name = "status", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_legal_statuses},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_interview_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "urgent", .type = FIELD_BOOL},
    {.name = "urgent_reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field custody_outcome_fields[] = {
    {.name = "outcome", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_outcomes},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "released_to", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 300},
    {.name = "transfer_accommodation", .type = FIELD_ENUM, .flags = FIELD_NULLABLE, .values = custody_accommodations},
    {.name = "transfer_la", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 120},
    {.name = "transfer_contact", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 300},
    {.name = "transfer_requested_at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_transfer_request_fields[] = {
    {.name = "accommodation", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_accommodations},
    {.name = "local_authority", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 120},
    {.name = "contact", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 300},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_la_answer_fields[] = {
    {.name = "answer", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_la_answers},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_transferred_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field custody_certificate_fields[] = {
    {.name = "reason", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = custody_certificate_reasons},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field custody_release_fields[] = {
    {.name = "released_to", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
/* clang-format on */

/* The record for a step and the step's checked time (under key, default
 * "at"): NULL with err when refused. */
static json_t *begin(struct store *s, int64_t id, const json_t *body, bool allow_released,
                     const char *key, int64_t now, char at[TS_TEXT_LEN], struct domain_error *err)
{
    json_t *rec = custody_load(s, id, allow_released, err);
    if (!rec)
        return NULL;
    if (custody_when(body, key ? key : "at", jstr(rec, "arrived_at"), now, at, err) < 0) {
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* Runs a prepared UPDATE, appends the event and finishes the change. */
static int commit(struct store *s, struct stmt *st, int64_t id, const char *at, const char *kind,
                  const char *text, const struct user *u, int64_t now, struct domain_error *err)
{
    int rc = st ? store_exec_stmt(st) : STORE_OK;
    if (rc == STORE_OK)
        rc = custody_event(s, id, at, kind, text, u, now);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);
    return custody_finish(s, id, now, err);
}

static bool is_child(const json_t *rec)
{
    return json_is_true(json_object_get(rec, "treated_as_child"));
}

static int release_record(struct store *s, int64_t id, const char *at, const char *to,
                          struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_CU_RELEASE);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, to);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : custody_fail_store(s, rc, err);
}

/* ---- age and accommodation ------------------------------------------------------------ */

int custody_verify_age(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    const char *basis = jstr(body, "basis"), *detail = jstr(body, "detail");
    if (strcmp(basis, "other") == 0 && !detail)
        return domain_fail(err, 422, "missing_field", "detail",
                           "'detail': say what showed the age when the basis is 'other'");
    int age = (int)json_integer_value(json_object_get(body, "verified_age"));
    int child = age < 18;
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_AGE_INSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, "verified");
    stmt_bind_null(st, 4);
    stmt_bind_null(st, 5);
    stmt_bind_int(st, 6, age);
    stmt_bind_text(st, 7, basis);
    stmt_bind_text(st, 8, detail);
    stmt_bind_int(st, 9, child);
    custody_bind_user(st, 10, u);
    stmt_bind_text(st, 11, ts);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);
    st = store_prepare(s, SQL_CU_AGE);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, child);
    stmt_bind_int(st, 2, id);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Age verified as %d (%s%s%s): %s", age, basis, detail ? ": " : "",
             detail ? detail : "",
             child ? "a child" : "shown to be 18 or over; no longer treated as a child");
    return commit(s, st, id, at, "age_verified", text, u, now, err);
}

int custody_accommodation(struct store *s, int64_t id, const json_t *body, const struct user *u,
                          int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    bool child = is_child(rec);
    json_decref(rec);
    int cell = jbool(body, "cell_used", 0);
    const char *reason = jstr(body, "cell_reason");
    if (cell && child && !reason)
        return domain_fail(err, 422, "missing_field", "cell_reason",
                           "'cell_reason': a child is placed in a cell only when no other "
                           "secure accommodation is available; say why none was");
    struct stmt *st = store_prepare(s, SQL_CU_ACCOMMODATION);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, cell);
    stmt_bind_text(st, 2, cell ? reason : NULL);
    stmt_bind_text(st, 3, at);
    stmt_bind_int(st, 4, id);
    char text[TEXT + 100];
    snprintf(text, sizeof(text), cell ? "Placed in a cell: %s" : "Moved out of the cells%s",
             cell ? reason : "");
    return commit(s, st, id, at, "accommodation", text, u, now, err);
}

/* ---- reviews, visits, the responsible adult -------------------------------------------- */

int custody_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_REVIEW_INSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, jstr(body, "decision"));
    stmt_bind_text(st, 4, jstr(body, "note"));
    custody_bind_user(st, 5, u);
    stmt_bind_text(st, 6, ts);
    char text[TEXT + 100];
    snprintf(text, sizeof(text), "Detention reviewed (%s): %s",
             strcmp(jstr(body, "decision"), "continue") == 0 ? "detention continues"
                                                             : "to be released",
             jstr(body, "note"));
    return commit(s, st, id, at, "review", text, u, now, err);
}

int custody_visit(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_VISIT_INSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, jstr(body, "condition"));
    custody_bind_user(st, 4, u);
    stmt_bind_text(st, 5, ts);
    char text[TEXT + 40];
    snprintf(text, sizeof(text), "Welfare visit: %s", jstr(body, "condition"));
    return commit(s, st, id, at, "visit", text, u, now, err);
}

int custody_responsible_adult(struct store *s, int64_t id, const json_t *body, const struct user *u,
                              int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, true, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_CU_RESPONSIBLE);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "who"));
    stmt_bind_text(st, 2, at);
    stmt_bind_int(st, 3, id);
    char text[400];
    snprintf(text, sizeof(text),
             "Person responsible for the child's welfare told of the arrest: %s",
             jstr(body, "who"));
    return commit(s, st, id, at, "responsible_adult", text, u, now, err);
}

/* ---- the appropriate adult ------------------------------------------------------------- */

int custody_aa_request(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    bool arrived = jstr(rec, "aa_arrived_at") != NULL;
    char first[TS_TEXT_LEN] = "";
    if (jstr(rec, "aa_requested_at"))
        snprintf(first, sizeof(first), "%s", jstr(rec, "aa_requested_at"));
    json_decref(rec);
    /* PACE Code C 1.7 and Note 1B: who may never act. */
    static const char *const barred[][2] = {
        {"solicitor", "a solicitor (or accredited representative) acting for the child"},
        {"police_officer_or_staff", "a police officer or someone employed by the police"},
        {"involved_in_offence", "someone involved in the offence (victim, witness, suspect)"},
        {"received_admission", "someone to whom the child has admitted the offence"},
    };
    const char *role = jstr(body, "declared_role");
    for (size_t i = 0; i < sizeof(barred) / sizeof(barred[0]); i++)
        if (strcmp(role, barred[i][0]) == 0)
            return domain_fail(err, 422, "invalid_field", "declared_role",
                               "'declared_role': the appropriate adult cannot be %s (PACE Code "
                               "C 1.7); ask someone else",
                               barred[i][1]);
    if (arrived)
        return domain_fail(err, 409, "aa_arrived", NULL,
                           "the appropriate adult has already arrived");
    /* Asking someone else keeps the first request's time: the clock runs
     * from when the child first needed an appropriate adult. */
    struct stmt *st = store_prepare(s, SQL_CU_AA_REQUEST);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, first[0] ? first : at);
    stmt_bind_text(st, 2, jstr(body, "source"));
    stmt_bind_text(st, 3, jstr(body, "name"));
    stmt_bind_text(st, 4, role);
    stmt_bind_int(st, 5, id);
    char text[500];
    snprintf(text, sizeof(text), "Appropriate adult %s: %s (%s, %s)",
             first[0] ? "asked again, someone else" : "requested", jstr(body, "name"),
             jstr(body, "source"), role);
    return commit(s, st, id, at, "aa_requested", text, u, now, err);
}

int custody_aa_arrival(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = custody_load(s, id, false, err);
    if (!rec)
        return -1;
    char requested[TS_TEXT_LEN] = "";
    if (jstr(rec, "aa_requested_at"))
        snprintf(requested, sizeof(requested), "%s", jstr(rec, "aa_requested_at"));
    bool arrived = jstr(rec, "aa_arrived_at") != NULL;
    json_decref(rec);
    if (!requested[0])
        return domain_fail(err, 409, "aa_not_requested", NULL,
                           "no appropriate adult has been requested: record the request first");
    if (arrived)
        return domain_fail(err, 409, "aa_arrived", NULL,
                           "the appropriate adult's arrival is already recorded");
    if (custody_when(body, "at", requested, now, at, err) < 0)
        return -1;
    /* Past the first escalation a delay is attributed, so it can be fixed. */
    const struct rule *r = rules_find("custody.aa_arrival_sergeant");
    int64_t a = 0, b = 0;
    ts_parse(requested, &a);
    ts_parse(at, &b);
    bool late = b - a > (int64_t)(r ? rules_minutes(r) : 120) * 60;
    const char *cause = jstr(body, "delay_cause"), *reason = jstr(body, "delay_reason");
    if (late && !cause)
        return domain_fail(err, 422, "missing_field", "delay_cause",
                           "'delay_cause': the appropriate adult arrived more than %d minutes "
                           "after the request; say whose delay it was (family, scheme, local "
                           "authority, other)",
                           r ? rules_minutes(r) : 120);
    if (cause && !reason)
        return domain_fail(err, 422, "missing_field", "delay_reason",
                           "'delay_reason': say what caused the delay");
    struct stmt *st = store_prepare(s, SQL_CU_AA_ARRIVAL);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, cause);
    stmt_bind_text(st, 3, cause ? reason : NULL);
    stmt_bind_int(st, 4, id);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Appropriate adult arrived after %lld min%s%s%s%s",
             (long long)((b - a) / 60), cause ? ". Delay: " : "", cause ? cause : "",
             cause ? ", " : "", cause ? reason : "");
    return commit(s, st, id, at, "aa_arrived", text, u, now, err);
}

/* ---- welfare, voice, legal advice, interviews ------------------------------------------ */

int custody_welfare(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, true, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    int expl = jbool(body, "exploitation_concern", 0), welf = jbool(body, "welfare_concern", 0);
    const char *detail = jstr(body, "concern_detail");
    if ((expl || welf) && !detail)
        return domain_fail(err, 422, "missing_field", "concern_detail",
                           "'concern_detail': say what the concern is; children's social care "
                           "will read it in the referral");
    struct stmt *st = store_prepare(s, SQL_CU_WELFARE);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "health"));
    stmt_bind_text(st, 2, jstr(body, "vulnerability"));
    stmt_bind_int(st, 3, expl);
    stmt_bind_int(st, 4, welf);
    stmt_bind_text(st, 5, detail);
    stmt_bind_text(st, 6, at);
    stmt_bind_text(st, 7, expl || welf ? at : NULL);
    stmt_bind_int(st, 8, id);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Welfare needs assessed%s%s%s%s",
             expl ? "; exploitation concern" : "", welf ? "; welfare concern" : "",
             detail ? ": " : "", detail ? detail : "");
    return commit(s, st, id, at, "welfare", text, u, now, err);
}

int custody_voice(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err)
{
    json_t *rec = custody_load(s, id, true, err);
    if (!rec)
        return -1;
    json_decref(rec);
    if (incident_voice_check(body, err) < 0)
        return -1;
    int spoken = jbool(body, "spoken_to", 0);
    char behaviour[256], ts[TS_TEXT_LEN];
    incident_voice_behaviour(body, behaviour, sizeof(behaviour));
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_VOICE_UPSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, jbool(body, "seen", 0));
    stmt_bind_int(st, 3, jbool(body, "seen_alone", 0));
    stmt_bind_int(st, 4, spoken);
    stmt_bind_text(st, 5, spoken ? jstr(body, "words") : NULL);
    stmt_bind_text(st, 6, jstr(body, "views_wishes"));
    stmt_bind_text(st, 7, behaviour[0] ? behaviour : NULL);
    stmt_bind_text(st, 8, jstr(body, "demeanour"));
    stmt_bind_text(st, 9, spoken ? NULL : jstr(body, "not_spoken_reason"));
    stmt_bind_text(st, 10, spoken ? NULL : jstr(body, "not_spoken_detail"));
    custody_bind_user(st, 11, u);
    stmt_bind_text(st, 12, ts);
    return commit(s, st, id, ts, "voice", "Voice of the child recorded", u, now, err);
}

int custody_legal_advice(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    const char *detail = jstr(body, "detail");
    struct stmt *st = store_prepare(s, SQL_CU_LEGAL);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "status"));
    stmt_bind_text(st, 2, detail);
    stmt_bind_text(st, 3, at);
    stmt_bind_int(st, 4, id);
    char text[TEXT + 100];
    snprintf(text, sizeof(text), "Legal advice %s%s%s", jstr(body, "status"), detail ? ": " : "",
             detail ? detail : "");
    return commit(s, st, id, at, "legal_advice", text, u, now, err);
}

int custody_interview(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    bool child = is_child(rec);
    const char *arrived = jstr(rec, "aa_arrived_at");
    bool present = arrived && strcmp(arrived, at) <= 0;
    json_decref(rec);
    int urgent = jbool(body, "urgent", 0);
    const char *reason = jstr(body, "urgent_reason");
    if (urgent && !reason)
        return domain_fail(err, 422, "missing_field", "urgent_reason",
                           "'urgent_reason': an urgent interview needs the reason it cannot "
                           "wait (PACE Code C 11.1, 11.18)");
    if (child && !present && !urgent)
        return domain_fail(err, 409, "appropriate_adult_absent", "urgent",
                           "a child is interviewed only with the appropriate adult present; "
                           "without one only as an urgent interview, with 'urgent' and "
                           "'urgent_reason'");
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_INTERVIEW_INSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at);
    stmt_bind_int(st, 3, present);
    stmt_bind_int(st, 4, urgent);
    stmt_bind_text(st, 5, urgent ? reason : NULL);
    stmt_bind_text(st, 6, jstr(body, "note"));
    custody_bind_user(st, 7, u);
    stmt_bind_text(st, 8, ts);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "Interview%s%s%s", present ? " with the appropriate adult" : "",
             urgent ? " (urgent, without the appropriate adult): " : "", urgent ? reason : "");
    return commit(s, st, id, at, "interview", text, u, now, err);
}

/* ---- outcome and s38(6) ---------------------------------------------------------------- */

/* The transfer request's writes; the caller finishes the change. */
static int request_transfer(struct store *s, int64_t id, const char *at, const char *kind,
                            const char *la, const char *contact, const struct user *u, int64_t now,
                            struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_CU_TRANSFER_REQUEST);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, kind);
    stmt_bind_text(st, 3, la);
    stmt_bind_text(st, 4, contact);
    stmt_bind_int(st, 5, id);
    int rc = store_exec_stmt(st);
    char text[800];
    snprintf(text, sizeof(text),
             "Transfer to %s local authority accommodation requested (PACE s38(6)) from %s%s%s",
             strcmp(kind, "secure") == 0 ? "secure" : "non-secure", la, contact ? ", " : "",
             contact ? contact : "");
    if (rc == STORE_OK)
        rc = custody_event(s, id, at, "transfer_requested", text, u, now);
    return rc == STORE_OK ? 0 : custody_fail_store(s, rc, err);
}

int custody_outcome(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN], treq[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    bool child = is_child(rec), done = jstr(rec, "outcome") != NULL;
    json_decref(rec);
    if (done)
        return domain_fail(err, 409, "outcome_recorded", "outcome",
                           "the outcome is already recorded");
    const char *outcome = jstr(body, "outcome");
    bool refused = strcmp(outcome, "charged_refused_bail") == 0;
    const char *kind = jstr(body, "transfer_accommodation"), *la = jstr(body, "transfer_la");
    bool transfer =
        kind || la || jstr(body, "transfer_contact") || jstr(body, "transfer_requested_at");
    if (transfer && !(refused && child))
        return domain_fail(err, 422, "invalid_field",
                           kind ? "transfer_accommodation" : "transfer_la",
                           "a transfer to local authority accommodation is for a child charged "
                           "and refused bail (PACE s38(6))");
    if (transfer && !kind)
        return domain_fail(err, 422, "missing_field", "transfer_accommodation",
                           "'transfer_accommodation': say what was asked for (secure or "
                           "non_secure)");
    if (transfer && !la)
        return domain_fail(err, 422, "missing_field", "transfer_la",
                           "'transfer_la': name the local authority asked");
    /* One step: the request is made when the outcome is, unless told. */
    snprintf(treq, sizeof(treq), "%s", at);
    if (transfer && jstr(body, "transfer_requested_at") &&
        custody_when(body, "transfer_requested_at", at, now, treq, err) < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_CU_OUTCOME);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, outcome);
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, refused ? at : NULL);
    stmt_bind_int(st, 4, id);
    int rc = store_exec_stmt(st);
    static const char *const said[][2] = {{"released", "Released without charge"},
                                          {"bailed", "Released on bail"},
                                          {"charged", "Charged and released on bail"},
                                          {"charged_refused_bail", "Charged and refused bail"}};
    const char *what = outcome;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(said[i][0], outcome) == 0)
            what = said[i][1];
    if (rc == STORE_OK)
        rc = custody_event(s, id, at, "outcome", what, u, now);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);
    if (!refused) {
        const char *to = jstr(body, "released_to");
        if (release_record(s, id, at, to ? to : what, err) < 0)
            return -1;
    } else if (transfer && request_transfer(s, id, treq, kind, la, jstr(body, "transfer_contact"),
                                            u, now, err) < 0) {
        return -1;
    }
    return custody_finish(s, id, now, err);
}

/* A child charged and refused bail, still held and not yet moved: the
 * record, or NULL with err. */
static json_t *begin_s38(struct store *s, int64_t id, const json_t *body, int64_t now,
                         char at[TS_TEXT_LEN], struct domain_error *err)
{
    json_t *rec = custody_load(s, id, false, err);
    if (!rec)
        return NULL;
    const char *outcome = jstr(rec, "outcome");
    if (!outcome || strcmp(outcome, "charged_refused_bail") != 0 || !is_child(rec)) {
        domain_fail(err, 409, "not_charged_refused_bail", NULL,
                    "PACE s38(6) applies to a child charged and refused bail; record that "
                    "outcome first");
        json_decref(rec);
        return NULL;
    }
    if (custody_when(body, "at", jstr(rec, "charged_at"), now, at, err) < 0) {
        json_decref(rec);
        return NULL;
    }
    return rec;
}

int custody_transfer_request(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin_s38(s, id, body, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    if (request_transfer(s, id, at, jstr(body, "accommodation"), jstr(body, "local_authority"),
                         jstr(body, "contact"), u, now, err) < 0)
        return -1;
    return custody_finish(s, id, now, err);
}

int custody_la_answer(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = custody_load(s, id, true, err);
    if (!rec)
        return -1;
    char requested[TS_TEXT_LEN] = "";
    if (jstr(rec, "transfer_requested_at"))
        snprintf(requested, sizeof(requested), "%s", jstr(rec, "transfer_requested_at"));
    json_decref(rec);
    if (!requested[0])
        return domain_fail(err, 409, "no_transfer_request", NULL,
                           "no transfer has been requested from a local authority");
    if (custody_when(body, "at", requested, now, at, err) < 0)
        return -1;
    const char *answer = jstr(body, "answer"), *detail = jstr(body, "detail");
    struct stmt *st = store_prepare(s, SQL_CU_LA_ANSWER);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, answer);
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, detail);
    stmt_bind_int(st, 4, id);
    char text[TEXT + 100];
    snprintf(text, sizeof(text), "The local authority's answer: %s%s%s", answer, detail ? ". " : "",
             detail ? detail : "");
    return commit(s, st, id, at, "la_answer", text, u, now, err);
}

int custody_transferred(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin_s38(s, id, body, now, at, err);
    if (!rec)
        return -1;
    char la[160] = "";
    if (jstr(rec, "transfer_la"))
        snprintf(la, sizeof(la), "%s", jstr(rec, "transfer_la"));
    const char *answer = jstr(rec, "la_answer");
    bool refused = answer && strcmp(answer, "refused") == 0;
    json_decref(rec);
    if (!la[0])
        return domain_fail(err, 409, "no_transfer_request", NULL,
                           "request the transfer from the local authority first");
    if (refused)
        return domain_fail(err, 409, "la_refused", NULL,
                           "the local authority refused; record its acceptance first");
    struct stmt *st = store_prepare(s, SQL_CU_TRANSFERRED);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);
    char to[240], text[TEXT + 300];
    snprintf(to, sizeof(to), "Local authority accommodation (%s)", la);
    const char *note = jstr(body, "note");
    snprintf(text, sizeof(text), "Moved to %s%s%s", to, note ? ". " : "", note ? note : "");
    if (release_record(s, id, at, to, err) < 0)
        return -1;
    return commit(s, NULL, id, at, "transferred", text, u, now, err);
}

int custody_certify(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin_s38(s, id, body, now, at, err);
    if (!rec)
        return -1;
    bool certified = jstr(rec, "certified_at") != NULL;
    int age = custody_best_age(s, rec);
    json_decref(rec);
    if (certified)
        return domain_fail(err, 409, "already_certified", NULL,
                           "the s38(7) certificate is already made");
    const char *reason = jstr(body, "reason");
    /* s38(6)(b): the secure-accommodation ground only from 12. */
    if (strcmp(reason, "no_secure_serious_harm") == 0 && age < CUSTODY_SECURE_MIN_AGE)
        return domain_fail(err, 422, "invalid_field", "reason",
                           age < 0 ? "'reason': the child's age is not established, so the "
                                     "ground for a child of 12 or over cannot be used; only "
                                     "'impracticable' can"
                                   : "'reason': for a child under 12 the only ground is "
                                     "'impracticable' (PACE s38(6))");
    struct stmt *st = store_prepare(s, SQL_CU_CERTIFY);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, reason);
    stmt_bind_text(st, 2, jstr(body, "detail"));
    stmt_bind_text(st, 3, at);
    custody_bind_user(st, 4, u);
    stmt_bind_int(st, 5, id);
    char text[TEXT + 200];
    snprintf(text, sizeof(text), "s38(7) certificate: %s. %s",
             strcmp(reason, "impracticable") == 0
                 ? "moving the child to local authority accommodation is impracticable"
                 : "no secure accommodation is available and other accommodation would not "
                   "protect the public from serious harm",
             jstr(body, "detail"));
    return commit(s, st, id, at, "certified", text, u, now, err);
}

int custody_release(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    char at[TS_TEXT_LEN];
    json_t *rec = begin(s, id, body, false, NULL, now, at, err);
    if (!rec)
        return -1;
    json_decref(rec);
    if (release_record(s, id, at, jstr(body, "released_to"), err) < 0)
        return -1;
    const char *note = jstr(body, "note");
    char text[TEXT + 400];
    snprintf(text, sizeof(text), "Left custody: %s%s%s", jstr(body, "released_to"),
             note ? ". " : "", note ? note : "");
    return commit(s, NULL, id, at, "released", text, u, now, err);
}
