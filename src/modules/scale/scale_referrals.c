/*
 * scale_referrals.c — referrals to children's social care at force scale:
 * most from child incidents (the incident's referral task done when sent),
 * the rest after a missing child's return; each drafted, reviewed and sent
 * by its urgency's deadline (a few late), acknowledged and decided by the
 * child's local authority, with the R4 tasks for each step.
 */
#include "modules/scale/scale_internal.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE 60LL
#define HOUR   3600LL

struct source {
    int64_t id, person, at;
    char reference[24], nature[16];
    int team;
};

/* Reads the candidate events: (incident, child) pairs or returned missing
 * children, in id order. */
static int read_sources(struct scale *sc, const char *sql, int incidents, struct source **out,
                        size_t *n)
{
    size_t cap = 4096;
    struct source *v = malloc(cap * sizeof(*v));
    if (!v)
        return -1;
    *n = 0;
    struct stmt *st = store_prepare(sc->s, sql);
    if (!st) {
        free(v);
        return sc_fail(sc, "referral sources");
    }
    while (stmt_step(st) == STORE_ROW) {
        if (*n == cap) {
            struct source *w = realloc(v, (cap *= 2) * sizeof(*v));
            if (!w) {
                stmt_reset(st);
                free(v);
                return -1;
            }
            v = w;
        }
        struct source *x = &v[(*n)++];
        x->id = stmt_int(st, 0);
        snprintf(x->reference, sizeof(x->reference), "%s", stmt_text(st, 1));
        if (incidents) {
            ts_parse(stmt_text(st, 2), &x->at);
            x->person = stmt_int(st, 3);
            snprintf(x->nature, sizeof(x->nature), "%s", stmt_text(st, 4));
            x->team = sc_team_of_name(sc, stmt_text(st, 5));
        } else {
            x->person = stmt_int(st, 2);
            ts_parse(stmt_text(st, 3), &x->at);
            x->nature[0] = '\0';
            x->team = sc_team_of_name(sc, stmt_text(st, 4));
        }
    }
    stmt_reset(st);
    *out = v;
    return 0;
}

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

static int referral(struct scale *sc, int64_t id, const struct source *src, int from_incident)
{
    static const char *const urgencies[] = {"immediate", "within_24h", "routine"};
    static const int deadline_hours[] = {1, 24, 72};
    unsigned r = sc_pick(sc, 100);
    int u = r < 10 ? 0 : r < 90 ? 1 : 2;
    int team = src->team;
    int64_t author = sc_user(sc, SC_HUB, team, &team);
    int64_t reviewer = sc_user(sc, SC_SUPERVISOR, team, NULL);
    const char *team_name = sc_team_name(sc, team);
    int64_t concern = src->at;
    int late = sc_chance(sc, 7);
    int64_t budget = deadline_hours[u] * HOUR;
    int64_t sent = concern + (late ? budget + (int64_t)(1 + sc_pick(sc, 6)) * HOUR
                                   : budget / 4 + (int64_t)sc_pick(sc, (unsigned)(budget / 2)));
    int64_t submitted = concern + (sent - concern) / 2;
    int64_t reviewed = sent - 5 * MINUTE;
    int64_t acked = sent + (2 + sc_pick(sc, 30)) * HOUR;
    int64_t decided = acked + (1 + sc_pick(sc, 48)) * HOUR;
    const char *status = "sent";
    if (sent > sc->now) {
        status = submitted <= sc->now ? "submitted" : "draft";
        sent = reviewed = acked = decided = 0;
        if (submitted > sc->now)
            submitted = 0;
    }
    if (acked > sc->now)
        acked = decided = 0;
    if (decided > sc->now)
        decided = 0;
    struct civil_date d = date_of_ts(concern);
    char ref[32];
    snprintf(ref, sizeof(ref), "REF-%04d-%06lld", d.year, (long long)id);
    char cts[TS_TEXT_LEN];
    sc_ts(concern, cts);
    int da = strcmp(src->nature, "domestic_abuse") == 0;

    struct stmt *st = store_prepare(sc->s, SQL_SC_REFERRAL);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, ref);
    stmt_bind_int(st, 3, src->person);
    stmt_bind_text(st, 4, from_incident ? "incident" : "missing_episode");
    stmt_bind_int(st, 5, src->id);
    stmt_bind_text(st, 6, src->reference);
    stmt_bind_text(st, 7, cts);
    stmt_bind_text(st, 8,
                   from_incident ? "Child present at an incident attended by police."
                                 : "Child returned after a missing episode.");
    stmt_bind_text(st, 9, "Said they felt scared at home.");
    stmt_bind_text(st, 10, "Risk of emotional harm; needs assessment.");
    stmt_bind_text(st, 11, sc_chance(sc, 70) ? "given" : "not_sought");
    stmt_bind_text(st, 12, urgencies[u]);
    stmt_bind_text(st, 13, status);
    stmt_bind_text(st, 14, da ? "domestic abuse with a child present (R4)" : NULL);
    bind_ts(st, 15, submitted);
    bind_ts(st, 16, reviewed);
    if (reviewed)
        stmt_bind_int(st, 17, reviewer);
    bind_ts(st, 18, sent);
    if (sent)
        stmt_bind_int(st, 19, author);
    stmt_bind_text(st, 20, team_name);
    stmt_bind_int(st, 21, author);
    stmt_bind_text(st, 22, cts);
    bind_ts(st, 23, decided ? decided : acked ? acked : sent ? sent : concern);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, ref);
    sc->counts->referrals++;
    if (sc_row(sc) < 0)
        return -1;
    st = store_prepare(sc->s, SQL_SC_REFERRAL_CATEGORY);
    stmt_bind_int(st, 1, id);
    stmt_bind_text(st, 2, da ? "domestic_abuse" : from_incident ? "neglect" : "missing");
    if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
        return sc_fail(sc, "referral category");
    if (sent) {
        static const char *const decisions[] = {"no_further_action", "early_help", "assessment",
                                                "strategy_discussion"};
        st = store_prepare(sc->s, SQL_SC_REFERRAL_RECIPIENT);
        stmt_bind_int(st, 1, id);
        stmt_bind_int(st, 2, sc->agencies[src->person % (int64_t)sc->n_agencies]);
        bind_ts(st, 3, sent);
        bind_ts(st, 4, acked ? acked - HOUR : 0);
        bind_ts(st, 5, acked);
        stmt_bind_text(st, 6, decided ? decisions[sc_pick(sc, 4)] : NULL);
        stmt_bind_text(st, 7, decided ? "Decision recorded by the MASH." : NULL);
        bind_ts(st, 8, decided);
        if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
            return sc_fail(sc, "referral recipient");
        char sts[TS_TEXT_LEN];
        sc_ts(sent, sts);
        st = store_prepare(sc->s, SQL_SC_REFERRAL_EVENT);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, sts);
        stmt_bind_text(st, 3, "sent");
        stmt_bind_text(st, 4, "Sent to children's social care.");
        stmt_bind_int(st, 5, author);
        if (store_exec_stmt(st) != STORE_OK || sc_row(sc) < 0)
            return sc_fail(sc, "referral event");
    }
    /* R4 tasks: send by the urgency, review, and the agency's reply. */
    char rule[48];
    snprintf(rule, sizeof(rule), "referral.send_%s", urgencies[u]);
    if (sc_task(sc, rule, id, src->person, concern, author, team_name, sent ? "done" : "open", sent,
                author) < 0)
        return -1;
    if (submitted && sc_task(sc, "referral.review", id, src->person, submitted, 0, team_name,
                             reviewed ? "done" : "open", reviewed, reviewer) < 0)
        return -1;
    if (sent && sc_task(sc, "referral.acknowledgement", id, src->person, sent, 0, team_name,
                        acked ? "done" : "open", acked, author) < 0)
        return -1;
    if (from_incident && sc_task(sc, "incident.referral", src->id, src->person, concern, author,
                                 team_name, sent ? "done" : "open", sent, author) < 0)
        return -1;
    return sc_audit(sc, concern + 10 * MINUTE, author, SC_T_REFERRAL, SC_A_CREATE, id);
}

/* Spreads k of the n sources evenly through them (exact counts, in order). */
static int from_sources(struct scale *sc, const struct source *v, size_t n, int64_t k,
                        int from_incident, int64_t *next_id, int64_t total)
{
    if (k > (int64_t)n)
        k = (int64_t)n;
    for (int64_t j = 0; j < k; j++) {
        size_t i = (size_t)((double)j * (double)n / (double)k);
        if (referral(sc, (*next_id)++, &v[i], from_incident) < 0)
            return -1;
        if ((*next_id & 1023) == 0)
            sc_progress(sc, "referrals", *next_id, total);
    }
    return 0;
}

int scale_referrals(struct scale *sc)
{
    struct source *inc = NULL, *mis = NULL;
    size_t n_inc = 0, n_mis = 0;
    int64_t total = sc->plan->referrals, next = 1;
    int rc = read_sources(sc, SQL_SC_CHILD_INCIDENTS, 1, &inc, &n_inc);
    if (rc == 0)
        rc = read_sources(sc, SQL_SC_EPISODES_CHILD, 0, &mis, &n_mis);
    int64_t want_mis = total * 15 / 100;
    if (want_mis > (int64_t)n_mis)
        want_mis = (int64_t)n_mis;
    /* Incidents first, then missing episodes: ids are not in time order
     * across the two, as they would be in a live system; nothing relies
     * on referral ids being chronological. */
    if (rc == 0)
        rc = from_sources(sc, inc, n_inc, total - want_mis, 1, &next, total);
    if (rc == 0)
        rc = from_sources(sc, mis, n_mis, want_mis, 0, &next, total);
    free(inc);
    free(mis);
    sc_progress(sc, "referrals", total, total);
    return rc;
}
