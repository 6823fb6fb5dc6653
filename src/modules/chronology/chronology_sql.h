/*
 * chronology_sql.h — every SQL statement of the chronology: how each area's
 * records read as one child's timeline, the child's connections, the
 * children at risk now, and the risk summary's derived flags. Included by
 * chronology_sources.c and chronology.c only.
 *
 * Every area's sources live here, not in the area's own *_sql.h: those
 * headers hold file-static statements, and including one here would leave
 * most of them unused (-Wunused-const-variable under -Werror). An area joins
 * with its statements here and one row in a *.def table beside
 * chronology_sources.c (docs/chronology.md says how).
 *
 * Contracts (each a column shape every source of a kind returns):
 *
 *   Timeline source, bound ?1 = the child's person id:
 *     0 at (ISO-8601 timestamp, or a date), 1 kind (short code),
 *     2 summary (one line), 3 risk (the record's risk level, or NULL),
 *     4 record id (for the link), 5 reference (or NULL),
 *     6 the child's own words (or NULL)
 *   in the order the rows were recorded (ORDER BY the event id), which
 *   breaks ties between entries at the same moment: the later one first
 *   Connection source, bound ?1 = the child's person id:
 *     0 the other person's id, 1 how they are linked (words),
 *     2 since (timestamp or date), 3 record id (for the link), 4 reference
 *   Board source, unbound: one row per child in that state now:
 *     0 record id, 1 reference, 2 person id, 3 in this state since,
 *     4 risk level (or NULL), 5 officer responsible (or NULL),
 *     6 next deadline (or NULL), 7 what is due then (or NULL)
 *   Board version, unbound: one row, one text column that changes whenever
 *     the board source's rows could have (the live board polls it).
 *
 * Portable SQL: ?N placeholders, || concatenation, replace(), CASE, COALESCE
 * and scalar subqueries, all in PostgreSQL as written.
 */
#ifndef SG_CHRONOLOGY_SQL_H
#define SG_CHRONOLOGY_SQL_H

/* ---- timeline sources ---- */

/* The person record itself: created, and each safeguarding flag started
 * and ended (a child protection plan, looked after). */
static const char SQL_CHRON_PEOPLE[] =
    "SELECT created_at, 'record_created', 'Person record created', NULL, id, NULL, NULL"
    " FROM person WHERE id = ?1"
    " UNION ALL SELECT valid_from, 'flag_started', 'Flag started: ' || replace(flag, '_', ' ')"
    " || COALESCE(' (' || local_authority || ')', ''), NULL, person_id, NULL, NULL"
    " FROM person_flag WHERE person_id = ?1"
    " UNION ALL SELECT valid_to, 'flag_ended', 'Flag ended: ' || replace(flag, '_', ' ')"
    " || COALESCE(' (' || local_authority || ')', ''), NULL, person_id, NULL, NULL"
    " FROM person_flag WHERE person_id = ?1 AND valid_to IS NOT NULL";

/* Incidents the child is in (in any role, once each), with the grade as the
 * risk, and every THRIVE assessment of those incidents. */
static const char SQL_CHRON_INCIDENTS[] =
    "SELECT i.received_at, 'incident', replace(i.nature, '_', ' ') || ' at ' || i.location"
    " || ' (' || i.status || ')', i.grade, i.id, i.reference, NULL"
    " FROM incident i WHERE i.id IN (SELECT incident_id FROM incident_person WHERE person_id = ?1)"
    " UNION ALL SELECT t.assessed_at, 'thrive', 'THRIVE assessment: risk ' || t.risk"
    " || CASE WHEN t.child_immediate_risk = 1 THEN '; a child at immediate risk' ELSE '' END,"
    " CASE WHEN t.child_immediate_risk = 1 THEN 'immediate' ELSE NULL END, i.id, i.reference,"
    " NULL FROM thrive t JOIN incident i ON i.id = t.incident_id"
    " WHERE t.incident_id IN (SELECT incident_id FROM incident_person WHERE person_id = ?1)";

/* The voice of the child: seen, spoken to, and their own words verbatim
 * (else their views and wishes as recorded). */
static const char SQL_CHRON_VOICE[] =
    "SELECT v.recorded_at, 'voice', CASE WHEN v.spoken_to = 1 AND v.seen_alone = 1"
    " THEN 'Seen alone and spoken to' WHEN v.spoken_to = 1 THEN 'Seen and spoken to'"
    " WHEN v.seen = 1 THEN 'Seen, not spoken to: '"
    " || replace(COALESCE(v.not_spoken_reason, 'no reason recorded'), '_', ' ')"
    " ELSE 'Not seen: ' || replace(COALESCE(v.not_spoken_reason, 'no reason recorded'), '_', ' ')"
    " END, NULL, i.id, i.reference, COALESCE(v.words, v.views_wishes)"
    " FROM voice_of_child v JOIN incident i ON i.id = v.incident_id WHERE v.person_id = ?1";

/* Every event of the child's missing episodes: the report, actions,
 * sightings, reviews and risk changes (with the risk after), the return,
 * interviews, exploitation, referrals, links and closure. */
static const char SQL_CHRON_MISSING[] =
    "SELECT e.at, e.kind, e.text, e.risk, m.id, m.reference, NULL"
    " FROM missing_episode m JOIN missing_event e ON e.episode_id = m.id WHERE m.person_id = ?1"
    " ORDER BY e.id";

/* Every step of the referrals about the child, the urgency as the risk
 * when drafted and sent. */
static const char SQL_CHRON_REFERRALS[] =
    "SELECT e.at, e.kind, e.text, CASE WHEN e.kind IN ('drafted', 'sent') THEN r.urgency END,"
    " r.id, r.reference, NULL"
    " FROM referral r JOIN referral_event e ON e.referral_id = r.id WHERE r.person_id = ?1"
    " ORDER BY e.id";

/* Every event of the investigations that name the child (victim, suspect or
 * witness). */
static const char SQL_CHRON_INVESTIGATIONS[] =
    "SELECT e.at, e.kind, e.text, NULL, v.id, v.reference, NULL"
    " FROM investigation v JOIN investigation_event e ON e.investigation_id = v.id"
    " WHERE v.id IN (SELECT investigation_id FROM investigation_person WHERE person_id = ?1)"
    " ORDER BY e.id";

/* Online referrals where the child is the suspect, or a child at the
 * suspect's home (a safeguarding referral for the child was raised from the
 * investigation the online referral became), with the priority band. */
static const char SQL_CHRON_ONLINE[] =
    "SELECT o.received_at, 'online_referral', replace(o.content_category, '_', ' ') || ' on '"
    " || o.platform || ': the child is the suspect', o.band, o.id, o.reference, NULL"
    " FROM online_referral o WHERE o.suspect_person_id = ?1"
    " UNION ALL SELECT o.received_at, 'online_referral', replace(o.content_category, '_', ' ')"
    " || ' on ' || o.platform || ': the child lives with the suspect', o.band, o.id,"
    " o.reference, NULL FROM referral r"
    " JOIN investigation_link l ON l.record_type = 'referral' AND l.record_id = r.id"
    " JOIN online_referral o ON o.investigation_id = l.investigation_id"
    " WHERE r.person_id = ?1 AND (o.suspect_person_id IS NULL OR o.suspect_person_id <> ?1)";

/* Every step of the child's police protection cases. */
static const char SQL_CHRON_PROTECTION[] =
    "SELECT e.at, e.kind, e.text, NULL, c.id, c.reference, NULL"
    " FROM police_protection c JOIN protection_event e ON e.case_id = c.id WHERE c.person_id = ?1"
    " ORDER BY e.id";

/* Custody (DOMAIN.md R8): every step of the child's custody records, and the
 * child's own words from the custody voice record (in place of the timeline's
 * own "voice recorded" step, which carries no words). Charged and refused bail
 * is the record's risk: the child may be held overnight. */
static const char SQL_CHRON_CUSTODY[] =
    "SELECT e.at, e.kind, e.text, CASE WHEN c.outcome = 'charged_refused_bail'"
    " THEN 'charged, refused bail' END, c.id, c.reference, NULL"
    " FROM custody_record c JOIN custody_event e ON e.record_id = c.id WHERE c.person_id = ?1"
    " AND e.kind <> 'voice'"
    " UNION ALL SELECT v.recorded_at, 'voice', CASE WHEN v.spoken_to = 1"
    " THEN 'In custody: seen and spoken to' WHEN v.seen = 1 THEN 'In custody: seen, not spoken to: "
    "'"
    " || replace(COALESCE(v.not_spoken_reason, 'no reason recorded'), '_', ' ')"
    " ELSE 'In custody: not seen' END, NULL, c.id, c.reference, COALESCE(v.words, v.views_wishes)"
    " FROM custody_record c JOIN custody_voice v ON v.record_id = c.id WHERE c.person_id = ?1";

/* Offender management (DOMAIN.md R7): the child linked to a registered sex
 * offender (a household notification or the same address) and the
 * safeguarding action taken. */
static const char SQL_CHRON_OFFENDERS[] =
    "SELECT l.linked_at, 'offender_link', 'Linked to a registered sex offender: '"
    " || CASE l.source WHEN 'household_notification' THEN 'notified as living in the household'"
    " ELSE 'living at the same address' END, o.risk_level, o.id, o.reference, NULL"
    " FROM offender_child_link l JOIN offender o ON o.id = l.offender_id"
    " WHERE l.child_person_id = ?1"
    " UNION ALL SELECT l.actioned_at, 'offender_link_actioned', 'Safeguarding action: '"
    " || COALESCE(l.action_text, 'recorded'), NULL, o.id, o.reference, NULL"
    " FROM offender_child_link l JOIN offender o ON o.id = l.offender_id"
    " WHERE l.child_person_id = ?1 AND l.actioned_at IS NOT NULL";

/* The disclosure scheme (DOMAIN.md R7): every stage of applications about
 * the child. */
static const char SQL_CHRON_DISCLOSURE[] =
    "SELECT e.at, e.kind, e.text, NULL, a.id, a.reference, NULL FROM disclosure_child d"
    " JOIN disclosure_application a ON a.id = d.application_id"
    " JOIN disclosure_event e ON e.application_id = a.id WHERE d.person_id = ?1"
    " ORDER BY e.id";

/* A partner agency's view (?2 = its agency id): only the steps of referrals
 * about the child that were sent to that agency and concern that agency
 * (sent, opened, acknowledged, its decision) — never another agency's. */
static const char SQL_CHRON_PORTAL[] =
    "SELECT e.at, e.kind, e.text, CASE WHEN e.kind = 'sent' THEN r.urgency END, r.id,"
    " r.reference, NULL FROM referral r"
    " JOIN referral_recipient rr ON rr.referral_id = r.id AND rr.agency_id = ?2"
    " AND rr.sent_at IS NOT NULL"
    " JOIN referral_event e ON e.referral_id = r.id AND e.agency_id = ?2 WHERE r.person_id = ?1"
    " ORDER BY e.id";

/* ---- connection sources ---- */

/* The household named on referrals about the child. */
static const char SQL_CONN_HOUSEHOLD[] =
    "SELECT m.person_id, 'household member (' || replace(m.relationship, '_', ' ') || ')',"
    " r.created_at, r.id, r.reference FROM referral r"
    " JOIN referral_member m ON m.referral_id = r.id WHERE r.person_id = ?1 AND m.person_id <> ?1";

/* Referrals about another child that name this child in the household. */
static const char SQL_CONN_NAMED_IN[] =
    "SELECT r.person_id, 'named with them in a referral household', r.created_at, r.id,"
    " r.reference FROM referral_member m JOIN referral r ON r.id = m.referral_id"
    " WHERE m.person_id = ?1 AND r.person_id <> ?1";

/* Everyone else in the child's incidents, with their role there. */
static const char SQL_CONN_INCIDENTS[] =
    "SELECT o.person_id, replace(o.role, '_', ' ') || ' in an incident', i.received_at, i.id,"
    " i.reference FROM incident_person c JOIN incident i ON i.id = c.incident_id"
    " JOIN incident_person o ON o.incident_id = c.incident_id AND o.person_id <> ?1"
    " WHERE c.person_id = ?1";

/* Children missing with this child, or from the same home or placement. */
static const char SQL_CONN_MISSING[] =
    "SELECT o.person_id, 'missing episode link: ' || replace(l.reason, '_', ' '), l.created_at,"
    " m.id, m.reference FROM missing_episode m JOIN missing_link l ON l.episode_id = m.id"
    " JOIN missing_episode o ON o.id = l.other_episode_id"
    " WHERE m.person_id = ?1 AND o.person_id <> ?1";

/* Others named in the child's investigations (suspects, victims, witnesses). */
static const char SQL_CONN_INVESTIGATIONS[] =
    "SELECT o.person_id, replace(o.role, '_', ' ') || ' in an investigation', v.created_at, v.id,"
    " v.reference FROM investigation_person c JOIN investigation v ON v.id = c.investigation_id"
    " JOIN investigation_person o ON o.investigation_id = c.investigation_id"
    " AND o.person_id <> ?1 WHERE c.person_id = ?1";

/* The suspect of an online referral the child lives with. */
static const char SQL_CONN_ONLINE[] =
    "SELECT o.suspect_person_id, 'suspect in an online referral; the child lives with them',"
    " o.received_at, o.id, o.reference FROM referral r"
    " JOIN investigation_link l ON l.record_type = 'referral' AND l.record_id = r.id"
    " JOIN online_referral o ON o.investigation_id = l.investigation_id"
    " WHERE r.person_id = ?1 AND o.suspect_person_id IS NOT NULL AND o.suspect_person_id <> ?1";

/* People with a current address the same as one of the child's (the first
 * line and postcode match): since the later of the two moving in. */
static const char SQL_CONN_ADDRESS[] =
    "SELECT a.person_id, 'lives at the same address', CASE WHEN a.valid_from IS NULL"
    " THEN s.valid_from WHEN s.valid_from IS NULL OR a.valid_from > s.valid_from THEN a.valid_from"
    " ELSE s.valid_from END, a.person_id, a.line1 || COALESCE(', ' || a.postcode, '')"
    " FROM person_address s JOIN person_address a ON a.postcode = s.postcode"
    " AND lower(a.line1) = lower(s.line1) AND a.person_id <> ?1"
    " WHERE s.person_id = ?1 AND s.valid_to IS NULL AND a.valid_to IS NULL";

/* Registered sex offenders linked to the child: notified as living in the
 * household, or at the same address (offender management's own link). */
static const char SQL_CONN_OFFENDERS[] =
    "SELECT o.person_id, 'registered sex offender, ' || CASE l.source"
    " WHEN 'household_notification' THEN 'notified as living in the household'"
    " ELSE 'living at the same address' END, l.linked_at, o.id, o.reference"
    " FROM offender_child_link l JOIN offender o ON o.id = l.offender_id"
    " WHERE l.child_person_id = ?1";

/* The person a connection names. */
static const char SQL_CONN_PERSON[] =
    "SELECT given_name, family_name, dob FROM person WHERE id = ?";

/* ---- the children at risk now (board sources and their versions) ---- */

/* Children missing now: the officer in charge, and the open task due first. */
static const char SQL_BOARD_MISSING[] =
    "SELECT m.id, m.reference, m.person_id, m.reported_at, m.risk, u.display_name,"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'missing_episode'"
    "  AND t.record_id = m.id AND t.status = 'open'),"
    " (SELECT t.title FROM task t WHERE t.record_type = 'missing_episode' AND t.record_id = m.id"
    "  AND t.status = 'open' ORDER BY t.due_at, t.id LIMIT 1)"
    " FROM missing_episode m LEFT JOIN app_user u ON u.id = m.officer_id"
    " WHERE m.status = 'missing' AND m.is_child = 1";

static const char SQL_BOARD_MISSING_VERSION[] =
    "SELECT COALESCE((SELECT MAX(updated_at) FROM missing_episode), '') || '/'"
    " || COALESCE((SELECT MAX(id) FROM missing_episode), 0)";

/* Children in police protection now: the designated officer, else the
 * officer who used the power; the open task due first (the 72-hour expiry is
 * one). The power itself is the risk: there is no graded level. */
static const char SQL_BOARD_PROTECTION[] =
    "SELECT c.id, c.reference, c.person_id, c.initiated_at, NULL,"
    " COALESCE(ud.display_name, ui.display_name),"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'police_protection'"
    "  AND t.record_id = c.id AND t.status = 'open'),"
    " (SELECT t.title FROM task t WHERE t.record_type = 'police_protection'"
    "  AND t.record_id = c.id AND t.status = 'open' ORDER BY t.due_at, t.id LIMIT 1)"
    " FROM police_protection c JOIN app_user ui ON ui.id = c.initiating_officer_id"
    " LEFT JOIN app_user ud ON ud.id = c.designated_officer_id WHERE c.status = 'in_protection'";

static const char SQL_BOARD_PROTECTION_VERSION[] =
    "SELECT COALESCE((SELECT MAX(updated_at) FROM police_protection), '') || '/'"
    " || COALESCE((SELECT MAX(id) FROM police_protection), 0)";

/* Children in custody now (treated as children: the age-dispute rule): the
 * officer who booked them in, and the open task due first. */
static const char SQL_BOARD_CUSTODY[] =
    "SELECT c.id, c.reference, c.person_id, c.arrived_at, CASE WHEN c.outcome ="
    " 'charged_refused_bail' THEN 'charged, refused bail' END, u.display_name,"
    " (SELECT MIN(t.due_at) FROM task t WHERE t.record_type = 'custody_record'"
    "  AND t.record_id = c.id AND t.status = 'open'),"
    " (SELECT t.title FROM task t WHERE t.record_type = 'custody_record' AND t.record_id = c.id"
    "  AND t.status = 'open' ORDER BY t.due_at, t.id LIMIT 1)"
    " FROM custody_record c LEFT JOIN app_user u ON u.id = c.created_by"
    " WHERE c.status = 'in_custody' AND c.treated_as_child = 1";

static const char SQL_BOARD_CUSTODY_VERSION[] =
    "SELECT COALESCE((SELECT MAX(updated_at) FROM custody_record), '') || '/'"
    " || COALESCE((SELECT MAX(id) FROM custody_record), 0)";

/* The child's name and date of birth for a board row. */
static const char SQL_BOARD_PERSON[] =
    "SELECT given_name, family_name, dob FROM person WHERE id = ?";

/* ---- the child and the risk summary ---- */

static const char SQL_CHRON_PERSON[] =
    "SELECT given_name, family_name, dob FROM person WHERE id = ?";

/* Flags in force today (?2): a child protection plan, looked after, ... */
static const char SQL_CHRON_FLAGS[] =
    "SELECT flag, valid_from, local_authority FROM person_flag WHERE person_id = ?1"
    " AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to >= ?2) ORDER BY flag";

/* Investigations naming the child that are not closed. */
static const char SQL_CHRON_OPEN_INVESTIGATIONS[] =
    "SELECT v.id, v.reference, v.category, v.status, c.role FROM investigation_person c"
    " JOIN investigation v ON v.id = c.investigation_id"
    " WHERE c.person_id = ?1 AND v.status <> 'closed' ORDER BY v.id";

/* Exploitation indicators from the records: a missing episode's CSE/CCE
 * indicators, an investigation's exploitation category, a referral's
 * exploitation concern. Columns: area, what, when, record id, reference. */
static const char SQL_CHRON_EXPLOITATION_MISSING[] =
    "SELECT 'missing', CASE WHEN exploitation_cse = 1 AND exploitation_cce = 1"
    " THEN 'child sexual and criminal exploitation' WHEN exploitation_cse = 1"
    " THEN 'child sexual exploitation' ELSE 'child criminal exploitation' END,"
    " COALESCE(exploitation_recorded_at, reported_at), id, reference FROM missing_episode"
    " WHERE person_id = ?1 AND (exploitation_cse = 1 OR exploitation_cce = 1)";
static const char SQL_CHRON_EXPLOITATION_INVESTIGATIONS[] =
    "SELECT 'investigations', replace(v.category, '_', ' '), v.created_at, v.id, v.reference"
    " FROM investigation_person c JOIN investigation v ON v.id = c.investigation_id"
    " WHERE c.person_id = ?1 AND v.category IN ('child_sexual_exploitation',"
    " 'child_criminal_exploitation', 'online_sexual_exploitation')";
static const char SQL_CHRON_EXPLOITATION_REFERRALS[] =
    "SELECT 'referrals', replace(k.category, '_', ' '), r.concern_at, r.id, r.reference"
    " FROM referral r JOIN referral_category k ON k.referral_id = r.id WHERE r.person_id = ?1"
    " AND r.status <> 'cancelled' AND k.category IN ('child_sexual_exploitation',"
    " 'child_criminal_exploitation')";

/* The child's open tasks, soonest due first. */
static const char SQL_CHRON_TASKS[] =
    "SELECT t.id, t.rule, t.title, t.due_at, t.record_type, t.record_id, u.display_name,"
    " t.owner_team, t.owner_role FROM task t LEFT JOIN app_user u ON u.id = t.owner_user_id"
    " WHERE t.person_id = ?1 AND t.status = 'open' ORDER BY t.due_at, t.id";

/* The partner user's agency. */
static const char SQL_CHRON_AGENCY[] = "SELECT id FROM agency WHERE name = ?";

#endif
