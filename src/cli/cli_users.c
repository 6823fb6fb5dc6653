/*
 * cli_users.c — `safeguard user`, `safeguard token` and `safeguard audit`:
 * account administration from the server's shell, for the first
 * administrator and for integrations. Every change is audited as done by
 * "cli" from "local".
 */
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/users.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *roles_json(const char **roles, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(roles[i]));
    return a;
}

/* Reads and checks a password from standard input, then hashes it (before
 * any transaction, so the slow hash holds no lock). */
static int read_password(const char *cmd, const char *username, char hash[PASSWORD_HASH_MAX])
{
    char pw[PASSWORD_MAX_LEN + 2], why[160];
    if (cli_read_secret(pw, sizeof(pw)) < 0)
        return cli_fail(cmd, "give the password on standard input");
    if (password_check_strength(pw, username, why, sizeof(why)) < 0)
        return cli_fail(cmd, "%s", why);
    if (password_hash(pw, hash) < 0)
        return cli_fail(cmd, "the password could not be hashed");
    return 0;
}

static int finish(struct store *s, const char *cmd, int ok)
{
    if (ok && store_commit(s) == STORE_OK)
        return 0;
    store_rollback(s);
    return ok ? cli_fail(cmd, "cannot save: %s", store_errmsg(s)) : 1;
}

static int user_add(struct cli *c, struct store *s, const char *username, const char **roles,
                    int nroles, const char *team, const char *area, const char *agency,
                    const char *name)
{
    char hash[PASSWORD_HASH_MAX];
    json_t *r = roles_json(roles, nroles);
    struct domain_error err = {0};
    if (users_check_account(username, r, agency, &err) < 0) {
        json_decref(r);
        return cli_usage(c->cmd, "%s", err.message);
    }
    if (read_password(c->cmd, username, hash)) {
        json_decref(r);
        return 1;
    }
    if (store_begin_write(s) != STORE_OK) {
        json_decref(r);
        return cli_fail(c->cmd, "%s", store_errmsg(s));
    }
    int64_t id = users_create(s, username, name, hash, r, team, area, agency, clock_now(), &err);
    json_decref(r);
    if (id < 0) {
        store_rollback(s);
        return cli_fail(c->cmd, "%s", err.message);
    }
    int rc = finish(s, c->cmd,
                    cli_audit_append(s, "create", "user", id, "cli user add", NULL) == STORE_OK);
    if (!rc)
        printf("safeguard: created user '%s' (id %lld)\n", username, (long long)id);
    return rc;
}

static int user_list(struct store *s)
{
    json_t *u = users_list_json(s);
    size_t i;
    json_t *it;
    printf("%-5s %-24s %-9s %s\n", "id", "username", "state", "roles");
    json_array_foreach(u, i, it)
    {
        printf("%-5lld %-24s %-9s", (long long)json_integer_value(json_object_get(it, "id")),
               json_string_value(json_object_get(it, "username")),
               json_is_true(json_object_get(it, "disabled")) ? "disabled" : "active");
        size_t k;
        json_t *r;
        json_array_foreach(json_object_get(it, "roles"), k, r)
            printf("%s%s", k ? "," : " ", json_string_value(r));
        putchar('\n');
    }
    json_decref(u);
    return 0;
}

static int user_change(struct cli *c, struct store *s, const char *sub, const char *username,
                       const char **roles, int nroles)
{
    int64_t id = users_find(s, username);
    if (!id)
        return cli_fail(c->cmd, "no user '%s'", username);
    char hash[PASSWORD_HASH_MAX];
    if (strcmp(sub, "reset-password") == 0 && read_password(c->cmd, username, hash))
        return 1;
    if (store_begin_write(s) != STORE_OK)
        return cli_fail(c->cmd, "%s", store_errmsg(s));
    struct domain_error err = {0};
    json_t *cur = users_get_json(s, id);
    int64_t version = json_integer_value(json_object_get(cur, "version"));
    json_decref(cur);
    int ok;
    const char *action = "update";
    if (strcmp(sub, "reset-password") == 0) {
        ok = users_set_password(s, id, hash, clock_now()) == STORE_OK;
        action = "password_reset";
    } else {
        json_t *body;
        if (strcmp(sub, "set-role") == 0)
            body = json_pack("{s:o}", "roles", roles_json(roles, nroles));
        else
            body = json_pack("{s:b}", "disabled", strcmp(sub, "disable") == 0);
        ok = users_update(s, id, body, version, clock_now(), &err) == 0;
        json_decref(body);
        if (!ok) {
            store_rollback(s);
            return cli_fail(c->cmd, "%s", err.message);
        }
    }
    char route[64];
    snprintf(route, sizeof(route), "cli user %s", sub);
    int rc =
        finish(s, c->cmd, ok && cli_audit_append(s, action, "user", id, route, NULL) == STORE_OK);
    if (!rc)
        printf("safeguard: %s done for '%s'\n", sub, username);
    return rc;
}

int cli_user(int argc, char **argv)
{
    static const char *const subs[] = {"add",      "list",           "disable", "enable",
                                       "set-role", "reset-password", NULL};
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        if (argc >= 2)
            return cli_help("user");
        return cli_usage("user", "name what to do: add, list, disable, enable, set-role, "
                                 "reset-password");
    }
    const char *sub = argv[1];
    int known = 0;
    for (const char *const *k = subs; *k; k++)
        known |= strcmp(*k, sub) == 0;
    char cmd[48];
    snprintf(cmd, sizeof(cmd), "user %s", sub);
    if (!known)
        return cli_usage("user", "'%s' is not a user command", sub);
    struct cli c = {.cmd = cmd};
    const char *username = NULL, *team = NULL, *area = NULL, *agency = NULL, *name = NULL;
    const char *roles[CLI_LIST_MAX];
    int nroles = 0;
    const struct cli_opt extra[] = {{.name = "username", .value = &username},
                                    {.name = "role", .list = roles, .list_n = &nroles},
                                    {.name = "team", .value = &team},
                                    {.name = "area", .value = &area},
                                    {.name = "agency", .value = &agency},
                                    {.name = "name", .value = &name},
                                    {0}};
    int rc = cli_parse(&c, argc - 1, argv + 1, extra);
    if (rc || c.help)
        return c.help ? cli_help("user") : rc;
    if (strcmp(sub, "list") != 0 && !username)
        return cli_usage(cmd, "--username is required");
    if ((strcmp(sub, "add") == 0 || strcmp(sub, "set-role") == 0) && nroles == 0)
        return cli_usage(cmd, "--role is required (repeat it for several roles)");
    struct store *s;
    if (cli_open(&c, &s))
        return 1;
    if (strcmp(sub, "add") == 0)
        rc = user_add(&c, s, username, roles, nroles, team, area, agency, name);
    else if (strcmp(sub, "list") == 0)
        rc = user_list(s);
    else
        rc = user_change(&c, s, sub, username, roles, nroles);
    store_close(s);
    return rc;
}

int cli_token(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0)
        return argc >= 2 ? cli_help("token")
                         : cli_usage("token", "name what to do: create, list, revoke");
    const char *sub = argv[1];
    if (strcmp(sub, "create") && strcmp(sub, "list") && strcmp(sub, "revoke"))
        return cli_usage("token", "'%s' is not a token command", sub);
    char cmd[48];
    snprintf(cmd, sizeof(cmd), "token %s", sub);
    struct cli c = {.cmd = cmd};
    const char *username = NULL, *name = NULL, *id = NULL;
    const struct cli_opt extra[] = {{.name = "username", .value = &username},
                                    {.name = "name", .value = &name},
                                    {.name = "id", .value = &id},
                                    {0}};
    int rc = cli_parse(&c, argc - 1, argv + 1, extra);
    if (rc || c.help)
        return c.help ? cli_help("token") : rc;
    if (strcmp(sub, "create") == 0 && !username)
        return cli_usage(cmd, "--username is required");
    char *end = NULL;
    long long tid = id ? strtoll(id, &end, 10) : 0;
    if (strcmp(sub, "revoke") == 0 && (!id || !*id || *end || tid <= 0))
        return cli_usage(cmd, "--id must be a token id (see 'safeguard token list')");
    struct store *s;
    if (cli_open(&c, &s))
        return 1;
    if (strcmp(sub, "list") == 0) {
        json_t *t = auth_tokens_json(s);
        json_dumpf(t, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(t);
    } else if (strcmp(sub, "create") == 0) {
        int64_t uid = users_find(s, username), new_id;
        char token[TOKEN_HEX_LEN + 1];
        if (!uid) {
            rc = cli_fail(cmd, "no user '%s'", username);
        } else if (store_begin_write(s) != STORE_OK) {
            rc = cli_fail(cmd, "%s", store_errmsg(s));
        } else {
            int ok = auth_token_create(s, uid, name ? name : "cli", clock_now(), token, &new_id) ==
                         STORE_OK &&
                     cli_audit_append(s, "token_create", "user", uid, "cli token create", NULL) ==
                         STORE_OK;
            rc = finish(s, cmd, ok);
            if (!rc)
                printf("%s\n", token);
        }
    } else {
        if (store_begin_write(s) != STORE_OK) {
            rc = cli_fail(cmd, "%s", store_errmsg(s));
        } else {
            int r = auth_token_revoke(s, tid, clock_now());
            if (r == STORE_DONE) {
                store_rollback(s);
                rc = cli_fail(cmd, "no live token with id %lld", tid);
            } else {
                rc =
                    finish(s, cmd,
                           r == STORE_OK && cli_audit_append(s, "token_revoke", "api_token", tid,
                                                             "cli token revoke", NULL) == STORE_OK);
                if (!rc)
                    printf("safeguard: token %lld revoked\n", tid);
            }
        }
    }
    store_close(s);
    return rc;
}

int cli_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0)
        return argc >= 2 ? cli_help("audit") : cli_usage("audit", "name what to do: verify");
    if (strcmp(argv[1], "verify") != 0)
        return cli_usage("audit", "'%s' is not an audit command", argv[1]);
    struct cli c = {.cmd = "audit verify"};
    int rc = cli_parse(&c, argc - 1, argv + 1, NULL);
    if (rc || c.help)
        return c.help ? cli_help("audit") : rc;
    struct store *s;
    char err[512];
    /* Read-only: verifying must never change what it verifies. */
    if (store_open_readonly(&s, c.cfg.db_path, err, sizeof(err)) < 0)
        return cli_fail(c.cmd, "%s", err);
    int64_t count = 0, bad = 0;
    char why[256] = "", head[65] = "";
    int r = audit_verify(s, &count, &bad, why, sizeof(why), head);
    store_close(s);
    if (r < 0)
        return cli_fail(c.cmd, "%s", why);
    if (r == 1) {
        printf("safeguard: audit trail BROKEN at entry %lld: %s\n", (long long)bad, why);
        return 1;
    }
    printf("safeguard: audit trail intact: %lld entries, head %s\n", (long long)count, head);
    return 0;
}
