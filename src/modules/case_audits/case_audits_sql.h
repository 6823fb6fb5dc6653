/*
 * case_audits_sql.h — every SQL statement of case audits, each named and
 * parameter-bound. Included only by case_audits.c and case_audits_seed.c.
 */
#ifndef SG_CASE_AUDITS_SQL_H
#define SG_CASE_AUDITS_SQL_H

/* ---- record types: one pair of statements per row of case_audit_record_types[] ---- */

/* An incident's policing area: its attending officer's, else its recorder's
 * (incidents carry none of their own yet; as the assurance measures do). */
#define CA_INCIDENT_AREA                                                                           \
    "COALESCE((SELECT u.area FROM app_user u WHERE u.id = i.officer_id),"                          \
    " (SELECT u.area FROM app_user u WHERE u.id = i.created_by))"

/* Closed child incidents (at least one person a child on the incident's
 * date): the control room's child protection cases. */
static const char SQL_CA_INCIDENT_CLOSED[] =
    "SELECT i.id, " CA_INCIDENT_AREA " FROM incident i"
    " WHERE i.status = 'closed' AND i.closed_at >= ?1 AND i.closed_at < ?2"
    " AND EXISTS (SELECT 1 FROM incident_person ip WHERE ip.incident_id = i.id"
    " AND ip.is_child = 1)"
    " AND (?3 IS NULL OR " CA_INCIDENT_AREA " = ?3)"
    " ORDER BY i.id";

/* What an auditor needs to see before opening the record: no names. */
static const char SQL_CA_INCIDENT_SUMMARY[] =
    "SELECT i.reference, i.nature, i.received_at, i.grade, i.risk_grade AS risk_supported_grade, "
    "i.attended_at,"
    " i.closed_at, " CA_INCIDENT_AREA " AS area,"
    " (SELECT COUNT(DISTINCT ip.person_id) FROM incident_person ip WHERE ip.incident_id = i.id"
    " AND ip.is_child = 1) AS children,"
    " (SELECT COUNT(*) FROM voice_of_child v WHERE v.incident_id = i.id) AS voice_records,"
    " (SELECT COUNT(*) FROM thrive t WHERE t.incident_id = i.id) AS thrive_assessments"
    " FROM incident i WHERE i.id = ?1";

/* ---- criteria ---- */

static const char SQL_CA_CRITERIA[] =
    "SELECT c.id, c.record_type, c.key, c.question, c.recommendation, c.active, c.position,"
    " c.created_at, c.retired_at, uc.display_name, ur.display_name"
    " FROM case_audit_criterion c LEFT JOIN app_user uc ON uc.id = c.created_by"
    " LEFT JOIN app_user ur ON ur.id = c.retired_by"
    " WHERE (?1 IS NULL OR c.record_type = ?1)"
    " ORDER BY c.record_type, c.active DESC, c.position, c.id";

/* The criteria a grading of record type ?1 must cover, in form order. */
static const char SQL_CA_CRITERIA_ACTIVE[] =
    "SELECT id, key, question, recommendation FROM case_audit_criterion"
    " WHERE record_type = ? AND active = 1 ORDER BY position, id";

static const char SQL_CA_CRITERION_GET[] =
    "SELECT id, record_type, active FROM case_audit_criterion WHERE id = ?";

static const char SQL_CA_CRITERION_KEY_TAKEN[] =
    "SELECT 1 FROM case_audit_criterion WHERE record_type = ? AND key = ?";

static const char SQL_CA_CRITERIA_ACTIVE_COUNT[] =
    "SELECT COUNT(*) FROM case_audit_criterion WHERE record_type = ? AND active = 1";

/* A new criterion goes last unless a position is given. */
static const char SQL_CA_CRITERION_NEXT_POSITION[] =
    "SELECT COALESCE(MAX(position), 0) + 1 FROM case_audit_criterion WHERE record_type = ?";

static const char SQL_CA_CRITERION_INSERT[] =
    "INSERT INTO case_audit_criterion (record_type, key, question, recommendation, position,"
    " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* active = 1 in the WHERE clause: two retirements cannot both succeed. */
static const char SQL_CA_CRITERION_RETIRE[] =
    "UPDATE case_audit_criterion SET active = 0, retired_by = ?, retired_at = ?"
    " WHERE id = ? AND active = 1";

/* ---- sampling ---- */

static const char SQL_CA_AUDITED[] =
    "SELECT 1 FROM case_audit WHERE record_type = ? AND record_id = ?";

static const char SQL_CA_SAMPLE_INSERT[] =
    "INSERT INTO case_audit_sample (record_type, month, method, requested, area, candidates,"
    " sampled, sampled_by, sampled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_CA_AUDIT_INSERT[] =
    "INSERT INTO case_audit (sample_id, record_type, record_id, area, month, auditor_id,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

/* The users who may be given an audit: active, with their roles (the
 * permission is decided in C from the role table). */
static const char SQL_CA_USERS_WITH_ROLES[] =
    "SELECT u.id, u.display_name, u.area, r.role FROM app_user u"
    " JOIN user_role r ON r.user_id = u.id WHERE u.disabled = 0"
    " ORDER BY u.display_name, u.id";

/* The policing areas in use, for choosing and filtering. */
static const char SQL_CA_AREAS[] =
    "SELECT DISTINCT area FROM app_user WHERE area IS NOT NULL AND area <> '' ORDER BY area";

/* ---- audits ---- */

#define CA_AUDIT_COLUMNS                                                                           \
    "a.id, a.sample_id, a.record_type, a.record_id, a.area, a.month, a.auditor_id,"                \
    " ua.display_name, a.status, a.completed_at, a.version, a.created_at, a.updated_at,"           \
    " s.method, s.sampled_by, us.display_name, s.sampled_at, g.overall_grade, g.graded_at,"        \
    " ug.display_name"
#define CA_AUDIT_FROM                                                                              \
    " FROM case_audit a JOIN case_audit_sample s ON s.id = a.sample_id"                            \
    " LEFT JOIN app_user ua ON ua.id = a.auditor_id"                                               \
    " LEFT JOIN app_user us ON us.id = s.sampled_by"                                               \
    " LEFT JOIN case_audit_grading g ON g.id = a.grading_id"                                       \
    " LEFT JOIN app_user ug ON ug.id = g.graded_by"

static const char SQL_CA_AUDIT_GET[] = "SELECT " CA_AUDIT_COLUMNS CA_AUDIT_FROM " WHERE a.id = ?";

/* The list: ?1 view (mine, pending, completed, all), ?2 the user, ?3 month,
 * ?4 area, ?5 record type, ?6 sample; NULLs match everything. */
#define CA_AUDIT_FILTER                                                                            \
    " WHERE (?1 = 'all' OR (?1 = 'mine' AND a.status = 'pending' AND a.auditor_id = ?2)"           \
    " OR (?1 = 'pending' AND a.status = 'pending') OR (?1 = 'completed'"                           \
    " AND a.status = 'completed'))"                                                                \
    " AND (?3 IS NULL OR a.month = ?3) AND (?4 IS NULL OR a.area = ?4)"                            \
    " AND (?5 IS NULL OR a.record_type = ?5) AND (?6 IS NULL OR a.sample_id = ?6)"

static const char SQL_CA_AUDIT_LIST[] = "SELECT " CA_AUDIT_COLUMNS CA_AUDIT_FROM CA_AUDIT_FILTER
                                        " ORDER BY a.month DESC, a.status DESC, a.id LIMIT 500";

/* How many audits each view holds under the other filters: ?1 the user,
 * ?2 month, ?3 area, ?4 record type, ?5 sample. */
static const char SQL_CA_AUDIT_COUNTS[] =
    "SELECT COALESCE(SUM(CASE WHEN a.status = 'pending' AND a.auditor_id = ?1 THEN 1 ELSE 0"
    " END), 0), COALESCE(SUM(CASE WHEN a.status = 'pending' THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN a.status = 'completed' THEN 1 ELSE 0 END), 0), COUNT(*)"
    " FROM case_audit a WHERE (?2 IS NULL OR a.month = ?2) AND (?3 IS NULL OR a.area = ?3)"
    " AND (?4 IS NULL OR a.record_type = ?4) AND (?5 IS NULL OR a.sample_id = ?5)";

static const char SQL_CA_SAMPLE_GET[] =
    "SELECT s.id, s.record_type, s.month, s.method, s.requested, s.area, s.candidates,"
    " s.sampled, s.sampled_at, u.display_name FROM case_audit_sample s"
    " LEFT JOIN app_user u ON u.id = s.sampled_by WHERE s.id = ?";

/* ---- grading ---- */

static const char SQL_CA_GRADING_INSERT[] =
    "INSERT INTO case_audit_grading (audit_id, version, overall_grade, overall_reason, learning,"
    " graded_by, graded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_CA_GRADE_INSERT[] =
    "INSERT INTO case_audit_grade (grading_id, criterion_id, grade, reason) VALUES (?, ?, ?, ?)";

/* The first write of a grading: the version check is in the WHERE clause,
 * so two graders cannot both win, and a stale one has written nothing. */
static const char SQL_CA_AUDIT_CLAIM[] =
    "UPDATE case_audit SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?";

/* The last: the audit points at its new grading; completed_at keeps the
 * first grading's time. */
static const char SQL_CA_AUDIT_GRADED[] =
    "UPDATE case_audit SET status = 'completed', grading_id = ?1,"
    " completed_at = COALESCE(completed_at, ?2) WHERE id = ?3";

/* Every grading of an audit, newest first. */
static const char SQL_CA_GRADINGS[] =
    "SELECT g.id, g.version, g.overall_grade, g.overall_reason, g.learning, g.graded_at,"
    " u.display_name FROM case_audit_grading g LEFT JOIN app_user u ON u.id = g.graded_by"
    " WHERE g.audit_id = ? ORDER BY g.version DESC";

static const char SQL_CA_GRADES[] =
    "SELECT c.key, c.question, c.recommendation, gr.grade, gr.reason"
    " FROM case_audit_grade gr JOIN case_audit_criterion c ON c.id = gr.criterion_id"
    " WHERE gr.grading_id = ? ORDER BY c.position, c.id";

/* ---- measures: (numerator, denominator) over audits completed in [?1, ?2)
 * and, when ?3 is not NULL, in area ?3; graded by the grading in force. ---- */

#define CA_COMPLETED_IN_PERIOD                                                                     \
    " a.status = 'completed' AND a.completed_at >= ?1 AND a.completed_at < ?2"                     \
    " AND (?3 IS NULL OR a.area = ?3)"

/* Criterion grades of good among those not 'not applicable', for criteria
 * evidencing recommendation ?4. */
static const char SQL_CA_M_CRITERIA_GOOD[] =
    "SELECT COALESCE(SUM(CASE WHEN gr.grade = 'good' THEN 1 ELSE 0 END), 0), COUNT(*)"
    " FROM case_audit a JOIN case_audit_grade gr ON gr.grading_id = a.grading_id"
    " JOIN case_audit_criterion c ON c.id = gr.criterion_id"
    " WHERE" CA_COMPLETED_IN_PERIOD " AND c.recommendation = ?4"
    " AND gr.grade <> 'not_applicable'";

/* Audited records of type ?4 graded good overall, of all audited. */
static const char SQL_CA_M_OVERALL_GOOD[] =
    "SELECT COALESCE(SUM(CASE WHEN g.overall_grade = 'good' THEN 1 ELSE 0 END), 0), COUNT(*)"
    " FROM case_audit a JOIN case_audit_grading g ON g.id = a.grading_id"
    " WHERE" CA_COMPLETED_IN_PERIOD " AND a.record_type = ?4";

/* ---- demo seed ---- */

static const char SQL_CA_ANY_AUDIT[] = "SELECT 1 FROM case_audit LIMIT 1";

static const char SQL_CA_PENDING_OF_SAMPLE[] =
    "SELECT id FROM case_audit WHERE sample_id = ? AND status = 'pending' ORDER BY id";

#endif
