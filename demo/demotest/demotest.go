// Package demotest is the demo-province fixture the tests of every package
// share: a small generated province (3.000 members, history from 2021, the
// 1/7/2025 merger into Thái Nguyên) with its agreements, the monthly member
// snapshots and the shipped plan's targets.
package demotest

import (
	"context"
	"testing"

	"congdoan/demo"
	"congdoan/indicator"
	"congdoan/store"
)

// Seed is the fixture's seed, Members its size.
const (
	Seed    = 3
	Members = 3000
)

// Province fills the empty db with the fixture province and returns its
// summary.
func Province(tb testing.TB, db *store.DB) *demo.Summary {
	tb.Helper()
	ctx := context.Background()
	sum, err := demo.Generate(ctx, db, demo.Options{Seed: Seed, Members: Members, Today: db.Today()})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Agreements(ctx, db, Seed, db.Today()); err != nil {
		tb.Fatal(err)
	}
	if err := db.BackfillSnapshotsFrom(ctx, demo.HistoryStart); err != nil {
		tb.Fatal(err)
	}
	LoadPlans(tb, db)
	return sum
}

// LoadPlans stores the shipped plans' targets in db.
func LoadPlans(tb testing.TB, db *store.DB) {
	tb.Helper()
	plans, err := indicator.Plans()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.LoadPlans(context.Background(), plans); err != nil {
		tb.Fatal(err)
	}
}
