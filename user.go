package congdoan

import (
	"context"
	"regexp"
	"strings"
	"time"

	"congdoan/vntext"
)

// Role says what a user may do; the unit says where.
type Role string

// Roles (DESIGN.md §2).
const (
	RoleAdmin             Role = "admin"              // system administration, the whole tree
	RoleProvinceOfficer   Role = "province_officer"   // LĐLĐ tỉnh staff: the whole province
	RoleUpperOfficer      Role = "upper_officer"      // LĐLĐ huyện, công đoàn ngành, KCN: its subtree
	RoleGrassrootsOfficer Role = "grassroots_officer" // chủ tịch / ủy viên CĐCS: its union and groups
	RoleMonitor           Role = "monitor"            // Ban Dân vận, Standing Committee: aggregates only
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleProvinceOfficer, RoleUpperOfficer, RoleGrassrootsOfficer, RoleMonitor}

// Label returns the name of the role in lang.
func (r Role) Label(lang string) string { return labelOf(lang, "role", string(r)) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// User is a person who logs in. Every user but the administrator works inside
// one unit's subtree (UnitID), and the store enforces it.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Role     Role   `json:"role"`
	UnitID   int64  `json:"unit_id,omitempty"`
	UnitCode string `json:"unit_code,omitempty"`
	UnitName string `json:"unit_name,omitempty"`
	// UnitDissolvedOn is when the user's unit was dissolved or merged
	// away; from that day the account reads and writes nothing until an
	// administrator assigns it a unit again.
	UnitDissolvedOn Date `json:"-"`
	Disabled        bool `json:"disabled"`
	// MustChangePassword is set when someone else chose the password (an
	// account created or reset by an officer): the web sends the user to
	// change it, and the API answers only /me and /me/password until then.
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
}

// CanManageUsers reports whether the user may create, edit, disable and
// reset accounts: administrators everywhere, province officers in their
// province (the store enforces the scope).
func (u *User) CanManageUsers() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleProvinceOfficer)
}

// Rank orders roles by reach, higher first: no one grants a role ranked
// above their own.
func (r Role) Rank() int {
	switch r {
	case RoleAdmin:
		return 4
	case RoleProvinceOfficer:
		return 3
	case RoleUpperOfficer, RoleMonitor:
		return 2
	case RoleGrassrootsOfficer:
		return 1
	}
	return 0
}

// CanReadPersonalData reports whether the user may see member records at all.
// Monitors read aggregates only.
func (u *User) CanReadPersonalData() bool { return u != nil && u.Role != RoleMonitor }

// CanWriteMembers reports whether the user may admit, edit, transfer and remove members.
func (u *User) CanWriteMembers() bool {
	return u != nil && u.Role != RoleMonitor
}

// CanManageUnits reports whether the user may create and restructure units
// (grassroots officers may only add sections and groups under their own union).
func (u *User) CanManageUnits() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleProvinceOfficer || u.Role == RoleUpperOfficer || u.Role == RoleGrassrootsOfficer)
}

// CanManageEmployers reports whether the user may create and edit employers.
func (u *User) CanManageEmployers() bool {
	return u != nil && u.Role != RoleMonitor
}

// CanAllocateTargets reports whether the user may hand a plan target down
// to the units below: the province federation and upper-level unions.
func (u *User) CanAllocateTargets() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleProvinceOfficer || u.Role == RoleUpperOfficer)
}

// UserInput creates a user.
type UserInput struct {
	Username string
	FullName string
	Role     Role
	UnitCode string
	Password string
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// Validate normalises the input (the username in lower case, the name in
// NFC) and checks what needs no database, every field at once.
func (in *UserInput) Validate(today Date) Validation {
	in.Username, in.FullName, in.UnitCode = strings.ToLower(strings.TrimSpace(in.Username)), vntext.Clean(in.FullName), strings.TrimSpace(in.UnitCode)
	v := Validation{}
	if !usernameRE.MatchString(in.Username) {
		v.Add("username", "Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch nối.")
	}
	checkText(v, "full_name", "Họ tên", in.FullName, false, 100)
	if !in.Role.Valid() {
		v.Add("role", "Vai trò phải là một trong: admin, province_officer, upper_officer, grassroots_officer, monitor.")
	}
	if in.Role != RoleAdmin && in.UnitCode == "" {
		v.Add("unit_code", "Tài khoản vai trò này cần gắn với một đơn vị: nhập mã đơn vị.")
	}
	if msg := PasswordProblem(in.Password, in.Username); msg != "" {
		v.Add("password", msg)
	}
	return v
}

// UserUpdate changes an account; nil fields stay as they are.
type UserUpdate struct {
	FullName *string `json:"full_name"`
	Role     *Role   `json:"role"`
	UnitCode *string `json:"unit_code"`
	Disabled *bool   `json:"disabled"`
}

// Validate normalises the update and checks what needs no database.
func (in *UserUpdate) Validate() Validation {
	v := Validation{}
	if in.FullName != nil {
		*in.FullName = vntext.Clean(*in.FullName)
		checkText(v, "full_name", "Họ tên", *in.FullName, false, 100)
	}
	if in.Role != nil && !in.Role.Valid() {
		v.Add("role", "Vai trò phải là một trong: admin, province_officer, upper_officer, grassroots_officer, monitor.")
	}
	if in.UnitCode != nil {
		*in.UnitCode = strings.TrimSpace(*in.UnitCode)
	}
	return v
}

// UserFilter narrows FindUsers.
type UserFilter struct {
	UnitCode string // the unit's subtree; "" for the whole scope
}

// Session is one of a user's logins, as the account page lists them. The
// token is never shown, nor its hash.
type Session struct {
	Kind       string    `json:"kind"` // web or api
	UserAgent  string    `json:"user_agent,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current"` // the session of the request
}

// UserService manages users, passwords and sessions. Administrators
// manage every account, province officers those of their province (never
// an administrator, nor a role above their own); everyone changes their
// own password and ends their own sessions. Authenticate and FindSession
// need no acting user.
type UserService interface {
	// CreateUser returns EINVALID for a bad name, role, unit or a weak
	// password, EFORBIDDEN for a role or unit the caller may not grant, and
	// ECONFLICT for a taken username. An account an officer creates must
	// change its password at first login; one made from the command line
	// need not.
	CreateUser(ctx context.Context, in UserInput) (*User, error)
	// FindUsers lists the accounts in the caller's scope, by username;
	// ENOTFOUND for a unit outside it.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// FindUserByID returns ENOTFOUND for an account outside the scope.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// UpdateUser changes name, role, unit or disables the account (which
	// ends its sessions at once). ENOTFOUND outside the scope, EFORBIDDEN
	// for a role or unit the caller may not grant or for one's own role,
	// unit or disabling.
	UpdateUser(ctx context.Context, id int64, in UserUpdate) (*User, error)
	// ResetPassword sets another account's password, ends its sessions and
	// makes it change the password at next login. ENOTFOUND outside the
	// scope, EINVALID for a weak password.
	ResetPassword(ctx context.Context, id int64, password string) error
	// ChangePassword changes the caller's own password: EINVALID naming
	// "current" when it is wrong, "new" when the new one is weak. Every
	// other session of the caller ends; keepToken's stays.
	ChangePassword(ctx context.Context, current, new, keepToken string) error
	// FindSessions lists the caller's sessions, newest first, marking
	// currentToken's.
	FindSessions(ctx context.Context, currentToken string) ([]*Session, error)
	// EndOtherSessions logs the caller out everywhere but currentToken's
	// session and returns how many ended.
	EndOtherSessions(ctx context.Context, currentToken string) (int, error)
	// SetPassword returns ENOTFOUND for an unknown username (the command
	// line: administrators only).
	SetPassword(ctx context.Context, username, password string) error
	// Authenticate returns EUNAUTHORIZED for a wrong name or password, or a
	// disabled user, without saying which.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// CreateSession returns a new random token; only its hash is stored,
	// with the kind (web, api) and the client's User-Agent for the session
	// list.
	CreateSession(ctx context.Context, userID int64, kind string, ttl time.Duration, userAgent string) (string, error)
	// FindSession returns EUNAUTHORIZED for an unknown or expired token.
	FindSession(ctx context.Context, token string) (*User, error)
	// DeleteSession ends a session (logout). Unknown tokens are not an error.
	DeleteSession(ctx context.Context, token string) error
}
