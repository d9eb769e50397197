package legacy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Detection is what Detect found about a set of samples (a column, a file).
type Detection struct {
	Encoding Encoding
	// Confidence is the share of the informative words (those with a
	// letter outside ASCII) that decode to valid Vietnamese syllables in
	// Encoding, from 0 to 1; 0 when there were none (ASCII).
	Confidence float64
	// Words is the number of informative words scored.
	Words int
	// UpperFont is set for TCVN3 text typed in an upper-case ".VnTimeH"
	// style font, which reuses the lower-case codes: the words decode with
	// their accented letters in lower case among upper-case ones
	// ("NGUYễN"). Decode then upper-cases the text, as the font showed it.
	UpperFont bool
	// NFD is set when Unicode text came decomposed (combining marks).
	NFD bool
}

// Decode returns s decoded as d says (see the package Decode), upper-cased
// when d.UpperFont.
func (d Detection) Decode(s string) string {
	out := Decode(s, d.Encoding)
	if d.UpperFont {
		out = strings.ToUpper(out)
	}
	return out
}

// Detect returns the encoding that the samples (cells of one column, or
// lines of one file) were most likely written in and how sure it is: the
// share of informative words that decode to valid Vietnamese syllables.
// Text with nothing outside ASCII is ASCII with confidence 0.
func Detect(samples []string) (Encoding, float64) {
	d := DetectDetail(samples)
	return d.Encoding, d.Confidence
}

// maxWords bounds the work of one detection: more words than this tell
// nothing new.
const maxWords = 2000

// DetectDetail is Detect with the details: the number of words scored,
// the upper-case font, NFD input.
func DetectDetail(samples []string) Detection {
	var words []string // informative words, as given
	nfd := false
	for _, s := range samples {
		if len(words) >= maxWords {
			break
		}
		if !nfd && utf8.ValidString(s) && !norm.NFC.IsNormalString(s) {
			nfd = true
		}
		for _, w := range splitWords(s) {
			if informative(w) {
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		return Detection{Encoding: ASCII}
	}
	best := Detection{Encoding: Unicode, Confidence: -1}
	for _, enc := range Encodings {
		ok, upper := 0, 0
		for _, w := range words {
			if validIn(w, enc) {
				ok++
			}
			if enc == TCVN3 && mixedCase(Decode(w, enc)) {
				upper++
			}
		}
		c := float64(ok) / float64(len(words))
		if c > best.Confidence {
			best = Detection{Encoding: enc, Confidence: c, Words: len(words), UpperFont: enc == TCVN3 && upper*4 >= len(words)}
		}
	}
	if best.Encoding == Unicode {
		best.NFD = nfd
	}
	return best
}

// Score returns how many of the informative words of samples decode to
// valid syllables in enc, out of how many: to weigh one column's own
// evidence against the file's.
func Score(samples []string, enc Encoding) (valid, words int) {
	for _, s := range samples {
		for _, w := range splitWords(s) {
			if !informative(w) {
				continue
			}
			words++
			if validIn(w, enc) {
				valid++
			}
		}
	}
	return valid, words
}

// DetectColumns runs DetectDetail on each column of rows (a row may be
// shorter than others): files mix encodings, typically a name column typed
// in a legacy font next to columns exported as Unicode. A column with
// fewer than 10 accented words takes the encoding of the whole sample when
// that reads it as well.
func DetectColumns(rows [][]string) []Detection {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	out := make([]Detection, n)
	cols := make([][]string, n)
	var all []string
	for _, r := range rows {
		for c, s := range r {
			cols[c] = append(cols[c], s)
		}
		all = append(all, r...)
	}
	file := DetectDetail(all)
	for c := range n {
		out[c] = DetectDetail(cols[c])
		// A column with few accented words (a header, "Nam"/"Nữ") may read
		// as well in two encodings: the file's decides when it reads the
		// column as well as the column's own choice does.
		if d := out[c]; d.Words > 0 && d.Words < 10 && file.Encoding != d.Encoding && file.Encoding != ASCII {
			if ok, words := Score(cols[c], file.Encoding); float64(ok) >= d.Confidence*float64(words) {
				out[c] = Detection{Encoding: file.Encoding, Confidence: float64(ok) / float64(words), Words: words, UpperFont: file.UpperFont, NFD: d.NFD}
			}
		}
	}
	return out
}

// validIn reports whether word w, written in enc, decodes to a valid
// syllable. A word with runes beyond U+00FF cannot be legacy text.
func validIn(w string, enc Encoding) bool {
	if enc.Legacy() {
		if _, ok := Bytes(w); !ok {
			return false
		}
	}
	dec := Decode(w, enc)
	return Syllable(dec) || enc == TCVN3 && Syllable(strings.ToLower(dec))
}

// splitWords splits s at spaces and ASCII punctuation and digits, which
// every candidate encoding leaves as they are.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r < 0x80 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') || r == 0xA0
	})
}

// informative reports whether w has anything beyond ASCII letters.
func informative(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return true
		}
	}
	return false
}

// mixedCase reports whether w has a lower-case non-ASCII letter and an
// upper-case letter after its first: what an upper-case TCVN3 font's text
// looks like once decoded.
func mixedCase(w string) bool {
	lowerAccent, upperInside := false, false
	for i, r := range w {
		if r >= 0x80 && unicode.IsLower(r) {
			lowerAccent = true
		}
		if i > 0 && unicode.IsUpper(r) {
			upperInside = true
		}
	}
	return lowerAccent && upperInside
}
