/*
 * audit.h — the tamper-evident audit trail.
 *
 * Every sign-in, sign-out, failed sign-in, permission denial and every
 * create, read, update and delete of personal data appends one entry. The
 * table is append-only (database triggers refuse UPDATE and DELETE) and
 * hash-chained: entry n carries SHA-256(fields of n ‖ hash of n-1), so
 * altering, deleting or reordering any entry breaks verification at that
 * entry. audit_append() must run inside the write transaction of the change
 * it records, so the two commit together or not at all.
 */
#ifndef SG_AUDIT_H
#define SG_AUDIT_H

#include <jansson.h>
#include <stdint.h>

struct store;

struct audit_entry {
    int64_t at;
    int64_t user_id; /* 0 when nobody is signed in */
    const char *username;
    const char *roles; /* comma-separated, as held at the time */
    const char
        *action; /* login, login_failed, logout, denied, create, read, update, delete, search */
    const char *record_type; /* "person", "user", ... or NULL */
    int64_t record_id;       /* 0 when none */
    const char *route;       /* "GET /api/people/{id}" */
    const char *remote_addr;
    const char *request_id;
    const char *detail; /* small JSON text, or NULL */
};

/* Appends e to the chain. Returns 0 or a negative store code. */
int audit_append(struct store *s, const struct audit_entry *e);

/* Verifies the whole chain. Returns 0 when intact (count set), 1 when broken
 * (*first_bad names the first entry that fails and why), -1 on error. */
int audit_verify(struct store *s, int64_t *count, int64_t *first_bad, char *why, size_t whylen,
                 char head_hash[65]);

/* The access log of one record, newest first (new reference). */
json_t *audit_for_record(struct store *s, const char *record_type, int64_t record_id, int limit);

#endif
