package demo

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"congdoan"
)

// Calibration targets at the province's scale (DESIGN.md §5, DOMAIN-FACTS.md
// §7): workers in administrative and public-service units and in business,
// and members on 1/1/2021 for 22,800 today.
const (
	baseMembers       = 22_800
	basePublicWorkers = 13_400
	baseBizWorkers    = 11_900
	baseStartMembers  = 20_950
)

// calibrate turns relative sizes into workers and membership targets so
// that, summed, they hit the province's figures: workers today per sector,
// members today (Options.Members) and members on 1/1/2021.
func (g *gen) calibrate() {
	s := g.scale
	var wPub, wBiz float64
	for _, u := range g.unions {
		if u.closes != 0 {
			continue
		}
		switch u.cls {
		case classPublic:
			wPub += u.weight
		case classBusiness:
			wBiz += u.weight
		}
	}
	cp, cb := 1.0, 1.0
	if wPub > 0 {
		cp = basePublicWorkers * s / wPub
	}
	if wBiz > 0 {
		cb = baseBizWorkers * s / wBiz
	}
	for _, u := range g.unions {
		switch u.cls {
		case classPublic:
			u.rate = g.uf(0.93, 0.995)
			g.employers[u.emp].workers = max(6, u.weight*cp)
		case classBusiness:
			u.rate = g.uf(0.72, 0.94)
			g.employers[u.emp].workers = max(6, u.weight*cb)
		default:
			u.rate = 1
		}
	}
	// A new union starts with a share of its workers and recruits the rest
	// within a year, so one founded lately is not yet at full size today:
	// now is the share of tToday it has today.
	now := make([]float64, len(g.unions))
	for i, u := range g.unions {
		now[i] = 1
		if u.isNew {
			p := g.uf(0.45, 0.7)
			u.tFirst = p // a share until tToday is known
			now[i] = p + (1-p)*min(1, float64(g.today-u.founded)/365)
		}
	}
	// Business membership rates absorb the difference between the
	// workers' figures and the members wanted today.
	for range 8 {
		var pub, inf, biz float64
		for i, u := range g.unions {
			u.tToday = g.workers(u) * u.rate
			if u.closes != 0 {
				continue
			}
			switch u.cls {
			case classPublic:
				pub += u.tToday
			case classBusiness:
				biz += u.tToday * now[i]
			default:
				inf += u.tToday
			}
		}
		if biz == 0 {
			break
		}
		f := (float64(g.members) - pub - inf) / biz
		if math.Abs(f-1) < 1e-4 {
			break
		}
		for _, u := range g.unions {
			if u.cls == classBusiness {
				u.rate = min(max(u.rate*f, 0.3), 0.99)
			}
		}
	}
	for _, u := range g.unions {
		u.tToday = max(u.tToday, 5) // a union needs at least 5 members
		if u.isNew {
			u.tFirst = min(u.tToday, max(5, u.tToday*u.tFirst))
		}
	}

	// Members on 1/1/2021: each union that existed then grows by its own
	// factor 1 + k·h to today; k is solved so the stock adds up.
	h := make([]float64, len(g.unions))
	hmax := 0.0
	for i, u := range g.unions {
		switch u.cls {
		case classPublic:
			h[i] = g.uf(0, 0.06)
		case classBusiness:
			h[i] = g.uf(0.03, 0.3)
		default:
			h[i] = g.uf(0, 0.2)
		}
		hmax = max(hmax, h[i])
	}
	want := float64(g.members) * baseStartMembers / baseMembers
	stock := func(k float64) float64 {
		t := 0.0
		for i, u := range g.unions {
			switch {
			case u.isNew:
			case u.closes != 0:
				t += u.tToday
			default:
				t += u.tToday / (1 + k*h[i])
			}
		}
		return t
	}
	lo, hi := -0.9/max(hmax, 1e-9), 50.0
	for range 100 {
		mid := (lo + hi) / 2
		if stock(mid) > want {
			lo = mid
		} else {
			hi = mid
		}
	}
	k := (lo + hi) / 2
	for i, u := range g.unions {
		switch {
		case u.isNew:
		case u.closes != 0:
			u.tStart = u.tToday
		default:
			u.tStart = max(min(u.tToday, 5), u.tToday/(1+k*h[i]))
		}
	}
}

// workers is the workforce behind a union's target today (members for a
// nghiệp đoàn, which has no employer).
func (g *gen) workers(u *union) float64 {
	if u.emp < 0 {
		return u.weight
	}
	return g.employers[u.emp].workers
}

// founding dates the unions that existed before the history and adds
// sections and groups to the larger ones.
func (g *gen) founding() {
	end := mkDay(2020, 12, 1)
	for _, u := range g.unions {
		if u.isNew {
			continue
		}
		// Agencies' and schools' unions are mostly as old as the
		// province's federation; enterprises' came as business grew.
		first := g.uppers[u.parent].founded + 60
		x := g.r.Float64()
		if u.cls == classPublic {
			x *= x
		}
		u.founded = first + day(x*float64(max(0, end-first)))
		w := g.workers(u)
		if u.closes != 0 || u.subKind == subsNone || (w < 80 && len(u.extraSubs) == 0) {
			continue
		}
		var kinds []string
		kind := congdoan.KindGroup
		switch {
		case w >= 250 && (u.subKind == subsHospital || u.subKind == subsEnterprise):
			kind = congdoan.KindSection
			if u.subKind == subsHospital {
				kinds = []string{"Khối Lâm sàng", "Khối Cận lâm sàng", "Khối Hành chính - Hậu cần"}
			} else {
				kinds = []string{"Khối Sản xuất", "Khối Văn phòng", "Khối Kỹ thuật", "Khối Kinh doanh"}
			}
		case u.subKind == subsHospital:
			kinds = []string{"Khoa Khám bệnh", "Khoa Nội", "Khoa Ngoại", "Khoa Sản", "Khoa Nhi", "Khoa Hồi sức cấp cứu", "Khoa Xét nghiệm", "Khoa Dược", "Phòng Hành chính - Tổ chức"}
		case u.subKind == subsSchool:
			kinds = []string{"Toán - Tin", "Ngữ văn", "Ngoại ngữ", "Khoa học Tự nhiên", "Khoa học Xã hội", "Văn phòng"}
		case u.subKind == subsAgency:
			kinds = []string{"Văn phòng", "Phòng Tổng hợp", "Phòng Chuyên môn", "Phòng Kế hoạch - Tài chính", "Khối Sự nghiệp"}
		default:
			kinds = []string{"Phân xưởng Sản xuất", "Phân xưởng Cơ điện", "Văn phòng Công ty", "Đội Xe", "Kỹ thuật", "Kho vận", "Đội Thi công số 1", "Đội Thi công số 2"}
		}
		n := min(max(int(w/45), 2), len(kinds))
		if kind == congdoan.KindSection {
			n = len(kinds)
		}
		if w < 80 {
			n = 0
		}
		labels := append(kinds[:n:n], u.extraSubs...)
		prefix := "Tổ công đoàn "
		if kind == congdoan.KindSection {
			prefix = "Công đoàn bộ phận "
		}
		for j, nm := range labels {
			k := kind
			p := prefix
			if j >= n { // a health station of a district centre
				k, p = congdoan.KindGroup, "Tổ công đoàn "
			}
			// Sections and groups were set up in the union's first years.
			u.subs = append(u.subs, &sub{name: p + nm, kind: k, founded: between(g.r, u.founded, max(u.founded, min(end, u.founded+4*365)))})
		}
	}
}

// restructure applies 1/7/2025. The agencies are reorganised first
// (reorg.go). Then each new commune (Nghị quyết 1683/NQ-UBTVQH15: Bắc
// Kạn's 108 communes became 37) with unions to take gets a commune union
// on its code and under its name — "Công đoàn xã Chợ Đồn" on 02020, formed
// from Thị trấn Bằng Lũng and three communes. District federations end;
// their unions move to the commune union of their commune. Bắc Kạn's
// federation ends too, merged into Thái Nguyên's, which takes the sector
// unions and the large enterprises' unions it managed directly.
func (g *gen) restructure() {
	R := g.reorg
	for _, d := range g.districts {
		for _, c := range d.communes {
			if s := g.atlas.Successors(c.Code); len(s) > 0 {
				g.formedFrom[s[0].Code] = append(g.formedFrom[s[0].Code], c.Code)
			}
		}
	}
	g.reorganiseAgencies()
	for _, d := range g.districts {
		d.successor = g.tn
		if seat, _ := g.newCommuneOf(d.seat.Code); seat.Code != "" {
			d.seatNew = seat.Code
		}
	}
	// What each old commune holds on the day: unions that move and
	// employers without a union, whose area a commune union takes.
	holds := map[string]bool{}
	for _, u := range g.unions {
		if g.isDistrictFed(u.parent) && (g.activeOn(u, R) || (u.isNew && u.founded > R)) {
			holds[u.commune] = true
		}
	}
	for _, e := range g.employers {
		if e.union < 0 && e.closes == 0 {
			holds[e.commune] = true
		}
	}
	newIdx := map[string]int{} // new commune code → upper index
	for _, d := range g.districts {
		for _, c := range d.communes {
			if !holds[c.Code] {
				continue
			}
			nc, _ := g.newCommuneOf(c.Code)
			if nc.Code == "" {
				continue
			}
			idx, ok := newIdx[nc.Code]
			if !ok {
				idx = g.addUpper(&upper{code: "CDX-TN-" + nc.Code, name: "Công đoàn " + strings.ToLower(nc.Type) + " " + nc.Name,
					kind: congdoan.KindCommuneUnion, parent: g.tn, commune: nc.Code, founded: R})
				newIdx[nc.Code] = idx
			}
			g.communeUnion[c.Code] = idx
		}
	}
	for _, d := range g.districts {
		if idx, ok := newIdx[d.seatNew]; ok {
			d.successor = idx
			continue
		}
		for _, c := range d.communes {
			if idx, ok := g.communeUnion[c.Code]; ok {
				d.successor = idx
				break
			}
		}
	}
	for _, u := range g.unions {
		switch {
		case u.isNew && u.founded > R:
			if g.isDistrictFed(u.parent) {
				u.parent = g.communeUnionOf(u.commune)
			}
		case !g.activeOn(u, R):
		case g.isDistrictFed(u.parent):
			u.moveTo = g.communeUnionOf(u.commune)
		case u.parent == g.bk:
			u.moveTo = g.tn
		}
	}
	for _, e := range g.employers {
		e.responsible = g.communeUnionOf(e.commune)
		if e.union >= 0 {
			u := g.unions[e.union]
			switch {
			case g.uppers[u.parent].kind == congdoan.KindSectorUnion:
				e.responsible = u.parent
			case u.parent == g.bk:
				e.responsible = g.tn
			}
		}
	}
}

func (g *gen) isDistrictFed(i int) bool { return g.uppers[i].kind == congdoan.KindDistrictFederation }

// communeUnionOf is the unit responsible for a commune today: its commune
// union, or the provincial federation where none was formed.
func (g *gen) communeUnionOf(commune string) int {
	if i, ok := g.communeUnion[commune]; ok {
		return i
	}
	return g.tn
}

// activeOn reports whether u exists on t.
func (g *gen) activeOn(u *union, t day) bool {
	return u.founded <= t && (u.closes == 0 || u.closes > t)
}

// assignCodes numbers the unions: those of 2021 first in catalogue order,
// then the new ones by founding date, as a registry would have issued them.
func (g *gen) assignCodes() {
	g.order = make([]int, 0, len(g.unions))
	var fresh []int
	for i, u := range g.unions {
		if u.isNew {
			fresh = append(fresh, i)
		} else {
			g.order = append(g.order, i)
		}
	}
	slices.SortStableFunc(fresh, func(a, b int) int { return int(g.unions[a].founded) - int(g.unions[b].founded) })
	g.order = append(g.order, fresh...)
	width := max(4, len(strconv.Itoa(len(g.unions))))
	n, nd := 0, 0
	for _, i := range g.order {
		u := g.unions[i]
		if u.kind == congdoan.KindInformalUnion {
			nd++
			u.code = fmt.Sprintf("ND-BK-%03d", nd)
		} else {
			n++
			u.code = fmt.Sprintf("CDCS-BK-%0*d", width, n)
		}
		ns, ng := 0, 0
		for _, sb := range u.subs {
			if sb.kind == congdoan.KindSection {
				ns++
				sb.code = fmt.Sprintf("%s-BP%02d", u.code, ns)
			} else {
				ng++
				sb.code = fmt.Sprintf("%s-T%02d", u.code, ng)
			}
		}
	}
}
