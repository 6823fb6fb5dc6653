/*
 * custody.c — the custody record of a child (DOMAIN.md R8): its fields,
 * booking in (the age-dispute rule and the cell rule), the record as the
 * rules read it, reading a record whole, the board, the referral drafted
 * from a record and what happens when it is sent, and the overnight rule.
 * The steps after booking in are in custody_actions.c.
 *
 * Every change ends in custody_finish(), which re-evaluates the timescales
 * engine's rules for the record.
 */
#include "modules/custody/custody.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/custody/custody_internal.h"
#include "modules/custody/custody_sql.h"
#include "modules/incidents/incidents.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

const char *const custody_aa_sources[] = {"family", "scheme", "local_authority", "other", NULL};
/* The AA's declared relationship to the child. The last four may never act
 * (PACE Code C 1.7 and Note 1B): a solicitor, a police officer or employee,
 * anyone involved in the offence, anyone the child admitted it to. */
const char *const custody_aa_roles[] = {"parent",
                                        "guardian",
                                        "carer",
                                        "relative",
                                        "social_worker",
                                        "aa_scheme_volunteer",
                                        "other_responsible_adult",
                                        "solicitor",
                                        "police_officer_or_staff",
                                        "involved_in_offence",
                                        "received_admission",
                                        NULL};
const char *const custody_age_bases[] = {"passport",
                                         "birth_certificate",
                                         "driving_licence",
                                         "identity_card",
                                         "local_authority_records",
                                         "other",
                                         NULL};
const char *const custody_outcomes[] = {"released", "bailed", "charged", "charged_refused_bail",
                                        NULL};
const char *const custody_accommodations[] = {"secure", "non_secure", NULL};
const char *const custody_la_answers[] = {"accepted", "refused", "no_answer", NULL};
const char *const custody_certificate_reasons[] = {"impracticable", "no_secure_serious_harm", NULL};
const char *const custody_legal_statuses[] = {"requested", "declined", "given", NULL};
const char *const custody_review_decisions[] = {"continue", "release", NULL};

#define ID_MAX CU_ID_MAX
#define TEXT   CU_TEXT

/* clang-format off */
const struct field custody_create_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "arrived_at", .type = FIELD_TIMESTAMP},
    {.name = "suite", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "grounds", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "local_authority", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 120},
    {.name = "stated_age", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 0, .max = 120},
    {.name = "apparent_age", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 0, .max = 120},
    {.name = "cell_used", .type = FIELD_BOOL},
    {.name = "cell_reason", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field custody_referral_fields[] = {
    {.name = "urgency", .type = FIELD_ENUM, .values = referral_urgencies},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
/* clang-format on */

/* ---- small helpers ----------------------------------------------------------------- */

int custody_fail_store(struct store *s, int rc, struct domain_error *err)
{
    return domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
}

void custody_bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u && u->id)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

int custody_event(struct store *s, int64_t id, const char *at, const char *kind, const char *text,
                  const struct user *u, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_EVENT_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at ? at : ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    custody_bind_user(st, 5, u);
    stmt_bind_text(st, 6, ts);
    return store_exec_stmt(st);
}

int custody_when(const json_t *body, const char *key, const char *not_before, int64_t now,
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
            return domain_fail(err, 422, "invalid_field", key, "'%s' must not be before %s", key,
                               not_before);
    }
    ts_format(t, out);
    return 0;
}

bool custody_held_overnight(int64_t charged, int64_t end)
{
    /* The first UK midnight after the charge: 23:00 UTC in summer. */
    struct civil_date d = date_of_ts(ts_uk_local(charged));
    struct civil_date next = date_from_days(date_to_days(&d) + 1);
    return end > ts_uk_midnight(&next);
}

/* Age in whole years on the UK date of ts from a date of birth, or -1. */
static int age_at(const char *dob_text, const char *ts)
{
    struct civil_date dob;
    int64_t t = 0;
    if (!dob_text || date_parse(dob_text, &dob) < 0 || ts_parse(ts, &t) < 0)
        return -1;
    struct civil_date on = date_of_ts(ts_uk_local(t));
    return age_on(&dob, &on);
}

static int person_dob(struct store *s, int64_t pid, char *dob, size_t cap)
{
    dob[0] = '\0';
    struct stmt *st = store_prepare(s, SQL_CU_PERSON);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st);
    if (rc == STORE_ROW && !stmt_is_null(st, 2))
        snprintf(dob, cap, "%s", stmt_text(st, 2));
    stmt_reset(st);
    return rc;
}

int custody_best_age(struct store *s, const json_t *rec)
{
    int64_t id = json_integer_value(json_object_get(rec, "id"));
    /* A verification is the best evidence; the latest one counts. */
    struct stmt *st = store_prepare(s, SQL_CU_AGE_EVENTS);
    int verified = -1;
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW)
            if (!stmt_is_null(st, 4))
                verified = (int)stmt_int(st, 4);
        stmt_reset(st);
    }
    if (verified >= 0)
        return verified;
    char dob[16];
    if (person_dob(s, json_integer_value(json_object_get(rec, "person_id")), dob, sizeof(dob)) ==
            STORE_ROW &&
        dob[0])
        return age_at(dob, json_string_value(json_object_get(rec, "arrived_at")));
    const json_t *stated = json_object_get(rec, "stated_age");
    const json_t *apparent = json_object_get(rec, "apparent_age");
    if (json_is_integer(stated))
        return (int)json_integer_value(stated);
    return json_is_integer(apparent) ? (int)json_integer_value(apparent) : -1;
}

/* SQL_CU_GET's columns, in order. */
static const struct column_spec record_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"person_id", 'i'},
    {"arrived_at", 's'},
    {"suite", 's'},
    {"grounds", 's'},
    {"local_authority", 's'},
    {"stated_age", 'i'},
    {"apparent_age", 'i'},
    {"treated_as_child", 'b'},
    {"cell_used", 'b'},
    {"cell_reason", 's'},
    {"accommodation_at", 's'},
    {"responsible_adult", 's'},
    {"responsible_adult_at", 's'},
    {"aa_requested_at", 's'},
    {"aa_source", 's'},
    {"aa_name", 's'},
    {"aa_role", 's'},
    {"aa_arrived_at", 's'},
    {"aa_delay_cause", 's'},
    {"aa_delay_reason", 's'},
    {"health", 's'},
    {"vulnerability", 's'},
    {"exploitation_concern", 'b'},
    {"welfare_concern", 'b'},
    {"concern_detail", 's'},
    {"welfare_at", 's'},
    {"concern_at", 's'},
    {"legal_advice", 's'},
    {"legal_advice_detail", 's'},
    {"legal_advice_at", 's'},
    {"outcome", 's'},
    {"outcome_at", 's'},
    {"charged_at", 's'},
    {"transfer_requested_at", 's'},
    {"transfer_accommodation", 's'},
    {"transfer_la", 's'},
    {"transfer_contact", 's'},
    {"la_answer", 's'},
    {"la_answer_at", 's'},
    {"la_answer_detail", 's'},
    {"transferred_at", 's'},
    {"certificate_reason", 's'},
    {"certificate_detail", 's'},
    {"certified_at", 's'},
    {"certified_by_name", 's'},
    {"released_at", 's'},
    {"released_to", 's'},
    {"status", 's'},
    {"team", 's'},
    {"version", 'i'},
    {"officer_id", 'i'},
    {"booked_by_name", 's'},
    {"created_at", 's'},
    {"updated_at", 's'},
    {"last_review_at", 's'},
    {"reviews_done", 'i'},
    {"last_visit_at", 's'},
    {"referral_sent_at", 's'},
};
#define NCOLUMNS ((int)(sizeof(record_columns) / sizeof(record_columns[0])))

json_t *custody_core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_CU_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, record_columns, NCOLUMNS);
    stmt_reset(st);
    /* What the rules' predicates read (src/rules/rules.c). */
    json_object_set(o, "visit_from",
                    jstr(o, "last_visit_at") ? json_object_get(o, "last_visit_at")
                                             : json_object_get(o, "arrived_at"));
    json_object_set_new(o, "concern",
                        json_boolean(json_is_true(json_object_get(o, "exploitation_concern")) ||
                                     json_is_true(json_object_get(o, "welfare_concern"))));
    return o;
}

int custody_finish(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_CU_TOUCH);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);
    json_t *rec = custody_core_get(s, id);
    if (!rec)
        return custody_fail_store(s, STORE_ERROR, err);
    rc = rules_evaluate(s, "custody_record", rec,
                        json_integer_value(json_object_get(rec, "person_id")), now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : custody_fail_store(s, rc, err);
}

json_t *custody_load(struct store *s, int64_t id, bool allow_released, struct domain_error *err)
{
    json_t *rec = custody_core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no custody record with id %lld", (long long)id);
        return NULL;
    }
    if (!allow_released && strcmp(jstr(rec, "status"), "released") == 0) {
        domain_fail(err, 409, "released", NULL, "custody record %s is closed: released at %s",
                    jstr(rec, "reference"), jstr(rec, "released_at"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* ---- booking in ----------------------------------------------------------------------- */

int64_t custody_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                       struct domain_error *err)
{
    assert(s && body && err);
    char ts[TS_TEXT_LEN], arrived[TS_TEXT_LEN];
    ts_format(now, ts);
    if (custody_when(body, "arrived_at", NULL, now, arrived, err) < 0)
        return -1;

    int64_t pid = json_integer_value(json_object_get(body, "person_id"));
    char dob[16];
    int rc = person_dob(s, pid, dob, sizeof(dob));
    if (rc != STORE_ROW || (u && !auth_person_visible(s, pid, u)))
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': there is no person with id %lld", (long long)pid);

    /* The age-dispute rule (PACE Code C 1.5): a child if anything says
     * under 18, or if nothing is known; an adult only when everything known
     * says 18 or over, and then this is not a child's record. */
    const json_t *sa = json_object_get(body, "stated_age");
    const json_t *aa = json_object_get(body, "apparent_age");
    int stated = json_is_integer(sa) ? (int)json_integer_value(sa) : -1;
    int apparent = json_is_integer(aa) ? (int)json_integer_value(aa) : -1;
    int by_dob = age_at(dob[0] ? dob : NULL, arrived);
    bool under = (apparent >= 0 && apparent < 18) || (stated >= 0 && stated < 18) ||
                 (by_dob >= 0 && by_dob < 18);
    bool unknown = apparent < 0 && stated < 0 && by_dob < 0;
    if (!under && !unknown)
        return domain_fail(err, 422, "invalid_field", apparent >= 0 ? "apparent_age" : "stated_age",
                           "'%s': this is a child's custody record, and nothing recorded says "
                           "this person is under 18; anyone who appears under 18, or whose age "
                           "is not known, is booked in as a child",
                           apparent >= 0 ? "apparent_age" : "stated_age");

    /* PACE Code C 8.8: not in a cell unless no other secure accommodation
     * is available. */
    int cell = jbool(body, "cell_used", 0);
    const char *cell_reason = jstr(body, "cell_reason");
    if (cell && !cell_reason)
        return domain_fail(err, 422, "missing_field", "cell_reason",
                           "'cell_reason': a child is placed in a cell only when no other "
                           "secure accommodation is available; say why none was");

    struct stmt *st = store_prepare(s, SQL_CU_OPEN_FOR_PERSON);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, pid);
    if (stmt_step(st) == STORE_ROW) {
        char open_ref[40];
        snprintf(open_ref, sizeof(open_ref), "%s", stmt_text(st, 0));
        stmt_reset(st);
        return domain_fail(err, 409, "already_in_custody", "person_id",
                           "this child is already in custody (%s): record the release first",
                           open_ref);
    }
    stmt_reset(st);

    int64_t at = now;
    ts_parse(arrived, &at);
    struct civil_date d = date_of_ts(ts_uk_local(at));
    char like[32], ref[32];
    snprintf(like, sizeof(like), "CU-%04d-%%", d.year % 10000);
    st = store_prepare(s, SQL_CU_NEXT_SEQ);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "CU-%04d-%06lld", d.year % 10000, (long long)seq);

    st = store_prepare(s, SQL_CU_INSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ref);
    stmt_bind_int(st, 2, pid);
    stmt_bind_text(st, 3, arrived);
    stmt_bind_text(st, 4, jstr(body, "suite"));
    stmt_bind_text(st, 5, jstr(body, "grounds"));
    stmt_bind_text(st, 6, jstr(body, "local_authority"));
    if (stated >= 0)
        stmt_bind_int(st, 7, stated);
    else
        stmt_bind_null(st, 7);
    if (apparent >= 0)
        stmt_bind_int(st, 8, apparent);
    else
        stmt_bind_null(st, 8);
    stmt_bind_int(st, 9, 1);
    stmt_bind_int(st, 10, cell);
    stmt_bind_text(st, 11, cell ? cell_reason : NULL);
    stmt_bind_text(st, 12, arrived);
    stmt_bind_text(st, 13, u && u->team[0] ? u->team : NULL);
    custody_bind_user(st, 14, u);
    stmt_bind_text(st, 15, ts);
    stmt_bind_text(st, 16, ts);
    int64_t id;
    rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);

    st = store_prepare(s, SQL_CU_AGE_INSERT);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, arrived);
    stmt_bind_text(st, 3, "booked");
    if (stated >= 0)
        stmt_bind_int(st, 4, stated);
    else
        stmt_bind_null(st, 4);
    if (apparent >= 0)
        stmt_bind_int(st, 5, apparent);
    else
        stmt_bind_null(st, 5);
    stmt_bind_null(st, 6);
    stmt_bind_null(st, 7);
    stmt_bind_null(st, 8);
    stmt_bind_int(st, 9, 1);
    custody_bind_user(st, 10, u);
    stmt_bind_text(st, 11, ts);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return custody_fail_store(s, rc, err);

    char text[2 * TEXT];
    snprintf(text, sizeof(text), "Booked in at %s. Grounds: %s.%s%s", jstr(body, "suite"),
             jstr(body, "grounds"), cell ? " Placed in a cell: " : " Not placed in a cell.",
             cell ? cell_reason : "");
    if ((rc = custody_event(s, id, arrived, "booked_in", text, u, now)) != STORE_OK)
        return custody_fail_store(s, rc, err);
    return custody_finish(s, id, now, err) < 0 ? -1 : id;
}

/* ---- reading ----------------------------------------------------------------------------- */

/* Seconds as "3 h 20 min" / "2 days 4 h". */
static json_t *duration_text(int64_t secs)
{
    char t[48];
    duration_words(secs, t, sizeof(t));
    return json_string(t);
}

static json_t *person_json(struct store *s, int64_t pid, const struct user *viewer,
                           const char *on_ts)
{
    struct stmt *st = store_prepare(s, SQL_CU_PERSON);
    json_t *o = NULL;
    if (st) {
        stmt_bind_int(st, 1, pid);
        if (stmt_step(st) == STORE_ROW && (!viewer || auth_person_visible(s, pid, viewer))) {
            int age = age_at(stmt_is_null(st, 2) ? NULL : stmt_text(st, 2), on_ts);
            o = json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)pid, "given_name",
                          stmt_text(st, 0), "family_name", stmt_text(st, 1), "dob",
                          stmt_json_text(st, 2), "age_by_dob",
                          age >= 0 ? json_integer(age) : json_null());
        }
        stmt_reset(st);
    }
    return o ? o : json_pack("{s:I, s:b}", "id", (json_int_t)pid, "restricted", 1);
}

/* What the age evidence says: verified_adult, verified_child, disputed (the
 * sources disagree across 18), unknown (nothing known) or child. */
static const char *age_status(const json_t *o, const json_t *person, const json_t *history)
{
    if (!json_is_true(json_object_get(o, "treated_as_child")))
        return "verified_adult";
    size_t i;
    const json_t *e;
    json_array_foreach(history, i,
                       e) if (strcmp(jstr(e, "kind"), "verified") == 0) return "verified_child";
    const char *keys[] = {"stated_age", "apparent_age"};
    int known = 0, adult = 0;
    for (int k = 0; k < 2; k++)
        if (json_is_integer(json_object_get(o, keys[k]))) {
            known++;
            adult += json_integer_value(json_object_get(o, keys[k])) >= 18;
        }
    const json_t *by_dob = json_object_get(person, "age_by_dob");
    if (json_is_integer(by_dob)) {
        known++;
        adult += json_integer_value(by_dob) >= 18;
    }
    return !known ? "unknown" : adult ? "disputed" : "child";
}

json_t *custody_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = custody_core_get(s, id);
    if (!o)
        return NULL;
    json_object_del(o, "visit_from");
    json_object_del(o, "concern");
    int64_t arrived = 0, end = now, t = 0;
    ts_parse(jstr(o, "arrived_at"), &arrived);
    bool released = jstr(o, "released_at") != NULL;
    if (released)
        ts_parse(jstr(o, "released_at"), &end);
    json_t *person = person_json(s, json_integer_value(json_object_get(o, "person_id")), viewer,
                                 jstr(o, "arrived_at"));
    json_object_set_new(o, "person", person);
    json_object_set_new(o, "in_custody_for", duration_text(end - arrived));

    static const struct column_spec ag[] = {{"at", 's'},
                                            {"kind", 's'},
                                            {"stated_age", 'i'},
                                            {"apparent_age", 'i'},
                                            {"verified_age", 'i'},
                                            {"basis", 's'},
                                            {"detail", 's'},
                                            {"treated_as_child", 'b'},
                                            {"by", 's'}};
    json_t *history = store_rows_by_id(s, SQL_CU_AGE_EVENTS, id, ag, 9);
    json_object_set_new(o, "age",
                        json_pack("{s:s, s:O, s:o}", "status", age_status(o, person, history),
                                  "treated_as_child", json_object_get(o, "treated_as_child"),
                                  "history", history));

    /* The appropriate adult's clock: running from the request. */
    const struct rule *r2 = rules_find("custody.aa_arrival_sergeant");
    const struct rule *r4 = rules_find("custody.aa_arrival_inspector");
    json_t *aa = json_pack(
        "{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "requested_at",
        json_object_get(o, "aa_requested_at"), "source", json_object_get(o, "aa_source"), "name",
        json_object_get(o, "aa_name"), "role", json_object_get(o, "aa_role"), "arrived_at",
        json_object_get(o, "aa_arrived_at"), "delay_cause", json_object_get(o, "aa_delay_cause"),
        "delay_reason", json_object_get(o, "aa_delay_reason"));
    if (jstr(o, "aa_requested_at")) {
        int64_t req = 0, stop = now;
        ts_parse(jstr(o, "aa_requested_at"), &req);
        if (jstr(o, "aa_arrived_at"))
            ts_parse(jstr(o, "aa_arrived_at"), &stop);
        else if (released)
            stop = end;
        int64_t waited = stop - req;
        int sergeant = r2 ? rules_minutes(r2) : 120, inspector = r4 ? rules_minutes(r4) : 240;
        json_object_set_new(aa, "waiting", json_boolean(!jstr(o, "aa_arrived_at") && !released));
        json_object_set_new(aa, "minutes", json_integer((json_int_t)(waited / 60)));
        json_object_set_new(aa, "elapsed", duration_text(waited));
        json_object_set_new(aa, "escalation_minutes", json_pack("[i, i]", sergeant, inspector));
        json_object_set_new(aa, "escalated_to",
                            waited > (int64_t)inspector * 60  ? json_string("inspector")
                            : waited > (int64_t)sergeant * 60 ? json_string("custody_sergeant")
                                                              : json_null());
    }
    json_object_set_new(o, "appropriate_adult", aa);

    /* Detention reviews and welfare visits: what was done, what is next. */
    static const struct column_spec rv[] = {
        {"at", 's'}, {"decision", 's'}, {"note", 's'}, {"by", 's'}};
    json_object_set_new(o, "reviews", store_rows_by_id(s, SQL_CU_REVIEWS, id, rv, 4));
    static const struct column_spec vs[] = {{"at", 's'}, {"condition", 's'}, {"by", 's'}};
    json_object_set_new(o, "visits", store_rows_by_id(s, SQL_CU_VISITS, id, vs, 3));
    static const struct column_spec iv[] = {{"at", 's'},     {"aa_present", 'b'},
                                            {"urgent", 'b'}, {"urgent_reason", 's'},
                                            {"note", 's'},   {"by", 's'}};
    json_object_set_new(o, "interviews", store_rows_by_id(s, SQL_CU_INTERVIEWS, id, iv, 6));

    /* The voice of the child. */
    struct stmt *st = store_prepare(s, SQL_CU_VOICE_GET);
    json_t *voice = json_null();
    if (st) {
        stmt_bind_int(st, 1, id);
        if (stmt_step(st) == STORE_ROW) {
            json_t *beh = json_array();
            if (!stmt_is_null(st, 5)) {
                char b[256];
                snprintf(b, sizeof(b), "%s", stmt_text(st, 5));
                for (char *save = NULL, *tk = strtok_r(b, ",", &save); tk;
                     tk = strtok_r(NULL, ",", &save))
                    json_array_append_new(beh, json_string(tk));
            }
            voice = json_pack("{s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "seen",
                              stmt_int(st, 0) != 0, "seen_alone", stmt_int(st, 1) != 0, "spoken_to",
                              stmt_int(st, 2) != 0, "words", stmt_json_text(st, 3), "views_wishes",
                              stmt_json_text(st, 4), "behaviour", beh, "demeanour",
                              stmt_json_text(st, 6), "not_spoken_reason", stmt_json_text(st, 7),
                              "not_spoken_detail", stmt_json_text(st, 8), "recorded_at",
                              stmt_text(st, 9), "recorded_by_name", stmt_json_text(st, 10));
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "voice", voice);

    /* s38(6): held overnight after charge. */
    bool overnight = false;
    if (jstr(o, "charged_at") && strcmp(jstr(o, "outcome"), "charged_refused_bail") == 0 &&
        json_is_true(json_object_get(o, "treated_as_child"))) {
        ts_parse(jstr(o, "charged_at"), &t);
        overnight = custody_held_overnight(t, end);
    }
    json_object_set_new(o, "held_overnight", json_boolean(overnight));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "custody_record", id, now));
    static const struct column_spec ev[] = {{"id", 'i'},   {"at", 's'}, {"kind", 's'},
                                            {"text", 's'}, {"by", 's'}, {"recorded_at", 's'}};
    json_object_set_new(o, "timeline", store_rows_by_id(s, SQL_CU_EVENTS, id, ev, 6));
    static const struct column_spec rf[] = {
        {"id", 'i'}, {"reference", 's'}, {"status", 's'}, {"sent_at", 's'}, {"linked_at", 's'}};
    json_object_set_new(o, "referrals", store_rows_by_id(s, SQL_CU_REFERRALS, id, rf, 5));
    return o;
}

json_t *custody_list(struct store *s, const char *status, const struct user *viewer, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_CU_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, status ? status : "in_custody");
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t pid = stmt_int(st, 2), arrived = 0, end = now, charged = 0;
        ts_parse(stmt_text(st, 6), &arrived);
        if (!stmt_is_null(st, 13))
            ts_parse(stmt_text(st, 13), &end);
        bool waiting = !stmt_is_null(st, 9) && stmt_is_null(st, 10) && stmt_is_null(st, 13);
        int64_t req = 0;
        if (waiting)
            ts_parse(stmt_text(st, 9), &req);
        bool overnight = false;
        if (!stmt_is_null(st, 12) && stmt_int(st, 8) && ts_parse(stmt_text(st, 12), &charged) == 0)
            overnight = custody_held_overnight(charged, end);
        const char *due = stmt_is_null(st, 15) ? NULL : stmt_text(st, 15);
        json_t *e = json_pack(
            "{s:I, s:s, s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:b}", "id",
            (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "person_id",
            (json_int_t)pid, "status", stmt_text(st, 5), "arrived_at", stmt_text(st, 6), "suite",
            stmt_text(st, 7), "treated_as_child", stmt_int(st, 8) != 0, "outcome",
            stmt_json_text(st, 11), "local_authority", stmt_json_text(st, 14), "in_custody_for",
            duration_text(end - arrived), "aa_waiting_minutes",
            waiting ? json_integer((json_int_t)((now - req) / 60)) : json_null(), "next_task_due",
            due ? json_string(due) : json_null(), "task_overdue", due && strcmp(due, now_ts) < 0,
            "released_at", stmt_json_text(st, 13), "held_overnight", overnight);
        /* The appropriate adult's times, for the list's clock. */
        json_object_set_new(e, "aa_requested_at", stmt_json_text(st, 9));
        json_object_set_new(e, "aa_arrived_at", stmt_json_text(st, 10));
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
    return json_pack("{s:o, s:s}", "records", arr, "status", status ? status : "in_custody");
}

/* ---- the referral to children's social care -------------------------------------------- */

int64_t custody_raise_referral(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = custody_load(s, id, true, err);
    if (!rec)
        return -1;
    const char *note = jstr(body, "note");
    bool expl = json_is_true(json_object_get(rec, "exploitation_concern"));
    bool welf = json_is_true(json_object_get(rec, "welfare_concern"));
    char summary[3 * TEXT];
    snprintf(summary, sizeof(summary),
             "Child in police custody %s at %s, arrived %s. Grounds: %s.%s%s%s%s%s%s",
             jstr(rec, "reference"), jstr(rec, "suite"), jstr(rec, "arrived_at"),
             jstr(rec, "grounds"), expl ? " Exploitation concern." : "",
             welf ? " Welfare concern." : "", jstr(rec, "health") ? " Health: " : "",
             jstr(rec, "health") ? jstr(rec, "health") : "", note ? " " : "", note ? note : "");
    const char *concern_at =
        jstr(rec, "concern_at") ? jstr(rec, "concern_at") : jstr(rec, "arrived_at");
    json_t *b = json_pack("{s:I, s:[s], s:s, s:s, s:s}", "person_id",
                          json_integer_value(json_object_get(rec, "person_id")), "categories",
                          expl ? "child_criminal_exploitation" : "other", "summary", summary,
                          "urgency", jstr(body, "urgency") ? jstr(body, "urgency") : "within_24h",
                          "concern_at", concern_at);
    if (jstr(rec, "concern_detail"))
        json_object_set_new(b, "risk_view", json_string(jstr(rec, "concern_detail")));
    json_decref(rec);
    /* The child's own words, when the voice record has them. */
    struct stmt *st = store_prepare(s, SQL_CU_VOICE_GET);
    if (st) {
        stmt_bind_int(st, 1, id);
        if (stmt_step(st) == STORE_ROW && !stmt_is_null(st, 3))
            json_object_set_new(b, "child_voice", json_string(stmt_text(st, 3)));
        stmt_reset(st);
    }
    int64_t ref = referral_create(s, b, u, now, err);
    json_decref(b);
    if (ref < 0)
        return -1;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    st = store_prepare(s, SQL_CU_REFERRAL_LINK);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, ref);
    stmt_bind_text(st, 3, ts);
    int rc = store_exec_stmt(st);
    char text[120];
    snprintf(text, sizeof(text), "Referral %lld drafted to children's social care from this record",
             (long long)ref);
    if (rc == STORE_OK)
        rc = custody_event(s, id, ts, "referral", text, u, now);
    if (rc != STORE_OK)
        return custody_fail_store(s, rc, err);
    return custody_finish(s, id, now, err) < 0 ? -1 : ref;
}

int custody_referral_sent(struct store *s, int64_t referral_id, int64_t now,
                          struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_CU_BY_REFERRAL);
    if (!st)
        return custody_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, referral_id);
    int64_t ids[16];
    int n = 0;
    while (n < 16 && stmt_step(st) == STORE_ROW)
        ids[n++] = stmt_int(st, 0);
    stmt_reset(st);
    for (int i = 0; i < n; i++) {
        char ts[TS_TEXT_LEN];
        ts_format(now, ts);
        int rc = custody_event(s, ids[i], ts, "referral_sent",
                               "Referral sent to children's social care", NULL, now);
        if (rc != STORE_OK)
            return custody_fail_store(s, rc, err);
        if (custody_finish(s, ids[i], now, err) < 0)
            return -1;
    }
    return 0;
}
