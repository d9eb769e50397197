package geo

import "testing"

func TestSearchCommunes(t *testing.T) {
	a := load(t)
	for _, tc := range []struct {
		q, prefer string
		first     string // code of the first result
		atMost    int    // results at most (0: no bound)
	}{
		{"bang lung", "", "02020", 0},   // Thị trấn Bằng Lũng, Chợ Đồn, Bắc Kạn
		{"Bằng Lũng", "", "02020", 0},   // diacritics typed
		{"lung bang", "", "02020", 0},   // any order
		{"02020", "", "02020", 1},       // the code
		{"nong thuong", "", "01852", 0}, // Xã Nông Thượng, Thành phố Bắc Kạn
	} {
		got := a.SearchCommunes(tc.q, tc.prefer, 10)
		if len(got) == 0 || got[0].Code != tc.first {
			t.Errorf("%q: %v, want %s first", tc.q, got, tc.first)
			continue
		}
		if tc.atMost > 0 && len(got) > tc.atMost {
			t.Errorf("%q: %d results, want at most %d", tc.q, len(got), tc.atMost)
		}
	}
	// The preferred province's communes before the others of the same rank.
	for _, prefer := range []string{"06", "01"} {
		got := a.SearchCommunes("tan", prefer, 2) // both provinces have more than two "Tân …"
		for _, u := range got {
			if p, _ := a.ProvinceOf(u.Code); p.Code != prefer {
				t.Errorf("tan, prefer %s: %s %s is in %s", prefer, u.Code, u.Name, p.Name)
			}
		}
	}
	if got := a.SearchCommunes("khong co xa nay", "", 10); len(got) != 0 {
		t.Errorf("no match: %v", got)
	}
	if got := a.SearchCommunes("  ", "", 10); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

func BenchmarkSearchCommunes(b *testing.B) {
	a := load(b)
	for b.Loop() {
		a.SearchCommunes("bang lung", "06", 20)
	}
}
