package web

import (
	"errors"
	"net/http"
	"strconv"

	"congdoan"
	"congdoan/importer"
	"congdoan/internal/httpx"
)

// Imports in the UI: an officer uploads a member or employer list, checks
// it first (nothing written, every row's problem listed by row and column)
// and then imports it — all or nothing, or the good rows only. The same
// reading (package importer) and the same writing (ImportService) as
// `congdoan import` and POST /api/v1/imports.

// importForm is the upload form as filled in.
type importForm struct {
	Kind, UnitCode string
	Partial        bool
}

// importView is the upload form and, after a submit, the result.
type importView struct {
	Page
	Form     importForm
	Kinds    []string
	Result   *congdoan.ImportResult
	Notes    []string
	Warnings []string
	Checked  bool // the result is of a check (nothing written)
	Refused  int  // rows with an error (a row may have several)
}

func (h *Handler) newImportView(w http.ResponseWriter, r *http.Request) *importView {
	return &importView{Page: h.page(w, r, "import.title", "members"), Kinds: []string{"members", "employers"}, Form: importForm{Kind: "members"}}
}

// importNew is GET /imports/new.
func (h *Handler) importNew(w http.ResponseWriter, r *http.Request) {
	u := userOf(r.Context())
	if !u.CanWriteMembers() {
		h.fail(w, r, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền nhập dữ liệu."))
		return
	}
	v := h.newImportView(w, r)
	if k, ok := importer.ImportKind(r.URL.Query().Get("kind")); ok {
		v.Form.Kind = string(k)
	}
	h.render(w, r, http.StatusOK, "import.html", v)
}

// importPost is POST /imports (multipart: kind, unit_code, file, partial,
// action=check|import): a check reports and writes nothing; an import
// writes and shows its record.
func (h *Handler) importPost(w http.ResponseWriter, r *http.Request) {
	v := h.newImportView(w, r)
	fail := func(status int, field, msg string) {
		v.Errors = map[string]string{field: msg}
		h.render(w, r, status, "import.html", v)
	}
	r.Body = http.MaxBytesReader(w, r.Body, importer.DefaultMaxSize+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			fail(http.StatusRequestEntityTooLarge, "file", tr(v.Lang, "import.too_large"))
			return
		}
		fail(http.StatusUnprocessableEntity, "file", tr(v.Lang, "import.no_file"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	v.Form = importForm{Kind: formValue(r, "kind"), UnitCode: formValue(r, "unit_code"), Partial: formValue(r, "partial") != ""}
	kind, ok := importer.ImportKind(v.Form.Kind)
	if !ok {
		fail(http.StatusUnprocessableEntity, "kind", tr(v.Lang, "import.bad_kind"))
		return
	}
	picked := congdoan.Validation{}
	v.Form.UnitCode = h.resolveUnit(r.Context(), picked, "unit_code", v.Form.UnitCode, congdoan.ForActive, v.Lang)
	if msg, bad := picked["unit_code"]; bad {
		fail(http.StatusUnprocessableEntity, "unit_code", msg)
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		fail(http.StatusUnprocessableEntity, "file", tr(v.Lang, "import.no_file"))
		return
	}
	defer file.Close()
	rd, err := importer.Open(header.Filename, file, header.Size, importer.Options{})
	if err != nil {
		fail(http.StatusUnprocessableEntity, "file", congdoan.ErrorMessage(err))
		return
	}
	defer rd.Close()
	col, err := importer.Collect(rd, importer.Converter{Mapping: importer.Mapping{Kind: kind}, Today: h.today(), UnitCode: v.Form.UnitCode}, false)
	if err != nil {
		var fe *importer.FileError
		if errors.As(err, &fe) {
			fail(http.StatusUnprocessableEntity, "file", fe.Message)
			return
		}
		h.fail(w, r, err)
		return
	}
	v.Checked = formValue(r, "action") != "import"
	res, err := col.Import(r.Context(), h.svc.Imports, congdoan.ImportOptions{File: header.Filename, DryRun: v.Checked, Partial: v.Form.Partial})
	if err != nil {
		if msg, fields, ok := formError(err); ok {
			v.Error, v.Errors = msg, fields
			h.render(w, r, httpx.Status(err), "import.html", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	v.Result, v.Notes, v.Warnings, v.Refused = res, col.Summary.Notes, col.Warnings, congdoan.RefusedRows(res.Errors)
	h.render(w, r, http.StatusOK, "import.html", v)
}

// importPage is GET /imports/{id}: an import's record.
func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	res, err := h.svc.Imports.FindImport(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newImportView(w, r)
	v.Result, v.Checked, v.Refused = res, res.Status == congdoan.ImportDryRun, congdoan.RefusedRows(res.Errors)
	v.Form.Kind = string(res.Kind)
	v.Title = tr(v.Lang, "import.title") + " · " + strconv.FormatInt(id, 10)
	h.render(w, r, http.StatusOK, "import.html", v)
}
