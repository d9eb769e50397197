// Package indicator computes the plan's indicators (DESIGN.md §4) for any
// unit's subtree on any date, with the tree of that date, and lists the
// records behind every figure.
//
// A figure is numerator ÷ denominator (or a count). The engine computes, per
// date, each unit's *direct* contribution — from unit_counts for today and
// from monthly member snapshots plus the periods changed since for a past
// date (member rows are never scanned), and from employers, unions and
// agreements — then rolls them up over the tree of that date in memory.
// Results per date are kept; a write makes the engine re-read only the
// parts of the dates it can change (engine.go).
//
// Records (Records) are listed by plain SQL over the base tables with a
// recursive query for the subtree of that date: a different path to the
// same definition, which the tests compare figure by figure.
package indicator

import "congdoan"

// Codes of the indicators.
const (
	Members            = "members"
	Employers15Union   = "employers_15plus_with_union_pct"
	CBACoverage        = "cba_coverage_pct"
	WorkerMembership   = "worker_membership_pct"
	MembersAdmitted    = "members_admitted"
	MembersLeft        = "members_left"
	UnionsFounded      = "unions_founded"
	UnionsDissolved    = "unions_dissolved"
	defaultEmployerMin = 15
)

// Def describes an indicator: its name, unit, and what its numerator and
// denominator count — the words shown next to every figure.
type Def struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	UnitLabel   string `json:"unit_label"`
	Percent     bool   `json:"percent"`
	Period      bool   `json:"period"`   // counts events in a period rather than a state on a date
	Additive    bool   `json:"additive"` // children's targets must add up to the parent's
	Numerator   string `json:"numerator"`
	Denominator string `json:"denominator,omitempty"`
}

// Defs lists the indicators in display order.
var Defs = []Def{
	{Code: Members, Name: "Số đoàn viên công đoàn", UnitLabel: "người", Additive: true,
		Numerator: "Đoàn viên đang sinh hoạt tại các đơn vị thuộc phạm vi vào ngày tính"},
	{Code: Employers15Union, Name: "Tỷ lệ doanh nghiệp, đơn vị từ 15 lao động có công đoàn cơ sở", UnitLabel: "%", Percent: true,
		Numerator:   "Đơn vị sử dụng lao động đang hoạt động, có từ 15 lao động, đã có công đoàn cơ sở",
		Denominator: "Đơn vị sử dụng lao động đang hoạt động, có từ 15 lao động"},
	{Code: CBACoverage, Name: "Tỷ lệ công đoàn cơ sở có thỏa ước lao động tập thể còn hiệu lực", UnitLabel: "%", Percent: true,
		Numerator:   "Công đoàn cơ sở (trừ tại cơ quan hành chính nhà nước) có thỏa ước còn hiệu lực",
		Denominator: "Công đoàn cơ sở tại đơn vị có thương lượng tập thể (trừ cơ quan hành chính nhà nước)"},
	{Code: WorkerMembership, Name: "Tỷ lệ người lao động là đoàn viên tại đơn vị có công đoàn", UnitLabel: "%", Percent: true,
		Numerator:   "Đoàn viên của các công đoàn cơ sở gắn với đơn vị sử dụng lao động",
		Denominator: "Lao động tại các đơn vị sử dụng lao động đã có công đoàn cơ sở"},
	{Code: MembersAdmitted, Name: "Đoàn viên kết nạp mới", UnitLabel: "người", Period: true, Additive: true,
		Numerator: "Người được kết nạp (hoặc kết nạp lại) trong kỳ"},
	{Code: MembersLeft, Name: "Đoàn viên giảm (thôi sinh hoạt, nghỉ hưu, khai trừ, từ trần)", UnitLabel: "người", Period: true, Additive: true,
		Numerator: "Đoàn viên kết thúc sinh hoạt trong kỳ (không tính chuyển sinh hoạt, sáp nhập)"},
	{Code: UnionsFounded, Name: "Công đoàn cơ sở thành lập mới", UnitLabel: "đơn vị", Period: true, Additive: true,
		Numerator: "Công đoàn cơ sở, nghiệp đoàn thành lập trong kỳ"},
	{Code: UnionsDissolved, Name: "Công đoàn cơ sở giải thể, sáp nhập", UnitLabel: "đơn vị", Period: true, Additive: true,
		Numerator: "Công đoàn cơ sở, nghiệp đoàn giải thể hoặc sáp nhập trong kỳ"},
}

// Lookup returns the definition of code.
func Lookup(code string) (Def, bool) {
	for _, d := range Defs {
		if d.Code == code {
			return d, true
		}
	}
	return Def{}, false
}

// Value is one indicator's figure for a unit on a date (or over a period).
type Value struct {
	Def
	Value      float64 `json:"value"`
	NumeratorN int64   `json:"numerator"`
	DenomN     int64   `json:"denominator"`
	HasDenom   bool    `json:"-"`
	From       string  `json:"from,omitempty"` // period indicators: first day
	// Filled by Overview: the target that applies, the forecast against
	// it, and the monthly history the forecast is drawn from.
	Target   *Target   `json:"target,omitempty"`
	Forecast *Forecast `json:"forecast,omitempty"`
	Status   string    `json:"status,omitempty"`
	History  []Point   `json:"history,omitempty"`
}

// Figures are all indicators of one unit on one date.
type Figures struct {
	Unit   string           `json:"unit"`
	Date   congdoan.Date    `json:"date"`
	Values map[string]Value `json:"-"`
}

func pct(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) * 100 / float64(d)
}
