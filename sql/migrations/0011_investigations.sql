-- 0011_investigations.sql — child protection and exploitation investigations
-- (DOMAIN.md R5): teams with their specialisms and capacity, officers'
-- accreditations and capacity, the investigation (POLE: the event, its
-- people and linked records), its plan and actions, allocation with the
-- engine's recommendation and any reason to depart from it, structured
-- supervisory reviews, and the moment a risk to a child became known and
-- when it was shared with children's social care.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The history and reviews are append-only.

CREATE TABLE team (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    specialisms TEXT NOT NULL,               -- comma list: child_abuse, online_exploitation, exploitation, general
    capacity INTEGER NOT NULL CHECK (capacity >= 0), -- weighted cases the team can carry
    area TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE officer_profile (
    user_id INTEGER PRIMARY KEY REFERENCES app_user (id),
    team_id INTEGER REFERENCES team (id),
    pip_level INTEGER NOT NULL DEFAULT 1 CHECK (pip_level BETWEEN 1 AND 4),
    specialist_child_abuse INTEGER NOT NULL DEFAULT 0 CHECK (specialist_child_abuse IN (0, 1)),
    abe_trained INTEGER NOT NULL DEFAULT 0 CHECK (abe_trained IN (0, 1)),
    capacity INTEGER NOT NULL DEFAULT 10 CHECK (capacity >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE investigation (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "INV-2026-000123"
    crime_type TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('physical_abuse', 'sexual_abuse', 'neglect',
        'child_sexual_exploitation', 'child_criminal_exploitation', 'online_sexual_exploitation',
        'domestic_abuse', 'other')),
    complexity INTEGER NOT NULL DEFAULT 1 CHECK (complexity BETWEEN 1 AND 3), -- the caseload weight
    summary TEXT,
    plan TEXT,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'allocated', 'active',
        'awaiting_forensics', 'awaiting_charging_decision', 'suspended', 'closed')),
    status_since TEXT NOT NULL,
    team_id INTEGER REFERENCES team (id),
    officer_id INTEGER REFERENCES app_user (id),   -- officer in charge
    allocated_at TEXT,
    allocated_by INTEGER REFERENCES app_user (id),
    allocation_matched INTEGER CHECK (allocation_matched IN (0, 1)), -- the officer met every requirement
    allocation_recommended TEXT,             -- the engine's first choice, as words
    allocation_reason TEXT,                  -- why, when the choice departed from it
    load_at_allocation INTEGER,              -- the officer's weighted caseload, this one included
    capacity_at_allocation INTEGER,
    last_action_at TEXT NOT NULL,
    last_reviewed_at TEXT,
    key_point TEXT CHECK (key_point IS NULL OR key_point IN ('arrest', 'charge_decision')),
    key_point_at TEXT,                       -- a key point awaiting its review
    risk_to_child INTEGER NOT NULL DEFAULT 0 CHECK (risk_to_child IN (0, 1)),
    risk_detail TEXT,
    risk_known_at TEXT,
    info_shared_at TEXT,                     -- a referral about it was sent to children's social care
    outcome TEXT,
    closed_at TEXT,
    team TEXT,                               -- the creator's team, for tasks before allocation
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX investigation_status ON investigation (status, created_at);
CREATE INDEX investigation_officer ON investigation (officer_id, status);
CREATE INDEX investigation_team ON investigation (team_id, status);

CREATE TABLE investigation_person (
    investigation_id INTEGER NOT NULL REFERENCES investigation (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    role TEXT NOT NULL CHECK (role IN ('victim', 'suspect', 'witness')),
    is_child INTEGER,                        -- on the day the investigation began
    PRIMARY KEY (investigation_id, person_id, role)
);

CREATE TABLE investigation_link (
    investigation_id INTEGER NOT NULL REFERENCES investigation (id),
    record_type TEXT NOT NULL CHECK (record_type IN ('incident', 'referral', 'missing_episode')),
    record_id INTEGER NOT NULL,
    PRIMARY KEY (investigation_id, record_type, record_id)
);
CREATE INDEX investigation_link_record ON investigation_link (record_type, record_id);

CREATE TABLE investigation_action (
    id INTEGER PRIMARY KEY,
    investigation_id INTEGER NOT NULL REFERENCES investigation (id),
    title TEXT NOT NULL,
    owner_id INTEGER REFERENCES app_user (id),
    due_on TEXT,
    done_at TEXT,
    done_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL
);
CREATE INDEX investigation_action_inv ON investigation_action (investigation_id, id);

CREATE TABLE investigation_review (
    id INTEGER PRIMARY KEY,
    investigation_id INTEGER NOT NULL REFERENCES investigation (id),
    at TEXT NOT NULL,
    due_at TEXT,                             -- the deadline it answered
    trigger_point TEXT NOT NULL CHECK (trigger_point IN ('allocation', 'periodic', 'arrest',
        'charge_decision', 'closure')),
    plan_quality TEXT NOT NULL CHECK (plan_quality IN ('good', 'adequate', 'poor')),
    actions_assessment TEXT NOT NULL,
    risk_assessment TEXT NOT NULL,
    victim_contact TEXT NOT NULL,
    direction TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id)
);
CREATE INDEX investigation_review_inv ON investigation_review (investigation_id, id);
CREATE INDEX investigation_review_at ON investigation_review (at);

-- Each spell without a recorded action for the stale threshold (14 days by
-- default): kept when an action ends it, so the measure still counts it.
CREATE TABLE investigation_stale_spell (
    investigation_id INTEGER NOT NULL REFERENCES investigation (id),
    stale_from TEXT NOT NULL,                -- the last action plus the threshold
    ended_at TEXT NOT NULL,                  -- the action that ended it
    PRIMARY KEY (investigation_id, stale_from)
);

CREATE TABLE investigation_event (
    id INTEGER PRIMARY KEY,
    investigation_id INTEGER NOT NULL REFERENCES investigation (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id)
);
CREATE INDEX investigation_event_inv ON investigation_event (investigation_id, id);

CREATE TRIGGER investigation_event_no_update BEFORE UPDATE ON investigation_event
BEGIN
    SELECT RAISE(ABORT, 'investigation_event is append-only');
END;
CREATE TRIGGER investigation_event_no_delete BEFORE DELETE ON investigation_event
BEGIN
    SELECT RAISE(ABORT, 'investigation_event is append-only');
END;
CREATE TRIGGER investigation_review_no_update BEFORE UPDATE ON investigation_review
BEGIN
    SELECT RAISE(ABORT, 'investigation_review is append-only');
END;
CREATE TRIGGER investigation_review_no_delete BEFORE DELETE ON investigation_review
BEGIN
    SELECT RAISE(ABORT, 'investigation_review is append-only');
END;
