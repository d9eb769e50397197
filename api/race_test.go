package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestConcurrentUnitCreation sends six creations of one new unit code at
// once, five rounds: exactly one answers 201 and the other five 409 (on
// PostgreSQL the losers used to meet the unique index after their check
// and answer 500).
func TestConcurrentUnitCreation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		const writers = 6
		for round := range 5 {
			code := fmt.Sprintf("CDCS-DUA-%d", round)
			statuses := e.fire(t, writers, storetest.District, "POST", "/api/v1/units", map[string]any{"code": code, "name": "Công đoàn cơ sở mới " + code,
				"kind": "grassroots", "parent_code": storetest.District58, "founded_on": "2026-11-01"})
			created, conflicts := 0, 0
			for _, s := range statuses {
				switch s {
				case http.StatusCreated:
					created++
				case http.StatusConflict:
					conflicts++
				}
			}
			if created != 1 || conflicts != writers-1 {
				t.Errorf("round %d: statuses %v, want one 201 and %d 409", round, statuses, writers-1)
			}
		}
		if err := db.CheckDerived(e.f.Ctx(storetest.Admin)); err != nil {
			t.Errorf("derived data after the races: %v", err)
		}
	})
}

// fire sends n identical requests at once as username and returns their
// statuses.
func (e *testEnv) fire(t *testing.T, n int, username, method, path string, body any) []int {
	t.Helper()
	buf, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	tok := e.token(username)
	statuses := make([]int, n)
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(buf))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			start.Wait()
			res, err := e.srv.Client().Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	start.Done()
	done.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return statuses
}

// TestConcurrentMemberWrites fires 24 identical requests at once for each
// kind of member write — an admission, a leave, a transfer, a gender
// correction — dated before the last monthly snapshot, so that the counts
// and the snapshots are both written: exactly one succeeds, the others are
// refused with 409, one audit event is written, and the derived data (the
// unit counts and the snapshots) still agree with the periods. On
// PostgreSQL two leaves used to both succeed and lower the count twice.
func TestConcurrentMemberWrites(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		admin := e.f.Ctx(storetest.Admin)
		if err := db.BackfillSnapshots(admin); err != nil {
			t.Fatal(err)
		}
		const n = 24
		var audits int
		count := func(action string) int {
			var c int
			if err := storetest.Raw(t, db).QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = '` + action + `'`).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		check := func(t *testing.T, kind string, statuses []int, okStatus int, action string) {
			t.Helper()
			ok, conflicts := 0, 0
			for _, s := range statuses {
				switch s {
				case okStatus:
					ok++
				case http.StatusConflict:
					conflicts++
				}
			}
			if ok != 1 || conflicts != n-1 {
				t.Errorf("%s: statuses %v, want one %d and %d 409", kind, statuses, okStatus, n-1)
			}
			if got := count(action); got != audits+1 {
				t.Errorf("%s: %d %s audit events, want %d", kind, got, action, audits+1)
			}
			if err := db.CheckDerived(admin); err != nil {
				t.Errorf("%s: derived data: %v", kind, err)
			}
		}
		id := func(name string) int64 { return e.f.MemberIDs[name] }

		audits = count("member.create")
		check(t, "admission", e.fire(t, n, storetest.District, "POST", "/api/v1/members", map[string]any{
			"cccd": storetest.CCCD(false, 1993, 777), "full_name": "Ma Văn Đồng", "gender": "M", "birth_date": "1993-06-01",
			"unit_code": storetest.UnitCodeA, "joined_on": "2026-10-15"}), http.StatusCreated, "member.create")

		audits = count("member.leave")
		check(t, "leave", e.fire(t, n, storetest.District, "POST", fmt.Sprintf("/api/v1/members/%d/leave", id("Nguyễn Văn Cường")),
			map[string]any{"reason": congdoan.EndLeft, "on": "2026-10-15"}), http.StatusOK, "member.leave")

		audits = count("member.transfer")
		check(t, "transfer", e.fire(t, n, storetest.District, "POST", fmt.Sprintf("/api/v1/members/%d/transfer", id("Nguyễn Văn Bình")),
			map[string]any{"to_unit": storetest.UnitCodeB, "on": "2026-10-15"}), http.StatusOK, "member.transfer")

		// A gender correction changes the CCCD's gender digit with it, and
		// names the version it was made from.
		m := e.member("Nguyễn Văn An")
		audits = count("member.update")
		check(t, "gender correction", e.fire(t, n, storetest.District, "PATCH", fmt.Sprintf("/api/v1/members/%d", m.ID),
			map[string]any{"gender": "F", "cccd": storetest.CCCD(true, 1985, 100), "version": m.Version}), http.StatusOK, "member.update")
		if got := e.member("Nguyễn Văn An"); got.Gender != "F" || got.Version != m.Version+1 {
			t.Errorf("after the corrections: gender %s version %d, want F and %d", got.Gender, got.Version, m.Version+1)
		}
	})
}
