package api

import (
	"net/http"

	"congdoan"
)

func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	evs, total, err := h.svc.Audit.FindAuditEvents(r.Context(), congdoan.AuditFilter{
		Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Action: q.Get("action"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[*congdoan.AuditEvent]{Total: total, Items: nonNil(evs)})
	return nil
}

// verifyAudit recomputes the signed audit chain (administrators only).
func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.Audit.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
