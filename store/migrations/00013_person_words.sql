-- Word-order-free name search (docs/DESIGN.md, "Search and order"): every
-- word of a person's folded name (persons.search_key split at spaces) is a
-- row, in the member order (sort_key, id) under each word, with the folded
-- name, the status and the unit beside it (copies of persons') so that a
-- search reads the index alone: the other words of a query, the status and
-- the scope are checked in the row. Derived from persons: written with
-- every name (insertPerson, updatePerson, a bulk load's end) and every
-- change of unit or status (openPeriod, closePeriod, a merger), and
-- backfilled here.
{{pg}}CREATE TABLE person_words (
{{pg}}    word TEXT COLLATE "C" NOT NULL,
{{pg}}    sort_key BYTEA NOT NULL,
{{pg}}    person_id BIGINT NOT NULL,
{{pg}}    name TEXT COLLATE "C" NOT NULL,
{{pg}}    status TEXT NOT NULL,
{{pg}}    unit_id BIGINT,
{{pg}}    PRIMARY KEY (word, sort_key, person_id) INCLUDE (name, status, unit_id)
{{pg}});
{{sqlite}}CREATE TABLE person_words (
{{sqlite}}    word TEXT NOT NULL,
{{sqlite}}    sort_key BLOB NOT NULL,
{{sqlite}}    person_id BIGINT NOT NULL,
{{sqlite}}    name TEXT NOT NULL,
{{sqlite}}    status TEXT NOT NULL,
{{sqlite}}    unit_id BIGINT,
{{sqlite}}    PRIMARY KEY (word, sort_key, person_id)
{{sqlite}}) WITHOUT ROWID;

-- The distinct words and how many persons have each (any status, any
-- unit): a query word's prefix becomes the list of words it starts, and
-- the rarest query word drives the search. Writers are serialised by the
-- audit head, so the counts are no point of contention.
CREATE TABLE search_words (
    word {{ctext}} PRIMARY KEY,
    persons BIGINT NOT NULL
);

{{pg}}INSERT INTO person_words (word, sort_key, person_id, name, status, unit_id)
{{pg}}SELECT DISTINCT w, p.sort_key, p.id, p.search_key, p.status, p.unit_id FROM persons p, unnest(string_to_array(p.search_key, ' ')) w
{{pg}}WHERE w <> '' ORDER BY 1, 2, 3;
{{sqlite}}INSERT OR IGNORE INTO person_words (word, sort_key, person_id, name, status, unit_id)
{{sqlite}}WITH RECURSIVE s(id, sort_key, name, status, unit_id, word, rest) AS (
{{sqlite}}    SELECT id, sort_key, search_key, status, unit_id, '', search_key || ' ' FROM persons
{{sqlite}}    UNION ALL
{{sqlite}}    SELECT id, sort_key, name, status, unit_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM s WHERE rest <> ''
{{sqlite}})
{{sqlite}}SELECT word, sort_key, id, name, status, unit_id FROM s WHERE word <> '' ORDER BY 1, 2, 3;

INSERT INTO search_words (word, persons) SELECT word, COUNT(*) FROM person_words GROUP BY word;
-- A person's rows, for a change of unit or status.
CREATE INDEX person_words_person ON person_words (person_id);

-- The last four digits of a CCCD find the person (its first digits are
-- the province and century of birth). An index on the expression, the
-- same on both engines, rather than a column: no UPDATE of every person.
CREATE INDEX persons_cccd_tail ON persons ((substr(cccd, length(cccd) - 3)));
