package web

import (
	"cmp"
	"congdoan/i18n"
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/internal/httpx"
)

// Cookie names. The session cookie holds a random token whose hash is
// stored server-side; the flash cookie holds only a catalog key, never a
// name or other personal data.
const (
	sessionCookie = "congdoan_session"
	flashCookie   = "congdoan_flash"
	langCookie    = "lang"
)

// sessionTTL is a working day with margin: officers log in once a day.
const sessionTTL = 12 * time.Hour

// requireUser puts the session's user into the request context, or sends
// the browser to the login page with a way back.
func (h *Handler) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			h.toLogin(w, r)
			return
		}
		u, err := h.svc.Users.FindSession(r.Context(), c.Value)
		if err != nil {
			if congdoan.ErrorCode(err) == congdoan.EUNAUTHORIZED {
				h.setCookie(w, sessionCookie, "", -1)
				h.toLogin(w, r)
				return
			}
			h.fail(w, r, err)
			return
		}
		if u.MustChangePassword {
			// Someone else chose the password: nothing but the account
			// page until its owner has changed it.
			if to, ok := mustChangeTo(r); ok {
				h.redirect(w, r, to, "") // the page says why
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(congdoan.NewContextWithUser(r.Context(), u)))
	})
}

// toLogin redirects to the login page, remembering where the user was
// going. For a POST the page to return to is the one the form was on (the
// Referer, same-origin by our Referrer-Policy), since the POST itself
// cannot be replayed by a redirect.
func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	next := ""
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		next = r.URL.RequestURI()
	} else if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		next = ref.RequestURI()
	}
	to := "/login"
	if next = localPath(next); next != "" && next != "/" {
		to += "?next=" + url.QueryEscape(next)
	}
	if r.Header.Get("HX-Request") == "true" {
		// htmx would swap the login page into the results table; make it
		// navigate instead.
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// setCookie writes a cookie with the attributes every cookie here shares:
// HttpOnly (no script needs them), SameSite=Lax, whole site.
func (h *Handler) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// setFlash leaves a one-time message (a catalog key) for the next page.
func (h *Handler) setFlash(w http.ResponseWriter, key string) { h.setCookie(w, flashCookie, key, 60) }

// takeFlash returns the translated flash message and clears it. Unknown
// keys are ignored, so a forged cookie cannot put text on the page.
func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request, lang string) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	h.setCookie(w, flashCookie, "", -1)
	if !strings.HasPrefix(c.Value, "flash.") || !hasKey(c.Value) {
		return ""
	}
	return tr(lang, c.Value)
}

// loginView is the login page.
type loginView struct {
	Page
	Username string
	Next     string
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if _, err := h.svc.Users.FindSession(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, cmp.Or(next, "/"), http.StatusSeeOther)
			return
		}
	}
	v := &loginView{Page: h.page(w, r, "login.title", ""), Next: next}
	h.render(w, r, http.StatusOK, "login.html", v)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	v := &loginView{Page: h.page(w, r, "login.title", "")}
	if err := parseForm(w, r); err != nil {
		v.Error = congdoan.ErrorMessage(err)
		h.render(w, r, http.StatusBadRequest, "login.html", v)
		return
	}
	v.Username, v.Next = formValue(r, "username"), localPath(formValue(r, "next"))
	password := r.PostFormValue("password")
	// Per address and name: one office behind one NAT address can still
	// log in while someone hammers one account.
	key := httpx.ClientIP(r) + "\x00" + strings.ToLower(v.Username)
	if h.opts.Limiter != nil {
		if ok, wait := h.opts.Limiter.Allow(key); !ok {
			mins := int(math.Ceil(wait.Minutes()))
			if mins < 1 {
				mins = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			v.Error = i18n.Nf(v.Lang, "login.limited", mins, mins)
			h.render(w, r, http.StatusTooManyRequests, "login.html", v)
			return
		}
	}
	u, err := h.svc.Users.Authenticate(r.Context(), v.Username, password)
	if err != nil {
		if congdoan.ErrorCode(err) != congdoan.EUNAUTHORIZED {
			httpx.LogError(h.log, r, err)
		}
		v.Error = congdoan.ErrorMessage(err)
		h.render(w, r, httpx.Status(err), "login.html", v)
		return
	}
	if h.opts.Limiter != nil {
		h.opts.Limiter.Reset(key)
	}
	ctx := congdoan.NewContextWithUser(r.Context(), u)
	token, err := h.svc.Users.CreateSession(ctx, u.ID, "web", sessionTTL, r.UserAgent())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setCookie(w, sessionCookie, token, int(sessionTTL.Seconds()))
	if u.MustChangePassword {
		h.redirect(w, r, "/account", "")
		return
	}
	http.Redirect(w, r, cmp.Or(v.Next, "/"), http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := h.svc.Users.DeleteSession(context.WithoutCancel(r.Context()), c.Value); err != nil {
			httpx.LogError(h.log, r, err)
		}
	}
	h.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLang remembers the interface language for a year and goes back.
func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !i18n.Supported(code) {
		h.notFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, cmp.Or(localPath(r.URL.Query().Get("next")), "/"), http.StatusSeeOther)
}

// langOf returns the request's interface language: the cookie's when it is
// one we have, else Vietnamese.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		if i18n.Supported(c.Value) {
			return c.Value
		}
	}
	return "vi"
}

// home sends the user to the unit at the top of their scope.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	tops, err := h.svc.Units.TopUnits(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(tops) == 0 {
		http.Redirect(w, r, "/units", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/units/"+url.PathEscape(tops[0].Code), http.StatusSeeOther)
}
