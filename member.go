package congdoan

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"congdoan/vntext"
)

// Gender is a member's gender as the CCCD records it.
type Gender string

// Genders.
const (
	GenderMale   Gender = "M"
	GenderFemale Gender = "F"
)

// Label returns the name of the gender in lang ("Nam", "Nữ"); the empty
// gender has an empty name.
func (g Gender) Label(lang string) string {
	if g == "" {
		return ""
	}
	return labelOf(lang, "gender", string(g))
}

// Reason is why a membership period starts or ends.
type Reason string

// Reasons a membership period starts or ends.
const (
	StartAdmitted    Reason = "admitted"     // kết nạp
	StartTransferIn  Reason = "transfer_in"  // chuyển sinh hoạt đến
	StartMerged      Reason = "merged"       // theo sáp nhập đơn vị
	StartReadmitted  Reason = "readmitted"   // kết nạp lại
	EndTransferOut   Reason = "transfer_out" // chuyển sinh hoạt đi
	EndMerged        Reason = "merged"       // đơn vị sáp nhập
	EndLeft          Reason = "left"         // thôi sinh hoạt (nghỉ việc, xin ra)
	EndRetired       Reason = "retired"      // nghỉ hưu
	EndExpelled      Reason = "expelled"     // khai trừ
	EndDeceased      Reason = "deceased"     // từ trần
	EndUnitDissolved Reason = "dissolved"    // đơn vị giải thể
)

// LeaveReasons are the reasons an officer can choose when a member leaves.
var LeaveReasons = []Reason{EndLeft, EndRetired, EndExpelled, EndDeceased}

// Label returns the name of the reason in lang ("Kết nạp", "Nghỉ hưu").
func (r Reason) Label(lang string) string { return labelOf(lang, "reason", string(r)) }

// MemberStatus is where a member stands, derived from the latest
// membership period.
type MemberStatus string

// Member statuses.
const (
	StatusActive MemberStatus = "active" // đang sinh hoạt
	StatusLeft   MemberStatus = "left"   // đã thôi (any end reason)
)

// Label returns the name of the status in lang ("Đang sinh hoạt").
func (s MemberStatus) Label(lang string) string { return labelOf(lang, "member", string(s)) }

// Member is a person with the union membership periods the caller may see.
// Personal data (CCCD, phone, birth date) comes masked unless the record was
// read with RevealMember, which is logged.
type Member struct {
	ID        int64        `json:"id"`
	CCCD      string       `json:"cccd"`
	FullName  string       `json:"full_name"`
	Gender    Gender       `json:"gender"`
	BirthDate string       `json:"birth_date"` // ISO when revealed, "••/••/1984"-style year only when masked
	BirthYear int          `json:"birth_year"`
	Ethnicity string       `json:"ethnicity,omitempty"`
	Phone     string       `json:"phone,omitempty"`
	Job       string       `json:"job,omitempty"`
	Masked    bool         `json:"masked"`
	Status    MemberStatus `json:"status"`
	UnitID    int64        `json:"-"`
	UnitCode  string       `json:"unit_code"` // current unit, or the last one for a former member
	UnitName  string       `json:"unit_name"`
	Since     Date         `json:"since"` // start of the current (or last) period
	EndReason Reason       `json:"end_reason,omitempty"`
	EndedOn   Date         `json:"ended_on"`
	Periods   []*Period    `json:"periods,omitempty"`
	// Version counts the edits of the person's details; an update that
	// names the version it was made from is refused if another came first.
	Version int64 `json:"version"`
	// Cursor is the member's place in the Vietnamese order of FindMembers,
	// set on the members it returns: MemberFilter.After takes it to list
	// what follows. It is opaque and carries no personal data beyond the
	// name the caller already has.
	Cursor string `json:"-"`
}

// Active reports whether the member is currently in a union.
func (m *Member) Active() bool { return m.Status == StatusActive }

// Period is one dated stay in one unit: [From, To), To zero while open.
type Period struct {
	ID          int64  `json:"id"`
	UnitCode    string `json:"unit_code"`
	UnitName    string `json:"unit_name"`
	From        Date   `json:"from"`
	To          Date   `json:"to"`
	StartReason Reason `json:"start_reason"`
	EndReason   Reason `json:"end_reason,omitempty"`
	Note        string `json:"note,omitempty"`
}

// MemberInput admits a member (creating the person when the CCCD is new) or,
// for updates, replaces the person's fields.
type MemberInput struct {
	CCCD      string `json:"cccd"`
	FullName  string `json:"full_name"`
	Gender    Gender `json:"gender"`
	BirthDate Date   `json:"birth_date"`
	Ethnicity string `json:"ethnicity"`
	Phone     string `json:"phone"`
	Job       string `json:"job"`
	UnitCode  string `json:"unit_code"` // admissions only
	JoinedOn  Date   `json:"joined_on"` // admissions only; today when zero
	Note      string `json:"note"`      // admissions only
}

// ValidatePerson normalises a person's own fields (NFC, spaces, the
// digits of the CCCD, the phone's form) and checks everything about them
// that needs no database, every field's message at once: presence and
// lengths, gender, a birth date that gives an age of 15 to 100 on today,
// the CCCD's 12 digits against the birth year and gender, the phone.
// Admissions (Validate) and person edits both call it; the store adds only
// what needs the database (a CCCD on file, the scope).
func (in *MemberInput) ValidatePerson(today Date) Validation {
	in.FullName, in.Ethnicity, in.Job, in.Note = vntext.Clean(in.FullName), vntext.Clean(in.Ethnicity), vntext.Clean(in.Job), vntext.Clean(in.Note)
	v := Validation{}
	checkText(v, "full_name", "Họ và tên", in.FullName, true, 100)
	if in.FullName != "" && !strings.Contains(in.FullName, " ") {
		v.Add("full_name", "Họ và tên cần có ít nhất họ và tên, cách nhau bằng dấu cách (ví dụ Hoàng Văn An).")
	}
	if in.Gender != GenderMale && in.Gender != GenderFemale {
		v.Add("gender", "Cần chọn giới tính Nam hoặc Nữ.")
	}
	if in.BirthDate.IsZero() {
		v.Add("birth_date", "Cần nhập ngày sinh (ngày/tháng/năm).")
	} else if age := today.Year() - in.BirthDate.Year(); age < 15 || age > 100 {
		v.Add("birth_date", fmt.Sprintf("Ngày sinh %s cho tuổi %d: người lao động phải từ 15 tuổi; kiểm tra lại năm sinh.", in.BirthDate.VN(), age))
	}
	checkText(v, "ethnicity", "Dân tộc", in.Ethnicity, false, 50)
	checkText(v, "job", "Nghề nghiệp, chức danh", in.Job, false, 200)
	checkText(v, "note", "Ghi chú", in.Note, false, 1000)
	switch raw := in.CCCD; {
	case utf8.RuneCountInString(raw) > 20:
		v.Add("cccd", "Số CCCD phải gồm đúng 12 chữ số.")
	default:
		in.CCCD = vntext.NormalizeDigits(raw)
		if in.CCCD == "" {
			v.Add("cccd", "Cần nhập số CCCD (12 chữ số).")
		} else if _, err := vntext.CheckCCCD(in.CCCD, in.Gender == GenderFemale, in.BirthDate.Year()); err != nil {
			v.Add("cccd", err.Error())
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		p, err := vntext.NormalizePhone(in.Phone)
		if err != nil {
			v.Add("phone", err.Error())
		}
		in.Phone = p
	}
	return v
}

// Validate normalises and checks an admission: the person
// (ValidatePerson), the union chosen, and the date of admission (today
// when zero, never after today).
func (in *MemberInput) Validate(today Date) Validation {
	v := in.ValidatePerson(today)
	in.UnitCode = strings.TrimSpace(in.UnitCode)
	if in.UnitCode == "" {
		v.Add("unit_code", "Cần chọn công đoàn cơ sở kết nạp.")
	}
	if in.JoinedOn.IsZero() {
		in.JoinedOn = today
	}
	if in.JoinedOn.After(today) {
		v.Add("joined_on", "Ngày kết nạp không được sau hôm nay.")
	}
	return v
}

// MemberUpdate changes a person's fields; nil fields stay as they are
// (PATCH semantics for the API; the web form sets them all).
type MemberUpdate struct {
	CCCD      *string `json:"cccd"`
	FullName  *string `json:"full_name"`
	Gender    *Gender `json:"gender"`
	BirthDate *Date   `json:"birth_date"`
	Ethnicity *string `json:"ethnicity"`
	Phone     *string `json:"phone"`
	Job       *string `json:"job"`
	// Version, when set, is the Member.Version the edit was made from: if
	// the record has changed since, the update is refused (409) rather
	// than silently overwriting the other change. The web form always
	// sends it.
	Version *int64 `json:"version"`
}

// Apply returns in with the update's set fields replaced.
func (up MemberUpdate) Apply(in MemberInput) MemberInput {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.CCCD, up.CCCD)
	set(&in.FullName, up.FullName)
	if up.Gender != nil {
		in.Gender = *up.Gender
	}
	set(&in.Ethnicity, up.Ethnicity)
	set(&in.Phone, up.Phone)
	set(&in.Job, up.Job)
	if up.BirthDate != nil {
		in.BirthDate = *up.BirthDate
	}
	return in
}

// TransferInput moves a member to another unit (chuyển sinh hoạt).
type TransferInput struct {
	ToUnitCode string `json:"to_unit"`
	On         Date   `json:"on"`
	Note       string `json:"note"`
}

// Validate normalises and checks a transfer: a union to move to, a date
// (today when zero, never after today), the note's length. That the date
// is not before the member's current period is the store's check.
func (in *TransferInput) Validate(today Date) Validation {
	v := Validation{}
	in.ToUnitCode, in.Note = strings.TrimSpace(in.ToUnitCode), vntext.Clean(in.Note)
	if in.ToUnitCode == "" {
		v.Add("to_unit", "Cần chọn đơn vị chuyển đến.")
	}
	checkMoveDate(v, &in.On, today)
	checkText(v, "note", "Ghi chú", in.Note, false, 1000)
	return v
}

// LeaveInput ends a member's current period.
type LeaveInput struct {
	Reason Reason `json:"reason"`
	On     Date   `json:"on"`
	Note   string `json:"note"`
}

// Validate normalises and checks a leave: one of LeaveReasons, a date
// (today when zero, never after today), the note's length.
func (in *LeaveInput) Validate(today Date) Validation {
	v := Validation{}
	in.Reason, in.Note = Reason(strings.TrimSpace(string(in.Reason))), vntext.Clean(in.Note)
	if !slices.Contains(LeaveReasons, in.Reason) {
		v.Add("reason", "Lý do phải là một trong: left (thôi sinh hoạt), retired (nghỉ hưu), expelled (khai trừ), deceased (từ trần).")
	}
	checkMoveDate(v, &in.On, today)
	checkText(v, "note", "Ghi chú", in.Note, false, 1000)
	return v
}

// checkMoveDate defaults a transfer's or leave's date to today and refuses
// a future one.
func checkMoveDate(v Validation, on *Date, today Date) {
	if on.IsZero() {
		*on = today
	}
	if on.After(today) {
		v.Add("on", "Ngày không được sau hôm nay.")
	}
}

// MemberFilter selects members.
type MemberFilter struct {
	// Query is words, each the start of some word of the name in any
	// order, with or without diacritics ("van an", "an nguyen"); or
	// digits: the first digits of a CCCD (at least 3), and for exactly 4
	// its last four as well.
	Query  string
	Unit   string // in this unit's subtree; "" = the caller's whole scope
	Direct bool   // only members directly in Unit, not its sections/groups
	Status string // "active" (default), "left", "all"
	Limit  int
	Offset int // rows skipped, counted from After when it is set
	// After is a Member.Cursor: the page starts after that member. Deep
	// pages cost what the first does, where an offset reads every row it
	// skips.
	After string
}

// MemberCountCap is how far FindMembers counts rows one by one: a search
// or list with more matches reports MemberCountCap+1, read "more than
// MemberCountCap" (broad prefixes such as "nguyen" match a large part of a
// province). Totals kept in unit_counts (the active members of a unit or
// subtree, without a search) are exact at any size.
const MemberCountCap = 1000

// MemberPage is a page of members and their total: exact, or, when
// Capped, "more than Total" (Total is then MemberCountCap) because
// counting further would be slow.
type MemberPage struct {
	Members []*Member
	Total   int
	Capped  bool
}

// MemberService admits, finds and moves members. Every method is scoped to
// the caller's subtree; a member whose current (or last) unit is outside it
// is ENOTFOUND.
type MemberService interface {
	// FindMemberByID returns the member with masked personal data and periods.
	FindMemberByID(ctx context.Context, id int64) (*Member, error)
	// RevealMember returns the member unmasked and writes an audit event
	// with the reason given (CheckRevealReason; "" only for API clients
	// that predate it, recorded as given without one).
	RevealMember(ctx context.Context, id int64, reason string) (*Member, error)
	// FindMembers returns a page in Vietnamese order (given name, then the
	// rest) and the total, which is MemberCountCap+1 when there are more
	// than MemberCountCap matches to count one by one. Monitors get
	// EFORBIDDEN.
	FindMembers(ctx context.Context, f MemberFilter) ([]*Member, int, error)
	// FindMemberPage is FindMembers with the total told apart from a
	// count that stopped at the cap (MemberPage.Capped).
	FindMemberPage(ctx context.Context, f MemberFilter) (*MemberPage, error)
	// CreateMember admits a person. If the CCCD is an active member
	// elsewhere it returns ECONFLICT naming that unit, with Details
	// member_id and unit_code so the caller can offer a transfer.
	CreateMember(ctx context.Context, in MemberInput) (*Member, error)
	// UpdateMember changes the person's own fields that are set in the
	// update (not unit or dates); the result is validated as a whole.
	UpdateMember(ctx context.Context, id int64, up MemberUpdate) (*Member, error)
	// TransferMember closes the current period and opens one in the new
	// unit on the same date. The target must be in the caller's scope
	// (EFORBIDDEN otherwise) and hold members.
	TransferMember(ctx context.Context, id int64, in TransferInput) (*Member, error)
	// LeaveMember closes the current period with a reason.
	LeaveMember(ctx context.Context, id int64, in LeaveInput) (*Member, error)
}

// RevealReasonMin is the shortest reason a reveal of personal data takes:
// enough for "xác minh hồ sơ", too much for "x".
const RevealReasonMin = 5

// CheckRevealReason cleans the reason for a reveal of a member's personal
// data and checks it: required unless optional, at least RevealReasonMin
// characters when given, at most 500. The reason is kept in the reveal's
// audit event, so that whoever reads the log sees why.
func CheckRevealReason(reason string, optional bool) (string, error) {
	reason = vntext.Clean(reason)
	v := Validation{}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0 && optional:
	case n < RevealReasonMin:
		v.Add("reason", "Cần nêu lý do xem dữ liệu cá nhân (ít nhất "+strconv.Itoa(RevealReasonMin)+" ký tự); lý do được ghi vào nhật ký.")
	default:
		checkText(v, "reason", "Lý do", reason, true, 500)
	}
	return reason, v.Err()
}
