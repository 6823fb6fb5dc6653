-- 0001_people.sql — People and Locations (POLE), the first slice.
--
-- Portable SQL: INTEGER PRIMARY KEY (the PostgreSQL dialect maps it to an
-- identity column), ISO-8601 TEXT dates/timestamps, INTEGER 0/1 booleans.

CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    dob TEXT,                                   -- YYYY-MM-DD; NULL when unknown
    dob_accuracy TEXT NOT NULL DEFAULT 'unknown'
        CHECK (dob_accuracy IN ('exact', 'approximate', 'unknown')),
    gender TEXT NOT NULL DEFAULT 'unknown',
    ethnicity TEXT,                             -- self-defined, optional
    version INTEGER NOT NULL DEFAULT 1,         -- optimistic concurrency
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX person_dob ON person (dob);

CREATE TABLE person_alias (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL
);
CREATE INDEX person_alias_person ON person_alias (person_id);

-- Search index: one row per (phonetic or skeleton key, person, name token).
-- Rebuilt from person and person_alias on every write of a person.
CREATE TABLE person_search (
    search_key TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    name_tokens INTEGER NOT NULL              -- tokens in the name it came from
);
CREATE INDEX person_search_key ON person_search (search_key, person_id, token, name_tokens);
CREATE INDEX person_search_person ON person_search (person_id);

CREATE TABLE person_address (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    line1 TEXT NOT NULL,
    line2 TEXT,
    town TEXT,
    postcode TEXT,
    valid_from TEXT,
    valid_to TEXT
);
CREATE INDEX person_address_person ON person_address (person_id);
CREATE INDEX person_address_postcode ON person_address (postcode);

CREATE TABLE person_flag (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    flag TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    local_authority TEXT,
    note TEXT
);
CREATE INDEX person_flag_person ON person_flag (person_id);
CREATE INDEX person_flag_flag ON person_flag (flag, valid_to);
