package demo

import (
	"math/rand/v2"
	"time"

	"congdoan"
)

// day is a civil date as a day number since 1970-01-01. The simulation
// compares and adds dates millions of times; congdoan.Date wraps a
// time.Time (24 bytes, slow arithmetic), so dates become congdoan.Date
// only when written.
type day int32

func mkDay(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayOf(d congdoan.Date) day { return day(d.Time().Unix() / 86400) }

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d day) date() congdoan.Date { return congdoan.DateOf(d.time()) }

func (d day) year() int { return d.time().Year() }

// addMonths returns the first day of the month n months after d's month.
func (d day) addMonths(n int) day {
	t := d.time()
	return mkDay(t.Year(), t.Month()+time.Month(n), 1)
}

// between returns a uniformly random day in [a, b]; b < a gives a.
func between(r *rand.Rand, a, b day) day {
	if b <= a {
		return a
	}
	return a + day(r.IntN(int(b-a)+1))
}

// retireAgeMonths is the statutory retirement age, in months, for people
// reaching it in year y (Labour Code 2019 Art. 169, Decree 135/2020/NĐ-CP):
// from 2021 it rises from 60y3m by 3 months a year to 62 for men, and from
// 55y4m by 4 months a year to 60 for women.
func retireAgeMonths(y int, female bool) int {
	if female {
		if y < 2021 {
			return 55 * 12
		}
		return min(55*12+4+4*(y-2021), 60*12)
	}
	if y < 2021 {
		return 60 * 12
	}
	return min(60*12+3+3*(y-2021), 62*12)
}

// retireDay is the day a person born on birth retires: the first day of the
// month after they reach the retirement age of the year they reach it in.
// Because the age grows by less than a year per year, exactly one year y
// has its age reached within y.
func retireDay(birth day, female bool) day {
	b := birth.time()
	for y := b.Year() + 50; y < b.Year()+80; y++ {
		reach := b.AddDate(0, retireAgeMonths(y, female), 0)
		if reach.Year() == y {
			return mkDay(reach.Year(), reach.Month()+1, 1)
		}
	}
	return mkDay(b.Year()+62, b.Month()+1, 1)
}

// growthShape maps the elapsed share x of the history (0 at 2021-01-01, 1
// today) to the share of the growth achieved: nearly steady, slower in
// 2022–2023 and faster in 2024–2025. With the unions founded along the way
// the province ends up a little behind the plan's 2023 and 2025 milestones
// (22,000 and 23,000), a plausible path rather than a straight line.
func growthShape(x float64) float64 {
	knots := [...][2]float64{{0, 0}, {0.15, 0.13}, {0.33, 0.29}, {0.5, 0.46}, {0.62, 0.6}, {0.75, 0.74}, {0.85, 0.86}, {1, 1}}
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	for i := 1; i < len(knots); i++ {
		if x <= knots[i][0] {
			a, b := knots[i-1], knots[i]
			return a[1] + (b[1]-a[1])*(x-a[0])/(b[0]-a[0])
		}
	}
	return 1
}
