package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"congdoan"
)

// argon2id parameters (OWASP): 64 MiB, 1 pass, 2 lanes — about 150 ms on
// the 2-core machines this runs on. They are stored in each hash so they
// can be raised later without invalidating old passwords.
const (
	argonTime    = 1
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of password with the
// production parameters.
func HashPassword(password string) (string, error) { return hashPassword(password, argonMemory) }

// hashPassword hashes with memory KiB; tests use a small memory so that
// fixtures with many users stay fast (the parameters travel in the hash).
func hashPassword(password string, memory uint32) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, memory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", memory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword compares password with an encoded hash in constant time.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked when a username does not exist, so that a wrong
// username costs as much as a wrong password. (Its password is irrelevant.)
const dummyHash = "$argon2id$v=19$m=65536,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$7rD2Y2q0U0l6mD5K0mY0b9o8cVZb0a3Qk3t3j5qz1xM"

// checkNewPassword refuses a weak new password (congdoan.PasswordProblem).
func checkNewPassword(pw string) error {
	if msg := congdoan.PasswordProblem(pw); msg != "" {
		return congdoan.FieldError("password", msg)
	}
	return nil
}

const userCols = `us.id, us.username, us.full_name, us.role, COALESCE(us.unit_id, 0), COALESCE(u.code, ''), COALESCE(u.name, ''), us.disabled, us.created_at, u.dissolved_on`

func scanUser(sc interface{ Scan(...any) error }) (*congdoan.User, error) {
	var u congdoan.User
	var role, created string
	var disabled int
	var unitGone sql.NullString
	if err := sc.Scan(&u.ID, &u.Username, &u.FullName, &role, &u.UnitID, &u.UnitCode, &u.UnitName, &disabled, &created, &unitGone); err != nil {
		return nil, err
	}
	u.Role, u.Disabled, u.UnitDissolvedOn = congdoan.Role(role), disabled != 0, parseDate(unitGone)
	u.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return &u, nil
}

func requireAdmin(ctx context.Context) error {
	u := congdoan.UserFromContext(ctx)
	if u == nil || u.Role != congdoan.RoleAdmin {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ quản trị viên quản lý tài khoản.")
	}
	return nil
}

// CreateUser implements congdoan.UserService.
func (d *DB) CreateUser(ctx context.Context, in congdoan.UserInput) (_ *congdoan.User, err error) {
	defer wrap(&err, "store.CreateUser")
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password, d.passwordMemory())
	if err != nil {
		return nil, err
	}
	var out *congdoan.User
	err = d.tx(ctx, func(tx *Tx) error {
		var unitID any
		if in.UnitCode != "" {
			u, err := d.unitByCode(ctx, tx, scope{user: congdoan.SystemUser()}, in.UnitCode)
			if err != nil {
				return fieldErr(err, "unit")
			}
			unitID = u.ID
		}
		taken := &congdoan.Error{Code: congdoan.ECONFLICT, Message: "Tên đăng nhập " + in.Username + " đã có.", Fields: map[string]string{"username": "Đã có."}}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE username = ?`, in.Username).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return taken
		}
		id, err := tx.insert(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_id, disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)`,
			in.Username, in.FullName, hash, string(in.Role), unitID, tx.now.Format(time.RFC3339))
		if err != nil {
			return raced(err, taken)
		}
		out, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+` FROM users us LEFT JOIN units u ON u.id = us.unit_id WHERE us.id = ?`, id))
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "user.create", Entity: "user", EntityID: in.Username, UnitID: out.UnitID, Global: out.UnitID == 0, After: out})
	})
	return out, err
}

// FindUsers implements congdoan.UserService.
func (d *DB) FindUsers(ctx context.Context) (_ []*congdoan.User, err error) {
	defer wrap(&err, "store.FindUsers")
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, `SELECT `+userCols+` FROM users us LEFT JOIN units u ON u.id = us.unit_id ORDER BY us.username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*congdoan.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword implements congdoan.UserService. It also ends the user's
// sessions, so a leaked password stops working everywhere.
func (d *DB) SetPassword(ctx context.Context, username, password string) (err error) {
	defer wrap(&err, "store.SetPassword(%q)", username)
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := checkNewPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password, d.passwordMemory())
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		var id int64
		var unit sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT id, unit_id FROM users WHERE username = ?`, username).Scan(&id, &unit); err != nil {
			return notFound(err, "Không có tài khoản "+username+".")
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "user.password", Entity: "user", EntityID: username, UnitID: unit.Int64, Global: !unit.Valid})
	})
}

var errBadLogin = congdoan.Errorf(congdoan.EUNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng.")

// Authenticate implements congdoan.UserService.
func (d *DB) Authenticate(ctx context.Context, username, password string) (_ *congdoan.User, err error) {
	defer wrap(&err, "store.Authenticate(%q)", username)
	username = strings.ToLower(strings.TrimSpace(username))
	var hash string
	var id int64
	err = d.queryRow(ctx, `SELECT id, password_hash FROM users WHERE username = ? AND disabled = 0`, username).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(dummyHash, password)
		return nil, errBadLogin
	} else if err != nil {
		return nil, err
	}
	if !checkPassword(hash, password) {
		return nil, errBadLogin
	}
	return scanUser(d.queryRow(ctx, `SELECT `+userCols+` FROM users us LEFT JOIN units u ON u.id = us.unit_id WHERE us.id = ?`, id))
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession implements congdoan.UserService.
func (d *DB) CreateSession(ctx context.Context, userID int64, kind string, ttl time.Duration) (_ string, err error) {
	defer wrap(&err, "store.CreateSession(%d)", userID)
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := d.Now().UTC()
	err = d.tx(ctx, func(tx *Tx) error {
		// Expired sessions are swept here rather than by a timer: logins are
		// frequent enough and it keeps the table small.
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, now.Format(time.RFC3339)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			tokenHash(token), userID, kind, now.Format(time.RFC3339), now.Add(ttl).Format(time.RFC3339))
		return err
	})
	return token, err
}

// FindSession implements congdoan.UserService.
func (d *DB) FindSession(ctx context.Context, token string) (_ *congdoan.User, err error) {
	defer wrap(&err, "store.FindSession")
	if token == "" {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập.")
	}
	u, err := scanUser(d.queryRow(ctx, `SELECT `+userCols+` FROM sessions s JOIN users us ON us.id = s.user_id LEFT JOIN units u ON u.id = us.unit_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND us.disabled = 0`, tokenHash(token), d.Now().UTC().Format(time.RFC3339)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.")
	}
	return u, err
}

// DeleteSession implements congdoan.UserService.
func (d *DB) DeleteSession(ctx context.Context, token string) (err error) {
	defer wrap(&err, "store.DeleteSession")
	_, err = d.db.ExecContext(ctx, d.Rebind(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash(token))
	return err
}

func (d *DB) passwordMemory() uint32 {
	if d.PasswordMemoryKiB > 0 {
		return d.PasswordMemoryKiB
	}
	return argonMemory
}
