package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The audit chain is keyed: each event's hash is an HMAC-SHA256 under a
// key kept outside the database (a key file next to it, or wherever the
// operator says), so someone who can write the database but not read the
// key file cannot rewrite an event and re-chain the ones after it, nor
// drop the newest events and move the head back. Keys rotate: the newest
// signs new events, every key in the ring still verifies the events it
// signed (each event stores its key's id).

// AuditKey is one key of the ring.
type AuditKey struct {
	ID      int64     `json:"id"` // random (52 bits, exact in JSON numbers): unique across rings
	Key     []byte    `json:"key"`
	Created time.Time `json:"created_at"`
}

// AuditKeys is the key ring. Read only once loaded; Rotate writes a new
// file and returns a new ring.
type AuditKeys struct {
	keys []AuditKey // oldest first: the last one signs new events
}

// NewAuditKeys returns a ring with one new random key, not written
// anywhere (tests, and the first start before SaveAuditKeys).
func NewAuditKeys() *AuditKeys {
	r := &AuditKeys{}
	r.keys = append(r.keys, newAuditKey(time.Now(), nil))
	return r
}

func newAuditKey(now time.Time, ring []AuditKey) AuditKey {
	for {
		var b [40]byte
		rand.Read(b[:])
		id := int64(binary.BigEndian.Uint64(b[32:]) >> 12)
		if id == 0 || slices.ContainsFunc(ring, func(k AuditKey) bool { return k.ID == id }) {
			continue
		}
		return AuditKey{ID: id, Key: b[:32], Created: now.UTC().Truncate(time.Second)}
	}
}

// current is the key that signs new events.
func (r *AuditKeys) current() AuditKey { return r.keys[len(r.keys)-1] }

// byID returns the key with id.
func (r *AuditKeys) byID(id int64) ([]byte, bool) {
	for _, k := range r.keys {
		if k.ID == id {
			return k.Key, true
		}
	}
	return nil, false
}

// IDs returns the ids of the ring's keys, oldest first.
func (r *AuditKeys) IDs() []int64 {
	out := make([]int64, len(r.keys))
	for i, k := range r.keys {
		out[i] = k.ID
	}
	return out
}

type auditKeyFile struct {
	Note string     `json:"note"`
	Keys []AuditKey `json:"keys"`
}

// LoadAuditKeys reads the key ring at path. When the file does not exist
// and create is set, it makes a ring with one new key, writes it (mode
// 0600) and reports created.
func LoadAuditKeys(path string, create bool) (r *AuditKeys, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		r = NewAuditKeys()
		return r, true, SaveAuditKeys(path, r)
	}
	if err != nil {
		return nil, false, fmt.Errorf("audit key file: %w", err)
	}
	var f auditKeyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, false, fmt.Errorf("audit key file %s: %w", path, err)
	}
	if len(f.Keys) == 0 {
		return nil, false, fmt.Errorf("audit key file %s holds no key", path)
	}
	for _, k := range f.Keys {
		if len(k.Key) < 32 {
			return nil, false, fmt.Errorf("audit key file %s: key %d is shorter than 32 bytes", path, k.ID)
		}
	}
	return &AuditKeys{keys: f.Keys}, false, nil // in the file's order: the last one signs
}

// SaveAuditKeys writes the ring to path (mode 0600), replacing the file
// in one rename so a crash leaves the old ring or the new one.
func SaveAuditKeys(path string, r *AuditKeys) error {
	b, err := json.MarshalIndent(auditKeyFile{
		Note: "congdoan: khóa ký nhật ký thay đổi. Giữ bí mật, sao lưu riêng, không để cùng cơ sở dữ liệu. Mất tệp này thì không kiểm tra được nhật ký đã ký bằng nó.",
		Keys: r.keys}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".audit-key-*")
	if err != nil {
		return fmt.Errorf("audit key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// RotateAuditKeys adds a new key to the ring at path and writes it: new
// events are signed with it, the old keys still verify theirs.
func RotateAuditKeys(path string) (*AuditKeys, AuditKey, error) {
	r, _, err := LoadAuditKeys(path, false)
	if err != nil {
		return nil, AuditKey{}, err
	}
	k := newAuditKey(time.Now(), r.keys)
	n := &AuditKeys{keys: append(slices.Clone(r.keys), k)}
	if err := SaveAuditKeys(path, n); err != nil {
		return nil, AuditKey{}, err
	}
	return n, k, nil
}

// UseAuditKeys sets the ring the audit chain is signed and verified with.
// Writes fail without one: an event must never go unsigned.
func (d *DB) UseAuditKeys(r *AuditKeys) { d.auditKeys = r }

// DefaultAuditKeyPath is where the key ring of a database lives unless the
// operator says otherwise: beside a SQLite file ("congdoan.db.auditkey"),
// or congdoan-audit.key in the working directory for PostgreSQL. Either
// way outside the database, and to be backed up apart from it.
func DefaultAuditKeyPath(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "congdoan-audit.key"
	}
	return dsn + ".auditkey"
}

// RecordKeyRotation writes the audit event of a key rotation: the first
// event signed with the new key, which also covers, through its link, every
// event signed with the old one.
func (d *DB) RecordKeyRotation(ctx context.Context, keyID int64) (err error) {
	defer wrap(&err, "store.RecordKeyRotation(%d)", keyID)
	return d.tx(ctx, func(tx *Tx) error {
		return tx.audit(ctx, Event{Action: "audit.rotate_key", Entity: "system", EntityID: "audit_key", Global: true,
			After: map[string]any{"key_id": keyID}})
	})
}
