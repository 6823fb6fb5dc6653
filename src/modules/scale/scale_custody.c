/*
 * scale_custody.c — children in custody at force scale (R8): children aged
 * 10 to 17 on the day they arrive, the responsible adult told and an
 * appropriate adult asked for and arriving, welfare assessed, a review at
 * six hours when held that long, the outcome, and for a child charged and
 * refused bail the s38(6) transfer to local authority accommodation; with
 * the tasks for each step, done when it was.
 */
#include "modules/people/seed_data.h"
#include "modules/scale/scale_internal.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define MINUTE 60LL
#define HOUR   3600LL

static void bind_ts(struct stmt *st, int i, int64_t t)
{
    char b[TS_TEXT_LEN];
    if (!t) {
        stmt_bind_null(st, i);
        return;
    }
    sc_ts(t, b);
    stmt_bind_text(st, i, b);
}

static int record(struct scale *sc, int64_t id, int64_t t)
{
    int64_t child = 0;
    int age = -1;
    for (int tries = 0; tries < 40 && (age < 10 || age > 17); tries++) {
        child = sc_child(sc);
        age = sc_age(sc, child, t);
    }
    if (age < 10 || age > 17)
        return 0; /* no child of custody age at this moment: skip it */
    static const char *const suites[] = {"Central custody suite", "North custody suite",
                                         "South custody suite"};
    static const char *const outcomes[] = {"released", "bailed", "charged", "charged_refused_bail"};
    unsigned o = sc_pick(sc, 100);
    int out = o < 50 ? 0 : o < 80 ? 1 : o < 95 ? 2 : 3;
    int team;
    int64_t sergeant = sc_user(sc, SC_CUSTODY_SERGEANT, -1, &team);
    int64_t inspector = sc_user(sc, SC_INSPECTOR, -1, NULL);
    const char *team_name = sc_team_name(sc, team);
    const char *la = seed_local_authorities.items[child % (int64_t)seed_local_authorities.count];
    int64_t told = t + (10 + sc_pick(sc, 50)) * MINUTE;
    int64_t aa_req = t + (5 + sc_pick(sc, 40)) * MINUTE;
    int64_t aa_arr = aa_req + (30 + sc_pick(sc, 200)) * MINUTE;
    int64_t welfare = t + (10 + sc_pick(sc, 40)) * MINUTE;
    int64_t outcome_at = aa_arr + (1 + sc_pick(sc, 9)) * HOUR;
    int64_t charged = out >= 2 ? outcome_at : 0;
    int64_t requested = 0, answered = 0, transferred = 0;
    if (out == 3) {
        requested = charged + (10 + sc_pick(sc, 40)) * MINUTE;
        answered = requested + (30 + sc_pick(sc, 120)) * MINUTE;
        transferred = answered + (1 + sc_pick(sc, 3)) * HOUR;
    }
    int64_t released = transferred ? transferred : outcome_at + (10 + sc_pick(sc, 50)) * MINUTE;
    int64_t review = t + 6 * HOUR <= released ? t + (5 * 60 + sc_pick(sc, 55)) * MINUTE : 0;
    int cell = sc_chance(sc, 70);
    struct civil_date d = date_of_ts(t);
    char ref[32];
    snprintf(ref, sizeof(ref), "CU-%04d-%06lld", d.year, (long long)id);

    struct stmt *st = store_prepare(sc->s, SQL_SC_CUSTODY);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ref);
    stmt_bind_int(st, 3, child);
    bind_ts(st, 4, t);
    stmt_bind_text(st, 5, suites[id % 3]);
    stmt_bind_text(st, 6, "Arrested on suspicion of theft; detention to secure evidence.");
    stmt_bind_text(st, 7, la);
    stmt_bind_int(st, 8, age);
    stmt_bind_int(st, 9, age);
    stmt_bind_int(st, 10, cell);
    stmt_bind_text(st, 11, cell ? "No juvenile detention room free at the suite." : NULL);
    bind_ts(st, 12, t + 15 * MINUTE);
    stmt_bind_text(st, 13, "Parent (mother)");
    bind_ts(st, 14, told);
    bind_ts(st, 15, aa_req);
    stmt_bind_text(st, 16, sc_chance(sc, 60) ? "family" : "scheme");
    stmt_bind_text(st, 17, "Appropriate adult");
    stmt_bind_text(st, 18, "parent");
    bind_ts(st, 19, aa_arr);
    bind_ts(st, 20, welfare);
    stmt_bind_text(st, 21, sc_chance(sc, 80) ? "requested" : "declined");
    bind_ts(st, 22, welfare);
    stmt_bind_text(st, 23, outcomes[out]);
    bind_ts(st, 24, outcome_at);
    bind_ts(st, 25, charged);
    bind_ts(st, 26, requested);
    stmt_bind_text(st, 27, requested ? "non_secure" : NULL);
    stmt_bind_text(st, 28, requested ? la : NULL);
    stmt_bind_text(st, 29, requested ? "accepted" : NULL);
    bind_ts(st, 30, answered);
    bind_ts(st, 31, transferred);
    bind_ts(st, 32, released);
    stmt_bind_text(st, 33, transferred ? "Local authority accommodation" : "Parent");
    stmt_bind_text(st, 34, "released");
    stmt_bind_text(st, 35, team_name);
    stmt_bind_int(st, 36, sergeant);
    bind_ts(st, 37, t);
    bind_ts(st, 38, released);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, ref);
    sc->counts->custody++;
    if (sc_row(sc) < 0)
        return -1;
    st = store_prepare(sc->s, SQL_SC_CUSTODY_AGE);
    stmt_bind_int(st, 1, id);
    bind_ts(st, 2, t);
    stmt_bind_int(st, 3, age);
    stmt_bind_int(st, 4, age);
    stmt_bind_int(st, 5, sergeant);
    bind_ts(st, 6, t);
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "custody age");
    if (review) {
        st = store_prepare(sc->s, SQL_SC_CUSTODY_REVIEW);
        stmt_bind_int(st, 1, id);
        bind_ts(st, 2, review);
        stmt_bind_text(st, 3, "continue");
        stmt_bind_text(st, 4, "Detention still necessary to secure evidence by interview.");
        stmt_bind_int(st, 5, inspector);
        bind_ts(st, 6, review);
        if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
            return sc_fail(sc, "custody review");
    }
    /* R8 tasks, each done when its step was (or cancelled at release). */
    const struct {
        const char *rule;
        int64_t from, done, by;
    } tasks[] = {
        {"custody.inform_responsible_adult", t, told, sergeant},
        {"custody.request_aa", t, aa_req, sergeant},
        {"custody.aa_arrival_sergeant", aa_req, aa_arr, sergeant},
        {"custody.welfare_needs", t, welfare, sergeant},
        {"custody.review_first", t, review, inspector},
        {"custody.transfer_request", charged, requested, sergeant},
        {"custody.s38_transfer", charged, transferred, sergeant},
    };
    for (size_t i = 0; i < sizeof(tasks) / sizeof(tasks[0]); i++) {
        if (!tasks[i].from || (strstr(tasks[i].rule, "transfer") && !requested))
            continue;
        const char *status = tasks[i].done ? "done" : "cancelled";
        if (sc_task(sc, tasks[i].rule, id, child, tasks[i].from, sergeant, team_name, status,
                    tasks[i].done ? tasks[i].done : released, tasks[i].by) < 0)
            return -1;
    }
    return sc_audit(sc, t, sergeant, SC_T_CUSTODY, SC_A_CREATE, id);
}

int scale_custody(struct scale *sc)
{
    int64_t n = sc->plan->custody;
    int64_t span = sc->now - sc->start - 2 * 86400;
    for (int64_t i = 0; i < n; i++) {
        int64_t t = sc->start + (int64_t)((double)span * ((double)i + 0.5) / (double)n);
        if (record(sc, sc->counts->custody + 1, t) < 0)
            return -1;
        if ((i & 1023) == 0)
            sc_progress(sc, "children in custody", i, n);
    }
    sc_progress(sc, "children in custody", n, n);
    return 0;
}
