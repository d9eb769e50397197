package web

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

func TestUnitPages(t *testing.T) {
	a := mustApp(t)

	t.Run("tree with counts and links", func(t *testing.T) {
		r := a.login(t, storetest.Province).get("/units")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Liên đoàn Lao động huyện Na Rì", "<details", "LĐLĐ huyện", "7 đoàn viên", "3 CĐCS",
			`hx-get="/units/LDLD-BK-058/children"`, "2 đơn vị trực thuộc")
		// Two levels: the unions come when their district is opened.
		wantNotContains(t, r, `href="/units/CDCS-A"`)
		r = a.login(t, storetest.Province).get("/units/LDLD-BK-058/children", "HX-Request", "true")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `href="/units/CDCS-A"`, "Công đoàn cơ sở Trường THPT Chuyên Bắc Kạn", `hx-get="/units/CDCS-A/children"`)
		wantNotContains(t, r, "<html", "Na Rì")
		// Outside the scope: not found.
		wantStatus(t, a.login(t, storetest.UnionA).get("/units/LDLD-BK-066/children"), http.StatusNotFound)
	})

	t.Run("tree as of a date before a unit existed", func(t *testing.T) {
		r := a.login(t, storetest.Province).get("/units?date=" + url.QueryEscape("01/01/2012"))
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "01/01/2012", `id="tree-date" name="date" value="01/01/2012"`)
		r = a.login(t, storetest.Province).get("/units/LDLD-BK-058/children?date=" + url.QueryEscape("01/01/2012"))
		wantContains(t, r, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn")
		// CDCS-C was founded in 2018.
		r = a.login(t, storetest.Province).get("/units/LDLD-BK-066/children?date=" + url.QueryEscape("01/01/2012"))
		wantNotContains(t, r, "Công đoàn Công ty Cổ phần Chè Na Rì")
	})

	t.Run("unit page", func(t *testing.T) {
		c := a.login(t, storetest.District)
		r := c.get("/units/" + storetest.UnitCodeA)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r,
			"Công đoàn Công ty TNHH Khoáng sản Bắc Kạn", "Công đoàn cơ sở", `href="/units/LDLD-BK-058"`,
			"Tổ công đoàn Phân xưởng tuyển quặng", "01/05/2010", `href="/employers/`, "Nguyễn Văn An",
			`href="/members?unit=CDCS-A"`, "Thành lập", "Chuyển đơn vị", "Sáp nhập", "Giải thể",
			"33,33 %", // one woman of three members
			`href="/members/new?unit=CDCS-A"`)
		// The grassroots officer sees its union but not the restructuring.
		u := a.login(t, storetest.UnionA).get("/units/" + storetest.UnitCodeA)
		wantContains(t, u, "Thêm đơn vị trực thuộc")
		wantNotContains(t, u, "/move", "/merge", "/dissolve")
		// Its parent is outside its scope: shown without a link.
		wantNotContains(t, u, `href="/units/LDLD-BK-058"`)
	})

	t.Run("monitor sees counts, not members", func(t *testing.T) {
		r := a.login(t, storetest.Monitor).get("/units/" + storetest.UnitCodeA)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn", "Đoàn viên")
		wantNotContains(t, r, "Nguyễn Văn", "/members")
	})

	t.Run("grassroots officer adds a group", func(t *testing.T) {
		c := a.login(t, storetest.UnionA)
		form := c.get("/units/" + storetest.UnitCodeA + "/new")
		wantStatus(t, form, http.StatusOK)
		wantContains(t, form, "Tổ công đoàn", "Công đoàn bộ phận")
		wantNotContains(t, form, `value="grassroots"`)
		bad := c.post("/units/"+storetest.UnitCodeA+"/new", url.Values{"code": {"có dấu"}, "name": {""}, "kind": {"group"}, "founded_on": {"01/11/2026"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		wantContains(t, bad, "Mã đơn vị chỉ gồm", "Tên đơn vị không được để trống.", `value="có dấu"`)
		r := c.post("/units/"+storetest.UnitCodeA+"/new", url.Values{"code": {"CDCS-A-T2"}, "name": {"Tổ công đoàn Phân xưởng cơ khí"}, "kind": {"group"}, "founded_on": {"01/11/2026"}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/units/CDCS-A-T2" {
			t.Errorf("location %q", r.location)
		}
		wantContains(t, c.follow(r), "Đã lập đơn vị.", "Tổ công đoàn Phân xưởng cơ khí", "01/11/2026")
	})

	t.Run("founding a union for an employer without one", func(t *testing.T) {
		c := a.login(t, storetest.Province)
		emp := a.f.Employers["go"]
		page := c.get("/employers/" + itoa(emp))
		wantContains(t, page, "Thành lập công đoàn cơ sở", "/units/LDLD-BK-066/new?employer="+itoa(emp))
		form := c.get("/units/LDLD-BK-066/new?employer=" + itoa(emp) + "&kind=grassroots")
		wantStatus(t, form, http.StatusOK)
		wantContains(t, form, `value="Công đoàn Công ty TNHH Chế biến Gỗ Na Rì"`, "Công ty TNHH Chế biến Gỗ Na Rì")
		r := c.post("/units/LDLD-BK-066/new", url.Values{"code": {"CDCS-GO"}, "name": {"Công đoàn Công ty TNHH Chế biến Gỗ Na Rì"},
			"kind": {"grassroots"}, "employer_id": {itoa(emp)}, "founded_on": {"02/11/2026"}})
		wantStatus(t, r, http.StatusSeeOther)
		e, err := a.db.FindEmployerByID(a.ctxAs(storetest.Admin), emp)
		if err != nil || e.UnionCode != "CDCS-GO" {
			t.Errorf("employer union %q, %v", e.UnionCode, err)
		}
	})
}

func TestRestructure(t *testing.T) {
	a := mustApp(t)

	t.Run("a target outside the scope is a form error", func(t *testing.T) {
		c := a.login(t, storetest.District)
		r := c.post("/units/"+storetest.UnitCodeB+"/move", url.Values{"parent_code": {storetest.District66}, "on": {"01/11/2026"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Không tìm thấy đơn vị có mã", `value="LDLD-BK-066"`, `role="alert"`)
	})

	t.Run("bad date is a form error", func(t *testing.T) {
		c := a.login(t, storetest.Province)
		r := c.post("/units/"+storetest.UnitCodeB+"/merge", url.Values{"into": {storetest.UnitCodeA}, "on": {"32/01/2026"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Ngày không hợp lệ", `value="CDCS-A"`)
	})

	t.Run("move, then see the old tree", func(t *testing.T) {
		c := a.login(t, storetest.Province)
		r := c.post("/units/"+storetest.UnitCodeB+"/move", url.Values{"parent_code": {storetest.District66}, "on": {"01/07/2025"}, "note": {"Sắp xếp 2025"}})
		wantStatus(t, r, http.StatusSeeOther)
		page := c.follow(r)
		wantContains(t, page, "Đã chuyển đơn vị.", "Liên đoàn Lao động huyện Na Rì", "01/07/2025", "Sắp xếp 2025")
		u, err := a.db.FindUnitByCode(a.ctxAs(storetest.Admin), storetest.UnitCodeB)
		if err != nil || u.ParentCode != storetest.District66 {
			t.Fatalf("parent %q, %v", u.ParentCode, err)
		}
		before := c.get("/units?date=30/06/2025")
		after := c.get("/units")
		// The districts' subtree counts tell where CDCS-B (2 members) sat.
		counts := func(body, district string) string {
			m := regexp.MustCompile(regexp.QuoteMeta(district) + `</a>\s*<span class="counts">([^<]*)</span>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no %s in the tree", district)
			}
			return m[1]
		}
		for _, c := range []struct{ body, district, want string }{
			{before.body, "Liên đoàn Lao động thành phố Bắc Kạn", "5 đoàn viên · 2 CĐCS"},
			{before.body, "Liên đoàn Lao động huyện Na Rì", "2 đoàn viên · 1 CĐCS"},
			{after.body, "Liên đoàn Lao động thành phố Bắc Kạn", "3 đoàn viên · 1 CĐCS"},
			{after.body, "Liên đoàn Lao động huyện Na Rì", "4 đoàn viên · 2 CĐCS"},
		} {
			if got := counts(c.body, c.district); got != c.want {
				t.Errorf("%s: %q, want %q", c.district, got, c.want)
			}
		}
	})

	t.Run("dissolve is offered only for an empty unit", func(t *testing.T) {
		c := a.login(t, storetest.Province)
		wantContains(t, c.get("/units/"+storetest.UnitCodeC), "Chỉ giải thể được khi")
		r := c.post("/units/"+storetest.UnitCodeC+"/dissolve", url.Values{"on": {"01/11/2026"}})
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "còn 2 đoàn viên")
		r = c.post("/units/"+storetest.UnitCodeC+"/merge", url.Values{"into": {storetest.UnitCodeA}, "on": {"01/11/2026"}})
		wantStatus(t, r, http.StatusSeeOther)
		page := c.follow(r)
		wantContains(t, page, "Đã sáp nhập đơn vị.", "Giải thể ngày 01/11/2026", "Sáp nhập vào")
		m, err := a.db.FindMemberByID(a.ctxAs(storetest.Admin), a.f.MemberIDs["Lý Thị Én"])
		if err != nil || m.UnitCode != storetest.UnitCodeA {
			t.Errorf("member unit %q, %v", m.UnitCode, err)
		}
		_, n, _ := a.db.FindMembers(a.ctxAs(storetest.Admin), congdoan.MemberFilter{Unit: storetest.UnitCodeA})
		if n != 5 {
			t.Errorf("CDCS-A has %d members after the merge", n)
		}
	})
}
