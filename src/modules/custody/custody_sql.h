/*
 * custody_sql.h — every SQL statement of the children in custody area, each
 * named and parameter-bound. Included by custody.c, custody_actions.c and
 * custody_measures.c only (custody_internal.h shares the helpers).
 */
#ifndef SG_CUSTODY_SQL_H
#define SG_CUSTODY_SQL_H

/* ---- records ---- */

/* The next sequence number in a year's references ("CU-2026-%"), under the
 * write lock every write route holds. */
static const char SQL_CU_NEXT_SEQ[] =
    "SELECT COUNT(*) + 1 FROM custody_record WHERE reference LIKE ?";

static const char SQL_CU_INSERT[] =
    "INSERT INTO custody_record (reference, person_id, arrived_at, suite, grounds,"
    " local_authority, stated_age, apparent_age, treated_as_child, cell_used, cell_reason,"
    " accommodation_at, team, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* The columns in the order of record_columns[] (custody.c), then what the
 * rules read: the last review, the last visit, whether a linked referral was
 * sent (and when first). */
static const char SQL_CU_GET[] =
    "SELECT c.id, c.reference, c.person_id, c.arrived_at, c.suite, c.grounds,"
    " c.local_authority, c.stated_age, c.apparent_age, c.treated_as_child, c.cell_used,"
    " c.cell_reason, c.accommodation_at, c.responsible_adult, c.responsible_adult_at,"
    " c.aa_requested_at, c.aa_source, c.aa_name, c.aa_role, c.aa_arrived_at, c.aa_delay_cause,"
    " c.aa_delay_reason, c.health, c.vulnerability, c.exploitation_concern, c.welfare_concern,"
    " c.concern_detail, c.welfare_at, c.concern_at, c.legal_advice, c.legal_advice_detail,"
    " c.legal_advice_at, c.outcome, c.outcome_at, c.charged_at, c.transfer_requested_at,"
    " c.transfer_accommodation, c.transfer_la, c.transfer_contact, c.la_answer, c.la_answer_at,"
    " c.la_answer_detail, c.transferred_at, c.certificate_reason, c.certificate_detail,"
    " c.certified_at, uc.display_name, c.released_at, c.released_to, c.status, c.team,"
    " c.version, c.created_by, uo.display_name, c.created_at, c.updated_at,"
    " (SELECT MAX(r.at) FROM custody_review r WHERE r.record_id = c.id),"
    " (SELECT COUNT(*) FROM custody_review r WHERE r.record_id = c.id),"
    " (SELECT MAX(v.at) FROM custody_visit v WHERE v.record_id = c.id),"
    " (SELECT MIN(f.sent_at) FROM custody_referral l JOIN referral f ON f.id = l.referral_id"
    "  WHERE l.record_id = c.id AND f.sent_at IS NOT NULL)"
    " FROM custody_record c LEFT JOIN app_user uc ON uc.id = c.certified_by"
    " LEFT JOIN app_user uo ON uo.id = c.created_by WHERE c.id = ?";

static const char SQL_CU_TOUCH[] =
    "UPDATE custody_record SET version = version + 1, updated_at = ? WHERE id = ?";

static const char SQL_CU_AGE[] = "UPDATE custody_record SET treated_as_child = ? WHERE id = ?";

static const char SQL_CU_ACCOMMODATION[] =
    "UPDATE custody_record SET cell_used = ?, cell_reason = ?, accommodation_at = ? WHERE id = ?";

static const char SQL_CU_RESPONSIBLE[] =
    "UPDATE custody_record SET responsible_adult = ?, responsible_adult_at = ? WHERE id = ?";

static const char SQL_CU_AA_REQUEST[] =
    "UPDATE custody_record SET aa_requested_at = ?, aa_source = ?, aa_name = ?, aa_role = ?"
    " WHERE id = ?";

static const char SQL_CU_AA_ARRIVAL[] =
    "UPDATE custody_record SET aa_arrived_at = ?, aa_delay_cause = ?, aa_delay_reason = ?"
    " WHERE id = ?";

/* Needs; the first concern's time is kept (the referral clock runs from it). */
static const char SQL_CU_WELFARE[] =
    "UPDATE custody_record SET health = ?, vulnerability = ?, exploitation_concern = ?,"
    " welfare_concern = ?, concern_detail = ?, welfare_at = ?,"
    " concern_at = COALESCE(concern_at, ?) WHERE id = ?";

static const char SQL_CU_LEGAL[] =
    "UPDATE custody_record SET legal_advice = ?, legal_advice_detail = ?, legal_advice_at = ?"
    " WHERE id = ?";

static const char SQL_CU_OUTCOME[] =
    "UPDATE custody_record SET outcome = ?, outcome_at = ?, charged_at = ? WHERE id = ?";

static const char SQL_CU_TRANSFER_REQUEST[] =
    "UPDATE custody_record SET transfer_requested_at = ?, transfer_accommodation = ?,"
    " transfer_la = ?, transfer_contact = ? WHERE id = ?";

static const char SQL_CU_LA_ANSWER[] =
    "UPDATE custody_record SET la_answer = ?, la_answer_at = ?, la_answer_detail = ? WHERE id = ?";

static const char SQL_CU_TRANSFERRED[] =
    "UPDATE custody_record SET transferred_at = ? WHERE id = ?";

static const char SQL_CU_CERTIFY[] =
    "UPDATE custody_record SET certificate_reason = ?, certificate_detail = ?, certified_at = ?,"
    " certified_by = ? WHERE id = ?";

static const char SQL_CU_RELEASE[] =
    "UPDATE custody_record SET status = 'released', released_at = ?, released_to = ? WHERE id = ?";

/* ---- the appended rows ---- */

static const char SQL_CU_EVENT_INSERT[] =
    "INSERT INTO custody_event (record_id, at, kind, text, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";

static const char SQL_CU_EVENTS[] =
    "SELECT e.id, e.at, e.kind, e.text, u.display_name, e.recorded_at FROM custody_event e"
    " LEFT JOIN app_user u ON u.id = e.user_id WHERE e.record_id = ? ORDER BY e.at, e.id";

static const char SQL_CU_AGE_INSERT[] =
    "INSERT INTO custody_age_event (record_id, at, kind, stated_age, apparent_age, verified_age,"
    " basis, detail, treated_as_child, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_CU_AGE_EVENTS[] =
    "SELECT a.at, a.kind, a.stated_age, a.apparent_age, a.verified_age, a.basis, a.detail,"
    " a.treated_as_child, u.display_name FROM custody_age_event a"
    " LEFT JOIN app_user u ON u.id = a.user_id WHERE a.record_id = ? ORDER BY a.id";

static const char SQL_CU_REVIEW_INSERT[] =
    "INSERT INTO custody_review (record_id, at, decision, note, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";

static const char SQL_CU_REVIEWS[] =
    "SELECT r.at, r.decision, r.note, u.display_name FROM custody_review r"
    " LEFT JOIN app_user u ON u.id = r.user_id WHERE r.record_id = ? ORDER BY r.at, r.id";

static const char SQL_CU_VISIT_INSERT[] =
    "INSERT INTO custody_visit (record_id, at, condition, user_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?)";

static const char SQL_CU_VISITS[] =
    "SELECT v.at, v.condition, u.display_name FROM custody_visit v"
    " LEFT JOIN app_user u ON u.id = v.user_id WHERE v.record_id = ? ORDER BY v.at, v.id";

static const char SQL_CU_INTERVIEW_INSERT[] =
    "INSERT INTO custody_interview (record_id, at, aa_present, urgent, urgent_reason, note,"
    " user_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const char SQL_CU_INTERVIEWS[] =
    "SELECT i.at, i.aa_present, i.urgent, i.urgent_reason, i.note, u.display_name"
    " FROM custody_interview i LEFT JOIN app_user u ON u.id = i.user_id"
    " WHERE i.record_id = ? ORDER BY i.at, i.id";

/* One voice record per custody record: recorded again, it is replaced. */
static const char SQL_CU_VOICE_UPSERT[] =
    "INSERT INTO custody_voice (record_id, seen, seen_alone, spoken_to, words, views_wishes,"
    " behaviour, demeanour, not_spoken_reason, not_spoken_detail, recorded_by, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET"
    " seen = excluded.seen, seen_alone = excluded.seen_alone, spoken_to = excluded.spoken_to,"
    " words = excluded.words, views_wishes = excluded.views_wishes,"
    " behaviour = excluded.behaviour, demeanour = excluded.demeanour,"
    " not_spoken_reason = excluded.not_spoken_reason,"
    " not_spoken_detail = excluded.not_spoken_detail, recorded_by = excluded.recorded_by,"
    " recorded_at = excluded.recorded_at";

static const char SQL_CU_VOICE_GET[] =
    "SELECT v.seen, v.seen_alone, v.spoken_to, v.words, v.views_wishes, v.behaviour,"
    " v.demeanour, v.not_spoken_reason, v.not_spoken_detail, v.recorded_at, u.display_name"
    " FROM custody_voice v LEFT JOIN app_user u ON u.id = v.recorded_by WHERE v.record_id = ?";

/* ---- what a record is built from ---- */

static const char SQL_CU_PERSON[] =
    "SELECT p.given_name, p.family_name, p.dob FROM person p WHERE p.id = ?";

/* The child's record still in custody, if any. */
static const char SQL_CU_OPEN_FOR_PERSON[] =
    "SELECT reference FROM custody_record WHERE person_id = ? AND status = 'in_custody'";

/* The board: ?1 "in_custody", "released" or "all"; the earliest arrival
 * first while in custody. */
static const char SQL_CU_LIST[] =
    "SELECT c.id, c.reference, c.person_id, p.given_name, p.family_name, c.status,"
    " c.arrived_at, c.suite, c.treated_as_child, c.aa_requested_at, c.aa_arrived_at,"
    " c.outcome, c.charged_at, c.released_at, c.local_authority,"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'custody_record'"
    "  AND t.record_id = c.id AND t.status = 'open')"
    " FROM custody_record c JOIN person p ON p.id = c.person_id"
    " WHERE ?1 = 'all' OR c.status = ?1"
    " ORDER BY c.status = 'released', c.arrived_at, c.id LIMIT 500";

/* ---- referrals ---- */

static const char SQL_CU_REFERRAL_LINK[] =
    "INSERT INTO custody_referral (record_id, referral_id, created_at) VALUES (?, ?, ?)";

static const char SQL_CU_REFERRALS[] =
    "SELECT r.id, r.reference, r.status, r.sent_at, l.created_at FROM custody_referral l"
    " JOIN referral r ON r.id = l.referral_id WHERE l.record_id = ? ORDER BY l.id";

static const char SQL_CU_BY_REFERRAL[] =
    "SELECT record_id FROM custody_referral WHERE referral_id = ? ORDER BY record_id";

/* ---- measures (custody_measures.c). Area: the recorder's. ?3 NULL: the
 * whole force. ---- */

#define CU_AREA_MATCHES                                                                            \
    " (?3 IS NULL OR (SELECT u.area FROM app_user u WHERE u.id = c.created_by) = ?3)"

/* Appropriate adults requested in [?1, ?2): requested, arrived. */
static const char SQL_CU_M_AA[] =
    "SELECT c.aa_requested_at, c.aa_arrived_at FROM custody_record c"
    " WHERE c.aa_requested_at >= ?1 AND c.aa_requested_at < ?2 AND" CU_AREA_MATCHES;

/* Children charged and refused bail in [?1, ?2): charged, released (or
 * transferred), transfer requested, transferred. */
static const char SQL_CU_M_CHARGED[] =
    "SELECT c.charged_at, c.released_at, c.transfer_requested_at, c.transferred_at"
    " FROM custody_record c WHERE c.outcome = 'charged_refused_bail' AND c.treated_as_child = 1"
    " AND c.charged_at >= ?1 AND c.charged_at < ?2 AND" CU_AREA_MATCHES;

/* Concerns recorded in [?1, ?2): when, and the first linked referral sent. */
static const char SQL_CU_M_REFERRED[] =
    "SELECT c.concern_at, (SELECT MIN(f.sent_at) FROM custody_referral l JOIN referral f"
    "  ON f.id = l.referral_id WHERE l.record_id = c.id AND f.sent_at IS NOT NULL)"
    " FROM custody_record c WHERE c.concern_at >= ?1 AND c.concern_at < ?2 AND" CU_AREA_MATCHES;

/* Children booked in during [?1, ?2) with what the breakdown counts, by
 * local authority (the one asked for a transfer, else the child's). */
static const char SQL_CU_M_BY_LA[] =
    "SELECT COALESCE(c.transfer_la, c.local_authority, 'Not recorded') AS la,"
    " c.aa_requested_at, c.aa_arrived_at, c.aa_delay_cause, c.outcome, c.charged_at,"
    " c.transfer_requested_at, c.transferred_at, c.la_answer, c.certificate_reason,"
    " c.released_at, c.concern_at,"
    " (SELECT MIN(f.sent_at) FROM custody_referral l JOIN referral f ON f.id = l.referral_id"
    "  WHERE l.record_id = c.id AND f.sent_at IS NOT NULL), c.treated_as_child"
    " FROM custody_record c WHERE c.arrived_at >= ?1 AND c.arrived_at < ?2"
    " ORDER BY la, c.id";

#endif
