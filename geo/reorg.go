package geo

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// reorgGz is the list of units from 1/7/2025 with, for each new commune,
// the old communes it was formed from: see internal/gen.
//
//go:embed reorg.tsv.gz
var reorgGz []byte

// Reorganised is the day the 2025 reorganisation took effect (Nghị quyết
// 202/2025/QH15): 34 provinces, no districts, 3,321 communes. A date before
// it reads the old list, a date from it the new one.
var Reorganised = time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC)

// reorg is the new list, loaded beside the old one.
type reorg struct {
	units   map[string]Unit   // new provinces and communes by code
	succ    map[string][]Unit // old commune code → the new communes it went into, the whole one first
	split   map[string]bool   // old commune codes split between several new ones
	provOf  map[string]string // old province code → new province code
	provNew []Unit            // the 34 provinces in code order
}

// parseReorg reads the 2025 table (see dvhcvn.ConvertReorg).
func parseReorg(r io.Reader) (*reorg, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	g := &reorg{units: make(map[string]Unit, 3400), succ: make(map[string][]Unit, 10100), split: map[string]bool{}, provOf: map[string]string{}}
	rest := string(data)
	for n := 1; rest != ""; n++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "1" && len(f) == 5 && len(f[1]) == 2:
			u := Unit{Level: Province, Code: f[1], Name: f[2], Type: f[3]}
			g.units[u.Code] = u
			g.provNew = append(g.provNew, u)
			for _, old := range strings.Split(f[4], ",") {
				g.provOf[old] = u.Code
			}
		case f[0] == "3" && len(f) == 7 && len(f[1]) == 5:
			p, ok := g.units[f[4]]
			if !ok || p.Level != Province {
				return nil, fmt.Errorf("line %d: commune %s: province %q not listed before it", n, f[1], f[4])
			}
			u := Unit{Level: Commune, Code: f[1], Name: f[2], Type: f[3], ParentCode: p.Code}
			if _, dup := g.units[u.Code]; dup || u.Name == "" {
				return nil, fmt.Errorf("line %d: duplicate or unnamed commune %s", n, u.Code)
			}
			g.units[u.Code] = u
			if f[5] != "" {
				for _, old := range strings.Split(f[5], ",") {
					g.succ[old] = append(g.succ[old], u)
				}
			}
			if f[6] != "" {
				for _, old := range strings.Split(f[6], ",") {
					g.split[old] = true
				}
			}
		default:
			return nil, fmt.Errorf("line %d: malformed", n)
		}
	}
	if len(g.provNew) == 0 {
		return nil, fmt.Errorf("no provinces")
	}
	// The unit that kept an old code is its first successor: where the
	// officer would look first, and the whole answer when it is not split.
	for old, us := range g.succ {
		slices.SortStableFunc(us, func(x, y Unit) int {
			return boolInt(y.Code == old) - boolInt(x.Code == old)
		})
	}
	return g, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func loadReorg() (*reorg, error) {
	zr, err := gzip.NewReader(bytes.NewReader(reorgGz))
	if err != nil {
		return nil, err
	}
	return parseReorg(zr)
}

// Place is where a GSO code lies on a date: a commune (or, for a district
// or province code, only the larger units) and its province, in the list
// in force that day.
type Place struct {
	// Code is the unit's code on that date: an old commune's code
	// before 1/7/2025, the new commune's from then on.
	Code     string
	Commune  Unit // zero for a district or province code
	District Unit // zero from 1/7/2025, when there are no districts
	Province Unit
}

// Address returns the place as written on forms on its date:
// "Xã Bằng Lũng, Huyện Chợ Đồn, Tỉnh Bắc Kạn" before 1/7/2025,
// "Xã Chợ Đồn, Tỉnh Thái Nguyên" from then on.
func (p Place) Address() string {
	parts := make([]string, 0, 3)
	for _, u := range []Unit{p.Commune, p.District, p.Province} {
		if u.Code != "" {
			parts = append(parts, u.FullName())
		}
	}
	return strings.Join(parts, ", ")
}

// PlaceOn returns where the unit with an old GSO code (the codes of the
// list of 01/03/2025 that the registry records) lies on date on. Before
// 1/7/2025 that is the unit itself with its district and province; from
// then on the new commune it went into, in its new province — "02020"
// (Thị trấn Bằng Lũng) is Xã Chợ Đồn, Tỉnh Thái Nguyên. split reports an
// old commune divided between several new ones: Place is then the one that
// kept its code (else the first), and Successors lists them all for the
// officer to choose. A code of the new list that no old commune had (a
// đặc khu) is read as that new unit. An unknown code gives the zero Place.
func (a *Atlas) PlaceOn(code string, on time.Time) (p Place, split bool) {
	if on.Before(Reorganised) || a.reorg == nil {
		u, found := a.units[code]
		if !found {
			return Place{}, false
		}
		p.Code = code
		for {
			switch u.Level {
			case Commune:
				p.Commune = u
			case District:
				p.District = u
			case Province:
				p.Province = u
				return p, false
			}
			u = a.units[u.ParentCode]
		}
	}
	g := a.reorg
	switch len(code) {
	case 5:
		if s := g.succ[code]; len(s) > 0 {
			c := s[0]
			return Place{Code: c.Code, Commune: c, Province: g.units[c.ParentCode]}, g.split[code]
		}
		if c, found := g.units[code]; found {
			return Place{Code: c.Code, Commune: c, Province: g.units[c.ParentCode]}, false
		}
		return Place{}, false
	case 3, 2:
		old, found := a.ProvinceOf(code)
		if !found {
			return Place{}, false
		}
		np, found := g.units[g.provOf[old.Code]]
		if !found {
			return Place{}, false
		}
		return Place{Code: np.Code, Province: np}, false
	}
	return Place{}, false
}

// AddressOn is PlaceOn's address, or "" for an unknown code.
func (a *Atlas) AddressOn(code string, on time.Time) string {
	p, _ := a.PlaceOn(code, on)
	return p.Address()
}

// ProvinceOn returns the province containing the unit with an old GSO
// code on date on: Bắc Kạn before 1/7/2025, Thái Nguyên from then on.
func (a *Atlas) ProvinceOn(code string, on time.Time) (Unit, bool) {
	p, _ := a.PlaceOn(code, on)
	return p.Province, p.Code != ""
}

// Successors returns the new communes an old commune went into on
// 1/7/2025 (the one that kept its code first), or nil for a code the
// mapping does not know.
func (a *Atlas) Successors(code string) []Unit {
	if a.reorg == nil {
		return nil
	}
	return slices.Clone(a.reorg.succ[code])
}

// ProvincesOn returns the provinces in force on date on, in code order:
// the 63 of the old list before 1/7/2025, the 34 of the new one after.
func (a *Atlas) ProvincesOn(on time.Time) []Unit {
	if on.Before(Reorganised) || a.reorg == nil {
		return a.Provinces()
	}
	return slices.Clone(a.reorg.provNew)
}

// NewUnit returns a unit of the list from 1/7/2025 by its code: a
// province (2 digits) or a commune, ward or special zone (5 digits).
func (a *Atlas) NewUnit(code string) (Unit, bool) {
	if a.reorg == nil {
		return Unit{}, false
	}
	u, ok := a.reorg.units[code]
	return u, ok
}
