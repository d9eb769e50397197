package store_test

import (
	"slices"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// foundNames returns the full names of a search's whole result, in order.
func foundNames(t *testing.T, db *store.DB, user, q string, f *storetest.Fixture) []string {
	t.Helper()
	ms, _, err := db.FindMembers(f.Ctx(user), congdoan.MemberFilter{Query: q, Limit: 200})
	if err != nil {
		t.Fatalf("%s %q: %v", user, q, err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.FullName)
	}
	return out
}

// TestNameSearchAsTyped checks the searches an officer types: words in any
// order, each the start of a word of the name, with or without
// diacritics, đ as d; the last four digits of a CCCD; the scope; and that
// an edit, an admission and an import are found at once. Both paths (the
// words as a set, walked word by word) are run.
func TestNameSearchAsTyped(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin := f.Ctx(storetest.Admin)
		add := func(name, unit string, n int) *congdoan.Member {
			m, err := db.CreateMember(admin, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1991, n), FullName: name, Gender: congdoan.GenderMale,
				BirthDate: congdoan.NewDate(1991, 2, 3), UnitCode: unit, JoinedOn: congdoan.NewDate(2024, 1, 1)})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		binhAn := add("Nguyễn Bình An", storetest.UnitCodeA, 701)
		add("Trần Thị Lan", storetest.UnitCodeA1, 702)
		add("Đặng Đức Thắng", storetest.UnitCodeB, 703)
		other := add("Nguyễn Văn Anh", storetest.UnitCodeC, 704)
		for _, th := range []struct {
			name       string
			set, scope int
		}{{"as a set", 1 << 30, 0}, {"walked", 0, 0}, {"by scope", 0, 1 << 30}} {
			t.Run(th.name, func(t *testing.T) {
				defer store.SetSearchThresholds(th.set, th.scope)()
				for _, c := range []struct {
					user, q string
					want    []string
				}{
					{storetest.Province, "van an", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
					{storetest.Province, "an van", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
					{storetest.Province, "thi lan", []string{"Trần Thị Lan"}},
					{storetest.Province, "Thị Lan", []string{"Trần Thị Lan"}},
					{storetest.Province, "nguyen an", []string{"Nguyễn Bình An", "Nguyễn Văn An", "Nguyễn Văn Anh"}},
					{storetest.Province, "an nguyen", []string{"Nguyễn Bình An", "Nguyễn Văn An", "Nguyễn Văn Anh"}},
					{storetest.Province, "an nguyen binh", []string{"Nguyễn Bình An"}},
					{storetest.Province, "dang duc", []string{"Đặng Đức Thắng"}},
					{storetest.Province, "ĐẶNG đức", []string{"Đặng Đức Thắng"}},
					{storetest.Province, "thang d", []string{"Đặng Đức Thắng"}},
					{storetest.Province, "đang thắng", []string{"Đặng Đức Thắng"}},
					{storetest.Province, "van zzz", nil},
					// A grassroots officer never sees another union's members.
					{storetest.UnionA, "nguyen an", []string{"Nguyễn Bình An", "Nguyễn Văn An"}},
					{storetest.UnionA, "dang duc", nil},
					{storetest.UnionC, "van an", []string{"Nguyễn Văn Anh"}},
				} {
					if got := foundNames(t, db, c.user, c.q, f); !slices.Equal(got, c.want) {
						t.Errorf("%s %q: %q, want %q", c.user, c.q, got, c.want)
					}
				}
				// "van" finds everything "nguyen van" finds.
				narrow, wide := foundNames(t, db, storetest.Province, "nguyen van", f), foundNames(t, db, storetest.Province, "van", f)
				for _, n := range narrow {
					if !slices.Contains(wide, n) {
						t.Errorf("%q found by \"nguyen van\" but not by \"van\" (%q)", n, wide)
					}
				}
				if len(narrow) == 0 {
					t.Error("\"nguyen van\" finds nobody")
				}
			})
		}
		// CCCD: the last four digits, the first digits.
		cccd := storetest.CCCD(false, 1991, 701)
		for _, q := range []string{cccd[len(cccd)-4:], cccd[:6], cccd, cccd[:4]} {
			ms, _, err := db.FindMembers(admin, congdoan.MemberFilter{Query: q})
			if err != nil || !slices.ContainsFunc(ms, func(m *congdoan.Member) bool { return m.ID == binhAn.ID }) {
				t.Errorf("CCCD %q: %d found (%v), want Nguyễn Bình An among them", q, len(ms), err)
			}
		}
		if ms, _, err := db.FindMembers(f.Ctx(storetest.UnionA), congdoan.MemberFilter{Query: storetest.CCCD(false, 1991, 704)[8:]}); err != nil || len(ms) != 0 {
			t.Errorf("CCCD tail of another union's member: %d found (%v), want none", len(ms), err)
		}
		if _, _, err := db.FindMembers(admin, congdoan.MemberFilter{Query: "12"}); code(err) != congdoan.EINVALID {
			t.Errorf("two digits: %v, want EINVALID", err)
		}
		// An edit changes what the search finds.
		newName := "Lê Bình Minh"
		if _, err := db.UpdateMember(admin, binhAn.ID, congdoan.MemberUpdate{FullName: &newName}); err != nil {
			t.Fatal(err)
		}
		if got := foundNames(t, db, storetest.Province, "nguyen binh an", f); len(got) != 0 {
			t.Errorf("after the edit, \"nguyen binh an\" finds %q", got)
		}
		if got := foundNames(t, db, storetest.Province, "minh le", f); !slices.Equal(got, []string{newName}) {
			t.Errorf("after the edit, \"minh le\" finds %q", got)
		}
		newCCCD := storetest.CCCD(false, 1991, 799)
		if _, err := db.UpdateMember(admin, other.ID, congdoan.MemberUpdate{CCCD: &newCCCD}); err != nil {
			t.Fatal(err)
		}
		if ms, _, err := db.FindMembers(admin, congdoan.MemberFilter{Query: newCCCD[8:]}); err != nil || len(ms) != 1 || ms[0].ID != other.ID {
			t.Errorf("new CCCD's tail: %d found (%v)", len(ms), err)
		}
		// An import is found.
		res, err := db.ImportMembers(f.Ctx(storetest.District), []congdoan.ImportMemberRow{{Row: 2, In: congdoan.MemberInput{
			CCCD: storetest.CCCD(false, 1990, 801), FullName: "Đinh Văn Hải", Gender: "M", BirthDate: congdoan.NewDate(1990, 1, 1), UnitCode: storetest.UnitCodeA}}},
			congdoan.ImportOptions{File: "a.csv"})
		if err != nil {
			t.Fatal(err)
		}
		_ = res
		if got := foundNames(t, db, storetest.UnionA, "hai dinh", f); !slices.Equal(got, []string{"Đinh Văn Hải"}) {
			t.Errorf("imported: \"hai dinh\" finds %q", got)
		}
		mustDerived(t, db)
	})
}
