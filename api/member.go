package api

import (
	"net/http"
	"strconv"

	"congdoan"
)

func (h *Handler) listMembers(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	mp, err := h.svc.Members.FindMemberPage(r.Context(), congdoan.MemberFilter{
		Query: q.Get("q"), Unit: q.Get("unit"), Status: q.Get("status"), Limit: limit, Offset: offset, After: q.Get("after")})
	if err != nil {
		return err
	}
	// A count that stopped at the cap is MemberCountCap+1 with Capped;
	// every other total is exact, at any size.
	ms := mp.Members
	p := membersPage{Total: mp.Total, TotalCapped: mp.Capped, Items: nonNil(ms)}
	// A full page may have a next one: its cursor. The store's page is
	// 50 by default and at most 500, as the document says.
	full := limit
	if full <= 0 {
		full = 50
	}
	if n := len(ms); n > 0 && n == min(full, 500) {
		p.NextAfter = ms[n-1].Cursor
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// membersPage is a page of members: a total counted row by row stops at
// congdoan.MemberCountCap+1 (total_capped), and next_after continues the
// order after the page's last member.
type membersPage struct {
	Total       int                `json:"total"`
	TotalCapped bool               `json:"total_capped"`
	Items       []*congdoan.Member `json:"items"`
	NextAfter   string             `json:"next_after,omitempty"`
}

func (h *Handler) createMember(w http.ResponseWriter, r *http.Request) error {
	var in congdoan.MemberInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.Members.CreateMember(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/members/"+strconv.FormatInt(m.ID, 10))
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (h *Handler) getMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Members.FindMemberByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) updateMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var up congdoan.MemberUpdate
	if err := decode(w, r, &up); err != nil {
		return err
	}
	m, err := h.svc.Members.UpdateMember(r.Context(), id, up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) transferMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in congdoan.TransferInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.Members.TransferMember(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) leaveMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in congdoan.LeaveInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.Members.LeaveMember(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// revealMember is a POST, not a GET, because it writes an audit event and
// must not be fetched by prefetchers, crawlers or a browser's history.
// revealRequest is the body of a reveal: why the personal data is needed.
type revealRequest struct {
	Reason string `json:"reason"`
}

func (h *Handler) revealMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// The body {"reason": "…"} is optional: clients written before the
	// reason existed send none, and their reveals are logged without one.
	var in revealRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			return err
		}
	}
	m, err := h.svc.Members.RevealMember(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}
