package web

import (
	"fmt"

	"congdoan/i18n"
)

// The interface strings live in the i18n package (i18n/locale/*.json). Only
// the chrome (navigation, headings, labels, buttons) is translated: messages
// from the services stay Vietnamese, because they are the federation's
// wording and carry the names and codes an officer acts on. A test checks
// that every key used in the templates and handlers exists in every
// language; New refuses catalogs that differ between languages.

// tr returns the string for key in lang, falling back to Vietnamese and
// then to the key itself, so a missing entry shows up visibly, not as a
// blank.
func tr(lang, key string) string { return i18n.T(lang, key) }

// hasKey reports whether key is in the Vietnamese catalog, the reference one.
func hasKey(key string) bool { return i18n.Has(key) }

// labeler is a domain enum (congdoan.UnitKind, Gender, Reason …): it names
// itself in a language from the catalog.
type labeler interface{ Label(lang string) string }

// domainLabel names a value shown in a page. A domain enum names itself;
// a plain string (a literal in a template, an audit action) is looked up as
// group.value ("estatus.active", "action.member.create") and shows as
// itself when the catalog has no such key.
func domainLabel(lang, group string, value any) string {
	if l, ok := value.(labeler); ok {
		return l.Label(lang)
	}
	s := fmt.Sprint(value)
	if key := group + "." + s; hasKey(key) {
		return tr(lang, key)
	}
	return s
}
