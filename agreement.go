package congdoan

import (
	"context"
	"strconv"
	"strings"

	"congdoan/vntext"
)

// AgreementKind is the level at which a collective labour agreement
// (thỏa ước lao động tập thể, TƯLĐTT) was bargained (Labour Code 2019 Art. 75).
type AgreementKind string

// Agreement kinds.
const (
	AgreementEnterprise    AgreementKind = "enterprise"     // thỏa ước cấp doanh nghiệp
	AgreementSectoral      AgreementKind = "sectoral"       // thỏa ước ngành
	AgreementMultiEmployer AgreementKind = "multi_employer" // thỏa ước có nhiều doanh nghiệp tham gia
)

// AgreementKinds lists the kinds in display order.
var AgreementKinds = []AgreementKind{AgreementEnterprise, AgreementSectoral, AgreementMultiEmployer}

// Label returns the name of the kind in lang.
func (k AgreementKind) Label(lang string) string { return labelOf(lang, "akind", string(k)) }

// Valid reports whether k is a known kind.
func (k AgreementKind) Valid() bool {
	for _, x := range AgreementKinds {
		if x == k {
			return true
		}
	}
	return false
}

// AgreementGrades are the quality grades an agreement may be given under
// Guidance 90/HD-TLĐ (17/7/2023). Reports mention A, B and C; whether a D
// exists and what each grade requires are not confirmed (DOMAIN-FACTS §4),
// so the grade is recorded as the federation states it, never computed.
// An empty grade means "not graded".
var AgreementGrades = []string{"A", "B", "C"}

// AgreementStatus is where an agreement stands on a day (Agreement.StatusOn).
type AgreementStatus string

// Agreement statuses.
const (
	AgreementPending  AgreementStatus = "pending"  // chưa có hiệu lực: signed, valid from a later day
	AgreementValid    AgreementStatus = "valid"    // còn hiệu lực
	AgreementExpiring AgreementStatus = "expiring" // sắp hết hạn: valid, ends within AgreementExpiringDays
	AgreementExpired  AgreementStatus = "expired"  // hết hiệu lực
)

// AgreementExpiringDays is how far ahead an expiry is flagged: two months
// leave the union time to bargain the renewal before the old text lapses.
const AgreementExpiringDays = 60

// Label returns the name of the status in lang. The catalog writes
// AgreementExpiringDays into the expiring label; a test keeps them equal.
func (s AgreementStatus) Label(lang string) string { return labelOf(lang, "astatus", string(s)) }

// Agreement is the record of a collective labour agreement that covers a
// grassroots union. It holds what the plan's cba_coverage_pct indicator needs
// (who, which employer, valid when) and the fields the labour-relations
// module builds on: the grade, and the agreement it renews.
//
// Validity is the closed interval [ValidFrom, ValidTo]: ValidTo is the last
// day the agreement is in force, because agreements say "có hiệu lực đến hết
// ngày …". This differs on purpose from membership periods and tree edges,
// whose end is exclusive; ValidOn is the one place that reads it.
type Agreement struct {
	ID           int64         `json:"id"`
	UnitCode     string        `json:"unit_code"` // the grassroots union that signed it or is covered by it
	UnitName     string        `json:"unit_name"`
	EmployerID   int64         `json:"employer_id"`
	EmployerName string        `json:"employer_name"`
	Kind         AgreementKind `json:"kind"`
	SignedOn     Date          `json:"signed_on"`
	ValidFrom    Date          `json:"valid_from"`
	ValidTo      Date          `json:"valid_to"` // last day in force, inclusive
	Quality      string        `json:"quality"`  // "", or one of AgreementGrades
	Note         string        `json:"note,omitempty"`
	RenewsID     int64         `json:"renews_id,omitempty"` // the agreement this one renews; 0 for none
}

// ValidOn reports whether the agreement is in force on d (both ends included).
func (a *Agreement) ValidOn(d Date) bool { return !d.Before(a.ValidFrom) && !d.After(a.ValidTo) }

// StatusOn returns the agreement's status on d: pending, valid, expiring
// (valid and ending within AgreementExpiringDays of d) or expired.
func (a *Agreement) StatusOn(d Date) AgreementStatus {
	switch {
	case d.Before(a.ValidFrom):
		return AgreementPending
	case d.After(a.ValidTo):
		return AgreementExpired
	case !a.ValidTo.After(d.AddDays(AgreementExpiringDays)):
		return AgreementExpiring
	}
	return AgreementValid
}

// AgreementInput records or replaces an agreement.
type AgreementInput struct {
	UnitCode   string        `json:"unit_code"`
	EmployerID int64         `json:"employer_id"` // 0: the union's own employer
	Kind       AgreementKind `json:"kind"`
	SignedOn   Date          `json:"signed_on"`
	ValidFrom  Date          `json:"valid_from"`
	ValidTo    Date          `json:"valid_to"`
	Quality    string        `json:"quality"`
	Note       string        `json:"note"`
	RenewsID   int64         `json:"renews_id"`
}

// AgreementMaxYears bounds an agreement's validity. The Labour Code's term is
// usually cited as 1 to 3 years (Art. 78, not confirmed here), so the check
// only catches typing errors (a year off by a decade) and leaves the legal
// rule to the officers.
const AgreementMaxYears = 5

// Validate normalises the input (trimmed codes, NFC note, the grade in
// capitals) and checks what needs no database, today being the current
// date in Vietnam: every field's message at once, each naming the field.
// An update may leave the union out (it keeps the agreement's own): the
// store drops that one message.
func (in *AgreementInput) Validate(today Date) Validation {
	in.UnitCode, in.Note = strings.TrimSpace(in.UnitCode), vntext.Clean(in.Note)
	in.Quality = strings.ToUpper(strings.TrimSpace(in.Quality))
	in.Kind = AgreementKind(strings.TrimSpace(string(in.Kind)))
	v := Validation{}
	if in.UnitCode == "" {
		v.Add("unit_code", "Cần chọn công đoàn cơ sở có thỏa ước.")
	}
	if !in.Kind.Valid() {
		v.Add("kind", "Loại thỏa ước phải là cấp doanh nghiệp, ngành hoặc có nhiều doanh nghiệp tham gia.")
	}
	if in.SignedOn.IsZero() {
		v.Add("signed_on", "Cần nhập ngày ký thỏa ước.")
	} else if in.SignedOn.After(today) {
		v.Add("signed_on", "Ngày ký "+in.SignedOn.VN()+" không được sau hôm nay.")
	}
	if in.ValidFrom.IsZero() {
		v.Add("valid_from", "Cần nhập ngày thỏa ước bắt đầu có hiệu lực.")
	} else if !in.SignedOn.IsZero() && in.SignedOn.After(in.ValidFrom) {
		v.Add("signed_on", "Ngày ký "+in.SignedOn.VN()+" không được sau ngày bắt đầu có hiệu lực "+in.ValidFrom.VN()+".")
	}
	switch {
	case in.ValidTo.IsZero():
		v.Add("valid_to", "Cần nhập ngày hết hiệu lực của thỏa ước (ngày cuối cùng còn hiệu lực).")
	case in.ValidFrom.IsZero():
	case !in.ValidTo.After(in.ValidFrom):
		v.Add("valid_to", "Ngày hết hiệu lực "+in.ValidTo.VN()+" phải sau ngày bắt đầu có hiệu lực "+in.ValidFrom.VN()+".")
	case in.ValidTo.After(DateOf(in.ValidFrom.Time().AddDate(AgreementMaxYears, 0, -1))):
		v.Add("valid_to", "Thời hạn thỏa ước từ "+in.ValidFrom.VN()+" đến "+in.ValidTo.VN()+" dài quá "+
			strconv.Itoa(AgreementMaxYears)+" năm; kiểm tra lại năm hết hiệu lực (thời hạn thường là 1–3 năm).")
	}
	if in.Quality != "" && !validGrade(in.Quality) {
		v.Add("quality", "Xếp loại thỏa ước phải để trống (chưa xếp loại) hoặc là một trong A, B, C.")
	}
	checkText(v, "note", "Ghi chú", in.Note, false, 1000)
	if in.EmployerID < 0 {
		v.Add("employer_id", "Mã đơn vị sử dụng lao động không hợp lệ.")
	}
	if in.RenewsID < 0 {
		v.Add("renews_id", "Mã thỏa ước được gia hạn không hợp lệ.")
	}
	return v
}

func validGrade(g string) bool {
	for _, x := range AgreementGrades {
		if x == g {
			return true
		}
	}
	return false
}

// AgreementFilter selects agreements.
type AgreementFilter struct {
	Unit       string // unions in this unit's subtree; "" = the caller's whole scope
	EmployerID int64  // at this employer
	ValidOn    Date   // in force on this day (both ends included); zero = any
	Limit      int
	Offset     int
}

// CanRecordAgreements reports whether the user may record and edit
// agreements. Monitors read agreements (they are not personal data) but
// write nothing.
func (u *User) CanRecordAgreements() bool { return u != nil && u.Role != RoleMonitor }

// AgreementService records collective labour agreements. An agreement is in
// the caller's scope when its union is; outside it, it is ENOTFOUND like
// one that does not exist. Monitors may read; writes by them are EFORBIDDEN.
type AgreementService interface {
	// CreateAgreement records an agreement of an active grassroots union
	// (EINVALID otherwise; EFORBIDDEN naming the union when it exists
	// outside the caller's scope). The employer defaults to the union's
	// own; an enterprise agreement must be with that employer, and never
	// with a state administrative agency, which does not bargain.
	CreateAgreement(ctx context.Context, in AgreementInput) (*Agreement, error)
	// FindAgreementByID returns ENOTFOUND outside the caller's scope.
	FindAgreementByID(ctx context.Context, id int64) (*Agreement, error)
	// FindAgreements returns a page and the total: with ValidOn, those in
	// force that day, soonest to expire first; without, latest first.
	FindAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, int, error)
	// UpdateAgreement replaces the agreement's fields, checked as on
	// creation. The union cannot change (EINVALID): an agreement of
	// another union is another record.
	UpdateAgreement(ctx context.Context, id int64, in AgreementInput) (*Agreement, error)
}
