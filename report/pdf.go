package report

import (
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"congdoan/vntext"
)

// DejaVu Sans is embedded rather than read from the system because the
// servers that render reports need not have fonts installed, and it covers
// every Vietnamese precomposed letter (Bitstream Vera licence, see
// fonts/LICENSE).
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// Page geometry in millimetres (A4 landscape).
const (
	pdfFont      = "DejaVu"
	marginLeft   = 15.0
	marginRight  = 15.0
	marginTop    = 12.0
	marginBottom = 16.0 // room for the footer
	cellPad      = 1.2  // inner padding of table cells
	ptToMM       = 25.4 / 72
)

// WritePDF writes r as an A4 landscape PDF laid out like a Vietnamese
// administrative report: issuer and national motto, place and date, title,
// the indicators table, the by-unit table and the notes, with "Trang N/M"
// and the approval (or a draft warning) in the footer of every page.
//
// The PDF's creation date is r.GeneratedAt, so the same Report always gives
// the same bytes.
func WritePDF(w io.Writer, r *Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "L", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", fontBold)
	pdf.SetTitle(r.Title, true)
	pdf.SetSubject(r.Subtitle, true)
	pdf.SetAuthor(r.Issuer, true)
	pdf.SetCreator("congdoan", true)
	pdf.SetLang("vi-VN")
	pdf.SetCatalogSort(true)
	if !r.GeneratedAt.IsZero() {
		pdf.SetCreationDate(r.GeneratedAt)
		pdf.SetModificationDate(r.GeneratedAt)
	}
	pdf.AliasNbPages("{nb}")

	p := &pdfWriter{pdf: pdf, r: r}
	pdf.SetHeaderFuncMode(p.runningHeader, false)
	pdf.SetFooterFunc(p.footer)
	pdf.AddPage()
	p.heading()
	p.section = 0
	p.indicatorTable()
	p.byUnitTable()
	p.notes()
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	return nil
}

// pdfWriter holds the document and the report while the sections are drawn.
type pdfWriter struct {
	pdf     *fpdf.Fpdf
	r       *Report
	section int
}

// font selects DejaVu in the given style ("" or "B") and size in points.
func (p *pdfWriter) font(style string, size float64) {
	p.pdf.SetFont(pdfFont, style, size)
}

// contentWidth is the printable width of the page.
func (p *pdfWriter) contentWidth() float64 {
	w, _ := p.pdf.GetPageSize()
	return w - marginLeft - marginRight
}

// runningHeader repeats the title and unit at the top of pages after the
// first, so a loose page can still be matched to its report.
func (p *pdfWriter) runningHeader() {
	if p.pdf.PageNo() <= 1 {
		return
	}
	p.font("", 7.5)
	p.pdf.SetTextColor(90, 90, 90)
	parts := []string{p.r.Title, p.r.UnitName, p.r.Period}
	var kept []string
	for _, s := range parts {
		if s != "" {
			kept = append(kept, s)
		}
	}
	p.pdf.SetXY(marginLeft, marginTop-5)
	p.pdf.CellFormat(p.contentWidth(), 4, fitText(p.pdf, strings.Join(kept, " — "), p.contentWidth()), "", 0, "L", false, 0, "")
	p.pdf.SetTextColor(0, 0, 0)
	p.pdf.SetXY(marginLeft, marginTop+1)
}

// footer prints when the report was made, its approval state and the page
// number on every page.
func (p *pdfWriter) footer() {
	pdf := p.pdf
	_, h := pdf.GetPageSize()
	y := h - marginBottom + 5
	pdf.SetDrawColor(160, 160, 160)
	pdf.SetLineWidth(0.2)
	pdf.Line(marginLeft, y-1, marginLeft+p.contentWidth(), y-1)
	p.font("", 7.5)
	pdf.SetTextColor(60, 60, 60)
	var left []string
	if s := generatedText(p.r.GeneratedAt); s != "" {
		left = append(left, s)
	}
	left = append(left, approvalText(p.r.Frozen))
	pageW := 24.0
	pdf.SetXY(marginLeft, y)
	pdf.CellFormat(p.contentWidth()-pageW, 4, fitText(pdf, strings.Join(left, " · "), p.contentWidth()-pageW), "", 0, "L", false, 0, "")
	pdf.CellFormat(pageW, 4, fmt.Sprintf("Trang %d/{nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
}

// heading draws the administrative header: issuer on the left, the national
// name and motto on the right, the place-and-date line, then the title,
// subtitle and the unit/period line.
func (p *pdfWriter) heading() {
	pdf := p.pdf
	cw := p.contentWidth()
	leftW, rightW := cw*0.42, cw*0.5
	rightX := marginLeft + cw - rightW
	top := pdf.GetY()

	// Left block: issuer in capitals, bold, centred, with a short rule
	// under it as on printed documents.
	p.font("B", 10.5)
	pdf.SetXY(marginLeft, top)
	lineH := 5.0
	issuer := strings.ToUpper(p.r.Issuer)
	lines := wrapText(pdf, issuer, leftW)
	for _, l := range lines {
		pdf.SetX(marginLeft)
		pdf.CellFormat(leftW, lineH, l, "", 2, "C", false, 0, "")
	}
	leftBottom := pdf.GetY()
	if len(lines) > 0 {
		ruleW := leftW * 0.3
		pdf.SetLineWidth(0.3)
		pdf.SetDrawColor(0, 0, 0)
		pdf.Line(marginLeft+(leftW-ruleW)/2, leftBottom+0.8, marginLeft+(leftW+ruleW)/2, leftBottom+0.8)
		leftBottom += 2
	}

	// Right block: national name and motto; the motto is underlined with a
	// rule as long as the motto itself.
	pdf.SetXY(rightX, top)
	p.font("B", 10.5)
	pdf.CellFormat(rightW, lineH, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", 2, "C", false, 0, "")
	pdf.SetX(rightX)
	p.font("B", 11)
	motto := "Độc lập - Tự do - Hạnh phúc"
	pdf.CellFormat(rightW, lineH, motto, "", 2, "C", false, 0, "")
	mw := pdf.GetStringWidth(motto)
	y := pdf.GetY() + 0.8
	pdf.SetLineWidth(0.3)
	pdf.Line(rightX+(rightW-mw)/2, y, rightX+(rightW+mw)/2, y)
	pdf.SetXY(rightX, y+2.5)
	p.font("", 10)
	if pd := placeDateText(p.r.Place, p.r.GeneratedAt); pd != "" {
		pdf.CellFormat(rightW, lineH, pd, "", 2, "C", false, 0, "")
	}
	bottom := pdf.GetY()
	if leftBottom > bottom {
		bottom = leftBottom
	}

	// Title and subtitle, centred across the page.
	pdf.SetXY(marginLeft, bottom+6)
	p.font("B", 14)
	p.centred(p.r.Title, cw*0.9, 6.5)
	p.font("", 10.5)
	p.centred(p.r.Subtitle, cw*0.85, 5)
	var info []string
	if u := unitText(p.r); u != "" {
		info = append(info, "Đơn vị: "+u)
	}
	if p.r.Period != "" {
		info = append(info, "Kỳ báo cáo: "+p.r.Period)
	}
	if d := vntext.FormatDate(p.r.AsOf); d != "" {
		info = append(info, "Số liệu đến ngày "+d)
	}
	pdf.SetY(pdf.GetY() + 1.5)
	p.font("", 9.5)
	p.centred(strings.Join(info, " · "), cw, 5)
	pdf.SetY(pdf.GetY() + 3)
}

// centred draws text wrapped to width w and centred on the page.
func (p *pdfWriter) centred(text string, w, lineH float64) {
	if text == "" {
		return
	}
	x := marginLeft + (p.contentWidth()-w)/2
	for _, l := range wrapText(p.pdf, text, w) {
		p.pdf.SetX(x)
		p.pdf.CellFormat(w, lineH, l, "", 2, "C", false, 0, "")
	}
}

// sectionTitle draws a numbered section heading ("I. …"), moving to a new
// page first if the heading would otherwise sit alone at the bottom.
func (p *pdfWriter) sectionTitle(title string, keepWith float64) {
	p.section++
	p.ensureSpace(7 + keepWith)
	p.font("B", 11)
	p.pdf.SetX(marginLeft)
	p.pdf.CellFormat(p.contentWidth(), 7, roman(p.section)+". "+title, "", 2, "L", false, 0, "")
	p.pdf.SetY(p.pdf.GetY() + 1)
}

// ensureSpace starts a new page unless h millimetres are left on this one.
func (p *pdfWriter) ensureSpace(h float64) {
	_, ph := p.pdf.GetPageSize()
	if p.pdf.GetY()+h > ph-marginBottom {
		p.pdf.AddPage()
	}
}

// span is a run of text inside a table cell with its own style, so a cell
// can show the figure in bold and the counts behind it below in regular.
type span struct {
	text  string
	bold  bool
	size  float64 // points; 0 means the table's size
	color [3]int
}

// pdfCol is one column of a PDF table.
type pdfCol struct {
	title string
	width float64
	align string // "L", "C", "R"
}

// pdfTable draws a table whose rows grow to fit wrapped text and whose
// header is repeated at the top of every page the table runs onto.
type pdfTable struct {
	p     *pdfWriter
	cols  []pdfCol
	size  float64 // body font size in points
	lineH float64
}

// newTable returns a table with body text of size points.
func (p *pdfWriter) newTable(cols []pdfCol, size float64) *pdfTable {
	return &pdfTable{p: p, cols: cols, size: size, lineH: size*ptToMM + 1.1}
}

// layout wraps every span of every cell and returns the lines and the row
// height.
func (t *pdfTable) layout(cells [][]span) ([][][]string, float64) {
	out := make([][][]string, len(cells))
	h := 0.0
	for i, spans := range cells {
		ch := 0.0
		out[i] = make([][]string, len(spans))
		for j, s := range spans {
			t.setSpanFont(s)
			// Half a millimetre of slack keeps glyph overhangs off the frame.
			out[i][j] = wrapText(t.p.pdf, s.text, t.cols[i].width-2*cellPad-0.5)
			ch += float64(len(out[i][j])) * t.spanLineH(s)
		}
		ch = t.truncate(out[i], spans, ch)
		if ch > h {
			h = ch
		}
	}
	return out, h + 2*cellPad
}

// maxCellH is the tallest a cell may be. Rows are never split across pages,
// so a cell taller than a page would run over the footer; such text (a
// pasted document in a plan wording) is cut with "…" instead.
const maxCellH = 140.0

// truncate drops trailing lines of a cell until it is at most maxCellH tall,
// marking the cut with "…", and returns the new height.
func (t *pdfTable) truncate(lines [][]string, spans []span, h float64) float64 {
	cut := false
	for j := len(lines) - 1; j >= 0 && h > maxCellH; j-- {
		for len(lines[j]) > 0 && h > maxCellH {
			lines[j] = lines[j][:len(lines[j])-1]
			h -= t.spanLineH(spans[j])
			cut = true
		}
	}
	if cut {
		for j := len(lines) - 1; j >= 0; j-- {
			if n := len(lines[j]); n > 0 {
				lines[j][n-1] += " …"
				break
			}
		}
	}
	return h
}

// setSpanFont selects the font of s.
func (t *pdfTable) setSpanFont(s span) {
	style := ""
	if s.bold {
		style = "B"
	}
	size := s.size
	if size == 0 {
		size = t.size
	}
	t.p.font(style, size)
}

// spanLineH is the line height of s.
func (t *pdfTable) spanLineH(s span) float64 {
	if s.size == 0 {
		return t.lineH
	}
	return s.size*ptToMM + 1.1
}

// header draws the header row.
func (t *pdfTable) header() {
	cells := make([][]span, len(t.cols))
	for i, c := range t.cols {
		cells[i] = []span{{text: c.title, bold: true}}
	}
	t.draw(cells, true)
}

// start draws the header, on a new page if the header and the first row
// would not fit together (a header alone at the foot of a page is useless).
func (t *pdfTable) start(first [][]span) {
	hcells := make([][]span, len(t.cols))
	for i, c := range t.cols {
		hcells[i] = []span{{text: c.title, bold: true}}
	}
	_, hh := t.layout(hcells)
	need := hh
	if first != nil {
		_, fh := t.layout(first)
		need += fh
	}
	t.p.ensureSpace(need)
	t.header()
}

// row draws one body row, first breaking the page and repeating the header
// if the row does not fit.
func (t *pdfTable) row(cells [][]span) {
	_, h := t.layout(cells)
	_, ph := t.p.pdf.GetPageSize()
	if t.p.pdf.GetY()+h > ph-marginBottom {
		t.p.pdf.AddPage()
		t.header()
	}
	t.draw(cells, false)
}

// draw draws a row at the current position: the cell frames at the full row
// height, then each span's lines.
func (t *pdfTable) draw(cells [][]span, isHeader bool) {
	pdf := t.p.pdf
	lines, h := t.layout(cells)
	x0, y0 := marginLeft, pdf.GetY()
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	x := x0
	for i, c := range t.cols {
		style := "D"
		if isHeader {
			pdf.SetFillColor(221, 235, 247)
			style = "FD"
		}
		pdf.Rect(x, y0, c.width, h, style)
		y := y0 + cellPad
		align := c.align
		if isHeader {
			align = "C"
			// Centre header text vertically as well.
			th := 0.0
			for j, s := range cells[i] {
				th += float64(len(lines[i][j])) * t.spanLineH(s)
			}
			y = y0 + (h-th)/2
		}
		for j, s := range cells[i] {
			t.setSpanFont(s)
			pdf.SetTextColor(s.color[0], s.color[1], s.color[2])
			lh := t.spanLineH(s)
			for _, l := range lines[i][j] {
				pdf.SetXY(x+cellPad, y)
				pdf.CellFormat(c.width-2*cellPad, lh, l, "", 0, align, false, 0, "")
				y += lh
			}
		}
		x += c.width
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.SetXY(x0, y0+h)
}

// indicatorTable draws section I: the unit's indicators. Result, target,
// forecast and pace are combined into fewer, wider columns than in the
// workbook so that the table fits the width of an A4 page.
func (p *pdfWriter) indicatorTable() {
	if len(p.r.Rows) == 0 {
		return
	}
	t := p.newTable([]pdfCol{
		{"TT", 8, "C"},
		{"Chỉ tiêu", 50, "L"},
		{"Đơn vị tính", 14, "C"},
		{"Kết quả", 27, "R"},
		{"Chỉ tiêu kế hoạch (năm)", 27, "R"},
		{"Tỷ lệ đạt", 15, "R"},
		{"Đánh giá", 27, "C"},
		{"Dự báo và nhịp cần thiết", 52, "L"},
		{"Nội dung kế hoạch", 47, "L"},
	}, 8)
	rows := make([][][]span, len(p.r.Rows))
	for i, row := range p.r.Rows {
		rows[i] = indicatorCells(i, row)
	}
	_, firstH := t.layout(rows[0])
	p.sectionTitle("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", firstH+12)
	t.start(rows[0])
	for _, cells := range rows {
		t.row(cells)
	}
	p.pdf.SetY(p.pdf.GetY() + 5)
}

// indicatorCells are the cells of one indicator row.
func indicatorCells(i int, row Row) [][]span {
	result := []span{{text: row.valueText(), bold: true}}
	if row.IsPercent && row.Denominator != 0 {
		result = append(result, span{text: fractionText(row.Numerator, row.Denominator), size: 7})
	}
	var target, progress []span
	if row.hasTarget() {
		target = []span{{text: row.targetText(), bold: true}, {text: fmt.Sprintf("năm %d", row.TargetYear), size: 7}}
		if row.Qualitative != "" {
			// Two spans so that the quoted words are never split across lines.
			target = append(target, span{text: "định tính:", size: 7}, span{text: "“" + row.Qualitative + "”", size: 7})
		}
		progress = []span{{text: pctText(row.Progress)}}
	}
	var outlook []span
	if row.Forecast != "" {
		outlook = append(outlook, span{text: row.Forecast})
	}
	if row.NeededPace != "" {
		outlook = append(outlook, span{text: row.NeededPace, bold: true})
	}
	return [][]span{
		{{text: fmt.Sprint(i + 1)}},
		{{text: row.Name}},
		{{text: row.UnitLabel}},
		result,
		target,
		progress,
		{{text: strings.ToUpper(row.StatusLabel), bold: true, size: 7.5, color: statusColor(row.Status)}},
		outlook,
		{{text: row.TargetWording}},
	}
}

// byUnitTable draws section II: the indicators by child unit.
func (p *pdfWriter) byUnitTable() {
	if len(p.r.Children) == 0 {
		return
	}
	cw := p.contentWidth()
	codeW, nameW := 22.0, 62.0
	cols := []pdfCol{{"Mã", codeW, "L"}, {"Đơn vị", nameW, "L"}}
	if n := len(p.r.Columns); n > 0 {
		w := (cw - codeW - nameW) / float64(n)
		for _, c := range p.r.Columns {
			cols = append(cols, pdfCol{columnTitle(c), w, "R"})
		}
	} else {
		cols[1].width = cw - codeW
	}
	t := p.newTable(cols, 8)
	rows := make([][][]span, len(p.r.Children))
	for i, ch := range p.r.Children {
		cells := [][]span{{{text: ch.Code}}, {{text: ch.Name}}}
		for _, c := range ch.Cells {
			cell := []span{{text: c.cellText()}}
			if c.IsPercent && !c.undefined() {
				cell = append(cell, span{text: fractionText(c.Numerator, c.Denominator), size: 6.5, color: [3]int{90, 90, 90}})
			}
			cells = append(cells, cell)
		}
		rows[i] = cells
	}
	_, firstH := t.layout(rows[0])
	p.sectionTitle("KẾT QUẢ THEO ĐƠN VỊ TRỰC THUỘC", firstH+12)
	t.start(rows[0])
	for _, cells := range rows {
		t.row(cells)
	}
	p.pdf.SetY(p.pdf.GetY() + 5)
}

// notes draws the footnotes as a numbered list.
func (p *pdfWriter) notes() {
	if len(p.r.Notes) == 0 {
		return
	}
	pdf := p.pdf
	cw := p.contentWidth()
	p.font("", 8.5)
	lineH := 4.2
	first := len(wrapText(pdf, p.r.Notes[0], cw-8))
	p.sectionTitle("GHI CHÚ", float64(first)*lineH)
	for i, n := range p.r.Notes {
		p.font("", 8.5)
		lines := wrapText(pdf, n, cw-8)
		p.ensureSpace(float64(len(lines)) * lineH)
		y := pdf.GetY()
		pdf.SetXY(marginLeft, y)
		pdf.CellFormat(8, lineH, fmt.Sprintf("%d.", i+1), "", 0, "R", false, 0, "")
		for _, l := range lines {
			pdf.SetXY(marginLeft+8, y)
			pdf.CellFormat(cw-8, lineH, l, "", 0, "L", false, 0, "")
			y += lineH
		}
		pdf.SetY(y + 0.8)
	}
}

// wrapText breaks text into lines no wider than w in the current font. It
// measures words with GetStringWidth instead of using fpdf's SplitText,
// which indexes the width table by rune without a bounds check and panics
// on characters outside the Basic Multilingual Plane (emoji in a unit name).
// Explicit newlines are kept; a word longer than a line is cut by runes.
func wrapText(pdf *fpdf.Fpdf, text string, w float64) []string {
	text = safeRunes(text)
	if text == "" {
		return nil
	}
	var lines []string
	space := pdf.GetStringWidth(" ")
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur, curW := "", 0.0
		for _, word := range words {
			ww := pdf.GetStringWidth(word)
			for ww > w {
				// Cut an over-long word at the last rune that fits.
				if cur != "" {
					lines = append(lines, cur)
					cur, curW = "", 0
				}
				rs := []rune(word)
				n := 1
				for n < len(rs) && pdf.GetStringWidth(string(rs[:n+1])) <= w {
					n++
				}
				lines = append(lines, string(rs[:n]))
				word = string(rs[n:])
				ww = pdf.GetStringWidth(word)
			}
			if word == "" {
				continue
			}
			switch {
			case cur == "":
				cur, curW = word, ww
			case curW+space+ww <= w:
				cur += " " + word
				curW += space + ww
			default:
				lines = append(lines, cur)
				cur, curW = word, ww
			}
		}
		if cur != "" {
			lines = append(lines, cur)
		}
	}
	return lines
}

// fitText shortens text with "…" so it fits on one line of width w; used
// for the running header and footer, which must stay one line.
func fitText(pdf *fpdf.Fpdf, text string, w float64) string {
	text = safeRunes(text)
	if pdf.GetStringWidth(text) <= w {
		return text
	}
	rs := []rune(text)
	for len(rs) > 0 && pdf.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// safeRunes replaces characters fpdf's UTF-8 fonts cannot address (outside
// the Basic Multilingual Plane) with U+FFFD and drops control characters
// other than newline and tab, which would otherwise crash fpdf or print as
// boxes.
func safeRunes(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7F:
			return -1 // invisible junk from copy-paste
		case r >= 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// roman numbers the sections the way Vietnamese reports do (I, II, III).
func roman(n int) string {
	vals := []int{10, 9, 5, 4, 1}
	syms := []string{"X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
