/*
 * scale_investigations.c — child abuse investigations at force scale, each
 * opened from a referral that was sent: allocated to an investigator of the
 * team (mostly a match), reviewed on allocation and about every 28 days
 * while open (R5), closed after weeks or months; open ones hold their
 * periodic review task.
 */
#include "modules/scale/scale_internal.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600LL
#define DAY  86400LL

struct sent {
    int64_t id, person, at, source_id;
    int incident;
};

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

static int review(struct scale *sc, int64_t inv, int64_t at, int64_t due, const char *trigger,
                  int64_t user)
{
    struct stmt *st = store_prepare(sc->s, SQL_SC_INVESTIGATION_REVIEW);
    stmt_bind_int(st, 1, inv);
    bind_ts(st, 2, at);
    bind_ts(st, 3, due);
    stmt_bind_text(st, 4, trigger);
    stmt_bind_text(st, 5, sc_chance(sc, 80) ? "good" : "adequate");
    stmt_bind_text(st, 6, "Actions on track.");
    stmt_bind_text(st, 7, "Risk to the child managed by the safety plan.");
    stmt_bind_text(st, 8, "Victim's family updated.");
    stmt_bind_text(st, 9, "Continue; obtain the medical report.");
    stmt_bind_int(st, 10, user);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, "investigation review");
    return sc_row(sc);
}

static int investigation(struct scale *sc, int64_t id, const struct sent *r)
{
    static const struct {
        const char *crime, *category;
    } kinds[] = {{"Child neglect", "neglect"},
                 {"Assault occasioning actual bodily harm", "physical_abuse"},
                 {"Sexual assault of a child under 13", "sexual_abuse"},
                 {"Controlling or coercive behaviour", "domestic_abuse"},
                 {"Child sexual exploitation", "child_sexual_exploitation"},
                 {"County lines exploitation", "child_criminal_exploitation"}};
    unsigned k = sc_pick(sc, 6);
    int team;
    int64_t officer = sc_user(sc, SC_INVESTIGATOR, -1, &team);
    int64_t supervisor = sc_user(sc, SC_SUPERVISOR, team, NULL);
    const char *team_name = sc_team_name(sc, team);
    int64_t created = r->at + (2 + sc_pick(sc, 40)) * HOUR;
    if (created > sc->now)
        created = sc->now - HOUR;
    int64_t allocated = created + (1 + sc_pick(sc, 20)) * HOUR;
    int64_t alloc_review = allocated + (1 + sc_pick(sc, 22)) * HOUR;
    int64_t closes = created + (20 + sc_pick(sc, 220)) * DAY;
    int open = closes > sc->now;
    if (allocated > sc->now)
        allocated = alloc_review = 0;
    if (alloc_review > sc->now)
        alloc_review = 0;
    const char *status = !open ? "closed" : allocated ? "active" : "new";
    int64_t last_review = alloc_review;
    int64_t last_action = open ? sc->now - (int64_t)sc_pick(sc, 10) * DAY : closes;
    if (last_action < created)
        last_action = created;
    struct civil_date d = date_of_ts(created);
    char ref[32];
    snprintf(ref, sizeof(ref), "INV-%04d-%06lld", d.year, (long long)id);
    char cts[TS_TEXT_LEN];
    sc_ts(created, cts);

    /* Periodic reviews every 28 days or so while open (up to six). */
    int64_t reviews[6];
    int nr = 0;
    for (int64_t t = alloc_review + 27 * DAY; alloc_review && nr < 6; t += 27 * DAY) {
        if (t > (open ? sc->now : closes))
            break;
        reviews[nr++] = t + (int64_t)sc_pick(sc, 3) * DAY;
        last_review = reviews[nr - 1];
    }
    if (last_review > sc->now)
        last_review = sc->now;

    struct stmt *st = store_prepare(sc->s, SQL_SC_INVESTIGATION);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ref);
    stmt_bind_text(st, 3, kinds[k].crime);
    stmt_bind_text(st, 4, kinds[k].category);
    stmt_bind_int(st, 5, 1 + (int)sc_pick(sc, 3));
    stmt_bind_text(st, 6, "Disclosure to a teacher; strategy discussion held.");
    stmt_bind_text(st, 7, "ABE interview; medical; suspect interview.");
    stmt_bind_text(st, 8, status);
    bind_ts(st, 9, open ? (allocated ? allocated : created) : closes);
    if (allocated) {
        stmt_bind_int(st, 10, sc->team_ids[team]);
        stmt_bind_int(st, 11, officer);
        bind_ts(st, 12, allocated);
        stmt_bind_int(st, 13, supervisor);
        stmt_bind_int(st, 14, sc_chance(sc, 92));
        stmt_bind_text(st, 15, sc->usernames[officer]);
        stmt_bind_int(st, 16, 4 + (int)sc_pick(sc, 8));
        stmt_bind_int(st, 17, 12);
    }
    bind_ts(st, 18, last_action);
    bind_ts(st, 19, last_review);
    stmt_bind_int(st, 20, 1);
    bind_ts(st, 21, r->at);
    stmt_bind_text(st, 22, open ? NULL : sc_chance(sc, 30) ? "charged" : "no_further_action");
    bind_ts(st, 23, open ? 0 : closes);
    stmt_bind_text(st, 24, team_name);
    stmt_bind_int(st, 25, supervisor);
    stmt_bind_text(st, 26, cts);
    bind_ts(st, 27, open ? last_action : closes);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, ref);
    sc->counts->investigations++;
    if (sc_row(sc) < 0)
        return -1;
    st = store_prepare(sc->s, SQL_SC_INVESTIGATION_PERSON);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, r->person);
    stmt_bind_text(st, 3, "victim");
    stmt_bind_int(st, 4, 1);
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "investigation person");
    st = store_prepare(sc->s, SQL_SC_INVESTIGATION_PERSON);
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, sc_adult(sc));
    stmt_bind_text(st, 3, "suspect");
    stmt_bind_int(st, 4, 0);
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "investigation person");
    for (int l = 0; l < 2; l++) {
        st = store_prepare(sc->s, SQL_SC_INVESTIGATION_LINK);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, l == 0 ? "referral" : r->incident ? "incident" : "missing_episode");
        stmt_bind_int(st, 3, l == 0 ? r->id : r->source_id);
        if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
            return sc_fail(sc, "investigation link");
    }
    if (alloc_review && review(sc, id, alloc_review, allocated + DAY, "allocation", supervisor) < 0)
        return -1;
    for (int i = 0; i < nr; i++)
        if (reviews[i] <= sc->now &&
            review(sc, id, reviews[i], reviews[i] - (int64_t)sc_pick(sc, 3) * DAY, "periodic",
                   supervisor) < 0)
            return -1;

    /* R5 tasks: allocation, its review, and the periodic review in hand. */
    if (sc_task(sc, "investigation.allocate", id, r->person, created, 0, team_name,
                allocated ? "done" : "open", allocated, supervisor) < 0)
        return -1;
    if (allocated &&
        sc_task(sc, "investigation.review_allocation", id, r->person, allocated, 0, team_name,
                alloc_review ? "done" : "open", alloc_review, supervisor) < 0)
        return -1;
    if (alloc_review && sc_task(sc, "investigation.review_periodic", id, r->person, last_review, 0,
                                team_name, open ? "open" : "cancelled", open ? 0 : closes, 0) < 0)
        return -1;
    if (open && allocated &&
        sc_task(sc, "investigation.stale", id, r->person, last_action, officer, team_name, "open",
                0, 0) < 0)
        return -1;
    return sc_audit(sc, created, supervisor, SC_T_INVESTIGATION, SC_A_CREATE, id);
}

int scale_investigations(struct scale *sc)
{
    size_t cap = 4096, n = 0;
    struct sent *v = malloc(cap * sizeof(*v));
    struct stmt *st = store_prepare(sc->s, SQL_SC_REFERRALS_SENT);
    if (!v || !st) {
        free(v);
        return sc_fail(sc, "sent referrals");
    }
    while (stmt_step(st) == STORE_ROW) {
        if (n == cap) {
            struct sent *w = realloc(v, (cap *= 2) * sizeof(*v));
            if (!w) {
                stmt_reset(st);
                free(v);
                return -1;
            }
            v = w;
        }
        v[n].id = stmt_int(st, 0);
        v[n].person = stmt_int(st, 1);
        ts_parse(stmt_text(st, 2), &v[n].at);
        v[n].incident = strcmp(stmt_text(st, 3), "incident") == 0;
        v[n].source_id = stmt_int(st, 4);
        n++;
    }
    stmt_reset(st);
    int64_t k = sc->plan->investigations < (int64_t)n ? sc->plan->investigations : (int64_t)n;
    int rc = 0;
    for (int64_t j = 0; j < k && rc == 0; j++) {
        rc = investigation(sc, j + 1, &v[(size_t)((double)j * (double)n / (double)k)]);
        if ((j & 1023) == 0)
            sc_progress(sc, "investigations", j, k);
    }
    free(v);
    sc_progress(sc, "investigations", k, k);
    return rc;
}
