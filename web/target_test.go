package web

import (
	"congdoan"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan/store/storetest"
)

// foreignTargets returns the ids of the plan's targets of LDLD-BK, which
// CDCS-A's officer may neither see nor allocate.
func foreignTargets(t *testing.T, a *testApp) []string {
	t.Helper()
	ts, err := a.svc.Targets.FindTargets(a.ctxAs(storetest.Province), storetest.Root)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range ts {
		ids = append(ids, itoa(x.ID))
	}
	if len(ids) == 0 {
		t.Fatal("the fixture has no targets: LoadPlans did not run")
	}
	return ids
}

// targetID returns the id of LDLD-BK's target for an indicator and year.
func targetID(t *testing.T, a *testApp, ind congdoan.IndicatorCode, year int) string {
	t.Helper()
	ts, err := a.svc.Targets.FindTargets(a.ctxAs(storetest.Province), storetest.Root)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.Indicator == ind && x.Year == year {
			return itoa(x.ID)
		}
	}
	t.Fatalf("no %s target for %d", ind, year)
	return ""
}

// TestTargets walks the targets page: the province reads the plan's
// targets in its words, allocates the 2025 members target to its two
// districts until the sum adds up; a negative share comes back on the
// form; the grassroots officer and the monitor see no forms and may not
// post.
func TestTargets(t *testing.T) {
	a := mustIndicatorApp(t)
	tinh := a.login(t, storetest.Province)

	r := tinh.get("/targets")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/targets", r)
	wantContains(t, r, "Chỉ tiêu và giao chỉ tiêu", "Số đoàn viên công đoàn",
		"Đến năm 2023 phấn đấu toàn tỉnh có 22.000 đoàn viên công đoàn.", "≥ 22.000", "&gt; 80 %", "cơ bản", "hầu hết",
		"Đã giao: 0 / 23.000", `action="/targets/`, `<option value="`+storetest.District58+`"`)
	if n := strings.Count(r.body, `<tr id="t-`); n != 9 {
		t.Errorf("%d targets listed, want the plan's 9", n)
	}

	id := targetID(t, a, congdoan.IndicatorMembers, 2025)
	path := "/targets/" + id + "/allocate"
	alloc := func(unit, value string) url.Values {
		return url.Values{"unit": {unit}, "value": {value}, "page_unit": {storetest.Root}}
	}

	r = tinh.post(path, alloc(storetest.District58, "15.000"))
	wantStatus(t, r, http.StatusSeeOther)
	if want := "/targets?unit=" + storetest.Root + "#t-" + id; r.location != want {
		t.Errorf("redirect to %q, want %q", r.location, want)
	}
	r = tinh.follow(r)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Đã giao chỉ tiêu. Tổng chỉ tiêu đã giao chưa bằng chỉ tiêu của đơn vị cấp trên.",
		"Đã giao: 15.000 / 23.000", "còn chênh 8.000")

	r = tinh.follow(tinh.post(path, alloc(storetest.District66, "8000")))
	wantContains(t, r, "Đã giao chỉ tiêu. Tổng chỉ tiêu đã giao bằng chỉ tiêu của đơn vị cấp trên.", "Đã giao: 23.000 / 23.000")

	// The district now has its share, marked as given by the parent.
	r = tinh.get("/targets?unit=" + storetest.District58)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "≥ 15.000", "Chỉ tiêu do cấp trên giao.")

	r = tinh.post(path, alloc(storetest.District58, "-5"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	checkPage(t, path+" (negative)", r)
	wantContains(t, r, "Chỉ tiêu không được âm.", `value="-5"`, `aria-invalid="true"`)

	r = tinh.post(path, alloc(storetest.District58, "nhiều"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Nhập chỉ tiêu là một số")

	// A grandchild is not a direct child: refused on the form.
	r = tinh.post(path, alloc(storetest.UnitCodeA, "10"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "không trực thuộc trực tiếp")

	wantStatus(t, tinh.post("/targets/999999/allocate", alloc(storetest.District58, "1")), http.StatusNotFound)

	coso := a.login(t, storetest.UnionA)
	wantStatus(t, coso.post(path, alloc(storetest.District58, "1")), http.StatusForbidden)
	r = coso.get("/targets")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/targets (grassroots)", r)
	wantNotContains(t, r, `action="/targets/`)

	mon := a.login(t, storetest.Monitor)
	r = mon.get("/targets?unit=" + storetest.Root)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "22.000")
	wantNotContains(t, r, `action="/targets/`, "Đã giao:")
	wantStatus(t, mon.post(path, alloc(storetest.District58, "1")), http.StatusForbidden)

	// The dashboard links to the page.
	wantContains(t, tinh.get("/dashboard"), `href="/targets?unit=`+storetest.Root+`"`)
}
