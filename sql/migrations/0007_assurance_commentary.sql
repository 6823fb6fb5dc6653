-- 0007_assurance_commentary.sql — what the force says to its board about each
-- recommendation month by month, and the references to the documents that
-- evidence an action.
--
-- Commentary is append-only: saving a month's commentary again adds a row,
-- the newest row for (recommendation, period) is the one shown, and the rows
-- before it are its history. It is written for the Force Assurance Board and
-- the PCC, so it is shown to aggregate-only viewers (the form says not to
-- name anyone).

CREATE TABLE recommendation_commentary (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id),
    period TEXT NOT NULL,                    -- YYYY-MM: the month it speaks to
    text TEXT NOT NULL,
    written_at TEXT NOT NULL,
    written_by INTEGER REFERENCES app_user (id)
);
CREATE INDEX recommendation_commentary_rec
    ON recommendation_commentary (recommendation_id, period, id);
CREATE TRIGGER recommendation_commentary_no_update
    BEFORE UPDATE ON recommendation_commentary
BEGIN
    SELECT RAISE(ABORT, 'recommendation_commentary is append-only');
END;
CREATE TRIGGER recommendation_commentary_no_delete
    BEFORE DELETE ON recommendation_commentary
BEGIN
    SELECT RAISE(ABORT, 'recommendation_commentary is append-only');
END;

-- References to evidence held elsewhere (a document store's ids, file plan
-- references), one per line; never the documents themselves.
ALTER TABLE recommendation_action ADD COLUMN attachments TEXT;
