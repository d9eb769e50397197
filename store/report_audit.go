package store

import (
	"context"
	"database/sql"
	"time"
)

// WriteTx runs fn in a write transaction for packages that keep their own
// tables next to the registry (the indicator package's reports). It exists
// so that such a write and its audit event commit together or not at all:
// a separate audit call could record a change that then failed, or miss
// one that succeeded. fn must check the acting user's rights itself, and
// should declare what it changes for derived figures (Tx.Affects,
// Tx.AffectsNothing): undeclared, the indicator engine drops its cache.
func (d *DB) WriteTx(ctx context.Context, fn func(tx *Tx) error) error {
	return d.tx(ctx, fn)
}

// Exec runs a statement written with ? placeholders in the transaction.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.exec(ctx, q, args...)
}

// QueryRow runs a query written with ? placeholders in the transaction.
func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.queryRow(ctx, q, args...)
}

// Insert runs an INSERT (without RETURNING) and returns the new row's id.
func (tx *Tx) Insert(ctx context.Context, q string, args ...any) (int64, error) {
	return tx.insert(ctx, q, args...)
}

// Audit appends an event to the hash-chained audit log in the
// transaction, as the acting user of ctx (the system user without one).
func (tx *Tx) Audit(ctx context.Context, action, entity string, entityID any, before, after any) error {
	return tx.audit(ctx, action, entity, entityID, before, after)
}

// Now is the transaction's time (UTC): every row it writes agrees on it,
// and so does its audit event.
func (tx *Tx) Now() time.Time { return tx.now }
