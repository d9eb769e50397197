package vntext

import (
	"bytes"
	"unicode"
)

// A person key (PersonSortKey) is three escaped parts: the given name, the
// rest, the whole name. The helpers here let a store find, by ranges of the
// key, the people whose folded name parts start with a folded prefix,
// without reading anyone else: the part of every such name starts with one
// of a few byte prefixes, the primary-level keys of the prefix's spellings.

// foldVariants are the letters that Fold merges but the Vietnamese collation
// keeps apart at the primary level: a, ă, â are three letters, d and đ two
// (ð and ɖ, which Fold also turns into d, sort as letters of their own), and
// so on. Tones are secondary differences and need no variants.
var foldVariants = map[rune][]string{
	'a': {"a", "ă", "â"},
	'd': {"d", "đ", "ð", "ɖ"},
	'e': {"e", "ê"},
	'o': {"o", "ô", "ơ"},
	'u': {"u", "ư"},
}

// PersonKeyGiven returns the leading part of a PersonSortKey that belongs to
// the given name. The keys of people whose given names are the same but for
// case share it, no other key starts with it, and keys sort by it first; ok
// is false for a key that is not a person key.
func PersonKeyGiven(key []byte) (part []byte, ok bool) {
	for i := 0; i+1 < len(key); i++ {
		if key[i] != 0 {
			continue
		}
		if key[i+1] == 0x01 {
			return key[:i+2], true
		}
		i++ // an escaped 0x00 (0x00 0xFF)
	}
	return nil, false
}

// PersonKeyPrefixes returns byte prefixes for a folded text prefix (as made
// by Fold): the part of a PersonSortKey for a given name, or for the rest of
// a name, starts with one of them whenever the Fold of that name part
// starts with folded. They are the escaped primary keys of folded's
// Vietnamese spellings (a, ă, â …), so other names can start with them too:
// a caller narrows a search with them and still checks the folded text.
//
// At most max prefixes are returned (max ≥ 1): a folded text with more
// spellings is shortened until it has few enough, which widens the
// prefixes but keeps every match. So is a text with a digit, from the digit
// on (digit runs are keyed by their value, not digit by digit). The empty
// text gives one empty prefix.
func PersonKeyPrefixes(folded string, max int) [][]byte {
	ps, _ := personKeyPrefixes(folded, max)
	return ps
}

// PersonKeyWordPrefixes is PersonKeyPrefixes for a whole name part: the
// part of a PersonSortKey for a given name, or for the rest of a name,
// whose Fold is exactly folded starts with one of them (its primary level
// ends there). A text shortened for max gives the wider prefixes of
// PersonKeyPrefixes.
func PersonKeyWordPrefixes(folded string, max int) [][]byte {
	ps, whole := personKeyPrefixes(folded, max)
	if whole {
		for i, p := range ps {
			ps[i] = append(p, 0x00, 0xFF, 0x00, 0xFF) // the level separator 0x00 0x00, escaped
		}
	}
	return ps
}

// personKeyPrefixes returns the prefixes and whether they are of the whole
// of folded.
func personKeyPrefixes(folded string, max int) ([][]byte, bool) {
	spellings := []string{""}
	whole := true
	for _, r := range folded {
		if unicode.IsDigit(r) {
			whole = false
			break
		}
		alts, ok := foldVariants[r]
		if !ok {
			alts = []string{string(r)}
		}
		if len(spellings)*len(alts) > max {
			whole = false
			break
		}
		next := make([]string, 0, len(spellings)*len(alts))
		for _, s := range spellings {
			for _, a := range alts {
				next = append(next, s+a)
			}
		}
		spellings = next
	}
	out := make([][]byte, 0, len(spellings))
	withCollators(func(c *collators) {
		for _, s := range spellings {
			p := primaryLevel(c.noCase.KeyFromString(&c.buf, s))
			e := appendEscaped(nil, p)
			out = append(out, e[:len(e)-2]) // without the terminator: a prefix
		}
	})
	// Spellings can share a key (letters the collation does not tell
	// apart); the callers want each range once.
	uniq := out[:0]
	for _, p := range out {
		dup := false
		for _, q := range uniq {
			if bytes.Equal(p, q) {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, p)
		}
	}
	return uniq, whole
}

// primaryLevel returns the primary weights at the start of a collation key
// (golang.org/x/text/collate): weights of two bytes, or three when the first
// has its high bit set, ended by 0x00 0x00 before the secondary level.
// The primary weights of a text are those of its characters in order, so
// the primary level of a prefix is a prefix of the text's.
func primaryLevel(k []byte) []byte {
	i := 0
	for i+1 < len(k) {
		if k[i] == 0 && k[i+1] == 0 {
			return k[:i]
		}
		if k[i]&0x80 != 0 {
			i += 3
		} else {
			i += 2
		}
	}
	return k[:min(i, len(k))]
}
