package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var urlRE = regexp.MustCompile(`http://[0-9.:]+`)

// startServer runs `congdoan serve` through run() on a free port and waits
// for /healthz. It returns the base URL and the server's stdout.
func startServer(t *testing.T, e map[string]string, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...), env(e), strings.NewReader(""), out, errOut)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v\n%s", err, errOut)
			}
		case <-time.After(15 * time.Second):
			t.Error("server did not stop within 15 s")
		}
	})
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\nstdout: %s\nstderr: %s", err, out, errOut)
		default:
		}
		if base := urlRE.FindString(out.String()); base != "" {
			resp, err := http.Get(base + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return base, out
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy\nstdout: %s\nstderr: %s", out, errOut)
	return "", nil
}

func TestRunUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, env(nil), strings.NewReader(""), &out, &errOut); err == nil || !strings.Contains(errOut.String(), "congdoan serve") {
		t.Errorf("no command: %v %q", err, errOut.String())
	}
	if err := run(context.Background(), []string{"fly"}, env(nil), strings.NewReader(""), &out, &errOut); err == nil {
		t.Error("unknown command accepted")
	}
}

// TestEndToEnd runs the binary's run(): migrate, add users from the shell,
// serve on :0, log in through the API and the UI.
func TestEndToEnd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "e2e.db")
	e := map[string]string{"CONGDOAN_DB": dbPath}
	var out, errOut bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"migrate"}, env(e), nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "[1") {
		t.Fatalf("migrate: %v %s %s", err, out.String(), errOut.String())
	}
	// A user needs a unit that exists: an unknown code is refused with a clear message.
	e["CONGDOAN_PASSWORD"] = "mat-khau-dai-du-roi"
	err := run(ctx, []string{"user", "add", "--username", "canbo", "--role", "province_officer", "--unit", "KHONG-CO"}, env(e), nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "KHONG-CO") {
		t.Errorf("user with unknown unit: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"user", "add", "--username", "quantri", "--role", "admin", "--name", "Quản trị"}, env(e), nil, &out, &errOut); err != nil {
		t.Fatalf("user add: %v", err)
	}
	delete(e, "CONGDOAN_PASSWORD")
	if err := run(ctx, []string{"user", "passwd", "--username", "quantri"}, env(e), strings.NewReader("mat-khau-moi-dai-hon\n"), &out, &errOut); err != nil {
		t.Fatalf("passwd from stdin: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"user", "list"}, env(e), nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "quantri") {
		t.Fatalf("user list: %v %s", err, out.String())
	}

	base, _ := startServer(t, e)
	body := `{"username":"quantri","password":"mat-khau-moi-dai-hon"}`
	resp, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != 200 || tok.Token == "" {
		t.Fatalf("API login: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/units", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("units: %d %s %v", resp.StatusCode, b, resp.Header)
	}
	// The UI answers in Vietnamese; a cross-site POST is refused.
	resp, err = http.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `lang="vi"`) || !strings.Contains(string(b), "Đăng nhập") {
		t.Errorf("login page: %s", b)
	}
	req, _ = http.NewRequest("POST", base+"/login", strings.NewReader("username=quantri&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
}

// TestServeDemo serves a small demo province and checks the printed accounts work.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo province")
	}
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	e := map[string]string{"CONGDOAN_DB": dbPath}
	base, out := startServer(t, e, "--demo")
	m := regexp.MustCompile(`mật khẩu \(chỉ in một lần\): (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no password printed: %s", out)
	}
	for _, user := range []string{"admin", "canbo.tinh", "canbo.xa", "canbo.coso", "giamsat"} {
		resp, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, m[1])))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("login %s: %d", user, resp.StatusCode)
		}
	}
	t.Run("browser", func(t *testing.T) { browseTransfer(t, base, dbPath, m[1]) })
	t.Run("history in the browser", func(t *testing.T) { browseHistory(t, base, dbPath, m[1]) })
}
