package legacy

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Encoding names a way Vietnamese text was written.
type Encoding int

// Encodings. ASCII means there is nothing to decode (and nothing to tell
// the encodings apart by); Unicode means the text is already Unicode and
// only needs NFC.
const (
	ASCII Encoding = iota
	Unicode
	TCVN3
	VNI
	VISCII
	CP1258
)

// Encodings lists the encodings Detect chooses among, in the order it
// prefers them on a tie.
var Encodings = []Encoding{Unicode, CP1258, TCVN3, VNI, VISCII}

// String returns the encoding's usual name.
func (e Encoding) String() string {
	switch e {
	case ASCII:
		return "ASCII"
	case Unicode:
		return "Unicode"
	case TCVN3:
		return "TCVN3 (ABC)"
	case VNI:
		return "VNI-Windows"
	case VISCII:
		return "VISCII"
	case CP1258:
		return "Windows-1258"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Legacy reports whether e is one of the pre-Unicode encodings.
func (e Encoding) Legacy() bool { return e >= TCVN3 && e <= CP1258 }

// cp1252 maps the runes that Windows-1252 puts at bytes 0x80–0x9F back to
// those bytes: a legacy-font cell that went through an ANSI code page on
// its way into a workbook arrives with them instead of U+0080–U+009F.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// Bytes returns the legacy bytes s stands for, and false when s cannot be
// legacy text: a string that is not valid UTF-8 is its own bytes; a valid
// one must have every rune below 256 (or one of Windows-1252's
// 0x80–0x9F runes), each standing for one byte.
func Bytes(s string) ([]byte, bool) {
	if !utf8.ValidString(s) {
		return []byte(s), true
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 256:
			b = append(b, byte(r))
		case cp1252[r] != 0:
			b = append(b, cp1252[r])
		default:
			return nil, false
		}
	}
	return b, true
}

// Decode returns s, written in enc, as Unicode NFC. For ASCII and Unicode
// it only normalises (invalid UTF-8 becomes U+FFFD); for a legacy encoding
// it reads s as legacy bytes (see Bytes) and, when s cannot be legacy text
// (it has runes beyond U+00FF), returns it normalised as it is.
func Decode(s string, enc Encoding) string {
	if !enc.Legacy() {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		return norm.NFC.String(s)
	}
	b, ok := Bytes(s)
	if !ok {
		return norm.NFC.String(s)
	}
	return DecodeBytes(b, enc)
}

// DecodeBytes returns the bytes b, written in enc, as Unicode NFC. A byte
// the encoding does not define becomes U+FFFD.
func DecodeBytes(b []byte, enc Encoding) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	switch enc {
	case TCVN3, VISCII, CP1258:
		t := table(enc)
		for _, c := range b {
			sb.WriteRune(t[c])
		}
	case VNI:
		decodeVNI(&sb, b)
	default:
		return Decode(string(b), enc)
	}
	return norm.NFC.String(sb.String())
}

// table returns the byte table of a single-byte encoding.
func table(enc Encoding) *[256]rune {
	switch enc {
	case TCVN3:
		return &tcvn3Table
	case VISCII:
		return &visciiTable
	case CP1258:
		return &cp1258Table
	}
	return nil
}

// tones are the five combining tone marks.
const tones = "\u0300\u0301\u0303\u0309\u0323"

// encoders maps each rune an encoding can write directly to its byte.
var encoders = map[Encoding]map[rune]byte{}

func init() {
	for _, enc := range []Encoding{TCVN3, VISCII, CP1258} {
		m := map[rune]byte{}
		t := table(enc)
		for b := 255; b >= 0; b-- { // lower bytes win, as iconv's encoder does
			if t[b] != utf8.RuneError {
				m[t[b]] = byte(b)
			}
		}
		encoders[enc] = m
	}
}

// Encode writes s in enc: the inverse of Decode, used by the tests and to
// build legacy test files. A letter the encoding has no byte for is written
// as its toneless letter followed by the combining tone byte when the
// encoding has one (TCVN3, Windows-1258); otherwise Encode fails.
func Encode(s string, enc Encoding) ([]byte, error) {
	s = norm.NFC.String(s)
	if !enc.Legacy() {
		return []byte(s), nil
	}
	if enc == VNI {
		return encodeVNI(s)
	}
	m := encoders[enc]
	var out []byte
	for _, r := range s {
		if b, ok := m[r]; ok {
			out = append(out, b)
			continue
		}
		// Write the toneless letter, then the tone as a combining byte.
		d := norm.NFD.String(string(r))
		if i := strings.IndexAny(d, tones); i >= 0 {
			tone, size := utf8.DecodeRuneInString(d[i:])
			base := []rune(norm.NFC.String(d[:i] + d[i+size:]))
			if len(base) == 1 {
				bb, ok1 := m[base[0]]
				tb, ok2 := m[tone]
				if ok1 && ok2 {
					out = append(out, bb, tb)
					continue
				}
			}
		}
		return nil, fmt.Errorf("legacy: %s has no code for %q", enc, r)
	}
	return out, nil
}
