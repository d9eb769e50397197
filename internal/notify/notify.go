// Package notify carries news of the report workflow outside the product
// (e-mail, SMS, Zalo) through a congdoan.Notifier. The product itself shows
// what awaits a user on its own pages (the header's bell); a Notifier only
// repeats it where people are. The one implementation here writes each
// message to the log, so nothing leaves the server until a real channel is
// configured — and no test ever calls an outside service.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"congdoan"
)

// Log is the default Notifier: each message is a log line (slog, level
// info), nothing is sent.
type Log struct{ Logger *slog.Logger }

// Notify implements congdoan.Notifier.
func (l Log) Notify(ctx context.Context, m congdoan.Message) error {
	l.Logger.InfoContext(ctx, "notify: message (logged, not sent)", "kind", string(m.Kind), "unit", m.UnitCode,
		"user", m.Username, "subject", m.Subject, "body", m.Body, "link", m.Link)
	return nil
}

// None drops every message.
type None struct{}

// Notify implements congdoan.Notifier.
func (None) Notify(context.Context, congdoan.Message) error { return nil }

// Kinds are the values of the notifier setting (CONGDOAN_NOTIFIER).
var Kinds = []string{"log", "none"}

// New returns the notifier named kind: "log" (the default, also for "")
// or "none". E-mail, SMS and Zalo channels are added here as kinds of
// their own, each with its settings; until then naming one is an error,
// so a deployment never believes it sends what it does not.
func New(kind string, log *slog.Logger) (congdoan.Notifier, error) {
	switch kind {
	case "", "log":
		return Log{Logger: log}, nil
	case "none":
		return None{}, nil
	}
	return nil, fmt.Errorf("notifier %q chưa có: dùng log hoặc none", kind)
}

// Reports wraps a ReportService so that each step of the workflow that
// hands a report to someone else tells them: a submission the parent's
// officers, a return, an approval or a reopening the unit's. The message
// goes after the write has succeeded; a Notifier's failure is logged and
// never fails the write.
func Reports(next congdoan.ReportService, n congdoan.Notifier, log *slog.Logger) congdoan.ReportService {
	return &reports{ReportService: next, n: n, log: log}
}

type reports struct {
	congdoan.ReportService
	n   congdoan.Notifier
	log *slog.Logger
}

func (r *reports) send(ctx context.Context, rep *congdoan.Report, m congdoan.Message) {
	m.Link = "/reports/" + strconv.FormatInt(rep.ID, 10)
	if err := r.n.Notify(ctx, m); err != nil {
		r.log.WarnContext(ctx, "notify: message not sent", "kind", string(m.Kind), "report", rep.ID, "err", err)
	}
}

// SubmitReport tells the parent unit's officers a report awaits them.
// The message names the submitting unit; who the parent is, the channel
// resolves from the report (UnitCode is the sender's unit, Kind says the
// parent is meant).
func (r *reports) SubmitReport(ctx context.Context, id int64) (*congdoan.Report, error) {
	rep, err := r.ReportService.SubmitReport(ctx, id)
	if err == nil {
		r.send(ctx, rep, congdoan.Message{Kind: congdoan.NotifyReportToApprove, UnitCode: rep.UnitCode,
			Subject: "Báo cáo chờ duyệt: " + rep.UnitName + ", " + rep.PeriodLabel,
			Body:    rep.UnitName + " đã gửi báo cáo " + rep.PeriodLabel + " để cấp trên duyệt."})
	}
	return rep, err
}

// ReturnReport tells the unit its report came back, with the comment.
func (r *reports) ReturnReport(ctx context.Context, id int64, reason string) (*congdoan.Report, error) {
	rep, err := r.ReportService.ReturnReport(ctx, id, reason)
	if err == nil {
		r.send(ctx, rep, congdoan.Message{Kind: congdoan.NotifyReportReturned, UnitCode: rep.UnitCode, Username: rep.SubmittedBy,
			Subject: "Báo cáo bị trả lại: " + rep.PeriodLabel,
			Body:    "Báo cáo " + rep.PeriodLabel + " của " + rep.UnitName + " bị trả lại để sửa. Lý do: " + rep.Reason})
	}
	return rep, err
}

// ReopenReport tells the unit its approved report was reopened.
func (r *reports) ReopenReport(ctx context.Context, id int64, reason string) (*congdoan.Report, error) {
	rep, err := r.ReportService.ReopenReport(ctx, id, reason)
	if err == nil {
		r.send(ctx, rep, congdoan.Message{Kind: congdoan.NotifyReportReturned, UnitCode: rep.UnitCode,
			Subject: "Báo cáo được mở lại: " + rep.PeriodLabel,
			Body:    "Báo cáo " + rep.PeriodLabel + " của " + rep.UnitName + " đã được mở lại; cần gửi và duyệt lại. Lý do: " + rep.Reason})
	}
	return rep, err
}

// ApproveReport tells the unit its report was approved.
func (r *reports) ApproveReport(ctx context.Context, id int64) (*congdoan.Report, error) {
	rep, err := r.ReportService.ApproveReport(ctx, id)
	if err == nil {
		r.send(ctx, rep, congdoan.Message{Kind: congdoan.NotifyReportApproved, UnitCode: rep.UnitCode, Username: rep.SubmittedBy,
			Subject: "Báo cáo đã được duyệt: " + rep.PeriodLabel,
			Body:    "Báo cáo " + rep.PeriodLabel + " của " + rep.UnitName + " đã được duyệt; số liệu kỳ này đã được chốt."})
	}
	return rep, err
}
