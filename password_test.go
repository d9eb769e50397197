package congdoan

import (
	"strings"
	"testing"
)

// TestPasswordProblem holds the password rules: what the web, the API and
// the command line refuse, each with the reason the user reads.
func TestPasswordProblem(t *testing.T) {
	for _, c := range []struct {
		pw, user string
		want     string // part of the message; "" for accepted
	}{
		{"mat-khau-thu-nghiem", "coso.a", ""},
		{"Chè Thái ngon nhất vùng", "tinh", ""},
		{"hoa-ban-no-tren-doi", "canbo.moi", ""},
		{"ngắn-quá", "x", "ít nhất 12"},
		{"abcdefghijk", "x", "ít nhất 12"}, // 11
		{"canbo.moi.2025", "canbo.moi", "tên đăng nhập"},
		{"CanboMoi123456", "canbo.moi", "tên đăng nhập"},
		{"aaaaaaaaaaaa", "x", "lặp lại"},
		{"ababababababab", "x", "lặp lại"},
		{"abcabcabcabc", "x", "lặp lại"},
		{"123456789012", "x", "chữ số"},
		{"0912345678 90", "x", "chữ số"},
		{"006085000100", "x", "chữ số"}, // a CCCD
		{"abcdefghijklm", "x", "dãy liên tiếp"},
		{"zyxwvutsrqpon", "x", "dãy liên tiếp"},
		{"qwertyuiopas", "x", "phổ biến"},
		{"matkhau123456", "x", "phổ biến"},
		{"Mật-khẩu-123456", "x", "phổ biến"},
		{"congdoan2025", "x", "phổ biến"},
		{"2025CongDoan!!", "x", "phổ biến"},
		{"anhyeuem1234", "x", "phổ biến"},
		{"password1234", "x", "phổ biến"},
		{"1q2w3e4r5t6y", "x", "phổ biến"},
	} {
		got := PasswordProblem(c.pw, c.user)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("PasswordProblem(%q, %q) = %q, want %q", c.pw, c.user, got, c.want)
		}
	}
	if len(commonPasswords) < 150 {
		t.Errorf("%d common passwords read from the list", len(commonPasswords))
	}
}
