package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"congdoan"
	"congdoan/vntext"
)

// Member lists and searches read a page of a province of a million members
// and more. How, on both engines (docs/DESIGN.md, "Search and order"):
//
//   - the units: nothing when the scope is the whole tree, the unit ids
//     when the subtree is small, a closure probe otherwise;
//   - the total: unit_counts when it holds it, else counted row by row up
//     to congdoan.MemberCountCap+1;
//   - the page: keyset on (sort_key, id) after a cursor, or OFFSET; the
//     matches of a narrow search sorted as a set; those of a broad one read
//     in order by ranges of sort_key, given name by given name.

// smallSubtree is the largest subtree whose unit ids are listed in a
// query: PostgreSQL then reads the few units through persons_unit instead
// of walking every person in sort order.
const smallSubtree = 200

// memberCursor is a place in the member order: after the member with this
// sort key and id. Its text form is "id.base64url(sort_key)".
type memberCursor struct {
	key []byte
	id  int64
}

func (c memberCursor) String() string {
	return strconv.FormatInt(c.id, 10) + "." + base64.RawURLEncoding.EncodeToString(c.key)
}

func parseMemberCursor(s string) (*memberCursor, error) {
	idText, keyText, ok := strings.Cut(s, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	key, kerr := base64.RawURLEncoding.DecodeString(keyText)
	if !ok || err != nil || kerr != nil || id <= 0 || len(key) == 0 || len(key) > 4096 {
		return nil, congdoan.FieldError("after", "Vị trí trang không hợp lệ; hãy mở lại danh sách từ trang đầu.")
	}
	return &memberCursor{key: key, id: id}, nil
}

// after returns the condition that a row comes after c in the order.
func (c *memberCursor) after() (string, []any) {
	return "(p.sort_key, p.id) > (?, ?)", []any{c.key, c.id}
}

// memberSel is what a member filter selects, as conditions on persons p.
type memberSel struct {
	where []string
	args  []any
	// Where the exact active count is kept: the subtree of root in
	// unit_counts (root 0: every unit), or one unit's direct count.
	root   int64
	direct int64
}

func (m *memberSel) add(cond string, args ...any) {
	m.where = append(m.where, cond)
	m.args = append(m.args, args...)
}

// with returns a copy of m with one more condition.
func (m memberSel) with(cond string, args ...any) memberSel {
	m.where = append(slices.Clone(m.where), cond)
	m.args = append(slices.Clone(m.args), args...)
	return m
}

func (m *memberSel) sql() string {
	if len(m.where) == 0 {
		return "1=1"
	}
	return strings.Join(m.where, " AND ")
}

// FindMembers implements congdoan.MemberService.
func (d *DB) FindMembers(ctx context.Context, f congdoan.MemberFilter) (_ []*congdoan.Member, _ int, err error) {
	defer wrap(&err, "store.FindMembers")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := s.requirePersonalData(); err != nil {
		return nil, 0, err
	}
	var after *memberCursor
	if f.After != "" {
		if after, err = parseMemberCursor(f.After); err != nil {
			return nil, 0, err
		}
	}
	// base: the units and the status.
	var base memberSel
	if f.Unit != "" {
		// A unit in scope has its whole subtree in scope: the unit's
		// condition is the only one needed.
		unit, err := d.unitByCode(ctx, d, s, f.Unit)
		if err != nil {
			return nil, 0, err
		}
		if f.Direct {
			base.add("p.unit_id = ?", unit.ID)
			base.direct = unit.ID
		} else if err := d.subtreeSel(ctx, &base, unit.ID); err != nil {
			return nil, 0, err
		}
	} else if s.rootID != 0 {
		if err := d.subtreeSel(ctx, &base, s.rootID); err != nil {
			return nil, 0, err
		}
	}
	active := false
	switch congdoan.MemberStatus(f.Status) {
	case "", congdoan.StatusActive:
		base.add("p.status = 'active'")
		active = true
	case congdoan.StatusLeft:
		base.add("p.status = 'left'")
	case "all":
	default:
		return nil, 0, congdoan.FieldError("status", "Trạng thái lọc phải là active (đang sinh hoạt), left (đã thôi) hoặc all.")
	}
	// page: what a page reads, sorted as a set unless the search is broad.
	page := base
	q := strings.TrimSpace(f.Query)
	var name string
	if q != "" {
		if digits := vntext.NormalizeDigits(q); isDigits(digits) {
			if len(digits) < 3 {
				return nil, 0, congdoan.FieldError("q", "Nhập ít nhất 3 chữ số đầu của CCCD để tìm.")
			}
			lo, hi := prefixRange(digits)
			page = base.with("p.cccd >= ? AND p.cccd < ?", lo, hi)
		} else {
			// The matches as an id set from the two name indexes, so
			// that SQLite does not walk the sort index looking for them.
			name = vntext.Fold(q)
			lo, hi := prefixRange(name)
			page = base.with(`p.id IN (SELECT id FROM persons WHERE search_key >= ? AND search_key < ?
				UNION SELECT id FROM persons WHERE given_key >= ? AND given_key < ?)`, lo, hi, lo, hi)
		}
	}
	var total, spread int
	switch {
	case q == "" && active:
		total, err = d.activeCount(ctx, base)
	case name != "":
		total, spread, err = d.countNameMatches(ctx, base, name)
	default:
		// Counted up to one past the cap: a list needs no exact figure
		// of thousands.
		err = d.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM persons p WHERE `+page.sql()+` LIMIT ?) t`,
			append(slices.Clone(page.args), congdoan.MemberCountCap+1)...).Scan(&total)
	}
	if err != nil {
		return nil, 0, err
	}
	limit, offset := clampLimit(f.Limit), max(f.Offset, 0)
	if name != "" && total > broadAbove {
		lo, hi := prefixRange(name)
		// Read in sort order, the match is a filter, written so that no
		// engine takes it for an index range (PostgreSQL, estimating a
		// prefix range at one row, did).
		walk := base.with(`(((p.search_key || '') >= ? AND (p.search_key || '') < ?)
			OR ((p.given_key || '') >= ? AND (p.given_key || '') < ?))`, lo, hi, lo, hi)
		ms, ok, err := d.broadNamePage(ctx, name, walk, spread, after, offset, limit)
		if err != nil || ok {
			return ms, total, err
		}
		// Too scattered to read in order: sort the matches.
	}
	if after != nil {
		c, a := after.after()
		page = page.with(c, a...)
	}
	ms, err := d.pageMembers(ctx, page, limit, offset)
	return ms, total, err
}

// countNameMatches counts the members of base whose name starts with the
// folded prefix name, either way round, up to one past the cap: a broad
// prefix matches tens of thousands, and a list of them needs no exact
// figure. Each name index is read in its order (the ORDER BY) and stops
// at the cap; PostgreSQL otherwise built a bitmap of every match and read
// the table in its own order to find the first thousand. The indexes hold
// status and unit, so no table row is read.
//
// In the same round trip it counts, up to spreadAbove+1 and among all
// persons, the names with more words than the query reaches (see
// broadNamePage), from the search index alone.
func (d *DB) countNameMatches(ctx context.Context, base memberSel, name string) (total, spread int, err error) {
	lo, hi := prefixRange(name)
	capped := congdoan.MemberCountCap + 1
	by := func(col string) string {
		return `SELECT id FROM (SELECT p.id FROM persons p WHERE ` + base.sql() + ` AND p.` + col + ` >= ? AND p.` + col + ` < ?
			ORDER BY p.` + col + ` LIMIT ?) ` + col
	}
	args := append(slices.Clone(base.args), lo, hi, capped)
	args = append(append(args, base.args...), lo, hi, capped)
	args = append(args, lo, hi, likePrefix(name, "% %"), spreadAbove+1)
	err = d.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM (`+by("search_key")+` UNION `+by("given_key")+`) t),
		(SELECT COUNT(*) FROM (`+spreadKeys+`) s)`, args...).Scan(&total, &spread)
	return min(total, capped), spread, err
}

// spreadKeys selects, in index order, the search keys that start with a
// prefix and go on past another space: names with more words than the
// prefix reaches. Parameters: the prefix's range, the LIKE pattern, a limit.
const spreadKeys = `SELECT search_key FROM persons WHERE search_key >= ? AND search_key < ? AND search_key LIKE ? ESCAPE '\'
	ORDER BY search_key LIMIT ?`

// pageMembers reads a page of sel in order. The page's ids are chosen
// first, so that the unit and the date joined come for the rows shown
// only: PostgreSQL evaluates the select list of every row an OFFSET skips.
func (d *DB) pageMembers(ctx context.Context, sel memberSel, limit, offset int) ([]*congdoan.Member, error) {
	rows, err := d.query(ctx, `SELECT p.id FROM persons p WHERE `+sel.sql()+` ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?`,
		append(slices.Clone(sel.args), limit, offset)...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return d.membersInOrder(ctx, ids)
}

// membersInOrder reads members by id, in the order of ids.
func (d *DB) membersInOrder(ctx context.Context, ids []int64) ([]*congdoan.Member, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ms, err := d.selectMembers(ctx, d, false, true, `p.id IN (`+Placeholders(len(ids))+`)`, toAny(ids)...)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(ms, func(a, b *congdoan.Member) int { return at[a.ID] - at[b.ID] })
	return ms, nil
}

// subtreeSel adds the condition that a member's unit is in root's subtree.
// The whole tree needs none; a small subtree is listed; a large one is
// probed in unit_closure row by row.
func (d *DB) subtreeSel(ctx context.Context, sel *memberSel, root int64) error {
	sh, err := d.subtreeShape(ctx, root)
	if err != nil {
		return err
	}
	switch {
	case sh.whole:
		// The only root: every unit is in its subtree (unit_closure
		// follows units.parent_id), so the condition would hold for
		// every member with a unit, and costs a probe per row.
		sel.root = 0
		sel.add("p.unit_id IS NOT NULL")
	case sh.ids != nil:
		// Listed as constants: PostgreSQL then reads the few units
		// through persons_unit instead of walking every person in sort
		// order (a subquery here made it do that).
		sel.root = root
		sel.add("p.unit_id IN ("+Placeholders(len(sh.ids))+")", toAny(sh.ids)...)
	default:
		sel.root = root
		sel.add(inSubtree(root, "p.unit_id"))
	}
	return nil
}

// subtreeShape tells whether root's subtree is the whole tree, and lists
// its units when there are at most smallSubtree. Kept until the next write
// (d.subtrees): a page of a list or search would otherwise ask each time.
func (d *DB) subtreeShape(ctx context.Context, root int64) (subtree, error) {
	gen := d.gen.Load()
	if sh, ok := d.subtrees.get(root, gen); ok && sh.shaped {
		return sh, nil
	}
	var sh subtree
	var roots, isRoot int
	if err := d.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN id = ? THEN 1 ELSE 0 END), 0) FROM units WHERE parent_id IS NULL`,
		root).Scan(&roots, &isRoot); err != nil {
		return sh, err
	}
	sh.whole = roots == 1 && isRoot == 1
	if !sh.whole {
		rows, err := d.query(ctx, `SELECT descendant_id FROM unit_closure WHERE ancestor_id = ? LIMIT ?`, root, smallSubtree+1)
		if err != nil {
			return sh, err
		}
		ids := []int64{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return sh, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return sh, err
		}
		if len(ids) <= smallSubtree {
			sh.ids = ids
		}
	}
	sh.shaped = true
	d.subtrees.update(root, gen, func(c *subtree) { c.shaped, c.whole, c.ids = true, sh.whole, sh.ids })
	return sh, nil
}

// activeCount is the exact number of active members sel selects without a
// search, from unit_counts: no member row is read. A subtree's sum reads a
// row per unit (forty thousand for a province), so it is kept until the
// next write (d.subtrees).
func (d *DB) activeCount(ctx context.Context, sel memberSel) (int, error) {
	var n int
	if sel.direct != 0 {
		err := d.queryRow(ctx, `SELECT COALESCE(SUM(members), 0) FROM unit_counts WHERE unit_id = ?`, sel.direct).Scan(&n)
		return n, err
	}
	gen := d.gen.Load()
	if sh, ok := d.subtrees.get(sel.root, gen); ok && sh.counted {
		return sh.active, nil
	}
	var err error
	if sel.root == 0 {
		err = d.queryRow(ctx, `SELECT COALESCE(SUM(members), 0) FROM unit_counts`).Scan(&n)
	} else {
		err = d.queryRow(ctx, `SELECT COALESCE(SUM(uc.members), 0) FROM unit_closure c JOIN unit_counts uc ON uc.unit_id = c.descendant_id WHERE c.ancestor_id = ?`, sel.root).Scan(&n)
	}
	if err == nil {
		d.subtrees.update(sel.root, gen, func(c *subtree) { c.counted, c.active = true, n })
	}
	return n, err
}

// subtree is what member pages learn about a subtree (root 0: the whole
// tree) and keep until the next write: its shape and its active members.
type subtree struct {
	shaped bool
	whole  bool    // the only root's: no condition needed
	ids    []int64 // its units, when at most smallSubtree
	// counted: active is the sum of unit_counts over the subtree.
	counted bool
	active  int
}

// subtrees keeps subtree facts with the generation they were read at:
// any committed write makes them stale. Like the indicator engine's
// figures, it sees the writes of this process only.
type subtrees struct {
	mu sync.Mutex
	m  map[int64]subtreeAt
}

type subtreeAt struct {
	gen uint64
	subtree
}

func (t *subtrees) get(root int64, gen uint64) (subtree, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[root]
	return v.subtree, ok && v.gen == gen
}

// update changes root's facts read at gen, dropping older ones.
func (t *subtrees) update(root int64, gen uint64, f func(*subtree)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil || len(t.m) >= 4096 {
		t.m = map[int64]subtreeAt{}
	}
	v := t.m[root]
	if v.gen != gen {
		v = subtreeAt{gen: gen}
	}
	f(&v.subtree)
	t.m[root] = v
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) || r > '9' }) < 0
}

// Broad name searches.
//
// A prefix such as "hoang van" matches tens of thousands of people spread
// over the whole order: the order is by given name, and within a given name
// by family name, so the matches are a block inside every given name's run
// of the sort index. Sorting them all costs tens of milliseconds; walking
// the index reads every run's block before them. Instead the page is read
// given name by given name ("group"): the first key at a position tells
// the group (vntext.PersonKeyGiven) and its folded given name, which tells
// which folded prefixes the rest of the name (family and middle names) must
// have to match; vntext.PersonKeyPrefixes turns those into a few ranges of
// sort_key inside the group, read in order with the whole filter. One
// round trip per group; the page usually fills in the first.
//
// When the query reaches into the given name ("nguyen van b"), nearly all
// matches have a given name starting with its last word (or, read given
// name first, equal to its first word): only those groups are visited, and
// the few names with more words than the query reaches ("Nguyễn Văn Bảo
// Anh", where "b" is a middle name) are read as a set by their search keys.

const (
	// broadGroups is how many groups a page may visit before the search
	// falls back to sorting the matches.
	broadGroups = 32
	// keySpellings bounds the spellings of a prefix turned into ranges
	// (one query branch each).
	keySpellings = 16
)

// broadAbove is the number of matches above which a name search is read
// group by group, and spreadAbove the number of names with more words than
// the query reaches above which every group is visited; fewer are read as
// a set (a few thousand rows cost less than visiting a few dozen small
// groups, a round trip each). Variables so that tests can reach every path
// with a small province.
var broadAbove, spreadAbove = congdoan.MemberCountCap, 3000

// keyRange is [lo, hi) of sort_key; nil hi is unbounded.
type keyRange struct{ lo, hi []byte }

// keyedID is a member's place in the order.
type keyedID struct {
	key []byte
	id  int64
}

func compareKeyed(a, b keyedID) int {
	return cmp.Or(bytes.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
}

// prefixEnd returns the smallest byte string greater than every string
// that starts with p, or nil when there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// mergeRanges sorts ranges and joins those that overlap or touch.
func mergeRanges(rs []keyRange) []keyRange {
	slices.SortFunc(rs, func(a, b keyRange) int { return bytes.Compare(a.lo, b.lo) })
	var out []keyRange
	for _, r := range rs {
		if n := len(out); n > 0 && (out[n-1].hi == nil || bytes.Compare(r.lo, out[n-1].hi) <= 0) {
			if out[n-1].hi != nil && (r.hi == nil || bytes.Compare(r.hi, out[n-1].hi) > 0) {
				out[n-1].hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// prefixRanges returns the sort_key ranges of the given folded prefixes,
// each under the key prefix under (a group, or nothing).
func prefixRanges(under []byte, folded ...string) []keyRange {
	var rs []keyRange
	for _, f := range folded {
		for _, p := range vntext.PersonKeyPrefixes(f, keySpellings) {
			lo := append(bytes.Clone(under), p...)
			rs = append(rs, keyRange{lo: lo, hi: prefixEnd(lo)})
		}
	}
	return mergeRanges(rs)
}

// restPrefixes returns the folded prefixes that the rest of a name (family
// and middle names, folded) must start with for a person whose folded
// given name is g to match the folded query q — by search_key (rest, then
// given name) or given_key (given name, then rest). "" means every rest.
// spread includes the names whose rest alone reaches past q.
func restPrefixes(g, q string, spread bool) []string {
	var out []string
	if strings.HasPrefix(g, q) {
		return []string{""} // the given name alone matches (given_key)
	}
	if spread {
		out = append(out, q) // search_key: the rest starts with q
	}
	if j := strings.LastIndexByte(q, ' '); j >= 0 && strings.HasPrefix(g, q[j+1:]) {
		out = append(out, q[:j]) // search_key: rest = q up to its last word, which starts g
	}
	if rest, ok := strings.CutPrefix(q, g+" "); ok {
		out = append(out, rest) // given_key: g, then a rest starting with the remainder
	}
	return out
}

// likePrefix returns a LIKE pattern for strings starting with s, then
// continuing with pattern (LIKE's wildcards in s escaped; ESCAPE '\').
func likePrefix(s, pattern string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + pattern
}

// broadNamePage reads a page of a broad name search (more matches than the
// cap) in order, group by group; ok is false when the matches are too
// scattered for that and the caller should sort them instead. sel holds
// the whole filter, name match included.
//
// spreadN is how many names have more words than q reaches (the rest alone
// starts with q, so the given name is free and they are spread over every
// group), counted up to spreadAbove+1 by countNameMatches.
func (d *DB) broadNamePage(ctx context.Context, q string, sel memberSel, spreadN int, after *memberCursor, offset, limit int) ([]*congdoan.Member, bool, error) {
	need := offset + limit
	filter, fargs := sel.sql(), sel.args
	if after != nil {
		c, a := after.after()
		filter, fargs = filter+" AND "+c, append(slices.Clone(fargs), a...)
	}
	spread := spreadN > spreadAbove
	var got []keyedID
	if !spread && spreadN > 0 {
		// Few: read as a set by their search keys.
		lo, hi := prefixRange(q)
		rows, err := d.query(ctx, spreadKeys, lo, hi, likePrefix(q, "% %"), spreadAbove+1)
		if err != nil {
			return nil, false, err
		}
		var keys []any
		last := ""
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, false, err
			}
			if k != last {
				keys, last = append(keys, k), k
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, err
		}
		if len(keys) > 0 {
			got, _, err = d.keyedMembers(ctx, `SELECT p.id, p.sort_key, '' FROM persons p WHERE p.search_key IN (`+Placeholders(len(keys))+`) AND `+filter+
				` ORDER BY p.sort_key, p.id LIMIT ?`, append(append(keys, fargs...), need)...)
			if err != nil {
				return nil, false, err
			}
		}
	}
	// The groups to visit: all of them when the matches are spread,
	// otherwise those whose given name starts with q's last word or is
	// its first word.
	ranges := []keyRange{{}}
	if !spread {
		words := strings.Fields(q)
		ranges = prefixRanges(nil, words[len(words)-1])
		if len(words) > 1 {
			for _, p := range vntext.PersonKeyWordPrefixes(words[0], keySpellings) {
				ranges = append(ranges, keyRange{lo: p, hi: prefixEnd(p)})
			}
			ranges = mergeRanges(ranges)
		}
	}
	// Once the set holds a page, groups that start after its last row
	// cannot change the page.
	var bound []byte
	if len(got) >= need {
		bound = got[need-1].key
	}
	past := func(k []byte) bool { return bound != nil && bytes.Compare(k, bound) > 0 }
	var inGroups []keyedID
	groups := 0
	for _, r := range ranges {
		if len(inGroups) >= need {
			break
		}
		pos := r.lo
		if after != nil && bytes.Compare(after.key, pos) > 0 {
			pos = after.key
		}
		if (r.hi != nil && bytes.Compare(pos, r.hi) >= 0) || past(pos) {
			continue
		}
		key, given, found, err := d.nextGroup(ctx, pos, r.hi)
		if err != nil {
			return nil, false, err
		}
		for found && len(inGroups) < need && !past(key) {
			if groups++; groups > broadGroups {
				return nil, false, nil
			}
			group, ok := vntext.PersonKeyGiven(key)
			if !ok {
				return nil, false, nil // not a person key: let the sort answer
			}
			g, _, _ := strings.Cut(given, " ")
			parts := prefixRanges(group, restPrefixes(g, q, spread)...)
			next := prefixEnd(group)
			if r.hi != nil && bytes.Compare(next, r.hi) >= 0 {
				next = nil // the group ends the range
			}
			var ms []keyedID
			ms, key, given, found, err = d.readGroup(ctx, parts, filter, fargs, need-len(inGroups), next, r.hi)
			if err != nil {
				return nil, false, err
			}
			inGroups = append(inGroups, ms...)
		}
	}
	got = append(got, inGroups...)
	slices.SortFunc(got, compareKeyed)
	got = slices.CompactFunc(got, func(a, b keyedID) bool { return a.id == b.id })
	if offset >= len(got) {
		return nil, true, nil
	}
	got = got[offset:min(len(got), need)]
	ids := make([]int64, len(got))
	for i, k := range got {
		ids[i] = k.id
	}
	ms, err := d.membersInOrder(ctx, ids)
	return ms, err == nil, err
}

// nextGroup returns the first sort key at or after pos (and before hi) and
// that person's given_key.
func (d *DB) nextGroup(ctx context.Context, pos, hi []byte) (key []byte, given string, found bool, err error) {
	q, args := `SELECT sort_key, given_key FROM persons WHERE sort_key >= ?`, []any{pos}
	if pos == nil {
		q, args = `SELECT sort_key, given_key FROM persons WHERE 1=1`, nil
	}
	if hi != nil {
		q, args = q+` AND sort_key < ?`, append(args, hi)
	}
	err = d.queryRow(ctx, q+` ORDER BY sort_key LIMIT 1`, args...).Scan(&key, &given)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", false, nil
	}
	return key, given, err == nil, err
}

// readGroup reads up to n matches in parts (ranges inside one group) in
// order, and in the same round trip the first key of the next group (at or
// after next, before hi; nil next: there is none).
func (d *DB) readGroup(ctx context.Context, parts []keyRange, filter string, fargs []any, n int, next, hi []byte) (ms []keyedID, nextKey []byte, nextGiven string, found bool, err error) {
	var branches []string
	var args []any
	// A branch per range, each read in index order up to n: with the
	// ranges in one condition joined by OR, SQLite walked the whole sort
	// index instead.
	for i, r := range parts {
		branches = append(branches, `SELECT id, sort_key, given_key FROM (SELECT p.id, p.sort_key, p.given_key FROM persons p
			WHERE p.sort_key >= ? AND p.sort_key < ? AND `+filter+` ORDER BY p.sort_key, p.id LIMIT ?) m`+strconv.Itoa(i))
		args = append(append(append(args, r.lo, r.hi), fargs...), n)
	}
	if next != nil {
		b, a := `SELECT sort_key, given_key FROM persons WHERE sort_key >= ?`, []any{next}
		if hi != nil {
			b, a = b+` AND sort_key < ?`, append(a, hi)
		}
		branches = append(branches, `SELECT 0, sort_key, given_key FROM (`+b+` ORDER BY sort_key LIMIT 1) g`)
		args = append(args, a...)
	}
	if len(branches) == 0 {
		return nil, nil, "", false, nil
	}
	all, nexts, err := d.keyedMembers(ctx, strings.Join(branches, " UNION ALL "), args...)
	if err != nil || len(nexts) == 0 {
		return all, nil, "", false, err
	}
	return all, nexts[0].key, nexts[0].given, true, nil
}

// groupHead is the first key of a group and its given_key.
type groupHead struct {
	key   []byte
	given string
}

// keyedMembers runs a query of (id, sort_key, given_key) rows: members, and
// rows with id 0 that are the head of the next group.
func (d *DB) keyedMembers(ctx context.Context, q string, args ...any) ([]keyedID, []groupHead, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ms []keyedID
	var heads []groupHead
	for rows.Next() {
		var k keyedID
		var given string
		if err := rows.Scan(&k.id, &k.key, &given); err != nil {
			return nil, nil, err
		}
		if k.id == 0 {
			heads = append(heads, groupHead{k.key, given})
		} else {
			ms = append(ms, k)
		}
	}
	slices.SortFunc(ms, compareKeyed)
	return ms, heads, rows.Err()
}
