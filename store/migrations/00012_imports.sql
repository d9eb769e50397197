-- Imports of spreadsheets: who brought what in, when, and what came of it.
-- The records an import writes name it in their audit events.
CREATE TABLE imports (
    id {{id}},
    kind TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id), -- the importer's scope (NULL: the whole tree)
    file_name TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_total INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    errors_json TEXT NOT NULL DEFAULT '[]',
    started_at TEXT NOT NULL,
    finished_at TEXT
);
