/*
 * scale_incidents.c — five years of control-room incidents at force scale:
 * the people in them (children drawn so some recur), THRIVE and grading as
 * the R1 rules leave them (a child at risk graded at the risk's floor, or
 * below it only with a supervisor's authorisation), attendance, the voice of
 * each child, and the attendance and voice tasks. Hot addresses draw a
 * quarter of incidents, so the same-address history has real repeats.
 */
#include "modules/incidents/incidents.h"
#include "modules/scale/scale_internal.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define MINUTE 60LL
#define HOUR   3600LL
#define DAY    86400LL

struct nature {
    const char *name;
    int weight;       /* per 100 incidents */
    double child_pct; /* share with a child in it */
};

static const struct nature natures[] = {
    {"domestic_abuse", 25, 45}, {"child_concern", 12, 100}, {"missing_person", 5, 70},
    {"assault", 18, 15},        {"sexual_offence", 4, 40},  {"antisocial", 20, 20},
    {"other", 16, 8},
};

static const struct nature *pick_nature(struct scale *sc)
{
    unsigned r = sc_pick(sc, 100), acc = 0;
    for (size_t i = 0; i < sizeof(natures) / sizeof(natures[0]); i++)
        if (r < (acc += (unsigned)natures[i].weight))
            return &natures[i];
    return &natures[0];
}

static int link(struct scale *sc, int64_t inc, int64_t person, const char *role, int is_child,
                int64_t user, const char *at, int64_t *linked, int *n_linked)
{
    for (int i = 0; i < *n_linked; i++)
        if (linked[i] == person) /* one role per person here keeps the key unique */
            return 0;
    linked[(*n_linked)++] = person;
    struct stmt *st = store_prepare(sc->s, SQL_SC_INCIDENT_PERSON);
    stmt_bind_int(st, 1, inc);
    stmt_bind_int(st, 2, person);
    stmt_bind_text(st, 3, role);
    stmt_bind_int(st, 4, is_child);
    stmt_bind_int(st, 5, user);
    stmt_bind_text(st, 6, at);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, "incident person");
    sc->counts->incident_people++;
    return sc_row(sc);
}

static int voice(struct scale *sc, int64_t inc, int64_t child, int64_t at, int64_t officer)
{
    static const char *const words[] = {
        "I don't like it when they shout.", "I want to stay with my nan.",
        "I was in my room with my headphones on.", "Mum was crying.", "I'm fine."};
    int age = sc_age(sc, child, at);
    int spoken = age >= 4 && sc_chance(sc, 85);
    char ts[TS_TEXT_LEN];
    sc_ts(at, ts);
    struct stmt *st = store_prepare(sc->s, SQL_SC_VOICE);
    stmt_bind_int(st, 1, inc);
    stmt_bind_int(st, 2, child);
    stmt_bind_int(st, 3, spoken && sc_chance(sc, 60));
    stmt_bind_int(st, 4, spoken);
    stmt_bind_text(st, 5, spoken ? words[sc_pick(sc, 5)] : NULL);
    stmt_bind_text(st, 6, spoken ? "Wants things to be calm at home." : NULL);
    stmt_bind_text(st, 7, sc_chance(sc, 30) ? "withdrawn" : "settled");
    stmt_bind_text(st, 8, "Quiet, made eye contact when spoken to.");
    stmt_bind_text(st, 9, spoken ? NULL : age < 4 ? "too_young" : "asleep");
    stmt_bind_int(st, 10, officer);
    stmt_bind_text(st, 11, ts);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, "voice of the child");
    return sc_row(sc);
}

/* One incident, received at t, with id and reference given. */
static int incident(struct scale *sc, int64_t id, const char *ref, int64_t t)
{
    const struct nature *nat = pick_nature(sc);
    int child = sc_chance(sc, nat->child_pct);
    int team;
    int64_t handler = sc_user(sc, SC_CALL_HANDLER, -1, &team);
    int64_t officer = sc_user(sc, SC_RESPONSE, team, NULL);
    int64_t supervisor = sc_user(sc, SC_SUPERVISOR, team, NULL);
    const char *team_name = sc_team_name(sc, team);

    /* Grades: a child at risk sets a floor (R1); otherwise the usual mix. */
    static const char *const grades[] = {"emergency", "priority", "scheduled",
                                         "resolved_without_deployment"};
    const char *risk_grade = NULL, *grade;
    unsigned g = sc_pick(sc, 100);
    if (child && g < 60)
        risk_grade = g < 15 ? "emergency" : "priority";
    int gi = g < 8 ? 0 : g < 40 ? 1 : g < 85 ? 2 : 3;
    grade = risk_grade ? risk_grade : grades[gi];
    int below = risk_grade && sc_chance(sc, 3); /* authorised below the floor */
    if (below)
        grade = strcmp(risk_grade, "emergency") == 0 ? "priority" : "scheduled";
    int64_t graded = t + (2 + sc_pick(sc, 8)) * MINUTE;
    int64_t attended = 0, closed = 0, voice_at = 0;
    int deploy = risk_grade || gi != 3;
    if (deploy) {
        int64_t delay = strcmp(grade, "emergency") == 0  ? (5 + sc_pick(sc, 20)) * MINUTE
                        : strcmp(grade, "priority") == 0 ? (15 + sc_pick(sc, 90)) * MINUTE
                                                         : (3 + sc_pick(sc, 60)) * HOUR;
        attended = t + delay;
    }
    closed = (attended ? attended : graded) + (1 + sc_pick(sc, 48)) * HOUR;
    const char *status = "closed";
    if (closed > sc->now) { /* the last couple of days: still in hand */
        closed = 0;
        if (attended > sc->now)
            attended = 0;
        status = attended ? "attended" : "open";
    }
    if (child && attended && sc_chance(sc, 88))
        voice_at = attended + (20 + sc_pick(sc, 600)) * MINUTE;
    if (voice_at > sc->now)
        voice_at = 0;

    char addr_line[128], postcode[16], town[64], location[256], akey[300];
    int64_t n_inc = sc->plan->incidents;
    int64_t addr = sc_chance(sc, 25) ? (int64_t)sc_pick(sc, (unsigned)(n_inc / 60 + 1))
                                     : n_inc + (int64_t)sc_pick(sc, (unsigned)(n_inc * 2));
    sc_address(addr, addr_line, sizeof(addr_line), postcode, sizeof(postcode), town, sizeof(town));
    snprintf(location, sizeof(location), "%s, %s", addr_line, town);
    incident_address_key(location, postcode, akey, sizeof(akey));

    char ts[TS_TEXT_LEN], gts[TS_TEXT_LEN], ats[TS_TEXT_LEN], cts[TS_TEXT_LEN], uts[TS_TEXT_LEN];
    sc_ts(t, ts);
    sc_ts(graded, gts);
    sc_ts(attended, ats);
    sc_ts(closed, cts);
    int64_t updated = closed ? closed : attended ? attended : graded;
    if (updated > sc->now)
        updated = sc->now;
    sc_ts(updated, uts);

    struct stmt *st = store_prepare(sc->s, SQL_SC_INCIDENT);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ref);
    stmt_bind_text(st, 3, ts);
    stmt_bind_text(st, 4, location);
    stmt_bind_text(st, 5, postcode);
    stmt_bind_text(st, 6, akey);
    stmt_bind_text(st, 7, nat->name);
    stmt_bind_text(st, 8,
                   child ? "Caller reports concern for a child at the address."
                         : "Caller reports a disturbance.");
    stmt_bind_text(st, 9, status);
    stmt_bind_text(st, 10, grade);
    stmt_bind_text(st, 11, risk_grade);
    stmt_bind_int(st, 12, below);
    stmt_bind_text(st, 13, below ? "No unit free; child with a safe adult meanwhile." : NULL);
    if (below)
        stmt_bind_int(st, 14, supervisor);
    stmt_bind_text(st, 15, below ? gts : NULL);
    stmt_bind_text(st, 16, gts);
    stmt_bind_int(st, 17, handler);
    stmt_bind_int(st, 18, id);
    stmt_bind_text(st, 19, attended ? ats : NULL);
    stmt_bind_text(st, 20, closed ? cts : NULL);
    stmt_bind_text(st, 21, closed ? "Words of advice; no further police action." : NULL);
    stmt_bind_text(st, 22, NULL);
    if (deploy)
        stmt_bind_int(st, 23, officer);
    stmt_bind_text(st, 24, team_name);
    stmt_bind_int(st, 25, handler);
    stmt_bind_text(st, 26, ts);
    stmt_bind_text(st, 27, uts);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, ref);
    sc->counts->incidents++;
    if (sc_row(sc) < 0)
        return -1;

    /* THRIVE (one per incident, the one in force when graded). */
    st = store_prepare(sc->s, SQL_SC_THRIVE);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, id);
    stmt_bind_text(st, 3, child ? "Risk of harm to a child at the address." : "Low.");
    stmt_bind_text(st, 4, risk_grade ? "Significant harm possible." : "Minor.");
    stmt_bind_text(st, 5, risk_grade ? "High" : "Standard");
    stmt_bind_text(st, 6, "Officer to attend and establish the facts.");
    stmt_bind_text(st, 7, child ? "A child is present." : "None known.");
    stmt_bind_text(st, 8, "Caller co-operative.");
    stmt_bind_int(st, 9, risk_grade && strcmp(risk_grade, "emergency") == 0);
    stmt_bind_int(st, 10, child && strcmp(nat->name, "domestic_abuse") == 0);
    stmt_bind_int(st, 11, child && strcmp(nat->name, "child_concern") == 0 && risk_grade);
    stmt_bind_int(st, 12, child && strcmp(nat->name, "sexual_offence") == 0);
    stmt_bind_int(st, 13, handler);
    stmt_bind_text(st, 14, gts);
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "thrive");
    st = store_prepare(sc->s, SQL_SC_GRADE_HISTORY);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, grade);
    stmt_bind_text(st, 3, risk_grade);
    stmt_bind_text(st, 4, below ? "No unit free; child with a safe adult meanwhile." : NULL);
    if (below)
        stmt_bind_int(st, 5, supervisor);
    stmt_bind_text(st, 6, gts);
    stmt_bind_int(st, 7, handler);
    stmt_bind_text(st, 8, "graded");
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "grade history");

    /* The people: adults by the nature, and the children. */
    int64_t linked[8];
    int n_linked = 0;
    int64_t first_child = 0;
    const char *nm = nat->name;
    int adults = strcmp(nm, "child_concern") == 0 ? 1 : 1 + (int)sc_pick(sc, 2);
    for (int a = 0; a < adults; a++) {
        const char *role = a == 0 ? (strcmp(nm, "child_concern") == 0 ? "reporting_person"
                                     : strcmp(nm, "antisocial") == 0  ? "subject"
                                                                      : "victim")
                                  : "suspect";
        if (link(sc, id, sc_adult(sc), role, 0, handler, ts, linked, &n_linked) < 0)
            return -1;
    }
    int children = child ? 1 + (sc_chance(sc, 30) ? 1 : 0) : 0;
    for (int c = 0; c < children; c++) {
        int64_t ch = sc_child(sc);
        const char *role = strcmp(nm, "domestic_abuse") == 0   ? "child_present"
                           : strcmp(nm, "sexual_offence") == 0 ? "victim"
                                                               : "subject";
        int before = n_linked;
        if (link(sc, id, ch, role, 1, handler, ts, linked, &n_linked) < 0)
            return -1;
        if (n_linked == before)
            continue;
        if (!first_child)
            first_child = ch;
        if (voice_at && voice(sc, id, ch, voice_at, officer) < 0)
            return -1;
        /* The voice task runs from attendance for each child (R2). */
        if (attended) {
            const char *vs = voice_at ? "done" : closed ? "cancelled" : "open";
            if (sc_task(sc, "incident.voice_of_child", id, ch, attended, officer, team_name, vs,
                        voice_at ? voice_at : closed, officer) < 0)
                return -1;
        }
    }

    /* Attendance tasks: emergency and priority grades. */
    if (strcmp(grade, "emergency") == 0 || strcmp(grade, "priority") == 0) {
        const char *rule =
            grade[0] == 'e' ? "incident.attend_emergency" : "incident.attend_priority";
        if (sc_task(sc, rule, id, first_child, t, officer, team_name, attended ? "done" : "open",
                    attended, officer) < 0)
            return -1;
    }
    return sc_audit(sc, t, handler, SC_T_INCIDENT, SC_A_CREATE, id);
}

int scale_incidents(struct scale *sc)
{
    int64_t n = sc->plan->incidents;
    int64_t span = sc->now - sc->start - HOUR;
    int year = 0;
    int64_t seq = 0;
    for (int64_t i = 0; i < n; i++) {
        /* Evenly through the five years, at a random moment of each
         * incident's own slot, so ids and references stay in time order. */
        double u = (double)sc_pick(sc, 1000) / 1000.0;
        int64_t t = sc->start + (int64_t)((double)span * ((double)i + u) / (double)n);
        struct civil_date d = date_of_ts(t);
        if (d.year != year) {
            year = d.year;
            seq = 0;
        }
        char ref[32];
        snprintf(ref, sizeof(ref), "INC-%04d-%06lld", d.year, (long long)++seq);
        if (incident(sc, i + 1, ref, t) < 0)
            return -1;
        if ((i & 8191) == 0)
            sc_progress(sc, "incidents", i, n);
    }
    sc_progress(sc, "incidents", n, n);
    return 0;
}
