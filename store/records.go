package store

import (
	"context"
	"database/sql"
	"strings"

	"congdoan"
)

// The records behind a figure are listed by plain SQL over the base tables
// with a recursive query for the subtree of the date: a different path to
// the indicator engine's definitions, which the tests compare figure by
// figure, and the "plain SQL" baseline of the benchmark.

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

// FindFigureRecords lists a page of the records behind one side of a
// figure and their total. q.Date must be set (the engine checks it against
// today and the first day of data); employerMin is the plan's workforce
// threshold. The unit must be in the caller's scope (ENOTFOUND) and in the
// tree of the date (EINVALID); member lists need personal-data rights
// (EFORBIDDEN for monitors).
func (d *DB) FindFigureRecords(ctx context.Context, q congdoan.RecordQuery, employerMin int) (_ []*congdoan.FigureRecord, _ int, err error) {
	defer wrap(&err, "store.FindFigureRecords(%s, %q, %s)", q.Indicator, q.Unit, q.Date)
	rq, err := d.recordsQuery(ctx, q, employerMin)
	if err != nil {
		return nil, 0, err
	}
	limit := clampLimit(q.Limit)
	var total int
	if err := d.queryRow(ctx, subtreeCTE+`SELECT COUNT(*) FROM (`+rq.body+`) x`, rq.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := d.query(ctx, subtreeCTE+`SELECT * FROM (`+rq.body+`) x ORDER BY 8, 1 LIMIT ? OFFSET ?`, append(rq.args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*congdoan.FigureRecord
	for rows.Next() {
		r := &congdoan.FigureRecord{Kind: rq.kind}
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

// FigureRecordIDs returns the sorted ids of every record behind one side
// of a figure, in one query over the same definition as FindFigureRecords
// (frozen reports hash them).
func (d *DB) FigureRecordIDs(ctx context.Context, q congdoan.RecordQuery, employerMin int) (ids []int64, err error) {
	defer wrap(&err, "store.FigureRecordIDs(%s, %q, %s)", q.Indicator, q.Unit, q.Date)
	rq, err := d.recordsQuery(ctx, q, employerMin)
	if err != nil {
		return nil, err
	}
	err = d.scan(ctx, subtreeCTE+`SELECT x.id FROM (`+rq.body+`) x ORDER BY 1`, rq.args, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	return ids, err
}

// recordsSQL is one side of a figure as SQL: a query (to run after
// subtreeCTE) whose columns are id, code, name, unit code, unit name,
// workers, date, sort key.
type recordsSQL struct {
	kind congdoan.RecordKind
	body string
	args []any
}

// recordsQuery checks the request (indicator, side, scope, the unit on the
// date, personal data) and builds its query.
func (d *DB) recordsQuery(ctx context.Context, q congdoan.RecordQuery, employerMin int) (*recordsSQL, error) {
	def, ok := congdoan.LookupIndicator(q.Indicator)
	if !ok {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không có chỉ tiêu mã %q. Các mã: %s.", q.Indicator, congdoan.IndicatorCodeList())
	}
	side := q.Side
	if side == "" {
		side = congdoan.SideNumerator
	}
	if side != congdoan.SideNumerator && (!def.Percent || (side != congdoan.SideDenominator && side != congdoan.SideGap)) {
		return nil, congdoan.FieldError("side", "side phải là numerator, hoặc với chỉ tiêu tỷ lệ: denominator, gap.")
	}
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	u, err := d.unitByCode(ctx, d, s, q.Unit)
	if err != nil {
		return nil, err
	}
	if q.Date.IsZero() {
		q.Date = d.Today()
	}
	day := q.Date.String()
	var onTree int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM unit_parents WHERE unit_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`, u.ID, day, day).Scan(&onTree); err != nil {
		return nil, err
	}
	if onTree == 0 {
		return nil, congdoan.Errorf(congdoan.EINVALID, "%s chưa được thành lập hoặc đã thôi hoạt động vào ngày %s.", u.Name, q.Date.VN())
	}
	from := q.From
	if from.IsZero() {
		from = congdoan.NewDate(q.Date.Year(), 1, 1)
	}
	kind := congdoan.RecordKindOf(def.Code, side)
	if kind == congdoan.RecordMember {
		if err := s.requirePersonalData(); err != nil {
			return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Danh sách này là hồ sơ đoàn viên; vai trò giám sát chỉ xem số liệu tổng hợp.")
		}
	}
	args := []any{u.ID, day, day}
	// The subtree is the tree of the date, but what the caller may read is
	// their scope today: a unit their union has lost since is no longer
	// theirs to list, whatever date they ask for. inScope(col) keeps the
	// records whose unit col is in it.
	inScope := func(col string) string {
		if s.rootID == 0 {
			return ""
		}
		return " AND " + inSubtree(s.rootID, col)
	}
	var body string
	switch {
	case kind == congdoan.RecordMember && (def.Code == congdoan.IndicatorMembers || def.Code == congdoan.IndicatorWorkerMembership):
		body = `SELECT p.id, '', p.full_name, u.code, u.name, 0, m.valid_from, p.sort_key
			FROM memberships m JOIN persons p ON p.id = m.person_id JOIN units u ON u.id = m.unit_id
			WHERE m.unit_id IN (SELECT id FROM sub) AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to > ?)`
		args = append(args, day, day)
		if def.Code == congdoan.IndicatorWorkerMembership {
			// Members whose nearest grassroots unit on d has an employer.
			body += ` AND m.unit_id IN (` + atEmployerUnionsSQL + `)`
			args = append(args, day, day, day, day)
		}
		body += inScope("m.unit_id")
	case kind == congdoan.RecordEmployer:
		cond := "1=1"
		switch {
		case def.Code == congdoan.IndicatorWorkerMembership:
			cond = "g.id IS NOT NULL"
		case side == congdoan.SideNumerator:
			cond = "h.workers_total >= ? AND g.id IS NOT NULL"
		case side == congdoan.SideDenominator:
			cond = "h.workers_total >= ?"
		case side == congdoan.SideGap:
			cond = "h.workers_total >= ? AND g.id IS NULL"
		}
		body = `SELECT e.id, COALESCE(e.tax_code, ''), e.name, COALESCE(g.code, r.code), COALESCE(g.name, r.name), h.workers_total, h.as_of, e.search_key
			FROM employers e JOIN employer_headcounts h ON h.employer_id = e.id
			JOIN units r ON r.id = ` + responsibleSQL + `
			LEFT JOIN units g ON g.id = (SELECT MIN(g2.id) FROM units g2 WHERE g2.employer_id = e.id AND g2.kind = 'grassroots' AND g2.founded_on <= ? AND (g2.dissolved_on IS NULL OR g2.dissolved_on > ?))
			WHERE e.status = 'active' AND h.as_of = (SELECT MAX(h2.as_of) FROM employer_headcounts h2 WHERE h2.employer_id = e.id AND h2.as_of <= ?)
			AND ` + employerUnitSQL + ` IN (SELECT id FROM sub) AND ` + cond + inScope("COALESCE(g.id, r.id)")
		args = append(args, day, day, day, day, day, day, day, day, day)
		if strings.Contains(cond, "?") {
			args = append(args, employerMin)
		}
	case def.Code == congdoan.IndicatorCBACoverage:
		cond := "1=1"
		covered := `EXISTS (SELECT 1 FROM agreements a WHERE a.unit_id = g.id AND a.valid_from <= ? AND a.valid_to >= ?)`
		switch side {
		case congdoan.SideNumerator:
			cond = covered
		case congdoan.SideGap:
			cond = "NOT " + covered
		}
		body = `SELECT g.id, g.code, g.name, g.code, e.name, 0, g.founded_on, g.search_key
			FROM units g JOIN employers e ON e.id = g.employer_id
			WHERE g.id IN (SELECT id FROM sub) AND g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)
			AND e.sector <> 'admin_agency' AND ` + cond + inScope("g.id")
		args = append(args, day, day)
		if cond != "1=1" {
			args = append(args, day, day)
		}
	case def.Code == congdoan.IndicatorMembersAdmitted || def.Code == congdoan.IndicatorMembersLeft:
		col, reasons := "m.valid_from", "m.start_reason IN ('admitted', 'readmitted')"
		if def.Code == congdoan.IndicatorMembersLeft {
			col, reasons = "m.valid_to", "m.end_reason IN ('left', 'retired', 'expelled', 'deceased')"
		}
		body = `SELECT p.id, '', p.full_name, u.code, u.name, 0, ` + col + `, p.sort_key
			FROM memberships m JOIN persons p ON p.id = m.person_id JOIN units u ON u.id = m.unit_id
			WHERE m.unit_id IN (SELECT id FROM sub) AND ` + col + ` >= ? AND ` + col + ` <= ? AND ` + reasons + inScope("m.unit_id")
		args = append(args, from.String(), day)
	default: // unions founded or dissolved
		col := "g.founded_on"
		if def.Code == congdoan.IndicatorUnionsDissolved {
			col = "g.dissolved_on"
		}
		body = `SELECT g.id, g.code, g.name, g.code, '', 0, ` + col + `, g.search_key
			FROM units g WHERE g.id IN (SELECT id FROM sub) AND g.kind IN ('grassroots', 'informal_union') AND ` + col + ` >= ? AND ` + col + ` <= ?` + inScope("g.id")
		args = append(args, from.String(), day)
		if def.Code == congdoan.IndicatorUnionsDissolved {
			// A dissolved union has no edge on d: look for it under its last parent.
			body = strings.Replace(body, "g.id IN (SELECT id FROM sub)", "g.parent_id IN (SELECT id FROM sub)", 1)
		}
	}
	return &recordsSQL{kind: kind, body: body, args: args}, nil
}

// atEmployerUnionsSQL lists units (in sub) whose nearest grassroots
// ancestor on the date — or themselves — is a grassroots union with an
// employer: the union and its sections and groups (arguments: date ×4).
const atEmployerUnionsSQL = `SELECT g.id FROM units g WHERE g.kind = 'grassroots' AND g.employer_id IS NOT NULL AND g.id IN (SELECT id FROM sub)
	UNION ALL
	SELECT s.id FROM units s JOIN unit_parents up ON up.unit_id = s.id AND up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)
	JOIN units g ON g.id = up.parent_id AND g.kind = 'grassroots' AND g.employer_id IS NOT NULL
	WHERE s.kind IN ('section', 'group')
	UNION ALL
	SELECT t.id FROM units t JOIN unit_parents up ON up.unit_id = t.id AND up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)
	JOIN units s ON s.id = up.parent_id AND s.kind = 'section'
	JOIN units g ON g.id = s.parent_id AND g.kind = 'grassroots' AND g.employer_id IS NOT NULL
	WHERE t.kind = 'group'`
