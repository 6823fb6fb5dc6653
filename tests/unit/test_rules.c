/*
 * test_rules.c — the timescales engine: the rule table row by row, per-force
 * overrides, and tasks opened, moved and closed as a record changes, on a
 * real (temporary) SQLite store and an injected clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/config.h"
#include "core/date.h"
#include "modules/missing/missing.h"
#include "modules/offenders/offenders.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

static int64_t T(const char *ts)
{
    int64_t t = 0;
    assert_int_equal(ts_parse(ts, &t), 0);
    return t;
}

static void test_table_is_complete(void **state)
{
    (void)state;
    assert_true(rule_count > 0);
    for (int i = 0; i < rule_count; i++) {
        const struct rule *r = &rule_table[i];
        assert_non_null(r->id);
        assert_non_null(r->record_type);
        assert_non_null(r->title);
        assert_non_null(r->applies);
        assert_non_null(r->from_field);
        assert_non_null(r->source);
        assert_non_null(r->escalate_role);
        assert_true(r->default_minutes > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(rule_table[j].id, r->id);
        assert_ptr_equal(rules_find(r->id), r);
    }
    assert_null(rules_find("no.such.rule"));
}

static bool applies(const char *id, const char *json)
{
    json_error_t e;
    json_t *rec = json_loads(json, 0, &e);
    assert_non_null(rec);
    bool a = rules_find(id)->applies(rec);
    json_decref(rec);
    return a;
}

static void test_predicates_case_by_case(void **state)
{
    (void)state;
    /* Re-review: only un-attended, open, child, at the watched grade. */
    const char *pri = "{\"status\":\"open\",\"grade\":\"priority\",\"involves_child\":true}";
    assert_true(applies("incident.rereview_priority", pri));
    assert_false(applies("incident.rereview_priority",
                         "{\"status\":\"open\",\"grade\":\"priority\",\"involves_child\":false}"));
    assert_false(applies("incident.rereview_priority",
                         "{\"status\":\"open\",\"grade\":\"priority\",\"involves_child\":true,"
                         "\"attended_at\":\"2026-01-01T00:00:00Z\"}"));
    assert_false(applies("incident.rereview_priority",
                         "{\"status\":\"closed\",\"grade\":\"priority\",\"involves_child\":true}"));
    assert_false(applies("incident.rereview_scheduled", pri));
    assert_true(applies("incident.rereview_scheduled",
                        "{\"status\":\"open\",\"grade\":\"scheduled\",\"involves_child\":true}"));
    /* Attendance targets by grade, child or not. */
    assert_true(
        applies("incident.attend_emergency", "{\"status\":\"open\",\"grade\":\"emergency\"}"));
    assert_false(
        applies("incident.attend_emergency", "{\"status\":\"open\",\"grade\":\"priority\"}"));
    assert_true(
        applies("incident.attend_priority", "{\"status\":\"open\",\"grade\":\"priority\"}"));
    /* Under-grading waits for a supervisor. */
    assert_true(
        applies("incident.authorise_grade", "{\"status\":\"open\",\"below_risk_grade\":true}"));
    assert_false(applies("incident.authorise_grade",
                         "{\"status\":\"open\",\"below_risk_grade\":true,"
                         "\"grade_authorised_by_name\":\"Sgt Example\"}"));
    assert_false(
        applies("incident.authorise_grade", "{\"status\":\"open\",\"below_risk_grade\":false}"));
    /* Escalation and the voice of the child. */
    assert_true(
        applies("incident.reassess", "{\"status\":\"open\",\"reassessment_required\":true}"));
    assert_false(
        applies("incident.reassess", "{\"status\":\"closed\",\"reassessment_required\":true}"));
    assert_true(applies("incident.voice_of_child",
                        "{\"status\":\"attended\",\"involves_child\":true,\"attended_at\":"
                        "\"2026-01-01T00:00:00Z\",\"voice_missing\":true}"));
    assert_false(applies("incident.voice_of_child",
                         "{\"status\":\"attended\",\"involves_child\":true,\"attended_at\":"
                         "\"2026-01-01T00:00:00Z\",\"voice_missing\":false}"));
    assert_false(applies("incident.voice_of_child",
                         "{\"status\":\"open\",\"involves_child\":true,\"voice_missing\":true}"));
}

/* Registered sex offenders: clocks apply only while the requirements are in
 * force, visits only under active management; and the period table. */
static void test_offender_predicates_and_period(void **state)
{
    (void)state;
    const char *active = "{\"in_force\":true,\"management\":\"active\","
                         "\"visit_due_from\":\"2026-08-01T00:00:00Z\"}";
    assert_true(applies("offender.visit", active));
    assert_false(applies("offender.visit", "{\"in_force\":true,\"management\":\"reactive\","
                                           "\"visit_due_from\":\"2026-08-01T00:00:00Z\"}"));
    assert_false(applies("offender.visit", "{\"in_force\":false,\"management\":\"active\","
                                           "\"visit_due_from\":\"2026-08-01T00:00:00Z\"}"));
    assert_true(applies("offender.reactive_review_urgent",
                        "{\"reactive_urgent_from\":\"2026-08-01T00:00:00Z\"}"));
    assert_false(applies("offender.reactive_review_routine",
                         "{\"reactive_urgent_from\":\"2026-08-01T00:00:00Z\"}"));
    assert_true(applies("offender.child_safeguarding", "{\"status\":\"open\"}"));
    assert_false(applies("offender.child_safeguarding", "{\"status\":\"actioned\"}"));
    struct offender_period p;
    offenders_period("custody", 30, 40, &p);
    assert_int_equal(p.months, -1);
    assert_int_equal(p.review_years, 15);
    offenders_period("custody", 30, 17, &p);
    assert_int_equal(p.review_years, 8);
    offenders_period("custody", 29, 40, &p);
    assert_int_equal(p.months, 120);
    offenders_period("custody", 6, 40, &p);
    assert_int_equal(p.months, 84);
    offenders_period("custody", 6, 17, &p);
    assert_int_equal(p.months, 42);
    offenders_period("caution", 0, 40, &p);
    assert_int_equal(p.months, 24);
    offenders_period("other", 0, 40, &p);
    assert_int_equal(p.months, 60);
    assert_int_equal(offenders_fallback_visit_months("very_high"), 1);
    assert_int_equal(offenders_fallback_visit_months("low"), 12);
    assert_int_equal(offenders_fallback_visit_months(NULL), 1);
}

/* Missing episodes: each risk level's review, the first action, inspector
 * oversight, and what the return starts. */
static void test_missing_predicates(void **state)
{
    (void)state;
    const char *high = "{\"status\":\"missing\",\"risk\":\"high\"}";
    assert_true(applies("missing.review_high", high));
    assert_false(applies("missing.review_medium", high));
    assert_false(applies("missing.review_low", high));
    assert_true(applies("missing.first_action_high", high));
    assert_false(applies("missing.first_action_high",
                         "{\"status\":\"missing\",\"risk\":\"high\",\"first_action_at\":"
                         "\"2026-01-01T00:00:00Z\"}"));
    assert_true(applies("missing.inspector_oversight", high));
    assert_false(applies("missing.inspector_oversight",
                         "{\"status\":\"missing\",\"risk\":\"high\",\"inspector_oversight_given\":"
                         "true}"));
    assert_false(
        applies("missing.inspector_oversight", "{\"status\":\"missing\",\"risk\":\"medium\"}"));
    /* Returned: no reviews; the interviews start. */
    const char *back = "{\"status\":\"returned\",\"risk\":\"high\",\"is_child\":true,"
                       "\"returned_at\":\"2026-01-01T00:00:00Z\"}";
    assert_false(applies("missing.review_high", back));
    assert_true(applies("missing.prevention_interview", back));
    assert_true(applies("missing.rhi_referral", back));
    assert_false(applies("missing.rhi_referral",
                         "{\"status\":\"returned\",\"is_child\":false,\"returned_at\":"
                         "\"2026-01-01T00:00:00Z\"}"));
    assert_false(applies("missing.rhi_outcome", back));
    /* The interview's outcome is still owed after closure. */
    assert_true(applies("missing.rhi_outcome",
                        "{\"status\":\"closed\",\"is_child\":true,\"rhi_referred_at\":"
                        "\"2026-01-01T00:00:00Z\"}"));
    assert_true(applies("missing.exploitation_referral",
                        "{\"status\":\"returned\",\"exploitation_cce\":true,"
                        "\"exploitation_recorded_at\":\"2026-01-01T00:00:00Z\"}"));
    assert_false(applies("missing.exploitation_referral",
                         "{\"status\":\"returned\",\"exploitation_cce\":true,"
                         "\"exploitation_recorded_at\":\"2026-01-01T00:00:00Z\","
                         "\"referral_recorded_at\":\"2026-01-01T01:00:00Z\"}"));
}

/* missing.repeat_count and missing.repeat_window_days, as the config file
 * passes them (prefix stripped). */
static void test_missing_configuration(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(missing_repeat_count(), 3);
    assert_int_equal(missing_repeat_window_days(), 90);
    assert_int_equal(missing_configure("repeat_count", "4", err, sizeof(err)), 0);
    assert_int_equal(missing_repeat_count(), 4);
    assert_int_equal(missing_configure("repeat_count", "1", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "'missing.repeat_count' must be a whole number from 2 to 50"));
    assert_int_equal(missing_configure("repeat_window_days", "30x", err, sizeof(err)), -1);
    assert_int_equal(missing_configure("repeat_windows", "30", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no setting 'missing.repeat_windows'"));
    assert_int_equal(missing_repeat_count(), 4); /* refusals change nothing */
    assert_int_equal(missing_configure("repeat_count", "3", err, sizeof(err)), 0);
    /* Through the config file: both prefixes reach their owners. */
    struct config c;
    config_defaults(&c);
    config_register_prefix("missing.", missing_configure);
    const char *text = "missing.repeat_window_days = 60\n";
    assert_int_equal(config_load_text(&c, "t.conf", text, strlen(text), err, sizeof(err)), 0);
    assert_int_equal(missing_repeat_window_days(), 60);
    text = "missing.repeat_count = many\n";
    assert_int_equal(config_load_text(&c, "t.conf", text, strlen(text), err, sizeof(err)), -1);
    assert_non_null(strstr(err, "t.conf:1"));
    assert_int_equal(missing_configure("repeat_window_days", "90", err, sizeof(err)), 0);
}

/* referrals.review_required: 1 or 0, nothing else. */
static void test_referrals_configuration(void **state)
{
    (void)state;
    char err[256];
    assert_true(referrals_review_required());
    assert_int_equal(referrals_configure("review_required", "0", err, sizeof(err)), 0);
    assert_false(referrals_review_required());
    assert_int_equal(referrals_configure("review_required", "yes", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "'referrals.review_required' must be 1 or 0, not 'yes'"));
    assert_false(referrals_review_required()); /* refusals change nothing */
    assert_int_equal(referrals_configure("reviews", "1", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no setting 'referrals.reviews'"));
    assert_int_equal(referrals_configure("review_required", "1", err, sizeof(err)), 0);
    assert_true(referrals_review_required());
}

static void test_overrides(void **state)
{
    (void)state;
    char err[256];
    const struct rule *r = rules_find("incident.rereview_priority");
    assert_int_equal(rules_minutes(r), 30);
    assert_int_equal(rules_configure("incident.rereview_priority", "20", err, sizeof(err)), 0);
    assert_int_equal(rules_minutes(r), 20);
    assert_int_equal(rules_configure("incident.rereview_priority", "0", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "incident.rereview_priority"));
    assert_int_equal(rules_configure("incident.rereview_priority", "x", err, sizeof(err)), -1);
    assert_int_equal(rules_configure("nope", "10", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "nope"));
    assert_int_equal(rules_minutes(r), 20); /* refusals change nothing */
    assert_int_equal(rules_configure("incident.rereview_priority", "30", err, sizeof(err)), 0);
}

struct fixture {
    char path[64];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "/tmp/sg-rules-%d.db", (int)getpid());
    unlink(f->path);
    char err[256];
    if (store_open(&f->s, f->path, err, sizeof(err)) < 0 ||
        store_migrate(f->s, err, sizeof(err)) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static void evaluate(struct store *s, json_t *rec, int64_t now)
{
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(rules_evaluate(s, "incident", rec, 0, now), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
}

static const json_t *task_for(const json_t *tasks, const char *rule)
{
    size_t i;
    json_t *t;
    json_array_foreach(
        tasks, i, t) if (strcmp(json_string_value(json_object_get(t, "rule")), rule) == 0) return t;
    return NULL;
}

static void test_tasks_follow_the_record(void **state)
{
    struct fixture *f = *state;
    int64_t t0 = T("2026-03-02T10:00:00Z");
    json_t *rec = json_pack("{s:i, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "id", 7, "status", "open",
                            "grade", "priority", "involves_child", 1, "received_at",
                            "2026-03-02T10:00:00Z", "last_reviewed_at", "2026-03-02T10:00:00Z",
                            "updated_at", "2026-03-02T10:00:00Z", "team", "Control A");
    evaluate(f->s, rec, t0);
    json_t *tasks = rules_record_tasks(f->s, "incident", 7, t0);
    const json_t *rr = task_for(tasks, "incident.rereview_priority");
    assert_non_null(rr);
    assert_string_equal(json_string_value(json_object_get(rr, "due_at")), "2026-03-02T10:30:00Z");
    assert_non_null(task_for(tasks, "incident.attend_priority"));
    assert_int_equal(json_array_size(tasks), 2);
    json_decref(tasks);

    /* Evaluating again changes nothing: one open task per rule. */
    evaluate(f->s, rec, t0 + 60);
    tasks = rules_record_tasks(f->s, "incident", 7, t0 + 60);
    assert_int_equal(json_array_size(tasks), 2);
    json_decref(tasks);

    /* A call handler in the team sees it; overdue after 30 minutes, first. */
    struct user u = {.id = 3};
    snprintf(u.username, sizeof(u.username), "ch");
    snprintf(u.team, sizeof(u.team), "Control A");
    snprintf(u.roles, sizeof(u.roles), "call_handler");
    json_t *w = rules_my_work(f->s, &u, t0 + 31 * 60);
    const json_t *first = json_array_get(json_object_get(w, "tasks"), 0);
    assert_non_null(first);
    assert_string_equal(json_string_value(json_object_get(first, "rule")),
                        "incident.rereview_priority");
    assert_true(json_is_true(json_object_get(first, "overdue")));
    assert_int_equal(json_integer_value(json_object_get(w, "overdue")), 1);
    json_decref(w);

    /* Someone in another team does not. */
    snprintf(u.team, sizeof(u.team), "Control B");
    w = rules_my_work(f->s, &u, t0 + 31 * 60);
    assert_int_equal(json_array_size(json_object_get(w, "tasks")), 0);
    json_decref(w);

    /* A supervisor of the team sees the overdue tasks only. */
    snprintf(u.team, sizeof(u.team), "Control A");
    snprintf(u.roles, sizeof(u.roles), "supervisor");
    w = rules_my_work(f->s, &u, t0 + 20 * 60);
    assert_int_equal(json_array_size(json_object_get(w, "tasks")), 0);
    json_decref(w);
    w = rules_my_work(f->s, &u, t0 + 31 * 60);
    first = json_array_get(json_object_get(w, "tasks"), 0);
    assert_non_null(first);
    assert_string_equal(json_string_value(json_object_get(first, "why")), "overdue in your team");
    json_decref(w);

    /* A review moves the deadline; attendance closes both tasks. */
    json_object_set_new(rec, "last_reviewed_at", json_string("2026-03-02T10:35:00Z"));
    evaluate(f->s, rec, t0 + 35 * 60);
    tasks = rules_record_tasks(f->s, "incident", 7, t0 + 35 * 60);
    rr = task_for(tasks, "incident.rereview_priority");
    assert_string_equal(json_string_value(json_object_get(rr, "due_at")), "2026-03-02T11:05:00Z");
    json_decref(tasks);
    json_object_set_new(rec, "attended_at", json_string("2026-03-02T10:50:00Z"));
    evaluate(f->s, rec, t0 + 50 * 60);
    tasks = rules_record_tasks(f->s, "incident", 7, t0 + 50 * 60);
    assert_int_equal(json_array_size(tasks), 0);
    json_decref(tasks);
    json_decref(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_complete),
        cmocka_unit_test(test_predicates_case_by_case),
        cmocka_unit_test(test_missing_predicates),
        cmocka_unit_test(test_offender_predicates_and_period),
        cmocka_unit_test(test_missing_configuration),
        cmocka_unit_test(test_referrals_configuration),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test_setup_teardown(test_tasks_follow_the_record, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
