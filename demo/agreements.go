package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"congdoan"
	"congdoan/store"
)

// Agreements gives the demo province its collective labour agreements:
// most unions at employers that bargain (not administrative agencies)
// sign one for 1–3 years and renew it, some let it lapse, and coverage
// grows from about 65 % in 2021 toward the plan's 80 % for 2025 — a little
// behind, as the real federations report. Deterministic for a seed.
func Agreements(ctx context.Context, db *store.DB, seed int64, today congdoan.Date) (int, error) {
	us, err := db.BargainingUnions(ctx)
	if err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0xa9))
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	err = db.Bulk(ctx, "demo.agreements", func(b *store.Bulk) error {
		for _, u := range us {
			// Each union has a propensity to keep an agreement in force.
			keep := 0.25 + 0.45*r.Float64()
			t := u.FoundedOn.Time()
			if t.Before(start) {
				t = start.AddDate(0, 0, r.IntN(700))
			} else {
				t = t.AddDate(0, 2+r.IntN(10), r.IntN(28))
			}
			var prev int64
			for t.Before(today.Time()) {
				if r.Float64() > keep {
					t = t.AddDate(0, 3+r.IntN(12), 0) // a gap without an agreement
					prev = 0
					continue
				}
				years := 1 + r.IntN(3)
				to := t.AddDate(years, 0, -1)
				id, err := b.Agreement(store.BulkAgreement{UnitID: u.ID, EmployerID: u.EmployerID, Kind: "enterprise",
					SignedOn: congdoan.DateOf(t.AddDate(0, 0, -r.IntN(20))), ValidFrom: congdoan.DateOf(t), ValidTo: congdoan.DateOf(to),
					Quality: []string{"A", "B", "B", "C", ""}[r.IntN(5)], RenewsID: prev})
				if err != nil {
					return err
				}
				n++
				prev = id
				t = to.AddDate(0, 0, 1+r.IntN(3)*r.IntN(40))
				// Improvement over time: unions grow more likely to renew.
				keep = min(0.97, keep+0.05)
			}
		}
		return nil
	})
	return n, err
}
