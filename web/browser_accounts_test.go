package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"congdoan/store/storetest"
)

// TestBrowserAccounts, at desktop and phone width: the administrator
// creates an account through the form and logs out; the new user logs in,
// is held on the account page, changes the password, logs out and logs in
// again with the new one. No page overflows the phone's width. With
// CONGDOAN_SCREENSHOTS=DIR it saves the account pages there.
func TestBrowserAccounts(t *testing.T) {
	b := launchBrowser(t)
	a := mustApp(t)
	base := a.srv.URL
	for _, vp := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		t.Run(vp.name, func(t *testing.T) {
			p := b.MustIncognito().MustPage("").Timeout(60 * time.Second)
			problems := watchProblems(p)
			p.MustSetViewport(vp.width, vp.height, 1, vp.mobile)
			fits := func(what string) {
				t.Helper()
				if dir := os.Getenv("CONGDOAN_SCREENSHOTS"); dir != "" {
					name := strings.NewReplacer("/", "-").Replace(strings.Trim(what, "/"))
					p.MustScreenshotFullPage(filepath.Join(dir, name+"-"+vp.name+".png"))
				}
				if w := p.MustEval(`() => document.documentElement.scrollWidth - window.innerWidth`).Int(); w > 0 {
					t.Errorf("%s: the page is %d px wider than the screen", what, w)
				}
			}
			login := func(username, password string) {
				t.Helper()
				p.MustNavigate(base + "/login").MustWaitLoad()
				p.MustElement("#f-username").MustInput(username)
				p.MustElement("#f-password").MustInput(password)
				clickAndWait(p, p.MustElement("button.primary"))
			}
			logout := func() {
				t.Helper()
				btn := p.MustElement(`form[action="/logout"] button`)
				wait := p.MustWaitNavigation()
				if v, _ := btn.Visible(); v {
					btn.MustClick()
				} else {
					// A phone header may fold the button into a menu.
					p.MustEval(`() => document.querySelector('form[action="/logout"]').requestSubmit()`)
				}
				wait()
				p.MustWaitLoad()
				if u := p.MustInfo().URL; !strings.HasSuffix(u, "/login") {
					t.Fatalf("after logout at %s", u)
				}
			}

			username := "moi." + vp.name
			first, second := "mot-mat-khau-tam-thoi", "hoa-ban-no-tren-doi"
			login(storetest.Admin, storetest.Password)
			p.MustNavigate(base + "/users").MustWaitLoad()
			fits("/users")
			clickAndWait(p, p.MustElement(`a.button[href^="/users/new"]`))
			fits("/users/new")
			p.MustElement("#f-username").MustInput(username)
			p.MustElement("#f-full_name").MustInput("Nguyễn Thị Mai")
			p.MustElement("#f-role").MustSelect("Cán bộ công đoàn cơ sở")
			p.MustElement("#f-unit_code").MustInput(storetest.UnitCodeA)
			p.MustElement("#f-password").MustInput(first)
			clickAndWait(p, p.MustElement(`form[action="/users"] button.primary`))
			p.MustElementR(".flash", "Đã tạo tài khoản")
			if h := p.MustElement("h1").MustText(); h != username {
				t.Errorf("account page heading %q", h)
			}
			logout()

			login(username, first)
			if u := p.MustInfo().URL; !strings.HasSuffix(u, "/account") {
				t.Fatalf("a new account lands on %s, not /account", u)
			}
			p.MustElementR(".alert", "do người quản lý đặt")
			fits("/account")
			p.MustElement("#f-current").MustInput(first)
			p.MustElement("#f-new").MustInput(second)
			p.MustElement("#f-confirm").MustInput(second)
			clickAndWait(p, p.MustElement(`form[action="/account/password"] button`))
			p.MustElementR(".flash", "Đã đổi mật khẩu")
			if p.MustHas(".alert") {
				t.Error("still asked to change the password")
			}
			logout()

			login(username, second)
			if u := p.MustInfo().URL; strings.HasSuffix(u, "/account") || strings.Contains(u, "/login") {
				t.Errorf("login with the new password lands on %s", u)
			}
			p.MustElementR(".who-name", "Nguyễn Thị Mai")
			for _, pr := range problems() {
				t.Errorf("browser: %s", pr)
			}
		})
	}
}
