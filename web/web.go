// Package web is congdoan's HTML interface for officers: the union tree,
// unit pages, members, employers and the audit log, in Vietnamese (with
// English as a second language for the chrome).
//
// Pages are server-rendered with html/template and work without JavaScript;
// htmx only enhances them (live search). Everything a page shows comes from
// the congdoan services with the logged-in user in the context, so the
// store's scoping decides what exists for this user; the handlers add no
// scope rules of their own and never reveal whether a record exists outside
// the user's subtree.
package web

import (
	"bytes"
	"cmp"
	"congdoan/i18n"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/geo"
	"congdoan/internal/httpx"
	"congdoan/internal/ratelimit"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configures the handler.
type Options struct {
	// Atlas turns GSO commune codes into addresses; nil shows the bare code.
	Atlas *geo.Atlas
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Limiter throttles login attempts per client address and username;
	// nil disables throttling (tests, trusted deployments).
	Limiter *ratelimit.Limiter
	// SecureCookies marks cookies Secure; set it whenever the site is served
	// over HTTPS, which is every deployment but a laptop.
	SecureCookies bool
	// Now returns the current time for form defaults ("today"); nil means
	// time.Now. Tests pin it to the store's clock.
	Now func() time.Time
}

// Handler serves the HTML interface. Build it with New.
type Handler struct {
	svc   congdoan.Services
	opts  Options
	log   *slog.Logger
	pages map[string]map[string]*template.Template // language → page file → template set
	asset string                                   // version of the static files
}

// New parses every template at start-up, so a broken template stops the
// server from starting instead of failing on the first visitor.
func New(svc congdoan.Services, opts Options) (*Handler, error) {
	if err := i18n.Check(); err != nil {
		return nil, fmt.Errorf("translations: %w", err)
	}
	h := &Handler{svc: svc, opts: opts, log: opts.Logger, asset: assetVersion()}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.opts.Now == nil {
		h.opts.Now = time.Now
	}
	pages, err := parseTemplates(h.funcs())
	if err != nil {
		return nil, err
	}
	h.pages = pages
	return h, nil
}

// route is one entry of the UI surface. The single table keeps Routes and
// the scope test in step: a route added here is walked by the test.
type route struct {
	pattern string
	handle  func(h *Handler, w http.ResponseWriter, r *http.Request)
	public  bool // served without a login
}

// routes is the whole UI surface except the static files.
var routes = []route{
	{"GET /login", (*Handler).loginForm, true},
	{"POST /login", (*Handler).login, true},
	{"POST /logout", (*Handler).logout, true},
	{"GET /lang/{code}", (*Handler).setLang, true},

	{"GET /{$}", (*Handler).home, false},
	{"GET /pick/units", (*Handler).pickUnits, false},
	{"GET /pick/communes", (*Handler).pickCommunes, false},
	{"GET /pick/employers", (*Handler).pickEmployers, false},
	{"GET /units", (*Handler).unitTree, false},
	{"GET /units/{code}", (*Handler).unitPage, false},
	{"GET /units/{code}/children", (*Handler).unitChildren, false},
	{"GET /units/{code}/new", (*Handler).unitNewForm, false},
	{"POST /units/{code}/new", (*Handler).unitCreate, false},
	{"POST /units/{code}/move", (*Handler).unitMove, false},
	{"POST /units/{code}/merge", (*Handler).unitMerge, false},
	{"POST /units/{code}/dissolve", (*Handler).unitDissolve, false},

	{"GET /members", (*Handler).memberList, false},
	{"GET /members/new", (*Handler).memberNewForm, false},
	{"POST /members", (*Handler).memberCreate, false},
	{"GET /members/{id}", (*Handler).memberPage, false},
	{"POST /members/{id}/reveal", (*Handler).memberReveal, false},
	{"GET /members/{id}/edit", (*Handler).memberEditForm, false},
	{"POST /members/{id}/edit/reveal", (*Handler).memberEditReveal, false},
	{"POST /members/{id}/edit", (*Handler).memberUpdate, false},
	{"GET /members/{id}/transfer", (*Handler).memberTransferForm, false},
	{"POST /members/{id}/transfer", (*Handler).memberTransfer, false},
	{"GET /members/{id}/leave", (*Handler).memberLeaveForm, false},
	{"POST /members/{id}/leave", (*Handler).memberLeave, false},

	{"GET /employers", (*Handler).employerList, false},
	{"GET /employers/new", (*Handler).employerNewForm, false},
	{"POST /employers", (*Handler).employerCreate, false},
	{"GET /employers/{id}", (*Handler).employerPage, false},
	{"GET /employers/{id}/edit", (*Handler).employerEditForm, false},
	{"POST /employers/{id}/edit", (*Handler).employerUpdate, false},

	{"GET /agreements", (*Handler).agreementList, false},
	{"GET /agreements/new", (*Handler).agreementNewForm, false},
	{"POST /agreements", (*Handler).agreementCreate, false},
	{"GET /agreements/{id}", (*Handler).agreementPage, false},
	{"GET /agreements/{id}/edit", (*Handler).agreementEditForm, false},
	{"POST /agreements/{id}/edit", (*Handler).agreementUpdate, false},

	{"GET /audit", (*Handler).auditLog, false},
	{"GET /notifications", (*Handler).notifications, false},
	{"POST /audit/verify", (*Handler).auditVerify, false},

	{"GET /dashboard", (*Handler).dashboard, false},
	{"GET /dashboard/records", (*Handler).dashboardRecords, false},

	{"GET /imports/new", (*Handler).importNew, false},
	{"POST /imports", (*Handler).importPost, false},
	{"GET /imports/{id}", (*Handler).importPage, false},
	{"GET /reports", (*Handler).reportList, false},
	{"POST /reports", (*Handler).reportCreate, false},
	{"GET /reports/{id}", (*Handler).reportPage, false},
	{"POST /reports/{id}/submit", (*Handler).reportSubmit, false},
	{"POST /reports/{id}/approve", (*Handler).reportApprove, false},
	{"POST /reports/{id}/withdraw", (*Handler).reportWithdraw, false},
	{"POST /reports/{id}/return", (*Handler).reportReturn, false},
	{"POST /reports/{id}/reopen", (*Handler).reportReopen, false},
	{"POST /reports/{id}/delete", (*Handler).reportDelete, false},
	{"POST /reports/{id}/verify", (*Handler).reportVerify, false},
	{"GET /reports/{id}/download", (*Handler).reportDownload, false},

	{"GET /targets", (*Handler).targetList, false},
	{"POST /targets/{id}/allocate", (*Handler).targetAllocate, false},

	{"GET /users", (*Handler).userList, false},
	{"GET /users/new", (*Handler).userNewForm, false},
	{"POST /users", (*Handler).userCreate, false},
	{"GET /users/{id}", (*Handler).userPage, false},
	{"POST /users/{id}/edit", (*Handler).userUpdate, false},
	{"POST /users/{id}/disable", (*Handler).userDisable, false},
	{"POST /users/{id}/enable", (*Handler).userEnable, false},
	{"POST /users/{id}/password", (*Handler).userResetPassword, false},
	{"GET /account", (*Handler).accountPage, false},
	{"POST /account/password", (*Handler).accountPassword, false},
	{"POST /account/sessions/end-others", (*Handler).accountEndOthers, false},
}

// Routes registers the UI routes on mux. /api/ and /healthz belong to
// other packages and are not touched.
func (h *Handler) Routes(mux *http.ServeMux) {
	for _, rt := range routes {
		fn := rt.handle
		var hf http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fn(h, w, r) })
		if !rt.public {
			hf = h.requireUser(hf)
		}
		mux.Handle(rt.pattern, hf)
	}
	mux.Handle("GET /static/", staticHandler())
}

// staticHandler serves the embedded assets. They change only with a new
// binary, and the layout links them with a version query, so browsers may
// keep them for a year.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

// ---- rendering --------------------------------------------------------------

// Page is what the layout needs on every page. Page views embed it.
type Page struct {
	Lang   string
	Title  string // already translated
	Nav    string // which nav item is current
	User   *congdoan.User
	Flash  string // translated one-time message after a redirect
	Path   string // the current URL path and query, for the language links
	Asset  string // cache-busting version for static URLs
	Errors map[string]string
	Error  string // a form-level message (Vietnamese, from the services)
	// Doubts are what the officer is asked to confirm before a form is
	// saved (congdoan.Doubt), translated.
	Doubts []string
	Bell   int // how many things await the user (the header's bell)

	linkable func(code string) bool
}

func (p *Page) base() *Page { return p }

// Linked reports whether a unit may be linked: only units the user can
// open get a link, the others are shown as plain names.
func (p *Page) Linked(code string) bool { return p.linkable != nil && p.linkable(code) }

type pager interface{ base() *Page }

// assetVersion is a hash of the static files, part of their URLs, so the
// year-long cache lifetime never serves stale CSS after an upgrade.
func assetVersion() string {
	var sum uint32 = 2166136261 // FNV-1a
	_ = fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		for _, c := range b {
			sum = (sum ^ uint32(c)) * 16777619
		}
		return err
	})
	return strconv.FormatUint(uint64(sum), 36)
}

// page returns the common part of a view for r.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, titleKey, nav string) Page {
	lang := langOf(r)
	// The language links come back to this page; after a POST that is the
	// page the form was on, since the POST's own URL has no GET.
	path := r.URL.RequestURI()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		path = "/"
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
			path = cmp.Or(localPath(ref.RequestURI()), "/")
		}
	}
	return Page{
		Lang:  lang,
		Title: tr(lang, titleKey),
		Nav:   nav,
		User:  congdoan.UserFromContext(r.Context()),
		Flash: h.takeFlash(w, r, lang),
		Path:  path,
		Asset: h.asset,
		Bell:  h.bellCount(r),
	}
}

// render executes the page file's template set into a buffer first, so a
// template error becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, file string, v pager) {
	h.renderTemplate(w, r, status, file, "layout", v)
}

func (h *Handler) renderTemplate(w http.ResponseWriter, r *http.Request, status int, file, name string, v pager) {
	p := v.base()
	t := h.pages[p.Lang][file]
	if t == nil {
		h.log.Error("web: no template", "file", file)
		http.Error(w, "Lỗi hệ thống.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		h.log.Error("web: template", "file", file, "err", err, "path", r.URL.Path)
		http.Error(w, "Lỗi hệ thống.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	// Pages carry personal data: no shared or on-disk caches. The member
	// list answers htmx with a fragment, so caches must key on the header.
	hd.Set("Cache-Control", "no-store")
	hd.Add("Vary", "HX-Request")
	hd.Add("Vary", "Cookie")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorView is the error page.
type errorView struct {
	Page
	Status  int
	Message string
}

// fail shows err as the error page with the status its code maps to. The
// message is the service's, which for ENOTFOUND reads the same whether the
// record is missing or outside the user's scope.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if congdoan.ErrorCode(err) == congdoan.EUNAUTHORIZED {
		h.toLogin(w, r)
		return
	}
	httpx.LogError(h.log, r, err)
	h.failStatus(w, r, httpx.Status(err), congdoan.ErrorMessage(err))
}

// failStatus shows the error page with a given status and message.
func (h *Handler) failStatus(w http.ResponseWriter, r *http.Request, status int, msg string) {
	key := "err.title.500"
	switch status {
	case http.StatusNotFound:
		key = "err.title.404"
	case http.StatusForbidden:
		key = "err.title.403"
	case http.StatusUnprocessableEntity, http.StatusBadRequest, http.StatusConflict:
		key = "err.title.400"
	}
	v := &errorView{Page: h.page(w, r, key, ""), Status: status, Message: msg}
	if msg == "" {
		v.Message = tr(v.Lang, key+".text")
	}
	h.render(w, r, status, "error.html", v)
}

// notFound is the 404 for malformed ids in paths: the same page as an id
// outside the user's scope.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.failStatus(w, r, http.StatusNotFound, "")
}

// formError splits a service error for a form: field messages go next to
// the fields, the message on top. It reports false for errors a form cannot
// show (not found, internal), which become the error page instead.
func formError(err error) (msg string, fields map[string]string, ok bool) {
	var e *congdoan.Error
	if !errors.As(err, &e) {
		return "", nil, false
	}
	switch e.Code {
	case congdoan.EINVALID, congdoan.ECONFLICT:
		return e.Message, e.Fields, true
	case congdoan.EFORBIDDEN:
		// A refusal about a field (a target unit outside the scope) belongs
		// on the form; a refusal of the whole action is the 403 page.
		if len(e.Fields) > 0 {
			return e.Message, e.Fields, true
		}
	}
	return "", nil, false
}

// redirect answers a successful POST: 303 so a reload does not resubmit,
// with a one-time message for the next page.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		h.setFlash(w, flashKey)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ---- small helpers -------------------------------------------------------

// today is the current date in Vietnam.
func (h *Handler) today() congdoan.Date {
	return congdoan.DateOf(h.opts.Now().In(congdoan.VietnamTime))
}

// address returns the printed address of a GSO code today, or the code
// itself when the atlas is missing or does not know it.
func (h *Handler) address(code string) string {
	return h.addressOn(code, h.today())
}

// addressOn returns the printed address of a GSO code on date on, in the
// list of units in force that day: an old Bắc Kạn commune is "…, Tỉnh Bắc
// Kạn" before 1/7/2025 and its new commune of Tỉnh Thái Nguyên from then
// on (geo.Atlas.PlaceOn). A zero date is today.
func (h *Handler) addressOn(code string, on congdoan.Date) string {
	if code == "" {
		return ""
	}
	if on.IsZero() {
		on = h.today()
	}
	if h.opts.Atlas != nil {
		if a := h.opts.Atlas.AddressOn(code, on.Time()); a != "" {
			return a
		}
	}
	return code
}

// splitInto lists the new communes, with their codes, that a former
// commune split between on 1/7/2025 went into ("Phường Ba Đình (00004),
// Phường Ngọc Hà (00008)"), from that day on, so a form can ask the
// officer which one is meant; "" for any other code or date.
func (h *Handler) splitInto(code string) string {
	if h.opts.Atlas == nil || code == "" {
		return ""
	}
	if _, split := h.opts.Atlas.PlaceOn(code, h.today().Time()); !split {
		return ""
	}
	var parts []string
	for _, u := range h.opts.Atlas.Successors(code) {
		parts = append(parts, u.FullName()+" ("+u.Code+")")
	}
	return strings.Join(parts, ", ")
}

// pathID parses a numeric path value; malformed ids are simply not found.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// localPath returns s when it is a path on this site, else "". It guards
// the ?next= of the login page against open redirects ("//evil", "/\evil",
// "https://evil").
func localPath(s string) string {
	if s == "" || s[0] != '/' || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if strings.ContainsAny(s, "\r\n\t") {
		return ""
	}
	return s
}

// userOf returns the logged-in user of a request that went through requireUser.
func userOf(ctx context.Context) *congdoan.User { return congdoan.UserFromContext(ctx) }

// canAudit reports whether u may read the audit log (the store enforces
// it too; this only decides whether to show the link).
func canAudit(u *congdoan.User) bool {
	return u != nil && (u.Role == congdoan.RoleAdmin || u.Role == congdoan.RoleProvinceOfficer)
}

// isUpper reports whether u may restructure units (move, merge, dissolve):
// officers above the grassroots.
func isUpper(u *congdoan.User) bool {
	return u.CanManageUnits() && u.Role != congdoan.RoleGrassrootsOfficer
}

// paging describes one page of a list for the "Hiển thị 1–50 trong N" line.
type paging struct {
	Noun            string // catalog key of what is counted
	From, To, Total int
	More            bool // there are more than Total: counting stopped there
	PrevURL         string
	NextURL         string
}

// newPaging computes the page links for a list at offset with total rows,
// keeping the other query parameters of base.
func newPaging(noun string, base url.Values, path string, offset, limit, shown, total int) paging {
	p := paging{Noun: noun, Total: total}
	if shown > 0 {
		p.From, p.To = offset+1, offset+shown
	}
	link := func(off int) string {
		q := url.Values{}
		for k, v := range base {
			// A cursor (after) places only the page it came with.
			if k != "offset" && k != "after" && len(v) > 0 && v[0] != "" {
				q[k] = v[:1]
			}
		}
		if off > 0 {
			q.Set("offset", strconv.Itoa(off))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if offset > 0 {
		p.PrevURL = link(max(offset-limit, 0))
	}
	if offset+shown < total {
		p.NextURL = link(offset + limit)
	}
	return p
}

// offsetParam reads ?offset=, clamped to a sane non-negative value.
func offsetParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("offset"))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, 10_000_000)
}

// scopeListBound is the largest scope whose units are listed for links.
// Larger scopes are provinces, where nearly every unit is the user's anyway.
const scopeListBound = 500

// scopeUnits returns every unit in the user's scope, dissolved ones
// included, or ok=false when the scope is larger than scopeListBound. A
// first one-row query learns the size, so a province does not load 500
// units with their counts on every page.
func (h *Handler) scopeUnits(ctx context.Context) (us []*congdoan.Unit, ok bool) {
	if u := userOf(ctx); u == nil || u.UnitID == 0 {
		return nil, false // no user, or an administrator over everything
	}
	_, total, err := h.svc.Units.FindUnits(ctx, congdoan.UnitFilter{Dissolved: true, Limit: 1})
	if err != nil || total > scopeListBound {
		return nil, false
	}
	us, _, err = h.svc.Units.FindUnits(ctx, congdoan.UnitFilter{Dissolved: true, Limit: scopeListBound})
	return us, err == nil
}

// unitCodes builds a lookup of the unit codes the user can open, so that
// pages link only to units inside the scope (a link to a unit outside it
// would lead to a 404). Past the bound everything is linked.
func (h *Handler) unitCodes(ctx context.Context) func(code string) bool {
	us, ok := h.scopeUnits(ctx)
	if !ok {
		return func(code string) bool { return code != "" }
	}
	set := make(map[string]bool, len(us))
	for _, x := range us {
		set[x.Code] = true
	}
	return func(code string) bool { return set[code] }
}

// formValue returns a trimmed form value.
func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// parseForm parses a POST body with a size bound: forms here are small,
// and an unbounded body is a cheap way to tie up the server.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return congdoan.Errorf(congdoan.EINVALID, "Biểu mẫu gửi lên không đọc được: %v", err)
	}
	return nil
}

// unconfirmed reports whether ds holds doubts the officer has not yet
// confirmed (the form's "confirm" box): it then puts them on the page, to
// be shown with the box, and the handler re-renders the form unsaved.
func (h *Handler) unconfirmed(r *http.Request, p *Page, ds []congdoan.Doubt) bool {
	if len(ds) == 0 || r.PostFormValue("confirm") == "1" {
		return false
	}
	for _, d := range ds {
		p.Doubts = append(p.Doubts, fmt.Sprintf(tr(p.Lang, d.Key), d.Args...))
		if p.Errors == nil {
			p.Errors = map[string]string{}
		}
		if p.Errors[d.Field] == "" {
			p.Errors[d.Field] = p.Doubts[len(p.Doubts)-1]
		}
	}
	return true
}
