package store

import (
	"sync"

	"congdoan"
)

// Kinds says which of the data behind derived figures (the indicator
// engine's per-date figures) a write transaction changed.
type Kinds uint8

const (
	// ChangesMembers: persons, membership periods, unit_counts, snapshots.
	ChangesMembers Kinds = 1 << iota
	// ChangesEmployers: employers, their headcounts and responsible units
	// (employer_units), collective agreements.
	ChangesEmployers
	// ChangesTree: the tree's edges and unit names only (a move, a rename,
	// a unit without an employer founded or dissolved).
	ChangesTree
	// ChangesUnits: the tree and the units' own columns the figures read
	// (founded_on, dissolved_on, employer_id): a grassroots union of an
	// employer founded, dissolved or merged.
	ChangesUnits
	// ChangesTargets: plan targets.
	ChangesTargets

	// ChangesAll is every kind: the default of a transaction that does
	// not declare what it changes.
	ChangesAll = ChangesMembers | ChangesEmployers | ChangesTree | ChangesUnits | ChangesTargets
)

// Change is what one or more committed writes changed: the kinds, and the
// earliest date whose figures they can change. A zero From with kinds set
// means every date.
type Change struct {
	Kinds Kinds
	From  congdoan.Date
}

// None reports whether the writes changed nothing the figures depend on.
func (c Change) None() bool { return c.Kinds == 0 }

// Affects reports whether figures of date d may have changed in kinds k.
func (c Change) Affects(k Kinds, d congdoan.Date) bool {
	return c.Kinds&k != 0 && !d.Before(c.From)
}

// merge widens c to cover o too: the union of the kinds, the earlier date.
func (c *Change) merge(o Change) {
	switch {
	case o.None():
	case c.None():
		*c = o
	default:
		c.Kinds |= o.Kinds
		if o.From.Before(c.From) {
			c.From = o.From
		}
	}
}

// Affects declares that the transaction changes data of kinds k whose
// figures change from date from on (zero: every date). Calls add up (union
// of kinds, earliest date). A transaction that declares nothing is taken
// to change everything on every date, so a write that forgets to declare
// costs a recomputation, never a stale figure.
func (tx *Tx) Affects(k Kinds, from congdoan.Date) {
	tx.declared = true
	tx.change.merge(Change{Kinds: k, From: from})
}

// AffectsNothing declares that the transaction changes nothing derived
// figures read: sessions, users, audit-only writes, reports.
func (tx *Tx) AffectsNothing() { tx.declared = true }

// committed is what the transaction declared, or everything.
func (tx *Tx) committed() Change {
	if !tx.declared {
		return Change{Kinds: ChangesAll}
	}
	return tx.change
}

// maxChanges bounds the change log; a cache that falls further behind
// than that is told that everything changed.
const maxChanges = 256

// changeLog keeps the recent committed changes by generation, so that a
// cache can drop only what a write touched.
type changeLog struct {
	mu      sync.Mutex
	entries []changeEntry // changes that are not None, oldest first
	floor   uint64        // entries up to this generation have been dropped
}

type changeEntry struct {
	gen uint64
	ch  Change
}

// commit advances the generation and logs what the transaction changed,
// under one lock so that ChangesSince never sees a generation without its
// entry.
func (d *DB) commit(ch Change) {
	l := &d.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	g := d.gen.Add(1)
	if ch.None() {
		return
	}
	l.entries = append(l.entries, changeEntry{g, ch})
	if n := len(l.entries) - maxChanges; n > 0 {
		l.floor = l.entries[n-1].gen
		l.entries = append(l.entries[:0:0], l.entries[n:]...)
	}
}

// ChangesSince returns what the writes committed after generation gen
// changed, merged, and the current generation. When the log no longer
// reaches back to gen, the answer is everything on every date.
func (d *DB) ChangesSince(gen uint64) (Change, uint64) {
	l := &d.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := d.gen.Load()
	var out Change
	if gen >= cur {
		return out, cur
	}
	if gen < l.floor {
		return Change{Kinds: ChangesAll}, cur
	}
	for i := len(l.entries) - 1; i >= 0 && l.entries[i].gen > gen; i-- {
		out.merge(l.entries[i].ch)
	}
	return out, cur
}
