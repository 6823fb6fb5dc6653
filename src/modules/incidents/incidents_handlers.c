/*
 * incidents_handlers.c — HTTP in and out for the control room: path and
 * query parsing, then the domain functions in incidents.c. Bodies arrive
 * already validated against the route's field table by the dispatcher, and
 * every route names the incident in its audit entry.
 */
#include "modules/incidents/incidents_handlers.h"
#include "modules/incidents/incidents.h"

#include <stdio.h>
#include <string.h>

/* Reads {id} and names the incident in the audit entry. */
static int incident_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "incident";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* The record after a change (200), or for a page the record's address. */
static void send_incident(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = incident_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no incident with id %lld", (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/incidents/%lld", (long long)id);
    http_header(res, "ETag",
                arena_printf(req->arena, "\"%lld\"",
                             (long long)json_integer_value(json_object_get(o, "version"))));
    http_json(res, status, o);
}

void incidents_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "incident";
    int64_t id = incident_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/incidents/%lld", (long long)id));
    send_incident(req, res, id, 201);
}

void incidents_new(struct request *req, struct response *res)
{
    (void)req;
    http_json(res, 200, incident_form_choices());
}

void incidents_find(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", "q", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *status = req_query(req, "status");
    const char *q = req_query(req, "q");
    if (status && !*status)
        status = NULL;
    if (q && !*q)
        q = NULL;
    if (status && strcmp(status, "open") != 0 && strcmp(status, "attended") != 0 &&
        strcmp(status, "closed") != 0) {
        http_error(res, 422, "invalid_enum", "status",
                   "'status' must be one of: open, attended, closed");
        return;
    }
    /* References are letters, digits and hyphens: nothing else to match. */
    if (q && (strlen(q) > 20 || strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789-") != strlen(q))) {
        http_error(res, 422, "invalid_field", "q",
                   "'q' must be part of an incident reference, like INC-2026-000123");
        return;
    }
    char upper[24] = "";
    if (q) {
        for (size_t i = 0; q[i] && i < sizeof(upper) - 1; i++)
            upper[i] = (char)(q[i] >= 'a' && q[i] <= 'z' ? q[i] - 32 : q[i]);
    }
    req->audit_type = "incident";
    req->audit_action = "search";
    http_json(res, 200, incident_list(req->store, status, q ? upper : NULL, req->now));
}

void incidents_show(struct request *req, struct response *res)
{
    int64_t id;
    if (incident_id(req, res, &id) < 0)
        return;
    send_incident(req, res, id, 200);
}

typedef int (*incident_action)(struct store *, int64_t, const json_t *, const struct user *,
                               int64_t, struct domain_error *);

/* Every POST action: run it, then answer with the record as it now is. */
static void run_action(struct request *req, struct response *res, incident_action fn,
                       const char *action)
{
    int64_t id;
    if (incident_id(req, res, &id) < 0)
        return;
    req->audit_action = action;
    struct domain_error err = {0};
    if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    send_incident(req, res, id, 200);
}

void incidents_link_person(struct request *req, struct response *res)
{
    run_action(req, res, incident_link_person, "link_person");
}

void incidents_add_log(struct request *req, struct response *res)
{
    run_action(req, res, incident_add_log, "log");
}

void incidents_thrive(struct request *req, struct response *res)
{
    run_action(req, res, incident_record_thrive, "thrive");
}

void incidents_grade(struct request *req, struct response *res)
{
    run_action(req, res, incident_grade, "grade");
}

void incidents_authorise_grade(struct request *req, struct response *res)
{
    run_action(req, res, incident_authorise_grade, "authorise_grade");
}

void incidents_review(struct request *req, struct response *res)
{
    run_action(req, res, incident_review, "review");
}

void incidents_attend(struct request *req, struct response *res)
{
    run_action(req, res, incident_attend, "attend");
}

void incidents_close(struct request *req, struct response *res)
{
    run_action(req, res, incident_close, "close");
}

static int person_param(struct request *req, struct response *res, int64_t *pid)
{
    if (req_param_id(req, res, "person_id", pid) < 0)
        return -1;
    req->audit_detail = arena_printf(req->arena, "{\"person_id\":%lld}", (long long)*pid);
    return 0;
}

void incidents_voice_show(struct request *req, struct response *res)
{
    int64_t id, pid;
    if (incident_id(req, res, &id) < 0 || person_param(req, res, &pid) < 0)
        return;
    struct domain_error err = {0};
    json_t *v = incident_voice_get(req->store, id, pid, req->now, &err);
    if (!v) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, v);
}

void incidents_voice_record(struct request *req, struct response *res)
{
    int64_t id, pid;
    if (incident_id(req, res, &id) < 0 || person_param(req, res, &pid) < 0)
        return;
    req->audit_action = "voice_of_child";
    struct domain_error err = {0};
    if (incident_record_voice(req->store, id, pid, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    send_incident(req, res, id, 200);
}

/* The form twin of PUT (forms can only POST); its own operation id. */
void incidents_voice_post(struct request *req, struct response *res)
{
    incidents_voice_record(req, res);
}

void incidents_measures(struct request *req, struct response *res)
{
    http_json(res, 200, incident_measures(req->store, req->now));
}
