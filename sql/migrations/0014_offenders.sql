-- 0014_offenders.sql — registered sex offender management (DOMAIN.md R7,
-- Sexual Offences Act 2003 Part 2 and the 2012 Regulations): the offender
-- record on a person, convictions and cautions with the notification period
-- each gives, ancillary orders, notifications with their deadlines, breaches,
-- ARMS risk assessments, the risk management plan and its reviews, home
-- visits, reactive management and the intelligence that can end it,
-- children linked to an offender's household, and the concerns that make up
-- each policing area's briefing for local officers.
--
-- Portable SQL: ISO-8601 text dates and timestamps, INTEGER 0/1 booleans,
-- CHECKed enums. Notifications, breaches, assessments, plan reviews,
-- management decisions and concern reviews are append-only: they are the
-- record of what was known when.

CREATE TABLE offender (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,          -- "RSO-2026-000123": year registered, sequence
    person_id INTEGER NOT NULL UNIQUE REFERENCES person (id),
    registered_on TEXT NOT NULL,             -- the notification requirements began
    offender_manager_id INTEGER REFERENCES app_user (id),
    team TEXT,                               -- the managing team (the manager's unless given)
    area TEXT,                               -- the policing area the offender lives in
    no_fixed_abode INTEGER NOT NULL DEFAULT 0 CHECK (no_fixed_abode IN (0, 1)),
    photo_ref TEXT,                          -- reference to the custody photograph
    risk_level TEXT CHECK (risk_level IS NULL OR risk_level IN
                           ('very_high', 'high', 'medium', 'low')),
    risk_assessed_on TEXT,
    risk_next_due_on TEXT,
    mappa_category INTEGER CHECK (mappa_category IS NULL OR mappa_category BETWEEN 1 AND 3),
    mappa_level INTEGER CHECK (mappa_level IS NULL OR mappa_level BETWEEN 1 AND 3),
    management TEXT NOT NULL DEFAULT 'active' CHECK (management IN ('active', 'reactive')),
    reactive_eligible INTEGER CHECK (reactive_eligible IS NULL OR reactive_eligible IN (0, 1)),
    plan_visit_months INTEGER CHECK (plan_visit_months IS NULL OR plan_visit_months BETWEEN 1 AND 24),
    plan_summary TEXT,
    plan_reviewed_at TEXT,                   -- the latest plan review
    plan_review_prompted_at TEXT,            -- a significant change asked for a review
    plan_review_reason TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Reactive management is for offenders found eligible.
    CHECK (management = 'active' OR reactive_eligible = 1)
);
CREATE INDEX offender_area ON offender (area);
CREATE INDEX offender_manager ON offender (offender_manager_id);

-- Convictions and cautions: the notification period each gives is derived
-- once, when recorded, and kept with the rule that gave it.
CREATE TABLE offender_conviction (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    offence TEXT NOT NULL,
    convicted_on TEXT NOT NULL,              -- conviction or caution date
    disposal TEXT NOT NULL CHECK (disposal IN ('custody', 'caution', 'other')),
    custody_months INTEGER CHECK (custody_months IS NULL OR custody_months BETWEEN 0 AND 1200),
    age_at_conviction INTEGER NOT NULL CHECK (age_at_conviction BETWEEN 10 AND 120),
    period_months INTEGER,                   -- NULL: indefinite
    period_rule TEXT NOT NULL,
    ends_on TEXT,                            -- finite periods
    review_on TEXT,                          -- indefinite: reviewable from
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    CHECK (disposal <> 'custody' OR custody_months IS NOT NULL)
);
CREATE INDEX offender_conviction_offender ON offender_conviction (offender_id, convicted_on);

-- Ancillary orders (sexual harm prevention, sexual risk, notification
-- orders) with their conditions (a JSON array of text).
CREATE TABLE offender_order (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    kind TEXT NOT NULL CHECK (kind IN ('shpo', 'sro', 'notification_order', 'other')),
    made_on TEXT NOT NULL,
    expires_on TEXT,
    conditions TEXT NOT NULL,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL
);
CREATE INDEX offender_order_offender ON offender_order (offender_id);

-- Each notification the offender made: what, the event it reports, its
-- deadline (derived from the kind) and when it was made.
CREATE TABLE offender_notification (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'name', 'home_address', 'other_address',
                                       'stay', 'release', 'annual', 'weekly', 'travel',
                                       'household_child', 'bank_card', 'identity_document')),
    detail TEXT NOT NULL,
    line1 TEXT,                              -- address kinds: the address notified
    postcode TEXT,
    address_key TEXT,                        -- as incidents and police protection key addresses
    child_person_id INTEGER REFERENCES person (id),   -- household_child, when known
    event_on TEXT NOT NULL,                  -- the change; the departure for travel
    deadline_on TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    late INTEGER NOT NULL CHECK (late IN (0, 1)),
    reasonable_excuse TEXT,
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX offender_notification_offender ON offender_notification (offender_id, notified_on);
CREATE INDEX offender_notification_address ON offender_notification (address_key);

CREATE TABLE offender_breach (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    kind TEXT NOT NULL CHECK (kind IN ('late_notification', 'failure_to_notify', 'order_breach')),
    notification_id INTEGER REFERENCES offender_notification (id),
    intelligence_id INTEGER,
    detail TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX offender_breach_offender ON offender_breach (offender_id);

-- ARMS assessments; due_on is the date this one was due (the previous next
-- due date, or the first assessment's), so timeliness is a fact.
CREATE TABLE offender_risk_assessment (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    level TEXT NOT NULL CHECK (level IN ('very_high', 'high', 'medium', 'low')),
    assessed_on TEXT NOT NULL,
    next_due_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    assessed_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX offender_risk_offender ON offender_risk_assessment (offender_id, assessed_on);
CREATE INDEX offender_risk_due ON offender_risk_assessment (due_on);

CREATE TABLE offender_plan_review (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    visit_months INTEGER,                    -- the plan's visit frequency; NULL: the fallback
    summary TEXT NOT NULL,
    reason TEXT,                             -- what prompted it, if anything did
    reviewed_at TEXT NOT NULL,
    reviewed_by INTEGER REFERENCES app_user (id)
);
CREATE INDEX offender_plan_review_offender ON offender_plan_review (offender_id, reviewed_at);

-- Home visits, planned and done; due_on and risk_level are the visit due
-- date and the risk level in force when it was done.
CREATE TABLE offender_visit (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    kind TEXT NOT NULL CHECK (kind IN ('announced', 'unannounced')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'no_access')),
    planned_on TEXT,
    done_on TEXT,
    due_on TEXT,
    risk_level TEXT,
    findings TEXT,
    officer_id INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (status = 'planned' OR (done_on IS NOT NULL AND findings IS NOT NULL))
);
CREATE INDEX offender_visit_offender ON offender_visit (offender_id, status, done_on);
CREATE INDEX offender_visit_due ON offender_visit (due_on);

-- Every decision to manage actively or reactively, with eligibility and,
-- when a review of intelligence made it, that intelligence.
CREATE TABLE offender_management_decision (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    criteria TEXT,
    decision TEXT NOT NULL CHECK (decision IN ('active', 'reactive')),
    reason TEXT NOT NULL,
    intelligence_id INTEGER,
    decided_by INTEGER REFERENCES app_user (id),
    decided_at TEXT NOT NULL
);
CREATE INDEX offender_decision_offender ON offender_management_decision (offender_id, id);

-- New intelligence or an incident linked to the offender. For a reactively
-- managed offender it asks for a review by review_due_at; the outcome is
-- kept here and in the decision it made.
CREATE TABLE offender_intelligence (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    kind TEXT NOT NULL CHECK (kind IN ('contact_with_children', 'breach_of_order',
                                       'failure_to_notify', 'new_offence', 'other')),
    urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'routine')),
    summary TEXT NOT NULL,
    incident_id INTEGER REFERENCES incident (id),
    occurred_on TEXT NOT NULL,
    management_at_time TEXT NOT NULL CHECK (management_at_time IN ('active', 'reactive')),
    review_due_at TEXT,
    reviewed_at TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('stay_reactive', 'return_to_active')),
    outcome_reason TEXT,
    reviewed_by INTEGER REFERENCES app_user (id),
    recorded_by INTEGER REFERENCES app_user (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX offender_intelligence_offender ON offender_intelligence (offender_id, id);
CREATE INDEX offender_intelligence_due ON offender_intelligence (review_due_at);

-- A child living in an offender's household, from a notification or an
-- address match; the child's area is asked to act.
CREATE TABLE offender_child_link (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    child_person_id INTEGER NOT NULL REFERENCES person (id),
    source TEXT NOT NULL CHECK (source IN ('household_notification', 'address_match')),
    notification_id INTEGER REFERENCES offender_notification (id),
    address_key TEXT,
    area TEXT,
    linked_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'actioned')),
    action_text TEXT,
    actioned_at TEXT,
    actioned_by INTEGER REFERENCES app_user (id),
    UNIQUE (offender_id, child_person_id)
);
CREATE INDEX offender_child_link_child ON offender_child_link (child_person_id);

-- Offenders causing concern in a policing area: what local officers see.
CREATE TABLE offender_concern (
    id INTEGER PRIMARY KEY,
    offender_id INTEGER NOT NULL REFERENCES offender (id),
    area TEXT NOT NULL,
    photo_ref TEXT,
    risk_summary TEXT NOT NULL,
    look_for TEXT NOT NULL,
    if_seen TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    raised_by INTEGER REFERENCES app_user (id),
    review_due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    ended_at TEXT,
    end_reason TEXT,
    ended_by INTEGER REFERENCES app_user (id),
    CHECK (status = 'active' OR ended_at IS NOT NULL)
);
CREATE INDEX offender_concern_area ON offender_concern (area, status);
CREATE INDEX offender_concern_offender ON offender_concern (offender_id);

CREATE TABLE offender_concern_review (
    id INTEGER PRIMARY KEY,
    concern_id INTEGER NOT NULL REFERENCES offender_concern (id),
    kind TEXT NOT NULL CHECK (kind IN ('reviewed', 'ended')),
    due_on TEXT NOT NULL,
    done_at TEXT NOT NULL,
    note TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id)
);
CREATE INDEX offender_concern_review_due ON offender_concern_review (due_on);

-- Each area's briefing: refreshed whenever a concern there is raised or
-- ends, so officers can tell a current briefing from a stale one.
CREATE TABLE offender_briefing (
    id INTEGER PRIMARY KEY,
    area TEXT NOT NULL UNIQUE,
    refreshed_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER offender_notification_no_update BEFORE UPDATE ON offender_notification
BEGIN
    SELECT RAISE(ABORT, 'offender_notification is append-only');
END;
CREATE TRIGGER offender_notification_no_delete BEFORE DELETE ON offender_notification
BEGIN
    SELECT RAISE(ABORT, 'offender_notification is append-only');
END;
CREATE TRIGGER offender_breach_no_update BEFORE UPDATE ON offender_breach
BEGIN
    SELECT RAISE(ABORT, 'offender_breach is append-only');
END;
CREATE TRIGGER offender_breach_no_delete BEFORE DELETE ON offender_breach
BEGIN
    SELECT RAISE(ABORT, 'offender_breach is append-only');
END;
CREATE TRIGGER offender_risk_no_update BEFORE UPDATE ON offender_risk_assessment
BEGIN
    SELECT RAISE(ABORT, 'offender_risk_assessment is append-only');
END;
CREATE TRIGGER offender_risk_no_delete BEFORE DELETE ON offender_risk_assessment
BEGIN
    SELECT RAISE(ABORT, 'offender_risk_assessment is append-only');
END;
CREATE TRIGGER offender_decision_no_update BEFORE UPDATE ON offender_management_decision
BEGIN
    SELECT RAISE(ABORT, 'offender_management_decision is append-only');
END;
CREATE TRIGGER offender_decision_no_delete BEFORE DELETE ON offender_management_decision
BEGIN
    SELECT RAISE(ABORT, 'offender_management_decision is append-only');
END;
