package web

import (
	"net/http"
	"net/url"
	"strconv"

	"congdoan"
	"congdoan/internal/httpx"
)

// treeView is the union tree page.
type treeView struct {
	Page
	DateInput string
	AsOf      congdoan.Date
	Past      bool
	Trees     []*congdoan.Unit
}

// unitTree shows the tree of the user's scope, today or as of ?date=, so
// the 2025 restructuring can be compared before and after.
func (h *Handler) unitTree(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := &treeView{Page: h.page(w, r, "units.title", "units"), AsOf: h.today()}
	status := http.StatusOK
	var asOf congdoan.Date
	if s := r.URL.Query().Get("date"); s != "" {
		v.DateInput = s
		if d, err := congdoan.ParseDate(s); err != nil {
			v.Errors = map[string]string{"date": congdoan.ErrorMessage(err)}
			status = http.StatusUnprocessableEntity
		} else {
			asOf = d
		}
	}
	// The tops of the date's tree: before the 2025 merger, Bắc Kạn's
	// federation stood beside Thái Nguyên's.
	tops, err := h.svc.Units.TopUnitsOn(ctx, asOf)
	if msg, fields, ok := formError(err); ok && fields["date"] != "" && !asOf.IsZero() {
		v.Errors, status, asOf = map[string]string{"date": msg}, http.StatusUnprocessableEntity, congdoan.Date{}
		tops, err = h.svc.Units.TopUnits(ctx)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, top := range tops {
		// Two levels; the page opens the deeper ones on demand
		// (unitChildren), so a province of a thousand units is not one
		// page of a thousand rows.
		tree, err := h.svc.Units.UnitTree(ctx, top.Code, asOf, 1)
		if msg, fields, ok := formError(err); ok && fields["date"] != "" && !asOf.IsZero() {
			// A date in the future: say so and show today's tree instead.
			v.Errors, status, asOf = map[string]string{"date": msg}, http.StatusUnprocessableEntity, congdoan.Date{}
			tree, err = h.svc.Units.UnitTree(ctx, top.Code, asOf, 1)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Trees = append(v.Trees, tree)
	}
	if !asOf.IsZero() {
		v.AsOf, v.Past = asOf, asOf.Before(h.today())
		v.DateInput = asOf.VN()
	}
	h.render(w, r, status, "units.html", v)
}

// unitChildren answers the tree's rows under one unit (?date= as the
// tree page), for the toggle that opens them.
func (h *Handler) unitChildren(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var asOf congdoan.Date
	if s := r.URL.Query().Get("date"); s != "" {
		d, err := congdoan.ParseDate(s)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		asOf = d
	}
	tree, err := h.svc.Units.UnitTree(ctx, r.PathValue("code"), asOf, 1)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := &treeView{Page: h.page(w, r, "units.title", "units"), Trees: []*congdoan.Unit{tree}}
	h.renderTemplate(w, r, http.StatusOK, "units.html", "children", v)
}

// actionForm is one restructuring form on the unit page.
type actionForm struct {
	Target, On, Note, Error string
	Errors                  map[string]string
}

// unitView is the unit page.
type unitView struct {
	Page
	Unit           *congdoan.Unit
	Address        string
	Employers      []*congdoan.Employer
	EmployersTotal int
	unitAgreements
	ShowMembers    bool
	Members        []*congdoan.Member
	MembersTotal   int
	History        []*congdoan.UnitEvent
	CanAdd         bool
	CanAdmit       bool
	CanRestructure bool
	CanDissolve    bool
	Move           actionForm
	Merge          actionForm
	Dissolve       actionForm
}

// loadUnit gathers everything the unit page shows. An error here is the
// page's error: ENOTFOUND for a unit outside the scope.
func (h *Handler) loadUnit(w http.ResponseWriter, r *http.Request) (*unitView, error) {
	ctx := r.Context()
	u := userOf(ctx)
	code := r.PathValue("code")
	unit, err := h.svc.Units.FindUnitByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	v := &unitView{Page: h.page(w, r, "", "units"), Unit: unit, Address: h.address(unit.CommuneCode)}
	v.Title = unit.Name
	if v.Employers, v.EmployersTotal, err = h.svc.Employers.FindEmployers(ctx, congdoan.EmployerFilter{Unit: unit.Code, Limit: 10}); err != nil {
		return nil, err
	}
	if u.CanReadPersonalData() {
		v.ShowMembers = true
		if v.Members, v.MembersTotal, err = h.svc.Members.FindMembers(ctx, congdoan.MemberFilter{Unit: unit.Code, Limit: 10}); err != nil {
			return nil, err
		}
	}
	if v.History, err = h.svc.Units.UnitHistory(ctx, unit.Code); err != nil {
		return nil, err
	}
	if v.unitAgreements, err = h.loadUnitAgreements(ctx, unit); err != nil {
		return nil, err
	}
	if unit.Counts == nil {
		unit.Counts = &congdoan.Counts{}
	}
	v.CanAdd = unit.Active() && len(childKinds(u, unit.Kind)) > 0
	v.CanAdmit = unit.Active() && u.CanWriteMembers() && unit.Kind.HoldsMembers()
	// The store refuses restructuring the user's own root; hide what
	// would only fail.
	v.CanRestructure = unit.Active() && isUpper(u) && unit.Code != u.UnitCode
	v.CanDissolve = unit.Counts.Members == 0 && unit.Counts.Children == 0
	today := h.today().VN()
	v.Move.On, v.Merge.On, v.Dissolve.On = today, today, today
	v.linkable = h.unitCodes(ctx)
	return v, nil
}

// childKinds lists the kinds user may create under a unit of kind parent.
func childKinds(u *congdoan.User, parent congdoan.UnitKind) []congdoan.UnitKind {
	if !u.CanManageUnits() {
		return nil
	}
	var out []congdoan.UnitKind
	for _, k := range congdoan.UnitKinds {
		if !k.CanParent(parent) {
			continue
		}
		if u.Role == congdoan.RoleGrassrootsOfficer && k != congdoan.KindSection && k != congdoan.KindGroup {
			continue
		}
		out = append(out, k)
	}
	return out
}

func (h *Handler) unitPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.loadUnit(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "unit.html", v)
}

// restructure runs one restructuring action from the unit page and either
// redirects back with a message or re-renders the page with the form's
// errors.
func (h *Handler) restructure(w http.ResponseWriter, r *http.Request, targetField string, pick func(*unitView) *actionForm,
	do func(code, target string, on congdoan.Date, note string) error, flashKey string) {
	code := r.PathValue("code")
	if !isUpper(userOf(r.Context())) {
		// Refused by role, but a unit outside the scope is still the 404:
		// the answer must not tell which codes exist.
		if _, err := h.svc.Units.FindUnitByCode(r.Context(), code); err != nil {
			h.fail(w, r, err)
			return
		}
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	form := actionForm{Errors: map[string]string{}}
	var err error
	if err = parseForm(w, r); err == nil {
		form.Target, form.On, form.Note = formValue(r, targetField), formValue(r, "on"), formValue(r, "note")
		if targetField != "" {
			purpose := congdoan.ForActive
			if targetField == "parent_code" {
				purpose = congdoan.ForUpper
			}
			picked := congdoan.Validation{}
			form.Target = h.resolveUnit(r.Context(), picked, targetField, form.Target, purpose, langOf(r))
			err = picked.Err()
		}
		var on congdoan.Date
		if err == nil && form.On != "" {
			if on, err = congdoan.ParseDate(form.On); err != nil {
				err = congdoan.FieldError("on", congdoan.ErrorMessage(err))
			}
		}
		if err == nil {
			err = do(code, form.Target, on, form.Note)
		}
	}
	if err == nil {
		h.redirect(w, r, "/units/"+url.PathEscape(code), flashKey)
		return
	}
	// Reload the page first: for a unit outside the scope this is the
	// 404, whatever the action's own error said (a refusal by role must
	// not confirm that the unit exists).
	v, lerr := h.loadUnit(w, r)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	form.Error = msg
	for k, m := range fields {
		form.Errors[k] = m
	}
	*pick(v) = form
	h.render(w, r, httpx.Status(err), "unit.html", v)
}

func (h *Handler) unitMove(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h.restructure(w, r, "parent_code", func(v *unitView) *actionForm { return &v.Move },
		func(code, target string, on congdoan.Date, note string) error {
			return h.svc.Units.MoveUnit(ctx, code, target, on, note)
		}, "flash.unit_moved")
}

func (h *Handler) unitMerge(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h.restructure(w, r, "into", func(v *unitView) *actionForm { return &v.Merge },
		func(code, target string, on congdoan.Date, note string) error {
			return h.svc.Units.MergeUnits(ctx, code, target, on, note)
		}, "flash.unit_merged")
}

func (h *Handler) unitDissolve(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h.restructure(w, r, "", func(v *unitView) *actionForm { return &v.Dissolve },
		func(code, _ string, on congdoan.Date, note string) error {
			return h.svc.Units.DissolveUnit(ctx, code, on, note)
		}, "flash.unit_dissolved")
}

// unitForm holds the fields of a new unit as typed.
type unitForm struct {
	Code, Name, Kind, EmployerID, CommuneCode, FoundedOn, Note string
}

// unitNewView is the form for a unit under Parent.
type unitNewView struct {
	Page
	Parent    *congdoan.Unit
	Kinds     []congdoan.UnitKind
	Employers []*congdoan.Employer
	Form      unitForm
}

// newUnitView loads the parent (the 404 for a parent outside the scope) and
// what the form offers: the kinds the user may create there, and for
// grassroots unions the employers of the area that have none yet.
func (h *Handler) newUnitView(w http.ResponseWriter, r *http.Request) (*unitNewView, error) {
	ctx := r.Context()
	parent, err := h.svc.Units.FindUnitByCode(ctx, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	u := userOf(ctx)
	v := &unitNewView{Page: h.page(w, r, "unitnew.title", "units"), Parent: parent, Kinds: childKinds(u, parent.Kind)}
	if len(v.Kinds) == 0 || !parent.Active() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không thể lập đơn vị trực thuộc %s.", parent.Name)
	}
	for _, k := range v.Kinds {
		if k.IsGrassroots() {
			no := false
			v.Employers, _, err = h.svc.Employers.FindEmployers(ctx, congdoan.EmployerFilter{Unit: parent.Code, HasUnion: &no, Limit: 200})
			if err != nil {
				return nil, err
			}
			break
		}
	}
	return v, nil
}

func (h *Handler) unitNewForm(w http.ResponseWriter, r *http.Request) {
	v, err := h.newUnitView(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v.Form = unitForm{Kind: q.Get("kind"), EmployerID: q.Get("employer"), FoundedOn: h.today().VN()}
	if v.Form.Kind == "" && len(v.Kinds) > 0 {
		v.Form.Kind = string(v.Kinds[0])
	}
	if id, err := strconv.ParseInt(v.Form.EmployerID, 10, 64); err == nil {
		// Founding a union for a named employer: propose its name.
		for _, e := range v.Employers {
			if e.ID == id {
				v.Form.Name = "Công đoàn " + e.Name
				v.Form.CommuneCode = e.CommuneCode
			}
		}
	}
	h.render(w, r, http.StatusOK, "unit_new.html", v)
}

func (h *Handler) unitCreate(w http.ResponseWriter, r *http.Request) {
	v, err := h.newUnitView(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	f := unitForm{Code: formValue(r, "code"), Name: formValue(r, "name"), Kind: formValue(r, "kind"), EmployerID: formValue(r, "employer_id"),
		CommuneCode: formValue(r, "commune_code"), FoundedOn: formValue(r, "founded_on"), Note: formValue(r, "note")}
	v.Form = f
	in := congdoan.UnitInput{Code: f.Code, Name: f.Name, Kind: congdoan.UnitKind(f.Kind), ParentCode: v.Parent.Code,
		CommuneCode: f.CommuneCode, Note: f.Note}
	local := congdoan.Validation{}
	if f.EmployerID != "" {
		id, err := strconv.ParseInt(f.EmployerID, 10, 64)
		if err != nil || id <= 0 {
			local.Add("employer_id", tr(v.Lang, "v.choose_list"))
		}
		in.EmployerID = id
	}
	in.FoundedOn = parseDateInto(local, "founded_on", f.FoundedOn)
	err = local.Err()
	var created *congdoan.Unit
	if err == nil {
		created, err = h.svc.Units.CreateUnit(r.Context(), in)
	}
	if err == nil {
		h.redirect(w, r, "/units/"+url.PathEscape(created.Code), "flash.unit_created")
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v.Error, v.Errors = msg, fields
	h.render(w, r, httpx.Status(err), "unit_new.html", v)
}

// parseDateInto parses an optional dd/mm/yyyy field, recording a message
// in v when it is malformed; empty gives the zero date (the service's
// default, usually today).
func parseDateInto(v congdoan.Validation, field, s string) congdoan.Date {
	if s == "" {
		return congdoan.Date{}
	}
	d, err := congdoan.ParseDate(s)
	if err != nil {
		v.Add(field, congdoan.ErrorMessage(err))
	}
	return d
}
