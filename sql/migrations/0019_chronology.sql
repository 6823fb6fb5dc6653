-- 0019_chronology.sql — indexes for the child's chronology and the children
-- at risk board (issue 15). No new tables: the chronology is read from the
-- areas' own records, never copied, so it can never disagree with them.
--
-- Each index serves one source query of src/modules/chronology/ that would
-- otherwise scan a whole table to find one child's rows (the source queries'
-- plans are checked in tests/unit/test_chronology.c).

-- The child's voice across incidents (the unique key leads with the incident).
CREATE INDEX voice_of_child_person ON voice_of_child (person_id, recorded_at);
-- Investigations naming the child, in any role (the key leads with the investigation).
CREATE INDEX investigation_person_person ON investigation_person (person_id, investigation_id);
-- Referrals about the child (the unique index is partial, so unusable here).
CREATE INDEX referral_person ON referral (person_id, concern_at);
-- Households: the referrals that name the child as a member.
CREATE INDEX referral_member_person ON referral_member (person_id, referral_id);
-- Online referrals where the child is the suspect.
CREATE INDEX online_referral_suspect ON online_referral (suspect_person_id, received_at);
-- The child's open tasks, soonest due first, for the risk summary.
CREATE INDEX task_person_open ON task (person_id, status, due_at);
-- The board's change token: the newest change to any missing episode or case.
CREATE INDEX missing_episode_updated ON missing_episode (updated_at);
CREATE INDEX police_protection_updated ON police_protection (updated_at);
-- Online referrals by the investigation they became (a child at the suspect's home).
CREATE INDEX online_referral_investigation ON online_referral (investigation_id);
