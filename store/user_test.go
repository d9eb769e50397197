package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

const newPassword = "hoa-ban-no-tren-doi"

// usernames lists the accounts a user sees.
func usernames(t *testing.T, db *store.DB, ctx context.Context, unit string) []string {
	t.Helper()
	us, err := db.FindUsers(ctx, congdoan.UserFilter{UnitCode: unit})
	if err != nil {
		t.Fatalf("FindUsers(%q): %v", unit, err)
	}
	var out []string
	for _, u := range us {
		out = append(out, u.Username)
	}
	return out
}

// TestUserScope holds who manages which accounts: the administrator every
// one, the province officer those of the province (not the administrator,
// not the other province's), nobody else any.
func TestUserScope(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		f.SeedOtherProvince(t)
		admin, tinh := f.Ctx(storetest.Admin), f.Ctx(storetest.Province)
		if got := strings.Join(usernames(t, db, admin, ""), " "); !strings.Contains(got, storetest.Admin) || !strings.Contains(got, storetest.OtherProvince) {
			t.Errorf("admin sees %s", got)
		}
		got := strings.Join(usernames(t, db, tinh, ""), " ")
		if got != "coso.a coso.c giamsat huyen tinh" {
			t.Errorf("province officer sees %q", got)
		}
		if got := strings.Join(usernames(t, db, tinh, storetest.District58), " "); got != "coso.a huyen" {
			t.Errorf("province officer, LDLD-BK-058: %q", got)
		}
		if _, err := db.FindUsers(tinh, congdoan.UserFilter{UnitCode: storetest.OtherRoot}); code(err) != congdoan.ENOTFOUND {
			t.Errorf("other province's unit: %v", err)
		}
		for _, name := range []string{storetest.Admin, storetest.OtherProvince} {
			if _, err := db.FindUserByID(tinh, f.Users[name].ID); code(err) != congdoan.ENOTFOUND {
				t.Errorf("province officer reads %s: %v", name, err)
			}
			if err := db.ResetPassword(tinh, f.Users[name].ID, newPassword); code(err) != congdoan.ENOTFOUND {
				t.Errorf("province officer resets %s: %v", name, err)
			}
			dis := true
			if _, err := db.UpdateUser(tinh, f.Users[name].ID, congdoan.UserUpdate{Disabled: &dis}); code(err) != congdoan.ENOTFOUND {
				t.Errorf("province officer disables %s: %v", name, err)
			}
		}
		for _, name := range []string{storetest.District, storetest.UnionA, storetest.Monitor} {
			ctx := f.Ctx(name)
			if _, err := db.FindUsers(ctx, congdoan.UserFilter{}); code(err) != congdoan.EFORBIDDEN {
				t.Errorf("%s lists users: %v", name, err)
			}
			if _, err := db.FindUserByID(ctx, f.Users[storetest.UnionA].ID); code(err) != congdoan.EFORBIDDEN {
				t.Errorf("%s reads a user: %v", name, err)
			}
			if err := db.ResetPassword(ctx, f.Users[storetest.UnionC].ID, newPassword); code(err) != congdoan.EFORBIDDEN {
				t.Errorf("%s resets a password: %v", name, err)
			}
		}

		// The province officer creates within the province, never an
		// administrator, never a unit outside.
		in := congdoan.UserInput{Username: "canbo.moi", FullName: "Cán bộ mới", Role: congdoan.RoleGrassrootsOfficer, UnitCode: storetest.UnitCodeC, Password: newPassword}
		bad := in
		bad.Role, bad.UnitCode = congdoan.RoleAdmin, ""
		if _, err := db.CreateUser(tinh, bad); code(err) != congdoan.EFORBIDDEN || asDomain(err).Fields["role"] == "" {
			t.Errorf("province officer creates an admin: %v", err)
		}
		bad = in
		bad.UnitCode = storetest.OtherRoot
		if _, err := db.CreateUser(tinh, bad); code(err) != congdoan.EINVALID || asDomain(err).Fields["unit_code"] == "" {
			t.Errorf("province officer creates in another province: %v", err)
		}
		u, err := db.CreateUser(tinh, in)
		if err != nil {
			t.Fatal(err)
		}
		if !u.MustChangePassword || u.UnitCode != storetest.UnitCodeC {
			t.Errorf("created %+v", u)
		}
		if _, err := db.CreateUser(tinh, in); code(err) != congdoan.ECONFLICT {
			t.Errorf("same username again: %v", err)
		}
		// Role and unit changes within the province; not to admin, not out.
		role := congdoan.RoleUpperOfficer
		unit := storetest.District66
		if u, err = db.UpdateUser(tinh, u.ID, congdoan.UserUpdate{Role: &role, UnitCode: &unit}); err != nil || u.Role != role || u.UnitCode != unit {
			t.Fatalf("update: %+v %v", u, err)
		}
		admRole := congdoan.RoleAdmin
		if _, err := db.UpdateUser(tinh, u.ID, congdoan.UserUpdate{Role: &admRole}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("grant admin: %v", err)
		}
		other := storetest.OtherRoot
		if _, err := db.UpdateUser(tinh, u.ID, congdoan.UserUpdate{UnitCode: &other}); code(err) != congdoan.EINVALID {
			t.Errorf("move out of the province: %v", err)
		}
		// Nobody locks themselves out.
		dis := true
		if _, err := db.UpdateUser(tinh, f.Users[storetest.Province].ID, congdoan.UserUpdate{Disabled: &dis}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("disable oneself: %v", err)
		}
		if _, err := db.UpdateUser(admin, f.Users[storetest.Admin].ID, congdoan.UserUpdate{Role: &role}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("admin demotes themselves: %v", err)
		}
		if err := db.ResetPassword(tinh, f.Users[storetest.Province].ID, newPassword); code(err) != congdoan.EINVALID {
			t.Errorf("reset one's own password: %v", err)
		}
		if err := db.CheckDerived(context.Background()); err != nil {
			t.Error(err)
		}
	})
}

// TestAccountLifecycle: an administrator creates an account, its owner
// must change the password and does; a reset makes them change it again;
// disabling ends the sessions at once; every write is audited without a
// password or hash.
func TestAccountLifecycle(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin, bg := f.Ctx(storetest.Admin), context.Background()
		first := "mot-mat-khau-tam-thoi"
		u, err := db.CreateUser(admin, congdoan.UserInput{Username: "CanBo.Moi", FullName: "Nguyễn Thị Mới", Role: congdoan.RoleGrassrootsOfficer, UnitCode: storetest.UnitCodeA, Password: first})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "canbo.moi" || !u.MustChangePassword {
			t.Fatalf("created %+v", u)
		}
		if _, err := db.CreateUser(admin, congdoan.UserInput{Username: "yeu", FullName: "X", Role: congdoan.RoleMonitor, UnitCode: storetest.Root, Password: "congdoan2025"}); code(err) != congdoan.EINVALID || asDomain(err).Fields["password"] == "" {
			t.Errorf("common password accepted: %v", err)
		}
		if _, err := db.Authenticate(bg, "canbo.moi", first); err != nil {
			t.Fatal(err)
		}
		tokA, _ := db.CreateSession(bg, u.ID, "web", time.Hour, "Mozilla/5.0 (Android) Chrome/130")
		tokB, _ := db.CreateSession(bg, u.ID, "api", time.Hour, "curl/8.5")
		me, err := db.FindSession(bg, tokA)
		if err != nil || !me.MustChangePassword {
			t.Fatalf("session user %+v %v", me, err)
		}
		ctx := congdoan.NewContextWithUser(bg, me)
		ss, err := db.FindSessions(ctx, tokA)
		if err != nil || len(ss) != 2 {
			t.Fatalf("sessions %v %v", ss, err)
		}
		cur := 0
		for _, s := range ss {
			if s.Current {
				cur++
				if s.Kind != "web" || !strings.Contains(s.UserAgent, "Android") || s.LastSeenAt.IsZero() {
					t.Errorf("current session %+v", s)
				}
			}
		}
		if cur != 1 {
			t.Errorf("%d current sessions", cur)
		}
		// Another user's sessions are not listed.
		if other, _ := db.FindSessions(f.Ctx(storetest.UnionA), ""); len(other) != 0 {
			t.Errorf("coso.a sees %d sessions", len(other))
		}

		// Change: the wrong current password, a weak new one, then right.
		err = db.ChangePassword(ctx, "sai-mat-khau-roi", newPassword, tokA)
		if e := asDomain(err); code(err) != congdoan.EINVALID || e.Fields["current"] == "" {
			t.Errorf("wrong current: %v", err)
		}
		for _, weak := range []string{"canbo.moi123", "qwertyuiopas", "ngan", first} {
			if err := db.ChangePassword(ctx, first, weak, tokA); code(err) != congdoan.EINVALID || asDomain(err).Fields["new"] == "" {
				t.Errorf("weak new %q: %v", weak, err)
			}
		}
		if err := db.ChangePassword(ctx, first, newPassword, tokA); err != nil {
			t.Fatal(err)
		}
		if me, err = db.FindSession(bg, tokA); err != nil || me.MustChangePassword {
			t.Errorf("after change, this session: %+v %v", me, err)
		}
		if _, err := db.FindSession(bg, tokB); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("the other session survives the change: %v", err)
		}
		if _, err := db.Authenticate(bg, "canbo.moi", newPassword); err != nil {
			t.Error(err)
		}

		// Log out elsewhere.
		ctx = congdoan.NewContextWithUser(bg, me)
		tokC, _ := db.CreateSession(bg, u.ID, "web", time.Hour, "")
		if n, err := db.EndOtherSessions(ctx, tokA); err != nil || n != 1 {
			t.Errorf("end others: %d %v", n, err)
		}
		if _, err := db.FindSession(bg, tokC); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("session elsewhere survives: %v", err)
		}
		if _, err := db.FindSession(bg, tokA); err != nil {
			t.Errorf("this session ended: %v", err)
		}

		// Reset by the province officer: must change again, sessions end.
		if err := db.ResetPassword(f.Ctx(storetest.Province), u.ID, "mat-khau-dat-lai-moi"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindSession(bg, tokA); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("session survives a reset: %v", err)
		}
		if x, err := db.Authenticate(bg, "canbo.moi", "mat-khau-dat-lai-moi"); err != nil || !x.MustChangePassword {
			t.Errorf("after reset %+v %v", x, err)
		}

		// Disable ends sessions at once and refuses logins; enable again.
		tokD, _ := db.CreateSession(bg, u.ID, "web", time.Hour, "")
		dis := true
		if x, err := db.UpdateUser(admin, u.ID, congdoan.UserUpdate{Disabled: &dis}); err != nil || !x.Disabled {
			t.Fatalf("disable %+v %v", x, err)
		}
		if _, err := db.FindSession(bg, tokD); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("disabled user's session works: %v", err)
		}
		if _, err := db.Authenticate(bg, "canbo.moi", "mat-khau-dat-lai-moi"); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("disabled user logs in: %v", err)
		}
		dis = false
		if _, err := db.UpdateUser(admin, u.ID, congdoan.UserUpdate{Disabled: &dis}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(bg, "canbo.moi", "mat-khau-dat-lai-moi"); err != nil {
			t.Errorf("enabled user: %v", err)
		}

		evs, _, err := db.FindAuditEvents(admin, congdoan.AuditFilter{Entity: "user", EntityID: "canbo.moi", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range evs {
			actions = append(actions, ev.Action)
			for _, s := range []string{first, newPassword, "mat-khau-dat-lai", "argon2", "password_hash"} {
				if strings.Contains(string(ev.Before)+string(ev.After), s) {
					t.Errorf("audit %s holds %q: %s %s", ev.Action, s, ev.Before, ev.After)
				}
			}
		}
		want := "user.update user.update user.password user.logout_others user.password_change user.create"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("audit actions %q, want %q", got, want)
		}
		if err := db.CheckDerived(bg); err != nil {
			t.Error(err)
		}
	})
}

// TestCommandLineAccountNeedNotChange: the system user (congdoan user add)
// creates accounts whose operator chose the password.
func TestCommandLineAccountNeedNotChange(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	storetest.Seed(t, db)
	sys := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	u, err := db.CreateUser(sys, congdoan.UserInput{Username: "quantri2", FullName: "Quản trị 2", Role: congdoan.RoleAdmin, Password: newPassword})
	if err != nil || u.MustChangePassword {
		t.Fatalf("%+v %v", u, err)
	}
	if err := db.SetPassword(sys, "quantri2", "quantri2-2025"); code(err) != congdoan.EINVALID {
		t.Errorf("username as password: %v", err)
	}
}
