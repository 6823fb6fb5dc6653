/*
 * auth.c — sessions, API tokens, sign-in with throttling and lockout, and the
 * restricted-record rule (see auth.h).
 *
 * Throttling is keyed by the username typed, whether or not such a user
 * exists, and the answer to a failed sign-in is the same either way, so
 * nothing reveals which usernames are real. After `login_max_failures - 2`
 * failures each further attempt must wait 2^k seconds; at
 * `login_max_failures` the name is locked for `login_lock_minutes`.
 */
#include "auth/auth.h"
#include "audit/audit.h"
#include "auth/auth_sql.h"
#include "auth/password.h"
#include "core/config.h"
#include "core/date.h"
#include "store/store.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void auth_token_hash(const char *token, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, d, sizeof(d));
}

void auth_random_token(char out[TOKEN_HEX_LEN + 1])
{
    unsigned char rnd[TOKEN_HEX_LEN / 2];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(out, TOKEN_HEX_LEN + 1, rnd, sizeof(rnd));
}

static void copy(char *dst, size_t cap, struct stmt *st, int col)
{
    snprintf(dst, cap, "%s", stmt_is_null(st, col) ? "" : stmt_text(st, col));
}

int user_load(struct store *s, int64_t id, struct user *u, int *disabled)
{
    memset(u, 0, sizeof(*u));
    struct stmt *st = store_prepare(s, SQL_USER_BY_ID);
    if (!st)
        return -1;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return -1;
    }
    u->id = id;
    copy(u->username, sizeof(u->username), st, 1);
    copy(u->display_name, sizeof(u->display_name), st, 2);
    copy(u->team, sizeof(u->team), st, 3);
    copy(u->area, sizeof(u->area), st, 4);
    copy(u->agency, sizeof(u->agency), st, 5);
    if (disabled)
        *disabled = (int)stmt_int(st, 6);
    stmt_reset(st);
    st = store_prepare(s, SQL_USER_ROLES);
    if (!st)
        return -1;
    stmt_bind_int(st, 1, id);
    size_t used = 0;
    while (stmt_step(st) == STORE_ROW) {
        const char *name = stmt_text(st, 0);
        const struct role_def *r = role_find(name);
        if (r)
            role_grant(r, &u->perms);
        int w = snprintf(u->roles + used, sizeof(u->roles) - used, "%s%s", used ? "," : "", name);
        if (w > 0 && (size_t)w < sizeof(u->roles) - used)
            used += (size_t)w;
    }
    stmt_reset(st);
    return 0;
}

enum auth_result auth_session(struct store *s, const char *token, int64_t now,
                              const struct config *cfg, struct user *u)
{
    if (!token || strlen(token) != TOKEN_HEX_LEN)
        return AUTH_INVALID;
    char hash[65];
    auth_token_hash(token, hash);
    struct stmt *st = store_prepare(s, SQL_SESSION_BY_HASH);
    if (!st)
        return AUTH_ERROR;
    stmt_bind_text(st, 1, hash);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        return rc == STORE_DONE ? AUTH_INVALID : AUTH_ERROR;
    }
    int64_t sid = stmt_int(st, 0), uid = stmt_int(st, 1), created, seen;
    char csrf[TOKEN_HEX_LEN + 1];
    copy(csrf, sizeof(csrf), st, 2);
    int ok = ts_parse(stmt_text(st, 3), &created) == 0 && ts_parse(stmt_text(st, 4), &seen) == 0 &&
             stmt_int(st, 5) == 0;
    stmt_reset(st);
    int64_t expires = created + (int64_t)cfg->session_absolute_hours * 3600;
    if (!ok || now >= expires || now >= seen + (int64_t)cfg->session_idle_minutes * 60)
        return AUTH_INVALID;
    int disabled = 0;
    if (user_load(s, uid, u, &disabled) < 0 || disabled)
        return AUTH_INVALID;
    u->session_id = sid;
    u->session_expires = expires;
    memcpy(u->csrf, csrf, sizeof(csrf));
    /* Idle time is measured to the minute; touching on every request would
     * make every read a write. */
    if (now - seen >= 60) {
        char ts[TS_TEXT_LEN];
        ts_format(now, ts);
        st = store_prepare(s, SQL_SESSION_TOUCH);
        if (st) {
            stmt_bind_text(st, 1, ts);
            stmt_bind_int(st, 2, sid);
            if (store_exec_stmt(st) != STORE_OK)
                return AUTH_ERROR;
        }
    }
    return AUTH_OK;
}

enum auth_result auth_api_token(struct store *s, const char *token, int64_t now, struct user *u)
{
    (void)now;
    if (!token || strlen(token) != TOKEN_HEX_LEN)
        return AUTH_INVALID;
    char hash[65];
    auth_token_hash(token, hash);
    struct stmt *st = store_prepare(s, SQL_TOKEN_BY_HASH);
    if (!st)
        return AUTH_ERROR;
    stmt_bind_text(st, 1, hash);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        return rc == STORE_DONE ? AUTH_INVALID : AUTH_ERROR;
    }
    int64_t tid = stmt_int(st, 0), uid = stmt_int(st, 1);
    int disabled = (int)stmt_int(st, 2);
    stmt_reset(st);
    if (disabled)
        return AUTH_INVALID;
    int dis = 0;
    if (user_load(s, uid, u, &dis) < 0 || dis)
        return AUTH_INVALID;
    u->token_id = tid;
    return AUTH_OK;
}

static void lower(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i < cap - 1; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

/* Seconds the caller must still wait before another attempt for this name. */
static int throttle_wait(struct store *s, const char *name, int64_t now, const struct config *cfg,
                         int *failures)
{
    *failures = 0;
    struct stmt *st = store_prepare(s, SQL_THROTTLE_GET);
    if (!st)
        return 0;
    stmt_bind_text(st, 1, name);
    int wait = 0;
    if (stmt_step(st) == STORE_ROW) {
        int64_t last = 0, locked = 0;
        *failures = (int)stmt_int(st, 0);
        ts_parse(stmt_text(st, 1), &last);
        if (!stmt_is_null(st, 2) && ts_parse(stmt_text(st, 2), &locked) == 0 && locked > now)
            wait = (int)(locked - now);
        else if (!stmt_is_null(st, 2))
            *failures = 0; /* the lock has run out: start afresh */
        int slow_after = cfg->login_max_failures - 2 > 0 ? cfg->login_max_failures - 2 : 1;
        if (!wait && *failures >= slow_after) {
            int64_t gap = (int64_t)1
                          << (*failures - slow_after + 1 > 10 ? 10 : *failures - slow_after + 1);
            if (now < last + gap)
                wait = (int)(last + gap - now);
        }
    }
    stmt_reset(st);
    return wait;
}

static int audit_login(struct store *s, const char *action, const struct user *u,
                       const char *username, int64_t now, const char *remote,
                       const char *request_id)
{
    struct audit_entry e = {.at = now,
                            .user_id = u ? u->id : 0,
                            .username = username,
                            .roles = u ? u->roles : NULL,
                            .action = action,
                            .record_type = "session",
                            .record_id = u ? u->session_id : 0,
                            .route = "POST /api/session",
                            .remote_addr = remote,
                            .request_id = request_id};
    return audit_append(s, &e);
}

int auth_login(struct store *s, const char *username, const char *password, int64_t now,
               const struct config *cfg, const char *remote_addr, const char *request_id,
               struct user *u, char token_out[TOKEN_HEX_LEN + 1], int *retry_after)
{
    char name[64];
    lower(name, sizeof(name), username);
    *retry_after = 0;
    int failures;
    int wait = throttle_wait(s, name, now, cfg, &failures);
    if (wait > 0) {
        *retry_after = wait;
        return -1;
    }
    /* The password check (~100 ms) runs outside any transaction. */
    int64_t uid = 0;
    char hash[PASSWORD_HASH_MAX] = "";
    int disabled = 1;
    struct stmt *st = store_prepare(s, SQL_USER_BY_NAME);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, name);
    if (stmt_step(st) == STORE_ROW) {
        uid = stmt_int(st, 0);
        disabled = (int)stmt_int(st, 6);
        copy(hash, sizeof(hash), st, 8);
    }
    stmt_reset(st);
    int ok;
    if (uid)
        ok = password_verify(hash, password) && !disabled;
    else {
        password_verify_dummy(password);
        ok = 0;
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    if (store_begin_write(s) != STORE_OK)
        return -1;
    /* Again under the write lock: attempts made alongside this one (other
     * threads, other servers) may have counted failures since the look
     * above, and each failure must count once, so that parallel guesses
     * meet the throttle and the lockout as a series of guesses would. */
    wait = throttle_wait(s, name, now, cfg, &failures);
    if (wait > 0) {
        store_rollback(s);
        *retry_after = wait;
        return -1;
    }
    if (!ok) {
        failures++;
        char locked[TS_TEXT_LEN] = "";
        if (failures >= cfg->login_max_failures)
            ts_format(now + (int64_t)cfg->login_lock_minutes * 60, locked);
        st = store_prepare(s, SQL_THROTTLE_FAIL);
        stmt_bind_text(st, 1, name);
        stmt_bind_int(st, 2, failures);
        stmt_bind_text(st, 3, ts);
        stmt_bind_text(st, 4, locked[0] ? locked : NULL);
        struct user known = {0};
        known.id = uid;
        if (store_exec_stmt(st) != STORE_OK ||
            audit_login(s, "login_failed", uid ? &known : NULL, name, now, remote_addr,
                        request_id) != STORE_OK ||
            store_commit(s) != STORE_OK) {
            store_rollback(s);
            return -1;
        }
        return -1;
    }
    st = store_prepare(s, SQL_THROTTLE_CLEAR);
    stmt_bind_text(st, 1, name);
    if (store_exec_stmt(st) != STORE_OK || user_load(s, uid, u, NULL) < 0)
        goto fail;
    char thash[65];
    auth_random_token(token_out);
    auth_random_token(u->csrf);
    auth_token_hash(token_out, thash);
    st = store_prepare(s, SQL_SESSION_INSERT);
    stmt_bind_text(st, 1, thash);
    stmt_bind_int(st, 2, uid);
    stmt_bind_text(st, 3, u->csrf);
    stmt_bind_text(st, 4, ts);
    stmt_bind_text(st, 5, ts);
    stmt_bind_text(st, 6, remote_addr);
    if (stmt_returning_id(st, &u->session_id) != STORE_OK)
        goto fail;
    u->session_expires = now + (int64_t)cfg->session_absolute_hours * 3600;
    if (audit_login(s, "login", u, u->username, now, remote_addr, request_id) != STORE_OK ||
        store_commit(s) != STORE_OK)
        goto fail;
    return 0;
fail:
    store_rollback(s);
    *retry_after = -1; /* a server fault, not a wrong password */
    return -1;
}

int auth_logout(struct store *s, int64_t session_id, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_SESSION_REVOKE);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, session_id);
    return store_exec_stmt(st);
}

int auth_token_create(struct store *s, int64_t user_id, const char *name, int64_t now,
                      char token_out[TOKEN_HEX_LEN + 1], int64_t *id_out)
{
    char hash[65], ts[TS_TEXT_LEN];
    auth_random_token(token_out);
    auth_token_hash(token_out, hash);
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_TOKEN_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, hash);
    stmt_bind_int(st, 2, user_id);
    stmt_bind_text(st, 3, name);
    stmt_bind_text(st, 4, ts);
    return stmt_returning_id(st, id_out);
}

int auth_token_revoke(struct store *s, int64_t token_id, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_TOKEN_REVOKE);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, token_id);
    int rc = store_exec_stmt(st);
    if (rc == STORE_OK && store_changes(s) == 0)
        return STORE_DONE; /* no such live token */
    return rc;
}

json_t *auth_tokens_json(struct store *s)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_TOKEN_LIST);
    if (!st)
        return arr;
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)stmt_int(st, 0),
                           "username", stmt_text(st, 1), "name", stmt_text(st, 2), "created_at",
                           stmt_text(st, 3), "revoked_at",
                           stmt_is_null(st, 4) ? json_null() : json_string(stmt_text(st, 4)),
                           "last_used_at",
                           stmt_is_null(st, 5) ? json_null() : json_string(stmt_text(st, 5))));
    stmt_reset(st);
    return arr;
}

static bool in_list(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, item, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

bool auth_person_visible(struct store *s, int64_t person_id, const struct user *u)
{
    struct stmt *st = store_prepare(s, SQL_PERSON_RESTRICTIONS);
    if (!st)
        return false;
    stmt_bind_int(st, 1, person_id);
    bool restricted = false, visible = false;
    while (stmt_step(st) == STORE_ROW) {
        restricted = true;
        const char *kind = stmt_text(st, 0), *value = stmt_text(st, 1);
        if (!u)
            continue;
        if (strcmp(kind, "role") == 0 && in_list(u->roles, value))
            visible = true;
        else if (strcmp(kind, "team") == 0 && u->team[0] && strcmp(u->team, value) == 0)
            visible = true;
    }
    stmt_reset(st);
    return !restricted || visible;
}

json_t *auth_user_json(const struct user *u)
{
    json_t *roles = json_array(), *perms = json_array();
    for (const char *p = u->roles; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(roles, json_stringn(p, len));
        if (!end)
            break;
        p = end + 1;
    }
    for (int i = PERM_PUBLIC; i < PERM__COUNT; i++)
        if (permset_has(&u->perms, (enum permission)i))
            json_array_append_new(perms, json_string(permission_name((enum permission)i)));
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o}", "id", (json_int_t)u->id,
                     "username", u->username, "display_name", u->display_name, "team",
                     u->team[0] ? u->team : NULL, "area", u->area[0] ? u->area : NULL, "agency",
                     u->agency[0] ? u->agency : NULL, "roles", roles, "permissions", perms);
}
