package store

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"congdoan"
)

// committed is tx.committed's change, failing the test on an error.
func committed(t *testing.T, tx *Tx) Change {
	t.Helper()
	ch, err := tx.committed()
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestChangeLog(t *testing.T) {
	d := &DB{}
	undeclared := Tx{d: d}
	undeclared.noteWrite(`UPDATE persons SET gender = ? WHERE id = ?`)
	if got := committed(t, &undeclared); !got.Equal(Change{Kinds: ChangesAll}) {
		t.Errorf("a transaction that writes persons and declares nothing: %+v, want everything", got)
	}
	elsewhere := Tx{d: d}
	elsewhere.noteWrite(`INSERT INTO reports (unit_id) VALUES (?)`)
	elsewhere.noteWrite(`UPDATE audit_head SET last_id = last_id + 1`)
	if got := committed(t, &elsewhere); !got.None() {
		t.Errorf("a transaction that writes only tables the engine does not read: %+v, want nothing", got)
	}
	strict := Tx{d: &DB{StrictChanges: true}}
	strict.noteWrite(`
		DELETE FROM employer_headcounts WHERE employer_id = ?`)
	if _, err := strict.committed(); err == nil || !strings.Contains(err.Error(), "employer_headcounts") {
		t.Errorf("strict, undeclared write to employer_headcounts: %v", err)
	}
	var nothing Tx
	nothing.AffectsNothing()
	if got := committed(t, &nothing); !got.None() {
		t.Errorf("AffectsNothing: %+v", got)
	}
	var two Tx
	two.Affects(ChangesMembers, congdoan.NewDate(2024, 5, 1))
	two.Affects(ChangesEmployers, congdoan.NewDate(2023, 1, 1))
	two.Affects(0, congdoan.NewDate(2020, 1, 1)) // nothing: does not move the date
	if got, want := committed(t, &two), (Change{Kinds: ChangesMembers | ChangesEmployers, From: congdoan.NewDate(2023, 1, 1)}); !got.Equal(want) {
		t.Errorf("two declarations: %+v, want %+v", got, want)
	}

	// next commits ch as this process's next generation.
	next := func(ch Change) { d.commit(context.Background(), d.Generation()+1, ch) }
	next(Change{Kinds: ChangesMembers, From: congdoan.NewDate(2025, 3, 1)}) // gen 1
	next(Change{})                                                          // gen 2
	next(Change{Kinds: ChangesTree, From: congdoan.NewDate(2024, 1, 1)})    // gen 3
	for _, c := range []struct {
		since uint64
		want  Change
	}{
		{0, Change{Kinds: ChangesMembers | ChangesTree, From: congdoan.NewDate(2024, 1, 1)}},
		{1, Change{Kinds: ChangesTree, From: congdoan.NewDate(2024, 1, 1)}},
		{2, Change{Kinds: ChangesTree, From: congdoan.NewDate(2024, 1, 1)}},
		{3, Change{}},
	} {
		if got, g := d.ChangesSince(c.since); !got.Equal(c.want) || g != 3 {
			t.Errorf("since %d: %+v at %d, want %+v at 3", c.since, got, g, c.want)
		}
	}
	// Past the bound, an old generation is told everything changed; a
	// recent one still gets the exact change. Changes of nothing do not
	// take room.
	for range maxChanges {
		next(Change{})
		next(Change{Kinds: ChangesEmployers, From: congdoan.NewDate(2026, 1, 1)})
	}
	if got, _ := d.ChangesSince(0); !got.Equal(Change{Kinds: ChangesAll}) {
		t.Errorf("since 0 after the log moved on: %+v", got)
	}
	g := d.Generation()
	next(Change{Kinds: ChangesMembers, From: congdoan.NewDate(2026, 2, 1)})
	if got, _ := d.ChangesSince(g - 1); !got.Equal(Change{Kinds: ChangesMembers | ChangesEmployers, From: congdoan.NewDate(2026, 1, 1)}) {
		t.Errorf("recent: %+v", got)
	}
	if len(d.changes.entries) > maxChanges {
		t.Errorf("log holds %d entries", len(d.changes.entries))
	}

	// Writers and readers at once (go test -race).
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 200 {
				next(Change{Kinds: ChangesMembers, From: congdoan.NewDate(2021+i, 1, 1)})
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				d.ChangesSince(d.Generation() - 5)
			}
		}()
	}
	wg.Wait()
	if got, g := d.ChangesSince(d.Generation() - 1); got.None() || g != d.Generation() {
		t.Errorf("after concurrent commits: %+v at %d", got, g)
	}
}

// TestChangeLists: the employers and unions a change lists add up while
// every change of the employer figures lists its own, and mean "all" as
// soon as one does not or there are more than MaxListed; changes of other
// kinds keep them.
func TestChangeLists(t *testing.T) {
	d := congdoan.NewDate
	listed := func(k Kinds, from congdoan.Date, emps, unions []int64) Change {
		return Change{Kinds: k, From: from, Listed: true, Employers: emps, Unions: unions}
	}
	var tx Tx
	tx.AffectsEmployers(ChangesEmployers, d(2026, 1, 1), []int64{7, 3, 7}, nil)
	tx.Affects(ChangesMembers, d(2025, 1, 1))
	tx.AffectsEmployers(ChangesUnits, d(2026, 3, 1), []int64{5}, []int64{40})
	tx.AffectsEmployers(ChangesTree, d(2024, 1, 1), []int64{9}, nil) // not an employer kind: no list
	want := listed(ChangesEmployers|ChangesMembers|ChangesUnits|ChangesTree, d(2024, 1, 1), []int64{3, 5, 7}, []int64{40})
	if got := committed(t, &tx); !got.Equal(want) {
		t.Errorf("declarations: %+v, want %+v", got, want)
	}
	var all Tx
	all.AffectsEmployers(ChangesEmployers, d(2026, 1, 1), []int64{1}, nil)
	all.Affects(ChangesEmployers, d(2026, 1, 1)) // any employer
	all.AffectsEmployers(ChangesEmployers, d(2026, 1, 1), []int64{2}, nil)
	if got := committed(t, &all); !got.Equal(Change{Kinds: ChangesEmployers, From: d(2026, 1, 1)}) {
		t.Errorf("with an unlisted declaration: %+v", got)
	}
	var many Tx
	ids := make([]int64, MaxListed+1)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	many.AffectsEmployers(ChangesEmployers, d(2026, 1, 1), ids[:MaxListed], nil)
	if got := committed(t, &many); !got.Listed || len(got.Employers) != MaxListed {
		t.Errorf("%d ids: listed %v, %d", MaxListed, got.Listed, len(got.Employers))
	}
	many.AffectsEmployers(ChangesEmployers, d(2026, 1, 1), nil, ids[MaxListed:])
	if got := committed(t, &many); got.Listed || got.Employers != nil || got.Unions != nil {
		t.Errorf("%d ids: %v, %d employers", MaxListed+1, got.Listed, len(got.Employers))
	}

	// In the log: merged answers, and entries never changed by merging.
	var db DB
	db.commit(context.Background(), db.Generation()+1, listed(ChangesEmployers, d(2026, 1, 1), []int64{1, 2}, nil))    // gen 1
	db.commit(context.Background(), db.Generation()+1, Change{Kinds: ChangesMembers, From: d(2025, 1, 1)})             // gen 2
	db.commit(context.Background(), db.Generation()+1, listed(ChangesUnits, d(2026, 2, 1), []int64{2, 3}, []int64{8})) // gen 3
	db.commit(context.Background(), db.Generation()+1, Change{Kinds: ChangesTree, From: d(2026, 3, 1)})                // gen 4
	for _, c := range []struct {
		since uint64
		want  Change
	}{
		{0, listed(ChangesEmployers|ChangesMembers|ChangesUnits|ChangesTree, d(2025, 1, 1), []int64{1, 2, 3}, []int64{8})},
		{1, listed(ChangesMembers|ChangesUnits|ChangesTree, d(2025, 1, 1), []int64{2, 3}, []int64{8})},
		{3, Change{Kinds: ChangesTree, From: d(2026, 3, 1)}},
	} {
		if got, _ := db.ChangesSince(c.since); !got.Equal(c.want) {
			t.Errorf("since %d: %+v, want %+v", c.since, got, c.want)
		}
	}
	if e := db.changes.entries[0].ch; !e.Equal(listed(ChangesEmployers, d(2026, 1, 1), []int64{1, 2}, nil)) {
		t.Errorf("the first entry changed: %+v", e)
	}
	db.commit(context.Background(), db.Generation()+1, Change{Kinds: ChangesEmployers, From: d(2026, 4, 1)}) // gen 5: every employer
	if got, _ := db.ChangesSince(0); got.Listed || got.Employers != nil {
		t.Errorf("after an unlisted change: %+v", got)
	}
	if got, _ := db.ChangesSince(2); !got.Equal(Change{Kinds: ChangesUnits | ChangesTree | ChangesEmployers, From: d(2026, 2, 1)}) {
		t.Errorf("since 2: %+v", got)
	}
}

// TestMemberLists: the member counts changes list add up while every
// member change lists its own, mean "read again" as soon as one does not,
// and survive the change log's text form.
func TestMemberLists(t *testing.T) {
	d := congdoan.NewDate
	var tx Tx
	tx.membersMoved(4, d(2025, 3, 10), -1, 0)
	tx.membersMoved(6, d(2025, 3, 10), 1, 1)
	got := committed(t, &tx)
	want := Change{Kinds: ChangesMembers, From: d(2025, 3, 10), MembersListed: true,
		Members: []MemberDelta{{Unit: 4, From: d(2025, 3, 10), N: -1}, {Unit: 6, From: d(2025, 3, 10), N: 1, F: 1}}}
	if !got.Equal(want) {
		t.Errorf("two moves: %+v, want %+v", got, want)
	}
	if back, ok := splitDeltas(joinDeltas(got.Members)); !ok || !slices.Equal(back, got.Members) {
		t.Errorf("text form: %q → %+v", joinDeltas(got.Members), back)
	}
	tx.Affects(ChangesMembers, d(2024, 1, 1)) // a gender correction, a merger
	if got := committed(t, &tx); got.MembersListed || got.Members != nil || got.From != d(2024, 1, 1) {
		t.Errorf("with an unlisted member change: %+v", got)
	}
	var other Tx
	other.Affects(ChangesTree, d(2020, 1, 1))
	other.membersMoved(4, d(2025, 1, 1), 1, 0)
	if got := committed(t, &other); !got.MembersListed || len(got.Members) != 1 {
		t.Errorf("a tree change beside a listed one keeps the list: %+v", got)
	}
	if _, ok := splitDeltas("4:2025-13-01:1:0"); ok {
		t.Error("a malformed date was read")
	}
}
