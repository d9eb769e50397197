package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// employerPage is the decoded answer of GET /api/v1/employers.
type employerPage struct {
	Total int                  `json:"total"`
	Items []*congdoan.Employer `json:"items"`
}

func TestEmployers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		list := func(t *testing.T, user, query string) employerPage {
			t.Helper()
			res := e.as(user, "GET", "/api/v1/employers"+query, nil)
			res.want(t, http.StatusOK)
			var p employerPage
			res.decode(t, &p)
			return p
		}
		empNames := func(p employerPage) []string {
			var out []string
			for _, x := range p.Items {
				out = append(out, x.Name)
			}
			return out
		}
		t.Run("15 or more workers without a union", func(t *testing.T) {
			p := list(t, storetest.Province, "?min_workers=15&has_union=false")
			if got := empNames(p); !slices.Equal(got, []string{"Công ty TNHH Chế biến Gỗ Na Rì"}) || p.Total != 1 {
				t.Errorf("got %q (total %d)", got, p.Total)
			} else if x := p.Items[0]; x.WorkersTotal != 25 || x.HasUnion() {
				t.Errorf("%+v", x)
			}
		})
		t.Run("with a union", func(t *testing.T) {
			p := list(t, storetest.Province, "?has_union=true")
			if got := empNames(p); len(got) != 3 || slices.Contains(got, "Công ty TNHH Chế biến Gỗ Na Rì") {
				t.Errorf("got %q", got)
			}
		})
		t.Run("scope", func(t *testing.T) {
			p := list(t, storetest.UnionA, "")
			if got := empNames(p); !slices.Equal(got, []string{"Công ty TNHH Khoáng sản Bắc Kạn"}) {
				t.Errorf("union A sees %q", got)
			}
			p = list(t, storetest.Province, "?unit=LDLD-BK-066&sector=non_state")
			if got := empNames(p); !slices.Equal(got, []string{"Công ty Cổ phần Chè Na Rì", "Công ty TNHH Chế biến Gỗ Na Rì"}) {
				t.Errorf("district 066, non-state: %q", got)
			}
		})
		t.Run("bad parameters", func(t *testing.T) {
			e.as(storetest.Province, "GET", "/api/v1/employers?has_union=yes", nil).wantError(t, 422, "invalid", "has_union")
			e.as(storetest.Province, "GET", "/api/v1/employers?has_union=1", nil).wantError(t, 422, "invalid", "has_union")
			e.as(storetest.Province, "GET", "/api/v1/employers?min_workers=muoi-lam", nil).wantError(t, 422, "invalid", "min_workers")
			e.as(storetest.Province, "GET", "/api/v1/employers?sector=tu-nhan", nil).wantError(t, 422, "invalid", "sector")
			e.as(storetest.Province, "GET", "/api/v1/employers?unit=KHONG-CO", nil).wantError(t, 404, "not_found", "")
			e.as(storetest.Province, "GET", "/api/v1/employers/x1", nil).wantError(t, 422, "invalid", "id")
		})
		t.Run("create", func(t *testing.T) {
			body := map[string]any{"tax_code": "4700567890", "name": "Công ty TNHH May Bắc Kạn", "sector": "fdi", "industry": "Dệt may",
				"workers_total": 300, "workers_female": 250, "unit_code": storetest.District58}
			res := e.as(storetest.District, "POST", "/api/v1/employers", body)
			res.want(t, http.StatusCreated)
			var x congdoan.Employer
			res.decode(t, &x)
			if x.ID == 0 || x.Status != congdoan.EmployerActive || x.WorkersTotal != 300 || x.UnitCode != storetest.District58 {
				t.Errorf("created %+v", x)
			}
			// The same tax code again is a conflict naming the employer.
			body["name"] = "Trùng mã số thuế"
			eb := e.as(storetest.District, "POST", "/api/v1/employers", body).wantError(t, 409, "conflict", "tax_code")
			if !strings.Contains(eb.Message, "Công ty TNHH May Bắc Kạn") {
				t.Errorf("conflict does not name the employer: %s", eb.Message)
			}
			e.as(storetest.District, "POST", "/api/v1/employers", map[string]any{"name": "", "sector": "x"}).wantError(t, 422, "invalid", "name")
		})
		t.Run("patch changes only given fields", func(t *testing.T) {
			id := e.f.Employers["khoangsan"]
			before, err := db.FindEmployerByID(e.f.Ctx(storetest.Admin), id)
			if err != nil {
				t.Fatal(err)
			}
			res := e.as(storetest.District, "PATCH", fmt.Sprintf("/api/v1/employers/%d", id), map[string]any{"workers_total": 130, "industry": nil})
			res.want(t, http.StatusOK)
			after, err := db.FindEmployerByID(e.f.Ctx(storetest.Admin), id)
			if err != nil {
				t.Fatal(err)
			}
			want := *before
			want.WorkersTotal = 130
			want.HeadcountAsOf = congdoan.DateOf(storetest.Now)
			if *after != want {
				t.Errorf("after PATCH\n got %+v\nwant %+v", *after, want)
			}
			e.as(storetest.District, "PATCH", fmt.Sprintf("/api/v1/employers/%d", id), map[string]any{"workers_female": 500}).
				wantError(t, 422, "invalid", "workers_female")
			e.as(storetest.District, "PATCH", fmt.Sprintf("/api/v1/employers/%d", id), map[string]any{"owner": "x"}).
				wantError(t, 400, "invalid", "owner")
			e.as(storetest.District, "PATCH", "/api/v1/employers/999999", map[string]any{"name": "x"}).wantError(t, 404, "not_found", "")
		})
	})
}
