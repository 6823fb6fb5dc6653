/*
 * missing_sql.h — every SQL statement of the missing children area, each
 * named and parameter-bound. Included by missing.c, missing_actions.c,
 * missing_measures.c and missing_seed.c only.
 */
#ifndef SG_MISSING_SQL_H
#define SG_MISSING_SQL_H

/* ---- episodes ---- */

/* The next sequence number in a year's references ("MIS-2026-%"), under the
 * write lock every write route holds. */
static const char SQL_MIS_NEXT_SEQ[] =
    "SELECT COUNT(*) + 1 FROM missing_episode WHERE reference LIKE ?";

static const char SQL_MIS_INSERT[] =
    "INSERT INTO missing_episode (reference, person_id, is_child, looked_after, responsible_la,"
    " reported_at, reported_by, reported_by_relationship, reported_by_contact, last_seen_at,"
    " last_seen_location, missing_from, missing_from_key, circumstances, description, photo_ref,"
    " risk, risk_rationale, risk_assessed_at, officer_id, supervisor_id, team, last_reviewed_at,"
    " repeat_count, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";

/* The columns in the order of episode_columns[] (missing.c). */
static const char SQL_MIS_GET[] =
    "SELECT e.id, e.reference, e.person_id, e.is_child, e.looked_after, e.responsible_la,"
    " e.reported_at, e.reported_by, e.reported_by_relationship, e.reported_by_contact,"
    " e.last_seen_at, e.last_seen_location, e.missing_from, e.circumstances, e.description,"
    " e.photo_ref, e.risk, e.risk_rationale, e.risk_assessed_at, e.officer_id, e.supervisor_id,"
    " e.team, e.status, e.last_reviewed_at, e.inspector_reviewed_at, e.first_action_at,"
    " e.repeat_count, e.returned_at, e.returned_location, e.returned_by, e.returned_state,"
    " e.return_notes, e.prevention_interview_at, e.prevention_interview_notes,"
    " e.where_they_were, e.with_whom, e.exploitation_cse, e.exploitation_cce,"
    " e.exploitation_notes, e.exploitation_recorded_at, e.referral_recorded_at,"
    " e.referral_note, e.rhi_referred_at, e.rhi_local_authority, e.rhi_outcome,"
    " e.rhi_outcome_at, e.rhi_notes, e.closed_at, e.closure_note, e.version, e.created_at,"
    " e.updated_at, uo.display_name, us.display_name, e.missing_from_key"
    " FROM missing_episode e LEFT JOIN app_user uo ON uo.id = e.officer_id"
    " LEFT JOIN app_user us ON us.id = e.supervisor_id WHERE e.id = ?";

static const char SQL_MIS_TOUCH[] =
    "UPDATE missing_episode SET version = version + 1, updated_at = ? WHERE id = ?";

static const char SQL_MIS_SET_RISK[] =
    "UPDATE missing_episode SET risk = ?, risk_rationale = ?, risk_assessed_at = ? WHERE id = ?";

static const char SQL_MIS_REVIEWED[] =
    "UPDATE missing_episode SET last_reviewed_at = ?,"
    " inspector_reviewed_at = CASE WHEN ? = 1 THEN ? ELSE inspector_reviewed_at END WHERE id = ?";

static const char SQL_MIS_FIRST_ACTION[] =
    "UPDATE missing_episode SET first_action_at = ? WHERE id = ?"
    " AND (first_action_at IS NULL OR first_action_at > ?)";

static const char SQL_MIS_RETURN[] =
    "UPDATE missing_episode SET status = 'returned', returned_at = ?, returned_location = ?,"
    " returned_by = ?, returned_state = ?, return_notes = ? WHERE id = ?";

static const char SQL_MIS_INTERVIEW[] =
    "UPDATE missing_episode SET prevention_interview_at = ?, prevention_interview_by = ?,"
    " prevention_interview_notes = ?, where_they_were = ?, with_whom = ? WHERE id = ?";

static const char SQL_MIS_EXPLOITATION[] =
    "UPDATE missing_episode SET exploitation_cse = ?, exploitation_cce = ?,"
    " exploitation_notes = ?, exploitation_recorded_at = COALESCE(exploitation_recorded_at, ?)"
    " WHERE id = ?";

static const char SQL_MIS_REFERRAL[] =
    "UPDATE missing_episode SET referral_recorded_at = ?, referral_note = ? WHERE id = ?";

static const char SQL_MIS_RHI_REFERRAL[] =
    "UPDATE missing_episode SET rhi_referred_at = ?, rhi_local_authority = ? WHERE id = ?";

static const char SQL_MIS_RHI_OUTCOME[] =
    "UPDATE missing_episode SET rhi_outcome = ?, rhi_outcome_at = ?, rhi_notes = ? WHERE id = ?";

static const char SQL_MIS_CLOSE[] =
    "UPDATE missing_episode SET status = 'closed', closed_at = ?, closure_note = ? WHERE id = ?";

/* The person: name, date of birth, and the looked-after flag in force on a
 * date (?2) with its local authority. */
static const char SQL_MIS_PERSON[] =
    "SELECT p.given_name, p.family_name, p.dob,"
    " (SELECT f.local_authority FROM person_flag f WHERE f.person_id = p.id"
    "  AND f.flag = 'looked_after' AND f.valid_from <= ?2"
    "  AND (f.valid_to IS NULL OR f.valid_to >= ?2) ORDER BY f.valid_from DESC LIMIT 1),"
    " EXISTS (SELECT 1 FROM person_flag f WHERE f.person_id = p.id AND f.flag = 'looked_after'"
    "  AND f.valid_from <= ?2 AND (f.valid_to IS NULL OR f.valid_to >= ?2))"
    " FROM person p WHERE p.id = ?1";

/* Records the exploitation risk on the person once (the person record is
 * where the next officer looks). */
static const char SQL_MIS_FLAG_EXPLOITATION[] =
    "INSERT INTO person_flag (person_id, flag, valid_from, note)"
    " SELECT ?1, 'exploitation_risk', ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM person_flag"
    " WHERE person_id = ?1 AND flag = 'exploitation_risk' AND (valid_to IS NULL OR valid_to >= "
    "?2))";

/* A user who can be officer in charge or supervisor: active. */
static const char SQL_MIS_USER_ACTIVE[] = "SELECT 1 FROM app_user WHERE id = ? AND disabled = 0";

/* Episodes for a person reported in [?2, ?3]: repeat missing. */
static const char SQL_MIS_REPEATS[] =
    "SELECT COUNT(*) FROM missing_episode WHERE person_id = ?1 AND reported_at >= ?2"
    " AND reported_at <= ?3";

/* The person's episode still open as missing, if any. */
static const char SQL_MIS_OPEN_FOR_PERSON[] =
    "SELECT reference FROM missing_episode WHERE person_id = ? AND status = 'missing'";

/* The person's other episodes, newest first, for the episode page. */
static const char SQL_MIS_PERSON_EPISODES[] =
    "SELECT id, reference, reported_at, status, risk, returned_at FROM missing_episode"
    " WHERE person_id = ? AND id <> ? ORDER BY reported_at DESC LIMIT 20";

/* Still-missing episodes from the same home or placement (another child). */
static const char SQL_MIS_SAME_FROM[] =
    "SELECT id, reference FROM missing_episode WHERE missing_from_key = ? AND id <> ?"
    " AND person_id <> ? AND status = 'missing'";

/* The board. ?1 status filter ('open', 'all' or a status). */
static const char SQL_MIS_LIST[] =
    "SELECT e.id, e.reference, e.person_id, p.given_name, p.family_name, p.dob, e.is_child,"
    " e.looked_after, e.status, e.risk, e.reported_at, e.last_seen_at, e.returned_at,"
    " e.repeat_count, e.exploitation_cse, e.exploitation_cce, e.missing_from,"
    " tk.review_due, tk.task_due, uo.display_name"
    " FROM missing_episode e JOIN person p ON p.id = e.person_id"
    " LEFT JOIN app_user uo ON uo.id = e.officer_id"
    /* The open tasks of every episode, grouped once (a correlated subquery
     * per row scanned all open tasks). */
    " LEFT JOIN (SELECT t.record_id,"
    "  MIN(CASE WHEN t.rule LIKE 'missing.review_%' THEN t.due_at END) AS review_due,"
    "  MIN(t.due_at) AS task_due FROM task t WHERE t.record_type = 'missing_episode'"
    "  AND t.status = 'open' GROUP BY t.record_id) tk ON tk.record_id = e.id"
    " WHERE (?1 = 'all' OR (?1 = 'open' AND e.status <> 'closed') OR e.status = ?1)"
    " ORDER BY CASE e.status WHEN 'missing' THEN 0 WHEN 'returned' THEN 1 ELSE 2 END,"
    " CASE e.risk WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, e.last_seen_at, e.id"
    " LIMIT 500";

/* ---- the timeline and its parts ---- */

static const char SQL_MIS_EVENT_INSERT[] =
    "INSERT INTO missing_event (episode_id, at, kind, text, risk, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)";

static const char SQL_MIS_EVENTS[] =
    "SELECT ev.id, ev.at, ev.kind, ev.text, ev.risk, u.display_name, ev.recorded_at"
    " FROM missing_event ev LEFT JOIN app_user u ON u.id = ev.user_id"
    " WHERE ev.episode_id = ? ORDER BY ev.at, ev.id";

static const char SQL_MIS_REVIEW_INSERT[] =
    "INSERT INTO missing_review (episode_id, at, due_at, risk_before, risk, rationale,"
    " by_inspector, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_MIS_REVIEWS[] =
    "SELECT r.at, r.due_at, r.risk_before, r.risk, r.rationale, r.by_inspector, u.display_name"
    " FROM missing_review r LEFT JOIN app_user u ON u.id = r.user_id WHERE r.episode_id = ?"
    " ORDER BY r.id";

static const char SQL_MIS_RISK_INFO_INSERT[] =
    "INSERT INTO missing_risk_info (episode_id, info, source, source_contact, obtained_at,"
    " user_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

static const char SQL_MIS_RISK_INFO[] =
    "SELECT i.info, i.source, i.source_contact, i.obtained_at, u.display_name, i.recorded_at"
    " FROM missing_risk_info i LEFT JOIN app_user u ON u.id = i.user_id"
    " WHERE i.episode_id = ? ORDER BY i.obtained_at, i.id";

/* ---- links ---- */

static const char SQL_MIS_LINK_INSERT[] =
    "INSERT INTO missing_link (episode_id, other_episode_id, reason, note, created_by,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (episode_id, other_episode_id) DO NOTHING";

static const char SQL_MIS_LINKS[] =
    "SELECT l.other_episode_id, e.reference, l.reason, l.note, e.person_id, p.given_name,"
    " p.family_name, e.status FROM missing_link l JOIN missing_episode e"
    " ON e.id = l.other_episode_id JOIN person p ON p.id = e.person_id"
    " WHERE l.episode_id = ? ORDER BY l.id";

static const char SQL_MIS_BY_REFERENCE[] = "SELECT id FROM missing_episode WHERE reference = ?";

/* ---- Philomena profiles ---- */

static const char SQL_MIS_PROFILE_GET[] =
    "SELECT description, photo_ref, contacts, places_frequented, carer, carer_contact, version,"
    " updated_at FROM philomena_profile WHERE person_id = ?";

static const char SQL_MIS_PROFILE_INSERT[] =
    "INSERT INTO philomena_profile (person_id, description, photo_ref, contacts,"
    " places_frequented, carer, carer_contact, updated_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_MIS_PROFILE_UPDATE[] =
    "UPDATE philomena_profile SET description = ?, photo_ref = ?, contacts = ?,"
    " places_frequented = ?, carer = ?, carer_contact = ?, updated_by = ?, updated_at = ?,"
    " version = version + 1 WHERE person_id = ? AND version = ?";

/* ---- measures: an episode's area is its officer in charge's, else its
 * recorder's (as for incidents). ?3 NULL: the whole force. ---- */

#define MIS_AREA_MATCHES                                                                           \
    " (?3 IS NULL OR COALESCE((SELECT u.area FROM app_user u WHERE u.id = e.officer_id),"          \
    " (SELECT u.area FROM app_user u WHERE u.id = e.created_by)) = ?3)"

/* Reviews done in [?1, ?2): at and the deadline they answered. */
static const char SQL_MIS_M_REVIEWS_DONE[] =
    "SELECT COALESCE(SUM(CASE WHEN r.at <= r.due_at THEN 1 ELSE 0 END), 0), COUNT(*)"
    " FROM missing_review r JOIN missing_episode e ON e.id = r.episode_id"
    " WHERE r.at >= ?1 AND r.at < ?2 AND" MIS_AREA_MATCHES;

/* Reviews that fell due in [?1, ?2), before ?4 (now), and are still not done. */
static const char SQL_MIS_M_REVIEWS_OVERDUE[] =
    "SELECT COUNT(*) FROM task t JOIN missing_episode e ON e.id = t.record_id"
    " WHERE t.record_type = 'missing_episode' AND t.rule LIKE 'missing.review_%'"
    " AND t.status = 'open' AND t.due_at >= ?1 AND t.due_at < ?2 AND t.due_at < ?4 "
    "AND" MIS_AREA_MATCHES;

/* Episodes reported in [?1, ?2): risk, reported_at, first_action_at. */
static const char SQL_MIS_M_FIRST_ACTION[] =
    "SELECT e.risk, e.reported_at, e.first_action_at FROM missing_episode e"
    " WHERE e.reported_at >= ?1 AND e.reported_at < ?2 AND" MIS_AREA_MATCHES;

/* Children returned in [?1, ?2): returned_at, outcome and when. */
static const char SQL_MIS_M_RHI[] =
    "SELECT e.returned_at, e.rhi_outcome, e.rhi_outcome_at FROM missing_episode e"
    " WHERE e.is_child = 1 AND e.returned_at >= ?1 AND e.returned_at < ?2 AND" MIS_AREA_MATCHES;

/* Children reported missing in [?1, ?2), and those of them whose episode
 * made them repeat missing (repeat_count at or over ?4). */
static const char SQL_MIS_M_REPEAT[] =
    "SELECT COUNT(DISTINCT CASE WHEN e.repeat_count >= ?4 THEN e.person_id END),"
    " COUNT(DISTINCT e.person_id) FROM missing_episode e"
    " WHERE e.is_child = 1 AND e.reported_at >= ?1 AND e.reported_at < ?2 AND" MIS_AREA_MATCHES;

/* Exploitation indicators recorded in [?1, ?2): when, and when referred. */
static const char SQL_MIS_M_EXPLOITATION[] =
    "SELECT e.exploitation_recorded_at, e.referral_recorded_at FROM missing_episode e"
    " WHERE e.exploitation_recorded_at >= ?1 AND e.exploitation_recorded_at < ?2"
    " AND (e.exploitation_cse = 1 OR e.exploitation_cce = 1) AND" MIS_AREA_MATCHES;

#endif
