package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"congdoan"
)

// The contract checks: every answer the API tests receive is checked
// against api/openapi.json — its status must be documented for the
// operation, and its JSON must match the documented schema, read strictly:
// a required field missing, a field the schema does not list (objects are
// closed unless they say additionalProperties), a value outside an enum or
// a pattern, a wrong type or a null where none is allowed all fail the test
// that made the request. So the document cannot drift from the code
// without some test failing.

// contract is openapi.json parsed for checking, with a mux that finds the
// route of a request.
type contract struct {
	doc     map[string]any
	schemas map[string]any
	resps   map[string]any
	mux     *http.ServeMux
	res     map[string]*regexp.Regexp
	resMu   sync.Mutex
}

var theContract = sync.OnceValues(func() (*contract, error) {
	c := &contract{mux: http.NewServeMux(), res: map[string]*regexp.Regexp{}}
	if err := json.Unmarshal(openAPIDoc, &c.doc); err != nil {
		return nil, err
	}
	comp, _ := c.doc["components"].(map[string]any)
	c.schemas, _ = comp["schemas"].(map[string]any)
	c.resps, _ = comp["responses"].(map[string]any)
	for _, rt := range routeTable {
		c.mux.Handle(rt.method+" "+rt.pattern, http.NotFoundHandler())
	}
	return c, nil
})

func mustContract(t testing.TB) *contract {
	t.Helper()
	c, err := theContract()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return c
}

// operation returns the documented operation of method and path, nil for
// a path outside the route table.
func (c *contract) operation(method, path string) (op map[string]any, pattern string) {
	r := httptest.NewRequest(method, path, nil)
	_, pat := c.mux.Handler(r)
	if pat == "" {
		return nil, ""
	}
	_, p, _ := strings.Cut(pat, " ")
	paths, _ := c.doc["paths"].(map[string]any)
	ops, _ := paths[openAPIPath(p)].(map[string]any)
	op, _ = ops[strings.ToLower(method)].(map[string]any)
	return op, pat
}

// checkResponse returns what is wrong with an answer to method path.
func (c *contract) checkResponse(method, path string, status int, header http.Header, body []byte) []string {
	where := fmt.Sprintf("%s %s → %d", method, path, status)
	op, pat := c.operation(method, path)
	var schema any
	if op == nil {
		// The fallback: no such path, or a method the path does not
		// take. Its answers are errors as any other.
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return []string{where + ": a path outside the table answered other than 404/405"}
		}
		schema = map[string]any{"$ref": "#/components/schemas/Error"}
	} else {
		responses, _ := op["responses"].(map[string]any)
		resp, ok := responses[strconv.Itoa(status)]
		if !ok {
			resp, ok = responses[strconv.Itoa(status/100)+"XX"]
		}
		if !ok {
			resp, ok = responses["default"]
		}
		if !ok {
			return []string{fmt.Sprintf("%s: status %d is not documented for %s", where, status, pat)}
		}
		r := c.deref(resp)
		content, _ := r["content"].(map[string]any)
		if len(content) == 0 {
			if len(body) > 0 {
				return []string{where + ": a body where the document says none"}
			}
			return nil
		}
		ct, _, _ := strings.Cut(header.Get("Content-Type"), ";")
		media, ok := content[ct].(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: Content-Type %q is not documented", where, ct)}
		}
		if ct != "application/json" {
			return nil
		}
		schema = media["schema"]
		if pat == "GET /api/openapi.json" {
			return nil // the document itself
		}
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{where + ": body is not JSON"}
	}
	var errs []string
	c.validate(schema, v, "$", &errs)
	for i := range errs {
		errs[i] = where + ": " + errs[i]
	}
	return errs
}

// deref follows a $ref to a component response or schema.
func (c *contract) deref(v any) map[string]any {
	m, _ := v.(map[string]any)
	for {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		switch {
		case strings.HasPrefix(ref, "#/components/schemas/"):
			m, _ = c.schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
		case strings.HasPrefix(ref, "#/components/responses/"):
			m, _ = c.resps[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
		default:
			return nil
		}
	}
}

func (c *contract) re(pattern string) *regexp.Regexp {
	c.resMu.Lock()
	defer c.resMu.Unlock()
	re, ok := c.res[pattern]
	if !ok {
		re = regexp.MustCompile(pattern)
		c.res[pattern] = re
	}
	return re
}

// validate checks v against the OpenAPI 3.0 schema s (the subset the
// document uses), strictly: see the comment at the top of the file.
func (c *contract) validate(s any, v any, at string, errs *[]string) {
	fail := func(format string, args ...any) { *errs = append(*errs, at+": "+fmt.Sprintf(format, args...)) }
	m := c.deref(s)
	if m == nil {
		fail("schema %v does not resolve", s)
		return
	}
	if v == nil {
		if m["nullable"] != true && !c.allowsNull(m) {
			fail("null, and the schema is not nullable")
		}
		return
	}
	for _, sub := range asList(m["allOf"]) {
		c.validate(sub, v, at, errs)
	}
	if alts := asList(m["oneOf"]); len(alts) > 0 {
		n := 0
		var why []string
		for _, sub := range alts {
			var e []string
			c.validate(sub, v, at, &e)
			if len(e) == 0 {
				n++
			}
			why = append(why, e...)
		}
		if n != 1 {
			fail("matches %d of the oneOf alternatives, want 1 (%s)", n, strings.Join(why, "; "))
		}
	}
	if enum := asList(m["enum"]); enum != nil && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
		fail("%v is not in the enum %v", v, enum)
	}
	switch t, _ := m["type"].(string); t {
	case "":
	case "string":
		s, ok := v.(string)
		if !ok {
			fail("%T, want a string", v)
			return
		}
		if p, ok := m["pattern"].(string); ok && !c.re(p).MatchString(s) {
			fail("%q does not match %s", s, p)
		}
		switch m["format"] {
		case "date":
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				fail("%q is not a date", s)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				fail("%q is not a date-time", s)
			}
		}
	case "integer", "number":
		n, ok := v.(float64)
		if !ok {
			fail("%T, want a %s", v, t)
			return
		}
		if t == "integer" && n != math.Trunc(n) {
			fail("%v, want an integer", n)
		}
		if lo, ok := m["minimum"].(float64); ok && n < lo {
			fail("%v below the minimum %v", n, lo)
		}
		if hi, ok := m["maximum"].(float64); ok && n > hi {
			fail("%v above the maximum %v", n, hi)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("%T, want a boolean", v)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			fail("%T, want an array", v)
			return
		}
		for i, it := range a {
			c.validate(m["items"], it, fmt.Sprintf("%s[%d]", at, i), errs)
		}
	case "object":
		o, ok := v.(map[string]any)
		if !ok {
			fail("%T, want an object", v)
			return
		}
		for _, k := range asList(m["required"]) {
			if _, ok := o[k.(string)]; !ok {
				fail("required field %q missing", k)
			}
		}
		props, _ := m["properties"].(map[string]any)
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				c.validate(ps, o[k], at+"."+k, errs)
				continue
			}
			switch ap := m["additionalProperties"].(type) {
			case map[string]any:
				c.validate(ap, o[k], at+"."+k, errs)
			case bool:
				if !ap {
					fail("field %q is not in the schema", k)
				}
			default:
				if len(asList(m["allOf"])) == 0 {
					fail("field %q is not in the schema (objects are closed unless additionalProperties says otherwise)", k)
				}
			}
		}
	default:
		fail("schema type %q unknown to the checker", t)
	}
}

// allowsNull: a schema that is only an allOf of one nullable schema.
func (c *contract) allowsNull(m map[string]any) bool {
	all := asList(m["allOf"])
	return len(all) == 1 && c.deref(all[0])["nullable"] == true
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// checkContract fails t for what is wrong with an answer; send calls it
// for every request of every API test.
func checkContract(t testing.TB, method, rawURL string, res response) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range mustContract(t).checkResponse(method, u.Path, res.status, res.header, res.body) {
		t.Errorf("contract: %s", e)
	}
}

// contractTypes are the Go types behind the document's schemas: answers
// (out) and request bodies (in). For an answer, the schema's properties
// are the type's JSON fields and its required list is every field
// encoding/json always writes (no omitempty or omitzero); for a body, the
// properties are the fields the decoder takes, and nothing else is allowed.
var contractTypes = []struct {
	schema string
	typ    reflect.Type
	in     bool
}{
	{"Error", reflect.TypeFor[errorBody](), false},
	{"User", reflect.TypeFor[congdoan.User](), false},
	{"LoginRequest", reflect.TypeFor[loginRequest](), true},
	{"Session", reflect.TypeFor[loginResponse](), false},
	{"Counts", reflect.TypeFor[congdoan.Counts](), false},
	{"Unit", reflect.TypeFor[congdoan.Unit](), false},
	{"UnitEvent", reflect.TypeFor[congdoan.UnitEvent](), false},
	{"UnitInput", reflect.TypeFor[congdoan.UnitInput](), true},
	{"MoveRequest", reflect.TypeFor[moveRequest](), true},
	{"MergeRequest", reflect.TypeFor[mergeRequest](), true},
	{"DissolveRequest", reflect.TypeFor[dissolveRequest](), true},
	{"Period", reflect.TypeFor[congdoan.Period](), false},
	{"Member", reflect.TypeFor[congdoan.Member](), false},
	{"MemberInput", reflect.TypeFor[congdoan.MemberInput](), true},
	{"MemberUpdate", reflect.TypeFor[congdoan.MemberUpdate](), true},
	{"TransferInput", reflect.TypeFor[congdoan.TransferInput](), true},
	{"LeaveInput", reflect.TypeFor[congdoan.LeaveInput](), true},
	{"Employer", reflect.TypeFor[congdoan.Employer](), false},
	{"EmployerInput", reflect.TypeFor[congdoan.EmployerInput](), true},
	{"EmployerPatch", reflect.TypeFor[employerPatch](), true},
	{"Agreement", reflect.TypeFor[congdoan.Agreement](), false},
	{"AgreementInput", reflect.TypeFor[congdoan.AgreementInput](), true},
	{"AgreementPatch", reflect.TypeFor[agreementPatch](), true},
	{"AgreementPage", reflect.TypeFor[page[*congdoan.Agreement]](), false},
	{"AuditEvent", reflect.TypeFor[congdoan.AuditEvent](), false},
	{"UnitList", reflect.TypeFor[list[*congdoan.Unit]](), false},
	{"UnitEventList", reflect.TypeFor[list[*congdoan.UnitEvent]](), false},
	{"MemberPage", reflect.TypeFor[membersPage](), false},
	{"EmployerPage", reflect.TypeFor[page[*congdoan.Employer]](), false},
	{"AuditPage", reflect.TypeFor[page[*congdoan.AuditEvent]](), false},
	{"Target", reflect.TypeFor[congdoan.Target](), false},
	{"Forecast", reflect.TypeFor[congdoan.Forecast](), false},
	{"Indicator", reflect.TypeFor[indicatorItem](), false},
	{"Indicators", reflect.TypeFor[indicatorsBody](), false},
	{"Record", reflect.TypeFor[congdoan.FigureRecord](), false},
	{"RecordPage", reflect.TypeFor[page[*congdoan.FigureRecord]](), false},
	{"Allocation", reflect.TypeFor[congdoan.Allocation](), false},
	{"AllocationInput", reflect.TypeFor[allocationInput](), true},
	{"AuditVerification", reflect.TypeFor[congdoan.AuditVerification](), false},
	{"ReportFigure", reflect.TypeFor[congdoan.ReportFigure](), false},
	{"Report", reflect.TypeFor[congdoan.Report](), false},
	{"ReportCreate", reflect.TypeFor[reportCreate](), true},
	{"ReportList", reflect.TypeFor[list[*congdoan.Report]](), false},
	{"ReasonRequest", reflect.TypeFor[reasonBody](), true},
	{"ReportVerification", reflect.TypeFor[verifyBody](), false},
	{"ImportResult", reflect.TypeFor[congdoan.ImportResult](), false},
}

// TestContractTypes compares each schema with its Go type, so that a field
// added, removed, renamed or made optional in Go fails here until the
// document says so too.
func TestContractTypes(t *testing.T) {
	c := mustContract(t)
	for _, ct := range contractTypes {
		t.Run(ct.schema, func(t *testing.T) {
			s, ok := c.schemas[ct.schema].(map[string]any)
			if !ok {
				t.Fatalf("no schema %s", ct.schema)
			}
			checkSchemaType(t, c, ct.schema, s, ct.typ, ct.in)
		})
	}
}

func checkSchemaType(t *testing.T, c *contract, name string, s map[string]any, typ reflect.Type, in bool) {
	t.Helper()
	props, _ := s["properties"].(map[string]any)
	var fields, always []string
	for n, f := range jsonFields(typ) {
		fields = append(fields, n)
		if opts := f.Tag.Get("json"); !strings.Contains(opts, ",omitempty") && !strings.Contains(opts, ",omitzero") {
			always = append(always, n)
		}
	}
	var documented, required []string
	for n := range props {
		documented = append(documented, n)
	}
	for _, r := range asList(s["required"]) {
		required = append(required, r.(string))
	}
	slices.Sort(fields)
	slices.Sort(always)
	slices.Sort(documented)
	slices.Sort(required)
	if !slices.Equal(fields, documented) {
		t.Errorf("%s: properties %q in the document, JSON fields %q in %s", name, documented, fields, typ)
	}
	if in {
		if s["additionalProperties"] != false {
			t.Errorf("%s: a request body must say additionalProperties: false (the decoder refuses unknown fields)", name)
		}
		return
	}
	if !slices.Equal(always, required) {
		t.Errorf("%s: required %q in the document, always written %q by %s", name, required, always, typ)
	}
}
