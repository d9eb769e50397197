package api

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/importer"
)

// createImport is POST /api/v1/imports (multipart/form-data: kind,
// unit_code, file, dry_run, partial): the file is read and imported now,
// and the answer is the import's record — the same as GET
// /api/v1/imports/{id} gives later.
func (h *Handler) createImport(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, importer.DefaultMaxSize+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if isTooLarge(err) {
			return &statusError{status: http.StatusRequestEntityTooLarge, err: congdoan.Errorf(codeTooLarge,
				"Tệp quá lớn: tối đa %d MB; chia tệp thành nhiều tệp nhỏ hơn.", importer.DefaultMaxSize>>20)}
		}
		return &statusError{status: http.StatusBadRequest, err: congdoan.Errorf(congdoan.EINVALID,
			"Cần gửi dạng multipart/form-data với các trường kind, file (và unit_code, dry_run, partial nếu cần).")}
	}
	defer r.MultipartForm.RemoveAll()
	for name := range r.MultipartForm.Value {
		switch name {
		case "kind", "unit_code", "dry_run", "partial", "sheet":
		default:
			return &statusError{status: http.StatusBadRequest, err: &congdoan.Error{Code: congdoan.EINVALID,
				Message: "Trường " + strconv.Quote(name) + " không có trong API này.", Fields: map[string]string{name: "Trường không có trong API này."}}}
		}
	}
	kind, ok := importer.ImportKind(r.FormValue("kind"))
	if !ok {
		return congdoan.FieldError("kind", "Loại dữ liệu nhập phải là members (đoàn viên) hoặc employers (đơn vị sử dụng lao động).")
	}
	flag := func(name string) (bool, error) {
		switch strings.ToLower(r.FormValue(name)) {
		case "", "false", "0":
			return false, nil
		case "true", "1":
			return true, nil
		}
		return false, congdoan.FieldError(name, name+" phải là true hoặc false.")
	}
	dry, err := flag("dry_run")
	if err != nil {
		return err
	}
	partial, err := flag("partial")
	if err != nil {
		return err
	}
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return congdoan.FieldError("file", "Cần tệp .xlsx hoặc .csv trong trường file.")
	} else if err != nil {
		return err
	}
	defer file.Close()
	rd, err := openUpload(file, header, r.FormValue("sheet"))
	if err != nil {
		return err
	}
	defer rd.Close()
	today := congdoan.DateOf(h.now().In(congdoan.VietnamTime))
	col, err := importer.Collect(rd, importer.Converter{Mapping: importer.Mapping{Kind: kind}, Today: today, UnitCode: r.FormValue("unit_code")}, false)
	if err != nil {
		return fileError(err)
	}
	res, err := col.Import(r.Context(), h.svc.Imports, congdoan.ImportOptions{File: header.Filename, DryRun: dry, Partial: partial})
	if err != nil {
		return err
	}
	res.Progress = 1
	w.Header().Set("Location", "/api/v1/imports/"+strconv.FormatInt(res.ID, 10))
	writeJSON(w, http.StatusCreated, res)
	return nil
}

func openUpload(f multipart.File, h *multipart.FileHeader, sheet string) (*importer.Reader, error) {
	rd, err := importer.Open(h.Filename, f, h.Size, importer.Options{Sheet: sheet})
	if err != nil {
		return nil, fileError(err)
	}
	return rd, nil
}

// fileError is a file the importer cannot read: 422 on the file field,
// with its message (not a spreadsheet, a wrong sheet, missing columns …).
func fileError(err error) error {
	var fe *importer.FileError
	if errors.As(err, &fe) {
		return congdoan.FieldError("file", fe.Message)
	}
	return err
}

// getImport is GET /api/v1/imports/{id}.
func (h *Handler) getImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := h.svc.Imports.FindImport(r.Context(), id)
	if err != nil {
		return err
	}
	res.Progress = 1
	writeJSON(w, http.StatusOK, res)
	return nil
}
