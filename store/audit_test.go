package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// auditRecordProvince says which province's record an event is about, from
// what the fixture knows rather than from the event's unit: "BK" (the
// seeded province), "TN" (SeedOtherProvince) or "" (no unit: administrators
// only).
func auditRecordProvince(f *storetest.Fixture, tnAgreement int64, ev *congdoan.AuditEvent) string {
	id, _ := strconv.ParseInt(ev.EntityID, 10, 64)
	tn := false
	switch ev.Entity {
	case "member":
		tn = id == f.MemberIDs[storetest.OtherMember]
	case "unit":
		tn = slices.Contains([]string{storetest.OtherRoot, storetest.OtherDistrict, storetest.OtherUnion}, ev.EntityID)
	case "employer":
		tn = id == f.Employers[storetest.OtherEmployer]
	case "agreement":
		tn = id == tnAgreement
	case "user":
		if ev.EntityID == storetest.Admin {
			return ""
		}
		tn = ev.EntityID == storetest.OtherProvince || ev.EntityID == storetest.OtherOfficer
	default:
		return ""
	}
	if tn {
		return "TN"
	}
	return "BK"
}

func allAuditEvents(t *testing.T, db *store.DB, ctx context.Context) []*congdoan.AuditEvent {
	t.Helper()
	evs, total, err := db.FindAuditEvents(ctx, congdoan.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(evs) {
		t.Fatalf("total %d, listed %d", total, len(evs))
	}
	return evs
}

// TestAuditScopeByProvince: with two provinces in one database, each
// province officer reads the events about their own province's units,
// members, employers, agreements and accounts, and nothing else; the
// administrator reads everything, events without a unit included.
func TestAuditScopeByProvince(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		tnAgreement := f.SeedOtherProvince(t)
		// Writes by each province's own officers, and an event about nothing.
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Job: ptr("Thợ mỏ")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateMember(f.Ctx(storetest.OtherOfficer), f.MemberIDs[storetest.OtherMember], congdoan.MemberUpdate{Phone: ptr("0987000111")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RevealMember(f.Ctx(storetest.OtherOfficer), f.MemberIDs[storetest.OtherMember], "xác minh hồ sơ"); err != nil {
			t.Fatal(err)
		}
		sys := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
		if err := db.BackfillSnapshots(sys); err != nil { // a system job's event
			t.Fatal(err)
		}

		var n int
		if err := storetest.Raw(t, db).QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		all := allAuditEvents(t, db, f.Ctx(storetest.Admin))
		if len(all) != n {
			t.Fatalf("administrator reads %d of %d events", len(all), n)
		}
		want := map[string][]int64{}
		for _, ev := range all {
			p := auditRecordProvince(f, tnAgreement, ev)
			want[p] = append(want[p], ev.ID)
		}
		if len(want["BK"]) < 20 || len(want["TN"]) < 8 || len(want[""]) < 2 {
			t.Fatalf("fixture events by province: BK %d, TN %d, none %d", len(want["BK"]), len(want["TN"]), len(want[""]))
		}
		for officer, p := range map[string]string{storetest.Province: "BK", storetest.OtherProvince: "TN"} {
			var got []int64
			for _, ev := range allAuditEvents(t, db, f.Ctx(officer)) {
				got = append(got, ev.ID)
				if q := auditRecordProvince(f, tnAgreement, ev); q != p {
					t.Errorf("%s (province %s) reads event %d %s %s %s of province %q", officer, p, ev.ID, ev.Action, ev.Entity, ev.EntityID, q)
				}
			}
			if !slices.Equal(got, want[p]) {
				t.Errorf("%s reads events %v, want %v", officer, got, want[p])
			}
		}
		// A filter on another province's record lists nothing, with a total of 0.
		evs, total, err := db.FindAuditEvents(f.Ctx(storetest.Province), congdoan.AuditFilter{Entity: "member", EntityID: strconv.FormatInt(f.MemberIDs[storetest.OtherMember], 10)})
		if err != nil || total != 0 || len(evs) != 0 {
			t.Errorf("another province's member's events: %d %v", total, err)
		}
		// The other roles still read no log at all, in either province.
		for _, u := range []string{storetest.District, storetest.UnionA, storetest.Monitor, storetest.OtherOfficer} {
			if _, _, err := db.FindAuditEvents(f.Ctx(u), congdoan.AuditFilter{}); code(err) != congdoan.EFORBIDDEN {
				t.Errorf("%s reads the audit log: %v", u, err)
			}
		}
	})
}

// auditUnitCode is the code of the unit the latest event of action about
// entityID was filed under, "" for none.
func auditUnitCode(t *testing.T, db *store.DB, action, entityID string) string {
	t.Helper()
	var c sql.NullString
	err := storetest.Raw(t, db).QueryRow(db.Rebind(`SELECT u.code FROM audit_events a LEFT JOIN units u ON u.id = a.unit_id
		WHERE a.action = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT 1`), action, entityID).Scan(&c)
	if err != nil {
		t.Fatalf("event %s %s: %v", action, entityID, err)
	}
	return c.String
}

// TestAuditEventUnit checks the unit each kind of event is filed under, and
// that it decides who reads the event.
func TestAuditEventUnit(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		f.SeedOtherProvince(t)
		an := strconv.FormatInt(f.MemberIDs["Nguyễn Văn An"], 10)
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Job: ptr("Thợ mỏ")}); err != nil {
			t.Fatal(err)
		}
		// Filed under the member's union when written; a transfer under the new one.
		if code := auditUnitCode(t, db, "member.update", an); code != storetest.UnitCodeA {
			t.Errorf("member.update filed under %q, want %s", code, storetest.UnitCodeA)
		}
		if _, err := db.TransferMember(f.Ctx(storetest.District), f.MemberIDs["Nguyễn Văn An"], congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: day(2026, 11, 1)}); err != nil {
			t.Fatal(err)
		}
		ag := mustAgreement(t, db, f.Ctx(storetest.District), goodAgreement())
		if _, err := db.RevealMember(f.Ctx(storetest.UnionC), f.MemberIDs["Triệu Văn Đức"], "xác minh hồ sơ"); err != nil {
			t.Fatal(err)
		}
		// A report, a target allocation and a bulk load.
		ctx := f.Ctx(storetest.Province)
		rep := &congdoan.Report{UnitCode: storetest.District66, Period: "2026-H1", AsOf: day(2026, 6, 30)}
		if err := db.InsertReport(ctx, rep); err != nil {
			t.Fatal(err)
		}
		reportID := rep.ID
		if _, err := db.LoadPlans(ctx, []*congdoan.Plan{{Code: "test", Unit: storetest.Root, Targets: []congdoan.PlanTarget{
			{Indicator: congdoan.IndicatorMembers, Year: 2030, Value: 100, Comparator: ">="}}}}); err != nil {
			t.Fatal(err)
		}
		ts, err := db.FindTargets(ctx, storetest.Root)
		if err != nil || len(ts) != 1 {
			t.Fatalf("targets %v %v", ts, err)
		}
		targetID := ts[0].ID
		if _, err := db.AllocateTarget(ctx, targetID, storetest.District58, 60); err != nil {
			t.Fatal(err)
		}
		if err := db.Bulk(ctx, "bulk.members", func(*store.Bulk) error { return nil }); err != nil {
			t.Fatal(err)
		}

		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		for _, c := range []struct{ action, entityID, unit string }{
			{"member.create", an, storetest.UnitCodeA}, // filed when written, before the transfer
			{"member.update", an, storetest.UnitCodeA},
			{"member.transfer", an, storetest.UnitCodeB},
			{"member.reveal", id(f.MemberIDs["Triệu Văn Đức"]), storetest.UnitCodeC},
			{"member.create", id(f.MemberIDs[storetest.OtherMember]), storetest.OtherUnion},
			{"unit.create", storetest.UnitCodeA1, storetest.UnitCodeA1},
			{"unit.create", storetest.Root, storetest.Root},
			{"unit.create", storetest.OtherRoot, storetest.OtherRoot},
			{"employer.create", id(f.Employers["khoangsan"]), storetest.District58}, // the area's unit, not its union CDCS-A
			{"employer.create", id(f.Employers["ho"]), storetest.District66},
			{"employer.create", id(f.Employers[storetest.OtherEmployer]), storetest.OtherDistrict},
			{"agreement.create", id(ag.ID), storetest.UnitCodeA},
			{"user.create", storetest.UnionA, storetest.UnitCodeA},
			{"user.create", storetest.OtherProvince, storetest.OtherRoot},
			{"user.create", storetest.Admin, ""},
			{"report.create", id(reportID), storetest.District66},
			{"target.allocate", id(targetID), storetest.Root},
			{"bulk.members", "bulk.members", ""},
		} {
			if got := auditUnitCode(t, db, c.action, c.entityID); got != c.unit {
				t.Errorf("%s %s filed under %q, want %q", c.action, c.entityID, got, c.unit)
			}
			// Who reads it follows: the province whose tree holds the unit.
			tnUnit := strings.Contains(c.unit, "-TN")
			for officer, sees := range map[string]bool{storetest.Province: c.unit != "" && !tnUnit, storetest.OtherProvince: tnUnit, storetest.Admin: true} {
				evs, _, err := db.FindAuditEvents(f.Ctx(officer), congdoan.AuditFilter{Action: c.action, EntityID: c.entityID})
				if err != nil {
					t.Fatal(err)
				}
				if (len(evs) > 0) != sees {
					t.Errorf("%s reads %s %s: %d events, want visible=%v", officer, c.action, c.entityID, len(evs), sees)
				}
			}
		}
		if bad, err := db.VerifyAudit(f.Ctx(storetest.Admin)); err != nil || !bad.OK {
			t.Errorf("chain: %+v %v", bad, err)
		}
	})
}

// TestAuditUnitMigration takes a database with events back to before
// migration 00006, migrates it again, and checks the backfill, the chain
// (unit_id is outside the hash), new writes, and who reads what.
func TestAuditUnitMigration(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		f.SeedOtherProvince(t)
		mustAgreement(t, db, f.Ctx(storetest.District), goodAgreement())
		if _, err := db.RevealMember(f.Ctx(storetest.UnionC), f.MemberIDs["Triệu Văn Đức"], "xác minh hồ sơ"); err != nil {
			t.Fatal(err)
		}
		filed := func() map[int64]string {
			rows, err := storetest.Raw(t, db).Query(`SELECT a.id, u.code FROM audit_events a LEFT JOIN units u ON u.id = a.unit_id ORDER BY a.id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[int64]string{}
			for rows.Next() {
				var id int64
				var c sql.NullString
				if err := rows.Scan(&id, &c); err != nil {
					t.Fatal(err)
				}
				out[id] = c.String
			}
			return out
		}
		written := filed()
		for _, q := range []string{`DROP INDEX audit_events_unit`, `ALTER TABLE audit_events DROP COLUMN unit_id`, `DELETE FROM schema_migrations WHERE version = 6`} {
			if _, err := storetest.Raw(t, db).Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		applied, err := db.Migrate(context.Background())
		if err != nil || !slices.Equal(applied, []int{6}) {
			t.Fatalf("migrate: %v %v", applied, err)
		}
		// Nothing has moved since, so the backfill files every event where tx.audit did.
		backfilled := filed()
		if len(backfilled) != len(written) {
			t.Fatalf("%d events after the migration, %d before", len(backfilled), len(written))
		}
		for id, c := range written {
			if backfilled[id] != c {
				t.Errorf("event %d: backfilled under %q, written under %q", id, backfilled[id], c)
			}
		}
		admin := f.Ctx(storetest.Admin)
		if bad, err := db.VerifyAudit(admin); err != nil || !bad.OK {
			t.Fatalf("chain after the migration: %+v %v", bad, err)
		}
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Job: ptr("Thợ mỏ")}); err != nil {
			t.Fatal(err)
		}
		if bad, err := db.VerifyAudit(admin); err != nil || !bad.OK {
			t.Fatalf("chain after a new write: %+v %v", bad, err)
		}
		// The backfilled events are read by their province only.
		tnMember := strconv.FormatInt(f.MemberIDs[storetest.OtherMember], 10)
		for officer, want := range map[string]int{storetest.Province: 0, storetest.OtherProvince: 1, storetest.Admin: 1} {
			_, n, err := db.FindAuditEvents(f.Ctx(officer), congdoan.AuditFilter{Action: "member.create", EntityID: tnMember})
			if err != nil || n != want {
				t.Errorf("%s reads %d member.create events of %s, want %d (%v)", officer, n, storetest.OtherMember, want, err)
			}
		}
	})
}

// TestAuditMasked: before and after come masked to whoever reads the log,
// administrators included, while the stored (hashed) JSON stays whole.
func TestAuditMasked(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		id := f.MemberIDs["Nguyễn Văn An"]
		cccd := storetest.CCCD(false, 1985, 100)
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), id, congdoan.MemberUpdate{Phone: ptr("0987000111"), Job: ptr("Thợ <mỏ> & lò")}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{storetest.Admin, storetest.Province} {
			evs, _, err := db.FindAuditEvents(f.Ctx(u), congdoan.AuditFilter{Entity: "member", EntityID: strconv.FormatInt(id, 10)})
			if err != nil || len(evs) != 2 {
				t.Fatalf("%s: %d events, %v", u, len(evs), err)
			}
			for _, ev := range evs {
				for _, raw := range []json.RawMessage{ev.Before, ev.After} {
					if raw == nil {
						continue
					}
					s := string(raw)
					for _, whole := range []string{cccd, "0912345600", "0987000111", "1985-03-15"} {
						if strings.Contains(s, whole) {
							t.Errorf("%s reads %s unmasked in %s %s", u, whole, ev.Action, s)
						}
					}
					var m map[string]string
					if err := json.Unmarshal(raw, &m); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
					if m["cccd"] != "••••••••0100" || m["birth_date"] != "••/••/1985" || !strings.HasPrefix(m["phone"], "09") || !strings.Contains(m["phone"], "•") ||
						m["full_name"] != "Nguyễn Văn An" {
						t.Errorf("%s reads %s", u, s)
					}
				}
			}
			if after := string(evs[0].After); !strings.Contains(after, `"Thợ <mỏ> & lò"`) || !strings.Contains(after, `"phone":"098••••111"`) {
				t.Errorf("update's after as read: %s", after)
			}
		}
		var stored string
		if err := storetest.Raw(t, db).QueryRow(db.Rebind(`SELECT after_json FROM audit_events WHERE action = 'member.update'`)).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stored, cccd) {
			t.Errorf("stored after lost the CCCD: %s", stored)
		}
		if bad, err := db.VerifyAudit(f.Ctx(storetest.Admin)); err != nil || !bad.OK {
			t.Errorf("chain: %+v %v", bad, err)
		}
	})
}
