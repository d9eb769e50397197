package store_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// legacyHash is the plain SHA-256 of an event before the chain was keyed,
// computed here from the documented format (so anyone can recompute it).
func legacyHash(prev string, id int64, at string, userID int64, username, action, entity, entityID string, before, after sql.NullString) string {
	h := sha256.New()
	for _, s := range []string{prev, strconv.FormatInt(id, 10), at, strconv.FormatInt(userID, 10), username, action, entity, entityID, before.String, after.String} {
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rechainUnkeyed rewrites the events from id `from` on as someone with
// write access to the database but not the key file would: plain hashes,
// no key, and the head moved along.
func rechainUnkeyed(t *testing.T, raw *sql.DB, db *store.DB, from int64) {
	t.Helper()
	type ev struct {
		id, user         int64
		at, u, a, e, eid string
		before, after    sql.NullString
		prev             string
	}
	rows, err := raw.Query(`SELECT id, at, user_id, username, action, entity, entity_id, before_json, after_json, prev_hash FROM audit_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var evs []ev
	for rows.Next() {
		var x ev
		if err := rows.Scan(&x.id, &x.at, &x.user, &x.u, &x.a, &x.e, &x.eid, &x.before, &x.after, &x.prev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, x)
	}
	rows.Close()
	prev := ""
	for _, x := range evs {
		if x.id < from {
			var h string
			if err := raw.QueryRow(db.Rebind(`SELECT hash FROM audit_events WHERE id = ?`), x.id).Scan(&h); err != nil {
				t.Fatal(err)
			}
			prev = h
			continue
		}
		h := legacyHash(prev, x.id, x.at, x.user, x.u, x.a, x.e, x.eid, x.before, x.after)
		if _, err := raw.Exec(db.Rebind(`UPDATE audit_events SET prev_hash = ?, hash = ?, key_id = 0 WHERE id = ?`), prev, h, x.id); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	if _, err := raw.Exec(db.Rebind(`UPDATE audit_head SET last_hash = ?, head_key = 0, head_mac = '' WHERE id = 1`), prev); err != nil {
		t.Fatal(err)
	}
}

// TestAuditChainTampering: each kind of tampering with the log is found
// and names the event it concerns, whatever else the tamperer fixed up.
func TestAuditChainTampering(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin := f.Ctx(storetest.Admin)
		raw := storetest.Raw(t, db)
		v, err := db.VerifyAudit(admin)
		if err != nil || !v.OK || v.Events < 20 || v.LastID != v.Events {
			t.Fatalf("fresh chain: %+v %v", v, err)
		}
		if _, err := db.VerifyAudit(f.Ctx(storetest.Province)); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("a province officer verifies the chain: %v", err)
		}
		last := v.LastID
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(db.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		// Each case tampers, checks, and puts the rows back as they were.
		snapshot := func() func() {
			type row struct {
				id               int64
				prev, hash, user string
				key              int64
			}
			var rows []row
			r, err := raw.Query(`SELECT id, prev_hash, hash, username, key_id FROM audit_events ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for r.Next() {
				var x row
				if err := r.Scan(&x.id, &x.prev, &x.hash, &x.user, &x.key); err != nil {
					t.Fatal(err)
				}
				rows = append(rows, x)
			}
			r.Close()
			var headID, headKey int64
			var headHash, mac string
			if err := raw.QueryRow(`SELECT last_id, last_hash, head_key, head_mac FROM audit_head`).Scan(&headID, &headHash, &headKey, &mac); err != nil {
				t.Fatal(err)
			}
			var copyTable = "audit_copy"
			exec(`CREATE TABLE ` + copyTable + ` AS SELECT * FROM audit_events`)
			return func() {
				exec(`DELETE FROM audit_events`)
				exec(`INSERT INTO audit_events SELECT * FROM ` + copyTable)
				exec(`DROP TABLE ` + copyTable)
				exec(`UPDATE audit_head SET last_id = ?, last_hash = ?, head_key = ?, head_mac = ? WHERE id = 1`, headID, headHash, headKey, mac)
			}
		}
		for _, c := range []struct {
			name   string
			tamper func()
			events []int64 // the events the problems must name
			word   string  // a word of the message
		}{
			{"a field changed", func() { exec(`UPDATE audit_events SET after_json = '{"job":"giám đốc"}' WHERE id = 5`) }, []int64{5}, "bị sửa"},
			{"an event deleted", func() { exec(`DELETE FROM audit_events WHERE id = 7`) }, []int64{8}, "xóa"},
			{"the newest events deleted", func() { exec(`DELETE FROM audit_events WHERE id > ?`, last-2) }, []int64{last - 1}, "mới nhất"},
			{"the newest deleted and the head moved back", func() {
				exec(`DELETE FROM audit_events WHERE id > ?`, last-2)
				var h string
				if err := raw.QueryRow(db.Rebind(`SELECT hash FROM audit_events WHERE id = ?`), last-2).Scan(&h); err != nil {
					t.Fatal(err)
				}
				exec(`UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1`, last-2, h)
			}, []int64{last - 2}, "đưa về trạng thái cũ"},
			{"an event changed and the rest re-chained without the key", func() {
				exec(`UPDATE audit_events SET username = 'ai-do' WHERE id = 9`)
				rechainUnkeyed(t, raw, db, 9)
			}, []int64{9}, "không có chữ ký"},
			{"an event appended with a made-up hash", func() {
				exec(`INSERT INTO audit_events (id, at, user_id, username, action, entity, entity_id, prev_hash, hash, key_id)
					SELECT last_id + 1, '2026-11-24T03:00:00Z', 0, 'system', 'member.create', 'member', '1', last_hash, 'abcd', head_key FROM audit_head`)
				exec(`UPDATE audit_head SET last_id = last_id + 1, last_hash = 'abcd' WHERE id = 1`)
			}, []int64{last + 1}, "bị sửa"},
		} {
			t.Run(c.name, func(t *testing.T) {
				restore := snapshot()
				c.tamper()
				v, err := db.VerifyAudit(admin)
				restore()
				if err != nil {
					t.Fatal(err)
				}
				if v.OK {
					t.Fatalf("not found: %+v", v)
				}
				named := map[int64]bool{}
				text := ""
				for _, p := range v.Problems {
					named[p.EventID] = true
					text += p.Message + "\n"
				}
				for _, id := range c.events {
					if !named[id] {
						t.Errorf("event %d not named: %s", id, text)
					}
				}
				if !strings.Contains(text, c.word) {
					t.Errorf("no %q in %s", c.word, text)
				}
				if v, _ := db.VerifyAudit(admin); !v.OK {
					t.Fatalf("after restoring: %+v", v)
				}
			})
		}
	})
}

// TestAuditKeyRotation: events signed before a rotation still verify with
// the ring that keeps the old key; a ring without it names the events it
// cannot check. Events from before the chain was keyed verify as they are,
// and re-chaining them is found by the first signed event after them.
func TestAuditKeyRotation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		path := filepath.Join(t.TempDir(), "audit.key")
		keys, created, err := store.LoadAuditKeys(path, true)
		if err != nil || !created {
			t.Fatalf("key file: %v %v", created, err)
		}
		if again, created, err := store.LoadAuditKeys(path, true); err != nil || created || again.IDs()[0] != keys.IDs()[0] {
			t.Fatalf("key file read back: %v %v %v", again, created, err)
		}
		db.UseAuditKeys(keys)
		f := storetest.Seed(t, db)
		admin := f.Ctx(storetest.Admin)
		rotated, _, err := store.RotateAuditKeys(path)
		if err != nil || len(rotated.IDs()) != 2 {
			t.Fatalf("rotate: %v %v", rotated, err)
		}
		db.UseAuditKeys(rotated)
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Job: ptr("Thợ mỏ")}); err != nil {
			t.Fatal(err)
		}
		if v, err := db.VerifyAudit(admin); err != nil || !v.OK {
			t.Fatalf("after the rotation: %+v %v", v, err)
		}
		db.UseAuditKeys(store.NewAuditKeys()) // a ring without the keys used
		if v, err := db.VerifyAudit(admin); err != nil || v.OK || !strings.Contains(v.Problems[0].Message, "không có trong tệp khóa") {
			t.Errorf("with another ring: %+v %v", v, err)
		}
		db.UseAuditKeys(rotated)

		// Events from before migration 00008: plain hashes, no key.
		raw := storetest.Raw(t, db)
		rechainUnkeyed(t, raw, db, 1)
		if v, err := db.VerifyAudit(admin); err != nil || !v.OK {
			t.Fatalf("a chain from before the keys: %+v %v", v, err)
		}
		if _, err := db.UpdateMember(f.Ctx(storetest.UnionA), f.MemberIDs["Nguyễn Văn An"], congdoan.MemberUpdate{Job: ptr("Thợ lò")}); err != nil {
			t.Fatal(err)
		}
		v, err := db.VerifyAudit(admin)
		if err != nil || !v.OK {
			t.Fatalf("old events, then a signed one: %+v %v", v, err)
		}
		// Rewriting an old event and re-chaining the old part does not
		// reach the signed event that follows them.
		if _, err := raw.Exec(db.Rebind(`UPDATE audit_events SET username = 'ai-do' WHERE id = 3`)); err != nil {
			t.Fatal(err)
		}
		var lastOld int64
		if err := raw.QueryRow(`SELECT MAX(id) FROM audit_events WHERE key_id = 0`).Scan(&lastOld); err != nil {
			t.Fatal(err)
		}
		prev := ""
		for id := int64(1); id <= lastOld; id++ {
			var at, u, a, e, eid string
			var user int64
			var before, after sql.NullString
			if err := raw.QueryRow(db.Rebind(`SELECT at, user_id, username, action, entity, entity_id, before_json, after_json FROM audit_events WHERE id = ?`), id).
				Scan(&at, &user, &u, &a, &e, &eid, &before, &after); err != nil {
				t.Fatal(err)
			}
			h := legacyHash(prev, id, at, user, u, a, e, eid, before, after)
			if _, err := raw.Exec(db.Rebind(`UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?`), prev, h, id); err != nil {
				t.Fatal(err)
			}
			prev = h
		}
		v, err = db.VerifyAudit(admin)
		if err != nil || v.OK || v.Problems[0].EventID != lastOld+1 {
			t.Errorf("re-chained old events: %+v %v", v, err)
		}
	})
}
