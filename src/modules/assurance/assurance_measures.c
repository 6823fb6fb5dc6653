/*
 * assurance_measures.c — the measures registry: one row per measure, each
 * tied to the recommendation it evidences, with its thresholds and how it is
 * counted. Adding a measure is one row here (and, when SQL alone cannot
 * count it, one count function); docs/assurance.md describes each row.
 */
#include "modules/assurance/assurance.h"
#include "modules/assurance/assurance_sql.h"
#include "auth/auth.h"
#include "modules/custody/custody.h"
#include "modules/investigations/investigations.h"
#include "modules/missing/missing.h"
#include "modules/protection/protection.h"
#include "modules/ocse/ocse.h"
#include "modules/offenders/offenders.h"
#include "modules/referrals/referrals.h"
#include "modules/case_audits/case_audits.h"
#include "modules/disclosure/disclosure.h"
#include "rules/rules.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Attended emergency and priority child incidents; numerator those attended
 * within their grade's target (the timescales engine's minutes, so a force's
 * configured targets are the ones measured). */
static int count_attendance(struct store *s, const char *from_ts, const char *to_ts,
                            const char *area, int64_t *num, int64_t *den)
{
    int mins_emergency = rules_minutes(rules_find("incident.attend_emergency"));
    int mins_priority = rules_minutes(rules_find("incident.attend_priority"));
    struct stmt *st = store_prepare(s, SQL_A_M_ATTENDANCE);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, from_ts);
    stmt_bind_text(st, 2, to_ts);
    stmt_bind_text(st, 3, area);
    int rc;
    *num = *den = 0;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int mins = strcmp(stmt_text(st, 0), "emergency") == 0 ? mins_emergency : mins_priority;
        int64_t r = 0, t = 0;
        if (ts_parse(stmt_text(st, 1), &r) < 0 || ts_parse(stmt_text(st, 2), &t) < 0)
            continue;
        (*den)++;
        *num += t - r <= (int64_t)mins * 60;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

/* clang-format off */
const struct assurance_measure assurance_measures[] = {
    {.key = "r1_grade_reflects_risk", .recommendation = 1,
     .title = "Response reflects the risk",
     .numerator = "graded child incidents graded at or above the grade the risk supports, "
                  "or below it with a supervisor's authorisation",
     .denominator = "child incidents received in the period that have been graded",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .sql = SQL_A_M_GRADE_REFLECTS_RISK},
    {.key = "r1_attendance_within_target", .recommendation = 1,
     .title = "Attendance within target",
     .numerator = "of those, attended within the grade's attendance target",
     .denominator = "emergency and priority child incidents received in the period that "
                    "have been attended",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = count_attendance},
    {.key = "r2_voice_recorded", .recommendation = 2,
     .title = "Every child's voice recorded",
     .numerator = "of those, incidents where every child has a voice of the child record",
     .denominator = "child incidents received in the period",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .sql = SQL_A_M_VOICE_RECORDED},

    /* Missing children (R3): counted in src/modules/missing/missing_measures.c. */
    {.key = "r3_reviews_on_time", .recommendation = 3,
     .title = "Missing children's reviews on time",
     .numerator = "of those, reviews done by the time the risk level required",
     .denominator = "supervisory reviews of missing episodes done in the period, plus reviews "
                    "that fell due in the period and are still not done",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = missing_count_reviews_on_time},
    {.key = "r3_first_action_on_time", .recommendation = 3,
     .title = "First action within the risk level's target",
     .numerator = "of those, episodes whose first action, enquiry or sighting was recorded "
                  "within the target for their risk level",
     .denominator = "missing episodes reported in the period that have had a first action, or "
                    "whose target time has passed without one",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = missing_count_first_action},
    {.key = "r3_rhi_on_time", .recommendation = 3,
     .title = "Return home interviews completed within 72 hours",
     .numerator = "of those, children whose return home interview was completed within 72 hours "
                  "of their return",
     .denominator = "children returned in the period whose interview is recorded or whose 72 "
                    "hours have passed",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = missing_count_rhi_on_time},
    {.key = "r3_repeat_missing", .recommendation = 3,
     .title = "Repeat missing children",
     .numerator = "of those, children for whom an episode in the period made them repeat missing "
                  "(3 or more episodes in 90 days by default)",
     .denominator = "children reported missing in the period",
     .target = 10, .green_at = 10, .amber_at = 20, .higher_is_better = false,
     .count = missing_count_repeat},
    {.key = "r3_exploitation_referred", .recommendation = 3,
     .title = "Exploitation indicators referred within 24 hours",
     .numerator = "of those, episodes whose referral to children's social care was recorded "
                  "within 24 hours of the indicators",
     .denominator = "missing episodes with child sexual or criminal exploitation indicators "
                    "recorded in the period (those still within 24 hours and not yet referred "
                    "are not counted)",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = missing_count_exploitation_referred},
    /* Case audits (docs/case-audits.md): the quality of practice as graded
     * by the force's own auditors against the criteria evidencing each
     * recommendation. The overall grade comes first: it is the figure the
     * inspectorate reports, and the board pack shows a recommendation's
     * first three measures. */
    {.key = "r1_audited_incidents_good", .recommendation = 1,
     .title = "Audited incidents graded good overall",
     .numerator = "of those, incidents graded good overall",
     .denominator = "incident case audits completed in the period",
     .target = 100, .green_at = 70, .amber_at = 50, .higher_is_better = true,
     .count = case_audit_measure_incidents_overall},
    {.key = "r1_audit_criteria_good", .recommendation = 1,
     .title = "Audited case criteria graded good",
     .numerator = "criterion grades of good, for the criteria evidencing this recommendation, "
                  "in case audits completed in the period",
     .denominator = "grades of those criteria in case audits completed in the period, "
                    "not counting 'not applicable'",
     .target = 100, .green_at = 80, .amber_at = 60, .higher_is_better = true,
     .count = case_audit_measure_criteria_r1},
    {.key = "r2_audit_criteria_good", .recommendation = 2,
     .title = "Audited case criteria graded good",
     .numerator = "criterion grades of good, for the criteria evidencing this recommendation, "
                  "in case audits completed in the period",
     .denominator = "grades of those criteria in case audits completed in the period, "
                    "not counting 'not applicable'",
     .target = 100, .green_at = 80, .amber_at = 60, .higher_is_better = true,
     .count = case_audit_measure_criteria_r2},
    {.key = "r4_audit_criteria_good", .recommendation = 4,
     .title = "Audited case criteria graded good",
     .numerator = "criterion grades of good, for the criteria evidencing this recommendation, "
                  "in case audits completed in the period",
     .denominator = "grades of those criteria in case audits completed in the period, "
                    "not counting 'not applicable'",
     .target = 100, .green_at = 80, .amber_at = 60, .higher_is_better = true,
     .count = case_audit_measure_criteria_r4},
    {.key = "r5_audit_criteria_good", .recommendation = 5,
     .title = "Audited case criteria graded good",
     .numerator = "criterion grades of good, for the criteria evidencing this recommendation, "
                  "in case audits completed in the period",
     .denominator = "grades of those criteria in case audits completed in the period, "
                    "not counting 'not applicable'",
     .target = 100, .green_at = 80, .amber_at = 60, .higher_is_better = true,
     .count = case_audit_measure_criteria_r5},

    /* Referrals (R4): counted in src/modules/referrals/referrals_measures.c. */
    {.key = "r4_sent_in_time", .recommendation = 4,
     .title = "Referrals sent in time",
     .numerator = "of those, sent within their urgency's time of the concern (1 hour urgent, 24 "
                  "hours, 3 days routine)",
     .denominator = "referrals whose concern arose in the period, sent or past their time "
                    "unsent (cancelled ones left out)",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = referrals_count_sent_in_time},
    {.key = "r4_mandatory_missed", .recommendation = 4,
     .title = "Mandatory referrals missed",
     .numerator = "of those, with no referral sent within 24 hours",
     .denominator = "incidents in the period where a referral is mandatory (domestic abuse with "
                    "a child present) whose 24 hours have passed",
     .target = 0, .green_at = 2, .amber_at = 5, .higher_is_better = false,
     .count = referrals_count_mandatory_missed},
    {.key = "r4_acknowledged_in_time", .recommendation = 4,
     .title = "Referrals acknowledged within a day",
     .numerator = "of those, acknowledged by the agency within 24 hours",
     .denominator = "deliveries to agencies in the period, acknowledged or past 24 hours",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = referrals_count_acknowledged_in_time},
    {.key = "r4_outcome_recorded", .recommendation = 4,
     .title = "Agencies' decisions recorded",
     .numerator = "of those, with the agency's decision recorded",
     .denominator = "deliveries to agencies in the period",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = referrals_count_decided},
    {.key = "r4_quality_returns", .recommendation = 4,
     .title = "Referrals returned at the quality gate",
     .numerator = "of those, returned to the author at least once",
     .denominator = "referrals reviewed in the period",
     .target = 5, .green_at = 10, .amber_at = 20, .higher_is_better = false,
     .count = referrals_count_quality_returns},

    /* Investigations (R5): counted in src/modules/investigations/investigations_measures.c. */
    {.key = "r5_allocation_matches", .recommendation = 5,
     .title = "Investigations allocated by skill and competence",
     .numerator = "of those, allocated to an officer who met every requirement (team "
                  "specialism, PIP level, specialist and video-interview training, capacity)",
     .denominator = "investigations allocated in the period",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = investigations_count_allocation_matched},
    {.key = "r5_caseload_within_capacity", .recommendation = 5,
     .title = "Allocations within the officer's capacity",
     .numerator = "of those, leaving the officer's weighted caseload within their capacity",
     .denominator = "investigations allocated in the period",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = investigations_count_within_capacity},
    {.key = "r5_reviews_on_time", .recommendation = 5,
     .title = "Investigation reviews on time",
     .numerator = "of those, done by their deadline (24 hours from allocation or a key point, "
                  "28 days from the last review)",
     .denominator = "supervisory reviews with a deadline done in the period, plus reviews that "
                    "fell due in it and are still not done",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = investigations_count_reviews_on_time},
    {.key = "r5_stale", .recommendation = 5,
     .title = "Investigations without action for 14 days",
     .numerator = "of those, that went 14 days without a recorded action in the period",
     .denominator = "investigations open at some time in the period",
     .target = 0, .green_at = 5, .amber_at = 10, .higher_is_better = false,
     .count = investigations_count_stale},
    {.key = "r5_shared_in_time", .recommendation = 5,
     .title = "Risk to a child shared with social care within a day",
     .numerator = "of those, shared (a referral sent) within 24 hours of the risk being recorded",
     .denominator = "investigations where a risk to a child was recorded in the period, shared "
                    "or past their 24 hours",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = investigations_count_shared_in_time},

    /* Online referrals for the online team (R5): src/modules/ocse/ocse_measures.c. */
    {.key = "r5_ocse_actioned_in_time", .recommendation = 5,
     .title = "Online referrals actioned within their band's time",
     .numerator = "of those, actioned (visit, warrant, arrest) within their priority band's "
                  "target (very high 1 day, high 3, medium 14, low 28)",
     .denominator = "online referrals received in the period, actioned or past their target",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = ocse_count_actioned_in_time},
    {.key = "r5_ocse_backlog", .recommendation = 5,
     .title = "Online referrals waiting past their target",
     .numerator = "of those, still not actioned and past their band's target",
     .denominator = "online referrals received in the period",
     .target = 0, .green_at = 5, .amber_at = 15, .higher_is_better = false,
     .count = ocse_count_backlog},
    {.key = "r5_ocse_child_safeguarded", .recommendation = 5,
     .title = "Children living with an online suspect safeguarded",
     .numerator = "of those, where a safeguarding referral was raised for the children",
     .denominator = "online referrals received in the period whose suspect lives with a child",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = ocse_count_child_safeguarded},
    /* Police protection (R6): src/modules/protection/protection_measures.c. */
    {.key = "r6_notified_on_time", .recommendation = 6,
     .title = "Police protection: every notification on time",
     .numerator = "of those, cases where the local authority (1 hour), the parents (2 hours, or "
                  "why not) and the child with their views (2 hours) were all informed in time",
     .denominator = "cases begun in the period where every notification is made or one is late",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = protection_count_notified_on_time},
    {.key = "r6_within_72h", .recommendation = 6,
     .title = "Police protection ended within 72 hours",
     .numerator = "of those, children released within 72 hours of the power being used",
     .denominator = "cases begun in the period that have ended or whose 72 hours have passed",
     .target = 100, .green_at = 100, .amber_at = 95, .higher_is_better = true,
     .count = protection_count_within_limit},
    {.key = "r6_police_station", .recommendation = 6,
     .title = "Children in police protection taken to a police station",
     .numerator = "of those, cases where the place of safety was a police station",
     .denominator = "cases begun in the period with a place of safety recorded",
     .target = 0, .green_at = 5, .amber_at = 10, .higher_is_better = false,
     .count = protection_count_police_station},
    {.key = "r6_opportunities_reviewed", .recommendation = 6,
     .title = "Protection opportunities reviewed on time",
     .numerator = "of those, decided by a supervisor (or answered by a case) within the hour",
     .denominator = "incidents whose risk recorded a child at immediate risk with no police "
                    "protection, whose decision fell due in the period, decided or overdue",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = protection_count_opportunities_reviewed},
    /* Registered sex offenders (R7): src/modules/offenders/offenders_measures.c.
     * The overall figures first (the board pack shows three), then visits
     * by risk level. */
    {.key = "r7_visits_on_time", .recommendation = 7,
     .title = "Offender home visits on time",
     .numerator = "of those, visits done by the date the plan's frequency (or the risk level's "
                  "fallback minimum) set",
     .denominator = "home visits due in the period: done, or not done with the date passed",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = offenders_count_visits_on_time},
    {.key = "r7_risk_reviews_in_date", .recommendation = 7,
     .title = "Offender risk assessments in date",
     .numerator = "of those, ARMS assessments done by their due date",
     .denominator = "risk assessments due in the period: done, or not done with the date passed",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = offenders_count_risk_reviews},
    {.key = "r7_reactive_reviews_in_time", .recommendation = 7,
     .title = "Reactive management reviews closed in time",
     .numerator = "of those, reviewed (stay reactive or return to active) within their urgency's "
                  "time (24 hours urgent, 7 days routine)",
     .denominator = "reviews of reactively managed offenders, asked for by new intelligence, due "
                    "in the period: done, or not done with the time passed",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = offenders_count_reactive_reviews},
    {.key = "r7_briefings_current", .recommendation = 7,
     .title = "Local officers' briefings kept current",
     .numerator = "of those, concerns confirmed or ended by their review date (every 28 days)",
     .denominator = "briefing concern reviews due in the period: done, or not done with the date "
                    "passed",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = offenders_count_briefings_current},
    {.key = "r7_visits_very_high", .recommendation = 7,
     .title = "Home visits on time: very high risk",
     .numerator = "of those, visits done by their date",
     .denominator = "visits due in the period to very high risk offenders",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = offenders_count_visits_very_high},
    {.key = "r7_visits_high", .recommendation = 7,
     .title = "Home visits on time: high risk",
     .numerator = "of those, visits done by their date",
     .denominator = "visits due in the period to high risk offenders",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = offenders_count_visits_high},
    {.key = "r7_visits_medium", .recommendation = 7,
     .title = "Home visits on time: medium risk",
     .numerator = "of those, visits done by their date",
     .denominator = "visits due in the period to medium risk offenders",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = offenders_count_visits_medium},
    {.key = "r7_visits_low", .recommendation = 7,
     .title = "Home visits on time: low risk",
     .numerator = "of those, visits done by their date",
     .denominator = "visits due in the period to low risk offenders",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = offenders_count_visits_low},
    /* The disclosure scheme (R7): src/modules/disclosure/disclosure_measures.c. */
    {.key = "r7_csod_completed_in_time", .recommendation = 7,
     .title = "Disclosure scheme applications completed within 45 days",
     .numerator = "of those, applications closed with their outcome within 45 days of receipt",
     .denominator = "applications received in the period that are closed or whose 45 days "
                    "have passed",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = disclosure_count_completed_in_time},
    {.key = "r7_csod_contact_in_time", .recommendation = 7,
     .title = "Disclosure scheme: initial contact within 24 hours",
     .numerator = "of those, applications whose initial contact and immediate-risk check were "
                  "recorded within 24 hours of receipt",
     .denominator = "applications received in the period with the contact recorded or its 24 "
                    "hours passed",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = disclosure_count_contact_in_time},
    {.key = "r7_csod_meeting_in_time", .recommendation = 7,
     .title = "Disclosure scheme: face-to-face meeting within 10 working days",
     .numerator = "of those, applications whose face-to-face meeting was held within 10 "
                  "working days of receipt",
     .denominator = "applications received in the period with the meeting recorded or its 10 "
                    "working days passed",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = disclosure_count_meeting_in_time},
    /* Children in custody (R8): src/modules/custody/custody_measures.c. */
    {.key = "r8_aa_within_2h", .recommendation = 8,
     .title = "Appropriate adults arriving within 2 hours",
     .numerator = "of those, arrived within 2 hours of the request (the first escalation's "
                  "minutes, so a force's setting is the one measured)",
     .denominator = "appropriate adults requested for children in the period that have arrived "
                    "or whose 2 hours have passed",
     .target = 100, .green_at = 90, .amber_at = 75, .higher_is_better = true,
     .count = custody_count_aa_within},
    {.key = "r8_held_overnight", .recommendation = 8,
     .title = "Children held overnight after charge",
     .numerator = "of those, still in police custody after the first midnight (UK time) after "
                  "charge",
     .denominator = "children charged and refused bail in the period",
     .target = 0, .green_at = 5, .amber_at = 20, .higher_is_better = false,
     .count = custody_count_held_overnight},
    {.key = "r8_transfers_requested", .recommendation = 8,
     .title = "Local authority accommodation requested (s38(6))",
     .numerator = "of those, a transfer to local authority accommodation requested",
     .denominator = "children charged and refused bail in the period",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = custody_count_transfers_requested},
    {.key = "r8_transfers_achieved", .recommendation = 8,
     .title = "Transfers to local authority accommodation achieved",
     .numerator = "of those, moved to local authority accommodation",
     .denominator = "children charged and refused bail in the period for whom a transfer was "
                    "requested",
     .target = 100, .green_at = 80, .amber_at = 60, .higher_is_better = true,
     .count = custody_count_transfers_achieved},
    {.key = "r8_referred_from_custody", .recommendation = 8,
     .title = "Custody concerns referred to children's social care within 24 hours",
     .numerator = "of those, a referral sent within 24 hours of the concern",
     .denominator = "children in custody with an exploitation or welfare concern recorded in "
                    "the period, referred or past 24 hours",
     .target = 100, .green_at = 95, .amber_at = 85, .higher_is_better = true,
     .count = custody_count_referred},
};
/* clang-format on */
const int assurance_measure_count =
    (int)(sizeof(assurance_measures) / sizeof(assurance_measures[0]));

/* Breakdowns beside a recommendation's measures. The done-when of R8 asks
 * for the overnight figure per local authority. */
const struct assurance_breakdown assurance_breakdowns[] = {
    {.recommendation = 8,
     .key = "custody_by_la",
     .title = "Children in custody by local authority",
     .href = "/custody/measures",
     .detail_perm = PERM_CUSTODY_READ,
     .build = custody_by_local_authority},
};
const int assurance_breakdown_count =
    (int)(sizeof(assurance_breakdowns) / sizeof(assurance_breakdowns[0]));

struct stmt *assurance_count_prepare(struct store *s, const char *sql, const char *from_ts,
                                     const char *to_ts, const char *area)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, from_ts);
    stmt_bind_text(st, 2, to_ts);
    stmt_bind_text(st, 3, area);
    return st;
}

int64_t assurance_secs_between(const char *a, const char *b)
{
    int64_t x = 0, y = 0;
    if (ts_parse(a, &x) < 0 || ts_parse(b, &y) < 0)
        return 0;
    return y - x;
}

const struct assurance_measure *assurance_measure_find(const char *key)
{
    for (int i = 0; key && i < assurance_measure_count; i++)
        if (strcmp(assurance_measures[i].key, key) == 0)
            return &assurance_measures[i];
    return NULL;
}

const char *assurance_rag(const struct assurance_measure *m, int64_t num, int64_t den)
{
    assert(m);
    if (den <= 0)
        return "none";
    double pct = 100.0 * (double)num / (double)den;
    if (m->higher_is_better)
        return pct >= m->green_at ? "green" : pct >= m->amber_at ? "amber" : "red";
    return pct <= m->green_at ? "green" : pct <= m->amber_at ? "amber" : "red";
}

static int count_sql(struct store *s, const char *sql, const char *from_ts, const char *to_ts,
                     const char *area, int64_t *num, int64_t *den)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return -1;
    stmt_bind_text(st, 1, from_ts);
    stmt_bind_text(st, 2, to_ts);
    stmt_bind_text(st, 3, area);
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

static json_t *count_json(int64_t n, bool hide)
{
    return hide ? json_string("fewer than 5") : json_integer((json_int_t)n);
}

json_t *assurance_measure_eval(struct store *s, const struct assurance_measure *m,
                               const struct assurance_period *p, bool suppress)
{
    assert(s && m && p);
    char from_ts[TS_TEXT_LEN], to_ts[TS_TEXT_LEN];
    struct civil_date from, to;
    if (date_parse(p->from, &from) < 0 || date_parse(p->to, &to) < 0)
        return NULL;
    /* Periods are UK days: "October" runs from local midnight on the 1st to
     * local midnight on 1 November, so a call at 00:30 BST on 1 October
     * (23:30 UTC on 30 September) counts in October, as the force sees it. */
    struct civil_date after = date_from_days(date_to_days(&to) + 1);
    ts_format(ts_uk_midnight(&from), from_ts);
    ts_format(ts_uk_midnight(&after), to_ts);
    int64_t num = 0, den = 0;
    int rc = m->count ? m->count(s, from_ts, to_ts, p->area, &num, &den)
                      : count_sql(s, m->sql, from_ts, to_ts, p->area, &num, &den);
    if (rc < 0)
        return NULL;
    bool hide_num = suppress && den > 0 && num < ASSURANCE_SUPPRESS_BELOW;
    bool hide_den = suppress && den > 0 && den < ASSURANCE_SUPPRESS_BELOW;
    bool hidden = hide_num || hide_den;
    json_t *pct =
        den > 0 && !hidden
            ? json_real((double)(int64_t)(1000.0 * (double)num / (double)den + 0.5) / 10.0)
            : json_null();
    return json_pack("{s:s, s:i, s:s, s:s, s:s, s:f, s:f, s:f, s:b, s:s, s:s, s:o, s:o, s:o, "
                     "s:s, s:b}",
                     "key", m->key, "recommendation", m->recommendation, "title", m->title,
                     "numerator_definition", m->numerator, "denominator_definition", m->denominator,
                     "target", m->target, "green_at", m->green_at, "amber_at", m->amber_at,
                     "higher_is_better", m->higher_is_better, "from", p->from, "to", p->to,
                     "numerator", count_json(num, hide_num), "denominator",
                     count_json(den, hide_den), "percent", pct, "rag",
                     hidden ? "not enough data" : assurance_rag(m, num, den), "suppressed", hidden);
}
