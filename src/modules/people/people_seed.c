/*
 * people_seed.c — synthetic people. Names are drawn at random from embedded
 * lists of common UK names (seed_data.c), dates of birth spread across ages
 * 0-90 with children over-represented as they are in a child-protection
 * system, addresses invented from street and town lists. No real person is
 * represented. Records go through person_create(), the same path as the API.
 */
#include "modules/people/people_seed.h"
#include "core/date.h"
#include "modules/people/people.h"
#include "modules/people/seed_data.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>

/* splitmix64: tiny, fast, and the same everywhere, so seeds reproduce. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next(s) % n);
}

static const char *from(uint64_t *s, const struct seed_list *l)
{
    return l->items[pick(s, (unsigned)l->count)];
}

static json_t *make_person(uint64_t *rng, int64_t now)
{
    int female = pick(rng, 2);
    const char *given = from(rng, female ? &seed_given_female : &seed_given_male);
    const char *family = from(rng, &seed_family);
    /* 40% children: the people a child-protection system records most. */
    int age_days =
        pick(rng, 100) < 40 ? (int)pick(rng, 18 * 365) : 18 * 365 + (int)pick(rng, 72 * 365);
    struct civil_date today = date_of_ts(now);
    struct civil_date dob = date_from_days(date_to_days(&today) - age_days);
    char dobs[DATE_TEXT_LEN];
    date_format(&dob, dobs);
    json_t *p = json_pack("{s:s, s:s, s:b}", "given_name", given, "family_name", family,
                          "confirmed_new", 1);
    unsigned r = pick(rng, 100);
    if (r < 3) {
        json_object_set_new(p, "dob", json_null()); /* unknown date of birth */
    } else {
        json_object_set_new(p, "dob", json_string(dobs));
        json_object_set_new(p, "dob_accuracy", json_string(r < 6 ? "approximate" : "exact"));
    }
    json_object_set_new(p, "gender", json_string(female ? "female" : "male"));
    if (pick(rng, 100) < 70)
        json_object_set_new(p, "ethnicity", json_string(from(rng, &seed_ethnicities)));
    unsigned town = pick(rng, (unsigned)seed_towns.count);
    char line1[128], postcode[16];
    snprintf(line1, sizeof(line1), "%u %s", 1 + pick(rng, 180), from(rng, &seed_streets));
    snprintf(postcode, sizeof(postcode), "%s %u%c%c", seed_postcode_districts.items[town],
             pick(rng, 10), 'A' + pick(rng, 26), 'A' + pick(rng, 26));
    struct civil_date moved = date_from_days(date_to_days(&today) - (int)pick(rng, 3000));
    char moveds[DATE_TEXT_LEN];
    date_format(&moved, moveds);
    json_object_set_new(p, "addresses",
                        json_pack("[{s:s, s:s, s:s, s:s}]", "line1", line1, "town",
                                  seed_towns.items[town], "postcode", postcode, "valid_from",
                                  moveds));
    if (pick(rng, 100) < 4)
        json_object_set_new(
            p, "aliases",
            json_pack("[{s:s, s:s}]", "given_name", given, "family_name", from(rng, &seed_family)));
    if (age_days < 18 * 365) {
        unsigned f = pick(rng, 100);
        struct civil_date since = date_from_days(date_to_days(&today) - (int)pick(rng, 700));
        if (date_compare(&since, &dob) < 0)
            since = dob;
        char sinces[DATE_TEXT_LEN];
        date_format(&since, sinces);
        if (f < 4)
            json_object_set_new(
                p, "flags",
                json_pack("[{s:s, s:s}]", "flag", "child_protection_plan", "valid_from", sinces));
        else if (f < 6)
            json_object_set_new(p, "flags",
                                json_pack("[{s:s, s:s, s:s}]", "flag", "looked_after", "valid_from",
                                          sinces, "local_authority",
                                          from(rng, &seed_local_authorities)));
        else if (f < 7)
            json_object_set_new(
                p, "flags",
                json_pack("[{s:s, s:s}]", "flag", "exploitation_risk", "valid_from", sinces));
    }
    return p;
}

int people_seed(struct store *s, int n, uint64_t seed, int64_t now,
                void (*progress)(int done, int total))
{
    uint64_t rng = seed;
    for (int done = 0; done < n;) {
        if (store_begin_write(s) != STORE_OK) {
            fprintf(stderr, "safeguard: seed: cannot begin: %s\n", store_errmsg(s));
            return -1;
        }
        int batch_end = done + 1000 < n ? done + 1000 : n;
        for (; done < batch_end; done++) {
            json_t *p = make_person(&rng, now);
            struct domain_error err = {0};
            int64_t id = person_create(s, p, now, NULL, &err);
            json_decref(p);
            if (id < 0) {
                fprintf(stderr, "safeguard: seed: person %d: %s\n", done, err.message);
                domain_error_release(&err);
                store_rollback(s);
                return -1;
            }
        }
        if (store_commit(s) != STORE_OK) {
            fprintf(stderr, "safeguard: seed: cannot commit: %s\n", store_errmsg(s));
            return -1;
        }
        if (progress)
            progress(done, n);
    }
    return 0;
}
