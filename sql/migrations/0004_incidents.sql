-- 0004_incidents.sql — the control room (DOMAIN.md R1, R2): incidents, the
-- people in them, THRIVE assessments, grading and its authorisation, the
-- incident log and the voice of each child.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The log, THRIVE and grade history are append-only, enforced by the
-- database as for audit_log.

CREATE TABLE incident (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "INC-2026-000123": year of receipt, sequence
    received_at TEXT NOT NULL,
    location TEXT NOT NULL,
    postcode TEXT,
    address_key TEXT NOT NULL,               -- lower(location) | postcode without spaces, for repeats
    nature TEXT NOT NULL CHECK (nature IN ('domestic_abuse', 'child_concern', 'missing_person',
                                           'assault', 'sexual_offence', 'antisocial', 'other')),
    description TEXT,
    caller_name TEXT,
    caller_phone TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'attended', 'closed')),
    grade TEXT CHECK (grade IS NULL OR grade IN ('emergency', 'priority', 'scheduled',
                                                 'resolved_without_deployment')),
    risk_grade TEXT CHECK (risk_grade IS NULL OR risk_grade IN ('emergency', 'priority')),
    below_risk_grade INTEGER NOT NULL DEFAULT 0 CHECK (below_risk_grade IN (0, 1)),
    grade_reason TEXT,
    -- A below-floor grade asked for by someone who cannot authorise it: the
    -- incident keeps the floor (grade) until a supervisor authorises this.
    grade_requested TEXT CHECK (grade_requested IS NULL OR grade_requested IN ('emergency',
                                'priority', 'scheduled', 'resolved_without_deployment')),
    grade_authorised_by INTEGER REFERENCES app_user (id),
    grade_authorised_at TEXT,
    grade_authorisation_reason TEXT,
    graded_at TEXT,
    graded_by INTEGER REFERENCES app_user (id),
    graded_thrive_id INTEGER,                -- the THRIVE in force when graded (re-THRIVE check)
    scheduled_for TEXT,
    interim_risk TEXT,                       -- required when a child incident is scheduled
    supervisor_rationale TEXT,
    attended_at TEXT,
    closed_at TEXT,
    closure_note TEXT,
    last_reviewed_at TEXT,                   -- NULL until the first re-review
    reassessment_required INTEGER NOT NULL DEFAULT 0 CHECK (reassessment_required IN (0, 1)),
    reassessment_flagged_at TEXT,
    escalation_reason TEXT,
    officer_id INTEGER REFERENCES app_user (id), -- the attending officer
    team TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incident_status ON incident (status, received_at);
CREATE INDEX incident_address ON incident (address_key, received_at);
CREATE INDEX incident_received ON incident (received_at);

CREATE TABLE incident_person (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    role TEXT NOT NULL CHECK (role IN ('subject', 'victim', 'witness', 'child_present',
                                       'reporting_person', 'suspect')),
    is_child INTEGER CHECK (is_child IS NULL OR is_child IN (0, 1)), -- on the incident's date; NULL: dob unknown
    linked_by INTEGER REFERENCES app_user (id),
    linked_at TEXT NOT NULL,
    UNIQUE (incident_id, person_id, role)
);
CREATE INDEX incident_person_person ON incident_person (person_id, incident_id);

CREATE TABLE incident_log (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident (id),
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    entry TEXT NOT NULL
);
CREATE INDEX incident_log_incident ON incident_log (incident_id, id);
CREATE TRIGGER incident_log_no_update BEFORE UPDATE ON incident_log
BEGIN
    SELECT RAISE(ABORT, 'incident_log is append-only');
END;
CREATE TRIGGER incident_log_no_delete BEFORE DELETE ON incident_log
BEGIN
    SELECT RAISE(ABORT, 'incident_log is append-only');
END;

-- Each assessment is a new row; the latest is the one in force.
CREATE TABLE thrive (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident (id),
    threat TEXT NOT NULL,
    harm TEXT NOT NULL,
    risk TEXT NOT NULL,
    investigation TEXT NOT NULL,
    vulnerability TEXT NOT NULL,
    engagement TEXT NOT NULL,
    child_immediate_risk INTEGER NOT NULL DEFAULT 0 CHECK (child_immediate_risk IN (0, 1)),
    domestic_abuse_child_present INTEGER NOT NULL DEFAULT 0
        CHECK (domestic_abuse_child_present IN (0, 1)),
    child_reported_in_danger INTEGER NOT NULL DEFAULT 0 CHECK (child_reported_in_danger IN (0, 1)),
    child_victim_violence_or_sexual INTEGER NOT NULL DEFAULT 0
        CHECK (child_victim_violence_or_sexual IN (0, 1)),
    assessed_by INTEGER REFERENCES app_user (id),
    assessed_at TEXT NOT NULL
);
CREATE INDEX thrive_incident ON thrive (incident_id, id);
CREATE TRIGGER thrive_no_update BEFORE UPDATE ON thrive
BEGIN
    SELECT RAISE(ABORT, 'thrive is append-only');
END;
CREATE TRIGGER thrive_no_delete BEFORE DELETE ON thrive
BEGIN
    SELECT RAISE(ABORT, 'thrive is append-only');
END;

CREATE TABLE incident_grade_history (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident (id),
    grade TEXT NOT NULL,
    risk_grade TEXT,
    reason TEXT,
    authorised_by INTEGER REFERENCES app_user (id),
    at TEXT NOT NULL,
    graded_by INTEGER REFERENCES app_user (id),
    event TEXT NOT NULL DEFAULT 'graded' CHECK (event IN ('graded', 'authorised'))
);
CREATE INDEX incident_grade_history_incident ON incident_grade_history (incident_id, id);
CREATE TRIGGER incident_grade_history_no_update BEFORE UPDATE ON incident_grade_history
BEGIN
    SELECT RAISE(ABORT, 'incident_grade_history is append-only');
END;
CREATE TRIGGER incident_grade_history_no_delete BEFORE DELETE ON incident_grade_history
BEGIN
    SELECT RAISE(ABORT, 'incident_grade_history is append-only');
END;

CREATE TABLE voice_of_child (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    seen INTEGER NOT NULL CHECK (seen IN (0, 1)),
    seen_alone INTEGER NOT NULL DEFAULT 0 CHECK (seen_alone IN (0, 1)),
    spoken_to INTEGER NOT NULL CHECK (spoken_to IN (0, 1)),
    words TEXT,                              -- the child's own words, verbatim
    views_wishes TEXT,
    behaviour TEXT,                          -- comma list: withdrawn, distressed, ...
    demeanour TEXT,
    not_spoken_reason TEXT CHECK (not_spoken_reason IS NULL OR not_spoken_reason IN
        ('too_young', 'asleep', 'refused', 'not_present', 'language_interpreter_requested',
         'other')),
    not_spoken_detail TEXT,
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (incident_id, person_id)
);
