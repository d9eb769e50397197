package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserCommandPasswordRules: `congdoan user add` and `user passwd`
// refuse what the web and the API refuse, with the same messages, naming
// where the value came from.
func TestUserCommandPasswordRules(t *testing.T) {
	e := map[string]string{"CONGDOAN_DB": filepath.Join(t.TempDir(), "u.db")}
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"migrate"}, env(e), nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for pw, want := range map[string]string{
		"ngan-qua":      "ít nhất 12 ký tự",
		"congdoan2025":  "quá phổ biến",
		"quantri.2025":  "tên đăng nhập",
		"111111111111":  "lặp lại",
		"123456789012":  "chữ số",
		"qwertyuiopas":  "quá phổ biến",
		"matkhau123456": "quá phổ biến",
	} {
		e["CONGDOAN_PASSWORD"] = pw
		err := run(ctx, []string{"user", "add", "--username", "quantri", "--role", "admin", "--name", "Quản trị"}, env(e), nil, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("user add with %q: %v, want %q", pw, err, want)
		}
	}
	// Every field at once, each named as the flag (or variable) it came from.
	e["CONGDOAN_PASSWORD"] = "ngan"
	err := run(ctx, []string{"user", "add", "--username", "X", "--role", "boss"}, env(e), nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "--username") || !strings.Contains(err.Error(), "--role") || !strings.Contains(err.Error(), "CONGDOAN_PASSWORD:") {
		t.Errorf("bad flags: %v", err)
	}
	e["CONGDOAN_PASSWORD"] = "mat-khau-dai-du-roi"
	if err := run(ctx, []string{"user", "add", "--username", "quantri", "--role", "admin", "--name", "Quản trị"}, env(e), nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	delete(e, "CONGDOAN_PASSWORD")
	if err := run(ctx, []string{"user", "passwd", "--username", "quantri"}, env(e), strings.NewReader("aaaaaaaaaaaaaaaa\n"), &out, &errOut); err == nil || !strings.Contains(err.Error(), "lặp lại") {
		t.Errorf("passwd with a repeated character: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"user", "list"}, env(e), nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "TRẠNG THÁI") || !strings.Contains(out.String(), "hoạt động") {
		t.Errorf("user list: %v\n%s", err, out.String())
	}
}
