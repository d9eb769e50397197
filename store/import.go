package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// errImportRolledBack ends the transaction of a dry run or of an import
// refused as a whole: its result is still returned.
var errImportRolledBack = errors.New("import rolled back")

// ImportMembers implements congdoan.ImportService.
func (d *DB) ImportMembers(ctx context.Context, rows []congdoan.ImportMemberRow, opt congdoan.ImportOptions) (_ *congdoan.ImportResult, err error) {
	defer wrap(&err, "store.ImportMembers(%q)", opt.File)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireMemberWrite(); err != nil {
		return nil, err
	}
	today := d.Today()
	places := make([]importPlace, len(rows))
	for i, r := range rows {
		places[i] = importPlace{r.Row, r.Columns}
	}
	return d.runImport(ctx, s, congdoan.ImportMembers, places, opt, func(tx *Tx, i int, importID int64) (string, error) {
		in := rows[i].In
		if err := in.Validate(today).Err(); err != nil {
			return "", err
		}
		a, err := d.admit(ctx, tx, s, in, importID, true)
		return a.outcome, err
	})
}

// ImportEmployers implements congdoan.ImportService: an employer is the
// same as one on file with its tax code, or without one with its name
// under the same responsible unit; it is created, updated where the row
// says otherwise, or unchanged.
func (d *DB) ImportEmployers(ctx context.Context, rows []congdoan.ImportEmployerRow, opt congdoan.ImportOptions) (_ *congdoan.ImportResult, err error) {
	defer wrap(&err, "store.ImportEmployers(%q)", opt.File)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !s.user.CanManageEmployers() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền thêm đơn vị sử dụng lao động.")
	}
	today := d.Today()
	places := make([]importPlace, len(rows))
	for i, r := range rows {
		places[i] = importPlace{r.Row, r.Columns}
	}
	return d.runImport(ctx, s, congdoan.ImportEmployers, places, opt, func(tx *Tx, i int, importID int64) (string, error) {
		in := rows[i].In
		if err := in.Validate(today).Err(); err != nil {
			return "", err
		}
		var id int64
		var err error
		if in.TaxCode != "" {
			err = tx.queryRow(ctx, `SELECT id FROM employers WHERE tax_code = ?`, in.TaxCode).Scan(&id)
		} else {
			err = tx.queryRow(ctx, `SELECT e.id FROM employers e JOIN units u ON u.id = e.unit_id WHERE e.tax_code IS NULL AND e.search_key = ? AND u.code = ? ORDER BY e.id LIMIT 1`,
				vntext.Fold(in.Name), in.UnitCode).Scan(&id)
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err := d.createEmployer(ctx, tx, s, in, importID)
			return admitCreated, err
		case err != nil:
			return "", err
		}
		before, err := d.employerByID(ctx, tx, s, id)
		if congdoan.ErrorCode(err) == congdoan.ENOTFOUND {
			var name, unit string
			_ = tx.queryRow(ctx, `SELECT e.name, u.name FROM employers e JOIN units u ON u.id = e.unit_id WHERE e.id = ?`, id).Scan(&name, &unit)
			msg := fmt.Sprintf("Mã số thuế %s đã thuộc %s, do %s quản lý, ngoài phạm vi của bạn; đề nghị đơn vị đó cập nhật.", in.TaxCode, name, unit)
			return "", &congdoan.Error{Code: congdoan.EFORBIDDEN, Message: msg, Fields: map[string]string{"tax_code": msg}}
		} else if err != nil {
			return "", err
		}
		// What the row leaves blank stays as on file.
		if in.Industry == "" {
			in.Industry = before.Industry
		}
		if in.CommuneCode == "" {
			in.CommuneCode = before.CommuneCode
		}
		if in.TaxCode == before.TaxCode && in.Name == before.Name && in.Sector == before.Sector && in.Industry == before.Industry &&
			in.CommuneCode == before.CommuneCode && in.Status == before.Status && in.WorkersTotal == before.WorkersTotal &&
			in.WorkersFemale == before.WorkersFemale && in.UnitCode == before.UnitCode {
			return admitUnchanged, nil
		}
		if in.HeadcountAsOf.Before(before.HeadcountAsOf) {
			in.HeadcountAsOf = before.HeadcountAsOf
		}
		_, err = d.updateEmployer(ctx, tx, s, id, in, importID)
		return admitUpdated, err
	})
}

// importPlace is where a row is in its file: the row, and the column each
// input field came from.
type importPlace struct {
	row     int
	columns map[string]string
}

// runImport writes an import in one transaction. Every row runs under its
// own savepoint, so a refused row leaves nothing behind and the others go
// on (PostgreSQL aborts a transaction at its first failed statement
// otherwise); the import commits when every row was written, or with
// Partial the good ones, and rolls back for a dry run. write does row i
// and says what it did (created, readmitted, updated, unchanged).
func (d *DB) runImport(ctx context.Context, s scope, kind congdoan.ImportKind, rows []importPlace, opt congdoan.ImportOptions,
	write func(tx *Tx, i int, importID int64) (string, error)) (*congdoan.ImportResult, error) {
	var res *congdoan.ImportResult
	var unit any
	if s.rootID != 0 {
		unit = s.rootID
	}
	dry := opt.DryRun || (len(opt.ReadErrors) > 0 && !opt.Partial)
	err := d.tx(ctx, func(tx *Tx) error {
		res = &congdoan.ImportResult{Kind: kind, File: opt.File, Username: s.user.Username, Rows: len(rows) + congdoan.RefusedRows(opt.ReadErrors),
			Errors: slices.Clone(opt.ReadErrors), StartedAt: tx.now}
		if res.Errors == nil {
			res.Errors = []congdoan.ImportRowError{}
		}
		var importID int64
		if !dry {
			var err error
			if importID, err = tx.insert(ctx, `INSERT INTO imports (kind, unit_id, file_name, username, status, rows_total, started_at) VALUES (?, ?, ?, ?, 'running', ?, ?)`,
				string(kind), unit, opt.File, s.user.Username, res.Rows, tx.now.Format(time.RFC3339)); err != nil {
				return err
			}
		}
		for i, r := range rows {
			if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT import_row`); err != nil {
				return err
			}
			outcome, err := write(tx, i, importID)
			if err != nil {
				if _, rerr := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT import_row`); rerr != nil {
					return rerr
				}
				if congdoan.ErrorCode(err) == congdoan.EINTERNAL {
					return fmt.Errorf("row %d: %w", r.row, err)
				}
				res.Errors = append(res.Errors, rowErrors(r, err)...)
				continue
			}
			if _, err := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT import_row`); err != nil {
				return err
			}
			switch outcome {
			case admitCreated:
				res.Created++
			case admitReadmitted, admitUpdated:
				res.Updated++
			case admitUnchanged:
				res.Unchanged++
			}
		}
		res.FinishedAt = d.Now().UTC()
		switch {
		case opt.DryRun:
			res.Status = congdoan.ImportDryRun
			return errImportRolledBack
		case len(res.Errors) > 0 && !opt.Partial:
			res.Status = congdoan.ImportRefused
			return errImportRolledBack
		}
		slices.SortStableFunc(res.Errors, func(a, b congdoan.ImportRowError) int { return a.Row - b.Row })
		res.Status, res.ID = congdoan.ImportDone, importID
		errs, err := json.Marshal(res.Errors)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE imports SET status = ?, created = ?, updated = ?, unchanged = ?, errors_json = ?, finished_at = ? WHERE id = ?`,
			res.Status, res.Created, res.Updated, res.Unchanged, string(errs), res.FinishedAt.Format(time.RFC3339), importID); err != nil {
			return err
		}
		ev := Event{Action: "import." + string(kind), Entity: "import", EntityID: importID, UnitID: s.rootID, Global: s.rootID == 0,
			After: map[string]any{"file": opt.File, "rows": res.Rows, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "refused": congdoan.RefusedRows(res.Errors)}}
		return tx.audit(ctx, ev)
	})
	if errors.Is(err, errImportRolledBack) {
		// Nothing was written; the import is still on record, with what
		// it would have done and why it did not.
		slices.SortStableFunc(res.Errors, func(a, b congdoan.ImportRowError) int { return a.Row - b.Row })
		err = d.tx(ctx, func(tx *Tx) error {
			errs, err := json.Marshal(res.Errors)
			if err != nil {
				return err
			}
			res.ID, err = tx.insert(ctx, `INSERT INTO imports (kind, unit_id, file_name, username, status, rows_total, created, updated, unchanged, errors_json, started_at, finished_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(kind), unit, opt.File, s.user.Username, res.Status, res.Rows,
				res.Created, res.Updated, res.Unchanged, string(errs), res.StartedAt.Format(time.RFC3339), res.FinishedAt.Format(time.RFC3339))
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// FindImport implements congdoan.ImportService.
func (d *DB) FindImport(ctx context.Context, id int64) (_ *congdoan.ImportResult, err error) {
	defer wrap(&err, "store.FindImport(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	var r congdoan.ImportResult
	var kind, started, errs string
	var finished sql.NullString
	var unit sql.NullInt64
	err = d.queryRow(ctx, `SELECT id, kind, unit_id, file_name, username, status, rows_total, created, updated, unchanged, errors_json, started_at, finished_at FROM imports WHERE id = ?`, id).
		Scan(&r.ID, &kind, &unit, &r.File, &r.Username, &r.Status, &r.Rows, &r.Created, &r.Updated, &r.Unchanged, &errs, &started, &finished)
	notFound := congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy lần nhập số %d trong phạm vi bạn quản lý.", id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	// The importer's own, or one whose scope is inside the caller's.
	if r.Username != s.user.Username && s.rootID != 0 {
		in := false
		if unit.Valid {
			if in, err = s.contains(ctx, d, unit.Int64); err != nil {
				return nil, err
			}
		}
		if !in {
			return nil, notFound
		}
	}
	r.Kind = congdoan.ImportKind(kind)
	r.StartedAt, _ = time.Parse(time.RFC3339, started)
	if finished.Valid {
		r.FinishedAt, _ = time.Parse(time.RFC3339, finished.String)
	}
	if err := json.Unmarshal([]byte(errs), &r.Errors); err != nil {
		return nil, err
	}
	return &r, nil
}

// rowErrors names the cells a refusal is about: each field error at the
// column the field came from, or the row when the field has none.
func rowErrors(r importPlace, err error) []congdoan.ImportRowError {
	var e *congdoan.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return []congdoan.ImportRowError{{Row: r.row, Message: congdoan.ErrorMessage(err)}}
	}
	var out []congdoan.ImportRowError
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		out = append(out, congdoan.ImportRowError{Row: r.row, Column: r.columns[f], Message: e.Fields[f]})
	}
	return out
}
