// Package ratelimit limits login attempts per key (client address and
// username) with a fixed window. It is in memory: congdoan is one process,
// and a restart forgetting the counts is acceptable for login throttling.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter allows Max attempts per key within Window.
type Limiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	start time.Time
	n     int
}

// New returns a limiter of max attempts per window.
func New(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, Now: time.Now, entries: map[string]*entry{}}
}

// Allow records an attempt for key and reports whether it is within the
// limit, and if not, how long until the window resets.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	if len(l.entries) > 10000 {
		// Drop expired entries so a flood of keys cannot grow the map forever.
		for k, e := range l.entries {
			if now.Sub(e.start) >= l.Window {
				delete(l.entries, k)
			}
		}
	}
	e, ok := l.entries[key]
	if !ok || now.Sub(e.start) >= l.Window {
		e = &entry{start: now}
		l.entries[key] = e
	}
	e.n++
	if e.n > l.Max {
		return false, e.start.Add(l.Window).Sub(now)
	}
	return true, 0
}

// Reset forgets key (after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.entries, key)
	l.mu.Unlock()
}
