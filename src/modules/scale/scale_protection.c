/*
 * scale_protection.c — police protection at force scale: used at emergency
 * incidents where a child was present, each case through its steps within
 * the 72 hours (designation by an inspector, never the initiating officer;
 * placement, the local authority, parents and child told, the inquiry and
 * release), with the decision on the incident, the events and the tasks.
 */
#include "modules/scale/scale_internal.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE 60LL
#define HOUR   3600LL

struct use {
    int64_t incident, at, child;
    char key[200];
    int team;
};

static void bind_ts(struct stmt *st, int i, int64_t t)
{
    char b[TS_TEXT_LEN];
    sc_ts(t, b);
    stmt_bind_text(st, i, b);
}

static int event(struct scale *sc, int64_t id, int64_t at, const char *kind, const char *text,
                 int64_t user)
{
    struct stmt *st = store_prepare(sc->s, SQL_SC_PROTECTION_EVENT);
    stmt_bind_int(st, 1, id);
    bind_ts(st, 2, at);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    stmt_bind_int(st, 5, user);
    bind_ts(st, 6, at);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, "protection event");
    return sc_row(sc);
}

static int protection(struct scale *sc, int64_t id, const struct use *u)
{
    int64_t initiating = sc_user(sc, SC_RESPONSE, u->team, NULL);
    int64_t designated = sc_user(sc, SC_INSPECTOR, -1, NULL); /* another role: never the same */
    int64_t supervisor = sc_user(sc, SC_SUPERVISOR, u->team, NULL);
    const char *team = sc_team_name(sc, u->team);
    int64_t t = u->at + (30 + sc_pick(sc, 60)) * MINUTE;
    int64_t steps[7]; /* designated, placed, la, parents, child, inquiry, released */
    steps[0] = t + (20 + sc_pick(sc, 100)) * MINUTE;
    steps[1] = steps[0] + (30 + sc_pick(sc, 90)) * MINUTE;
    steps[2] = t + (30 + sc_pick(sc, 150)) * MINUTE;
    steps[3] = t + (60 + sc_pick(sc, 240)) * MINUTE;
    steps[4] = t + (20 + sc_pick(sc, 90)) * MINUTE;
    steps[5] = steps[0] + (6 + sc_pick(sc, 30)) * HOUR;
    steps[6] = steps[5] + (1 + sc_pick(sc, 24)) * HOUR;
    if (steps[6] > t + 71 * HOUR)
        steps[6] = t + 71 * HOUR;
    struct civil_date d = date_of_ts(t);
    char ref[32];
    snprintf(ref, sizeof(ref), "PP-%04d-%06lld", d.year, (long long)id);
    static const char *const places[] = {"foster_carer", "la_accommodation", "relative"};
    unsigned place = sc_pick(sc, 3);
    int released_home = sc_chance(sc, 55);

    struct stmt *st = store_prepare(sc->s, SQL_SC_PROTECTION);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ref);
    stmt_bind_int(st, 3, u->child);
    stmt_bind_int(st, 4, u->incident);
    stmt_bind_text(st, 5, u->key);
    stmt_bind_text(st, 6, sc_chance(sc, 85) ? "removed" : "prevented_removal");
    stmt_bind_text(st, 7, "Child found alone at the address with both carers intoxicated.");
    stmt_bind_text(st, 8, "Likely to suffer significant harm if left at the address.");
    bind_ts(st, 9, t);
    bind_ts(st, 10, t + 72 * HOUR);
    stmt_bind_int(st, 11, initiating);
    stmt_bind_int(st, 12, designated);
    bind_ts(st, 13, steps[0]);
    stmt_bind_text(st, 14, places[place]);
    stmt_bind_text(st, 15, "Emergency placement arranged by the duty social worker.");
    stmt_bind_null(st, 16);
    bind_ts(st, 17, steps[1]);
    bind_ts(st, 18, steps[2]);
    stmt_bind_text(st, 19, "Emergency duty team told by phone.");
    bind_ts(st, 20, steps[3]);
    stmt_bind_text(st, 21, "Mother told in person.");
    bind_ts(st, 22, steps[3]);
    bind_ts(st, 23, steps[4]);
    stmt_bind_text(st, 24, "Wants to see their mum tomorrow.");
    bind_ts(st, 25, steps[5]);
    stmt_bind_text(st, 26, "Inquiry complete; plan agreed with the local authority.");
    stmt_bind_text(st, 27, released_home ? "release_to_parents" : "la_accommodation");
    stmt_bind_int(st, 28, designated);
    bind_ts(st, 29, steps[6]);
    stmt_bind_text(st, 30, released_home ? "Parents" : "Local authority accommodation");
    stmt_bind_text(st, 31, "released");
    stmt_bind_text(st, 32, team);
    stmt_bind_int(st, 33, initiating);
    bind_ts(st, 34, t);
    bind_ts(st, 35, steps[6]);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, ref);
    sc->counts->protection++;
    if (sc_row(sc) < 0)
        return -1;
    st = store_prepare(sc->s, SQL_SC_PROTECTION_DECISION);
    stmt_bind_int(st, 1, u->incident);
    stmt_bind_text(st, 2, "Significant harm likely; power used.");
    stmt_bind_int(st, 3, supervisor);
    bind_ts(st, 4, t);
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "protection decision");
    static const struct {
        const char *kind, *text, *rule;
        int step, by_designated;
    } flow[] = {
        {"designated", "Designated officer appointed.", "protection.designate", 0, 0},
        {"placed", "Child placed.", NULL, 1, 0},
        {"la_informed", "Local authority informed.", "protection.inform_la", 2, 0},
        {"parents_informed", "Parents informed.", "protection.inform_parents", 3, 0},
        {"child_informed", "Child told and views recorded.", "protection.inform_child", 4, 0},
        {"inquiry", "Inquiry completed.", "protection.inquiry", 5, 1},
        {"released", "Released from police protection.", "protection.release_or_epo", 6, 1},
    };
    if (event(sc, id, t, "initiated", "Police protection used.", initiating) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(flow) / sizeof(flow[0]); i++) {
        int64_t by = flow[i].by_designated ? designated : initiating;
        if (event(sc, id, steps[flow[i].step], flow[i].kind, flow[i].text, by) < 0)
            return -1;
        if (flow[i].rule && sc_task(sc, flow[i].rule, id, u->child, t, by, team, "done",
                                    steps[flow[i].step], by) < 0)
            return -1;
    }
    if (sc_task(sc, "protection.expiry", id, u->child, t, 0, team, "done", steps[6], designated) <
        0)
        return -1;
    return sc_audit(sc, t, initiating, SC_T_PROTECTION, SC_A_CREATE, id);
}

int scale_protection(struct scale *sc)
{
    size_t cap = 4096, n = 0;
    struct use *v = malloc(cap * sizeof(*v));
    struct stmt *st = store_prepare(sc->s, SQL_SC_PROTECTION_SOURCES);
    if (!v || !st) {
        free(v);
        return sc_fail(sc, "protection sources");
    }
    int64_t last = 0;
    while (stmt_step(st) == STORE_ROW) {
        if (stmt_int(st, 0) == last) /* one child per incident here */
            continue;
        last = stmt_int(st, 0);
        if (n == cap) {
            struct use *w = realloc(v, (cap *= 2) * sizeof(*v));
            if (!w) {
                stmt_reset(st);
                free(v);
                return -1;
            }
            v = w;
        }
        v[n].incident = last;
        ts_parse(stmt_text(st, 1), &v[n].at);
        snprintf(v[n].key, sizeof(v[n].key), "%s", stmt_text(st, 2));
        v[n].child = stmt_int(st, 3);
        v[n].team = sc_team_of_name(sc, stmt_text(st, 4));
        n++;
    }
    stmt_reset(st);
    int64_t k = sc->plan->protection < (int64_t)n ? sc->plan->protection : (int64_t)n;
    int rc = 0;
    for (int64_t j = 0; j < k && rc == 0; j++) {
        const struct use *u = &v[(size_t)((double)j * (double)n / (double)k)];
        if (u->at + 80 * HOUR > sc->now) /* every case here has run its course */
            continue;
        rc = protection(sc, sc->counts->protection + 1, u);
        if ((j & 255) == 0)
            sc_progress(sc, "police protection", j, k);
    }
    free(v);
    sc_progress(sc, "police protection", k, k);
    return rc;
}
