package congdoan

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEvent is one entry of the append-only, hash-chained audit log: every
// write and every reveal of personal data.
type AuditEvent struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	UserID   int64           `json:"user_id"`
	Username string          `json:"username"`
	Action   string          `json:"action"` // e.g. member.create, member.reveal, unit.move
	Entity   string          `json:"entity"` // member, unit, employer, user
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	Hash     string          `json:"hash"`
	// Names holds the current names of the records the event refers to,
	// keyed "member:12", "unit:CDCS-A", "employer:3", "agreement:4",
	// "report:5", "user:tinh" (the acting user's too), for the audit
	// page's sentences. Looked up at read time, so neither hashed nor in
	// the API; one map is shared by the events of a page.
	Names map[string]string `json:"-"`
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	Entity   string
	EntityID string
	Action   string
	// Unit, a unit code, keeps the events filed under that unit or any
	// unit below it; it must be in the caller's scope (ENOTFOUND).
	Unit string
	// Username keeps one user's events.
	Username string
	// From and To keep the events of those days (Vietnam time), both
	// included; zero is open.
	From, To Date
	Limit    int
	Offset   int
}

// AuditService reads the audit log. Administrators and province officers
// only.
type AuditService interface {
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit recomputes the signed hash chain and names every event
	// that does not hold. Administrators only (EFORBIDDEN).
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
}

// AuditVerification is the result of checking the audit chain.
type AuditVerification struct {
	OK       bool           `json:"ok"`
	Events   int64          `json:"events"`  // events read
	LastID   int64          `json:"last_id"` // the newest event the chain's head names
	Problems []AuditProblem `json:"problems"`
}

// AuditProblem is one event that does not hold, and why (Vietnamese).
type AuditProblem struct {
	EventID int64  `json:"event_id"`
	Message string `json:"message"`
}
