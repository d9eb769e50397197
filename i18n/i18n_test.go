package i18n

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestCatalogsCheck(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if got := Nf("en", "targets.allocated_units", 1, 1); got != "Allocated to 1 unit" {
		t.Errorf("one: %q", got)
	}
	if got := Nf("vi", "targets.allocated_units", 1, 1); got != "Đã giao cho 1 đơn vị" {
		t.Errorf("vi: %q", got)
	}
	if len(catalogs[Default]) < 400 {
		t.Fatalf("vi has only %d keys", len(catalogs[Default]))
	}
	for l, cat := range catalogs {
		for k, s := range cat {
			if !utf8.ValidString(s) || s != norm.NFC.String(s) {
				t.Errorf("%s %q is not NFC", l, k)
			}
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s %q is blank", l, k)
			}
		}
	}
}

func TestCheckCatches(t *testing.T) {
	good := map[string]map[string]string{
		"vi": {"a": "Một %d", "n.other": "%d đơn vị", "sector.other": "Khác", "p": "100%% của %s"},
		"en": {"a": "One %d", "n.one": "%d unit", "n.other": "%d units", "sector.other": "Other", "p": "100%% of %s"},
	}
	if err := check(good); err != nil {
		t.Fatalf("a good catalog fails: %v", err)
	}
	for name, c := range map[string]struct {
		cats map[string]map[string]string
		want string
	}{
		"missing in en": {map[string]map[string]string{"vi": {"a": "x", "b": "y"}, "en": {"a": "x"}}, `en: missing "b"`},
		"missing in vi": {map[string]map[string]string{"vi": {"a": "x"}, "en": {"a": "x", "b": "y"}}, `vi: missing "b"`},
		"verbs differ":  {map[string]map[string]string{"vi": {"a": "%d người"}, "en": {"a": "%s people"}}, `"a": verbs`},
		"verb missing":  {map[string]map[string]string{"vi": {"a": "Năm %d: %s"}, "en": {"a": "Year %d"}}, `"a": verbs`},
		"plural other missing": {map[string]map[string]string{"vi": {"n.other": "%d"}, "en": {"n.one": "%d unit"}},
			`en: missing "n.other"`},
		"plural form verbs": {map[string]map[string]string{"vi": {"n.other": "%d"}, "en": {"n.one": "one unit", "n.other": "%d units"}},
			`"n": verbs`},
		"vi has no singular": {map[string]map[string]string{"vi": {"n.one": "%d", "n.other": "%d"}, "en": {"n.one": "%d unit", "n.other": "%d units"}},
			`vi: "n.one" is a plural form`},
	} {
		err := check(c.cats)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %s", name, err, c.want)
		}
	}
}

func TestLookup(t *testing.T) {
	saved := catalogs
	defer func() { catalogs = saved }()
	catalogs = map[string]map[string]string{
		"vi": {"a": "Một", "only.vi": "Chỉ tiếng Việt", "n.other": "%d đơn vị"},
		"en": {"a": "One", "n.one": "%d unit", "n.other": "%d units"},
	}
	for _, c := range []struct{ got, want string }{
		{T("en", "a"), "One"},
		{T("vi", "a"), "Một"},
		{T("en", "only.vi"), "Chỉ tiếng Việt"},
		{T("fr", "a"), "Một"},
		{T("en", "nope"), "nope"},
		{Tf("en", "n.other", 3), "3 units"},
		{Nf("en", "n", 1, 1), "1 unit"},
		{Nf("en", "n", 0, 0), "0 units"},
		{Nf("en", "n", 2, 2), "2 units"},
		{Nf("vi", "n", 1, 1), "1 đơn vị"},
		{Nf("fr", "n", 1, 1), "1 đơn vị"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !Has("only.vi") || Has("nope") {
		t.Error("Has")
	}
	if l := Langs(); len(l) != 2 || l[0] != "vi" || l[1] != "en" {
		t.Errorf("Langs() = %v", l)
	}
}

func TestVerbs(t *testing.T) {
	for s, want := range map[string]string{
		"%d người, %s":        "%d %s",
		"100%% đạt":           "",
		"%.1f%% · %5d · %-8v": "%.1f %5d %-8v",
		"không có":            "",
	} {
		if got := verbs(s); got != want {
			t.Errorf("verbs(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestFilesSorted keeps the files canonical: keys sorted, two-space
// indentation, no HTML escaping — what encoding/json writes from the map.
func TestFilesSorted(t *testing.T) {
	for l, cat := range catalogs {
		b, err := files.ReadFile("locale/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cat); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want.Bytes()) {
			t.Errorf("locale/%s.json is not canonical (sorted keys, two-space indent, one key a line, no duplicates)", l)
		}
	}
}
