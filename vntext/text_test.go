package vntext

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestNFC(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"already NFC", "Đặng Đức Thắng", "Đặng Đức Thắng"},
		{"NFD", norm.NFD.String("Nguyễn Thị Ánh"), "Nguyễn Thị Ánh"},
		{"ascii", "abc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NFC(tt.in); got != tt.want {
				t.Errorf("NFC(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only spaces", " \t\n\u00a0 ", ""},
		{"clean", "Nguyễn Văn An", "Nguyễn Văn An"},
		{"trim", "  Nguyễn Văn An\t", "Nguyễn Văn An"},
		{"collapse", "Nguyễn  \t Văn\u00a0\u00a0An", "Nguyễn Văn An"},
		{"newline", "Tổ\ncông đoàn", "Tổ công đoàn"},
		{"NFD", norm.NFD.String(" Bế  Thị Ánh "), "Bế Thị Ánh"},
		{"single char", "a", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"name", "Đặng Đức Thắng", "dang duc thang"},
		{"NFD name", norm.NFD.String("Đặng Đức Thắng"), "dang duc thang"},
		{"all vowels", "ă â ê ô ơ ư Ă Â Ê Ô Ơ Ư", "a a e o o u a a e o o u"},
		{"tones", "a à ả ã á ạ", "a a a a a a"},
		{"eth look-alikes", "ðỗ Ðỗ Ɖỗ ɖỗ", "do do do do"},
		{"spaces", "  Bắc   Kạn\t", "bac kan"},
		{"upper", "HÀ NỘI", "ha noi"},
		{"digits kept", "Tổ 10", "to 10"},
		{"decomposed capital", "E\u0302\u0301", "e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"", "Đặng Đức Thắng", "  Nguyễn   Văn An ", "ð Ð ɖ Ɖ", "HÀ NỘI",
		"\u0130stanbul", "e\u0302\u0301", "\u00a0x\u2003y", "한국어", "ﬁ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Errorf("Fold not idempotent: Fold(%q) = %q, Fold of that = %q", s, got, again)
		}
		if strings.ContainsAny(got, "đĐ") {
			t.Errorf("Fold(%q) = %q contains đ/Đ", s, got)
		}
		for _, r := range got {
			if unicode.Is(unicode.Mn, r) {
				t.Errorf("Fold(%q) = %q contains combining mark %U", s, got, r)
			}
		}
		if nfd, nfc := Fold(norm.NFD.String(s)), Fold(norm.NFC.String(s)); nfd != nfc {
			t.Errorf("Fold(NFD(%q)) = %q, Fold(NFC) = %q", s, nfd, nfc)
		}
	})
}
