package store_test

import (
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

func unitCodes(us []*congdoan.Unit) string {
	var out []string
	for _, u := range us {
		out = append(out, u.Code)
	}
	return strings.Join(out, ",")
}

// TestSearchUnits: the pickers' search, by words of the name in any order
// or by code, diacritics ignored, best matches first, inside the scope and
// narrowed to the units a form may take; the directory follows renames,
// new units and dissolutions.
func TestSearchUnits(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		for _, tc := range []struct {
			name, user, q string
			purpose       congdoan.UnitPurpose
			want          string
		}{
			{"words in any order, folded", storetest.Province, "na ri che", "", storetest.UnitCodeC},
			{"with diacritics", storetest.Province, "Chè Na Rì", "", storetest.UnitCodeC},
			{"exact code first", storetest.Province, "cdcs-a", "", "CDCS-A,CDCS-A-T1"},
			{"name prefix before scattered words", storetest.Province, "khoang san", "", storetest.UnitCodeA},
			{"several matches, closest name first", storetest.Province, "bac kan", "members", "CDCS-A,CDCS-B"},
			{"holds members only", storetest.Province, "quang", "members", storetest.UnitCodeA1},
			{"upper only, higher levels first", storetest.Province, "lien doan", "upper", "LDLD-BK,LDLD-BK-066,LDLD-BK-058"},
			{"grassroots only", storetest.Province, "cong doan", "grassroots", "CDCS-C,CDCS-A,CDCS-B"},
			{"outside the scope is not found", storetest.UnionA, "na ri", "", ""},
			{"a union sees its own group", storetest.UnionA, "tuyen quang", "", storetest.UnitCodeA1},
			{"another province's union is not found", storetest.Province, "gang thep", "", ""},
			{"no match", storetest.Province, "xyz", "", ""},
			{"empty query", storetest.Province, "  ", "", ""},
		} {
			us, err := db.SearchUnits(f.Ctx(tc.user), congdoan.UnitSearch{Query: tc.q, For: tc.purpose})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := unitCodes(us); got != tc.want {
				t.Errorf("%s: %q found %s, want %s", tc.name, tc.q, got, tc.want)
			}
		}
		us, err := db.SearchUnits(f.Ctx(storetest.Province), congdoan.UnitSearch{Query: "tuyen quang"})
		if err != nil || len(us) != 1 {
			t.Fatalf("path: %v %v", us, err)
		}
		if got := strings.Join(us[0].Path, " › "); !strings.HasPrefix(got, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn › ") {
			t.Errorf("path %q: want the nearest ancestor first", got)
		}
		if _, err := db.SearchUnits(f.Ctx(storetest.Province), congdoan.UnitSearch{Query: "a", Limit: congdoan.MaxPageSize + 1}); code(err) != congdoan.EINVALID {
			t.Errorf("limit over the maximum: %v", err)
		}
		if _, err := db.SearchUnits(f.Ctx(storetest.Province), congdoan.UnitSearch{Query: "a", For: "x"}); code(err) != congdoan.EINVALID {
			t.Errorf("unknown purpose: %v", err)
		}

		// The directory follows the tree's changes.
		ctx := f.Ctx(storetest.Province)
		if _, err := db.RenameUnit(ctx, storetest.UnitCodeC, "Công đoàn Công ty Cổ phần Trà Đà Bắc"); err != nil {
			t.Fatal(err)
		}
		if us, _ := db.SearchUnits(ctx, congdoan.UnitSearch{Query: "tra da bac"}); unitCodes(us) != storetest.UnitCodeC {
			t.Errorf("after a rename: %s", unitCodes(us))
		}
		if _, err := db.CreateUnit(ctx, congdoan.UnitInput{Code: "CDCS-MOI", Name: "Công đoàn Hợp tác xã Đồng Tâm", Kind: congdoan.KindGrassroots, ParentCode: storetest.District66}); err != nil {
			t.Fatal(err)
		}
		if us, _ := db.SearchUnits(ctx, congdoan.UnitSearch{Query: "dong tam", For: congdoan.ForMembers}); unitCodes(us) != "CDCS-MOI" {
			t.Errorf("a new unit: %s", unitCodes(us))
		}
		if err := db.DissolveUnit(ctx, "CDCS-MOI", db.Today(), ""); err != nil {
			t.Fatal(err)
		}
		if us, _ := db.SearchUnits(ctx, congdoan.UnitSearch{Query: "dong tam", For: congdoan.ForMembers}); len(us) != 0 {
			t.Errorf("a dissolved union still takes members: %s", unitCodes(us))
		}
		if us, _ := db.SearchUnits(ctx, congdoan.UnitSearch{Query: "dong tam"}); unitCodes(us) != "CDCS-MOI" {
			t.Errorf("a dissolved unit is still found by a plain search: %s", unitCodes(us))
		}
	})
}
