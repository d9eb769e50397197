package store

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"

	"congdoan"
)

// Reads for tools — the demo generator and the benchmark — that look at the
// database as a whole, as the system. Nothing here is reachable from the
// web or the API.

// UnitCount returns how many units the database holds (the demo refuses to
// write into a database that has any).
func (d *DB) UnitCount(ctx context.Context) (n int, err error) {
	defer wrap(&err, "store.UnitCount")
	err = d.queryRow(ctx, `SELECT COUNT(*) FROM units`).Scan(&n)
	return n, err
}

// BargainingUnion is a grassroots union at an employer that bargains (not
// an administrative agency).
type BargainingUnion struct {
	ID, EmployerID int64
	FoundedOn      congdoan.Date
}

// BargainingUnions lists every grassroots union at an employer that
// bargains, by id (the demo gives them agreements).
func (d *DB) BargainingUnions(ctx context.Context) (out []BargainingUnion, err error) {
	defer wrap(&err, "store.BargainingUnions")
	err = d.scan(ctx, `SELECT g.id, g.employer_id, g.founded_on FROM units g JOIN employers e ON e.id = g.employer_id
		WHERE g.kind = 'grassroots' AND e.sector <> 'admin_agency' ORDER BY g.id`, nil, func(rows *sql.Rows) error {
		var u BargainingUnion
		var founded sql.NullString
		if err := rows.Scan(&u.ID, &u.EmployerID, &founded); err != nil {
			return err
		}
		u.FoundedOn = parseDate(founded)
		out = append(out, u)
		return nil
	})
	return out, err
}

// Sample is what a benchmark measures against: the first active root, the
// active grassroots union with the most members, an upper unit between
// them (the commune union with the most members, else the first province
// federation, else the root), and the size of the registry.
type Sample struct {
	Root, Union, Upper *congdoan.Unit
	ActiveMembers      int64
	MaxPersonID        int64
	Snapshots          int
}

// Sample reads the benchmark's sample of the database.
func (d *DB) Sample(ctx context.Context) (_ *Sample, err error) {
	defer wrap(&err, "store.Sample")
	s := &Sample{}
	one := func(where string, args ...any) (*congdoan.Unit, error) {
		us, err := d.queryUnits(ctx, d, where+` LIMIT 1`, args...)
		if err != nil || len(us) == 0 {
			return nil, err
		}
		return us[0], nil
	}
	if s.Root, err = one(`u.parent_id IS NULL AND u.dissolved_on IS NULL ORDER BY u.id`); err != nil {
		return nil, err
	}
	if s.Root == nil {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Cơ sở dữ liệu chưa có đơn vị nào.")
	}
	largest := `u.kind = ? AND u.dissolved_on IS NULL ORDER BY COALESCE((SELECT c.members FROM unit_counts c WHERE c.unit_id = u.id), 0) DESC, u.id`
	if s.Union, err = one(largest, string(congdoan.KindGrassroots)); err != nil {
		return nil, err
	}
	if s.Union == nil {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Cơ sở dữ liệu chưa có công đoàn cơ sở nào.")
	}
	if s.Upper, err = one(largest, string(congdoan.KindCommuneUnion)); err != nil {
		return nil, err
	}
	if s.Upper == nil {
		if s.Upper, err = one(`u.kind = ? AND u.dissolved_on IS NULL ORDER BY u.code`, string(congdoan.KindProvinceFederation)); err != nil {
			return nil, err
		}
	}
	if s.Upper == nil {
		s.Upper = s.Root
	}
	if err := d.queryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM persons WHERE status = 'active'`).Scan(&s.ActiveMembers, &s.MaxPersonID); err != nil {
		return nil, err
	}
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM member_snapshots`).Scan(&s.Snapshots); err != nil {
		return nil, err
	}
	return s, nil
}

// SampledMember is an active member's name and CCCD, for benchmark queries.
type SampledMember struct{ FullName, CCCD string }

// SampleMembers draws n active members at random (rng decides, so a seed
// gives the same draw), by probing random ids up to s.MaxPersonID.
func (d *DB) SampleMembers(ctx context.Context, s *Sample, rng *rand.Rand, n int) (out []SampledMember, err error) {
	defer wrap(&err, "store.SampleMembers(%d)", n)
	if s.ActiveMembers == 0 {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Cơ sở dữ liệu chưa có đoàn viên nào.")
	}
	for len(out) < n {
		var m SampledMember
		err := d.queryRow(ctx, `SELECT full_name, cccd FROM persons WHERE id = ? AND status = 'active'`, rng.Int64N(s.MaxPersonID)+1).Scan(&m.FullName, &m.CCCD)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
