/*
 * migrate_store.c — `safeguard migrate-store`: copy a SQLite database into
 * PostgreSQL and prove the copy (see migrate_store.h for the steps).
 *
 * This is the one place Safeguard builds SQL from strings: a copier that
 * works for every table, now and after the next migration, has to take the
 * table and column names from the catalogs (migrate_store_sql.h). Every name
 * is checked to be a plain lower-case identifier and is double-quoted; no
 * value is ever put into SQL text, values are bound.
 *
 * The store caches statements by the address of their text, so each built
 * statement lives in the plan until every connection is closed.
 *
 * It uses only store.h (and audit_verify), so the same code reads both
 * databases; the source is opened read-only and never written.
 */
#include "store/migrate_store.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "store/migrate_checksum.h"
#include "store/migrate_store_sql.h"
#include "store/migrations.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BATCH 1000
#define NAME_MAX_LEN  63         /* PostgreSQL's identifier limit */
#define SQL_MAX       (1u << 20) /* a built statement; far more than 91 tables need */

struct column {
    char *name;
    enum mig_kind kind;
    int pk; /* position in the primary key, from 1; 0 when not in it */
};

struct table {
    char *name;
    struct column *cols;
    int ncols;
    int *key; /* column indexes in primary-key order */
    int nkey;
    char **refs; /* tables its foreign keys refer to */
    int nrefs;
    char *select_sqlite, *select_pg, *insert;
    int mark;         /* foreign-key sort: 0 not seen, 1 being placed, 2 placed */
    int has_rows_new; /* a new database already holds rows here (from a migration) */
};

struct plan {
    struct table *tables; /* by name */
    int n;
    struct table **order; /* foreign-key order: every table after those it refers to */
    int placed;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* A name safe to quote into SQL: what the migrations use, lower case. */
static int plain_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > NAME_MAX_LEN || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static void plan_release(struct plan *p)
{
    for (int i = 0; i < p->n; i++) {
        struct table *t = &p->tables[i];
        for (int c = 0; c < t->ncols; c++)
            free(t->cols[c].name);
        for (int c = 0; c < t->nrefs; c++)
            free(t->refs[c]);
        free(t->cols);
        free(t->key);
        free(t->refs);
        free(t->name);
        free(t->select_sqlite);
        free(t->select_pg);
        free(t->insert);
    }
    free(p->tables);
    free(p->order);
    memset(p, 0, sizeof(*p));
}

static struct table *find_table(struct plan *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->tables[i].name, name) == 0)
            return &p->tables[i];
    return NULL;
}

/* Reads every row of a one-text-column query (one optional text parameter)
 * into a malloc'd array of strings; returns the count or -1. */
static int read_names(struct store *s, const char *sql, const char *param, char ***out, char *err,
                      size_t errlen)
{
    *out = NULL;
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return fail(err, errlen, "cannot read the catalog: %s", store_errmsg(s));
    if (param)
        stmt_bind_text(st, 1, param);
    int n = 0, cap = 0, rc;
    char **v = NULL;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nv = realloc(v, (size_t)cap * sizeof(*v));
            if (!nv)
                break;
            v = nv;
        }
        const char *name = stmt_text(st, 0);
        if (!(v[n] = strdup(name ? name : "")))
            break;
        n++;
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        for (int i = 0; i < n; i++)
            free(v[i]);
        free(v);
        return fail(err, errlen, "cannot read the catalog: %s",
                    rc == STORE_ROW ? "out of memory" : store_errmsg(s));
    }
    *out = v;
    return n;
}

static void free_names(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The source's columns of t, with kinds and key; 0 or -1. */
static int read_columns(struct store *s, struct table *t, char *err, size_t errlen)
{
    struct stmt *st = store_prepare(s, SQL_MIG_SQLITE_COLUMNS);
    if (!st)
        return fail(err, errlen, "cannot read the catalog: %s", store_errmsg(s));
    stmt_bind_text(st, 1, t->name);
    int cap = 0, rc, bad = 0;
    while ((rc = stmt_step(st)) == STORE_ROW && !bad) {
        if (t->ncols == cap) {
            cap = cap ? cap * 2 : 16;
            struct column *nc = realloc(t->cols, (size_t)cap * sizeof(*nc));
            if (!nc) {
                bad = fail(err, errlen, "out of memory");
                break;
            }
            t->cols = nc;
        }
        struct column *c = &t->cols[t->ncols];
        const char *name = stmt_text(st, 0), *decl = stmt_text(st, 1);
        c->kind = mig_kind_of(decl);
        c->pk = (int)stmt_int(st, 2);
        if (!(c->name = strdup(name ? name : ""))) {
            bad = fail(err, errlen, "out of memory");
            break;
        }
        t->ncols++;
        if (!plain_name(c->name))
            bad = fail(err, errlen, "column '%s.%s' is not a plain lower-case name", t->name,
                       c->name);
        else if (c->kind != MIG_INTEGER && c->kind != MIG_TEXT && c->kind != MIG_REAL)
            bad = fail(err, errlen,
                       "column '%s.%s' is declared '%s': migrate-store copies INTEGER, REAL and "
                       "TEXT columns only",
                       t->name, c->name, decl ? decl : "");
    }
    stmt_reset(st);
    if (bad)
        return -1;
    if (rc != STORE_DONE)
        return fail(err, errlen, "cannot read the columns of '%s': %s", t->name, store_errmsg(s));
    if (t->ncols == 0)
        return fail(err, errlen, "table '%s' has no columns", t->name);
    /* The key orders the rows; a table without one is ordered by every
     * column, which is as deterministic (equal rows are interchangeable). */
    if (!(t->key = calloc((size_t)t->ncols, sizeof(int))))
        return fail(err, errlen, "out of memory");
    for (int pos = 1; pos <= t->ncols; pos++)
        for (int c = 0; c < t->ncols; c++)
            if (t->cols[c].pk == pos)
                t->key[t->nkey++] = c;
    if (t->nkey == 0)
        for (int c = 0; c < t->ncols; c++)
            t->key[t->nkey++] = c;
    return 0;
}

/* The statements of one table. PostgreSQL orders text by the database's
 * collation; COLLATE "C" gives SQLite's byte order, and NULLS FIRST SQLite's
 * place for NULL, so both sides read rows in the same order. */
static int build_statements(struct table *t, char *err, size_t errlen)
{
    struct buf s, p, ins;
    buf_init(&s, SQL_MAX);
    buf_init(&p, SQL_MAX);
    buf_init(&ins, SQL_MAX);
    buf_puts(&s, "SELECT ");
    buf_printf(&ins, "INSERT INTO \"%s\" (", t->name);
    for (int c = 0; c < t->ncols; c++) {
        buf_printf(&s, "%s\"%s\"", c ? ", " : "", t->cols[c].name);
        buf_printf(&ins, "%s\"%s\"", c ? ", " : "", t->cols[c].name);
    }
    buf_printf(&s, " FROM \"%s\" ORDER BY ", t->name);
    buf_append(&p, s.data, s.len);
    buf_puts(&ins, ") VALUES (");
    for (int c = 0; c < t->ncols; c++)
        buf_puts(&ins, c ? ", ?" : "?");
    buf_puts(&ins, ")");
    for (int k = 0; k < t->nkey; k++) {
        const struct column *c = &t->cols[t->key[k]];
        buf_printf(&s, "%s\"%s\"", k ? ", " : "", c->name);
        buf_printf(&p, "%s\"%s\"%s NULLS FIRST", k ? ", " : "", c->name,
                   c->kind == MIG_TEXT ? " COLLATE \"C\"" : "");
    }
    if (s.overflowed || p.overflowed || ins.overflowed || !s.data || !p.data || !ins.data) {
        buf_release(&s);
        buf_release(&p);
        buf_release(&ins);
        return fail(err, errlen, "table '%s' is too wide to copy", t->name);
    }
    t->select_sqlite = buf_detach(&s);
    t->select_pg = buf_detach(&p);
    t->insert = buf_detach(&ins);
    return 0;
}

static int place(struct plan *p, struct table *t, char *err, size_t errlen)
{
    if (t->mark == 2)
        return 0;
    if (t->mark == 1)
        return fail(err, errlen,
                    "the foreign keys of '%s' form a cycle: the tables cannot be copied in order",
                    t->name);
    t->mark = 1;
    for (int i = 0; i < t->nrefs; i++) {
        if (strcmp(t->refs[i], t->name) == 0)
            continue; /* a row refers to an earlier row: the key order copies it first */
        struct table *r = find_table(p, t->refs[i]);
        if (!r)
            return fail(err, errlen, "table '%s' refers to '%s', which does not exist", t->name,
                        t->refs[i]);
        if (place(p, r, err, errlen) < 0)
            return -1;
    }
    t->mark = 2;
    p->order[p->placed++] = t;
    return 0;
}

/* Reads the source's tables, columns and references, builds each table's
 * statements, and orders the tables for copying. */
static int read_plan(struct store *src, struct plan *p, char *err, size_t errlen)
{
    char **names;
    int n = read_names(src, SQL_MIG_SQLITE_TABLES, NULL, &names, err, errlen);
    if (n < 0)
        return -1;
    p->tables = calloc((size_t)(n ? n : 1), sizeof(*p->tables));
    p->order = calloc((size_t)(n ? n : 1), sizeof(*p->order));
    if (!p->tables || !p->order) {
        free_names(names, n);
        return fail(err, errlen, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        p->tables[i].name = names[i]; /* the plan owns them now */
        p->n++;
    }
    free(names);
    for (int i = 0; i < p->n; i++) {
        struct table *t = &p->tables[i];
        if (!plain_name(t->name))
            return fail(err, errlen, "table '%s' is not a plain lower-case name", t->name);
        if (read_columns(src, t, err, errlen) < 0 || build_statements(t, err, errlen) < 0)
            return -1;
        t->nrefs = read_names(src, SQL_MIG_SQLITE_REFERENCES, t->name, &t->refs, err, errlen);
        if (t->nrefs < 0) {
            t->nrefs = 0;
            return -1;
        }
    }
    for (int i = 0; i < p->n; i++)
        if (place(p, &p->tables[i], err, errlen) < 0)
            return -1;
    return 0;
}

/* The current row's encoding (migrate_checksum.h). REAL values are read as
 * double before text: SQLite converts the value's text on demand and a later
 * call could invalidate it. */
static int encode_row(struct stmt *st, const struct table *t, struct mig_row *row)
{
    mig_row_begin(row);
    for (int c = 0; c < t->ncols; c++) {
        char buf[32];
        double d = 0;
        const char *v = NULL;
        if (!stmt_is_null(st, c)) {
            if (t->cols[c].kind == MIG_REAL)
                d = stmt_double(st, c);
            v = stmt_text(st, c);
            if (!v)
                v = "";
        }
        mig_row_add(row, mig_normalise(t->cols[c].kind, v, d, buf));
    }
    return mig_row_end(row);
}

/* "id 17", or "user_id 3, role admin": the current row's key, for messages. */
static void describe_key(struct stmt *st, const struct table *t, int64_t n, char *out,
                         size_t outlen)
{
    int has_pk = t->cols[t->key[0]].pk > 0;
    if (!has_pk) {
        snprintf(out, outlen, "row %lld in key order", (long long)n);
        return;
    }
    size_t used = 0;
    out[0] = '\0';
    for (int k = 0; k < t->nkey && used < outlen; k++) {
        const char *v = stmt_is_null(st, t->key[k]) ? "NULL" : stmt_text(st, t->key[k]);
        int w = snprintf(out + used, outlen - used, "%s%s %.40s", k ? ", " : "",
                         t->cols[t->key[k]].name, v ? v : "");
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Reads t from a and b in key order side by side, row by row: counts and
 * checksums of each side, and the first row where they part. 0 or -1 (a
 * read failed). */
static int compare_table(struct store *a, const char *sql_a, struct store *b, const char *sql_b,
                         const struct table *t, struct migrate_table_report *out, char *err,
                         size_t errlen)
{
    snprintf(out->name, sizeof(out->name), "%s", t->name);
    out->first_difference[0] = '\0';
    struct stmt *sa = store_prepare(a, sql_a);
    if (!sa)
        return fail(err, errlen, "cannot read '%s': %s", t->name, store_errmsg(a));
    struct stmt *sb = store_prepare(b, sql_b);
    if (!sb) {
        stmt_reset(sa);
        return fail(err, errlen, "cannot read '%s': %s", t->name, store_errmsg(b));
    }
    struct mig_sum ha, hb;
    mig_sum_init(&ha);
    mig_sum_init(&hb);
    struct mig_row ra = {0}, rb = {0};
    int rca = STORE_ROW, rcb = STORE_ROW, rc = 0;
    for (int64_t n = 1;; n++) {
        if (rca == STORE_ROW)
            rca = stmt_step(sa);
        if (rcb == STORE_ROW)
            rcb = stmt_step(sb);
        if (rca < 0 || rcb < 0) {
            rc = fail(err, errlen, "cannot read '%s': %s", t->name, store_errmsg(rca < 0 ? a : b));
            break;
        }
        int in_a = rca == STORE_ROW, in_b = rcb == STORE_ROW;
        if (!in_a && !in_b)
            break;
        if ((in_a && encode_row(sa, t, &ra) < 0) || (in_b && encode_row(sb, t, &rb) < 0)) {
            rc = fail(err, errlen, "a row of '%s' is too large to compare", t->name);
            break;
        }
        if (in_a)
            mig_sum_row(&ha, &ra);
        if (in_b)
            mig_sum_row(&hb, &rb);
        if (out->first_difference[0] == '\0' && (!in_a || !in_b || !mig_row_equal(&ra, &rb))) {
            char key[160];
            describe_key(in_a ? sa : sb, t, n, key, sizeof(key));
            snprintf(out->first_difference, sizeof(out->first_difference), "%s %s", key,
                     !in_b   ? "is missing from the target"
                     : !in_a ? "is only in the target"
                             : "differs");
        }
    }
    stmt_reset(sa);
    stmt_reset(sb);
    mig_row_release(&ra);
    mig_row_release(&rb);
    out->source_rows = ha.rows;
    out->target_rows = hb.rows;
    mig_sum_final(&ha, out->source_sum);
    mig_sum_final(&hb, out->target_sum);
    out->match = rc == 0 && out->first_difference[0] == '\0' &&
                 out->source_rows == out->target_rows &&
                 strcmp(out->source_sum, out->target_sum) == 0;
    return rc;
}

/* Binds the source's current row to the target's INSERT, as the value was
 * stored: REAL numbers as doubles, everything else as text for PostgreSQL to
 * take in the column's own type. */
static void bind_row(struct stmt *from, struct stmt *to, const struct table *t)
{
    for (int c = 0; c < t->ncols; c++) {
        if (stmt_is_null(from, c)) {
            stmt_bind_null(to, c + 1);
        } else if (t->cols[c].kind == MIG_REAL) {
            double d = stmt_double(from, c);
            const char *v = stmt_text(from, c);
            if (mig_is_number(v))
                stmt_bind_double(to, c + 1, d);
            else
                stmt_bind_text(to, c + 1, v ? v : "");
        } else {
            const char *v = stmt_text(from, c);
            stmt_bind_text(to, c + 1, v ? v : "");
        }
    }
}

/* Copies t in batches of `batch` rows, each batch one write transaction.
 * A table a new database already fills (a migration's reference rows) is
 * emptied first, in the first batch, so the source's rows replace them. */
static int copy_table(struct store *src, struct store *dst, const struct table *t, int batch,
                      int64_t *copied, char *err, size_t errlen)
{
    struct stmt *sel = store_prepare(src, t->select_sqlite);
    struct stmt *ins = sel ? store_prepare(dst, t->insert) : NULL;
    if (!sel || !ins)
        return fail(err, errlen, "cannot copy '%s': %s", t->name, store_errmsg(sel ? dst : src));
    if (store_begin_write(dst) != STORE_OK) {
        stmt_reset(sel);
        return fail(err, errlen, "cannot copy '%s': %s", t->name, store_errmsg(dst));
    }
    if (t->has_rows_new) {
        char sql[128];
        snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", t->name);
        if (store_exec(dst, sql) != STORE_OK) {
            fail(err, errlen, "cannot empty '%s' before copying: %s", t->name, store_errmsg(dst));
            store_rollback(dst);
            stmt_reset(sel);
            return -1;
        }
    }
    int64_t n = 0;
    int rc;
    while ((rc = stmt_step(sel)) == STORE_ROW) {
        bind_row(sel, ins, t);
        if (store_exec_stmt(ins) != STORE_OK) {
            char key[160];
            describe_key(sel, t, n + 1, key, sizeof(key));
            fail(err, errlen, "cannot copy '%s' (%s): %s", t->name, key, store_errmsg(dst));
            store_rollback(dst);
            stmt_reset(sel);
            return -1;
        }
        if (++n % batch == 0 &&
            (store_commit(dst) != STORE_OK || store_begin_write(dst) != STORE_OK)) {
            fail(err, errlen, "cannot commit '%s' after %lld rows: %s", t->name, (long long)n,
                 store_errmsg(dst));
            store_rollback(dst);
            stmt_reset(sel);
            return -1;
        }
    }
    stmt_reset(sel);
    if (rc != STORE_DONE) {
        fail(err, errlen, "cannot read '%s': %s", t->name, store_errmsg(src));
        store_rollback(dst);
        return -1;
    }
    if (store_commit(dst) != STORE_OK)
        return fail(err, errlen, "cannot commit '%s': %s", t->name, store_errmsg(dst));
    *copied = n;
    return 0;
}

/* Moves every sequence past the largest copied id, so the next row a server
 * inserts takes the next number instead of colliding with a copied one. */
static int reset_sequences(struct store *dst, int *count, char *err, size_t errlen)
{
    struct stmt *st = store_prepare(dst, SQL_MIG_PG_SEQUENCED);
    if (!st)
        return fail(err, errlen, "cannot list the sequences: %s", store_errmsg(dst));
    int n = 0, cap = 0, rc, bad = 0;
    char **pairs = NULL; /* table, column, table, column... */
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n + 2 > cap) {
            cap = cap ? cap * 2 : 64;
            char **np = realloc(pairs, (size_t)cap * sizeof(*np));
            if (!np) {
                bad = 1;
                break;
            }
            pairs = np;
        }
        for (int i = 0; i < 2; i++) {
            const char *v = stmt_text(st, i);
            pairs[n++] = strdup(v ? v : "");
        }
    }
    stmt_reset(st);
    if (bad || rc != STORE_DONE) {
        free_names(pairs, n);
        return fail(err, errlen, "cannot list the sequences: %s",
                    bad ? "out of memory" : store_errmsg(dst));
    }
    if (store_begin_write(dst) != STORE_OK) {
        free_names(pairs, n);
        return fail(err, errlen, "cannot reset the sequences: %s", store_errmsg(dst));
    }
    for (int i = 0; i + 1 < n && !bad; i += 2) {
        const char *tab = pairs[i], *col = pairs[i + 1];
        if (!tab || !col || !plain_name(tab) || !plain_name(col)) {
            bad = fail(err, errlen, "cannot reset the sequence of '%s.%s': not a plain name",
                       tab ? tab : "?", col ? col : "?");
            break;
        }
        /* setval(seq, max, true): the next value is max + 1; on an empty
         * table setval(seq, 1, false): the next value is 1. */
        char sql[512];
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), COALESCE(MAX(\"%s\"), 1),"
                 " MAX(\"%s\") IS NOT NULL) FROM \"%s\"",
                 tab, col, col, col, tab);
        if (store_exec(dst, sql) != STORE_OK)
            bad = fail(err, errlen, "cannot reset the sequence of '%s.%s': %s", tab, col,
                       store_errmsg(dst));
        else
            (*count)++;
    }
    free_names(pairs, n);
    if (bad) {
        store_rollback(dst);
        return -1;
    }
    if (store_commit(dst) != STORE_OK)
        return fail(err, errlen, "cannot reset the sequences: %s", store_errmsg(dst));
    return 0;
}

/* The target holds the same tables and columns as the source (both were
 * built by the same migrations; this catches a target from another release
 * or one altered by hand). */
static int check_target_shape(struct store *chk, struct plan *p, char *err, size_t errlen)
{
    char **names;
    int n = read_names(chk, SQL_MIG_PG_ALL_TABLES, NULL, &names, err, errlen);
    if (n < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < n && !rc; i++)
        if (strcmp(names[i], "schema_version") != 0 && !find_table(p, names[i]))
            rc = fail(err, errlen, "the target has a table '%s' that the source lacks", names[i]);
    free_names(names, n);
    for (int i = 0; i < p->n && !rc; i++) {
        struct table *t = &p->tables[i];
        char **cols;
        int nc = read_names(chk, SQL_MIG_PG_COLUMNS, t->name, &cols, err, errlen);
        if (nc < 0)
            return -1;
        if (nc == 0)
            rc = fail(err, errlen, "the target lacks the table '%s'", t->name);
        for (int c = 0; c < t->ncols && !rc; c++) {
            int found = 0;
            for (int k = 0; k < nc && !found; k++)
                found = strcmp(cols[k], t->cols[c].name) == 0;
            if (!found)
                rc = fail(err, errlen, "the target's table '%s' lacks the column '%s'", t->name,
                          t->cols[c].name);
        }
        if (!rc && nc != t->ncols)
            rc = fail(err, errlen, "the target's table '%s' has %d columns, the source's %d",
                      t->name, nc, t->ncols);
        free_names(cols, nc);
    }
    return rc;
}

/* A new database holds only what the migrations put there. Compares every
 * target table with the same table in a new in-memory SQLite database; any
 * difference means the target holds data and is refused. Notes the tables a
 * migration fills, to be replaced by the copy. */
static int check_target_new(struct store *chk, struct plan *p, const char *shown, char *err,
                            size_t errlen)
{
    struct store *fresh = NULL;
    char e[512];
    if (store_open(&fresh, ":memory:", e, sizeof(e)) < 0 ||
        store_migrate(fresh, e, sizeof(e)) < 0) {
        store_close(fresh);
        return fail(err, errlen, "cannot build a new database to compare with: %s", e);
    }
    int rc = store_begin_read(chk) == STORE_OK
                 ? 0
                 : fail(err, errlen, "cannot read the target: %s", store_errmsg(chk));
    for (int i = 0; i < p->n && !rc; i++) {
        struct table *t = p->order[i];
        struct migrate_table_report tr;
        rc = compare_table(fresh, t->select_sqlite, chk, t->select_pg, t, &tr, err, errlen);
        if (rc)
            break;
        t->has_rows_new = tr.source_rows > 0;
        if (!tr.match)
            rc = fail(err, errlen,
                      "the target '%s' is not empty: table '%s' holds %lld rows where a new "
                      "database holds %lld%s; migrate-store copies only into a new, empty "
                      "database (createdb)",
                      shown, t->name, (long long)tr.target_rows, (long long)tr.source_rows,
                      tr.target_rows == tr.source_rows ? " with other contents" : "");
    }
    if (store_in_transaction(chk))
        store_commit(chk);
    store_close(fresh);
    return rc;
}

static void verify_audit(struct store *s, struct migrate_audit_report *a)
{
    int64_t bad = 0;
    a->result = audit_verify(s, &a->entries, &bad, a->why, sizeof(a->why), a->head);
    if (a->result != 0)
        a->head[0] = '\0';
}

/* The source path without "sqlite:", or NULL when it names no file. */
static const char *source_path(const char *from)
{
    if (!from)
        return NULL;
    if (strncmp(from, "sqlite:", 7) == 0)
        from += 7;
    if (!*from || strncmp(from, "postgres://", 11) == 0 || strncmp(from, "postgresql://", 13) == 0)
        return NULL;
    return from;
}

/* Checks the source's schema against this build's; 0 or -1. */
static int check_source_schema(struct store *src, int latest, const char *path, char *err,
                               size_t errlen)
{
    int v = store_schema_version(src);
    if (v == 0)
        return fail(err, errlen, "'%s' is not a Safeguard database (it has no schema version)",
                    path);
    if (v < latest)
        return fail(err, errlen,
                    "'%s' is at schema %d and this release at %d: upgrade the pilot to this "
                    "release first ('safeguard init --db %s' with its server stopped)",
                    path, v, latest, path);
    if (v > latest)
        return fail(err, errlen,
                    "'%s' is at schema %d, newer than this release's %d: migrate it with the "
                    "release that wrote it",
                    path, v, latest);
    return 0;
}

int migrate_store(const struct migrate_options *o, struct migrate_report *r, char *err,
                  size_t errlen)
{
    memset(r, 0, sizeof(*r));
    const char *path = source_path(o->from);
    if (!path)
        return fail(err, errlen, "--from must name the SQLite database file, as sqlite:PATH");
    if (!o->to ||
        (strncmp(o->to, "postgres://", 11) != 0 && strncmp(o->to, "postgresql://", 13) != 0))
        return fail(err, errlen, "--to must be a PostgreSQL URL, postgres://USER@HOST:PORT/NAME");
    int batch = o->batch_rows > 0 ? o->batch_rows : DEFAULT_BATCH;
    int latest = migrations_count ? migrations[migrations_count - 1].version : 0;

    struct store *src = NULL, *dst = NULL, *chk = NULL;
    struct plan p = {0};
    char e[512];
    int rc = -1;
    snprintf(r->source, sizeof(r->source), "%s", path);
    if (store_open_readonly(&src, path, e, sizeof(e)) < 0) {
        fail(err, errlen, "%s", e);
        goto out;
    }
    /* One read transaction from here to the end: every read of the source,
     * the copy and its verification alike, sees one snapshot. */
    if (store_begin_read(src) != STORE_OK) {
        fail(err, errlen, "cannot read '%s': %s", path, store_errmsg(src));
        goto out;
    }
    if (check_source_schema(src, latest, path, err, errlen) < 0)
        goto out;
    r->source_schema = store_schema_version(src);
    if (read_plan(src, &p, err, errlen) < 0)
        goto out;
    r->ntables = (size_t)p.n;
    if (!(r->tables = calloc((size_t)(p.n ? p.n : 1), sizeof(*r->tables)))) {
        fail(err, errlen, "out of memory");
        goto out;
    }

    if (!o->verify_only) {
        if (store_open(&dst, o->to, e, sizeof(e)) < 0) {
            fail(err, errlen, "%s", e);
            goto out;
        }
        snprintf(r->target, sizeof(r->target), "%s", store_path(dst));
        char **names;
        int n = read_names(dst, SQL_MIG_PG_ALL_TABLES, NULL, &names, err, errlen);
        if (n < 0)
            goto out;
        free_names(names, n);
        int before = n ? store_schema_version(dst) : 0;
        if (n > 0 && before != latest) {
            fail(err, errlen,
                 "the target '%s' already holds %d tables (schema %d): migrate-store copies "
                 "only into a new, empty database (createdb)",
                 r->target, n, before);
            goto out;
        }
        if (store_migrate(dst, e, sizeof(e)) < 0) {
            fail(err, errlen, "cannot migrate the target: %s", e);
            goto out;
        }
    }
    if (store_open_readonly(&chk, o->to, e, sizeof(e)) < 0) {
        fail(err, errlen, "%s", e);
        goto out;
    }
    snprintf(r->target, sizeof(r->target), "%s", store_path(chk));
    r->target_schema = store_schema_version(chk);
    if (r->target_schema != r->source_schema) {
        fail(err, errlen, "the target '%s' is at schema %d and the source at %d", r->target,
             r->target_schema, r->source_schema);
        goto out;
    }
    if (check_target_shape(chk, &p, err, errlen) < 0)
        goto out;

    if (!o->verify_only) {
        if (check_target_new(chk, &p, r->target, err, errlen) < 0)
            goto out;
        for (int i = 0; i < p.n; i++) {
            int64_t n = 0;
            if (copy_table(src, dst, p.order[i], batch, &n, err, errlen) < 0)
                goto out;
            r->rows_copied += n;
            if (o->progress)
                o->progress(p.order[i]->name, n, o->ctx);
        }
        if (reset_sequences(dst, &r->sequences_reset, err, errlen) < 0)
            goto out;
    }

    /* Verify through the fresh read-only connection: what a server will
     * read, not what this connection believes it wrote. */
    if (store_begin_read(chk) != STORE_OK) {
        fail(err, errlen, "cannot read the target: %s", store_errmsg(chk));
        goto out;
    }
    int all = 1;
    for (int i = 0; i < p.n; i++) {
        struct table *t = p.order[i];
        if (compare_table(src, t->select_sqlite, chk, t->select_pg, t, &r->tables[i], err, errlen) <
            0)
            goto out;
        all &= r->tables[i].match;
    }
    verify_audit(src, &r->source_audit);
    verify_audit(chk, &r->target_audit);
    r->ok = all && r->source_audit.result == 0 && r->target_audit.result == 0 &&
            r->source_audit.entries == r->target_audit.entries &&
            strcmp(r->source_audit.head, r->target_audit.head) == 0;
    rc = 0;
out:
    if (chk && store_in_transaction(chk))
        store_commit(chk);
    if (src && store_in_transaction(src))
        store_commit(src);
    store_close(chk);
    store_close(dst);
    store_close(src);
    plan_release(&p); /* after the connections: their caches point into it */
    return rc;
}

void migrate_report_release(struct migrate_report *r)
{
    free(r->tables);
    r->tables = NULL;
    r->ntables = 0;
}
