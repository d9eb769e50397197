package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"congdoan"
	"congdoan/api"
	"congdoan/geo"
	"congdoan/indicator"
	"congdoan/internal/httpx"
	"congdoan/internal/metrics"
	"congdoan/internal/notify"
	"congdoan/internal/ratelimit"
	"congdoan/store"
	"congdoan/web"
)

// shutdownGrace is how long serve waits for requests in flight once it is
// told to stop; the background jobs stop with the context meanwhile.
// SIGTERM to exit takes at most about this long.
const shutdownGrace = 8 * time.Second

// What the background jobs report to the metrics.
var (
	followErrors    atomic.Uint64 // failed reads of the change log
	snapshotChecked atomic.Int64  // unix time the snapshot job last ran without error
)

// serverMetrics is the registry /metrics shows: requests by route (the
// middleware), the figure cache, the jobs.
func serverMetrics(a *app) *metrics.Registry {
	reg := metrics.New()
	cache := func(f func(indicator.CacheStats) float64) func() float64 {
		return func() float64 { return f(a.engine.CacheStats()) }
	}
	for _, g := range []metrics.Gauge{
		{Name: "congdoan_figure_cache_dates", Help: "Dates whose figures are cached.", Value: cache(func(s indicator.CacheStats) float64 { return float64(s.Dates) })},
		{Name: "congdoan_figure_cache_bytes", Help: "Estimated memory of the cached dates.", Value: cache(func(s indicator.CacheStats) float64 { return float64(s.Bytes) })},
		{Name: "congdoan_figure_cache_budget_bytes", Help: "The cache's memory budget (--cache-mb).", Value: cache(func(s indicator.CacheStats) float64 { return float64(s.Budget) })},
		{Name: "congdoan_figure_cache_hits", Help: "Dates answered from the cache since start.", Value: cache(func(s indicator.CacheStats) float64 { return float64(s.Hits) })},
		{Name: "congdoan_figure_cache_misses", Help: "Dates computed since start.", Value: cache(func(s indicator.CacheStats) float64 { return float64(s.Misses) })},
		{Name: "congdoan_change_log_generation", Help: "The last change-log generation this server applied.", Value: func() float64 { return float64(a.db.Generation()) }},
		{Name: "congdoan_change_log_follow_errors", Help: "Failed reads of the change log since start.", Value: func() float64 { return float64(followErrors.Load()) }},
		{Name: "congdoan_snapshot_job_last_ok_seconds", Help: "Unix time the monthly snapshot job last ran without error (0: not yet).", Value: func() float64 { return float64(snapshotChecked.Load()) }},
	} {
		reg.Gauge(g)
	}
	return reg
}

// followEvery is how often a server reads the change log for other
// servers' writes: the most a write through one takes to show on another.
const followEvery = 500 * time.Millisecond

// snapshotEvery is how often the snapshot job looks for a missing month.
const snapshotEvery = 6 * time.Hour

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	addr := fs.String("addr", envOr(getenv, "CONGDOAN_ADDR", "localhost:8080"), "listen address (CONGDOAN_ADDR)")
	withDemo := fs.Bool("demo", false, "on an empty database, build the demo province first")
	seed := fs.Int64("seed", 1, "demo seed")
	secure := fs.Bool("secure-cookies", getenv("CONGDOAN_SECURE_COOKIES") == "1", "mark cookies Secure (behind HTTPS)")
	metricsAddr := fs.String("metrics-addr", getenv("CONGDOAN_METRICS_ADDR"), "listen address of /metrics, Prometheus text format (CONGDOAN_METRICS_ADDR; off when empty)")
	notifier := fs.String("notifier", envOr(getenv, "CONGDOAN_NOTIFIER", "log"), "where workflow messages go: log (written to the log, nothing sent) or none (CONGDOAN_NOTIFIER)")
	noticeDays := fs.Int64("agreement-notice-days", envInt(getenv, "CONGDOAN_AGREEMENT_NOTICE_DAYS", congdoan.AgreementExpiringDays), "days before an agreement's end that it shows under the bell (CONGDOAN_AGREEMENT_NOTICE_DAYS)")
	cacheMB := fs.Int64("cache-mb", envInt(getenv, "CONGDOAN_CACHE_MB", indicator.DefaultCacheBudget>>20), "memory for cached dashboard dates, MB (CONGDOAN_CACHE_MB)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *cacheMB <= 0 {
		return fmt.Errorf("--cache-mb phải là số MB dương (đang là %d)", *cacheMB)
	}
	if *noticeDays <= 0 || *noticeDays > 366 {
		return fmt.Errorf("--agreement-notice-days phải từ 1 đến 366 (đang là %d)", *noticeDays)
	}
	log := c.logger(stderr)
	n, err := notify.New(*notifier, log)
	if err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	a.db.AgreementNoticeDays = int(*noticeDays)
	a.svc.Reports = notify.Reports(a.svc.Reports, n, log)
	a.engine.SetCacheBudget(*cacheMB << 20)
	if *withDemo {
		if err := demoIfEmpty(ctx, a, *seed, 0, getenv, stdout); err != nil {
			return err
		}
	}
	atlas, err := geo.Load()
	if err != nil {
		return err
	}
	limiter := ratelimit.New(10, 15*time.Minute)
	ui, err := web.New(a.svc, web.Options{Atlas: atlas, Logger: log, Limiter: limiter, SecureCookies: *secure, Now: a.db.Now})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.db.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	ui.Routes(mux)
	api.New(a.svc, api.Options{Logger: log, Limiter: limiter, Now: a.db.Now}).Routes(mux)
	reg := serverMetrics(a)
	handler := httpx.Logging(log, reg.Middleware(httpx.SecurityHeaders(http.NewCrossOriginProtection().Handler(mux))))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "congdoan: đang phục vụ tại http://%s (cơ sở dữ liệu %s: %s)\n", ln.Addr(), a.db.Engine(), describeDSN(c.DB))

	// Everything that runs in the background runs in this group, under the
	// command's context: the HTTP server, the monthly member snapshots and
	// the cache warm-up (later imports and card issuance). When the context
	// ends (SIGTERM, SIGINT) or one of them fails, every one of them stops
	// and is joined before the database closes (the deferred Close above).
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	if *metricsAddr != "" {
		// Its own listener, off by default: the figures are for the
		// monitoring system, not for the internet the main port faces.
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return err
		}
		msrv := &http.Server{Handler: reg, ReadHeaderTimeout: 10 * time.Second}
		fmt.Fprintf(stdout, "congdoan: số đo cho Prometheus tại http://%s/metrics\n", mln.Addr())
		g.Go(func() error {
			if err := msrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
		g.Go(func() error { <-gctx.Done(); return msrv.Close() })
	}
	g.Go(func() error { runSnapshots(gctx, a.db, log, snapshotEvery); return nil })
	// Other servers over the same database: their writes reach this one's
	// caches through the change log (store.DB.Follow).
	g.Go(func() error {
		return a.db.Follow(gctx, followEvery, func(err error) {
			followErrors.Add(1)
			log.Error("following the change log failed", "err", err)
		})
	})
	g.Go(func() error { warm(gctx, a, log); return nil })
	err = g.Wait()
	log.Info("congdoan stopped", "err", err)
	return err
}

// runSnapshots takes the month's member snapshot now and then every
// `every` until ctx ends. A failure is logged and tried again next time.
func runSnapshots(ctx context.Context, db *store.DB, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		wrote, err := db.TakeSnapshot(ctx)
		switch {
		case ctx.Err() != nil:
			log.Info("member snapshot job stopped")
			return
		case err != nil:
			log.Error("member snapshot failed", "err", err)
		case wrote:
			log.Info("member snapshot taken")
		}
		if err == nil {
			snapshotChecked.Store(time.Now().Unix())
		}
		select {
		case <-ctx.Done():
			log.Info("member snapshot job stopped")
			return
		case <-t.C:
		}
	}
}

// warm fills the indicator cache: the roots' overviews read every date's
// figures once, which the first dashboard would otherwise wait for. It
// neither delays nor fails the start.
func warm(ctx context.Context, a *app, log *slog.Logger) {
	start := time.Now()
	n, err := a.engine.Warm(ctx)
	took := time.Since(start).Round(time.Millisecond).String()
	switch {
	case ctx.Err() != nil:
		log.Info("indicator cache warm-up stopped", "roots", n, "took", took)
	case err != nil:
		log.Warn("indicator cache warm-up failed", "err", err, "roots", n, "took", took)
	default:
		log.Info("indicator cache warmed", "roots", n, "took", took)
	}
}

// compile-time check that the store provides every registry service.
var _ interface {
	congdoan.UnitService
	congdoan.EmployerService
	congdoan.MemberService
	congdoan.UserService
	congdoan.AuditService
	congdoan.AgreementService
	congdoan.TargetService
} = (*store.DB)(nil)
