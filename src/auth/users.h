/*
 * users.h — user accounts: create, list, read, change roles and details,
 * reset passwords. Shared by the CLI (safeguard user ...) and the admin API.
 *
 * Password hashes are computed by the caller (password_hash()) so the CLI can
 * do it before taking the write lock.
 */
#ifndef SG_USERS_H
#define SG_USERS_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;

extern const struct field user_create_fields[];
extern const struct field user_update_fields[];
extern const struct field user_password_fields[];
extern const struct field token_create_fields[];

/* Checks a new account's username and roles (without the password). */
int users_check_account(const char *username, const json_t *roles, const char *agency,
                        struct domain_error *err);
/* Creates one demo user per role, named after the role, with the password
 * USERS_DEMO_PASSWORD, unless they exist. Demo databases only. Returns 0 or -1. */
#define USERS_DEMO_PASSWORD "safeguard-demo-2026"
int users_seed_demo(struct store *s, int64_t now);
/* Checks a new account's username, roles (at least one, all known; a
 * partner_agency needs an agency) and password strength. */
int users_check_new(const char *username, const char *password, const json_t *roles,
                    const char *agency, struct domain_error *err);

/* Creates the account with the given password hash. roles is a JSON array of
 * role names. Returns the id or -1 (409 username_taken, 503 ...). */
int64_t users_create(struct store *s, const char *username, const char *display_name,
                     const char *password_hash, const json_t *roles, const char *team,
                     const char *area, const char *agency, int64_t now, struct domain_error *err);

/* The id of a username, or 0. */
int64_t users_find(struct store *s, const char *username);
json_t *users_get_json(struct store *s, int64_t id);
json_t *users_list_json(struct store *s);

/* Applies a validated change (display_name, team, area, agency, disabled,
 * roles) at the given version. Disabling revokes sessions. */
int users_update(struct store *s, int64_t id, const json_t *body, int64_t version, int64_t now,
                 struct domain_error *err);
/* Replaces the roles. */
int users_set_roles(struct store *s, int64_t id, const json_t *roles, struct domain_error *err);
/* Sets a new password hash and revokes the user's sessions. */
int users_set_password(struct store *s, int64_t id, const char *hash, int64_t now);

#endif
