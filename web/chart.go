package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// lineChart is a small server-rendered SVG line chart: an indicator's
// monthly history and, when there is a target, the straight path from the
// last value to it. It is drawn on the server so the dashboard needs no
// script (the CSP allows none inline anyway), prints as it shows, and
// scales with its viewBox on any screen.
type lineChart struct {
	ID      string // prefix for the ids of <title> and <desc>, unique on the page
	Title   string // accessible name, read by screen readers
	Desc    string // accessible description: the numbers in words
	Points  []chartPoint
	Percent bool // y runs from 0 to 100 %; counts run from 0 to a round maximum
	Target  *chartTarget
}

// chartPoint is one value on a date.
type chartPoint struct {
	Date  congdoan.Date
	Value float64
}

// chartTarget is the value to reach by a date, with the forecast band at
// that date when there is one (Low == High means none).
type chartTarget struct {
	Date      congdoan.Date
	Value     float64
	Label     string // short, e.g. "2030: 26.000"
	Low, High float64
}

// Geometry of the viewBox. The text size is in viewBox units (the
// stylesheet raises it on phones, where 400 units are about 340 px); the
// left margin holds "30.000" at the larger size.
const (
	chartW, chartH                       = 400.0, 180.0
	chartLeft, chartRight                = 54.0, 14.0
	chartTop, chartBottom                = 14.0, 24.0
	chartFont                            = 11
	chartFarYears                        = 6 // a target further than this is drawn as a level, not a path
	plotX0, plotX1, plotY0, plotY1       = chartLeft, chartW - chartRight, chartTop, chartH - chartBottom
	chartInk, chartMuted, chartLine      = "#0b4f8a", "#5b6576", "#d9dee7"
	chartTargetInk, chartBand, chartDash = "#c8102e", "#9a5b00", "5 4"
)

// SVG renders the chart, or nothing without points. Every text is escaped
// here: the result is trusted HTML for the template.
func (c lineChart) SVG() template.HTML {
	if len(c.Points) == 0 {
		return ""
	}
	first, last := c.Points[0].Date, c.Points[len(c.Points)-1].Date
	// The target is a path when it lies ahead within reach; a target far
	// away (2045) would squeeze the history into a sliver, and one whose
	// year has passed still has to be held: both are drawn as a level.
	path := c.Target != nil && c.Target.Date.After(last) && c.Target.Date.Before(last.AddDays(chartFarYears*366))
	end := last
	if path {
		end = c.Target.Date
	}
	if !end.After(first) {
		end = first.AddDays(31) // one point: give it a month of width
	}

	ymax := 100.0
	if !c.Percent {
		m := 0.0
		for _, p := range c.Points {
			m = math.Max(m, p.Value)
		}
		if c.Target != nil {
			m = math.Max(m, c.Target.Value)
			if path {
				m = math.Max(m, c.Target.High)
			}
		}
		ymax = niceCeil(m)
	}
	t0, span := first.Time(), end.Time().Sub(first.Time()).Hours()
	x := func(d congdoan.Date) float64 {
		return plotX0 + (plotX1-plotX0)*d.Time().Sub(t0).Hours()/span
	}
	y := func(v float64) float64 {
		v = math.Max(0, math.Min(v, ymax)) // a forecast band may run off the scale
		return plotY1 - (plotY1-plotY0)*v/ymax
	}

	var b strings.Builder
	id := template.HTMLEscapeString(c.ID)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" font-size="%d">`,
		chartW, chartH, id, id, chartFont)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, template.HTMLEscapeString(c.Title), id, template.HTMLEscapeString(c.Desc))

	// Y grid and labels.
	b.WriteString(`<g class="chart-grid">`)
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		yy := y(v)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, f1(plotX0), f1(yy), f1(plotX1), f1(yy), chartLine)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, f1(plotX0-6), f1(yy+4), chartMuted, chartNumber(v, c.Percent))
	}
	// X labels: years, or months when the span is short.
	for _, tk := range timeTicks(first, end) {
		xx := x(tk.date)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, f1(xx), f1(plotY1), f1(xx), f1(plotY1+4), chartMuted)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, f1(xx), f1(chartH-6), chartMuted, tk.label)
	}
	b.WriteString(`</g>`)

	if c.Target != nil {
		tv := y(c.Target.Value)
		lbl := template.HTMLEscapeString(c.Target.Label)
		if path {
			lp := c.Points[len(c.Points)-1]
			tx := x(c.Target.Date)
			if c.Target.High > c.Target.Low {
				fmt.Fprintf(&b, `<line class="chart-band" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="5" stroke-opacity=".35"/>`,
					f1(tx), f1(y(c.Target.Low)), f1(tx), f1(y(c.Target.High)), chartBand)
			}
			fmt.Fprintf(&b, `<line class="chart-path" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="%s"/>`,
				f1(x(lp.Date)), f1(y(lp.Value)), f1(tx), f1(tv), chartTargetInk, chartDash)
			fmt.Fprintf(&b, `<circle class="chart-target" cx="%s" cy="%s" r="3.5" fill="%s"/>`, f1(tx), f1(tv), chartTargetInk)
			// The label sits left of the point, inside the plot.
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, f1(tx-6), f1(labelY(tv)), chartTargetInk, lbl)
		} else {
			fmt.Fprintf(&b, `<line class="chart-level" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="%s"/>`,
				f1(plotX0), f1(tv), f1(plotX1), f1(tv), chartTargetInk, chartDash)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, f1(plotX1), f1(labelY(tv)), chartTargetInk, lbl)
		}
	}

	pts := make([]string, len(c.Points))
	for i, p := range c.Points {
		pts[i] = f1(x(p.Date)) + "," + f1(y(p.Value))
	}
	if len(pts) > 1 {
		fmt.Fprintf(&b, `<polyline class="chart-line" points="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`,
			strings.Join(pts, " "), chartInk)
	}
	lp := c.Points[len(c.Points)-1]
	fmt.Fprintf(&b, `<circle class="chart-now" cx="%s" cy="%s" r="4" fill="%s"/>`, f1(x(lp.Date)), f1(y(lp.Value)), chartInk)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// labelY places a label above a level line, or below it when the line is
// at the top of the plot.
func labelY(v float64) float64 {
	if v-5 < plotY0+chartFont {
		return v + chartFont + 3
	}
	return v - 5
}

// f1 formats a coordinate with one decimal, enough at this size, and keeps
// the markup short.
func f1(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// chartNumber is an axis label in the Vietnamese format: "26.000", "50 %".
func chartNumber(v float64, percent bool) string {
	if percent {
		return vntext.FormatInt(int64(math.Round(v))) + " %"
	}
	return vntext.FormatInt(int64(math.Round(v)))
}

// niceCeil rounds a maximum up to a round number divisible in four steps,
// so the grid lines fall on readable values (0, 7.500, 15.000 …) without
// wasting much height (26.000 gets 30.000, not 40.000).
func niceCeil(m float64) float64 {
	if m <= 0 {
		return 4
	}
	step := m / 4
	mag := math.Pow(10, math.Floor(math.Log10(step)))
	for _, f := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10} {
		if s := f * mag; s >= step {
			if s < 1 {
				s = 1 // counts are whole
			}
			return 4 * s
		}
	}
	return 4 * 10 * mag
}

type timeTick struct {
	date  congdoan.Date
	label string
}

// timeTicks returns the x-axis labels between first and end: 1 January of
// each year (every 2 or 5 years on long spans), or every third month as
// "mm/yyyy" when the span is under a year and a half.
func timeTicks(first, end congdoan.Date) []timeTick {
	var out []timeTick
	months := end.Time().Sub(first.Time()).Hours() / 24 / 30.4375
	if months < 18 {
		t := time.Date(first.Year(), first.Time().Month(), 1, 0, 0, 0, 0, time.UTC)
		if t.Before(first.Time()) {
			t = t.AddDate(0, 1, 0)
		}
		for ; !t.After(end.Time()); t = t.AddDate(0, 1, 0) {
			if (int(t.Month())-1)%3 == 0 {
				out = append(out, timeTick{congdoan.DateOf(t), t.Format("01/2006")})
			}
		}
		return out
	}
	step := 1
	switch years := months / 12; {
	case years > 12:
		step = 5
	case years > 6:
		step = 2
	}
	for yr := first.Year() + 1; yr <= end.Year(); yr++ {
		if yr%step == 0 {
			out = append(out, timeTick{congdoan.NewDate(yr, 1, 1), strconv.Itoa(yr)})
		}
	}
	return out
}
