package indicator

import (
	"context"
	"sort"

	"congdoan"
)

// Warm computes the overview of every root unit of today's tree — today's
// figures and the month starts of its history — as the system, so that the
// first officer to open a dashboard after the server starts does not pay
// for reading every date. It returns the number of roots warmed; it stops
// early, with ctx's error, when ctx ends.
func (e *Engine) Warm(ctx context.Context) (int, error) {
	sys := congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
	f, err := e.day(sys, e.src.Today())
	if err != nil {
		return 0, err
	}
	var roots []string
	for id, u := range f.units {
		if _, ok := f.parent[id]; !ok {
			roots = append(roots, u.code)
		}
	}
	sort.Strings(roots)
	for i, code := range roots {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if _, err := e.Overview(sys, code, congdoan.Date{}, congdoan.Date{}); err != nil {
			return i, err
		}
	}
	return len(roots), nil
}
