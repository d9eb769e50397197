package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// audit appends an event to the hash-chained log inside tx. before and after
// are marshalled to JSON (nil stays NULL). Updating the single audit_head
// row first takes its row lock, so concurrent writers line up and the chain
// cannot fork.
func (tx *Tx) audit(ctx context.Context, action, entity string, entityID any, before, after any) error {
	u := congdoan.UserFromContext(ctx)
	if u == nil {
		u = congdoan.SystemUser()
	}
	var lastID int64
	var prev string
	if _, err := tx.exec(ctx, `UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	if err := tx.queryRow(ctx, `SELECT last_id, last_hash FROM audit_head WHERE id = 1`).Scan(&lastID, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	ev := auditRow{
		ID: lastID, At: tx.now.Format(time.RFC3339Nano), UserID: u.ID, Username: u.Username,
		Action: action, Entity: entity, EntityID: fmt.Sprint(entityID), PrevHash: prev,
	}
	var err error
	if ev.Before, err = jsonOrNull(before); err != nil {
		return err
	}
	if ev.After, err = jsonOrNull(after); err != nil {
		return err
	}
	ev.Hash = ev.computeHash()
	unitID, err := tx.auditUnit(ctx, ev.Entity, ev.EntityID)
	if err != nil {
		return fmt.Errorf("audit unit: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO audit_events (id, at, user_id, username, action, entity, entity_id, before_json, after_json, prev_hash, hash, unit_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.ID, ev.At, ev.UserID, ev.Username, ev.Action, ev.Entity, ev.EntityID, ev.Before, ev.After, ev.PrevHash, ev.Hash, unitID); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	_, err = tx.exec(ctx, `UPDATE audit_head SET last_hash = ? WHERE id = 1`, ev.Hash)
	return err
}

// auditUnitSQL finds the unit an event concerns from the entity id it
// records, read in the writing transaction after the change (so a created
// record is found, and a transferred member is under their new union). A
// province officer reads the events of the units in their scope
// (FindAuditEvents); the rule keeps each event with the officers who answer
// for the record:
//
//   - member: the person's union (persons.unit_id, else their last period's);
//   - unit: the unit itself (a merged unit sits under the unit it merged
//     into in unit_closure, so its events follow it);
//   - employer: the unit responsible for its area (employers.unit_id, always
//     set, handed over with the area on a merger, and what employer scope
//     follows first) rather than its grassroots union, which it may not have;
//   - agreement: its grassroots union; user: the account's unit;
//   - report: the report's unit; target: the target's unit (for an
//     allocation, the parent target's, i.e. the allocating unit).
//
// Any other entity (bulk loads, system events) gets no unit: administrators
// only. Migration 00006 backfills older events by the same rule.
var auditUnitSQL = map[string]struct {
	query   string
	numeric bool // the entity id is a row id
}{
	"member": {`SELECT COALESCE(p.unit_id, (SELECT m.unit_id FROM memberships m WHERE m.person_id = p.id ORDER BY m.valid_from DESC LIMIT 1))
		FROM persons p WHERE p.id = ?`, true},
	"unit":      {`SELECT id FROM units WHERE code = ?`, false},
	"employer":  {`SELECT unit_id FROM employers WHERE id = ?`, true},
	"agreement": {`SELECT unit_id FROM agreements WHERE id = ?`, true},
	"user":      {`SELECT unit_id FROM users WHERE username = ?`, false},
	"report":    {`SELECT unit_id FROM reports WHERE id = ?`, true},
	"target":    {`SELECT unit_id FROM plan_targets WHERE id = ?`, true},
}

// auditUnit returns the unit an event about entity entityID concerns, or
// NULL when the entity has none (or the record cannot be found).
func (tx *Tx) auditUnit(ctx context.Context, entity, entityID string) (sql.NullInt64, error) {
	var unit sql.NullInt64
	q, ok := auditUnitSQL[entity]
	if !ok {
		return unit, nil
	}
	var arg any = entityID
	if q.numeric {
		id, err := strconv.ParseInt(entityID, 10, 64)
		if err != nil {
			return unit, nil
		}
		arg = id
	}
	err := tx.queryRow(ctx, q.query, arg).Scan(&unit)
	if err == sql.ErrNoRows {
		return sql.NullInt64{}, nil
	}
	return unit, err
}

// auditRow is an event as hashed. unit_id is deliberately not part of the
// hash: it says who may read the event, not what happened, and it is derived
// from the entity — migration 00006 filled it for events hashed before the
// column existed, which it could not have done had the hash covered it.
// Changing it in the database can hide an event from a province officer,
// never alter what it records; administrators see every event whatever its
// unit, and VerifyAudit still proves the content and the order.
type auditRow struct {
	ID                                 int64
	At                                 string
	UserID                             int64
	Username, Action, Entity, EntityID string
	Before, After                      sql.NullString
	PrevHash, Hash                     string
}

func (r *auditRow) computeHash() string {
	h := sha256.New()
	for _, s := range []string{r.PrevHash, strconv.FormatInt(r.ID, 10), r.At, strconv.FormatInt(r.UserID, 10),
		r.Username, r.Action, r.Entity, r.EntityID, r.Before.String, r.After.String} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func jsonOrNull(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, fmt.Errorf("audit json: %w", err)
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// FindAuditEvents implements congdoan.AuditService. Administrators read
// every event; a province officer reads the events whose unit (see
// auditUnitSQL) is in their scope, and none of those without a unit. Before
// and after come with CCCD, phone and birth date masked, as member reads do.
func (d *DB) FindAuditEvents(ctx context.Context, f congdoan.AuditFilter) ([]*congdoan.AuditEvent, int, error) {
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	if s.user.Role != congdoan.RoleAdmin && s.user.Role != congdoan.RoleProvinceOfficer {
		return nil, 0, congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ quản trị viên và cán bộ LĐLĐ tỉnh xem được nhật ký.")
	}
	// A NULL unit_id fails the EXISTS, so events without a unit stay with
	// the administrators, whose scope is the whole tree.
	where, args := s.unitIn("a.unit_id")
	if f.Entity != "" {
		where += " AND a.entity = ?"
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		where += " AND a.entity_id = ?"
		args = append(args, f.EntityID)
	}
	if f.Action != "" {
		where += " AND a.action = ?"
		args = append(args, f.Action)
	}
	var total int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM audit_events a WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := clampLimit(f.Limit)
	rows, err := d.query(ctx, `SELECT a.id, a.at, a.user_id, a.username, a.action, a.entity, a.entity_id, a.before_json, a.after_json, a.hash
		FROM audit_events a WHERE `+where+` ORDER BY a.id DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*congdoan.AuditEvent
	for rows.Next() {
		var e congdoan.AuditEvent
		var at string
		var before, after sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Username, &e.Action, &e.Entity, &e.EntityID, &before, &after, &e.Hash); err != nil {
			return nil, 0, err
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		if before.Valid {
			e.Before = maskAuditJSON(before.String)
		}
		if after.Valid {
			e.After = maskAuditJSON(after.String)
		}
		out = append(out, &e)
	}
	return out, total, rows.Err()
}

// auditMasks are the personal data an event's before/after may hold (a
// member's, under these keys at any depth) and how reads show them: as
// member reads do (mask).
var auditMasks = map[string]func(string) string{
	"cccd":  vntext.MaskCCCD,
	"phone": vntext.MaskPhone,
	"birth_date": func(s string) string {
		if len(s) >= 4 {
			if y, err := strconv.Atoi(s[:4]); err == nil && y > 0 {
				return "••/••/" + s[:4]
			}
		}
		if s == "" {
			return ""
		}
		return "••/••/••••"
	},
}

// maskAuditJSON returns an event's before or after JSON with the values of
// auditMasks' keys masked. JSON that names none of them is returned as
// stored; JSON that cannot be read is withheld rather than shown unmasked.
func maskAuditJSON(raw string) json.RawMessage {
	found := false
	for k := range auditMasks {
		found = found || strings.Contains(raw, `"`+k+`"`)
	}
	if !found {
		return json.RawMessage(raw)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber() // numbers come back as written
	var v any
	if err := dec.Decode(&v); err != nil {
		return json.RawMessage(`null`)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(maskAuditValue(v)); err != nil {
		return json.RawMessage(`null`)
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes()))
}

func maskAuditValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if m, ok := auditMasks[k]; ok {
				switch s := val.(type) {
				case string:
					x[k] = m(s)
					continue
				case json.Number:
					x[k] = m(s.String())
					continue
				}
			}
			x[k] = maskAuditValue(val)
		}
	case []any:
		for i := range x {
			x[i] = maskAuditValue(x[i])
		}
	}
	return v
}

// VerifyAudit implements congdoan.AuditService.
func (d *DB) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := d.query(ctx, `SELECT id, at, user_id, username, action, entity, entity_id, before_json, after_json, prev_hash, hash FROM audit_events ORDER BY id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	prev := ""
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.Action, &r.Entity, &r.EntityID, &r.Before, &r.After, &r.PrevHash, &r.Hash); err != nil {
			return 0, err
		}
		if r.PrevHash != prev || r.computeHash() != r.Hash {
			return r.ID, nil
		}
		prev = r.Hash
	}
	return 0, rows.Err()
}

// clampLimit bounds page sizes: 50 by default, 500 at most.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}
