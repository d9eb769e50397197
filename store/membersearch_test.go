package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
	"congdoan/vntext"
)

// crowd is a person loaded on top of the fixture for the search tests.
type crowd struct {
	id     int64
	name   string
	unit   string
	active bool
}

// loadCrowd adds n people to the fixture province through Bulk, most of
// them Nguyễn (so that "nguyen" matches more than the count cap), with the
// letters Fold merges (An, Ân, Ăn), four-word names, two-word names, a
// given name that is also a family name, and some who have left.
func loadCrowd(t *testing.T, db *store.DB, n int) []crowd {
	t.Helper()
	ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	units := map[string]int64{}
	for _, code := range []string{storetest.UnitCodeA, storetest.UnitCodeA1, storetest.UnitCodeB, storetest.UnitCodeC} {
		u, err := db.FindUnitByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		units[code] = u.ID
	}
	families := []string{"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Hoàng", "Nông", "Âu", "Đặng", "An"}
	middles := []string{"Văn", "Văn", "Thị", "Thị", "Văn Bảo", "Thị Thu", "Thu", ""}
	givens := []string{"An", "Ân", "Ăn", "Anh", "Ánh", "Bình", "Bảo", "Cường", "Dũng", "Đức", "Hà", "Hằng", "Hoa", "Hùng", "Hưng",
		"Khánh", "Linh", "Ngọc", "Thu", "Thủy", "Tùng", "Uyên", "Ước", "Yến", "Văn", "Nguyên", "Hoàng"}
	unitCodes := []string{storetest.UnitCodeA, storetest.UnitCodeA, storetest.UnitCodeA1, storetest.UnitCodeB, storetest.UnitCodeC}
	r := rand.New(rand.NewPCG(7, 11))
	var out []crowd
	err := db.Bulk(ctx, "test.crowd", func(b *store.Bulk) error {
		for i := range n {
			name := families[r.IntN(len(families))] + " " + middles[r.IntN(len(middles))] + " " + givens[r.IntN(len(givens))]
			name = vntext.Clean(name)
			id, err := b.Person(store.BulkPerson{CCCD: storetest.CCCD(false, 1990, 500000+i), FullName: name, Gender: congdoan.GenderMale,
				BirthDate: congdoan.NewDate(1990, 1, 1)})
			if err != nil {
				return err
			}
			c := crowd{id: id, name: name, unit: unitCodes[r.IntN(len(unitCodes))], active: r.IntN(10) > 0}
			to, end := congdoan.Date{}, congdoan.Reason("")
			if !c.active {
				to, end = congdoan.NewDate(2024, 6, 1), congdoan.EndLeft
			}
			if err := b.Period(id, units[c.unit], congdoan.NewDate(2022, 1, 1), to, congdoan.StartAdmitted, end); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// everyone is the fixture's seven members and the crowd.
func everyone(f *storetest.Fixture, cs []crowd) []crowd {
	units := map[string]string{"Nguyễn Văn An": storetest.UnitCodeA, "Nguyễn Văn Bình": storetest.UnitCodeA, "Hoàng Thị Đào": storetest.UnitCodeA1,
		"Nông Thị Hoa": storetest.UnitCodeB, "Nguyễn Văn Cường": storetest.UnitCodeB, "Triệu Văn Đức": storetest.UnitCodeC, "Lý Thị Én": storetest.UnitCodeC}
	out := slices.Clone(cs)
	for name, id := range f.MemberIDs {
		out = append(out, crowd{id: id, name: name, unit: units[name], active: true})
	}
	return out
}

// scopeUnits are the units each fixture user sees.
var scopeUnits = map[string][]string{
	storetest.Admin:    {storetest.UnitCodeA, storetest.UnitCodeA1, storetest.UnitCodeB, storetest.UnitCodeC},
	storetest.Province: {storetest.UnitCodeA, storetest.UnitCodeA1, storetest.UnitCodeB, storetest.UnitCodeC},
	storetest.District: {storetest.UnitCodeA, storetest.UnitCodeA1, storetest.UnitCodeB},
	storetest.UnionA:   {storetest.UnitCodeA, storetest.UnitCodeA1},
}

// nameMatches is the rule of the name search, written plainly: every
// folded word of the query starts some folded word of the name.
func nameMatches(name, q string) bool {
	words := strings.Fields(vntext.Fold(name))
	for _, qw := range strings.Fields(vntext.Fold(q)) {
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, qw) }) {
			return false
		}
	}
	return true
}

// expected returns, in Vietnamese order, the ids a user should find for a
// query among people: every query word starts a word of the name, in scope.
func expected(people []crowd, user, q, status string) []int64 {
	type row struct {
		key []byte
		id  int64
	}
	var rows []row
	for _, c := range people {
		if !slices.Contains(scopeUnits[user], c.unit) {
			continue
		}
		if (status == "" && !c.active) || (status == string(congdoan.StatusLeft) && c.active) {
			continue
		}
		if !nameMatches(c.name, q) {
			continue
		}
		rows = append(rows, row{vntext.PersonSortKey(c.name), c.id})
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	return ids
}

func ids(ms []*congdoan.Member) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// pageThrough reads every page of a filter by cursor.
func pageThrough(t *testing.T, db *store.DB, ctx context.Context, f congdoan.MemberFilter) []int64 {
	t.Helper()
	var all []int64
	for range 1000 {
		ms, _, err := db.FindMembers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			return all
		}
		all = append(all, ids(ms)...)
		f.After = ms[len(ms)-1].Cursor
	}
	t.Fatal("paging does not end")
	return nil
}

var searchQueries = []string{"", "nguyen", "nguyen van", "nguyen van b", "nguyen van bao", "nguyen thi thu", "an", "an nguyen", "van",
	"ngu", "n", "hoang", "uoc", "Ước", "nguyen van an", "dang", "au thi", "van an", "thi lan", "nguyen an", "bao van", "thu thi nguyen",
	"an anh", "Đức", "duc dang", "ĐẶNG ĐỨC", "h t", "zzz", "nguyen zzz", "a_b", "100%"}

// TestMemberSearchPagesInOrder checks searches and lists against the
// expected matches in Vietnamese order, reading them by cursor and by
// offset, with the broad-search thresholds at their real values and low
// enough that most queries are read given name by given name.
func TestMemberSearchPagesInOrder(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		people := everyone(f, loadCrowd(t, db, 1200))
		for _, th := range []struct {
			name          string
			broad, spread int
		}{{"real thresholds", 5000, 20000}, {"walked word by word", 10, 10}, {"by scope", 10, 1 << 30}, {"as a set", 1 << 30, 10}} {
			t.Run(th.name, func(t *testing.T) {
				defer store.SetSearchThresholds(th.broad, th.spread)()
				for _, user := range []string{storetest.Province, storetest.District, storetest.UnionA} {
					for _, q := range searchQueries {
						for _, status := range []string{"", string(congdoan.StatusLeft)} {
							want := expected(people, user, q, status)
							ctx := f.Ctx(user)
							filter := congdoan.MemberFilter{Query: q, Status: status, Limit: 97}
							if got := pageThrough(t, db, ctx, filter); !slices.Equal(got, want) {
								t.Fatalf("%s %q %s: by cursor %d rows, want %d\n got %v\nwant %v", user, q, status, len(got), len(want), got, want)
							}
							filter.Offset = 40
							p, err := db.FindMemberPage(ctx, filter)
							if err != nil {
								t.Fatal(err)
							}
							if w := want[min(40, len(want)):min(137, len(want))]; !slices.Equal(ids(p.Members), w) {
								t.Errorf("%s %q %s: offset 40 got %v, want %v", user, q, status, ids(p.Members), w)
							}
							// Exact, or capped only past the cap.
							if p.Capped && (len(want) <= congdoan.MemberCountCap || p.Total != congdoan.MemberCountCap) ||
								!p.Capped && p.Total != len(want) {
								t.Errorf("%s %q %s: total %d (capped %v), want %d", user, q, status, p.Total, p.Capped, len(want))
							}
							if q == "" && status == "" && p.Capped {
								t.Errorf("%s: the list's total is capped, want it exact from unit_counts", user)
							}
							if len(want) > 12 {
								// After and Offset together: the offset counts from the cursor.
								first, _, err := db.FindMembers(ctx, congdoan.MemberFilter{Query: q, Status: status, Limit: 5})
								if err != nil {
									t.Fatal(err)
								}
								ms, _, err := db.FindMembers(ctx, congdoan.MemberFilter{Query: q, Status: status, Limit: 4, After: first[4].Cursor, Offset: 3})
								if err != nil {
									t.Fatal(err)
								}
								if w := want[8:min(12, len(want))]; !slices.Equal(ids(ms), w) {
									t.Errorf("%s %q %s: after 5th, offset 3: got %v, want %v", user, q, status, ids(ms), w)
								}
							}
						}
					}
				}
			})
		}
		mustDerived(t, db)
	})
}

// TestMemberCountCap checks that a broad search counts up to the cap and
// says so, and that totals kept in unit_counts stay exact.
func TestMemberCountCap(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		people := everyone(f, loadCrowd(t, db, 2200))
		ctx := f.Ctx(storetest.Province)
		want := expected(people, storetest.Province, "nguyen", "")
		if len(want) <= congdoan.MemberCountCap {
			t.Fatalf("the crowd has %d Nguyễn, want more than the cap", len(want))
		}
		// Few persons have the word: counted exactly, past the cap too.
		p, err := db.FindMemberPage(ctx, congdoan.MemberFilter{Query: "nguyen"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != len(want) || p.Capped || !slices.Equal(ids(p.Members), want[:50]) {
			t.Errorf("nguyen: total %d (capped %v), first page %v; want %d and %v", p.Total, p.Capped, ids(p.Members), len(want), want[:50])
		}
		// Walked word by word: counted up to the cap.
		restore := store.SetSearchThresholds(10, 10)
		ms, total, err := db.FindMembers(ctx, congdoan.MemberFilter{Query: "nguyen"})
		if err != nil {
			t.Fatal(err)
		}
		if total != congdoan.MemberCountCap+1 || !slices.Equal(ids(ms), want[:50]) {
			t.Errorf("nguyen walked: total %d, first page %v; want %d and %v", total, ids(ms), congdoan.MemberCountCap+1, want[:50])
		}
		if p, err := db.FindMemberPage(ctx, congdoan.MemberFilter{Query: "nguyen"}); err != nil || !p.Capped || p.Total != congdoan.MemberCountCap {
			t.Errorf("nguyen walked: page total %d capped %v (%v), want %d capped", p.Total, p.Capped, err, congdoan.MemberCountCap)
		}
		restore()
		// A list without a search counts from unit_counts: exact.
		active := expected(people, storetest.Province, "", "")
		if p, err := db.FindMemberPage(ctx, congdoan.MemberFilter{}); err != nil || p.Total != len(active) || p.Capped {
			t.Errorf("list: total %d (capped %v), want %d exact (%v)", p.Total, p.Capped, len(active), err)
		}
		var direct int
		for _, c := range people {
			if c.active && c.unit == storetest.UnitCodeA {
				direct++
			}
		}
		if _, total, err := db.FindMembers(ctx, congdoan.MemberFilter{Unit: storetest.UnitCodeA, Direct: true}); err != nil || total != direct {
			t.Errorf("direct members of %s: total %d, want %d (%v)", storetest.UnitCodeA, total, direct, err)
		}
		// All statuses are counted one by one: capped.
		if _, total, err := db.FindMembers(ctx, congdoan.MemberFilter{Status: "all"}); err != nil || total != congdoan.MemberCountCap+1 {
			t.Errorf("all statuses: total %d, want the cap + 1 (%v)", total, err)
		}
	})
}

// TestMemberCursorStaysInScope checks that a cursor only places a page: one
// taken from a wider scope, or made up from a member outside the scope,
// never brings that member or any other outside the scope into the page.
func TestMemberCursorStaysInScope(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		people := everyone(f, loadCrowd(t, db, 300))
		inScope := map[int64]bool{}
		for _, c := range people {
			if slices.Contains(scopeUnits[storetest.UnionA], c.unit) {
				inScope[c.id] = true
			}
		}
		admin, union := f.Ctx(storetest.Admin), f.Ctx(storetest.UnionA)
		for _, q := range []string{"", "nguyen", "nguyen van"} {
			defer store.SetSearchThresholds(5, 5)()
			all, _, err := db.FindMembers(admin, congdoan.MemberFilter{Query: q, Status: "all", Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			want := expected(people, storetest.UnionA, q, "all")
			for i, m := range all {
				if inScope[m.ID] {
					continue
				}
				// The admin's cursor at a member of another union.
				ms, _, err := db.FindMembers(union, congdoan.MemberFilter{Query: q, Status: "all", Limit: 500, After: m.Cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, got := range ms {
					if !inScope[got.ID] {
						t.Fatalf("%q after %s: %s (id %d) is outside the union's scope", q, m.FullName, got.FullName, got.ID)
					}
				}
				// Exactly the union's members that come after that place.
				var after []int64
				for _, o := range all[i+1:] {
					if inScope[o.ID] {
						after = append(after, o.ID)
					}
				}
				if !slices.Equal(ids(ms), after) {
					t.Fatalf("%q after %s: got %v, want %v", q, m.FullName, ids(ms), after)
				}
				if i > 40 {
					break
				}
			}
			if got := pageThrough(t, db, union, congdoan.MemberFilter{Query: q, Status: "all", Limit: 7}); !slices.Equal(got, want) {
				t.Errorf("%q: the union's pages %v, want %v", q, got, want)
			}
		}
		for _, bad := range []string{"x", "12", "12.", "-3.AAAA", "1.!!", "abc.AAAA"} {
			if _, _, err := db.FindMembers(union, congdoan.MemberFilter{After: bad}); code(err) != congdoan.EINVALID {
				t.Errorf("cursor %q: %v, want EINVALID", bad, err)
			}
		}
		// A cursor of a member outside the scope reveals nothing either.
		other := f.MemberIDs["Triệu Văn Đức"]
		forged := fmt.Sprintf("%d.%s", other, "AAAA")
		if ms, _, err := db.FindMembers(union, congdoan.MemberFilter{After: forged, Status: "all", Limit: 500}); err != nil {
			t.Fatal(err)
		} else {
			for _, m := range ms {
				if !inScope[m.ID] {
					t.Errorf("forged cursor: %s outside the scope", m.FullName)
				}
			}
		}
	})
}
