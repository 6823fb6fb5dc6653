/*
 * incidents_sql.h — every SQL statement of the control room, each named and
 * parameter-bound. No SQL is built from strings anywhere in the module.
 */
#ifndef SG_INCIDENTS_SQL_H
#define SG_INCIDENTS_SQL_H

/* The next sequence number in a year's references ("INC-2026-%"): run under
 * the write lock every write route holds, so two incidents never share one. */
/* The year's latest reference ("INC-2026-" <= r < "INC-2026."): a range on
 * the unique index, O(log n). It was COUNT(*) ... LIKE, which no index can
 * serve: a scan of every incident on each create (issue 16). References
 * keep six digits, so the highest is the latest up to 999,999 a year. */
static const char SQL_INC_NEXT_SEQ[] =
    "SELECT MAX(reference) FROM incident WHERE reference >= ? AND reference < ?";

static const char SQL_INC_INSERT[] =
    "INSERT INTO incident (reference, received_at, location, postcode, address_key, nature,"
    " description, caller_name, caller_phone, team, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_INC_GET[] =
    "SELECT i.id, i.reference, i.received_at, i.location, i.postcode, i.nature, i.description,"
    " i.caller_name, i.caller_phone, i.status, i.grade, i.risk_grade, i.below_risk_grade,"
    " i.grade_reason, i.grade_authorised_by, i.grade_authorised_at, i.grade_authorisation_reason,"
    " i.graded_at, i.scheduled_for, i.interim_risk, i.supervisor_rationale, i.attended_at,"
    " i.closed_at, i.last_reviewed_at, i.reassessment_required, i.escalation_reason,"
    " i.officer_id, i.team, i.version, i.created_by, i.created_at, i.updated_at,"
    " ua.display_name, uo.display_name, i.address_key, i.reassessment_flagged_at,"
    " i.closure_note, ug.display_name, i.graded_thrive_id, i.grade_requested"
    " FROM incident i LEFT JOIN app_user ua ON ua.id = i.grade_authorised_by"
    " LEFT JOIN app_user uo ON uo.id = i.officer_id LEFT JOIN app_user ug ON ug.id = i.graded_by"
    " WHERE i.id = ?";

/* Every change bumps the version and the time of the change. */
static const char SQL_INC_TOUCH[] =
    "UPDATE incident SET version = version + 1, updated_at = ? WHERE id = ?";

static const char SQL_INC_SET_GRADE[] =
    "UPDATE incident SET grade = ?, risk_grade = ?, below_risk_grade = ?, grade_reason = ?,"
    " graded_at = ?, graded_by = ?, grade_authorised_by = ?, grade_authorised_at = ?,"
    " grade_authorisation_reason = ?, scheduled_for = ?, interim_risk = ?,"
    " supervisor_rationale = ?, graded_thrive_id = (SELECT MAX(id) FROM thrive"
    " WHERE incident_id = ?), grade_requested = ? WHERE id = ?";

/* A new THRIVE can move the floor: the grade stays, its standing changes. */
static const char SQL_INC_SET_RISK[] =
    "UPDATE incident SET risk_grade = ?, below_risk_grade = ? WHERE id = ?";

/* A grade below the floor without a supervisor: the floor takes effect and
 * the grade asked for waits; any earlier authorisation lapses. */
static const char SQL_INC_REQUEST_BELOW[] =
    "UPDATE incident SET grade_requested = ?, grade = ?, grade_authorised_by = NULL,"
    " grade_authorised_at = NULL, grade_authorisation_reason = NULL WHERE id = ?";
/* The requested grade is no longer below the (new) floor: it takes effect. */
static const char SQL_INC_APPLY_REQUESTED[] =
    "UPDATE incident SET grade = grade_requested, grade_requested = NULL"
    " WHERE id = ? AND grade_requested IS NOT NULL";

/* Authorising puts the requested below-floor grade into effect. */
static const char SQL_INC_AUTHORISE[] =
    "UPDATE incident SET grade_authorised_by = ?, grade_authorised_at = ?,"
    " grade_authorisation_reason = ?, grade = COALESCE(grade_requested, grade),"
    " grade_requested = NULL WHERE id = ?";

static const char SQL_INC_REVIEW[] = "UPDATE incident SET last_reviewed_at = ? WHERE id = ?";

static const char SQL_INC_ATTEND[] =
    "UPDATE incident SET status = 'attended', attended_at = ?, officer_id = ? WHERE id = ?";

static const char SQL_INC_CLOSE[] =
    "UPDATE incident SET status = 'closed', closed_at = ?, closure_note = ? WHERE id = ?";

static const char SQL_INC_FLAG_REASSESS[] =
    "UPDATE incident SET reassessment_required = 1, reassessment_flagged_at = ?,"
    " escalation_reason = ? WHERE id = ?";

static const char SQL_INC_CLEAR_REASSESS[] =
    "UPDATE incident SET reassessment_required = 0 WHERE id = ?";

/* The list: open incidents first, newest first within each status. The
 * search is upper-cased, as references are, so it matches however typed
 * (SQLite's LIKE ignores ASCII case; PostgreSQL's does not). */
static const char SQL_INC_LIST[] =
    "SELECT i.id, i.reference, i.received_at, i.nature, i.location, i.postcode, i.status,"
    " i.grade, i.below_risk_grade, i.grade_authorised_by IS NOT NULL, i.reassessment_required,"
    " EXISTS (SELECT 1 FROM incident_person p WHERE p.incident_id = i.id AND p.is_child = 1)"
    " FROM incident i WHERE (? IS NULL OR i.status = ?) AND (? IS NULL OR i.reference LIKE "
    "UPPER(?))"
    " ORDER BY CASE i.status WHEN 'open' THEN 0 WHEN 'attended' THEN 1 ELSE 2 END,"
    " i.received_at DESC, i.id DESC LIMIT 200";

/* ---- people ---------------------------------------------------------------- */

static const char SQL_INC_PERSON_DOB[] = "SELECT dob FROM person WHERE id = ?";

static const char SQL_INC_PERSON_LINK[] =
    "INSERT INTO incident_person (incident_id, person_id, role, is_child, linked_by, linked_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

static const char SQL_INC_PERSONS[] =
    "SELECT ip.person_id, ip.role, ip.is_child, p.given_name, p.family_name, p.dob"
    " FROM incident_person ip JOIN person p ON p.id = ip.person_id"
    " WHERE ip.incident_id = ? ORDER BY ip.id";

/* The children of an incident, once each, in the order they were linked. */
static const char SQL_INC_CHILDREN[] =
    "SELECT ip.person_id, p.given_name, p.family_name, p.dob FROM incident_person ip"
    " JOIN person p ON p.id = ip.person_id WHERE ip.incident_id = ? AND ip.is_child = 1"
    " GROUP BY ip.person_id, p.given_name, p.family_name, p.dob ORDER BY MIN(ip.id)";

static const char SQL_INC_IS_LINKED_CHILD[] =
    "SELECT MAX(is_child) FROM incident_person WHERE incident_id = ? AND person_id = ?";

/* Children linked to the incident with no voice record. */
static const char SQL_INC_VOICE_MISSING[] =
    "SELECT COUNT(DISTINCT ip.person_id) FROM incident_person ip WHERE ip.incident_id = ?"
    " AND ip.is_child = 1 AND NOT EXISTS (SELECT 1 FROM voice_of_child v"
    " WHERE v.incident_id = ip.incident_id AND v.person_id = ip.person_id)";

/* ---- repeat and escalating incidents ---------------------------------------- */

/* Other incidents within the window sharing a person with this one;
 * ?3 selects children (1) or adults (0: not a child or age unknown). */
static const char SQL_INC_SAME_PERSON[] =
    "SELECT DISTINCT o.id, o.reference, o.received_at, o.nature, o.grade, me.person_id,"
    " p.given_name, p.family_name FROM incident_person me"
    " JOIN incident_person op ON op.person_id = me.person_id AND op.incident_id <> me.incident_id"
    " JOIN incident o ON o.id = op.incident_id JOIN person p ON p.id = me.person_id"
    " WHERE me.incident_id = ? AND COALESCE(me.is_child, 0) = ? AND o.received_at >= ?"
    " AND o.received_at <= ? ORDER BY o.received_at DESC, o.id DESC";

static const char SQL_INC_SAME_ADDRESS[] =
    "SELECT id, reference, received_at, nature, grade FROM incident WHERE address_key = ?"
    " AND id <> ? AND received_at >= ? AND received_at <= ? ORDER BY received_at DESC, id DESC";

/* ---- log, THRIVE, grades, voice ---------------------------------------------- */

static const char SQL_INC_LOG_INSERT[] =
    "INSERT INTO incident_log (incident_id, at, user_id, entry) VALUES (?, ?, ?, ?)";
static const char SQL_INC_LOG_LIST[] =
    "SELECT l.id, l.at, l.entry, u.display_name FROM incident_log l"
    " LEFT JOIN app_user u ON u.id = l.user_id WHERE l.incident_id = ? ORDER BY l.id";

static const char SQL_THRIVE_INSERT[] =
    "INSERT INTO thrive (incident_id, threat, harm, risk, investigation, vulnerability,"
    " engagement, child_immediate_risk, domestic_abuse_child_present, child_reported_in_danger,"
    " child_victim_violence_or_sexual, assessed_by, assessed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* Newest first: the first row is the assessment in force. */
static const char SQL_THRIVE_LIST[] =
    "SELECT t.id, t.threat, t.harm, t.risk, t.investigation, t.vulnerability, t.engagement,"
    " t.child_immediate_risk, t.domestic_abuse_child_present, t.child_reported_in_danger,"
    " t.child_victim_violence_or_sexual, t.assessed_at, u.display_name FROM thrive t"
    " LEFT JOIN app_user u ON u.id = t.assessed_by WHERE t.incident_id = ? ORDER BY t.id DESC";

static const char SQL_GRADE_HISTORY_INSERT[] =
    "INSERT INTO incident_grade_history (incident_id, grade, risk_grade, reason, authorised_by,"
    " at, graded_by, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_GRADE_HISTORY_LIST[] =
    "SELECT h.grade, h.risk_grade, h.reason, ua.display_name, h.at, ub.display_name, h.event"
    " FROM incident_grade_history h LEFT JOIN app_user ua ON ua.id = h.authorised_by"
    " LEFT JOIN app_user ub ON ub.id = h.graded_by WHERE h.incident_id = ? ORDER BY h.id";

/* One record per child per incident: a second save replaces the first. */
static const char SQL_VOICE_UPSERT[] =
    "INSERT INTO voice_of_child (incident_id, person_id, seen, seen_alone, spoken_to, words,"
    " views_wishes, behaviour, demeanour, not_spoken_reason, not_spoken_detail, recorded_by,"
    " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (incident_id, person_id) DO UPDATE SET seen = excluded.seen,"
    " seen_alone = excluded.seen_alone, spoken_to = excluded.spoken_to, words = excluded.words,"
    " views_wishes = excluded.views_wishes, behaviour = excluded.behaviour,"
    " demeanour = excluded.demeanour, not_spoken_reason = excluded.not_spoken_reason,"
    " not_spoken_detail = excluded.not_spoken_detail, recorded_by = excluded.recorded_by,"
    " recorded_at = excluded.recorded_at";
/* The child's views given when they were told of police protection
 * (protection.c), added to the voice record already on the incident. */
static const char SQL_VOICE_ADD_VIEWS[] =
    "UPDATE voice_of_child SET views_wishes = CASE WHEN views_wishes IS NULL OR views_wishes = ''"
    " THEN ? ELSE views_wishes || ' | ' || ? END WHERE incident_id = ? AND person_id = ?";
static const char SQL_VOICE_GET[] =
    "SELECT v.seen, v.seen_alone, v.spoken_to, v.words, v.views_wishes, v.behaviour,"
    " v.demeanour, v.not_spoken_reason, v.not_spoken_detail, v.recorded_at, u.display_name"
    " FROM voice_of_child v LEFT JOIN app_user u ON u.id = v.recorded_by"
    " WHERE v.incident_id = ? AND v.person_id = ?";

/* ---- measures (aggregates only: no names) ------------------------------------ */

/* Incidents with at least one child, and those where every child's voice is
 * recorded. */
static const char SQL_M_CHILD_INCIDENTS[] =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM incident_person ip"
    " WHERE ip.incident_id = i.id AND ip.is_child = 1 AND NOT EXISTS (SELECT 1 FROM"
    " voice_of_child v WHERE v.incident_id = i.id AND v.person_id = ip.person_id))"
    " THEN 1 ELSE 0 END), 0)"
    " FROM incident i WHERE EXISTS (SELECT 1 FROM incident_person ip WHERE"
    " ip.incident_id = i.id AND ip.is_child = 1)";

static const char SQL_M_BELOW_RISK[] =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN grade_authorised_by IS NOT NULL THEN 1 ELSE 0"
    " END), 0) FROM incident"
    " WHERE below_risk_grade = 1";

/* Attended incidents with an attendance target, for the within-target
 * measure (the minutes are compared in C: date arithmetic is not portable). */
static const char SQL_M_ATTENDANCE[] =
    "SELECT grade, received_at, attended_at FROM incident WHERE attended_at IS NOT NULL"
    " AND grade IN ('emergency', 'priority')";

/* Children by the number of incidents they were in since a time. */
static const char SQL_M_REPEAT_CHILDREN[] =
    "SELECT COALESCE(SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN n >= 3 THEN 1 ELSE 0 END), 0) FROM (SELECT ip.person_id,"
    " COUNT(DISTINCT ip.incident_id) AS n FROM incident_person ip JOIN incident i"
    " ON i.id = ip.incident_id WHERE ip.is_child = 1 AND i.received_at >= ?"
    " GROUP BY ip.person_id) AS c";

static const char SQL_M_OVERDUE_REREVIEWS[] =
    "SELECT COUNT(*) FROM task WHERE status = 'open' AND record_type = 'incident'"
    " AND rule LIKE 'incident.rereview_%' AND due_at < ?";

static const char SQL_M_TOTALS[] =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0) FROM incident";

#endif
