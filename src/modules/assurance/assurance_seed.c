/*
 * assurance_seed.c — the 2022 Warwickshire national child protection
 * inspection (HMICFRS, published 5 August 2022), its eight recommendations
 * as listed in the PCC's s55 response, and demo actions against each. The
 * actions are illustrative, not the force's real plan; owners are posts.
 */
#include "modules/assurance/assurance.h"
#include "modules/assurance/assurance_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define SEED_BODY      "HMICFRS"
#define SEED_TITLE     "National child protection inspection"
#define SEED_FORCE     "Warwickshire Police"
#define SEED_PUBLISHED "2022-08-05"

struct seed_action {
    const char *title, *owner, *status, *evidence;
    int due_months; /* after publication */
};

struct seed_recommendation {
    int months; /* 0: immediately */
    const char *owner;
    const char *text;
    const char *points[6];
    struct seed_action actions[3];
};

/* clang-format off */
static const struct seed_recommendation seed_recs[] = {
    {0, "Head of Contact and Control Room",
     "We recommend that Warwickshire Police immediately reviews the OCC response to incidents "
     "where children are involved. It should make sure that the response reflects the "
     "identified level of risk, including continuing or escalating risk.",
     {NULL},
     {{"Review a sample of child incidents graded below the THRIVE-supported grade",
       "Control room inspector", "complete", "Dip sample of 100 incidents reported to the board", 1},
      {"Introduce supervisor authorisation for grades below the risk", "Head of Contact and "
       "Control Room", "complete", "Safeguard grading floor live", 2},
      {"Brief all call handlers on continuing and escalating risk", "Control room training lead",
       "in_progress", NULL, 3}}},
    {3, "Head of Public Protection",
     "We recommend that within three months Warwickshire Police acts to make sure that "
     "children's concerns and views are obtained and recorded (including noting their "
     "behaviour and demeanour).",
     {NULL},
     {{"Make the voice of the child a required record before an incident closes",
       "Head of Public Protection", "complete", "Closure refused until recorded", 2},
      {"Voice of the child training for response officers", "Learning and development lead",
       "in_progress", NULL, 3}}},
    {0, "Head of Public Protection",
     "We recommend that Warwickshire Police immediately reviews its missing persons "
     "arrangements and practices to make sure that throughout the missing episode there is "
     "always an effective response.",
     {NULL},
     {{"Review missing person risk assessment and supervision", "Missing persons coordinator",
       "in_progress", NULL, 1},
      {"Return interview compliance reported monthly", "Missing persons coordinator",
       "not_started", NULL, 3}}},
    {3, "Head of Partnerships",
     "We recommend that, within three months, Warwickshire Police carries out a review to make "
     "sure that concerns about children are reported to statutory safeguarding partners and "
     "organisations effectively.",
     {NULL},
     {{"Review referral routes with the MASH partners", "MASH manager", "complete",
       "Review agreed by the safeguarding partnership", 3},
      {"Measure time from concern to referral", "MASH manager", "not_started", NULL, 3}}},
    {0, "Head of Crime",
     "We recommend that Warwickshire Police immediately improves its child protection and "
     "exploitation investigations, paying attention to:",
     {"Allocating investigations to teams with the skills, capacity, and competence to carry "
      "them out well",
      "Improving the quality of oversight and supervision",
      "Reducing delays in investigations; and",
      "Sharing information with children's social care services at the time that a risk to a "
      "child is known", NULL},
     {{"Allocation policy for child protection investigations", "Head of Crime", "complete",
       "Policy published", 1},
      {"Supervisory review at fixed points in every investigation", "CATE detective inspector",
       "in_progress", NULL, 2},
      {"Strategy discussion recorded when risk to a child is known", "CATE detective inspector",
       "blocked", "Awaiting the local authority's new case system", 3}}},
    {6, "Head of Public Protection",
     "We recommend that, within six months, Warwickshire Police should improve the response to "
     "children taken into police protection. This should include making sure that, where "
     "required, opportunities to protect children are taken and all relevant information is "
     "properly recorded and readily accessible.",
     {NULL},
     {{"Police protection recording template", "Head of Public Protection", "in_progress", NULL,
       4},
      {"Designated officer rota and guidance", "Public protection superintendent",
       "not_started", NULL, 6}}},
    {0, "Head of Public Protection",
     "We recommend that Warwickshire Police immediately acts to improve its management of "
     "registered sex offenders, paying particular attention to:",
     {"How it monitors offenders through home visits",
      "How it uses reactive management processes",
      "How information is provided to local officers about the registered sex offenders "
      "causing concern in their area",
      "How it records information; and",
      "How the CSOD scheme is managed effectively.", NULL},
     {{"Home visit schedule by risk level", "MOSOVO detective inspector", "complete",
       "Schedule in force", 1},
      {"Briefing to local officers on offenders causing concern", "MOSOVO detective inspector",
       "in_progress", NULL, 2},
      {"CSOD (Sarah's law) application tracking", "Disclosure unit manager", "not_started", NULL,
       3}}},
    {6, "Head of Criminal Justice and Custody",
     "We recommend that, within six months, Warwickshire Police should carry out a review of "
     "how it manages the detention of children. The review should include, as a minimum, how "
     "best to:",
     {"Make sure that appropriate adults attend the police station promptly",
      "Make sure officers fully consider the welfare of children when in custody and refer "
      "them to children's social care services, when necessary; and",
      "Strengthen its working methods with local authorities to ensure that children charged "
      "and refused bail are moved to appropriate alternative accommodation and not held in "
      "custody overnight.", NULL},
     {{"Appropriate adult arrival times reported monthly", "Custody inspector", "in_progress",
       NULL, 3},
      {"PACE s38(6) protocol with the local authority", "Head of Criminal Justice and Custody",
       "not_started", NULL, 6}}},
};
/* clang-format on */

/* Runs an INSERT ... RETURNING id: the new id, or -1. */
static int64_t insert(struct store *s, struct stmt *st)
{
    (void)s;
    int64_t v = -1;
    return stmt_returning_id(st, &v) == STORE_OK ? v : -1;
}

static int seed_all(struct store *s, int64_t now)
{
    struct civil_date published;
    if (date_parse(SEED_PUBLISHED, &published) < 0)
        return -1;
    char at[TS_TEXT_LEN];
    ts_format(now, at);
    struct stmt *st = store_prepare(s, SQL_A_INSPECTION_INSERT);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, SEED_BODY);
    stmt_bind_text(st, 2, SEED_TITLE);
    stmt_bind_text(st, 3, SEED_FORCE);
    stmt_bind_text(st, 4, SEED_PUBLISHED);
    int64_t insp = insert(s, st);
    if (insp < 0)
        return -1;
    for (size_t i = 0; i < sizeof(seed_recs) / sizeof(seed_recs[0]); i++) {
        const struct seed_recommendation *r = &seed_recs[i];
        char due[DATE_TEXT_LEN];
        struct civil_date d = assurance_due_on(published, r->months);
        date_format(&d, due);
        st = store_prepare(s, SQL_A_RECOMMENDATION_INSERT);
        if (!st)
            return -1;
        stmt_bind_int(st, 1, insp);
        stmt_bind_int(st, 2, (int64_t)i + 1);
        stmt_bind_text(st, 3, r->text);
        stmt_bind_text(st, 4, r->months ? "months" : "immediately");
        if (r->months)
            stmt_bind_int(st, 5, r->months);
        else
            stmt_bind_null(st, 5);
        stmt_bind_text(st, 6, due);
        stmt_bind_text(st, 7, r->owner);
        int64_t rec = insert(s, st);
        if (rec < 0)
            return -1;
        for (int p = 0; r->points[p]; p++) {
            char label[2] = {(char)('a' + p), '\0'};
            st = store_prepare(s, SQL_A_POINT_INSERT);
            if (!st)
                return -1;
            stmt_bind_int(st, 1, rec);
            stmt_bind_text(st, 2, label);
            stmt_bind_text(st, 3, r->points[p]);
            if (store_exec_stmt(st) < 0)
                return -1;
        }
        for (int a = 0; a < 3 && r->actions[a].title; a++) {
            const struct seed_action *sa = &r->actions[a];
            char adue[DATE_TEXT_LEN];
            struct civil_date ad = assurance_due_on(published, sa->due_months);
            date_format(&ad, adue);
            st = store_prepare(s, SQL_A_ACTION_INSERT);
            if (!st)
                return -1;
            stmt_bind_int(st, 1, rec);
            stmt_bind_text(st, 2, sa->title);
            stmt_bind_text(st, 3, sa->owner);
            stmt_bind_text(st, 4, adue);
            stmt_bind_text(st, 5, sa->status);
            stmt_bind_text(st, 6, sa->evidence);
            stmt_bind_text(st, 7, at);
            if (store_exec_stmt(st) < 0)
                return -1;
        }
    }
    return 1;
}

/* The seeded inspection's id, or 0 when it is not recorded (-1 on failure). */
static int64_t seeded_inspection(struct store *s)
{
    struct stmt *st = store_prepare(s, SQL_A_INSPECTION_FIND);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, SEED_BODY);
    stmt_bind_text(st, 2, SEED_FORCE);
    stmt_bind_text(st, 3, SEED_TITLE);
    stmt_bind_text(st, 4, SEED_PUBLISHED);
    int rc = stmt_step(st);
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : rc == STORE_DONE ? 0 : -1;
    stmt_reset(st);
    return id;
}

/* Shows every registry measure on the seeded inspection's recommendation it
 * was written for. Idempotent, so a measure added in a later release joins
 * the demo inspection when `safeguard seed` runs again. */
static int map_measures(struct store *s, int64_t insp)
{
    for (int i = 0; i < assurance_measure_count; i++) {
        struct stmt *st = store_prepare(s, SQL_A_REC_BY_NUMBER);
        if (!st)
            return -1;
        stmt_bind_int(st, 1, insp);
        stmt_bind_int(st, 2, assurance_measures[i].recommendation);
        int64_t rec = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
        stmt_reset(st);
        if (!rec)
            continue;
        st = store_prepare(s, SQL_A_REC_MEASURE_INSERT);
        if (!st)
            return -1;
        stmt_bind_int(st, 1, rec);
        stmt_bind_text(st, 2, assurance_measures[i].key);
        if (store_exec_stmt(st) < 0)
            return -1;
    }
    return 0;
}

int assurance_seed(struct store *s, int64_t now)
{
    assert(s);
    if (store_begin_write(s) < 0)
        return -1;
    int64_t insp = seeded_inspection(s);
    int loaded = 0;
    if (insp == 0) {
        if (seed_all(s, now) < 0) {
            store_rollback(s);
            return -1;
        }
        insp = seeded_inspection(s);
        loaded = 1;
    }
    if (insp <= 0 || map_measures(s, insp) < 0) {
        store_rollback(s);
        return -1;
    }
    return store_commit(s) < 0 ? -1 : loaded;
}
