package importer

import "testing"

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		"+84912345678":       "'+84912345678",
		"-1+1":               "'-1+1",
		"@SUM(A1:A2)":        "'@SUM(A1:A2)",
		"\t=1":               "'\t=1",
		"\r=1":               "'\r=1",
		"  =1":               "'  =1",
		"＝1":                 "'＝1",
		"Nguyễn Văn An":      "Nguyễn Văn An",
		"001090012345":       "001090012345",
		"a=b":                "a=b",
		"":                   "",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
