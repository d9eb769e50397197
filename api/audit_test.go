package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestAuditByProvince: GET /api/v1/audit gives a province officer the
// events of their own province only, with before/after masked.
func TestAuditByProvince(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		e.f.SeedOtherProvince(t)
		tnMember := strconv.FormatInt(e.f.MemberIDs[storetest.OtherMember], 10)
		tnCCCD, bkCCCD := storetest.CCCD(true, 1991, 900), storetest.CCCD(false, 1985, 100)
		for _, c := range []struct {
			user        string
			sees, hides string // a member's id
		}{
			{storetest.Province, strconv.FormatInt(e.f.MemberIDs["Nguyễn Văn An"], 10), tnMember},
			{storetest.OtherProvince, tnMember, strconv.FormatInt(e.f.MemberIDs["Nguyễn Văn An"], 10)},
		} {
			res := e.as(c.user, "GET", "/api/v1/audit?entity=member&action=member.create&limit=500", nil)
			res.want(t, http.StatusOK)
			var p struct {
				Total int                    `json:"total"`
				Items []*congdoan.AuditEvent `json:"items"`
			}
			res.decode(t, &p)
			seen := map[string]bool{}
			for _, ev := range p.Items {
				seen[ev.EntityID] = true
			}
			if !seen[c.sees] || seen[c.hides] || p.Total != len(p.Items) {
				t.Errorf("%s: member.create of %v (total %d); want %s, not %s", c.user, seen, p.Total, c.sees, c.hides)
			}
			if body := string(res.body); strings.Contains(body, tnCCCD) || strings.Contains(body, bkCCCD) || !strings.Contains(body, "••••••••") {
				t.Errorf("%s: before/after not masked: %.500s", c.user, body)
			}
		}
	})
}

// TestAuditVerify: GET /api/v1/audit/verify answers an administrator
// whether the chain holds, names an edited event, and refuses the others.
func TestAuditVerify(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		var v congdoan.AuditVerification
		res := e.as(storetest.Admin, "GET", "/api/v1/audit/verify", nil)
		res.want(t, http.StatusOK)
		res.decode(t, &v)
		if !v.OK || v.Events == 0 || v.LastID != v.Events || v.Problems == nil {
			t.Fatalf("verify: %s", res.body)
		}
		e.as(storetest.Province, "GET", "/api/v1/audit/verify", nil).wantError(t, http.StatusForbidden, "forbidden", "")
		if _, err := storetest.Raw(t, db).Exec(db.Rebind(`UPDATE audit_events SET action = 'member.delete' WHERE id = ?`), 3); err != nil {
			t.Fatal(err)
		}
		res = e.as(storetest.Admin, "GET", "/api/v1/audit/verify", nil)
		res.want(t, http.StatusOK)
		v = congdoan.AuditVerification{}
		res.decode(t, &v)
		if v.OK || len(v.Problems) != 1 || v.Problems[0].EventID != 3 {
			t.Errorf("after an edit: %s", res.body)
		}
	})
}
