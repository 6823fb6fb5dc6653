/*
 * scale_sql.h — every SQL statement of the force-scale seeder (safeguard
 * seed --scale). Plain INSERTs of whole rows, bound and prepared once: the
 * seeder writes five years of records directly rather than replaying them
 * through each area's domain functions, which would take hours at a million
 * people. Each row is written as the area's own code would have left it
 * (docs/performance.md says what is and is not simulated).
 */
#ifndef SG_SCALE_SQL_H
#define SG_SCALE_SQL_H

/* ---- shared ---------------------------------------------------------------- */

/* Rows read back from the people the people module created. */
static const char SQL_SC_PEOPLE[] = "SELECT id, dob FROM person ORDER BY id";

/* A task as the timescales engine leaves it: open, done or cancelled. */
static const char SQL_SC_TASK[] =
    "INSERT INTO task (rule, record_type, record_id, person_id, title, due_at, owner_user_id,"
    " owner_team, owner_role, escalate_role, status, created_at, closed_at, closed_by)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_SC_TEAM[] =
    "INSERT INTO team (name, specialisms, capacity, area, active, version, updated_at)"
    " VALUES (?, ?, ?, ?, 1, 1, ?) ON CONFLICT (name) DO NOTHING";
static const char SQL_SC_TEAM_ID[] = "SELECT id FROM team WHERE name = ?";
static const char SQL_SC_OFFICER[] =
    "INSERT INTO officer_profile (user_id, team_id, pip_level, specialist_child_abuse,"
    " abe_trained, capacity, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)"
    " ON CONFLICT (user_id) DO NOTHING";
static const char SQL_SC_AGENCY[] =
    "INSERT INTO agency (name, kind, local_authority, contact_email, on_portal, active, version,"
    " created_at, updated_at) VALUES (?, 'childrens_social_care', ?, ?, 1, 1, 1, ?, ?)"
    " ON CONFLICT (name) DO NOTHING";
static const char SQL_SC_AGENCY_ID[] = "SELECT id FROM agency WHERE name = ?";

/* ---- incidents ------------------------------------------------------------- */

static const char SQL_SC_INCIDENT[] =
    "INSERT INTO incident (id, reference, received_at, location, postcode, address_key, nature,"
    " description, status, grade, risk_grade, below_risk_grade, grade_reason, grade_authorised_by,"
    " grade_authorised_at, graded_at, graded_by, graded_thrive_id, attended_at, closed_at,"
    " closure_note, last_reviewed_at, officer_id, team, version, created_by, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, 1, ?, ?, ?)";
static const char SQL_SC_INCIDENT_PERSON[] =
    "INSERT INTO incident_person (incident_id, person_id, role, is_child, linked_by, linked_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_SC_THRIVE[] =
    "INSERT INTO thrive (id, incident_id, threat, harm, risk, investigation, vulnerability,"
    " engagement, child_immediate_risk, domestic_abuse_child_present, child_reported_in_danger,"
    " child_victim_violence_or_sexual, assessed_by, assessed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_GRADE_HISTORY[] =
    "INSERT INTO incident_grade_history (incident_id, grade, risk_grade, reason, authorised_by,"
    " at, graded_by, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_VOICE[] =
    "INSERT INTO voice_of_child (incident_id, person_id, seen, seen_alone, spoken_to, words,"
    " views_wishes, behaviour, demeanour, not_spoken_reason, recorded_by, recorded_at)"
    " VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Child incidents in order, one row per child: the referrals come from these. */
static const char SQL_SC_CHILD_INCIDENTS[] =
    "SELECT i.id, i.reference, i.received_at, ip.person_id, i.nature, i.team FROM incident i"
    " JOIN incident_person ip ON ip.incident_id = i.id WHERE ip.is_child = 1"
    " ORDER BY i.id, ip.person_id";

/* ---- missing --------------------------------------------------------------- */

static const char SQL_SC_EPISODE[] =
    "INSERT INTO missing_episode (id, reference, person_id, is_child, looked_after, responsible_la,"
    " reported_at, reported_by, reported_by_relationship, last_seen_at, last_seen_location,"
    " missing_from, missing_from_key, circumstances, risk, risk_rationale, risk_assessed_at,"
    " officer_id, supervisor_id, team, status, last_reviewed_at, first_action_at, repeat_count,"
    " returned_at, returned_location, returned_state, prevention_interview_at,"
    " prevention_interview_by, rhi_referred_at, rhi_local_authority, rhi_outcome, rhi_outcome_at,"
    " closed_at, version, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_SC_MISSING_EVENT[] =
    "INSERT INTO missing_event (episode_id, at, kind, text, risk, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_MISSING_REVIEW[] =
    "INSERT INTO missing_review (episode_id, at, due_at, risk_before, risk, rationale,"
    " by_inspector, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_EPISODES_CHILD[] =
    "SELECT id, reference, person_id, returned_at, team FROM missing_episode"
    " WHERE is_child = 1 AND returned_at IS NOT NULL ORDER BY id";

/* ---- referrals ------------------------------------------------------------- */

static const char SQL_SC_REFERRAL[] =
    "INSERT INTO referral (id, reference, person_id, source_type, source_id, source_reference,"
    " concern_at, summary, child_voice, risk_view, consent, urgency, status, mandatory_reason,"
    " submitted_at, reviewed_at, reviewed_by, sent_at, sent_by, team, version, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " 1, ?, ?, ?)";
static const char SQL_SC_REFERRAL_CATEGORY[] =
    "INSERT INTO referral_category (referral_id, category) VALUES (?, ?)";
static const char SQL_SC_REFERRAL_RECIPIENT[] =
    "INSERT INTO referral_recipient (referral_id, agency_id, sent_at, opened_at,"
    " acknowledged_at, decision, decision_note, decision_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_REFERRAL_EVENT[] =
    "INSERT INTO referral_event (referral_id, at, kind, text, user_id) VALUES (?, ?, ?, ?, ?)";
static const char SQL_SC_REFERRALS_SENT[] =
    "SELECT id, person_id, sent_at, source_type, source_id FROM referral"
    " WHERE status = 'sent' ORDER BY id";

/* ---- investigations -------------------------------------------------------- */

static const char SQL_SC_INVESTIGATION[] =
    "INSERT INTO investigation (id, reference, crime_type, category, complexity, summary, plan,"
    " status, status_since, team_id, officer_id, allocated_at, allocated_by, allocation_matched,"
    " allocation_recommended, load_at_allocation, capacity_at_allocation, last_action_at,"
    " last_reviewed_at, risk_to_child, info_shared_at, outcome, closed_at, team, version,"
    " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_SC_INVESTIGATION_PERSON[] =
    "INSERT INTO investigation_person (investigation_id, person_id, role, is_child)"
    " VALUES (?, ?, ?, ?)";
static const char SQL_SC_INVESTIGATION_LINK[] =
    "INSERT INTO investigation_link (investigation_id, record_type, record_id) VALUES (?, ?, ?)";
static const char SQL_SC_INVESTIGATION_REVIEW[] =
    "INSERT INTO investigation_review (investigation_id, at, due_at, trigger_point, plan_quality,"
    " actions_assessment, risk_assessment, victim_contact, direction, user_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* ---- police protection ----------------------------------------------------- */

static const char SQL_SC_PROTECTION[] =
    "INSERT INTO police_protection (id, reference, person_id, incident_id, address_key, power,"
    " circumstances, grounds, initiated_at, expires_at, initiating_officer_id,"
    " designated_officer_id, designated_at, place_kind, place_detail, place_reason, placed_at,"
    " la_informed_at, la_detail, parents_informed_at, parents_detail, parents_recorded_at,"
    " child_informed_at, child_views, inquiry_at, inquiry_text, decision, inquiry_by,"
    " released_at, released_to, status, team, version, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_SC_PROTECTION_EVENT[] =
    "INSERT INTO protection_event (case_id, at, kind, text, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_SC_PROTECTION_DECISION[] =
    "INSERT INTO protection_decision (incident_id, used, reason, decided_by, decided_at)"
    " VALUES (?, 1, ?, ?, ?)";
/* Emergency child incidents at home: where police protection was used. */
static const char SQL_SC_PROTECTION_SOURCES[] =
    "SELECT i.id, i.received_at, i.address_key, ip.person_id, i.team FROM incident i"
    " JOIN incident_person ip ON ip.incident_id = i.id"
    " WHERE i.grade = 'emergency' AND ip.is_child = 1 AND i.status = 'closed'"
    " AND ip.role = 'child_present' ORDER BY i.id";

/* ---- offenders ------------------------------------------------------------- */

static const char SQL_SC_OFFENDER[] =
    "INSERT INTO offender (id, reference, person_id, registered_on, offender_manager_id, team,"
    " area, risk_level, risk_assessed_on, risk_next_due_on, mappa_category, mappa_level,"
    " management, reactive_eligible, plan_visit_months, plan_summary, plan_reviewed_at, version,"
    " created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 0, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_SC_CONVICTION[] =
    "INSERT INTO offender_conviction (offender_id, offence, convicted_on, disposal, custody_months,"
    " age_at_conviction, period_months, period_rule, ends_on, review_on, created_by, created_at)"
    " VALUES (?, ?, ?, 'custody', ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_RISK_ASSESSMENT[] =
    "INSERT INTO offender_risk_assessment (offender_id, level, assessed_on, next_due_on, due_on,"
    " summary, assessed_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_OFFENDER_VISIT[] =
    "INSERT INTO offender_visit (offender_id, kind, status, planned_on, done_on, due_on,"
    " risk_level, findings, officer_id, created_at, updated_at)"
    " VALUES (?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SC_OFFENDER_NOTIFICATION[] =
    "INSERT INTO offender_notification (offender_id, kind, detail, line1, postcode, address_key,"
    " event_on, deadline_on, notified_on, late, recorded_by, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";

/* ---- custody --------------------------------------------------------------- */

static const char SQL_SC_CUSTODY[] =
    "INSERT INTO custody_record (id, reference, person_id, arrived_at, suite, grounds,"
    " local_authority, stated_age, apparent_age, treated_as_child, cell_used, cell_reason,"
    " accommodation_at, responsible_adult, responsible_adult_at, aa_requested_at, aa_source,"
    " aa_name, aa_role, aa_arrived_at, welfare_at, legal_advice, legal_advice_at, outcome,"
    " outcome_at, charged_at, transfer_requested_at, transfer_accommodation, transfer_la,"
    " la_answer, la_answer_at, transferred_at, released_at, released_to, status, team, version,"
    " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_SC_CUSTODY_AGE[] =
    "INSERT INTO custody_age_event (record_id, at, kind, stated_age, apparent_age,"
    " treated_as_child, user_id, recorded_at) VALUES (?, ?, 'booked', ?, ?, 1, ?, ?)";
static const char SQL_SC_CUSTODY_REVIEW[] =
    "INSERT INTO custody_review (record_id, at, decision, note, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";

/* ---- checks the seeder answers for (tests and the summary) ---------------- */

static const char SQL_SC_COUNT_BAD_PROTECTION[] =
    "SELECT COUNT(*) FROM police_protection WHERE designated_officer_id = initiating_officer_id";

#endif
