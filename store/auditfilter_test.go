package store_test

import (
	"strconv"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestAuditFilters: the audit log by unit (its subtree, within the
// scope), by user and by Vietnam day, and the names a page of events
// refers to.
func TestAuditFilters(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		f.SeedOtherProvince(t)
		an := f.MemberIDs["Nguyễn Văn An"]
		// 17:30 UTC on 24/11 is 00:30 on 25/11 in Vietnam.
		db.Now = func() time.Time { return time.Date(2026, 11, 24, 17, 30, 0, 0, time.UTC) }
		job := "Thợ mỏ"
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), an, congdoan.MemberUpdate{Job: &job}); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return storetest.Now }
		tinh := f.Ctx(storetest.Province)
		find := func(fl congdoan.AuditFilter) []*congdoan.AuditEvent {
			t.Helper()
			evs, total, err := db.FindAuditEvents(tinh, fl)
			if err != nil {
				t.Fatalf("%+v: %v", fl, err)
			}
			if total != len(evs) {
				t.Fatalf("%+v: total %d, %d events", fl, total, len(evs))
			}
			return evs
		}
		all := find(congdoan.AuditFilter{Limit: 500})

		evs := find(congdoan.AuditFilter{Username: storetest.UnionA})
		if len(evs) != 1 || evs[0].Action != "member.update" {
			t.Errorf("by coso.a: %+v", evs)
		}
		evs = find(congdoan.AuditFilter{From: day(2026, 11, 25)})
		if len(evs) != 1 || evs[0].Action != "member.update" {
			t.Errorf("from 25/11: %+v", evs)
		}
		if evs := find(congdoan.AuditFilter{To: day(2026, 11, 24), Limit: 500}); len(evs) != len(all)-1 {
			t.Errorf("to 24/11: %d events of %d", len(evs), len(all))
		}
		if evs := find(congdoan.AuditFilter{From: day(2026, 11, 26)}); len(evs) != 0 {
			t.Errorf("from 26/11: %d events", len(evs))
		}
		// LDLD-BK-066's subtree: CDCS-C, its two members and itself.
		for _, e := range find(congdoan.AuditFilter{Unit: storetest.District66, Limit: 500}) {
			switch {
			case e.Entity == "unit" && (e.EntityID == storetest.District66 || e.EntityID == storetest.UnitCodeC):
			case e.Entity == "member" && (e.EntityID == strconv.FormatInt(f.MemberIDs["Triệu Văn Đức"], 10) || e.EntityID == strconv.FormatInt(f.MemberIDs["Lý Thị Én"], 10)):
			case e.Entity == "employer" || e.Entity == "user":
			default:
				t.Errorf("LDLD-BK-066's log has %s %s %s", e.Action, e.Entity, e.EntityID)
			}
		}
		// A unit outside the scope is refused as not found, at the field.
		if _, _, err := db.FindAuditEvents(tinh, congdoan.AuditFilter{Unit: storetest.OtherUnion}); congdoan.ErrorCode(err) != congdoan.EINVALID {
			t.Errorf("Bắc Kạn filtering on a union of Thái Nguyên: %v", err)
		}

		// Names: the member, the units named in before and after, the user.
		e := find(congdoan.AuditFilter{Entity: "member", EntityID: strconv.FormatInt(an, 10), Action: "member.create"})[0]
		upd := find(congdoan.AuditFilter{Username: storetest.UnionA})[0]
		for k, want := range map[string]string{
			"member:" + strconv.FormatInt(an, 10): "Nguyễn Văn An",
			"unit:" + storetest.UnitCodeA:         "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn",
			"user:" + storetest.UnionA:            "",
		} {
			if got := e.Names[k]; got != want {
				t.Errorf("Names[%s] = %q, want %q", k, got, want)
			}
		}
		if got := upd.Names["user:"+storetest.UnionA]; got != "Chủ tịch CĐCS A" {
			t.Errorf("the acting user's name: %q", got)
		}
	})
}
