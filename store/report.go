package store

import (
	"congdoan/vntext"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

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
	r.submitted_by, r.submitted_at, r.approved_by, r.approved_at, r.reason, r.reason_by, r.reason_at`

func scanReport(sc interface{ Scan(...any) error }) (*congdoan.Report, error) {
	r := &congdoan.Report{}
	var asOf, vals, created string
	var submitted, approved, reasonAt sql.NullString
	if err := sc.Scan(&r.ID, &r.UnitID, &r.UnitCode, &r.Period, &asOf, &r.Status, &vals, &r.Hash, &r.CreatedBy, &created,
		&r.SubmittedBy, &submitted, &r.ApprovedBy, &approved, &r.Reason, &r.ReasonBy, &reasonAt); err != nil {
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
	if reasonAt.Valid {
		r.ReasonAt, _ = time.Parse(time.RFC3339, reasonAt.String)
	}
	return r, nil
}

// requireReportWrite refuses monitors, who read and verify reports only.
func (s scope) requireReportWrite(verb string) error {
	if s.user.Role == congdoan.RoleMonitor {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Vai trò %s chỉ xem báo cáo, không %s báo cáo.", s.user.Role.Label("vi"), verb)
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
		// One live report per unit and period: the unit's row is locked so
		// two concurrent creations cannot both find the period free.
		if err := tx.lockRow(ctx, "units", r.UnitID); err != nil {
			return err
		}
		var other int64
		var otherStatus congdoan.ReportStatus
		err := tx.queryRow(ctx, `SELECT id, status FROM reports WHERE unit_id = ? AND period = ? ORDER BY id LIMIT 1`, r.UnitID, r.Period).Scan(&other, &otherStatus)
		switch {
		case err == nil:
			msg := fmt.Sprintf("%s đã có báo cáo %s (số %d, %s): mỗi đơn vị một báo cáo cho một kỳ; mở báo cáo đó thay vì lập báo cáo mới.",
				u.Name, r.PeriodLabel, other, otherStatus.Label("vi"))
			return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"period": msg},
				Details: map[string]string{"report_id": strconv.FormatInt(other, 10)}}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
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
// under it today — so a parent sees what its children submitted — in one
// status or all. The caller must see the unit; Unit "" means the caller's
// own unit (an administrator without a unit: every report).
func (d *DB) FindReports(ctx context.Context, f congdoan.ReportFilter) (out []*congdoan.Report, err error) {
	defer wrap(&err, "store.FindReports(%q, %q)", f.Unit, f.Status)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	where, args := "1=1", []any(nil)
	switch {
	case f.Unit != "":
		u, err := d.unitByCode(ctx, d, s, f.Unit)
		if err != nil {
			return nil, err
		}
		where = inSubtree(u.ID, "r.unit_id")
	case s.rootID != 0:
		where = inSubtree(s.rootID, "r.unit_id")
	}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, congdoan.FieldError("status", "Trạng thái báo cáo phải là draft, submitted, returned, approved hoặc reopened.")
		}
		where += " AND r.status = ?"
		args = append(args, f.Status)
	}
	err = d.scan(ctx, `SELECT `+reportCols+` FROM reports r JOIN units u ON u.id = r.unit_id WHERE `+where+` ORDER BY r.id DESC`, args, func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		if err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// SubmitReport sends a draft — or a report returned or reopened by the
// parent — to the parent unit for approval. The caller's scope must include
// the unit; monitors cannot submit (ECONFLICT from any other status).
func (d *DB) SubmitReport(ctx context.Context, id int64) (_ *congdoan.Report, err error) {
	defer wrap(&err, "store.SubmitReport(%d)", id)
	return d.moveReport(ctx, id, "gửi", "report.submit", func(tx *Tx, s scope, r *congdoan.Report) (congdoan.ReportStatus, string, []any, error) {
		if !r.Status.Sendable() {
			return "", "", nil, reportStatusConflict(r, "gửi", "chỉ gửi được báo cáo nháp, bị trả lại hoặc được mở lại")
		}
		now := tx.now.Truncate(time.Second)
		r.SubmittedBy, r.SubmittedAt = s.user.Username, now
		return congdoan.ReportSubmitted, `submitted_by = ?, submitted_at = ?`, []any{s.user.Username, now.Format(time.RFC3339)}, nil
	})
}

// WithdrawReport takes a submitted report back to a draft, by the unit
// (any writer whose scope holds it) before the parent has decided.
func (d *DB) WithdrawReport(ctx context.Context, id int64) (_ *congdoan.Report, err error) {
	defer wrap(&err, "store.WithdrawReport(%d)", id)
	return d.moveReport(ctx, id, "rút", "report.withdraw", func(tx *Tx, s scope, r *congdoan.Report) (congdoan.ReportStatus, string, []any, error) {
		if r.Status != congdoan.ReportSubmitted {
			return "", "", nil, reportStatusConflict(r, "rút", "chỉ rút được báo cáo đã gửi, chưa được duyệt")
		}
		r.SubmittedBy, r.SubmittedAt = "", time.Time{}
		return congdoan.ReportDraft, `submitted_by = '', submitted_at = NULL`, nil, nil
	})
}

// ReturnReport sends a submitted report back to its unit with the
// approver's comment (required). Who may return a report is who may
// approve it (CheckReportApprover's parent rule).
func (d *DB) ReturnReport(ctx context.Context, id int64, reason string) (_ *congdoan.Report, err error) {
	defer wrap(&err, "store.ReturnReport(%d)", id)
	return d.reasonedMove(ctx, id, reason, "trả lại", "report.return", congdoan.ReportSubmitted, congdoan.ReportReturned,
		"chỉ trả lại được báo cáo đơn vị đã gửi")
}

// ReopenReport unlocks an approved report's period with a reason
// (required): the report must then be submitted and approved again. Who
// may reopen is who may approve.
func (d *DB) ReopenReport(ctx context.Context, id int64, reason string) (_ *congdoan.Report, err error) {
	defer wrap(&err, "store.ReopenReport(%d)", id)
	return d.reasonedMove(ctx, id, reason, "mở lại", "report.reopen", congdoan.ReportApproved, congdoan.ReportReopened,
		"chỉ mở lại được báo cáo đã duyệt")
}

// reasonedMove is a return or a reopening: from one status to another by
// the approver, with a reason kept on the report and in the audit event.
func (d *DB) reasonedMove(ctx context.Context, id int64, reason, verb, action string, from, to congdoan.ReportStatus, rule string) (*congdoan.Report, error) {
	reason = vntext.Clean(reason)
	v := congdoan.Validation{}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		v.Add("reason", "Cần ghi lý do "+verb+" báo cáo, để đơn vị biết phải làm gì.")
	case n > 2000:
		v.Add("reason", fmt.Sprintf("Lý do dài quá 2000 ký tự (đang có %d).", n))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return d.moveReport(ctx, id, verb, action, func(tx *Tx, s scope, r *congdoan.Report) (congdoan.ReportStatus, string, []any, error) {
		if err := d.checkApprover(ctx, tx, s, r); err != nil {
			return "", "", nil, err
		}
		if r.Status != from {
			return "", "", nil, reportStatusConflict(r, verb, rule)
		}
		now := tx.now.Truncate(time.Second)
		r.Reason, r.ReasonBy, r.ReasonAt = reason, s.user.Username, now
		return to, `reason = ?, reason_by = ?, reason_at = ?`, []any{reason, s.user.Username, now.Format(time.RFC3339)}, nil
	})
}

// moveReport runs one step of the workflow: the report read in the
// transaction (in scope), the step's own checks (step returns the new
// status and the extra columns to set), one guarded UPDATE that fails with
// ECONFLICT when someone moved the report first, and the audit event.
// Monitors move nothing.
func (d *DB) moveReport(ctx context.Context, id int64, verb, action string,
	step func(tx *Tx, s scope, r *congdoan.Report) (congdoan.ReportStatus, string, []any, error)) (*congdoan.Report, error) {
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireReportWrite(verb); err != nil {
		return nil, err
	}
	var out *congdoan.Report
	err = d.tx(ctx, func(tx *Tx) error {
		r, err := d.reportByID(ctx, tx, s, id)
		if err != nil {
			return err
		}
		from := r.Status
		to, set, args, err := step(tx, s, r)
		if err != nil {
			return err
		}
		if err := tx.reportTransition(ctx, r, to, set, args...); err != nil {
			return err
		}
		r.Status = to
		out = r
		after := map[string]any{"status": to}
		if r.Reason != "" && (to == congdoan.ReportReturned || to == congdoan.ReportReopened) {
			after["reason"] = r.Reason
		}
		return tx.audit(ctx, Event{Action: action, Entity: "report", EntityID: r.ID, UnitID: r.UnitID,
			Before: map[string]any{"status": from}, After: after})
	})
	return out, err
}

// DeleteReport deletes a draft of a unit in the caller's scope; a report
// that was ever sent stays, whatever became of it (ECONFLICT).
func (d *DB) DeleteReport(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "store.DeleteReport(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	if err := s.requireReportWrite("xóa"); err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		r, err := d.reportByID(ctx, tx, s, id)
		if err != nil {
			return err
		}
		if r.Status != congdoan.ReportDraft {
			return reportStatusConflict(r, "xóa", "chỉ xóa được báo cáo nháp")
		}
		res, err := tx.exec(ctx, `DELETE FROM reports WHERE id = ? AND status = ?`, r.ID, r.Status)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return congdoan.Errorf(congdoan.ECONFLICT, "Báo cáo số %d vừa được người khác thay đổi trạng thái; vui lòng tải lại.", r.ID)
		}
		return tx.audit(ctx, Event{Action: "report.delete", Entity: "report", EntityID: r.ID, UnitID: r.UnitID,
			Before: map[string]any{"unit": r.UnitCode, "period": r.Period, "status": r.Status, "figures": r.Summary()}})
	})
}

// CheckReportApprover reports whether the caller may approve r: an
// administrator, or a user whose scope includes r's unit's parent on r's
// date and who does not belong to r's unit itself (the parent rule); and
// never the person who drew r up or submitted it (four eyes). EFORBIDDEN
// says who approves. Monitors never approve.
func (d *DB) CheckReportApprover(ctx context.Context, r *congdoan.Report) (err error) {
	defer wrap(&err, "store.CheckReportApprover(%d)", r.ID)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return err
	}
	if err := d.checkApprover(ctx, d, s, r); err != nil {
		return err
	}
	return fourEyes(s, r)
}

// fourEyes refuses an approval by whoever drew the report up or submitted
// it: a figure the Standing Committee reads has passed two people. The
// command line's system user (the operator at the server) is exempt.
func fourEyes(s scope, r *congdoan.Report) error {
	u := s.user.Username
	if s.user.ID == congdoan.SystemUser().ID && u == congdoan.SystemUser().Username {
		return nil
	}
	if u == r.CreatedBy || u == r.SubmittedBy {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Người lập hoặc gửi báo cáo không tự duyệt báo cáo đó: báo cáo số %d của %s do %s lập, %s gửi; một cán bộ khác của cấp trên duyệt.",
			r.ID, r.UnitName, r.CreatedBy, r.SubmittedBy)
	}
	return nil
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
		if err := fourEyes(s, stored); err != nil {
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
		verb, r.ID, r.UnitName, r.PeriodLabel, r.Status.Label("vi"), rule)
}
