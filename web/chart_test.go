package web

import (
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"congdoan"
)

// svgDoc is what the tests read back from a chart.
type svgDoc struct {
	ViewBox   string
	Role      string
	Title     string
	Desc      string
	Polylines []string              // points attributes
	Circles   map[string][2]float64 // class → centre
	Lines     map[string][4]float64 // class → x1 y1 x2 y2 (the first of each class)
	Texts     []string
}

// parseSVG parses a chart as XML (it must be well-formed: browsers render
// inline SVG leniently, but print pipelines and screen readers do not).
func parseSVG(t *testing.T, s string) svgDoc {
	t.Helper()
	doc := svgDoc{Circles: map[string][2]float64{}, Lines: map[string][4]float64{}}
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []string
	num := func(se xml.StartElement, name string) float64 {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				v, err := strconv.ParseFloat(a.Value, 64)
				if err != nil {
					t.Fatalf("%s=%q: %v", name, a.Value, err)
				}
				return v
			}
		}
		return 0
	}
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, s)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			stack = append(stack, x.Name.Local)
			switch x.Name.Local {
			case "svg":
				if x.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("svg namespace %q", x.Name.Space)
				}
				doc.ViewBox, doc.Role = attr(x, "viewBox"), attr(x, "role")
			case "polyline":
				doc.Polylines = append(doc.Polylines, attr(x, "points"))
			case "circle":
				doc.Circles[attr(x, "class")] = [2]float64{num(x, "cx"), num(x, "cy")}
			case "line":
				if c := attr(x, "class"); c != "" {
					if _, ok := doc.Lines[c]; !ok {
						doc.Lines[c] = [4]float64{num(x, "x1"), num(x, "y1"), num(x, "x2"), num(x, "y2")}
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "title":
				doc.Title += string(x)
			case "desc":
				doc.Desc += string(x)
			case "text":
				doc.Texts = append(doc.Texts, string(x))
			}
		}
	}
	return doc
}

func TestLineChartPercent(t *testing.T) {
	c := lineChart{ID: "c1", Title: "Tỷ lệ <CĐCS> & thỏa ước", Desc: "Từ 01/01/2026", Percent: true, Points: []chartPoint{
		{congdoan.NewDate(2026, 1, 1), 0},
		{congdoan.NewDate(2026, 2, 1), 50},
		{congdoan.NewDate(2026, 3, 1), 100},
		{congdoan.NewDate(2026, 4, 1), 120}, // impossible, but must stay on the plot
	}}
	doc := parseSVG(t, string(c.SVG()))
	if doc.ViewBox != "0 0 400 180" || doc.Role != "img" {
		t.Errorf("viewBox %q role %q", doc.ViewBox, doc.Role)
	}
	if doc.Title != c.Title || doc.Desc != c.Desc {
		t.Errorf("title %q desc %q", doc.Title, doc.Desc)
	}
	// x: 1/1 → left edge, 1/4 → right edge (no target); y: 0 % at the
	// bottom of the plot, 100 % at its top.
	span := congdoan.NewDate(2026, 4, 1).Time().Sub(congdoan.NewDate(2026, 1, 1).Time()).Hours()
	x2 := plotX0 + (plotX1-plotX0)*congdoan.NewDate(2026, 2, 1).Time().Sub(congdoan.NewDate(2026, 1, 1).Time()).Hours()/span
	x3 := plotX0 + (plotX1-plotX0)*congdoan.NewDate(2026, 3, 1).Time().Sub(congdoan.NewDate(2026, 1, 1).Time()).Hours()/span
	mid := (plotY0 + plotY1) / 2
	want := strings.Join([]string{f1(plotX0) + "," + f1(plotY1), f1(x2) + "," + f1(mid), f1(x3) + "," + f1(plotY0), f1(plotX1) + "," + f1(plotY0)}, " ")
	if len(doc.Polylines) != 1 || doc.Polylines[0] != want {
		t.Errorf("points %q, want %q", doc.Polylines, want)
	}
	if now := doc.Circles["chart-now"]; now != [2]float64{plotX1, plotY0} {
		t.Errorf("last point at %v", now)
	}
	for _, l := range []string{"0 %", "25 %", "50 %", "75 %", "100 %", "01/2026", "04/2026"} {
		if !slices.Contains(doc.Texts, l) {
			t.Errorf("no label %q in %q", l, doc.Texts)
		}
	}
}

func TestLineChartTargetPath(t *testing.T) {
	c := lineChart{ID: "members", Title: "Số đoàn viên", Points: []chartPoint{
		{congdoan.NewDate(2025, 1, 1), 2000},
		{congdoan.NewDate(2026, 1, 1), 3000},
	}, Target: &chartTarget{Date: congdoan.NewDate(2030, 12, 31), Value: 26000, Label: "2030: 26.000", Low: 8000, High: 14000}}
	doc := parseSVG(t, string(c.SVG()))
	// The scale runs to a round 30.000 and the path ends on the target.
	if !slices.Contains(doc.Texts, "30.000") || !slices.Contains(doc.Texts, "7.500") || !slices.Contains(doc.Texts, "2030: 26.000") {
		t.Errorf("labels %q", doc.Texts)
	}
	ty := plotY1 - (plotY1-plotY0)*26000/30000
	if got := doc.Circles["chart-target"]; got != [2]float64{plotX1, mustF(t, f1(ty))} {
		t.Errorf("target at %v, want (%v, %v)", got, plotX1, f1(ty))
	}
	path := doc.Lines["chart-path"]
	now := doc.Circles["chart-now"]
	if path[0] != now[0] || path[1] != now[1] || path[2] != plotX1 {
		t.Errorf("path %v does not run from the last point %v to the target", path, now)
	}
	if band := doc.Lines["chart-band"]; band[0] != plotX1 || band[1] <= band[3] {
		t.Errorf("band %v", band)
	}
	for _, y := range []string{"2026", "2028", "2030"} {
		if !slices.Contains(doc.Texts, y) {
			t.Errorf("no year %s in %q", y, doc.Texts)
		}
	}
}

// A target far away or already past is a level line, not a path.
func TestLineChartTargetLevel(t *testing.T) {
	pts := []chartPoint{{congdoan.NewDate(2025, 1, 1), 60}, {congdoan.NewDate(2026, 11, 24), 80}}
	for _, year := range []int{2045, 2025} {
		c := lineChart{ID: "x", Title: "t", Percent: true, Points: pts,
			Target: &chartTarget{Date: congdoan.NewDate(year, 12, 31), Value: 90, Label: strconv.Itoa(year) + ": 90 %"}}
		doc := parseSVG(t, string(c.SVG()))
		l, ok := doc.Lines["chart-level"]
		if !ok {
			t.Fatalf("%d: no level line", year)
		}
		y := mustF(t, f1(plotY1-(plotY1-plotY0)*0.9))
		if l != [4]float64{plotX0, y, plotX1, y} {
			t.Errorf("%d: level %v", year, l)
		}
		if _, ok := doc.Lines["chart-path"]; ok {
			t.Errorf("%d: a path to a target outside the chart", year)
		}
		if now := doc.Circles["chart-now"]; now[0] != plotX1 {
			t.Errorf("%d: the history does not fill the width: %v", year, now)
		}
	}
}

func TestLineChartEdgeCases(t *testing.T) {
	if s := (lineChart{ID: "e"}).SVG(); s != "" {
		t.Errorf("no points: %q", s)
	}
	// One point: a dot, no line, still well-formed; zero values keep a scale.
	doc := parseSVG(t, string(lineChart{ID: "one", Title: "t", Points: []chartPoint{{congdoan.NewDate(2026, 1, 1), 0}}}.SVG()))
	if len(doc.Polylines) != 0 || doc.Circles["chart-now"][1] != plotY1 {
		t.Errorf("one point: %+v", doc)
	}
	for m, want := range map[float64]float64{0: 4, 3: 4, 7: 8, 3002: 4000, 26000: 30000, 22000: 24000, 100: 100} {
		if got := niceCeil(m); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", m, got, want)
		}
	}
}

func mustF(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
