package vntext

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// FieldError is a validation failure whose Message is written in Vietnamese
// for the officer entering the data: it says what is wrong and how to fix it,
// so handlers can show it next to the field as is.
type FieldError struct {
	Message string
}

// Error returns the Vietnamese message, so a *FieldError can be shown
// wherever an error is printed.
func (e *FieldError) Error() string { return e.Message }

// fieldErrorf builds a *FieldError; messages are NFC so they compare and
// render the same everywhere.
func fieldErrorf(format string, args ...any) error {
	return &FieldError{Message: NFC(fmt.Sprintf(format, args...))}
}

// ProvinceName returns the name of a GSO 2-digit province code
// ("06" -> "Bắc Kạn"), for messages; ok is false if the code is unknown.
//
// The list is the 63 provinces before the July 2025 merger, which is the
// list citizen ID numbers encode.
func ProvinceName(code2 string) (name string, ok bool) {
	return provinceName(code2)
}

// NormalizeDigits strips spaces, dots and dashes from an ID typed by a
// person, e.g. "001 084.000-999" -> "001084000999".
//
// People group long numbers when typing or copying from a card, and
// spreadsheets add non-breaking spaces; none of that is part of the number.
// Any Unicode space or dash (hyphen, en dash, …) is removed. Other characters
// are kept so that validation can report them.
func NormalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return r
	}, s)
}

// onlyASCIIDigits reports whether s is non-empty and made of 0-9 only.
func onlyASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// firstNonDigit returns the first rune of s that is not an ASCII digit.
func firstNonDigit(s string) (rune, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return r, true
		}
	}
	return 0, false
}

// IsLegacyCMND reports whether s is a 9-digit old identity card number
// (chứng minh nhân dân). Imports still accept these as a legacy identifier
// for members who have not yet been re-registered with a CCCD.
func IsLegacyCMND(s string) bool {
	d := NormalizeDigits(s)
	return len(d) == 9 && onlyASCIIDigits(d)
}

// CCCDInfo is what the 12 digits of a citizen ID (căn cước công dân) encode:
// a 3-digit code of the province where the birth was registered ("0" + the
// GSO 2-digit province code), one digit for century and gender
// (1900–1999: male 0, female 1; 2000–2099: 2/3; 2100–2199: 4/5;
// 2200–2299: 6/7; 2300–2399: 8/9), the last two digits of the birth year
// and six random digits.
//
// Decoding lets the system cross-check an ID against the member's recorded
// gender and birth date, which catches most typing errors in either.
type CCCDInfo struct {
	// ProvinceCode is the 3-digit code as printed, e.g. "006".
	ProvinceCode string
	// KnownProvince is false if the code is not one of the 63 GSO provinces
	// (e.g. born abroad): worth a warning, not an error.
	KnownProvince bool
	// Female is the gender encoded in the 4th digit.
	Female bool
	// BirthYearMin and BirthYearMax bound the birth year. Century and the
	// two year digits give exactly one year, so both equal BirthYear; the
	// range form lets callers treat CCCD and other partial sources alike.
	BirthYearMin, BirthYearMax int
	// BirthYear is the decoded year of birth.
	BirthYear int
}

// ProvinceName returns the province name for the code in the ID, or "" if
// it is not a known province.
func (c CCCDInfo) ProvinceName() string {
	if !c.KnownProvince {
		return ""
	}
	name, _ := ProvinceName(c.ProvinceCode[1:])
	return name
}

// centuryGender returns the century number (20 for 1900–1999) and gender
// word for the decoded info, for messages.
func (c CCCDInfo) centuryGender() (int, string) {
	g := "nam"
	if c.Female {
		g = "nữ"
	}
	return c.BirthYear/100 + 1, g
}

// ParseCCCD checks the shape of a citizen ID (exactly 12 ASCII digits after
// NormalizeDigits) and decodes it. A birth year later than the current year
// is rejected too: it can only come from a mistyped 4th digit.
func ParseCCCD(s string) (CCCDInfo, error) {
	d := NormalizeDigits(s)
	if d == "" {
		return CCCDInfo{}, fieldErrorf("Chưa nhập số CCCD. Nhập đủ 12 chữ số in trên thẻ căn cước.")
	}
	if r, bad := firstNonDigit(d); bad {
		return CCCDInfo{}, fieldErrorf("Số CCCD chỉ gồm chữ số, nhưng có ký tự %q. Xoá ký tự đó và nhập đủ 12 chữ số.", r)
	}
	if len(d) != 12 {
		hint := ""
		if len(d) == 9 {
			hint = " Số 9 chữ số là CMND cũ: hãy nhập số CCCD 12 chữ số."
		}
		return CCCDInfo{}, fieldErrorf("Số CCCD phải gồm đúng 12 chữ số (đang có %d).%s", len(d), hint)
	}
	cg := int(d[3] - '0')
	yy := int(d[4]-'0')*10 + int(d[5]-'0')
	year := 1900 + cg/2*100 + yy
	info := CCCDInfo{
		ProvinceCode: d[:3],
		Female:       cg%2 == 1,
		BirthYearMin: year,
		BirthYearMax: year,
		BirthYear:    year,
	}
	if d[0] == '0' {
		_, info.KnownProvince = ProvinceName(d[1:3])
	}
	if now := time.Now().Year(); year > now {
		return CCCDInfo{}, fieldErrorf("Số CCCD %s cho biết người sinh năm %d, sau năm hiện tại: chữ số thứ 4 (%c) hoặc thứ 5–6 (%s) bị nhập sai, kiểm tra lại số CCCD.", d, year, d[3], d[4:6])
	}
	return info, nil
}

// CheckCCCD parses cccd and checks that the decoded gender and birth year
// agree with the member's record (female, birthYear). A birthYear of 0 means
// the year is unknown and skips the year check. When both disagree, the
// message names both problems so the officer fixes them in one pass.
func CheckCCCD(cccd string, female bool, birthYear int) (CCCDInfo, error) {
	info, err := ParseCCCD(cccd)
	if err != nil {
		return info, err
	}
	d := NormalizeDigits(cccd)
	var problems []string
	if info.Female != female {
		century, g := info.centuryGender()
		record := "nam"
		if female {
			record = "nữ"
		}
		problems = append(problems, fmt.Sprintf(
			"Chữ số thứ 4 của CCCD (%c) cho biết giới tính %s, sinh thế kỷ %d, nhưng hồ sơ ghi %s: kiểm tra lại số CCCD hoặc giới tính.",
			d[3], g, century, record))
	}
	if birthYear != 0 && info.BirthYear != birthYear {
		problems = append(problems, fmt.Sprintf(
			"Số CCCD %s cho biết người sinh năm %d, nhưng ngày sinh ghi năm %d: kiểm tra lại số CCCD hoặc ngày sinh.",
			d, info.BirthYear, birthYear))
	}
	if len(problems) > 0 {
		return info, fieldErrorf("%s", strings.Join(problems, " "))
	}
	return info, nil
}

// NormalizeTaxCode validates an enterprise tax code (mã số thuế): 10 digits,
// or 10 digits + "-" + 3 digits for a dependent unit (branch). Spaces are
// accepted, and so are the 13 digits written without the dash as on some
// paper forms. It returns the canonical form "0101234567" or
// "0101234567-001".
//
// Only the format is checked: the checksum rule is not confirmed, and
// rejecting a real tax code would block an import for no reason.
func NormalizeTaxCode(s string) (string, error) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		if unicode.Is(unicode.Pd, r) {
			return '-' // en dash and friends from word processors
		}
		return r
	}, s)
	if t == "" {
		return "", fieldErrorf("Chưa nhập mã số thuế. Nhập 10 chữ số, ví dụ 0101234567.")
	}
	base, branch, hasDash := strings.Cut(t, "-")
	if !hasDash && len(t) == 13 && onlyASCIIDigits(t) {
		base, branch, hasDash = t[:10], t[10:], true
	}
	if len(base) == 10 && onlyASCIIDigits(base) {
		if !hasDash {
			return base, nil
		}
		if len(branch) == 3 && onlyASCIIDigits(branch) {
			return base + "-" + branch, nil
		}
	}
	return "", fieldErrorf("Mã số thuế không hợp lệ: %q. Nhập 10 chữ số (ví dụ 0101234567), hoặc với đơn vị phụ thuộc là 10 chữ số, dấu gạch ngang và 3 chữ số (ví dụ 0101234567-001).", strings.TrimSpace(s))
}

// NormalizePhone accepts Vietnamese phone numbers typed as "0912 345 678",
// "0912.345.678", "(0912) 345-678", "+84 912345678", "+84 (0) 912345678",
// "0084912345678" or "84912345678" and returns the national form
// "0912345678", so the same number is stored once whatever way it was
// typed.
//
// Mobile numbers have 10 digits starting 03, 05, 07, 08 or 09; landlines
// have 11 digits starting 02 (e.g. 0209 3870 123 in Bắc Kạn). Anything else
// is an error naming the expected form.
func NormalizePhone(s string) (string, error) {
	d := strings.Map(func(r rune) rune {
		if r == '(' || r == ')' {
			return -1
		}
		return r
	}, NormalizeDigits(s))
	if d == "" {
		return "", fieldErrorf("Chưa nhập số điện thoại. Nhập số di động 10 chữ số, ví dụ 0912 345 678.")
	}
	intl := false
	switch {
	case strings.HasPrefix(d, "+84"):
		d, intl = d[3:], true
	case strings.HasPrefix(d, "0084"):
		d, intl = d[4:], true
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12):
		// A national number starts with 0, so a leading 84 of the right
		// length can only be the country code typed without "+".
		d, intl = d[2:], true
	}
	if intl && !strings.HasPrefix(d, "0") {
		d = "0" + d
	}
	if onlyASCIIDigits(d) {
		switch {
		case len(d) == 10 && d[0] == '0' && strings.IndexByte("35789", d[1]) >= 0:
			return d, nil
		case len(d) == 11 && strings.HasPrefix(d, "02"):
			return d, nil
		}
	}
	return "", fieldErrorf("Số điện thoại không hợp lệ: %q. Nhập số di động 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678), hoặc số cố định 11 chữ số bắt đầu bằng 02 (ví dụ 0209 3870 123).", strings.TrimSpace(s))
}
