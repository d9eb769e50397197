package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/internal/httpx"
	"congdoan/report"
	"congdoan/vntext"
)

// Plan reports (DESIGN.md §3 "Report"): a unit draws up its indicator
// report for a period, submits it, and its parent approves it, which
// freezes the figures. The pages only show and route: the engine decides
// who may see, create, submit, approve and verify, with the user in the
// context, so a report outside the user's scope is the same 404 as one
// that does not exist.

// reportRow is a line of the report list.
type reportRow struct {
	*congdoan.Report
	StatusLabel string
}

// reportListView is the list of a unit's reports and the form that draws
// up a new one.
type reportListView struct {
	Page
	Unit, UnitName string
	Reports        []reportRow
	CanCreate      bool
	Period         string         // as typed in the form
	Periods        []periodOption // what the field offers
}

// periodOption is a report period the form offers: its code and its name.
type periodOption struct{ Code, Label string }

// reportPeriods are the periods of this year and the last that have
// begun: the year, the statistical periods (31/5, 30/11), the halves and
// the quarters, newest first.
func reportPeriods(today congdoan.Date, lang string) []periodOption {
	var out []periodOption
	for y := today.Year(); y >= today.Year()-1; y-- {
		for _, suffix := range []string{"", "-S2", "-H2", "-S1", "-H1", "-Q4", "-Q3", "-Q2", "-Q1"} {
			p, err := congdoan.ParseReportPeriod(strconv.Itoa(y) + suffix)
			if err != nil || today.Before(p.From) {
				continue
			}
			out = append(out, periodOption{p.Code, p.LabelIn(lang)})
		}
	}
	return out
}

// reportUnit returns ?unit= (or the posted unit), else the user's top
// unit, as the dashboard does.
func (h *Handler) reportUnit(r *http.Request, typed string) (string, error) {
	if typed != "" {
		return typed, nil
	}
	unit, _, err := h.dashboardUnit(r)
	return unit, err
}

// reportList is GET /reports?unit=CODE: the reports of the unit and of
// every unit under it, newest first.
func (h *Handler) reportList(w http.ResponseWriter, r *http.Request) {
	unit, err := h.reportUnit(r, strings.TrimSpace(r.URL.Query().Get("unit")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.newReportListView(w, r, unit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "reports.html", v)
}

// newReportListView loads the list of unit's reports; a unit outside the
// scope is the engine's ENOTFOUND.
func (h *Handler) newReportListView(w http.ResponseWriter, r *http.Request, unit string) (*reportListView, error) {
	ctx := r.Context()
	list, err := h.svc.Reports.FindReports(ctx, congdoan.ReportFilter{Unit: unit})
	if err != nil {
		return nil, err
	}
	v := &reportListView{Page: h.page(w, r, "reports.title", "reports"), Unit: unit,
		CanCreate: userOf(ctx).CanRecordAgreements()} // the same rule: every role but the monitor writes
	v.UnitName = h.unitName(ctx, unit)
	v.Title = v.UnitName + " · " + tr(v.Lang, "reports.title")
	v.Periods = reportPeriods(h.today(), v.Lang)
	for _, rep := range list {
		v.Reports = append(v.Reports, reportRow{Report: rep, StatusLabel: reportStatusLabel(v.Lang, rep.Status)})
	}
	v.linkable = h.unitCodes(ctx)
	return v, nil
}

// reportCreate is POST /reports (unit, period): draws up a draft and goes
// to its page. A period the engine refuses goes back to the list with the
// message next to the field.
func (h *Handler) reportCreate(w http.ResponseWriter, r *http.Request) {
	// Refused before reading the form, like the other writes: a monitor
	// never sees this form, so a malformed one still earns the 403.
	if !userOf(r.Context()).CanRecordAgreements() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	unit, err := h.reportUnit(r, formValue(r, "unit"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	period := formValue(r, "period")
	p, err := congdoan.ParseReportPeriod(period)
	var rep *congdoan.Report
	if err == nil {
		rep, err = h.svc.Reports.CreateReport(r.Context(), unit, p)
	}
	if err == nil {
		h.redirect(w, r, reportPath(rep.ID, ""), "flash.report_created")
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err) // a unit outside the scope is the 404
		return
	}
	v, lerr := h.newReportListView(w, r, unit)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	v.Error, v.Errors, v.Period = msg, fields, period
	h.render(w, r, httpx.Status(err), "reports.html", v)
}

// reportPath is the path of a report's page, or of one of its actions.
func reportPath(id int64, suffix string) string {
	return "/reports/" + strconv.FormatInt(id, 10) + suffix
}

// periodLabel names a report period ("2025-Q3") in lang; a code that does
// not parse shows as itself.
func periodLabel(lang, code string) string {
	p, err := congdoan.ParseReportPeriod(code)
	if err != nil {
		return code
	}
	return p.LabelIn(lang)
}

// reportStatusLabel names a report status in lang.
func reportStatusLabel(lang string, status congdoan.ReportStatus) string { return status.Label(lang) }

// figureRow is a figure of a report as the page shows it.
type figureRow struct {
	Name, Value, Num, Den, Target, StatusLabel string
	Status                                     congdoan.ForecastStatus
	Percent                                    bool
}

// childFigures is a child unit's line of the report.
type childFigures struct {
	Code, Name string
	Cells      []string
}

// verifyView is the result of "Kiểm tra lại" on the page.
type verifyView struct {
	OK, Intact bool
	Changes    []string
}

// reportView is a report's page.
type reportView struct {
	Page
	Report      *congdoan.Report
	StatusLabel string
	Figures     []figureRow
	Columns     []string
	Children    []childFigures
	CanSubmit   bool
	CanWithdraw bool
	CanApprove  bool // and return: the approver's two answers
	CanReopen   bool
	CanDelete   bool
	CanVerify   bool
	Verify      *verifyView
}

// newReportView lays a report out for its page. The figures are the
// stored ones, never recomputed: what the page shows is what was
// submitted or frozen.
func (h *Handler) newReportView(w http.ResponseWriter, r *http.Request, rep *congdoan.Report) *reportView {
	u := userOf(r.Context())
	writer := u.CanRecordAgreements()
	// The buttons follow the store's rules, so that no one is offered what
	// will be refused: a unit never approves, returns or reopens its own
	// report, and whoever drew it up or sent it never approves it. The
	// store decides whether this user is above the unit.
	own := u.UnitID != 0 && u.UnitID == rep.UnitID
	approver := writer && !own && u.Username != rep.CreatedBy && u.Username != rep.SubmittedBy
	v := &reportView{Page: h.page(w, r, "", "reports"), Report: rep,
		CanSubmit:   writer && (rep.Status == congdoan.ReportDraft || rep.Status == congdoan.ReportReturned || rep.Status == congdoan.ReportReopened),
		CanWithdraw: writer && rep.Status == congdoan.ReportSubmitted && (own || u.Username == rep.SubmittedBy),
		CanApprove:  approver && rep.Status == congdoan.ReportSubmitted,
		CanReopen:   writer && !own && rep.Status == congdoan.ReportApproved,
		CanDelete:   writer && rep.Status == congdoan.ReportDraft,
		CanVerify:   rep.Status == congdoan.ReportApproved}
	v.StatusLabel = reportStatusLabel(v.Lang, rep.Status)
	v.Title = tr(v.Lang, "report.title") + " · " + rep.UnitName + " · " + periodLabel(v.Lang, rep.Period)
	for _, f := range rep.Figures {
		def, ok := congdoan.LookupIndicator(f.Indicator)
		if !ok {
			continue // an indicator retired since the report was stored
		}
		row := figureRow{Name: localDef(v.Lang, def).Name, Value: figureValue(def, f), Num: vntext.FormatInt(f.Numerator), Percent: def.Percent, Status: f.Status}
		if def.Period {
			row.Name += " (" + periodLabel(v.Lang, rep.Period) + ")"
		}
		if def.Percent {
			row.Den = vntext.FormatInt(f.Denominator)
		}
		if t := f.Target; t != nil {
			row.Target = strings.TrimSpace(comparatorSigns[t.Comparator]+" "+def.Format(t.Value)) + " (" + strconv.Itoa(t.Year) + ")"
		}
		switch {
		case f.Forecast != nil && f.Forecast.StatusLabel != "" && v.Lang == "vi":
			row.StatusLabel = f.Forecast.StatusLabel
		case f.Status != "":
			row.StatusLabel = tr(v.Lang, "dash.status."+string(f.Status))
		}
		v.Figures = append(v.Figures, row)
	}
	// The same columns as the printed report's by-unit table.
	var cols []congdoan.IndicatorDef
	for _, code := range congdoan.StateIndicators {
		def, _ := congdoan.LookupIndicator(code)
		cols = append(cols, def)
		v.Columns = append(v.Columns, localDef(v.Lang, def).Name)
	}
	for _, k := range rep.Children {
		c := childFigures{Code: k.Code, Name: k.Name}
		for _, def := range cols {
			cell := "—" // no figure stored: not to be read as 0
			for _, f := range k.Figures {
				if f.Indicator == def.Code {
					cell = figureValue(def, f)
				}
			}
			c.Cells = append(c.Cells, cell)
		}
		v.Children = append(v.Children, c)
	}
	v.linkable = h.unitCodes(r.Context())
	return v
}

// figureValue formats a stored figure Vietnamese style; a percentage
// without a denominator does not exist and shows "—", not 0 %.
func figureValue(def congdoan.IndicatorDef, f congdoan.ReportFigure) string {
	if def.Percent && f.Denominator == 0 {
		return "—"
	}
	return def.Format(f.Value)
}

// loadReport returns the report of the path's id, if the user may see it.
func (h *Handler) loadReport(r *http.Request) (*congdoan.Report, error) {
	id, ok := pathID(r)
	if !ok {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy báo cáo.")
	}
	return h.svc.Reports.FindReport(r.Context(), id)
}

// reportPage is GET /reports/{id}.
func (h *Handler) reportPage(w http.ResponseWriter, r *http.Request) {
	rep, err := h.loadReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "report.html", h.newReportView(w, r, rep))
}

// reportSubmit is POST /reports/{id}/submit.
func (h *Handler) reportSubmit(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, h.svc.Reports.SubmitReport, "flash.report_submitted")
}

// reportApprove is POST /reports/{id}/approve. Who may approve is the
// engine's rule (the parent on the report's date), so the button shows
// for every writer and a refusal comes back on the page.
func (h *Handler) reportApprove(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, h.svc.Reports.ApproveReport, "flash.report_approved")
}

// reportWithdraw is POST /reports/{id}/withdraw: the unit takes its
// submitted report back to a draft.
func (h *Handler) reportWithdraw(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, h.svc.Reports.WithdrawReport, "flash.report_withdrawn")
}

// reportReturn is POST /reports/{id}/return with a reason: the approver
// sends the report back to the unit.
func (h *Handler) reportReturn(w http.ResponseWriter, r *http.Request) {
	h.reportWithReason(w, r, h.svc.Reports.ReturnReport, "flash.report_returned")
}

// reportReopen is POST /reports/{id}/reopen with a reason: the approver
// unlocks an approved report's period.
func (h *Handler) reportReopen(w http.ResponseWriter, r *http.Request) {
	h.reportWithReason(w, r, h.svc.Reports.ReopenReport, "flash.report_reopened")
}

func (h *Handler) reportWithReason(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, id int64, reason string) (*congdoan.Report, error), flashKey string) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	reason := formValue(r, "reason")
	h.reportAction(w, r, func(ctx context.Context, id int64) (*congdoan.Report, error) { return act(ctx, id, reason) }, flashKey)
}

// reportDelete is POST /reports/{id}/delete: a draft is deleted, and the
// list of the unit's reports is shown.
func (h *Handler) reportDelete(w http.ResponseWriter, r *http.Request) {
	rep, err := h.loadReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.Reports.DeleteReport(r.Context(), rep.ID); err != nil {
		h.reportRefused(w, r, rep, err)
		return
	}
	h.redirect(w, r, "/reports?unit="+url.QueryEscape(rep.UnitCode), "flash.report_deleted")
}

// reportAction runs a status change and goes back to the report. A
// refusal (wrong status, not the approver, a monitor) is shown on the
// report's page with its status, so the officer sees why next to what.
func (h *Handler) reportAction(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, id int64) (*congdoan.Report, error), flashKey string) {
	rep, err := h.loadReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err = act(r.Context(), rep.ID); err == nil {
		h.redirect(w, r, reportPath(rep.ID, ""), flashKey)
		return
	}
	h.reportRefused(w, r, rep, err)
}

// reportRefused shows the report with a refusal on top; errors a page
// cannot explain (not found, internal) are the error page.
func (h *Handler) reportRefused(w http.ResponseWriter, r *http.Request, rep *congdoan.Report, err error) {
	switch congdoan.ErrorCode(err) {
	case congdoan.ECONFLICT, congdoan.EFORBIDDEN, congdoan.EINVALID:
	default:
		h.fail(w, r, err)
		return
	}
	// Reload: a conflict means someone else moved the report meanwhile.
	if fresh, ferr := h.svc.Reports.FindReport(r.Context(), rep.ID); ferr == nil {
		rep = fresh
	}
	v := h.newReportView(w, r, rep)
	v.Error = congdoan.ErrorMessage(err)
	h.render(w, r, httpx.Status(err), "report.html", v)
}

// reportVerify is POST /reports/{id}/verify: recomputes the frozen figures
// and shows on the report's page what changed since the approval. A POST
// although it writes nothing: it costs a full recomputation, which a
// crawler or a prefetch should not trigger.
func (h *Handler) reportVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := h.loadReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.svc.Reports.VerifyReport(r.Context(), rep.ID)
	if err != nil {
		h.reportRefused(w, r, rep, err)
		return
	}
	v := h.newReportView(w, r, rep)
	v.Verify = &verifyView{OK: res.OK, Intact: res.Intact}
	for _, c := range res.Changes {
		v.Verify.Changes = append(v.Verify.Changes, c.Message)
	}
	h.render(w, r, http.StatusOK, "report.html", v)
}

// reportFormats are the downloads of a report: renderer and content type.
var reportFormats = map[string]struct {
	write func(*bytes.Buffer, *report.Report) error
	ctype string
}{
	"pdf":  {func(b *bytes.Buffer, d *report.Report) error { return report.WritePDF(b, d) }, "application/pdf"},
	"xlsx": {func(b *bytes.Buffer, d *report.Report) error { return report.WriteXLSX(b, d) }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// reportDownload is GET /reports/{id}/download?format=pdf|xlsx: the
// document printed from the stored values (with the approval and hash
// once approved), the same as `congdoan report render`.
func (h *Handler) reportDownload(w http.ResponseWriter, r *http.Request) {
	rep, err := h.loadReport(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("format")))
	f, ok := reportFormats[format]
	if !ok {
		h.fail(w, r, congdoan.FieldError("format", "Định dạng \""+format+"\" không hỗ trợ: chọn pdf hoặc xlsx."))
		return
	}
	doc := report.FromReport(rep, h.reportPlace(r.Context(), rep))
	// Rendered into memory first, so a renderer error is a clean 500
	// rather than half a file.
	var buf bytes.Buffer
	if err := f.write(&buf, doc); err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ctype)
	hd.Set("Content-Disposition", `attachment; filename="`+report.FileName(rep)+"."+format+`"`)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	hd.Set("Cache-Control", "no-store") // figures of a unit: no shared caches
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// reportPlace is the place of a report's date line: the province of the
// unit's address on the report's date, when the unit has one. A Bắc Kạn
// commune's report dated before 1/7/2025 reads "Bắc Kạn, ngày …", from
// then on "Thái Nguyên, ngày …" (geo.Atlas.ProvinceOn); without an
// address the line goes without a place.
func (h *Handler) reportPlace(ctx context.Context, rep *congdoan.Report) string {
	if h.opts.Atlas == nil {
		return ""
	}
	u, err := h.svc.Units.FindUnitByCode(ctx, rep.UnitCode)
	if err != nil || u.CommuneCode == "" {
		return ""
	}
	if p, ok := h.opts.Atlas.ProvinceOn(u.CommuneCode, rep.AsOf.Time()); ok {
		return p.Name
	}
	return ""
}
