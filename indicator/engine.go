package indicator

import (
	"context"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"congdoan"
	"congdoan/store"
)

// Engine computes indicators and caches each date's per-unit figures. A
// write drops only what it can change: the store logs, per committed
// transaction, which kinds of data it changed and from which date
// (store.DB.ChangesSince), and a cached date on or after that date re-reads
// just those parts — the tree, the member counts — and rolls up again in
// memory. The employer and agreement contributions are computed from the
// employer facts the engine keeps (employers.go); a write that lists the
// employers and unions it touched re-reads only their facts and patches
// the cached dates with the difference.
type Engine struct {
	src Source
	// employerMin is the workforce from which an employer must have a
	// union: 15 in Bắc Kạn's plan, 25 in the national resolution
	// (SetEmployerMin, from the plan file).
	employerMin atomic.Int64

	// mu is held while a date is computed and while the caches are checked
	// against the store's changes; cache (held briefly, never while
	// reading the database) guards the maps below and the cached dates'
	// state. A request whose answers are cached and true for the store's
	// current generation (seen) takes only cache, so it never waits for
	// another date's computation.
	mu    sync.Mutex
	cache sync.Mutex
	seen  atomic.Pointer[checkpoint]
	gen   uint64        // the store generation the caches are true for
	today congdoan.Date // "today" when the caches were last checked
	days  map[string]*cachedDay
	// budget bounds the cached dates' estimated memory: beyond it the
	// least recently used dates go, one at a time (never the whole
	// cache). bytes is the estimate of those cached; tick orders use.
	budget, bytes int64
	tick          uint64
	hits, misses  atomic.Uint64       // dates answered from the cache, dates computed
	buildHook     func(congdoan.Date) // tests: called as a date's computation starts
	memos         map[string]any      // other derived answers (period counts, targets): dropped on any change of memoKinds
	// events are the period events (admitted, left, founded, dissolved)
	// directly in each unit, one entry per calendar month or part of one
	// (figures.go): a change drops only the months from its date on, so an
	// admission today re-reads this month's events, not the year's.
	events map[string]*monthEvents
	reads  reads // what the engine read from the database (tests look)
	// scopes are the scope roots' subtrees today (until the tree changes),
	// views the past dates' figures as a scope sees them (scope.go).
	scopes map[int64]*scopeSet
	views  map[viewKey]*view

	// facts are what every date's employer part is computed from (nil:
	// read them in full when next needed); pendEmployers and pendUnions
	// the ones changed since, whose facts are read again before the next
	// date is built.
	facts                     *employerFacts
	pendEmployers, pendUnions []int64
}

// reads counts what the engine read and computed: trees and member counts
// of dates read, full reads of the employer facts (every employer), dates
// whose employer part was computed from all the facts, re-reads of some
// employers' facts, and dates patched with their difference.
type reads struct {
	trees, members, employers, employerDays, employerRereads, patches, eventMonths int
	memberPatches                                                                  int // dates whose member counts were patched, not read
}

// DefaultCacheBudget is the memory the cached dates may take by default:
// an overview reads 25 dates (today and 24 month starts), a date of a
// province of a million members takes about 30 MB, of the national tree
// several times that.
const DefaultCacheBudget = 2 << 30

// New returns an engine over src.
func New(src Source) *Engine {
	e := &Engine{src: src, gen: src.Generation(), days: map[string]*cachedDay{}, memos: map[string]any{},
		events: map[string]*monthEvents{}, scopes: map[int64]*scopeSet{}, views: map[viewKey]*view{}, budget: DefaultCacheBudget}
	e.employerMin.Store(congdoan.DefaultEmployerMin)
	return e
}

// SetCacheBudget sets the memory, in bytes, the cached dates may take (an
// estimate from their sizes); 0 or less keeps the default. Dates beyond it
// go least recently used first.
func (e *Engine) SetCacheBudget(bytes int64) {
	if bytes <= 0 {
		bytes = DefaultCacheBudget
	}
	e.cache.Lock()
	defer e.cache.Unlock()
	e.budget = bytes
	e.evict("")
}

// CacheStats is what the figure cache holds, for the metrics.
type CacheStats struct {
	Dates         int
	Bytes, Budget int64
	Hits, Misses  uint64
}

// CacheStats returns the cache's size and use.
func (e *Engine) CacheStats() CacheStats {
	e.cache.Lock()
	defer e.cache.Unlock()
	return CacheStats{Dates: len(e.days), Bytes: e.bytes, Budget: e.budget, Hits: e.hits.Load(), Misses: e.misses.Load()}
}

// checkpoint is the store generation and day the caches were last checked
// against: while both are current, what the caches hold is true.
type checkpoint struct {
	gen   uint64
	today congdoan.Date
}

// current reports whether the caches are true for the store as it is now,
// and the generation they are true for.
func (e *Engine) current() (uint64, bool) {
	cp := e.seen.Load()
	if cp == nil {
		return 0, false
	}
	return cp.gen, cp.gen == e.src.Generation() && cp.today == e.src.Today()
}

// EmployerMin implements congdoan.IndicatorService.
func (e *Engine) EmployerMin() int {
	return int(e.employerMin.Load())
}

// SetEmployerMin sets the workforce from which the employers indicator
// counts an employer (a plan's employer_min_workers; 0 keeps the default).
// Cached dates compute their employer part again.
func (e *Engine) SetEmployerMin(n int) {
	if n <= 0 {
		return
	}
	e.employerMin.Store(int64(n))
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
	empMin    int64 // the employerMin employers were counted with

	total map[int64]*counts
}

// The parts of a date and the kinds of change that make each stale.
const (
	treeKinds     = store.ChangesTree | store.ChangesUnits
	memberKinds   = store.ChangesMembers
	employerKinds = store.ChangesEmployers | store.ChangesUnits
	dayKinds      = treeKinds | memberKinds | employerKinds
	// memoKinds make the memos stale: period counts read memberships, units
	// founded and dissolved and the tree; targets plan_targets and mergers.
	// None reads employers, headcounts or agreements.
	memoKinds = store.ChangesAll &^ store.ChangesEmployers
)

// parts of a date to read or compute again.
type parts uint8

const (
	partTree parts = 1 << iota
	partMembers
	partEmployers // from all the employer facts
	allParts      = partTree | partMembers | partEmployers
)

// cachedDay is a cached date and what to do before it is used: the parts
// to read again, whether it awaits the difference the pending employers
// make (patch), and the difference patches add to its employer part.
type cachedDay struct {
	f     *dayFigures
	stale parts
	patch bool
	delta map[int64]*counts
	moved map[int64][2]int64 // member counts moved by admissions, transfers, leaves since (store.Change.Members)
	used  uint64             // Engine.tick when last read
	reads int                // times read (evict keeps those read more than once longer)
	size  int64              // estimated bytes
}

func (c *cachedDay) fresh() bool { return c.stale == 0 && !c.patch && c.delta == nil && c.moved == nil }

// day returns the figures of date d, computing them (or the parts a write
// made stale) when needed. A date cached and true for the store's current
// generation is answered under the cache lock alone; a cold one is
// computed under mu, once, however many requests ask for it meanwhile
// (they wait on mu and then find it cached).
func (e *Engine) day(ctx context.Context, d congdoan.Date) (*dayFigures, error) {
	key := d.String()
	if f := e.cachedDay(key); f != nil {
		e.hits.Add(1)
		return f, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.checkGeneration()
	if f := e.freshDay(key); f != nil {
		e.hits.Add(1)
		return f, nil
	}
	e.misses.Add(1)
	if err := e.syncFacts(ctx); err != nil {
		return nil, err
	}
	e.cache.Lock()
	c, ok := e.days[key]
	var old *dayFigures
	var delta map[int64]*counts
	var moved map[int64][2]int64
	stale := allParts
	if ok {
		if c.fresh() { // awaited a change that listed no one
			c.used = e.nextTick()
			c.reads++
			e.cache.Unlock()
			return c.f, nil
		}
		old, stale, delta, moved = c.f, c.stale, c.delta, c.moved
	}
	e.cache.Unlock()
	if e.buildHook != nil {
		e.buildHook(d)
	}
	f, err := e.build(ctx, d, old, stale, delta, moved)
	if err != nil {
		return nil, err
	}
	e.cache.Lock()
	defer e.cache.Unlock()
	reads := 1
	if c, ok := e.days[key]; ok {
		e.bytes -= c.size
		reads += c.reads // a date computed again keeps its history of use
	}
	c = &cachedDay{f: f, used: e.nextTick(), size: f.size(), reads: reads}
	e.days[key] = c
	e.bytes += c.size
	e.evict(key)
	return f, nil
}

// cachedDay returns date key's figures when they are cached and true for
// the store's current generation, taking only the cache lock; nil
// otherwise.
func (e *Engine) cachedDay(key string) *dayFigures {
	if _, ok := e.current(); !ok {
		return nil
	}
	return e.freshDay(key)
}

// freshDay returns date key's cached figures if nothing awaits them.
func (e *Engine) freshDay(key string) *dayFigures {
	e.cache.Lock()
	defer e.cache.Unlock()
	if c, ok := e.days[key]; ok && c.fresh() {
		c.used = e.nextTick()
		c.reads++
		return c.f
	}
	return nil
}

// nextTick orders the uses of cached dates. Callers hold e.cache.
func (e *Engine) nextTick() uint64 {
	e.tick++
	return e.tick
}

// evict drops dates, one at a time, until the cache is within its budget
// — never keep, the date just cached, and never the last one. It drops the
// least recently used of the dates read only once first (segmented LRU):
// the dates of an overview (today and 24 month starts) are read by every
// overview, so an officer paging through a hundred other dates pushes out
// those dates, not the overview's. Callers hold e.cache.
func (e *Engine) evict(keep string) {
	for e.bytes > e.budget && len(e.days) > 1 {
		victim := e.leastRecent(keep, true)
		if victim == "" {
			victim = e.leastRecent(keep, false)
		}
		if victim == "" {
			return
		}
		e.bytes -= e.days[victim].size
		delete(e.days, victim)
	}
}

// leastRecent is the least recently used cached date but keep (of those
// read once only, when once is set); "" when there is none.
func (e *Engine) leastRecent(keep string, once bool) string {
	var oldest string
	var used uint64
	for k, c := range e.days {
		if k == keep || (once && c.reads > 1) {
			continue
		}
		if oldest == "" || c.used < used {
			oldest, used = k, c.used
		}
	}
	return oldest
}

// size estimates the memory f takes: its maps' entries with what they
// point to. The tree's strings dominate; the factors were read from
// runtime.MemStats over demo dates (cache_test.go checks the order).
func (f *dayFigures) size() int64 {
	return int64(len(f.units))*360 + int64(len(f.members))*48 + int64(len(f.employers))*120 + int64(len(f.total))*120 + 1024
}

// checkGeneration marks what the writes committed since the caches were
// checked may have changed: the cached dates on or after the change's date
// get its parts to re-read, and the memos go unless only employers and
// agreements changed (memoKinds). Writes that change nothing
// (logins, reveals, reports) keep everything. A change of employers that
// lists them (store.Change.Listed) makes those pending and the dates await
// their difference; one that does not drops the facts, and the dates
// compute their employer part again. A date cached as today read
// unit_counts; once today has moved on, its members are re-read from the
// snapshots. Callers hold e.mu.
func (e *Engine) checkGeneration() {
	e.cache.Lock()
	defer e.cache.Unlock()
	defer func() { e.seen.Store(&checkpoint{gen: e.gen, today: e.today}) }()
	if today := e.src.Today(); today != e.today {
		for _, c := range e.days {
			if c.f.live && c.f.date != today {
				c.stale |= partMembers
			}
		}
		e.today = today
	}
	if e.src.Generation() == e.gen {
		return
	}
	ch, g := e.src.ChangesSince(e.gen)
	e.gen = g
	if ch.None() {
		return
	}
	if ch.Kinds&memoKinds != 0 {
		e.memos = map[string]any{}
	}
	if ch.Kinds&treeKinds != 0 {
		e.scopes = map[int64]*scopeSet{}
	}
	// A membership write changes the months from its date on. A change of
	// the tree drops them all: a dissolved union counts under its parent's
	// current id, which a later merger changes (rare writes).
	for k, m := range e.events {
		if ch.Kinds&treeKinds != 0 || ch.Affects(memberKinds, m.to) {
			delete(e.events, k)
		}
	}
	listed := false
	if ch.Kinds&employerKinds != 0 {
		if ch.Listed && e.facts != nil {
			emps, unions := sortedIDs(e.pendEmployers, ch.Employers), sortedIDs(e.pendUnions, ch.Unions)
			listed = len(emps)+len(unions) <= store.MaxListed
			e.pendEmployers, e.pendUnions = emps, unions
		}
		if !listed {
			e.dropFacts()
		}
	}
	for _, c := range e.days {
		if !ch.Affects(dayKinds, c.f.date) {
			continue
		}
		if ch.Kinds&treeKinds != 0 {
			c.stale |= partTree
		}
		if ch.Kinds&memberKinds != 0 {
			c.memberChange(ch)
		}
		if ch.Kinds&employerKinds != 0 {
			if listed {
				c.patch = true
			} else {
				c.stale |= partEmployers
			}
		}
	}
}

// memberChange marks what a change of members does to a cached date: the
// counts it lists are added to what the date awaits (an admission today
// patches today's figures instead of reading every unit's count again);
// any other change makes the date read them again.
func (c *cachedDay) memberChange(ch store.Change) {
	if !ch.MembersListed || c.stale&partMembers != 0 {
		c.stale |= partMembers
		c.moved = nil
		return
	}
	for _, m := range ch.Members {
		if c.f.date.Before(m.From) {
			continue
		}
		if c.moved == nil {
			c.moved = map[int64][2]int64{}
		}
		v := c.moved[m.Unit]
		c.moved[m.Unit] = [2]int64{v[0] + m.N, v[1] + m.F}
	}
}

// dropFacts forgets the employer facts and the pending employers: the
// dates that awaited their difference compute their employer part again
// (the differences already added stay true). Callers hold e.mu.
func (e *Engine) dropFacts() {
	e.facts, e.pendEmployers, e.pendUnions = nil, nil, nil
	for _, c := range e.days {
		if c.patch {
			c.patch = false
			c.stale |= partEmployers
		}
	}
}

// syncFacts re-reads the facts of the pending employers (and of the
// pending unions' employers), adds to each date that awaits it what they
// contribute now minus what they contributed before, and puts their new
// facts in place. A date whose difference is empty is still built again;
// a change that listed no one leaves the dates as they are. Callers hold
// e.mu.
func (e *Engine) syncFacts(ctx context.Context) error {
	if e.facts == nil {
		return nil // no date awaits a difference (dropFacts)
	}
	if len(e.pendEmployers)+len(e.pendUnions) > 0 {
		byUnion, err := e.unionEmployers(ctx, e.pendUnions)
		if err != nil {
			return err
		}
		ids := sortedIDs(e.pendEmployers, byUnion)
		n, err := e.readFacts(ctx, false, ids)
		if err != nil {
			return err
		}
		e.reads.employerRereads++
		e.cache.Lock()
		for _, c := range e.days {
			if !c.patch || c.stale&partEmployers != 0 {
				continue
			}
			if c.delta == nil {
				c.delta = map[int64]*counts{}
			}
			e.facts.delta(c.delta, ids, n, store.DayOf(c.f.date), c.f.empMin)
		}
		e.cache.Unlock()
		e.facts.replace(ids, n)
		e.pendEmployers, e.pendUnions = nil, nil
	}
	e.cache.Lock()
	for _, c := range e.days {
		c.patch = false
	}
	e.cache.Unlock()
	return nil
}

// sortedIDs returns the ids of the lists in a new sorted slice without
// repeats.
func sortedIDs(lists ...[]int64) []int64 {
	out := slices.Concat(lists...)
	slices.Sort(out)
	return slices.Compact(out)
}

// memo returns the cached answer for key or computes it. It does not hold
// the lock while computing; an answer computed across a write that may
// change it is not kept. Memos survive changes of employers, headcounts
// and agreements (memoKinds): an answer that reads those must not be a
// memo.
func memo[T any](e *Engine, key string, compute func() (T, error)) (T, error) {
	gen := e.checked()
	e.cache.Lock()
	v, ok := e.memos[key]
	e.cache.Unlock()
	if ok {
		return v.(T), nil
	}
	t, err := compute()
	if err != nil {
		return t, err
	}
	e.cache.Lock()
	if ch, _ := e.src.ChangesSince(gen); ch.Kinds&memoKinds == 0 {
		e.memos[key] = t
	}
	e.cache.Unlock()
	return t, nil
}

// checked makes sure the caches are true for the store's current
// generation (taking mu only when a write came since) and returns that
// generation.
func (e *Engine) checked() uint64 {
	if gen, ok := e.current(); ok {
		return gen
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.checkGeneration()
	return e.gen
}

// build computes the figures of d: the parts in stale are read from the
// database (all of them without old), the others taken from old, the
// employer part patched with delta when it is not computed again, then
// everything is rolled up — only the ancestors of the units delta changes
// when nothing else changed. It reads units, edges and per-unit member
// counts (not members); the employer part comes from the employer facts.
// Callers hold e.mu.
func (e *Engine) build(ctx context.Context, d congdoan.Date, old *dayFigures, stale parts, delta map[int64]*counts, moved map[int64][2]int64) (*dayFigures, error) {
	f := &dayFigures{date: d}
	if old != nil {
		*f = *old
		f.total = nil
	} else {
		stale = allParts
	}
	if f.empMin != e.employerMin.Load() {
		stale |= partEmployers
	}
	var err error
	if stale&partTree != 0 {
		if err := e.readTree(ctx, f); err != nil {
			return nil, err
		}
		e.reads.trees++
	}
	// roll is what changed in the direct contributions, for rollUpDelta:
	// the employer part's difference and the member counts moved.
	roll := delta
	if stale&partMembers != 0 {
		f.live = d == e.today
		if f.members, err = e.src.MemberCountsOn(ctx, d, f.live); err != nil {
			return nil, err
		}
		e.reads.members++
	} else if moved != nil {
		f.members = maps.Clone(old.members)
		roll = maps.Clone(delta)
		if roll == nil {
			roll = map[int64]*counts{}
		}
		for id, m := range moved {
			v := f.members[id]
			f.members[id] = [2]int64{v[0] + m[0], v[1] + m[1]}
			dc := &counts{members: m[0], membersFemale: m[1]}
			if f.atEmployerUnion(id) {
				dc.membersAtEmployerUnions = m[0]
			}
			if o := roll[id]; o != nil {
				dc.add(o)
			}
			roll[id] = dc
		}
		e.reads.memberPatches++
	}
	switch {
	case stale&partEmployers != 0:
		if f.employers, err = e.readEmployers(ctx, d); err != nil {
			return nil, err
		}
		f.empMin = e.employerMin.Load()
	case delta != nil:
		f.employers = patch(old.employers, delta)
		e.reads.patches++
	}
	if stale != 0 || !f.rollUpDelta(old.total, roll) {
		f.rollUp()
	}
	return f, nil
}

// patch returns the contributions m plus delta, sharing what delta does
// not change (m is not changed).
func patch(m, delta map[int64]*counts) map[int64]*counts {
	out := maps.Clone(m)
	for id, dc := range delta {
		var c counts
		if o := out[id]; o != nil {
			c = *o
		}
		c.add(dc)
		if c == (counts{}) {
			delete(out, id)
		} else {
			out[id] = &c
		}
	}
	return out
}

// rollUpDelta sets f.total to old plus delta added to each changed unit and
// its ancestors in the tree, sharing the rest of old. It reports false,
// having set nothing, when a changed unit's ancestors do not lead to a
// root of the tree (rollUp does not count such a unit's subtree upwards).
func (f *dayFigures) rollUpDelta(old, delta map[int64]*counts) bool {
	type change struct {
		dc    *counts
		chain []int64 // the unit and its ancestors
	}
	var changes []change
	for id, dc := range delta {
		if _, ok := f.units[id]; !ok || *dc == (counts{}) {
			continue // outside the tree of the date: in no total
		}
		chain := []int64{id}
		for x := id; ; {
			p, ok := f.parent[x]
			if !ok {
				break
			}
			if _, ok := f.units[p]; !ok || len(chain) > len(f.units) {
				return false
			}
			chain, x = append(chain, p), p
		}
		changes = append(changes, change{dc, chain})
	}
	f.total = maps.Clone(old)
	copied := map[int64]bool{}
	for _, c := range changes {
		for _, x := range c.chain {
			if !copied[x] {
				t := *f.total[x]
				f.total[x] = &t
				copied[x] = true
			}
			f.total[x].add(c.dc)
		}
	}
	return true
}

// readTree reads the units and edges valid on f's date.
func (e *Engine) readTree(ctx context.Context, f *dayFigures) error {
	edges, err := e.src.TreeOn(ctx, f.date)
	if err != nil {
		return err
	}
	f.byCode, f.units, f.kids, f.parent = make(map[string]int64, len(edges)), make(map[int64]*unitRow, len(edges)), map[int64][]int64{}, map[int64]int64{}
	for _, ed := range edges {
		f.units[ed.ID] = &unitRow{id: ed.ID, code: ed.Code, name: ed.Name, kind: ed.Kind, hasEmployer: ed.HasEmployer}
		f.byCode[ed.Code] = ed.ID
		if ed.ParentID != 0 {
			f.parent[ed.ID] = ed.ParentID
			f.kids[ed.ParentID] = append(f.kids[ed.ParentID], ed.ID)
		}
	}
	return nil
}

// readEmployers returns each unit's direct employer and agreement
// contributions on d, computed from the employer facts (read in full
// first when the engine has none).
func (e *Engine) readEmployers(ctx context.Context, d congdoan.Date) (map[int64]*counts, error) {
	if e.facts == nil {
		base, err := e.readFacts(ctx, true, nil)
		if err != nil {
			return nil, err
		}
		e.facts = &employerFacts{base: base, over: &empFacts{}}
		e.reads.employers++
	}
	e.reads.employerDays++
	return e.facts.contributions(store.DayOf(d), e.employerMin.Load()), nil
}

// atEmployerUnion reports whether unit id's members count as members at
// an employer's union, as rollUp decides it: its nearest grassroots-level
// ancestor (itself included) is a grassroots union with an employer.
func (f *dayFigures) atEmployerUnion(id int64) bool {
	for x, n := id, 0; n <= len(f.units); n++ {
		u, ok := f.units[x]
		if !ok {
			return false
		}
		if u.kind.IsGrassroots() {
			return u.kind == congdoan.KindGrassroots && u.hasEmployer
		}
		p, ok := f.parent[x]
		if !ok {
			return false
		}
		x = p
	}
	return false
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
