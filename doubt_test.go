package congdoan

import (
	"strings"
	"testing"
)

func TestNameDoubts(t *testing.T) {
	for name, want := range map[string]string{
		"Nguyễn Văn An":  "",
		"Nguyen Van An":  "doubt.no_marks",
		"nguyễn văn an":  "doubt.lower_case",
		"nguyen van an":  "doubt.no_marks,doubt.lower_case",
		"Ma Lan":         "doubt.no_marks",
		"Nông Thị Hoa":   "",
		"Hoàng thị Đào":  "doubt.lower_case",
		"":               "",
		"  Lý  Thị Én  ": "",
	} {
		var keys []string
		for _, d := range NameDoubts("full_name", name) {
			keys = append(keys, d.Key)
			if d.Field != "full_name" {
				t.Errorf("%q: field %s", name, d.Field)
			}
		}
		if got := strings.Join(keys, ","); got != want {
			t.Errorf("%q: %s, want %s", name, got, want)
		}
	}
}

func TestLeaveDoubts(t *testing.T) {
	on := NewDate(2026, 11, 24)
	if d := LeaveDoubts(EndRetired, 1988, on); len(d) != 1 || d[0].Args[0] != 38 {
		t.Errorf("retired at 38: %+v", d)
	}
	if d := LeaveDoubts(EndRetired, 1966, on); len(d) != 0 {
		t.Errorf("retired at 60: %+v", d)
	}
	if d := LeaveDoubts(EndLeft, 1988, on); len(d) != 0 {
		t.Errorf("left at 38: %+v", d)
	}
	if d := LeaveDoubts(EndRetired, 1981, on); len(d) != 0 {
		t.Errorf("retired at 45: %+v", d)
	}
	if d := LeaveDoubts(EndRetired, 1982, on); len(d) != 1 {
		t.Errorf("retired at 44: %+v", d)
	}
}

func TestHiddenCharactersRefused(t *testing.T) {
	for _, name := range []string{"Nguyễn Văn \u202eAn", "Nguyễn\u0007 Văn An", "\ufeffNguyễn Văn An", "Nguyễn Văn An\u2066"} {
		in := MemberInput{FullName: name}
		v := in.ValidatePerson(NewDate(2026, 11, 24))
		if !strings.Contains(v["full_name"], "ký tự ẩn") {
			t.Errorf("%q: %v", name, v["full_name"])
		}
	}
	in := MemberInput{FullName: "Nguyễn Văn An"}
	if v := in.ValidatePerson(NewDate(2026, 11, 24)); v["full_name"] != "" {
		t.Errorf("a plain name: %v", v["full_name"])
	}
}
