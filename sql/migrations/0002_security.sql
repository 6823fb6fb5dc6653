-- 0002_security.sql — users, roles, sessions, API tokens, login throttling,
-- restricted person records and the hash-chained, append-only audit trail.

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,           -- Argon2id, libsodium's $argon2id$ string
    team TEXT,
    area TEXT,                             -- policing area
    agency TEXT,                           -- partner agency (partner_agency role)
    disabled INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE user_role (
    user_id INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Only a SHA-256 of each session token is stored: a copy of the database
-- does not let anyone sign in as its users.
CREATE TABLE user_session (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at TEXT,
    remote_addr TEXT
);
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);

-- Failed sign-ins by username, whether or not the user exists, so throttling
-- and lockout behave the same for both and reveal nothing.
CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL,
    locked_until TEXT
);

-- A restricted person is visible only to the roles and teams named here.
ALTER TABLE person ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
CREATE TABLE person_restriction (
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('role', 'team')),
    value TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, value)
);

-- The audit trail. Each entry's hash is SHA-256 over its own fields and the
-- previous entry's hash (see src/audit/audit.c), so any change, deletion or
-- reordering breaks the chain at that entry.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT,
    roles TEXT,
    action TEXT NOT NULL,
    record_type TEXT,
    record_id INTEGER,
    route TEXT,
    remote_addr TEXT,
    request_id TEXT,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id);
CREATE INDEX audit_log_user ON audit_log (user_id);

-- Append-only, enforced by the database itself.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
