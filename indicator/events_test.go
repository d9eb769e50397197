package indicator

import (
	"maps"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestPeriodEventsByMonth: the period indicators are counted from per-month
// event counts; a membership write re-reads only the months from its date
// on, and the figures stay equal to a fresh engine's.
func TestPeriodEventsByMonth(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := cacheFixture(t, db)
		ctx := f.Ctx(storetest.Province)
		d := congdoan.NewDate
		from, to := d(2025, 1, 1), db.Today() // 24/11/2026: 23 months
		e := New(db)
		period := func(eng *Engine) map[congdoan.IndicatorCode]int64 {
			t.Helper()
			fig, err := eng.Figures(ctx, storetest.Root, to, from)
			if err != nil {
				t.Fatal(err)
			}
			out := map[congdoan.IndicatorCode]int64{}
			for _, c := range periodCodes {
				out[c] = fig.Values[c].NumeratorN
			}
			return out
		}
		months := func() int {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.reads.eventMonths
		}
		before := period(e)
		if n := months(); n != 23 {
			t.Fatalf("months read for 01/2025–11/2026: %d, want 23", n)
		}
		period(e)
		if n := months(); n != 23 {
			t.Fatalf("months read again with nothing changed: %d", n-23)
		}
		for _, c := range []struct {
			name   string
			write  func() error
			months int // months from the write's date to November 2026
			code   congdoan.IndicatorCode
		}{
			{"admission in March 2026", func() error {
				_, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1992, 950), FullName: "Lò Văn Tháng", Gender: congdoan.GenderMale,
					BirthDate: d(1992, 3, 3), UnitCode: storetest.UnitCodeB, JoinedOn: d(2026, 3, 10)})
				return err
			}, 9, congdoan.IndicatorMembersAdmitted},
			{"admission today", func() error {
				_, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: storetest.CCCD(true, 1993, 951), FullName: "Lò Thị Nay", Gender: congdoan.GenderFemale,
					BirthDate: d(1993, 4, 4), UnitCode: storetest.UnitCodeA})
				return err
			}, 1, congdoan.IndicatorMembersAdmitted},
			{"leave in June 2025", func() error {
				_, err := db.LeaveMember(ctx, f.MemberIDs["Nguyễn Văn Bình"], congdoan.LeaveInput{Reason: congdoan.EndLeft, On: d(2025, 6, 15)})
				return err
			}, 18, congdoan.IndicatorMembersLeft},
		} {
			n0 := months()
			if err := c.write(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got := period(e)
			if n := months() - n0; n != c.months {
				t.Errorf("%s: %d months read again, want %d", c.name, n, c.months)
			}
			if want := period(New(db)); !maps.Equal(got, want) {
				t.Errorf("%s: period figures %v, a fresh engine says %v", c.name, got, want)
			}
			if got[c.code] != before[c.code]+1 {
				t.Errorf("%s: %s = %d, want %d", c.name, c.code, got[c.code], before[c.code]+1)
			}
			before = got
		}
	})
}
