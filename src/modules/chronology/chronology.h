/*
 * chronology.h — one child, one view (issue 15): the child's chronology
 * across every area, the risk summary derived from the records, the people
 * linked to the child, the export for a strategy discussion, a partner
 * agency's narrow view, and the board of every child at risk now.
 *
 * Nothing is stored: every view is read from the areas' own records through
 * three declarative tables of sources (chronology_sources.c):
 *   chron_sources[]       one timeline source per area (SQL + permission)
 *   chron_connections[]   how other people are linked to the child
 *   chron_board[]         one source per "at risk now" state (missing, police
 *                         protection; custody when it is merged)
 * Adding an area is one row in a table (docs/chronology.md).
 *
 * Invariants:
 *  - A viewer sees an area's entries only when they hold that area's read
 *    permission (the source's permission), so the chronology never shows
 *    more than the areas' own pages would; restricted people the viewer may
 *    not see are named "Restricted" in connections and on the board.
 *  - Entries are newest first; ties keep the source order, then the newest
 *    row first, so the timeline is deterministic.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_CHRONOLOGY_H
#define SG_CHRONOLOGY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/permissions.h"
#include "http/domain_error.h"

struct store;
struct user;
struct buf;

/* A timeline source: an area's records as entries (contract in chronology_sql.h). */
struct chron_source {
    const char *area;     /* the filter value: "missing" */
    const char *label;    /* "Missing" */
    enum permission perm; /* the area's read permission */
    const char *sql;      /* bound ?1 = person id */
    const char *link;     /* the record's page, before its id: "/missing/" */
};

/* A connection source: people linked to the child through one kind of record. */
struct chron_connection {
    enum permission perm;
    const char *sql;  /* bound ?1 = person id */
    const char *link; /* the linking record's page, before its id */
};

/* A board source: every child in one "at risk now" state. */
struct chron_board_source {
    const char *state;       /* "missing" */
    const char *label;       /* "Missing" */
    enum permission perm;    /* the area's read permission */
    const char *sql;         /* unbound; one row per child in the state */
    const char *version_sql; /* one text value that changes when the rows may have */
    const char *link;        /* the record's page, before its id */
};

extern const struct chron_source chron_sources[];
extern const size_t chron_source_count;
extern const struct chron_connection chron_connections[];
extern const size_t chron_connection_count;
extern const struct chron_board_source chron_board[];
extern const size_t chron_board_count;

/* What a chronology read asks for; NULL/0 for no filter. from and to are
 * UK days (inclusive); from_ts/to_ts their bounds [from_ts, to_ts). */
struct chron_filter {
    const char *area;
    const char *from, *to;
    int64_t from_ts, to_ts;
};

/* Parses ?area=&from=&to= into f (strings are borrowed). 0, or -1 with err
 * naming the field (422). */
int chronology_filter_parse(const char *area, const char *from, const char *to,
                            struct chron_filter *f, struct domain_error *err);

/* The child's chronology for viewer u: person, filters, summary,
 * connections and entries (new reference), or NULL with err (404 when there
 * is no such person). */
json_t *chronology_get(struct store *s, int64_t person_id, const struct chron_filter *f,
                       const struct user *u, int64_t now, struct domain_error *err);

/* A partner agency user's view of a child: only the steps of referrals
 * about the child that were sent to the user's agency. 404 when none were
 * (the same answer as for no such person). */
json_t *chronology_portal(struct store *s, int64_t person_id, const struct user *u, int64_t now,
                          struct domain_error *err);

/* The chronology (chronology_get's or chronology_portal's JSON) as an A4
 * PDF marked OFFICIAL-SENSITIVE, appended to out. Pages, or -1 with err. */
int chronology_pdf(const json_t *chron, const struct user *u, int64_t now, struct buf *out,
                   struct domain_error *err);

/* Every child at risk now, soonest deadline first (new reference), or NULL
 * with err. */
json_t *chronology_board(struct store *s, const struct user *u, int64_t now,
                         struct domain_error *err);

/* The board's change token (no personal data): the live board fetches the
 * board again only when it changes. 0, or -1 on a store failure. */
int chronology_board_version(struct store *s, const struct user *u, char *out, size_t cap);

/* "3 days 4 h", "2 h 5 min", "12 min" for a duration in seconds. */
void chronology_duration(int64_t secs, char *out, size_t cap);

#endif
