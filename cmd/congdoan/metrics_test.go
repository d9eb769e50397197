package main

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMetricsEndpoint: with --metrics-addr, serve answers /metrics on that
// address only, in the Prometheus text format, with the requests served by
// route and the cache and job gauges.
func TestMetricsEndpoint(t *testing.T) {
	e := map[string]string{"CONGDOAN_DB": filepath.Join(t.TempDir(), "m.db")}
	base, out := startServer(t, e, "--metrics-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`http://[0-9.:]+/metrics`).FindString(out.String())
	if m == "" {
		t.Fatalf("no metrics address printed: %s", out)
	}
	for range 3 {
		res, err := http.Get(base + "/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := http.Get(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	for _, want := range []string{
		`congdoan_http_requests_total{route="/login",method="GET",status="200"} 3`,
		"congdoan_figure_cache_budget_bytes 2.147483648e+09",
		"# TYPE congdoan_change_log_generation gauge",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	// Not on the main address.
	res, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusOK {
		t.Error("/metrics answered on the public address")
	}
}
