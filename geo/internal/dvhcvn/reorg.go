package dvhcvn

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The list of units from 1 July 2025 (Nghị quyết 202/2025/QH15 and the
// UBTVQH resolutions arranging each province's communes), as in
// shared/data/dvhc-2025-07-01.json: 34 provinces and 3,321 communes,
// wards and special zones, with no districts, and for each new unit the
// old commune codes it was formed from.

type newCommune struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	From    []string `json:"from"`
	Partial []string `json:"partial"`
}

type newProvince struct {
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Kind     string       `json:"kind"`
	From     []string     `json:"from"`
	Communes []newCommune `json:"communes"`
}

// Reorg is the converted 2025 list.
type Reorg struct {
	TSV                 []byte
	Provinces, Communes int
}

// ConvertReorg turns the 2025 list into the table geo embeds as
// reorg.tsv.gz, one unit a line, tab-separated:
//
//	1 <code> <name> <type> <old province codes, comma-separated>
//	3 <code> <name> <type> <province code> <old commune codes> <old codes split between units>
//
// Names are without their type, as in the old table ("Đức Xuân", type
// "Phường"); a centrally-run city's type is "Thành phố Trung ương".
func ConvertReorg(jsonData []byte) (*Reorg, error) {
	var src struct {
		Provinces []newProvince `json:"provinces"`
	}
	if err := json.Unmarshal(jsonData, &src); err != nil {
		return nil, fmt.Errorf("dvhcvn: 2025 list: %w", err)
	}
	if len(src.Provinces) == 0 {
		return nil, fmt.Errorf("dvhcvn: 2025 list has no provinces")
	}
	provs := slices.Clone(src.Provinces)
	slices.SortFunc(provs, func(a, b newProvince) int { return strings.Compare(a.Code, b.Code) })
	var b strings.Builder
	b.WriteString("# units from 2025-07-01: level, code, name, type, then for a province its old provinces, for a commune its province, old communes and the old communes split\n")
	res := &Reorg{}
	for _, p := range provs {
		typ := p.Kind
		if typ == "Thành phố trực thuộc trung ương" {
			typ = "Thành phố Trung ương"
		}
		name, ok := strings.CutPrefix(p.Name, prefix(typ)+" ")
		if len(p.Code) != 2 || !ok || name == "" || len(p.From) == 0 {
			return nil, fmt.Errorf("dvhcvn: 2025 province %q %q %q", p.Code, p.Name, p.Kind)
		}
		fmt.Fprintf(&b, "1\t%s\t%s\t%s\t%s\n", p.Code, name, typ, strings.Join(p.From, ","))
		res.Provinces++
		cs := slices.Clone(p.Communes)
		slices.SortFunc(cs, func(a, b newCommune) int { return strings.Compare(a.Code, b.Code) })
		for _, c := range cs {
			name, ok := strings.CutPrefix(c.Name, c.Kind+" ")
			if len(c.Code) != 5 || !ok || name == "" {
				return nil, fmt.Errorf("dvhcvn: 2025 commune %q %q %q", c.Code, c.Name, c.Kind)
			}
			from := slices.Sorted(slices.Values(c.From))
			part := slices.Sorted(slices.Values(c.Partial))
			fmt.Fprintf(&b, "3\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Code, name, c.Kind, p.Code, strings.Join(from, ","), strings.Join(part, ","))
			res.Communes++
		}
	}
	res.TSV = []byte(b.String())
	return res, nil
}
