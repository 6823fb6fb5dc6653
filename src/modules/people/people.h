/*
 * people.h — People (POLE): persons, their names and aliases, dates of birth,
 * addresses with validity periods and safeguarding flags; tolerant search and
 * the duplicate check.
 *
 * Domain functions take a store inside a transaction opened by the caller
 * (the dispatcher, or seed) and return JSON built from the database, so the
 * API, the pages and the CLI share one path. Errors come back as a struct
 * people_error naming the status, code, field and message.
 */
#ifndef SG_PEOPLE_H
#define SG_PEOPLE_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

/* Declared request bodies (also drive the OpenAPI description). */
extern const struct field person_create_fields[];
extern const struct field person_update_fields[];

/* Flag kinds a person can carry. */
extern const char *const person_flag_kinds[];

/* Called inside the write transaction after a person's addresses were
 * written (a create with addresses, or an update that sent them), so that
 * an area depending on where people live re-checks it: the offender
 * register links a child now living at a registered offender's address.
 * Returns 0, or -1 with err filled, which refuses the whole change. */
typedef int (*person_addresses_hook)(struct store *s, int64_t person_id, int64_t now,
                                     struct domain_error *err);
/* Sets the hook, once at start-up (main.c) before any request; NULL: none.
 * People depends on no area above it: the area registers itself here. */
void people_on_addresses_written(person_addresses_hook fn);

/* Creates a person from a validated body. Unless body.confirmed_new is true,
 * refuses with 409 possible_duplicate and the candidates when a likely match
 * exists. Returns the new id, or -1 with err filled. */
int64_t person_create(struct store *s, const json_t *body, int64_t now, const struct user *viewer,
                      struct domain_error *err);

/* Applies a validated partial update. `version` must equal the stored version
 * (409 version_conflict otherwise). Returns 0 or -1 with err filled. */
int person_update(struct store *s, int64_t id, const json_t *body, int64_t version, int64_t now,
                  struct domain_error *err);

/* The full record as JSON (new reference), with age and child status
 * computed on the date of `now`; NULL when there is no such person. */
json_t *person_get(struct store *s, int64_t id, int64_t now);

/* Restricted records: the viewer (NULL for system work such as seeding)
 * only ever sees restricted people whose restriction names their role or
 * team; others are left out of duplicates and results alike.
 * Ranked tolerant search. q may be NULL when dob is given. Returns
 * {"results":[...],"total":N,"page":P,"per_page":K} or NULL with err. */
json_t *person_search(struct store *s, const char *q, const char *dob, int page, int per_page,
                      int64_t now, const struct user *viewer, struct domain_error *err);

/* Counts for the data quality page: people, without a date of birth,
 * likely duplicates (same name and date of birth), by age band on the date
 * of now. Aggregates only (new reference). */
json_t *person_data_quality(struct store *s, int64_t now);

/* Writes the person's search keys (after any change to names). Returns
 * STORE_OK or the store's failure code (STORE_FULL on a full disk...). */
int person_index_names(struct store *s, int64_t id);

#endif
