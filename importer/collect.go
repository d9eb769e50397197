package importer

import (
	"context"
	"fmt"

	"congdoan"
)

// ImportKind is the kind a name ("members", "employers") asks to import:
// the kinds the store can write.
func ImportKind(name string) (Kind, bool) {
	switch k := Kind(name); k {
	case Members, Employers:
		return k, true
	}
	return "", false
}

// Collected is a sheet read for an import: the good rows as inputs, each
// with the column its fields came from, and what reading found wrong.
type Collected struct {
	Summary    Summary
	Members    []congdoan.ImportMemberRow
	Employers  []congdoan.ImportEmployerRow
	ReadErrors []congdoan.ImportRowError // rows refused while reading (a bad date, a missing name …)
	Warnings   []string                  // rows read with a warning (an 11-digit CCCD padded …)
	// Cells are the data rows as read, by row number, when KeepCells was
	// asked: to write the refused ones back to a file.
	Cells map[int][]string
}

// Collect reads the rest of rd with conv (Scan) into inputs for the store's
// import.
func Collect(rd *Reader, conv Converter, keepCells bool) (*Collected, error) {
	c := &Collected{Cells: map[int][]string{}}
	sum, err := Scan(rd, conv, func(r Result) error {
		if r.Skipped != "" {
			return nil
		}
		if keepCells {
			c.Cells[r.Row] = r.Cells
		}
		for _, e := range r.Errors {
			if e.Warning {
				c.Warnings = append(c.Warnings, e.String())
			} else {
				c.ReadErrors = append(c.ReadErrors, congdoan.ImportRowError{Row: e.Row, Column: errorColumn(e), Message: e.Message})
			}
		}
		switch {
		case !r.OK():
		case r.Member != nil:
			c.Members = append(c.Members, congdoan.ImportMemberRow{Row: r.Row, In: *r.Member})
		case r.Employer != nil:
			c.Employers = append(c.Employers, congdoan.ImportEmployerRow{Row: r.Row, In: *r.Employer})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.Summary = sum
	columns := map[string]string{}
	for _, f := range Fields(sum.Mapping.Kind) {
		if col, ok := sum.Mapping.Column(f); ok {
			columns[string(f)] = col.String()
		}
	}
	for i := range c.Members {
		c.Members[i].Columns = columns
	}
	for i := range c.Employers {
		c.Employers[i].Columns = columns
	}
	return c, nil
}

// Import writes what c read through svc: the member or employer rows, and
// the rows refused while reading (opt.ReadErrors is set from them).
func (c *Collected) Import(ctx context.Context, svc congdoan.ImportService, opt congdoan.ImportOptions) (*congdoan.ImportResult, error) {
	opt.ReadErrors = c.ReadErrors
	switch k := c.Summary.Mapping.Kind; k {
	case Members:
		return svc.ImportMembers(ctx, c.Members, opt)
	case Employers:
		return svc.ImportEmployers(ctx, c.Employers, opt)
	default:
		return nil, fmt.Errorf("importer: %s cannot be imported yet", k)
	}
}

// errorColumn is a reading error's column as the store's errors name it.
func errorColumn(e RowError) string {
	if e.Column == "" {
		return e.Header
	}
	return Column{Letter: e.Column, Header: e.Header}.String()
}
