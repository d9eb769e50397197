// Package demo generates a deterministic synthetic province so that
// congdoan is useful the minute it starts and so that benchmarks have
// realistic data (DESIGN.md §5 "Demo province").
//
// The province is Bắc Kạn, on the GSO's real districts and communes,
// calibrated to its published scale (about 750 grassroots unions, 13,400
// workers in administrative and public-service units and 11,900 in
// business, about 20,950 members in 2021). Its history runs from
// 1 January 2021 to today: members grow toward the 2023 and 2025 targets of
// plan 61-KH/TU (a little behind them), people join, leave, retire and
// transfer, some enterprises gain a union and a few close. The 2025
// reorganisation reaches the agencies (reorg.go): the departments merged on
// 1 March 2025 merge their unions; on 1 July 2025 the unions of the
// abolished district People's Committees and Party committees are merged
// or dissolved with their members transferred, the old communes' People's
// Committee unions merge into the new commune's, the district federations
// end, a commune union on each new commune's code and name (Nghị quyết
// 1683/NQ-UBTVQH15, geo's 2025 list) takes their grassroots unions, and
// Bắc Kạn's federation merges into Thái Nguyên's. Members' ethnic groups
// follow their district and their family names their group.
// Only the former Bắc Kạn part of Thái Nguyên is generated: LDLD-TN is the
// root today but holds nothing of the old Thái Nguyên.
//
// Membership history is recorded from 1/1/2021, as if the registry had
// been started then: the members of that day carry the admission dates of
// their cards, from their union's founding (and their eighteenth year) to
// the end of 2020, so 2021's admissions are that year's recruits. Union
// founding dates go further back.
//
// The same seed gives the same database: every random draw comes from one
// PCG stream in a fixed order, and no map is ever iterated.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"congdoan"
	"congdoan/demo/names"
	"congdoan/geo"
	"congdoan/store"
)

// Options tunes the generated province.
type Options struct {
	Seed int64 // default 1
	// Members is the number of active members wanted today; default
	// 22,800, the province's scale. Larger values (1,000,000 for
	// benchmarks) scale units and employers proportionally.
	Members int
	// Today is the last day of the history; the caller passes db.Today().
	// It must be at least a month after the 1/7/2025 restructuring, which
	// the history has to contain. Zero means db.Today().
	Today congdoan.Date
}

// Summary reports what Generate wrote.
type Summary struct {
	Units         int // every unit, dissolved ones included
	Grassroots    int // active grassroots unions and nghiệp đoàn today
	Employers     int
	Persons       int
	ActiveMembers int
	Periods       int
	// RootCode is the root of today's tree (LDLD-TN).
	RootCode string
	// SampleGrassrootsCode is an active, mid-size grassroots union with a
	// member named "Nguyễn Văn …", for tests and demonstrations.
	SampleGrassrootsCode string
	// SampleUpperCode is an active commune union.
	SampleUpperCode string
	Elapsed         time.Duration
}

// HistoryStart is the day the demo registry starts (1/1/2021): the events
// of the history (admissions, leaves, transfers) are recorded from then
// on, and members of that day carry earlier admission dates. The monthly
// snapshots start there too (store.DB.BackfillSnapshotsFrom).
var HistoryStart = congdoan.NewDate(2021, time.January, 1)

// Default sizes.
const (
	DefaultSeed    = 1
	DefaultMembers = baseMembers
)

// gen is one generation run: the plan, the random stream and the running
// counts. It lives for one Generate call.
type gen struct {
	r       *rand.Rand
	atlas   *geo.Atlas
	people  *people
	jobs    jobTables
	scale   float64
	members int

	start, reorg, today day

	uppers       []*upper
	unions       []*union
	employers    []*employer
	districts    []*district
	sectors      [4]int
	bk, tn       int
	nameCount    map[string]int       // lookups only, never iterated
	communeUnion map[string]int       // commune code → upper index (lookups only)
	order        []int                // unions in code order
	agencies     map[agencyKey]*union // lookups only, never iterated
	formedFrom   map[string][]string  // new commune code → the old Bắc Kạn communes it was formed from
	taxOffset    int64

	persons, periods int
}

// jobTables are the job titles members get, by kind of workplace.
type jobTables struct {
	agency, preschool, school, health, public, enterprise []names.Weighted
}

func newJobTables() jobTables {
	w := func(pairs ...any) []names.Weighted {
		var out []names.Weighted
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, names.Weighted{Name: pairs[i].(string), Weight: pairs[i+1].(int)})
		}
		return out
	}
	return jobTables{
		agency:     w("Công chức", 60, "Chuyên viên", 20, "Kế toán", 8, "Văn thư", 6, "Lái xe", 6),
		preschool:  w("Giáo viên", 80, "Nhân viên nấu ăn", 10, "Kế toán", 5, "Bảo vệ", 5),
		school:     w("Giáo viên", 82, "Nhân viên văn phòng", 5, "Kế toán", 5, "Nhân viên thư viện", 3, "Bảo vệ", 3, "Nhân viên y tế", 2),
		health:     w("Bác sĩ", 22, "Điều dưỡng", 35, "Nhân viên y tế", 15, "Dược sĩ", 7, "Kỹ thuật viên", 8, "Hộ sinh", 5, "Kế toán", 4, "Hộ lý", 4),
		public:     w("Viên chức", 60, "Kế toán", 10, "Kỹ thuật viên", 12, "Nhân viên", 12, "Lái xe", 6),
		enterprise: w("Công nhân", 62, "Kỹ thuật viên", 10, "Nhân viên văn phòng", 9, "Kế toán", 6, "Lái xe", 7, "Thủ kho", 3, "Bảo vệ", 3),
	}
}

// Generate fills an empty database with the demo province in one
// transaction. It returns ECONFLICT when the database already has units,
// so a real registry is never mixed with invented people.
func Generate(ctx context.Context, db *store.DB, opts Options) (*Summary, error) {
	began := time.Now()
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Members == 0 {
		opts.Members = DefaultMembers
	}
	if opts.Members < 200 {
		return nil, congdoan.Errorf(congdoan.EINVALID, "Số đoàn viên của tỉnh mẫu phải từ 200 trở lên (đã nhập %d).", opts.Members)
	}
	if opts.Today.IsZero() {
		opts.Today = db.Today()
	}
	reorg := mkDay(2025, time.July, 1)
	if today := dayOf(opts.Today); today < reorg+30 {
		return nil, congdoan.Errorf(congdoan.EINVALID, "Ngày cuối của lịch sử mẫu (%s) phải từ 31/07/2025 trở đi, để dữ liệu mẫu có cả đợt sắp xếp tổ chức ngày 01/07/2025.", opts.Today.VN())
	}
	n, err := db.UnitCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		return nil, congdoan.Errorf(congdoan.ECONFLICT, "Cơ sở dữ liệu đã có %d đơn vị công đoàn: chỉ tạo dữ liệu mẫu trên cơ sở dữ liệu trống, để không trộn dữ liệu thật với dữ liệu giả.", n)
	}
	atlas, err := geo.Load()
	if err != nil {
		return nil, err
	}
	nm, err := names.Load()
	if err != nil {
		return nil, err
	}
	g := &gen{
		r:            rand.New(rand.NewPCG(uint64(opts.Seed), 0x6a09e667f3bcc909)),
		atlas:        atlas,
		people:       newPeople(nm),
		jobs:         newJobTables(),
		scale:        float64(opts.Members) / baseMembers,
		members:      opts.Members,
		start:        dayOf(HistoryStart),
		reorg:        reorg,
		today:        dayOf(opts.Today),
		nameCount:    map[string]int{},
		communeUnion: map[string]int{},
		agencies:     map[agencyKey]*union{},
		formedFrom:   map[string][]string{},
	}
	g.taxOffset = int64(g.r.IntN(1_000_000))
	if err := g.catalogue(); err != nil {
		return nil, err
	}
	g.calibrate()
	g.founding()
	g.restructure()
	g.assignCodes()
	err = db.Bulk(ctx, "demo.load", func(b *store.Bulk) error {
		if err := g.writeStructure(b); err != nil {
			return err
		}
		return g.simulate(ctx, b)
	})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sum := g.summary()
	sum.Elapsed = time.Since(began)
	return sum, nil
}

func (g *gen) summary() *Summary {
	s := &Summary{Units: len(g.uppers), Employers: len(g.employers), Persons: g.persons, Periods: g.periods, RootCode: g.uppers[g.tn].code}
	best, bestDist := -1, math.MaxInt
	perUpper := make([]int, len(g.uppers))
	for _, i := range g.order {
		u := g.unions[i]
		s.Units += 1 + len(u.subs)
		if u.closes != 0 {
			continue
		}
		s.Grassroots++
		s.ActiveMembers += len(u.members)
		p := u.parent
		if u.moveTo >= 0 {
			p = u.moveTo
		}
		perUpper[p] += len(u.members)
		if u.kind != congdoan.KindGrassroots || len(u.members) < 25 || len(u.members) > 80 {
			continue
		}
		for _, m := range u.members {
			if m.nguyenVan {
				if d := abs(len(u.members) - 45); d < bestDist {
					best, bestDist = i, d
				}
				break
			}
		}
	}
	if best >= 0 {
		s.SampleGrassrootsCode = g.unions[best].code
	} else {
		// A tiny province may have no mid-size union with a Nguyễn Văn:
		// fall back to the largest active union.
		for _, i := range g.order {
			if u := g.unions[i]; u.closes == 0 && u.kind == congdoan.KindGrassroots && (best < 0 || len(u.members) > len(g.unions[best].members)) {
				best = i
			}
		}
		if best >= 0 {
			s.SampleGrassrootsCode = g.unions[best].code
		}
	}
	top := -1
	for i, u := range g.uppers {
		if u.kind == congdoan.KindCommuneUnion && (top < 0 || perUpper[i] > perUpper[top]) {
			top = i
		}
	}
	if top >= 0 {
		s.SampleUpperCode = g.uppers[top].code
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
