package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestMemberListBeyondTheCount loads more members than the store counts
// one by one: a search whose words few people have is counted exactly,
// with page numbers and sizes; the list of all statuses, counted row by
// row, says "more than 1.000", and its next links carry a cursor that
// continues the order exactly, past the counted rows too.
func TestMemberListBeyondTheCount(t *testing.T) {
	a := mustApp(t)
	ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	unit, err := a.db.FindUnitByCode(ctx, storetest.UnitCodeA)
	if err != nil {
		t.Fatal(err)
	}
	givens := []string{"An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hùng", "Khánh", "Linh", "Minh", "Nam", "Phong", "Quang", "Sơn", "Tùng"}
	const crowd = 1120
	if err := a.db.Bulk(ctx, "test.crowd", func(b *store.Bulk) error {
		for i := range crowd {
			id, err := b.Person(store.BulkPerson{CCCD: storetest.CCCD(false, 1990, 600000+i), FullName: fmt.Sprintf("Nguyễn Văn %s", givens[i%len(givens)]),
				Gender: congdoan.GenderMale, BirthDate: congdoan.NewDate(1990, 1, 1)})
			if err != nil {
				return err
			}
			if err := b.Period(id, unit.ID, congdoan.NewDate(2022, 1, 1), congdoan.Date{}, congdoan.StartAdmitted, ""); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want, _, err := a.db.FindMembers(a.ctxAs(storetest.Admin), congdoan.MemberFilter{Status: "all", Limit: 500, Offset: 1000})
	if err != nil {
		t.Fatal(err)
	}
	c := a.login(t, storetest.Province)
	// Exact: the words' persons are few enough to count.
	r := c.get("/members?q=nguyen+van")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Hiển thị 1–50 trong 1.123 đoàn viên", `<strong aria-current="page">1</strong>`,
		`<a href="/members?offset=1100&amp;q=nguyen&#43;van">23</a>`, `<a href="/members?q=nguyen&#43;van&amp;size=100">100</a>`)
	r = c.get("/members?q=van+nguyen&size=20&offset=40")
	wantContains(t, r, "Hiển thị 41–60 trong 1.123 đoàn viên", `<strong aria-current="page">3</strong>`, `<strong aria-current="true">20</strong>`,
		`<a href="/members?offset=1120&amp;q=van&#43;nguyen&amp;size=20">57</a>`)
	if !regexp.MustCompile(`href="/members\?after=[^"]*offset=60&amp;q=van&#43;nguyen&amp;size=20" rel="next"`).MatchString(r.body) {
		t.Errorf("the next link keeps the size and carries the cursor:\n%s", r.body[strings.Index(r.body, `class="paging"`):])
	}
	wantContains(t, c.get("/members?q=van+an"), "Nguyễn Văn An")
	r = c.get("/members?status=all")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Hiển thị 1–50 trong hơn 1.000 đoàn viên")
	next := regexp.MustCompile(`href="(/members\?[^"]*after=[^"]*)" rel="next"`)
	var shown []string
	for page := 2; ; page++ {
		m := next.FindStringSubmatch(r.body)
		if m == nil {
			break
		}
		r = c.get(html.UnescapeString(m[1]))
		wantStatus(t, r, http.StatusOK)
		from := (page-1)*memberPageSize + 1
		if from <= 1000 {
			wantContains(t, r, fmt.Sprintf("Hiển thị %s–", fmtNum(from)), "trong hơn 1.000 đoàn viên", `rel="prev"`)
		} else {
			wantContains(t, r, fmt.Sprintf("Hiển thị %s–", fmtNum(from)), `rel="prev"`)
		}
		if page > 21 {
			shown = append(shown, regexp.MustCompile(`<a href="/members/(\d+)">`).FindAllString(r.body, -1)...)
		}
		if page > 40 {
			t.Fatal("paging does not end")
		}
	}
	// Pages 22 and 23 hold rows 1051–1127: the store's offset agrees.
	if len(shown) != len(want)-50 || len(want) != crowd+7-1000 {
		t.Fatalf("rows past 1.050 by cursor: %d, by offset %d", len(shown), len(want)-50)
	}
	for i, m := range want[50:] {
		if !strings.Contains(shown[i], fmt.Sprintf("/members/%d\"", m.ID)) {
			t.Fatalf("row %d: %s, want member %d", 1051+i, shown[i], m.ID)
		}
	}
	// The previous link goes back by offset, without the cursor.
	if !strings.Contains(r.body, `href="/members?offset=1050&amp;status=all" rel="prev"`) {
		t.Errorf("previous link of the last page:\n%s", r.body[strings.Index(r.body, `class="paging"`):])
	}
	// English says it too.
	// A broken cursor is a message, not an error page.
	r = c.get("/members?status=all&after=xyz")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Vị trí trang không hợp lệ")
	// English says it too.
	c.get("/lang/en?next=/members")
	wantContains(t, c.get("/members?status=all"), "of more than 1.000 members")
}

func fmtNum(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d.%03d", n/1000, n%1000)
}
