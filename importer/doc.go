// Package importer holds the building blocks of the spreadsheet import
// (issue 11): reading .xlsx and .csv files as a stream of rows, matching a
// header row to the fields of members, employers or units, parsing the
// cells offices actually type (dates in every form, birth years alone,
// Vietnamese number separators, Nam/Nữ, CCCDs that Excel stripped of their
// leading zero), and turning a row into a congdoan.MemberInput,
// EmployerInput or UnitInput with every problem reported by row and
// column, in Vietnamese, with how to fix it.
//
// Validation is not repeated here: a converted row goes through the
// input's own Validate(today) — the function the forms and the API call —
// and its field messages are mapped back to the columns they came from.
//
// The package is a leaf: it knows the root package, vntext and
// vntext/legacy, and nothing of the store or the web. SafeCell is the
// other direction: it neutralises formula injection in exported cells.
package importer
