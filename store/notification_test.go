package store_test

import (
	"slices"
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestNotifications: what awaits each user, within their scope. Today is
// 24/11/2026. CDCS-A's and CDCS-C's reports are submitted, then the
// province returns CDCS-C's; agreements end 31/12/2026 (CDCS-A, within 60
// days), 15/12/2026 (CDCS-B, renewed: not listed), 31/10/2026 (CDCS-C,
// already over) and 30/06/2027 (CDCS-C, listed only with a longer notice).
func TestNotifications(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		f.SeedOtherProvince(t)
		admin := f.Ctx(storetest.Admin)
		demotest.LoadPlans(t, db)
		if err := db.BackfillSnapshots(admin); err != nil {
			t.Fatal(err)
		}
		svc, _ := indicator.Services(db)
		h1, _ := congdoan.ParseReportPeriod("2026-H1")
		report := func(user, unit string) *congdoan.Report {
			t.Helper()
			r, err := svc.Reports.CreateReport(f.Ctx(user), unit, h1)
			if err != nil {
				t.Fatal(err)
			}
			if r, err = svc.Reports.SubmitReport(f.Ctx(user), r.ID); err != nil {
				t.Fatal(err)
			}
			return r
		}
		ra, rc := report(storetest.UnionA, storetest.UnitCodeA), report(storetest.UnionC, storetest.UnitCodeC)
		if _, err := svc.Reports.ReturnReport(f.Ctx(storetest.Province), rc.ID, "Thiếu số lao động nữ"); err != nil {
			t.Fatal(err)
		}
		agreement := func(unit string, from, to congdoan.Date, renews int64) int64 {
			t.Helper()
			signed := from // signed before it takes effect, never after today
			if today := day(2026, 11, 20); today.Before(from) {
				signed = today
			}
			a := mustAgreement(t, db, admin, congdoan.AgreementInput{UnitCode: unit, Kind: congdoan.AgreementEnterprise,
				SignedOn: signed, ValidFrom: from, ValidTo: to, RenewsID: renews})
			return a.ID
		}
		aa := agreement(storetest.UnitCodeA, day(2024, 1, 1), day(2026, 12, 31), 0)
		old := agreement(storetest.UnitCodeB, day(2024, 1, 1), day(2026, 12, 15), 0)
		agreement(storetest.UnitCodeB, day(2026, 12, 16), day(2029, 12, 15), old)
		agreement(storetest.UnitCodeC, day(2023, 11, 1), day(2026, 10, 31), 0)
		later := agreement(storetest.UnitCodeC, day(2026, 11, 1), day(2027, 6, 30), 0)

		type item struct {
			kind congdoan.NotificationKind
			id   int64
		}
		got := func(user string) []item {
			t.Helper()
			ns, err := congdoan.CollectNotifications(f.Ctx(user), []congdoan.NotificationSource{db})
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			var out []item
			for _, n := range ns {
				out = append(out, item{n.Kind, n.EntityID})
			}
			return out
		}
		approve := func(id int64) item { return item{congdoan.NotifyReportToApprove, id} }
		returned := func(id int64) item { return item{congdoan.NotifyReportReturned, id} }
		expiring := func(id int64) item { return item{congdoan.NotifyAgreementExpiring, id} }
		for _, c := range []struct {
			user string
			want []item
		}{
			{storetest.Admin, []item{approve(ra.ID), expiring(aa)}},
			{storetest.Province, []item{approve(ra.ID), expiring(aa)}},
			{storetest.District, []item{approve(ra.ID), expiring(aa)}},
			{storetest.UnionA, []item{expiring(aa)}}, // its own report is not its to approve
			{storetest.UnionC, []item{returned(rc.ID)}},
			{storetest.Monitor, []item{expiring(aa)}}, // monitors approve nothing
			{storetest.OtherProvince, nil},
		} {
			if g := got(c.user); !slices.Equal(g, c.want) {
				t.Errorf("%s: %v, want %v", c.user, g, c.want)
			}
		}

		// What a notification says: the unit, the period, the comment, the due day.
		ns, err := db.Notifications(f.Ctx(storetest.UnionC))
		if err != nil || len(ns) != 1 {
			t.Fatalf("%v %v", ns, err)
		}
		if n := ns[0]; n.Entity != "report" || n.Title != "Công đoàn Công ty Cổ phần Chè Na Rì" || n.Period != "2026-H1" ||
			n.Detail != "Thiếu số lao động nữ" || n.At.IsZero() {
			t.Errorf("returned: %+v", n)
		}
		ns, _ = db.Notifications(f.Ctx(storetest.UnionA))
		if n := ns[0]; n.Entity != "agreement" || n.Title != "Công ty TNHH Khoáng sản Bắc Kạn" || n.Due != day(2026, 12, 31) ||
			!strings.Contains(n.Unit, "Khoáng sản") {
			t.Errorf("expiring: %+v", n)
		}

		// Four eyes: whoever drew a report up or submitted it is not asked
		// to approve it — here the province officer drew up and sent
		// CDCS-B's report, which the district and the administrator approve.
		tinh := f.Ctx(storetest.Province)
		rb, err := svc.Reports.CreateReport(tinh, storetest.UnitCodeB, h1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.SubmitReport(f.Ctx(storetest.District), rb.ID); err != nil {
			t.Fatal(err)
		}
		if g := got(storetest.Province); slices.Contains(g, approve(rb.ID)) {
			t.Errorf("province asked to approve the report it drew up: %v", g)
		}
		if g := got(storetest.District); slices.Contains(g, approve(rb.ID)) {
			t.Errorf("district asked to approve the report it submitted: %v", g)
		}
		if g := got(storetest.Admin); !slices.Contains(g, approve(rb.ID)) {
			t.Errorf("admin not asked to approve CDCS-B's report: %v", g)
		}

		// A longer notice reaches CDCS-C's agreement of 30/06/2027.
		db.AgreementNoticeDays = 250
		if g := got(storetest.UnionC); !slices.Equal(g, []item{returned(rc.ID), expiring(later)}) {
			t.Errorf("notice 250 days: %v", g)
		}
	})
}
