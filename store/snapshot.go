package store

import (
	"context"
	"database/sql"
	"errors"
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
	counts, err := snapshotCounts(ctx, d, months)
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
		for unit, cs := range counts {
			for i, m := range months {
				all, fem := cs[i][0], cs[i][1]
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

// snapshotCounts counts each unit's direct members and women on each of
// days (sorted ISO dates) from the membership periods, in one pass over
// them: a period [from, to) counts on the days d with from <= d < to.
func snapshotCounts(ctx context.Context, q queryer, days []string) (map[int64][][2]int32, error) {
	index := func(day string) int { // first of days >= day
		lo, hi := 0, len(days)
		for lo < hi {
			mid := (lo + hi) / 2
			if days[mid] < day {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
	diffs := map[int64][][2]int32{}
	err := scanWith(ctx, q, `SELECT m.unit_id, m.valid_from, m.valid_to, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id`, nil, func(rows *sql.Rows) error {
		var unit int64
		var from string
		var to sql.NullString
		var gender string
		if err := rows.Scan(&unit, &from, &to, &gender); err != nil {
			return err
		}
		dd := diffs[unit]
		if dd == nil {
			dd = make([][2]int32, len(days)+1)
			diffs[unit] = dd
		}
		a, b := index(from), len(days)
		if to.Valid {
			b = index(to.String)
		}
		if a >= b {
			return nil
		}
		dd[a][0]++
		dd[b][0]--
		if congdoan.Gender(gender) == congdoan.GenderFemale {
			dd[a][1]++
			dd[b][1]--
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, dd := range diffs { // running sums: the counts on each day
		for i := 1; i < len(dd); i++ {
			dd[i][0] += dd[i-1][0]
			dd[i][1] += dd[i-1][1]
		}
	}
	return diffs, nil
}

// checkSnapshots compares the stored snapshots with the periods: the first
// few (day, unit) pairs that disagree, as messages.
func checkSnapshots(ctx context.Context, q queryer) ([]string, error) {
	var days []string
	if err := scanWith(ctx, q, `SELECT DISTINCT day FROM member_snapshots ORDER BY day`, nil, func(rows *sql.Rows) error {
		var d string
		days = append(days, d)
		return rows.Scan(&days[len(days)-1])
	}); err != nil {
		return nil, err
	}
	if len(days) == 0 {
		return nil, nil
	}
	want, err := snapshotCounts(ctx, q, days)
	if err != nil {
		return nil, err
	}
	pos := make(map[string]int, len(days))
	for i, d := range days {
		pos[d] = i
	}
	type key struct {
		day  string
		unit int64
	}
	seen := map[key]bool{}
	var bad []string
	report := func(day string, unit int64, got, exp [2]int32) {
		if len(bad) < 10 {
			bad = append(bad, fmt.Sprintf("member_snapshots %s unit %d: %d members (%d women) stored, %d (%d) in the periods", day, unit, got[0], got[1], exp[0], exp[1]))
		} else if len(bad) == 10 {
			bad = append(bad, "…")
		}
	}
	err = scanWith(ctx, q, `SELECT day, unit_id, members, members_female FROM member_snapshots`, nil, func(rows *sql.Rows) error {
		var k key
		var got [2]int32
		if err := rows.Scan(&k.day, &k.unit, &got[0], &got[1]); err != nil {
			return err
		}
		seen[k] = true
		var exp [2]int32
		if cs := want[k.unit]; cs != nil {
			exp = cs[pos[k.day]]
		}
		if got != exp {
			report(k.day, k.unit, got, exp)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for unit, cs := range want {
		for i, d := range days {
			if exp := cs[i]; exp != ([2]int32{}) && !seen[key{d, unit}] {
				report(d, unit, [2]int32{}, exp)
			}
		}
	}
	return bad, nil
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
		// Several servers run this job: the first to take the lock writes
		// the month, the others find it there.
		if err := tx.jobLock(ctx, "snapshots"); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM member_snapshots WHERE day = ?`, m.String()).Scan(&n); err != nil || n > 0 {
			if err == nil {
				err = errAlreadyDone
			}
			return err
		}
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
	if errors.Is(err, errAlreadyDone) {
		return false, nil
	}
	return err == nil, err
}

// errAlreadyDone ends a job's transaction that found its work done by
// another server.
var errAlreadyDone = errors.New("already done")
