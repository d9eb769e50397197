package legacy

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"NguyÔn V¨n §øc", "Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức", "", "\xff\xfe", "a\u0301", "AÁn ÑOÄ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, enc := range append([]Encoding{ASCII}, Encodings...) {
			out := Decode(s, enc)
			if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
				t.Fatalf("Decode(%q, %v) = %q: not valid NFC", s, enc, out)
			}
			// What decodes from Unicode encodes back to the same text.
			if enc.Legacy() {
				if b, err := Encode(out, enc); err == nil {
					if back := DecodeBytes(b, enc); back != out {
						t.Fatalf("%v: %q encodes to %q, decodes to %q", enc, out, b, back)
					}
				}
			}
		}
		d := DetectDetail([]string{s, s})
		if d.Confidence < 0 || d.Confidence > 1 {
			t.Fatalf("DetectDetail(%q) confidence %v", s, d.Confidence)
		}
		if out := d.Decode(s); !utf8.ValidString(out) {
			t.Fatalf("Detection.Decode(%q) = %q", s, out)
		}
		Syllable(s)
	})
}
