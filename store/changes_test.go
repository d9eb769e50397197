package store_test

import (
	"context"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestWritesDeclareWhatTheyChange holds each kind of write to the change
// it logs for the indicator cache: what it changes, and from which date.
func TestWritesDeclareWhatTheyChange(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.Province)
		admin := f.Ctx(storetest.Admin)
		all := congdoan.Date{}
		none := store.Change{}
		var agreementID int64
		var handedOver []int64 // employers under District66 when it merges
		unitID := func(code string) int64 {
			var id int64
			if err := storetest.Raw(t, db).QueryRow(db.Rebind(`SELECT id FROM units WHERE code = ?`), code).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		emps := func(k store.Kinds, from congdoan.Date, keys ...string) store.Change {
			ch := store.Change{Kinds: k, From: from, Listed: true}
			for _, key := range keys {
				ch.Employers = append(ch.Employers, f.Employers[key])
			}
			return ch
		}
		unionA := unitID(storetest.UnitCodeA)
		// moved is an admission's, transfer's or leave's change: the member
		// counts it moved, listed.
		moved := func(from congdoan.Date, ms ...store.MemberDelta) store.Change {
			return store.Change{Kinds: store.ChangesMembers, From: from, MembersListed: true, Members: ms}
		}
		for _, c := range []struct {
			name  string
			write func() error
			want  store.Change
		}{
			{"reveal", func() error {
				_, err := db.RevealMember(ctx, f.MemberIDs["Nông Thị Hoa"], "xác minh hồ sơ")
				return err
			}, none},
			{"login", func() error {
				_, err := db.CreateSession(ctx, f.Users[storetest.Province].ID, "web", time.Hour, "")
				return err
			}, none},
			{"user", func() error {
				_, err := db.CreateUser(admin, congdoan.UserInput{Username: "canbo.moi", FullName: "Cán bộ mới", Role: congdoan.RoleMonitor,
					UnitCode: storetest.Root, Password: storetest.Password})
				return err
			}, none},
			{"password", func() error { return db.SetPassword(admin, "canbo.moi", storetest.Password+"-2") }, none},
			{"member name", func() error {
				_, err := db.UpdateMember(ctx, f.MemberIDs["Nông Thị Hoa"], congdoan.MemberUpdate{Job: ptr("Giáo viên")})
				return err
			}, none},
			{"admission", func() error {
				_, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1991, 900), FullName: "Hà Văn Mới", Gender: congdoan.GenderMale,
					BirthDate: day(1991, 2, 1), UnitCode: storetest.UnitCodeB, JoinedOn: day(2024, 5, 1)})
				return err
			}, moved(day(2024, 5, 1), store.MemberDelta{Unit: unitID(storetest.UnitCodeB), From: day(2024, 5, 1), N: 1})},
			{"gender", func() error {
				_, err := db.UpdateMember(ctx, f.MemberIDs["Nguyễn Văn Cường"], congdoan.MemberUpdate{Gender: ptr(congdoan.GenderFemale),
					CCCD: ptr(storetest.CCCD(true, 1988, 104))})
				return err
			}, store.Change{Kinds: store.ChangesMembers, From: day(2021, 1, 4)}}, // the first period
			{"transfer", func() error {
				_, err := db.TransferMember(ctx, f.MemberIDs["Nguyễn Văn An"], congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: day(2025, 3, 10)})
				return err
			}, moved(day(2025, 3, 10), store.MemberDelta{Unit: unionA, From: day(2025, 3, 10), N: -1},
				store.MemberDelta{Unit: unitID(storetest.UnitCodeB), From: day(2025, 3, 10), N: 1})},
			{"leave", func() error {
				_, err := db.LeaveMember(ctx, f.MemberIDs["Nguyễn Văn Bình"], congdoan.LeaveInput{Reason: congdoan.EndLeft, On: day(2023, 1, 1)})
				return err
			}, moved(day(2023, 1, 1), store.MemberDelta{Unit: unionA, From: day(2023, 1, 1), N: -1})},
			{"employer name", func() error {
				return updateEmployer(t, db, ctx, f.Employers["go"], func(in *congdoan.EmployerInput) { in.Name += " (mới)" })
			}, none},
			{"headcount", func() error {
				return updateEmployer(t, db, ctx, f.Employers["go"], func(in *congdoan.EmployerInput) { in.WorkersTotal, in.HeadcountAsOf = 10, day(2026, 6, 15) })
			}, emps(store.ChangesEmployers, day(2026, 6, 15), "go")},
			{"employer status", func() error {
				return updateEmployer(t, db, ctx, f.Employers["ho"], func(in *congdoan.EmployerInput) { in.Status = congdoan.EmployerClosed })
			}, emps(store.ChangesEmployers, all, "ho")},
			{"employer sector", func() error {
				return updateEmployer(t, db, ctx, f.Employers["che"], func(in *congdoan.EmployerInput) { in.Sector = congdoan.SectorAdministrate })
			}, emps(store.ChangesEmployers, all, "che")},
			// The first hand-over writes the past with the old unit: only today on changes.
			{"responsibility", func() error {
				return updateEmployer(t, db, ctx, f.Employers["go"], func(in *congdoan.EmployerInput) { in.UnitCode = storetest.District58 })
			}, emps(store.ChangesEmployers, db.Today(), "go")},
			{"agreement", func() error {
				a, err := db.CreateAgreement(ctx, congdoan.AgreementInput{UnitCode: storetest.UnitCodeA, Kind: congdoan.AgreementEnterprise,
					SignedOn: day(2022, 12, 20), ValidFrom: day(2023, 1, 1), ValidTo: day(2025, 12, 31), Quality: "b"})
				if a != nil {
					agreementID = a.ID
				}
				return err
			}, store.Change{Kinds: store.ChangesEmployers, From: day(2023, 1, 1), Listed: true, Unions: []int64{unionA}}},
			{"agreement later", func() error {
				_, err := db.UpdateAgreement(ctx, agreementID, congdoan.AgreementInput{Kind: congdoan.AgreementEnterprise,
					SignedOn: day(2023, 12, 20), ValidFrom: day(2024, 1, 1), ValidTo: day(2025, 12, 31), Quality: "b"})
				return err
			}, store.Change{Kinds: store.ChangesEmployers, From: day(2023, 1, 1), Listed: true, Unions: []int64{unionA}}}, // the old first day
			{"unit", func() error {
				_, err := db.CreateUnit(ctx, congdoan.UnitInput{Code: "CDCS-D", Name: "Công đoàn Công ty TNHH Chế biến Gỗ Na Rì", Kind: congdoan.KindGrassroots,
					ParentCode: storetest.District66, EmployerID: f.Employers["go"], FoundedOn: day(2022, 7, 1)})
				return err
			}, emps(store.ChangesUnits, day(2022, 7, 1), "go")},
			{"rename", func() error {
				_, err := db.RenameUnit(ctx, storetest.UnitCodeC, "Công đoàn Công ty Cổ phần Chè Na Rì Bắc Kạn")
				return err
			}, store.Change{Kinds: store.ChangesTree, From: all}},
			{"move", func() error {
				return db.MoveUnit(ctx, storetest.UnitCodeC, storetest.District58, day(2025, 3, 10), "")
			}, store.Change{Kinds: store.ChangesTree, From: day(2025, 3, 10)}},
			{"dissolve", func() error { return db.DissolveUnit(ctx, "CDCS-D", day(2026, 6, 15), "") },
				emps(store.ChangesUnits, day(2026, 6, 15), "go")},
			{"merge", func() error {
				return db.MergeUnits(ctx, storetest.UnitCodeB, storetest.UnitCodeA, day(2025, 6, 15), "")
			},
				emps(store.ChangesMembers|store.ChangesUnits, day(2025, 6, 15), "thpt")}, // B's employer loses its union
			// A district merged into another hands its employers over:
			// they are listed, with the tree and the members it moves.
			{"district merge", func() error {
				rows, err := storetest.Raw(t, db).Query(db.Rebind(`SELECT id FROM employers WHERE unit_id = ? ORDER BY id`), unitID(storetest.District66))
				if err != nil {
					return err
				}
				for rows.Next() {
					var id int64
					rows.Scan(&id)
					handedOver = append(handedOver, id)
				}
				rows.Close()
				if len(handedOver) == 0 {
					t.Fatal("no employer under " + storetest.District66)
				}
				return db.MergeUnits(ctx, storetest.District66, storetest.District58, day(2026, 1, 1), "")
			}, store.Change{Kinds: store.ChangesMembers | store.ChangesTree | store.ChangesEmployers, From: day(2026, 1, 1), Listed: true}},
		} {
			g := db.Generation()
			if err := c.write(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if c.name == "district merge" {
				c.want.Employers = handedOver
			}
			got, cur := db.ChangesSince(g)
			// A write that changes no figure takes no generation: the
			// change log holds only what caches must act on.
			if want := g + 1; c.want.None() {
				want = g
				if cur != want {
					t.Errorf("%s: generation %d → %d, want %d", c.name, g, cur, want)
				}
			} else if cur != want {
				t.Errorf("%s: generation %d → %d, want %d", c.name, g, cur, want)
			}
			if !got.Equal(c.want) {
				t.Errorf("%s: change %+v, want %+v", c.name, got, c.want)
			}
			if again, _ := db.ChangesSince(cur); !again.None() {
				t.Errorf("%s: changes since the current generation: %+v", c.name, again)
			}
		}
		mustDerived(t, db)
	})
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
