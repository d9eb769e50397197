package congdoan

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"congdoan/vntext"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 12

// commonPasswordList is the list of passwords and password stems that are
// guessed first (commonpasswords.txt: the usual international ones and the
// Vietnamese ones — "matkhau", "anhyeuem", "congdoan", names of places).
//
//go:embed commonpasswords.txt
var commonPasswordList string

// commonPasswords holds the list's entries in their folded form
// (passwordKey), read once.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[passwordKey(line)] = true
		}
	}
	return m
}()

// passwordKey folds a password for comparison with the list: without
// diacritics, lower case, letters and digits only, so "Mật-Khẩu 123" and
// "matkhau123" are the same guess.
func passwordKey(s string) string {
	var b strings.Builder
	for _, r := range vntext.Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PasswordProblem says what is wrong with a new password for the account
// username, or "". It is the one place of the rules, which the web forms,
// the API and the command line all reach through the store: at least
// MinPasswordLen characters, not the username, not one character repeated
// or a short pattern repeated, not only digits (a CCCD or phone number
// has 10–12), not a run like "abcdefghijkl", and not a common password or
// a common word with digits around it ("congdoan2025", "matkhau123456").
func PasswordProblem(pw, username string) string {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return fmt.Sprintf("Mật khẩu cần ít nhất %d ký tự.", MinPasswordLen)
	}
	key := passwordKey(pw)
	user := passwordKey(username)
	if user != "" && (key == user || strings.Trim(key, "0123456789") == user) {
		return "Mật khẩu không được là tên đăng nhập."
	}
	if repeated(pw) {
		return "Mật khẩu không được là một ký tự hay một nhóm ký tự lặp lại."
	}
	if key != "" && strings.Trim(key, "0123456789") == "" {
		return "Mật khẩu không được chỉ gồm chữ số (dễ trùng số CCCD, số điện thoại, ngày sinh)."
	}
	if sequence(key) {
		return "Mật khẩu không được là một dãy liên tiếp (abcd…, 1234…)."
	}
	if commonPasswords[key] || commonPasswords[strings.Trim(key, "0123456789")] {
		return "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn một câu dài mà chỉ bạn nhớ."
	}
	return ""
}

// repeated reports whether s is one group of up to four characters
// repeated ("aaaaaaaaaaaa", "abcabcabcabc").
func repeated(s string) bool {
	rs := []rune(strings.ToLower(s))
	for n := 1; n <= 4 && n < len(rs); n++ {
		same := true
		for i := n; i < len(rs) && same; i++ {
			same = rs[i] == rs[i-n]
		}
		if same {
			return true
		}
	}
	return false
}

// sequence reports whether key (folded) is a run of consecutive
// characters, up or down.
func sequence(key string) bool {
	rs := []rune(key)
	if len(rs) < 2 {
		return false
	}
	for _, step := range []rune{1, -1} {
		ok := true
		for i := 1; i < len(rs) && ok; i++ {
			ok = rs[i]-rs[i-1] == step || (step == 1 && rs[i-1] == '9' && rs[i] == '0')
		}
		if ok {
			return true
		}
	}
	return false
}
