/* audit.c — hash-chained audit entries: append, verify, read (see audit.h). */
#include "audit/audit.h"
#include "audit/audit_sql.h"
#include "core/date.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Each field enters the hash as "<length>:<bytes>;" (NULL as "-;"), so no
 * two different entries can serialise to the same bytes. */
static void put(crypto_hash_sha256_state *h, const char *v)
{
    char len[24];
    if (!v) {
        crypto_hash_sha256_update(h, (const unsigned char *)"-;", 2);
        return;
    }
    int n = snprintf(len, sizeof(len), "%zu:", strlen(v));
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)n);
    crypto_hash_sha256_update(h, (const unsigned char *)v, strlen(v));
    crypto_hash_sha256_update(h, (const unsigned char *)";", 1);
}

static void put_int(crypto_hash_sha256_state *h, int64_t v, int present)
{
    char b[24];
    snprintf(b, sizeof(b), "%lld", (long long)v);
    put(h, present ? b : NULL);
}

struct fields {
    int64_t id;
    const char *at;
    int64_t user_id;
    int has_user;
    const char *username, *roles, *action, *record_type;
    int64_t record_id;
    int has_record;
    const char *route, *remote_addr, *request_id, *detail, *prev_hash;
};

static void entry_hash(const struct fields *f, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    put_int(&h, f->id, 1);
    put(&h, f->at);
    put_int(&h, f->user_id, f->has_user);
    put(&h, f->username);
    put(&h, f->roles);
    put(&h, f->action);
    put(&h, f->record_type);
    put_int(&h, f->record_id, f->has_record);
    put(&h, f->route);
    put(&h, f->remote_addr);
    put(&h, f->request_id);
    put(&h, f->detail);
    put(&h, f->prev_hash);
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

int audit_append(struct store *s, const struct audit_entry *e)
{
    char prev[65], hash[65], at[TS_TEXT_LEN];
    int64_t id = 1;
    struct stmt *st = store_prepare(s, SQL_AUDIT_HEAD);
    if (!st)
        return STORE_ERROR;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        id = stmt_int(st, 0) + 1;
        snprintf(prev, sizeof(prev), "%s", stmt_text(st, 1));
    } else if (rc == STORE_DONE) {
        memcpy(prev, GENESIS, sizeof(prev));
    } else {
        stmt_reset(st);
        return rc;
    }
    stmt_reset(st);
    ts_format(e->at, at);
    struct fields f = {id,
                       at,
                       e->user_id,
                       e->user_id != 0,
                       e->username,
                       e->roles,
                       e->action,
                       e->record_type,
                       e->record_id,
                       e->record_id != 0,
                       e->route,
                       e->remote_addr,
                       e->request_id,
                       e->detail,
                       prev};
    entry_hash(&f, hash);
    st = store_prepare(s, SQL_AUDIT_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, at);
    if (e->user_id)
        stmt_bind_int(st, 3, e->user_id);
    stmt_bind_text(st, 4, e->username);
    stmt_bind_text(st, 5, e->roles);
    stmt_bind_text(st, 6, e->action);
    stmt_bind_text(st, 7, e->record_type);
    if (e->record_id)
        stmt_bind_int(st, 8, e->record_id);
    stmt_bind_text(st, 9, e->route);
    stmt_bind_text(st, 10, e->remote_addr);
    stmt_bind_text(st, 11, e->request_id);
    stmt_bind_text(st, 12, e->detail);
    stmt_bind_text(st, 13, prev);
    stmt_bind_text(st, 14, hash);
    return store_exec_stmt(st);
}

static const char *col(struct stmt *st, int c)
{
    return stmt_is_null(st, c) ? NULL : stmt_text(st, c);
}

int audit_verify(struct store *s, int64_t *count, int64_t *first_bad, char *why, size_t whylen,
                 char head_hash[65])
{
    struct stmt *st = store_prepare(s, SQL_AUDIT_ALL);
    if (!st) {
        snprintf(why, whylen, "%s", store_errmsg(s));
        return -1;
    }
    char prev[65];
    memcpy(prev, GENESIS, sizeof(prev));
    int64_t expect_id = 1, n = 0;
    int rc, broken = 0;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        struct fields f = {stmt_int(st, 0),      col(st, 1),  stmt_int(st, 2),
                           !stmt_is_null(st, 2), col(st, 3),  col(st, 4),
                           col(st, 5),           col(st, 6),  stmt_int(st, 7),
                           !stmt_is_null(st, 7), col(st, 8),  col(st, 9),
                           col(st, 10),          col(st, 11), col(st, 12)};
        char hash[65];
        const char *stored = col(st, 13);
        if (f.id != expect_id) {
            snprintf(why, whylen, "entry %lld is missing (found %lld next)", (long long)expect_id,
                     (long long)f.id);
            *first_bad = expect_id;
            broken = 1;
            break;
        }
        if (!f.prev_hash || strcmp(f.prev_hash, prev) != 0) {
            snprintf(why, whylen, "entry %lld does not link to the entry before it",
                     (long long)f.id);
            *first_bad = f.id;
            broken = 1;
            break;
        }
        entry_hash(&f, hash);
        if (!stored || strcmp(hash, stored) != 0) {
            snprintf(why, whylen, "entry %lld was altered: its content does not match its hash",
                     (long long)f.id);
            *first_bad = f.id;
            broken = 1;
            break;
        }
        memcpy(prev, hash, sizeof(prev));
        expect_id++;
        n++;
    }
    stmt_reset(st);
    if (!broken && rc != STORE_DONE) {
        snprintf(why, whylen, "%s", store_errmsg(s));
        return -1;
    }
    *count = n;
    memcpy(head_hash, prev, 65);
    return broken;
}

json_t *audit_for_record(struct store *s, const char *record_type, int64_t record_id, int limit)
{
    json_t *out = json_array();
    struct stmt *st = store_prepare(s, SQL_AUDIT_FOR_RECORD);
    if (!st)
        return out;
    stmt_bind_text(st, 1, record_type);
    stmt_bind_int(st, 2, record_id);
    stmt_bind_int(st, 3, limit);
    while (stmt_step(st) == STORE_ROW) {
        json_array_append_new(
            out,
            json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o}", "id",
                      (json_int_t)stmt_int(st, 0), "at", stmt_text(st, 1), "user_id",
                      stmt_is_null(st, 2) ? json_null() : json_integer(stmt_int(st, 2)), "username",
                      col(st, 3) ? json_string(col(st, 3)) : json_null(), "roles",
                      col(st, 4) ? json_string(col(st, 4)) : json_null(), "action",
                      stmt_text(st, 5), "route", col(st, 6) ? json_string(col(st, 6)) : json_null(),
                      "remote_addr", col(st, 7) ? json_string(col(st, 7)) : json_null(),
                      "request_id", col(st, 8) ? json_string(col(st, 8)) : json_null()));
    }
    stmt_reset(st);
    return out;
}
