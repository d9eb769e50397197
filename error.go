package congdoan

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in one place (api and web).
const (
	EINVALID      = "invalid"      // the input is wrong; the message says how to fix it
	ENOTFOUND     = "not_found"    // no such record in the caller's scope
	ECONFLICT     = "conflict"     // the input clashes with existing records
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EUNAUTHORIZED = "unauthorized" // no valid login
	EINTERNAL     = "internal"     // our fault; details are logged, not shown
)

// Error is a domain error. Message is Vietnamese and safe to show to the user.
// Fields holds per-field messages for forms and the API (field name → message).
// Details carries machine-readable hints, for example the unit where a CCCD is
// already an active member so that a client can offer the transfer.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Details map[string]string
}

func (e *Error) Error() string { return fmt.Sprintf("congdoan %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: map[string]string{field: message}}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message: their details belong in the log.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Lỗi hệ thống. Vui lòng thử lại hoặc báo quản trị viên."
}

// Validation collects per-field messages and turns them into one EINVALID error.
type Validation map[string]string

// Add records msg for field unless the field already has a message.
func (v Validation) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Err returns nil when there are no messages, else an *Error listing them.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	msg := "Dữ liệu chưa hợp lệ, vui lòng sửa các trường được đánh dấu."
	if len(v) == 1 {
		for _, m := range v {
			msg = m
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string(v)}
}
