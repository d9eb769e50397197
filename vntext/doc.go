// Package vntext holds the Vietnamese text rules the rest of the system
// relies on: Unicode normalisation, accent-insensitive search keys,
// Vietnamese alphabetical order (including ordering people by given name),
// validation of citizen IDs, tax codes and phone numbers with messages an
// officer can act on, masking of personal data, and Vietnamese number and
// date formats.
//
// It is a leaf package (standard library and golang.org/x/text only) so that
// storage, import and web code can all share one definition of "the same
// name" and "the right order" without import cycles.
package vntext
