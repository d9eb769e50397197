// Package names supplies Vietnamese personal names and ethnicities for
// generating demo members, weighted to look like the membership of a
// union in Bắc Kạn rather than a national average.
//
// The given-name lists are github.com/duyet/vietnamese-namedb, embedded
// unchanged with its MIT licence (LICENSE beside this file); Load tidies
// them. The family-name and ethnicity weights are this package's own rough
// figures for demo data, not statistics to quote.
package names

import (
	"bufio"
	"embed"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// files holds the name lists as published; the licence is embedded too so
// that the notice travels with the copy inside the binary.
//
//go:embed boy.txt girl.txt boy_one_word.txt girl_one_word.txt LICENSE
var files embed.FS

// Weighted is a value with a relative frequency; Pick draws from a table of
// them. Weights are integers so tables read as per-mille and compare exactly.
type Weighted struct {
	Name   string
	Weight int
}

// families is the family-name table, in per mille (sums to 1000). Bắc Kạn
// is about half Tày, so Tày and Nùng names (Hoàng, Nông, Ma, Lục, Bế …)
// outweigh the national leaders Nguyễn and Trần; Dao (Triệu, Bàn, Đặng,
// Lý …) and H'Mông (Giàng, Sùng, Vàng, Lý) names follow their groups'
// shares. Several names are shared by groups (Hoàng is Kinh, Tày and Nùng;
// Lý is Dao, Nùng and H'Mông), so each appears once with the sum.
var families = []Weighted{
	{"Hoàng", 140}, // Kinh, Tày, Nùng
	{"Nông", 100},  // Tày, Nùng
	{"Nguyễn", 100},
	{"Triệu", 75}, // Dao, Tày
	{"Ma", 55},    // Tày
	{"Lục", 45},   // Tày, Nùng
	{"Hà", 45},    // Tày
	{"Bàn", 35},   // Dao
	{"Trần", 30},
	{"Đặng", 30}, // Kinh, Dao
	{"Lý", 30},   // Dao, Nùng, H'Mông
	{"Bế", 25},   // Tày
	{"Lê", 22},
	{"Đàm", 22},   // Tày, Nùng
	{"Dương", 22}, // Kinh, Tày
	{"Lương", 18}, // Tày, Nùng
	{"Phạm", 17},
	{"Lâm", 14}, // Tày, Nùng
	{"Hứa", 12}, // Tày, Nùng
	{"Đinh", 12},
	{"Mạc", 10},  // Tày
	{"Chu", 10},  // Tày, Nùng
	{"Vi", 10},   // Tày, Nùng
	{"Tô", 8},    // Tày, Nùng
	{"Mông", 8},  // Tày
	{"Phùng", 8}, // Dao
	{"Vũ", 8},
	{"Lưu", 8}, // Kinh, Tày
	{"Bùi", 6},
	{"Đỗ", 6},
	{"Ngô", 6},
	{"Phan", 6},
	{"Mã", 6},    // Nùng
	{"Lộc", 6},   // Tày
	{"Giàng", 6}, // H'Mông
	{"Lường", 5}, // Tày, Thái
	{"Sùng", 5},  // H'Mông
	{"Vàng", 5},  // H'Mông
	{"Quan", 5},  // Tày
	{"Hồ", 4},
	{"Chảo", 4}, // Dao
	{"Lăng", 4}, // Nùng
	{"Nịnh", 4}, // Tày
	{"Sầm", 3},  // Tày
}

// ethnicities is Bắc Kạn's ethnic mix in per mille (sums to 1000), close
// to the 2019 census: Tày ~52%, Kinh ~20%, Dao ~17%, Nùng ~9%, H'Mông ~1.5%.
// Names are the official ones of the list of 54 groups, as a member's
// record must carry: the H'Mông are "Mông" there.
var ethnicities = []Weighted{
	{"Tày", 520},
	{"Kinh", 205},
	{"Dao", 168},
	{"Nùng", 87},
	{"Mông", 15},
	{"Hoa", 3},
	{"Sán Chay", 2},
}

// familiesOf is each ethnic group's family names, in per mille (each sums
// to 1000): a member's family name is drawn from their group's table, so
// a Hoa member is a Lý, Trương or Lưu and never a Tày Nông, a Mông member
// a Giàng, Sùng or Vàng. Shared names (Hoàng, Lý, Dương …) appear in each
// group that carries them. Rough figures for demo data.
var familiesOf = map[string][]Weighted{
	"Kinh":     {{"Nguyễn", 350}, {"Trần", 90}, {"Lê", 70}, {"Phạm", 55}, {"Hoàng", 50}, {"Vũ", 40}, {"Đặng", 30}, {"Bùi", 30}, {"Đỗ", 30}, {"Ngô", 25}, {"Phan", 25}, {"Dương", 25}, {"Đinh", 20}, {"Hồ", 15}, {"Lưu", 15}, {"Hà", 15}, {"Lương", 15}, {"Trịnh", 15}, {"Đào", 15}, {"Mai", 10}, {"Tô", 10}, {"Chu", 10}, {"Đàm", 10}, {"Lý", 10}, {"Vương", 10}, {"Cao", 10}},
	"Tày":      {{"Hoàng", 170}, {"Nông", 140}, {"Ma", 90}, {"Hà", 70}, {"Lục", 60}, {"Bế", 50}, {"Triệu", 50}, {"Nguyễn", 40}, {"Đàm", 40}, {"Dương", 35}, {"Lương", 35}, {"Lâm", 30}, {"Hứa", 25}, {"Mạc", 20}, {"Chu", 20}, {"Vi", 15}, {"Tô", 15}, {"Mông", 15}, {"Lý", 15}, {"Lộc", 12}, {"Quan", 10}, {"Nịnh", 10}, {"Lưu", 10}, {"Đinh", 10}, {"Sầm", 8}, {"Lường", 5}},
	"Nùng":     {{"Hoàng", 220}, {"Nông", 100}, {"Lý", 70}, {"Mã", 60}, {"Lục", 50}, {"Lăng", 40}, {"Vi", 40}, {"Chu", 40}, {"Triệu", 40}, {"Hứa", 40}, {"Lâm", 40}, {"Đàm", 30}, {"Lương", 30}, {"Tô", 30}, {"Dương", 20}, {"Nguyễn", 20}, {"Hà", 20}, {"Bế", 20}, {"Lành", 20}, {"Sầm", 10}, {"Quan", 10}, {"Ngôn", 10}, {"Vương", 10}, {"Lô", 10}, {"Mông", 10}, {"Ma", 10}},
	"Dao":      {{"Triệu", 310}, {"Bàn", 220}, {"Đặng", 150}, {"Lý", 100}, {"Phùng", 60}, {"Chảo", 60}, {"Hoàng", 30}, {"Tẩn", 25}, {"Dương", 20}, {"Sinh", 15}, {"Lục", 10}},
	"Mông":     {{"Giàng", 220}, {"Sùng", 170}, {"Vàng", 160}, {"Lý", 120}, {"Lầu", 80}, {"Mùa", 60}, {"Thào", 60}, {"Hoàng", 50}, {"Hầu", 40}, {"Dương", 20}, {"Ly", 20}},
	"Hoa":      {{"Lý", 180}, {"Trương", 120}, {"Lưu", 120}, {"Trần", 100}, {"Hoàng", 80}, {"Lâm", 80}, {"Mạc", 60}, {"Tăng", 60}, {"Diệp", 60}, {"Quách", 60}, {"Phùng", 40}, {"Chu", 40}},
	"Sán Chay": {{"Hoàng", 200}, {"Lý", 150}, {"Dương", 150}, {"Trần", 100}, {"La", 100}, {"Ninh", 100}, {"Diệp", 100}, {"Lục", 100}},
}

// FamiliesOf returns the family-name table of an ethnic group (weights in
// per mille), or nil for a group the package has no table for.
func (n *Names) FamiliesOf(ethnicity string) []Weighted { return clone(familiesOf[ethnicity]) }

// Names is the loaded lists. It never changes after Load, so it may be
// shared between goroutines; every method returns a copy.
type Names struct {
	male, female           []string // middle + given name
	maleGiven, femaleGiven []string // given name alone
}

// Load reads and tidies the embedded lists: lines are trimmed, inner
// spaces collapsed, the look-alike Ð replaced by Đ (see eth), each word
// capitalised (the source has "Xuân xanh"),
// blanks and repeats dropped, and entries that already start with a family
// name ("Nguyễn Hải An" among the boys' middle+given names) dropped, since
// a family name is added separately. The lists are NFC as shipped; the
// standard library cannot normalise, so a line with a combining mark — a
// decomposed edit — is an error rather than a silently different string.
func Load() (*Names, error) {
	n := &Names{}
	for _, l := range []struct {
		file string
		dst  *[]string
	}{
		{"boy.txt", &n.male},
		{"girl.txt", &n.female},
		{"boy_one_word.txt", &n.maleGiven},
		{"girl_one_word.txt", &n.femaleGiven},
	} {
		list, err := readList(l.file)
		if err != nil {
			return nil, err
		}
		*l.dst = list
	}
	return n, nil
}

// eth maps the Icelandic eth (Ð U+00D0, ð U+00F0), which the source uses
// for D-with-stroke in about 200 names (typed with a Western European
// keyboard layout), to the Vietnamese letter Đ U+0110 / đ U+0111. The two
// look alike but compare, sort and search differently: a member "Ðức" would
// not be found by a search for "Đức".
var eth = strings.NewReplacer("\u00D0", "\u0110", "\u00F0", "\u0111")

// readList reads one embedded file; see Load for the tidying rules.
func readList(file string) ([]string, error) {
	f, err := files.Open(file)
	if err != nil {
		return nil, fmt.Errorf("names: %w", err)
	}
	defer f.Close()
	family := make(map[string]bool, len(families))
	for _, w := range families {
		family[w.Name] = true
	}
	var list []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimPrefix(sc.Text(), "\uFEFF") // a BOM from a Windows editor
		line = eth.Replace(line)
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("names: %s:%d: invalid UTF-8", file, n)
		}
		for _, r := range line {
			if unicode.Is(unicode.Mn, r) {
				return nil, fmt.Errorf("names: %s:%d: %q is not NFC (combining mark U+%04X)", file, n, line, r)
			}
		}
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		for i, w := range words {
			r, size := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[size:]
		}
		if len(words) >= 3 && family[words[0]] {
			continue
		}
		name := strings.Join(words, " ")
		if seen[name] {
			continue
		}
		seen[name] = true
		list = append(list, name)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("names: %s: %w", file, err)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("names: %s is empty", file)
	}
	return list, nil
}

// Male returns men's middle + given names ("Văn Hùng" style), as in the
// source's boy.txt.
func (n *Names) Male() []string { return clone(n.male) }

// Female returns women's middle + given names, from girl.txt.
func (n *Names) Female() []string { return clone(n.female) }

// MaleGiven returns men's given names alone, for building a name with a
// middle name of one's own (e.g. the Tày and Nùng "Văn").
func (n *Names) MaleGiven() []string { return clone(n.maleGiven) }

// FemaleGiven returns women's given names alone (paired with "Thị" the
// same way).
func (n *Names) FemaleGiven() []string { return clone(n.femaleGiven) }

// Families returns the family-name table for Bắc Kạn, weights in per mille.
func (n *Names) Families() []Weighted { return clone(families) }

// Ethnicities returns Bắc Kạn's ethnic groups with weights in per mille,
// under their official names.
func (n *Names) Ethnicities() []Weighted { return clone(ethnicities) }

// Pick draws a name from ws in proportion to the weights, using r so that
// a seeded generator gives the same demo data on every run. It returns ""
// when no weight is positive.
func Pick(r *rand.Rand, ws []Weighted) string {
	total := 0
	for _, w := range ws {
		total += max(w.Weight, 0)
	}
	if total == 0 {
		return ""
	}
	x := r.IntN(total)
	for _, w := range ws {
		if x -= max(w.Weight, 0); x < 0 {
			return w.Name
		}
	}
	panic("unreachable")
}

func clone[T any](s []T) []T { return append([]T(nil), s...) }
