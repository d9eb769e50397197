package store

import (
	"context"
	"slices"
	"strings"
)

// person_words and search_words (migration 00013) hold every word of each
// person's folded name, for the word-order-free name search
// (membersearch.go). They are derived from persons.search_key and
// sort_key: every write of a name goes through insertPerson, updatePerson
// or a bulk load, and each of those writes the words in the same
// transaction; CheckDerived compares them with a rebuild.

// nameWords returns the distinct words of a folded name (search_key), as
// the SQL of fillPersonWords splits it: at single spaces, empty words
// dropped.
func nameWords(key string) []string {
	var out []string
	for _, w := range strings.Split(key, " ") {
		if w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// addPersonWords writes the words of a person's name, with the person's
// status and unit as persons has them, and counts them.
func (tx *Tx) addPersonWords(ctx context.Context, id int64, key string, sortKey []byte) error {
	for _, w := range nameWords(key) {
		if _, err := tx.exec(ctx, `INSERT INTO person_words (word, sort_key, person_id, name, status, unit_id)
			SELECT ?, ?, id, ?, status, unit_id FROM persons WHERE id = ?`, w, sortKey, key, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO search_words (word, persons) VALUES (?, 1)
			ON CONFLICT (word) DO UPDATE SET persons = search_words.persons + 1`, w); err != nil {
			return err
		}
	}
	return nil
}

// dropPersonWords removes the words of a person's name as it was. A word
// no one has any more keeps its row with a count of 0: it costs a search
// nothing.
func (tx *Tx) dropPersonWords(ctx context.Context, id int64, key string, sortKey []byte) error {
	for _, w := range nameWords(key) {
		if _, err := tx.exec(ctx, `DELETE FROM person_words WHERE word = ? AND sort_key = ? AND person_id = ?`, w, sortKey, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE search_words SET persons = persons - 1 WHERE word = ?`, w); err != nil {
			return err
		}
	}
	return nil
}

// fillPersonWords writes the words of the persons with id ≥ from (a bulk
// load's, or every person's) and adds them to the counts, in two
// statements: the same split as the migration's backfill. The rows go in
// index order, so that SQLite appends to its b-tree.
func (tx *Tx) fillPersonWords(ctx context.Context, from int64) error {
	words := `SELECT DISTINCT w AS word, p.sort_key, p.id, p.search_key, p.status, p.unit_id FROM persons p, unnest(string_to_array(p.search_key, ' ')) w
		WHERE w <> '' AND p.id >= ?`
	if tx.d.dialect.name == "sqlite" {
		words = `WITH RECURSIVE s(id, sort_key, name, status, unit_id, word, rest) AS (
				SELECT id, sort_key, search_key, status, unit_id, '', search_key || ' ' FROM persons WHERE id >= ?
				UNION ALL
				SELECT id, sort_key, name, status, unit_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM s WHERE rest <> '')
			SELECT DISTINCT word, sort_key, id, name, status, unit_id FROM s WHERE word <> ''`
	}
	if _, err := tx.exec(ctx, `INSERT INTO person_words (word, sort_key, person_id, name, status, unit_id) SELECT * FROM (`+words+`) t ORDER BY 1, 2, 3`, from); err != nil {
		return err
	}
	// WHERE true: SQLite would read ON CONFLICT as a join's ON otherwise.
	_, err := tx.exec(ctx, `INSERT INTO search_words (word, persons) SELECT word, COUNT(*) FROM (`+words+`) t WHERE true GROUP BY word
		ON CONFLICT (word) DO UPDATE SET persons = search_words.persons + excluded.persons`, from)
	return err
}

// setPersonWordsUnit keeps the words' copy of a person's unit and status
// (persons.unit_id, status) in step.
func (tx *Tx) setPersonWordsUnit(ctx context.Context, personID, unitID int64) error {
	_, err := tx.exec(ctx, `UPDATE person_words SET unit_id = ?, status = 'active' WHERE person_id = ?`, unitID, personID)
	return err
}

// rebuildWords derives person_words and search_words from persons again.
func (tx *Tx) rebuildWords(ctx context.Context) error {
	for _, q := range []string{`DELETE FROM person_words`, `DELETE FROM search_words`} {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return tx.fillPersonWords(ctx, 0)
}
