package indicator

import (
	"cmp"
	"context"
	"slices"

	"congdoan/store"
)

// The employer part of a date — employers with 15 or more workers, with a
// union, workers at employers with a union, unions that bargain and those
// covered by an agreement — is computed in memory from the employer facts:
// every employer's status, sector and responsible unit, its dated
// headcounts and responsibilities, its grassroots unions' dates and their
// agreements. The engine reads them once (a handful of plain table reads,
// no correlated subquery), computes any date from them, and after a write
// that lists the employers it touched re-reads only theirs: the cached
// dates get what those employers contribute now minus what they
// contributed before.

// dayNum is a date as yyyymmdd (store.DayNum): ISO dates compare as these
// numbers do.
type dayNum = store.DayNum

// span is a range of rows of one employer (or union) in a facts array.
type span struct{ off, n int32 }

type empRow struct {
	id       int64
	unit     int64 // employers.unit_id: responsible where no dated row says otherwise
	active   bool  // status 'active': counted in the employer indicators
	bargains bool  // not an administrative agency: its unions count for CBA coverage
	heads    span  // headcounts, by date
	unions   span  // grassroots unions, by id
	resp     span  // responsibilities (employer_units), by valid_from
}

type headRow struct {
	asOf    dayNum
	workers int32
}

type unionRow struct {
	id       int64
	from, to dayNum // founded_on, dissolved_on (exclusive)
	agr      span   // its agreements, by valid_from
}

type respRow struct {
	unit     int64
	from, to dayNum // exclusive end
}

type agrRow struct{ from, to dayNum } // inclusive end

// empFacts are the facts of a set of employers, sorted by id, in flat
// arrays (a national registry has a million employers).
type empFacts struct {
	emps   []empRow
	heads  []headRow
	unions []unionRow
	resp   []respRow
	agr    []agrRow
}

// find returns the index of employer id, or -1.
func (f *empFacts) find(id int64) int {
	i, ok := slices.BinarySearchFunc(f.emps, id, func(e empRow, id int64) int { return cmp.Compare(e.id, id) })
	if !ok {
		return -1
	}
	return i
}

// appendFrom copies employer i of src to the end of f.
func (f *empFacts) appendFrom(src *empFacts, i int) {
	e := src.emps[i]
	e.heads = span{int32(len(f.heads)), e.heads.n}
	f.heads = append(f.heads, src.heads[src.emps[i].heads.off:][:e.heads.n]...)
	e.resp = span{int32(len(f.resp)), e.resp.n}
	f.resp = append(f.resp, src.resp[src.emps[i].resp.off:][:e.resp.n]...)
	e.unions = span{int32(len(f.unions)), e.unions.n}
	for _, g := range src.unions[src.emps[i].unions.off:][:e.unions.n] {
		a := g.agr
		g.agr = span{int32(len(f.agr)), a.n}
		f.agr = append(f.agr, src.agr[a.off:][:a.n]...)
		f.unions = append(f.unions, g)
	}
	f.emps = append(f.emps, e)
}

// add adds sign × what employer i contributes on day d to out, by unit:
// when active and with a headcount on or before d, it counts under its
// grassroots union on d (the lowest id), else under the unit responsible
// for its area on d, else under employers.unit_id — with ≥ min workers, and
// with a union; when it bargains, each of its unions active on d is
// eligible for CBA coverage, covered when an agreement is in force on d.
func (f *empFacts) add(out map[int64]*counts, i int, d dayNum, min int64, sign int64) {
	at := func(id int64) *counts {
		c := out[id]
		if c == nil {
			c = &counts{}
			out[id] = c
		}
		return c
	}
	e := &f.emps[i]
	unions := f.unions[e.unions.off:][:e.unions.n]
	if e.active {
		var workers int64 = -1
		for _, h := range f.heads[e.heads.off:][:e.heads.n] {
			if h.asOf > d {
				break
			}
			workers = int64(h.workers)
		}
		if workers >= 0 {
			unit, withUnion := e.unit, false
			for _, g := range unions {
				if g.from <= d && d < g.to {
					unit, withUnion = g.id, true
					break
				}
			}
			if !withUnion {
				for _, r := range f.resp[e.resp.off:][:e.resp.n] {
					if r.from <= d && d < r.to {
						unit = r.unit
						break
					}
				}
			}
			t := at(unit)
			if withUnion {
				t.workersUnionised += sign * workers
			}
			if workers >= min {
				t.emp += sign
				if withUnion {
					t.empUnion += sign
				}
			}
		}
	}
	if !e.bargains {
		return
	}
	for _, g := range unions {
		if g.from > d || d >= g.to {
			continue
		}
		t := at(g.id)
		t.cbaEligible += sign
		for _, a := range f.agr[g.agr.off:][:g.agr.n] {
			if a.from <= d && d <= a.to {
				t.cbaCovered += sign
				break
			}
		}
	}
}

// employerFacts are the facts of every employer: a base read in full and
// the employers re-read since (over), which replace their base rows. The
// engine changes them only under its lock.
type employerFacts struct {
	base, over *empFacts
}

// overMin is the number of re-read employers over holds before it is
// merged into base (tests lower it); over may also grow to a sixteenth of
// base.
var overMin = 1024

// compactAt is the size of over from which it is merged into base.
func (x *employerFacts) compactAt() int { return overMin + len(x.base.emps)/16 }

// each calls fn for every employer: the rows of over in place of base's.
func (x *employerFacts) each(fn func(f *empFacts, i int)) {
	b, o := x.base, x.over
	j := 0
	for i := range b.emps {
		for j < len(o.emps) && o.emps[j].id < b.emps[i].id {
			fn(o, j)
			j++
		}
		if j < len(o.emps) && o.emps[j].id == b.emps[i].id {
			continue // re-read: taken from over
		}
		fn(b, i)
	}
	for ; j < len(o.emps); j++ {
		fn(o, j)
	}
}

// lookup returns where employer id's facts are, or nil.
func (x *employerFacts) lookup(id int64) (*empFacts, int) {
	if i := x.over.find(id); i >= 0 {
		return x.over, i
	}
	if i := x.base.find(id); i >= 0 {
		return x.base, i
	}
	return nil, 0
}

// contributions returns each unit's direct employer and agreement
// contributions on d.
func (x *employerFacts) contributions(d dayNum, min int64) map[int64]*counts {
	out := map[int64]*counts{}
	x.each(func(f *empFacts, i int) { f.add(out, i, d, min, 1) })
	return out
}

// delta adds to out what the employers ids contribute on d with the facts
// n (their new facts) minus what they contribute with x.
func (x *employerFacts) delta(out map[int64]*counts, ids []int64, n *empFacts, d dayNum, min int64) {
	for _, id := range ids {
		if f, i := x.lookup(id); f != nil {
			f.add(out, i, d, min, -1)
		}
		if i := n.find(id); i >= 0 {
			n.add(out, i, d, min, 1)
		}
	}
}

// replace puts n in place of the facts of the employers ids (sorted; an
// id n lacks no longer contributes).
func (x *employerFacts) replace(ids []int64, n *empFacts) {
	over := &empFacts{}
	o, j := x.over, 0
	for i := range o.emps {
		id := o.emps[i].id
		for j < len(ids) && ids[j] < id {
			if k := n.find(ids[j]); k >= 0 {
				over.appendFrom(n, k)
			} else {
				over.emps = append(over.emps, empRow{id: ids[j]})
			}
			j++
		}
		if j < len(ids) && ids[j] == id {
			continue // replaced: the new facts go in before the next larger id, or at the end
		}
		over.appendFrom(o, i)
	}
	for ; j < len(ids); j++ {
		if k := n.find(ids[j]); k >= 0 {
			over.appendFrom(n, k)
		} else {
			over.emps = append(over.emps, empRow{id: ids[j]})
		}
	}
	x.over = over
	if len(over.emps) >= x.compactAt() {
		base := &empFacts{}
		x.each(func(f *empFacts, i int) { base.appendFrom(f, i) })
		x.base, x.over = base, &empFacts{}
	}
}

// readFacts reads the facts of every employer (all) or of the employers
// ids, and groups them by employer (agreements by union) in id order.
func (e *Engine) readFacts(ctx context.Context, all bool, ids []int64) (*empFacts, error) {
	if !all && len(ids) == 0 {
		return &empFacts{}, nil
	}
	if all {
		ids = nil
	}
	in, err := e.src.ReadEmployerFacts(ctx, ids)
	if err != nil {
		return nil, err
	}
	emps := make([]empRow, len(in.Employers))
	for i, r := range in.Employers {
		emps[i] = empRow{id: r.ID, unit: r.Unit, active: r.Active, bargains: r.Bargains}
	}
	heads, unions, resp, agrs := in.Headcounts, in.Unions, in.Units, in.Agreements
	slices.SortFunc(emps, func(a, b empRow) int { return cmp.Compare(a.id, b.id) })
	slices.SortFunc(heads, func(a, b store.HeadcountFact) int {
		return cmp.Or(cmp.Compare(a.Employer, b.Employer), cmp.Compare(a.AsOf, b.AsOf))
	})
	slices.SortFunc(unions, func(a, b store.UnionFact) int {
		return cmp.Or(cmp.Compare(a.Employer, b.Employer), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(resp, func(a, b store.ResponsibleFact) int {
		return cmp.Or(cmp.Compare(a.Employer, b.Employer), cmp.Compare(a.From, b.From))
	})
	slices.SortFunc(agrs, func(a, b store.AgreementFact) int {
		return cmp.Or(cmp.Compare(a.Union, b.Union), cmp.Compare(a.From, b.From))
	})
	agrOf := map[int64]span{}
	for i := 0; i < len(agrs); {
		j := i
		for j < len(agrs) && agrs[j].Union == agrs[i].Union {
			j++
		}
		agrOf[agrs[i].Union] = span{int32(i), int32(j - i)}
		i = j
	}
	f := &empFacts{emps: emps, heads: make([]headRow, 0, len(heads)), unions: make([]unionRow, 0, len(unions)),
		resp: make([]respRow, 0, len(resp))}
	var hi, ui, ri int
	for k := range f.emps {
		r := &f.emps[k]
		for hi < len(heads) && heads[hi].Employer < r.id {
			hi++
		}
		r.heads.off = int32(len(f.heads))
		for ; hi < len(heads) && heads[hi].Employer == r.id; hi++ {
			f.heads = append(f.heads, headRow{asOf: heads[hi].AsOf, workers: heads[hi].Workers})
		}
		r.heads.n = int32(len(f.heads)) - r.heads.off
		for ri < len(resp) && resp[ri].Employer < r.id {
			ri++
		}
		r.resp.off = int32(len(f.resp))
		for ; ri < len(resp) && resp[ri].Employer == r.id; ri++ {
			f.resp = append(f.resp, respRow{unit: resp[ri].Unit, from: resp[ri].From, to: resp[ri].To})
		}
		r.resp.n = int32(len(f.resp)) - r.resp.off
		for ui < len(unions) && unions[ui].Employer < r.id {
			ui++
		}
		r.unions.off = int32(len(f.unions))
		for ; ui < len(unions) && unions[ui].Employer == r.id; ui++ {
			g := unionRow{id: unions[ui].ID, from: unions[ui].From, to: unions[ui].To}
			a := agrOf[g.id]
			g.agr = span{int32(len(f.agr)), a.n}
			for _, x := range agrs[a.off:][:a.n] {
				f.agr = append(f.agr, agrRow{from: x.From, to: x.To})
			}
			f.unions = append(f.unions, g)
		}
		r.unions.n = int32(len(f.unions)) - r.unions.off
	}
	return f, nil
}

// unionEmployers returns the employers of the grassroots unions ids.
func (e *Engine) unionEmployers(ctx context.Context, ids []int64) ([]int64, error) {
	return e.src.UnionEmployers(ctx, ids)
}
