/*
 * incidents_seed.c — synthetic incidents for the demo control room. Places
 * are invented from the street and town lists (seed_data.c); the people are
 * the synthetic people already in the database. Every change goes through
 * the same domain functions as the API (incident_create, _record_thrive,
 * _grade, _authorise_grade, _attend, _record_voice, _close), each at its own
 * point in simulated time, so tasks, logs and measures come out as they
 * would have in live use. Deterministic: the same seed, clock and people give
 * the same incidents.
 */
#include "modules/incidents/incidents_seed.h"
#include "auth/auth.h"
#include "auth/users.h"
#include "core/date.h"
#include "modules/incidents/incidents.h"
#include "modules/people/people.h"
#include "modules/people/seed_data.h"
#include "modules/people/seed_pool.h"
#include "rules/rules.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPAN_DAYS 90
#define BATCH     100

/* splitmix64, as in people_seed.c. */
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

static int chance(uint64_t *s, unsigned percent)
{
    return pick(s, 100) < percent;
}

static const char *from(uint64_t *s, const struct seed_list *l)
{
    return l->items[pick(s, (unsigned)l->count)];
}

static const char *const child_words[] = {
    "Daddy was shouting at mummy and I hid in my room",
    "I don't like it when they fight, it makes me scared",
    "I want to stay with my nan",
    "Mum was crying and there was a loud bang",
    "I'm OK, I just want everyone to stop arguing",
    "He pushed her and I called 999",
    "I don't want to go to school tomorrow",
};
static const char *const child_wishes[] = {
    "Wants to feel safe at home",
    "Wants to see their grandparents more",
    "Wants the shouting to stop",
    "Wants to stay with mum",
};
static const char *const descriptions[] = {
    "Neighbour reports shouting and a child crying",
    "Caller reports ex-partner at the address refusing to leave",
    "Child found alone at home late at night",
    "School reports bruising on a pupil",
    "Argument overheard, sounds of things being thrown",
    "Caller worried about children left with an intoxicated adult",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int64_t pick_id(uint64_t *rng, const struct seed_pool *p)
{
    return p->ids[pick(rng, (unsigned)p->n)];
}

/* One step of one incident failed: says which on stderr. */
static int failed(int idx, const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: incident %d: %s: %s\n", idx, what, err->message);
    domain_error_release(err);
    return -1;
}

struct actors {
    const struct user *call_handler, *officer, *supervisor;
};

/* Creates incident idx received at recv and takes it as far as its story
 * goes, never past now. Returns 0 or -1. */
static int make_incident(struct store *s, uint64_t *rng, int idx, int64_t recv, int64_t now,
                         const struct actors *a, const struct seed_pool *children,
                         const struct seed_pool *adults)
{
    struct domain_error err = {0};
    unsigned r = pick(rng, 100);
    const char *nature = r < 50   ? "domestic_abuse"
                         : r < 85 ? "child_concern"
                         : r < 92 ? "assault"
                         : r < 97 ? "missing_person"
                                  : "antisocial";
    int da = strcmp(nature, "domestic_abuse") == 0;
    unsigned town = pick(rng, (unsigned)seed_towns.count);
    char location[160], postcode[16], caller[160];
    snprintf(location, sizeof(location), "%u %s, %s", 1 + pick(rng, 180), from(rng, &seed_streets),
             seed_towns.items[town]);
    snprintf(postcode, sizeof(postcode), "%s %u%c%c", seed_postcode_districts.items[town],
             pick(rng, 10), 'A' + pick(rng, 26), 'A' + pick(rng, 26));
    snprintf(caller, sizeof(caller), "%s %s",
             from(rng, pick(rng, 2) ? &seed_given_female : &seed_given_male),
             from(rng, &seed_family));
    json_t *persons = json_array();
    int64_t kids[2] = {pick_id(rng, children), 0};
    int nkids = 1;
    if (chance(rng, 40) && children->n > 1) {
        kids[1] = pick_id(rng, children);
        nkids = kids[1] != kids[0] ? 2 : 1;
    }
    for (int k = 0; k < nkids; k++)
        json_array_append_new(persons, json_pack("{s:I, s:s}", "person_id", (json_int_t)kids[k],
                                                 "role", da ? "child_present" : "victim"));
    if (adults->n && chance(rng, da ? 70 : 35))
        json_array_append_new(persons,
                              json_pack("{s:I, s:s}", "person_id", (json_int_t)pick_id(rng, adults),
                                        "role", da ? "suspect" : "reporting_person"));
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "location", location, "postcode", postcode,
                  "nature", nature, "description", descriptions[pick(rng, N_OF(descriptions))],
                  "caller_name", caller, "persons", persons);
    int64_t id = incident_create(s, body, a->call_handler, recv, &err);
    json_decref(body);
    if (id < 0)
        return failed(idx, "create", &err);

    /* THRIVE for most, a few minutes after the call. */
    int64_t t = recv + 60 * (2 + pick(rng, 9));
    int thrive = chance(rng, 88) && t <= now;
    const char *floor = NULL;
    if (thrive) {
        int immediate = chance(rng, 8), present = da && chance(rng, 75);
        int danger = !da && chance(rng, 20), victim = !da && !danger && chance(rng, 15);
        floor = immediate ? "emergency" : present || danger || victim ? "priority" : NULL;
        body =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "threat",
                      da ? "Caller reports threats and shouting at the address"
                         : "Concern reported for a child's safety",
                      "harm", "Risk of physical and emotional harm to the child", "risk",
                      immediate ? "High: child at immediate risk" : "Medium: history at address",
                      "investigation", "Possible offences to be established on attendance",
                      "vulnerability", "Child under 18 at the address", "engagement",
                      "Caller engaging; child not yet spoken to", "child_immediate_risk", immediate,
                      "domestic_abuse_child_present", present, "child_reported_in_danger", danger,
                      "child_victim_violence_or_sexual", victim);
        int rc = incident_record_thrive(s, id, body, a->call_handler, t, &err);
        json_decref(body);
        if (rc < 0)
            return failed(idx, "thrive", &err);
    }

    /* A grade for most: some below the floor with a reason (a scheduled
     * appointment), a few of those authorised by the supervisor. */
    t += 60 * (1 + pick(rng, 5));
    if (!chance(rng, 94) || t > now)
        return 0;
    const char *grade;
    int below = floor && chance(rng, 12);
    int64_t scheduled_for = 0;
    if (below)
        grade = "scheduled";
    else if (floor)
        grade = strcmp(floor, "emergency") == 0 || chance(rng, 20) ? "emergency" : "priority";
    else {
        r = pick(rng, 100);
        grade = r < 25             ? "emergency"
                : r < 75           ? "priority"
                : r < 88 && thrive ? "scheduled"
                                   : "resolved_without_deployment";
    }
    body = json_pack("{s:s}", "grade", grade);
    if (strcmp(grade, "scheduled") == 0) {
        char when[TS_TEXT_LEN];
        scheduled_for = t + 3600 * (4 + pick(rng, 44));
        ts_format(scheduled_for, when);
        json_object_set_new(body, "scheduled_for", json_string(when));
        json_object_set_new(body, "interim_risk",
                            json_string("Suspect has left the address; caller to ring 999 if "
                                        "he returns"));
        json_object_set_new(body, "supervisor_rationale",
                            json_string("Child safe with the other parent until the appointment"));
    }
    if (below)
        json_object_set_new(body, "grade_reason",
                            json_string("Suspect left before the call; family asked for an "
                                        "appointment"));
    int rc = incident_grade(s, id, body, a->call_handler, t, &err);
    json_decref(body);
    if (rc < 0)
        return failed(idx, "grade", &err);
    if (below && a->supervisor && chance(rng, 40)) {
        t += 60 * (5 + pick(rng, 40));
        if (t <= now) {
            body = json_pack("{s:s}", "reason",
                             "Reviewed with the caller: no one at risk until the appointment");
            rc = incident_authorise_grade(s, id, body, a->supervisor, t, &err);
            json_decref(body);
            if (rc < 0)
                return failed(idx, "authorise", &err);
        }
    }

    /* Attendance for most: minutes either side of the target. */
    if (strcmp(grade, "resolved_without_deployment") == 0 || !chance(rng, 88))
        return 0;
    int64_t at;
    if (scheduled_for)
        at = scheduled_for + 60 * pick(rng, 45);
    else {
        const struct rule *rule =
            rules_find(strcmp(grade, "emergency") == 0 ? "incident.attend_emergency"
                                                       : "incident.attend_priority");
        int target = rule ? rules_minutes(rule) : 60;
        at = recv + (int64_t)target * 60 * (25 + pick(rng, 125)) / 100;
    }
    if (at < t)
        at = t + 60;
    if (at > now)
        return 0;
    body = json_pack("{s:s}", "note", "Officers on scene; parties separated");
    rc = incident_attend(s, id, body, a->officer, at, &err);
    json_decref(body);
    if (rc < 0)
        return failed(idx, "attend", &err);

    /* The voice of each child for about three in four, then closure. */
    if (!chance(rng, 75))
        return 0;
    t = at;
    for (int k = 0; k < nkids; k++) {
        t += 60 * (10 + pick(rng, 30));
        if (t > now)
            return 0;
        if (chance(rng, 70)) {
            body = json_pack("{s:b, s:b, s:b, s:s, s:s, s:[s], s:s}", "seen", 1, "seen_alone",
                             chance(rng, 60), "spoken_to", 1, "words",
                             child_words[pick(rng, N_OF(child_words))], "views_wishes",
                             child_wishes[pick(rng, N_OF(child_wishes))], "behaviour",
                             voice_behaviours[pick(rng, 8)], "demeanour",
                             "Quiet at first, more open once away from the adults");
        } else {
            static const char *const reasons[] = {"too_young", "asleep", "refused", "not_present"};
            const char *why = reasons[pick(rng, N_OF(reasons))];
            int seen = strcmp(why, "not_present") != 0;
            body = json_pack("{s:b, s:b, s:s}", "seen", seen, "spoken_to", 0, "not_spoken_reason",
                             why);
        }
        rc = incident_record_voice(s, id, kids[k], body, a->officer, t, &err);
        json_decref(body);
        if (rc < 0)
            return failed(idx, "voice", &err);
    }
    t += 60 * (30 + pick(rng, 270));
    if (t > now)
        return 0;
    body = json_pack("{s:s}", "note", "Safeguarding referral made; no further police action");
    rc = incident_close(s, id, body, a->officer, t, &err);
    json_decref(body);
    return rc < 0 ? failed(idx, "close", &err) : 0;
}

int incidents_seed(struct store *s, int n, uint64_t seed, int64_t now)
{
    if (n <= 0)
        return 0;
    struct user ch, ro, sup;
    struct actors a = {.call_handler = seed_demo_user(s, "call_handler", &ch),
                       .officer = seed_demo_user(s, "response_officer", &ro),
                       .supervisor = seed_demo_user(s, "supervisor", &sup)};
    struct seed_pool children = {0}, adults = {0};
    int ret = -1;
    if (seed_find_people(s, now, SPAN_DAYS, a.call_handler, &children, &adults) < 0) {
        fprintf(stderr, "safeguard: seed: out of memory\n");
        goto out;
    }
    if (!children.n) {
        fprintf(stderr, "safeguard: seed: no children to link to incidents: seed people first\n");
        goto out;
    }
    /* Its own stream, so adding incidents does not change the people. */
    uint64_t rng = seed ^ 0x1ec1de47c0ffee11ull;
    int64_t start = now - (int64_t)SPAN_DAYS * 86400, step = (int64_t)SPAN_DAYS * 86400 / n;
    for (int done = 0; done < n;) {
        if (store_begin_write(s) != STORE_OK) {
            fprintf(stderr, "safeguard: seed: cannot begin: %s\n", store_errmsg(s));
            goto out;
        }
        int batch_end = done + BATCH < n ? done + BATCH : n;
        for (; done < batch_end; done++) {
            /* In order of receipt, spread over the span. */
            int64_t recv = start + step * done + (step > 1 ? (int64_t)(next(&rng) % step) : 0);
            if (recv > now)
                recv = now;
            if (make_incident(s, &rng, done, recv, now, &a, &children, &adults) < 0) {
                store_rollback(s);
                goto out;
            }
        }
        if (store_commit(s) != STORE_OK) {
            fprintf(stderr, "safeguard: seed: cannot commit: %s\n", store_errmsg(s));
            goto out;
        }
    }
    ret = 0;
out:
    free(children.ids);
    free(adults.ids);
    return ret;
}
