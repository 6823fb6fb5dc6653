-- 0006_case_audits.sql — case audits (DOMAIN.md, Governance): supervisors
-- and the force's audit team sample closed records and grade each against a
-- set of criteria on the inspectorate's scale, so the board sees the quality
-- of practice as well as its timeliness (docs/case-audits.md).
--
-- Which kinds of record can be audited, and how each finds its closed
-- records, is a declarative C table (case_audit_record_types[] in
-- src/modules/case_audits/case_audits.c); record_type names one of its rows.
-- A sampled record is referenced by (record_type, record_id), so record_id
-- carries no foreign key.
--
-- Gradings are append-only: a regrade adds a grading with the audit's next
-- version, and the audit points at the one in force. Criteria are never
-- deleted or reworded (past grades answer the question as it was asked):
-- a force retires one and adds another.

CREATE TABLE case_audit_criterion (
    id INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL,
    key TEXT NOT NULL,                       -- names it in a grading: grades.<key>
    question TEXT NOT NULL,
    recommendation INTEGER NOT NULL CHECK (recommendation BETWEEN 1 AND 99), -- the one it evidences
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position INTEGER NOT NULL,               -- order on the form ("order" is a keyword)
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    retired_by INTEGER REFERENCES app_user (id),
    retired_at TEXT,
    UNIQUE (record_type, key),
    CHECK ((active = 1) = (retired_at IS NULL))
);

-- One request to sample: what was asked, how many records it chose from.
CREATE TABLE case_audit_sample (
    id INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL,
    month TEXT NOT NULL,                     -- YYYY-MM: records closed in this month (UTC)
    method TEXT NOT NULL CHECK (method IN ('random', 'share')),
    requested INTEGER NOT NULL CHECK (requested >= 1), -- random: how many; share: percent
    area TEXT,                               -- the area asked for; NULL: every area
    candidates INTEGER NOT NULL,             -- closed records not audited before
    sampled INTEGER NOT NULL CHECK (sampled >= 1),
    sampled_by INTEGER REFERENCES app_user (id),
    sampled_at TEXT NOT NULL
);

CREATE TABLE case_audit (
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES case_audit_sample (id),
    record_type TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    area TEXT,                               -- the record's policing area when sampled
    month TEXT NOT NULL,                     -- YYYY-MM the record closed
    auditor_id INTEGER NOT NULL REFERENCES app_user (id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
    grading_id INTEGER,                      -- the grading in force; NULL while pending
    completed_at TEXT,                       -- the first grading: the period its results count in
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (record_type, record_id),         -- a record is audited once
    CHECK ((status = 'pending') = (grading_id IS NULL)),
    CHECK ((status = 'pending') = (completed_at IS NULL))
);
CREATE INDEX case_audit_auditor ON case_audit (auditor_id, status);
CREATE INDEX case_audit_completed ON case_audit (status, completed_at);
CREATE INDEX case_audit_month ON case_audit (month, area);
CREATE INDEX case_audit_sample_audits ON case_audit (sample_id);

-- One grading of an audit: the overall grade, and one case_audit_grade per
-- criterion active when it was made.
CREATE TABLE case_audit_grading (
    id INTEGER PRIMARY KEY,
    audit_id INTEGER NOT NULL REFERENCES case_audit (id),
    version INTEGER NOT NULL,                -- the audit's version this grading made
    overall_grade TEXT NOT NULL
        CHECK (overall_grade IN ('good', 'requires_improvement', 'inadequate')),
    overall_reason TEXT NOT NULL,
    learning TEXT,
    graded_by INTEGER REFERENCES app_user (id),
    graded_at TEXT NOT NULL,
    UNIQUE (audit_id, version)
);

CREATE TABLE case_audit_grade (
    id INTEGER PRIMARY KEY,
    grading_id INTEGER NOT NULL REFERENCES case_audit_grading (id),
    criterion_id INTEGER NOT NULL REFERENCES case_audit_criterion (id),
    grade TEXT NOT NULL
        CHECK (grade IN ('good', 'requires_improvement', 'inadequate', 'not_applicable')),
    reason TEXT,
    UNIQUE (grading_id, criterion_id),
    CHECK (reason IS NOT NULL OR grade IN ('good', 'not_applicable'))
);
CREATE INDEX case_audit_grade_criterion ON case_audit_grade (criterion_id);

CREATE TRIGGER case_audit_grading_no_update BEFORE UPDATE ON case_audit_grading
BEGIN
    SELECT RAISE(ABORT, 'case_audit_grading is append-only');
END;
CREATE TRIGGER case_audit_grading_no_delete BEFORE DELETE ON case_audit_grading
BEGIN
    SELECT RAISE(ABORT, 'case_audit_grading is append-only');
END;
CREATE TRIGGER case_audit_grade_no_update BEFORE UPDATE ON case_audit_grade
BEGIN
    SELECT RAISE(ABORT, 'case_audit_grade is append-only');
END;
CREATE TRIGGER case_audit_grade_no_delete BEFORE DELETE ON case_audit_grade
BEGIN
    SELECT RAISE(ABORT, 'case_audit_grade is append-only');
END;

-- The default criteria for incidents, modelled on what the inspectorate's
-- national child protection inspection looks for in the control room's
-- response to a child (wording ours). Each evidences one of the 2022
-- inspection's recommendations: 1 the response reflects the risk, 2 the
-- child's views and demeanour recorded, 4 concerns reported to partners,
-- 5(b) oversight and supervision.
INSERT INTO case_audit_criterion (record_type, key, question, recommendation, position, created_at)
VALUES
    ('incident', 'risk_assessed',
     'Was the risk to the child identified and assessed (THRIVE), using what was known at the time, including earlier incidents?',
     1, 1, '2026-01-01T00:00:00Z'),
    ('incident', 'response_matched_risk',
     'Did the grade and the response match the assessed risk, including continuing or escalating risk, with any lower grade authorised and explained?',
     1, 2, '2026-01-01T00:00:00Z'),
    ('incident', 'voice_recorded',
     'Were the child''s words, views, behaviour and demeanour obtained and recorded, or the reason they were not?',
     2, 3, '2026-01-01T00:00:00Z'),
    ('incident', 'partners_informed',
     'Where the child needed protection or support, were concerns shared with statutory safeguarding partners without delay?',
     4, 4, '2026-01-01T00:00:00Z'),
    ('incident', 'supervision_evident',
     'Is supervisory oversight evident and effective: decisions reviewed, rationale recorded and direction given where needed?',
     5, 5, '2026-01-01T00:00:00Z');
