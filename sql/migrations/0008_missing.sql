-- 0008_missing.sql — missing children (DOMAIN.md R3): the episode from the
-- report to closure, its risk and supervisory reviews, what was done and
-- seen, the return, the prevention interview and the independent return home
-- interview, exploitation indicators, links between episodes, and the
-- Philomena profile carers keep for a looked-after child.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The timeline, reviews and risk information are append-only.

CREATE TABLE missing_episode (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "MIS-2026-000123": year of report, sequence
    person_id INTEGER NOT NULL REFERENCES person (id),
    is_child INTEGER NOT NULL CHECK (is_child IN (0, 1)),  -- under 18 (or age unknown) when reported
    looked_after INTEGER NOT NULL DEFAULT 0 CHECK (looked_after IN (0, 1)),
    responsible_la TEXT,                     -- the looked-after child's local authority
    reported_at TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_by_relationship TEXT,
    reported_by_contact TEXT,
    last_seen_at TEXT NOT NULL,
    last_seen_location TEXT NOT NULL,
    missing_from TEXT NOT NULL,              -- the home or placement they went missing from
    missing_from_key TEXT NOT NULL,          -- lower-cased, spaces squeezed: links by address
    circumstances TEXT NOT NULL,
    description TEXT,                        -- clothing and description
    photo_ref TEXT,
    risk TEXT NOT NULL CHECK (risk IN ('high', 'medium', 'low')),
    risk_rationale TEXT NOT NULL,
    risk_assessed_at TEXT NOT NULL,
    officer_id INTEGER REFERENCES app_user (id),     -- officer in charge
    supervisor_id INTEGER REFERENCES app_user (id),  -- supervising officer
    team TEXT,
    status TEXT NOT NULL DEFAULT 'missing' CHECK (status IN ('missing', 'returned', 'closed')),
    last_reviewed_at TEXT NOT NULL,          -- the review clock runs from here
    inspector_reviewed_at TEXT,              -- an inspector's oversight (high risk)
    first_action_at TEXT,
    repeat_count INTEGER NOT NULL DEFAULT 1, -- episodes in the repeat window, this one included
    returned_at TEXT,
    returned_location TEXT,
    returned_by TEXT,                        -- who found them or where they came back to
    returned_state TEXT CHECK (returned_state IS NULL OR returned_state IN
                               ('safe_and_well', 'harmed', 'unwell', 'arrested', 'other')),
    return_notes TEXT,
    prevention_interview_at TEXT,
    prevention_interview_by INTEGER REFERENCES app_user (id),
    prevention_interview_notes TEXT,
    where_they_were TEXT,
    with_whom TEXT,
    exploitation_cse INTEGER NOT NULL DEFAULT 0 CHECK (exploitation_cse IN (0, 1)),
    exploitation_cce INTEGER NOT NULL DEFAULT 0 CHECK (exploitation_cce IN (0, 1)),
    exploitation_notes TEXT,
    exploitation_recorded_at TEXT,
    referral_recorded_at TEXT,               -- the referral the indicators prompt (issue 9 sends it)
    referral_note TEXT,
    rhi_referred_at TEXT,                    -- return home interview asked of the local authority
    rhi_local_authority TEXT,
    rhi_outcome TEXT CHECK (rhi_outcome IS NULL OR rhi_outcome IN ('completed', 'declined')),
    rhi_outcome_at TEXT,
    rhi_notes TEXT,
    closed_at TEXT,
    closure_note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX missing_episode_status ON missing_episode (status, risk, reported_at);
CREATE INDEX missing_episode_person ON missing_episode (person_id, reported_at);
CREATE INDEX missing_episode_from ON missing_episode (missing_from_key, reported_at);
CREATE INDEX missing_episode_reported ON missing_episode (reported_at);

-- The timeline: every action, enquiry, sighting, review, risk change and
-- step of the return, in the order recorded.
CREATE TABLE missing_event (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES missing_episode (id),
    at TEXT NOT NULL,                        -- when it happened
    kind TEXT NOT NULL CHECK (kind IN ('report', 'action', 'enquiry', 'sighting', 'note',
                                       'risk_info', 'review', 'risk_change', 'returned',
                                       'prevention_interview', 'exploitation', 'referral',
                                       'rhi_referral', 'rhi_outcome', 'link', 'closed')),
    text TEXT NOT NULL,
    risk TEXT,                               -- reviews and risk changes: the risk after
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX missing_event_episode ON missing_event (episode_id, id);
CREATE INDEX missing_event_kind ON missing_event (kind, at);

CREATE TABLE missing_review (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES missing_episode (id),
    at TEXT NOT NULL,
    due_at TEXT NOT NULL,                    -- the deadline in force when it was done
    risk_before TEXT NOT NULL,
    risk TEXT NOT NULL CHECK (risk IN ('high', 'medium', 'low')),
    rationale TEXT NOT NULL,
    by_inspector INTEGER NOT NULL DEFAULT 0 CHECK (by_inspector IN (0, 1)),
    user_id INTEGER REFERENCES app_user (id)
);
CREATE INDEX missing_review_episode ON missing_review (episode_id, id);
CREATE INDEX missing_review_at ON missing_review (at);

-- Each item of risk information with its source (DOMAIN.md R3).
CREATE TABLE missing_risk_info (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES missing_episode (id),
    info TEXT NOT NULL,
    source TEXT NOT NULL,
    source_contact TEXT,
    obtained_at TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX missing_risk_info_episode ON missing_risk_info (episode_id, id);

-- Children missing together, or from the same home or placement: kept both
-- ways (a, b) and (b, a) so either episode finds the other with one lookup.
CREATE TABLE missing_link (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES missing_episode (id),
    other_episode_id INTEGER NOT NULL REFERENCES missing_episode (id),
    reason TEXT NOT NULL CHECK (reason IN ('missing_together', 'same_address', 'same_placement',
                                           'other')),
    note TEXT,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    UNIQUE (episode_id, other_episode_id),
    CHECK (episode_id <> other_episode_id)
);

-- The Philomena Protocol profile a carer completes in advance for a
-- looked-after child; copied into an episode when the child goes missing.
CREATE TABLE philomena_profile (
    person_id INTEGER PRIMARY KEY REFERENCES person (id),
    description TEXT,
    photo_ref TEXT,
    contacts TEXT,
    places_frequented TEXT,
    carer TEXT,
    carer_contact TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_by INTEGER REFERENCES app_user (id),
    updated_at TEXT NOT NULL
);

CREATE TRIGGER missing_event_no_update BEFORE UPDATE ON missing_event
BEGIN
    SELECT RAISE(ABORT, 'missing_event is append-only');
END;
CREATE TRIGGER missing_event_no_delete BEFORE DELETE ON missing_event
BEGIN
    SELECT RAISE(ABORT, 'missing_event is append-only');
END;
CREATE TRIGGER missing_review_no_update BEFORE UPDATE ON missing_review
BEGIN
    SELECT RAISE(ABORT, 'missing_review is append-only');
END;
CREATE TRIGGER missing_review_no_delete BEFORE DELETE ON missing_review
BEGIN
    SELECT RAISE(ABORT, 'missing_review is append-only');
END;
CREATE TRIGGER missing_risk_info_no_update BEFORE UPDATE ON missing_risk_info
BEGIN
    SELECT RAISE(ABORT, 'missing_risk_info is append-only');
END;
CREATE TRIGGER missing_risk_info_no_delete BEFORE DELETE ON missing_risk_info
BEGIN
    SELECT RAISE(ABORT, 'missing_risk_info is append-only');
END;
