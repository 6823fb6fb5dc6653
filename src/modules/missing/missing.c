/*
 * missing.c — the missing episode record (DOMAIN.md R3): its fields and
 * configuration, taking a report (child status, looked-after flag and the
 * Philomena profile pre-filled from the person record, repeat-missing count,
 * links to children missing from the same home or placement), reading an
 * episode whole, the coordinator's board, and finish_change(), where every
 * change ends by re-evaluating the timescales engine's rules.
 *
 * The actions on an episode are in missing_actions.c.
 */
#include "modules/missing/missing.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/missing/missing_internal.h"
#include "modules/missing/missing_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Highest first: the index is the risk's rank (0 is the highest). */
const char *const missing_risks[] = {"high", "medium", "low", NULL};
const char *const missing_event_kinds[] = {"action", "enquiry", "sighting", "note", NULL};
const char *const missing_returned_states[] = {"safe_and_well", "harmed", "unwell",
                                               "arrested",      "other",  NULL};
const char *const missing_link_reasons[] = {"missing_together", "same_address", "same_placement",
                                            "other", NULL};
const char *const missing_rhi_outcomes[] = {"completed", "declined", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
const struct field missing_create_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "reported_at", .type = FIELD_TIMESTAMP},
    {.name = "reported_by", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 200},
    {.name = "reported_by_relationship", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 100},
    {.name = "reported_by_contact", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "last_seen_at", .type = FIELD_TIMESTAMP, .flags = FIELD_REQUIRED},
    {.name = "last_seen_location", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "missing_from", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "circumstances", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "description", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {.name = "photo_ref", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "looked_after", .type = FIELD_BOOL},
    {.name = "responsible_la", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "risk", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = missing_risks},
    {.name = "risk_rationale", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {.name = "officer_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "supervisor_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {0}};
/* clang-format on */

/* ---- configuration --------------------------------------------------------------- */

static int repeat_count = MISSING_REPEAT_COUNT_DEFAULT;
static int repeat_window_days = MISSING_REPEAT_WINDOW_DAYS_DEFAULT;

int missing_repeat_count(void)
{
    return repeat_count;
}

int missing_repeat_window_days(void)
{
    return repeat_window_days;
}

int missing_configure(const char *name, const char *value, char *err, size_t errlen)
{
    int *target = NULL, lo = 0, hi = 0;
    if (strcmp(name, "repeat_count") == 0) {
        target = &repeat_count;
        lo = 2;
        hi = 50;
    } else if (strcmp(name, "repeat_window_days") == 0) {
        target = &repeat_window_days;
        lo = 1;
        hi = 3660;
    } else {
        snprintf(err, errlen,
                 "no setting 'missing.%s' (missing.repeat_count, missing.repeat_window_days; see "
                 "docs/configuration.md)",
                 name);
        return -1;
    }
    char *end;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v < lo || v > hi) {
        snprintf(err, errlen, "'missing.%s' must be a whole number from %d to %d, not '%s'", name,
                 lo, hi, value);
        return -1;
    }
    *target = (int)v;
    return 0;
}

/* ---- small helpers ----------------------------------------------------------------- */

int missing_risk_rank(const char *risk)
{
    for (int i = 0; risk && missing_risks[i]; i++)
        if (strcmp(missing_risks[i], risk) == 0)
            return i;
    return 3;
}

void missing_bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

/* "12 Oak Road, Anytown" → "12 oak road anytown": links by address survive
 * capitals, commas and spacing. */
static void place_key(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)in; p && *p && n + 1 < cap; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (space && n)
                out[n++] = ' ';
            space = false;
            if (n + 1 < cap)
                out[n++] = (char)tolower(*p);
        } else {
            space = true;
        }
    }
    out[n] = '\0';
}

int missing_event(struct store *s, int64_t id, const char *at, const char *kind, const char *text,
                  const char *risk, const struct user *u, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_MIS_EVENT_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at ? at : ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    stmt_bind_text(st, 5, risk);
    missing_bind_user(st, 6, u);
    stmt_bind_text(st, 7, ts);
    return store_exec_stmt(st);
}

/* ---- reading one episode ------------------------------------------------------------ */

/* SQL_MIS_GET's columns, in order: 's' text, 'i' integer, 'b' 0/1. */
static const struct column_spec episode_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"person_id", 'i'},
    {"is_child", 'b'},
    {"looked_after", 'b'},
    {"responsible_la", 's'},
    {"reported_at", 's'},
    {"reported_by", 's'},
    {"reported_by_relationship", 's'},
    {"reported_by_contact", 's'},
    {"last_seen_at", 's'},
    {"last_seen_location", 's'},
    {"missing_from", 's'},
    {"circumstances", 's'},
    {"description", 's'},
    {"photo_ref", 's'},
    {"risk", 's'},
    {"risk_rationale", 's'},
    {"risk_assessed_at", 's'},
    {"officer_id", 'i'},
    {"supervisor_id", 'i'},
    {"team", 's'},
    {"status", 's'},
    {"last_reviewed_at", 's'},
    {"inspector_reviewed_at", 's'},
    {"first_action_at", 's'},
    {"repeat_count", 'i'},
    {"returned_at", 's'},
    {"returned_location", 's'},
    {"returned_by", 's'},
    {"returned_state", 's'},
    {"return_notes", 's'},
    {"prevention_interview_at", 's'},
    {"prevention_interview_notes", 's'},
    {"where_they_were", 's'},
    {"with_whom", 's'},
    {"exploitation_cse", 'b'},
    {"exploitation_cce", 'b'},
    {"exploitation_notes", 's'},
    {"exploitation_recorded_at", 's'},
    {"referral_recorded_at", 's'},
    {"referral_note", 's'},
    {"rhi_referred_at", 's'},
    {"rhi_local_authority", 's'},
    {"rhi_outcome", 's'},
    {"rhi_outcome_at", 's'},
    {"rhi_notes", 's'},
    {"closed_at", 's'},
    {"closure_note", 's'},
    {"version", 'i'},
    {"created_at", 's'},
    {"updated_at", 's'},
    {"officer_name", 's'},
    {"supervisor_name", 's'},
    {"missing_from_key", 's'},
};
#define NCOLUMNS ((int)(sizeof(episode_columns) / sizeof(episode_columns[0])))

json_t *missing_core_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_MIS_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, episode_columns, NCOLUMNS);
    stmt_reset(st);
    /* What the rules read beyond the row: has an inspector reviewed since
     * the risk was last set? */
    const char *insp = jstr(o, "inspector_reviewed_at"), *set = jstr(o, "risk_assessed_at");
    json_object_set_new(o, "inspector_oversight_given",
                        json_boolean(insp && set && strcmp(insp, set) >= 0));
    return o;
}

int missing_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_MIS_TOUCH);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    json_t *rec = missing_core_get(s, id);
    if (!rec)
        return domain_store_fail(err, s, STORE_ERROR);
    rc = rules_evaluate(s, "missing_episode", rec,
                        json_integer_value(json_object_get(rec, "person_id")), now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : domain_store_fail(err, s, rc);
}

json_t *missing_load_for_change(struct store *s, int64_t id, bool allow_closed,
                                struct domain_error *err)
{
    json_t *rec = missing_core_get(s, id);
    if (!rec) {
        domain_fail(err, 404, "not_found", NULL, "no missing episode with id %lld", (long long)id);
        return NULL;
    }
    if (!allow_closed && strcmp(jstr(rec, "status"), "closed") == 0) {
        domain_fail(err, 409, "episode_closed", NULL,
                    "episode %s is closed: it can no longer change", jstr(rec, "reference"));
        json_decref(rec);
        return NULL;
    }
    return rec;
}

/* ---- the person ---------------------------------------------------------------------- */

struct person_facts {
    char given[256], family[256];
    int is_child; /* 1, 0, or -1 when the date of birth is unknown */
    int age;      /* -1 unknown */
    bool looked_after;
    char la[256];
};

/* 1 found, 0 no such person (or not visible to u), < 0 store failure. */
static int person_facts(struct store *s, int64_t pid, const struct user *u, int64_t on,
                        struct person_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->is_child = f->age = -1;
    char day[DATE_TEXT_LEN];
    struct civil_date d = date_of_ts(ts_uk_local(on));
    date_format(&d, day);
    struct stmt *st = store_prepare(s, SQL_MIS_PERSON);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, pid);
    stmt_bind_text(st, 2, day);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        return rc == STORE_DONE ? 0 : rc;
    }
    snprintf(f->given, sizeof(f->given), "%s", stmt_text(st, 0));
    snprintf(f->family, sizeof(f->family), "%s", stmt_text(st, 1));
    struct civil_date dob;
    if (!stmt_is_null(st, 2) && date_parse(stmt_text(st, 2), &dob) == 0) {
        f->age = age_on(&dob, &d);
        f->is_child = is_child_on(&dob, &d);
    }
    if (!stmt_is_null(st, 3))
        snprintf(f->la, sizeof(f->la), "%s", stmt_text(st, 3));
    f->looked_after = stmt_int(st, 4) != 0;
    stmt_reset(st);
    if (u && !auth_person_visible(s, pid, u))
        return 0;
    return 1;
}

/* The profile's columns as JSON, or NULL when the person has none. */
static json_t *profile_json(struct store *s, int64_t pid)
{
    struct stmt *st = store_prepare(s, SQL_MIS_PROFILE_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, pid);
    json_t *o = NULL;
    if (stmt_step(st) == STORE_ROW)
        o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:s}", "person_id", (json_int_t)pid,
                      "description", stmt_json_text(st, 0), "photo_ref", stmt_json_text(st, 1),
                      "contacts", stmt_json_text(st, 2), "places_frequented", stmt_json_text(st, 3),
                      "carer", stmt_json_text(st, 4), "carer_contact", stmt_json_text(st, 5),
                      "version", (json_int_t)stmt_int(st, 6), "updated_at", stmt_text(st, 7));
    stmt_reset(st);
    return o;
}

json_t *missing_form(struct store *s, int64_t person_id, const struct user *viewer, int64_t now,
                     struct domain_error *err)
{
    json_t *choices = json_object();
    json_t *risks = json_array();
    for (int i = 0; missing_risks[i]; i++)
        json_array_append_new(risks, json_string(missing_risks[i]));
    json_object_set_new(choices, "risks", risks);
    json_t *o = json_pack("{s:o}", "choices", choices);
    if (person_id <= 0)
        return o;
    struct person_facts f;
    int rc = person_facts(s, person_id, viewer, now, &f);
    if (rc <= 0) {
        json_decref(o);
        if (rc < 0)
            domain_store_fail(err, s, rc);
        else
            domain_fail(err, 404, "not_found", "person_id", "no person with id %lld",
                        (long long)person_id);
        return NULL;
    }
    json_object_set_new(
        o, "person",
        json_pack("{s:I, s:s, s:s, s:o, s:o, s:b, s:o}", "id", (json_int_t)person_id, "given_name",
                  f.given, "family_name", f.family, "age",
                  f.age >= 0 ? json_integer(f.age) : json_null(), "is_child",
                  f.is_child < 0 ? json_null() : json_boolean(f.is_child), "looked_after",
                  f.looked_after, "local_authority", f.la[0] ? json_string(f.la) : json_null()));
    json_t *p = profile_json(s, person_id);
    json_object_set_new(o, "philomena", p ? p : json_null());
    /* The form's starting values: what the person record already says. */
    json_object_set_new(
        o, "prefill",
        json_pack("{s:I, s:b, s:o, s:o, s:o}", "person_id", (json_int_t)person_id, "looked_after",
                  f.looked_after, "responsible_la", f.la[0] ? json_string(f.la) : json_null(),
                  "description", p ? json_incref(json_object_get(p, "description")) : json_null(),
                  "photo_ref", p ? json_incref(json_object_get(p, "photo_ref")) : json_null()));
    return o;
}

/* ---- taking a report -------------------------------------------------------------- */

static int user_active(struct store *s, const json_t *body, const char *key,
                       struct domain_error *err)
{
    const json_t *v = json_object_get(body, key);
    if (!json_is_integer(v))
        return 0;
    struct stmt *st = store_prepare(s, SQL_MIS_USER_ACTIVE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, json_integer_value(v));
    int rc = stmt_step(st);
    stmt_reset(st);
    if (rc == STORE_ROW)
        return 0;
    return domain_fail(err, 422, "invalid_field", key, "'%s': there is no active user with id %lld",
                       key, (long long)json_integer_value(v));
}

/* Links the new episode both ways with every still-missing episode of
 * another child from the same home or placement. */
static int link_same_place(struct store *s, int64_t id, int64_t pid, const char *key,
                           bool placement, const struct user *u, int64_t now,
                           struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_MIS_SAME_FROM);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, key);
    stmt_bind_int(st, 2, id);
    stmt_bind_int(st, 3, pid);
    int64_t others[32];
    char refs[32][32];
    int n = 0;
    while (n < 32 && stmt_step(st) == STORE_ROW) {
        others[n] = stmt_int(st, 0);
        snprintf(refs[n], sizeof(refs[n]), "%s", stmt_text(st, 1));
        n++;
    }
    stmt_reset(st);
    const char *reason = placement ? "same_placement" : "same_address";
    for (int i = 0; i < n; i++)
        if (missing_link_pair(s, id, others[i], reason,
                              "found when the report was taken: still missing from the same place",
                              u, now, err) < 0)
            return -1;
    return 0;
}

int64_t missing_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                       struct domain_error *err)
{
    assert(s && body && err);
    char ts[TS_TEXT_LEN], reported[TS_TEXT_LEN];
    ts_format(now, ts);
    int64_t rep = now, seen = 0;
    const char *rep_s = jstr(body, "reported_at");
    if (rep_s) {
        ts_parse(rep_s, &rep);
        if (rep > now)
            return domain_fail(err, 422, "invalid_field", "reported_at",
                               "'reported_at' must not be in the future");
    }
    ts_format(rep, reported);
    ts_parse(jstr(body, "last_seen_at"), &seen);
    if (seen > rep)
        return domain_fail(err, 422, "invalid_field", "last_seen_at",
                           "'last_seen_at' must be at or before the time of the report");
    int64_t pid = json_integer_value(json_object_get(body, "person_id"));
    struct person_facts f;
    int rc = person_facts(s, pid, u, rep, &f);
    if (rc < 0)
        return domain_store_fail(err, s, rc);
    if (rc == 0)
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': there is no person with id %lld", (long long)pid);
    if (user_active(s, body, "officer_id", err) < 0 ||
        user_active(s, body, "supervisor_id", err) < 0)
        return -1;
    /* One child is missing once at a time: new information belongs on the
     * open episode. */
    struct stmt *open_st = store_prepare(s, SQL_MIS_OPEN_FOR_PERSON);
    if (!open_st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(open_st, 1, pid);
    if (stmt_step(open_st) == STORE_ROW) {
        char open_ref[32];
        snprintf(open_ref, sizeof(open_ref), "%s", stmt_text(open_st, 0));
        stmt_reset(open_st);
        return domain_fail(err, 409, "already_missing", "person_id",
                           "this person is already recorded as missing in %s: add to that "
                           "episode, or record their return first",
                           open_ref);
    }
    stmt_reset(open_st);

    /* The person record and the Philomena profile fill what the report
     * leaves out; what the report gives wins. */
    bool looked_after =
        jhas(body, "looked_after") ? jbool(body, "looked_after", 0) : f.looked_after;
    const char *la = jstr(body, "responsible_la");
    if (!la && f.la[0])
        la = f.la;
    if (looked_after && !la)
        return domain_fail(err, 422, "missing_field", "responsible_la",
                           "a looked-after child's responsible local authority is needed");
    json_t *profile = profile_json(s, pid);
    const char *description = jstr(body, "description"), *photo = jstr(body, "photo_ref");
    if (!description && profile)
        description = jstr(profile, "description");
    if (!photo && profile)
        photo = jstr(profile, "photo_ref");

    /* Age unknown: a child until shown otherwise (PACE Code C 1.5). */
    int is_child = f.is_child != 0;

    struct civil_date d = date_of_ts(rep);
    char like[32], ref[32];
    snprintf(like, sizeof(like), "MIS-%04d-%%", d.year % 10000);
    struct stmt *st = store_prepare(s, SQL_MIS_NEXT_SEQ);
    if (!st) {
        json_decref(profile);
        return domain_store_fail(err, s, STORE_ERROR);
    }
    stmt_bind_text(st, 1, like);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(ref, sizeof(ref), "MIS-%04d-%06lld", d.year % 10000, (long long)seq);

    /* Repeat missing: episodes in the window before this report, plus this. */
    char window_from[TS_TEXT_LEN];
    ts_format(rep - (int64_t)repeat_window_days * 86400, window_from);
    int64_t repeats = 1;
    st = store_prepare(s, SQL_MIS_REPEATS);
    if (st) {
        stmt_bind_int(st, 1, pid);
        stmt_bind_text(st, 2, window_from);
        stmt_bind_text(st, 3, reported);
        if (stmt_step(st) == STORE_ROW)
            repeats += stmt_int(st, 0);
        stmt_reset(st);
    }

    char key[320];
    place_key(jstr(body, "missing_from"), key, sizeof(key));
    st = store_prepare(s, SQL_MIS_INSERT);
    if (!st) {
        json_decref(profile);
        return domain_store_fail(err, s, STORE_ERROR);
    }
    const json_t *officer = json_object_get(body, "officer_id");
    const json_t *sup = json_object_get(body, "supervisor_id");
    stmt_bind_text(st, 1, ref);
    stmt_bind_int(st, 2, pid);
    stmt_bind_int(st, 3, is_child);
    stmt_bind_int(st, 4, looked_after);
    stmt_bind_text(st, 5, la);
    stmt_bind_text(st, 6, reported);
    stmt_bind_text(st, 7, jstr(body, "reported_by"));
    stmt_bind_text(st, 8, jstr(body, "reported_by_relationship"));
    stmt_bind_text(st, 9, jstr(body, "reported_by_contact"));
    stmt_bind_text(st, 10, jstr(body, "last_seen_at"));
    stmt_bind_text(st, 11, jstr(body, "last_seen_location"));
    stmt_bind_text(st, 12, jstr(body, "missing_from"));
    stmt_bind_text(st, 13, key);
    stmt_bind_text(st, 14, jstr(body, "circumstances"));
    stmt_bind_text(st, 15, description);
    stmt_bind_text(st, 16, photo);
    stmt_bind_text(st, 17, jstr(body, "risk"));
    stmt_bind_text(st, 18, jstr(body, "risk_rationale"));
    stmt_bind_text(st, 19, reported);
    if (json_is_integer(officer))
        stmt_bind_int(st, 20, json_integer_value(officer));
    else
        missing_bind_user(st, 20, u);
    if (json_is_integer(sup))
        stmt_bind_int(st, 21, json_integer_value(sup));
    else
        stmt_bind_null(st, 21);
    stmt_bind_text(st, 22, u && u->team[0] ? u->team : NULL);
    stmt_bind_text(st, 23, reported); /* the review clock starts at the report */
    stmt_bind_int(st, 24, repeats);
    missing_bind_user(st, 25, u);
    stmt_bind_text(st, 26, ts);
    stmt_bind_text(st, 27, ts);
    int64_t id;
    rc = stmt_returning_id(st, &id);
    json_decref(profile);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);

    char text[512];
    snprintf(text, sizeof(text), "Reported missing by %s; last seen %s", jstr(body, "reported_by"),
             jstr(body, "last_seen_location"));
    if ((rc = missing_event(s, id, reported, "report", text, NULL, u, now)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    snprintf(text, sizeof(text), "Risk graded %s: %.400s", jstr(body, "risk"),
             jstr(body, "risk_rationale"));
    if ((rc = missing_event(s, id, reported, "risk_change", text, jstr(body, "risk"), u, now)) !=
        STORE_OK)
        return domain_store_fail(err, s, rc);
    if (repeats >= repeat_count) {
        snprintf(text, sizeof(text),
                 "Repeat missing: episode %lld in %d days (the force's threshold is %d)",
                 (long long)repeats, repeat_window_days, repeat_count);
        if ((rc = missing_event(s, id, reported, "note", text, NULL, u, now)) != STORE_OK)
            return domain_store_fail(err, s, rc);
    }
    if (link_same_place(s, id, pid, key, looked_after, u, now, err) < 0 ||
        missing_finish_change(s, id, now, err) < 0)
        return -1;
    return id;
}

/* ---- reading ------------------------------------------------------------------------- */

/* Seconds as "3 h 20 min" / "2 days 4 h". */
static json_t *duration_text(int64_t secs)
{
    char t[48];
    duration_words(secs, t, sizeof(t));
    return json_string(t);
}

/* What closing still needs, in words (empty when it can close). */
json_t *missing_close_blockers(const json_t *rec)
{
    json_t *arr = json_array();
    const char *status = jstr(rec, "status");
    if (strcmp(status, "closed") == 0)
        return arr;
    if (strcmp(status, "missing") == 0)
        json_array_append_new(arr, json_string("record the return (when, where, by whom, state)"));
    if (!jstr(rec, "prevention_interview_at"))
        json_array_append_new(arr, json_string("record the prevention interview"));
    if (json_is_true(json_object_get(rec, "is_child")) && !jstr(rec, "rhi_referred_at"))
        json_array_append_new(arr,
                              json_string("ask the local authority for a return home interview"));
    if ((json_is_true(json_object_get(rec, "exploitation_cse")) ||
         json_is_true(json_object_get(rec, "exploitation_cce"))) &&
        !jstr(rec, "referral_recorded_at"))
        json_array_append_new(arr, json_string("record the referral the exploitation indicators "
                                               "need"));
    return arr;
}

json_t *missing_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = missing_core_get(s, id);
    if (!o)
        return NULL;
    json_object_del(o, "missing_from_key");
    int64_t pid = json_integer_value(json_object_get(o, "person_id"));
    int64_t rep = 0;
    ts_parse(jstr(o, "reported_at"), &rep);
    struct person_facts f;
    if (person_facts(s, pid, viewer, rep, &f) == 1)
        json_object_set_new(o, "person",
                            json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)pid, "given_name",
                                      f.given, "family_name", f.family, "age_when_reported",
                                      f.age >= 0 ? json_integer(f.age) : json_null()));
    else
        json_object_set_new(o, "person",
                            json_pack("{s:I, s:b}", "id", (json_int_t)pid, "restricted", 1));

    int64_t seen = 0, back = 0;
    ts_parse(jstr(o, "last_seen_at"), &seen);
    const char *ret = jstr(o, "returned_at");
    if (ret)
        ts_parse(ret, &back);
    json_object_set_new(o, "missing_for", duration_text((ret ? back : now) - seen));
    json_object_set_new(o, "missing_minutes",
                        json_integer((json_int_t)(((ret ? back : now) - seen) / 60)));
    json_object_set_new(
        o, "repeat",
        json_pack("{s:b, s:I, s:i, s:i}", "is_repeat",
                  json_integer_value(json_object_get(o, "repeat_count")) >= repeat_count, "count",
                  json_integer_value(json_object_get(o, "repeat_count")), "threshold", repeat_count,
                  "window_days", repeat_window_days));

    json_t *tasks = rules_record_tasks(s, "missing_episode", id, now);
    json_t *next_review = json_null();
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        if (strncmp(jstr(t, "rule"), "missing.review_", 15) == 0 && json_is_null(next_review))
            next_review = json_pack("{s:O, s:O, s:O}", "due_at", json_object_get(t, "due_at"),
                                    "overdue", json_object_get(t, "overdue"), "overdue_for",
                                    json_object_get(t, "overdue_for"));
    }
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "next_review", next_review);

    static const struct column_spec ev_names[] = {{"id", 'i'},         {"at", 's'},   {"kind", 's'},
                                                  {"text", 's'},       {"risk", 's'}, {"by", 's'},
                                                  {"recorded_at", 's'}};
    json_object_set_new(o, "timeline", store_rows_by_id(s, SQL_MIS_EVENTS, id, ev_names, 7));
    static const struct column_spec rv_names[] = {
        {"at", 's'},        {"due_at", 's'},       {"risk_before", 's'}, {"risk", 's'},
        {"rationale", 's'}, {"by_inspector", 'b'}, {"by", 's'}};
    json_t *reviews = store_rows_by_id(s, SQL_MIS_REVIEWS, id, rv_names, 7);
    json_t *r;
    json_array_foreach(reviews, i, r)
    {
        json_object_set_new(r, "on_time",
                            json_boolean(strcmp(jstr(r, "at"), jstr(r, "due_at")) <= 0));
    }
    json_object_set_new(o, "reviews", reviews);
    static const struct column_spec ri_names[] = {
        {"info", 's'},        {"source", 's'}, {"source_contact", 's'},
        {"obtained_at", 's'}, {"by", 's'},     {"recorded_at", 's'}};
    json_object_set_new(o, "risk_info", store_rows_by_id(s, SQL_MIS_RISK_INFO, id, ri_names, 6));

    /* Links: the other child named only when this viewer may see them. */
    json_t *links = json_array();
    struct stmt *st = store_prepare(s, SQL_MIS_LINKS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            json_t *l =
                json_pack("{s:I, s:s, s:s, s:o, s:s}", "episode_id", (json_int_t)stmt_int(st, 0),
                          "reference", stmt_text(st, 1), "reason", stmt_text(st, 2), "note",
                          stmt_json_text(st, 3), "status", stmt_text(st, 7));
            if (!viewer || auth_person_visible(s, stmt_int(st, 4), viewer))
                json_object_set_new(l, "name",
                                    json_pack("s++", stmt_text(st, 5), " ", stmt_text(st, 6)));
            json_array_append_new(links, l);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "links", links);

    json_t *others = json_array();
    st = store_prepare(s, SQL_MIS_PERSON_EPISODES);
    if (st) {
        stmt_bind_int(st, 1, pid);
        stmt_bind_int(st, 2, id);
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(
                others, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id",
                                  (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1),
                                  "reported_at", stmt_text(st, 2), "status", stmt_text(st, 3),
                                  "risk", stmt_text(st, 4), "returned_at", stmt_json_text(st, 5)));
        stmt_reset(st);
    }
    json_object_set_new(o, "previous_episodes", others);
    json_t *p = profile_json(s, pid);
    json_object_set_new(o, "philomena", p ? p : json_null());
    json_object_set_new(o, "close_needs", missing_close_blockers(o));
    json_object_set_new(o, "choices",
                        json_pack("{s:[s,s,s], s:[s,s,s,s], s:[s,s,s,s,s], s:[s,s,s,s], s:[s,s]}",
                                  "risks", "high", "medium", "low", "event_kinds", "action",
                                  "enquiry", "sighting", "note", "returned_states", "safe_and_well",
                                  "harmed", "unwell", "arrested", "other", "link_reasons",
                                  "missing_together", "same_address", "same_placement", "other",
                                  "rhi_outcomes", "completed", "declined"));
    return o;
}

json_t *missing_list(struct store *s, const char *status, const struct user *viewer, int64_t now)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_MIS_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, status ? status : "open");
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    int rc;
    int counts[3] = {0, 0, 0};
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t pid = stmt_int(st, 2);
        int64_t seen = 0, back = 0;
        ts_parse(stmt_text(st, 11), &seen);
        bool returned = !stmt_is_null(st, 12);
        if (returned)
            ts_parse(stmt_text(st, 12), &back);
        const char *due = stmt_is_null(st, 17) ? NULL : stmt_text(st, 17);
        const char *task_due = stmt_is_null(st, 18) ? NULL : stmt_text(st, 18);
        json_t *e = json_pack(
            "{s:I, s:s, s:I, s:b, s:b, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:b, s:b, s:b, s:s, "
            "s:o, s:o, s:b, s:b, s:o}",
            "id", (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "person_id",
            (json_int_t)pid, "is_child", stmt_int(st, 6) != 0, "looked_after", stmt_int(st, 7) != 0,
            "status", stmt_text(st, 8), "risk", stmt_text(st, 9), "reported_at", stmt_text(st, 10),
            "last_seen_at", stmt_text(st, 11), "returned_at", stmt_json_text(st, 12), "missing_for",
            duration_text((returned ? back : now) - seen), "repeat_count",
            (json_int_t)stmt_int(st, 13), "is_repeat", stmt_int(st, 13) >= repeat_count,
            "exploitation_cse", stmt_int(st, 14) != 0, "exploitation_cce", stmt_int(st, 15) != 0,
            "missing_from", stmt_text(st, 16), "next_review_due",
            due ? json_string(due) : json_null(), "next_task_due",
            task_due ? json_string(task_due) : json_null(), "review_overdue",
            due && strcmp(due, now_ts) < 0, "task_overdue",
            task_due && strcmp(task_due, now_ts) < 0, "officer_name", stmt_json_text(st, 19));
        if (!viewer || auth_person_visible(s, pid, viewer))
            json_object_set_new(e, "name",
                                json_pack("s++", stmt_text(st, 3), " ", stmt_text(st, 4)));
        else
            json_object_set_new(e, "restricted", json_true());
        if (strcmp(stmt_text(st, 8), "missing") == 0)
            counts[missing_risk_rank(stmt_text(st, 9)) % 3]++;
        json_array_append_new(arr, e);
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return json_pack("{s:o, s:s, s:{s:i, s:i, s:i}}", "episodes", arr, "status",
                     status ? status : "open", "missing_by_risk", "high", counts[0], "medium",
                     counts[1], "low", counts[2]);
}
