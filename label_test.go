package congdoan

import (
	"strconv"
	"strings"
	"testing"
)

// TestEnumLabels checks that every value of every enum has a name in every
// language, taken from the catalog, and that the names are the catalog's.
func TestEnumLabels(t *testing.T) {
	type labeler interface{ Label(string) string }
	var values []labeler
	for _, k := range UnitKinds {
		values = append(values, k)
	}
	for _, s := range Sectors {
		values = append(values, s)
	}
	for _, r := range Roles {
		values = append(values, r)
	}
	for _, k := range AgreementKinds {
		values = append(values, k)
	}
	for _, s := range ReportStatuses {
		values = append(values, s)
	}
	for _, v := range []labeler{GenderMale, GenderFemale, StatusActive, StatusLeft,
		StartAdmitted, StartTransferIn, StartMerged, StartReadmitted, EndTransferOut, EndMerged, EndLeft, EndRetired,
		EndExpelled, EndDeceased, EndUnitDissolved, EmployerActive, EmployerPaused, EmployerClosed,
		AgreementPending, AgreementValid, AgreementExpiring, AgreementExpired,
		ForecastMet, ForecastOnTrack, ForecastAtRisk, ForecastOffTrack, ForecastMissed, ForecastNoData} {
		values = append(values, v)
	}
	for _, v := range values {
		vi, en := v.Label("vi"), v.Label("en")
		if vi == "" || en == "" || vi == en && vi != "Khác" {
			t.Errorf("%T %v: vi %q, en %q", v, v, vi, en)
		}
		if v.Label("xx") != vi {
			t.Errorf("%T %v: an unknown language does not fall back to Vietnamese", v, v)
		}
	}
	if got := AgreementExpiring.Label("vi"); got != "Sắp hết hạn (≤ "+strconv.Itoa(AgreementExpiringDays)+" ngày)" {
		t.Errorf("expiring label %q does not say AgreementExpiringDays", got)
	}
	if got := AgreementExpiring.Label("en"); !strings.Contains(got, "≤ "+strconv.Itoa(AgreementExpiringDays)+" days") {
		t.Errorf("expiring label %q does not say AgreementExpiringDays", got)
	}
	if Gender("").Label("en") != "" || ForecastStatus("").Label("vi") != "" || UnitKind("x").Label("en") != "x" {
		t.Error("an empty or unknown value")
	}
	if UnitKind("grassroots").Label("vi") != "Công đoàn cơ sở" || EndRetired.Label("en") != "Retired" {
		t.Error("names")
	}
}
