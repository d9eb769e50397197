package congdoan

import (
	"testing"
)

// TestValidate holds each input's one validation entry point to what it
// checks without a database, and to the messages naming their fields.
func TestValidate(t *testing.T) {
	today := NewDate(2026, 11, 24)
	person := func() MemberInput {
		return MemberInput{CCCD: "006 085 000 101", FullName: " Nguyễn  Văn An ", Gender: GenderMale, BirthDate: NewDate(1985, 3, 15),
			Phone: "0912.345.678", UnitCode: " CDCS-A "}
	}
	t.Run("admission normalises", func(t *testing.T) {
		in := person()
		if v := in.Validate(today); len(v) != 0 {
			t.Fatalf("a good admission: %v", v)
		}
		if in.CCCD != "006085000101" || in.FullName != "Nguyễn Văn An" || in.UnitCode != "CDCS-A" || in.JoinedOn != today || in.Phone == "0912.345.678" {
			t.Errorf("normalised: %+v", in)
		}
	})
	for _, c := range []struct {
		name   string
		change func(*MemberInput)
		fields []string
	}{
		{"no union", func(in *MemberInput) { in.UnitCode = "" }, []string{"unit_code"}},
		{"future admission", func(in *MemberInput) { in.JoinedOn = today.AddDays(1) }, []string{"joined_on"}},
		{"CCCD gender", func(in *MemberInput) { in.Gender = GenderFemale }, []string{"cccd"}},
		{"CCCD year", func(in *MemberInput) { in.BirthDate = NewDate(1986, 3, 15) }, []string{"cccd"}},
		{"no CCCD", func(in *MemberInput) { in.CCCD = " " }, []string{"cccd"}},
		{"too young", func(in *MemberInput) { in.BirthDate, in.CCCD = NewDate(2015, 1, 1), "006215000101" }, []string{"birth_date"}},
		{"bad phone", func(in *MemberInput) { in.Phone = "12345" }, []string{"phone"}},
		{"one word name", func(in *MemberInput) { in.FullName = "An" }, []string{"full_name"}},
		{"everything", func(in *MemberInput) { *in = MemberInput{} }, []string{"full_name", "gender", "birth_date", "cccd", "unit_code"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := person()
			c.change(&in)
			v := in.Validate(today)
			for _, f := range c.fields {
				if v[f] == "" {
					t.Errorf("no message for %s: %v", f, v)
				}
			}
			if len(v) != len(c.fields) {
				t.Errorf("messages %v, want fields %v", v, c.fields)
			}
		})
	}
	t.Run("person edit needs no union", func(t *testing.T) {
		in := person()
		in.UnitCode = ""
		if v := in.ValidatePerson(today); len(v) != 0 {
			t.Errorf("%v", v)
		}
	})
	t.Run("transfer and leave", func(t *testing.T) {
		tr := TransferInput{}
		if v := tr.Validate(today); v["to_unit"] == "" || tr.On != today {
			t.Errorf("transfer: %v on %s", v, tr.On)
		}
		tr = TransferInput{ToUnitCode: "CDCS-B", On: today.AddDays(3)}
		if v := tr.Validate(today); v["on"] == "" {
			t.Errorf("future transfer: %v", v)
		}
		lv := LeaveInput{Reason: "nghi"}
		if v := lv.Validate(today); v["reason"] == "" {
			t.Errorf("leave: %v", v)
		}
	})
	t.Run("unit", func(t *testing.T) {
		in := UnitInput{Code: " CDCS-X ", Name: " Công đoàn  X ", Kind: KindGrassroots, ParentCode: "LDLD-BK"}
		if v := in.Validate(today); len(v) != 0 || in.Code != "CDCS-X" || in.Name != "Công đoàn X" || in.FoundedOn != today {
			t.Errorf("%v %+v", v, in)
		}
		in = UnitInput{Code: "a b", Kind: "x", FoundedOn: today.AddDays(1)}
		v := in.Validate(today)
		for _, f := range []string{"code", "name", "kind", "parent_code", "founded_on"} {
			if v[f] == "" {
				t.Errorf("unit: no message for %s: %v", f, v)
			}
		}
	})
	t.Run("employer", func(t *testing.T) {
		in := EmployerInput{TaxCode: "4700 123 456", Name: "Công ty A", Sector: SectorNonState, WorkersTotal: 10, UnitCode: "LDLD-BK"}
		if v := in.Validate(today); len(v) != 0 || in.TaxCode != "4700123456" || in.Status != EmployerActive || in.HeadcountAsOf != today {
			t.Errorf("%v %+v", v, in)
		}
		in = EmployerInput{TaxCode: "12", WorkersTotal: 5, WorkersFemale: 6, HeadcountAsOf: today.AddDays(1)}
		v := in.Validate(today)
		for _, f := range []string{"tax_code", "name", "sector", "workers_female", "unit_code", "headcount_as_of"} {
			if v[f] == "" {
				t.Errorf("employer: no message for %s: %v", f, v)
			}
		}
	})
	t.Run("user", func(t *testing.T) {
		in := UserInput{Username: " CanBo.Moi ", Role: RoleUpperOfficer, UnitCode: "LDLD-BK", Password: "chè-Thái-ngon-nhất"}
		if v := in.Validate(today); len(v) != 0 || in.Username != "canbo.moi" {
			t.Errorf("%v %+v", v, in)
		}
		in = UserInput{Username: "x", Role: "boss", Password: "ngan"}
		v := in.Validate(today)
		for _, f := range []string{"username", "role", "unit_code", "password"} {
			if v[f] == "" {
				t.Errorf("user: no message for %s: %v", f, v)
			}
		}
	})
}
