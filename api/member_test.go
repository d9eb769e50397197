package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// memberPage is the decoded answer of GET /api/v1/members.
type memberPage struct {
	Total       int                `json:"total"`
	TotalCapped bool               `json:"total_capped"`
	Items       []*congdoan.Member `json:"items"`
	NextAfter   string             `json:"next_after"`
}

func names(ms []*congdoan.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.FullName)
	}
	return out
}

func TestFindMembers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		for _, tc := range []struct {
			user string
			want []string
		}{
			{storetest.UnionA, []string{"Nguyễn Văn An", "Nguyễn Văn Bình"}},
			{storetest.District, []string{"Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Cường"}},
		} {
			t.Run(tc.user, func(t *testing.T) {
				res := e.as(tc.user, "GET", "/api/v1/members?q=nguyen%20van", nil)
				res.want(t, http.StatusOK)
				var p memberPage
				res.decode(t, &p)
				if got := names(p.Items); !slices.Equal(got, tc.want) || p.Total != len(tc.want) {
					t.Fatalf("got %q (total %d), want %q", got, p.Total, tc.want)
				}
				for i, m := range p.Items {
					real := e.revealed(m.FullName).CCCD
					if !m.Masked || !strings.HasPrefix(m.CCCD, "••••••••") || m.CCCD == real || strings.Contains(string(res.body), real) {
						t.Errorf("item %d: cccd %q not masked (masked=%v)", i, m.CCCD, m.Masked)
					}
					if !strings.HasPrefix(m.BirthDate, "••/••/") {
						t.Errorf("item %d: birth date %q not masked", i, m.BirthDate)
					}
				}
			})
		}
		t.Run("monitor", func(t *testing.T) {
			e.as(storetest.Monitor, "GET", "/api/v1/members?q=nguyen%20van", nil).wantError(t, http.StatusForbidden, "forbidden", "")
		})
		t.Run("paging", func(t *testing.T) {
			res := e.as(storetest.District, "GET", "/api/v1/members?limit=1&offset=1", nil)
			res.want(t, http.StatusOK)
			var p memberPage
			res.decode(t, &p)
			if p.Total != 5 || len(p.Items) != 1 {
				t.Errorf("total %d, %d items; want 5 and 1", p.Total, len(p.Items))
			}
		})
		t.Run("cursor", func(t *testing.T) {
			// Page by page with next_after: the same members, in the
			// same order, as one page; the last page has no cursor.
			res := e.as(storetest.District, "GET", "/api/v1/members?limit=50", nil)
			var all memberPage
			res.decode(t, &all)
			if all.Total != 5 || all.TotalCapped || all.NextAfter != "" {
				t.Fatalf("one page: total %d, capped %v, next %q", all.Total, all.TotalCapped, all.NextAfter)
			}
			var got []string
			next := ""
			for range 5 {
				res := e.as(storetest.District, "GET", "/api/v1/members?limit=2&after="+url.QueryEscape(next), nil)
				res.want(t, http.StatusOK)
				var p memberPage
				res.decode(t, &p)
				got = append(got, names(p.Items)...)
				if next = p.NextAfter; next == "" {
					break
				}
				if len(p.Items) != 2 || p.Total != 5 {
					t.Fatalf("page of %d, total %d, with a next cursor", len(p.Items), p.Total)
				}
			}
			if !slices.Equal(got, names(all.Items)) {
				t.Errorf("by cursor %q, in one page %q", got, names(all.Items))
			}
			e.as(storetest.District, "GET", "/api/v1/members?after=nope", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "after")
		})
		t.Run("empty is an empty list", func(t *testing.T) {
			res := e.as(storetest.UnionA, "GET", "/api/v1/members?q=khongcoai", nil)
			res.want(t, http.StatusOK)
			if !strings.Contains(string(res.body), `"items":[]`) {
				t.Errorf("want items [], got %s", res.body)
			}
		})
		t.Run("bad parameters", func(t *testing.T) {
			e.as(storetest.UnionA, "GET", "/api/v1/members?limit=muoi", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "limit")
			e.as(storetest.UnionA, "GET", "/api/v1/members?offset=-1", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "offset")
			e.as(storetest.UnionA, "GET", "/api/v1/members?status=gone", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "status")
			e.as(storetest.UnionA, "GET", "/api/v1/members/abc", nil).wantError(t, http.StatusUnprocessableEntity, "invalid", "id")
			e.as(storetest.UnionA, "POST", "/api/v1/members/0/leave", map[string]string{"reason": "left"}).wantError(t, http.StatusUnprocessableEntity, "invalid", "id")
		})
	})
}

func TestCreateMember(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		good := func() map[string]any {
			return map[string]any{"cccd": storetest.CCCD(false, 1991, 900), "full_name": "Hoàng Văn Mới", "gender": "M",
				"birth_date": "1991-06-01", "ethnicity": "Tày", "phone": "0912000111", "job": "Thợ mỏ", "unit_code": storetest.UnitCodeA,
				"joined_on": "2026-11-02"}
		}
		with := func(k string, v any) map[string]any {
			b := good()
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
			return b
		}
		hoa := e.member("Nông Thị Hoa")
		for _, tc := range []struct {
			name   string
			body   any
			status int
			field  string
			check  func(t *testing.T, eb errorBody)
			logged bool // a lookup of another union's member, in the audit log
		}{
			{name: "malformed cccd", body: with("cccd", "12345"), status: 422, field: "cccd"},
			{name: "cccd gender disagrees", body: with("cccd", storetest.CCCD(true, 1991, 900)), status: 422, field: "cccd"},
			{name: "cccd year disagrees", body: with("cccd", storetest.CCCD(false, 1985, 900)), status: 422, field: "cccd"},
			{name: "cccd active elsewhere", status: 409, field: "cccd", logged: true,
				body: map[string]any{"cccd": storetest.CCCD(true, 1980, 103), "full_name": "Nông Thị Hoa", "gender": "F", "birth_date": "1980-03-15",
					"unit_code": storetest.UnitCodeA},
				check: func(t *testing.T, eb errorBody) {
					if !strings.Contains(eb.Message, "Công đoàn cơ sở Trường THPT Chuyên Bắc Kạn") {
						t.Errorf("message does not name the union: %s", eb.Message)
					}
					// CDCS-B is outside CDCS-A's scope: its name, not its member's id.
					if eb.Details["unit_code"] != storetest.UnitCodeB || eb.Details["unit_name"] != hoa.UnitName || eb.Details["member_id"] != "" {
						t.Errorf("details %v", eb.Details)
					}
				}},
			{name: "unknown unit", body: with("unit_code", "CDCS-KHONG-CO"), status: 422, field: "unit_code"},
			{name: "unit outside scope", body: with("unit_code", storetest.UnitCodeC), status: 403, field: "unit_code",
				check: func(t *testing.T, eb errorBody) {
					if !strings.Contains(eb.Message, "Công đoàn Công ty Cổ phần Chè Na Rì") {
						t.Errorf("message does not name the unit: %s", eb.Message)
					}
				}},
			{name: "full name too long", body: with("full_name", "Nguyễn "+strings.Repeat("a", 143)), status: 422, field: "full_name"},
			{name: "missing birth date", body: with("birth_date", nil), status: 422, field: "birth_date"},
			{name: "bad date", body: with("birth_date", "15/06/1991"), status: 422},
			{name: "wrong type", body: with("gender", 1), status: 422, field: "gender"},
			{name: "malformed json", body: rawBody(`{"cccd": "0060`), status: 400,
				check: func(t *testing.T, eb errorBody) {
					if !strings.HasPrefix(eb.Message, "Nội dung gửi lên không phải JSON hợp lệ: ") {
						t.Errorf("message %q", eb.Message)
					}
				}},
			{name: "syntax error", body: rawBody(`{"cccd" "006"}`), status: 400},
			{name: "empty body", body: rawBody(``), status: 400},
			{name: "array", body: rawBody(`[1, 2]`), status: 400},
			{name: "trailing data", body: rawBody(`{"cccd": "006"} {}`), status: 400},
			{name: "unknown field", body: with("nickname", "Mới"), status: 400, field: "nickname",
				check: func(t *testing.T, eb errorBody) {
					if !strings.Contains(eb.Message, `"nickname"`) {
						t.Errorf("message does not name the field: %s", eb.Message)
					}
				}},
			// encoding/json matches names case-insensitively; the API does not.
			{name: "field name in another case", body: rawBody(`{"cccd": "` + storetest.CCCD(false, 1991, 900) + `", "full_name": "Hà Văn Mới",
				"gender": "M", "birth_date": "1991-06-15", "Unit_Code": "` + storetest.UnitCodeA + `"}`), status: 400, field: "Unit_Code",
				check: func(t *testing.T, eb errorBody) {
					if !strings.Contains(eb.Message, `"unit_code"`) {
						t.Errorf("message does not name the right spelling: %s", eb.Message)
					}
				}},
			{name: "field name in upper case", body: rawBody(`{"CCCD": "` + storetest.CCCD(false, 1991, 900) + `", "full_name": "Hà Văn Mới",
				"gender": "M", "birth_date": "1991-06-15", "unit_code": "` + storetest.UnitCodeA + `"}`), status: 400, field: "CCCD"},
			{name: "zero date", body: with("joined_on", "0001-01-01"), status: 422},
			{name: "body too large", body: rawBody(`{"note": "` + strings.Repeat("x", 1<<20) + `"}`), status: 413},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, audits := e.memberCount(), e.auditCount()
				res := e.as(storetest.UnionA, "POST", "/api/v1/members", tc.body)
				eb := res.wantError(t, tc.status, codeFor(tc.status), tc.field)
				if tc.check != nil {
					tc.check(t, eb)
				}
				if after := e.memberCount(); after != before {
					t.Errorf("members %d → %d: a rejected admission wrote", before, after)
				}
				want := audits
				if tc.logged {
					want++
				}
				if after := e.auditCount(); after != want {
					t.Errorf("audit events %d → %d, want %d: a rejected admission wrote (or a lookup was not logged)", audits, after, want)
				}
			})
		}
		t.Run("ok", func(t *testing.T) {
			before := e.memberCount()
			res := e.as(storetest.UnionA, "POST", "/api/v1/members", good())
			res.want(t, http.StatusCreated)
			var m congdoan.Member
			res.decode(t, &m)
			if m.ID == 0 || m.UnitCode != storetest.UnitCodeA || !m.Masked || m.Status != "active" {
				t.Errorf("created %+v", m)
			}
			if loc := res.header.Get("Location"); loc != fmt.Sprintf("/api/v1/members/%d", m.ID) {
				t.Errorf("Location %q", loc)
			}
			if after := e.memberCount(); after != before+1 {
				t.Errorf("members %d → %d, want one more", before, after)
			}
		})
	})
}

func TestTransferMember(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		t.Run("district moves A to B", func(t *testing.T) {
			id := e.f.MemberIDs["Nguyễn Văn Bình"]
			res := e.as(storetest.District, "POST", fmt.Sprintf("/api/v1/members/%d/transfer", id),
				map[string]string{"to_unit": storetest.UnitCodeB, "on": "2026-11-01", "note": "Chuyển công tác"})
			res.want(t, http.StatusOK)
			get := e.as(storetest.District, "GET", fmt.Sprintf("/api/v1/members/%d", id), nil)
			get.want(t, http.StatusOK)
			var m congdoan.Member
			get.decode(t, &m)
			if m.UnitCode != storetest.UnitCodeB || m.Status != "active" || m.Since.String() != "2026-11-01" {
				t.Errorf("after transfer: unit %s status %s since %s", m.UnitCode, m.Status, m.Since)
			}
			if len(m.Periods) != 2 {
				t.Fatalf("%d periods, want 2: %s", len(m.Periods), get.body)
			}
			p0, p1 := m.Periods[0], m.Periods[1]
			if p0.UnitCode != storetest.UnitCodeA || p0.To.String() != "2026-11-01" || p0.EndReason != congdoan.EndTransferOut ||
				p1.UnitCode != storetest.UnitCodeB || !p1.To.IsZero() || p1.StartReason != congdoan.StartTransferIn {
				t.Errorf("periods %+v %+v", p0, p1)
			}
			// CDCS-A's officer no longer sees the member.
			e.as(storetest.UnionA, "GET", fmt.Sprintf("/api/v1/members/%d", id), nil).wantError(t, http.StatusNotFound, "not_found", "")
		})
		t.Run("union A to C is forbidden", func(t *testing.T) {
			id := e.f.MemberIDs["Nguyễn Văn An"]
			audits := e.auditCount()
			res := e.as(storetest.UnionA, "POST", fmt.Sprintf("/api/v1/members/%d/transfer", id),
				map[string]string{"to_unit": storetest.UnitCodeC, "on": "2026-11-01"})
			eb := res.wantError(t, http.StatusForbidden, "forbidden", "to_unit")
			if !strings.Contains(eb.Message, "Công đoàn Công ty Cổ phần Chè Na Rì") || !strings.Contains(eb.Message, "ngoài phạm vi") {
				t.Errorf("message does not name the unit and why: %s", eb.Message)
			}
			m := e.member("Nguyễn Văn An")
			if m.UnitCode != storetest.UnitCodeA || len(m.Periods) != 1 || !m.Periods[0].To.IsZero() {
				t.Errorf("member changed: unit %s, %d periods", m.UnitCode, len(m.Periods))
			}
			if e.auditCount() != audits {
				t.Error("a refused transfer wrote an audit event")
			}
		})
		t.Run("bad input", func(t *testing.T) {
			id := e.f.MemberIDs["Nguyễn Văn An"]
			path := fmt.Sprintf("/api/v1/members/%d/transfer", id)
			e.as(storetest.District, "POST", path, map[string]string{}).wantError(t, 422, "invalid", "to_unit")
			e.as(storetest.District, "POST", path, map[string]string{"to_unit": storetest.UnitCodeB, "on": "2027-01-01"}).wantError(t, 422, "invalid", "on")
			e.as(storetest.District, "POST", path, map[string]string{"to_unit": storetest.UnitCodeB, "when": "2026-01-01"}).wantError(t, 400, "invalid", "when")
			if m := e.member("Nguyễn Văn An"); m.UnitCode != storetest.UnitCodeA || len(m.Periods) != 1 {
				t.Errorf("member changed: %s, %d periods", m.UnitCode, len(m.Periods))
			}
		})
	})
}

func TestLeaveMember(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		id := e.f.MemberIDs["Hoàng Thị Đào"]
		path := fmt.Sprintf("/api/v1/members/%d/leave", id)
		t.Run("bad reason", func(t *testing.T) {
			e.as(storetest.UnionA, "POST", path, map[string]string{"reason": "nghi-phep", "on": "2026-11-20"}).
				wantError(t, http.StatusUnprocessableEntity, "invalid", "reason")
			if m := e.member("Hoàng Thị Đào"); m.Status != congdoan.StatusActive {
				t.Errorf("status %s after a refused leave", m.Status)
			}
		})
		t.Run("ok", func(t *testing.T) {
			res := e.as(storetest.UnionA, "POST", path, map[string]string{"reason": string(congdoan.EndRetired), "on": "2026-11-20", "note": "Đủ tuổi nghỉ hưu"})
			res.want(t, http.StatusOK)
			var m congdoan.Member
			res.decode(t, &m)
			if m.Status != congdoan.StatusLeft || m.EndReason != congdoan.EndRetired || m.EndedOn.String() != "2026-11-20" {
				t.Errorf("after leave: status %s reason %s ended %s", m.Status, m.EndReason, m.EndedOn)
			}
			// A second leave is a conflict, not a second period closed.
			e.as(storetest.UnionA, "POST", path, map[string]string{"reason": string(congdoan.EndLeft)}).wantError(t, http.StatusConflict, "conflict", "")
		})
	})
}

func TestUpdateMember(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		name := "Nguyễn Văn An"
		path := fmt.Sprintf("/api/v1/members/%d", e.f.MemberIDs[name])
		before := e.revealed(name)
		res := e.as(storetest.UnionA, "PATCH", path, map[string]any{"job": "Kỹ sư mỏ", "phone": nil})
		res.want(t, http.StatusOK)
		var m congdoan.Member
		res.decode(t, &m)
		if m.Job != "Kỹ sư mỏ" || !m.Masked {
			t.Errorf("answer: job %q masked %v", m.Job, m.Masked)
		}
		after := e.revealed(name)
		want := *before
		want.Job = "Kỹ sư mỏ"
		if after.CCCD != want.CCCD || after.FullName != want.FullName || after.Gender != want.Gender || after.BirthDate != want.BirthDate ||
			after.Ethnicity != want.Ethnicity || after.Phone != want.Phone || after.Job != want.Job || after.UnitCode != want.UnitCode {
			t.Errorf("PATCH changed more than job:\nbefore %+v\nafter  %+v", before, after)
		}
		t.Run("invalid whole", func(t *testing.T) {
			// A gender that no longer agrees with the CCCD is refused.
			e.as(storetest.UnionA, "PATCH", path, map[string]any{"gender": "F"}).wantError(t, http.StatusUnprocessableEntity, "invalid", "cccd")
			if got := e.revealed(name); got.Gender != before.Gender {
				t.Errorf("gender changed to %s", got.Gender)
			}
		})
		t.Run("reveal", func(t *testing.T) {
			audits := e.auditCount()
			res := e.as(storetest.UnionA, "POST", path+"/reveal", nil)
			res.want(t, http.StatusOK)
			var m congdoan.Member
			res.decode(t, &m)
			if m.Masked || m.CCCD != before.CCCD || m.Phone != before.Phone {
				t.Errorf("reveal: masked %v cccd %s phone %s", m.Masked, m.CCCD, m.Phone)
			}
			if e.auditCount() != audits+1 {
				t.Error("reveal was not logged")
			}
			// A reason, optional for older clients, goes into the event;
			// one too short is refused and nothing is logged.
			e.as(storetest.UnionA, "POST", path+"/reveal", map[string]string{"reason": "x"}).wantError(t, http.StatusUnprocessableEntity, "invalid", "reason")
			e.as(storetest.UnionA, "POST", path+"/reveal", map[string]string{"reason": "Đối chiếu hồ sơ"}).want(t, http.StatusOK)
			if e.auditCount() != audits+2 {
				t.Errorf("%d events after the reveals, want %d", e.auditCount(), audits+2)
			}
			evs, _, err := e.db.FindAuditEvents(e.f.Ctx(storetest.Admin), congdoan.AuditFilter{Action: "member.reveal", Limit: 1})
			if err != nil || len(evs) != 1 || !strings.Contains(string(evs[0].After), `"reason":"Đối chiếu hồ sơ"`) {
				t.Errorf("the reveal's event: %v %v", evs, err)
			}
		})
	})
}

// TestReadmission: a CCCD on file is one person. A former member is
// admitted again with the identity on file; a different name or birth date
// is refused (409 naming the person and their last union), blank optional
// fields keep what is stored, a deceased person is not admitted again.
func TestReadmission(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		admin := e.f.Ctx(storetest.Admin)
		leave := func(name string, reason congdoan.Reason) {
			t.Helper()
			if _, err := db.LeaveMember(admin, e.f.MemberIDs[name], congdoan.LeaveInput{Reason: reason, On: congdoan.NewDate(2026, 6, 1)}); err != nil {
				t.Fatal(err)
			}
		}
		duc := e.revealed("Triệu Văn Đức") // CDCS-C, outside LDLD-BK-058's scope
		leave("Triệu Văn Đức", congdoan.EndLeft)
		body := func(name, birth string) map[string]any {
			return map[string]any{"cccd": duc.CCCD, "full_name": name, "gender": "M", "birth_date": birth,
				"unit_code": storetest.UnitCodeA, "joined_on": "2026-11-02"}
		}
		for _, tc := range []struct{ name, fullName, birth, want string }{
			{"another name", "Triệu Văn Dũng", "1979-03-15", "họ tên (hồ sơ: Triệu Văn Đức)"},
			{"another birth date", "Triệu Văn Đức", "1979-08-20", "ngày sinh (hồ sơ: 15/03/1979)"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				audits := e.auditCount()
				eb := e.as(storetest.District, "POST", "/api/v1/members", body(tc.fullName, tc.birth)).wantError(t, http.StatusConflict, "conflict", "cccd")
				for _, s := range []string{"Triệu Văn Đức", "Công đoàn Công ty Cổ phần Chè Na Rì", tc.want, "sửa thông tin cá nhân ở trang hồ sơ đoàn viên"} {
					if !strings.Contains(eb.Fields["cccd"], s) {
						t.Errorf("fields.cccd lacks %q: %s", s, eb.Fields["cccd"])
					}
				}
				if eb.Details["member_id"] != "" {
					t.Errorf("an id of another union's member: %v", eb.Details)
				}
				if got := e.revealed("Triệu Văn Đức"); got.FullName != duc.FullName || got.BirthDate != duc.BirthDate || got.Status != congdoan.StatusLeft {
					t.Errorf("person changed by a refused re-admission: %+v", got)
				}
				// The lookup is logged (and the two reveals above).
				if got := e.auditCount(); got != audits+2 {
					t.Errorf("audit events %d → %d, want the lookup and the reveal", audits, got)
				}
			})
		}
		t.Run("blank optional fields keep the stored values", func(t *testing.T) {
			res := e.as(storetest.District, "POST", "/api/v1/members", body("triệu  văn đức", "1979-03-15"))
			res.want(t, http.StatusCreated)
			got := e.revealed("Triệu Văn Đức")
			if got.FullName != duc.FullName || got.Ethnicity != "Tày" || got.Phone != duc.Phone || got.Job != "Công nhân" ||
				got.UnitCode != storetest.UnitCodeA || len(got.Periods) != 2 || got.Periods[1].StartReason != congdoan.StartReadmitted {
				t.Errorf("re-admitted: %+v", got)
			}
		})
		t.Run("deceased", func(t *testing.T) {
			en := e.revealed("Lý Thị Én")
			leave("Lý Thị Én", congdoan.EndDeceased)
			eb := e.as(storetest.Province, "POST", "/api/v1/members", map[string]any{"cccd": en.CCCD, "full_name": en.FullName, "gender": "F",
				"birth_date": en.BirthDate, "unit_code": storetest.UnitCodeC, "joined_on": "2026-11-02"}).wantError(t, http.StatusConflict, "conflict", "cccd")
			if !strings.Contains(eb.Message, "từ trần") {
				t.Errorf("message %s", eb.Message)
			}
			// In the province officer's scope: the id to open the record.
			if eb.Details["member_id"] != fmt.Sprint(en.ID) {
				t.Errorf("details %v", eb.Details)
			}
			if got := e.member("Lý Thị Én"); got.Status != congdoan.StatusLeft || len(got.Periods) != 1 {
				t.Errorf("deceased person re-admitted: %+v", got)
			}
		})
		t.Run("an edit from an old version is refused", func(t *testing.T) {
			m := e.member("Nguyễn Văn An")
			path := fmt.Sprintf("/api/v1/members/%d", m.ID)
			e.as(storetest.UnionA, "PATCH", path, map[string]any{"job": "Kỹ sư", "version": m.Version}).want(t, http.StatusOK)
			eb := e.as(storetest.UnionA, "PATCH", path, map[string]any{"job": "Thợ lò", "version": m.Version}).wantError(t, http.StatusConflict, "conflict", "version")
			if eb.Details["version"] != fmt.Sprint(m.Version+1) {
				t.Errorf("details %v", eb.Details)
			}
			if got := e.revealed("Nguyễn Văn An"); got.Job != "Kỹ sư" {
				t.Errorf("job %q: the stale edit was written", got.Job)
			}
		})
	})
}
