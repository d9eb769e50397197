package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeWarmsIndicators: after it starts, the server computes the
// overview of the root in the background and logs how long it took; a
// shutdown right after the start stops it without an error.
func TestServeWarmsIndicators(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo province")
	}
	e := map[string]string{"CONGDOAN_DB": filepath.Join(t.TempDir(), "warm.db")}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--members", "2000"}, env(e), nil, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	serve := func(ctx context.Context) (chan error, *syncBuffer, *syncBuffer) {
		stdout, stderr := &syncBuffer{}, &syncBuffer{}
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "info"}, env(e), strings.NewReader(""), stdout, stderr)
		}()
		return done, stdout, stderr
	}
	stopped := func(done chan error, stderr *syncBuffer) {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v\n%s", err, stderr)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("server did not stop within 15 s")
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	done, _, stderr := serve(ctx)
	var warmed map[string]any
	for deadline := time.Now().Add(2 * time.Minute); warmed == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, line := range strings.Split(stderr.String(), "\n") {
			if strings.Contains(line, `"msg":"indicator cache warmed"`) {
				if err := json.Unmarshal([]byte(line), &warmed); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
			}
		}
	}
	cancel()
	stopped(done, stderr)
	if warmed == nil {
		t.Fatalf("no warm-up logged:\n%s", stderr)
	}
	if warmed["roots"] != float64(1) || warmed["took"] == "" {
		t.Errorf("warm-up logged %v, want the one root and the time it took", warmed)
	}

	// Stopped as soon as it serves: the warm-up ends with the server,
	// before the database closes, and does not report a failure.
	ctx, cancel = context.WithCancel(context.Background())
	done, stdout, stderr := serve(ctx)
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stdout.String(), "http://") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	stopped(done, stderr)
	if strings.Contains(stderr.String(), "warm-up failed") {
		t.Errorf("a shutdown reported as a failure:\n%s", stderr)
	}
}
