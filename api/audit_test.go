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
