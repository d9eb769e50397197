package api

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
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
	"congdoan/demo/demotest"
	"congdoan/store/storetest"
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
			if status < 300 {
				succeeded.Store(pat, true)
			}
			return nil
		}
		ct, _, _ := strings.Cut(header.Get("Content-Type"), ";")
		media, ok := content[ct].(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: Content-Type %q is not documented", where, ct)}
		}
		if status < 300 {
			succeeded.Store(pat, true)
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

// succeeded holds the routes ("GET /api/v1/members") that answered a
// success the checker read; TestMain wants every route there.
var succeeded sync.Map

// TestMain runs the tests and then, when all of them ran and passed,
// fails if some route never answered a success that the contract checker
// read: a route without one is a route whose document nothing checks.
func TestMain(m *testing.M) {
	code := m.Run()
	if code != 0 || testing.Short() || flag.Lookup("test.run").Value.String() != "" {
		os.Exit(code)
	}
	var missing []string
	for _, rt := range routeTable {
		if _, ok := succeeded.Load(rt.method + " " + rt.pattern); !ok {
			missing = append(missing, rt.method+" "+rt.pattern)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: no test checked a successful answer of %s against openapi.json\n", strings.Join(missing, ", "))
		os.Exit(1)
	}
	os.Exit(code)
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
	{"RevealRequest", reflect.TypeFor[revealRequest](), true},
	{"ReportVerification", reflect.TypeFor[verifyBody](), false},
	{"ImportResult", reflect.TypeFor[congdoan.ImportResult](), false},
	{"UserInput", reflect.TypeFor[userRequest](), true},
	{"UserPatch", reflect.TypeFor[congdoan.UserUpdate](), true},
	{"PasswordChange", reflect.TypeFor[passwordRequest](), true},
	{"UserList", reflect.TypeFor[list[*congdoan.User]](), false},
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

// TestContractDemo walks every route over the demo province (3.000
// members, real history, targets, agreements) as its officers would, so
// that the contract is checked on realistic data and not only on the small
// fixture; send checks each answer against the document. With
// CONGDOAN_CONTRACT_DUMP=dir it also writes each answer to dir, which is
// where the document's examples come from.
func TestContractDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo province")
	}
	db := storetest.Open(t, "sqlite")
	sum := demotest.Province(t, db)
	sys := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	const (
		province   = "tinh.tn"
		grassroots = "coso.tn"
		upper      = "xa.tn"
		admin      = "quantri.tn"
	)
	for _, u := range []congdoan.UserInput{
		{Username: province, FullName: "Hoàng Thị Tỉnh", Role: congdoan.RoleProvinceOfficer, UnitCode: sum.RootCode},
		{Username: upper, FullName: "Lục Văn Xã", Role: congdoan.RoleUpperOfficer, UnitCode: sum.SampleUpperCode},
		{Username: grassroots, FullName: "Triệu Văn Cơ", Role: congdoan.RoleGrassrootsOfficer, UnitCode: sum.SampleGrassrootsCode},
		{Username: admin, FullName: "Lý Văn Trị", Role: congdoan.RoleAdmin},
	} {
		u.Password = storetest.Password
		if _, err := db.CreateUser(sys, u); err != nil {
			t.Fatalf("user %s: %v", u.Username, err)
		}
	}
	e := serveEnv(t, db, nil, Options{})
	dump := os.Getenv("CONGDOAN_CONTRACT_DUMP")
	n := 0
	call := func(user, method, path string, body any, status int) response {
		t.Helper()
		res := e.as(user, method, path, body)
		if res.status != status {
			t.Errorf("%s %s as %s: %d, want %d: %.300s", method, path, user, res.status, status, res.body)
		}
		if dump != "" {
			n++
			name := fmt.Sprintf("%03d %s %s", n, method, strings.NewReplacer("/", "_", "?", "~").Replace(path))
			if err := os.WriteFile(filepath.Join(dump, name+".json"), res.body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return res
	}
	get := func(user, path string, v any) {
		t.Helper()
		res := call(user, "GET", path, nil, http.StatusOK)
		if v != nil && res.status == http.StatusOK {
			res.decode(t, v)
		}
	}
	root, gr := "/api/v1/units/"+sum.RootCode, "/api/v1/units/"+sum.SampleGrassrootsCode

	get(province, "/api/v1/me", nil)
	get(admin, "/api/v1/units", nil)
	get(province, root, nil)
	get(province, root+"?date=2024-06-30", nil)
	get(province, root+"/tree?depth=2", nil)
	get(province, gr+"/history", nil)
	get(province, "/api/v1/units/LDLD-BK/history", nil)
	get(province, "/api/v1/indicators", nil)
	get(province, "/api/v1/indicators?date=2024-12-31&from=2024-01-01", nil)
	get(grassroots, "/api/v1/indicators", nil)
	for _, def := range congdoan.IndicatorDefs {
		sides := []string{"numerator"}
		if def.Denominator != "" {
			sides = append(sides, "denominator", "gap")
		}
		for _, side := range sides {
			get(province, "/api/v1/indicators/"+string(def.Code)+"/records?limit=3&side="+side, nil)
		}
	}
	get(province, "/api/v1/targets", nil)

	// total_capped: the active members of the province come from
	// unit_counts, exact at any size; a broad name search stops counting
	// at the cap.
	var all, broad membersPage
	get(province, "/api/v1/members?limit=3", &all)
	if all.TotalCapped || all.Total <= congdoan.MemberCountCap || all.NextAfter == "" {
		t.Errorf("the province's members: total %d, capped %v, next %q; want an exact total above %d", all.Total, all.TotalCapped, all.NextAfter, congdoan.MemberCountCap)
	}
	get(province, "/api/v1/members?limit=3&after="+url.QueryEscape(all.NextAfter), nil)
	// A name search in a scope this small counts exactly, above the cap
	// too (store/membersearch.go); total_capped says so.
	get(province, "/api/v1/members?q=n&status=all&limit=3", &broad)
	if broad.TotalCapped || broad.Total <= congdoan.MemberCountCap {
		t.Errorf("members named N…: total %d, capped %v; want an exact total above %d", broad.Total, broad.TotalCapped, congdoan.MemberCountCap)
	}
	var mine membersPage
	get(grassroots, "/api/v1/members?q=nguyen&limit=2", &mine)
	if len(mine.Items) == 0 {
		t.Fatalf("no Nguyễn in %s", sum.SampleGrassrootsCode)
	}
	id := itoa(mine.Items[0].ID)
	get(grassroots, "/api/v1/members/"+id, nil)
	call(grassroots, "POST", "/api/v1/members/"+id+"/reveal", nil, http.StatusOK)

	var emps page[*congdoan.Employer]
	get(province, "/api/v1/employers?limit=3", &emps)
	get(province, "/api/v1/employers?has_union=false&min_workers=15&limit=3", nil)
	get(province, "/api/v1/employers?has_union=true&sector=fdi&limit=3", nil)
	if len(emps.Items) > 0 {
		get(province, "/api/v1/employers/"+itoa(emps.Items[0].ID), nil)
	}
	var agrs page[*congdoan.Agreement]
	get(province, "/api/v1/agreements?limit=3", &agrs)
	get(province, "/api/v1/agreements?valid_on=2025-12-31&limit=3", nil)
	if len(agrs.Items) > 0 {
		get(province, "/api/v1/agreements/"+itoa(agrs.Items[0].ID), nil)
	}

	// Writes, each followed by the read its link names.
	var m congdoan.Member
	call(grassroots, "POST", "/api/v1/members", map[string]any{"cccd": storetest.CCCD(true, 1996, 777001), "full_name": "Hà Thị Mai", "gender": "F",
		"birth_date": "1996-08-21", "ethnicity": "Tày", "phone": "0912345678", "job": "Công nhân", "unit_code": sum.SampleGrassrootsCode}, http.StatusCreated).decode(t, &m)
	mid := "/api/v1/members/" + itoa(m.ID)
	get(grassroots, mid, nil)
	call(grassroots, "PATCH", mid, map[string]any{"job": "Tổ trưởng", "version": m.Version}, http.StatusOK)
	call(grassroots, "POST", mid+"/leave", map[string]any{"reason": "left", "note": "Chuyển công tác"}, http.StatusOK)

	var emp congdoan.Employer
	call(province, "POST", "/api/v1/employers", map[string]any{"tax_code": "4600999001", "name": "Công ty TNHH Cơ khí Phổ Yên", "sector": "non_state",
		"industry": "Cơ khí", "workers_total": 85, "workers_female": 20, "unit_code": sum.SampleUpperCode}, http.StatusCreated).decode(t, &emp)
	get(province, "/api/v1/employers/"+itoa(emp.ID), nil)
	call(province, "PATCH", "/api/v1/employers/"+itoa(emp.ID), map[string]any{"workers_total": 90}, http.StatusOK)

	var u congdoan.Unit
	call(province, "POST", "/api/v1/units", map[string]any{"code": "CDCS-TN-9001", "name": "Công đoàn Công ty TNHH Cơ khí Phổ Yên", "kind": "grassroots",
		"parent_code": sum.SampleUpperCode, "employer_id": emp.ID, "founded_on": db.Today().String()}, http.StatusCreated).decode(t, &u)
	get(province, "/api/v1/units/"+u.Code, nil)

	var a congdoan.Agreement
	call(province, "POST", "/api/v1/agreements", map[string]any{"unit_code": u.Code, "kind": "enterprise", "signed_on": db.Today().String(),
		"valid_from": db.Today().String(), "valid_to": db.Today().AddDays(3 * 365).String(), "quality": "B"}, http.StatusCreated).decode(t, &a)
	get(province, "/api/v1/agreements/"+itoa(a.ID), nil)
	call(province, "PATCH", "/api/v1/agreements/"+itoa(a.ID), map[string]any{"note": "Ký tại hội nghị người lao động"}, http.StatusOK)

	var rep congdoan.Report
	period := strconv.Itoa(db.Today().Year()) + "-H1"
	call(grassroots, "POST", "/api/v1/reports", map[string]any{"unit_code": sum.SampleGrassrootsCode, "period": period}, http.StatusCreated).decode(t, &rep)
	rid := "/api/v1/reports/" + itoa(rep.ID)
	get(grassroots, rid, nil)
	call(grassroots, "POST", rid+"/submit", nil, http.StatusOK)
	call(province, "POST", rid+"/approve", nil, http.StatusOK)
	get(province, rid+"/verify", nil)
	get(grassroots, "/api/v1/reports", nil)
	if res := e.as(province, "GET", rid+"/download?format=pdf", nil); res.status != http.StatusOK {
		t.Errorf("download: %d", res.status)
	}

	var imp congdoan.ImportResult
	call(grassroots, "POST", "/api/v1/imports", multipartBody{fields: map[string]string{"kind": "members", "dry_run": "true"}, name: "ds.csv",
		contents: memberCSV("Đinh Văn Sơn;12/05/1990;Nam;" + storetest.CCCD(false, 1990, 777002) + ";" + sum.SampleGrassrootsCode)}, http.StatusCreated).decode(t, &imp)
	get(grassroots, "/api/v1/imports/"+itoa(imp.ID), nil)

	get(admin, "/api/v1/audit?limit=50", nil)
	get(province, "/api/v1/audit?entity=member&action=member.reveal", nil)
	get(admin, "/api/v1/audit/verify", nil)
	call(grassroots, "DELETE", "/api/v1/session", nil, http.StatusNoContent)
}

// enumAt returns the enum of the schema at a dotted path of property
// names under a component schema ("Unit.kind"), following $refs.
func (c *contract) enumAt(t *testing.T, path string) []string {
	t.Helper()
	parts := strings.Split(path, ".")
	s := c.deref(map[string]any{"$ref": "#/components/schemas/" + parts[0]})
	for _, p := range parts[1:] {
		props, _ := s["properties"].(map[string]any)
		s = c.deref(props[p])
	}
	var out []string
	for _, v := range asList(s["enum"]) {
		out = append(out, v.(string))
	}
	if out == nil {
		t.Errorf("%s has no enum", path)
	}
	return out
}

func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestContractEnums compares the document's enums with the Go values they
// stand for, so that a new unit kind, status or indicator cannot be sent to
// clients that were told it does not exist.
func TestContractEnums(t *testing.T) {
	c := mustContract(t)
	var codes []string
	for _, d := range congdoan.IndicatorDefs {
		codes = append(codes, string(d.Code))
	}
	forecast := strs(congdoan.ForecastMet, congdoan.ForecastOnTrack, congdoan.ForecastAtRisk, congdoan.ForecastOffTrack,
		congdoan.ForecastMissed, congdoan.ForecastNoData)
	end := strs(congdoan.EndTransferOut, congdoan.EndMerged, congdoan.EndLeft, congdoan.EndRetired, congdoan.EndExpelled,
		congdoan.EndDeceased, congdoan.EndUnitDissolved)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"Unit.kind", strs(congdoan.UnitKinds...)},
		{"UnitInput.kind", strs(congdoan.UnitKinds...)},
		{"Employer.sector", strs(congdoan.Sectors...)},
		{"EmployerInput.sector", strs(congdoan.Sectors...)},
		{"Employer.status", strs(congdoan.EmployerActive, congdoan.EmployerPaused, congdoan.EmployerClosed)},
		{"User.role", strs(congdoan.Roles...)},
		{"Report.status", strs(congdoan.ReportStatuses...)},
		{"Agreement.kind", strs(congdoan.AgreementKinds...)},
		{"Agreement.quality", append([]string{""}, congdoan.AgreementGrades...)},
		{"LeaveInput.reason", strs(congdoan.LeaveReasons...)},
		{"Period.start_reason", strs(congdoan.StartAdmitted, congdoan.StartTransferIn, congdoan.StartMerged, congdoan.StartReadmitted)},
		{"Period.end_reason", end},
		{"Member.end_reason", end},
		{"Member.status", strs(congdoan.StatusActive, congdoan.StatusLeft)},
		{"Member.gender", strs(congdoan.GenderMale, congdoan.GenderFemale)},
		{"IndicatorCode", codes},
		{"ForecastStatus", forecast},
		{"Indicator.status", append([]string{""}, forecast...)},
		{"Record.kind", strs(congdoan.RecordMember, congdoan.RecordEmployer, congdoan.RecordUnit)},
		{"ImportResult.kind", strs(congdoan.ImportMembers, congdoan.ImportEmployers)},
		{"Error.code", []string{congdoan.EINVALID, congdoan.ENOTFOUND, congdoan.ECONFLICT, congdoan.EFORBIDDEN, congdoan.EUNAUTHORIZED,
			congdoan.EINTERNAL, codeMethodNotAllowed, codeTooLarge, codeTooManyRequests}},
	} {
		got, want := c.enumAt(t, tc.path), slices.Clone(tc.want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: enum %q in the document, %q in Go", tc.path, got, want)
		}
	}

	// Audit actions and entities have no Go list: every one the UI has a
	// label for (i18n keys action.* and entity.*) is in the document, and
	// the answers the tests check hold no other.
	raw, err := os.ReadFile("../i18n/locale/vi.json")
	if err != nil {
		t.Fatal(err)
	}
	var catalog map[string]string
	if err := json.Unmarshal(raw, &catalog); err != nil {
		t.Fatal(err)
	}
	actions, entities := c.enumAt(t, "AuditAction"), c.enumAt(t, "AuditEntity")
	for k := range catalog {
		if a, ok := strings.CutPrefix(k, "action."); ok && !slices.Contains(actions, a) {
			t.Errorf("audit action %s has a label but is not in the AuditAction enum", a)
		}
		if en, ok := strings.CutPrefix(k, "entity."); ok && !slices.Contains(entities, en) {
			t.Errorf("audit entity %s has a label but is not in the AuditEntity enum", en)
		}
	}
}

// TestContractBodies: every JSON request body is a named schema with its
// Go type in contractTypes, so that TestContractTypes covers it.
func TestContractBodies(t *testing.T) {
	c := mustContract(t)
	in := map[string]bool{}
	for _, ct := range contractTypes {
		in["#/components/schemas/"+ct.schema] = ct.in
	}
	paths, _ := c.doc["paths"].(map[string]any)
	for p, ops := range paths {
		for m, op := range ops.(map[string]any) {
			rb, ok := op.(map[string]any)["requestBody"].(map[string]any)
			if !ok {
				continue
			}
			content, _ := rb["content"].(map[string]any)
			media, ok := content["application/json"].(map[string]any)
			if !ok {
				continue // multipart
			}
			ref, _ := media["schema"].(map[string]any)["$ref"].(string)
			if !in[ref] {
				t.Errorf("%s %s: request body %q is not a schema of contractTypes with in: true", strings.ToUpper(m), p, ref)
			}
		}
	}
}

// TestContractChecker makes sure the checker itself refuses what it
// should: a checker that passes everything would make every test above
// worthless.
func TestContractChecker(t *testing.T) {
	c := mustContract(t)
	good := `{"id":1,"cccd":"••••••••1234","full_name":"Nguyễn Văn An","gender":"M","birth_date":"••/••/1985","birth_year":1985,
		"masked":true,"status":"active","unit_code":"CDCS-A","unit_name":"Công đoàn A","since":"2021-01-04","ended_on":null,"version":1}`
	var v any
	if err := json.Unmarshal([]byte(good), &v); err != nil {
		t.Fatal(err)
	}
	var errs []string
	c.validate(map[string]any{"$ref": "#/components/schemas/Member"}, v, "$", &errs)
	if len(errs) > 0 {
		t.Fatalf("a good member fails: %q", errs)
	}
	for _, tc := range []struct{ name, from, to string }{
		{"missing required", `"version":1`, `"versio":1`},
		{"undocumented field", `"version":1`, `"version":1,"nickname":"An"`},
		{"enum", `"gender":"M"`, `"gender":"male"`},
		{"masked date as a date and a mask at once", `"••/••/1985"`, `"15/03/1985"`},
		{"cccd neither full nor masked", `"••••••••1234"`, `"•••••••••234"`},
		{"null not allowed", `"since":"2021-01-04"`, `"since":"2021-01-04","unit_code":null`},
		{"wrong type", `"birth_year":1985`, `"birth_year":"1985"`},
		{"not an integer", `"id":1`, `"id":1.5`},
		{"not a date", `"2021-01-04"`, `"04/01/2021"`},
	} {
		bad := strings.Replace(good, tc.from, tc.to, 1)
		if bad == good {
			t.Fatalf("%s: nothing replaced", tc.name)
		}
		var v any
		if err := json.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var errs []string
		c.validate(map[string]any{"$ref": "#/components/schemas/Member"}, v, "$", &errs)
		if len(errs) == 0 {
			t.Errorf("%s: the checker passes %s", tc.name, bad)
		}
	}
	if e := c.checkResponse("GET", "/api/v1/members/1", http.StatusTeapot, nil, nil); len(e) == 0 {
		t.Error("an undocumented status passes")
	}
}

// TestContractExamples checks every example of the document against its
// schema (a media type's or a parameter's, or the schema it stands in),
// strictly as answers are checked: an example a client generator or a
// reader copies must be a value the API really takes or gives.
func TestContractExamples(t *testing.T) {
	c := mustContract(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if ex, ok := x["example"]; ok {
				n++
				var errs []string
				if s, ok := x["schema"]; ok {
					c.validate(s, ex, at+".example", &errs)
				} else {
					c.validate(x, ex, at+".example", &errs)
				}
				for _, e := range errs {
					t.Error(e)
				}
			}
			for k, y := range x {
				if k != "example" {
					walk(y, at+"."+k)
				}
			}
		case []any:
			for i, y := range x {
				walk(y, fmt.Sprintf("%s[%d]", at, i))
			}
		}
	}
	walk(c.doc, "$")
	if n < 40 {
		t.Errorf("%d examples; the create and read operations should each have theirs", n)
	}
}
