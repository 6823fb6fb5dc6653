/*
 * protection_seed.c — demo police protection (safeguard seed
 * --police-protection N). When the database holds no case yet and the demo
 * response officer and supervisor exist (seed --users): up to N (at most
 * 12) cases for synthetic children made here through the people domain,
 * each step through the domain functions at its own simulated time, so the
 * board shows every point on the 72-hour clock:
 *  - active: one not yet designated, one with the parents not yet told
 *    (overdue), one in hour 69 (the expiry alarm near), one awaiting the
 *    inquiry, one with an EPO applied for, one just begun at an incident (the
 *    child's views become their voice on it);
 *  - released, all within 72 hours: to parents, from a police station (with
 *    the exceptional reason), under an EPO, to a grandmother, one with late
 *    notifications, one to local authority accommodation;
 * referrals drafted from three of them; and two incidents whose THRIVE
 * records a child at immediate risk without a case: one with the
 * supervisor's decision recorded, one still waiting for it (the supervisor's
 * task). The response officer uses the power; the supervisor is the
 * designated officer (never the same person). Deterministic for a given
 * clock: no randomness.
 */
#include "auth/auth.h"
#include "core/date.h"
#include "modules/incidents/incidents.h"
#include "modules/people/people.h"
#include "modules/people/seed_pool.h"
#include "modules/protection/protection.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MINUTE 60
#define HOUR   3600
#define DAY    86400

/* Seed-only read: are there cases already? */
static const char SQL_SEED_ANY_CASE[] = "SELECT id FROM police_protection LIMIT 1";

/* END (0) closes a case's list of steps. */
enum step_kind {
    END,
    DESIGNATE,
    PLACE,
    LA,
    PARENTS,
    PARENTS_NOT,
    CHILD,
    INQUIRY,
    RELEASE,
    REFERRAL
};

/* One step, `minute` minutes after the power was used. arg[0..2] by kind:
 * PLACE kind, detail, reason; LA and PARENTS detail; PARENTS_NOT reason;
 * CHILD views; INQUIRY decision, text; RELEASE released_to, note. */
struct step {
    int minute;
    enum step_kind kind;
    const char *arg[3];
};

/* The children are invented: names from no register, addresses in the
 * made-up town of Exampleton with EX postcodes. */
static const struct demo_case {
    const char *given, *family;
    int age;         /* years, as the demo clock sees them */
    int minutes_ago; /* when the power was used */
    const char *power, *circumstances, *grounds;
    int at_incident; /* linked to an incident at the child's address */
    struct step steps[10];
} demo_cases[] = {
    {"Tobias",
     "Wrenfield",
     7,
     45,
     "removed",
     "Found alone at 02:00 in a flat with no heating; mother detained in hospital",
     "No adult to care for him overnight: likely significant harm if left",
     0,
     {{20, LA, {"Exampleton emergency duty team, told by phone"}},
      {30, PLACE, {"foster_carer", "Emergency foster carer, Exampleton"}}}},
    {"Ellis",
     "Marrowby",
     9,
     190,
     "removed",
     "Neighbours reported a child screaming; father intoxicated and aggressive towards officers",
     "Risk of physical harm from his father that night",
     0,
     {{15, DESIGNATE, {0}},
      {40, PLACE, {"foster_carer", "Emergency foster carer, North Exampleton"}},
      {50, LA, {"Exampleton emergency duty team"}},
      {70, CHILD, {"Said he wants to stay with his big sister and is worried about his dog"}}}},
    {"Poppy",
     "Thistlecombe",
     13,
     69 * 60,
     "removed",
     "Disclosed at school that her stepfather hit her; afraid to go home",
     "Physical abuse disclosed; stepfather at home and aware of the disclosure",
     0,
     {{20, DESIGNATE, {0}},
      {30, LA, {"Exampleton children's services, duty social worker"}},
      {60, PLACE, {"la_accommodation", "Exampleton children's home (emergency bed)"}},
      {90, PARENTS, {"Mother told by phone; stepfather not present"}},
      {100, CHILD, {"Says she feels safe where she is and does not want to go home yet"}},
      {20 * 60,
       INQUIRY,
       {"la_accommodation",
        "Strategy discussion held; the local authority will accommodate while it assesses"}},
      {21 * 60, REFERRAL, {0}}}},
    {"Noah",
     "Fennimore",
     2,
     10 * 60,
     "removed",
     "Left in a car outside a pub for over an hour on a cold evening",
     "A two-year-old left without care: likely significant harm",
     0,
     {{30, DESIGNATE, {0}},
      {45, PLACE, {"hospital", "Children's ward, Exampleton General (checked over)"}},
      {55, LA, {"Exampleton emergency duty team"}},
      {80, PARENTS, {"Both parents told at the pub"}},
      {110, CHILD, {"Too young to give views; settled with the nurses, asked for his blanket"}}}},
    {"Ruby",
     "Ashcombe",
     5,
     30 * 60,
     "removed",
     "Found at a house used for drug dealing during a warrant",
     "Drugs and weapons within her reach; no suitable carer present",
     0,
     {{10, DESIGNATE, {0}},
      {40, LA, {"Exampleton children's services, out of hours"}},
      {50, PLACE, {"foster_carer", "Emergency foster carer, South Exampleton"}},
      {100, PARENTS_NOT, {"Mother's whereabouts unknown; father not named"}},
      {115, CHILD, {"Asked where her mummy is; said she likes the foster carer's cat"}},
      {10 * 60,
       INQUIRY,
       {"epo_applied",
        "No parent traced; the local authority is applying for an emergency protection order"}},
      {10 * 60 + 20, REFERRAL, {0}}}},
    {"Jayden",
     "Kettleworth",
     11,
     25,
     "prevented_removal",
     "Father tried to take him from the hospital ward against medical advice, while drunk",
     "Removal from hospital would put him at risk of significant harm",
     1,
     {{10, DESIGNATE, {0}},
      {12, PLACE, {"hospital", "Children's ward, Exampleton General"}},
      {20, CHILD, {"I want to stay here until my mum comes"}}}},
    {"Isla",
     "Brackenbury",
     8,
     5 * DAY / MINUTE,
     "removed",
     "Mother collapsed in the street with Isla; no other adult at home",
     "No one to care for her: likely significant harm",
     0,
     {{20, DESIGNATE, {0}},
      {30, LA, {"Exampleton emergency duty team"}},
      {45, PARENTS, {"Father told by phone at work"}},
      {60, PLACE, {"relative", "Her aunt's home, Exampleton"}},
      {70, CHILD, {"Happy to stay with her aunt until mummy is better"}},
      {10 * 60, INQUIRY, {"release_to_parents", "Father home from work and able to care for her"}},
      {14 * 60, RELEASE, {"Father", "Collected by her father at his home"}},
      {14 * 60 + 10, REFERRAL, {0}}}},
    {"Kai",
     "Hollowmere",
     15,
     9 * DAY / MINUTE,
     "removed",
     "Found sleeping rough at the bus station after leaving home",
     "Exploitation risk: older men seen approaching him",
     0,
     {{0,
       PLACE,
       {"police_station", "Exampleton police station, family room (not a cell)",
        "No foster carer or emergency bed free until the morning; kept in the family room"}},
      {25, DESIGNATE, {0}},
      {40, LA, {"Exampleton emergency duty team"}},
      {60, PARENTS, {"Mother told by phone"}},
      {90, CHILD, {"Does not want to go home; would rather be anywhere else"}},
      {8 * 60, INQUIRY, {"la_accommodation", "Local authority placement found for the morning"}},
      {10 * 60, RELEASE, {"Local authority accommodation (emergency placement)", NULL}}}},
    {"Lily-May",
     "Quarrendon",
     4,
     12 * DAY / MINUTE,
     "removed",
     "Unexplained burns seen by a paramedic at a home visit",
     "Suspected non-accidental injury; both carers present and hostile",
     0,
     {{15, DESIGNATE, {0}},
      {30, LA, {"Exampleton children's services"}},
      {40, PLACE, {"foster_carer", "Emergency foster carer, Exampleton"}},
      {50, PARENTS, {"Both carers told at the address"}},
      {100, CHILD, {"Said her arm hurts; too young to say more"}},
      {15 * 60, INQUIRY, {"epo_applied", "Child protection medical arranged; EPO to be sought"}},
      {40 * 60, RELEASE, {"The local authority under an emergency protection order", NULL}}}},
    {"Oscar",
     "Pennyfeather",
     10,
     20 * DAY / MINUTE,
     "removed",
     "Parents arrested after a fight in the street; Oscar with them",
     "No carer: likely significant harm if left",
     0,
     {{30, DESIGNATE, {0}},
      {45, PLACE, {"relative", "Maternal grandmother's home"}},
      {50, LA, {"Exampleton emergency duty team"}},
      {110, PARENTS, {"Both parents told in custody"}},
      {115, CHILD, {"Likes staying at his nan's"}},
      {6 * 60, INQUIRY, {"release_to_parents", "Mother released without charge and sober"}},
      {8 * 60, RELEASE, {"Mother, at the grandmother's home", NULL}}}},
    {"Freya",
     "Tillingham",
     12,
     26 * DAY / MINUTE,
     "removed",
     "Found at a party with adults, intoxicated, at 03:00",
     "Sexual exploitation risk",
     0,
     {{60, PLACE, {"foster_carer", "Emergency foster carer, Exampleton"}},
      {90, DESIGNATE, {0}},
      {180, PARENTS, {"Father told at home (late: the address was wrong)"}},
      {200, LA, {"Exampleton children's services (late: the line was down)"}},
      {240, CHILD, {"Angry at being taken; says the adults were her friends"}},
      {22 * 60, INQUIRY, {"release_to_parents", "Father agrees a safety plan"}},
      {25 * 60, RELEASE, {"Father", NULL}}}},
    {"Reuben",
     "Oakhanger",
     6,
     40 * DAY / MINUTE,
     "removed",
     "Home without food or power; younger sibling already in care",
     "Neglect: likely significant harm",
     0,
     {{20, DESIGNATE, {0}},
      {20, LA, {"Exampleton children's services"}},
      {40, PLACE, {"la_accommodation", "Exampleton children's home"}},
      {60, PARENTS, {"Mother told at home"}},
      {80, CHILD, {"Hungry; wants to see his brother"}},
      {12 * 60, INQUIRY, {"la_accommodation", "Mother agrees to accommodation under s20"}},
      {28 * 60,
       RELEASE,
       {"Local authority accommodation (s20, with the mother's agreement)", NULL}}}},
};
#define NCASES ((int)(sizeof(demo_cases) / sizeof(demo_cases[0])))

/* The incidents whose risk said a child may need protection, without a
 * case: one decided, one waiting. */
static const struct {
    const char *given, *family, *line1, *postcode;
    int age, minutes_ago, decided;
} demo_opportunities[] = {
    {"Ava", "Millstream", "9 Specimen Close", "EX4 6TT", 3, 50, 0},
    {"Leo", "Barnacott", "31 Sample Street", "EX2 9RR", 6, 3 * DAY / MINUTE, 1},
};

static int fail(const char *what, struct domain_error *err)
{
    fprintf(stderr, "safeguard: seed: police protection: %s: %s\n", what,
            err->message[0] ? err->message : "failed");
    domain_error_release(err);
    return -1;
}

/* A synthetic child aged `age` on the clock's date, at an invented address. */
static int64_t make_child(struct store *s, const char *given, const char *family, int age,
                          const char *line1, const char *postcode, int64_t now)
{
    struct civil_date today = date_of_ts(ts_uk_local(now));
    char dob[DATE_TEXT_LEN];
    struct civil_date d = {.year = today.year - age - 1, .month = 11, .day = 14};
    if (today.month > 11 || (today.month == 11 && today.day >= 14))
        d.year++; /* had this year's birthday already */
    date_format(&d, dob);
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s, s:s, s:s}]}", "given_name",
                          given, "family_name", family, "dob", dob, "dob_accuracy", "exact",
                          "confirmed_new", 1, "addresses", "line1", line1, "town", "Exampleton",
                          "postcode", postcode, "valid_from", "2022-01-01");
    struct domain_error err = {0};
    int64_t id = person_create(s, b, now, NULL, &err);
    json_decref(b);
    return id < 0 ? fail("child", &err) : id;
}

static json_t *thrive_body(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "threat",
                     "Caller reports a young child alone with an adult unable to care for them",
                     "harm", "Risk of serious neglect or injury tonight", "risk", "High",
                     "investigation", "Neglect offences possible", "vulnerability", "A young child",
                     "engagement", "Adult not engaging", "child_immediate_risk", 1);
}

/* A child concern at line1 linking the child, with a THRIVE that records a
 * child at immediate risk ten minutes later. Returns its id or -1. */
static int64_t risk_incident(struct store *s, int64_t child, const char *line1,
                             const char *postcode, const struct user *u, int64_t at)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:[{s:I, s:s}]}", "location", line1, "postcode",
                          postcode, "nature", "child_concern", "description",
                          "Synthetic demo incident: concern for a young child", "persons",
                          "person_id", (json_int_t)child, "role", "child_present");
    struct domain_error err = {0};
    int64_t id = incident_create(s, b, u, at, &err);
    json_decref(b);
    if (id < 0)
        return fail("incident", &err);
    b = thrive_body();
    int rc = incident_record_thrive(s, id, b, u, at + 10 * MINUTE, &err);
    json_decref(b);
    return rc < 0 ? fail("thrive", &err) : id;
}

static json_t *step_body(const struct step *st, int64_t designated)
{
    switch (st->kind) {
    case DESIGNATE:
        return json_pack("{s:I}", "designated_officer_id", (json_int_t)designated);
    case PLACE:
        return json_pack("{s:s, s:s, s:s?}", "kind", st->arg[0], "detail", st->arg[1], "reason",
                         st->arg[2]);
    case LA:
        return json_pack("{s:s, s:s}", "whom", "la", "detail", st->arg[0]);
    case PARENTS:
        return json_pack("{s:s, s:s}", "whom", "parents", "detail", st->arg[0]);
    case PARENTS_NOT:
        return json_pack("{s:s, s:b, s:s}", "whom", "parents", "informed", 0, "reason", st->arg[0]);
    case CHILD:
        return json_pack("{s:s, s:s}", "whom", "child", "views", st->arg[0]);
    case INQUIRY:
        return json_pack("{s:s, s:s}", "decision", st->arg[0], "text", st->arg[1]);
    case RELEASE:
        return json_pack("{s:s, s:s?}", "released_to", st->arg[0], "note", st->arg[1]);
    case REFERRAL:
    case END:
        break;
    }
    return json_object();
}

/* One case: the power used by officer, then its steps, each at its time. */
static int demo_case(struct store *s, const struct demo_case *c, const struct user *officer,
                     const struct user *designated, int64_t now)
{
    char line1[80], postcode[12];
    int k = (int)(c - demo_cases);
    snprintf(line1, sizeof(line1), "%d Example Row", 2 + 3 * k);
    snprintf(postcode, sizeof(postcode), "EX%d %dPP", 1 + k % 9, 1 + k % 8);
    int64_t t0 = now - (int64_t)c->minutes_ago * MINUTE;
    int64_t child = make_child(s, c->given, c->family, c->age, line1, postcode, t0 - HOUR);
    if (child < 0)
        return -1;
    json_t *b = json_pack("{s:I, s:s, s:s, s:s}", "person_id", (json_int_t)child, "power", c->power,
                          "circumstances", c->circumstances, "grounds", c->grounds);
    struct domain_error err = {0};
    if (c->at_incident) {
        /* The incident came in a few minutes before the power was used. */
        int64_t inc = risk_incident(s, child, line1, postcode, officer, t0 - 15 * MINUTE);
        if (inc < 0) {
            json_decref(b);
            return -1;
        }
        json_object_set_new(b, "incident_id", json_integer(inc));
    }
    int64_t id = protection_create(s, b, officer, t0, &err);
    json_decref(b);
    if (id < 0)
        return fail(c->family, &err);
    for (int i = 0; i < 10 && c->steps[i].kind != END; i++) {
        const struct step *st = &c->steps[i];
        int64_t t = t0 + (int64_t)st->minute * MINUTE;
        json_t *sb = step_body(st, designated->id);
        int rc;
        switch (st->kind) {
        case DESIGNATE:
            rc = protection_designate(s, id, sb, officer, t, &err);
            break;
        case PLACE:
            rc = protection_place(s, id, sb, officer, t, &err);
            break;
        case LA:
        case PARENTS:
        case PARENTS_NOT:
        case CHILD:
            rc = protection_notify(s, id, sb, officer, t, &err);
            break;
        case INQUIRY:
            rc = protection_inquiry(s, id, sb, designated, t, &err);
            break;
        case RELEASE:
            rc = protection_release(s, id, sb, designated, t, &err);
            break;
        case REFERRAL:
            rc = protection_raise_referral(s, id, sb, officer, t, &err) < 0 ? -1 : 0;
            break;
        default:
            rc = -1;
        }
        json_decref(sb);
        if (rc < 0)
            return fail(c->family, &err);
    }
    return 0;
}

static int demo_opportunity(struct store *s, int k, const struct user *officer,
                            const struct user *sup, int64_t now)
{
    int64_t at = now - (int64_t)demo_opportunities[k].minutes_ago * MINUTE;
    int64_t child = make_child(s, demo_opportunities[k].given, demo_opportunities[k].family,
                               demo_opportunities[k].age, demo_opportunities[k].line1,
                               demo_opportunities[k].postcode, at - HOUR);
    if (child < 0)
        return -1;
    int64_t inc = risk_incident(s, child, demo_opportunities[k].line1,
                                demo_opportunities[k].postcode, officer, at);
    if (inc < 0)
        return -1;
    if (!demo_opportunities[k].decided)
        return 0; /* the supervisor's task stays open */
    json_t *b = json_pack("{s:b, s:s}", "used", 0, "reason",
                          "Aunt arrived within the hour and took the child to her home; children's "
                          "social care visited the same evening");
    struct domain_error err = {0};
    int rc = protection_incident_decide(s, inc, b, sup, at + 40 * MINUTE, &err);
    json_decref(b);
    return rc < 0 ? fail("decision", &err) : 0;
}

int protection_seed(struct store *s, int n, int64_t now)
{
    if (n <= 0)
        return 0;
    struct user ou, su;
    const struct user *officer = seed_demo_user(s, "response_officer", &ou);
    const struct user *sup = seed_demo_user(s, "supervisor", &su);
    if (!officer || !sup)
        return 0; /* the demo officers act the cases out: seed --users */
    if (store_begin_write(s) != STORE_OK)
        return -1;
    struct stmt *st = store_prepare(s, SQL_SEED_ANY_CASE);
    int any = st && stmt_step(st) == STORE_ROW;
    if (st)
        stmt_reset(st);
    if (!st || any) {
        store_rollback(s);
        return st ? 0 : -1;
    }
    int rc = 0;
    for (int k = 0; k < NCASES && k < n && rc == 0; k++)
        rc = demo_case(s, &demo_cases[k], officer, sup, now);
    for (int k = 0; k < 2 && rc == 0; k++)
        rc = demo_opportunity(s, k, officer, sup, now);
    if (rc < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s) == STORE_OK ? 0 : -1;
}
