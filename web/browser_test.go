package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"

	"congdoan/store/storetest"
)

// TestBrowser drives the pages in a real headless Chromium: login, the
// htmx live search (typed key by key, no submit), the reveal with its reason, and
// no content-security-policy violation or script error on any page. It
// runs when CONGDOAN_BROWSER names a Chromium binary (CI sets it). With
// CONGDOAN_SCREENSHOTS=DIR it also saves desktop and phone screenshots of
// the main pages there, for a person to look at.
func TestBrowser(t *testing.T) {
	b := launchBrowser(t)
	a := mustApp(t)
	p, err := b.Page(proto.TargetCreateTarget{})
	if err != nil {
		t.Fatal(err)
	}
	problems := watchProblems(p)
	p = p.Timeout(60 * time.Second)
	base := a.srv.URL

	// Login through the redirect and back.
	p.MustNavigate(base + "/members").MustWaitLoad()
	if !strings.Contains(p.MustInfo().URL, "/login?next=") {
		t.Fatalf("not sent to login: %s", p.MustInfo().URL)
	}
	p.MustElement("#f-username").MustInput(storetest.UnionA)
	p.MustElement("#f-password").MustInput(storetest.Password)
	p.MustElement("button.primary").MustClick()
	p.MustElement("#f-q")
	if got := p.MustInfo().URL; !strings.HasSuffix(got, "/members") {
		t.Fatalf("after login at %s", got)
	}

	// Live search: type, wait for the results to change, without submitting.
	keys := []input.Key{}
	for _, r := range "nguyen van" {
		keys = append(keys, input.Key(r))
	}
	p.MustElement("#f-q").MustType(keys...)
	p.MustWait(`() => { const r = document.querySelector('#results').innerText;
		return r.includes('Nguyễn Văn Bình') && !r.includes('Hoàng Thị Đào') }`)
	if n := p.MustEval(`() => document.querySelectorAll('header.top').length`).Int(); n != 1 {
		t.Errorf("%d page headers after the swap: the whole page was swapped in", n)
	}
	if u := p.MustInfo().URL; !strings.Contains(u, "q=nguyen") {
		t.Errorf("search not in the address bar: %s", u)
	}
	if n := p.MustEval(`() => document.querySelectorAll('style, [style]').length`).Int(); n != 0 {
		t.Errorf("%d inline styles in the page (htmx indicator styles?)", n)
	}
	if strings.Contains(p.MustElement("#results").MustText(), "Nguyễn Văn Cường") {
		t.Error("a member of another union in the results")
	}

	// Reveal.
	// Wait for the navigation a click starts, not for "load" right after
	// the click: that can ask the page being left and fail at random.
	clickAndWait(p, p.MustElementR("#results a", "Nguyễn Văn An"))
	// "Hiện" opens the prompt for the reason, which the reveal needs.
	p.MustElementR("summary", "Hiện").MustClick()
	p.MustElement("#f-reveal-reason").MustInput("Đối chiếu hồ sơ kết nạp")
	clickAndWait(p, p.MustElementR("button", "Hiện dữ liệu đầy đủ"))
	p.MustElementR("dd", storetest.CCCD(false, 1985, 100))

	if dir := os.Getenv("CONGDOAN_SCREENSHOTS"); dir != "" {
		screenshots(t, b, base, dir)
	}

	for _, pr := range problems() {
		t.Errorf("browser: %s", pr)
	}
}

// screenshots saves full-page PNGs of the main pages, desktop and phone,
// as the district officer (who sees every kind of page but the audit log).
func screenshots(t *testing.T, b *rod.Browser, base, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A fresh profile, so the district officer logs in beside the
	// grassroots officer of the main test.
	p := b.MustIncognito().MustPage(base + "/login").Timeout(60 * time.Second)
	p.MustWaitLoad()
	p.MustElement("#f-username").MustInput(storetest.District)
	p.MustElement("#f-password").MustInput(storetest.Password)
	p.MustElement("button.primary").MustClick()
	p.MustElement(".who-name") // logged in: the next page has loaded
	pages := map[string]string{
		"units":     "/units",
		"unit":      "/units/" + storetest.UnitCodeA,
		"members":   "/members?q=nguyen",
		"member":    "/members/1",
		"admission": "/members/new?unit=" + storetest.UnitCodeA,
		"employers": "/employers",
		"employer":  "/employers/1",
		"district":  "/units/" + storetest.District58,
		"notfound":  "/members/999",
		"tree2025":  "/units?date=30/06/2025",
		"transfer":  "/members/1/transfer",
		"login":     "/login",
	}
	for name, path := range pages {
		for _, vp := range []struct {
			suffix        string
			width, height int
			mobile        bool
		}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
			p.MustSetViewport(vp.width, vp.height, 1, vp.mobile)
			p.MustNavigate(base + path).MustWaitLoad()
			p.MustScreenshotFullPage(filepath.Join(dir, name+"-"+vp.suffix+".png"))
		}
	}
}

// clickAndWait clicks el and waits until the page it leads to has loaded.
func clickAndWait(p *rod.Page, el *rod.Element) {
	wait := p.MustWaitNavigation()
	el.MustClick()
	wait()
	p.MustWaitLoad()
}
