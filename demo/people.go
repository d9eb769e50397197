package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"congdoan"
	"congdoan/demo/names"
	"congdoan/store"
	"congdoan/vntext"
)

// people draws persons: names, ethnicity, CCCD, phone and job, all from the
// generator's one random stream so a seed gives the same people.
type people struct {
	families, ethnicities          []names.Weighted
	residual                       []names.Weighted // ethnic weights left after the family rules
	male, female, maleG, femaleG   []string
	provinces                      []names.Weighted
	cccdSeq                        map[int]*cccdSeq
	phonePrefixes                  []string
	kinhFamilies, daoFamilies      map[string]bool
	hmongFamilies, nungFamilies    map[string]bool
	tayNungFamiliesWithDaoVariants map[string]bool
}

// cccdSeq hands out the 6 trailing digits of citizen IDs with one prefix
// (province, century+gender, year). Stepping a counter through a bijection
// of 0..999999 gives unique, random-looking digits without remembering every
// ID issued — at a million members a set of IDs would cost tens of MB.
type cccdSeq struct{ n, offset int }

func newPeople(nm *names.Names) *people {
	set := func(xs ...string) map[string]bool {
		m := make(map[string]bool, len(xs))
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	p := &people{
		families:    nm.Families(),
		ethnicities: nm.Ethnicities(),
		male:        nm.Male(),
		female:      nm.Female(),
		maleG:       nm.MaleGiven(),
		femaleG:     nm.FemaleGiven(),
		// Where members' births were registered: mostly Bắc Kạn (006),
		// the rest from neighbouring provinces and Hà Nội (per mille).
		provinces: []names.Weighted{
			{Name: "006", Weight: 850}, {Name: "019", Weight: 40}, {Name: "020", Weight: 25}, {Name: "004", Weight: 25},
			{Name: "001", Weight: 20}, {Name: "008", Weight: 10}, {Name: "024", Weight: 10}, {Name: "025", Weight: 8},
			{Name: "002", Weight: 6}, {Name: "038", Weight: 6},
		},
		cccdSeq: map[int]*cccdSeq{},
		// Viettel, VinaPhone and MobiFone prefixes (03x, 08x, 09x).
		phonePrefixes: []string{"096", "097", "098", "086", "032", "033", "034", "035", "036", "037", "038", "039",
			"091", "094", "088", "081", "082", "083", "084", "085", "090", "093", "089"},
		kinhFamilies:  set("Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Bùi", "Đỗ", "Ngô", "Phan", "Hồ", "Đinh"),
		daoFamilies:   set("Bàn", "Chảo", "Phùng"),
		hmongFamilies: set("Giàng", "Sùng", "Vàng"),
		nungFamilies:  set("Mã", "Lăng"),
		// Family names shared by Dao and Tày/Nùng families.
		tayNungFamiliesWithDaoVariants: set("Triệu", "Lý", "Đặng"),
	}
	p.residual = p.residualEthnicities()
	return p
}

// familyRule says which ethnic group a family name implies, and how
// often: a "Giàng" is H'Mông and a "Bàn" Dao, as a reader from the
// province would expect; most Tày and Nùng names say nothing.
func (p *people) familyRule(family string) (ethnicity string, permille int) {
	switch {
	case p.hmongFamilies[family]:
		return "Mông", 1000
	case p.daoFamilies[family]:
		return "Dao", 1000
	case p.nungFamilies[family]:
		return "Nùng", 1000
	case p.tayNungFamiliesWithDaoVariants[family]:
		return "Dao", 600
	case p.kinhFamilies[family]:
		return "Kinh", 750
	}
	return "", 0
}

// residualEthnicities is what the family rules leave to chance: the
// province's ethnic weights minus what the rules already assign, so that
// the members' overall mix still follows names.Ethnicities.
func (p *people) residualEthnicities() []names.Weighted {
	total := 0
	for _, f := range p.families {
		total += f.Weight
	}
	forced := make([]int, len(p.ethnicities)) // in units of weight·‰
	for _, f := range p.families {
		eth, pm := p.familyRule(f.Name)
		for i, e := range p.ethnicities {
			if e.Name == eth {
				forced[i] += f.Weight * pm
			}
		}
	}
	ethTotal := 0
	for _, e := range p.ethnicities {
		ethTotal += e.Weight
	}
	out := make([]names.Weighted, len(p.ethnicities))
	for i, e := range p.ethnicities {
		want := total * 1000 * e.Weight / ethTotal
		out[i] = names.Weighted{Name: e.Name, Weight: max(0, want-forced[i])}
	}
	return out
}

func (p *people) ethnicity(r *rand.Rand, family string) string {
	if eth, pm := p.familyRule(family); pm > 0 && r.IntN(1000) < pm {
		return eth
	}
	return names.Pick(r, p.residual)
}

// fullName builds family + middle + given. About half the names take the
// plain "Văn"/"Thị" middle name that Tày, Nùng and Kinh families favour;
// that also makes "Nguyễn Văn …", which searches are tried with, common.
func (p *people) fullName(r *rand.Rand, female bool) (name string, nguyenVan bool) {
	family := names.Pick(r, p.families)
	var rest string
	switch {
	case female && r.IntN(100) < 45:
		rest = "Thị " + p.femaleG[r.IntN(len(p.femaleG))]
	case female:
		rest = p.female[r.IntN(len(p.female))]
	case r.IntN(100) < 45:
		rest = "Văn " + p.maleG[r.IntN(len(p.maleG))]
	default:
		rest = p.male[r.IntN(len(p.male))]
	}
	name = vntext.Clean(family + " " + rest)
	return name, strings.HasPrefix(name, "Nguyễn Văn ")
}

// cccd issues a citizen ID that agrees with gender and birth year
// (DOMAIN-FACTS.md §9).
func (p *people) cccd(r *rand.Rand, female bool, birthYear int) string {
	prov := names.Pick(r, p.provinces)
	cg := (birthYear/100 - 19) * 2
	if female {
		cg++
	}
	key := (int(prov[0]-'0')*100+int(prov[1]-'0')*10+int(prov[2]-'0'))*1000 + cg*100 + birthYear%100
	s := p.cccdSeq[key]
	if s == nil {
		s = &cccdSeq{offset: r.IntN(1_000_000)}
		p.cccdSeq[key] = s
	}
	// 7919 is prime and coprime to 10⁶, so n ↦ n·7919 + offset mod 10⁶
	// is a bijection: no two counters give the same digits.
	tail := (s.n*7919 + s.offset) % 1_000_000
	s.n++
	return fmt.Sprintf("%s%d%02d%06d", prov, cg, birthYear%100, tail)
}

func (p *people) phone(r *rand.Rand) string {
	if r.IntN(100) >= 85 {
		return ""
	}
	return fmt.Sprintf("%s%07d", p.phonePrefixes[r.IntN(len(p.phonePrefixes))], r.IntN(10_000_000))
}

// person draws a new member of u joining on on. initial marks the stock
// recorded on 2021-01-01, who are older on average than new recruits.
func (g *gen) person(u *union, on day, initial bool) (store.BulkPerson, personState) {
	r := g.r
	female := r.Float64() < u.female
	var birth, retire day
	for try := 0; ; try++ {
		var age float64
		if initial {
			age = triangular(r, 19, 34, 58)
		} else {
			age = triangular(r, 18.5, 25, 46)
		}
		birth = on - day(age*365.25)
		birth = between(r, birth-180, birth+180)
		if y := birth.year(); y < 1966 {
			birth = mkDay(1966, 1, 1) + day(r.IntN(365))
		}
		// Members are of working age: adults (6575 days = 18 years),
		// born by 2005, and not due to retire within a couple of months
		// of joining.
		if latest := min(on-6575, mkDay(2005, 12, 31)); birth > latest {
			birth = latest - day(r.IntN(400))
		}
		retire = retireDay(birth, female)
		if retire > on+62 || try > 20 {
			break
		}
	}
	name, nv := g.people.fullName(r, female)
	family, _, _ := strings.Cut(name, " ")
	gender := congdoan.GenderMale
	if female {
		gender = congdoan.GenderFemale
	}
	bp := store.BulkPerson{
		CCCD:      g.people.cccd(r, female, birth.year()),
		FullName:  name,
		Gender:    gender,
		Ethnicity: g.people.ethnicity(r, family),
		Phone:     g.people.phone(r),
		Job:       names.Pick(r, u.jobs),
		BirthDate: birth.date(),
	}
	return bp, personState{retire: retire, nguyenVan: nv}
}

// personState is what the simulation needs to remember about a person
// beyond the row already written.
type personState struct {
	retire    day
	nguyenVan bool
}

// triangular draws from the triangular distribution on [a, b] with mode c:
// a cheap, bounded stand-in for an age pyramid.
func triangular(r *rand.Rand, a, c, b float64) float64 {
	u := r.Float64()
	f := (c - a) / (b - a)
	if u < f {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}
