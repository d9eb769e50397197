package report

import (
	"bytes"
	"congdoan"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

var (
	update = flag.Bool("update", false, "rewrite the golden files in testdata/")
	pngDir = flag.String("pngdir", "", "keep the PNG pages rendered by pdftoppm in this directory, to look at them")
)

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the rendering (run go test ./report -update after checking):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing line, enough to see what changed.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}

// renderXLSX writes r and opens the result again with excelize.
func renderXLSX(t *testing.T, r *Report) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// dumpXLSX is a text dump of a workbook: per sheet the layout (panes, page
// setup, column widths, merges) and every non-empty cell with its type, raw
// value and number format. Zip timestamps make byte comparison useless.
func dumpXLSX(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "defined %s [%s] = %s\n", dn.Name, dn.Scope, dn.RefersTo)
	}
	for _, sh := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== sheet %q\n", sh)
		p, err := f.GetPanes(sh)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "panes freeze=%v x=%d y=%d top=%s\n", p.Freeze, p.XSplit, p.YSplit, p.TopLeftCell)
		pl, err := f.GetPageLayout(sh)
		if err != nil {
			t.Fatal(err)
		}
		props, err := f.GetSheetProps(sh)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "page size=%d orientation=%s fitToWidth=%d fitToHeight=%d fitToPage=%v\n",
			deref(pl.Size), deref(pl.Orientation), deref(pl.FitToWidth), deref(pl.FitToHeight), deref(props.FitToPage))
		if hf, err := f.GetHeaderFooter(sh); err == nil && hf != nil {
			fmt.Fprintf(&b, "footer %q\n", hf.OddFooter)
		}
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var widths []string
		maxCols := 0
		for _, r := range rows {
			maxCols = max(maxCols, len(r))
		}
		for c := 1; c <= maxCols; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			w, _ := f.GetColWidth(sh, name)
			widths = append(widths, fmt.Sprintf("%s=%g", name, w))
		}
		fmt.Fprintf(&b, "widths %s\n", strings.Join(widths, " "))
		merged, _ := f.GetMergeCells(sh)
		for _, m := range merged {
			fmt.Fprintf(&b, "merged %s:%s\n", m.GetStartAxis(), m.GetEndAxis())
		}
		for ri, r := range rows {
			for ci, v := range r {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				typ, _ := f.GetCellType(sh, cell)
				kind := "n"
				if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					kind = "s"
				}
				fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", cell, kind, strconv.Quote(v), cellFormat(t, f, sh, cell))
			}
		}
	}
	return b.String()
}

// deref prints nil pointers as the zero value.
func deref[T any](p *T) T {
	var z T
	if p == nil {
		return z
	}
	return *p
}

// cellFormat is the number format of a cell ("General" if none).
func cellFormat(t *testing.T, f *excelize.File, sh, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sh, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	if st.NumFmt == 0 {
		return "General"
	}
	return fmt.Sprintf("builtin:%d", st.NumFmt)
}

func TestXLSXGolden(t *testing.T) {
	f := renderXLSX(t, SampleReport())
	golden(t, "report.xlsx.golden.txt", dumpXLSX(t, f))
}

// TestXLSXCells checks the promises made to people who compute with the
// workbook: figures are numbers, percents are fractions, dates are dates.
func TestXLSXCells(t *testing.T) {
	f := renderXLSX(t, SampleReport())
	if got, want := f.GetSheetList(), []string{SheetIndicators, SheetByUnit, SheetNotes}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	hr := indicatorTableRow
	checks := []struct {
		sheet, cell, raw, format string
	}{
		{SheetIndicators, "B" + fmt.Sprint(hr), "Chỉ tiêu", "General"},
		{SheetIndicators, "D" + fmt.Sprint(hr+1), "22807", fmtInt},               // members
		{SheetIndicators, "G" + fmt.Sprint(hr+1), "23000", `"≥ "#,##0" (2025)"`}, // target
		{SheetIndicators, "D" + fmt.Sprint(hr+3), "0.71429", fmtPercent},         // CBA coverage
		{SheetIndicators, "E" + fmt.Sprint(hr+3), "130", fmtInt},
		{SheetIndicators, "F" + fmt.Sprint(hr+3), "182", fmtInt},
		{SheetIndicators, "G" + fmt.Sprint(hr+3), "0.8", `"> "0.0%" (2025)"`},
		{SheetIndicators, "I" + fmt.Sprint(hr+1), "Chậm tiến độ", "General"},
		{SheetIndicators, "C6", "45930", fmtDate}, // 30/09/2025, not 29/09 (UTC shift)
		{SheetByUnit, "B5", "Công đoàn phường Đức Xuân", "General"},
		{SheetByUnit, "D14", "—", "General"}, // missing figure
		{SheetByUnit, "G10", "—", "General"}, // 0/0 rate
	}
	for _, c := range checks {
		v, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if v != c.raw {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, v, c.raw)
		}
		if got := cellFormat(t, f, c.sheet, c.cell); got != c.format {
			t.Errorf("%s!%s format = %q, want %q", c.sheet, c.cell, got, c.format)
		}
	}
	p, _ := f.GetPanes(SheetIndicators)
	if !p.Freeze || p.YSplit != hr || p.XSplit != 2 {
		t.Errorf("panes = %+v, want frozen below the header row and after column B", p)
	}
}

// pdfText renders r and extracts its text with pdftotext -layout.
func pdfText(t *testing.T, r *Report) (pdf []byte, text string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, r); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils): skipping the PDF text checks")
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(buf.Bytes())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return buf.Bytes(), string(out)
}

func TestPDFGolden(t *testing.T) {
	_, text := pdfText(t, SampleReport())
	golden(t, "report.pdf.golden.txt", text)
	if !norm.NFC.IsNormalString(text) {
		t.Error("extracted text is not NFC")
	}
	pages := strings.Count(strings.TrimRight(text, "\f"), "\f") + 1
	for _, want := range []string{
		"Nguyễn Văn Thắng", "Đoàn viên", "Thỏa ước lao động tập thể", "Bắc Kạn", "ĐÃ ĐẠT", "CHẬM TIẾN ĐỘ",
		"Công đoàn phường Đức Xuân", "Công đoàn xã Chợ Rã", "Công đoàn xã Nà Phặc",
		"LIÊN ĐOÀN LAO ĐỘNG TỈNH THÁI NGUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Thái Nguyên, ngày 08 tháng 10 năm 2025", "Số liệu đến ngày 30/09/2025", "Lập lúc 14:05 ngày 08/10/2025",
		"22.807", "≥ 23.000", "71,4 %", "(130 / 182)", "> 80 %", "Cần thêm 65 đoàn viên/tháng",
		"Đã duyệt ngày 10/10/2025 (Nguyễn Văn Thắng) — mã kiểm tra 9f2c4e7a1b3d5f60",
		fmt.Sprintf("Trang 1/%d", pages), fmt.Sprintf("Trang %d/%d", pages, pages),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if strings.Contains(text, "{nb}") {
		t.Error("page-count alias was not replaced")
	}
}

// TestPDFFromNFD feeds decomposed input, as typed on some keyboards: the
// PDF must carry the same (NFC) text as from precomposed input.
func TestPDFFromNFD(t *testing.T) {
	nfd := mapStrings(SampleReport(), norm.NFD.String)
	if nfd.Rows[0].Name == SampleReport().Rows[0].Name {
		t.Fatal("test setup: NFD input equals NFC input")
	}
	_, want := pdfText(t, SampleReport())
	_, got := pdfText(t, nfd)
	if got != want {
		t.Errorf("text from NFD input differs from NFC input:\n%s", firstDiff(want, got))
	}
	if !strings.Contains(got, "Nguyễn") || !norm.NFC.IsNormalString(got) {
		t.Error("text from NFD input is not NFC")
	}
	// Stronger: normalisation happens before drawing, so the files are the
	// same byte for byte.
	var a, b bytes.Buffer
	if err := WritePDF(&a, SampleReport()); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(&b, nfd); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("PDF from NFD input differs from PDF from NFC input")
	}
}

// TestPDFDraft: an unapproved report says so on every page, so a printout
// of a draft is not taken for the approved report.
func TestPDFDraft(t *testing.T) {
	r := SampleReport()
	r.Frozen = nil
	_, text := pdfText(t, r)
	if n := strings.Count(text, "Bản nháp — chưa phê duyệt"); n != 3 {
		t.Errorf("draft mark on %d pages, want 3", n)
	}
	if strings.Contains(text, "Đã duyệt") {
		t.Error("draft shows an approval")
	}
}

// TestPDFDeterministic: the same Report gives the same bytes, so a frozen
// report can be re-rendered and compared.
func TestPDFDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WritePDF(&a, SampleReport()); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(&b, SampleReport()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of the same report differ")
	}
}

// TestPDFRaster renders the pages to PNG. With -pngdir the pages are kept
// for a person to look at; the test checks that poppler can rasterise the
// file and that it has as many pages as the footer says.
func TestPDFRaster(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed (apt-get install poppler-utils): skipping the raster check")
	}
	pdf, text := pdfText(t, SampleReport())
	dir := *pngDir
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "60", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	const wantPages = 3 // the sample: indicators, by-unit table, notes
	if len(pngs) != wantPages {
		t.Errorf("pdftoppm made %d pages, want %d", len(pngs), wantPages)
	}
	if !strings.Contains(text, fmt.Sprintf("Trang %d/%d", wantPages, wantPages)) {
		t.Errorf("footer of the last page does not read Trang %d/%d", wantPages, wantPages)
	}
}

// TestMinimalReport renders a report with nothing but a title: no rows,
// children, notes, dates or approval.
func TestMinimalReport(t *testing.T) {
	r := &Report{Title: "BÁO CÁO"}
	var buf bytes.Buffer
	if err := WritePDF(&buf, r); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
}

// TestOddText feeds text fpdf cannot draw as is (an emoji outside the BMP,
// control characters, an unbreakable long word) and a tall row.
func TestOddText(t *testing.T) {
	r := SampleReport()
	r.Children[0].Name = "Công đoàn 🏭 phường\tĐức Xuân\x01 " + strings.Repeat("Rấtdàikhôngcókhoảngtrắng", 6)
	r.Rows[0].TargetWording = strings.Repeat("Nội dung kế hoạch rất dài. ", 40)
	r.Rows[1].TargetWording = strings.Repeat("Dài hơn một trang. ", 400)
	r.Notes = append(r.Notes, strings.Repeat("Ghi chú dài. ", 300))
	var buf bytes.Buffer
	if err := WritePDF(&buf, r); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	if *pngDir != "" {
		if err := os.WriteFile(filepath.Join(*pngDir, "odd.pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-layout", "-", "-")
		cmd.Stdin = bytes.NewReader(buf.Bytes())
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		// Every page still ends with its own footer: no row ran over it.
		pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
		for i, p := range pages {
			if !strings.Contains(p, fmt.Sprintf("Trang %d/%d", i+1, len(pages))) {
				t.Errorf("page %d lacks its footer", i+1)
			}
		}
		if !strings.Contains(string(out), "…") {
			t.Error("the over-long cell was not cut with …")
		}
	}
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
}

func TestInvalidReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePDF(&buf, nil); err == nil {
		t.Error("WritePDF(nil) succeeded")
	}
	r := SampleReport()
	r.Children[3].Cells = r.Children[3].Cells[:2]
	if err := WriteXLSX(&buf, r); err == nil || !strings.Contains(err.Error(), "BK-CR") {
		t.Errorf("WriteXLSX with a short child row: err = %v, want one naming BK-CR", err)
	}
	if err := WritePDF(&buf, r); err == nil {
		t.Error("WritePDF with a short child row succeeded")
	}
}

// TestNoMutation: rendering normalises a copy, never the caller's Report.
func TestNoMutation(t *testing.T) {
	r := mapStrings(SampleReport(), norm.NFD.String)
	before := r.Rows[0].Name
	if err := WritePDF(&bytes.Buffer{}, r); err != nil {
		t.Fatal(err)
	}
	if r.Rows[0].Name != before {
		t.Error("WritePDF changed the caller's Report")
	}
}

func TestFormats(t *testing.T) {
	ict := congdoan.VietnamTime
	for _, c := range []struct{ got, want string }{
		{pctText(71.429), "71,4 %"},
		{pctText(71.45), "71,5 %"},
		{pctText(100), "100,0 %"},
		{pctText(0), "0,0 %"},
		{pctText(1234.5), "1.234,5 %"},
		{numText(23000), "23.000"},
		{numText(1234.56), "1.234,6"},
		{numText(-0.5), "-0,5"},
		{Row{IsPercent: true, Value: 0}.valueText(), "—"},
		{Row{Comparator: ">=", Target: 23000, TargetYear: 2025}.targetText(), "≥ 23.000"},
		{Row{Comparator: ">", Target: 80, IsPercent: true, TargetYear: 2025}.targetText(), "> 80 %"},
		{placeDateText("Thái Nguyên", time.Date(2026, 11, 24, 14, 5, 0, 0, ict)), "Thái Nguyên, ngày 24 tháng 11 năm 2026"},
		{placeDateText("Bắc Kạn", time.Date(2026, 2, 4, 0, 0, 0, 0, ict)), "Bắc Kạn, ngày 04 tháng 02 năm 2026"},
		{placeDateText("", time.Date(2026, 3, 4, 0, 0, 0, 0, ict)), "ngày 04 tháng 3 năm 2026"},
		{generatedText(time.Date(2026, 11, 24, 14, 5, 0, 0, ict)), "Lập lúc 14:05 ngày 24/11/2026"},
		{approvalText(nil), "Bản nháp — chưa phê duyệt"},
		{roman(4), "IV"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// BenchmarkWritePDF measures rendering the sample, font embedding included.
func BenchmarkWritePDF(b *testing.B) {
	r := SampleReport()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WritePDF(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteXLSX measures rendering the sample workbook.
func BenchmarkWriteXLSX(b *testing.B) {
	r := SampleReport()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
}
