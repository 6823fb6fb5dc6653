/*
 * missing_actions.c — what is done during and after a missing episode
 * (DOMAIN.md R3): timeline entries (actions, enquiries, sightings, notes),
 * risk information with its source, supervisory reviews that regrade the
 * risk and restart the review clock, the return, the prevention interview,
 * exploitation indicators (which raise the risk while the child is missing,
 * flag the person and need a referral), the return home interview, links to
 * other episodes, closure, and the Philomena profile.
 *
 * Each action loads the episode for a change, checks what it needs, writes,
 * adds to the timeline and ends in missing_finish_change().
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/missing/missing.h"
#include "modules/missing/missing_internal.h"
#include "modules/missing/missing_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
const struct field missing_event_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = missing_event_kinds},
    {.name = "text", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field missing_risk_info_fields[] = {
    {.name = "info", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "source", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "source_contact", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "obtained_at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field missing_review_fields[] = {
    {.name = "risk", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = missing_risks},
    {.name = "rationale", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field missing_return_fields[] = {
    {.name = "returned_at", .type = FIELD_TIMESTAMP},
    {.name = "location", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "found_by", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "state", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = missing_returned_states},
    {.name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field missing_interview_fields[] = {
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "where_they_were", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "with_whom", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "exploitation_cse", .type = FIELD_BOOL},
    {.name = "exploitation_cce", .type = FIELD_BOOL},
    {.name = "exploitation_notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field missing_exploitation_fields[] = {
    {.name = "exploitation_cse", .type = FIELD_BOOL},
    {.name = "exploitation_cce", .type = FIELD_BOOL},
    {.name = "notes", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field missing_referral_fields[] = {
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field missing_rhi_referral_fields[] = {
    {.name = "local_authority", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {0}};
const struct field missing_rhi_outcome_fields[] = {
    {.name = "outcome", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = missing_rhi_outcomes},
    {.name = "at", .type = FIELD_TIMESTAMP},
    {.name = "notes", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field missing_link_fields[] = {
    {.name = "reference", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 32},
    {.name = "reason", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = missing_link_reasons},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 1000},
    {0}};
const struct field missing_close_fields[] = {
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field missing_profile_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 0, .max = ID_MAX},
    {.name = "description", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "photo_ref", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "contacts", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "places_frequented", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "carer", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "carer_contact", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {0}};
/* clang-format on */

/* A time given in the body (or now), not in the future and not before
 * `not_before` (a field of the episode). Writes it to out; -1 with err. */
static int when(const json_t *body, const char *key, const json_t *rec, const char *not_before,
                int64_t now, char out[TS_TEXT_LEN], struct domain_error *err)
{
    int64_t t = now;
    const char *given = jstr(body, key);
    if (given) {
        ts_parse(given, &t);
        if (t > now)
            return domain_fail(err, 422, "invalid_field", key, "'%s' must not be in the future",
                               key);
        const char *floor = not_before ? jstr(rec, not_before) : NULL;
        if (floor && strcmp(given, floor) < 0)
            return domain_fail(err, 422, "invalid_field", key,
                               "'%s' must not be before the episode's %s (%s)", key, not_before,
                               floor);
    }
    ts_format(t, out);
    return 0;
}

static int fail_store(struct store *s, int rc, struct domain_error *err)
{
    return domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
}

static bool holds_role(const struct user *u, const char *role)
{
    if (!u)
        return false;
    size_t n = strlen(role);
    for (const char *p = u->roles; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, role, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

int missing_add_event(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = when(body, "at", rec, "reported_at", now, at, err);
    json_decref(rec);
    if (rc < 0)
        return -1;
    const char *kind = jstr(body, "kind");
    if ((rc = missing_event(s, id, at, kind, jstr(body, "text"), NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    /* Anything done to find the child starts the response: the first
     * action clock stops at the earliest. */
    if (strcmp(kind, "note") != 0) {
        struct stmt *st = store_prepare(s, SQL_MIS_FIRST_ACTION);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, at);
        stmt_bind_int(st, 2, id);
        stmt_bind_text(st, 3, at);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            return fail_store(s, rc, err);
    }
    return missing_finish_change(s, id, now, err);
}

int missing_add_risk_info(struct store *s, int64_t id, const json_t *body, const struct user *u,
                          int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN], ts[TS_TEXT_LEN];
    ts_format(now, ts);
    int rc = when(body, "obtained_at", rec, NULL, now, at, err);
    json_decref(rec);
    if (rc < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_MIS_RISK_INFO_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, jstr(body, "info"));
    stmt_bind_text(st, 3, jstr(body, "source"));
    stmt_bind_text(st, 4, jstr(body, "source_contact"));
    stmt_bind_text(st, 5, at);
    missing_bind_user(st, 6, u);
    stmt_bind_text(st, 7, ts);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return fail_store(s, rc, err);
    char text[TEXT + 256];
    snprintf(text, sizeof(text), "Risk information from %s: %s", jstr(body, "source"),
             jstr(body, "info"));
    if ((rc = missing_event(s, id, at, "risk_info", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

/* Sets a new risk (the review clock keeps running from the last review, so
 * a raised risk can make a review due, or overdue, at once). */
static int set_risk(struct store *s, int64_t id, const char *risk, const char *rationale,
                    const char *ts)
{
    struct stmt *st = store_prepare(s, SQL_MIS_SET_RISK);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, risk);
    stmt_bind_text(st, 2, rationale);
    stmt_bind_text(st, 3, ts);
    stmt_bind_int(st, 4, id);
    return store_exec_stmt(st);
}

int missing_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    if (strcmp(jstr(rec, "status"), "missing") != 0) {
        domain_fail(err, 409, "not_missing", NULL,
                    "episode %s is no longer missing: reviews are for a child still missing",
                    jstr(rec, "reference"));
        json_decref(rec);
        return -1;
    }
    char ts[TS_TEXT_LEN], due[TS_TEXT_LEN], before[16], last[TS_TEXT_LEN];
    ts_format(now, ts);
    snprintf(before, sizeof(before), "%s", jstr(rec, "risk"));
    snprintf(last, sizeof(last), "%s", jstr(rec, "last_reviewed_at"));
    json_decref(rec);
    /* The deadline this review answers: the last review plus the interval
     * of the risk in force until now. */
    char rule_id[48];
    snprintf(rule_id, sizeof(rule_id), "missing.review_%s", before);
    const struct rule *r = rules_find(rule_id);
    int64_t from = now;
    ts_parse(last, &from);
    ts_format(from + (int64_t)(r ? rules_minutes(r) : 0) * 60, due);

    const char *risk = jstr(body, "risk"), *why = jstr(body, "rationale");
    bool inspector = holds_role(u, "inspector");
    struct stmt *st = store_prepare(s, SQL_MIS_REVIEW_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, due);
    stmt_bind_text(st, 4, before);
    stmt_bind_text(st, 5, risk);
    stmt_bind_text(st, 6, why);
    stmt_bind_int(st, 7, inspector);
    missing_bind_user(st, 8, u);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && strcmp(risk, before) != 0)
        rc = set_risk(s, id, risk, why, ts);
    if (rc == STORE_OK) {
        st = store_prepare(s, SQL_MIS_REVIEWED);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, inspector);
        stmt_bind_text(st, 3, ts);
        stmt_bind_int(st, 4, id);
        rc = store_exec_stmt(st);
    }
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    char text[TEXT + 256];
    if (strcmp(risk, before) != 0)
        snprintf(text, sizeof(text), "%s review: risk %s to %s. %s",
                 inspector ? "Inspector's" : "Supervisor's",
                 missing_risk_rank(risk) < missing_risk_rank(before) ? "raised" : "lowered", risk,
                 why);
    else
        snprintf(text, sizeof(text), "%s review: risk stays %s. %s",
                 inspector ? "Inspector's" : "Supervisor's", risk, why);
    if ((rc = missing_event(s, id, ts, "review", text, risk, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

int missing_return(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    if (strcmp(jstr(rec, "status"), "missing") != 0) {
        domain_fail(err, 409, "already_returned", NULL,
                    "episode %s already has its return recorded", jstr(rec, "reference"));
        json_decref(rec);
        return -1;
    }
    char at[TS_TEXT_LEN];
    int rc = when(body, "returned_at", rec, "last_seen_at", now, at, err);
    json_decref(rec);
    if (rc < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_MIS_RETURN);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, jstr(body, "location"));
    stmt_bind_text(st, 3, jstr(body, "found_by"));
    stmt_bind_text(st, 4, jstr(body, "state"));
    stmt_bind_text(st, 5, jstr(body, "notes"));
    stmt_bind_int(st, 6, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return fail_store(s, rc, err);
    char text[1024];
    snprintf(text, sizeof(text), "Returned at %.300s, found by %.200s; state: %s",
             jstr(body, "location"), jstr(body, "found_by"), jstr(body, "state"));
    if ((rc = missing_event(s, id, at, "returned", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

/* Records indicators of child sexual (cse) or criminal (cce) exploitation.
 * Newly indicated: the person is flagged, the timeline says so, and while
 * the child is still missing the risk rises one level. Indicators once
 * recorded stay recorded. */
static int apply_exploitation(struct store *s, int64_t id, const json_t *rec, bool cse, bool cce,
                              const char *notes, const struct user *u, int64_t now,
                              struct domain_error *err)
{
    bool had = json_is_true(json_object_get(rec, "exploitation_cse")) ||
               json_is_true(json_object_get(rec, "exploitation_cce"));
    cse = cse || json_is_true(json_object_get(rec, "exploitation_cse"));
    cce = cce || json_is_true(json_object_get(rec, "exploitation_cce"));
    if (!cse && !cce && !notes)
        return 0;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_MIS_EXPLOITATION);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, cse);
    stmt_bind_int(st, 2, cce);
    stmt_bind_text(st, 3, notes ? notes : jstr(rec, "exploitation_notes"));
    if (cse || cce)
        stmt_bind_text(st, 4, ts);
    else
        stmt_bind_null(st, 4);
    stmt_bind_int(st, 5, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    if (had || (!cse && !cce))
        return 0;
    char text[TEXT + 256];
    snprintf(text, sizeof(text), "Exploitation indicators: %s%s%s. %s",
             cse ? "child sexual exploitation" : "", cse && cce ? " and " : "",
             cce ? "child criminal exploitation" : "", notes ? notes : "");
    if ((rc = missing_event(s, id, ts, "exploitation", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    char day[DATE_TEXT_LEN], note[128];
    struct civil_date d = date_of_ts(ts_uk_local(now));
    date_format(&d, day);
    snprintf(note, sizeof(note), "Indicated in missing episode %s", jstr(rec, "reference"));
    st = store_prepare(s, SQL_MIS_FLAG_EXPLOITATION);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, json_integer_value(json_object_get(rec, "person_id")));
    stmt_bind_text(st, 2, day);
    stmt_bind_text(st, 3, note);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return fail_store(s, rc, err);
    const char *risk = jstr(rec, "risk");
    int rank = missing_risk_rank(risk);
    if (strcmp(jstr(rec, "status"), "missing") == 0 && rank > 0 && rank < 3) {
        const char *raised = missing_risks[rank - 1];
        snprintf(text, sizeof(text), "Risk raised from %s to %s: exploitation indicators", risk,
                 raised);
        if ((rc = set_risk(s, id, raised, text, ts)) != STORE_OK ||
            (rc = missing_event(s, id, ts, "risk_change", text, raised, u, now)) != STORE_OK)
            return fail_store(s, rc, err);
    }
    return 0;
}

int missing_prevention_interview(struct store *s, int64_t id, const json_t *body,
                                 const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    int rc = -1;
    char at[TS_TEXT_LEN];
    if (!jstr(rec, "returned_at")) {
        domain_fail(err, 409, "not_returned", NULL,
                    "record the return of %s before the prevention interview",
                    jstr(rec, "reference"));
    } else if (jstr(rec, "prevention_interview_at")) {
        domain_fail(err, 409, "already_recorded", NULL,
                    "the prevention interview for %s is already recorded", jstr(rec, "reference"));
    } else if (when(body, "at", rec, "returned_at", now, at, err) == 0) {
        rc = 0;
    }
    if (rc < 0) {
        json_decref(rec);
        return -1;
    }
    struct stmt *st = store_prepare(s, SQL_MIS_INTERVIEW);
    if (!st) {
        json_decref(rec);
        return fail_store(s, STORE_ERROR, err);
    }
    stmt_bind_text(st, 1, at);
    missing_bind_user(st, 2, u);
    stmt_bind_text(st, 3, jstr(body, "notes"));
    stmt_bind_text(st, 4, jstr(body, "where_they_were"));
    stmt_bind_text(st, 5, jstr(body, "with_whom"));
    stmt_bind_int(st, 6, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK) {
        json_decref(rec);
        return fail_store(s, rc, err);
    }
    char text[2 * TEXT + 64];
    snprintf(text, sizeof(text), "Prevention interview: was at %s%s%s",
             jstr(body, "where_they_were"), jstr(body, "with_whom") ? ", with " : "",
             jstr(body, "with_whom") ? jstr(body, "with_whom") : "");
    if ((rc = missing_event(s, id, at, "prevention_interview", text, NULL, u, now)) != STORE_OK) {
        json_decref(rec);
        return fail_store(s, rc, err);
    }
    rc = apply_exploitation(s, id, rec, jbool(body, "exploitation_cse", 0),
                            jbool(body, "exploitation_cce", 0), jstr(body, "exploitation_notes"), u,
                            now, err);
    json_decref(rec);
    return rc < 0 ? -1 : missing_finish_change(s, id, now, err);
}

int missing_exploitation(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    bool cse = jbool(body, "exploitation_cse", 0), cce = jbool(body, "exploitation_cce", 0);
    if (!cse && !cce) {
        json_decref(rec);
        return domain_fail(err, 422, "missing_field", "exploitation_cse",
                           "say which indicators were seen: 'exploitation_cse' (sexual) and/or "
                           "'exploitation_cce' (criminal)");
    }
    int rc = apply_exploitation(s, id, rec, cse, cce, jstr(body, "notes"), u, now, err);
    json_decref(rec);
    return rc < 0 ? -1 : missing_finish_change(s, id, now, err);
}

int missing_referral(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_MIS_REFERRAL);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_text(st, 2, jstr(body, "note"));
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    char text[TEXT + 64];
    snprintf(text, sizeof(text), "Referral to children's social care: %s", jstr(body, "note"));
    if ((rc = missing_event(s, id, ts, "referral", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

int missing_referral_sent(struct store *s, int64_t id, const char *reference, const struct user *u,
                          int64_t now, struct domain_error *err)
{
    /* Closed or not: the referral's record belongs on the episode. */
    json_t *rec = missing_load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    bool first = !jstr(rec, "referral_recorded_at");
    json_decref(rec);
    char ts[TS_TEXT_LEN], note[96];
    ts_format(now, ts);
    snprintf(note, sizeof(note), "Referral %s sent", reference ? reference : "");
    if (first) {
        struct stmt *st = store_prepare(s, SQL_MIS_REFERRAL);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, ts);
        stmt_bind_text(st, 2, note);
        stmt_bind_int(st, 3, id);
        int rc = store_exec_stmt(st);
        if (rc != STORE_OK)
            return fail_store(s, rc, err);
    }
    int rc = missing_event(s, id, ts, "referral", note, NULL, u, now);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

int missing_rhi_referral(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN], la[256] = "";
    int rc = -1;
    const char *given = jstr(body, "local_authority");
    snprintf(la, sizeof(la), "%s",
             given                         ? given
             : jstr(rec, "responsible_la") ? jstr(rec, "responsible_la")
                                           : "");
    if (!json_is_true(json_object_get(rec, "is_child")))
        domain_fail(err, 409, "not_a_child", NULL,
                    "return home interviews are for children; %s is not a child's episode",
                    jstr(rec, "reference"));
    else if (!jstr(rec, "returned_at"))
        domain_fail(err, 409, "not_returned", NULL,
                    "record the return of %s before asking for a return home interview",
                    jstr(rec, "reference"));
    else if (jstr(rec, "rhi_referred_at"))
        domain_fail(err, 409, "already_recorded", NULL,
                    "the return home interview for %s has already been asked for",
                    jstr(rec, "reference"));
    else if (!la[0])
        domain_fail(err, 422, "missing_field", "local_authority",
                    "name the local authority asked to offer the interview");
    else if (when(body, "at", rec, "returned_at", now, at, err) == 0)
        rc = 0;
    json_decref(rec);
    if (rc < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_MIS_RHI_REFERRAL);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, at);
    stmt_bind_text(st, 2, la);
    stmt_bind_int(st, 3, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return fail_store(s, rc, err);
    char text[512];
    snprintf(text, sizeof(text), "Return home interview asked of %s", la);
    if ((rc = missing_event(s, id, at, "rhi_referral", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

int missing_rhi_outcome(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err)
{
    /* The local authority may report after the episode is closed. */
    json_t *rec = missing_load_for_change(s, id, true, err);
    if (!rec)
        return -1;
    char at[TS_TEXT_LEN];
    int rc = -1;
    if (!jstr(rec, "rhi_referred_at"))
        domain_fail(err, 409, "not_referred", NULL,
                    "no return home interview has been asked for in %s", jstr(rec, "reference"));
    else if (jstr(rec, "rhi_outcome"))
        domain_fail(err, 409, "already_recorded", NULL,
                    "the return home interview's outcome for %s is already recorded",
                    jstr(rec, "reference"));
    else if (when(body, "at", rec, "rhi_referred_at", now, at, err) == 0)
        rc = 0;
    json_decref(rec);
    if (rc < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_MIS_RHI_OUTCOME);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "outcome"));
    stmt_bind_text(st, 2, at);
    stmt_bind_text(st, 3, jstr(body, "notes"));
    stmt_bind_int(st, 4, id);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return fail_store(s, rc, err);
    char text[TEXT + 64];
    snprintf(text, sizeof(text), "Return home interview %s%s%s", jstr(body, "outcome"),
             jstr(body, "notes") ? ": " : "", jstr(body, "notes") ? jstr(body, "notes") : "");
    if ((rc = missing_event(s, id, at, "rhi_outcome", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

int missing_link_pair(struct store *s, int64_t a, int64_t b, const char *reason, const char *note,
                      const struct user *u, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    for (int side = 0; side < 2; side++) {
        int64_t from = side ? b : a, to = side ? a : b;
        struct stmt *st = store_prepare(s, SQL_MIS_LINK_INSERT);
        if (!st)
            return fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, from);
        stmt_bind_int(st, 2, to);
        stmt_bind_text(st, 3, reason);
        stmt_bind_text(st, 4, note);
        missing_bind_user(st, 5, u);
        stmt_bind_text(st, 6, ts);
        int rc = store_exec_stmt(st);
        if (rc != STORE_OK)
            return fail_store(s, rc, err);
        if (store_changes(s) == 0)
            continue; /* already linked */
        json_t *other = missing_core_get(s, to);
        char text[256];
        snprintf(text, sizeof(text), "Linked to %s (%s)", other ? jstr(other, "reference") : "?",
                 reason);
        json_decref(other);
        if ((rc = missing_event(s, from, ts, "link", text, NULL, u, now)) != STORE_OK)
            return fail_store(s, rc, err);
    }
    return 0;
}

int missing_link(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
                 struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_MIS_BY_REFERENCE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, jstr(body, "reference"));
    int64_t other = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    if (!other)
        return domain_fail(err, 422, "invalid_field", "reference",
                           "'reference': there is no missing episode %s", jstr(body, "reference"));
    if (other == id)
        return domain_fail(err, 422, "invalid_field", "reference",
                           "'reference': an episode cannot be linked to itself");
    if (missing_link_pair(s, id, other, jstr(body, "reason"), jstr(body, "note"), u, now, err) < 0)
        return -1;
    if (missing_finish_change(s, other, now, err) < 0)
        return -1;
    return missing_finish_change(s, id, now, err);
}

int missing_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err)
{
    json_t *rec = missing_load_for_change(s, id, false, err);
    if (!rec)
        return -1;
    json_t *needs = missing_close_blockers(rec);
    if (json_array_size(needs)) {
        char list[1024] = "";
        size_t i, n = 0;
        json_t *v;
        json_array_foreach(needs, i, v)
        {
            n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0, "%s%s",
                                  i ? "; " : "", json_string_value(v));
        }
        domain_fail(err, 409, "cannot_close", NULL, "episode %s cannot be closed yet: %s",
                    jstr(rec, "reference"), list);
        json_decref(needs);
        json_decref(rec);
        return -1;
    }
    json_decref(needs);
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_MIS_CLOSE);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_text(st, 2, jstr(body, "note"));
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    char text[TEXT + 32];
    snprintf(text, sizeof(text), "Closed: %s", jstr(body, "note"));
    if ((rc = missing_event(s, id, ts, "closed", text, NULL, u, now)) != STORE_OK)
        return fail_store(s, rc, err);
    return missing_finish_change(s, id, now, err);
}

/* ---- the Philomena profile ----------------------------------------------------------- */

static const char *const profile_keys[] = {"description",   "photo_ref", "carer",
                                           "carer_contact", "contacts",  "places_frequented"};

json_t *missing_profile_get(struct store *s, int64_t person_id, const struct user *viewer,
                            int64_t now, struct domain_error *err)
{
    json_t *f = missing_form(s, person_id, viewer, now, err);
    if (!f)
        return NULL;
    json_t *p = json_incref(json_object_get(f, "philomena"));
    json_t *person = json_incref(json_object_get(f, "person"));
    json_decref(f);
    if (json_is_null(p)) {
        json_decref(p);
        p = json_pack("{s:I, s:i}", "person_id", (json_int_t)person_id, "version", 0);
        for (size_t i = 0; i < sizeof(profile_keys) / sizeof(profile_keys[0]); i++)
            json_object_set_new(p, profile_keys[i], json_null());
    }
    json_object_set_new(p, "person", person);
    return p;
}

int missing_profile_put(struct store *s, int64_t person_id, const json_t *body,
                        const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *cur = missing_profile_get(s, person_id, u, now, err);
    if (!cur)
        return -1;
    int64_t version = json_integer_value(json_object_get(cur, "version"));
    json_decref(cur);
    int64_t given = json_integer_value(json_object_get(body, "version"));
    if (given != version)
        return domain_fail(err, 409, "stale_version", "version",
                           "the profile was changed by someone else (version %lld, not %lld): "
                           "reload it and try again",
                           (long long)version, (long long)given);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, version ? SQL_MIS_PROFILE_UPDATE : SQL_MIS_PROFILE_INSERT);
    if (!st)
        return fail_store(s, STORE_ERROR, err);
    int i = 1;
    if (!version)
        stmt_bind_int(st, i++, person_id);
    stmt_bind_text(st, i++, jstr(body, "description"));
    stmt_bind_text(st, i++, jstr(body, "photo_ref"));
    stmt_bind_text(st, i++, jstr(body, "contacts"));
    stmt_bind_text(st, i++, jstr(body, "places_frequented"));
    stmt_bind_text(st, i++, jstr(body, "carer"));
    stmt_bind_text(st, i++, jstr(body, "carer_contact"));
    missing_bind_user(st, i++, u);
    stmt_bind_text(st, i++, ts);
    if (version) {
        stmt_bind_int(st, i++, person_id);
        stmt_bind_int(st, i++, version);
    }
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return fail_store(s, rc, err);
    if (store_changes(s) != 1)
        return domain_fail(err, 409, "stale_version", "version",
                           "the profile was changed by someone else: reload it and try again");
    return 0;
}
