package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// The employer's union is derived from units, never stored on the employer.
const employerCols = `e.id, COALESCE(e.tax_code, ''), e.name, e.sector, e.industry, e.commune_code, e.status,
	e.workers_total, e.workers_female, e.headcount_as_of, COALESCE(r.code, ''), COALESCE(r.name, ''),
	COALESCE((SELECT g.code FROM units g WHERE g.employer_id = e.id AND g.kind = 'grassroots' AND g.dissolved_on IS NULL ORDER BY g.id LIMIT 1), ''),
	COALESCE((SELECT g.name FROM units g WHERE g.employer_id = e.id AND g.kind = 'grassroots' AND g.dissolved_on IS NULL ORDER BY g.id LIMIT 1), '')`

const employerFrom = ` FROM employers e LEFT JOIN units r ON r.id = e.unit_id`

const hasUnionSQL = `EXISTS (SELECT 1 FROM units g WHERE g.employer_id = e.id AND g.kind = 'grassroots' AND g.dissolved_on IS NULL)`

// employerInScope is the scope rule for employers: the unit responsible for
// its area, or its union, is in the subtree of ?.
const employerUnder = `(e.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)
	OR EXISTS (SELECT 1 FROM units g WHERE g.employer_id = e.id AND g.id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?)))`

func (d *DB) queryEmployers(ctx context.Context, q queryer, where string, args ...any) ([]*congdoan.Employer, error) {
	rows, err := q.query(ctx, `SELECT `+employerCols+employerFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*congdoan.Employer
	for rows.Next() {
		var e congdoan.Employer
		var sector string
		var asOf sql.NullString
		if err := rows.Scan(&e.ID, &e.TaxCode, &e.Name, &sector, &e.Industry, &e.CommuneCode, &e.Status,
			&e.WorkersTotal, &e.WorkersFemale, &asOf, &e.UnitCode, &e.UnitName, &e.UnionCode, &e.UnionName); err != nil {
			return nil, err
		}
		e.Sector, e.HeadcountAsOf = congdoan.Sector(sector), parseDate(asOf)
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (d *DB) employerByID(ctx context.Context, q queryer, s scope, id int64) (*congdoan.Employer, error) {
	where, args := "e.id = ?", []any{id}
	if s.rootID != 0 {
		where += " AND " + employerUnder
		args = append(args, s.rootID, s.rootID)
	}
	es, err := d.queryEmployers(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy đơn vị sử dụng lao động số %d trong phạm vi bạn quản lý.", id)
	}
	return es[0], nil
}

// FindEmployerByID implements congdoan.EmployerService.
func (d *DB) FindEmployerByID(ctx context.Context, id int64) (_ *congdoan.Employer, err error) {
	defer wrap(&err, "store.FindEmployerByID(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	e, err := d.employerByID(ctx, d, s, id)
	if err != nil {
		return nil, err
	}
	if e.UnionCode != "" {
		if err := d.queryRow(ctx, `SELECT COALESCE(SUM(uc.members), 0) FROM unit_closure c JOIN unit_counts uc ON uc.unit_id = c.descendant_id
			WHERE c.ancestor_id = (SELECT id FROM units WHERE code = ?)`, e.UnionCode).Scan(&e.UnionMembers); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// FindEmployers implements congdoan.EmployerService.
func (d *DB) FindEmployers(ctx context.Context, f congdoan.EmployerFilter) (_ []*congdoan.Employer, _ int, err error) {
	defer wrap(&err, "store.FindEmployers")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	var where []string
	var args []any
	root := s.rootID
	if f.Unit != "" {
		u, err := d.unitByCode(ctx, d, s, f.Unit)
		if err != nil {
			return nil, 0, err
		}
		root = u.ID
	}
	if root != 0 {
		where, args = append(where, employerUnder), append(args, root, root)
	}
	switch f.Status {
	case "all":
	case "":
		where = append(where, "e.status = 'active'")
	default:
		where, args = append(where, "e.status = ?"), append(args, f.Status)
	}
	if f.MinWorkers > 0 {
		where, args = append(where, "e.workers_total >= ?"), append(args, f.MinWorkers)
	}
	if f.HasUnion != nil {
		if *f.HasUnion {
			where = append(where, hasUnionSQL)
		} else {
			where = append(where, "NOT "+hasUnionSQL)
		}
	}
	if f.Sector != "" {
		where, args = append(where, "e.sector = ?"), append(args, string(f.Sector))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// Employer names start with "Công ty", "Trường" …, so any word counts.
		where = append(where, `(e.search_key LIKE ? ESCAPE '\' OR e.tax_code = ?)`)
		args = append(args, containsPattern(vntext.Fold(q)), vntext.NormalizeDigits(q))
	}
	w := "1=1"
	if len(where) > 0 {
		w = strings.Join(where, " AND ")
	}
	var total int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM employers e WHERE `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	es, err := d.queryEmployers(ctx, d, w+` ORDER BY e.workers_total DESC, e.search_key, e.id LIMIT ? OFFSET ?`,
		append(args, clampLimit(f.Limit), max(f.Offset, 0))...)
	return es, total, err
}

// CreateEmployer implements congdoan.EmployerService.
func (d *DB) CreateEmployer(ctx context.Context, in congdoan.EmployerInput) (_ *congdoan.Employer, err error) {
	defer wrap(&err, "store.CreateEmployer")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !s.user.CanManageEmployers() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền thêm đơn vị sử dụng lao động.")
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	var out *congdoan.Employer
	err = d.tx(ctx, func(tx *Tx) error {
		out, err = d.createEmployer(ctx, tx, s, in, 0)
		return err
	})
	return out, err
}

// createEmployer writes a new employer (in validated) in tx; importID,
// when set, goes into the audit event.
func (d *DB) createEmployer(ctx context.Context, tx *Tx, s scope, in congdoan.EmployerInput, importID int64) (*congdoan.Employer, error) {
	u, err := d.unitByCode(ctx, tx, s, in.UnitCode)
	if err != nil {
		return nil, fieldErr(err, "unit_code")
	}
	if err := d.taxCodeFree(ctx, tx, in.TaxCode, 0); err != nil {
		return nil, err
	}
	now := tx.now.Format(time.RFC3339)
	id, err := tx.insert(ctx, `INSERT INTO employers (tax_code, name, search_key, sector, industry, commune_code, status,
		workers_total, workers_female, headcount_as_of, unit_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullStr(in.TaxCode), in.Name, vntext.Fold(in.Name), string(in.Sector), in.Industry, in.CommuneCode, in.Status,
		in.WorkersTotal, in.WorkersFemale, in.HeadcountAsOf.String(), u.ID, now, now)
	if err != nil {
		msg := "Mã số thuế " + in.TaxCode + " vừa được ghi cho một đơn vị khác; tải lại và kiểm tra."
		return nil, raced(err, &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"tax_code": msg}})
	}
	if err := tx.checkLocked(ctx, u.ID, in.HeadcountAsOf, in.HeadcountAsOf); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO employer_headcounts (employer_id, as_of, workers_total, workers_female) VALUES (?, ?, ?, ?)`,
		id, in.HeadcountAsOf.String(), in.WorkersTotal, in.WorkersFemale); err != nil {
		return nil, err
	}
	// A new employer has no union yet and counts from its first headcount.
	tx.AffectsEmployers(ChangesEmployers, in.HeadcountAsOf, []int64{id}, nil)
	out, err := d.employerByID(ctx, tx, scope{user: s.user}, id)
	if err != nil {
		return nil, err
	}
	return out, tx.audit(ctx, Event{Action: "employer.create", Entity: "employer", EntityID: id, UnitID: u.ID, After: withImport(out, importID)})
}

// withImport is an audit event's after: v, and the import that wrote it.
func withImport(v any, importID int64) any {
	if importID == 0 {
		return v
	}
	return map[string]any{"record": v, "import": importID}
}

func (d *DB) taxCodeFree(ctx context.Context, q queryer, taxCode string, self int64) error {
	if taxCode == "" {
		return nil
	}
	var name string
	err := q.queryRow(ctx, `SELECT name FROM employers WHERE tax_code = ? AND id <> ?`, taxCode, self).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	msg := "Mã số thuế " + taxCode + " đã thuộc " + name + "; kiểm tra lại hoặc mở hồ sơ đơn vị đó."
	return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"tax_code": msg}}
}

// UpdateEmployer implements congdoan.EmployerService.
func (d *DB) UpdateEmployer(ctx context.Context, id int64, in congdoan.EmployerInput) (_ *congdoan.Employer, err error) {
	defer wrap(&err, "store.UpdateEmployer(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !s.user.CanManageEmployers() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền sửa đơn vị sử dụng lao động.")
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	var out *congdoan.Employer
	err = d.tx(ctx, func(tx *Tx) error {
		out, err = d.updateEmployer(ctx, tx, s, id, in, 0)
		return err
	})
	return out, err
}

// updateEmployer writes employer id's new fields (in validated) in tx;
// importID, when set, goes into the audit event.
func (d *DB) updateEmployer(ctx context.Context, tx *Tx, s scope, id int64, in congdoan.EmployerInput, importID int64) (*congdoan.Employer, error) {
	before, err := d.employerByID(ctx, tx, s, id)
	if err != nil {
		return nil, err
	}
	// A grassroots officer sees the employer through its union while the
	// responsible upper unit is outside their scope: keeping it is fine.
	var unitID int64
	if in.UnitCode == before.UnitCode {
		err = tx.queryRow(ctx, `SELECT unit_id FROM employers WHERE id = ?`, id).Scan(&unitID)
	} else {
		var u *congdoan.Unit
		u, err = d.unitByCode(ctx, tx, s, in.UnitCode)
		if u != nil {
			unitID = u.ID
		}
	}
	if err != nil {
		return nil, fieldErr(err, "unit_code")
	}
	if err := d.taxCodeFree(ctx, tx, in.TaxCode, id); err != nil {
		return nil, err
	}
	// The figures read the status, the sector (bargaining or not), the
	// dated headcounts and responsibility; name, tax code, industry and
	// commune are in none. Status and sector are not dated: every date.
	// Only this employer's contributions change (the sector decides
	// whether its unions bargain).
	tx.AffectsNothing()
	if before.Status != in.Status || before.Sector != in.Sector {
		tx.AffectsEmployers(ChangesEmployers, congdoan.Date{}, []int64{id}, nil)
	}
	if before.UnitCode != in.UnitCode {
		var old int64
		if err := tx.queryRow(ctx, `SELECT unit_id FROM employers WHERE id = ?`, id).Scan(&old); err != nil {
			return nil, err
		}
		if err := tx.handOver(ctx, id, old, unitID, d.Today()); err != nil {
			return nil, err
		}
	}
	if before.WorkersTotal != in.WorkersTotal || before.WorkersFemale != in.WorkersFemale {
		if in.HeadcountAsOf.Before(before.HeadcountAsOf) {
			return nil, congdoan.FieldError("headcount_as_of", "Ngày số liệu lao động không được trước lần cập nhật trước ("+before.HeadcountAsOf.VN()+").")
		}
		if err := tx.checkEmployerLocked(ctx, id, unitID, in.HeadcountAsOf); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, `DELETE FROM employer_headcounts WHERE employer_id = ? AND as_of = ?`, id, in.HeadcountAsOf.String()); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, `INSERT INTO employer_headcounts (employer_id, as_of, workers_total, workers_female) VALUES (?, ?, ?, ?)`,
			id, in.HeadcountAsOf.String(), in.WorkersTotal, in.WorkersFemale); err != nil {
			return nil, err
		}
		tx.AffectsEmployers(ChangesEmployers, in.HeadcountAsOf, []int64{id}, nil)
	} else {
		in.HeadcountAsOf = before.HeadcountAsOf
	}
	if _, err := tx.exec(ctx, `UPDATE employers SET tax_code = ?, name = ?, search_key = ?, sector = ?, industry = ?, commune_code = ?,
		status = ?, workers_total = ?, workers_female = ?, headcount_as_of = ?, unit_id = ?, updated_at = ? WHERE id = ?`,
		nullStr(in.TaxCode), in.Name, vntext.Fold(in.Name), string(in.Sector), in.Industry, in.CommuneCode, in.Status,
		in.WorkersTotal, in.WorkersFemale, in.HeadcountAsOf.String(), unitID, tx.now.Format(time.RFC3339), id); err != nil {
		return nil, err
	}
	out, err := d.employerByID(ctx, tx, scope{user: s.user}, id)
	if err != nil {
		return nil, err
	}
	return out, tx.audit(ctx, Event{Action: "employer.update", Entity: "employer", EntityID: id, UnitID: unitID, Before: before, After: withImport(out, importID)})
}

// handOver records that employer emp's responsible unit is `to` from `on`:
// the earlier responsibility (its open row, or employers.unit_id when the
// employer has no history yet) ends that day.
func (tx *Tx) handOver(ctx context.Context, emp, from, to int64, on congdoan.Date) error {
	day := on.String()
	var open int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM employer_units WHERE employer_id = ? AND valid_to IS NULL`, emp).Scan(&open); err != nil {
		return err
	}
	affected, err := tx.handOverFrom(ctx, emp, on, open > 0)
	if err != nil {
		return err
	}
	tx.AffectsEmployers(ChangesEmployers, affected, []int64{emp}, nil)
	if open == 0 {
		if _, err := tx.exec(ctx, `INSERT INTO employer_units (employer_id, unit_id, valid_from, valid_to) VALUES (?, ?, '1900-01-01', ?)`, emp, from, day); err != nil {
			return err
		}
	} else if _, err := tx.exec(ctx, `UPDATE employer_units SET valid_to = ? WHERE employer_id = ? AND valid_to IS NULL`, day, emp); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM employer_units WHERE employer_id = ? AND valid_from = ?`, emp, day); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO employer_units (employer_id, unit_id, valid_from) VALUES (?, ?, ?)`, emp, to, day); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE employers SET unit_id = ? WHERE id = ?`, to, emp)
	return err
}

// handOverFrom is the first date whose responsible unit a hand-over on `on`
// changes. The rows change from on; before it, a date no row covers falls
// back to employers.unit_id, which changes too. With no row at all, the
// hand-over writes one for the past with the old unit, so nothing before
// on changes; with rows that leave a gap before on, or closed rows but no
// open one, every date may.
func (tx *Tx) handOverFrom(ctx context.Context, emp int64, on congdoan.Date, open bool) (congdoan.Date, error) {
	rows, err := tx.query(ctx, `SELECT valid_from, valid_to FROM employer_units WHERE employer_id = ? ORDER BY valid_from`, emp)
	if err != nil {
		return congdoan.Date{}, err
	}
	defer rows.Close()
	n, gap, covered := 0, false, "1900-01-01" // the earliest date hand-overs record
	for rows.Next() {
		var from string
		var to sql.NullString
		if err := rows.Scan(&from, &to); err != nil {
			return congdoan.Date{}, err
		}
		n++
		if from >= on.String() {
			continue
		}
		if from > covered {
			gap = true
		}
		if !to.Valid {
			covered = "9999-12-31"
		} else if to.String > covered {
			covered = to.String
		}
	}
	if err := rows.Err(); err != nil {
		return congdoan.Date{}, err
	}
	switch {
	case n == 0:
		return on, nil
	case !open || gap || covered < on.String():
		return congdoan.Date{}, nil
	}
	return on, nil
}

// checkEmployerLocked refuses a headcount of employer emp dated d when an
// approved report covers it at the unit responsible for its area (unitID)
// or at one of its grassroots unions, under which its figures count.
func (tx *Tx) checkEmployerLocked(ctx context.Context, emp, unitID int64, d congdoan.Date) error {
	units := []int64{unitID}
	err := scanWith(ctx, tx, `SELECT id FROM units WHERE employer_id = ? AND kind = 'grassroots'`, []any{emp}, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		units = append(units, id)
		return nil
	})
	if err != nil {
		return err
	}
	for _, u := range units {
		if err := tx.checkLocked(ctx, u, d, d); err != nil {
			return err
		}
	}
	return nil
}
