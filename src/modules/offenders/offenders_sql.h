/*
 * offenders_sql.h — every SQL statement of the offender management area,
 * each named and parameter-bound. Included by the files of
 * src/modules/offenders only.
 */
#ifndef SG_OFFENDERS_SQL_H
#define SG_OFFENDERS_SQL_H

/* ---- the record ---- */

/* The next sequence number in a year's references ("RSO-2026-%"), under the
 * write lock every write route holds. */
static const char SQL_OF_NEXT_SEQ[] = "SELECT COUNT(*) + 1 FROM offender WHERE reference LIKE ?";

static const char SQL_OF_INSERT[] =
    "INSERT INTO offender (reference, person_id, registered_on, offender_manager_id, team, area,"
    " no_fixed_abode, photo_ref, mappa_category, mappa_level, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_OF_BY_PERSON[] = "SELECT id, reference FROM offender WHERE person_id = ?";

/* The columns in the order of offender_columns[] (offenders.c). */
static const char SQL_OF_GET[] =
    "SELECT o.id, o.reference, o.person_id, o.registered_on, o.offender_manager_id, o.team,"
    " o.area, o.no_fixed_abode, o.photo_ref, o.risk_level, o.risk_assessed_on,"
    " o.risk_next_due_on, o.mappa_category, o.mappa_level, o.management, o.reactive_eligible,"
    " o.plan_visit_months, o.plan_summary, o.plan_reviewed_at, o.plan_review_prompted_at,"
    " o.plan_review_reason, o.version, o.created_at, o.updated_at, u.display_name"
    " FROM offender o LEFT JOIN app_user u ON u.id = o.offender_manager_id WHERE o.id = ?";

static const char SQL_OF_TOUCH[] =
    "UPDATE offender SET version = version + 1, updated_at = ? WHERE id = ?";

/* Details: NULL parameters keep the value held. */
static const char SQL_OF_DETAILS[] =
    "UPDATE offender SET offender_manager_id = COALESCE(?1, offender_manager_id),"
    " team = COALESCE(?2, team), area = COALESCE(?3, area),"
    " no_fixed_abode = COALESCE(?4, no_fixed_abode), photo_ref = COALESCE(?5, photo_ref),"
    " mappa_category = COALESCE(?6, mappa_category), mappa_level = COALESCE(?7, mappa_level)"
    " WHERE id = ?8";

static const char SQL_OF_USER[] =
    "SELECT display_name, team, area FROM app_user WHERE id = ? AND disabled = 0";

static const char SQL_OF_PERSON[] = "SELECT given_name, family_name, dob FROM person WHERE id = ?";

/* The person flag kept in step with the record (people.c's kinds). */
static const char SQL_OF_FLAG_FIND[] =
    "SELECT id FROM person_flag WHERE person_id = ? AND flag = 'registered_sex_offender'"
    " ORDER BY id DESC LIMIT 1";
static const char SQL_OF_FLAG_INSERT[] =
    "INSERT INTO person_flag (person_id, flag, valid_from, valid_to, note)"
    " VALUES (?, 'registered_sex_offender', ?, ?, ?)";
static const char SQL_OF_FLAG_UPDATE[] =
    "UPDATE person_flag SET valid_from = ?, valid_to = ?, note = ? WHERE id = ?";
static const char SQL_OF_PERSON_TOUCH[] =
    "UPDATE person SET version = version + 1, updated_at = ? WHERE id = ?";

/* The offender's own addresses on the person record, current on ?2. */
static const char SQL_OF_PERSON_ADDRESSES[] =
    "SELECT line1, postcode FROM person_address WHERE person_id = ?1"
    " AND (valid_to IS NULL OR valid_to >= ?2) AND postcode IS NOT NULL";

/* ---- convictions and orders ---- */

static const char SQL_OF_CONVICTION_INSERT[] =
    "INSERT INTO offender_conviction (offender_id, offence, convicted_on, disposal,"
    " custody_months, age_at_conviction, period_months, period_rule, ends_on, review_on,"
    " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_OF_CONVICTIONS[] =
    "SELECT id, offence, convicted_on, disposal, custody_months, age_at_conviction,"
    " period_months, period_rule, ends_on, review_on FROM offender_conviction"
    " WHERE offender_id = ? ORDER BY convicted_on, id";

static const char SQL_OF_ORDER_INSERT[] =
    "INSERT INTO offender_order (offender_id, kind, made_on, expires_on, conditions, created_by,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

static const char SQL_OF_ORDERS[] =
    "SELECT id, kind, made_on, expires_on, conditions FROM offender_order"
    " WHERE offender_id = ? ORDER BY made_on, id";

/* ---- notifications and breaches ---- */

static const char SQL_OF_NOTIFICATION_INSERT[] =
    "INSERT INTO offender_notification (offender_id, kind, detail, line1, postcode, address_key,"
    " child_person_id, event_on, deadline_on, notified_on, late, reasonable_excuse, recorded_by,"
    " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_OF_NOTIFICATIONS[] =
    "SELECT id, kind, detail, line1, postcode, child_person_id, event_on, deadline_on,"
    " notified_on, late, reasonable_excuse, recorded_at FROM offender_notification"
    " WHERE offender_id = ? ORDER BY notified_on, id";

/* The latest notification that moves the anniversary (travel does not). */
static const char SQL_OF_LAST_NOTIFIED[] =
    "SELECT MAX(notified_on), COUNT(*) FROM offender_notification"
    " WHERE offender_id = ? AND kind <> 'travel'";

static const char SQL_OF_BREACH_INSERT[] =
    "INSERT INTO offender_breach (offender_id, kind, notification_id, intelligence_id, detail,"
    " occurred_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_OF_BREACHES[] =
    "SELECT id, kind, notification_id, intelligence_id, detail, occurred_on, recorded_at"
    " FROM offender_breach WHERE offender_id = ? ORDER BY occurred_on, id";

/* ---- risk, plan, visits ---- */

static const char SQL_OF_RISK_INSERT[] =
    "INSERT INTO offender_risk_assessment (offender_id, level, assessed_on, next_due_on, due_on,"
    " summary, assessed_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_OF_RISK_SET[] =
    "UPDATE offender SET risk_level = ?, risk_assessed_on = ?, risk_next_due_on = ? WHERE id = ?";

static const char SQL_OF_RISKS[] =
    "SELECT a.id, a.level, a.assessed_on, a.next_due_on, a.due_on, a.summary, u.display_name"
    " FROM offender_risk_assessment a LEFT JOIN app_user u ON u.id = a.assessed_by"
    " WHERE a.offender_id = ? ORDER BY a.assessed_on, a.id";

static const char SQL_OF_PROMPT_REVIEW[] =
    "UPDATE offender SET plan_review_prompted_at = ?, plan_review_reason = ? WHERE id = ?";

static const char SQL_OF_PLAN_SET[] =
    "UPDATE offender SET plan_visit_months = ?, plan_summary = ?, plan_reviewed_at = ?,"
    " plan_review_prompted_at = NULL, plan_review_reason = NULL WHERE id = ?";

static const char SQL_OF_PLAN_INSERT[] =
    "INSERT INTO offender_plan_review (offender_id, visit_months, summary, reason, reviewed_at,"
    " reviewed_by) VALUES (?, ?, ?, ?, ?, ?)";

static const char SQL_OF_PLANS[] =
    "SELECT p.id, p.visit_months, p.summary, p.reason, p.reviewed_at, u.display_name"
    " FROM offender_plan_review p LEFT JOIN app_user u ON u.id = p.reviewed_by"
    " WHERE p.offender_id = ? ORDER BY p.reviewed_at, p.id";

static const char SQL_OF_VISIT_INSERT[] =
    "INSERT INTO offender_visit (offender_id, kind, status, planned_on, done_on, due_on,"
    " risk_level, findings, officer_id, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_OF_VISIT_GET[] =
    "SELECT status FROM offender_visit WHERE id = ? AND offender_id = ?";

static const char SQL_OF_VISIT_DONE[] =
    "UPDATE offender_visit SET status = ?, done_on = ?, due_on = ?, risk_level = ?, findings = ?,"
    " officer_id = ?, updated_at = ? WHERE id = ?";

/* The latest visit that met the offender (no access is not a visit). */
static const char SQL_OF_LAST_VISIT[] =
    "SELECT MAX(done_on) FROM offender_visit WHERE offender_id = ? AND status = 'done'";

static const char SQL_OF_VISITS[] =
    "SELECT v.id, v.kind, v.status, v.planned_on, v.done_on, v.due_on, v.risk_level, v.findings,"
    " u.display_name FROM offender_visit v LEFT JOIN app_user u ON u.id = v.officer_id"
    " WHERE v.offender_id = ? ORDER BY COALESCE(v.done_on, v.planned_on), v.id";

/* ---- reactive management and intelligence ---- */

static const char SQL_OF_DECISION_INSERT[] =
    "INSERT INTO offender_management_decision (offender_id, eligible, criteria, decision, reason,"
    " intelligence_id, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_OF_MANAGEMENT_SET[] =
    "UPDATE offender SET management = ?, reactive_eligible = ? WHERE id = ?";

static const char SQL_OF_DECISIONS[] =
    "SELECT d.id, d.eligible, d.criteria, d.decision, d.reason, d.intelligence_id,"
    " u.display_name, d.decided_at FROM offender_management_decision d"
    " LEFT JOIN app_user u ON u.id = d.decided_by WHERE d.offender_id = ? ORDER BY d.id";

static const char SQL_OF_INTEL_INSERT[] =
    "INSERT INTO offender_intelligence (offender_id, kind, urgency, summary, incident_id,"
    " occurred_on, management_at_time, review_due_at, recorded_by, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_OF_INTEL_GET[] =
    "SELECT review_due_at, reviewed_at FROM offender_intelligence WHERE id = ? AND offender_id = ?";

static const char SQL_OF_INTEL_REVIEW[] =
    "UPDATE offender_intelligence SET reviewed_at = ?, outcome = ?, outcome_reason = ?,"
    " reviewed_by = ? WHERE id = ?";

static const char SQL_OF_INTELS[] =
    "SELECT id, kind, urgency, summary, incident_id, occurred_on, management_at_time,"
    " review_due_at, reviewed_at, outcome, outcome_reason, recorded_at"
    " FROM offender_intelligence WHERE offender_id = ? ORDER BY id";

/* The earliest open review of each urgency: where the rules' clocks start. */
static const char SQL_OF_INTEL_OPEN[] =
    "SELECT urgency, MIN(recorded_at) FROM offender_intelligence WHERE offender_id = ?"
    " AND review_due_at IS NOT NULL AND reviewed_at IS NULL GROUP BY urgency";

static const char SQL_OF_INCIDENT_EXISTS[] = "SELECT 1 FROM incident WHERE id = ?";

/* ---- children in the household ---- */

/* Children's current addresses at a postcode (upper case, no spaces) on ?2;
 * the address key is compared in C (incident_address_key()). */
static const char SQL_OF_CHILDREN_AT_POSTCODE[] =
    "SELECT a.person_id, a.line1, a.postcode, p.dob FROM person_address a"
    " JOIN person p ON p.id = a.person_id"
    " WHERE upper(replace(a.postcode, ' ', '')) = ?1 AND (a.valid_to IS NULL OR a.valid_to >= ?2)"
    " AND p.dob IS NOT NULL AND a.person_id <> ?3 ORDER BY a.person_id LIMIT 50";

/* A child's addresses written later (people.c's hook): the offenders living
 * at a postcode ?1 (upper-cased, without spaces), by their latest notified
 * home address or a current address on their person record (?2 today); the
 * address key is compared in C. */
static const char SQL_OF_OFFENDERS_AT_POSTCODE[] =
    "SELECT o.id, o.person_id, o.area, n.id, n.line1, n.postcode FROM offender o"
    " JOIN offender_notification n ON n.offender_id = o.id"
    " WHERE n.kind = 'home_address' AND upper(replace(n.postcode, ' ', '')) = ?1"
    " AND n.id = (SELECT MAX(n2.id) FROM offender_notification n2"
    "  WHERE n2.offender_id = o.id AND n2.kind = 'home_address')"
    " UNION ALL"
    " SELECT o.id, o.person_id, o.area, NULL, a.line1, a.postcode FROM offender o"
    " JOIN person_address a ON a.person_id = o.person_id"
    " WHERE upper(replace(a.postcode, ' ', '')) = ?1 AND (a.valid_to IS NULL OR a.valid_to >= ?2)"
    " LIMIT 50";

/* The person whose addresses were written: a child on ?2? */
static const char SQL_OF_PERSON_DOB[] = "SELECT dob FROM person WHERE id = ?";

static const char SQL_OF_LINK_EXISTS[] =
    "SELECT id FROM offender_child_link WHERE offender_id = ? AND child_person_id = ?";

static const char SQL_OF_LINK_INSERT[] =
    "INSERT INTO offender_child_link (offender_id, child_person_id, source, notification_id,"
    " address_key, area, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* The columns in the order of link_columns[] (offenders_manage.c). */
static const char SQL_OF_LINK_GET[] =
    "SELECT l.id, l.offender_id, l.child_person_id, l.source, l.notification_id, l.area,"
    " l.linked_at, l.status, l.action_text, l.actioned_at, o.reference"
    " FROM offender_child_link l JOIN offender o ON o.id = l.offender_id WHERE l.id = ?";

static const char SQL_OF_LINKS_FOR_CHILD[] =
    "SELECT l.id FROM offender_child_link l WHERE l.child_person_id = ? ORDER BY l.id";

static const char SQL_OF_LINKS_FOR_OFFENDER[] =
    "SELECT l.id, l.child_person_id, p.given_name, p.family_name, l.source, l.linked_at,"
    " l.status, l.action_text FROM offender_child_link l JOIN person p ON p.id = l.child_person_id"
    " WHERE l.offender_id = ? ORDER BY l.id";

static const char SQL_OF_LINK_ACTION[] =
    "UPDATE offender_child_link SET status = 'actioned', action_text = ?, actioned_at = ?,"
    " actioned_by = ? WHERE id = ?";

/* My work: the risk level shown beside an offender's task. */
static const char SQL_OF_WORK_RISK[] = "SELECT reference, risk_level FROM offender WHERE id = ?";

/* ---- concerns and briefings ---- */

static const char SQL_OF_CONCERN_INSERT[] =
    "INSERT INTO offender_concern (offender_id, area, photo_ref, risk_summary, look_for, if_seen,"
    " raised_at, raised_by, review_due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_OF_CONCERN_GET[] =
    "SELECT area, status, review_due_on FROM offender_concern WHERE id = ? AND offender_id = ?";

static const char SQL_OF_CONCERN_REVIEWED[] =
    "UPDATE offender_concern SET review_due_on = ? WHERE id = ?";

static const char SQL_OF_CONCERN_ENDED[] =
    "UPDATE offender_concern SET status = 'ended', ended_at = ?, end_reason = ?, ended_by = ?"
    " WHERE id = ?";

static const char SQL_OF_CONCERN_REVIEW_INSERT[] =
    "INSERT INTO offender_concern_review (concern_id, kind, due_on, done_at, note, user_id)"
    " VALUES (?, ?, ?, ?, ?, ?)";

static const char SQL_OF_CONCERNS[] =
    "SELECT id, area, photo_ref, risk_summary, look_for, if_seen, raised_at, review_due_on,"
    " status, ended_at, end_reason FROM offender_concern WHERE offender_id = ? ORDER BY id";

static const char SQL_OF_CONCERN_NEXT_DUE[] =
    "SELECT MIN(review_due_on) FROM offender_concern WHERE offender_id = ? AND status = 'active'";

static const char SQL_OF_BRIEFING_FIND[] = "SELECT id FROM offender_briefing WHERE area = ?";
static const char SQL_OF_BRIEFING_INSERT[] =
    "INSERT INTO offender_briefing (area, refreshed_at) VALUES (?, ?)";
static const char SQL_OF_BRIEFING_REFRESH[] =
    "UPDATE offender_briefing SET refreshed_at = ?, version = version + 1 WHERE id = ?";
static const char SQL_OF_BRIEFING_GET[] =
    "SELECT refreshed_at, version FROM offender_briefing WHERE area = ?";

/* The area's active concerns, highest risk first. */
static const char SQL_OF_BRIEFING_ITEMS[] =
    "SELECT c.id, c.offender_id, o.reference, p.given_name, p.family_name, p.dob,"
    " COALESCE(c.photo_ref, o.photo_ref), o.risk_level, c.risk_summary, c.look_for, c.if_seen,"
    " c.raised_at, c.review_due_on FROM offender_concern c JOIN offender o ON o.id = c.offender_id"
    " JOIN person p ON p.id = o.person_id WHERE c.area = ? AND c.status = 'active'"
    " ORDER BY CASE o.risk_level WHEN 'very_high' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2"
    " WHEN 'low' THEN 3 ELSE 4 END, c.raised_at, c.id";

static const char SQL_OF_BRIEFING_AREAS[] =
    "SELECT b.area, b.refreshed_at, b.version,"
    " (SELECT COUNT(*) FROM offender_concern c WHERE c.area = b.area AND c.status = 'active'),"
    " (SELECT MIN(c.review_due_on) FROM offender_concern c WHERE c.area = b.area"
    "  AND c.status = 'active') FROM offender_briefing b ORDER BY b.area";

static const char SQL_OF_AREA_KNOWN[] =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM app_user WHERE area = ?1)"
    " OR EXISTS (SELECT 1 FROM offender WHERE area = ?1)"
    " OR EXISTS (SELECT 1 FROM offender_briefing WHERE area = ?1)";

/* ---- lists ---- */

static const char SQL_OF_LIST[] =
    "SELECT o.id, o.reference, o.person_id, p.given_name, p.family_name, o.risk_level,"
    " o.management, o.area, u.display_name,"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'offender' AND t.record_id = o.id"
    "  AND t.status = 'open') AS next_due"
    " FROM offender o JOIN person p ON p.id = o.person_id"
    " LEFT JOIN app_user u ON u.id = o.offender_manager_id"
    " WHERE ?1 IS NULL OR o.area = ?1 ORDER BY next_due NULLS LAST, o.id LIMIT 1000";

static const char SQL_OF_IDS[] =
    "SELECT id FROM offender WHERE ?1 IS NULL OR area = ?1 ORDER BY id LIMIT 5000";

/* ---- measures (offenders_measures.c). ?1 from, ?2 to (exclusive), ?3 area
 * or NULL for the whole force: timestamps for the reactive reviews, the
 * period's UK days ("YYYY-MM-DD") for the due dates, which are days. ---- */

#define OF_AREA_MATCHES " (?3 IS NULL OR o.area = ?3)"

/* Visits done whose due date fell in the period: due, done, the level then. */
static const char SQL_OF_M_VISITS_DONE[] =
    "SELECT v.due_on, v.done_on, v.risk_level FROM offender_visit v"
    " JOIN offender o ON o.id = v.offender_id WHERE v.status = 'done' AND v.due_on IS NOT NULL"
    " AND v.due_on >= ?1 AND v.due_on < ?2 AND" OF_AREA_MATCHES;

/* Risk assessments due in the period: due, done. */
static const char SQL_OF_M_RISK_DONE[] =
    "SELECT a.due_on, a.assessed_on FROM offender_risk_assessment a"
    " JOIN offender o ON o.id = a.offender_id"
    " WHERE a.due_on >= ?1 AND a.due_on < ?2 AND" OF_AREA_MATCHES;

/* Reactive reviews due in the period: due, done (NULL: not yet). */
static const char SQL_OF_M_REACTIVE[] =
    "SELECT i.review_due_at, i.reviewed_at FROM offender_intelligence i"
    " JOIN offender o ON o.id = i.offender_id WHERE i.review_due_at IS NOT NULL"
    " AND i.review_due_at >= ?1 AND i.review_due_at < ?2 AND" OF_AREA_MATCHES;

/* Briefing concern reviews due in the period, done (reviewed or ended). */
static const char SQL_OF_M_CONCERN_DONE[] =
    "SELECT r.due_on, r.done_at FROM offender_concern_review r"
    " JOIN offender_concern c ON c.id = r.concern_id JOIN offender o ON o.id = c.offender_id"
    " WHERE r.due_on >= ?1 AND r.due_on < ?2"
    " AND (?3 IS NULL OR c.area = ?3)";

/* Active concerns whose current review date is in the period. */
static const char SQL_OF_M_CONCERN_OPEN[] =
    "SELECT c.review_due_on FROM offender_concern c WHERE c.status = 'active'"
    " AND c.review_due_on >= ?1 AND c.review_due_on < ?2"
    " AND (?3 IS NULL OR c.area = ?3)";

/* Offenders of the area (for the current, not yet met, due dates). */
/* The area's offenders who can owe a visit due in the period [?1, ?2) (dates):
 * a visit falls due some months after the last visit done (or
 * registration), so anyone visited on or after the period's end cannot owe
 * one in it. For the months of a long trend that is almost everyone, so the
 * per-offender work is done only for those not visited since. */
static const char SQL_OF_M_VISIT_CANDIDATES[] =
    "SELECT o.id FROM offender o WHERE" OF_AREA_MATCHES " AND ?1 IS NOT NULL"
    " AND o.registered_on < ?2 AND NOT EXISTS (SELECT 1 FROM offender_visit v"
    " WHERE v.offender_id = o.id AND v.status = 'done' AND v.done_on >= ?2)";
static const char SQL_OF_M_OFFENDERS[] =
    "SELECT o.id FROM offender o WHERE" OF_AREA_MATCHES " AND ?1 IS NOT NULL AND ?2 IS NOT NULL";

#endif
