package indicator

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"congdoan"
)

// Period is a reporting period: a year ("2025"), a half ("2025-H1") or a
// quarter ("2025-Q3"), with its first and last days and a Vietnamese label.
type Period struct {
	Code     string
	From, To congdoan.Date
	Label    string
}

// ParsePeriod reads "2025", "2025-H1", "2025-H2", "2025-Q1" … "2025-Q4".
func ParsePeriod(s string) (Period, error) {
	bad := congdoan.FieldError("period", fmt.Sprintf("Kỳ báo cáo %q không hợp lệ: dùng năm (2025), nửa năm (2025-H1, 2025-H2) hoặc quý (2025-Q1 … 2025-Q4).", s))
	s = strings.ToUpper(strings.TrimSpace(s))
	year, rest, dash := strings.Cut(s, "-")
	if dash && rest == "" {
		return Period{}, bad
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 2000 || y > 2100 || len(year) != 4 {
		return Period{}, bad
	}
	p := Period{Code: s}
	switch {
	case rest == "":
		p.From, p.To, p.Label = congdoan.NewDate(y, 1, 1), congdoan.NewDate(y, 12, 31), fmt.Sprintf("Năm %d", y)
	case rest == "H1" || rest == "H2":
		h := int(rest[1] - '0')
		p.From = congdoan.NewDate(y, time.Month(1+6*(h-1)), 1)
		p.To = congdoan.DateOf(p.From.Time().AddDate(0, 6, -1))
		p.Label = map[int]string{1: "6 tháng đầu năm", 2: "6 tháng cuối năm"}[h] + " " + year
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		q := int(rest[1] - '0')
		p.From = congdoan.NewDate(y, time.Month(1+3*(q-1)), 1)
		p.To = congdoan.DateOf(p.From.Time().AddDate(0, 3, -1))
		p.Label = fmt.Sprintf("Quý %s năm %d", []string{"I", "II", "III", "IV"}[q-1], y)
	default:
		return Period{}, bad
	}
	return p, nil
}
