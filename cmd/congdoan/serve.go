package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"congdoan"
	"congdoan/api"
	"congdoan/geo"
	"congdoan/indicator"
	"congdoan/internal/httpx"
	"congdoan/internal/ratelimit"
	"congdoan/store"
	"congdoan/web"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	addr := fs.String("addr", envOr(getenv, "CONGDOAN_ADDR", "localhost:8080"), "listen address (CONGDOAN_ADDR)")
	withDemo := fs.Bool("demo", false, "on an empty database, build the demo province first")
	seed := fs.Int64("seed", 1, "demo seed")
	secure := fs.Bool("secure-cookies", getenv("CONGDOAN_SECURE_COOKIES") == "1", "mark cookies Secure (behind HTTPS)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log := c.logger(stderr)
	db, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		if err := demoIfEmpty(ctx, db, *seed, 0, getenv, stdout); err != nil {
			return err
		}
	}
	// The plan files shipped with the binary, and the monthly member
	// snapshots that past-date indicators start from.
	if err := indicator.LoadPlans(ctx, db); err != nil {
		return err
	}
	go indicator.RunSnapshots(ctx, db, func(msg string, args ...any) { log.Error(msg, args...) })
	engine := indicator.New(db)
	// Warm the indicator cache in the background: the roots' overviews
	// read every date's figures once, which the first dashboard would
	// otherwise wait for. It neither delays nor fails the start, and stops
	// (before the database closes) when the server does.
	warmCtx, stopWarm := context.WithCancel(ctx)
	warmed := make(chan struct{})
	defer func() { stopWarm(); <-warmed }()
	go func() {
		defer close(warmed)
		start := time.Now()
		n, err := engine.Warm(warmCtx)
		switch {
		case warmCtx.Err() != nil:
			log.Info("indicator cache warm-up stopped", "roots", n, "took", time.Since(start).Round(time.Millisecond).String())
		case err != nil:
			log.Warn("indicator cache warm-up failed", "err", err, "roots", n, "took", time.Since(start).Round(time.Millisecond).String())
		default:
			log.Info("indicator cache warmed", "roots", n, "took", time.Since(start).Round(time.Millisecond).String())
		}
	}()
	atlas, err := geo.Load()
	if err != nil {
		return err
	}
	svc := congdoan.Services{Units: db, Employers: db, Members: db, Users: db, Audit: db, Agreements: db}
	limiter := ratelimit.New(10, 15*time.Minute)
	ui, err := web.New(svc, web.Options{Atlas: atlas, Logger: log, Limiter: limiter, SecureCookies: *secure, Now: db.Now, Indicators: engine})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.SQL().PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	ui.Routes(mux)
	api.New(svc, api.Options{Logger: log, Limiter: limiter, Indicators: engine}).Routes(mux)
	handler := httpx.Logging(log, httpx.SecurityHeaders(http.NewCrossOriginProtection().Handler(mux)))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "congdoan: đang phục vụ tại http://%s (cơ sở dữ liệu %s: %s)\n", ln.Addr(), db.Engine(), describeDSN(c.DB))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// compile-time check that the store provides every service.
var _ interface {
	congdoan.UnitService
	congdoan.EmployerService
	congdoan.MemberService
	congdoan.UserService
	congdoan.AuditService
	congdoan.AgreementService
} = (*store.DB)(nil)
