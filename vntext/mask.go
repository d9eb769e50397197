package vntext

import "strings"

// maskRune replaces hidden characters. A bullet rather than "*" or "x" so a
// masked value cannot be mistaken for a real one or for a search wildcard.
const maskRune = '•'

// MaskCCCD hides a citizen ID for lists, where IDs are shown masked by
// default: "001084000999" -> "••••••••0999". The last 4 digits are kept so
// an officer can tell members apart and match a card in hand. Values of 4
// characters or fewer are masked entirely, since keeping 4 would reveal all
// of them. Empty stays empty.
func MaskCCCD(s string) string {
	return maskKeep(NormalizeDigits(s), 0, 4)
}

// MaskPhone hides a phone number for lists: "0912345678" -> "091••••678".
// The first 3 digits (network or area) and last 3 are kept, which is enough
// to recognise a number without exposing it. Input that NormalizePhone
// accepts is normalised first, so "+84 912 345 678" masks the same way.
// Values too short to keep 6 digits and still hide some are masked entirely.
// Empty stays empty.
func MaskPhone(s string) string {
	p, err := NormalizePhone(s)
	if err != nil {
		p = NormalizeDigits(s)
	}
	return maskKeep(p, 3, 3)
}

// maskKeep masks all runes of s except the first head and last tail. If that
// would leave nothing hidden, everything is masked.
func maskKeep(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		head, tail = 0, 0
	}
	var b strings.Builder
	b.Grow(len(s) + 2*len(r))
	for i, c := range r {
		if i < head || i >= len(r)-tail {
			b.WriteRune(c)
		} else {
			b.WriteRune(maskRune)
		}
	}
	return b.String()
}
