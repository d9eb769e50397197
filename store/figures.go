package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"congdoan"
)

// The reads of the indicator engine (package indicator): the tree of a
// date, the direct member counts of every unit, the period events, the
// employer facts and the plan targets. They are aggregates over the whole
// registry, read as the system: the engine checks the caller's scope on
// the unit asked for (UnitInScope) before it answers from them, and none
// returns personal data. Every table they read is in engineTables, so a
// write to it must declare what it changes (changes.go).

// TreeEdge is a unit in the tree of a date with its parent then (0 for a
// root).
type TreeEdge struct {
	ID          int64
	Code, Name  string
	Kind        congdoan.UnitKind
	HasEmployer bool
	ParentID    int64
}

// TreeOn returns the units and edges valid on d.
func (d *DB) TreeOn(ctx context.Context, day congdoan.Date) (out []TreeEdge, err error) {
	defer wrap(&err, "store.TreeOn(%s)", day)
	s := day.String()
	rows, err := d.query(ctx, `SELECT u.id, u.code, u.name, u.kind, u.employer_id IS NOT NULL, up.parent_id
		FROM unit_parents up JOIN units u ON u.id = up.unit_id
		WHERE up.valid_from <= ? AND (up.valid_to IS NULL OR up.valid_to > ?)`, s, s)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e TreeEdge
		var parent sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Code, &e.Name, &e.Kind, &e.HasEmployer, &parent); err != nil {
			return nil, err
		}
		e.ParentID = parent.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}

// MemberCounts are [members, women] by unit id.
type MemberCounts map[int64][2]int64

// MemberCountsOn returns the members and women directly in each unit on
// day: from unit_counts when live (day is today); else from the snapshot
// of day's month start plus the periods that started or ended between it
// and day. A month without a snapshot is EINVALID: the date is before the
// data, or the snapshots need `congdoan snapshots`.
func (d *DB) MemberCountsOn(ctx context.Context, day congdoan.Date, live bool) (out MemberCounts, err error) {
	defer wrap(&err, "store.MemberCountsOn(%s, %v)", day, live)
	if live {
		return d.liveCounts(ctx, d)
	}
	m := monthStart(day)
	var n int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM member_snapshots WHERE day = ?`, m.String()).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, congdoan.Errorf(congdoan.EINVALID, "Chưa có số liệu đoàn viên của tháng %02d/%d: ngày này trước khi có dữ liệu, hoặc cần chạy \"congdoan snapshots\".", m.Time().Month(), m.Year())
	}
	out, err = scanCounts(d.query(ctx, `SELECT unit_id, members, members_female FROM member_snapshots WHERE day = ?`, m.String()))
	if err != nil {
		return nil, err
	}
	if day != m {
		if err := memberDeltas(ctx, d, out, m, day, 1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// liveCounts reads unit_counts.
func (d *DB) liveCounts(ctx context.Context, q queryer) (MemberCounts, error) {
	return scanCounts(q.query(ctx, `SELECT unit_id, members, members_female FROM unit_counts`))
}

func scanCounts(rows *sql.Rows, err error) (MemberCounts, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := MemberCounts{}
	for rows.Next() {
		var id int64
		var c [2]int64
		if err := rows.Scan(&id, &c[0], &c[1]); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}

// memberDeltas adds sign × (periods starting in (from, to]) and subtracts
// sign × (periods ending in (from, to]) — the change of the counts between
// the two days. It reads only the periods changed between them, through
// the indexes on valid_from and valid_to.
func memberDeltas(ctx context.Context, q queryer, counts MemberCounts, from, to congdoan.Date, sign int64) error {
	for _, step := range []struct {
		sql string
		k   int64
	}{
		{`SELECT m.unit_id, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_from > ? AND m.valid_from <= ?`, 1},
		{`SELECT m.unit_id, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.valid_to > ? AND m.valid_to <= ?`, -1},
	} {
		rows, err := q.query(ctx, step.sql, from.String(), to.String())
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var g congdoan.Gender
			if err := rows.Scan(&id, &g); err != nil {
				rows.Close()
				return err
			}
			c := counts[id]
			c[0] += sign * step.k
			if g == congdoan.GenderFemale {
				c[1] += sign * step.k
			}
			counts[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("member deltas: %w", err)
		}
	}
	return nil
}

// monthStart returns the first day of d's month.
func monthStart(d congdoan.Date) congdoan.Date {
	return congdoan.NewDate(d.Year(), d.Time().Month(), 1)
}

// The period events of PeriodEvents, in the order of their counts.
const (
	EventAdmitted  = iota // membership periods started by admission or re-admission
	EventLeft             // periods ended by leaving, retirement, expulsion or death
	EventFounded          // grassroots unions and nghiệp đoàn founded
	EventDissolved        // … dissolved or merged (counted under their last parent)
	eventKinds
)

// PeriodEvents counts the events of [from, to] directly in each unit, in
// the order EventAdmitted … EventDissolved: four grouped reads.
func (d *DB) PeriodEvents(ctx context.Context, from, to congdoan.Date) (out map[int64]*[4]int64, err error) {
	defer wrap(&err, "store.PeriodEvents(%s, %s)", from, to)
	out = map[int64]*[4]int64{}
	for i, q := range [eventKinds]string{
		`SELECT unit_id, COUNT(*) FROM memberships WHERE valid_from >= ? AND valid_from <= ? AND start_reason IN ('admitted', 'readmitted') GROUP BY unit_id`,
		`SELECT unit_id, COUNT(*) FROM memberships WHERE valid_to >= ? AND valid_to <= ? AND end_reason IN ('left', 'retired', 'expelled', 'deceased') GROUP BY unit_id`,
		`SELECT id, COUNT(*) FROM units WHERE founded_on >= ? AND founded_on <= ? AND kind IN ('grassroots', 'informal_union') GROUP BY id`,
		// A dissolved union has left the tree: it counts under its last parent.
		`SELECT parent_id, COUNT(*) FROM units WHERE dissolved_on >= ? AND dissolved_on <= ? AND kind IN ('grassroots', 'informal_union') AND parent_id IS NOT NULL GROUP BY parent_id`,
	} {
		rows, err := d.query(ctx, q, from.String(), to.String())
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			c := out[id]
			if c == nil {
				c = new([4]int64)
				out[id] = c
			}
			c[i] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DayNum is a date as yyyymmdd: ISO dates compare as these numbers do. The
// employer facts carry their dates so, 4 bytes each, because a national
// registry has a million employers and a dozen dates each.
type DayNum int32

// OpenEnd is the end of a period still open (valid_to or dissolved_on NULL).
const OpenEnd DayNum = math.MaxInt32

// DayOf returns d as a DayNum.
func DayOf(d congdoan.Date) DayNum {
	return DayNum(d.Year()*10000 + int(d.Time().Month())*100 + d.Time().Day())
}

// parseDay reads "YYYY-MM-DD"; a NULL (nil) is an open end.
func parseDay(b []byte) (DayNum, error) {
	if b == nil {
		return OpenEnd, nil
	}
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, fmt.Errorf("employer facts: date %q is not YYYY-MM-DD", b)
	}
	n := 0
	for i, c := range b {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("employer facts: date %q is not YYYY-MM-DD", b)
		}
		n = n*10 + int(c-'0')
	}
	return DayNum(n), nil
}

// Employer facts: what every date's employer part of the figures is
// computed from (the indicator engine's employers.go), as plain rows.
type (
	// EmployerFact is an employer's status, sector and responsible unit.
	EmployerFact struct {
		ID       int64
		Unit     int64 // employers.unit_id: responsible where no dated row says otherwise
		Active   bool  // status 'active': counted in the employer indicators
		Bargains bool  // not an administrative agency: its unions count for CBA coverage
	}
	// HeadcountFact is a dated workforce.
	HeadcountFact struct {
		Employer int64
		AsOf     DayNum
		Workers  int32
	}
	// UnionFact is a grassroots union at an employer.
	UnionFact struct {
		Employer int64
		ID       int64
		From, To DayNum // founded_on, dissolved_on (exclusive)
	}
	// ResponsibleFact is a dated row of employer_units.
	ResponsibleFact struct {
		Employer int64
		Unit     int64
		From, To DayNum // exclusive end
	}
	// AgreementFact is a union's agreement in force [From, To].
	AgreementFact struct {
		Union    int64
		From, To DayNum // inclusive end
	}
)

// EmployerFacts are the facts of a set of employers, unsorted.
type EmployerFacts struct {
	Employers  []EmployerFact
	Headcounts []HeadcountFact
	Unions     []UnionFact
	Units      []ResponsibleFact
	Agreements []AgreementFact
}

// ReadEmployerFacts reads the facts of every employer (ids nil) or of the
// employers ids, by five plain reads of whole tables (no correlated
// subquery).
func (d *DB) ReadEmployerFacts(ctx context.Context, ids []int64) (f *EmployerFacts, err error) {
	defer wrap(&err, "store.ReadEmployerFacts(%d ids)", len(ids))
	f = &EmployerFacts{}
	if ids != nil && len(ids) == 0 {
		return f, nil
	}
	w, args := "", []any(nil)
	if ids != nil {
		w, args = " AND %s IN ("+Placeholders(len(ids))+")", toAny(ids)
	}
	where := func(col string) string {
		if w == "" {
			return ""
		}
		return fmt.Sprintf(w, col)
	}
	err = d.scan(ctx, `SELECT id, unit_id, status = 'active', sector <> 'admin_agency' FROM employers WHERE 1 = 1`+where("id"), args, func(rows *sql.Rows) error {
		var r EmployerFact
		if err := rows.Scan(&r.ID, &r.Unit, &r.Active, &r.Bargains); err != nil {
			return err
		}
		f.Employers = append(f.Employers, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var b1, b2 sql.RawBytes
	err = d.scan(ctx, `SELECT employer_id, as_of, workers_total FROM employer_headcounts WHERE 1 = 1`+where("employer_id"), args, func(rows *sql.Rows) error {
		var h HeadcountFact
		var workers int64
		if err := rows.Scan(&h.Employer, &b1, &workers); err != nil {
			return err
		}
		var err error
		if h.AsOf, err = parseDay(b1); err != nil {
			return err
		}
		h.Workers = int32(min(workers, math.MaxInt32))
		f.Headcounts = append(f.Headcounts, h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Grassroots unions at employers (units.employer_id is set when a
	// union is founded and never changes).
	err = d.scan(ctx, `SELECT employer_id, id, founded_on, dissolved_on FROM units WHERE kind = 'grassroots' AND employer_id IS NOT NULL`+where("employer_id"), args, func(rows *sql.Rows) error {
		var g UnionFact
		if err := rows.Scan(&g.Employer, &g.ID, &b1, &b2); err != nil {
			return err
		}
		var err error
		if g.From, err = parseDay(b1); err != nil {
			return err
		}
		if g.To, err = parseDay(b2); err != nil {
			return err
		}
		f.Unions = append(f.Unions, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = d.scan(ctx, `SELECT employer_id, unit_id, valid_from, valid_to FROM employer_units WHERE 1 = 1`+where("employer_id"), args, func(rows *sql.Rows) error {
		var r ResponsibleFact
		if err := rows.Scan(&r.Employer, &r.Unit, &b1, &b2); err != nil {
			return err
		}
		var err error
		if r.From, err = parseDay(b1); err != nil {
			return err
		}
		if r.To, err = parseDay(b2); err != nil {
			return err
		}
		f.Units = append(f.Units, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	q := `SELECT unit_id, valid_from, valid_to FROM agreements`
	if ids != nil {
		q += ` WHERE unit_id IN (SELECT id FROM units WHERE kind = 'grassroots'` + where("employer_id") + `)`
	}
	err = d.scan(ctx, q, args, func(rows *sql.Rows) error {
		var a AgreementFact
		if err := rows.Scan(&a.Union, &b1, &b2); err != nil {
			return err
		}
		var err error
		if a.From, err = parseDay(b1); err != nil {
			return err
		}
		if a.To, err = parseDay(b2); err != nil {
			return err
		}
		f.Agreements = append(f.Agreements, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// UnionEmployers returns the employers of the grassroots unions ids.
func (d *DB) UnionEmployers(ctx context.Context, ids []int64) (out []int64, err error) {
	defer wrap(&err, "store.UnionEmployers(%d ids)", len(ids))
	if len(ids) == 0 {
		return nil, nil
	}
	err = d.scan(ctx, `SELECT employer_id FROM units WHERE employer_id IS NOT NULL AND id IN (`+Placeholders(len(ids))+`)`, toAny(ids),
		func(rows *sql.Rows) error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
			return nil
		})
	return out, err
}

// scan runs query and calls fn for each row.
func (d *DB) scan(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	return scanWith(ctx, d, query, args, fn)
}

// scanWith runs query on q (the DB or a transaction) and calls fn for each
// row.
func scanWith(ctx context.Context, q queryer, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
