package indicator

import (
	"testing"
	"time"

	"congdoan"
	"congdoan/store/storetest"
)

// TestCachedDateWhileAnotherComputes: a date being computed (held open by
// the build hook) does not hold up a request for a date already cached,
// and two requests for the cold date compute it once.
func TestCachedDateWhileAnotherComputes(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f := cacheFixture(t, db)
	e := New(db)
	ctx := f.Ctx(storetest.Province)
	cached, cold := congdoan.NewDate(2026, 11, 1), congdoan.NewDate(2025, 3, 1)
	if _, err := e.Figures(ctx, storetest.Root, cached, congdoan.Date{}); err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	e.buildHook = func(d congdoan.Date) {
		if d == cold {
			close(started)
			<-release
		}
	}
	trees := e.reads.trees
	done := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := e.Figures(ctx, storetest.Root, cold, congdoan.Date{})
			done <- err
		}()
	}
	<-started
	answered := make(chan error, 1)
	go func() {
		_, err := e.Figures(ctx, storetest.Root, cached, congdoan.Date{})
		answered <- err
	}()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a cached date waited for another date's computation")
	}
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := e.reads.trees - trees; n != 1 {
		t.Errorf("the cold date's tree read %d times for two requests, want once", n)
	}
}

// TestCacheEvictsLeastRecentlyUsed: over its budget the cache drops the
// least recently used dates one at a time — the date in use every time
// (today's) stays, the cache is never emptied, and it stays within budget.
func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f := cacheFixture(t, db)
	e := New(db)
	ctx := f.Ctx(storetest.Province)
	today := db.Today()
	if _, err := e.Figures(ctx, storetest.Root, today, congdoan.Date{}); err != nil {
		t.Fatal(err)
	}
	one := e.days[today.String()].size
	e.SetCacheBudget(4 * one) // four dates of this size
	for i := range 30 {
		d := congdoan.DateOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*i))
		if _, err := e.Figures(ctx, storetest.Root, d, congdoan.Date{}); err != nil {
			t.Fatal(err)
		}
		trees := e.reads.trees
		if _, err := e.Figures(ctx, storetest.Root, today, congdoan.Date{}); err != nil {
			t.Fatal(err)
		}
		if e.reads.trees != trees {
			t.Fatalf("after %d other dates today's figures were computed again: the cache lost the date in use", i+1)
		}
		if n := len(e.days); n == 0 || n > 4 {
			t.Fatalf("after %d other dates the cache holds %d dates, want 1–4", i+1, n)
		}
		if e.bytes > e.budget {
			t.Fatalf("cache %d bytes over its budget %d", e.bytes, e.budget)
		}
	}
}

// TestCacheKeepsTheOverviewsDates: an officer paging through many dates,
// each read once, does not push out the dates read again and again (an
// overview's today and month starts).
func TestCacheKeepsTheOverviewsDates(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f := cacheFixture(t, db)
	e := New(db)
	ctx := f.Ctx(storetest.Province)
	often := []congdoan.Date{db.Today(), congdoan.NewDate(2026, 11, 1), congdoan.NewDate(2026, 10, 1)}
	for range 2 {
		for _, d := range often {
			if _, err := e.Figures(ctx, storetest.Root, d, congdoan.Date{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.SetCacheBudget(5 * e.days[db.Today().String()].size) // five dates
	for i := range 40 {
		d := congdoan.DateOf(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 5*i))
		if _, err := e.Figures(ctx, storetest.Root, d, congdoan.Date{}); err != nil {
			t.Fatal(err)
		}
	}
	trees := e.reads.trees
	for _, d := range often {
		if _, err := e.Figures(ctx, storetest.Root, d, congdoan.Date{}); err != nil {
			t.Fatal(err)
		}
	}
	if e.reads.trees != trees {
		t.Errorf("after 40 dates read once, %d of the %d dates read often were computed again", e.reads.trees-trees, len(often))
	}
}
