package congdoan

import (
	"congdoan/i18n"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ReportStatus is where a report stands in its workflow (shared DESIGN.md
// §3 "Report"): a unit draws a report up and submits it; its parent
// approves it, which freezes its figures and locks its period, or returns
// it with a comment; the unit may withdraw it before approval; the parent
// may reopen an approved report with a reason, which unlocks the period
// until the report is approved again.
type ReportStatus string

// Report statuses.
const (
	ReportDraft     ReportStatus = "draft"     // drawn up, not yet sent (also after a withdrawal)
	ReportSubmitted ReportStatus = "submitted" // waiting for the parent's approval
	ReportReturned  ReportStatus = "returned"  // sent back by the parent with a comment (Reason)
	ReportApproved  ReportStatus = "approved"  // frozen; its period is locked
	ReportReopened  ReportStatus = "reopened"  // approved, then reopened with a reason: to be submitted and approved again
)

// ReportStatuses lists the statuses in workflow order.
var ReportStatuses = []ReportStatus{ReportDraft, ReportSubmitted, ReportReturned, ReportApproved, ReportReopened}

// Valid reports whether s is a known status.
func (s ReportStatus) Valid() bool { return slices.Contains(ReportStatuses, s) }

// Sendable reports whether a report in status s can be submitted.
func (s ReportStatus) Sendable() bool {
	return s == ReportDraft || s == ReportReturned || s == ReportReopened
}

// Label returns the name of a report status in lang.
func (s ReportStatus) Label(lang string) string { return labelOf(lang, "report.status", string(s)) }

// ReportPeriod is a reporting period: a year ("2025"), a half ("2025-H1"),
// a quarter ("2025-Q3") or one of the union's two statistical periods of
// Decision 1454/QĐ-TLĐ, whose data are taken as of 31/5 ("2025-S1": from
// 1/12 of the year before) and 30/11 ("2025-S2": from 1/6), with its first
// and last days and a Vietnamese label.
type ReportPeriod struct {
	Code     string
	From, To Date
	Label    string
}

// ParseReportPeriod reads "2025", "2025-H1", "2025-H2", "2025-Q1" …
// "2025-Q4", "2025-S1" (as of 31/5) and "2025-S2" (as of 30/11).
func ParseReportPeriod(s string) (ReportPeriod, error) {
	bad := FieldError("period", fmt.Sprintf("Kỳ báo cáo %q không hợp lệ: dùng năm (2025), nửa năm (2025-H1, 2025-H2), quý (2025-Q1 … 2025-Q4) hoặc kỳ thống kê (2025-S1: số liệu 31/5, 2025-S2: số liệu 30/11).", s))
	s = strings.ToUpper(strings.TrimSpace(s))
	year, rest, dash := strings.Cut(s, "-")
	if dash && rest == "" {
		return ReportPeriod{}, bad
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 2000 || y > 2100 || len(year) != 4 {
		return ReportPeriod{}, bad
	}
	p := ReportPeriod{Code: s}
	switch {
	case rest == "":
		p.From, p.To = NewDate(y, 1, 1), NewDate(y, 12, 31)
	case rest == "H1" || rest == "H2":
		h := int(rest[1] - '0')
		p.From = NewDate(y, time.Month(1+6*(h-1)), 1)
		p.To = DateOf(p.From.Time().AddDate(0, 6, -1))

	case rest == "S1":
		p.From, p.To = NewDate(y-1, 12, 1), NewDate(y, 5, 31)
	case rest == "S2":
		p.From, p.To = NewDate(y, 6, 1), NewDate(y, 11, 30)
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		q := int(rest[1] - '0')
		p.From = NewDate(y, time.Month(1+3*(q-1)), 1)
		p.To = DateOf(p.From.Time().AddDate(0, 3, -1))

	default:
		return ReportPeriod{}, bad
	}
	p.Label = p.LabelIn("vi")
	return p, nil
}

// LabelIn names the period in lang ("Quý III năm 2025", "Q3 2025") from the
// catalog keys period.year, period.h1, period.h2 and period.q.
func (p ReportPeriod) LabelIn(lang string) string {
	y := p.From.Year()
	switch m := int(p.From.Time().Month()); {
	case p.Code == strconv.Itoa(y):
		return fmt.Sprintf(i18n.T(lang, "period.year"), y)
	case strings.HasSuffix(p.Code, "-S1") || strings.HasSuffix(p.Code, "-S2"):
		return fmt.Sprintf(i18n.T(lang, "period.stat"), p.To.VN())
	case strings.HasSuffix(p.Code, "-H1") || strings.HasSuffix(p.Code, "-H2"):
		return fmt.Sprintf(i18n.T(lang, "period.h"+p.Code[len(p.Code)-1:]), y)
	default:
		return fmt.Sprintf(i18n.T(lang, "period.q"), []string{"I", "II", "III", "IV"}[(m-1)/3], y)
	}
}

// Report is a unit's indicator set for a period as of a date: computed
// (draft), submitted, and approved by the parent unit. An approved report
// is frozen: its figures, the date, a hash of the records behind each
// figure and an overall Hash are stored and never change; VerifyReport
// recomputes them to tell whether the registry changed since.
type Report struct {
	ID          int64          `json:"id"`
	UnitID      int64          `json:"-"`
	UnitCode    string         `json:"unit_code"`
	UnitName    string         `json:"unit_name"` // as at computation: a later rename does not change a frozen report
	Period      string         `json:"period"`    // "2025", "2025-H1", "2025-Q3"
	PeriodLabel string         `json:"period_label"`
	From        Date           `json:"from"`  // period indicators count from here
	AsOf        Date           `json:"as_of"` // min(last day of the period, the day it was drawn up)
	Status      ReportStatus   `json:"status"`
	Figures     []ReportFigure `json:"figures"`            // in IndicatorDefs order
	Children    []ReportChild  `json:"children,omitempty"` // the same figures by child unit on AsOf
	ComputedAt  time.Time      `json:"computed_at"`        // when the figures were computed (at approval for a frozen report)
	Hash        string         `json:"hash,omitempty"`     // set at approval; see FrozenHash
	CreatedBy   string         `json:"created_by"`
	CreatedAt   time.Time      `json:"created_at"`
	SubmittedBy string         `json:"submitted_by,omitempty"`
	SubmittedAt time.Time      `json:"submitted_at,omitzero"`
	ApprovedBy  string         `json:"approved_by,omitempty"`
	ApprovedAt  time.Time      `json:"approved_at,omitzero"`
	// Reason is the comment of the last return or reopening, with who
	// wrote it and when: what the unit must act on.
	Reason   string    `json:"reason,omitempty"`
	ReasonBy string    `json:"reason_by,omitempty"`
	ReasonAt time.Time `json:"reason_at,omitzero"`
}

// ReportFilter selects reports.
type ReportFilter struct {
	Unit   string       // reports of this unit and of every unit under it today; "" = the caller's own unit
	Status ReportStatus // one status; "" = every status
}

// ReportFigure is one indicator of a report as stored. Target and Forecast
// are copies: a target edited later does not change a frozen report.
type ReportFigure struct {
	Indicator   IndicatorCode  `json:"indicator"`
	Value       float64        `json:"value"`
	Numerator   int64          `json:"numerator"`
	Denominator int64          `json:"denominator"`
	Target      *Target        `json:"target,omitempty"`
	Forecast    *Forecast      `json:"forecast,omitempty"`
	Status      ForecastStatus `json:"status,omitempty"`
	// RecordsHash (approved reports) is the hex SHA-256 of the sorted ids
	// of the records behind the numerator and, for a percentage, the
	// denominator.
	RecordsHash string `json:"records_hash,omitempty"`
}

// ReportChild is one child unit's figures in a report (no targets).
type ReportChild struct {
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Figures []ReportFigure `json:"figures"`
}

// Figure returns the report's figure of an indicator.
func (r *Report) Figure(code IndicatorCode) (ReportFigure, bool) {
	for _, f := range r.Figures {
		if f.Indicator == code {
			return f, true
		}
	}
	return ReportFigure{}, false
}

// FrozenHash is the overall hash of an approved report: the hex SHA-256 of
// a canonical text — a version line, then id, unit, period, from, as_of,
// approved_by and approved_at (RFC 3339, UTC), then one line per figure
// "fig=indicator|value|numerator|denominator|records_hash" and per child
// figure "child=code|indicator|value|numerator|denominator", values in
// Go's shortest float form. Written out rather than JSON so that anyone
// can recompute it from the stored row.
func (r *Report) FrozenHash() string {
	h := sha256.New()
	line := func(k, v string) { fmt.Fprintf(h, "%s=%s\n", k, v) }
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	line("congdoan-report", "1")
	line("id", strconv.FormatInt(r.ID, 10))
	line("unit", r.UnitCode)
	line("period", r.Period)
	line("from", r.From.String())
	line("as_of", r.AsOf.String())
	line("approved_by", r.ApprovedBy)
	line("approved_at", r.ApprovedAt.UTC().Format(time.RFC3339))
	for _, f := range r.Figures {
		line("fig", strings.Join([]string{string(f.Indicator), num(f.Value), strconv.FormatInt(f.Numerator, 10), strconv.FormatInt(f.Denominator, 10), f.RecordsHash}, "|"))
	}
	for _, c := range r.Children {
		for _, f := range c.Figures {
			line("child", strings.Join([]string{c.Code, string(f.Indicator), num(f.Value), strconv.FormatInt(f.Numerator, 10), strconv.FormatInt(f.Denominator, 10)}, "|"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Summary is the figures as indicator → [numerator, denominator], for the
// audit log: enough to see what was submitted and what was frozen.
func (r *Report) Summary() map[IndicatorCode][2]int64 {
	out := map[IndicatorCode][2]int64{}
	for _, f := range r.Figures {
		out[f.Indicator] = [2]int64{f.Numerator, f.Denominator}
	}
	return out
}

// ReportVerification is the result of VerifyReport.
type ReportVerification struct {
	ReportID   int64     `json:"report_id"`
	UnitCode   string    `json:"unit"`
	UnitName   string    `json:"unit_name"`
	Period     string    `json:"period_label"`
	AsOf       Date      `json:"as_of"`
	ApprovedAt time.Time `json:"approved_at"`
	ApprovedBy string    `json:"approved_by"`
	Hash       string    `json:"hash"`
	// Intact is false when the stored row no longer matches its own hash:
	// someone edited the frozen values in the database.
	Intact  bool           `json:"intact"`
	OK      bool           `json:"ok"` // intact and no figure changed
	Changes []ReportChange `json:"changes,omitempty"`
}

// ReportChange is one figure that differs from its frozen value or records.
type ReportChange struct {
	Indicator      IndicatorCode `json:"indicator"`
	Name           string        `json:"name"`
	OldValue       float64       `json:"old_value"`
	NewValue       float64       `json:"new_value"`
	OldNumerator   int64         `json:"old_numerator"`
	NewNumerator   int64         `json:"new_numerator"`
	OldDenominator int64         `json:"old_denominator"`
	NewDenominator int64         `json:"new_denominator"`
	RecordsChanged bool          `json:"records_changed"`
	Message        string        `json:"message"` // Vietnamese, e.g. "Số đoàn viên công đoàn: 22.807 → 22.808 (danh sách hồ sơ đã thay đổi)"
}

// ReportService runs the periodic report workflow. A report is in the
// caller's scope when its unit is; outside it, ENOTFOUND as for one that
// does not exist. Monitors read and verify; every write by them is
// EFORBIDDEN.
type ReportService interface {
	// ComputeReport computes the unit's report for the period as of
	// min(last day, today) without storing it (previews, the stateless
	// `congdoan report`).
	ComputeReport(ctx context.Context, unitCode string, p ReportPeriod) (*Report, error)
	// CreateReport computes the report and stores it as a draft.
	CreateReport(ctx context.Context, unitCode string, p ReportPeriod) (*Report, error)
	// FindReport returns a report the caller may see.
	FindReport(ctx context.Context, id int64) (*Report, error)
	// FindReports lists, newest first, the reports of a unit and of every
	// unit under it today; Unit "" is the caller's own unit (an
	// administrator without one: every report).
	FindReports(ctx context.Context, f ReportFilter) ([]*Report, error)
	// SubmitReport sends a draft, a returned or a reopened report up
	// (ECONFLICT otherwise).
	SubmitReport(ctx context.Context, id int64) (*Report, error)
	// WithdrawReport takes a submitted report back to a draft, by the unit
	// before its approval (ECONFLICT otherwise).
	WithdrawReport(ctx context.Context, id int64) (*Report, error)
	// ReturnReport sends a submitted report back to the unit with the
	// approver's comment; who may return it is who may approve it.
	ReturnReport(ctx context.Context, id int64, reason string) (*Report, error)
	// ReopenReport unlocks an approved report's period with a reason; it
	// must then be submitted and approved again. The approver only.
	ReopenReport(ctx context.Context, id int64, reason string) (*Report, error)
	// DeleteReport deletes a draft (ECONFLICT for any other status).
	DeleteReport(ctx context.Context, id int64) error
	// ApproveReport freezes a submitted report: figures recomputed as of
	// its date, the hash of the records behind each, an overall hash.
	// Only the parent unit on the report's date (or above, or an
	// administrator) approves, and never the person who drew the report up
	// or submitted it: EFORBIDDEN otherwise. Approval locks the period.
	ApproveReport(ctx context.Context, id int64) (*Report, error)
	// VerifyReport recomputes an approved report and says what changed
	// since its approval (ECONFLICT unless approved).
	VerifyReport(ctx context.Context, id int64) (*ReportVerification, error)
}
