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

// checkNewPassword refuses a weak new password for username
// (congdoan.PasswordProblem), naming field.
func checkNewPassword(pw, username, field string) error {
	if msg := congdoan.PasswordProblem(pw, username); msg != "" {
		return congdoan.FieldError(field, msg)
	}
	return nil
}

const userCols = `us.id, us.username, us.full_name, us.role, COALESCE(us.unit_id, 0), COALESCE(u.code, ''), COALESCE(u.name, ''), us.disabled, us.must_change_password, us.created_at, u.dissolved_on`

const userFrom = ` FROM users us LEFT JOIN units u ON u.id = us.unit_id`

// scanUser reads userCols, then extra.
func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*congdoan.User, error) {
	var u congdoan.User
	var role, created string
	var disabled, mustChange int
	var unitGone sql.NullString
	if err := sc.Scan(append([]any{&u.ID, &u.Username, &u.FullName, &role, &u.UnitID, &u.UnitCode, &u.UnitName, &disabled, &mustChange, &created, &unitGone}, extra...)...); err != nil {
		return nil, err
	}
	u.Role, u.Disabled, u.MustChangePassword, u.UnitDissolvedOn = congdoan.Role(role), disabled != 0, mustChange != 0, parseDate(unitGone)
	u.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return &u, nil
}

func requireAdmin(ctx context.Context) error {
	u := congdoan.UserFromContext(ctx)
	if u == nil || u.Role != congdoan.RoleAdmin {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ quản trị viên làm việc này.")
	}
	return nil
}

// userScope is the scope of account management: an administrator's
// (everything), a province officer's subtree. The accounts in it are those
// whose unit is in the subtree, so a province officer never sees an
// administrator without a unit. Other roles manage only themselves.
func (d *DB) userScope(ctx context.Context) (scope, error) {
	s, err := d.scopeOf(ctx)
	if err != nil {
		return s, err
	}
	if !s.user.CanManageUsers() {
		return scope{}, congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ quản trị viên và cán bộ LĐLĐ tỉnh quản lý tài khoản; bạn chỉ đổi được mật khẩu của mình.")
	}
	return s, nil
}

// usersIn is the condition that an account (us) is in s.
func (s scope) usersIn() string {
	if s.rootID == 0 {
		return "1=1"
	}
	return "us.unit_id IS NOT NULL AND " + inSubtree(s.rootID, "us.unit_id")
}

// mayGrant refuses a role ranked above the caller's own.
func (s scope) mayGrant(role congdoan.Role) error {
	if role.Rank() > s.user.Role.Rank() {
		msg := "Bạn không cấp được vai trò " + role.Label("vi") + ", cao hơn vai trò của mình."
		return &congdoan.Error{Code: congdoan.EFORBIDDEN, Message: msg, Fields: map[string]string{"role": msg}}
	}
	return nil
}

// userInScope reads an account of s; ENOTFOUND outside it.
func (d *DB) userInScope(ctx context.Context, q queryer, s scope, id int64) (*congdoan.User, error) {
	u, err := scanUser(q.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE us.id = ? AND `+s.usersIn(), id))
	return u, notFound(err, fmt.Sprintf("Không có tài khoản số %d trong phạm vi bạn quản lý.", id))
}

// auditUnit is the unit an account's events are filed under (Event.UnitID).
func auditUser(action string, u *congdoan.User, before, after any) Event {
	return Event{Action: action, Entity: "user", EntityID: u.Username, UnitID: u.UnitID, Global: u.UnitID == 0, Before: before, After: after}
}

// CreateUser implements congdoan.UserService.
func (d *DB) CreateUser(ctx context.Context, in congdoan.UserInput) (_ *congdoan.User, err error) {
	defer wrap(&err, "store.CreateUser")
	s, err := d.userScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	if err := s.mayGrant(in.Role); err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password, d.passwordMemory())
	if err != nil {
		return nil, err
	}
	// Someone else chose the password: its owner changes it at first
	// login. The command line (the system user) sets up accounts whose
	// operator knows what was typed.
	mustChange := 0
	if s.user.ID != 0 {
		mustChange = 1
	}
	var out *congdoan.User
	err = d.tx(ctx, func(tx *Tx) error {
		var unitID any
		if in.UnitCode != "" {
			u, err := d.unitByCode(ctx, tx, s, in.UnitCode)
			if err != nil {
				return fieldErr(err, "unit_code")
			}
			unitID = u.ID
		}
		taken := &congdoan.Error{Code: congdoan.ECONFLICT, Message: "Tên đăng nhập " + in.Username + " đã có.", Fields: map[string]string{"username": "Tên đăng nhập này đã có."}}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE username = ?`, in.Username).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return taken
		}
		id, err := tx.insert(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_id, disabled, must_change_password, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
			in.Username, in.FullName, hash, string(in.Role), unitID, mustChange, tx.now.Format(time.RFC3339))
		if err != nil {
			return raced(err, taken)
		}
		out, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE us.id = ?`, id))
		if err != nil {
			return err
		}
		return tx.audit(ctx, auditUser("user.create", out, nil, out))
	})
	return out, err
}

// FindUsers implements congdoan.UserService.
func (d *DB) FindUsers(ctx context.Context, f congdoan.UserFilter) (_ []*congdoan.User, err error) {
	defer wrap(&err, "store.FindUsers")
	s, err := d.userScope(ctx)
	if err != nil {
		return nil, err
	}
	cond := s.usersIn()
	if f.UnitCode != "" {
		u, err := d.unitByCode(ctx, d, s, f.UnitCode)
		if err != nil {
			return nil, err
		}
		cond = "us.unit_id IS NOT NULL AND " + inSubtree(u.ID, "us.unit_id")
	}
	var out []*congdoan.User
	err = d.scan(ctx, `SELECT `+userCols+userFrom+` WHERE `+cond+` ORDER BY us.username`, nil, func(rows *sql.Rows) error {
		u, err := scanUser(rows)
		out = append(out, u)
		return err
	})
	return out, err
}

// FindUserByID implements congdoan.UserService.
func (d *DB) FindUserByID(ctx context.Context, id int64) (_ *congdoan.User, err error) {
	defer wrap(&err, "store.FindUserByID(%d)", id)
	s, err := d.userScope(ctx)
	if err != nil {
		return nil, err
	}
	return d.userInScope(ctx, d, s, id)
}

// UpdateUser implements congdoan.UserService.
func (d *DB) UpdateUser(ctx context.Context, id int64, in congdoan.UserUpdate) (_ *congdoan.User, err error) {
	defer wrap(&err, "store.UpdateUser(%d)", id)
	s, err := d.userScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	var out *congdoan.User
	err = d.tx(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "users", id); err != nil {
			return err
		}
		before, err := d.userInScope(ctx, tx, s, id)
		if err != nil {
			return err
		}
		after := *before
		if in.FullName != nil {
			after.FullName = *in.FullName
		}
		if in.Role != nil {
			after.Role = *in.Role
		}
		if in.Disabled != nil {
			after.Disabled = *in.Disabled
		}
		if in.UnitCode != nil && *in.UnitCode != before.UnitCode {
			after.UnitID, after.UnitCode, after.UnitName = 0, "", ""
			if *in.UnitCode != "" {
				u, err := d.unitByCode(ctx, tx, s, *in.UnitCode)
				if err != nil {
					return fieldErr(err, "unit_code")
				}
				after.UnitID, after.UnitCode, after.UnitName = u.ID, u.Code, u.Name
			}
		}
		// Locking oneself out, or out of one's powers, takes a second
		// person: there is no one to undo it otherwise.
		if before.ID == s.user.ID && (after.Role != before.Role || after.UnitID != before.UnitID || after.Disabled) {
			return congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không tự đổi vai trò, đơn vị hay khóa tài khoản của chính mình; nhờ một người quản lý khác.")
		}
		if err := s.mayGrant(before.Role); err != nil {
			return err
		}
		if err := s.mayGrant(after.Role); err != nil {
			return err
		}
		if after.Role != congdoan.RoleAdmin && after.UnitID == 0 {
			return congdoan.FieldError("unit_code", "Tài khoản vai trò này cần gắn với một đơn vị: nhập mã đơn vị.")
		}
		if after == *before {
			out = before
			return nil
		}
		var unitID any
		if after.UnitID != 0 {
			unitID = after.UnitID
		}
		if _, err := tx.exec(ctx, `UPDATE users SET full_name = ?, role = ?, unit_id = ?, disabled = ? WHERE id = ?`,
			after.FullName, string(after.Role), unitID, boolInt(after.Disabled), id); err != nil {
			return err
		}
		// A disabled account, or one moved to another role or unit, starts
		// again from a login: its open sessions carry the old powers.
		if after.Disabled || after.Role != before.Role || after.UnitID != before.UnitID {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		out, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE us.id = ?`, id))
		if err != nil {
			return err
		}
		// Filed under the new unit: its officers answer for the account now.
		return tx.audit(ctx, auditUser("user.update", out, before, out))
	})
	return out, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ResetPassword implements congdoan.UserService.
func (d *DB) ResetPassword(ctx context.Context, id int64, password string) (err error) {
	defer wrap(&err, "store.ResetPassword(%d)", id)
	s, err := d.userScope(ctx)
	if err != nil {
		return err
	}
	// The checks and the hash (~150 ms) come before the transaction, which
	// holds the audit head; inside it the account is read again.
	u, err := d.userInScope(ctx, d, s, id)
	if err != nil {
		return err
	}
	if u.ID == s.user.ID {
		return congdoan.FieldError("password", "Mật khẩu của chính bạn đổi ở trang Tài khoản, với mật khẩu hiện tại.")
	}
	if err := s.mayGrant(u.Role); err != nil {
		return err
	}
	if err := checkNewPassword(password, u.Username, "password"); err != nil {
		return err
	}
	hash, err := hashPassword(password, d.passwordMemory())
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "users", id); err != nil {
			return err
		}
		u, err := d.userInScope(ctx, tx, s, id)
		if err != nil {
			return err
		}
		if err := s.mayGrant(u.Role); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?`, hash, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, auditUser("user.password", u, nil, map[string]bool{"must_change_password": true}))
	})
}

// ChangePassword implements congdoan.UserService.
func (d *DB) ChangePassword(ctx context.Context, current, newPassword, keepToken string) (err error) {
	defer wrap(&err, "store.ChangePassword")
	me := congdoan.UserFromContext(ctx)
	if me == nil || me.ID == 0 {
		return congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập.")
	}
	var hash string
	if err := d.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, me.ID).Scan(&hash); err != nil {
		return notFound(err, "Không có tài khoản này.")
	}
	v := congdoan.Validation{}
	if current == "" {
		v.Add("current", "Cần nhập mật khẩu hiện tại.")
	} else if !checkPassword(hash, current) {
		v.Add("current", "Mật khẩu hiện tại không đúng.")
	}
	if newPassword != "" && newPassword == current {
		v.Add("new", "Mật khẩu mới phải khác mật khẩu hiện tại.")
	} else if msg := congdoan.PasswordProblem(newPassword, me.Username); msg != "" {
		v.Add("new", msg)
	}
	if err := v.Err(); err != nil {
		return err
	}
	newHash, err := hashPassword(newPassword, d.passwordMemory())
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?`, newHash, me.ID); err != nil {
			return err
		}
		// Whoever knew the old password is logged out; the one changing it
		// stays in.
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, me.ID, tokenHash(keepToken))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		return tx.audit(ctx, auditUser("user.password_change", me, nil, map[string]int64{"sessions_ended": n}))
	})
}

// FindSessions implements congdoan.UserService.
func (d *DB) FindSessions(ctx context.Context, currentToken string) (_ []*congdoan.Session, err error) {
	defer wrap(&err, "store.FindSessions")
	me := congdoan.UserFromContext(ctx)
	if me == nil || me.ID == 0 {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập.")
	}
	cur := tokenHash(currentToken)
	var out []*congdoan.Session
	err = d.scan(ctx, `SELECT token_hash, kind, user_agent, created_at, COALESCE(last_seen_at, created_at), expires_at FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, token_hash`, []any{me.ID, d.Now().UTC().Format(time.RFC3339)}, func(rows *sql.Rows) error {
		var s congdoan.Session
		var h, created, seen, expires string
		if err := rows.Scan(&h, &s.Kind, &s.UserAgent, &created, &seen, &expires); err != nil {
			return err
		}
		s.CreatedAt, _ = time.Parse(time.RFC3339, created)
		s.LastSeenAt, _ = time.Parse(time.RFC3339, seen)
		s.ExpiresAt, _ = time.Parse(time.RFC3339, expires)
		s.Current = h == cur
		out = append(out, &s)
		return nil
	})
	return out, err
}

// EndOtherSessions implements congdoan.UserService.
func (d *DB) EndOtherSessions(ctx context.Context, currentToken string) (n int, err error) {
	defer wrap(&err, "store.EndOtherSessions")
	me := congdoan.UserFromContext(ctx)
	if me == nil || me.ID == 0 {
		return 0, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Cần đăng nhập.")
	}
	err = d.tx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, me.ID, tokenHash(currentToken))
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		n = int(k)
		if n == 0 {
			return nil
		}
		return tx.audit(ctx, auditUser("user.logout_others", me, nil, map[string]int{"sessions_ended": n}))
	})
	return n, err
}

// SetPassword implements congdoan.UserService. It also ends the user's
// sessions, so a leaked password stops working everywhere.
func (d *DB) SetPassword(ctx context.Context, username, password string) (err error) {
	defer wrap(&err, "store.SetPassword(%q)", username)
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := checkNewPassword(password, username, "password"); err != nil {
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
	return scanUser(d.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE us.id = ?`, id))
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession implements congdoan.UserService.
func (d *DB) CreateSession(ctx context.Context, userID int64, kind string, ttl time.Duration, userAgent string) (_ string, err error) {
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
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, kind, created_at, last_seen_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tokenHash(token), userID, kind, now.Format(time.RFC3339), now.Format(time.RFC3339), now.Add(ttl).Format(time.RFC3339), shortAgent(userAgent))
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
	now := d.Now().UTC()
	var seen sql.NullString
	h := tokenHash(token)
	u, err := scanUser(d.queryRow(ctx, `SELECT `+userCols+`, s.last_seen_at FROM sessions s JOIN users us ON us.id = s.user_id LEFT JOIN units u ON u.id = us.unit_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND us.disabled = 0`, h, now.Format(time.RFC3339)), &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, congdoan.Errorf(congdoan.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.")
	} else if err != nil {
		return nil, err
	}
	// "Last seen" for the session list, to the nearest few minutes: one
	// small write per session every seenEvery, not one per request.
	if t, _ := time.Parse(time.RFC3339, seen.String); !seen.Valid || now.Sub(t) >= seenEvery {
		if _, err := d.db.ExecContext(ctx, d.Rebind(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), now.Format(time.RFC3339), h); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// seenEvery is how stale a session's last_seen_at may get.
const seenEvery = 5 * time.Minute

// shortAgent keeps the first 200 characters of a User-Agent, valid UTF-8.
func shortAgent(ua string) string {
	ua = strings.ToValidUTF8(strings.TrimSpace(ua), "")
	if r := []rune(ua); len(r) > 200 {
		ua = string(r[:200])
	}
	return ua
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
