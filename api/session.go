package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/internal/httpx"
)

// sessionTTL is how long an API token lives: one working day, so a token
// copied into a script does not stay valid for weeks.
const sessionTTL = 12 * time.Hour

// loginRequest is the body of POST /api/v1/session.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// loginResponse is the answer to a successful login.
type loginResponse struct {
	Token     string         `json:"token"`
	ExpiresAt time.Time      `json:"expires_at"`
	User      *congdoan.User `json:"user"`
}

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	v := congdoan.Validation{}
	if strings.TrimSpace(in.Username) == "" {
		v.Add("username", "Cần nhập tên đăng nhập.")
	}
	if in.Password == "" {
		v.Add("password", "Cần nhập mật khẩu.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	// The key pairs address and username: one office behind a shared
	// address is not locked out by a colleague's typos, and one account is
	// not guessed from many tries at one address.
	key := httpx.ClientIP(r) + "\x00" + strings.ToLower(strings.TrimSpace(in.Username))
	if ok, wait := h.limiter.Allow(key); !ok {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return &statusError{status: http.StatusTooManyRequests, err: congdoan.Errorf(codeTooManyRequests,
			"Đăng nhập sai quá nhiều lần; vui lòng thử lại sau %d giây.", secs)}
	}
	u, err := h.svc.Users.Authenticate(r.Context(), in.Username, in.Password)
	if err != nil {
		return err
	}
	h.limiter.Reset(key)
	ctx := congdoan.NewContextWithUser(r.Context(), u)
	token, err := h.svc.Users.CreateSession(ctx, u.ID, "api", sessionTTL, r.UserAgent())
	if err != nil {
		return err
	}
	// CreateSession does not return the expiry it stored; this clock and
	// the store's agree in production (both are the system clock).
	writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: time.Now().Add(sessionTTL).UTC().Truncate(time.Second), User: u})
	return nil
}

func (h *Handler) deleteSession(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Users.DeleteSession(r.Context(), bearerToken(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, congdoan.UserFromContext(r.Context()))
	return nil
}
