/*
 * offenders.c — the offender record (DOMAIN.md R7): its fields, the
 * configurable figures, the notification period a conviction gives,
 * registration, convictions, orders, notifications with their deadlines and
 * breaches, risk assessments, the plan and its reviews, home visits, the
 * dates every clock runs from (offenders_dues()), and reading a record whole.
 *
 * Reactive management, intelligence, children in the household, concerns
 * and briefings, and recording quality are in offenders_manage.c.
 */
#include "modules/offenders/offenders.h"
#include "auth/auth.h"
#include "modules/assurance/assurance.h"
#include "modules/incidents/incidents.h"
#include "modules/offenders/offenders_internal.h"
#include "modules/offenders/offenders_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const offender_risk_levels[] = {"very_high", "high", "medium", "low", NULL};
const char *const offender_notification_kinds[] = {
    "initial", "name",   "home_address", "other_address",   "stay",      "release",
    "annual",  "weekly", "travel",       "household_child", "bank_card", "identity_document",
    NULL};
static const char *const disposals[] = {"custody", "caution", "other", NULL};
static const char *const order_kinds[] = {"shpo", "sro", "notification_order", "other", NULL};
static const char *const visit_kinds[] = {"announced", "unannounced", NULL};

#define ID_MAX 9007199254740991LL
#define TEXT   4000

/* clang-format off */
const struct field offender_conviction_fields[] = {
    {.name = "offence", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 300},
    {.name = "convicted_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "disposal", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = disposals},
    {.name = "custody_months", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 0, .max = 1200},
    {.name = "age_at_conviction", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 10, .max = 120},
    {0}};
const struct field offender_create_fields[] = {
    {.name = "person_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = ID_MAX},
    {.name = "registered_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "offender_manager_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "team", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "area", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "no_fixed_abode", .type = FIELD_BOOL},
    {.name = "photo_ref", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "mappa_category", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = 3},
    {.name = "mappa_level", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = 3},
    {.name = "convictions", .type = FIELD_ARRAY, .flags = FIELD_REQUIRED, .max_len = 20, .children = offender_conviction_fields},
    {0}};
const struct field offender_details_fields[] = {
    {.name = "offender_manager_id", .type = FIELD_INT, .min = 1, .max = ID_MAX},
    {.name = "team", .type = FIELD_STRING, .max_len = 64},
    {.name = "area", .type = FIELD_STRING, .max_len = 64},
    {.name = "no_fixed_abode", .type = FIELD_BOOL},
    {.name = "photo_ref", .type = FIELD_STRING, .max_len = 200},
    {.name = "mappa_category", .type = FIELD_INT, .min = 1, .max = 3},
    {.name = "mappa_level", .type = FIELD_INT, .min = 1, .max = 3},
    {0}};
const struct field offender_order_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = order_kinds},
    {.name = "made_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "expires_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "conditions", .type = FIELD_STRINGS, .flags = FIELD_REQUIRED, .max_len = 30, .max = 500},
    {0}};
const struct field offender_notification_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = offender_notification_kinds},
    {.name = "detail", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 2000},
    {.name = "event_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "notified_on", .type = FIELD_DATE},
    {.name = "line1", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 200},
    {.name = "postcode", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 10},
    {.name = "child_person_id", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = ID_MAX},
    {.name = "reasonable_excuse", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 2000},
    {0}};
const struct field offender_risk_fields[] = {
    {.name = "level", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = offender_risk_levels},
    {.name = "assessed_on", .type = FIELD_DATE},
    {.name = "next_due_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field offender_plan_fields[] = {
    {.name = "visit_months", .type = FIELD_INT, .flags = FIELD_NULLABLE, .min = 1, .max = 24},
    {.name = "summary", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
const struct field offender_visit_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = visit_kinds},
    {.name = "planned_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "done_on", .type = FIELD_DATE, .flags = FIELD_NULLABLE},
    {.name = "access", .type = FIELD_BOOL},
    {.name = "findings", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = TEXT},
    {0}};
const struct field offender_visit_outcome_fields[] = {
    {.name = "done_on", .type = FIELD_DATE},
    {.name = "access", .type = FIELD_BOOL},
    {.name = "findings", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = TEXT},
    {0}};
/* clang-format on */

/* ---- the configurable figures ----------------------------------------------------- */

struct offenders_config offenders_cfg = {
    .visit_months = {1, 3, 6, 12},
    .indefinite_custody_months = 30,
    .short_custody_months = 6,
    .years_mid_custody = 10,
    .years_short_custody = 7,
    .years_caution = 2,
    .years_other = 5,
    .review_years_adult = 15,
    .review_years_youth = 8,
    .notify_days = 3,
    .travel_notice_days = 7,
    .annual_months = 12,
    .weekly_days = 7,
    .plan_review_months = 12,
    .risk_review_months = 12,
    .first_assessment_days = 28,
    .concern_review_days = 28,
};

static const struct {
    const char *name;
    int *value;
    int min, max;
} settings[] = {
    {"visit_months.very_high", &offenders_cfg.visit_months[0], 1, 24},
    {"visit_months.high", &offenders_cfg.visit_months[1], 1, 24},
    {"visit_months.medium", &offenders_cfg.visit_months[2], 1, 24},
    {"visit_months.low", &offenders_cfg.visit_months[3], 1, 24},
    {"period.indefinite_custody_months", &offenders_cfg.indefinite_custody_months, 1, 1200},
    {"period.short_custody_months", &offenders_cfg.short_custody_months, 0, 1200},
    {"period.years_mid_custody", &offenders_cfg.years_mid_custody, 1, 50},
    {"period.years_short_custody", &offenders_cfg.years_short_custody, 1, 50},
    {"period.years_caution", &offenders_cfg.years_caution, 1, 50},
    {"period.years_other", &offenders_cfg.years_other, 1, 50},
    {"period.review_years_adult", &offenders_cfg.review_years_adult, 1, 50},
    {"period.review_years_youth", &offenders_cfg.review_years_youth, 1, 50},
    {"notify_days", &offenders_cfg.notify_days, 1, 60},
    {"travel_notice_days", &offenders_cfg.travel_notice_days, 0, 60},
    {"annual_months", &offenders_cfg.annual_months, 1, 24},
    {"weekly_days", &offenders_cfg.weekly_days, 1, 60},
    {"plan_review_months", &offenders_cfg.plan_review_months, 1, 36},
    {"risk_review_months", &offenders_cfg.risk_review_months, 1, 36},
    {"first_assessment_days", &offenders_cfg.first_assessment_days, 1, 365},
    {"concern_review_days", &offenders_cfg.concern_review_days, 1, 365},
};
#define NSETTINGS ((int)(sizeof(settings) / sizeof(settings[0])))

int offenders_configure(const char *name, const char *value, char *err, size_t errlen)
{
    for (int i = 0; i < NSETTINGS; i++) {
        if (strcmp(settings[i].name, name) != 0)
            continue;
        char *end;
        long v = strtol(value, &end, 10);
        if (!*value || *end || v < settings[i].min || v > settings[i].max) {
            snprintf(err, errlen, "'offenders.%s' must be a whole number from %d to %d, not '%s'",
                     name, settings[i].min, settings[i].max, value);
            return -1;
        }
        *settings[i].value = (int)v;
        return 0;
    }
    snprintf(err, errlen, "no setting 'offenders.%s' (see docs/offenders.md)", name);
    return -1;
}

static int level_index(const char *level)
{
    for (int i = 0; level && offender_risk_levels[i]; i++)
        if (strcmp(level, offender_risk_levels[i]) == 0)
            return i;
    return 0; /* unassessed: as very high until assessed */
}

int offenders_fallback_visit_months(const char *level)
{
    return offenders_cfg.visit_months[level_index(level)];
}

static void years_text(int months, char *out, size_t cap)
{
    if (months % 12 == 0)
        snprintf(out, cap, "%d years", months / 12);
    else
        snprintf(out, cap, "%d.%d years", months / 12, (months % 12) * 10 / 12);
}

void offenders_period(const char *disposal, int custody_months, int age,
                      struct offender_period *out)
{
    assert(disposal && out);
    const struct offenders_config *c = &offenders_cfg;
    bool youth = age < 18;
    bool custody = strcmp(disposal, "custody") == 0;
    char what[120];
    int years;
    out->review_years = 0;
    if (custody && custody_months >= c->indefinite_custody_months) {
        out->months = -1;
        out->review_years = youth ? c->review_years_youth : c->review_years_adult;
        snprintf(out->rule, sizeof(out->rule),
                 "indefinite: custody of %d months or more; reviewable after %d years%s "
                 "(SOA 2003 s82, s91B)",
                 c->indefinite_custody_months, out->review_years,
                 youth ? " as under 18 at conviction" : "");
        return;
    }
    if (custody && custody_months > c->short_custody_months) {
        years = c->years_mid_custody;
        snprintf(what, sizeof(what), "custody of more than %d and under %d months",
                 c->short_custody_months, c->indefinite_custody_months);
    } else if (custody) {
        years = c->years_short_custody;
        snprintf(what, sizeof(what), "custody of %d months or less", c->short_custody_months);
    } else if (strcmp(disposal, "caution") == 0) {
        years = c->years_caution;
        snprintf(what, sizeof(what), "a caution");
    } else {
        years = c->years_other;
        snprintf(what, sizeof(what), "a non-custodial sentence");
    }
    out->months = years * 12 / (youth ? 2 : 1);
    char yt[24];
    years_text(out->months, yt, sizeof(yt));
    if (youth)
        snprintf(out->rule, sizeof(out->rule),
                 "%s: %s, %d years halved as under 18 at conviction (SOA 2003 s82)", yt, what,
                 years);
    else
        snprintf(out->rule, sizeof(out->rule), "%s: %s (SOA 2003 s82)", yt, what);
}

/* {years|indefinite, rule} as the API shows a period. */
static json_t *period_json(int months, const char *rule)
{
    json_t *o = json_pack("{s:s}", "rule", rule);
    if (months < 0)
        json_object_set_new(o, "indefinite", json_true());
    else if (months % 12 == 0)
        json_object_set_new(o, "years", json_integer(months / 12));
    else
        json_object_set_new(o, "years", json_real(months / 12.0));
    return o;
}

/* ---- small helpers ------------------------------------------------------------------ */

int offenders_fail_store(struct store *s, int rc, struct domain_error *err)
{
    return domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
}

void offenders_bind_user(struct stmt *st, int idx, const struct user *u)
{
    if (u)
        stmt_bind_int(st, idx, u->id);
    else
        stmt_bind_null(st, idx);
}

void offenders_today(int64_t now, char out[DATE_TEXT_LEN])
{
    struct civil_date d = date_of_ts(ts_uk_local(now));
    date_format(&d, out);
}

void offenders_add_days(const char *date, int days, char out[DATE_TEXT_LEN])
{
    struct civil_date d;
    if (!date || date_parse(date, &d) < 0) {
        out[0] = '\0';
        return;
    }
    d = date_from_days(date_to_days(&d) + days);
    date_format(&d, out);
}

void offenders_add_months(const char *date, int months, char out[DATE_TEXT_LEN])
{
    struct civil_date d;
    if (!date || date_parse(date, &d) < 0) {
        out[0] = '\0';
        return;
    }
    d = assurance_due_on(d, months);
    date_format(&d, out);
}

void offenders_day_start(const char *date, char out[TS_TEXT_LEN])
{
    struct civil_date d;
    if (!date || !*date || date_parse(date, &d) < 0) {
        out[0] = '\0';
        return;
    }
    ts_format(ts_uk_midnight(&d), out);
}

int offenders_date(const json_t *body, const char *key, const char *dflt, bool future_ok,
                   int64_t now, char out[DATE_TEXT_LEN], struct domain_error *err)
{
    const char *given = jstr(body, key);
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    if (!given) {
        snprintf(out, DATE_TEXT_LEN, "%s", dflt ? dflt : today);
        return 0;
    }
    if (!future_ok && strcmp(given, today) > 0)
        return domain_fail(err, 422, "invalid_field", key, "'%s' must not be in the future", key);
    snprintf(out, DATE_TEXT_LEN, "%s", given);
    return 0;
}

/* The display name, team and area of an active user; -1 with err naming key. */
static int active_user(struct store *s, int64_t uid, const char *key, char team[64], char area[64],
                       struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_OF_USER);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, uid);
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        snprintf(team, 64, "%s", stmt_is_null(st, 1) ? "" : stmt_text(st, 1));
        snprintf(area, 64, "%s", stmt_is_null(st, 2) ? "" : stmt_text(st, 2));
    }
    stmt_reset(st);
    if (rc == STORE_ROW)
        return 0;
    return domain_fail(err, 422, "invalid_field", key, "'%s': there is no active user with id %lld",
                       key, (long long)uid);
}

/* SQL_OF_GET's columns, in order. */
static const struct column_spec offender_columns[] = {
    {"id", 'i'},
    {"reference", 's'},
    {"person_id", 'i'},
    {"registered_on", 's'},
    {"offender_manager_id", 'i'},
    {"team", 's'},
    {"area", 's'},
    {"no_fixed_abode", 'b'},
    {"photo_ref", 's'},
    {"risk_level", 's'},
    {"risk_assessed_on", 's'},
    {"risk_next_due_on", 's'},
    {"mappa_category", 'i'},
    {"mappa_level", 'i'},
    {"management", 's'},
    {"reactive_eligible", 'b'},
    {"plan_visit_months", 'i'},
    {"plan_summary", 's'},
    {"plan_reviewed_at", 's'},
    {"plan_review_prompted_at", 's'},
    {"plan_review_reason", 's'},
    {"version", 'i'},
    {"created_at", 's'},
    {"updated_at", 's'},
    {"offender_manager_name", 's'},
};
#define NCOLUMNS ((int)(sizeof(offender_columns) / sizeof(offender_columns[0])))

static json_t *row_get(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_OF_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = stmt_row_object(st, offender_columns, NCOLUMNS);
    stmt_reset(st);
    return o;
}

json_t *offenders_load(struct store *s, int64_t id, struct domain_error *err)
{
    json_t *o = row_get(s, id);
    if (!o)
        domain_fail(err, 404, "not_found", NULL, "no offender with id %lld", (long long)id);
    return o;
}

/* ---- the dates every clock runs from ----------------------------------------------- */

/* The overall notification period: months (-1 indefinite, -2 none
 * recorded) and the latest end date of the finite ones. */
static void overall_period(struct store *s, int64_t id, int *months, char ends[DATE_TEXT_LEN])
{
    *months = -2;
    ends[0] = '\0';
    struct stmt *st = store_prepare(s, SQL_OF_CONVICTIONS);
    if (!st)
        return;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        if (stmt_is_null(st, 6)) {
            *months = -1;
            continue;
        }
        if (*months == -2 || (*months >= 0 && stmt_int(st, 6) > *months))
            *months = (int)stmt_int(st, 6);
        if (!stmt_is_null(st, 8) && strcmp(stmt_text(st, 8), ends) > 0)
            snprintf(ends, DATE_TEXT_LEN, "%s", stmt_text(st, 8));
    }
    stmt_reset(st);
}

static void text_col(struct store *s, const char *sql, int64_t id, char *out, size_t cap)
{
    out[0] = '\0';
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) == STORE_ROW && !stmt_is_null(st, 0))
        snprintf(out, cap, "%s", stmt_text(st, 0));
    stmt_reset(st);
}

int offenders_dues(struct store *s, int64_t id, int64_t now, struct offender_dues *d)
{
    memset(d, 0, sizeof(*d));
    json_t *o = row_get(s, id);
    if (!o)
        return -1;
    const struct offenders_config *c = &offenders_cfg;
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    const char *registered = jstr(o, "registered_on");
    int months;
    overall_period(s, id, &months, d->period_ends_on);
    d->in_force = months == -1 || !d->period_ends_on[0] || strcmp(d->period_ends_on, today) >= 0;
    if (months == -1)
        d->period_ends_on[0] = '\0';
    d->reactive = strcmp(jstr(o, "management"), "reactive") == 0;
    snprintf(d->risk_level, sizeof(d->risk_level), "%s",
             jstr(o, "risk_level") ? jstr(o, "risk_level") : "");

    /* Visits: the plan's frequency, else the fallback for the risk level,
     * from the last visit that met the offender (or registration). */
    json_t *pv = json_object_get(o, "plan_visit_months");
    d->visit_from_plan = json_is_integer(pv);
    d->visit_months = d->visit_from_plan ? (int)json_integer_value(pv)
                                         : offenders_fallback_visit_months(jstr(o, "risk_level"));
    text_col(s, SQL_OF_LAST_VISIT, id, d->last_visit_on, sizeof(d->last_visit_on));
    if (!d->reactive)
        offenders_add_months(d->last_visit_on[0] ? d->last_visit_on : registered, d->visit_months,
                             d->visit_due_on);

    /* The plan reviewed at least every plan_review_months. */
    char reviewed[DATE_TEXT_LEN] = "";
    if (jstr(o, "plan_reviewed_at")) {
        int64_t t = 0;
        ts_parse(jstr(o, "plan_reviewed_at"), &t);
        offenders_today(t, reviewed);
    }
    offenders_add_months(reviewed[0] ? reviewed : registered, c->plan_review_months,
                         d->plan_review_due_on);

    if (jstr(o, "risk_next_due_on"))
        snprintf(d->risk_due_on, sizeof(d->risk_due_on), "%s", jstr(o, "risk_next_due_on"));
    else
        offenders_add_days(registered, c->first_assessment_days, d->risk_due_on);

    /* The next notification the offender owes: the initial one, then
     * annually from the last (the anniversary moves with every notification
     * but travel), weekly without a sole or main residence. */
    struct stmt *st = store_prepare(s, SQL_OF_LAST_NOTIFIED);
    char last[DATE_TEXT_LEN] = "";
    int64_t count = 0;
    if (st) {
        stmt_bind_int(st, 1, id);
        if (stmt_step(st) == STORE_ROW) {
            count = stmt_int(st, 1);
            if (!stmt_is_null(st, 0))
                snprintf(last, sizeof(last), "%s", stmt_text(st, 0));
        }
        stmt_reset(st);
    }
    if (!count) {
        offenders_add_days(registered, c->notify_days, d->notify_due_on);
        snprintf(d->notify_due_kind, sizeof(d->notify_due_kind), "initial");
    } else if (jbool(o, "no_fixed_abode", 0)) {
        offenders_add_days(last, c->weekly_days, d->notify_due_on);
        snprintf(d->notify_due_kind, sizeof(d->notify_due_kind), "weekly");
    } else {
        offenders_add_months(last, c->annual_months, d->notify_due_on);
        snprintf(d->notify_due_kind, sizeof(d->notify_due_kind), "annual");
    }
    json_decref(o);
    return 0;
}

/* The record as the rules read it (new reference): the row, officer_id
 * (the offender manager owns the tasks) and the day each clock starts. */
static json_t *rules_record(struct store *s, int64_t id, int64_t now)
{
    json_t *o = row_get(s, id);
    struct offender_dues d;
    if (!o || offenders_dues(s, id, now, &d) < 0) {
        json_decref(o);
        return NULL;
    }
    json_object_set(o, "officer_id", json_object_get(o, "offender_manager_id"));
    json_object_set_new(o, "in_force", json_boolean(d.in_force));
    char ts[TS_TEXT_LEN];
    struct {
        const char *key, *date;
    } days[] = {{"visit_due_from", d.visit_due_on},
                {"plan_review_due_from", d.plan_review_due_on},
                {"risk_due_from", d.risk_due_on},
                {"notify_due_from", d.notify_due_on}};
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        offenders_day_start(days[i].date, ts);
        if (ts[0])
            json_object_set_new(o, days[i].key, json_string(ts));
    }
    char next[DATE_TEXT_LEN];
    text_col(s, SQL_OF_CONCERN_NEXT_DUE, id, next, sizeof(next));
    offenders_day_start(next, ts);
    if (ts[0])
        json_object_set_new(o, "concern_review_from", json_string(ts));
    struct stmt *st = store_prepare(s, SQL_OF_INTEL_OPEN);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW)
            json_object_set_new(o,
                                strcmp(stmt_text(st, 0), "urgent") == 0 ? "reactive_urgent_from"
                                                                        : "reactive_routine_from",
                                json_string(stmt_text(st, 1)));
        stmt_reset(st);
    }
    return o;
}

int offenders_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_TOUCH);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    json_t *rec = rules_record(s, id, now);
    if (!rec)
        return offenders_fail_store(s, STORE_ERROR, err);
    rc = rules_evaluate(s, "offender", rec, 0, now);
    json_decref(rec);
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

/* ---- the person flag ------------------------------------------------------------------ */

/* Keeps registered_sex_offender on the person from registration to the end
 * of the notification period (open while indefinite). */
static int sync_flag(struct store *s, int64_t id, int64_t person, const char *registered,
                     int64_t now, struct domain_error *err)
{
    int months;
    char ends[DATE_TEXT_LEN], ts[TS_TEXT_LEN];
    overall_period(s, id, &months, ends);
    ts_format(now, ts);
    const char *to = months == -1 || !ends[0] ? NULL : ends;
    const char *note = "Kept by the offender register (offender management)";
    struct stmt *st = store_prepare(s, SQL_OF_FLAG_FIND);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, person);
    int64_t flag = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    st = store_prepare(s, flag ? SQL_OF_FLAG_UPDATE : SQL_OF_FLAG_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    if (flag) {
        stmt_bind_text(st, 1, registered);
        stmt_bind_text(st, 2, to);
        stmt_bind_text(st, 3, note);
        stmt_bind_int(st, 4, flag);
    } else {
        stmt_bind_int(st, 1, person);
        stmt_bind_text(st, 2, registered);
        stmt_bind_text(st, 3, to);
        stmt_bind_text(st, 4, note);
    }
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK) {
        st = store_prepare(s, SQL_OF_PERSON_TOUCH);
        if (!st)
            return offenders_fail_store(s, STORE_ERROR, err);
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, person);
        rc = store_exec_stmt(st);
    }
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

/* ---- convictions --------------------------------------------------------------------- */

/* Inserts one validated conviction; where prefixes field names in errors
 * ("convictions[0]."). */
static int insert_conviction(struct store *s, int64_t id, const char *dob, const char *registered,
                             const json_t *c, const char *where, const struct user *u, int64_t now,
                             struct domain_error *err)
{
    char key[96];
    const char *convicted = jstr(c, "convicted_on");
    const char *disposal = jstr(c, "disposal");
    json_t *cm = json_object_get(c, "custody_months");
    if (strcmp(disposal, "custody") == 0 && !json_is_integer(cm)) {
        snprintf(key, sizeof(key), "%scustody_months", where);
        return domain_fail(err, 422, "missing_field", key,
                           "'%s' is needed for a custodial sentence: the notification period "
                           "depends on it",
                           key);
    }
    if (strcmp(disposal, "custody") != 0 && json_is_integer(cm)) {
        snprintf(key, sizeof(key), "%scustody_months", where);
        return domain_fail(err, 422, "invalid_field", key, "'%s' is only for custodial sentences",
                           key);
    }
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    if (strcmp(convicted, today) > 0) {
        snprintf(key, sizeof(key), "%sconvicted_on", where);
        return domain_fail(err, 422, "invalid_field", key, "'%s' must not be in the future", key);
    }
    json_t *ag = json_object_get(c, "age_at_conviction");
    int age = -1;
    struct civil_date b, on;
    if (dob && date_parse(dob, &b) == 0 && date_parse(convicted, &on) == 0)
        age = age_on(&b, &on);
    if (json_is_integer(ag)) {
        int given = (int)json_integer_value(ag);
        if (age >= 0 && given != age) {
            snprintf(key, sizeof(key), "%sage_at_conviction", where);
            return domain_fail(err, 422, "invalid_field", key,
                               "'%s' is %d but the person's date of birth makes them %d on %s", key,
                               given, age, convicted);
        }
        age = given;
    }
    if (age < 0) {
        snprintf(key, sizeof(key), "%sage_at_conviction", where);
        return domain_fail(err, 422, "missing_field", key,
                           "'%s' is needed when the person's date of birth is not known: a "
                           "finite period is halved for those under 18 at conviction",
                           key);
    }
    if (age < 10) {
        snprintf(key, sizeof(key), "%sconvicted_on", where);
        return domain_fail(err, 422, "invalid_field", key,
                           "'%s': the person was under 10, below the age of criminal "
                           "responsibility",
                           key);
    }
    struct offender_period p;
    offenders_period(disposal, json_is_integer(cm) ? (int)json_integer_value(cm) : 0, age, &p);
    char ends[DATE_TEXT_LEN] = "", review[DATE_TEXT_LEN] = "";
    if (p.months >= 0)
        offenders_add_months(convicted, p.months, ends);
    else
        offenders_add_months(strcmp(registered, convicted) > 0 ? registered : convicted,
                             p.review_years * 12, review);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_CONVICTION_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, jstr(c, "offence"));
    stmt_bind_text(st, 3, convicted);
    stmt_bind_text(st, 4, disposal);
    if (json_is_integer(cm))
        stmt_bind_int(st, 5, json_integer_value(cm));
    stmt_bind_int(st, 6, age);
    if (p.months >= 0)
        stmt_bind_int(st, 7, p.months);
    stmt_bind_text(st, 8, p.rule);
    stmt_bind_text(st, 9, ends[0] ? ends : NULL);
    stmt_bind_text(st, 10, review[0] ? review : NULL);
    offenders_bind_user(st, 11, u);
    stmt_bind_text(st, 12, ts);
    int rc = store_exec_stmt(st);
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

/* The person's date of birth into dob ("" when unknown); -1 when no person. */
static int person_dob(struct store *s, int64_t pid, char dob[DATE_TEXT_LEN])
{
    dob[0] = '\0';
    struct stmt *st = store_prepare(s, SQL_OF_PERSON);
    if (!st)
        return -1;
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st);
    if (rc == STORE_ROW && !stmt_is_null(st, 2))
        snprintf(dob, DATE_TEXT_LEN, "%s", stmt_text(st, 2));
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

/* ---- registration ---------------------------------------------------------------------- */

int64_t offender_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                        struct domain_error *err)
{
    assert(s && body && err);
    int64_t pid = json_integer_value(json_object_get(body, "person_id"));
    char dob[DATE_TEXT_LEN];
    if (person_dob(s, pid, dob) < 0 || (u && !auth_person_visible(s, pid, u)))
        return domain_fail(err, 422, "invalid_field", "person_id",
                           "'person_id': there is no person with id %lld", (long long)pid);
    struct stmt *st = store_prepare(s, SQL_OF_BY_PERSON);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, pid);
    if (stmt_step(st) == STORE_ROW) {
        char ref[40];
        snprintf(ref, sizeof(ref), "%s", stmt_text(st, 1));
        stmt_reset(st);
        return domain_fail(err, 409, "already_registered", "person_id",
                           "this person is already on the offender register (%s): add the "
                           "conviction to that record",
                           ref);
    }
    stmt_reset(st);
    const char *registered = jstr(body, "registered_on");
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    if (strcmp(registered, today) > 0)
        return domain_fail(err, 422, "invalid_field", "registered_on",
                           "'registered_on' must not be in the future");
    const json_t *convictions = json_object_get(body, "convictions");
    if (json_array_size(convictions) == 0)
        return domain_fail(err, 422, "missing_field", "convictions",
                           "'convictions' needs at least one conviction or caution: the "
                           "notification requirements come from it");

    /* The offender manager: given, else the recorder when they are one. */
    const json_t *om = json_object_get(body, "offender_manager_id");
    int64_t manager = json_is_integer(om) ? json_integer_value(om) : 0;
    char team[64] = "", area[64] = "";
    if (manager && active_user(s, manager, "offender_manager_id", team, area, err) < 0)
        return -1;
    if (jstr(body, "team"))
        snprintf(team, sizeof(team), "%s", jstr(body, "team"));
    if (jstr(body, "area"))
        snprintf(area, sizeof(area), "%s", jstr(body, "area"));

    char prefix[24], reference[32], ts[TS_TEXT_LEN];
    ts_format(now, ts);
    snprintf(prefix, sizeof(prefix), "RSO-%.4s-%%", today);
    st = store_prepare(s, SQL_OF_NEXT_SEQ);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, prefix);
    int64_t seq = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 1;
    stmt_reset(st);
    snprintf(reference, sizeof(reference), "RSO-%.4s-%06lld", today, (long long)seq);

    st = store_prepare(s, SQL_OF_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_text(st, 1, reference);
    stmt_bind_int(st, 2, pid);
    stmt_bind_text(st, 3, registered);
    if (manager)
        stmt_bind_int(st, 4, manager);
    stmt_bind_text(st, 5, team[0] ? team : NULL);
    stmt_bind_text(st, 6, area[0] ? area : NULL);
    stmt_bind_int(st, 7, jbool(body, "no_fixed_abode", 0));
    stmt_bind_text(st, 8, jstr(body, "photo_ref"));
    const char *mappa[] = {"mappa_category", "mappa_level"};
    for (int i = 0; i < 2; i++) {
        json_t *m = json_object_get(body, mappa[i]);
        if (json_is_integer(m))
            stmt_bind_int(st, 9 + i, json_integer_value(m));
    }
    offenders_bind_user(st, 11, u);
    stmt_bind_text(st, 12, ts);
    stmt_bind_text(st, 13, ts);
    int64_t id = 0;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);

    size_t i;
    json_t *c;
    json_array_foreach(convictions, i, c)
    {
        char where[48];
        snprintf(where, sizeof(where), "convictions[%zu].", i);
        if (insert_conviction(s, id, dob[0] ? dob : NULL, registered, c, where, u, now, err) < 0)
            return -1;
    }
    if (sync_flag(s, id, pid, registered, now, err) < 0)
        return -1;
    /* Children already living at the offender's addresses. */
    st = store_prepare(s, SQL_OF_PERSON_ADDRESSES);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, pid);
    stmt_bind_text(st, 2, today);
    char addr[8][2][200];
    int naddr = 0;
    while (naddr < 8 && stmt_step(st) == STORE_ROW) {
        snprintf(addr[naddr][0], 200, "%s", stmt_text(st, 0));
        snprintf(addr[naddr][1], 200, "%s", stmt_text(st, 1));
        naddr++;
    }
    stmt_reset(st);
    for (int a = 0; a < naddr; a++)
        if (offenders_link_children_at(s, id, pid, addr[a][0], addr[a][1], 0, area[0] ? area : NULL,
                                       now, err) < 0)
            return -1;
    return offenders_finish_change(s, id, now, err) < 0 ? -1 : id;
}

int offender_update_details(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, struct domain_error *err)
{
    (void)u;
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    if (json_object_size(body) == 0)
        return domain_fail(err, 422, "missing_field", NULL,
                           "give at least one of offender_manager_id, team, area, "
                           "no_fixed_abode, photo_ref, mappa_category, mappa_level");
    json_t *om = json_object_get(body, "offender_manager_id");
    char team[64] = "", area[64] = "";
    if (json_is_integer(om) &&
        active_user(s, json_integer_value(om), "offender_manager_id", team, area, err) < 0)
        return -1;
    struct stmt *st = store_prepare(s, SQL_OF_DETAILS);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    if (json_is_integer(om))
        stmt_bind_int(st, 1, json_integer_value(om));
    /* A new manager brings their team unless one is given. */
    stmt_bind_text(st, 2, jstr(body, "team") ? jstr(body, "team") : team[0] ? team : NULL);
    stmt_bind_text(st, 3, jstr(body, "area"));
    if (jhas(body, "no_fixed_abode"))
        stmt_bind_int(st, 4, jbool(body, "no_fixed_abode", 0));
    stmt_bind_text(st, 5, jstr(body, "photo_ref"));
    const char *mappa[] = {"mappa_category", "mappa_level"};
    for (int i = 0; i < 2; i++) {
        json_t *m = json_object_get(body, mappa[i]);
        if (json_is_integer(m))
            stmt_bind_int(st, 6 + i, json_integer_value(m));
    }
    stmt_bind_int(st, 8, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return offenders_finish_change(s, id, now, err);
}

int offender_add_conviction(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    int64_t pid = json_integer_value(json_object_get(rec, "person_id"));
    char dob[DATE_TEXT_LEN], registered[DATE_TEXT_LEN];
    snprintf(registered, sizeof(registered), "%s", jstr(rec, "registered_on"));
    json_decref(rec);
    person_dob(s, pid, dob);
    if (insert_conviction(s, id, dob[0] ? dob : NULL, registered, body, "", u, now, err) < 0 ||
        sync_flag(s, id, pid, registered, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

int offender_add_order(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    const char *made = jstr(body, "made_on"), *expires = jstr(body, "expires_on");
    if (expires && strcmp(expires, made) < 0)
        return domain_fail(err, 422, "invalid_field", "expires_on",
                           "'expires_on' must not be before 'made_on'");
    if (json_array_size(json_object_get(body, "conditions")) == 0)
        return domain_fail(err, 422, "missing_field", "conditions",
                           "'conditions' needs at least one condition of the order");
    char *conditions = json_dumps(json_object_get(body, "conditions"), JSON_COMPACT);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_ORDER_INSERT);
    if (!st) {
        free(conditions);
        return offenders_fail_store(s, STORE_ERROR, err);
    }
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, jstr(body, "kind"));
    stmt_bind_text(st, 3, made);
    stmt_bind_text(st, 4, expires);
    stmt_bind_text(st, 5, conditions);
    offenders_bind_user(st, 6, u);
    stmt_bind_text(st, 7, ts);
    int rc = store_exec_stmt(st);
    free(conditions);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return offenders_finish_change(s, id, now, err);
}

/* ---- notifications ------------------------------------------------------------------------ */

static bool is_kind(const char *kind, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(kind, *set) == 0)
            return true;
    return false;
}

int offender_notify(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    int64_t pid = json_integer_value(json_object_get(rec, "person_id"));
    char registered[DATE_TEXT_LEN], area[64];
    snprintf(registered, sizeof(registered), "%s", jstr(rec, "registered_on"));
    snprintf(area, sizeof(area), "%s", jstr(rec, "area") ? jstr(rec, "area") : "");
    json_decref(rec);
    const struct offenders_config *c = &offenders_cfg;
    const char *kind = jstr(body, "kind");
    static const char *const addressed[] = {"home_address", "other_address", "stay", NULL};
    static const char *const periodic[] = {"annual", "weekly", NULL};
    const char *line1 = jstr(body, "line1"), *postcode = jstr(body, "postcode");
    json_t *child = json_object_get(body, "child_person_id");
    if (is_kind(kind, addressed) ||
        (strcmp(kind, "household_child") == 0 && !json_is_integer(child)))
        if (!line1 || !postcode)
            return domain_fail(err, 422, "missing_field", !line1 ? "line1" : "postcode",
                               "'%s' is needed: a %s notification names the address%s",
                               !line1 ? "line1" : "postcode", kind,
                               strcmp(kind, "household_child") == 0
                                   ? " (or give child_person_id for the child)"
                                   : "");
    if (json_is_integer(child) && strcmp(kind, "household_child") != 0)
        return domain_fail(err, 422, "invalid_field", "child_person_id",
                           "'child_person_id' is only for household_child notifications");
    char notified[DATE_TEXT_LEN], event[DATE_TEXT_LEN], deadline[DATE_TEXT_LEN];
    if (offenders_date(body, "notified_on", NULL, false, now, notified, err) < 0)
        return -1;
    if (strcmp(notified, registered) < 0)
        return domain_fail(err, 422, "invalid_field", "notified_on",
                           "'notified_on' must not be before the registration (%s)", registered);

    /* The deadline each kind has (DOMAIN.md R7; the 2012 Regulations). */
    if (is_kind(kind, periodic)) {
        struct offender_dues d;
        if (offenders_dues(s, id, now, &d) < 0)
            return offenders_fail_store(s, STORE_ERROR, err);
        snprintf(event, sizeof(event), "%s", d.notify_due_on);
        snprintf(deadline, sizeof(deadline), "%s", d.notify_due_on);
    } else {
        const char *given = jstr(body, "event_on");
        if (!given && strcmp(kind, "initial") != 0)
            return domain_fail(err, 422, "missing_field", "event_on",
                               "'event_on' is needed: the date of the change%s",
                               strcmp(kind, "travel") == 0 ? " (for travel, the departure date)"
                                                           : "");
        snprintf(event, sizeof(event), "%s", given ? given : registered);
        if (strcmp(kind, "travel") == 0)
            offenders_add_days(event, -c->travel_notice_days, deadline);
        else {
            char today[DATE_TEXT_LEN];
            offenders_today(now, today);
            if (strcmp(event, today) > 0)
                return domain_fail(err, 422, "invalid_field", "event_on",
                                   "'event_on' must not be in the future for a %s notification",
                                   kind);
            offenders_add_days(event, c->notify_days, deadline);
        }
    }
    bool late = strcmp(notified, deadline) > 0;
    const char *excuse = jstr(body, "reasonable_excuse");

    /* A child named in the household: known and under 18 on the date. */
    if (json_is_integer(child)) {
        char cdob[DATE_TEXT_LEN];
        int64_t cid = json_integer_value(child);
        if (person_dob(s, cid, cdob) < 0 || (u && !auth_person_visible(s, cid, u)))
            return domain_fail(err, 422, "invalid_field", "child_person_id",
                               "'child_person_id': there is no person with id %lld",
                               (long long)cid);
        struct civil_date b, on;
        if (cdob[0] && date_parse(cdob, &b) == 0 && date_parse(notified, &on) == 0 &&
            !is_child_on(&b, &on))
            return domain_fail(err, 422, "invalid_field", "child_person_id",
                               "'child_person_id': this person is 18 or over, not a child");
    }

    char key[400] = "";
    if (line1 && postcode)
        incident_address_key(line1, postcode, key, sizeof(key));
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_NOTIFICATION_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, kind);
    stmt_bind_text(st, 3, jstr(body, "detail"));
    stmt_bind_text(st, 4, line1);
    stmt_bind_text(st, 5, postcode);
    stmt_bind_text(st, 6, key[0] ? key : NULL);
    if (json_is_integer(child))
        stmt_bind_int(st, 7, json_integer_value(child));
    stmt_bind_text(st, 8, event);
    stmt_bind_text(st, 9, deadline);
    stmt_bind_text(st, 10, notified);
    stmt_bind_int(st, 11, late);
    stmt_bind_text(st, 12, excuse);
    offenders_bind_user(st, 13, u);
    stmt_bind_text(st, 14, ts);
    int64_t nid = 0;
    int rc = stmt_returning_id(st, &nid);
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);

    /* A missed deadline without a reasonable excuse is a breach (SOA 2003
     * s91: an offence). */
    if (late && !excuse) {
        char text[300];
        snprintf(text, sizeof(text), "%s notification due by %s, made %s", kind, deadline,
                 notified);
        st = store_prepare(s, SQL_OF_BREACH_INSERT);
        if (!st)
            return offenders_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, "late_notification");
        stmt_bind_int(st, 3, nid);
        stmt_bind_text(st, 5, text);
        stmt_bind_text(st, 6, deadline);
        offenders_bind_user(st, 7, u);
        stmt_bind_text(st, 8, ts);
        rc = store_exec_stmt(st);
        if (rc != STORE_OK)
            return offenders_fail_store(s, rc, err);
    }
    /* Children in the household reach their own records. */
    if (json_is_integer(child) &&
        offenders_link_child(s, id, json_integer_value(child), "household_notification", nid,
                             key[0] ? key : NULL, area[0] ? area : NULL, now, err) < 0)
        return -1;
    if (key[0] && offenders_link_children_at(s, id, pid, line1, postcode, nid,
                                             area[0] ? area : NULL, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

/* ---- risk, plan, visits -------------------------------------------------------------------- */

int offender_assess_risk(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    char prev[16] = "", prev_on[DATE_TEXT_LEN] = "";
    if (jstr(rec, "risk_level"))
        snprintf(prev, sizeof(prev), "%s", jstr(rec, "risk_level"));
    if (jstr(rec, "risk_assessed_on"))
        snprintf(prev_on, sizeof(prev_on), "%s", jstr(rec, "risk_assessed_on"));
    json_decref(rec);
    char assessed[DATE_TEXT_LEN], next[DATE_TEXT_LEN];
    if (offenders_date(body, "assessed_on", NULL, false, now, assessed, err) < 0)
        return -1;
    if (prev_on[0] && strcmp(assessed, prev_on) < 0)
        return domain_fail(err, 422, "invalid_field", "assessed_on",
                           "'assessed_on' must not be before the latest assessment (%s)", prev_on);
    if (jstr(body, "next_due_on")) {
        snprintf(next, sizeof(next), "%s", jstr(body, "next_due_on"));
        if (strcmp(next, assessed) <= 0)
            return domain_fail(err, 422, "invalid_field", "next_due_on",
                               "'next_due_on' must be after 'assessed_on'");
    } else {
        offenders_add_months(assessed, offenders_cfg.risk_review_months, next);
    }
    struct offender_dues d;
    if (offenders_dues(s, id, now, &d) < 0)
        return offenders_fail_store(s, STORE_ERROR, err);
    const char *level = jstr(body, "level");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_RISK_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, level);
    stmt_bind_text(st, 3, assessed);
    stmt_bind_text(st, 4, next);
    stmt_bind_text(st, 5, d.risk_due_on);
    stmt_bind_text(st, 6, jstr(body, "summary"));
    offenders_bind_user(st, 7, u);
    stmt_bind_text(st, 8, ts);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && (st = store_prepare(s, SQL_OF_RISK_SET))) {
        stmt_bind_text(st, 1, level);
        stmt_bind_text(st, 2, assessed);
        stmt_bind_text(st, 3, next);
        stmt_bind_int(st, 4, id);
        rc = store_exec_stmt(st);
    }
    /* A change of risk level is a significant change: the plan is
     * reviewed (DOMAIN.md R7). */
    if (rc == STORE_OK && prev[0] && strcmp(prev, level) != 0 &&
        (st = store_prepare(s, SQL_OF_PROMPT_REVIEW))) {
        char reason[120];
        snprintf(reason, sizeof(reason), "risk level changed from %s to %s", prev, level);
        stmt_bind_text(st, 1, ts);
        stmt_bind_text(st, 2, reason);
        stmt_bind_int(st, 3, id);
        rc = store_exec_stmt(st);
    }
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return offenders_finish_change(s, id, now, err);
}

int offender_review_plan(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    char reason[300] = "";
    if (jstr(rec, "plan_review_reason"))
        snprintf(reason, sizeof(reason), "%s", jstr(rec, "plan_review_reason"));
    json_decref(rec);
    json_t *vm = json_object_get(body, "visit_months");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_OF_PLAN_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, id);
    if (json_is_integer(vm))
        stmt_bind_int(st, 2, json_integer_value(vm));
    stmt_bind_text(st, 3, jstr(body, "summary"));
    stmt_bind_text(st, 4, reason[0] ? reason : NULL);
    stmt_bind_text(st, 5, ts);
    offenders_bind_user(st, 6, u);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && (st = store_prepare(s, SQL_OF_PLAN_SET))) {
        if (json_is_integer(vm))
            stmt_bind_int(st, 1, json_integer_value(vm));
        stmt_bind_text(st, 2, jstr(body, "summary"));
        stmt_bind_text(st, 3, ts);
        stmt_bind_int(st, 4, id);
        rc = store_exec_stmt(st);
    }
    if (rc != STORE_OK)
        return offenders_fail_store(s, rc, err);
    return offenders_finish_change(s, id, now, err);
}

/* Records a visit done (or attempted without access) on done_on: it answers
 * the visit due date in force, at the risk level in force. */
static int visit_done(struct store *s, int64_t id, int64_t visit_id, const json_t *body,
                      const char *kind, const char *done_on, const struct user *u, int64_t now,
                      struct domain_error *err)
{
    struct offender_dues d;
    if (offenders_dues(s, id, now, &d) < 0)
        return offenders_fail_store(s, STORE_ERROR, err);
    bool access = jbool(body, "access", 1);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, visit_id ? SQL_OF_VISIT_DONE : SQL_OF_VISIT_INSERT);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    const char *due = access && d.visit_due_on[0] ? d.visit_due_on : NULL;
    const char *level = d.risk_level[0] ? d.risk_level : NULL;
    int rc;
    if (visit_id) {
        stmt_bind_text(st, 1, access ? "done" : "no_access");
        stmt_bind_text(st, 2, done_on);
        stmt_bind_text(st, 3, due);
        stmt_bind_text(st, 4, level);
        stmt_bind_text(st, 5, jstr(body, "findings"));
        offenders_bind_user(st, 6, u);
        stmt_bind_text(st, 7, ts);
        stmt_bind_int(st, 8, visit_id);
        rc = store_exec_stmt(st);
    } else {
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, kind);
        stmt_bind_text(st, 3, access ? "done" : "no_access");
        stmt_bind_text(st, 5, done_on);
        stmt_bind_text(st, 6, due);
        stmt_bind_text(st, 7, level);
        stmt_bind_text(st, 8, jstr(body, "findings"));
        offenders_bind_user(st, 9, u);
        stmt_bind_text(st, 10, ts);
        stmt_bind_text(st, 11, ts);
        int64_t vid;
        rc = stmt_returning_id(st, &vid);
    }
    return rc == STORE_OK ? 0 : offenders_fail_store(s, rc, err);
}

int offender_add_visit(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    char registered[DATE_TEXT_LEN];
    snprintf(registered, sizeof(registered), "%s", jstr(rec, "registered_on"));
    json_decref(rec);
    const char *planned = jstr(body, "planned_on"), *done = jstr(body, "done_on");
    if (!planned && !done)
        return domain_fail(err, 422, "missing_field", "planned_on",
                           "give 'planned_on' for a visit planned or 'done_on' for one done");
    if (done) {
        char on[DATE_TEXT_LEN];
        if (offenders_date(body, "done_on", NULL, false, now, on, err) < 0)
            return -1;
        if (strcmp(on, registered) < 0)
            return domain_fail(err, 422, "invalid_field", "done_on",
                               "'done_on' must not be before the registration (%s)", registered);
        if (!jstr(body, "findings"))
            return domain_fail(err, 422, "missing_field", "findings",
                               "'findings' are needed for a visit done: what was seen, who was "
                               "there, the home");
        if (visit_done(s, id, 0, body, jstr(body, "kind"), on, u, now, err) < 0)
            return -1;
    } else {
        char ts[TS_TEXT_LEN];
        ts_format(now, ts);
        struct stmt *st = store_prepare(s, SQL_OF_VISIT_INSERT);
        if (!st)
            return offenders_fail_store(s, STORE_ERROR, err);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, jstr(body, "kind"));
        stmt_bind_text(st, 3, "planned");
        stmt_bind_text(st, 4, planned);
        stmt_bind_text(st, 8, jstr(body, "findings"));
        offenders_bind_user(st, 9, u);
        stmt_bind_text(st, 10, ts);
        stmt_bind_text(st, 11, ts);
        int64_t vid;
        int rc = stmt_returning_id(st, &vid);
        if (rc != STORE_OK)
            return offenders_fail_store(s, rc, err);
    }
    return offenders_finish_change(s, id, now, err);
}

int offender_visit_outcome(struct store *s, int64_t id, int64_t visit_id, const json_t *body,
                           const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = offenders_load(s, id, err);
    if (!rec)
        return -1;
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_OF_VISIT_GET);
    if (!st)
        return offenders_fail_store(s, STORE_ERROR, err);
    stmt_bind_int(st, 1, visit_id);
    stmt_bind_int(st, 2, id);
    int rc = stmt_step(st);
    bool planned = rc == STORE_ROW && strcmp(stmt_text(st, 0), "planned") == 0;
    stmt_reset(st);
    if (rc != STORE_ROW)
        return domain_fail(err, 404, "not_found", NULL, "offender %lld has no visit %lld",
                           (long long)id, (long long)visit_id);
    if (!planned)
        return domain_fail(err, 409, "visit_recorded", NULL,
                           "visit %lld already has its outcome recorded", (long long)visit_id);
    char on[DATE_TEXT_LEN];
    if (offenders_date(body, "done_on", NULL, false, now, on, err) < 0)
        return -1;
    if (visit_done(s, id, visit_id, body, NULL, on, u, now, err) < 0)
        return -1;
    return offenders_finish_change(s, id, now, err);
}

/* ---- reading ------------------------------------------------------------------------------- */

static json_t *person_json(struct store *s, int64_t pid, const struct user *viewer)
{
    struct stmt *st = store_prepare(s, SQL_OF_PERSON);
    json_t *o = NULL;
    if (st) {
        stmt_bind_int(st, 1, pid);
        if (stmt_step(st) == STORE_ROW && (!viewer || auth_person_visible(s, pid, viewer)))
            o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)pid, "given_name",
                          stmt_text(st, 0), "family_name", stmt_text(st, 1), "dob",
                          stmt_json_text(st, 2));
        stmt_reset(st);
    }
    return o ? o : json_pack("{s:I, s:b}", "id", (json_int_t)pid, "restricted", 1);
}

static json_t *convictions_json(struct store *s, int64_t id, int *months, const char **rule,
                                char *rule_buf, size_t cap)
{
    json_t *arr = json_array();
    *months = -2;
    struct stmt *st = store_prepare(s, SQL_OF_CONVICTIONS);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        int m = stmt_is_null(st, 6) ? -1 : (int)stmt_int(st, 6);
        json_t *p = period_json(m, stmt_text(st, 7));
        json_object_set_new(p, "ends_on", stmt_json_text(st, 8));
        json_object_set_new(p, "review_on", stmt_json_text(st, 9));
        json_array_append_new(
            arr,
            json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:o}", "id", (json_int_t)stmt_int(st, 0),
                      "offence", stmt_text(st, 1), "convicted_on", stmt_text(st, 2), "disposal",
                      stmt_text(st, 3), "custody_months", stmt_json_int(st, 4), "age_at_conviction",
                      (json_int_t)stmt_int(st, 5), "notification_period", p));
        /* The governing period: indefinite wins, else the longest running. */
        if (*months != -1 && (m == -1 || m > *months || *months == -2)) {
            *months = m;
            snprintf(rule_buf, cap, "%s", stmt_text(st, 7));
        }
    }
    stmt_reset(st);
    *rule = rule_buf;
    return arr;
}

static json_t *orders_json(struct store *s, int64_t id)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_OF_ORDERS);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        json_t *conds = json_loads(stmt_text(st, 4), 0, NULL);
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)stmt_int(st, 0), "kind",
                           stmt_text(st, 1), "made_on", stmt_text(st, 2), "expires_on",
                           stmt_json_text(st, 3), "conditions", conds ? conds : json_array()));
    }
    stmt_reset(st);
    return arr;
}

/* Notifications, and the details they notified grouped as the register
 * holds them. */
static void notifications_json(struct store *s, int64_t id, json_t *o)
{
    json_t *arr = json_array();
    json_t *details =
        json_pack("{s:[], s:[], s:[], s:[], s:[], s:[], s:[]}", "names", "addresses", "stays",
                  "households_with_children", "travel", "bank_cards", "identity_documents");
    struct stmt *st = store_prepare(s, SQL_OF_NOTIFICATIONS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            const char *kind = stmt_text(st, 1);
            json_t *n = json_pack(
                "{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:b, s:o, s:s}", "id",
                (json_int_t)stmt_int(st, 0), "kind", kind, "detail", stmt_text(st, 2), "line1",
                stmt_json_text(st, 3), "postcode", stmt_json_text(st, 4), "child_person_id",
                stmt_json_int(st, 5), "event_on", stmt_text(st, 6), "deadline_on", stmt_text(st, 7),
                "notified_on", stmt_text(st, 8), "late", stmt_int(st, 9) != 0, "reasonable_excuse",
                stmt_json_text(st, 10), "recorded_at", stmt_text(st, 11));
            json_array_append(arr, n);
            static const char *const map[][2] = {{"name", "names"},
                                                 {"home_address", "addresses"},
                                                 {"other_address", "addresses"},
                                                 {"stay", "stays"},
                                                 {"household_child", "households_with_children"},
                                                 {"travel", "travel"},
                                                 {"bank_card", "bank_cards"},
                                                 {"identity_document", "identity_documents"}};
            for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (strcmp(kind, map[i][0]) == 0)
                    json_array_append(json_object_get(details, map[i][1]), n);
            json_decref(n);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "notifications", arr);
    json_object_set_new(o, "notified_details", details);
}

json_t *offender_get(struct store *s, int64_t id, const struct user *viewer, int64_t now)
{
    json_t *o = row_get(s, id);
    struct offender_dues d;
    if (!o || offenders_dues(s, id, now, &d) < 0) {
        json_decref(o);
        return NULL;
    }
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    json_object_set_new(
        o, "person", person_json(s, json_integer_value(json_object_get(o, "person_id")), viewer));
    json_object_set_new(o, "offender_manager",
                        json_pack("{s:O, s:O}", "id", json_object_get(o, "offender_manager_id"),
                                  "name", json_object_get(o, "offender_manager_name")));
    json_object_del(o, "offender_manager_name");

    int months;
    const char *rule;
    char rule_buf[320] = "";
    json_object_set_new(o, "convictions",
                        convictions_json(s, id, &months, &rule, rule_buf, sizeof(rule_buf)));
    json_t *period = months == -2 ? json_null() : period_json(months, rule);
    if (months >= 0)
        json_object_set_new(period, "ends_on", json_string(d.period_ends_on));
    if (months == -1) {
        /* The earliest date any indefinite requirement may be reviewed. */
        json_t *first = NULL;
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(o, "convictions"), i, c)
        {
            json_t *r = json_object_get(json_object_get(c, "notification_period"), "review_on");
            if (json_is_string(r) &&
                (!first || strcmp(json_string_value(r), json_string_value(first)) < 0))
                first = r;
        }
        json_object_set(period, "review_on", first ? first : json_null());
    }
    if (months != -2)
        json_object_set_new(period, "in_force", json_boolean(d.in_force));
    json_object_set_new(o, "notification_period", period);
    json_object_set_new(o, "orders", orders_json(s, id));
    notifications_json(s, id, o);
    json_object_set_new(o, "notification_due",
                        json_pack("{s:s, s:s, s:b}", "kind", d.notify_due_kind, "due_on",
                                  d.notify_due_on, "overdue",
                                  d.in_force && strcmp(d.notify_due_on, today) < 0));
    static const struct column_spec br[] = {
        {"id", 'i'},     {"kind", 's'},        {"notification_id", 'i'}, {"intelligence_id", 'i'},
        {"detail", 's'}, {"occurred_on", 's'}, {"recorded_at", 's'}};
    json_object_set_new(o, "breaches", store_rows_by_id(s, SQL_OF_BREACHES, id, br, 7));

    json_object_set_new(o, "risk",
                        json_pack("{s:O, s:O, s:s, s:b}", "level", json_object_get(o, "risk_level"),
                                  "assessed_on", json_object_get(o, "risk_assessed_on"),
                                  "next_due_on", d.risk_due_on, "overdue",
                                  d.in_force && strcmp(d.risk_due_on, today) < 0));
    static const struct column_spec ra[] = {
        {"id", 'i'},     {"level", 's'},   {"assessed_on", 's'}, {"next_due_on", 's'},
        {"due_on", 's'}, {"summary", 's'}, {"assessed_by", 's'}};
    json_object_set_new(o, "risk_assessments", store_rows_by_id(s, SQL_OF_RISKS, id, ra, 7));
    json_object_set_new(o, "mappa",
                        json_pack("{s:O, s:O}", "category", json_object_get(o, "mappa_category"),
                                  "level", json_object_get(o, "mappa_level")));

    json_t *plan =
        json_pack("{s:O, s:i, s:s, s:i, s:O, s:O, s:s, s:O, s:O}", "visit_months",
                  json_object_get(o, "plan_visit_months"), "visit_every_months", d.visit_months,
                  "visit_frequency_from", d.visit_from_plan ? "plan" : "fallback",
                  "fallback_months", offenders_fallback_visit_months(jstr(o, "risk_level")),
                  "summary", json_object_get(o, "plan_summary"), "reviewed_at",
                  json_object_get(o, "plan_reviewed_at"), "review_due_on", d.plan_review_due_on,
                  "review_prompted_at", json_object_get(o, "plan_review_prompted_at"),
                  "review_reason", json_object_get(o, "plan_review_reason"));
    json_object_set_new(o, "plan", plan);
    static const struct column_spec pr[] = {{"id", 'i'},          {"visit_months", 'i'},
                                            {"summary", 's'},     {"reason", 's'},
                                            {"reviewed_at", 's'}, {"reviewed_by", 's'}};
    json_object_set_new(o, "plan_reviews", store_rows_by_id(s, SQL_OF_PLANS, id, pr, 6));
    static const struct column_spec vi[] = {
        {"id", 'i'},         {"kind", 's'},     {"status", 's'},
        {"planned_on", 's'}, {"done_on", 's'},  {"due_on", 's'},
        {"risk_level", 's'}, {"findings", 's'}, {"officer", 's'}};
    json_object_set_new(o, "visits", store_rows_by_id(s, SQL_OF_VISITS, id, vi, 9));
    json_object_set_new(o, "next_visit",
                        d.visit_due_on[0]
                            ? json_pack("{s:s, s:b}", "due_on", d.visit_due_on, "overdue",
                                        d.in_force && strcmp(d.visit_due_on, today) < 0)
                            : json_null());

    static const struct column_spec md[] = {
        {"id", 'i'},     {"eligible", 'b'},        {"criteria", 's'},   {"decision", 's'},
        {"reason", 's'}, {"intelligence_id", 'i'}, {"decided_by", 's'}, {"decided_at", 's'}};
    json_object_set_new(o, "management_decisions",
                        store_rows_by_id(s, SQL_OF_DECISIONS, id, md, 8));
    static const struct column_spec in[] = {{"id", 'i'},
                                            {"kind", 's'},
                                            {"urgency", 's'},
                                            {"summary", 's'},
                                            {"incident_id", 'i'},
                                            {"occurred_on", 's'},
                                            {"management_at_time", 's'},
                                            {"review_due_at", 's'},
                                            {"reviewed_at", 's'},
                                            {"outcome", 's'},
                                            {"outcome_reason", 's'},
                                            {"recorded_at", 's'}};
    json_object_set_new(o, "intelligence", store_rows_by_id(s, SQL_OF_INTELS, id, in, 12));
    static const struct column_spec cc[] = {
        {"id", 'i'},       {"area", 's'},     {"photo_ref", 's'}, {"risk_summary", 's'},
        {"look_for", 's'}, {"if_seen", 's'},  {"raised_at", 's'}, {"review_due_on", 's'},
        {"status", 's'},   {"ended_at", 's'}, {"end_reason", 's'}};
    json_object_set_new(o, "concerns", store_rows_by_id(s, SQL_OF_CONCERNS, id, cc, 11));
    json_object_set_new(o, "children", offenders_children_json(s, id, viewer));
    json_object_set_new(o, "tasks", rules_record_tasks(s, "offender", id, now));
    /* The recording problems, so the record shows its own warnings. */
    json_t *q = offender_quality(s, id, now);
    json_object_set_new(o, "quality", q ? json_incref(json_object_get(q, "issues")) : json_array());
    json_decref(q);
    return o;
}

json_t *offender_list(struct store *s, const char *area, const struct user *viewer, int64_t now)
{
    struct stmt *st = store_prepare(s, SQL_OF_LIST);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, area);
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t pid = stmt_int(st, 2);
        const char *due = stmt_is_null(st, 9) ? NULL : stmt_text(st, 9);
        json_t *e = json_pack(
            "{s:I, s:s, s:I, s:o, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)stmt_int(st, 0),
            "reference", stmt_text(st, 1), "person_id", (json_int_t)pid, "risk_level",
            stmt_json_text(st, 5), "management", stmt_text(st, 6), "area", stmt_json_text(st, 7),
            "offender_manager", stmt_json_text(st, 8), "next_task_due",
            due ? json_string(due) : json_null(), "task_overdue", due && strcmp(due, now_ts) < 0);
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
    /* The next home visit as the record shows it (the day, not the task's
     * end-of-day instant); null under reactive management. */
    char today[DATE_TEXT_LEN];
    offenders_today(now, today);
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        struct offender_dues d;
        json_t *next = json_null();
        if (offenders_dues(s, json_integer_value(json_object_get(e, "id")), now, &d) == 0 &&
            d.visit_due_on[0] && d.in_force)
            next = json_pack("{s:s, s:b}", "due_on", d.visit_due_on, "overdue",
                             strcmp(d.visit_due_on, today) < 0);
        json_object_set_new(e, "next_visit", next);
    }
    return json_pack("{s:o, s:o}", "offenders", arr, "area",
                     area ? json_string(area) : json_null());
}
