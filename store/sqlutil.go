package store

import (
	"iter"
	"strings"
)

// Placeholders returns "?, ?, …" with n marks, for IN lists.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// ValueRows returns "(?, …), (?, …)": rows tuples of cols marks, the
// VALUES of a multi-row INSERT.
func ValueRows(rows, cols int) string {
	return strings.TrimSuffix(strings.Repeat("("+Placeholders(cols)+"), ", rows), ", ")
}

// chunks splits args for IN lists, which engines cap (SQLite at 32766 variables).
func chunks(args []any, size int) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		for len(args) > 0 {
			n := min(size, len(args))
			if !yield(args[:n]) {
				return
			}
			args = args[n:]
		}
	}
}

func toAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// prefixRange returns bounds [lo, hi) of the strings that start with prefix,
// compared byte-wise (search keys are stored with binary collation on both
// engines, so the range uses their indexes where LIKE might not).
func prefixRange(prefix string) (string, string) {
	return prefix, prefix + "\U0010FFFF"
}

// containsPattern returns a LIKE pattern matching s anywhere, with LIKE's
// own wildcards in s escaped (used with ESCAPE '\').
func containsPattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
