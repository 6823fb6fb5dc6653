/*
 * offenders_internal.h — what the offender management area's own files
 * share; nothing outside src/modules/offenders includes it.
 */
#ifndef SG_OFFENDERS_INTERNAL_H
#define SG_OFFENDERS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "http/domain_error.h"

struct store;
struct stmt;
struct user;

/* The configurable figures (offenders_configure(); docs/offenders.md). */
struct offenders_config {
    int visit_months[4];           /* fallback minimums: very_high, high, medium, low */
    int indefinite_custody_months; /* custody of this or more: indefinite */
    int short_custody_months;      /* custody of this or less: the short period */
    int years_mid_custody, years_short_custody, years_caution, years_other;
    int review_years_adult, review_years_youth;
    int notify_days;        /* changes: within this many days of the event */
    int travel_notice_days; /* foreign travel: this many days before departure */
    int annual_months;      /* periodic re-notification */
    int weekly_days;        /* without a sole or main residence */
    int plan_review_months; /* plan reviewed at least this often */
    int risk_review_months; /* next assessment due, unless the assessment says */
    int first_assessment_days;
    int concern_review_days; /* a briefing concern is confirmed or ended this often */
};
extern struct offenders_config offenders_cfg;

/* The dates the rules and the quality checks read for one offender, each
 * "" when it does not apply. */
struct offender_dues {
    bool in_force; /* notification requirements still apply */
    bool reactive; /* reactive management: no routine visits */
    char risk_level[16];
    int visit_months; /* the plan's, else the fallback */
    bool visit_from_plan;
    char last_visit_on[DATE_TEXT_LEN];
    char visit_due_on[DATE_TEXT_LEN];
    char plan_review_due_on[DATE_TEXT_LEN];
    char risk_due_on[DATE_TEXT_LEN];
    char notify_due_on[DATE_TEXT_LEN];
    char notify_due_kind[16];           /* initial, annual, weekly */
    char period_ends_on[DATE_TEXT_LEN]; /* "" when indefinite */
};
int offenders_dues(struct store *s, int64_t id, int64_t now, struct offender_dues *d);

int offenders_fail_store(struct store *s, int rc, struct domain_error *err);
void offenders_bind_user(struct stmt *st, int idx, const struct user *u);
/* The record for a change: 404 when none. New reference. */
json_t *offenders_load(struct store *s, int64_t id, struct domain_error *err);
/* Bumps the version and re-evaluates the rules: every change ends here. */
int offenders_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err);

/* UK calendar date of an instant, and date arithmetic on "YYYY-MM-DD". */
void offenders_today(int64_t now, char out[DATE_TEXT_LEN]);
void offenders_add_days(const char *date, int days, char out[DATE_TEXT_LEN]);
void offenders_add_months(const char *date, int months, char out[DATE_TEXT_LEN]);
/* The instant a UK day begins, as a timestamp; "" for "". */
void offenders_day_start(const char *date, char out[TS_TEXT_LEN]);

/* A date in the body under key: not after today (unless future_ok); the
 * default when absent. -1 with err naming the key. */
int offenders_date(const json_t *body, const char *key, const char *dflt, bool future_ok,
                   int64_t now, char out[DATE_TEXT_LEN], struct domain_error *err);

/* Links the children living at an address (line1, postcode) to the
 * offender, each with a safeguarding task for area. */
int offenders_link_children_at(struct store *s, int64_t offender_id, int64_t offender_person,
                               const char *line1, const char *postcode, int64_t notification_id,
                               const char *area, int64_t now, struct domain_error *err);
/* Links one child (a household notification naming them). */
int offenders_link_child(struct store *s, int64_t offender_id, int64_t child, const char *source,
                         int64_t notification_id, const char *address_key, const char *area,
                         int64_t now, struct domain_error *err);

/* Parts of the record read by offender_get(), from offenders_manage.c. */
json_t *offenders_children_json(struct store *s, int64_t id, const struct user *viewer);

#endif
