package httpx

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"congdoan"
)

// TestLoggingLevels: a quick request is logged at debug, a slow one at
// info, a server error at error; a request whose client hung up is 499 and
// no error, and LogError stays quiet about it.
func TestLoggingLevels(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := Logging(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			time.Sleep(SlowRequest + 10*time.Millisecond)
		case "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		case "/gone":
			err := fmt.Errorf("store.FindMembers: %w", r.Context().Err())
			LogError(log, r, err)
			w.WriteHeader(Status(err))
		}
	}))
	for path, want := range map[string]string{
		"/quick":  "level=DEBUG msg=request",
		"/slow":   `level=INFO msg="slow request"`,
		"/broken": "level=ERROR msg=request",
		"/gone":   `level=DEBUG msg="client closed request" method=GET path=/gone status=499`,
	} {
		buf.Reset()
		req := httptest.NewRequest("GET", path, nil)
		if path == "/gone" {
			ctx, cancel := context.WithCancel(req.Context())
			cancel()
			req = req.WithContext(ctx)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s logged %q, want %q", path, buf.String(), want)
		}
		if path == "/gone" && strings.Contains(buf.String(), "ERROR") {
			t.Errorf("a hung-up client logged as an error: %s", buf.String())
		}
	}
	if got := Status(congdoan.Errorf(congdoan.EINTERNAL, "x")); got != 500 {
		t.Errorf("internal error: %d", got)
	}
}
