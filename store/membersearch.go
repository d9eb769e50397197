package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
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
//   - the total: unit_counts when it holds it, exact for a name search
//     read as a set, else counted row by row up to congdoan.MemberCountCap+1;
//   - the page: keyset on (sort_key, id) after a cursor, or OFFSET; a name
//     search from the words of the names (findByWords, below).

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
func (d *DB) FindMembers(ctx context.Context, f congdoan.MemberFilter) ([]*congdoan.Member, int, error) {
	p, err := d.FindMemberPage(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total := p.Total
	if p.Capped {
		total = congdoan.MemberCountCap + 1
	}
	return p.Members, total, nil
}

// FindMemberPage implements congdoan.MemberService.
func (d *DB) FindMemberPage(ctx context.Context, f congdoan.MemberFilter) (_ *congdoan.MemberPage, err error) {
	defer wrap(&err, "store.FindMembers")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requirePersonalData(); err != nil {
		return nil, err
	}
	var after *memberCursor
	if f.After != "" {
		if after, err = parseMemberCursor(f.After); err != nil {
			return nil, err
		}
	}
	// base: the units and the status.
	var base memberSel
	if f.Unit != "" {
		// A unit in scope has its whole subtree in scope: the unit's
		// condition is the only one needed.
		unit, err := d.unitByCode(ctx, d, s, f.Unit)
		if err != nil {
			return nil, err
		}
		if f.Direct {
			base.add("p.unit_id = ?", unit.ID)
			base.direct = unit.ID
		} else if err := d.subtreeSel(ctx, &base, unit.ID); err != nil {
			return nil, err
		}
	} else if s.rootID != 0 {
		if err := d.subtreeSel(ctx, &base, s.rootID); err != nil {
			return nil, err
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
		return nil, congdoan.FieldError("status", "Trạng thái lọc phải là active (đang sinh hoạt), left (đã thôi) hoặc all.")
	}
	limit, offset := clampLimit(f.Limit), max(f.Offset, 0)
	page := base
	q := strings.TrimSpace(f.Query)
	if q != "" {
		digits := vntext.NormalizeDigits(q)
		if !isDigits(digits) {
			ms, total, capped, err := d.findByWords(ctx, base, queryWords(vntext.Fold(q)), after, offset, limit)
			if err != nil {
				return nil, err
			}
			return &congdoan.MemberPage{Members: ms, Total: total, Capped: capped}, nil
		}
		if len(digits) < 3 {
			return nil, congdoan.FieldError("q", "Nhập ít nhất 3 chữ số đầu hoặc 4 chữ số cuối của CCCD để tìm.")
		}
		lo, hi := prefixRange(digits)
		if len(digits) == 4 {
			// Four digits: the last four of a CCCD, and the first four.
			// (persons_cccd_tail indexes the expression.)
			page = base.with("((p.cccd >= ? AND p.cccd < ?) OR substr(p.cccd, length(p.cccd) - 3) = ?)", lo, hi, digits)
		} else {
			page = base.with("p.cccd >= ? AND p.cccd < ?", lo, hi)
		}
	}
	var total int
	capped := false
	if q == "" && active {
		total, err = d.activeCount(ctx, base)
	} else {
		// Counted up to one past the cap: a list needs no exact figure
		// of thousands.
		err = d.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM persons p WHERE `+page.sql()+` LIMIT ?) t`,
			append(slices.Clone(page.args), congdoan.MemberCountCap+1)...).Scan(&total)
		if total > congdoan.MemberCountCap {
			total, capped = congdoan.MemberCountCap, true
		}
	}
	if err != nil {
		return nil, err
	}
	if after != nil {
		c, a := after.after()
		page = page.with(c, a...)
	}
	ms, err := d.pageMembers(ctx, page, limit, offset)
	if err != nil {
		return nil, err
	}
	return &congdoan.MemberPage{Members: ms, Total: total, Capped: capped}, nil
}

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

// Name searches (docs/DESIGN.md, "Search and order").
//
// Every query word must start some word of the name, in any order. The
// words of every name are rows of person_words, in member order under
// each word, and search_words counts the persons of each word. The
// query word whose words (all those it starts) have the fewest persons
// drives the search; the other query words, the status and the scope are
// checked on the copies of the folded name, status and unit kept in the
// same index row, so that no person row is read before the page. Then:
//
//   - few persons under the driving word (setAbove): they are read as a
//     set, sorted here, and the total is exact;
//   - else a small scope (scopeAbove active members): the scope's members
//     are filtered by name, sorted, counted exactly;
//   - else each word under the driving word is walked in member order
//     (one branch each, merged here) up to the page, and counted up to
//     the cap, branch by branch, the largest first.

// setAbove and scopeAbove are variables so that tests reach every path
// with a small province.
var setAbove, scopeAbove = 5000, 20000

// queryWords returns the words of a folded query that a name must have:
// a word that starts another query word is implied by it and dropped
// ("an anh" is "anh"; "nguyen n" is "nguyen").
func queryWords(folded string) []string {
	fields := strings.Fields(folded)
	var out []string
	for i, w := range fields {
		implied := false
		for j, o := range fields {
			if j != i && strings.HasPrefix(o, w) && (len(o) > len(w) || j < i) {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, w)
		}
	}
	return out
}

// wordsLike is the LIKE pattern that some word of (' ' || name) starts
// with w.
func wordsLike(w string) string { return "% " + likePrefix(w, "%") }

// findByWords reads a page of base's members whose names have every word
// of words, and their total (capped: more than the cap).
func (d *DB) findByWords(ctx context.Context, base memberSel, words []string, after *memberCursor, offset, limit int) (_ []*congdoan.Member, total int, capped bool, err error) {
	if len(words) == 0 {
		return nil, 0, false, nil
	}
	// The words each query word starts, with their persons.
	type cand struct {
		word    string
		persons int64
	}
	drive, driveN := -1, int64(0)
	var driveWords []cand
	for i, w := range words {
		lo, hi := prefixRange(w)
		rows, err := d.query(ctx, `SELECT word, persons FROM search_words WHERE word >= ? AND word < ? AND persons > 0`, lo, hi)
		if err != nil {
			return nil, 0, false, err
		}
		var cs []cand
		var n int64
		for rows.Next() {
			var c cand
			if err := rows.Scan(&c.word, &c.persons); err != nil {
				rows.Close()
				return nil, 0, false, err
			}
			cs, n = append(cs, c), n+c.persons
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, false, err
		}
		if len(cs) == 0 {
			return nil, 0, false, nil // no name has such a word
		}
		if drive < 0 || n < driveN {
			drive, driveN, driveWords = i, n, cs
		}
	}
	// The other words, checked on the folded name of the index row. The
	// row is aliased p: base's conditions on the unit and status apply to
	// its copies of them, and no person row is read.
	var others []string
	var otherArgs []any
	for i, w := range words {
		if i != drive {
			others = append(others, `(' ' || p.name) LIKE ? ESCAPE '\'`)
			otherArgs = append(otherArgs, wordsLike(w))
		}
	}
	filter := strings.Join(append(others, base.sql()), " AND ")
	fargs := append(otherArgs, base.args...)
	need := offset + limit

	// page returns the page of the sorted matches all, and the total.
	page := func(all []keyedID) ([]*congdoan.Member, int, bool, error) {
		slices.SortFunc(all, compareKeyed)
		all = slices.CompactFunc(all, func(a, b keyedID) bool { return a.id == b.id })
		total := len(all)
		if after != nil {
			c := keyedID{after.key, after.id}
			i, _ := slices.BinarySearchFunc(all, c, compareKeyed)
			for i < len(all) && compareKeyed(all[i], c) <= 0 {
				i++
			}
			all = all[i:]
		}
		if offset >= len(all) {
			return nil, total, false, nil
		}
		ids := make([]int64, 0, limit)
		for _, k := range all[offset:min(len(all), need)] {
			ids = append(ids, k.id)
		}
		ms, err := d.membersInOrder(ctx, ids)
		return ms, total, false, err
	}

	if driveN <= int64(setAbove) {
		// Few: every person under the driving word, as a set.
		ws := make([]any, len(driveWords))
		for i, c := range driveWords {
			ws[i] = c.word
		}
		all, err := d.keyedIDs(ctx, `SELECT p.person_id, p.sort_key FROM person_words p
			WHERE p.word IN (`+Placeholders(len(ws))+`) AND `+filter, append(ws, fargs...)...)
		if err != nil {
			return nil, 0, false, err
		}
		return page(all)
	}
	if base.root != 0 || base.direct != 0 {
		// A small scope: its members, filtered by name.
		n, err := d.activeCount(ctx, base)
		if err != nil {
			return nil, 0, false, err
		}
		if n <= scopeAbove {
			var conds []string
			var args []any
			for _, w := range words {
				conds = append(conds, `(' ' || p.search_key) LIKE ? ESCAPE '\'`)
				args = append(args, wordsLike(w))
			}
			all, err := d.keyedIDs(ctx, `SELECT p.id, p.sort_key FROM persons p WHERE `+base.sql()+` AND `+strings.Join(conds, " AND "),
				append(slices.Clone(base.args), args...)...)
			if err != nil {
				return nil, 0, false, err
			}
			return page(all)
		}
	}
	// Broad: walk each word under the driving word in order.
	slices.SortFunc(driveWords, func(a, b cand) int { return cmp.Compare(b.persons, a.persons) })
	branch := func(withAfter bool) string {
		q := `SELECT p.person_id, p.sort_key FROM person_words p WHERE p.word = ? AND ` + filter
		if withAfter && after != nil {
			q += ` AND (p.sort_key, p.person_id) > (?, ?)`
		}
		return q + ` ORDER BY p.sort_key, p.person_id LIMIT ?`
	}
	// The total: up to the cap, the largest word first (it usually
	// reaches the cap alone).
	seen := map[int64]bool{}
	for _, c := range driveWords {
		got, err := d.keyedIDs(ctx, branch(false), append(append([]any{c.word}, fargs...), congdoan.MemberCountCap+1)...)
		if err != nil {
			return nil, 0, false, err
		}
		for _, k := range got {
			seen[k.id] = true
		}
		if len(seen) > congdoan.MemberCountCap {
			capped = true
			break
		}
	}
	total = len(seen)
	if capped {
		total = congdoan.MemberCountCap
	}
	if total == 0 {
		return nil, 0, false, nil
	}
	// The page: a branch per word in one round trip, merged.
	var branches []string
	var args []any
	for i, c := range driveWords {
		branches = append(branches, `SELECT * FROM (`+branch(true)+`) b`+strconv.Itoa(i))
		args = append(append(args, c.word), fargs...)
		if after != nil {
			args = append(args, after.key, after.id)
		}
		args = append(args, need)
	}
	all, err := d.keyedIDs(ctx, strings.Join(branches, " UNION ALL "), args...)
	if err != nil {
		return nil, 0, false, err
	}
	slices.SortFunc(all, compareKeyed)
	all = slices.CompactFunc(all, func(a, b keyedID) bool { return a.id == b.id })
	if offset >= len(all) {
		return nil, total, capped, nil
	}
	ids := make([]int64, 0, limit)
	for _, k := range all[offset:min(len(all), need)] {
		ids = append(ids, k.id)
	}
	ms, err := d.membersInOrder(ctx, ids)
	return ms, total, capped, err
}

// keyedIDs runs a query of (id, sort_key) rows.
func (d *DB) keyedIDs(ctx context.Context, q string, args ...any) ([]keyedID, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []keyedID
	for rows.Next() {
		var k keyedID
		if err := rows.Scan(&k.id, &k.key); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// keyedID is a member's place in the order.
type keyedID struct {
	key []byte
	id  int64
}

func compareKeyed(a, b keyedID) int {
	return cmp.Or(bytes.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
}

// likePrefix returns a LIKE pattern for strings starting with s, then
// continuing with pattern (LIKE's wildcards in s escaped; ESCAPE '\').
func likePrefix(s, pattern string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + pattern
}
