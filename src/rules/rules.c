/*
 * rules.c — the timescales engine (see rules.h) and its one table of rules.
 *
 * Figures are defaults from ../shared/DOMAIN.md; a force overrides any of
 * them with "rule.<id> = <minutes>" in its configuration file. Each row says
 * where its figure comes from; docs/timescales.md is the same table in prose.
 */
#include "rules/rules.h"
#include "auth/auth.h"
#include "core/date.h"
#include "modules/offenders/offenders.h"
#include "modules/protection/protection.h"
#include "rules/rules_sql.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- predicates over records -------------------------------------------- */

static const char *field(const json_t *r, const char *k)
{
    const json_t *v = json_object_get(r, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool is(const json_t *r, const char *k, const char *v)
{
    const char *f = field(r, k);
    return f && strcmp(f, v) == 0;
}

static bool flag(const json_t *r, const char *k)
{
    return json_is_true(json_object_get(r, k));
}

/* An open incident involving a child, not yet attended, graded Priority. */
static bool unresourced_priority_child(const json_t *r)
{
    return flag(r, "involves_child") && is(r, "status", "open") && is(r, "grade", "priority") &&
           !field(r, "attended_at");
}

static bool unresourced_scheduled_child(const json_t *r)
{
    return flag(r, "involves_child") && is(r, "status", "open") && is(r, "grade", "scheduled") &&
           !field(r, "attended_at");
}

static bool emergency_not_attended(const json_t *r)
{
    return is(r, "status", "open") && is(r, "grade", "emergency") && !field(r, "attended_at");
}

static bool priority_not_attended(const json_t *r)
{
    return is(r, "status", "open") && is(r, "grade", "priority") && !field(r, "attended_at");
}

/* Graded below the floor the risk supports, not yet authorised. */
static bool undergraded_unauthorised(const json_t *r)
{
    return !is(r, "status", "closed") && flag(r, "below_risk_grade") &&
           !field(r, "grade_authorised_by_name");
}

/* The escalation rule fired (e.g. third incident in 28 days): re-assess. */
static bool reassessment_required(const json_t *r)
{
    return !is(r, "status", "closed") && flag(r, "reassessment_required");
}

/* Attended, involves a child, and some child's voice is not yet recorded. */
static bool voice_missing(const json_t *r)
{
    return !is(r, "status", "closed") && flag(r, "involves_child") && field(r, "attended_at") &&
           flag(r, "voice_missing");
}

/* Missing episodes (DOMAIN.md R3). */
static bool still_missing(const json_t *r)
{
    return is(r, "status", "missing");
}

static bool no_first_action(const json_t *r, const char *risk)
{
    return still_missing(r) && is(r, "risk", risk) && !field(r, "first_action_at");
}
static bool first_action_high(const json_t *r)
{
    return no_first_action(r, "high");
}
static bool first_action_medium(const json_t *r)
{
    return no_first_action(r, "medium");
}
static bool first_action_low(const json_t *r)
{
    return no_first_action(r, "low");
}

static bool review_high(const json_t *r)
{
    return still_missing(r) && is(r, "risk", "high");
}
static bool review_medium(const json_t *r)
{
    return still_missing(r) && is(r, "risk", "medium");
}
static bool review_low(const json_t *r)
{
    return still_missing(r) && is(r, "risk", "low");
}

/* High risk and no inspector has reviewed since it became high. */
static bool inspector_oversight(const json_t *r)
{
    return still_missing(r) && is(r, "risk", "high") && !flag(r, "inspector_oversight_given");
}

static bool prevention_interview_due(const json_t *r)
{
    return field(r, "returned_at") && !field(r, "prevention_interview_at");
}

static bool rhi_referral_due(const json_t *r)
{
    return flag(r, "is_child") && field(r, "returned_at") && !field(r, "rhi_referred_at");
}

static bool rhi_outcome_due(const json_t *r)
{
    return flag(r, "is_child") && field(r, "rhi_referred_at") && !field(r, "rhi_outcome");
}

static bool exploitation_referral_due(const json_t *r)
{
    return field(r, "exploitation_recorded_at") &&
           (flag(r, "exploitation_cse") || flag(r, "exploitation_cce")) &&
           !field(r, "referral_recorded_at");
}

/* A mandatory referral (DOMAIN.md R4) not yet sent. */
static bool incident_referral_due(const json_t *r)
{
    return field(r, "referral_required") && !flag(r, "referral_sent");
}

/* Referrals (DOMAIN.md R4). */
static bool referral_unsent(const json_t *r)
{
    return is(r, "status", "draft") || is(r, "status", "submitted") || is(r, "status", "returned");
}
static bool referral_unsent_immediate(const json_t *r)
{
    return referral_unsent(r) && is(r, "urgency", "immediate");
}
static bool referral_unsent_24h(const json_t *r)
{
    return referral_unsent(r) && is(r, "urgency", "within_24h");
}
static bool referral_unsent_routine(const json_t *r)
{
    return referral_unsent(r) && is(r, "urgency", "routine");
}
static bool referral_awaiting_review(const json_t *r)
{
    return is(r, "status", "submitted");
}
static bool referral_returned(const json_t *r)
{
    return is(r, "status", "returned");
}
static bool referral_unacknowledged(const json_t *r)
{
    return is(r, "status", "sent") && flag(r, "awaiting_acknowledgement");
}
static bool referral_encompass(const json_t *r)
{
    return referral_unsent(r) && field(r, "encompass_day");
}

/* Investigations (DOMAIN.md R5). */
static bool inv_open(const json_t *r)
{
    return !is(r, "status", "closed");
}
static bool inv_unallocated(const json_t *r)
{
    return is(r, "status", "new");
}
static bool inv_allocation_review_due(const json_t *r)
{
    return inv_open(r) && field(r, "allocated_at") && !flag(r, "allocation_reviewed");
}
static bool inv_periodic_review_due(const json_t *r)
{
    return inv_open(r) && flag(r, "allocation_reviewed");
}
static bool inv_key_point_review_due(const json_t *r)
{
    return inv_open(r) && field(r, "key_point_at");
}
static bool inv_stale(const json_t *r)
{
    return inv_open(r) && !is(r, "status", "new") && !is(r, "status", "suspended");
}
static bool inv_share_due(const json_t *r)
{
    return flag(r, "risk_to_child") && !field(r, "info_shared_at");
}

/* Online referrals (OCSET). */
static bool ocse_unidentified(const json_t *r)
{
    return is(r, "status", "received");
}
static bool ocse_unassessed(const json_t *r)
{
    return is(r, "status", "identified") && !field(r, "assessed_at");
}
static bool ocse_awaiting_action(const json_t *r, const char *band)
{
    return (is(r, "status", "received") || is(r, "status", "identified")) && is(r, "band", band);
}
static bool ocse_action_very_high(const json_t *r)
{
    return ocse_awaiting_action(r, "very_high");
}
static bool ocse_action_high(const json_t *r)
{
    return ocse_awaiting_action(r, "high");
}
static bool ocse_action_medium(const json_t *r)
{
    return ocse_awaiting_action(r, "medium");
}
static bool ocse_action_low(const json_t *r)
{
    return ocse_awaiting_action(r, "low");
}

/* Police protection (DOMAIN.md R6, Children Act 1989 s46). */
static bool pp_active(const json_t *r)
{
    return is(r, "status", "in_protection");
}
static bool pp_undesignated(const json_t *r)
{
    return pp_active(r) && !flag(r, "designated");
}
static bool pp_la_due(const json_t *r)
{
    return !field(r, "la_informed_at");
}
static bool pp_parents_due(const json_t *r)
{
    return !field(r, "parents_recorded_at");
}
static bool pp_child_due(const json_t *r)
{
    return !field(r, "child_informed_at");
}
static bool pp_inquiry_due(const json_t *r)
{
    return pp_active(r) && flag(r, "designated") && !field(r, "inquiry_at");
}
static bool pp_release_or_epo_due(const json_t *r)
{
    return pp_active(r) && !flag(r, "epo_sought");
}

/* Child Sex Offender Disclosure Scheme (DOMAIN.md R7): each stage's task
 * opens when the stage before it is recorded. */
static bool csod_open(const json_t *r)
{
    return is(r, "status", "open");
}
static bool csod_contact_due(const json_t *r)
{
    return csod_open(r) && !field(r, "initial_contact_at");
}
static bool csod_meeting_due(const json_t *r)
{
    return csod_open(r) && field(r, "initial_contact_at") && !field(r, "face_to_face_at");
}
static bool csod_checks_due(const json_t *r)
{
    return csod_open(r) && field(r, "face_to_face_at") && !field(r, "checks_at");
}
static bool csod_decision_due(const json_t *r)
{
    return csod_open(r) && field(r, "checks_at") && !field(r, "decision_at");
}
static bool csod_disclosure_due(const json_t *r)
{
    return csod_open(r) && is(r, "decision", "disclose") && !field(r, "disclosed_at") &&
           !is(r, "undertaking", "refused");
}
/* An immediate risk with no safeguarding action yet, open or closed. */
static bool csod_risk_unanswered(const json_t *r)
{
    return field(r, "immediate_risk_open_from") != NULL;
}

/* Children in custody (DOMAIN.md R8, PACE Code C). The record carries
 * treated_as_child (the age-dispute rule), visit_from (the last welfare
 * visit, else arrival) and concern (exploitation or welfare). */
static bool cu_held(const json_t *r)
{
    return is(r, "status", "in_custody");
}
static bool cu_child(const json_t *r)
{
    return cu_held(r) && flag(r, "treated_as_child");
}
static bool cu_first_review_due(const json_t *r)
{
    return cu_held(r) && !field(r, "last_review_at");
}
static bool cu_next_review_due(const json_t *r)
{
    return cu_held(r) && field(r, "last_review_at");
}
static bool cu_visit_child(const json_t *r)
{
    return cu_child(r);
}
static bool cu_visit_adult(const json_t *r)
{
    return cu_held(r) && !flag(r, "treated_as_child");
}
static bool cu_responsible_due(const json_t *r)
{
    return cu_child(r) && !field(r, "responsible_adult_at");
}
static bool cu_request_aa_due(const json_t *r)
{
    return cu_child(r) && !field(r, "aa_requested_at");
}
static bool cu_aa_waiting(const json_t *r)
{
    return cu_child(r) && field(r, "aa_requested_at") && !field(r, "aa_arrived_at");
}
static bool cu_welfare_due(const json_t *r)
{
    return cu_child(r) && !field(r, "welfare_at");
}
/* Owed after release too, until the referral is sent. */
static bool cu_referral_due(const json_t *r)
{
    return flag(r, "concern") && !field(r, "referral_sent_at");
}
static bool cu_refused_bail(const json_t *r)
{
    return cu_child(r) && is(r, "outcome", "charged_refused_bail") && !field(r, "certified_at");
}
static bool cu_transfer_request_due(const json_t *r)
{
    return cu_refused_bail(r) && !field(r, "transfer_requested_at");
}

/* An incident whose latest THRIVE records a child at immediate risk, with
 * no police protection case linked and no decision recorded. */
static bool incident_protection_decision_due(const json_t *r)
{
    return field(r, "protection_decision_from") != NULL;
}

/* Registered sex offenders (DOMAIN.md R7): the domain computes the day each
 * clock falls due (offenders.c, offenders_dues()); the rule's minutes are
 * that day, so the task is due at its end. Nothing is due once the
 * notification requirements have ended. */
static bool of_in_force(const json_t *r)
{
    return flag(r, "in_force");
}
static bool of_visit_due(const json_t *r)
{
    return of_in_force(r) && is(r, "management", "active") && field(r, "visit_due_from");
}
static bool of_plan_review_due(const json_t *r)
{
    return of_in_force(r) && field(r, "plan_review_due_from");
}
static bool of_plan_review_prompted(const json_t *r)
{
    return of_in_force(r) && field(r, "plan_review_prompted_at");
}
static bool of_risk_review_due(const json_t *r)
{
    return of_in_force(r) && field(r, "risk_due_from");
}
static bool of_notification_due(const json_t *r)
{
    return of_in_force(r) && field(r, "notify_due_from");
}
static bool of_reactive_urgent(const json_t *r)
{
    return field(r, "reactive_urgent_from") != NULL;
}
static bool of_reactive_routine(const json_t *r)
{
    return field(r, "reactive_routine_from") != NULL;
}
static bool of_concern_review(const json_t *r)
{
    return field(r, "concern_review_from") != NULL;
}
static bool of_child_link_open(const json_t *r)
{
    return is(r, "status", "open");
}

/* ---- the table ------------------------------------------------------------ */

const struct rule rule_table[] = {
    {"incident.attend_emergency", "incident", "Attend: emergency grade", emergency_not_attended,
     "received_at", 15, OWNER_ROLE, "response_officer", "supervisor",
     "DOMAIN.md R1: emergency attendance within 15 minutes (urban; 20 rural), local policy"},
    {"incident.attend_priority", "incident", "Attend: priority grade", priority_not_attended,
     "received_at", 60, OWNER_ROLE, "response_officer", "supervisor",
     "DOMAIN.md R1: priority attendance within 60 minutes, local policy"},
    {"incident.rereview_priority", "incident",
     "Re-review un-resourced priority incident involving a child", unresourced_priority_child,
     "last_reviewed_at", 30, OWNER_ROLE, "call_handler", "supervisor",
     "DOMAIN.md R1: re-review every 30 minutes for Priority (local policy)"},
    {"incident.rereview_scheduled", "incident",
     "Re-review scheduled incident involving a child before the appointment",
     unresourced_scheduled_child, "last_reviewed_at", 240, OWNER_ROLE, "call_handler", "supervisor",
     "DOMAIN.md R1: re-review every 4 hours for Scheduled (local policy)"},
    {"incident.authorise_grade", "incident",
     "Authorise or correct a grade below the risk-supported grade", undergraded_unauthorised,
     "graded_at", 15, OWNER_ROLE, "supervisor", "supervisor",
     "DOMAIN.md R1: downgrading below the floor needs a supervisor and a reason (local "
     "policy)"},
    {"incident.reassess", "incident",
     "Re-assess risk: repeat or escalating incidents for this child or address",
     reassessment_required, "updated_at", 60, OWNER_ROLE, "call_handler", "supervisor",
     "DOMAIN.md R1: the third incident in 28 days requires re-assessment (local policy)"},
    {"incident.voice_of_child", "incident", "Record the voice of the child", voice_missing,
     "attended_at", 24 * 60, OWNER_RECORD_USER, "response_officer", "supervisor",
     "DOMAIN.md R2 (Working Together 2023): record the child's words, views, behaviour and "
     "demeanour; by the end of the next day (local policy)"},
    {"incident.referral", "incident", "Send the mandatory referral to children's social care",
     incident_referral_due, "received_at", 24 * 60, OWNER_RECORD_USER, "response_officer",
     "supervisor",
     "DOMAIN.md R4: referrals sent within 24 hours (local policy); mandatory for domestic "
     "abuse "
     "with a child present"},

    {"incident.protection_decision", "incident",
     "Decide whether the child needed police protection, and record why",
     incident_protection_decision_due, "protection_decision_from", 60, OWNER_ROLE, "supervisor",
     "inspector",
     "DOMAIN.md R6: the risk recorded a child at immediate risk of significant harm and no "
     "police protection was used; a supervisor decides and records the reason within the hour "
     "(local policy)"},

    /* Missing children (DOMAIN.md R3). Each risk level is a row, so a force
     * sets each level's minutes ("rule.missing.review_high = 90"). */
    {"missing.first_action_high", "missing_episode", "First action or enquiry: high-risk missing",
     first_action_high, "reported_at", 30, OWNER_RECORD_USER, "missing_coordinator", "supervisor",
     "DOMAIN.md R3: high risk means immediate deployment; first action within 30 minutes "
     "(local policy)"},
    {"missing.first_action_medium", "missing_episode",
     "First action or enquiry: medium-risk missing", first_action_medium, "reported_at", 120,
     OWNER_RECORD_USER, "missing_coordinator", "supervisor",
     "DOMAIN.md R3: first action within 2 hours for medium risk (local policy)"},
    {"missing.first_action_low", "missing_episode", "First action or enquiry: low-risk missing",
     first_action_low, "reported_at", 360, OWNER_RECORD_USER, "missing_coordinator", "supervisor",
     "DOMAIN.md R3: first action within 6 hours for low risk (local policy)"},
    {"missing.review_high", "missing_episode", "Supervisory review: high-risk missing child",
     review_high, "last_reviewed_at", 120, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R3 (APP Missing persons; local policy): high risk, supervisor review at least "
     "every 2 hours"},
    {"missing.review_medium", "missing_episode", "Supervisory review: medium-risk missing child",
     review_medium, "last_reviewed_at", 360, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R3 (APP Missing persons; local policy): medium risk, every 6 hours"},
    {"missing.review_low", "missing_episode", "Supervisory review: low-risk missing child",
     review_low, "last_reviewed_at", 720, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R3 (APP Missing persons; local policy): low risk, every 12 hours"},
    {"missing.inspector_oversight", "missing_episode",
     "Inspector's review of a high-risk missing child", inspector_oversight, "risk_assessed_at", 60,
     OWNER_ROLE, "inspector", "inspector",
     "DOMAIN.md R3: high risk, an inspector informed and reviewing from the start; within the "
     "hour (local policy)"},
    {"missing.prevention_interview", "missing_episode",
     "Prevention interview (safe and well) after return", prevention_interview_due, "returned_at",
     24 * 60, OWNER_RECORD_USER, "missing_coordinator", "supervisor",
     "DOMAIN.md R3 (APP Missing persons): as soon as practicable after return; 24 hours (local "
     "policy)"},
    {"missing.rhi_referral", "missing_episode",
     "Ask the local authority for a return home interview", rhi_referral_due, "returned_at",
     24 * 60, OWNER_ROLE, "missing_coordinator", "supervisor",
     "DOMAIN.md R3: the interview is due within 72 hours of return, so the local authority is "
     "asked within 24 hours (local policy)"},
    {"missing.rhi_outcome", "missing_episode",
     "Record the return home interview's outcome (due within 72 hours of return)", rhi_outcome_due,
     "returned_at", 72 * 60, OWNER_ROLE, "missing_coordinator", "supervisor",
     "DOMAIN.md R3 (DfE statutory guidance on children who run away or go missing from home or "
     "care, 2014): an independent return home interview within 72 hours of return"},
    {"missing.exploitation_referral", "missing_episode",
     "Refer exploitation indicators to children's social care", exploitation_referral_due,
     "exploitation_recorded_at", 24 * 60, OWNER_ROLE, "missing_coordinator", "supervisor",
     "DOMAIN.md R3/R4: CSE or CCE indicators must prompt a referral; within 24 hours (local "
     "policy)"},

    /* Referrals (DOMAIN.md R4): sent by their urgency, reviewed, chased. */
    {"referral.send_immediate", "referral", "Send the urgent referral (and phone it through)",
     referral_unsent_immediate, "concern_at", 60, OWNER_RECORD_USER, "safeguarding_hub",
     "supervisor",
     "DOMAIN.md R4: urgent cases by phone immediately, recorded; within the hour (local "
     "policy)"},
    {"referral.send_within_24h", "referral", "Send the referral", referral_unsent_24h, "concern_at",
     24 * 60, OWNER_RECORD_USER, "safeguarding_hub", "supervisor",
     "DOMAIN.md R4: others sent within 24 hours (local policy)"},
    {"referral.send_routine", "referral", "Send the routine referral", referral_unsent_routine,
     "concern_at", 72 * 60, OWNER_RECORD_USER, "safeguarding_hub", "supervisor",
     "Routine concerns within 3 days (local policy)"},
    {"referral.review", "referral", "Review the referral before it is sent",
     referral_awaiting_review, "submitted_at", 4 * 60, OWNER_ROLE, "safeguarding_hub", "supervisor",
     "The force's quality gate: reviewed within 4 hours (local policy)"},
    {"referral.correct", "referral", "Put right the referral returned by the reviewer",
     referral_returned, "updated_at", 4 * 60, OWNER_RECORD_USER, "safeguarding_hub", "supervisor",
     "The force's quality gate: corrected within 4 hours (local policy)"},
    {"referral.acknowledgement", "referral", "Chase the agency: referral not acknowledged",
     referral_unacknowledged, "sent_at", 24 * 60, OWNER_ROLE, "safeguarding_hub", "supervisor",
     "Working Together 2023: children's social care decides within one working day of "
     "receiving a referral"},
    /* Investigations (DOMAIN.md R5): allocation, supervision, delay, sharing. */
    {"investigation.allocate", "investigation", "Allocate the investigation", inv_unallocated,
     "created_at", 24 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R5: allocated to a team with the skills, capacity and competence; within a day "
     "(local policy)"},
    {"investigation.review_allocation", "investigation",
     "Supervisory review of the newly allocated investigation", inv_allocation_review_due,
     "allocated_at", 24 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R5: review on allocation within 24 hours (local policy)"},
    {"investigation.review_periodic", "investigation", "Supervisory review of the investigation",
     inv_periodic_review_due, "review_from", 28 * 24 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R5: then at least every 28 days (local policy)"},
    {"investigation.review_key_point", "investigation",
     "Supervisory review after an arrest or charging decision", inv_key_point_review_due,
     "key_point_at", 24 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R5: reviews at arrest and charging decision; within a day (local policy)"},
    {"investigation.stale", "investigation", "No action recorded for 14 days: act or explain",
     inv_stale, "last_action_at", 14 * 24 * 60, OWNER_RECORD_USER, "investigator", "supervisor",
     "DOMAIN.md R5: an investigation with no recorded action for 14 days is stale"},
    {"investigation.share_info", "investigation",
     "Share the risk to the child with children's social care (strategy discussion)", inv_share_due,
     "risk_known_at", 24 * 60, OWNER_RECORD_USER, "investigator", "supervisor",
     "DOMAIN.md R5 and Working Together 2023: share what police hold when a risk to a child is "
     "known; within a day (local policy)"},
    /* Online referrals (OCSET): receipt to identification, assessment and
     * action, the action target set by the priority band. */
    {"ocse.identify", "online_referral", "Identify the suspect of the online referral",
     ocse_unidentified, "received_at", 3 * 24 * 60, OWNER_ROLE, "ocse_analyst", "supervisor",
     "Enquiries to identify a suspect within 3 days of receipt (local policy)"},
    {"ocse.assess", "online_referral", "Assess the risk factors of the identified suspect",
     ocse_unassessed, "identified_at", 24 * 60, OWNER_ROLE, "ocse_analyst", "supervisor",
     "Risk assessment within a day of identification (local policy)"},
    {"ocse.action_very_high", "online_referral", "Act on a very high risk online referral",
     ocse_action_very_high, "received_at", 24 * 60, OWNER_ROLE, "ocse_analyst", "inspector",
     "KIRAT-style prioritisation: very high risk, action the same day (local policy: 24 "
     "hours)"},
    {"ocse.action_high", "online_referral", "Act on a high risk online referral", ocse_action_high,
     "received_at", 3 * 24 * 60, OWNER_ROLE, "ocse_analyst", "supervisor",
     "High risk: action within 3 days (local policy)"},
    {"ocse.action_medium", "online_referral", "Act on a medium risk online referral",
     ocse_action_medium, "received_at", 14 * 24 * 60, OWNER_ROLE, "ocse_analyst", "supervisor",
     "Medium risk: action within 14 days (local policy)"},
    {"ocse.action_low", "online_referral", "Act on a low risk online referral", ocse_action_low,
     "received_at", 28 * 24 * 60, OWNER_ROLE, "ocse_analyst", "supervisor",
     "Low risk: action within 28 days (local policy)"},
    /* Police protection (DOMAIN.md R6): every clock runs from the use of the
     * power (initiated_at); no child is kept more than 72 hours (s46(6)). */
    {"protection.designate", "police_protection", "Appoint the designated officer", pp_undesignated,
     "initiated_at", 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R6 (Children Act 1989 s46(3)(e); Home Office Circular 17/2008): a designated "
     "officer inquires into the case, never the officer who used the power; within the hour "
     "(local policy)"},
    {"protection.inform_la", "police_protection", "Inform the local authority", pp_la_due,
     "initiated_at", 60, OWNER_RECORD_USER, "response_officer", "supervisor",
     "DOMAIN.md R6 (s46(3)(a),(b)): as soon as reasonably practicable; 1 hour (local policy)"},
    {"protection.inform_parents", "police_protection",
     "Inform the parents and those with parental responsibility (or record why not)",
     pp_parents_due, "initiated_at", 120, OWNER_RECORD_USER, "response_officer", "supervisor",
     "DOMAIN.md R6 (s46(4)): as soon as reasonably practicable take such steps as are "
     "reasonably practicable; 2 hours (local policy)"},
    {"protection.inform_child", "police_protection",
     "Tell the child what is happening and record their views", pp_child_due, "initiated_at", 120,
     OWNER_RECORD_USER, "response_officer", "supervisor",
     "DOMAIN.md R2, R6 (s46(3)(c),(d)): inform the child and discover their wishes and "
     "feelings as soon as reasonably practicable; 2 hours (local policy)"},
    {"protection.inquiry", "police_protection", "The designated officer's inquiry and decision",
     pp_inquiry_due, "initiated_at", 24 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R6 (s46(3)(e), (5)): the designated officer inquires into the case and "
     "releases the child unless there is still reasonable cause; 24 hours (local policy)"},
    {"protection.release_or_epo", "police_protection",
     "Release the child or apply for an emergency protection order before the 72 hours end",
     pp_release_or_epo_due, "initiated_at", 66 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R6 (s46(6), (7)): 72 hours at most; due 6 hours before they end so an EPO "
     "application can be made in time (local policy)"},
    {"protection.expiry", "police_protection",
     "72 hours of police protection end: the child must not be kept longer", pp_active,
     "initiated_at", PROTECTION_MAX_HOURS * 60, OWNER_ROLE, "inspector", "inspector",
     "Children Act 1989 s46(6): no child may be kept in police protection for more than 72 "
     "hours; the alarm falls due at expiry, with the duty inspector"},
    /* Registered sex offenders (DOMAIN.md R7). The offender manager owns
     * each task; overdue ones escalate to their supervisor. */
    {"offender.visit", "offender",
     "Home visit due (the plan's frequency, or the risk level's fallback minimum)", of_visit_due,
     "visit_due_from", 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7 (NPCC since 2017): the risk management plan sets the visit frequency; "
     "fallback minimums when it sets none: very high monthly, high 3-monthly, medium "
     "6-monthly, "
     "low yearly (local policy, offenders.visit_months.<level>); due by the end of that day"},
    {"offender.plan_review", "offender", "Review the risk management plan (at least yearly)",
     of_plan_review_due, "plan_review_due_from", 24 * 60, OWNER_RECORD_USER, "offender_manager",
     "supervisor",
     "DOMAIN.md R7: a plan review at least every 12 months (offenders.plan_review_months); due "
     "by the end of that day"},
    {"offender.plan_review_change", "offender",
     "Review the risk management plan after a significant change (risk level, intelligence)",
     of_plan_review_prompted, "plan_review_prompted_at", 14 * 24 * 60, OWNER_RECORD_USER,
     "offender_manager", "supervisor",
     "DOMAIN.md R7: a plan review after any significant change; within 14 days (local policy)"},
    {"offender.risk_review", "offender", "ARMS risk assessment due", of_risk_review_due,
     "risk_due_from", 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7 (ARMS): the next assessment date the last one set, else 12 months on "
     "(offenders.risk_review_months); the first within 28 days of registration (local policy)"},
    {"offender.notification_due", "offender",
     "Notification due from the offender (initial, annual, or weekly without a home): chase it",
     of_notification_due, "notify_due_from", 24 * 60, OWNER_RECORD_USER, "offender_manager",
     "supervisor",
     "SOA 2003 s83, s85 and the 2012 Regulations: initial notification within 3 days, then "
     "annually from the last notification, weekly with no sole or main residence"},
    {"offender.reactive_review_urgent", "offender",
     "Review reactive management: urgent new intelligence or incident", of_reactive_urgent,
     "reactive_urgent_from", 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7: any new intelligence or incident triggers a review that may return the "
     "offender to active management; urgent within 24 hours (local policy)"},
    {"offender.reactive_review_routine", "offender", "Review reactive management: new intelligence",
     of_reactive_routine, "reactive_routine_from", 7 * 24 * 60, OWNER_RECORD_USER,
     "offender_manager", "supervisor",
     "DOMAIN.md R7: routine intelligence reviewed within 7 days (local policy)"},
    {"offender.concern_review", "offender", "Confirm or end the local officers' briefing concern",
     of_concern_review, "concern_review_from", 24 * 60, OWNER_RECORD_USER, "offender_manager",
     "supervisor",
     "Inspection recommendation 7 (information for local officers): each concern confirmed or "
     "ended every 28 days so the briefing stays current (local policy, "
     "offenders.concern_review_days)"},
    {"offender.child_safeguarding", "offender_child_link",
     "Safeguard the child living with a registered sex offender", of_child_link_open, "linked_at",
     24 * 60, OWNER_ROLE, "safeguarding_hub", "supervisor",
     "DOMAIN.md R7: a notification that an offender lives with a child must reach that child's "
     "record; the child's area acts within 24 hours (local policy)"},
    /* Child Sex Offender Disclosure Scheme (DOMAIN.md R7): every stage's
     * clock runs from the application; the whole within 45 days. */
    {"disclosure.initial_contact", "disclosure_application",
     "Disclosure scheme: initial contact with the applicant and the immediate-risk check",
     csod_contact_due, "received_at", 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7 (CSOD guidance, updated April 2023): initial contact and a check for "
     "immediate risk within 24 hours of the application"},
    {"disclosure.face_to_face", "disclosure_application",
     "Disclosure scheme: face-to-face meeting with the applicant", csod_meeting_due, "received_at",
     10 * 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7 (CSOD guidance): a face-to-face meeting within 10 working days of the "
     "application (working days: calendar.working_days, calendar.holidays)"},
    {"disclosure.checks", "disclosure_application",
     "Disclosure scheme: complete the checks on the subject", csod_checks_due, "received_at",
     25 * 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7: the checks completed within 25 days of the application, leaving time for "
     "the decision and disclosure inside the 45 days (local policy)"},
    {"disclosure.decision", "disclosure_application",
     "Disclosure scheme: hold the decision-making meeting", csod_decision_due, "received_at",
     35 * 24 * 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R7: the decision-making meeting within 35 days of the application (local "
     "policy)"},
    {"disclosure.disclose", "disclosure_application",
     "Disclosure scheme: the undertaking of confidentiality and the disclosure",
     csod_disclosure_due, "received_at", 42 * 24 * 60, OWNER_RECORD_USER, "offender_manager",
     "supervisor",
     "DOMAIN.md R7: the disclosure made within 42 days of the application, so the application "
     "closes inside the 45 days (local policy)"},
    {"disclosure.complete", "disclosure_application",
     "Disclosure scheme: complete the application (45 days)", csod_open, "received_at",
     45 * 24 * 60, OWNER_RECORD_USER, "offender_manager", "supervisor",
     "DOMAIN.md R7: the whole process within 45 days of the application (the force-level "
     "target; police guidance updated April 2023)"},
    {"disclosure.immediate_risk", "disclosure_application",
     "Urgent safeguarding action: a child is at immediate risk (disclosure scheme)",
     csod_risk_unanswered, "immediate_risk_open_from", 60, OWNER_ROLE, "supervisor", "inspector",
     "DOMAIN.md R7: immediate safeguarding action at any stage where a child is at risk; a "
     "supervisor acts within the hour (local policy)"},
    /* Children in custody (DOMAIN.md R8, PACE Code C and s38(6)). */
    {"custody.review_first", "custody_record", "First detention review (6 hours after arrival)",
     cu_first_review_due, "arrived_at", 6 * 60, OWNER_ROLE, "inspector", "inspector",
     "DOMAIN.md R8 (PACE s40(3)): detention is reviewed no later than 6 hours after it is "
     "first authorised"},
    {"custody.review_next", "custody_record", "Detention review (every 9 hours)",
     cu_next_review_due, "last_review_at", 9 * 60, OWNER_ROLE, "inspector", "inspector",
     "DOMAIN.md R8 (PACE s40(3)): then at intervals of no more than 9 hours"},
    {"custody.visit_child", "custody_record", "Welfare visit to the child in detention",
     cu_visit_child, "visit_from", 30, OWNER_ROLE, "custody_officer", "custody_sergeant",
     "DOMAIN.md R8 (PACE Code C 9.3): visited more often than adults; every 30 minutes "
     "(local policy)"},
    {"custody.visit_adult", "custody_record", "Welfare visit to the detainee", cu_visit_adult,
     "visit_from", 60, OWNER_ROLE, "custody_officer", "custody_sergeant",
     "PACE Code C 9.3: detainees visited at least every hour"},
    {"custody.inform_responsible_adult", "custody_record",
     "Tell the person responsible for the child's welfare of the arrest", cu_responsible_due,
     "arrived_at", 60, OWNER_RECORD_USER, "custody_officer", "custody_sergeant",
     "DOMAIN.md R8 (PACE Code C 3.13): as soon as practicable; 1 hour (local policy)"},
    {"custody.request_aa", "custody_record", "Ask an appropriate adult to attend",
     cu_request_aa_due, "arrived_at", 60, OWNER_RECORD_USER, "custody_officer", "custody_sergeant",
     "DOMAIN.md R8 (PACE Code C 3.15): inform the appropriate adult as soon as practicable "
     "and ask them to attend; 1 hour (local policy)"},
    {"custody.aa_arrival_sergeant", "custody_record",
     "Appropriate adult not yet arrived: the custody sergeant escalates", cu_aa_waiting,
     "aa_requested_at", 2 * 60, OWNER_ROLE, "custody_sergeant", "inspector",
     "DOMAIN.md R8: escalate if no appropriate adult within 2 hours of the request (local "
     "policy)"},
    {"custody.aa_arrival_inspector", "custody_record",
     "Appropriate adult still not arrived: the inspector escalates", cu_aa_waiting,
     "aa_requested_at", 4 * 60, OWNER_ROLE, "inspector", "inspector",
     "DOMAIN.md R8: a second escalation, to the duty inspector, at 4 hours (local policy)"},
    {"custody.welfare_needs", "custody_record",
     "Assess the child's welfare needs (health, vulnerability, exploitation)", cu_welfare_due,
     "arrived_at", 60, OWNER_RECORD_USER, "custody_officer", "custody_sergeant",
     "DOMAIN.md R8: consider the child's needs; within the hour (local policy)"},
    {"custody.referral", "custody_record",
     "Send the mandatory referral to children's social care (custody concern)", cu_referral_due,
     "concern_at", 24 * 60, OWNER_RECORD_USER, "custody_officer", "custody_sergeant",
     "DOMAIN.md R4, R8: refer to children's social care where there are concerns; mandatory "
     "for an exploitation or welfare concern, within 24 hours (local policy)"},
    {"custody.transfer_request", "custody_record",
     "Ask the local authority to accommodate the child charged and refused bail (s38(6))",
     cu_transfer_request_due, "charged_at", 60, OWNER_ROLE, "custody_sergeant", "inspector",
     "DOMAIN.md R8 (PACE s38(6); Concordat on Children in Custody 2017): request local "
     "authority accommodation at once after charge; 1 hour (local policy)"},
    {"custody.s38_transfer", "custody_record",
     "Move the child to local authority accommodation, or certify why not (s38(7))",
     cu_refused_bail, "charged_at", 4 * 60, OWNER_ROLE, "custody_sergeant", "inspector",
     "DOMAIN.md R8 (PACE s38(6), (7)): moved unless the custody officer certifies; the "
     "Concordat expects no child held overnight; 4 hours (local policy)"},
    {"referral.encompass", "referral",
     "Tell the school before the next school day (Operation Encompass)", referral_encompass,
     "encompass_day", 8 * 60 + 30, OWNER_RECORD_USER, "safeguarding_hub", "supervisor",
     "Operation Encompass (Victims and Prisoners Act 2024; statutory guidance November 2025): "
     "the school's designated safeguarding lead before the start of the next school day; "
     "the minutes are the school day's start after midnight (08:30), Monday to Friday"},
};

const int rule_count = (int)(sizeof(rule_table) / sizeof(rule_table[0]));

static int overrides[sizeof(rule_table) / sizeof(rule_table[0])]; /* 0: default */

const struct rule *rules_find(const char *id)
{
    for (int i = 0; i < rule_count; i++)
        if (strcmp(rule_table[i].id, id) == 0)
            return &rule_table[i];
    return NULL;
}

int rules_minutes(const struct rule *r)
{
    int i = (int)(r - rule_table);
    return overrides[i] > 0 ? overrides[i] : r->default_minutes;
}

/* The working calendar the working-day rules count in. */
static struct working_calendar calendar = {.week = WORKWEEK_MON_FRI};

const struct working_calendar *rules_calendar(void)
{
    return &calendar;
}

int rules_configure_calendar(const char *name, const char *value, char *err, size_t errlen)
{
    if (strcmp(name, "working_days") == 0) {
        if (working_calendar_set_week(&calendar, value) < 0) {
            snprintf(err, errlen,
                     "calendar.working_days needs day names such as 'mon,tue,wed,thu,fri', not "
                     "'%s'",
                     value);
            return -1;
        }
        return 0;
    }
    if (strcmp(name, "holidays") == 0) {
        if (working_calendar_set_holidays(&calendar, value) < 0) {
            snprintf(err, errlen,
                     "calendar.holidays needs up to %d dates YYYY-MM-DD separated by commas, not "
                     "'%s'",
                     WORKING_HOLIDAYS_MAX, value);
            return -1;
        }
        return 0;
    }
    snprintf(err, errlen, "no calendar setting '%s' (working_days, holidays)", name);
    return -1;
}

/* The rules whose minutes are working time. A list rather than a column of
 * the table, so every other row stays as it was written. */
static const char *const working_day_rules[] = {"disclosure.face_to_face", NULL};

bool rules_working_days(const struct rule *r)
{
    for (const char *const *w = working_day_rules; *w; w++)
        if (strcmp(r->id, *w) == 0)
            return true;
    return false;
}

int64_t rules_due(const struct rule *r, int64_t from)
{
    int64_t secs = (int64_t)rules_minutes(r) * 60;
    return rules_working_days(r) ? working_time_add(&calendar, from, secs) : from + secs;
}

int rules_configure(const char *id, const char *minutes, char *err, size_t errlen)
{
    const struct rule *r = rules_find(id);
    if (!r) {
        snprintf(err, errlen, "no timescale rule '%s' (see docs/timescales.md)", id);
        return -1;
    }
    char *end;
    long m = strtol(minutes, &end, 10);
    if (!*minutes || *end || m < 1 || m > 60L * 24 * 365) {
        snprintf(err, errlen, "rule '%s' needs whole minutes from 1 to 525600, not '%s'", id,
                 minutes);
        return -1;
    }
    overrides[r - rule_table] = (int)m;
    return 0;
}

/* ---- evaluation ----------------------------------------------------------- */

static int open_task(struct store *s, const struct rule *r, const json_t *rec, int64_t id,
                     int64_t person_id, const char *due, const char *now_ts)
{
    struct stmt *st = store_prepare(s, SQL_TASK_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, r->id);
    stmt_bind_text(st, 2, r->record_type);
    stmt_bind_int(st, 3, id);
    if (person_id)
        stmt_bind_int(st, 4, person_id);
    stmt_bind_text(st, 5, r->title);
    stmt_bind_text(st, 6, due);
    json_t *officer = json_object_get(rec, "officer_id");
    const char *team = field(rec, "team");
    if (r->owner == OWNER_RECORD_USER && json_is_integer(officer))
        stmt_bind_int(st, 7, json_integer_value(officer));
    else if (r->owner == OWNER_RECORD_TEAM && team)
        stmt_bind_text(st, 8, team);
    else
        stmt_bind_text(st, 9, r->owner_role);
    /* The team is kept for every task, so supervisors see their team's. */
    if (r->owner != OWNER_RECORD_TEAM && team)
        stmt_bind_text(st, 8, team);
    stmt_bind_text(st, 10, r->escalate_role);
    stmt_bind_text(st, 11, now_ts);
    return store_exec_stmt(st);
}

int rules_evaluate(struct store *s, const char *record_type, const json_t *record,
                   int64_t person_id, int64_t now)
{
    int64_t id = json_integer_value(json_object_get(record, "id"));
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    for (int i = 0; i < rule_count; i++) {
        const struct rule *r = &rule_table[i];
        if (strcmp(r->record_type, record_type) != 0)
            continue;
        struct stmt *st = store_prepare(s, SQL_TASK_OPEN_FOR);
        if (!st)
            return STORE_ERROR;
        stmt_bind_text(st, 1, record_type);
        stmt_bind_int(st, 2, id);
        stmt_bind_text(st, 3, r->id);
        int64_t task_id = 0;
        char cur_due[TS_TEXT_LEN] = "";
        if (stmt_step(st) == STORE_ROW) {
            task_id = stmt_int(st, 0);
            snprintf(cur_due, sizeof(cur_due), "%s", stmt_text(st, 1));
        }
        stmt_reset(st);
        int rc = STORE_OK;
        int64_t from;
        const char *from_s = field(record, r->from_field);
        if (r->applies(record) && from_s && ts_parse(from_s, &from) == 0) {
            char due[TS_TEXT_LEN];
            ts_format(rules_due(r, from), due);
            if (!task_id) {
                rc = open_task(s, r, record, id, person_id, due, now_ts);
            } else if (strcmp(due, cur_due) != 0) {
                st = store_prepare(s, SQL_TASK_SET_DUE);
                stmt_bind_text(st, 1, due);
                stmt_bind_int(st, 2, task_id);
                rc = store_exec_stmt(st);
            }
        } else if (task_id) {
            st = store_prepare(s, SQL_TASK_CLOSE);
            stmt_bind_text(st, 1, now_ts);
            stmt_bind_int(st, 2, task_id);
            rc = store_exec_stmt(st);
        }
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* ---- reading -------------------------------------------------------------- */

static bool holds_role(const struct user *u, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = u->roles; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, role, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

/* Where a task's record lives on the web: "/incidents/12". A child's link
 * to an offender lives on the child's page (person_id is the child). */
static json_t *record_href(const char *type, int64_t id, int64_t person_id)
{
    char href[96];
    if (strcmp(type, "offender_child_link") == 0 && person_id) {
        snprintf(href, sizeof(href), "/people/%lld/offender-links", (long long)person_id);
        return json_string(href);
    }
    /* Record types whose pages are not at "/<type>s/". */
    static const char *const paths[][2] = {{"missing_episode", "/missing"},
                                           {"online_referral", "/online-referrals"},
                                           {"police_protection", "/police-protection"},
                                           {"disclosure_application", "/disclosure"},
                                           {"custody_record", "/custody"}};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        if (strcmp(type, paths[i][0]) == 0) {
            snprintf(href, sizeof(href), "%s/%lld", paths[i][1], (long long)id);
            return json_string(href);
        }
    snprintf(href, sizeof(href), "/%ss/%lld", type, (long long)id);
    return json_string(href);
}

static json_t *task_json(struct stmt *st, int64_t now, const char *why)
{
    int64_t due = 0;
    ts_parse(stmt_text(st, 6), &due);
    json_t *t = json_pack(
        "{s:I, s:s, s:s, s:I, s:s, s:s, s:b, s:s}", "id", (json_int_t)stmt_int(st, 0), "rule",
        stmt_text(st, 1), "record_type", stmt_text(st, 2), "record_id", (json_int_t)stmt_int(st, 3),
        "title", stmt_text(st, 5), "due_at", stmt_text(st, 6), "overdue", due < now, "why", why);
    json_object_set_new(t, "person_id",
                        stmt_is_null(st, 4) ? json_null() : json_integer(stmt_int(st, 4)));
    json_object_set_new(
        t, "href",
        record_href(stmt_text(st, 2), stmt_int(st, 3), stmt_is_null(st, 4) ? 0 : stmt_int(st, 4)));
    /* How late, in the unit a person reads at a glance. */
    int64_t late = due < now ? now - due : 0;
    char late_text[32];
    if (late >= 2 * 86400)
        snprintf(late_text, sizeof(late_text), "%lld days", (long long)(late / 86400));
    else if (late >= 2 * 3600)
        snprintf(late_text, sizeof(late_text), "%lld hours", (long long)(late / 3600));
    else
        snprintf(late_text, sizeof(late_text), "%lld min", (long long)(late / 60));
    json_object_set_new(t, "overdue_for", json_string(late_text));
    json_object_set_new(t, "overdue_minutes",
                        json_integer(due < now ? (json_int_t)((now - due) / 60) : 0));
    return t;
}

json_t *rules_my_work(struct store *s, const struct user *u, int64_t now)
{
    json_t *tasks = json_array();
    int overdue = 0;
    struct stmt *st = store_prepare(s, SQL_TASK_MY_WORK);
    if (!st)
        return json_pack("{s:o, s:i, s:i}", "tasks", tasks, "overdue", 0, "due", 0);
    stmt_bind_int(st, 1, u->id);
    stmt_bind_text(st, 2, u->team[0] ? u->team : NULL);
    while (stmt_step(st) == STORE_ROW) {
        const char *why = NULL;
        int64_t due = 0;
        ts_parse(stmt_text(st, 6), &due);
        const char *team = stmt_is_null(st, 8) ? NULL : stmt_text(st, 8);
        int same_team = team && u->team[0] && strcmp(team, u->team) == 0;
        if (!stmt_is_null(st, 7) && stmt_int(st, 7) == u->id)
            why = "yours";
        else if (!stmt_is_null(st, 9) && holds_role(u, stmt_text(st, 9)) && (same_team || !team))
            why = "your role";
        else if (same_team && stmt_is_null(st, 9) && stmt_is_null(st, 7))
            why = "your team";
        else if (due < now && !stmt_is_null(st, 10) && holds_role(u, stmt_text(st, 10)) &&
                 (same_team || !team))
            why = "overdue in your team";
        if (!why)
            continue;
        overdue += due < now;
        json_array_append_new(tasks, task_json(st, now, why));
    }
    stmt_reset(st);
    /* An offender manager reads their visits and reviews by risk level. */
    json_t *by_risk = offenders_work_by_risk(s, tasks);
    return json_pack("{s:o, s:i, s:i, s:o}", "tasks", tasks, "overdue", overdue, "due",
                     (int)json_array_size(tasks) - overdue, "offenders_by_risk", by_risk);
}

json_t *rules_record_tasks(struct store *s, const char *record_type, int64_t record_id, int64_t now)
{
    json_t *tasks = json_array();
    struct stmt *st = store_prepare(s, SQL_TASK_FOR_RECORD);
    if (!st)
        return tasks;
    stmt_bind_text(st, 1, record_type);
    stmt_bind_int(st, 2, record_id);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(tasks, task_json(st, now, "record"));
    stmt_reset(st);
    return tasks;
}
