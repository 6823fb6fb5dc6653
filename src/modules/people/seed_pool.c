/*
 * seed_pool.c — the people and demo users the demo seeders share (see
 * seed_pool.h).
 */
#include "modules/people/seed_pool.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "core/date.h"
#include "http/validate.h"
#include "modules/people/people.h"

#include <jansson.h>
#include <stdlib.h>

#define MAX_PROBE  50000 /* person ids looked at when choosing people */
#define MAX_MISSES 256   /* consecutive missing ids that end the look */

int seed_pool_add(struct seed_pool *p, int64_t id)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        int64_t *ids = realloc(p->ids, cap * sizeof(*ids));
        if (!ids)
            return -1;
        p->ids = ids;
        p->cap = cap;
    }
    p->ids[p->n++] = id;
    return 0;
}

int seed_find_people(struct store *s, int64_t now, int span_days, const struct user *viewer,
                     struct seed_pool *children, struct seed_pool *adults)
{
    struct civil_date today = date_of_ts(now);
    struct civil_date first = date_from_days(date_to_days(&today) - span_days - 1);
    struct civil_date year_before = date_from_days(date_to_days(&first) - 366);
    int misses = 0;
    for (int64_t id = 1; id <= MAX_PROBE && misses < MAX_MISSES; id++) {
        json_t *p = person_get(s, id, now);
        if (!p) {
            misses++;
            continue;
        }
        misses = 0;
        const char *dob_s = jstr(p, "dob");
        struct civil_date dob;
        int rc = 0;
        if (dob_s && date_parse(dob_s, &dob) == 0 && auth_person_visible(s, id, viewer)) {
            if (is_child_on(&dob, &today) && date_compare(&dob, &year_before) <= 0)
                rc = children ? seed_pool_add(children, id) : 0;
            else if (!is_child_on(&dob, &first) && date_compare(&dob, &first) <= 0)
                rc = adults ? seed_pool_add(adults, id) : 0;
        }
        json_decref(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

const struct user *seed_demo_user(struct store *s, const char *name, struct user *u)
{
    int64_t id = users_find(s, name);
    int disabled = 0;
    if (id <= 0 || user_load(s, id, u, &disabled) < 0 || disabled)
        return NULL;
    return u;
}
