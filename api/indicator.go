package api

import (
	"fmt"
	"net/http"
	"strings"

	"congdoan"
)

// indicatorItem is one indicator in the API: the figure, the target that
// applies, the forecast against it and its status.
type indicatorItem struct {
	Code        congdoan.IndicatorCode  `json:"code"`
	Name        string                  `json:"name"`
	UnitLabel   string                  `json:"unit_label"`
	Percent     bool                    `json:"percent"`
	Period      bool                    `json:"period"`
	From        string                  `json:"from,omitempty"`
	Value       float64                 `json:"value"`
	Numerator   int64                   `json:"numerator"`
	Denominator *int64                  `json:"denominator"`
	Definition  string                  `json:"definition"`
	Target      *congdoan.Target        `json:"target"`
	Forecast    *congdoan.Forecast      `json:"forecast"`
	Status      congdoan.ForecastStatus `json:"status"`
}

type indicatorsBody struct {
	Unit       string          `json:"unit"`
	Date       congdoan.Date   `json:"date"`
	Indicators []indicatorItem `json:"indicators"`
}

// unitParam returns ?unit=, or the top of the caller's scope.
func (h *Handler) unitParam(r *http.Request) (string, error) {
	if u := strings.TrimSpace(r.URL.Query().Get("unit")); u != "" {
		return u, nil
	}
	// The caller's own unit; an administrator of the whole tree only when
	// it has one top (never "the first code in sort order").
	if u := congdoan.UserFromContext(r.Context()); u != nil && u.UnitCode != "" {
		return u.UnitCode, nil
	}
	top, err := h.svc.Units.TopUnits(r.Context())
	if err != nil {
		return "", err
	}
	if len(top) != 1 {
		return "", congdoan.FieldError("unit", "Cần tham số unit (mã đơn vị): tài khoản này không gắn với một đơn vị.")
	}
	return top[0].Code, nil
}

// earliestDate bounds the dates a query may ask about: no union record
// here is older, and a date of year 1 or 1200 would only cost a
// computation over nothing.
var earliestDate = congdoan.NewDate(1945, 1, 1)

func dateParam(r *http.Request, name string) (congdoan.Date, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return congdoan.Date{}, nil
	}
	d, err := congdoan.ParseISODate(s)
	if err != nil {
		return d, congdoan.FieldError(name, congdoan.ErrorMessage(err))
	}
	if d.Before(earliestDate) {
		return d, congdoan.FieldError(name, fmt.Sprintf("Ngày %s trước khi có số liệu: dùng một ngày từ %s trở đi.", d.VN(), earliestDate.VN()))
	}
	return d, nil
}

// indicatorQuery is what both indicator routes read: the unit (default:
// the top of the caller's scope), the date and the period start.
type indicatorQuery struct {
	unit string
	date congdoan.Date
	from congdoan.Date
}

func (h *Handler) indicatorQuery(r *http.Request) (q indicatorQuery, err error) {
	if q.unit, err = h.unitParam(r); err != nil {
		return q, err
	}
	if q.date, err = dateParam(r, "date"); err != nil {
		return q, err
	}
	q.from, err = dateParam(r, "from")
	return q, err
}

func (h *Handler) listIndicators(w http.ResponseWriter, r *http.Request) error {
	q, err := h.indicatorQuery(r)
	if err != nil {
		return err
	}
	fig, err := h.svc.Indicators.Overview(r.Context(), q.unit, q.date, q.from)
	if err != nil {
		return err
	}
	body := indicatorsBody{Unit: fig.Unit, Date: fig.Date, Indicators: []indicatorItem{}}
	for _, def := range congdoan.IndicatorDefs {
		v := fig.Values[def.Code]
		it := indicatorItem{Code: def.Code, Name: def.Name, UnitLabel: def.UnitLabel, Percent: def.Percent, Period: def.Period, From: v.From,
			Value: v.Value, Numerator: v.NumeratorN, Definition: def.Numerator, Target: v.Target, Forecast: v.Forecast, Status: v.Status}
		if v.HasDenom {
			n := v.DenomN
			it.Denominator = &n
			it.Definition += " ÷ " + def.Denominator
		}
		body.Indicators = append(body.Indicators, it)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (h *Handler) indicatorRecords(w http.ResponseWriter, r *http.Request) error {
	q, err := h.indicatorQuery(r)
	if err != nil {
		return err
	}
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	recs, total, err := h.svc.Indicators.FindFigureRecords(r.Context(), congdoan.RecordQuery{Indicator: congdoan.IndicatorCode(r.PathValue("code")),
		Unit: q.unit, Date: q.date, From: q.from, Side: congdoan.FigureSide(r.URL.Query().Get("side")), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[*congdoan.FigureRecord]{Total: total, Items: nonNil(recs)})
	return nil
}

// listTargets lists the plan targets of a unit (its own, allocated ones and
// those inherited from units merged into it).
func (h *Handler) listTargets(w http.ResponseWriter, r *http.Request) error {
	unit, err := h.unitParam(r)
	if err != nil {
		return err
	}
	ts, err := h.svc.Targets.FindTargets(r.Context(), unit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[*congdoan.Target]{Items: nonNil(ts)})
	return nil
}

// allocationInput gives part of a parent target to a direct child unit.
type allocationInput struct {
	Unit  string  `json:"unit"`
	Value float64 `json:"value"`
}

// allocateTarget sets a child's share of a target and answers whether the
// children's shares of an additive indicator add up to the parent's.
func (h *Handler) allocateTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in allocationInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Unit) == "" {
		return congdoan.FieldError("unit", "Cần mã đơn vị trực thuộc được giao chỉ tiêu.")
	}
	a, err := h.svc.Targets.AllocateTarget(r.Context(), id, in.Unit, in.Value)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
