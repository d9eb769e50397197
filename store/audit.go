package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// Event is an audit event as a write records it. Every write names the
// unit its event is filed under — the officers whose scope holds that unit
// read it (FindAuditEvents) — or says that it concerns none:
//
//   - a member's event: the person's union after the write (a transfer is
//     filed under the new union);
//   - a unit's: the unit itself (a merged unit sits under the unit it
//     merged into in unit_closure, so its events follow it);
//   - an employer's: the unit responsible for its area (employers.unit_id,
//     always set) rather than its grassroots union, which it may not have;
//   - an agreement's: its grassroots union; an account's: its unit;
//   - a report's: its unit; a target's: the unit whose target it is (for
//     an allocation, the allocating unit).
//
// Global events (system jobs, bulk loads, accounts without a unit) are for
// administrators only. An event with neither a unit nor Global is refused,
// so that a new kind of record cannot fall outside every officer's audit
// scope by forgetting to say where it belongs.
type Event struct {
	Action   string // e.g. member.create, member.reveal, unit.move
	Entity   string // member, unit, employer, agreement, user, report, target …
	EntityID any
	UnitID   int64
	Global   bool
	Before   any // marshalled to JSON; nil stays NULL
	After    any
}

// audit appends ev to the hash-chained log inside tx, as the acting user
// of ctx (the system user without one). Updating the single audit_head
// row first takes its row lock, so concurrent writers line up and the
// chain cannot fork.
func (tx *Tx) audit(ctx context.Context, ev Event) error {
	var unitID sql.NullInt64
	switch {
	case ev.UnitID != 0 && !ev.Global:
		unitID = sql.NullInt64{Int64: ev.UnitID, Valid: true}
	case ev.UnitID == 0 && ev.Global:
	default:
		return fmt.Errorf("audit %s: an event names its unit or is Global (unit %d, global %v)", ev.Action, ev.UnitID, ev.Global)
	}
	keys := tx.d.auditKeys
	if keys == nil {
		return fmt.Errorf("audit %s: no audit key ring (store.DB.UseAuditKeys): events are never written unsigned", ev.Action)
	}
	key := keys.current()
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
	row := auditRow{
		ID: lastID, At: tx.now.Format(time.RFC3339Nano), UserID: u.ID, Username: u.Username,
		Action: ev.Action, Entity: ev.Entity, EntityID: fmt.Sprint(ev.EntityID), PrevHash: prev, KeyID: key.ID,
	}
	var err error
	if row.Before, err = jsonOrNull(ev.Before); err != nil {
		return err
	}
	if row.After, err = jsonOrNull(ev.After); err != nil {
		return err
	}
	row.Hash = row.computeHash(key.Key)
	if _, err := tx.exec(ctx, `INSERT INTO audit_events (id, at, user_id, username, action, entity, entity_id, before_json, after_json, prev_hash, hash, unit_id, key_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.ID, row.At, row.UserID, row.Username, row.Action, row.Entity, row.EntityID, row.Before, row.After, row.PrevHash, row.Hash, unitID, row.KeyID); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	_, err = tx.exec(ctx, `UPDATE audit_head SET last_hash = ?, head_key = ?, head_mac = ? WHERE id = 1`,
		row.Hash, key.ID, headMAC(key.Key, row.ID, row.Hash))
	return err
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
	KeyID                              int64 // 0: hashed before the chain was keyed (migration 00008)
}

// computeHash is what an event's hash covers: the previous event's hash,
// then id, time, user id, username, action, entity, entity id, before and
// after, each written as its length, a colon and its bytes (so no two
// events write the same stream). A keyed event (KeyID ≠ 0) is the hex
// HMAC-SHA256 under key of "congdoan-audit-2", the key id, then those
// fields; an older one the plain SHA-256 of the fields.
func (r *auditRow) computeHash(key []byte) string {
	var h hash.Hash
	fields := []string{r.PrevHash, strconv.FormatInt(r.ID, 10), r.At, strconv.FormatInt(r.UserID, 10),
		r.Username, r.Action, r.Entity, r.EntityID, r.Before.String, r.After.String}
	if r.KeyID == 0 {
		h = sha256.New()
	} else {
		h = hmac.New(sha256.New, key)
		fields = append([]string{"congdoan-audit-2", strconv.FormatInt(r.KeyID, 10)}, fields...)
	}
	for _, s := range fields {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// headMAC signs the head of the chain: the newest event's id and hash.
func headMAC(key []byte, lastID int64, lastHash string) string {
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "congdoan-audit-head-2\n%d\n%s", lastID, lastHash)
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
// Event) is in their scope, and none of those without a unit. Before
// and after come with CCCD, phone and birth date masked, as member reads do.
func (d *DB) FindAuditEvents(ctx context.Context, f congdoan.AuditFilter) (_ []*congdoan.AuditEvent, _ int, err error) {
	defer wrap(&err, "store.FindAuditEvents")
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
	if f.Unit != "" {
		u, err := d.unitByCode(ctx, d, s, f.Unit)
		if err != nil {
			return nil, 0, congdoan.FieldError("unit", err.Error())
		}
		where += " AND " + inSubtree(u.ID, "a.unit_id")
	}
	if f.Username != "" {
		where += " AND a.username = ?"
		args = append(args, strings.TrimSpace(f.Username))
	}
	// at is UTC RFC 3339 with a varying fraction; comparing with a bound
	// cut before the zone keeps the string order the time order.
	if !f.From.IsZero() {
		where += " AND a.at >= ?"
		args = append(args, vnDayStart(f.From))
	}
	if !f.To.IsZero() {
		where += " AND a.at < ?"
		args = append(args, vnDayStart(f.To.AddDays(1)))
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
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	names, err := d.auditNames(ctx, out)
	if err != nil {
		return nil, 0, err
	}
	for _, e := range out {
		e.Names = names
	}
	return out, total, nil
}

// vnDayStart is the first instant of day in Vietnam as audit_events.at
// writes it, without the zone: "2026-11-23T17:00:00".
func vnDayStart(day congdoan.Date) string {
	t := time.Date(day.Year(), day.Time().Month(), day.Time().Day(), 0, 0, 0, 0, congdoan.VietnamTime)
	return t.UTC().Format("2006-01-02T15:04:05")
}

// auditUnitKeys are the keys of an event's before and after whose values
// are unit codes, named on the audit page.
var auditUnitKeys = []string{"unit", "into", "parent", "asked_for", "unit_code"}

// auditNames looks up the current names of what a page of events refers
// to: the members, units, employers, agreements, reports and users by
// their ids or codes, and the units named in before and after (see
// congdoan.AuditEvent.Names). The events are the caller's to read, so the
// names are too: an event on a member who has since moved away still
// names them, as their admission's event does.
func (d *DB) auditNames(ctx context.Context, evs []*congdoan.AuditEvent) (map[string]string, error) {
	names := map[string]string{}
	refs := map[string]map[string]bool{}
	add := func(kind, id string) {
		if id == "" {
			return
		}
		if refs[kind] == nil {
			refs[kind] = map[string]bool{}
		}
		refs[kind][id] = true
	}
	for _, e := range evs {
		add(e.Entity, e.EntityID)
		add("user", e.Username)
		for _, raw := range []json.RawMessage{e.Before, e.After} {
			var m map[string]any
			if json.Unmarshal(raw, &m) != nil {
				continue
			}
			for _, k := range auditUnitKeys {
				if c, ok := m[k].(string); ok {
					add("unit", c)
				}
			}
			if id, ok := m["employer_id"].(float64); ok {
				add("employer", strconv.FormatInt(int64(id), 10))
			}
		}
	}
	lookups := map[string]string{
		"member":    `SELECT CAST(id AS TEXT), full_name FROM persons WHERE id IN (%s)`,
		"unit":      `SELECT code, name FROM units WHERE code IN (%s)`,
		"employer":  `SELECT CAST(id AS TEXT), name FROM employers WHERE id IN (%s)`,
		"agreement": `SELECT CAST(a.id AS TEXT), e.name FROM agreements a JOIN employers e ON e.id = a.employer_id WHERE a.id IN (%s)`,
		"report":    `SELECT CAST(r.id AS TEXT), u.name || ' · ' || r.period FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.id IN (%s)`,
		"user":      `SELECT username, full_name FROM users WHERE username IN (%s)`,
	}
	for kind, q := range lookups {
		var args []any
		for id := range refs[kind] {
			if kind == "unit" || kind == "user" {
				args = append(args, id)
			} else if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				args = append(args, n)
			}
		}
		for part := range chunks(args, 500) {
			err := d.scan(ctx, fmt.Sprintf(q, Placeholders(len(part))), part, func(rows *sql.Rows) error {
				var id, name string
				if err := rows.Scan(&id, &name); err != nil {
					return err
				}
				names[kind+":"+id] = name
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return names, nil
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

// VerifyAudit implements congdoan.AuditService: administrators only. It
// recomputes every event's hash in id order and checks the links and the
// signed head, and names every event that does not hold: a changed field
// (the hash), an event deleted or inserted (a gap in the ids, a broken
// link), the newest events deleted (the head), a head moved back or
// edited (its signature), an event signed by a key the ring does not hold.
func (d *DB) VerifyAudit(ctx context.Context) (_ *congdoan.AuditVerification, err error) {
	defer wrap(&err, "store.VerifyAudit")
	if u := congdoan.UserFromContext(ctx); u == nil || u.Role != congdoan.RoleAdmin {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ quản trị viên kiểm tra được chuỗi nhật ký.")
	}
	if d.auditKeys == nil {
		return nil, fmt.Errorf("no audit key ring")
	}
	v := &congdoan.AuditVerification{Problems: []congdoan.AuditProblem{}}
	bad := func(id int64, format string, args ...any) {
		v.Problems = append(v.Problems, congdoan.AuditProblem{EventID: id, Message: fmt.Sprintf(format, args...)})
	}
	var prevID, lastKey int64
	prev := ""
	missingKeys := map[int64]bool{}
	err = d.scan(ctx, `SELECT id, at, user_id, username, action, entity, entity_id, before_json, after_json, prev_hash, hash, key_id FROM audit_events ORDER BY id`, nil, func(rows *sql.Rows) error {
		var r auditRow
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.Action, &r.Entity, &r.EntityID, &r.Before, &r.After, &r.PrevHash, &r.Hash, &r.KeyID); err != nil {
			return err
		}
		v.Events++
		switch {
		case r.ID == prevID+2:
			bad(r.ID, "Thiếu sự kiện số %d ngay trước sự kiện này: sự kiện đã bị xóa khỏi nhật ký.", prevID+1)
		case r.ID > prevID+2:
			bad(r.ID, "Thiếu các sự kiện số %d–%d ngay trước sự kiện này: đã bị xóa khỏi nhật ký.", prevID+1, r.ID-1)
		}
		if r.PrevHash != prev {
			bad(r.ID, "Sự kiện không nối tiếp sự kiện trước nó (số %d): có sự kiện bị xóa, chèn hoặc sửa.", prevID)
		}
		key, ok := []byte(nil), true
		if r.KeyID != 0 {
			key, ok = d.auditKeys.byID(r.KeyID)
		} else if lastKey != 0 {
			ok = false // an unsigned event after signed ones was not written by congdoan
		}
		switch {
		case !ok && r.KeyID == 0:
			bad(r.ID, "Sự kiện không có chữ ký dù sau các sự kiện đã ký: không phải do hệ thống ghi.")
		case !ok:
			if !missingKeys[r.KeyID] {
				missingKeys[r.KeyID] = true
				bad(r.ID, "Sự kiện được ký bằng khóa số %d, không có trong tệp khóa: không kiểm tra được (cần tệp khóa đã dùng khi ghi).", r.KeyID)
			}
		case r.computeHash(key) != r.Hash:
			bad(r.ID, "Nội dung sự kiện không khớp mã kiểm tra: sự kiện đã bị sửa.")
		}
		prev, prevID, lastKey = r.Hash, r.ID, max(lastKey, r.KeyID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var headID, headKey int64
	var headHash, mac string
	if err := d.queryRow(ctx, `SELECT last_id, last_hash, head_key, head_mac FROM audit_head WHERE id = 1`).Scan(&headID, &headHash, &headKey, &mac); err != nil {
		return nil, err
	}
	v.LastID = headID
	switch {
	case headID > prevID:
		bad(prevID+1, "Các sự kiện mới nhất số %d–%d đã bị xóa khỏi nhật ký (đầu chuỗi ghi sự kiện số %d).", prevID+1, headID, headID)
	case headID < prevID || headHash != prev:
		bad(prevID, "Đầu chuỗi nhật ký (sự kiện số %d) không khớp sự kiện mới nhất (số %d): đầu chuỗi đã bị sửa.", headID, prevID)
	}
	switch key, ok := d.auditKeys.byID(headKey); {
	case headKey == 0 && lastKey != 0:
		bad(headID, "Đầu chuỗi nhật ký không có chữ ký dù nhật ký đã được ký: đầu chuỗi đã bị sửa.")
	case headKey == 0:
	case !ok:
		bad(headID, "Đầu chuỗi nhật ký được ký bằng khóa số %d, không có trong tệp khóa.", headKey)
	case headMAC(key, headID, headHash) != mac:
		bad(headID, "Chữ ký của đầu chuỗi nhật ký không khớp: đầu chuỗi đã bị sửa hoặc đưa về trạng thái cũ.")
	}
	v.OK = len(v.Problems) == 0
	return v, nil
}

// clampLimit bounds page sizes: 50 by default, 500 at most.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > congdoan.MaxPageSize:
		return congdoan.MaxPageSize
	}
	return n
}
