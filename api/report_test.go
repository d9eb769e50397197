package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/store"
	"congdoan/store/storetest"
)

// reportWalk adds the report routes to the scope walk: CDCS-A's officer
// aims every one at reports of Na Rì's federation (a draft and an approved
// one), which must be the same 404 as reports that do not exist, and lists
// only its own union's reports.
func reportWalk(t *testing.T, e *testEnv, walk map[string][]walkCase) {
	t.Helper()
	demotest.LoadPlans(t, e.db)
	if err := e.db.BackfillSnapshots(e.f.Ctx(storetest.Admin)); err != nil {
		t.Fatal(err)
	}
	p, err := congdoan.ParseReportPeriod("2026-H1")
	if err != nil {
		t.Fatal(err)
	}
	tinh, admin := e.f.Ctx(storetest.Province), e.f.Ctx(storetest.Admin)
	draft, err := e.svc.Reports.CreateReport(tinh, storetest.District66, p)
	if err != nil {
		t.Fatal(err)
	}
	q1, _ := congdoan.ParseReportPeriod("2026-Q1")
	frozen, err := e.svc.Reports.CreateReport(tinh, storetest.District66, q1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Reports.SubmitReport(tinh, frozen.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Reports.ApproveReport(admin, frozen.ID); err != nil {
		t.Fatal(err)
	}
	nf := []int{http.StatusNotFound}
	d, f := "/api/v1/reports/"+itoa(draft.ID), "/api/v1/reports/"+itoa(frozen.ID)
	reason := map[string]string{"reason": "Số liệu chưa khớp"}
	walk["POST /api/v1/reports"] = []walkCase{{path: "/api/v1/reports", body: map[string]string{"unit_code": storetest.District66, "period": "2026"}, allow: nf}}
	walk["GET /api/v1/reports"] = []walkCase{
		{path: "/api/v1/reports?unit=" + storetest.District66, allow: nf},
		{path: "/api/v1/reports", allow: []int{http.StatusOK}, forbid: []string{"Na Rì"}},
		{path: "/api/v1/reports?status=approved", allow: []int{http.StatusOK}, forbid: []string{"Na Rì"}},
	}
	walk["GET /api/v1/reports/{id}"] = []walkCase{{path: d, allow: nf}, {path: f, allow: nf}}
	walk["DELETE /api/v1/reports/{id}"] = []walkCase{{path: d, allow: nf}}
	walk["POST /api/v1/reports/{id}/submit"] = []walkCase{{path: d + "/submit", allow: nf}}
	walk["POST /api/v1/reports/{id}/withdraw"] = []walkCase{{path: f + "/withdraw", allow: nf}}
	walk["POST /api/v1/reports/{id}/approve"] = []walkCase{{path: f + "/approve", allow: nf}}
	walk["POST /api/v1/reports/{id}/return"] = []walkCase{{path: f + "/return", body: reason, allow: nf}}
	walk["POST /api/v1/reports/{id}/reopen"] = []walkCase{{path: f + "/reopen", body: reason, allow: nf}}
	walk["GET /api/v1/reports/{id}/verify"] = []walkCase{{path: f + "/verify", allow: nf}}
	walk["GET /api/v1/reports/{id}/download"] = []walkCase{{path: f + "/download?format=pdf", allow: nf}}
}

// TestReportWorkflowAPI drives a district's report through every step of
// the workflow over HTTP, with the refusals each rule gives.
func TestReportWorkflowAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		demotest.LoadPlans(t, db)
		if err := db.BackfillSnapshots(e.f.Ctx(storetest.Admin)); err != nil {
			t.Fatal(err)
		}
		var rep congdoan.Report
		res := e.as(storetest.District, "POST", "/api/v1/reports", map[string]string{"unit_code": storetest.District58, "period": "2026-H1"})
		res.want(t, http.StatusCreated)
		res.decode(t, &rep)
		if rep.ID == 0 || rep.UnitCode != storetest.District58 || rep.Period != "2026-H1" || rep.Status != congdoan.ReportDraft ||
			res.header.Get("Location") != fmt.Sprintf("/api/v1/reports/%d", rep.ID) {
			t.Fatalf("created: %s", res.body)
		}
		path := fmt.Sprintf("/api/v1/reports/%d", rep.ID)
		// One live report per unit and period.
		dup := e.as(storetest.District, "POST", "/api/v1/reports", map[string]string{"unit_code": storetest.District58, "period": "2026-h1"})
		dup.wantError(t, http.StatusConflict, "conflict", "period")
		if !strings.Contains(string(dup.body), fmt.Sprintf("số %d", rep.ID)) {
			t.Errorf("the conflict does not name the report: %s", dup.body)
		}
		e.as(storetest.District, "POST", "/api/v1/reports", map[string]string{"unit_code": storetest.District58, "period": "2026-H3"}).wantError(t, 422, "invalid", "period")
		e.as(storetest.Monitor, "POST", "/api/v1/reports", map[string]string{"unit_code": storetest.District58, "period": "2026-Q3"}).wantError(t, 403, "forbidden", "")

		step := func(user, action string, body any, want congdoan.ReportStatus) {
			t.Helper()
			res := e.as(user, "POST", path+"/"+action, body)
			res.want(t, http.StatusOK)
			var r congdoan.Report
			res.decode(t, &r)
			if r.Status != want {
				t.Fatalf("%s: status %s, want %s", action, r.Status, want)
			}
		}
		step(storetest.District, "submit", nil, congdoan.ReportSubmitted)
		e.as(storetest.District, "POST", path+"/submit", nil).wantError(t, 409, "conflict", "")
		step(storetest.District, "withdraw", nil, congdoan.ReportDraft)
		step(storetest.District, "submit", nil, congdoan.ReportSubmitted)
		// The unit does not approve its own report; the province returns it.
		e.as(storetest.District, "POST", path+"/approve", nil).wantError(t, 403, "forbidden", "")
		e.as(storetest.Province, "POST", path+"/return", map[string]string{"reason": " "}).wantError(t, 422, "invalid", "reason")
		step(storetest.Province, "return", map[string]string{"reason": "Bổ sung số liệu thỏa ước của Công ty Khoáng sản"}, congdoan.ReportReturned)
		var got congdoan.Report
		res = e.as(storetest.District, "GET", path, nil)
		res.want(t, http.StatusOK)
		res.decode(t, &got)
		if got.Reason != "Bổ sung số liệu thỏa ước của Công ty Khoáng sản" || got.ReasonBy != storetest.Province {
			t.Errorf("the return's comment: %+v", got)
		}
		step(storetest.District, "submit", nil, congdoan.ReportSubmitted)
		step(storetest.Province, "approve", nil, congdoan.ReportApproved)
		e.as(storetest.District, "DELETE", path, nil).wantError(t, 409, "conflict", "")

		var v struct {
			OK      bool `json:"ok"`
			Changes []struct {
				Indicator string `json:"indicator"`
				Frozen    struct {
					Numerator int64 `json:"numerator"`
				} `json:"frozen"`
				Now struct {
					Numerator int64 `json:"numerator"`
				} `json:"now"`
			} `json:"changes"`
		}
		res = e.as(storetest.Monitor, "GET", path+"/verify", nil)
		res.want(t, http.StatusOK)
		res.decode(t, &v)
		if !v.OK || v.Changes == nil {
			t.Errorf("verify: %s", res.body)
		}
		for format, magic := range map[string]string{"pdf": "%PDF", "xlsx": "PK"} {
			res := e.as(storetest.District, "GET", path+"/download?format="+format, nil)
			if res.status != 200 || !strings.HasPrefix(string(res.body), magic) || !strings.Contains(res.header.Get("Content-Disposition"), "bao-cao-"+storetest.District58+"-2026-H1."+format) {
				t.Errorf("download %s: %d %q", format, res.status, res.header)
			}
		}
		e.as(storetest.District, "GET", path+"/download?format=doc", nil).wantError(t, 422, "invalid", "format")

		// Reopening needs a reason and the approver; the report goes round again.
		e.as(storetest.District, "POST", path+"/reopen", map[string]string{"reason": "Sai"}).wantError(t, 403, "forbidden", "")
		step(storetest.Province, "reopen", map[string]string{"reason": "Đơn vị phát hiện trùng 2 đoàn viên"}, congdoan.ReportReopened)
		e.as(storetest.Province, "GET", path+"/verify", nil).wantError(t, 409, "conflict", "")
		step(storetest.District, "submit", nil, congdoan.ReportSubmitted)
		// Who submitted does not approve, even from above.
		step(storetest.Admin, "return", map[string]string{"reason": "Để tỉnh gửi lại"}, congdoan.ReportReturned)
		step(storetest.Province, "submit", nil, congdoan.ReportSubmitted)
		e.as(storetest.Province, "POST", path+"/approve", nil).wantError(t, 403, "forbidden", "")
		step(storetest.Admin, "approve", nil, congdoan.ReportApproved)

		// Lists, filtered.
		var l struct{ Items []congdoan.Report }
		res = e.as(storetest.Province, "GET", "/api/v1/reports?status=approved", nil)
		res.want(t, http.StatusOK)
		res.decode(t, &l)
		if len(l.Items) != 1 || l.Items[0].ID != rep.ID {
			t.Errorf("approved reports: %s", res.body)
		}
		e.as(storetest.Province, "GET", "/api/v1/reports?status=xong", nil).wantError(t, 422, "invalid", "status")

		// A draft is deleted, and only a draft.
		res = e.as(storetest.District, "POST", "/api/v1/reports", map[string]string{"unit_code": storetest.District58, "period": "2026-Q3"})
		res.want(t, http.StatusCreated)
		var q3 congdoan.Report
		res.decode(t, &q3)
		if r := e.as(storetest.District, "DELETE", fmt.Sprintf("/api/v1/reports/%d", q3.ID), nil); r.status != http.StatusNoContent {
			t.Errorf("delete a draft: %d %s", r.status, r.body)
		}
		e.as(storetest.District, "GET", fmt.Sprintf("/api/v1/reports/%d", q3.ID), nil).wantError(t, 404, "not_found", "")
	})
}
