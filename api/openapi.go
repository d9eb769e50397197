package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// openAPIDoc is the OpenAPI 3.0.3 description of routeTable, written by
// hand so that its Vietnamese descriptions read well; openapi_test.go keeps
// it and the table in step (paths, methods, summaries, public routes), and
// contract_test.go keeps it and the answers in step.
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

// openAPIPath turns a ServeMux pattern into an OpenAPI path: the wildcard
// syntax is the same except for "{name...}" and "{$}".
func openAPIPath(pattern string) string {
	return strings.NewReplacer("...}", "}", "{$}", "").Replace(pattern)
}

// documentedQuery reads from the document the query parameters of each
// route ("GET /api/v1/members" → q, unit, status, limit, offset, after).
// The endpoint refuses any other with 400, so that a misspelt parameter is
// an error rather than a silently applied default, and the document is the
// one list of what each route takes.
func documentedQuery(doc []byte) (map[string][]string, error) {
	type param struct {
		Ref  string `json:"$ref"`
		Name string `json:"name"`
		In   string `json:"in"`
	}
	var d struct {
		Paths      map[string]map[string]struct{ Parameters []param }
		Components struct{ Parameters map[string]param }
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, rt := range routeTable {
		op, ok := d.Paths[openAPIPath(rt.pattern)][strings.ToLower(rt.method)]
		if !ok {
			return nil, fmt.Errorf("openapi.json has no %s %s", rt.method, rt.pattern)
		}
		names := []string{}
		for _, p := range op.Parameters {
			if p.Ref != "" {
				c, ok := d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
				if !ok {
					return nil, fmt.Errorf("openapi.json: %s %s: dangling %s", rt.method, rt.pattern, p.Ref)
				}
				p = c
			}
			if p.In == "query" {
				names = append(names, p.Name)
			}
		}
		out[rt.method+" "+rt.pattern] = names
	}
	return out, nil
}
