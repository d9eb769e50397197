package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/vntext"
)

// The audit page tells each event as a sentence ("Nguyễn Văn An: chuyển
// sinh hoạt từ … sang …"): the record by its current name, linked to its
// page; units, employers and users by name; statuses, reasons and kinds
// by their labels; dates as dd/mm/yyyy; the fields an edit changed by their
// form labels — and personal data (CCCD, phone, birth date) never in clear,
// not even masked, only as "•••". The sentence patterns are the catalog's
// "audit.s.<action>" keys; the raw event stays in the API.

// auditSentence is an event as the page tells it.
type auditSentence struct {
	Subject template.HTML // the record, linked: "Nguyễn Văn An"
	Text    template.HTML // what happened to it
	Changes []auditLine   // the fields an edit changed
}

// auditLine is one changed field: its label, before and after as shown.
type auditLine struct {
	Label         string
	Before, After string
	Personal      bool // shown as ••• on both sides
}

// auditPersonal are the keys whose values are never shown on the page.
var auditPersonal = []string{"cccd", "phone", "birth_date"}

// auditHidden are the keys an edit's list leaves out: bookkeeping (ids,
// versions, hashes, the figures of a report, the import an edit came from)
// and what the sentence already says.
var auditHidden = []string{"id", "version", "hash", "figures", "import", "fields", "unit_name", "employer_name", "union_name",
	"union_code", "union_members", "masked", "status_on", "updated_at", "created_at", "record"}

// auditDates are the keys that hold dates (ISO in the event).
var auditDates = []string{"on", "signed_on", "valid_from", "valid_to", "headcount_as_of", "as_of", "founded_on", "joined_on"}

// auditRenderer tells events in one language with one page's names.
type auditRenderer struct {
	lang  string
	names map[string]string
	can   func(code string) bool // units the user may open (linked)
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// link is a record's name linked to its page; the name, or the id when the
// record has none any more.
func (ar *auditRenderer) link(kind, id string) string {
	if id == "" {
		return "—"
	}
	name := ar.names[kind+":"+id]
	if kind == "report" && name != "" {
		unit, period, _ := strings.Cut(name, " · ")
		if p, err := congdoan.ParseReportPeriod(period); err == nil {
			period = p.LabelIn(ar.lang)
		}
		name = fmt.Sprintf(tr(ar.lang, "audit.report_name"), period, unit)
	}
	if name == "" {
		switch kind {
		case "system", "bulk": // a job of the system's: no record of its own
			return `<span class="rec">` + esc(tr(ar.lang, "audit.system")) + `</span>`
		case "import", "plan", "target":
			name = fmt.Sprintf(tr(ar.lang, "audit."+kind+"_name"), id)
		default:
			name = id
			if hasKey("entity." + kind) {
				name = tr(ar.lang, "entity."+kind) + " " + id
			}
		}
	}
	var href string
	switch kind {
	case "member", "employer", "agreement", "report", "import":
		href = "/" + kind + "s/" + url.PathEscape(id)
	case "unit":
		if ar.can != nil && ar.can(id) {
			href = "/units/" + url.PathEscape(id)
		}
	}
	if href == "" {
		return `<span class="rec">` + esc(name) + `</span>`
	}
	return `<a href="` + esc(href) + `">` + esc(name) + `</a>`
}

// fields reads an event side as an object of strings (numbers as written);
// an import's wrapper {"record": …, "import": n} is opened.
func auditObject(raw json.RawMessage) map[string]string {
	out := map[string]string{}
	keys, vals, ok := jsonFields(raw)
	if !ok {
		return out
	}
	for _, k := range keys {
		if k == "record" {
			for kk, vv := range auditObject(vals[k]) {
				out[kk] = vv
			}
			continue
		}
		out[k] = jsonText(vals[k])
	}
	return out
}

// value shows one field's value in words.
func (ar *auditRenderer) value(entity, key, v string) string {
	if v == "" {
		return "—"
	}
	switch {
	case slices.Contains(auditPersonal, key):
		return "•••"
	case slices.Contains(auditDates, key):
		return isoToVN(v)
	}
	switch key {
	case "gender":
		return congdoan.Gender(v).Label(ar.lang)
	case "sector":
		return congdoan.Sector(v).Label(ar.lang)
	case "role":
		return congdoan.Role(v).Label(ar.lang)
	case "kind":
		if entity == "agreement" {
			return congdoan.AgreementKind(v).Label(ar.lang)
		}
		return congdoan.UnitKind(v).Label(ar.lang)
	case "status":
		switch entity {
		case "report":
			return congdoan.ReportStatus(v).Label(ar.lang)
		case "employer":
			return congdoan.EmployerStatus(v).Label(ar.lang)
		case "member":
			return congdoan.MemberStatus(v).Label(ar.lang)
		}
	case "reason":
		if entity == "member" {
			return congdoan.Reason(v).Label(ar.lang)
		}
	case "quality":
		return v
	case "unit", "unit_code", "parent", "into", "asked_for":
		if n := ar.names["unit:"+v]; n != "" {
			return n
		}
	case "employer_id":
		if n := ar.names["employer:"+v]; n != "" {
			return n
		}
	case "workers_total", "workers_female", "value", "targets":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return vntext.FormatInt(n)
		}
	}
	return v
}

// unitRef is a unit code of the event shown as the unit's name, linked
// when the user may open it.
func (ar *auditRenderer) unitRef(code string) string { return ar.link("unit", code) }

// quote is a free text of the event (a name, a comment) in quotation marks.
func quote(s string) string { return "“" + esc(s) + "”" }

// sentence tells e.
func (ar *auditRenderer) sentence(e *congdoan.AuditEvent) auditSentence {
	b, a := auditObject(e.Before), auditObject(e.After)
	s := auditSentence{Subject: template.HTML(ar.link(e.Entity, e.EntityID))}
	f := func(args ...string) template.HTML {
		key := "audit.s." + e.Action
		if !hasKey(key) {
			return template.HTML(esc(domainLabel(ar.lang, "action", e.Action)))
		}
		anys := make([]any, len(args))
		for i, x := range args {
			anys[i] = x
		}
		return template.HTML(fmt.Sprintf(esc(tr(ar.lang, key)), anys...))
	}
	on := func(m map[string]string) string { return esc(isoToVN(m["on"])) }
	reason := func(r string) string {
		if r == "" {
			return esc(tr(ar.lang, "audit.no_reason"))
		}
		return quote(r)
	}
	switch e.Action {
	case "member.create":
		s.Text = f(ar.unitRef(a["unit"]))
	case "member.transfer":
		s.Text = f(ar.unitRef(b["unit"]), ar.unitRef(a["unit"]), on(a))
	case "member.leave":
		s.Text = f(ar.unitRef(b["unit"]), on(a), esc(ar.value("member", "reason", a["reason"])))
	case "member.reveal":
		s.Text = f(reason(a["reason"]))
	case "member.cccd_lookup":
		s.Text = f(ar.unitRef(a["unit"]), ar.unitRef(a["asked_for"]))
	case "unit.rename":
		s.Text = f(quote(b["name"]), quote(a["name"]))
	case "unit.move":
		s.Text = f(ar.unitRef(b["parent"]), ar.unitRef(a["parent"]), on(a))
	case "unit.merge":
		s.Text = f(ar.unitRef(a["into"]), on(a))
	case "unit.dissolve":
		s.Text = f(on(a))
	case "report.return", "report.reopen":
		s.Text = f(reason(a["reason"]))
	case "target.allocate":
		ind := a["indicator"]
		if def, ok := congdoan.LookupIndicator(congdoan.IndicatorCode(ind)); ok {
			ind = localDef(ar.lang, def).Name
		}
		s.Text = f(esc(ind), esc(a["year"]), ar.unitRef(a["unit"]), esc(ar.value("target", "value", a["value"])))
	case "import.members", "import.employers":
		n := func(k string) string { return esc(ar.value("import", "value", a[k])) }
		s.Text = f(quote(a["file"]), n("rows"), n("created"), n("updated"), n("unchanged"), n("refused"))
	case "target.load":
		s.Text = f(esc(a["plan"]), esc(ar.value("target", "targets", a["targets"])))
	default:
		s.Text = f()
	}
	if strings.HasSuffix(e.Action, ".update") {
		s.Changes = ar.changes(e.Entity, b, a, e.Before, e.After)
	}
	return s
}

// changes lists the fields an edit changed, by their labels, in the order
// the event wrote them.
func (ar *auditRenderer) changes(entity string, b, a map[string]string, rawB, rawA json.RawMessage) []auditLine {
	var order []string
	for _, raw := range []json.RawMessage{rawB, rawA} {
		keys, vals, _ := jsonFields(raw)
		for _, k := range keys {
			if k == "record" {
				inner, _, _ := jsonFields(vals[k])
				keys = append(keys, inner...)
				continue
			}
			if !slices.Contains(order, k) {
				order = append(order, k)
			}
		}
	}
	var out []auditLine
	for _, k := range order {
		if slices.Contains(auditHidden, k) || b[k] == a[k] {
			continue
		}
		label := tr(ar.lang, "audit.field_other")
		if hasKey("audit.field." + k) {
			label = tr(ar.lang, "audit.field."+k)
		} else if hasKey("afield." + k) {
			label = tr(ar.lang, "afield."+k)
		}
		l := auditLine{Label: label, Personal: slices.Contains(auditPersonal, k),
			Before: ar.value(entity, k, b[k]), After: ar.value(entity, k, a[k])}
		if l.Personal {
			l.Before, l.After = "•••", "•••"
		}
		out = append(out, l)
	}
	return out
}
