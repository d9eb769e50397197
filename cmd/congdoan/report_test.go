package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
)

// TestReportCommands runs the report workflow through run() on a small
// demo province: create, submit, approve, verify (unchanged, then after a
// member leaves), render the stored report, and the stateless report.
func TestReportCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo province")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "report.db")
	ctx := context.Background()
	db := openWithKeys(t, dbPath)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sum := demotest.Province(t, db)
	e := env(map[string]string{"CONGDOAN_DB": dbPath})
	report := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"report"}, args...), e, strings.NewReader(""), &out, &errOut)
		return out.String(), errOut.String(), err
	}
	year := strconv.Itoa(db.Today().Year())

	out, errOut, err := report("create", "--unit", sum.SampleUpperCode, "--period", year)
	if err != nil {
		t.Fatalf("create: %v %s", err, errOut)
	}
	id := strings.TrimSpace(out)
	if n, err := strconv.Atoi(id); err != nil || n <= 0 || !strings.Contains(errOut, "báo cáo nháp số "+id) {
		t.Fatalf("create printed %q / %q", out, errOut)
	}
	if _, _, err := report("verify", id); err == nil || !strings.Contains(err.Error(), "chưa được duyệt") {
		t.Errorf("verify a draft: %v", err)
	}
	if _, _, err := report("approve", id); err == nil {
		t.Error("approved a draft")
	}
	if out, _, err := report("submit", id); err != nil || !strings.Contains(out, "Đã gửi báo cáo số "+id) {
		t.Fatalf("submit: %v %s", err, out)
	}
	if out, _, err := report("approve", id, "--db", dbPath); err != nil || !strings.Contains(out, "Mã kiểm tra") {
		t.Fatalf("approve: %v %s", err, out)
	}
	if _, _, err := report("approve", id); err == nil {
		t.Error("approved twice")
	}
	out, _, err = report("verify", id)
	if err != nil || !strings.HasPrefix(out, "Báo cáo số "+id+" không thay đổi kể từ khi duyệt ngày ") {
		t.Fatalf("verify: %v %q", err, out)
	}

	// Render the stored report, and the stateless one.
	for _, name := range []string{"bao-cao.pdf", "bao-cao.xlsx"} {
		path := filepath.Join(dir, name)
		if out, errOut, err := report("render", id, "-o", path); err != nil {
			t.Fatalf("render %s: %v %s %s", name, err, out, errOut)
		}
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("render %s: %v", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "bao-cao.pdf")); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Error("render: not a PDF")
	}
	stateless := filepath.Join(dir, "tinh.pdf")
	if out, errOut, err := report("--unit", sum.RootCode, "--period", year, "-o", stateless); err != nil || !strings.Contains(out, stateless) {
		t.Fatalf("stateless report: %v %s %s", err, out, errOut)
	}
	if out, _, err := report("list"); err != nil || !strings.HasPrefix(out, id+"\t"+sum.SampleUpperCode) {
		t.Errorf("list: %v %q", err, out)
	}

	// A member of the unit left on the last day of last year — before the
	// report's period, which its approval locked, but not without effect
	// on its members: verify fails and says what moved.
	sys := congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
	lastYear := congdoan.NewDate(db.Today().Year()-1, 12, 31)
	ms, _, err := db.FindMembers(sys, congdoan.MemberFilter{Unit: sum.SampleUpperCode, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var member int64
	for _, m := range ms {
		if m.Since.Before(lastYear) {
			member = m.ID
			break
		}
	}
	if member == 0 {
		t.Fatalf("no member of %s since before %s", sum.SampleUpperCode, lastYear.VN())
	}
	if _, err := db.LeaveMember(sys, member, congdoan.LeaveInput{Reason: congdoan.EndLeft, On: lastYear}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, err = report("verify", id)
	if err == nil || !strings.Contains(out, "đã thay đổi kể từ khi duyệt") || !strings.Contains(out, "  - Số đoàn viên công đoàn: ") {
		t.Fatalf("verify after a change: %v %q", err, out)
	}
	t.Log(out)

	// Bad input.
	for _, args := range [][]string{
		{"verify", "999"},
		{"submit", "abc"},
		{"submit"},
		{"create", "--unit", sum.SampleUpperCode, "--period", "2025-Q5"},
		{"render", id},
		{"publish", id},
	} {
		if _, _, err := report(args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
