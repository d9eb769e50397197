package importer

import (
	"strings"
	"testing"
)

func TestMatchHeadersMembers(t *testing.T) {
	headers := []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Dân tộc", "Số điện thoại", "Nghề nghiệp/Công việc", "Ngày kết nạp", "Quê quán"}
	m := MatchHeaders(Members, headers)
	want := []Field{"", "full_name", "birth_date", "gender", "cccd", "ethnicity", "phone", "job", "joined_on", ""}
	for i, f := range want {
		if m.Fields[i] != f {
			t.Errorf("%q → %q, want %q", headers[i], m.Fields[i], f)
		}
	}
	if miss := m.Missing(); len(miss) != 0 {
		t.Errorf("missing %v", miss)
	}
	notes := strings.Join(m.Notes(), "\n")
	if !strings.Contains(notes, "cột A (STT)") || !strings.Contains(notes, "cột J (Quê quán)") {
		t.Errorf("notes %q", notes)
	}
}

func TestMatchHeadersVariants(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		h    string
		want Field
	}{
		{Members, "Ho ten", "full_name"},
		{Members, "HỌ TÊN ĐOÀN VIÊN", "full_name"},
		{Members, "Họ  và\ntên (*)", "full_name"},
		{Members, "ho va ten", "full_name"},
		{Members, "CCCD", "cccd"},
		{Members, "cmnd/cccd", "cccd"},
		{Members, "Năm sinh", "birth_year"},
		{Members, "Nam/Nữ", "gender"},
		{Members, "Nam / Nu", "gender"},
		{Members, "Nữ", "female"},
		{Members, "Ngày vào công đoàn", "joined_on"},
		{Members, "Mã đơn vị", "unit_code"},
		{Members, "Đơn vị", "unit_name"},
		{Members, "Dân tộc của đoàn viên", "ethnicity"},
		{Employers, "MST", "tax_code"},
		{Employers, "Mã số thuế", "tax_code"},
		{Employers, "Số lao động", "workers_total"},
		{Employers, "Lao động nữ", "workers_female"},
		{Employers, "Tên doanh nghiệp", "name"},
		{Units, "Mã đơn vị", "code"},
		{Units, "Mã cấp trên", "parent_code"},
		{Units, "Ngày thành lập", "founded_on"},
	} {
		m := MatchHeaders(tc.kind, []string{tc.h})
		if m.Fields[0] != tc.want {
			t.Errorf("%s %q → %q, want %q", tc.kind, tc.h, m.Fields[0], tc.want)
		}
	}
}

func TestMissingAndSet(t *testing.T) {
	m := MatchHeaders(Members, []string{"Tên", "Ngày sinh", "Ghi chú"})
	msg := m.MissingMessage()
	for _, want := range []string{"Thiếu cột bắt buộc", "“Họ và tên”", "“Số CCCD”", "“Giới tính”"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	key := m.Key()
	if err := m.Set(0, "full_name"); err != nil {
		t.Fatal(err)
	}
	if err := m.Set(2, "full_name"); err != nil { // moves the field
		t.Fatal(err)
	}
	if m.Fields[0] != "" || m.Fields[2] != "full_name" {
		t.Errorf("after Set: %v", m.Fields)
	}
	if m.Key() != key {
		t.Error("the key changed with the mapping; it must depend on the headers only")
	}
	if err := m.Set(9, "cccd"); err == nil {
		t.Error("Set past the end: no error")
	}
	if err := m.Set(1, "tax_code"); err == nil {
		t.Error("Set of an employer field on members: no error")
	}
	// Same headers spelled otherwise: same key. Other headers: other key.
	a := MatchHeaders(Members, []string{"Họ và tên", "Ngày sinh"}).Key()
	b := MatchHeaders(Members, []string{"HO VA TEN ", "ngay  sinh"}).Key()
	c := MatchHeaders(Members, []string{"Ngày sinh", "Họ và tên"}).Key()
	d := MatchHeaders(Employers, []string{"Họ và tên", "Ngày sinh"}).Key()
	if a != b || a == c || a == d {
		t.Errorf("keys %s %s %s %s", a, b, c, d)
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func FuzzMatchHeaders(f *testing.F) {
	for _, s := range []string{"Họ và tên|Ngày sinh|CCCD", "MST|Tên doanh nghiệp", "||", "Ho ten\x00|\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hs := strings.Split(s, "|")
		for _, k := range []Kind{Members, Employers, Units} {
			m := MatchHeaders(k, hs)
			seen := map[Field]bool{}
			for _, f := range m.Fields {
				if f != "" && seen[f] {
					t.Fatalf("field %s twice in %v", f, m.Fields)
				}
				seen[f] = true
			}
			_ = m.Key()
			_ = m.MissingMessage()
			_ = m.Notes()
		}
	})
}
