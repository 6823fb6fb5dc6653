/* auth_sql.h — every SQL statement of users, sessions, tokens and throttling. */
#ifndef SG_AUTH_SQL_H
#define SG_AUTH_SQL_H

#define USER_COLUMNS                                                                               \
    "u.id, u.username, u.display_name, u.team, u.area, u.agency, u.disabled, u.version"

static const char SQL_USER_BY_NAME[] =
    "SELECT " USER_COLUMNS ", u.password_hash FROM app_user u WHERE u.username = ?";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLUMNS " FROM app_user u WHERE u.id = ?";
static const char SQL_USER_LIST[] = "SELECT " USER_COLUMNS " FROM app_user u ORDER BY u.username";
static const char SQL_USER_ROLES[] = "SELECT role FROM user_role WHERE user_id = ? ORDER BY role";
static const char SQL_USER_INSERT[] =
    "INSERT INTO app_user (username, display_name, password_hash, team, area, agency, disabled,"
    " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?) RETURNING id";
static const char SQL_USER_ROLE_INSERT[] = "INSERT INTO user_role (user_id, role) VALUES (?, ?)";
static const char SQL_USER_ROLE_CLEAR[] = "DELETE FROM user_role WHERE user_id = ?";
/* Optimistic concurrency as for people: 0 rows when the version moved on. */
static const char SQL_USER_UPDATE[] =
    "UPDATE app_user SET display_name = ?, team = ?, area = ?, agency = ?, disabled = ?,"
    " version = version + 1, updated_at = ? WHERE id = ? AND version = ?";
static const char SQL_USER_SET_PASSWORD[] =
    "UPDATE app_user SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?";

/* A live session with its user; expiry is checked in C against the clock. */
static const char SQL_SESSION_BY_HASH[] =
    "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.disabled"
    " FROM user_session s JOIN app_user u ON u.id = s.user_id"
    " WHERE s.token_hash = ? AND s.revoked_at IS NULL";
static const char SQL_SESSION_INSERT[] =
    "INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, last_seen_at,"
    " remote_addr) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_SESSION_TOUCH[] = "UPDATE user_session SET last_seen_at = ? WHERE id = ?";
static const char SQL_SESSION_REVOKE[] =
    "UPDATE user_session SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
static const char SQL_SESSION_REVOKE_USER[] =
    "UPDATE user_session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL";

static const char SQL_TOKEN_BY_HASH[] =
    "SELECT t.id, t.user_id, u.disabled FROM api_token t JOIN app_user u ON u.id = t.user_id"
    " WHERE t.token_hash = ? AND t.revoked_at IS NULL";
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_token (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
static const char SQL_TOKEN_LIST[] =
    "SELECT t.id, u.username, t.name, t.created_at, t.revoked_at, t.last_used_at"
    " FROM api_token t JOIN app_user u ON u.id = t.user_id ORDER BY t.id";

static const char SQL_THROTTLE_GET[] =
    "SELECT failures, last_failure_at, locked_until FROM login_throttle WHERE username = ?";
static const char SQL_THROTTLE_FAIL[] =
    "INSERT INTO login_throttle (username, failures, last_failure_at, locked_until)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,"
    " last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until";
static const char SQL_THROTTLE_CLEAR[] = "DELETE FROM login_throttle WHERE username = ?";

/* Record-level rule for restricted people. */
static const char SQL_PERSON_RESTRICTIONS[] =
    "SELECT kind, value FROM person_restriction WHERE person_id = ? ORDER BY kind, value";

#endif
