package store

import (
	"context"
	"database/sql"
	"strconv"

	"congdoan"
)

// scope is the part of the tree the acting user may read and change: the
// subtree of rootID in unit_closure, or everything for an administrator.
// Every query that touches units, employers or members asks it for a filter,
// so a handler cannot forget to.
type scope struct {
	user   *congdoan.User
	rootID int64 // 0: the whole tree
}

// scopeOf returns the acting user's scope; EUNAUTHORIZED without a user.
func (d *DB) scopeOf(ctx context.Context) (scope, error) {
	u := congdoan.UserFromContext(ctx)
	if u == nil {
		return scope{}, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập.")
	}
	if u.Role == congdoan.RoleAdmin && u.UnitID == 0 {
		return scope{user: u}, nil
	}
	if u.UnitID == 0 {
		// A non-admin user without a unit sees nothing rather than everything.
		return scope{}, congdoan.Errorf(congdoan.EFORBIDDEN, "Tài khoản %s chưa được gán đơn vị; liên hệ quản trị viên.", u.Username)
	}
	if gone := u.UnitDissolvedOn; !gone.IsZero() && !d.Today().Before(gone) {
		// A merged unit sits under its successor with its history, and a
		// dissolved one under its last parent: its officers answer for
		// nothing there any more. They must be assigned again.
		return scope{}, congdoan.Errorf(congdoan.EFORBIDDEN, "%s của tài khoản %s đã thôi hoạt động (giải thể hoặc sáp nhập) từ ngày %s: tài khoản không còn phạm vi quản lý; đề nghị quản trị viên gán đơn vị mới.",
			u.UnitName, u.Username, gone.VN())
	}
	return scope{user: u, rootID: u.UnitID}, nil
}

// unitIn returns a condition that col (a unit id column) is in the scope,
// and its arguments. It probes unit_closure's primary key row by row: a
// province's subtree has tens of thousands of units, and building that set
// for every lookup of one record costs far more than the probe.
func (s scope) unitIn(col string) (string, []any) {
	if s.rootID == 0 {
		return "1=1", nil
	}
	return inSubtree(s.rootID, col), nil
}

// inSubtree is the condition that col (a unit id column) is in root's
// subtree. The root is written into the SQL, not passed as a parameter:
// PostgreSQL plans a prepared statement once for any value after a few
// runs, estimating the average subtree (nine units) — for a province's
// forty thousand it then read the root's whole closure to find one row.
// With the value it plans each scope for its own size.
func inSubtree(root int64, col string) string {
	return "EXISTS (SELECT 1 FROM unit_closure sc WHERE sc.ancestor_id = " + strconv.FormatInt(root, 10) + " AND sc.descendant_id = " + col + ")"
}

// contains reports whether unitID is in the scope.
func (s scope) contains(ctx context.Context, q queryer, unitID int64) (bool, error) {
	if s.rootID == 0 {
		return true, nil
	}
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM unit_closure WHERE ancestor_id = ? AND descendant_id = ?`, s.rootID, unitID).Scan(&n)
	return n > 0, err
}

// requirePersonalData refuses monitors, who read aggregates only.
func (s scope) requirePersonalData() error {
	if !s.user.CanReadPersonalData() {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Vai trò %s chỉ xem số liệu tổng hợp, không xem hồ sơ đoàn viên.", s.user.Role.Label("vi"))
	}
	return nil
}

// ScopeRoot returns the root of the caller's scope today: 0 for the whole
// tree (an administrator without a unit), else the user's unit. It fails
// as every scoped read does (no user, no unit, a unit dissolved).
func (d *DB) ScopeRoot(ctx context.Context) (root int64, err error) {
	defer wrap(&err, "store.ScopeRoot")
	s, err := d.scopeOf(ctx)
	return s.rootID, err
}

// SubtreeIDs returns the ids of root's subtree today (unit_closure): the
// units a user whose scope is root answers for, dissolved ones included
// (under their last parent) and merged ones (under their successor).
func (d *DB) SubtreeIDs(ctx context.Context, root int64) (out []int64, err error) {
	defer wrap(&err, "store.SubtreeIDs(%d)", root)
	err = d.scan(ctx, `SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?`, []any{root}, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	})
	return out, err
}
