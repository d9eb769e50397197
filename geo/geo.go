// Package geo holds Vietnam's administrative units — provinces, districts
// and communes with their GSO codes — embedded in the binary, so that
// member addresses can be entered and printed without a network lookup or a
// database table to seed.
//
// It holds two lists. The GSO one of 01/03/2025, before the July 2025
// reorganisation: 63 provinces, 696 districts, 10,047 communes; the union's
// records refer to units by these codes, and the methods without a date
// (Unit, Address, ProvinceOf …) read it. And the list in force from
// 1/7/2025 (Nghị quyết 202/2025/QH15): 34 provinces, no districts, 3,321
// communes, each with the old communes it was formed from. PlaceOn,
// AddressOn and ProvinceOn take a date and answer in the list of that day,
// so an old Bắc Kạn commune reads "…, Tỉnh Bắc Kạn" on a page or report
// dated before 1/7/2025 and as its new commune of Tỉnh Thái Nguyên from then
// on; an old commune split between new ones is flagged for the officer.
//
// units.tsv.gz and reorg.tsv.gz are generated from the lists in shared/data
// by `go generate ./geo` (see internal/gen), which also prints every repair
// made to the official data; a test fails if they drift apart.
package geo

//go:generate go run ./internal/gen -in ../../shared/data/dvhcvn-2025-03-01.json -out units.tsv.gz -in2025 ../../shared/data/dvhc-2025-07-01.json -out2025 reorg.tsv.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// unitsGz is the generated table: see internal/gen. It is gzipped because
// the plain text is ~4 times larger and every binary carries it.
//
//go:embed units.tsv.gz
var unitsGz []byte

// Level is a unit's rank in the three-level hierarchy.
type Level int

// The levels, numbered as in the embedded table's first column. Zero is
// left unused so that an unset Level is recognisably invalid.
const (
	Province Level = iota + 1 // tỉnh / thành phố trực thuộc trung ương
	District                  // huyện / quận / thị xã / thành phố thuộc tỉnh
	Commune                   // xã / phường / thị trấn
)

// String returns the level's English name, for logs and error messages.
func (l Level) String() string {
	switch l {
	case Province:
		return "Province"
	case District:
		return "District"
	case Commune:
		return "Commune"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// codeLen is the length of a GSO code at each level; codes are fixed-width
// digit strings, so the length alone tells the level.
var codeLen = [...]int{Province: 2, District: 3, Commune: 5}

// Unit is one administrative unit. Name is without its type prefix
// ("Bắc Kạn", Type "Tỉnh") so that lists can sort and search by name; use
// FullName for the official form. All text is NFC.
type Unit struct {
	Code       string // GSO code: 2 digits for a province, 3 for a district, 5 for a commune
	Name       string // name without the type, e.g. "Bắc Kạn", "Pác Nặm", "5" (for "Phường 5")
	Type       string // Tỉnh, Thành phố Trung ương, Huyện, Quận, Thị xã, Thành phố, Xã, Phường or Thị trấn
	ParentCode string // code of the enclosing unit; "" for a province
	Level      Level
}

// FullName returns the official name, type first: "Tỉnh Bắc Kạn",
// "Huyện Pác Nặm". A centrally-run city is written "Thành phố Hà Nội":
// "Trung ương" is part of its type, not of its name.
func (u Unit) FullName() string {
	t := u.Type
	if t == "Thành phố Trung ương" {
		t = "Thành phố"
	}
	return t + " " + u.Name
}

// Atlas is the loaded list. It never changes after Load, so one *Atlas may
// be shared by any number of goroutines; every method returns copies.
type Atlas struct {
	units    map[string]Unit   // by code, all levels
	children map[string][]Unit // by parent code, in code order; "" holds the provinces
	reorg    *reorg            // the list from 1/7/2025 and the mapping (reorg.go)

	searchOnce sync.Once      // builds communes on the first search (search.go)
	communes   []communeEntry // the communes with their folded names
}

// Load parses the embedded table (a few milliseconds). There is no
// package-level cache on purpose: callers keep the *Atlas they were given,
// which keeps tests independent and the package free of mutable state.
func Load() (*Atlas, error) {
	zr, err := gzip.NewReader(bytes.NewReader(unitsGz))
	if err != nil {
		return nil, fmt.Errorf("geo: embedded table: %w", err)
	}
	a, err := parse(zr)
	if err != nil {
		return nil, fmt.Errorf("geo: embedded table: %w", err)
	}
	if a.reorg, err = loadReorg(); err != nil {
		return nil, fmt.Errorf("geo: embedded 2025 table: %w", err)
	}
	return a, nil
}

// parse reads the tab-separated table and checks that it forms a proper
// hierarchy, so a damaged or hand-edited file fails at Load rather than
// producing addresses with missing parts later. The table is read into one
// string and every field is a substring of it: that halves Load's time and
// allocations against splitting line by line.
func parse(r io.Reader) (*Atlas, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	a := &Atlas{
		units:    make(map[string]Unit, 11000),
		children: make(map[string][]Unit, 800),
	}
	rest := string(data)
	var f [5]string
	for n := 1; rest != ""; n++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.Count(line, "\t") != len(f)-1 {
			return nil, fmt.Errorf("line %d: want %d tab-separated fields", n, len(f))
		}
		for i := range f {
			f[i], line, _ = strings.Cut(line, "\t")
		}
		if len(f[0]) != 1 || f[0][0] < '1' || f[0][0] > '3' {
			return nil, fmt.Errorf("line %d: level %q", n, f[0])
		}
		u := Unit{Level: Level(f[0][0] - '0'), Code: f[1], Name: f[2], Type: f[3], ParentCode: f[4]}
		if len(u.Code) != codeLen[u.Level] {
			return nil, fmt.Errorf("line %d: %s code %q", n, u.Level, u.Code)
		}
		if u.Name == "" || u.Type == "" {
			return nil, fmt.Errorf("line %d: empty name or type", n)
		}
		if _, dup := a.units[u.Code]; dup {
			return nil, fmt.Errorf("line %d: duplicate code %s", n, u.Code)
		}
		if u.Level == Province {
			if u.ParentCode != "" {
				return nil, fmt.Errorf("line %d: province %s has a parent", n, u.Code)
			}
		} else if p, ok := a.units[u.ParentCode]; !ok || p.Level != u.Level-1 {
			// The generator writes parents before children, so a parent
			// not yet seen is missing or of the wrong level.
			return nil, fmt.Errorf("line %d: %s %s: parent %q is not a known %s", n, u.Level, u.Code, u.ParentCode, u.Level-1)
		}
		a.units[u.Code] = u
		a.children[u.ParentCode] = append(a.children[u.ParentCode], u)
	}
	if len(a.children[""]) == 0 {
		return nil, fmt.Errorf("no provinces")
	}
	// The generator already writes code order; sorting again costs well
	// under a millisecond and makes the documented order independent of it.
	for _, c := range a.children {
		slices.SortFunc(c, func(x, y Unit) int { return strings.Compare(x.Code, y.Code) })
	}
	return a, nil
}

// Provinces returns the 63 provinces and centrally-run cities in code order.
func (a *Atlas) Provinces() []Unit {
	return slices.Clone(a.children[""])
}

// Province returns the province with the given 2-digit code.
func (a *Atlas) Province(code string) (Unit, bool) {
	return a.level(code, Province)
}

// Districts returns the districts of a province in code order, or nil if
// code is not a province's.
func (a *Atlas) Districts(provinceCode string) []Unit {
	if _, ok := a.level(provinceCode, Province); !ok {
		return nil
	}
	return slices.Clone(a.children[provinceCode])
}

// Communes returns the communes of a district in code order, or nil if code
// is not a district's.
func (a *Atlas) Communes(districtCode string) []Unit {
	if _, ok := a.level(districtCode, District); !ok {
		return nil
	}
	return slices.Clone(a.children[districtCode])
}

// Unit returns the unit with the given code at any level; the code's length
// tells the level (2, 3 or 5 digits).
func (a *Atlas) Unit(code string) (Unit, bool) {
	u, ok := a.units[code]
	return u, ok
}

// level looks a code up and insists on its level, so that e.g. Districts
// given a commune code returns nothing rather than an empty-looking answer
// that hides the caller's mix-up.
func (a *Atlas) level(code string, l Level) (Unit, bool) {
	u, ok := a.units[code]
	if !ok || u.Level != l {
		return Unit{}, false
	}
	return u, true
}

// Address returns the unit's full name followed by those of the units
// above it, as written on Vietnamese forms:
// "Xã Nông Thượng, Thành phố Bắc Kạn, Tỉnh Bắc Kạn". It is meant for
// commune codes but accepts any level, giving e.g.
// "Huyện Pác Nặm, Tỉnh Bắc Kạn" for a district. It returns "" for an
// unknown code.
func (a *Atlas) Address(code string) string {
	u, ok := a.units[code]
	if !ok {
		return ""
	}
	parts := make([]string, 0, 3)
	for {
		parts = append(parts, u.FullName())
		if u.ParentCode == "" {
			break
		}
		u = a.units[u.ParentCode] // parse guarantees every parent exists
	}
	return strings.Join(parts, ", ")
}

// ProvinceOf returns the province containing the unit with the given code
// at any level; a province code returns that province.
func (a *Atlas) ProvinceOf(code string) (Unit, bool) {
	u, ok := a.units[code]
	if !ok {
		return Unit{}, false
	}
	for u.ParentCode != "" {
		u = a.units[u.ParentCode]
	}
	return u, true
}
