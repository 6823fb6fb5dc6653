/*
 * investigations_sql.h — every SQL statement of the investigations area,
 * each named and parameter-bound. Included by src/modules/investigations
 * files only.
 */
#ifndef SG_INVESTIGATIONS_SQL_H
#define SG_INVESTIGATIONS_SQL_H

/* ---- teams and officers ---- */

static const char SQL_TEAM_LIST[] =
    "SELECT t.id, t.name, t.specialisms, t.capacity, t.area, t.active, t.version,"
    " (SELECT COALESCE(SUM(i.complexity), 0) FROM investigation i WHERE i.team_id = t.id"
    "  AND i.status <> 'closed'),"
    " (SELECT COUNT(*) FROM investigation i WHERE i.team_id = t.id AND i.status <> 'closed')"
    " FROM team t ORDER BY t.name";
static const char SQL_TEAM_GET[] =
    "SELECT id, name, specialisms, capacity, area, active, version FROM team WHERE id = ?";
static const char SQL_TEAM_BY_NAME[] = "SELECT id FROM team WHERE name = ?";
static const char SQL_TEAM_INSERT[] =
    "INSERT INTO team (name, specialisms, capacity, area, updated_at) VALUES (?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_TEAM_UPDATE[] =
    "UPDATE team SET name = ?, specialisms = ?, capacity = ?, area = ?, active = ?,"
    " version = version + 1, updated_at = ? WHERE id = ? AND version = ?";

/* Officers with profiles: accreditations, capacity and live weighted load. */
static const char SQL_OFFICERS[] =
    "SELECT p.user_id, u.display_name, p.team_id, t.name, p.pip_level,"
    " p.specialist_child_abuse, p.abe_trained, p.capacity, p.version,"
    " (SELECT COALESCE(SUM(i.complexity), 0) FROM investigation i WHERE i.officer_id ="
    "  p.user_id AND i.status <> 'closed'),"
    " (SELECT COUNT(*) FROM investigation i WHERE i.officer_id = p.user_id"
    "  AND i.status <> 'closed'), t.specialisms, t.active, u.disabled"
    " FROM officer_profile p JOIN app_user u ON u.id = p.user_id"
    " LEFT JOIN team t ON t.id = p.team_id ORDER BY u.display_name";
static const char SQL_PROFILE_GET[] = "SELECT version FROM officer_profile WHERE user_id = ?";
static const char SQL_PROFILE_INSERT[] =
    "INSERT INTO officer_profile (user_id, team_id, pip_level, specialist_child_abuse,"
    " abe_trained, capacity, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PROFILE_UPDATE[] =
    "UPDATE officer_profile SET team_id = ?, pip_level = ?, specialist_child_abuse = ?,"
    " abe_trained = ?, capacity = ?, version = version + 1, updated_at = ?"
    " WHERE user_id = ? AND version = ?";
static const char SQL_USER_EXISTS[] = "SELECT 1 FROM app_user WHERE id = ? AND disabled = 0";

/* ---- investigations ---- */

static const char SQL_INV_NEXT_SEQ[] =
    "SELECT COUNT(*) + 1 FROM investigation WHERE reference LIKE ?";
static const char SQL_INV_INSERT[] =
    "INSERT INTO investigation (reference, crime_type, category, complexity, summary, plan,"
    " status_since, last_action_at, team, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* The columns in the order of inv_columns[] (investigations.c). */
static const char SQL_INV_GET[] =
    "SELECT i.id, i.reference, i.crime_type, i.category, i.complexity, i.summary, i.plan,"
    " i.status, i.status_since, i.team_id, i.officer_id, i.allocated_at, i.allocation_matched,"
    " i.allocation_recommended, i.allocation_reason, i.load_at_allocation,"
    " i.capacity_at_allocation, i.last_action_at, i.last_reviewed_at, i.key_point,"
    " i.key_point_at, i.risk_to_child, i.risk_detail, i.risk_known_at, i.info_shared_at,"
    " i.outcome, i.closed_at, i.team, i.version, i.created_at, i.updated_at,"
    " t.name, u.display_name,"
    " (SELECT MIN(a.due_on) FROM investigation_action a WHERE a.investigation_id = i.id"
    "  AND a.done_at IS NULL),"
    " EXISTS (SELECT 1 FROM investigation_review r WHERE r.investigation_id = i.id"
    "  AND r.trigger_point = 'allocation' AND r.at >= i.allocated_at)"
    " FROM investigation i LEFT JOIN team t ON t.id = i.team_id"
    " LEFT JOIN app_user u ON u.id = i.officer_id WHERE i.id = ?";

static const char SQL_INV_TOUCH[] =
    "UPDATE investigation SET version = version + 1, updated_at = ? WHERE id = ?";
static const char SQL_INV_ACTED[] = "UPDATE investigation SET last_action_at = ? WHERE id = ?";
static const char SQL_INV_LAST_ACTION[] = "SELECT last_action_at FROM investigation WHERE id = ?";
static const char SQL_INV_STALE_SPELL[] =
    "INSERT INTO investigation_stale_spell (investigation_id, stale_from, ended_at)"
    " VALUES (?, ?, ?) ON CONFLICT (investigation_id, stale_from) DO NOTHING";
static const char SQL_INV_ALLOCATE[] =
    "UPDATE investigation SET team_id = ?, officer_id = ?, allocated_at = ?, allocated_by = ?,"
    " allocation_matched = ?, allocation_recommended = ?, allocation_reason = ?,"
    " load_at_allocation = ?, capacity_at_allocation = ?, status = 'allocated',"
    " status_since = ?, last_action_at = ? WHERE id = ?";
static const char SQL_INV_REVIEWED[] =
    "UPDATE investigation SET last_reviewed_at = ?, key_point = CASE WHEN ? = 1 THEN NULL"
    " ELSE key_point END, key_point_at = CASE WHEN ? = 1 THEN NULL ELSE key_point_at END"
    " WHERE id = ?";
static const char SQL_INV_STATUS[] =
    "UPDATE investigation SET status = ?, status_since = ?, last_action_at = ?,"
    " key_point = COALESCE(?, key_point), key_point_at = CASE WHEN ? IS NULL THEN key_point_at"
    " ELSE ? END WHERE id = ?";
static const char SQL_INV_PLAN[] =
    "UPDATE investigation SET plan = ?, last_action_at = ? WHERE id = ?";
static const char SQL_INV_RISK[] = "UPDATE investigation SET risk_to_child = 1, risk_detail = ?,"
                                   " risk_known_at = COALESCE(risk_known_at, ?) WHERE id = ?";
static const char SQL_INV_SHARED[] =
    "UPDATE investigation SET info_shared_at = ? WHERE id = ? AND info_shared_at IS NULL";
static const char SQL_INV_CLOSE[] =
    "UPDATE investigation SET status = 'closed', status_since = ?, closed_at = ?, outcome = ?"
    " WHERE id = ?";

static const char SQL_INV_LIST[] =
    "SELECT i.id, i.reference, i.crime_type, i.category, i.complexity, i.status, i.status_since,"
    " t.name, u.display_name, i.last_action_at, i.risk_to_child, i.info_shared_at,"
    " (SELECT COUNT(*) FROM investigation_action a WHERE a.investigation_id = i.id"
    "  AND a.done_at IS NULL AND a.due_on < ?2)"
    " FROM investigation i LEFT JOIN team t ON t.id = i.team_id"
    " LEFT JOIN app_user u ON u.id = i.officer_id"
    " WHERE (?1 IS NULL AND i.status <> 'closed') OR i.status = ?1"
    " ORDER BY i.last_action_at, i.id LIMIT 500";

/* ---- people, links, actions, reviews, history ---- */

static const char SQL_INV_PERSON_ADD[] =
    "INSERT INTO investigation_person (investigation_id, person_id, role, is_child)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (investigation_id, person_id, role) DO NOTHING";
static const char SQL_INV_PEOPLE[] =
    "SELECT ip.person_id, p.given_name, p.family_name, p.dob, ip.role, ip.is_child"
    " FROM investigation_person ip JOIN person p ON p.id = ip.person_id"
    " WHERE ip.investigation_id = ? ORDER BY ip.role DESC, ip.person_id";
static const char SQL_INV_PERSON_DOB[] = "SELECT dob FROM person WHERE id = ?";
static const char SQL_INV_CHILD_VICTIMS[] =
    "SELECT COUNT(*) FROM investigation_person WHERE investigation_id = ? AND is_child = 1"
    " AND role IN ('victim', 'witness')";

static const char SQL_INV_LINK_ADD[] =
    "INSERT INTO investigation_link (investigation_id, record_type, record_id) VALUES (?, ?, ?)"
    " ON CONFLICT (investigation_id, record_type, record_id) DO NOTHING";
static const char SQL_INV_LINKS[] =
    "SELECT l.record_type, l.record_id, COALESCE(inc.reference, r.reference, m.reference)"
    " FROM investigation_link l"
    " LEFT JOIN incident inc ON l.record_type = 'incident' AND inc.id = l.record_id"
    " LEFT JOIN referral r ON l.record_type = 'referral' AND r.id = l.record_id"
    " LEFT JOIN missing_episode m ON l.record_type = 'missing_episode' AND m.id = l.record_id"
    " WHERE l.investigation_id = ? ORDER BY l.record_type, l.record_id";
static const char SQL_INV_RECORD_EXISTS_INCIDENT[] = "SELECT 1 FROM incident WHERE id = ?";
static const char SQL_INV_RECORD_EXISTS_REFERRAL[] = "SELECT 1 FROM referral WHERE id = ?";
static const char SQL_INV_RECORD_EXISTS_MISSING[] = "SELECT 1 FROM missing_episode WHERE id = ?";
/* Investigations a referral is linked to. */
static const char SQL_INV_BY_REFERRAL[] =
    "SELECT investigation_id FROM investigation_link WHERE record_type = 'referral'"
    " AND record_id = ?";

static const char SQL_INV_ACTION_ADD[] =
    "INSERT INTO investigation_action (investigation_id, title, owner_id, due_on, created_at)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_INV_ACTION_DONE[] =
    "UPDATE investigation_action SET done_at = ?, done_by = ? WHERE id = ?"
    " AND investigation_id = ? AND done_at IS NULL";
static const char SQL_INV_ACTIONS[] =
    "SELECT a.id, a.title, a.owner_id, u.display_name, a.due_on, a.done_at, a.created_at"
    " FROM investigation_action a LEFT JOIN app_user u ON u.id = a.owner_id"
    " WHERE a.investigation_id = ? ORDER BY a.done_at IS NOT NULL, a.due_on, a.id";

static const char SQL_INV_REVIEW_ADD[] =
    "INSERT INTO investigation_review (investigation_id, at, due_at, trigger_point, plan_quality,"
    " actions_assessment, risk_assessment, victim_contact, direction, user_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_INV_REVIEWS[] =
    "SELECT r.at, r.due_at, r.trigger_point, r.plan_quality, r.actions_assessment,"
    " r.risk_assessment, r.victim_contact, r.direction, u.display_name"
    " FROM investigation_review r LEFT JOIN app_user u ON u.id = r.user_id"
    " WHERE r.investigation_id = ? ORDER BY r.id";
static const char SQL_INV_CLOSURE_REVIEW[] =
    "SELECT 1 FROM investigation_review WHERE investigation_id = ? AND trigger_point = 'closure'"
    " AND at >= ?";

static const char SQL_INV_EVENT_ADD[] =
    "INSERT INTO investigation_event (investigation_id, at, kind, text, user_id)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_INV_EVENTS[] =
    "SELECT e.at, e.kind, e.text, u.display_name FROM investigation_event e"
    " LEFT JOIN app_user u ON u.id = e.user_id WHERE e.investigation_id = ? ORDER BY e.id";

/* Open investigations for the ageing view; and time in each stage. */
static const char SQL_INV_AGEING[] =
    "SELECT i.id, i.reference, i.status, i.status_since, i.last_action_at, u.display_name,"
    " t.name, (SELECT COUNT(*) FROM investigation_action a WHERE a.investigation_id = i.id"
    " AND a.done_at IS NULL AND a.due_on < ?)"
    " FROM investigation i LEFT JOIN app_user u ON u.id = i.officer_id"
    " LEFT JOIN team t ON t.id = i.team_id WHERE i.status <> 'closed'"
    " ORDER BY i.last_action_at, i.id LIMIT 1000";

#endif
