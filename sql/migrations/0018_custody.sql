-- 0018_custody.sql — children in custody (DOMAIN.md R8, PACE Code C and
-- s38(6)): the custody record of a child from arrival to release or
-- transfer, with the age-dispute history, detention reviews, welfare visits,
-- the appropriate adult's clock, interviews, the voice of the child, the
-- referrals raised from a record and an append-only timeline.
--
-- Portable SQL: ISO-8601 text timestamps, INTEGER 0/1 booleans, CHECKed
-- enums. The timeline, age history, reviews, visits and interviews are
-- append-only.

CREATE TABLE custody_record (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "CU-2026-000123": year of arrival, sequence
    person_id INTEGER NOT NULL REFERENCES person (id),    -- the detainee
    arrived_at TEXT NOT NULL,                -- arrival at the suite: the clocks run from here
    suite TEXT NOT NULL,                     -- the custody suite
    grounds TEXT NOT NULL,                   -- grounds for detention
    local_authority TEXT,                    -- the child's local authority (s38(6), measures)
    stated_age INTEGER CHECK (stated_age IS NULL OR (stated_age >= 0 AND stated_age <= 120)),
    apparent_age INTEGER CHECK (apparent_age IS NULL OR (apparent_age >= 0 AND apparent_age <= 120)),
    -- PACE Code C 1.5: anyone who appears under 18 is a child until shown
    -- otherwise; only a recorded verification of 18 or over (with its basis,
    -- in custody_age_event) sets this to 0.
    treated_as_child INTEGER NOT NULL DEFAULT 1 CHECK (treated_as_child IN (0, 1)),
    cell_used INTEGER NOT NULL DEFAULT 0 CHECK (cell_used IN (0, 1)),
    cell_reason TEXT,                        -- why no other secure accommodation was available
    accommodation_at TEXT,
    responsible_adult TEXT,                  -- who was told of the arrest (name, relationship)
    responsible_adult_at TEXT,
    aa_requested_at TEXT,
    aa_source TEXT CHECK (aa_source IS NULL OR aa_source IN
                          ('family', 'scheme', 'local_authority', 'other')),
    aa_name TEXT,
    aa_role TEXT,                            -- the declared relationship to the child
    aa_arrived_at TEXT,
    aa_delay_cause TEXT CHECK (aa_delay_cause IS NULL OR aa_delay_cause IN
                               ('family', 'scheme', 'local_authority', 'other')),
    aa_delay_reason TEXT,
    health TEXT,
    vulnerability TEXT,
    exploitation_concern INTEGER NOT NULL DEFAULT 0 CHECK (exploitation_concern IN (0, 1)),
    welfare_concern INTEGER NOT NULL DEFAULT 0 CHECK (welfare_concern IN (0, 1)),
    concern_detail TEXT,
    welfare_at TEXT,                         -- needs assessed
    concern_at TEXT,                         -- first recorded concern: the referral clock
    legal_advice TEXT CHECK (legal_advice IS NULL OR legal_advice IN
                             ('requested', 'declined', 'given')),
    legal_advice_detail TEXT,
    legal_advice_at TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN
                        ('released', 'bailed', 'charged', 'charged_refused_bail')),
    outcome_at TEXT,
    charged_at TEXT,                         -- charged and refused bail: s38(6) runs from here
    transfer_requested_at TEXT,
    transfer_accommodation TEXT CHECK (transfer_accommodation IS NULL OR transfer_accommodation
                                       IN ('secure', 'non_secure')),
    transfer_la TEXT,                        -- the local authority asked
    transfer_contact TEXT,                   -- to whom
    la_answer TEXT CHECK (la_answer IS NULL OR la_answer IN ('accepted', 'refused', 'no_answer')),
    la_answer_at TEXT,
    la_answer_detail TEXT,
    transferred_at TEXT,
    certificate_reason TEXT CHECK (certificate_reason IS NULL OR certificate_reason IN
                                   ('impracticable', 'no_secure_serious_harm')),
    certificate_detail TEXT,
    certified_at TEXT,
    certified_by INTEGER REFERENCES app_user (id),
    released_at TEXT,
    released_to TEXT,
    status TEXT NOT NULL DEFAULT 'in_custody' CHECK (status IN ('in_custody', 'released')),
    team TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- PACE Code C 8.8: a child in a cell only when no other secure
    -- accommodation is available, with the reason (the domain says so first).
    CHECK (cell_used = 0 OR treated_as_child = 0 OR cell_reason IS NOT NULL),
    CHECK (status = 'in_custody' OR released_at IS NOT NULL)
);
CREATE INDEX custody_record_person ON custody_record (person_id, arrived_at);
CREATE INDEX custody_record_status ON custody_record (status, arrived_at);
CREATE INDEX custody_record_arrived ON custody_record (arrived_at);
CREATE INDEX custody_record_charged ON custody_record (charged_at);

-- The age-dispute history: every age stated, seen or verified, and its basis.
CREATE TABLE custody_age_event (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES custody_record (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('booked', 'verified')),
    stated_age INTEGER,
    apparent_age INTEGER,
    verified_age INTEGER,
    basis TEXT,                              -- how the age was verified
    detail TEXT,
    treated_as_child INTEGER NOT NULL CHECK (treated_as_child IN (0, 1)),
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX custody_age_event_record ON custody_age_event (record_id, id);

-- Detention reviews (PACE s40): the first at 6 hours, then every 9.
CREATE TABLE custody_review (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES custody_record (id),
    at TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('continue', 'release')),
    note TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX custody_review_record ON custody_review (record_id, at);

-- Welfare visits (PACE Code C 9.3; more often for children).
CREATE TABLE custody_visit (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES custody_record (id),
    at TEXT NOT NULL,
    condition TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX custody_visit_record ON custody_visit (record_id, at);

-- Interviews: a child's with the appropriate adult present, or urgent with the reason.
CREATE TABLE custody_interview (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES custody_record (id),
    at TEXT NOT NULL,
    aa_present INTEGER NOT NULL CHECK (aa_present IN (0, 1)),
    urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    urgent_reason TEXT,
    note TEXT,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL,
    -- No CHECK on aa_present: someone shown to be an adult is interviewed
    -- without one. For a child the domain refuses it unless urgent.
    CHECK (urgent = 0 OR urgent_reason IS NOT NULL)
);
CREATE INDEX custody_interview_record ON custody_interview (record_id, at);

-- The voice of the child (DOMAIN.md R2): the same record incidents keep.
CREATE TABLE custody_voice (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL UNIQUE REFERENCES custody_record (id),
    seen INTEGER NOT NULL CHECK (seen IN (0, 1)),
    seen_alone INTEGER NOT NULL DEFAULT 0 CHECK (seen_alone IN (0, 1)),
    spoken_to INTEGER NOT NULL CHECK (spoken_to IN (0, 1)),
    words TEXT,
    views_wishes TEXT,
    behaviour TEXT,
    demeanour TEXT,
    not_spoken_reason TEXT CHECK (not_spoken_reason IS NULL OR not_spoken_reason IN
        ('too_young', 'asleep', 'refused', 'not_present', 'language_interpreter_requested',
         'other')),
    not_spoken_detail TEXT,
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);

-- Referrals to children's social care raised from a record (the referral's
-- own source_type names incidents and missing episodes only).
CREATE TABLE custody_referral (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES custody_record (id),
    referral_id INTEGER NOT NULL REFERENCES referral (id),
    created_at TEXT NOT NULL,
    UNIQUE (record_id, referral_id)
);
CREATE INDEX custody_referral_referral ON custody_referral (referral_id);

-- The timeline: every step, in the order recorded.
CREATE TABLE custody_event (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES custody_record (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX custody_event_record ON custody_event (record_id, id);

CREATE TRIGGER custody_event_no_update BEFORE UPDATE ON custody_event
BEGIN
    SELECT RAISE(ABORT, 'custody_event is append-only');
END;
CREATE TRIGGER custody_event_no_delete BEFORE DELETE ON custody_event
BEGIN
    SELECT RAISE(ABORT, 'custody_event is append-only');
END;
CREATE TRIGGER custody_age_event_no_update BEFORE UPDATE ON custody_age_event
BEGIN
    SELECT RAISE(ABORT, 'custody_age_event is append-only');
END;
CREATE TRIGGER custody_age_event_no_delete BEFORE DELETE ON custody_age_event
BEGIN
    SELECT RAISE(ABORT, 'custody_age_event is append-only');
END;
CREATE TRIGGER custody_review_no_update BEFORE UPDATE ON custody_review
BEGIN
    SELECT RAISE(ABORT, 'custody_review is append-only');
END;
CREATE TRIGGER custody_review_no_delete BEFORE DELETE ON custody_review
BEGIN
    SELECT RAISE(ABORT, 'custody_review is append-only');
END;
CREATE TRIGGER custody_visit_no_update BEFORE UPDATE ON custody_visit
BEGIN
    SELECT RAISE(ABORT, 'custody_visit is append-only');
END;
CREATE TRIGGER custody_visit_no_delete BEFORE DELETE ON custody_visit
BEGIN
    SELECT RAISE(ABORT, 'custody_visit is append-only');
END;
CREATE TRIGGER custody_interview_no_update BEFORE UPDATE ON custody_interview
BEGIN
    SELECT RAISE(ABORT, 'custody_interview is append-only');
END;
CREATE TRIGGER custody_interview_no_delete BEFORE DELETE ON custody_interview
BEGIN
    SELECT RAISE(ABORT, 'custody_interview is append-only');
END;
