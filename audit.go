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
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	Entity   string
	EntityID string
	Action   string
	Limit    int
	Offset   int
}

// AuditService reads the audit log. Administrators and province officers
// only.
type AuditService interface {
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit recomputes the hash chain; it returns the id of the first
	// event that does not match, or 0 when the chain is intact.
	VerifyAudit(ctx context.Context) (int64, error)
}
