package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// Bulk loads many records in one transaction without per-row audit events:
// the demo generator and, later, imports use it. It writes base rows only
// (units, edges, employers, headcounts, persons, periods); Finish derives
// the caches (unit_closure, unit_counts, persons.unit_id/status) from them
// and writes one audit event for the whole load.
type Bulk struct {
	tx    *Tx
	ctx   context.Context
	stmts map[string]*sql.Stmt
	now   string
	n     map[string]int

	// Employers (with headcounts), persons, periods and agreements are
	// sent as multi-row INSERTs with ids the loader assigns: one statement
	// per few hundred rows instead of one per row. Batches flush in this
	// order, parents first; units, edges and events are written at once,
	// after flushing the employers a unit may reference.
	batches []*rowBatch
	lastID  map[string]int64
	locked  bool
	// Persons still in their batch, so that their periods can fill the
	// cached unit and status (saving an UPDATE of every person at the
	// end). A period for a person already written sets late, and the
	// caches are then derived the slow way.
	pendingPerson map[int64]*pendingPerson
	late          bool
	// firstPerson is the id of the load's first person: the words of the
	// names from it on are written at the end (fillPersonWords).
	firstPerson int64
}

// rowBatch is the rows of one table waiting for a multi-row INSERT.
type rowBatch struct {
	table string
	cols  []string
	max   int   // rows per statement
	args  []any // len(cols) values per row
}

func (r *rowBatch) rows() int { return len(r.args) / len(r.cols) }

type pendingPerson struct {
	row  int // index of the row in the persons batch
	from string
}

const (
	batchEmployers = iota
	batchHeadcounts
	batchPersons
	batchMemberships
	batchAgreements
)

// Bulk runs fn inside one write transaction. action names the load in the
// audit log (for example "demo.load").
func (d *DB) Bulk(ctx context.Context, action string, fn func(b *Bulk) error) error {
	return d.bulk(ctx, action, false, fn)
}

// deferredIndexes are the person and membership indexes a very large load
// drops and builds again at the end: inserting millions of rows into them
// in random key order costs more than sorting once. The unique indexes
// (one person per CCCD, one open period per person) stay, so the load is
// checked as it goes. Their definitions are read from the database before
// the drop, so the migrations stay the one place that defines them.
var deferredIndexes = []string{
	"persons_search", "persons_given", "persons_sort", "persons_unit", "persons_cccd_tail",
	"memberships_person", "memberships_unit", "memberships_from", "memberships_to",
}

// indexDDL returns the CREATE INDEX statement of an existing index.
func (tx *Tx) indexDDL(ctx context.Context, name string) (string, error) {
	q := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`
	if tx.d.dialect.name == "postgres" {
		q = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`
	}
	var ddl string
	if err := tx.queryRow(ctx, q, name).Scan(&ddl); err != nil {
		return "", fmt.Errorf("bulk: definition of index %s: %w", name, err)
	}
	return ddl, nil
}

// BulkLarge is Bulk for loads of millions of members (the national demo):
// it builds the person and membership indexes after the rows are in.
func (d *DB) BulkLarge(ctx context.Context, action string, fn func(b *Bulk) error) error {
	return d.bulk(ctx, action, true, fn)
}

func (d *DB) bulk(ctx context.Context, action string, deferIndexes bool, fn func(b *Bulk) error) error {
	if err := d.bulkTx(ctx, action, deferIndexes, fn); err != nil {
		return err
	}
	// Fresh statistics: after a large load PostgreSQL's estimates are of
	// empty tables (it chose parallel scans for a CCCD lookup). SQLite's
	// planner is left without statistics: its plans were measured so.
	if d.dialect.name == "postgres" {
		// Only the loaded tables (resolved through search_path): a bare
		// ANALYZE visits every schema of the database and waits on other
		// sessions' locks there.
		// VACUUM as well: it sets the visibility map, without which the
		// member search's index-only counts read every table row (and
		// autovacuum may be off, as on these machines).
		if _, err := d.db.ExecContext(ctx, `VACUUM (ANALYZE) units, unit_parents, unit_closure, unit_counts, employers, employer_headcounts, persons, person_words, search_words, memberships, agreements`); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) bulkTx(ctx context.Context, action string, deferIndexes bool, fn func(b *Bulk) error) error {
	// Run once, never retried: fn generates or reads its rows as it goes
	// (the demo's random stream, an import's file) and cannot start over.
	return d.tx1(ctx, func(tx *Tx) error {
		// A load may add anything anywhere: every cached figure goes.
		tx.Affects(ChangesAll, congdoan.Date{})
		if deferIndexes {
			var ddls []string
			for _, name := range deferredIndexes {
				ddl, err := tx.indexDDL(ctx, name)
				if err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `DROP INDEX `+name); err != nil {
					return fmt.Errorf("bulk: drop index %s: %w", name, err)
				}
				ddls = append(ddls, ddl)
			}
			inner := fn
			fn = func(b *Bulk) error {
				if err := inner(b); err != nil {
					return err
				}
				if err := b.finish(); err != nil {
					return err
				}
				for _, ddl := range ddls {
					if _, err := tx.exec(ctx, ddl); err != nil {
						return fmt.Errorf("bulk: %s: %w", ddl, err)
					}
				}
				return nil
			}
		}
		b := newBulk(ctx, tx)
		if d.dialect.name == "sqlite" {
			// A large load inserts into five person indexes in random key
			// order: with the normal cache every insert reads pages from
			// disk. 1 GiB for the load, back to normal afterwards (the
			// setting belongs to this pooled connection).
			if _, err := tx.exec(ctx, `PRAGMA cache_size = -1048576`); err != nil {
				return err
			}
			defer tx.exec(ctx, `PRAGMA cache_size = -65536`)
			if deferIndexes {
				// Building indexes over millions of rows sorts them in
				// temporary storage: in memory (the connection's default)
				// that took 13 GB at national scale. Files here.
				if _, err := tx.exec(ctx, `PRAGMA temp_store = FILE`); err != nil {
					return err
				}
				defer tx.exec(ctx, `PRAGMA temp_store = MEMORY`)
			}
		}
		defer func() {
			for _, s := range b.stmts {
				s.Close()
			}
		}()
		if err := fn(b); err != nil {
			return err
		}
		if err := b.finish(); err != nil {
			return err
		}
		// The caches derive from units and membership periods only: a load
		// of agreements or employers alone leaves them as they are.
		if b.n["units"]+b.n["units_parent"]+b.n["dissolve"]+b.n["persons"]+b.n["memberships"] > 0 {
			if err := tx.rebuildDerived(ctx, b.late); err != nil {
				return err
			}
		}
		// The words of the load's names, with their unit and status as
		// the caches now have them.
		if b.firstPerson != 0 {
			if err := tx.fillPersonWords(ctx, b.firstPerson); err != nil {
				return err
			}
		}
		return tx.audit(ctx, Event{Action: action, Entity: "bulk", EntityID: action, Global: true, After: b.n})
	})
}

func newBulk(ctx context.Context, tx *Tx) *Bulk {
	b := &Bulk{tx: tx, ctx: ctx, stmts: map[string]*sql.Stmt{}, now: tx.now.Format(time.RFC3339), n: map[string]int{},
		lastID: map[string]int64{}, pendingPerson: map[int64]*pendingPerson{}}
	b.batches = []*rowBatch{
		batchEmployers: {table: "employers", cols: []string{"id", "tax_code", "name", "search_key", "sector", "industry", "commune_code", "status",
			"workers_total", "workers_female", "headcount_as_of", "unit_id", "created_at", "updated_at"}, max: 400},
		batchHeadcounts: {table: "employer_headcounts", cols: []string{"employer_id", "as_of", "workers_total", "workers_female", "si_payroll"}, max: 1000},
		batchPersons: {table: "persons", cols: []string{"id", "cccd", "full_name", "search_key", "given_key", "sort_key", "gender", "birth_date",
			"ethnicity", "phone", "job", "unit_id", "status", "created_at", "updated_at"}, max: 400},
		batchMemberships: {table: "memberships", cols: []string{"id", "person_id", "unit_id", "valid_from", "valid_to", "start_reason", "end_reason"}, max: 800},
		batchAgreements: {table: "agreements", cols: []string{"id", "unit_id", "employer_id", "kind", "signed_on", "valid_from", "valid_to", "quality", "note",
			"renews_id", "created_at", "updated_at"}, max: 400},
	}
	return b
}

// nextID assigns the next id of table. The first call reads the table's
// largest id; on PostgreSQL it first locks the batched tables against
// other writers (readers go on), so the ids stay free until the commit.
func (b *Bulk) nextID(table string) (int64, error) {
	if b.tx.d.dialect.name == "postgres" && !b.locked {
		if _, err := b.tx.exec(b.ctx, `LOCK TABLE employers, persons, memberships, agreements IN EXCLUSIVE MODE`); err != nil {
			return 0, err
		}
		b.locked = true
	}
	last, ok := b.lastID[table]
	if !ok {
		if err := b.tx.queryRow(b.ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
			return 0, err
		}
	}
	last++
	b.lastID[table] = last
	return last, nil
}

// add queues a row; a full batch first sends every batch (parents first).
func (b *Bulk) add(which int, kind string, row ...any) error {
	r := b.batches[which]
	if r.rows() >= r.max {
		if err := b.flush(); err != nil {
			return err
		}
	}
	r.args = append(r.args, row...)
	b.n[kind]++
	return nil
}

// flush sends the queued rows of every batch, in dependency order.
func (b *Bulk) flush() error {
	for _, r := range b.batches {
		for r.rows() > 0 {
			n := min(r.rows(), r.max)
			k := len(r.cols)
			q := "INSERT INTO " + r.table + " (" + strings.Join(r.cols, ", ") + ") VALUES " + ValueRows(n, k)
			var err error
			if n == r.max {
				var s *sql.Stmt
				if s, err = b.stmt(q); err == nil {
					_, err = s.ExecContext(b.ctx, r.args[:n*k]...)
				}
			} else {
				_, err = b.tx.tx.ExecContext(b.ctx, b.tx.d.Rebind(q), r.args[:n*k]...)
			}
			if err != nil {
				return fmt.Errorf("bulk %s: %w", r.table, err)
			}
			r.args = r.args[n*k:]
		}
		r.args = nil
	}
	clear(b.pendingPerson)
	return nil
}

// flushEmployers sends queued employers before a row that may reference one.
func (b *Bulk) flushEmployers() error {
	if b.batches[batchEmployers].rows() == 0 {
		return nil
	}
	return b.flush()
}

// finish sends what is queued and moves PostgreSQL's id sequences past the
// ids the load assigned.
func (b *Bulk) finish() error {
	if err := b.flush(); err != nil {
		return err
	}
	if b.tx.d.dialect.name == "postgres" {
		for table, last := range b.lastID {
			if _, err := b.tx.exec(b.ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), ?)`, last); err != nil {
				return err
			}
		}
	}
	clear(b.lastID)
	return nil
}

func (b *Bulk) stmt(q string) (*sql.Stmt, error) {
	if s, ok := b.stmts[q]; ok {
		return s, nil
	}
	s, err := b.tx.tx.PrepareContext(b.ctx, b.tx.d.Rebind(q))
	if err != nil {
		return nil, err
	}
	b.stmts[q] = s
	return s, nil
}

func (b *Bulk) insert(kind, q string, args ...any) (int64, error) {
	s, err := b.stmt(q + " RETURNING id")
	if err != nil {
		return 0, err
	}
	var id int64
	if err := s.QueryRowContext(b.ctx, args...).Scan(&id); err != nil {
		return 0, fmt.Errorf("bulk %s: %w", kind, err)
	}
	b.n[kind]++
	return id, nil
}

func (b *Bulk) exec(kind, q string, args ...any) error {
	s, err := b.stmt(q)
	if err != nil {
		return err
	}
	if _, err := s.ExecContext(b.ctx, args...); err != nil {
		return fmt.Errorf("bulk %s: %w", kind, err)
	}
	b.n[kind]++
	return nil
}

// BulkUnit is a unit to load. ParentID 0 means a root. Dissolved units keep
// their last parent in ParentID; their edge is closed on DissolvedOn.
type BulkUnit struct {
	Code, Name  string
	Kind        congdoan.UnitKind
	ParentID    int64
	EmployerID  int64
	CommuneCode string
	FoundedOn   congdoan.Date
	DissolvedOn congdoan.Date
}

// Unit inserts a unit with its first edge (from FoundedOn) and founding event.
func (b *Bulk) Unit(u BulkUnit) (int64, error) {
	if err := b.flushEmployers(); err != nil {
		return 0, err
	}
	var parent, emp any
	if u.ParentID != 0 {
		parent = u.ParentID
	}
	if u.EmployerID != 0 {
		emp = u.EmployerID
	}
	id, err := b.insert("units", `INSERT INTO units (code, name, search_key, kind, employer_id, commune_code, founded_on, dissolved_on, parent_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Code, vntext.NFC(u.Name), vntext.Fold(u.Name), string(u.Kind), emp, u.CommuneCode,
		u.FoundedOn.String(), dateStr(u.DissolvedOn), parent, b.now)
	if err != nil {
		return 0, err
	}
	if err := b.exec("unit_parents", `INSERT INTO unit_parents (unit_id, parent_id, valid_from, valid_to) VALUES (?, ?, ?, ?)`,
		id, parent, u.FoundedOn.String(), dateStr(u.DissolvedOn)); err != nil {
		return 0, err
	}
	if err := b.Event(id, "founded", u.FoundedOn, 0, ""); err != nil {
		return 0, err
	}
	if !u.DissolvedOn.IsZero() {
		return id, b.Event(id, "dissolved", u.DissolvedOn, 0, "")
	}
	return id, nil
}

// Move closes a unit's open edge on date on and opens one under newParent.
func (b *Bulk) Move(unitID, newParentID int64, on congdoan.Date, note string) error {
	if err := b.exec("moves", `UPDATE unit_parents SET valid_to = ? WHERE unit_id = ? AND valid_to IS NULL`, on.String(), unitID); err != nil {
		return err
	}
	if err := b.exec("unit_parents", `INSERT INTO unit_parents (unit_id, parent_id, valid_from) VALUES (?, ?, ?)`, unitID, newParentID, on.String()); err != nil {
		return err
	}
	if err := b.exec("units_parent", `UPDATE units SET parent_id = ? WHERE id = ?`, newParentID, unitID); err != nil {
		return err
	}
	return b.Event(unitID, "moved", on, newParentID, note)
}

// Dissolve closes a unit and its edge on date on (it keeps its last parent).
func (b *Bulk) Dissolve(unitID int64, on congdoan.Date, kind string, other int64, note string) error {
	if err := b.exec("dissolve", `UPDATE units SET dissolved_on = ? WHERE id = ?`, on.String(), unitID); err != nil {
		return err
	}
	if err := b.exec("dissolve_edge", `UPDATE unit_parents SET valid_to = ? WHERE unit_id = ? AND valid_to IS NULL`, on.String(), unitID); err != nil {
		return err
	}
	if kind == "merged_into" && other != 0 {
		// As in MergeUnits: the successor's officers keep the merged unit's history.
		if err := b.exec("units_parent", `UPDATE units SET parent_id = ? WHERE id = ?`, other, unitID); err != nil {
			return err
		}
	}
	return b.Event(unitID, kind, on, other, note)
}

// Event records a unit event (founded, moved, merged_into, absorbed, dissolved).
func (b *Bulk) Event(unitID int64, kind string, on congdoan.Date, other int64, note string) error {
	var o any
	if other != 0 {
		o = other
	}
	return b.exec("unit_events", `INSERT INTO unit_events (unit_id, kind, on_date, other_unit_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		unitID, kind, on.String(), o, note, b.now)
}

// BulkEmployer is an employer to load with its headcount history (oldest
// first); the last headcount becomes the current figure.
type BulkEmployer struct {
	TaxCode, Name, Industry, CommuneCode string
	Status                               congdoan.EmployerStatus
	Sector                               congdoan.Sector
	UnitID                               int64
	Headcounts                           []Headcount
}

// Headcount is an employer's workforce on a date.
type Headcount struct {
	AsOf          congdoan.Date
	Total, Female int
	SIPayroll     int64 // monthly social-insurance payroll, đồng
}

// Employer inserts an employer and its headcounts.
func (b *Bulk) Employer(e BulkEmployer) (int64, error) {
	if e.Status == "" {
		e.Status = congdoan.EmployerActive
	}
	var last Headcount
	if n := len(e.Headcounts); n > 0 {
		last = e.Headcounts[n-1]
	}
	id, err := b.nextID("employers")
	if err != nil {
		return 0, err
	}
	if err := b.add(batchEmployers, "employers", id, nullStr(e.TaxCode), vntext.NFC(e.Name), vntext.Fold(e.Name), string(e.Sector), e.Industry,
		e.CommuneCode, e.Status, last.Total, last.Female, dateStr(last.AsOf), e.UnitID, b.now, b.now); err != nil {
		return 0, err
	}
	for _, h := range e.Headcounts {
		if err := b.add(batchHeadcounts, "employer_headcounts", id, h.AsOf.String(), h.Total, h.Female, h.SIPayroll); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// BulkPerson is a person to load; fields must already be valid and NFC.
type BulkPerson struct {
	CCCD, FullName, Ethnicity, Phone, Job string
	Gender                                congdoan.Gender
	BirthDate                             congdoan.Date
}

// Person queues a person; the cached unit and status follow from the
// periods loaded for them.
func (b *Bulk) Person(p BulkPerson) (int64, error) {
	id, err := b.nextID("persons")
	if err != nil {
		return 0, err
	}
	if b.firstPerson == 0 {
		b.firstPerson = id
	}
	if err := b.add(batchPersons, "persons", id, p.CCCD, p.FullName, vntext.Fold(p.FullName), givenKey(p.FullName),
		vntext.PersonSortKey(p.FullName), string(p.Gender), p.BirthDate.String(), p.Ethnicity, p.Phone, p.Job, nil, "left", b.now, b.now); err != nil {
		return 0, err
	}
	b.pendingPerson[id] = &pendingPerson{row: b.batches[batchPersons].rows() - 1}
	return id, nil
}

// Period queues a membership period; To zero leaves it open.
func (b *Bulk) Period(personID, unitID int64, from, to congdoan.Date, startReason, endReason congdoan.Reason) error {
	var end any
	if endReason != "" {
		end = string(endReason)
	}
	// A full membership batch flushes the persons too: do it before the
	// person's cache is filled below.
	if r := b.batches[batchMemberships]; r.rows() >= r.max {
		if err := b.flush(); err != nil {
			return err
		}
	}
	id, err := b.nextID("memberships")
	if err != nil {
		return err
	}
	if pp, ok := b.pendingPerson[personID]; ok {
		// As rebuildDerived: the unit of the latest period (by start,
		// then id), active while any period is open.
		persons := b.batches[batchPersons]
		row := persons.args[pp.row*len(persons.cols):]
		if f := from.String(); f >= pp.from {
			pp.from = f
			row[slices.Index(persons.cols, "unit_id")] = unitID
		}
		if to.IsZero() {
			row[slices.Index(persons.cols, "status")] = "active"
		}
	} else {
		b.late = true
	}
	return b.add(batchMemberships, "memberships", id, personID, unitID, from.String(), dateStr(to), string(startReason), end)
}

// rebuildDerived recomputes every cache from the base rows: the closure of
// the current tree, per-unit member counts, and each person's latest period.
// It is what Bulk runs at the end and what CheckDerived compares against.
//
// persons false keeps persons.unit_id and status as they are: a bulk load
// that wrote them with the rows says so.
func (tx *Tx) rebuildDerived(ctx context.Context, persons bool) error {
	stmts := []string{
		`DELETE FROM unit_closure`,
		`INSERT INTO unit_closure (ancestor_id, descendant_id, depth) SELECT id, id, 0 FROM units`,
	}
	for _, q := range stmts {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	// Grow the closure one level at a time until nothing is added (the
	// tree is at most a few levels deep).
	for depth := 1; depth < 64; depth++ {
		res, err := tx.exec(ctx, `INSERT INTO unit_closure (ancestor_id, descendant_id, depth)
			SELECT u.parent_id, c.descendant_id, c.depth + 1 FROM unit_closure c JOIN units u ON u.id = c.ancestor_id
			WHERE c.depth = ? AND u.parent_id IS NOT NULL`, depth-1)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			break
		}
	}
	stmts = []string{
		`DELETE FROM unit_counts`,
		// One grouped pass over the open periods (a correlated count per
		// unit made PostgreSQL scan memberships once per unit).
		`INSERT INTO unit_counts (unit_id, members, members_female)
			SELECT u.id, COALESCE(c.n, 0), COALESCE(c.f, 0) FROM units u LEFT JOIN (
				SELECT m.unit_id, COUNT(*) AS n, SUM(CASE WHEN p.gender = 'F' THEN 1 ELSE 0 END) AS f
				FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_to IS NULL GROUP BY m.unit_id) c ON c.unit_id = u.id`,
	}
	if persons {
		stmts = append(stmts,
			`UPDATE persons SET status = 'left', unit_id = (SELECT m.unit_id FROM memberships m WHERE m.person_id = persons.id ORDER BY m.valid_from DESC, m.id DESC LIMIT 1)`,
			`UPDATE persons SET status = 'active' WHERE id IN (SELECT person_id FROM memberships WHERE valid_to IS NULL)`,
			// The words' copies (CheckDerived compares them before this).
			`UPDATE person_words SET status = (SELECT p.status FROM persons p WHERE p.id = person_words.person_id),
				unit_id = (SELECT p.unit_id FROM persons p WHERE p.id = person_words.person_id)`)
	}
	for _, q := range stmts {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// CheckDerived reports the first cache that disagrees with the base rows:
// it rebuilds them in a transaction it rolls back, comparing before and
// after. Tests call it after every kind of write.
// It also compares the monthly member snapshots with the periods, in one
// pass over them.
func (d *DB) CheckDerived(ctx context.Context) (err error) {
	defer wrap(&err, "store.CheckDerived")
	snapshot := func(q queryer) (map[string]string, error) {
		out := map[string]string{}
		for name, sq := range map[string]string{
			"unit_closure": `SELECT COUNT(*), COALESCE(SUM(ancestor_id * 31 + descendant_id * 7 + depth), 0) FROM unit_closure`,
			"unit_counts":  `SELECT COUNT(*), COALESCE(SUM(unit_id * members), 0) + COALESCE(SUM(members_female * 3), 0) FROM unit_counts`,
			"persons":      `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'active' THEN id ELSE 0 END), 0) + COALESCE(SUM(unit_id), 0) FROM persons`,
		} {
			var n, sum int64
			if err := q.queryRow(ctx, sq).Scan(&n, &sum); err != nil {
				return nil, err
			}
			out[name] = fmt.Sprint(n, "/", sum)
		}
		return out, nil
	}
	sqlTx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, d: d, now: d.Now().UTC()}
	// The words of the names, their status and unit: compared with a
	// rebuild from persons, first (rebuildDerived rewrites the copies).
	words := func() (string, error) {
		var a, b, c, e int64
		err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM person_words), (SELECT COALESCE(SUM(person_id * length(word) + length(name) + CASE WHEN status = 'active' THEN person_id ELSE 0 END + COALESCE(unit_id, 0) * 7), 0) FROM person_words),
			(SELECT COUNT(*) FROM search_words WHERE persons <> 0), (SELECT COALESCE(SUM(persons * length(word)), 0) FROM search_words)`).Scan(&a, &b, &c, &e)
		return fmt.Sprint(a, "/", b, "/", c, "/", e), err
	}
	wordsBefore, err := words()
	if err != nil {
		return err
	}
	if err := tx.rebuildWords(ctx); err != nil {
		return err
	}
	if wordsAfter, err := words(); err != nil {
		return err
	} else if wordsAfter != wordsBefore {
		return fmt.Errorf("derived tables person_words, search_words are out of step: %s, rebuilt %s", wordsBefore, wordsAfter)
	}
	before, err := snapshot(tx)
	if err != nil {
		return err
	}
	if err := tx.rebuildDerived(ctx, true); err != nil {
		return err
	}
	after, err := snapshot(tx)
	if err != nil {
		return err
	}
	for k := range before {
		if before[k] != after[k] {
			return fmt.Errorf("derived table %s is out of step: %s, rebuilt %s", k, before[k], after[k])
		}
	}
	bad, err := checkSnapshots(ctx, tx)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return fmt.Errorf("derived table %s", strings.Join(bad, "; "))
	}
	return nil
}

// RepairDerived rebuilds every derived table from the records — the tree's
// closure, the member counts, each person's current unit and status, and
// the monthly snapshots — for `congdoan check --repair`, administrators
// only, audited.
func (d *DB) RepairDerived(ctx context.Context) (err error) {
	defer wrap(&err, "store.RepairDerived")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	if s.user.Role != congdoan.RoleAdmin || s.rootID != 0 {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ quản trị viên toàn hệ thống được dựng lại dữ liệu tổng hợp.")
	}
	err = d.tx(ctx, func(tx *Tx) error {
		tx.Affects(ChangesAll, congdoan.Date{})
		if err := tx.rebuildDerived(ctx, true); err != nil {
			return err
		}
		if err := tx.rebuildWords(ctx); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "derived.repair", Entity: "system", EntityID: "derived", Global: true,
			After: map[string]string{"tables": "unit_closure,unit_counts,persons,person_words,search_words,member_snapshots"}})
	})
	if err != nil {
		return err
	}
	return d.BackfillSnapshots(ctx)
}

// BulkAgreement is a collective agreement to load.
type BulkAgreement struct {
	UnitID, EmployerID, RenewsID int64
	Kind, Quality, Note          string
	SignedOn, ValidFrom, ValidTo congdoan.Date
}

// Agreement queues a collective agreement (renews_id may name one queued earlier).
func (b *Bulk) Agreement(a BulkAgreement) (int64, error) {
	var renews any
	if a.RenewsID != 0 {
		renews = a.RenewsID
	}
	id, err := b.nextID("agreements")
	if err != nil {
		return 0, err
	}
	return id, b.add(batchAgreements, "agreements", id, a.UnitID, a.EmployerID, a.Kind, a.SignedOn.String(), a.ValidFrom.String(), a.ValidTo.String(),
		a.Quality, a.Note, renews, b.now, b.now)
}

// EmployerUnit records that unitID was responsible for the employer in
// [from, to) (to zero: still). Loads that know the history call it for
// every period; employers.unit_id should be the last one.
func (b *Bulk) EmployerUnit(employerID, unitID int64, from, to congdoan.Date) error {
	if err := b.flushEmployers(); err != nil {
		return err
	}
	return b.exec("employer_units", `INSERT INTO employer_units (employer_id, unit_id, valid_from, valid_to) VALUES (?, ?, ?, ?)`,
		employerID, unitID, from.String(), dateStr(to))
}
