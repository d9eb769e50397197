package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"congdoan"
)

// auditPageSize is the audit log's page.
const auditPageSize = 50

// auditActions and auditEntities are what the filters offer: the actions
// the store writes today. An unknown value in the URL is simply ignored.
var (
	auditActions = []string{"member.create", "member.update", "member.transfer", "member.leave", "member.reveal",
		"unit.create", "unit.rename", "unit.move", "unit.merge", "unit.dissolve",
		"employer.create", "employer.update", "user.create", "user.update", "user.password", "user.password_change", "user.logout_others",
		"agreement.create", "agreement.update",
		"report.create", "report.submit", "report.withdraw", "report.return", "report.approve", "report.reopen", "report.delete",
		"target.allocate", "target.load", "member.cccd_lookup", "snapshots.take", "snapshots.backfill", "derived.repair", "audit.rotate_key"}
	auditEntities = []string{"member", "unit", "employer", "user", "agreement", "report", "target"}
)

// auditView is the audit log page.
type auditView struct {
	Page
	F        congdoan.AuditFilter
	From, To string // the date filters as typed
	Events   []auditEntry
	Paging   paging
	Actions  []string
	Entities []string
	CanCheck bool                        // administrators check the signed chain
	Check    *congdoan.AuditVerification // the result of a check just run
}

// auditLog lists the audit log, newest first, each event with what it
// changed. The store decides which events the user reads (a province
// officer: their subtree's) and masks CCCD, phone and birth date in before
// and after, so the page shows no personal data a member page would hide.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request) {
	h.renderAudit(w, r, nil)
}

// auditVerify is POST /audit/verify: recomputes the signed chain and shows
// the result above the log. Administrators only (the store refuses the
// others); a POST because it reads every event.
func (h *Handler) auditVerify(w http.ResponseWriter, r *http.Request) {
	res, err := h.svc.Audit.VerifyAudit(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAudit(w, r, res)
}

func (h *Handler) renderAudit(w http.ResponseWriter, r *http.Request, check *congdoan.AuditVerification) {
	ctx := r.Context()
	q := r.URL.Query()
	u := userOf(ctx)
	v := &auditView{Page: h.page(w, r, "audit.title", "audit"), Actions: auditActions, Entities: auditEntities,
		CanCheck: u != nil && u.Role == congdoan.RoleAdmin && u.UnitID == 0, Check: check}
	v.F = congdoan.AuditFilter{EntityID: q.Get("entity_id"), Limit: auditPageSize, Offset: offsetParam(r),
		Unit: strings.TrimSpace(q.Get("unit")), Username: strings.TrimSpace(q.Get("user"))}
	if v.F.Unit != "" {
		// A name typed in the picker finds the unit; a name or code that
		// finds none is the filter's message.
		if code := h.filterUnit(ctx, &v.Page, v.F.Unit); code != "" {
			v.F.Unit = code
		}
	}
	if a := q.Get("action"); slices.Contains(auditActions, a) {
		v.F.Action = a
	}
	if e := q.Get("entity"); slices.Contains(auditEntities, e) {
		v.F.Entity = e
	}
	// A bad filter value keeps the page, with the message at its field.
	v.Errors = map[string]string{}
	v.From, v.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	v.F.From = parseDateInto(congdoan.Validation(v.Errors), "from", v.From)
	v.F.To = parseDateInto(congdoan.Validation(v.Errors), "to", v.To)
	if !v.F.From.IsZero() && !v.F.To.IsZero() && v.F.To.Before(v.F.From) {
		v.Errors["to"] = tr(v.Lang, "audit.to_before_from")
	}
	var events []*congdoan.AuditEvent
	var total int
	var err error
	if len(v.Errors) == 0 {
		events, total, err = h.svc.Audit.FindAuditEvents(ctx, v.F)
	}
	if msg, fields, ok := formError(err); ok && fields["unit"] != "" {
		v.Errors["unit"] = msg
		err = nil
	}
	if err != nil {
		h.fail(w, r, err) // 403 for everyone but administrators and province officers
		return
	}
	ar := &auditRenderer{lang: v.Lang, can: h.unitCodes(ctx)}
	for _, e := range events {
		ar.names = e.Names
		v.Events = append(v.Events, auditEntry{AuditEvent: e, Sentence: ar.sentence(e), UserName: e.Names["user:"+e.Username]})
	}
	v.Paging = newPaging("paging.events", q, "/audit", v.F.Offset, auditPageSize, len(events), total)
	h.render(w, r, http.StatusOK, "audit.html", v)
}

// auditEntry is an event as the page shows it.
type auditEntry struct {
	*congdoan.AuditEvent
	Sentence auditSentence
	UserName string // the acting user's full name today
}

// auditValueMax bounds a value shown on the page (a report's figures run long).
const auditValueMax = 200

// jsonFields reads a JSON object's keys in order and their raw values; nil
// is an object without fields, anything but an object is not ok.
func jsonFields(raw json.RawMessage) (keys []string, vals map[string]json.RawMessage, ok bool) {
	vals = map[string]json.RawMessage{}
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, vals, true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, false
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, false
		}
		if _, dup := vals[k]; !dup {
			keys = append(keys, k)
		}
		vals[k] = v
	}
	return keys, vals, true
}

// jsonText shows a JSON value: a string as itself, null as nothing, anything
// else as compact JSON, cut at auditValueMax characters.
func jsonText(raw json.RawMessage) string {
	var s string
	switch t := bytes.TrimSpace(raw); {
	case len(t) == 0 || string(t) == "null":
		return ""
	case json.Unmarshal(t, &s) == nil:
	default:
		var b bytes.Buffer
		if json.Compact(&b, t) != nil {
			return ""
		}
		s = b.String()
	}
	if utf8.RuneCountInString(s) > auditValueMax {
		s = string([]rune(s)[:auditValueMax]) + "…"
	}
	return strings.TrimSpace(s)
}
