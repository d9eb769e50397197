package geo

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"
	"time"

	"congdoan/geo/internal/dvhcvn"
)

var (
	before = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	after  = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
)

func TestReorgCounts(t *testing.T) {
	a := load(t)
	if n := len(a.ProvincesOn(after)); n != 34 {
		t.Errorf("%d provinces from 1/7/2025, want 34", n)
	}
	if n := len(a.ProvincesOn(before)); n != 63 {
		t.Errorf("%d provinces before 1/7/2025, want 63", n)
	}
	communes := 0
	for _, u := range a.reorg.units {
		if u.Level == Commune {
			communes++
		}
	}
	if communes != 3321 {
		t.Errorf("%d communes from 1/7/2025, want 3321", communes)
	}
	// Every old commune maps somewhere, but the 12 stale codes the GSO list
	// still carried (merged before 2025).
	unmapped := 0
	for code, u := range a.units {
		if u.Level == Commune && len(a.Successors(code)) == 0 {
			unmapped++
		}
	}
	if unmapped != 12 {
		t.Errorf("%d old communes without a successor, want the 12 stale ones", unmapped)
	}
}

// An old Bắc Kạn commune reads its old name and province before 1/7/2025
// and its new commune in Thái Nguyên from then on.
func TestPlaceOnBacKan(t *testing.T) {
	a := load(t)
	for _, c := range []struct{ code, old, new, newCode string }{
		{"02020", "Thị trấn Bằng Lũng, Huyện Chợ Đồn, Tỉnh Bắc Kạn", "Xã Chợ Đồn, Tỉnh Thái Nguyên", "02020"},
		{"01834", "Phường Nguyễn Thị Minh Khai, Thành phố Bắc Kạn, Tỉnh Bắc Kạn", "Phường Đức Xuân, Tỉnh Thái Nguyên", "01840"},
		{"02053", "Xã Ngọc Phái, Huyện Chợ Đồn, Tỉnh Bắc Kạn", "Xã Chợ Đồn, Tỉnh Thái Nguyên", "02020"},
	} {
		p, split := a.PlaceOn(c.code, before)
		if p.Address() != c.old || split || p.Code != c.code || p.Province.Name != "Bắc Kạn" {
			t.Errorf("PlaceOn(%s, 30/6/2025) = %q (%s, split %v)", c.code, p.Address(), p.Code, split)
		}
		if got := a.Address(c.code); got != c.old {
			t.Errorf("Address(%s) = %q, want the old list's %q", c.code, got, c.old)
		}
		p, split = a.PlaceOn(c.code, after)
		if p.Address() != c.new || split || p.Code != c.newCode || p.Province.Name != "Thái Nguyên" || p.District.Code != "" {
			t.Errorf("PlaceOn(%s, 1/7/2025) = %q (%s, split %v), want %q", c.code, p.Address(), p.Code, split, c.new)
		}
		if got := a.AddressOn(c.code, after.AddDate(1, 0, 0)); got != c.new {
			t.Errorf("AddressOn(%s, 2026) = %q", c.code, got)
		}
	}
	if p, ok := a.ProvinceOn("058", after); !ok || p.FullName() != "Tỉnh Thái Nguyên" {
		t.Errorf("ProvinceOn(058, 1/7/2025) = %+v %v", p, ok)
	}
	if p, ok := a.ProvinceOn("06", before); !ok || p.Name != "Bắc Kạn" {
		t.Errorf("ProvinceOn(06, 30/6/2025) = %+v %v", p, ok)
	}
	if p, ok := a.ProvinceOn("01", after); !ok || p.FullName() != "Thành phố Hà Nội" {
		t.Errorf("ProvinceOn(01, 1/7/2025) = %+v %v", p, ok)
	}
	if p, _ := a.PlaceOn("99999", after); p.Code != "" || a.AddressOn("99999", before) != "" {
		t.Errorf("unknown code gave %+v", p)
	}
}

// An old commune split between new ones is flagged, with the one that
// kept its code first.
func TestPlaceOnSplit(t *testing.T) {
	a := load(t)
	// Phường Phúc Xá (00016, Hà Nội) went partly into Ba Đình, partly into Ngọc Hà.
	p, split := a.PlaceOn("00016", after)
	if !split || p.Province.Name != "Hà Nội" {
		t.Fatalf("PlaceOn(00016) = %+v, split %v; want a split commune of Hà Nội", p, split)
	}
	var names []string
	for _, u := range a.Successors("00016") {
		names = append(names, u.FullName())
	}
	if len(names) < 2 || names[0] != p.Commune.FullName() {
		t.Errorf("Successors(00016) = %v (place %s)", names, p.Commune.FullName())
	}
	if _, split := a.PlaceOn("00016", before); split {
		t.Error("split flagged before 1/7/2025")
	}
	// A commune that kept its code and was split puts itself first.
	if s := a.Successors("00025"); len(s) < 2 || s[0].Code != "00025" {
		t.Errorf("Successors(00025) = %+v", s)
	}
}

func TestEmbeddedReorgMatchesSource(t *testing.T) {
	src, err := os.ReadFile("../../shared/data/dvhc-2025-07-01.json")
	if err != nil {
		t.Skip("source list not available:", err)
	}
	res, err := dvhcvn.ConvertReorg(src)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(reorgGz))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(embedded, res.TSV) {
		t.Fatal("reorg.tsv.gz differs from the source: run `go generate ./geo`")
	}
}

func TestParseReorgRejects(t *testing.T) {
	for name, in := range map[string]string{
		"orphan":   "3\t02020\tChợ Đồn\tXã\t19\t02020\t\n",
		"fields":   "1\t19\tThái Nguyên\tTỉnh\n",
		"empty":    "# nothing\n",
		"dup":      "1\t19\tThái Nguyên\tTỉnh\t06,19\n3\t02020\tChợ Đồn\tXã\t19\t02020\t\n3\t02020\tChợ Đồn\tXã\t19\t02020\t\n",
		"unnamed":  "1\t19\tThái Nguyên\tTỉnh\t06,19\n3\t02020\t\tXã\t19\t02020\t\n",
		"code len": "1\t019\tThái Nguyên\tTỉnh\t06,19\n",
	} {
		if _, err := parseReorg(bytes.NewReader([]byte(in))); err == nil {
			t.Errorf("%s: parseReorg accepted %q", name, in)
		}
	}
}
