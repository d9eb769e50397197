package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"congdoan"
	"congdoan/demo/names"
	"congdoan/geo"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/store/storetest"
)

// rows runs q and calls f with a scanner for each row.
func rows(t *testing.T, db *store.DB, q string, f func(scan func(...any)), args ...any) {
	t.Helper()
	rs, err := storetest.Raw(t, db).Query(db.Rebind(q), args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	for rs.Next() {
		f(func(dst ...any) {
			if err := rs.Scan(dst...); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
}

// checkHistory: the members of 1/1/2021 carry their cards' admission dates,
// so 2021 counts that year's recruits at LĐLĐ-BK — hundreds to a few
// thousand in a province of 21,000 members, not the whole stock.
func checkHistory(t *testing.T, db *store.DB) {
	stock := count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`, "2021-01-01", "2021-01-01")
	earlier := count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_from < ?`, "2021-01-01")
	if earlier < stock*9/10 {
		t.Errorf("%d of the %d members of 1/1/2021 were admitted before 2021, want nearly all", earlier, stock)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_from < ?`, "1990-01-01"); n != 0 {
		t.Errorf("%d periods start before 1990", n)
	}
	adm := count(t, db, `SELECT COUNT(*) FROM memberships WHERE start_reason = 'admitted' AND valid_from >= ? AND valid_from <= ?`, "2021-01-01", "2021-12-31")
	t.Logf("admissions in 2021: %d (stock of 1/1/2021: %d, admitted before 2021: %d)", adm, stock, earlier)
	if adm < 300 || adm > 3000 {
		t.Errorf("admissions in 2021 = %d, want a few hundred to a few thousand", adm)
	}
	// The dashboard's figure agrees: the year's admissions at LĐLĐ-BK,
	// from the snapshots that start with the history.
	ctx := sysCtx()
	if err := db.BackfillSnapshotsFrom(context.Background(), HistoryStart); err != nil {
		t.Fatal(err)
	}
	svc, _ := indicator.Services(db)
	figs, err := svc.Indicators.Figures(ctx, "LDLD-BK", congdoan.NewDate(2021, 12, 31), HistoryStart)
	if err != nil {
		t.Fatal(err)
	}
	// (The engine counts in the tree of 31/12/2021: a union closed during
	// 2021 takes its admissions with it.)
	if v := figs.Values[congdoan.IndicatorMembersAdmitted]; v.NumeratorN < 300 || v.NumeratorN > 3000 || v.NumeratorN > int64(adm) || v.NumeratorN < int64(adm)*95/100 {
		t.Errorf("engine: %d admissions at LDLD-BK in 2021 (the periods say %d), want a few hundred to a few thousand", v.NumeratorN, adm)
	}
	if _, err := svc.Indicators.Figures(ctx, "LDLD-BK", congdoan.NewDate(2020, 12, 31), congdoan.Date{}); congdoan.ErrorCode(err) != congdoan.EINVALID {
		t.Errorf("a date before the history: %v, want EINVALID (before the data)", err)
	}
	// Admission dates are after the union's founding and the member's
	// eighteenth birthday.
	if n := count(t, db, `SELECT COUNT(*) FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_from < p.birth_date`); n != 0 {
		t.Errorf("%d periods start before the member's birth", n)
	}
	young := 0
	rows(t, db, `SELECT m.valid_from, p.birth_date FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_from < ?`, func(scan func(...any)) {
		var from, birth string
		scan(&from, &birth)
		f, _ := time.Parse(time.DateOnly, from)
		b, _ := time.Parse(time.DateOnly, birth)
		if f.Before(b.AddDate(18, 0, 0)) {
			young++
		}
	}, "2021-01-01")
	if young != 0 {
		t.Errorf("%d members admitted before their eighteenth birthday", young)
	}
}

// checkReorganisation: the 2025 reorganisation reaches the agencies. The
// district People's Committees' unions merge on 1/7/2025 and the district
// Party committees' are dissolved with their members transferred; the
// unions of the old communes' People's Committees merge into the new
// commune's; the departments merged on 1/3/2025 merge their unions.
func checkReorganisation(t *testing.T, db *store.DB) {
	type ended struct {
		code, name, on, event string
		open, out             int
	}
	var ubnd, party, depts, communes []ended
	rows(t, db, `SELECT u.code, u.name, COALESCE(u.dissolved_on, ''), COALESCE((SELECT MAX(e.kind) FROM unit_events e WHERE e.unit_id = u.id AND e.kind IN ('merged_into', 'dissolved')), ''),
			(SELECT COUNT(*) FROM memberships m WHERE m.unit_id = u.id AND m.valid_to IS NULL),
			(SELECT COUNT(*) FROM memberships m WHERE m.unit_id = u.id AND m.valid_to = u.dissolved_on AND m.end_reason IN ('merged', 'transfer_out'))
		FROM units u WHERE u.kind = 'grassroots' AND u.employer_id IN (SELECT id FROM employers WHERE sector = 'admin_agency') ORDER BY u.id`, func(scan func(...any)) {
		var e ended
		scan(&e.code, &e.name, &e.on, &e.event, &e.open, &e.out)
		switch {
		case strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan UBND huyện") || strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan UBND thành phố"):
			ubnd = append(ubnd, e)
		case strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Huyện ủy") || strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Thành ủy"):
			party = append(party, e)
		case strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Sở Kế hoạch") || strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Sở Giao thông") ||
			strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Sở Thông tin") || strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Sở Lao động") ||
			strings.HasPrefix(e.name, "Công đoàn cơ sở Cơ quan Sở Tài nguyên"):
			depts = append(depts, e)
		case strings.HasPrefix(e.name, "Công đoàn cơ sở UBND "):
			communes = append(communes, e)
		}
	})
	if len(ubnd) != 8 || len(party) != 8 || len(depts) != 5 {
		t.Fatalf("%d district People's Committee unions, %d Party committee unions, %d merged departments; want 8, 8, 5", len(ubnd), len(party), len(depts))
	}
	for _, e := range ubnd {
		if e.on != "2025-07-01" || e.event != "merged_into" || e.open != 0 || e.out < 20 {
			t.Errorf("district People's Committee union %s %q: ended %s (%s), %d open periods, %d members moved", e.code, e.name, e.on, e.event, e.open, e.out)
		}
	}
	for _, e := range party {
		if e.on != "2025-07-01" || e.event != "dissolved" || e.open != 0 || e.out < 10 {
			t.Errorf("district Party committee union %s %q: ended %s (%s), %d open periods, %d members moved", e.code, e.name, e.on, e.event, e.open, e.out)
		}
	}
	for _, e := range depts {
		if e.on != "2025-03-01" || e.event != "merged_into" || e.open != 0 || e.out < 10 {
			t.Errorf("merged department's union %s %q: ended %s (%s), %d open periods, %d members moved", e.code, e.name, e.on, e.event, e.open, e.out)
		}
	}
	merged, kept := 0, 0
	for _, e := range communes {
		switch {
		case e.on == "2025-07-01" && e.event == "merged_into" && e.open == 0:
			merged++
		case e.on == "":
			kept++
		default:
			t.Errorf("commune People's Committee union %s %q: ended %s (%s), %d open", e.code, e.name, e.on, e.event, e.open)
		}
	}
	if merged != 108-37 || kept != 37 {
		t.Errorf("commune People's Committees' unions: %d merged, %d kept; want 71 and 37", merged, kept)
	}
	// Merged members come back, on the day, at the successor.
	out := count(t, db, `SELECT COUNT(*) FROM memberships WHERE end_reason = 'merged'`)
	in := count(t, db, `SELECT COUNT(*) FROM memberships WHERE start_reason = 'merged'`)
	tin := count(t, db, `SELECT COUNT(*) FROM memberships WHERE start_reason = 'transfer_in' AND valid_from = '2025-07-01'`)
	tout := count(t, db, `SELECT COUNT(*) FROM memberships WHERE end_reason = 'transfer_out' AND valid_to = '2025-07-01'`)
	if out == 0 || out != in || tin != tout {
		t.Errorf("periods ended by mergers %d, begun %d; transfers of 1/7/2025 out %d, in %d", out, in, tout, tin)
	}
	ctx := sysCtx()
	// Today's names: the new departments and communes.
	for _, name := range []string{"Công đoàn cơ sở Cơ quan Sở Nông nghiệp và Môi trường", "Công đoàn cơ sở Cơ quan Sở Dân tộc và Tôn giáo", "Công đoàn cơ sở UBND xã Chợ Đồn", "Công đoàn cơ sở UBND phường Đức Xuân"} {
		if n := count(t, db, `SELECT COUNT(*) FROM units WHERE name = ? AND dissolved_on IS NULL`, name); n != 1 {
			t.Errorf("%d active unions named %q, want 1", n, name)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM units WHERE dissolved_on IS NULL AND (name LIKE 'Công đoàn cơ sở UBND thị trấn%' OR name LIKE 'Công đoàn cơ sở Cơ quan UBND huyện%'
		OR name LIKE '%Huyện ủy%' OR name LIKE '%Thành ủy%' OR name LIKE 'Công đoàn thị trấn%')`); n != 0 {
		t.Errorf("%d active unions of abolished People's Committees, Party committees or thị trấn", n)
	}
	u, err := db.FindUnitByCode(ctx, "CDX-TN-02020")
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.UnitHistory(ctx, "CDX-TN-02020")
	if err != nil || len(h) == 0 {
		t.Fatalf("history of %s: %v", u.Code, err)
	}
}

// checkCommunes: commune unions sit on the new communes' codes under their
// names — "Công đoàn xã Chợ Đồn" on 02020 (Thị trấn Bằng Lũng and three
// communes), "Công đoàn phường Đức Xuân" on 01840 (with Phường Nguyễn Thị
// Minh Khai and Huyền Tụng).
func checkCommunes(t *testing.T, db *store.DB) {
	atlas, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	rows(t, db, `SELECT code, name, commune_code FROM units WHERE kind = 'commune_union'`, func(scan func(...any)) {
		var code, name, commune string
		scan(&code, &name, &commune)
		n++
		nc, ok := atlas.NewUnit(commune)
		if !ok || nc.Level != geo.Commune || nc.ParentCode != "19" {
			t.Errorf("%s %q sits on %s, not a commune of Thái Nguyên from 1/7/2025", code, name, commune)
			return
		}
		if want := "Công đoàn " + strings.ToLower(nc.Type) + " " + nc.Name; name != want || code != "CDX-TN-"+nc.Code {
			t.Errorf("%s %q on %s, want %q", code, name, commune, want)
		}
	})
	if n < 30 || n > 37 {
		t.Errorf("%d commune unions, want one for (nearly) each of the 37 new communes", n)
	}
	for code, name := range map[string]string{"CDX-TN-02020": "Công đoàn xã Chợ Đồn", "CDX-TN-01840": "Công đoàn phường Đức Xuân"} {
		if c := count(t, db, `SELECT COUNT(*) FROM units WHERE code = ? AND name = ? AND commune_code = ?`, code, name, code[len("CDX-TN-"):]); c != 1 {
			t.Errorf("no %s %q", code, name)
		}
	}
	if c := count(t, db, `SELECT COUNT(*) FROM units WHERE name IN ('Công đoàn xã Bằng Lũng', 'Công đoàn phường Nguyễn Thị Minh Khai')`); c != 0 {
		t.Errorf("%d commune unions under old names", c)
	}
	// A union of Phường Nguyễn Thị Minh Khai (01834) sits under Đức Xuân's.
	if c := count(t, db, `SELECT COUNT(*) FROM units u JOIN units p ON p.id = u.parent_id WHERE u.commune_code = '01834' AND u.dissolved_on IS NULL
		AND u.kind = 'grassroots' AND p.kind = 'commune_union' AND p.code <> 'CDX-TN-01840'`); c != 0 {
		t.Errorf("%d unions of 01834 under another commune union than Đức Xuân's", c)
	}
}

// checkEthnicity: the members' ethnic mix follows their district.
func checkEthnicity(t *testing.T, db *store.DB) {
	atlas, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	type mix struct{ all, kinh, daoMong, tay int }
	by := map[string]*mix{}
	rows(t, db, `SELECT u.commune_code, p.ethnicity, COUNT(*) FROM memberships m JOIN persons p ON p.id = m.person_id JOIN units u ON u.id = m.unit_id
		WHERE m.valid_to IS NULL GROUP BY u.commune_code, p.ethnicity`, func(scan func(...any)) {
		var commune, eth string
		var n int
		scan(&commune, &eth, &n)
		c, ok := atlas.Unit(commune)
		if !ok || c.Level != geo.Commune {
			return
		}
		m := by[c.ParentCode]
		if m == nil {
			m = &mix{}
			by[c.ParentCode] = m
		}
		m.all += n
		switch eth {
		case "Kinh":
			m.kinh += n
		case "Dao", "Mông":
			m.daoMong += n
		case "Tày":
			m.tay += n
		}
	})
	share := func(d string, part func(*mix) int) float64 {
		m := by[d]
		if m == nil || m.all == 0 {
			t.Fatalf("no members in district %s", d)
		}
		return float64(part(m)) / float64(m.all)
	}
	kinh := func(m *mix) int { return m.kinh }
	dm := func(m *mix) int { return m.daoMong }
	for _, d := range []string{"058", "060", "061", "062", "063", "064", "065", "066"} {
		t.Logf("district %s: Kinh %.0f %%, Dao and Mông %.0f %%, %d members", d, 100*share(d, kinh), 100*share(d, dm), by[d].all)
	}
	if s := share("060", dm); s < 0.35 {
		t.Errorf("Pác Nặm: Dao and Mông %.0f %% of members, want far more than the province's", 100*s)
	}
	if s := share("061", dm); s < 0.2 {
		t.Errorf("Ba Bể: Dao and Mông %.0f %% of members", 100*s)
	}
	if s := share("058", dm); s > 0.12 {
		t.Errorf("the city: Dao and Mông %.0f %% of members", 100*s)
	}
	if s := share("058", kinh); s < 0.35 || share("060", kinh) > 0.15 || s < 2*share("061", kinh) {
		t.Errorf("Kinh: city %.0f %%, Pác Nặm %.0f %%, Ba Bể %.0f %%; want the city far ahead", 100*s, 100*share("060", kinh), 100*share("061", kinh))
	}
}

// checkOddCases: legal forms agree with ownership and size, and family
// names with ethnicity.
func checkOddCases(t *testing.T, db *store.DB) {
	nm, err := names.Load()
	if err != nil {
		t.Fatal(err)
	}
	fits := map[string]map[string]bool{}
	for _, e := range nm.Ethnicities() {
		fits[e.Name] = map[string]bool{}
		for _, f := range nm.FamiliesOf(e.Name) {
			fits[e.Name][f.Name] = true
		}
	}
	bad := 0
	rows(t, db, `SELECT full_name, ethnicity FROM persons`, func(scan func(...any)) {
		var name, eth string
		scan(&name, &eth)
		family, _, _ := strings.Cut(name, " ")
		if !fits[eth][family] {
			if bad++; bad <= 10 {
				t.Errorf("%s is %s: the family name does not fit", name, eth)
			}
		}
	})
	brands := []string{"Hoàng Gia", "Minh Anh", "Thành Đạt", "Hưng Thịnh", "Phú Cường", "An Khang", "Phượng Hoàng", "Bảo Long"}
	rows(t, db, `SELECT e.name, e.sector, (SELECT MAX(h.workers_total) FROM employer_headcounts h WHERE h.employer_id = e.id) FROM employers e`, func(scan func(...any)) {
		var name, sector string
		var most int
		scan(&name, &sector, &most)
		switch {
		case sector == string(congdoan.SectorState) && strings.HasPrefix(name, "Công ty"):
			for _, b := range brands {
				if strings.Contains(name, b) {
					t.Errorf("state-owned %q carries a private brand", name)
				}
			}
			if !strings.HasPrefix(name, "Công ty TNHH MTV ") && !strings.HasPrefix(name, "Công ty Cổ phần ") && !strings.HasPrefix(name, "Công ty Điện lực") {
				t.Errorf("state-owned %q: legal form", name)
			}
		case strings.HasPrefix(name, "Doanh nghiệp tư nhân") && most >= 60:
			t.Errorf("sole proprietorship %q with %d workers", name, most)
		case strings.HasPrefix(name, "Hộ kinh doanh") && most >= 10:
			t.Errorf("household business %q with %d workers", name, most)
		case strings.HasPrefix(name, "Doanh nghiệp tư nhân") || strings.HasPrefix(name, "Hộ kinh doanh"):
			if sector == string(congdoan.SectorState) || sector == string(congdoan.SectorFDI) {
				t.Errorf("%q in sector %s", name, sector)
			}
		}
	})
}
