package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

func TestMemberSearch(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)

	t.Run("without diacritics, in Vietnamese order, in scope", func(t *testing.T) {
		r := c.get("/members?q=" + url.QueryEscape("nguyen van"))
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Nguyễn Văn An", "Nguyễn Văn Bình", "Hiển thị 1–2 trong 2 đoàn viên")
		wantNotContains(t, r, "Nguyễn Văn Cường")
		if i, j := strings.Index(r.body, "Nguyễn Văn An"), strings.Index(r.body, "Nguyễn Văn Bình"); i > j {
			t.Error("Bình listed before An")
		}
		// CCCDs are masked in the list.
		wantNotContains(t, r, storetest.CCCD(false, 1985, 100))
		wantContains(t, r, "••••••••0100")
	})

	t.Run("by CCCD digits", func(t *testing.T) {
		r := c.get("/members?q=" + storetest.CCCD(false, 1990, 101)[:8])
		wantContains(t, r, "Nguyễn Văn Bình")
		wantNotContains(t, r, "Nguyễn Văn An")
	})

	t.Run("htmx gets the results only", func(t *testing.T) {
		r := c.get("/members?q=binh", "HX-Request", "true")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Nguyễn Văn Bình")
		wantNotContains(t, r, "<html", "Nguyễn Văn An")
		if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "HX-Request") {
			t.Error("fragment response does not Vary on HX-Request")
		}
		// A history restore needs the whole page.
		r = c.get("/members?q=binh", "HX-Request", "true", "HX-History-Restore-Request", "true")
		wantContains(t, r, "<html")
	})

	t.Run("bad query is a message, not an error page", func(t *testing.T) {
		r := c.get("/members?q=12")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Nhập ít nhất 3 chữ số", `name="q"`)
	})

	t.Run("unit of another union is a message on the own list", func(t *testing.T) {
		for _, unit := range []string{storetest.UnitCodeB, storetest.UnitCodeC, storetest.District58, "KHONG-CO"} {
			r := c.get("/members?unit=" + unit)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r, "Không tìm thấy đơn vị nào có tên hoặc mã “"+unit+"”", "Nguyễn Văn An", `aria-invalid="true"`)
			wantNotContains(t, r, "Nguyễn Văn Cường", "Nông Thị Hoa", "Triệu Văn Đức", "Lý Thị Én")
		}
	})

	t.Run("a unit filter by name", func(t *testing.T) {
		r := a.login(t, storetest.Province).get("/members?unit=" + url.QueryEscape("chè na rì"))
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Triệu Văn Đức", "Lý Thị Én", `value="`+storetest.UnitCodeC+`"`)
		wantNotContains(t, r, "Nguyễn Văn An")
		// A name that fits several units names them.
		r = a.login(t, storetest.Province).get("/members?unit=" + url.QueryEscape("bắc kạn"))
		wantContains(t, r, "Có nhiều đơn vị khớp")
	})

	t.Run("paging", func(t *testing.T) {
		r := a.login(t, storetest.Admin).get("/members?offset=5")
		wantContains(t, r, "Hiển thị 6–7 trong 7 đoàn viên", "Trang trước")
		wantNotContains(t, r, "Trang sau")
	})
}

func admission(cccd, name, unit string) url.Values {
	return url.Values{"cccd": {cccd}, "full_name": {name}, "gender": {"F"}, "birth_date": {"15/03/1996"},
		"ethnicity": {"Tày"}, "phone": {"0912 345 699"}, "job": {"Công nhân"}, "unit_code": {unit}, "joined_on": {"01/11/2026"}}
}

func TestAdmission(t *testing.T) {
	a := mustApp(t)
	count := func() int {
		_, n, err := a.db.FindMembers(a.ctxAs(storetest.Admin), congdoan.MemberFilter{Status: "all"})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	c := a.login(t, storetest.UnionA)

	t.Run("form preselects the unit", func(t *testing.T) {
		r := c.get("/members/new?unit=" + storetest.UnitCodeA1)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `value="CDCS-A-T1"`, "Tổ công đoàn Phân xưởng tuyển quặng", `value="24/11/2026"`)
	})

	t.Run("malformed CCCD re-renders with the field message", func(t *testing.T) {
		r := c.post("/members", admission("0061961234", "Bế Thị Mai", storetest.UnitCodeA))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, `class="field has-error"`, "12 chữ số", `value="Bế Thị Mai"`, `value="15/03/1996"`, `value="0061961234"`)
		if n := count(); n != before {
			t.Errorf("members %d → %d: something was written", before, n)
		}
	})

	t.Run("malformed date keeps every field", func(t *testing.T) {
		form := admission(storetest.CCCD(true, 1996, 900), "Bế Thị Mai", storetest.UnitCodeA)
		form.Set("birth_date", "31/02/1996")
		form.Set("full_name", "")
		r := c.post("/members", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Ngày không hợp lệ", "Họ và tên không được để trống.")
		if n := count(); n != before {
			t.Errorf("members %d → %d", before, n)
		}
	})

	cuong := storetest.CCCD(false, 1988, 104) // Nguyễn Văn Cường, active in CDCS-B

	t.Run("CCCD active elsewhere: conflict, no link outside the scope", func(t *testing.T) {
		form := admission(cuong, "Nguyễn Văn Cường", storetest.UnitCodeA)
		form.Set("gender", "M")
		form.Set("birth_date", "15/03/1988")
		r := c.post("/members", form)
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "đang sinh hoạt tại", "chuyển sinh hoạt")
		wantNotContains(t, r, "Chuyển sinh hoạt về đơn vị này", "/transfer")
	})

	t.Run("CCCD active elsewhere: district officer is offered the transfer", func(t *testing.T) {
		d := a.login(t, storetest.District)
		form := admission(cuong, "Nguyễn Văn Cường", storetest.UnitCodeA)
		form.Set("gender", "M")
		form.Set("birth_date", "15/03/1988")
		r := d.post("/members", form)
		wantStatus(t, r, http.StatusConflict)
		id := a.f.MemberIDs["Nguyễn Văn Cường"]
		wantContains(t, r, "Chuyển sinh hoạt về đơn vị này", memberPath(id, "/transfer?to_unit=CDCS-A"))
		tr := d.get(memberPath(id, "/transfer?to_unit=CDCS-A"))
		wantStatus(t, tr, http.StatusOK)
		wantContains(t, tr, `value="CDCS-A"`)
	})

	t.Run("valid admission goes to the new member", func(t *testing.T) {
		r := c.post("/members", admission(storetest.CCCD(true, 1996, 900), "Bế Thị Mai", storetest.UnitCodeA1))
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.location, "/members/") {
			t.Fatalf("location %q", r.location)
		}
		page := c.follow(r)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "Bế Thị Mai", "Đã kết nạp đoàn viên.", "Kết nạp", "01/11/2026", "Tổ công đoàn Phân xưởng tuyển quặng")
		if n := count(); n != before+1 {
			t.Errorf("members %d → %d", before, n)
		}
		// The flash is shown once.
		wantNotContains(t, c.get(r.location), "Đã kết nạp đoàn viên.")
	})
}

func TestTransfer(t *testing.T) {
	a := mustApp(t)

	t.Run("district officer moves a member between its unions", func(t *testing.T) {
		c := a.login(t, storetest.District)
		id := a.f.MemberIDs["Nguyễn Văn An"]
		form := c.get(memberPath(id, "/transfer"))
		wantStatus(t, form, http.StatusOK)
		wantContains(t, form, `value="24/11/2026"`)
		r := c.post(memberPath(id, "/transfer"), url.Values{"to_unit": {storetest.UnitCodeB}, "on": {"20/11/2026"}, "note": {"Chuyển công tác"}})
		wantStatus(t, r, http.StatusSeeOther)
		page := c.follow(r)
		wantContains(t, page, "Đã chuyển sinh hoạt.", "Chuyển sinh hoạt đi", "Chuyển sinh hoạt đến", "20/11/2026", "Chuyển công tác")
		if m := a.member(t, "Nguyễn Văn An"); m.UnitCode != storetest.UnitCodeB {
			t.Errorf("unit %s", m.UnitCode)
		}
	})

	t.Run("grassroots officer cannot move a member out of its scope", func(t *testing.T) {
		c := a.login(t, storetest.UnionA)
		id := a.f.MemberIDs["Nguyễn Văn Bình"]
		r := c.post(memberPath(id, "/transfer"), url.Values{"to_unit": {storetest.UnitCodeC}, "on": {"20/11/2026"}})
		wantStatus(t, r, http.StatusForbidden)
		wantContains(t, r, "nằm ngoài phạm vi bạn quản lý", `value="CDCS-C"`)
		if m := a.member(t, "Nguyễn Văn Bình"); m.UnitCode != storetest.UnitCodeA || len(m.Periods) != 1 {
			t.Errorf("member changed: unit %s, %d periods", m.UnitCode, len(m.Periods))
		}
	})

	t.Run("bad date re-renders", func(t *testing.T) {
		c := a.login(t, storetest.UnionA)
		id := a.f.MemberIDs["Nguyễn Văn Bình"]
		r := c.post(memberPath(id, "/transfer"), url.Values{"to_unit": {storetest.UnitCodeA1}, "on": {"hôm qua"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Ngày không hợp lệ")
	})
}

func TestLeaveAndEdit(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)
	id := a.f.MemberIDs["Hoàng Thị Đào"]

	form := c.get(memberPath(id, "/leave"))
	wantStatus(t, form, http.StatusOK)
	wantContains(t, form, "Nghỉ hưu", "Khai trừ", "Từ trần")
	// Retired at 34: asked to confirm first, nothing written.
	leave := url.Values{"reason": {string(congdoan.EndRetired)}, "on": {"01/10/2026"}, "note": {"Đủ tuổi"}}
	r := c.post(memberPath(id, "/leave"), leave)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Lý do là nghỉ hưu nhưng đoàn viên mới 34 tuổi", `name="confirm"`)
	if m, _ := a.db.FindMemberByID(a.ctxAs(storetest.Admin), id); !m.Active() {
		t.Fatal("an unconfirmed leave was written")
	}
	leave.Set("confirm", "1")
	r = c.post(memberPath(id, "/leave"), leave)
	wantStatus(t, r, http.StatusSeeOther)
	page := c.follow(r)
	wantContains(t, page, "Đã ghi nhận thôi sinh hoạt.", "Nghỉ hưu", "01/10/2026")
	wantNotContains(t, page, memberPath(id, "/transfer"))

	edit := c.post(memberPath(id, "/edit/reveal"), url.Values{"reason": {"sửa dân tộc theo CCCD"}})
	wantStatus(t, edit, http.StatusOK)
	cccd := storetest.CCCD(true, 1992, 102)
	wantContains(t, edit, `value="`+cccd+`"`, `value="15/03/1992"`, `value="0912345602"`)
	r = c.post(memberPath(id, "/edit"), url.Values{"cccd": {cccd}, "full_name": {"Hoàng Thị Đào"}, "gender": {"F"},
		"birth_date": {"15/03/1992"}, "ethnicity": {"Nùng"}, "phone": {"0912345602"}, "job": {"Kế toán"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantContains(t, c.follow(r), "Đã lưu thông tin đoàn viên.", "Nùng", "Kế toán")

	r = c.post(memberPath(id, "/edit"), url.Values{"cccd": {cccd}, "full_name": {"Hoàng Thị Đào"}, "gender": {"M"},
		"birth_date": {"15/03/1992"}, "phone": {"12"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, `aria-invalid="true"`)

	t.Run("an edit from a form opened before another edit is refused", func(t *testing.T) {
		stale := c.get(memberPath(id, "/edit"))
		m := a.member(t, "Hoàng Thị Đào")
		wantContains(t, stale, fmt.Sprintf(`name="version" value="%d"`, m.Version))
		fields := url.Values{"cccd": {cccd}, "full_name": {"Hoàng Thị Đào"}, "gender": {"F"}, "birth_date": {"15/03/1992"},
			"phone": {"0912345602"}, "version": {fmt.Sprint(m.Version)}}
		fields.Set("job", "Thủ quỹ")
		wantStatus(t, c.post(memberPath(id, "/edit"), fields), http.StatusSeeOther)
		fields.Set("job", "Văn thư")
		r := c.post(memberPath(id, "/edit"), fields)
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "đã được sửa sau khi bạn mở nó", "tải lại trang")
		if got := a.member(t, "Hoàng Thị Đào"); got.Version != m.Version+1 {
			t.Errorf("version %d, want %d", got.Version, m.Version+1)
		}
	})

	t.Run("re-admission with another name is refused, the record offered", func(t *testing.T) {
		// Hoàng Thị Đào has retired; CDCS-A admits her CCCD under another name.
		form := admission(cccd, "Hoàng Thị Đông", storetest.UnitCodeA)
		form.Set("birth_date", "15/03/1992")
		r := c.post("/members", form)
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "là của Hoàng Thị Đào", "họ tên (hồ sơ: Hoàng Thị Đào)", "Mở hồ sơ người này", `href="`+memberPath(id, "")+`"`)
		wantNotContains(t, r, "Chuyển sinh hoạt về đơn vị này")
		if got := a.member(t, "Hoàng Thị Đào"); got.FullName != "Hoàng Thị Đào" || got.Status != congdoan.StatusLeft {
			t.Errorf("person changed: %+v", got)
		}
	})
}

func TestReveal(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)
	id := a.f.MemberIDs["Nguyễn Văn An"]
	cccd := storetest.CCCD(false, 1985, 100)

	page := c.get(memberPath(id, ""))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "••••••••0100", "<summary>Hiện</summary>", `name="reason"`, "Việc xem thông tin đầy đủ được ghi nhật ký")
	wantNotContains(t, page, cccd, "15/03/1985")

	// Without a reason (or one too short) nothing is shown or logged.
	for _, reason := range []string{"", "xem"} {
		r := c.post(memberPath(id, "/reveal"), url.Values{"reason": {reason}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, "Cần nêu lý do xem dữ liệu cá nhân", "<details class=\"reveal\" open>")
		wantNotContains(t, r, cccd, "15/03/1985")
	}
	if evs, _, _ := a.db.FindAuditEvents(a.ctxAs(storetest.Admin), congdoan.AuditFilter{Action: "member.reveal"}); len(evs) != 0 {
		t.Fatalf("%d reveal events after refused reveals", len(evs))
	}

	r := c.post(memberPath(id, "/reveal"), url.Values{"reason": {"Đối chiếu hồ sơ kết nạp"}})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, cccd, "15/03/1985", "0912345600", "Việc xem thông tin đầy đủ được ghi nhật ký")
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	evs, _, err := a.db.FindAuditEvents(a.ctxAs(storetest.Admin), congdoan.AuditFilter{Action: "member.reveal"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		found = found || (e.EntityID == strconv.FormatInt(id, 10) && e.Username == storetest.UnionA &&
			strings.Contains(string(e.After), `"reason":"Đối chiếu hồ sơ kết nạp"`))
	}
	if !found {
		t.Errorf("no member.reveal event by %s for %d in %d events", storetest.UnionA, id, len(evs))
	}

	// The audit page lists it for the province officer.
	log := a.login(t, storetest.Province).get("/audit?action=member.reveal")
	wantStatus(t, log, http.StatusOK)
	wantContains(t, log, "xem đầy đủ CCCD, ngày sinh và điện thoại, lý do: “Đối chiếu hồ sơ kết nạp”", storetest.UnionA, memberPath(id, ""))
	wantNotContains(t, log, cccd)
}
