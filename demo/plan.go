package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"congdoan"
	"congdoan/demo/names"
	"congdoan/geo"
)

// The plan is built in memory before anything is written: the restructuring
// of 1/7/2025 groups communes by their members on that day, and employers
// must name the unit responsible for them today, so the whole shape has to
// be known first. It is small (tens of thousands of units at a million
// members); only persons and periods are streamed.

// upper is an upper-level unit: federations, sector and commune unions.
type upper struct {
	code, name string
	kind       congdoan.UnitKind
	parent     int // index in gen.uppers; -1 for a root
	commune    string
	founded    day
	id         int64
}

// sub is a section or group inside a grassroots union.
type sub struct {
	code, name string
	kind       congdoan.UnitKind
	founded    day
	id         int64
}

// class is the statistics' split: administrative and public-service units,
// business, and informal workers (nghiệp đoàn). Turnover, transfers and
// calibration differ between them.
type class int

const (
	classPublic class = iota
	classBusiness
	classInformal
)

// union is a grassroots union or nghiệp đoàn with its membership targets
// and, during the simulation, its active members.
type union struct {
	code, name string
	kind       congdoan.UnitKind
	parent     int // upper index at founding
	moveTo     int // upper index from 1/7/2025; -1 when it does not move
	emp        int // employer index; -1 for a nghiệp đoàn
	district   int
	commune    string
	cls        class
	jobs       []names.Weighted
	female     float64
	weight     float64 // relative size before calibration
	subKind    subKind
	extraSubs  []string // sub names beyond the generic ones (TTYT: Trạm Y tế)
	subs       []*sub
	founded    day
	isNew      bool // founded during the history
	closes     day  // dissolved on this day; 0 when active today
	rate       float64
	tToday     float64 // members targeted for today (for a closing union: its size)
	tStart     float64 // members on 2021-01-01
	tFirst     float64 // founding members of a new union
	id         int64
	members    []member
	idx        int // position in gen.unions

	// The agencies' 2025 reorganisation (reorg.go).
	role, roleKey string   // what agency it is (roleCommuneUBND …) and where
	ord           int      // copy number of the agency in a larger province
	reorg         bool     // closes is a merger or an abolition, not a closure
	mergeInto     int      // union index it merges into; -1 when none
	spreadTo      []int    // unions its members are transferred to when it is dissolved
	absorbs       []absorb // unions whose targets it carries from their end
	reorgNote     string
	renameTo      string // its name from renamedOn ("" when it keeps it)
	renamedOn     day
}

// subKind says which names its groups take.
type subKind int

const (
	subsNone subKind = iota
	subsHospital
	subsSchool
	subsAgency
	subsEnterprise
)

// employer is an agency, public-service unit or enterprise, with or without
// a union.
type employer struct {
	name, industry, commune string
	sector                  congdoan.Sector
	district                int
	union                   int     // index in gen.unions; -1 without a union
	workers                 float64 // today (for a closed one: before closing)
	female                  float64
	salary                  int64 // monthly insured salary in 2021, đồng
	closes                  day
	responsible             int // upper index
	renameTo                string
	id                      int64
}

// district is one of Bắc Kạn's eight district-level units before 2025.
type district struct {
	geo       geo.Unit
	communes  []geo.Unit
	seat      geo.Unit
	label     string // "huyện Ba Bể", "thành phố Bắc Kạn"
	fed       int    // upper index
	successor int    // upper index named when the federation ended (the commune union of its seat)
	seatNew   string // the new commune its seat went into on 1/7/2025
	founded   day
	noTYT     []geo.Unit // communes whose health station is a group of the district health centre
	pub, biz  []int      // union indices, for transfers
}

func (g *gen) uf(a, b float64) float64 { return a + g.r.Float64()*(b-a) }

// stochRound rounds x up with probability equal to its fraction, so that
// scaled counts (0.13 of a commune's school) add up right on average.
func (g *gen) stochRound(x float64) int {
	n := math.Floor(x)
	if g.r.Float64() < x-n {
		n++
	}
	return int(n)
}

// unique makes a display name unique by numbering repeats ("… số 2"):
// at benchmark scale a commune has dozens of schools.
func (g *gen) unique(name string) string {
	g.nameCount[name]++
	if n := g.nameCount[name]; n > 1 {
		return fmt.Sprintf("%s số %d", name, n)
	}
	return name
}

func lowerType(u geo.Unit) string { return strings.ToLower(u.Type) + " " + u.Name }

// addUnion registers an employer (when e is not nil) and its union.
func (g *gen) addUnion(u *union, e *employer) {
	u.moveTo = -1
	u.emp = -1
	u.mergeInto = -1
	if e != nil {
		e.union = len(g.unions)
		e.district = u.district
		e.commune = u.commune
		if e.female == 0 {
			e.female = u.female
		}
		u.emp = len(g.employers)
		g.employers = append(g.employers, e)
	}
	g.unions = append(g.unions, u)
}

// institution adds a public agency or unit with its union.
func (g *gen) institution(di int, commune, empName, unionName string, sector congdoan.Sector, industry string,
	lo, hi, female float64, jobs []names.Weighted, parent int, sk subKind) *union {
	base := empName
	empName = g.unique(base)
	unionName += empName[len(base):] // a repeat's "số N" carries over to its union
	u := &union{name: unionName, kind: congdoan.KindGrassroots, parent: parent, district: di, commune: commune,
		cls: classPublic, jobs: jobs, female: female, weight: g.uf(lo, hi), subKind: sk}
	e := &employer{name: empName, industry: industry, sector: sector, salary: int64(g.uf(5.2e6, 8e6)) / 1000 * 1000}
	g.addUnion(u, e)
	return u
}

// catalogue lays out the province as it stood on 1/1/2021 and the
// employers that gain or lose a union later.
func (g *gen) catalogue() error {
	a := g.atlas
	s := g.scale
	prov, ok := a.Province("06")
	if !ok {
		return fmt.Errorf("demo: Bắc Kạn (06) missing from geo")
	}
	dists := a.Districts(prov.Code)
	if len(dists) != 8 {
		return fmt.Errorf("demo: Bắc Kạn has %d districts in geo, want 8", len(dists))
	}
	city := a.Communes(dists[0].Code)
	cityCommune := func() string { return city[g.r.IntN(min(4, len(city)))].Code }
	tnDists := a.Districts("19")
	tnCommune := ""
	if len(tnDists) > 0 {
		if cs := a.Communes(tnDists[0].Code); len(cs) > 0 {
			tnCommune = cs[0].Code
		}
	}

	g.bk = g.addUpper(&upper{code: "LDLD-BK", name: "Liên đoàn Lao động tỉnh Bắc Kạn", kind: congdoan.KindProvinceFederation,
		parent: -1, commune: city[min(2, len(city)-1)].Code, founded: mkDay(1997, 4, 1)})
	// Thái Nguyên's federation is older than the history; only the part
	// it took over from Bắc Kạn is generated.
	g.tn = g.addUpper(&upper{code: "LDLD-TN", name: "Liên đoàn Lao động tỉnh Thái Nguyên", kind: congdoan.KindProvinceFederation,
		parent: -1, commune: tnCommune, founded: mkDay(1997, 1, 1)})
	for _, dg := range dists {
		d := &district{geo: dg, communes: a.Communes(dg.Code), founded: mkDay(1997, 4, 1)}
		if len(d.communes) == 0 {
			return fmt.Errorf("demo: district %s has no communes", dg.Code)
		}
		d.seat = d.communes[0]
		for _, c := range d.communes {
			if c.Type == "Thị trấn" {
				d.seat = c
				break
			}
		}
		d.label = strings.ToLower(dg.Type) + " " + dg.Name
		if dg.Code == "060" { // Pác Nặm was split from Ba Bể in 2003
			d.founded = mkDay(2003, 3, 1)
		}
		d.fed = g.addUpper(&upper{code: "LDLD-BK-" + dg.Code, name: "Liên đoàn Lao động " + d.label,
			kind: congdoan.KindDistrictFederation, parent: g.bk, commune: d.seat.Code, founded: d.founded})
		g.districts = append(g.districts, d)
	}
	sectors := []struct{ code, name string }{
		{"CDN-BK-GD", "Công đoàn ngành Giáo dục"},
		{"CDN-BK-YT", "Công đoàn ngành Y tế"},
		{"CDN-BK-VC", "Công đoàn Viên chức tỉnh"},
		{"CDN-BK-NN", "Công đoàn ngành Nông nghiệp và Phát triển nông thôn"},
	}
	for i, sc := range sectors {
		g.sectors[i] = g.addUpper(&upper{code: sc.code, name: sc.name, kind: congdoan.KindSectorUnion, parent: g.bk,
			commune: cityCommune(), founded: mkDay(1997, time.Month(6+i), 1)})
	}
	gd, yt, vc, nn := g.sectors[0], g.sectors[1], g.sectors[2], g.sectors[3]
	J := g.jobs

	// Commune level: people's committee, schools, health station.
	remote := map[string]bool{"060": true, "061": true, "062": true, "064": true, "066": true}
	for di, d := range g.districts {
		for _, c := range d.communes {
			lc := lowerType(c)
			for range g.stochRound(s) {
				g.tagAgency(g.institution(di, c.Code, "Ủy ban nhân dân "+lc, "Công đoàn cơ sở UBND "+lc, congdoan.SectorAdministrate,
					"Quản lý nhà nước", 18, 26, 0.38, J.agency, d.fed, subsNone), roleCommuneUBND, c.Code)
			}
			for range g.stochRound(s) {
				g.institution(di, c.Code, "Trường Mầm non "+c.Name, "Công đoàn cơ sở Trường Mầm non "+c.Name, congdoan.SectorPublicUnit,
					"Giáo dục và đào tạo", 12, 30, 0.92, J.preschool, d.fed, subsNone)
			}
			for range g.stochRound(0.9 * s) {
				g.institution(di, c.Code, "Trường Tiểu học "+c.Name, "Công đoàn cơ sở Trường Tiểu học "+c.Name, congdoan.SectorPublicUnit,
					"Giáo dục và đào tạo", 15, 40, 0.6, J.school, d.fed, subsNone)
			}
			for range g.stochRound(0.65 * s) {
				school := "Trường THCS " + c.Name
				if remote[d.geo.Code] && g.r.IntN(100) < 35 {
					school = "Trường Phổ thông Dân tộc Bán trú THCS " + c.Name
				}
				g.institution(di, c.Code, school, "Công đoàn cơ sở "+school, congdoan.SectorPublicUnit,
					"Giáo dục và đào tạo", 15, 35, 0.55, J.school, d.fed, subsNone)
			}
			if n := g.stochRound(0.35 * s); n > 0 {
				for range n {
					g.institution(di, c.Code, "Trạm Y tế "+lc, "Công đoàn cơ sở Trạm Y tế "+lc, congdoan.SectorPublicUnit,
						"Y tế", 5, 9, 0.62, J.health, d.fed, subsNone)
				}
			} else {
				d.noTYT = append(d.noTYT, c)
			}
		}
		// District agencies, at the district seat.
		L := d.label
		seat := d.seat.Code
		party := "Huyện ủy " + d.geo.Name
		if d.geo.Type == "Thành phố" {
			party = "Thành ủy " + d.geo.Name
		}
		for range g.stochRound(s) {
			g.tagAgency(g.institution(di, seat, "Ủy ban nhân dân "+L, "Công đoàn cơ sở Cơ quan UBND "+L, congdoan.SectorAdministrate,
				"Quản lý nhà nước", 45, 70, 0.42, J.agency, d.fed, subsAgency), roleDistrictUBND, d.geo.Code)
			g.tagAgency(g.institution(di, seat, party, "Công đoàn cơ sở Cơ quan "+party, congdoan.SectorAdministrate,
				"Hoạt động của Đảng, đoàn thể", 20, 35, 0.42, J.agency, d.fed, subsNone), roleDistrictCP, d.geo.Code)
			g.institution(di, seat, "Trung tâm Văn hóa, Thể thao và Truyền thông "+L, "Công đoàn cơ sở Trung tâm Văn hóa, Thể thao và Truyền thông "+L,
				congdoan.SectorPublicUnit, "Văn hóa, thể thao", 15, 25, 0.5, J.public, d.fed, subsNone)
			g.institution(di, seat, "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên "+L, "Công đoàn cơ sở Trung tâm GDNN - GDTX "+L,
				congdoan.SectorPublicUnit, "Giáo dục và đào tạo", 15, 30, 0.55, J.school, d.fed, subsNone)
			g.institution(di, seat, "Ban Quản lý dự án đầu tư xây dựng "+L, "Công đoàn cơ sở Ban Quản lý dự án đầu tư xây dựng "+L,
				congdoan.SectorPublicUnit, "Xây dựng", 12, 25, 0.35, J.public, d.fed, subsNone)
			g.institution(di, seat, "Chi cục Thuế "+L, "Công đoàn cơ sở Chi cục Thuế "+L, congdoan.SectorAdministrate,
				"Thuế", 15, 30, 0.45, J.agency, d.fed, subsNone)
			g.institution(di, seat, "Bảo hiểm xã hội "+L, "Công đoàn cơ sở Bảo hiểm xã hội "+L, congdoan.SectorAdministrate,
				"Bảo hiểm xã hội", 10, 18, 0.55, J.agency, d.fed, subsNone)
			g.institution(di, seat, "Trung tâm Dịch vụ nông nghiệp "+L, "Công đoàn cơ sở Trung tâm Dịch vụ nông nghiệp "+L,
				congdoan.SectorPublicUnit, "Nông nghiệp", 10, 20, 0.4, J.public, d.fed, subsNone)
			// Sector unions' units in the district.
			u := g.institution(di, seat, "Trung tâm Y tế "+L, "Công đoàn cơ sở Trung tâm Y tế "+L, congdoan.SectorPublicUnit,
				"Y tế", 100, 130, 0.62, J.health, yt, subsHospital)
			for _, c := range d.noTYT {
				u.extraSubs = append(u.extraSubs, "Trạm Y tế "+lowerType(c))
				u.weight += g.uf(5, 8)
			}
			g.institution(di, seat, "Hạt Kiểm lâm "+L, "Công đoàn cơ sở Hạt Kiểm lâm "+L, congdoan.SectorAdministrate,
				"Lâm nghiệp", 12, 25, 0.25, J.agency, nn, subsNone)
			thpt := "Trường THPT " + d.geo.Name
			g.institution(di, seat, thpt, "Công đoàn cơ sở "+thpt, congdoan.SectorPublicUnit,
				"Giáo dục và đào tạo", 40, 75, 0.55, J.school, gd, subsSchool)
			if d.geo.Type != "Thành phố" {
				pt := "Trường Phổ thông Dân tộc Nội trú THCS " + L
				g.institution(di, seat, pt, "Công đoàn cơ sở "+pt, congdoan.SectorPublicUnit,
					"Giáo dục và đào tạo", 25, 40, 0.55, J.school, gd, subsNone)
			}
		}
	}

	// Provincial agencies and units, in the city or where they stand.
	type inst struct {
		district int
		commune  string // "" = a city ward
		emp      string
		union    string // "" = "Công đoàn cơ sở " + emp
		sector   congdoan.Sector
		industry string
		lo, hi   float64
		female   float64
		jobs     []names.Weighted
		parent   int
		sk       subKind
	}
	pub, adm := congdoan.SectorPublicUnit, congdoan.SectorAdministrate
	provincial := []inst{
		{0, "", "Bệnh viện Đa khoa tỉnh Bắc Kạn", "", pub, "Y tế", 450, 600, 0.62, J.health, yt, subsHospital},
		{0, "", "Bệnh viện Y dược cổ truyền tỉnh Bắc Kạn", "", pub, "Y tế", 80, 120, 0.62, J.health, yt, subsHospital},
		{0, "", "Trung tâm Kiểm soát bệnh tật tỉnh Bắc Kạn", "", pub, "Y tế", 70, 100, 0.6, J.health, yt, subsHospital},
		{0, "", "Sở Y tế tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Y tế", adm, "Y tế", 25, 40, 0.5, J.agency, yt, subsNone},
		{0, "", "Trường THPT Chuyên Bắc Kạn", "", pub, "Giáo dục và đào tạo", 45, 65, 0.6, J.school, gd, subsSchool},
		{0, "", "Trường Phổ thông Dân tộc Nội trú tỉnh Bắc Kạn", "", pub, "Giáo dục và đào tạo", 40, 60, 0.55, J.school, gd, subsNone},
		{0, "", "Trường Cao đẳng Bắc Kạn", "", pub, "Giáo dục và đào tạo", 80, 120, 0.55, J.school, gd, subsSchool},
		{0, "", "Sở Giáo dục và Đào tạo tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Giáo dục và Đào tạo", adm, "Giáo dục và đào tạo", 30, 45, 0.5, J.agency, gd, subsNone},
		{2, "01924", "Trường THPT Quảng Khê", "", pub, "Giáo dục và đào tạo", 35, 55, 0.55, J.school, gd, subsNone},
		{3, "01936", "Trường THPT Nà Phặc", "", pub, "Giáo dục và đào tạo", 35, 55, 0.55, J.school, gd, subsNone},
		{5, "02080", "Trường THPT Bình Trung", "", pub, "Giáo dục và đào tạo", 30, 50, 0.55, J.school, gd, subsNone},
		{0, "", "Văn phòng UBND tỉnh Bắc Kạn", "Công đoàn cơ sở Văn phòng UBND tỉnh", adm, "Quản lý nhà nước", 45, 60, 0.45, J.agency, vc, subsAgency},
		{0, "", "Văn phòng Đoàn ĐBQH và HĐND tỉnh Bắc Kạn", "Công đoàn cơ sở Văn phòng Đoàn ĐBQH và HĐND tỉnh", adm, "Quản lý nhà nước", 25, 35, 0.45, J.agency, vc, subsNone},
		{0, "", "Sở Tài chính tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Tài chính", adm, "Quản lý nhà nước", 35, 50, 0.55, J.agency, vc, subsNone},
		{0, "", "Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Kế hoạch và Đầu tư", adm, "Quản lý nhà nước", 30, 45, 0.5, J.agency, vc, subsNone},
		{0, "", "Sở Tư pháp tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Tư pháp", adm, "Quản lý nhà nước", 25, 40, 0.5, J.agency, vc, subsNone},
		{0, "", "Sở Nội vụ tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Nội vụ", adm, "Quản lý nhà nước", 30, 45, 0.5, J.agency, vc, subsNone},
		{0, "", "Sở Công Thương tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Công Thương", adm, "Quản lý nhà nước", 30, 45, 0.45, J.agency, vc, subsNone},
		{0, "", "Sở Xây dựng tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Xây dựng", adm, "Quản lý nhà nước", 30, 45, 0.35, J.agency, vc, subsNone},
		{0, "", "Sở Giao thông vận tải tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Giao thông vận tải", adm, "Quản lý nhà nước", 35, 55, 0.3, J.agency, vc, subsNone},
		{0, "", "Sở Tài nguyên và Môi trường tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Tài nguyên và Môi trường", adm, "Quản lý nhà nước", 35, 55, 0.45, J.agency, vc, subsNone},
		{0, "", "Sở Lao động - Thương binh và Xã hội tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Lao động - Thương binh và Xã hội", adm, "Quản lý nhà nước", 30, 45, 0.55, J.agency, vc, subsNone},
		{0, "", "Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Văn hóa, Thể thao và Du lịch", adm, "Quản lý nhà nước", 30, 45, 0.5, J.agency, vc, subsNone},
		{0, "", "Sở Khoa học và Công nghệ tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Khoa học và Công nghệ", adm, "Quản lý nhà nước", 25, 35, 0.5, J.agency, vc, subsNone},
		{0, "", "Sở Thông tin và Truyền thông tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Thông tin và Truyền thông", adm, "Quản lý nhà nước", 25, 35, 0.5, J.agency, vc, subsNone},
		{0, "", "Thanh tra tỉnh Bắc Kạn", "Công đoàn cơ sở Thanh tra tỉnh", adm, "Quản lý nhà nước", 25, 35, 0.4, J.agency, vc, subsNone},
		{0, "", "Ban Dân tộc tỉnh Bắc Kạn", "Công đoàn cơ sở Ban Dân tộc tỉnh", adm, "Quản lý nhà nước", 20, 30, 0.5, J.agency, vc, subsNone},
		{0, "", "Đài Phát thanh và Truyền hình Bắc Kạn", "", pub, "Thông tin, truyền thông", 70, 100, 0.45, J.public, vc, subsAgency},
		{0, "", "Báo Bắc Kạn", "", pub, "Thông tin, truyền thông", 30, 45, 0.5, J.public, vc, subsNone},
		{0, "", "Trường Chính trị tỉnh Bắc Kạn", "", pub, "Giáo dục và đào tạo", 30, 45, 0.55, J.school, vc, subsNone},
		{0, "", "Bảo tàng tỉnh Bắc Kạn", "", pub, "Văn hóa, thể thao", 15, 25, 0.55, J.public, vc, subsNone},
		{0, "", "Thư viện tỉnh Bắc Kạn", "", pub, "Văn hóa, thể thao", 12, 20, 0.7, J.public, vc, subsNone},
		{0, "", "Trung tâm Dịch vụ việc làm tỉnh Bắc Kạn", "", pub, "Lao động, việc làm", 15, 25, 0.55, J.public, vc, subsNone},
		{0, "", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Kạn", "Công đoàn cơ sở Cơ quan Sở Nông nghiệp và Phát triển nông thôn", adm, "Nông nghiệp", 35, 50, 0.4, J.agency, nn, subsNone},
		{0, "", "Chi cục Kiểm lâm tỉnh Bắc Kạn", "", adm, "Lâm nghiệp", 25, 35, 0.25, J.agency, nn, subsNone},
		{0, "", "Chi cục Thủy lợi tỉnh Bắc Kạn", "", adm, "Nông nghiệp", 12, 20, 0.35, J.agency, nn, subsNone},
		{0, "", "Chi cục Chăn nuôi và Thú y tỉnh Bắc Kạn", "", adm, "Nông nghiệp", 20, 30, 0.4, J.agency, nn, subsNone},
		{0, "", "Trung tâm Khuyến nông tỉnh Bắc Kạn", "", pub, "Nông nghiệp", 20, 30, 0.4, J.public, nn, subsNone},
		{0, "", "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn tỉnh Bắc Kạn", "", pub, "Cấp nước", 15, 25, 0.35, J.public, nn, subsNone},
		{2, "01909", "Vườn quốc gia Ba Bể", "", pub, "Lâm nghiệp", 70, 95, 0.35, J.public, nn, subsAgency},
		{7, "02146", "Ban Quản lý rừng đặc dụng Kim Hỷ", "", pub, "Lâm nghiệp", 15, 25, 0.3, J.public, nn, subsNone},
	}
	for _, p := range provincial {
		for range g.stochRound(s) {
			commune := p.commune
			if commune == "" {
				commune = cityCommune()
			}
			un := p.union
			if un == "" {
				un = "Công đoàn cơ sở " + p.emp
			}
			u := g.institution(p.district, commune, p.emp, un, p.sector, p.industry, p.lo, p.hi, p.female, p.jobs, p.parent, p.sk)
			if strings.HasPrefix(p.emp, "Sở ") || strings.HasPrefix(p.emp, "Ban ") {
				g.tagAgency(u, roleDepartment, p.emp)
			}
		}
	}

	// Business: a few well-known state enterprises, then generated ones.
	type big struct {
		emp, industry string
		sector        congdoan.Sector
		size          float64
	}
	for _, b := range []big{
		{"Công ty Điện lực Bắc Kạn", "Sản xuất và phân phối điện", congdoan.SectorState, 230},
		{"Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh tỉnh Bắc Kạn", "Tài chính, ngân hàng", congdoan.SectorState, 190},
		{"Bưu điện tỉnh Bắc Kạn", "Bưu chính", congdoan.SectorState, 140},
		{"Viễn thông Bắc Kạn", "Viễn thông", congdoan.SectorState, 110},
		{"Công ty Cổ phần Cấp thoát nước Bắc Kạn", "Cấp nước", congdoan.SectorState, 85},
	} {
		for range g.stochRound(s) {
			g.business(0, cityCommune(), g.unique(b.emp), b.industry, b.sector, b.size*g.uf(0.9, 1.1), g.uf(0.3, 0.5))
		}
	}
	distWeights := []float64{35, 4, 9, 6, 10, 14, 13, 9} // 058, 060 … 066: the city and the mining and timber districts lead
	for range g.stochRound(165 * s) {
		di := g.pickIndex(distWeights)
		d := g.districts[di]
		commune := d.seat.Code
		if g.r.IntN(100) >= 40 {
			commune = d.communes[g.r.IntN(len(d.communes))].Code
		}
		sector := congdoan.SectorNonState
		switch x := g.r.IntN(100); {
		case x >= 97:
			sector = congdoan.SectorFDI
		case x >= 87:
			sector = congdoan.SectorCooperative
		case x >= 75:
			sector = congdoan.SectorState
		}
		var size float64
		switch x := g.r.IntN(100); {
		case x < 65:
			size = g.uf(10, 40)
		case x < 92:
			size = g.uf(40, 150)
		default:
			size = g.uf(150, 500)
		}
		switch sector {
		case congdoan.SectorCooperative:
			size = min(size, g.uf(12, 40))
		case congdoan.SectorFDI:
			size = max(size, g.uf(80, 200))
		case congdoan.SectorState:
			size *= 1.4
		}
		name, industry := g.enterpriseName(sector, commune, size)
		g.business(di, commune, name, industry, sector, size, g.uf(0.25, 0.62))
	}
	for i, u := range g.unions {
		if u.cls == classPublic {
			g.districts[u.district].pub = append(g.districts[u.district].pub, i)
		} else {
			g.districts[u.district].biz = append(g.districts[u.district].biz, i)
		}
	}

	// Nghiệp đoàn: informal workers, no employer.
	type informal struct {
		district int
		commune  string
		name     string
		female   float64
		jobs     []names.Weighted
	}
	for _, t := range []informal{
		{0, "", "Nghiệp đoàn Vận tải thành phố Bắc Kạn", 0.1, []names.Weighted{{Name: "Lái xe", Weight: 60}, {Name: "Lái xe ôm", Weight: 40}}},
		{2, "01909", "Nghiệp đoàn Du lịch hồ Ba Bể", 0.45, []names.Weighted{{Name: "Lái thuyền du lịch", Weight: 50}, {Name: "Hướng dẫn viên", Weight: 20}, {Name: "Lao động tự do", Weight: 30}}},
		{6, "", "Nghiệp đoàn Xây dựng huyện Chợ Mới", 0.15, []names.Weighted{{Name: "Thợ xây", Weight: 70}, {Name: "Thợ mộc", Weight: 15}, {Name: "Lao động tự do", Weight: 15}}},
		{5, "", "Nghiệp đoàn Bốc xếp huyện Chợ Đồn", 0.1, []names.Weighted{{Name: "Công nhân bốc xếp", Weight: 80}, {Name: "Lao động tự do", Weight: 20}}},
	} {
		for range g.stochRound(s) {
			d := g.districts[t.district]
			commune := t.commune
			if commune == "" {
				commune = d.seat.Code
			}
			g.addUnion(&union{name: g.unique(t.name), kind: congdoan.KindInformalUnion, parent: d.fed, district: t.district,
				commune: commune, cls: classInformal, jobs: t.jobs, female: t.female, weight: g.uf(20, 45)}, nil)
		}
	}

	// Employers without a union: the organising list (≥ 15 workers),
	// some of which found a union during the history, and small ones.
	var candidates []int
	for _, organising := range []bool{true, false} {
		n := g.stochRound(150 * s)
		if !organising {
			n = g.stochRound(320 * s)
		}
		for range n {
			di := g.pickIndex(distWeights)
			d := g.districts[di]
			commune := d.communes[g.r.IntN(len(d.communes))].Code
			sector := congdoan.SectorNonState
			x := g.r.IntN(100)
			var workers float64
			if organising {
				switch {
				case x >= 95:
					sector = congdoan.SectorFDI
				case x >= 83:
					sector = congdoan.SectorCooperative
				case x >= 80:
					sector = congdoan.SectorState
				}
				workers = g.uf(15, 60)
				if g.r.IntN(100) < 15 {
					workers = g.uf(60, 160)
				}
			} else {
				switch {
				case x >= 80:
					sector = congdoan.SectorOther
				case x >= 55:
					sector = congdoan.SectorCooperative
				}
				workers = float64(3 + g.r.IntN(12))
				if sector == congdoan.SectorOther {
					workers = float64(2 + g.r.IntN(7)) // a household business: a few hands
				}
			}
			var name, industry string
			if sector == congdoan.SectorOther {
				n, _ := g.people.fullName(g.r, g.r.IntN(2) == 0)
				name, industry = g.unique("Hộ kinh doanh "+n), "Thương mại, dịch vụ"
			} else {
				name, industry = g.enterpriseName(sector, commune, workers)
			}
			e := &employer{name: name, industry: industry, commune: commune, sector: sector, district: di, union: -1,
				workers: workers, female: g.uf(0.25, 0.62), salary: int64(g.uf(4.5e6, 6.5e6)) / 1000 * 1000}
			if organising {
				candidates = append(candidates, len(g.employers))
			}
			g.employers = append(g.employers, e)
		}
	}

	// Some enterprises close and their union is dissolved.
	var closable []int
	for i, u := range g.unions {
		if u.cls == classBusiness && u.weight < 45 && u.parent != g.bk {
			closable = append(closable, i)
		}
	}
	for k := g.stochRound(8 * s); k > 0 && len(closable) > 0; k-- {
		j := g.r.IntN(len(closable))
		u := g.unions[closable[j]]
		closable = slices.Delete(closable, j, j+1)
		u.closes = g.eventDay(g.start+120, g.today-30)
		g.employers[u.emp].closes = u.closes
	}
	// Others gain one: a founding congress on the founding day. Founding
	// dates are spread evenly (one per slice of the history) because
	// organising is a steady campaign, not a lottery.
	nNew := min(g.stochRound(30*s), len(candidates))
	span := float64(g.today - 20 - (g.start + 31))
	for k := range nNew {
		founded := g.eventDay(g.start+31+day((float64(k)+g.r.Float64()*0.9)*span/float64(nNew)), g.start+31+day((float64(k)+1)*span/float64(nNew)))
		j := g.r.IntN(len(candidates))
		ei := candidates[j]
		candidates = slices.Delete(candidates, j, j+1)
		e := g.employers[ei]
		d := g.districts[e.district]
		u := &union{name: g.unionName(e), kind: congdoan.KindGrassroots, parent: d.fed, moveTo: -1, mergeInto: -1, emp: ei,
			district: e.district, commune: e.commune, cls: classBusiness, jobs: g.jobs.enterprise, female: e.female,
			weight: e.workers, isNew: true, founded: founded}
		e.union = len(g.unions)
		g.districts[e.district].biz = append(g.districts[e.district].biz, len(g.unions))
		g.unions = append(g.unions, u)
	}
	for i, u := range g.unions {
		u.idx = i
	}
	return nil
}

// eventDay draws a day in [a, b] and keeps it off the days around the
// restructuring, so no union is founded or closed on the day it moves.
func (g *gen) eventDay(a, b day) day {
	d := between(g.r, a, b)
	if d >= g.reorg-3 && d <= g.reorg+3 {
		d = g.reorg + 4
	}
	return d
}

func (g *gen) pickIndex(ws []float64) int {
	t := 0.0
	for _, w := range ws {
		t += w
	}
	x := g.r.Float64() * t
	for i, w := range ws {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(ws) - 1
}

func (g *gen) addUpper(u *upper) int {
	g.uppers = append(g.uppers, u)
	return len(g.uppers) - 1
}

// business adds an enterprise with its union; the largest are managed
// directly by the provincial federation, as in most provinces.
func (g *gen) business(di int, commune, name, industry string, sector congdoan.Sector, size, female float64) {
	e := &employer{name: name, industry: industry, sector: sector, female: female, salary: int64(g.uf(4.5e6, 7.5e6)) / 1000 * 1000}
	parent := g.districts[di].fed
	if size >= 200 {
		parent = g.bk
	}
	sk := subsNone
	if size >= 80 {
		sk = subsEnterprise
	}
	u := &union{name: g.unionName(e), kind: congdoan.KindGrassroots, parent: parent, district: di, commune: commune,
		cls: classBusiness, jobs: g.jobs.enterprise, female: female, weight: size, subKind: sk}
	g.addUnion(u, e)
}

func (g *gen) unionName(e *employer) string {
	if e.sector == congdoan.SectorCooperative || e.sector == congdoan.SectorState && !strings.HasPrefix(e.name, "Công ty") {
		return "Công đoàn cơ sở " + e.name
	}
	return "Công đoàn " + e.name
}

// stateLines are the trades of the province's state-owned enterprises,
// named after the province or a district as such companies are
// ("Công ty TNHH MTV Lâm nghiệp Bắc Kạn"), never after a private brand.
var stateLines = []struct{ word, industry string }{
	{"Lâm nghiệp", "Nông, lâm nghiệp"}, {"Quản lý và Sửa chữa đường bộ", "Xây dựng"}, {"Khai thác Công trình thủy lợi", "Nông nghiệp"},
	{"Xổ số kiến thiết", "Thương mại, dịch vụ"}, {"Môi trường Đô thị", "Môi trường, vệ sinh"}, {"Khoáng sản", "Khai khoáng"},
	{"In", "In ấn"}, {"Sách và Thiết bị trường học", "Thương mại, dịch vụ"}, {"Dược - Vật tư y tế", "Sản xuất dược liệu"},
	{"Xây dựng Giao thông", "Xây dựng"}, {"Phát triển Nhà", "Xây dựng"},
}

// enterpriseName invents a plausible company name and its industry. The
// legal form agrees with the ownership and the size: a state enterprise
// is a single-member limited company or a joint-stock company named after
// its place, and a sole proprietorship (DNTN) has a few dozen workers at
// most.
func (g *gen) enterpriseName(sector congdoan.Sector, commune string, size float64) (string, string) {
	type biz struct{ word, industry string }
	lines := []biz{
		{"Khoáng sản", "Khai khoáng"}, {"Xây dựng", "Xây dựng"}, {"Xây dựng và Thương mại", "Xây dựng"},
		{"Thương mại và Dịch vụ", "Thương mại, dịch vụ"}, {"Chế biến Lâm sản", "Chế biến gỗ và lâm sản"},
		{"Vận tải", "Vận tải"}, {"Đầu tư và Phát triển", "Xây dựng"}, {"Nông lâm nghiệp", "Nông, lâm nghiệp"},
		{"Dược liệu", "Sản xuất dược liệu"}, {"Giấy", "Sản xuất giấy"}, {"Gạch Tuynel", "Sản xuất vật liệu xây dựng"},
		{"Vật liệu Xây dựng", "Sản xuất vật liệu xây dựng"}, {"Chè", "Chế biến thực phẩm"}, {"Thực phẩm", "Chế biến thực phẩm"},
		{"Du lịch", "Du lịch, khách sạn"}, {"May mặc", "Dệt may"}, {"Cơ khí", "Cơ khí"}, {"Thủy điện", "Sản xuất điện"},
		{"Môi trường Đô thị", "Môi trường, vệ sinh"}, {"Xăng dầu", "Thương mại, dịch vụ"}, {"Gỗ", "Chế biến gỗ và lâm sản"},
	}
	brands := []string{"Bắc Kạn", "Ngân Sơn", "Ba Bể", "Chợ Đồn", "Na Rì", "Bạch Thông", "Chợ Mới", "Pác Nặm", "Hoàng Gia",
		"Minh Anh", "Thành Đạt", "Hưng Thịnh", "Phú Cường", "An Khang", "Tuấn Hưng", "Đức Minh", "Phúc Lộc", "Việt Bắc",
		"Hồng Hà", "Trường Sơn", "Kim Ngân", "Sơn Lâm", "Đông Bắc", "Tân Phát", "Quang Minh", "Bảo Long", "Nam Việt",
		"Thái Bình Dương", "Hải Đăng", "Vạn Xuân", "Lâm Phát", "Phượng Hoàng", "Sông Cầu", "Hoàng Anh", "Trung Thành"}
	for try := 0; ; try++ {
		b := lines[g.r.IntN(len(lines))]
		brand := brands[g.r.IntN(len(brands))]
		var name string
		switch sector {
		case congdoan.SectorState:
			sl := stateLines[g.r.IntN(len(stateLines))]
			place := "Bắc Kạn"
			if c, ok := g.atlas.Unit(commune); ok && g.r.IntN(3) == 0 {
				if d, ok := g.atlas.Unit(c.ParentCode); ok {
					place = d.Name
				}
			}
			form := "Công ty TNHH MTV "
			if g.r.IntN(3) == 0 {
				form = "Công ty Cổ phần "
			}
			b.industry = sl.industry
			name = form + sl.word + " " + place
		case congdoan.SectorFDI:
			foreign := []string{"Hanil", "Jinxin", "Taesung", "Evergreen", "Sunrise", "Oriental", "Daewon", "Hoa Phong"}
			name = "Công ty TNHH " + b.word + " " + foreign[g.r.IntN(len(foreign))] + " Việt Nam"
		case congdoan.SectorCooperative:
			coop := []biz{{"Nông nghiệp", "Nông, lâm nghiệp"}, {"Dịch vụ Nông nghiệp", "Nông, lâm nghiệp"}, {"Chè", "Chế biến thực phẩm"},
				{"Miến dong", "Chế biến thực phẩm"}, {"Dược liệu", "Sản xuất dược liệu"}, {"Vận tải", "Vận tải"},
				{"Xây dựng", "Xây dựng"}, {"Lâm nghiệp", "Nông, lâm nghiệp"}, {"Thủ công mỹ nghệ", "Thủ công mỹ nghệ"}}
			b = coop[g.r.IntN(len(coop))]
			place := brand
			if c, ok := g.atlas.Unit(commune); ok {
				place = c.Name
			}
			name = "Hợp tác xã " + b.word + " " + place
		default:
			forms := []string{"Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"}
			if size >= 50 {
				forms = forms[:5] // not a sole proprietorship
			}
			name = forms[g.r.IntN(len(forms))] + " " + b.word + " " + brand
		}
		if g.nameCount[name] == 0 || try >= 4 {
			return g.unique(name), b.industry
		}
	}
}
