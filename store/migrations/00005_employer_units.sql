-- Which upper-level unit was responsible for an employer's area, by date
-- [valid_from, valid_to): restructuring hands employers to new units, and
-- "employers with 15+ workers without a union" on a past date must count
-- them where they were then. employers.unit_id stays the current one (what
-- scope follows); an employer without rows here was always under it.
CREATE TABLE employer_units (
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (employer_id, valid_from)
);
CREATE INDEX employer_units_unit ON employer_units (unit_id);
