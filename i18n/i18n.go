// Package i18n holds the interface strings of congdoan, one JSON catalog per
// language (locale/vi.json, locale/en.json), embedded in the binary.
//
// A catalog is a flat object from key to string, keys sorted, Vietnamese in
// NFC with full diacritics. Vietnamese is the reference language: a key
// missing in another language falls back to it, and a key missing there
// shows itself, so a gap is visible rather than blank. Check, called when
// the web server starts, refuses catalogs whose keys or printf verbs differ
// between languages.
//
// Plurals: a key that depends on a count is a base with one key per plural
// form, "x.one" and "x.other" in English; Vietnamese has no plural and has
// only "x.other". A base is plural when some language has its ".one" form,
// so a plain key may end in ".other" ("sector.other"). N picks the form.
//
// The package is a leaf: it imports nothing from congdoan, so the domain
// package can name its enums through it.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Default is the reference language, the fallback for every other.
const Default = "vi"

//go:embed locale/*.json
var files embed.FS

// catalogs maps a language code to its strings.
var catalogs = load()

func load() map[string]map[string]string {
	entries, err := files.ReadDir("locale")
	if err != nil {
		panic(err)
	}
	cats := map[string]map[string]string{}
	for _, e := range entries {
		b, err := files.ReadFile(path.Join("locale", e.Name()))
		if err != nil {
			panic(err)
		}
		cat := map[string]string{}
		if err := json.Unmarshal(b, &cat); err != nil {
			// The files are embedded: a syntax error is a build mistake.
			panic(fmt.Sprintf("i18n: locale/%s: %v", e.Name(), err))
		}
		cats[strings.TrimSuffix(e.Name(), ".json")] = cat
	}
	if cats[Default] == nil {
		panic("i18n: no locale/" + Default + ".json")
	}
	return cats
}

// Langs lists the language codes with a catalog, the default first.
func Langs() []string {
	var out []string
	for l := range catalogs {
		if l != Default {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return append([]string{Default}, out...)
}

// Supported reports whether lang has a catalog.
func Supported(lang string) bool { _, ok := catalogs[lang]; return ok }

// T returns the string for key in lang, falling back to Vietnamese and then
// to the key itself.
func T(lang, key string) string {
	if s, ok := catalogs[lang][key]; ok {
		return s
	}
	if s, ok := catalogs[Default][key]; ok {
		return s
	}
	return key
}

// Tf formats the string for key in lang with args (fmt.Sprintf).
func Tf(lang, key string, args ...any) string {
	return fmt.Sprintf(T(lang, key), args...)
}

// Lookup returns the string for key in lang itself, with no fallback.
func Lookup(lang, key string) (string, bool) {
	s, ok := catalogs[lang][key]
	return s, ok
}

// Has reports whether key is in the reference catalog.
func Has(key string) bool { _, ok := catalogs[Default][key]; return ok }

// pluralForms lists, per language, the plural forms its catalog holds for a
// counted key, in CLDR terms. A language not listed has "one" and "other",
// as English does.
var pluralForms = map[string][]string{
	"vi": {"other"},
	"en": {"one", "other"},
}

func formsOf(lang string) []string {
	if f, ok := pluralForms[lang]; ok {
		return f
	}
	return []string{"one", "other"}
}

// form is the plural form of n in lang.
func form(lang string, n int) string {
	if n == 1 && slices.Contains(formsOf(lang), "one") {
		return "one"
	}
	return "other"
}

// N returns the string for the counted key in lang for the count n: "key.one"
// or "key.other" as the language's plural rule says. The string usually holds
// a %d the caller fills with n.
func N(lang, key string, n int) string {
	if !Supported(lang) {
		lang = Default
	}
	return T(lang, key+"."+form(lang, n))
}

// Nf formats the counted key for n: args are the printf arguments, n among
// them where the text shows it.
func Nf(lang, key string, n int, args ...any) string {
	return fmt.Sprintf(N(lang, key, n), args...)
}

// Check reports every key that one language has and another lacks, and
// every key whose printf verbs differ between languages. Plural keys are
// compared by base: each language must have exactly its plural forms, and
// all forms of a base in all languages must share their verbs.
func Check() error { return check(catalogs) }

// verb matches a printf directive: flags, width, precision, then the verb.
// "%%" is a literal percent sign, not a verb.
var verb = regexp.MustCompile(`%[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]`)

// verbs lists the printf verbs of s in order, "%%" left out.
func verbs(s string) string {
	var out []string
	for _, v := range verb.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return strings.Join(out, " ")
}

// pluralBase returns the base of a plural key and whether it is one.
func pluralBase(key string) (string, bool) {
	for _, f := range []string{".one", ".other"} {
		if b, ok := strings.CutSuffix(key, f); ok {
			return b, true
		}
	}
	return "", false
}

func check(cats map[string]map[string]string) error {
	var langs []string
	for l := range cats {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var errs []error
	// A plural base is one whose ".one" form exists in some language: a
	// lone ".other" is a plain key ("sector.other").
	plural := map[string]bool{}
	for _, cat := range cats {
		for k := range cat {
			if b, ok := strings.CutSuffix(k, ".one"); ok {
				plural[b] = true
			}
		}
	}
	// group maps a comparison unit (a plain key or a plural base) to the
	// verbs of each of its strings, "lang key" → verbs.
	type text struct{ where, verbs string }
	groups := map[string][]text{}
	for _, l := range langs {
		cat := cats[l]
		for k, s := range cat {
			g := k
			if b, ok := pluralBase(k); ok && plural[b] {
				g = b
				if !slices.Contains(formsOf(l), strings.TrimPrefix(k, b+".")) {
					errs = append(errs, fmt.Errorf("%s: %q is a plural form %s does not have", l, k, l))
				}
			}
			groups[g] = append(groups[g], text{l + " " + k, verbs(s)})
		}
	}
	var keys []string
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	for _, g := range keys {
		for _, l := range langs {
			if plural[g] {
				for _, f := range formsOf(l) {
					if _, ok := cats[l][g+"."+f]; !ok {
						errs = append(errs, fmt.Errorf("%s: missing %q", l, g+"."+f))
					}
				}
			} else if _, ok := cats[l][g]; !ok {
				errs = append(errs, fmt.Errorf("%s: missing %q", l, g))
			}
		}
		ts := groups[g]
		sort.Slice(ts, func(i, j int) bool { return ts[i].where < ts[j].where })
		for _, t := range ts[1:] {
			if t.verbs != ts[0].verbs {
				errs = append(errs, fmt.Errorf("%q: verbs %q in %s, %q in %s", g, ts[0].verbs, ts[0].where, t.verbs, t.where))
			}
		}
	}
	return errors.Join(errs...)
}
