package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"congdoan"
)

// errImportRolledBack ends the transaction of a dry run or of an import
// refused as a whole: its result is still returned.
var errImportRolledBack = errors.New("import rolled back")

// ImportMembers implements congdoan.ImportService. Every row runs under
// its own savepoint, so a refused row leaves nothing behind and the
// others go on (PostgreSQL aborts a transaction at its first failed
// statement otherwise); the import commits when every row was written, or
// with Partial the good ones, and rolls back for a dry run.
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
	var res *congdoan.ImportResult
	err = d.tx(ctx, func(tx *Tx) error {
		res = &congdoan.ImportResult{Kind: congdoan.ImportMembers, Rows: len(rows), Errors: []congdoan.ImportRowError{}, StartedAt: tx.now}
		var importID int64
		if !opt.DryRun {
			var err error
			if importID, err = tx.insert(ctx, `INSERT INTO imports (kind, file_name, username, status, rows_total, started_at) VALUES (?, ?, ?, 'running', ?, ?)`,
				string(congdoan.ImportMembers), opt.File, s.user.Username, len(rows), tx.now.Format(time.RFC3339)); err != nil {
				return err
			}
		}
		for _, r := range rows {
			in := r.In
			if err := in.Validate(today).Err(); err != nil {
				res.Errors = append(res.Errors, rowErrors(r, err)...)
				continue
			}
			if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT import_row`); err != nil {
				return err
			}
			a, err := d.admit(ctx, tx, s, in, importID, true)
			if err != nil {
				if _, rerr := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT import_row`); rerr != nil {
					return rerr
				}
				if congdoan.ErrorCode(err) == congdoan.EINTERNAL {
					return fmt.Errorf("row %d: %w", r.Row, err)
				}
				res.Errors = append(res.Errors, rowErrors(r, err)...)
				continue
			}
			if _, err := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT import_row`); err != nil {
				return err
			}
			switch a.outcome {
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
		res.Status, res.ID = congdoan.ImportDone, importID
		errs, err := json.Marshal(res.Errors)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE imports SET status = ?, created = ?, updated = ?, unchanged = ?, errors_json = ?, finished_at = ? WHERE id = ?`,
			res.Status, res.Created, res.Updated, res.Unchanged, string(errs), res.FinishedAt.Format(time.RFC3339), importID); err != nil {
			return err
		}
		ev := Event{Action: "import.members", Entity: "import", EntityID: importID, UnitID: s.rootID, Global: s.rootID == 0,
			After: map[string]any{"file": opt.File, "rows": res.Rows, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "refused": len(res.Errors)}}
		return tx.audit(ctx, ev)
	})
	if errors.Is(err, errImportRolledBack) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// rowErrors names the cells a refusal is about: each field error at the
// column the field came from, or the row when the field has none.
func rowErrors(r congdoan.ImportMemberRow, err error) []congdoan.ImportRowError {
	var e *congdoan.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return []congdoan.ImportRowError{{Row: r.Row, Message: congdoan.ErrorMessage(err)}}
	}
	var out []congdoan.ImportRowError
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		out = append(out, congdoan.ImportRowError{Row: r.Row, Column: r.Columns[f], Message: e.Fields[f]})
	}
	return out
}
