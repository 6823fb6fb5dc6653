/*
 * protection_pages.c — the police protection pages' data (see
 * protection_pages.h): a case's clocks, the officers who may be designated,
 * the record form (GET /api/police-protection/new) and what a refused form
 * post re-renders with.
 */
#include "modules/protection/protection_pages.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "auth/users.h"
#include "core/date.h"
#include "modules/incidents/incidents.h"
#include "modules/people/people.h"
#include "modules/protection/protection.h"
#include "modules/protection/protection_handlers.h"
#include "rules/rules.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the clocks -------------------------------------------------------------------------- */

/* "3 h 20 min" / "2 days 4 h", as protection.c writes durations. */
static json_t *late_text(int64_t secs)
{
    char t[48];
    duration_words(secs, t, sizeof(t));
    return json_string(t);
}

/* The earlier of two times, either possibly NULL. */
static const char *earlier(const char *a, const char *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return strcmp(a, b) <= 0 ? a : b;
}

json_t *protection_clocks(const json_t *c, int64_t now)
{
    assert(c);
    /* What each clock waits for; "ends" says the release closes it
     * undone (the notifications are owed even after it). */
    const struct {
        const char *rule, *what, *done_at;
        bool ends;
    } clocks[] = {
        {"protection.designate", "Designated officer appointed", jstr(c, "designated_at"), true},
        {"protection.inform_la", "Local authority informed", jstr(c, "la_informed_at"), false},
        {"protection.inform_parents", "Parents informed (or why not recorded)",
         jstr(c, "parents_recorded_at"), false},
        {"protection.inform_child", "Child told, and their views recorded",
         jstr(c, "child_informed_at"), false},
        {"protection.inquiry", "Designated officer's inquiry and decision", jstr(c, "inquiry_at"),
         true},
        {"protection.release_or_epo", "Released, or an emergency protection order applied for",
         earlier(jstr(c, "epo_sought_at"), jstr(c, "released_at")), true},
        {"protection.expiry", "72 hours end: released by then", jstr(c, "released_at"), true},
    };
    int64_t from = 0;
    ts_parse(jstr(c, "initiated_at"), &from);
    bool released = jstr(c, "released_at") != NULL;
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        const struct rule *r = rules_find(clocks[i].rule);
        if (!r)
            continue;
        int64_t due = from + (int64_t)rules_minutes(r) * 60, done = 0;
        char due_ts[TS_TEXT_LEN];
        ts_format(due, due_ts);
        const char *state;
        json_t *over = json_null();
        if (clocks[i].done_at) {
            ts_parse(clocks[i].done_at, &done);
            state = done > due ? "late" : "done";
        } else if (released && clocks[i].ends) {
            state = "not_done";
        } else if (due < now) {
            state = "overdue";
            over = late_text(now - due);
        } else {
            state = "due";
        }
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:o, s:s, s:o}", "rule", clocks[i].rule, "what",
                           clocks[i].what, "due_at", due_ts, "done_at",
                           clocks[i].done_at ? json_string(clocks[i].done_at) : json_null(),
                           "state", state, "overdue_for", over));
    }
    return arr;
}

/* ---- who may be designated ------------------------------------------------------------------ */

static bool may_designate(const json_t *roles)
{
    struct permset p = {{0}};
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        const struct role_def *d = role_find(json_string_value(r) ? json_string_value(r) : "");
        if (d)
            role_grant(d, &p);
    }
    return permset_has(&p, PERM_PROTECTION_DESIGNATE);
}

json_t *protection_designate_choices(struct store *s, const json_t *c)
{
    json_int_t initiator = c ? json_integer_value(json_object_get(c, "initiating_officer_id")) : 0;
    json_int_t current = c ? json_integer_value(json_object_get(c, "designated_officer_id")) : 0;
    json_t *users = users_list_json(s), *out = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
    {
        if (json_is_true(json_object_get(u, "disabled")) ||
            !may_designate(json_object_get(u, "roles")))
            continue;
        json_int_t id = json_integer_value(json_object_get(u, "id"));
        json_array_append_new(out, json_pack("{s:I, s:s, s:b, s:b}", "id", id, "name",
                                             jstr(u, "display_name"), "used_power", id == initiator,
                                             "current", id == current));
    }
    json_decref(users);
    return out;
}

/* Marks the officer chosen in a refused form, so the select shows it again. */
static void mark_chosen(json_t *officers, const json_t *body, const char *key)
{
    const json_t *v = json_object_get(body, key);
    size_t i;
    json_t *o;
    json_array_foreach(officers, i, o)
    {
        json_object_set_new(
            o, "selected",
            json_boolean(json_is_integer(v) &&
                         json_integer_value(json_object_get(o, "id")) == json_integer_value(v)));
    }
}

/* ---- the record form ------------------------------------------------------------------------ */

json_t *protection_new_form(struct store *s, int64_t person_id, int64_t incident_id, const char *q,
                            const struct user *viewer, int64_t now, struct domain_error *err)
{
    json_t *powers = json_array(), *kinds = json_array();
    for (int i = 0; protection_powers[i]; i++)
        json_array_append_new(powers, json_string(protection_powers[i]));
    for (int i = 0; protection_place_kinds[i]; i++)
        json_array_append_new(kinds, json_string(protection_place_kinds[i]));
    json_t *o = json_pack("{s:o, s:o, s:o, s:n, s:n, s:n}", "powers", powers, "place_kinds", kinds,
                          "officers", protection_designate_choices(s, NULL), "person", "incident",
                          "results");
    if (incident_id > 0) {
        json_t *inc = incident_get(s, incident_id, viewer, now);
        if (!inc) {
            json_decref(o);
            domain_fail(err, 404, "not_found", "incident_id", "no incident with id %lld",
                        (long long)incident_id);
            return NULL;
        }
        /* The children of the incident (or of unknown age) whom the viewer
         * may see: the ones the power may have been used for. */
        json_t *children = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(inc, "persons"), i, p)
        {
            json_int_t pid = json_integer_value(json_object_get(p, "person_id"));
            if (json_is_false(json_object_get(p, "is_child")) ||
                (viewer && !auth_person_visible(s, pid, viewer)))
                continue;
            json_array_append_new(children, json_pack("{s:I, s:O, s:O, s:O}", "person_id", pid,
                                                      "name", json_object_get(p, "name"), "age",
                                                      json_object_get(p, "age"), "role",
                                                      json_object_get(p, "role")));
        }
        json_object_set_new(o, "incident",
                            json_pack("{s:I, s:O, s:O, s:O, s:o}", "id", (json_int_t)incident_id,
                                      "reference", json_object_get(inc, "reference"), "location",
                                      json_object_get(inc, "location"), "nature",
                                      json_object_get(inc, "nature"), "children", children));
        json_object_set_new(o, "incident_id", json_integer(incident_id));
        /* One child: chosen already. */
        if (json_array_size(children) == 1)
            json_object_set_new(json_array_get(children, 0), "selected", json_true());
        json_decref(inc);
    }
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

/* A query value as a record id: 0 when absent, -1 when not one. */
static int64_t query_id(struct request *req, const char *key)
{
    const char *v = req_query(req, key);
    if (!v || !*v)
        return 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    return *end || n < 1 ? -1 : n;
}

void protection_h_new(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"person_id", "incident_id", "q", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    int64_t pid = query_id(req, "person_id"), iid = query_id(req, "incident_id");
    if (pid < 0 || iid < 0) {
        const char *key = pid < 0 ? "person_id" : "incident_id";
        http_error(res, 422, "invalid_field", key, "'%s' must be a record's id (a whole number)",
                   key);
        return;
    }
    /* The record read is the child's (or the incident's) for the audit. */
    if (pid || iid) {
        req->audit_type = pid ? "person" : "incident";
        req->audit_id = pid ? pid : iid;
    }
    const char *q = req_query(req, "q");
    if (q && strlen(q) > 100) {
        http_error(res, 422, "too_long", "q", "'q' must be at most 100 characters");
        return;
    }
    struct domain_error err = {0};
    json_t *o = protection_new_form(req->store, pid, iid, q, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

/* ---- refused form posts --------------------------------------------------------------------- */

void protection_page_refuse(struct request *req, struct response *res, struct domain_error *err,
                            int64_t case_id)
{
    int status = err->status;
    http_domain_error(res, err);
    if (!req->html || !res->json || status < 400 || status >= 500)
        return;
    json_t *c = protection_get(req->store, case_id, req->user, req->now);
    if (!c)
        return;
    json_t *officers = protection_designate_choices(req->store, c);
    mark_chosen(officers, req->json, "designated_officer_id");
    json_object_set_new(c, "officers", officers);
    json_object_set_new(res->json, "page", c);
}

void protection_page_refuse_new(struct request *req, struct response *res, struct domain_error *err)
{
    int status = err->status;
    http_domain_error(res, err);
    if (!req->html || !res->json || status < 400 || status >= 500)
        return;
    const json_t *p = json_object_get(req->json, "person_id");
    const json_t *i = json_object_get(req->json, "incident_id");
    struct domain_error rerr = {0};
    /* The child named, if they exist; the form shows the error beside them. */
    json_t *page = protection_new_form(req->store, json_is_integer(p) ? json_integer_value(p) : 0,
                                       json_is_integer(i) ? json_integer_value(i) : 0, NULL,
                                       req->user, req->now, &rerr);
    domain_error_release(&rerr);
    if (!page) {
        page = protection_new_form(req->store, 0, 0, NULL, req->user, req->now, &rerr);
        domain_error_release(&rerr);
    }
    if (!page)
        return;
    mark_chosen(json_object_get(page, "officers"), req->json, "designated_officer_id");
    json_object_set_new(res->json, "page", page);
}
