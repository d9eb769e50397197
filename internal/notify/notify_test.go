package notify_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/internal/notify"
	"congdoan/store/storetest"
)

// outbox keeps the messages it is given: a channel that sends nowhere.
type outbox struct {
	sent []congdoan.Message
	err  error
}

func (o *outbox) Notify(_ context.Context, m congdoan.Message) error {
	o.sent = append(o.sent, m)
	return o.err
}

func TestNew(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	for _, kind := range []string{"", "log"} {
		n, err := notify.New(kind, log)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Notify(context.Background(), congdoan.Message{UnitCode: "CDCS-A", Subject: "Báo cáo chờ duyệt"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(buf.String(), "subject=\"Báo cáo chờ duyệt\""); got != 2 {
		t.Errorf("log: %d lines with the subject:\n%s", got, buf.String())
	}
	if n, err := notify.New("none", log); err != nil || n.Notify(context.Background(), congdoan.Message{}) != nil {
		t.Errorf("none: %v", err)
	}
	if _, err := notify.New("zalo", log); err == nil || !strings.Contains(err.Error(), "zalo") {
		t.Errorf("zalo: %v", err)
	}
}

// TestReports: the workflow's hand-overs become messages, after the write,
// and a channel's failure is logged without failing the write.
func TestReports(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f := storetest.Seed(t, db)
	demotest.LoadPlans(t, db)
	if err := db.BackfillSnapshots(f.Ctx(storetest.Admin)); err != nil {
		t.Fatal(err)
	}
	svc, _ := indicator.Services(db)
	box := &outbox{}
	var logs bytes.Buffer
	reports := notify.Reports(svc.Reports, box, slog.New(slog.NewTextHandler(&logs, nil)))
	p, _ := congdoan.ParseReportPeriod("2026-H1")
	coso, huyen := f.Ctx(storetest.UnionA), f.Ctx(storetest.District)
	r, err := reports.CreateReport(coso, storetest.UnitCodeA, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reports.SubmitReport(coso, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := reports.ReturnReport(huyen, r.ID, "Thiếu số lao động nữ"); err != nil {
		t.Fatal(err)
	}
	// A refused step sends nothing.
	if _, err := reports.ApproveReport(coso, r.ID); err == nil {
		t.Fatal("the unit approved its own report")
	}
	box.err = errors.New("máy chủ thư không trả lời")
	if _, err := reports.SubmitReport(coso, r.ID); err != nil {
		t.Fatalf("a failing channel failed the write: %v", err)
	}
	if _, err := reports.ApproveReport(huyen, r.ID); err != nil {
		t.Fatal(err)
	}
	link := "/reports/" + strconv.FormatInt(r.ID, 10)
	want := []congdoan.NotificationKind{congdoan.NotifyReportToApprove, congdoan.NotifyReportReturned, congdoan.NotifyReportToApprove, congdoan.NotifyReportApproved}
	if len(box.sent) != len(want) {
		t.Fatalf("%d messages: %+v", len(box.sent), box.sent)
	}
	for i, m := range box.sent {
		if m.Kind != want[i] || m.Link != link || m.UnitCode != storetest.UnitCodeA || m.Subject == "" {
			t.Errorf("message %d: %+v", i, m)
		}
	}
	if !strings.Contains(box.sent[1].Body, "Thiếu số lao động nữ") || box.sent[1].Username != storetest.UnionA {
		t.Errorf("return: %+v", box.sent[1])
	}
	if !strings.Contains(logs.String(), "máy chủ thư không trả lời") {
		t.Errorf("the failure was not logged: %s", logs.String())
	}
}
