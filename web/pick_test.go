package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"congdoan/store/storetest"
)

func picks(t *testing.T, r response) []pickItem {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	var body struct{ Items []pickItem }
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return body.Items
}

func pickValues(items []pickItem) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Value)
	}
	return strings.Join(out, ",")
}

// TestPickers: the type-ahead sources answer within the scope, and a form
// that receives a name instead of a code finds the unit, or says which
// units the name fits.
func TestPickers(t *testing.T) {
	a := mustApp(t)
	prov := a.login(t, storetest.Province)
	union := a.login(t, storetest.UnionA)

	items := picks(t, prov.get("/pick/units?for=members&q="+url.QueryEscape("na ri che")))
	if pickValues(items) != storetest.UnitCodeC || !strings.Contains(items[0].Detail, "Liên đoàn Lao động huyện Na Rì › Liên đoàn Lao động tỉnh Bắc Kạn") {
		t.Errorf("units: %+v", items)
	}
	if got := pickValues(picks(t, union.get("/pick/units?q=na+ri"))); got != "" {
		t.Errorf("a grassroots officer picks units outside the scope: %s", got)
	}
	if got := pickValues(picks(t, prov.get("/pick/units?for=upper&q=cdcs"))); got != "" {
		t.Errorf("upper units only: %s", got)
	}
	if got := pickValues(picks(t, prov.get("/pick/units?for=nonsense&q=a"))); got != "" {
		t.Errorf("a bad purpose: %s", got)
	}
	com := picks(t, prov.get("/pick/communes?q="+url.QueryEscape("bằng lũng")))
	if len(com) == 0 || com[0].Value != "02020" || !strings.Contains(com[0].Detail, "Huyện Chợ Đồn, Tỉnh Bắc Kạn") || !strings.Contains(com[0].Detail, "nay là Xã Chợ Đồn, Tỉnh Thái Nguyên") {
		t.Errorf("communes: %+v", com)
	}
	emp := picks(t, prov.get("/pick/employers?q=4700345678"))
	if len(emp) != 1 || emp[0].Label != "Công ty Cổ phần Chè Na Rì" {
		t.Errorf("employers by MST: %+v", emp)
	}
	// A monitor's picker answers the list (employers are not personal
	// data), never a server error.
	picks(t, a.login(t, storetest.Monitor).get("/pick/employers?q=che"))
	if got := picks(t, union.get("/pick/employers?q=che")); len(got) != 0 {
		t.Errorf("a grassroots officer picks another union's employer: %+v", got)
	}

	// Admission typed by name: one match is taken.
	r := prov.post("/members", admission(storetest.CCCD(true, 1996, 911), "Bế Thị Lan", "chè na rì"))
	wantStatus(t, r, http.StatusSeeOther)
	m, err := a.db.FindMemberByID(a.ctxAs(storetest.Admin), mustID(t, r.location))
	if err != nil || m.UnitCode != storetest.UnitCodeC {
		t.Fatalf("admitted into %v (%v), want %s", m, err, storetest.UnitCodeC)
	}
	// A name fitting several unions lists them, and nothing is written.
	r = prov.post("/members", admission(storetest.CCCD(true, 1996, 912), "Bế Thị Mai", "bắc kạn"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Có nhiều đơn vị khớp “bắc kạn”", "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn (CDCS-A)", `aria-describedby="f-unit_code-picked f-unit_code-hint f-unit_code-err"`)
	// A transfer by name.
	id := strconv.FormatInt(a.f.MemberIDs["Nguyễn Văn An"], 10)
	r = prov.post("/members/"+id+"/transfer", url.Values{"to_unit": {"truong thpt chuyen"}, "on": {"20/11/2026"}})
	wantStatus(t, r, http.StatusSeeOther)
	if m, _ := a.db.FindMemberByID(a.ctxAs(storetest.Admin), a.f.MemberIDs["Nguyễn Văn An"]); m.UnitCode != storetest.UnitCodeB {
		t.Errorf("transferred to %s, want %s", m.UnitCode, storetest.UnitCodeB)
	}
	// A code outside the scope keeps the store's message.
	r = union.post("/members", admission(storetest.CCCD(true, 1996, 913), "Bế Thị Nga", storetest.UnitCodeC))
	wantContains(t, r, "nằm ngoài phạm vi bạn quản lý")
}

func mustID(t *testing.T, location string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(location, "/members/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", location)
	}
	return id
}

// TestNameDoubts: a name typed without marks or in lower case is asked
// about, not refused: the form comes back unsaved with the question and a
// box, and saves once the box is ticked; a hidden control character is
// refused outright.
func TestNameDoubts(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)
	form := admission(storetest.CCCD(true, 1996, 931), "be thi lan", storetest.UnitCodeA)
	r := c.post("/members", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Họ tên “be thi lan” không có dấu", "có tiếng viết thường", `name="confirm"`, `value="be thi lan"`)
	form.Set("confirm", "1")
	wantStatus(t, c.post("/members", form), http.StatusSeeOther)

	form = admission(storetest.CCCD(true, 1996, 932), "Bế Thị \u202eLan", storetest.UnitCodeA)
	form.Set("confirm", "1")
	r = c.post("/members", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "ký tự ẩn không được phép")
}

// TestVietnameseNamesInEnglish: in the English interface the names of
// people and units are marked lang="vi"; in Vietnamese nothing is added.
func TestVietnameseNamesInEnglish(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.UnionA)
	id := strconv.FormatInt(a.f.MemberIDs["Nguyễn Văn An"], 10)
	wantNotContains(t, c.get("/members"), `lang="vi">Nguyễn Văn An`)
	c.get("/lang/en?next=/members")
	wantContains(t, c.get("/members"), `<a href="/members/`+id+`" lang="vi">Nguyễn Văn An</a>`)
	wantContains(t, c.get("/members/"+id), `<h1 lang="vi">Nguyễn Văn An</h1>`)
}
