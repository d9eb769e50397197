package indicator

import (
	"context"
	"fmt"

	"congdoan"
)

// firstDay is the first date with data: the demo history and the plan's
// monitoring start on 1/1/2021.
var firstDay = congdoan.NewDate(2021, 1, 1)

// checkDate refuses dates in the future or before the data.
func (e *Engine) checkDate(d congdoan.Date) (congdoan.Date, error) {
	today := e.db.Today()
	if d.IsZero() {
		return today, nil
	}
	if d.After(today) {
		return d, congdoan.FieldError("date", fmt.Sprintf("Ngày %s ở tương lai: chỉ tính được chỉ tiêu đến hôm nay (%s).", d.VN(), today.VN()))
	}
	if d.Before(firstDay) {
		return d, congdoan.FieldError("date", fmt.Sprintf("Ngày %s trước khi có dữ liệu (từ %s).", d.VN(), firstDay.VN()))
	}
	return d, nil
}

// unitOn returns the unit id of code in the tree of f's date, checking
// that the caller may see the unit.
func (e *Engine) unitOn(ctx context.Context, f *dayFigures, code string) (int64, error) {
	u, err := e.db.UnitInScope(ctx, code)
	if err != nil {
		return 0, err
	}
	id, ok := f.byCode[u.Code]
	if !ok {
		return 0, congdoan.Errorf(congdoan.EINVALID, "%s chưa được thành lập hoặc đã thôi hoạt động vào ngày %s.", u.Name, f.date.VN())
	}
	return id, nil
}

// Figures returns every indicator for the unit's subtree on date d (zero:
// today); period indicators count from `from` (zero: 1 January of d's
// year) to d.
func (e *Engine) Figures(ctx context.Context, code string, d, from congdoan.Date) (*Figures, error) {
	// Scope first: outside it, the answer must not depend on the date.
	if _, err := e.db.UnitInScope(ctx, code); err != nil {
		return nil, err
	}
	d, err := e.checkDate(d)
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = congdoan.NewDate(d.Year(), 1, 1)
	}
	if from.After(d) {
		return nil, congdoan.FieldError("from", "Ngày đầu kỳ phải trước ngày cuối kỳ.")
	}
	f, err := e.day(ctx, d)
	if err != nil {
		return nil, err
	}
	id, err := e.unitOn(ctx, f, code)
	if err != nil {
		return nil, err
	}
	t := f.total[id]
	out := &Figures{Unit: code, Date: d, Values: map[string]Value{}}
	set := func(code string, num, den int64, hasDen bool) {
		def, _ := Lookup(code)
		v := Value{Def: def, NumeratorN: num, DenomN: den, HasDenom: hasDen, Value: float64(num)}
		if def.Percent {
			v.Value = pct(num, den)
		}
		if def.Period {
			v.From = from.String()
		}
		out.Values[code] = v
	}
	set(Members, t.members, 0, false)
	set(Employers15Union, t.empUnion, t.emp, true)
	set(CBACoverage, t.cbaCovered, t.cbaEligible, true)
	set(WorkerMembership, t.membersAtEmployerUnions, t.workersUnionised, true)
	ev, err := memo(e, fmt.Sprintf("period|%d|%s|%s", id, from, d), func() (map[string]int64, error) {
		return e.periodCounts(ctx, f.subtree(id), from, d)
	})
	if err != nil {
		return nil, err
	}
	for _, c := range []string{MembersAdmitted, MembersLeft, UnionsFounded, UnionsDissolved} {
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
func (e *Engine) periodCounts(ctx context.Context, sub map[int64]bool, from, to congdoan.Date) (map[string]int64, error) {
	out := map[string]int64{}
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

var periodCodes = [4]string{MembersAdmitted, MembersLeft, UnionsFounded, UnionsDissolved}

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
	e.mu.Lock()
	e.checkGeneration()
	if m, ok := e.events[key]; ok {
		e.mu.Unlock()
		return m, nil
	}
	gen := e.gen
	e.mu.Unlock()
	m := &monthEvents{to: to, units: map[int64]*[4]int64{}}
	for i, q := range [4]string{
		`SELECT unit_id, COUNT(*) FROM memberships WHERE valid_from >= ? AND valid_from <= ? AND start_reason IN ('admitted', 'readmitted') GROUP BY unit_id`,
		`SELECT unit_id, COUNT(*) FROM memberships WHERE valid_to >= ? AND valid_to <= ? AND end_reason IN ('left', 'retired', 'expelled', 'deceased') GROUP BY unit_id`,
		`SELECT id, COUNT(*) FROM units WHERE founded_on >= ? AND founded_on <= ? AND kind IN ('grassroots', 'informal_union') GROUP BY id`,
		// A dissolved union has left the tree: it counts under its last parent.
		`SELECT parent_id, COUNT(*) FROM units WHERE dissolved_on >= ? AND dissolved_on <= ? AND kind IN ('grassroots', 'informal_union') AND parent_id IS NOT NULL GROUP BY parent_id`,
	} {
		rows, err := e.q(ctx, q, from.String(), to.String())
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			c := m.units[id]
			if c == nil {
				c = new([4]int64)
				m.units[id] = c
			}
			c[i] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	e.reads.eventMonths++
	// Kept only when no write since the read could have changed it.
	if ch, _ := e.db.ChangesSince(gen); ch.Kinds&treeKinds == 0 && !ch.Affects(memberKinds, to) {
		if len(e.events) > 1024 {
			e.events = map[string]*monthEvents{} // a simple bound: dashboards and reports ask for few periods
		}
		e.events[key] = m
	}
	e.mu.Unlock()
	return m, nil
}

// ChildFigures returns the figures of the unit's children on d, for
// drill-down and reports.
func (e *Engine) ChildFigures(ctx context.Context, code string, d, from congdoan.Date) ([]*Figures, error) {
	if _, err := e.db.UnitInScope(ctx, code); err != nil {
		return nil, err
	}
	d, err := e.checkDate(d)
	if err != nil {
		return nil, err
	}
	f, err := e.day(ctx, d)
	if err != nil {
		return nil, err
	}
	id, err := e.unitOn(ctx, f, code)
	if err != nil {
		return nil, err
	}
	var out []*Figures
	for _, c := range f.kids[id] {
		fig, err := e.Figures(ctx, f.units[c].code, d, from)
		if err != nil {
			return nil, err
		}
		out = append(out, fig)
	}
	return out, nil
}

// UnitName returns the name of a unit in the tree of d, for labels.
func (e *Engine) UnitName(ctx context.Context, code string, d congdoan.Date) string {
	f, err := e.day(ctx, d)
	if err != nil {
		return code
	}
	if id, ok := f.byCode[code]; ok {
		return f.units[id].name
	}
	return code
}
