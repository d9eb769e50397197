package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
	"congdoan/vntext"
)

// now pins "today" to 24/11/2026 (10:00 in Vietnam) so figures are stable.
var now = time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)

func openSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	db := storetest.Open(tb, "sqlite")
	db.Now = func() time.Time { return now }
	return db
}

func sysCtx() context.Context {
	return congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := storetest.Raw(t, db).QueryRow(db.Rebind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func within(t *testing.T, what string, got int, want, tol float64) {
	t.Helper()
	if lo, hi := want*(1-tol), want*(1+tol); float64(got) < lo || float64(got) > hi {
		t.Errorf("%s = %d, want %.0f ± %.0f %%", what, got, want, tol*100)
	}
}

func TestGenerateProvince(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	sum, err := Generate(ctx, db, Options{Today: db.Today()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary: %+v", *sum)
	checkProvince(t, db, sum, DefaultMembers)

	t.Run("second generation refused", func(t *testing.T) {
		_, err := Generate(ctx, db, Options{Today: db.Today()})
		if code := congdoan.ErrorCode(err); code != congdoan.ECONFLICT {
			t.Fatalf("second Generate: code %q (%v), want %q", code, err, congdoan.ECONFLICT)
		}
	})
}

// checkProvince runs the checks that hold for a default-size province on
// any engine.
func checkProvince(t *testing.T, db *store.DB, sum *Summary, members int) {
	ctx := context.Background()
	if err := db.CheckDerived(ctx); err != nil {
		t.Fatalf("CheckDerived: %v", err)
	}

	t.Run("figures", func(t *testing.T) {
		// About 750 grassroots unions before 2025; the agencies'
		// reorganisation (1/3 and 1/7/2025) merged or dissolved about a
		// hundred of them (71 communes' People's Committees, 16 of the
		// districts, 4 departments).
		gr := count(t, db, `SELECT COUNT(*) FROM units WHERE kind IN ('grassroots', 'informal_union') AND dissolved_on IS NULL`)
		if gr < 600 || gr > 720 || gr != sum.Grassroots {
			t.Errorf("active grassroots unions = %d (summary %d), want 600–720", gr, sum.Grassroots)
		}
		before := count(t, db, `SELECT COUNT(*) FROM units WHERE kind IN ('grassroots', 'informal_union') AND founded_on <= ? AND (dissolved_on IS NULL OR dissolved_on > ?)`,
			"2025-02-28", "2025-02-28")
		if before < 700 || before > 800 {
			t.Errorf("grassroots unions on 28/02/2025 = %d, want 700–800", before)
		}
		active := count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_to IS NULL`)
		if active != sum.ActiveMembers {
			t.Errorf("active members %d, summary says %d", active, sum.ActiveMembers)
		}
		within(t, "active members today", active, float64(members), 0.05)
		within(t, "members on 2021-01-01", count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`,
			"2021-01-01", "2021-01-01"), 20_950, 0.05)
		for _, y := range []string{"2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01", "2025-07-01", "2026-01-01"} {
			t.Logf("members on %s: %d", y, count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`, y, y))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM persons WHERE status = 'active'`); n != active {
			t.Errorf("persons active %d, open periods %d", n, active)
		}
		withUnion := `EXISTS (SELECT 1 FROM units u WHERE u.employer_id = e.id AND u.dissolved_on IS NULL)`
		pub := count(t, db, `SELECT COALESCE(SUM(workers_total), 0) FROM employers e WHERE sector IN ('admin_agency', 'public_unit') AND `+withUnion)
		biz := count(t, db, `SELECT COALESCE(SUM(workers_total), 0) FROM employers e WHERE sector NOT IN ('admin_agency', 'public_unit') AND `+withUnion)
		t.Logf("workers at employers with a union: public %d, business %d", pub, biz)
		within(t, "workers in agencies and public units", pub, 13_400, 0.06)
		within(t, "workers in business", biz, 11_900, 0.06)
		org := count(t, db, `SELECT COUNT(*) FROM employers e WHERE status = 'active' AND workers_total >= 15 AND NOT `+withUnion)
		small := count(t, db, `SELECT COUNT(*) FROM employers e WHERE status = 'active' AND workers_total < 15 AND NOT `+withUnion)
		t.Logf("employers without a union: %d with ≥ 15 workers, %d smaller", org, small)
		if org < 100 || org > 150 {
			t.Errorf("employers with ≥ 15 workers and no union = %d, want 100–150", org)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM units WHERE kind = 'grassroots' AND founded_on > '2021-01-01'`); n < 15 {
			t.Errorf("unions founded since 2021 = %d, want some", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM units WHERE kind = 'grassroots' AND dissolved_on IS NOT NULL`); n < 3 {
			t.Errorf("dissolved unions = %d, want a few", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM memberships m JOIN units u ON u.id = m.unit_id WHERE m.valid_to IS NULL AND u.kind IN ('section', 'group')`); n < active/20 {
			t.Errorf("members in sections and groups = %d, want a share of %d", n, active)
		}
		for _, reason := range []string{"left", "retired", "transfer_out", "deceased", "expelled"} {
			n := count(t, db, `SELECT COUNT(*) FROM memberships WHERE end_reason = ?`, reason)
			if n == 0 && reason != "expelled" {
				t.Errorf("no period ends with %q", reason)
			}
			t.Logf("periods ended %s: %d", reason, n)
		}
		female := count(t, db, `SELECT COUNT(*) FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_to IS NULL AND p.gender = 'F'`)
		t.Logf("women among members: %d of %d", female, active)
	})

	t.Run("periods", func(t *testing.T) {
		if n := count(t, db, `SELECT COUNT(*) FROM (SELECT person_id FROM memberships WHERE valid_to IS NULL GROUP BY person_id HAVING COUNT(*) > 1) x`); n != 0 {
			t.Errorf("%d persons have two open periods", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_to IS NOT NULL AND valid_to <= valid_from`); n != 0 {
			t.Errorf("%d periods end before they start", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM memberships a JOIN memberships b ON a.person_id = b.person_id AND a.id < b.id
			WHERE a.valid_from < COALESCE(b.valid_to, '9999-12-31') AND b.valid_from < COALESCE(a.valid_to, '9999-12-31')`); n != 0 {
			t.Errorf("%d pairs of periods overlap", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM memberships m JOIN units u ON u.id = m.unit_id
			WHERE m.valid_from < u.founded_on OR (u.dissolved_on IS NOT NULL AND COALESCE(m.valid_to, '9999-12-31') > u.dissolved_on)`); n != 0 {
			t.Errorf("%d periods fall outside their unit's life", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM memberships WHERE valid_from > ?`, db.Today().String()); n != 0 {
			t.Errorf("%d periods start after today", n)
		}
	})

	t.Run("persons", func(t *testing.T) {
		rows, err := storetest.Raw(t, db).Query(`SELECT cccd, full_name, gender, birth_date, phone FROM persons`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		bad := 0
		for rows.Next() {
			var cccd, name, gender, birth, phone string
			if err := rows.Scan(&cccd, &name, &gender, &birth, &phone); err != nil {
				t.Fatal(err)
			}
			y, _ := strconv.Atoi(birth[:4])
			if y < 1966 || y > 2005 {
				t.Errorf("%s born %s", name, birth)
			}
			if _, err := vntext.CheckCCCD(cccd, congdoan.Gender(gender) == congdoan.GenderFemale, y); err != nil {
				t.Errorf("%s (%s, %s): CCCD %s: %v", name, gender, birth, cccd, err)
			}
			if name != vntext.NFC(name) {
				t.Errorf("name %q is not NFC", name)
			}
			if phone != "" {
				if p, err := vntext.NormalizePhone(phone); err != nil || p != phone {
					t.Errorf("phone %q: %v", phone, err)
				}
			}
			if bad++; t.Failed() && bad > 20 {
				t.FailNow()
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows, err = storetest.Raw(t, db).Query(`SELECT tax_code, name FROM employers`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tax sql.NullString
			var name string
			if err := rows.Scan(&tax, &name); err != nil {
				t.Fatal(err)
			}
			if c, err := vntext.NormalizeTaxCode(tax.String); err != nil || c != tax.String || tax.String[:2] != "47" {
				t.Errorf("%s: tax code %q: %v", name, tax.String, err)
			}
			if name != vntext.NFC(name) {
				t.Errorf("employer %q is not NFC", name)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM persons WHERE search_key LIKE 'nguyen van %'`); n < 10 {
			t.Errorf("only %d people named Nguyễn Văn …", n)
		}
	})

	t.Run("tree", func(t *testing.T) {
		rows, err := storetest.Raw(t, db).Query(`SELECT c.code, c.kind, p.code, p.kind, e.valid_from, COALESCE(e.valid_to, ''), p.founded_on, COALESCE(p.dissolved_on, '')
			FROM unit_parents e JOIN units c ON c.id = e.unit_id JOIN units p ON p.id = e.parent_id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var child, ck, parent, pk, from, to, pFounded, pDissolved string
			if err := rows.Scan(&child, &ck, &parent, &pk, &from, &to, &pFounded, &pDissolved); err != nil {
				t.Fatal(err)
			}
			if !congdoan.UnitKind(ck).CanParent(congdoan.UnitKind(pk)) {
				t.Errorf("%s (%s) may not sit under %s (%s)", child, ck, parent, pk)
			}
			if from < pFounded || (pDissolved != "" && (to == "" || to > pDissolved)) {
				t.Errorf("edge %s → %s [%s, %s) outside the parent's life [%s, %s)", child, parent, from, to, pFounded, pDissolved)
			}
		}
		rows.Close()

		ctx := sysCtx()
		old, err := db.UnitTree(ctx, "LDLD-BK", congdoan.NewDate(2024, 1, 1), 1)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[congdoan.UnitKind]int{}
		for _, c := range old.Children {
			kinds[c.Kind]++
		}
		if kinds[congdoan.KindDistrictFederation] != 8 || kinds[congdoan.KindSectorUnion] != 4 || kinds[congdoan.KindCommuneUnion] != 0 {
			t.Errorf("LDLD-BK on 2024-01-01 has children %v, want 8 district federations and 4 sector unions", kinds)
		}
		if old.Counts.Members < 20_000 {
			t.Errorf("LDLD-BK on 2024-01-01 has %d members", old.Counts.Members)
		}
		if sum.RootCode != "LDLD-TN" {
			t.Errorf("root %q", sum.RootCode)
		}
		cur, err := db.UnitTree(ctx, sum.RootCode, congdoan.Date{}, 1)
		if err != nil {
			t.Fatal(err)
		}
		kinds = map[congdoan.UnitKind]int{}
		for _, c := range cur.Children {
			kinds[c.Kind]++
		}
		if kinds[congdoan.KindDistrictFederation] != 0 || kinds[congdoan.KindCommuneUnion] == 0 || kinds[congdoan.KindSectorUnion] != 4 {
			t.Errorf("LDLD-TN today has children %v, want commune and sector unions only", kinds)
		}
		t.Logf("LDLD-TN today: %v, %d members", kinds, cur.Counts.Members)
		if cur.Counts.Members != sum.ActiveMembers {
			t.Errorf("LDLD-TN counts %d members, summary %d", cur.Counts.Members, sum.ActiveMembers)
		}
		bk, err := db.FindUnitByCode(ctx, "LDLD-BK")
		if err != nil {
			t.Fatal(err)
		}
		if bk.Active() || bk.DissolvedOn != congdoan.NewDate(2025, 7, 1) {
			t.Errorf("LDLD-BK dissolved on %v", bk.DissolvedOn)
		}
		h, err := db.UnitHistory(ctx, "LDLD-BK-061")
		if err != nil {
			t.Fatal(err)
		}
		if last := h[len(h)-1]; last.Kind != "merged_into" || last.On != congdoan.NewDate(2025, 7, 1) {
			t.Errorf("LDLD-BK-061 history ends with %+v", *last)
		}
	})

	t.Run("history", func(t *testing.T) { checkHistory(t, db) })
	t.Run("reorganisation", func(t *testing.T) { checkReorganisation(t, db) })
	t.Run("communes", func(t *testing.T) { checkCommunes(t, db) })
	t.Run("ethnicity", func(t *testing.T) { checkEthnicity(t, db) })
	t.Run("odd cases", func(t *testing.T) { checkOddCases(t, db) })

	t.Run("samples", func(t *testing.T) {
		ctx := sysCtx()
		u, err := db.FindUnitByCode(ctx, sum.SampleGrassrootsCode)
		if err != nil {
			t.Fatal(err)
		}
		if u.Kind != congdoan.KindGrassroots || !u.Active() || u.Counts.Members < 20 || u.Counts.Members > 100 {
			t.Errorf("sample union %s %q: kind %s, %d members", u.Code, u.Name, u.Kind, u.Counts.Members)
		}
		ms, n, err := db.FindMembers(ctx, congdoan.MemberFilter{Query: "nguyen van", Unit: u.Code})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("no Nguyễn Văn in sample union %s", u.Code)
		} else {
			t.Logf("sample union %s %q (%s, %d members): %s", u.Code, u.Name, u.ParentName, u.Counts.Members, ms[0].FullName)
		}
		if _, n, _ := db.FindMembers(ctx, congdoan.MemberFilter{Query: "nguyen van"}); n < 5 {
			t.Errorf("only %d active Nguyễn Văn in the province", n)
		}
		up, err := db.FindUnitByCode(ctx, sum.SampleUpperCode)
		if err != nil {
			t.Fatal(err)
		}
		if up.Kind != congdoan.KindCommuneUnion || !up.Active() {
			t.Errorf("sample upper %s is %s", up.Code, up.Kind)
		}
		t.Logf("sample upper %s %q: %d members, %d grassroots", up.Code, up.Name, up.Counts.Members, up.Counts.GrassrootsUnits)
	})
}

// digest hashes the rows that must not depend on anything but the seed.
func digest(t *testing.T, db *store.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, code, name, kind, COALESCE(employer_id, 0), commune_code, founded_on, COALESCE(dissolved_on, ''), COALESCE(parent_id, 0) FROM units ORDER BY id`,
		`SELECT unit_id, COALESCE(parent_id, 0), valid_from, COALESCE(valid_to, '') FROM unit_parents ORDER BY id`,
		`SELECT id, COALESCE(tax_code, ''), name, sector, commune_code, status, workers_total, unit_id FROM employers ORDER BY id`,
		`SELECT id, cccd, full_name, gender, birth_date, ethnicity, phone, job FROM persons ORDER BY id`,
		`SELECT person_id, unit_id, valid_from, COALESCE(valid_to, ''), start_reason, COALESCE(end_reason, '') FROM memberships ORDER BY id`,
	} {
		rows, err := storetest.Raw(t, db).Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(h, vals...)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	gen := func(seed int64) (*Summary, string, string) {
		db := openSQLite(t)
		sum, err := Generate(ctx, db, Options{Seed: seed, Members: 3000, Today: db.Today()})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CheckDerived(ctx); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := storetest.Raw(t, db).QueryRow(`SELECT full_name FROM persons WHERE id = 1234`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		sum.Elapsed = 0
		return sum, name, digest(t, db)
	}
	s1, n1, d1 := gen(7)
	s2, n2, d2 := gen(7)
	if *s1 != *s2 || n1 != n2 || d1 != d2 {
		t.Errorf("same seed, different databases:\n%+v %q %s\n%+v %q %s", *s1, n1, d1, *s2, n2, d2)
	}
	within(t, "active members", s1.ActiveMembers, 3000, 0.05)
	if s1.SampleGrassrootsCode == "" || s1.SampleUpperCode == "" {
		t.Errorf("small province lacks samples: %+v", *s1)
	}
	_, n3, d3 := gen(8)
	if d3 == d1 && n3 == n1 {
		t.Error("seeds 7 and 8 gave the same database")
	}
	t.Logf("seed 7: %+v, person 1234 %q", *s1, n1)
}

func TestRejectsEarlyToday(t *testing.T) {
	db := openSQLite(t)
	_, err := Generate(context.Background(), db, Options{Today: congdoan.NewDate(2025, 3, 1)})
	if congdoan.ErrorCode(err) != congdoan.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
}

// TestGeneratePostgres runs the default province on PostgreSQL in a fresh
// schema when CONGDOAN_TEST_POSTGRES is set.
func TestGeneratePostgres(t *testing.T) {
	if storetest.PostgresDSN() == "" {
		t.Skip("PostgreSQL not configured: set CONGDOAN_TEST_POSTGRES")
	}
	db := storetest.Open(t, "postgres")
	db.Now = func() time.Time { return now }
	sum, err := Generate(context.Background(), db, Options{Today: db.Today()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("postgres: %+v", *sum)
	checkProvince(t, db, sum, DefaultMembers)
}

// TestGenerateLarge measures a large province on SQLite; it runs only when
// CONGDOAN_DEMO_MEMBERS names the size (e.g. 1000000), since it takes
// minutes. Speed is reported, not asserted (DESIGN.md §7).
func TestGenerateLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CONGDOAN_DEMO_MEMBERS"))
	if n == 0 {
		t.Skip("set CONGDOAN_DEMO_MEMBERS=1000000 to generate a large province")
	}
	db := openSQLite(t)
	sum, err := Generate(context.Background(), db, Options{Members: n, Today: db.Today()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d members: %+v", n, *sum)
	within(t, "active members", sum.ActiveMembers, float64(n), 0.05)
	began := time.Now()
	if err := db.CheckDerived(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("CheckDerived: %v", time.Since(began))
}

func TestNational(t *testing.T) {
	storetest.ForEachEngine(t, testNational)
}

func testNational(t *testing.T, db *store.DB) {
	ctx := context.Background()
	sum, err := National(ctx, db, NationalOptions{Seed: 2, Members: 40_000, Today: db.Today()})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckDerived(ctx); err != nil {
		t.Fatal(err)
	}
	var provinces, districts int
	storetest.Raw(t, db).QueryRow(`SELECT COUNT(*) FROM units WHERE kind = 'province_federation'`).Scan(&provinces)
	storetest.Raw(t, db).QueryRow(`SELECT COUNT(*) FROM units WHERE kind = 'district_federation'`).Scan(&districts)
	if provinces != 63 || districts != 696 || sum.ActiveMembers < 34_000 || sum.ActiveMembers > 46_000 {
		t.Errorf("national: %d provinces, %d districts, %+v", provinces, districts, sum)
	}
	if _, err := National(ctx, db, NationalOptions{}); congdoan.ErrorCode(err) != congdoan.ECONFLICT {
		t.Errorf("second run: %v", err)
	}
}
