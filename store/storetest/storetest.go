// Package storetest opens fresh, migrated databases for tests — SQLite
// always, PostgreSQL when CONGDOAN_TEST_POSTGRES holds a DSN — and seeds a
// small known province that store, web, API and end-to-end tests share.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
)

// Now is the pinned "now" of test databases: 24/11/2026 10:00 in Vietnam.
var Now = time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)

// PostgresDSN returns the DSN tests use for PostgreSQL, or "".
func PostgresDSN() string { return os.Getenv("CONGDOAN_TEST_POSTGRES") }

// Engines lists the engines to run a suite on.
func Engines() []string {
	if PostgresDSN() != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// ForEachEngine runs fn as a sub-test per engine, each with a fresh database.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	if PostgresDSN() == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must test PostgreSQL too: .ci/run sets CONGDOAN_TEST_POSTGRES")
		}
		t.Log("PostgreSQL not tested: set CONGDOAN_TEST_POSTGRES=postgres://… to run this suite on it too")
	}
	for _, e := range Engines() {
		t.Run(e, func(t *testing.T) { fn(t, Open(t, e)) })
	}
}

// Open returns a fresh migrated database of engine ("sqlite" or
// "postgres"), closed (and for PostgreSQL, its schema dropped) at cleanup.
func Open(tb testing.TB, engine string) *store.DB {
	tb.Helper()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = filepath.Join(tb.TempDir(), "congdoan.db")
	case "postgres":
		dsn = freshSchema(tb)
	default:
		tb.Fatalf("unknown engine %q", engine)
	}
	db, err := store.Open(dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", engine, err)
	}
	raw := &rawDB{dsn: dsn}
	raws.Store(db, raw)
	tb.Cleanup(func() {
		db.Close()
		if raw.db != nil {
			raw.db.Close()
		}
		raws.Delete(db)
	})
	db.Now = func() time.Time { return Now }
	db.PasswordMemoryKiB = 1024
	db.StrictChanges = true
	db.UseAuditKeys(store.NewAuditKeys())
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", engine, err)
	}
	return db
}

// raws holds, for every database Open returned, the plain handle Raw
// gives out (opened on first use, closed with the database).
var raws sync.Map // *store.DB → *rawDB

type rawDB struct {
	dsn  string
	once sync.Once
	db   *sql.DB
	err  error
}

// Raw returns a second, plain connection pool to a database that Open
// returned, for tests that look at or tamper with rows directly (the store
// gives no raw access). Queries use the engine's own placeholders: wrap
// them in db.Rebind.
func Raw(tb testing.TB, db *store.DB) *sql.DB {
	tb.Helper()
	v, ok := raws.Load(db)
	if !ok {
		tb.Fatal("storetest.Raw: the database was not opened by storetest.Open")
	}
	r := v.(*rawDB)
	r.once.Do(func() {
		driver, src := "sqlite", "file:"+r.dsn+"?_pragma=busy_timeout(10000)"
		if db.Engine() == "postgres" {
			driver, src = "pgx", r.dsn
		}
		r.db, r.err = sql.Open(driver, src)
		if r.err == nil {
			r.db.SetMaxOpenConns(2)
		}
	})
	if r.err != nil {
		tb.Fatal(r.err)
	}
	return r.db
}

// freshSchema creates a schema with a random name and returns a DSN whose
// search_path points at it, so tests never see each other's rows.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	base := PostgresDSN()
	if base == "" {
		tb.Skip("PostgreSQL not configured: set CONGDOAN_TEST_POSTGRES")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema on %s: %v", base, err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Password is every fixture user's password.
const Password = "mat-khau-thu-nghiem"

// Fixture is the seeded province: two district federations, three
// grassroots unions (one with a group), employers with and without a
// union, members, and a user per role.
type Fixture struct {
	DB        *store.DB
	Users     map[string]*congdoan.User // by username
	MemberIDs map[string]int64          // by full name
	Employers map[string]int64          // by short key: khoangsan, thpt, che, go, ho
}

// Ctx returns a context acting as the fixture user username.
func (f *Fixture) Ctx(username string) context.Context {
	u, ok := f.Users[username]
	if !ok {
		panic("storetest: no fixture user " + username)
	}
	return congdoan.NewContextWithUser(context.Background(), u)
}

// Fixture usernames and what they see.
const (
	Admin      = "quantri"     // admin: everything
	Province   = "tinh"        // province_officer of LDLD-BK
	District   = "huyen"       // upper_officer of LDLD-BK-058 (unions A and B)
	UnionA     = "coso.a"      // grassroots_officer of CDCS-A (and its group)
	UnionC     = "coso.c"      // grassroots_officer of CDCS-C
	Monitor    = "giamsat"     // monitor of LDLD-BK
	UnitCodeA  = "CDCS-A"      // under LDLD-BK-058, employer khoangsan
	UnitCodeA1 = "CDCS-A-T1"   // group of CDCS-A
	UnitCodeB  = "CDCS-B"      // under LDLD-BK-058, employer thpt
	UnitCodeC  = "CDCS-C"      // under LDLD-BK-066, employer che
	Root       = "LDLD-BK"     //
	District58 = "LDLD-BK-058" //
	District66 = "LDLD-BK-066" //
)

// CCCD returns a valid citizen ID for a person registered in Bắc Kạn (006)
// with the given gender and birth year; n makes it unique.
func CCCD(female bool, year, n int) string {
	d := (year/100 - 19) * 2
	if female {
		d++
	}
	return fmt.Sprintf("006%d%02d%06d", d, year%100, n)
}

type seedMember struct {
	name, unit string
	female     bool
	year       int
}

// Seed fills db with the fixture province.
func Seed(tb testing.TB, db *store.DB) *Fixture {
	tb.Helper()
	ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	f := &Fixture{DB: db, Users: map[string]*congdoan.User{}, MemberIDs: map[string]int64{}, Employers: map[string]int64{}}
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	d := func(y int, m time.Month, day int) congdoan.Date { return congdoan.NewDate(y, m, day) }
	unit := func(code, name string, kind congdoan.UnitKind, parent string, emp int64, founded congdoan.Date) {
		tb.Helper()
		_, err := db.CreateUnit(ctx, congdoan.UnitInput{Code: code, Name: name, Kind: kind, ParentCode: parent, EmployerID: emp, FoundedOn: founded})
		must(err)
	}
	unit(Root, "Liên đoàn Lao động tỉnh Bắc Kạn", congdoan.KindProvinceFederation, "", 0, d(1997, 4, 1))
	unit(District58, "Liên đoàn Lao động thành phố Bắc Kạn", congdoan.KindDistrictFederation, Root, 0, d(2000, 1, 1))
	unit(District66, "Liên đoàn Lao động huyện Na Rì", congdoan.KindDistrictFederation, Root, 0, d(2000, 1, 1))
	emp := func(key, tax, name string, sector congdoan.Sector, workers, female int, unitCode string) {
		tb.Helper()
		e, err := db.CreateEmployer(ctx, congdoan.EmployerInput{TaxCode: tax, Name: name, Sector: sector, Status: congdoan.EmployerActive,
			WorkersTotal: workers, WorkersFemale: female, UnitCode: unitCode, HeadcountAsOf: d(2026, 1, 1), Industry: "Khai khoáng"})
		must(err)
		f.Employers[key] = e.ID
	}
	emp("khoangsan", "4700123456", "Công ty TNHH Khoáng sản Bắc Kạn", congdoan.SectorNonState, 120, 30, District58)
	emp("thpt", "4700234567", "Trường THPT Chuyên Bắc Kạn", congdoan.SectorPublicUnit, 60, 40, District58)
	emp("che", "4700345678", "Công ty Cổ phần Chè Na Rì", congdoan.SectorNonState, 40, 25, District66)
	emp("go", "4700456789", "Công ty TNHH Chế biến Gỗ Na Rì", congdoan.SectorNonState, 25, 5, District66)
	emp("ho", "", "Hộ kinh doanh Đàm Văn Tư", congdoan.SectorOther, 8, 2, District66)
	unit(UnitCodeA, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn", congdoan.KindGrassroots, District58, f.Employers["khoangsan"], d(2010, 5, 1))
	unit(UnitCodeA1, "Tổ công đoàn Phân xưởng tuyển quặng", congdoan.KindGroup, UnitCodeA, 0, d(2015, 1, 1))
	unit(UnitCodeB, "Công đoàn cơ sở Trường THPT Chuyên Bắc Kạn", congdoan.KindGrassroots, District58, f.Employers["thpt"], d(2005, 9, 1))
	unit(UnitCodeC, "Công đoàn Công ty Cổ phần Chè Na Rì", congdoan.KindGrassroots, District66, f.Employers["che"], d(2018, 3, 1))

	members := []seedMember{
		{"Nguyễn Văn An", UnitCodeA, false, 1985},
		{"Nguyễn Văn Bình", UnitCodeA, false, 1990},
		{"Hoàng Thị Đào", UnitCodeA1, true, 1992},
		{"Nông Thị Hoa", UnitCodeB, true, 1980},
		{"Nguyễn Văn Cường", UnitCodeB, false, 1988},
		{"Triệu Văn Đức", UnitCodeC, false, 1979},
		{"Lý Thị Én", UnitCodeC, true, 1995},
	}
	for i, m := range members {
		g := congdoan.GenderMale
		if m.female {
			g = congdoan.GenderFemale
		}
		mem, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: CCCD(m.female, m.year, 100+i), FullName: m.name, Gender: g,
			BirthDate: d(m.year, 3, 15), Ethnicity: "Tày", Phone: fmt.Sprintf("09123456%02d", i), Job: "Công nhân",
			UnitCode: m.unit, JoinedOn: d(2021, 1, 4)})
		must(err)
		f.MemberIDs[m.name] = mem.ID
	}
	for _, u := range []congdoan.UserInput{
		{Username: Admin, FullName: "Quản trị", Role: congdoan.RoleAdmin},
		{Username: Province, FullName: "Cán bộ tỉnh", Role: congdoan.RoleProvinceOfficer, UnitCode: Root},
		{Username: District, FullName: "Cán bộ thành phố", Role: congdoan.RoleUpperOfficer, UnitCode: District58},
		{Username: UnionA, FullName: "Chủ tịch CĐCS A", Role: congdoan.RoleGrassrootsOfficer, UnitCode: UnitCodeA},
		{Username: UnionC, FullName: "Chủ tịch CĐCS C", Role: congdoan.RoleGrassrootsOfficer, UnitCode: UnitCodeC},
		{Username: Monitor, FullName: "Ban Dân vận", Role: congdoan.RoleMonitor, UnitCode: Root},
	} {
		u.Password = Password
		user, err := db.CreateUser(ctx, u)
		must(err)
		f.Users[u.Username] = user
	}
	return f
}

// DSN returns the DSN of a database that Open returned, for a test that
// starts a server process on it.
func DSN(tb testing.TB, db *store.DB) string {
	tb.Helper()
	v, ok := raws.Load(db)
	if !ok {
		tb.Fatal("storetest.DSN: the database was not opened by storetest.Open")
	}
	return v.(*rawDB).dsn
}
