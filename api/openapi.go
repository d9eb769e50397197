package api

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.0.3 description of routeTable, written by
// hand so that its Vietnamese descriptions read well; openapi_test.go keeps
// it and the table in step (paths, methods, summaries, public routes).
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the document without authentication: it describes how to
// log in and holds no data.
func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// A failed write means the client has gone; there is no one to tell.
	_, _ = w.Write(openAPIDoc)
	return nil
}
