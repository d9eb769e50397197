// Package report renders an indicator report — the periodic report a
// provincial labour federation sends to the provincial Party Standing
// Committee on a plan such as 61-KH/TU (Bắc Kạn) implementing Resolution
// 02-NQ/TW — to XLSX (for people who re-use the figures) and PDF (for the
// document that is read, printed and filed).
//
// The package does no database work: callers compute the indicators, the
// forecasts and the statuses, fill a Report and hand it to WriteXLSX or
// WritePDF. Keeping the renderers pure means the same frozen Report always
// prints the same way, and the renderers can be tested with golden files.
//
// Both renderers normalise every string to Unicode NFC first: text arrives
// decomposed from some keyboards and from copy-paste, and fpdf draws the
// combining marks of decomposed Vietnamese in the wrong place.
package report

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"congdoan/vntext"
)

// Report is one report: a unit's indicators against the plan's targets for a
// period, and the same indicators by child unit.
type Report struct {
	Title       string // e.g. "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 61-KH/TU"
	Subtitle    string // e.g. "Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị …"
	Issuer      string // unit issuing, e.g. "LIÊN ĐOÀN LAO ĐỘNG TỈNH THÁI NGUYÊN"
	Place       string // where the report is issued, for the "Thái Nguyên, ngày … tháng … năm …" line; may be empty
	UnitCode    string
	UnitName    string
	Period      string    // human label, e.g. "Năm 2025", "6 tháng đầu năm 2025", "Quý III năm 2025"
	AsOf        time.Time // data as of (a civil date; rendered dd/mm/yyyy)
	GeneratedAt time.Time // when the report was made, in the location it should be shown in (e.g. Asia/Ho_Chi_Minh)
	Rows        []Row     // the unit's indicators
	Columns     []Column  // indicator columns of the by-child table
	Children    []ChildRow
	Notes       []string // footnotes: how a qualitative target was read as a number, data sources, …
	Frozen      *Frozen  // non-nil once approved: printed in the footer
}

// Row is one indicator of the reporting unit with its target and status.
type Row struct {
	Code, Name, UnitLabel string // UnitLabel "người", "%", "đơn vị"
	IsPercent             bool
	// Value is the figure; for percents it is 0–100 and should equal
	// 100·Numerator/Denominator. A percent with Denominator 0 is undefined
	// (e.g. no eligible unions yet) and is shown as "—", not 0.
	Value                  float64
	Numerator, Denominator int64   // shown as "(1.234 / 1.500)" for percents
	TargetYear             int     // 0 if the indicator has no target
	Target                 float64 // same scale as Value
	Comparator             string  // ">=", ">", "<=", "<"
	TargetWording          string  // the plan's own words, e.g. "Đến năm 2025 có 23.000 đoàn viên"
	Qualitative            string  // e.g. "cơ bản" when Target is the federation's reading of a qualitative target
	Progress               float64 // % of target reached, 0 if no target
	Status                 string  // "met", "on_track", "at_risk", "off_track", ""
	StatusLabel            string  // Vietnamese label: "Đã đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm tiến độ"
	Forecast               string  // e.g. "Dự báo 31/12/2025: 23.410 (22.900–23.800)"
	NeededPace             string  // e.g. "Cần thêm 85 đoàn viên/tháng"
}

// Column is one indicator column of the by-child-unit table.
type Column struct {
	Code, Name, UnitLabel string
	IsPercent             bool
}

// ChildRow is one child unit's line in the by-child-unit table.
type ChildRow struct {
	Code, Name string
	Cells      []Cell // one per Report.Columns, in the same order
}

// Cell is one figure of the by-child-unit table.
type Cell struct {
	Value                  float64 // for percents 0–100
	Numerator, Denominator int64
	IsPercent              bool
	Missing                bool // no data for this unit: shown as "—" so it is not read as 0
}

// Frozen records the approval of a report; the hash lets a reader check a
// printout against the stored snapshot.
type Frozen struct {
	ID         int64
	ApprovedBy string
	ApprovedAt time.Time
	Hash       string // hex; the PDF prints the first 16 characters
}

// Sheet names of the workbook. They are exported so that code reading a
// workbook back (imports, tests) does not repeat the Vietnamese literals.
const (
	SheetIndicators = "Chỉ tiêu"
	SheetByUnit     = "Theo đơn vị"
	SheetNotes      = "Ghi chú"
)

// prepare validates r and returns a copy with every string in NFC, so the
// renderers never see decomposed text and never modify the caller's Report.
func prepare(r *Report) (*Report, error) {
	if r == nil {
		return nil, errors.New("report: nil Report")
	}
	for i, c := range r.Children {
		if len(c.Cells) != len(r.Columns) {
			// A short or long row would put figures under the wrong heading.
			return nil, fmt.Errorf("report: child %d (%s) has %d cells for %d columns", i, c.Code, len(c.Cells), len(r.Columns))
		}
	}
	return mapStrings(r, vntext.NFC), nil
}

// mapStrings returns a deep copy of r with fn applied to every string.
func mapStrings(r *Report, fn func(string) string) *Report {
	c := *r
	c.Title, c.Subtitle, c.Issuer, c.Place = fn(r.Title), fn(r.Subtitle), fn(r.Issuer), fn(r.Place)
	c.UnitCode, c.UnitName, c.Period = fn(r.UnitCode), fn(r.UnitName), fn(r.Period)
	c.Rows = make([]Row, len(r.Rows))
	for i, row := range r.Rows {
		row.Code, row.Name, row.UnitLabel = fn(row.Code), fn(row.Name), fn(row.UnitLabel)
		row.Comparator, row.TargetWording, row.Qualitative = fn(row.Comparator), fn(row.TargetWording), fn(row.Qualitative)
		row.Status, row.StatusLabel = fn(row.Status), fn(row.StatusLabel)
		row.Forecast, row.NeededPace = fn(row.Forecast), fn(row.NeededPace)
		c.Rows[i] = row
	}
	c.Columns = make([]Column, len(r.Columns))
	for i, col := range r.Columns {
		col.Code, col.Name, col.UnitLabel = fn(col.Code), fn(col.Name), fn(col.UnitLabel)
		c.Columns[i] = col
	}
	c.Children = make([]ChildRow, len(r.Children))
	for i, ch := range r.Children {
		ch.Code, ch.Name = fn(ch.Code), fn(ch.Name)
		ch.Cells = append([]Cell(nil), ch.Cells...)
		c.Children[i] = ch
	}
	c.Notes = make([]string, len(r.Notes))
	for i, n := range r.Notes {
		c.Notes[i] = fn(n)
	}
	if r.Frozen != nil {
		f := *r.Frozen
		f.ApprovedBy, f.Hash = fn(f.ApprovedBy), fn(f.Hash)
		c.Frozen = &f
	}
	return &c
}

// hasTarget reports whether the row has a plan target to compare against.
func (row Row) hasTarget() bool { return row.TargetYear != 0 }

// undefined reports whether a percent has no denominator, i.e. the rate
// does not exist (as opposed to being 0 %).
func (row Row) undefined() bool { return row.IsPercent && row.Denominator == 0 }

// undefined is Row.undefined for a by-unit cell.
func (c Cell) undefined() bool { return c.Missing || (c.IsPercent && c.Denominator == 0) }

// comparatorSymbol turns the stored comparator into the sign a reader
// expects on paper.
func comparatorSymbol(c string) string {
	switch strings.TrimSpace(c) {
	case ">=", "≥":
		return "≥"
	case "<=", "≤":
		return "≤"
	case ">":
		return ">"
	case "<":
		return "<"
	case "=", "==":
		return "="
	}
	return ""
}

// pctText formats a 0–100 percentage with exactly one decimal, Vietnamese
// style ("71,4 %", "75,0 %"). It goes through vntext.FormatPercent (in
// tenths of a percent) so rounding and separators match the rest of the
// system, then restores the ",0" that FormatPercent drops: a column of
// figures reads better with the same precision on every line, and it
// matches the 0.0% format of the workbook.
func pctText(v float64) string {
	s := vntext.FormatPercent(int64(math.Round(v*10)), 1000)
	if !strings.Contains(s, ",") {
		s = strings.TrimSuffix(s, " %") + ",0 %"
	}
	return s
}

// numText formats a count Vietnamese style ("23.000"); a non-integral value
// (an average, a pace) keeps one decimal with a comma.
func numText(v float64) string {
	if r := math.Round(v); math.Abs(v-r) < 1e-9 {
		return vntext.FormatInt(int64(r))
	}
	t := int64(math.Round(v * 10))
	s := vntext.FormatInt(t / 10)
	if t < 0 && t/10 == 0 {
		s = "-" + s
	}
	d := t % 10
	if d < 0 {
		d = -d
	}
	return fmt.Sprintf("%s,%d", s, d)
}

// valueText is the figure of a row as printed ("22.807", "71,4 %", "—").
func (row Row) valueText() string {
	if row.undefined() {
		return "—"
	}
	if row.IsPercent {
		return pctText(row.Value)
	}
	return numText(row.Value)
}

// fractionText is "(130 / 182)": the counts behind a percent, so a reader
// can see how large the base is.
func fractionText(num, den int64) string {
	return "(" + vntext.FormatInt(num) + " / " + vntext.FormatInt(den) + ")"
}

// targetText is the numeric target as printed, e.g. "≥ 23.000" or "> 80 %".
func (row Row) targetText() string {
	if !row.hasTarget() {
		return ""
	}
	v := numText(row.Target)
	if row.IsPercent {
		// A target is the plan's round figure ("trên 80%"), so it is shown
		// without the ",0" that measured values get.
		v = vntext.FormatPercent(int64(math.Round(row.Target*10)), 1000)
	}
	if s := comparatorSymbol(row.Comparator); s != "" {
		return s + " " + v
	}
	return v
}

// qualitativeText explains that the number is the federation's reading of
// words such as "cơ bản", so nobody mistakes it for the plan's own figure.
func (row Row) qualitativeText() string {
	if row.Qualitative == "" {
		return ""
	}
	return "Chỉ tiêu định tính “" + row.Qualitative + "”, quy ước " + row.targetText()
}

// cellText is the by-unit figure as printed.
func (c Cell) cellText() string {
	switch {
	case c.undefined():
		return "—"
	case c.IsPercent:
		return pctText(c.Value)
	}
	return numText(c.Value)
}

// generatedText is "Lập lúc 14:05 ngày 24/11/2026".
func generatedText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "Lập lúc " + t.Format("15:04") + " ngày " + vntext.FormatDate(t)
}

// placeDateText is the place-and-date line of an administrative document,
// "Thái Nguyên, ngày 24 tháng 11 năm 2026". Following Nghị định 30/2020/NĐ-CP,
// days below 10 and the months 1 and 2 take a leading zero.
func placeDateText(place string, t time.Time) string {
	if t.IsZero() {
		return place
	}
	month := fmt.Sprint(int(t.Month()))
	if t.Month() <= 2 {
		month = "0" + month
	}
	s := fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
	if place != "" {
		s = place + ", " + s
	}
	return s
}

// approvalText is the footer line of a frozen report; hash16 is what a
// reader types to check the printout against the stored snapshot.
func approvalText(f *Frozen) string {
	if f == nil {
		return "Bản nháp — chưa phê duyệt"
	}
	s := "Đã duyệt ngày " + vntext.FormatDate(f.ApprovedAt)
	if f.ApprovedBy != "" {
		s += " (" + f.ApprovedBy + ")"
	}
	return s + " — mã kiểm tra " + hash16(f.Hash)
}

// hash16 is the printed part of the approval hash.
func hash16(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}

// unitText names the unit with its code, e.g. "Công đoàn … (mã BK)".
func unitText(r *Report) string {
	if r.UnitCode == "" {
		return r.UnitName
	}
	return r.UnitName + " (mã " + r.UnitCode + ")"
}

// columnTitle is a by-unit column heading with its unit, e.g. "Đoàn viên (người)".
func columnTitle(c Column) string {
	if c.UnitLabel == "" {
		return c.Name
	}
	return c.Name + " (" + c.UnitLabel + ")"
}

// statusHex colours a status the same way in the workbook and the PDF.
func statusHex(status string) string {
	c := statusColor(status)
	return fmt.Sprintf("#%02X%02X%02X", c[0], c[1], c[2])
}

// statusColor is green for met, blue for on track, amber for at risk and
// red for off track, so the one line that needs attention stands out on a
// printed page; it also goes into the workbook so both look alike.
func statusColor(status string) [3]int {
	switch status {
	case "met":
		return [3]int{0, 128, 0}
	case "on_track":
		return [3]int{0, 84, 166}
	case "at_risk":
		return [3]int{191, 112, 0}
	case "off_track":
		return [3]int{192, 0, 0}
	}
	return [3]int{0, 0, 0}
}
