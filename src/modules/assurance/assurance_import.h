/*
 * assurance_import.h — further inspections, imported from a document (JSON
 * or CSV text), and the inspections recorded so far
 * (docs/assurance-import.md).
 *
 * Invariants:
 *  - All or nothing. A document is parsed and validated as a whole before
 *    anything is written; when anything is wrong nothing is, and every fault
 *    is reported (up to IMPORT_MAX_ERRORS), each with its location in the
 *    document ("recommendations[2].timescale" in JSON, "row 4, timescale" in
 *    CSV) and a message that starts with that location.
 *  - One document is one inspection. It is refused when an inspection with
 *    the same body, force, title and publication date is already recorded.
 *  - Every size is capped before it is used: the document, the number of
 *    recommendations, sub-points, actions and errors, and every text.
 *  - Due dates are derived with assurance_due_on(), as for the seeded
 *    inspection, from the publication date and the timescale.
 *  - A parsed document lives on the caller's arena; nothing here keeps state.
 */
#ifndef SG_ASSURANCE_IMPORT_H
#define SG_ASSURANCE_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "http/domain_error.h"

struct store;

#define IMPORT_MAX_BYTES           (512 * 1024) /* the document, in bytes */
#define IMPORT_MAX_RECOMMENDATIONS 200
#define IMPORT_MAX_POINTS          26 /* sub-points of one recommendation */
#define IMPORT_MAX_ACTIONS         20 /* actions of one recommendation (JSON only) */
#define IMPORT_MAX_ERRORS          100
#define IMPORT_MAX_NUMBER          999 /* recommendation numbers are 1..999 */
#define IMPORT_MAX_MONTHS          60  /* "within N months": N is 1..60 */

/* Longest texts, in characters. */
#define IMPORT_MAX_BODY_CHARS   100
#define IMPORT_MAX_TITLE_CHARS  200
#define IMPORT_MAX_FORCE_CHARS  100
#define IMPORT_MAX_TEXT_CHARS   4000 /* a recommendation's text */
#define IMPORT_MAX_OWNER_CHARS  200
#define IMPORT_MAX_LABEL_CHARS  10
#define IMPORT_MAX_POINT_CHARS  2000
#define IMPORT_MAX_ACTION_CHARS 500 /* an action's title */

enum import_format { IMPORT_JSON, IMPORT_CSV };

/* One fault. message starts with the location: "row 4, timescale: ...".
 * Both are well-formed UTF-8, and a message fits a domain_error's. */
struct import_error {
    char code[32];
    char location[128];
    char message[480];
};

struct import_point {
    const char *label, *text;
};

struct import_action {
    const char *title, *owner, *due_on, *status; /* owner, due_on may be NULL */
};

struct import_recommendation {
    int number;
    const char *text, *owner; /* owner may be NULL */
    int months;               /* 0: immediately */
    struct import_point *points;
    int npoints;
    struct import_action *actions;
    int nactions;
    const char **measures; /* registry keys to show against it (JSON only) */
    int nmeasures;
};

struct import_doc {
    enum import_format format;
    const char *body, *title, *force, *published_on;
    struct import_recommendation *recs;
    int nrecs;
    /* nerrors faults in document order; past IMPORT_MAX_ERRORS one entry
     * says how many more were found, and an inspection already recorded
     * is always reported */
    struct import_error *errors;
    int nerrors;
};

/* "json" or "csv" (any case) into *out; -1 for anything else. */
int assurance_import_format(const char *name, enum import_format *out);

/* Parses and validates the len bytes at text (no NUL needed) as an inspection
 * document, into *doc (arena-owned). now gives today: a publication date may
 * not be after it. Returns 0 when the document is valid, or -1 with
 * doc->errors. Touches no database. */
int assurance_import_parse(struct arena *a, enum import_format fmt, const char *text, size_t len,
                           int64_t now, struct import_doc *doc);

/* Parses and validates the document, checks that the inspection is not
 * already recorded, and inserts it with its recommendations, sub-points and
 * actions in the caller's write transaction. Returns the new inspection's id.
 * On refusal returns -1 with doc->errors and err set to the first of them
 * (422, field "content"); on a store failure returns -1 with doc->nerrors 0
 * and err set (503/500). The caller rolls back on -1. */
int64_t assurance_import(struct store *s, struct arena *a, enum import_format fmt, const char *text,
                         size_t len, int64_t now, struct import_doc *doc, struct domain_error *err);

/* The document's errors as the API lists them (new reference):
 * [{status, code, field: "content", location, message}]. */
json_t *assurance_import_errors_json(const struct import_doc *doc);

/* One inspection with its recommendations (due dates), sub-points and
 * actions (new reference), or NULL when there is none. */
json_t *assurance_inspection_json(struct store *s, int64_t id);

/* Every inspection, newest first: {inspections:[{id, body, title, force,
 * published_on, recommendations}]} with recommendations a count (new
 * reference), or NULL on a store failure. */
json_t *assurance_inspection_list(struct store *s);

#endif
