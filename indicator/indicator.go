// Package indicator computes the plan's indicators (shared DESIGN.md §4)
// for any unit's subtree on any date, with the tree of that date, and runs
// the report workflow on them. It holds no SQL: everything it knows comes
// from the store through Source, a narrow set of aggregate reads, and every
// write (reports) goes through store methods that check rights, scope and
// state and audit in the same transaction.
//
// A figure is numerator ÷ denominator (or a count). The engine computes, per
// date, each unit's *direct* contribution — from unit_counts for today and
// from monthly member snapshots plus the periods changed since for a past
// date (member rows are never scanned), and from employers, unions and
// agreements — then rolls them up over the tree of that date in memory.
// Results per date are kept; a write makes the engine re-read only the
// parts of the dates it can change (engine.go).
//
// The records behind a figure are listed by the store with plain SQL over
// the base tables: a different path to the same definition, which the tests
// compare figure by figure.
package indicator

import (
	"context"

	"congdoan"
	"congdoan/store"
)

// Source is what the engine reads, all of it aggregates over the registry
// (store.DB implements it; figures.go in the store says what each reads).
// Only UnitInScope and the records lists look at the caller: the engine
// asks UnitInScope before it answers for a unit, so a figure of a unit
// outside the caller's scope is ENOTFOUND like the unit itself.
type Source interface {
	Today() congdoan.Date
	// Generation and ChangesSince tell what the writes committed since a
	// generation changed (store/changes.go).
	Generation() uint64
	ChangesSince(gen uint64) (store.Change, uint64)
	UnitInScope(ctx context.Context, code string) (*congdoan.Unit, error)
	// ScopeRoot and SubtreeIDs say what the caller's scope holds today
	// (scope.go); UnitCount whether that is everything.
	ScopeRoot(ctx context.Context) (int64, error)
	SubtreeIDs(ctx context.Context, root int64) ([]int64, error)
	UnitCount(ctx context.Context) (int, error)

	TreeOn(ctx context.Context, d congdoan.Date) ([]store.TreeEdge, error)
	MemberCountsOn(ctx context.Context, d congdoan.Date, live bool) (store.MemberCounts, error)
	PeriodEvents(ctx context.Context, from, to congdoan.Date) (map[int64]*[4]int64, error)
	ReadEmployerFacts(ctx context.Context, ids []int64) (*store.EmployerFacts, error)
	UnionEmployers(ctx context.Context, unions []int64) ([]int64, error)
	TargetsOf(ctx context.Context, unitID int64, unitCode string) ([]*congdoan.Target, error)
	Predecessors(ctx context.Context, unitCode string) ([]congdoan.Predecessor, error)

	FindFigureRecords(ctx context.Context, q congdoan.RecordQuery, employerMin int) ([]*congdoan.FigureRecord, int, error)
	FigureRecordIDs(ctx context.Context, q congdoan.RecordQuery, employerMin int) ([]int64, error)
}

var _ Source = (*store.DB)(nil)

func pct(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) * 100 / float64(d)
}

// system returns a context acting as the system user, for computing a
// report's figures and record hashes once the caller's right to the
// report has been checked: a monitor may verify a report, and the member
// ids that go into a hash never leave this package.
func system(ctx context.Context) context.Context {
	return congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
}

// Services wires every service over one store: the store implements the
// registry and the targets, the engine (returned too, for its warm-up and
// settings) the figures, and Reports the report workflow over both. The
// server, the commands and the tests all build their services here.
func Services(db *store.DB) (congdoan.Services, *Engine) {
	e := New(db)
	return congdoan.Services{
		Units: db, Employers: db, Members: db, Users: db, Audit: db, Agreements: db,
		Indicators: e, Reports: NewReports(e, db), Targets: db, Imports: db,
		Notifications: []congdoan.NotificationSource{db},
	}, e
}
