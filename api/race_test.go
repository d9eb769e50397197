package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

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
		tok := e.token(storetest.District)
		const writers = 6
		for round := range 5 {
			code := fmt.Sprintf("CDCS-DUA-%d", round)
			body, err := json.Marshal(map[string]any{"code": code, "name": "Công đoàn cơ sở mới " + code, "kind": "grassroots",
				"parent_code": storetest.District58, "founded_on": "2026-11-01"})
			if err != nil {
				t.Fatal(err)
			}
			statuses := make([]int, writers)
			errs := make([]error, writers)
			var start, done sync.WaitGroup
			start.Add(1)
			for i := range writers {
				done.Add(1)
				go func() {
					defer done.Done()
					req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/units", bytes.NewReader(body))
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
			created, conflicts := 0, 0
			for i, s := range statuses {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
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
