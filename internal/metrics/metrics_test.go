package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetrics: requests are counted by the mux's pattern (not the raw path)
// and status, their latencies in cumulative buckets, gauges read when
// written, all in the Prometheus text format.
func TestMetrics(t *testing.T) {
	reg := New()
	n := 3.0
	reg.Gauge(Gauge{Name: "congdoan_cache_dates", Help: "Dates cached.", Value: func() float64 { return n }})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /members/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "9" {
			w.WriteHeader(http.StatusNotFound)
		}
	})
	h := reg.Middleware(mux)
	for _, p := range []string{"/members/1", "/members/2", "/members/9", "/nowhere"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	rec := httptest.NewRecorder()
	reg.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`congdoan_http_requests_total{route="/members/{id}",method="GET",status="200"} 2`,
		`congdoan_http_requests_total{route="/members/{id}",method="GET",status="404"} 1`,
		`congdoan_http_requests_total{route="unmatched",method="GET",status="404"} 1`,
		`congdoan_http_request_duration_seconds_bucket{route="/members/{id}",method="GET",le="+Inf"} 3`,
		`congdoan_http_request_duration_seconds_count{route="/members/{id}",method="GET"} 3`,
		"# TYPE congdoan_cache_dates gauge\ncongdoan_cache_dates 3\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "/members/1") {
		t.Error("a raw path became a series")
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
}
