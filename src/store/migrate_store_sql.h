/*
 * migrate_store_sql.h — the catalog queries of migrate-store (SQL in one place).
 *
 * These are the only backend-specific statements outside the backends
 * themselves: migrate-store has to ask each database what tables and columns
 * it holds, and SQLite and PostgreSQL keep that in different catalogs. The
 * per-table SELECT and INSERT statements are built from these answers
 * (migrate_store.c says why and how names are checked).
 */
#ifndef SG_MIGRATE_STORE_SQL_H
#define SG_MIGRATE_STORE_SQL_H

/* SQLite: the application's tables (not SQLite's own, not schema_version,
 * which each side fills by migrating). */
#define SQL_MIG_SQLITE_TABLES                                                                      \
    "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'"      \
    " AND name <> 'schema_version' ORDER BY name"

/* SQLite: a table's columns in order, with declared type and position in
 * the primary key (0 when not part of it). */
#define SQL_MIG_SQLITE_COLUMNS "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid"

/* SQLite: the tables a table's foreign keys refer to (copied before it). */
#define SQL_MIG_SQLITE_REFERENCES "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)"

/* PostgreSQL: every table in the schema in use, to tell a new database. */
#define SQL_MIG_PG_ALL_TABLES                                                                      \
    "SELECT table_name::text FROM information_schema.tables"                                       \
    " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"

/* PostgreSQL: a table's columns (names only: their types came from the
 * same migrations, translated). */
#define SQL_MIG_PG_COLUMNS                                                                         \
    "SELECT column_name::text FROM information_schema.columns"                                     \
    " WHERE table_schema = current_schema() AND table_name = ?::text ORDER BY ordinal_position"

/* PostgreSQL: the columns numbered by a sequence (identity columns from
 * "INTEGER PRIMARY KEY"), whose next value must follow the copied ids. */
#define SQL_MIG_PG_SEQUENCED                                                                       \
    "SELECT table_name::text, column_name::text FROM information_schema.columns"                   \
    " WHERE table_schema = current_schema()"                                                       \
    " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')"                                \
    " ORDER BY table_name, column_name"

#endif
