package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/store"
	"congdoan/store/storetest"
)

func TestIndicators(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		if err := db.BackfillSnapshots(context.Background()); err != nil {
			t.Fatal(err)
		}
		tok := e.token(storetest.Province)
		res := e.send(tok, "GET", "/api/v1/indicators?unit="+storetest.Root+"&date=2026-11-24", nil)
		if res.status != http.StatusOK {
			t.Fatalf("indicators: %d %s", res.status, res.body)
		}
		var body struct {
			Unit, Date string
			Indicators []struct {
				Code        string
				Value       float64
				Numerator   int64
				Denominator *int64
			}
		}
		if err := json.Unmarshal(res.body, &body); err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, it := range body.Indicators {
			got[it.Code] = it.Numerator
		}
		if body.Unit != storetest.Root || body.Date != "2026-11-24" || len(body.Indicators) != len(congdoan.IndicatorDefs) || got["members"] != 7 {
			t.Errorf("indicators: %s", res.body)
		}
		// The employer with 25 workers and no union is the gap of the 15+ indicator.
		res = e.send(tok, "GET", "/api/v1/indicators/employers_15plus_with_union_pct/records?unit="+storetest.Root+"&side=gap", nil)
		var recs struct {
			Total int
			Items []struct{ Name string }
		}
		json.Unmarshal(res.body, &recs)
		if res.status != 200 || recs.Total != 1 || recs.Items[0].Name != "Công ty TNHH Chế biến Gỗ Na Rì" {
			t.Errorf("gap records: %d %s", res.status, res.body)
		}
		res = e.send(tok, "GET", "/api/v1/indicators/members/records?unit="+storetest.District58, nil)
		json.Unmarshal(res.body, &recs)
		if res.status != 200 || recs.Total != 5 {
			t.Errorf("member records: %d %s", res.status, res.body)
		}
		for _, c := range []struct {
			user, path string
			status     int
		}{
			{storetest.Monitor, "/api/v1/indicators?unit=" + storetest.Root, 200},
			{storetest.Monitor, "/api/v1/indicators/members/records?unit=" + storetest.Root, 403},
			{storetest.Monitor, "/api/v1/indicators/cba_coverage_pct/records?unit=" + storetest.Root + "&side=gap", 200},
			{storetest.Province, "/api/v1/indicators?date=2027-01-01", 422},
			{storetest.Province, "/api/v1/indicators?date=24/11/2026", 422},
			{storetest.Province, "/api/v1/indicators?date=2019-05-01", 422},
			{storetest.Province, "/api/v1/indicators?unit=KHONG-CO", 404},
			{storetest.Province, "/api/v1/indicators/khong_co/records", 404},
			{storetest.Province, "/api/v1/indicators/members/records?side=gap", 422},
		} {
			res := e.send(e.token(c.user), "GET", c.path, nil)
			if res.status != c.status {
				t.Errorf("%s %s: %d, want %d: %s", c.user, c.path, res.status, c.status, res.body)
			}
			res.wantJSON(t)
		}
	})
}

func TestTargetAllocation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		demotest.LoadPlans(t, db)
		tok := e.token(storetest.Province)
		res := e.send(tok, "GET", "/api/v1/targets?unit="+storetest.Root, nil)
		var ts struct {
			Items []struct {
				ID        int64
				Indicator string
				Year      int
				Value     float64
			}
		}
		json.Unmarshal(res.body, &ts)
		var members2025 int64
		for _, x := range ts.Items {
			if x.Indicator == "members" && x.Year == 2025 && x.Value == 23000 {
				members2025 = x.ID
			}
		}
		if res.status != 200 || len(ts.Items) != 9 || members2025 == 0 {
			t.Fatalf("targets: %d %s", res.status, res.body)
		}
		path := "/api/v1/targets/" + itoa(members2025) + "/allocations"
		var a struct {
			AddsUp    bool    `json:"adds_up"`
			Allocated float64 `json:"allocated_sum"`
			Message   string
		}
		res = e.send(tok, "POST", path, map[string]any{"unit": storetest.District58, "value": 15000})
		json.Unmarshal(res.body, &a)
		if res.status != 200 || a.AddsUp || a.Allocated != 15000 || a.Message == "" {
			t.Errorf("first allocation: %d %s", res.status, res.body)
		}
		res = e.send(tok, "POST", path, map[string]any{"unit": storetest.District66, "value": 8000})
		json.Unmarshal(res.body, &a)
		if res.status != 200 || !a.AddsUp {
			t.Errorf("second allocation: %d %s", res.status, res.body)
		}
		for _, c := range []struct {
			user   string
			body   map[string]any
			status int
		}{
			{storetest.District, map[string]any{"unit": storetest.UnitCodeA, "value": 1}, 404}, // the parent target's unit is above the district
			{storetest.UnionA, map[string]any{"unit": storetest.UnitCodeA, "value": 1}, 403},
			{storetest.Province, map[string]any{"unit": storetest.UnitCodeA, "value": 1}, 422}, // not a direct child
			{storetest.Province, map[string]any{"unit": storetest.District58, "value": -5}, 422},
			{storetest.Province, map[string]any{"value": 5}, 422},
		} {
			res := e.send(e.token(c.user), "POST", path, c.body)
			if res.status != c.status {
				t.Errorf("%s %v: %d, want %d: %s", c.user, c.body, res.status, c.status, res.body)
			}
		}
		evs, _, _ := db.FindAuditEvents(e.f.Ctx(storetest.Admin), congdoan.AuditFilter{Action: "target.allocate"})
		if len(evs) != 2 {
			t.Errorf("audit events of allocations: %d", len(evs))
		}
	})
}

// TestQueryBounds: bad query values are errors, not defaults — a limit
// above the maximum names it, a date before any record is refused (it
// used to cost seconds of computation), and without unit the caller's own
// unit is meant, never the first code in sort order.
func TestQueryBounds(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		eb := e.as(storetest.District, "GET", "/api/v1/members?limit=501", nil).wantError(t, http.StatusBadRequest, "invalid", "limit")
		if !strings.Contains(eb.Message, "tối đa 500") {
			t.Errorf("limit message %q", eb.Message)
		}
		e.as(storetest.District, "GET", "/api/v1/members?limit=500", nil).want(t, http.StatusOK)
		e.as(storetest.District, "GET", "/api/v1/indicators?date=0001-01-01", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "date")
		e.as(storetest.District, "GET", "/api/v1/indicators?from=1200-01-02", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "from")
		res := e.as(storetest.District, "GET", "/api/v1/indicators", nil)
		res.want(t, http.StatusOK)
		var body struct{ Unit string }
		res.decode(t, &body)
		if body.Unit != storetest.District58 {
			t.Errorf("without unit: %s, want the officer's own %s", body.Unit, storetest.District58)
		}

		// Every paged list names the maximum.
		for _, path := range []string{"/api/v1/employers", "/api/v1/agreements", "/api/v1/audit", "/api/v1/indicators/members/records"} {
			eb := e.as(storetest.Province, "GET", path+"?limit=501", nil).wantError(t, http.StatusBadRequest, "invalid", "limit")
			if !strings.Contains(eb.Message, "tối đa 500") {
				t.Errorf("%s: limit message %q", path, eb.Message)
			}
			e.as(storetest.Province, "GET", path+"?limit=500", nil).want(t, http.StatusOK)
		}
		// 0001-01-01 is Go's zero date, which meant "today" wherever a date
		// was optional; no date before 1945 is taken anywhere.
		for _, c := range []struct{ path, param string }{
			{"/api/v1/units/" + storetest.UnitCodeA + "/tree?date=", "date"},
			{"/api/v1/units/" + storetest.UnitCodeA + "?date=", "date"},
			{"/api/v1/agreements?valid_on=", "valid_on"},
			{"/api/v1/indicators/members/records?date=", "date"},
			{"/api/v1/indicators/members_admitted/records?from=", "from"},
		} {
			for _, d := range []string{"0001-01-01", "1200-01-02", "1944-12-31"} {
				e.as(storetest.Province, "GET", c.path+d, nil).wantError(t, http.StatusUnprocessableEntity, "invalid", c.param)
			}
		}
		e.as(storetest.Province, "GET", "/api/v1/units/"+storetest.UnitCodeA+"/tree?date=2026-01-01", nil).want(t, http.StatusOK)

		// Without unit: the caller's own unit, for every route that takes one.
		for _, path := range []string{"/api/v1/targets", "/api/v1/reports", "/api/v1/indicators/members/records"} {
			e.as(storetest.UnionA, "GET", path, nil).want(t, http.StatusOK)
		}
		var recs page[congdoan.FigureRecord]
		e.as(storetest.UnionA, "GET", "/api/v1/indicators/members/records", nil).decode(t, &recs)
		if recs.Total != 3 { // An, Bình, and Đào in the group
			t.Errorf("union A's members without unit: %d, want its own 3", recs.Total)
		}
		// The administrator has no unit: the only root, and with two roots
		// the question, never the first code in sort order.
		e.as(storetest.Admin, "GET", "/api/v1/indicators", nil).decode(t, &body)
		if body.Unit != storetest.Root {
			t.Errorf("administrator, one root: %s", body.Unit)
		}
		e.f.SeedOtherProvince(t)
		for _, path := range []string{"/api/v1/indicators", "/api/v1/targets", "/api/v1/reports"} {
			e.as(storetest.Admin, "GET", path, nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "unit")
		}
	})
}

// TestUnknownParams: a query parameter the document does not list for the
// route is 400 naming it, on every route, never silently ignored (a
// misspelt "stauts=left" listed the active members).
func TestUnknownParams(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"), Options{})
	id := itoa(e.f.MemberIDs["Nguyễn Văn An"])
	for _, c := range []struct{ method, path, param string }{
		{"GET", "/api/v1/members?stauts=left", "stauts"},
		{"GET", "/api/v1/members?Status=left", "Status"},
		{"GET", "/api/v1/employers?hasunion=false", "hasunion"},
		{"GET", "/api/v1/indicators?ngay=2026-01-01", "ngay"},
		{"GET", "/api/v1/members/" + id + "?reveal=true", "reveal"},
		{"POST", "/api/v1/members/" + id + "/reveal?x=1", "x"},
		{"GET", "/api/v1/me?unit=CDCS-A", "unit"},
	} {
		eb := e.as(storetest.Province, c.method, c.path, nil).wantError(t, http.StatusBadRequest, "invalid", c.param)
		if !strings.Contains(eb.Message, c.param) {
			t.Errorf("%s %s: message %q", c.method, c.path, eb.Message)
		}
	}
	// Authentication comes first: no token is 401 whatever the query.
	e.send("", "GET", "/api/v1/members?stauts=left", nil).wantError(t, http.StatusUnauthorized, "unauthorized", "")
	e.send("", "GET", "/api/openapi.json?v=2", nil).want(t, http.StatusOK)
	e.as(storetest.Province, "GET", "/api/v1/members?status=left&limit=5", nil).want(t, http.StatusOK)
}

// TestFieldNamesExact: encoding/json matches field names without regard to
// case; the API does not, on every body, so a client that works against it
// works against any reading of the document.
func TestFieldNamesExact(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"), Options{})
	id := itoa(e.f.Employers["khoangsan"])
	for _, c := range []struct {
		method, path, body, field string
	}{
		{"PATCH", "/api/v1/employers/" + id, `{"Name": "Công ty Mới"}`, "Name"},
		{"PATCH", "/api/v1/employers/" + id, `{"name": "Công ty Mới", "TAX_CODE": "4700999999"}`, "TAX_CODE"},
		{"POST", "/api/v1/session", `{"Username": "tinh", "password": "x"}`, "Username"},
		{"POST", "/api/v1/reports", `{"unit_code": "LDLD-BK", "Period": "2026"}`, "Period"},
		{"POST", "/api/v1/members/" + itoa(e.f.MemberIDs["Nguyễn Văn An"]) + "/transfer", `{"To_Unit": "CDCS-B"}`, "To_Unit"},
	} {
		eb := e.as(storetest.Province, c.method, c.path, rawBody(c.body)).wantError(t, http.StatusBadRequest, "invalid", c.field)
		if !strings.Contains(eb.Message, "phân biệt chữ hoa") {
			t.Errorf("%s %s: message %q does not say why", c.method, c.body, eb.Message)
		}
	}
	if e.member("Nguyễn Văn An").UnitCode != storetest.UnitCodeA {
		t.Error("a refused transfer moved the member")
	}
	e.as(storetest.Province, "PATCH", "/api/v1/employers/"+id, rawBody(`{"name": "Công ty TNHH Khoáng sản Bắc Kạn"}`)).want(t, http.StatusOK)
}
