/*
 * custody_pages.c — the children in custody pages' data (see
 * custody_pages.h): the clocks on a record and on the list, the book-in
 * form (GET /api/custody/new) and what a refused form post re-renders with.
 */
#include "modules/custody/custody_pages.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/custody/custody.h"
#include "modules/custody/custody_internal.h"
#include "modules/people/people.h"
#include "rules/rules.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "3 h 20 min" / "2 days 4 h", as custody.c writes durations. */
static json_t *duration(int64_t secs)
{
    char t[48];
    duration_words(secs, t, sizeof(t));
    return json_string(t);
}

static int64_t when(const char *ts)
{
    int64_t t = 0;
    if (ts)
        ts_parse(ts, &t);
    return t;
}

static bool starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The open task of the record whose rule starts with prefix (the earliest
 * due: the tasks come due-first), as {due_at, overdue, overdue_for}, or
 * null. */
static json_t *task_clock(const json_t *tasks, const char *prefix)
{
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        if (!starts(jstr(t, "rule"), prefix))
            continue;
        return json_pack("{s:O, s:O, s:O, s:b}", "due_at", json_object_get(t, "due_at"), "overdue",
                         json_object_get(t, "overdue"), "overdue_for",
                         json_object_get(t, "overdue_for"), "first",
                         strcmp(jstr(t, "rule"), "custody.review_first") == 0);
    }
    return json_null();
}

static json_t *overdue_titles(const json_t *tasks)
{
    json_t *out = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) if (json_is_true(json_object_get(t, "overdue")))
        json_array_append(out, json_object_get(t, "title"));
    return out;
}

/* The appropriate adult's state from the request and arrival times. The
 * first escalation's minutes are the line between prompt and late. */
static const char *aa_state(bool child, const char *requested, const char *arrived,
                            const char *released, int64_t now, int64_t *waited)
{
    const struct rule *r2 = rules_find("custody.aa_arrival_sergeant");
    const struct rule *r4 = rules_find("custody.aa_arrival_inspector");
    int64_t first = (int64_t)(r2 ? rules_minutes(r2) : 120) * 60;
    int64_t second = (int64_t)(r4 ? rules_minutes(r4) : 240) * 60;
    *waited = 0;
    if (!requested)
        return child ? "not_requested" : "not_needed";
    int64_t stop = arrived ? when(arrived) : released ? when(released) : now;
    *waited = stop - when(requested);
    if (arrived)
        return *waited > first ? "arrived_late" : "arrived";
    if (released)
        return "not_arrived";
    if (!child)
        return "not_needed";
    return *waited > second ? "escalated_inspector" : *waited > first ? "escalated" : "waiting";
}

void custody_add_clocks(struct store *s, json_t *rec, int64_t now)
{
    assert(s && rec);
    const json_t *tasks = json_object_get(rec, "tasks");
    bool child = json_is_true(json_object_get(rec, "treated_as_child"));
    const char *req = jstr(rec, "aa_requested_at");
    int64_t waited;
    const char *state =
        aa_state(child, req, jstr(rec, "aa_arrived_at"), jstr(rec, "released_at"), now, &waited);
    json_t *thresholds = json_array();
    const char *rules[] = {"custody.aa_arrival_sergeant", "custody.aa_arrival_inspector"};
    const char *to[] = {"custody_sergeant", "inspector"};
    for (int i = 0; i < 2; i++) {
        const struct rule *r = rules_find(rules[i]);
        int mins = r ? rules_minutes(r) : (i ? 240 : 120);
        json_t *at = json_null();
        if (req) {
            char ts[TS_TEXT_LEN];
            ts_format(when(req) + (int64_t)mins * 60, ts);
            at = json_string(ts);
        }
        json_array_append_new(thresholds,
                              json_pack("{s:i, s:o, s:s, s:b}", "minutes", mins, "at", at, "to",
                                        to[i], "passed", req && waited > (int64_t)mins * 60));
    }
    const struct rule *r2 = rules_find("custody.aa_arrival_sergeant");
    int64_t first = (int64_t)(r2 ? rules_minutes(r2) : 120) * 60;
    json_t *aa =
        json_pack("{s:s, s:o, s:I, s:o, s:b}", "state", state, "since",
                  req ? json_integer((json_int_t)when(req)) : json_null(), "now", (json_int_t)now,
                  "thresholds", thresholds, "delay_needed", req && waited > first);
    json_object_set_new(aa, "elapsed", req ? duration(waited) : json_null());
    json_object_set_new(
        rec, "clocks",
        json_pack("{s:o, s:o, s:o, s:o}", "aa", aa, "review", task_clock(tasks, "custody.review_"),
                  "visit", task_clock(tasks, "custody.visit_"), "overdue", overdue_titles(tasks)));
    int age = custody_best_age(s, rec);
    json_object_set_new(rec, "certificate_age", age >= 0 ? json_integer(age) : json_null());
}

void custody_list_add_clocks(struct store *s, json_t *list, int64_t now)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(list, "records"), i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, "id")), waited;
        json_t *tasks = rules_record_tasks(s, "custody_record", id, now);
        const char *state = aa_state(json_is_true(json_object_get(row, "treated_as_child")),
                                     jstr(row, "aa_requested_at"), jstr(row, "aa_arrived_at"),
                                     jstr(row, "released_at"), now, &waited);
        json_object_set_new(
            row, "aa",
            json_pack("{s:s, s:o}", "state", state, "elapsed",
                      jstr(row, "aa_requested_at") ? duration(waited) : json_null()));
        json_t *review = task_clock(tasks, "custody.review_");
        json_t *visit = task_clock(tasks, "custody.visit_");
        json_object_set(row, "review_due", json_object_get(review, "due_at"));
        json_object_set(row, "review_overdue", json_object_get(review, "overdue"));
        json_object_set(row, "visit_due", json_object_get(visit, "due_at"));
        json_object_set(row, "visit_overdue", json_object_get(visit, "overdue"));
        json_decref(review);
        json_decref(visit);
        json_object_set_new(row, "overdue", overdue_titles(tasks));
        json_object_set_new(
            row, "charged_refused_bail",
            json_boolean(jstr(row, "outcome") &&
                         strcmp(jstr(row, "outcome"), "charged_refused_bail") == 0));
        json_decref(tasks);
    }
}

/* ---- the book-in form ------------------------------------------------------------------------ */

json_t *custody_new_form(struct store *s, int64_t person_id, const char *q,
                         const struct user *viewer, int64_t now, struct domain_error *err)
{
    json_t *o = json_pack("{s:n, s:n}", "person", "results");
    if (person_id > 0) {
        json_t *p = (!viewer || auth_person_visible(s, person_id, viewer))
                        ? person_get(s, person_id, now)
                        : NULL;
        if (!p) {
            json_decref(o);
            domain_fail(err, 404, "not_found", "person_id", "no person with id %lld",
                        (long long)person_id);
            return NULL;
        }
        json_object_set_new(o, "person",
                            json_pack("{s:I, s:O, s:O, s:O, s:O, s:O}", "id", (json_int_t)person_id,
                                      "given_name", json_object_get(p, "given_name"), "family_name",
                                      json_object_get(p, "family_name"), "dob",
                                      json_object_get(p, "dob"), "age", json_object_get(p, "age"),
                                      "is_child", json_object_get(p, "is_child")));
        json_object_set_new(o, "person_id", json_integer(person_id));
        json_decref(p);
    } else if (q && *q) {
        json_t *found = person_search(s, q, NULL, 1, 10, now, viewer, err);
        if (!found) {
            json_decref(o);
            return NULL;
        }
        json_object_set(o, "results", json_object_get(found, "results"));
        json_object_set_new(o, "q", json_string(q));
        json_decref(found);
    }
    return o;
}

void custody_h_new(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"person_id", "q", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    int64_t pid = 0;
    const char *v = req_query(req, "person_id");
    if (v && *v) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*end || n < 1) {
            http_error(res, 422, "invalid_field", "person_id",
                       "'person_id' must be a record's id (a whole number)");
            return;
        }
        pid = n;
        /* The read is the child's, for the audit. */
        req->audit_type = "person";
        req->audit_id = pid;
    }
    const char *q = req_query(req, "q");
    if (q && strlen(q) > 100) {
        http_error(res, 422, "too_long", "q", "'q' must be at most 100 characters");
        return;
    }
    struct domain_error err = {0};
    json_t *o = custody_new_form(req->store, pid, q, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

/* ---- refused form posts ---------------------------------------------------------------------- */

void custody_page_refuse(struct request *req, struct response *res, struct domain_error *err,
                         int64_t id)
{
    int status = err->status;
    http_domain_error(res, err);
    if (!req->html || !res->json || status < 400 || status >= 500)
        return;
    json_t *c = custody_get(req->store, id, req->user, req->now);
    if (!c)
        return;
    custody_add_clocks(req->store, c, req->now);
    json_object_set_new(res->json, "page", c);
}

void custody_page_refuse_new(struct request *req, struct response *res, struct domain_error *err)
{
    int status = err->status;
    http_domain_error(res, err);
    if (!req->html || !res->json || status < 400 || status >= 500)
        return;
    const json_t *p = json_object_get(req->json, "person_id");
    struct domain_error rerr = {0};
    /* The child named, if they exist; the form shows the error beside them. */
    json_t *page = custody_new_form(req->store, json_is_integer(p) ? json_integer_value(p) : 0,
                                    NULL, req->user, req->now, &rerr);
    domain_error_release(&rerr);
    if (!page) {
        page = custody_new_form(req->store, 0, NULL, req->user, req->now, &rerr);
        domain_error_release(&rerr);
    }
    if (page)
        json_object_set_new(res->json, "page", page);
}
