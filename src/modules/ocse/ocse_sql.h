/*
 * ocse_sql.h — every SQL statement of the online referrals area, each named
 * and parameter-bound. Included by src/modules/ocse files only.
 */
#ifndef SG_OCSE_SQL_H
#define SG_OCSE_SQL_H

static const char SQL_OC_NEXT_SEQ[] =
    "SELECT COUNT(*) + 1 FROM online_referral WHERE reference LIKE ?";
static const char SQL_OC_DUPLICATE[] =
    "SELECT reference FROM online_referral WHERE source = ? AND source_reference = ?";
static const char SQL_OC_INSERT[] =
    "INSERT INTO online_referral (reference, source, source_reference, received_at, platform,"
    " content_category, summary, enquiries, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_OC_IDENTIFIER_ADD[] =
    "INSERT INTO online_identifier (referral_id, kind, value, seen_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (referral_id, kind, value, seen_at) DO NOTHING";

/* The columns in the order of oc_columns[] (ocse.c). */
static const char SQL_OC_GET[] =
    "SELECT id, reference, source, source_reference, received_at, platform, content_category,"
    " summary, enquiries, status, suspect_person_id, identified_at, contact_offending,"
    " escalation, previous_convictions, role_with_children, assessed_at, score, band, reasons,"
    " children_at_home, action, actioned_at, action_note, investigation_id, safeguarded_at,"
    " outcome, closed_at, version, created_at, updated_at FROM online_referral WHERE id = ?";
static const char SQL_OC_TOUCH[] =
    "UPDATE online_referral SET version = version + 1, updated_at = ? WHERE id = ?";
static const char SQL_OC_SCORE[] =
    "UPDATE online_referral SET score = ?, band = ?, reasons = ?, children_at_home = ?"
    " WHERE id = ?";
static const char SQL_OC_FACTORS[] =
    "UPDATE online_referral SET contact_offending = ?, escalation = ?, previous_convictions = ?,"
    " role_with_children = ?, assessed_at = COALESCE(assessed_at, ?) WHERE id = ?";
static const char SQL_OC_RESOLVE[] =
    "UPDATE online_referral SET suspect_person_id = ?, status = 'identified',"
    " identified_at = COALESCE(identified_at, ?) WHERE id = ?";
static const char SQL_OC_ESCALATED[] =
    "UPDATE online_referral SET investigation_id = ?, safeguarded_at = ? WHERE id = ?";
static const char SQL_OC_ACTION[] =
    "UPDATE online_referral SET status = 'actioned', action = ?, actioned_at = ?, action_note = ?"
    " WHERE id = ?";
static const char SQL_OC_CLOSE[] =
    "UPDATE online_referral SET status = 'closed', outcome = ?, closed_at = ? WHERE id = ?";

static const char SQL_OC_IDENTIFIERS[] =
    "SELECT kind, value, seen_at FROM online_identifier WHERE referral_id = ? ORDER BY kind, value";
/* Other referrals with one of this referral's identifiers. */
static const char SQL_OC_SAME_IDENTIFIER[] =
    "SELECT DISTINCT o.id, o.reference, o.suspect_person_id, x.kind, x.value"
    " FROM online_identifier x JOIN online_identifier y ON y.kind = x.kind AND y.value = x.value"
    " JOIN online_referral o ON o.id = y.referral_id"
    " WHERE x.referral_id = ?1 AND y.referral_id <> ?1 ORDER BY o.id LIMIT 50";
/* People an identifier of this referral is already tied to. */
static const char SQL_OC_KNOWN_PEOPLE[] =
    "SELECT DISTINCT pi.person_id, pi.kind, pi.value FROM online_identifier x"
    " JOIN person_identifier pi ON pi.kind = x.kind AND pi.value = x.value"
    " WHERE x.referral_id = ? ORDER BY pi.person_id LIMIT 50";
/* People living at one of this referral's postcodes now (?2 today). */
static const char SQL_OC_POSTCODE_PEOPLE[] =
    "SELECT DISTINCT a.person_id, x.value FROM online_identifier x JOIN person_address a"
    " ON upper(replace(a.postcode, ' ', '')) = x.value AND (a.valid_to IS NULL OR a.valid_to >= ?2)"
    " WHERE x.referral_id = ?1 AND x.kind = 'postcode' ORDER BY a.person_id LIMIT 20";
static const char SQL_OC_LEARN[] =
    "INSERT INTO person_identifier (person_id, kind, value, learned_from, learned_at)"
    " SELECT ?1, kind, value, ?2, ?3 FROM online_identifier WHERE referral_id = ?2 AND kind <> 'ip'"
    " AND kind <> 'postcode' ON CONFLICT (kind, value, person_id) DO NOTHING";

/* Children living with the person now: the same current address (line and
 * postcode, compared without case or spaces); ?2 today. */
static const char SQL_OC_HOUSEHOLD[] =
    "SELECT DISTINCT p.id, p.given_name, p.family_name, p.dob FROM person_address s"
    " JOIN person_address a ON lower(a.line1) = lower(s.line1)"
    "  AND upper(replace(a.postcode, ' ', '')) = upper(replace(s.postcode, ' ', ''))"
    " JOIN person p ON p.id = a.person_id"
    " WHERE s.person_id = ?1 AND a.person_id <> ?1"
    " AND (s.valid_to IS NULL OR s.valid_to >= ?2) AND (a.valid_to IS NULL OR a.valid_to >= ?2)"
    " AND p.dob IS NOT NULL ORDER BY p.id LIMIT 20";
static const char SQL_OC_PERSON[] = "SELECT given_name, family_name, dob FROM person WHERE id = ?";
static const char SQL_OC_RSO[] =
    "SELECT 1 FROM person_flag WHERE person_id = ?1 AND flag = 'registered_sex_offender'"
    " AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to >= ?2)";

static const char SQL_OC_LIST[] =
    "SELECT o.id, o.reference, o.source, o.received_at, o.platform, o.content_category,"
    " o.status, o.score, o.band, o.reasons, o.suspect_person_id, o.children_at_home,"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'online_referral'"
    "  AND t.record_id = o.id AND t.status = 'open' AND t.rule LIKE 'ocse.action_%'),"
    " o.source_reference"
    " FROM online_referral o WHERE o.status IN ('received', 'identified')"
    " ORDER BY CASE o.band WHEN 'very_high' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2"
    " ELSE 3 END, o.received_at, o.id LIMIT 1000";

/* What an escalation made, for the referral's page: the investigation's
 * reference and the safeguarding referrals linked to it. */
static const char SQL_OC_INVESTIGATION_REF[] = "SELECT reference FROM investigation WHERE id = ?";
static const char SQL_OC_SAFEGUARDING[] =
    "SELECT r.id, r.reference, r.person_id, r.status FROM investigation_link l"
    " JOIN referral r ON r.id = l.record_id"
    " WHERE l.investigation_id = ? AND l.record_type = 'referral' ORDER BY r.id";

static const char SQL_OC_EVENT_ADD[] =
    "INSERT INTO online_referral_event (referral_id, at, kind, text, user_id)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_OC_EVENTS[] =
    "SELECT e.at, e.kind, e.text, u.display_name FROM online_referral_event e"
    " LEFT JOIN app_user u ON u.id = e.user_id WHERE e.referral_id = ? ORDER BY e.id";

#endif
