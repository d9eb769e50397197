package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"congdoan"
)

// Approved periods are locked, as DHIS2 locks approved data: once a unit's
// report for a period is approved, a write dated inside the period that
// would change a figure of that report — an admission, transfer or leave
// in the unit's subtree, a headcount, an agreement in force during it, a
// union founded, moved, merged or dissolved — is refused (ECONFLICT naming
// the report) until the approver reopens the report (ReopenReport), which
// unlocks the period until it is approved again. "The unit's subtree" is
// the tree of the report's date, the one its figures were computed with:
// after a merger, the old province's approved reports still lock their
// old districts' past.

// checkLocked refuses a write at unit unitID whose dates run from `from` to
// `to` (one day for most writes) when an approved report of the unit, or of
// a unit above it on the report's date, covers one of those days.
func (tx *Tx) checkLocked(ctx context.Context, unitID int64, from, to congdoan.Date) error {
	if unitID == 0 || from.IsZero() {
		return nil
	}
	if to.IsZero() || to.Before(from) {
		to = from
	}
	type approved struct {
		id, unit         int64
		unitName, period string
		asOf             congdoan.Date
		approvedAt       sql.NullString
	}
	var cands []approved
	err := scanWith(ctx, tx, `SELECT r.id, r.unit_id, u.name, r.period, r.as_of, r.approved_at FROM reports r JOIN units u ON u.id = r.unit_id
		WHERE r.status = 'approved' AND r.as_of >= ? ORDER BY r.id`, []any{from.String()}, func(rows *sql.Rows) error {
		var a approved
		var asOf sql.NullString
		if err := rows.Scan(&a.id, &a.unit, &a.unitName, &a.period, &asOf, &a.approvedAt); err != nil {
			return err
		}
		a.asOf = parseDate(asOf)
		cands = append(cands, a)
		return nil
	})
	if err != nil {
		return err
	}
	ancestors := map[congdoan.Date]map[int64]bool{}
	for _, a := range cands {
		p, err := congdoan.ParseReportPeriod(a.period)
		if err != nil || p.From.After(to) {
			continue
		}
		up, ok := ancestors[a.asOf]
		if !ok {
			if up, err = tx.ancestorsOn(ctx, unitID, a.asOf); err != nil {
				return err
			}
			ancestors[a.asOf] = up
		}
		if !up[a.unit] {
			continue
		}
		approvedOn, _ := time.Parse(time.RFC3339, a.approvedAt.String)
		approvedOn = approvedOn.In(congdoan.VietnamTime)
		return &congdoan.Error{Code: congdoan.ECONFLICT, Message: fmt.Sprintf(
			"Kỳ này đã khóa: báo cáo số %d của %s, %s, đã duyệt ngày %s, nên không ghi thay đổi có ngày từ %s đến %s vào đơn vị thuộc báo cáo đó. Muốn sửa, đề nghị cấp trên mở lại báo cáo (kèm lý do); sau khi sửa, đơn vị gửi lại để duyệt.",
			a.id, a.unitName, p.Label, approvedOn.Format("02/01/2006"), p.From.VN(), a.asOf.VN()),
			Details: map[string]string{"report_id": fmt.Sprint(a.id)}}
	}
	return nil
}

// ancestorsOn returns unitID and the units above it in the tree of day d.
func (tx *Tx) ancestorsOn(ctx context.Context, unitID int64, d congdoan.Date) (map[int64]bool, error) {
	out := map[int64]bool{unitID: true}
	day := d.String()
	for x := unitID; len(out) < 64; {
		var p sql.NullInt64
		err := tx.queryRow(ctx, `SELECT parent_id FROM unit_parents WHERE unit_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`, x, day, day).Scan(&p)
		if errors.Is(err, sql.ErrNoRows) || !p.Valid || out[p.Int64] {
			break
		} else if err != nil {
			return nil, err
		}
		out[p.Int64] = true
		x = p.Int64
	}
	return out, nil
}
