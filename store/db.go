// Package store implements the congdoan services over database/sql, for
// SQLite (modernc.org/sqlite, the embedded default) and PostgreSQL (pgx).
// There is one store; the differences between the engines live in dialect.go.
// The SQL stays in the portable subset that PostgreSQL-compatible distributed
// engines also accept: no engine-specific functions in queries, dates as ISO
// text, ids from RETURNING.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"congdoan"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open database with its dialect. It implements every congdoan
// service; the web and API layers see it only through those interfaces.
type DB struct {
	db      *sql.DB
	dialect dialect
	// Now returns the current time; tests replace it to pin "today".
	Now func() time.Time
	// StrictChanges makes a write transaction fail when it writes a table
	// the indicator engine reads without declaring what it changes
	// (changes.go); tests set it, production counts such a write as
	// changing everything.
	StrictChanges bool
	// PasswordMemoryKiB overrides argon2id's memory for new hashes; tests
	// lower it. Zero means the production 64 MiB.
	PasswordMemoryKiB uint32
	// AgreementNoticeDays is how far ahead an agreement's expiry is
	// notified (Notifications); zero means congdoan.AgreementExpiringDays.
	AgreementNoticeDays int

	auditKeys *AuditKeys // signs the audit chain (auditkey.go)

	gen      atomic.Uint64 // the last change-log generation applied, for caches
	changes  changeLog     // what the recent ones changed (changes.go)
	subtrees subtrees      // subtree facts for member pages, by generation (membersearch.go)
	unitDir  unitDirCache  // the units' names and parents for type-ahead searches (unitdir.go)
}

// Generation is the last change-log generation this process applied: the
// write transactions, of every server over the database, that changed
// derived figures. Caches of derived figures (the indicator engine)
// compare it to know they may be stale, and ask ChangesSince what changed.
func (d *DB) Generation() uint64 { return d.gen.Load() }

// Open opens dsn: a postgres:// or postgresql:// URL selects PostgreSQL,
// anything else is a SQLite file path. It does not migrate; call Migrate.
func Open(dsn string) (*DB, error) {
	d := &DB{Now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d.dialect = postgres
		d.db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		d.db.SetMaxOpenConns(16)
	} else {
		d.dialect = sqlite
		// WAL lets readers run beside the one writer; write transactions
		// take the lock at BEGIN (_txlock=immediate) so two writers wait
		// on busy_timeout instead of failing on a lock upgrade.
		// A 64 MiB page cache per connection (SQLite's default is 2 MiB):
		// member indexes are keyed by name and CCCD, so inserts and searches
		// touch pages all over the file.
		q := "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)" +
			"&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_txlock=immediate"
		d.db, err = sql.Open("sqlite", "file:"+dsn+q)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		d.db.SetMaxOpenConns(4)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.db.PingContext(ctx); err != nil {
		d.db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Engine returns "sqlite" or "postgres".
func (d *DB) Engine() string { return d.dialect.name }

// Rebind rewrites ? placeholders for the engine.
func (d *DB) Rebind(q string) string { return d.dialect.rebind(q) }

// Today returns the current civil date in Vietnam.
func (d *DB) Today() congdoan.Date { return congdoan.DateOf(d.Now().In(congdoan.VietnamTime)) }

// Migrate applies the embedded migrations that have not been applied yet, in
// order, each in its own transaction. It returns the versions applied.
func (d *DB) Migrate(ctx context.Context) (_ []int, err error) {
	defer wrap(&err, "store.Migrate")
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	done := map[int]bool{}
	rows, err := d.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()

	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var applied []int
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		if done[v] {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := d.applyMigration(ctx, v, d.dialect.expand(string(body))); err != nil {
			return applied, fmt.Errorf("migration %s: %w", base, err)
		}
		applied = append(applied, v)
	}
	return applied, d.startChanges(ctx)
}

func (d *DB) applyMigration(ctx context.Context, version int, body string) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range splitStatements(body) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, d.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// splitStatements splits a migration on semicolons at line ends. Migrations
// hold no procedural code, so this is enough.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// tx runs fn in a write transaction and commits when fn returns nil. fn
// declares what it changes for derived figures (Tx.Affects,
// Tx.AffectsNothing) when it writes a table they read (changes.go).
//
// A transaction the database chose to abort — a deadlock between two
// writers that lock rows in different orders, a serialization failure —
// is run again, a bounded number of times after a short random pause: fn
// must leave nothing behind but its transaction, which holds for every
// caller (they only set the result they return).
func (d *DB) tx(ctx context.Context, fn func(*Tx) error) error {
	const attempts = 5
	for i := 1; ; i++ {
		err := d.tx1(ctx, fn)
		if i == attempts || !retryable(err) {
			return err
		}
		pause := time.Duration(i*10+rand.IntN(20)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

func (d *DB) tx1(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, d: d, now: d.Now().UTC()}
	defer sqlTx.Rollback()
	if err := fn(tx); err != nil {
		return raced(err, nil)
	}
	ch, err := tx.committed()
	if err != nil {
		return err
	}
	var gen uint64
	if !ch.None() {
		if gen, err = tx.logChange(ctx, ch); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return raced(fmt.Errorf("commit: %w", err), nil)
	}
	if gen != 0 {
		d.commit(ctx, gen, ch)
	}
	return nil
}

// Tx is a write transaction. It carries the time the transaction started so
// every row it writes agrees on "now", and what it declared it changes.
type Tx struct {
	tx  *sql.Tx
	d   *DB
	now time.Time

	declared     bool
	change       Change
	engineWrites []string // tables the engine reads that the transaction wrote
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	tx.noteWrite(q)
	return tx.tx.ExecContext(ctx, tx.d.Rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.d.Rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.d.Rebind(q), args...)
}

// insert runs an INSERT … RETURNING id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	tx.noteWrite(q)
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// queryer is what reads need: the DB or a Tx.
type queryer interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

func (d *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.db.QueryContext(ctx, d.Rebind(q), args...)
}

func (d *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return d.db.QueryRowContext(ctx, d.Rebind(q), args...)
}

// notFound turns sql.ErrNoRows into a domain ENOTFOUND with msg.
func notFound(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return congdoan.Errorf(congdoan.ENOTFOUND, "%s", msg)
	}
	return err
}

// dateStr stores a date: ISO text, or NULL for the zero date.
func dateStr(d congdoan.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// parseDate reads a stored date; NULL or "" is the zero date.
func parseDate(s sql.NullString) congdoan.Date {
	if !s.Valid || s.String == "" {
		return congdoan.Date{}
	}
	d, err := congdoan.ParseISODate(s.String)
	if err != nil {
		return congdoan.Date{}
	}
	return d
}

// nullStr stores "" as NULL (for columns that are unique when present).
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Clock returns the current time (Now), for callers that hold the store
// through an interface.
func (d *DB) Clock() time.Time { return d.Now() }

// Ping checks that the database answers (the server's health check).
func (d *DB) Ping(ctx context.Context) error { return d.db.PingContext(ctx) }
