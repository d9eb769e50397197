package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store/storetest"
)

// upload posts a multipart form with a file, as the browser does.
func (c *client) upload(path string, fields map[string]string, name, contents string) response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(contents))
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestImportPage: the district officer checks a member list (nothing
// written, the bad row named by row and column), then imports it with the
// good rows only, and opens the import's record; a monitor may not.
func TestImportPage(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.District)
	form := c.get("/imports/new")
	wantStatus(t, form, http.StatusOK)
	checkPage(t, "/imports/new", form)
	wantContains(t, form, `enctype="multipart/form-data"`, "Kiểm tra (không ghi)", "Đơn vị sử dụng lao động")
	wantContains(t, c.get("/members"), `href="/imports/new"`)

	csv := "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Mã đơn vị\n" +
		"Lò Văn Minh;04/04/1994;Nam;" + storetest.CCCD(false, 1994, 901) + ";" + storetest.UnitCodeA + "\n" +
		"Hà Thị Lụa;31/02/1990;Nữ;" + storetest.CCCD(true, 1990, 902) + ";" + storetest.UnitCodeB + "\n"
	count := func() int {
		_, n, err := a.db.FindMembers(a.ctxAs(storetest.Admin), congdoan.MemberFilter{Status: "all"})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	r := c.upload("/imports", map[string]string{"kind": "members", "action": "check"}, "ds.csv", csv)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "/imports (check)", r)
	wantContains(t, r, "Kết quả kiểm tra: chưa ghi gì", "cột B (Ngày sinh)", "không có thật")
	if count() != before {
		t.Fatal("a check wrote members")
	}
	r = c.upload("/imports", map[string]string{"kind": "members", "action": "import", "partial": "1"}, "ds.csv", csv)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Đã nhập (lần nhập số")
	if count() != before+1 {
		t.Errorf("members %d → %d, want one more", before, count())
	}
	page := c.get("/imports/2")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "ds.csv", "Đã nhập (lần nhập số 2)")

	r = c.upload("/imports", map[string]string{"kind": "members", "action": "check"}, "x.pdf", "%PDF-1.4")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, `aria-invalid="true"`)
	wantStatus(t, c.post("/imports", url.Values{"kind": {"members"}}), http.StatusUnprocessableEntity)
	wantStatus(t, a.login(t, storetest.Monitor).get("/imports/new"), http.StatusForbidden)
	if strings.Contains(c.get("/imports/999").body, "ds.csv") {
		t.Error("an unknown import shows a file")
	}
}

// foreignImports records an import of CDCS-C's officer (a check), for the
// scope walk.
func foreignImports(t *testing.T, a *testApp) []string {
	t.Helper()
	res, err := a.db.ImportMembers(a.ctxAs(storetest.UnionC), []congdoan.ImportMemberRow{{Row: 2, In: congdoan.MemberInput{
		CCCD: storetest.CCCD(false, 1990, 801), FullName: "Đinh Văn Hải", Gender: "M", BirthDate: congdoan.NewDate(1990, 1, 1), UnitCode: storetest.UnitCodeC}}},
		congdoan.ImportOptions{File: "c.csv", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	return []string{itoa(res.ID)}
}
