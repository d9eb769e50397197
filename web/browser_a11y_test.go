package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"

	"congdoan/store/storetest"
)

// axeSource is axe-core, vendored from npm (testdata/axe/README.md).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// pickOption types into a picker and chooses the option whose text holds
// want, as how says: "keys" (arrow keys and Enter), "click" (a mouse) or
// "tap" (a finger).
func pickOption(t *testing.T, p *rod.Page, field, typed, want, how string) {
	t.Helper()
	in := p.MustElement("#f-" + field)
	typeText(in, typed)
	opt := p.MustElementR("#f-"+field+"-list [role=option]", want)
	switch how {
	case "keys":
		// Down to the option, then Enter.
		opts := p.MustElements("#f-" + field + "-list [role=option]")
		for _, o := range opts {
			in.MustType(input.ArrowDown)
			if o.MustText() == opt.MustText() {
				break
			}
		}
		if sel := p.MustElement("#f-" + field + "-list [aria-selected=true]").MustText(); !strings.Contains(sel, want) {
			t.Fatalf("%s: the arrow keys selected %q, want %q", field, sel, want)
		}
		in.MustType(input.Enter)
	case "tap":
		opt.MustTap()
	default:
		opt.MustClick()
	}
	p.MustWait(`(id) => document.getElementById(id + '-list').hidden`, "f-"+field)
	if got := p.MustElement("#f-" + field + "-picked").MustText(); !strings.Contains(got, want) {
		t.Errorf("%s: the field names %q after the choice, want %q", field, got, want)
	}
}

// TestBrowserPickers: at desktop and phone size a province officer admits
// a member and transfers them, choosing both unions by typing part of
// their names in the pickers, then finds a member by typing "van an" and
// "nguyen an" in the live search.
func TestBrowserPickers(t *testing.T) {
	b := launchBrowser(t)
	a := mustApp(t)
	for i, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			p := browserLogin(t, b, a.srv.URL, storetest.Province, vp.width, vp.height, vp.mobile).Timeout(90 * time.Second)
			p.MustNavigate(a.srv.URL + "/members/new").MustWaitLoad()
			name := []string{"Bế Thị Lan", "Ma Văn Sinh"}[i]
			p.MustElement("#f-cccd").MustInput(storetest.CCCD(i == 0, 1996, 921+i))
			p.MustElement("#f-full_name").MustInput(name)
			p.MustElement(`input[name=gender][value="` + []string{"F", "M"}[i] + `"]`).MustClick()
			p.MustElement("#f-birth_date").MustInput("15031996")
			pickOption(t, p, "unit_code", "chè na", "Công đoàn Công ty Cổ phần Chè Na Rì", map[bool]string{false: "click", true: "keys"}[vp.mobile])
			if v := p.MustElement("#f-unit_code").MustProperty("value").String(); v != storetest.UnitCodeC {
				t.Fatalf("the picker put %q in the field, want %s", v, storetest.UnitCodeC)
			}
			typeText(p.MustElement("#f-joined_on"), "01112026")
			btn := p.MustElement("form.form button.primary")
			clickAndWait(p, btn)
			if u := p.MustInfo().URL; !strings.Contains(u, "/members/") || strings.HasSuffix(u, "/members") {
				t.Fatalf("after the admission at %s:\n%s", u, p.MustElement("main").MustText())
			}
			p.MustElementR("h1", name)
			id := strings.TrimPrefix(p.MustInfo().URL, a.srv.URL+"/members/")
			if _, err := strconv.ParseInt(id, 10, 64); err != nil {
				t.Fatalf("member page %s", p.MustInfo().URL)
			}

			p.MustNavigate(a.srv.URL + "/members/" + id + "/transfer").MustWaitLoad()
			pickOption(t, p, "to_unit", "khoáng sản", "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn", map[bool]string{false: "keys", true: "tap"}[vp.mobile])
			if v := p.MustElement("#f-to_unit").MustProperty("value").String(); v != storetest.UnitCodeA {
				t.Fatalf("the picker put %q in the field, want %s", v, storetest.UnitCodeA)
			}
			btn = p.MustElement("form.form button.primary")
			if vp.mobile {
				// A phone taps.
				wait := p.MustWaitNavigation()
				btn.MustTap()
				wait()
				p.MustWaitLoad()
			} else {
				clickAndWait(p, btn)
			}
			if u := p.MustInfo().URL; u != a.srv.URL+"/members/"+id {
				h := p.MustHTML()
				i := strings.Index(h, "<main")
				t.Fatalf("after the transfer at %s:\n%s", u, h[i:min(len(h), i+3000)])
			}
			m, err := a.db.FindMemberByID(a.ctxAs(storetest.Admin), mustInt(t, id))
			if err != nil || m.UnitCode != storetest.UnitCodeA {
				t.Fatalf("after the transfer: %+v %v", m, err)
			}

			// The live search, as people type names: words in any order,
			// the given name with the family name only.
			p.MustNavigate(a.srv.URL + "/members").MustWaitLoad()
			for _, q := range []string{"van an", "nguyen an", "an nguyen"} {
				typeText(p.MustElement("#f-q"), q)
				err := p.Timeout(20 * time.Second).Wait(rod.Eval(`(q) => { const r = document.querySelector('#results').innerText;
					return new URLSearchParams(location.search).get('q') === q && r.includes('Nguyễn Văn An') && !r.includes('Nguyễn Văn Bình') }`, q))
				if err != nil {
					t.Fatalf("search %q: at %s the results are:\n%s", q, p.MustInfo().URL, p.MustElement("#results").MustText())
				}
			}
		})
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// axeViolation is what the test reads of an axe-core result.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// runAxe runs axe-core over the page and returns its serious and critical
// violations. The script is evaluated through the DevTools protocol,
// which the page's content security policy does not govern.
func runAxe(t *testing.T, p *rod.Page) []axeViolation {
	t.Helper()
	if !p.MustEval(`() => typeof window.axe === 'object'`).Bool() {
		p.MustEval(`() => { ` + axeSource + `; window.axe = axe; }`)
	}
	res, err := p.Eval(`async () => {
		const r = await axe.run(document, {resultTypes: ['violations']});
		return JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical'));
	}`)
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(res.Value.Str()), &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestBrowserAccessibility runs axe-core over every page, at desktop and
// phone size, in Vietnamese and English, and fails on any serious or
// critical violation. It also checks that no page is wider than the
// phone's screen.
func TestBrowserAccessibility(t *testing.T) {
	b := launchBrowser(t)
	a := mustIndicatorApp(t)
	member := strconv.FormatInt(a.f.MemberIDs["Nguyễn Văn An"], 10)
	employer := strconv.FormatInt(a.f.Employers["khoangsan"], 10)
	agreement := foreignAgreements(t, a)[0] // of CDCS-B
	report := foreignReports(t, a)[0]
	imp := foreignImports(t, a)[0]
	pages := []string{
		"/units", "/units?date=30/06/2025", "/units/" + storetest.Root, "/units/" + storetest.UnitCodeA, "/units/" + storetest.District58 + "/new",
		"/members", "/members?q=nguyen", "/members/" + member, "/members/new", "/members/" + member + "/edit",
		"/members/" + member + "/transfer", "/members/" + member + "/leave",
		"/employers", "/employers/" + employer, "/employers/new", "/employers/" + employer + "/edit",
		"/agreements", "/agreements/new", "/agreements/" + agreement, "/agreements/" + agreement + "/edit",
		"/dashboard", "/dashboard?unit=" + storetest.District58, "/dashboard/records?indicator=members&unit=" + storetest.Root + "&side=numerator",
		"/reports", "/reports/" + report, "/targets", "/imports/new", "/imports/" + imp,
		"/audit", "/members/999999", "/members/new?unit=" + storetest.UnitCodeA + "&x=1",
		"/users", "/users/new", "/account", "/notifications",
	}
	// English uses the same templates; these pages hold its own strings.
	englishPages := []string{"/units", "/members/" + member, "/members/new", "/employers", "/dashboard", "/reports/" + report, "/audit", "/members/999999"}
	var problems []string
	for _, vp := range viewports {
		page := browserLogin(t, b, a.srv.URL, storetest.Province, vp.width, vp.height, vp.mobile)
		for _, lang := range []string{"vi", "en"} {
			page.Timeout(30 * time.Second).MustNavigate(a.srv.URL + "/lang/" + lang + "?next=/units").MustWaitLoad()
			for _, path := range pages {
				if lang == "en" && (vp.mobile || !slices.Contains(englishPages, path)) {
					continue // English: a few pages, at desktop size
				}
				p := page.Timeout(60 * time.Second)
				p.MustNavigate(a.srv.URL + path).MustWaitLoad()
				where := fmt.Sprintf("%s %s %s", vp.name, lang, path)
				for _, v := range runAxe(t, p) {
					var nodes []string
					for _, n := range v.Nodes[:min(len(v.Nodes), 3)] {
						nodes = append(nodes, fmt.Sprint(n.Target)+" "+n.HTML[:min(len(n.HTML), 160)])
					}
					problems = append(problems, fmt.Sprintf("%s: %s (%s) %s: %s", where, v.ID, v.Impact, v.Help, strings.Join(nodes, " | ")))
				}
				if vp.mobile {
					if w := p.MustEval(`() => document.documentElement.scrollWidth`).Int(); w > vp.width+1 {
						problems = append(problems, fmt.Sprintf("%s: the page is %d px wide on a %d px screen", where, w, vp.width))
					}
				}
			}
		}
	}
	for _, pr := range problems {
		t.Error(pr)
	}
}
