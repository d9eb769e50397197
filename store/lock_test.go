package store_test

import (
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestApprovedPeriodLocked: once the report of Bắc Kạn city's federation
// for the first half of 2026 is approved, every kind of write dated inside
// that half in its subtree is refused with a message naming the report,
// and the report still verifies; the same writes dated after the period,
// or in another district, go through; reopening unlocks the period.
func TestApprovedPeriodLocked(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		demotest.LoadPlans(t, db)
		admin, tinh, huyen := f.Ctx(storetest.Admin), f.Ctx(storetest.Province), f.Ctx(storetest.District)
		if err := db.BackfillSnapshots(admin); err != nil {
			t.Fatal(err)
		}
		svc, _ := indicator.Services(db)
		h1, _ := congdoan.ParseReportPeriod("2026-H1")
		r, err := svc.Reports.CreateReport(huyen, storetest.District58, h1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.SubmitReport(huyen, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.ApproveReport(tinh, r.ID); err != nil {
			t.Fatal(err)
		}
		d := congdoan.NewDate
		inside, after := d(2026, 4, 15), d(2026, 7, 15)
		person := func(n int, on congdoan.Date, unit string) congdoan.MemberInput {
			return congdoan.MemberInput{CCCD: storetest.CCCD(false, 1990, 700+n), FullName: "Lục Văn Mới", Gender: congdoan.GenderMale,
				BirthDate: d(1990, 5, 5), UnitCode: unit, JoinedOn: on}
		}
		employer := func(id int64, workers int, on congdoan.Date) error {
			e, err := db.FindEmployerByID(admin, id)
			if err != nil {
				return err
			}
			_, err = db.UpdateEmployer(huyen, id, congdoan.EmployerInput{TaxCode: e.TaxCode, Name: e.Name, Sector: e.Sector, Industry: e.Industry,
				CommuneCode: e.CommuneCode, Status: e.Status, WorkersTotal: workers, WorkersFemale: e.WorkersFemale, HeadcountAsOf: on, UnitCode: e.UnitCode})
			return err
		}
		agreement := func(unit string, from congdoan.Date) error {
			_, err := db.CreateAgreement(admin, congdoan.AgreementInput{UnitCode: unit, Kind: congdoan.AgreementEnterprise,
				SignedOn: from, ValidFrom: from, ValidTo: d(from.Year()+2, 12, 31)})
			return err
		}
		an, binh := f.MemberIDs["Nguyễn Văn An"], f.MemberIDs["Nguyễn Văn Bình"]
		writes := []struct {
			name  string
			write func(on congdoan.Date) error
		}{
			{"admission", func(on congdoan.Date) error {
				_, err := db.CreateMember(huyen, person(on.Year()*10+int(on.Time().Month()), on, storetest.UnitCodeA))
				return err
			}},
			{"transfer", func(on congdoan.Date) error {
				_, err := db.TransferMember(huyen, an, congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: on})
				return err
			}},
			{"leave", func(on congdoan.Date) error {
				_, err := db.LeaveMember(huyen, binh, congdoan.LeaveInput{Reason: congdoan.EndRetired, On: on})
				return err
			}},
			{"headcount", func(on congdoan.Date) error { return employer(f.Employers["khoangsan"], 130, on) }},
			{"agreement", func(on congdoan.Date) error { return agreement(storetest.UnitCodeB, on) }},
			{"union founded", func(on congdoan.Date) error {
				_, err := db.CreateUnit(huyen, congdoan.UnitInput{Code: "CDCS-MOI-" + on.String(), Name: "Công đoàn cơ sở mới", Kind: congdoan.KindGrassroots,
					ParentCode: storetest.District58, FoundedOn: on})
				return err
			}},
		}
		audits := func() int64 {
			v, err := db.VerifyAudit(admin)
			if err != nil || !v.OK {
				t.Fatalf("audit chain: %+v %v", v, err)
			}
			return v.Events
		}
		n := audits()
		for _, w := range writes {
			err := w.write(inside)
			if code(err) != congdoan.ECONFLICT || !strings.Contains(congdoan.ErrorMessage(err), "báo cáo số") ||
				!strings.Contains(congdoan.ErrorMessage(err), "đã duyệt ngày 24/11/2026") {
				t.Errorf("%s inside the approved period: %v", w.name, err)
			}
		}
		if m := audits(); m != n {
			t.Errorf("refused writes wrote %d audit events", m-n)
		}
		if v, err := svc.Reports.VerifyReport(tinh, r.ID); err != nil || !v.OK {
			t.Errorf("the report after the refusals: %+v %v", v, err)
		}
		// Another district's members are not in the report.
		if _, err := db.CreateMember(tinh, person(1, inside, storetest.UnitCodeC)); err != nil {
			t.Errorf("an admission in Na Rì inside the period: %v", err)
		}
		// After the period, everything goes through.
		for _, w := range writes {
			if err := w.write(after); err != nil {
				t.Errorf("%s after the period: %v", w.name, err)
			}
		}
		// Reopened, the period takes writes again; approved again, it locks.
		if _, err := svc.Reports.ReopenReport(tinh, r.ID, "Đơn vị bổ sung đoàn viên kết nạp tháng 4"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateMember(huyen, person(2, inside, storetest.UnitCodeA)); err != nil {
			t.Errorf("an admission in the reopened period: %v", err)
		}
		if _, err := svc.Reports.SubmitReport(huyen, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.ApproveReport(tinh, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateMember(huyen, person(3, inside, storetest.UnitCodeA)); code(err) != congdoan.ECONFLICT {
			t.Errorf("an admission after the second approval: %v", err)
		}
		if v, err := svc.Reports.VerifyReport(tinh, r.ID); err != nil || !v.OK {
			t.Errorf("the report approved again: %+v %v", v, err)
		}
		if err := db.CheckDerived(admin); err != nil {
			t.Error(err)
		}
	})
}
