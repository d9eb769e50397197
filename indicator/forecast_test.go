package indicator

import (
	"testing"

	"congdoan"
)

// TestForecastMetButFalling: a value that meets its target today on a
// falling trend is "met", and the forecast says it is below.
func TestForecastMetButFalling(t *testing.T) {
	var hist []congdoan.Point
	d := congdoan.NewDate(2024, 1, 1)
	for i := range 13 {
		hist = append(hist, congdoan.Point{Date: congdoan.DateOf(d.Time().AddDate(0, i, 0)), Value: float64(1200 - 20*i)})
	}
	target := &congdoan.Target{Indicator: congdoan.IndicatorMembers, Year: 2025, Value: 900, Comparator: ">="}
	now := hist[len(hist)-1].Value // 960
	f := forecast(hist, now, target, hist[len(hist)-1].Date)
	if f.Status != congdoan.ForecastMet || f.ProjectedMeets || f.Value >= 900 || f.Months != 12 {
		t.Errorf("forecast %+v", f)
	}
}
