/*
 * incidents.c — the control room's rules (DOMAIN.md R1, R2): the
 * risk-to-grade floor, what scheduling a child incident needs, attendance
 * against target, re-reviews, repeat and escalating risk, the voice of each
 * child and what closing needs. Every change ends in finish_change(), which
 * bumps the version and re-evaluates the timescales engine's rules in the
 * same transaction.
 */
#include "modules/incidents/incidents.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "core/date.h"
#include "modules/incidents/incidents_sql.h"
#include "modules/referrals/referrals.h"
#include "modules/protection/protection.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const incident_natures[] = {
    "domestic_abuse", "child_concern", "missing_person", "assault",
    "sexual_offence", "antisocial",    "other",          NULL};
const char *const incident_person_roles[] = {
    "subject", "victim", "witness", "child_present", "reporting_person", "suspect", NULL};
/* In rising order of urgency: the index is the grade's rank. */
const char *const incident_grades[] = {"resolved_without_deployment", "scheduled", "priority",
                                       "emergency", NULL};
const char *const voice_behaviours[] = {"withdrawn", "distressed", "fearful", "angry",
                                        "calm",      "upset",      "happy",   "injuries_observed",
                                        "other",     NULL};
const char *const voice_not_spoken_reasons[] = {
    "too_young", "asleep", "refused", "not_present", "language_interpreter_requested",
    "other",     NULL};
static const char *const statuses[] = {"open", "attended", "closed", NULL};

/* ---- the risk-to-grade floor (DOMAIN.md R1, local policy) -----------------
 * One row per THRIVE risk factor: when the latest assessment records it, the
 * incident's grade must be at least `floor` unless a supervisor authorises
 * less with a reason. Add a factor here (and to the thrive table) to add a
 * rule; nothing else needs to change. */
static const struct grade_floor {
    const char *factor;
    const char *floor;
    const char *why;
} grade_floors[] = {
    {"child_immediate_risk", "emergency", "a child is at immediate risk of significant harm"},
    {"domestic_abuse_child_present", "priority", "domestic abuse with a child present"},
    {"child_reported_in_danger", "priority", "a child is reported to be in danger"},
    {"child_victim_violence_or_sexual", "priority",
     "a child is a victim of violence or sexual harm"},
};
#define NFLOORS (sizeof(grade_floors) / sizeof(grade_floors[0]))

static const struct field person_link_fields[] = {
    {.name = "person_id",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 1,
     .max = 9007199254740991LL},
    {.name = "role", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = incident_person_roles},
    {0}};

const struct field incident_create_fields[] = {
    {.name = "received_at", .type = FIELD_TIMESTAMP},
    {.name = "location", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "postcode", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 10},
    {.name = "nature", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = incident_natures},
    {.name = "description", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 4000},
    {.name = "caller_name", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "caller_phone", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 40},
    {.name = "persons", .type = FIELD_ARRAY, .max_len = 30, .children = person_link_fields},
    {0}};

const struct field incident_person_fields[] = {
    {.name = "person_id",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 1,
     .max = 9007199254740991LL},
    {.name = "role", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = incident_person_roles},
    {0}};

const struct field incident_log_fields[] = {
    {.name = "entry", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000}, {0}};

const struct field incident_thrive_fields[] = {
    {.name = "threat", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000},
    {.name = "harm", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000},
    {.name = "risk", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000},
    {.name = "investigation", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000},
    {.name = "vulnerability", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000},
    {.name = "engagement", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 4000},
    /* The risk factors of the grade floor (grade_floors above). */
    {.name = "child_immediate_risk", .type = FIELD_BOOL},
    {.name = "domestic_abuse_child_present", .type = FIELD_BOOL},
    {.name = "child_reported_in_danger", .type = FIELD_BOOL},
    {.name = "child_victim_violence_or_sexual", .type = FIELD_BOOL},
    {0}};

const struct field incident_grade_fields[] = {
    {.name = "grade", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = incident_grades},
    {.name = "grade_reason", .type = FIELD_STRING, .max_len = 2000},
    {.name = "scheduled_for", .type = FIELD_TIMESTAMP},
    {.name = "interim_risk", .type = FIELD_STRING, .max_len = 4000},
    {.name = "supervisor_rationale", .type = FIELD_STRING, .max_len = 4000},
    {.name = "thrive", .type = FIELD_OBJECT, .children = incident_thrive_fields},
    {0}};

const struct field incident_authorise_fields[] = {
    {.name = "reason", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 2000}, {0}};

const struct field incident_review_fields[] = {
    {.name = "note", .type = FIELD_STRING, .max_len = 4000}, {0}};

const struct field incident_attend_fields[] = {
    {.name = "attended_at", .type = FIELD_TIMESTAMP},
    {.name = "note", .type = FIELD_STRING, .max_len = 4000},
    {0}};

const struct field incident_voice_fields[] = {
    {.name = "seen", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "seen_alone", .type = FIELD_BOOL},
    {.name = "spoken_to", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "words", .type = FIELD_STRING, .max_len = 8000},
    {.name = "views_wishes", .type = FIELD_STRING, .max_len = 8000},
    {.name = "behaviour", .type = FIELD_ARRAY, .max_len = 9, .values = voice_behaviours},
    {.name = "demeanour", .type = FIELD_STRING, .max_len = 4000},
    {.name = "not_spoken_reason", .type = FIELD_ENUM, .values = voice_not_spoken_reasons},
    {.name = "not_spoken_detail", .type = FIELD_STRING, .max_len = 2000},
    {0}};

const struct field incident_close_fields[] = {
    {.name = "note", .type = FIELD_STRING, .max_len = 4000}, {0}};

/* ---- errors ----------------------------------------------------------------- */

/* ---- small helpers -------------------------------------------------------------- */

static int grade_rank(const char *g)
{
    for (int i = 0; g && incident_grades[i]; i++)
        if (strcmp(incident_grades[i], g) == 0)
            return i;
    return -1;
}

static void bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u && u->id)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

/* "9 March 2014" for messages. */
static void long_date(const char *iso, char *out, size_t len)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    struct civil_date d;
    if (iso && date_parse(iso, &d) == 0)
        snprintf(out, len, "%d %s %d", d.day, months[d.month - 1], d.year);
    else
        snprintf(out, len, "date of birth not known");
}

/* The address key repeats are matched on: the location lower-cased with
 * runs of space folded, and the postcode upper-cased without spaces; "" when
 * there is no postcode (a location alone is too vague to match on). */
static void address_key(const char *location, const char *postcode, char *out, size_t len)
{
    size_t o = 0;
    if (!postcode || !*postcode) {
        out[0] = '\0';
        return;
    }
    int space = 1;
    for (const char *p = location; *p && o + 1 < len; p++) {
        if (isspace((unsigned char)*p) || *p == ',') {
            space = 1;
            continue;
        }
        if (space && o)
            out[o++] = ' ';
        space = 0;
        if (o + 1 < len)
            out[o++] = (char)tolower((unsigned char)*p);
    }
    if (o + 1 < len)
        out[o++] = '|';
    for (const char *p = postcode; *p && o + 1 < len; p++)
        if (!isspace((unsigned char)*p))
            out[o++] = (char)toupper((unsigned char)*p);
    out[o] = '\0';
}

void incident_address_key(const char *location, const char *postcode, char *out, size_t len)
{
    address_key(location, postcode, out, len);
}

static int append_log(struct store *s, int64_t id, const struct user *u, const char *at,
                      const char *entry)
{
    struct stmt *st = store_prepare(s, SQL_INC_LOG_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at);
    bind_user(st, 3, u);
    stmt_bind_text(st, 4, entry);
    return store_exec_stmt(st);
}

/* ---- the record as the rules see it --------------------------------------------- */

/* The incident's own row as JSON (new reference), or NULL. */
static json_t *core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_INC_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    static const struct {
        const char *key;
        int col;
        char kind; /* t text, i integer, b boolean */
    } cols[] = {{"reference", 1, 't'},
                {"received_at", 2, 't'},
                {"location", 3, 't'},
                {"postcode", 4, 't'},
                {"nature", 5, 't'},
                {"description", 6, 't'},
                {"caller_name", 7, 't'},
                {"caller_phone", 8, 't'},
                {"status", 9, 't'},
                {"grade", 10, 't'},
                {"risk_grade", 11, 't'},
                {"below_risk_grade", 12, 'b'},
                {"grade_reason", 13, 't'},
                {"grade_authorised_by", 14, 'i'},
                {"grade_authorised_at", 15, 't'},
                {"grade_authorisation_reason", 16, 't'},
                {"graded_at", 17, 't'},
                {"scheduled_for", 18, 't'},
                {"interim_risk", 19, 't'},
                {"supervisor_rationale", 20, 't'},
                {"attended_at", 21, 't'},
                {"closed_at", 22, 't'},
                {"last_reviewed_at", 23, 't'},
                {"reassessment_required", 24, 'b'},
                {"escalation_reason", 25, 't'},
                {"officer_id", 26, 'i'},
                {"team", 27, 't'},
                {"version", 28, 'i'},
                {"created_by", 29, 'i'},
                {"created_at", 30, 't'},
                {"updated_at", 31, 't'},
                {"grade_authorised_by_name", 32, 't'},
                {"officer_name", 33, 't'},
                {"address_key", 34, 't'},
                {"reassessment_flagged_at", 35, 't'},
                {"closure_note", 36, 't'},
                {"graded_by_name", 37, 't'},
                {"graded_thrive_id", 38, 'i'},
                {"grade_requested", 39, 't'}};
    json_t *o = json_pack("{s:I}", "id", (json_int_t)stmt_int(st, 0));
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        json_t *v = cols[i].kind == 't'   ? stmt_json_text(st, cols[i].col)
                    : cols[i].kind == 'i' ? stmt_json_int(st, cols[i].col)
                                          : json_boolean(stmt_int(st, cols[i].col) != 0);
        json_object_set_new(o, cols[i].key, v);
    }
    stmt_reset(st);
    return o;
}

/* The first child linked to the incident (0 for none) and how many children
 * still lack a voice record. */
static int64_t first_child(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_INC_CHILDREN);
    if (!st)
        return 0;
    stmt_bind_int(st, 1, id);
    int64_t pid = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    return pid;
}

static int64_t voice_missing_count(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_INC_VOICE_MISSING);
    if (!st)
        return 0;
    stmt_bind_int(st, 1, id);
    int64_t n = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    return n;
}

/* Adds what the rules read beyond the row: involves_child, voice_missing,
 * and last_reviewed_at standing at received_at until the first review. */
static void add_derived(struct store *s, json_t *o, int64_t id)
{
    json_object_set_new(o, "involves_child", json_boolean(first_child(s, id) != 0));
    json_object_set_new(o, "voice_missing", json_boolean(voice_missing_count(s, id) > 0));
    /* A mandatory referral (referrals.c's rules) and whether one was sent. */
    const char *why = referrals_mandatory_reason(s, "incident", id);
    json_object_set_new(o, "referral_required", why ? json_string(why) : json_null());
    json_object_set_new(o, "referral_sent",
                        json_boolean(referrals_sent_for(s, "incident", id) > 0));
    if (json_is_null(json_object_get(o, "last_reviewed_at")))
        json_object_set(o, "last_reviewed_at", json_object_get(o, "received_at"));
    /* A child at immediate risk and no police protection case or decision
     * yet (protection.c): a supervisor decides, from the assessment. */
    char pp_from[TS_TEXT_LEN];
    json_object_set_new(o, "protection_decision_from",
                        protection_incident_pending(s, id, pp_from) ? json_string(pp_from)
                                                                    : json_null());
}

/* Every change ends here: version and updated_at move on, then the
 * timescales engine re-evaluates the incident in this same transaction. */
static int finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INC_TOUCH);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    json_t *rec = core_get(s, id);
    if (!rec)
        return domain_store_fail(err, s, STORE_ERROR);
    add_derived(s, rec, id);
    rc = rules_evaluate(s, "incident", rec, first_child(s, id), now);
    json_decref(rec);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return 0;
}

int incident_rules_refresh(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    json_t *rec = core_get(s, id);
    if (!rec)
        return domain_store_fail(err, s, STORE_ERROR);
    add_derived(s, rec, id);
    int rc = rules_evaluate(s, "incident", rec, first_child(s, id), now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

/* Loads the incident for a change: 404 when missing, 409 when closed. */
static json_t *load_for_change(struct store *s, int64_t id, struct domain_error *err)
{
    json_t *rec = core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no incident with id %lld", (long long)id);
        return NULL;
    }
    if (strcmp(jstr(rec, "status"), "closed") == 0) {
        domain_fail(err, 409, "incident_closed", NULL,
                    "incident %s is closed: it can no longer change", jstr(rec, "reference"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* ---- THRIVE and the floor ---------------------------------------------------------- */

struct thrive_state {
    int present;
    int64_t id;
    int factors[NFLOORS];
    char assessed_at[TS_TEXT_LEN];
};

static void latest_thrive(struct store *s, int64_t id, struct thrive_state *t)
{
    memset(t, 0, sizeof(*t));
    struct stmt *st = store_prepare(s, SQL_THRIVE_LIST);
    if (!st)
        return;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) == STORE_ROW) {
        t->present = 1;
        t->id = stmt_int(st, 0);
        for (size_t i = 0; i < NFLOORS; i++)
            t->factors[i] = stmt_int(st, 7 + (int)i) != 0;
        snprintf(t->assessed_at, sizeof(t->assessed_at), "%s", stmt_text(st, 11));
    }
    stmt_reset(st);
}

/* The minimum grade the assessment supports, or NULL for no floor. */
static const char *floor_of(const struct thrive_state *t)
{
    const char *floor = NULL;
    for (size_t i = 0; i < NFLOORS; i++)
        if (t->factors[i] && grade_rank(grade_floors[i].floor) > grade_rank(floor))
            floor = grade_floors[i].floor;
    return floor;
}

static int insert_thrive(struct store *s, int64_t id, const json_t *b, const struct user *u,
                         const char *ts, struct domain_error *err)
{
    static const char *const texts[] = {"threat",        "harm",          "risk",
                                        "investigation", "vulnerability", "engagement"};
    struct stmt *st = store_prepare(s, SQL_THRIVE_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    for (int i = 0; i < 6; i++)
        stmt_bind_text(st, 2 + i, jstr(b, texts[i]));
    for (size_t i = 0; i < NFLOORS; i++)
        stmt_bind_int(st, 8 + (int)i, jbool(b, grade_floors[i].factor, 0));
    bind_user(st, 12, u);
    stmt_bind_text(st, 13, ts);
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

/* After a new assessment: the floor moves, the grade's standing against it
 * is recomputed, and an authorisation given against the old floor lapses
 * when the grade newly falls below. A pending re-assessment is satisfied. */
static int apply_thrive(struct store *s, int64_t id, json_t *rec, const struct user *u,
                        const char *ts, struct domain_error *err)
{
    struct thrive_state t;
    latest_thrive(s, id, &t);
    const char *floor = floor_of(&t);
    /* The grade that matters is the one asked for: in effect, or waiting. */
    const char *requested = jstr(rec, "grade_requested");
    const char *grade = requested ? requested : jstr(rec, "grade");
    int below = grade && floor && grade_rank(grade) < grade_rank(floor);
    int was_below = json_is_true(json_object_get(rec, "below_risk_grade"));
    struct stmt *st = store_prepare(s, SQL_INC_SET_RISK);
    stmt_bind_text(st, 1, floor);
    stmt_bind_int(st, 2, below);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && below && (!was_below || requested)) {
        /* Newly below (an earlier authorisation lapses), or still waiting
         * under a floor that moved: the floor is the grade in effect. */
        char wanted[40];
        snprintf(wanted, sizeof(wanted), "%s", grade);
        st = store_prepare(s, SQL_INC_REQUEST_BELOW);
        stmt_bind_text(st, 1, wanted);
        stmt_bind_text(st, 2, floor);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
    } else if (rc == STORE_OK && !below && requested) {
        st = store_prepare(s, SQL_INC_APPLY_REQUESTED);
        stmt_bind_int(st, 1, id);
        rc = store_exec_stmt(st);
    }
    if (rc == STORE_OK && json_is_true(json_object_get(rec, "reassessment_required"))) {
        st = store_prepare(s, SQL_INC_CLEAR_REASSESS);
        stmt_bind_int(st, 1, id);
        rc = store_exec_stmt(st);
    }
    if (rc == STORE_OK) {
        char entry[200];
        snprintf(entry, sizeof(entry), "THRIVE assessment recorded%s%s%s",
                 floor ? ": the risk supports at least " : "", floor ? floor : "",
                 below ? " (the current grade is below it)" : "");
        rc = append_log(s, id, u, ts, entry);
    }
    (void)u;
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

/* ---- repeat and escalating incidents ------------------------------------------------ */

static void window_bounds(const json_t *rec, char from[TS_TEXT_LEN], char to[TS_TEXT_LEN])
{
    int64_t recv = 0;
    ts_parse(jstr(rec, "received_at"), &recv);
    ts_format(recv - (int64_t)INCIDENT_REPEAT_WINDOW_DAYS * 86400, from);
    ts_format(recv, to);
}

static json_t *prior_json(struct stmt *st)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)stmt_int(st, 0), "reference",
                     stmt_text(st, 1), "received_at", stmt_text(st, 2), "nature", stmt_text(st, 3),
                     "grade", stmt_json_text(st, 4));
}

/* Prior incidents within the window: {same_child, same_address, same_adults},
 * each incident once per list. When counts is given, the most incidents
 * (this one included) for one child, and at the address, are written there,
 * with the child's name. */
static json_t *prior_incidents(struct store *s, const json_t *rec, const struct user *viewer,
                               int *child_max, char *child_name, size_t child_name_len,
                               int *address_count)
{
    int64_t id = json_integer_value(json_object_get(rec, "id"));
    char from[TS_TEXT_LEN], to[TS_TEXT_LEN];
    window_bounds(rec, from, to);
    json_t *out = json_object();
    static const char *const keys[] = {"same_adults", "same_child"};
    if (child_max)
        *child_max = 1;
    for (int child = 0; child <= 1; child++) {
        json_t *list = json_array(), *seen = json_object();
        json_t *per_person = json_object();
        struct stmt *st = store_prepare(s, SQL_INC_SAME_PERSON);
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, child);
        stmt_bind_text(st, 3, from);
        stmt_bind_text(st, 4, to);
        while (st && stmt_step(st) == STORE_ROW) {
            int64_t pid = stmt_int(st, 5);
            char pkey[32];
            snprintf(pkey, sizeof(pkey), "%lld", (long long)pid);
            json_int_t n = json_integer_value(json_object_get(per_person, pkey)) + 1;
            json_object_set_new(per_person, pkey, json_integer(n));
            if (child && child_max && n + 1 > *child_max) {
                *child_max = (int)n + 1;
                snprintf(child_name, child_name_len, "%s %s", stmt_text(st, 6), stmt_text(st, 7));
            }
            char ikey[32];
            snprintf(ikey, sizeof(ikey), "%lld", (long long)stmt_int(st, 0));
            if (json_object_get(seen, ikey))
                continue;
            json_object_set_new(seen, ikey, json_true());
            json_t *p = prior_json(st);
            int visible = !viewer || auth_person_visible(s, pid, viewer);
            json_object_set_new(p, "person_id", json_integer(pid));
            json_object_set_new(p, "person_name",
                                visible ? json_sprintf("%s %s", stmt_text(st, 6), stmt_text(st, 7))
                                        : json_string("Restricted record"));
            json_array_append_new(list, p);
        }
        if (st)
            stmt_reset(st);
        json_decref(seen);
        json_decref(per_person);
        json_object_set_new(out, keys[child], list);
    }
    json_t *addr = json_array();
    const char *key = jstr(rec, "address_key");
    if (key && *key) {
        struct stmt *st = store_prepare(s, SQL_INC_SAME_ADDRESS);
        stmt_bind_text(st, 1, key);
        stmt_bind_int(st, 2, id);
        stmt_bind_text(st, 3, from);
        stmt_bind_text(st, 4, to);
        while (st && stmt_step(st) == STORE_ROW)
            json_array_append_new(addr, prior_json(st));
        if (st)
            stmt_reset(st);
    }
    if (address_count)
        *address_count = (int)json_array_size(addr) + 1;
    json_object_set_new(out, "same_address", addr);
    json_object_set_new(out, "window_days", json_integer(INCIDENT_REPEAT_WINDOW_DAYS));
    return out;
}

/* The third incident in the window for a child or an address requires
 * re-assessment (DOMAIN.md R1). Flags the incident unless it already
 * carries this same reason (a re-assessment already answered it). */
static int check_escalation(struct store *s, int64_t id, const char *ts, struct domain_error *err)
{
    json_t *rec = core_get(s, id);
    if (!rec)
        return domain_store_fail(err, s, STORE_ERROR);
    int child_max = 1, addr_count = 1;
    char name[256] = "";
    json_t *h = prior_incidents(s, rec, NULL, &child_max, name, sizeof(name), &addr_count);
    json_decref(h);
    char reason[512] = "";
    if (child_max >= INCIDENT_REPEAT_REASSESS_COUNT)
        snprintf(reason, sizeof(reason), "%d incidents in %d days involving %s", child_max,
                 INCIDENT_REPEAT_WINDOW_DAYS, name);
    if (addr_count >= INCIDENT_REPEAT_REASSESS_COUNT) {
        size_t l = strlen(reason);
        snprintf(reason + l, sizeof(reason) - l, "%s%d incidents in %d days at this address",
                 l ? "; " : "", addr_count, INCIDENT_REPEAT_WINDOW_DAYS);
    }
    const char *cur = jstr(rec, "escalation_reason");
    int rc = STORE_OK;
    if (reason[0] && (!cur || strcmp(cur, reason) != 0)) {
        struct stmt *st = store_prepare(s, SQL_INC_FLAG_REASSESS);
        stmt_bind_text(st, 1, ts);
        stmt_bind_text(st, 2, reason);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
        if (rc == STORE_OK) {
            char entry[600];
            snprintf(entry, sizeof(entry), "Re-assessment required: %s", reason);
            rc = append_log(s, id, NULL, ts, entry);
        }
    }
    json_decref(rec);
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

/* ---- people ------------------------------------------------------------------------ */

/* Links one person; is_child is fixed on the incident's date. Returns 1 when
 * linked, 0 when the link already existed, -1 with err. */
static int link_one(struct store *s, int64_t id, const char *received_at, const json_t *p,
                    const char *field_prefix, const struct user *u, const char *ts,
                    struct domain_error *err)
{
    int64_t pid = json_integer_value(json_object_get(p, "person_id"));
    char f[64];
    snprintf(f, sizeof(f), "%sperson_id", field_prefix);
    struct stmt *st = store_prepare(s, SQL_INC_PERSON_DOB);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, pid);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return domain_fail(err, 422, "invalid_field", f, "'%s': there is no person with id %lld", f,
                           (long long)pid);
    }
    char dob[DATE_TEXT_LEN + 1] = "";
    if (!stmt_is_null(st, 0))
        snprintf(dob, sizeof(dob), "%s", stmt_text(st, 0));
    stmt_reset(st);
    if (u && !auth_person_visible(s, pid, u))
        return domain_fail(err, 422, "invalid_field", f, "'%s': there is no person with id %lld", f,
                           (long long)pid);
    int64_t recv = 0;
    ts_parse(received_at, &recv);
    struct civil_date d, on = date_of_ts(recv);
    int is_child = -1;
    if (dob[0] && date_parse(dob, &d) == 0)
        is_child = is_child_on(&d, &on);
    st = store_prepare(s, SQL_INC_PERSON_LINK);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, pid);
    stmt_bind_text(st, 3, jstr(p, "role"));
    if (is_child < 0)
        stmt_bind_null(st, 4);
    else
        stmt_bind_int(st, 4, is_child);
    bind_user(st, 5, u);
    stmt_bind_text(st, 6, ts);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    if (store_changes(s) == 0)
        return 0;
    char entry[160];
    snprintf(entry, sizeof(entry), "Person %lld linked as %s%s", (long long)pid, jstr(p, "role"),
             is_child == 1 ? " (a child on the date of the incident)" : "");
    rc = append_log(s, id, u, ts, entry);
    return rc == STORE_OK ? 1 : domain_store_fail(err, s, rc);
}

/* ---- create ------------------------------------------------------------------------ */

int64_t incident_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                        struct domain_error *err)
{
    assert(s && body && err);
    char ts[TS_TEXT_LEN], received[TS_TEXT_LEN];
    ts_format(now, ts);
    const char *recv_s = jstr(body, "received_at");
    int64_t recv = now;
    if (recv_s) {
        ts_parse(recv_s, &recv);
        if (recv > now)
            return domain_fail(err, 422, "invalid_field", "received_at",
                               "'received_at' must not be in the future");
    }
    ts_format(recv, received);
    struct civil_date d = date_of_ts(recv);
    char lo[32], hi[32], ref[32];
    snprintf(lo, sizeof(lo), "INC-%04d-", d.year);
    snprintf(hi, sizeof(hi), "INC-%04d.", d.year); /* '.' sorts just after '-' */
    struct stmt *st = store_prepare(s, SQL_INC_NEXT_SEQ);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, lo);
    stmt_bind_text(st, 2, hi);
    int64_t seq = 1;
    if (stmt_step(st) == STORE_ROW && !stmt_is_null(st, 0))
        seq = strtoll(stmt_text(st, 0) + strlen(lo), NULL, 10) + 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "INC-%04d-%06lld", d.year, (long long)seq);
    char akey[512];
    address_key(jstr(body, "location"), jstr(body, "postcode"), akey, sizeof(akey));

    st = store_prepare(s, SQL_INC_INSERT);
    stmt_bind_text(st, 1, ref);
    stmt_bind_text(st, 2, received);
    stmt_bind_text(st, 3, jstr(body, "location"));
    stmt_bind_text(st, 4, jstr(body, "postcode"));
    stmt_bind_text(st, 5, akey);
    stmt_bind_text(st, 6, jstr(body, "nature"));
    stmt_bind_text(st, 7, jstr(body, "description"));
    stmt_bind_text(st, 8, jstr(body, "caller_name"));
    stmt_bind_text(st, 9, jstr(body, "caller_phone"));
    stmt_bind_text(st, 10, u && u->team[0] ? u->team : NULL);
    bind_user(st, 11, u);
    stmt_bind_text(st, 12, ts);
    stmt_bind_text(st, 13, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    char entry[64];
    snprintf(entry, sizeof(entry), "Incident %s created", ref);
    if ((rc = append_log(s, id, u, ts, entry)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(body, "persons"), i, p)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "persons[%zu].", i);
        if (link_one(s, id, received, p, prefix, u, ts, err) < 0)
            return -1;
    }
    if (check_escalation(s, id, ts, err) < 0 || finish_change(s, id, now, err) < 0)
        return -1;
    return id;
}

/* ---- the actions ------------------------------------------------------------------- */

int incident_link_person(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    int r = link_one(s, id, jstr(rec, "received_at"), body, "", u, ts, err);
    json_decref(rec);
    if (r < 0)
        return -1;
    if (r == 0)
        return domain_fail(err, 409, "already_linked", "person_id",
                           "person %lld is already linked to this incident as %s",
                           (long long)json_integer_value(json_object_get(body, "person_id")),
                           jstr(body, "role"));
    if (check_escalation(s, id, ts, err) < 0)
        return -1;
    return finish_change(s, id, now, err);
}

int incident_add_log(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err)
{
    /* The log stays open after closure: late information is still recorded. */
    json_t *rec = core_get(s, id);
    if (!rec)
        return domain_fail(err, 404, "not_found", NULL, "no incident with id %lld", (long long)id);
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    int rc = append_log(s, id, u, ts, jstr(body, "entry"));
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

int incident_record_thrive(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    int ret = insert_thrive(s, id, body, u, ts, err);
    if (ret == 0)
        ret = apply_thrive(s, id, rec, u, ts, err);
    json_decref(rec);
    return ret < 0 ? -1 : finish_change(s, id, now, err);
}

/* Scheduling a child incident (DOMAIN.md R1): a fresh THRIVE ("re-THRIVE"),
 * a supervisor's rationale, the interim risk and the appointment time. A
 * THRIVE is fresh when sent with this grading, or recorded since the
 * incident was last graded (none was in force then) and no more than
 * INCIDENT_THRIVE_FRESH_MINUTES ago. */
static int check_schedule(struct store *s, int64_t id, const json_t *rec, const json_t *body,
                          int64_t now, struct domain_error *err)
{
    int child = first_child(s, id) != 0;
    if (child && !json_object_get(body, "thrive")) {
        struct thrive_state t;
        latest_thrive(s, id, &t);
        int64_t at = 0;
        json_t *used = json_object_get(rec, "graded_thrive_id");
        int since_grading =
            !jstr(rec, "grade") || (json_is_integer(used) ? t.id > json_integer_value(used) : 1);
        if (!t.present || !since_grading || ts_parse(t.assessed_at, &at) < 0 ||
            now - at > (int64_t)INCIDENT_THRIVE_FRESH_MINUTES * 60)
            return domain_fail(
                err, 422, "missing_field", "thrive",
                "a child incident can only be scheduled after a fresh THRIVE: record one "
                "now (in 'thrive' or with POST .../thrive) before scheduling");
    }
    if (child && !jstr(body, "supervisor_rationale"))
        return domain_fail(
            err, 422, "missing_field", "supervisor_rationale",
            "'supervisor_rationale' is required: a supervisor must say why a scheduled "
            "appointment is safe for the child");
    if (child && !jstr(body, "interim_risk"))
        return domain_fail(err, 422, "missing_field", "interim_risk",
                           "'interim_risk' is required: record the risk to the child until the "
                           "appointment and how it is managed");
    const char *when = jstr(body, "scheduled_for");
    if (!when)
        return domain_fail(err, 422, "missing_field", "scheduled_for",
                           "'scheduled_for' is required: when is the appointment?");
    int64_t w = 0;
    ts_parse(when, &w);
    if (w < now)
        return domain_fail(err, 422, "invalid_field", "scheduled_for",
                           "'scheduled_for' must not be in the past");
    return 0;
}

int incident_grade(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err)
{
    assert(s && body && err);
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    const char *grade = jstr(body, "grade");
    int ret = 0;
    int scheduled = strcmp(grade, "scheduled") == 0;
    if (scheduled)
        ret = check_schedule(s, id, rec, body, now, err);
    /* A THRIVE sent with the grade is recorded first: it may move the floor. */
    const json_t *inline_thrive = json_object_get(body, "thrive");
    if (ret == 0 && inline_thrive) {
        ret = insert_thrive(s, id, inline_thrive, u, ts, err);
        if (ret == 0)
            ret = apply_thrive(s, id, rec, u, ts, err);
    }
    if (ret < 0) {
        json_decref(rec);
        return -1;
    }
    struct thrive_state t;
    latest_thrive(s, id, &t);
    const char *floor = floor_of(&t);
    int below = floor && grade_rank(grade) < grade_rank(floor);
    const char *reason = jstr(body, "grade_reason");
    if (below && !reason) {
        json_decref(rec);
        return domain_fail(
            err, 422, "missing_field", "grade_reason",
            "'grade_reason' is required: the THRIVE assessment supports at least %s, so "
            "grading this incident %s needs a reason (and a supervisor's authorisation)",
            floor, grade);
    }
    /* A supervisor who grades below the floor with a reason authorises it
     * in the same act. Anyone else is stopped: the incident keeps the grade
     * its risk supports, and their grade waits as requested until a
     * supervisor authorises it (a task escalates it to them). */
    int self_authorised = below && u && permset_has(&u->perms, PERM_INCIDENTS_SUPERVISE);
    const char *effective = below && !self_authorised ? floor : grade;
    struct stmt *st = store_prepare(s, SQL_INC_SET_GRADE);
    stmt_bind_text(st, 1, effective);
    stmt_bind_text(st, 2, floor);
    stmt_bind_int(st, 3, below);
    stmt_bind_text(st, 4, reason);
    stmt_bind_text(st, 5, ts);
    bind_user(st, 6, u);
    if (self_authorised) {
        bind_user(st, 7, u);
        stmt_bind_text(st, 8, ts);
        stmt_bind_text(st, 9, reason);
    } else {
        stmt_bind_null(st, 7);
        stmt_bind_null(st, 8);
        stmt_bind_null(st, 9);
    }
    stmt_bind_text(st, 10, scheduled ? jstr(body, "scheduled_for") : NULL);
    stmt_bind_text(st, 11, scheduled ? jstr(body, "interim_risk") : NULL);
    stmt_bind_text(st, 12, scheduled ? jstr(body, "supervisor_rationale") : NULL);
    stmt_bind_int(st, 13, id);
    stmt_bind_text(st, 14, below && !self_authorised ? grade : NULL);
    stmt_bind_int(st, 15, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        st = store_prepare(s, SQL_GRADE_HISTORY_INSERT);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, grade);
        stmt_bind_text(st, 3, floor);
        stmt_bind_text(st, 4, reason);
        if (self_authorised)
            bind_user(st, 5, u);
        else
            stmt_bind_null(st, 5);
        stmt_bind_text(st, 6, ts);
        bind_user(st, 7, u);
        stmt_bind_text(st, 8, "graded");
        rc = store_exec_stmt(st);
    }
    if (rc == STORE_OK) {
        char entry[2400];
        snprintf(entry, sizeof(entry), "Graded %s%s%s%s%s%s", grade, below ? ", below the " : "",
                 below ? floor : "", below ? " the risk supports" : "", reason ? ": " : "",
                 reason ? reason : "");
        rc = append_log(s, id, u, ts, entry);
    }
    json_decref(rec);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

int incident_authorise_grade(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    int below = json_is_true(json_object_get(rec, "below_risk_grade"));
    int done = !json_is_null(json_object_get(rec, "grade_authorised_by"));
    char grade[40], floor[40];
    const char *req_grade =
        jstr(rec, "grade_requested") ? jstr(rec, "grade_requested") : jstr(rec, "grade");
    snprintf(grade, sizeof(grade), "%s", req_grade ? req_grade : "");
    snprintf(floor, sizeof(floor), "%s", jstr(rec, "risk_grade") ? jstr(rec, "risk_grade") : "");
    json_decref(rec);
    if (!below)
        return domain_fail(
            err, 409, "not_below_risk_grade", NULL,
            "this incident's grade is not below the grade its risk supports: there is "
            "nothing to authorise");
    if (done)
        return domain_fail(err, 409, "already_authorised", NULL,
                           "this grade has already been authorised");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    const char *reason = jstr(body, "reason");
    struct stmt *st = store_prepare(s, SQL_INC_AUTHORISE);
    bind_user(st, 1, u);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, reason);
    stmt_bind_int(st, 4, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        st = store_prepare(s, SQL_GRADE_HISTORY_INSERT);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, grade);
        stmt_bind_text(st, 3, floor);
        stmt_bind_text(st, 4, reason);
        bind_user(st, 5, u);
        stmt_bind_text(st, 6, ts);
        bind_user(st, 7, u);
        stmt_bind_text(st, 8, "authorised");
        rc = store_exec_stmt(st);
    }
    if (rc == STORE_OK) {
        char entry[2200];
        snprintf(entry, sizeof(entry), "Grade %s (below %s) authorised: %s", grade, floor, reason);
        rc = append_log(s, id, u, ts, entry);
    }
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

int incident_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_INC_REVIEW);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        char entry[4200];
        const char *note = jstr(body, "note");
        snprintf(entry, sizeof(entry), "Re-reviewed%s%s", note ? ": " : "", note ? note : "");
        rc = append_log(s, id, u, ts, entry);
    }
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

int incident_attend(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    int attended = !json_is_null(json_object_get(rec, "attended_at"));
    int64_t recv = 0, at = now;
    ts_parse(jstr(rec, "received_at"), &recv);
    json_decref(rec);
    if (attended)
        return domain_fail(err, 409, "already_attended", NULL, "attendance is already recorded");
    if (jstr(body, "attended_at"))
        ts_parse(jstr(body, "attended_at"), &at);
    if (at > now || at < recv)
        return domain_fail(err, 422, "invalid_field", "attended_at",
                           "'attended_at' must be between the incident's receipt and now");
    char ts[TS_TEXT_LEN], at_s[TS_TEXT_LEN];
    ts_format(now, ts);
    ts_format(at, at_s);
    struct stmt *st = store_prepare(s, SQL_INC_ATTEND);
    stmt_bind_text(st, 1, at_s);
    bind_user(st, 2, u);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        char entry[4200];
        const char *note = jstr(body, "note");
        snprintf(entry, sizeof(entry), "Attended at %s%s%s", at_s, note ? ": " : "",
                 note ? note : "");
        rc = append_log(s, id, u, ts, entry);
    }
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

/* "Amelia Smith (born 9 March 2014)" for each child without a voice record,
 * joined with commas and "and". */
static int missing_voices(struct store *s, int64_t id, char *out, size_t len)
{
    struct stmt *st = store_prepare(s, SQL_INC_CHILDREN);
    if (!st)
        return 0;
    stmt_bind_int(st, 1, id);
    char names[16][240];
    int n = 0;
    while (stmt_step(st) == STORE_ROW) {
        int64_t pid = stmt_int(st, 0);
        struct stmt *v = store_prepare(s, SQL_VOICE_GET);
        stmt_bind_int(v, 1, id);
        stmt_bind_int(v, 2, pid);
        int has = stmt_step(v) == STORE_ROW;
        stmt_reset(v);
        if (has || n == 16)
            continue;
        char born[40];
        long_date(stmt_is_null(st, 3) ? NULL : stmt_text(st, 3), born, sizeof(born));
        snprintf(names[n++], sizeof(names[0]), "%.80s %.80s (born %s)", stmt_text(st, 1),
                 stmt_text(st, 2), born);
    }
    stmt_reset(st);
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n && o < len; i++) {
        const char *sep = i == 0 ? "" : i == n - 1 ? " and " : ", ";
        o += (size_t)snprintf(out + o, len - o, "%s%s", sep, names[i]);
    }
    return n;
}

int incident_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    int graded = jstr(rec, "grade") != NULL;
    json_decref(rec);
    if (!graded)
        return domain_fail(
            err, 422, "not_graded", "grade",
            "grade the incident before closing it: an incident is never closed ungraded");
    char names[480];
    if (missing_voices(s, id, names, sizeof(names)) > 0)
        return domain_fail(err, 422, "voice_of_child_missing", "voice",
                           "Record the voice of the child for %s before closing", names);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    const char *note = jstr(body, "note");
    struct stmt *st = store_prepare(s, SQL_INC_CLOSE);
    stmt_bind_text(st, 1, ts);
    stmt_bind_text(st, 2, note);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        char entry[4200];
        snprintf(entry, sizeof(entry), "Closed%s%s", note ? ": " : "", note ? note : "");
        rc = append_log(s, id, u, ts, entry);
    }
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

/* ---- the voice of the child (DOMAIN.md R2) ------------------------------------------ */

/* 1 when person_id is a child linked to the incident; -1 with err (404 when
 * not linked, 422 when linked but not a child on the incident's date). */
static int linked_child(struct store *s, int64_t id, int64_t person_id, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_INC_IS_LINKED_CHILD);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, person_id);
    int linked = 0, child = 0;
    if (stmt_step(st) == STORE_ROW && !stmt_is_null(st, 0)) {
        linked = 1;
        child = stmt_int(st, 0) == 1;
    } else {
        /* MAX(NULL is_child) is NULL too: linked with the age unknown. */
        stmt_reset(st);
        struct stmt *p = store_prepare(s, SQL_INC_PERSONS);
        stmt_bind_int(p, 1, id);
        while (stmt_step(p) == STORE_ROW)
            if (stmt_int(p, 0) == person_id)
                linked = 1;
        stmt_reset(p);
    }
    stmt_reset(st);
    if (!linked)
        return domain_fail(err, 404, "not_found", NULL,
                           "person %lld is not linked to this incident", (long long)person_id);
    if (!child)
        return domain_fail(
            err, 422, "not_a_child", "person_id",
            "person %lld was not a child (under 18) on the date of this incident, or "
            "their date of birth is not known",
            (long long)person_id);
    return 1;
}

int incident_voice_check(const json_t *body, struct domain_error *err)
{
    int seen = jbool(body, "seen", 0), alone = jbool(body, "seen_alone", 0);
    int spoken = jbool(body, "spoken_to", 0);
    const char *reason = jstr(body, "not_spoken_reason");
    if (alone && !seen)
        return domain_fail(err, 422, "invalid_field", "seen_alone",
                           "'seen_alone' cannot be true when the child was not seen");
    if (spoken && !jstr(body, "words"))
        return domain_fail(
            err, 422, "missing_field", "words",
            "'words' is required when the child was spoken to: record what they said, "
            "in their own words");
    if (!spoken && !reason)
        return domain_fail(err, 422, "missing_field", "not_spoken_reason",
                           "'not_spoken_reason' is required when the child was not spoken to");
    if (!spoken && strcmp(reason, "other") == 0 && !jstr(body, "not_spoken_detail"))
        return domain_fail(err, 422, "missing_field", "not_spoken_detail",
                           "'not_spoken_detail' is required when the reason is 'other'");
    return 0;
}

void incident_voice_behaviour(const json_t *body, char *out, size_t cap)
{
    size_t i, o = 0;
    json_t *b;
    out[0] = '\0';
    json_array_foreach(json_object_get(body, "behaviour"), i, b)
    {
        if (strstr(out, json_string_value(b)))
            continue; /* each once */
        int n = snprintf(out + o, cap - o, "%s%s", o ? "," : "", json_string_value(b));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

int incident_record_voice(struct store *s, int64_t id, int64_t person_id, const json_t *body,
                          const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = load_for_change(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    if (linked_child(s, id, person_id, err) < 0)
        return -1;
    if (incident_voice_check(body, err) < 0)
        return -1;
    int seen = jbool(body, "seen", 0), alone = jbool(body, "seen_alone", 0);
    int spoken = jbool(body, "spoken_to", 0);
    const char *reason = jstr(body, "not_spoken_reason");
    char behaviour[256];
    incident_voice_behaviour(body, behaviour, sizeof(behaviour));
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_VOICE_UPSERT);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, person_id);
    stmt_bind_int(st, 3, seen);
    stmt_bind_int(st, 4, alone);
    stmt_bind_int(st, 5, spoken);
    stmt_bind_text(st, 6, spoken ? jstr(body, "words") : NULL);
    stmt_bind_text(st, 7, jstr(body, "views_wishes"));
    stmt_bind_text(st, 8, behaviour[0] ? behaviour : NULL);
    stmt_bind_text(st, 9, jstr(body, "demeanour"));
    stmt_bind_text(st, 10, spoken ? NULL : reason);
    stmt_bind_text(st, 11, spoken ? NULL : jstr(body, "not_spoken_detail"));
    bind_user(st, 12, u);
    stmt_bind_text(st, 13, ts);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        char entry[120];
        snprintf(entry, sizeof(entry), "Voice of the child recorded for person %lld",
                 (long long)person_id);
        rc = append_log(s, id, u, ts, entry);
    }
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err);
}

int incident_voice_from_protection(struct store *s, int64_t id, int64_t person_id,
                                   const char *views, const char *reference, const struct user *u,
                                   int64_t now, struct domain_error *err)
{
    assert(s && views && reference && err);
    json_t *rec = core_get(s, id);
    bool closed = !rec || strcmp(jstr(rec, "status"), "closed") == 0;
    json_decref(rec);
    if (closed)
        return 0; /* a closed incident no longer changes: the case keeps the views */
    struct stmt *st = store_prepare(s, SQL_INC_IS_LINKED_CHILD);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, person_id);
    bool child = stmt_step(st) == STORE_ROW && !stmt_is_null(st, 0) && stmt_int(st, 0) == 1;
    stmt_reset(st);
    if (!child)
        return 0;
    char ts[TS_TEXT_LEN], entry[160];
    ts_format(now, ts);
    st = store_prepare(s, SQL_VOICE_GET);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, person_id);
    bool exists = stmt_step(st) == STORE_ROW;
    stmt_reset(st);
    int rc;
    if (exists) {
        /* The attending officer's record stands; the later views join it. */
        char views_text[8200];
        snprintf(views_text, sizeof(views_text), "Police protection %s (%s): %s", reference, ts,
                 views);
        st = store_prepare(s, SQL_VOICE_ADD_VIEWS);
        if (!st)
            return domain_store_fail(err, s, STORE_ERROR);
        stmt_bind_text(st, 1, views_text);
        stmt_bind_text(st, 2, views_text);
        stmt_bind_int(st, 3, id);
        stmt_bind_int(st, 4, person_id);
        snprintf(entry, sizeof(entry),
                 "The child's views (police protection %s) added to the voice of the child for "
                 "person %lld",
                 reference, (long long)person_id);
    } else {
        /* Told what was happening and asked their wishes and feelings: seen
         * and spoken to, the views in their words. */
        st = store_prepare(s, SQL_VOICE_UPSERT);
        if (!st)
            return domain_store_fail(err, s, STORE_ERROR);
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, person_id);
        stmt_bind_int(st, 3, 1);
        stmt_bind_int(st, 4, 0);
        stmt_bind_int(st, 5, 1);
        stmt_bind_text(st, 6, views);
        stmt_bind_null(st, 7);
        stmt_bind_null(st, 8);
        stmt_bind_null(st, 9);
        stmt_bind_null(st, 10);
        stmt_bind_null(st, 11);
        bind_user(st, 12, u);
        stmt_bind_text(st, 13, ts);
        snprintf(entry, sizeof(entry),
                 "Voice of the child recorded for person %lld from police protection %s",
                 (long long)person_id, reference);
    }
    rc = store_exec_stmt(st);
    if (rc == STORE_OK)
        rc = append_log(s, id, u, ts, entry);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return finish_change(s, id, now, err) < 0 ? -1 : 1;
}

static json_t *voice_json(struct store *s, int64_t id, int64_t person_id)
{
    struct stmt *st = store_prepare(s, SQL_VOICE_GET);
    if (!st)
        return json_null();
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, person_id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return json_null();
    }
    json_t *beh = json_array();
    if (!stmt_is_null(st, 5)) {
        char buf[256];
        snprintf(buf, sizeof(buf), "%s", stmt_text(st, 5));
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            json_array_append_new(beh, json_string(t));
    }
    json_t *v = json_pack("{s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "seen",
                          stmt_int(st, 0) != 0, "seen_alone", stmt_int(st, 1) != 0, "spoken_to",
                          stmt_int(st, 2) != 0, "words", stmt_json_text(st, 3), "views_wishes",
                          stmt_json_text(st, 4), "behaviour", beh, "demeanour",
                          stmt_json_text(st, 6), "not_spoken_reason", stmt_json_text(st, 7),
                          "not_spoken_detail", stmt_json_text(st, 8), "recorded_at",
                          stmt_text(st, 9), "recorded_by_name", stmt_json_text(st, 10));
    stmt_reset(st);
    return v;
}

json_t *incident_voice_get(struct store *s, int64_t id, int64_t person_id, int64_t now,
                           struct domain_error *err)
{
    (void)now;
    json_t *rec = core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no incident with id %lld", (long long)id);
        return NULL;
    }
    if (linked_child(s, id, person_id, err) < 0) {
        json_decref(rec);
        return NULL;
    }
    json_t *child = NULL;
    struct stmt *st = store_prepare(s, SQL_INC_CHILDREN);
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        if (stmt_int(st, 0) == person_id)
            child = json_pack("{s:I, s:s, s:s, s:o}", "person_id", (json_int_t)person_id,
                              "given_name", stmt_text(st, 1), "family_name", stmt_text(st, 2),
                              "dob", stmt_json_text(st, 3));
    stmt_reset(st);
    json_t *voice = voice_json(s, id, person_id);
    /* For the form's checkboxes: which behaviours are recorded. */
    json_t *checked = json_object();
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(voice, "behaviour"), i, b)
        json_object_set_new(checked, json_string_value(b), json_true());
    json_t *out = json_pack("{s:I, s:O, s:O, s:o, s:o, s:o}", "incident_id", (json_int_t)id,
                            "reference", json_object_get(rec, "reference"), "status",
                            json_object_get(rec, "status"), "child", child ? child : json_null(),
                            "voice", voice, "behaviour_checked", checked);
    json_decref(rec);
    return out;
}

/* ---- reading ----------------------------------------------------------------------- */

static json_t *thrive_list(struct store *s, int64_t id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_THRIVE_LIST);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        json_t *t =
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id",
                      (json_int_t)stmt_int(st, 0), "threat", stmt_text(st, 1), "harm",
                      stmt_text(st, 2), "risk", stmt_text(st, 3), "investigation", stmt_text(st, 4),
                      "vulnerability", stmt_text(st, 5), "engagement", stmt_text(st, 6),
                      "assessed_at", stmt_text(st, 11), "assessed_by_name", stmt_json_text(st, 12));
        json_t *factors = json_array();
        for (size_t i = 0; i < NFLOORS; i++) {
            int on = stmt_int(st, 7 + (int)i) != 0;
            json_object_set_new(t, grade_floors[i].factor, json_boolean(on));
            if (on)
                json_array_append_new(
                    factors, json_pack("{s:s, s:s, s:s}", "factor", grade_floors[i].factor, "floor",
                                       grade_floors[i].floor, "why", grade_floors[i].why));
        }
        json_object_set_new(t, "risk_factors", factors);
        json_array_append_new(arr, t);
    }
    stmt_reset(st);
    return arr;
}

static json_t *grade_history(struct store *s, int64_t id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_GRADE_HISTORY_LIST);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:s, s:o, s:o, s:o, s:s, s:o, s:s}", "grade", stmt_text(st, 0),
                           "risk_grade", stmt_json_text(st, 1), "reason", stmt_json_text(st, 2),
                           "authorised_by_name", stmt_json_text(st, 3), "at", stmt_text(st, 4),
                           "by_name", stmt_json_text(st, 5), "event", stmt_text(st, 6)));
    stmt_reset(st);
    return arr;
}

static json_t *log_list(struct store *s, int64_t id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_INC_LOG_LIST);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr,
                              json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)stmt_int(st, 0),
                                        "at", stmt_text(st, 1), "entry", stmt_text(st, 2),
                                        "by_name", stmt_json_text(st, 3)));
    stmt_reset(st);
    return arr;
}

static void add_age(json_t *o, struct stmt *st, int col, int64_t on_ts)
{
    struct civil_date d, on = date_of_ts(on_ts);
    if (!stmt_is_null(st, col) && date_parse(stmt_text(st, col), &d) == 0)
        json_object_set_new(o, "age", json_integer(age_on(&d, &on)));
    else
        json_object_set_new(o, "age", json_null());
}

/* persons (every link) and children (each child once, with their voice). */
static void add_people(struct store *s, json_t *o, int64_t id, int64_t recv,
                       const struct user *viewer)
{
    json_t *persons = json_array();
    struct stmt *st = store_prepare(s, SQL_INC_PERSONS);
    stmt_bind_int(st, 1, id);
    while (st && stmt_step(st) == STORE_ROW) {
        int64_t pid = stmt_int(st, 0);
        int visible = !viewer || auth_person_visible(s, pid, viewer);
        json_t *p = json_pack("{s:I, s:s, s:o}", "person_id", (json_int_t)pid, "role",
                              stmt_text(st, 1), "is_child",
                              stmt_is_null(st, 2) ? json_null() : json_boolean(stmt_int(st, 2)));
        json_object_set_new(p, "name",
                            visible ? json_sprintf("%s %s", stmt_text(st, 3), stmt_text(st, 4))
                                    : json_string("Restricted record"));
        json_object_set_new(p, "dob", visible ? stmt_json_text(st, 5) : json_null());
        if (visible)
            add_age(p, st, 5, recv);
        else
            json_object_set_new(p, "age", json_null());
        json_array_append_new(persons, p);
    }
    if (st)
        stmt_reset(st);
    json_object_set_new(o, "persons", persons);

    json_t *children = json_array();
    st = store_prepare(s, SQL_INC_CHILDREN);
    stmt_bind_int(st, 1, id);
    json_t *ids = json_array();
    while (st && stmt_step(st) == STORE_ROW) {
        int64_t pid = stmt_int(st, 0);
        int visible = !viewer || auth_person_visible(s, pid, viewer);
        json_t *c = json_pack("{s:I, s:o, s:o}", "person_id", (json_int_t)pid, "name",
                              visible ? json_sprintf("%s %s", stmt_text(st, 1), stmt_text(st, 2))
                                      : json_string("Restricted record"),
                              "dob", visible ? stmt_json_text(st, 3) : json_null());
        if (visible)
            add_age(c, st, 3, recv);
        else
            json_object_set_new(c, "age", json_null());
        json_array_append_new(children, c);
        json_array_append_new(ids, json_integer(pid));
    }
    if (st)
        stmt_reset(st);
    size_t i;
    json_t *c;
    json_array_foreach(children, i, c)
    {
        json_t *v = voice_json(s, id, json_integer_value(json_object_get(c, "person_id")));
        json_object_set_new(c, "voice_recorded", json_boolean(!json_is_null(v)));
        /* Rows are rendered without falling back to the incident's keys. */
        json_object_set_new(c, "incident_id", json_integer(id));
        json_object_set_new(c, "incident_closed",
                            json_boolean(!json_is_null(json_object_get(o, "closed_at"))));
        json_object_set_new(c, "voice", v);
    }
    json_decref(ids);
    json_object_set_new(o, "children", children);
}

/* The attendance target for emergency and priority grades (the engine's
 * figures, so a force's overrides apply), and whether it was met. */
static json_t *attendance_json(const json_t *rec, int64_t now)
{
    const char *grade = jstr(rec, "grade");
    const struct rule *r = NULL;
    if (grade && strcmp(grade, "emergency") == 0)
        r = rules_find("incident.attend_emergency");
    else if (grade && strcmp(grade, "priority") == 0)
        r = rules_find("incident.attend_priority");
    if (!r)
        return json_null();
    int minutes = rules_minutes(r);
    int64_t recv = 0, at = 0;
    ts_parse(jstr(rec, "received_at"), &recv);
    char due[TS_TEXT_LEN];
    ts_format(recv + (int64_t)minutes * 60, due);
    json_t *o = json_pack("{s:i, s:s}", "target_minutes", minutes, "due_at", due);
    const char *att = jstr(rec, "attended_at");
    if (att && ts_parse(att, &at) == 0) {
        json_object_set_new(o, "minutes_taken", json_integer((json_int_t)((at - recv) / 60)));
        json_object_set_new(o, "within_target", json_boolean(at - recv <= (int64_t)minutes * 60));
        json_object_set_new(o, "breached", json_boolean(at - recv > (int64_t)minutes * 60));
    } else {
        json_object_set_new(o, "minutes_taken", json_null());
        json_object_set_new(o, "within_target", json_null());
        json_object_set_new(o, "breached", json_boolean(now > recv + (int64_t)minutes * 60));
    }
    return o;
}

json_t *incident_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = core_get(s, id);
    if (!o)
        return NULL;
    int64_t recv = 0;
    ts_parse(jstr(o, "received_at"), &recv);
    json_t *history = prior_incidents(s, o, viewer, NULL, NULL, 0, NULL);
    /* Children in police protection from this incident or this address. */
    json_object_set_new(o, "police_protection",
                        protection_at_address(s, jstr(o, "address_key"), id));
    json_object_del(o, "address_key");
    json_object_del(o, "reassessment_flagged_at");
    json_object_del(o, "graded_thrive_id");
    add_derived(s, o, id);
    add_people(s, o, id, recv, viewer);
    json_t *thrives = thrive_list(s, id);
    json_object_set(o, "thrive",
                    json_array_size(thrives) ? json_array_get(thrives, 0) : json_null());
    json_object_set_new(o, "thrive_history", thrives);
    json_object_set_new(o, "grade_history", grade_history(s, id));
    json_object_set_new(o, "grade_warning",
                        json_boolean(json_is_true(json_object_get(o, "below_risk_grade")) &&
                                     json_is_null(json_object_get(o, "grade_authorised_by"))));
    json_object_set_new(o, "log", log_list(s, id));
    json_object_set_new(o, "history", history);
    json_object_set_new(
        o, "history_count",
        json_integer((json_int_t)(json_array_size(json_object_get(history, "same_child")) +
                                  json_array_size(json_object_get(history, "same_address")) +
                                  json_array_size(json_object_get(history, "same_adults")))));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "incident", id, now));
    json_object_set_new(o, "attendance", attendance_json(o, now));
    return o;
}

json_t *incident_list(struct store *s, const char *status, const char *q, int64_t now)
{
    (void)now;
    char like[80];
    if (q)
        snprintf(like, sizeof(like), "%%%s%%", q);
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_INC_LIST);
    if (!st)
        return json_pack("{s:o, s:i}", "incidents", arr, "total", 0);
    stmt_bind_text(st, 1, status);
    stmt_bind_text(st, 2, status);
    stmt_bind_text(st, 3, q ? like : NULL);
    stmt_bind_text(st, 4, q ? like : NULL);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(
            arr,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:b, s:b}", "id",
                      (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "received_at",
                      stmt_text(st, 2), "nature", stmt_text(st, 3), "location", stmt_text(st, 4),
                      "postcode", stmt_json_text(st, 5), "status", stmt_text(st, 6), "grade",
                      stmt_json_text(st, 7), "below_risk_grade", stmt_int(st, 8) != 0,
                      "grade_authorised", stmt_int(st, 9) != 0, "reassessment_required",
                      stmt_int(st, 10) != 0, "involves_child", stmt_int(st, 11) != 0));
    stmt_reset(st);
    return json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(arr), "incidents", arr);
}

static json_t *choices(const char *const *values)
{
    json_t *arr = json_array();
    for (const char *const *v = values; *v; v++)
        json_array_append_new(arr, json_string(*v));
    return arr;
}

json_t *incident_form_choices(void)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "natures", choices(incident_natures),
                     "person_roles", choices(incident_person_roles), "grades",
                     choices(incident_grades), "statuses", choices(statuses), "behaviours",
                     choices(voice_behaviours), "not_spoken_reasons",
                     choices(voice_not_spoken_reasons));
}

/* ---- measures ---------------------------------------------------------------------- */

static json_t *share(int64_t part, int64_t whole)
{
    return whole ? json_real((double)(int64_t)(1000.0 * (double)part / (double)whole + 0.5) / 10.0)
                 : json_null();
}

json_t *incident_measures(struct store *s, int64_t now)
{
    int64_t a = 0, b = 0;
    struct stmt *st = store_prepare(s, SQL_M_TOTALS);
    if (st && stmt_step(st) == STORE_ROW) {
        a = stmt_int(st, 0);
        b = stmt_int(st, 1);
    }
    if (st)
        stmt_reset(st);
    json_t *out =
        json_pack("{s:{s:I, s:I}}", "incidents", "total", (json_int_t)a, "open", (json_int_t)b);

    a = b = 0;
    st = store_prepare(s, SQL_M_CHILD_INCIDENTS);
    if (st && stmt_step(st) == STORE_ROW) {
        a = stmt_int(st, 0);
        b = stmt_int(st, 1);
    }
    if (st)
        stmt_reset(st);
    json_object_set_new(out, "voice_of_child",
                        json_pack("{s:I, s:I, s:o}", "child_incidents", (json_int_t)a,
                                  "all_children_voice_recorded", (json_int_t)b, "percent",
                                  share(b, a)));

    a = b = 0;
    st = store_prepare(s, SQL_M_BELOW_RISK);
    if (st && stmt_step(st) == STORE_ROW) {
        a = stmt_int(st, 0);
        b = stmt_int(st, 1);
    }
    if (st)
        stmt_reset(st);
    json_object_set_new(out, "below_risk_grade",
                        json_pack("{s:I, s:I, s:I}", "total", (json_int_t)a, "authorised",
                                  (json_int_t)b, "not_authorised", (json_int_t)(a - b)));

    static const char *const graded[] = {"emergency", "priority"};
    int64_t attended[2] = {0, 0}, within[2] = {0, 0};
    int mins[2] = {rules_minutes(rules_find("incident.attend_emergency")),
                   rules_minutes(rules_find("incident.attend_priority"))};
    st = store_prepare(s, SQL_M_ATTENDANCE);
    while (st && stmt_step(st) == STORE_ROW) {
        int g = strcmp(stmt_text(st, 0), "emergency") == 0 ? 0 : 1;
        int64_t r = 0, t = 0;
        if (ts_parse(stmt_text(st, 1), &r) < 0 || ts_parse(stmt_text(st, 2), &t) < 0)
            continue;
        attended[g]++;
        within[g] += t - r <= (int64_t)mins[g] * 60;
    }
    if (st)
        stmt_reset(st);
    json_t *att = json_array();
    for (int g = 0; g < 2; g++)
        json_array_append_new(
            att, json_pack("{s:s, s:i, s:I, s:I, s:o}", "grade", graded[g], "target_minutes",
                           mins[g], "attended", (json_int_t)attended[g], "within_target",
                           (json_int_t)within[g], "percent", share(within[g], attended[g])));
    json_object_set_new(out, "attendance", att);

    char since[TS_TEXT_LEN], now_s[TS_TEXT_LEN];
    ts_format(now - (int64_t)INCIDENT_REPEAT_WINDOW_DAYS * 86400, since);
    ts_format(now, now_s);
    a = b = 0;
    st = store_prepare(s, SQL_M_REPEAT_CHILDREN);
    stmt_bind_text(st, 1, since);
    if (st && stmt_step(st) == STORE_ROW) {
        a = stmt_int(st, 0);
        b = stmt_int(st, 1);
    }
    if (st)
        stmt_reset(st);
    json_object_set_new(out, "repeat_children",
                        json_pack("{s:i, s:I, s:I}", "window_days", INCIDENT_REPEAT_WINDOW_DAYS,
                                  "two_or_more", (json_int_t)a, "three_or_more", (json_int_t)b));

    a = 0;
    st = store_prepare(s, SQL_M_OVERDUE_REREVIEWS);
    stmt_bind_text(st, 1, now_s);
    if (st && stmt_step(st) == STORE_ROW)
        a = stmt_int(st, 0);
    if (st)
        stmt_reset(st);
    json_object_set_new(out, "overdue_rereviews", json_integer((json_int_t)a));
    json_object_set_new(out, "as_at", json_string(now_s));
    return out;
}
