package web

import (
	"congdoan/i18n"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/internal/httpx"
)

// Plan targets and their allocation (DESIGN.md §3 "Target"): a unit's
// targets as the plan words them, and the form that hands a share of a
// target down to a direct child. The engine decides scope, who may
// allocate and to whom; the page only mirrors the role rule to hide forms
// a user could not send.

// targetRow is one target as the page shows it, with its allocation form.
type targetRow struct {
	ID                            int64
	Year                          int
	Text                          string // comparator and value, Vietnamese number format
	Wording, Qualitative, Reading string
	Inherited                     string
	Allocated, AllocMessage       string // state of the allocation to the children
	AddsUp                        bool
	FormUnit, FormValue           string // as typed, when the form comes back
	Errors                        map[string]string
}

// targetGroup is an indicator's targets.
type targetGroup struct {
	Code, Name string
	Rows       []*targetRow
}

// targetsView is GET /targets.
type targetsView struct {
	Page
	Unit, UnitName string
	Groups         []*targetGroup
	CanAllocate    bool
	Children       []*congdoan.Unit // direct children, the allocation's possible receivers
}

// targetList is GET /targets?unit=CODE, the user's top unit by default.
func (h *Handler) targetList(w http.ResponseWriter, r *http.Request) {
	unit, err := h.reportUnit(r, strings.TrimSpace(r.URL.Query().Get("unit")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.newTargetsView(w, r, unit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "targets.html", v)
}

// newTargetsView loads a unit's targets; a unit outside the scope is the
// engine's ENOTFOUND.
func (h *Handler) newTargetsView(w http.ResponseWriter, r *http.Request, unit string) (*targetsView, error) {
	ctx := r.Context()
	list, err := h.svc.Targets.FindTargets(ctx, unit)
	if err != nil {
		return nil, err
	}
	v := &targetsView{Page: h.page(w, r, "targets.title", "targets"), Unit: unit, CanAllocate: userOf(ctx).CanAllocateTargets()}
	v.UnitName = h.unitName(ctx, unit)
	v.Title = v.UnitName + " · " + tr(v.Lang, "targets.title")

	// Allocation state, read from the children's own targets: Allocate's
	// summary only comes back from a write, and a GET must not write.
	sums := map[int64]float64{}
	counts := map[int64]int{}
	if v.CanAllocate {
		u, err := h.svc.Units.FindUnitByCode(ctx, unit)
		if err != nil {
			return nil, err
		}
		for _, c := range u.Children {
			if !c.Active() {
				continue // a dissolved unit receives nothing
			}
			v.Children = append(v.Children, c)
			ts, err := h.svc.Targets.FindTargets(ctx, c.Code)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				// Counted like the engine's summary: every row that names
				// the target as its parent, a merged child's included.
				if t.ParentID != 0 {
					sums[t.ParentID] += t.Value
					counts[t.ParentID]++
				}
			}
		}
	}

	// Groups in the engine's display order, not the order rows come back
	// in (merged units' targets arrive after the unit's own).
	byCode := map[congdoan.IndicatorCode]*targetGroup{}
	for _, t := range list {
		def, ok := congdoan.LookupIndicator(t.Indicator)
		if !ok {
			continue // an indicator retired since the target was stored
		}
		g := byCode[def.Code]
		if g == nil {
			g = &targetGroup{Code: string(def.Code), Name: localDef(v.Lang, def).Name}
			byCode[def.Code] = g
		}
		row := &targetRow{ID: t.ID, Year: t.Year, Wording: t.Wording, Qualitative: t.Qualitative, Reading: t.Reading, Inherited: t.Inherited,
			Text: strings.TrimSpace(comparatorSigns[t.Comparator] + " " + def.Format(t.Value))}
		if v.CanAllocate {
			row.Allocated, row.AllocMessage, row.AddsUp = allocationState(v.Lang, def, t.Value, sums[t.ID], counts[t.ID])
		}
		g.Rows = append(g.Rows, row)
	}
	for _, def := range congdoan.IndicatorDefs {
		if g := byCode[def.Code]; g != nil {
			sortRows(g.Rows)
			v.Groups = append(v.Groups, g)
		}
	}
	v.linkable = h.unitCodes(ctx)
	return v, nil
}

// sortRows orders a group's targets by year, keeping the stored order
// within a year (the unit's own before an inherited one).
func sortRows(rows []*targetRow) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].Year < rows[j-1].Year; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// allocationState words a target's allocation as the engine's summary
// does: sums only mean something for additive indicators (members);
// a percentage is each unit's own level.
func allocationState(lang string, def congdoan.IndicatorDef, parent, sum float64, n int) (allocated, msg string, addsUp bool) {
	if !def.Additive {
		return i18n.Nf(lang, "targets.allocated_units", n, n), tr(lang, "targets.ratio"), true
	}
	allocated = fmt.Sprintf(tr(lang, "targets.allocated"), def.Format(sum), def.Format(parent))
	if sum == parent {
		return allocated, tr(lang, "targets.adds_up"), true
	}
	return allocated, fmt.Sprintf(tr(lang, "targets.short"), def.Format(parent-sum)), false
}

// unitName is the name of a unit the user may see, for headings: from
// today's (cached) figures, else the code itself.
func (h *Handler) unitName(ctx context.Context, code string) string {
	if f, err := h.svc.Indicators.Figures(ctx, code, congdoan.Date{}, congdoan.Date{}); err == nil {
		return f.UnitName
	}
	return code
}

// targetValue reads a typed target the Vietnamese way: "15.000" is
// fifteen thousand and "80,5" eighty and a half.
func targetValue(s string) (float64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", ".", "", ",", ".").Replace(s)
	f, err := strconv.ParseFloat(s, 64)
	if s == "" || err != nil {
		return 0, congdoan.FieldError("value", "Nhập chỉ tiêu là một số, ví dụ 15.000 hoặc 80,5.")
	}
	return f, nil
}

// targetsPath is the list of a unit's targets, or the user's own.
func targetsPath(unit string) string {
	if unit == "" {
		return "/targets"
	}
	return "/targets?unit=" + url.QueryEscape(unit)
}

// targetAllocate is POST /targets/{id}/allocate (unit, value, page_unit):
// gives the child its share and goes back to the list the form was on.
func (h *Handler) targetAllocate(w http.ResponseWriter, r *http.Request) {
	// Refused before reading the form, like the other writes: these roles
	// never see the form, so a malformed one still earns the 403.
	if !userOf(r.Context()).CanAllocateTargets() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.fail(w, r, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy chỉ tiêu."))
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	pageUnit, child, typed := formValue(r, "page_unit"), formValue(r, "unit"), formValue(r, "value")
	value, err := targetValue(typed)
	var a *congdoan.Allocation
	if err == nil {
		a, err = h.svc.Targets.AllocateTarget(r.Context(), id, child, value)
	}
	if err == nil {
		// The flash cookie carries catalog keys only (a forged cookie must
		// not put text on the page), so it says whether the sum adds up and
		// the list beside the target gives the figures.
		key := "flash.target_allocated"
		if a.Additive {
			key = "flash.target_short"
			if a.AddsUp {
				key = "flash.target_adds_up"
			}
		}
		h.redirect(w, r, targetsPath(pageUnit)+"#t-"+strconv.FormatInt(id, 10), key)
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err) // a target outside the scope is the 404
		return
	}
	unit, uerr := h.reportUnit(r, pageUnit)
	if uerr != nil {
		h.fail(w, r, uerr)
		return
	}
	v, lerr := h.newTargetsView(w, r, unit)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	v.Error = msg
	// The field messages go to the form that was sent, not to every row.
	for _, g := range v.Groups {
		for _, row := range g.Rows {
			if row.ID == id {
				row.Errors, row.FormUnit, row.FormValue = fields, child, typed
			}
		}
	}
	h.render(w, r, httpx.Status(err), "targets.html", v)
}
