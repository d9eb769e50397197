package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"

	"congdoan"
	"congdoan/store"
)

// browserBin returns the Chromium to drive: CONGDOAN_BROWSER, else Debian's
// /usr/bin/chromium. Without one the browser test skips, except in CI,
// where .ci/run installs it and a skip would hide a broken install.
func browserBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("CONGDOAN_BROWSER")
	if bin == "" {
		bin = "/usr/bin/chromium"
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the browser test: %s not found (.ci/run installs Debian's chromium)", bin)
		}
		t.Skipf("no browser at %s: install Debian's chromium (apt-get install chromium) or set CONGDOAN_BROWSER", bin)
	}
	return bin
}

// browseTransfer is the officer's path through the demo province in a real
// Chromium: log in, search "nguyen van" without diacritics, open a member,
// transfer them to another union, and see the result on the member page.
func browseTransfer(t *testing.T, base, dbPath, password string) {
	bin := browserBin(t)
	l := launcher.New().Bin(bin).NoSandbox(true).Headless(true).Leakless(false).
		Set("disable-gpu").Set("disable-background-networking").Set("disable-component-update").Set("no-first-run")
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch %s: %v", bin, err)
	}
	t.Cleanup(l.Kill)
	b := rod.New().ControlURL(u).Timeout(60 * time.Second)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	p := b.MustPage(base + "/login")
	p.MustElement("#f-username").MustInput("canbo.xa")
	p.MustElement("#f-password").MustInput(password)
	submit(p, `form[action="/login"] button[type=submit]`)
	if !strings.Contains(p.MustElement("body").MustText(), "Cán bộ công đoàn xã") {
		t.Fatalf("not logged in: %s", p.MustInfo().URL)
	}

	p.MustNavigate(base + "/members")
	p.MustWaitLoad()
	p.MustElement("#f-q").MustInput("nguyen van")
	submit(p, `form[role="search"] button[type=submit]`)
	link := p.MustElement(`#results a[href^="/members/"]`)
	name := link.MustText()
	if !strings.HasPrefix(name, "Nguyễn Văn ") {
		t.Fatalf("first result of \"nguyen van\" is %q", name)
	}
	submitElement(p, link)
	p.MustElementR("h1", name)
	id := strings.TrimPrefix(strings.TrimPrefix(p.MustInfo().URL, base), "/members/")

	// Pick another grassroots union in the officer's subtree.
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	keys, _, err := store.LoadAuditKeys(store.DefaultAuditKeyPath(dbPath), true)
	if err != nil {
		t.Fatal(err)
	}
	db.UseAuditKeys(keys)
	defer db.Close()
	ctx := context.Background()
	sys := congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
	pid, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("member page %s", id)
	}
	m, err := db.FindMemberByID(sys, pid)
	if err != nil {
		t.Fatal(err)
	}
	var officer *congdoan.User
	users, err := db.FindUsers(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == "canbo.xa" {
			officer = u
		}
	}
	unions, _, err := db.FindUnits(congdoan.NewContextWithUser(ctx, officer), congdoan.UnitFilter{Under: officer.UnitCode, Kind: congdoan.KindGrassroots, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var target, targetName string
	for _, u := range unions {
		if u.Code != m.UnitCode && u.Active() {
			target, targetName = u.Code, u.Name
			break
		}
	}
	if target == "" {
		t.Fatalf("no other grassroots union under %s", officer.UnitCode)
	}

	submit(p, `a[href$="/transfer"]`)
	p.MustElement("#f-to_unit").MustInput(target)
	p.MustElement("#f-note").MustInput("Chuyển công tác theo quyết định của công ty")
	submit(p, `form[action$="/transfer"] button.primary`)
	body := p.MustElement("body").MustText()
	if !strings.Contains(body, targetName) || !strings.Contains(body, "Chuyển sinh hoạt đến") {
		t.Errorf("member page after the transfer does not show %s: %s", targetName, body)
	}
	// The store agrees.
	m, err = db.FindMemberByID(sys, pid)
	if err != nil || m.UnitCode != target {
		t.Errorf("after the transfer the member is in %v (%v), want %s", m.UnitCode, err, target)
	}
}

// submit clicks the element and waits for the page it leads to.
func submit(p *rod.Page, selector string) { submitElement(p, p.MustElement(selector)) }

func submitElement(p *rod.Page, el *rod.Element) {
	wait := p.MustWaitNavigation()
	el.MustClick()
	wait()
	p.MustWaitLoad()
}
