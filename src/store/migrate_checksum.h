/*
 * migrate_checksum.h — how `safeguard migrate-store` compares a table held in
 * two databases (pure functions; unit-tested in tests/unit/test_migrate_checksum.c).
 *
 * Both sides are read through store.h in primary-key order and every value is
 * reduced to text the same way, so a table's checksum is equal on SQLite and
 * PostgreSQL exactly when they hold the same rows:
 *
 * - A column's kind comes from its SQLite declared type by SQLite's affinity
 *   rules; the kind, not the backend, decides how a value is read.
 * - INTEGER and TEXT values compare as the text the store returns (the same
 *   digits on both backends). REAL numbers are written "%.17g" from their
 *   double, which round-trips exactly: SQLite's own text of a double keeps 15
 *   digits and PostgreSQL's the shortest exact form, so their texts differ.
 * - A row is the concatenation of its values, each "N" for NULL or
 *   "S<length>:<bytes>", then "\n": no two different rows encode alike.
 * - A table's checksum is SHA-256 over its rows' encodings in order.
 */
#ifndef SG_MIGRATE_CHECKSUM_H
#define SG_MIGRATE_CHECKSUM_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

/* Column kinds (SQLite affinities); migrate-store copies the first three. */
enum mig_kind {
    MIG_INTEGER = 'i',
    MIG_REAL = 'r',
    MIG_TEXT = 't',
    MIG_BLOB = 'b',    /* BLOB or no declared type */
    MIG_NUMERIC = 'n', /* anything else (NUMERIC, DATE, BOOLEAN...) */
};

/* The kind of a column declared with type decl (NULL or "" is MIG_BLOB). */
enum mig_kind mig_kind_of(const char *decl);

/* 1 when text is a whole decimal number (what a REAL column holds); 0 for
 * text stored in a REAL column, which is compared and copied as text. */
int mig_is_number(const char *text);

/* The value as compared: NULL for SQL NULL; for a REAL number "%.17g" of
 * dbl written into buf; otherwise text itself. */
const char *mig_normalise(enum mig_kind kind, const char *text, double dbl, char buf[32]);

/* One row's encoding, grown as values are added (at most MIG_ROW_MAX bytes). */
#define MIG_ROW_MAX (64u * 1024 * 1024)
struct mig_row {
    char *p;
    size_t len, cap;
    int fail; /* out of memory or past MIG_ROW_MAX: the row is unusable */
};
void mig_row_begin(struct mig_row *r);
/* Appends one normalised value (NULL for SQL NULL). */
void mig_row_add(struct mig_row *r, const char *v);
/* Ends the row; returns 0, or -1 when it could not be built. */
int mig_row_end(struct mig_row *r);
/* 1 when both rows encode alike. */
int mig_row_equal(const struct mig_row *a, const struct mig_row *b);
void mig_row_release(struct mig_row *r);

/* A table's running checksum and row count. */
struct mig_sum {
    crypto_hash_sha256_state st;
    int64_t rows;
};
void mig_sum_init(struct mig_sum *s);
void mig_sum_row(struct mig_sum *s, const struct mig_row *r);
/* The checksum as 64 lower-case hex digits. */
void mig_sum_final(struct mig_sum *s, char hex[65]);

#endif
