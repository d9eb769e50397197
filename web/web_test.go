package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"congdoan"
	"congdoan/geo"
	"congdoan/indicator"
	"congdoan/internal/httpx"
	"congdoan/internal/ratelimit"
	"congdoan/store"
	"congdoan/store/storetest"
)

// testApp is the UI over a seeded fixture province, served the way the
// binary serves it: security headers and cross-origin protection around
// the mux.
type testApp struct {
	srv     *httptest.Server
	db      *store.DB
	svc     congdoan.Services
	f       *storetest.Fixture
	limiter *ratelimit.Limiter
}

// loginLimit is the number of login attempts the test server allows per
// address and name.
const loginLimit = 5

func mustApp(t *testing.T) *testApp {
	t.Helper()
	db := storetest.Open(t, "sqlite")
	f := storetest.Seed(t, db)
	atlas, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	lim := ratelimit.New(loginLimit, 15*time.Minute)
	svc, _ := indicator.Services(db)
	h, err := New(svc, Options{Atlas: atlas, Limiter: lim, Now: func() time.Time { return storetest.Now }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(httpx.SecurityHeaders(http.NewCrossOriginProtection().Handler(mux)))
	t.Cleanup(srv.Close)
	return &testApp{srv: srv, db: db, svc: svc, f: f, limiter: lim}
}

// client is a browser stand-in: a cookie jar and no automatic redirects,
// so tests see each 303.
type client struct {
	t    *testing.T
	app  *testApp
	http *http.Client
}

func (a *testApp) anon(t *testing.T) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, app: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// login returns a client logged in as a fixture user.
func (a *testApp) login(t *testing.T, username string) *client {
	t.Helper()
	c := a.anon(t)
	res := c.post("/login", url.Values{"username": {username}, "password": {storetest.Password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d, body:\n%s", username, res.status, res.body)
	}
	return c
}

type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

func (c *client) get(path string, header ...string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// follow GETs the location of a redirect.
func (c *client) follow(r response) response {
	c.t.Helper()
	if r.status/100 != 3 || r.location == "" {
		c.t.Fatalf("not a redirect: %d\n%s", r.status, r.body)
	}
	return c.get(r.location)
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; location %q; body:\n%s", r.status, want, r.location, r.body)
	}
}

func wantContains(t *testing.T, r response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			t.Errorf("body lacks %q; body:\n%s", s, r.body)
		}
	}
}

func wantNotContains(t *testing.T, r response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.body, s) {
			t.Errorf("body contains %q", s)
		}
	}
}

// ctxAs is a service context acting as a fixture user, for checking what
// the UI wrote.
func (a *testApp) ctxAs(username string) context.Context { return a.f.Ctx(username) }

// member returns a member as the administrator sees it.
func (a *testApp) member(t *testing.T, name string) *congdoan.Member {
	t.Helper()
	m, err := a.db.FindMemberByID(a.ctxAs(storetest.Admin), a.f.MemberIDs[name])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func memberPath(id int64, suffix string) string {
	return "/members/" + strconv.FormatInt(id, 10) + suffix
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
