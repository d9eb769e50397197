package importer

import "strings"

// SafeCell neutralises formula injection in a value bound for an exported
// spreadsheet: a cell that starts with =, +, -, @, a tab or a carriage
// return (after any leading spaces) is what Excel and LibreOffice may run
// as a formula ("=cmd|' /C calc'!A0", "@SUM(…)"), so it gets a leading
// apostrophe, which shows as nothing and makes the cell text. Negative
// numbers written as numbers are not affected: only text goes through here.
func SafeCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	// Full-width forms that some spreadsheet programs also take as formulas.
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(t, p) {
			return "'" + s
		}
	}
	return s
}
