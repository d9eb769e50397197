package api

import (
	"net/http"
	"strings"
	"testing"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

// userWalk adds the account routes to the scope walk: a grassroots
// officer manages no account, and changes their own password only with
// the current one (a wrong one here, so that nothing is written).
func userWalk(t *testing.T, e *testEnv, walk map[string][]walkCase) {
	t.Helper()
	fb := []int{http.StatusForbidden}
	others := []string{storetest.UnionC, storetest.District, storetest.Admin + `"`, "Chủ tịch CĐCS C"}
	walk["GET /api/v1/users"] = []walkCase{
		{path: "/api/v1/users", allow: fb, forbid: others},
		{path: "/api/v1/users?unit=" + storetest.UnitCodeA, allow: fb, forbid: others},
	}
	walk["POST /api/v1/users"] = []walkCase{
		{path: "/api/v1/users", allow: fb, body: map[string]string{"username": "la.mat", "full_name": "Người lạ", "role": "grassroots_officer",
			"unit_code": storetest.UnitCodeA, "password": "hoa-ban-no-tren-doi"}},
		{path: "/api/v1/users", allow: fb, body: map[string]string{"username": "la.mat2", "full_name": "Người lạ", "role": "admin", "password": "hoa-ban-no-tren-doi"}},
	}
	walk["PATCH /api/v1/users/{id}"] = []walkCase{
		{path: "/api/v1/users/" + itoa(e.f.Users[storetest.UnionC].ID), body: map[string]any{"disabled": true}, allow: fb, forbid: others},
		{path: "/api/v1/users/" + itoa(e.f.Users[storetest.UnionA].ID), body: map[string]any{"role": "province_officer"}, allow: fb},
	}
	walk["POST /api/v1/me/password"] = []walkCase{
		{path: "/api/v1/me/password", body: map[string]string{"current": "sai-mat-khau-roi", "new": "hoa-ban-no-tren-doi"}, allow: []int{http.StatusUnprocessableEntity}},
	}
}

// TestUserAPI: an administrator creates an account; until its owner
// changes the password the token opens only /me and /me/password; the
// province officer lists and disables the accounts of the province.
func TestUserAPI(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		first, second := "mot-mat-khau-tam-thoi", "hoa-ban-no-tren-doi"
		body := map[string]string{"username": "canbo.moi", "full_name": "Nguyễn Thị Mai", "role": "grassroots_officer", "unit_code": storetest.UnitCodeA, "password": first}
		res := e.as(storetest.Admin, "POST", "/api/v1/users", body)
		res.want(t, http.StatusCreated)
		var u congdoan.User
		res.decode(t, &u)
		if u.Username != "canbo.moi" || !u.MustChangePassword || res.header.Get("Location") != "/api/v1/users/"+itoa(u.ID) {
			t.Fatalf("created %s, location %s", res.body, res.header.Get("Location"))
		}
		e.as(storetest.Admin, "POST", "/api/v1/users", body).wantError(t, http.StatusConflict, "conflict", "username")
		weak := map[string]string{"username": "canbo.yeu", "full_name": "X", "role": "monitor", "unit_code": storetest.Root, "password": "congdoan2025"}
		e.as(storetest.Admin, "POST", "/api/v1/users", weak).wantError(t, http.StatusUnprocessableEntity, "invalid", "password")
		e.as(storetest.Admin, "POST", "/api/v1/users", rawBody(`{"username":"a.b.c","extra":"x"}`)).want(t, http.StatusBadRequest)

		// The new user: only /me and /me/password until the change.
		res = e.send("", "POST", "/api/v1/session", map[string]string{"username": "canbo.moi", "password": first})
		res.want(t, http.StatusOK)
		var s struct{ Token string }
		res.decode(t, &s)
		e.send(s.Token, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		e.send(s.Token, "GET", "/api/v1/members", nil).wantError(t, http.StatusForbidden, "forbidden", "")
		e.send(s.Token, "POST", "/api/v1/me/password", map[string]string{"current": "sai-mat-khau-roi", "new": second}).wantError(t, http.StatusUnprocessableEntity, "invalid", "current")
		e.send(s.Token, "POST", "/api/v1/me/password", map[string]string{"current": first, "new": "qwertyuiopas"}).wantError(t, http.StatusUnprocessableEntity, "invalid", "new")
		e.send(s.Token, "POST", "/api/v1/me/password", map[string]string{"current": first, "new": second}).want(t, http.StatusNoContent)
		e.send(s.Token, "GET", "/api/v1/members", nil).want(t, http.StatusOK)
		e.send("", "POST", "/api/v1/session", map[string]string{"username": "canbo.moi", "password": second}).want(t, http.StatusOK)

		// The province officer: the province's accounts, one district's, no admin.
		var l struct{ Items []congdoan.User }
		res = e.as(storetest.Province, "GET", "/api/v1/users?unit="+storetest.District58, nil)
		res.want(t, http.StatusOK)
		res.decode(t, &l)
		var names []string
		for _, x := range l.Items {
			names = append(names, x.Username)
		}
		if got := strings.Join(names, " "); got != "canbo.moi coso.a huyen" {
			t.Errorf("district's accounts: %q", got)
		}
		e.as(storetest.Province, "GET", "/api/v1/users?unit=KHONG-CO", nil).wantError(t, http.StatusNotFound, "not_found", "")
		e.as(storetest.Province, "POST", "/api/v1/users", map[string]string{"username": "quantri.moi", "full_name": "X", "role": "admin", "password": second}).
			wantError(t, http.StatusForbidden, "forbidden", "role")
		e.as(storetest.Province, "PATCH", "/api/v1/users/"+itoa(e.f.Users[storetest.Admin].ID), map[string]any{"disabled": true}).wantError(t, http.StatusNotFound, "not_found", "")
		res = e.as(storetest.Province, "PATCH", "/api/v1/users/"+itoa(u.ID), map[string]any{"disabled": true, "full_name": "Nguyễn Thị Mai Anh"})
		res.want(t, http.StatusOK)
		res.decode(t, &u)
		if !u.Disabled || u.FullName != "Nguyễn Thị Mai Anh" {
			t.Errorf("patched %s", res.body)
		}
		e.send(s.Token, "GET", "/api/v1/me", nil).wantError(t, http.StatusUnauthorized, "unauthorized", "")
		e.as(storetest.Province, "PATCH", "/api/v1/users/abc", map[string]any{"disabled": false}).wantError(t, http.StatusUnprocessableEntity, "invalid", "id")
	})
}
