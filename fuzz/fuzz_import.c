/*
 * fuzz_import.c — libFuzzer target: inspection documents as anyone might
 * paste or upload them, through the CSV reader and the import's parser and
 * validator (no database). The first byte chooses the format: odd is CSV
 * ('c'), even is JSON ('j'); the rest is the document.
 *
 * Whatever the input: no crash, leak or read outside it; every CSV field is
 * well-formed UTF-8 without NUL; every error names its location first; a
 * document accepted as valid holds only values within the documented limits.
 */
#include "core/csv.h"
#include "core/utf8.h"
#include "modules/assurance/assurance_import.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1780315200 /* 2026-06-01T12:00:00Z */

static void read_csv(struct arena *a, const char *text, size_t len)
{
    struct csv_reader r;
    struct csv_record rec;
    char err[200];
    csv_init(&r, text, len);
    enum csv_status st;
    int last = 0;
    while ((st = csv_next(&r, a, &rec, err, sizeof(err))) != CSV_END) {
        if (rec.number != last + 1)
            abort(); /* every record is numbered, refused ones too */
        last = rec.number;
        if (st == CSV_BAD) {
            if (!err[0])
                abort();
            continue;
        }
        if (rec.nfields < 1 || rec.nfields > CSV_MAX_FIELDS)
            abort();
        for (int i = 0; i < rec.nfields; i++) {
            size_t n = strlen(rec.fields[i]);
            if (n > CSV_MAX_FIELD || !utf8_valid(rec.fields[i], n))
                abort();
        }
    }
}

static void check_doc(const struct import_doc *d, int rc)
{
    if ((rc == 0) != (d->nerrors == 0) || d->nerrors > IMPORT_MAX_ERRORS + 1)
        abort();
    for (int i = 0; i < d->nerrors; i++) {
        const struct import_error *e = &d->errors[i];
        size_t l = strlen(e->location);
        if (!e->code[0] || !l || strncmp(e->message, e->location, l) != 0 ||
            strncmp(e->message + l, ": ", 2) != 0 || !utf8_valid(e->message, strlen(e->message)))
            abort();
    }
    if (rc)
        return;
    if (!d->body || !d->title || !d->force || !d->published_on || d->nrecs < 1 ||
        d->nrecs > IMPORT_MAX_RECOMMENDATIONS)
        abort();
    for (int i = 0; i < d->nrecs; i++) {
        const struct import_recommendation *r = &d->recs[i];
        if (r->number < 1 || r->number > IMPORT_MAX_NUMBER || !r->text || r->months < 0 ||
            r->months > IMPORT_MAX_MONTHS || r->npoints > IMPORT_MAX_POINTS ||
            r->nactions > IMPORT_MAX_ACTIONS)
            abort();
        for (int k = 0; k < i; k++)
            if (d->recs[k].number == r->number)
                abort(); /* numbers are unique */
        for (int k = 0; k < r->npoints; k++)
            if (!r->points[k].label || !r->points[k].text)
                abort();
        for (int k = 0; k < r->nactions; k++)
            if (!r->actions[k].title || !r->actions[k].status)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum import_format fmt = data[0] & 1 ? IMPORT_CSV : IMPORT_JSON;
    /* An exact-size copy, so reading past the end is caught. */
    size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    memcpy(text, data + 1, len);
    struct arena *a = arena_new();
    if (fmt == IMPORT_CSV)
        read_csv(a, text, len);
    struct import_doc doc;
    int rc = assurance_import_parse(a, fmt, text, len, NOW, &doc);
    check_doc(&doc, rc);
    json_t *errors = assurance_import_errors_json(&doc);
    if (json_array_size(errors) != (size_t)doc.nerrors)
        abort(); /* every error can be sent as JSON */
    json_decref(errors);
    arena_free(a);
    free(text);
    return 0;
}
