package vntext

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// vietnameseOrder is a list in correct Vietnamese alphabetical order: base
// letters (a < ă < â, d < đ, o < ô < ơ, u < ư) first, then the traditional
// tone order ngang, huyền, hỏi, ngã, sắc, nặng.
const vietnameseOrder = "An Ánh Ăn Âu Bùi Dung Dương Đặng Đỗ Ha Hà Hả Hã Há Hạ Hàn Hoàng On Ôn Ơn Út Uyên Ưng"

// checkStrictlyIncreasing fails unless less holds for each adjacent pair.
func checkStrictlyIncreasing(t *testing.T, items []string, cmp func(a, b string) int) {
	t.Helper()
	for i := 1; i < len(items); i++ {
		if c := cmp(items[i-1], items[i]); c >= 0 {
			t.Errorf("want %q < %q, got compare = %d", items[i-1], items[i], c)
		}
		if c := cmp(items[i], items[i-1]); c <= 0 {
			t.Errorf("want %q > %q, got compare = %d", items[i], items[i-1], c)
		}
	}
}

// shuffledSort sorts a shuffled copy of want with cmp and checks the result.
func shuffledSort(t *testing.T, want []string, cmp func(a, b string) int) {
	t.Helper()
	got := slices.Clone(want)
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("sorted:\n got %q\nwant %q", got, want)
		}
	}
}

func sortKeyCompare(a, b string) int { return bytes.Compare(SortKey(a), SortKey(b)) }

func TestVietnameseOrder(t *testing.T) {
	tests := []struct {
		name  string
		order []string
	}{
		{"letters and tones", strings.Fields(vietnameseOrder)},
		{"lowercase", strings.Fields(strings.ToLower(vietnameseOrder))},
		{"NFD input", strings.Fields(norm.NFD.String(vietnameseOrder))},
		{"numbers compare numerically", []string{"Tổ 1", "Tổ 2", "Tổ 10", "Tổ 100"}},
		{"shorter word first", []string{"Ha", "Hà", "Hàn", "Hành", "Hạnh"}},
		{"places", []string{"Ba Bể", "Bạch Thông", "Bắc Kạn", "Chợ Đồn", "Chợ Mới", "Na Rì", "Ngân Sơn", "Pác Nặm"}},
		{"case breaks ties only", []string{"an", "An", "AN", "ăn"}},
	}
	cmps := []struct {
		name string
		cmp  func(a, b string) int
	}{
		{"Compare", Compare},
		{"SortKey", sortKeyCompare},
	}
	for _, tt := range tests {
		for _, c := range cmps {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				checkStrictlyIncreasing(t, tt.order, c.cmp)
				shuffledSort(t, tt.order, c.cmp)
			})
		}
	}
}

func TestSortKeyEquivalentForms(t *testing.T) {
	tests := []struct {
		name, a, b string
	}{
		{"NFC vs NFD", "Nguyễn Thị Ánh", norm.NFD.String("Nguyễn Thị Ánh")},
		{"extra spaces", "Nguyễn Thị Ánh", "  Nguyễn \t Thị\u00a0Ánh "},
		{"empty vs blank", "", "   "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Equal(SortKey(tt.a), SortKey(tt.b)) {
				t.Errorf("SortKey(%q) != SortKey(%q)", tt.a, tt.b)
			}
			if c := Compare(tt.a, tt.b); c != 0 {
				t.Errorf("Compare(%q, %q) = %d, want 0", tt.a, tt.b, c)
			}
		})
	}
}

func TestCompareMatchesSortKey(t *testing.T) {
	words := strings.Fields(vietnameseOrder + " an AN ăn Tổ 2 Tổ 10 Đỗ")
	for _, a := range words {
		for _, b := range words {
			t.Run(a+"_"+b, func(t *testing.T) {
				if c, k := Compare(a, b), sortKeyCompare(a, b); c != k {
					t.Errorf("Compare(%q, %q) = %d, SortKey compare = %d", a, b, c, k)
				}
			})
		}
	}
}

func TestGivenName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"blank", "   ", ""},
		{"one word", "An", "An"},
		{"two words", "Trần Bình", "Bình"},
		{"three words", "Nguyễn Văn An", "An"},
		{"messy spaces", "  Bế  Thị\tÁnh  ", "Ánh"},
		{"NFD is normalised", norm.NFD.String("Bế Thị Ánh"), "Ánh"},
		{"four words", "Tôn Nữ Thị Hoa", "Hoa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GivenName(tt.in); got != tt.want {
				t.Errorf("GivenName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func personCompare(a, b string) int { return bytes.Compare(PersonSortKey(a), PersonSortKey(b)) }

func TestPersonSortKeyOrder(t *testing.T) {
	tests := []struct {
		name  string
		order []string
	}{
		{"given name first", []string{"Nguyễn Văn An", "Bế Thị Ánh", "Trần Bình"}},
		{"then family name", []string{"Lê An", "Nguyễn An", "Trần Anh", "Hoàng Bình"}},
		{"then middle name", []string{"Nguyễn Thị An", "Nguyễn Văn An", "Nguyễn Xuân An"}},
		// A shorter given name must not let the family name leak into the
		// comparison: "An" < "Anh" whatever the family names are.
		{"prefix given names", []string{"Vũ An", "Âu Anh", "A Ăn"}},
		{"tone of given name beats family name", []string{"Vũ An", "Bùi Án"}},
		{"single word sorts before same given with family", []string{"An", "Lê An"}},
		{"case does not override family", []string{"LÊ AN", "Nguyễn An", "TRẦN AN"}},
		{"case only breaks ties", []string{"lê an", "Lê An", "LÊ AN"}},
		{"đ after d", []string{"Lò Dung", "Hà Đức", "Mông Đức"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkStrictlyIncreasing(t, tt.order, personCompare)
			shuffledSort(t, tt.order, personCompare)
		})
	}
}

func TestPersonSortKeyEquivalentForms(t *testing.T) {
	a, b := "Nguyễn Văn An", " "+norm.NFD.String("Nguyễn  Văn An")+"\t"
	if !bytes.Equal(PersonSortKey(a), PersonSortKey(b)) {
		t.Errorf("PersonSortKey(%q) != PersonSortKey(%q)", a, b)
	}
}

func TestAppendEscapedPrefixFree(t *testing.T) {
	tests := []struct {
		name       string
		a1, a2     []byte
		b1, b2     []byte
		wantLessAB bool
	}{
		{"prefix part sorts first", []byte{1}, []byte{9}, []byte{1, 0}, []byte{0}, true},
		{"zero bytes kept in order", []byte{0, 0}, []byte{9}, []byte{0, 1}, []byte{0}, true},
		{"equal first part uses second", []byte{5, 0}, []byte{1}, []byte{5, 0}, []byte{2}, true},
		{"greater first part wins", []byte{6}, []byte{0}, []byte{5, 255}, []byte{255}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appendEscaped(appendEscaped(nil, tt.a1), tt.a2)
			b := appendEscaped(appendEscaped(nil, tt.b1), tt.b2)
			if got := bytes.Compare(a, b) < 0; got != tt.wantLessAB {
				t.Errorf("encoded %x < %x = %v, want %v", a, b, got, tt.wantLessAB)
			}
		})
	}
}

// TestConcurrentKeys checks, under -race, that pooled collators are not
// shared between goroutines and that results do not depend on interleaving.
func TestConcurrentKeys(t *testing.T) {
	words := strings.Fields(vietnameseOrder)
	want := make([][]byte, len(words))
	for i, w := range words {
		want[i] = PersonSortKey(w + " " + w)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 200 {
				i := (g + n) % len(words)
				if got := PersonSortKey(words[i] + " " + words[i]); !bytes.Equal(got, want[i]) {
					t.Errorf("PersonSortKey(%q) changed under concurrency", words[i])
					return
				}
				_ = SortKey(words[i])
				_ = Compare(words[i], words[(i+1)%len(words)])
			}
		})
	}
	wg.Wait()
}
