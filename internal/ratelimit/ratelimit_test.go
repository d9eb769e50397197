package ratelimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	l := New(3, time.Minute)
	l.Now = func() time.Time { return now }
	for i := 1; i <= 3; i++ {
		if ok, _ := l.Allow("1.2.3.4|an"); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	ok, wait := l.Allow("1.2.3.4|an")
	if ok || wait != time.Minute {
		t.Fatalf("4th attempt: ok=%v wait=%v, want refused for 1m", ok, wait)
	}
	if ok, _ := l.Allow("1.2.3.4|binh"); !ok {
		t.Fatal("another key must not be limited")
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Allow("1.2.3.4|an"); !ok {
		t.Fatal("window did not reset")
	}
	l.Reset("1.2.3.4|an")
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("1.2.3.4|an"); !ok {
			t.Fatal("reset did not clear the count")
		}
	}
}
