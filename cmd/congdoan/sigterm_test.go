package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"congdoan/store"
	"congdoan/store/storetest"
)

// TestMain lets a test run the real binary: with CONGDOAN_TEST_MAIN set,
// the test binary is `congdoan` itself (main, with its signal handling).
func TestMain(m *testing.M) {
	if os.Getenv("CONGDOAN_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestServeStopsOnSIGTERM starts `congdoan serve` as a process, sends it
// SIGTERM and requires exit status 0 within 10 s, every background job
// stopped and joined before the database closes. On PostgreSQL the monthly
// snapshot job is caught mid-query: another session holds a lock on
// member_snapshots, so the job (and the cache warm-up) wait inside the
// database when the signal arrives. On SQLite the job waits for its next
// round.
func TestServeStopsOnSIGTERM(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db) // members, no snapshots yet: the job's first round backfills
		dsn := storetest.DSN(t, db)
		ctx := context.Background()
		var unlock func()
		if db.Engine() == "postgres" {
			conn, err := storetest.Raw(t, db).Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, `LOCK TABLE member_snapshots IN ACCESS EXCLUSIVE MODE`); err != nil {
				t.Fatal(err)
			}
			unlock = func() { tx.Rollback() }
			defer unlock()
		}

		cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--log-level", "info")
		cmd.Env = append(os.Environ(), "CONGDOAN_TEST_MAIN=1", "CONGDOAN_DB="+dsn)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr := &syncBuffer{}
		cmd.Stderr = stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() {
			// Read what the server prints until it exits, then wait for it.
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
			}
			exited <- cmd.Wait()
		}()
		defer cmd.Process.Kill()

		// The job is running: on PostgreSQL, waiting for the lock.
		deadline := time.Now().Add(30 * time.Second)
		for {
			if time.Now().After(deadline) {
				t.Fatalf("the server did not start its snapshot job in 30 s\n%s", stderr)
			}
			if db.Engine() == "postgres" {
				var waiting int
				err := storetest.Raw(t, db).QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
					WHERE wait_event_type = 'Lock' AND query LIKE '%member_snapshots%'`).Scan(&waiting)
				if err != nil {
					t.Fatal(err)
				}
				if waiting > 0 {
					break
				}
			} else if strings.Contains(stderr.String(), "member snapshot taken") {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}

		sent := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-exited:
			took := time.Since(sent)
			if err != nil {
				t.Fatalf("serve exited with %v after SIGTERM\n%s", err, stderr)
			}
			if took > 10*time.Second {
				t.Errorf("serve took %s to exit after SIGTERM", took)
			}
			t.Logf("serve exited 0, %s after SIGTERM", took.Round(time.Millisecond))
		case <-time.After(15 * time.Second):
			t.Fatalf("serve still running 15 s after SIGTERM\n%s", stderr)
		}
		log := stderr.String()
		for _, want := range []string{"member snapshot job stopped", "congdoan stopped"} {
			if !strings.Contains(log, want) {
				t.Errorf("the log lacks %q:\n%s", want, log)
			}
		}
	})
}
