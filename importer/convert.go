package importer

import (
	"fmt"
	"sort"
	"strings"

	"congdoan"
	"congdoan/vntext"
)

// Row is one row of a sheet: its 1-based row number in the sheet (the
// line's record number in a CSV) and its cells, decoded to Unicode NFC.
type Row struct {
	Num   int
	Cells []string
}

// Cell returns cell i, or "" past the end of the row.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// RowError is a problem found in one row: the row number, the column (its
// letter and header; empty for the row as a whole) and what to do, in
// Vietnamese. A warning (Warning set) does not stop the row.
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"` // "C"
	Header  string `json:"header"` // "Ngày sinh"
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"`
}

func (e RowError) String() string {
	where := fmt.Sprintf("Dòng %d", e.Row)
	if e.Column != "" {
		where += ", cột " + e.Column
		if e.Header != "" {
			where += " (" + e.Header + ")"
		}
	} else if e.Header != "" {
		where += " (" + e.Header + ")"
	}
	return where + ": " + e.Message
}

// BirthYearPolicy says what a birth year alone (no day and month) becomes.
type BirthYearPolicy int

const (
	// BirthYearError refuses the row, asking for the full date.
	BirthYearError BirthYearPolicy = iota
	// BirthYearJan1 takes 01/01 of the year, with a warning on the row.
	BirthYearJan1
)

// Converter turns rows into inputs of one kind, by a mapping.
type Converter struct {
	Mapping Mapping
	Today   congdoan.Date
	// Date1904 is the workbook's date system (Reader.Date1904).
	Date1904 bool
	// BirthYear says what to do with a birth year alone.
	BirthYear BirthYearPolicy
	// UnitCode is the unit a row gets when the file has no unit column or
	// the cell is empty (the importer's --unit): the members' union, the
	// employers' and units' upper-level union.
	UnitCode string
}

// Result is one converted row: exactly one of Member, Employer, Unit set
// when the row was read, none when Skipped says why it was not (a blank or
// total row). Errors holds the row's problems; the row must not be written
// when any is not a warning (OK).
type Result struct {
	Row      int
	Member   *congdoan.MemberInput
	Employer *congdoan.EmployerInput
	Unit     *congdoan.UnitInput
	Errors   []RowError
	Skipped  string
	Cells    []string // the row as read (decoded), for a file of the refused rows
}

// OK reports whether the row was read and has no error (warnings allowed).
func (r Result) OK() bool {
	if r.Skipped != "" {
		return false
	}
	for _, e := range r.Errors {
		if !e.Warning {
			return false
		}
	}
	return true
}

// rowCtx collects one row's errors.
type rowCtx struct {
	c   *Converter
	row Row
	res *Result
	// from remembers the column each field was read from.
	from map[Field]Column
}

func (x *rowCtx) get(f Field) (string, bool) {
	col, ok := x.c.Mapping.Column(f)
	if !ok {
		return "", false
	}
	x.from[f] = col
	return strings.TrimSpace(x.row.Cell(col.Index)), true
}

func (x *rowCtx) text(f Field) string { s, _ := x.get(f); return vntext.Clean(s) }

func (x *rowCtx) errAt(f Field, msg string, warning bool) {
	e := RowError{Row: x.row.Num, Message: msg, Warning: warning}
	if col, ok := x.c.Mapping.Column(f); ok {
		e.Column, e.Header = col.Letter, col.Header
	} else {
		e.Header = FieldLabel(x.c.Mapping.Kind, f)
	}
	x.res.Errors = append(x.res.Errors, e)
}

func (x *rowCtx) cellErr(f Field, err error) {
	if err != nil {
		x.errAt(f, err.Error(), false)
	}
}

func (x *rowCtx) date(f Field) congdoan.Date {
	s, ok := x.get(f)
	if !ok || s == "" {
		return congdoan.Date{}
	}
	d, yearOnly, err := DateParser{Today: x.c.Today, Date1904: x.c.Date1904}.Parse(s)
	if err != nil {
		x.cellErr(f, err)
		return congdoan.Date{}
	}
	if yearOnly {
		if f == "birth_date" || f == "birth_year" {
			if x.c.BirthYear == BirthYearJan1 {
				x.errAt(f, fmt.Sprintf("Chỉ có năm sinh %d: ghi ngày sinh là 01/01/%d.", d.Year(), d.Year()), true)
				return d
			}
			x.errAt(f, fmt.Sprintf("Chỉ có năm sinh %d, cần đủ ngày/tháng/năm sinh (ví dụ 05/03/%d), hoặc chọn nhập năm sinh thành ngày 01/01.", d.Year(), d.Year()), false)
			return congdoan.Date{}
		}
		x.errAt(f, fmt.Sprintf("Chỉ có năm %d, cần đủ ngày/tháng/năm.", d.Year()), false)
		return congdoan.Date{}
	}
	return d
}

func (x *rowCtx) integer(f Field) int {
	s, ok := x.get(f)
	if !ok {
		return 0
	}
	n, _, err := ParseInt(s)
	x.cellErr(f, err)
	return n
}

func (x *rowCtx) unitCode(f Field) string {
	if s := x.text(f); s != "" {
		return s
	}
	return x.c.UnitCode
}

// skipReason says why a row is not data: blank, or a total row ("Tổng
// cộng", "Cộng", "Tổng số" in one of its first cells).
func skipReason(r Row) string {
	blank := true
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return "Dòng trống, bỏ qua."
	}
	seen := 0
	for _, c := range r.Cells {
		n := NormalizeHeader(c)
		if n == "" {
			continue
		}
		if n == "cong" || n == "tong" || strings.HasPrefix(n, "tong cong") || strings.HasPrefix(n, "tong so") || strings.HasPrefix(n, "cong ") && len(n) < 20 {
			return fmt.Sprintf("Dòng tổng (“%s”), bỏ qua.", strings.TrimSpace(c))
		}
		if seen++; seen == 3 {
			break
		}
	}
	return ""
}

// Convert reads one data row. Skipped rows come back with Skipped set and
// nothing else; read rows have gone through the input's Validate(today),
// whose messages are reported on the columns the fields came from.
func (c *Converter) Convert(r Row) Result {
	res := Result{Row: r.Num, Cells: r.Cells}
	if why := skipReason(r); why != "" {
		res.Skipped = why
		return res
	}
	x := &rowCtx{c: c, row: r, res: &res, from: map[Field]Column{}}
	var v congdoan.Validation
	switch c.Mapping.Kind {
	case Members:
		in := &congdoan.MemberInput{
			FullName:  x.text("full_name"),
			Ethnicity: x.text("ethnicity"),
			Phone:     x.text("phone"),
			Job:       x.text("job"),
			Note:      x.text("note"),
			UnitCode:  x.unitCode("unit_code"),
			JoinedOn:  x.date("joined_on"),
		}
		if s, ok := x.get("cccd"); ok {
			cccd, warn := NormalizeCCCD(s)
			in.CCCD = cccd
			if warn != "" {
				x.errAt("cccd", warn, true)
			}
		}
		if s, ok := x.get("gender"); ok && s != "" {
			g, err := ParseGender(s)
			x.cellErr("gender", err)
			in.Gender = g
		} else if s, ok := x.get("female"); ok {
			g, err := ParseFemaleMark(s)
			x.cellErr("female", err)
			in.Gender = g
		}
		in.BirthDate = x.date("birth_date")
		if in.BirthDate.IsZero() {
			if d := x.date("birth_year"); !d.IsZero() {
				in.BirthDate = d
				x.from["birth_date"] = x.from["birth_year"]
			}
		} else if _, ok := x.get("birth_year"); ok {
			x.from["birth_date"], _ = c.Mapping.Column("birth_date")
		}
		if x.failed() {
			return res
		}
		v = in.Validate(c.Today)
		res.Member = in
	case Employers:
		in := &congdoan.EmployerInput{
			TaxCode:       x.text("tax_code"),
			Name:          x.text("name"),
			Industry:      x.text("industry"),
			CommuneCode:   x.text("commune_code"),
			WorkersTotal:  x.integer("workers_total"),
			WorkersFemale: x.integer("workers_female"),
			HeadcountAsOf: x.date("headcount_as_of"),
			UnitCode:      x.unitCode("unit_code"),
		}
		if s := x.text("sector"); s != "" {
			sec, err := ParseSector(s)
			x.cellErr("sector", err)
			in.Sector = sec
		}
		if s := x.text("status"); s != "" {
			st, err := ParseEmployerStatus(s)
			x.cellErr("status", err)
			in.Status = st
		}
		if x.failed() {
			return res
		}
		v = in.Validate(c.Today)
		res.Employer = in
	case Units:
		in := &congdoan.UnitInput{
			Code:        x.text("code"),
			Name:        x.text("name"),
			ParentCode:  x.unitCode("parent_code"),
			CommuneCode: x.text("commune_code"),
			FoundedOn:   x.date("founded_on"),
			Note:        x.text("note"),
		}
		if s := x.text("kind"); s != "" {
			k, err := ParseUnitKind(s)
			x.cellErr("kind", err)
			in.Kind = k
		}
		if x.failed() {
			return res
		}
		v = in.Validate(c.Today)
		res.Unit = in
	}
	x.addValidation(v)
	return res
}

// failed reports whether a cell could not be read: the row then reports
// only those cells, since Validate would repeat them as missing values.
func (x *rowCtx) failed() bool {
	for _, e := range x.res.Errors {
		if !e.Warning {
			return true
		}
	}
	return false
}

// validationField maps a Validation key to the column field it came from.
func (x *rowCtx) validationField(key string) Field {
	f := Field(key)
	switch {
	case f == "gender":
		if _, ok := x.c.Mapping.Column("gender"); !ok {
			if _, ok := x.c.Mapping.Column("female"); ok {
				return "female"
			}
		}
	case f == "birth_date":
		if col, ok := x.from["birth_date"]; ok && x.c.Mapping.Fields[col.Index] == "birth_year" {
			return "birth_year"
		}
		if _, ok := x.c.Mapping.Column("birth_date"); !ok {
			return "birth_year"
		}
	case f == "parent_code" && x.c.Mapping.Kind == Units, f == "unit_code":
		if _, ok := x.c.Mapping.Column(f); !ok && x.c.UnitCode == "" {
			return f
		}
	}
	return f
}

// addValidation reports Validate's messages, in column order.
func (x *rowCtx) addValidation(v congdoan.Validation) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	idx := func(k string) int {
		if col, ok := x.c.Mapping.Column(x.validationField(k)); ok {
			return col.Index
		}
		return 1 << 20
	}
	sort.Slice(keys, func(i, j int) bool {
		if a, b := idx(keys[i]), idx(keys[j]); a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		f := x.validationField(k)
		msg := v[k]
		if _, ok := x.c.Mapping.Column(f); !ok && (f == "unit_code" || f == "parent_code") {
			msg += " Thêm cột “" + FieldLabel(x.c.Mapping.Kind, f) + "” hoặc chọn đơn vị khi nhập."
		}
		x.errAt(f, msg, false)
	}
}

// ParseSector reads a "Loại hình" cell: the labels of congdoan.Sectors and
// the usual short forms (DNNN, FDI, HTX, …), with or without diacritics.
func ParseSector(s string) (congdoan.Sector, error) {
	n := NormalizeHeader(s)
	for _, sec := range congdoan.Sectors {
		if n == NormalizeHeader(sec.Label("vi")) || n == string(sec) {
			return sec, nil
		}
	}
	switch {
	case n == "dnnn" || strings.Contains(n, "nha nuoc") && !strings.Contains(n, "ngoai") && !strings.Contains(n, "co quan") && !strings.Contains(n, "hanh chinh"):
		return congdoan.SectorState, nil
	case n == "ngoai nha nuoc" || strings.Contains(n, "ngoai nha nuoc") || strings.Contains(n, "tu nhan") || n == "dn ngoai nn":
		return congdoan.SectorNonState, nil
	case strings.Contains(n, "fdi") || strings.Contains(n, "nuoc ngoai"):
		return congdoan.SectorFDI, nil
	case strings.Contains(n, "su nghiep"):
		return congdoan.SectorPublicUnit, nil
	case strings.Contains(n, "hanh chinh") || strings.HasPrefix(n, "co quan"):
		return congdoan.SectorAdministrate, nil
	case n == "htx" || strings.Contains(n, "hop tac xa"):
		return congdoan.SectorCooperative, nil
	}
	var names []string
	for _, sec := range congdoan.Sectors {
		names = append(names, sec.Label("vi"))
	}
	return "", cellErrorf("Loại hình %q không rõ. Ghi một trong: %s.", s, strings.Join(names, "; "))
}

// ParseEmployerStatus reads a "Trạng thái" cell.
func ParseEmployerStatus(s string) (congdoan.EmployerStatus, error) {
	n := NormalizeHeader(s)
	switch {
	case strings.Contains(n, "hoat dong"):
		return congdoan.EmployerActive, nil
	case strings.Contains(n, "tam ngung") || strings.Contains(n, "tam dung"):
		return congdoan.EmployerPaused, nil
	case strings.Contains(n, "giai the") || strings.Contains(n, "pha san") || strings.Contains(n, "cham dut"):
		return congdoan.EmployerClosed, nil
	}
	return "", cellErrorf("Trạng thái %q không rõ. Ghi “Đang hoạt động”, “Tạm ngừng” hoặc “Đã giải thể”.", s)
}

// ParseUnitKind reads a "Loại đơn vị" cell: the labels of
// congdoan.UnitKinds, their codes and short forms (CĐCS, LĐLĐ tỉnh, …).
func ParseUnitKind(s string) (congdoan.UnitKind, error) {
	n := NormalizeHeader(s)
	for _, k := range congdoan.UnitKinds {
		if n == NormalizeHeader(k.Label("vi")) || n == string(k) {
			return k, nil
		}
	}
	switch n {
	case "cdcs", "cong doan co so":
		return congdoan.KindGrassroots, nil
	case "cdbp", "cong doan bo phan":
		return congdoan.KindSection, nil
	case "to cd", "to cong doan":
		return congdoan.KindGroup, nil
	case "lien doan lao dong tinh", "ldld tinh":
		return congdoan.KindProvinceFederation, nil
	case "cong doan nganh", "cd nganh":
		return congdoan.KindSectorUnion, nil
	case "cong doan xa", "cong doan phuong", "cong doan xa phuong", "cd xa":
		return congdoan.KindCommuneUnion, nil
	}
	var names []string
	for _, k := range congdoan.UnitKinds {
		names = append(names, k.Label("vi"))
	}
	return "", cellErrorf("Loại đơn vị %q không rõ. Ghi một trong: %s.", s, strings.Join(names, "; "))
}
