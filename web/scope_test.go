package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

// scopeCase is one request of the scope walk.
type scopeCase struct {
	path string
	form url.Values // nil for GET
	ok   []int      // acceptable statuses
}

var (
	refused       = []int{http.StatusForbidden, http.StatusNotFound}
	refusedOrForm = []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
)

// TestScopeWalk requests every registered route as the grassroots officer
// of CDCS-A with ids and codes that belong to other unions, and checks that
// each is refused without showing the other unions' members. The routes
// come from the same table Routes registers, so a new route without a case
// here fails the test.
func TestScopeWalk(t *testing.T) {
	a := mustIndicatorApp(t) // mustApp with the indicator engine, so the dashboard routes answer
	c := a.login(t, storetest.UnionA)
	f := a.f

	foreignMembers := []string{"Nông Thị Hoa", "Nguyễn Văn Cường", "Triệu Văn Đức", "Lý Thị Én"}
	var memberIDs []string
	for _, n := range foreignMembers {
		memberIDs = append(memberIDs, strconv.FormatInt(f.MemberIDs[n], 10))
	}
	unitCodes := []string{storetest.UnitCodeB, storetest.UnitCodeC, storetest.District66, storetest.District58, storetest.Root}
	employerIDs := []string{strconv.FormatInt(f.Employers["thpt"], 10), strconv.FormatInt(f.Employers["che"], 10)}
	own := strconv.FormatInt(f.MemberIDs["Nguyễn Văn An"], 10)
	agreementIDs := foreignAgreements(t, a) // of CDCS-B and CDCS-C
	reportIDs := foreignReports(t, a)
	importIDs := foreignImports(t, a) // of LDLD-BK-058 (draft) and LDLD-BK-066 (approved)
	targetIDs := foreignTargets(t, a) // the plan's targets of LDLD-BK

	// Forms that a POST to each pattern would carry; values refer to
	// other unions wherever the form names something.
	forms := map[string]url.Values{
		"POST /units/{code}/new":         {"code": {"X-1"}, "name": {"Tổ mới"}, "kind": {"group"}},
		"POST /units/{code}/move":        {"parent_code": {storetest.District66}, "on": {"01/11/2026"}},
		"POST /units/{code}/merge":       {"into": {storetest.UnitCodeA}, "on": {"01/11/2026"}},
		"POST /units/{code}/dissolve":    {"on": {"01/11/2026"}},
		"POST /members/{id}/reveal":      {"reason": {"xác minh hồ sơ"}},
		"POST /members/{id}/edit/reveal": {"reason": {"xác minh hồ sơ"}},
		"GET /notifications":             {},
		"POST /members/{id}/edit": {"cccd": {storetest.CCCD(false, 1988, 104)}, "full_name": {"Người Sửa Trộm"}, "gender": {"M"},
			"birth_date": {"15/03/1988"}},
		"POST /members/{id}/transfer": {"to_unit": {storetest.UnitCodeA}, "on": {"01/11/2026"}},
		"POST /members/{id}/leave":    {"reason": {"left"}, "on": {"01/11/2026"}},
		"POST /employers/{id}/edit":   {"name": {"Đổi tên trộm"}, "sector": {"non_state"}, "status": {"active"}, "workers_total": {"10"}, "unit_code": {storetest.UnitCodeA}},
		"POST /members":               admission(storetest.CCCD(true, 1996, 901), "Bế Thị Lan", storetest.UnitCodeB),
		"POST /employers":             {"name": {"Công ty Mới"}, "sector": {"non_state"}, "status": {"active"}, "workers_total": {"10"}, "unit_code": {storetest.District66}},
		"POST /login":                 {"username": {storetest.UnionA}, "password": {"sai-mat-khau-roi"}},
		"POST /logout":                {},
		"GET /members":                {"unit": {storetest.UnitCodeB}},
		"GET /pick/units":             {"q": {"cong doan"}},
		"GET /pick/communes":          {"q": {"bang lung"}},
		"GET /pick/employers":         {"q": {"cong ty"}},
		"GET /members/new":            {"unit": {storetest.UnitCodeC}},
		"GET /employers":              {"unit": {storetest.District66}},
		"GET /employers/new":          {"unit": {storetest.UnitCodeB}},
		"GET /units":                  {"date": {"30/06/2025"}},
		"GET /audit":                  {"entity": {"member"}, "entity_id": {memberIDs[0]}},
		"POST /audit/verify":          {},
		"GET /members/{id}/transfer":  {"to_unit": {storetest.UnitCodeA}},
		"GET /units/{code}/new":       {"employer": {employerIDs[0]}},
		"GET /login":                  {"next": {"/members/" + memberIDs[0]}},
		"GET /lang/{code}":            {"next": {"/units"}},
		"GET /{$}":                    {},
		"GET /members/{id}":           {},
		"GET /members/{id}/edit":      {},
		"GET /members/{id}/leave":     {},
		"GET /units/{code}":           {},
		"GET /units/{code}/children":  {},
		"GET /employers/{id}":         {},
		"GET /employers/{id}/edit":    {},

		"GET /agreements":            {"unit": {storetest.UnitCodeC}},
		"GET /agreements/new":        {"unit": {storetest.UnitCodeB}},
		"POST /agreements":           agreementValues(storetest.UnitCodeB),
		"GET /agreements/{id}":       {},
		"GET /agreements/{id}/edit":  {},
		"POST /agreements/{id}/edit": agreementValues(""),

		"GET /dashboard":         {"unit": {storetest.District66}, "date": {"01/03/2024"}},
		"GET /dashboard/records": {"indicator": {"members"}, "unit": {storetest.UnitCodeB}, "side": {"numerator"}},

		"GET /reports":                {"unit": {storetest.District66}},
		"POST /reports":               {"unit": {storetest.District58}, "period": {"2026-H1"}},
		"GET /reports/{id}":           {},
		"POST /reports/{id}/submit":   {},
		"POST /reports/{id}/approve":  {},
		"POST /reports/{id}/verify":   {},
		"POST /reports/{id}/withdraw": {},
		"POST /reports/{id}/return":   {"reason": {"Lý do"}},
		"POST /reports/{id}/reopen":   {"reason": {"Lý do"}},
		"POST /reports/{id}/delete":   {},
		"GET /reports/{id}/download":  {"format": {"pdf"}},

		"GET /targets":                {"unit": {storetest.District66}},
		"GET /imports/new":            {},
		"POST /imports":               {"kind": {"members"}, "unit_code": {storetest.UnitCodeC}},
		"GET /imports/{id}":           {},
		"POST /targets/{id}/allocate": {"unit": {storetest.District58}, "value": {"1"}, "page_unit": {storetest.Root}},

		"GET /users":                        {"unit": {storetest.UnitCodeB}},
		"GET /users/new":                    {"unit": {storetest.UnitCodeC}},
		"POST /users":                       {"username": {"la.mat"}, "full_name": {"Người lạ"}, "role": {"grassroots_officer"}, "unit_code": {storetest.UnitCodeA}, "password": {"hoa-ban-no-tren-doi"}},
		"GET /users/{id}":                   {},
		"POST /users/{id}/edit":             {"full_name": {"Đổi tên trộm"}, "role": {"province_officer"}, "unit_code": {storetest.Root}},
		"POST /users/{id}/disable":          {},
		"POST /users/{id}/enable":           {},
		"POST /users/{id}/password":         {"password": {"hoa-ban-no-tren-doi"}},
		"GET /account":                      {},
		"POST /account/password":            {"current": {"sai-mat-khau-roi"}, "new": {"hoa-ban-no-tren-doi"}, "confirm": {"hoa-ban-no-tren-doi"}},
		"POST /account/sessions/end-others": {},
	}

	// Routes without a foreign id in the path, and what they may answer.
	// They are still walked with foreign references in their query or form.
	fixed := map[string][]int{
		"GET /login":         {http.StatusOK, http.StatusSeeOther},
		"POST /login":        {http.StatusUnauthorized},
		"POST /logout":       {http.StatusSeeOther},
		"GET /{$}":           {http.StatusSeeOther},
		"GET /units":         {http.StatusOK},
		"GET /audit":         refused,
		"GET /notifications": {http.StatusOK},
		"POST /audit/verify": refused,
		// A unit outside the scope in a list's filter is a message on
		// the list of the user's own units, not an error page.
		"GET /members":        {http.StatusOK},
		"GET /pick/units":     {http.StatusOK},
		"GET /pick/communes":  {http.StatusOK},
		"GET /pick/employers": {http.StatusOK},
		"GET /members/new":    refused,
		"POST /members":       refusedOrForm,
		"GET /employers":      {http.StatusOK},
		"GET /employers/new":  refused,
		"POST /employers":     refusedOrForm,
		"GET /lang/{code}":    {http.StatusSeeOther},

		"GET /agreements":     {http.StatusOK},
		"GET /agreements/new": refused,
		"POST /agreements":    refusedOrForm,

		"GET /dashboard":         refused,
		"GET /dashboard/records": refused,

		"GET /reports":  refused,
		"POST /reports": refusedOrForm,

		"GET /targets": refused,

		"GET /imports/new": {http.StatusOK},
		"POST /imports":    refusedOrForm,

		"GET /users":                        refused,
		"GET /users/new":                    refused,
		"POST /users":                       refused,
		"GET /account":                      {http.StatusOK},
		"POST /account/password":            {http.StatusUnprocessableEntity},
		"POST /account/sessions/end-others": {http.StatusSeeOther}, // its own (none): writes nothing
	}

	var cases []scopeCase
	var last []scopeCase // logout runs last so the walk stays logged in
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		form, ok := forms[rt.pattern]
		if !ok {
			t.Errorf("route %q has no case in the scope walk: add one", rt.pattern)
			continue
		}
		var values []string
		switch {
		case strings.HasPrefix(pattern, "/members/{id}"):
			values = memberIDs
		case strings.HasPrefix(pattern, "/employers/{id}"):
			values = employerIDs
		case strings.HasPrefix(pattern, "/agreements/{id}"):
			values = agreementIDs
		case strings.HasPrefix(pattern, "/reports/{id}"):
			values = reportIDs
		case strings.HasPrefix(pattern, "/imports/{id}"):
			values = importIDs
		case strings.HasPrefix(pattern, "/targets/{id}"):
			values = targetIDs
		case strings.HasPrefix(pattern, "/users/{id}"):
			values = []string{itoa(f.Users[storetest.UnionC].ID), itoa(f.Users[storetest.Admin].ID), itoa(f.Users[storetest.UnionA].ID)}
		case strings.HasPrefix(pattern, "/units/{code}"):
			values = unitCodes
		case strings.Contains(pattern, "{code}"):
			values = []string{"en"}
		default:
			values = []string{""}
		}
		for _, v := range values {
			p := pattern
			p = strings.NewReplacer("{id}", v, "{code}", v, "{$}", "").Replace(p)
			sc := scopeCase{path: p, ok: refused}
			if st, isFixed := fixed[rt.pattern]; isFixed {
				sc.ok = st
			}
			if method == http.MethodPost {
				sc.form = form
				if sc.form == nil {
					sc.form = url.Values{}
				}
			} else if len(form) > 0 {
				sc.path += "?" + form.Encode()
			}
			if rt.pattern == "POST /logout" {
				last = append(last, sc)
				continue
			}
			cases = append(cases, sc)
		}
	}
	// A malformed id is the same 404.
	cases = append(cases, scopeCase{path: "/members/abc", ok: []int{http.StatusNotFound}},
		scopeCase{path: "/employers/-1", ok: []int{http.StatusNotFound}},
		// Transfer of an own member into another union's unit.
		scopeCase{path: "/members/" + own + "/transfer", form: url.Values{"to_unit": {storetest.UnitCodeC}, "on": {"01/11/2026"}}, ok: refused})
	// The dashboard of every other unit, and the lists behind its figures.
	for _, code := range unitCodes {
		cases = append(cases, scopeCase{path: "/dashboard?unit=" + code, ok: []int{http.StatusNotFound}})
		for _, ind := range []string{"members", "employers_15plus_with_union_pct", "cba_coverage_pct", "worker_membership_pct", "members_admitted"} {
			cases = append(cases, scopeCase{path: "/dashboard/records?indicator=" + ind + "&unit=" + code, ok: []int{http.StatusNotFound}})
		}
	}

	before := snapshot(t, a)
	for _, sc := range append(cases, last...) {
		method := http.MethodGet
		if sc.form != nil {
			method = http.MethodPost
		}
		t.Run(method+" "+sc.path, func(t *testing.T) {
			var r response
			if sc.form != nil {
				r = c.post(sc.path, sc.form)
			} else {
				r = c.get(sc.path)
			}
			t.Logf("status %d", r.status)
			if !slices.Contains(sc.ok, r.status) {
				t.Errorf("status %d, want one of %v; body:\n%.2000s", r.status, sc.ok, r.body)
			}
			wantNotContains(t, r, foreignMembers...)
		})
	}
	if after := snapshot(t, a); after != before {
		t.Errorf("the walk changed data:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot summarises what the walk must not change: every member's unit
// and status, every unit's parent and state, every employer's name, and
// the audit log's length minus the walk's own logins (which write nothing).
func snapshot(t *testing.T, a *testApp) string {
	t.Helper()
	ctx := a.ctxAs(storetest.Admin)
	var b strings.Builder
	ms, _, err := a.db.FindMembers(ctx, congdoan.MemberFilter{Status: "all", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		b.WriteString(m.FullName + "@" + m.UnitCode + "/" + string(m.Status) + ";")
	}
	us, _, err := a.db.FindUnits(ctx, congdoan.UnitFilter{Dissolved: true, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		b.WriteString(u.Code + "<" + u.ParentCode + ">" + u.DissolvedOn.String() + ";")
	}
	es, _, err := a.db.FindEmployers(ctx, congdoan.EmployerFilter{Status: "all", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b.WriteString(e.Name + ";")
	}
	as, _, err := a.db.FindAgreements(ctx, congdoan.AgreementFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range as {
		b.WriteString(x.UnitCode + ":" + x.ValidFrom.String() + "–" + x.ValidTo.String() + "/" + x.Quality + ";")
	}
	_, n, err := a.db.FindAuditEvents(ctx, congdoan.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("audit=" + strconv.Itoa(n))
	return b.String()
}

// TestRoleRefusals checks the writes a role may not make at all, inside its
// own scope: refused with 403 even when the form is malformed (which would
// otherwise re-render a form the role never sees).
func TestRoleRefusals(t *testing.T) {
	a := mustApp(t)
	emp := itoa(a.f.Employers["khoangsan"])
	an := itoa(a.f.MemberIDs["Nguyễn Văn An"])
	for _, c := range []struct {
		user, path string
		form       url.Values
	}{
		{storetest.Monitor, "/members", admission("1", "Bế Thị Lan", storetest.UnitCodeA)},
		{storetest.Monitor, "/members", url.Values{"birth_date": {"sai"}}},
		{storetest.Monitor, "/employers", url.Values{"workers_total": {"sai"}}},
		{storetest.Monitor, "/employers/" + emp + "/edit", url.Values{"workers_total": {"sai"}}},
		{storetest.Monitor, "/members/" + an + "/transfer", url.Values{"to_unit": {storetest.UnitCodeB}}},
		{storetest.Monitor, "/members/" + an + "/reveal", url.Values{}},
		{storetest.Monitor, "/units/" + storetest.UnitCodeA + "/new", url.Values{"code": {"X"}, "kind": {"group"}}},
		{storetest.UnionA, "/units/" + storetest.UnitCodeA1 + "/dissolve", url.Values{"on": {"sai"}}},
		{storetest.UnionA, "/units/" + storetest.UnitCodeA1 + "/move", url.Values{"parent_code": {storetest.UnitCodeA}, "on": {"01/11/2026"}}},
		{storetest.District, "/units/" + storetest.District58 + "/dissolve", url.Values{"on": {"01/11/2026"}}},
	} {
		t.Run(c.user+" "+c.path, func(t *testing.T) {
			r := a.login(t, c.user).post(c.path, c.form)
			wantStatus(t, r, http.StatusForbidden)
			wantNotContains(t, r, "Nguyễn Văn An")
		})
	}
}
