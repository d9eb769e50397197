package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

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

// employerKinds are the kinds whose part in the figures is per employer
// and per grassroots union: what Change.Listed can narrow.
const employerKinds = ChangesEmployers | ChangesUnits

// MaxListed bounds the ids a change lists: a change that would list more
// (one write that touches many employers, or many writes merged) lists
// none and means every employer and union.
const MaxListed = 1000

// Change is what one or more committed writes changed: the kinds, and the
// earliest date whose figures they can change. A zero From with kinds set
// means every date.
//
// Listed narrows the part of ChangesEmployers and ChangesUnits that is in
// the employer figures to Employers — their rows, headcounts, responsible
// units, and the grassroots unions founded, dissolved or merged at them —
// and Unions, grassroots unions whose agreements changed; the tree part of
// ChangesUnits is not narrowed. Without Listed (the default of Affects and
// of an undeclared transaction) any employer or union may have changed.
// The lists are sorted, without repeats, and never changed in place (log
// entries and merged answers share them).
//
// MembersListed narrows ChangesMembers the same way: the change is exactly
// the member counts of Members — each unit's direct members and women
// moved by N and F on every date from From — as admissions, transfers and
// leaves make them, so that a cache can add them instead of reading the
// counts again. Any other member change (a gender correction, a merger)
// lists none.
type Change struct {
	Kinds         Kinds
	From          congdoan.Date
	Listed        bool
	Employers     []int64
	Unions        []int64
	MembersListed bool
	Members       []MemberDelta
}

// MemberDelta is a change of a unit's direct member counts from a date on.
type MemberDelta struct {
	Unit int64
	From congdoan.Date
	N, F int64
}

// None reports whether the writes changed nothing the figures depend on.
func (c Change) None() bool { return c.Kinds == 0 }

// Affects reports whether figures of date d may have changed in kinds k.
func (c Change) Affects(k Kinds, d congdoan.Date) bool {
	return c.Kinds&k != 0 && !d.Before(c.From)
}

// Equal reports whether two changes say the same.
func (c Change) Equal(o Change) bool {
	return c.Kinds == o.Kinds && c.From == o.From && c.Listed == o.Listed &&
		slices.Equal(c.Employers, o.Employers) && slices.Equal(c.Unions, o.Unions) &&
		c.MembersListed == o.MembersListed && slices.Equal(c.Members, o.Members)
}

// merge widens c to cover o too: the union of the kinds, the earlier date,
// and the union of the lists when both list theirs (else none).
func (c *Change) merge(o Change) {
	switch {
	case o.None():
		return
	case c.None():
		*c = o
		return
	}
	switch cm, om := c.Kinds&ChangesMembers != 0, o.Kinds&ChangesMembers != 0; {
	case cm && om && c.MembersListed && o.MembersListed:
		c.Members = slices.Concat(c.Members, o.Members)
		if len(c.Members) > MaxListed {
			c.MembersListed, c.Members = false, nil
		}
	case cm && om:
		c.MembersListed, c.Members = false, nil
	case om:
		c.MembersListed, c.Members = o.MembersListed, o.Members
	}
	switch ce, oe := c.Kinds&employerKinds != 0, o.Kinds&employerKinds != 0; {
	case ce && oe && c.Listed && o.Listed:
		c.Employers, c.Unions = sortedIDs(c.Employers, o.Employers), sortedIDs(c.Unions, o.Unions)
		c.bound()
	case ce && oe:
		c.Listed, c.Employers, c.Unions = false, nil, nil
	case oe:
		c.Listed, c.Employers, c.Unions = o.Listed, o.Employers, o.Unions
	}
	c.Kinds |= o.Kinds
	if o.From.Before(c.From) {
		c.From = o.From
	}
}

// bound drops lists longer than MaxListed together.
func (c *Change) bound() {
	if len(c.Employers)+len(c.Unions) > MaxListed {
		c.Listed, c.Employers, c.Unions = false, nil, nil
	}
}

// sortedIDs returns the ids of the lists in a new sorted slice without
// repeats (nil when there are none).
func sortedIDs(lists ...[]int64) []int64 {
	out := slices.Concat(lists...)
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// engineTables are the tables the indicator engine reads (figures.go,
// target.go): a transaction that writes one must declare what it changes
// (Affects, AffectsEmployers, or AffectsNothing when the write changes no
// figure). A transaction that writes only other tables — accounts,
// sessions, the audit log, reports — changes nothing the engine caches and
// needs no declaration, so a new module's tables cost the caches nothing.
var engineTables = map[string]bool{
	"units": true, "unit_parents": true, "unit_events": true, "unit_counts": true,
	"persons": true, "memberships": true, "member_snapshots": true,
	"employers": true, "employer_headcounts": true, "employer_units": true,
	"agreements": true, "plan_targets": true,
}

// writeRE finds the table a statement writes.
var writeRE = regexp.MustCompile(`(?is)^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)`)

// noteWrite records the table statement q writes, if any.
func (tx *Tx) noteWrite(q string) {
	if m := writeRE.FindStringSubmatch(q); m != nil {
		t := strings.ToLower(m[1])
		if engineTables[t] && !slices.Contains(tx.engineWrites, t) {
			tx.engineWrites = append(tx.engineWrites, t)
		}
	}
}

// Affects declares that the transaction changes data of kinds k whose
// figures change from date from on (zero: every date). Calls add up (union
// of kinds, earliest date). A transaction that writes a table the engine
// reads and declares nothing is taken to change everything on every date,
// so a write that forgets to declare costs a recomputation, never a stale
// figure — and fails outright where DB.StrictChanges is set (every test
// database), so that the forgetting is found.
func (tx *Tx) Affects(k Kinds, from congdoan.Date) {
	tx.declared = true
	tx.change.merge(Change{Kinds: k, From: from})
}

// AffectsEmployers declares, like Affects, that the transaction changes
// data of kinds k from date from, and that what it changes of the employer
// figures (ChangesEmployers, ChangesUnits) is the contributions of these
// employers and grassroots unions only, so that a cache can re-read just
// them. Any declaration of those kinds by Affects in the same transaction
// widens it to every employer.
func (tx *Tx) AffectsEmployers(k Kinds, from congdoan.Date, employers, unions []int64) {
	tx.declared = true
	ch := Change{Kinds: k, From: from}
	if k&employerKinds != 0 {
		ch.Listed, ch.Employers, ch.Unions = true, sortedIDs(employers), sortedIDs(unions)
		ch.bound()
	}
	tx.change.merge(ch)
}

// membersMoved declares, like Affects(ChangesMembers, from), that unit's
// direct members change by n (women by f) on every date from on — what an
// admission, transfer or leave does — so that a cache can add it to the
// counts it holds. Any other declaration of ChangesMembers in the same
// transaction widens it to "read the counts again".
func (tx *Tx) membersMoved(unit int64, on congdoan.Date, n, f int64) {
	tx.declared = true
	tx.change.merge(Change{Kinds: ChangesMembers, From: on, MembersListed: true, Members: []MemberDelta{{Unit: unit, From: on, N: n, F: f}}})
}

// AffectsNothing declares that the transaction's writes to the tables the
// engine reads change no figure (a name, a phone number, a target that was
// already there).
func (tx *Tx) AffectsNothing() { tx.declared = true }

// committed is what the transaction declared; undeclared, nothing when it
// wrote no table the engine reads, else everything (or, with
// StrictChanges, an error naming the tables).
func (tx *Tx) committed() (Change, error) {
	switch {
	case tx.declared:
		return tx.change, nil
	case len(tx.engineWrites) == 0:
		return Change{}, nil
	case tx.d.StrictChanges:
		return Change{}, fmt.Errorf("store: the transaction wrote %s, which the indicator engine reads, without declaring what it changes (Tx.Affects)",
			strings.Join(tx.engineWrites, ", "))
	}
	return Change{Kinds: ChangesAll}, nil
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

// logChange takes the transaction's generation from change_head and
// records ch in change_log, in the transaction: the row lock on
// change_head is held until the commit, so generations are committed in
// their order, without gaps, by every server over the database.
func (tx *Tx) logChange(ctx context.Context, ch Change) (uint64, error) {
	var g int64
	if err := tx.queryRow(ctx, `UPDATE change_head SET gen = gen + 1 WHERE id = 1 RETURNING gen`).Scan(&g); err != nil {
		return 0, fmt.Errorf("change log: %w", err)
	}
	listed := 0
	if ch.Listed {
		listed = 1
	}
	membersListed := 0
	if ch.MembersListed {
		membersListed = 1
	}
	if _, err := tx.exec(ctx, `INSERT INTO change_log (gen, kinds, from_date, listed, employers, unions, members_listed, members, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g, int(ch.Kinds), dateStr(ch.From), listed, joinIDs(ch.Employers), joinIDs(ch.Unions), membersListed, joinDeltas(ch.Members), tx.now.Format(time.RFC3339)); err != nil {
		return 0, fmt.Errorf("change log: %w", err)
	}
	return uint64(g), nil
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// joinDeltas writes member deltas as "unit:from:n:f;…" (from as ISO, or
// empty for every date).
func joinDeltas(ms []MemberDelta) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%d:%s:%d:%d", m.Unit, m.From, m.N, m.F)
	}
	return b.String()
}

func splitDeltas(s string) ([]MemberDelta, bool) {
	if s == "" {
		return nil, true
	}
	var out []MemberDelta
	for _, f := range strings.Split(s, ";") {
		p := strings.Split(f, ":")
		if len(p) != 4 {
			return nil, false
		}
		var m MemberDelta
		var err1, err2, err3 error
		m.Unit, err1 = strconv.ParseInt(p[0], 10, 64)
		m.N, err2 = strconv.ParseInt(p[2], 10, 64)
		m.F, err3 = strconv.ParseInt(p[3], 10, 64)
		if p[1] != "" {
			d, err := congdoan.ParseISODate(p[1])
			if err != nil {
				return nil, false
			}
			m.From = d
		}
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

func splitIDs(s string) []int64 {
	if s == "" {
		return nil
	}
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// commit records in memory the change of this process's transaction
// committed as generation own, after every earlier generation — another
// server's writes included — so that the generation never runs ahead of a
// change it has not logged. If the log cannot be read, the generations in
// between count as everything changed.
func (d *DB) commit(ctx context.Context, own uint64, ch Change) {
	l := &d.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	if own <= d.gen.Load() {
		return // the follower applied it already
	}
	if own > d.gen.Load()+1 {
		if err := d.followLocked(ctx, own); err != nil || own > d.gen.Load()+1 {
			l.skipTo(d, own-1)
		}
	}
	l.add(d, own, ch)
}

// Follow applies the changes other servers committed to the database,
// every `every` until ctx ends, and keeps the log table short: a server
// sees another's write (and its figures) within that time. A failed read
// is passed to onErr and tried again next time. serve runs it in its job
// group.
func (d *DB) Follow(ctx context.Context, every time.Duration, onErr func(error)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if err := d.FollowOnce(ctx); err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
		if n%1000 == 999 {
			// Keep the last keptChanges: a server further behind than
			// that (stopped meanwhile) is told that everything changed.
			_, _ = d.db.ExecContext(ctx, d.Rebind(`DELETE FROM change_log WHERE gen <= (SELECT gen FROM change_head WHERE id = 1) - ?`), keptChanges)
		}
	}
}

// keptChanges is how many generations the change_log table keeps.
const keptChanges = 10000

// FollowOnce applies the changes committed to the database since this
// process last looked.
func (d *DB) FollowOnce(ctx context.Context) error {
	l := &d.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	return d.followLocked(ctx, 0)
}

// followLocked applies the logged changes after the current generation
// and before `before` (0: all). Callers hold d.changes.mu.
func (d *DB) followLocked(ctx context.Context, before uint64) error {
	l := &d.changes
	q, args := `SELECT gen, kinds, from_date, listed, employers, unions, members_listed, members FROM change_log WHERE gen > ?`, []any{d.gen.Load()}
	if before != 0 {
		q, args = q+` AND gen < ?`, append(args, before)
	}
	rows, err := d.query(ctx, q+` ORDER BY gen`, args...)
	if err != nil {
		return fmt.Errorf("follow the change log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g uint64
		var kinds, listed, membersListed int
		var from sql.NullString
		var emps, unions, members string
		if err := rows.Scan(&g, &kinds, &from, &listed, &emps, &unions, &membersListed, &members); err != nil {
			return err
		}
		if g > d.gen.Load()+1 {
			l.skipTo(d, g-1) // pruned while this server was behind
		}
		ch := Change{Kinds: Kinds(kinds), From: parseDate(from), Listed: listed == 1, Employers: splitIDs(emps), Unions: splitIDs(unions)}
		if deltas, ok := splitDeltas(members); ok && membersListed == 1 {
			ch.MembersListed, ch.Members = true, deltas
		}
		l.add(d, g, ch)
	}
	return rows.Err()
}

// add logs ch as generation g. Callers hold l.mu.
func (l *changeLog) add(d *DB, g uint64, ch Change) {
	d.gen.Store(g)
	if ch.None() {
		return
	}
	l.entries = append(l.entries, changeEntry{g, ch})
	if n := len(l.entries) - maxChanges; n > 0 {
		l.floor = l.entries[n-1].gen
		l.entries = append(l.entries[:0:0], l.entries[n:]...)
	}
}

// skipTo moves the generation to g without knowing what changed up to it:
// a cache older than g is told that everything changed. Callers hold l.mu.
func (l *changeLog) skipTo(d *DB, g uint64) {
	d.gen.Store(g)
	l.floor = g
	l.entries = nil
}

// startChanges sets the generation to the database's at startup: changes
// from before are not in memory, and no cache holds anything older.
func (d *DB) startChanges(ctx context.Context) error {
	var g int64
	if err := d.queryRow(ctx, `SELECT gen FROM change_head WHERE id = 1`).Scan(&g); err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	l := &d.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	if uint64(g) > d.gen.Load() {
		l.skipTo(d, uint64(g))
	}
	return nil
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

// Invalidate tells the caches — of every server over the database — that
// data changed outside a store transaction: a repair or restore by hand,
// or a test that edits rows directly. It commits a transaction that
// declares ch (its lists sorted and bounded like AffectsEmployers').
func (d *DB) Invalidate(ch Change) error {
	if ch.Listed {
		ch.Employers, ch.Unions = sortedIDs(ch.Employers), sortedIDs(ch.Unions)
		ch.bound()
	}
	return d.tx(context.Background(), func(tx *Tx) error {
		tx.declared, tx.change = true, ch
		return nil
	})
}
