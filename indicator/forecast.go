package indicator

import (
	"context"
	"math"

	"congdoan"
)

// Overview implements congdoan.IndicatorService: Figures with each state
// indicator's applicable target (the first target year not before d's
// year), forecast and monthly history.
func (e *Engine) Overview(ctx context.Context, unitCode string, d, from congdoan.Date) (*congdoan.Figures, error) {
	fig, err := e.Figures(ctx, unitCode, d, from)
	if err != nil {
		return nil, err
	}
	all, err := e.targets(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	// A merged unit's plan goes on in its successor from the merger, not
	// before: on an earlier day the successor had its own targets only.
	var targets []*congdoan.Target
	for _, t := range all {
		if t.Inherited == "" || !t.InheritedOn.After(fig.Date) {
			targets = append(targets, t)
		}
	}
	hist, err := e.history(ctx, unitCode, fig.Date, congdoan.TrendMonths)
	if err != nil {
		return nil, err
	}
	for code, v := range fig.Values {
		if v.Period {
			continue
		}
		// The history's last point is the date itself, counted like the
		// rest of the series (with predecessors merged in later).
		v.History = hist[code]
		t := congdoan.ApplicableTarget(targets, code, fig.Date.Year())
		if t == nil {
			fig.Values[code] = v
			continue
		}
		v.Target = t
		now := v.Value
		if n := len(v.History); n > 0 {
			now = v.History[n-1].Value
		}
		switch {
		case v.Percent && v.DenomN == 0:
			// No employer, union or worker to count: a share of nothing
			// neither meets nor misses a target.
			v.Status = congdoan.ForecastNoData
		case !fig.Date.Before(congdoan.NewDate(t.Year, 12, 31)):
			// The target's year is over by the figure's date: judged, not
			// forecast.
			v.Status = congdoan.ForecastMissed
			if t.Meets(now) {
				v.Status = congdoan.ForecastMet
			}
		default:
			v.Forecast = forecast(v.History, now, t, fig.Date)
			v.Status = v.Forecast.Status
		}
		fig.Values[code] = v
	}
	return fig, nil
}

// targets returns the targets of a unit, including those of units merged
// into it, kept until the targets or the tree change.
func (e *Engine) targets(ctx context.Context, unitCode string) ([]*congdoan.Target, error) {
	u, err := e.src.UnitInScope(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	return memo(e, "targets|"+u.Code, func() ([]*congdoan.Target, error) { return e.src.TargetsOf(ctx, u.ID, u.Code) })
}

// predecessors returns the units merged into unitCode.
func (e *Engine) predecessors(ctx context.Context, unitCode string) ([]congdoan.Predecessor, error) {
	return memo(e, "preds|"+unitCode, func() ([]congdoan.Predecessor, error) { return e.src.Predecessors(ctx, unitCode) })
}

// history returns each state indicator's value at the month starts of the
// last n months before d (the engine caches each date's figures). A unit
// merged into unitCode by d continues in its series: Thái Nguyên's
// federation, seen today, carries Bắc Kạn's past rather than starting from
// zero on 1/7/2025. Seen on a day before that merger, it does not.
func (e *Engine) history(ctx context.Context, unitCode string, d congdoan.Date, n int) (map[congdoan.IndicatorCode][]congdoan.Point, error) {
	out := map[congdoan.IndicatorCode][]congdoan.Point{}
	preds, err := e.predecessors(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	m := monthStart(d)
	if m == d {
		m = congdoan.DateOf(m.Time().AddDate(0, -1, 0))
	}
	var days []congdoan.Date
	for i := 0; i < n && !m.Before(FirstDay); i++ {
		days = append([]congdoan.Date{m}, days...)
		m = congdoan.DateOf(m.Time().AddDate(0, -1, 0))
	}
	days = append(days, d)
	for _, day := range days {
		f, err := e.day(ctx, day)
		if err != nil {
			if congdoan.ErrorCode(err) == congdoan.EINVALID {
				continue // no snapshot for that month
			}
			return nil, err
		}
		v, err := e.viewFor(ctx, f)
		if err != nil {
			return nil, err
		}
		// The unit's own subtree plus, before a merger, the units merged
		// into it since: Thái Nguyên's federation continues Bắc Kạn's
		// series rather than starting from zero on 1/7/2025.
		t := &counts{}
		found := false
		codes := []string{unitCode}
		for _, p := range preds {
			if !p.MergedOn.After(d) {
				codes = append(codes, p.Code)
			}
		}
		for _, c := range codes {
			if id, ok := f.byCode[c]; ok && v.keeps(id) {
				t.add(v.total(f, id))
				found = true
			}
		}
		if !found {
			continue
		}
		out[congdoan.IndicatorMembers] = append(out[congdoan.IndicatorMembers], congdoan.Point{Date: day, Value: float64(t.members)})
		out[congdoan.IndicatorEmployers15Union] = append(out[congdoan.IndicatorEmployers15Union], congdoan.Point{Date: day, Value: pct(t.empUnion, t.emp)})
		out[congdoan.IndicatorCBACoverage] = append(out[congdoan.IndicatorCBACoverage], congdoan.Point{Date: day, Value: pct(t.cbaCovered, t.cbaEligible)})
		out[congdoan.IndicatorWorkerMembership] = append(out[congdoan.IndicatorWorkerMembership], congdoan.Point{Date: day, Value: pct(t.membersAtEmployerUnions, t.workersUnionised)})
	}
	return out, nil
}

// forecast projects hist to the end of t's year (congdoan.Forecast says
// how) from the value now on d.
func forecast(hist []congdoan.Point, now float64, t *congdoan.Target, d congdoan.Date) *congdoan.Forecast {
	end := congdoan.NewDate(t.Year, 12, 31)
	monthsLeft := monthsBetween(d, end)
	// The history's last point is the date itself; the others are the
	// month starts before it.
	f := &congdoan.Forecast{AtYear: t.Year, Value: now, Low: now, High: now, Months: max(len(hist)-1, 0)}
	if monthsLeft > 0 {
		f.NeededPerMonth = (t.Value - now) / monthsLeft
	}
	if n := len(hist); n >= 3 {
		// Least squares on x = months from the first point.
		x0 := hist[0].Date
		var sx, sy, sxx, sxy float64
		xs := make([]float64, n)
		for i, p := range hist {
			xs[i] = monthsBetween(x0, p.Date)
			sx += xs[i]
			sy += p.Value
			sxx += xs[i] * xs[i]
			sxy += xs[i] * p.Value
		}
		nf := float64(n)
		den := nf*sxx - sx*sx
		if den > 0 {
			b := (nf*sxy - sx*sy) / den
			a := (sy - b*sx) / nf
			var sse float64
			for i, p := range hist {
				r := p.Value - (a + b*xs[i])
				sse += r * r
			}
			xe := monthsBetween(x0, end)
			mean := sx / nf
			se := math.Sqrt(sse/math.Max(nf-2, 1)) * math.Sqrt(1+1/nf+(xe-mean)*(xe-mean)/(sxx-nf*mean*mean))
			f.Value = a + b*xe
			f.Low, f.High = f.Value-1.64*se, f.Value+1.64*se
		}
	}
	if def, _ := congdoan.LookupIndicator(t.Indicator); def.Percent {
		f.Value, f.Low, f.High = clamp(f.Value), clamp(f.Low), clamp(f.High)
	}
	f.ProjectedMeets = t.Meets(f.Value)
	switch {
	case t.Meets(now):
		f.Status = congdoan.ForecastMet
	case t.Meets(f.Value):
		f.Status = congdoan.ForecastOnTrack
	case t.Meets(f.High):
		f.Status = congdoan.ForecastAtRisk
	default:
		f.Status = congdoan.ForecastOffTrack
	}
	f.StatusLabel = f.Status.Label("vi")
	return f
}

func monthsBetween(a, b congdoan.Date) float64 {
	return b.Time().Sub(a.Time()).Hours() / 24 / 30.4375
}

func clamp(v float64) float64 { return math.Max(0, math.Min(100, v)) }
