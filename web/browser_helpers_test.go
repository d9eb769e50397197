package web

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"congdoan/store/storetest"
)

// What the browser tests share: launching Chromium, watching a page for
// script and CSP errors, logging in at a viewport, typing as a person.

// launchBrowser starts the headless Chromium CONGDOAN_BROWSER names, or
// skips the test without one; it is stopped when the test ends.
func launchBrowser(t *testing.T) *rod.Browser {
	t.Helper()
	bin := os.Getenv("CONGDOAN_BROWSER")
	if bin == "" {
		t.Skip("set CONGDOAN_BROWSER=/usr/bin/chromium to drive the pages in a real browser")
	}
	l := launcher.New().Bin(bin).NoSandbox(true).Headless(true).Leakless(false)
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch %s: %v", bin, err)
	}
	t.Cleanup(l.Kill)
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// watchProblems collects the page's content-security-policy violations,
// console errors and script exceptions; the returned function lists them.
func watchProblems(p *rod.Page) func() []string {
	var mu sync.Mutex
	var problems []string
	add := func(s string) {
		mu.Lock()
		problems = append(problems, s)
		mu.Unlock()
	}
	_ = proto.LogEnable{}.Call(p)
	_ = proto.RuntimeEnable{}.Call(p)
	go p.EachEvent(func(e *proto.LogEntryAdded) {
		if e.Entry.Level == proto.LogLogEntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
			add(e.Entry.URL + ": " + e.Entry.Text)
		}
	}, func(e *proto.RuntimeExceptionThrown) {
		add("exception: " + e.ExceptionDetails.Text)
	}, func(e *proto.RuntimeConsoleAPICalled) {
		if e.Type == proto.RuntimeConsoleAPICalledTypeError {
			add("console error")
		}
	})()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// viewports are the two sizes every browser check runs at.
var viewports = []struct {
	name          string
	width, height int
	mobile        bool
}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}}

// browserLogin opens a fresh profile at the given viewport and logs in.
// The page it returns has no deadline: callers set one per step
// (p.Timeout), since a rod deadline runs for the page's whole life.
func browserLogin(t *testing.T, b *rod.Browser, base, username string, width, height int, mobile bool) *rod.Page {
	t.Helper()
	page := b.MustIncognito().MustPage("")
	p := page.Timeout(60 * time.Second)
	p.MustSetViewport(width, height, 1, mobile)
	p.MustNavigate(base + "/login").MustWaitLoad()
	p.MustElement("#f-username").MustInput(username)
	p.MustElement("#f-password").MustInput(storetest.Password)
	clickAndWait(p, p.MustElement("button.primary"))
	p.MustElement(".who-name")
	return page
}

// typeText types s key by key, as a person does, so that input events
// fire; a Vietnamese letter comes as an input method would send it.
func typeText(el *rod.Element, s string) {
	el.MustSelectAllText().MustInput("")
	for _, r := range s {
		if r < 0x80 {
			el.MustType(input.Key(r))
		} else {
			el.Page().MustInsertText(string(r))
		}
	}
}
