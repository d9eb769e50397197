package vntext

import (
	"math"
	"testing"
	"time"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1.000"},
		{23000, "23.000"},
		{-1234, "-1.234"},
		{-999, "-999"},
		{1234567, "1.234.567"},
		{math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatInt(tt.in); got != tt.want {
				t.Errorf("FormatInt(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0 đ"},
		{1234567, "1.234.567 đ"},
		{-50000, "-50.000 đ"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatMoney(tt.in); got != tt.want {
				t.Errorf("FormatMoney(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero", time.Time{}, ""},
		{"date", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "24/11/2026"},
		{"padded", time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC), "04/01/2026"},
		{"local time of day", time.Date(2026, 11, 24, 23, 59, 0, 0, time.FixedZone("ICT", 7*3600)), "24/11/2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.in); got != tt.want {
				t.Errorf("FormatDate(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr string
	}{
		{name: "d/m/y", in: "24/11/2026", want: day(2026, 11, 24)},
		{name: "unpadded", in: "4/1/2026", want: day(2026, 1, 4)},
		{name: "padded", in: "04/01/2026", want: day(2026, 1, 4)},
		{name: "ISO", in: "2026-11-24", want: day(2026, 11, 24)},
		{name: "eight digits", in: "30062024", want: day(2024, 6, 30)},
		{name: "eight digits, yyyymmdd refused", in: "20240630", wantErr: "Ngày không hợp lệ"},
		{name: "eight digits, year out of range", in: "01011850", wantErr: "Ngày không hợp lệ"},
		{name: "spaces", in: " 24/11/2026 ", want: day(2026, 11, 24)},
		{name: "dots", in: "24.11.2026", want: day(2026, 11, 24)},
		{name: "dashes day first", in: "24-11-2026", want: day(2026, 11, 24)},
		{name: "leap day", in: "29/02/2024", want: day(2024, 2, 29)},
		{name: "not leap", in: "29/02/2026", wantErr: `Ngày không hợp lệ: "29/02/2026". Nhập theo dạng ngày/tháng/năm, ví dụ 24/11/2026.`},
		{name: "month first rejected", in: "11/24/2026", wantErr: "Ngày không hợp lệ"},
		{name: "31 April", in: "31/04/2026", wantErr: "Ngày không hợp lệ"},
		{name: "two-digit year", in: "24/11/26", wantErr: "Ngày không hợp lệ"},
		{name: "empty", in: "", wantErr: "Ngày không hợp lệ"},
		{name: "words", in: "hôm nay", wantErr: `"hôm nay"`},
		{name: "mixed separators", in: "24/11-2026", wantErr: "Ngày không hợp lệ"},
		{name: "signed", in: "+4/1/2026", wantErr: "Ngày không hợp lệ"},
		{name: "zero day", in: "0/1/2026", wantErr: "Ngày không hợp lệ"},
		{name: "year zero", in: "1/1/0000", wantErr: "Ngày không hợp lệ"},
		{name: "ISO bad month", in: "2026-13-01", wantErr: "Ngày không hợp lệ"},
		{name: "ISO with time", in: "2026-11-24T10:00:00Z", wantErr: "Ngày không hợp lệ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			checkErr(t, err, tt.wantErr)
			if !got.Equal(tt.want) || got.Location() != tt.want.Location() {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatParseDateRoundTrip(t *testing.T) {
	for _, s := range []string{"01/01/1950", "24/11/2026", "31/12/2099"} {
		t.Run(s, func(t *testing.T) {
			d, err := ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := FormatDate(d); got != s {
				t.Errorf("FormatDate(ParseDate(%q)) = %q", s, got)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		name     string
		num, den int64
		want     string
	}{
		{"spec example", 7150, 10000, "71,5 %"},
		{"zero denominator", 5, 0, "—"},
		{"zero", 0, 7, "0 %"},
		{"whole", 1, 1, "100 %"},
		{"third", 1, 3, "33,33 %"},
		{"two thirds rounds up", 2, 3, "66,67 %"},
		{"half up", 1, 8, "12,5 %"},
		{"round half away from zero", 1, 800, "0,13 %"},
		{"tiny rounds to zero", 1, 100000, "0 %"},
		{"trailing zero dropped", 1, 10, "10 %"},
		{"two decimals", 1234, 10000, "12,34 %"},
		{"negative", -1, 3, "-33,33 %"},
		{"negative den", 1, -3, "-33,33 %"},
		{"both negative", -1, -3, "33,33 %"},
		{"negative half away", -1, 800, "-0,13 %"},
		{"thousands grouped", 25, 1, "2.500 %"},
		{"huge", math.MaxInt64, 1, "922.337.203.685.477.580.700 %"},
		{"min", math.MinInt64, -1, "922.337.203.685.477.580.800 %"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatPercent(tt.num, tt.den); got != tt.want {
				t.Errorf("FormatPercent(%d, %d) = %q, want %q", tt.num, tt.den, got, tt.want)
			}
		})
	}
}
