package indicator

import (
	"context"
	"database/sql"
	"strings"

	"congdoan"
)

// Record is one row behind a figure: a member, an employer or a union.
type Record struct {
	Kind     string `json:"kind"` // member, employer, unit
	ID       int64  `json:"id"`
	Code     string `json:"code,omitempty"`
	Name     string `json:"name"`
	UnitCode string `json:"unit_code,omitempty"`
	UnitName string `json:"unit_name,omitempty"`
	Workers  int64  `json:"workers,omitempty"`
	Date     string `json:"date,omitempty"`
}

// Sides of a figure whose records can be listed.
const (
	SideNumerator   = "numerator"
	SideDenominator = "denominator"
	SideGap         = "gap" // in the denominator but not the numerator: the work left to do
)

// subtreeCTE is the units of a subtree in the tree of a date, by plain
// recursive SQL over the dated edges (arguments: root id, date, date).
const subtreeCTE = `WITH RECURSIVE sub(id) AS (
	SELECT CAST(? AS BIGINT)
	UNION ALL
	SELECT up.unit_id FROM unit_parents up JOIN sub ON up.parent_id = sub.id
	WHERE up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)) `

// responsibleSQL is the unit responsible for employer e's area on the date
// (arguments: date, date): its dated row, else its current unit.
const responsibleSQL = `COALESCE((SELECT eu.unit_id FROM employer_units eu WHERE eu.employer_id = e.id AND eu.valid_from <= ? AND (eu.valid_to IS NULL OR eu.valid_to > ?)), e.unit_id)`

// employerUnitSQL attributes an employer to its union on the date, else to
// its responsible unit, exactly as the engine does (arguments: date ×4).
const employerUnitSQL = `COALESCE((SELECT MIN(g.id) FROM units g WHERE g.employer_id = e.id AND g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)), ` + responsibleSQL + `)`

// Records lists the records behind one side of an indicator for the unit's
// subtree on d, with the total. Member records are personal data: monitors
// get EFORBIDDEN.
func (e *Engine) Records(ctx context.Context, indicatorCode, unitCode string, d, from congdoan.Date, side string, limit, offset int) ([]*Record, int, error) {
	q, err := e.recordsQuery(ctx, indicatorCode, unitCode, d, from, side)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var total int
	if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(subtreeCTE+`SELECT COUNT(*) FROM (`+q.body+`) x`), q.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := e.db.SQL().QueryContext(ctx, e.db.Rebind(subtreeCTE+`SELECT * FROM (`+q.body+`) x ORDER BY 8, 1 LIMIT ? OFFSET ?`), append(q.args, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r := &Record{Kind: q.kind}
		var date sql.NullString
		var sortKey any
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.UnitCode, &r.UnitName, &r.Workers, &date, &sortKey); err != nil {
			return nil, 0, err
		}
		r.Date = date.String
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// RecordIDs returns the sorted ids of every record behind one side of a
// figure, in one query over the same definition as Records (frozen
// reports hash them).
func (e *Engine) RecordIDs(ctx context.Context, indicatorCode, unitCode string, d, from congdoan.Date, side string) ([]int64, error) {
	q, err := e.recordsQuery(ctx, indicatorCode, unitCode, d, from, side)
	if err != nil {
		return nil, err
	}
	rows, err := e.db.SQL().QueryContext(ctx, e.db.Rebind(subtreeCTE+`SELECT x.id FROM (`+q.body+`) x ORDER BY 1`), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// recordsSQL is one side of a figure as SQL: a query (to run after
// subtreeCTE) whose columns are id, code, name, unit code, unit name,
// workers, date, sort key.
type recordsSQL struct {
	kind, body string
	args       []any
}

// recordsQuery checks the request (scope, indicator, date, side) and builds
// its query.
func (e *Engine) recordsQuery(ctx context.Context, indicatorCode, unitCode string, d, from congdoan.Date, side string) (*recordsSQL, error) {
	def, ok := Lookup(indicatorCode)
	if !ok {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không có chỉ tiêu mã %q. Các mã: %s.", indicatorCode, codes())
	}
	if _, err := e.db.UnitInScope(ctx, unitCode); err != nil {
		return nil, err
	}
	d, err := e.checkDate(d)
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = congdoan.NewDate(d.Year(), 1, 1)
	}
	if side == "" {
		side = SideNumerator
	}
	if side != SideNumerator && (!def.Percent || (side != SideDenominator && side != SideGap)) {
		return nil, congdoan.FieldError("side", "side phải là numerator, hoặc với chỉ tiêu tỷ lệ: denominator, gap.")
	}
	f, err := e.day(ctx, d)
	if err != nil {
		return nil, err
	}
	root, err := e.unitOn(ctx, f, unitCode)
	if err != nil {
		return nil, err
	}
	day := d.String()
	args := []any{root, day, day}
	var body, kind string
	switch {
	case def.Code == Members || (def.Code == WorkerMembership && side == SideNumerator):
		kind = "member"
		body = `SELECT p.id, '', p.full_name, u.code, u.name, 0, m.valid_from, p.sort_key
			FROM memberships m JOIN persons p ON p.id = m.person_id JOIN units u ON u.id = m.unit_id
			WHERE m.unit_id IN (SELECT id FROM sub) AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)`
		args = append(args, day, day)
		if def.Code == WorkerMembership {
			// Members whose nearest grassroots unit on d has an employer.
			body += ` AND m.unit_id IN (` + atEmployerUnionsCTE + `)`
			args = append(args, day, day, day, day)
		}
	case def.Code == Employers15Union || (def.Code == WorkerMembership):
		kind = "employer"
		cond := "1=1"
		switch {
		case def.Code == WorkerMembership:
			cond = "g.id IS NOT NULL"
		case side == SideNumerator:
			cond = "h.workers_total >= ? AND g.id IS NOT NULL"
		case side == SideDenominator:
			cond = "h.workers_total >= ?"
		case side == SideGap:
			cond = "h.workers_total >= ? AND g.id IS NULL"
		}
		body = `SELECT e.id, COALESCE(e.tax_code, ''), e.name, COALESCE(g.code, r.code), COALESCE(g.name, r.name), h.workers_total, h.as_of, e.search_key
			FROM employers e JOIN employer_headcounts h ON h.employer_id = e.id
			JOIN units r ON r.id = ` + responsibleSQL + `
			LEFT JOIN units g ON g.id = (SELECT MIN(g2.id) FROM units g2 WHERE g2.employer_id = e.id AND g2.kind = 'grassroots' AND g2.founded_on <= ? AND (g2.dissolved_on IS NULL OR g2.dissolved_on > ?))
			WHERE e.status = 'active' AND h.as_of = (SELECT MAX(h2.as_of) FROM employer_headcounts h2 WHERE h2.employer_id = e.id AND h2.as_of <= ?)
			AND ` + employerUnitSQL + ` IN (SELECT id FROM sub) AND ` + cond
		args = append(args, day, day, day, day, day, day, day, day, day)
		if strings.Contains(cond, "?") {
			args = append(args, e.EmployerMin)
		}
	case def.Code == CBACoverage:
		kind = "unit"
		cond := "1=1"
		covered := `EXISTS (SELECT 1 FROM agreements a WHERE a.unit_id = g.id AND a.valid_from <= ? AND a.valid_to >= ?)`
		switch side {
		case SideNumerator:
			cond = covered
		case SideGap:
			cond = "NOT " + covered
		}
		body = `SELECT g.id, g.code, g.name, g.code, e.name, 0, g.founded_on, g.search_key
			FROM units g JOIN employers e ON e.id = g.employer_id
			WHERE g.id IN (SELECT id FROM sub) AND g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)
			AND e.sector <> 'admin_agency' AND ` + cond
		args = append(args, day, day)
		if cond != "1=1" {
			args = append(args, day, day)
		}
	case def.Code == MembersAdmitted || def.Code == MembersLeft:
		kind = "member"
		col, reasons := "m.valid_from", "m.start_reason IN ('admitted', 'readmitted')"
		if def.Code == MembersLeft {
			col, reasons = "m.valid_to", "m.end_reason IN ('left', 'retired', 'expelled', 'deceased')"
		}
		body = `SELECT p.id, '', p.full_name, u.code, u.name, 0, ` + col + `, p.sort_key
			FROM memberships m JOIN persons p ON p.id = m.person_id JOIN units u ON u.id = m.unit_id
			WHERE m.unit_id IN (SELECT id FROM sub) AND ` + col + ` >= ? AND ` + col + ` <= ? AND ` + reasons
		args = append(args, from.String(), day)
	default: // unions founded or dissolved
		kind = "unit"
		col := "g.founded_on"
		if def.Code == UnionsDissolved {
			col = "g.dissolved_on"
		}
		body = `SELECT g.id, g.code, g.name, g.code, '', 0, ` + col + `, g.search_key
			FROM units g WHERE g.id IN (SELECT id FROM sub) AND g.kind IN ('grassroots', 'informal_union') AND ` + col + ` >= ? AND ` + col + ` <= ?`
		args = append(args, from.String(), day)
		if def.Code == UnionsDissolved {
			// A dissolved union has no edge on d: look for it under its last parent.
			body = strings.Replace(body, "g.id IN (SELECT id FROM sub)", "g.parent_id IN (SELECT id FROM sub)", 1)
		}
	}
	if kind == "member" {
		u := congdoan.UserFromContext(ctx)
		if u == nil || !u.CanReadPersonalData() {
			return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Danh sách này là hồ sơ đoàn viên; vai trò giám sát chỉ xem số liệu tổng hợp.")
		}
	}
	return &recordsSQL{kind: kind, body: body, args: args}, nil
}

// atEmployerUnionsCTE lists units (in sub) whose nearest grassroots
// ancestor on the date — or themselves — is a grassroots union with an
// employer: the union and its sections and groups (arguments: date ×4).
const atEmployerUnionsCTE = `SELECT g.id FROM units g WHERE g.kind = 'grassroots' AND g.employer_id IS NOT NULL AND g.id IN (SELECT id FROM sub)
	UNION ALL
	SELECT s.id FROM units s JOIN unit_parents up ON up.unit_id = s.id AND up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)
	JOIN units g ON g.id = up.parent_id AND g.kind = 'grassroots' AND g.employer_id IS NOT NULL
	WHERE s.kind IN ('section', 'group')
	UNION ALL
	SELECT t.id FROM units t JOIN unit_parents up ON up.unit_id = t.id AND up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)
	JOIN units s ON s.id = up.parent_id AND s.kind = 'section'
	JOIN units g ON g.id = s.parent_id AND g.kind = 'grassroots' AND g.employer_id IS NOT NULL
	WHERE t.kind = 'group'`

func codes() string {
	var cs []string
	for _, d := range Defs {
		cs = append(cs, d.Code)
	}
	return strings.Join(cs, ", ")
}
