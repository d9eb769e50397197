package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"congdoan/internal/ratelimit"
	"congdoan/store"
	"congdoan/store/storetest"
)

func TestSession(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})

		t.Run("good login", func(t *testing.T) {
			res := e.send("", "POST", "/api/v1/session", map[string]string{"username": storetest.UnionA, "password": storetest.Password})
			res.want(t, http.StatusOK)
			var s struct {
				Token     string    `json:"token"`
				ExpiresAt time.Time `json:"expires_at"`
				User      struct {
					Username string `json:"username"`
					Role     string `json:"role"`
					UnitCode string `json:"unit_code"`
				} `json:"user"`
			}
			res.decode(t, &s)
			if len(s.Token) < 32 || s.ExpiresAt.IsZero() {
				t.Errorf("token %q expires %v", s.Token, s.ExpiresAt)
			}
			if s.User.Username != storetest.UnionA || s.User.Role != "grassroots_officer" || s.User.UnitCode != storetest.UnitCodeA {
				t.Errorf("user %+v", s.User)
			}
			if strings.Contains(string(res.body), `"password"`) {
				t.Errorf("login answer mentions the password: %s", res.body)
			}
			if cc := res.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			me := e.send(s.Token, "GET", "/api/v1/me", nil)
			me.want(t, http.StatusOK)
			if !strings.Contains(string(me.body), `"username":"coso.a"`) {
				t.Errorf("/me: %s", me.body)
			}
		})

		t.Run("bad password", func(t *testing.T) {
			res := e.send("", "POST", "/api/v1/session", map[string]string{"username": storetest.UnionA, "password": "sai-mat-khau-roi"})
			res.wantError(t, http.StatusUnauthorized, "unauthorized", "")
			if !strings.Contains(string(res.body), "không đúng") {
				t.Errorf("message does not say the login is wrong: %s", res.body)
			}
		})

		t.Run("unknown user", func(t *testing.T) {
			res := e.send("", "POST", "/api/v1/session", map[string]string{"username": "khong.co", "password": storetest.Password})
			res.wantError(t, http.StatusUnauthorized, "unauthorized", "")
		})

		t.Run("missing fields", func(t *testing.T) {
			res := e.send("", "POST", "/api/v1/session", map[string]string{"username": storetest.UnionA})
			res.wantError(t, http.StatusUnprocessableEntity, "invalid", "password")
		})

		t.Run("no token", func(t *testing.T) {
			res := e.send("", "GET", "/api/v1/me", nil)
			res.wantError(t, http.StatusUnauthorized, "unauthorized", "")
			if res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})

		t.Run("garbage token", func(t *testing.T) {
			for _, auth := range []string{"Bearer khong-phai-ma-phien", "Basic Y29zby5hOnh4eA==", "Bearer", "khong-phai-ma-phien"} {
				req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/members", nil)
				req.Header.Set("Authorization", auth)
				res, err := e.srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("Authorization %q: status %d, want 401", auth, res.StatusCode)
				}
			}
		})

		t.Run("logout", func(t *testing.T) {
			res := e.send("", "POST", "/api/v1/session", map[string]string{"username": storetest.District, "password": storetest.Password})
			res.want(t, http.StatusOK)
			var s struct{ Token string }
			res.decode(t, &s)
			e.send(s.Token, "DELETE", "/api/v1/session", nil).want(t, http.StatusNoContent)
			e.send(s.Token, "GET", "/api/v1/me", nil).wantError(t, http.StatusUnauthorized, "unauthorized", "")
			e.send("", "DELETE", "/api/v1/session", nil).wantError(t, http.StatusUnauthorized, "unauthorized", "")
		})
	})
}

func TestLoginRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	lim := ratelimit.New(3, time.Minute)
	lim.Now = func() time.Time { return now }
	e := newEnv(t, storetest.Open(t, "sqlite"), Options{Limiter: lim})
	login := func(user, pw string) response {
		return e.send("", "POST", "/api/v1/session", map[string]string{"username": user, "password": pw})
	}
	for i := range 3 {
		if res := login(storetest.UnionA, "sai-mat-khau"); res.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, res.status)
		}
	}
	// The fourth attempt is refused before the password is checked, even
	// the right one.
	res := login(storetest.UnionA, storetest.Password)
	res.wantError(t, http.StatusTooManyRequests, "too_many_requests", "")
	if ra := res.header.Get("Retry-After"); ra != "60" {
		t.Errorf("Retry-After %q, want 60", ra)
	}
	// The username is part of the key: a colleague at the same address
	// can still log in.
	login(storetest.UnionC, storetest.Password).want(t, http.StatusOK)
	// After the window the user may try again.
	now = now.Add(time.Minute)
	login(storetest.UnionA, storetest.Password).want(t, http.StatusOK)
}
