/*
 * scale_offenders.c — registered sex offenders at force scale (R7): each a
 * distinct adult with a conviction and its notification period, an initial
 * notification and yearly ones, yearly risk assessments and home visits at
 * the frequency their risk sets, and the open visit and risk review tasks.
 */
#include "modules/incidents/incidents.h"
#include "modules/scale/scale_internal.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400LL

static void bind_date(struct stmt *st, int i, int64_t t)
{
    char b[DATE_TEXT_LEN];
    sc_date(t, b);
    stmt_bind_text(st, i, b);
}

static void bind_ts(struct stmt *st, int i, int64_t t)
{
    char b[TS_TEXT_LEN];
    sc_ts(t, b);
    stmt_bind_text(st, i, b);
}

static int offender(struct scale *sc, int64_t id, int64_t person)
{
    static const char *const levels[] = {"very_high", "high", "medium", "low"};
    static const int visit_months[] = {1, 3, 6, 12};
    unsigned r = sc_pick(sc, 100);
    int lv = r < 5 ? 0 : r < 25 ? 1 : r < 65 ? 2 : 3;
    int team;
    int64_t manager = sc_user(sc, SC_OFFENDER_MANAGER, -1, &team);
    const char *team_name = sc_team_name(sc, team);
    /* Registered up to three years before the five, or during them. */
    int64_t registered =
        sc->start - 3 * 365 * DAY +
        (int64_t)sc_pick(sc, (unsigned)((sc->now - sc->start) / DAY + 3 * 365 - 30)) * DAY;
    int64_t from = registered > sc->start ? registered : sc->start;
    int64_t interval = visit_months[lv] * 30 * DAY;
    int64_t last_visit = 0, last_risk = from;
    char ref[32];
    struct civil_date d = date_of_ts(registered);
    snprintf(ref, sizeof(ref), "RSO-%04d-%06lld", d.year, (long long)id);
    char line1[128], postcode[16], town[64], location[256], key[300];
    sc_address(9000000 + person, line1, sizeof(line1), postcode, sizeof(postcode), town,
               sizeof(town));
    snprintf(location, sizeof(location), "%s, %s", line1, town);
    incident_address_key(location, postcode, key, sizeof(key));

    /* The visits and yearly risk reviews through the years: dates first,
     * as the offender's row carries the latest of each. */
    int64_t visits[80];
    int nv = 0;
    for (int64_t t = from + interval; t < sc->now && nv < 80; t += interval)
        last_visit = visits[nv++] = t - (int64_t)sc_pick(sc, 10) * DAY;
    for (int64_t t = from; t < sc->now; t += 365 * DAY)
        last_risk = t;

    struct stmt *st = store_prepare(sc->s, SQL_SC_OFFENDER);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ref);
    stmt_bind_int(st, 3, person);
    bind_date(st, 4, registered);
    stmt_bind_int(st, 5, manager);
    stmt_bind_text(st, 6, team_name);
    stmt_bind_text(st, 7, town);
    stmt_bind_text(st, 8, levels[lv]);
    bind_date(st, 9, last_risk);
    bind_date(st, 10, last_risk + 365 * DAY);
    stmt_bind_int(st, 11, 1);
    stmt_bind_int(st, 12, lv == 0 ? 2 : 1);
    stmt_bind_int(st, 13, visit_months[lv]);
    stmt_bind_text(st, 14, "Visits at the frequency the risk sets; no unsupervised contact.");
    bind_ts(st, 15, last_risk);
    stmt_bind_int(st, 16, manager);
    bind_ts(st, 17, registered);
    bind_ts(st, 18, last_visit ? last_visit : from);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, ref);
    sc->counts->offenders++;
    if (sc_row(sc) < 0)
        return -1;
    /* The conviction that made them register. */
    int age = sc_age(sc, person, registered);
    st = store_prepare(sc->s, SQL_SC_CONVICTION);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, "Sexual assault (SOA 2003 s3)");
    bind_date(st, 3, registered - 30 * DAY);
    stmt_bind_int(st, 4, 12 + (int)sc_pick(sc, 12));
    stmt_bind_int(st, 5, age < 18 ? 18 : age > 120 ? 120 : age);
    stmt_bind_int(st, 6, 120);
    stmt_bind_text(st, 7,
                   "10 years: custody of more than 6 but less than 30 months (SOA 2003 s82)");
    bind_date(st, 8, registered + 3650 * DAY);
    stmt_bind_null(st, 9);
    stmt_bind_int(st, 10, manager);
    bind_ts(st, 11, registered);
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "conviction");
    int rc = 0;
    for (int v = 0; v < nv && rc == 0; v++) {
        int64_t done = visits[v];
        struct stmt *vs = store_prepare(sc->s, SQL_SC_OFFENDER_VISIT);
        stmt_bind_int(vs, 1, id);
        stmt_bind_text(vs, 2, sc_chance(sc, 60) ? "unannounced" : "announced");
        bind_date(vs, 3, done);
        bind_date(vs, 4, done);
        bind_date(vs, 5, done);
        stmt_bind_text(vs, 6, levels[lv]);
        stmt_bind_text(vs, 7, "Home checked; no children present; compliant.");
        stmt_bind_int(vs, 8, manager);
        bind_ts(vs, 9, done);
        bind_ts(vs, 10, done);
        rc = store_exec_stmt(vs) == STORE_OK ? sc_row(sc) : sc_fail(sc, "offender visit");
    }
    for (int64_t t = from; t < sc->now && rc == 0; t += 365 * DAY) {
        struct stmt *ra = store_prepare(sc->s, SQL_SC_RISK_ASSESSMENT);
        stmt_bind_int(ra, 1, id);
        stmt_bind_text(ra, 2, levels[lv]);
        bind_date(ra, 3, t);
        bind_date(ra, 4, t + 365 * DAY);
        bind_date(ra, 5, t);
        stmt_bind_text(ra, 6, "ARMS assessment: no change in risk factors.");
        stmt_bind_int(ra, 7, manager);
        bind_ts(ra, 8, t);
        rc = store_exec_stmt(ra) == STORE_OK ? sc_row(sc) : sc_fail(sc, "risk assessment");
    }
    for (int64_t t = registered; t < sc->now && rc == 0; t += 365 * DAY) {
        if (t < sc->start)
            continue;
        struct stmt *no = store_prepare(sc->s, SQL_SC_OFFENDER_NOTIFICATION);
        stmt_bind_int(no, 1, id);
        stmt_bind_text(no, 2, t == registered ? "initial" : "annual");
        stmt_bind_text(no, 3, "Attended the police station in person.");
        stmt_bind_text(no, 4, line1);
        stmt_bind_text(no, 5, postcode);
        stmt_bind_text(no, 6, key);
        bind_date(no, 7, t);
        bind_date(no, 8, t + 3 * DAY);
        bind_date(no, 9, t + (int64_t)sc_pick(sc, 3) * DAY);
        stmt_bind_int(no, 10, manager);
        bind_ts(no, 11, t);
        rc = store_exec_stmt(no) == STORE_OK ? sc_row(sc) : sc_fail(sc, "notification");
    }
    if (rc < 0)
        return -1;
    /* The next visit and the next risk review are in hand. */
    int64_t from_visit = last_visit ? last_visit : from;
    if (sc_task(sc, "offender.visit", id, 0, from_visit, manager, team_name, "open", 0, 0) < 0 ||
        sc_task(sc, "offender.risk_review", id, 0, last_risk, manager, team_name, "open", 0, 0) < 0)
        return -1;
    return sc_audit(sc, registered > sc->start ? registered : sc->start, manager, SC_T_OFFENDER,
                    SC_A_CREATE, id);
}

int scale_offenders(struct scale *sc)
{
    /* Distinct adults from the tail of the pool (not the repeat head). */
    int64_t k = sc->plan->offenders;
    size_t n = sc->adults.n;
    if (k > (int64_t)n / 2)
        k = (int64_t)n / 2;
    for (int64_t j = 0; j < k; j++) {
        int64_t person = sc->adults.ids[n - 1 - (size_t)j * (n / 2) / (size_t)k];
        if (offender(sc, j + 1, person) < 0)
            return -1;
        if ((j & 255) == 0)
            sc_progress(sc, "offenders", j, k);
    }
    sc_progress(sc, "offenders", k, k);
    return 0;
}
