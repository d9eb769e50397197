package store_test

import (
	"context"
	"fmt"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestBulkBatches loads employers, persons and periods through the batched
// path (ids assigned by the loader, person caches filled from their
// periods, or derived the slow way when a period comes late), then checks
// the caches against a rebuild and that ordinary writes afterwards get
// fresh ids on both engines.
func TestBulkBatches(t *testing.T) {
	for _, late := range []bool{false, true} {
		t.Run(fmt.Sprintf("late=%v", late), func(t *testing.T) {
			storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := storetest.Seed(t, db)
				var district, unitA int64
				for code, id := range map[string]*int64{storetest.District58: &district, storetest.UnitCodeA: &unitA} {
					if err := storetest.Raw(t, db).QueryRowContext(ctx, db.Rebind(`SELECT id FROM units WHERE code = ?`), code).Scan(id); err != nil {
						t.Fatal(err)
					}
				}
				d := congdoan.NewDate
				var first, lateID int64
				err := db.Bulk(ctx, "test.bulk", func(b *store.Bulk) error {
					emp, err := b.Employer(store.BulkEmployer{TaxCode: "4799999999", Name: "Công ty Thử nghiệm", Sector: congdoan.SectorNonState, UnitID: district,
						Headcounts: []store.Headcount{{AsOf: d(2024, 1, 1), Total: 30, Female: 10}, {AsOf: d(2025, 1, 1), Total: 40, Female: 12}}})
					if err != nil {
						return err
					}
					// A union at the new employer: the employer must be written first.
					g, err := b.Unit(store.BulkUnit{Code: "CDCS-T", Name: "Công đoàn Công ty Thử nghiệm", Kind: congdoan.KindGrassroots, ParentID: district, EmployerID: emp, FoundedOn: d(2024, 3, 1)})
					if err != nil {
						return err
					}
					// More persons than a batch holds, so that batches flush mid-load.
					for i := range 1000 {
						id, err := b.Person(store.BulkPerson{CCCD: storetest.CCCD(i%2 == 0, 1980+i%20, 5000+i), FullName: "Nguyễn Văn Thử", Gender: "M", BirthDate: d(1980+i%20, 1, 1)})
						if err != nil {
							return err
						}
						if i == 0 {
							first = id
						}
						switch i % 4 {
						case 0: // one open period
							err = b.Period(id, g, d(2024, 3, 1), congdoan.Date{}, congdoan.StartAdmitted, "")
						case 1: // left, then back in another union: the later period is the cache
							if err = b.Period(id, unitA, d(2022, 1, 1), d(2023, 1, 1), congdoan.StartAdmitted, congdoan.EndLeft); err == nil {
								err = b.Period(id, g, d(2024, 5, 1), congdoan.Date{}, congdoan.StartAdmitted, "")
							}
						case 2: // left only
							err = b.Period(id, g, d(2024, 3, 1), d(2025, 1, 1), congdoan.StartAdmitted, congdoan.EndLeft)
						case 3: // no period at all
						}
						if err != nil {
							return err
						}
						if i == 10 {
							lateID = id
						}
					}
					// An agreement and its renewal, queued together.
					orig, err := b.Agreement(store.BulkAgreement{UnitID: g, EmployerID: emp, Kind: "enterprise", SignedOn: d(2024, 4, 1), ValidFrom: d(2024, 4, 1), ValidTo: d(2025, 3, 31)})
					if err != nil {
						return err
					}
					if _, err := b.Agreement(store.BulkAgreement{UnitID: g, EmployerID: emp, Kind: "enterprise", RenewsID: orig, SignedOn: d(2025, 4, 1), ValidFrom: d(2025, 4, 1), ValidTo: d(2027, 3, 31)}); err != nil {
						return err
					}
					if late { // a period for a person written several batches ago
						return b.Period(lateID, unitA, d(2024, 6, 1), congdoan.Date{}, congdoan.StartAdmitted, "")
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				mustDerived(t, db)
				var n int
				if err := storetest.Raw(t, db).QueryRowContext(ctx, db.Rebind(`SELECT COUNT(*) FROM persons WHERE id >= ? AND status = 'active'`), first).Scan(&n); err != nil {
					t.Fatal(err)
				}
				want := 500
				if late {
					want++
				}
				if n != want {
					t.Errorf("active loaded persons = %d, want %d", n, want)
				}
				// Ordinary writes after the load take ids past the loaded ones.
				ctx = f.Ctx(storetest.Province)
				m, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1990, 901), FullName: "Đàm Văn Sau", Gender: "M",
					BirthDate: d(1990, 2, 3), UnitCode: storetest.UnitCodeA, JoinedOn: d(2025, 2, 1)})
				if err != nil {
					t.Fatalf("member after bulk: %v", err)
				}
				if m.ID <= first+999 {
					t.Errorf("new member id %d reuses a loaded id (loaded from %d)", m.ID, first)
				}
				if _, err := db.CreateEmployer(ctx, congdoan.EmployerInput{TaxCode: "4799999998", Name: "Công ty Sau", Sector: congdoan.SectorNonState,
					WorkersTotal: 20, UnitCode: storetest.District58, HeadcountAsOf: d(2026, 1, 1)}); err != nil {
					t.Fatalf("employer after bulk: %v", err)
				}
				// The union of the loaded employer renews its agreement again.
				var renews int64
				if err := storetest.Raw(t, db).QueryRowContext(ctx, `SELECT MAX(id) FROM agreements WHERE renews_id IS NOT NULL`).Scan(&renews); err != nil {
					t.Fatal(err)
				}
				a, err := db.CreateAgreement(ctx, congdoan.AgreementInput{UnitCode: "CDCS-T", Kind: "enterprise", RenewsID: renews,
					SignedOn: d(2026, 1, 5), ValidFrom: d(2027, 4, 1), ValidTo: d(2029, 3, 31)})
				if err != nil {
					t.Fatalf("agreement after bulk: %v", err)
				}
				if a.ID <= renews {
					t.Errorf("new agreement id %d reuses a loaded id (last loaded %d)", a.ID, renews)
				}
				mustDerived(t, db)
			})
		})
	}
}

// TestBulkLargeKeepsIndexes: the indexes BulkLarge drops during the load
// come back exactly as the migrations define them.
func TestBulkLargeKeepsIndexes(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		defs := func() map[string]string {
			q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('persons', 'memberships')`
			if db.Engine() == "postgres" {
				q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('persons', 'memberships')`
			}
			rows, err := storetest.Raw(t, db).QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]string{}
			for rows.Next() {
				var name, def string
				if err := rows.Scan(&name, &def); err != nil {
					t.Fatal(err)
				}
				out[name] = def
			}
			return out
		}
		before := defs()
		if len(before) < 8 {
			t.Fatalf("indexes before the load: %v", before)
		}
		storetest.Seed(t, db)
		var unit int64
		if err := storetest.Raw(t, db).QueryRowContext(ctx, db.Rebind(`SELECT id FROM units WHERE code = ?`), storetest.UnitCodeA).Scan(&unit); err != nil {
			t.Fatal(err)
		}
		err := db.BulkLarge(ctx, "test.large", func(b *store.Bulk) error {
			id, err := b.Person(store.BulkPerson{CCCD: storetest.CCCD(false, 1990, 7777), FullName: "Nguyễn Văn Lớn", Gender: "M", BirthDate: congdoan.NewDate(1990, 1, 1)})
			if err != nil {
				return err
			}
			return b.Period(id, unit, congdoan.NewDate(2024, 1, 1), congdoan.Date{}, congdoan.StartAdmitted, "")
		})
		if err != nil {
			t.Fatal(err)
		}
		after := defs()
		for name, def := range before {
			if after[name] != def {
				t.Errorf("index %s after BulkLarge:\n got %q\nwant %q", name, after[name], def)
			}
		}
		if len(after) != len(before) {
			t.Errorf("indexes after BulkLarge: %d, before %d", len(after), len(before))
		}
		mustDerived(t, db)
	})
}
