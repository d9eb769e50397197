package congdoan

import "congdoan/i18n"

// labelOf names an enum value in lang from the catalog key group.value
// ("kind.grassroots"), falling back to Vietnamese and then to the value
// itself. Every enum's Label reads it, so the catalog is the one source of
// the names, in every language.
func labelOf(lang, group, value string) string {
	key := group + "." + value
	if s, ok := i18n.Lookup(lang, key); ok {
		return s
	}
	if s, ok := i18n.Lookup(i18n.Default, key); ok {
		return s
	}
	return value
}
