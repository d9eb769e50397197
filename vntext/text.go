package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode NFC.
//
// Vietnamese text arrives both precomposed (most keyboards) and decomposed
// (some macOS and Unikey settings, copy-paste from PDFs); two names that look
// identical must also compare equal as strings, so everything stored should
// pass through NFC.
func NFC(s string) string {
	return norm.NFC.String(s)
}

// Clean returns s in NFC, trimmed, with internal runs of whitespace collapsed
// to one space.
//
// It is the canonical form for names and free text typed into forms or
// imported from spreadsheets, where stray double spaces, tabs and
// non-breaking spaces are common and invisible to the officer.
func Clean(s string) string {
	return collapseSpace(norm.NFC.String(s))
}

// collapseSpace trims s and replaces every run of Unicode whitespace with a
// single ASCII space. It returns s unchanged (no allocation) when s is
// already clean, which is the common case.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether s has no leading or trailing whitespace, no
// whitespace other than ASCII space, and no two spaces in a row.
func isCollapsed(s string) bool {
	prevSpace := true // so that a leading space is rejected
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case unicode.IsSpace(r):
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// Fold is the search key: NFD, drop combining marks (unicode.Mn), map đ/Đ and
// the look-alikes ð/Ð/ɖ/Ɖ to d, lowercase, then Clean.
//
// Officers search without diacritics ("dang duc thang" must find
// "Đặng Đức Thắng") and imported data mixes NFC and NFD, so matching is done
// on this key rather than on the stored text. đ has no Unicode decomposition,
// hence the explicit mapping; ð and Ɖ are included because legacy fonts and
// keyboards sometimes produce them instead of Đ. Fold is stateless and safe
// for concurrent use.
func Fold(s string) string {
	// Lowercase first: a lowercase form may decompose where the uppercase
	// one does not, and decomposing last keeps Fold idempotent.
	d := norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð' || r == 'ɖ' || r == 'Ɖ':
			r = 'd'
		}
		b.WriteRune(r)
	}
	return Clean(b.String())
}
