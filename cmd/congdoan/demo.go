package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"congdoan"
	"congdoan/demo"
	"congdoan/store"
	"congdoan/vntext"
)

func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	seed := fs.Int64("seed", 1, "seed of the synthetic province (same seed, same data)")
	members := fs.Int("members", 0, "active members today (default: the province's scale, about 22–23 thousand; national: 11 million)")
	scale := fs.String("scale", "province", "province (Bắc Kạn, with history and accounts) or national (63 provinces, for benchmarks)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	switch *scale {
	case "province":
		return generateDemo(ctx, a, *seed, *members, getenv, stdout)
	case "national":
		return generateNational(ctx, a.db, *seed, *members, stdout)
	}
	return fmt.Errorf("--scale phải là province hoặc national (đang là %q)", *scale)
}

// generateNational builds the national benchmark registry with its
// agreements and snapshots. It creates no accounts: use "user add".
func generateNational(ctx context.Context, db *store.DB, seed int64, members int, stdout io.Writer) error {
	fmt.Fprintln(stdout, "congdoan: đang tạo dữ liệu mẫu toàn quốc (63 tỉnh, thành phố)…")
	began, step := time.Now(), 0
	progress := func(done, of int) {
		if done*10 >= of*(step+1) { // every tenth
			step = done * 10 / max(of, 1)
			fmt.Fprintf(stdout, "congdoan: đã ghi khoảng %s / %s đoàn viên, sau %s\n", vntext.FormatInt(int64(done)), vntext.FormatInt(int64(of)), time.Since(began).Round(time.Second))
		}
	}
	sum, err := demo.National(ctx, db, demo.NationalOptions{Seed: seed, Members: members, Today: db.Today(), Progress: progress})
	if err != nil {
		return err
	}
	start := time.Now()
	if _, err := demo.Agreements(ctx, db, seed, db.Today()); err != nil {
		return err
	}
	if err := db.BackfillSnapshots(ctx); err != nil {
		return err
	}
	n := func(v int) string { return vntext.FormatInt(int64(v)) }
	fmt.Fprintf(stdout, "congdoan: đã tạo %s đơn vị (%s công đoàn cơ sở), %s đơn vị sử dụng lao động, %s đoàn viên đang sinh hoạt trong %s; thỏa ước và số liệu tháng thêm %s.\n",
		n(sum.Units), n(sum.Grassroots), n(sum.Employers), n(sum.ActiveMembers), sum.Elapsed.Round(time.Second), time.Since(start).Round(time.Second))
	return nil
}

// demoIfEmpty builds the demo province unless the database already has units.
func demoIfEmpty(ctx context.Context, a *app, seed int64, members int, getenv func(string) string, stdout io.Writer) error {
	n, err := a.db.UnitCount(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(stdout, "congdoan: cơ sở dữ liệu đã có dữ liệu, không tạo lại tỉnh mẫu.")
		return nil
	}
	return generateDemo(ctx, a, seed, members, getenv, stdout)
}

// demoUsers are the accounts the demo creates so that each role can be tried.
type demoUser struct {
	username, name string
	role           congdoan.Role
	unit           func(*demo.Summary) string
}

var demoAccounts = []demoUser{
	{"admin", "Quản trị hệ thống", congdoan.RoleAdmin, func(*demo.Summary) string { return "" }},
	{"canbo.tinh", "Cán bộ Ban Tổ chức LĐLĐ tỉnh", congdoan.RoleProvinceOfficer, func(s *demo.Summary) string { return s.RootCode }},
	{"canbo.xa", "Cán bộ công đoàn xã", congdoan.RoleUpperOfficer, func(s *demo.Summary) string { return s.SampleUpperCode }},
	{"canbo.coso", "Chủ tịch công đoàn cơ sở", congdoan.RoleGrassrootsOfficer, func(s *demo.Summary) string { return s.SampleGrassrootsCode }},
	{"giamsat", "Ban Dân vận Tỉnh ủy", congdoan.RoleMonitor, func(s *demo.Summary) string { return s.RootCode }},
}

func generateDemo(ctx context.Context, a *app, seed int64, members int, getenv func(string) string, stdout io.Writer) error {
	db := a.db
	fmt.Fprintln(stdout, "congdoan: đang tạo tỉnh mẫu (Bắc Kạn, nay thuộc Thái Nguyên)…")
	sum, err := demo.Generate(ctx, db, demo.Options{Seed: seed, Members: members, Today: db.Today()})
	if err != nil {
		return err
	}
	n := func(v int) string { return vntext.FormatInt(int64(v)) }
	fmt.Fprintf(stdout, "congdoan: đã tạo %s đơn vị (%s công đoàn cơ sở), %s đơn vị sử dụng lao động, %s đoàn viên đang sinh hoạt, trong %s.\n",
		n(sum.Units), n(sum.Grassroots), n(sum.Employers), n(sum.ActiveMembers), strings.Replace(sum.Elapsed.Round(time.Second/10).String(), ".", ",", 1))
	if _, err := demo.Agreements(ctx, db, seed, db.Today()); err != nil {
		return err
	}
	if err := db.BackfillSnapshotsFrom(ctx, demo.HistoryStart); err != nil {
		return err
	}
	if err := a.loadPlans(ctx); err != nil {
		return err
	}
	password := getenv("CONGDOAN_ADMIN_PASSWORD")
	generated := password == ""
	if generated {
		password = randomPassword()
	}
	sys := system(ctx)
	for _, acc := range demoAccounts {
		if _, err := db.CreateUser(sys, congdoan.UserInput{Username: acc.username, FullName: acc.name, Role: acc.role, UnitCode: acc.unit(sum), Password: password}); err != nil {
			return fmt.Errorf("tạo tài khoản %s: %w", acc.username, err)
		}
	}
	var names []string
	for _, acc := range demoAccounts {
		names = append(names, acc.username)
	}
	if generated {
		fmt.Fprintf(stdout, "congdoan: tài khoản %s, mật khẩu (chỉ in một lần): %s\n", strings.Join(names, ", "), password)
	} else {
		fmt.Fprintf(stdout, "congdoan: tài khoản %s, mật khẩu lấy từ CONGDOAN_ADMIN_PASSWORD.\n", strings.Join(names, ", "))
	}
	return nil
}

// randomPassword returns 16 random base32 characters (80 bits), grouped for reading aloud.
func randomPassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.EncodeToString(b))
	return s[:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}
