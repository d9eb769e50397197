package congdoan

import (
	"context"
	"time"
)

// Imports bring a federation's spreadsheets in (package importer reads
// the files; the store writes the rows). An import is recorded with who
// ran it, and every record it creates or changes names it in its audit
// event.

// ImportKind is what an import brings in.
type ImportKind string

// Import kinds.
const (
	ImportMembers   ImportKind = "members"
	ImportEmployers ImportKind = "employers"
)

// Import statuses.
const (
	ImportDone    = "done"    // every good row written (all of them, or with Partial the good ones)
	ImportRefused = "refused" // a row was refused and nothing was written (all or nothing)
	ImportDryRun  = "dry_run" // checked, nothing written
)

// ImportOptions steer an import.
type ImportOptions struct {
	File    string // the file's name, for the record
	DryRun  bool   // report what would happen, write nothing
	Partial bool   // write the good rows and report the others; default all or nothing
	// ReadErrors are the rows refused while the file was read: they are
	// in the result and the record, and without Partial they stop the
	// import from writing anything (the other rows are still checked).
	ReadErrors []ImportRowError
}

// ImportMemberRow is a member row of a file: its 1-based row number, the
// input read from it, and the column each input field came from ("C (Ngày
// sinh)"), so that a refusal names the cell.
type ImportMemberRow struct {
	Row     int
	Columns map[string]string // input field (json name) → column
	In      MemberInput
}

// ImportEmployerRow is an employer row of a file, like ImportMemberRow.
type ImportEmployerRow struct {
	Row     int
	Columns map[string]string
	In      EmployerInput
}

// ImportRowError is a refused row: the row, the column when known, why.
type ImportRowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// ImportResult is what an import did (or, dry, would do).
type ImportResult struct {
	ID         int64            `json:"id"` // every import is recorded, a dry run too
	Kind       ImportKind       `json:"kind"`
	Status     string           `json:"status"`
	File       string           `json:"file"`
	Username   string           `json:"username"`
	Rows       int              `json:"rows"`
	Created    int              `json:"created"`
	Updated    int              `json:"updated"` // former members admitted again, or details filled in
	Unchanged  int              `json:"unchanged"`
	Errors     []ImportRowError `json:"errors"`
	StartedAt  time.Time        `json:"started_at"`
	FinishedAt time.Time        `json:"finished_at"`
	Progress   float64          `json:"progress"` // share of the rows done: 1 once finished
}

// RefusedRows counts the rows with at least one error (a row may have
// several).
func RefusedRows(errs []ImportRowError) int {
	rows := map[int]bool{}
	for _, e := range errs {
		rows[e.Row] = true
	}
	return len(rows)
}

// ImportService writes imports.
type ImportService interface {
	// ImportMembers admits the rows in one transaction: a new CCCD is
	// created, a former member admitted again, a member already in the
	// row's union unchanged (or updated when the row fills in details the
	// record lacks) — so that importing a file again changes nothing. A
	// row whose person differs from the record on file, who is active in
	// another union, or whose union is outside the caller's scope is
	// refused on its row. Without Partial one refused row writes nothing.
	ImportMembers(ctx context.Context, rows []ImportMemberRow, opt ImportOptions) (*ImportResult, error)
	// ImportEmployers creates the rows' employers, or updates the one on
	// file with the row's tax code (without one: its name under the same
	// responsible unit) where the row says otherwise, or finds it
	// unchanged. An employer on file outside the caller's scope is refused
	// on its row.
	ImportEmployers(ctx context.Context, rows []ImportEmployerRow, opt ImportOptions) (*ImportResult, error)
	// FindImport returns an import's record: its importer's, or one in
	// the caller's scope (ENOTFOUND otherwise).
	FindImport(ctx context.Context, id int64) (*ImportResult, error)
}
