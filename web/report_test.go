package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

// foreignReports draws up reports outside CDCS-A's scope for the scope
// walk: a draft of LDLD-BK-058 and an approved one of LDLD-BK-066.
func foreignReports(t *testing.T, a *testApp) []string {
	t.Helper()
	e := a.svc.Reports
	p, err := congdoan.ParseReportPeriod("2026-H1")
	if err != nil {
		t.Fatal(err)
	}
	draft, err := e.CreateReport(a.ctxAs(storetest.District), storetest.District58, p)
	if err != nil {
		t.Fatal(err)
	}
	tinh := a.ctxAs(storetest.Province)
	frozen, err := e.CreateReport(tinh, storetest.District66, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.SubmitReport(tinh, frozen.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ApproveReport(a.ctxAs(storetest.Admin), frozen.ID); err != nil { // not the one who drew it up
		t.Fatal(err)
	}
	return []string{itoa(draft.ID), itoa(frozen.ID)}
}

// TestReportWorkflow walks a report through the pages: the district draws
// it up and submits it, may not approve it itself, the province approves
// it, and "Kiểm tra lại" tells whether the registry changed since.
func TestReportWorkflow(t *testing.T) {
	a := mustIndicatorApp(t)
	huyen := a.login(t, storetest.District)
	list := "/reports?unit=" + storetest.District58

	r := huyen.get(list)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, list, r)
	wantContains(t, r, "Lập báo cáo", "2025, 2025-H1, 2025-Q3", "Chưa có báo cáo nào.")
	// The periods to choose from, named, and the page in the navigation.
	wantContains(t, r, `list="report-periods"`, `<option value="2026-H1">6 tháng đầu năm 2026</option>`, `<option value="2025">Năm 2025</option>`,
		`<a href="/reports" aria-current="page">Báo cáo</a>`, `<a href="/targets">Giao chỉ tiêu</a>`)
	wantNotContains(t, r, `<option value="2027`)

	// A period the engine does not know comes back on the form.
	r = huyen.post("/reports", url.Values{"unit": {storetest.District58}, "period": {"2026-H3"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	checkPage(t, "/reports (bad period)", r)
	wantContains(t, r, "không hợp lệ: dùng năm (2025)", `value="2026-H3"`)

	r = huyen.post("/reports", url.Values{"unit": {storetest.District58}, "period": {"2026-H1"}})
	wantStatus(t, r, http.StatusSeeOther)
	page := r.location
	if !strings.HasPrefix(page, "/reports/") {
		t.Fatalf("created report at %q", page)
	}
	r = huyen.follow(r)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, page, r)
	wantContains(t, r, "Đã lập báo cáo nháp.", "Nháp", "6 tháng đầu năm 2026", "30/06/2026", "Số đoàn viên công đoàn", "Gửi cấp trên")
	wantNotContains(t, r, "Duyệt và chốt", "Kiểm tra lại")

	r = huyen.post(page+"/submit", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	r = huyen.follow(r)
	wantContains(t, r, "Đã gửi báo cáo lên cấp trên.", "Đã gửi, chờ cấp trên duyệt", "Rút lại để sửa")
	// The district is not offered the approval of its own report …
	wantNotContains(t, r, "Duyệt và chốt", "Trả lại đơn vị", "Xóa bản nháp")

	// … and if it posts it anyway, the engine says why.
	r = huyen.post(page+"/approve", url.Values{})
	wantStatus(t, r, http.StatusForbidden)
	checkPage(t, page+"/approve", r)
	wantContains(t, r, "Đơn vị không tự duyệt báo cáo của mình")

	// The monitor reads, and writes nothing.
	mon := a.login(t, storetest.Monitor)
	r = mon.get(page)
	wantStatus(t, r, http.StatusOK)
	wantNotContains(t, r, "Gửi cấp trên", "Duyệt và chốt")
	r = mon.get(list)
	wantStatus(t, r, http.StatusOK)
	wantNotContains(t, r, `action="/reports"`)
	wantStatus(t, mon.post(page+"/approve", url.Values{}), http.StatusForbidden)
	wantStatus(t, mon.post("/reports", url.Values{"unit": {storetest.District58}, "period": {"2026"}}), http.StatusForbidden)

	// The province returns it with a comment; the district sees it,
	// withdraws nothing (it is already back) and sends it again.
	tinh := a.login(t, storetest.Province)
	r = tinh.get(page)
	wantContains(t, r, "Duyệt và chốt", "Trả lại đơn vị", "Lý do trả lại (đơn vị sẽ thấy)")
	wantNotContains(t, r, "Rút lại để sửa")
	r = tinh.post(page+"/return", url.Values{"reason": {""}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = tinh.post(page+"/return", url.Values{"reason": {"Bổ sung số thỏa ước của CĐCS Chè"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = huyen.get(page)
	checkPage(t, page+" (returned)", r)
	wantContains(t, r, "Cấp trên trả lại", "Bổ sung số thỏa ước của CĐCS Chè", storetest.Province, "Gửi cấp trên")
	wantStatus(t, huyen.post(page+"/submit", url.Values{}), http.StatusSeeOther)

	r = tinh.post(page+"/approve", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	r = tinh.follow(r)
	checkPage(t, page, r)
	wantContains(t, r, "Đã duyệt và chốt số liệu báo cáo.", "Mã kiểm tra", "Kiểm tra lại")

	r = tinh.post(page+"/verify", url.Values{})
	wantStatus(t, r, http.StatusOK)
	checkPage(t, page+"/verify", r)
	wantContains(t, r, "Số liệu không thay đổi kể từ khi duyệt.")

	// An of CDCS-A left on 1/12/2025: before the period (which is locked)
	// but not without effect on its members on the report's date.
	if _, err := a.db.LeaveMember(a.ctxAs(storetest.Province), a.f.MemberIDs["Nguyễn Văn An"],
		congdoan.LeaveInput{Reason: congdoan.EndLeft, On: congdoan.NewDate(2025, 12, 1)}); err != nil {
		t.Fatal(err)
	}
	r = mon.post(page+"/verify", url.Values{})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Số liệu đã thay đổi kể từ khi duyệt:", "Số đoàn viên công đoàn: 5 → 4 (danh sách hồ sơ đã thay đổi)")

	// The period is locked: a write dated inside it is refused with the
	// report named, until the province reopens it.
	r = huyen.post(memberPath(a.f.MemberIDs["Nguyễn Văn Bình"], "/leave"), url.Values{"reason": {string(congdoan.EndLeft)}, "on": {"15/03/2026"}})
	wantStatus(t, r, http.StatusConflict)
	wantContains(t, r, "đã duyệt ngày")
	wantNotContains(t, huyen.get(page), "Mở lại báo cáo")
	r = tinh.get(page)
	wantContains(t, r, "Mở lại báo cáo")
	r = tinh.post(page+"/reopen", url.Values{"reason": {"Sai số đoàn viên CĐCS A"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = huyen.get(page)
	wantContains(t, r, "Cấp trên mở lại, chờ duyệt lại", "Sai số đoàn viên CĐCS A", "Gửi cấp trên")
	r = huyen.post(memberPath(a.f.MemberIDs["Nguyễn Văn Bình"], "/leave"), url.Values{"reason": {string(congdoan.EndLeft)}, "on": {"15/03/2026"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, huyen.post(page+"/submit", url.Values{}), http.StatusSeeOther)
	wantStatus(t, tinh.post(page+"/approve", url.Values{}), http.StatusSeeOther)

	r = huyen.get(list)
	wantContains(t, r, `href="`+page+`"`, "Đã duyệt", storetest.Province+" · ")

	// A draft can be deleted; the list no longer shows it.
	r = huyen.post("/reports", url.Values{"unit": {storetest.District58}, "period": {"2026-Q3"}})
	wantStatus(t, r, http.StatusSeeOther)
	draft := r.location
	wantContains(t, huyen.get(draft), "Xóa bản nháp")
	r = huyen.post(draft+"/delete", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, huyen.follow(r), "Đã xóa bản nháp báo cáo.")
	wantStatus(t, huyen.get(draft), http.StatusNotFound)

	for format, want := range map[string]struct{ ctype, magic string }{
		"pdf":  {"application/pdf", "%PDF"},
		"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
	} {
		r = huyen.get(page + "/download?format=" + format)
		wantStatus(t, r, http.StatusOK)
		if got := r.header.Get("Content-Type"); got != want.ctype {
			t.Errorf("%s: content type %q", format, got)
		}
		if got, name := r.header.Get("Content-Disposition"), "bao-cao-"+storetest.District58+"-2026-H1."+format; got != `attachment; filename="`+name+`"` {
			t.Errorf("%s: disposition %q, want file %s", format, got, name)
		}
		if !strings.HasPrefix(r.body, want.magic) {
			t.Errorf("%s: starts %q", format, r.body[:min(len(r.body), 8)])
		}
	}
	wantStatus(t, huyen.get(page+"/download?format=doc"), http.StatusUnprocessableEntity)

	// The union below sees neither the report nor its files.
	coso := a.login(t, storetest.UnionA)
	for _, p := range []string{page, page + "/download?format=pdf"} {
		r = coso.get(p)
		wantStatus(t, r, http.StatusNotFound)
		wantNotContains(t, r, "Số đoàn viên công đoàn")
	}
	wantStatus(t, coso.get("/reports/abc"), http.StatusNotFound)
}
