/*
 * seed_data.h - embedded word lists for synthetic demo people (safeguard seed).
 *
 * `safeguard seed` draws from these lists to build demo people deterministically. Names are
 * common given names and family names combined at random, and addresses are invented
 * street/town pairings, so no real person is represented. Plain data only; see seed_data.c.
 */
#ifndef SAFEGUARD_MODULES_PEOPLE_SEED_DATA_H
#define SAFEGUARD_MODULES_PEOPLE_SEED_DATA_H

#include <stddef.h>

/* A read-only list of ASCII strings and its length. */
struct seed_list {
    const char *const *items;
    size_t count;
};

extern const struct seed_list seed_given_female;       /* common UK female given names */
extern const struct seed_list seed_given_male;         /* common UK male given names */
extern const struct seed_list seed_family;             /* common UK family names */
extern const struct seed_list seed_streets;            /* street names, no house number */
extern const struct seed_list seed_towns;              /* Warwickshire / West Midlands towns */
extern const struct seed_list seed_postcode_districts; /* outward codes, index-aligned with towns */
extern const struct seed_list seed_ethnicities;        /* self-defined style free text */
extern const struct seed_list seed_local_authorities;  /* English local authority names */

#endif /* SAFEGUARD_MODULES_PEOPLE_SEED_DATA_H */
