-- 0013_police_protection.sql — police protection (DOMAIN.md R6, Children Act
-- 1989 s46): the case from the moment the power is used to the child's
-- release, with every statutory step and its time; the timeline; the
-- decisions taken on incidents where a child may have needed protection; and
-- the referrals raised from a case.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The timeline and the incident decisions are append-only.

CREATE TABLE police_protection (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "PP-2026-000123": year the power was used, sequence
    person_id INTEGER NOT NULL REFERENCES person (id),    -- the child
    incident_id INTEGER REFERENCES incident (id),          -- where the power was used, if known
    address_key TEXT,                        -- the incident's address key, to show at that address
    power TEXT NOT NULL CHECK (power IN ('removed', 'prevented_removal')),
    circumstances TEXT NOT NULL,
    grounds TEXT NOT NULL,                   -- why the power was used (likely significant harm)
    initiated_at TEXT NOT NULL,              -- the power used: the 72 hours run from here
    expires_at TEXT NOT NULL,                -- initiated_at + 72 hours
    initiating_officer_id INTEGER NOT NULL REFERENCES app_user (id),
    designated_officer_id INTEGER REFERENCES app_user (id),
    designated_at TEXT,
    place_kind TEXT CHECK (place_kind IS NULL OR place_kind IN
                           ('foster_carer', 'la_accommodation', 'hospital', 'relative',
                            'police_station', 'other')),
    place_detail TEXT,
    place_reason TEXT,                       -- why a police station (exceptional circumstances)
    placed_at TEXT,
    la_informed_at TEXT,
    la_detail TEXT,                          -- the authority and who was told
    parents_informed_at TEXT,
    parents_not_informed_reason TEXT,        -- why parents were not (yet) told
    parents_detail TEXT,
    parents_recorded_at TEXT,                -- when either of the two above was recorded
    child_informed_at TEXT,
    child_views TEXT,                        -- the child's wishes and feelings, in their words
    inquiry_at TEXT,
    inquiry_text TEXT,
    decision TEXT CHECK (decision IS NULL OR decision IN
                         ('release_to_parents', 'la_accommodation', 'epo_applied')),
    inquiry_by INTEGER REFERENCES app_user (id),
    epo_sought INTEGER NOT NULL DEFAULT 0 CHECK (epo_sought IN (0, 1)),
    epo_sought_at TEXT,
    released_at TEXT,
    released_to TEXT,
    status TEXT NOT NULL DEFAULT 'in_protection' CHECK (status IN ('in_protection', 'released')),
    team TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Home Office Circular 17/2008: the designated officer is never the
    -- officer who used the power (the domain refuses it first, with 422).
    CHECK (designated_officer_id IS NULL OR designated_officer_id <> initiating_officer_id),
    -- A police station only in exceptional circumstances, with the reason.
    CHECK (place_kind IS NULL OR place_kind <> 'police_station' OR place_reason IS NOT NULL),
    CHECK (status = 'in_protection' OR released_at IS NOT NULL)
);
CREATE INDEX police_protection_person ON police_protection (person_id, initiated_at);
CREATE INDEX police_protection_status ON police_protection (status, expires_at);
CREATE INDEX police_protection_incident ON police_protection (incident_id);
CREATE INDEX police_protection_address ON police_protection (address_key, status);
CREATE INDEX police_protection_initiated ON police_protection (initiated_at);

-- The timeline: every step, in the order recorded.
CREATE TABLE protection_event (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES police_protection (id),
    at TEXT NOT NULL,                        -- when it happened
    kind TEXT NOT NULL CHECK (kind IN ('initiated', 'designated', 'placed', 'la_informed',
                                       'parents_informed', 'parents_not_informed',
                                       'child_informed', 'inquiry', 'epo_sought', 'released',
                                       'referral', 'note')),
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX protection_event_case ON protection_event (case_id, id);

-- A supervisor's decision on an incident where the risk said a child may
-- have needed protection: was the power used, and why (or why not).
CREATE TABLE protection_decision (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident (id),
    used INTEGER NOT NULL CHECK (used IN (0, 1)),
    reason TEXT NOT NULL,
    decided_by INTEGER REFERENCES app_user (id),
    decided_at TEXT NOT NULL
);
CREATE INDEX protection_decision_incident ON protection_decision (incident_id, id);

-- Referrals to children's social care raised from a case (the referral's
-- own source_type names incidents and missing episodes only).
CREATE TABLE protection_referral (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES police_protection (id),
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    created_at TEXT NOT NULL,
    UNIQUE (case_id, referral_id)
);

CREATE TRIGGER protection_event_no_update BEFORE UPDATE ON protection_event
BEGIN
    SELECT RAISE(ABORT, 'protection_event is append-only');
END;
CREATE TRIGGER protection_event_no_delete BEFORE DELETE ON protection_event
BEGIN
    SELECT RAISE(ABORT, 'protection_event is append-only');
END;
CREATE TRIGGER protection_decision_no_update BEFORE UPDATE ON protection_decision
BEGIN
    SELECT RAISE(ABORT, 'protection_decision is append-only');
END;
CREATE TRIGGER protection_decision_no_delete BEFORE DELETE ON protection_decision
BEGIN
    SELECT RAISE(ABORT, 'protection_decision is append-only');
END;
