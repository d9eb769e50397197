package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan/store/storetest"
)

// loginWith logs username in with password and returns the client and the
// login's answer.
func (a *testApp) loginWith(t *testing.T, username, password string) (*client, response) {
	t.Helper()
	c := a.anon(t)
	return c, c.post("/login", url.Values{"username": {username}, "password": {password}})
}

// TestAccountPages: the administrator creates an account through the
// form; its owner is held on /account until the password is changed, and
// then works and logs in with the new one.
func TestAccountPages(t *testing.T) {
	a := mustApp(t)
	admin := a.login(t, storetest.Admin)
	r := admin.get("/users")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/users", r)
	wantContains(t, r, storetest.Province, storetest.UnionA, `href="/users/new"`, `href="/users"`)
	r = admin.get("/users/new?unit=" + storetest.UnitCodeA)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/users/new", r)
	wantContains(t, r, `value="admin"`, `type="password"`, `value="`+storetest.UnitCodeA+`"`)

	first, second := "mot-mat-khau-tam-thoi", "hoa-ban-no-tren-doi"
	form := url.Values{"username": {"nguyen.mai"}, "full_name": {"Nguyễn Thị Mai"}, "role": {"grassroots_officer"}, "unit_code": {storetest.UnitCodeA}, "password": {"matkhau123456"}}
	r = admin.post("/users", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "quá phổ biến", `value="nguyen.mai"`)
	wantNotContains(t, r, "matkhau123456")
	form.Set("password", first)
	r = admin.post("/users", form)
	wantStatus(t, r, http.StatusSeeOther)
	r = admin.follow(r)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/users/{id}", r)
	wantContains(t, r, "Đã tạo tài khoản", "nguyen.mai", "Chờ đổi mật khẩu", "Đặt lại mật khẩu", "Khóa tài khoản")
	r = admin.post("/users", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "đã có")

	// The new user: sent to /account at login and from any other page.
	c, r := a.loginWith(t, "nguyen.mai", first)
	if r.status != http.StatusSeeOther || r.location != "/account" {
		t.Fatalf("login of a new account: %d → %q", r.status, r.location)
	}
	r = c.get("/members")
	if r.status != http.StatusSeeOther || r.location != "/account" {
		t.Fatalf("/members before the change: %d → %q", r.status, r.location)
	}
	r = c.follow(r)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/account", r)
	wantContains(t, r, "Mật khẩu của bạn do người quản lý đặt", "Phiên này", "Trình duyệt")
	r = c.post("/account/password", url.Values{"current": {first}, "new": {second}, "confirm": {second + "x"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "không khớp")
	r = c.post("/account/password", url.Values{"current": {"sai-mat-khau-roi"}, "new": {second}, "confirm": {second}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Mật khẩu hiện tại không đúng")
	r = c.post("/account/password", url.Values{"current": {first}, "new": {"nguyen.mai2025"}, "confirm": {"nguyen.mai2025"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "tên đăng nhập")
	r = c.post("/account/password", url.Values{"current": {first}, "new": {second}, "confirm": {second}})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, c.follow(r), "Đã đổi mật khẩu")
	wantStatus(t, c.get("/members"), http.StatusOK)
	if _, r := a.loginWith(t, "nguyen.mai", first); r.status == http.StatusSeeOther {
		t.Error("the old password still logs in")
	}
	if _, r := a.loginWith(t, "nguyen.mai", second); r.status != http.StatusSeeOther || r.location != "/" {
		t.Errorf("login with the new password: %d → %q", r.status, r.location)
	}
}

// TestAccountScopeInUI: the province officer manages the province's
// accounts only and grants no administrator; disabling ends the user's
// session at once; others see no account pages but their own.
func TestAccountScopeInUI(t *testing.T) {
	a := mustApp(t)
	tinh := a.login(t, storetest.Province)
	r := tinh.get("/users")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, storetest.UnionC, storetest.Monitor)
	wantNotContains(t, r, `>`+storetest.Admin+`<`)
	r = tinh.get("/users?unit=" + storetest.District66)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, storetest.UnionC)
	wantNotContains(t, r, `>`+storetest.UnionA+`<`)
	r = tinh.get("/users?unit=KHONG-CO")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/users?unit=KHONG-CO", r)
	wantContains(t, r, "KHONG-CO", `aria-invalid="true"`)
	wantStatus(t, tinh.get("/users/"+itoa(a.f.Users[storetest.Admin].ID)), http.StatusNotFound)
	r = tinh.get("/users/new")
	wantStatus(t, r, http.StatusOK)
	wantNotContains(t, r, `value="admin"`)
	r = tinh.post("/users", url.Values{"username": {"qt.moi"}, "full_name": {"X"}, "role": {"admin"}, "password": {"hoa-ban-no-tren-doi"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "cao hơn vai trò của mình")

	// Disable coso.c: its open session ends at once; enable; reset.
	cosoC := a.login(t, storetest.UnionC)
	wantStatus(t, cosoC.get("/units"), http.StatusOK)
	id := itoa(a.f.Users[storetest.UnionC].ID)
	r = tinh.post("/users/"+id+"/disable", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, tinh.follow(r), "Đã khóa tài khoản", "Mở khóa tài khoản")
	if r := cosoC.get("/units"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login") {
		t.Errorf("disabled user's session: %d → %q", r.status, r.location)
	}
	wantStatus(t, tinh.post("/users/"+id+"/enable", url.Values{}), http.StatusSeeOther)
	r = tinh.post("/users/"+id+"/password", url.Values{"password": {"aaaaaaaaaaaa"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "lặp lại")
	wantStatus(t, tinh.post("/users/"+id+"/password", url.Values{"password": {"mat-khau-dat-lai-moi"}}), http.StatusSeeOther)
	if _, r := a.loginWith(t, storetest.UnionC, "mat-khau-dat-lai-moi"); r.location != "/account" {
		t.Errorf("after a reset, login goes to %q", r.location)
	}
	r = tinh.post("/users/"+id+"/edit", url.Values{"full_name": {"Chủ tịch CĐCS C mới"}, "role": {"grassroots_officer"}, "unit_code": {storetest.UnitCodeC}})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, tinh.follow(r), "Chủ tịch CĐCS C mới")

	// The district officer: no account management, their own page only.
	huyen := a.login(t, storetest.District)
	other := a.login(t, storetest.District)
	r = huyen.get("/units")
	wantNotContains(t, r, `href="/users"`)
	wantContains(t, r, `href="/account"`)
	for _, p := range []string{"/users", "/users/new", "/users/" + id} {
		wantStatus(t, huyen.get(p), http.StatusForbidden)
	}
	r = huyen.get("/account")
	wantStatus(t, r, http.StatusOK)
	if n := strings.Count(r.body, "<tr>") - 1; n != 2 {
		t.Errorf("%d sessions listed, want 2", n)
	}
	r = huyen.post("/account/sessions/end-others", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, huyen.follow(r), "Đã đăng xuất ở mọi nơi khác")
	if r := other.get("/units"); r.status != http.StatusSeeOther {
		t.Errorf("the other session survives: %d", r.status)
	}
	wantStatus(t, huyen.get("/units"), http.StatusOK)
}
