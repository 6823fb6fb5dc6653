/* users.c — user accounts (see users.h). */
#include "auth/users.h"
#include "audit/audit.h"
#include "auth/auth_sql.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "core/date.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct field user_create_fields[] = {
    {.name = "username", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 64},
    {.name = "display_name", .type = FIELD_STRING, .max_len = 128},
    {.name = "password", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 256},
    {.name = "roles",
     .type = FIELD_ARRAY,
     .flags = FIELD_REQUIRED,
     .max_len = ROLE_COUNT,
     .values = role_names},
    {.name = "team", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "area", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "agency", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 128},
    {0}};

const struct field user_update_fields[] = {
    {.name = "version", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = 1000000000},
    {.name = "display_name", .type = FIELD_STRING, .max_len = 128},
    {.name = "roles", .type = FIELD_ARRAY, .max_len = ROLE_COUNT, .values = role_names},
    {.name = "team", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "area", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 64},
    {.name = "agency", .type = FIELD_STRING, .flags = FIELD_NULLABLE, .max_len = 128},
    {.name = "disabled", .type = FIELD_BOOL},
    {0}};

const struct field user_password_fields[] = {
    {.name = "password", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 256}, {0}};

const struct field token_create_fields[] = {
    {.name = "name", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = 100}, {0}};

static int check_roles(const json_t *roles, const char *agency, struct domain_error *err)
{
    if (!json_is_array(roles) || json_array_size(roles) == 0)
        return domain_fail(err, 422, "missing_field", "roles",
                           "'roles' must name at least one role");
    size_t i;
    json_t *r;
    int partner = 0;
    json_array_foreach(roles, i, r)
    {
        if (!json_is_string(r) || !role_find(json_string_value(r))) {
            char f[32];
            snprintf(f, sizeof(f), "roles[%zu]", i);
            return domain_fail(err, 422, "invalid_field", f, "'%s' is not a role", f);
        }
        partner |= strcmp(json_string_value(r), "partner_agency") == 0;
    }
    if (partner && (!agency || !*agency))
        return domain_fail(err, 422, "missing_field", "agency",
                           "a partner_agency user must name the agency they belong to");
    return 0;
}

int users_check_account(const char *username, const json_t *roles, const char *agency,
                        struct domain_error *err)
{
    size_t n = strlen(username);
    if (n < 3 || n > 64 || strspn(username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
        return domain_fail(
            err, 422, "invalid_field", "username",
            "'username' must be 3-64 characters: lower-case letters, digits, '.', '_', "
            "'-'");
    return check_roles(roles, agency, err);
}

int users_check_new(const char *username, const char *password, const json_t *roles,
                    const char *agency, struct domain_error *err)
{
    size_t n = strlen(username);
    if (n < 3 || n > 64 || strspn(username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
        return domain_fail(
            err, 422, "invalid_field", "username",
            "'username' must be 3-64 characters: lower-case letters, digits, '.', '_', "
            "'-'");
    char why[160];
    if (password_check_strength(password, username, why, sizeof(why)) < 0)
        return domain_fail(err, 422, "weak_password", "password", "%s", why);
    return check_roles(roles, agency, err);
}

int users_set_roles(struct store *s, int64_t id, const json_t *roles, struct domain_error *err)
{
    struct stmt *st = store_prepare(s, SQL_USER_ROLE_CLEAR);
    stmt_bind_int(st, 1, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        st = store_prepare(s, SQL_USER_ROLE_INSERT);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, json_string_value(r));
        rc = store_exec_stmt(st);
        if (rc == STORE_CONSTRAINT)
            continue; /* the same role twice: once is enough */
        if (rc != STORE_OK)
            return domain_store_fail(err, s, rc);
    }
    return 0;
}

int64_t users_create(struct store *s, const char *username, const char *display_name,
                     const char *password_hash, const json_t *roles, const char *team,
                     const char *area, const char *agency, int64_t now, struct domain_error *err)
{
    if (users_find(s, username))
        return domain_fail(err, 409, "username_taken", "username", "the username '%s' is taken",
                           username);
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_USER_INSERT);
    stmt_bind_text(st, 1, username);
    stmt_bind_text(st, 2, display_name && *display_name ? display_name : username);
    stmt_bind_text(st, 3, password_hash);
    stmt_bind_text(st, 4, team);
    stmt_bind_text(st, 5, area);
    stmt_bind_text(st, 6, agency);
    stmt_bind_text(st, 7, ts);
    stmt_bind_text(st, 8, ts);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    if (users_set_roles(s, id, roles, err) < 0)
        return -1;
    return id;
}

int64_t users_find(struct store *s, const char *username)
{
    struct stmt *st = store_prepare(s, SQL_USER_BY_NAME);
    if (!st)
        return 0;
    stmt_bind_text(st, 1, username);
    int64_t id = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_reset(st);
    return id;
}

static json_t *row_json(struct store *s, struct stmt *st)
{
    int64_t id = stmt_int(st, 0);
    json_t *u =
        json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:I}", "id", (json_int_t)id, "username",
                  stmt_text(st, 1), "display_name", stmt_text(st, 2), "team", stmt_json_text(st, 3),
                  "area", stmt_json_text(st, 4), "agency", stmt_json_text(st, 5), "disabled",
                  (int)stmt_int(st, 6), "version", (json_int_t)stmt_int(st, 7));
    json_t *roles = json_array();
    struct stmt *rs = store_prepare(s, SQL_USER_ROLES);
    stmt_bind_int(rs, 1, id);
    while (stmt_step(rs) == STORE_ROW)
        json_array_append_new(roles, json_string(stmt_text(rs, 0)));
    stmt_reset(rs);
    json_object_set_new(u, "roles", roles);
    return u;
}

json_t *users_get_json(struct store *s, int64_t id)
{
    struct stmt *st = store_prepare(s, SQL_USER_BY_ID);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    json_t *u = stmt_step(st) == STORE_ROW ? row_json(s, st) : NULL;
    stmt_reset(st);
    return u;
}

json_t *users_list_json(struct store *s)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_USER_LIST);
    if (!st)
        return arr;
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, row_json(s, st));
    stmt_reset(st);
    return arr;
}

static const char *pick(const json_t *body, const json_t *cur, const char *key)
{
    const json_t *v = json_object_get(body, key);
    if (v)
        return json_is_string(v) ? json_string_value(v) : NULL;
    v = json_object_get(cur, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int users_update(struct store *s, int64_t id, const json_t *body, int64_t version, int64_t now,
                 struct domain_error *err)
{
    json_t *cur = users_get_json(s, id);
    if (!cur)
        return domain_fail(err, 404, "not_found", NULL, "no user with id %lld", (long long)id);
    int ret = 0;
    const json_t *roles = json_object_get(body, "roles");
    const char *agency = pick(body, cur, "agency");
    if (json_integer_value(json_object_get(cur, "version")) != version) {
        ret = domain_fail(
            err, 409, "version_conflict", "version",
            "this user was changed by someone else: reload and apply your change again");
        goto out;
    }
    if (check_roles(roles ? roles : json_object_get(cur, "roles"), agency, err) < 0) {
        ret = -1;
        goto out;
    }
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    int disabled = json_object_get(body, "disabled")
                       ? json_is_true(json_object_get(body, "disabled"))
                       : json_is_true(json_object_get(cur, "disabled"));
    struct stmt *st = store_prepare(s, SQL_USER_UPDATE);
    stmt_bind_text(st, 1, pick(body, cur, "display_name"));
    stmt_bind_text(st, 2, pick(body, cur, "team"));
    stmt_bind_text(st, 3, pick(body, cur, "area"));
    stmt_bind_text(st, 4, agency);
    stmt_bind_int(st, 5, disabled);
    stmt_bind_text(st, 6, ts);
    stmt_bind_int(st, 7, id);
    stmt_bind_int(st, 8, version);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK) {
        ret = domain_store_fail(err, s, rc);
        goto out;
    }
    if (store_changes(s) != 1) {
        ret = domain_fail(
            err, 409, "version_conflict", "version",
            "this user was changed by someone else: reload and apply your change again");
        goto out;
    }
    if (roles && users_set_roles(s, id, roles, err) < 0) {
        ret = -1;
        goto out;
    }
    if (disabled) {
        st = store_prepare(s, SQL_SESSION_REVOKE_USER);
        stmt_bind_text(st, 1, ts);
        stmt_bind_int(st, 2, id);
        if ((rc = store_exec_stmt(st)) != STORE_OK)
            ret = domain_store_fail(err, s, rc);
    }
out:
    json_decref(cur);
    return ret;
}

int users_set_password(struct store *s, int64_t id, const char *hash, int64_t now)
{
    char ts[TS_TEXT_LEN];
    ts_format(now, ts);
    struct stmt *st = store_prepare(s, SQL_USER_SET_PASSWORD);
    stmt_bind_text(st, 1, hash);
    stmt_bind_text(st, 2, ts);
    stmt_bind_int(st, 3, id);
    int rc = store_exec_stmt(st);
    if (rc != STORE_OK)
        return rc;
    if (store_changes(s) != 1)
        return STORE_DONE;
    st = store_prepare(s, SQL_SESSION_REVOKE_USER);
    stmt_bind_text(st, 1, ts);
    stmt_bind_int(st, 2, id);
    return store_exec_stmt(st);
}

int users_seed_demo(struct store *s, int64_t now)
{
    /* One hash for all: the demo password is public anyway, and hashing
     * once per role would slow `make run` by a second. */
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(USERS_DEMO_PASSWORD, hash) < 0)
        return -1;
    if (store_begin_write(s) != STORE_OK)
        return -1;
    for (int i = 0; i < role_count; i++) {
        const char *name = role_defs[i].name;
        if (users_find(s, name))
            continue;
        int partner = strcmp(name, "partner_agency") == 0;
        json_t *roles = json_pack("[s]", name);
        struct domain_error err = {0};
        char display[128];
        snprintf(display, sizeof(display), "Demo %s", role_defs[i].title);
        int64_t id = users_create(s, name, display, hash, roles, "Demo team", "North",
                                  partner ? "Demo Children's Services" : NULL, now, &err);
        json_decref(roles);
        struct audit_entry e = {.at = now,
                                .username = "cli",
                                .action = "create",
                                .record_type = "user",
                                .record_id = id,
                                .route = "cli seed --users",
                                .remote_addr = "local"};
        if (id < 0 || audit_append(s, &e) != STORE_OK) {
            store_rollback(s);
            return -1;
        }
    }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
