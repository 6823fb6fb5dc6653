/*
 * roles.h — the roles Safeguard ships and the permissions each holds.
 *
 * One table (roles.c) decides who may do what; routes name permissions, never
 * roles, so a force can reason about access from that table alone
 * (docs/security.md prints it). Permission sets are bitsets over
 * enum permission.
 */
#ifndef SG_ROLES_H
#define SG_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/permissions.h"

#define PERMSET_WORDS 2
_Static_assert(PERM__COUNT <= 64 * PERMSET_WORDS, "grow PERMSET_WORDS");

struct permset {
    uint64_t w[PERMSET_WORDS];
};

static inline void permset_add(struct permset *s, enum permission p)
{
    s->w[p / 64] |= (uint64_t)1 << (p % 64);
}

static inline bool permset_has(const struct permset *s, enum permission p)
{
    return (s->w[p / 64] >> (p % 64)) & 1;
}

struct role_def {
    const char *name;
    const char *title;            /* shown to people */
    const char *description;      /* what the role is for */
    const enum permission *perms; /* terminated by PERM_NONE */
};

/* How many roles there are: the most a list of roles in a request can
 * hold (roles.c checks it against the table). */
#define ROLE_COUNT 15

extern const struct role_def role_defs[];
/* Role names, NULL-terminated (for validating input). */
extern const char *const role_names[];
extern const int role_count;

/* The role by name, or NULL. */
const struct role_def *role_find(const char *name);
/* Adds a role's permissions (and AUTHENTICATED) to a set. */
void role_grant(const struct role_def *r, struct permset *s);

#endif
