package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"congdoan"
	"congdoan/geo"
	"congdoan/indicator"
	"congdoan/store/storetest"
)

// TestPlaceByDate: addresses and the report's place line follow the list of
// units of their date — an old Bắc Kạn commune is in Tỉnh Bắc Kạn before
// 1/7/2025 and in its new commune of Tỉnh Thái Nguyên from then on.
func TestPlaceByDate(t *testing.T) {
	a := mustApp(t)
	ctx := a.ctxAs(storetest.Province)
	// A union at Thị trấn Bằng Lũng (02020), which became Xã Chợ Đồn.
	if _, err := a.db.CreateUnit(ctx, congdoan.UnitInput{Code: "CDCS-BL", Name: "Công đoàn cơ sở Trường Mầm non Bằng Lũng",
		Kind: congdoan.KindGrassroots, ParentCode: storetest.District58, CommuneCode: "02020", FoundedOn: congdoan.NewDate(2010, 9, 1)}); err != nil {
		t.Fatal(err)
	}

	// Today (24/11/2026) the unit page shows the new commune and province.
	r := a.login(t, storetest.Province).get("/units/CDCS-BL")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Xã Chợ Đồn, Tỉnh Thái Nguyên")
	wantNotContains(t, r, "Tỉnh Bắc Kạn", "Thị trấn Bằng Lũng")

	atlas, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := indicator.Services(a.db)
	h, err := New(svc, Options{Atlas: atlas, Now: func() time.Time { return storetest.Now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		on          congdoan.Date
		place, addr string
	}{
		{congdoan.NewDate(2025, 6, 30), "Bắc Kạn", "Thị trấn Bằng Lũng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"},
		{congdoan.NewDate(2025, 7, 1), "Thái Nguyên", "Xã Chợ Đồn, Tỉnh Thái Nguyên"},
		{congdoan.NewDate(2026, 6, 30), "Thái Nguyên", "Xã Chợ Đồn, Tỉnh Thái Nguyên"},
	} {
		rep := &congdoan.Report{UnitCode: "CDCS-BL", AsOf: c.on}
		if got := h.reportPlace(ctx, rep); got != c.place {
			t.Errorf("report dated %s: place %q, want %q", c.on, got, c.place)
		}
		if got := h.addressOn("02020", c.on); got != c.addr {
			t.Errorf("address on %s: %q, want %q", c.on, got, c.addr)
		}
	}
	if got := h.reportPlace(context.Background(), &congdoan.Report{UnitCode: storetest.District58, AsOf: congdoan.NewDate(2025, 1, 1)}); got != "" {
		t.Errorf("a unit without an address gave place %q", got)
	}
}

// TestSplitCommuneHint: a former commune split between new ones on
// 1/7/2025 (Phường Phúc Xá, 00016, into Ba Đình and Ngọc Hà) makes the
// employer form ask for the new commune's code; one that was not split
// does not.
func TestSplitCommuneHint(t *testing.T) {
	a := mustApp(t)
	c := a.login(t, storetest.District)
	form := url.Values{"name": {"Công ty TNHH May Ba Đình"}, "tax_code": {"12345"}, "sector": {"non_state"}, "status": {"active"},
		"workers_total": {"20"}, "workers_female": {"10"}, "headcount_as_of": {"01/11/2026"}, "unit_code": {storetest.District58},
		"commune_code": {"00016"}}
	r := c.post("/employers", form) // the tax code is wrong: the form comes back
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "đã được chia cho nhiều xã, phường mới từ ngày 01/7/2025", "Phường Ba Đình (00004)", "Phường Ngọc Hà (00008)")
	form.Set("commune_code", "02020")
	r = c.post("/employers", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Xã Chợ Đồn, Tỉnh Thái Nguyên")
	wantNotContains(t, r, "đã được chia")
}
