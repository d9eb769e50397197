package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

// TestAuditPageBeforeAfter: the audit page shows what each event changed,
// with CCCD, phone and birth date masked, and a province officer sees the
// events of their own province only.
func TestAuditPageBeforeAfter(t *testing.T) {
	a := mustApp(t)
	a.f.SeedOtherProvince(t)
	if _, err := a.db.UpdateMember(a.ctxAs(storetest.UnionA), a.f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Phone: strPtr("0987000111"), Job: strPtr("Thợ mỏ")}); err != nil {
		t.Fatal(err)
	}
	// Every seeded CCCD, phone and birth date, whole, in either form.
	var whole []string
	for i, y := range []int{1985, 1990, 1992, 1980, 1988, 1979, 1995} {
		whole = append(whole, storetest.CCCD(i == 2 || i == 3 || i == 6, y, 100+i), "091234560"+string(rune('0'+i)))
	}
	whole = append(whole, storetest.CCCD(true, 1991, 900), "0987654321", "0987000111", "1985-03-15", "15/03/1985", "1991-06-20", "20/06/1991")

	for _, c := range []struct {
		user        string
		sees, hides []string
	}{
		{storetest.Province, []string{"Nguyễn Văn An", "Lý Thị Én"}, []string{storetest.OtherMember}},
		{storetest.OtherProvince, []string{storetest.OtherMember}, []string{"Nguyễn Văn An", "Lý Thị Én"}},
		{storetest.Admin, []string{"Nguyễn Văn An", storetest.OtherMember}, nil},
	} {
		r := a.login(t, c.user).get("/audit?entity=member")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, c.sees...)
		wantNotContains(t, r, c.hides...)
		wantNotContains(t, r, whole...)
		// Personal data is not shown at all, not even masked.
		wantNotContains(t, r, "••••••••0100", "••/••/1985", "091••••600", "098••••111", "••••••••0900", "098••••321")
		if c.user != storetest.OtherProvince {
			// An's admission in words, and the edit: what changed, by label.
			wantContains(t, r, `<a href="/members/`+strconv.FormatInt(a.f.MemberIDs["Nguyễn Văn An"], 10)+`">Nguyễn Văn An</a></strong>: kết nạp vào <a href="/units/CDCS-A">Công đoàn Công ty TNHH Khoáng sản Bắc Kạn</a>`,
				`<dt>Số điện thoại</dt><dd><span class="before" title="Trước">•••</span> → <span title="Sau">•••</span></dd>`,
				`<dt>Nghề nghiệp</dt><dd><span class="before" title="Trước">Công nhân</span> → <span title="Sau">Thợ mỏ</span></dd>`,
				"Chủ tịch CĐCS A (coso.a)")
		}
	}
}

func strPtr(s string) *string { return &s }

// TestAuditVerifyPage: administrators check the signed chain from the
// audit page — intact, then an event edited in the database is named; a
// province officer is neither offered the check nor allowed it.
func TestAuditVerifyPage(t *testing.T) {
	a := mustApp(t)
	admin := a.login(t, storetest.Admin)
	r := admin.get("/audit")
	wantContains(t, r, "Kiểm tra chuỗi nhật ký", `action="/audit/verify"`)
	r = admin.post("/audit/verify", url.Values{})
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/audit/verify", r)
	wantContains(t, r, "Nhật ký nguyên vẹn:")

	if _, err := storetest.Raw(t, a.db).Exec(`UPDATE audit_events SET username = 'ai-do' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	r = admin.post("/audit/verify", url.Values{})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Nhật ký KHÔNG nguyên vẹn", "Sự kiện 3:")

	tinh := a.login(t, storetest.Province)
	wantNotContains(t, tinh.get("/audit"), `action="/audit/verify"`)
	wantStatus(t, tinh.post("/audit/verify", url.Values{}), http.StatusForbidden)
}
