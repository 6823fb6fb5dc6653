/*
 * protection_sql.h — every SQL statement of the police protection area,
 * each named and parameter-bound. Included by protection.c and
 * protection_measures.c only.
 */
#ifndef SG_PROTECTION_SQL_H
#define SG_PROTECTION_SQL_H

/* ---- cases ---- */

/* The next sequence number in a year's references ("PP-2026-%"), under the
 * write lock every write route holds. */
static const char SQL_PP_NEXT_SEQ[] =
    "SELECT COUNT(*) + 1 FROM police_protection WHERE reference LIKE ?";

static const char SQL_PP_INSERT[] =
    "INSERT INTO police_protection (reference, person_id, incident_id, address_key, power,"
    " circumstances, grounds, initiated_at, expires_at, initiating_officer_id, team, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* The columns in the order of case_columns[] (protection.c). */
static const char SQL_PP_GET[] =
    "SELECT c.id, c.reference, c.person_id, c.incident_id, c.power, c.circumstances, c.grounds,"
    " c.initiated_at, c.expires_at, c.initiating_officer_id, c.designated_officer_id,"
    " c.designated_at, c.place_kind, c.place_detail, c.place_reason, c.placed_at,"
    " c.la_informed_at, c.la_detail, c.parents_informed_at, c.parents_not_informed_reason,"
    " c.parents_detail, c.parents_recorded_at, c.child_informed_at, c.child_views, c.inquiry_at,"
    " c.inquiry_text, c.decision, c.epo_sought, c.epo_sought_at, c.released_at, c.released_to,"
    " c.status, c.team, c.version, c.created_at, c.updated_at, ui.display_name,"
    " ud.display_name, i.reference, c.address_key"
    " FROM police_protection c JOIN app_user ui ON ui.id = c.initiating_officer_id"
    " LEFT JOIN app_user ud ON ud.id = c.designated_officer_id"
    " LEFT JOIN incident i ON i.id = c.incident_id WHERE c.id = ?";

static const char SQL_PP_TOUCH[] =
    "UPDATE police_protection SET version = version + 1, updated_at = ? WHERE id = ?";

static const char SQL_PP_DESIGNATE[] =
    "UPDATE police_protection SET designated_officer_id = ?, designated_at = ? WHERE id = ?";

static const char SQL_PP_PLACE[] =
    "UPDATE police_protection SET place_kind = ?, place_detail = ?, place_reason = ?,"
    " placed_at = ? WHERE id = ?";

static const char SQL_PP_LA[] =
    "UPDATE police_protection SET la_informed_at = ?, la_detail = ? WHERE id = ?";

static const char SQL_PP_PARENTS[] =
    "UPDATE police_protection SET parents_informed_at = ?, parents_not_informed_reason = ?,"
    " parents_detail = ?, parents_recorded_at = ? WHERE id = ?";

static const char SQL_PP_CHILD[] =
    "UPDATE police_protection SET child_informed_at = ?, child_views = ? WHERE id = ?";

static const char SQL_PP_INQUIRY[] =
    "UPDATE police_protection SET inquiry_at = ?, inquiry_text = ?, decision = ?, inquiry_by = ?"
    " WHERE id = ?";

static const char SQL_PP_EPO[] =
    "UPDATE police_protection SET epo_sought = 1, epo_sought_at = ? WHERE id = ?";

static const char SQL_PP_RELEASE[] =
    "UPDATE police_protection SET status = 'released', released_at = ?, released_to = ?"
    " WHERE id = ?";

static const char SQL_PP_EVENT_INSERT[] =
    "INSERT INTO protection_event (case_id, at, kind, text, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";

static const char SQL_PP_EVENTS[] =
    "SELECT e.id, e.at, e.kind, e.text, u.display_name, e.recorded_at FROM protection_event e"
    " LEFT JOIN app_user u ON u.id = e.user_id WHERE e.case_id = ? ORDER BY e.at, e.id";

/* The board: ?1 "active", "released" or "all"; nearest expiry first. The
 * designated officer's name and the place's detail are for the list page. */
static const char SQL_PP_LIST[] =
    "SELECT c.id, c.reference, c.person_id, p.given_name, p.family_name, c.status,"
    " c.initiated_at, c.expires_at, c.place_kind, c.released_at, c.designated_officer_id,"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'police_protection'"
    "  AND t.record_id = c.id AND t.status = 'open'), ud.display_name, c.place_detail"
    " FROM police_protection c JOIN person p ON p.id = c.person_id"
    " LEFT JOIN app_user ud ON ud.id = c.designated_officer_id"
    " WHERE ?1 = 'all' OR (?1 = 'active' AND c.status = 'in_protection')"
    "  OR (?1 = 'released' AND c.status = 'released')"
    " ORDER BY c.status = 'released', c.expires_at, c.id LIMIT 500";

/* A person's cases, active first then newest. */
static const char SQL_PP_FOR_PERSON[] =
    "SELECT c.id, c.reference, c.status, c.initiated_at, c.expires_at, c.place_kind,"
    " c.released_at, c.released_to FROM police_protection c WHERE c.person_id = ?"
    " ORDER BY c.status = 'released', c.initiated_at DESC, c.id DESC";

/* Active cases linked to incident ?2 or at address ?1 (not ""). */
static const char SQL_PP_AT_ADDRESS[] =
    "SELECT c.id, c.reference, c.status, c.initiated_at, c.expires_at, c.incident_id = ?2"
    " FROM police_protection c WHERE c.status = 'in_protection'"
    " AND (c.incident_id = ?2 OR (?1 <> '' AND c.address_key = ?1))"
    " ORDER BY c.expires_at, c.id";

/* ---- what a case is built from ---- */

static const char SQL_PP_PERSON[] =
    "SELECT p.given_name, p.family_name, p.dob FROM person p WHERE p.id = ?";

static const char SQL_PP_USER_ACTIVE[] =
    "SELECT display_name FROM app_user WHERE id = ? AND disabled = 0";

static const char SQL_PP_INCIDENT[] = "SELECT address_key, reference FROM incident WHERE id = ?";

/* ---- incidents: opportunities to protect ---- */

/* The latest THRIVE of incident ?1 if it recorded a child at immediate risk,
 * and whether a case or a decision already answers it. */
static const char SQL_PP_OPPORTUNITY[] =
    "SELECT t.assessed_at, t.child_immediate_risk,"
    " EXISTS (SELECT 1 FROM police_protection c WHERE c.incident_id = ?1)"
    "  OR EXISTS (SELECT 1 FROM protection_decision d WHERE d.incident_id = ?1)"
    " FROM thrive t WHERE t.incident_id = ?1 ORDER BY t.id DESC LIMIT 1";

static const char SQL_PP_DECISION_INSERT[] =
    "INSERT INTO protection_decision (incident_id, used, reason, decided_by, decided_at)"
    " VALUES (?, ?, ?, ?, ?)";

static const char SQL_PP_INCIDENT_EXISTS[] = "SELECT 1 FROM incident WHERE id = ?";

/* ---- referrals ---- */

static const char SQL_PP_REFERRAL_LINK[] =
    "INSERT INTO protection_referral (case_id, referral_id, created_at) VALUES (?, ?, ?)";

static const char SQL_PP_REFERRALS[] =
    "SELECT r.id, r.reference, r.status, l.created_at, r.sent_at FROM protection_referral l"
    " JOIN referral r ON r.id = l.referral_id WHERE l.case_id = ? ORDER BY l.id";

/* The cases a referral was drafted from, when it is sent. */
static const char SQL_PP_BY_REFERRAL[] =
    "SELECT case_id FROM protection_referral WHERE referral_id = ? ORDER BY case_id";

/* ---- measures (protection_measures.c). Area: the initiating officer's,
 * else the recorder's. ?3 NULL: the whole force. ---- */

#define PP_AREA_MATCHES                                                                            \
    " (?3 IS NULL OR COALESCE((SELECT u.area FROM app_user u"                                      \
    " WHERE u.id = c.initiating_officer_id),"                                                      \
    " (SELECT u.area FROM app_user u WHERE u.id = c.created_by)) = ?3)"

/* Cases begun in [?1, ?2): the clocks the notification measure reads. */
static const char SQL_PP_M_NOTIFY[] =
    "SELECT c.initiated_at, c.la_informed_at, c.parents_recorded_at, c.child_informed_at"
    " FROM police_protection c WHERE c.initiated_at >= ?1 AND c.initiated_at < ?2 "
    "AND" PP_AREA_MATCHES;

/* Cases begun in [?1, ?2): when, and when released. */
static const char SQL_PP_M_RELEASE[] =
    "SELECT c.initiated_at, c.released_at FROM police_protection c"
    " WHERE c.initiated_at >= ?1 AND c.initiated_at < ?2 AND" PP_AREA_MATCHES;

/* Cases begun in [?1, ?2) with a place of safety: at a police station, all. */
static const char SQL_PP_M_STATION[] =
    "SELECT COALESCE(SUM(CASE WHEN c.place_kind = 'police_station' THEN 1 ELSE 0 END), 0),"
    " COUNT(*) FROM police_protection c WHERE c.place_kind IS NOT NULL"
    " AND c.initiated_at >= ?1 AND c.initiated_at < ?2 AND" PP_AREA_MATCHES;

/* Protection decisions due in [?1, ?2): due, done (closed) when. Area: the
 * incident's officer's, else its recorder's. */
static const char SQL_PP_M_OPPORTUNITIES[] =
    "SELECT t.due_at, t.status, t.closed_at FROM task t JOIN incident i ON i.id = t.record_id"
    " WHERE t.record_type = 'incident' AND t.rule = 'incident.protection_decision'"
    " AND t.status <> 'cancelled' AND t.due_at >= ?1 AND t.due_at < ?2"
    " AND (?3 IS NULL OR COALESCE((SELECT u.area FROM app_user u WHERE u.id = i.officer_id),"
    " (SELECT u.area FROM app_user u WHERE u.id = i.created_by)) = ?3)";

#endif
