package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"congdoan"
	"congdoan/demo"
	"congdoan/store/storetest"
)

// TestMeasureBell times Notifications (what the header's bell asks on
// every page) on a generated province of 100.000 members and its
// agreements, as an administrator and as the province officer: best of
// 20. It runs only when CONGDOAN_MEASURE_BELL is set (it takes minutes):
//
//	CONGDOAN_MEASURE_BELL=1 go test -count=1 ./store -run TestMeasureBell -v
func TestMeasureBell(t *testing.T) {
	if os.Getenv("CONGDOAN_MEASURE_BELL") == "" {
		t.Skip("set CONGDOAN_MEASURE_BELL=1 to time the bell's query")
	}
	for _, engine := range storetest.Engines() {
		db := storetest.Open(t, engine)
		ctx := context.Background()
		sum, err := demo.Generate(ctx, db, demo.Options{Seed: 1, Members: 100000, Today: db.Today()})
		if err != nil {
			t.Fatal(err)
		}
		n, err := demo.Agreements(ctx, db, 1, db.Today())
		if err != nil {
			t.Fatal(err)
		}
		root, _ := db.FindUnitByCode(congdoan.NewContextWithUser(ctx, congdoan.SystemUser()), sum.RootCode)
		for _, u := range []*congdoan.User{
			{ID: 900, Username: "admin", Role: congdoan.RoleAdmin},
			{ID: 901, Username: "tinh", Role: congdoan.RoleProvinceOfficer, UnitID: root.ID},
		} {
			c := congdoan.NewContextWithUser(ctx, u)
			var best time.Duration = time.Hour
			var got int
			for i := 0; i < 20; i++ {
				t0 := time.Now()
				ns, err := db.Notifications(c)
				if err != nil {
					t.Fatal(err)
				}
				got = len(ns)
				best = min(best, time.Since(t0))
			}
			t.Logf("%s: %d units, %v agreements; %s: %d notifications, best of 20 %v", engine, sum.Units, n, u.Username, got, best)
		}
	}
}
