-- 0010_referrals.sql — referrals to the statutory safeguarding partners
-- (DOMAIN.md R4): the agencies a force sends to, each referral (a public
-- protection notice / child concern referral) with its household, concern
-- categories and supporting records, its recipients with delivery,
-- acknowledgement and the agency's decision, the append-only history of
-- every step, and the key that signs exported referrals.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The partial unique index is supported by PostgreSQL as written.

CREATE TABLE agency (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,               -- partner users carry this name (app_user.agency)
    kind TEXT NOT NULL CHECK (kind IN ('childrens_social_care', 'health', 'education', 'school',
                                       'other')),
    local_authority TEXT,                    -- the area it covers
    contact_email TEXT,
    contact_phone TEXT,
    on_portal INTEGER NOT NULL DEFAULT 1 CHECK (on_portal IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE referral (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "REF-2026-000123"
    person_id INTEGER NOT NULL REFERENCES person (id),
    source_type TEXT CHECK (source_type IS NULL OR source_type IN ('incident', 'missing_episode')),
    source_id INTEGER,
    source_reference TEXT,
    concern_at TEXT NOT NULL,                -- when the concern became known: the clock starts here
    summary TEXT,
    child_voice TEXT,
    risk_view TEXT,
    consent TEXT CHECK (consent IS NULL OR consent IN ('given', 'refused', 'not_sought')),
    consent_reason TEXT,
    urgency TEXT NOT NULL DEFAULT 'within_24h' CHECK (urgency IN ('immediate', 'within_24h',
                                                                   'routine')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'sent',
                                                           'cancelled')),
    mandatory_reason TEXT,                   -- the rule that made it mandatory, if one did
    submitted_at TEXT,
    returned_count INTEGER NOT NULL DEFAULT 0,
    return_reason TEXT,
    reviewed_at TEXT,
    reviewed_by INTEGER REFERENCES app_user (id),
    sent_at TEXT,
    sent_by INTEGER REFERENCES app_user (id),
    cancelled_reason TEXT,
    team TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One live referral per child per event: a second is refused, not merged.
CREATE UNIQUE INDEX referral_one_per_event ON referral (person_id, source_type, source_id)
    WHERE status <> 'cancelled' AND source_type IS NOT NULL;
CREATE INDEX referral_status ON referral (status, concern_at);
CREATE INDEX referral_source ON referral (source_type, source_id);
CREATE INDEX referral_sent ON referral (sent_at);

CREATE TABLE referral_category (
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    category TEXT NOT NULL CHECK (category IN ('physical_abuse', 'sexual_abuse',
        'emotional_abuse', 'neglect', 'domestic_abuse', 'child_sexual_exploitation',
        'child_criminal_exploitation', 'missing', 'online_harm', 'mental_health', 'other')),
    PRIMARY KEY (referral_id, category)
);

CREATE TABLE referral_member (
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    relationship TEXT NOT NULL,
    PRIMARY KEY (referral_id, person_id)
);

CREATE TABLE referral_recipient (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    sent_at TEXT,
    opened_at TEXT,                          -- first opened in the portal
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES app_user (id),
    decision TEXT CHECK (decision IS NULL OR decision IN ('no_further_action', 'early_help',
        'assessment', 'strategy_discussion', 's47_enquiry', 'passed_to_other_agency')),
    decision_note TEXT,
    decision_at TEXT,
    decided_by INTEGER REFERENCES app_user (id),
    UNIQUE (referral_id, agency_id)
);
CREATE INDEX referral_recipient_agency ON referral_recipient (agency_id, sent_at);

CREATE TABLE referral_event (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    agency_id INTEGER REFERENCES agency (id)
);
CREATE INDEX referral_event_referral ON referral_event (referral_id, id);
CREATE TRIGGER referral_event_no_update BEFORE UPDATE ON referral_event
BEGIN
    SELECT RAISE(ABORT, 'referral_event is append-only');
END;
CREATE TRIGGER referral_event_no_delete BEFORE DELETE ON referral_event
BEGIN
    SELECT RAISE(ABORT, 'referral_event is append-only');
END;

-- The Ed25519 key pair that signs exported referrals (for agencies not on
-- the portal): one row, made on first use. The secret stays in the database
-- like the password hashes: whoever can read the file can read both.
CREATE TABLE signing_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key TEXT NOT NULL,                -- base64
    secret_key TEXT NOT NULL,                -- base64
    created_at TEXT NOT NULL
);
