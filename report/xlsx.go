package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"congdoan/vntext"
)

// Number formats of the workbook. Cells hold real numbers so that officers
// can sum and chart them; the format only decides the look. Excel shows "."
// and "," according to the reader's locale, so on a Vietnamese Windows
// "#,##0" displays "23.000" and "0.0%" displays "71,4%".
//
// Percents are stored as fractions (0.714) with a "%" format everywhere —
// values, targets, progress and by-unit cells alike — because that is what
// Excel formulas expect; a percent typed as 71.4 would be off by 100 in any
// formula.
const (
	fmtInt      = "#,##0"
	fmtDecimal  = "#,##0.0"
	fmtPercent  = "0.0%"
	fmtDate     = "dd/mm/yyyy"
	fmtDateTime = "hh:mm dd/mm/yyyy"
)

// xlsxFont is the workbook font: Times New Roman ships with every Office and
// carries the Vietnamese precomposed letters.
const xlsxFont = "Times New Roman"

// indicatorHeaders are the columns of the "Chỉ tiêu" sheet, A to L.
var indicatorHeaders = []struct {
	title string
	width float64
}{
	{"TT", 5},
	{"Chỉ tiêu", 46},
	{"Đơn vị tính", 10},
	{"Kết quả", 12},
	{"Tử số", 11},
	{"Mẫu số", 11},
	{"Chỉ tiêu kế hoạch (năm)", 20},
	{"Tỷ lệ đạt", 10},
	{"Đánh giá", 15},
	{"Dự báo", 36},
	{"Nhịp cần thiết", 28},
	{"Nội dung kế hoạch", 50},
}

// indicatorTableRow is the row of the table header on "Chỉ tiêu"; the rows
// above hold the header block (issuer, title, unit, period, dates).
const indicatorTableRow = 9

// WriteXLSX writes r as a workbook with the sheets "Chỉ tiêu" (the unit's
// indicators), "Theo đơn vị" (the same by child unit) and "Ghi chú" (notes
// and approval).
func WriteXLSX(w io.Writer, r *Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, styles: map[string]int{}}
	x.do(func() error { return f.SetDefaultFont(xlsxFont) })
	x.do(func() error { return f.SetSheetName("Sheet1", SheetIndicators) })
	x.indicators(r)
	x.byUnit(r)
	x.notes(r)
	x.do(func() error {
		return f.SetDocProps(&excelize.DocProperties{
			Title:   r.Title,
			Subject: r.Subtitle,
			Creator: r.Issuer,
			// A fixed creation time keeps the workbook reproducible from
			// the same Report.
			Created:  r.GeneratedAt.UTC().Format(time.RFC3339),
			Modified: r.GeneratedAt.UTC().Format(time.RFC3339),
			Language: "vi-VN",
		})
	})
	if x.err != nil {
		return fmt.Errorf("report: xlsx: %w", x.err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	return nil
}

// xlsxWriter keeps the first error so that the layout code reads as a list
// of cells rather than a list of error checks.
type xlsxWriter struct {
	f      *excelize.File
	err    error
	styles map[string]int
}

// do runs fn unless an earlier step failed.
func (x *xlsxWriter) do(fn func() error) {
	if x.err == nil {
		x.err = fn()
	}
}

// styleOpts describes a cell style; styles are created once per distinct
// description because excelize stores each NewStyle call.
type styleOpts struct {
	bold, italic, header, border, wrap bool
	size                               float64
	hAlign                             string
	numFmt                             string
	color                              string
}

// style returns the id of the style described by o.
func (x *xlsxWriter) style(o styleOpts) int {
	key := fmt.Sprintf("%+v", o)
	if id, ok := x.styles[key]; ok {
		return id
	}
	size := o.size
	if size == 0 {
		size = 11
	}
	s := &excelize.Style{
		Font:      &excelize.Font{Family: xlsxFont, Size: size, Bold: o.bold || o.header, Italic: o.italic, Color: o.color},
		Alignment: &excelize.Alignment{Horizontal: o.hAlign, Vertical: "top", WrapText: o.wrap || o.header},
	}
	if o.header {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}}
		s.Alignment.Vertical = "center"
		if s.Alignment.Horizontal == "" {
			s.Alignment.Horizontal = "center"
		}
	}
	if o.border {
		for _, side := range []string{"left", "top", "right", "bottom"} {
			s.Border = append(s.Border, excelize.Border{Type: side, Color: "#808080", Style: 1})
		}
	}
	if o.numFmt != "" {
		nf := o.numFmt
		s.CustomNumFmt = &nf
	}
	id := 0
	x.do(func() (err error) { id, err = x.f.NewStyle(s); return err })
	x.styles[key] = id
	return id
}

// set writes v into cell (col, row) with style o.
func (x *xlsxWriter) set(sheet string, col, row int, v any, o styleOpts) {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		x.do(func() error { return err })
		return
	}
	if t, ok := v.(time.Time); ok {
		v = excelTime(t)
	}
	x.do(func() error { return x.f.SetCellValue(sheet, cell, v) })
	x.do(func() error { return x.f.SetCellStyle(sheet, cell, cell, x.style(o)) })
}

// merge merges a range of one row, for the titles of the header block.
func (x *xlsxWriter) merge(sheet string, row, fromCol, toCol int) {
	a, _ := excelize.CoordinatesToCellName(fromCol, row)
	b, _ := excelize.CoordinatesToCellName(toCol, row)
	x.do(func() error { return x.f.MergeCell(sheet, a, b) })
}

// excelTime keeps the wall clock of t: excelize converts a time.Time from
// UTC, which would move 00:00 on a Vietnamese date (UTC+7) to the previous
// day.
func excelTime(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// pageSetup prints a sheet on A4 landscape, one page wide, with the table
// header repeated on every printed page and page numbers in the footer.
func (x *xlsxWriter) pageSetup(sheet string, headerRow int, footerLeft string) {
	size, orient, one, zero, fit := 9, "landscape", 1, 0, true // 9 = A4 in SpreadsheetML
	x.do(func() error {
		return x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero})
	})
	x.do(func() error { return x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}) })
	if headerRow > 0 {
		x.do(func() error {
			return x.f.SetDefinedName(&excelize.DefinedName{
				Name:     "_xlnm.Print_Titles",
				RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerRow, headerRow),
				Scope:    sheet,
			})
		})
	}
	x.do(func() error {
		return x.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
			OddFooter: "&L" + strings.ReplaceAll(footerLeft, "&", "&&") + "&RTrang &P/&N",
		})
	})
}

// freeze keeps the first cols columns and rows rows in view while scrolling.
func (x *xlsxWriter) freeze(sheet string, cols, rows int) {
	top, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	x.do(func() error {
		return x.f.SetPanes(sheet, &excelize.Panes{
			Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: top, ActivePane: "bottomRight",
			Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomRight"}},
		})
	})
}

// widths sets column widths (in characters) from column A.
func (x *xlsxWriter) widths(sheet string, ws []float64) {
	for i, w := range ws {
		c, _ := excelize.ColumnNumberToName(i + 1)
		x.do(func() error { return x.f.SetColWidth(sheet, c, c, w) })
	}
}

// rowHeight sets a row tall enough for its wrapped cells. Excel does not
// re-measure rows when it opens a file, so without this wrapped text would
// be cut to one line.
func (x *xlsxWriter) rowHeight(sheet string, row int, texts []string, widths []float64) {
	lines := 1
	for i, t := range texts {
		if n := estimateLines(t, widths[i]); n > lines {
			lines = n
		}
	}
	if lines > 1 {
		// 409 points is Excel's maximum row height.
		x.do(func() error { return x.f.SetRowHeight(sheet, row, math.Min(409, float64(lines)*15)) })
	}
}

// estimateLines guesses how many lines text takes in a column of width
// characters; Vietnamese letters in Times New Roman are a little narrower
// than Excel's width unit, hence the 1.1.
func estimateLines(text string, width float64) int {
	if text == "" || width <= 0 {
		return 1
	}
	per := width * 1.1
	n := 0
	for _, para := range strings.Split(text, "\n") {
		n += int(math.Max(1, math.Ceil(float64(len([]rune(para)))/per)))
	}
	return n
}

// fraction turns a 0–100 percentage into the fraction Excel's "%" formats
// expect, rounded to 1e-10 so that 99.16/100 is stored as 0.9916 rather
// than the binary noise 0.991599999999999 (excelize truncates to 15 digits).
func fraction(v float64) float64 {
	return math.Round(v*1e8) / 1e10
}

// numberFormat is the format of a non-percent figure: whole numbers with
// thousands grouping, otherwise one decimal.
func numberFormat(vs ...float64) string {
	for _, v := range vs {
		if math.Abs(v-math.Round(v)) > 1e-9 {
			return fmtDecimal
		}
	}
	return fmtInt
}

// quoteFormat makes s a literal inside an Excel number format.
func quoteFormat(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `'`) + `"`
}

// indicators writes the "Chỉ tiêu" sheet.
func (x *xlsxWriter) indicators(r *Report) {
	const sh = SheetIndicators
	last := len(indicatorHeaders)
	widths := make([]float64, last)
	for i, h := range indicatorHeaders {
		widths[i] = h.width
	}
	x.widths(sh, widths)

	x.set(sh, 1, 1, r.Issuer, styleOpts{bold: true})
	x.merge(sh, 1, 1, 6)
	x.set(sh, 1, 2, r.Title, styleOpts{bold: true, size: 14, hAlign: "center"})
	x.merge(sh, 2, 1, last)
	x.set(sh, 1, 3, r.Subtitle, styleOpts{italic: true, hAlign: "center", wrap: true})
	x.merge(sh, 3, 1, last)
	x.do(func() error {
		return x.f.SetRowHeight(sh, 3, math.Min(409, float64(estimateLines(r.Subtitle, sumWidths(widths)))*15))
	})
	info := []struct {
		label string
		value any
		fmt   string
	}{
		{"Đơn vị:", unitText(r), ""},
		{"Kỳ báo cáo:", r.Period, ""},
		{"Số liệu đến ngày:", r.AsOf, fmtDate},
		{"Lập lúc:", r.GeneratedAt, fmtDateTime},
	}
	for i, it := range info {
		row := 4 + i
		x.set(sh, 1, row, it.label, styleOpts{bold: true})
		x.merge(sh, row, 1, 2)
		v := it.value
		if t, ok := v.(time.Time); ok && t.IsZero() {
			v = ""
		}
		x.set(sh, 3, row, v, styleOpts{numFmt: it.fmt, hAlign: "left"})
		x.merge(sh, row, 3, last)
	}

	hr := indicatorTableRow
	for i, h := range indicatorHeaders {
		x.set(sh, i+1, hr, h.title, styleOpts{header: true, border: true})
	}
	x.do(func() error { return x.f.SetRowHeight(sh, hr, 32) })

	cell := styleOpts{border: true}
	wrapped := styleOpts{border: true, wrap: true}
	for i, row := range r.Rows {
		y := hr + 1 + i
		x.set(sh, 1, y, i+1, styleOpts{border: true, hAlign: "center"})
		x.set(sh, 2, y, row.Name, wrapped)
		x.set(sh, 3, y, row.UnitLabel, styleOpts{border: true, hAlign: "center"})

		valFmt := numberFormat(row.Value)
		if row.IsPercent {
			valFmt = fmtPercent
		}
		switch {
		case row.undefined():
			x.set(sh, 4, y, "—", styleOpts{border: true, hAlign: "right"})
		case row.IsPercent:
			x.set(sh, 4, y, fraction(row.Value), styleOpts{border: true, numFmt: valFmt})
		default:
			x.set(sh, 4, y, row.Value, styleOpts{border: true, numFmt: valFmt})
		}
		if row.IsPercent {
			x.set(sh, 5, y, row.Numerator, styleOpts{border: true, numFmt: fmtInt})
			x.set(sh, 6, y, row.Denominator, styleOpts{border: true, numFmt: fmtInt})
		} else {
			x.set(sh, 5, y, "", cell)
			x.set(sh, 6, y, "", cell)
		}

		if row.hasTarget() {
			// The comparator and the year live in the number format, so the
			// cell stays a number a formula can use while reading "≥ 23,000
			// (2025)" on screen.
			tf := numberFormat(row.Target)
			tv := row.Target
			if row.IsPercent {
				tf, tv = fmtPercent, fraction(row.Target)
			}
			if s := comparatorSymbol(row.Comparator); s != "" {
				tf = quoteFormat(s+" ") + tf
			}
			tf += quoteFormat(fmt.Sprintf(" (%d)", row.TargetYear))
			x.set(sh, 7, y, tv, styleOpts{border: true, numFmt: tf})
			x.set(sh, 8, y, fraction(row.Progress), styleOpts{border: true, numFmt: fmtPercent})
		} else {
			x.set(sh, 7, y, "", cell)
			x.set(sh, 8, y, "", cell)
		}
		x.set(sh, 9, y, row.StatusLabel, styleOpts{border: true, bold: true, color: statusHex(row.Status), wrap: true})
		x.set(sh, 10, y, row.Forecast, wrapped)
		x.set(sh, 11, y, row.NeededPace, wrapped)
		plan := row.TargetWording
		if q := row.qualitativeText(); q != "" {
			plan = strings.TrimSpace(plan + "\n(" + q + ")")
		}
		x.set(sh, 12, y, plan, wrapped)
		x.rowHeight(sh, y, []string{"", row.Name, "", "", "", "", "", "", row.StatusLabel, row.Forecast, row.NeededPace, plan}, widths)
	}
	x.freeze(sh, 2, hr)
	x.pageSetup(sh, hr, generatedText(r.GeneratedAt))
}

// byUnit writes the "Theo đơn vị" sheet: Mã | Đơn vị | one column per
// indicator.
func (x *xlsxWriter) byUnit(r *Report) {
	const sh = SheetByUnit
	x.do(func() error { _, err := x.f.NewSheet(sh); return err })
	widths := []float64{12, 40}
	for range r.Columns {
		widths = append(widths, 16)
	}
	x.widths(sh, widths)

	title := "KẾT QUẢ THEO ĐƠN VỊ TRỰC THUỘC — " + r.UnitName
	x.set(sh, 1, 1, title, styleOpts{bold: true, size: 13})
	sub := strings.TrimSpace(r.Period)
	if d := vntext.FormatDate(r.AsOf); d != "" {
		sub += " — số liệu đến ngày " + d
	}
	x.set(sh, 1, 2, sub, styleOpts{italic: true})

	const hr = 4
	x.set(sh, 1, hr, "Mã", styleOpts{header: true, border: true})
	x.set(sh, 2, hr, "Đơn vị", styleOpts{header: true, border: true})
	heads := []string{"", ""}
	for i, c := range r.Columns {
		t := columnTitle(c)
		heads = append(heads, t)
		x.set(sh, 3+i, hr, t, styleOpts{header: true, border: true})
	}
	x.rowHeight(sh, hr, heads, widths)

	for i, ch := range r.Children {
		y := hr + 1 + i
		x.set(sh, 1, y, ch.Code, styleOpts{border: true})
		x.set(sh, 2, y, ch.Name, styleOpts{border: true, wrap: true})
		for j, c := range ch.Cells {
			switch {
			case c.undefined():
				// "—" rather than an empty cell or 0: the figure is unknown
				// or undefined, and SUM/AVERAGE skip text.
				x.set(sh, 3+j, y, "—", styleOpts{border: true, hAlign: "right"})
			case c.IsPercent:
				x.set(sh, 3+j, y, fraction(c.Value), styleOpts{border: true, numFmt: fmtPercent})
			default:
				x.set(sh, 3+j, y, c.Value, styleOpts{border: true, numFmt: numberFormat(c.Value)})
			}
		}
		x.rowHeight(sh, y, []string{"", ch.Name}, widths)
	}
	x.freeze(sh, 2, hr)
	x.pageSetup(sh, hr, generatedText(r.GeneratedAt))
}

// notes writes the "Ghi chú" sheet: the footnotes, then the approval (or a
// draft warning, so an unapproved workbook is not mistaken for the approved
// one).
func (x *xlsxWriter) notes(r *Report) {
	const sh = SheetNotes
	x.do(func() error { _, err := x.f.NewSheet(sh); return err })
	widths := []float64{24, 110}
	x.widths(sh, widths)
	x.set(sh, 1, 1, "GHI CHÚ", styleOpts{bold: true, size: 13})
	y := 2
	for i, n := range r.Notes {
		x.set(sh, 1, y, fmt.Sprintf("%d.", i+1), styleOpts{hAlign: "right"})
		x.set(sh, 2, y, n, styleOpts{wrap: true})
		x.rowHeight(sh, y, []string{"", n}, widths)
		y++
	}
	y++
	x.set(sh, 1, y, "PHÊ DUYỆT", styleOpts{bold: true, size: 13})
	y++
	if r.Frozen == nil {
		x.set(sh, 1, y, approvalText(nil), styleOpts{italic: true})
	} else {
		fz := r.Frozen
		items := []struct {
			label string
			value any
			fmt   string
		}{
			{"Số hiệu bản chốt", fz.ID, "0"},
			{"Người duyệt", fz.ApprovedBy, ""},
			{"Thời điểm duyệt", fz.ApprovedAt, fmtDateTime},
			{"Mã kiểm tra (in trên PDF)", hash16(fz.Hash), ""},
			{"Mã băm đầy đủ", fz.Hash, ""},
		}
		for _, it := range items {
			v := it.value
			if t, ok := v.(time.Time); ok && t.IsZero() {
				v = ""
			}
			x.set(sh, 1, y, it.label, styleOpts{bold: true})
			x.set(sh, 2, y, v, styleOpts{numFmt: it.fmt, hAlign: "left"})
			y++
		}
	}
	x.pageSetup(sh, 0, generatedText(r.GeneratedAt))
}

// sumWidths adds column widths, for text merged across columns.
func sumWidths(ws []float64) float64 {
	s := 0.0
	for _, w := range ws {
		s += w
	}
	return s
}
