package indicator_test

import (
	"context"
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestReportWorkflow drives a district's half-year report through create,
// submit, approve (by the province, not by the district itself) and
// verify, then changes the registry behind it twice: once so that the
// member count drops, once so that the count stays but the people differ.
func TestReportWorkflow(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		bg := context.Background()
		if err := db.BackfillSnapshots(bg); err != nil {
			t.Fatal(err)
		}
		demotest.LoadPlans(t, db)
		_, eng := indicator.Services(db)
		e := indicator.NewReports(eng, db)
		huyen, tinh := f.Ctx(storetest.District), f.Ctx(storetest.Province)
		h1, err := congdoan.ParseReportPeriod("2026-H1")
		if err != nil {
			t.Fatal(err)
		}
		wantCode := func(name string, err error, code string) {
			t.Helper()
			if got := congdoan.ErrorCode(err); got != code {
				t.Errorf("%s: %v (%s), want %s", name, err, got, code)
			}
		}

		r, err := e.CreateReport(huyen, storetest.District58, h1)
		if err != nil {
			t.Fatal(err)
		}
		members, _ := r.Figure(congdoan.IndicatorMembers)
		if r.ID == 0 || r.Status != congdoan.ReportDraft || r.AsOf != congdoan.NewDate(2026, 6, 30) || members.Numerator != 5 || len(r.Children) != 2 || r.CreatedBy != storetest.District {
			t.Fatalf("draft: %+v, members %+v", r, members)
		}

		// Bad input and the wrong people.
		_, err = congdoan.ParseReportPeriod("2026-H3")
		wantCode("period that does not parse", err, congdoan.EINVALID)
		y2027, _ := congdoan.ParseReportPeriod("2027")
		_, err = e.CreateReport(huyen, storetest.District58, y2027)
		wantCode("period not started", err, congdoan.EINVALID)
		_, err = e.CreateReport(f.Ctx(storetest.Monitor), storetest.District58, h1)
		wantCode("monitor creates", err, congdoan.EFORBIDDEN)
		_, err = e.CreateReport(f.Ctx(storetest.UnionA), storetest.District58, h1)
		wantCode("create outside scope", err, congdoan.ENOTFOUND)
		_, err = e.ApproveReport(tinh, r.ID)
		wantCode("approve a draft", err, congdoan.ECONFLICT)
		_, err = e.VerifyReport(tinh, r.ID)
		wantCode("verify a draft", err, congdoan.ECONFLICT)
		_, err = e.SubmitReport(f.Ctx(storetest.Monitor), r.ID)
		wantCode("monitor submits", err, congdoan.EFORBIDDEN)
		_, err = e.SubmitReport(f.Ctx(storetest.UnionA), r.ID)
		wantCode("submit outside scope", err, congdoan.ENOTFOUND)
		_, err = e.FindReport(tinh, r.ID+1000)
		wantCode("unknown id", err, congdoan.ENOTFOUND)
		_, err = e.FindReport(f.Ctx(storetest.UnionC), r.ID)
		wantCode("find outside scope", err, congdoan.ENOTFOUND)

		if r, err = e.SubmitReport(huyen, r.ID); err != nil || r.Status != congdoan.ReportSubmitted || r.SubmittedBy != storetest.District {
			t.Fatalf("submit: %+v %v", r, err)
		}
		_, err = e.SubmitReport(huyen, r.ID)
		wantCode("submit twice", err, congdoan.ECONFLICT)
		_, err = e.ApproveReport(huyen, r.ID)
		wantCode("approve own report", err, congdoan.EFORBIDDEN)
		if msg := congdoan.ErrorMessage(err); !strings.Contains(msg, "Liên đoàn Lao động thành phố Bắc Kạn") {
			t.Errorf("approve own report: the message should name the unit: %q", msg)
		}
		if _, err := e.ApproveReport(f.Ctx(storetest.UnionA), r.ID); congdoan.ErrorCode(err) != congdoan.ENOTFOUND && congdoan.ErrorCode(err) != congdoan.EFORBIDDEN {
			t.Errorf("approve by a union below: %v", err)
		}
		_, err = e.ApproveReport(f.Ctx(storetest.Monitor), r.ID)
		wantCode("monitor approves", err, congdoan.EFORBIDDEN)

		a, err := e.ApproveReport(tinh, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != congdoan.ReportApproved || len(a.Hash) != 64 || a.ApprovedBy != storetest.Province || a.ApprovedAt.IsZero() {
			t.Fatalf("approved: %+v", a)
		}
		for _, fig := range a.Figures {
			if len(fig.RecordsHash) != 64 {
				t.Errorf("%s: records hash %q", fig.Indicator, fig.RecordsHash)
			}
		}
		_, err = e.ApproveReport(tinh, r.ID)
		wantCode("approve twice", err, congdoan.ECONFLICT)
		_, err = e.SubmitReport(huyen, r.ID)
		wantCode("submit an approved report", err, congdoan.ECONFLICT)

		// The stored report reads back as frozen.
		got, err := e.FindReport(huyen, r.ID)
		if err != nil || got.Hash != a.Hash || !got.ApprovedAt.Equal(a.ApprovedAt) || got.AsOf != a.AsOf || len(got.Figures) != len(a.Figures) {
			t.Fatalf("read back: %+v %v", got, err)
		}
		list, err := e.FindReports(tinh, congdoan.ReportFilter{})
		if err != nil || len(list) != 1 || list[0].ID != r.ID {
			t.Errorf("province lists: %v %v", list, err)
		}
		if list, err := e.FindReports(f.Ctx(storetest.UnionA), congdoan.ReportFilter{}); err != nil || len(list) != 0 {
			t.Errorf("union lists its district's report: %v %v", list, err)
		}
		events, _, err := db.FindAuditEvents(f.Ctx(storetest.Admin), congdoan.AuditFilter{Entity: "report"})
		if err != nil || len(events) != 3 {
			t.Errorf("audit: %d events, %v", len(events), err)
		}

		verify := func(who context.Context, id int64) *congdoan.ReportVerification {
			t.Helper()
			v, err := e.VerifyReport(who, id)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if v := verify(tinh, r.ID); !v.OK || !v.Intact || len(v.Changes) != 0 {
			t.Fatalf("verify right after approval: %+v", v)
		}
		if v := verify(f.Ctx(storetest.Monitor), r.ID); !v.OK {
			t.Errorf("monitor verifies: %+v", v)
		}

		// Inside the period the approval locked, nothing is written.
		_, err = db.LeaveMember(huyen, f.MemberIDs["Nguyễn Văn An"], congdoan.LeaveInput{Reason: congdoan.EndLeft, On: congdoan.NewDate(2026, 3, 1)})
		wantCode("a leave inside the approved period", err, congdoan.ECONFLICT)
		// An of CDCS-A left on 1/12/2025: before the period, but not
		// without effect on its members on the report's date.
		if _, err := db.LeaveMember(huyen, f.MemberIDs["Nguyễn Văn An"], congdoan.LeaveInput{Reason: congdoan.EndLeft, On: congdoan.NewDate(2025, 12, 1)}); err != nil {
			t.Fatal(err)
		}
		v := verify(tinh, r.ID)
		c := change(v, congdoan.IndicatorMembers)
		if v.OK || c == nil || c.OldValue != 5 || c.NewValue != 4 || c.OldNumerator != 5 || c.NewNumerator != 4 || !c.RecordsChanged ||
			c.Message != "Số đoàn viên công đoàn: 5 → 4 (danh sách hồ sơ đã thay đổi)" {
			t.Fatalf("after a member left: %+v, members change %+v", v, c)
		}
		if change(v, congdoan.IndicatorMembersLeft) != nil {
			t.Errorf("members_left counts the period's leaves only: %+v", v.Changes)
		}
		if stored, _ := e.FindReport(tinh, r.ID); stored.Figures[0].Numerator != 5 {
			t.Errorf("the frozen figure moved: %+v", stored.Figures[0])
		}

		// Same count, other people: a second report, then Hoa of CDCS-B
		// leaves and a new member joins CDCS-A, both before its period.
		q2, err := congdoan.ParseReportPeriod("2026-Q2") // one report per unit and period: H1 has one
		if err != nil {
			t.Fatal(err)
		}
		r2, err := e.CreateReport(huyen, storetest.District58, q2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.SubmitReport(huyen, r2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ApproveReport(f.Ctx(storetest.Admin), r2.ID); err != nil {
			t.Fatal(err)
		}
		if v := verify(huyen, r2.ID); !v.OK {
			t.Fatalf("second report right after approval: %+v", v)
		}
		if _, err := db.LeaveMember(huyen, f.MemberIDs["Nông Thị Hoa"], congdoan.LeaveInput{Reason: congdoan.EndLeft, On: congdoan.NewDate(2025, 12, 15)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateMember(huyen, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1991, 900), FullName: "Hà Văn Giang", Gender: congdoan.GenderMale,
			BirthDate: congdoan.NewDate(1991, 5, 2), Ethnicity: "Tày", Phone: "0912345699", Job: "Công nhân", UnitCode: storetest.UnitCodeA,
			JoinedOn: congdoan.NewDate(2025, 12, 15)}); err != nil {
			t.Fatal(err)
		}
		v = verify(huyen, r2.ID)
		c = change(v, congdoan.IndicatorMembers)
		if v.OK || c == nil || c.OldValue != c.NewValue || c.OldValue != 4 || !c.RecordsChanged || !strings.Contains(c.Message, "danh sách hồ sơ đã thay đổi") {
			t.Fatalf("after a swap: %+v, members change %+v", v, c)
		}
		t.Log(c.Message)

		// Editing a frozen row behind the application's back is caught.
		if _, err := storetest.Raw(t, db).ExecContext(bg, db.Rebind(`UPDATE reports SET approved_by = ? WHERE id = ?`), "nguoi-khac", r2.ID); err != nil {
			t.Fatal(err)
		}
		if v := verify(huyen, r2.ID); v.Intact || v.OK {
			t.Errorf("tampered row: %+v", v)
		}

		// The approver is the parent on the report's date: after CDCS-B
		// moves to Na Rì, Na Rì's officer sees the union but may not
		// approve its report of the first half-year, when Bắc Kạn city was
		// its parent; the province may.
		if _, err := db.CreateUser(f.Ctx(storetest.Admin), congdoan.UserInput{Username: "huyen.nari", FullName: "Cán bộ Na Rì",
			Role: congdoan.RoleUpperOfficer, UnitCode: storetest.District66, Password: storetest.Password}); err != nil {
			t.Fatal(err)
		}
		r3, err := e.CreateReport(f.Ctx(storetest.Admin), storetest.UnitCodeB, h1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.SubmitReport(f.Ctx(storetest.Admin), r3.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.MoveUnit(tinh, storetest.UnitCodeB, storetest.District66, congdoan.NewDate(2026, 8, 1), ""); err != nil {
			t.Fatal(err)
		}
		nari, err := db.Authenticate(bg, "huyen.nari", storetest.Password)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.ApproveReport(congdoan.NewContextWithUser(bg, nari), r3.ID)
		wantCode("approve by today's parent", err, congdoan.EFORBIDDEN)
		if msg := congdoan.ErrorMessage(err); !strings.Contains(msg, "Liên đoàn Lao động thành phố Bắc Kạn") {
			t.Errorf("the refusal should name the parent on the report's date: %q", msg)
		}
		if _, err := e.ApproveReport(tinh, r3.ID); err != nil {
			t.Errorf("province approves: %v", err)
		}
	})
}

func change(v *congdoan.ReportVerification, code congdoan.IndicatorCode) *congdoan.ReportChange {
	for i := range v.Changes {
		if v.Changes[i].Indicator == code {
			return &v.Changes[i]
		}
	}
	return nil
}
