package congdoan

import (
	"context"
	"math"
	"strconv"
	"strings"

	"congdoan/vntext"
)

// IndicatorCode names one of the plan's indicators (shared DESIGN.md §4).
type IndicatorCode string

// The indicators, in display order (IndicatorDefs).
const (
	IndicatorMembers          IndicatorCode = "members"
	IndicatorEmployers15Union IndicatorCode = "employers_15plus_with_union_pct"
	IndicatorCBACoverage      IndicatorCode = "cba_coverage_pct"
	IndicatorWorkerMembership IndicatorCode = "worker_membership_pct"
	IndicatorMembersAdmitted  IndicatorCode = "members_admitted"
	IndicatorMembersLeft      IndicatorCode = "members_left"
	IndicatorUnionsFounded    IndicatorCode = "unions_founded"
	IndicatorUnionsDissolved  IndicatorCode = "unions_dissolved"
)

// StateIndicators are the indicators of a state on a date (the others
// count events in a period): the first cards of a dashboard, the columns
// of a report's table by unit, and the series a forecast is drawn from.
var StateIndicators = []IndicatorCode{IndicatorMembers, IndicatorEmployers15Union, IndicatorCBACoverage, IndicatorWorkerMembership}

// TrendMonths is how many month starts the history of an indicator, and
// so its forecast's trend, reaches back (Forecast says how it is drawn).
const TrendMonths = 24

// DefaultEmployerMin is the workforce from which an employer must have a
// union when no plan says otherwise: Bắc Kạn's plan says 15, the national
// resolution 25.
const DefaultEmployerMin = 15

// IndicatorDef describes an indicator: its name, unit, and what its
// numerator and denominator count — the words shown next to every figure.
type IndicatorDef struct {
	Code        IndicatorCode `json:"code"`
	Name        string        `json:"name"`
	UnitLabel   string        `json:"unit_label"`
	Percent     bool          `json:"percent"`
	Period      bool          `json:"period"`   // counts events in a period rather than a state on a date
	Additive    bool          `json:"additive"` // children's targets must add up to the parent's
	Numerator   string        `json:"numerator"`
	Denominator string        `json:"denominator,omitempty"`
}

// IndicatorDefs lists the indicators in display order.
var IndicatorDefs = []IndicatorDef{
	{Code: IndicatorMembers, Name: "Số đoàn viên công đoàn", UnitLabel: "người", Additive: true,
		Numerator: "Đoàn viên đang sinh hoạt tại các đơn vị thuộc phạm vi vào ngày tính"},
	{Code: IndicatorEmployers15Union, Name: "Tỷ lệ doanh nghiệp, đơn vị từ 15 lao động có công đoàn cơ sở", UnitLabel: "%", Percent: true,
		Numerator:   "Đơn vị sử dụng lao động đang hoạt động, có từ 15 lao động, đã có công đoàn cơ sở",
		Denominator: "Đơn vị sử dụng lao động đang hoạt động, có từ 15 lao động"},
	{Code: IndicatorCBACoverage, Name: "Tỷ lệ công đoàn cơ sở có thỏa ước lao động tập thể còn hiệu lực", UnitLabel: "%", Percent: true,
		Numerator:   "Công đoàn cơ sở (trừ tại cơ quan hành chính nhà nước) có thỏa ước còn hiệu lực",
		Denominator: "Công đoàn cơ sở tại đơn vị có thương lượng tập thể (trừ cơ quan hành chính nhà nước)"},
	{Code: IndicatorWorkerMembership, Name: "Tỷ lệ người lao động là đoàn viên tại đơn vị có công đoàn", UnitLabel: "%", Percent: true,
		Numerator:   "Đoàn viên của các công đoàn cơ sở gắn với đơn vị sử dụng lao động",
		Denominator: "Lao động tại các đơn vị sử dụng lao động đã có công đoàn cơ sở"},
	{Code: IndicatorMembersAdmitted, Name: "Đoàn viên kết nạp mới", UnitLabel: "người", Period: true, Additive: true,
		Numerator: "Người được kết nạp (hoặc kết nạp lại) trong kỳ"},
	{Code: IndicatorMembersLeft, Name: "Đoàn viên giảm (thôi sinh hoạt, nghỉ hưu, khai trừ, từ trần)", UnitLabel: "người", Period: true, Additive: true,
		Numerator: "Đoàn viên kết thúc sinh hoạt trong kỳ (không tính chuyển sinh hoạt, sáp nhập)"},
	{Code: IndicatorUnionsFounded, Name: "Công đoàn cơ sở thành lập mới", UnitLabel: "đơn vị", Period: true, Additive: true,
		Numerator: "Công đoàn cơ sở, nghiệp đoàn thành lập trong kỳ"},
	{Code: IndicatorUnionsDissolved, Name: "Công đoàn cơ sở giải thể, sáp nhập", UnitLabel: "đơn vị", Period: true, Additive: true,
		Numerator: "Công đoàn cơ sở, nghiệp đoàn giải thể hoặc sáp nhập trong kỳ"},
}

// LookupIndicator returns the definition of code.
func LookupIndicator(code IndicatorCode) (IndicatorDef, bool) {
	for _, d := range IndicatorDefs {
		if d.Code == code {
			return d, true
		}
	}
	return IndicatorDef{}, false
}

// IndicatorCodeList is every code, comma-separated, for messages that say
// which codes exist.
func IndicatorCodeList() string {
	var cs []string
	for _, d := range IndicatorDefs {
		cs = append(cs, string(d.Code))
	}
	return strings.Join(cs, ", ")
}

// Format shows a value of the indicator the Vietnamese way: "23.000" or
// "71,5 %" (percentages to one decimal).
func (d IndicatorDef) Format(v float64) string {
	if d.Percent {
		return FormatNumber(math.Round(v*10)/10) + " %"
	}
	return FormatNumber(math.Round(v))
}

// FormatNumber formats a count or a percentage the Vietnamese way:
// "23.000", "71,5".
func FormatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return vntext.FormatInt(int64(v))
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

// IndicatorValue is one indicator's figure for a unit on a date (or over
// a period).
type IndicatorValue struct {
	IndicatorDef
	Value      float64 `json:"value"`
	NumeratorN int64   `json:"numerator"`
	DenomN     int64   `json:"denominator"`
	HasDenom   bool    `json:"-"`
	From       string  `json:"from,omitempty"` // period indicators: first day
	// Filled by Overview: the target that applies, the forecast against
	// it, and the monthly history the forecast is drawn from.
	Target   *Target        `json:"target,omitempty"`
	Forecast *Forecast      `json:"forecast,omitempty"`
	Status   ForecastStatus `json:"status,omitempty"`
	History  []Point        `json:"history,omitempty"`
}

// Figures are all indicators of one unit on one date.
type Figures struct {
	Unit     string                           `json:"unit"`
	UnitName string                           `json:"unit_name"` // in the tree of Date
	Date     Date                             `json:"date"`
	Values   map[IndicatorCode]IndicatorValue `json:"-"`
}

// Point is a value on a date (a month start, or the date asked).
type Point struct {
	Date  Date    `json:"date"`
	Value float64 `json:"value"`
}

// ForecastStatus is where a figure stands against its target.
type ForecastStatus string

// Forecast statuses (Forecast).
const (
	ForecastMet      ForecastStatus = "met"       // the value already meets the target
	ForecastOnTrack  ForecastStatus = "on_track"  // the projection meets it
	ForecastAtRisk   ForecastStatus = "at_risk"   // only the upper end of the band does
	ForecastOffTrack ForecastStatus = "off_track" // not even the upper end does
	ForecastMissed   ForecastStatus = "missed"    // the target's year is over and it was not met
	ForecastNoData   ForecastStatus = "no_data"   // a percentage without a denominator on the date: nothing to judge
)

// Label returns the name of a status in lang ("Đúng tiến độ"); the empty
// status has an empty name.
func (s ForecastStatus) Label(lang string) string {
	if s == "" {
		return ""
	}
	return labelOf(lang, "dash.status", string(s))
}

// Forecast projects the trend of the last months to the end of the
// target's year. Method (written down so the figure can be checked): an
// ordinary least-squares line through the monthly values of the last
// TrendMonths months (fewer if the history is shorter), projected to 31/12 of the
// target year; the range is the projection ± 1,64 standard errors of a new
// observation (a 90 % band). NeededPerMonth is the straight-line pace from
// today's value to the target by 31/12 of the target year. A target whose
// year is over is judged (met or missed) and has no forecast; a
// percentage without a denominator has no status but no_data.
type Forecast struct {
	AtYear         int            `json:"at_year"`
	Value          float64        `json:"value"`
	Low            float64        `json:"low"`
	High           float64        `json:"high"`
	Status         ForecastStatus `json:"status"`
	StatusLabel    string         `json:"status_label"` // Vietnamese, kept in frozen reports as it was printed
	NeededPerMonth float64        `json:"needed_per_month"`
	Months         int            `json:"months_used"` // month starts the trend was drawn through (at most TrendMonths)
	// ProjectedMeets tells whether the projection meets the target: a
	// status "met" (the value meets it today) beside a projection below it
	// must say so.
	ProjectedMeets bool `json:"projected_meets"`
}

// FigureSide is a side of a figure whose records can be listed.
type FigureSide string

// Sides of a figure.
const (
	SideNumerator   FigureSide = "numerator"
	SideDenominator FigureSide = "denominator"
	SideGap         FigureSide = "gap" // in the denominator but not the numerator: the work left to do
)

// RecordKind is what a list behind a figure holds.
type RecordKind string

// Record kinds.
const (
	RecordMember   RecordKind = "member"
	RecordEmployer RecordKind = "employer"
	RecordUnit     RecordKind = "unit"
)

// RecordKindOf returns the kind of records behind a side of an indicator.
// Member lists are personal data: monitors get EFORBIDDEN for them, and a
// page offers them links only when the user may open them.
func RecordKindOf(code IndicatorCode, side FigureSide) RecordKind {
	switch code {
	case IndicatorMembers, IndicatorMembersAdmitted, IndicatorMembersLeft:
		return RecordMember
	case IndicatorWorkerMembership:
		if side == SideNumerator || side == "" {
			return RecordMember
		}
		return RecordEmployer
	case IndicatorEmployers15Union:
		return RecordEmployer
	}
	return RecordUnit
}

// FigureRecord is one row behind a figure: a member, an employer or a union.
type FigureRecord struct {
	Kind     RecordKind `json:"kind"`
	ID       int64      `json:"id"`
	Code     string     `json:"code,omitempty"`
	Name     string     `json:"name"`
	UnitCode string     `json:"unit_code,omitempty"`
	UnitName string     `json:"unit_name,omitempty"`
	Workers  int64      `json:"workers,omitempty"`
	Date     string     `json:"date,omitempty"`
}

// RecordQuery selects the records behind one side of a figure: the
// indicator of the unit's subtree on Date (zero: today), period indicators
// from From (zero: 1 January of Date's year).
type RecordQuery struct {
	Indicator IndicatorCode
	Unit      string
	Date      Date
	From      Date
	Side      FigureSide // "" is the numerator
	Limit     int        // 50 by default, 500 at most
	Offset    int
}

// IndicatorService computes the plan's indicators for any unit's subtree
// on any date, with the tree of that date. A unit outside the caller's
// scope is ENOTFOUND; a date in the future or before the data, or a unit
// that did not exist on the date, EINVALID.
type IndicatorService interface {
	// Figures returns every indicator of the unit on d (zero: today);
	// period indicators count from `from` (zero: 1 January of d's year).
	Figures(ctx context.Context, unitCode string, d, from Date) (*Figures, error)
	// Overview is Figures with each state indicator's applicable target,
	// forecast and monthly history.
	Overview(ctx context.Context, unitCode string, d, from Date) (*Figures, error)
	// ChildFigures returns the figures of the unit's children on d.
	ChildFigures(ctx context.Context, unitCode string, d, from Date) ([]*Figures, error)
	// FindFigureRecords lists a page of the records behind one side of a
	// figure, with their total: exactly the rows the figure counts.
	// Member records are personal data: monitors get EFORBIDDEN.
	FindFigureRecords(ctx context.Context, q RecordQuery) ([]*FigureRecord, int, error)
	// EmployerMin is the workforce from which the plan counts an employer
	// (the employers_15plus indicator's threshold).
	EmployerMin() int
}
