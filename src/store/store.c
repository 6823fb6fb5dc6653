/*
 * store.c — the store.h interface: picks the backend from the database name
 * (a postgres:// URL or a file path) and forwards each call to it, plus the
 * helpers built only from the interface itself (rows as JSON).
 */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

int store_is_postgres(const char *path)
{
    return path &&
           (strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0);
}

int store_open(struct store **out, const char *path, char *err, size_t errlen)
{
    return store_is_postgres(path) ? store_pg_open(out, path, 0, err, errlen)
                                   : store_sqlite_open(out, path, 0, err, errlen);
}

int store_open_readonly(struct store **out, const char *path, char *err, size_t errlen)
{
    return store_is_postgres(path) ? store_pg_open(out, path, 1, err, errlen)
                                   : store_sqlite_open(out, path, 1, err, errlen);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

int store_set_max_pages(struct store *s, long max_pages)
{
    return s->ops->set_max_pages(s, max_pages);
}

const char *store_errmsg(struct store *s)
{
    return s->ops->errmsg(s);
}

const char *store_path(struct store *s)
{
    return s->path;
}

const char *store_backend(struct store *s)
{
    return s->ops->name;
}

int store_migrate(struct store *s, char *err, size_t errlen)
{
    return s->ops->migrate(s, err, errlen);
}

int store_schema_version(struct store *s)
{
    return s->ops->schema_version(s);
}

int store_begin_read(struct store *s)
{
    return s->ops->begin(s, 0);
}

int store_begin_write(struct store *s)
{
    return s->ops->begin(s, 1);
}

int store_begin_snapshot(struct store *s)
{
    return s->ops->in_transaction(s) ? STORE_ERROR : s->ops->begin(s, 2);
}

int store_snapshot_wrote(struct store *s)
{
    return s->ops->snapshot_wrote(s);
}

int store_commit(struct store *s)
{
    return s->ops->commit(s);
}

int store_rollback(struct store *s)
{
    return s->ops->rollback(s);
}

int store_in_transaction(struct store *s)
{
    return s->ops->in_transaction(s);
}

struct stmt *store_prepare(struct store *s, const char *sql)
{
    return s->ops->prepare(s, sql);
}

int store_exec(struct store *s, const char *sql)
{
    return s->ops->exec(s, sql);
}

int64_t store_changes(struct store *s)
{
    return s->ops->changes(s);
}

int store_backup(struct store *s, const char *dest_path, char *err, size_t errlen)
{
    return s->ops->backup(s, dest_path, err, errlen);
}

int store_integrity_check(struct store *s, char *err, size_t errlen)
{
    return s->ops->integrity_check(s, err, errlen);
}

int store_explain(struct store *s, const char *sql, char *out, size_t outlen)
{
    return s->ops->explain(s, sql, out, outlen);
}

int store_defer_indexes(struct store *s, const char *table, const char *keep,
                        struct store_deferred *d)
{
    return s->ops->defer_indexes(s, table, keep, d);
}

/* The same for every backend: each kept definition is plain SQL. */
int store_rebuild_indexes(struct store *s, struct store_deferred *d,
                          void (*progress)(size_t done, size_t total))
{
    int rc = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (rc == 0 && store_exec(s, d->sql[i]) != STORE_OK)
            rc = -1;
        free(d->sql[i]);
        if (progress)
            progress(i + 1, d->n);
    }
    free(d->sql);
    *d = (struct store_deferred){0};
    return rc;
}

int store_bulk_cache(struct store *s, int mb)
{
    return s->ops->bulk_cache(s, mb);
}

int store_analyze(struct store *s)
{
    return s->ops->analyze(s);
}

/* Keeps one index definition in d (a copy); 0, or -1 out of memory. */
int store_deferred_add(struct store_deferred *d, const char *sql)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        char **v = realloc(d->sql, cap * sizeof(*v));
        if (!v)
            return -1;
        d->sql = v;
        d->cap = cap;
    }
    if (!(d->sql[d->n] = strdup(sql)))
        return -1;
    d->n++;
    return 0;
}

void stmt_bind_text(struct stmt *st, int idx, const char *v)
{
    st->store->ops->bind_text(st, idx, v);
}

void stmt_bind_int(struct stmt *st, int idx, int64_t v)
{
    st->store->ops->bind_int(st, idx, v);
}

void stmt_bind_double(struct stmt *st, int idx, double v)
{
    st->store->ops->bind_double(st, idx, v);
}

void stmt_bind_null(struct stmt *st, int idx)
{
    st->store->ops->bind_null(st, idx);
}

int stmt_step(struct stmt *st)
{
    return st->store->ops->step(st);
}

void stmt_reset(struct stmt *st)
{
    st->store->ops->reset(st);
}

int stmt_returning_id(struct stmt *st, int64_t *id)
{
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        *id = stmt_int(st, 0);
    stmt_reset(st);
    return rc == STORE_ROW ? STORE_OK : rc < 0 ? rc : STORE_ERROR;
}

int store_exec_stmt(struct stmt *st)
{
    int rc = stmt_step(st);
    stmt_reset(st);
    return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}

const char *stmt_text(struct stmt *st, int col)
{
    return st->store->ops->text(st, col);
}

int64_t stmt_int(struct stmt *st, int col)
{
    return st->store->ops->int64(st, col);
}

double stmt_double(struct stmt *st, int col)
{
    return st->store->ops->dbl(st, col);
}

int stmt_is_null(struct stmt *st, int col)
{
    return st->store->ops->is_null(st, col);
}

int stmt_column_count(struct stmt *st)
{
    return st->store->ops->column_count(st);
}

const char *stmt_column_name(struct stmt *st, int col)
{
    return st->store->ops->column_name(st, col);
}

json_t *stmt_json_text(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col));
}

json_t *stmt_json_int(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_integer(stmt_int(st, col));
}

json_t *stmt_row_object(struct stmt *st, const struct column_spec *cols, int ncols)
{
    json_t *o = json_object();
    for (int i = 0; i < ncols; i++) {
        json_t *v = stmt_is_null(st, i)   ? json_null()
                    : cols[i].type == 's' ? json_string(stmt_text(st, i))
                    : cols[i].type == 'b' ? json_boolean(stmt_int(st, i) != 0)
                                          : json_integer((json_int_t)stmt_int(st, i));
        json_object_set_new(o, cols[i].name, v);
    }
    return o;
}

json_t *store_rows_by_id(struct store *s, const char *sql, int64_t id,
                         const struct column_spec *cols, int ncols)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, stmt_row_object(st, cols, ncols));
    stmt_reset(st);
    return arr;
}
