package web

import (
	"congdoan"
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

// domainLabel names a domain value. Vietnamese labels come from the domain
// package, the single source for them; other languages use the catalog
// ("kind.grassroots") and fall back to Vietnamese.
func domainLabel(lang, group, value string) string {
	if lang != "vi" {
		if s := i18n.T(lang, group+"."+value); s != group+"."+value {
			return s
		}
	}
	switch group {
	case "kind":
		return congdoan.UnitKind(value).Label()
	case "sector":
		return congdoan.Sector(value).Label()
	case "reason":
		return congdoan.ReasonLabel(value)
	case "role":
		return congdoan.Role(value).Label()
	case "gender":
		return congdoan.GenderLabel(value)
	case "estatus":
		return congdoan.EmployerStatusLabel(value)
	case "akind":
		return congdoan.AgreementKind(value).Label()
	case "astatus":
		return congdoan.AgreementStatusLabel(value)
	}
	if hasKey(group + "." + value) {
		return tr("vi", group+"."+value)
	}
	return value
}
