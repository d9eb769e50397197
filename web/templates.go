package web

import (
	"congdoan/i18n"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

// shared are the template files parsed into every page's set.
var shared = []string{"templates/layout.html", "templates/partials.html", "templates/partials_audit.html"}

// parseTemplates builds one template set per page file and language. The
// catalog functions (t, tf, field, label) are bound per language at start-up
// so rendering needs no per-request cloning.
func parseTemplates(funcs template.FuncMap) (map[string]map[string]*template.Template, error) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*template.Template{}
	for _, lang := range i18n.Langs() {
		out[lang] = map[string]*template.Template{}
	}
	for _, f := range files {
		isShared := false
		for _, s := range shared {
			isShared = isShared || s == f
		}
		if isShared {
			continue
		}
		base, err := template.New(path.Base(f)).Option("missingkey=zero").Funcs(funcs).Funcs(langFuncs("vi")).
			ParseFS(templateFS, append(append([]string{}, shared...), f)...)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		for _, lang := range i18n.Langs() {
			t, err := base.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: clone %s: %w", f, err)
			}
			out[lang][path.Base(f)] = t.Funcs(langFuncs(lang))
		}
	}
	return out, nil
}

// formField is one labelled input of a form, with its value and message.
type formField struct {
	Name, Label, Value, Error, Hint, Kind string
	// Pick is the type-ahead's source (web/pick.go) of a unit, commune
	// or employer field: kinds "unit" (any unit), "unit:<purpose>"
	// (congdoan.UnitPurpose), "commune" and "employer".
	Pick string
}

// langFuncs are the template functions that depend on the language.
func langFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string) string { return tr(lang, key) },
		// vi marks an element that shows Vietnamese data (a name of a
		// person, a union, an employer) in the English interface, so that
		// screen readers read it in Vietnamese: <a href=…{{vi}}>.
		"vi": func() template.HTMLAttr {
			if lang == "vi" {
				return ""
			}
			return ` lang="vi"`
		},
		"tf": func(key string, args ...any) string {
			return fmt.Sprintf(tr(lang, key), args...)
		},
		// field describes an input: name, label key, value, the form's
		// errors, and optionally its kind (text, date, digits, tel, number,
		// textarea). A catalog entry "hint.NAME" becomes its hint.
		"field": func(name, labelKey, value string, errs map[string]string, kind ...string) formField {
			f := formField{Name: name, Label: tr(lang, labelKey), Value: value, Error: errs[name], Kind: "text"}
			if len(kind) > 0 {
				f.Kind = kind[0]
			}
			switch purpose, isUnit := strings.CutPrefix(f.Kind, "unit"); {
			case isUnit:
				f.Kind, f.Pick = "pick", "/pick/units?for="+strings.TrimPrefix(purpose, ":")
			case f.Kind == "commune":
				f.Kind, f.Pick = "pick", "/pick/communes?"
			case f.Kind == "employer":
				f.Kind, f.Pick = "pick", "/pick/employers?"
			}
			if hasKey("hint." + name) {
				f.Hint = tr(lang, "hint."+name)
			}
			return f
		},
		// label names a domain value (kind, sector, reason, role …) in the
		// interface language; Vietnamese comes from the domain package.
		"label":  func(group string, value any) string { return domainLabel(lang, group, value) },
		"period": func(code string) string { return periodLabel(lang, code) },
	}
}

// funcs are the language-independent template functions: Vietnamese
// number and date formats whatever the interface language, since the data
// is Vietnamese.
func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"num": func(n any) string {
			switch v := n.(type) {
			case int:
				return vntext.FormatInt(int64(v))
			case int64:
				return vntext.FormatInt(v)
			}
			return fmt.Sprint(n)
		},
		"pct":  func(num, den int) string { return vntext.FormatPercent(int64(num), int64(den)) },
		"date": func(d congdoan.Date) string { return d.VN() },
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(congdoan.VietnamTime).Format("02/01/2006 15:04")
		},
		"isodate": isoToVN,
		"addr":    h.address,
		"lower":   strings.ToLower,
		"sub":     func(a, b int) int { return a - b },
	}
}

// isoToVN shows an ISO date ("1985-03-15") as dd/mm/yyyy and leaves other
// strings (the masked "••/••/1985") as they are.
func isoToVN(s string) string {
	if d, err := congdoan.ParseISODate(s); err == nil {
		return d.VN()
	}
	return s
}
