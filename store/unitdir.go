package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"congdoan"
	"congdoan/vntext"
)

// The unit directory answers type-ahead searches of units (the pickers of
// every form that chooses a unit) from memory: the national tree has some
// 135.000 units, few enough to hold as names and parents, and a LIKE over
// every name in SQL would cost tens of milliseconds a keystroke. It is
// read from the units table once and again only when a change of the tree
// or of the units' own columns is committed, by this server or another
// (ChangesSince); member writes leave it as it is.

// dirUnit is one unit of the directory.
type dirUnit struct {
	id, parent int64
	code, name string
	kind       congdoan.UnitKind
	active     bool
	key        string   // folded name
	words      []string // key's words
	codeKey    string   // folded code
	sortKey    string   // the name's Vietnamese collation key (vntext.SortKey)
	depth      int      // ancestors
}

// unitDir is one reading of the units table; it is never changed.
type unitDir struct {
	gen   uint64
	units []dirUnit
	byID  map[int64]int // index in units
}

// unitDirCache keeps the latest directory.
type unitDirCache struct {
	mu  sync.Mutex
	dir *unitDir
}

// directory returns a directory no older than the tree's last change.
func (d *DB) directory(ctx context.Context) (*unitDir, error) {
	c := &d.unitDir
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != nil {
		ch, cur := d.ChangesSince(c.dir.gen)
		if ch.Kinds&(ChangesTree|ChangesUnits) == 0 {
			if cur != c.dir.gen {
				next := *c.dir
				next.gen = cur
				c.dir = &next
			}
			return c.dir, nil
		}
	}
	// The generation before the read: a change committed during it is
	// seen again on the next call.
	gen := d.gen.Load()
	rows, err := d.query(ctx, `SELECT id, COALESCE(parent_id, 0), code, name, search_key, kind, dissolved_on IS NULL FROM units`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dir := &unitDir{gen: gen, byID: map[int64]int{}}
	for rows.Next() {
		var u dirUnit
		var kind string
		if err := rows.Scan(&u.id, &u.parent, &u.code, &u.name, &u.key, &kind, &u.active); err != nil {
			return nil, err
		}
		u.kind = congdoan.UnitKind(kind)
		u.words = strings.Fields(u.key)
		u.codeKey = vntext.Fold(u.code)
		dir.byID[u.id] = len(dir.units)
		dir.units = append(dir.units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range dir.units {
		dir.units[i].sortKey = string(vntext.SortKey(dir.units[i].name))
		dir.units[i].depth = dir.depthOf(i)
	}
	c.dir = dir
	return dir, nil
}

// within reports whether unit i is root or under it (root 0: everything).
func (dir *unitDir) within(i int, root int64) bool {
	if root == 0 {
		return true
	}
	for n := 0; n < 64; n++ { // a cycle is impossible; the bound says so
		u := &dir.units[i]
		if u.id == root {
			return true
		}
		j, ok := dir.byID[u.parent]
		if !ok {
			return false
		}
		i = j
	}
	return false
}

// depthOf counts the ancestors of unit i.
func (dir *unitDir) depthOf(i int) int {
	n := 0
	for ; n < 64; n++ {
		j, ok := dir.byID[dir.units[i].parent]
		if !ok {
			break
		}
		i = j
	}
	return n
}

// path names the ancestors of unit i, the nearest first.
func (dir *unitDir) path(i int) []string {
	var out []string
	for n := 0; n < 64; n++ {
		j, ok := dir.byID[dir.units[i].parent]
		if !ok {
			break
		}
		out = append(out, dir.units[j].name)
		i = j
	}
	return out
}

// Match ranks, best first.
const (
	rankCode       = iota // the code, exactly
	rankCodePrefix        // the code begins with the query
	rankNamePrefix        // the name begins with the query, or a word of it does
	rankWords             // every query word begins a word of the name, in any order
	rankCodePart          // the code holds the query (the digits of CDCS-BK-0287)
	noMatch
)

// rank says how unit u matches the folded query q of words qw.
func (u *dirUnit) rank(q string, qw []string) int {
	switch {
	case u.codeKey == q:
		return rankCode
	case strings.HasPrefix(u.codeKey, q):
		return rankCodePrefix
	}
	if len(qw) > 0 && strings.Contains(u.key, qw[0]) {
		if strings.HasPrefix(u.key, q) || strings.Contains(u.key, " "+q) {
			return rankNamePrefix
		}
		if wordsMatch(u.words, qw) {
			return rankWords
		}
	}
	if len(q) >= 2 && strings.Contains(u.codeKey, q) {
		return rankCodePart
	}
	return noMatch
}

// wordsMatch reports whether every query word begins some word of the
// name. Each name word serves one query word, so "cong cong" needs two.
func wordsMatch(words, qw []string) bool {
	var used uint64
	for _, w := range qw {
		found := false
		for j, nw := range words {
			if j < 64 && used&(1<<j) == 0 && strings.HasPrefix(nw, w) {
				used |= 1 << j
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// SearchUnits implements congdoan.UnitService.
func (d *DB) SearchUnits(ctx context.Context, in congdoan.UnitSearch) (_ []*congdoan.Unit, err error) {
	defer wrap(&err, "store.SearchUnits")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !in.For.Valid() {
		return nil, congdoan.FieldError("for", "Mục đích tìm đơn vị phải là members, upper, grassroots, active hoặc để trống.")
	}
	limit := in.Limit
	switch {
	case limit == 0:
		limit = congdoan.UnitSearchLimit
	case limit < 0 || limit > congdoan.MaxPageSize:
		return nil, congdoan.FieldError("limit", "Số kết quả tối đa là "+vntext.FormatInt(congdoan.MaxPageSize)+".")
	}
	q := strings.Join(strings.Fields(vntext.Fold(vntext.Clean(in.Query))), " ")
	if q == "" {
		return nil, nil
	}
	dir, err := d.directory(ctx)
	if err != nil {
		return nil, err
	}
	qw := strings.Fields(q)
	type hit struct {
		i, rank, extra int
	}
	// Best rank, then the higher levels (a province before its
	// districts), then the names closest to the query (fewest other
	// words), then active before dissolved, then Vietnamese name order.
	order := func(a, b hit) int {
		ua, ub := &dir.units[a.i], &dir.units[b.i]
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(ua.depth, ub.depth), cmp.Compare(a.extra, b.extra),
			boolOrder(ua.active, ub.active), strings.Compare(ua.sortKey, ub.sortKey), cmp.Compare(ua.code, ub.code))
	}
	// The best limit hits, kept in order as they are found: a word as
	// common as "cong" matches every unit of the country, and sorting
	// them all for twenty would cost more than finding them.
	var hits []hit
	for i := range dir.units {
		u := &dir.units[i]
		if !in.For.Takes(u.kind, u.active) {
			continue
		}
		r := u.rank(q, qw)
		if r == noMatch || !dir.within(i, s.rootID) {
			continue
		}
		h := hit{i, r, len(u.words) - len(qw)}
		if len(hits) == limit && order(h, hits[limit-1]) >= 0 {
			continue
		}
		at, _ := slices.BinarySearchFunc(hits, h, order)
		hits = slices.Insert(hits, at, h)
		if len(hits) > limit {
			hits = hits[:limit]
		}
	}
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]any, len(hits))
	marks := make([]string, len(hits))
	for k, h := range hits {
		ids[k], marks[k] = dir.units[h.i].id, "?"
	}
	us, err := d.queryUnits(ctx, d, `u.id IN (`+strings.Join(marks, ",")+`)`, ids...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*congdoan.Unit, len(us))
	for _, u := range us {
		byID[u.ID] = u
	}
	out := make([]*congdoan.Unit, 0, len(hits))
	for _, h := range hits {
		if u := byID[dir.units[h.i].id]; u != nil {
			u.Path = dir.path(h.i)
			out = append(out, u)
		}
	}
	return out, nil
}

// boolOrder puts true first.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
