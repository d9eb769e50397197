package store

import (
	"context"
	"database/sql"
	"fmt"

	"congdoan"
)

// Member snapshots: each unit's direct members and women at the start of
// every month (member_snapshots), which the indicator engine starts from
// for a past date instead of reading members. They are derived data, kept
// true by every backdated membership write in its own transaction
// (Tx.adjustSnapshots); these are the jobs that make them.

// BackfillSnapshots computes the snapshots of every month start from the
// first membership to today, in one pass over the membership periods (the
// one place member rows are read: once, by a job, not by a dashboard). It
// replaces the existing snapshots.
func (d *DB) BackfillSnapshots(ctx context.Context) (err error) {
	return d.BackfillSnapshotsFrom(ctx, congdoan.Date{})
}

// BackfillSnapshotsFrom is BackfillSnapshots for a registry whose history
// is recorded from a day: the snapshots start at that day's month (or the
// first membership's, if later), and a date before it is "before the data"
// (EINVALID), as before the first membership. Members admitted before it
// (the stock of the day the registry started, with the admission dates
// on their cards) are counted from its first snapshot on. A zero from is
// the first membership.
func (d *DB) BackfillSnapshotsFrom(ctx context.Context, from congdoan.Date) (err error) {
	defer wrap(&err, "store.BackfillSnapshots")
	today := d.Today()
	var first sql.NullString
	if err := d.queryRow(ctx, `SELECT MIN(valid_from) FROM memberships`).Scan(&first); err != nil {
		return err
	}
	if !first.Valid {
		return nil
	}
	f, err := congdoan.ParseISODate(first.String)
	if err != nil {
		return err
	}
	if f.Before(from) {
		f = from
	}
	var months []string
	for m := monthStart(f); !m.After(today); m = congdoan.DateOf(m.Time().AddDate(0, 1, 0)) {
		months = append(months, m.String())
	}
	index := func(day string) int { // first month start >= day
		lo, hi := 0, len(months)
		for lo < hi {
			mid := (lo + hi) / 2
			if months[mid] < day {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
	type diff struct{ all, female []int32 }
	diffs := map[int64]*diff{}
	err = d.scan(ctx, `SELECT m.unit_id, m.valid_from, m.valid_to, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id`, nil, func(rows *sql.Rows) error {
		var unit int64
		var from string
		var to sql.NullString
		var gender string
		if err := rows.Scan(&unit, &from, &to, &gender); err != nil {
			return err
		}
		dd := diffs[unit]
		if dd == nil {
			dd = &diff{make([]int32, len(months)+1), make([]int32, len(months)+1)}
			diffs[unit] = dd
		}
		a, b := index(from), len(months)
		if to.Valid {
			b = index(to.String)
		}
		if a >= b {
			return nil
		}
		dd.all[a]++
		dd.all[b]--
		if gender == congdoan.GenderFemale {
			dd.female[a]++
			dd.female[b]--
		}
		return nil
	})
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *Tx) error {
		// Derived from the periods, so no figure changes; but the engine
		// reads snapshots for past dates, and a repair may correct them.
		tx.Affects(ChangesMembers, congdoan.Date{})
		if _, err := tx.exec(ctx, `DELETE FROM member_snapshots`); err != nil {
			return err
		}
		// Multi-row INSERTs: at national scale this writes about 10 million
		// rows (135 thousand units × 70 months), one round trip per row took
		// most of the load on PostgreSQL.
		const perStmt = 500
		full, err := tx.tx.PrepareContext(ctx, d.Rebind(snapshotInsert(perStmt)))
		if err != nil {
			return err
		}
		defer full.Close()
		args := make([]any, 0, 4*perStmt)
		rowsWritten := 0
		flush := func() error {
			var err error
			if len(args) == 4*perStmt {
				_, err = full.ExecContext(ctx, args...)
			} else if len(args) > 0 {
				_, err = tx.exec(ctx, snapshotInsert(len(args)/4), args...)
			}
			rowsWritten += len(args) / 4
			args = args[:0]
			return err
		}
		for unit, dd := range diffs {
			var all, fem int32
			for i, m := range months {
				all += dd.all[i]
				fem += dd.female[i]
				if all == 0 && fem == 0 {
					continue // a missing row reads as zero
				}
				args = append(args, m, unit, all, fem)
				if len(args) == 4*perStmt {
					if err := flush(); err != nil {
						return fmt.Errorf("snapshots: %w", err)
					}
				}
			}
		}
		if err := flush(); err != nil {
			return fmt.Errorf("snapshots: %w", err)
		}
		return tx.audit(ctx, Event{Action: "snapshots.backfill", Entity: "system", EntityID: "member_snapshots", Global: true,
			After: map[string]any{"months": len(months), "rows": rowsWritten}})
	})
}

func snapshotInsert(rows int) string {
	return `INSERT INTO member_snapshots (day, unit_id, members, members_female) VALUES ` + ValueRows(rows, 4)
}

// TakeSnapshot writes the snapshot of this month's first day if it is
// missing, from unit_counts and the periods that started or ended since
// that day — no scan of members; on a database without any snapshot it
// backfills them all. The server calls it every few hours. It reports
// whether it wrote anything.
func (d *DB) TakeSnapshot(ctx context.Context) (wrote bool, err error) {
	defer wrap(&err, "store.TakeSnapshot")
	m := monthStart(d.Today())
	var n, all int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM member_snapshots WHERE day = ?`, m.String()).Scan(&n); err != nil || n > 0 {
		return false, err
	}
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM member_snapshots`).Scan(&all); err != nil {
		return false, err
	}
	if all == 0 {
		return true, d.BackfillSnapshots(ctx)
	}
	err = d.tx(ctx, func(tx *Tx) error {
		// Today's counts minus what changed after the month start, read in
		// the writing transaction so that no admission falls between.
		counts, err := d.liveCounts(ctx, tx)
		if err != nil {
			return err
		}
		if err := memberDeltas(ctx, tx, counts, m, d.Today(), -1); err != nil {
			return err
		}
		tx.Affects(ChangesMembers, m)
		for unit, c := range counts {
			if _, err := tx.exec(ctx, `INSERT INTO member_snapshots (day, unit_id, members, members_female) VALUES (?, ?, ?, ?)`, m.String(), unit, c[0], c[1]); err != nil {
				return err
			}
		}
		return tx.audit(ctx, Event{Action: "snapshots.take", Entity: "system", EntityID: "member_snapshots", Global: true,
			After: map[string]any{"day": m.String(), "units": len(counts)}})
	})
	return err == nil, err
}
