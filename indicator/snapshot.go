package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"congdoan"
	"congdoan/store"
)

// monthStart returns the first day of d's month.
func monthStart(d congdoan.Date) congdoan.Date {
	return congdoan.NewDate(d.Year(), d.Time().Month(), 1)
}

// Backfill computes the member snapshots of every month start from the
// first membership to today, in one pass over the membership periods
// (this is the one place member rows are read: once, by a job, not by a
// dashboard). It replaces existing snapshots.
func Backfill(ctx context.Context, db *store.DB) error {
	today := db.Today()
	var first sql.NullString
	if err := db.SQL().QueryRowContext(ctx, `SELECT MIN(valid_from) FROM memberships`).Scan(&first); err != nil {
		return err
	}
	if !first.Valid {
		return nil
	}
	f, err := congdoan.ParseISODate(first.String)
	if err != nil {
		return err
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
	rows, err := db.SQL().QueryContext(ctx, `SELECT m.unit_id, m.valid_from, m.valid_to, p.gender FROM memberships m JOIN persons p ON p.id = m.person_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var unit int64
		var from string
		var to sql.NullString
		var gender string
		if err := rows.Scan(&unit, &from, &to, &gender); err != nil {
			rows.Close()
			return err
		}
		d := diffs[unit]
		if d == nil {
			d = &diff{make([]int32, len(months)+1), make([]int32, len(months)+1)}
			diffs[unit] = d
		}
		a, b := index(from), len(months)
		if to.Valid {
			b = index(to.String)
		}
		if a >= b {
			continue
		}
		d.all[a]++
		d.all[b]--
		if gender == congdoan.GenderFemale {
			d.female[a]++
			d.female[b]--
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_snapshots`); err != nil {
		return err
	}
	// Multi-row INSERTs: at national scale this writes about 10 million
	// rows (135 thousand units × 70 months), one round trip per row took
	// most of the load on PostgreSQL.
	const perStmt = 500
	full, err := tx.PrepareContext(ctx, db.Rebind(snapshotInsert(perStmt)))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, 4*perStmt)
	flush := func() error {
		var err error
		if len(args) == 4*perStmt {
			_, err = full.ExecContext(ctx, args...)
		} else if len(args) > 0 {
			_, err = tx.ExecContext(ctx, db.Rebind(snapshotInsert(len(args)/4)), args...)
		}
		args = args[:0]
		return err
	}
	for unit, d := range diffs {
		var all, fem int32
		for i, m := range months {
			all += d.all[i]
			fem += d.female[i]
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
	return tx.Commit()
}

func snapshotInsert(rows int) string {
	return `INSERT INTO member_snapshots (day, unit_id, members, members_female) VALUES ` + store.ValueRows(rows, 4)
}

// TakeSnapshot writes the snapshot of this month's first day if it is
// missing, from unit_counts and the periods that started or ended since
// that day — no scan of members. The server calls it daily.
func TakeSnapshot(ctx context.Context, db *store.DB) error {
	m := monthStart(db.Today()).String()
	var n int
	if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT COUNT(*) FROM member_snapshots WHERE day = ?`), m).Scan(&n); err != nil || n > 0 {
		return err
	}
	var any int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM member_snapshots`).Scan(&any); err != nil {
		return err
	}
	if any == 0 {
		return Backfill(ctx, db)
	}
	counts, err := directMembers(ctx, db, congdoan.Date{}, true)
	if err != nil {
		return err
	}
	// counts are today's; take away what changed after the month start.
	d, _ := congdoan.ParseISODate(m)
	if err := applyDeltas(ctx, db, counts, d, db.Today(), -1); err != nil {
		return err
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for unit, c := range counts {
		if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO member_snapshots (day, unit_id, members, members_female) VALUES (?, ?, ?, ?)`), m, unit, c[0], c[1]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// RunSnapshots takes the month's snapshot now and then every six hours
// until ctx ends.
func RunSnapshots(ctx context.Context, db *store.DB, logf func(string, ...any)) {
	t := time.NewTicker(6 * time.Hour)
	defer t.Stop()
	for {
		if err := TakeSnapshot(ctx, db); err != nil && ctx.Err() == nil {
			logf("member snapshot failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
