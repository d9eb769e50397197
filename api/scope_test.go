package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// walkCase is one request of the scope walk: a grassroots officer of
// CDCS-A aiming a route at another union's records.
type walkCase struct {
	path   string
	body   any
	allow  []int    // the honest answers; 2xx only where the data is the caller's own
	forbid []string // strings, besides other unions' member names, the body must not contain
	fresh  bool     // send a token of its own (logout ends the token it is sent with)
}

// otherMembers are the members of CDCS-B and CDCS-C: no answer to CDCS-A's
// officer may name them.
var otherMembers = []string{"Nông Thị Hoa", "Nguyễn Văn Cường", "Triệu Văn Đức", "Lý Thị Én"}

// scopeWalk gives, for every route of the table ("METHOD pattern"), the
// requests the walk sends. A route without an entry fails the test, so a
// new route cannot be added without saying how it keeps to the scope.
func scopeWalk(f *storetest.Fixture) map[string][]walkCase {
	id := func(name string) string { return itoa(f.MemberIDs[name]) }
	emp := func(key string) string { return itoa(f.Employers[key]) }
	nf := []int{http.StatusNotFound}
	fb := []int{http.StatusForbidden}
	otherEmployers := []string{"Trường THPT Chuyên Bắc Kạn", "Chè Na Rì", "Gỗ Na Rì", "Đàm Văn Tư"}
	return map[string][]walkCase{
		"POST /api/v1/session": {{path: "/api/v1/session", body: map[string]string{"username": storetest.UnionA, "password": storetest.Password},
			allow: []int{http.StatusOK}}},
		"DELETE /api/v1/session": {{path: "/api/v1/session", allow: []int{http.StatusNoContent}, fresh: true}},
		"GET /api/v1/me":         {{path: "/api/v1/me", allow: []int{http.StatusOK}}},

		"GET /api/v1/units": {{path: "/api/v1/units", allow: []int{http.StatusOK},
			forbid: []string{storetest.UnitCodeB, storetest.UnitCodeC}}},
		"POST /api/v1/units": {
			{path: "/api/v1/units", body: map[string]string{"code": "CDCS-B-T9", "name": "Tổ công đoàn Tổ Toán", "kind": "group", "parent_code": storetest.UnitCodeB},
				allow: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
			{path: "/api/v1/units", body: map[string]string{"code": "CDCS-A-2", "name": "Công đoàn mới", "kind": "grassroots", "parent_code": storetest.District58},
				allow: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		},
		"GET /api/v1/units/{code}": {
			{path: "/api/v1/units/" + storetest.UnitCodeB, allow: nf},
			{path: "/api/v1/units/" + storetest.District66, allow: nf},
			{path: "/api/v1/units/" + storetest.District58, allow: nf},
		},
		"GET /api/v1/units/{code}/tree": {
			{path: "/api/v1/units/" + storetest.UnitCodeC + "/tree", allow: nf},
			{path: "/api/v1/units/" + storetest.District66 + "/tree?date=2025-01-01", allow: nf},
		},
		"GET /api/v1/units/{code}/history": {{path: "/api/v1/units/" + storetest.District66 + "/history", allow: nf}},
		"POST /api/v1/units/{code}/move": {
			{path: "/api/v1/units/" + storetest.UnitCodeC + "/move", body: map[string]string{"parent_code": storetest.District58, "on": "2026-11-01"}, allow: fb},
			{path: "/api/v1/units/" + storetest.UnitCodeA1 + "/move", body: map[string]string{"parent_code": storetest.UnitCodeB, "on": "2026-11-01"}, allow: fb},
		},
		"POST /api/v1/units/{code}/merge": {
			{path: "/api/v1/units/" + storetest.UnitCodeB + "/merge", body: map[string]string{"into": storetest.UnitCodeA, "on": "2026-11-01"}, allow: fb},
		},
		"POST /api/v1/units/{code}/dissolve": {
			{path: "/api/v1/units/" + storetest.UnitCodeC + "/dissolve", body: map[string]string{"on": "2026-11-01"}, allow: fb},
		},

		"GET /api/v1/members": {
			{path: "/api/v1/members?unit=" + storetest.UnitCodeB, allow: nf},
			{path: "/api/v1/members?unit=" + storetest.UnitCodeC + "&status=all", allow: nf},
			// Without a filter the answer is the caller's own members only.
			{path: "/api/v1/members?status=all&limit=500", allow: []int{http.StatusOK}},
			{path: "/api/v1/members?q=nguyen", allow: []int{http.StatusOK}},
			{path: "/api/v1/members?q=006", allow: []int{http.StatusOK}},
		},
		"POST /api/v1/members": {{path: "/api/v1/members", allow: fb,
			body: map[string]string{"cccd": storetest.CCCD(false, 1990, 800), "full_name": "Hoàng Văn Lạ", "gender": "M", "birth_date": "1990-02-02",
				"unit_code": storetest.UnitCodeC}}},
		"GET /api/v1/members/{id}": {
			{path: "/api/v1/members/" + id("Nông Thị Hoa"), allow: nf},
			{path: "/api/v1/members/" + id("Triệu Văn Đức"), allow: nf},
		},
		"PATCH /api/v1/members/{id}": {
			{path: "/api/v1/members/" + id("Triệu Văn Đức"), body: map[string]string{"job": "Đã sửa"}, allow: nf},
			{path: "/api/v1/members/" + id("Nguyễn Văn Cường"), body: map[string]string{"phone": "0999999999"}, allow: nf},
		},
		"POST /api/v1/members/{id}/transfer": {
			{path: "/api/v1/members/" + id("Nguyễn Văn Cường") + "/transfer", body: map[string]string{"to_unit": storetest.UnitCodeA, "on": "2026-11-01"}, allow: nf},
			{path: "/api/v1/members/" + id("Nguyễn Văn An") + "/transfer", body: map[string]string{"to_unit": storetest.UnitCodeC, "on": "2026-11-01"}, allow: fb},
		},
		"POST /api/v1/members/{id}/leave": {
			{path: "/api/v1/members/" + id("Lý Thị Én") + "/leave", body: map[string]string{"reason": "left", "on": "2026-11-01"}, allow: nf},
		},
		"POST /api/v1/members/{id}/reveal": {
			{path: "/api/v1/members/" + id("Nông Thị Hoa") + "/reveal", allow: nf},
			{path: "/api/v1/members/" + id("Lý Thị Én") + "/reveal", allow: nf},
		},

		"GET /api/v1/employers": {
			{path: "/api/v1/employers?unit=" + storetest.District66, allow: nf},
			{path: "/api/v1/employers?unit=" + storetest.UnitCodeB, allow: nf},
			{path: "/api/v1/employers?status=all&limit=500", allow: []int{http.StatusOK}, forbid: otherEmployers},
			{path: "/api/v1/employers?has_union=false", allow: []int{http.StatusOK}, forbid: otherEmployers},
		},
		"POST /api/v1/employers": {{path: "/api/v1/employers", allow: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
			body: map[string]any{"name": "Công ty lạ", "sector": "non_state", "workers_total": 20, "unit_code": storetest.District66}}},
		"GET /api/v1/employers/{id}": {
			{path: "/api/v1/employers/" + emp("thpt"), allow: nf},
			{path: "/api/v1/employers/" + emp("che"), allow: nf},
			{path: "/api/v1/employers/" + emp("go"), allow: nf},
		},
		"PATCH /api/v1/employers/{id}": {
			{path: "/api/v1/employers/" + emp("che"), body: map[string]any{"workers_total": 99}, allow: nf},
			{path: "/api/v1/employers/" + emp("thpt"), body: map[string]any{"name": "Đổi tên"}, allow: nf},
		},

		"GET /api/v1/audit": {
			{path: "/api/v1/audit", allow: fb},
			{path: "/api/v1/audit?entity=member&entity_id=" + id("Nông Thị Hoa"), allow: fb},
		},
		"GET /api/v1/audit/verify": {{path: "/api/v1/audit/verify", allow: fb}},

		"GET /api/openapi.json": {{path: "/api/openapi.json", allow: []int{http.StatusOK}}},

		"GET /api/v1/indicators": {
			{path: "/api/v1/indicators?unit=" + storetest.UnitCodeB, allow: nf},
			{path: "/api/v1/indicators?unit=" + storetest.District66 + "&date=2025-01-01", allow: nf},
			{path: "/api/v1/indicators?unit=" + storetest.Root, allow: nf},
		},
		"GET /api/v1/targets": {
			{path: "/api/v1/targets?unit=" + storetest.Root, allow: nf},
			{path: "/api/v1/targets?unit=" + storetest.UnitCodeC, allow: nf},
		},
		"POST /api/v1/targets/{id}/allocations": {
			{path: "/api/v1/targets/1/allocations", body: map[string]any{"unit": storetest.District66, "value": 10}, allow: []int{http.StatusForbidden, http.StatusNotFound}},
		},
		"GET /api/v1/indicators/{code}/records": {
			{path: "/api/v1/indicators/members/records?unit=" + storetest.UnitCodeC, allow: nf},
			{path: "/api/v1/indicators/employers_15plus_with_union_pct/records?unit=" + storetest.District66 + "&side=gap", allow: nf},
			// Its own union: allowed, and the forbid list keeps other unions' members out.
			{path: "/api/v1/indicators/members/records", allow: []int{http.StatusOK}},
		},
	}
}

// TestScopeWalk calls every route of the table as the officer of CDCS-A,
// aimed at other unions' records, and checks that each answer refuses and
// leaks nothing, and that nothing of the other unions changed.
func TestScopeWalk(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		walk := scopeWalk(e.f)
		checkAgreements := agreementWalk(t, e, walk)
		reportWalk(t, e, walk)
		importWalk(t, e, walk)
		userWalk(t, e, walk)
		seen := map[string]bool{}
		members, audits := e.memberCount(), e.auditCount()
		for _, rt := range routeTable {
			key := rt.method + " " + rt.pattern
			seen[key] = true
			cases := walk[key]
			if len(cases) == 0 {
				t.Errorf("route %s is not in the scope walk: add how a grassroots officer aims it at another union", key)
				continue
			}
			for _, c := range cases {
				token := e.token(storetest.UnionA)
				if c.fresh {
					token = e.login(storetest.UnionA)
				}
				res := e.send(token, rt.method, c.path, c.body)
				if !slices.Contains(c.allow, res.status) {
					t.Errorf("%s %s: status %d, want one of %v; body %s", rt.method, c.path, res.status, c.allow, res.body)
				}
				res.wantJSON(t)
				for _, s := range append(slices.Clone(otherMembers), c.forbid...) {
					if strings.Contains(string(res.body), s) {
						t.Errorf("%s %s: answer contains %q: %s", rt.method, c.path, s, res.body)
					}
				}
				if res.status >= 400 {
					if eb := res.apiError(t); eb.Code != codeFor(res.status) {
						t.Errorf("%s %s: code %q for status %d", rt.method, c.path, eb.Code, res.status)
					}
				}
			}
		}
		for key := range walk {
			if !seen[key] {
				t.Errorf("scope walk has %s, which is not in the route table", key)
			}
		}

		// Nothing of the other unions changed.
		if n := e.memberCount(); n != members {
			t.Errorf("members %d → %d", members, n)
		}
		for _, name := range otherMembers {
			m := e.member(name)
			want := storetest.UnitCodeB
			if name == "Triệu Văn Đức" || name == "Lý Thị Én" {
				want = storetest.UnitCodeC
			}
			if m.Status != congdoan.StatusActive || m.UnitCode != want || len(m.Periods) != 1 || m.Job != "Công nhân" {
				t.Errorf("%s: status %s unit %s, %d periods, job %q", name, m.Status, m.UnitCode, len(m.Periods), m.Job)
			}
		}
		admin := e.f.Ctx(storetest.Admin)
		for code, parent := range map[string]string{storetest.UnitCodeB: storetest.District58, storetest.UnitCodeC: storetest.District66,
			storetest.UnitCodeA1: storetest.UnitCodeA} {
			u, err := db.FindUnitByCode(admin, code)
			if err != nil {
				t.Fatal(err)
			}
			if !u.Active() || u.ParentCode != parent {
				t.Errorf("%s: dissolved %s, parent %s", code, u.DissolvedOn, u.ParentCode)
			}
		}
		for _, code := range []string{"CDCS-B-T9", "CDCS-A-2"} {
			if _, err := db.FindUnitByCode(admin, code); congdoan.ErrorCode(err) != congdoan.ENOTFOUND {
				t.Errorf("unit %s: %v, want not found", code, err)
			}
		}
		for key, workers := range map[string]int{"thpt": 60, "che": 40} {
			x, err := db.FindEmployerByID(admin, e.f.Employers[key])
			if err != nil {
				t.Fatal(err)
			}
			if x.WorkersTotal != workers || strings.Contains(x.Name, "Đổi tên") {
				t.Errorf("employer %s changed: %+v", key, x)
			}
		}
		if _, n, err := db.FindEmployers(admin, congdoan.EmployerFilter{Status: "all"}); err != nil || n != 5 {
			t.Errorf("employers: %d, %v; want 5", n, err)
		}
		checkAgreements()
		// No write and no reveal was logged: every refusal came before the
		// store's transaction did anything.
		evs, _, err := db.FindAuditEvents(admin, congdoan.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) < 1 {
			t.Fatal("no audit events at all")
		}
		if n := e.auditCount(); n != audits {
			for _, ev := range evs[:n-audits] {
				t.Errorf("the walk wrote audit event %s %s %s", ev.Action, ev.Entity, ev.EntityID)
			}
		}
	})
}
