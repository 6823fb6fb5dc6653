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

/* "?" and "?N" become "$N" (a bare "?" takes one more than the highest
 * number so far, as in SQLite); *nparams gets the highest N. A placeholder
 * tested with IS [NOT] NULL gets "::text" so PostgreSQL can type it when it
 * is bound to NULL (an integer bound to it is cast, which is harmless). */
char *pg_dialect_placeholders(const char *sql, int *nparams, char *err, size_t errlen);

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
