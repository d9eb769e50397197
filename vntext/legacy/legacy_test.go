package legacy

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// letters returns the 134 Vietnamese letters with diacritics (and đ, Đ),
// lower then upper case.
func letters() []string {
	var out []string
	for _, base := range []string{"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"} {
		for _, tone := range []string{"", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"} {
			if tone == "" && (base == "a" || base == "e" || base == "i" || base == "o" || base == "u" || base == "y") {
				continue
			}
			out = append(out, norm.NFC.String(base+tone))
		}
	}
	out = append(out, "đ")
	n := len(out)
	for _, l := range out[:n] {
		out = append(out, strings.ToUpper(l))
	}
	return out
}

const sample = "Nguyễn Văn Đức, Hoàng Thị Thuý Hằng, Phạm Quốc Việt - ở Bắc Kạn: Công đoàn cơ sở Trường Tiểu học Xuất Hóa"

func latin1String(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func TestLetterCount(t *testing.T) {
	if n := len(letters()); n != 134 {
		t.Fatalf("%d letters, want 134", n)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, enc := range []Encoding{TCVN3, VNI, VISCII, CP1258} {
		for _, text := range append(letters(), sample, strings.ToLower(sample)) {
			if enc == TCVN3 && strings.ToUpper(text) == text && strings.ToLower(text) != text {
				// TCVN3 has codes for some upper-case toned letters only
				// (the rest live in the upper-case fonts): skip what it cannot write.
				if _, err := Encode(text, enc); err != nil {
					continue
				}
			}
			b, err := Encode(text, enc)
			if err != nil {
				t.Errorf("%v: Encode(%q): %v", enc, text, err)
				continue
			}
			if got := DecodeBytes(b, enc); got != text {
				t.Errorf("%v: DecodeBytes(Encode(%q)) = %q", enc, text, got)
			}
			// The same bytes as the code points of an .xlsx cell.
			if got := Decode(latin1String(b), enc); got != text {
				t.Errorf("%v: Decode(latin-1 of Encode(%q)) = %q", enc, text, got)
			}
		}
	}
}

func TestKnownForms(t *testing.T) {
	for _, tc := range []struct {
		enc      Encoding
		in, want string
	}{
		{TCVN3, "NguyÔn V¨n §øc", "Nguyễn Văn Đức"},
		{VNI, "Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức"},
		{VNI, "NGUYEÃN VAÊN ÑÖÙC", "NGUYỄN VĂN ĐỨC"},
		{VNI, "Thuyû Myõ Kyø Ñaïi", "Thuỷ Mỹ Kỳ Đại"},
		{VNI, "Aán Ñoä", "Ấn Độ"}, // mark in the other case than its base
		{VNI, "AÁn ÑOÄ", "Ấn ĐỘ"},
		{Unicode, "Nguye\u0302\u0303n", "Nguyễn"},
		{ASCII, "Nguyen Van Duc", "Nguyen Van Duc"},
		{TCVN3, "Trần", "Trần"}, // already Unicode beyond U+00FF: left as it is
		{Unicode, "a\xffb", "a\uFFFDb"},
	} {
		if got := Decode(tc.in, tc.enc); got != tc.want {
			t.Errorf("Decode(%q, %v) = %q, want %q", tc.in, tc.enc, got, tc.want)
		}
	}
	// Windows-1252's runes for bytes 0x80–0x9F stand for those bytes.
	b, _ := Encode("Ở ĐÂY", VISCII)
	s := strings.Map(func(r rune) rune {
		for k, v := range cp1252 {
			if rune(v) == r {
				return k
			}
		}
		return r
	}, latin1String(b))
	if got := Decode(s, VISCII); got != "Ở ĐÂY" {
		t.Errorf("VISCII through cp1252 = %q", got)
	}
}

// TestTablesAgainstIconv asks glibc's iconv again about every byte.
func TestTablesAgainstIconv(t *testing.T) {
	if testing.Short() {
		t.Skip("768 iconv runs")
	}
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Skip("no iconv")
	}
	for _, tc := range []struct {
		enc  Encoding
		name string
	}{{TCVN3, "TCVN5712-1"}, {VISCII, "VISCII"}, {CP1258, "CP1258"}} {
		tbl := table(tc.enc)
		for b := 0; b < 256; b++ {
			cmd := exec.Command("iconv", "-f", tc.name, "-t", "UTF-8")
			cmd.Stdin = bytes.NewReader([]byte{byte(b)})
			out, err := cmd.Output()
			want := utf8.RuneError
			if err == nil && len(out) > 0 {
				want, _ = utf8.DecodeRune(out)
			}
			if tbl[b] != want {
				t.Errorf("%s byte %#02x: table %U, iconv %U", tc.name, b, tbl[b], want)
			}
		}
		// And the other way: iconv's encoding of the sample decodes back.
		cmd := exec.Command("iconv", "-f", "UTF-8", "-t", tc.name)
		cmd.Stdin = strings.NewReader(sample)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("iconv -t %s: %v", tc.name, err)
		}
		if got, want := DecodeBytes(out, tc.enc), sample; got != want {
			t.Errorf("%s: iconv's bytes decode to %q", tc.name, got)
		}
	}
}

// TestVNIAgainstNPM compares the hand-written VNI table with npm's
// vietnamese-conversion, installed by
// `npm install --prefix testdata/npm` (skipped when absent).
func TestVNIAgainstNPM(t *testing.T) {
	dir, _ := filepath.Abs("testdata/npm")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "vietnamese-conversion")); err != nil {
		t.Skip("npm package vietnamese-conversion not installed: npm ci --prefix vntext/legacy/testdata/npm")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	in := append(letters(), sample)
	js, _ := json.Marshal(in)
	script := `const v=require("vietnamese-conversion");
const xs=JSON.parse(require("fs").readFileSync(0,"utf8"));
console.log(JSON.stringify(xs.map(x=>{const e=v.toVNI(x,"unicode");return [e,v.toUnicode(e,"vni")]})));`
	cmd := exec.Command("node", "-e", script)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(js)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got [][2]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	// npm's table writes ỷ as "ë" and ỹ as "ì" (Ỷ, Ỹ likewise), where the
	// VNI layout has "yû" and "yõ": "ì" is already ì, so npm's own
	// toUnicode(toVNI("ì")) gives "ỹ". Those four letters are checked
	// against the layout only.
	npmDiffers := map[string]bool{"ỷ": true, "ỹ": true, "Ỷ": true, "Ỹ": true}
	for i, text := range in {
		if npmDiffers[text] {
			continue
		}
		mine, err := Encode(text, VNI)
		if err != nil {
			t.Errorf("Encode(%q): %v", text, err)
			continue
		}
		if latin1String(mine) != got[i][0] {
			t.Errorf("%q: ours %q, npm %q", text, latin1String(mine), got[i][0])
		}
		if dec := Decode(got[i][0], VNI); dec != text {
			t.Errorf("npm's VNI %q decodes to %q, want %q", got[i][0], dec, text)
		}
	}
}

func TestSyllable(t *testing.T) {
	for _, w := range strings.Fields("Nguyễn văn đức hoàng thị thuý thúy hằng phạm quốc việt gì giữa nghiêng khuya quyết huỳnh oanh ngoằn thuở A ô ừ") {
		if !Syllable(w) {
			t.Errorf("Syllable(%q) = false", w)
		}
	}
	for _, w := range strings.Fields("NguyÔn V¨n §øc Nguyeãn Vaên xyz hoạn̉ bàc tàp str ngr ă qua̧") {
		if Syllable(w) {
			t.Errorf("Syllable(%q) = true", w)
		}
	}
}

func TestDetect(t *testing.T) {
	names := []string{"Nguyễn Văn Đức", "Hoàng Thị Thuý Hằng", "Lê Hà", "Phạm Quốc Việt", "Đặng Thị Mỹ Lệ"}
	for _, enc := range []Encoding{TCVN3, VNI, VISCII, CP1258} {
		var col []string
		for _, n := range names {
			b, err := Encode(n, enc)
			if err != nil {
				t.Fatal(err)
			}
			col = append(col, latin1String(b))
		}
		if got, c := Detect(col); got != enc || c < 0.99 {
			t.Errorf("Detect(%v names) = %v, %.2f", enc, got, c)
		}
	}
	if got, c := Detect(names); got != Unicode || c < 0.99 {
		t.Errorf("Detect(Unicode) = %v, %.2f", got, c)
	}
	if got, c := Detect([]string{"Nguyen Van Duc", "123"}); got != ASCII || c != 0 {
		t.Errorf("Detect(ASCII) = %v, %.2f", got, c)
	}
	nfd := []string{norm.NFD.String("Nguyễn Văn Đức")}
	if d := DetectDetail(nfd); d.Encoding != Unicode || !d.NFD || d.Decode(nfd[0]) != "Nguyễn Văn Đức" {
		t.Errorf("DetectDetail(NFD) = %+v", d)
	}
	// An upper-case TCVN3 font: lower-case codes among upper-case letters.
	upper := []string{"NGUYÔN V¨N §øC", "HOµNG THÞ H»NG", "PH¹M QUèC VIÖT"}
	d := DetectDetail(upper)
	if d.Encoding != TCVN3 || !d.UpperFont {
		t.Fatalf("DetectDetail(upper TCVN3) = %+v", d)
	}
	if got := d.Decode(upper[0]); got != "NGUYỄN VĂN ĐỨC" {
		t.Errorf("upper font decodes to %q", got)
	}
}

func TestDetectColumns(t *testing.T) {
	rows := [][]string{
		{"1", "NguyÔn V¨n §øc", "Nguyeãn Vaên Ñöùc", "Hà Nội"},
		{"2", "Hoµng ThÞ H»ng", "Hoaøng Thò Haèng"},
		{"3", "PhÝ Träng", "Phaïm Quoác Vieät", "Bắc Kạn"},
	}
	want := []Encoding{ASCII, TCVN3, VNI, Unicode}
	got := DetectColumns(rows)
	if len(got) != len(want) {
		t.Fatalf("%d columns", len(got))
	}
	for i := range want {
		if got[i].Encoding != want[i] {
			t.Errorf("column %d: %v, want %v", i, got[i].Encoding, want[i])
		}
	}
}
