// Package congdoan holds the domain of a Vietnamese trade-union registry: units
// (the union tree), employers, persons and their membership periods, users and
// the audit trail. It defines types, validation and the service interfaces that
// the store implements and the web and API layers call. It does no I/O.
//
// Every service method takes a context that carries the acting user
// (NewContextWithUser); implementations scope every read and write to that
// user's unit subtree, so the web and API layers cannot forget to.
package congdoan

import (
	"context"
	"time"

	"congdoan/vntext"
)

type contextKey int

const userContextKey contextKey = 1

// NewContextWithUser returns a context that carries the acting user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the acting user, or nil when there is none.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// SystemUser is the actor of command-line operations (demo generation, user
// administration from the shell): an administrator that is not a row in users.
func SystemUser() *User {
	return &User{ID: 0, Username: "system", FullName: "Hệ thống", Role: RoleAdmin}
}

// VietnamTime is Vietnam's time (UTC+7, no daylight saving), as a fixed
// zone so that nothing depends on the machine's tzdata. "Today" in the
// registry, and every time shown or printed, is Vietnamese wall-clock
// time, whatever zone the server runs in.
var VietnamTime = time.FixedZone("ICT", 7*3600)

// Date is a civil date (no time of day, no zone). Dates are what the union's
// records are about: admission on, valid from, as of. The zero Date means
// "not set".
type Date struct{ t time.Time }

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseISODate parses "2006-01-02".
func ParseISODate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "Ngày %q không đúng dạng năm-tháng-ngày (ví dụ 2025-07-01).", s)
	}
	return Date{t}, nil
}

// ParseDate reads a date as officers type it — dd/mm/yyyy (also with "."
// or "-"), or ISO yyyy-mm-dd — with a Vietnamese message that shows the
// expected form. Forms and imports read dates with it; the API takes ISO.
func ParseDate(s string) (Date, error) {
	t, err := vntext.ParseDate(s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%s", err.Error())
	}
	return DateOf(t), nil
}

// Time returns the date as midnight UTC.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Year returns the year of d.
func (d Date) Year() int { return d.t.Year() }

// String returns the ISO form used in storage and the API ("2025-07-01"), or "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// VN returns the form Vietnamese officers read and write ("01/07/2025"), or "".
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02/01/2006")
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// MarshalJSON writes the ISO form, or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads the ISO form or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return Errorf(EINVALID, "Ngày phải là chuỗi dạng năm-tháng-ngày, ví dụ \"2025-07-01\".")
	}
	v, err := ParseISODate(s[1 : len(s)-1])
	if err != nil {
		return err
	}
	if v.IsZero() {
		// 0001-01-01 is the zero Date, which means "not given": taking it
		// would silently put today (or nothing) in its place.
		return Errorf(EINVALID, "Ngày %s không dùng được; bỏ trường hoặc gửi null khi chưa có ngày.", s)
	}
	*d = v
	return nil
}

// Services bundles the services the web and API layers call. The store
// implements all of them; tests may wire any implementation.
type Services struct {
	Units      UnitService
	Employers  EmployerService
	Members    MemberService
	Users      UserService
	Audit      AuditService
	Agreements AgreementService
	Indicators IndicatorService
	Reports    ReportService
	Targets    TargetService
	Imports    ImportService
	// Notifications are the sources of what awaits a user (the bell):
	// the store's, then each module's own.
	Notifications []NotificationSource
}

// MaxPageSize is the most records a list answers at once (default 50).
const MaxPageSize = 500
