package congdoan

import (
	"context"
	"fmt"
)

// Plan is a plan file: a plan's targets with the plan's own words. The
// numbers of qualitative targets ("cơ bản", "hầu hết") are the federation's
// reading, kept apart from the wording and editable.
type Plan struct {
	Code               string       `json:"code"`
	Title              string       `json:"title"`
	Unit               string       `json:"unit"`
	Version            int          `json:"version"`
	EmployerMinWorkers int          `json:"employer_min_workers"`
	Targets            []PlanTarget `json:"targets"`
}

// PlanTarget is one target of a plan file.
type PlanTarget struct {
	Indicator   IndicatorCode `json:"indicator"`
	Year        int           `json:"year"`
	Value       float64       `json:"value"`
	Comparator  string        `json:"comparator"`
	Wording     string        `json:"wording"`
	Qualitative string        `json:"qualitative,omitempty"`
	Reading     string        `json:"reading,omitempty"`
}

// Validate checks a plan file's targets: known indicators and comparators.
func (p *Plan) Validate() error {
	if p.Code == "" || p.Unit == "" {
		return fmt.Errorf("plan needs a code and a unit")
	}
	for i, t := range p.Targets {
		if _, ok := LookupIndicator(t.Indicator); !ok {
			return fmt.Errorf("target %d: unknown indicator %q", i+1, t.Indicator)
		}
		if !validComparator(t.Comparator) {
			return fmt.Errorf("target %d: comparator %q", i+1, t.Comparator)
		}
	}
	return nil
}

func validComparator(c string) bool { return c == ">" || c == ">=" || c == "<" || c == "<=" }

// Target is a target as stored: for a unit, a year, possibly allocated
// from a parent unit's target.
type Target struct {
	ID          int64         `json:"id"`
	Plan        string        `json:"plan"`
	Indicator   IndicatorCode `json:"indicator"`
	UnitCode    string        `json:"unit"`
	Year        int           `json:"year"`
	Value       float64       `json:"value"`
	Comparator  string        `json:"comparator"`
	Wording     string        `json:"wording,omitempty"`
	Qualitative string        `json:"qualitative,omitempty"`
	Reading     string        `json:"reading,omitempty"`
	ParentID    int64         `json:"parent_id,omitempty"`
	Inherited   string        `json:"inherited_from,omitempty"` // the merged unit whose plan this continues
	InheritedOn Date          `json:"inherited_on,omitzero"`    // the day that unit merged into this one
}

// Predecessor is a unit merged into another: its history continues in the
// successor's from MergedOn.
type Predecessor struct {
	Code, Name string
	MergedOn   Date
}

// Meets reports whether v satisfies the target.
func (t *Target) Meets(v float64) bool {
	switch t.Comparator {
	case ">":
		return v > t.Value
	case ">=":
		return v >= t.Value
	case "<":
		return v < t.Value
	case "<=":
		return v <= t.Value
	}
	return false
}

// ApplicableTarget returns the target of code for year among targets: the
// first target year not before it, else (every target year has passed) the
// last one, which must still be held.
func ApplicableTarget(targets []*Target, code IndicatorCode, year int) *Target {
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

// Allocation is the state of a parent target's allocation to its children.
type Allocation struct {
	ParentID  int64         `json:"parent_id"`
	Indicator IndicatorCode `json:"indicator"`
	Year      int           `json:"year"`
	Parent    float64       `json:"parent_value"`
	Allocated float64       `json:"allocated_sum"`
	Children  int           `json:"children"`
	AddsUp    bool          `json:"adds_up"`
	Additive  bool          `json:"additive"`
	Message   string        `json:"message"`
}

// Summarize fills AddsUp and Message from the sums: a percentage has a
// level of its own at every unit; a count must add up to the parent's.
func (a *Allocation) Summarize() {
	def, _ := LookupIndicator(a.Indicator)
	a.Additive = def.Additive
	switch {
	case !def.Additive:
		a.AddsUp, a.Message = true, "Chỉ tiêu tỷ lệ: mỗi đơn vị có mức riêng, không cộng dồn."
	case a.Allocated == a.Parent:
		a.AddsUp, a.Message = true, "Tổng chỉ tiêu đã giao bằng chỉ tiêu của đơn vị cấp trên."
	default:
		a.AddsUp = false
		a.Message = fmt.Sprintf("Tổng chỉ tiêu đã giao cho %d đơn vị là %s, chỉ tiêu của đơn vị cấp trên là %s: còn chênh %s.",
			a.Children, FormatNumber(a.Allocated), FormatNumber(a.Parent), FormatNumber(a.Parent-a.Allocated))
	}
}

// TargetService reads plan targets and hands them down the tree.
type TargetService interface {
	// FindTargets returns the targets of a unit, including those of units
	// merged into it (a merged province's plan goes on in its successor
	// until a new plan replaces it), by indicator and year. ENOTFOUND
	// outside the caller's scope.
	FindTargets(ctx context.Context, unitCode string) ([]*Target, error)
	// AllocateTarget sets the target of a direct child of the target's
	// unit for the same plan, indicator and year, and reports whether the
	// children's targets of an additive indicator now add up. Only
	// province and upper officers allocate (EFORBIDDEN), within their
	// scope; a unit that is not a direct child is EINVALID.
	AllocateTarget(ctx context.Context, parentTargetID int64, childCode string, value float64) (*Allocation, error)
}
