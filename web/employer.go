package web

import (
	"net/http"
	"net/url"
	"strconv"

	"congdoan"
	"congdoan/internal/httpx"
	"congdoan/vntext"
)

// employerPageSize is the employer list's page.
const employerPageSize = 50

// organisingThreshold is the plan's "enterprises with ≥ 15 workers should
// have a grassroots union" (Bắc Kạn 61-KH/TU); the preset link lists those
// that have none yet.
const organisingThreshold = 15

// employerFilterForm holds the list filters as typed.
type employerFilterForm struct {
	Q, Unit, MinWorkers, HasUnion, Sector, Status string
}

// employerListView is the employer list.
type employerListView struct {
	Page
	F         employerFilterForm
	Employers []*congdoan.Employer
	Paging    paging
	Sectors   []congdoan.Sector
	CanCreate bool
	PresetURL string
	PresetOn  bool
}

func (h *Handler) employerList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	v := &employerListView{Page: h.page(w, r, "employers.title", "employers"), Sectors: congdoan.Sectors,
		CanCreate: userOf(ctx).CanManageEmployers()}
	v.F = employerFilterForm{Q: q.Get("q"), Unit: q.Get("unit"), MinWorkers: q.Get("min_workers"), HasUnion: q.Get("has_union"),
		Sector: q.Get("sector"), Status: q.Get("status")}
	preset := url.Values{"min_workers": {strconv.Itoa(organisingThreshold)}, "has_union": {"no"}}
	if v.F.Unit != "" {
		preset.Set("unit", v.F.Unit)
	}
	v.PresetURL = "/employers?" + preset.Encode()
	v.PresetOn = v.F.MinWorkers == strconv.Itoa(organisingThreshold) && v.F.HasUnion == "no"

	unit := h.filterUnit(ctx, &v.Page, v.F.Unit)
	if unit != "" {
		v.F.Unit = unit
	}
	filter := congdoan.EmployerFilter{Query: v.F.Q, Unit: unit, Sector: congdoan.Sector(v.F.Sector), Limit: employerPageSize, Offset: offsetParam(r)}
	local := congdoan.Validation{}
	if v.F.MinWorkers != "" {
		n, err := strconv.Atoi(vntext.NormalizeDigits(v.F.MinWorkers))
		if err != nil || n < 0 {
			local.Add("min_workers", tr(v.Lang, "v.number"))
		}
		filter.MinWorkers = n
	}
	switch v.F.HasUnion {
	case "yes", "no":
		b := v.F.HasUnion == "yes"
		filter.HasUnion = &b
	}
	if filter.Sector != "" && !filter.Sector.Valid() {
		filter.Sector, v.F.Sector = "", ""
	}
	switch congdoan.EmployerStatus(v.F.Status) {
	case congdoan.EmployerPaused, congdoan.EmployerClosed, "all":
		filter.Status = v.F.Status
	default:
		v.F.Status = ""
	}
	status := http.StatusOK
	var total int
	err := local.Err()
	if err == nil {
		v.Employers, total, err = h.svc.Employers.FindEmployers(ctx, filter)
	}
	if err != nil {
		msg, fields, ok := formError(err)
		if !ok || congdoan.ErrorCode(err) != congdoan.EINVALID {
			h.fail(w, r, err) // a unit outside the scope is the 404
			return
		}
		v.Error, v.Errors, status = msg, fields, httpx.Status(err)
	}
	v.Paging = newPaging("paging.employers", q, "/employers", filter.Offset, employerPageSize, len(v.Employers), total)
	v.linkable = h.unitCodes(ctx)
	h.render(w, r, status, "employers.html", v)
}

// employerView is the employer page.
type employerView struct {
	Page
	Employer *congdoan.Employer
	CanEdit  bool
	CanFound bool
}

func (h *Handler) employerPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := h.loadEmployer(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u := userOf(ctx)
	v := &employerView{Page: h.page(w, r, "", "employers"), Employer: e, CanEdit: u.CanManageEmployers()}
	v.Title = e.Name
	v.linkable = h.unitCodes(ctx)
	// Founding a union is the organising plan's goal for an employer
	// without one; upper officers do it under the responsible unit.
	v.CanFound = !e.HasUnion() && e.Status == congdoan.EmployerActive && isUpper(u) && v.Linked(e.UnitCode)
	h.render(w, r, http.StatusOK, "employer.html", v)
}

func (h *Handler) loadEmployer(r *http.Request) (*congdoan.Employer, error) {
	id, ok := pathID(r)
	if !ok {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy đơn vị sử dụng lao động.")
	}
	return h.svc.Employers.FindEmployerByID(r.Context(), id)
}

// employerForm holds an employer's fields as typed.
type employerForm struct {
	TaxCode, Name, Sector, Industry, CommuneCode, Status string
	WorkersTotal, WorkersFemale, HeadcountAsOf, UnitCode string
}

// employerFormView is the create and edit form.
type employerFormView struct {
	Page
	Employer  *congdoan.Employer // nil when creating
	Action    string
	Form      employerForm
	Address   string
	SplitInto string // the new communes to choose from, when the code is of a former commune split on 1/7/2025
	Sectors   []congdoan.Sector
	Statuses  []congdoan.EmployerStatus
}

func (h *Handler) newEmployerFormView(w http.ResponseWriter, r *http.Request, e *congdoan.Employer) *employerFormView {
	v := &employerFormView{Page: h.page(w, r, "empform.title_new", "employers"), Employer: e, Action: "/employers",
		Sectors: congdoan.Sectors, Statuses: []congdoan.EmployerStatus{congdoan.EmployerActive, congdoan.EmployerPaused, congdoan.EmployerClosed}}
	if e != nil {
		v.Title = tr(v.Lang, "empform.title_edit")
		v.Action = "/employers/" + strconv.FormatInt(e.ID, 10) + "/edit"
	}
	return v
}

// upperUnits suggests the units that can be responsible for employers:
// the upper levels.

func (h *Handler) employerNewForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userOf(ctx)
	if !u.CanManageEmployers() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	unit := r.URL.Query().Get("unit")
	if unit != "" {
		// Same rule as the member form: a preselected unit must be one the
		// user can open.
		if _, err := h.svc.Units.FindUnitByCode(ctx, unit); err != nil {
			h.fail(w, r, err)
			return
		}
	} else {
		unit = u.UnitCode
	}
	v := h.newEmployerFormView(w, r, nil)
	v.Form = employerForm{Status: string(congdoan.EmployerActive), UnitCode: unit, HeadcountAsOf: h.today().VN()}
	h.render(w, r, http.StatusOK, "employer_form.html", v)
}

func (h *Handler) employerCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newEmployerFormView(w, r, nil)
	h.saveEmployer(w, r, v, func(in congdoan.EmployerInput) (*congdoan.Employer, error) {
		return h.svc.Employers.CreateEmployer(r.Context(), in)
	}, "flash.employer_created")
}

func (h *Handler) employerEditForm(w http.ResponseWriter, r *http.Request) {
	e, err := h.loadEmployer(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !userOf(r.Context()).CanManageEmployers() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	v := h.newEmployerFormView(w, r, e)
	v.Form = employerForm{TaxCode: e.TaxCode, Name: e.Name, Sector: string(e.Sector), Industry: e.Industry, CommuneCode: e.CommuneCode,
		Status: string(e.Status), WorkersTotal: strconv.Itoa(e.WorkersTotal), WorkersFemale: strconv.Itoa(e.WorkersFemale),
		HeadcountAsOf: h.today().VN(), UnitCode: e.UnitCode}
	v.Address, v.SplitInto = h.address(e.CommuneCode), h.splitInto(e.CommuneCode)
	h.render(w, r, http.StatusOK, "employer_form.html", v)
}

func (h *Handler) employerUpdate(w http.ResponseWriter, r *http.Request) {
	e, err := h.loadEmployer(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newEmployerFormView(w, r, e)
	h.saveEmployer(w, r, v, func(in congdoan.EmployerInput) (*congdoan.Employer, error) {
		return h.svc.Employers.UpdateEmployer(r.Context(), e.ID, in)
	}, "flash.employer_updated")
}

// saveEmployer reads the form into v, converts the numbers and the date,
// and saves; success goes to the employer's page.
func (h *Handler) saveEmployer(w http.ResponseWriter, r *http.Request, v *employerFormView,
	save func(congdoan.EmployerInput) (*congdoan.Employer, error), flashKey string) {
	if !userOf(r.Context()).CanManageEmployers() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	f := employerForm{TaxCode: formValue(r, "tax_code"), Name: formValue(r, "name"), Sector: formValue(r, "sector"),
		Industry: formValue(r, "industry"), CommuneCode: formValue(r, "commune_code"), Status: formValue(r, "status"),
		WorkersTotal: formValue(r, "workers_total"), WorkersFemale: formValue(r, "workers_female"),
		HeadcountAsOf: formValue(r, "headcount_as_of"), UnitCode: formValue(r, "unit_code")}
	local := congdoan.Validation{}
	f.UnitCode = h.resolveUnit(r.Context(), local, "unit_code", f.UnitCode, congdoan.ForUpper, langOf(r))
	v.Form = f
	v.Address, v.SplitInto = h.address(f.CommuneCode), h.splitInto(f.CommuneCode)
	in := congdoan.EmployerInput{TaxCode: f.TaxCode, Name: f.Name, Sector: congdoan.Sector(f.Sector), Industry: f.Industry,
		CommuneCode: f.CommuneCode, Status: congdoan.EmployerStatus(f.Status), UnitCode: f.UnitCode}
	number := func(field, s string) int {
		if s == "" {
			return 0
		}
		// Officers write thousands with dots ("1.200"), as on paper.
		n, err := strconv.Atoi(vntext.NormalizeDigits(s))
		if err != nil || n < 0 {
			local.Add(field, tr(v.Lang, "v.number"))
		}
		return n
	}
	in.WorkersTotal = number("workers_total", f.WorkersTotal)
	in.WorkersFemale = number("workers_female", f.WorkersFemale)
	in.HeadcountAsOf = parseDateInto(local, "headcount_as_of", f.HeadcountAsOf)
	var err error
	if len(local) > 0 {
		// Show the domain's messages for the other fields at the same time.
		for k, m := range in.Validate(h.today()) {
			local.Add(k, m)
		}
		err = local.Err()
	}
	var e *congdoan.Employer
	if err == nil {
		e, err = save(in)
	}
	if err == nil {
		h.redirect(w, r, "/employers/"+strconv.FormatInt(e.ID, 10), flashKey)
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v.Error, v.Errors = msg, fields
	h.render(w, r, httpx.Status(err), "employer_form.html", v)
}
