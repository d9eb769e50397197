// Package legacy decodes the pre-Unicode Vietnamese encodings that old
// spreadsheets still carry — TCVN3 (ABC, the ".Vn" fonts), VNI-Windows,
// VISCII and Windows-1258 — to Unicode NFC, and tells them apart.
//
// Legacy text reaches an importer in two shapes: as raw bytes in a CSV, or
// inside a modern .xlsx as Unicode code points U+0000–U+00FF that stand for
// the legacy bytes (the cell was typed in a legacy font, so Excel stored
// "NguyÔn V¨n §øc" for Nguyễn Văn Đức). Decode accepts both: a string whose
// runes are all below 256 is read back as those bytes; a string that is not
// valid UTF-8 is taken as the bytes themselves.
//
// Detect scores each candidate decoding by the share of its words that are
// valid Vietnamese syllables (Syllable). ASCII-only text is ambiguous and is
// left as it is; Unicode already in NFD is normalised to NFC. Files mix
// encodings, so DetectColumns decides per column.
//
// The TCVN3, VISCII and Windows-1258 tables were generated once from glibc's
// iconv (internal/gen) and are cross-checked against it by the tests; VNI has
// no iconv converter and its table is written by hand from the VNI-Windows
// layout (vni.go), cross-checked against npm's vietnamese-conversion when
// node and that package are installed (testdata/npm).
//
// The package is a leaf: it imports only golang.org/x/text.
package legacy

//go:generate go run ./internal/gen
