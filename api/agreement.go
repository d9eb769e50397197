package api

import (
	"net/http"
	"strconv"
	"strings"

	"congdoan"
)

func (h *Handler) listAgreements(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := congdoan.AgreementFilter{Unit: strings.TrimSpace(q.Get("unit"))}
	var err error
	if f.Limit, f.Offset, err = paging(r); err != nil {
		return err
	}
	if s := strings.TrimSpace(q.Get("employer_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return congdoan.FieldError("employer_id", "Tham số employer_id phải là số nguyên dương (đang là "+strconv.Quote(s)+").")
		}
		f.EmployerID = id
	}
	// No default date: an API client asks for the day it means, and
	// without one gets every agreement (the web list defaults to today).
	if f.ValidOn, err = dateParam(r, "valid_on"); err != nil {
		return err
	}
	as, total, err := h.svc.Agreements.FindAgreements(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[*congdoan.Agreement]{Total: total, Items: nonNil(as)})
	return nil
}

func (h *Handler) createAgreement(w http.ResponseWriter, r *http.Request) error {
	var in congdoan.AgreementInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	a, err := h.svc.Agreements.CreateAgreement(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/agreements/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (h *Handler) getAgreement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.svc.Agreements.FindAgreementByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// agreementPatch is the body of PATCH /api/v1/agreements/{id}: absent (or
// null) fields keep their current value. unit_code is accepted so that a
// client echoing the record back is not refused, but the union of an
// agreement does not change (the store says so).
type agreementPatch struct {
	UnitCode   *string                 `json:"unit_code"`
	EmployerID *int64                  `json:"employer_id"`
	Kind       *congdoan.AgreementKind `json:"kind"`
	SignedOn   *congdoan.Date          `json:"signed_on"`
	ValidFrom  *congdoan.Date          `json:"valid_from"`
	ValidTo    *congdoan.Date          `json:"valid_to"`
	Quality    *string                 `json:"quality"`
	Note       *string                 `json:"note"`
	RenewsID   *int64                  `json:"renews_id"`
}

// apply returns the full input UpdateAgreement needs: the current
// agreement with the patch's fields replaced.
func (p agreementPatch) apply(a *congdoan.Agreement) congdoan.AgreementInput {
	in := congdoan.AgreementInput{UnitCode: a.UnitCode, EmployerID: a.EmployerID, Kind: a.Kind, SignedOn: a.SignedOn,
		ValidFrom: a.ValidFrom, ValidTo: a.ValidTo, Quality: a.Quality, Note: a.Note, RenewsID: a.RenewsID}
	if p.UnitCode != nil {
		in.UnitCode = *p.UnitCode
	}
	if p.EmployerID != nil {
		in.EmployerID = *p.EmployerID
	}
	if p.Kind != nil {
		in.Kind = *p.Kind
	}
	if p.SignedOn != nil {
		in.SignedOn = *p.SignedOn
	}
	if p.ValidFrom != nil {
		in.ValidFrom = *p.ValidFrom
	}
	if p.ValidTo != nil {
		in.ValidTo = *p.ValidTo
	}
	if p.Quality != nil {
		in.Quality = *p.Quality
	}
	if p.Note != nil {
		in.Note = *p.Note
	}
	if p.RenewsID != nil {
		in.RenewsID = *p.RenewsID
	}
	return in
}

func (h *Handler) updateAgreement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var p agreementPatch
	if err := decode(w, r, &p); err != nil {
		return err
	}
	// Load and update are two calls, as for employers: a concurrent edit of
	// another field in between is overwritten with the value read here.
	cur, err := h.svc.Agreements.FindAgreementByID(r.Context(), id)
	if err != nil {
		return err
	}
	a, err := h.svc.Agreements.UpdateAgreement(r.Context(), id, p.apply(cur))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
