package api

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// multipartBody is a multipart/form-data request body: fields and a file.
type multipartBody struct {
	fields         map[string]string
	name, contents string // the file part, when name is set
}

func (b multipartBody) write(t *testing.T, buf *bytes.Buffer) string {
	mw := multipart.NewWriter(buf)
	for k, v := range b.fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if b.name != "" {
		fw, err := mw.CreateFormFile("file", b.name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(b.contents))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType()
}

// memberCSV is a member list of rows "name;birth;gender;cccd;unit".
func memberCSV(rows ...string) string {
	return "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Mã đơn vị\n" + strings.Join(rows, "\n") + "\n"
}

// importWalk adds the imports' routes to the scope walk: an import of
// CDCS-C's officer is not found, and an upload of a member into CDCS-B
// writes nothing (its row is refused).
func importWalk(t *testing.T, e *testEnv, walk map[string][]walkCase) {
	t.Helper()
	res, err := e.db.ImportMembers(e.f.Ctx(storetest.UnionC), []congdoan.ImportMemberRow{{Row: 2, In: congdoan.MemberInput{
		CCCD: storetest.CCCD(false, 1990, 801), FullName: "Đinh Văn Hải", Gender: "M", BirthDate: congdoan.NewDate(1990, 1, 1), UnitCode: storetest.UnitCodeC}}},
		congdoan.ImportOptions{File: "c.csv", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	walk["GET /api/v1/imports/{id}"] = []walkCase{{path: fmt.Sprintf("/api/v1/imports/%d", res.ID), allow: []int{http.StatusNotFound}, forbid: []string{"Đinh Văn Hải", "c.csv"}}}
	walk["POST /api/v1/imports"] = []walkCase{{path: "/api/v1/imports", allow: []int{http.StatusCreated},
		body: multipartBody{fields: map[string]string{"kind": "members"}, name: "b.csv",
			contents: memberCSV("Ma Thị Sen;01/02/1993;Nữ;" + storetest.CCCD(true, 1993, 802) + ";" + storetest.UnitCodeB)}}}
}

// TestImportAPI uploads member lists as the district officer: a good file
// is imported and its record read back; a file with a row of another
// district is refused whole; bad uploads get their own answers.
func TestImportAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		good := memberCSV("Lò Văn Minh;04/04/1994;Nam;"+storetest.CCCD(false, 1994, 901)+";"+storetest.UnitCodeA,
			"Nguyễn Văn An;15/03/1985;Nam;"+storetest.CCCD(false, 1985, 100)+";"+storetest.UnitCodeA)
		res := e.as(storetest.District, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members"}, name: "ds.csv", contents: good})
		res.want(t, http.StatusCreated)
		var r congdoan.ImportResult
		res.decode(t, &r)
		if r.Status != congdoan.ImportDone || r.Created != 1 || r.Unchanged != 1 || r.Rows != 2 || len(r.Errors) != 0 || r.Progress != 1 {
			t.Fatalf("import: %s", res.body)
		}
		get := e.as(storetest.District, "GET", fmt.Sprintf("/api/v1/imports/%d", r.ID), nil)
		get.want(t, http.StatusOK)
		var back congdoan.ImportResult
		get.decode(t, &back)
		if back.ID != r.ID || back.Created != 1 || back.File != "ds.csv" || back.Username != storetest.District {
			t.Errorf("record: %s", get.body)
		}
		// The province sees the district's import; CDCS-A's officer does not.
		e.as(storetest.Province, "GET", fmt.Sprintf("/api/v1/imports/%d", r.ID), nil).want(t, http.StatusOK)
		e.as(storetest.UnionA, "GET", fmt.Sprintf("/api/v1/imports/%d", r.ID), nil).wantError(t, http.StatusNotFound, "not_found", "")

		before := e.memberCount()
		res = e.as(storetest.District, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members"}, name: "ds2.csv",
			contents: memberCSV("Hà Văn Nam;02/02/1992;Nam;"+storetest.CCCD(false, 1992, 903)+";"+storetest.UnitCodeA,
				"Vi Thị Na;03/03/1991;Nữ;"+storetest.CCCD(true, 1991, 904)+";"+storetest.UnitCodeC)})
		res.want(t, http.StatusCreated)
		res.decode(t, &r)
		if r.Status != congdoan.ImportRefused || r.Created != 1 || len(r.Errors) != 1 || r.Errors[0].Row != 3 || !strings.Contains(r.Errors[0].Column, "Mã đơn vị") ||
			!strings.Contains(r.Errors[0].Message, "ngoài phạm vi") || e.memberCount() != before {
			t.Errorf("refused import: %s", res.body)
		}

		e.as(storetest.District, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "units"}, name: "x.csv", contents: good}).
			wantError(t, http.StatusUnprocessableEntity, "invalid", "kind")
		e.as(storetest.District, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members"}, name: "x.pdf", contents: "%PDF-1.4 …"}).
			wantError(t, http.StatusUnprocessableEntity, "invalid", "file")
		e.as(storetest.District, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members"}}).
			wantError(t, http.StatusUnprocessableEntity, "invalid", "file")
		e.as(storetest.District, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members", "dry": "1"}, name: "ds.csv", contents: good}).
			wantError(t, http.StatusBadRequest, "invalid", "dry")
		e.as(storetest.District, "POST", "/api/v1/imports", map[string]string{"kind": "members"}).wantError(t, http.StatusBadRequest, "invalid", "")
		e.as(storetest.Monitor, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members"}, name: "ds.csv", contents: good}).
			wantError(t, http.StatusForbidden, "forbidden", "")
	})
}
