package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

// foreignAgreements records an agreement for CDCS-B and one for CDCS-C (as
// the administrator) and returns their ids, for walks as CDCS-A's officer.
func foreignAgreements(t *testing.T, a *testApp) []string {
	t.Helper()
	var ids []string
	for _, unit := range []string{storetest.UnitCodeB, storetest.UnitCodeC} {
		x, err := a.db.CreateAgreement(a.ctxAs(storetest.Admin), congdoan.AgreementInput{UnitCode: unit, Kind: congdoan.AgreementEnterprise,
			SignedOn: congdoan.NewDate(2025, 12, 1), ValidFrom: congdoan.NewDate(2026, 1, 1), ValidTo: congdoan.NewDate(2027, 12, 31), Quality: "B"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, itoa(x.ID))
	}
	return ids
}

// agreementValues is a valid agreement form for unit ("" for an edit).
func agreementValues(unit string) url.Values {
	f := url.Values{"kind": {"enterprise"}, "signed_on": {"20/12/2025"}, "valid_from": {"01/01/2026"}, "valid_to": {"31/12/2026"}, "quality": {"A"}}
	if unit != "" {
		f.Set("unit_code", unit)
	}
	return f
}

func TestAgreementPages(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)
	count := func() int {
		t.Helper()
		_, n, err := a.db.FindAgreements(a.ctxAs(storetest.Admin), congdoan.AgreementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	r := c.get("/units/" + storetest.UnitCodeA)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Thỏa ước lao động tập thể", "Chưa ghi nhận thỏa ước nào.", `href="/agreements/new?unit=CDCS-A"`, "Ghi nhận thỏa ước")
	r = c.get("/units/" + storetest.UnitCodeA1) // a group has no agreements of its own
	wantNotContains(t, r, "Ghi nhận thỏa ước")

	r = c.get("/agreements/new?unit=" + storetest.UnitCodeA)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/agreements/new", r)
	wantContains(t, r, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn", "Thỏa ước cấp doanh nghiệp", "Thỏa ước ngành", "Thỏa ước có nhiều doanh nghiệp tham gia")

	t.Run("invalid form shows every message and writes nothing", func(t *testing.T) {
		f := agreementValues(storetest.UnitCodeA)
		f.Set("signed_on", "32/13/2025")
		f.Set("valid_to", "01/01/2025")
		f.Set("quality", "D")
		r := c.post("/agreements", f)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		checkPage(t, "POST /agreements", r)
		wantContains(t, r, "Ngày không hợp lệ", "phải sau ngày bắt đầu có hiệu lực", "Xếp loại thỏa ước", `value="01/01/2025"`)
		f = agreementValues(storetest.UnitCodeA)
		f.Set("valid_to", "31/12/2035")
		r = c.post("/agreements", f)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "dài quá 5 năm")
		if n := count(); n != 0 {
			t.Errorf("%d agreements written", n)
		}
	})

	r = c.post("/agreements", agreementValues(storetest.UnitCodeA))
	wantStatus(t, r, http.StatusSeeOther)
	page := c.follow(r)
	wantStatus(t, page, http.StatusOK)
	checkPage(t, r.location, page)
	// Today is 24/11/2026: 37 days left.
	wantContains(t, page, "Đã ghi nhận thỏa ước.", "Công ty TNHH Khoáng sản Bắc Kạn", "31/12/2026", "Sắp hết hạn (≤ 60 ngày)")
	path := r.location

	for _, tc := range []struct {
		path, want, not string
	}{
		{"/agreements", "Sắp hết hạn", ""},
		{"/agreements?valid_on=31/12/2026", "31/12/2026", ""},
		{"/agreements?valid_on=01/01/2027", "Không có thỏa ước nào khớp.", "20/12/2025"},
		{"/agreements?valid_on=all", "Khoáng sản", ""},
		{"/agreements?valid_on=", "Khoáng sản", ""},
		{"/agreements?unit=" + storetest.UnitCodeA + "&valid_on=2026-06-01", "Còn hiệu lực", ""},
		{"/units/" + storetest.UnitCodeA, "Sắp hết hạn", "Chưa ghi nhận thỏa ước nào."},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := c.get(tc.path)
			wantStatus(t, r, http.StatusOK)
			checkPage(t, tc.path, r)
			wantContains(t, r, tc.want)
			if tc.not != "" {
				wantNotContains(t, r, tc.not)
			}
		})
	}
	r = c.get("/agreements?valid_on=99/99/2026")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	checkPage(t, "bad date", r)

	t.Run("edit", func(t *testing.T) {
		r := c.get(path + "/edit")
		wantStatus(t, r, http.StatusOK)
		checkPage(t, path+"/edit", r)
		wantContains(t, r, `value="31/12/2026"`, `<option value="A" selected>`)
		f := agreementValues("")
		f.Set("valid_to", "31/12/2028")
		f.Set("quality", "C")
		r = c.post(path+"/edit", f)
		wantStatus(t, r, http.StatusSeeOther)
		r = c.follow(r)
		wantContains(t, r, "Đã lưu thỏa ước.", "31/12/2028", "Còn hiệu lực")
		// A crafted unit code in the edit form changes nothing.
		f.Set("unit_code", storetest.UnitCodeB)
		wantStatus(t, c.post(path+"/edit", f), http.StatusSeeOther)
		id, _ := strconv.ParseInt(path[len("/agreements/"):], 10, 64)
		if x, err := a.db.FindAgreementByID(a.ctxAs(storetest.Admin), id); err != nil || x.UnitCode != storetest.UnitCodeA || x.Quality != "C" {
			t.Errorf("after edits: %+v %v", x, err)
		}
		r = c.get("/agreements/new?unit=" + storetest.UnitCodeA + "&renews=" + strconv.FormatInt(id, 10))
		wantContains(t, r, "01/01/2029", `name="renews_id"`)
	})

	t.Run("monitor reads, does not write", func(t *testing.T) {
		m := a.login(t, storetest.Monitor)
		r := m.get("/agreements")
		wantStatus(t, r, http.StatusOK)
		checkPage(t, "/agreements", r)
		wantContains(t, r, `href="/agreements"`, "Khoáng sản")
		wantNotContains(t, r, "/agreements/new")
		r = m.get(path)
		wantStatus(t, r, http.StatusOK)
		wantNotContains(t, r, "/edit")
		r = m.get("/units/" + storetest.UnitCodeA)
		wantStatus(t, r, http.StatusOK)
		wantNotContains(t, r, "/agreements/new")
		n := count()
		wantStatus(t, m.get("/agreements/new"), http.StatusForbidden)
		wantStatus(t, m.get(path+"/edit"), http.StatusForbidden)
		wantStatus(t, m.post("/agreements", agreementValues(storetest.UnitCodeA)), http.StatusForbidden)
		wantStatus(t, m.post(path+"/edit", agreementValues("")), http.StatusForbidden)
		if count() != n {
			t.Error("the monitor wrote an agreement")
		}
	})

	t.Run("english", func(t *testing.T) {
		e := a.login(t, storetest.Province)
		e.get("/lang/en?next=/agreements")
		r := e.get("/agreements?valid_on=all")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Collective agreements", "Enterprise agreement", "In force")
	})

	t.Run("malformed and foreign ids", func(t *testing.T) {
		for _, p := range append([]string{"/agreements/abc", "/agreements/0", "/agreements/999999"}, foreignAgreements(t, a)...) {
			if p[0] != '/' {
				p = "/agreements/" + p
			}
			wantStatus(t, c.get(p), http.StatusNotFound)
		}
	})
}
