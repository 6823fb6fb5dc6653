-- 0012_online_referrals.sql — online child sexual exploitation referrals for
-- the specialist online team (OCSET): each referral from a national agency
-- with its reported accounts and identifiers, the suspect it resolves to,
-- the risk factors and the priority band they give (with the reasons), and
-- the investigation and safeguarding referrals it becomes. Identifiers are
-- kept normalised so the same account in two referrals, or one already tied
-- to a person, is found at once.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed enums.

CREATE TABLE online_referral (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "OCS-2026-000123"
    source TEXT NOT NULL,                    -- e.g. the national agency's command
    source_reference TEXT NOT NULL,
    received_at TEXT NOT NULL,
    platform TEXT NOT NULL,
    content_category TEXT NOT NULL CHECK (content_category IN ('indecent_images', 'grooming',
        'sextortion', 'live_streaming', 'other')),
    summary TEXT,
    enquiries TEXT,                          -- what is needed to identify a suspect
    status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'identified',
        'actioned', 'closed')),
    suspect_person_id INTEGER REFERENCES person (id),
    identified_at TEXT,
    contact_offending INTEGER NOT NULL DEFAULT 0 CHECK (contact_offending IN (0, 1)),
    escalation INTEGER NOT NULL DEFAULT 0 CHECK (escalation IN (0, 1)),
    previous_convictions INTEGER NOT NULL DEFAULT 0 CHECK (previous_convictions IN (0, 1)),
    role_with_children INTEGER NOT NULL DEFAULT 0 CHECK (role_with_children IN (0, 1)),
    assessed_at TEXT,
    score INTEGER NOT NULL DEFAULT 0,
    band TEXT NOT NULL DEFAULT 'low' CHECK (band IN ('very_high', 'high', 'medium', 'low')),
    reasons TEXT NOT NULL DEFAULT '[]',      -- JSON array of the scoring reasons
    children_at_home INTEGER NOT NULL DEFAULT 0,
    action TEXT CHECK (action IS NULL OR action IN ('visit', 'warrant', 'arrest', 'other')),
    actioned_at TEXT,
    action_note TEXT,
    investigation_id INTEGER REFERENCES investigation (id),
    safeguarded_at TEXT,                     -- a safeguarding referral for a child was raised
    outcome TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (source, source_reference)
);
CREATE INDEX online_referral_status ON online_referral (status, band, received_at);
CREATE INDEX online_referral_received ON online_referral (received_at);

CREATE TABLE online_identifier (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES online_referral (id),
    kind TEXT NOT NULL CHECK (kind IN ('email', 'username', 'phone', 'ip', 'postcode')),
    value TEXT NOT NULL,                     -- normalised (see ocse.c)
    seen_at TEXT,                            -- an IP address's timestamp
    UNIQUE (referral_id, kind, value, seen_at)
);
CREATE INDEX online_identifier_value ON online_identifier (kind, value);

-- Identifiers learned to belong to a person (when a referral is resolved).
CREATE TABLE person_identifier (
    person_id INTEGER NOT NULL REFERENCES person (id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    learned_from INTEGER REFERENCES online_referral (id),
    learned_at TEXT NOT NULL,
    PRIMARY KEY (kind, value, person_id)
);

CREATE TABLE online_referral_event (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES online_referral (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id)
);
CREATE INDEX online_referral_event_ref ON online_referral_event (referral_id, id);
CREATE TRIGGER online_referral_event_no_update BEFORE UPDATE ON online_referral_event
BEGIN
    SELECT RAISE(ABORT, 'online_referral_event is append-only');
END;
CREATE TRIGGER online_referral_event_no_delete BEFORE DELETE ON online_referral_event
BEGIN
    SELECT RAISE(ABORT, 'online_referral_event is append-only');
END;
