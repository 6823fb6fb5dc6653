/*
 * referrals_internal.h — what the referrals area's own files share; nothing
 * outside src/modules/referrals includes it.
 */
#ifndef SG_REFERRALS_INTERNAL_H
#define SG_REFERRALS_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"

struct store;
struct stmt;
struct user;

void referral_bind_user(struct stmt *st, int idx, const struct user *u);
/* Appends to the referral's history (agency_id 0: none). A store code. */
int referral_event(struct store *s, int64_t id, const char *kind, const char *text,
                   const struct user *u, int64_t agency_id, int64_t now);
/* The row as the rules read it, with its deadlines (new reference), or NULL. */
json_t *referral_core_get(struct store *s, int64_t id);
/* Every change ends here: version and updated_at, then the rules. */
int referral_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err);
/* {categories, members} of a referral; members named when viewer may see
 * them (viewer NULL: always). */
json_t *referral_parts_json(struct store *s, int64_t id, const struct user *viewer);
/* The active agency with this name (a partner user's), or 0. */
int64_t agency_id_by_name(struct store *s, const char *name);

#endif
