package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/internal/httpx"
)

// maxBody bounds request bodies: the largest legitimate one (a unit or
// employer) is well under a kilobyte, so 1 MiB only stops abuse.
const maxBody = 1 << 20

// Codes of errors that belong to HTTP rather than to the domain; clients
// see them in the "code" field next to the domain codes.
const (
	codeTooManyRequests  = "too_many_requests"  // 429
	codeMethodNotAllowed = "method_not_allowed" // 405: the path is ours, the method is not
	codeTooLarge         = "too_large"          // 413: a body or file over the limit
)

// statusError is an error answered with a status other than the one
// httpx.Status gives its domain code: the transport's own failures
// (malformed JSON is 400 where invalid data is 422, an over-large body 413,
// too many logins 429).
type statusError struct {
	status int
	err    *congdoan.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// errorBody is the JSON of every error answer.
type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Details map[string]string `json:"details,omitempty"`
}

// fail answers err as JSON. Internal errors are logged and shown with the
// generic message only: their text may name tables or hosts.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := httpx.Status(err)
	var se *statusError
	if errors.As(err, &se) {
		status = se.status
	}
	httpx.LogError(h.log, r, err)
	body := errorBody{Code: congdoan.ErrorCode(err), Message: congdoan.ErrorMessage(err)}
	var e *congdoan.Error
	if errors.As(err, &e) && body.Code != congdoan.EINTERNAL {
		body.Fields, body.Details = e.Fields, e.Details
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="congdoan"`)
	}
	writeJSON(w, status, body)
}

// writeJSON writes v with status. An encoding failure after the header is
// sent cannot be reported to the client any more; the types we encode
// cannot fail, so it is ignored.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// list is the envelope of unpaged collections.
type list[T any] struct {
	Items []T `json:"items"`
}

// page is the envelope of paged collections: Total counts every match,
// Items holds the requested page.
type page[T any] struct {
	Total int `json:"total"`
	Items []T `json:"items"`
}

// nonNil makes empty collections encode as [] rather than null, so clients
// can iterate without a check.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// badJSON is the 400 answer for a body that is not the JSON we expect.
func badJSON(format string, args ...any) error {
	return &statusError{status: http.StatusBadRequest, err: congdoan.Errorf(congdoan.EINVALID,
		"Nội dung gửi lên không phải JSON hợp lệ: "+format, args...)}
}

// decode reads the request body as exactly one JSON value into dst,
// refusing unknown fields so that a misspelt field is an error rather than
// a silently ignored change. Field names are case-sensitive, as the
// document says: encoding/json alone would take {"Unit_Code": …} for
// unit_code, and a client written against such a server breaks on any
// other.
func decode(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return badJSON("sau đối tượng JSON còn dữ liệu thừa; chỉ gửi một đối tượng.")
	}
	return exactNames(body, reflect.TypeOf(dst), "")
}

// exactNames refuses an object key of data that names a field of t only
// when case is ignored; data has already decoded into t, so every key is
// a field's name in some case. It descends into fields that are structs
// (or slices or pointers of them) decoded field by field.
func exactNames(data []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return nil // null
		}
		for i, it := range items {
			if err := exactNames(it, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil // null
		}
		fields := jsonFields(t)
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			f, ok := fields[k]
			if !ok {
				name := path + k
				want := k
				for n := range fields {
					if strings.EqualFold(n, k) {
						want = path + n
					}
				}
				msg := fmt.Sprintf("Trường %q không có trong API này: tên trường phân biệt chữ hoa, chữ thường; dùng %q.", name, want)
				return &statusError{status: http.StatusBadRequest, err: &congdoan.Error{Code: congdoan.EINVALID, Message: msg,
					Fields: map[string]string{name: msg}}}
			}
			if err := exactNames(obj[k], f.Type, path+k+"."); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields maps the JSON names of t's fields, as encoding/json sees
// them (embedded structs' fields promoted), to the fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out[name] = f
	}
	return out
}

func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// decodeError turns a json.Decoder error into an answer that says what to
// fix, in Vietnamese.
func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var dom *congdoan.Error
	switch {
	case isTooLarge(err):
		return &statusError{status: http.StatusRequestEntityTooLarge, err: congdoan.Errorf(codeTooLarge,
			"Nội dung gửi lên quá lớn: tối đa %d KiB.", maxBody/1024)}
	case errors.Is(err, io.EOF):
		return badJSON("nội dung trống; cần một đối tượng JSON {…}.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badJSON("nội dung bị cắt cụt giữa chừng.")
	case errors.As(err, &syn):
		return badJSON("sai cú pháp ở byte thứ %d.", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badJSON("cần một đối tượng JSON {…}, không phải %s.", jsonKind(typ.Value))
		}
		msg := fmt.Sprintf("Trường %q phải là %s, không phải %s.", typ.Field, goKind(typ.Type), jsonKind(typ.Value))
		return congdoan.FieldError(typ.Field, msg)
	case errors.As(err, &dom):
		// A field's own UnmarshalJSON (dates) already explains itself.
		return dom
	}
	// encoding/json has no error type for unknown fields; its message is
	// the only handle on the field's name.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if u, err := strconv.Unquote(name); err == nil {
			name = u
		}
		msg := fmt.Sprintf("Trường %q không có trong API này; kiểm tra lại tên trường (xem /api/openapi.json).", name)
		return &statusError{status: http.StatusBadRequest, err: &congdoan.Error{Code: congdoan.EINVALID, Message: msg,
			Fields: map[string]string{name: msg}}}
	}
	return badJSON("không đọc được nội dung gửi lên.")
}

// jsonKind names a JSON value kind as encoding/json reports it.
func jsonKind(v string) string {
	switch v {
	case "string":
		return "chuỗi"
	case "number":
		return "số"
	case "bool":
		return "true/false"
	case "array":
		return "mảng"
	case "object":
		return "đối tượng"
	}
	return v
}

// goKind names the JSON kind a Go type expects.
func goKind(t reflect.Type) string {
	if t == nil {
		return "giá trị khác"
	}
	switch t.Kind() {
	case reflect.String:
		return "chuỗi"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "số nguyên"
	case reflect.Float32, reflect.Float64:
		return "số"
	case reflect.Bool:
		return "true hoặc false"
	case reflect.Slice, reflect.Array:
		return "mảng"
	case reflect.Map, reflect.Struct:
		return "đối tượng"
	}
	return "giá trị khác"
}

// pathID parses the {id} path parameter.
func pathID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, congdoan.FieldError("id", fmt.Sprintf("Mã số %q trong đường dẫn phải là số nguyên dương.", s))
	}
	return id, nil
}

// queryInt parses a non-negative integer query parameter; absent is 0.
func queryInt(r *http.Request, name string) (int, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, congdoan.FieldError(name, fmt.Sprintf("Tham số %s phải là số nguyên không âm (đang là %q).", name, s))
	}
	return n, nil
}

// paging reads limit and offset: a limit above congdoan.MaxPageSize is
// 400 naming the maximum, never silently fewer records.
func paging(r *http.Request) (limit, offset int, err error) {
	if limit, err = queryInt(r, "limit"); err != nil {
		return 0, 0, err
	}
	if limit > congdoan.MaxPageSize {
		return 0, 0, &statusError{status: http.StatusBadRequest, err: congdoan.FieldError("limit",
			fmt.Sprintf("limit tối đa %d bản ghi một trang (đang là %d); lấy các trang sau bằng offset hoặc after.", congdoan.MaxPageSize, limit))}
	}
	offset, err = queryInt(r, "offset")
	return limit, offset, err
}
