package geo

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"congdoan/geo/internal/dvhcvn"
)

// load is shared by the tests; each test still goes through the public Load.
func load(t testing.TB) *Atlas {
	t.Helper()
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCounts(t *testing.T) {
	a := load(t)
	var nd, nc int
	for _, p := range a.Provinces() {
		for _, d := range a.Districts(p.Code) {
			nd++
			nc += len(a.Communes(d.Code))
		}
	}
	if np := len(a.Provinces()); np != 63 || nd != 696 || nc != 10047 {
		t.Fatalf("got %d provinces, %d districts, %d communes; want 63, 696, 10047", np, nd, nc)
	}
	if len(a.units) != 63+696+10047 {
		t.Fatalf("%d units indexed", len(a.units))
	}
}

func TestBacKan(t *testing.T) {
	a := load(t)
	p, ok := a.Province("06")
	if !ok || p.Name != "Bắc Kạn" || p.Type != "Tỉnh" || p.FullName() != "Tỉnh Bắc Kạn" || p.Level != Province || p.ParentCode != "" {
		t.Fatalf("Province(06) = %+v, %v", p, ok)
	}
	want := []Unit{
		{Code: "058", Name: "Bắc Kạn", Type: "Thành phố"},
		{Code: "060", Name: "Pác Nặm", Type: "Huyện"},
		{Code: "061", Name: "Ba Bể", Type: "Huyện"},
		{Code: "062", Name: "Ngân Sơn", Type: "Huyện"},
		{Code: "063", Name: "Bạch Thông", Type: "Huyện"},
		{Code: "064", Name: "Chợ Đồn", Type: "Huyện"},
		{Code: "065", Name: "Chợ Mới", Type: "Huyện"},
		{Code: "066", Name: "Na Rì", Type: "Huyện"},
	}
	for i := range want {
		want[i].ParentCode, want[i].Level = "06", District
	}
	if got := a.Districts("06"); !slices.Equal(got, want) {
		t.Fatalf("Districts(06):\n got %+v\nwant %+v", got, want)
	}
	if got := a.Districts("058"); got != nil {
		t.Errorf("Districts of a district code = %v, want nil", got)
	}
	city := a.Communes("058")
	if len(city) != 8 {
		t.Errorf("Thành phố Bắc Kạn has %d communes, want 8", len(city))
	}
	if u, ok := a.Unit("058"); !ok || u.FullName() != "Thành phố Bắc Kạn" {
		t.Errorf("Unit(058) = %+v (full %q)", u, u.FullName())
	}
}

func TestAddress(t *testing.T) {
	a := load(t)
	var nongThuong Unit
	for _, c := range a.Communes("058") {
		if c.Name == "Nông Thượng" {
			nongThuong = c
		}
	}
	if nongThuong.Code == "" {
		t.Fatal("Xã Nông Thượng not found in Thành phố Bắc Kạn")
	}
	for code, want := range map[string]string{
		nongThuong.Code: "Xã Nông Thượng, Thành phố Bắc Kạn, Tỉnh Bắc Kạn",
		"00001":         "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
		"060":           "Huyện Pác Nặm, Tỉnh Bắc Kạn",
		"06":            "Tỉnh Bắc Kạn",
		"27046":         "Phường 5, Quận Phú Nhuận, Thành phố Hồ Chí Minh", // typed "Xã" in the source
		"":              "",
		"99999":         "",
		"6":             "",
		"19780":         "Phường Phường Đúc, Quận Thuận Hóa, Thành phố Huế",
	} {
		if got := a.Address(code); got != want {
			t.Errorf("Address(%q) = %q, want %q", code, got, want)
		}
	}
	if p, ok := a.ProvinceOf(nongThuong.Code); !ok || p.Code != "06" {
		t.Errorf("ProvinceOf(%s) = %+v, %v", nongThuong.Code, p, ok)
	}
	if p, ok := a.ProvinceOf("06"); !ok || p.Code != "06" {
		t.Errorf("ProvinceOf(06) = %+v, %v", p, ok)
	}
	if _, ok := a.ProvinceOf("00000"); ok {
		t.Error("ProvinceOf(unknown) reported ok")
	}
	if hn, _ := a.Province("01"); hn.Type != "Thành phố Trung ương" || hn.FullName() != "Thành phố Hà Nội" {
		t.Errorf("Hà Nội = %+v, full %q", hn, hn.FullName())
	}
}

// TestHierarchy walks every unit: parents exist at the level above, codes
// have the documented widths, children come in code order and names are
// clean, prefix-free NFC text.
func TestHierarchy(t *testing.T) {
	a := load(t)
	types := map[Level][]string{
		Province: {"Tỉnh", "Thành phố Trung ương"},
		District: {"Huyện", "Quận", "Thị xã", "Thành phố"},
		Commune:  {"Xã", "Phường", "Thị trấn"},
	}
	for code, u := range a.units {
		if u.Code != code || len(code) != codeLen[u.Level] || strings.Trim(code, "0123456789") != "" {
			t.Errorf("bad code %q for %+v", code, u)
		}
		if !slices.Contains(types[u.Level], u.Type) {
			t.Errorf("%s: type %q at level %s", code, u.Type, u.Level)
		}
		if u.Level == Province {
			if u.ParentCode != "" {
				t.Errorf("%s: province with parent %q", code, u.ParentCode)
			}
		} else if p, ok := a.Unit(u.ParentCode); !ok || p.Level != u.Level-1 {
			t.Errorf("%s: parent %q missing or at the wrong level", code, u.ParentCode)
		}
		if u.Name != strings.TrimSpace(u.Name) || strings.Contains(u.Name, "  ") {
			t.Errorf("%s: untidy name %q", code, u.Name)
		}
		for _, typ := range types[u.Level] {
			// Huế really has a ward named "Phường Đúc" (an old foundry
			// quarter): its official name is "Phường Phường Đúc".
			if code == "19780" {
				break
			}
			if strings.HasPrefix(strings.ToLower(u.Name), strings.ToLower(typ)+" ") {
				t.Errorf("%s: name %q still carries a type", code, u.Name)
			}
		}
		if err := nfc(u.Name); err != "" {
			t.Errorf("%s: %q: %s", code, u.Name, err)
		}
	}
	for parent, kids := range a.children {
		if !slices.IsSortedFunc(kids, func(x, y Unit) int { return strings.Compare(x.Code, y.Code) }) {
			t.Errorf("children of %q not in code order", parent)
		}
	}
}

// vietnamese holds every lower-case Vietnamese letter in its precomposed
// (NFC) form. The standard library has no normaliser, but Vietnamese text
// made only of these letters (plus ASCII) is NFC by construction.
const vietnamese = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"

// nfc returns why s is not plain NFC Vietnamese, or "".
func nfc(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			return "combining mark (not NFC)"
		case r < 0x80:
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" '-.", r) {
				return "unexpected character " + string(r)
			}
		case !strings.ContainsRune(vietnamese, unicode.ToLower(r)):
			return "non-Vietnamese letter " + string(r)
		}
	}
	return ""
}

func TestMisuse(t *testing.T) {
	a := load(t)
	if _, ok := a.Province("058"); ok {
		t.Error("Province accepted a district code")
	}
	if c := a.Communes("06"); c != nil {
		t.Error("Communes accepted a province code")
	}
	if _, ok := a.Unit(" 06"); ok {
		t.Error("Unit accepted a padded code")
	}
	// Callers get copies: editing a result must not change the Atlas.
	ps := a.Provinces()
	ps[0].Name = "changed"
	if a.Provinces()[0].Name != "Hà Nội" {
		t.Error("Provinces shares its backing array")
	}
	ds := a.Districts("06")
	ds[0] = Unit{}
	if a.Districts("06")[0].Code != "058" {
		t.Error("Districts shares its backing array")
	}
	if Level(0).String() != "Level(0)" || Commune.String() != "Commune" {
		t.Error("Level.String")
	}
}

func TestParseRejects(t *testing.T) {
	for name, in := range map[string]string{
		"fields":        "1\t06\tBắc Kạn\tTỉnh\n",
		"level":         "4\t06\tBắc Kạn\tTỉnh\t\n",
		"code width":    "1\t6\tBắc Kạn\tTỉnh\t\n",
		"orphan":        "1\t06\tBắc Kạn\tTỉnh\t\n2\t058\tBắc Kạn\tThành phố\t07\n",
		"skipped level": "1\t06\tBắc Kạn\tTỉnh\t\n3\t01834\tNông Thượng\tXã\t06\n",
		"duplicate":     "1\t06\tBắc Kạn\tTỉnh\t\n1\t06\tBắc Kạn\tTỉnh\t\n",
		"empty":         "# nothing\n",
	} {
		if _, err := parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: parse accepted %q", name, in)
		}
	}
}

// TestLoadIsFast keeps Load cheap enough to call at start-up and in every
// test; the limit is loose so a busy CI machine does not make it flaky.
func TestLoadIsFast(t *testing.T) {
	start := time.Now()
	load(t)
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Load took %v", d)
	}
}

// TestEmbeddedMatchesSource reruns the generator's conversion on the
// source list, when shared/ is beside the repository, so a hand-edited or
// stale units.tsv.gz is caught. Without the source it has nothing to
// compare with and skips.
func TestEmbeddedMatchesSource(t *testing.T) {
	src, err := os.ReadFile("../../shared/data/dvhcvn-2025-03-01.json")
	if err != nil {
		t.Skip("source list not available:", err)
	}
	res, err := dvhcvn.Convert(src)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(unitsGz))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(embedded, res.TSV) {
		t.Fatal("units.tsv.gz differs from the source: run `go generate ./geo`")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
