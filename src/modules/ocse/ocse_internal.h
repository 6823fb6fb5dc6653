/*
 * ocse_internal.h — what the online referrals area's own files share;
 * nothing outside src/modules/ocse includes it.
 */
#ifndef SG_OCSE_INTERNAL_H
#define SG_OCSE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct stmt;
struct user;

extern const char *const ocse_categories[];
extern const char *const ocse_identifier_kinds[];
extern const struct field ocse_identifier_fields[];

void ocse_bind_user(struct stmt *st, int idx, const struct user *u);
int ocse_event(struct store *s, int64_t id, const char *kind, const char *text,
               const struct user *u, int64_t now);
json_t *ocse_core_get(struct store *s, int64_t id);
/* Re-scores from the facts held, then the rules: every change ends here. */
int ocse_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err);
/* Inserts one validated referral; `where` prefixes field names in errors
 * ("[3]." for the fourth of a batch). The id, or -1 with err. */
int64_t ocse_insert(struct store *s, const json_t *body, const struct user *u, int64_t now,
                    const char *where, struct domain_error *err);
/* The one form of an identifier (false when nothing usable is left). */
bool ocse_normalise(const char *kind, const char *in, char *out, size_t cap);

#endif
