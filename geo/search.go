package geo

import (
	"cmp"
	"slices"
	"strings"

	"congdoan/vntext"
)

// SearchCommunes returns the communes of the list the registry records
// (before 1/7/2025) that match q, for a type-ahead picker: a five-digit
// code exactly, or every word of q the beginning of a word of the
// commune's, its district's or its province's name, in any order,
// diacritics ignored ("bang lung", "bằng lũng chợ đồn"). Communes whose
// name begins with q come first, then those whose own name holds every
// word, then those of the province prefer (a two-digit code; "" for
// none), then code order. At most limit.
func (a *Atlas) SearchCommunes(q, prefer string, limit int) []Unit {
	q = strings.Join(strings.Fields(vntext.Fold(q)), " ")
	if q == "" || limit <= 0 {
		return nil
	}
	if u, ok := a.level(q, Commune); ok {
		return []Unit{u}
	}
	qw := strings.Fields(q)
	type hit struct {
		u        Unit
		rank     int
		province string
	}
	var hits []hit
	for _, c := range a.communeIndex() {
		if !allPrefixes(c.words, qw) {
			continue
		}
		rank := 2
		switch {
		case strings.HasPrefix(c.name, q):
			rank = 0
		case allPrefixes(c.words[:c.nameWords], qw):
			rank = 1
		}
		hits = append(hits, hit{c.u, rank, c.province})
	}
	slices.SortFunc(hits, func(x, y hit) int {
		return cmp.Or(cmp.Compare(x.rank, y.rank), boolFirst(x.province == prefer, y.province == prefer), strings.Compare(x.u.Code, y.u.Code))
	})
	out := make([]Unit, 0, min(len(hits), limit))
	for _, h := range hits[:min(len(hits), limit)] {
		out = append(out, h.u)
	}
	return out
}

// communeEntry is a commune with its folded names, for SearchCommunes.
type communeEntry struct {
	u         Unit
	name      string   // the commune's name, folded
	words     []string // its words, then its district's and province's
	nameWords int      // how many of words are the commune's own
	province  string   // the province's code
}

// communeIndex folds the communes' names once, on the first search.
func (a *Atlas) communeIndex() []communeEntry {
	a.searchOnce.Do(func() {
		for _, u := range a.units {
			if u.Level != Commune {
				continue
			}
			d := a.units[u.ParentCode]
			p := a.units[d.ParentCode]
			name := vntext.Fold(u.Name)
			own := strings.Fields(name)
			words := append(own, strings.Fields(vntext.Fold(d.Name)+" "+vntext.Fold(p.Name))...)
			a.communes = append(a.communes, communeEntry{u: u, name: name, words: words, nameWords: len(own), province: p.Code})
		}
	})
	return a.communes
}

// allPrefixes reports whether every query word begins a word of words.
func allPrefixes(words, qw []string) bool {
	for _, w := range qw {
		if !slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) }) {
			return false
		}
	}
	return true
}

func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
