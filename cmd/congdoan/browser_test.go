package main

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"

	"congdoan"
	"congdoan/indicator"
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

// openWithKeys opens the SQLite database at dbPath with the audit key
// file beside it, as the command does, closed when the test ends.
func openWithKeys(t *testing.T, dbPath string) *store.DB {
	t.Helper()
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys, _, err := store.LoadAuditKeys(store.DefaultAuditKeyPath(dbPath), true)
	if err != nil {
		t.Fatal(err)
	}
	db.UseAuditKeys(keys)
	return db
}

// launchBrowser starts a headless Chromium for the test and connects to
// it, with every request timing out after timeout.
func launchBrowser(t *testing.T, timeout time.Duration) *rod.Browser {
	t.Helper()
	bin := browserBin(t)
	l := launcher.New().Bin(bin).NoSandbox(true).Headless(true).Leakless(false).
		Set("disable-gpu").Set("disable-background-networking").Set("disable-component-update").Set("no-first-run")
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch %s: %v", bin, err)
	}
	t.Cleanup(l.Kill)
	b := rod.New().ControlURL(u).Timeout(timeout)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// browseTransfer is the officer's path through the demo province in a real
// Chromium: log in, search "nguyen van" without diacritics, open a member,
// transfer them to another union, and see the result on the member page.
func browseTransfer(t *testing.T, base, dbPath, password string) {
	b := launchBrowser(t, 60*time.Second)
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
	db := openWithKeys(t, dbPath)
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
	users, err := db.FindUsers(sys, congdoan.UserFilter{})
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

// browseHistory is the province officer and the commune officer in the
// demo province, in a real Chromium: the tree of 30/06/2024 starts from
// the federations that existed then (Bắc Kạn's beside Thái Nguyên's, with
// its members), and a leave dated inside an approved report's period is
// refused on the form with the report named.
func browseHistory(t *testing.T, base, dbPath, password string) {
	b := launchBrowser(t, 90*time.Second)
	login := func(username string) *rod.Page {
		p := b.MustIncognito().MustPage(base + "/login")
		p.MustElement("#f-username").MustInput(username)
		p.MustElement("#f-password").MustInput(password)
		submit(p, `form[action="/login"] button[type=submit]`)
		return p
	}

	db := openWithKeys(t, dbPath)
	sys := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())

	t.Run("the tree of 2024", func(t *testing.T) {
		tops, err := db.TopUnitsOn(sys, congdoan.NewDate(2024, 6, 30))
		if err != nil {
			t.Fatal(err)
		}
		var bk *congdoan.Unit
		for _, u := range tops {
			if strings.Contains(u.Name, "Bắc Kạn") {
				bk = u
			}
		}
		if bk == nil {
			t.Fatalf("no Bắc Kạn federation at the top of the tree of 30/06/2024: %v", tops)
		}
		p := login("canbo.tinh")
		p.MustNavigate(base + "/units?date=30/06/2024")
		p.MustWaitLoad()
		body := p.MustElement("main").MustText()
		if !strings.Contains(body, bk.Name) || !strings.Contains(body, "30/06/2024") {
			t.Errorf("the tree of 30/06/2024 does not start from %s: %s", bk.Name, body)
		}
		// Its members on that day, not "0".
		if !regexp.MustCompile(`2\d\.\d{3}`).MatchString(body) {
			t.Errorf("no member count of Bắc Kạn's size on the 2024 tree: %s", body)
		}
	})

	t.Run("a locked period", func(t *testing.T) {
		users, err := db.FindUsers(sys, congdoan.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var officer *congdoan.User
		for _, u := range users {
			if u.Username == "canbo.xa" {
				officer = u
			}
		}
		svc, _ := indicator.Services(db)
		period, err := congdoan.ParseReportPeriod("2026-H1")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Reports.CreateReport(sys, officer.UnitCode, period)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.SubmitReport(sys, rep.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.ApproveReport(sys, rep.ID); err != nil {
			t.Fatal(err)
		}
		// A member of the commune's unions since before the period.
		ms, _, err := db.FindMembers(congdoan.NewContextWithUser(context.Background(), officer), congdoan.MemberFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		var m *congdoan.Member
		for _, x := range ms {
			if x.Since.Before(congdoan.NewDate(2026, 1, 1)) {
				m = x
				break
			}
		}
		if m == nil {
			t.Fatalf("no member of %s since before 2026", officer.UnitCode)
		}
		p := login("canbo.xa")
		p.MustNavigate(base + "/members/" + strconv.FormatInt(m.ID, 10) + "/leave")
		p.MustWaitLoad()
		p.MustElement("#f-on").MustSelectAllText().MustInput("15/03/2026")
		wait, handle := p.MustHandleDialog()
		go func() { wait(); handle(true, "") }()
		submit(p, `form[action$="/leave"] button[type=submit]`)
		body := p.MustElement("main").MustText()
		if !strings.Contains(body, "đã duyệt ngày") || !strings.Contains(body, "6 tháng đầu năm 2026") {
			t.Errorf("the leave form does not name the approved report: %s", body)
		}
		if got, err := db.FindMemberByID(sys, m.ID); err != nil || !got.Active() {
			t.Errorf("member after the refused leave: %+v %v", got, err)
		}
	})
}
