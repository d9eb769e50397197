package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"congdoan"
)

const agreementCols = `a.id, u.code, u.name, a.employer_id, e.name, a.kind, a.signed_on, a.valid_from, a.valid_to,
	a.quality, a.note, COALESCE(a.renews_id, 0)`

const agreementFrom = ` FROM agreements a JOIN units u ON u.id = a.unit_id JOIN employers e ON e.id = a.employer_id`

// agreementValidOn is the condition "in force on ?" (pass the day twice).
// valid_to is the last day in force, so both ends are included.
const agreementValidOn = `a.valid_from <= ? AND a.valid_to >= ?`

func (d *DB) queryAgreements(ctx context.Context, q queryer, where string, args ...any) ([]*congdoan.Agreement, error) {
	rows, err := q.query(ctx, `SELECT `+agreementCols+agreementFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*congdoan.Agreement
	for rows.Next() {
		var a congdoan.Agreement
		var kind string
		var signed, from, to sql.NullString
		if err := rows.Scan(&a.ID, &a.UnitCode, &a.UnitName, &a.EmployerID, &a.EmployerName, &kind, &signed, &from, &to,
			&a.Quality, &a.Note, &a.RenewsID); err != nil {
			return nil, err
		}
		a.Kind = congdoan.AgreementKind(kind)
		a.SignedOn, a.ValidFrom, a.ValidTo = parseDate(signed), parseDate(from), parseDate(to)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// agreementByID loads an agreement whose union is in scope.
func (d *DB) agreementByID(ctx context.Context, q queryer, s scope, id int64) (*congdoan.Agreement, error) {
	cond, args := s.unitIn("a.unit_id")
	as, err := d.queryAgreements(ctx, q, `a.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy thỏa ước số %d trong phạm vi bạn quản lý.", id)
	}
	return as[0], nil
}

// FindAgreementByID implements congdoan.AgreementService.
func (d *DB) FindAgreementByID(ctx context.Context, id int64) (_ *congdoan.Agreement, err error) {
	defer wrap(&err, "store.FindAgreementByID(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return d.agreementByID(ctx, d, s, id)
}

// FindAgreements implements congdoan.AgreementService.
func (d *DB) FindAgreements(ctx context.Context, f congdoan.AgreementFilter) (_ []*congdoan.Agreement, _ int, err error) {
	defer wrap(&err, "store.FindAgreements")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	cond, args := s.unitIn("a.unit_id")
	where := []string{cond}
	if f.Unit != "" {
		u, err := d.unitByCode(ctx, d, s, f.Unit)
		if err != nil {
			return nil, 0, err
		}
		where, args = append(where, "a.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)"), append(args, u.ID)
	}
	if f.EmployerID != 0 {
		where, args = append(where, "a.employer_id = ?"), append(args, f.EmployerID)
	}
	order := ` ORDER BY a.valid_from DESC, a.id DESC`
	if !f.ValidOn.IsZero() {
		where, args = append(where, agreementValidOn), append(args, f.ValidOn.String(), f.ValidOn.String())
		// In force on a day: what lapses first needs the union's attention first.
		order = ` ORDER BY a.valid_to, a.id`
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM agreements a WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	as, err := d.queryAgreements(ctx, d, w+order+` LIMIT ? OFFSET ?`, append(args, clampLimit(f.Limit), max(f.Offset, 0))...)
	return as, total, err
}

// normalizeAgreement validates an input (congdoan.AgreementInput.Validate);
// an update may leave the union out: it keeps the agreement's own.
func (d *DB) normalizeAgreement(in *congdoan.AgreementInput, update bool) error {
	v := in.Validate(d.Today())
	if update && in.UnitCode == "" {
		delete(v, "unit_code")
	}
	return v.Err()
}

func (s scope) requireAgreementWrite() error {
	if !s.user.CanRecordAgreements() {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Vai trò %s chỉ xem thỏa ước, không ghi nhận hay sửa thỏa ước.", s.user.Role.Label("vi"))
	}
	return nil
}

// agreementUnit loads the union of a new agreement: an active grassroots
// union in scope. A code that exists outside the scope is EFORBIDDEN naming
// the union, as for admissions: the officer must ask the level above.
func (d *DB) agreementUnit(ctx context.Context, q queryer, s scope, code string) (*congdoan.Unit, error) {
	u, err := d.unitByCode(ctx, q, s, code)
	if congdoan.ErrorCode(err) == congdoan.ENOTFOUND {
		var name string
		if q.queryRow(ctx, `SELECT name FROM units WHERE code = ?`, code).Scan(&name) == nil {
			msg := fmt.Sprintf("%s (mã %s) nằm ngoài phạm vi bạn quản lý; đề nghị công đoàn cấp trên ghi nhận thỏa ước.", name, code)
			return nil, &congdoan.Error{Code: congdoan.EFORBIDDEN, Message: msg, Fields: map[string]string{"unit_code": msg}}
		}
		return nil, fieldErr(err, "unit_code")
	} else if err != nil {
		return nil, err
	}
	if u.Kind != congdoan.KindGrassroots {
		return nil, congdoan.FieldError("unit_code", fmt.Sprintf("%s là %s: thỏa ước lao động tập thể được ghi nhận cho công đoàn cơ sở tại đơn vị sử dụng lao động.",
			u.Name, strings.ToLower(u.Kind.Label("vi"))))
	}
	if !u.Active() {
		return nil, congdoan.FieldError("unit_code", u.Name+" đã giải thể ngày "+u.DissolvedOn.VN()+".")
	}
	return u, nil
}

// agreementChecks checks the rules that need the database and returns the
// employer id to store: the union's own employer unless another is given.
// self is the agreement being updated (0 on creation).
func (d *DB) agreementChecks(ctx context.Context, q queryer, s scope, u *congdoan.Unit, in congdoan.AgreementInput, self int64) (int64, error) {
	empID := in.EmployerID
	if empID == 0 {
		empID = u.EmployerID
	}
	if empID == 0 {
		return 0, congdoan.FieldError("employer_id", u.Name+" chưa gắn với đơn vị sử dụng lao động; cần chọn đơn vị sử dụng lao động của thỏa ước.")
	}
	if in.Kind == congdoan.AgreementEnterprise && u.EmployerID != 0 && empID != u.EmployerID {
		return 0, congdoan.FieldError("employer_id", "Thỏa ước cấp doanh nghiệp của "+u.Name+" phải ký với chính đơn vị sử dụng lao động của công đoàn ("+
			u.EmployerName+").")
	}
	var e *congdoan.Employer
	var err error
	if empID == u.EmployerID {
		// The union's own employer is the caller's through the union.
		e, err = d.employerByID(ctx, q, scope{user: s.user}, empID)
	} else {
		e, err = d.employerByID(ctx, q, s, empID)
	}
	if err != nil {
		return 0, fieldErr(err, "employer_id")
	}
	if in.Kind == congdoan.AgreementEnterprise && e.Sector == congdoan.SectorAdministrate {
		return 0, congdoan.FieldError("kind", e.Name+" là cơ quan hành chính nhà nước: cơ quan hành chính không thương lượng tập thể, nên không có thỏa ước cấp doanh nghiệp.")
	}
	if in.RenewsID != 0 {
		if in.RenewsID == self {
			return 0, congdoan.FieldError("renews_id", "Thỏa ước không thể gia hạn chính nó.")
		}
		old, err := d.agreementByID(ctx, q, s, in.RenewsID)
		if err != nil {
			return 0, fieldErr(err, "renews_id")
		}
		if old.UnitCode != u.Code {
			return 0, congdoan.FieldError("renews_id", fmt.Sprintf("Thỏa ước số %d là của %s, không phải của %s.", old.ID, old.UnitName, u.Name))
		}
		// A renewal starts after what it renews, which also keeps chains of
		// renewals free of cycles.
		if !old.ValidFrom.Before(in.ValidFrom) {
			return 0, congdoan.FieldError("renews_id", fmt.Sprintf("Thỏa ước số %d có hiệu lực từ %s; thỏa ước gia hạn phải có hiệu lực sau ngày đó.",
				old.ID, old.ValidFrom.VN()))
		}
	}
	return empID, nil
}

// CreateAgreement implements congdoan.AgreementService.
func (d *DB) CreateAgreement(ctx context.Context, in congdoan.AgreementInput) (_ *congdoan.Agreement, err error) {
	defer wrap(&err, "store.CreateAgreement")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireAgreementWrite(); err != nil {
		return nil, err
	}
	if err := d.normalizeAgreement(&in, false); err != nil {
		return nil, err
	}
	var out *congdoan.Agreement
	err = d.tx(ctx, func(tx *Tx) error {
		u, err := d.agreementUnit(ctx, tx, s, in.UnitCode)
		if err != nil {
			return err
		}
		empID, err := d.agreementChecks(ctx, tx, s, u, in, 0)
		if err != nil {
			return err
		}
		// In force on any day of a locked period, it changes that period's coverage.
		if err := tx.checkLocked(ctx, u.ID, in.ValidFrom, in.ValidTo); err != nil {
			return err
		}
		now := tx.now.Format(time.RFC3339)
		id, err := tx.insert(ctx, `INSERT INTO agreements (unit_id, employer_id, kind, signed_on, valid_from, valid_to, quality, note, renews_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, empID, string(in.Kind), in.SignedOn.String(), in.ValidFrom.String(), in.ValidTo.String(), in.Quality, in.Note,
			nullID(in.RenewsID), now, now)
		if err != nil {
			return err
		}
		tx.AffectsEmployers(ChangesEmployers, in.ValidFrom, nil, []int64{u.ID}) // the union's coverage, from the first day in force
		if out, err = d.agreementByID(ctx, tx, scope{user: s.user}, id); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "agreement.create", Entity: "agreement", EntityID: id, UnitID: u.ID, After: out})
	})
	return out, err
}

// UpdateAgreement implements congdoan.AgreementService. The union's
// activity is not checked again: correcting the record of a union
// dissolved since is allowed, since past coverage figures depend on it.
func (d *DB) UpdateAgreement(ctx context.Context, id int64, in congdoan.AgreementInput) (_ *congdoan.Agreement, err error) {
	defer wrap(&err, "store.UpdateAgreement(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireAgreementWrite(); err != nil {
		return nil, err
	}
	if err := d.normalizeAgreement(&in, true); err != nil {
		return nil, err
	}
	var out *congdoan.Agreement
	err = d.tx(ctx, func(tx *Tx) error {
		before, err := d.agreementByID(ctx, tx, s, id)
		if err != nil {
			return err
		}
		if in.UnitCode != "" && in.UnitCode != before.UnitCode {
			return congdoan.FieldError("unit_code", "Không đổi được công đoàn cơ sở của thỏa ước ("+before.UnitName+
				"); hãy ghi nhận thỏa ước mới cho công đoàn kia.")
		}
		u, err := d.unitByCode(ctx, tx, s, before.UnitCode)
		if err != nil {
			return err
		}
		empID, err := d.agreementChecks(ctx, tx, s, u, in, id)
		if err != nil {
			return err
		}
		// Both the old and the new days in force change coverage.
		for _, r := range [][2]congdoan.Date{{before.ValidFrom, before.ValidTo}, {in.ValidFrom, in.ValidTo}} {
			if err := tx.checkLocked(ctx, u.ID, r[0], r[1]); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE agreements SET employer_id = ?, kind = ?, signed_on = ?, valid_from = ?, valid_to = ?, quality = ?,
			note = ?, renews_id = ?, updated_at = ? WHERE id = ?`,
			empID, string(in.Kind), in.SignedOn.String(), in.ValidFrom.String(), in.ValidTo.String(), in.Quality, in.Note,
			nullID(in.RenewsID), tx.now.Format(time.RFC3339), id); err != nil {
			return err
		}
		// Coverage changes from the earlier of the old and new first days
		// (the union, which the coverage is counted for, cannot change).
		from := in.ValidFrom
		if before.ValidFrom.Before(from) {
			from = before.ValidFrom
		}
		tx.AffectsEmployers(ChangesEmployers, from, nil, []int64{u.ID})
		if out, err = d.agreementByID(ctx, tx, scope{user: s.user}, id); err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "agreement.update", Entity: "agreement", EntityID: id, UnitID: u.ID, Before: before, After: out})
	})
	return out, err
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
