package web

import (
	"congdoan/i18n"
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"congdoan"
	"congdoan/demo"
	"congdoan/demo/demotest"
	"congdoan/geo"
	"congdoan/indicator"
	"congdoan/internal/httpx"
	"congdoan/store"
	"congdoan/store/storetest"
	"congdoan/vntext"
)

// serveApp serves the UI over db the way mustApp does.
func serveApp(t *testing.T, db *store.DB, f *storetest.Fixture) *testApp {
	t.Helper()
	atlas, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := indicator.Services(db)
	h, err := New(svc, Options{Atlas: atlas, Now: func() time.Time { return storetest.Now }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(httpx.SecurityHeaders(http.NewCrossOriginProtection().Handler(mux)))
	t.Cleanup(srv.Close)
	return &testApp{srv: srv, db: db, svc: svc, f: f}
}

// mustIndicatorApp is mustApp's fixture province with snapshots, the
// shipped plan's targets and the indicator engine.
func mustIndicatorApp(t *testing.T) *testApp {
	t.Helper()
	db := storetest.Open(t, "sqlite")
	f := storetest.Seed(t, db)
	ctx := context.Background()
	if err := db.BackfillSnapshots(ctx); err != nil {
		t.Fatal(err)
	}
	demotest.LoadPlans(t, db)
	return serveApp(t, db, f)
}

// demoApp is a small generated province (3.000 members, history from 2021,
// the 2025 merger into Thái Nguyên) with agreements, snapshots and targets,
// and a user per role: a province officer, a monitor and an administrator
// over the whole tree, and the officer of a grassroots union.
type demoApp struct {
	*testApp
	sum *demo.Summary
	e   congdoan.IndicatorService
}

const (
	demoProvince   = "tinh.tn"
	demoMonitor    = "giamsat.tn"
	demoGrassroots = "coso.tn"
	demoAdmin      = "quantri.tn"
)

func mustDemoApp(t *testing.T) *demoApp {
	t.Helper()
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	sum := demotest.Province(t, db)
	sys := congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
	for _, u := range []congdoan.UserInput{
		{Username: demoProvince, FullName: "Hoàng Thị Tỉnh", Role: congdoan.RoleProvinceOfficer, UnitCode: sum.RootCode},
		{Username: demoMonitor, FullName: "Nông Văn Giám", Role: congdoan.RoleMonitor, UnitCode: sum.RootCode},
		{Username: demoGrassroots, FullName: "Triệu Văn Cơ", Role: congdoan.RoleGrassrootsOfficer, UnitCode: sum.SampleGrassrootsCode},
		{Username: demoAdmin, FullName: "Lý Văn Trị", Role: congdoan.RoleAdmin},
	} {
		u.Password = storetest.Password
		if _, err := db.CreateUser(sys, u); err != nil {
			t.Fatalf("user %s: %v", u.Username, err)
		}
	}
	app := serveApp(t, db, nil)
	return &demoApp{testApp: app, sum: sum, e: app.svc.Indicators}
}

// as returns a service context acting as a demo user.
func (a *demoApp) as(t *testing.T, username string) context.Context {
	t.Helper()
	ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	us, err := a.db.FindUsers(ctx, congdoan.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Username == username {
			return congdoan.NewContextWithUser(context.Background(), u)
		}
	}
	t.Fatalf("no user %s", username)
	return nil
}

// card returns the HTML of one indicator's card.
func card(t *testing.T, r response, code congdoan.IndicatorCode) string {
	t.Helper()
	i := strings.Index(r.body, `id="ind-`+string(code)+`"`)
	if i < 0 {
		t.Fatalf("no card for %s", code)
	}
	j := strings.Index(r.body[i:], "</article>")
	return r.body[i : i+j]
}

// hrefs returns the unescaped links of a piece of HTML.
var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

func hrefs(s string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// recordsLink returns the link of a card to one side's records.
func recordsLink(t *testing.T, cardHTML string, side congdoan.FigureSide) string {
	t.Helper()
	for _, h := range hrefs(cardHTML) {
		if strings.HasPrefix(h, "/dashboard/records?") && strings.HasSuffix(h, "side="+string(side)) {
			return h
		}
	}
	t.Fatalf("no %s link in card:\n%s", side, cardHTML)
	return ""
}

func TestDashboardProvince(t *testing.T) {
	a := mustDemoApp(t)
	c := a.login(t, demoProvince)
	r := c.get("/dashboard")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/dashboard", r)
	fig, err := a.e.Figures(a.as(t, demoProvince), a.sum.RootCode, congdoan.Date{}, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, r, "Liên đoàn Lao động tỉnh Thái Nguyên", "số liệu ngày 24/11/2026", "Kế hoạch 61-KH/TU",
		"Kết quả trong kỳ từ 01/01/2026 đến 24/11/2026", `aria-current="page">Chỉ tiêu kế hoạch`)
	for _, def := range congdoan.IndicatorDefs {
		v := fig.Values[def.Code]
		k := card(t, r, def.Code)
		if !strings.Contains(k, html.EscapeString(def.Name)) || !strings.Contains(k, html.EscapeString(def.Numerator)) {
			t.Errorf("%s: card lacks the name or definition", def.Code)
		}
		// The big figure, formatted the Vietnamese way, is the link to
		// the records it counts.
		want := vntext.FormatInt(v.NumeratorN)
		if def.Percent {
			want = vntext.FormatPercent(v.NumeratorN, v.DenomN)
			if !strings.Contains(k, ">"+vntext.FormatInt(v.DenomN)+"</a>") {
				t.Errorf("%s: denominator %d not shown as a link", def.Code, v.DenomN)
			}
		}
		num := recordsLink(t, k, congdoan.SideNumerator)
		if !strings.Contains(k, `<p class="ind-value"><a href="`+html.EscapeString(num)+`">`+want+`</a>`) {
			t.Errorf("%s: big value %q not shown linked to %s:\n%s", def.Code, want, num, k)
		}
		if !def.Period && !strings.Contains(k, `<svg xmlns="http://www.w3.org/2000/svg" class="chart"`) {
			t.Errorf("%s: no chart", def.Code)
		}
	}
	if v := fig.Values[congdoan.IndicatorMembers]; v.NumeratorN < 1000 || strings.Contains(card(t, r, congdoan.IndicatorMembers), ">"+itoa(v.NumeratorN)+"<") {
		t.Errorf("members %d are not grouped with a dot", v.NumeratorN)
	}
	// Targets and status from the shipped plan.
	mk := card(t, r, congdoan.IndicatorMembers)
	wantIn(t, mk, "Chỉ tiêu năm 2030: ≥ 26.000", "Đến năm 2030 phấn đấu toàn tỉnh có 26.000 đoàn viên công đoàn.", `class="badge st-`, "mỗi tháng đến hết năm 2030")

	// Records: the total behind each side equals the figure.
	emp := fig.Values[congdoan.IndicatorEmployers15Union]
	ek := card(t, r, congdoan.IndicatorEmployers15Union)
	for side, want := range map[congdoan.FigureSide]int64{
		congdoan.SideNumerator:   emp.NumeratorN,
		congdoan.SideDenominator: emp.DenomN,
		congdoan.SideGap:         emp.DenomN - emp.NumeratorN,
	} {
		rr := c.get(recordsLink(t, ek, side))
		wantStatus(t, rr, http.StatusOK)
		checkPage(t, "records "+string(side), rr)
		wantContains(t, rr, "Tổng số: "+vntext.FormatInt(want), html.EscapeString(emp.Name), `href="/employers/`)
	}
	wantIn(t, ek, "Xem "+vntext.FormatInt(emp.DenomN-emp.NumeratorN)+" doanh nghiệp, đơn vị từ 15 lao động chưa có công đoàn")
	mem := fig.Values[congdoan.IndicatorMembers]
	rr := c.get(recordsLink(t, mk, congdoan.SideNumerator))
	wantStatus(t, rr, http.StatusOK)
	wantContains(t, rr, "Tổng số: "+vntext.FormatInt(mem.NumeratorN), `href="/members/`, `rel="next"`,
		"Hiển thị 1–50 trong "+vntext.FormatInt(mem.NumeratorN))
	if n := strings.Count(rr.body, `href="/members/`); n != recordsPageSize {
		t.Errorf("%d member links on the first page", n)
	}
	cba := fig.Values[congdoan.IndicatorCBACoverage]
	rr = c.get(recordsLink(t, card(t, r, congdoan.IndicatorCBACoverage), congdoan.SideNumerator))
	wantContains(t, rr, "Tổng số: "+vntext.FormatInt(cba.NumeratorN), `href="/units/`)

	// Drill-down: every child, linked to its own dashboard, ranked by
	// agreement coverage, lowest first.
	kids, err := a.e.ChildFigures(a.as(t, demoProvince), a.sum.RootCode, congdoan.Date{}, congdoan.Date{})
	if err != nil || len(kids) < 2 {
		t.Fatalf("children: %d, %v", len(kids), err)
	}
	var pos []int
	for _, k := range kids {
		link := `href="/dashboard?unit=` + k.Unit + `&amp;date=24/11/2026"`
		if !strings.Contains(r.body, link) {
			t.Errorf("no link %s", link)
		}
		pos = append(pos, strings.Index(r.body, link))
	}
	order := slices.Clone(kids)
	slices.SortStableFunc(order, func(x, y *congdoan.Figures) int {
		i, j := slices.Index(kids, x), slices.Index(kids, y)
		return pos[i] - pos[j]
	})
	for i := 1; i < len(order); i++ {
		p, q := order[i-1].Values[congdoan.IndicatorCBACoverage], order[i].Values[congdoan.IndicatorCBACoverage]
		if p.DenomN > 0 && q.DenomN > 0 && p.Value > q.Value {
			t.Errorf("%s (%v) before %s (%v)", order[i-1].Unit, p.Value, order[i].Unit, q.Value)
		}
		if p.DenomN == 0 && q.DenomN > 0 {
			t.Errorf("%s without a denominator before %s", order[i-1].Unit, order[i].Unit)
		}
	}
	// A child's cells link to its records, and its dashboard opens.
	child := order[0]
	wantContains(t, r, html.EscapeString("/dashboard/records?indicator=cba_coverage_pct&unit="+child.Unit+"&date=24/11/2026&side=numerator"))
	cr := c.get("/dashboard?unit=" + child.Unit)
	wantStatus(t, cr, http.StatusOK)
	wantContains(t, cr, html.EscapeString(unitNameOn(t, a.e, a.as(t, demoProvince), child.Unit, fig.Date)), "Liên đoàn Lao động tỉnh Thái Nguyên</a>")

	// Rank by members: largest first.
	r2 := c.get("/dashboard?rank=members")
	wantStatus(t, r2, http.StatusOK)
	wantContains(t, r2, `aria-sort="descending"`, `name="rank" value="members"`)

	// English chrome, Vietnamese data.
	en := c.get("/lang/en?next=/dashboard")
	enr := c.follow(en)
	wantStatus(t, enr, http.StatusOK)
	wantContains(t, enr, "Plan indicators", "Indicators on 24/11/2026", html.EscapeString(congdoan.IndicatorDefs[0].Name))
}

func wantIn(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, x := range subs {
		if !strings.Contains(s, html.EscapeString(x)) && !strings.Contains(s, x) {
			t.Errorf("lacks %q in:\n%s", x, s)
		}
	}
}

// TestDashboardPast checks a date before the 2025 restructuring: the tree
// of that date, with Bắc Kạn's federation and its district federations.
func TestDashboardPast(t *testing.T) {
	a := mustDemoApp(t)
	day := congdoan.NewDate(2024, 3, 1)
	admin := a.login(t, demoAdmin)
	r := admin.get("/dashboard?unit=LDLD-BK&date=01/03/2024")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "past", r)
	ctx := a.as(t, demoAdmin)
	kids, err := a.e.ChildFigures(ctx, "LDLD-BK", day, congdoan.Date{})
	if err != nil || len(kids) < 9 {
		t.Fatalf("children of LDLD-BK on %s: %d, %v", day.VN(), len(kids), err)
	}
	wantContains(t, r, "Liên đoàn Lao động tỉnh Bắc Kạn", "số liệu ngày 01/03/2024", "Kết quả trong kỳ từ 01/01/2024 đến 01/03/2024", "Về hôm nay")
	districts := 0
	for _, k := range kids {
		if strings.HasPrefix(k.Unit, "LDLD-BK-") {
			districts++
		}
		wantContains(t, r, html.EscapeString(unitNameOn(t, a.e, ctx, k.Unit, day)), "/dashboard?unit="+k.Unit+"&amp;date=01/03/2024")
	}
	if districts != 8 {
		t.Errorf("%d district federations under LDLD-BK on %s, want 8", districts, day.VN())
	}
	fig, err := a.e.Figures(ctx, "LDLD-BK", day, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, card(t, r, congdoan.IndicatorMembers), ">"+vntext.FormatInt(fig.Values[congdoan.IndicatorMembers].NumeratorN)+"</a>", "Chỉ tiêu năm 2025: ≥ 23.000")
	// The records of that date count to the figure.
	rr := admin.get(recordsLink(t, card(t, r, congdoan.IndicatorMembers), congdoan.SideNumerator))
	wantContains(t, rr, "Tổng số: "+vntext.FormatInt(fig.Values[congdoan.IndicatorMembers].NumeratorN), "số liệu ngày 01/03/2024")

	// The default unit on that date is a top of that date's tree: Bắc
	// Kạn's federation, then beside Thái Nguyên's (offered too), not
	// today's root with none of its figures yet.
	r = admin.get("/dashboard?date=01/03/2024")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "<title>Liên đoàn Lao động tỉnh Bắc Kạn · ", `href="/dashboard?unit=`+a.sum.RootCode+`&amp;date=01/03/2024"`)
	// Thái Nguyên's own dashboard of that date still says where Bắc Kạn's
	// figures are.
	r = admin.get("/dashboard?unit=" + a.sum.RootCode + "&date=01/03/2024")
	wantContains(t, r, "Liên đoàn Lao động tỉnh Bắc Kạn hợp nhất vào đơn vị này ngày 01/07/2025",
		`href="/dashboard?unit=LDLD-BK&amp;date=01/03/2024"`)

	// The fixture province, whose root has not changed: the province
	// officer sees the district federations of that date.
	f := mustIndicatorApp(t)
	r = f.login(t, storetest.Province).get("/dashboard?date=01/03/2024")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "/dashboard?unit="+storetest.District58+"&amp;date=01/03/2024", "/dashboard?unit="+storetest.District66+"&amp;date=01/03/2024")
}

// TestDashboardMonitor checks the monitor: aggregates yes, member lists no.
func TestDashboardMonitor(t *testing.T) {
	a := mustDemoApp(t)
	c := a.login(t, demoMonitor)
	r := c.get("/dashboard")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "monitor", r)
	if strings.Contains(r.body, `href="/members`) || strings.Contains(r.body, "indicator=members&amp;") ||
		strings.Contains(r.body, "indicator=worker_membership_pct&amp;unit="+a.sum.RootCode+"&amp;date=24/11/2026&amp;side=numerator") {
		t.Error("the monitor is offered a link to a member list")
	}
	// The figure is still there, as plain text.
	fig, err := a.e.Figures(a.as(t, demoMonitor), a.sum.RootCode, congdoan.Date{}, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, card(t, r, congdoan.IndicatorMembers), `<p class="ind-value">`+vntext.FormatInt(fig.Values[congdoan.IndicatorMembers].NumeratorN)+`</p>`)

	for _, code := range []congdoan.IndicatorCode{congdoan.IndicatorMembers, congdoan.IndicatorMembersAdmitted} {
		rr := c.get("/dashboard/records?indicator=" + string(code) + "&unit=" + a.sum.RootCode + "&side=numerator")
		wantStatus(t, rr, http.StatusForbidden)
		wantContains(t, rr, "vai trò giám sát chỉ xem số liệu tổng hợp")
		wantNotContains(t, rr, `href="/members/`)
	}
	rr := c.get(recordsLink(t, card(t, r, congdoan.IndicatorEmployers15Union), congdoan.SideGap))
	wantStatus(t, rr, http.StatusOK)
	wantContains(t, rr, `href="/employers/`)
	rr = c.get(recordsLink(t, card(t, r, congdoan.IndicatorCBACoverage), congdoan.SideDenominator))
	wantStatus(t, rr, http.StatusOK)
	wantContains(t, rr, `href="/units/`)
}

// TestDashboardScope checks a grassroots officer: its own union's
// dashboard, and nothing of other units.
func TestDashboardScope(t *testing.T) {
	a := mustDemoApp(t)
	c := a.login(t, demoGrassroots)
	r := c.get("/dashboard")
	wantStatus(t, r, http.StatusOK)
	ctx := a.as(t, demoGrassroots)
	wantContains(t, r, html.EscapeString(unitNameOn(t, a.e, ctx, a.sum.SampleGrassrootsCode, congdoan.NewDate(2026, 11, 24))))
	for _, path := range []string{
		"/dashboard?unit=" + a.sum.RootCode,
		"/dashboard?unit=" + a.sum.SampleUpperCode,
		"/dashboard?unit=LDLD-BK&date=01/03/2024",
		"/dashboard?unit=KHONG-CO",
		"/dashboard/records?indicator=members&unit=" + a.sum.RootCode,
		"/dashboard/records?indicator=employers_15plus_with_union_pct&unit=" + a.sum.SampleUpperCode + "&side=gap",
	} {
		rr := c.get(path)
		wantStatus(t, rr, http.StatusNotFound)
		wantContains(t, rr, "trong phạm vi bạn quản lý")
	}
}

// TestDashboardBadInput checks the error page and status for each kind of
// bad input.
func TestDashboardBadInput(t *testing.T) {
	a := mustIndicatorApp(t)
	c := a.login(t, storetest.Province)
	for _, tc := range []struct {
		path   string
		status int
		msg    string
	}{
		{"/dashboard?date=99/99/2024", 422, "Ngày xem số liệu: Ngày không hợp lệ"},
		{"/dashboard?date=hom-qua", 422, "Nhập theo dạng ngày/tháng/năm"},
		{"/dashboard?date=01/01/2030", 422, "Ngày 01/01/2030 ở tương lai"},
		{"/dashboard?date=01/01/2019", 422, "trước khi có dữ liệu"},
		{"/dashboard?from=01/12/2026&date=01/11/2026", 422, "Ngày đầu kỳ phải trước ngày cuối kỳ"},
		{"/dashboard?unit=KHONG-CO", 404, "Không tìm thấy đơn vị"},
		{"/dashboard/records?indicator=khong_co&unit=LDLD-BK", 404, "Không có chỉ tiêu mã"},
		{"/dashboard/records?indicator=members&unit=LDLD-BK&side=gap", 422, "side phải là numerator"},
		{"/dashboard/records?indicator=members&unit=LDLD-BK&date=31/02/2025", 422, "Ngày không hợp lệ"},
		{"/dashboard/records?indicator=members&unit=LDLD-BK&date=25/11/2026", 422, "ở tương lai"},
	} {
		r := c.get(tc.path)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, r.status, tc.status)
		}
		checkPage(t, tc.path, r)
		wantContains(t, r, html.EscapeString(tc.msg), `class="card narrow error-page"`)
	}
	// An unknown ranking column is ignored, not an error.
	wantStatus(t, c.get("/dashboard?rank=khong_co"), http.StatusOK)

}

// TestDashboardFixture renders the fixture's dashboards for every role.
func TestDashboardFixture(t *testing.T) {
	a := mustIndicatorApp(t)
	for user, unit := range map[string]string{
		storetest.Admin: storetest.Root, storetest.Province: storetest.Root, storetest.District: storetest.District58,
		storetest.UnionA: storetest.UnitCodeA, storetest.Monitor: storetest.Root,
	} {
		c := a.login(t, user)
		for _, p := range []string{"/dashboard", "/dashboard?unit=" + unit + "&date=30/06/2025", "/dashboard?date=2025-06-30&rank=members",
			"/dashboard/records?indicator=cba_coverage_pct&side=gap", "/dashboard/records?indicator=unions_founded&from=01/01/2021",
			"/dashboard/records?indicator=employers_15plus_with_union_pct&offset=1000"} {
			r := c.get(p)
			wantStatus(t, r, http.StatusOK)
			checkPage(t, user+" "+p, r)
			wantNotContains(t, r, "%!", "dash.")
		}
	}
	// The period starts where asked, and its records count to the figure.
	c := a.login(t, storetest.Province)
	r := c.get("/dashboard?from=01/01/2021")
	wantContains(t, r, "Kết quả trong kỳ từ 01/01/2021 đến 24/11/2026", `name="from" value="01/01/2021"`)
	ctx := a.ctxAs(storetest.Province)
	e := a.svc.Indicators
	figs, err := e.Figures(ctx, storetest.Root, congdoan.Date{}, congdoan.NewDate(2021, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	adm := figs.Values[congdoan.IndicatorMembersAdmitted]
	link := recordsLink(t, card(t, r, congdoan.IndicatorMembersAdmitted), congdoan.SideNumerator)
	if !strings.Contains(link, "from=01/01/2021") {
		t.Errorf("period link %s lacks the start", link)
	}
	wantContains(t, c.get(link), "Tổng số: "+vntext.FormatInt(adm.NumeratorN), "từ 01/01/2021 đến 24/11/2026")
}

// TestRecordKindMatchesEngine keeps congdoan.RecordKindOf, which the
// dashboard asks before it links a figure, in step with the records the
// store actually lists.
func TestRecordKindMatchesEngine(t *testing.T) {
	a := mustIndicatorApp(t)
	e := a.svc.Indicators
	ctx := a.ctxAs(storetest.Admin)
	for _, def := range congdoan.IndicatorDefs {
		sides := []congdoan.FigureSide{congdoan.SideNumerator}
		if def.Percent {
			sides = append(sides, congdoan.SideDenominator, congdoan.SideGap)
		}
		for _, side := range sides {
			recs, _, err := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: def.Code, Unit: storetest.Root, From: congdoan.NewDate(2021, 1, 1), Side: side, Limit: 5})
			if err != nil {
				t.Fatalf("%s %s: %v", def.Code, side, err)
			}
			for _, rec := range recs {
				if want := congdoan.RecordKindOf(def.Code, side); rec.Kind != want {
					t.Errorf("%s %s: store lists %s, RecordKindOf says %s", def.Code, side, rec.Kind, want)
				}
			}
		}
	}
}

// unitNameOn is the unit's name in the tree of d, as the engine has it.
func unitNameOn(t *testing.T, e congdoan.IndicatorService, ctx context.Context, code string, d congdoan.Date) string {
	t.Helper()
	f, err := e.Figures(ctx, code, d, congdoan.Date{})
	if err != nil {
		t.Fatal(err)
	}
	return f.UnitName
}

// TestDashboardCatalog checks the catalog keys the dashboard builds in
// code, which TestCatalog's scan does not see.
func TestDashboardCatalog(t *testing.T) {
	b, err := os.ReadFile("dashboard.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`"(dash\.[a-z0-9_.]+)"`).FindAllStringSubmatch(string(b), -1)
	used := []string{"nav.dashboard"}
	for _, k := range keys {
		if !strings.HasSuffix(k[1], ".") {
			used = append(used, k[1])
		}
	}
	for _, code := range stateCodes {
		used = append(used, "dash.col."+string(code))
	}
	for _, s := range []string{"met", "on_track", "at_risk", "off_track", "missed"} {
		used = append(used, "dash.status."+s)
	}
	for _, s := range []congdoan.FigureSide{congdoan.SideNumerator, congdoan.SideDenominator, congdoan.SideGap} {
		used = append(used, "dash.side."+string(s))
	}
	for _, w := range indicatorWords {
		used = append(used, w.num)
		for _, k := range []string{w.den, w.gap, w.gapOnly} {
			if k != "" {
				used = append(used, k)
			}
		}
	}
	if len(used) < 40 {
		t.Fatalf("found only %d keys", len(used))
	}
	for _, k := range used {
		for _, lang := range i18n.Langs() {
			if _, ok := i18n.Lookup(lang, k); !ok {
				t.Errorf("key %q missing in %s", k, lang)
			}
		}
	}
	for _, def := range congdoan.IndicatorDefs {
		if _, ok := indicatorWords[def.Code]; !ok {
			t.Errorf("indicator %s has no words", def.Code)
		}
	}
}

// TestDashboardBrowser opens the dashboard and a records page in a real
// headless Chromium, on a desktop, a phone and in print: no content
// security policy violation or script error, the charts laid out, and no
// sideways scrolling on the phone. It runs when CONGDOAN_BROWSER names a
// Chromium; with CONGDOAN_SCREENSHOTS=DIR it saves screenshots there (whole
// pages, and close-ups of a card and the drill-down table) for a person to
// look at.
func TestDashboardBrowser(t *testing.T) {
	bin, dir := os.Getenv("CONGDOAN_BROWSER"), os.Getenv("CONGDOAN_SCREENSHOTS")
	if bin == "" {
		t.Skip("set CONGDOAN_BROWSER=/usr/bin/chromium to drive the dashboard in a real browser")
	}
	a := mustDemoApp(t)
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	l := launcher.New().Bin(bin).NoSandbox(true).Headless(true).Leakless(false)
	u, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Kill)
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	p := b.MustPage("").Timeout(120 * time.Second)
	var mu sync.Mutex
	var problems []string
	_ = proto.LogEnable{}.Call(p)
	_ = proto.RuntimeEnable{}.Call(p)
	go p.EachEvent(func(e *proto.LogEntryAdded) {
		if e.Entry.Level == proto.LogLogEntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			problems = append(problems, e.Entry.URL+": "+e.Entry.Text)
			mu.Unlock()
		}
	}, func(e *proto.RuntimeExceptionThrown) {
		mu.Lock()
		problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		mu.Unlock()
	})()
	p.MustNavigate(a.srv.URL + "/login").MustWaitLoad()
	p.MustElement("#f-username").MustInput(demoProvince)
	p.MustElement("#f-password").MustInput(storetest.Password)
	p.MustElement("button.primary").MustClick()
	p.MustElement(".who-name")
	pages := []struct{ name, path string }{
		{"dashboard", "/dashboard"},
		{"commune", "/dashboard?unit=" + url.QueryEscape(a.sum.SampleUpperCode)},
		{"dashboard-2024", "/dashboard?date=01/03/2024"},
		{"records", "/dashboard/records?indicator=employers_15plus_with_union_pct&unit=" + a.sum.RootCode + "&side=gap"},
	}
	for _, pg := range pages {
		for _, vp := range []struct {
			suffix        string
			width, height int
			mobile        bool
			media         string
		}{{"desktop", 1280, 900, false, ""}, {"phone", 390, 844, true, ""}, {"print", 794, 1123, false, "print"}} {
			p.MustSetViewport(vp.width, vp.height, 1, vp.mobile)
			if err := (proto.EmulationSetEmulatedMedia{Media: vp.media}).Call(p); err != nil {
				t.Fatal(err)
			}
			p.MustNavigate(a.srv.URL + pg.path).MustWaitLoad()
			where := pg.name + " " + vp.suffix
			if n := p.MustEval(`() => document.documentElement.scrollWidth - window.innerWidth`).Int(); n > 0 && vp.mobile {
				t.Errorf("%s: the page scrolls sideways by %d px", where, n)
			}
			if strings.HasPrefix(pg.name, "dashboard") {
				if n := p.MustEval(`() => [...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width < 200).length`).Int(); n > 0 {
					t.Errorf("%s: %d charts narrower than 200 px", where, n)
				}
			}
			if dir == "" {
				continue
			}
			p.MustScreenshotFullPage(filepath.Join(dir, pg.name+"-"+vp.suffix+".png"))
			p.MustScreenshot(filepath.Join(dir, pg.name+"-"+vp.suffix+"-top.png"))
			if pg.name == "dashboard" {
				for _, sel := range []string{"#ind-members", "#ind-employers_15plus_with_union_pct", "#children"} {
					p.MustElement(sel).MustScreenshot(filepath.Join(dir, pg.name+"-"+vp.suffix+"-"+strings.TrimPrefix(sel, "#")+".png"))
				}
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, pr := range problems {
		t.Errorf("browser: %s", pr)
	}
}

// TestIndicatorWordsInCatalog keeps the catalog's Vietnamese definitions
// of the indicators equal to the engine's, the one source.
func TestIndicatorWordsInCatalog(t *testing.T) {
	for _, def := range congdoan.IndicatorDefs {
		if got := localDef("vi", def); got != def {
			t.Errorf("%s: catalog %q / %q / %q, engine %q / %q / %q", def.Code, got.Name, got.Numerator, got.Denominator,
				def.Name, def.Numerator, def.Denominator)
		}
		en := localDef("en", def)
		if en.Name != def.Name || en.Numerator == def.Numerator || !hasKey("ind."+string(def.Code)+".num") {
			t.Errorf("%s: the name is the plan's, the definition translated", def.Code)
		}
	}
	if !strings.Contains(gapDefinition("vi", congdoan.IndicatorEmployers15Union), "%d") || gapDefinition("vi", congdoan.IndicatorMembers) != "" {
		t.Error("gap definitions")
	}
}

// TestDashboardChildrenPaged: the units below the dashboard's unit come a
// page at a time, the count says how many there are, and the pages
// follow one another without a unit lost or repeated.
func TestDashboardChildrenPaged(t *testing.T) {
	old := dashChildPage
	dashChildPage = 1
	t.Cleanup(func() { dashChildPage = old })
	a := mustIndicatorApp(t)
	c := a.login(t, storetest.Province)
	var seen []string
	next := "/dashboard?unit=" + storetest.Root
	for range 5 {
		r := c.get(next)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `<span class="count">2</span>`, "trong 2 đơn vị")
		body := r.body[strings.Index(r.body, "<tbody>"):strings.Index(r.body, "</tbody>")]
		for _, code := range []string{storetest.District58, storetest.District66} {
			if strings.Contains(body, `<span class="code">`+code+`</span>`) {
				seen = append(seen, code)
			}
		}
		i := strings.Index(r.body, `rel="next"`)
		if i < 0 {
			break
		}
		j := strings.LastIndex(r.body[:i], `href="`)
		next = strings.TrimSuffix(strings.ReplaceAll(r.body[j+6:i-2], "&amp;", "&"), "#children")
	}
	if len(seen) != 2 || seen[0] == seen[1] {
		t.Errorf("the pages showed %v, want each district once", seen)
	}
}
