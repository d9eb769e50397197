package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"congdoan"
	"congdoan/vntext"
)

const unitCols = `u.id, u.code, u.name, u.kind, COALESCE(u.employer_id, 0), COALESCE(e.name, ''), u.commune_code,
	u.founded_on, u.dissolved_on, COALESCE(u.parent_id, 0), COALESCE(p.code, ''), COALESCE(p.name, '')`

const unitFrom = ` FROM units u LEFT JOIN units p ON p.id = u.parent_id LEFT JOIN employers e ON e.id = u.employer_id`

func scanUnit(sc interface{ Scan(...any) error }) (*congdoan.Unit, error) {
	var u congdoan.Unit
	var kind string
	var founded, dissolved sql.NullString
	if err := sc.Scan(&u.ID, &u.Code, &u.Name, &kind, &u.EmployerID, &u.EmployerName, &u.CommuneCode,
		&founded, &dissolved, &u.ParentID, &u.ParentCode, &u.ParentName); err != nil {
		return nil, err
	}
	u.Kind = congdoan.UnitKind(kind)
	u.FoundedOn, u.DissolvedOn = parseDate(founded), parseDate(dissolved)
	return &u, nil
}

func (d *DB) queryUnits(ctx context.Context, q queryer, where string, args ...any) ([]*congdoan.Unit, error) {
	rows, err := q.query(ctx, `SELECT `+unitCols+unitFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*congdoan.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// unitByCode finds a unit in scope; outside the scope it is ENOTFOUND, the
// same answer as for a code that does not exist.
func (d *DB) unitByCode(ctx context.Context, q queryer, s scope, code string) (*congdoan.Unit, error) {
	code = strings.TrimSpace(code)
	cond, args := s.unitIn("u.id")
	us, err := d.queryUnits(ctx, q, `u.code = ? AND `+cond, append([]any{code}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy đơn vị có mã %q trong phạm vi bạn quản lý.", code)
	}
	return us[0], nil
}

// fillCounts sets the current subtree counts of units: sums of unit_counts
// over unit_closure (no member rows are read).
func (d *DB) fillCounts(ctx context.Context, q queryer, units []*congdoan.Unit) error {
	if len(units) == 0 {
		return nil
	}
	byID := make(map[int64]*congdoan.Unit, len(units))
	ids := make([]any, 0, len(units))
	for _, u := range units {
		u.Counts = &congdoan.Counts{}
		byID[u.ID] = u
		ids = append(ids, u.ID)
	}
	for chunk := range chunks(ids, 500) {
		in := Placeholders(len(chunk))
		rows, err := q.query(ctx, `SELECT c.ancestor_id, COALESCE(SUM(uc.members), 0), COALESCE(SUM(uc.members_female), 0),
			SUM(CASE WHEN x.kind IN ('grassroots', 'informal_union') AND x.dissolved_on IS NULL THEN 1 ELSE 0 END)
			FROM unit_closure c JOIN units x ON x.id = c.descendant_id LEFT JOIN unit_counts uc ON uc.unit_id = c.descendant_id
			WHERE c.ancestor_id IN (`+in+`) GROUP BY c.ancestor_id`, chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var c congdoan.Counts
			if err := rows.Scan(&id, &c.Members, &c.MembersFemale, &c.GrassrootsUnits); err != nil {
				rows.Close()
				return err
			}
			c.Children = byID[id].Counts.Children
			*byID[id].Counts = c
		}
		rows.Close()
		rows, err = q.query(ctx, `SELECT parent_id, COUNT(*) FROM units WHERE dissolved_on IS NULL AND parent_id IN (`+in+`) GROUP BY parent_id`, chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			byID[id].Counts.Children = n
		}
		rows.Close()
	}
	return nil
}

// FindUnitByCode implements congdoan.UnitService.
func (d *DB) FindUnitByCode(ctx context.Context, code string) (_ *congdoan.Unit, err error) {
	defer wrap(&err, "store.FindUnitByCode(%q)", code)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	u, err := d.unitByCode(ctx, d, s, code)
	if err != nil {
		return nil, err
	}
	u.Children, err = d.queryUnits(ctx, d, `u.parent_id = ? AND u.dissolved_on IS NULL ORDER BY u.kind, u.name`, u.ID)
	if err != nil {
		return nil, err
	}
	sortUnits(u.Children)
	if err := d.fillCounts(ctx, d, append([]*congdoan.Unit{u}, u.Children...)); err != nil {
		return nil, err
	}
	// The parent is shown only when the caller may open it.
	if u.ParentID != 0 {
		if ok, err := s.contains(ctx, d, u.ParentID); err != nil {
			return nil, err
		} else if !ok {
			u.ParentCode, u.ParentName = "", ""
		}
	}
	return u, nil
}

// TopUnits implements congdoan.UnitService.
func (d *DB) TopUnits(ctx context.Context) (_ []*congdoan.Unit, err error) {
	defer wrap(&err, "store.TopUnits")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	var us []*congdoan.Unit
	if s.rootID == 0 {
		us, err = d.queryUnits(ctx, d, `u.parent_id IS NULL AND u.dissolved_on IS NULL ORDER BY u.code`)
	} else {
		us, err = d.queryUnits(ctx, d, `u.id = ?`, s.rootID)
	}
	if err != nil {
		return nil, err
	}
	if s.rootID != 0 {
		// The parent of a scoped user's unit is outside the scope.
		for _, u := range us {
			u.ParentCode, u.ParentName = "", ""
		}
	}
	return us, d.fillCounts(ctx, d, us)
}

// TopUnitsOn implements congdoan.UnitService: the units of the tree of
// asOf that the caller's scope holds today and whose parent then it does
// not (or that had none) — before the 2025 merger, Thái Nguyên's officer
// finds Bắc Kạn's federation beside their own. Counts are those of asOf.
// Today it is TopUnits.
func (d *DB) TopUnitsOn(ctx context.Context, asOf congdoan.Date) (_ []*congdoan.Unit, err error) {
	defer wrap(&err, "store.TopUnitsOn(%s)", asOf)
	today := d.Today()
	if asOf.IsZero() || asOf == today {
		return d.TopUnits(ctx)
	}
	if asOf.After(today) {
		return nil, congdoan.FieldError("date", "Ngày xem cây tổ chức không được sau hôm nay ("+today.VN()+").")
	}
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	day := asOf.String()
	where := `u.id IN (SELECT up.unit_id FROM unit_parents up WHERE up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?) AND `
	if s.rootID == 0 {
		where += `up.parent_id IS NULL)`
	} else {
		where += inSubtree(s.rootID, "up.unit_id") + ` AND (up.parent_id IS NULL OR NOT ` + inSubtree(s.rootID, "up.parent_id") + `))`
	}
	us, err := d.queryUnits(ctx, d, where+` ORDER BY u.code`, day, day)
	if err != nil {
		return nil, err
	}
	out := us[:0]
	for _, u := range us {
		tree, err := d.UnitTree(ctx, u.Code, asOf, 1)
		if err != nil {
			return nil, err
		}
		tree.ParentCode, tree.ParentName, tree.Children = "", "", nil
		out = append(out, tree)
	}
	return out, nil
}

// FindUnits implements congdoan.UnitService.
func (d *DB) FindUnits(ctx context.Context, f congdoan.UnitFilter) (_ []*congdoan.Unit, _ int, err error) {
	defer wrap(&err, "store.FindUnits")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	cond, args := s.unitIn("u.id")
	where := []string{cond}
	if f.ParentCode != "" {
		p, err := d.unitByCode(ctx, d, s, f.ParentCode)
		if err != nil {
			return nil, 0, err
		}
		where, args = append(where, "u.parent_id = ?"), append(args, p.ID)
	}
	if f.Under != "" {
		p, err := d.unitByCode(ctx, d, s, f.Under)
		if err != nil {
			return nil, 0, err
		}
		where = append(where, "u.id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)")
		args = append(args, p.ID)
	}
	if f.Kind != "" {
		where, args = append(where, "u.kind = ?"), append(args, string(f.Kind))
	}
	if !f.Dissolved {
		where = append(where, "u.dissolved_on IS NULL")
	}
	if q := vntext.Fold(f.Query); q != "" {
		// Unit names start with "Công đoàn …", so any word counts.
		where = append(where, `(u.search_key LIKE ? ESCAPE '\' OR u.code = ?)`)
		args = append(args, containsPattern(q), strings.TrimSpace(f.Query))
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM units u WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	us, err := d.queryUnits(ctx, d, w+` ORDER BY u.search_key, u.id LIMIT ? OFFSET ?`, append(args, clampLimit(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	return us, total, d.fillCounts(ctx, d, us)
}

// UnitTree implements congdoan.UnitService. The shape is the tree of asOf
// (from unit_parents); member counts are those of asOf too: from unit_counts
// for today, from the membership periods for a past date.
func (d *DB) UnitTree(ctx context.Context, code string, asOf congdoan.Date, depth int) (_ *congdoan.Unit, err error) {
	defer wrap(&err, "store.UnitTree(%q)", code)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	today := d.Today()
	if asOf.IsZero() {
		asOf = today
	}
	if asOf.After(today) {
		return nil, congdoan.FieldError("date", "Ngày xem cây tổ chức không được sau hôm nay ("+today.VN()+").")
	}
	root, err := d.unitByCode(ctx, d, s, code)
	if err != nil {
		return nil, err
	}
	day := asOf.String()
	rows, err := d.query(ctx, `SELECT unit_id, parent_id FROM unit_parents WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`, day, day)
	if err != nil {
		return nil, err
	}
	kids := map[int64][]int64{}
	onTree := map[int64]bool{}
	parentOn := map[int64]int64{}
	for rows.Next() {
		var c int64
		var p sql.NullInt64
		if err := rows.Scan(&c, &p); err != nil {
			rows.Close()
			return nil, err
		}
		onTree[c] = true
		if p.Valid {
			kids[p.Int64] = append(kids[p.Int64], c)
			parentOn[c] = p.Int64
		}
	}
	rows.Close()
	if !onTree[root.ID] {
		return nil, congdoan.FieldError("date", fmt.Sprintf("%s chưa được thành lập hoặc đã thôi hoạt động vào ngày %s.", root.Name, asOf.VN()))
	}
	// A past tree may hold units the caller's scope no longer does (a union
	// moved away since): they are not the caller's to see.
	inScope := func(int64) bool { return true }
	if s.rootID != 0 && asOf != today {
		ids, err := d.SubtreeIDs(ctx, s.rootID)
		if err != nil {
			return nil, err
		}
		set := make(map[int64]bool, len(ids))
		for _, id := range ids {
			set[id] = true
		}
		inScope = func(id int64) bool { return set[id] }
	}

	// Walk the whole subtree (counts need every level); depth only limits
	// which nodes are returned.
	type item struct {
		id    int64
		depth int
	}
	ids := []int64{root.ID}
	level := map[int64]int{root.ID: 0}
	for queue := []item{{root.ID, 0}}; len(queue) > 0; queue = queue[1:] {
		it := queue[0]
		for _, c := range kids[it.id] {
			if _, seen := level[c]; seen || !inScope(c) {
				continue
			}
			level[c] = it.depth + 1
			ids = append(ids, c)
			queue = append(queue, item{c, it.depth + 1})
		}
	}
	byID := map[int64]*congdoan.Unit{}
	for chunk := range chunks(toAny(ids), 500) {
		us, err := d.queryUnits(ctx, d, `u.id IN (`+Placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			u.Depth = level[u.ID]
			u.Counts = &congdoan.Counts{}
			byID[u.ID] = u
		}
	}
	direct, err := d.directCounts(ctx, ids, asOf, asOf == today)
	if err != nil {
		return nil, err
	}
	// Build the tree and roll the direct counts up, children first.
	var roll func(u *congdoan.Unit)
	roll = func(u *congdoan.Unit) {
		c := direct[u.ID]
		u.Counts.Members, u.Counts.MembersFemale = c[0], c[1]
		if u.Kind.IsGrassroots() {
			u.Counts.GrassrootsUnits = 1
		}
		for _, cid := range kids[u.ID] {
			child, ok := byID[cid]
			if !ok {
				continue
			}
			child.ParentCode, child.ParentName = u.Code, u.Name
			roll(child)
			if depth <= 0 || child.Depth <= depth {
				u.Children = append(u.Children, child)
			}
			u.Counts.Members += child.Counts.Members
			u.Counts.MembersFemale += child.Counts.MembersFemale
			u.Counts.GrassrootsUnits += child.Counts.GrassrootsUnits
			u.Counts.Children++
		}
		sortUnits(u.Children)
	}
	root = byID[root.ID]
	// The parent of the date, not today's.
	root.ParentCode, root.ParentName = "", ""
	if p, ok := parentOn[root.ID]; ok && inScope(p) {
		if pu, err := d.queryUnitByID(ctx, d, p); err == nil {
			if ok, _ := s.contains(ctx, d, p); ok {
				root.ParentCode, root.ParentName = pu.Code, pu.Name
			}
		}
	}
	roll(root)
	return root, nil
}

// directCounts returns, per unit id, [members, female members] directly in
// the unit on day: from unit_counts for today, else from membership periods.
func (d *DB) directCounts(ctx context.Context, ids []int64, day congdoan.Date, today bool) (map[int64][2]int, error) {
	out := map[int64][2]int{}
	for chunk := range chunks(toAny(ids), 500) {
		in := Placeholders(len(chunk))
		var rows *sql.Rows
		var err error
		if today {
			rows, err = d.query(ctx, `SELECT unit_id, members, members_female FROM unit_counts WHERE unit_id IN (`+in+`)`, chunk...)
		} else {
			ds := day.String()
			rows, err = d.query(ctx, `SELECT m.unit_id, COUNT(*), SUM(CASE WHEN p.gender = 'F' THEN 1 ELSE 0 END)
				FROM memberships m JOIN persons p ON p.id = m.person_id
				WHERE m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?) AND m.unit_id IN (`+in+`) GROUP BY m.unit_id`,
				append([]any{ds, ds}, chunk...)...)
		}
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var c [2]int
			if err := rows.Scan(&id, &c[0], &c[1]); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = c
		}
		rows.Close()
	}
	return out, nil
}

// UnitHistory implements congdoan.UnitService.
func (d *DB) UnitHistory(ctx context.Context, code string) (_ []*congdoan.UnitEvent, err error) {
	defer wrap(&err, "store.UnitHistory(%q)", code)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	u, err := d.unitByCode(ctx, d, s, code)
	if err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, `SELECT ev.id, ev.kind, ev.on_date, COALESCE(o.code, ''), COALESCE(o.name, ''), ev.note
		FROM unit_events ev LEFT JOIN units o ON o.id = ev.other_unit_id WHERE ev.unit_id = ? ORDER BY ev.on_date, ev.id`, u.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*congdoan.UnitEvent
	for rows.Next() {
		e := &congdoan.UnitEvent{UnitCode: u.Code}
		var on sql.NullString
		if err := rows.Scan(&e.ID, &e.Kind, &on, &e.OtherCode, &e.OtherName, &e.Note); err != nil {
			return nil, err
		}
		e.On = parseDate(on)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CreateUnit implements congdoan.UnitService.
func (d *DB) CreateUnit(ctx context.Context, in congdoan.UnitInput) (_ *congdoan.Unit, err error) {
	defer wrap(&err, "store.CreateUnit")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !s.user.CanManageUnits() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền lập đơn vị.")
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	if s.user.Role == congdoan.RoleGrassrootsOfficer && in.Kind != congdoan.KindSection && in.Kind != congdoan.KindGroup {
		return nil, congdoan.FieldError("kind", "Cán bộ công đoàn cơ sở chỉ lập được công đoàn bộ phận và tổ công đoàn.")
	}
	var out *congdoan.Unit
	err = d.tx(ctx, func(tx *Tx) error {
		var parentID any
		if in.ParentCode != "" {
			p, err := d.unitByCode(ctx, tx, s, in.ParentCode)
			if err != nil {
				return fieldErr(err, "parent_code")
			}
			if !p.Active() {
				return congdoan.FieldError("parent_code", "Đơn vị cấp trên "+p.Name+" đã giải thể.")
			}
			if !in.Kind.CanParent(p.Kind) {
				return congdoan.FieldError("parent_code", fmt.Sprintf("%s không thể trực thuộc %s (%s).", in.Kind.Label("vi"), p.Name, p.Kind.Label("vi")))
			}
			parentID = p.ID
		} else if s.rootID != 0 {
			return congdoan.FieldError("parent_code", "Cần chọn đơn vị cấp trên trong phạm vi bạn quản lý.")
		}
		if in.EmployerID != 0 {
			if _, err := d.employerByID(ctx, tx, s, in.EmployerID); err != nil {
				return fieldErr(err, "employer_id")
			}
		}
		taken := &congdoan.Error{Code: congdoan.ECONFLICT, Message: "Mã đơn vị " + in.Code + " đã được dùng; chọn mã khác.", Fields: map[string]string{"code": "Mã đã được dùng."}}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM units WHERE code = ?`, in.Code).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return taken
		}
		// The count does not lock: a concurrent creation of the same code
		// fails here, on the unique index, and gets the same answer.
		if p, ok := parentID.(int64); ok {
			if err := tx.checkLocked(ctx, p, in.FoundedOn, in.FoundedOn); err != nil {
				return err
			}
		}
		id, err := tx.insertUnit(ctx, in, parentID)
		if err != nil {
			return raced(err, taken)
		}
		tx.affectsUnit(in.EmployerID, in.FoundedOn)
		out, err = d.queryUnitByID(ctx, tx, id)
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "unit.create", Entity: "unit", EntityID: in.Code, UnitID: id, After: out})
	})
	return out, err
}

// insertUnit writes a unit, its first edge, closure rows, counts row and
// founding event. It checks nothing: callers validate.
func (tx *Tx) insertUnit(ctx context.Context, in congdoan.UnitInput, parentID any) (int64, error) {
	var emp any
	if in.EmployerID != 0 {
		emp = in.EmployerID
	}
	now := tx.now.Format("2006-01-02T15:04:05Z")
	id, err := tx.insert(ctx, `INSERT INTO units (code, name, search_key, kind, employer_id, commune_code, founded_on, parent_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Code, in.Name, vntext.Fold(in.Name), string(in.Kind), emp, in.CommuneCode, in.FoundedOn.String(), parentID, now)
	if err != nil {
		return 0, fmt.Errorf("insert unit %s: %w", in.Code, err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_parents (unit_id, parent_id, valid_from) VALUES (?, ?, ?)`, id, parentID, in.FoundedOn.String()); err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES (?, ?, 0)`, id, id); err != nil {
		return 0, err
	}
	if parentID != nil {
		if _, err := tx.exec(ctx, `INSERT INTO unit_closure (ancestor_id, descendant_id, depth)
			SELECT ancestor_id, ?, depth + 1 FROM unit_closure WHERE descendant_id = ?`, id, parentID); err != nil {
			return 0, err
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_counts (unit_id, members, members_female) VALUES (?, 0, 0)`, id); err != nil {
		return 0, err
	}
	return id, tx.event(ctx, id, "founded", in.FoundedOn, nil, in.Note)
}

func (tx *Tx) event(ctx context.Context, unitID int64, kind string, on congdoan.Date, other any, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO unit_events (unit_id, kind, on_date, other_unit_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		unitID, kind, on.String(), other, note, tx.now.Format("2006-01-02T15:04:05Z"))
	return err
}

func (d *DB) queryUnitByID(ctx context.Context, q queryer, id int64) (*congdoan.Unit, error) {
	us, err := d.queryUnits(ctx, q, `u.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy đơn vị.")
	}
	return us[0], nil
}

// RenameUnit implements congdoan.UnitService.
func (d *DB) RenameUnit(ctx context.Context, code, name string) (_ *congdoan.Unit, err error) {
	defer wrap(&err, "store.RenameUnit(%q)", code)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !s.user.CanManageUnits() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền sửa đơn vị.")
	}
	if err := congdoan.ValidateUnitName(&name).Err(); err != nil {
		return nil, err
	}
	var out *congdoan.Unit
	err = d.tx(ctx, func(tx *Tx) error {
		u, err := d.unitByCode(ctx, tx, s, code)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE units SET name = ?, search_key = ? WHERE id = ?`, name, vntext.Fold(name), u.ID); err != nil {
			return err
		}
		tx.Affects(ChangesTree, congdoan.Date{}) // the name is not dated: every date's tree shows it
		if err := tx.event(ctx, u.ID, "renamed", d.Today(), nil, u.Name+" → "+name); err != nil {
			return err
		}
		out, err = d.queryUnitByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "unit.rename", Entity: "unit", EntityID: u.Code, UnitID: u.ID,
			Before: map[string]string{"name": u.Name}, After: map[string]string{"name": name}})
	})
	return out, err
}

// restructureChecks loads a unit for a restructuring step on date on.
func (d *DB) restructureChecks(ctx context.Context, tx *Tx, s scope, code string, on congdoan.Date) (*congdoan.Unit, error) {
	if !s.user.CanManageUnits() || s.user.Role == congdoan.RoleGrassrootsOfficer {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ cán bộ công đoàn cấp trên được sắp xếp lại tổ chức.")
	}
	if on.IsZero() {
		return nil, congdoan.FieldError("on", "Cần nhập ngày hiệu lực.")
	}
	if on.After(d.Today()) {
		return nil, congdoan.FieldError("on", "Ngày hiệu lực không được sau hôm nay; ghi nhận khi quyết định có hiệu lực.")
	}
	u, err := d.unitByCode(ctx, tx, s, code)
	if err != nil {
		return nil, err
	}
	if !u.Active() {
		return nil, congdoan.Errorf(congdoan.EINVALID, "Đơn vị %s đã giải thể ngày %s.", u.Name, u.DissolvedOn.VN())
	}
	if u.ID == s.rootID {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Không thể sắp xếp lại chính đơn vị gốc của tài khoản; cấp trên thực hiện việc này.")
	}
	var from sql.NullString
	if err := tx.queryRow(ctx, `SELECT valid_from FROM unit_parents WHERE unit_id = ? AND valid_to IS NULL`, u.ID).Scan(&from); err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	if f := parseDate(from); !f.IsZero() && on.Before(f) {
		return nil, congdoan.FieldError("on", fmt.Sprintf("Ngày hiệu lực phải từ %s trở đi (ngày đơn vị về cấp trên hiện tại).", f.VN()))
	}
	return u, nil
}

// reparent moves unit u under newParent from on: closes the open edge,
// opens a new one, and rebuilds closure rows for u's subtree. The tree
// changes from on (an edge opened that day is corrected in place, and no
// edge opens later than the open one).
func (tx *Tx) reparent(ctx context.Context, u *congdoan.Unit, newParent *congdoan.Unit, on congdoan.Date) error {
	tx.Affects(ChangesTree, on)
	day := on.String()
	res, err := tx.exec(ctx, `UPDATE unit_parents SET parent_id = ? WHERE unit_id = ? AND valid_to IS NULL AND valid_from = ?`, newParent.ID, u.ID, day)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// An edge that opened on the same day is corrected in place; any
		// other is closed so the old tree stays readable.
		if _, err := tx.exec(ctx, `UPDATE unit_parents SET valid_to = ? WHERE unit_id = ? AND valid_to IS NULL`, day, u.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO unit_parents (unit_id, parent_id, valid_from) VALUES (?, ?, ?)`, u.ID, newParent.ID, day); err != nil {
			return err
		}
	}
	return tx.setScopeParent(ctx, u.ID, newParent.ID)
}

// setScopeParent points units.parent_id (what scope follows) at parent and
// rebuilds the closure rows of the unit's subtree.
func (tx *Tx) setScopeParent(ctx context.Context, unitID, parentID int64) error {
	if _, err := tx.exec(ctx, `UPDATE units SET parent_id = ? WHERE id = ?`, parentID, unitID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM unit_closure
		WHERE descendant_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)
		AND ancestor_id NOT IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)`, unitID, unitID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO unit_closure (ancestor_id, descendant_id, depth)
		SELECT a.ancestor_id, s.descendant_id, a.depth + s.depth + 1
		FROM unit_closure a, unit_closure s WHERE a.descendant_id = ? AND s.ancestor_id = ?`, parentID, unitID)
	return err
}

// MoveUnit implements congdoan.UnitService.
func (d *DB) MoveUnit(ctx context.Context, code, newParentCode string, on congdoan.Date, note string) (err error) {
	defer wrap(&err, "store.MoveUnit(%q, %q)", code, newParentCode)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		u, err := d.restructureChecks(ctx, tx, s, code, on)
		if err != nil {
			return err
		}
		p, err := d.unitByCode(ctx, tx, s, newParentCode)
		if err != nil {
			return fieldErr(err, "parent_code")
		}
		if !p.Active() {
			return congdoan.FieldError("parent_code", "Đơn vị cấp trên mới "+p.Name+" đã giải thể.")
		}
		if p.ID == u.ParentID {
			return congdoan.FieldError("parent_code", u.Name+" đã trực thuộc "+p.Name+".")
		}
		if !u.Kind.CanParent(p.Kind) {
			return congdoan.FieldError("parent_code", fmt.Sprintf("%s không thể trực thuộc %s (%s).", u.Kind.Label("vi"), p.Name, p.Kind.Label("vi")))
		}
		// The new parent must not be in the moved unit's subtree: the same
		// ancestry test as a scope's.
		if below, err := (scope{rootID: u.ID}).contains(ctx, tx, p.ID); err != nil {
			return err
		} else if below {
			return congdoan.FieldError("parent_code", "Không thể chuyển một đơn vị vào dưới chính đơn vị con của nó.")
		}
		for _, unit := range []int64{u.ID, p.ID} {
			if err := tx.checkLocked(ctx, unit, on, on); err != nil {
				return err
			}
		}
		if err := tx.reparent(ctx, u, p, on); err != nil {
			return err
		}
		if err := tx.event(ctx, u.ID, "moved", on, p.ID, vntext.Clean(note)); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "unit.move", Entity: "unit", EntityID: u.Code, UnitID: u.ID,
			Before: map[string]string{"parent": u.ParentCode}, After: map[string]string{"parent": p.Code, "on": on.String()}})
	})
}

// MergeUnits implements congdoan.UnitService.
func (d *DB) MergeUnits(ctx context.Context, fromCode, intoCode string, on congdoan.Date, note string) (err error) {
	defer wrap(&err, "store.MergeUnits(%q, %q)", fromCode, intoCode)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		from, err := d.restructureChecks(ctx, tx, s, fromCode, on)
		if err != nil {
			return err
		}
		into, err := d.unitByCode(ctx, tx, s, intoCode)
		if err != nil {
			return fieldErr(err, "into")
		}
		if !into.Active() || into.ID == from.ID {
			return congdoan.FieldError("into", "Đơn vị nhận sáp nhập phải là một đơn vị khác, đang hoạt động.")
		}
		if below, err := (scope{rootID: from.ID}).contains(ctx, tx, into.ID); err != nil {
			return err
		} else if below {
			return congdoan.FieldError("into", "Không thể sáp nhập một đơn vị vào đơn vị con của nó.")
		}
		if from.Kind.HoldsMembers() != into.Kind.HoldsMembers() {
			return congdoan.FieldError("into", fmt.Sprintf("Không thể sáp nhập %s vào %s: khác cấp.", from.Kind.Label("vi"), into.Kind.Label("vi")))
		}
		for _, unit := range []int64{from.ID, into.ID} {
			if err := tx.checkLocked(ctx, unit, on, on); err != nil {
				return err
			}
		}
		day := on.String()
		// Members, children and the tree change from the merger's date;
		// the merged union's own employer loses it then (ChangesUnits);
		// handOver declares the employers that change hands.
		tx.Affects(ChangesMembers, on)
		tx.affectsUnit(from.EmployerID, on)
		var late int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE unit_id = ? AND valid_to IS NULL AND valid_from > ?`, from.ID, day).Scan(&late); err != nil {
			return err
		} else if late > 0 {
			return congdoan.FieldError("on", fmt.Sprintf("Có %d đoàn viên vào %s sau ngày sáp nhập; chọn ngày hiệu lực muộn hơn.", late, from.Name))
		}
		// Children follow.
		children, err := d.queryUnits(ctx, tx, `u.parent_id = ? AND u.dissolved_on IS NULL`, from.ID)
		if err != nil {
			return err
		}
		for _, c := range children {
			if !c.Kind.CanParent(into.Kind) {
				return congdoan.FieldError("into", fmt.Sprintf("Đơn vị trực thuộc %s (%s) không thể chuyển về %s.", c.Name, c.Kind.Label("vi"), into.Name))
			}
			if err := tx.reparent(ctx, c, into, on); err != nil {
				return err
			}
			if err := tx.event(ctx, c.ID, "moved", on, into.ID, "Theo sáp nhập "+from.Name); err != nil {
				return err
			}
		}
		// Members follow: close their periods and open new ones.
		if _, err := tx.exec(ctx, `UPDATE memberships SET valid_to = ?, end_reason = 'merged' WHERE unit_id = ? AND valid_to IS NULL`, day, from.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO memberships (person_id, unit_id, valid_from, start_reason, note)
			SELECT person_id, ?, ?, 'merged', ? FROM memberships WHERE unit_id = ? AND valid_to = ? AND end_reason = 'merged'`,
			into.ID, day, "Từ "+from.Name, from.ID, day); err != nil {
			return err
		}
		// The words' copy of the unit first, while persons still names the members.
		if _, err := tx.exec(ctx, `UPDATE person_words SET unit_id = ? WHERE person_id IN (SELECT id FROM persons WHERE unit_id = ? AND status = 'active')`,
			into.ID, from.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE persons SET unit_id = ? WHERE unit_id = ? AND status = 'active'`, into.ID, from.ID); err != nil {
			return err
		}
		var moved, movedF int
		if err := tx.queryRow(ctx, `SELECT members, members_female FROM unit_counts WHERE unit_id = ?`, from.ID).Scan(&moved, &movedF); err != nil {
			return err
		}
		if err := tx.adjustSnapshots(ctx, from.ID, on, -moved, -movedF); err != nil {
			return err
		}
		if err := tx.adjustSnapshots(ctx, into.ID, on, moved, movedF); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE unit_counts SET
			members = members + (SELECT members FROM unit_counts WHERE unit_id = ?),
			members_female = members_female + (SELECT members_female FROM unit_counts WHERE unit_id = ?) WHERE unit_id = ?`, from.ID, from.ID, into.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE unit_counts SET members = 0, members_female = 0 WHERE unit_id = ?`, from.ID); err != nil {
			return err
		}
		// Employers the merged unit was responsible for follow, from the
		// merger's date.
		rows, err := tx.query(ctx, `SELECT id FROM employers WHERE unit_id = ?`, from.ID)
		if err != nil {
			return err
		}
		var emps []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			emps = append(emps, id)
		}
		rows.Close()
		for _, emp := range emps {
			if err := tx.handOver(ctx, emp, from.ID, into.ID, on); err != nil {
				return err
			}
		}
		if err := tx.close(ctx, from, on); err != nil {
			return err
		}
		// The merged unit's history now belongs to its successor: its
		// officers, not the old parent's, read the former members and
		// figures from now on.
		if err := tx.setScopeParent(ctx, from.ID, into.ID); err != nil {
			return err
		}
		n := vntext.Clean(note)
		if err := tx.event(ctx, from.ID, "merged_into", on, into.ID, n); err != nil {
			return err
		}
		if err := tx.event(ctx, into.ID, "absorbed", on, from.ID, n); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "unit.merge", Entity: "unit", EntityID: from.Code, UnitID: from.ID, After: map[string]string{"into": into.Code, "on": day}})
	})
}

// affectsUnit declares what founding or closing a unit changes from on:
// the tree, and for a union of an employer also that employer's figures
// (ChangesUnits, listing the employer: its union decides where it counts,
// and the union's own coverage counts at employers that bargain).
func (tx *Tx) affectsUnit(employerID int64, on congdoan.Date) {
	if employerID != 0 {
		tx.AffectsEmployers(ChangesUnits, on, []int64{employerID}, nil)
		return
	}
	tx.Affects(ChangesTree, on)
}

// close marks a unit dissolved on date and ends its tree edge; units.parent_id
// keeps the last parent so its history stays in its old scope.
func (tx *Tx) close(ctx context.Context, u *congdoan.Unit, on congdoan.Date) error {
	if _, err := tx.exec(ctx, `UPDATE units SET dissolved_on = ? WHERE id = ?`, on.String(), u.ID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE unit_parents SET valid_to = ? WHERE unit_id = ? AND valid_to IS NULL`, on.String(), u.ID)
	return err
}

// DissolveUnit implements congdoan.UnitService.
func (d *DB) DissolveUnit(ctx context.Context, code string, on congdoan.Date, note string) (err error) {
	defer wrap(&err, "store.DissolveUnit(%q)", code)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		u, err := d.restructureChecks(ctx, tx, s, code, on)
		if err != nil {
			return err
		}
		var members, children int
		if err := tx.queryRow(ctx, `SELECT members FROM unit_counts WHERE unit_id = ?`, u.ID).Scan(&members); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM units WHERE parent_id = ? AND dissolved_on IS NULL`, u.ID).Scan(&children); err != nil {
			return err
		}
		if members > 0 || children > 0 {
			return congdoan.Errorf(congdoan.ECONFLICT, "%s còn %d đoàn viên và %d đơn vị trực thuộc: chuyển sinh hoạt hoặc sáp nhập trước khi giải thể.", u.Name, members, children)
		}
		if err := tx.checkLocked(ctx, u.ID, on, on); err != nil {
			return err
		}
		tx.affectsUnit(u.EmployerID, on)
		if err := tx.close(ctx, u, on); err != nil {
			return err
		}
		if err := tx.event(ctx, u.ID, "dissolved", on, nil, vntext.Clean(note)); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "unit.dissolve", Entity: "unit", EntityID: u.Code, UnitID: u.ID, After: map[string]string{"on": on.String()}})
	})
}

// sortUnits orders siblings: by kind (upper levels first), then Vietnamese name order.
func sortUnits(us []*congdoan.Unit) {
	rank := map[congdoan.UnitKind]int{}
	for i, k := range congdoan.UnitKinds {
		rank[k] = i
	}
	keys := make(map[*congdoan.Unit]string, len(us))
	for _, u := range us {
		keys[u] = string(vntext.SortKey(u.Name))
	}
	slices.SortStableFunc(us, func(a, b *congdoan.Unit) int {
		return cmp.Or(cmp.Compare(rank[a.Kind], rank[b.Kind]), strings.Compare(keys[a], keys[b]))
	})
}

// fieldErr attaches field to an ENOTFOUND or EINVALID error without a field.
func fieldErr(err error, field string) error {
	var e *congdoan.Error
	if !errors.As(err, &e) || len(e.Fields) > 0 {
		return err
	}
	if e.Code == congdoan.ENOTFOUND {
		return &congdoan.Error{Code: congdoan.EINVALID, Message: e.Message, Fields: map[string]string{field: e.Message}}
	}
	return &congdoan.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: e.Message}, Details: e.Details}
}

// UnitInScope returns the unit with the code if the caller's scope holds
// it — without counts or children, for callers that only need the check
// (the indicator engine on every dashboard request).
func (d *DB) UnitInScope(ctx context.Context, code string) (_ *congdoan.Unit, err error) {
	defer wrap(&err, "store.UnitInScope(%q)", code)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return d.unitByCode(ctx, d, s, code)
}
