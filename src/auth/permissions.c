/* permissions.c — names of the permissions in permissions.def. */
#include "auth/permissions.h"

static const char *const names[] = {
#define PERM(id, name) name,
#include "auth/permissions.def"
#undef PERM
};

const char *permission_name(enum permission p)
{
    return (unsigned)p < PERM__COUNT ? names[p] : "invalid";
}
