package web

import (
	"congdoan/i18n"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"congdoan/store/storetest"
	"congdoan/vntext"
)

// TestPagesRender opens every page as each role and checks the page
// renders (no template error, nothing missing), in Vietnamese, within the
// content security policy, and that each role gets exactly what it may.
func TestPagesRender(t *testing.T) {
	a := mustApp(t)
	f := a.f
	an := strconv.FormatInt(f.MemberIDs["Nguyễn Văn An"], 10)
	emp := strconv.FormatInt(f.Employers["khoangsan"], 10)
	noUnion := strconv.FormatInt(f.Employers["go"], 10)

	type page struct {
		path   string
		status int
	}
	personal := func(unit string) []page {
		return []page{
			{"/members", 200}, {"/members?q=nguyen+van&status=all", 200}, {"/members?unit=" + unit, 200},
			{"/members/new", 200}, {"/members/new?unit=" + storetest.UnitCodeA, 200},
			{"/members/" + an, 200}, {"/members/" + an + "/edit", 200},
			{"/members/" + an + "/transfer", 200}, {"/members/" + an + "/leave", 200},
			{"/employers/new", 200}, {"/employers/" + emp + "/edit", 200},
		}
	}
	common := func(unit string) []page {
		return []page{
			{"/units", 200}, {"/units?date=30/06/2025", 200}, {"/units?date=2025-06-30", 200}, {"/units?date=99/99/2025", 422},
			{"/units?date=01/01/2030", 422},
			{"/units/" + unit, 200}, {"/units/" + storetest.UnitCodeA, 200},
			{"/employers", 200}, {"/employers?min_workers=15&has_union=no", 200}, {"/employers?min_workers=abc", 422},
			{"/employers?q=khoang&sector=non_state&has_union=yes&status=all", 200},
			{"/employers/" + emp, 200},
			{"/members/999999", 0}, {"/units/KHONG-CO", 404}, {"/employers/999999", 404},
		}
	}
	roles := map[string][]page{
		storetest.Admin: append(append(common(storetest.Root), personal(storetest.Root)...),
			page{"/audit", 200}, page{"/audit?action=member.create&entity=member", 200}, page{"/units/" + storetest.District58 + "/new", 200},
			page{"/employers/" + noUnion, 200}),
		storetest.Province: append(append(common(storetest.Root), personal(storetest.Root)...),
			page{"/audit", 200}, page{"/units/" + storetest.Root + "/new", 200}),
		storetest.District: append(append(common(storetest.District58), personal(storetest.District58)...),
			page{"/audit", 403}, page{"/units/" + storetest.District58 + "/new?employer=" + emp, 200}),
		storetest.UnionA: append(append(common(storetest.UnitCodeA), personal(storetest.UnitCodeA)...),
			page{"/audit", 403}, page{"/units/" + storetest.UnitCodeA + "/new", 200}),
		storetest.Monitor: append(common(storetest.Root),
			page{"/audit", 403}, page{"/members", 403}, page{"/members/" + an, 403}, page{"/members/new", 403},
			page{"/members/" + an + "/edit", 403}, page{"/employers/new", 403}, page{"/employers/" + emp + "/edit", 403},
			page{"/units/" + storetest.Root + "/new", 403}),
	}
	for role, pages := range roles {
		t.Run(role, func(t *testing.T) {
			c := a.login(t, role)
			for _, p := range pages {
				r := c.get(p.path)
				want := p.status
				if want == 0 {
					want = http.StatusNotFound
					if role == storetest.Monitor {
						want = http.StatusForbidden
					}
				}
				if r.status != want {
					t.Errorf("%s: status %d, want %d\n%.3000s", p.path, r.status, want, r.body)
					continue
				}
				checkPage(t, p.path, r)
				if role == storetest.Monitor {
					if strings.Contains(r.body, `href="/members`) {
						t.Errorf("%s: monitor sees a link to members", p.path)
					}
					wantNotContains(t, r, "Nguyễn Văn An")
				}
			}
		})
	}
}

var (
	inlineHandler = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	scriptTag     = regexp.MustCompile(`(?i)<script[^>]*>`)
	styleAttr     = regexp.MustCompile(`(?i)<[^>]+\sstyle\s*=`)
)

// checkPage checks what every HTML page must satisfy.
func checkPage(t *testing.T, path string, r response) {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("%s: content type %q", path, r.header.Get("Content-Type"))
	}
	if !strings.Contains(r.body, `<html lang="vi">`) {
		t.Errorf("%s: no <html lang=\"vi\">", path)
	}
	for _, bad := range []string{"<no value>", "%!", "ZgotmplZ", "{{", "}}"} {
		if strings.Contains(r.body, bad) {
			i := strings.Index(r.body, bad)
			t.Errorf("%s: page contains %q near %q", path, bad, r.body[max(0, i-120):min(len(r.body), i+120)])
		}
	}
	if m := inlineHandler.FindString(r.body); m != "" {
		t.Errorf("%s: inline event handler %q (CSP)", path, m)
	}
	if m := styleAttr.FindString(r.body); m != "" {
		t.Errorf("%s: inline style %q (CSP)", path, m)
	}
	for _, tag := range scriptTag.FindAllString(r.body, -1) {
		if !strings.Contains(tag, `src="/static/`) {
			t.Errorf("%s: inline script %q (CSP)", path, tag)
		}
	}
	if r.body != vntext.NFC(r.body) {
		t.Errorf("%s: page is not NFC", path)
	}
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("%s: served without the CSP", path)
	}
}

// TestCatalog checks that every interface string key used in templates
// and handlers exists in every language, and that the Vietnamese text is
// NFC (so it compares and searches as typed).
func TestCatalog(t *testing.T) {
	used := map[string]bool{}
	tmplKey := regexp.MustCompile(`\b(?:t|tf) "([^"]+)"|field "[^"]+" "([^"]+)"`)
	goKey := regexp.MustCompile(`"((?:app|nav|login|err|units|unit|unitnew|col|emp|f|hint|btn|members|memberform|member|transfer|leave|employers|empform|audit|paging|flash|v|agreements|agreement|agrform)\.[a-z0-9_.]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		if string(b) != vntext.NFC(string(b)) {
			t.Errorf("%s is not NFC", p)
		}
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+m[2]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, g := range goFiles {
		if strings.HasSuffix(g, "_test.go") || g == "i18n.go" {
			continue
		}
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			// Template file names and audit action codes look like keys.
			if strings.HasSuffix(m[1], ".html") || slices.Contains(auditActions, m[1]) {
				continue
			}
			used[m[1]] = true
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if strings.HasSuffix(k, ".") {
			continue // a prefix built in code, e.g. "hint."
		}
		if i18n.Has(k + ".other") {
			continue // a plural base, read with i18n.N; Check sees its forms
		}
		for _, lang := range i18n.Langs() {
			if _, ok := i18n.Lookup(lang, k); !ok {
				t.Errorf("key %q missing in %s", k, lang)
			}
		}
	}
	// Every key in one language is in the others, with the same verbs.
	if err := i18n.Check(); err != nil {
		t.Error(err)
	}
}
