package main

import (
	"context"
	"fmt"
	"io"

	"congdoan"
	"congdoan/indicator"
	"congdoan/store"
)

// app is what a subcommand works with: the open, migrated database and
// the services over it, wired once here for serve, report and the tools.
type app struct {
	db     *store.DB
	engine *indicator.Engine
	svc    congdoan.Services
}

// open is every subcommand's preamble: it loads the audit key ring (made
// on first use, and said so on stderr), opens the database, applies the
// embedded migrations, builds the services and stores the shipped plans'
// targets (a database without the plan's province stores none). The
// caller closes the app.
func (c *config) open(ctx context.Context, stderr io.Writer) (*app, error) {
	path := c.auditKeyPath()
	keys, created, err := store.LoadAuditKeys(path, true)
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(stderr, "congdoan: đã tạo tệp khóa ký nhật ký %s — giữ bí mật và sao lưu riêng, không cùng cơ sở dữ liệu.\n", path)
	}
	db, err := store.Open(c.DB)
	if err != nil {
		return nil, err
	}
	db.UseAuditKeys(keys)
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a := newApp(db)
	if err := a.loadPlans(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// newApp builds the services over db (indicator.Services).
func newApp(db *store.DB) *app {
	svc, e := indicator.Services(db)
	return &app{db: db, engine: e, svc: svc}
}

// loadPlans stores the shipped plans' targets and sets the engine's
// employer threshold from the first plan that names one.
func (a *app) loadPlans(ctx context.Context) error {
	plans, err := indicator.Plans()
	if err != nil {
		return err
	}
	if _, err := a.db.LoadPlans(ctx, plans); err != nil {
		return err
	}
	for _, p := range plans {
		if p.EmployerMinWorkers > 0 {
			a.engine.SetEmployerMin(p.EmployerMinWorkers)
			break
		}
	}
	return nil
}

// Close closes the database.
func (a *app) Close() error { return a.db.Close() }

// system is ctx acting as the system user: command-line operations run by
// whoever holds the server's database.
func system(ctx context.Context) context.Context {
	return congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
}
