package demo

import (
	"fmt"
	"strings"
	"time"

	"congdoan"
	"congdoan/store"
)

// The 2025 reorganisation of the agencies, as a Bắc Kạn officer saw it:
//
//   - 1/3/2025: the provincial departments merged (Sở Kế hoạch và Đầu tư
//     into Sở Tài chính, Giao thông vận tải into Xây dựng, Thông tin và
//     Truyền thông into Khoa học và Công nghệ, Lao động - Thương binh và Xã
//     hội into Nội vụ, Tài nguyên và Môi trường into Nông nghiệp, which
//     became Sở Nông nghiệp và Môi trường; Ban Dân tộc became Sở Dân tộc
//     và Tôn giáo). The merged departments' unions merge into the
//     receiving department's union.
//   - 1/7/2025: districts are abolished and communes merged (Nghị quyết
//     1683/NQ-UBTVQH15). The unions of the old communes' People's
//     Committees merge into the one of the commune that kept its code,
//     renamed after the new commune; the district People's Committee's
//     union merges into the union of the People's Committee of the new
//     commune at the district seat; the district Party committee's union
//     is dissolved and its members transferred to the new communes'
//     People's Committees.
//
// Members follow as the store's MergeUnits and TransferMember move them: a
// merger ends their periods "merged" and opens "merged" ones at the
// successor on the day; a dissolution transfers them ("transfer_out",
// "transfer_in"). The successor's membership target carries the merged
// unions' from the day, so the province's calibrated totals are kept.

// Roles of the agencies the reorganisation reaches.
const (
	roleCommuneUBND  = "ubnd-xa"
	roleDistrictUBND = "ubnd-huyen"
	roleDistrictCP   = "huyen-uy"
	roleDepartment   = "so"
)

// Notes on the agencies' reorganisation, as the decisions would cite them.
const (
	noteDepartments = "Sắp xếp các cơ quan chuyên môn thuộc UBND tỉnh Bắc Kạn từ ngày 01/3/2025"
	noteCommunes    = "Sắp xếp đơn vị hành chính cấp xã theo Nghị quyết 1683/NQ-UBTVQH15 ngày 16/6/2025"
	noteDistrictEnd = "Kết thúc hoạt động của chính quyền cấp huyện từ ngày 01/7/2025"
)

// deptMergers lists the departments merged on 1/3/2025: the merged one,
// the one it joined, and the receiving department's new name ("" keeps it).
var deptMergers = []struct{ from, into, rename string }{
	{"Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn", "Sở Tài chính tỉnh Bắc Kạn", ""},
	{"Sở Giao thông vận tải tỉnh Bắc Kạn", "Sở Xây dựng tỉnh Bắc Kạn", ""},
	{"Sở Thông tin và Truyền thông tỉnh Bắc Kạn", "Sở Khoa học và Công nghệ tỉnh Bắc Kạn", ""},
	{"Sở Lao động - Thương binh và Xã hội tỉnh Bắc Kạn", "Sở Nội vụ tỉnh Bắc Kạn", ""},
	{"Sở Tài nguyên và Môi trường tỉnh Bắc Kạn", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Kạn", "Sở Nông nghiệp và Môi trường tỉnh Bắc Kạn"},
}

// deptRenames lists the departments renamed on 1/3/2025 without a merger.
var deptRenames = []struct{ from, to string }{
	{"Ban Dân tộc tỉnh Bắc Kạn", "Sở Dân tộc và Tôn giáo tỉnh Bắc Kạn"},
}

// deptMerged is the day the departments merged.
func deptMerged() day { return mkDay(2025, time.March, 1) }

// absorb is a share of another union's membership target that a union
// carries from the day that union ends.
type absorb struct {
	u     int
	share float64
}

// agencyKey is an agency's identity across copies (a larger province has
// several of each): its role, where it sits, and its copy number.
type agencyKey struct {
	role, key string
	ord       int
}

// tagAgency records what an agency's union is, for the reorganisation.
func (g *gen) tagAgency(u *union, role, key string) {
	k := agencyKey{role: role, key: key}
	for g.agencies[k] != nil {
		k.ord++
	}
	g.agencies[k] = u
	u.role, u.roleKey, u.ord = role, key, k.ord
}

// unionIndex returns u's position in g.unions.
func (g *gen) unionIndex(u *union) int { return u.idx }

// merge plans the merger of union from into union into on day on.
func (g *gen) merge(from, into *union, on day, note string) {
	fi, ii := g.unionIndex(from), g.unionIndex(into)
	from.closes, from.reorg, from.mergeInto, from.reorgNote = on, true, ii, note
	g.employers[from.emp].closes = on
	into.absorbs = append(into.absorbs, absorb{u: fi, share: 1})
}

// dissolveTo plans the dissolution of union u on day on with its members
// transferred to the unions to, in turn.
func (g *gen) dissolveTo(u *union, to []*union, on day, note string) {
	ui := g.unionIndex(u)
	u.closes, u.reorg, u.reorgNote = on, true, note
	g.employers[u.emp].closes = on
	for _, v := range to {
		vi := g.unionIndex(v)
		u.spreadTo = append(u.spreadTo, vi)
		v.absorbs = append(v.absorbs, absorb{u: ui, share: 1 / float64(len(to))})
	}
}

// rename plans a renaming of union u and its employer on day on.
func (g *gen) rename(u *union, unionName, empName string, on day) {
	u.renameTo, u.renamedOn = unionName, on
	g.employers[u.emp].renameTo = empName
}

// reorganiseAgencies plans the departments' mergers of 1/3/2025 and the
// agencies' of 1/7/2025. It runs after calibration (the targets are known)
// and before the commune unions are formed.
func (g *gen) reorganiseAgencies() {
	M, R := deptMerged(), g.reorg
	for _, m := range deptMergers {
		for ord := 0; ; ord++ {
			from := g.agencies[agencyKey{roleDepartment, m.from, ord}]
			into := g.agencies[agencyKey{roleDepartment, m.into, ord}]
			if from == nil || into == nil {
				break
			}
			g.merge(from, into, M, noteDepartments)
			if m.rename != "" && into.renameTo == "" {
				g.rename(into, strings.Replace(into.name, strings.TrimSuffix(strings.TrimPrefix(m.into, "Sở "), " tỉnh Bắc Kạn"),
					strings.TrimSuffix(strings.TrimPrefix(m.rename, "Sở "), " tỉnh Bắc Kạn"), 1), numbered(m.rename, ord), M)
			}
		}
	}
	for _, rn := range deptRenames {
		for ord := 0; ; ord++ {
			u := g.agencies[agencyKey{roleDepartment, rn.from, ord}]
			if u == nil {
				break
			}
			g.rename(u, numbered("Công đoàn cơ sở Cơ quan "+strings.TrimSuffix(rn.to, " tỉnh Bắc Kạn"), ord), numbered(rn.to, ord), M)
		}
	}

	// Communes: the People's Committees of the old communes of each new
	// commune merge into the one that kept the new commune's code.
	seatUBND := map[int][]*union{} // district → the new communes' People's Committee unions, seat first
	for di, d := range g.districts {
		for _, c := range d.communes {
			nc, lead := g.newCommuneOf(c.Code)
			if lead != c.Code || nc.Code == "" {
				continue
			}
			for ord := 0; ; ord++ {
				var group []*union
				var keep *union
				for _, old := range g.oldCommunesOf(nc.Code) {
					if u := g.agencies[agencyKey{roleCommuneUBND, old, ord}]; u != nil {
						group = append(group, u)
						if old == nc.Code || keep == nil {
							keep = u
						}
					}
				}
				if keep == nil {
					break
				}
				for _, u := range group {
					if u != keep {
						g.merge(u, keep, R, noteCommunes)
					}
				}
				lc := strings.ToLower(nc.Type) + " " + nc.Name
				g.rename(keep, numbered("Công đoàn cơ sở UBND "+lc, ord), numbered("Ủy ban nhân dân "+lc, ord), R)
				if seat, _ := g.newCommuneOf(d.seat.Code); seat.Code == nc.Code {
					seatUBND[di] = append([]*union{keep}, seatUBND[di]...)
				} else {
					seatUBND[di] = append(seatUBND[di], keep)
				}
			}
		}
	}
	// Districts: the People's Committee's union merges into the seat's
	// new commune's; the Party committee's is dissolved, its members
	// transferred to the new communes' People's Committees.
	var all []*union
	for di := range g.districts {
		all = append(all, seatUBND[di]...)
	}
	for di, d := range g.districts {
		to := seatUBND[di]
		if len(to) == 0 {
			to = all
		}
		for ord := 0; ; ord++ {
			ubnd := g.agencies[agencyKey{roleDistrictUBND, d.geo.Code, ord}]
			cp := g.agencies[agencyKey{roleDistrictCP, d.geo.Code, ord}]
			if ubnd == nil && cp == nil {
				break
			}
			if ubnd != nil && len(to) > 0 {
				g.merge(ubnd, to[ord%len(to)], R, noteDistrictEnd)
			}
			if cp != nil && len(to) > 0 {
				g.dissolveTo(cp, to, R, noteDistrictEnd)
			}
		}
	}
}

// numbered adds "số N" to the name of a province's N-th copy of an agency,
// as unique does.
func numbered(name string, ord int) string {
	if ord == 0 {
		return name
	}
	return fmt.Sprintf("%s số %d", name, ord+1)
}

// newCommuneOf returns the unit an old commune went into on 1/7/2025 and
// the old commune whose code it kept (its lead; "" when none did).
func (g *gen) newCommuneOf(old string) (nc struct{ Code, Name, Type string }, lead string) {
	p, _ := g.atlas.PlaceOn(old, g.reorg.time())
	nc.Code, nc.Name, nc.Type = p.Commune.Code, p.Commune.Name, p.Commune.Type
	for _, o := range g.oldCommunesOf(nc.Code) {
		if o == nc.Code {
			return nc, o
		}
	}
	if olds := g.oldCommunesOf(nc.Code); len(olds) > 0 {
		return nc, olds[0]
	}
	return nc, ""
}

// oldCommunesOf returns the old Bắc Kạn communes a new commune was formed
// from, in code order.
func (g *gen) oldCommunesOf(newCode string) []string {
	return g.formedFrom[newCode]
}

// reorganise moves the members of the unions that end on day on (the
// first of a month) before the month is simulated: a merger closes their
// periods "merged" and opens them at the successor; a dissolution
// transfers them in turn to the unions named.
func (g *gen) reorganise(b *store.Bulk, on day) error {
	for _, i := range g.order {
		u := g.unions[i]
		if !u.reorg || u.closes != on {
			continue
		}
		for k := len(u.members) - 1; k >= 0; k-- {
			m := u.members[k]
			var to *union
			if u.mergeInto >= 0 {
				to = g.unions[u.mergeInto]
				if m.uid != u.id {
					// As in MergeUnits, sections and groups move to the
					// successor with their members, whose periods go on.
					to.members = append(to.members, m)
					u.members = append(u.members[:k], u.members[k+1:]...)
					continue
				}
				m.start = startMerged
			} else {
				to = g.unions[u.spreadTo[k%len(u.spreadTo)]]
				m.start = startTransfer
			}
			reason := congdoan.EndMerged
			if m.start == startTransfer {
				reason = congdoan.EndTransferOut
			}
			if err := g.end(b, u, k, on, reason); err != nil {
				return err
			}
			m.uid, m.from = g.placement(to), on
			to.members = append(to.members, m)
		}
	}
	return nil
}

// writeReorg writes the unit events of the agencies' reorganisation: the
// mergers (merged_into and absorbed; sections and groups move to the
// successor), the dissolutions (with their sections and groups), the
// renamings.
func (g *gen) writeReorg(b *store.Bulk, u *union) error {
	if u.renameTo != "" {
		if err := b.Event(u.id, "renamed", u.renamedOn.date(), 0, u.name+" → "+u.renameTo); err != nil {
			return err
		}
	}
	if !u.reorg {
		return nil
	}
	if u.mergeInto >= 0 {
		into := g.unions[u.mergeInto]
		for _, s := range u.subs {
			if err := b.Move(s.id, into.id, u.closes.date(), "Theo sáp nhập "+u.name); err != nil {
				return err
			}
		}
		if err := b.Dissolve(u.id, u.closes.date(), "merged_into", into.id, u.reorgNote); err != nil {
			return err
		}
		return b.Event(into.id, "absorbed", u.closes.date(), u.id, u.reorgNote)
	}
	for _, s := range u.subs {
		if err := b.Dissolve(s.id, u.closes.date(), "dissolved", 0, u.reorgNote); err != nil {
			return err
		}
	}
	return b.Dissolve(u.id, u.closes.date(), "dissolved", 0, u.reorgNote)
}
