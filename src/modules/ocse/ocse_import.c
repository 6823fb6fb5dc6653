/*
 * ocse_import.c — a batch of online referrals from a national agency, in JSON
 * (an array of referral objects, each as POST /api/online-referrals takes)
 * or CSV (one row per identifier: source, source_reference, received_at,
 * platform, content_category, summary, enquiries, identifier_kind,
 * identifier_value, seen_at; rows with the same source and reference make
 * one referral). Every row is checked and every fault listed with its row;
 * nothing is imported unless all is well (the caller's transaction rolls
 * back on -1).
 */
#include "core/arena.h"
#include "core/csv.h"
#include "modules/ocse/ocse.h"
#include "modules/ocse/ocse_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_ERRORS    100
#define MAX_REFERRALS 500

static const char *const csv_columns[] = {
    "source",           "source_reference", "received_at", "platform",
    "content_category", "summary",          "enquiries",   "identifier_kind",
    "identifier_value", "seen_at",          NULL};

static void add_error(json_t *errors, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_error(json_t *errors, const char *field, const char *code, const char *fmt, ...)
{
    if (json_array_size(errors) >= MAX_ERRORS)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_array_append_new(
        errors, json_pack("{s:s, s:s, s:s}", "field", field, "code", code, "message", msg));
}

/* CSV rows → the same JSON documents the API takes, grouped by source and
 * reference, in first-seen order. */
static json_t *csv_documents(const char *content, json_t *errors)
{
    struct arena *a = arena_new();
    struct csv_reader r;
    csv_init(&r, content, strlen(content));
    struct csv_record rec;
    char err[200];
    int col[16];
    int ncols = 0;
    json_t *docs = json_array();
    enum csv_status st = csv_next(&r, a, &rec, err, sizeof(err));
    if (st != CSV_RECORD) {
        add_error(errors, "content", "missing_header",
                  "row 1: the first row must name the columns (%s)",
                  "source, source_reference, received_at, platform, content_category, summary, "
                  "enquiries, identifier_kind, identifier_value, seen_at");
        arena_free(a);
        return docs;
    }
    for (int i = 0; i < rec.nfields && i < 16; i++) {
        col[i] = -1;
        for (int k = 0; csv_columns[k]; k++)
            if (strcmp(csv_columns[k], rec.fields[i]) == 0)
                col[i] = k;
        if (col[i] < 0)
            add_error(errors, "content", "unknown_column", "row 1: '%.40s' is not a column",
                      rec.fields[i]);
        ncols++;
    }
    for (int k = 0; k < 9; k++) { /* all but seen_at, summary and enquiries are needed */
        if (k == 5 || k == 6)
            continue;
        bool found = false;
        for (int i = 0; i < ncols; i++)
            found = found || col[i] == k;
        if (!found)
            add_error(errors, "content", "missing_column", "row 1: the column '%s' is missing",
                      csv_columns[k]);
    }
    if (json_array_size(errors)) {
        arena_free(a);
        return docs;
    }
    json_t *by_key = json_object();
    while ((st = csv_next(&r, a, &rec, err, sizeof(err))) != CSV_END) {
        char where[32];
        snprintf(where, sizeof(where), "row %d", rec.number);
        if (st == CSV_BAD) {
            add_error(errors, "content", "invalid_csv", "%s: %s", where, err);
            continue;
        }
        if (rec.blank)
            continue;
        if (rec.nfields != ncols) {
            add_error(errors, "content", "wrong_columns", "%s: has %d fields; the header has %d",
                      where, rec.nfields, ncols);
            continue;
        }
        const char *v[10] = {0};
        for (int i = 0; i < ncols; i++)
            if (col[i] >= 0 && rec.fields[i][0])
                v[col[i]] = rec.fields[i];
        char key[512];
        snprintf(key, sizeof(key), "%s\x1f%s", v[0] ? v[0] : "", v[1] ? v[1] : "");
        json_t *doc = json_object_get(by_key, key);
        if (!doc) {
            if (json_array_size(docs) >= MAX_REFERRALS) {
                add_error(errors, "content", "too_many", "%s: at most %d referrals in a batch",
                          where, MAX_REFERRALS);
                break;
            }
            doc = json_object();
            static const char *const keys[] = {"source",   "source_reference", "received_at",
                                               "platform", "content_category", "summary",
                                               "enquiries"};
            for (int k = 0; k < 7; k++)
                if (v[k])
                    json_object_set_new(doc, keys[k], json_string(v[k]));
            json_object_set_new(doc, "identifiers", json_array());
            json_object_set_new(doc, "_row", json_integer(rec.number));
            json_object_set(by_key, key, doc);
            json_array_append_new(docs, doc);
        }
        json_t *id = json_object();
        if (v[7])
            json_object_set_new(id, "kind", json_string(v[7]));
        if (v[8])
            json_object_set_new(id, "value", json_string(v[8]));
        if (v[9])
            json_object_set_new(id, "seen_at", json_string(v[9]));
        json_object_set_new(id, "_row", json_integer(rec.number));
        json_array_append_new(json_object_get(doc, "identifiers"), id);
    }
    json_decref(by_key);
    arena_free(a);
    return docs;
}

int ocse_import(struct store *s, const char *format, const char *content, const struct user *u,
                int64_t now, struct domain_error *err)
{
    json_t *errors = json_array(), *docs;
    bool csv = strcmp(format, "csv") == 0;
    if (csv) {
        docs = csv_documents(content, errors);
    } else {
        json_error_t je;
        docs = json_loads(content, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_array(docs)) {
            add_error(errors, "content", "invalid_json",
                      docs ? "the document must be a list of referrals ([...])"
                           : "line %d, column %d: is not valid JSON: %.200s",
                      je.line, je.column, je.text);
            json_decref(docs);
            docs = json_array();
        } else if (json_array_size(docs) > MAX_REFERRALS) {
            add_error(errors, "content", "too_many", "at most %d referrals in a batch",
                      MAX_REFERRALS);
        }
    }
    if (!json_array_size(docs) && !json_array_size(errors))
        add_error(errors, "content", "empty", "the batch holds no referrals");
    /* Every document checked against the same declared fields as the API. */
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d)
    {
        char where[48];
        if (csv)
            snprintf(where, sizeof(where), "row %lld",
                     (long long)json_integer_value(json_object_get(d, "_row")));
        else
            snprintf(where, sizeof(where), "[%zu]", i);
        if (!json_is_object(d)) {
            add_error(errors, where, "invalid_type", "%s: must be an object", where);
            continue;
        }
        json_t *clean = json_deep_copy(d);
        json_object_del(clean, "_row");
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(clean, "identifiers"), k, x)
        {
            if (json_is_object(x))
                json_object_del(x, "_row");
        }
        struct verror ve;
        if (validate_object(clean, ocse_create_fields, &ve) < 0) {
            json_t *idf = json_object_get(d, "identifiers");
            /* In CSV, a fault in identifiers[k] is that identifier's row. */
            int k2 = -1;
            if (csv && sscanf(ve.field, "identifiers[%d]", &k2) == 1 && k2 >= 0)
                snprintf(where, sizeof(where), "row %lld",
                         (long long)json_integer_value(
                             json_object_get(json_array_get(idf, (size_t)k2), "_row")));
            add_error(errors, where, ve.code, "%s: %s", where, ve.message);
        } else if (json_array_size(json_object_get(clean, "identifiers")) == 0) {
            add_error(errors, where, "missing_field", "%s: give at least one identifier", where);
        }
        json_decref(clean);
    }
    int made = 0;
    if (!json_array_size(errors)) {
        json_array_foreach(docs, i, d)
        {
            json_t *clean = json_deep_copy(d);
            json_object_del(clean, "_row");
            size_t k;
            json_t *x;
            json_array_foreach(json_object_get(clean, "identifiers"), k, x)
            {
                json_object_del(x, "_row");
            }
            char where[48];
            snprintf(where, sizeof(where), csv ? "row %lld: " : "[%lld].",
                     csv ? (long long)json_integer_value(json_object_get(d, "_row"))
                         : (long long)i);
            int64_t id = ocse_insert(s, clean, u, now, where, err);
            json_decref(clean);
            if (id < 0) {
                /* A duplicate or a bad value found while inserting: listed
                 * like the rest, and everything rolls back. */
                add_error(errors, err->field[0] ? err->field : where, err->code, "%s",
                          err->message);
                break;
            }
            made++;
        }
    }
    json_decref(docs);
    if (json_array_size(errors)) {
        json_t *first = json_array_get(errors, 0);
        domain_fail(err, 422, jstr(first, "code"), jstr(first, "field"), "%s%s",
                    jstr(first, "message"),
                    json_array_size(errors) > 1 ? " (and more: see 'errors')" : "");
        err->errors = errors;
        return -1;
    }
    json_decref(errors);
    return made;
}
