/*
 * migrate_store.h — moving a SQLite database to PostgreSQL, proved
 * (`safeguard migrate-store`; docs/deployment.md, docs/operations.md).
 *
 * migrate_store() reads the whole source in ONE read transaction (one
 * consistent snapshot, even while a server keeps writing to it; later writes
 * are not copied), migrates the target, refuses it unless it holds only what
 * a new database holds, copies every table in foreign-key order in batched
 * write transactions keeping every id, moves PostgreSQL's sequences past the
 * copied ids, then verifies: per table, row counts and checksums
 * (migrate_checksum.h) read back through a fresh connection, and the audit
 * chain on both sides. With verify_only it only verifies an earlier copy.
 */
#ifndef SG_MIGRATE_STORE_H
#define SG_MIGRATE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct migrate_options {
    const char *from; /* a SQLite file path ("sqlite:" prefix allowed) */
    const char *to;   /* a postgres:// or postgresql:// URL */
    int verify_only;  /* compare only: copy nothing, change nothing */
    int batch_rows;   /* rows per write transaction (0: 1000) */
    /* Called after each table is copied (may be NULL). */
    void (*progress)(const char *table, int64_t rows, void *ctx);
    void *ctx;
};

struct migrate_table_report {
    char name[64];
    int64_t source_rows, target_rows;
    char source_sum[65], target_sum[65];
    int match;
    char first_difference[256]; /* "" when the table matches */
};

struct migrate_audit_report {
    int result; /* audit_verify(): 0 intact, 1 broken, -1 unreadable */
    int64_t entries;
    char head[65];
    char why[256];
};

struct migrate_report {
    char source[512], target[512]; /* as shown: the target's password removed */
    int source_schema, target_schema;
    size_t ntables;
    struct migrate_table_report *tables; /* in copy (foreign-key) order */
    int64_t rows_copied;
    int sequences_reset;
    struct migrate_audit_report source_audit, target_audit;
    int ok; /* every table matches, both chains intact with the same head */
};

/* Runs the migration (or the verification alone). Returns 0 when it ran to
 * the end, with r->ok saying whether everything verified; -1 with a message
 * in err when it could not (bad arguments, unreachable database, a target
 * that is not new, a row PostgreSQL refused). r is filled as far as it got;
 * release it with migrate_report_release() either way. */
int migrate_store(const struct migrate_options *o, struct migrate_report *r, char *err,
                  size_t errlen);
void migrate_report_release(struct migrate_report *r);

#endif
