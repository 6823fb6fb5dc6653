-- 0021_measures_at_scale.sql — an index a board measure needs at force scale (issue 16).
--
-- "Opportunities to protect reviewed" (R6) counts the incident.protection_decision
-- tasks due in the period. Without this index SQLite reached them through
-- task_record, i.e. every task of every incident (about 1.5 million at the
-- large scale) for each month of a trend: 100 ms a month, 3.4 s for 36 months.
CREATE INDEX task_rule_due ON task (rule, due_at);
