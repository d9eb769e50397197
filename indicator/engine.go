package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"congdoan"
	"congdoan/store"
)

// Engine computes indicators and caches each date's per-unit figures. A
// write drops only what it can change: the store logs, per committed
// transaction, which kinds of data it changed and from which date
// (store.DB.ChangesSince), and a cached date on or after that date re-reads
// just those parts — the tree, the member counts, or the employer and
// agreement contributions — and rolls up again in memory.
type Engine struct {
	db *store.DB
	// EmployerMin is the workforce from which an employer must have a
	// union: 15 in Bắc Kạn's plan, 25 in the national resolution. It comes
	// from the plan file.
	EmployerMin int

	mu    sync.Mutex
	gen   uint64        // the store generation the caches are true for
	today congdoan.Date // "today" when the caches were last checked
	days  map[string]*cachedDay
	memos map[string]any // other derived answers (period counts, targets): dropped on any change
	reads reads          // what the engine read from the database (tests look)
}

// reads counts the parts of dates read from the database.
type reads struct{ trees, members, employers int }

// New returns an engine over db.
func New(db *store.DB) *Engine {
	return &Engine{db: db, EmployerMin: defaultEmployerMin, gen: db.Generation(), days: map[string]*cachedDay{}, memos: map[string]any{}}
}

// counts are one unit's contributions (direct, or rolled up over a subtree).
type counts struct {
	members, membersFemale  int64
	emp, empUnion           int64 // employers with ≥ EmployerMin workers; of which with a union
	cbaEligible, cbaCovered int64 // grassroots unions at bargaining employers; of which with a valid agreement
	workersUnionised        int64 // workers at employers with a union
	membersAtEmployerUnions int64 // members of grassroots unions that have an employer (and their sections, groups)
}

func (c *counts) add(o *counts) {
	c.members += o.members
	c.membersFemale += o.membersFemale
	c.emp += o.emp
	c.empUnion += o.empUnion
	c.cbaEligible += o.cbaEligible
	c.cbaCovered += o.cbaCovered
	c.workersUnionised += o.workersUnionised
	c.membersAtEmployerUnions += o.membersAtEmployerUnions
}

type unitRow struct {
	id          int64
	code, name  string
	kind        congdoan.UnitKind
	hasEmployer bool
}

// dayFigures is the tree of one date, the direct contributions read for
// it, and every unit's subtree totals. It is never changed once built:
// callers read it without the lock, and a refresh builds a new one that
// shares the parts it did not re-read.
type dayFigures struct {
	date congdoan.Date
	live bool // members read from unit_counts: the date was today

	// The tree (store.ChangesTree, store.ChangesUnits).
	byCode map[string]int64
	units  map[int64]*unitRow
	kids   map[int64][]int64
	parent map[int64]int64
	// Direct contributions by unit id, including units not in the tree
	// (the roll-up skips them): [members, women] (store.ChangesMembers);
	// employers and agreements (store.ChangesEmployers, store.ChangesUnits).
	members   map[int64][2]int64
	employers map[int64]*counts

	total map[int64]*counts
}

// The parts of a date and the kinds of change that make each stale.
const (
	treeKinds     = store.ChangesTree | store.ChangesUnits
	memberKinds   = store.ChangesMembers
	employerKinds = store.ChangesEmployers | store.ChangesUnits
	dayKinds      = treeKinds | memberKinds | employerKinds
)

// cachedDay is a cached date and the parts to re-read before it is used.
type cachedDay struct {
	f     *dayFigures
	stale store.Kinds
}

// day returns the figures of date d, computing them (or the parts a write
// made stale) when needed.
func (e *Engine) day(ctx context.Context, d congdoan.Date) (*dayFigures, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.checkGeneration()
	key := d.String()
	c, ok := e.days[key]
	if ok && c.stale == 0 {
		return c.f, nil
	}
	var old *dayFigures
	stale := dayKinds
	if ok {
		old, stale = c.f, c.stale
	}
	f, err := e.build(ctx, d, old, stale)
	if err != nil {
		return nil, err
	}
	if !ok && len(e.days) >= 64 {
		e.days = map[string]*cachedDay{} // a simple bound; dashboards ask for few dates
	}
	e.days[key] = &cachedDay{f: f}
	return f, nil
}

// checkGeneration marks what the writes committed since the caches were
// checked may have changed: the cached dates on or after the change's date
// get its kinds to re-read, and the memos go. Writes that change nothing
// (logins, reveals, reports) keep everything. A date cached as today read
// unit_counts; once today has moved on, its members are re-read from the
// snapshots. Callers hold e.mu.
func (e *Engine) checkGeneration() {
	if today := e.db.Today(); today != e.today {
		for _, c := range e.days {
			if c.f.live && c.f.date != today {
				c.stale |= store.ChangesMembers
			}
		}
		e.today = today
	}
	if e.db.Generation() == e.gen {
		return
	}
	ch, g := e.db.ChangesSince(e.gen)
	e.gen = g
	if ch.None() {
		return
	}
	e.memos = map[string]any{}
	for _, c := range e.days {
		if ch.Affects(dayKinds, c.f.date) {
			c.stale |= ch.Kinds & dayKinds
		}
	}
}

// memo returns the cached answer for key or computes it. It does not hold
// the lock while computing; an answer computed across a write that may
// change it is not kept.
func memo[T any](e *Engine, key string, compute func() (T, error)) (T, error) {
	e.mu.Lock()
	e.checkGeneration()
	if v, ok := e.memos[key]; ok {
		e.mu.Unlock()
		return v.(T), nil
	}
	gen := e.gen
	e.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	e.mu.Lock()
	if ch, _ := e.db.ChangesSince(gen); ch.None() {
		e.memos[key] = v
	}
	e.mu.Unlock()
	return v, nil
}

func (e *Engine) q(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return e.db.SQL().QueryContext(ctx, e.db.Rebind(query), args...)
}

// build computes the figures of d: the parts in stale are read from the
// database (all of them without old), the others taken from old, then
// everything is rolled up. It reads units, edges, per-unit member counts
// (not members), employers with their headcount on d, and agreements.
// Callers hold e.mu.
func (e *Engine) build(ctx context.Context, d congdoan.Date, old *dayFigures, stale store.Kinds) (*dayFigures, error) {
	f := &dayFigures{date: d}
	if old != nil {
		*f = *old
		f.total = nil
	} else {
		stale = dayKinds
	}
	var err error
	if stale&treeKinds != 0 {
		if err := e.readTree(ctx, f); err != nil {
			return nil, err
		}
		e.reads.trees++
	}
	if stale&memberKinds != 0 {
		f.live = d == e.today
		if f.members, err = directMembers(ctx, e.db, d, f.live); err != nil {
			return nil, err
		}
		e.reads.members++
	}
	if stale&employerKinds != 0 {
		if f.employers, err = e.readEmployers(ctx, d); err != nil {
			return nil, err
		}
		e.reads.employers++
	}
	f.rollUp()
	return f, nil
}

// readTree reads the units and edges valid on f's date.
func (e *Engine) readTree(ctx context.Context, f *dayFigures) error {
	day := f.date.String()
	f.byCode, f.units, f.kids, f.parent = map[string]int64{}, map[int64]*unitRow{}, map[int64][]int64{}, map[int64]int64{}
	rows, err := e.q(ctx, `SELECT u.id, u.code, u.name, u.kind, u.employer_id IS NOT NULL, up.parent_id
		FROM unit_parents up JOIN units u ON u.id = up.unit_id
		WHERE up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)`, day, day)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var u unitRow
		var kind string
		var parent sql.NullInt64
		if err := rows.Scan(&u.id, &u.code, &u.name, &kind, &u.hasEmployer, &parent); err != nil {
			return err
		}
		u.kind = congdoan.UnitKind(kind)
		f.units[u.id] = &u
		f.byCode[u.code] = u.id
		if parent.Valid {
			f.parent[u.id] = parent.Int64
			f.kids[parent.Int64] = append(f.kids[parent.Int64], u.id)
		}
	}
	return rows.Err()
}

// readEmployers returns each unit's direct employer and agreement
// contributions on d.
func (e *Engine) readEmployers(ctx context.Context, d congdoan.Date) (map[int64]*counts, error) {
	day := d.String()
	out := map[int64]*counts{}
	at := func(id int64) *counts {
		c := out[id]
		if c == nil {
			c = &counts{}
			out[id] = c
		}
		return c
	}
	// Employers with their latest headcount on d, attributed to their union
	// when it exists on d, else to the unit responsible for their area.
	rows, err := e.q(ctx, `SELECT COALESCE(
			(SELECT MIN(g.id) FROM units g WHERE g.employer_id = e.id AND g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)),
			-`+responsibleSQL+`),
		h.workers_total
		FROM employers e JOIN employer_headcounts h ON h.employer_id = e.id
		WHERE e.status = 'active' AND h.as_of = (SELECT MAX(h2.as_of) FROM employer_headcounts h2 WHERE h2.employer_id = e.id AND h2.as_of <= ?)`, day, day, day, day, day)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var unit, workers int64
		if err := rows.Scan(&unit, &workers); err != nil {
			rows.Close()
			return nil, err
		}
		withUnion := unit > 0
		if !withUnion {
			unit = -unit
		}
		t := at(unit)
		if withUnion {
			t.workersUnionised += workers
		}
		if workers >= int64(e.EmployerMin) {
			t.emp++
			if withUnion {
				t.empUnion++
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Grassroots unions at employers that bargain (not administrative
	// agencies) and whether an agreement is valid on d (valid_to inclusive).
	rows, err = e.q(ctx, `SELECT g.id, EXISTS (SELECT 1 FROM agreements a WHERE a.unit_id = g.id AND a.valid_from <= ? AND a.valid_to >= ?)
		FROM units g JOIN employers e ON e.id = g.employer_id
		WHERE g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?) AND e.sector <> 'admin_agency'`, day, day, day, day)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var covered bool
		if err := rows.Scan(&id, &covered); err != nil {
			rows.Close()
			return nil, err
		}
		t := at(id)
		t.cbaEligible++
		if covered {
			t.cbaCovered++
		}
	}
	rows.Close()
	return out, rows.Err()
}

// rollUp sums the direct contributions of the units in the tree over
// every root's subtree; members count toward "members at employer unions"
// when their nearest grassroots ancestor has an employer.
func (f *dayFigures) rollUp() {
	f.total = make(map[int64]*counts, len(f.units))
	for id := range f.units {
		t := &counts{}
		if c, ok := f.employers[id]; ok {
			*t = *c
		}
		if c, ok := f.members[id]; ok {
			t.members, t.membersFemale = c[0], c[1]
		}
		f.total[id] = t
	}
	var walk func(id int64, atEmployerUnion bool) *counts
	walk = func(id int64, at bool) *counts {
		u := f.units[id]
		if u.kind.IsGrassroots() {
			at = u.kind == congdoan.KindGrassroots && u.hasEmployer
		}
		t := f.total[id]
		if at {
			t.membersAtEmployerUnions = t.members
		}
		for _, c := range f.kids[id] {
			t.add(walk(c, at))
		}
		return t
	}
	for id := range f.units {
		if _, ok := f.parent[id]; !ok {
			walk(id, false)
		}
	}
}

// directMembers returns [members, women] directly in each unit on d: from
// unit_counts for today; else from the snapshot of d's month start plus the
// periods that started or ended between it and d.
func directMembers(ctx context.Context, db *store.DB, d congdoan.Date, today bool) (map[int64][2]int64, error) {
	out := map[int64][2]int64{}
	query := `SELECT unit_id, members, members_female FROM unit_counts`
	var args []any
	m := monthStart(d)
	if !today {
		var n int
		if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT COUNT(*) FROM member_snapshots WHERE day = ?`), m.String()).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, congdoan.Errorf(congdoan.EINVALID, "Chưa có số liệu đoàn viên của tháng %02d/%d: ngày này trước khi có dữ liệu, hoặc cần chạy \"congdoan snapshots\".", m.Time().Month(), m.Year())
		}
		query, args = `SELECT unit_id, members, members_female FROM member_snapshots WHERE day = ?`, []any{m.String()}
	}
	rows, err := db.SQL().QueryContext(ctx, db.Rebind(query), args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var c [2]int64
		if err := rows.Scan(&id, &c[0], &c[1]); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !today && d != m {
		if err := applyDeltas(ctx, db, out, m, d, 1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// applyDeltas adds sign × (periods starting in (from, to]) and subtracts
// sign × (periods ending in (from, to]) — the change of the counts between
// the two days. It reads only the periods changed between them.
func applyDeltas(ctx context.Context, db *store.DB, counts map[int64][2]int64, from, to congdoan.Date, sign int64) error {
	for _, q := range []struct {
		sql string
		k   int64
	}{
		{`SELECT m.unit_id, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_from > ? AND m.valid_from <= ?`, 1},
		{`SELECT m.unit_id, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_to > ? AND m.valid_to <= ?`, -1},
	} {
		rows, err := db.SQL().QueryContext(ctx, db.Rebind(q.sql), from.String(), to.String())
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var g string
			if err := rows.Scan(&id, &g); err != nil {
				rows.Close()
				return err
			}
			c := out0(counts, id)
			c[0] += sign * q.k
			if g == congdoan.GenderFemale {
				c[1] += sign * q.k
			}
			counts[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("member deltas: %w", err)
		}
	}
	return nil
}

func out0(m map[int64][2]int64, id int64) [2]int64 { return m[id] }
