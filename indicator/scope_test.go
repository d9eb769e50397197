package indicator_test

import (
	"context"
	"testing"

	"congdoan"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestPastDatesKeepToTodaysScope: after CDCS-B moves from Bắc Kạn city's
// federation to Na Rì's, the city's officer asking for last month no longer
// counts, lists or sees B — the figures, the records behind them and the
// children all leave it out, and agree with each other — while the
// administrator still sees last month's tree whole. An officer whose union
// is merged away loses their scope that day.
func TestPastDatesKeepToTodaysScope(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin, huyen, tinh := f.Ctx(storetest.Admin), f.Ctx(storetest.District), f.Ctx(storetest.Province)
		if err := db.BackfillSnapshots(admin); err != nil {
			t.Fatal(err)
		}
		if err := db.MoveUnit(tinh, storetest.UnitCodeB, storetest.District66, congdoan.NewDate(2026, 11, 1), "Chuyển về huyện Na Rì"); err != nil {
			t.Fatal(err)
		}
		svc, _ := indicator.Services(db)
		e := svc.Indicators
		past := congdoan.NewDate(2026, 10, 1)
		members := func(ctx context.Context) (int64, int) {
			t.Helper()
			fig, err := e.Figures(ctx, storetest.District58, past, congdoan.Date{})
			if err != nil {
				t.Fatal(err)
			}
			recs, n, err := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: congdoan.IndicatorMembers, Unit: storetest.District58, Date: past, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				if ctx == huyen && (r.UnitCode == storetest.UnitCodeB) {
					t.Errorf("the city's officer lists %s of %s on %s", r.Name, r.UnitCode, past.VN())
				}
			}
			if int64(n) != fig.Values[congdoan.IndicatorMembers].NumeratorN {
				t.Errorf("records %d, figure %d", n, fig.Values[congdoan.IndicatorMembers].NumeratorN)
			}
			return fig.Values[congdoan.IndicatorMembers].NumeratorN, n
		}
		all, _ := members(admin)
		mine, _ := members(huyen)
		if all != 5 || mine != 3 { // A: 2 and its group 1; B: 2
			t.Errorf("members of the city on %s: administrator %d (want 5), its officer %d (want 3, without B)", past.VN(), all, mine)
		}
		kids, err := e.ChildFigures(huyen, storetest.District58, past, congdoan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			if k.Unit == storetest.UnitCodeB {
				t.Errorf("the city's officer sees B among the children on %s", past.VN())
			}
		}
		if len(kids) != 1 {
			t.Errorf("children %d, want A only", len(kids))
		}
		tree, err := db.UnitTree(huyen, storetest.District58, past, 0)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Counts.Members != 3 || len(tree.Children) != 1 {
			t.Errorf("the city's tree on %s: %d members, %d children", past.VN(), tree.Counts.Members, len(tree.Children))
		}
		if tree, err := db.UnitTree(admin, storetest.District58, past, 0); err != nil || len(tree.Children) != 2 {
			t.Errorf("the administrator's tree on %s: %+v %v", past.VN(), tree, err)
		}

		// CDCS-C merges into CDCS-B: C's officer answers for nothing from then.
		if err := db.MergeUnits(tinh, storetest.UnitCodeC, storetest.UnitCodeB, congdoan.NewDate(2026, 11, 20), ""); err != nil {
			t.Fatal(err)
		}
		c, err := db.Authenticate(context.Background(), storetest.UnionC, storetest.Password)
		if err != nil {
			t.Fatal(err)
		}
		cctx := congdoan.NewContextWithUser(context.Background(), c)
		if _, err := e.Figures(cctx, storetest.UnitCodeC, past, congdoan.Date{}); congdoan.ErrorCode(err) != congdoan.EFORBIDDEN {
			t.Errorf("the merged union's officer reads its past figures: %v", err)
		}
		if _, _, err := db.FindMembers(cctx, congdoan.MemberFilter{Status: "all"}); congdoan.ErrorCode(err) != congdoan.EFORBIDDEN {
			t.Errorf("the merged union's officer lists members: %v", err)
		}
	})
}
