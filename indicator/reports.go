package indicator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// ReportStore keeps the report rows (store.DB implements it): it checks
// who may see and move a report and writes each step with its audit event;
// the figures come from the engine.
type ReportStore interface {
	Clock() time.Time
	UnitInScope(ctx context.Context, code string) (*congdoan.Unit, error)
	InsertReport(ctx context.Context, r *congdoan.Report) error
	FindReport(ctx context.Context, id int64) (*congdoan.Report, error)
	FindReports(ctx context.Context, f congdoan.ReportFilter) ([]*congdoan.Report, error)
	SubmitReport(ctx context.Context, id int64) (*congdoan.Report, error)
	WithdrawReport(ctx context.Context, id int64) (*congdoan.Report, error)
	ReturnReport(ctx context.Context, id int64, reason string) (*congdoan.Report, error)
	ReopenReport(ctx context.Context, id int64, reason string) (*congdoan.Report, error)
	DeleteReport(ctx context.Context, id int64) error
	CheckReportApprover(ctx context.Context, r *congdoan.Report) error
	ApproveReport(ctx context.Context, r *congdoan.Report) error
}

// Reports runs the report workflow (congdoan.ReportService) over the
// engine's figures and the store's rows.
type Reports struct {
	e  *Engine
	st ReportStore
}

// NewReports returns the report service.
func NewReports(e *Engine, st ReportStore) *Reports { return &Reports{e: e, st: st} }

var _ congdoan.ReportService = (*Reports)(nil)

// ComputeReport implements congdoan.ReportService.
func (s *Reports) ComputeReport(ctx context.Context, unitCode string, p congdoan.ReportPeriod) (*congdoan.Report, error) {
	if p.Code == "" {
		return nil, congdoan.FieldError("period", "Cần chọn kỳ báo cáo: năm (2025), nửa năm (2025-H1) hoặc quý (2025-Q3).")
	}
	u, err := s.st.UnitInScope(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	asOf := p.To
	if today := s.e.src.Today(); asOf.After(today) {
		asOf = today
	}
	if p.From.After(asOf) {
		return nil, congdoan.FieldError("period", "Kỳ báo cáo "+p.Label+" chưa bắt đầu.")
	}
	r := &congdoan.Report{UnitID: u.ID, UnitCode: u.Code, UnitName: u.Name, Period: p.Code, PeriodLabel: p.Label, From: p.From, AsOf: asOf}
	if err := s.fill(system(ctx), r); err != nil {
		return nil, err
	}
	return r, nil
}

// fill computes r's figures (with targets and forecasts) and its
// children's, as of r.AsOf with period indicators from r.From.
func (s *Reports) fill(ctx context.Context, r *congdoan.Report) error {
	fig, err := s.e.Overview(ctx, r.UnitCode, r.AsOf, r.From)
	if err != nil {
		return err
	}
	r.Figures = r.Figures[:0]
	for _, def := range congdoan.IndicatorDefs {
		v := fig.Values[def.Code]
		r.Figures = append(r.Figures, congdoan.ReportFigure{Indicator: def.Code, Value: v.Value, Numerator: v.NumeratorN, Denominator: v.DenomN,
			Target: v.Target, Forecast: v.Forecast, Status: v.Status})
	}
	kids, err := s.e.ChildFigures(ctx, r.UnitCode, r.AsOf, r.From)
	if err != nil {
		return err
	}
	r.Children = nil
	for _, k := range kids {
		c := congdoan.ReportChild{Code: k.Unit, Name: k.UnitName}
		for _, def := range congdoan.IndicatorDefs {
			v := k.Values[def.Code]
			c.Figures = append(c.Figures, congdoan.ReportFigure{Indicator: def.Code, Value: v.Value, Numerator: v.NumeratorN, Denominator: v.DenomN})
		}
		r.Children = append(r.Children, c)
	}
	r.ComputedAt = s.st.Clock().UTC().Truncate(time.Second)
	return nil
}

// CreateReport implements congdoan.ReportService.
func (s *Reports) CreateReport(ctx context.Context, unitCode string, p congdoan.ReportPeriod) (*congdoan.Report, error) {
	r, err := s.ComputeReport(ctx, unitCode, p)
	if err != nil {
		return nil, err
	}
	if err := s.st.InsertReport(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// FindReport implements congdoan.ReportService.
func (s *Reports) FindReport(ctx context.Context, id int64) (*congdoan.Report, error) {
	return s.st.FindReport(ctx, id)
}

// FindReports implements congdoan.ReportService.
func (s *Reports) FindReports(ctx context.Context, f congdoan.ReportFilter) ([]*congdoan.Report, error) {
	return s.st.FindReports(ctx, f)
}

// SubmitReport implements congdoan.ReportService.
func (s *Reports) SubmitReport(ctx context.Context, id int64) (*congdoan.Report, error) {
	return s.st.SubmitReport(ctx, id)
}

// WithdrawReport implements congdoan.ReportService.
func (s *Reports) WithdrawReport(ctx context.Context, id int64) (*congdoan.Report, error) {
	return s.st.WithdrawReport(ctx, id)
}

// ReturnReport implements congdoan.ReportService.
func (s *Reports) ReturnReport(ctx context.Context, id int64, reason string) (*congdoan.Report, error) {
	return s.st.ReturnReport(ctx, id, reason)
}

// ReopenReport implements congdoan.ReportService.
func (s *Reports) ReopenReport(ctx context.Context, id int64, reason string) (*congdoan.Report, error) {
	return s.st.ReopenReport(ctx, id, reason)
}

// DeleteReport implements congdoan.ReportService.
func (s *Reports) DeleteReport(ctx context.Context, id int64) error {
	return s.st.DeleteReport(ctx, id)
}

// ApproveReport implements congdoan.ReportService. The figures are
// recomputed outside the write transaction: paging through the records of
// a province takes seconds, and SQLite would hold every other writer for
// that long. A change committed meanwhile is what VerifyReport exists to
// reveal.
func (s *Reports) ApproveReport(ctx context.Context, id int64) (*congdoan.Report, error) {
	r, err := s.st.FindReport(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.st.CheckReportApprover(ctx, r); err != nil {
		return nil, err
	}
	if r.Status != congdoan.ReportSubmitted {
		return nil, congdoan.Errorf(congdoan.ECONFLICT, "Không duyệt được báo cáo số %d (%s, %s): báo cáo đang ở trạng thái \"%s\"; chỉ duyệt được báo cáo đơn vị đã gửi.",
			r.ID, r.UnitName, r.PeriodLabel, r.Status.Label("vi"))
	}
	sys := system(ctx)
	if err := s.fill(sys, r); err != nil {
		return nil, err
	}
	for i := range r.Figures {
		def, _ := congdoan.LookupIndicator(r.Figures[i].Indicator)
		if r.Figures[i].RecordsHash, err = s.recordsHash(sys, def, r.UnitCode, r.AsOf, r.From); err != nil {
			return nil, err
		}
	}
	if err := s.st.ApproveReport(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// VerifyReport implements congdoan.ReportService. Anyone who can see the
// report may verify it.
func (s *Reports) VerifyReport(ctx context.Context, id int64) (*congdoan.ReportVerification, error) {
	r, err := s.st.FindReport(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != congdoan.ReportApproved {
		return nil, congdoan.Errorf(congdoan.ECONFLICT, "Báo cáo số %d chưa được duyệt (%s): chưa có số liệu chốt để đối chiếu.", r.ID, r.Status.Label("vi"))
	}
	v := &congdoan.ReportVerification{ReportID: r.ID, UnitCode: r.UnitCode, UnitName: r.UnitName, Period: r.PeriodLabel, AsOf: r.AsOf,
		ApprovedAt: r.ApprovedAt, ApprovedBy: r.ApprovedBy, Hash: r.Hash, Intact: r.FrozenHash() == r.Hash}
	sys := system(ctx)
	now, err := s.e.Figures(sys, r.UnitCode, r.AsOf, r.From)
	if err != nil {
		return nil, err
	}
	for _, old := range r.Figures {
		def, ok := congdoan.LookupIndicator(old.Indicator)
		if !ok {
			continue // an indicator retired since: nothing to compare it with
		}
		nv := now.Values[def.Code]
		h, err := s.recordsHash(sys, def, r.UnitCode, r.AsOf, r.From)
		if err != nil {
			return nil, err
		}
		valueChanged := nv.NumeratorN != old.Numerator || nv.DenomN != old.Denominator || nv.Value != old.Value
		recordsChanged := h != old.RecordsHash
		if !valueChanged && !recordsChanged {
			continue
		}
		c := congdoan.ReportChange{Indicator: def.Code, Name: def.Name, OldValue: old.Value, NewValue: nv.Value, OldNumerator: old.Numerator, NewNumerator: nv.NumeratorN,
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
func figureText(def congdoan.IndicatorDef, v float64, num, den int64) string {
	if !def.Percent {
		return def.Format(v)
	}
	if den == 0 {
		return "— (0/0)"
	}
	return def.Format(v) + " (" + vntext.FormatInt(num) + "/" + vntext.FormatInt(den) + ")"
}

// recordsHash is the hex SHA-256 of the records behind a figure: for each
// side (numerator, then for a percentage the denominator) the side's name
// and its record ids in ascending order, one per line. Ids, not contents:
// the hash says whether the same people, employers and unions stand
// behind the figure, not whether a name was corrected.
func (s *Reports) recordsHash(ctx context.Context, def congdoan.IndicatorDef, unitCode string, d, from congdoan.Date) (string, error) {
	h := sha256.New()
	sides := []congdoan.FigureSide{congdoan.SideNumerator}
	if def.Percent {
		sides = append(sides, congdoan.SideDenominator)
	}
	for _, side := range sides {
		ids, err := s.e.src.FigureRecordIDs(ctx, congdoan.RecordQuery{Indicator: def.Code, Unit: unitCode, Date: d, From: from, Side: side}, s.e.EmployerMin())
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
