package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"congdoan"
	"congdoan/internal/httpx"
	"congdoan/vntext"
)

// Pickers: wherever a form chooses a unit, a commune or an employer, the
// field is a type-ahead (app.js) over one of the /pick/ routes below, and
// what is submitted is still the code. Without script, or when the officer
// types a name and submits, the handler resolves the text itself
// (resolveUnit): a code is taken as it is, a name that points to one unit
// becomes its code, and a name that fits several is a field error listing
// them.

// pickItem is one suggestion: the value the field takes, what the list
// shows, and a line under it (a unit's path, a commune's address).
type pickItem struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
}

func writePicks(w http.ResponseWriter, items []pickItem) {
	if items == nil {
		items = []pickItem{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"items": items})
}

// pickLimit is how many suggestions a picker shows.
const pickLimit = 12

// pickUnits answers /pick/units?q=&for=: the units of the scope that
// match, best first, each with its path.
func (h *Handler) pickUnits(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	us, err := h.svc.Units.SearchUnits(r.Context(), congdoan.UnitSearch{Query: q.Get("q"), For: congdoan.UnitPurpose(q.Get("for")), Limit: pickLimit})
	if err != nil {
		h.pickError(w, r, err)
		return
	}
	items := make([]pickItem, 0, len(us))
	for _, u := range us {
		items = append(items, unitPick(u, langOf(r)))
	}
	writePicks(w, items)
}

func unitPick(u *congdoan.Unit, lang string) pickItem {
	detail := u.Code
	if len(u.Path) > 0 {
		detail += " · " + strings.Join(u.Path, " › ")
	}
	if !u.Active() {
		detail += " · " + tr(lang, "pick.dissolved")
	}
	return pickItem{Value: u.Code, Label: u.Name, Detail: detail}
}

// pickCommunes answers /pick/communes?q=: communes by name (GSO list of
// 01/03/2025, the codes the registry records) with their address then and
// now.
func (h *Handler) pickCommunes(w http.ResponseWriter, r *http.Request) {
	a := h.opts.Atlas
	if a == nil {
		writePicks(w, nil)
		return
	}
	var items []pickItem
	lang := langOf(r)
	for _, c := range a.SearchCommunes(r.URL.Query().Get("q"), "", pickLimit) {
		detail := c.Code + " · " + a.Address(c.Code)
		if now := h.address(c.Code); now != c.Code && now != a.Address(c.Code) {
			detail += " · " + fmt.Sprintf(tr(lang, "pick.now"), now)
		}
		items = append(items, pickItem{Value: c.Code, Label: c.FullName(), Detail: detail})
	}
	writePicks(w, items)
}

// pickEmployers answers /pick/employers?q=: employers of the scope by name
// or tax code.
func (h *Handler) pickEmployers(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		writePicks(w, nil)
		return
	}
	es, _, err := h.svc.Employers.FindEmployers(r.Context(), congdoan.EmployerFilter{Query: q, Limit: pickLimit})
	if err != nil {
		h.pickError(w, r, err)
		return
	}
	items := make([]pickItem, 0, len(es))
	for _, e := range es {
		detail := e.TaxCode
		if e.UnitName != "" {
			detail = strings.TrimPrefix(detail+" · "+e.UnitName, " · ")
		}
		items = append(items, pickItem{Value: fmt.Sprint(e.ID), Label: e.Name, Detail: detail})
	}
	writePicks(w, items)
}

// pickError answers a picker's failure: the list stays empty and the
// field still submits what was typed. A refusal (a bad purpose, a monitor
// who may not list employers) is an empty list; only a failure of the
// server is logged and answered 500.
func (h *Handler) pickError(w http.ResponseWriter, r *http.Request, err error) {
	status := httpx.Status(err)
	if status < http.StatusInternalServerError {
		writePicks(w, nil)
		return
	}
	h.log.Error("picker", "path", r.URL.Path, "err", err)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"items":[]}`))
}

// resolveUnit turns what was typed in a unit field into a unit code. An
// empty field or a code (of any unit, so that the store can say why a unit
// does not fit) is returned as it is; a name or part of one that matches
// one unit fit for p returns its code; several matches, or none, add a
// message to v under field and return the text unchanged.
func (h *Handler) resolveUnit(ctx context.Context, v congdoan.Validation, field, text string, p congdoan.UnitPurpose, lang string) string {
	return h.resolveUnitText(ctx, v, field, text, p, lang, false)
}

// filterUnit resolves a list's unit filter like resolveUnit, but a code
// or name that finds no unit in the scope is a message too: the list is
// shown without the filter, with the message on the field, never a 404
// page. The result is the code to filter by, or "".
func (h *Handler) filterUnit(ctx context.Context, pg *Page, text string) string {
	v := congdoan.Validation{}
	code := h.resolveUnitText(ctx, v, "unit", text, congdoan.ForAny, pg.Lang, true)
	if msg, ok := v["unit"]; ok {
		if pg.Errors == nil {
			pg.Errors = map[string]string{}
		}
		pg.Errors["unit"], pg.Error = msg, msg
		return ""
	}
	return code
}

func (h *Handler) resolveUnitText(ctx context.Context, v congdoan.Validation, field, text string, p congdoan.UnitPurpose, lang string, strict bool) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	exact, err := h.svc.Units.SearchUnits(ctx, congdoan.UnitSearch{Query: text, Limit: 1})
	if err != nil {
		return text
	}
	if len(exact) == 1 && strings.EqualFold(exact[0].Code, text) {
		return exact[0].Code
	}
	us, err := h.svc.Units.SearchUnits(ctx, congdoan.UnitSearch{Query: text, For: p, Limit: 6})
	if err != nil {
		return text
	}
	folded := vntext.Fold(text)
	switch {
	case len(us) == 1:
		return us[0].Code
	case len(us) > 1 && vntext.Fold(us[0].Name) == folded && vntext.Fold(us[1].Name) != folded:
		return us[0].Code // the name exactly, and only one unit has it
	case len(us) == 0:
		if !strict && looksLikeCode(text) {
			return text // the store says the code is unknown or outside the scope
		}
		v.Add(field, fmt.Sprintf(tr(lang, "pick.unit_none"), text))
		return text
	}
	var names []string
	for _, u := range us[:min(len(us), 5)] {
		names = append(names, u.Name+" ("+u.Code+")")
	}
	more := ""
	if len(us) > 5 {
		more = "; …"
	}
	v.Add(field, fmt.Sprintf(tr(lang, "pick.unit_many"), text, strings.Join(names, "; ")+more))
	return text
}

// looksLikeCode reports whether s could be a unit code rather than a
// name: one word of letters, digits, dots and dashes with a digit or a
// dash in it.
func looksLikeCode(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return strings.ContainsAny(s, "0123456789-")
}
