package api

import (
	"net/http"
	"slices"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

func codes(us []*congdoan.Unit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Code)
	}
	return out
}

func TestUnits(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		t.Run("top of scope", func(t *testing.T) {
			for user, want := range map[string][]string{
				storetest.UnionA:   {storetest.UnitCodeA},
				storetest.District: {storetest.District58},
				storetest.Province: {storetest.Root},
				storetest.Admin:    {storetest.Root},
			} {
				res := e.as(user, "GET", "/api/v1/units", nil)
				res.want(t, http.StatusOK)
				var l struct{ Items []*congdoan.Unit }
				res.decode(t, &l)
				if got := codes(l.Items); !slices.Equal(got, want) {
					t.Errorf("%s: top units %q, want %q", user, got, want)
				}
			}
		})
		t.Run("search by name", func(t *testing.T) {
			res := e.as(storetest.Province, "GET", "/api/v1/units?q=na+ri+che&for=members", nil)
			res.want(t, http.StatusOK)
			var l struct{ Items []*congdoan.Unit }
			res.decode(t, &l)
			if got := codes(l.Items); !slices.Equal(got, []string{storetest.UnitCodeC}) || len(l.Items[0].Path) != 2 || l.Items[0].Path[0] != "Liên đoàn Lao động huyện Na Rì" {
				t.Errorf("q=na ri che: %q, path %q", got, l.Items[0].Path)
			}
			res = e.as(storetest.UnionA, "GET", "/api/v1/units?q=na+ri", nil)
			res.want(t, http.StatusOK)
			res.decode(t, &l)
			if len(l.Items) != 0 {
				t.Errorf("a grassroots officer finds units outside the scope: %q", codes(l.Items))
			}
			e.as(storetest.Province, "GET", "/api/v1/units?q=a&limit=501", nil).wantError(t, 400, "invalid", "limit")
			e.as(storetest.Province, "GET", "/api/v1/units?q=a&for=khac", nil).wantError(t, 422, "invalid", "for")
			e.as(storetest.Province, "GET", "/api/v1/units?for=members", nil).wantError(t, 422, "invalid", "q")
		})
		t.Run("one unit", func(t *testing.T) {
			res := e.as(storetest.District, "GET", "/api/v1/units/"+storetest.District58, nil)
			res.want(t, http.StatusOK)
			var u congdoan.Unit
			res.decode(t, &u)
			if u.Counts == nil || u.Counts.Members != 5 || u.Counts.GrassrootsUnits != 2 || u.Counts.Children != 2 {
				t.Errorf("counts %+v", u.Counts)
			}
			if u.ParentCode != "" {
				t.Errorf("district officer sees the parent %s outside the scope", u.ParentCode)
			}
			if got := codes(u.Children); len(got) != 2 || u.Children[0].Counts == nil {
				t.Errorf("children %q", got)
			}
			res = e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeA, nil)
			res.want(t, http.StatusOK)
			res.decode(t, &u)
			if u.ParentCode != storetest.District58 || u.Counts.Members != 3 || len(u.Children) != 1 || u.Children[0].Code != storetest.UnitCodeA1 {
				t.Errorf("CDCS-A: parent %s, counts %+v, children %q", u.ParentCode, u.Counts, codes(u.Children))
			}
			e.as(storetest.Province, "GET", "/api/v1/units/KHONG-CO", nil).wantError(t, 404, "not_found", "")
		})
		t.Run("tree", func(t *testing.T) {
			res := e.as(storetest.Province, "GET", "/api/v1/units/LDLD-BK/tree?depth=1&date=2026-11-01", nil)
			res.want(t, http.StatusOK)
			var u congdoan.Unit
			res.decode(t, &u)
			if got := codes(u.Children); len(got) != 2 || len(u.Children[0].Children) != 0 {
				t.Errorf("depth 1: children %q", got)
			}
			// Counts are checked on the full tree: with a depth limit the
			// store (today) sums only the levels it returns.
			res = e.as(storetest.Province, "GET", "/api/v1/units/LDLD-BK/tree?date=2026-11-01", nil)
			res.want(t, http.StatusOK)
			u = congdoan.Unit{}
			res.decode(t, &u)
			if u.Counts == nil || u.Counts.Members != 7 || u.Counts.GrassrootsUnits != 3 || len(u.Children) != 2 || len(u.Children[0].Children) == 0 {
				t.Errorf("full tree: counts %+v, children %q", u.Counts, codes(u.Children))
			}
			e.as(storetest.Province, "GET", "/api/v1/units/LDLD-BK/tree?date=01/11/2026", nil).wantError(t, 422, "invalid", "date")
			e.as(storetest.Province, "GET", "/api/v1/units/LDLD-BK/tree?date=2030-01-01", nil).wantError(t, 422, "invalid", "date")
			e.as(storetest.Province, "GET", "/api/v1/units/LDLD-BK/tree?depth=-1", nil).wantError(t, 422, "invalid", "depth")
		})
		t.Run("restructure", func(t *testing.T) {
			res := e.as(storetest.UnionA, "POST", "/api/v1/units", map[string]any{"code": "CDCS-A-T2", "name": "Tổ công đoàn Phân xưởng cơ khí",
				"kind": "group", "parent_code": storetest.UnitCodeA, "founded_on": "2026-01-05"})
			res.want(t, http.StatusCreated)
			if loc := res.header.Get("Location"); loc != "/api/v1/units/CDCS-A-T2" {
				t.Errorf("Location %q", loc)
			}
			e.as(storetest.UnionA, "POST", "/api/v1/units", map[string]any{"code": "CDCS-A-T2", "name": "Trùng mã", "kind": "group",
				"parent_code": storetest.UnitCodeA}).wantError(t, 409, "conflict", "code")
			e.as(storetest.UnionA, "POST", "/api/v1/units", map[string]any{"code": "CDCS-X", "name": "Công đoàn mới", "kind": "grassroots",
				"parent_code": storetest.District58}).wantError(t, 422, "invalid", "")

			// A grassroots officer may found groups but not restructure.
			e.as(storetest.UnionA, "POST", "/api/v1/units/CDCS-A-T2/dissolve", map[string]any{"on": "2026-11-01"}).wantError(t, 403, "forbidden", "")

			var u congdoan.Unit
			res = e.as(storetest.District, "POST", "/api/v1/units/"+storetest.UnitCodeA1+"/merge", map[string]any{"into": "CDCS-A-T2", "on": "2026-11-01"})
			res.want(t, http.StatusOK)
			res.decode(t, &u)
			if u.Active() {
				t.Errorf("merged unit still active: %s", res.body)
			}
			if m := e.member("Hoàng Thị Đào"); m.UnitCode != "CDCS-A-T2" {
				t.Errorf("member of the merged group is in %s", m.UnitCode)
			}

			res = e.as(storetest.Province, "POST", "/api/v1/units/"+storetest.UnitCodeC+"/move", map[string]any{"parent_code": storetest.District58, "on": "2026-11-01", "note": "Theo quyết định 12/QĐ"})
			res.want(t, http.StatusOK)
			res.decode(t, &u)
			if u.ParentCode != storetest.District58 {
				t.Errorf("after move parent %s", u.ParentCode)
			}
			res = e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeC+"/history", nil)
			res.want(t, http.StatusOK)
			var h struct{ Items []*congdoan.UnitEvent }
			res.decode(t, &h)
			if n := len(h.Items); n != 2 || h.Items[1].Kind != "moved" || h.Items[1].OtherCode != storetest.District58 || h.Items[1].Note != "Theo quyết định 12/QĐ" {
				t.Errorf("history %s", res.body)
			}
			e.as(storetest.Province, "POST", "/api/v1/units/"+storetest.UnitCodeC+"/move", map[string]any{"parent_code": storetest.District58, "on": "2026-11-02"}).
				wantError(t, 422, "invalid", "parent_code")

			e.as(storetest.Province, "POST", "/api/v1/units/"+storetest.UnitCodeB+"/dissolve", map[string]any{"on": "2026-11-01"}).wantError(t, 409, "conflict", "")
			e.as(storetest.Province, "POST", "/api/v1/units/CDCS-A-T2/dissolve", map[string]any{}).wantError(t, 422, "invalid", "on")
			e.as(storetest.Province, "POST", "/api/v1/members/"+itoa(e.f.MemberIDs["Hoàng Thị Đào"])+"/transfer",
				map[string]any{"to_unit": storetest.UnitCodeA, "on": "2026-11-10"}).want(t, http.StatusOK)
			res = e.as(storetest.Province, "POST", "/api/v1/units/CDCS-A-T2/dissolve", map[string]any{"on": "2026-11-20", "note": "Phân xưởng đóng cửa"})
			res.want(t, http.StatusOK)
			res.decode(t, &u)
			if u.DissolvedOn.String() != "2026-11-20" {
				t.Errorf("dissolved %s", res.body)
			}
			if err := db.CheckDerived(e.f.Ctx(storetest.Admin)); err != nil {
				t.Errorf("derived data after restructuring through the API: %v", err)
			}
		})
	})
}

// TestUnitOnDate: GET /api/v1/units/{code}?date= answers the unit in the
// tree of that date; a unit that did not exist then is 422, and an unknown
// parameter is 400, never silently today's unit.
func TestUnitOnDate(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		tinh := e.f.Ctx(storetest.Province)
		if err := db.MoveUnit(tinh, storetest.UnitCodeB, storetest.District66, congdoan.NewDate(2026, 11, 1), ""); err != nil {
			t.Fatal(err)
		}
		var u congdoan.Unit
		res := e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeB+"?date=2026-10-01", nil)
		res.want(t, http.StatusOK)
		res.decode(t, &u)
		if u.ParentCode != storetest.District58 || u.Counts == nil || u.Counts.Members != 2 {
			t.Errorf("B on 01/10/2026: parent %s, counts %+v", u.ParentCode, u.Counts)
		}
		res = e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeB, nil)
		res.want(t, http.StatusOK)
		u = congdoan.Unit{}
		res.decode(t, &u)
		if u.ParentCode != storetest.District66 {
			t.Errorf("B today: parent %s", u.ParentCode)
		}
		e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeB+"?date=2004-01-01", nil).wantError(t, 422, "invalid", "date")
		e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeB+"?ngay=2026-10-01", nil).wantError(t, 400, "invalid", "ngay")
	})
}
