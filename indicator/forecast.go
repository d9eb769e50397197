package indicator

import (
	"context"
	"math"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/vntext"
)

// Point is a value on a date (a month start, or the date asked).
type Point struct {
	Date  congdoan.Date `json:"date"`
	Value float64       `json:"value"`
}

// Forecast projects the trend of the last months to the end of the
// target's year. Method (written down so the figure can be checked): an
// ordinary least-squares line through the monthly values of the last 24
// months (fewer if the history is shorter), projected to 31/12 of the
// target year; the range is the projection ± 1,64 standard errors of a new
// observation (a 90 % band). Status:
//   - met: the value already meets the target;
//   - on_track: the projection meets it;
//   - at_risk: only the upper end of the band does;
//   - off_track: not even the upper end does.
//
// NeededPerMonth is the straight-line pace from today's value to the
// target by 31/12 of the target year.
type Forecast struct {
	AtYear         int     `json:"at_year"`
	Value          float64 `json:"value"`
	Low            float64 `json:"low"`
	High           float64 `json:"high"`
	Status         string  `json:"status"`
	StatusLabel    string  `json:"status_label"`
	NeededPerMonth float64 `json:"needed_per_month"`
	Months         int     `json:"months_used"`
}

// StatusLabel returns the Vietnamese label of a status.
func StatusLabel(s string) string {
	switch s {
	case "met":
		return "Đã đạt"
	case "on_track":
		return "Đúng tiến độ"
	case "at_risk":
		return "Có nguy cơ không đạt"
	case "off_track":
		return "Chậm tiến độ"
	case "missed":
		return "Không đạt"
	}
	return ""
}

// Overview returns Figures with each indicator's applicable target (the
// first target year not before d's year), forecast and monthly history.
// Period indicators count from `from` (zero: 1 January of d's year).
func (e *Engine) Overview(ctx context.Context, unitCode string, d, from congdoan.Date) (*Figures, error) {
	fig, err := e.Figures(ctx, unitCode, d, from)
	if err != nil {
		return nil, err
	}
	targets, err := e.Targets(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	hist, err := e.history(ctx, unitCode, fig.Date, 24)
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
		t := applicable(targets, code, fig.Date.Year())
		if t != nil {
			v.Target = t
			now := v.Value
			if n := len(v.History); n > 0 {
				now = v.History[n-1].Value
			}
			v.Forecast = forecast(v.History, now, t, fig.Date)
			v.Status = v.Forecast.Status
		}
		fig.Values[code] = v
	}
	return fig, nil
}

// applicable returns the target of code for year: the first target year
// not before it, else (every target year has passed) the last one, which
// must still be held.
func applicable(targets []*Target, code string, year int) *Target {
	var next, last *Target
	for _, x := range targets {
		if x.Indicator != code {
			continue
		}
		if x.Year >= year && (next == nil || x.Year < next.Year) {
			next = x
		}
		if last == nil || x.Year > last.Year {
			last = x
		}
	}
	if next != nil {
		return next
	}
	return last
}

// history returns each state indicator's value at the month starts of the
// last n months before d (the engine caches each date's figures).
func (e *Engine) history(ctx context.Context, unitCode string, d congdoan.Date, n int) (map[string][]Point, error) {
	out := map[string][]Point{}
	preds, err := e.predecessors(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	m := monthStart(d)
	if m == d {
		m = congdoan.DateOf(m.Time().AddDate(0, -1, 0))
	}
	var days []congdoan.Date
	for i := 0; i < n && !m.Before(firstDay); i++ {
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
		// The unit's own subtree plus, before a merger, the units merged
		// into it since: Thái Nguyên's federation continues Bắc Kạn's
		// series rather than starting from zero on 1/7/2025.
		t := &counts{}
		found := false
		for _, c := range append([]string{unitCode}, preds...) {
			if id, ok := f.byCode[c]; ok {
				t.add(f.total[id])
				found = true
			}
		}
		if !found {
			continue
		}
		out[Members] = append(out[Members], Point{day, float64(t.members)})
		out[Employers15Union] = append(out[Employers15Union], Point{day, pct(t.empUnion, t.emp)})
		out[CBACoverage] = append(out[CBACoverage], Point{day, pct(t.cbaCovered, t.cbaEligible)})
		out[WorkerMembership] = append(out[WorkerMembership], Point{day, pct(t.membersAtEmployerUnions, t.workersUnionised)})
	}
	return out, nil
}

func forecast(hist []Point, now float64, t *Target, d congdoan.Date) *Forecast {
	end := congdoan.NewDate(t.Year, 12, 31)
	monthsLeft := monthsBetween(d, end)
	f := &Forecast{AtYear: t.Year, Value: now, Low: now, High: now, Months: len(hist)}
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
	if def, _ := Lookup(t.Indicator); def.Percent {
		f.Value, f.Low, f.High = clamp(f.Value), clamp(f.Low), clamp(f.High)
	}
	switch {
	case t.Meets(now):
		f.Status = "met"
	case t.Year < d.Year():
		f.Status = "missed" // the target's year is over
	case t.Meets(f.Value):
		f.Status = "on_track"
	case t.Meets(f.High):
		f.Status = "at_risk"
	default:
		f.Status = "off_track"
	}
	f.StatusLabel = StatusLabel(f.Status)
	return f
}

func monthsBetween(a, b congdoan.Date) float64 {
	return b.Time().Sub(a.Time()).Hours() / 24 / 30.4375
}

// fmtNum formats a count or a percentage the Vietnamese way: "23.000",
// "71,5".
func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return vntext.FormatInt(int64(v))
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

// FormatValue formats a value of def for people: "23.000" or "71,5 %".
func FormatValue(def Def, v float64) string {
	if def.Percent {
		return fmtNum(math.Round(v*10)/10) + " %"
	}
	return fmtNum(math.Round(v))
}

func clamp(v float64) float64 { return math.Max(0, math.Min(100, v)) }
