/*
 * custody_measures.c — how the assurance registry counts recommendation 8
 * (children in custody), and the breakdown by local authority. Each count
 * takes the registry's inputs (period [from_ts, to_ts), policing area or
 * NULL) and gives (numerator, denominator). The registry's rows, with their
 * definitions and thresholds, are in src/modules/assurance/assurance_measures.c.
 */
#include "core/clock.h"
#include "core/date.h"
#include "core/stats.h"
#include "modules/assurance/assurance.h"
#include "modules/custody/custody.h"
#include "modules/custody/custody_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static int64_t allowed_secs(const char *rule, int dflt_minutes)
{
    const struct rule *r = rules_find(rule);
    return (int64_t)(r ? rules_minutes(r) : dflt_minutes) * 60;
}

static const char *col(struct stmt *st, int i)
{
    return stmt_is_null(st, i) ? NULL : stmt_text(st, i);
}

/* One clock: 1 done within allowed, 0 late (done late, or not done and its
 * time passed), -1 not yet due. */
static int on_time(const char *from, const char *done, int64_t allowed, const char *now_ts)
{
    if (done)
        return assurance_secs_between(from, done) <= allowed;
    return assurance_secs_between(from, now_ts) > allowed ? 0 : -1;
}

int custody_count_aa_within(struct store *s, const char *from_ts, const char *to_ts,
                            const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    int64_t allowed = allowed_secs("custody.aa_arrival_sergeant", 120);
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_CU_M_AA, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int v = on_time(stmt_text(st, 0), col(st, 1), allowed, now_ts);
        if (v >= 0) {
            (*den)++;
            *num += v;
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

/* Each child charged and refused bail in the period: f(charged, released,
 * requested, transferred) gives 1 (counted in the numerator), 0 (the
 * denominator only) or -1 (not counted). */
static int count_charged(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                         int64_t *num, int64_t *den, int (*f)(struct stmt *st, int64_t now))
{
    *num = *den = 0;
    int64_t now = clock_now();
    struct stmt *st = assurance_count_prepare(s, SQL_CU_M_CHARGED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int v = f(st, now);
        if (v >= 0) {
            (*den)++;
            *num += v;
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

static int overnight(struct stmt *st, int64_t now)
{
    int64_t charged = 0, end = now;
    ts_parse(stmt_text(st, 0), &charged);
    if (col(st, 1))
        ts_parse(col(st, 1), &end);
    return custody_held_overnight(charged, end);
}

static int requested(struct stmt *st, int64_t now)
{
    (void)now;
    return col(st, 2) != NULL;
}

static int achieved(struct stmt *st, int64_t now)
{
    (void)now;
    return col(st, 2) ? col(st, 3) != NULL : -1;
}

int custody_count_held_overnight(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den)
{
    return count_charged(s, from_ts, to_ts, area, num, den, overnight);
}

int custody_count_transfers_requested(struct store *s, const char *from_ts, const char *to_ts,
                                      const char *area, int64_t *num, int64_t *den)
{
    return count_charged(s, from_ts, to_ts, area, num, den, requested);
}

int custody_count_transfers_achieved(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den)
{
    return count_charged(s, from_ts, to_ts, area, num, den, achieved);
}

int custody_count_referred(struct store *s, const char *from_ts, const char *to_ts,
                           const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    int64_t allowed = allowed_secs("custody.referral", 24 * 60);
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_CU_M_REFERRED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int v = on_time(stmt_text(st, 0), col(st, 1), allowed, now_ts);
        if (v >= 0) {
            (*den)++;
            *num += v;
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

/* ---- by local authority ------------------------------------------------------------- */

static json_t *count(int64_t n, bool suppress)
{
    return suppress && n > 0 && n < 5 ? json_string("fewer than 5") : json_integer((json_int_t)n);
}

struct la_tally {
    char name[128];
    int64_t children, aa_requested, aa_arrived, aa_within, charged_refused_bail,
        transfers_requested, transfers_achieved, held_overnight, concerns, referred;
    bool oom;           /* a wait could not be kept: the answer would be wrong */
    int64_t delays[4];  /* family, scheme, local_authority, other */
    int64_t reasons[6]; /* see overnight_reasons[] */
    struct samples waits;
};

static const char *const delay_causes[] = {"family", "scheme", "local_authority", "other"};
/* Why a child was held past midnight after charge. */
static const char *const overnight_reasons[] = {"certified_impracticable",
                                                "certified_no_secure_serious_harm",
                                                "la_refused",
                                                "la_no_answer",
                                                "no_transfer_requested",
                                                "awaiting_transfer"};

static json_t *tally_json(struct la_tally *t, bool suppress)
{
    json_t *delays = json_object(), *reasons = json_object();
    for (int i = 0; i < 4; i++)
        json_object_set_new(delays, delay_causes[i], count(t->delays[i], suppress));
    for (int i = 0; i < 6; i++)
        json_object_set_new(reasons, overnight_reasons[i], count(t->reasons[i], suppress));
    bool hide = suppress && t->waits.n < 5;
    json_t *median = t->waits.n && !hide
                         ? json_integer((json_int_t)(samples_median(&t->waits) / 60))
                         : json_null();
    json_t *share =
        t->aa_arrived && !hide
            ? json_real(
                  (double)(int64_t)(1000.0 * (double)t->aa_within / (double)t->aa_arrived + 0.5) /
                  10.0)
            : json_null();
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
                     "s:o}",
                     "local_authority", t->name, "children", count(t->children, suppress),
                     "aa_requested", count(t->aa_requested, suppress), "aa_arrived",
                     count(t->aa_arrived, suppress), "aa_median_minutes", median,
                     "aa_within_threshold", count(t->aa_within, suppress),
                     "aa_within_threshold_percent", share, "aa_delays", delays,
                     "charged_refused_bail", count(t->charged_refused_bail, suppress),
                     "transfers_requested", count(t->transfers_requested, suppress),
                     "transfers_achieved", count(t->transfers_achieved, suppress), "held_overnight",
                     count(t->held_overnight, suppress), "overnight_reasons", reasons, "concerns",
                     count(t->concerns, suppress), "referrals_sent", count(t->referred, suppress));
}

static void tally_row(struct la_tally *t, struct stmt *st, int64_t allowed_aa, int64_t now)
{
    t->children++;
    const char *req = col(st, 1), *arr = col(st, 2), *cause = col(st, 3);
    if (req) {
        t->aa_requested++;
        if (arr) {
            int64_t d = assurance_secs_between(req, arr);
            t->aa_arrived++;
            t->aa_within += d <= allowed_aa;
            if (samples_add(&t->waits, d) < 0)
                t->oom = true;
        }
    }
    for (int i = 0; cause && i < 4; i++)
        t->delays[i] += strcmp(cause, delay_causes[i]) == 0;
    const char *outcome = col(st, 4);
    if (outcome && strcmp(outcome, "charged_refused_bail") == 0 && stmt_int(st, 13) && col(st, 5)) {
        t->charged_refused_bail++;
        t->transfers_requested += col(st, 6) != NULL;
        t->transfers_achieved += col(st, 7) != NULL;
        int64_t charged = 0, end = now;
        ts_parse(col(st, 5), &charged);
        if (col(st, 10))
            ts_parse(col(st, 10), &end);
        if (custody_held_overnight(charged, end)) {
            t->held_overnight++;
            const char *cert = col(st, 9), *answer = col(st, 8);
            int why = cert          ? (strcmp(cert, "impracticable") == 0 ? 0 : 1)
                      : !col(st, 6) ? 4
                      : answer && strcmp(answer, "refused") == 0   ? 2
                      : answer && strcmp(answer, "no_answer") == 0 ? 3
                                                                   : 5;
            t->reasons[why]++;
        }
    }
    if (col(st, 11)) {
        t->concerns++;
        t->referred += col(st, 12) != NULL;
    }
}

json_t *custody_by_local_authority(struct store *s, const char *from_ts, const char *to_ts,
                                   int64_t now, bool suppress)
{
    struct stmt *st = store_prepare(s, SQL_CU_M_BY_LA);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, from_ts);
    stmt_bind_text(st, 2, to_ts);
    int64_t allowed_aa = allowed_secs("custody.aa_arrival_sergeant", 120);
    struct la_tally *t = calloc(2, sizeof(*t)); /* [0] the current authority, [1] the force */
    if (!t) {
        stmt_reset(st);
        return NULL;
    }
    snprintf(t[1].name, sizeof(t[1].name), "%s", "All local authorities");
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *la = stmt_text(st, 0);
        if (t[0].name[0] && strcmp(t[0].name, la) != 0) {
            json_array_append_new(arr, tally_json(&t[0], suppress));
            bool oom = t[0].oom;
            struct samples keep = t[0].waits; /* its memory serves the next authority */
            samples_clear(&keep);
            memset(&t[0], 0, sizeof(t[0]));
            t[0].waits = keep;
            t[0].oom = oom;
        }
        if (!t[0].name[0])
            snprintf(t[0].name, sizeof(t[0].name), "%s", la);
        tally_row(&t[0], st, allowed_aa, now);
        tally_row(&t[1], st, allowed_aa, now);
    }
    stmt_reset(st);
    if (t[0].name[0])
        json_array_append_new(arr, tally_json(&t[0], suppress));
    json_t *total = tally_json(&t[1], suppress);
    bool oom = t[0].oom || t[1].oom;
    samples_free(&t[0].waits);
    samples_free(&t[1].waits);
    free(t);
    if (rc != STORE_DONE || oom) {
        json_decref(arr);
        json_decref(total);
        return NULL;
    }
    return json_pack("{s:o, s:o, s:i, s:b}", "local_authorities", arr, "force", total,
                     "aa_threshold_minutes", (int)(allowed_aa / 60), "aggregate_only", suppress);
}
