package vntext

import (
	"bytes"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// collators bundles what one goroutine needs to build keys. collate.Collator
// and collate.Buffer keep internal state between calls and are not safe for
// concurrent use, so they are handed out through a sync.Pool rather than
// shared or rebuilt per call (collate.New is comparatively expensive).
type collators struct {
	// full orders at all levels: letters, then tones, then case. Case only
	// breaks ties, so "AN" and "An" sort together but deterministically.
	full *collate.Collator
	// noCase ignores case; used for the components of a person key so that a
	// name typed in capitals does not jump ahead of its family name.
	noCase *collate.Collator
	buf    collate.Buffer
}

// collatorPool holds *collators. Numeric is on so that "Tổ 2" sorts before
// "Tổ 10", which is what officers expect for numbered groups and units.
var collatorPool = sync.Pool{
	New: func() any {
		return &collators{
			full:   collate.New(language.Vietnamese, collate.Numeric),
			noCase: collate.New(language.Vietnamese, collate.Numeric, collate.IgnoreCase),
		}
	},
}

// withCollators runs f with pooled collators and returns them afterwards.
func withCollators(f func(c *collators)) {
	c := collatorPool.Get().(*collators)
	defer func() {
		c.buf.Reset()
		collatorPool.Put(c)
	}()
	f(c)
}

// SortKey returns a byte key whose bytewise order is Vietnamese alphabetical
// order: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư, then tones in the
// traditional order (ngang, huyền, hỏi, ngã, sắc, nặng), with case only as a
// final tie-break and digit runs compared as numbers.
//
// The key is computed on Clean(s), so spacing and NFC/NFD differences do not
// change the order. It is meant for an indexed BLOB/BYTEA column compared
// bytewise (ORDER BY sort_key), which lets the database sort Vietnamese
// correctly without a server-side ICU collation. Keys depend on the
// golang.org/x/text version: recompute stored keys after upgrading it.
// SortKey is safe for concurrent use.
func SortKey(s string) []byte {
	var key []byte
	withCollators(func(c *collators) {
		key = bytes.Clone(c.full.KeyFromString(&c.buf, Clean(s)))
	})
	return key
}

// Compare compares two strings in Vietnamese order, returning -1, 0 or 1. It
// agrees with comparing SortKey(a) and SortKey(b) bytewise, and is the
// function to pass to slices.SortFunc for in-memory lists.
func Compare(a, b string) int {
	var r int
	withCollators(func(c *collators) {
		r = c.full.CompareString(Clean(a), Clean(b))
	})
	return r
}

// GivenName returns the last word of a full name.
//
// In Vietnamese names the given name (tên) is last, after the family name
// (họ) and middle names (tên đệm), and it is what people are called and
// sorted by.
func GivenName(fullName string) string {
	given, _ := splitName(fullName)
	return given
}

// splitName returns the given name (last word) and the rest (family and
// middle names) of a cleaned full name.
func splitName(fullName string) (given, rest string) {
	name := Clean(fullName)
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return name, ""
	}
	return name[i+1:], name[:i]
}

// PersonSortKey orders people the Vietnamese way: by given name (the last
// word) first, then by the rest (family and middle names), so
// "Nguyễn Văn An" < "Bế Thị Ánh" < "Trần Bình" and
// "Lê An" < "Nguyễn An" < "Trần Anh" < "Hoàng Bình". The key is bytewise
// comparable, like SortKey, and safe to compute concurrently.
//
// Plain concatenation of two collation keys is not order-preserving (a key
// can be a prefix of another, and each key carries several levels), so the
// key is built from self-delimiting parts: the case-insensitive key of the
// given name, then that of the rest, then the full key of the whole name so
// that names differing only in case still get a stable order.
func PersonSortKey(fullName string) []byte {
	given, rest := splitName(fullName)
	var key []byte
	withCollators(func(c *collators) {
		key = appendEscaped(key, c.noCase.KeyFromString(&c.buf, given))
		key = appendEscaped(key, c.noCase.KeyFromString(&c.buf, rest))
		full := given
		if rest != "" {
			full = given + " " + rest
		}
		key = appendEscaped(key, c.full.KeyFromString(&c.buf, full))
	})
	return key
}

// appendEscaped appends k to dst in an order-preserving, prefix-free
// encoding: every 0x00 becomes 0x00 0xFF and the part ends with 0x00 0x01.
// Because the terminator sorts below any continuation, comparing two
// concatenations of escaped parts bytewise compares the parts one by one,
// which is what makes PersonSortKey correct.
func appendEscaped(dst, k []byte) []byte {
	for _, b := range k {
		if b == 0 {
			dst = append(dst, 0x00, 0xFF)
		} else {
			dst = append(dst, b)
		}
	}
	return append(dst, 0x00, 0x01)
}
