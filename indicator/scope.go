package indicator

import (
	"context"

	"congdoan"
)

// A past date's figures are computed over the tree of that date, but a
// user sees only what their scope holds today: a union their federation
// has lost since (moved away, or merged into a unit outside their scope)
// is no longer theirs to count, whatever date they ask for — the same rule
// the store applies to the records behind the figures, so records and
// figures still agree. Today's tree never holds a unit outside the scope of
// an officer of one of its units, and most past trees hold none either;
// only a subtree that does ("tainted") is summed again, unit by unit, over
// the units the scope keeps.

// scopeSet is the set of units in a scope root's subtree today, and
// whether it holds every unit of the registry (a province officer in a
// provincial deployment: nothing is ever outside).
type scopeSet struct {
	units    map[int64]bool
	complete bool
}

// view restricts a date's figures to a scope: keep are the units the
// scope holds, tainted the units of the date's tree whose subtree then held
// one it does not. A nil view restricts nothing.
type view struct {
	set     *scopeSet
	f       *dayFigures
	tainted map[int64]bool
}

type viewKey struct {
	root int64
	date congdoan.Date
}

// viewFor returns the caller's view of f: nil for an administrator, for
// today's tree, and for a scope that holds every unit.
func (e *Engine) viewFor(ctx context.Context, f *dayFigures) (*view, error) {
	root, err := e.src.ScopeRoot(ctx)
	if err != nil || root == 0 || f.date == e.src.Today() {
		return nil, err
	}
	set, err := e.scopeSet(ctx, root)
	if err != nil || set.complete {
		return nil, err
	}
	k := viewKey{root, f.date}
	e.cache.Lock()
	v := e.views[k]
	e.cache.Unlock()
	if v != nil && v.set == set && v.f == f {
		return v, nil
	}
	v = &view{set: set, f: f, tainted: map[int64]bool{}}
	for id := range f.units {
		if set.units[id] {
			continue
		}
		// Outside the scope: it and every unit above it are tainted.
		for x, n := id, 0; n <= len(f.units); n++ {
			if v.tainted[x] {
				break
			}
			v.tainted[x] = true
			p, ok := f.parent[x]
			if !ok {
				break
			}
			x = p
		}
	}
	e.cache.Lock()
	if len(e.views) > 4096 {
		e.views = map[viewKey]*view{} // a simple bound: few roots ask about few dates
	}
	e.views[k] = v
	e.cache.Unlock()
	return v, nil
}

// scopeSet returns root's subtree today, read once until the tree changes.
func (e *Engine) scopeSet(ctx context.Context, root int64) (*scopeSet, error) {
	gen := e.checked()
	e.cache.Lock()
	s := e.scopes[root]
	e.cache.Unlock()
	if s != nil {
		return s, nil
	}
	ids, err := e.src.SubtreeIDs(ctx, root)
	if err != nil {
		return nil, err
	}
	n, err := e.src.UnitCount(ctx)
	if err != nil {
		return nil, err
	}
	s = &scopeSet{units: make(map[int64]bool, len(ids)), complete: len(ids) >= n}
	for _, id := range ids {
		s.units[id] = true
	}
	e.cache.Lock()
	if ch, _ := e.src.ChangesSince(gen); ch.Kinds&treeKinds == 0 {
		e.scopes[root] = s
	}
	e.cache.Unlock()
	return s, nil
}

// keeps reports whether the view counts unit id.
func (v *view) keeps(id int64) bool { return v == nil || v.set.units[id] }

// total returns the totals of unit id's subtree in f as the view sees them.
func (v *view) total(f *dayFigures, id int64) *counts {
	if v == nil || !v.tainted[id] {
		return f.total[id]
	}
	t := f.restricted(id, v.set.units)
	return &t
}

// subtree returns the units of id's subtree in f that the view counts.
func (v *view) subtree(f *dayFigures, id int64) map[int64]bool {
	sub := f.subtree(id)
	if v != nil && v.tainted[id] {
		for u := range sub {
			if !v.set.units[u] {
				delete(sub, u)
			}
		}
	}
	return sub
}

// restricted sums the direct contributions of the units of id's subtree
// that keep holds, as rollUp does for all of them: members count toward
// "members at employer unions" when their nearest grassroots unit (or
// themselves) is a grassroots union with an employer.
func (f *dayFigures) restricted(id int64, keep map[int64]bool) counts {
	at := false
	for x, n := id, 0; n <= len(f.units); n++ {
		p, ok := f.parent[x]
		if !ok {
			break
		}
		if u := f.units[p]; u != nil && u.kind.IsGrassroots() {
			at = u.kind == congdoan.KindGrassroots && u.hasEmployer
			break
		}
		x = p
	}
	var walk func(u int64, at bool) counts
	walk = func(u int64, at bool) counts {
		row := f.units[u]
		if row.kind.IsGrassroots() {
			at = row.kind == congdoan.KindGrassroots && row.hasEmployer
		}
		var t counts
		if keep[u] {
			if c, ok := f.employers[u]; ok {
				t = *c
			}
			if c, ok := f.members[u]; ok {
				t.members, t.membersFemale = c[0], c[1]
			}
			if at {
				t.membersAtEmployerUnions = t.members
			}
		}
		for _, c := range f.kids[u] {
			k := walk(c, at)
			t.add(&k)
		}
		return t
	}
	return walk(id, at)
}
