package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckCommand: `check` passes on a fresh demo province, fails naming
// the table when a member count and a monthly snapshot are edited behind
// the store's back, and `check --repair` rebuilds them from the records,
// audited, after which `check` passes again.
func TestCheckCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "check.db")
	e := env(map[string]string{"CONGDOAN_DB": dbPath})
	cli := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, e, strings.NewReader(""), &out, &errOut)
		return out.String() + errOut.String(), err
	}
	if out, err := cli("demo", "--members", "2000"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	if out, err := cli("check"); err != nil || !strings.Contains(out, "Dữ liệu tổng hợp khớp với hồ sơ") {
		t.Fatalf("check on a fresh province: %v %q", err, out)
	}
	raw, err := sql.Open("sqlite", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		`UPDATE unit_counts SET members = members + 3 WHERE unit_id = (SELECT MAX(unit_id) FROM unit_counts WHERE members > 0)`,
		`UPDATE member_snapshots SET members = members - 1 WHERE rowid = (SELECT MAX(rowid) FROM member_snapshots)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out, err := cli("check")
	if err == nil || !strings.Contains(out, "unit_counts") || !strings.Contains(out, "--repair") {
		t.Fatalf("check after an edit: %v %q", err, out)
	}
	// The counts are right again; the snapshot is still wrong.
	if _, err := raw.Exec(`UPDATE unit_counts SET members = members - 3 WHERE unit_id = (SELECT MAX(unit_id) FROM unit_counts WHERE members > 0)`); err != nil {
		t.Fatal(err)
	}
	if out, err := cli("check"); err == nil || !strings.Contains(out, "member_snapshots") {
		t.Fatalf("check does not find the snapshot: %v %q", err, out)
	}
	if out, err := cli("check", "--repair"); err != nil || !strings.Contains(out, "Đã dựng lại") {
		t.Fatalf("repair: %v %q", err, out)
	}
	if out, err := cli("check"); err != nil {
		t.Fatalf("check after the repair: %v %q", err, out)
	}
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'derived.repair'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d derived.repair events (%v), want 1", n, err)
	}
	if out, err := cli("audit", "verify"); err != nil {
		t.Errorf("audit chain after the repair: %v %q", err, out)
	}
}
