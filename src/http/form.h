/*
 * form.h — HTML form posts (application/x-www-form-urlencoded) turned into the
 * same JSON the API takes, so a form and its API twin pass through one
 * validator and one handler.
 *
 * Names follow the validator's field paths: "given_name", "addresses[0].line1",
 * "restricted_to.teams", "grades.voice_recorded.reason" (a FIELD_MAP member);
 * a repeated name fills an array ("roles" checkboxes), and "list[].field"
 * appends a row of its own (checkboxes choosing rows: "agencies[].id").
 * GOV.UK date inputs ("dob-day", "dob-month", "dob-year") are joined into one
 * "dob" written YYYY-MM-DD (or left malformed, so the validator names "dob").
 * Blank inputs are left out (on a change, a blank nullable field clears it),
 * and an array row or map member whose inputs are all blank is dropped. "csrf_token" and
 * "_method" are taken out before validation.
 */
#ifndef SG_FORM_H
#define SG_FORM_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"
#include "http/validate.h"

#define FORM_MAX_PAIRS 500

struct form_pair {
    const char *name;
    const char *value;
};

/* Parses a urlencoded body into arena-owned pairs. Returns the count, or -1
 * when malformed (a bad %-escape, a NUL, more than FORM_MAX_PAIRS pairs). */
int form_parse(struct arena *a, const char *body, size_t len, struct form_pair **out);

/* Builds the JSON object for the declared fields (new reference). is_update
 * turns blank nullable fields into null. *csrf and *method receive the special
 * fields (or NULL). */
json_t *form_to_json(struct arena *a, const struct form_pair *pairs, int n,
                     const struct field *fields, int is_update, const char **csrf,
                     const char **method);

#endif
