package importer

import (
	"strings"
	"testing"
	"time"

	"congdoan"
)

var today = congdoan.NewDate(2026, time.December, 2)

func TestParseDate(t *testing.T) {
	p := DateParser{Today: today}
	for _, tc := range []struct {
		in       string
		want     string // yyyy-mm-dd, "" for zero
		yearOnly bool
	}{
		{"05/03/1990", "1990-03-05", false},
		{"5/3/1990", "1990-03-05", false},
		{"5-3-1990", "1990-03-05", false},
		{"05.03.1990", "1990-03-05", false},
		{"5/3/90", "1990-03-05", false},
		{"5/3/20", "2020-03-05", false},
		{"5/3/26", "2026-03-05", false},
		{"5/3/27", "1927-03-05", false},
		{"1990-03-05", "1990-03-05", false},
		{"1990-03-05T00:00:00Z", "1990-03-05", false},
		{"1990-03-05 00:00:00", "1990-03-05", false},
		{"32937", "1990-03-05", false},    // Excel serial
		{"32937.75", "1990-03-05", false}, // with a time of day
		{"1", "1900-01-01", false},
		{"59", "1900-02-28", false},
		{"61", "1900-03-01", false},
		{"ngày 5 tháng 3 năm 1990", "1990-03-05", false},
		{"Ngày 05 tháng 03 năm 1990", "1990-03-05", false},
		{"ngay 5 thang 3 nam 1990", "1990-03-05", false},
		{"1990", "1990-01-01", true},
		{"năm 1990", "1990-01-01", true},
		{"  ", "", false},
	} {
		d, y, err := p.Parse(tc.in)
		got := ""
		if !d.IsZero() {
			got = d.Time().Format(time.DateOnly)
		}
		if err != nil || got != tc.want || y != tc.yearOnly {
			t.Errorf("Parse(%q) = %s, %v, %v; want %s, %v", tc.in, got, y, err, tc.want, tc.yearOnly)
		}
	}
	p1904 := DateParser{Today: today, Date1904: true}
	if d, _, _ := p1904.Parse("31475"); d.Time().Format(time.DateOnly) != "1990-03-05" {
		t.Errorf("1904 serial: %v", d)
	}
	for _, bad := range []string{"31/02/1990", "60", "abc", "5/13/1990", "1990-13-01", "5/3/199", "0", "12/2026"} {
		if _, _, err := p.Parse(bad); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		} else if !strings.Contains(err.Error(), "Ngày") {
			t.Errorf("Parse(%q): message %q", bad, err)
		}
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]int{"1234": 1234, "1.234": 1234, "1 234": 1234, "1\u00a0234": 1234, "1.234.567": 1234567, "1,234": 1234, "1234.0": 1234, "1.234E3": 1234, " 12 ": 12, "0": 0} {
		n, ok, err := ParseInt(in)
		if err != nil || !ok || n != want {
			t.Errorf("ParseInt(%q) = %d, %v, %v; want %d", in, n, ok, err, want)
		}
	}
	if _, ok, err := ParseInt(""); ok || err != nil {
		t.Error("empty: ok or error")
	}
	for _, bad := range []string{"1,5", "12a", "1.23", "1.234 567", "abc"} {
		if _, _, err := ParseInt(bad); err == nil {
			t.Errorf("ParseInt(%q): no error", bad)
		}
	}
}

func TestParseGender(t *testing.T) {
	for in, want := range map[string]string{"Nam": "M", "nam": "M", "NAM": "M", "M": "M", "1": "M", "Nữ": "F", "nu": "F", "NỮ": "F", "F": "F", "0": "F", "": ""} {
		if got, err := ParseGender(in); err != nil || string(got) != want {
			t.Errorf("ParseGender(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseGender("?"); err == nil || !strings.Contains(err.Error(), "“Nam” hoặc “Nữ”") {
		t.Errorf("ParseGender(?) = %v", err)
	}
	for in, want := range map[string]string{"x": "F", "X": "F", "": "M", "1": "F", "0": "M"} {
		if got, err := ParseFemaleMark(in); err != nil || string(got) != want {
			t.Errorf("ParseFemaleMark(%q) = %q, %v", in, got, err)
		}
	}
}

func TestNormalizeCCCD(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		warn     bool
	}{
		{"001090012345", "001090012345", false},
		{"001 090 012 345", "001090012345", false},
		{"001.090.012.345", "001090012345", false},
		{"01090012345", "001090012345", true},
		{"1090012345.0", "1090012345", false},
		{"1.09001234E+11", "109001234000", false},
		{"'001090012345", "001090012345", false},
	} {
		got, warn := NormalizeCCCD(tc.in)
		if got != tc.want || (warn != "") != tc.warn {
			t.Errorf("NormalizeCCCD(%q) = %q, %q", tc.in, got, warn)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"05/03/1990", "5/3/90", "32937", "ngày 5 tháng 3 năm 1990", "1990", "1990-03-05T10:00:00Z", "60", "99999999"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, d1904 bool) {
		d, yearOnly, err := DateParser{Today: today, Date1904: d1904}.Parse(s)
		if err != nil {
			if !d.IsZero() || yearOnly {
				t.Fatalf("error with a date: %q", s)
			}
			return
		}
		if yearOnly && (d.Time().Month() != 1 || d.Time().Day() != 1) {
			t.Fatalf("year only but %v", d)
		}
	})
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"1234", "1.234", "1 234", "1,5", "1.234E3", "-5", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok, err := ParseInt(s)
		if err != nil && (ok || n != 0) {
			t.Fatalf("ParseInt(%q) = %d, %v with error", s, n, ok)
		}
	})
}
