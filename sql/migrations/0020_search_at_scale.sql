-- 0020_search_at_scale.sql — what person search needs at force scale (issue 16).
--
-- Search reads its candidates from the covering index person_search_key alone
-- and no longer joins every candidate row to person (at a million people a
-- common surname brings tens of thousands of rows). The one fact it still
-- needs from person for each of them, whether the person is restricted, comes
-- from this partial index: restricted people are few, so reading them all is
-- cheaper than a lookup per candidate.
CREATE INDEX person_restricted ON person (id) WHERE restricted = 1;
