/*
 * disclosure_sql.h — every SQL statement of the disclosure scheme area
 * (CSOD), each named and parameter-bound. Included by disclosure.c and
 * disclosure_measures.c only.
 */
#ifndef SG_DISCLOSURE_SQL_H
#define SG_DISCLOSURE_SQL_H

/* ---- applications ---- */

/* The next sequence number in a year's references ("CSOD-2026-%"), under
 * the write lock every write route holds. */
static const char SQL_DS_NEXT_SEQ[] =
    "SELECT COUNT(*) + 1 FROM disclosure_application WHERE reference LIKE ?";

static const char SQL_DS_INSERT[] =
    "INSERT INTO disclosure_application (reference, applicant_person_id, applicant_name,"
    " applicant_contact, applicant_relationship, subject_person_id, subject_relationship,"
    " relationship_detail, received_via, received_at, officer_id, team, created_by, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_DS_CHILD_INSERT[] =
    "INSERT INTO disclosure_child (application_id, person_id) VALUES (?, ?)";

/* The columns in the order of app_columns[] (disclosure.c); the last is the
 * earliest immediate risk still without its safeguarding action. */
static const char SQL_DS_GET[] =
    "SELECT a.id, a.reference, a.status, a.applicant_person_id, a.applicant_name,"
    " a.applicant_contact, a.applicant_relationship, a.subject_person_id,"
    " a.subject_relationship, a.relationship_detail, a.received_via, a.received_at,"
    " a.officer_id, a.initial_contact_at, a.initial_contact_note, a.immediate_risk_checked,"
    " a.face_to_face_at, a.face_to_face_note, a.identity_verified, a.checks_at,"
    " a.checks_summary, a.convictions, a.registered_offender, a.decision_at, a.decision,"
    " a.decision_reason, a.recipient_name, a.recipient_person_id, a.recipient_relationship,"
    " a.undertaking, a.undertaking_at, a.undertaking_note, a.disclosed_at,"
    " a.disclosure_content, a.outcome, a.outcome_note, a.closed_at, a.team, a.version,"
    " a.created_at, a.updated_at, uo.display_name, ud.display_name,"
    " (SELECT MIN(r.found_at) FROM disclosure_risk r WHERE r.application_id = a.id"
    "  AND NOT EXISTS (SELECT 1 FROM disclosure_risk_action x WHERE x.risk_id = r.id))"
    " FROM disclosure_application a LEFT JOIN app_user uo ON uo.id = a.officer_id"
    " LEFT JOIN app_user ud ON ud.id = a.decided_by WHERE a.id = ?";

static const char SQL_DS_TOUCH[] =
    "UPDATE disclosure_application SET version = version + 1, updated_at = ? WHERE id = ?";

static const char SQL_DS_CONTACT[] =
    "UPDATE disclosure_application SET initial_contact_at = ?, initial_contact_note = ?,"
    " immediate_risk_checked = 1 WHERE id = ?";

static const char SQL_DS_MEETING[] =
    "UPDATE disclosure_application SET face_to_face_at = ?, face_to_face_note = ?,"
    " identity_verified = ? WHERE id = ?";

static const char SQL_DS_CHECKS[] =
    "UPDATE disclosure_application SET checks_at = ?, checks_summary = ?, convictions = ?,"
    " registered_offender = ? WHERE id = ?";

static const char SQL_DS_CHECK_INSERT[] =
    "INSERT INTO disclosure_check (application_id, kind, result, recorded_at) VALUES (?, ?, ?, ?)";

static const char SQL_DS_DECISION[] =
    "UPDATE disclosure_application SET decision_at = ?, decision = ?, decision_reason = ?,"
    " decided_by = ? WHERE id = ?";

static const char SQL_DS_ATTENDEE_INSERT[] =
    "INSERT INTO disclosure_attendee (application_id, name, role) VALUES (?, ?, ?)";

static const char SQL_DS_UNDERTAKING[] =
    "UPDATE disclosure_application SET recipient_name = ?, recipient_person_id = ?,"
    " recipient_relationship = ?, undertaking = ?, undertaking_at = ?, undertaking_note = ?"
    " WHERE id = ?";

static const char SQL_DS_DISCLOSE[] =
    "UPDATE disclosure_application SET disclosed_at = ?, disclosure_content = ? WHERE id = ?";

static const char SQL_DS_CLOSE[] =
    "UPDATE disclosure_application SET status = 'closed', outcome = ?, outcome_note = ?,"
    " closed_at = ? WHERE id = ?";

static const char SQL_DS_EVENT_INSERT[] =
    "INSERT INTO disclosure_event (application_id, at, kind, text, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";

static const char SQL_DS_EVENTS[] =
    "SELECT e.id, e.at, e.kind, e.text, u.display_name, e.recorded_at FROM disclosure_event e"
    " LEFT JOIN app_user u ON u.id = e.user_id WHERE e.application_id = ? ORDER BY e.at, e.id";

static const char SQL_DS_CHILDREN[] =
    "SELECT c.person_id FROM disclosure_child c WHERE c.application_id = ? ORDER BY c.id";

static const char SQL_DS_CHECKS_LIST[] =
    "SELECT c.id, c.kind, c.result, c.recorded_at FROM disclosure_check c"
    " WHERE c.application_id = ? ORDER BY c.id";

static const char SQL_DS_ATTENDEES[] =
    "SELECT a.id, a.name, a.role FROM disclosure_attendee a WHERE a.application_id = ?"
    " ORDER BY a.id";

/* The list: ?1 "open", "closed" or "all"; the oldest received first. */
static const char SQL_DS_LIST[] =
    "SELECT a.id FROM disclosure_application a"
    " WHERE ?1 = 'all' OR a.status = ?1 ORDER BY a.status = 'closed', a.received_at, a.id"
    " LIMIT 500";

/* ---- immediate risks ---- */

static const char SQL_DS_RISK_INSERT[] =
    "INSERT INTO disclosure_risk (application_id, stage, found_at, detail, recorded_by,"
    " recorded_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

/* A risk of an application, and whether its action is recorded. */
static const char SQL_DS_RISK_GET[] =
    "SELECT r.found_at, EXISTS (SELECT 1 FROM disclosure_risk_action x WHERE x.risk_id = r.id)"
    " FROM disclosure_risk r WHERE r.id = ? AND r.application_id = ?";

static const char SQL_DS_RISK_ACTION_INSERT[] =
    "INSERT INTO disclosure_risk_action (risk_id, action_at, action, recorded_by, recorded_at)"
    " VALUES (?, ?, ?, ?, ?)";

static const char SQL_DS_RISKS[] =
    "SELECT r.id, r.stage, r.found_at, r.detail, u.display_name, x.action_at, x.action,"
    " ux.display_name FROM disclosure_risk r LEFT JOIN app_user u ON u.id = r.recorded_by"
    " LEFT JOIN disclosure_risk_action x ON x.risk_id = r.id"
    " LEFT JOIN app_user ux ON ux.id = x.recorded_by WHERE r.application_id = ? ORDER BY r.id";

static const char SQL_DS_REFERRAL_LINK[] =
    "INSERT INTO disclosure_referral (application_id, referral_id, risk_id, created_at)"
    " VALUES (?, ?, ?, ?)";

static const char SQL_DS_REFERRALS[] =
    "SELECT r.id, r.reference, r.status, r.person_id, l.risk_id, l.created_at"
    " FROM disclosure_referral l JOIN referral r ON r.id = l.referral_id"
    " WHERE l.application_id = ? ORDER BY l.id";

/* ---- what an application is built from ---- */

static const char SQL_DS_PERSON[] =
    "SELECT p.given_name, p.family_name, p.dob FROM person p WHERE p.id = ?";

/* Whether person ?1 holds the registered_sex_offender flag on day ?2. */
static const char SQL_DS_RSO[] =
    "SELECT 1 FROM person_flag WHERE person_id = ?1 AND flag = 'registered_sex_offender'"
    " AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to >= ?2)";

static const char SQL_DS_USER_ACTIVE[] =
    "SELECT display_name FROM app_user WHERE id = ? AND disabled = 0";

static const char SQL_DS_ANY[] = "SELECT COUNT(*) FROM disclosure_application";

/* ---- measures (disclosure_measures.c). Area: the handling officer's,
 * else the recorder's. ?3 NULL: the whole force. ---- */

#define DS_AREA_MATCHES                                                                            \
    " (?3 IS NULL OR COALESCE((SELECT u.area FROM app_user u WHERE u.id = a.officer_id),"          \
    " (SELECT u.area FROM app_user u WHERE u.id = a.created_by)) = ?3)"

/* Applications received in [?1, ?2): received, each stage's time, closed. */
static const char SQL_DS_M_CLOCKS[] =
    "SELECT a.received_at, a.initial_contact_at, a.face_to_face_at, a.closed_at"
    " FROM disclosure_application a WHERE a.received_at >= ?1 AND a.received_at < ?2"
    " AND" DS_AREA_MATCHES;

#endif
