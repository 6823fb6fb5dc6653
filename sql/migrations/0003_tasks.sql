-- 0003_tasks.sql — the timescales engine's tasks (src/rules/).
--
-- A task is what a rule says must happen to a record by a time. Rules open
-- them when a record enters a state and close them when the required action
-- is recorded; "overdue" is computed from due_at and the clock, never stored,
-- so nothing has to poll.

CREATE TABLE task (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,             -- rule id from src/rules/rules.c
    record_type TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    person_id INTEGER REFERENCES person (id), -- the child concerned, when one is
    title TEXT NOT NULL,
    due_at TEXT NOT NULL,
    owner_user_id INTEGER REFERENCES app_user (id),
    owner_team TEXT,
    owner_role TEXT,
    escalate_role TEXT,             -- who is told when it is overdue
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by INTEGER REFERENCES app_user (id)
);
CREATE INDEX task_record ON task (record_type, record_id, rule, status);
CREATE INDEX task_open_due ON task (status, due_at);
CREATE INDEX task_owner_user ON task (owner_user_id, status);
CREATE INDEX task_owner_team ON task (owner_team, status);
