package store

import (
	"context"
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
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Vai trò %s chỉ xem số liệu tổng hợp, không xem hồ sơ đoàn viên.", s.user.Role.Label())
	}
	return nil
}
