package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/vntext"
)

// The plan dashboard (DESIGN.md §4): every indicator of a unit's subtree on
// a date, with its target, forecast and history, the unit's children side
// by side, and behind every figure the list of records it counts (§7). The
// numbers come from the indicator engine with the user in the context, so
// the store's scope decides which units exist for the user, and the engine
// refuses member lists to monitors.

// recordsPageSize is the number of records per page behind a figure.
const recordsPageSize = 50

// stateCodes are the indicators of a state on a date: the first cards and
// the columns of the drill-down table.
var stateCodes = congdoan.StateIndicators

// defaultRank orders the children by agreement coverage: of the plan's
// percentages it is the one with a target every year (2023, 2025, 2030).
const defaultRank = congdoan.IndicatorCBACoverage

// before2025 is the last day of the old tree (district federations, Bắc
// Kạn's own federation), offered as a shortcut like on the tree page.
var before2025 = congdoan.NewDate(2025, 6, 30)

// figureWords names what an indicator's figures count, as catalog keys.
type figureWords struct {
	num, den string // what the numerator and the denominator count
	gap      string // the link to the gap list ("Xem %s …"); "" when the gap has no list of its own
	gapOnly  string // the gap in words when it has no list (workers are not records)
}

var indicatorWords = map[congdoan.IndicatorCode]figureWords{
	congdoan.IndicatorMembers:          {num: "dash.n.members"},
	congdoan.IndicatorEmployers15Union: {num: "dash.n.employers", den: "dash.n.employers", gap: "dash.gap.employers"},
	congdoan.IndicatorCBACoverage:      {num: "dash.n.unions", den: "dash.n.unions", gap: "dash.gap.cba"},
	// The denominator counts workers, but its records are the employers
	// they work at: the gap (workers not yet members) has no list.
	congdoan.IndicatorWorkerMembership: {num: "dash.n.members", den: "dash.n.workers", gapOnly: "dash.gap.workers"},
	congdoan.IndicatorMembersAdmitted:  {num: "dash.n.people"},
	congdoan.IndicatorMembersLeft:      {num: "dash.n.people"},
	congdoan.IndicatorUnionsFounded:    {num: "dash.n.unions"},
	congdoan.IndicatorUnionsDissolved:  {num: "dash.n.unions"},
}

// localDef returns an indicator's definition with the words of its sides
// in lang, from the catalog ("ind.members.num", ".den"); the Vietnamese
// there is the engine's own (a test keeps them equal). The name stays the
// federation's Vietnamese term in every language, as the plan writes it.
func localDef(lang string, def congdoan.IndicatorDef) congdoan.IndicatorDef {
	k := "ind." + string(def.Code) + "."
	if hasKey(k + "num") {
		def.Numerator = tr(lang, k+"num")
	}
	if def.Denominator != "" && hasKey(k+"den") {
		def.Denominator = tr(lang, k+"den")
	}
	return def
}

// gapDefinition says in words what a gap list holds ("ind.<code>.gap"),
// the federation's terms; "" when the indicator has no gap.
func gapDefinition(lang string, code congdoan.IndicatorCode) string {
	k := "ind." + string(code) + ".gap"
	if !hasKey(k) {
		return ""
	}
	return tr(lang, k)
}

// dashQuery is what a dashboard URL carries besides the page's own
// parameters: the unit, the date and the start of the period.
type dashQuery struct {
	unit     string
	date     congdoan.Date
	from     congdoan.Date // zero: the engine's default, 1 January of the date's year
	personal bool          // the user may open member lists
}

// recordsURL is the link behind a figure.
// The dashboard needs the kind before asking: member lists are personal
// data, and a monitor gets plain figures instead of links that would only
// lead to the 403 page.
func (q dashQuery) recordsURL(code congdoan.IndicatorCode, side congdoan.FigureSide) string {
	if congdoan.RecordKindOf(code, side) == congdoan.RecordMember && !q.personal {
		return ""
	}
	s := "/dashboard/records?indicator=" + url.QueryEscape(string(code)) + "&unit=" + url.QueryEscape(q.unit) + "&date=" + q.date.VN()
	if !q.from.IsZero() {
		s += "&from=" + q.from.VN()
	}
	return s + "&side=" + string(side)
}

// dashboardURL is the dashboard of unit on the same date and period.
func (q dashQuery) dashboardURL(unit string, rank congdoan.IndicatorCode) string {
	s := "/dashboard?unit=" + url.QueryEscape(unit) + "&date=" + q.date.VN()
	if !q.from.IsZero() {
		s += "&from=" + q.from.VN()
	}
	if rank != "" && rank != defaultRank {
		s += "&rank=" + url.QueryEscape(string(rank))
	}
	return s
}

// indCard is one indicator's card.
type indCard struct {
	congdoan.IndicatorDef
	Display          string // the figure: "3.002", "82,22 %", "—" without a denominator
	Num, Den         string // formatted numerator and denominator
	NumNoun, DenNoun string
	NumURL, DenURL   string // "" when the records may not be opened
	GapText, GapURL  string
	Target           *targetView
	Chart            template.HTML
	ChartTarget      bool   // the chart draws a target (for the legend)
	ChartBand        bool   // the chart draws a forecast band
	PeriodText       string // period indicators: "từ 01/01/2026 đến 24/11/2026"
}

// targetView is the target that applies to a card, in words.
type targetView struct {
	Text        string // "Chỉ tiêu năm 2030: ≥ 26.000"
	Status      congdoan.ForecastStatus
	StatusLabel string
	Forecast    string
	Pace        string
	Overdue     string
	Wording     string // the plan's own words
	Plan        string
	Reading     string // the federation's reading of a qualitative word
	Inherited   string
}

// rankColumn is a column of the drill-down table.
type rankColumn struct {
	Code, Label, URL string
	Current          bool
}

// column is a rankColumn of an indicator or a side.
func column[T ~string](code T, label, url string, current bool) rankColumn {
	return rankColumn{Code: string(code), Label: label, URL: url, Current: current}
}

// childCell is one figure of a child.
type childCell struct {
	Label, Display, Frac, URL string
	Gap, GapURL               string
}

// childRow is a child unit in the drill-down table.
type childRow struct {
	Code, Name, URL string
	Cells           []childCell
	rank            congdoan.IndicatorValue
}

// absorbedNote tells that a unit merged into this one after the date: its
// figures of that date are on its own dashboard.
type absorbedNote struct {
	Name, URL string
	On        congdoan.Date
}

// unitLink is a unit to go to.
type unitLink struct{ Name, URL string }

// dashboardView is the plan dashboard page.
type dashboardView struct {
	Page
	Unit, UnitName string
	Date, From     congdoan.Date
	DateInput      string
	IsToday        bool
	TodayURL       string
	Before2025URL  string
	FromParam      string
	Rank           congdoan.IndicatorCode
	RankParam      congdoan.IndicatorCode // ?rank= to keep in the date form; "" for the default
	RankNote       string                 // how the children are ordered
	Plan           string
	Up             []unitLink
	Tops           []unitLink
	Absorbed       []absorbedNote
	State          []*indCard
	Period         []*indCard
	Columns        []rankColumn
	Children       []*childRow
	ChildCount     int    // every child; Children is one page of them
	ChildPaging    paging // when the children take more than one page
	Total          *childRow
}

// dashboardDates reads ?date= and ?from= (dd/mm/yyyy, or ISO); empty is
// the zero date, which the engine reads as today and 1 January.
func dashboardDates(q url.Values) (d, from congdoan.Date, err error) {
	parse := func(field, label string) (congdoan.Date, error) {
		s := strings.TrimSpace(q.Get(field))
		if s == "" {
			return congdoan.Date{}, nil
		}
		d, err := congdoan.ParseDate(s)
		if err != nil {
			return congdoan.Date{}, congdoan.FieldError(field, label+": "+congdoan.ErrorMessage(err))
		}
		return d, nil
	}
	if d, err = parse("date", "Ngày xem số liệu"); err != nil {
		return
	}
	from, err = parse("from", "Ngày đầu kỳ")
	return
}

// dashboardUnit returns ?unit=, or the user's top unit; tops are all the
// user's top units (several only for an administrator).
func (h *Handler) dashboardUnit(r *http.Request) (unit string, tops []*congdoan.Unit, err error) {
	// The tops of the date asked for: before a merger, the merged units
	// stood beside their successor, which had none of their figures yet.
	var d congdoan.Date
	if s := strings.TrimSpace(r.URL.Query().Get("date")); s != "" {
		d, _ = congdoan.ParseDate(s) // a bad date is the caller's error to report
	}
	tops, err = h.svc.Units.TopUnitsOn(r.Context(), d)
	if congdoan.ErrorCode(err) == congdoan.EINVALID {
		tops, err = h.svc.Units.TopUnits(r.Context())
	}
	if err != nil {
		return "", nil, err
	}
	unit = strings.TrimSpace(r.URL.Query().Get("unit"))
	if unit == "" {
		if len(tops) == 0 {
			return "", nil, congdoan.Errorf(congdoan.ENOTFOUND, "Chưa có đơn vị nào trong phạm vi bạn quản lý.")
		}
		unit = tops[0].Code
	}
	return unit, tops, nil
}

// dashboard is GET /dashboard?unit=&date=&from=&rank=.
// dashChildPage is how many units below a dashboard's unit one page lists
// (a variable for the test).
var dashChildPage = 50

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	e := h.svc.Indicators
	ctx := r.Context()
	q := r.URL.Query()
	d, from, err := dashboardDates(q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unit, tops, err := h.dashboardUnit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fig, err := e.Overview(ctx, unit, d, from)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	kids, err := e.ChildFigures(ctx, unit, fig.Date, from)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u := userOf(ctx)
	dq := dashQuery{unit: unit, date: fig.Date, from: from, personal: u.CanReadPersonalData()}
	v := &dashboardView{Page: h.page(w, r, "dash.title", "dashboard"), Unit: unit, Date: fig.Date, DateInput: fig.Date.VN()}
	v.UnitName = fig.UnitName
	v.Title = v.UnitName + " · " + tr(v.Lang, "dash.title")
	v.From = from
	if from.IsZero() {
		v.From = congdoan.NewDate(fig.Date.Year(), 1, 1)
	} else {
		v.FromParam = from.VN()
	}
	today := h.today()
	v.IsToday = !fig.Date.Before(today)
	v.TodayURL = "/dashboard?unit=" + url.QueryEscape(unit)
	v.Before2025URL = "/dashboard?date=" + before2025.VN()
	v.Rank = congdoan.IndicatorCode(q.Get("rank"))
	if !slices.Contains(stateCodes, v.Rank) {
		v.Rank = defaultRank // an unknown column is not worth an error page
	}
	if v.Rank != defaultRank {
		v.RankParam = v.Rank
	}

	for _, def := range congdoan.IndicatorDefs {
		val, ok := fig.Values[def.Code]
		if !ok {
			continue
		}
		c := h.card(v.Lang, e, val, dq)
		if def.Period {
			v.Period = append(v.Period, c)
		} else {
			v.State = append(v.State, c)
		}
		if val.Target != nil && v.Plan == "" {
			v.Plan = val.Target.Plan
		}
	}
	h.drillDown(v, fig, kids, dq)
	// A province's root has hundreds of units below it: a page of them
	// at a time, the most work left first, not one page of 745 KB.
	v.ChildCount = len(v.Children)
	if v.ChildCount > dashChildPage {
		off := min(offsetParam(r), (v.ChildCount-1)/dashChildPage*dashChildPage)
		v.Children = v.Children[off:min(off+dashChildPage, v.ChildCount)]
		v.ChildPaging = newPaging("paging.units", r.URL.Query(), "/dashboard", off, dashChildPage, len(v.Children), v.ChildCount)
		for _, u := range []*string{&v.ChildPaging.PrevURL, &v.ChildPaging.NextURL} {
			if *u != "" {
				*u += "#children"
			}
		}
	}

	// Ways up: the user's top unit, and the parent while the tree is
	// today's (a past tree may have had another parent).
	if len(tops) > 0 && unit != tops[0].Code {
		if v.IsToday {
			if rec, err := h.svc.Units.FindUnitByCode(ctx, unit); err == nil && rec.ParentCode != "" && rec.ParentCode != tops[0].Code {
				v.Up = append(v.Up, unitLink{rec.ParentName, dq.dashboardURL(rec.ParentCode, v.Rank)})
			}
		}
		v.Up = append([]unitLink{{tops[0].Name, dq.dashboardURL(tops[0].Code, v.Rank)}}, v.Up...)
	}
	if len(tops) > 1 {
		for _, t := range tops {
			v.Tops = append(v.Tops, unitLink{t.Name, dq.dashboardURL(t.Code, v.Rank)})
		}
	}
	if !v.IsToday {
		v.Absorbed = h.absorbedAfter(r, unit, dq)
	}
	h.render(w, r, http.StatusOK, "dashboard.html", v)
}

// absorbedAfter lists the units merged into unit after the page's date
// (Bắc Kạn's federation into Thái Nguyên's on 1/7/2025): on that date their
// members were theirs, so the page points to their own dashboards — linked
// only when the user may open them.
func (h *Handler) absorbedAfter(r *http.Request, unit string, dq dashQuery) []absorbedNote {
	ctx := r.Context()
	events, err := h.svc.Units.UnitHistory(ctx, unit)
	if err != nil {
		return nil // a note, not the page: its absence is not an error
	}
	var out []absorbedNote
	for _, ev := range events {
		if ev.Kind != "absorbed" || !ev.On.After(dq.date) || ev.OtherCode == "" {
			continue
		}
		n := absorbedNote{Name: ev.OtherName, On: ev.On}
		if _, err := h.svc.Units.FindUnitByCode(ctx, ev.OtherCode); err == nil {
			n.URL = dq.dashboardURL(ev.OtherCode, "")
		}
		out = append(out, n)
	}
	return out
}

// card builds an indicator's card.
func (h *Handler) card(lang string, e congdoan.IndicatorService, val congdoan.IndicatorValue, dq dashQuery) *indCard {
	words := indicatorWords[val.Code]
	c := &indCard{IndicatorDef: localDef(lang, val.IndicatorDef), Num: vntext.FormatInt(val.NumeratorN)}
	c.NumURL = dq.recordsURL(val.Code, congdoan.SideNumerator)
	if words.num != "" {
		c.NumNoun = tr(lang, words.num)
	}
	if val.Percent {
		c.Display = vntext.FormatPercent(val.NumeratorN, val.DenomN)
		c.Den = vntext.FormatInt(val.DenomN)
		c.DenURL = dq.recordsURL(val.Code, congdoan.SideDenominator)
		if words.den != "" {
			c.DenNoun = tr(lang, words.den)
		}
		gap := val.DenomN - val.NumeratorN
		switch {
		case gap <= 0:
		case words.gap != "":
			c.GapText = fmt.Sprintf(tr(lang, words.gap), vntext.FormatInt(gap), e.EmployerMin())
			c.GapURL = dq.recordsURL(val.Code, congdoan.SideGap)
		case words.gapOnly != "":
			c.GapText = fmt.Sprintf(tr(lang, words.gapOnly), vntext.FormatInt(gap))
		}
	} else {
		c.Display = vntext.FormatInt(val.NumeratorN)
	}
	if val.Period {
		from := dq.from
		if from.IsZero() {
			from = congdoan.NewDate(dq.date.Year(), 1, 1)
		}
		c.PeriodText = fmt.Sprintf(tr(lang, "dash.period_short"), from.VN(), dq.date.VN())
	}
	if t := val.Target; t != nil {
		c.Target = targetText(lang, val, dq.date)
	}
	if len(val.History) > 0 {
		ch := lineChart{ID: "chart-" + string(val.Code), Title: fmt.Sprintf(tr(lang, "dash.chart_title"), c.Name), Percent: val.Percent}
		for _, p := range val.History {
			ch.Points = append(ch.Points, chartPoint{p.Date, p.Value})
		}
		first, last := val.History[0], val.History[len(val.History)-1]
		ch.Desc = fmt.Sprintf(tr(lang, "dash.chart_desc"), first.Date.VN(), last.Date.VN(),
			val.Format(first.Value), val.Format(last.Value))
		if t := val.Target; t != nil {
			ct := &chartTarget{Date: congdoan.NewDate(t.Year, 12, 31), Value: t.Value,
				Label: strconv.Itoa(t.Year) + ": " + val.Format(t.Value)}
			if f := val.Forecast; f != nil && f.Months >= 3 {
				ct.Low, ct.High = clampPct(val.IndicatorDef, f.Low), clampPct(val.IndicatorDef, f.High)
				c.ChartBand = ct.High > ct.Low && t.Year >= dq.date.Year()
			}
			ch.Target = ct
			ch.Desc += " " + c.Target.Text + "."
			c.ChartTarget = true
		}
		c.Chart = ch.SVG()
	}
	return c
}

// clampPct keeps a projected percentage within 0–100: a straight trend
// runs past 100 % in a few years, and no share can.
func clampPct(def congdoan.IndicatorDef, v float64) float64 {
	if def.Percent {
		return math.Max(0, math.Min(100, v))
	}
	return math.Max(0, v)
}

// comparatorSigns are the printed forms of a target's comparator.
var comparatorSigns = map[string]string{">": ">", ">=": "≥", "<": "<", "<=": "≤"}

// targetText describes the target of a value, its status, the forecast
// and the pace needed.
func targetText(lang string, val congdoan.IndicatorValue, d congdoan.Date) *targetView {
	t := val.Target
	tv := &targetView{
		Text:      fmt.Sprintf(tr(lang, "dash.target"), t.Year, comparatorSigns[t.Comparator]+" "+val.Format(t.Value)),
		Wording:   t.Wording,
		Plan:      t.Plan,
		Reading:   t.Reading,
		Inherited: t.Inherited,
	}
	if t.Year < d.Year() {
		tv.Overdue = fmt.Sprintf(tr(lang, "dash.overdue"), t.Year)
	}
	f := val.Forecast
	if f == nil {
		// Judged (the target's year is over) or nothing to judge: a
		// status, and no forecast or pace.
		if val.Status != "" {
			tv.Status, tv.StatusLabel = val.Status, tr(lang, "dash.status."+string(val.Status))
		}
		return tv
	}
	tv.Status = f.Status
	tv.StatusLabel = f.StatusLabel
	if lang != "vi" || tv.StatusLabel == "" {
		tv.StatusLabel = tr(lang, "dash.status."+string(f.Status))
	}
	if f.Months >= 3 && f.Status != congdoan.ForecastMet && t.Year >= d.Year() {
		tv.Forecast = fmt.Sprintf(tr(lang, "dash.forecast"), congdoan.NewDate(f.AtYear, 12, 31).VN(), f.Months,
			val.Format(clampPct(val.IndicatorDef, f.Value)),
			val.Format(clampPct(val.IndicatorDef, f.Low)), val.Format(clampPct(val.IndicatorDef, f.High)))
	}
	if f.Months >= 3 && f.Status == congdoan.ForecastMet && !f.ProjectedMeets {
		// Met today, below on the trend: say which is which.
		tv.Forecast = fmt.Sprintf(tr(lang, "dash.met_below"), d.VN(), f.Months, congdoan.NewDate(f.AtYear, 12, 31).VN(),
			val.Format(clampPct(val.IndicatorDef, f.Value)))
	}
	if f.Status != congdoan.ForecastMet && f.NeededPerMonth > 0 && t.Year >= d.Year() {
		if val.Percent {
			tv.Pace = fmt.Sprintf(tr(lang, "dash.pace_pct"), decimalVN(f.NeededPerMonth, 2), t.Year)
		} else {
			tv.Pace = fmt.Sprintf(tr(lang, "dash.pace"), vntext.FormatInt(int64(math.Ceil(f.NeededPerMonth))), tr(lang, indicatorWords[val.Code].num), t.Year)
		}
	}
	return tv
}

// decimalVN formats v with prec decimals and a decimal comma: "0,38".
func decimalVN(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := vntext.FormatInt(n)
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		out += "," + frac
	}
	return out
}

// drillDown fills the children table: the state indicators of each child,
// ranked by the chosen column. Percentages rank ascending, so the units
// with the most work left come first (ties: the larger gap first); units
// where the share is undefined (no denominator) go last. Members rank
// descending: a count has no gap without targets allocated to children.
func (h *Handler) drillDown(v *dashboardView, fig *congdoan.Figures, kids []*congdoan.Figures, dq dashQuery) {
	for _, code := range stateCodes {
		v.Columns = append(v.Columns, column(code, tr(v.Lang, "dash.col."+string(code)), dq.dashboardURL(dq.unit, code)+"#children", code == v.Rank))
		if code == v.Rank {
			def, _ := congdoan.LookupIndicator(code)
			key := "dash.ranked"
			if !def.Percent {
				key = "dash.ranked_count"
			}
			v.RankNote = fmt.Sprintf(tr(v.Lang, key), localDef(v.Lang, def).Name)
		}
	}
	row := func(f *congdoan.Figures, name string) *childRow {
		cq := dq
		cq.unit = f.Unit
		r := &childRow{Code: f.Unit, Name: name, URL: dq.dashboardURL(f.Unit, v.Rank), rank: f.Values[v.Rank]}
		for _, code := range stateCodes {
			val := f.Values[code]
			c := childCell{Label: tr(v.Lang, "dash.col."+string(code)), URL: cq.recordsURL(code, congdoan.SideNumerator)}
			if val.Percent {
				c.Display = vntext.FormatPercent(val.NumeratorN, val.DenomN)
				c.Frac = vntext.FormatInt(val.NumeratorN) + "/" + vntext.FormatInt(val.DenomN)
				if gap := val.DenomN - val.NumeratorN; gap > 0 && indicatorWords[code].gap != "" {
					c.Gap = fmt.Sprintf(tr(v.Lang, "dash.gap_short"), vntext.FormatInt(gap))
					c.GapURL = cq.recordsURL(code, congdoan.SideGap)
				}
			} else {
				c.Display = vntext.FormatInt(val.NumeratorN)
			}
			r.Cells = append(r.Cells, c)
		}
		return r
	}
	for _, k := range kids {
		v.Children = append(v.Children, row(k, k.UnitName))
	}
	percent := v.Rank != congdoan.IndicatorMembers
	slices.SortStableFunc(v.Children, func(a, b *childRow) int {
		x, y := a.rank, b.rank
		if percent {
			if (x.DenomN == 0) != (y.DenomN == 0) {
				if x.DenomN == 0 {
					return 1
				}
				return -1
			}
			if c := cmp.Compare(x.Value, y.Value); c != 0 {
				return c
			}
			if c := cmp.Compare(y.DenomN-y.NumeratorN, x.DenomN-x.NumeratorN); c != 0 {
				return c
			}
		} else if c := cmp.Compare(y.NumeratorN, x.NumeratorN); c != 0 {
			return c
		}
		return vntext.Compare(a.Name, b.Name)
	})
	if len(v.Children) > 0 {
		v.Total = row(fig, v.UnitName)
	}
}

// recordRow is a record with its number in the whole list.
type recordRow struct {
	*congdoan.FigureRecord
	N int
}

// recordsView is the list behind a figure.
type recordsView struct {
	Page
	Def            congdoan.IndicatorDef
	Unit, UnitName string
	Date           congdoan.Date
	PeriodText     string
	Side           congdoan.FigureSide
	SideLabel      string
	SideText       string // what the list holds, in words
	Kind           congdoan.RecordKind
	DateColumn     string // the heading of the record's date column
	Rows           []recordRow
	Total          int
	Paging         paging
	BackURL        string
	Sides          []rankColumn // the other sides of a percentage
}

// dashboardRecords is GET /dashboard/records?indicator=&unit=&date=&from=&side=&offset=.
func (h *Handler) dashboardRecords(w http.ResponseWriter, r *http.Request) {
	e := h.svc.Indicators
	ctx := r.Context()
	q := r.URL.Query()
	d, from, err := dashboardDates(q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unit, _, err := h.dashboardUnit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	code := congdoan.IndicatorCode(strings.TrimSpace(q.Get("indicator")))
	side := cmp.Or(congdoan.FigureSide(strings.TrimSpace(q.Get("side"))), congdoan.SideNumerator)
	offset := offsetParam(r)
	recs, total, err := e.FindFigureRecords(ctx, congdoan.RecordQuery{Indicator: code, Unit: unit, Date: d, From: from, Side: side, Limit: recordsPageSize, Offset: offset})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	def, _ := congdoan.LookupIndicator(code)  // FindFigureRecords has refused unknown codes
	fig, err := e.Figures(ctx, unit, d, from) // cached: the unit's name on the date
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d = fig.Date
	dq := dashQuery{unit: unit, date: d, from: from, personal: userOf(ctx).CanReadPersonalData()}
	v := &recordsView{Page: h.page(w, r, "", "dashboard"), Def: def, Unit: unit, Date: d, Side: side, Kind: congdoan.RecordKindOf(code, side), Total: total}
	def = localDef(v.Lang, def)
	v.Def = def
	v.UnitName = fig.UnitName
	v.Title = def.Name + " · " + v.UnitName
	v.BackURL = dq.dashboardURL(unit, "")
	if def.Period {
		f := from
		if f.IsZero() {
			f = congdoan.NewDate(d.Year(), 1, 1)
		}
		v.PeriodText = fmt.Sprintf(tr(v.Lang, "dash.period_short"), f.VN(), d.VN())
	}
	v.SideLabel = tr(v.Lang, "dash.side."+string(side))
	switch side {
	case congdoan.SideDenominator:
		v.SideText = def.Denominator
	case congdoan.SideGap:
		v.SideText = gapDefinition(v.Lang, code)
		if strings.Contains(v.SideText, "%d") {
			v.SideText = fmt.Sprintf(v.SideText, e.EmployerMin())
		}
	default:
		v.SideText = def.Numerator
	}
	if def.Percent {
		for _, s := range []congdoan.FigureSide{congdoan.SideNumerator, congdoan.SideDenominator, congdoan.SideGap} {
			if s == congdoan.SideGap && indicatorWords[code].gap == "" {
				continue // the same list as the denominator
			}
			if u := dq.recordsURL(code, s); u != "" {
				v.Sides = append(v.Sides, column(s, tr(v.Lang, "dash.side."+string(s)), u, s == side))
			}
		}
	}
	switch {
	case v.Kind == congdoan.RecordMember && code == congdoan.IndicatorMembersLeft:
		v.DateColumn = tr(v.Lang, "dash.rcol.left_on")
	case v.Kind == congdoan.RecordMember && code == congdoan.IndicatorMembersAdmitted:
		v.DateColumn = tr(v.Lang, "dash.rcol.admitted_on")
	case v.Kind == congdoan.RecordMember:
		v.DateColumn = tr(v.Lang, "dash.rcol.member_since")
	case v.Kind == congdoan.RecordEmployer:
		v.DateColumn = tr(v.Lang, "dash.rcol.headcount_on")
	case code == congdoan.IndicatorUnionsDissolved:
		v.DateColumn = tr(v.Lang, "dash.rcol.dissolved_on")
	default:
		v.DateColumn = tr(v.Lang, "dash.rcol.founded_on")
	}
	for i, rec := range recs {
		v.Rows = append(v.Rows, recordRow{rec, offset + i + 1})
	}
	v.Paging = newPaging("dash.paging_records", q, "/dashboard/records", offset, recordsPageSize, len(recs), total)
	v.linkable = h.unitCodes(ctx)
	h.render(w, r, http.StatusOK, "indicator_records.html", v)
}
