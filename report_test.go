package congdoan

import "testing"

func TestParseReportPeriod(t *testing.T) {
	for _, c := range []struct{ in, from, to, label string }{
		{"2025", "2025-01-01", "2025-12-31", "Năm 2025"},
		{"2025-h1", "2025-01-01", "2025-06-30", "6 tháng đầu năm 2025"},
		{"2025-H2", "2025-07-01", "2025-12-31", "6 tháng cuối năm 2025"},
		{"2025-Q3", "2025-07-01", "2025-09-30", "Quý III năm 2025"},
		{"2024-Q1", "2024-01-01", "2024-03-31", "Quý I năm 2024"},
		{"2026-S1", "2025-12-01", "2026-05-31", "Kỳ thống kê số liệu 31/05/2026"},
		{"2026-s2", "2026-06-01", "2026-11-30", "Kỳ thống kê số liệu 30/11/2026"},
	} {
		p, err := ParseReportPeriod(c.in)
		if err != nil || p.From.String() != c.from || p.To.String() != c.to || p.Label != c.label {
			t.Errorf("%s: %+v %v", c.in, p, err)
		}
	}
	for _, bad := range []string{"", "25", "2025-Q5", "2025-H3", "2025-S3", "2025-", "năm 2025", "2025-Q1x"} {
		if _, err := ParseReportPeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPeriodLabelIn(t *testing.T) {
	for code, want := range map[string][2]string{
		"2025":    {"Năm 2025", "Year 2025"},
		"2025-H1": {"6 tháng đầu năm 2025", "First half of 2025"},
		"2025-H2": {"6 tháng cuối năm 2025", "Second half of 2025"},
		"2025-Q3": {"Quý III năm 2025", "Quarter III 2025"},
		"2025-S2": {"Kỳ thống kê số liệu 30/11/2025", "Statistics as of 30/11/2025"},
	} {
		p, err := ParseReportPeriod(code)
		if err != nil || p.Label != want[0] || p.LabelIn("vi") != want[0] || p.LabelIn("en") != want[1] {
			t.Errorf("%s: %q %q %v", code, p.Label, p.LabelIn("en"), err)
		}
	}
}
