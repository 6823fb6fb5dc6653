/*
 * pg_dialect.h — turning Safeguard's SQLite-flavoured SQL into PostgreSQL's
 * (private to src/store; pure functions, unit-tested in tests/unit/test_pg_dialect.c).
 *
 * Runtime statements need only their placeholders rewritten; the schema
 * migrations (sql/migrations/, written once for both databases) go through
 * pg_dialect_ddl() when applied to PostgreSQL. Both skip string literals,
 * quoted identifiers and comments. Each returns a malloc'd string the
 * caller frees, or NULL with a message in err.
 */
#ifndef SG_PG_DIALECT_H
#define SG_PG_DIALECT_H

#include <stddef.h>

#define PG_DIALECT_MAX_PARAMS 64 /* more than any statement binds */

/* A rewritten statement's parameters: count in all, and for each hidden
 * copy (1-based number k) the parameter whose value it repeats, copy_of[k-1];
 * 0 for the caller's own parameters. */
struct pg_params {
    int count;
    short copy_of[PG_DIALECT_MAX_PARAMS];
};

/* "?" and "?N" become "$N" (a bare "?" takes one more than the highest
 * number so far, as in SQLite). A parameter used only in IS [NOT] NULL
 * tests gets "::text" so PostgreSQL can type it when bound to NULL (an
 * integer bound to it is cast, harmlessly). One used both in a NULL test
 * and elsewhere ("? IS NULL OR col = ?1"-style filters) cannot be typed in
 * the test before the comparison types it, so the test reads a hidden
 * copy, "$K::text", numbered after the caller's own; params says which. */
char *pg_dialect_placeholders(const char *sql, struct pg_params *params, char *err, size_t errlen);

/* A migration's DDL for PostgreSQL: "INTEGER PRIMARY KEY" becomes a BIGINT
 * identity column (BY DEFAULT, so copied rows keep their ids), INTEGER
 * BIGINT (SQLite integers are 64-bit), REAL DOUBLE PRECISION, BLOB BYTEA, and
 * each append-only trigger "CREATE TRIGGER t BEFORE UPDATE|DELETE ON x BEGIN
 * SELECT RAISE(ABORT, 'msg'); END;" a row trigger calling sg_raise_abort('msg')
 * (PG_DIALECT_PRELUDE). Any other trigger body is refused, not guessed at. */
char *pg_dialect_ddl(const char *sql, char *err, size_t errlen);

/* Created before the first migration: the function the translated triggers
 * call. It raises check_violation, which the store reports as
 * STORE_CONSTRAINT, as SQLite reports RAISE(ABORT). */
#define PG_DIALECT_PRELUDE                                                                         \
    "CREATE OR REPLACE FUNCTION sg_raise_abort() RETURNS trigger LANGUAGE plpgsql AS $$"           \
    " BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation'; END $$;"

#endif
