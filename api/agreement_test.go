package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// agreementPage is the decoded answer of GET /api/v1/agreements.
type agreementPage struct {
	Total int                   `json:"total"`
	Items []*congdoan.Agreement `json:"items"`
}

// agreementBody is a valid new agreement of unit for 2026.
func agreementBody(unit string) map[string]any {
	return map[string]any{"unit_code": unit, "kind": "enterprise", "signed_on": "2025-12-20", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
		"quality": "B", "note": "Ký tại hội nghị người lao động"}
}

// agreementWalk records an agreement for each fixture union (as the
// administrator), adds the agreement routes to the scope walk aimed at
// those of CDCS-B and CDCS-C, and returns a check that they did not change.
func agreementWalk(t *testing.T, e *testEnv, walk map[string][]walkCase) func() {
	t.Helper()
	admin := e.f.Ctx(storetest.Admin)
	ids := map[string]string{}
	saved := map[string]congdoan.Agreement{}
	for _, unit := range []string{storetest.UnitCodeA, storetest.UnitCodeB, storetest.UnitCodeC} {
		a, err := e.db.CreateAgreement(admin, congdoan.AgreementInput{UnitCode: unit, Kind: congdoan.AgreementEnterprise,
			SignedOn: congdoan.NewDate(2025, 12, 1), ValidFrom: congdoan.NewDate(2026, 1, 1), ValidTo: congdoan.NewDate(2027, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		ids[unit] = itoa(a.ID)
		saved[ids[unit]] = *a
	}
	nf := []int{http.StatusNotFound}
	others := []string{"Trường THPT Chuyên Bắc Kạn", "Chè Na Rì"}
	b, c := ids[storetest.UnitCodeB], ids[storetest.UnitCodeC]
	renewal := agreementBody(storetest.UnitCodeA)
	renewal["valid_from"], renewal["valid_to"], renewal["renews_id"] = "2028-01-01", "2029-12-31", saved[c].ID
	multi := agreementBody(storetest.UnitCodeA)
	multi["kind"], multi["employer_id"] = "multi_employer", e.f.Employers["che"]
	walk["GET /api/v1/agreements"] = []walkCase{
		{path: "/api/v1/agreements?unit=" + storetest.UnitCodeC, allow: nf},
		{path: "/api/v1/agreements?unit=" + storetest.District58, allow: nf},
		{path: "/api/v1/agreements?limit=500", allow: []int{http.StatusOK}, forbid: others},
		{path: "/api/v1/agreements?valid_on=2026-06-01&employer_id=" + itoa(e.f.Employers["che"]), allow: []int{http.StatusOK}, forbid: others},
	}
	walk["POST /api/v1/agreements"] = []walkCase{
		{path: "/api/v1/agreements", body: agreementBody(storetest.UnitCodeC), allow: []int{http.StatusForbidden}},
		{path: "/api/v1/agreements", body: agreementBody(storetest.UnitCodeB), allow: []int{http.StatusForbidden}},
		{path: "/api/v1/agreements", body: multi, allow: []int{http.StatusUnprocessableEntity}, forbid: others},
		{path: "/api/v1/agreements", body: renewal, allow: []int{http.StatusUnprocessableEntity}, forbid: others},
	}
	walk["GET /api/v1/agreements/{id}"] = []walkCase{{path: "/api/v1/agreements/" + b, allow: nf}, {path: "/api/v1/agreements/" + c, allow: nf}}
	walk["PATCH /api/v1/agreements/{id}"] = []walkCase{
		{path: "/api/v1/agreements/" + b, body: map[string]any{"quality": "A"}, allow: nf},
		{path: "/api/v1/agreements/" + c, body: map[string]any{"valid_to": "2026-06-30"}, allow: nf},
	}
	return func() {
		t.Helper()
		as, n, err := e.db.FindAgreements(admin, congdoan.AgreementFilter{})
		if err != nil || n != 3 {
			t.Errorf("agreements: %d, %v; want 3", n, err)
		}
		for _, a := range as {
			if *a != saved[itoa(a.ID)] {
				t.Errorf("agreement %d changed: %+v", a.ID, a)
			}
		}
	}
}

func TestAgreements(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		count := func() int {
			t.Helper()
			_, n, err := db.FindAgreements(e.f.Ctx(storetest.Admin), congdoan.AgreementFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		var created congdoan.Agreement
		t.Run("create", func(t *testing.T) {
			res := e.as(storetest.UnionA, "POST", "/api/v1/agreements", agreementBody(storetest.UnitCodeA))
			res.want(t, http.StatusCreated)
			res.decode(t, &created)
			if created.ID == 0 || created.EmployerID != e.f.Employers["khoangsan"] || created.Kind != congdoan.AgreementEnterprise ||
				created.ValidTo != congdoan.NewDate(2026, 12, 31) || created.Quality != "B" {
				t.Errorf("created %+v", created)
			}
			if loc := res.header.Get("Location"); loc != "/api/v1/agreements/"+itoa(created.ID) {
				t.Errorf("Location %q", loc)
			}
			var got congdoan.Agreement
			e.as(storetest.Monitor, "GET", "/api/v1/agreements/"+itoa(created.ID), nil).decode(t, &got)
			if got != created {
				t.Errorf("monitor reads %+v", got)
			}
		})
		t.Run("validation writes nothing", func(t *testing.T) {
			n, audits := count(), e.auditCount()
			for _, tc := range []struct {
				name, field string
				edit        func(b map[string]any)
			}{
				{"ends before it starts", "valid_to", func(b map[string]any) { b["valid_to"] = "2025-06-30" }},
				{"over five years", "valid_to", func(b map[string]any) { b["valid_to"] = "2031-01-01" }},
				{"signed after it starts", "signed_on", func(b map[string]any) { b["signed_on"] = "2026-02-01" }},
				{"signed in the future", "signed_on", func(b map[string]any) {
					b["signed_on"], b["valid_from"], b["valid_to"] = "2026-12-01", "2027-01-01", "2027-12-31"
				}},
				{"unknown kind", "kind", func(b map[string]any) { b["kind"] = "doanh_nghiep" }},
				{"grade D", "quality", func(b map[string]any) { b["quality"] = "D" }},
				{"not a grassroots union", "unit_code", func(b map[string]any) { b["unit_code"] = storetest.UnitCodeA1 }},
				{"another employer", "employer_id", func(b map[string]any) { b["employer_id"] = e.f.Employers["go"] }},
			} {
				t.Run(tc.name, func(t *testing.T) {
					b := agreementBody(storetest.UnitCodeA)
					tc.edit(b)
					e.as(storetest.UnionA, "POST", "/api/v1/agreements", b).wantError(t, http.StatusUnprocessableEntity, "invalid", tc.field)
				})
			}
			e.as(storetest.UnionA, "POST", "/api/v1/agreements", rawBody(`{"unit_code":"CDCS-A","term":"3 năm"}`)).wantError(t, http.StatusBadRequest, "invalid", "term")
			e.as(storetest.UnionA, "POST", "/api/v1/agreements", rawBody(`{"valid_to":"31/12/2026"}`)).wantError(t, http.StatusUnprocessableEntity, "invalid", "")
			e.as(storetest.Monitor, "POST", "/api/v1/agreements", agreementBody(storetest.UnitCodeA)).wantError(t, http.StatusForbidden, "forbidden", "")
			if count() != n || e.auditCount() != audits {
				t.Errorf("something was written")
			}
		})
		t.Run("scope", func(t *testing.T) {
			eb := e.as(storetest.UnionA, "POST", "/api/v1/agreements", agreementBody(storetest.UnitCodeC)).wantError(t, http.StatusForbidden, "forbidden", "unit_code")
			if !strings.Contains(eb.Message, "Công đoàn Công ty Cổ phần Chè Na Rì") {
				t.Errorf("message %q does not name the union", eb.Message)
			}
			res := e.as(storetest.UnionC, "POST", "/api/v1/agreements", agreementBody(storetest.UnitCodeC))
			res.want(t, http.StatusCreated)
			var c congdoan.Agreement
			res.decode(t, &c)
			e.as(storetest.UnionA, "GET", "/api/v1/agreements/"+itoa(c.ID), nil).wantError(t, http.StatusNotFound, "not_found", "")
			e.as(storetest.UnionA, "PATCH", "/api/v1/agreements/"+itoa(c.ID), map[string]any{"quality": "A"}).wantError(t, http.StatusNotFound, "not_found", "")
			var p agreementPage
			e.as(storetest.UnionA, "GET", "/api/v1/agreements", nil).decode(t, &p)
			if p.Total != 1 || len(p.Items) != 1 || p.Items[0].ID != created.ID {
				t.Errorf("union A lists %+v", p)
			}
		})
		t.Run("valid_on", func(t *testing.T) {
			list := func(q string) []string {
				t.Helper()
				res := e.as(storetest.Province, "GET", "/api/v1/agreements"+q, nil)
				res.want(t, http.StatusOK)
				var p agreementPage
				res.decode(t, &p)
				var out []string
				for _, a := range p.Items {
					out = append(out, a.UnitCode)
				}
				return out
			}
			for q, want := range map[string][]string{
				"?valid_on=2026-01-01":                                          {storetest.UnitCodeA, storetest.UnitCodeC},
				"?valid_on=2026-12-31":                                          {storetest.UnitCodeA, storetest.UnitCodeC},
				"?valid_on=2027-01-01":                                          nil,
				"?valid_on=2025-12-31":                                          nil,
				"?unit=" + storetest.District66:                                 {storetest.UnitCodeC},
				"?employer_id=" + itoa(e.f.Employers["khoangsan"]):              {storetest.UnitCodeA},
				"?valid_on=2026-06-01&unit=" + storetest.UnitCodeA + "&limit=1": {storetest.UnitCodeA},
			} {
				if got := list(q); !slices.Equal(got, want) {
					t.Errorf("%s: %v, want %v", q, got, want)
				}
			}
			e.as(storetest.Province, "GET", "/api/v1/agreements?valid_on=31/12/2026", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "valid_on")
			e.as(storetest.Province, "GET", "/api/v1/agreements?employer_id=abc", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "employer_id")
			e.as(storetest.Province, "GET", "/api/v1/agreements?unit=KHONG-CO", nil).wantError(t, http.StatusNotFound, "not_found", "")
		})
		t.Run("patch", func(t *testing.T) {
			path := "/api/v1/agreements/" + itoa(created.ID)
			res := e.as(storetest.District, "PATCH", path, map[string]any{"quality": "a", "valid_to": "2028-12-31"})
			res.want(t, http.StatusOK)
			var up congdoan.Agreement
			res.decode(t, &up)
			if up.Quality != "A" || up.ValidTo != congdoan.NewDate(2028, 12, 31) || up.SignedOn != created.SignedOn || up.Note != created.Note {
				t.Errorf("patched %+v", up)
			}
			e.as(storetest.District, "PATCH", path, map[string]any{"unit_code": storetest.UnitCodeB}).wantError(t, http.StatusUnprocessableEntity, "invalid", "unit_code")
			e.as(storetest.District, "PATCH", path, map[string]any{"valid_from": "2029-01-01"}).wantError(t, http.StatusUnprocessableEntity, "invalid", "valid_to")
			e.as(storetest.District, "PATCH", path, map[string]any{"unit_code": storetest.UnitCodeA, "quality": ""}).want(t, http.StatusOK)
			e.as(storetest.Monitor, "PATCH", path, map[string]any{"quality": "C"}).wantError(t, http.StatusForbidden, "forbidden", "")
			evs, _, err := db.FindAuditEvents(e.f.Ctx(storetest.Admin), congdoan.AuditFilter{Entity: "agreement", EntityID: itoa(created.ID)})
			if err != nil || len(evs) != 3 || evs[0].Action != "agreement.update" || evs[2].Action != "agreement.create" {
				t.Errorf("audit of the agreement: %d events, %v", len(evs), err)
			}
		})
	})
}
