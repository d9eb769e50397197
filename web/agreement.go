package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/internal/httpx"
)

// agreementPageSize is the agreement list's page.
const agreementPageSize = 50

// agreementRow is an agreement with its status on the day the page is about.
type agreementRow struct {
	*congdoan.Agreement
	Status congdoan.AgreementStatus
}

// agreementRows attaches each agreement's status on day.
func agreementRows(as []*congdoan.Agreement, day congdoan.Date) []agreementRow {
	out := make([]agreementRow, 0, len(as))
	for _, a := range as {
		out = append(out, agreementRow{Agreement: a, Status: a.StatusOn(day)})
	}
	return out
}

// agreementListView is the agreement list.
type agreementListView struct {
	Page
	Unit       string // as typed
	ValidOn    string // as typed; "" when listing every agreement
	All        bool   // no date filter
	On         congdoan.Date
	Agreements []agreementRow
	Paging     paging
	CanCreate  bool
	AllURL     string
	TodayURL   string
}

// agreementList lists the agreements in force on a day (today unless
// ?valid_on= says otherwise), soonest to expire first: the page doubles as
// the expiry alert. ?valid_on=all (or empty) lists every agreement, with
// its status today.
func (h *Handler) agreementList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	v := &agreementListView{Page: h.page(w, r, "agreements.title", "agreements"), Unit: strings.TrimSpace(q.Get("unit")),
		CanCreate: userOf(ctx).CanRecordAgreements(), On: h.today()}
	unit := h.filterUnit(ctx, &v.Page, v.Unit)
	if unit != "" {
		v.Unit = unit
	}
	filter := congdoan.AgreementFilter{Unit: unit, Limit: agreementPageSize, Offset: offsetParam(r)}
	local := congdoan.Validation{}
	switch s := strings.TrimSpace(q.Get("valid_on")); {
	case !q.Has("valid_on"):
		filter.ValidOn, v.ValidOn = v.On, v.On.VN()
	case s == "" || s == "all":
		v.All = true
	default:
		v.ValidOn = s
		if d := parseDateInto(local, "valid_on", s); !d.IsZero() {
			filter.ValidOn, v.On = d, d
		}
	}
	link := func(validOn string) string {
		u := url.Values{"valid_on": {validOn}}
		if v.Unit != "" {
			u.Set("unit", v.Unit)
		}
		return "/agreements?" + u.Encode()
	}
	v.AllURL, v.TodayURL = link("all"), link(h.today().VN())
	status := http.StatusOK
	var as []*congdoan.Agreement
	var total int
	err := local.Err()
	if err == nil {
		as, total, err = h.svc.Agreements.FindAgreements(ctx, filter)
	}
	if err != nil {
		msg, fields, ok := formError(err)
		if !ok || congdoan.ErrorCode(err) != congdoan.EINVALID {
			h.fail(w, r, err) // a unit outside the scope is the 404
			return
		}
		v.Error, v.Errors, status = msg, fields, httpx.Status(err)
	}
	v.Agreements = agreementRows(as, v.On)
	// Paging keeps "all" explicit: an empty valid_on would be dropped from
	// the links and the next page would fall back to today.
	base := url.Values{"unit": {v.Unit}, "valid_on": {v.ValidOn}}
	if v.All {
		base.Set("valid_on", "all")
	}
	v.Paging = newPaging("paging.agreements", base, "/agreements", filter.Offset, agreementPageSize, len(as), total)
	v.linkable = h.unitCodes(ctx)
	h.render(w, r, status, "agreements.html", v)
}

// agreementView is the agreement page.
type agreementView struct {
	Page
	Agreement *congdoan.Agreement
	Status    congdoan.AgreementStatus
	CanEdit   bool
}

func (h *Handler) agreementPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.loadAgreement(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := &agreementView{Page: h.page(w, r, "", "agreements"), Agreement: a, Status: a.StatusOn(h.today()),
		CanEdit: userOf(ctx).CanRecordAgreements()}
	v.Title = a.Kind.Label(v.Lang) + " — " + a.UnitName
	v.linkable = h.unitCodes(ctx)
	h.render(w, r, http.StatusOK, "agreement.html", v)
}

func (h *Handler) loadAgreement(r *http.Request) (*congdoan.Agreement, error) {
	id, ok := pathID(r)
	if !ok {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy thỏa ước.")
	}
	return h.svc.Agreements.FindAgreementByID(r.Context(), id)
}

// agreementForm holds an agreement's fields as typed. The employer is not
// chosen on the form: it is the union's own unless the record says
// otherwise (set through the API), which the edit form carries along.
type agreementForm struct {
	UnitCode, EmployerID, Kind, SignedOn, ValidFrom, ValidTo, Quality, Note, RenewsID string
}

// agreementFormView is the create and edit form.
type agreementFormView struct {
	Page
	Agreement    *congdoan.Agreement // nil when creating
	Action       string
	Form         agreementForm
	UnitName     string // the union, when known
	EmployerName string // the union's employer, when known
	Kinds        []congdoan.AgreementKind
	Grades       []string
}

func (h *Handler) newAgreementFormView(w http.ResponseWriter, r *http.Request, a *congdoan.Agreement) *agreementFormView {
	v := &agreementFormView{Page: h.page(w, r, "agrform.title_new", "agreements"), Agreement: a, Action: "/agreements",
		Kinds: congdoan.AgreementKinds, Grades: congdoan.AgreementGrades}
	if a != nil {
		v.Title = tr(v.Lang, "agrform.title_edit")
		v.Action = "/agreements/" + strconv.FormatInt(a.ID, 10) + "/edit"
		v.UnitName, v.EmployerName = a.UnitName, a.EmployerName
	}
	return v
}

// describeUnit fills the union and employer names of a new agreement's
// form from a unit code, when the user can open that unit.
func (h *Handler) describeUnit(ctx context.Context, v *agreementFormView, code string) error {
	if code == "" {
		return nil
	}
	u, err := h.svc.Units.FindUnitByCode(ctx, code)
	if err != nil {
		return err
	}
	v.UnitName, v.EmployerName = u.Name, u.EmployerName
	return nil
}

func (h *Handler) agreementNewForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !userOf(ctx).CanRecordAgreements() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	q := r.URL.Query()
	v := h.newAgreementFormView(w, r, nil)
	v.Form = agreementForm{UnitCode: strings.TrimSpace(q.Get("unit")), Kind: string(congdoan.AgreementEnterprise)}
	// A preselected union comes from a unit page; one outside the scope is
	// a crafted link and gets the same 404 as the unit page.
	if err := h.describeUnit(ctx, v, v.Form.UnitCode); err != nil {
		h.fail(w, r, err)
		return
	}
	// "Record the renewal" from an agreement's page: the store checks that
	// the renewed agreement is the same union's and in scope.
	if id, err := strconv.ParseInt(q.Get("renews"), 10, 64); err == nil && id > 0 {
		if old, err := h.svc.Agreements.FindAgreementByID(ctx, id); err == nil && old.UnitCode == v.Form.UnitCode {
			v.Form.RenewsID, v.Form.Kind, v.Form.Quality = q.Get("renews"), string(old.Kind), ""
			v.Form.ValidFrom = old.ValidTo.AddDays(1).VN()
		}
	}
	h.render(w, r, http.StatusOK, "agreement_form.html", v)
}

func (h *Handler) agreementCreate(w http.ResponseWriter, r *http.Request) {
	if !userOf(r.Context()).CanRecordAgreements() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newAgreementFormView(w, r, nil)
	h.saveAgreement(w, r, v, func(in congdoan.AgreementInput) (*congdoan.Agreement, error) {
		return h.svc.Agreements.CreateAgreement(r.Context(), in)
	}, "flash.agreement_created")
}

func (h *Handler) agreementEditForm(w http.ResponseWriter, r *http.Request) {
	a, err := h.loadAgreement(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !userOf(r.Context()).CanRecordAgreements() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	v := h.newAgreementFormView(w, r, a)
	v.Form = agreementForm{UnitCode: a.UnitCode, EmployerID: strconv.FormatInt(a.EmployerID, 10), Kind: string(a.Kind),
		SignedOn: a.SignedOn.VN(), ValidFrom: a.ValidFrom.VN(), ValidTo: a.ValidTo.VN(), Quality: a.Quality, Note: a.Note}
	if a.RenewsID != 0 {
		v.Form.RenewsID = strconv.FormatInt(a.RenewsID, 10)
	}
	h.render(w, r, http.StatusOK, "agreement_form.html", v)
}

func (h *Handler) agreementUpdate(w http.ResponseWriter, r *http.Request) {
	a, err := h.loadAgreement(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !userOf(r.Context()).CanRecordAgreements() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newAgreementFormView(w, r, a)
	h.saveAgreement(w, r, v, func(in congdoan.AgreementInput) (*congdoan.Agreement, error) {
		return h.svc.Agreements.UpdateAgreement(r.Context(), a.ID, in)
	}, "flash.agreement_updated")
}

// saveAgreement reads the form into v, parses dates and numbers, and saves;
// success goes to the agreement's page.
func (h *Handler) saveAgreement(w http.ResponseWriter, r *http.Request, v *agreementFormView,
	save func(congdoan.AgreementInput) (*congdoan.Agreement, error), flashKey string) {
	ctx := r.Context()
	f := agreementForm{UnitCode: formValue(r, "unit_code"), EmployerID: formValue(r, "employer_id"), Kind: formValue(r, "kind"),
		SignedOn: formValue(r, "signed_on"), ValidFrom: formValue(r, "valid_from"), ValidTo: formValue(r, "valid_to"),
		Quality: formValue(r, "quality"), Note: formValue(r, "note"), RenewsID: formValue(r, "renews_id")}
	if v.Agreement != nil {
		// The union of an agreement does not change; its form does not offer it.
		f.UnitCode = v.Agreement.UnitCode
	}
	local := congdoan.Validation{}
	f.UnitCode = h.resolveUnit(ctx, local, "unit_code", f.UnitCode, congdoan.ForGrassroots, v.Lang)
	v.Form = f
	in := congdoan.AgreementInput{UnitCode: f.UnitCode, Kind: congdoan.AgreementKind(f.Kind), Quality: f.Quality, Note: f.Note}
	id := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			local.Add(field, tr(v.Lang, "v.number"))
		}
		return n
	}
	in.EmployerID = id("employer_id", f.EmployerID)
	in.RenewsID = id("renews_id", f.RenewsID)
	in.SignedOn = parseDateInto(local, "signed_on", f.SignedOn)
	in.ValidFrom = parseDateInto(local, "valid_from", f.ValidFrom)
	in.ValidTo = parseDateInto(local, "valid_to", f.ValidTo)
	var err error
	if len(local) > 0 {
		// Show the domain's messages for the other fields at the same time.
		for k, m := range in.Validate(h.today()) {
			local.Add(k, m)
		}
		err = local.Err()
	}
	var a *congdoan.Agreement
	if err == nil {
		a, err = save(in)
	}
	if err == nil {
		h.redirect(w, r, "/agreements/"+strconv.FormatInt(a.ID, 10), flashKey)
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v.Error, v.Errors = msg, fields
	if v.Agreement == nil && congdoan.ErrorCode(err) != congdoan.EFORBIDDEN {
		_ = h.describeUnit(ctx, v, f.UnitCode) // names only; a bad code is already on the form
	}
	h.render(w, r, httpx.Status(err), "agreement_form.html", v)
}

// unitAgreements is the agreements section of a grassroots union's page.
type unitAgreements struct {
	ShowAgreements     bool
	Agreements         []agreementRow
	AgreementsTotal    int
	AgreementsURL      string // the list of all the union's agreements
	CanRecordAgreement bool
}

// loadUnitAgreements fills the section for a grassroots union, latest
// first, with their status today. Other units have no section: their
// agreements are the unions' below them, on the list page.
func (h *Handler) loadUnitAgreements(ctx context.Context, unit *congdoan.Unit) (unitAgreements, error) {
	var s unitAgreements
	if unit.Kind != congdoan.KindGrassroots {
		return s, nil
	}
	as, total, err := h.svc.Agreements.FindAgreements(ctx, congdoan.AgreementFilter{Unit: unit.Code, Limit: 10})
	if err != nil {
		return s, err
	}
	s.ShowAgreements, s.Agreements, s.AgreementsTotal = true, agreementRows(as, h.today()), total
	s.AgreementsURL = "/agreements?" + url.Values{"unit": {unit.Code}, "valid_on": {"all"}}.Encode()
	s.CanRecordAgreement = unit.Active() && userOf(ctx).CanRecordAgreements()
	return s, nil
}
