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
	families                     []names.Weighted // the province's mix, for names of no one in particular
	familiesOf                   map[string][]names.Weighted
	byDistrict                   map[string][]names.Weighted // district code → ethnic mix of its members
	ethnicities                  []names.Weighted
	male, female, maleG, femaleG []string
	provinces                    []names.Weighted
	cccdSeq                      map[int]*cccdSeq
	phonePrefixes                []string
}

// cccdSeq hands out the 6 trailing digits of citizen IDs with one prefix
// (province, century+gender, year). Stepping a counter through a bijection
// of 0..999999 gives unique, random-looking digits without remembering every
// ID issued — at a million members a set of IDs would cost tens of MB.
type cccdSeq struct{ n, offset int }

// districtEthnicities is the ethnic mix of union members by district, per
// mille: the 2019 census's shares of each district (Pác Nặm about two
// thirds Mông and Dao, Ba Bể and Ngân Sơn far more Dao than the city, Na
// Rì the most Nùng), leaned toward the Kinh and Tày who fill more of the
// posts in agencies, schools and enterprises. The provincial agencies in
// the city take the city's mix.
var districtEthnicities = map[string][]names.Weighted{
	"058": {{Name: "Kinh", Weight: 450}, {Name: "Tày", Weight: 400}, {Name: "Nùng", Weight: 70}, {Name: "Dao", Weight: 60}, {Name: "Mông", Weight: 5}, {Name: "Hoa", Weight: 10}, {Name: "Sán Chay", Weight: 5}},
	"060": {{Name: "Tày", Weight: 380}, {Name: "Dao", Weight: 250}, {Name: "Mông", Weight: 200}, {Name: "Kinh", Weight: 100}, {Name: "Nùng", Weight: 70}},
	"061": {{Name: "Tày", Weight: 520}, {Name: "Dao", Weight: 200}, {Name: "Mông", Weight: 80}, {Name: "Kinh", Weight: 130}, {Name: "Nùng", Weight: 70}},
	"062": {{Name: "Tày", Weight: 450}, {Name: "Dao", Weight: 200}, {Name: "Nùng", Weight: 180}, {Name: "Kinh", Weight: 130}, {Name: "Mông", Weight: 40}},
	"063": {{Name: "Tày", Weight: 560}, {Name: "Kinh", Weight: 200}, {Name: "Dao", Weight: 150}, {Name: "Nùng", Weight: 80}, {Name: "Mông", Weight: 5}, {Name: "Hoa", Weight: 5}},
	"064": {{Name: "Tày", Weight: 580}, {Name: "Kinh", Weight: 170}, {Name: "Dao", Weight: 170}, {Name: "Nùng", Weight: 60}, {Name: "Mông", Weight: 15}, {Name: "Hoa", Weight: 5}},
	"065": {{Name: "Tày", Weight: 470}, {Name: "Kinh", Weight: 250}, {Name: "Dao", Weight: 180}, {Name: "Nùng", Weight: 90}, {Name: "Mông", Weight: 5}, {Name: "Hoa", Weight: 5}},
	"066": {{Name: "Tày", Weight: 500}, {Name: "Nùng", Weight: 250}, {Name: "Dao", Weight: 140}, {Name: "Kinh", Weight: 100}, {Name: "Mông", Weight: 10}},
}

func newPeople(nm *names.Names) *people {
	p := &people{
		families:    nm.Families(),
		familiesOf:  map[string][]names.Weighted{},
		byDistrict:  districtEthnicities,
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
	}
	for _, e := range p.ethnicities {
		p.familiesOf[e.Name] = nm.FamiliesOf(e.Name)
	}
	return p
}

// ethnicityIn draws a member's ethnic group from their district's mix.
func (p *people) ethnicityIn(r *rand.Rand, district string) string {
	if ws, ok := p.byDistrict[district]; ok {
		return names.Pick(r, ws)
	}
	return names.Pick(r, p.ethnicities)
}

// fullNameOf builds a name whose family name fits the ethnic group.
func (p *people) fullNameOf(r *rand.Rand, female bool, ethnicity string) (name string, nguyenVan bool) {
	fam := p.familiesOf[ethnicity]
	if len(fam) == 0 {
		fam = p.families
	}
	return p.nameWith(r, female, names.Pick(r, fam))
}

// fullName builds family + middle + given. About half the names take the
// plain "Văn"/"Thị" middle name that Tày, Nùng and Kinh families favour;
// that also makes "Nguyễn Văn …", which searches are tried with, common.
func (p *people) fullName(r *rand.Rand, female bool) (name string, nguyenVan bool) {
	return p.nameWith(r, female, names.Pick(r, p.families))
}

func (p *people) nameWith(r *rand.Rand, female bool, family string) (name string, nguyenVan bool) {
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
	eth := g.people.ethnicityIn(r, g.districts[u.district].geo.Code)
	name, nv := g.people.fullNameOf(r, female, eth)
	gender := congdoan.GenderMale
	if female {
		gender = congdoan.GenderFemale
	}
	bp := store.BulkPerson{
		CCCD:      g.people.cccd(r, female, birth.year()),
		FullName:  name,
		Gender:    gender,
		Ethnicity: eth,
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
