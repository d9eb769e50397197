package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// day is a date in the tests' "today" neighbourhood (today is 24/11/2026).
func day(y, m, d int) congdoan.Date { return congdoan.NewDate(y, time.Month(m), d) }

// agreementCount is how many agreements and audit events there are, as the
// administrator sees them: what a refused write must leave unchanged.
func agreementCount(t *testing.T, db *store.DB, f *storetest.Fixture) (agreements, events int) {
	t.Helper()
	ctx := f.Ctx(storetest.Admin)
	_, agreements, err := db.FindAgreements(ctx, congdoan.AgreementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	_, events, err = db.FindAuditEvents(ctx, congdoan.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return agreements, events
}

// goodAgreement is a valid enterprise agreement of union A for 2026–2028.
func goodAgreement() congdoan.AgreementInput {
	return congdoan.AgreementInput{UnitCode: storetest.UnitCodeA, Kind: congdoan.AgreementEnterprise,
		SignedOn: day(2025, 12, 20), ValidFrom: day(2026, 1, 1), ValidTo: day(2028, 12, 31), Quality: "b", Note: "Ký tại hội nghị người lao động"}
}

func mustAgreement(t *testing.T, db *store.DB, ctx context.Context, in congdoan.AgreementInput) *congdoan.Agreement {
	t.Helper()
	a, err := db.CreateAgreement(ctx, in)
	if err != nil {
		t.Fatalf("create agreement %+v: %v", in, err)
	}
	return a
}

func TestCreateAgreement(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := mustAgreement(t, db, f.Ctx(storetest.District), goodAgreement())
		if a.ID == 0 || a.UnitCode != storetest.UnitCodeA || a.UnitName != "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn" ||
			a.EmployerID != f.Employers["khoangsan"] || a.EmployerName != "Công ty TNHH Khoáng sản Bắc Kạn" ||
			a.Kind != congdoan.AgreementEnterprise || a.Quality != "B" || a.ValidTo != day(2028, 12, 31) || a.RenewsID != 0 {
			t.Errorf("created %+v", a)
		}
		// The union's officer and the monitor read it; the other union does not.
		for _, u := range []string{storetest.UnionA, storetest.Monitor, storetest.Province} {
			if got, err := db.FindAgreementByID(f.Ctx(u), a.ID); err != nil || *got != *a {
				t.Errorf("%s reads %+v, %v", u, got, err)
			}
		}
		if _, err := db.FindAgreementByID(f.Ctx(storetest.UnionC), a.ID); code(err) != congdoan.ENOTFOUND {
			t.Errorf("union C reads union A's agreement: %v", err)
		}
		evs, _, err := db.FindAuditEvents(f.Ctx(storetest.Admin), congdoan.AuditFilter{Action: "agreement.create"})
		if err != nil || len(evs) != 1 || evs[0].Entity != "agreement" || evs[0].Username != storetest.District || evs[0].Before != nil {
			t.Fatalf("audit: %+v %v", evs, err)
		}
		var after congdoan.Agreement
		if err := json.Unmarshal(evs[0].After, &after); err != nil || after != *a {
			t.Errorf("audit after %s: %v", evs[0].After, err)
		}

		t.Run("public-service unit bargains", func(t *testing.T) {
			in := goodAgreement()
			in.UnitCode = storetest.UnitCodeB
			if b := mustAgreement(t, db, f.Ctx(storetest.District), in); b.EmployerID != f.Employers["thpt"] {
				t.Errorf("employer %d, want the school", b.EmployerID)
			}
		})
		t.Run("administrative agency has no enterprise agreement", func(t *testing.T) {
			admin := f.Ctx(storetest.Admin)
			e, err := db.CreateEmployer(admin, congdoan.EmployerInput{Name: "Văn phòng UBND thành phố Bắc Kạn", Sector: congdoan.SectorAdministrate,
				Status: congdoan.EmployerActive, WorkersTotal: 40, UnitCode: storetest.District58})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateUnit(admin, congdoan.UnitInput{Code: "CDCS-UB", Name: "Công đoàn cơ quan Văn phòng UBND thành phố",
				Kind: congdoan.KindGrassroots, ParentCode: storetest.District58, EmployerID: e.ID, FoundedOn: day(2001, 1, 1)}); err != nil {
				t.Fatal(err)
			}
			n, events := agreementCount(t, db, f)
			in := goodAgreement()
			in.UnitCode = "CDCS-UB"
			_, err = db.CreateAgreement(f.Ctx(storetest.District), in)
			if code(err) != congdoan.EINVALID || asDomain(err).Fields["kind"] == "" ||
				!strings.Contains(congdoan.ErrorMessage(err), "Văn phòng UBND thành phố Bắc Kạn") {
				t.Errorf("enterprise agreement at an administrative agency: %v", err)
			}
			if n2, e2 := agreementCount(t, db, f); n2 != n || e2 != events {
				t.Errorf("something was written: %d→%d agreements, %d→%d events", n, n2, events, e2)
			}
			// A sectoral agreement covering the agency's union is recorded as stated.
			in.Kind = congdoan.AgreementSectoral
			mustAgreement(t, db, f.Ctx(storetest.District), in)
		})
		t.Run("monitors read but do not write", func(t *testing.T) {
			if _, err := db.CreateAgreement(f.Ctx(storetest.Monitor), goodAgreement()); code(err) != congdoan.EFORBIDDEN {
				t.Errorf("monitor creates: %v", err)
			}
			if _, err := db.UpdateAgreement(f.Ctx(storetest.Monitor), a.ID, goodAgreement()); code(err) != congdoan.EFORBIDDEN {
				t.Errorf("monitor updates: %v", err)
			}
			if _, n, err := db.FindAgreements(f.Ctx(storetest.Monitor), congdoan.AgreementFilter{}); err != nil || n == 0 {
				t.Errorf("monitor lists: %d %v", n, err)
			}
		})
		t.Run("anonymous", func(t *testing.T) {
			if _, _, err := db.FindAgreements(context.Background(), congdoan.AgreementFilter{}); code(err) != congdoan.EUNAUTHORIZED {
				t.Errorf("anonymous: %v", err)
			}
		})
		if bad, err := db.VerifyAudit(f.Ctx(storetest.Admin)); err != nil || !bad.OK {
			t.Errorf("audit chain: %+v %v", bad, err)
		}
	})
}

func TestAgreementValidation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.District)
		first := mustAgreement(t, db, ctx, goodAgreement())
		other := goodAgreement()
		other.UnitCode = storetest.UnitCodeC
		otherUnion := mustAgreement(t, db, f.Ctx(storetest.UnionC), other)
		for _, tc := range []struct {
			name, code, field string
			edit              func(in *congdoan.AgreementInput)
		}{
			{"valid_to before valid_from", congdoan.EINVALID, "valid_to", func(in *congdoan.AgreementInput) { in.ValidTo = day(2025, 12, 31) }},
			{"valid_to on valid_from", congdoan.EINVALID, "valid_to", func(in *congdoan.AgreementInput) { in.ValidTo = in.ValidFrom }},
			{"longer than 5 years", congdoan.EINVALID, "valid_to", func(in *congdoan.AgreementInput) { in.ValidTo = day(2031, 1, 1) }},
			{"no valid_to", congdoan.EINVALID, "valid_to", func(in *congdoan.AgreementInput) { in.ValidTo = congdoan.Date{} }},
			{"no valid_from", congdoan.EINVALID, "valid_from", func(in *congdoan.AgreementInput) { in.ValidFrom = congdoan.Date{} }},
			{"signed after valid_from", congdoan.EINVALID, "signed_on", func(in *congdoan.AgreementInput) { in.SignedOn = day(2026, 1, 2) }},
			{"signed in the future", congdoan.EINVALID, "signed_on", func(in *congdoan.AgreementInput) {
				in.SignedOn, in.ValidFrom, in.ValidTo = day(2026, 11, 25), day(2026, 12, 1), day(2027, 11, 30)
			}},
			{"no signed_on", congdoan.EINVALID, "signed_on", func(in *congdoan.AgreementInput) { in.SignedOn = congdoan.Date{} }},
			{"unknown kind", congdoan.EINVALID, "kind", func(in *congdoan.AgreementInput) { in.Kind = "company" }},
			{"grade D is not confirmed", congdoan.EINVALID, "quality", func(in *congdoan.AgreementInput) { in.Quality = "D" }},
			{"long note", congdoan.EINVALID, "note", func(in *congdoan.AgreementInput) { in.Note = strings.Repeat("ghi chú ", 200) }},
			{"no union", congdoan.EINVALID, "unit_code", func(in *congdoan.AgreementInput) { in.UnitCode = "" }},
			{"unknown union", congdoan.EINVALID, "unit_code", func(in *congdoan.AgreementInput) { in.UnitCode = "KHONG-CO" }},
			{"union outside scope", congdoan.EFORBIDDEN, "unit_code", func(in *congdoan.AgreementInput) { in.UnitCode = storetest.UnitCodeC }},
			{"upper-level unit", congdoan.EINVALID, "unit_code", func(in *congdoan.AgreementInput) { in.UnitCode = storetest.District58 }},
			{"union group", congdoan.EINVALID, "unit_code", func(in *congdoan.AgreementInput) { in.UnitCode = storetest.UnitCodeA1 }},
			{"enterprise agreement with another employer", congdoan.EINVALID, "employer_id", func(in *congdoan.AgreementInput) {
				in.EmployerID = f.Employers["thpt"]
			}},
			{"employer outside scope", congdoan.EINVALID, "employer_id", func(in *congdoan.AgreementInput) {
				in.Kind, in.EmployerID = congdoan.AgreementMultiEmployer, f.Employers["che"]
			}},
			{"renews an unknown agreement", congdoan.EINVALID, "renews_id", func(in *congdoan.AgreementInput) { in.RenewsID = 999999 }},
			{"renews another union's agreement", congdoan.EINVALID, "renews_id", func(in *congdoan.AgreementInput) {
				in.RenewsID = otherUnion.ID
			}},
			{"renewal starting no later", congdoan.EINVALID, "renews_id", func(in *congdoan.AgreementInput) { in.RenewsID = first.ID }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n, events := agreementCount(t, db, f)
				in := goodAgreement()
				tc.edit(&in)
				_, err := db.CreateAgreement(ctx, in)
				if code(err) != tc.code {
					t.Fatalf("code %q, want %q: %v", code(err), tc.code, err)
				}
				if e := asDomain(err); e.Fields[tc.field] == "" {
					t.Errorf("no message for field %s: %+v", tc.field, e)
				}
				if n2, e2 := agreementCount(t, db, f); n2 != n || e2 != events {
					t.Errorf("something was written: %d→%d agreements, %d→%d events", n, n2, events, e2)
				}
			})
		}
		t.Run("outside scope names the union", func(t *testing.T) {
			in := goodAgreement()
			in.UnitCode = storetest.UnitCodeC
			_, err := db.CreateAgreement(ctx, in)
			if !strings.Contains(congdoan.ErrorMessage(err), "Công đoàn Công ty Cổ phần Chè Na Rì") {
				t.Errorf("message %q", congdoan.ErrorMessage(err))
			}
		})
		t.Run("exactly 5 years", func(t *testing.T) {
			in := goodAgreement()
			in.ValidTo = day(2030, 12, 31)
			mustAgreement(t, db, ctx, in)
		})
		t.Run("dissolved union", func(t *testing.T) {
			admin := f.Ctx(storetest.Admin)
			if _, err := db.CreateUnit(admin, congdoan.UnitInput{Code: "CDCS-GT", Name: "Công đoàn đã giải thể", Kind: congdoan.KindGrassroots,
				ParentCode: storetest.District58, EmployerID: f.Employers["go"], FoundedOn: day(2010, 1, 1)}); err != nil {
				t.Fatal(err)
			}
			if err := db.DissolveUnit(admin, "CDCS-GT", day(2026, 6, 1), ""); err != nil {
				t.Fatal(err)
			}
			in := goodAgreement()
			in.UnitCode = "CDCS-GT"
			if _, err := db.CreateAgreement(ctx, in); code(err) != congdoan.EINVALID || !strings.Contains(congdoan.ErrorMessage(err), "giải thể") {
				t.Errorf("dissolved union: %v", err)
			}
		})
	})
}

func TestAgreementScope(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctxA := f.Ctx(storetest.UnionA)
		own := mustAgreement(t, db, ctxA, goodAgreement())
		inC := goodAgreement()
		inC.UnitCode = storetest.UnitCodeC
		foreign := mustAgreement(t, db, f.Ctx(storetest.UnionC), inC)
		n, events := agreementCount(t, db, f)

		if _, err := db.CreateAgreement(ctxA, inC); code(err) != congdoan.EFORBIDDEN ||
			!strings.Contains(congdoan.ErrorMessage(err), storetest.UnitCodeC) {
			t.Errorf("union A records for union C: %v", err)
		}
		if _, err := db.FindAgreementByID(ctxA, foreign.ID); code(err) != congdoan.ENOTFOUND {
			t.Errorf("union A reads union C's agreement: %v", err)
		}
		up := inC
		up.Quality = "A"
		if _, err := db.UpdateAgreement(ctxA, foreign.ID, up); code(err) != congdoan.ENOTFOUND {
			t.Errorf("union A edits union C's agreement: %v", err)
		}
		if _, _, err := db.FindAgreements(ctxA, congdoan.AgreementFilter{Unit: storetest.UnitCodeC}); code(err) != congdoan.ENOTFOUND {
			t.Errorf("union A lists union C: %v", err)
		}
		as, total, err := db.FindAgreements(ctxA, congdoan.AgreementFilter{})
		if err != nil || total != 1 || len(as) != 1 || as[0].ID != own.ID {
			t.Errorf("union A sees %+v (%d), %v", as, total, err)
		}
		as, _, err = db.FindAgreements(ctxA, congdoan.AgreementFilter{EmployerID: f.Employers["che"]})
		if err != nil || len(as) != 0 {
			t.Errorf("union A filters by union C's employer: %+v %v", as, err)
		}
		// Renewing another union's agreement does not reveal it.
		in := goodAgreement()
		in.ValidFrom, in.ValidTo, in.RenewsID = day(2029, 1, 1), day(2031, 12, 31), foreign.ID
		in.SignedOn = day(2026, 11, 20)
		if _, err := db.CreateAgreement(ctxA, in); code(err) != congdoan.EINVALID || strings.Contains(congdoan.ErrorMessage(err), "Chè") {
			t.Errorf("renewing union C's agreement: %v", err)
		}
		if n2, e2 := agreementCount(t, db, f); n2 != n || e2 != events {
			t.Errorf("something was written: %d→%d agreements, %d→%d events", n, n2, events, e2)
		}
		if got, _ := db.FindAgreementByID(f.Ctx(storetest.Admin), foreign.ID); *got != *foreign {
			t.Errorf("union C's agreement changed: %+v", got)
		}
	})
}

func TestFindAgreementsValidOn(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.Province)
		// Union A: 2026 only. Union B: to 31/12/2027. Union C: expired 2025.
		in := goodAgreement()
		in.ValidFrom, in.ValidTo = day(2026, 1, 1), day(2026, 12, 31)
		a := mustAgreement(t, db, ctx, in)
		in.UnitCode, in.ValidTo = storetest.UnitCodeB, day(2027, 12, 31)
		b := mustAgreement(t, db, ctx, in)
		in.UnitCode, in.SignedOn, in.ValidFrom, in.ValidTo = storetest.UnitCodeC, day(2022, 12, 1), day(2023, 1, 1), day(2025, 12, 31)
		c := mustAgreement(t, db, ctx, in)

		ids := func(f congdoan.AgreementFilter) []int64 {
			t.Helper()
			as, total, err := db.FindAgreements(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if f.Limit == 0 && total != len(as) {
				t.Errorf("total %d, items %d", total, len(as))
			}
			var out []int64
			for _, x := range as {
				out = append(out, x.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    congdoan.AgreementFilter
			want []int64
		}{
			{"everything, latest first", congdoan.AgreementFilter{}, []int64{b.ID, a.ID, c.ID}},
			{"first day in force", congdoan.AgreementFilter{ValidOn: day(2026, 1, 1)}, []int64{a.ID, b.ID}},
			{"the day before", congdoan.AgreementFilter{ValidOn: day(2025, 12, 31)}, []int64{c.ID}},
			{"last day is included", congdoan.AgreementFilter{ValidOn: day(2026, 12, 31)}, []int64{a.ID, b.ID}},
			{"the day after the last", congdoan.AgreementFilter{ValidOn: day(2027, 1, 1)}, []int64{b.ID}},
			{"district subtree", congdoan.AgreementFilter{Unit: storetest.District58}, []int64{b.ID, a.ID}},
			{"one union", congdoan.AgreementFilter{Unit: storetest.UnitCodeC}, []int64{c.ID}},
			{"employer", congdoan.AgreementFilter{EmployerID: f.Employers["thpt"]}, []int64{b.ID}},
			{"page", congdoan.AgreementFilter{Limit: 1, Offset: 1}, []int64{a.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := ids(tc.f); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
		if _, total, _ := db.FindAgreements(ctx, congdoan.AgreementFilter{Limit: 1}); total != 3 {
			t.Errorf("total of a page: %d", total)
		}
		t.Run("status", func(t *testing.T) {
			for _, tc := range []struct {
				on   congdoan.Date
				want congdoan.AgreementStatus
			}{
				{day(2025, 12, 31), congdoan.AgreementPending},
				{day(2026, 1, 1), congdoan.AgreementValid},
				{day(2026, 10, 31), congdoan.AgreementValid},   // 61 days left
				{day(2026, 11, 1), congdoan.AgreementExpiring}, // 60 days left: "≤ 60 ngày"
				{day(2026, 12, 31), congdoan.AgreementExpiring},
				{day(2027, 1, 1), congdoan.AgreementExpired},
			} {
				if got := a.StatusOn(tc.on); got != tc.want {
					t.Errorf("on %s: %s, want %s", tc.on, got, tc.want)
				}
				if a.ValidOn(tc.on) != (tc.want == congdoan.AgreementValid || tc.want == congdoan.AgreementExpiring) {
					t.Errorf("ValidOn(%s) disagrees with status %s", tc.on, tc.want)
				}
			}
		})
	})
}

func TestUpdateAgreement(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.UnionA)
		old := mustAgreement(t, db, ctx, goodAgreement())

		in := goodAgreement()
		in.UnitCode, in.Quality, in.ValidTo = "", "a", day(2028, 6, 30)
		up, err := db.UpdateAgreement(ctx, old.ID, in)
		if err != nil || up.Quality != "A" || up.ValidTo != day(2028, 6, 30) || up.UnitCode != storetest.UnitCodeA || up.ID != old.ID {
			t.Fatalf("update: %+v %v", up, err)
		}
		evs, _, err := db.FindAuditEvents(f.Ctx(storetest.Admin), congdoan.AuditFilter{Action: "agreement.update"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("audit: %+v %v", evs, err)
		}
		var before, after congdoan.Agreement
		if json.Unmarshal(evs[0].Before, &before) != nil || json.Unmarshal(evs[0].After, &after) != nil ||
			before.Quality != "B" || after.Quality != "A" || after.ValidTo != day(2028, 6, 30) {
			t.Errorf("audit before %s after %s", evs[0].Before, evs[0].After)
		}

		n, events := agreementCount(t, db, f)
		for name, edit := range map[string]func(*congdoan.AgreementInput){
			"another union":  func(in *congdoan.AgreementInput) { in.UnitCode = storetest.UnitCodeA1 },
			"renews itself":  func(in *congdoan.AgreementInput) { in.RenewsID = old.ID },
			"bad dates":      func(in *congdoan.AgreementInput) { in.ValidTo = day(2020, 1, 1) },
			"another's firm": func(in *congdoan.AgreementInput) { in.EmployerID = f.Employers["che"] },
		} {
			t.Run(name, func(t *testing.T) {
				in := goodAgreement()
				edit(&in)
				if _, err := db.UpdateAgreement(ctx, old.ID, in); code(err) != congdoan.EINVALID {
					t.Errorf("got %v", err)
				}
			})
		}
		if n2, e2 := agreementCount(t, db, f); n2 != n || e2 != events {
			t.Errorf("something was written: %d→%d agreements, %d→%d events", n, n2, events, e2)
		}
		if _, err := db.UpdateAgreement(ctx, 999999, goodAgreement()); code(err) != congdoan.ENOTFOUND {
			t.Errorf("unknown id: %v", err)
		}

		t.Run("renewal", func(t *testing.T) {
			in := goodAgreement()
			in.SignedOn, in.ValidFrom, in.ValidTo, in.RenewsID = day(2026, 11, 20), day(2028, 7, 1), day(2031, 6, 30), old.ID
			r := mustAgreement(t, db, ctx, in)
			if r.RenewsID != old.ID {
				t.Errorf("renews %d", r.RenewsID)
			}
			// The old one cannot in turn renew the new one: chains only go forward.
			back := goodAgreement()
			back.RenewsID = r.ID
			if _, err := db.UpdateAgreement(ctx, old.ID, back); code(err) != congdoan.EINVALID {
				t.Errorf("cycle: %v", err)
			}
		})
	})
}
