/*
 * auth.h — who is asking: users, sessions, API tokens, sign-in throttling and
 * the record-level rules that sit on top of permissions.
 *
 * Invariants: secrets (session tokens, API tokens) are stored only as SHA-256
 * hashes and compared by hash lookup plus sodium_memcmp; a disabled user's
 * sessions and tokens stop working at once; every time check reads the
 * injected clock passed in as `now`.
 */
#ifndef SG_AUTH_H
#define SG_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/roles.h"

struct store;
struct config;

#define TOKEN_HEX_LEN 64 /* 32 random bytes */

struct user {
    int64_t id;
    char username[64];
    char display_name[128];
    char team[64];
    char area[64];
    char agency[128];
    char roles[256]; /* comma-separated role names */
    struct permset perms;
    int64_t session_id; /* 0 when authenticated by API token */
    int64_t token_id;   /* 0 when authenticated by session */
    char csrf[TOKEN_HEX_LEN + 1];
    int64_t session_expires; /* absolute expiry of the session */
};

enum auth_result {
    AUTH_NONE,    /* no credentials presented */
    AUTH_OK,      /* *u filled */
    AUTH_INVALID, /* unknown, revoked or expired credentials, or disabled user */
    AUTH_ERROR,   /* database failure */
};

/* Authenticates a session token (cookie) or API token (Bearer). Touches the
 * session's last-seen time at most once a minute. */
enum auth_result auth_session(struct store *s, const char *token, int64_t now,
                              const struct config *cfg, struct user *u);
enum auth_result auth_api_token(struct store *s, const char *token, int64_t now, struct user *u);

/* Loads a user and their roles and permissions by id (disabled users load
 * too; callers check). Returns 0, or -1 when there is no such user. */
int user_load(struct store *s, int64_t id, struct user *u, int *disabled);

/* Sign-in. Returns 0 with *u and the new session token (hex) on success.
 * On failure returns -1 and sets *retry_after (seconds, 0 when the caller may
 * retry at once) and writes the throttling state. Must not be called inside
 * a transaction: the password check runs without holding the write lock. */
int auth_login(struct store *s, const char *username, const char *password, int64_t now,
               const struct config *cfg, const char *remote_addr, const char *request_id,
               struct user *u, char token_out[TOKEN_HEX_LEN + 1], int *retry_after);

/* Revokes a session. */
int auth_logout(struct store *s, int64_t session_id, int64_t now);

/* Creates an API token for a user; writes the plaintext (shown once). */
int auth_token_create(struct store *s, int64_t user_id, const char *name, int64_t now,
                      char token_out[TOKEN_HEX_LEN + 1], int64_t *id_out);
/* Returns STORE_OK, STORE_DONE when there is no live token with that id, or an error. */
int auth_token_revoke(struct store *s, int64_t token_id, int64_t now);
/* Every token, without secrets (new reference). */
json_t *auth_tokens_json(struct store *s);

/* SHA-256 of a token as hex (what the database stores). */
void auth_token_hash(const char *token, char out[65]);
/* 32 random bytes as hex. */
void auth_random_token(char out[TOKEN_HEX_LEN + 1]);

/* True when the user may see the person (restricted records: only the roles
 * and teams named on the record). */
bool auth_person_visible(struct store *s, int64_t person_id, const struct user *u);

/* The user as JSON for /api/session and the page header (new reference). */
json_t *auth_user_json(const struct user *u);

#endif
