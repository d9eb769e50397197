package indicator

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"congdoan"
	"congdoan/store"
)

// benchDB opens the database named by CONGDOAN_BENCH_DB (a national demo:
// `congdoan demo --scale national --members 300000 --db /tmp/x.db`) and
// returns it with an administrator's context and the first root's code.
// Without the variable the benchmark is skipped.
func benchDB(b *testing.B) (*store.DB, context.Context, string) {
	b.Helper()
	dsn := os.Getenv("CONGDOAN_BENCH_DB")
	if dsn == "" {
		b.Skip("CONGDOAN_BENCH_DB not set")
	}
	db, err := store.Open(dsn)
	if err != nil {
		b.Fatal(err)
	}
	keys, _, err := store.LoadAuditKeys(store.DefaultAuditKeyPath(dsn), true)
	if err != nil {
		b.Fatal(err)
	}
	db.UseAuditKeys(keys)
	b.Cleanup(func() { db.Close() })
	sample, err := db.Sample(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	ctx := congdoan.NewContextWithUser(context.Background(), &congdoan.User{ID: -1, Username: "bench", Role: congdoan.RoleAdmin})
	return db, ctx, sample.Root.Code
}

// rawDB opens a plain handle to the benchmark's database, for the
// baseline's own SQL.
func rawDB(b *testing.B, db *store.DB) *sql.DB {
	b.Helper()
	dsn := os.Getenv("CONGDOAN_BENCH_DB")
	driver, src := "sqlite", "file:"+dsn
	if db.Engine() == "postgres" {
		driver, src = "pgx", dsn
	}
	raw, err := sql.Open(driver, src)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return raw
}

// BenchmarkDayCompute times the root's figures on a national database:
// today's date on a new engine (every part read), a cold overview (today
// and 24 month starts), and today again after one employer's headcount
// changed on a warm engine.
func BenchmarkDayCompute(b *testing.B) {
	db, ctx, root := benchDB(b)
	today := db.Today()
	// The employer part of one date alone: the per-employer correlated
	// subqueries the engine used before (the baseline); the engine's on a
	// new engine (reading every employer's facts) and from facts in memory.
	b.Run("EmployerPartCorrelated", func(b *testing.B) {
		raw := rawDB(b, db)
		for b.Loop() {
			if _, err := correlatedEmployers(ctx, raw, db, today, congdoan.DefaultEmployerMin); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EmployerPart", func(b *testing.B) {
		for b.Loop() {
			if _, err := New(db).readEmployers(ctx, today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EmployerPartFromFacts", func(b *testing.B) {
		e := New(db)
		if _, err := e.readEmployers(ctx, today); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := e.readEmployers(ctx, today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FiguresCold", func(b *testing.B) {
		for b.Loop() {
			if _, err := New(db).Figures(ctx, root, congdoan.Date{}, congdoan.Date{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OverviewCold", func(b *testing.B) {
		for b.Loop() {
			if _, err := New(db).Overview(ctx, root, congdoan.Date{}, congdoan.Date{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FiguresAfterHeadcount", func(b *testing.B) {
		var emp int64
		if err := rawDB(b, db).QueryRow(`SELECT MIN(id) FROM employers WHERE status = 'active'`).Scan(&emp); err != nil {
			b.Fatal(err)
		}
		e := New(db)
		if _, err := e.Overview(ctx, root, congdoan.Date{}, congdoan.Date{}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			b.StopTimer()
			x, err := db.FindEmployerByID(ctx, emp)
			if err != nil {
				b.Fatal(err)
			}
			workers := 20 // across the threshold each time, and never the same as before
			if x.WorkersTotal == workers {
				workers = 10
			}
			in := congdoan.EmployerInput{TaxCode: x.TaxCode, Name: x.Name, Sector: x.Sector, Industry: x.Industry, CommuneCode: x.CommuneCode,
				Status: x.Status, WorkersTotal: workers, WorkersFemale: 0, HeadcountAsOf: db.Today(), UnitCode: x.UnitCode}
			if _, err := db.UpdateEmployer(ctx, emp, in); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := e.Figures(ctx, root, congdoan.Date{}, congdoan.Date{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// correlatedEmployers is the employer part as the engine computed it until
// it read employers set-wise: one row per employer with correlated
// subqueries for its headcount, union and responsible unit on d. Kept as
// the benchmark's baseline.
func correlatedEmployers(ctx context.Context, raw *sql.DB, db *store.DB, d congdoan.Date, employerMin int64) (map[int64]*counts, error) {
	day := d.String()
	out := map[int64]*counts{}
	at := func(id int64) *counts {
		c := out[id]
		if c == nil {
			c = &counts{}
			out[id] = c
		}
		return c
	}
	rows, err := raw.QueryContext(ctx, db.Rebind(`SELECT COALESCE(
			(SELECT MIN(g.id) FROM units g WHERE g.employer_id = e.id AND g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)),
			-COALESCE((SELECT eu.unit_id FROM employer_units eu WHERE eu.employer_id = e.id AND eu.valid_from <= ? AND (eu.valid_to IS NULL OR eu.valid_to > ?)), e.unit_id)),
		h.workers_total
		FROM employers e JOIN employer_headcounts h ON h.employer_id = e.id
		WHERE e.status = 'active' AND h.as_of = (SELECT MAX(h2.as_of) FROM employer_headcounts h2 WHERE h2.employer_id = e.id AND h2.as_of <= ?)`), day, day, day, day, day)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var unit, workers int64
		if err := rows.Scan(&unit, &workers); err != nil {
			rows.Close()
			return nil, err
		}
		withUnion := unit > 0
		if !withUnion {
			unit = -unit
		}
		t := at(unit)
		if withUnion {
			t.workersUnionised += workers
		}
		if workers >= employerMin {
			t.emp++
			if withUnion {
				t.empUnion++
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = raw.QueryContext(ctx, db.Rebind(`SELECT g.id, EXISTS (SELECT 1 FROM agreements a WHERE a.unit_id = g.id AND a.valid_from <= ? AND a.valid_to >= ?)
		FROM units g JOIN employers e ON e.id = g.employer_id
		WHERE g.kind = 'grassroots' AND g.founded_on <= ? AND (g.dissolved_on IS NULL OR g.dissolved_on > ?) AND e.sector <> 'admin_agency'`), day, day, day, day)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var covered bool
		if err := rows.Scan(&id, &covered); err != nil {
			rows.Close()
			return nil, err
		}
		t := at(id)
		t.cbaEligible++
		if covered {
			t.cbaCovered++
		}
	}
	rows.Close()
	return out, rows.Err()
}
