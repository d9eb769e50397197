package congdoan

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"congdoan/vntext"
)

// UnitKind is the kind of a union unit (DESIGN.md §3).
type UnitKind string

// Unit kinds, from the top of the tree down.
const (
	KindConfederation      UnitKind = "confederation"       // Tổng Liên đoàn Lao động Việt Nam
	KindProvinceFederation UnitKind = "province_federation" // Liên đoàn Lao động tỉnh
	KindDistrictFederation UnitKind = "district_federation" // LĐLĐ huyện/thành phố (removed 2025)
	KindSectorUnion        UnitKind = "sector_union"        // công đoàn ngành
	KindIZUnion            UnitKind = "iz_union"            // công đoàn các khu công nghiệp
	KindCommuneUnion       UnitKind = "commune_union"       // công đoàn xã/phường (2025 model)
	KindGrassroots         UnitKind = "grassroots"          // công đoàn cơ sở
	KindInformalUnion      UnitKind = "informal_union"      // nghiệp đoàn
	KindSection            UnitKind = "section"             // công đoàn bộ phận
	KindGroup              UnitKind = "group"               // tổ công đoàn
)

// UnitKinds lists the kinds in tree order.
var UnitKinds = []UnitKind{KindConfederation, KindProvinceFederation, KindDistrictFederation, KindSectorUnion,
	KindIZUnion, KindCommuneUnion, KindGrassroots, KindInformalUnion, KindSection, KindGroup}

// Label returns the name of the kind in lang ("Công đoàn cơ sở").
func (k UnitKind) Label(lang string) string { return labelOf(lang, "kind", string(k)) }

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool {
	for _, x := range UnitKinds {
		if x == k {
			return true
		}
	}
	return false
}

// IsUpper reports whether the kind is an upper-level union, one that directs
// grassroots unions.
func (k UnitKind) IsUpper() bool {
	switch k {
	case KindConfederation, KindProvinceFederation, KindDistrictFederation, KindSectorUnion, KindIZUnion, KindCommuneUnion:
		return true
	}
	return false
}

// IsGrassroots reports whether the kind is a grassroots union (workplace union or nghiệp đoàn).
func (k UnitKind) IsGrassroots() bool { return k == KindGrassroots || k == KindInformalUnion }

// HoldsMembers reports whether members can belong to a unit of this kind:
// grassroots unions and their sections and groups.
func (k UnitKind) HoldsMembers() bool {
	return k.IsGrassroots() || k == KindSection || k == KindGroup
}

// CanParent reports whether a unit of kind k may sit directly under a unit of
// kind parent. The rules follow the Charter's levels; they are deliberately
// loose among upper levels because sector and zone unions sit at different
// depths in different provinces.
func (k UnitKind) CanParent(parent UnitKind) bool {
	switch k {
	case KindConfederation:
		return false
	case KindProvinceFederation:
		return parent == KindConfederation
	case KindDistrictFederation, KindSectorUnion, KindIZUnion, KindCommuneUnion:
		return parent == KindProvinceFederation || parent == KindConfederation || parent == KindSectorUnion
	case KindGrassroots, KindInformalUnion:
		return parent.IsUpper()
	case KindSection:
		return parent == KindGrassroots || parent == KindInformalUnion
	case KindGroup:
		return parent == KindGrassroots || parent == KindInformalUnion || parent == KindSection
	}
	return false
}

// Unit is a node of the union tree as of a date (its parent is the one valid
// then). Counts are filled by the reads that say so.
type Unit struct {
	ID           int64    `json:"id"`
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Kind         UnitKind `json:"kind"`
	EmployerID   int64    `json:"employer_id,omitempty"`
	EmployerName string   `json:"employer_name,omitempty"`
	CommuneCode  string   `json:"commune_code,omitempty"`
	Address      string   `json:"address,omitempty"`
	FoundedOn    Date     `json:"founded_on"`
	DissolvedOn  Date     `json:"dissolved_on"`
	ParentID     int64    `json:"-"`
	ParentCode   string   `json:"parent_code,omitempty"`
	ParentName   string   `json:"parent_name,omitempty"`
	Depth        int      `json:"depth"`
	Counts       *Counts  `json:"counts,omitempty"`
	Children     []*Unit  `json:"children,omitempty"`
	// Path names the unit's ancestors, the nearest first, for a search
	// result ("Công đoàn xã Bằng Lũng › LĐLĐ tỉnh Thái Nguyên"); only
	// SearchUnits fills it.
	Path []string `json:"path,omitempty"`
}

// Active reports whether the unit is not dissolved.
func (u *Unit) Active() bool { return u.DissolvedOn.IsZero() }

// Counts are a unit's figures over its whole subtree (itself included), now.
type Counts struct {
	Members         int `json:"members"`          // active members
	MembersFemale   int `json:"members_female"`   // of which women
	GrassrootsUnits int `json:"grassroots_units"` // active grassroots unions and nghiệp đoàn
	Children        int `json:"children"`         // active direct children
}

// UnitEvent is one step of a unit's history.
type UnitEvent struct {
	ID        int64  `json:"id"`
	UnitCode  string `json:"unit_code"`
	Kind      string `json:"kind"` // founded, moved, merged_into, absorbed, dissolved, renamed
	On        Date   `json:"on"`
	OtherCode string `json:"other_code,omitempty"`
	OtherName string `json:"other_name,omitempty"`
	Note      string `json:"note,omitempty"`
}

// UnitInput creates a unit.
type UnitInput struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Kind        UnitKind `json:"kind"`
	ParentCode  string   `json:"parent_code"`
	EmployerID  int64    `json:"employer_id"`
	CommuneCode string   `json:"commune_code"`
	FoundedOn   Date     `json:"founded_on"`
	Note        string   `json:"note"`
}

var unitCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// Validate normalises the input (NFC names, trimmed codes) and checks what
// can be checked without the database, every field at once; the founding
// date is today when zero and never after today.
func (in *UnitInput) Validate(today Date) Validation {
	in.Name, in.Note = vntext.Clean(in.Name), vntext.Clean(in.Note)
	in.Code, in.ParentCode, in.CommuneCode = strings.TrimSpace(in.Code), strings.TrimSpace(in.ParentCode), strings.TrimSpace(in.CommuneCode)
	v := Validation{}
	if !unitCodeRE.MatchString(in.Code) {
		v.Add("code", "Mã đơn vị chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch nối, tối đa 40 ký tự (ví dụ CDCS-06-0123).")
	}
	checkText(v, "name", "Tên đơn vị", in.Name, true, 200)
	if !in.Kind.Valid() {
		v.Add("kind", "Loại đơn vị không hợp lệ.")
	}
	if in.Kind != KindConfederation && in.Kind != KindProvinceFederation && in.ParentCode == "" {
		v.Add("parent_code", "Cần chọn đơn vị cấp trên.")
	}
	checkText(v, "note", "Ghi chú", in.Note, false, 1000)
	if in.FoundedOn.IsZero() {
		in.FoundedOn = today
	}
	if in.FoundedOn.After(today) {
		v.Add("founded_on", "Ngày thành lập không được sau hôm nay.")
	}
	return v
}

// ValidateUnitName normalises a unit's new name and checks it.
func ValidateUnitName(name *string) Validation {
	*name = vntext.Clean(*name)
	v := Validation{}
	checkText(v, "name", "Tên đơn vị", *name, true, 200)
	return v
}

// UnitFilter selects units.
type UnitFilter struct {
	ParentCode string   // direct children of this unit
	Under      string   // anywhere in this unit's subtree
	Kind       UnitKind // one kind
	Query      string   // name or code, diacritics ignored
	AsOf       Date     // the tree of this date; zero means today
	Dissolved  bool     // include dissolved units
	Limit      int
	Offset     int
}

// UnitPurpose narrows a unit search to the units a form may take.
type UnitPurpose string

// Unit purposes (UnitSearch.For).
const (
	ForAny        UnitPurpose = ""           // any unit, dissolved ones too
	ForMembers    UnitPurpose = "members"    // active units that hold members: admission, transfer, import
	ForUpper      UnitPurpose = "upper"      // active upper-level unions: an employer's responsible union, a new parent
	ForGrassroots UnitPurpose = "grassroots" // active grassroots unions: agreements
	ForActive     UnitPurpose = "active"     // any active unit: filters, a merger's successor
)

// Valid reports whether p is a known purpose.
func (p UnitPurpose) Valid() bool {
	switch p {
	case ForAny, ForMembers, ForUpper, ForGrassroots, ForActive:
		return true
	}
	return false
}

// Takes reports whether a unit of kind k, dissolved or not, suits p.
func (p UnitPurpose) Takes(k UnitKind, active bool) bool {
	switch p {
	case ForAny:
		return true
	case ForMembers:
		return active && k.HoldsMembers()
	case ForUpper:
		return active && k.IsUpper()
	case ForGrassroots:
		return active && k.IsGrassroots()
	}
	return active
}

// UnitSearch is a type-ahead search of units by name or code.
type UnitSearch struct {
	// Query is matched diacritics-insensitively: every word a prefix of
	// a word of the name, in any order, or a part of the code.
	Query string
	For   UnitPurpose
	Limit int // at most MaxPageSize; zero means 20
}

// UnitSearchLimit is the default number of a unit search's results.
const UnitSearchLimit = 20

// UnitService reads and restructures the union tree. Reads return ENOTFOUND
// for units outside the caller's subtree, exactly as for units that do not exist.
type UnitService interface {
	// FindUnitByCode returns the unit, its parent, current counts and its
	// direct children with their counts.
	FindUnitByCode(ctx context.Context, code string) (*Unit, error)
	// FindUnits returns the matching units in the caller's scope and the total.
	FindUnits(ctx context.Context, f UnitFilter) ([]*Unit, int, error)
	// SearchUnits returns the units in the caller's scope that match a
	// type-ahead query, best matches first, each with its Path: an exact
	// code, then names that begin with the query, then names holding
	// every word. An empty query returns nothing.
	SearchUnits(ctx context.Context, s UnitSearch) ([]*Unit, error)
	// TopUnits returns the units at the top of the caller's scope.
	TopUnits(ctx context.Context) ([]*Unit, error)
	// TopUnitsOn returns the units at the top of the caller's scope in the
	// tree of asOf (with that date's counts): the units the scope holds
	// today whose parent then it does not. Before a merger they include the
	// merged units, which stood beside the successor then.
	TopUnitsOn(ctx context.Context, asOf Date) ([]*Unit, error)
	// UnitTree returns the subtree under code as it stood on asOf (zero:
	// today), depth levels deep (0: everything), with current counts.
	UnitTree(ctx context.Context, code string, asOf Date, depth int) (*Unit, error)
	// UnitHistory returns the restructuring events of a unit, oldest first.
	UnitHistory(ctx context.Context, code string) ([]*UnitEvent, error)
	// CreateUnit returns EINVALID for bad input or a parent of the wrong kind,
	// ECONFLICT for a taken code, EFORBIDDEN for a parent outside the scope.
	CreateUnit(ctx context.Context, in UnitInput) (*Unit, error)
	// RenameUnit changes the name (history keeps the old one in the audit log).
	RenameUnit(ctx context.Context, code, name string) (*Unit, error)
	// MoveUnit puts a unit under a new parent from date on.
	MoveUnit(ctx context.Context, code, newParentCode string, on Date, note string) error
	// MergeUnits closes from on date and moves its members, children and
	// employers into into.
	MergeUnits(ctx context.Context, fromCode, intoCode string, on Date, note string) error
	// DissolveUnit closes a unit that has no active members or children.
	DissolveUnit(ctx context.Context, code string, on Date, note string) error
}

// checkText validates a free-text field: NFC is applied by the store; here we
// check presence and length in characters (not bytes, since Vietnamese
// letters take 2–3 bytes).
func checkText(v Validation, field, label, s string, required bool, max int) {
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		v.Add(field, label+" không được để trống.")
	case n > max:
		v.Add(field, label+" dài quá "+strconv.Itoa(max)+" ký tự (đang có "+strconv.Itoa(n)+").")
	default:
		if r, bad := hiddenRune(s); bad {
			v.Add(field, fmt.Sprintf("%s chứa ký tự ẩn không được phép (U+%04X: ký tự điều khiển hoặc đảo chiều văn bản), thường do sao chép từ nơi khác; hãy gõ lại trường này.", label, r))
		}
	}
}

// hiddenRune finds a character that has no place in a name or a note and
// can hide what a text says: control characters (those whitespace
// collapsing left: the text has been through vntext.Clean), the
// bidirectional overrides and isolates that can reverse how a name reads
// (U+202A–U+202E, U+2066–U+2069), and the byte-order mark.
func hiddenRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case unicode.IsControl(r) && r != '\n' && r != '\t',
			r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0xFEFF:
			return r, true
		}
	}
	return 0, false
}
