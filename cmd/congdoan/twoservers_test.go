package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"congdoan/store/storetest"
)

// TestTwoServersOneDatabase starts two servers on one PostgreSQL database
// — each with its own caches — writes through one and reads the dashboard
// figure, the member and the audit log through the other, which sees the
// write within a second or two (it follows the change log in the
// database).
func TestTwoServersOneDatabase(t *testing.T) {
	db := storetest.Open(t, "postgres")
	f := storetest.Seed(t, db)
	e := map[string]string{"CONGDOAN_DB": storetest.DSN(t, db), "CONGDOAN_AUDIT_KEY_FILE": filepath.Join(t.TempDir(), "audit.key")}
	a, _ := startServer(t, e)
	b, _ := startServer(t, e)

	call := func(base, token, method, path string, body any) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			buf, _ := json.Marshal(body)
			rd = strings.NewReader(string(buf))
		}
		req, err := http.NewRequest(method, base+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	login := func(base, user string) string {
		t.Helper()
		st, out := call(base, "", "POST", "/api/v1/session", map[string]string{"username": user, "password": storetest.Password})
		if st != 200 {
			t.Fatalf("login %s at %s: %d %v", user, base, st, out)
		}
		return out["token"].(string)
	}
	members := func(base, token string) float64 {
		t.Helper()
		st, out := call(base, token, "GET", "/api/v1/indicators?unit="+storetest.District58, nil)
		if st != 200 {
			t.Fatalf("indicators: %d %v", st, out)
		}
		for _, it := range out["indicators"].([]any) {
			if m := it.(map[string]any); m["code"] == "members" {
				return m["value"].(float64)
			}
		}
		t.Fatal("no members indicator")
		return 0
	}
	ta, tb := login(a, storetest.District), login(b, storetest.District)
	before := members(b, tb) // cached on b now
	id := f.MemberIDs["Nguyễn Văn Bình"]
	if st, out := call(a, ta, "POST", fmt.Sprintf("/api/v1/members/%d/leave", id), map[string]string{"reason": "left"}); st != 200 {
		t.Fatalf("leave through a: %d %v", st, out)
	}
	wrote := time.Now()
	var seen time.Duration
	for time.Since(wrote) < 10*time.Second {
		if members(b, tb) == before-1 {
			seen = time.Since(wrote)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if seen == 0 {
		t.Fatalf("server b's dashboard still shows %v members 10 s after the leave through a", before)
	}
	t.Logf("a write through one server was in the other's figures after %v", seen.Round(time.Millisecond))
	if seen > 2*time.Second {
		t.Errorf("the other server saw the write after %v, want within a second or two", seen)
	}
	if st, out := call(b, tb, "GET", fmt.Sprintf("/api/v1/members/%d", id), nil); st != 200 || out["status"] != "left" {
		t.Errorf("member through b: %d %v", st, out["status"])
	}
	tp := login(b, storetest.Province)
	st, out := call(b, tp, "GET", "/api/v1/audit?action=member.leave", nil)
	if st != 200 || !strings.Contains(fmt.Sprint(out), "member.leave") {
		t.Errorf("audit through b: %d %v", st, out)
	}
	// And the other way round.
	tp2 := login(a, storetest.Province)
	before = members(a, tp2)
	if st, out := call(b, tp, "POST", "/api/v1/members", map[string]any{"cccd": storetest.CCCD(false, 1990, 555), "full_name": "Lục Văn Hai",
		"gender": "M", "birth_date": "1990-02-02", "unit_code": storetest.UnitCodeB}); st != 201 {
		t.Fatalf("admission through b: %d %v", st, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for members(a, tp2) != before+1 {
		if time.Now().After(deadline) {
			t.Fatal("server a never saw the admission through b")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
