package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"congdoan"
)

func (h *Handler) topUnits(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "q", "for", "limit"); err != nil {
		return err
	}
	qv := r.URL.Query()
	if qv.Has("q") {
		// A type-ahead search: the units whose name or code matches,
		// best matches first, each with its path.
		limit, _, err := paging(r)
		if err != nil {
			return err
		}
		us, err := h.svc.Units.SearchUnits(r.Context(), congdoan.UnitSearch{Query: qv.Get("q"), For: congdoan.UnitPurpose(qv.Get("for")), Limit: limit})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, list[*congdoan.Unit]{Items: nonNil(us)})
		return nil
	}
	if qv.Has("for") || qv.Has("limit") {
		return congdoan.FieldError("q", "for và limit chỉ dùng khi tìm đơn vị bằng q.")
	}
	us, err := h.svc.Units.TopUnits(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[*congdoan.Unit]{Items: nonNil(us)})
	return nil
}

// getUnit answers the unit with its parent, counts and children: today's,
// or with ?date= the tree and counts of that date (a unit that did not
// exist then is 422). Any other parameter is an error, not ignored (as on
// every route: see documentedQuery).
func (h *Handler) getUnit(w http.ResponseWriter, r *http.Request) error {
	d, err := dateParam(r, "date")
	if err != nil {
		return err
	}
	var u *congdoan.Unit
	if d.IsZero() {
		u, err = h.svc.Units.FindUnitByCode(r.Context(), r.PathValue("code"))
	} else {
		u, err = h.svc.Units.UnitTree(r.Context(), r.PathValue("code"), d, 1)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// onlyParams refuses query parameters outside allowed with 400 naming
// them, so that a misspelt one is not silently taken for its default.
func onlyParams(r *http.Request, allowed ...string) error {
	for k := range r.URL.Query() {
		if !slices.Contains(allowed, k) {
			msg := fmt.Sprintf("Tham số %q không dùng được ở đây; dùng: %s.", k, strings.Join(allowed, ", "))
			if len(allowed) == 0 {
				msg = fmt.Sprintf("Tham số %q không dùng được ở đây: đường dẫn này không nhận tham số truy vấn nào.", k)
			}
			return &statusError{status: http.StatusBadRequest, err: &congdoan.Error{Code: congdoan.EINVALID, Message: msg, Fields: map[string]string{k: msg}}}
		}
	}
	return nil
}

func (h *Handler) unitTree(w http.ResponseWriter, r *http.Request) error {
	asOf, err := dateParam(r, "date")
	if err != nil {
		return err
	}
	depth, err := queryInt(r, "depth")
	if err != nil {
		return err
	}
	u, err := h.svc.Units.UnitTree(r.Context(), r.PathValue("code"), asOf, depth)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (h *Handler) unitHistory(w http.ResponseWriter, r *http.Request) error {
	evs, err := h.svc.Units.UnitHistory(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[*congdoan.UnitEvent]{Items: nonNil(evs)})
	return nil
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request) error {
	var in congdoan.UnitInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.Units.CreateUnit(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/units/"+url.PathEscape(u.Code))
	writeJSON(w, http.StatusCreated, u)
	return nil
}

// moveRequest is the body of POST /api/v1/units/{code}/move.
type moveRequest struct {
	ParentCode string        `json:"parent_code"`
	On         congdoan.Date `json:"on"`
	Note       string        `json:"note"`
}

// mergeRequest is the body of POST /api/v1/units/{code}/merge.
type mergeRequest struct {
	Into string        `json:"into"`
	On   congdoan.Date `json:"on"`
	Note string        `json:"note"`
}

// dissolveRequest is the body of POST /api/v1/units/{code}/dissolve.
type dissolveRequest struct {
	On   congdoan.Date `json:"on"`
	Note string        `json:"note"`
}

func (h *Handler) moveUnit(w http.ResponseWriter, r *http.Request) error {
	var in moveRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	code := r.PathValue("code")
	if err := h.svc.Units.MoveUnit(r.Context(), code, in.ParentCode, in.On, in.Note); err != nil {
		return err
	}
	h.restructured(w, r, code)
	return nil
}

func (h *Handler) mergeUnit(w http.ResponseWriter, r *http.Request) error {
	var in mergeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	code := r.PathValue("code")
	if err := h.svc.Units.MergeUnits(r.Context(), code, in.Into, in.On, in.Note); err != nil {
		return err
	}
	h.restructured(w, r, code)
	return nil
}

func (h *Handler) dissolveUnit(w http.ResponseWriter, r *http.Request) error {
	var in dissolveRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	code := r.PathValue("code")
	if err := h.svc.Units.DissolveUnit(r.Context(), code, in.On, in.Note); err != nil {
		return err
	}
	h.restructured(w, r, code)
	return nil
}

// restructured answers a successful restructuring with the unit as it now
// stands. The write has committed, so a failure to read it back must not
// turn into an error answer: the client would retry a step already taken.
func (h *Handler) restructured(w http.ResponseWriter, r *http.Request, code string) {
	u, err := h.svc.Units.FindUnitByCode(r.Context(), code)
	if err != nil {
		if congdoan.ErrorCode(err) == congdoan.EINTERNAL {
			h.log.Error("reading unit after restructuring", "code", code, "err", err)
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, u)
}
