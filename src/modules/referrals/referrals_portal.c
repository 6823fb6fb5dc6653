/*
 * referrals_portal.c — the partner portal: a partner agency's users see
 * only the referrals sent to their agency, open them (the first opening is
 * recorded, every one audited by the route), acknowledge them and record
 * their decision.
 *
 * Isolation is by the recipient row: every query joins the referral to a
 * recipient of the user's own agency, so another agency's referral — or an
 * id that does not exist — answers the same 404.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/referrals/referrals.h"
#include "modules/referrals/referrals_internal.h"
#include "modules/referrals/referrals_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* clang-format off */
const struct field portal_ack_fields[] = {
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 2000},
    {0}};
const struct field portal_decision_fields[] = {
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = referral_decisions},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 4000},
    {0}};
/* clang-format on */

static int64_t my_agency(struct store *s, const struct user *u)
{
    return u ? agency_id_by_name(s, u->agency) : 0;
}

static int not_found(struct domain_error *err, int64_t id)
{
    return domain_fail(err, 404, "not_found", NULL, "no referral with id %lld", (long long)id);
}

json_t *portal_list(struct store *s, const struct user *u, int64_t now)
{
    (void)now;
    int64_t agency = my_agency(s, u);
    json_t *arr = json_array();
    if (agency) {
        struct stmt *st = store_prepare(s, SQL_PORTAL_LIST);
        if (!st) {
            json_decref(arr);
            return NULL;
        }
        stmt_bind_int(st, 1, agency);
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(
                arr,
                json_pack("{s:I, s:s, s:s++, s:o, s:s, s:s, s:o, s:o, s:o}", "id",
                          (json_int_t)stmt_int(st, 0), "reference", stmt_text(st, 1), "name",
                          stmt_text(st, 2), " ", stmt_text(st, 3), "dob", stmt_json_text(st, 4),
                          "urgency", stmt_text(st, 5), "sent_at", stmt_text(st, 6), "opened_at",
                          stmt_json_text(st, 7), "acknowledged_at", stmt_json_text(st, 8),
                          "decision", stmt_json_text(st, 9)));
        stmt_reset(st);
    }
    return json_pack("{s:o, s:o, s:o}", "referrals", arr, "agency",
                     u && u->agency[0] ? json_string(u->agency) : json_null(), "choices",
                     json_pack("{s:[s,s,s,s,s,s]}", "decisions", "no_further_action", "early_help",
                               "assessment", "strategy_discussion", "s47_enquiry",
                               "passed_to_other_agency"));
}

/* The recipient row of referral id for u's agency: 1 found (filled), 0 not
 * sent to it, < 0 store failure. */
static int recipient(struct store *s, int64_t id, int64_t agency, int64_t *rid, bool *opened,
                     bool *acked, bool *decided)
{
    struct stmt *st = store_prepare(s, SQL_PORTAL_RECIPIENT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, agency);
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *rid = stmt_int(st, 0);
        *opened = !stmt_is_null(st, 1);
        *acked = !stmt_is_null(st, 2);
        *decided = !stmt_is_null(st, 3);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : rc;
}

json_t *portal_open(struct store *s, int64_t id, const struct user *u, int64_t now,
                    struct domain_error *err)
{
    int64_t agency = my_agency(s, u), rid = 0;
    bool opened = false, acked = false, decided = false;
    int rc = agency ? recipient(s, id, agency, &rid, &opened, &acked, &decided) : 0;
    if (rc <= 0) {
        if (rc < 0)
            domain_store_fail(err, s, rc);
        else
            not_found(err, id);
        return NULL;
    }
    if (!opened) {
        char ts[TS_TEXT_LEN];
        ts_format(now, ts);
        struct stmt *st = store_prepare(s, SQL_PORTAL_OPENED);
        if (!st ||
            (stmt_bind_text(st, 1, ts), stmt_bind_int(st, 2, rid),
             (rc = store_exec_stmt(st)) != STORE_OK) ||
            (rc = referral_event(s, id, "opened", "Opened in the portal", u, agency, now)) !=
                STORE_OK) {
            domain_store_fail(err, s, rc < 0 ? rc : STORE_ERROR);
            return NULL;
        }
    }
    json_t *rec = referral_core_get(s, id);
    if (!rec) {
        domain_store_fail(err, s, STORE_ERROR);
        return NULL;
    }
    /* What the agency needs, and nothing of the police's internal workflow
     * (reviewers, returns, other agencies' decisions). */
    static const char *const shared[] = {
        "id",          "reference",        "concern_at", "summary",
        "child_voice", "risk_view",        "consent",    "consent_reason",
        "urgency",     "mandatory_reason", "sent_at",    "source_reference"};
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
        json_object_set(o, shared[i], json_object_get(rec, shared[i]));
    int64_t pid = json_integer_value(json_object_get(rec, "person_id"));
    json_decref(rec);
    struct stmt *st = store_prepare(s, SQL_REF_PERSON);
    if (st) {
        stmt_bind_int(st, 1, pid);
        if (stmt_step(st) == STORE_ROW)
            json_object_set_new(o, "child",
                                json_pack("{s:s, s:s, s:o}", "given_name", stmt_text(st, 0),
                                          "family_name", stmt_text(st, 1), "dob",
                                          stmt_json_text(st, 2)));
        stmt_reset(st);
    }
    {
        json_t *parts = referral_parts_json(s, id, NULL);
        json_object_update(o, parts);
        json_decref(parts);
    }
    /* This agency's own delivery: acknowledged yet, decided yet, and what. */
    json_object_set_new(o, "acknowledged", json_boolean(acked));
    json_object_set_new(o, "decided", json_boolean(decided));
    st = store_prepare(s, SQL_PORTAL_OWN);
    if (st) {
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, agency);
        if (stmt_step(st) == STORE_ROW)
            json_object_set_new(o, "own",
                                json_pack("{s:o, s:o, s:o, s:o}", "acknowledged_at",
                                          stmt_json_text(st, 0), "decision", stmt_json_text(st, 1),
                                          "decision_note", stmt_json_text(st, 2), "decision_at",
                                          stmt_json_text(st, 3)));
        stmt_reset(st);
    }
    json_object_set_new(o, "choices",
                        json_pack("{s:[s,s,s,s,s,s]}", "decisions", "no_further_action",
                                  "early_help", "assessment", "strategy_discussion", "s47_enquiry",
                                  "passed_to_other_agency"));
    return o;
}

const struct field referral_reply_fields[] = {
    {.name = "how", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 500},
    {.name = "decision", .type = FIELD_ENUM, .flags = FIELD_NULLABLE, .values = referral_decisions},
    {.name = "note", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 4000},
    {0}};

int referral_record_reply(struct store *s, int64_t id, int64_t agency, const json_t *body,
                          const struct user *u, int64_t now, struct domain_error *err)
{
    json_t *rec = referral_core_get(s, id);
    bool visible =
        rec &&
        (!u || auth_person_visible(s, json_integer_value(json_object_get(rec, "person_id")), u));
    json_decref(rec);
    if (!visible)
        return not_found(err, id);
    int64_t rid = 0;
    bool opened, acked, decided;
    int rc = recipient(s, id, agency, &rid, &opened, &acked, &decided);
    if (rc <= 0)
        return rc < 0 ? domain_store_fail(err, s, rc)
                      : domain_fail(err, 404, "not_found", "agency_id",
                                    "referral %lld was not sent to agency %lld", (long long)id,
                                    (long long)agency);
    const char *decision = jstr(body, "decision");
    if (acked && (!decision || decided))
        return domain_fail(err, 409, "already_acknowledged", NULL,
                           decided ? "the agency's decision is already recorded"
                                   : "the agency's acknowledgement is already recorded");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, decision ? SQL_PORTAL_DECIDE : SQL_PORTAL_ACK);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    if (decision) {
        stmt_bind_text(st, 1, decision);
        stmt_bind_text(st, 2, jstr(body, "note"));
        stmt_bind_text(st, 3, ts);
        referral_bind_user(st, 4, u);
        stmt_bind_text(st, 5, ts);
        referral_bind_user(st, 6, u);
        stmt_bind_int(st, 7, rid);
    } else {
        stmt_bind_text(st, 1, ts);
        referral_bind_user(st, 2, u);
        stmt_bind_int(st, 3, rid);
    }
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    char text[4800];
    snprintf(text, sizeof(text), "%s recorded for the agency (%s)%s%s",
             decision ? "Decision" : "Acknowledgement", jstr(body, "how"), decision ? ": " : "",
             decision ? decision : "");
    if ((rc = referral_event(s, id, decision ? "decision" : "acknowledged", text, u, agency,
                             now)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    return referral_finish_change(s, id, now, err);
}

int portal_acknowledge(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err)
{
    int64_t agency = my_agency(s, u), rid = 0;
    bool opened, acked, decided;
    int rc = agency ? recipient(s, id, agency, &rid, &opened, &acked, &decided) : 0;
    if (rc <= 0)
        return rc < 0 ? domain_store_fail(err, s, rc) : not_found(err, id);
    if (acked)
        return domain_fail(err, 409, "already_acknowledged", NULL,
                           "your agency has already acknowledged this referral");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_PORTAL_ACK);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, ts);
    referral_bind_user(st, 2, u);
    stmt_bind_int(st, 3, rid);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    char text[2100];
    snprintf(text, sizeof(text), "Acknowledged by %s%s%s", u ? u->agency : "the agency",
             jstr(body, "note") ? ": " : "", jstr(body, "note") ? jstr(body, "note") : "");
    if ((rc = referral_event(s, id, "acknowledged", text, u, agency, now)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    return referral_finish_change(s, id, now, err);
}

int portal_decide(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err)
{
    int64_t agency = my_agency(s, u), rid = 0;
    bool opened, acked, decided;
    int rc = agency ? recipient(s, id, agency, &rid, &opened, &acked, &decided) : 0;
    if (rc <= 0)
        return rc < 0 ? domain_store_fail(err, s, rc) : not_found(err, id);
    if (decided)
        return domain_fail(err, 409, "already_decided", NULL,
                           "your agency's decision on this referral is already recorded");
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_PORTAL_DECIDE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, jstr(body, "decision"));
    stmt_bind_text(st, 2, jstr(body, "note"));
    stmt_bind_text(st, 3, ts);
    referral_bind_user(st, 4, u);
    stmt_bind_text(st, 5, ts);
    referral_bind_user(st, 6, u);
    stmt_bind_int(st, 7, rid);
    if ((rc = store_exec_stmt(st)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    char text[4200];
    snprintf(text, sizeof(text), "Decision by %s: %s%s%s", u ? u->agency : "the agency",
             jstr(body, "decision"), jstr(body, "note") ? ". " : "",
             jstr(body, "note") ? jstr(body, "note") : "");
    if ((rc = referral_event(s, id, "decision", text, u, agency, now)) != STORE_OK)
        return domain_store_fail(err, s, rc);
    return referral_finish_change(s, id, now, err);
}
