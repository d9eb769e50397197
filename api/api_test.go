package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"congdoan"
	"congdoan/indicator"
	"congdoan/internal/httpx"
	"congdoan/internal/ratelimit"
	"congdoan/store"
	"congdoan/store/storetest"
)

// testEnv is the API served over a seeded fixture database, wrapped in the
// middleware the real server uses.
type testEnv struct {
	t      *testing.T
	db     *store.DB
	svc    congdoan.Services
	f      *storetest.Fixture
	srv    *httptest.Server
	tokens map[string]string
}

// newEnv seeds db and serves the API over it. A zero opts.Limiter gets a
// generous one, so that tests logging in often are not throttled.
func newEnv(t *testing.T, db *store.DB, opts Options) *testEnv {
	t.Helper()
	return serveEnv(t, db, storetest.Seed(t, db), opts)
}

// serveEnv serves the API over db as it is; f may be nil for a database
// that is not the fixture (the demo).
func serveEnv(t *testing.T, db *store.DB, f *storetest.Fixture, opts Options) *testEnv {
	t.Helper()
	if opts.Limiter == nil {
		opts.Limiter = ratelimit.New(1000, time.Minute)
	}
	if opts.Now == nil {
		opts.Now = db.Now // the store's pinned clock
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testLog{t}, nil))
	}
	svc, _ := indicator.Services(db)
	mux := http.NewServeMux()
	New(svc, opts).Routes(mux)
	srv := httptest.NewServer(httpx.SecurityHeaders(http.NewCrossOriginProtection().Handler(mux)))
	t.Cleanup(srv.Close)
	return &testEnv{t: t, db: db, svc: svc, f: f, srv: srv, tokens: map[string]string{}}
}

// testLog sends the handler's log to the test's, so an internal error shows
// up next to the failure it caused.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

// rawBody is a request body sent as is, for malformed JSON.
type rawBody string

// send makes a request with token (none when "") and body: nil for none, a
// rawBody as is, anything else encoded as JSON.
func (e *testEnv) send(token, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd = strings.NewReader(string(b))
	case multipartBody:
		var buf bytes.Buffer
		contentType = b.write(e.t, &buf)
		rd = &buf
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: b}
	checkContract(e.t, method, path, out)
	return out
}

// as sends a request as a fixture user, logging in once per user.
func (e *testEnv) as(username, method, path string, body any) response {
	e.t.Helper()
	return e.send(e.token(username), method, path, body)
}

// token returns a token of username, logging in once per test environment.
func (e *testEnv) token(username string) string {
	e.t.Helper()
	if tok, ok := e.tokens[username]; ok {
		return tok
	}
	e.tokens[username] = e.login(username)
	return e.tokens[username]
}

// login logs username in through the API and returns a new token.
func (e *testEnv) login(username string) string {
	e.t.Helper()
	res := e.send("", "POST", "/api/v1/session", map[string]string{"username": username, "password": storetest.Password})
	res.want(e.t, http.StatusOK)
	var s struct{ Token string }
	res.decode(e.t, &s)
	if s.Token == "" {
		e.t.Fatalf("login %s: no token in %s", username, res.body)
	}
	return s.Token
}

// want fails the test unless the status is status; every answer with a
// body must be JSON in UTF-8.
func (r response) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	r.wantJSON(t)
}

// wantJSON checks the content type of an answer with a body.
func (r response) wantJSON(t *testing.T) {
	t.Helper()
	if len(r.body) == 0 {
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q, want application/json; charset=utf-8", ct)
	}
	if !json.Valid(r.body) {
		t.Errorf("body is not JSON: %s", r.body)
	}
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// apiError decodes an error answer and checks its shape.
func (r response) apiError(t *testing.T) errorBody {
	t.Helper()
	var e errorBody
	r.decode(t, &e)
	if e.Code == "" || e.Message == "" {
		t.Errorf("error without code or message: %s", r.body)
	}
	return e
}

// wantError checks status, code and, when field is set, that fields names it.
func (r response) wantError(t *testing.T, status int, code, field string) errorBody {
	t.Helper()
	r.want(t, status)
	e := r.apiError(t)
	if e.Code != code {
		t.Errorf("code %q, want %q; body %s", e.Code, code, r.body)
	}
	if field != "" && e.Fields[field] == "" {
		t.Errorf("fields has no %q; body %s", field, r.body)
	}
	return e
}

// memberCount is the number of persons, active or not, as the admin sees
// them: what a rejected write must leave unchanged.
func (e *testEnv) memberCount() int {
	e.t.Helper()
	_, n, err := e.db.FindMembers(e.f.Ctx(storetest.Admin), congdoan.MemberFilter{Status: "all"})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// member reads a member as the admin, directly from the store.
func (e *testEnv) member(name string) *congdoan.Member {
	e.t.Helper()
	m, err := e.db.FindMemberByID(e.f.Ctx(storetest.Admin), e.f.MemberIDs[name])
	if err != nil {
		e.t.Fatalf("member %s: %v", name, err)
	}
	return m
}

// auditCount is the number of audit events: a rejected write adds none.
func (e *testEnv) auditCount() int {
	e.t.Helper()
	_, n, err := e.db.FindAuditEvents(e.f.Ctx(storetest.Admin), congdoan.AuditFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// revealed reads a member unmasked as the admin, directly from the store.
func (e *testEnv) revealed(name string) *congdoan.Member {
	e.t.Helper()
	m, err := e.db.RevealMember(e.f.Ctx(storetest.Admin), e.f.MemberIDs[name], "xác minh hồ sơ")
	if err != nil {
		e.t.Fatalf("reveal %s: %v", name, err)
	}
	return m
}

// codeFor is the error code the API answers with status.
func codeFor(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return congdoan.EUNAUTHORIZED
	case http.StatusForbidden:
		return congdoan.EFORBIDDEN
	case http.StatusNotFound:
		return congdoan.ENOTFOUND
	case http.StatusConflict:
		return congdoan.ECONFLICT
	case http.StatusTooManyRequests:
		return codeTooManyRequests
	case http.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return codeTooLarge
	case http.StatusInternalServerError:
		return congdoan.EINTERNAL
	}
	return congdoan.EINVALID
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
