/*
 * assurance_sql.h — the assurance area's statements, each named and
 * parameter-bound. Included only by assurance.c and assurance_measures.c.
 */
#ifndef SG_ASSURANCE_SQL_H
#define SG_ASSURANCE_SQL_H

/* ---- inspections and recommendations ---- */

/* Whether the seed's inspection is already loaded (seeding is idempotent). */
static const char SQL_A_INSPECTION_FIND[] =
    "SELECT id FROM inspection WHERE body = ? AND force = ? AND title = ? AND published_on = ?";

static const char SQL_A_INSPECTION_INSERT[] =
    "INSERT INTO inspection (body, title, force, published_on) VALUES (?, ?, ?, ?) RETURNING id";

static const char SQL_A_RECOMMENDATION_INSERT[] =
    "INSERT INTO recommendation (inspection_id, number, text, timescale, timescale_months,"
    " due_on, owner) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_A_POINT_INSERT[] =
    "INSERT INTO recommendation_point (recommendation_id, label, text) VALUES (?, ?, ?)";

static const char SQL_A_ACTION_INSERT[] =
    "INSERT INTO recommendation_action (recommendation_id, title, owner, due_on, status,"
    " evidence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

/* The overview: every recommendation with its inspection, in order. */
static const char SQL_A_RECOMMENDATIONS[] =
    "SELECT r.id, r.number, r.text, r.timescale, r.timescale_months, r.due_on, r.owner,"
    " i.id, i.body, i.title, i.force, i.published_on"
    " FROM recommendation r JOIN inspection i ON i.id = r.inspection_id"
    " ORDER BY i.published_on DESC, i.id, r.number";

static const char SQL_A_RECOMMENDATION[] =
    "SELECT r.id, r.number, r.text, r.timescale, r.timescale_months, r.due_on, r.owner,"
    " i.id, i.body, i.title, i.force, i.published_on"
    " FROM recommendation r JOIN inspection i ON i.id = r.inspection_id WHERE r.id = ?";

/* Action counts by status for one recommendation. */
static const char SQL_A_ACTION_COUNTS[] =
    "SELECT status, COUNT(*) FROM recommendation_action WHERE recommendation_id = ?"
    " GROUP BY status";

/* In the order recorded: labels such as i, ii, ... ix, x do not sort. */
static const char SQL_A_POINTS[] =
    "SELECT label, text FROM recommendation_point WHERE recommendation_id = ? ORDER BY id";

/* The measures shown against a recommendation (keys of the registry). */
static const char SQL_A_REC_MEASURES[] =
    "SELECT measure_key FROM recommendation_measure WHERE recommendation_id = ?";

static const char SQL_A_REC_MEASURE_INSERT[] =
    "INSERT INTO recommendation_measure (recommendation_id, measure_key) VALUES (?, ?)"
    " ON CONFLICT (recommendation_id, measure_key) DO NOTHING";

static const char SQL_A_REC_BY_NUMBER[] =
    "SELECT id FROM recommendation WHERE inspection_id = ? AND number = ?";

static const char SQL_A_ACTIONS[] =
    "SELECT id, title, owner, due_on, status, evidence, version, updated_at, attachments"
    " FROM recommendation_action WHERE recommendation_id = ? ORDER BY id";

/* ---- actions ---- */

/* The editable columns in the order of action_fields[] (assurance_actions.c),
 * then the recommendation, version and last change. */
static const char SQL_A_ACTION_GET[] =
    "SELECT a.title, a.owner, a.due_on, a.status, a.evidence, a.attachments,"
    " a.recommendation_id, a.version, a.updated_at, r.number, r.text"
    " FROM recommendation_action a JOIN recommendation r ON r.id = a.recommendation_id"
    " WHERE a.id = ?";

/* The version check is in the WHERE clause too, so two writers cannot both win. */
static const char SQL_A_ACTION_UPDATE[] =
    "UPDATE recommendation_action SET title = ?, owner = ?, due_on = ?, status = ?,"
    " evidence = ?, attachments = ?, version = version + 1, updated_at = ?"
    " WHERE id = ? AND version = ?";

static const char SQL_A_ACTION_CREATE[] =
    "INSERT INTO recommendation_action (recommendation_id, title, owner, due_on, status,"
    " evidence, attachments, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_A_HISTORY[] =
    "SELECT h.at, u.username, h.field, h.old, h.new FROM recommendation_action_history h"
    " LEFT JOIN app_user u ON u.id = h.user_id WHERE h.action_id = ? ORDER BY h.id DESC";

static const char SQL_A_RECOMMENDATION_EXISTS[] = "SELECT 1 FROM recommendation WHERE id = ?";

/* Actions past their due date and not complete, across every recommendation. */
static const char SQL_A_OVERDUE_ACTIONS[] =
    "SELECT a.id, a.title, a.due_on, a.status, r.id, r.number FROM recommendation_action a"
    " JOIN recommendation r ON r.id = a.recommendation_id"
    " WHERE a.due_on IS NOT NULL AND a.due_on < ? AND a.status <> 'complete'"
    " ORDER BY a.due_on, a.id";

/* ---- commentary ---- */

static const char SQL_A_COMMENTARY_INSERT[] =
    "INSERT INTO recommendation_commentary (recommendation_id, period, text, written_at,"
    " written_by) VALUES (?, ?, ?, ?, ?) RETURNING id";

/* Every month's commentary for a recommendation, newest month first and,
 * within a month, the current (newest) text first. */
static const char SQL_A_COMMENTARY[] =
    "SELECT c.id, c.period, c.text, c.written_at, u.username FROM recommendation_commentary c"
    " LEFT JOIN app_user u ON u.id = c.written_by WHERE c.recommendation_id = ?"
    " ORDER BY c.period DESC, c.id DESC";

static const char SQL_A_HISTORY_INSERT[] =
    "INSERT INTO recommendation_action_history (action_id, at, user_id, field, old, new)"
    " VALUES (?, ?, ?, ?, ?, ?)";

/* ---- measures: (numerator, denominator) for child incidents received in
 * [?1, ?2) and, when ?3 is not NULL, in policing area ?3. An incident's area
 * is its attending officer's, or else its recorder's (incidents carry none
 * of their own yet). */

#define A_CHILD_INCIDENTS_IN_PERIOD                                                                \
    " FROM incident i WHERE i.received_at >= ?1 AND i.received_at < ?2"                            \
    " AND EXISTS (SELECT 1 FROM incident_person ip WHERE ip.incident_id = i.id"                    \
    " AND ip.is_child = 1)"                                                                        \
    " AND (?3 IS NULL OR COALESCE((SELECT u.area FROM app_user u WHERE u.id = i.officer_id),"      \
    " (SELECT u.area FROM app_user u WHERE u.id = i.created_by)) = ?3)"

/* R1: graded child incidents; numerator those at or above the grade the risk
 * supports, or below it with a supervisor's authorisation. */
static const char SQL_A_M_GRADE_REFLECTS_RISK[] =
    "SELECT COALESCE(SUM(CASE WHEN i.below_risk_grade = 0 OR i.grade_authorised_by IS NOT NULL"
    " THEN 1 ELSE 0 END), 0), COUNT(*)" A_CHILD_INCIDENTS_IN_PERIOD " AND i.grade IS NOT NULL";

/* R1: attended emergency/priority child incidents; the minutes are compared
 * in C against the timescales engine's targets. */
static const char SQL_A_M_ATTENDANCE[] =
    "SELECT i.grade, i.received_at, i.attended_at" A_CHILD_INCIDENTS_IN_PERIOD
    " AND i.attended_at IS NOT NULL AND i.grade IN ('emergency', 'priority')";

/* R2: child incidents; numerator those where every child has a voice record. */
static const char SQL_A_M_VOICE_RECORDED[] =
    "SELECT COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM incident_person ip"
    " WHERE ip.incident_id = i.id AND ip.is_child = 1 AND NOT EXISTS (SELECT 1 FROM"
    " voice_of_child v WHERE v.incident_id = i.id AND v.person_id = ip.person_id))"
    " THEN 1 ELSE 0 END), 0), COUNT(*)" A_CHILD_INCIDENTS_IN_PERIOD;

/* ---- imported inspections (assurance_import.c) ---- */

/* An imported inspection; the new id through RETURNING. (The seed's
 * SQL_A_INSPECTION_INSERT predates RETURNING.) */
static const char SQL_A_IMPORT_INSPECTION_INSERT[] =
    "INSERT INTO inspection (body, title, force, published_on) VALUES (?, ?, ?, ?) RETURNING id";

/* An imported recommendation, due_on derived in C by assurance_due_on(). */
static const char SQL_A_IMPORT_RECOMMENDATION_INSERT[] =
    "INSERT INTO recommendation (inspection_id, number, text, timescale, timescale_months,"
    " due_on, owner) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* One inspection, as the import answers it. */
static const char SQL_A_INSPECTION_GET[] =
    "SELECT id, body, title, force, published_on FROM inspection WHERE id = ?";

static const char SQL_A_INSPECTION_RECOMMENDATIONS[] =
    "SELECT id, number, text, timescale, timescale_months, due_on, owner FROM recommendation"
    " WHERE inspection_id = ? ORDER BY number";

/* Sub-points in the document's order (labels like i, ii, ... ix do not sort). */
static const char SQL_A_IMPORT_POINTS[] =
    "SELECT label, text FROM recommendation_point WHERE recommendation_id = ? ORDER BY id";

/* Actions without evidence: an import records none. */
static const char SQL_A_IMPORT_ACTIONS[] =
    "SELECT id, title, owner, due_on, status FROM recommendation_action"
    " WHERE recommendation_id = ? ORDER BY id";

/* Every inspection with its number of recommendations, newest first. A force
 * receives a handful of inspections a year, so the list is not paged. */
static const char SQL_A_INSPECTIONS[] =
    "SELECT i.id, i.body, i.title, i.force, i.published_on, COUNT(r.id)"
    " FROM inspection i LEFT JOIN recommendation r ON r.inspection_id = i.id"
    " GROUP BY i.id, i.body, i.title, i.force, i.published_on"
    " ORDER BY i.published_on DESC, i.id";

#endif
