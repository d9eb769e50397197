package legacy

import (
	"fmt"
	"strings"
	"unicode"
)

// vniLower is the VNI-Windows layout of the 67 lower-case Vietnamese
// letters, written by hand from the VNI specification: a letter is its
// base letter followed by one byte for its shape and tone together (the
// bytes are given here as the Latin-1 characters the VNI fonts draw over),
// except ơ, ư, đ and the i-letters and ỵ, which have one byte of their own.
// Upper case is the same with both bytes in upper case (vniUpper).
var vniLower = []struct{ letter, vni string }{
	{"á", "aù"}, {"à", "aø"}, {"ả", "aû"}, {"ã", "aõ"}, {"ạ", "aï"},
	{"ă", "aê"}, {"ắ", "aé"}, {"ằ", "aè"}, {"ẳ", "aú"}, {"ẵ", "aü"}, {"ặ", "aë"},
	{"â", "aâ"}, {"ấ", "aá"}, {"ầ", "aà"}, {"ẩ", "aå"}, {"ẫ", "aã"}, {"ậ", "aä"},
	{"é", "eù"}, {"è", "eø"}, {"ẻ", "eû"}, {"ẽ", "eõ"}, {"ẹ", "eï"},
	{"ê", "eâ"}, {"ế", "eá"}, {"ề", "eà"}, {"ể", "eå"}, {"ễ", "eã"}, {"ệ", "eä"},
	{"í", "í"}, {"ì", "ì"}, {"ỉ", "æ"}, {"ĩ", "ó"}, {"ị", "ò"},
	{"ó", "où"}, {"ò", "oø"}, {"ỏ", "oû"}, {"õ", "oõ"}, {"ọ", "oï"},
	{"ô", "oâ"}, {"ố", "oá"}, {"ồ", "oà"}, {"ổ", "oå"}, {"ỗ", "oã"}, {"ộ", "oä"},
	{"ơ", "ô"}, {"ớ", "ôù"}, {"ờ", "ôø"}, {"ở", "ôû"}, {"ỡ", "ôõ"}, {"ợ", "ôï"},
	{"ú", "uù"}, {"ù", "uø"}, {"ủ", "uû"}, {"ũ", "uõ"}, {"ụ", "uï"},
	{"ư", "ö"}, {"ứ", "öù"}, {"ừ", "öø"}, {"ử", "öû"}, {"ữ", "öõ"}, {"ự", "öï"},
	{"ý", "yù"}, {"ỳ", "yø"}, {"ỷ", "yû"}, {"ỹ", "yõ"}, {"ỵ", "î"},
	{"đ", "ñ"},
}

var (
	vniDecode1 = map[byte]rune{}    // one-byte letters
	vniDecode2 = map[[2]byte]rune{} // base byte + mark byte
	vniEncode  = map[rune][]byte{}
)

// latin1 returns the Latin-1 bytes of s (every rune of the table is < 256).
func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 255 {
			panic(fmt.Sprintf("legacy: %q is not Latin-1", s))
		}
		b = append(b, byte(r))
	}
	return b
}

func init() {
	for _, e := range vniLower {
		lower := []rune(e.letter)[0]
		upper := unicode.ToUpper(lower)
		lb, ub := latin1(e.vni), latin1(strings.ToUpper(e.vni))
		vniEncode[lower], vniEncode[upper] = lb, ub
		if len(lb) == 1 {
			vniDecode1[lb[0]], vniDecode1[ub[0]] = lower, upper
			continue
		}
		vniDecode2[[2]byte{lb[0], lb[1]}] = lower
		vniDecode2[[2]byte{ub[0], ub[1]}] = upper
		// Tolerate a mark typed in the other case than its base letter
		// (a title-case word, Caps Lock): the base letter decides the case.
		if _, taken := vniDecode2[[2]byte{lb[0], ub[1]}]; !taken {
			vniDecode2[[2]byte{lb[0], ub[1]}] = lower
		}
		if _, taken := vniDecode2[[2]byte{ub[0], lb[1]}]; !taken {
			vniDecode2[[2]byte{ub[0], lb[1]}] = upper
		}
	}
}

// decodeVNI writes the VNI bytes b as Unicode (not yet NFC): the longest
// match of the table at each byte, else the byte as Latin-1.
func decodeVNI(sb *strings.Builder, b []byte) {
	for i := 0; i < len(b); i++ {
		if i+1 < len(b) {
			if r, ok := vniDecode2[[2]byte{b[i], b[i+1]}]; ok {
				sb.WriteRune(r)
				i++
				continue
			}
		}
		if r, ok := vniDecode1[b[i]]; ok {
			sb.WriteRune(r)
			continue
		}
		sb.WriteRune(rune(b[i]))
	}
}

// encodeVNI writes NFC s in VNI-Windows.
func encodeVNI(s string) ([]byte, error) {
	var out []byte
	for _, r := range s {
		switch b, ok := vniEncode[r]; {
		case ok:
			out = append(out, b...)
		case r < 0x80:
			out = append(out, byte(r))
		default:
			return nil, fmt.Errorf("legacy: VNI-Windows has no code for %q", r)
		}
	}
	return out, nil
}
