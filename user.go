package congdoan

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

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
	UnitDissolvedOn Date      `json:"-"`
	Disabled        bool      `json:"disabled"`
	CreatedAt       time.Time `json:"created_at"`
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
		v.Add("unit", "Tài khoản vai trò này cần gắn với một đơn vị (--unit MÃ).")
	}
	if msg := PasswordProblem(in.Password); msg != "" {
		v.Add("password", msg)
	}
	return v
}

// PasswordProblem says what is wrong with a new password, or "".
func PasswordProblem(pw string) string {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return fmt.Sprintf("Mật khẩu cần ít nhất %d ký tự.", MinPasswordLen)
	}
	return ""
}

// UserService manages users, passwords and sessions. Only administrators
// manage users; Authenticate and FindSession need no acting user.
type UserService interface {
	// CreateUser returns EINVALID for a bad name, role, unit or a weak
	// password and ECONFLICT for a taken username.
	CreateUser(ctx context.Context, in UserInput) (*User, error)
	// FindUsers lists users, by username.
	FindUsers(ctx context.Context) ([]*User, error)
	// SetPassword returns ENOTFOUND for an unknown username.
	SetPassword(ctx context.Context, username, password string) error
	// Authenticate returns EUNAUTHORIZED for a wrong name or password, or a
	// disabled user, without saying which.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// CreateSession returns a new random token; only its hash is stored.
	CreateSession(ctx context.Context, userID int64, kind string, ttl time.Duration) (string, error)
	// FindSession returns EUNAUTHORIZED for an unknown or expired token.
	FindSession(ctx context.Context, token string) (*User, error)
	// DeleteSession ends a session (logout). Unknown tokens are not an error.
	DeleteSession(ctx context.Context, token string) error
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10
