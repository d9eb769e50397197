package demo

import (
	"context"
	"math"
	"time"

	"congdoan"
	"congdoan/store"
)

// member is an active member during the simulation. Their person row is
// written on admission; the period is written when it ends, or at the end
// as an open period, so nothing but active members is held in memory.
type member struct {
	pid       int64
	uid       int64 // the union, or one of its sections or groups
	from      day
	retire    day
	start     uint8 // startAdmitted, startTransfer or startMerged
	nguyenVan bool
}

// How a period began.
const (
	startAdmitted uint8 = iota
	startTransfer
	startMerged
)

// Monthly probabilities of each way a period ends other than retirement
// (which follows the law) and transfer (which fills vacancies). Public
// servants rarely leave; enterprise workers turn over about a tenth a year.
type hazards struct{ death, expel, leave float64 }

func hazardOf(c class) hazards {
	switch c {
	case classPublic:
		return hazards{death: 0.00012, expel: 0.000004, leave: 0.0015}
	case classBusiness:
		return hazards{death: 0.00012, expel: 0.000004, leave: 0.0075}
	}
	return hazards{death: 0.00012, expel: 0.000004, leave: 0.006}
}

// target is the number of members u should have on t: its own, and from
// the day a union it absorbs ends, that union's share (reorg.go).
func (g *gen) target(u *union, t day) float64 {
	v := g.ownTarget(u, t, false)
	for _, a := range u.absorbs {
		if w := g.unions[a.u]; t >= w.closes {
			v += a.share * g.ownTarget(w, t, true)
		}
	}
	return v
}

// ownTarget is u's target without what it absorbs; past its end (when
// ended reports a union merged or dissolved in the reorganisation) it
// is what the union would have had.
func (g *gen) ownTarget(u *union, t day, ended bool) float64 {
	if t < u.founded || (!ended && u.closes != 0 && t >= u.closes) {
		return 0
	}
	var v float64
	if u.isNew {
		// A new union recruits the rest of its workers within a year.
		x := min(1, float64(t-u.founded)/365)
		v = u.tFirst + (u.tToday-u.tFirst)*x
	} else {
		x := float64(t-g.start) / float64(max(1, g.today-g.start))
		v = u.tStart + (u.tToday-u.tStart)*growthShape(x)
	}
	if u.closes != 0 && !u.reorg {
		// An enterprise that closes lays people off over its last 3 months.
		if left := u.closes - t; left < 90 {
			v *= float64(left) / 90
		}
	}
	return v
}

// placement picks where a new member sits: most members of a union with
// groups belong to one of them.
func (g *gen) placement(u *union) int64 {
	id, _ := g.placementFounded(u)
	return id
}

// placementFounded is placement with the founding day of the unit chosen.
func (g *gen) placementFounded(u *union) (int64, day) {
	if len(u.subs) > 0 && g.r.IntN(100) < 80 {
		s := u.subs[g.r.IntN(len(u.subs))]
		return s.id, s.founded
	}
	return u.id, u.founded
}

// admit adds a new member to u on on. A member of the stock of 1/1/2021
// (initial) was admitted earlier: on a day after their unit's founding and
// their eighteenth birthday, drawn so that long-serving members are as
// common as recent ones; a member too young for that joined on the day.
func (g *gen) admit(b *store.Bulk, u *union, on day, initial bool) error {
	bp, st := g.person(u, on, initial)
	pid, err := b.Person(bp)
	if err != nil {
		return err
	}
	g.persons++
	uid, founded := g.placementFounded(u)
	from := on
	if initial {
		earliest := max(founded, dayOf(bp.BirthDate)+6575+30)
		if earliest < on-1 {
			from = between(g.r, earliest, on-1)
		}
	}
	u.members = append(u.members, member{pid: pid, uid: uid, from: from, retire: st.retire, nguyenVan: st.nguyenVan})
	return nil
}

// end closes member i of u on on and removes it (swap with the last, which
// keeps the order deterministic).
func (g *gen) end(b *store.Bulk, u *union, i int, on day, reason congdoan.Reason) error {
	m := u.members[i]
	if err := g.period(b, m, on, reason); err != nil {
		return err
	}
	last := len(u.members) - 1
	u.members[i] = u.members[last]
	u.members = u.members[:last]
	return nil
}

func (g *gen) period(b *store.Bulk, m member, to day, reason congdoan.Reason) error {
	start := congdoan.StartAdmitted
	switch m.start {
	case startTransfer:
		start = congdoan.StartTransferIn
	case startMerged:
		start = congdoan.StartMerged
	}
	var toDate congdoan.Date
	if reason != "" {
		toDate = to.date()
	}
	g.periods++
	return b.Period(m.pid, m.uid, m.from.date(), toDate, start, reason)
}

// simulate writes the membership history: the stock of 1/1/2021, then
// month by month retirements, deaths, leavers, layoffs where a union
// shrinks or its enterprise closes, and vacancies filled up to each
// union's target by admissions or transfers within the district.
func (g *gen) simulate(ctx context.Context, b *store.Bulk) error {
	for _, i := range g.order {
		u := g.unions[i]
		if u.isNew {
			continue
		}
		for range int(math.Round(u.tStart)) {
			if err := g.admit(b, u, g.start, true); err != nil {
				return err
			}
		}
	}
	for ms := g.start; ms <= g.today; ms = ms.addMonths(1) {
		if err := ctx.Err(); err != nil {
			return err
		}
		me := min(ms.addMonths(1)-1, g.today)
		if ms == deptMerged() || ms == g.reorg {
			if err := g.reorganise(b, ms); err != nil {
				return err
			}
		}
		for _, i := range g.order {
			if err := g.month(b, g.unions[i], ms, me); err != nil {
				return err
			}
		}
	}
	for _, i := range g.order {
		for _, m := range g.unions[i].members {
			if err := g.period(b, m, 0, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// month runs one union through the month [ms, me].
func (g *gen) month(b *store.Bulk, u *union, ms, me day) error {
	if u.founded > me || (u.closes != 0 && u.closes < ms) {
		return nil
	}
	r := g.r
	last := me
	closing := u.closes != 0 && u.closes <= me
	if closing {
		last = u.closes - 1
	}
	first := ms
	if u.isNew && u.founded >= ms {
		first = u.founded
		for range int(math.Round(u.tFirst)) {
			if err := g.admit(b, u, u.founded, false); err != nil {
				return err
			}
		}
	}
	if last >= first {
		hz := hazardOf(u.cls)
		for i := 0; i < len(u.members); {
			m := &u.members[i]
			// Overdue retirements (someone who moved in after their union's
			// turn in the month they retired) are caught up here too.
			if m.retire <= last && m.retire > m.from {
				if err := g.end(b, u, i, m.retire, congdoan.EndRetired); err != nil {
					return err
				}
				continue
			}
			if m.from >= ms {
				i++
				continue
			}
			x := r.Float64()
			var reason congdoan.Reason
			switch {
			case x < hz.death:
				reason = congdoan.EndDeceased
			case x < hz.death+hz.expel:
				reason = congdoan.EndExpelled
			case x < hz.death+hz.expel+hz.leave:
				reason = congdoan.EndLeft
			}
			if reason == "" {
				i++
				continue
			}
			if err := g.end(b, u, i, between(r, ms, last), reason); err != nil {
				return err
			}
		}
		tgt := int(math.Round(g.target(u, last)))
		n := len(u.members)
		switch {
		case n > tgt+max(2, tgt/10) || (u.closes != 0 && !u.reorg && n > tgt):
			// Layoffs: the union shrinks toward its target.
			for k, tries := n-tgt, 0; k > 0 && tries < 4*(n-tgt); tries++ {
				i := r.IntN(len(u.members))
				if u.members[i].from >= ms {
					continue
				}
				if err := g.end(b, u, i, between(r, ms, last), congdoan.EndLeft); err != nil {
					return err
				}
				k--
			}
		case n < tgt:
			share := transferShare(u.cls)
			for range tgt - n {
				on := between(r, first, last)
				if r.Float64() < share {
					if moved, err := g.transferIn(b, u, on); moved || err != nil {
						if err != nil {
							return err
						}
						continue
					}
				}
				if err := g.admit(b, u, on, false); err != nil {
					return err
				}
			}
		}
	}
	if closing {
		for len(u.members) > 0 {
			if err := g.end(b, u, len(u.members)-1, u.closes, congdoan.EndLeft); err != nil {
				return err
			}
		}
	}
	return nil
}

// transferShare is the share of vacancies filled by a member moving from
// another union of the same district (chuyển sinh hoạt) rather than by a
// new admission: teachers and health workers are often posted between
// schools and stations; enterprise workers seldom move with their card.
func transferShare(c class) float64 {
	switch c {
	case classPublic:
		return 0.25
	case classBusiness:
		return 0.05
	}
	return 0
}

// transferIn fills a vacancy of u on on with a member of another union of
// the same kind (public or business) in the same district, if one is
// found. The source union refills its own place later, so transfers move
// people without changing the totals.
func (g *gen) transferIn(b *store.Bulk, u *union, on day) (bool, error) {
	d := g.districts[u.district]
	list := d.pub
	if u.cls == classBusiness {
		list = d.biz
	}
	if len(list) < 2 {
		return false, nil
	}
	for range 4 {
		v := g.unions[list[g.r.IntN(len(list))]]
		if v == u || len(v.members) < 5 || !g.activeOn(v, on) {
			continue
		}
		i := g.r.IntN(len(v.members))
		m := v.members[i]
		if m.from >= on || m.retire <= on {
			continue
		}
		if err := g.end(b, v, i, on, congdoan.EndTransferOut); err != nil {
			return false, err
		}
		m.uid, m.from, m.start = g.placement(u), on, startTransfer
		u.members = append(u.members, m)
		return true, nil
	}
	return false, nil
}

// Notes on restructuring events, as the decisions would cite them.
const (
	noteMove     = "Sắp xếp tổ chức công đoàn theo Nghị quyết 60-NQ/TW ngày 12/4/2025"
	noteDistrict = "Kết thúc hoạt động công đoàn cấp huyện theo Nghị quyết 60-NQ/TW ngày 12/4/2025"
	noteProvince = "Hợp nhất tỉnh Bắc Kạn vào tỉnh Thái Nguyên theo Nghị quyết 202/2025/QH15 ngày 12/6/2025"
	noteClosed   = "Doanh nghiệp giải thể; công đoàn cơ sở giải thể"
)

// writeStructure writes units, employers with their headcounts, and the
// tree's history (closures and the 2025 restructuring).
func (g *gen) writeStructure(b *store.Bulk) error {
	for _, u := range g.uppers {
		var parent int64
		if u.parent >= 0 {
			parent = g.uppers[u.parent].id
		}
		id, err := b.Unit(store.BulkUnit{Code: u.code, Name: u.name, Kind: u.kind, ParentID: parent, CommuneCode: u.commune, FoundedOn: u.founded.date()})
		if err != nil {
			return err
		}
		u.id = id
	}
	for i, e := range g.employers {
		status := congdoan.EmployerActive
		if e.closes != 0 {
			status = congdoan.EmployerClosed
		}
		name := e.name
		if e.renameTo != "" {
			name = e.renameTo
		}
		id, err := b.Employer(store.BulkEmployer{TaxCode: g.taxCode(i), Name: name, Industry: e.industry, CommuneCode: e.commune,
			Status: status, Sector: e.sector, UnitID: g.uppers[e.responsible].id, Headcounts: g.headcounts(e)})
		if err != nil {
			return err
		}
		e.id = id
		// Before 1/7/2025 the district federation was responsible for the
		// employer's area; the unit responsible today took over that day.
		if fed := g.districts[e.district].fed; fed != e.responsible {
			if err := b.EmployerUnit(id, g.uppers[fed].id, g.start.date(), g.reorg.date()); err != nil {
				return err
			}
			if err := b.EmployerUnit(id, g.uppers[e.responsible].id, g.reorg.date(), congdoan.Date{}); err != nil {
				return err
			}
		}
	}
	for _, i := range g.order {
		u := g.unions[i]
		var emp int64
		if u.emp >= 0 {
			emp = g.employers[u.emp].id
		}
		name := u.name
		if u.renameTo != "" {
			name = u.renameTo
		}
		id, err := b.Unit(store.BulkUnit{Code: u.code, Name: name, Kind: u.kind, ParentID: g.uppers[u.parent].id, EmployerID: emp,
			CommuneCode: u.commune, FoundedOn: u.founded.date()})
		if err != nil {
			return err
		}
		u.id = id
		for _, s := range u.subs {
			if s.id, err = b.Unit(store.BulkUnit{Code: s.code, Name: s.name, Kind: s.kind, ParentID: u.id, CommuneCode: u.commune, FoundedOn: s.founded.date()}); err != nil {
				return err
			}
		}
	}
	R := g.reorg
	for _, i := range g.order {
		u := g.unions[i]
		if u.moveTo >= 0 {
			if err := b.Move(u.id, g.uppers[u.moveTo].id, R.date(), noteMove); err != nil {
				return err
			}
		}
		if u.closes != 0 && !u.reorg {
			if err := b.Dissolve(u.id, u.closes.date(), "dissolved", 0, noteClosed); err != nil {
				return err
			}
		}
		if err := g.writeReorg(b, u); err != nil {
			return err
		}
	}
	tn := g.uppers[g.tn].id
	for _, s := range g.sectors {
		if err := b.Move(g.uppers[s].id, tn, R.date(), noteMove); err != nil {
			return err
		}
	}
	for _, d := range g.districts {
		if err := b.Dissolve(g.uppers[d.fed].id, R.date(), "merged_into", g.uppers[d.successor].id, noteDistrict); err != nil {
			return err
		}
	}
	bk := g.uppers[g.bk].id
	if err := b.Dissolve(bk, R.date(), "merged_into", tn, noteProvince); err != nil {
		return err
	}
	return b.Event(tn, "absorbed", R.date(), bk, noteProvince)
}

// taxCode gives employer i a unique 10-digit tax code in the Bắc Kạn tax
// office's range (prefix 47): 7919 is coprime to 10⁸, so i ↦ i·7919+c is
// one-to-one and the codes look scattered, as real ones are.
func (g *gen) taxCode(i int) string {
	n := (int64(i)*7919 + g.taxOffset) % 100_000_000
	return "47" + pad8(n)
}

func pad8(n int64) string {
	b := []byte("00000000")
	for i := 7; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// headcounts gives an employer one headcount per year (1 January) from
// 2021, following its union's membership where it has one and a random
// drift otherwise, and a final zero when it closed.
func (g *gen) headcounts(e *employer) []store.Headcount {
	y0, y1 := g.start.year(), g.today.year()
	ratio := make([]float64, y1-y0+1)
	ratio[len(ratio)-1] = 1
	for i := len(ratio) - 2; i >= 0; i-- {
		ratio[i] = min(1.1, max(0.9, ratio[i+1]/g.uf(0.95, 1.08)))
	}
	var out []store.Headcount
	for y := y0; y <= y1; y++ {
		t := mkDay(y, time.January, 1)
		if e.closes != 0 && t >= e.closes {
			break
		}
		w := e.workers * ratio[y-y0]
		if e.union >= 0 {
			if u := g.unions[e.union]; !u.isNew {
				w = g.target(u, t) / u.rate
			}
		}
		total := max(1, int(math.Round(w)))
		salary := float64(e.salary) * math.Pow(1.05, float64(y-y0))
		out = append(out, store.Headcount{AsOf: t.date(), Total: total, Female: int(math.Round(float64(total) * e.female)),
			SIPayroll: int64(float64(total)*salary) / 1000 * 1000})
	}
	if e.closes != 0 {
		out = append(out, store.Headcount{AsOf: e.closes.date()})
	}
	return out
}
