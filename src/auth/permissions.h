/*
 * permissions.h — the permission enum, generated from permissions.def so the
 * names used in routes, roles, docs and tests come from one list.
 */
#ifndef SG_PERMISSIONS_H
#define SG_PERMISSIONS_H

enum permission {
#define PERM(id, name) PERM_##id,
#include "auth/permissions.def"
#undef PERM
    PERM__COUNT
};

/* The dotted name of a permission ("people.read"). */
const char *permission_name(enum permission p);

#endif
