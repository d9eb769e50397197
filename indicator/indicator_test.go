package indicator_test

import (
	"context"
	"math"
	"testing"

	"congdoan"
	"congdoan/demo"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/store/storetest"
)

// demoDB is the small demo province with agreements, snapshots and targets.
func demoDB(t *testing.T, engine string) (*store.DB, *demo.Summary) {
	t.Helper()
	db := storetest.Open(t, engine)
	return db, demotest.Province(t, db)
}

// TestRecordsCountToFigures checks, for every indicator at several units
// and dates, that the records behind a figure — listed by plain recursive
// SQL over the base tables — count exactly to the engine's numerator and
// denominator, which come from counts, snapshots and a roll-up.
func TestRecordsCountToFigures(t *testing.T) {
	for _, engineName := range storetest.Engines() {
		t.Run(engineName, func(t *testing.T) {
			db, sum := demoDB(t, engineName)
			e := indicator.New(db)
			ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
			type probe struct {
				unit string
				date congdoan.Date
			}
			probes := []probe{
				{sum.RootCode, congdoan.Date{}},
				{sum.SampleUpperCode, congdoan.Date{}},
				{sum.SampleGrassrootsCode, congdoan.Date{}},
				{"LDLD-BK", congdoan.NewDate(2023, 12, 31)},
				{"LDLD-BK", congdoan.NewDate(2025, 6, 30)},
				{"LDLD-BK-058", congdoan.NewDate(2024, 3, 17)},
				{sum.RootCode, congdoan.NewDate(2025, 7, 15)},
				{sum.SampleUpperCode, congdoan.NewDate(2026, 2, 1)},
			}
			for _, p := range probes {
				fig, err := e.Figures(ctx, p.unit, p.date, congdoan.Date{})
				if err != nil {
					t.Fatalf("%s %s: %v", p.unit, p.date, err)
				}
				for _, def := range congdoan.IndicatorDefs {
					v := fig.Values[def.Code]
					_, n, err := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: def.Code, Unit: p.unit, Date: p.date, Side: congdoan.SideNumerator, Limit: 1})
					if err != nil {
						t.Fatalf("records %s %s %s: %v", def.Code, p.unit, p.date, err)
					}
					if int64(n) != v.NumeratorN {
						t.Errorf("%s at %s on %s: figure %d, records %d", def.Code, p.unit, fig.Date, v.NumeratorN, n)
					}
					if def.Percent {
						_, dn, err := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: def.Code, Unit: p.unit, Date: p.date, Side: congdoan.SideDenominator, Limit: 1})
						if err != nil {
							t.Fatal(err)
						}
						if def.Code != congdoan.IndicatorWorkerMembership && int64(dn) != v.DenomN {
							t.Errorf("%s denominator at %s on %s: figure %d, records %d", def.Code, p.unit, fig.Date, v.DenomN, dn)
						}
						if v.DenomN > 0 && math.Abs(v.Value-float64(v.NumeratorN)*100/float64(v.DenomN)) > 1e-9 {
							t.Errorf("%s value %v", def.Code, v.Value)
						}
					}
				}
			}
			// The province's figures are plausible for the demo.
			fig, _ := e.Figures(ctx, sum.RootCode, congdoan.Date{}, congdoan.Date{})
			for _, def := range congdoan.IndicatorDefs {
				v := fig.Values[def.Code]
				t.Logf("%-32s %8.2f  %d/%d", def.Code, v.Value, v.NumeratorN, v.DenomN)
			}
			if m := fig.Values[congdoan.IndicatorMembers].NumeratorN; m < 2800 || m > 3200 {
				t.Errorf("members today %d", m)
			}
			if c := fig.Values[congdoan.IndicatorCBACoverage]; c.DenomN == 0 || c.Value < 40 || c.Value > 100 {
				t.Errorf("CBA coverage %+v", c)
			}
		})
	}
}

// TestSnapshotsFollowBackdatedWrites: a transfer dated in the past changes
// the past figures, and the engine (snapshots + deltas) still agrees with
// the records.
func TestSnapshotsFollowBackdatedWrites(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.Province)
		if err := db.BackfillSnapshots(context.Background()); err != nil {
			t.Fatal(err)
		}
		e := indicator.New(db)
		past := congdoan.NewDate(2025, 3, 10)
		before, err := e.Figures(ctx, storetest.UnitCodeB, past, congdoan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TransferMember(ctx, f.MemberIDs["Nguyễn Văn An"], congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: congdoan.NewDate(2024, 5, 1)}); err != nil {
			t.Fatal(err)
		}
		after, err := e.Figures(ctx, storetest.UnitCodeB, past, congdoan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if after.Values[congdoan.IndicatorMembers].NumeratorN != before.Values[congdoan.IndicatorMembers].NumeratorN+1 {
			t.Errorf("members of B on %s: before %d, after %d", past, before.Values[congdoan.IndicatorMembers].NumeratorN, after.Values[congdoan.IndicatorMembers].NumeratorN)
		}
		_, n, _ := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: congdoan.IndicatorMembers, Unit: storetest.UnitCodeB, Date: past, Limit: 10})
		if int64(n) != after.Values[congdoan.IndicatorMembers].NumeratorN {
			t.Errorf("records %d, figure %d", n, after.Values[congdoan.IndicatorMembers].NumeratorN)
		}
		// Bad input.
		for _, c := range []struct {
			name string
			err  func() error
			code string
		}{
			{"future date", func() error {
				_, err := e.Figures(ctx, storetest.Root, congdoan.NewDate(2027, 1, 1), congdoan.Date{})
				return err
			}, congdoan.EINVALID},
			{"before the data", func() error {
				_, err := e.Figures(ctx, storetest.Root, congdoan.NewDate(2019, 1, 1), congdoan.Date{})
				return err
			}, congdoan.EINVALID},
			{"unknown unit", func() error { _, err := e.Figures(ctx, "KHONG-CO", congdoan.Date{}, congdoan.Date{}); return err }, congdoan.ENOTFOUND},
			{"unknown indicator", func() error {
				_, _, err := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: "khong_co", Unit: storetest.Root, Limit: 10})
				return err
			}, congdoan.ENOTFOUND},
			{"monitor reads member records", func() error {
				_, _, err := e.FindFigureRecords(f.Ctx(storetest.Monitor), congdoan.RecordQuery{Indicator: congdoan.IndicatorMembers, Unit: storetest.Root, Limit: 10})
				return err
			}, congdoan.EFORBIDDEN},
			{"outside scope", func() error {
				_, err := e.Figures(f.Ctx(storetest.UnionA), storetest.UnitCodeB, congdoan.Date{}, congdoan.Date{})
				return err
			}, congdoan.ENOTFOUND},
		} {
			if got := congdoan.ErrorCode(c.err()); got != c.code {
				t.Errorf("%s: %s, want %s", c.name, got, c.code)
			}
		}
		if _, err := e.Figures(f.Ctx(storetest.Monitor), storetest.Root, congdoan.Date{}, congdoan.Date{}); err != nil {
			t.Errorf("monitor reads figures: %v", err)
		}
	})
}

func TestOverviewTargetsAndForecast(t *testing.T) {
	db, sum := demoDB(t, "sqlite")
	ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	e := indicator.New(db)
	// Today the plan of Bắc Kạn goes on in Thái Nguyên's federation, which absorbed it.
	fig, err := e.Overview(ctx, sum.RootCode, congdoan.Date{}, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	m := fig.Values[congdoan.IndicatorMembers]
	if m.Target == nil || m.Target.Year != 2030 || m.Target.Value != 26000 || m.Target.Inherited == "" || m.Forecast == nil || len(m.History) < 20 {
		t.Fatalf("members: target %+v forecast %+v history %d", m.Target, m.Forecast, len(m.History))
	}
	if m.Status != "off_track" { // 3.000 members in the small demo cannot reach 26.000
		t.Errorf("members status %s", m.Status)
	}
	if e15 := fig.Values[congdoan.IndicatorEmployers15Union]; e15.Target == nil || e15.Target.Year != 2025 || e15.Target.Qualitative != "cơ bản" {
		t.Errorf("employers target: %+v", e15.Target)
	}
	// On 1/6/2023, before the merger, LDLD-BK's own targets for 2023 apply.
	old, err := e.Overview(ctx, "LDLD-BK", congdoan.NewDate(2023, 6, 1), congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if c := old.Values[congdoan.IndicatorCBACoverage]; c.Target == nil || c.Target.Year != 2023 || c.Target.Value != 70 || c.Target.Comparator != ">" {
		t.Errorf("2023 CBA target: %+v", c.Target)
	}
	// Allocation: the children's member targets must add up.
	targets, _ := db.FindTargets(ctx, "LDLD-BK")
	var t2025 int64
	for _, x := range targets {
		if x.Indicator == congdoan.IndicatorMembers && x.Year == 2025 {
			t2025 = x.ID
		}
	}
	a, err := db.AllocateTarget(ctx, t2025, sum.SampleUpperCode, 15000)
	if err != nil {
		t.Fatal(err)
	}
	if a.AddsUp || a.Allocated != 15000 || a.Parent != 23000 {
		t.Errorf("allocation %+v", a)
	}
	if _, err := db.AllocateTarget(ctx, t2025, "LDLD-BK-058", 10); congdoan.ErrorCode(err) != congdoan.EINVALID {
		t.Errorf("allocate to a non-child: %v", err)
	}
}
