/*
 * auth_handlers.c — HTTP for sign-in and sign-out, the current user, user
 * administration and the audit check.
 *
 * An administrator can never read or change their own account through these
 * routes (self_administration): nobody grants themselves a role.
 */
#include "auth/auth_handlers.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "core/date.h"
#include "http/page.h"
#include "http/server.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

const struct field session_create_fields[] = {
    {.name = "username", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 64},
    {.name = "password", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 256},
    {0}};

static const char *cookie(struct request *req, const char *token, int max_age)
{
    return arena_printf(req->arena,
                        "sg_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
                        max_age, the_app->cfg.secure_cookies ? "; Secure" : "");
}

void session_create(struct request *req, struct response *res)
{
    struct user u;
    char token[TOKEN_HEX_LEN + 1];
    int retry = 0;
    if (auth_login(req->store, jstr(req->json, "username"), jstr(req->json, "password"), req->now,
                   &the_app->cfg, req->remote_addr, req->request_id, &u, token, &retry) < 0) {
        if (retry > 0) {
            http_header(res, "Retry-After", arena_printf(req->arena, "%d", retry));
            http_error(res, 429, "too_many_attempts", NULL,
                       "too many failed sign-ins for this username: try again in %d seconds",
                       retry);
        } else if (retry < 0) {
            http_error(res, 503, "storage_error", NULL, "sign-in could not be recorded: %s",
                       store_errmsg(req->store));
        } else {
            http_error(res, 401, "invalid_credentials", NULL,
                       "the username or password is not right");
        }
        return;
    }
    req->user = arena_alloc(req->arena, sizeof(u));
    memcpy(req->user, &u, sizeof(u));
    char expires[32];
    ts_format(u.session_expires, expires);
    http_header(res, "Set-Cookie", cookie(req, token, the_app->cfg.session_absolute_hours * 3600));
    /* Where the work is: a partner agency's is the portal (they have no
     * tasks in My work), everyone else's is My work. */
    const char *next = page_local_next(req_query(req, "next"));
    bool portal_only =
        permset_has(&u.perms, PERM_PORTAL) && !permset_has(&u.perms, PERM_REFERRALS_READ);
    res->redirect = next ? next : portal_only ? "/portal" : "/work";
    http_json(res, 201,
              json_pack("{s:o, s:s, s:s}", "user", auth_user_json(&u), "csrf_token", u.csrf,
                        "expires_at", expires));
}

void session_form(struct request *req, struct response *res)
{
    (void)req;
    http_json(res, 200, json_pack("{s:s}", "form", "sign-in"));
}

void session_show(struct request *req, struct response *res)
{
    json_t *j = json_pack("{s:o}", "user", auth_user_json(req->user));
    if (req->user->session_id)
        json_object_set_new(j, "csrf_token", json_string(req->user->csrf));
    http_json(res, 200, j);
}

void session_delete(struct request *req, struct response *res)
{
    req->audit_action = "logout";
    req->audit_type = "session";
    req->audit_id = req->user->session_id;
    if (!req->user->session_id) {
        http_error(res, 422, "not_a_session", NULL,
                   "this request carries an API token, not a session: revoke the token instead");
        return;
    }
    int rc = auth_logout(req->store, req->user->session_id, req->now);
    if (rc != STORE_OK) {
        http_store_error(res, rc, req->store);
        return;
    }
    http_header(res, "Set-Cookie", cookie(req, "", 0));
    res->redirect = "/sign-in";
    http_json(res, 200, json_pack("{s:s}", "status", "signed_out"));
}

/* Loads the {id} and refuses the administrator's own account. */
static int target_user(struct request *req, struct response *res, int64_t *id)
{
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_type = "user";
    req->audit_id = *id;
    if (*id == req->user->id) {
        http_error(res, 403, "self_administration", NULL,
                   "you cannot read or change your own account here: ask another administrator");
        return -1;
    }
    return 0;
}

void admin_users_list(struct request *req, struct response *res)
{
    req->audit_type = "user";
    http_json(res, 200, json_pack("{s:o}", "users", users_list_json(req->store)));
}

void admin_users_create(struct request *req, struct response *res)
{
    const json_t *b = req->json;
    struct domain_error err = {0};
    const json_t *roles = json_object_get(b, "roles");
    if (users_check_new(jstr(b, "username"), jstr(b, "password"), roles, jstr(b, "agency"), &err) <
        0) {
        http_domain_error(res, &err);
        return;
    }
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(jstr(b, "password"), hash) < 0) {
        http_error(res, 500, "internal_error", NULL, "the password could not be hashed");
        return;
    }
    int64_t id = users_create(req->store, jstr(b, "username"), jstr(b, "display_name"), hash, roles,
                              jstr(b, "team"), jstr(b, "area"), jstr(b, "agency"), req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_type = "user";
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/admin/users/%lld", (long long)id));
    http_json(res, 201, users_get_json(req->store, id));
}

void admin_users_show(struct request *req, struct response *res)
{
    int64_t id;
    if (target_user(req, res, &id) < 0)
        return;
    json_t *u = users_get_json(req->store, id);
    if (!u) {
        http_error(res, 404, "not_found", NULL, "no user with id %lld", (long long)id);
        return;
    }
    http_json(res, 200, u);
}

void admin_users_update(struct request *req, struct response *res)
{
    int64_t id;
    if (target_user(req, res, &id) < 0)
        return;
    struct domain_error err = {0};
    if (users_update(req->store, id, req->json,
                     json_integer_value(json_object_get(req->json, "version")), req->now,
                     &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, users_get_json(req->store, id));
}

void admin_users_password(struct request *req, struct response *res)
{
    int64_t id;
    if (target_user(req, res, &id) < 0)
        return;
    json_t *u = users_get_json(req->store, id);
    if (!u) {
        http_error(res, 404, "not_found", NULL, "no user with id %lld", (long long)id);
        return;
    }
    char why[160], hash[PASSWORD_HASH_MAX];
    const char *pw = jstr(req->json, "password");
    int weak = password_check_strength(pw, jstr(u, "username"), why, sizeof(why));
    json_decref(u);
    if (weak < 0) {
        http_error(res, 422, "weak_password", "password", "%s", why);
        return;
    }
    if (password_hash(pw, hash) < 0) {
        http_error(res, 500, "internal_error", NULL, "the password could not be hashed");
        return;
    }
    req->audit_action = "password_reset";
    int rc = users_set_password(req->store, id, hash, req->now);
    if (rc != STORE_OK) {
        http_store_error(res, rc, req->store);
        return;
    }
    http_json(res, 200, json_pack("{s:s}", "status", "password_reset"));
}

void admin_tokens_create(struct request *req, struct response *res)
{
    int64_t id, tid;
    if (target_user(req, res, &id) < 0)
        return;
    json_t *u = users_get_json(req->store, id);
    if (!u) {
        http_error(res, 404, "not_found", NULL, "no user with id %lld", (long long)id);
        return;
    }
    json_decref(u);
    char token[TOKEN_HEX_LEN + 1];
    int rc = auth_token_create(req->store, id, jstr(req->json, "name"), req->now, token, &tid);
    if (rc != STORE_OK) {
        http_store_error(res, rc, req->store);
        return;
    }
    req->audit_action = "token_create";
    http_json(res, 201,
              json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)tid, "user_id", (json_int_t)id,
                        "token", token, "note",
                        "shown once: store it in the integration's secrets"));
}

void admin_tokens_list(struct request *req, struct response *res)
{
    req->audit_type = "api_token";
    http_json(res, 200, json_pack("{s:o}", "tokens", auth_tokens_json(req->store)));
}

void admin_tokens_revoke(struct request *req, struct response *res)
{
    int64_t id;
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_type = "api_token";
    req->audit_id = id;
    req->audit_action = "token_revoke";
    int rc = auth_token_revoke(req->store, id, req->now);
    if (rc == STORE_DONE) {
        http_error(res, 404, "not_found", NULL, "no live API token with id %lld", (long long)id);
        return;
    }
    if (rc != STORE_OK) {
        http_store_error(res, rc, req->store);
        return;
    }
    http_json(res, 200, json_pack("{s:s}", "status", "revoked"));
}

void audit_verify_handler(struct request *req, struct response *res)
{
    int64_t count = 0, bad = 0;
    char why[256] = "", head[65] = "";
    int rc = audit_verify(req->store, &count, &bad, why, sizeof(why), head);
    if (rc < 0) {
        http_error(res, 500, "storage_error", NULL, "%s", why);
        return;
    }
    if (rc == 1)
        http_json(res, 200,
                  json_pack("{s:b, s:I, s:s}", "intact", 0, "first_bad_entry", (json_int_t)bad,
                            "reason", why));
    else
        http_json(res, 200,
                  json_pack("{s:b, s:I, s:s}", "intact", 1, "entries", (json_int_t)count,
                            "head_hash", head));
}
