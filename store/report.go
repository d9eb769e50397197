package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"congdoan"
)

// Plan reports (reports): a unit's indicator set for a period, drawn up,
// submitted and approved by the parent unit, which freezes it. The figures
// are computed by the indicator engine (indicator.Reports); the store keeps
// the rows, decides who may see and move them, and makes every status
// change one guarded write with its audit event.

// reportValues is the values_json column: everything a stored report is
// rendered from, so that rendering never recomputes.
type reportValues struct {
	UnitName   string                  `json:"unit_name"`
	From       string                  `json:"from"`
	ComputedAt time.Time               `json:"computed_at"`
	Figures    []congdoan.ReportFigure `json:"figures"`
	Children   []congdoan.ReportChild  `json:"children,omitempty"`
}

func reportValuesJSON(r *congdoan.Report) (string, error) {
	b, err := json.Marshal(reportValues{UnitName: r.UnitName, From: r.From.String(), ComputedAt: r.ComputedAt, Figures: r.Figures, Children: r.Children})
	return string(b), err
}

const reportCols = `r.id, r.unit_id, u.code, r.period, r.as_of, r.status, r.values_json, r.hash, r.created_by, r.created_at,
	r.submitted_by, r.submitted_at, r.approved_by, r.approved_at`

func scanReport(sc interface{ Scan(...any) error }) (*congdoan.Report, error) {
	r := &congdoan.Report{}
	var asOf, vals, created string
	var submitted, approved sql.NullString
	if err := sc.Scan(&r.ID, &r.UnitID, &r.UnitCode, &r.Period, &asOf, &r.Status, &vals, &r.Hash, &r.CreatedBy, &created,
		&r.SubmittedBy, &submitted, &r.ApprovedBy, &approved); err != nil {
		return nil, err
	}
	p, err := congdoan.ParseReportPeriod(r.Period)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", r.ID, err)
	}
	r.PeriodLabel, r.From = p.Label, p.From
	if r.AsOf, err = congdoan.ParseISODate(asOf); err != nil {
		return nil, fmt.Errorf("report %d: as_of %q: %w", r.ID, asOf, err)
	}
	var v reportValues
	if err := json.Unmarshal([]byte(vals), &v); err != nil {
		return nil, fmt.Errorf("report %d: values: %w", r.ID, err)
	}
	r.UnitName, r.ComputedAt, r.Figures, r.Children = v.UnitName, v.ComputedAt, v.Figures, v.Children
	if v.From != "" {
		if r.From, err = congdoan.ParseISODate(v.From); err != nil {
			return nil, fmt.Errorf("report %d: from: %w", r.ID, err)
		}
	}
	r.CreatedAt, _ = time.Parse(time.RFC3339, created)
	if submitted.Valid {
		r.SubmittedAt, _ = time.Parse(time.RFC3339, submitted.String)
	}
	if approved.Valid {
		r.ApprovedAt, _ = time.Parse(time.RFC3339, approved.String)
	}
	return r, nil
}

// requireReportWrite refuses monitors, who read and verify reports only.
func (s scope) requireReportWrite(verb string) error {
	if s.user.Role == congdoan.RoleMonitor {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Vai trò %s chỉ xem báo cáo, không %s báo cáo.", s.user.Role.Label(), verb)
	}
	return nil
}

// InsertReport stores a computed report as a draft of the unit r.UnitCode,
// which must be in the caller's scope; monitors are refused. It sets the
// report's id, status, author and creation time.
func (d *DB) InsertReport(ctx context.Context, r *congdoan.Report) (err error) {
	defer wrap(&err, "store.InsertReport(%q, %s)", r.UnitCode, r.Period)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	if err := s.requireReportWrite("lập"); err != nil {
		return err
	}
	u, err := d.unitByCode(ctx, d, s, r.UnitCode)
	if err != nil {
		return err
	}
	r.UnitID, r.Status, r.CreatedBy = u.ID, congdoan.ReportDraft, s.user.Username
	vals, err := reportValuesJSON(r)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		r.CreatedAt = tx.now.Truncate(time.Second)
		id, err := tx.insert(ctx, `INSERT INTO reports (unit_id, period, as_of, status, values_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.UnitID, r.Period, r.AsOf.String(), r.Status, vals, r.CreatedBy, r.CreatedAt.Format(time.RFC3339))
		if err != nil {
			return err
		}
		r.ID = id
		return tx.audit(ctx, Event{Action: "report.create", Entity: "report", EntityID: id, UnitID: r.UnitID, After: map[string]any{
			"unit": r.UnitCode, "period": r.Period, "as_of": r.AsOf.String(), "status": r.Status, "figures": r.Summary()}})
	})
}

// FindReport returns a report the caller may see (its unit is in the
// caller's scope); ENOTFOUND otherwise, as for an id that does not exist.
func (d *DB) FindReport(ctx context.Context, id int64) (_ *congdoan.Report, err error) {
	defer wrap(&err, "store.FindReport(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return d.reportByID(ctx, d, s, id)
}

func (d *DB) reportByID(ctx context.Context, q queryer, s scope, id int64) (*congdoan.Report, error) {
	cond, args := s.unitIn("r.unit_id")
	r, err := scanReport(q.queryRow(ctx, `SELECT `+reportCols+` FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không có báo cáo số %d trong phạm vi bạn quản lý.", id)
	}
	return r, err
}

// FindReports lists, newest first, the reports of a unit and of every unit
// under it today — so a parent sees what its children submitted. The
// caller must see the unit; unitCode "" means the caller's own unit (an
// administrator without a unit: every report).
func (d *DB) FindReports(ctx context.Context, unitCode string) (out []*congdoan.Report, err error) {
	defer wrap(&err, "store.FindReports(%q)", unitCode)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	where := "1=1"
	switch {
	case unitCode != "":
		u, err := d.unitByCode(ctx, d, s, unitCode)
		if err != nil {
			return nil, err
		}
		where = inSubtree(u.ID, "r.unit_id")
	case s.rootID != 0:
		where = inSubtree(s.rootID, "r.unit_id")
	}
	err = d.scan(ctx, `SELECT `+reportCols+` FROM reports r JOIN units u ON u.id = r.unit_id WHERE `+where+` ORDER BY r.id DESC`, nil, func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		if err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// SubmitReport sends a draft to the parent unit for approval. The caller's
// scope must include the unit; monitors cannot submit. Only a draft can be
// submitted (ECONFLICT otherwise).
func (d *DB) SubmitReport(ctx context.Context, id int64) (_ *congdoan.Report, err error) {
	defer wrap(&err, "store.SubmitReport(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireReportWrite("gửi"); err != nil {
		return nil, err
	}
	r, err := d.reportByID(ctx, d, s, id)
	if err != nil {
		return nil, err
	}
	if r.Status != congdoan.ReportDraft {
		return nil, reportStatusConflict(r, "gửi", "chỉ gửi được báo cáo nháp")
	}
	err = d.tx(ctx, func(tx *Tx) error {
		now := tx.now.Truncate(time.Second)
		if err := tx.reportTransition(ctx, r, congdoan.ReportSubmitted, `submitted_by = ?, submitted_at = ?`, s.user.Username, now.Format(time.RFC3339)); err != nil {
			return err
		}
		r.Status, r.SubmittedBy, r.SubmittedAt = congdoan.ReportSubmitted, s.user.Username, now
		return tx.audit(ctx, Event{Action: "report.submit", Entity: "report", EntityID: r.ID, UnitID: r.UnitID,
			Before: map[string]any{"status": congdoan.ReportDraft}, After: map[string]any{"status": congdoan.ReportSubmitted}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// CheckReportApprover reports whether the caller may approve r: an
// administrator always; else the caller's scope must include r's unit's
// parent on r's date, and the caller must not belong to r's unit itself
// (EFORBIDDEN, saying who approves). Monitors never approve.
func (d *DB) CheckReportApprover(ctx context.Context, r *congdoan.Report) (err error) {
	defer wrap(&err, "store.CheckReportApprover(%d)", r.ID)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	return d.checkApprover(ctx, d, s, r)
}

func (d *DB) checkApprover(ctx context.Context, q queryer, s scope, r *congdoan.Report) error {
	if err := s.requireReportWrite("duyệt"); err != nil {
		return err
	}
	u := s.user
	if u.Role == congdoan.RoleAdmin {
		return nil
	}
	if u.UnitID == r.UnitID {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Đơn vị không tự duyệt báo cáo của mình: báo cáo của %s phải do cấp trên duyệt.", r.UnitName)
	}
	var parentID int64
	var parentName string
	err := q.queryRow(ctx, `SELECT p.id, p.name FROM unit_parents up JOIN units p ON p.id = up.parent_id
		WHERE up.unit_id = ? AND up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)`, r.UnitID, r.AsOf.String(), r.AsOf.String()).Scan(&parentID, &parentName)
	if errors.Is(err, sql.ErrNoRows) {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "%s không có đơn vị cấp trên vào ngày %s: chỉ quản trị hệ thống duyệt được báo cáo này.", r.UnitName, r.AsOf.VN())
	} else if err != nil {
		return err
	}
	if ok, err := s.contains(ctx, q, parentID); err != nil {
		return err
	} else if !ok {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Báo cáo của %s do %s (cấp trên vào ngày %s) hoặc cấp trên của đơn vị này duyệt; tài khoản %s không thuộc phạm vi đó.",
			r.UnitName, parentName, r.AsOf.VN(), u.Username)
	}
	return nil
}

// ApproveReport freezes a submitted report with the figures and record
// hashes the engine computed into r (as of r.AsOf): it sets the approver,
// the approval time and the overall hash (congdoan.Report.FrozenHash), in
// one guarded write that fails with ECONFLICT when someone moved the report
// first. The approver is checked again inside the transaction.
func (d *DB) ApproveReport(ctx context.Context, r *congdoan.Report) (err error) {
	defer wrap(&err, "store.ApproveReport(%d)", r.ID)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		stored, err := d.reportByID(ctx, tx, s, r.ID)
		if err != nil {
			return err
		}
		if err := d.checkApprover(ctx, tx, s, stored); err != nil {
			return err
		}
		if stored.Status != congdoan.ReportSubmitted {
			return reportStatusConflict(stored, "duyệt", "chỉ duyệt được báo cáo đơn vị đã gửi")
		}
		r.Status = stored.Status
		r.ApprovedBy, r.ApprovedAt = s.user.Username, tx.now.Truncate(time.Second)
		r.Hash = r.FrozenHash()
		vals, err := reportValuesJSON(r)
		if err != nil {
			return err
		}
		if err := tx.reportTransition(ctx, r, congdoan.ReportApproved, `values_json = ?, hash = ?, approved_by = ?, approved_at = ?`,
			vals, r.Hash, r.ApprovedBy, r.ApprovedAt.Format(time.RFC3339)); err != nil {
			return err
		}
		r.Status = congdoan.ReportApproved
		return tx.audit(ctx, Event{Action: "report.approve", Entity: "report", EntityID: r.ID, UnitID: r.UnitID,
			Before: map[string]any{"status": congdoan.ReportSubmitted, "figures": stored.Summary()},
			After:  map[string]any{"status": congdoan.ReportApproved, "figures": r.Summary(), "hash": r.Hash}})
	})
}

// reportTransition moves r from its current status to status, setting the
// extra columns, and fails with ECONFLICT when another writer moved it
// first: the status in the WHERE makes check and write one step.
func (tx *Tx) reportTransition(ctx context.Context, r *congdoan.Report, status congdoan.ReportStatus, set string, args ...any) error {
	res, err := tx.exec(ctx, `UPDATE reports SET status = ?, `+set+` WHERE id = ? AND status = ?`,
		append(append([]any{status}, args...), r.ID, r.Status)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return congdoan.Errorf(congdoan.ECONFLICT, "Báo cáo số %d vừa được người khác thay đổi trạng thái; vui lòng tải lại.", r.ID)
	}
	return nil
}

func reportStatusConflict(r *congdoan.Report, verb, rule string) error {
	return congdoan.Errorf(congdoan.ECONFLICT, "Không %s được báo cáo số %d (%s, %s): báo cáo đang ở trạng thái \"%s\"; %s.",
		verb, r.ID, r.UnitName, r.PeriodLabel, r.Status.Label(), rule)
}
