-- 0009_recommendation_measure.sql — which registry measures evidence which
-- recommendation. The measures registry (assurance_measures.c) says what
-- each measure counts; this says where it is shown. `safeguard seed` maps
-- the 2022 inspection's recommendations to the registry's rows for them; an
-- imported inspection names its measures per recommendation (or none), so a
-- new inspection's "recommendation 1" never borrows another's measures.
CREATE TABLE recommendation_measure (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id),
    measure_key TEXT NOT NULL,               -- a key of assurance_measures[]
    UNIQUE (recommendation_id, measure_key)
);
