/* audit_sql.h — every SQL statement of the audit trail. */
#ifndef SG_AUDIT_SQL_H
#define SG_AUDIT_SQL_H

/* The chain's head: the entry the next one links to. */
static const char SQL_AUDIT_HEAD[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";

/* The id is given explicitly because it is part of the hashed content. */
static const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit_log (id, at, user_id, username, roles, action, record_type, record_id,"
    " route, remote_addr, request_id, detail, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* The whole chain in order, for verification. */
static const char SQL_AUDIT_ALL[] =
    "SELECT id, at, user_id, username, roles, action, record_type, record_id, route,"
    " remote_addr, request_id, detail, prev_hash, hash FROM audit_log ORDER BY id";

/* Who touched one record, newest first (the access log). */
static const char SQL_AUDIT_FOR_RECORD[] =
    "SELECT id, at, user_id, username, roles, action, route, remote_addr, request_id"
    " FROM audit_log WHERE record_type = ? AND record_id = ? ORDER BY id DESC LIMIT ?";

#endif
