/*
 * referrals_sql.h — every SQL statement of the referrals area, each named
 * and parameter-bound. Included by the files of src/modules/referrals only.
 */
#ifndef SG_REFERRALS_SQL_H
#define SG_REFERRALS_SQL_H

/* ---- agencies ---- */

static const char SQL_AG_LIST[] =
    "SELECT id, name, kind, local_authority, contact_email, contact_phone, on_portal, active,"
    " version FROM agency WHERE (?1 = 0 OR active = 1) ORDER BY name";

static const char SQL_AG_GET[] =
    "SELECT id, name, kind, local_authority, contact_email, contact_phone, on_portal, active,"
    " version FROM agency WHERE id = ?";

static const char SQL_AG_BY_NAME[] = "SELECT id FROM agency WHERE name = ? AND active = 1";

static const char SQL_AG_INSERT[] =
    "INSERT INTO agency (name, kind, local_authority, contact_email, contact_phone, on_portal,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char SQL_AG_UPDATE[] =
    "UPDATE agency SET name = ?, kind = ?, local_authority = ?, contact_email = ?,"
    " contact_phone = ?, on_portal = ?, active = ?, version = version + 1, updated_at = ?"
    " WHERE id = ? AND version = ?";

/* ---- referrals ---- */

static const char SQL_REF_NEXT_SEQ[] = "SELECT COUNT(*) + 1 FROM referral WHERE reference LIKE ?";

static const char SQL_REF_INSERT[] =
    "INSERT INTO referral (reference, person_id, source_type, source_id, source_reference,"
    " concern_at, summary, child_voice, risk_view, consent, consent_reason, urgency,"
    " mandatory_reason, team, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* The columns in the order of ref_columns[] (referrals.c). */
static const char SQL_REF_GET[] =
    "SELECT r.id, r.reference, r.person_id, r.source_type, r.source_id, r.source_reference,"
    " r.concern_at, r.summary, r.child_voice, r.risk_view, r.consent, r.consent_reason,"
    " r.urgency, r.status, r.mandatory_reason, r.submitted_at, r.returned_count,"
    " r.return_reason, r.reviewed_at, r.sent_at, r.cancelled_reason, r.team, r.version,"
    " r.created_by, r.created_at, r.updated_at,"
    " EXISTS (SELECT 1 FROM referral_recipient x WHERE x.referral_id = r.id"
    "  AND x.sent_at IS NOT NULL AND x.acknowledged_at IS NULL),"
    " EXISTS (SELECT 1 FROM referral_recipient x JOIN agency a ON a.id = x.agency_id"
    "  WHERE x.referral_id = r.id AND a.kind = 'school'),"
    " EXISTS (SELECT 1 FROM referral_category c WHERE c.referral_id = r.id"
    "  AND c.category = 'domestic_abuse')"
    " FROM referral r WHERE r.id = ?";

static const char SQL_REF_TOUCH[] =
    "UPDATE referral SET version = version + 1, updated_at = ? WHERE id = ?";

static const char SQL_REF_UPDATE[] =
    "UPDATE referral SET summary = ?, child_voice = ?, risk_view = ?, consent = ?,"
    " consent_reason = ?, urgency = ? WHERE id = ?";

static const char SQL_REF_SET_STATUS[] = "UPDATE referral SET status = ?2 WHERE id = ?1";

static const char SQL_REF_SUBMITTED[] =
    "UPDATE referral SET status = 'submitted', submitted_at = ? WHERE id = ?";

static const char SQL_REF_RETURNED[] =
    "UPDATE referral SET status = 'returned', return_reason = ?, returned_count ="
    " returned_count + 1, reviewed_at = ?, reviewed_by = ? WHERE id = ?";

static const char SQL_REF_APPROVED[] =
    "UPDATE referral SET reviewed_at = ?, reviewed_by = ? WHERE id = ?";

static const char SQL_REF_SENT[] =
    "UPDATE referral SET status = 'sent', sent_at = ?, sent_by = ? WHERE id = ?";

static const char SQL_REF_CANCEL[] =
    "UPDATE referral SET status = 'cancelled', cancelled_reason = ? WHERE id = ?";

/* A live referral for the same child and event (duplicate check). */
static const char SQL_REF_DUPLICATE[] =
    "SELECT reference FROM referral WHERE person_id = ? AND source_type = ? AND source_id = ?"
    " AND status <> 'cancelled'";

static const char SQL_REF_SENT_FOR[] =
    "SELECT COUNT(*) FROM referral WHERE source_type = ? AND source_id = ? AND status = 'sent'";

/* The list for police users: live first, newest first. ?1 status or NULL. */
static const char SQL_REF_LIST[] =
    "SELECT r.id, r.reference, r.person_id, p.given_name, p.family_name, r.status, r.urgency,"
    " r.concern_at, r.sent_at, r.source_type, r.source_reference, r.mandatory_reason,"
    " (SELECT COUNT(*) FROM referral_recipient x WHERE x.referral_id = r.id),"
    " (SELECT COUNT(*) FROM referral_recipient x WHERE x.referral_id = r.id"
    "  AND x.acknowledged_at IS NOT NULL)"
    " FROM referral r JOIN person p ON p.id = r.person_id"
    " WHERE (?1 IS NULL OR r.status = ?1)"
    " ORDER BY CASE r.status WHEN 'submitted' THEN 0 WHEN 'returned' THEN 1 WHEN 'draft' THEN 2"
    " WHEN 'sent' THEN 3 ELSE 4 END, r.concern_at DESC, r.id DESC LIMIT 500";

/* ---- parts ---- */

static const char SQL_REF_CATEGORY_CLEAR[] = "DELETE FROM referral_category WHERE referral_id = ?";
static const char SQL_REF_CATEGORY_ADD[] =
    "INSERT INTO referral_category (referral_id, category) VALUES (?, ?)"
    " ON CONFLICT (referral_id, category) DO NOTHING";
static const char SQL_REF_CATEGORIES[] =
    "SELECT category FROM referral_category WHERE referral_id = ? ORDER BY category";

static const char SQL_REF_MEMBER_CLEAR[] = "DELETE FROM referral_member WHERE referral_id = ?";
static const char SQL_REF_MEMBER_ADD[] =
    "INSERT INTO referral_member (referral_id, person_id, relationship) VALUES (?, ?, ?)"
    " ON CONFLICT (referral_id, person_id) DO NOTHING";
static const char SQL_REF_MEMBERS[] =
    "SELECT m.person_id, p.given_name, p.family_name, p.dob, m.relationship"
    " FROM referral_member m JOIN person p ON p.id = m.person_id WHERE m.referral_id = ?"
    " ORDER BY m.person_id";

/* Recipients can change only before sending: unsent rows are replaced. */
static const char SQL_REF_RECIPIENT_CLEAR[] =
    "DELETE FROM referral_recipient WHERE referral_id = ? AND sent_at IS NULL";
static const char SQL_REF_RECIPIENT_ADD[] =
    "INSERT INTO referral_recipient (referral_id, agency_id) VALUES (?, ?)"
    " ON CONFLICT (referral_id, agency_id) DO NOTHING";
static const char SQL_REF_RECIPIENTS_SEND[] =
    "UPDATE referral_recipient SET sent_at = ? WHERE referral_id = ? AND sent_at IS NULL";
static const char SQL_REF_RECIPIENTS[] =
    "SELECT x.id, a.id, a.name, a.kind, a.on_portal, x.sent_at, x.opened_at, x.acknowledged_at,"
    " x.decision, x.decision_note, x.decision_at, a.local_authority"
    " FROM referral_recipient x JOIN agency a ON a.id = x.agency_id WHERE x.referral_id = ?"
    " ORDER BY a.name";

static const char SQL_REF_EVENT_ADD[] =
    "INSERT INTO referral_event (referral_id, at, kind, text, user_id, agency_id)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_REF_EVENTS[] =
    "SELECT e.at, e.kind, e.text, u.display_name, a.name FROM referral_event e"
    " LEFT JOIN app_user u ON u.id = e.user_id LEFT JOIN agency a ON a.id = e.agency_id"
    " WHERE e.referral_id = ? ORDER BY e.id";

/* ---- what a source gives a referral ---- */

static const char SQL_REF_PERSON[] = "SELECT given_name, family_name, dob FROM person WHERE id = ?";

static const char SQL_REF_INCIDENT[] =
    "SELECT reference, received_at, nature, description, location FROM incident WHERE id = ?";
/* The incident's people: id, role, child on the incident's date. */
static const char SQL_REF_INCIDENT_PEOPLE[] =
    "SELECT person_id, role, is_child FROM incident_person WHERE incident_id = ? ORDER BY id";
/* The child's own words and the officer's account of them. */
static const char SQL_REF_INCIDENT_VOICE[] =
    "SELECT words, views_wishes, demeanour, not_spoken_reason FROM voice_of_child"
    " WHERE incident_id = ? AND person_id = ?";

/* Domestic abuse with a child present: the nature and a child linked, or
 * the latest THRIVE's factor. */
static const char SQL_REF_INCIDENT_MANDATORY[] =
    "SELECT (i.nature = 'domestic_abuse' AND EXISTS (SELECT 1 FROM incident_person p"
    " WHERE p.incident_id = i.id AND p.is_child = 1))"
    " OR COALESCE((SELECT t.domestic_abuse_child_present FROM thrive t"
    " WHERE t.incident_id = i.id ORDER BY t.id DESC LIMIT 1), 0) = 1"
    " FROM incident i WHERE i.id = ?";

static const char SQL_REF_MISSING[] =
    "SELECT reference, person_id, returned_at, reported_at, circumstances, where_they_were,"
    " with_whom, exploitation_cse, exploitation_cce, exploitation_notes,"
    " exploitation_recorded_at, is_child FROM missing_episode WHERE id = ?";

/* ---- the portal: only what was sent to the user's agency ---- */

static const char SQL_PORTAL_LIST[] =
    "SELECT r.id, r.reference, p.given_name, p.family_name, p.dob, r.urgency, x.sent_at,"
    " x.opened_at, x.acknowledged_at, x.decision"
    " FROM referral_recipient x JOIN referral r ON r.id = x.referral_id"
    " JOIN person p ON p.id = r.person_id"
    " WHERE x.agency_id = ? AND x.sent_at IS NOT NULL"
    " ORDER BY CASE WHEN x.acknowledged_at IS NULL THEN 0 ELSE 1 END, x.sent_at DESC LIMIT 500";

/* The recipient row of referral ?1 for agency ?2, sent. */
static const char SQL_PORTAL_RECIPIENT[] =
    "SELECT x.id, x.opened_at, x.acknowledged_at, x.decision FROM referral_recipient x"
    " WHERE x.referral_id = ?1 AND x.agency_id = ?2 AND x.sent_at IS NOT NULL";

/* The agency's own delivery as it stands. */
static const char SQL_PORTAL_OWN[] =
    "SELECT acknowledged_at, decision, decision_note, decision_at FROM referral_recipient"
    " WHERE referral_id = ? AND agency_id = ?";

static const char SQL_PORTAL_OPENED[] =
    "UPDATE referral_recipient SET opened_at = ? WHERE id = ? AND opened_at IS NULL";
static const char SQL_PORTAL_ACK[] =
    "UPDATE referral_recipient SET acknowledged_at = ?, acknowledged_by = ?"
    " WHERE id = ? AND acknowledged_at IS NULL";
static const char SQL_PORTAL_DECIDE[] =
    "UPDATE referral_recipient SET decision = ?, decision_note = ?, decision_at = ?,"
    " decided_by = ?, acknowledged_at = COALESCE(acknowledged_at, ?),"
    " acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ?";

/* ---- the signed export (referrals_export.c) ---- */

/* The one key pair that signs exports (base64). */
static const char SQL_SIGNING_KEY_GET[] =
    "SELECT public_key, secret_key, created_at FROM signing_key WHERE id = 1";
/* Made on first use; a concurrent first use keeps the row already there. */
static const char SQL_SIGNING_KEY_ADD[] =
    "INSERT INTO signing_key (id, public_key, secret_key, created_at) VALUES (1, ?, ?, ?)"
    " ON CONFLICT (id) DO NOTHING";

#endif
