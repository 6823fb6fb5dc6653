-- 0015_disclosure.sql — the Child Sex Offender Disclosure Scheme (CSOD,
-- "Sarah's Law"; DOMAIN.md R7): an application about a person with access
-- to a child, its stages in order, each with its time (initial contact and
-- the immediate-risk check, the face-to-face meeting, the checks, the
-- decision-making meeting, the undertaking of confidentiality and the
-- disclosure), the outcome, any immediate risk found at any stage with the
-- safeguarding action taken, and the referrals drafted from it.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The timeline, checks, attendees and risks are append-only.

CREATE TABLE disclosure_application (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "CSOD-2026-000123": year received, sequence
    -- The applicant: a person record, or a name and how to contact them.
    applicant_person_id INTEGER REFERENCES person (id),
    applicant_name TEXT,
    applicant_contact TEXT,
    applicant_relationship TEXT NOT NULL CHECK (applicant_relationship IN
        ('parent', 'step_parent', 'guardian', 'grandparent', 'other_relative', 'carer',
         'neighbour', 'family_friend', 'professional', 'other')),
    subject_person_id INTEGER NOT NULL REFERENCES person (id),   -- the person asked about
    subject_relationship TEXT NOT NULL CHECK (subject_relationship IN
        ('partner_of_parent', 'parent', 'relative', 'household_member', 'neighbour',
         'family_friend', 'carer', 'coach_or_tutor', 'online_contact', 'other')),
    relationship_detail TEXT,                -- how the subject has access to the child
    received_via TEXT NOT NULL CHECK (received_via IN
        ('in_person', 'phone', 'online', 'email', 'letter', 'other')),
    received_at TEXT NOT NULL,               -- the 24 hours, 10 working days and 45 days run from here
    officer_id INTEGER REFERENCES app_user (id),  -- the officer handling it: owns the stage tasks
    -- Stage 1: initial contact and the immediate-risk check.
    initial_contact_at TEXT,
    initial_contact_note TEXT,
    immediate_risk_checked INTEGER CHECK (immediate_risk_checked IS NULL
                                          OR immediate_risk_checked IN (0, 1)),
    -- Stage 2: the face-to-face meeting with the applicant.
    face_to_face_at TEXT,
    face_to_face_note TEXT,
    identity_verified INTEGER CHECK (identity_verified IS NULL OR identity_verified IN (0, 1)),
    -- Stage 3: the checks (each one in disclosure_check).
    checks_at TEXT,
    checks_summary TEXT,
    convictions TEXT CHECK (convictions IS NULL OR convictions IN ('yes', 'no', 'unknown')),
    registered_offender INTEGER CHECK (registered_offender IS NULL
                                       OR registered_offender IN (0, 1)),
    -- Stage 4: the decision-making meeting (attendees in disclosure_attendee).
    decision_at TEXT,
    decision TEXT CHECK (decision IS NULL OR decision IN ('disclose', 'not_disclose')),
    decision_reason TEXT,
    decided_by INTEGER REFERENCES app_user (id),
    -- Stage 5: the undertaking of confidentiality by the person best placed
    -- to protect the child, then the disclosure to them.
    recipient_name TEXT,
    recipient_person_id INTEGER REFERENCES person (id),
    recipient_relationship TEXT,
    undertaking TEXT CHECK (undertaking IS NULL OR undertaking IN ('signed', 'refused')),
    undertaking_at TEXT,
    undertaking_note TEXT,                   -- why they refused, when they did
    disclosed_at TEXT,
    disclosure_content TEXT,                 -- what was said
    -- Stage 6: the outcome and closure.
    outcome TEXT CHECK (outcome IS NULL OR outcome IN
        ('disclosed', 'not_disclosed', 'undertaking_refused', 'withdrawn')),
    outcome_note TEXT,
    closed_at TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    team TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (applicant_person_id IS NOT NULL OR applicant_name IS NOT NULL),
    CHECK (decision IS NULL OR decision_reason IS NOT NULL),
    -- Nothing is disclosed without a signed undertaking of confidentiality.
    CHECK (disclosed_at IS NULL OR undertaking = 'signed'),
    CHECK (status = 'open' OR (closed_at IS NOT NULL AND outcome IS NOT NULL))
);
CREATE INDEX disclosure_application_status ON disclosure_application (status, received_at);
CREATE INDEX disclosure_application_received ON disclosure_application (received_at);
CREATE INDEX disclosure_application_subject ON disclosure_application (subject_person_id);
CREATE INDEX disclosure_application_applicant ON disclosure_application (applicant_person_id);

-- The child or children the application is about.
CREATE TABLE disclosure_child (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES disclosure_application (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    UNIQUE (application_id, person_id)
);
CREATE INDEX disclosure_child_person ON disclosure_child (person_id);

-- The checks made at stage 3, each with its result.
CREATE TABLE disclosure_check (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES disclosure_application (id),
    kind TEXT NOT NULL CHECK (kind IN ('pnc', 'pnd', 'visor', 'local_intelligence',
                                       'childrens_social_care', 'probation', 'other')),
    result TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX disclosure_check_application ON disclosure_check (application_id, id);

-- Who attended the decision-making meeting.
CREATE TABLE disclosure_attendee (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES disclosure_application (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL                        -- their role or agency
);
CREATE INDEX disclosure_attendee_application ON disclosure_attendee (application_id, id);

-- An immediate risk to a child found at any stage, and the urgent
-- safeguarding action a supervisor records for it.
CREATE TABLE disclosure_risk (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES disclosure_application (id),
    stage TEXT NOT NULL,                      -- the stage it was found at
    found_at TEXT NOT NULL,                   -- the hour for the action runs from here
    detail TEXT NOT NULL,
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX disclosure_risk_application ON disclosure_risk (application_id, id);

CREATE TABLE disclosure_risk_action (
    id INTEGER PRIMARY KEY,
    risk_id INTEGER NOT NULL UNIQUE REFERENCES disclosure_risk (id),
    action_at TEXT NOT NULL,
    action TEXT NOT NULL,
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);

-- Referrals to children's social care drafted from an application.
CREATE TABLE disclosure_referral (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES disclosure_application (id),
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    risk_id INTEGER REFERENCES disclosure_risk (id),
    created_at TEXT NOT NULL,
    UNIQUE (application_id, referral_id)
);

-- The timeline: every stage and note, in the order recorded.
CREATE TABLE disclosure_event (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES disclosure_application (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('received', 'initial_contact', 'face_to_face', 'checks',
                                       'decision', 'undertaking', 'disclosure', 'closed',
                                       'immediate_risk', 'safeguarding_action', 'referral',
                                       'note')),
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX disclosure_event_application ON disclosure_event (application_id, id);

CREATE TRIGGER disclosure_event_no_update BEFORE UPDATE ON disclosure_event
BEGIN
    SELECT RAISE(ABORT, 'disclosure_event is append-only');
END;
CREATE TRIGGER disclosure_event_no_delete BEFORE DELETE ON disclosure_event
BEGIN
    SELECT RAISE(ABORT, 'disclosure_event is append-only');
END;
CREATE TRIGGER disclosure_check_no_update BEFORE UPDATE ON disclosure_check
BEGIN
    SELECT RAISE(ABORT, 'disclosure_check is append-only');
END;
CREATE TRIGGER disclosure_check_no_delete BEFORE DELETE ON disclosure_check
BEGIN
    SELECT RAISE(ABORT, 'disclosure_check is append-only');
END;
CREATE TRIGGER disclosure_risk_no_update BEFORE UPDATE ON disclosure_risk
BEGIN
    SELECT RAISE(ABORT, 'disclosure_risk is append-only');
END;
CREATE TRIGGER disclosure_risk_no_delete BEFORE DELETE ON disclosure_risk
BEGIN
    SELECT RAISE(ABORT, 'disclosure_risk is append-only');
END;
