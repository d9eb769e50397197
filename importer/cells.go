package importer

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"congdoan"
	"congdoan/vntext"
)

// CellError is a cell that cannot be read, with a Vietnamese message that
// says how to fix it.
type CellError struct{ Message string }

func (e *CellError) Error() string { return e.Message }

func cellErrorf(format string, args ...any) error {
	return &CellError{Message: fmt.Sprintf(format, args...)}
}

// DateParser reads dates as offices type them.
type DateParser struct {
	// Today decides the century of a two-digit year: 5/3/90 is 1990 and
	// 5/3/20 is 2020 when today is in 2026.
	Today congdoan.Date
	// Date1904 is the workbook's 1904 date system (old Mac Excel): serial
	// 0 is 01/01/1904 instead of 1900's 31/12/1899.
	Date1904 bool
}

var (
	textDateRE = regexp.MustCompile(`^(?:ngay\s*)?(\d{1,2})\s*(?:thang|/|-|\.)\s*(\d{1,2})\s*(?:nam|/|-|\.)\s*(\d{2,4})$`)
	isoDateRE  = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?$`)
	dmyDateRE  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`)
	serialRE   = regexp.MustCompile(`^\d{1,7}(?:\.\d+)?$`)
	yearRE     = regexp.MustCompile(`^(?:nam\s*)?(\d{4})$`)
)

// Parse reads s as a date: dd/mm/yyyy or d/m/yy (also with "." or "-"),
// yyyy-mm-dd (a time after it is dropped), an Excel serial number as a
// workbook's raw cell value holds it, or text such as "ngày 5 tháng 3 năm
// 1990". A year alone (1990, "năm 1990") gives 01/01 of that year with
// yearOnly set: the caller decides whether that is acceptable. An empty
// cell gives the zero date and no error.
func (p DateParser) Parse(s string) (d congdoan.Date, yearOnly bool, err error) {
	raw := strings.ToLower(strings.TrimSpace(vntext.Fold(s)))
	if raw == "" {
		return congdoan.Date{}, false, nil
	}
	if m := yearRE.FindStringSubmatch(raw); m != nil {
		y, _ := strconv.Atoi(m[1])
		if y >= 1900 && y <= 2100 {
			return congdoan.NewDate(y, time.January, 1), true, nil
		}
	}
	if m := isoDateRE.FindStringSubmatch(raw); m != nil {
		if d, ok := civil(m[1], m[2], m[3]); ok {
			return d, false, nil
		}
		return congdoan.Date{}, false, badDate(s)
	}
	if m := dmyDateRE.FindStringSubmatch(raw); m != nil {
		return p.dmy(s, m[1], m[2], m[3])
	}
	if m := textDateRE.FindStringSubmatch(raw); m != nil {
		return p.dmy(s, m[1], m[2], m[3])
	}
	if serialRE.MatchString(raw) {
		f, err := strconv.ParseFloat(raw, 64)
		if err == nil {
			if d, ok := p.serial(f); ok {
				return d, false, nil
			}
		}
	}
	return congdoan.Date{}, false, badDate(s)
}

func badDate(s string) error {
	return cellErrorf("Ngày %q không đọc được. Nhập theo dạng ngày/tháng/năm, ví dụ 05/03/1990.", strings.TrimSpace(s))
}

// dmy builds day/month/year, widening a two-digit year around Today.
func (p DateParser) dmy(s, day, month, year string) (congdoan.Date, bool, error) {
	if len(year) == 2 {
		yy, _ := strconv.Atoi(year)
		ref := p.Today
		if ref.IsZero() {
			ref = congdoan.DateOf(time.Now())
		}
		y := 2000 + yy
		if y > ref.Year() {
			y -= 100
		}
		year = strconv.Itoa(y)
	} else if len(year) == 3 {
		return congdoan.Date{}, false, badDate(s)
	}
	if d, ok := civil(year, month, day); ok {
		return d, false, nil
	}
	return congdoan.Date{}, false, cellErrorf("Ngày %q không có thật (ngày %s tháng %s). Kiểm tra lại ngày và tháng, viết theo thứ tự ngày/tháng/năm.", strings.TrimSpace(s), day, month)
}

// civil returns the date if y-m-d exists.
func civil(ys, ms, ds string) (congdoan.Date, bool) {
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil || y < 1800 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return congdoan.Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return congdoan.Date{}, false
	}
	return congdoan.DateOf(t), true
}

// serial converts an Excel date serial (the fraction is the time of day,
// dropped). In the 1900 system Excel counts a 29/02/1900 that never was
// (Lotus's leap-year bug): serial 60 is that day and is refused, serials
// after it are one day ahead.
func (p DateParser) serial(f float64) (congdoan.Date, bool) {
	n := int(math.Floor(f))
	if n < 1 || n > 2958465 { // 31/12/9999
		return congdoan.Date{}, false
	}
	if p.Date1904 {
		return congdoan.DateOf(time.Date(1904, 1, 1+n, 0, 0, 0, 0, time.UTC)), true
	}
	switch {
	case n == 60:
		return congdoan.Date{}, false
	case n < 60:
		return congdoan.DateOf(time.Date(1899, 12, 31+n, 0, 0, 0, 0, time.UTC)), true
	}
	return congdoan.DateOf(time.Date(1899, 12, 30+n, 0, 0, 0, 0, time.UTC)), true
}

var (
	groupedRE = regexp.MustCompile(`^-?\d{1,3}(?:([. ,'])\d{3})(?:[. ,']\d{3})*$`)
	plainRE   = regexp.MustCompile(`^-?\d+(?:\.0+)?$`)
)

// ParseInt reads a whole number as typed in Vietnam or stored by a
// workbook: 1234, "1.234" and "1 234" (dots or spaces group thousands),
// "1,234" when the groups are consistent, a raw "1234.0". An empty cell is
// 0 with ok false. A decimal ("1,5") is refused: counts are whole.
func ParseInt(s string) (n int, ok bool, err error) {
	t := strings.Map(func(r rune) rune {
		if r == '\u00a0' || r == '\u202f' || r == '\u2009' {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	if t == "" {
		return 0, false, nil
	}
	switch {
	case plainRE.MatchString(t):
		t, _, _ = strings.Cut(t, ".")
	case groupedRE.MatchString(t):
		sep := groupedRE.FindStringSubmatch(t)[1]
		if strings.Count(t, sep) != strings.Count(t, ".")+strings.Count(t, " ")+strings.Count(t, ",")+strings.Count(t, "'") {
			return 0, false, cellErrorf("Số %q dùng lẫn nhiều dấu phân cách. Ghi số nguyên, ví dụ 1234 hoặc 1.234.", s)
		}
		t = strings.ReplaceAll(t, sep, "")
	default:
		if f, err := strconv.ParseFloat(t, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return int(f), true, nil // 1.234E3 and the like from a workbook
		}
		return 0, false, cellErrorf("%q không phải số nguyên. Ghi số nguyên không có phần thập phân, ví dụ 1234 hoặc 1.234.", s)
	}
	v, err := strconv.Atoi(t)
	if err != nil {
		return 0, false, cellErrorf("Số %q quá lớn.", s)
	}
	return v, true, nil
}

// ParseGender reads a "Giới tính" cell: Nam/Nữ in any case and with or
// without diacritics, M/F, male/female, and 1 for Nam, 0 for Nữ (the
// convention of the national membership software). An empty cell gives "".
func ParseGender(s string) (congdoan.Gender, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	switch NormalizeHeader(s) {
	case "nam", "m", "male", "1", "trai", "ong":
		return congdoan.GenderMale, nil
	case "nu", "f", "female", "0", "gai", "ba":
		return congdoan.GenderFemale, nil
	}
	return "", cellErrorf("Giới tính %q không rõ. Ghi “Nam” hoặc “Nữ”.", strings.TrimSpace(s))
}

// ParseFemaleMark reads a "Nữ" column: x, 1, có or nữ tick a woman; an
// empty cell, 0 or không a man.
func ParseFemaleMark(s string) (congdoan.Gender, error) {
	if strings.TrimSpace(s) == "" {
		return congdoan.GenderMale, nil
	}
	switch NormalizeHeader(s) {
	case "0", "khong", "nam":
		return congdoan.GenderMale, nil
	case "x", "1", "co", "nu", "v":
		return congdoan.GenderFemale, nil
	}
	return "", cellErrorf("Cột “Nữ” chỉ ghi x cho nữ, để trống cho nam; không hiểu %q.", strings.TrimSpace(s))
}

var (
	sciRE      = regexp.MustCompile(`^\d(?:\.\d+)?[eE]\+?\d+$`)
	floatIntRE = regexp.MustCompile(`^(\d+)\.0+$`)
)

// NormalizeCCCD prepares a CCCD cell for Validate: spaces, dots and dashes
// go; a raw number from a workbook ("1.23456789012E+11", "12345678901.0")
// is written out; and 11 digits get back the leading zero Excel dropped
// when the column was a number, with a warning to check it. Whether the
// result is a valid CCCD is Validate's business.
func NormalizeCCCD(s string) (cccd, warning string) {
	t := strings.TrimSpace(s)
	if sciRE.MatchString(t) {
		if f, ok := new(big.Float).SetPrec(200).SetString(t); ok {
			if i, acc := f.Int(nil); acc == big.Exact {
				t = i.String()
			}
		}
	}
	if m := floatIntRE.FindStringSubmatch(t); m != nil {
		t = m[1]
	}
	t = vntext.NormalizeDigits(t)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "'"), "’")
	if len(t) == 11 && allDigits(t) {
		return "0" + t, fmt.Sprintf("Số CCCD chỉ có 11 chữ số (Excel bỏ mất số 0 ở đầu khi cột là kiểu số); đã thêm số 0: %s. Kiểm tra lại, và định dạng cột là Văn bản (Text).", "0"+t)
	}
	return t, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) || r > '9' {
			return false
		}
	}
	return s != ""
}
