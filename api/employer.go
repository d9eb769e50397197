package api

import (
	"net/http"
	"strconv"
	"strings"

	"congdoan"
)

func (h *Handler) listEmployers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := congdoan.EmployerFilter{Unit: q.Get("unit"), Query: q.Get("q"), Sector: congdoan.Sector(strings.TrimSpace(q.Get("sector")))}
	var err error
	if f.Limit, f.Offset, err = paging(r); err != nil {
		return err
	}
	if f.MinWorkers, err = queryInt(r, "min_workers"); err != nil {
		return err
	}
	switch s := q.Get("has_union"); s {
	case "":
	case "true", "false":
		b := s == "true"
		f.HasUnion = &b
	default:
		return congdoan.FieldError("has_union", "Tham số has_union phải là true (đã có công đoàn cơ sở) hoặc false (chưa có), đang là "+strconv.Quote(s)+".")
	}
	if f.Sector != "" && !f.Sector.Valid() {
		return congdoan.FieldError("sector", "Tham số sector phải là một trong: state, non_state, fdi, public_unit, admin_agency, cooperative, other.")
	}
	switch f.Status = q.Get("status"); congdoan.EmployerStatus(f.Status) {
	case "", "all", congdoan.EmployerActive, congdoan.EmployerPaused, congdoan.EmployerClosed:
	default:
		return congdoan.FieldError("status", "Tham số status phải là active, paused, closed hoặc all.")
	}
	es, total, err := h.svc.Employers.FindEmployers(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[*congdoan.Employer]{Total: total, Items: nonNil(es)})
	return nil
}

func (h *Handler) createEmployer(w http.ResponseWriter, r *http.Request) error {
	var in congdoan.EmployerInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := h.svc.Employers.CreateEmployer(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/employers/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (h *Handler) getEmployer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := h.svc.Employers.FindEmployerByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// employerPatch is the body of PATCH /api/v1/employers/{id}: absent (or
// null) fields keep their current value.
type employerPatch struct {
	TaxCode       *string          `json:"tax_code"`
	Name          *string          `json:"name"`
	Sector        *congdoan.Sector `json:"sector"`
	Industry      *string          `json:"industry"`
	CommuneCode   *string          `json:"commune_code"`
	Status        *string          `json:"status"`
	WorkersTotal  *int             `json:"workers_total"`
	WorkersFemale *int             `json:"workers_female"`
	HeadcountAsOf *congdoan.Date   `json:"headcount_as_of"`
	UnitCode      *string          `json:"unit_code"`
}

// apply returns the full input UpdateEmployer needs: the current employer
// with the patch's fields replaced.
func (p employerPatch) apply(e *congdoan.Employer) congdoan.EmployerInput {
	in := congdoan.EmployerInput{TaxCode: e.TaxCode, Name: e.Name, Sector: e.Sector, Industry: e.Industry, CommuneCode: e.CommuneCode,
		Status: e.Status, WorkersTotal: e.WorkersTotal, WorkersFemale: e.WorkersFemale, HeadcountAsOf: e.HeadcountAsOf, UnitCode: e.UnitCode}
	set := func(dst, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.TaxCode, p.TaxCode)
	set(&in.Name, p.Name)
	set(&in.Industry, p.Industry)
	set(&in.CommuneCode, p.CommuneCode)
	if p.Status != nil {
		in.Status = congdoan.EmployerStatus(*p.Status)
	}
	set(&in.UnitCode, p.UnitCode)
	if p.Sector != nil {
		in.Sector = *p.Sector
	}
	if p.WorkersTotal != nil {
		in.WorkersTotal = *p.WorkersTotal
	}
	if p.WorkersFemale != nil {
		in.WorkersFemale = *p.WorkersFemale
	}
	switch {
	case p.HeadcountAsOf != nil:
		in.HeadcountAsOf = *p.HeadcountAsOf
	case in.WorkersTotal != e.WorkersTotal || in.WorkersFemale != e.WorkersFemale:
		// New figures without a date are today's; keeping the old date
		// would overwrite the previous headcount and lose its history.
		in.HeadcountAsOf = congdoan.Date{}
	}
	return in
}

func (h *Handler) updateEmployer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var p employerPatch
	if err := decode(w, r, &p); err != nil {
		return err
	}
	// Load and update are two calls, not one transaction: a concurrent edit
	// of another field in between is overwritten with the value read here.
	cur, err := h.svc.Employers.FindEmployerByID(r.Context(), id)
	if err != nil {
		return err
	}
	e, err := h.svc.Employers.UpdateEmployer(r.Context(), id, p.apply(cur))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
