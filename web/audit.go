package web

import (
	"net/http"
	"slices"

	"congdoan"
)

// auditPageSize is the audit log's page.
const auditPageSize = 50

// auditActions and auditEntities are what the filters offer: the actions
// the store writes today. An unknown value in the URL is simply ignored.
var (
	auditActions = []string{"member.create", "member.update", "member.transfer", "member.leave", "member.reveal",
		"unit.create", "unit.rename", "unit.move", "unit.merge", "unit.dissolve",
		"employer.create", "employer.update", "user.create", "user.password", "agreement.create", "agreement.update"}
	auditEntities = []string{"member", "unit", "employer", "user", "agreement"}
)

// auditView is the audit log page.
type auditView struct {
	Page
	F        congdoan.AuditFilter
	Events   []*congdoan.AuditEvent
	Paging   paging
	Actions  []string
	Entities []string
}

// auditLog lists the audit log, newest first. It shows who did what to
// which record, not the before/after data: those hold unmasked personal
// data, which this page would otherwise reveal without logging it.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	v := &auditView{Page: h.page(w, r, "audit.title", "audit"), Actions: auditActions, Entities: auditEntities}
	v.F = congdoan.AuditFilter{EntityID: q.Get("entity_id"), Limit: auditPageSize, Offset: offsetParam(r)}
	if a := q.Get("action"); slices.Contains(auditActions, a) {
		v.F.Action = a
	}
	if e := q.Get("entity"); slices.Contains(auditEntities, e) {
		v.F.Entity = e
	}
	events, total, err := h.svc.Audit.FindAuditEvents(ctx, v.F)
	if err != nil {
		h.fail(w, r, err) // 403 for everyone but administrators and province officers
		return
	}
	v.Events = events
	v.Paging = newPaging("paging.events", q, "/audit", v.F.Offset, auditPageSize, len(events), total)
	h.render(w, r, http.StatusOK, "audit.html", v)
}
