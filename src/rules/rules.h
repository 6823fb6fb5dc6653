/*
 * rules.h — the timescales engine: one declarative table of rules that turn
 * records into tasks with deadlines.
 *
 * Each rule names the record type it watches, when it applies (a predicate
 * over the record's JSON), what must happen, the timestamp its clock starts
 * from, how long is allowed (a default from DOMAIN.md, overridable in the
 * configuration file as "rule.<id> = <minutes>"), who owns the task (the
 * record's officer, their team, or a role) and who is told when it is
 * overdue. Domain modules call rules_evaluate() after every change to a
 * record, inside the same transaction, so tasks can never disagree with
 * records: while a rule applies exactly one task is open for it, with the due
 * time the record gives; when it stops applying (the action was recorded)
 * the task is closed as done. Overdue is due_at < clock_now(): computed on
 * read, so nothing polls the wall clock.
 *
 * docs/timescales.md lists every rule, its default and its source.
 */
#ifndef SG_RULES_H
#define SG_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct store;
struct user;
struct config;
struct working_calendar;

enum rule_owner {
    OWNER_RECORD_USER, /* the user id in the record's "officer_id" */
    OWNER_RECORD_TEAM, /* the team in the record's "team" */
    OWNER_ROLE,        /* everyone holding owner_role */
};

struct rule {
    const char *id;          /* "incident.rereview_priority" */
    const char *record_type; /* "incident" */
    const char *title;       /* what must happen, for My work */
    /* True while the record is in the state the rule watches. */
    bool (*applies)(const json_t *record);
    /* The record field holding the timestamp the clock starts from. */
    const char *from_field;
    int default_minutes;
    enum rule_owner owner;
    const char *owner_role; /* OWNER_ROLE, and the fallback when the record has no owner */
    const char *escalate_role;
    const char *source; /* where the figure comes from (DOMAIN.md, guidance, local policy) */
};

extern const struct rule rule_table[];
extern const int rule_count;

/* Applies per-force overrides ("rule.<id> = <minutes>" in the config file).
 * Returns 0, or -1 with an error naming the unknown rule or bad value. */
int rules_configure(const char *id, const char *minutes, char *err, size_t errlen);
/* The minutes in force for a rule (override or default). */
int rules_minutes(const struct rule *r);
const struct rule *rules_find(const char *id);
/* True when r's minutes count working time only (the working calendar:
 * Mon-Fri by default, "calendar.working_days" and "calendar.holidays"), so
 * 10 working days is 14400 minutes. Such rules are listed in rules.c. */
bool rules_working_days(const struct rule *r);
/* When a task of r whose clock started at from falls due: from plus the
 * minutes in force, counted on working days only for working-day rules. */
int64_t rules_due(const struct rule *r, int64_t from);

/* The working calendar ("calendar.working_days = mon,tue,wed,thu,fri",
 * "calendar.holidays = 2026-12-25,2026-12-28"), given without the
 * "calendar." prefix. 0, or -1 with err. */
int rules_configure_calendar(const char *name, const char *value, char *err, size_t errlen);
const struct working_calendar *rules_calendar(void);

/* Re-evaluates every rule for one record (call after each change, inside the
 * change's transaction). record must carry "id" and the fields the rules
 * read. person_id names the child concerned (0 for none). Returns STORE_OK or
 * a negative store code. */
int rules_evaluate(struct store *s, const char *record_type, const json_t *record,
                   int64_t person_id, int64_t now);

/* The user's tasks: their own, their team's and their roles'; for users who
 * supervise, their team's overdue tasks too. Open tasks only, overdue first,
 * then by due time (new reference). */
json_t *rules_my_work(struct store *s, const struct user *u, int64_t now);

/* Open tasks for one record (new reference). */
json_t *rules_record_tasks(struct store *s, const char *record_type, int64_t record_id,
                           int64_t now);

#endif
