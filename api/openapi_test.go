package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"congdoan/store/storetest"
)

// openAPIOp is the part of an OpenAPI operation the tests check.
type openAPIOp struct {
	Summary     string            `json:"summary"`
	OperationID string            `json:"operationId"`
	Security    *[]map[string]any `json:"security"`
	Parameters  []struct {
		Ref  string `json:"$ref"`
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	RequestBody json.RawMessage            `json:"requestBody"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

// openAPIDocument is the part of the document the tests check.
type openAPIDocument struct {
	OpenAPI string `json:"openapi"`
	Info    *struct {
		Title, Version string
	} `json:"info"`
	Security   []map[string]any                 `json:"security"`
	Paths      map[string]map[string]*openAPIOp `json:"paths"`
	Components *struct {
		SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		Schemas         map[string]json.RawMessage               `json:"schemas"`
		Parameters      map[string]struct {
			Name string `json:"name"`
			In   string `json:"in"`
		} `json:"parameters"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"components"`
}

func parseOpenAPI(t *testing.T) *openAPIDocument {
	t.Helper()
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return &doc
}

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIDocument(t *testing.T) {
	doc := parseOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info == nil || doc.Info.Title == "" || doc.Info.Version == "" || doc.Paths == nil || doc.Components == nil {
		t.Fatalf("document lacks openapi, info, paths or components")
	}
	if s := doc.Components.SecuritySchemes["bearerAuth"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("bearerAuth scheme %+v", s)
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearerAuth"] == nil {
		t.Errorf("document security %v, want bearerAuth for every operation by default", doc.Security)
	}
	for _, name := range []string{"Member", "Unit", "Employer", "Error", "MemberPage", "EmployerPage", "UnitList", "AuditPage", "User", "Session"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}

	// Every route of the table is in the document, the same way.
	inTable := map[string]bool{}
	opIDs := map[string]bool{}
	for _, rt := range routeTable {
		path, method := openAPIPath(rt.pattern), strings.ToLower(rt.method)
		inTable[method+" "+path] = true
		op := doc.Paths[path][method]
		if op == nil {
			t.Errorf("%s %s is in the route table but not in openapi.json", rt.method, path)
			continue
		}
		if op.Summary != rt.summary {
			t.Errorf("%s %s: summary %q in openapi.json, %q in the table", rt.method, path, op.Summary, rt.summary)
		}
		if op.OperationID == "" || opIDs[op.OperationID] {
			t.Errorf("%s %s: operationId %q missing or repeated", rt.method, path, op.OperationID)
		}
		opIDs[op.OperationID] = true
		if public := op.Security != nil && len(*op.Security) == 0; public != rt.public {
			t.Errorf("%s %s: public %v in openapi.json (security: []), %v in the table", rt.method, path, public, rt.public)
		}
		if !rt.public && op.Responses["401"] == nil {
			t.Errorf("%s %s: no 401 response", rt.method, path)
		}
		if len(op.Responses) < 2 {
			t.Errorf("%s %s: %d responses; document the errors too", rt.method, path, len(op.Responses))
		}
		// Path parameters are declared, directly or by reference.
		var declared []string
		for _, p := range op.Parameters {
			if p.Ref != "" {
				c, ok := doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
				if !ok {
					t.Errorf("%s %s: dangling parameter %s", rt.method, path, p.Ref)
				}
				p.Name, p.In = c.Name, c.In
			}
			if p.In == "path" {
				declared = append(declared, p.Name)
			}
		}
		var want []string
		for _, m := range pathParamRE.FindAllStringSubmatch(path, -1) {
			want = append(want, m[1])
		}
		slices.Sort(declared)
		slices.Sort(want)
		if !slices.Equal(declared, want) {
			t.Errorf("%s %s: path parameters %q declared, %q in the path", rt.method, path, declared, want)
		}
		// A few POSTs are steps that carry nothing but the path.
		bodyless := map[string]bool{"/api/v1/members/{id}/reveal": true, "/api/v1/reports/{id}/submit": true,
			"/api/v1/reports/{id}/withdraw": true, "/api/v1/reports/{id}/approve": true}
		if hasBody := len(op.RequestBody) > 0; hasBody != (rt.method == "POST" || rt.method == "PATCH") && !bodyless[rt.pattern] {
			t.Errorf("%s %s: request body %v", rt.method, path, hasBody)
		}
	}
	// And nothing in the document is missing from the table.
	for path, ops := range doc.Paths {
		for method := range ops {
			if !inTable[method+" "+path] {
				t.Errorf("%s %s is in openapi.json but not in the route table", strings.ToUpper(method), path)
			}
		}
	}
	// Every $ref points at something.
	for _, m := range regexp.MustCompile(`"\$ref":\s*"#/components/(\w+)/(\w+)"`).FindAllSubmatch(openAPIDoc, -1) {
		kind, name := string(m[1]), string(m[2])
		var ok bool
		switch kind {
		case "schemas":
			_, ok = doc.Components.Schemas[name]
		case "parameters":
			_, ok = doc.Components.Parameters[name]
		case "responses":
			_, ok = doc.Components.Responses[name]
		}
		if !ok {
			t.Errorf("dangling $ref #/components/%s/%s", kind, name)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"), Options{})
	res := e.send("", "GET", "/api/openapi.json", nil)
	res.want(t, http.StatusOK)
	if !bytes.Equal(res.body, openAPIDoc) {
		t.Error("served document differs from the embedded one")
	}
}

// TestFallback checks that what matches no route still gets a JSON answer.
func TestFallback(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"), Options{})
	res := e.as(storetest.Admin, "GET", "/api/v1/khong-co", nil)
	res.wantError(t, http.StatusNotFound, "not_found", "")
	res = e.as(storetest.Admin, "DELETE", "/api/v1/members/1", nil)
	res.wantError(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
	if allow := res.header.Get("Allow"); allow != "GET, PATCH" {
		t.Errorf("Allow %q, want GET, PATCH", allow)
	}
	res = e.send("", "PUT", "/api/v1/session", nil)
	res.wantError(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
	if res.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("security headers missing")
	}
}
