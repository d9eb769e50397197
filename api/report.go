package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/report"
)

// The report workflow (shared DESIGN.md §3 "Report"): a unit draws its
// report up for a period and submits it; its parent approves it (which
// freezes the figures and locks the period) or returns it with a comment;
// the unit may withdraw it before approval; the parent may reopen an
// approved report with a reason. The store decides who may do what.

// reportCreate is the body of POST /api/v1/reports.
type reportCreate struct {
	UnitCode string `json:"unit_code"`
	Period   string `json:"period"`
}

// reasonBody is the body of the return and reopen steps.
type reasonBody struct {
	Reason string `json:"reason"`
}

func (h *Handler) createReport(w http.ResponseWriter, r *http.Request) error {
	var in reportCreate
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.UnitCode) == "" {
		return congdoan.FieldError("unit_code", "Cần mã đơn vị lập báo cáo (unit_code).")
	}
	p, err := congdoan.ParseReportPeriod(in.Period)
	if err != nil {
		return err
	}
	rep, err := h.svc.Reports.CreateReport(r.Context(), in.UnitCode, p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", reportURL(rep.ID))
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

func reportURL(id int64) string { return "/api/v1/reports/" + strconv.FormatInt(id, 10) }

func (h *Handler) listReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := congdoan.ReportFilter{Unit: strings.TrimSpace(q.Get("unit")), Status: congdoan.ReportStatus(strings.TrimSpace(q.Get("status")))}
	if f.Unit == "" {
		var err error
		if f.Unit, err = h.unitParam(r); err != nil {
			return err
		}
	}
	reports, err := h.svc.Reports.FindReports(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[*congdoan.Report]{Items: nonNil(reports)})
	return nil
}

func (h *Handler) getReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := h.svc.Reports.FindReport(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// reportStep answers a workflow step that takes no body.
func (h *Handler) reportStep(w http.ResponseWriter, r *http.Request, step func(ctx context.Context, id int64) (*congdoan.Report, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := step(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// reasonStep answers a workflow step whose body carries a reason.
func (h *Handler) reasonStep(w http.ResponseWriter, r *http.Request, step func(ctx context.Context, id int64, reason string) (*congdoan.Report, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in reasonBody
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rep, err := step(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) error {
	return h.reportStep(w, r, h.svc.Reports.SubmitReport)
}

func (h *Handler) approveReport(w http.ResponseWriter, r *http.Request) error {
	return h.reportStep(w, r, h.svc.Reports.ApproveReport)
}

func (h *Handler) withdrawReport(w http.ResponseWriter, r *http.Request) error {
	return h.reportStep(w, r, h.svc.Reports.WithdrawReport)
}

func (h *Handler) returnReport(w http.ResponseWriter, r *http.Request) error {
	return h.reasonStep(w, r, h.svc.Reports.ReturnReport)
}

func (h *Handler) reopenReport(w http.ResponseWriter, r *http.Request) error {
	return h.reasonStep(w, r, h.svc.Reports.ReopenReport)
}

func (h *Handler) deleteReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Reports.DeleteReport(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// figureState is a figure as frozen or as it stands now.
type figureState struct {
	Value       float64 `json:"value"`
	Numerator   int64   `json:"numerator"`
	Denominator int64   `json:"denominator"`
}

// verifyChange is one figure that moved since the approval.
type verifyChange struct {
	Indicator      congdoan.IndicatorCode `json:"indicator"`
	Frozen         figureState            `json:"frozen"`
	Now            figureState            `json:"now"`
	RecordsChanged bool                   `json:"records_changed"`
	Message        string                 `json:"message"`
}

// verifyBody is GET /api/v1/reports/{id}/verify: ok when the stored row
// still matches its hash and no figure (nor the records behind it) moved.
type verifyBody struct {
	OK      bool           `json:"ok"`
	Intact  bool           `json:"intact"`
	Hash    string         `json:"hash"`
	Changes []verifyChange `json:"changes"`
}

func (h *Handler) verifyReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := h.svc.Reports.VerifyReport(r.Context(), id)
	if err != nil {
		return err
	}
	body := verifyBody{OK: v.OK, Intact: v.Intact, Hash: v.Hash, Changes: []verifyChange{}}
	for _, c := range v.Changes {
		body.Changes = append(body.Changes, verifyChange{Indicator: c.Indicator, RecordsChanged: c.RecordsChanged, Message: c.Message,
			Frozen: figureState{c.OldValue, c.OldNumerator, c.OldDenominator}, Now: figureState{c.NewValue, c.NewNumerator, c.NewDenominator}})
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// downloadFormats are the report's documents.
var downloadFormats = map[string]struct {
	write func(*bytes.Buffer, *report.Report) error
	ctype string
}{
	"pdf":  {func(b *bytes.Buffer, d *report.Report) error { return report.WritePDF(b, d) }, "application/pdf"},
	"xlsx": {func(b *bytes.Buffer, d *report.Report) error { return report.WriteXLSX(b, d) }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// downloadReport prints the stored report (never recomputed) as PDF or
// XLSX, the same document as the web page's and `congdoan report render`.
func (h *Handler) downloadReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	format := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("format")))
	f, ok := downloadFormats[format]
	if !ok {
		return congdoan.FieldError("format", "Định dạng \""+format+"\" không hỗ trợ: format=pdf hoặc format=xlsx.")
	}
	rep, err := h.svc.Reports.FindReport(r.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.write(&buf, report.FromReport(rep, "")); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ctype)
	hd.Set("Content-Disposition", `attachment; filename="`+report.FileName(rep)+"."+format+`"`)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}
