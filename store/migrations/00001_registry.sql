-- The union registry: units and their dated tree, employers and their dated
-- headcounts, persons and their membership periods, users, sessions, audit.
-- Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 text in UTC: portable
-- and sortable on every engine. {{…}} macros are expanded per engine (dialect.go).

CREATE TABLE units (
    id {{id}},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key {{ctext}} NOT NULL,
    kind TEXT NOT NULL,
    employer_id BIGINT {{sqlite_ref_employers}},
    commune_code TEXT NOT NULL DEFAULT '',
    founded_on TEXT NOT NULL,
    dissolved_on TEXT,
    -- the parent of the unit's latest edge (open, or the last one before it
    -- was dissolved): what scoping and unit_closure follow. The dated truth
    -- is unit_parents.
    parent_id BIGINT REFERENCES units (id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX units_code ON units (code);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_employer ON units (employer_id);

CREATE TABLE employers (
    id {{id}},
    tax_code TEXT,
    name TEXT NOT NULL,
    search_key {{ctext}} NOT NULL,
    sector TEXT NOT NULL,
    industry TEXT NOT NULL DEFAULT '',
    commune_code TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    -- current headcount: the latest row of employer_headcounts, kept here so
    -- the organising list ("≥ 15 workers, no union") needs no subquery
    workers_total INTEGER NOT NULL DEFAULT 0,
    workers_female INTEGER NOT NULL DEFAULT 0,
    headcount_as_of TEXT,
    -- the upper-level unit responsible for the employer's area
    unit_id BIGINT NOT NULL REFERENCES units (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX employers_tax_code ON employers (tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX employers_unit ON employers (unit_id, workers_total);
CREATE INDEX employers_search ON employers (search_key);

CREATE TABLE employer_headcounts (
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    as_of TEXT NOT NULL,
    workers_total INTEGER NOT NULL,
    workers_female INTEGER NOT NULL,
    si_payroll BIGINT,
    PRIMARY KEY (employer_id, as_of)
);

-- units.employer_id and employers.unit_id point at each other: SQLite
-- accepts the forward reference, PostgreSQL gets the constraint afterwards.
{{pg}}ALTER TABLE units ADD CONSTRAINT units_employer_fk FOREIGN KEY (employer_id) REFERENCES employers (id);

-- Effective-dated tree edges, [valid_from, valid_to). The tree on date D is
-- the set of edges with valid_from <= D < valid_to (or valid_to NULL).
CREATE TABLE unit_parents (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    parent_id BIGINT REFERENCES units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE UNIQUE INDEX unit_parents_open ON unit_parents (unit_id) WHERE valid_to IS NULL;
CREATE INDEX unit_parents_unit ON unit_parents (unit_id, valid_from);
CREATE INDEX unit_parents_parent ON unit_parents (parent_id, valid_from);

-- Ancestor/descendant pairs of the current tree (units.parent_id), each unit
-- its own ancestor at depth 0. Scoping filters on it; it is rebuilt for the
-- moved subtree in the same transaction as a move or merge.
CREATE TABLE unit_closure (
    ancestor_id BIGINT NOT NULL REFERENCES units (id),
    descendant_id BIGINT NOT NULL REFERENCES units (id),
    depth INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX unit_closure_descendant ON unit_closure (descendant_id, ancestor_id);

CREATE TABLE unit_events (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    other_unit_id BIGINT REFERENCES units (id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX unit_events_unit ON unit_events (unit_id, on_date);

-- Direct counts per unit, maintained in the transaction of every membership
-- write; subtree figures are sums over unit_closure, never scans of members.
CREATE TABLE unit_counts (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    members INTEGER NOT NULL DEFAULT 0,
    members_female INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE persons (
    id {{id}},
    cccd TEXT NOT NULL,
    full_name TEXT NOT NULL,
    -- folded (no diacritics, đ→d, lower case) full name and given-name-first
    -- forms, for prefix search by range on both engines
    search_key {{ctext}} NOT NULL,
    given_key {{ctext}} NOT NULL,
    -- Vietnamese collation key of given name then the rest
    sort_key {{blob}} NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    ethnicity TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    job TEXT NOT NULL DEFAULT '',
    -- cache of the latest membership period, written with it
    unit_id BIGINT REFERENCES units (id),
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX persons_cccd ON persons (cccd);
CREATE INDEX persons_search ON persons (search_key);
CREATE INDEX persons_given ON persons (given_key);
CREATE INDEX persons_sort ON persons (sort_key, id);
CREATE INDEX persons_unit ON persons (unit_id, status, sort_key);

-- Membership periods [valid_from, valid_to) of a person in a unit.
CREATE TABLE memberships (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES persons (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    start_reason TEXT NOT NULL,
    end_reason TEXT,
    note TEXT NOT NULL DEFAULT ''
);
-- one open period per person: never an active member of two unions
CREATE UNIQUE INDEX memberships_open ON memberships (person_id) WHERE valid_to IS NULL;
CREATE INDEX memberships_person ON memberships (person_id, valid_from);
CREATE INDEX memberships_unit ON memberships (unit_id, valid_from);

CREATE TABLE users (
    id {{id}},
    username TEXT NOT NULL,
    full_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only, hash-chained: hash = sha256(prev_hash | fields). The single
-- audit_head row serialises writers so the chain cannot fork.
CREATE TABLE audit_events (
    id BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');
