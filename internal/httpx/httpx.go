// Package httpx holds what the web UI and the JSON API share about HTTP:
// the one map from domain error codes to status codes, security headers,
// the client address for rate limiting, and request logging.
package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"congdoan"
)

// statusByCode is the single place domain error codes become HTTP statuses.
var statusByCode = map[string]int{
	congdoan.EINVALID:      http.StatusUnprocessableEntity,
	congdoan.ENOTFOUND:     http.StatusNotFound,
	congdoan.ECONFLICT:     http.StatusConflict,
	congdoan.EFORBIDDEN:    http.StatusForbidden,
	congdoan.EUNAUTHORIZED: http.StatusUnauthorized,
	congdoan.EINTERNAL:     http.StatusInternalServerError,
}

// StatusClientClosed is nginx's 499: the client hung up before the answer.
// It is never seen by the client; the log tells it from a server error.
const StatusClientClosed = 499

// Status returns the HTTP status for err.
func Status(err error) int {
	if errors.Is(err, context.Canceled) {
		return StatusClientClosed
	}
	if s, ok := statusByCode[congdoan.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// LogError logs err when it is ours (internal); user errors are not
// logged, nor a request whose client hung up (its reads were cancelled).
func LogError(log *slog.Logger, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) || r.Context().Err() != nil {
		log.Debug("client closed request", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	if congdoan.ErrorCode(err) == congdoan.EINTERNAL {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// ClientIP returns the remote address without port. congdoan does not sit
// behind a proxy it trusts by default, so X-Forwarded-For is ignored.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// SecurityHeaders sets headers every response should carry: no framing, no
// MIME sniffing, a strict content security policy (scripts only from our
// own origin), no referrer leaking member ids.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	w.status = s
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// SlowRequest is the duration from which a request is logged at info
// level; faster ones are logged at debug (a busy server answers millions).
const SlowRequest = 500 * time.Millisecond

// Logging logs each request with its status and duration — at debug level,
// at info when it took SlowRequest or more, at error for a server error —
// and turns a panic into a 500 so one bad request cannot take the server
// down. A request whose client hung up is logged as 499, not as an error.
func Logging(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(sw, "Lỗi hệ thống.", http.StatusInternalServerError)
			}
			took := time.Since(start)
			status := sw.status
			if r.Context().Err() != nil && status != http.StatusOK {
				status = StatusClientClosed
			}
			level, msg := slog.LevelDebug, "request"
			switch {
			case status == StatusClientClosed:
				msg = "client closed request"
			case status >= 500:
				level = slog.LevelError
			case took >= SlowRequest:
				level, msg = slog.LevelInfo, "slow request"
			}
			log.Log(r.Context(), level, msg, "method", r.Method, "path", r.URL.Path, "status", status, "ms", took.Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}
