package congdoan

import (
	"strings"
	"unicode"

	"congdoan/vntext"
)

// A Doubt is something in a form that is probably a typing slip but may be
// true: the officer confirms it rather than being refused. The web forms
// show each with a "save anyway" choice; the API and imports accept the
// data as sent (their clients have no one to ask). Key names the message
// in the catalogs (i18n: doubt.*), Args fill it.
type Doubt struct {
	Field string
	Key   string
	Args  []any
}

// NameDoubts questions a person's name typed without any Vietnamese letter
// marks (most names have several: "Nguyen Van An" is almost always
// Nguyễn Văn An typed on a keyboard without Vietnamese input) or with a
// word not capitalised ("nguyễn văn an").
func NameDoubts(field, name string) []Doubt {
	name = vntext.Clean(name)
	if name == "" {
		return nil
	}
	var out []Doubt
	if vntext.Fold(name) == strings.ToLower(name) && len(strings.Fields(name)) >= 2 {
		out = append(out, Doubt{Field: field, Key: "doubt.no_marks", Args: []any{name}})
	}
	for _, w := range strings.Fields(name) {
		if r := []rune(w)[0]; unicode.IsLetter(r) && !unicode.IsUpper(r) {
			out = append(out, Doubt{Field: field, Key: "doubt.lower_case", Args: []any{name}})
			break
		}
	}
	return out
}

// RetirementAgeFloor is the age under which a retirement is questioned.
// The Labour Code 2019 (art. 169) sets the normal retirement age rising to
// 62 for men and 60 for women, and allows retiring up to five years
// earlier on health or hard-work grounds, and earlier still in a few
// cases: below 45 a retirement is more likely a slip of the year.
const RetirementAgeFloor = 45

// LeaveDoubts questions a leave whose reason does not fit the member's age
// in the year of the leave (the year of birth is what a masked record
// shows): a retirement under RetirementAgeFloor.
func LeaveDoubts(reason Reason, birthYear int, on Date) []Doubt {
	if birthYear == 0 || on.IsZero() {
		return nil
	}
	if age := on.Year() - birthYear; reason == EndRetired && age < RetirementAgeFloor {
		return []Doubt{{Field: "reason", Key: "doubt.retire_age", Args: []any{age}}}
	}
	return nil
}
