package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

// TestAuditSentences: the audit page tells events in words, in Vietnamese
// and in English — the member by name with a link, the unions by name,
// the reason by its label, dates as dd/mm/yyyy — and shows no JSON, no
// column names and no personal data, not even masked.
func TestAuditSentences(t *testing.T) {
	a := mustApp(t)
	admin := a.ctxAs(storetest.Admin)
	an, dao := a.f.MemberIDs["Nguyễn Văn An"], a.f.MemberIDs["Hoàng Thị Đào"]
	if _, err := a.db.TransferMember(admin, an, congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: congdoan.NewDate(2026, 11, 2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.LeaveMember(admin, dao, congdoan.LeaveInput{Reason: congdoan.EndRetired, On: congdoan.NewDate(2026, 10, 1)}); err != nil {
		t.Fatal(err)
	}
	phone, eth := "0987000111", "Nùng"
	if _, err := a.db.UpdateMember(admin, an, congdoan.MemberUpdate{Phone: &phone, Ethnicity: &eth}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.RevealMember(a.ctxAs(storetest.UnionA), dao, "Đối chiếu hồ sơ nghỉ hưu"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.RenameUnit(admin, storetest.UnitCodeC, "Công đoàn Công ty Chè Na Rì"); err != nil {
		t.Fatal(err)
	}
	memberLink := func(id int64, name string) string {
		return `<a href="/members/` + strconv.FormatInt(id, 10) + `">` + name + `</a></strong>: `
	}
	unitA := `<a href="/units/CDCS-A">Công đoàn Công ty TNHH Khoáng sản Bắc Kạn</a>`
	unitB := `<a href="/units/CDCS-B">Công đoàn cơ sở Trường THPT Chuyên Bắc Kạn</a>`
	unitA1 := `<a href="/units/CDCS-A-T1">Tổ công đoàn Phân xưởng tuyển quặng</a>`

	c := a.login(t, storetest.Province)
	vi := c.get("/audit")
	wantStatus(t, vi, http.StatusOK)
	checkPage(t, "/audit", vi)
	wantContains(t, vi,
		memberLink(an, "Nguyễn Văn An")+"chuyển sinh hoạt từ "+unitA+" sang "+unitB+" từ ngày 02/11/2026",
		memberLink(dao, "Hoàng Thị Đào")+"thôi sinh hoạt tại "+unitA1+" từ ngày 01/10/2026, lý do: Nghỉ hưu",
		memberLink(dao, "Hoàng Thị Đào")+"xem đầy đủ CCCD, ngày sinh và điện thoại, lý do: “Đối chiếu hồ sơ nghỉ hưu”",
		memberLink(an, "Nguyễn Văn An")+"sửa hồ sơ",
		`<dt>Số điện thoại</dt><dd><span class="before" title="Trước">•••</span> → <span title="Sau">•••</span></dd>`,
		`<dt>Dân tộc</dt><dd><span class="before" title="Trước">Tày</span> → <span title="Sau">Nùng</span></dd>`,
		`<a href="/units/CDCS-C">Công đoàn Công ty Chè Na Rì</a></strong>: đổi tên từ “Công đoàn Công ty Cổ phần Chè Na Rì” thành “Công đoàn Công ty Chè Na Rì”`,
		"Chủ tịch CĐCS A (coso.a)", "Quản trị (quantri)")
	en := c.get("/lang/en?next=/audit")
	en = c.get("/audit")
	wantContains(t, en,
		memberLink(an, "Nguyễn Văn An")+"transferred from "+unitA+" to "+unitB+" on 02/11/2026",
		memberLink(dao, "Hoàng Thị Đào")+"left "+unitA1+" on 01/10/2026, reason: Retired",
		memberLink(dao, "Hoàng Thị Đào")+"full CCCD, birth date and phone viewed, reason: “Đối chiếu hồ sơ nghỉ hưu”",
		`<dt>Phone</dt>`, "renamed from “Công đoàn Công ty Cổ phần Chè Na Rì” to")
	for _, r := range []response{vi, en} {
		// No JSON, no keys, no personal data whole or masked.
		wantNotContains(t, r, "&#34;", "{&#", "full_name", "birth_date</", "0987000111", "098••••111", "••••••••0100", "••/••/1985",
			storetest.CCCD(false, 1985, 100), "2026-11-02")
	}
}

// TestAuditFilterPage: the audit page filters by unit (its subtree), user,
// kind and dates; a bad value keeps the page with a message at the field.
func TestAuditFilterPage(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.Province)
	r := c.get("/audit?unit=CDCS-C")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Triệu Văn Đức", "Lý Thị Én", `value="CDCS-C"`)
	wantNotContains(t, r, "Nguyễn Văn An", "Nông Thị Hoa")

	r = c.get("/audit?unit=" + url.QueryEscape(storetest.OtherUnion))
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `id="f-unit-err"`, "Không tìm thấy đơn vị", "Không có sự kiện nào.")

	r = c.get("/audit?from=31/02/2026&to=01/01/2026")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `id="e-from"`)
	r = c.get("/audit?from=02/01/2026&to=01/01/2026")
	wantContains(t, r, `id="e-to"`, "Ngày kết thúc phải từ ngày bắt đầu trở đi.")

	job := "Thợ mỏ"
	if _, err := a.db.UpdateMember(a.ctxAs(storetest.UnionA), a.f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Job: &job}); err != nil {
		t.Fatal(err)
	}
	r = c.get("/audit?user=coso.a&action=member.update&from=24/11/2026&to=24/11/2026")
	wantStatus(t, r, http.StatusOK)
	if n := strings.Count(r.body, `class="audit-event"`); n != 1 {
		t.Errorf("coso.a's edits on 24/11/2026: %d events", n)
	}
	wantContains(t, r, `<option value="member.update" selected>Sửa đoàn viên</option>`, "Thợ mỏ")
	r = c.get("/audit?user=coso.a&from=25/11/2026")
	wantContains(t, r, "Không có sự kiện nào.")
}

// TestEditFormReveal: the edit form opens masked and logs nothing; saving
// it keeps CCCD, birth date and phone as stored, even when a masked value
// is sent back; "Hiện" needs a reason, which goes into the log, and then
// the fields can be edited.
func TestEditFormReveal(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)
	id := a.f.MemberIDs["Nguyễn Văn An"]
	cccd := storetest.CCCD(false, 1985, 100)
	reveals := func() int {
		t.Helper()
		_, n, err := a.db.FindAuditEvents(a.ctxAs(storetest.Admin), congdoan.AuditFilter{Action: "member.reveal"})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	stored := func() (string, string, string) {
		t.Helper()
		var cc, phone, birth string
		if err := storetest.Raw(t, a.db).QueryRow(`SELECT cccd, phone, birth_date FROM persons WHERE id = ?`, id).Scan(&cc, &phone, &birth); err != nil {
			t.Fatal(err)
		}
		return cc, phone, birth
	}

	form := c.get(memberPath(id, "/edit"))
	wantStatus(t, form, http.StatusOK)
	checkPage(t, "/members/{id}/edit", form)
	wantContains(t, form, "••••••••0100", "••/••/1985", "091••••600", "<summary>Hiện</summary>", `action="`+memberPath(id, "/edit/reveal")+`"`)
	wantNotContains(t, form, cccd, `name="cccd"`, `name="phone"`, `name="birth_date"`, "15/03/1985", "0912345600")
	if n := reveals(); n != 0 {
		t.Fatalf("opening the edit form wrote %d reveal events", n)
	}

	// Saving the masked form changes the job only.
	version := func() string { return strconv.FormatInt(a.member(t, "Nguyễn Văn An").Version, 10) }
	r := c.post(memberPath(id, "/edit"), url.Values{"full_name": {"Nguyễn Văn An"}, "gender": {"M"}, "ethnicity": {"Tày"}, "job": {"Thợ mỏ"}, "version": {version()}})
	wantStatus(t, r, http.StatusSeeOther)
	if cc, phone, birth := stored(); cc != cccd || phone != "0912345600" || birth != "1985-03-15" {
		t.Errorf("after a masked save: %s %s %s", cc, phone, birth)
	}
	// Masked values sent back are never written.
	r = c.post(memberPath(id, "/edit"), url.Values{"cccd": {"••••••••0100"}, "phone": {"091••••600"}, "birth_date": {"••/••/1985"},
		"full_name": {"Nguyễn Văn An"}, "gender": {"M"}, "job": {"Thợ lò"}, "version": {version()}})
	wantStatus(t, r, http.StatusSeeOther)
	if cc, phone, birth := stored(); cc != cccd || phone != "0912345600" || birth != "1985-03-15" {
		t.Errorf("after masked values were sent: %s %s %s", cc, phone, birth)
	}
	if m := a.member(t, "Nguyễn Văn An"); m.Job != "Thợ lò" {
		t.Errorf("job %q", m.Job)
	}

	// Revealing needs a reason.
	r = c.post(memberPath(id, "/edit/reveal"), url.Values{"reason": {"abc"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Cần nêu lý do xem dữ liệu cá nhân", `id="e-reveal-reason"`)
	wantNotContains(t, r, cccd)
	if n := reveals(); n != 0 {
		t.Fatalf("a refused reveal wrote %d events", n)
	}
	r = c.post(memberPath(id, "/edit/reveal"), url.Values{"reason": {"Sửa số điện thoại mới"}})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `value="`+cccd+`"`, `value="15/03/1985"`, `value="0912345600"`)
	wantNotContains(t, r, "<summary>Hiện</summary>")
	evs, _, err := a.db.FindAuditEvents(a.ctxAs(storetest.Admin), congdoan.AuditFilter{Action: "member.reveal"})
	if err != nil || len(evs) != 1 || !strings.Contains(string(evs[0].After), `"reason":"Sửa số điện thoại mới"`) || evs[0].Username != storetest.UnionA {
		t.Fatalf("reveal events %v %v", evs, err)
	}
	// The revealed form saves what is typed.
	r = c.post(memberPath(id, "/edit"), url.Values{"cccd": {cccd}, "phone": {"0987000222"}, "birth_date": {"15/03/1985"},
		"full_name": {"Nguyễn Văn An"}, "gender": {"M"}, "job": {"Thợ lò"}, "version": {version()}})
	wantStatus(t, r, http.StatusSeeOther)
	if _, phone, _ := stored(); phone != "0987000222" {
		t.Errorf("phone %s", phone)
	}
	// A masked form that comes back with an error is still masked.
	r = c.post(memberPath(id, "/edit"), url.Values{"full_name": {""}, "gender": {"M"}, "version": {version()}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "<summary>Hiện</summary>", "••••••••0100")
	wantNotContains(t, r, cccd, `name="cccd"`)
}

// TestBell: the header's bell counts what awaits the user, and
// /notifications lists it with links.
func TestBell(t *testing.T) {
	a := mustIndicatorApp(t)
	p, _ := congdoan.ParseReportPeriod("2026-H1")
	coso := a.ctxAs(storetest.UnionA)
	r, err := a.svc.Reports.CreateReport(coso, storetest.UnitCodeA, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.Reports.SubmitReport(coso, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.CreateAgreement(a.ctxAs(storetest.Admin), congdoan.AgreementInput{UnitCode: storetest.UnitCodeC, Kind: congdoan.AgreementEnterprise,
		SignedOn: congdoan.NewDate(2024, 1, 1), ValidFrom: congdoan.NewDate(2024, 1, 1), ValidTo: congdoan.NewDate(2026, 12, 31)}); err != nil {
		t.Fatal(err)
	}
	huyen := a.login(t, storetest.District) // CDCS-A's report to approve; CDCS-C is not theirs
	page := huyen.get("/units")
	wantContains(t, page, `<a class="bell" href="/notifications"`, `<span class="bell-count">1</span>`, "1 việc đang chờ")
	list := huyen.get("/notifications")
	wantStatus(t, list, http.StatusOK)
	checkPage(t, "/notifications", list)
	wantContains(t, list, "Báo cáo chờ duyệt", `<a href="/reports/`+strconv.FormatInt(r.ID, 10)+`">Công đoàn Công ty TNHH Khoáng sản Bắc Kạn</a>`,
		"6 tháng đầu năm 2026, chờ duyệt")
	wantNotContains(t, list, "Thỏa ước sắp hết hạn")

	tinh := a.login(t, storetest.Province) // both
	wantContains(t, tinh.get("/units"), `<span class="bell-count">2</span>`)
	wantContains(t, tinh.get("/notifications"), "Thỏa ước sắp hết hạn", "Công ty Cổ phần Chè Na Rì", "31/12/2026")

	own := a.login(t, storetest.UnionA) // nothing: its own report is the parent's to approve
	wantNotContains(t, own.get("/units"), `class="bell-count"`)
	wantContains(t, own.get("/notifications"), "Không có việc nào đang chờ bạn.")
}

// TestAuditSentence: each kind of event in words, from events as the store
// writes them; unknown keys get a generic label, never their name.
func TestAuditSentence(t *testing.T) {
	names := map[string]string{"unit:CDCS-A": "Công đoàn A", "unit:LDLD-1": "Liên đoàn 1", "unit:LDLD-2": "Liên đoàn 2",
		"report:5": "Công đoàn A · 2026-H1", "agreement:4": "Công ty Chè", "employer:3": "Công ty Gỗ"}
	ev := func(action, entity, id, before, after string) *congdoan.AuditEvent {
		e := &congdoan.AuditEvent{Action: action, Entity: entity, EntityID: id, Names: names}
		if before != "" {
			e.Before = []byte(before)
		}
		if after != "" {
			e.After = []byte(after)
		}
		return e
	}
	for _, c := range []struct {
		e        *congdoan.AuditEvent
		vi, en   string
		changes  []auditLine
		notShown string
	}{
		{e: ev("snapshots.take", "system", "member_snapshots", "", `{"months":1}`),
			vi: `<span class="rec">Hệ thống</span>: chốt số liệu đầu tháng`, en: `<span class="rec">System</span>: monthly snapshot taken`, notShown: "member_snapshots"},
		{e: ev("unit.move", "unit", "CDCS-A", `{"parent":"LDLD-1"}`, `{"parent":"LDLD-2","on":"2026-07-01"}`),
			vi: `<a href="/units/CDCS-A">Công đoàn A</a>: chuyển từ <a href="/units/LDLD-1">Liên đoàn 1</a> về trực thuộc <a href="/units/LDLD-2">Liên đoàn 2</a> từ ngày 01/07/2026`,
			en: `<a href="/units/CDCS-A">Công đoàn A</a>: moved from <a href="/units/LDLD-1">Liên đoàn 1</a> to <a href="/units/LDLD-2">Liên đoàn 2</a> on 01/07/2026`},
		{e: ev("unit.merge", "unit", "LDLD-1", "", `{"into":"LDLD-2","on":"2025-07-01"}`),
			vi: `: sáp nhập vào <a href="/units/LDLD-2">Liên đoàn 2</a> từ ngày 01/07/2025`, en: `: merged into <a href="/units/LDLD-2">Liên đoàn 2</a> on 01/07/2025`},
		{e: ev("report.return", "report", "5", `{"status":"submitted"}`, `{"status":"returned","reason":"Thiếu <số> nữ"}`),
			vi: `<a href="/reports/5">Báo cáo 6 tháng đầu năm 2026 của Công đoàn A</a>: trả lại báo cáo để sửa, lý do: “Thiếu &lt;số&gt; nữ”`,
			en: `: report returned for correction, reason: “Thiếu &lt;số&gt; nữ”`},
		{e: ev("agreement.update", "agreement", "4", `{"id":4,"valid_to":"2026-12-31","kind":"enterprise","quality":"","secret_column":"a"}`,
			`{"id":4,"valid_to":"2027-12-31","kind":"sectoral","quality":"B","secret_column":"b"}`),
			vi: `<a href="/agreements/4">Công ty Chè</a>: sửa thỏa ước lao động tập thể`, en: `: collective agreement edited`,
			changes: []auditLine{{Label: "Hiệu lực đến", Before: "31/12/2026", After: "31/12/2027"}, {Label: "Loại", Before: "Thỏa ước cấp doanh nghiệp", After: "Thỏa ước ngành"},
				{Label: "Xếp loại", Before: "—", After: "B"}, {Label: "Thông tin khác", Before: "a", After: "b"}}},
		{e: ev("employer.update", "employer", "3", `{"workers_total":1200,"sector":"state"}`, `{"record":{"workers_total":23000,"sector":"state"},"import":7}`),
			vi: `<a href="/employers/3">Công ty Gỗ</a>: sửa thông tin đơn vị sử dụng lao động`, en: `: employer edited`,
			changes: []auditLine{{Label: "Tổng số lao động", Before: "1.200", After: "23.000"}}},
		{e: ev("import.members", "import", "7", "", `{"file":"ds.xlsx","rows":10,"created":8,"updated":1,"unchanged":0,"refused":1}`),
			vi: `<a href="/imports/7">Lần nhập số 7</a>: nhập danh sách đoàn viên từ tệp “ds.xlsx”: 10 dòng, thêm 8, cập nhật 1, không đổi 0, bị từ chối 1`,
			en: `<a href="/imports/7">Import no. 7</a>: member list imported from “ds.xlsx”: 10 rows, 8 added, 1 updated, 0 unchanged, 1 refused`},
		{e: ev("target.allocate", "target", "12", "", `{"plan":"KH-2026","indicator":"members","year":2026,"unit":"CDCS-A","value":1500}`),
			vi: `<span class="rec">Chỉ tiêu số 12</span>: giao chỉ tiêu Số đoàn viên công đoàn năm 2026 cho <a href="/units/CDCS-A">Công đoàn A</a>: 1.500`,
			en: `<span class="rec">Target no. 12</span>: target `},
		{e: ev("member.update", "member", "9", `{"cccd":"006085000100","phone":"0912345600","job":"A"}`, `{"cccd":"006085000101","phone":"0912345600","job":"B"}`),
			vi: `<a href="/members/9">Đoàn viên 9</a>: sửa hồ sơ`, en: `<a href="/members/9">Member 9</a>: record edited`,
			changes: []auditLine{{Label: "CCCD", Before: "•••", After: "•••", Personal: true}, {Label: "Nghề nghiệp", Before: "A", After: "B"}}, notShown: "0851"},
	} {
		for _, lang := range []string{"vi", "en"} {
			ar := &auditRenderer{lang: lang, names: c.e.Names, can: func(string) bool { return true }}
			s := ar.sentence(c.e)
			got := string(s.Subject) + ": " + string(s.Text)
			want := c.vi
			if lang == "en" {
				want = c.en
			}
			if !strings.Contains(got, want) {
				t.Errorf("%s %s:\n got %s\nwant %s", lang, c.e.Action, got, want)
			}
			if c.notShown != "" && strings.Contains(got+fmt.Sprint(s.Changes), c.notShown) {
				t.Errorf("%s %s shows %q: %s %v", lang, c.e.Action, c.notShown, got, s.Changes)
			}
			if lang == "vi" && !slices.Equal(s.Changes, c.changes) {
				t.Errorf("%s changes:\n got %+v\nwant %+v", c.e.Action, s.Changes, c.changes)
			}
		}
	}
}

// TestAuditActionsFilterable: every action the catalogs name can be
// chosen in the audit page's filter.
func TestAuditActionsFilterable(t *testing.T) {
	b, err := os.ReadFile("../i18n/locale/vi.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]string
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	for k := range cat {
		if a, ok := strings.CutPrefix(k, "action."); ok && !slices.Contains(auditActions, a) {
			t.Errorf("action %s has a label but is not in the audit filter (auditActions)", a)
		}
	}
}
