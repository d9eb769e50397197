package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan/store/storetest"
)

func TestLogin(t *testing.T) {
	a := mustApp(t)

	t.Run("works and lands on the user's unit", func(t *testing.T) {
		c := a.anon(t)
		r := c.post("/login", url.Values{"username": {storetest.UnionA}, "password": {storetest.Password}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/" {
			t.Errorf("location %q, want /", r.location)
		}
		var cookie string
		for _, v := range r.header.Values("Set-Cookie") {
			if strings.HasPrefix(v, sessionCookie+"=") {
				cookie = v
			}
		}
		for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("session cookie %q lacks %s", cookie, attr)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Errorf("cookie %q is Secure without SecureCookies", cookie)
		}
		home := c.follow(r)
		wantStatus(t, home, http.StatusSeeOther)
		if home.location != "/units/"+storetest.UnitCodeA {
			t.Errorf("home redirects to %q", home.location)
		}
		page := c.follow(home)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "Chủ tịch CĐCS A", "Cán bộ công đoàn cơ sở", "Đăng xuất")
	})

	t.Run("wrong password shows the message", func(t *testing.T) {
		c := a.anon(t)
		r := c.post("/login", url.Values{"username": {storetest.District}, "password": {"sai-mat-khau-roi"}})
		wantStatus(t, r, http.StatusUnauthorized)
		wantContains(t, r, "Tên đăng nhập hoặc mật khẩu không đúng.", `value="huyen"`)
	})

	t.Run("rate limit", func(t *testing.T) {
		c := a.anon(t)
		form := url.Values{"username": {storetest.Province}, "password": {"sai-mat-khau-roi"}}
		for i := 0; i < loginLimit; i++ {
			wantStatus(t, c.post("/login", form), http.StatusUnauthorized)
		}
		r := c.post("/login", form)
		wantStatus(t, r, http.StatusTooManyRequests)
		wantContains(t, r, "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau 15 phút.")
		if r.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		// Even the right password waits: that is the point.
		form.Set("password", storetest.Password)
		wantStatus(t, c.post("/login", form), http.StatusTooManyRequests)
		// Another name from the same address is not blocked.
		wantStatus(t, c.post("/login", url.Values{"username": {storetest.Monitor}, "password": {storetest.Password}}), http.StatusSeeOther)
	})

	t.Run("logged out pages redirect to login", func(t *testing.T) {
		c := a.anon(t)
		for _, p := range []string{"/", "/units", "/members?q=an", "/members/1", "/employers", "/audit"} {
			r := c.get(p)
			wantStatus(t, r, http.StatusSeeOther)
			want := "/login"
			if p != "/" {
				want += "?next=" + url.QueryEscape(p)
			}
			if r.location != want {
				t.Errorf("%s → %q, want %q", p, r.location, want)
			}
		}
		r := c.post("/members", url.Values{"cccd": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.location, "/login") {
			t.Errorf("POST logged out → %q", r.location)
		}
		// htmx gets told to navigate rather than a login page to swap in.
		r = c.get("/members?q=an", "HX-Request", "true")
		if r.header.Get("HX-Redirect") == "" {
			t.Errorf("htmx request got no HX-Redirect: %d", r.status)
		}
	})

	t.Run("next goes back, only to local paths", func(t *testing.T) {
		for next, want := range map[string]string{
			"/members?q=an":        "/members?q=an",
			"//evil.example/x":     "/",
			"https://evil.example": "/",
			"/\\evil.example":      "/",
			"javascript:alert(1)":  "/",
		} {
			c := a.anon(t)
			r := c.post("/login", url.Values{"username": {storetest.District}, "password": {storetest.Password}, "next": {next}})
			wantStatus(t, r, http.StatusSeeOther)
			if r.location != want {
				t.Errorf("next %q → %q, want %q", next, r.location, want)
			}
		}
		c := a.anon(t)
		r := c.get("/login?next=" + url.QueryEscape("//evil.example"))
		wantContains(t, r, `name="next" value=""`)
	})

	t.Run("logout ends the session", func(t *testing.T) {
		c := a.login(t, storetest.District)
		wantStatus(t, c.get("/units"), http.StatusOK)
		r := c.post("/logout", nil)
		wantStatus(t, r, http.StatusSeeOther)
		wantStatus(t, c.get("/units"), http.StatusSeeOther)
	})

	t.Run("cross-origin POST is refused", func(t *testing.T) {
		c := a.anon(t)
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/login", strings.NewReader("username=huyen"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		wantStatus(t, c.do(req), http.StatusForbidden)
	})
}

func TestLanguage(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.District)
	r := c.get("/lang/en?next=" + url.QueryEscape("/units"))
	wantStatus(t, r, http.StatusSeeOther)
	if r.location != "/units" {
		t.Errorf("location %q", r.location)
	}
	page := c.get("/units")
	wantContains(t, page, `<html lang="en">`, "Union organisation tree", "Log out", "Grassroots union")
	// Data and domain messages stay Vietnamese.
	wantContains(t, page, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn")
	c.get("/lang/vi")
	wantContains(t, c.get("/units"), `<html lang="vi">`, "Cây tổ chức công đoàn")
	wantStatus(t, c.get("/lang/fr"), http.StatusNotFound)
}

func TestStatic(t *testing.T) {
	a := mustApp(t)
	c := a.anon(t)
	for _, p := range []string{"/static/app.css", "/static/app.js", "/static/htmx.min.js"} {
		r := c.get(p)
		wantStatus(t, r, http.StatusOK)
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s Cache-Control %q", p, cc)
		}
	}
	wantStatus(t, c.get("/static/"), http.StatusNotFound)
	wantStatus(t, c.get("/static/nope.css"), http.StatusNotFound)
}
