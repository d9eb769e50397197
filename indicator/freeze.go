package indicator

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/vntext"
)

// Report statuses (DESIGN.md §3 "Report"): a unit draws a report up, submits
// it, and its parent approves it, which freezes it for good.
const (
	ReportDraft     = "draft"
	ReportSubmitted = "submitted"
	ReportApproved  = "approved"
)

// ReportStatusLabel returns the Vietnamese name of a report status.
func ReportStatusLabel(s string) string {
	switch s {
	case ReportDraft:
		return "Nháp"
	case ReportSubmitted:
		return "Đã gửi, chờ cấp trên duyệt"
	case ReportApproved:
		return "Đã duyệt"
	}
	return s
}

// Report is a unit's indicator set for a period as of a date: computed
// (draft), submitted, and approved by the parent unit. An approved report
// is frozen: its figures, the date, a hash of the records behind each
// figure and an overall Hash are stored and never change; VerifyReport
// recomputes them to tell whether the registry changed since.
type Report struct {
	ID          int64          `json:"id"`
	UnitID      int64          `json:"-"`
	UnitCode    string         `json:"unit"`
	UnitName    string         `json:"unit_name"` // as at computation: a later rename does not change a frozen report
	Period      string         `json:"period"`    // "2025", "2025-H1", "2025-Q3"
	PeriodLabel string         `json:"period_label"`
	From        congdoan.Date  `json:"from"`  // period indicators count from here
	AsOf        congdoan.Date  `json:"as_of"` // min(last day of the period, the day it was drawn up)
	Status      string         `json:"status"`
	Figures     []ReportFigure `json:"figures"`            // in Defs order
	Children    []ReportChild  `json:"children,omitempty"` // the same figures by child unit on AsOf
	ComputedAt  time.Time      `json:"computed_at"`        // when the figures were computed (at approval for a frozen report)
	Hash        string         `json:"hash,omitempty"`     // set at approval; see Report.frozenHash
	CreatedBy   string         `json:"created_by"`
	CreatedAt   time.Time      `json:"created_at"`
	SubmittedBy string         `json:"submitted_by,omitempty"`
	SubmittedAt time.Time      `json:"submitted_at,omitzero"`
	ApprovedBy  string         `json:"approved_by,omitempty"`
	ApprovedAt  time.Time      `json:"approved_at,omitzero"`
}

// ReportFigure is one indicator of a report as stored. Target and Forecast
// are copies: a target edited later does not change a frozen report.
type ReportFigure struct {
	Indicator   string    `json:"indicator"`
	Value       float64   `json:"value"`
	Numerator   int64     `json:"numerator"`
	Denominator int64     `json:"denominator"`
	Target      *Target   `json:"target,omitempty"`
	Forecast    *Forecast `json:"forecast,omitempty"`
	Status      string    `json:"status,omitempty"`
	// RecordsHash (approved reports) is the hex SHA-256 of the sorted ids
	// of the records behind the numerator and, for a percentage, the
	// denominator (see recordsHash).
	RecordsHash string `json:"records_hash,omitempty"`
}

// ReportChild is one child unit's figures in a report (no targets).
type ReportChild struct {
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Figures []ReportFigure `json:"figures"`
}

// Figure returns the report's figure of an indicator.
func (r *Report) Figure(code string) (ReportFigure, bool) {
	for _, f := range r.Figures {
		if f.Indicator == code {
			return f, true
		}
	}
	return ReportFigure{}, false
}

// reportValues is the values_json column: everything a stored report is
// rendered from, so that rendering never recomputes.
type reportValues struct {
	UnitName   string         `json:"unit_name"`
	From       string         `json:"from"`
	ComputedAt time.Time      `json:"computed_at"`
	Figures    []ReportFigure `json:"figures"`
	Children   []ReportChild  `json:"children,omitempty"`
}

// Verification is the result of VerifyReport.
type Verification struct {
	ReportID   int64         `json:"report_id"`
	UnitCode   string        `json:"unit"`
	UnitName   string        `json:"unit_name"`
	Period     string        `json:"period_label"`
	AsOf       congdoan.Date `json:"as_of"`
	ApprovedAt time.Time     `json:"approved_at"`
	ApprovedBy string        `json:"approved_by"`
	Hash       string        `json:"hash"`
	// Intact is false when the stored row no longer matches its own hash:
	// someone edited the frozen values in the database.
	Intact  bool     `json:"intact"`
	OK      bool     `json:"ok"` // intact and no figure changed
	Changes []Change `json:"changes,omitempty"`
}

// Change is one figure that differs from its frozen value or records.
type Change struct {
	Indicator      string  `json:"indicator"`
	Name           string  `json:"name"`
	OldValue       float64 `json:"old_value"`
	NewValue       float64 `json:"new_value"`
	OldNumerator   int64   `json:"old_numerator"`
	NewNumerator   int64   `json:"new_numerator"`
	OldDenominator int64   `json:"old_denominator"`
	NewDenominator int64   `json:"new_denominator"`
	RecordsChanged bool    `json:"records_changed"`
	Message        string  `json:"message"` // Vietnamese, e.g. "Số đoàn viên công đoàn: 22.807 → 22.808 (danh sách hồ sơ đã thay đổi)"
}

// internal returns a context acting as the system user, for computing a
// report's figures and record hashes once the caller's right to the report
// has been checked: a monitor may verify a report, and the member ids that
// go into a hash never leave this package.
func internal(ctx context.Context) context.Context {
	return congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
}

// actor returns the acting user, refusing anonymous callers and (for
// writes) monitors, who read aggregates only.
func actor(ctx context.Context, write bool, what string) (*congdoan.User, error) {
	u := congdoan.UserFromContext(ctx)
	if u == nil {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập.")
	}
	if write && u.Role == congdoan.RoleMonitor {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Vai trò %s chỉ xem báo cáo, không %s báo cáo.", u.Role.Label(), what)
	}
	return u, nil
}

// ComputeReport computes a unit's report for period as of min(last day of
// the period, today) without storing it: for previews and for the
// stateless `congdoan report` command. The caller must see the unit.
func (e *Engine) ComputeReport(ctx context.Context, unitCode string, p Period) (*Report, error) {
	if p.Code == "" {
		return nil, congdoan.FieldError("period", "Cần chọn kỳ báo cáo: năm (2025), nửa năm (2025-H1) hoặc quý (2025-Q3).")
	}
	u, err := e.db.FindUnitByCode(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	asOf := p.To
	if today := e.db.Today(); asOf.After(today) {
		asOf = today
	}
	if p.From.After(asOf) {
		return nil, congdoan.FieldError("period", "Kỳ báo cáo "+p.Label+" chưa bắt đầu.")
	}
	r := &Report{UnitID: u.ID, UnitCode: u.Code, UnitName: u.Name, Period: p.Code, PeriodLabel: p.Label, From: p.From, AsOf: asOf}
	if err := e.fill(internal(ctx), r); err != nil {
		return nil, err
	}
	return r, nil
}

// fill computes r's figures (with targets and forecasts) and its
// children's, as of r.AsOf with period indicators from r.From.
func (e *Engine) fill(ctx context.Context, r *Report) error {
	fig, err := e.Overview(ctx, r.UnitCode, r.AsOf, r.From)
	if err != nil {
		return err
	}
	r.Figures = r.Figures[:0]
	for _, def := range Defs {
		v := fig.Values[def.Code]
		r.Figures = append(r.Figures, ReportFigure{Indicator: def.Code, Value: v.Value, Numerator: v.NumeratorN, Denominator: v.DenomN,
			Target: v.Target, Forecast: v.Forecast, Status: v.Status})
	}
	kids, err := e.ChildFigures(ctx, r.UnitCode, r.AsOf, r.From)
	if err != nil {
		return err
	}
	r.Children = nil
	for _, k := range kids {
		c := ReportChild{Code: k.Unit, Name: e.UnitName(ctx, k.Unit, r.AsOf)}
		for _, def := range Defs {
			v := k.Values[def.Code]
			c.Figures = append(c.Figures, ReportFigure{Indicator: def.Code, Value: v.Value, Numerator: v.NumeratorN, Denominator: v.DenomN})
		}
		r.Children = append(r.Children, c)
	}
	r.ComputedAt = e.db.Now().UTC().Truncate(time.Second)
	return nil
}

// CreateReport computes the unit's report for period and stores it as a
// draft. The caller must see the unit; monitors cannot create reports.
func (e *Engine) CreateReport(ctx context.Context, unitCode string, p Period) (*Report, error) {
	u, err := actor(ctx, true, "lập")
	if err != nil {
		return nil, err
	}
	r, err := e.ComputeReport(ctx, unitCode, p)
	if err != nil {
		return nil, err
	}
	r.Status, r.CreatedBy = ReportDraft, u.Username
	vals, err := r.valuesJSON()
	if err != nil {
		return nil, err
	}
	err = e.db.WriteTx(ctx, func(tx *store.Tx) error {
		tx.AffectsNothing() // a report is in no figure the engine caches
		r.CreatedAt = tx.Now().Truncate(time.Second)
		id, err := tx.Insert(ctx, `INSERT INTO reports (unit_id, period, as_of, status, values_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.UnitID, r.Period, r.AsOf.String(), r.Status, vals, r.CreatedBy, r.CreatedAt.Format(time.RFC3339))
		if err != nil {
			return err
		}
		r.ID = id
		return tx.Audit(ctx, "report.create", "report", id, nil, map[string]any{
			"unit": r.UnitCode, "period": r.Period, "as_of": r.AsOf.String(), "status": r.Status, "figures": r.summary()})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// SubmitReport sends a draft to the parent unit for approval. The caller's
// scope must include the unit; monitors cannot submit. Only a draft can be
// submitted (ECONFLICT otherwise).
func (e *Engine) SubmitReport(ctx context.Context, id int64) (*Report, error) {
	u, err := actor(ctx, true, "gửi")
	if err != nil {
		return nil, err
	}
	r, err := e.FindReport(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != ReportDraft {
		return nil, statusConflict(r, "gửi", "chỉ gửi được báo cáo nháp")
	}
	err = e.db.WriteTx(ctx, func(tx *store.Tx) error {
		tx.AffectsNothing() // a report is in no figure the engine caches
		now := tx.Now().Truncate(time.Second)
		if err := e.transition(ctx, tx, r, ReportSubmitted, `submitted_by = ?, submitted_at = ?`, u.Username, now.Format(time.RFC3339)); err != nil {
			return err
		}
		r.Status, r.SubmittedBy, r.SubmittedAt = ReportSubmitted, u.Username, now
		return tx.Audit(ctx, "report.submit", "report", r.ID, map[string]any{"status": ReportDraft}, map[string]any{"status": ReportSubmitted})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ApproveReport approves a submitted report and freezes it: the figures
// are recomputed as of the report's date, each figure gets the hash of the
// records behind it, and the report gets an overall hash. Only a user
// whose scope includes the unit's parent on the report's date may approve
// (a unit does not approve its own report; an administrator may approve
// any). An approved report is final.
func (e *Engine) ApproveReport(ctx context.Context, id int64) (*Report, error) {
	u, err := actor(ctx, true, "duyệt")
	if err != nil {
		return nil, err
	}
	r, err := e.FindReport(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := e.mayApprove(ctx, u, r); err != nil {
		return nil, err
	}
	if r.Status != ReportSubmitted {
		return nil, statusConflict(r, "duyệt", "chỉ duyệt được báo cáo đơn vị đã gửi")
	}
	before := r.summary()
	// Computed outside the write transaction: paging through the records
	// of a province takes seconds, and SQLite would hold every other
	// writer for that long. A change committed meanwhile is what
	// VerifyReport exists to reveal.
	ictx := internal(ctx)
	if err := e.fill(ictx, r); err != nil {
		return nil, err
	}
	for i := range r.Figures {
		def, _ := Lookup(r.Figures[i].Indicator)
		if r.Figures[i].RecordsHash, err = e.recordsHash(ictx, def, r.UnitCode, r.AsOf, r.From); err != nil {
			return nil, err
		}
	}
	err = e.db.WriteTx(ctx, func(tx *store.Tx) error {
		tx.AffectsNothing() // a report is in no figure the engine caches
		r.ApprovedBy, r.ApprovedAt = u.Username, tx.Now().Truncate(time.Second)
		r.Hash = r.frozenHash()
		vals, err := r.valuesJSON()
		if err != nil {
			return err
		}
		if err := e.transition(ctx, tx, r, ReportApproved, `values_json = ?, hash = ?, approved_by = ?, approved_at = ?`,
			vals, r.Hash, r.ApprovedBy, r.ApprovedAt.Format(time.RFC3339)); err != nil {
			return err
		}
		r.Status = ReportApproved
		return tx.Audit(ctx, "report.approve", "report", r.ID, map[string]any{"status": ReportSubmitted, "figures": before},
			map[string]any{"status": ReportApproved, "figures": r.summary(), "hash": r.Hash})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// transition moves r from its current status to status, setting the
// extra columns, and fails with ECONFLICT when another writer moved it
// first: the status in the WHERE makes check and write one step.
func (e *Engine) transition(ctx context.Context, tx *store.Tx, r *Report, status, set string, args ...any) error {
	res, err := tx.Exec(ctx, `UPDATE reports SET status = ?, `+set+` WHERE id = ? AND status = ?`,
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

func statusConflict(r *Report, verb, rule string) error {
	return congdoan.Errorf(congdoan.ECONFLICT, "Không %s được báo cáo số %d (%s, %s): báo cáo đang ở trạng thái \"%s\"; %s.",
		verb, r.ID, r.UnitName, r.PeriodLabel, ReportStatusLabel(r.Status), rule)
}

// mayApprove checks that u may approve r: an administrator always; else
// u's scope must include r's unit's parent on r's date, and u must not
// belong to r's unit itself.
func (e *Engine) mayApprove(ctx context.Context, u *congdoan.User, r *Report) error {
	if u.Role == congdoan.RoleAdmin {
		return nil
	}
	if u.UnitID == r.UnitID {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Đơn vị không tự duyệt báo cáo của mình: báo cáo của %s phải do cấp trên duyệt.", r.UnitName)
	}
	var parentCode, parentName string
	err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT p.code, p.name FROM unit_parents up JOIN units p ON p.id = up.parent_id
		WHERE up.unit_id = ? AND up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)`), r.UnitID, r.AsOf.String(), r.AsOf.String()).Scan(&parentCode, &parentName)
	if errors.Is(err, sql.ErrNoRows) {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "%s không có đơn vị cấp trên vào ngày %s: chỉ quản trị hệ thống duyệt được báo cáo này.", r.UnitName, r.AsOf.VN())
	} else if err != nil {
		return err
	}
	if _, err := e.db.FindUnitByCode(ctx, parentCode); congdoan.ErrorCode(err) == congdoan.ENOTFOUND {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Báo cáo của %s do %s (cấp trên vào ngày %s) hoặc cấp trên của đơn vị này duyệt; tài khoản %s không thuộc phạm vi đó.",
			r.UnitName, parentName, r.AsOf.VN(), u.Username)
	} else if err != nil {
		return err
	}
	return nil
}

// VerifyReport recomputes each figure of an approved report and the hash
// of its records as of the stored date, and says what changed since the
// approval. Anyone who can see the report may verify it.
func (e *Engine) VerifyReport(ctx context.Context, id int64) (*Verification, error) {
	r, err := e.FindReport(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != ReportApproved {
		return nil, congdoan.Errorf(congdoan.ECONFLICT, "Báo cáo số %d chưa được duyệt (%s): chưa có số liệu chốt để đối chiếu.", r.ID, ReportStatusLabel(r.Status))
	}
	v := &Verification{ReportID: r.ID, UnitCode: r.UnitCode, UnitName: r.UnitName, Period: r.PeriodLabel, AsOf: r.AsOf,
		ApprovedAt: r.ApprovedAt, ApprovedBy: r.ApprovedBy, Hash: r.Hash, Intact: r.frozenHash() == r.Hash}
	ictx := internal(ctx)
	now, err := e.Figures(ictx, r.UnitCode, r.AsOf, r.From)
	if err != nil {
		return nil, err
	}
	for _, old := range r.Figures {
		def, ok := Lookup(old.Indicator)
		if !ok {
			continue // an indicator retired since: nothing to compare it with
		}
		nv := now.Values[def.Code]
		h, err := e.recordsHash(ictx, def, r.UnitCode, r.AsOf, r.From)
		if err != nil {
			return nil, err
		}
		valueChanged := nv.NumeratorN != old.Numerator || nv.DenomN != old.Denominator || nv.Value != old.Value
		recordsChanged := h != old.RecordsHash
		if !valueChanged && !recordsChanged {
			continue
		}
		c := Change{Indicator: def.Code, Name: def.Name, OldValue: old.Value, NewValue: nv.Value, OldNumerator: old.Numerator, NewNumerator: nv.NumeratorN,
			OldDenominator: old.Denominator, NewDenominator: nv.DenomN, RecordsChanged: recordsChanged}
		oldText, newText := figureText(def, old.Value, old.Numerator, old.Denominator), figureText(def, nv.Value, nv.NumeratorN, nv.DenomN)
		switch {
		case valueChanged && recordsChanged:
			c.Message = fmt.Sprintf("%s: %s → %s (danh sách hồ sơ đã thay đổi)", def.Name, oldText, newText)
		case valueChanged:
			c.Message = fmt.Sprintf("%s: %s → %s (danh sách hồ sơ không đổi)", def.Name, oldText, newText)
		default:
			c.Message = fmt.Sprintf("%s: %s, không đổi về số lượng nhưng danh sách hồ sơ đã thay đổi", def.Name, oldText)
		}
		v.Changes = append(v.Changes, c)
	}
	v.OK = v.Intact && len(v.Changes) == 0
	return v, nil
}

// figureText shows a figure in a message; a percentage with its fraction,
// since a rounded percentage can hide a change.
func figureText(def Def, v float64, num, den int64) string {
	if !def.Percent {
		return FormatValue(def, v)
	}
	if den == 0 {
		return "— (0/0)"
	}
	return FormatValue(def, v) + " (" + vntext.FormatInt(num) + "/" + vntext.FormatInt(den) + ")"
}

// recordsHash is the hex SHA-256 of the records behind a figure: for each
// side (numerator, then for a percentage the denominator) the side's name
// and its record ids in ascending order, one per line. Ids, not contents:
// the hash says whether the same people, employers and unions stand
// behind the figure, not whether a name was corrected.
func (e *Engine) recordsHash(ctx context.Context, def Def, unitCode string, d, from congdoan.Date) (string, error) {
	h := sha256.New()
	sides := []string{SideNumerator}
	if def.Percent {
		sides = append(sides, SideDenominator)
	}
	for _, side := range sides {
		ids, err := e.recordIDs(ctx, def.Code, unitCode, d, from, side)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\n", side)
		for _, id := range ids {
			fmt.Fprintf(h, "%d\n", id)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// recordIDs returns the sorted ids of every record behind one side of a
// figure: the same definition as the list a reader opens from the figure,
// in one query.
func (e *Engine) recordIDs(ctx context.Context, code, unitCode string, d, from congdoan.Date, side string) ([]int64, error) {
	return e.RecordIDs(ctx, code, unitCode, d, from, side)
}

// frozenHash is the overall hash of an approved report: the hex SHA-256 of
// a canonical text — a version line, then id, unit, period, from, as_of,
// approved_by and approved_at (RFC 3339, UTC), then one line per figure
// "fig=indicator|value|numerator|denominator|records_hash" and per child
// figure "child=code|indicator|value|numerator|denominator", values in
// Go's shortest float form. Written out rather than JSON so that anyone
// can recompute it from the stored row.
func (r *Report) frozenHash() string {
	h := sha256.New()
	line := func(h hash.Hash, k, v string) { fmt.Fprintf(h, "%s=%s\n", k, v) }
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	line(h, "congdoan-report", "1")
	line(h, "id", strconv.FormatInt(r.ID, 10))
	line(h, "unit", r.UnitCode)
	line(h, "period", r.Period)
	line(h, "from", r.From.String())
	line(h, "as_of", r.AsOf.String())
	line(h, "approved_by", r.ApprovedBy)
	line(h, "approved_at", r.ApprovedAt.UTC().Format(time.RFC3339))
	for _, f := range r.Figures {
		line(h, "fig", strings.Join([]string{f.Indicator, num(f.Value), strconv.FormatInt(f.Numerator, 10), strconv.FormatInt(f.Denominator, 10), f.RecordsHash}, "|"))
	}
	for _, c := range r.Children {
		for _, f := range c.Figures {
			line(h, "child", strings.Join([]string{c.Code, f.Indicator, num(f.Value), strconv.FormatInt(f.Numerator, 10), strconv.FormatInt(f.Denominator, 10)}, "|"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// summary is the figures as indicator → [numerator, denominator], for the
// audit log: enough to see what was submitted and what was frozen.
func (r *Report) summary() map[string][2]int64 {
	out := map[string][2]int64{}
	for _, f := range r.Figures {
		out[f.Indicator] = [2]int64{f.Numerator, f.Denominator}
	}
	return out
}

func (r *Report) valuesJSON() (string, error) {
	b, err := json.Marshal(reportValues{UnitName: r.UnitName, From: r.From.String(), ComputedAt: r.ComputedAt, Figures: r.Figures, Children: r.Children})
	return string(b), err
}

const reportCols = `r.id, r.unit_id, u.code, r.period, r.as_of, r.status, r.values_json, r.hash, r.created_by, r.created_at,
	r.submitted_by, r.submitted_at, r.approved_by, r.approved_at`

func scanReport(sc interface{ Scan(...any) error }) (*Report, error) {
	r := &Report{}
	var asOf, vals, created string
	var submitted, approved sql.NullString
	if err := sc.Scan(&r.ID, &r.UnitID, &r.UnitCode, &r.Period, &asOf, &r.Status, &vals, &r.Hash, &r.CreatedBy, &created,
		&r.SubmittedBy, &submitted, &r.ApprovedBy, &approved); err != nil {
		return nil, err
	}
	p, err := ParsePeriod(r.Period)
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

// FindReport returns a report the caller may see (its unit is in the
// caller's scope); ENOTFOUND otherwise, as for an id that does not exist.
func (e *Engine) FindReport(ctx context.Context, id int64) (*Report, error) {
	if _, err := actor(ctx, false, ""); err != nil {
		return nil, err
	}
	notFound := congdoan.Errorf(congdoan.ENOTFOUND, "Không có báo cáo số %d trong phạm vi bạn quản lý.", id)
	r, err := scanReport(e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT `+reportCols+` FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	if _, err := e.db.FindUnitByCode(ctx, r.UnitCode); congdoan.ErrorCode(err) == congdoan.ENOTFOUND {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	return r, nil
}

// FindReports lists, newest first, the reports of a unit and of every unit
// under it today — so a parent sees what its children submitted. The
// caller must see the unit; unitCode "" means the caller's own unit (an
// administrator without a unit: every report).
func (e *Engine) FindReports(ctx context.Context, unitCode string) ([]*Report, error) {
	u, err := actor(ctx, false, "")
	if err != nil {
		return nil, err
	}
	where, args := "1=1", []any(nil)
	var root int64
	switch {
	case unitCode != "":
		unit, err := e.db.FindUnitByCode(ctx, unitCode)
		if err != nil {
			return nil, err
		}
		root = unit.ID
	case u.Role == congdoan.RoleAdmin && u.UnitID == 0:
	case u.UnitID == 0:
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Tài khoản %s chưa được gán đơn vị; liên hệ quản trị viên.", u.Username)
	default:
		root = u.UnitID
	}
	if root != 0 {
		where, args = `r.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)`, []any{root}
	}
	rows, err := e.q(ctx, `SELECT `+reportCols+` FROM reports r JOIN units u ON u.id = r.unit_id WHERE `+where+` ORDER BY r.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
