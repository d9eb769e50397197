package indicator

import (
	"context"
	"fmt"

	"congdoan"
	"congdoan/store"
)

// FirstDay is the first date with data: the demo history and the plan's
// monitoring start on 1/1/2021.
var FirstDay = congdoan.NewDate(2021, 1, 1)

// checkDate refuses dates in the future or before the data; zero is today.
func (e *Engine) checkDate(d congdoan.Date) (congdoan.Date, error) {
	today := e.src.Today()
	if d.IsZero() {
		return today, nil
	}
	if d.After(today) {
		return d, congdoan.FieldError("date", fmt.Sprintf("Ngày %s ở tương lai: chỉ tính được chỉ tiêu đến hôm nay (%s).", d.VN(), today.VN()))
	}
	if d.Before(FirstDay) {
		return d, congdoan.FieldError("date", fmt.Sprintf("Ngày %s trước khi có dữ liệu (từ %s).", d.VN(), FirstDay.VN()))
	}
	return d, nil
}

// unitOn returns the id of the unit u in the tree of f's date.
func unitOn(f *dayFigures, u *congdoan.Unit) (int64, error) {
	id, ok := f.byCode[u.Code]
	if !ok {
		return 0, congdoan.Errorf(congdoan.EINVALID, "%s chưa được thành lập hoặc đã thôi hoạt động vào ngày %s.", u.Name, f.date.VN())
	}
	return id, nil
}

// request checks a request for a unit's figures: the unit in the caller's
// scope first (outside it, the answer must not depend on the date), then
// the date, and returns the date's figures, the caller's view of them
// (scope.go) and the unit's id in them.
func (e *Engine) request(ctx context.Context, code string, d congdoan.Date) (*dayFigures, *view, int64, error) {
	u, err := e.src.UnitInScope(ctx, code)
	if err != nil {
		return nil, nil, 0, err
	}
	if d, err = e.checkDate(d); err != nil {
		return nil, nil, 0, err
	}
	f, err := e.day(ctx, d)
	if err != nil {
		return nil, nil, 0, err
	}
	id, err := unitOn(f, u)
	if err != nil {
		return nil, nil, 0, err
	}
	v, err := e.viewFor(ctx, f)
	return f, v, id, err
}

// Figures implements congdoan.IndicatorService.
func (e *Engine) Figures(ctx context.Context, code string, d, from congdoan.Date) (*congdoan.Figures, error) {
	f, v, id, err := e.request(ctx, code, d)
	if err != nil {
		return nil, err
	}
	return e.figures(ctx, f, v, id, from)
}

// figures are the indicators of unit id in f as view v sees them, period
// indicators from `from` (zero: 1 January of the date's year) to the date.
func (e *Engine) figures(ctx context.Context, f *dayFigures, v *view, id int64, from congdoan.Date) (*congdoan.Figures, error) {
	d := f.date
	if from.IsZero() {
		from = congdoan.NewDate(d.Year(), 1, 1)
	}
	if from.After(d) {
		return nil, congdoan.FieldError("from", "Ngày đầu kỳ phải trước ngày cuối kỳ.")
	}
	t := v.total(f, id)
	u := f.units[id]
	out := &congdoan.Figures{Unit: u.code, UnitName: u.name, Date: d, Values: map[congdoan.IndicatorCode]congdoan.IndicatorValue{}}
	set := func(code congdoan.IndicatorCode, num, den int64, hasDen bool) {
		def, _ := congdoan.LookupIndicator(code)
		v := congdoan.IndicatorValue{IndicatorDef: def, NumeratorN: num, DenomN: den, HasDenom: hasDen, Value: float64(num)}
		if def.Percent {
			v.Value = pct(num, den)
		}
		if def.Period {
			v.From = from.String()
		}
		out.Values[code] = v
	}
	set(congdoan.IndicatorMembers, t.members, 0, false)
	set(congdoan.IndicatorEmployers15Union, t.empUnion, t.emp, true)
	set(congdoan.IndicatorCBACoverage, t.cbaCovered, t.cbaEligible, true)
	set(congdoan.IndicatorWorkerMembership, t.membersAtEmployerUnions, t.workersUnionised, true)
	var root int64
	if v != nil && v.tainted[id] {
		root, _ = e.src.ScopeRoot(ctx)
	}
	ev, err := memo(e, fmt.Sprintf("period|%d|%s|%s|%d", id, from, d, root), func() (map[congdoan.IndicatorCode]int64, error) {
		return e.periodCounts(ctx, v.subtree(f, id), from, d)
	})
	if err != nil {
		return nil, err
	}
	for _, c := range periodCodes {
		set(c, ev[c], 0, false)
	}
	return out, nil
}

// subtree returns the ids of id's subtree in the tree of f's date.
func (f *dayFigures) subtree(id int64) map[int64]bool {
	out := map[int64]bool{}
	var walk func(int64)
	walk = func(u int64) {
		out[u] = true
		for _, c := range f.kids[u] {
			walk(c)
		}
	}
	walk(id)
	return out
}

// periodCounts counts the events of the period [from, to] in the units of
// sub, from the per-unit counts of each month of the period.
func (e *Engine) periodCounts(ctx context.Context, sub map[int64]bool, from, to congdoan.Date) (map[congdoan.IndicatorCode]int64, error) {
	out := map[congdoan.IndicatorCode]int64{}
	for a := from; !a.After(to); {
		next := congdoan.DateOf(monthStart(a).Time().AddDate(0, 1, 0))
		b := congdoan.DateOf(next.Time().AddDate(0, 0, -1))
		if b.After(to) {
			b = to
		}
		m, err := e.monthEvents(ctx, a, b)
		if err != nil {
			return nil, err
		}
		for id, c := range m.units {
			if sub[id] {
				for i, code := range periodCodes {
					out[code] += c[i]
				}
			}
		}
		a = next
	}
	return out, nil
}

// periodCodes are the period indicators in the order of store.PeriodEvents'
// counts (store.EventAdmitted …).
var periodCodes = [4]congdoan.IndicatorCode{
	store.EventAdmitted:  congdoan.IndicatorMembersAdmitted,
	store.EventLeft:      congdoan.IndicatorMembersLeft,
	store.EventFounded:   congdoan.IndicatorUnionsFounded,
	store.EventDissolved: congdoan.IndicatorUnionsDissolved,
}

// monthStart returns the first day of d's month.
func monthStart(d congdoan.Date) congdoan.Date {
	return congdoan.NewDate(d.Year(), d.Time().Month(), 1)
}

// monthEvents are the events of [from, to], within one calendar month,
// directly in each unit.
type monthEvents struct {
	to    congdoan.Date
	units map[int64]*[4]int64
}

// monthEvents returns the events of [from, to] (within one month) per unit:
// one grouped read, kept until a write changes a date in it, and shared by
// every unit's figures (a drill-down into 63 provinces reads once).
func (e *Engine) monthEvents(ctx context.Context, from, to congdoan.Date) (*monthEvents, error) {
	key := from.String() + "|" + to.String()
	gen := e.checked()
	e.cache.Lock()
	m, ok := e.events[key]
	e.cache.Unlock()
	if ok {
		return m, nil
	}
	units, err := e.src.PeriodEvents(ctx, from, to)
	if err != nil {
		return nil, err
	}
	m = &monthEvents{to: to, units: units}
	e.cache.Lock()
	e.reads.eventMonths++
	// Kept only when no write since the read could have changed it.
	if ch, _ := e.src.ChangesSince(gen); ch.Kinds&treeKinds == 0 && !ch.Affects(memberKinds, to) {
		if len(e.events) > 1024 {
			e.events = map[string]*monthEvents{} // a simple bound: dashboards and reports ask for few periods
		}
		e.events[key] = m
	}
	e.cache.Unlock()
	return m, nil
}

// ChildFigures implements congdoan.IndicatorService.
func (e *Engine) ChildFigures(ctx context.Context, code string, d, from congdoan.Date) ([]*congdoan.Figures, error) {
	f, v, id, err := e.request(ctx, code, d)
	if err != nil {
		return nil, err
	}
	var out []*congdoan.Figures
	for _, c := range f.kids[id] {
		if !v.keeps(c) {
			continue // a child the caller's scope no longer holds
		}
		fig, err := e.figures(ctx, f, v, c, from)
		if err != nil {
			return nil, err
		}
		out = append(out, fig)
	}
	return out, nil
}

// FindFigureRecords implements congdoan.IndicatorService: the date checked
// as for the figures, the list from the store's plain SQL.
func (e *Engine) FindFigureRecords(ctx context.Context, q congdoan.RecordQuery) ([]*congdoan.FigureRecord, int, error) {
	if _, ok := congdoan.LookupIndicator(q.Indicator); !ok {
		return nil, 0, congdoan.Errorf(congdoan.ENOTFOUND, "Không có chỉ tiêu mã %q. Các mã: %s.", q.Indicator, congdoan.IndicatorCodeList())
	}
	if _, err := e.src.UnitInScope(ctx, q.Unit); err != nil {
		return nil, 0, err
	}
	var err error
	if q.Date, err = e.checkDate(q.Date); err != nil {
		return nil, 0, err
	}
	return e.src.FindFigureRecords(ctx, q, e.EmployerMin())
}
