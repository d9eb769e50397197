package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"congdoan"
	"congdoan/demo"
	"congdoan/indicator"
	"congdoan/store"
	"congdoan/vntext"
)

// runBench measures the registry's reads on a (large) demo database:
// member search by folded name prefix and by CCCD, member list pages. It
// prints a Markdown table for BENCHMARKS.md. Timings are of the store
// calls (what a handler waits for), p50 and p95 over many queries.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	members := fs.Int("members", 1_000_000, "active members of the demo database (generated when the database is empty)")
	n := fs.Int("queries", 300, "queries per measurement")
	only := fs.String("only", "", "registry or dashboard: run one group of measurements")
	seed := fs.Int64("seed", 1, "demo seed")
	plainTimeout := fs.Duration("plain-timeout", 0, "stop a plain-SQL run after this long and report it as not finished (0: no limit)")
	plainRuns := fs.Int("plain-runs", 0, "runs of the plain-SQL comparison per unit (default: queries/20, at least 5; it takes minutes per run at national scale)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	db := a.db
	units, err := db.UnitCount(ctx)
	if err != nil {
		return err
	}
	genTime := time.Duration(0)
	if units == 0 {
		start := time.Now()
		if err := generateDemo(ctx, a, *seed, *members, func(k string) string {
			if k == "CONGDOAN_ADMIN_PASSWORD" {
				return "bench-password-not-for-use"
			}
			return getenv(k)
		}, stdout); err != nil {
			return err
		}
		genTime = time.Since(start)
	}
	sample, err := db.Sample(ctx)
	if err != nil {
		return err
	}
	rootCode, unionCode, active := sample.Root.Code, sample.Union.Code, sample.ActiveMembers
	officer := congdoan.NewContextWithUser(ctx, &congdoan.User{ID: -1, Username: "bench", Role: congdoan.RoleProvinceOfficer, UnitID: sample.Root.ID})
	// Queries are drawn before timing so sampling is not measured.
	rng := rand.New(rand.NewPCG(uint64(*seed), 7))
	drawn, err := db.SampleMembers(ctx, sample, rng, 6**n)
	if err != nil {
		return err
	}
	type result struct {
		what     string
		p50, p95 time.Duration
		avgItems float64
	}
	var results []result
	measure := func(what string, runs int, query func(i int) (int, error)) error {
		ds := make([]time.Duration, 0, runs)
		items := 0
		for i := 0; i < runs; i++ {
			start := time.Now()
			k, err := query(i)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			ds = append(ds, time.Since(start))
			items += k
		}
		slices.Sort(ds)
		results = append(results, result{what, ds[len(ds)/2], ds[len(ds)*95/100], float64(items) / float64(runs)})
		return nil
	}
	draw := func(f func(name, cccd string) string) []string {
		out := make([]string, *n)
		for i := range out {
			out[i] = f(drawn[0].FullName, drawn[0].CCCD)
			drawn = drawn[1:]
		}
		return out
	}
	words := func(k int) func(name, _ string) string {
		return func(name, _ string) string {
			w := strings.Fields(vntext.Fold(name))
			return strings.Join(w[:min(k, len(w))], " ")
		}
	}
	fullPrefix := draw(func(name, _ string) string { // "nguyen van b": what an officer types
		f := vntext.Fold(name)
		i := strings.LastIndexByte(f, ' ')
		return f[:min(len(f), i+2)]
	})
	twoWords := draw(words(2)) // "nguyen van": broad
	fullNames := draw(func(name, _ string) string { return name })
	cccds := draw(func(_, cccd string) string { return cccd })
	tails := draw(func(_, cccd string) string { return cccd[max(0, len(cccd)-4):] })
	// The given name, then the family name: word order is free.
	reversed := draw(func(name, _ string) string {
		w := strings.Fields(vntext.Fold(name))
		return w[len(w)-1] + " " + w[0]
	})
	fixed := func(q string) []string { return slices.Repeat([]string{q}, *n) }
	search := func(qs []string) func(i int) (int, error) {
		return func(i int) (int, error) {
			ms, _, err := db.FindMembers(officer, congdoan.MemberFilter{Query: qs[i], Limit: 50})
			return len(ms), err
		}
	}
	steps := []struct {
		what string
		f    func(int) (int, error)
	}{
		{"search: full name, diacritics as typed (\"Nguyễn Văn Bình\")", search(fullNames)},
		{"search: folded prefix to the given name's first letter (\"nguyen van b\")", search(fullPrefix)},
		{"search: folded two-word prefix (\"nguyen van\")", search(twoWords)},
		{"search: CCCD, 12 digits", search(cccds)},
		{"search: CCCD, last four digits", search(tails)},
		{"search: two words, any order: \"van an\"", search(fixed("van an"))},
		{"search: two words, any order: \"nguyen an\"", search(fixed("nguyen an"))},
		{"search: two words, any order: \"thi lan\"", search(fixed("thi lan"))},
		{"search: two words, any order: \"nguyen van\"", search(fixed("nguyen van"))},
		{"search: two words, any order: \"hoang van\"", search(fixed("hoang van"))},
		{"search: two words, a rare pair: \"luu yen\"", search(fixed("luu yen"))},
		{"search: two common words seldom together: \"thi hung\"", search(fixed("thi hung"))},
		{"search: given name then family name of a member (\"binh nguyen\")", search(reversed)},
		{"list: first page of the whole province (50, Vietnamese order)", func(int) (int, error) {
			ms, _, err := db.FindMembers(officer, congdoan.MemberFilter{Limit: 50})
			return len(ms), err
		}},
		{"list: page 21 of the whole province (offset 1000)", func(int) (int, error) {
			ms, _, err := db.FindMembers(officer, congdoan.MemberFilter{Limit: 50, Offset: 1000})
			return len(ms), err
		}},
		{"list: first page of the largest grassroots union", func(int) (int, error) {
			ms, _, err := db.FindMembers(officer, congdoan.MemberFilter{Unit: unionCode, Limit: 50})
			return len(ms), err
		}},
	}
	if *only != "dashboard" {
		for _, s := range steps {
			if err := measure(s.what, *n, s.f); err != nil {
				return err
			}
		}
	}
	var dashNotes []string
	if *only != "registry" {
		notes, err := benchDashboard(ctx, a, sample, officer, *n, *plainRuns, *plainTimeout, measure)
		if err != nil {
			return err
		}
		dashNotes = notes
	}
	host, _ := os.Hostname()
	fmt.Fprintf(stdout, "\n### %s, %s, %s active members\n\n", db.Engine(), time.Now().Format("2006-01-02"), vntext.FormatInt(active))
	cmdline := fmt.Sprintf("congdoan bench --queries %d", *n)
	if genTime > 0 {
		cmdline = fmt.Sprintf("congdoan bench --members %d --queries %d", *members, *n)
	}
	if *only != "" {
		cmdline += " --only " + *only
	}
	if *plainRuns > 0 {
		cmdline += fmt.Sprintf(" --plain-runs %d", *plainRuns)
	}
	if *plainTimeout > 0 {
		cmdline += " --plain-timeout " + plainTimeout.String()
	}
	fmt.Fprintf(stdout, "Machine: %s, %d cores, %s/%s, %s. Command: `%s` (db %s). Scope: a province officer at %s.\n\n",
		cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, host, cmdline, db.Engine(), rootCode)
	if genTime > 0 {
		fmt.Fprintf(stdout, "Demo generation (with migrations and accounts): %s\n\n", genTime.Round(time.Second/10))
	}
	for _, note := range dashNotes {
		fmt.Fprintln(stdout, note)
	}
	fmt.Fprintln(stdout, "| measurement | p50 | p95 | rows returned (mean) |")
	fmt.Fprintln(stdout, "|---|---|---|---|")
	for _, r := range results {
		fmt.Fprintf(stdout, "| %s | %s | %s | %.1f |\n", r.what, ms(r.p50), ms(r.p95), r.avgItems)
	}
	return nil
}

var errPlainTimeout = errors.New("plain SQL run stopped at the time limit")

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if i := strings.Index(line, ":"); i > 0 {
				return strings.TrimSpace(line[i+1:])
			}
		}
	}
	return "unknown CPU"
}

// benchDashboard times the plan dashboard's figures: the engine (per-unit
// counts rolled up in memory, cached per date until a write) against the
// same numerators and denominators computed the way a CRUD system would,
// by a recursive query for the subtree and COUNT over the base tables
// (the engine's Records path, which the tests hold equal to it).
func benchDashboard(ctx context.Context, a *app, sample *store.Sample, officer context.Context, n, plainRuns int, plainTimeout time.Duration,
	measure func(string, int, func(int) (int, error)) error) ([]string, error) {
	db := a.db
	rootCode, unionCode := sample.Root.Code, sample.Union.Code
	var notes []string
	if sample.Snapshots == 0 {
		start := time.Now()
		if err := db.BackfillSnapshotsFrom(ctx, demo.HistoryStart); err != nil {
			return nil, err
		}
		notes = append(notes, fmt.Sprintf("Monthly member snapshots backfilled in %s.\n", time.Since(start).Round(time.Second/10)))
	}
	// A fresh engine: the timings below start from a cold cache.
	e := indicator.New(db)
	e.SetEmployerMin(a.engine.EmployerMin())
	// An upper unit between the root and the unions: the largest commune
	// union (province demo) or the first provincial federation (national).
	upper, upperLabel := sample.Upper.Code, sample.Upper.Kind.Label("vi")
	if sample.Upper.ID == sample.Root.ID {
		upperLabel = "root"
	}
	start := time.Now()
	if _, err := e.Figures(officer, rootCode, congdoan.Date{}, congdoan.Date{}); err != nil {
		return nil, err
	}
	notes = append(notes, fmt.Sprintf("Engine, first request after a write (computes today's per-unit figures for the whole tree): %s.\n", ms(time.Since(start))))
	start = time.Now()
	if _, err := e.Overview(officer, rootCode, congdoan.Date{}, congdoan.Date{}); err != nil {
		return nil, err
	}
	notes = append(notes, fmt.Sprintf("Engine, first overview with 24 months of history and forecasts (cold): %s.\n", ms(time.Since(start))))
	// What a dashboard waits for after an ordinary write: the engine keeps
	// the past dates and re-reads only the part of today the write
	// changed (members after an admission; employers and agreements after
	// a headcount). The writes are real: a member and a headcount are
	// added to the benchmark database.
	for _, w := range []struct {
		what  string
		write func() error
	}{
		{"an admission today (patches the counts it moved; re-reads this month's events)", func() error {
			n := int(time.Now().UnixNano()/1000) % 1_000_000
			_, err := db.CreateMember(officer, congdoan.MemberInput{CCCD: fmt.Sprintf("006090%06d", n), FullName: "Đoàn Văn Thử", Gender: congdoan.GenderMale,
				BirthDate: congdoan.NewDate(1990, 1, 1), UnitCode: unionCode})
			return err
		}},
		{"a headcount update today (re-reads today's employers and agreements)", func() error {
			emp, err := db.FindEmployerByID(officer, sample.Union.EmployerID)
			if err != nil {
				return err
			}
			_, err = db.UpdateEmployer(officer, emp.ID, congdoan.EmployerInput{TaxCode: emp.TaxCode, Name: emp.Name, Sector: emp.Sector, Industry: emp.Industry,
				CommuneCode: emp.CommuneCode, Status: emp.Status, WorkersTotal: emp.WorkersTotal + 1, WorkersFemale: emp.WorkersFemale, UnitCode: emp.UnitCode})
			return err
		}},
	} {
		if err := w.write(); err != nil {
			return nil, fmt.Errorf("bench write (%s): %w", w.what, err)
		}
		start = time.Now()
		if _, err := e.Overview(officer, rootCode, congdoan.Date{}, congdoan.Date{}); err != nil {
			return nil, err
		}
		notes = append(notes, fmt.Sprintf("Engine, first overview of the root after %s: %s.\n", w.what, ms(time.Since(start))))
	}
	under, err := cacheUnderUse(officer, e, db.Today(), rootCode, n)
	if err != nil {
		return nil, err
	}
	notes = append(notes, under...)
	for _, u := range []struct{ label, code string }{{"province root " + rootCode, rootCode}, {upperLabel + " " + upper, upper}, {"grassroots union " + unionCode, unionCode}} {
		code := u.code
		if err := measure("dashboard (engine, cached day): all indicators of "+u.label, n, func(int) (int, error) {
			f, err := e.Overview(officer, code, congdoan.Date{}, congdoan.Date{})
			if err != nil {
				return 0, err
			}
			return len(f.Values), nil
		}); err != nil {
			return nil, err
		}
		plain := max(n/20, 5)
		if plainRuns > 0 {
			plain = plainRuns
		}
		what := fmt.Sprintf("plain SQL (recursive subtree + COUNT), the 4 state indicators of %s [%d runs]", u.label, plain)
		err := measure(what, plain, func(i int) (int, error) {
			rctx, cancel := officer, context.CancelFunc(func() {})
			if plainTimeout > 0 {
				rctx, cancel = context.WithTimeout(officer, plainTimeout)
			}
			defer cancel()
			for _, c := range congdoan.StateIndicators {
				sides := []congdoan.FigureSide{congdoan.SideNumerator}
				if c != congdoan.IndicatorMembers {
					sides = append(sides, congdoan.SideDenominator)
				}
				for _, side := range sides {
					if _, _, err := e.FindFigureRecords(rctx, congdoan.RecordQuery{Indicator: c, Unit: code, Side: side, Limit: 1}); err != nil {
						if rctx.Err() != nil {
							return 0, errPlainTimeout
						}
						return 0, err
					}
				}
			}
			return 4, nil
		})
		if errors.Is(err, errPlainTimeout) {
			notes = append(notes, fmt.Sprintf("%s: **did not finish within %s** (stopped; the engine's figure is the row above).\n", what, plainTimeout))
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return notes, nil
}

// cacheUnderUse measures the figure cache as officers use it: today's
// overview of the root after 100 other dates were visited (it must not be
// computed again), and cached overviews while another date is computed
// (they must not wait for it), each beside the cached overview alone.
func cacheUnderUse(ctx context.Context, e *indicator.Engine, today congdoan.Date, root string, queries int) ([]string, error) {
	overview := func() (time.Duration, error) {
		start := time.Now()
		_, err := e.Overview(ctx, root, congdoan.Date{}, congdoan.Date{})
		return time.Since(start), err
	}
	series := func(k int) ([]time.Duration, error) {
		var out []time.Duration
		for range k {
			d, err := overview()
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return out, nil
	}
	pct := func(ds []time.Duration, p float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(float64(len(s))*p))]
	}
	day := func(back int) congdoan.Date { return congdoan.DateOf(today.Time().AddDate(0, 0, -back)) }
	base, err := series(queries)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	for i := 1; i <= 100; i++ {
		if _, err := e.Figures(ctx, root, day(3*i), congdoan.Date{}); err != nil {
			return nil, err
		}
	}
	visits := time.Since(start)
	after, err := overview()
	if err != nil {
		return nil, err
	}
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	st := e.CacheStats()
	notes := []string{fmt.Sprintf("Engine, today's overview of the root after 100 other dates were visited (%s for the 100): %s; "+
		"the cached overview alone p50 %s. Cache: %d dates, %d of %d MB; heap in use %d MB.\n",
		visits.Round(time.Millisecond), ms(after), ms(pct(base, 0.5)), st.Dates, st.Bytes>>20, st.Budget>>20, mem.HeapInuse>>20)}
	// A date no one asked for, computed while the cached overview is asked
	// again and again.
	cold := day(500)
	done := make(chan error, 1)
	start = time.Now()
	go func() {
		_, err := e.Figures(ctx, root, cold, congdoan.Date{})
		done <- err
	}()
	var during []time.Duration
	var coldTook time.Duration
	for coldTook == 0 {
		select {
		case err := <-done:
			if err != nil {
				return nil, err
			}
			coldTook = time.Since(start)
		default:
			d, err := overview()
			if err != nil {
				return nil, err
			}
			during = append(during, d)
		}
	}
	if len(during) == 0 {
		during = base
	}
	notes = append(notes, fmt.Sprintf("Engine, cached overview of the root while another date is computed (%s): p50 %s, p99 %s over %d requests; alone p50 %s, p99 %s.\n",
		ms(coldTook), ms(pct(during, 0.5)), ms(pct(during, 0.99)), len(during), ms(pct(base, 0.5)), ms(pct(base, 0.99))))
	return notes, nil
}
