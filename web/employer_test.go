package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan/store/storetest"
)

func TestEmployers(t *testing.T) {
	a := mustApp(t)

	t.Run("organising list", func(t *testing.T) {
		c := a.login(t, storetest.Province)
		list := c.get("/employers")
		wantContains(t, list, "Doanh nghiệp từ 15 lao động chưa có công đoàn", `href="/employers?has_union=no&amp;min_workers=15"`,
			"Công ty TNHH Khoáng sản Bắc Kạn", "4700123456", "120", "Hộ kinh doanh Đàm Văn Tư", "Chưa có")
		r := c.get("/employers?min_workers=15&has_union=no")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Công ty TNHH Chế biến Gỗ Na Rì", "Hiển thị 1–1 trong 1 đơn vị", `aria-current="true"`)
		wantNotContains(t, r, "Công ty TNHH Khoáng sản Bắc Kạn", "Hộ kinh doanh Đàm Văn Tư")
		// Largest first, with the women in brackets.
		if i, j := strings.Index(list.body, "Khoáng sản"), strings.Index(list.body, "Chè Na Rì"); i > j {
			t.Error("employers not largest first")
		}
		wantContains(t, list, `120 <span class="muted">(30)</span>`)
		s := c.get("/employers?q=" + url.QueryEscape("che na ri"))
		wantContains(t, s, "Công ty Cổ phần Chè Na Rì")
		wantNotContains(t, s, "Khoáng sản")
	})

	t.Run("detail shows address, union and coverage", func(t *testing.T) {
		c := a.login(t, storetest.UnionA)
		r := c.get("/employers/" + itoa(a.f.Employers["khoangsan"]))
		wantStatus(t, r, http.StatusOK)
		// 3 members of 120 workers; the responsible unit is outside the
		// grassroots officer's scope, so it is not a link.
		wantContains(t, r, "Công ty TNHH Khoáng sản Bắc Kạn", `href="/units/CDCS-A"`, "2,5 %", "Liên đoàn Lao động thành phố Bắc Kạn", "25 %")
		wantNotContains(t, r, `href="/units/LDLD-BK-058"`)
	})

	t.Run("create with errors, then create", func(t *testing.T) {
		c := a.login(t, storetest.District)
		form := c.get("/employers/new")
		wantStatus(t, form, http.StatusOK)
		wantContains(t, form, `value="LDLD-BK-058"`)
		bad := url.Values{"name": {"Công ty TNHH May Bắc Kạn"}, "tax_code": {"12345"}, "sector": {"non_state"}, "status": {"active"},
			"workers_total": {"1.200"}, "workers_female": {"nhiều"}, "headcount_as_of": {"01/11/2026"}, "unit_code": {storetest.District58},
			"commune_code": {"01843"}}
		r := c.post("/employers", bad)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Nhập một số nguyên không âm", `value="1.200"`, `value="Công ty TNHH May Bắc Kạn"`)
		bad.Set("workers_female", "700")
		r = c.post("/employers", bad)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Mã số thuế", `value="12345"`)
		bad.Set("tax_code", "4700 999 888")
		r = c.post("/employers", bad)
		wantStatus(t, r, http.StatusSeeOther)
		page := c.follow(r)
		wantContains(t, page, "Đã thêm đơn vị sử dụng lao động.", "Công ty TNHH May Bắc Kạn", "4700999888", "1.200", "700", "58,33 %",
			"Phường Bắc Kạn, Tỉnh Thái Nguyên") // commune 01843 (Phường Phùng Chí Kiên) today, after the 2025 reorganisation
		wantNotContains(t, page, "Tỉnh Bắc Kạn")
	})

	t.Run("edit keeps values and saves", func(t *testing.T) {
		c := a.login(t, storetest.District)
		id := itoa(a.f.Employers["thpt"])
		form := c.get("/employers/" + id + "/edit")
		wantStatus(t, form, http.StatusOK)
		wantContains(t, form, `value="Trường THPT Chuyên Bắc Kạn"`, `value="4700234567"`, `value="60"`, `value="40"`, `selected>Đơn vị sự nghiệp công lập`)
		r := c.post("/employers/"+id+"/edit", url.Values{"name": {"Trường THPT Chuyên Bắc Kạn"}, "tax_code": {"4700234567"}, "sector": {"public_unit"},
			"status": {"active"}, "workers_total": {"64"}, "workers_female": {"41"}, "headcount_as_of": {"20/11/2026"}, "unit_code": {storetest.District58}})
		wantStatus(t, r, http.StatusSeeOther)
		wantContains(t, c.follow(r), "Đã lưu đơn vị sử dụng lao động.", "64", "20/11/2026")
	})
}
