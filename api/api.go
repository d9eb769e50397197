// Package api serves congdoan's JSON API under /api/v1 and the OpenAPI
// document that describes it (/api/openapi.json).
//
// The API is a thin layer over congdoan.Services: it authenticates the
// bearer token, puts the user in the request context and leaves every scope
// decision to the store, so a grassroots officer cannot reach another union
// through the API any more than through the web UI. The routes live in one
// table (routeTable) that registers them, and that the tests walk to check
// the OpenAPI document and that no route leaks another union's data.
package api

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"congdoan"
	"congdoan/internal/ratelimit"
)

// Options configures a Handler. Zero values get safe defaults.
type Options struct {
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// Limiter throttles logins per client address and username; nil means
	// 10 attempts per 15 minutes, because an API without a limit is an
	// invitation to guess passwords.
	Limiter *ratelimit.Limiter
	// Now is the clock (the store's in tests); nil means time.Now.
	Now func() time.Time
}

// Handler serves the API. Create it with New and mount it with Routes.
type Handler struct {
	now     func() time.Time
	svc     congdoan.Services
	log     *slog.Logger
	limiter *ratelimit.Limiter
	// probe matches paths regardless of method, so that the fallback can
	// tell "no such path" (404) from "wrong method" (405) in JSON.
	probe *http.ServeMux
	// query holds each route's documented query parameters; others are 400.
	query map[string][]string
}

// New returns a Handler over svc.
func New(svc congdoan.Services, opts Options) *Handler {
	h := &Handler{svc: svc, log: opts.Logger, limiter: opts.Limiter, probe: http.NewServeMux(), now: opts.Now}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.limiter == nil {
		h.limiter = ratelimit.New(10, 15*time.Minute)
	}
	var err error
	if h.query, err = documentedQuery(openAPIDoc); err != nil {
		// The document is embedded and checked by the tests: a broken one
		// is a build mistake, found at start-up.
		panic("api: " + err.Error())
	}
	seen := map[string]bool{}
	for _, rt := range routeTable {
		if !seen[rt.pattern] {
			seen[rt.pattern] = true
			h.probe.Handle(rt.pattern, http.NotFoundHandler())
		}
	}
	return h
}

// route is one API endpoint. The table below is the whole surface: Routes
// registers it, and the tests compare it with openapi.json and walk it as a
// grassroots officer.
type route struct {
	method  string
	pattern string // a ServeMux path pattern, also the OpenAPI path
	handle  func(h *Handler, w http.ResponseWriter, r *http.Request) error
	summary string // the OpenAPI operation summary, kept equal by a test
	public  bool   // no bearer token needed
}

// routeTable lists every route of the API. External clients depend on the
// paths: add, never rename.
var routeTable = []route{
	{"POST", "/api/v1/session", (*Handler).createSession, "Đăng nhập, nhận mã phiên (bearer token)", true},
	{"DELETE", "/api/v1/session", (*Handler).deleteSession, "Đăng xuất, huỷ mã phiên đang dùng", false},
	{"GET", "/api/v1/me", (*Handler).me, "Tài khoản đang đăng nhập", false},
	{"POST", "/api/v1/me/password", (*Handler).changePassword, "Đổi mật khẩu của mình", false},
	{"GET", "/api/v1/users", (*Handler).listUsers, "Các tài khoản trong phạm vi quản lý", false},
	{"POST", "/api/v1/users", (*Handler).createUser, "Tạo tài khoản", false},
	{"PATCH", "/api/v1/users/{id}", (*Handler).updateUser, "Sửa, khóa hoặc mở khóa tài khoản", false},

	{"GET", "/api/v1/indicators", (*Handler).listIndicators, "Các chỉ tiêu kế hoạch của một đơn vị vào một ngày", false},
	{"GET", "/api/v1/indicators/{code}/records", (*Handler).indicatorRecords, "Danh sách hồ sơ đứng sau một chỉ tiêu", false},
	{"GET", "/api/v1/targets", (*Handler).listTargets, "Chỉ tiêu kế hoạch của một đơn vị", false},

	{"POST", "/api/v1/imports", (*Handler).createImport, "Nhập đoàn viên hoặc đơn vị sử dụng lao động từ tệp xlsx/csv", false},
	{"GET", "/api/v1/imports/{id}", (*Handler).getImport, "Kết quả một lần nhập tệp", false},
	{"POST", "/api/v1/reports", (*Handler).createReport, "Lập báo cáo kỳ của một đơn vị (nháp)", false},
	{"GET", "/api/v1/reports", (*Handler).listReports, "Báo cáo của một đơn vị và các đơn vị trực thuộc", false},
	{"GET", "/api/v1/reports/{id}", (*Handler).getReport, "Một báo cáo", false},
	{"DELETE", "/api/v1/reports/{id}", (*Handler).deleteReport, "Xóa báo cáo nháp", false},
	{"POST", "/api/v1/reports/{id}/submit", (*Handler).submitReport, "Gửi báo cáo lên cấp trên", false},
	{"POST", "/api/v1/reports/{id}/withdraw", (*Handler).withdrawReport, "Rút báo cáo đã gửi về nháp", false},
	{"POST", "/api/v1/reports/{id}/approve", (*Handler).approveReport, "Duyệt và chốt số liệu báo cáo", false},
	{"POST", "/api/v1/reports/{id}/return", (*Handler).returnReport, "Trả lại báo cáo cho đơn vị, kèm ý kiến", false},
	{"POST", "/api/v1/reports/{id}/reopen", (*Handler).reopenReport, "Mở lại báo cáo đã duyệt, kèm lý do", false},
	{"GET", "/api/v1/reports/{id}/verify", (*Handler).verifyReport, "Đối chiếu số liệu đã chốt với hiện tại", false},
	{"GET", "/api/v1/reports/{id}/download", (*Handler).downloadReport, "Tải báo cáo (PDF hoặc XLSX)", false},
	{"POST", "/api/v1/targets/{id}/allocations", (*Handler).allocateTarget, "Giao một phần chỉ tiêu cho đơn vị trực thuộc", false},

	{"GET", "/api/v1/units", (*Handler).topUnits, "Các đơn vị ở đỉnh phạm vi quản lý, hoặc tìm đơn vị theo tên hay mã", false},
	{"POST", "/api/v1/units", (*Handler).createUnit, "Lập đơn vị công đoàn mới", false},
	{"GET", "/api/v1/units/{code}", (*Handler).getUnit, "Một đơn vị, cấp trên, số liệu và các đơn vị trực thuộc", false},
	{"GET", "/api/v1/units/{code}/tree", (*Handler).unitTree, "Cây tổ chức dưới một đơn vị tại một ngày", false},
	{"GET", "/api/v1/units/{code}/history", (*Handler).unitHistory, "Lịch sử sắp xếp tổ chức của một đơn vị", false},
	{"POST", "/api/v1/units/{code}/move", (*Handler).moveUnit, "Chuyển đơn vị sang cấp trên khác", false},
	{"POST", "/api/v1/units/{code}/merge", (*Handler).mergeUnit, "Sáp nhập đơn vị vào đơn vị khác", false},
	{"POST", "/api/v1/units/{code}/dissolve", (*Handler).dissolveUnit, "Giải thể đơn vị", false},

	{"GET", "/api/v1/members", (*Handler).listMembers, "Tìm đoàn viên (dữ liệu cá nhân được che)", false},
	{"POST", "/api/v1/members", (*Handler).createMember, "Kết nạp đoàn viên", false},
	{"GET", "/api/v1/members/{id}", (*Handler).getMember, "Hồ sơ đoàn viên và các giai đoạn sinh hoạt", false},
	{"PATCH", "/api/v1/members/{id}", (*Handler).updateMember, "Sửa thông tin cá nhân của đoàn viên", false},
	{"POST", "/api/v1/members/{id}/transfer", (*Handler).transferMember, "Chuyển sinh hoạt công đoàn", false},
	{"POST", "/api/v1/members/{id}/leave", (*Handler).leaveMember, "Thôi sinh hoạt công đoàn", false},
	{"POST", "/api/v1/members/{id}/reveal", (*Handler).revealMember, "Xem dữ liệu cá nhân không che (được ghi nhật ký)", false},

	{"GET", "/api/v1/employers", (*Handler).listEmployers, "Tìm đơn vị sử dụng lao động", false},
	{"POST", "/api/v1/employers", (*Handler).createEmployer, "Thêm đơn vị sử dụng lao động", false},
	{"GET", "/api/v1/employers/{id}", (*Handler).getEmployer, "Một đơn vị sử dụng lao động", false},
	{"PATCH", "/api/v1/employers/{id}", (*Handler).updateEmployer, "Sửa đơn vị sử dụng lao động", false},

	{"GET", "/api/v1/agreements", (*Handler).listAgreements, "Tìm thỏa ước lao động tập thể", false},
	{"POST", "/api/v1/agreements", (*Handler).createAgreement, "Ghi nhận thỏa ước lao động tập thể", false},
	{"GET", "/api/v1/agreements/{id}", (*Handler).getAgreement, "Một thỏa ước lao động tập thể", false},
	{"PATCH", "/api/v1/agreements/{id}", (*Handler).updateAgreement, "Sửa thỏa ước lao động tập thể", false},

	{"GET", "/api/v1/audit", (*Handler).listAudit, "Nhật ký thay đổi (quản trị viên, LĐLĐ tỉnh)", false},
	{"GET", "/api/v1/audit/verify", (*Handler).verifyAudit, "Kiểm tra chuỗi nhật ký (quản trị viên)", false},

	{"GET", "/api/openapi.json", (*Handler).openAPI, "Tài liệu OpenAPI của API này", true},
}

// beforePasswordChange are the routes an account whose password someone
// else chose may use before changing it.
var beforePasswordChange = map[string]bool{
	"GET /api/v1/me":           true,
	"POST /api/v1/me/password": true,
	"DELETE /api/v1/session":   true,
}

// Routes registers every route of the table on mux, plus a fallback under
// /api/ so that unknown paths and wrong methods also get JSON errors rather
// than the mux's plain text. /healthz belongs to the server.
func (h *Handler) Routes(mux *http.ServeMux) {
	for _, rt := range routeTable {
		mux.Handle(rt.method+" "+rt.pattern, h.endpoint(rt))
	}
	mux.HandleFunc("/api/", h.fallback)
}

// endpoint wraps a route: headers every answer carries, authentication of
// non-public routes, the refusal of query parameters the document does not
// list for the route, and one place where errors become JSON.
func (h *Handler) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Answers carry personal data and session tokens: no cache may keep them.
		w.Header().Set("Cache-Control", "no-store")
		if !rt.public {
			u, err := h.authenticate(r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if u.MustChangePassword && !beforePasswordChange[rt.method+" "+rt.pattern] {
				h.fail(w, r, congdoan.Errorf(congdoan.EFORBIDDEN, "Mật khẩu của tài khoản %s do người khác đặt: đổi mật khẩu (POST /api/v1/me/password) trước khi dùng API.", u.Username))
				return
			}
			r = r.WithContext(congdoan.NewContextWithUser(r.Context(), u))
		}
		// The document itself may be fetched with a cache-busting query.
		if rt.pattern != "/api/openapi.json" {
			if err := onlyParams(r, h.query[rt.method+" "+rt.pattern]...); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if err := rt.handle(h, w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// fallback answers requests under /api/ that match no route.
func (h *Handler) fallback(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if _, pat := h.probe.Handler(r); pat != "" {
		var allow []string
		for _, rt := range routeTable {
			if rt.pattern == pat {
				allow = append(allow, rt.method)
			}
		}
		slices.Sort(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		h.fail(w, r, &statusError{status: http.StatusMethodNotAllowed, err: congdoan.Errorf(codeMethodNotAllowed,
			"Đường dẫn %s không nhận phương thức %s; dùng %s.", r.URL.Path, r.Method, strings.Join(allow, ", "))})
		return
	}
	h.fail(w, r, congdoan.Errorf(congdoan.ENOTFOUND, "Không có API %s %s; xem danh sách tại /api/openapi.json.", r.Method, r.URL.Path))
}

// bearerToken returns the token of an "Authorization: Bearer …" header, or "".
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// authenticate returns the user of the request's bearer token.
func (h *Handler) authenticate(r *http.Request) (*congdoan.User, error) {
	token := bearerToken(r)
	if token == "" {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập: gửi mã phiên trong tiêu đề Authorization: Bearer <mã>, lấy bằng POST /api/v1/session.")
	}
	return h.svc.Users.FindSession(r.Context(), token)
}
