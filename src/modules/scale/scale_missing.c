/*
 * scale_missing.c — five years of missing episodes at force scale: mostly
 * children, a few of them missing again and again (the repeat count counts
 * them as the missing module does), each with its report, first action,
 * supervisory review at the risk's interval (a few late), return, prevention
 * interview and return home interview, and the R3 tasks for each step.
 */
#include "modules/scale/scale_internal.h"
#include "modules/people/seed_data.h"
#include "modules/scale/scale_sql.h"
#include "store/store.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE        60LL
#define HOUR          3600LL
#define DAY           86400LL
#define REPEAT_WINDOW (90 * DAY)

/* As missing.c keys places ("12 Oak Road, Anytown" -> "12 oak road
 * anytown"), so episodes from one placement link as the app links them. */
static void place_key(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < cap; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (space && n && n + 1 < cap)
                out[n++] = ' ';
            space = false;
            if (n + 1 < cap)
                out[n++] = (char)tolower(*p);
        } else {
            space = true;
        }
    }
    out[n] = '\0';
}

static int event(struct scale *sc, int64_t ep, int64_t at, const char *kind, const char *text,
                 const char *risk, int64_t user)
{
    char ts[TS_TEXT_LEN];
    sc_ts(at, ts);
    struct stmt *st = store_prepare(sc->s, SQL_SC_MISSING_EVENT);
    stmt_bind_int(st, 1, ep);
    stmt_bind_text(st, 2, ts);
    stmt_bind_text(st, 3, kind);
    stmt_bind_text(st, 4, text);
    stmt_bind_text(st, 5, risk);
    stmt_bind_int(st, 6, user);
    stmt_bind_text(st, 7, ts);
    if (store_exec_stmt(st) != STORE_OK)
        return sc_fail(sc, "missing event");
    return sc_row(sc);
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

int scale_missing(struct scale *sc)
{
    int64_t n = sc->plan->missing;
    int64_t span = sc->now - sc->start - HOUR;
    int32_t *count = calloc((size_t)sc->max_person + 1, sizeof(*count));
    int64_t *last = calloc((size_t)sc->max_person + 1, sizeof(*last));
    if (!count || !last) {
        free(count);
        free(last);
        return -1;
    }
    static const char *const risks[] = {"high", "medium", "low"};
    static const int review_hours[] = {2, 6, 12}; /* the R3 review intervals */
    int year = 0, rc = 0;
    int64_t seq = 0;
    for (int64_t i = 0; i < n && rc == 0; i++) {
        int64_t id = i + 1;
        int64_t t = sc->start + (int64_t)((double)span * ((double)i + 0.5) / (double)n);
        struct civil_date d = date_of_ts(t);
        if (d.year != year) {
            year = d.year;
            seq = 0;
        }
        char ref[32];
        snprintf(ref, sizeof(ref), "MIS-%04d-%06lld", d.year, (long long)++seq);
        int child = sc_chance(sc, 85);
        int64_t person = child ? sc_child(sc) : sc_adult(sc);
        int repeat = last[person] && t - last[person] < REPEAT_WINDOW ? count[person] + 1 : 1;
        count[person] = repeat;
        last[person] = t;
        unsigned r = sc_pick(sc, 100);
        int risk = r < 10 ? 0 : r < 65 ? 1 : 2;
        int looked_after = child && sc_chance(sc, 35);
        const char *la = seed_local_authorities.items[person % seed_local_authorities.count];
        int team;
        int64_t officer = sc_user(sc, SC_MISSING, -1, &team);
        int64_t supervisor = sc_user(sc, SC_SUPERVISOR, team, NULL);
        int64_t inspector = sc_user(sc, SC_INSPECTOR, -1, NULL);
        const char *team_name = sc_team_name(sc, team);

        int64_t first_action = t + (5 + sc_pick(sc, 25)) * MINUTE;
        int late_review = sc_chance(sc, 6);
        int64_t review =
            t + review_hours[risk] * HOUR +
            (late_review ? 1 + sc_pick(sc, 5) : -(int64_t)(1 + sc_pick(sc, 90))) * MINUTE;
        if (review < first_action)
            review = first_action + MINUTE;
        int64_t returned = t + (2 + sc_pick(sc, 70)) * HOUR;
        int64_t interview = returned + (6 + sc_pick(sc, 60)) * HOUR;
        int64_t rhi = returned + (2 + sc_pick(sc, 20)) * HOUR;
        int64_t rhi_outcome = rhi + (1 + sc_pick(sc, 70)) * HOUR;
        int64_t closed = rhi_outcome + 2 * HOUR;
        if (!child)
            interview = rhi = rhi_outcome = 0, closed = returned + 4 * HOUR;
        const char *status = "closed";
        if (returned > sc->now)
            returned = interview = rhi = rhi_outcome = closed = 0, status = "missing";
        if (interview > sc->now)
            interview = 0;
        if (rhi > sc->now)
            rhi = 0;
        if (rhi_outcome > sc->now)
            rhi_outcome = 0;
        if (closed > sc->now)
            closed = 0, status = returned ? "returned" : "missing";
        if (first_action > sc->now)
            first_action = 0;
        if (review > sc->now)
            review = 0;

        char line1[128], postcode[16], town[64], from[256], key[256];
        sc_address(looked_after ? 5000000 + person % 4000 : 7000000 + person, line1, sizeof(line1),
                   postcode, sizeof(postcode), town, sizeof(town));
        snprintf(from, sizeof(from), "%s%s, %s", looked_after ? "Children's home, " : "", line1,
                 town);
        place_key(from, key, sizeof(key));
        char ts[TS_TEXT_LEN];
        sc_ts(t, ts);
        int64_t updated = closed ? closed : returned ? returned : review ? review : t;

        struct stmt *st = store_prepare(sc->s, SQL_SC_EPISODE);
        stmt_bind_int(st, 1, id);
        stmt_bind_text(st, 2, ref);
        stmt_bind_int(st, 3, person);
        stmt_bind_int(st, 4, child);
        stmt_bind_int(st, 5, looked_after);
        stmt_bind_text(st, 6, looked_after ? la : NULL);
        stmt_bind_text(st, 7, ts);
        stmt_bind_text(st, 8, looked_after ? "Residential care worker" : "Parent");
        stmt_bind_text(st, 9, looked_after ? "carer" : "parent");
        stmt_bind_text(st, 10, ts);
        stmt_bind_text(st, 11, town);
        stmt_bind_text(st, 12, from);
        stmt_bind_text(st, 13, key);
        stmt_bind_text(st, 14, "Did not return home at the agreed time.");
        stmt_bind_text(st, 15, risks[risk]);
        stmt_bind_text(st, 16,
                       risk == 0 ? "Known to associate with older males; no phone."
                                 : "Has gone missing before and returned safe.");
        stmt_bind_text(st, 17, ts);
        stmt_bind_int(st, 18, officer);
        stmt_bind_int(st, 19, supervisor);
        stmt_bind_text(st, 20, team_name);
        stmt_bind_text(st, 21, status);
        bind_ts(st, 22, review ? review : t);
        bind_ts(st, 23, first_action);
        stmt_bind_int(st, 24, repeat);
        bind_ts(st, 25, returned);
        stmt_bind_text(st, 26, returned ? town : NULL);
        stmt_bind_text(st, 27, returned ? "safe_and_well" : NULL);
        bind_ts(st, 28, interview);
        if (interview)
            stmt_bind_int(st, 29, officer);
        bind_ts(st, 30, rhi);
        stmt_bind_text(st, 31, rhi ? la : NULL);
        stmt_bind_text(st, 32, rhi_outcome ? (sc_chance(sc, 80) ? "completed" : "declined") : NULL);
        bind_ts(st, 33, rhi_outcome);
        bind_ts(st, 34, closed);
        stmt_bind_int(st, 35, officer);
        stmt_bind_text(st, 36, ts);
        bind_ts(st, 37, updated);
        if (store_exec_stmt(st) != STORE_OK) {
            rc = sc_fail(sc, ref);
            break;
        }
        sc->counts->missing++;
        rc = sc_row(sc);
        if (rc == 0)
            rc = event(sc, id, t, "report", "Reported missing.", risks[risk], officer);
        if (rc == 0 && returned)
            rc = event(sc, id, returned, "returned", "Returned; safe and well.", NULL, officer);
        if (rc == 0 && review) {
            char due[TS_TEXT_LEN], rts[TS_TEXT_LEN];
            sc_ts(t + review_hours[risk] * HOUR, due);
            sc_ts(review, rts);
            st = store_prepare(sc->s, SQL_SC_MISSING_REVIEW);
            stmt_bind_int(st, 1, id);
            stmt_bind_text(st, 2, rts);
            stmt_bind_text(st, 3, due);
            stmt_bind_text(st, 4, risks[risk]);
            stmt_bind_text(st, 5, risks[risk]);
            stmt_bind_text(st, 6, "Enquiries continue; risk unchanged.");
            stmt_bind_int(st, 7, 0);
            stmt_bind_int(st, 8, supervisor);
            rc = store_exec_stmt(st) == STORE_OK ? sc_row(sc) : sc_fail(sc, "missing review");
        }
        /* The R3 tasks: first action, review, and after a child's return
         * the prevention interview and the return home interview. */
        char rule[48];
        snprintf(rule, sizeof(rule), "missing.first_action_%s", risks[risk]);
        if (rc == 0)
            rc = sc_task(sc, rule, id, child ? person : 0, t, officer, team_name,
                         first_action ? "done" : "open", first_action, officer);
        snprintf(rule, sizeof(rule), "missing.review_%s", risks[risk]);
        if (rc == 0 && child)
            rc = sc_task(sc, rule, id, person, t, 0, team_name,
                         review ? (returned && returned < review ? "cancelled" : "done") : "open",
                         review, supervisor);
        if (rc == 0 && child && risk == 0)
            rc = sc_task(sc, "missing.inspector_oversight", id, person, t, 0, team_name,
                         review || returned ? "done" : "open", review ? review : returned,
                         inspector);
        if (rc == 0 && child && returned) {
            rc = sc_task(sc, "missing.prevention_interview", id, person, returned, officer,
                         team_name, interview ? "done" : "open", interview, officer);
            if (rc == 0)
                rc = sc_task(sc, "missing.rhi_referral", id, person, returned, 0, team_name,
                             rhi ? "done" : "open", rhi, officer);
            if (rc == 0 && rhi)
                rc = sc_task(sc, "missing.rhi_outcome", id, person, returned, 0, team_name,
                             rhi_outcome ? "done" : "open", rhi_outcome, officer);
        }
        if (rc == 0)
            rc = sc_audit(sc, t, officer, SC_T_MISSING, SC_A_CREATE, id);
        if ((i & 1023) == 0)
            sc_progress(sc, "missing episodes", i, n);
    }
    free(count);
    free(last);
    sc_progress(sc, "missing episodes", n, n);
    return rc;
}
