-- Plan monitoring: targets from plan files, monthly member snapshots, and
-- reports that are submitted, approved and frozen.

-- Membership changes by date: the indicator engine adds the periods that
-- start or end between a snapshot and the date asked for.
CREATE INDEX memberships_from ON memberships (valid_from);
CREATE INDEX memberships_to ON memberships (valid_to);

-- Direct active members of each unit at the start of each month
-- (day = YYYY-MM-01), for past dates and trends without reading members.
CREATE TABLE member_snapshots (
    day TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    members INTEGER NOT NULL,
    members_female INTEGER NOT NULL,
    PRIMARY KEY (day, unit_id)
);

-- Targets: a plan's (unit = the plan's unit) and those allocated to units
-- below it (parent_id = the target they were allocated from).
CREATE TABLE plan_targets (
    id {{id}},
    plan_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    comparator TEXT NOT NULL,
    wording TEXT NOT NULL DEFAULT '',
    qualitative TEXT NOT NULL DEFAULT '',
    reading TEXT NOT NULL DEFAULT '',
    parent_id BIGINT REFERENCES plan_targets (id),
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_targets_key ON plan_targets (plan_code, indicator, unit_id, year);

CREATE TABLE reports (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    as_of TEXT NOT NULL,
    status TEXT NOT NULL,
    values_json TEXT NOT NULL,
    hash TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TEXT,
    approved_by TEXT NOT NULL DEFAULT '',
    approved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX reports_unit ON reports (unit_id, period);
