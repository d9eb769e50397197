// Package metrics keeps the server's counters and writes them in the
// Prometheus text format (version 0.0.4) for `congdoan serve
// --metrics-addr`: requests and their latencies by route, and gauges the
// caller registers (the figure cache, the background jobs). It has no
// dependency: the format is a few lines of text.
package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// buckets are the latency histogram's upper bounds, in seconds.
var buckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Registry holds the request statistics and the gauges.
type Registry struct {
	mu       sync.Mutex
	requests map[routeKey]*routeStats
	gauges   []Gauge
}

type routeKey struct {
	method, route string
	status        int
}

type routeStats struct {
	count  uint64
	sum    float64
	counts []uint64 // per bucket, not cumulative
}

// Gauge is a value read when the metrics are written.
type Gauge struct {
	Name, Help string
	Value      func() float64
}

// New returns an empty registry.
func New() *Registry { return &Registry{requests: map[routeKey]*routeStats{}} }

// Gauge registers g.
func (r *Registry) Gauge(g Gauge) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, g)
}

// Observe counts a request to route (the mux pattern, never the raw path:
// ids would make a series per member) with its status and duration.
func (r *Registry) Observe(method, route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	k := routeKey{method, route, status}
	sec := d.Seconds()
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.requests[k]
	if s == nil {
		s = &routeStats{counts: make([]uint64, len(buckets)+1)}
		r.requests[k] = s
	}
	s.count++
	s.sum += sec
	i, _ := slices.BinarySearch(buckets, sec)
	s.counts[i]++
}

// Middleware observes every request next serves, by the pattern the mux
// matched (set on the request as it is routed).
func (r *Registry) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, req)
		route := req.Pattern
		if i := strings.IndexByte(route, ' '); i >= 0 {
			route = route[i+1:] // "GET /members/{id}" → "/members/{id}"
		}
		r.Observe(req.Method, route, sw.status, time.Since(start))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) {
	w.status = s
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP writes the metrics.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	r.WriteTo(w)
}

// WriteTo writes every metric in the text format, series sorted.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	keys := make([]routeKey, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	stats := make(map[routeKey]routeStats, len(keys))
	for k, s := range r.requests {
		stats[k] = routeStats{count: s.count, sum: s.sum, counts: slices.Clone(s.counts)}
	}
	gauges := slices.Clone(r.gauges)
	r.mu.Unlock()
	slices.SortFunc(keys, func(a, b routeKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		if c := strings.Compare(a.method, b.method); c != 0 {
			return c
		}
		return a.status - b.status
	})
	var b strings.Builder
	b.WriteString("# HELP congdoan_http_requests_total Requests answered, by route, method and status.\n# TYPE congdoan_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "congdoan_http_requests_total{%s} %d\n", labels(k), stats[k].count)
	}
	b.WriteString("# HELP congdoan_http_request_duration_seconds Time to answer, by route and method.\n# TYPE congdoan_http_request_duration_seconds histogram\n")
	type rm struct{ method, route string }
	merged := map[rm]*routeStats{}
	var order []rm
	for _, k := range keys {
		m := rm{k.method, k.route}
		s := merged[m]
		if s == nil {
			s = &routeStats{counts: make([]uint64, len(buckets)+1)}
			merged[m] = s
			order = append(order, m)
		}
		st := stats[k]
		s.count += st.count
		s.sum += st.sum
		for i, c := range st.counts {
			s.counts[i] += c
		}
	}
	for _, m := range order {
		s := merged[m]
		l := fmt.Sprintf("route=%s,method=%s", quote(m.route), quote(m.method))
		var cum uint64
		for i, le := range buckets {
			cum += s.counts[i]
			fmt.Fprintf(&b, "congdoan_http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", l, strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(&b, "congdoan_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", l, s.count)
		fmt.Fprintf(&b, "congdoan_http_request_duration_seconds_sum{%s} %s\n", l, formatFloat(s.sum))
		fmt.Fprintf(&b, "congdoan_http_request_duration_seconds_count{%s} %d\n", l, s.count)
	}
	for _, g := range gauges {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", g.Name, g.Help, g.Name, g.Name, formatFloat(g.Value()))
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func labels(k routeKey) string {
	return fmt.Sprintf("route=%s,method=%s,status=\"%d\"", quote(k.route), quote(k.method), k.status)
}

// quote is a label value: backslash, quote and newline escaped.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
