package vntext

import (
	"math/big"
	"strconv"
	"strings"
	"time"
)

// FormatInt formats n with "." as the thousands separator, the Vietnamese
// convention: 23000 -> "23.000", -1234 -> "-1.234".
func FormatInt(n int64) string {
	return string(appendGroupedDigits(nil, strconv.FormatInt(n, 10)))
}

// appendGroupedDigits appends the decimal number digits (optionally
// starting with "-") to dst with "." between groups of three digits.
func appendGroupedDigits(dst []byte, digits string) []byte {
	if strings.HasPrefix(digits, "-") {
		dst = append(dst, '-')
		digits = digits[1:]
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if i > 0 && (len(digits)-i)%3 == 0 {
			dst = append(dst, '.')
		}
		dst = append(dst, c)
	}
	return dst
}

// FormatMoney formats an amount in đồng: 1234567 -> "1.234.567 đ". Amounts
// are whole đồng (the currency has no subunit in use), hence int64.
func FormatMoney(n int64) string {
	return FormatInt(n) + " đ"
}

// FormatDate formats t as day/month/year with two-digit day and month
// ("24/11/2026", "04/01/2026"), the form used on Vietnamese documents. The
// zero time gives "" so that an unknown date shows as an empty cell.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

// ParseDate reads a date typed by an officer or found in an import:
// "24/11/2026", "4/1/2026" (day first, as Vietnamese write it; "." and "-"
// are accepted in place of "/"), "24112026" (eight digits, day first, a
// year from 1900 to 2099, as typed on a phone's number pad), or ISO
// "2026-11-24". The year must have 4
// digits, since a 2-digit year is ambiguous for birth dates. It returns UTC
// midnight so that dates compare and store without time-zone drift.
func ParseDate(s string) (time.Time, error) {
	t, ok := parseDate(strings.TrimSpace(s))
	if !ok {
		return time.Time{}, fieldErrorf("Ngày không hợp lệ: %q. Nhập theo dạng ngày/tháng/năm, ví dụ 24/11/2026.", s)
	}
	return t, nil
}

// parseDate does the work of ParseDate without building the error.
func parseDate(s string) (time.Time, bool) {
	var day, month, year string
	if len(s) == 8 && onlyASCIIDigits(s) {
		// ddmmyyyy; yyyymmdd is never read this way (its "month" would
		// be the year's last two digits and its year the month and day).
		day, month, year = s[:2], s[2:4], s[4:]
		if year < "1900" || year > "2099" {
			return time.Time{}, false
		}
	} else if y, rest, ok := strings.Cut(s, "-"); ok && len(y) == 4 {
		// ISO year-month-day.
		m, d, ok := strings.Cut(rest, "-")
		if !ok || len(m) > 2 || len(d) > 2 {
			return time.Time{}, false
		}
		year, month, day = y, m, d
	} else {
		sep := strings.IndexAny(s, "/.-")
		if sep < 0 {
			return time.Time{}, false
		}
		parts := strings.Split(s, s[sep:sep+1])
		if len(parts) != 3 {
			return time.Time{}, false
		}
		day, month, year = parts[0], parts[1], parts[2]
		if len(day) > 2 || len(month) > 2 || len(year) != 4 {
			return time.Time{}, false
		}
	}
	d, okD := atoiDigits(day)
	m, okM := atoiDigits(month)
	y, okY := atoiDigits(year)
	if !okD || !okM || !okY || y < 1 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // time.Date normalises 31/02 to March; reject it instead
		return time.Time{}, false
	}
	return t, true
}

// atoiDigits parses a non-empty string of ASCII digits (no sign, unlike
// strconv.Atoi, so "-1" or "+1" are not accepted as date parts).
func atoiDigits(s string) (int, bool) {
	if !onlyASCIIDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// FormatPercent formats num/den as a percentage with at most 2 decimals and
// a comma as the decimal separator, Vietnamese style: 7150/10000 ->
// "71,5 %", 1/3 -> "33,33 %". It rounds half away from zero and is exact for
// any int64 inputs. A zero denominator gives "—" because the rate is
// undefined (e.g. a union with no members yet), not 0.
func FormatPercent(num, den int64) string {
	if den == 0 {
		return "—"
	}
	// hundredths of a percent = round(num * 10000 / den)
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(10000))
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	// Round half away from zero: |2r| >= |d| moves q one step away from 0.
	if r.Sign() != 0 && new(big.Int).Abs(new(big.Int).Lsh(r, 1)).Cmp(new(big.Int).Abs(d)) >= 0 {
		if (num < 0) != (den < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	neg := q.Sign() < 0
	q.Abs(q)
	frac := new(big.Int)
	whole, frac := q.QuoRem(q, big.NewInt(100), frac)
	var b []byte
	if neg {
		b = append(b, '-')
	}
	b = appendGroupedDigits(b, whole.String())
	if f := frac.Int64(); f != 0 {
		b = append(b, ',', byte('0'+f/10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return string(b) + " %"
}
