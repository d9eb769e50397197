package indicator_test

import (
	"strings"
	"testing"

	"congdoan"
	"congdoan/demo/demotest"
	"congdoan/indicator"
	"congdoan/report"
	"congdoan/store"
	"congdoan/store/storetest"
)

// TestStatusOnlyWithData: a percentage without a denominator has the
// status no_data and neither forecast nor pace; a target whose year is
// over by the figure's date is judged met or missed, not forecast — on the
// dashboard's figures, in a report of a past period and in its PDF text.
func TestStatusOnlyWithData(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		admin, tinh := f.Ctx(storetest.Admin), f.Ctx(storetest.Province)
		demotest.LoadPlans(t, db)
		if err := db.BackfillSnapshots(admin); err != nil {
			t.Fatal(err)
		}
		// A new district federation with no employer and no union yet,
		// given a share of the employers target.
		if _, err := db.CreateUnit(tinh, congdoan.UnitInput{Code: "LDLD-BK-061", Name: "Liên đoàn Lao động huyện Pác Nặm",
			Kind: congdoan.KindDistrictFederation, ParentCode: storetest.Root, FoundedOn: congdoan.NewDate(2021, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		ts, err := db.FindTargets(tinh, storetest.Root)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ts {
			if x.Indicator == congdoan.IndicatorEmployers15Union {
				if _, err := db.AllocateTarget(tinh, x.ID, "LDLD-BK-061", 95); err != nil {
					t.Fatal(err)
				}
			}
		}
		svc, _ := indicator.Services(db)
		fig, err := svc.Indicators.Overview(tinh, "LDLD-BK-061", congdoan.NewDate(2025, 6, 1), congdoan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if v := fig.Values[congdoan.IndicatorEmployers15Union]; v.Target == nil || v.Status != congdoan.ForecastNoData || v.Forecast != nil {
			t.Errorf("a share of nothing: target %+v, status %q, forecast %+v", v.Target, v.Status, v.Forecast)
		}

		// A target whose year is over on the figure's date: judged.
		for _, c := range []struct {
			code congdoan.IndicatorCode
			d    congdoan.Date
		}{
			{congdoan.IndicatorMembers, congdoan.NewDate(2025, 12, 31)},
			{congdoan.IndicatorEmployers15Union, congdoan.NewDate(2026, 11, 24)}, // the last target, 2025, must still be held
		} {
			fig, err := svc.Indicators.Overview(tinh, storetest.Root, c.d, congdoan.Date{})
			if err != nil {
				t.Fatal(err)
			}
			v := fig.Values[c.code]
			if v.Target == nil || v.Target.Year != 2025 || v.Forecast != nil || (v.Status != congdoan.ForecastMet && v.Status != congdoan.ForecastMissed) {
				t.Errorf("%s's 2025 target on %s: target %+v, status %q, forecast %+v", c.code, c.d.VN(), v.Target, v.Status, v.Forecast)
			}
		}
		// Still ahead: forecast.
		for _, c := range []struct {
			code congdoan.IndicatorCode
			d    congdoan.Date
		}{
			{congdoan.IndicatorMembers, congdoan.NewDate(2025, 12, 30)},
			{congdoan.IndicatorCBACoverage, congdoan.NewDate(2026, 11, 24)},
		} {
			fig, err := svc.Indicators.Overview(tinh, storetest.Root, c.d, congdoan.Date{})
			if err != nil {
				t.Fatal(err)
			}
			if v := fig.Values[c.code]; v.Forecast == nil || v.Status == congdoan.ForecastMissed {
				t.Errorf("%s on %s is not forecast: %+v", c.code, c.d.VN(), v)
			}
		}

		// A report of 2023: judged against the targets of 2023, no forecast.
		y2023, _ := congdoan.ParseReportPeriod("2023")
		r, err := svc.Reports.ComputeReport(tinh, storetest.Root, y2023)
		if err != nil {
			t.Fatal(err)
		}
		doc := report.FromReport(r, "")
		for _, fg := range r.Figures {
			if fg.Target != nil && fg.Target.Year <= 2023 && (fg.Forecast != nil || (fg.Status != congdoan.ForecastMet && fg.Status != congdoan.ForecastMissed && fg.Status != congdoan.ForecastNoData)) {
				t.Errorf("2023 report, %s: target %d, status %q, forecast %+v", fg.Indicator, fg.Target.Year, fg.Status, fg.Forecast)
			}
		}
		for _, row := range doc.Rows {
			if row.TargetYear == 2023 && (row.Forecast != "" || row.NeededPace != "" || row.StatusLabel == "") {
				t.Errorf("2023 report's printed row %s: forecast %q, pace %q, status %q", row.Code, row.Forecast, row.NeededPace, row.StatusLabel)
			}
		}
		if !strings.Contains(strings.Join(doc.Notes, " "), "24 tháng") {
			t.Errorf("the notes do not quote the trend's months: %v", doc.Notes)
		}
	})
}
