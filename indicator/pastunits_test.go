package indicator_test

import (
	"context"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/store/storetest"
)

// TestUnitsThatExistedOnTheDate: Thái Nguyên's province officer, asking
// for 30/06/2024 (before the merger), finds Bắc Kạn's federation at the
// top of their scope with its members and its 8 district federations,
// not only Thái Nguyên's federation with none; units founded at the
// merger are not in that tree; and Thái Nguyên's dashboard of that day
// borrows neither Bắc Kạn's plan nor its history.
func TestUnitsThatExistedOnTheDate(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	sum := demotest.Province(t, db)
	sys := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	officer, err := db.CreateUser(sys, congdoan.UserInput{Username: "tinh.tn", FullName: "Cán bộ tỉnh", Role: congdoan.RoleProvinceOfficer,
		UnitCode: sum.RootCode, Password: storetest.Password})
	if err != nil {
		t.Fatal(err)
	}
	ctx := congdoan.NewContextWithUser(context.Background(), officer)
	before := congdoan.NewDate(2024, 6, 30)
	tops, err := db.TopUnitsOn(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	var bk *congdoan.Unit
	for _, u := range tops {
		if u.Code == "LDLD-BK" {
			bk = u
		}
	}
	if bk == nil || bk.Counts.Members < 2000 {
		t.Fatalf("tops on %s: %+v", before.VN(), tops)
	}
	tree, err := db.UnitTree(ctx, "LDLD-BK", before, 1)
	if err != nil {
		t.Fatal(err)
	}
	districts := 0
	for _, c := range tree.Children {
		if c.Kind == congdoan.KindDistrictFederation {
			districts++
		}
	}
	if districts != 8 || tree.Counts.Members != bk.Counts.Members {
		t.Errorf("Bắc Kạn on %s: %d district federations, %d members (tops said %d)", before.VN(), districts, tree.Counts.Members, bk.Counts.Members)
	}
	if today, err := db.TopUnitsOn(ctx, congdoan.Date{}); err != nil || len(today) != 1 || today[0].Code != sum.RootCode {
		t.Errorf("tops today: %+v %v", today, err)
	}
	// A commune union founded at the merger was not there before it.
	if _, err := db.UnitTree(ctx, sum.SampleUpperCode, before, 1); congdoan.ErrorCode(err) != congdoan.EINVALID {
		t.Errorf("%s before its founding: %v", sum.SampleUpperCode, err)
	}
	// Thái Nguyên's federation on that day: its own targets only, and no
	// history of Bắc Kạn's to forecast from; today it continues both.
	svc, _ := indicator.Services(db)
	old, err := svc.Indicators.Overview(ctx, sum.RootCode, before, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	m := old.Values[congdoan.IndicatorMembers]
	if m.Target != nil || m.Forecast != nil {
		t.Errorf("Thái Nguyên on %s borrows Bắc Kạn's plan: target %+v forecast %+v", before.VN(), m.Target, m.Forecast)
	}
	for _, p := range m.History {
		if p.Value != 0 {
			t.Errorf("Thái Nguyên on %s borrows Bắc Kạn's history: %v", before.VN(), m.History)
			break
		}
	}
	now, err := svc.Indicators.Overview(ctx, sum.RootCode, congdoan.Date{}, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if n := now.Values[congdoan.IndicatorMembers]; n.Target == nil || n.Target.Inherited == "" || len(n.History) < 20 || n.History[0].Value < 2000 {
		t.Errorf("Thái Nguyên today does not continue Bắc Kạn: target %+v, history %v", n.Target, n.History)
	}
}
