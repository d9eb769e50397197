package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditCommands: `audit verify` exits 0 on an intact log and non-zero
// naming the edited event; the key file is made on first use with mode
// 0600; after `audit rotate-key` the old events still verify.
func TestAuditCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "audit.db")
	e := env(map[string]string{"CONGDOAN_DB": dbPath, "CONGDOAN_PASSWORD": "mat-khau-du-dai-12"})
	cli := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, e, strings.NewReader(""), &out, &errOut)
		return out.String(), errOut.String(), err
	}
	if _, errOut, err := cli("user", "add", "--username", "quantri", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v %s", err, errOut)
	} else if !strings.Contains(errOut, "đã tạo tệp khóa ký nhật ký") {
		t.Errorf("the key file's creation is not said: %q", errOut)
	}
	st, err := os.Stat(dbPath + ".auditkey")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if _, _, err := cli("user", "add", "--username", "canbo", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := cli("audit", "verify"); err != nil || !strings.Contains(out, "Nhật ký nguyên vẹn: 2 sự kiện") {
		t.Fatalf("verify: %v %q", err, out)
	}
	if out, errOut, err := cli("audit", "rotate-key"); err != nil || !strings.Contains(out, "Đã thêm khóa") {
		t.Fatalf("rotate-key: %v %q %s", err, out, errOut)
	}
	if _, _, err := cli("user", "add", "--username", "canbo2", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := cli("audit", "verify"); err != nil || !strings.Contains(out, "4 sự kiện") {
		t.Fatalf("verify after the rotation: %v %q", err, out)
	}
	raw, err := sql.Open("sqlite", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_events SET username = 'ai-do' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli("audit", "verify")
	if err == nil || !strings.Contains(out, "sự kiện 2: Nội dung sự kiện không khớp") {
		t.Errorf("verify after an edit: %v %q", err, out)
	}
}
