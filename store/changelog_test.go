package store

import (
	"sync"
	"testing"

	"congdoan"
)

func TestChangeLog(t *testing.T) {
	d := &DB{}
	var undeclared Tx
	if got := undeclared.committed(); got != (Change{Kinds: ChangesAll}) {
		t.Errorf("a transaction that declares nothing: %+v, want everything", got)
	}
	var nothing Tx
	nothing.AffectsNothing()
	if got := nothing.committed(); !got.None() {
		t.Errorf("AffectsNothing: %+v", got)
	}
	var two Tx
	two.Affects(ChangesMembers, congdoan.NewDate(2024, 5, 1))
	two.Affects(ChangesEmployers, congdoan.NewDate(2023, 1, 1))
	two.Affects(0, congdoan.NewDate(2020, 1, 1)) // nothing: does not move the date
	if got, want := two.committed(), (Change{ChangesMembers | ChangesEmployers, congdoan.NewDate(2023, 1, 1)}); got != want {
		t.Errorf("two declarations: %+v, want %+v", got, want)
	}

	d.commit(Change{ChangesMembers, congdoan.NewDate(2025, 3, 1)}) // gen 1
	d.commit(Change{})                                             // gen 2
	d.commit(Change{ChangesTree, congdoan.NewDate(2024, 1, 1)})    // gen 3
	for _, c := range []struct {
		since uint64
		want  Change
	}{
		{0, Change{ChangesMembers | ChangesTree, congdoan.NewDate(2024, 1, 1)}},
		{1, Change{ChangesTree, congdoan.NewDate(2024, 1, 1)}},
		{2, Change{ChangesTree, congdoan.NewDate(2024, 1, 1)}},
		{3, Change{}},
	} {
		if got, g := d.ChangesSince(c.since); got != c.want || g != 3 {
			t.Errorf("since %d: %+v at %d, want %+v at 3", c.since, got, g, c.want)
		}
	}
	// Past the bound, an old generation is told everything changed; a
	// recent one still gets the exact change. Changes of nothing do not
	// take room.
	for range maxChanges {
		d.commit(Change{})
		d.commit(Change{ChangesEmployers, congdoan.NewDate(2026, 1, 1)})
	}
	if got, _ := d.ChangesSince(0); got != (Change{Kinds: ChangesAll}) {
		t.Errorf("since 0 after the log moved on: %+v", got)
	}
	g := d.Generation()
	d.commit(Change{ChangesMembers, congdoan.NewDate(2026, 2, 1)})
	if got, _ := d.ChangesSince(g - 1); got != (Change{ChangesMembers | ChangesEmployers, congdoan.NewDate(2026, 1, 1)}) {
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
				d.commit(Change{ChangesMembers, congdoan.NewDate(2021+i, 1, 1)})
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
