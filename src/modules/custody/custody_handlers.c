/*
 * custody_handlers.c — HTTP in and out for children in custody: path and
 * query parsing, then the domain functions in custody.c, custody_actions.c,
 * custody_certificate.c and custody_measures.c. Bodies arrive validated
 * against the route's field table; every route that touches a record names
 * it in its audit entry.
 */
#include "modules/custody/custody_handlers.h"
#include "modules/custody/custody_pages.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/date.h"

#include <string.h>

static int record_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "custody_record";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* The record after a change, or for a page its address. */
static void send_record(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = custody_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no custody record with id %lld", (long long)id);
        return;
    }
    custody_add_clocks(req->store, o, req->now);
    res->redirect = arena_printf(req->arena, "/custody/%lld", (long long)id);
    http_json(res, status, o);
}

void custody_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "custody_record";
    int64_t id = custody_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        custody_page_refuse_new(req, res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/custody/%lld", (long long)id));
    send_record(req, res, id, 201);
}

void custody_h_list(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", NULL};
    req->audit_type = "custody_record";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *status = req_query(req, "status");
    if (status && !*status)
        status = NULL;
    if (status && strcmp(status, "in_custody") != 0 && strcmp(status, "released") != 0 &&
        strcmp(status, "all") != 0) {
        http_error(res, 422, "invalid_enum", "status",
                   "'status' must be one of: in_custody, released, all");
        return;
    }
    json_t *o = custody_list(req->store, status, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    custody_list_add_clocks(req->store, o, req->now);
    http_json(res, 200, o);
}

void custody_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (record_id(req, res, &id) < 0)
        return;
    send_record(req, res, id, 200);
}

/* One handler per action: read {id}, run the domain function, answer with
 * the record. */
#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (record_id(req, res, &id) < 0)                                                          \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            custody_page_refuse(req, res, &err, id);                                               \
            return;                                                                                \
        }                                                                                          \
        send_record(req, res, id, 200);                                                            \
    }

ACTION(custody_h_age, custody_verify_age)
ACTION(custody_h_accommodation, custody_accommodation)
ACTION(custody_h_review, custody_review)
ACTION(custody_h_visit, custody_visit)
ACTION(custody_h_responsible, custody_responsible_adult)
ACTION(custody_h_aa_request, custody_aa_request)
ACTION(custody_h_aa_arrival, custody_aa_arrival)
ACTION(custody_h_welfare, custody_welfare)
ACTION(custody_h_voice, custody_voice)
ACTION(custody_h_legal, custody_legal_advice)
ACTION(custody_h_interview, custody_interview)
ACTION(custody_h_outcome, custody_outcome)
ACTION(custody_h_transfer_request, custody_transfer_request)
ACTION(custody_h_la_answer, custody_la_answer)
ACTION(custody_h_transferred, custody_transferred)
ACTION(custody_h_certify, custody_certify)
ACTION(custody_h_release, custody_release)

void custody_h_referral(struct request *req, struct response *res)
{
    int64_t id;
    if (record_id(req, res, &id) < 0)
        return;
    struct domain_error err = {0};
    int64_t ref = custody_raise_referral(req->store, id, req->json, req->user, req->now, &err);
    if (ref < 0) {
        custody_page_refuse(req, res, &err, id);
        return;
    }
    http_header(res, "Location", arena_printf(req->arena, "/api/referrals/%lld", (long long)ref));
    res->redirect = arena_printf(req->arena, "/referrals/%lld", (long long)ref);
    json_t *o = custody_get(req->store, id, req->user, req->now);
    json_object_set_new(o, "referral_id", json_integer(ref));
    http_json(res, 201, o);
}

void custody_h_certificate(struct request *req, struct response *res)
{
    int64_t id;
    if (record_id(req, res, &id) < 0)
        return;
    req->audit_action = "print";
    struct domain_error err = {0};
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    if (custody_certificate_pdf(req->store, id, req->user, req->now, &b, &err) < 0) {
        buf_release(&b);
        http_domain_error(res, &err);
        return;
    }
    http_pdf(req, res, &b, false,
             arena_printf(req->arena, "s38-certificate-%lld.pdf", (long long)id));
    buf_release(&b);
}

/* ?from=YYYY-MM-DD&to=YYYY-MM-DD (default the last 90 days): by local
 * authority. */
void custody_h_measures(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"from", "to", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    struct civil_date to = date_of_ts(ts_uk_local(req->now)), from;
    const char *f = req_query(req, "from"), *t = req_query(req, "to");
    if (t && *t && date_parse(t, &to) < 0) {
        http_error(res, 422, "invalid_date", "to", "'to' must be a date written YYYY-MM-DD");
        return;
    }
    from = date_from_days(date_to_days(&to) - 89);
    if (f && *f && date_parse(f, &from) < 0) {
        http_error(res, 422, "invalid_date", "from", "'from' must be a date written YYYY-MM-DD");
        return;
    }
    if (date_compare(&from, &to) > 0) {
        http_error(res, 422, "invalid_period", "from", "'from' must not be after 'to'");
        return;
    }
    struct civil_date after = date_from_days(date_to_days(&to) + 1);
    char a[TS_TEXT_LEN], b[TS_TEXT_LEN], fd[DATE_TEXT_LEN], td[DATE_TEXT_LEN];
    ts_format(ts_uk_midnight(&from), a);
    ts_format(ts_uk_midnight(&after), b);
    /* Aggregates only: small counts are hidden from those who may not read
     * custody records (the board). */
    bool suppress = !req->user || !permset_has(&req->user->perms, PERM_CUSTODY_READ);
    json_t *o = custody_by_local_authority(req->store, a, b, req->now, suppress);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    date_format(&from, fd);
    date_format(&to, td);
    json_object_set_new(o, "period", json_pack("{s:s, s:s}", "from", fd, "to", td));
    http_json(res, 200, o);
}
