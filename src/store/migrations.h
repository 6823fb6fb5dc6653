/*
 * migrations.h — the schema migrations compiled into the binary.
 *
 * Generated at build time from sql/migrations/NNNN_name.sql by tools/embed;
 * ordered by number. store_migrate() applies those not yet recorded.
 */
#ifndef SG_MIGRATIONS_H
#define SG_MIGRATIONS_H

#include <stddef.h>

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration migrations[];
extern const size_t migrations_count;

#endif
