package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"congdoan"
)

// failingUnits is a unit service whose database has gone away.
type failingUnits struct{ congdoan.UnitService }

func (failingUnits) TopUnits(context.Context) ([]*congdoan.Unit, error) {
	return nil, errors.New("dial tcp 10.0.0.5:5432: connection refused")
}

// oneUser accepts one token.
type oneUser struct{ congdoan.UserService }

func (oneUser) FindSession(_ context.Context, token string) (*congdoan.User, error) {
	if token != "dung" {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn.")
	}
	return &congdoan.User{ID: 1, Username: "tinh", Role: congdoan.RoleProvinceOfficer, UnitID: 1}, nil
}

// TestInternalError checks that an internal error is logged with its cause
// and answered with the generic message only.
func TestInternalError(t *testing.T) {
	var log bytes.Buffer
	mux := http.NewServeMux()
	New(congdoan.Services{Units: failingUnits{}, Users: oneUser{}}, Options{Logger: slog.New(slog.NewTextHandler(&log, nil))}).Routes(mux)
	req := httptest.NewRequest("GET", "/api/v1/units", nil)
	req.Header.Set("Authorization", "Bearer dung")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	res := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	eb := res.wantError(t, http.StatusInternalServerError, "internal", "")
	if strings.Contains(string(res.body), "10.0.0.5") || eb.Message != congdoan.ErrorMessage(errors.New("x")) {
		t.Errorf("answer shows the cause: %s", res.body)
	}
	if !strings.Contains(log.String(), "10.0.0.5") || !strings.Contains(log.String(), "/api/v1/units") {
		t.Errorf("log lacks the cause or the path: %s", log.String())
	}
	// User errors are not logged.
	log.Reset()
	req = httptest.NewRequest("GET", "/api/v1/units", nil)
	req.Header.Set("Authorization", "Bearer sai")
	mux.ServeHTTP(httptest.NewRecorder(), req)
	if log.Len() != 0 {
		t.Errorf("a 401 was logged: %s", log.String())
	}
}
