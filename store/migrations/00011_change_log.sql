-- The change log in the database: every write transaction that changes
-- derived figures takes the next generation from change_head (its row
-- lock orders the commits, so generations are committed in order and
-- without gaps) and records what it changed in change_log, in the same
-- transaction. Every server follows the log, so a write through one is
-- seen by the caches of all.
CREATE TABLE change_head (
    id INTEGER PRIMARY KEY,
    gen BIGINT NOT NULL
);
INSERT INTO change_head (id, gen) VALUES (1, 0);
CREATE TABLE change_log (
    gen BIGINT PRIMARY KEY,
    kinds INTEGER NOT NULL,
    from_date TEXT,
    listed SMALLINT NOT NULL DEFAULT 0,
    employers TEXT NOT NULL DEFAULT '',
    unions TEXT NOT NULL DEFAULT '',
    members_listed SMALLINT NOT NULL DEFAULT 0,
    members TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
