package names

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// vietnamese holds every lower-case Vietnamese letter in precomposed (NFC)
// form; text made only of these and ASCII is NFC by construction, which is
// the check the standard library allows without a normaliser.
const vietnamese = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"

func checkName(t *testing.T, what, s string) {
	t.Helper()
	if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Errorf("%s: untidy %q", what, s)
	}
	for _, r := range s {
		switch {
		case r == ' ' || r == '\'':
		case r < 0x80 && unicode.IsLetter(r):
		case strings.ContainsRune(vietnamese, unicode.ToLower(r)):
		default:
			t.Errorf("%s: %q has %q (U+%04X): not NFC Vietnamese", what, s, r, r)
			return
		}
	}
	for _, w := range strings.Fields(s) {
		if r := []rune(w)[0]; !unicode.IsUpper(r) {
			t.Errorf("%s: %q: word %q not capitalised", what, s, w)
		}
	}
}

func TestLists(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for what, list := range map[string][]string{
		"Male": n.Male(), "Female": n.Female(), "MaleGiven": n.MaleGiven(), "FemaleGiven": n.FemaleGiven(),
	} {
		if len(list) < 200 {
			t.Errorf("%s: only %d names", what, len(list))
		}
		seen := map[string]bool{}
		hasD := false
		for _, s := range list {
			checkName(t, what, s)
			if seen[s] {
				t.Errorf("%s: %q repeated", what, s)
			}
			seen[s] = true
			hasD = hasD || strings.Contains(s, "Đ")
		}
		if !hasD {
			t.Errorf("%s: no name with Đ", what)
		}
	}
	// The source's quirks, tidied: a duplicate, a lower-case word, and a
	// full name among the middle+given names.
	if f := n.Female(); !slices.Contains(f, "Xuân Xanh") || slices.Contains(f, "Xuân xanh") {
		t.Error(`"Xuân xanh" not capitalised`)
	}
	if slices.Contains(n.Male(), "Nguyễn Hải An") {
		t.Error(`"Nguyễn Hải An" (a full name) kept`)
	}
	// boy.txt writes "Anh Ðức" with the Icelandic eth U+00D0.
	if !slices.Contains(n.Male(), "Anh \u0110ức") {
		t.Error(`"Anh Đức" missing: Ð not mapped to Đ`)
	}
	// Results are copies.
	m := n.Male()
	m[0] = "changed"
	if n.Male()[0] == "changed" {
		t.Error("Male shares its backing array")
	}
}

func TestTables(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for what, table := range map[string][]Weighted{"Families": n.Families(), "Ethnicities": n.Ethnicities()} {
		sum := 0
		seen := map[string]bool{}
		for _, w := range table {
			checkName(t, what, w.Name)
			if w.Weight <= 0 || seen[w.Name] {
				t.Errorf("%s: %+v: weight not positive or name repeated", what, w)
			}
			seen[w.Name] = true
			sum += w.Weight
		}
		if sum != 1000 {
			t.Errorf("%s: weights sum to %d, want 1000 (per mille)", what, sum)
		}
	}
	fam := map[string]int{}
	for _, w := range n.Families() {
		fam[w.Name] = w.Weight
	}
	for _, name := range strings.Fields("Hoàng Nông Triệu Lục Ma Bế Hà Lý Đàm Dương Lâm Lường Mông Giàng Sùng Vàng " +
		"Nguyễn Trần Lê Phạm Phan Vũ Đặng Bùi Đỗ Hồ Ngô Đinh Lương Mạc Hứa Chu Tô Vi") {
		if fam[name] == 0 {
			t.Errorf("family name %s missing", name)
		}
	}
	// Bắc Kạn, not the national average: the Tày Hoàng and Nông outweigh Trần.
	if fam["Hoàng"] <= fam["Trần"] || fam["Nông"] <= fam["Trần"] {
		t.Error("Tày family names should outweigh Trần in Bắc Kạn")
	}
	eth := map[string]int{}
	for _, w := range n.Ethnicities() {
		eth[w.Name] = w.Weight
	}
	for name, share := range map[string]int{"Tày": 520, "Kinh": 200, "Dao": 170, "Nùng": 90, "Mông": 20} {
		if d := eth[name] - share; d < -15 || d > 15 {
			t.Errorf("ethnicity %s: %d‰, want about %d‰", name, eth[name], share)
		}
	}
}

func TestPick(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ws := []Weighted{{"a", 750}, {"b", 250}, {"c", 0}}
	count := map[string]int{}
	for range 10000 {
		count[Pick(r, ws)]++
	}
	if count["c"] != 0 || count["a"] < 7200 || count["a"] > 7800 {
		t.Errorf("Pick counts %v, want about 7500/2500/0", count)
	}
	if Pick(r, nil) != "" || Pick(r, []Weighted{{"x", 0}}) != "" {
		t.Error("Pick of no weight should be empty")
	}
	// The same seed gives the same demo data.
	a, b := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	fam := families
	for range 100 {
		if Pick(a, fam) != Pick(b, fam) {
			t.Fatal("Pick is not deterministic for a seeded source")
		}
	}
}

func TestLicenceEmbedded(t *testing.T) {
	b, err := files.ReadFile("LICENSE")
	if err != nil || !strings.Contains(string(b), "MIT License") {
		t.Errorf("licence notice missing: %v", err)
	}
}

// Each ethnic group's family names sum to 1000 ‰ and fit the group: no
// Tày Nông or Ma among the Hoa, no Kinh Nguyễn among the Mông.
func TestFamiliesOf(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range n.Ethnicities() {
		table := n.FamiliesOf(e.Name)
		if len(table) == 0 {
			t.Errorf("%s: no family names", e.Name)
			continue
		}
		sum := 0
		for _, w := range table {
			checkName(t, e.Name, w.Name)
			sum += w.Weight
		}
		if sum != 1000 {
			t.Errorf("%s: family weights sum to %d", e.Name, sum)
		}
	}
	for eth, never := range map[string]string{"Hoa": "Nông Ma Bế Lục Giàng Bàn", "Mông": "Nguyễn Nông Bàn", "Dao": "Nông Ma Giàng Nguyễn", "Kinh": "Nông Ma Bàn Giàng Sùng"} {
		for _, w := range n.FamiliesOf(eth) {
			if strings.Contains(" "+never+" ", " "+w.Name+" ") {
				t.Errorf("%s family name %s among the %s", w.Name, w.Name, eth)
			}
		}
	}
	if n.FamiliesOf("Ê Đê") != nil {
		t.Error("a table for a group the package does not know")
	}
}
