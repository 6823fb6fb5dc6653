/*
 * investigations_internal.h — what the investigations area's own files
 * share; nothing outside src/modules/investigations includes it.
 */
#ifndef SG_INVESTIGATIONS_INTERNAL_H
#define SG_INVESTIGATIONS_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"

struct store;
struct stmt;
struct user;

void inv_bind_user(struct stmt *st, int idx, const struct user *u);
int inv_event(struct store *s, int64_t id, const char *kind, const char *text, const struct user *u,
              int64_t now);
/* The row as the rules read it (new reference), or NULL. */
json_t *inv_core_get(struct store *s, int64_t id);
/* Every change ends here: version and updated_at, then the rules. */
int inv_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err);
/* The investigation for a change: 404, or 409 when closed. */
json_t *inv_load_for_change(struct store *s, int64_t id, struct domain_error *err);
/* What the category needs of a team, and of an officer. */
const char *inv_required_specialism(const char *category);
int inv_required_pip(int complexity);
bool inv_needs_child_specialist(const char *category);

#endif
