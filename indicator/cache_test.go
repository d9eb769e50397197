package indicator

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// cacheDates are the dates the cache tests keep warm: month starts and
// days inside months, from the first day of data to today (24/11/2026).
var cacheDates = []congdoan.Date{
	congdoan.NewDate(2021, 2, 1), congdoan.NewDate(2021, 6, 1), congdoan.NewDate(2022, 7, 1), congdoan.NewDate(2023, 1, 1),
	congdoan.NewDate(2024, 5, 1), congdoan.NewDate(2025, 3, 10), congdoan.NewDate(2025, 6, 15), congdoan.NewDate(2026, 1, 1),
	congdoan.NewDate(2026, 6, 15), congdoan.NewDate(2026, 11, 1), congdoan.NewDate(2026, 11, 24),
}

// warm asks e for every cache date and returns what it answered.
func warm(t *testing.T, e *Engine) map[congdoan.Date]*dayFigures {
	t.Helper()
	out := map[congdoan.Date]*dayFigures{}
	for _, d := range cacheDates {
		f, err := e.day(context.Background(), d)
		if err != nil {
			t.Fatalf("figures of %s: %v", d, err)
		}
		out[d] = f
	}
	return out
}

// diffDays says how two figures of a date differ: the tree (codes, names,
// kinds, parents) and every unit's totals. "" when they agree.
func diffDays(a, b *dayFigures) string {
	codes := func(f *dayFigures) []string {
		var out []string
		for c := range f.byCode {
			out = append(out, c)
		}
		sort.Strings(out)
		return out
	}
	ca, cb := codes(a), codes(b)
	if fmt.Sprint(ca) != fmt.Sprint(cb) {
		return fmt.Sprintf("units %v, %v", ca, cb)
	}
	code := func(f *dayFigures, id int64) string {
		if u, ok := f.units[id]; ok {
			return u.code
		}
		return ""
	}
	for _, c := range ca {
		ua, ub := a.units[a.byCode[c]], b.units[b.byCode[c]]
		if ua.name != ub.name || ua.kind != ub.kind || ua.hasEmployer != ub.hasEmployer {
			return fmt.Sprintf("%s: %+v, %+v", c, *ua, *ub)
		}
		if pa, pb := code(a, a.parent[ua.id]), code(b, b.parent[ub.id]); pa != pb {
			return fmt.Sprintf("%s: parent %s, %s", c, pa, pb)
		}
		if ta, tb := *a.total[ua.id], *b.total[ub.id]; ta != tb {
			return fmt.Sprintf("%s: %+v, %+v", c, ta, tb)
		}
	}
	return ""
}

// checkAgainstFresh holds every cached date of e to what a new engine
// computes from scratch.
func checkAgainstFresh(t *testing.T, db *store.DB, e *Engine, got map[congdoan.Date]*dayFigures, what string) {
	t.Helper()
	fresh := New(db)
	for _, d := range cacheDates {
		f, err := fresh.day(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffDays(got[d], f); diff != "" {
			t.Errorf("%s: cached figures of %s differ from a fresh engine's: %s", what, d, diff)
		}
	}
}

func cacheFixture(t *testing.T, db *store.DB) *storetest.Fixture {
	t.Helper()
	f := storetest.Seed(t, db)
	if err := db.BackfillSnapshots(context.Background()); err != nil {
		t.Fatal(err)
	}
	plans, err := Plans()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadPlans(context.Background(), plans); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCacheSurvivesWritesThatChangeNoFigure: logins, reveals, accounts and
// the report workflow keep every cached date and memo; allocating a target
// drops the memos (targets) and keeps the dates.
func TestCacheSurvivesWritesThatChangeNoFigure(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := cacheFixture(t, db)
		e := New(db)
		tinh, huyen, admin := f.Ctx(storetest.Province), f.Ctx(storetest.District), f.Ctx(storetest.Admin)
		reports := NewReports(e, db)
		h1, err := congdoan.ParseReportPeriod("2026-H1")
		if err != nil {
			t.Fatal(err)
		}
		var report *congdoan.Report
		for _, c := range []struct {
			name  string
			write func() error
		}{
			{"reveal", func() error {
				_, err := db.RevealMember(tinh, f.MemberIDs["Nông Thị Hoa"], "xác minh hồ sơ")
				return err
			}},
			{"login", func() error {
				_, err := db.CreateSession(tinh, f.Users[storetest.Province].ID, "web", time.Hour, "")
				return err
			}},
			{"new user", func() error {
				_, err := db.CreateUser(admin, congdoan.UserInput{Username: "canbo.moi", FullName: "Cán bộ mới", Role: congdoan.RoleMonitor,
					UnitCode: storetest.Root, Password: storetest.Password})
				return err
			}},
			{"password", func() error { return db.SetPassword(admin, "canbo.moi", storetest.Password+"-2") }},
			{"member's job", func() error {
				_, err := db.UpdateMember(tinh, f.MemberIDs["Nông Thị Hoa"], congdoan.MemberUpdate{Job: ptr("Giáo viên")})
				return err
			}},
			{"report created", func() error { report, err = reports.CreateReport(huyen, storetest.District58, h1); return err }},
			{"report submitted", func() error { _, err := reports.SubmitReport(huyen, report.ID); return err }},
			{"report approved", func() error { _, err := reports.ApproveReport(tinh, report.ID); return err }},
		} {
			before := warm(t, e)
			if _, err := e.Figures(tinh, storetest.Root, congdoan.Date{}, congdoan.Date{}); err != nil { // a period-count memo
				t.Fatal(err)
			}
			if _, err := e.targets(tinh, storetest.Root); err != nil {
				t.Fatal(err)
			}
			memos := len(e.memos)
			g := db.Generation()
			if err := c.write(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			// It changed no figure, so it took no generation of the
			// change log (the store's tests check it committed).
			if db.Generation() != g {
				t.Fatalf("%s: a write that changes no figure took a generation", c.name)
			}
			r := e.reads
			after := warm(t, e)
			for _, d := range cacheDates {
				if after[d] != before[d] {
					t.Errorf("%s: figures of %s recomputed", c.name, d)
				}
			}
			if e.reads != r {
				t.Errorf("%s: reads %+v → %+v", c.name, r, e.reads)
			}
			if _, err := e.Figures(tinh, storetest.Root, congdoan.Date{}, congdoan.Date{}); err != nil {
				t.Fatal(err)
			}
			if len(e.memos) < memos || memos == 0 {
				t.Errorf("%s: memos %d → %d", c.name, memos, len(e.memos))
			}
		}

		// A target allocation: the dates stay, the targets are read again.
		before := warm(t, e)
		targets, err := e.targets(tinh, storetest.Root)
		if err != nil || len(targets) == 0 {
			t.Fatalf("targets: %d %v", len(targets), err)
		}
		if _, err := db.AllocateTarget(tinh, targets[0].ID, storetest.District58, 7); err != nil {
			t.Fatal(err)
		}
		after := warm(t, e)
		for _, d := range cacheDates {
			if after[d] != before[d] {
				t.Errorf("allocation: figures of %s recomputed", d)
			}
		}
		child, err := e.targets(tinh, storetest.District58)
		if err != nil || len(child) != 1 || child[0].Value != 7 {
			t.Errorf("the allocated target is not seen: %+v %v", child, err)
		}
	})
}

// TestCacheDropsOnlyWhatAWriteChanges: after each kind of write, the dates
// before the write's date keep their cached figures, the dates from it on
// re-read only the parts the write changed, and every date agrees with a
// fresh engine. Each write changes the figures of its first date, so a
// declared date later than the true one would leave a stale figure that
// the comparison with the fresh engine catches; an earlier one would
// recompute a date the test expects kept.
func TestCacheDropsOnlyWhatAWriteChanges(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := cacheFixture(t, db)
		e := New(db)
		ctx := f.Ctx(storetest.Province)
		d := congdoan.NewDate
		today := db.Today()
		var newMember, agreement int64
		// What each date from the write's date on reads again; an employer
		// write re-reads the facts of the employers it lists once, and
		// patches each date with their difference: no full read.
		// An admission, a transfer, a leave patch each date with the counts
		// they moved (no read); a gender correction reads them again.
		moved, members, employers, tree := reads{memberPatches: 1}, reads{members: 1}, reads{employerRereads: 1, patches: 1}, reads{trees: 1}
		for _, c := range []struct {
			name  string
			write func() error
			from  congdoan.Date // the first date changed (zero: all)
			first congdoan.Date // a date whose figures the write changes: the first cache date from `from` on
			read  reads         // what each date from `from` on reads again
			check func(t *testing.T)
		}{
			{"admission", func() error {
				m, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1991, 900), FullName: "Hà Văn Mới", Gender: congdoan.GenderMale,
					BirthDate: d(1991, 2, 1), UnitCode: storetest.UnitCodeB, JoinedOn: d(2024, 5, 1)})
				if m != nil {
					newMember = m.ID
				}
				return err
			}, d(2024, 5, 1), d(2024, 5, 1), moved, nil},
			{"gender correction", func() error {
				_, err := db.UpdateMember(ctx, newMember, congdoan.MemberUpdate{Gender: ptr(congdoan.GenderFemale), CCCD: ptr(storetest.CCCD(true, 1991, 900))})
				return err
			}, d(2024, 5, 1), d(2024, 5, 1), members, func(t *testing.T) {
				// The snapshots follow the corrected gender: women of B on
				// each date, counted from the periods.
				for _, day := range cacheDates {
					var want int64
					if err := storetest.Raw(t, db).QueryRow(db.Rebind(`SELECT COUNT(*) FROM memberships m JOIN persons p ON p.id = m.person_id JOIN units u ON u.id = m.unit_id
						WHERE u.code = ? AND p.gender = 'F' AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)`), storetest.UnitCodeB, day.String(), day.String()).Scan(&want); err != nil {
						t.Fatal(err)
					}
					fig, _ := New(db).day(context.Background(), day)
					if got := fig.total[fig.byCode[storetest.UnitCodeB]].membersFemale; got != want {
						t.Errorf("women of B on %s: %d, periods say %d", day, got, want)
					}
				}
			}},
			{"transfer", func() error {
				_, err := db.TransferMember(ctx, f.MemberIDs["Nguyễn Văn An"], congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: d(2025, 3, 10)})
				return err
			}, d(2025, 3, 10), d(2025, 3, 10), moved, nil},
			{"leave", func() error {
				_, err := db.LeaveMember(ctx, f.MemberIDs["Nguyễn Văn Bình"], congdoan.LeaveInput{Reason: congdoan.EndLeft, On: d(2023, 1, 1)})
				return err
			}, d(2023, 1, 1), d(2023, 1, 1), moved, nil},
			{"responsible unit", func() error {
				return updateEmployer(t, db, ctx, f.Employers["go"], func(in *congdoan.EmployerInput) { in.UnitCode = storetest.District58 })
			}, today, today, employers, nil},
			{"headcount", func() error {
				return updateEmployer(t, db, ctx, f.Employers["go"], func(in *congdoan.EmployerInput) { in.WorkersTotal, in.HeadcountAsOf = 10, d(2026, 6, 15) })
			}, d(2026, 6, 15), d(2026, 6, 15), employers, nil},
			{"employer status", func() error {
				return updateEmployer(t, db, ctx, f.Employers["che"], func(in *congdoan.EmployerInput) { in.Status = congdoan.EmployerPaused })
			}, congdoan.Date{}, d(2026, 1, 1), employers, nil}, // its only headcount is of 1/1/2026
			{"employer sector", func() error {
				return updateEmployer(t, db, ctx, f.Employers["che"], func(in *congdoan.EmployerInput) { in.Sector = congdoan.SectorAdministrate })
			}, congdoan.Date{}, d(2021, 2, 1), employers, nil},
			{"agreement", func() error {
				a, err := db.CreateAgreement(ctx, congdoan.AgreementInput{UnitCode: storetest.UnitCodeA, Kind: congdoan.AgreementEnterprise,
					SignedOn: d(2022, 12, 20), ValidFrom: d(2023, 1, 1), ValidTo: d(2025, 12, 31), Quality: "b"})
				if a != nil {
					agreement = a.ID
				}
				return err
			}, d(2023, 1, 1), d(2023, 1, 1), employers, nil},
			{"agreement starts later", func() error {
				_, err := db.UpdateAgreement(ctx, agreement, congdoan.AgreementInput{Kind: congdoan.AgreementEnterprise,
					SignedOn: d(2023, 12, 20), ValidFrom: d(2024, 1, 1), ValidTo: d(2025, 12, 31), Quality: "b"})
				return err
			}, d(2023, 1, 1), d(2023, 1, 1), employers, nil},
			{"union founded", func() error {
				_, err := db.CreateUnit(ctx, congdoan.UnitInput{Code: "CDCS-D", Name: "Công đoàn Công ty TNHH Chế biến Gỗ Na Rì", Kind: congdoan.KindGrassroots,
					ParentCode: storetest.District66, EmployerID: f.Employers["go"], FoundedOn: d(2022, 7, 1)})
				return err
			}, d(2022, 7, 1), d(2022, 7, 1), reads{trees: 1, employerRereads: 1, patches: 1}, nil},
			{"move", func() error {
				return db.MoveUnit(ctx, storetest.UnitCodeC, storetest.District58, d(2025, 3, 10), "")
			}, d(2025, 3, 10), d(2025, 3, 10), tree, nil},
			{"dissolve", func() error { return db.DissolveUnit(ctx, "CDCS-D", d(2026, 6, 15), "") },
				d(2026, 6, 15), d(2026, 6, 15), reads{trees: 1, employerRereads: 1, patches: 1}, nil},
			{"merge", func() error { return db.MergeUnits(ctx, storetest.UnitCodeB, storetest.UnitCodeA, d(2025, 6, 15), "") },
				d(2025, 6, 15), d(2025, 6, 15), reads{trees: 1, members: 1, employerRereads: 1, patches: 1}, nil},
			{"rename", func() error {
				_, err := db.RenameUnit(ctx, storetest.UnitCodeA, "Công đoàn Công ty TNHH Khoáng sản và Trường THPT")
				return err
			}, congdoan.Date{}, d(2021, 2, 1), tree, nil},
		} {
			before := warm(t, e)
			r := e.reads
			if err := c.write(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			after := warm(t, e)
			n := 0
			for _, day := range cacheDates {
				switch kept := after[day] == before[day]; {
				case day.Before(c.from) && !kept:
					t.Errorf("%s: figures of %s recomputed, the write changes them from %s", c.name, day, c.from)
				case !day.Before(c.from) && kept:
					t.Errorf("%s: figures of %s kept, the write changes them from %s", c.name, day, c.from)
				case !day.Before(c.from):
					n++
				}
			}
			want := c.read.after(r, n)
			if e.reads != want {
				t.Errorf("%s: reads %+v, want %+v (%d dates from %s)", c.name, e.reads, want, n, c.from)
			}
			if diffDays(before[c.first], after[c.first]) == "" {
				t.Errorf("%s: the figures of %s did not change: the test cannot tell a wrong date", c.name, c.first)
			}
			checkAgainstFresh(t, db, e, after, c.name)
			if c.check != nil {
				c.check(t)
			}
		}
	})
}

// TestCacheAcrossMidnight: the date that was today read unit_counts; the
// next day its members are read again from the snapshots, the rest kept.
func TestCacheAcrossMidnight(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		cacheFixture(t, db)
		e := New(db)
		today := db.Today()
		before := warm(t, e)
		if !before[today].live {
			t.Fatalf("today's figures not from unit_counts")
		}
		r := e.reads
		db.Now = func() time.Time { return storetest.Now.Add(24 * time.Hour) }
		f, err := e.day(context.Background(), today)
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.members++
		if f.live || f == before[today] || e.reads != want {
			t.Errorf("yesterday: live %v, reads %+v → %+v", f.live, r, e.reads)
		}
		if fresh, _ := New(db).day(context.Background(), today); diffDays(f, fresh) != "" {
			t.Errorf("yesterday differs from a fresh engine's: %s", diffDays(f, fresh))
		}
		for _, d := range cacheDates[:len(cacheDates)-1] {
			if g, _ := e.day(context.Background(), d); g != before[d] {
				t.Errorf("figures of %s recomputed at midnight", d)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// after returns the reads r plus what per (the reads of one date) adds
// for n dates: parts read or computed per date, and the full reads and
// re-reads of the employer facts once.
func (per reads) after(r reads, n int) reads {
	return reads{trees: r.trees + n*per.trees, members: r.members + n*per.members, employers: r.employers + per.employers,
		employerDays: r.employerDays + n*per.employerDays, employerRereads: r.employerRereads + per.employerRereads,
		patches: r.patches + n*per.patches, eventMonths: r.eventMonths, memberPatches: r.memberPatches + n*per.memberPatches}
}

func updateEmployer(t *testing.T, db *store.DB, ctx context.Context, id int64, edit func(*congdoan.EmployerInput)) error {
	t.Helper()
	e, err := db.FindEmployerByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	in := congdoan.EmployerInput{TaxCode: e.TaxCode, Name: e.Name, Sector: e.Sector, Industry: e.Industry, CommuneCode: e.CommuneCode, Status: e.Status,
		WorkersTotal: e.WorkersTotal, WorkersFemale: e.WorkersFemale, HeadcountAsOf: e.HeadcountAsOf, UnitCode: e.UnitCode}
	edit(&in)
	_, err = db.UpdateEmployer(ctx, id, in)
	return err
}

// TestCachePatchesEmployers: after each kind of employer and agreement
// write, the cached dates it changes are patched with the difference the
// employers it lists make — their facts re-read, no full read of every
// employer — and every date equals a fresh engine's; the facts give what
// the employer SQL gives on every date. Each write changes the figures of
// a cached date (checked), across what a wrong patch would get wrong: the
// workforce threshold both ways, a union gained and lost, a hand-over, a
// closure, a sector that stops bargaining, an agreement added and
// expiring, a new employer, a merger. A change listing more than
// store.MaxListed ids, in one transaction or in several, reads everything
// again and is still right. Run with the re-read employers kept apart from
// the others' facts and merged into them after every write.
func TestCachePatchesEmployers(t *testing.T) {
	for _, floor := range []int{overMin, 0} {
		t.Run(fmt.Sprintf("over%d", floor), func(t *testing.T) {
			defer func(v int) { overMin = v }(overMin)
			overMin = floor
			storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) { testPatches(t, db) })
		})
	}
}

func testPatches(t *testing.T, db *store.DB) {
	f := cacheFixture(t, db)
	e := New(db)
	ctx := f.Ctx(storetest.Province)
	d := congdoan.NewDate
	today := db.Today()
	var agreement int64
	headcount := func(key string, workers int, on congdoan.Date) func() error {
		return func() error {
			return updateEmployer(t, db, ctx, f.Employers[key], func(in *congdoan.EmployerInput) { in.WorkersTotal, in.HeadcountAsOf = workers, on })
		}
	}
	// many declares ids employers changed in n transactions, and changes
	// one real headcount.
	many := func(ids, n int, workers int) func() error {
		return func() error {
			raw := storetest.Raw(t, db)
			for k := range n {
				list := []int64{f.Employers["khoangsan"]}
				for i := range ids / n {
					list = append(list, int64(1_000_000+k*ids+i)) // no such employers
				}
				if _, err := raw.Exec(db.Rebind(`UPDATE employer_headcounts SET workers_total = ? WHERE employer_id = ?`), workers, f.Employers["khoangsan"]); err != nil {
					return err
				}
				db.Invalidate(store.Change{Kinds: store.ChangesEmployers, From: d(2026, 1, 1), Listed: true, Employers: list})
			}
			return nil
		}
	}
	for _, c := range []struct {
		name    string
		write   func() error
		changes congdoan.Date // a cache date whose figures the write changes
		full    bool          // reads every employer again
	}{
		{"below the threshold", headcount("go", 14, today), today, false},
		{"at the threshold", headcount("go", 15, today), today, false},
		{"union gained", func() error {
			_, err := db.CreateUnit(ctx, congdoan.UnitInput{Code: "CDCS-D", Name: "Công đoàn Công ty TNHH Chế biến Gỗ Na Rì", Kind: congdoan.KindGrassroots,
				ParentCode: storetest.District66, EmployerID: f.Employers["go"], FoundedOn: d(2026, 6, 15)})
			return err
		}, d(2026, 6, 15), false},
		{"agreement added", func() error {
			a, err := db.CreateAgreement(ctx, congdoan.AgreementInput{UnitCode: storetest.UnitCodeC, Kind: congdoan.AgreementEnterprise,
				SignedOn: d(2024, 12, 20), ValidFrom: d(2025, 1, 1), ValidTo: d(2027, 12, 31), Quality: "B"})
			if a != nil {
				agreement = a.ID
			}
			return err
		}, d(2025, 3, 10), false},
		{"agreement expired", func() error {
			_, err := db.UpdateAgreement(ctx, agreement, congdoan.AgreementInput{Kind: congdoan.AgreementEnterprise,
				SignedOn: d(2024, 12, 20), ValidFrom: d(2025, 1, 1), ValidTo: d(2026, 11, 1), Quality: "B"}) // in force to the end of that day
			return err
		}, today, false},
		{"union lost", func() error { return db.DissolveUnit(ctx, "CDCS-D", d(2026, 11, 1), "") }, d(2026, 11, 1), false},
		{"responsible unit", func() error {
			return updateEmployer(t, db, ctx, f.Employers["go"], func(in *congdoan.EmployerInput) { in.UnitCode = storetest.District58 })
		}, today, false},
		{"closed", func() error {
			return updateEmployer(t, db, ctx, f.Employers["che"], func(in *congdoan.EmployerInput) { in.Status = congdoan.EmployerClosed })
		}, d(2026, 1, 1), false},
		{"stops bargaining", func() error {
			return updateEmployer(t, db, ctx, f.Employers["khoangsan"], func(in *congdoan.EmployerInput) { in.Sector = congdoan.SectorAdministrate })
		}, d(2021, 2, 1), false},
		{"new employer", func() error {
			_, err := db.CreateEmployer(ctx, congdoan.EmployerInput{Name: "Công ty TNHH May Na Rì", Sector: congdoan.SectorNonState, Status: congdoan.EmployerActive,
				WorkersTotal: 50, WorkersFemale: 40, UnitCode: storetest.District66, HeadcountAsOf: d(2026, 6, 15)})
			return err
		}, d(2026, 6, 15), false},
		{"union merged", func() error { return db.MergeUnits(ctx, storetest.UnitCodeB, storetest.UnitCodeA, d(2026, 11, 1), "") }, d(2026, 11, 1), false},
		{"too many in one write", many(store.MaxListed+1, 1, 5), d(2026, 1, 1), true},
		{"too many in several", many(store.MaxListed+1, 2, 200), d(2026, 1, 1), true},
		{"a few again", headcount("go", 10, today), today, false},
	} {
		before := warm(t, e)
		if _, err := e.Figures(ctx, storetest.Root, congdoan.Date{}, congdoan.Date{}); err != nil { // a period-count memo
			t.Fatal(err)
		}
		r, g := e.reads, db.Generation()
		if err := c.write(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		ch, _ := db.ChangesSince(g)
		after := warm(t, e)
		// Period counts and targets read no employer: a change of employers
		// only keeps them, and they stay right.
		if kept := len(e.memos) > 0; kept != (ch.Kinds == store.ChangesEmployers) {
			t.Errorf("%s (%+v): memos kept %v", c.name, ch, kept)
		}
		got, err := e.Figures(ctx, storetest.Root, congdoan.Date{}, congdoan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := New(db).Figures(ctx, storetest.Root, congdoan.Date{}, congdoan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Values) != fmt.Sprint(want.Values) {
			t.Errorf("%s: figures of the root %v, a fresh engine's %v", c.name, got.Values, want.Values)
		}
		switch full := e.reads.employers - r.employers; {
		case c.full && full != 1:
			t.Errorf("%s: %d full reads of the employers, want 1", c.name, full)
		case !c.full && (full != 0 || e.reads.patches == r.patches || e.reads.employerRereads != r.employerRereads+1):
			t.Errorf("%s: reads %+v → %+v: want the listed employers re-read once and dates patched, no full read", c.name, r, e.reads)
		}
		if diffDays(before[c.changes], after[c.changes]) == "" {
			t.Errorf("%s: the figures of %s did not change: the test cannot tell a wrong patch", c.name, c.changes)
		}
		checkAgainstFresh(t, db, e, after, c.name)
		for _, day := range cacheDates {
			want, err := correlatedEmployers(context.Background(), storetest.Raw(t, db), db, day, e.employerMin.Load())
			if err != nil {
				t.Fatal(err)
			}
			if got := e.facts.contributions(store.DayOf(day), e.employerMin.Load()); !sameContributions(got, want) {
				t.Errorf("%s: employer facts on %s give %s, SQL %s", c.name, day, fmtContributions(got), fmtContributions(want))
			}
		}
	}

	// A change of employers that lists none reads nothing and keeps every
	// date.
	before := warm(t, e)
	r := e.reads
	db.Invalidate(store.Change{Kinds: store.ChangesEmployers, Listed: true})
	after := warm(t, e)
	for _, day := range cacheDates {
		if after[day] != before[day] {
			t.Errorf("a change listing no employer: figures of %s built again", day)
		}
	}
	if e.reads != r {
		t.Errorf("a change listing no employer: reads %+v → %+v", r, e.reads)
	}
}

// sameContributions compares two employer parts, a unit with nothing the
// same as a unit absent.
func sameContributions(a, b map[int64]*counts) bool {
	return fmtContributions(a) == fmtContributions(b)
}

func fmtContributions(m map[int64]*counts) string {
	var ids []int64
	for id, c := range m {
		if *c != (counts{}) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := ""
	for _, id := range ids {
		out += fmt.Sprintf("%d:%+v ", id, *m[id])
	}
	return out
}
