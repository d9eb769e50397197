package vntext

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// rangeNames are names whose parts exercise the letters Fold merges, tones
// on those letters, NFD input, capitals, apostrophes (Ê Đê names) and a
// non-Vietnamese đ look-alike.
var rangeNames = []string{
	"Nguyễn Văn An", "Nguyễn Văn Ân", "Nguyễn Văn Ăn", "Bế Thị Ánh", "Trần Bình", "Hoàng Thị Hồng", "Hà Văn Hùng",
	"Lục Thị Hương", "Đặng Đức", "Đỗ Dung", "Nông Thị Ộ", "Ma Văn Ước", "NGUYỄN THỊ THU HẰNG", "Mlô H'Hen Niê",
	"Ksor H'Ngoan", "Lý Ðức", "Hoàng Ơn", "Triệu Văn Ủy", "An",
	norm.NFD.String("Ngô Thị Thuỷ"), norm.NFD.String("Hoàng Văn Độ"),
}

// part returns the escaped key part i (0 given name, 1 rest) of a person key.
func part(t *testing.T, key []byte, i int) []byte {
	t.Helper()
	for range i {
		g, ok := PersonKeyGiven(key)
		if !ok {
			t.Fatalf("no part in %x", key)
		}
		key = key[len(g):]
	}
	return key
}

func TestPersonKeyPrefixesCoverEveryFoldedPrefix(t *testing.T) {
	for _, name := range rangeNames {
		key := PersonSortKey(name)
		full := Clean(name)
		given, rest := GivenName(full), ""
		if i := strings.LastIndexByte(full, ' '); i >= 0 {
			rest = full[:i]
		}
		for i, text := range []string{given, rest} {
			k := part(t, key, i)
			folded := []rune(Fold(text))
			for n := 0; n <= len(folded); n++ {
				prefix := string(folded[:n])
				found := false
				for _, p := range PersonKeyPrefixes(prefix, 64) {
					found = found || bytes.HasPrefix(k, p)
				}
				if !found {
					t.Errorf("%q: part %q has no key prefix for folded %q", name, text, prefix)
				}
			}
		}
	}
}

func TestPersonKeyWordPrefixes(t *testing.T) {
	// A whole given name "an": An, Ân, Ăn and their tones, not Anh.
	has := func(name string) bool {
		g, _ := PersonKeyGiven(PersonSortKey(name))
		for _, p := range PersonKeyWordPrefixes("an", 64) {
			if bytes.HasPrefix(g, p) {
				return true
			}
		}
		return false
	}
	for name, want := range map[string]bool{"Lê An": true, "LÊ ÁN": true, "Lê Ân": true, "Lê Ẳn": true, "Lê Anh": false, "Lê Ba": false, "An": true} {
		if has(name) != want {
			t.Errorf("%s: a whole-word match of an = %v, want %v", name, !want, want)
		}
	}
	// The rest of a name, exactly "nguyen van".
	for name, want := range map[string]bool{"Nguyễn Văn An": true, "NGUYỄN VĂN BÌNH": true, "Nguyễn Văn Bảo Anh": false, "Nguyễn Vân An": true, "Nguyễn An": false} {
		k := part(t, PersonSortKey(name), 1)
		found := false
		for _, p := range PersonKeyWordPrefixes("nguyen van", 64) {
			found = found || bytes.HasPrefix(k, p)
		}
		if found != want {
			t.Errorf("%s: rest exactly nguyen van = %v, want %v", name, found, want)
		}
	}
	// Shortened for max: the wider prefixes, still covering.
	if a, b := PersonKeyWordPrefixes("uoauoa", 10), PersonKeyPrefixes("uoauoa", 10); len(a) != len(b) || !bytes.Equal(a[0], b[0]) {
		t.Errorf("shortened: %x vs %x", a, b)
	}
}

func TestPersonKeyPrefixesNarrow(t *testing.T) {
	// "an" has the spellings an, ăn, ân: An and Ân start with one of their
	// keys, Anh too (a prefix), Bình and Ánh's neighbour Ba do not.
	ps := PersonKeyPrefixes("an", 64)
	if len(ps) != 3 {
		t.Fatalf("%d prefixes for an, want 3", len(ps))
	}
	has := func(name string) bool {
		g, _ := PersonKeyGiven(PersonSortKey(name))
		for _, p := range ps {
			if bytes.HasPrefix(g, p) {
				return true
			}
		}
		return false
	}
	for name, want := range map[string]bool{"Lê An": true, "Lê Ân": true, "Lê Ánh": true, "Lê Anh": true, "Lê Ba": false, "Lê Bình": false, "Lê Ai": false} {
		if has(name) != want {
			t.Errorf("%s: in the prefixes of an = %v, want %v", name, !want, want)
		}
	}
	// Too many spellings: the text is shortened, never dropped.
	if ps := PersonKeyPrefixes("uoauoa", 10); len(ps) == 0 || len(ps) > 10 {
		t.Errorf("%d prefixes with max 10", len(ps))
	}
	if ps := PersonKeyPrefixes("", 4); len(ps) != 1 || len(ps[0]) != 0 {
		t.Errorf("empty text: %x", ps)
	}
	// Digits end the usable prefix.
	if a, b := PersonKeyPrefixes("to 12", 8), PersonKeyPrefixes("to ", 8); len(a) != len(b) || !bytes.Equal(a[0], b[0]) {
		t.Errorf("digits: %x vs %x", a, b)
	}
}

func TestPersonKeyGiven(t *testing.T) {
	a, _ := PersonKeyGiven(PersonSortKey("Nguyễn Văn An"))
	b, _ := PersonKeyGiven(PersonSortKey("BẾ AN"))
	c, _ := PersonKeyGiven(PersonSortKey("Bế Anh"))
	if !bytes.Equal(a, b) {
		t.Errorf("same given name, different parts: %x %x", a, b)
	}
	if bytes.HasPrefix(c, a) || bytes.HasPrefix(a, c) {
		t.Errorf("An and Anh parts are prefixes of each other: %x %x", a, c)
	}
	if _, ok := PersonKeyGiven([]byte{1, 2, 3}); ok {
		t.Error("a key without a terminator has a given part")
	}
}
