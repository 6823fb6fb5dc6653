-- 0005_assurance.sql — governance (DOMAIN.md, Governance): inspections, their
-- recommendations with timescales and sub-points, the force's actions against
-- each recommendation and the append-only history of every change to an action.
--
-- The measures registry is a declarative C table (src/modules/assurance/
-- assurance_measures.c), not rows here: each measure is code that counts, so
-- its definition and its query live side by side and are reviewed together.
--
-- "action" is a keyword in SQL (ON DELETE NO ACTION), so the tables are
-- recommendation_action and recommendation_action_history.

CREATE TABLE inspection (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,                      -- "HMICFRS"
    title TEXT NOT NULL,
    force TEXT NOT NULL,
    published_on TEXT NOT NULL,              -- YYYY-MM-DD: timescales count from here
    UNIQUE (body, force, title, published_on)
);

CREATE TABLE recommendation (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspection (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    text TEXT NOT NULL,
    timescale TEXT NOT NULL CHECK (timescale IN ('immediately', 'months')),
    timescale_months INTEGER CHECK ((timescale = 'immediately' AND timescale_months IS NULL)
                                    OR (timescale = 'months' AND timescale_months >= 1)),
    due_on TEXT NOT NULL,                    -- derived: published_on (+ timescale_months)
    owner TEXT,                              -- a post, not a person
    UNIQUE (inspection_id, number)
);

CREATE TABLE recommendation_point (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id),
    label TEXT NOT NULL,                     -- "a", "b", ...
    text TEXT NOT NULL,
    UNIQUE (recommendation_id, label)
);

CREATE TABLE recommendation_action (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id),
    title TEXT NOT NULL,
    owner TEXT,                              -- a post, not a person
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'complete', 'blocked')),
    evidence TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE INDEX recommendation_action_rec ON recommendation_action (recommendation_id, id);

CREATE TABLE recommendation_action_history (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES recommendation_action (id),
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES app_user (id),
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX recommendation_action_history_action ON recommendation_action_history (action_id, id);
CREATE TRIGGER recommendation_action_history_no_update
    BEFORE UPDATE ON recommendation_action_history
BEGIN
    SELECT RAISE(ABORT, 'recommendation_action_history is append-only');
END;
CREATE TRIGGER recommendation_action_history_no_delete
    BEFORE DELETE ON recommendation_action_history
BEGIN
    SELECT RAISE(ABORT, 'recommendation_action_history is append-only');
END;
