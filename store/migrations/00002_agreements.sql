-- Collective labour agreements (thỏa ước lao động tập thể): the minimal
-- record the plan's cba_coverage_pct needs, shaped for the labour-relations
-- module to extend (renewals via renews_id, grade, later key terms).
--
-- Validity is [valid_from, valid_to] with valid_to INCLUSIVE: the last day
-- the agreement is in force ("có hiệu lực đến hết ngày …"). Unlike
-- memberships and unit_parents, whose end is exclusive, "valid on D" here is
-- valid_from <= D AND valid_to >= D.

CREATE TABLE agreements (
    id {{id}},
    -- the grassroots union covered; scope follows it through unit_closure
    unit_id BIGINT NOT NULL REFERENCES units (id),
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    kind TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    -- '' (not graded) or a grade of Guidance 90/HD-TLĐ (A, B, C)
    quality TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    -- the agreement this one renews
    renews_id BIGINT REFERENCES agreements (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX agreements_unit ON agreements (unit_id, valid_from);
CREATE INDEX agreements_employer ON agreements (employer_id);
