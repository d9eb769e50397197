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

// NationalOptions sizes the national demo: every province of the GSO list
// under the Vietnam General Confederation of Labour, for benchmarks.
type NationalOptions struct {
	Seed    int64
	Members int // active members today; default 11,000,000
	Today   congdoan.Date
	// Progress, when set, is told after each district how many of the
	// members have been written (a national load takes many minutes).
	Progress func(members, of int)
}

// National generates a country-sized registry: the confederation, 63
// provincial federations, a federation per district (the pre-2025 tree,
// without the restructuring, which the province demo shows), about one
// grassroots union per 81 members with its employer, about nine times as
// many employers without a union (most of them small), and members with
// the same names, CCCDs and phones as the province demo, registered in the
// province of their union. History is simpler than the province demo's:
// the 2021 stock, admissions since, and leaves. It is made for measuring
// dashboards and searches at the scale of Resolution 02's targets.
func National(ctx context.Context, db *store.DB, opts NationalOptions) (*Summary, error) {
	began := time.Now()
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Members == 0 {
		opts.Members = 11_000_000
	}
	if opts.Today.IsZero() {
		opts.Today = db.Today()
	}
	n, err := db.UnitCount(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, congdoan.Errorf(congdoan.ECONFLICT, "Cơ sở dữ liệu đã có %d đơn vị công đoàn: chỉ tạo dữ liệu mẫu trên cơ sở dữ liệu trống.", n)
	}
	atlas, err := geo.Load()
	if err != nil {
		return nil, err
	}
	nm, err := names.Load()
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(uint64(opts.Seed), 0x5be0cd19137e2179))
	pp := newPeople(nm)
	start := mkDay(2021, time.January, 1)
	today := dayOf(opts.Today)
	sum := &Summary{RootCode: "TLD"}
	// Districts weighted by a draw, so that some are industrial and most rural.
	type district struct {
		unit geo.Unit
		w    float64
	}
	var ds []district
	var total float64
	for _, p := range atlas.Provinces() {
		for _, d := range atlas.Districts(p.Code) {
			w := math.Exp(r.NormFloat64() * 0.9)
			ds = append(ds, district{d, w})
			total += w
		}
	}
	unions := opts.Members / 81
	err = db.BulkLarge(ctx, "demo.national", func(b *store.Bulk) error {
		root, err := b.Unit(store.BulkUnit{Code: "TLD", Name: "Tổng Liên đoàn Lao động Việt Nam", Kind: congdoan.KindConfederation, FoundedOn: congdoan.NewDate(1929, 7, 28)})
		if err != nil {
			return err
		}
		sum.Units++
		provIDs := map[string]int64{}
		for _, p := range atlas.Provinces() {
			id, err := b.Unit(store.BulkUnit{Code: "LDLD-" + p.Code, Name: "Liên đoàn Lao động " + p.FullName(), Kind: congdoan.KindProvinceFederation,
				ParentID: root, FoundedOn: congdoan.NewDate(1990, 1, 1)})
			if err != nil {
				return err
			}
			provIDs[p.Code] = id
			sum.Units++
		}
		seq := 0
		for _, d := range ds {
			if err := ctx.Err(); err != nil {
				return err
			}
			fed, err := b.Unit(store.BulkUnit{Code: "LDLD-" + d.unit.Code, Name: "Liên đoàn Lao động " + d.unit.FullName(), Kind: congdoan.KindDistrictFederation,
				ParentID: provIDs[d.unit.ParentCode], FoundedOn: congdoan.NewDate(1995, 1, 1)})
			if err != nil {
				return err
			}
			sum.Units++
			prov := d.unit.ParentCode
			pp.provinces = []names.Weighted{{Name: "0" + prov, Weight: 1}}
			communes := atlas.Communes(d.unit.Code)
			nUnions := int(math.Round(float64(unions) * d.w / total))
			for i := 0; i < nUnions; i++ {
				seq++
				commune := ""
				if len(communes) > 0 {
					commune = communes[r.IntN(len(communes))].Code
				}
				members := max(5, int(math.Exp(math.Log(64)+r.NormFloat64()*0.8))) // mean ≈ 88, 81 after leavers
				sector := []congdoan.Sector{congdoan.SectorNonState, congdoan.SectorNonState, congdoan.SectorPublicUnit, congdoan.SectorAdministrate, congdoan.SectorFDI, congdoan.SectorState}[r.IntN(6)]
				workers := members + members/6 + r.IntN(5)
				emp, err := b.Employer(store.BulkEmployer{TaxCode: fmt.Sprintf("%02s%08d", prov, seq), Name: fmt.Sprintf("Đơn vị sử dụng lao động số %d, %s", seq, d.unit.FullName()),
					Sector: sector, CommuneCode: commune, UnitID: fed,
					Headcounts: []store.Headcount{{AsOf: start.date(), Total: workers, Female: workers / 2}}})
				if err != nil {
					return err
				}
				sum.Employers++
				u, err := b.Unit(store.BulkUnit{Code: fmt.Sprintf("CDCS-%s-%06d", d.unit.Code, seq), Name: fmt.Sprintf("Công đoàn cơ sở số %d, %s", seq, d.unit.FullName()),
					Kind: congdoan.KindGrassroots, ParentID: fed, EmployerID: emp, CommuneCode: commune, FoundedOn: congdoan.NewDate(2000+r.IntN(21), 1, 1)})
				if err != nil {
					return err
				}
				sum.Units++
				sum.Grassroots++
				for k := 0; k < members; k++ {
					female := r.IntN(2) == 0
					birth := 1966 + r.IntN(40)
					name, _ := pp.fullName(r, female)
					gender := congdoan.GenderMale
					if female {
						gender = congdoan.GenderFemale
					}
					pid, err := b.Person(store.BulkPerson{CCCD: pp.cccd(r, female, birth), FullName: name, Gender: gender,
						BirthDate: congdoan.NewDate(birth, time.Month(1+r.IntN(12)), 1+r.IntN(28)), Ethnicity: "Kinh", Phone: pp.phone(r)})
					if err != nil {
						return err
					}
					sum.Persons++
					from := start
					if r.IntN(10) == 0 { // admitted since 2021
						from = between(r, start+1, today)
					}
					var to day
					var end congdoan.Reason
					if r.IntN(13) == 0 { // left since
						to, end = between(r, from+30, today), congdoan.EndLeft
					}
					toDate := congdoan.Date{}
					if end != "" && to < today {
						toDate = to.date()
					} else {
						end = ""
						sum.ActiveMembers++
					}
					if err := b.Period(pid, u, from.date(), toDate, congdoan.StartAdmitted, end); err != nil {
						return err
					}
					sum.Periods++
				}
			}
			if opts.Progress != nil {
				opts.Progress(sum.Periods, opts.Members)
			}
			// Employers without a union: mostly small, some of 15 and more.
			for i := 0; i < nUnions*8; i++ {
				seq++
				workers := 1 + int(math.Exp(r.NormFloat64()*1.1+1.6))
				if _, err := b.Employer(store.BulkEmployer{TaxCode: fmt.Sprintf("%02s%08d", prov, seq), Name: fmt.Sprintf("Doanh nghiệp số %d, %s", seq, d.unit.FullName()),
					Sector: congdoan.SectorNonState, UnitID: fed, Headcounts: []store.Headcount{{AsOf: start.date(), Total: workers, Female: workers / 3}}}); err != nil {
					return err
				}
				sum.Employers++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(began)
	return sum, nil
}
